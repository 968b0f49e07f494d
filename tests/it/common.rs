//! Helpers shared by the integration tests that run the real binary (`use crate::common;`).
//! Each test module uses its own subset of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use voronka::model::Model;

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
