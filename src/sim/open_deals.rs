//! Reads today's open deals (`--open-deals FILE`) from CSV or YAML and checks every row against
//! the model: the pipeline and stage exist, days and amount are non-negative numbers, the owner
//! role exists and works the stage. Every bad row is reported in one pass, at its line and
//! column, with the offending text and a hint.
//!
//! Columns (Russian names, English aliases; case, `ё`/`е`, spaces and `-`/`_` do not matter):
//! `воронка` (pipeline), `этап` (stage), `дней_на_этапе` (days_in_stage, `дней`, `days`),
//! `сумма` (amount; may be empty — then the pipeline's `чек`), `ответственный` (owner, `роль`,
//! `role`; may be empty — then the stage's owner). CSV is read with the `csv` crate; the
//! delimiter is `;` when the header has more `;` than `,` (a spreadsheet's Russian export), a
//! tab when it has tabs, else `,`. YAML is a list of mappings with the same keys.
//!
//! Depends on `model`, `diag` and the located-error type of `scenario` (the same
//! `file:line:column` rendering as a scenario file); how the engine walks the deals is in
//! `engine/open.rs`.

use super::engine::Seed;
use crate::diag::{Lang, suggest};
use crate::model::Model;
use crate::scenario::ScenarioError;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::path::Path;

/// How the file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Yaml,
}

impl Format {
    /// YAML for `.yaml`/`.yml`, CSV otherwise.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_lowercase) {
            Some(e) if e == "yaml" || e == "yml" => Format::Yaml,
            _ => Format::Csv,
        }
    }
}

/// The columns, canonical Russian name first, then the accepted aliases.
const COLUMNS: [(&str, &[&str]); 5] = [
    ("воронка", &["pipeline"]),
    ("этап", &["stage"]),
    ("дней_на_этапе", &["дней", "дни", "days_in_stage", "days"]),
    ("сумма", &["amount", "чек", "deal_size"]),
    ("ответственный", &["роль", "owner", "role", "owner_role"]),
];
const PIPELINE: usize = 0;
const STAGE: usize = 1;
const DAYS: usize = 2;
const AMOUNT: usize = 3;
const ROLE: usize = 4;

fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace('ё', "е")
        .replace([' ', '-'], "_")
}

fn column_of(name: &str) -> Option<usize> {
    let n = normalise(name);
    COLUMNS
        .iter()
        .position(|(ru, en)| normalise(ru) == n || en.iter().any(|a| normalise(a) == n))
}

/// A cell's text and where it starts (1-based).
#[derive(Debug, Clone, Default)]
struct Cell {
    text: String,
    line: u64,
    column: u64,
}

/// One row: the cells by column (`None` when the column is absent), and where the row starts.
struct Row {
    cells: [Option<Cell>; 5],
    line: u64,
    column: u64,
}

struct Cx<'a> {
    lines: Vec<&'a str>,
    lang: Lang,
    errors: Vec<ScenarioError>,
}

