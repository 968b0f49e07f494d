//! Annotated malformed inputs: every `.sales` file under `tests/diagnostics/` (except `ok/`)
//! starts with comment lines naming the diagnostics it must produce:
//!
//! ```text
//! # expect: E0015 12:7
//! ```
//!
//! (code, then line:column, 1-based, the column counted in characters), and optionally
//!
//! ```text
//! # expect-none: W0006, E0030
//! ```
//!
//! naming codes the file must not produce (the negative test of a rule). Every expected
//! diagnostic must be produced, and every error produced must be expected, as must every
//! warning whose code the file expects somewhere; other warnings may be left unlisted. Positions are compared whatever file they fall in, so a diagnostic reported in an
//! included file is listed with its position in that file. Files and folders whose name starts
//! with `_` are helpers (included by other files) and are not checked on their own. Files under
//! `ok/` carry no expectations and must compile without errors. Files under `crm/` are also
//! checked against the limits and palettes of every CRM target (`voronka crm`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use voronka::diag::Lang;
use voronka::diag::render::{JsonDiagnostic, json_values};

const EXPECT: &str = "# expect:";
const EXPECT_NONE: &str = "# expect-none:";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics")
}

/// Every checked `.sales` file under `dir`, sorted, skipping `_` helpers.
fn sales_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let helper = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_none_or(|n| n.starts_with('_'));
            if helper {
                continue;
            }
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "sales") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

fn is_ok_file(path: &Path) -> bool {
    path.strip_prefix(root())
        .is_ok_and(|rel| rel.components().next().is_some_and(|c| c.as_os_str() == "ok"))
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

/// One expected or produced diagnostic, as compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    code: String,
    line: usize,
    column: usize,
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}:{}", self.code, self.line, self.column)
    }
}

/// The `# expect:` lines of the leading comment block. The file is read as bytes so that the
/// non-UTF-8 sample can carry its expectations in ASCII.
fn expectations(path: &Path) -> Result<Vec<Key>, String> {
    Ok(all_expectations(path)?.0)
}

/// The `# expect:` keys and the `# expect-none:` codes.
fn all_expectations(path: &Path) -> Result<(Vec<Key>, BTreeSet<String>), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut keys = Vec::new();
    let mut none = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if !line.starts_with('#') {
            break;
        }
        if let Some(rest) = line.strip_prefix(EXPECT_NONE) {
            for code in rest.split(',').map(str::trim) {
                if code.len() != 5 || !(code.starts_with('E') || code.starts_with('W')) {
                    return Err(format!("line {}: malformed code `{code}` in `{line}`", n + 1));
                }
                none.insert(code.to_string());
            }
            continue;
        }
        let Some(rest) = line.strip_prefix(EXPECT) else {
            if line.contains("expect") {
                return Err(format!("line {}: malformed expectation `{line}`", n + 1));
            }
            continue;
        };
        keys.push(parse_expectation(rest).ok_or_else(|| {
            format!(
                "line {}: malformed expectation `{line}` (want `{EXPECT} E0001 3:7`)",
                n + 1
            )
        })?);
    }
    Ok((keys, none))
}

fn parse_expectation(rest: &str) -> Option<Key> {
    let mut words = rest.split_whitespace();
    let code = words.next()?;
    let (line, column) = words.next()?.split_once(':')?;
    let valid_code = code.len() == 5
        && (code.starts_with('E') || code.starts_with('W'))
        && code[1..].bytes().all(|b| b.is_ascii_digit());
    if !valid_code || words.next().is_some() {
        return None;
    }
    let key = Key {
        code: code.to_string(),
        line: line.parse().ok()?,
        column: column.parse().ok()?,
    };
    (key.line > 0 && key.column > 0).then_some(key)
}

