//! `voronka calibrate --apply`: the measured values written into the regulation. A history is
//! traced from an example (`simulate --trace --start новый`), a number of a copy of the example
//! is changed, and `--apply --yes` must put the measured values back at their places, keep the
//! comments and blank lines, leave a `.bak`, check clean, and forecast exactly as the scenario
//! `--write-scenario` writes (the one-truth test). Also: CRLF, an included file, no `--yes`
//! without a terminal, a read-only file.

use crate::common::voronka;
use std::path::{Path, PathBuf};
use voronka::calibrate::scenario::{Change, NewValue, Target, changes, percent_text};
use voronka::calibrate::{Window, calibrate};

const AGENCY: &str = "examples/agency.sales";

fn ok(out: &std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The trace of `file` as a history: the stage entries and the deals table.
fn trace(file: &Path, dir: &Path, seed: &str) -> [PathBuf; 2] {
    let log = dir.join("log.csv");
    ok(&voronka(&[
        "simulate",
        file.to_str().unwrap(),
        "--trace",
        log.to_str().unwrap(),
        "--start",
        "новый",
        "--seed",
        seed,
    ]));
    [log, dir.join("log.deals.csv")]
}

fn args<'a>(file: &'a Path, history: &'a [PathBuf; 2]) -> Vec<&'a str> {
    vec![
        "calibrate",
        file.to_str().unwrap(),
        "--history",
        history[0].to_str().unwrap(),
        history[1].to_str().unwrap(),
    ]
}

/// The changes the library computes for `file` from `history`.
fn expected(file: &Path, history: &[PathBuf; 2]) -> Vec<Change> {
    let compiled = voronka::compile(file);
    let model = compiled.model.unwrap();
    let Ok(h) = voronka::history::read(history) else {
        panic!("the trace reads back");
    };
    changes(&calibrate(&model, &h, Window::default()), &model)
}

/// Lines that are only a comment, or blank: what the author wrote besides statements.
fn comments_and_blanks(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.is_empty() || l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// The compiled value of a change's target, as the change writes it.
fn value_in(model: &voronka::model::Model, target: &Target) -> NewValue {
    match target {
        Target::Conversion { pipeline, stage } => {
            let s = model
                .pipelines
                .iter()
                .find(|p| &p.name == pipeline)
                .and_then(|p| p.stages.iter().find(|s| &s.name == stage))
                .unwrap();
            NewValue::Share {
                value: s.conversion.unwrap(),
                decimals: 0,
            }
        }
        Target::Leads { channel } => NewValue::PerMonth(
            model
                .channels
                .iter()
                .find(|c| &c.name == channel)
                .unwrap()
                .leads_per_month,
        ),
        Target::DealSize { pipeline } => NewValue::Money(
            model
                .pipelines
                .iter()
                .find(|p| &p.name == pipeline)
                .unwrap()
                .deal_size
                .clone()
                .unwrap(),
        ),
    }
}

fn same(a: &NewValue, b: &NewValue) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(1.0);
    match (a, b) {
        (NewValue::Share { value: x, .. }, NewValue::Share { value: y, .. }) => close(*x, *y),
        (NewValue::PerMonth(x), NewValue::PerMonth(y)) => close(*x, *y),
        (NewValue::Money(x), NewValue::Money(y)) => {
            let (x, y) = (serde_json::to_value(x).unwrap(), serde_json::to_value(y).unwrap());
            x == y
        }
        _ => false,
    }
}

/// The forecast's figures of the baseline (`base`) or of the one scenario.
fn figures(json: &serde_json::Value, base: bool) -> serde_json::Value {
    let of = if base { json } else { &json["scenarios"][0] };
    serde_json::json!({
        "won": of["won"],
        "revenue": if base { json["revenue"].clone() } else { of["revenue"].clone() },
        "plan_probability": of["plan_probability"],
    })
}

/// The one-truth test: a changed copy of agency.sales, calibrated with `--apply --yes` and
/// `--write-scenario` from the trace of the original, carries every measured value at its place
/// (the Бриф conversion that was changed among them), keeps comments and blank lines, leaves
/// the old text in `.bak`, checks clean, and forecasts what the scenario forecasts on the copy.
#[test]
fn apply_writes_the_measured_values_and_forecasts_as_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let history = trace(Path::new(AGENCY), dir.path(), "1");
    let original = std::fs::read_to_string(AGENCY).unwrap();
    let changed = original.replacen("конверсия 50%", "конверсия 20%", 1);
    assert_ne!(changed, original);
    let file = dir.path().join("agency.sales");
    let copy = dir.path().join("copy.sales");
    std::fs::write(&file, &changed).unwrap();
    std::fs::write(&copy, &changed).unwrap();
    let want = expected(&file, &history);
    assert!(want.len() >= 8, "{want:?}");

    let yaml = dir.path().join("s.yaml");
    let mut a = args(&file, &history);
    a.extend(["--apply", "--yes", "--write-scenario", yaml.to_str().unwrap()]);
    let stdout = ok(&voronka(&a));
    assert!(stdout.contains("--- "), "a diff is shown:\n{stdout}");
    assert!(stdout.contains(".bak"), "the backup is named:\n{stdout}");

    let applied = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("agency.sales.bak")).unwrap(),
        changed
    );
    assert_eq!(comments_and_blanks(&applied), comments_and_blanks(&changed));
    // The changed conversion is back at its line, in the file's style.
    let brief = want
        .iter()
        .find(|c| matches!(&c.target, Target::Conversion { stage, .. } if stage == "Бриф"))
        .unwrap();
    let NewValue::Share { value, decimals } = brief.value else {
        panic!("a share");
    };
    let line = format!(
        "ответственный Менеджер; конверсия {}; длительность 1..3 дн",
        percent_text(value, decimals)
    );
    assert!(applied.contains(&line), "{line} in\n{applied}");
    // Every value compiles to what was measured.
    let model = voronka::compile(&file).model.unwrap();
    for c in &want {
        assert!(
            same(&value_in(&model, &c.target), &c.value),
            "{:?}: {:?}",
            c.target,
            c.value
        );
    }
    ok(&voronka(&["check", file.to_str().unwrap()]));

    // The one truth: the applied file forecasts as the scenario does on the unapplied copy.
    let sim = |extra: &[&str], f: &Path| -> serde_json::Value {
        let mut a = vec![
            "simulate",
            f.to_str().unwrap(),
            "--runs",
            "30",
            "--seed",
            "7",
            "--format",
            "json",
        ];
        a.extend(extra);
        serde_json::from_str(&ok(&voronka(&a))).unwrap()
    };
    let applied_run = sim(&[], &file);
    let scenario_run = sim(&["--scenario", yaml.to_str().unwrap()], &copy);
    assert_eq!(figures(&applied_run, true), figures(&scenario_run, false));

    // Run again: nothing left to change.
    let mut again = args(&file, &history);
    again.extend(["--apply", "--yes"]);
    let stdout = ok(&voronka(&again));
    assert!(stdout.contains("изменений нет"), "{stdout}");
}