impl Cx<'_> {
    fn error(&mut self, line: u64, column: u64, width: usize, message: String, hint: Option<String>) {
        let source_line = self
            .lines
            .get(line.saturating_sub(1) as usize)
            .map_or(String::new(), |s| (*s).to_owned());
        self.errors.push(ScenarioError {
            line,
            column,
            width,
            message,
            hint,
            source_line,
        });
    }

    fn at(&mut self, cell: &Cell, message: String, hint: Option<String>) {
        let width = cell.text.chars().count();
        self.error(cell.line, cell.column, width, message, hint);
    }

    fn did_you_mean<'n>(&self, name: &str, known: impl Iterator<Item = &'n str> + Clone) -> Option<String> {
        match suggest(name, known.clone()) {
            Some(s) => Some(format!(
                "{} «{s}»",
                self.lang.pick("возможно, имелось в виду", "did you mean")
            )),
            None => {
                let list: Vec<&str> = known.collect();
                (!list.is_empty())
                    .then(|| format!("{}: {}", self.lang.pick("известны", "known"), list.join(", ")))
            }
        }
    }

    /// A non-negative number: spaces between digit groups, a decimal comma and a trailing
    /// currency sign are allowed.
    fn number(&mut self, cell: &Cell, what_ru: &str, what_en: &str) -> Option<f64> {
        let t: String = cell
            .text
            .trim()
            .trim_end_matches(['₽', '$', '€'])
            .trim_end_matches("руб.")
            .trim_end_matches("руб")
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        match t.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
            Ok(x) if x < 0.0 => {
                let message = match self.lang {
                    Lang::Ru => format!("{what_ru} не может быть отрицательным: «{}»", cell.text),
                    Lang::En => format!("{what_en} cannot be negative: `{}`", cell.text),
                };
                self.at(
                    cell,
                    message,
                    Some(self.lang.pick("укажите 0 или больше", "write 0 or more").into()),
                );
                None
            }
            _ => {
                let message = match self.lang {
                    Lang::Ru => format!("{what_ru}: ожидалось число, получено «{}»", cell.text),
                    Lang::En => format!("{what_en}: expected a number, found `{}`", cell.text),
                };
                self.at(
                    cell,
                    message,
                    Some(
                        self.lang
                            .pick(
                                "число вроде 12, 12,5 или 150 000",
                                "a number such as 12, 12.5 or 150000",
                            )
                            .into(),
                    ),
                );
                None
            }
        }
    }
}

