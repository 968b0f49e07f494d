//! The stage mapping file (`calibrate --stages MAP.csv`): which stage of the regulation a CRM
//! stage is, where the names differ. Two or three columns — the CRM's stage (its ID or its
//! name), optionally the CRM's pipeline (ID or name), and the regulation's stage as
//! `Воронка.Этап`, or a stage's name, title or `код` alone when only one pipeline has it. A
//! header row is optional. Applied to the history before the stages are matched: a mapped stage
//! takes the regulation's names; stages no row maps are matched as without the file (never
//! guessed). A row naming a stage the regulation does not have is a located error with the
//! closest name.

use super::{names, norm};
use crate::datafile::{self, Located};
use crate::diag::kind::DataError;
use crate::diag::{Msg, suggest};
use crate::history::{History, ReadFailure};
use crate::model::Model;
use crate::source::SourceMap;
use std::path::Path;

/// One row: the CRM's stage (and pipeline) and the regulation's (pipeline, stage) indices.
#[derive(Debug, Clone)]
struct Row {
    stage: String,
    pipeline: Option<String>,
    target: (usize, usize),
    line: u64,
}

/// A read mapping file.
#[derive(Debug, Clone)]
pub struct Mapping {
    path: String,
    rows: Vec<Row>,
}

/// Words of a header row.
const HEADER_WORDS: &[&str] = &[
    "этап",
    "стадия",
    "статус",
    "stage",
    "status",
    "воронка",
    "pipeline",
    "положение",
    "регламент",
    "crm",
];

/// The regulation's stage a text names: `Воронка.Этап` (pipeline by name or title; stage by
/// `код`, name or title), or a stage alone when exactly one has it. `Err(true)` when several do.
fn resolve(model: &Model, text: &str) -> Result<(usize, usize), bool> {
    let t = norm(text);
    let stage_is = |st: &crate::model::Stage, s: &str| {
        st.crm_code.as_deref().is_some_and(|c| norm(c) == s) || names(s, &st.name, st.title.as_deref())
    };
    // Every split at a dot: names may hold dots.
    for (i, _) in t.match_indices('.') {
        let (p, s) = (&t[..i], &t[i + 1..]);
        for (pi, pl) in model.pipelines.iter().enumerate() {
            if names(p, &pl.name, pl.title.as_deref()) {
                let found: Vec<usize> = (0..pl.stages.len())
                    .filter(|&si| stage_is(&pl.stages[si], s))
                    .collect();
                if let [si] = found[..] {
                    return Ok((pi, si));
                }
            }
        }
    }
    let found: Vec<(usize, usize)> = model
        .pipelines
        .iter()
        .enumerate()
        .flat_map(|(pi, pl)| {
            pl.stages
                .iter()
                .enumerate()
                .filter(|(_, st)| stage_is(st, &t))
                .map(move |(si, _)| (pi, si))
        })
        .collect();
    match found[..] {
        [one] => Ok(one),
        [] => Err(false),
        _ => Err(true),
    }
}

