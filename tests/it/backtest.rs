//! `voronka backtest`: the forecast from the deals open at a date against a history. The truth
//! test backtests examples against their own traces (`simulate --trace`, two years of a new
//! department): the model is the one that made the history, so the actual revenue of a month
//! should fall inside the forecast's P10–P90 band about 80 % of the time. Then the outputs
//! (table, JSON, HTML page), the calibrated variant, thread-count independence, and every
//! refusal with its message and exit code.

use crate::common::voronka;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Two years of `example` from a new department, traced with `seed`: (entries, deals).
fn trace(dir: &Path, example: &str, seed: u32) -> (PathBuf, PathBuf) {
    let log = dir.join(format!("{example}-{seed}.csv"));
    let out = voronka(&[
        "simulate",
        &format!("examples/{example}.sales"),
        "--trace",
        log.to_str().unwrap(),
        "--start",
        "новый",
        "--months",
        "24",
        "--seed",
        &seed.to_string(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let deals = dir.join(format!("{example}-{seed}.deals.csv"));
    (log, deals)
}

/// `backtest` of `example` from 2027-01-04 over six months, 300 runs, quiet, with `extra`.
fn backtest(example: &str, log: &Path, deals: &Path, extra: &[&str]) -> std::process::Output {
    let file = format!("examples/{example}.sales");
    let mut args = vec![
        "backtest",
        &file,
        "--history",
        log.to_str().unwrap(),
        deals.to_str().unwrap(),
        "--at",
        "2027-01-04",
        "--months",
        "6",
        "--runs",
        "300",
        "-q",
    ];
    args.extend_from_slice(extra);
    voronka(&args)
}

fn backtest_json(example: &str, log: &Path, deals: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = backtest(example, log, deals, &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn the_forecast_covers_its_own_models_history() {
    let dir = tempfile::tempdir().unwrap();
    let (mut inside, mut months) = (0, 0);
    let mut total_inside = 0;
    let mut runs = 0;
    for example in ["agency", "saas_en"] {
        for seed in 1..=2 {
            let (log, deals) = trace(dir.path(), example, seed);
            let b = backtest_json(example, &log, &deals, &[]);
            let periods = b["periods"].as_array().unwrap();
            assert_eq!(periods.len(), 6);
            assert!(
                b["open_deals"].as_u64().unwrap() > 0,
                "{example}: no open deals rebuilt"
            );
            for p in periods {
                months += 1;
                let (lo, hi) = (
                    p["revenue"]["p10"].as_f64().unwrap(),
                    p["revenue"]["p90"].as_f64().unwrap(),
                );
                let actual = p["actual_revenue"].as_f64().unwrap();
                assert_eq!(p["inside"].as_bool().unwrap(), lo <= actual && actual <= hi);
                inside += usize::from(p["inside"].as_bool().unwrap());
            }
            total_inside += usize::from(b["total_inside"].as_bool().unwrap());
            runs += 1;
        }
    }
    // About 80 % expected; with 24 months a binomial 80 % lands in 60–96 % nearly always.
    let share = inside as f64 / months as f64;
    assert!(
        (0.6..=0.97).contains(&share),
        "{inside} of {months} months inside P10–P90"
    );
    assert!(
        total_inside * 2 >= runs,
        "horizon totals inside the band: {total_inside} of {runs}"
    );
}

#[test]
fn every_output_shows_the_same_months_and_threads_do_not_change_them() {
    let dir = tempfile::tempdir().unwrap();
    let (log, deals) = trace(dir.path(), "agency", 3);
    let one = backtest_json("agency", &log, &deals, &["--threads", "1"]);
    let two = backtest_json("agency", &log, &deals, &["--threads", "2"]);
    assert_eq!(one, two);
    let table = backtest("agency", &log, &deals, &[]);
    assert!(table.status.success());
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("Факт в полосе P10–P90"), "{table}");
    assert!(table.contains(&format!("{} из 6", one["inside"])), "{table}");
    let page = dir.path().join("backtest.html");
    let out = backtest(
        "agency",
        &log,
        &deals,
        &["--format", "html", "--out", page.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("<svg") && html.contains("факт по истории"),
        "chart with the actual"
    );
    assert!(html.contains(&format!("Факт в полосе P10–P90: {} из 6", one["inside"])));
    // Each month's period as the JSON gives it.
    let first = &one["periods"][0];
    assert_eq!(first["from"], "2027-01-04");
    assert!(html.contains("января\u{a0}2027"), "dates in Russian");
}

#[test]
fn the_calibrated_forecast_measures_only_the_history_before_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let (log, deals) = trace(dir.path(), "agency", 1);
    let b = backtest_json("agency", &log, &deals, &["--calibrated"]);
    assert_eq!(b["basis"]["kind"], "calibrated");
    let changes = b["basis"]["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c.as_str().unwrap().ends_with("конверсия")),
        "{changes:?}"
    );
    // The history after the date is not looked at: cutting it off changes nothing.
    let cut = dir.path().join("cut.csv");
    let cut_deals = dir.path().join("cut.deals.csv");
    let text = std::fs::read_to_string(&log).unwrap();
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        let date = line.split(';').nth(1).unwrap_or("");
        if kept.is_empty() || date < "2027-01-04" {
            kept.push(line);
        }
    }
    std::fs::write(&cut, kept.join("\n") + "\n").unwrap();
    // Deals: those closed after the date become open, as they were on it.
    let text = std::fs::read_to_string(&deals).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let f: Vec<&str> = line.split(';').collect();
        if i > 0 && f[1] >= "2027-01-04" {
            continue;
        }
        if i > 0 && f[5] >= "2027-01-04" {
            out.push_str(&format!(
                "{};{};{};{};открыта;;;{}\n",
                f[0], f[1], f[2], f[3], f[7]
            ));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(&cut_deals, out).unwrap();
    let scenario = |log: &Path, deals: &Path| {
        let out = voronka(&[
            "calibrate",
            "examples/agency.sales",
            "--history",
            log.to_str().unwrap(),
            deals.to_str().unwrap(),
            "--until",
            "2027-01-03",
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["stages"].clone()
    };
    assert_eq!(scenario(&log, &deals), scenario(&cut, &cut_deals));
}

#[test]
fn refusals_say_why_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let (log, deals) = trace(dir.path(), "saas_en", 1);
    let run = |history: &[&Path], at: &str, months: &str| {
        let mut args = vec!["backtest", "examples/saas_en.sales", "--history"];
        args.extend(history.iter().map(|p| p.to_str().unwrap()));
        args.extend_from_slice(&["--at", at, "--months", months, "--runs", "50", "-q"]);
        voronka(&args)
    };
    let out = run(&[&log], "2027-01-04", "3");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("таблица сделок"));
    let out = run(&[&log, &deals], "2030-01-01", "3");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("вне истории"));
    let out = run(&[&log, &deals], "2027-12-20", "3");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ни одного целого месяца"));
    // Asking for more months than the history covers compares what it covers, and says so.
    let out = run(&[&log, &deals], "2027-09-01", "12");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("история кончается"), "{text}");
    // A deals list alone (a snapshot) cannot tell where deals stood on a past date.
    let out = run(&[&deals], "2027-01-04", "3");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("нет переходов по этапам"));
    // A date that is not one is a usage error.
    let out = run(&[&log, &deals], "2027-13-01", "3");
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("backtest.html").exists());
}