/// The roles that work a stage: its owner, its pipeline's owner and the owners of its contacts.
fn stage_roles(model: &Model, pi: usize, si: usize) -> Vec<&str> {
    let p = &model.pipelines[pi];
    let s = &p.stages[si];
    let mut out: Vec<&str> = Vec::new();
    let owner = s.owner.as_deref().or(p.owner.as_deref());
    for r in owner
        .into_iter()
        .chain(s.chain.iter().filter_map(|c| c.owner.as_deref()))
    {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Reads and checks the open deals; every error in one pass.
pub fn parse(text: &str, format: Format, model: &Model, lang: Lang) -> Result<Vec<Seed>, Vec<ScenarioError>> {
    let mut cx = Cx {
        lines: text.lines().collect(),
        lang,
        errors: Vec::new(),
    };
    let rows = match format {
        Format::Csv => csv_rows(text, &mut cx),
        Format::Yaml => yaml_rows(text, &mut cx),
    };
    let mut seeds = Vec::new();
    for row in &rows {
        // A missing column is reported at the row; the rest of the row is still checked.
        for (c, (ru, en)) in COLUMNS.iter().enumerate() {
            if row.cells[c].is_none() && matches!(c, PIPELINE | STAGE | DAYS) {
                let message = match lang {
                    Lang::Ru => format!("в строке нет столбца «{ru}»"),
                    Lang::En => format!("the row has no `{}` column", en[0]),
                };
                let hint = lang.pick(
                    "столбцы: воронка, этап, дней_на_этапе, сумма, ответственный",
                    "columns: pipeline, stage, days_in_stage, amount, owner",
                );
                cx.error(row.line, row.column, 1, message, Some(hint.into()));
            }
        }
        let pipeline = row.cells[PIPELINE].as_ref().and_then(|cell| {
            let name = cell.text.trim();
            let found = model.pipelines.iter().position(|p| p.name == name);
            if found.is_none() {
                let message = match lang {
                    Lang::Ru => format!("воронка «{name}» не найдена в положении"),
                    Lang::En => format!("pipeline `{name}` is not in the regulation"),
                };
                let hint = cx.did_you_mean(name, model.pipelines.iter().map(|p| p.name.as_str()));
                cx.at(cell, message, hint);
            }
            found
        });
        let stage = match (pipeline, row.cells[STAGE].as_ref()) {
            (Some(pi), Some(cell)) => {
                let name = cell.text.trim();
                let p = &model.pipelines[pi];
                let found = p.stages.iter().position(|s| s.name == name);
                if found.is_none() {
                    let message = match lang {
                        Lang::Ru => format!("в воронке «{}» нет этапа «{name}»", p.name),
                        Lang::En => format!("pipeline `{}` has no stage `{name}`", p.name),
                    };
                    let hint = cx.did_you_mean(name, p.stages.iter().map(|s| s.name.as_str()));
                    cx.at(cell, message, hint);
                }
                found.map(|si| (pi, si))
            }
            _ => None,
        };
        let days = row.cells[DAYS]
            .as_ref()
            .and_then(|c| cx.number(c, "дней на этапе", "days in stage"));
        let amount = match row.cells[AMOUNT].as_ref() {
            Some(c) if !c.text.trim().is_empty() => cx.number(c, "сумма", "amount").map(Some),
            _ => Some(None),
        };
        let role_ok = match row.cells[ROLE].as_ref() {
            Some(cell) if !cell.text.trim().is_empty() => {
                let name = cell.text.trim();
                if !model.roles.iter().any(|r| r.name == name) {
                    let message = match lang {
                        Lang::Ru => format!("роль «{name}» не найдена в положении"),
                        Lang::En => format!("role `{name}` is not in the regulation"),
                    };
                    let hint = cx.did_you_mean(name, model.roles.iter().map(|r| r.name.as_str()));
                    cx.at(cell, message, hint);
                    false
                } else if let Some((pi, si)) = stage {
                    let roles = stage_roles(model, pi, si);
                    let ok = roles.is_empty() || roles.contains(&name);
                    if !ok {
                        let stage_name = &model.pipelines[pi].stages[si].name;
                        let message = match lang {
                            Lang::Ru => format!("роль «{name}» не работает на этапе «{stage_name}»"),
                            Lang::En => format!("role `{name}` does not work stage `{stage_name}`"),
                        };
                        let hint = format!(
                            "{}: {}",
                            lang.pick("на этапе работают", "the stage is worked by"),
                            roles.join(", ")
                        );
                        cx.at(cell, message, Some(hint));
                    }
                    ok
                } else {
                    true
                }
            }
            _ => true,
        };
        if let (Some((pi, si)), Some(days), Some(amount), true) = (stage, days, amount, role_ok) {
            let flat: usize = model.pipelines[..pi].iter().map(|p| p.stages.len()).sum();
            seeds.push(Seed {
                stage: flat + si,
                days: days.floor() as usize,
                amount,
            });
        }
    }
    if cx.errors.is_empty() {
        Ok(seeds)
    } else {
        Err(cx.errors)
    }
}

/// Byte offsets where each field of a CSV line starts (quotes respected).
fn field_starts(line: &str, delimiter: u8) -> Vec<usize> {
    let mut starts = vec![0];
    let mut quoted = false;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            d if d == delimiter && !quoted => starts.push(i + 1),
            _ => {}
        }
    }
    starts
}

