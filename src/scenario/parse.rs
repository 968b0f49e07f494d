//! Reads a scenario from YAML. The text is first read into the spanned tree of
//! [`crate::datafile`], so that every error — an unknown role, key or stage, a duplicate key, a
//! value out of range — is a diagnostic (E0070–E0078) at its line and column; then the tree is
//! checked against the model, reporting every error in one pass. The values written as text
//! are read in [`super::values`].

use super::values::{Bad, days_number, parse_days, parse_money, parse_money_dist, parse_scale, parse_share};
use super::{Change, Param, Scenario, Value};
use crate::datafile::{self, Located, Value as Yaml, forbidden_char, in_range};
use crate::diag::kind::DataError;
use crate::diag::{Diagnostic, Lang, Msg, suggest};
use crate::model::{Distribution, Model, PlanMetric};
use crate::source::{FileId, Span};
use serde_saphyr::Spanned;

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
const ROLE: &[(&str, &[&str])] = &[("штат", &["headcount"]), ("найм", &["hire"])];
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

/// One entry of a mapping: the key as text and where it is written, and the value.
struct Entry<'n> {
    key: String,
    at: Span,
    line: u64,
    value: &'n Spanned<Yaml>,
}

struct Cx<'a> {
    file: Located<'a>,
    model: &'a Model,
    errors: Vec<Diagnostic>,
}

fn did_you_mean(s: Option<String>) -> Option<Msg> {
    s.map(|s| {
        Msg::new(
            format!("возможно, имелось в виду «{s}»"),
            format!("did you mean «{s}»"),
        )
    })
}

fn canon(table: &'static [(&'static str, &'static [&'static str])]) -> impl Fn(&str) -> String {
    move |k: &str| {
        table
            .iter()
            .find(|(ru, en)| *ru == k || en.contains(&k))
            .map_or(k.to_owned(), |(ru, _)| (*ru).to_owned())
    }
}

