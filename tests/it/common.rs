//! Helpers shared by the integration tests that run the real binary (`use crate::common;`).
//! Each test module uses its own subset of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use voronka::model::Model;
use voronka::sim::{SimResult, fluid};

/// Runs the `voronka` binary with `args`, without colours.
pub fn voronka(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs")
}

/// Root examples: every `examples/*.sales` and `examples/split/main.sales`.
pub fn examples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("examples")
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sales"))
        .collect();
    out.sort();
    out.push(PathBuf::from("examples/split/main.sales"));
    out
}

/// `insta::assert_snapshot!` for the modules of the one test binary: the snapshot stays
/// `tests/snapshots/<module>__<name>.snap`, the name and place it had when every test file was
/// its own binary (`<module>` is the test file: `crm`, `documents`, `forecast`).
#[macro_export]
macro_rules! assert_snapshot {
    ($name:expr, $value:expr) => {{
        let module = module_path!().rsplit("::").next().unwrap_or_default();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(format!("{module}__{}", $name), $value));
    }};
}

/// The documents of a regulation given as text, in Markdown (`voronka docs … --format md`):
/// the directory that holds them (kept while the returned `TempDir` lives) and a reader of one.
pub fn docs_md(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("t.sales");
    std::fs::write(&file, text).expect("write");
    let out_dir = dir.path().join("docs");
    let out = voronka(&[
        "docs",
        file.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, out_dir)
}

/// The model of a regulation given as text; the test fails on any error, with the diagnostics.
pub fn model(text: &str) -> Model {
    let c = voronka::compile_str(Path::new("test.sales"), text);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    c.model.expect("a model")
}

/// `got` within `tolerance` of `want` (a tolerance from sampling error, never by eye).
pub fn within(what: &str, got: f64, want: f64, tolerance: f64) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: got {got}, expected {want} ± {tolerance}"
    );
}

/// Every month's wins, revenue and new clients of a simulation of `runs` replications within
/// 4 SE of the exact mean-value walk; `label` names the case in a failure.
pub fn months_match_the_walk(label: &str, r: &SimResult, e: &fluid::Expected, runs: u32) {
    assert_eq!(r.months.len(), e.months.len(), "{label}: months");
    let se = |sd: f64| 4.0 * sd / f64::from(runs).sqrt() + 1e-9;
    for (got, want) in r.months.iter().zip(&e.months) {
        let what = |f: &str| format!("{label}, month {}: {f}", want.month);
        within(&what("won"), got.won.mean, want.won, se(got.won.sd));
        within(
            &what("revenue"),
            got.revenue.mean,
            want.revenue,
            se(got.revenue.sd),
        );
        within(
            &what("new clients"),
            got.new_clients.mean,
            want.new_clients,
            se(got.new_clients.sd),
        );
    }
}
