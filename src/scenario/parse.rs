//! Reads a scenario from YAML. The text is first read into a tree of spanned keys and values
//! (serde-saphyr `Spanned`), so that every error — an unknown role, key or stage, a duplicate
//! key, a value out of range — points at its line and column; then the tree is checked against
//! the model, reporting every error in one pass.

use super::{Change, Param, Scenario, Value};
use crate::diag::{Lang, suggest};
use crate::model::{Distribution, Model, PlanMetric};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// An error in a scenario file, at a line and column (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub line: u64,
    pub column: u64,
    /// Characters to underline.
    pub width: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The offending line of the file.
    pub source_line: String,
}

impl ScenarioError {
    /// `file:line:column: ошибка: …`, the line with a caret, and the hint.
    pub fn render(&self, file: &str, lang: Lang) -> String {
        let mut out = format!(
            "{file}:{}:{}: {}: {}\n",
            self.line,
            self.column,
            lang.pick("ошибка", "error"),
            self.message
        );
        if self.line > 0 {
            let num = self.line.to_string();
            let gutter = " ".repeat(num.len());
            out += &format!("{num} | {}\n", self.source_line);
            let indent = " ".repeat(self.column.saturating_sub(1) as usize);
            out += &format!("{gutter} | {indent}{}\n", "^".repeat(self.width.max(1)));
        }
        if let Some(h) = &self.hint {
            out += &format!("  = {}: {h}\n", lang.pick("подсказка", "help"));
        }
        out
    }
}