/// CRLF stays CRLF, a BOM stays, and only the values' lines change.
#[test]
fn apply_keeps_crlf_and_bom() {
    let dir = tempfile::tempdir().unwrap();
    let history = trace(Path::new(AGENCY), dir.path(), "2");
    let original = std::fs::read_to_string(AGENCY).unwrap();
    let crlf = format!("\u{FEFF}{}", original.replace('\n', "\r\n"));
    let file = dir.path().join("crlf.sales");
    std::fs::write(&file, &crlf).unwrap();
    let mut a = args(&file, &history);
    a.extend(["--apply", "--yes"]);
    ok(&voronka(&a));
    let applied = std::fs::read_to_string(&file).unwrap();
    assert_ne!(applied, crlf, "something was applied");
    assert!(applied.starts_with('\u{FEFF}'));
    assert_eq!(applied.matches('\n').count(), applied.matches("\r\n").count());
    assert_eq!(applied.lines().count(), crlf.lines().count());
    let changed_lines = applied.lines().zip(crlf.lines()).filter(|(a, b)| a != b).count();
    assert!(
        changed_lines > 0 && changed_lines <= 12,
        "{changed_lines} lines changed"
    );
}

/// A value written in an included file is edited in that file; the root keeps its own.
#[test]
fn apply_edits_the_included_file_that_writes_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let split = dir.path().join("split");
    std::fs::create_dir(&split).unwrap();
    for f in ["main.sales", "pipelines.sales", "roles.sales"] {
        std::fs::copy(Path::new("examples/split").join(f), split.join(f)).unwrap();
    }
    let main = split.join("main.sales");
    let history = trace(&main, dir.path(), "3");
    let pipelines = split.join("pipelines.sales");
    let before = std::fs::read_to_string(&pipelines).unwrap();
    let changed = before.replacen("конверсия 90%", "конверсия 40%", 1);
    assert_ne!(changed, before);
    std::fs::write(&pipelines, &changed).unwrap();
    let roles = std::fs::read_to_string(split.join("roles.sales")).unwrap();
    let want = expected(&main, &history);
    let mut a = args(&main, &history);
    a.extend(["--apply", "--yes"]);
    let stdout = ok(&voronka(&a));
    assert!(stdout.contains("pipelines.sales"), "{stdout}");
    assert!(split.join("pipelines.sales.bak").exists());
    assert_eq!(std::fs::read_to_string(split.join("roles.sales")).unwrap(), roles);
    assert!(!split.join("roles.sales.bak").exists());
    let after = std::fs::read_to_string(&pipelines).unwrap();
    assert!(!after.contains("конверсия 40%"), "{after}");
    assert_eq!(comments_and_blanks(&after), comments_and_blanks(&changed));
    let model = voronka::compile(&main).model.unwrap();
    for c in &want {
        assert!(same(&value_in(&model, &c.target), &c.value), "{:?}", c.target);
    }
}

