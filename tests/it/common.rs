//! Helpers shared by the integration tests that run the real binary (`mod common;`). Each test
//! crate uses its own subset of them.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

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
