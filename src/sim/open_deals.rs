//! Reads today's open deals (`--open-deals FILE`) from CSV or YAML and checks every row against
//! the model: the pipeline and stage exist, days and amount are non-negative numbers in the
//! language's range, the owner role exists and works the stage, no text holds a control or bidi
//! character. Every bad row is reported in one pass, as a diagnostic (E0070–E0078) at its line
//! and column, with the offending text and a hint.
//!
//! Columns (Russian names, English aliases; case, `ё`/`е`, spaces and `-`/`_` do not matter):
//! `воронка` (pipeline), `этап` (stage), `дней_на_этапе` (days_in_stage, `дней`, `days`),
//! `сумма` (amount; may be empty — then the pipeline's `чек`), `ответственный` (owner, `роль`,
//! `role`; may be empty — then the stage's owner). CSV is read with the `csv` crate; the
//! delimiter is `;` when the header has more `;` than `,` (a spreadsheet's Russian export), a
//! tab when it has tabs, else `,`. YAML is a list of mappings with the same keys, read into the
//! tree of [`crate::datafile`] that scenario files use too.
//!
//! Depends on `model`, `diag` and `datafile`; how the engine walks the deals is in
//! `engine/open.rs`.

use super::engine::Seed;
use crate::datafile::{self, Located, Value as Yaml, forbidden_char, in_range};
use crate::diag::kind::DataError;
use crate::diag::{Diagnostic, Msg, suggest};
use crate::model::Model;
use crate::source::{FileId, Span};
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

fn column_of(name: &str) -> Option<usize> {
    datafile::column_index(name, &COLUMNS)
}

/// A cell's text and where it is written.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    at: Span,
}

/// One row: the cells by column (`None` when the column is absent), and where the row starts.
struct Row {
    cells: [Option<Cell>; 5],
    at: Span,
    /// A value was already refused (a YAML value of the wrong kind): nothing more to say.
    bad: bool,
}

struct Cx<'a> {
    file: Located<'a>,
    errors: Vec<Diagnostic>,
}

fn all_columns() -> impl Iterator<Item = &'static str> + Clone {
    COLUMNS
        .iter()
        .flat_map(|(ru, en)| std::iter::once(*ru).chain(en.iter().copied()))
}