impl Cx<'_> {
    fn error(&mut self, error: DataError, at: Span, message: Msg, help: Option<Msg>) {
        self.errors.push(self.file.error(error, at, message, help));
    }

    /// Where a value is written.
    fn at(&self, v: &Spanned<Yaml>) -> Span {
        self.file.scalar(v)
    }

    /// Resolves a key against a table of spellings; reports an unknown key.
    fn key(&mut self, k: &Entry, table: &[(&'static str, &[&str])], what: Msg) -> Option<&'static str> {
        let name = k.key.trim();
        for (ru, en) in table {
            if *ru == name || en.contains(&name) {
                return Some(ru);
            }
        }
        let all = table
            .iter()
            .flat_map(|(ru, en)| std::iter::once(*ru).chain(en.iter().copied()));
        let hint = did_you_mean(suggest(name, all)).or_else(|| {
            let list: Vec<&str> = table.iter().map(|(ru, _)| *ru).collect();
            Some(Msg::new(
                format!("допустимые ключи: {}", list.join(", ")),
                format!("known keys: {}", list.join(", ")),
            ))
        });
        let msg = Msg::new(
            format!("неизвестный ключ «{name}» в разделе {}", what.ru),
            format!("unknown key `{name}` in {}", what.en),
        );
        self.error(DataError::UnknownKey, k.at, msg, hint);
        None
    }

    /// The entries of a map node, or an error.
    fn map<'n>(&mut self, n: &'n Spanned<Yaml>, what: &Msg) -> Vec<Entry<'n>> {
        match &n.value {
            Yaml::Map(m) => {
                let mut out = Vec::new();
                for (k, v) in m {
                    let at = self.at(k);
                    match k.value.scalar_text() {
                        Some(key) => out.push(Entry {
                            key,
                            at,
                            line: k.referenced.line(),
                            value: v,
                        }),
                        None => self.error(
                            DataError::WrongValue,
                            at,
                            Msg::new("ожидался ключ-строка", "expected a text key"),
                            None,
                        ),
                    }
                }
                out
            }
            _ => {
                let msg = Msg::new(
                    format!("{}: ожидался словарь вида «ключ: значение»", what.ru),
                    format!("{}: expected a mapping `key: value`", what.en),
                );
                let at = self.at(n);
                self.error(DataError::WrongValue, at, msg, None);
                Vec::new()
            }
        }
    }

    /// Reports a repeated key (YAML forbids them; a typo-free file has none).
    fn duplicates(&mut self, entries: &[Entry], canon: impl Fn(&str) -> String) {
        let mut seen: Vec<(String, u64)> = Vec::new();
        for k in entries {
            let c = canon(k.key.trim());
            if let Some((_, line)) = seen.iter().find(|(s, _)| *s == c) {
                let msg = Msg::new(
                    format!("ключ «{}» повторяется (уже был в строке {line})", k.key),
                    format!("duplicate key `{}` (already on line {line})", k.key),
                );
                let hint = Some(Msg::new("оставьте один из них", "keep only one of them"));
                self.error(DataError::DuplicateKey, k.at, msg, hint);
            } else {
                seen.push((c, k.line));
            }
        }
    }

    fn unknown_name(&mut self, k: &Entry, kind: Msg, known: Vec<String>) {
        let name = k.key.trim();
        let hint = did_you_mean(suggest(name, known.iter().map(String::as_str)));
        let msg = Msg::new(
            format!("{} «{name}» не найдена в положении", kind.ru),
            format!("{} `{name}` is not in the regulation", kind.en),
        );
        self.error(DataError::UnknownName, k.at, msg, hint);
    }

    fn role(&mut self, k: &Entry) -> Option<String> {
        let name = k.key.trim();
        if self.model.roles.iter().any(|r| r.name == name) {
            return Some(name.to_owned());
        }
        let known = self.model.roles.iter().map(|r| r.name.clone()).collect();
        self.unknown_name(k, Msg::new("роль", "role"), known);
        None
    }

    fn channel(&mut self, k: &Entry) -> Option<String> {
        let name = k.key.trim();
        if self.model.channels.iter().any(|c| c.name == name) {
            return Some(name.to_owned());
        }
        let known = self.model.channels.iter().map(|c| c.name.clone()).collect();
        self.unknown_name(k, Msg::new("канал", "channel"), known);
        None
    }

    fn pipeline(&mut self, k: &Entry) -> Option<String> {
        let name = k.key.trim();
        if self.model.pipelines.iter().any(|p| p.name == name) {
            return Some(name.to_owned());
        }
        let known = self.model.pipelines.iter().map(|p| p.name.clone()).collect();
        self.unknown_name(k, Msg::new("воронка", "pipeline"), known);
        None
    }

    fn stage(&mut self, k: &Entry) -> Option<(String, String)> {
        let name = k.key.trim();
        if let Some(found) = resolve_stage(self.model, name) {
            return Some(found);
        }
        let known: Vec<String> = self
            .model
            .pipelines
            .iter()
            .flat_map(|p| p.stages.iter().map(move |s| format!("{}.{}", p.name, s.name)))
            .collect();
        let hint = did_you_mean(suggest(name, known.iter().map(String::as_str)));
        let msg = Msg::new(
            format!("этап «{name}» не найден в положении (пишите Воронка.Этап)"),
            format!("stage `{name}` is not in the regulation (write Pipeline.Stage)"),
        );
        self.error(DataError::UnknownName, k.at, msg, hint);
        None
    }

    /// A number (possibly written with spaces, `₽`, `тыс`, `млн`) in the language's range, or
    /// an error.
    fn money(&mut self, n: &Spanned<Yaml>, what: &str) -> Option<f64> {
        let x = match &n.value {
            Yaml::Number(x) => Some(*x),
            Yaml::Text(t) => parse_money(t),
            _ => None,
        };
        let at = self.at(n);
        match x {
            Some(x) if x >= 0.0 && in_range(x) => Some(x),
            Some(x) if x < 0.0 => {
                let msg = Msg::new(
                    format!("{what}: значение не может быть отрицательным"),
                    format!("{what}: the value cannot be negative"),
                );
                self.error(DataError::OutOfRange, at, msg, None);
                None
            }
            Some(_) => {
                let d = datafile::out_of_range(&self.file, at, &Msg::new(what, what));
                self.errors.push(d);
                None
            }
            None => {
                let msg = Msg::new(
                    format!("{what}: ожидалось число"),
                    format!("{what}: expected a number"),
                );
                let hint = Some(Msg::new(
                    "например 120 или \"400 000 ₽\"",
                    "e.g. 120 or \"400 000\"",
                ));
                self.error(DataError::WrongValue, at, msg, hint);
                None
            }
        }
    }

    /// E0077 for every key and text holding a control or bidi character.
    fn forbidden(&mut self, n: &Spanned<Yaml>) {
        match &n.value {
            Yaml::Text(t) => {
                if let Some(c) = forbidden_char(t) {
                    let d = datafile::forbidden(&self.file, self.at(n), c);
                    self.errors.push(d);
                }
            }
            Yaml::Map(entries) => {
                for (k, v) in entries {
                    self.forbidden(k);
                    self.forbidden(v);
                }
            }
            Yaml::List(items) => items.iter().for_each(|v| self.forbidden(v)),
            _ => {}
        }
    }
}