fn csv_rows(text: &str, cx: &mut Cx) -> Vec<Row> {
    let header = text.lines().next().unwrap_or("");
    let count = |c: char| header.matches(c).count();
    let delimiter = if count('\t') > 0 {
        b'\t'
    } else if count(';') > count(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            cx.error(1, 1, 1, e.to_string(), None);
            return Vec::new();
        }
    };
    let starts = field_starts(header, delimiter);
    let column_at = |line: u64, i: usize, cx: &Cx| -> u64 {
        let Some(src) = cx.lines.get(line.saturating_sub(1) as usize) else {
            return 1;
        };
        let starts = field_starts(src, delimiter);
        let byte = starts.get(i).copied().unwrap_or(src.len());
        src.get(..byte).map_or(1, |s| s.chars().count() as u64 + 1)
    };
    let mut by_column: [Option<usize>; 5] = [None; 5];
    for (i, name) in headers.iter().enumerate() {
        let col = header
            .get(..starts.get(i).copied().unwrap_or(0))
            .map_or(1, |s| s.chars().count() as u64 + 1);
        match column_of(name) {
            Some(c) if by_column[c].is_none() => by_column[c] = Some(i),
            Some(c) => {
                let message = match cx.lang {
                    Lang::Ru => format!("столбец «{}» указан дважды", COLUMNS[c].0),
                    Lang::En => format!("column `{}` appears twice", COLUMNS[c].1[0]),
                };
                cx.error(1, col, name.chars().count(), message, None);
            }
            None => {
                let message = match cx.lang {
                    Lang::Ru => format!("неизвестный столбец «{}»", name.trim()),
                    Lang::En => format!("unknown column `{}`", name.trim()),
                };
                let all = COLUMNS
                    .iter()
                    .flat_map(|(ru, en)| std::iter::once(*ru).chain(en.iter().copied()));
                let hint = cx.did_you_mean(name.trim(), all);
                cx.error(1, col, name.chars().count().max(1), message, hint);
            }
        }
    }
    for (c, (ru, en)) in COLUMNS.iter().enumerate() {
        if by_column[c].is_none() && matches!(c, PIPELINE | STAGE | DAYS | ROLE) {
            let message = match cx.lang {
                Lang::Ru => format!("в заголовке нет столбца «{ru}»"),
                Lang::En => format!("the header has no `{}` column", en[0]),
            };
            let hint = cx.lang.pick(
                "первая строка: воронка;этап;дней_на_этапе;сумма;ответственный",
                "first line: pipeline,stage,days_in_stage,amount,owner",
            );
            let width = header.chars().count();
            cx.error(1, 1, width, message, Some(hint.into()));
        }
    }
    if !cx.errors.is_empty() {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                cx.error(line, 1, 1, e.to_string(), None);
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            let src = cx
                .lines
                .get(line.saturating_sub(1) as usize)
                .copied()
                .unwrap_or("");
            let message = match cx.lang {
                Lang::Ru => format!(
                    "в строке {} из {} столбцов: «{}»",
                    record.len(),
                    headers.len(),
                    src.trim_end()
                ),
                Lang::En => format!(
                    "the row has {} of {} columns: `{}`",
                    record.len(),
                    headers.len(),
                    src.trim_end()
                ),
            };
            let delimiter = char::from(delimiter);
            let hint = match cx.lang {
                Lang::Ru => format!(
                    "нужны все столбцы заголовка через «{delimiter}»; пустую сумму или роль оставьте пустой ячейкой"
                ),
                Lang::En => format!(
                    "give every column of the header, separated by `{delimiter}`; leave an unknown amount or owner empty"
                ),
            };
            let column = src.chars().count() as u64 + 1;
            cx.error(line, column, 1, message, Some(hint));
            continue;
        }
        let mut cells: [Option<Cell>; 5] = Default::default();
        for (c, at) in by_column.iter().enumerate() {
            let Some(i) = *at else { continue };
            cells[c] = record.get(i).map(|text| Cell {
                text: text.to_owned(),
                line,
                column: column_at(line, i, cx),
            });
        }
        rows.push(Row {
            cells,
            line,
            column: 1,
        });
    }
    rows
}

/// A YAML scalar as text.
#[derive(Debug, Clone)]
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a text")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_owned())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scalar, E> {
                Err(E::custom("ожидалось число или текст, получено да/нет"))
            }
        }
        d.deserialize_any(V)
    }
}

/// One YAML row: its keys and values in order.
struct YamlRow(Vec<(Spanned<Scalar>, Spanned<Scalar>)>);

