//! The coverage fixtures (`tests/fixtures/coverage/`, issue 19): three regulations of
//! industries the examples do not cover, each translated into the language (`NN_*.sales`) and
//! its checkable statements listed with the construct that expresses each (`NN_*.statements.md`).
//!
//! - Every translation (not the `*.planned.sales` snapshots of guessed syntax) checks with no
//!   errors and no warnings: a language change that breaks or warns on them shows here.
//! - Every statement table parses: five cells a row, numbered 1..N without gaps, «сегодня» is
//!   `текст…` or names a construct in backticks, «план» is `=`, a construct or `— G<n>`.
//! - The statements a translation leaves as a comment `# текст [N]` are «текст» in the table,
//!   and the README's recount paragraph states today's total the tables give.

use std::path::{Path, PathBuf};

use crate::common::voronka;

const DIR: &str = "tests/fixtures/coverage";

fn files(suffix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("coverage fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    out.sort();
    out
}

/// The translations in today's language: `NN_*.sales` without `*.planned.sales`.
fn translations() -> Vec<PathBuf> {
    files(".sales")
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".planned.sales"))
        .collect()
}

/// One row of a statement table.
struct Row {
    number: u32,
    today: String,
    plan: String,
}

impl Row {
    fn is_text(&self) -> bool {
        self.today.starts_with("текст")
    }
}

/// The rows of `NN_*.statements.md`: lines `| N | п. | утверждение | сегодня | план |`.
fn rows(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).expect("statements");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix('|') else {
            continue;
        };
        let first = rest.split('|').next().unwrap_or_default().trim();
        let Ok(number) = first.parse::<u32>() else {
            continue;
        };
        let cells: Vec<&str> = line.split('|').collect();
        // A leading and a trailing empty piece around the five cells.
        assert_eq!(
            cells.len(),
            7,
            "{}:{}: a statement row has 5 cells, this one {}: {line}",
            path.display(),
            i + 1,
            cells.len().saturating_sub(2)
        );
        assert!(
            cells[0].is_empty() && cells[6].trim().is_empty(),
            "{}:{}: a row starts and ends with `|`",
            path.display(),
            i + 1
        );
        let (statement, today, plan) = (cells[3].trim(), cells[4].trim(), cells[5].trim());
        let at = format!("{}:{} (№{number})", path.display(), i + 1);
        assert!(
            !cells[2].trim().is_empty() && !statement.is_empty(),
            "{at}: empty clause or statement"
        );
        assert!(
            today.starts_with("текст") || (today.matches('`').count() >= 2),
            "{at}: «сегодня» is `текст…` or a construct in backticks, not {today:?}"
        );
        assert!(
            plan == "=" || is_gap(plan) || plan.matches('`').count() >= 2,
            "{at}: «план» is `=`, a construct in backticks or `— G<n>`, not {plan:?}"
        );
        if !today.starts_with("текст") {
            assert_eq!(plan, "=", "{at}: a statement expressed today has «план» `=`");
        }
        out.push(Row {
            number,
            today: today.to_owned(),
            plan: plan.to_owned(),
        });
    }
    out
}

/// `— G5`, `— G19 (…)`: a gap group no construct covers.
fn is_gap(plan: &str) -> bool {
    plan.strip_prefix("— G")
        .is_some_and(|g| g.starts_with(|c: char| c.is_ascii_digit()))
}

/// The statement numbers of every `текст [1, 3–5]` comment in a translation.
fn text_comments(text: &str) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(hash) = line.find('#') else { continue };
        let comment = &line[hash..];
        let mut rest = comment;
        while let Some(at) = rest.find("текст [") {
            let after = &rest[at + "текст [".len()..];
            let Some(end) = after.find(']') else { break };
            let list = &after[..end];
            // `«текст [N]»` in prose about the convention is no reference.
            if !list
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ',' | ' ' | '–' | '-'))
            {
                rest = &after[end..];
                continue;
            }
            for part in list.split(',') {
                let part = part.trim();
                let bounds: Vec<u32> = part
                    .split(['–', '-'])
                    .map(|n| {
                        n.trim()
                            .parse()
                            .unwrap_or_else(|_| panic!("line {}: number in {part:?}", i + 1))
                    })
                    .collect();
                let (lo, hi) = (bounds[0], *bounds.last().unwrap());
                out.extend((lo..=hi).map(|n| (i + 1, n)));
            }
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_translation_checks_with_no_errors_and_no_warnings() {
    let translations = translations();
    assert_eq!(translations.len(), 3, "three translations: {translations:?}");
    for path in translations {
        let out = voronka(&["check", path.to_str().unwrap()]);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "{}:\n{stdout}{stderr}", path.display());
        assert!(
            stdout.trim().is_empty() && stderr.trim().is_empty(),
            "{} checks clean without diagnostics:\n{stdout}{stderr}",
            path.display()
        );
    }
}

#[test]
fn every_translation_is_formatted() {
    for path in translations() {
        let out = voronka(&["fmt", "--check", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{} is as `voronka fmt` writes it:\n{}",
            path.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn the_statement_tables_parse() {
    let tables = files(".statements.md");
    assert_eq!(tables.len(), 3, "three tables: {tables:?}");
    let mut total = 0;
    for path in &tables {
        let rows = rows(path);
        assert!(rows.len() > 100, "{}: {} rows", path.display(), rows.len());
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(
                r.number as usize,
                i + 1,
                "{}: rows numbered 1..N in order",
                path.display()
            );
        }
        // A statement still text today is either being built or in a gap group.
        for r in rows.iter().filter(|r| r.is_text()) {
            assert!(
                r.plan != "=",
                "{}: №{} is text today but «план» says `=`",
                path.display(),
                r.number
            );
        }
        assert!(rows.iter().any(|r| !r.is_text()) && rows.iter().any(Row::is_text));
        assert!(rows.iter().all(|r| !r.today.is_empty()));
        total += rows.len();
    }
    assert_eq!(total, 405, "the README counts 405 statements");
}

#[test]
fn text_comments_name_statements_the_table_calls_text() {
    for path in translations() {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".sales", ".statements.md");
        let rows = rows(&Path::new(DIR).join(&name));
        let text = std::fs::read_to_string(&path).unwrap();
        let comments = text_comments(&text);
        assert!(
            !comments.is_empty(),
            "{}: no `# текст [N]` comments",
            path.display()
        );
        for (line, n) in comments {
            let row = rows
                .iter()
                .find(|r| r.number == n)
                .unwrap_or_else(|| panic!("{}:{line}: no statement №{n} in {name}", path.display()));
            assert!(
                row.is_text(),
                "{}:{line}: `текст [{n}]`, but {name} says №{n} is expressed today by {}",
                path.display(),
                row.today
            );
        }
    }
}

#[test]
fn the_readme_states_todays_total() {
    let (mut today, mut all) = (0usize, 0usize);
    for path in files(".statements.md") {
        let rows = rows(&path);
        all += rows.len();
        today += rows.iter().filter(|r| !r.is_text()).count();
    }
    let percent = (100.0 * today as f64 / all as f64).round();
    let readme = std::fs::read_to_string(Path::new(DIR).join("README.md")).unwrap();
    let stated = format!("| **всего** | **{all}** | **{today} ({percent} %)**");
    assert!(
        readme.contains(&stated),
        "README.md states today's total: {stated}"
    );
}