/// Reads a scenario written for `model`, from the text of `file` (its id in the caller's
/// source map, for the spans of the diagnostics). `default_name` names it when the file does
/// not.
pub fn parse(
    text: &str,
    file: FileId,
    model: &Model,
    default_name: &str,
) -> Result<Scenario, Vec<Diagnostic>> {
    let located = Located::new(file, text);
    let root = datafile::read_yaml(
        &located,
        Msg::new(
            "сценарий — словарь разделов: `роли:`, `этапы:`, `каналы:`, `воронки:`, `план:`",
            "a scenario is a mapping of sections: `roles:`, `stages:`, `channels:`, `pipelines:`, `plan:`",
        ),
    )?;
    let mut cx = Cx {
        file: located,
        model,
        errors: Vec::new(),
    };
    let mut scenario = Scenario {
        name: default_name.to_owned(),
        changes: Vec::new(),
    };
    if matches!(root.value, Yaml::Null) {
        return Ok(scenario);
    }
    // Text with a control or bidi character is refused before anything is read from it: it
    // must not reach the terminal, a document or a report.
    cx.forbidden(&root);
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let top = cx.map(&root, &Msg::new("сценарий", "scenario"));
    cx.duplicates(&top, canon(TOP));
    for entry in &top {
        let Some(section) = cx.key(entry, TOP, Msg::new("верхнего уровня", "the top level"))
        else {
            continue;
        };
        let v = entry.value;
        match section {
            "название" => match &v.value {
                Yaml::Text(t) => scenario.name = t.clone(),
                Yaml::Number(x) => scenario.name = x.to_string(),
                _ => {
                    let at = cx.at(v);
                    cx.error(
                        DataError::WrongValue,
                        at,
                        Msg::new("название: ожидался текст", "name: expected text"),
                        None,
                    );
                }
            },
            "описание" => {}
            "роли" => roles(&mut cx, v, &mut scenario),
            "этапы" => stages(&mut cx, v, &mut scenario),
            "каналы" => channels(&mut cx, v, &mut scenario),
            "воронки" => pipelines(&mut cx, v, &mut scenario),
            _ => plan(&mut cx, entry, &mut scenario),
        }
    }
    if cx.errors.is_empty() {
        Ok(scenario)
    } else {
        cx.errors.sort_by_key(|d| d.span().map(|s| s.start));
        Err(cx.errors)
    }
}

fn roles(cx: &mut Cx, v: &Spanned<Yaml>, scenario: &mut Scenario) {
    let entries = cx.map(v, &Msg::new("роли", "roles"));
    cx.duplicates(&entries, str::to_owned);
    for e in &entries {
        let role = cx.role(e);
        let fields = cx.map(e.value, &Msg::new(e.key.clone(), e.key.clone()));
        cx.duplicates(&fields, canon(ROLE));
        for f in &fields {
            let Some(key) = cx.key(f, ROLE, Msg::new("роли", "a role")) else {
                continue;
            };
            let fv = f.value;
            if key == "найм" {
                hire(cx, fv, role.as_deref(), scenario);
                continue;
            }
            let x = match &fv.value {
                Yaml::Number(x) => Some(*x),
                Yaml::Text(t) => t.trim().parse::<f64>().ok(),
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
                    let msg = Msg::new(
                        "штат: ожидалось целое неотрицательное число человек",
                        "headcount: expected a whole number of people, not negative",
                    );
                    let error = if x.is_some() {
                        DataError::OutOfRange
                    } else {
                        DataError::WrongValue
                    };
                    let at = cx.at(fv);
                    cx.error(
                        error,
                        at,
                        msg,
                        Some(Msg::new("например: штат: 5", "e.g. headcount: 5")),
                    );
                }
            }
        }
    }
}