impl<'de> Deserialize<'de> for YamlRow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<YamlRow, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = YamlRow;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping: воронка, этап, дней_на_этапе, сумма, ответственный")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlRow, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<Scalar>>()? {
                    out.push((k, map.next_value::<Spanned<Scalar>>()?));
                }
                Ok(YamlRow(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<YamlRow, A::Error> {
                Err(de::Error::custom(
                    "ожидалась сделка (воронка, этап, дней_на_этапе, …), а не список",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

fn yaml_rows(text: &str, cx: &mut Cx) -> Vec<Row> {
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::PassThrough,
    };
    let parsed: Vec<Spanned<YamlRow>> = match serde_saphyr::from_str_with_options(text, options) {
        Ok(v) => v,
        Err(e) => {
            let loc = e.location();
            let (line, column) = loc.map_or((0, 0), |l| (l.line(), l.column()));
            let first = e.to_string().lines().next().unwrap_or_default().to_owned();
            let message = format!(
                "{}: {first}",
                cx.lang.pick("не удалось разобрать YAML", "invalid YAML")
            );
            let hint = cx.lang.pick(
                "файл — список сделок: `- воронка: Продажа` и т. д.",
                "the file is a list of deals: `- pipeline: Sales` and so on",
            );
            cx.error(line, column, 1, message, Some(hint.into()));
            return Vec::new();
        }
    };
    let mut rows = Vec::new();
    for row in parsed {
        let mut cells: [Option<Cell>; 5] = Default::default();
        for (k, v) in &row.value.0 {
            let name = k.value.0.clone().unwrap_or_default();
            let Some(c) = column_of(&name) else {
                let message = match cx.lang {
                    Lang::Ru => format!("неизвестный ключ «{name}»"),
                    Lang::En => format!("unknown key `{name}`"),
                };
                let all = COLUMNS
                    .iter()
                    .flat_map(|(ru, en)| std::iter::once(*ru).chain(en.iter().copied()));
                let hint = cx.did_you_mean(&name, all);
                let (line, column) = (k.referenced.line(), k.referenced.column());
                cx.error(line, column, name.chars().count(), message, hint);
                continue;
            };
            if cells[c].is_some() {
                let message = match cx.lang {
                    Lang::Ru => format!("ключ «{}» указан дважды", COLUMNS[c].0),
                    Lang::En => format!("key `{}` appears twice", COLUMNS[c].1[0]),
                };
                let (line, column) = (k.referenced.line(), k.referenced.column());
                cx.error(line, column, name.chars().count(), message, None);
                continue;
            }
            cells[c] = Some(Cell {
                text: v.value.0.clone().unwrap_or_default(),
                line: v.referenced.line(),
                column: v.referenced.column(),
            });
        }
        rows.push(Row {
            cells,
            line: row.referenced.line(),
            column: row.referenced.column(),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::{Format, parse};
    use crate::diag::Lang;
    use crate::sim::Params;
    use std::path::Path;

    fn model() -> crate::model::Model {
        crate::compile_str(
            Path::new("t.sales"),
            &std::fs::read_to_string("examples/agency.sales").expect("example"),
        )
        .model
        .expect("model")
    }

    #[test]
    fn rows_resolve_to_the_engine_stage_order() {
        let m = model();
        let params = Params::from_model(&m, None);
        let p = &m.pipelines[1];
        let s = &p.stages[0];
        let text = format!(
            "воронка;этап;дней_на_этапе;сумма;ответственный\n{};{};2,5;150 000;\n",
            p.name, s.name
        );
        let seeds = parse(&text, Format::Csv, &m, Lang::Ru).expect("a good file");
        assert_eq!(seeds.len(), 1);
        let st = &params.stages[seeds[0].stage];
        assert_eq!(
            (st.pipeline.as_str(), st.name.as_str()),
            (p.name.as_str(), s.name.as_str())
        );
        assert_eq!((seeds[0].days, seeds[0].amount), (2, Some(150_000.0)));
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::of(Path::new("a.YAML")), Format::Yaml);
        assert_eq!(Format::of(Path::new("a.yml")), Format::Yaml);
        assert_eq!(Format::of(Path::new("deals.csv")), Format::Csv);
    }
}