/// Files under `crm/` also get the diagnostics of every CRM target (limits, palette), which
/// `voronka crm` and `voronka build` report on a file that checks clean.
fn produced(path: &Path) -> Vec<JsonDiagnostic> {
    let compiled = voronka::compile(path);
    let mut diags = compiled.diagnostics.clone();
    let crm = path
        .strip_prefix(root())
        .is_ok_and(|rel| rel.components().next().is_some_and(|c| c.as_os_str() == "crm"));
    if let (true, false, Some(model)) = (crm, compiled.has_errors(), &compiled.model) {
        let setup = voronka::crm::setup(model, Lang::Ru);
        diags.extend(voronka::crm::check(
            model,
            &setup,
            &voronka::crm::Target::ALL,
            &voronka::Options::default(),
        ));
    }
    json_values(&compiled.sources, &diags, Lang::Ru)
}

fn key(d: &JsonDiagnostic) -> Key {
    Key {
        code: d.code.clone(),
        line: d.line,
        column: d.column,
    }
}

fn describe(d: &JsonDiagnostic) -> String {
    let file = Path::new(&d.file)
        .file_name()
        .map_or(d.file.clone(), |n| n.to_string_lossy().into_owned());
    format!(
        "{} {} at {file}:{}:{}: {}",
        d.severity, d.code, d.line, d.column, d.message
    )
}

/// Compares one annotated file; returns a description of each mismatch.
fn check_file(path: &Path) -> Vec<String> {
    let (expected, none) = match all_expectations(path) {
        Ok((e, n)) if e.is_empty() && n.is_empty() => return vec![format!("no `{EXPECT}` lines")],
        Ok(e) => e,
        Err(e) => return vec![e],
    };
    let expected_codes: BTreeSet<&str> = expected.iter().map(|k| k.code.as_str()).collect();
    let diags = produced(path);
    // Multisets, so that a diagnostic reported twice at one place is caught.
    let mut unmatched: BTreeMap<Key, usize> = BTreeMap::new();
    for k in &expected {
        *unmatched.entry(k.clone()).or_default() += 1;
    }
    let mut problems = Vec::new();
    for d in &diags {
        let k = key(d);
        match unmatched.get_mut(&k) {
            Some(n) if *n > 0 => *n -= 1,
            _ if d.severity == "error" || expected_codes.contains(d.code.as_str()) => {
                problems.push(format!("unexpected {}", describe(d)))
            }
            _ if none.contains(&d.code) => problems.push(format!("forbidden {}", describe(d))),
            _ => {}
        }
    }
    for (k, n) in unmatched {
        for _ in 0..n {
            problems.push(format!("missing {k}"));
        }
    }
    if !problems.is_empty() {
        let all: Vec<String> = diags.iter().map(|d| format!("    {}", describe(d))).collect();
        problems.push(format!("produced:\n{}", all.join("\n")));
    }
    problems
}

fn annotated_files() -> Vec<PathBuf> {
    sales_files(&root())
        .into_iter()
        .filter(|p| !is_ok_file(p))
        .collect()
}

fn fail_if_any(failures: &[(PathBuf, Vec<String>)], what: &str) {
    if failures.is_empty() {
        return;
    }
    let mut report = format!("{} file(s) {what}:\n", failures.len());
    for (path, problems) in failures {
        let _ = writeln!(report, "\n{}:", shown(path));
        for p in problems {
            let _ = writeln!(report, "  {p}");
        }
    }
    panic!("{report}");
}

#[test]
fn annotated_files_produce_exactly_the_expected_errors() {
    let failures: Vec<(PathBuf, Vec<String>)> = annotated_files()
        .into_iter()
        .map(|p| {
            let problems = check_file(&p);
            (p, problems)
        })
        .filter(|(_, problems)| !problems.is_empty())
        .collect();
    fail_if_any(&failures, "do not match their `# expect:` lines");
}