/// A YAML value with spanned keys.
#[derive(Debug, Clone)]
enum Node {
    Map(Vec<(Spanned<Key>, Spanned<Node>)>),
    Text(String),
    Number(f64),
    Other(&'static str),
}

/// A mapping key: any scalar, as text.
#[derive(Debug, Clone)]
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        match Node::deserialize(d)? {
            Node::Text(s) => Ok(Key(s)),
            Node::Number(x) => Ok(Key(x.to_string())),
            _ => Err(de::Error::custom("ожидался ключ-строка")),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Text(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Number(v as f64))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Other("bool"))
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Other("null"))
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Other("null"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Node::Other("list"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(k) = map.next_key::<Spanned<Key>>()? {
                    let v = map.next_value::<Spanned<Node>>()?;
                    entries.push((k, v));
                }
                Ok(Node::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// Key spellings: Russian first, then English aliases.
const TOP: &[(&str, &[&str])] = &[
    ("название", &["name"]),
    ("описание", &["description"]),
    ("роли", &["roles"]),
    ("этапы", &["stages"]),
    ("каналы", &["channels"]),
    ("воронки", &["pipelines"]),
    ("план", &["plan"]),
];
const ROLE: &[(&str, &[&str])] = &[("штат", &["headcount"])];
const STAGE: &[(&str, &[&str])] = &[("конверсия", &["conversion"]), ("длительность", &["duration"])];
const CHANNEL: &[(&str, &[&str])] = &[
    ("лиды", &["leads"]),
    ("стоимость_лида", &["lead_cost", "стоимость", "cost"]),
];
const PIPELINE: &[(&str, &[&str])] = &[("чек", &["deal_size", "check"])];
const PLAN: &[(&str, &[&str])] = &[
    ("выручка", &["revenue"]),
    ("сделки", &["deals"]),
    ("новые_клиенты", &["new_clients"]),
];

struct Cx<'a> {
    lines: Vec<&'a str>,
    model: &'a Model,
    lang: Lang,
    errors: Vec<ScenarioError>,
}

impl Cx<'_> {
    fn error(&mut self, at: &Spanned<impl Sized>, width: usize, message: String, hint: Option<String>) {
        let line = at.referenced.line();
        let source_line = self
            .lines
            .get(line.saturating_sub(1) as usize)
            .map_or(String::new(), |s| (*s).to_owned());
        self.errors.push(ScenarioError {
            line,
            column: at.referenced.column(),
            width,
            message,
            hint,
            source_line,
        });
    }

    fn did_you_mean(&self, s: Option<String>) -> Option<String> {
        s.map(|s| {
            format!(
                "{} «{s}»",
                self.lang.pick("возможно, имелось в виду", "did you mean")
            )
        })
    }

    /// Resolves a key against a table of spellings; reports an unknown key.
    fn key(
        &mut self,
        k: &Spanned<Key>,
        table: &[(&'static str, &[&str])],
        what: &str,
    ) -> Option<&'static str> {
        let name = k.value.0.trim();
        for (ru, en) in table {
            if *ru == name || en.contains(&name) {
                return Some(ru);
            }
        }
        let all = table
            .iter()
            .flat_map(|(ru, en)| std::iter::once(*ru).chain(en.iter().copied()));
        let hint = self.did_you_mean(suggest(name, all)).or_else(|| {
            let list: Vec<&str> = table.iter().map(|(ru, _)| *ru).collect();
            Some(format!(
                "{}: {}",
                self.lang.pick("допустимые ключи", "known keys"),
                list.join(", ")
            ))
        });
        let msg = match self.lang {
            Lang::Ru => format!("неизвестный ключ «{name}» в разделе {what}"),
            Lang::En => format!("unknown key `{name}` in {what}"),
        };
        self.error(k, name.chars().count(), msg, hint);
        None
    }

    /// The entries of a map node, or an error.
    fn map<'n>(&mut self, n: &'n Spanned<Node>, what: &str) -> &'n [(Spanned<Key>, Spanned<Node>)] {
        match &n.value {
            Node::Map(m) => m,
            _ => {
                let msg = match self.lang {
                    Lang::Ru => format!("{what}: ожидался словарь вида «ключ: значение»"),
                    Lang::En => format!("{what}: expected a mapping `key: value`"),
                };
                self.error(n, 1, msg, None);
                &[]
            }
        }
    }

    /// Reports a repeated key (YAML forbids them; a typo-free file has none).
    fn duplicates(&mut self, entries: &[(Spanned<Key>, Spanned<Node>)], canon: impl Fn(&str) -> String) {
        let mut seen: Vec<(String, u64)> = Vec::new();
        for (k, _) in entries {
            let c = canon(k.value.0.trim());
            if let Some((_, line)) = seen.iter().find(|(s, _)| *s == c) {
                let msg = match self.lang {
                    Lang::Ru => format!("ключ «{}» повторяется (уже был в строке {line})", k.value.0),
                    Lang::En => format!("duplicate key `{}` (already on line {line})", k.value.0),
                };
                let hint = Some(
                    self.lang
                        .pick("оставьте один из них", "keep only one of them")
                        .to_owned(),
                );
                self.error(k, k.value.0.chars().count(), msg, hint);
            } else {
                seen.push((c, k.referenced.line()));
            }
        }
    }

    fn unknown_name(&mut self, k: &Spanned<Key>, kind_ru: &str, kind_en: &str, known: Vec<String>) {
        let name = k.value.0.trim();
        let hint = self.did_you_mean(suggest(name, known.iter().map(String::as_str)));
        let msg = match self.lang {
            Lang::Ru => format!("{kind_ru} «{name}» не найдена в положении"),
            Lang::En => format!("{kind_en} `{name}` is not in the regulation"),
        };
        self.error(k, name.chars().count(), msg, hint);
    }

    fn role(&mut self, k: &Spanned<Key>) -> Option<String> {
        let name = k.value.0.trim();
        if self.model.roles.iter().any(|r| r.name == name) {
            return Some(name.to_owned());
        }
        let known = self.model.roles.iter().map(|r| r.name.clone()).collect();
        self.unknown_name(k, "роль", "role", known);
        None
    }

    fn channel(&mut self, k: &Spanned<Key>) -> Option<String> {
        let name = k.value.0.trim();
        if self.model.channels.iter().any(|c| c.name == name) {
            return Some(name.to_owned());
        }
        let known = self.model.channels.iter().map(|c| c.name.clone()).collect();
        self.unknown_name(k, "канал", "channel", known);
        None
    }

    fn pipeline(&mut self, k: &Spanned<Key>) -> Option<String> {
        let name = k.value.0.trim();
        if self.model.pipelines.iter().any(|p| p.name == name) {
            return Some(name.to_owned());
        }
        let known = self.model.pipelines.iter().map(|p| p.name.clone()).collect();
        self.unknown_name(k, "воронка", "pipeline", known);
        None
    }

    fn stage(&mut self, k: &Spanned<Key>) -> Option<(String, String)> {
        let name = k.value.0.trim();
        match resolve_stage(self.model, name) {
            Some(found) => Some(found),
            None => {
                let known: Vec<String> = self
                    .model
                    .pipelines
                    .iter()
                    .flat_map(|p| p.stages.iter().map(move |s| format!("{}.{}", p.name, s.name)))
                    .collect();
                let kind_ru = "этап";
                let name = k.value.0.trim();
                let hint = self.did_you_mean(suggest(name, known.iter().map(String::as_str)));
                let msg = match self.lang {
                    Lang::Ru => format!("{kind_ru} «{name}» не найден в положении (пишите Воронка.Этап)"),
                    Lang::En => format!("stage `{name}` is not in the regulation (write Pipeline.Stage)"),
                };
                self.error(k, name.chars().count(), msg, hint);
                None
            }
        }
    }

    /// A number (possibly written with spaces, `₽`, `тыс`, `млн`), or an error.
    fn money(&mut self, n: &Spanned<Node>, what: &str) -> Option<f64> {
        let x = match &n.value {
            Node::Number(x) => Some(*x),
            Node::Text(t) => parse_money(t),
            _ => None,
        };
        match x {
            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
            Some(_) => {
                let msg = match self.lang {
                    Lang::Ru => format!("{what}: значение не может быть отрицательным"),
                    Lang::En => format!("{what}: the value cannot be negative"),
                };
                self.error(n, width(n), msg, None);
                None
            }
            None => {
                let msg = match self.lang {
                    Lang::Ru => format!("{what}: ожидалось число"),
                    Lang::En => format!("{what}: expected a number"),
                };
                let hint = Some(
                    self.lang
                        .pick("например 120 или \"400 000 ₽\"", "e.g. 120 or \"400 000\"")
                        .into(),
                );
                self.error(n, width(n), msg, hint);
                None
            }
        }
    }
}