/// `найм: "2 с 4 мес"`: two people join from the 4th month of the horizon.
fn hire(cx: &mut Cx, fv: &Spanned<Yaml>, role: Option<&str>, scenario: &mut Scenario) {
    let parsed = match &fv.value {
        Yaml::Text(t) => parse_hire(t),
        _ => None,
    };
    match parsed {
        Some((count, month)) => {
            if let Some(role) = role {
                scenario.changes.push(Change {
                    param: Param::Hire {
                        role: role.to_owned(),
                        month,
                    },
                    value: Value::Number(f64::from(count)),
                });
            }
        }
        None => {
            let at = cx.at(fv);
            cx.error(
                DataError::WrongValue,
                at,
                Msg::new(
                    "найм: ожидалось «N с M мес» — сколько человек и с какого месяца горизонта",
                    "hire: expected `N from M months` — how many people, from which month of the horizon",
                ),
                Some(Msg::new(
                    "например: найм: \"2 с 4 мес\"",
                    "e.g. hire: \"2 from 4 months\"",
                )),
            );
        }
    }
}

/// `2 с 4 мес`, `2 from 4 months` → (2, 4): whole people ≥ 1, a month from 1 to 1200.
fn parse_hire(t: &str) -> Option<(u32, u32)> {
    let t = t.trim();
    let (count, month) = t.split_once(" с ").or_else(|| t.split_once(" from "))?;
    let month = month
        .trim()
        .trim_end_matches("месяца")
        .trim_end_matches("мес.")
        .trim_end_matches("мес")
        .trim_end_matches("months")
        .trim_end_matches("month")
        .trim();
    let count: u32 = count.trim().parse().ok()?;
    let month: u32 = month.parse().ok()?;
    ((1..=1_000_000).contains(&count) && (1..=1200).contains(&month)).then_some((count, month))
}