#[test]
fn the_corpus_is_large_and_varied() {
    let files = annotated_files();
    let mut codes = BTreeSet::new();
    for path in &files {
        let keys = expectations(path).unwrap_or_else(|e| panic!("{}: {e}", shown(path)));
        codes.extend(keys.into_iter().map(|k| k.code));
    }
    assert!(
        files.len() >= 30,
        "only {} annotated files under {}",
        files.len(),
        root().display()
    );
    assert!(
        codes.len() >= 20,
        "only {} distinct expected codes: {codes:?}",
        codes.len()
    );
}

#[test]
fn ok_files_produce_no_errors() {
    let files: Vec<PathBuf> = sales_files(&root())
        .into_iter()
        .filter(|p| is_ok_file(p))
        .collect();
    assert!(files.len() >= 3, "only {} files under ok/", files.len());
    let failures: Vec<(PathBuf, Vec<String>)> = files
        .into_iter()
        .map(|p| {
            let mut problems: Vec<String> = match expectations(&p) {
                Ok(e) if e.is_empty() => Vec::new(),
                Ok(_) => vec![format!("files under ok/ carry no `{EXPECT}` lines")],
                Err(e) => vec![e],
            };
            problems.extend(
                produced(&p)
                    .iter()
                    .filter(|d| d.severity == "error")
                    .map(|d| format!("unexpected {}", describe(d))),
            );
            (p, problems)
        })
        .filter(|(_, problems)| !problems.is_empty())
        .collect();
    fail_if_any(&failures, "under ok/ produce errors");
}

/// Line breaks carry no meaning: each UTF-8 sample, rewritten with CRLF line endings, gives
/// the same diagnostics at the same positions as with LF.
#[test]
fn crlf_and_lf_give_the_same_diagnostics() {
    let mut failures = Vec::new();
    for path in sales_files(&root()) {
        let Ok(text) = String::from_utf8(std::fs::read(&path).expect("readable sample")) else {
            continue;
        };
        let lf = text.replace("\r\n", "\n");
        let crlf = lf.replace('\n', "\r\n");
        let positions = |text: &str| -> Vec<String> {
            let c = voronka::compile_str(&path, text);
            json_values(&c.sources, &c.diagnostics, Lang::Ru)
                .iter()
                .map(|d| format!("{} {}:{}:{}", d.code, d.file, d.line, d.column))
                .collect()
        };
        let (a, b) = (positions(&lf), positions(&crlf));
        if a != b {
            failures.push((path, vec![format!("LF:   {a:?}"), format!("CRLF: {b:?}")]));
        }
    }
    fail_if_any(&failures, "give other diagnostics with CRLF line endings");
}

/// Every validation rule and lint (E0030 on, and every warning) has a file that triggers it
/// and a file that names it in `# expect-none:` — the positive and the negative test.
#[test]
fn every_rule_has_a_positive_and_a_negative_test() {
    let mut positive = BTreeSet::new();
    let mut negative = BTreeSet::new();
    for path in annotated_files() {
        let (keys, none) = all_expectations(&path).unwrap_or_else(|e| panic!("{}: {e}", shown(&path)));
        positive.extend(keys.into_iter().map(|k| k.code));
        negative.extend(none);
    }
    let mut missing = Vec::new();
    for (code, ..) in voronka::diag::kind::CODES {
        let rule = code.starts_with('W') || *code >= "E0030";
        // E0070–E0078 are errors in scenario and open-deals files, not in a `.sales` file:
        // `scenario.rs` and `open_deals.rs` test each of them.
        let data_file = ("E0070".."E0079").contains(code);
        if !rule || data_file {
            continue;
        }
        if !positive.contains(*code) {
            missing.push(format!("{code}: no file expects it"));
        }
        if !negative.contains(*code) {
            missing.push(format!("{code}: no file names it in `{EXPECT_NONE}`"));
        }
    }
    assert!(missing.is_empty(), "rules without tests:\n{}", missing.join("\n"));
}

/// The errors of a file compiled from text, as `--format json` shows them.
fn errors_of(text: &str) -> Vec<JsonDiagnostic> {
    let c = voronka::compile_str(Path::new("hint.sales"), text);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    json_values(&c.sources, &errors, Lang::Ru)
}