fn width(n: &Spanned<Node>) -> usize {
    match &n.value {
        Node::Text(t) => t.chars().count(),
        Node::Number(x) => x.to_string().len(),
        _ => 1,
    }
}

/// `Воронка.Этап`, or a stage name unique across pipelines.
pub(crate) fn resolve_stage(model: &Model, name: &str) -> Option<(String, String)> {
    if let Some((p, s)) = name.split_once('.') {
        let pipeline = model.pipelines.iter().find(|q| q.name == p.trim())?;
        let stage = pipeline.stages.iter().find(|t| t.name == s.trim())?;
        return Some((pipeline.name.clone(), stage.name.clone()));
    }
    let mut found = model
        .pipelines
        .iter()
        .flat_map(|p| p.stages.iter().map(move |s| (p, s)))
        .filter(|(_, s)| s.name == name);
    let (p, s) = found.next()?;
    found.next().is_none().then(|| (p.name.clone(), s.name.clone()))
}

/// `400000`, `400 000 ₽`, `2.8 млн`, `350 тыс ₽`.
fn parse_money(t: &str) -> Option<f64> {
    let mut s: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '₽')
        .collect();
    s = s.replace(',', ".");
    for unit in ["руб.", "руб", "RUB", "р."] {
        if let Some(rest) = s.strip_suffix(unit) {
            s = rest.to_owned();
        }
    }
    let (num, k) = if let Some(r) = s.strip_suffix("млн") {
        (r, 1e6)
    } else if let Some(r) = s.strip_suffix("тыс") {
        (r, 1e3)
    } else {
        (s.as_str(), 1.0)
    };
    num.parse::<f64>().ok().map(|x| x * k)
}

/// `60%`, `0.6` → 0.6; anything else (or outside 0..1) is `Err(reason)`.
pub(crate) fn parse_share(t: &str) -> Result<f64, ()> {
    let s: String = t
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(',', ".");
    let x = match s.strip_suffix('%') {
        Some(p) => p.parse::<f64>().map_err(|_| ())? / 100.0,
        None => s.parse::<f64>().map_err(|_| ())?,
    };
    if x.is_finite() && (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(())
    }
}