/// Reads a mapping file against the regulation; every bad row a located error.
pub fn read(path: &Path, model: &Model) -> Result<Mapping, ReadFailure> {
    let text = crate::load::read_text(path).map_err(|e| ReadFailure::Io(path.to_path_buf(), e))?;
    let mut sources = SourceMap::new();
    let id = sources.add(path, text);
    let text = sources.get(id).text.clone();
    let file = Located::new(id, &text);
    let mut errors = Vec::new();
    let hint = || {
        Msg::new(
            "строка: этап CRM (номер или название); [воронка CRM;] этап положения как Воронка.Этап, имя этапа или его код (docs/history.md)",
            "a row: the CRM stage (ID or name); [the CRM pipeline;] the regulation's stage as Pipeline.Stage, a stage name or its код (docs/history.md)",
        )
    };
    let first_line = text.lines().next().unwrap_or("");
    if text.trim().is_empty() {
        errors.push(file.error(
            DataError::Unreadable,
            file.point(1, 1),
            Msg::new(
                "файл сопоставления этапов пуст",
                "the stage mapping file is empty",
            ),
            Some(hint()),
        ));
        return Err(ReadFailure::Errors(sources, errors));
    }
    let delimiter = datafile::csv_delimiter(first_line);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let candidates: Vec<String> = model
        .pipelines
        .iter()
        .flat_map(|p| {
            p.stages.iter().flat_map(move |s| {
                let mut c = vec![format!("{}.{}", p.name, s.name), s.name.clone()];
                c.extend(s.title.clone());
                c.extend(s.crm_code.clone());
                c
            })
        })
        .collect();
    let mut rows = Vec::new();
    for (n, record) in csv.records().enumerate() {
        let Ok(record) = record else { continue };
        let line = record.position().map_or(0, |p| p.line());
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) || cells.first().is_some_and(|c| c.starts_with('#')) {
            continue;
        }
        let span = |i: usize| datafile::csv_field_span(&file, line, i, delimiter);
        if !(2..=3).contains(&cells.len()) {
            errors.push(file.error(
                DataError::MissingColumn,
                file.span(line, 1, file.line(line).chars().count()),
                Msg::new(
                    format!("в строке {} столбцов, нужно 2 или 3", cells.len()),
                    format!("the row has {} columns, 2 or 3 are needed", cells.len()),
                ),
                Some(hint()),
            ));
            continue;
        }
        let last = cells.len() - 1;
        let target = resolve(model, cells[last]);
        if n == 0
            && target.is_err()
            && cells
                .iter()
                .any(|c| HEADER_WORDS.iter().any(|w| datafile::column_key(c).contains(w)))
        {
            continue;
        }
        if cells[0].is_empty() {
            errors.push(file.error(
                DataError::MissingColumn,
                span(0),
                Msg::new("не указан этап CRM", "the CRM stage is missing"),
                Some(hint()),
            ));
            continue;
        }
        let target = match target {
            Ok(t) => t,
            Err(ambiguous) => {
                let t = cells[last];
                let (message, help) = if ambiguous {
                    (
                        Msg::new(
                            format!("этап «{t}» есть в нескольких воронках положения"),
                            format!("several pipelines of the regulation have a stage `{t}`"),
                        ),
                        Msg::new(
                            "укажите воронку: Воронка.Этап",
                            "name the pipeline: Pipeline.Stage",
                        ),
                    )
                } else {
                    let help = suggest(t, candidates.iter().map(String::as_str)).map_or_else(hint, |s| {
                        Msg::new(
                            format!("возможно, имелось в виду «{s}»"),
                            format!("did you mean `{s}`?"),
                        )
                    });
                    (
                        Msg::new(
                            format!("в положении нет этапа «{t}»"),
                            format!("the regulation has no stage `{t}`"),
                        ),
                        help,
                    )
                };
                errors.push(file.error(DataError::UnknownName, span(last), message, Some(help)));
                continue;
            }
        };
        rows.push(Row {
            stage: norm(cells[0]),
            pipeline: (cells.len() == 3 && !cells[1].is_empty()).then(|| norm(cells[1])),
            target,
            line,
        });
    }
    if errors.is_empty() {
        Ok(Mapping {
            path: path.display().to_string(),
            rows,
        })
    } else {
        Err(ReadFailure::Errors(sources, errors))
    }
}

impl Mapping {
    /// Renames the history's stages the file maps to the regulation's names; notes the rows
    /// that mapped nothing.
    pub fn apply(&self, model: &Model, history: &mut History) {
        let mut used = vec![false; self.rows.len()];
        let mut mapped = 0usize;
        for i in 0..history.stages.len() {
            let (p, s) = history.stages[i].clone();
            let (pid, sid) = history
                .stage_ids
                .get(i)
                .cloned()
                .unwrap_or_else(|| (p.clone(), s.clone()));
            let (p, s, pid, sid) = (norm(&p), norm(&s), norm(&pid), norm(&sid));
            let hit = |r: &Row| r.stage == s || r.stage == sid;
            // A row naming the pipeline first, then one without.
            let row = self
                .rows
                .iter()
                .position(|r| hit(r) && r.pipeline.as_ref().is_some_and(|rp| *rp == p || *rp == pid))
                .or_else(|| self.rows.iter().position(|r| hit(r) && r.pipeline.is_none()));
            if let Some(k) = row {
                used[k] = true;
                mapped += 1;
                let (pi, si) = self.rows[k].target;
                let pl = &model.pipelines[pi];
                history.stages[i] = (pl.name.clone(), pl.stages[si].name.clone());
            }
        }
        let unused: Vec<String> = self
            .rows
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(r, _)| format!("{}:{}", self.path, r.line))
            .collect();
        history.notes.push(Msg::new(
            format!("{}: сопоставлено этапов истории — {mapped}", self.path),
            format!("{}: history stages mapped — {mapped}", self.path),
        ));
        if !unused.is_empty() {
            history.notes.push(Msg::new(
                format!(
                    "строки файла сопоставления, этапов которых в истории нет: {}",
                    unused.join(", ")
                ),
                format!(
                    "mapping rows whose stages the history does not have: {}",
                    unused.join(", ")
                ),
            ));
        }
    }
}