const HINT_BASE: &str = "положение \"Т\" { валюта ₽; горизонт 6 мес; рабочая_неделя 6 дн }
роль Менеджер { штат 1; рабочий_день 8 ч; доля_продаж 100% }
канал Сайт { лиды 50 в мес; воронка П }
воронка П {
  чек 1000 ₽
  этап A { ответственный Менеджер; конверсия 50%; длительность 1 дн
    цепочка { звонок \"Звонок\" 10 мин; попыток 3 } }
}
";

/// The text a hint suggests in backquotes after its colon: `добавьте исход: иначе -> проиграно`.
fn suggested(help: &str) -> &str {
    let after = help.rsplit_once(": ").map_or(help, |(_, s)| s);
    after.trim().trim_matches('`')
}

/// Issue 16: E0036's hint, followed word for word, used to give E0015 (it named a loss reason
/// the file did not define). Applying the hint must leave no error.
#[test]
fn following_the_hint_of_e0036_leaves_no_error() {
    let e = errors_of(HINT_BASE);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].code, "E0036");
    let fix = suggested(e[0].help.as_deref().expect("a hint"));
    assert!(fix.starts_with("иначе ->"), "{fix}");
    let fixed = HINT_BASE.replace("попыток 3 }", &format!("попыток 3; {fix} }}"));
    let e = errors_of(&fixed);
    assert!(e.is_empty(), "{fixed}\n{e:#?}");
    // E0043 (reach without an outcome) says the same and is as good as its word.
    let reach = HINT_BASE.replace("попыток 3 }", "дозвон 50% }");
    let e = errors_of(&reach);
    assert_eq!(
        e.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["E0043"],
        "{e:#?}"
    );
    let fix = suggested(e[0].help.as_deref().expect("a hint"));
    let fixed = reach.replace("дозвон 50% }", &format!("дозвон 50%; {fix} }}"));
    assert!(errors_of(&fixed).is_empty(), "{fixed}");
}

/// Issue 16: a `}` forgotten in an item whose next item has no block on its first line pulled
/// that item in; the names it defined were then reported as undefined further down.
#[test]
fn a_missing_brace_reports_only_the_real_error() {
    let text = HINT_BASE.replace("попыток 3 }", "попыток 3; иначе -> проиграно причина Молчит }")
        + "причина Дорого \"Дорого\" { этапы П.A; далее -> проиграно\n\
           причина Молчит \"Не отвечает\"\n\
           показатель Конверсия { формула перешло(П.A) / 1; цель >= 10% }\n";
    let e = errors_of(&text);
    let found: Vec<(&str, usize)> = e.iter().map(|d| (d.code.as_str(), d.line)).collect();
    assert_eq!(found, [("E0001", 10)], "{e:#?}");
    // With the brace closed, the file is clean.
    let closed = text.replace("далее -> проиграно\n", "далее -> проиграно }\n");
    assert!(errors_of(&closed).is_empty(), "{:#?}", errors_of(&closed));
}

/// Issue 16: `штат пять` got a hint about keywords and braces; only a number can stand there.
#[test]
fn a_word_for_a_number_gets_a_hint_about_numbers() {
    let e = errors_of(&HINT_BASE.replace("штат 1;", "штат пять;"));
    assert_eq!(e[0].code, "E0001", "{e:#?}");
    assert_eq!((e[0].line, e[0].column), (2, 22));
    let help = e[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("нужно число"), "{help}");
    assert!(!help.contains("скоб"), "{help}");
    // Elsewhere the general hint stays.
    let e = errors_of(&HINT_BASE.replace("штат 1;", "штатт 1;"));
    assert_eq!(e[0].code, "E0001", "{e:#?}");
    assert!(
        !e[0].help.as_deref().unwrap_or_default().contains("нужно число"),
        "{e:#?}"
    );
}