/// `5`, `"3 дн"`, `"5..10 дн"`, `"2..4..10 дн"` (triangular) → days.
fn parse_days(t: &str) -> Option<Distribution> {
    let mut s = t.trim().to_owned();
    for unit in ["дней", "дня", "дн.", "дн", "days", "day", "d"] {
        if let Some(r) = s.strip_suffix(unit) {
            s = r.trim().to_owned();
            break;
        }
    }
    let parts: Vec<f64> = s
        .split("..")
        .map(|p| p.trim().replace(',', ".").parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()?;
    if parts.iter().any(|x| !x.is_finite() || *x < 0.0) {
        return None;
    }
    match parts[..] {
        [v] => Some(Distribution::Fixed { value: v }),
        [min, max] if min <= max => Some(Distribution::Uniform { min, max }),
        [min, mode, max] if min <= mode && mode <= max => Some(Distribution::Triangular { min, mode, max }),
        _ => None,
    }
}

/// Reads a scenario written for `model`. `default_name` names it when the file does not.
pub fn parse(
    text: &str,
    model: &Model,
    lang: Lang,
    default_name: &str,
) -> Result<Scenario, Vec<ScenarioError>> {
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::PassThrough,
    };
    let lines: Vec<&str> = text.lines().collect();
    let root: Spanned<Node> = match serde_saphyr::from_str_with_options(text, options) {
        Ok(r) => r,
        Err(e) => {
            let loc = e.location();
            let (line, column) = loc.map_or((0, 0), |l| (l.line(), l.column()));
            let source_line = lines
                .get(line.saturating_sub(1) as usize)
                .map_or(String::new(), |s| (*s).to_owned());
            let first = e.to_string().lines().next().unwrap_or_default().to_owned();
            return Err(vec![ScenarioError {
                line,
                column,
                width: 1,
                message: format!(
                    "{}: {first}",
                    lang.pick("не удалось разобрать YAML", "invalid YAML")
                ),
                hint: None,
                source_line,
            }]);
        }
    };
    let mut cx = Cx {
        lines,
        model,
        lang,
        errors: Vec::new(),
    };
    let mut scenario = Scenario {
        name: default_name.to_owned(),
        changes: Vec::new(),
    };
    if matches!(root.value, Node::Other("null")) {
        return Ok(scenario);
    }
    let top = cx.map(&root, lang.pick("сценарий", "scenario"));
    let canon = |table: &'static [(&'static str, &'static [&'static str])]| {
        move |k: &str| {
            table
                .iter()
                .find(|(ru, en)| *ru == k || en.contains(&k))
                .map_or(k.to_owned(), |(ru, _)| (*ru).to_owned())
        }
    };
    cx.duplicates(top, canon(TOP));
    for (k, v) in top {
        let Some(section) = cx.key(k, TOP, lang.pick("верхнего уровня", "the top level"))
        else {
            continue;
        };
        match section {
            "название" => match &v.value {
                Node::Text(t) => scenario.name = t.clone(),
                Node::Number(x) => scenario.name = x.to_string(),
                _ => cx.error(
                    v,
                    1,
                    lang.pick("название: ожидался текст", "name: expected text")
                        .into(),
                    None,
                ),
            },
            "описание" => {}
            "роли" => {
                let entries = cx.map(v, section);
                cx.duplicates(entries, str::to_owned);
                for (name, body) in entries {
                    let role = cx.role(name);
                    let fields = cx.map(body, &name.value.0);
                    cx.duplicates(fields, canon(ROLE));
                    for (fk, fv) in fields {
                        let Some(_) = cx.key(fk, ROLE, lang.pick("роли", "a role")) else {
                            continue;
                        };
                        let x = match &fv.value {
                            Node::Number(x) => Some(*x),
                            Node::Text(t) => t.trim().parse::<f64>().ok(),
                            _ => None,
                        };
                        match x {
                            Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= 1e6 => {
                                if let Some(role) = &role {
                                    scenario.changes.push(Change {
                                        param: Param::Headcount { role: role.clone() },
                                        value: Value::Number(x),
                                    });
                                }
                            }
                            _ => {
                                let msg = match lang {
                                    Lang::Ru => {
                                        "штат: ожидалось целое неотрицательное число человек".to_owned()
                                    }
                                    Lang::En => "headcount: expected a whole number of people, not negative"
                                        .to_owned(),
                                };
                                cx.error(
                                    fv,
                                    width(fv),
                                    msg,
                                    Some(lang.pick("например: штат: 5", "e.g. headcount: 5").into()),
                                );
                            }
                        }
                    }
                }
            }
            "этапы" => {
                let entries = cx.map(v, section);
                cx.duplicates(entries, str::to_owned);
                for (name, body) in entries {
                    let stage = cx.stage(name);
                    let fields = cx.map(body, &name.value.0);
                    cx.duplicates(fields, canon(STAGE));
                    for (fk, fv) in fields {
                        let Some(key) = cx.key(fk, STAGE, lang.pick("этапа", "a stage")) else {
                            continue;
                        };
                        let value = match key {
                            "конверсия" => {
                                let share = match &fv.value {
                                    Node::Number(x) => parse_share(&x.to_string()),
                                    Node::Text(t) => parse_share(t),
                                    _ => Err(()),
                                };
                                match share {
                                    Ok(p) => Some(Value::Number(p)),
                                    Err(()) => {
                                        let msg = lang
                                            .pick(
                                                "конверсия: ожидалась доля от 0 до 100%",
                                                "conversion: expected a share from 0 to 100%",
                                            )
                                            .to_owned();
                                        let hint =
                                            lang.pick("пишите 60% или 0.6", "write 60% or 0.6").to_owned();
                                        cx.error(fv, width(fv), msg, Some(hint));
                                        None
                                    }
                                }
                            }
                            _ => {
                                let d = match &fv.value {
                                    Node::Number(x) if *x >= 0.0 => Some(Distribution::Fixed { value: *x }),
                                    Node::Text(t) => parse_days(t),
                                    _ => None,
                                };
                                if d.is_none() {
                                    let msg = lang
                                        .pick(
                                            "длительность: ожидались дни, например \"3 дн\" или \"5..10 дн\"",
                                            "duration: expected days, e.g. \"3 d\" or \"5..10 d\"",
                                        )
                                        .to_owned();
                                    cx.error(fv, width(fv), msg, None);
                                }
                                d.map(Value::Dist)
                            }
                        };
                        if let (Some((pipeline, stage)), Some(value)) = (&stage, value) {
                            let (pipeline, stage) = (pipeline.clone(), stage.clone());
                            let param = if key == "конверсия" {
                                Param::Conversion { pipeline, stage }
                            } else {
                                Param::Duration { pipeline, stage }
                            };
                            scenario.changes.push(Change { param, value });
                        }
                    }
                }
            }
            "каналы" => {
                let entries = cx.map(v, section);
                cx.duplicates(entries, str::to_owned);
                for (name, body) in entries {
                    let channel = cx.channel(name);
                    let fields = cx.map(body, &name.value.0);
                    cx.duplicates(fields, canon(CHANNEL));
                    for (fk, fv) in fields {
                        let Some(key) = cx.key(fk, CHANNEL, lang.pick("канала", "a channel")) else {
                            continue;
                        };
                        let x = cx.money(fv, key);
                        if let (Some(channel), Some(x)) = (&channel, x) {
                            let channel = channel.clone();
                            let param = if key == "лиды" {
                                Param::Leads { channel }
                            } else {
                                Param::LeadCost { channel }
                            };
                            scenario.changes.push(Change {
                                param,
                                value: Value::Number(x),
                            });
                        }
                    }
                }
            }
            "воронки" => {
                let entries = cx.map(v, section);
                cx.duplicates(entries, str::to_owned);
                for (name, body) in entries {
                    let pipeline = cx.pipeline(name);
                    let fields = cx.map(body, &name.value.0);
                    cx.duplicates(fields, canon(PIPELINE));
                    for (fk, fv) in fields {
                        let Some(key) = cx.key(fk, PIPELINE, lang.pick("воронки", "a pipeline"))
                        else {
                            continue;
                        };
                        // A range `300000..500000` is uniform; one number is fixed.
                        let value = match &fv.value {
                            Node::Text(t) if t.contains("..") => {
                                let parts: Option<Vec<f64>> = t.split("..").map(parse_money).collect();
                                match parts.as_deref() {
                                    Some(&[min, max]) if 0.0 <= min && min <= max => {
                                        Some(Value::Dist(Distribution::Uniform { min, max }))
                                    }
                                    _ => {
                                        cx.error(
                                            fv,
                                            width(fv),
                                            format!(
                                                "{key}: {}",
                                                lang.pick(
                                                    "ожидался диапазон «мин..макс»",
                                                    "expected a range `min..max`"
                                                )
                                            ),
                                            None,
                                        );
                                        None
                                    }
                                }
                            }
                            _ => cx
                                .money(fv, key)
                                .map(|x| Value::Dist(Distribution::Fixed { value: x })),
                        };
                        if let (Some(pipeline), Some(value)) = (&pipeline, value) {
                            scenario.changes.push(Change {
                                param: Param::DealSize {
                                    pipeline: pipeline.clone(),
                                },
                                value,
                            });
                        }
                    }
                }
            }
            _ => {
                // план
                if model.plan.is_none() {
                    let msg = lang
                        .pick(
                            "в положении нет плана, менять нечего",
                            "the regulation has no plan to change",
                        )
                        .to_owned();
                    cx.error(k, k.value.0.chars().count(), msg, None);
                    continue;
                }
                let fields = cx.map(v, section);
                cx.duplicates(fields, canon(PLAN));
                for (fk, fv) in fields {
                    let Some(key) = cx.key(fk, PLAN, lang.pick("плана", "the plan")) else {
                        continue;
                    };
                    let metric = match key {
                        "выручка" => PlanMetric::Revenue,
                        "сделки" => PlanMetric::Deals,
                        _ => PlanMetric::NewClients,
                    };
                    if let Some(x) = cx.money(fv, key) {
                        scenario.changes.push(Change {
                            param: Param::Plan { metric },
                            value: Value::Number(x),
                        });
                    }
                }
            }
        }
    }
    if cx.errors.is_empty() {
        Ok(scenario)
    } else {
        cx.errors.sort_by_key(|e| (e.line, e.column));
        Err(cx.errors)
    }
}