impl Cx<'_> {
    fn error(&mut self, error: DataError, at: Span, message: Msg, hint: Option<Msg>) {
        self.errors.push(self.file.error(error, at, message, hint));
    }

    fn did_you_mean<'n>(&self, name: &str, known: impl Iterator<Item = &'n str> + Clone) -> Option<Msg> {
        match suggest(name, known.clone()) {
            Some(s) => Some(Msg::new(
                format!("возможно, имелось в виду «{s}»"),
                format!("did you mean «{s}»"),
            )),
            None => {
                let list: Vec<&str> = known.collect();
                (!list.is_empty()).then(|| {
                    Msg::new(
                        format!("известны: {}", list.join(", ")),
                        format!("known: {}", list.join(", ")),
                    )
                })
            }
        }
    }

    /// E0077 when a text holds a control or bidi character.
    fn refuses(&mut self, text: &str, at: Span) -> bool {
        match forbidden_char(text) {
            Some(c) => {
                let d = datafile::forbidden(&self.file, at, c);
                self.errors.push(d);
                true
            }
            None => false,
        }
    }

    /// A non-negative number in the language's range: spaces between digit groups, a decimal
    /// comma and a trailing currency sign are allowed.
    fn number(&mut self, cell: &Cell, what_ru: &str, what_en: &str) -> Option<f64> {
        let text = cell.text.trim();
        match datafile::plain_number(text) {
            Ok(x) if x >= 0.0 && in_range(x) => Some(x),
            Ok(x) if x < 0.0 => {
                let message = Msg::new(
                    format!("{what_ru} не может быть отрицательным: «{text}»"),
                    format!("{what_en} cannot be negative: `{text}`"),
                );
                let hint = Msg::new("укажите 0 или больше", "write 0 or more");
                self.error(DataError::OutOfRange, cell.at, message, Some(hint));
                None
            }
            Ok(_) => {
                let d = datafile::out_of_range(&self.file, cell.at, &Msg::new(what_ru, what_en));
                self.errors.push(d);
                None
            }
            Err(_) => {
                let message = Msg::new(
                    format!("{what_ru}: ожидалось число, получено «{text}»"),
                    format!("{what_en}: expected a number, found `{text}`"),
                );
                let hint = Msg::new(
                    "число вроде 12, 12,5 или 150 000",
                    "a number such as 12, 12.5 or 150000",
                );
                self.error(DataError::WrongValue, cell.at, message, Some(hint));
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

/// Reads and checks the open deals from the text of `file` (its id in the caller's source map,
/// for the spans of the diagnostics); every error in one pass.
pub fn parse(text: &str, file: FileId, format: Format, model: &Model) -> Result<Vec<Seed>, Vec<Diagnostic>> {
    let mut cx = Cx {
        file: Located::new(file, text),
        errors: Vec::new(),
    };
    let rows = match format {
        Format::Csv => csv_rows(text, &mut cx),
        Format::Yaml => yaml_rows(&mut cx),
    };
    let mut seeds = Vec::new();
    for row in &rows {
        // Text with a control or bidi character is refused before anything is read from it.
        let mut refused = row.bad;
        for cell in row.cells.iter().flatten() {
            refused |= cx.refuses(&cell.text, cell.at);
        }
        if refused {
            continue;
        }
        // A missing column is reported at the row; the rest of the row is still checked.
        for (c, (ru, en)) in COLUMNS.iter().enumerate() {
            if row.cells[c].is_none() && matches!(c, PIPELINE | STAGE | DAYS) {
                let message = Msg::new(
                    format!("в строке нет столбца «{ru}»"),
                    format!("the row has no `{}` column", en[0]),
                );
                let hint = Msg::new(
                    "столбцы: воронка, этап, дней_на_этапе, сумма, ответственный",
                    "columns: pipeline, stage, days_in_stage, amount, owner",
                );
                cx.error(DataError::MissingColumn, row.at, message, Some(hint));
            }
        }
        let pipeline = row.cells[PIPELINE].as_ref().and_then(|cell| {
            let name = cell.text.trim();
            let found = model.pipelines.iter().position(|p| p.name == name);
            if found.is_none() {
                let message = Msg::new(
                    format!("воронка «{name}» не найдена в положении"),
                    format!("pipeline `{name}` is not in the regulation"),
                );
                let hint = cx.did_you_mean(name, model.pipelines.iter().map(|p| p.name.as_str()));
                cx.error(DataError::UnknownName, cell.at, message, hint);
            }
            found
        });
        let stage = match (pipeline, row.cells[STAGE].as_ref()) {
            (Some(pi), Some(cell)) => {
                let name = cell.text.trim();
                let p = &model.pipelines[pi];
                let found = p.stages.iter().position(|s| s.name == name);
                if found.is_none() {
                    let message = Msg::new(
                        format!("в воронке «{}» нет этапа «{name}»", p.name),
                        format!("pipeline `{}` has no stage `{name}`", p.name),
                    );
                    let hint = cx.did_you_mean(name, p.stages.iter().map(|s| s.name.as_str()));
                    cx.error(DataError::UnknownName, cell.at, message, hint);
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
                    let message = Msg::new(
                        format!("роль «{name}» не найдена в положении"),
                        format!("role `{name}` is not in the regulation"),
                    );
                    let hint = cx.did_you_mean(name, model.roles.iter().map(|r| r.name.as_str()));
                    cx.error(DataError::UnknownName, cell.at, message, hint);
                    false
                } else if let Some((pi, si)) = stage {
                    let roles = stage_roles(model, pi, si);
                    let ok = roles.is_empty() || roles.contains(&name);
                    if !ok {
                        let stage_name = &model.pipelines[pi].stages[si].name;
                        let message = Msg::new(
                            format!("роль «{name}» не работает на этапе «{stage_name}»"),
                            format!("role `{name}` does not work stage `{stage_name}`"),
                        );
                        let hint = Msg::new(
                            format!("на этапе работают: {}", roles.join(", ")),
                            format!("the stage is worked by: {}", roles.join(", ")),
                        );
                        cx.error(DataError::NotApplicable, cell.at, message, Some(hint));
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
        cx.errors.sort_by_key(|d| d.span().map(|s| s.start));
        Err(cx.errors)
    }
}

/// The span of field `i` of a line (1-based); the line end when the line has fewer fields.
fn field_span(cx: &Cx, line: u64, i: usize, delimiter: u8) -> Span {
    datafile::csv_field_span(&cx.file, line, i, delimiter)
}

fn csv_rows(text: &str, cx: &mut Cx) -> Vec<Row> {
    let header = text.lines().next().unwrap_or("");
    let delimiter = datafile::csv_delimiter(header);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let unreadable = |e: &csv::Error| {
        Msg::new(
            format!("не удалось прочитать CSV: {e}"),
            format!("invalid CSV: {e}"),
        )
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let message = unreadable(&e);
            cx.error(DataError::Unreadable, cx.file.point(1, 1), message, None);
            return Vec::new();
        }
    };
    let mut by_column: [Option<usize>; 5] = [None; 5];
    for (i, name) in headers.iter().enumerate() {
        let at = field_span(cx, 1, i, delimiter);
        if cx.refuses(name, at) {
            continue;
        }
        match column_of(name) {
            Some(c) if by_column[c].is_none() => by_column[c] = Some(i),
            Some(c) => {
                let message = Msg::new(
                    format!("столбец «{}» указан дважды", COLUMNS[c].0),
                    format!("column `{}` appears twice", COLUMNS[c].1[0]),
                );
                let hint = Msg::new("оставьте один из них", "keep only one of them");
                cx.error(DataError::DuplicateKey, at, message, Some(hint));
            }
            None => {
                let message = Msg::new(
                    format!("неизвестный столбец «{}»", name.trim()),
                    format!("unknown column `{}`", name.trim()),
                );
                let hint = cx.did_you_mean(name.trim(), all_columns());
                cx.error(DataError::UnknownKey, at, message, hint);
            }
        }
    }
    for (c, (ru, en)) in COLUMNS.iter().enumerate() {
        if by_column[c].is_none() && matches!(c, PIPELINE | STAGE | DAYS | ROLE) {
            let message = Msg::new(
                format!("в заголовке нет столбца «{ru}»"),
                format!("the header has no `{}` column", en[0]),
            );
            let hint = Msg::new(
                "первая строка: воронка;этап;дней_на_этапе;сумма;ответственный",
                "first line: pipeline,stage,days_in_stage,amount,owner",
            );
            let at = cx.file.span(1, 1, header.chars().count());
            cx.error(DataError::MissingColumn, at, message, Some(hint));
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
                let message = unreadable(&e);
                cx.error(DataError::Unreadable, cx.file.span(line, 1, 1), message, None);
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            let src = cx.file.line(line);
            let message = Msg::new(
                format!(
                    "в строке {} из {} столбцов: «{}»",
                    record.len(),
                    headers.len(),
                    src.trim_end()
                ),
                format!(
                    "the row has {} of {} columns: `{}`",
                    record.len(),
                    headers.len(),
                    src.trim_end()
                ),
            );
            let delimiter = char::from(delimiter);
            let hint = Msg::new(
                format!(
                    "нужны все столбцы заголовка через «{delimiter}»; пустую сумму или роль оставьте пустой ячейкой"
                ),
                format!(
                    "give every column of the header, separated by `{delimiter}`; leave an unknown amount or owner empty"
                ),
            );
            let column = src.chars().count() as u64 + 1;
            cx.error(
                DataError::MissingColumn,
                cx.file.point(line, column),
                message,
                Some(hint),
            );
            continue;
        }
        let mut cells: [Option<Cell>; 5] = Default::default();
        for (c, at) in by_column.iter().enumerate() {
            let Some(i) = *at else { continue };
            cells[c] = record.get(i).map(|text| Cell {
                text: text.to_owned(),
                at: field_span(cx, line, i, delimiter),
            });
        }
        rows.push(Row {
            cells,
            at: cx.file.point(line, 1),
            bad: false,
        });
    }
    rows
}

fn yaml_rows(cx: &mut Cx) -> Vec<Row> {
    let hint = Msg::new(
        "файл — список сделок: `- воронка: Продажа` и т. д.",
        "the file is a list of deals: `- pipeline: Sales` and so on",
    );
    let root = match datafile::read_yaml(&cx.file, hint.clone()) {
        Ok(root) => root,
        Err(d) => {
            cx.errors.extend(d);
            return Vec::new();
        }
    };
    let list = match &root.value {
        Yaml::List(items) => items.as_slice(),
        Yaml::Null => &[],
        _ => {
            let at = cx.file.scalar(&root);
            let message = Msg::new("ожидался список сделок", "expected a list of deals");
            cx.error(DataError::WrongValue, at, message, Some(hint));
            return Vec::new();
        }
    };
    let mut rows = Vec::new();
    for row in list {
        let row_at = cx.file.scalar(row);
        let Yaml::Map(entries) = &row.value else {
            let message = Msg::new(
                "ожидалась сделка (воронка, этап, дней_на_этапе, …), а не список",
                "expected a deal (pipeline, stage, days_in_stage, …), not a list",
            );
            cx.error(DataError::WrongValue, row_at, message, Some(hint.clone()));
            continue;
        };
        let mut cells: [Option<Cell>; 5] = Default::default();
        let mut bad = false;
        for (k, v) in entries {
            let key_at = cx.file.scalar(k);
            let name = k.value.scalar_text().unwrap_or_default();
            if cx.refuses(&name, key_at) {
                bad = true;
                continue;
            }
            let Some(c) = column_of(&name) else {
                let message = Msg::new(
                    format!("неизвестный ключ «{name}»"),
                    format!("unknown key `{name}`"),
                );
                let hint = cx.did_you_mean(&name, all_columns());
                cx.error(DataError::UnknownKey, key_at, message, hint);
                continue;
            };
            if cells[c].is_some() {
                let message = Msg::new(
                    format!("ключ «{}» указан дважды", COLUMNS[c].0),
                    format!("key `{}` appears twice", COLUMNS[c].1[0]),
                );
                let hint = Msg::new("оставьте один из них", "keep only one of them");
                cx.error(DataError::DuplicateKey, key_at, message, Some(hint));
                continue;
            }
            let at = cx.file.scalar(v);
            let text = match &v.value {
                Yaml::Null => String::new(),
                Yaml::Text(_) | Yaml::Number(_) => v.value.scalar_text().unwrap_or_default(),
                Yaml::Bool(_) => {
                    let message = Msg::new(
                        "ожидалось число или текст, получено да/нет",
                        "expected a number or a text, found yes/no",
                    );
                    cx.error(DataError::WrongValue, at, message, None);
                    bad = true;
                    continue;
                }
                Yaml::Map(_) | Yaml::List(_) => {
                    let message = Msg::new(
                        format!("{}: ожидалось число или текст", COLUMNS[c].0),
                        format!("{}: expected a number or a text", COLUMNS[c].1[0]),
                    );
                    cx.error(DataError::WrongValue, at, message, None);
                    bad = true;
                    continue;
                }
            };
            cells[c] = Some(Cell { text, at });
        }
        rows.push(Row {
            cells,
            at: cx.file.span(row.referenced.line(), row.referenced.column(), 1),
            bad,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::{Format, parse};
    use crate::sim::Params;
    use crate::source::FileId;
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
        let seeds = parse(&text, FileId(0), Format::Csv, &m).expect("a good file");
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