/// Without a terminal and without `--yes`: the diff, a message, nothing written, exit 0. A
/// read-only file: exit 3, a message, the file as it was.
#[test]
fn apply_writes_nothing_without_yes_or_to_a_read_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let history = trace(Path::new(AGENCY), dir.path(), "4");
    let original = std::fs::read_to_string(AGENCY).unwrap();
    let changed = original.replacen("лиды 90 в мес", "лиды 300 в мес", 1);
    let file = dir.path().join("agency.sales");
    std::fs::write(&file, &changed).unwrap();
    let mut a = args(&file, &history);
    a.push("--apply");
    let stdout = ok(&voronka(&a));
    assert!(stdout.contains("-  лиды 300 в мес"), "{stdout}");
    assert!(stdout.contains("--yes"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), changed);
    assert!(!dir.path().join("agency.sales.bak").exists());

    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&file, perms).unwrap();
    a.push("--yes");
    let out = voronka(&a);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("только для чтения"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), changed);
    assert!(!dir.path().join("agency.sales.bak").exists());
}

/// `--yes` needs `--apply` (a usage error).
#[test]
fn yes_without_apply_is_a_usage_error() {
    let out = voronka(&["calibrate", AGENCY, "--history", "x.csv", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A value the file does not write is added after the first one-line statement of its block
/// (`ответственный …; конверсия 39%`), a share written as a fraction stays a fraction, and the
/// result still forecasts as the scenario does.
#[test]
fn apply_adds_a_missing_conversion_and_keeps_a_fraction() {
    let dir = tempfile::tempdir().unwrap();
    let mini = Path::new("tests/fixtures/calibrate/mini.sales");
    let history = trace(mini, dir.path(), "1");
    let original = std::fs::read_to_string(mini).unwrap();
    let changed =
        original
            .replacen("    конверсия 40%\n", "", 1)
            .replacen("конверсия 60%", "конверсия 0.3", 1);
    let file = dir.path().join("mini.sales");
    let copy = dir.path().join("copy.sales");
    std::fs::write(&file, &changed).unwrap();
    std::fs::write(&copy, &changed).unwrap();
    let want = expected(&file, &history);
    let yaml = dir.path().join("s.yaml");
    let mut a = args(&file, &history);
    a.extend(["--apply", "--yes", "--write-scenario", yaml.to_str().unwrap()]);
    ok(&voronka(&a));
    let applied = std::fs::read_to_string(&file).unwrap();
    let share = |stage: &str| {
        want.iter()
            .find_map(|c| match (&c.target, &c.value) {
                (Target::Conversion { stage: s, .. }, NewValue::Share { value, decimals }) if s == stage => {
                    Some((*value, *decimals))
                }
                _ => None,
            })
            .unwrap()
    };
    let (deal, decimals) = share("Сделка");
    let added = format!(
        "    ответственный Менеджер; конверсия {}\n",
        percent_text(deal, decimals)
    );
    assert!(applied.contains(&added), "{added} in\n{applied}");
    let (qualify, _) = share("Квалификация");
    let fraction = format!(
        "конверсия {}",
        voronka::calibrate::scenario::number_text(qualify, 3, false)
    );
    assert!(fraction.starts_with("конверсия 0."), "{fraction}");
    assert!(applied.contains(&fraction), "{fraction} in\n{applied}");
    assert_eq!(comments_and_blanks(&applied), comments_and_blanks(&changed));
    let model = voronka::compile(&file).model.unwrap();
    for c in &want {
        assert!(same(&value_in(&model, &c.target), &c.value), "{:?}", c.target);
    }
    let sim = |extra: &[&str], f: &Path| -> serde_json::Value {
        let mut a = vec![
            "simulate",
            f.to_str().unwrap(),
            "--runs",
            "20",
            "--format",
            "json",
        ];
        a.extend(extra);
        serde_json::from_str(&ok(&voronka(&a))).unwrap()
    };
    assert_eq!(
        figures(&sim(&[], &file), true),
        figures(&sim(&["--scenario", yaml.to_str().unwrap()], &copy), false)
    );
}

/// When the measured values would not check clean (here a stage measured at 100 % keeps a
/// loss transition that could then never happen, E0034), nothing is written: the errors, the
/// reason, exit 1, the file as it was and no `.bak`.
#[test]
fn apply_refuses_values_that_would_not_check_clean() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string("tests/fixtures/calibrate/mini.sales").unwrap();
    let certain = dir.path().join("certain.sales");
    std::fs::write(&certain, original.replacen("конверсия 60%", "конверсия 100%", 1)).unwrap();
    let history = trace(&certain, dir.path(), "1");
    let lossy = original.replacen(
        "конверсия 60%; длительность 1 дн\n",
        "конверсия 60%; длительность 1 дн\n    отказ -> проиграно\n",
        1,
    );
    assert_ne!(lossy, original);
    let file = dir.path().join("lossy.sales");
    std::fs::write(&file, &lossy).unwrap();
    ok(&voronka(&["check", file.to_str().unwrap()]));
    let mut a = args(&file, &history);
    a.extend(["--apply", "--yes"]);
    let out = voronka(&a);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("E0034") && stderr.contains("не проходит проверку"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), lossy);
    assert!(!dir.path().join("lossy.sales.bak").exists());
}