/// Parses a parameter path for `sweep`: `Менеджер.штат`, `Сайт.лиды`, `Продажа.КП.конверсия`,
/// `Продажа.чек`. The error is a message for the user.
pub fn parse_param(model: &Model, path: &str, lang: Lang) -> Result<Param, String> {
    let path = path.trim();
    let Some((head, field)) = path.rsplit_once('.') else {
        return Err(match lang {
            Lang::Ru => format!("«{path}»: ожидалось Роль.штат, Канал.лиды или Воронка.Этап.конверсия"),
            Lang::En => {
                format!("`{path}`: expected Role.headcount, Channel.leads or Pipeline.Stage.conversion")
            }
        });
    };
    let is = |table: &[(&str, &[&str])], ru: &str| {
        table
            .iter()
            .any(|(r, en)| *r == ru && (field == *r || en.contains(&field)))
    };
    let role = model.roles.iter().find(|r| r.name == head);
    let channel = model.channels.iter().find(|c| c.name == head);
    let pipeline = model.pipelines.iter().find(|p| p.name == head);
    if let Some(r) = role.filter(|_| is(ROLE, "штат")) {
        return Ok(Param::Headcount { role: r.name.clone() });
    }
    if let Some(c) = channel {
        if is(CHANNEL, "лиды") {
            return Ok(Param::Leads {
                channel: c.name.clone(),
            });
        }
        if is(CHANNEL, "стоимость_лида") {
            return Ok(Param::LeadCost {
                channel: c.name.clone(),
            });
        }
    }
    if let Some(p) = pipeline.filter(|_| is(PIPELINE, "чек")) {
        return Ok(Param::DealSize {
            pipeline: p.name.clone(),
        });
    }
    if let Some((pipeline, stage)) = resolve_stage(model, head) {
        if is(STAGE, "конверсия") {
            return Ok(Param::Conversion { pipeline, stage });
        }
        if is(STAGE, "длительность") {
            return Ok(Param::Duration { pipeline, stage });
        }
    }
    let mut known: Vec<String> = Vec::new();
    known.extend(model.roles.iter().map(|r| format!("{}.штат", r.name)));
    known.extend(model.channels.iter().map(|c| format!("{}.лиды", c.name)));
    for p in &model.pipelines {
        known.extend(
            p.stages
                .iter()
                .map(|s| format!("{}.{}.конверсия", p.name, s.name)),
        );
    }
    let hint = suggest(path, known.iter().map(String::as_str))
        .map(|s| {
            format!(
                "; {} «{s}»",
                lang.pick("возможно, имелось в виду", "did you mean")
            )
        })
        .unwrap_or_default();
    Err(match lang {
        Lang::Ru => format!("параметр «{path}» не найден в положении{hint}"),
        Lang::En => format!("parameter `{path}` is not in the regulation{hint}"),
    })
}