fn stages(cx: &mut Cx, v: &Spanned<Yaml>, scenario: &mut Scenario) {
    let entries = cx.map(v, &Msg::new("этапы", "stages"));
    cx.duplicates(&entries, str::to_owned);
    for e in &entries {
        let stage = cx.stage(e);
        let fields = cx.map(e.value, &Msg::new(e.key.clone(), e.key.clone()));
        cx.duplicates(&fields, canon(STAGE));
        for f in &fields {
            let Some(key) = cx.key(f, STAGE, Msg::new("этапа", "a stage")) else {
                continue;
            };
            let fv = f.value;
            let at = cx.at(fv);
            let value = if key == "конверсия" {
                let share = match &fv.value {
                    Yaml::Number(x) => parse_share(&x.to_string()),
                    Yaml::Text(t) => parse_share(t),
                    _ => Err(Bad::Shape),
                };
                match share {
                    Ok(p) => Some(Value::Number(p)),
                    Err(bad) => {
                        let msg = Msg::new(
                            "конверсия: ожидалась доля от 0 до 100%",
                            "conversion: expected a share from 0 to 100%",
                        );
                        let hint = Msg::new("пишите 60% или 0.6", "write 60% or 0.6");
                        cx.error(data_error(bad), at, msg, Some(hint));
                        None
                    }
                }
            } else {
                let d = match &fv.value {
                    Yaml::Number(x) => days_number(*x).map(Value::Dist),
                    Yaml::Text(t) => match parse_scale(t) {
                        Some(k) => k.map(Value::Scale),
                        None => parse_days(t).map(Value::Dist),
                    },
                    _ => Err(Bad::Shape),
                };
                match d {
                    Ok(v) => Some(v),
                    Err(Bad::Range) => {
                        let d = datafile::out_of_range(&cx.file, at, &Msg::new("длительность", "duration"));
                        cx.errors.push(d);
                        None
                    }
                    Err(Bad::Shape) => {
                        let msg = Msg::new(
                            "длительность: ожидались дни, например \"3 дн\", \"5..10 дн\" или \"×1.2\" (в 1,2 раза дольше записанной)",
                            "duration: expected days, e.g. \"3 d\", \"5..10 d\" or \"×1.2\" (1.2 times the regulation's)",
                        );
                        cx.error(DataError::WrongValue, at, msg, None);
                        None
                    }
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

fn data_error(bad: Bad) -> DataError {
    match bad {
        Bad::Shape => DataError::WrongValue,
        Bad::Range => DataError::OutOfRange,
    }
}

fn channels(cx: &mut Cx, v: &Spanned<Yaml>, scenario: &mut Scenario) {
    let entries = cx.map(v, &Msg::new("каналы", "channels"));
    cx.duplicates(&entries, str::to_owned);
    for e in &entries {
        let channel = cx.channel(e);
        let fields = cx.map(e.value, &Msg::new(e.key.clone(), e.key.clone()));
        cx.duplicates(&fields, canon(CHANNEL));
        for f in &fields {
            let Some(key) = cx.key(f, CHANNEL, Msg::new("канала", "a channel")) else {
                continue;
            };
            let x = cx.money(f.value, key);
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

fn pipelines(cx: &mut Cx, v: &Spanned<Yaml>, scenario: &mut Scenario) {
    let entries = cx.map(v, &Msg::new("воронки", "pipelines"));
    cx.duplicates(&entries, str::to_owned);
    for e in &entries {
        let pipeline = cx.pipeline(e);
        let fields = cx.map(e.value, &Msg::new(e.key.clone(), e.key.clone()));
        cx.duplicates(&fields, canon(PIPELINE));
        for f in &fields {
            let Some(key) = cx.key(f, PIPELINE, Msg::new("воронки", "a pipeline")) else {
                continue;
            };
            let fv = f.value;
            // A range `300000..500000` is uniform; one number is fixed.
            let value = match &fv.value {
                Yaml::Text(t) if parse_scale(t).is_some() => match parse_scale(t) {
                    Some(Ok(k)) => Some(Value::Scale(k)),
                    _ => {
                        let d = datafile::out_of_range(&cx.file, cx.at(fv), &Msg::new(key, key));
                        cx.errors.push(d);
                        None
                    }
                },
                Yaml::Text(t) if parse_money_dist(t).is_some() => {
                    let at = cx.at(fv);
                    match parse_money_dist(t) {
                        Some(Ok(d)) => Some(Value::Dist(d)),
                        Some(Err(Bad::Range)) => {
                            let d = datafile::out_of_range(&cx.file, at, &Msg::new(key, key));
                            cx.errors.push(d);
                            None
                        }
                        _ => {
                            cx.error(
                                DataError::WrongValue,
                                at,
                                Msg::new(
                                    format!("{key}: распределение записано с ошибкой"),
                                    format!("{key}: the distribution is miswritten"),
                                ),
                                Some(Msg::new(
                                    "например: чек: \"треуг(80 000, 130 000, 300 000)\" или \"логнорм(350 000, 180 000)\"",
                                    "e.g. deal_size: \"tri(80000, 130000, 300000)\" or \"lognormal(350000, 180000)\"",
                                )),
                            );
                            None
                        }
                    }
                }
                Yaml::Text(t) if t.contains("..") => {
                    let parts: Option<Vec<f64>> = t.split("..").map(parse_money).collect();
                    let at = cx.at(fv);
                    match parts.as_deref() {
                        Some(&[min, max]) if 0.0 <= min && min <= max && in_range(max) => {
                            Some(Value::Dist(Distribution::Uniform { min, max }))
                        }
                        Some(&[min, max]) if !in_range(min) || !in_range(max) => {
                            let d = datafile::out_of_range(&cx.file, at, &Msg::new(key, key));
                            cx.errors.push(d);
                            None
                        }
                        _ => {
                            cx.error(
                                DataError::WrongValue,
                                at,
                                Msg::new(
                                    format!("{key}: ожидался диапазон «мин..макс»"),
                                    format!("{key}: expected a range `min..max`"),
                                ),
                                Some(Msg::new(
                                    "например: чек: \"300 000..500 000\"",
                                    "e.g. deal_size: \"300000..500000\"",
                                )),
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

fn plan(cx: &mut Cx, entry: &Entry, scenario: &mut Scenario) {
    if cx.model.plan.is_none() {
        let msg = Msg::new(
            "в положении нет плана, менять нечего",
            "the regulation has no plan to change",
        );
        let hint = Msg::new(
            "удалите раздел `план:` или добавьте план в положение",
            "remove the `plan:` section or add a plan to the regulation",
        );
        cx.error(DataError::NotApplicable, entry.at, msg, Some(hint));
        return;
    }
    let fields = cx.map(entry.value, &Msg::new("план", "plan"));
    cx.duplicates(&fields, canon(PLAN));
    for f in &fields {
        let Some(key) = cx.key(f, PLAN, Msg::new("плана", "the plan")) else {
            continue;
        };
        let metric = match key {
            "выручка" => PlanMetric::Revenue,
            "сделки" => PlanMetric::Deals,
            _ => PlanMetric::NewClients,
        };
        if let Some(x) = cx.money(f.value, key) {
            scenario.changes.push(Change {
                param: Param::Plan { metric },
                value: Value::Number(x),
            });
        }
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
