//! The planning commands' speed on `examples/benchmark.sales` (4 000 leads a month, 9 stages in
//! two pipelines, 25 salespeople in 4 roles, 12 months), each as the command runs it with
//! `--runs 1000` (the default) on all cores: the ±10 % tornado (`sensitivity`, adaptive), the
//! headcount of Хантер for the plan (`plan`, screened), and a sweep of Хантер over 3..10
//! (`sweep`, adaptive). Small samples, so `cargo bench --bench planning` stays within a few
//! minutes on two cores.
//!
//! And `sensitivity` of the same model with every stage long and decaying (`длительность 0..70
//! дн; ожидание 20 дн; затухание 2% в день`): each variant's engine then holds the decayed
//! cells of twenty days of waiting per stage, which the variants of one comparison share
//! (`sim::SharedCells`) — the case where building engines, not running them, once cost a
//! third of the time and 570 MB.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;
use voronka::planning::{PRECISION, plan_headcount, sensitivity, sweep};
use voronka::scenario::Param;
use voronka::sim::SimOptions;

fn bench(c: &mut Criterion) {
    let compiled = voronka::compile(Path::new("examples/benchmark.sales"));
    assert!(!compiled.has_errors(), "the benchmark model checks clean");
    let model = compiled.model.expect("model");
    let options = SimOptions {
        runs: 1000,
        seed: 1,
        ..SimOptions::default()
    };
    let mut group = c.benchmark_group("planning");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("sensitivity/benchmark.sales", |b| {
        b.iter(|| sensitivity(black_box(&model), &options, PRECISION))
    });
    group.bench_function("plan/benchmark.sales/Хантер", |b| {
        b.iter(|| plan_headcount(black_box(&model), "Хантер", 0.8, &options))
    });
    let hunters = Param::Headcount {
        role: "Хантер".into(),
    };
    let values: Vec<f64> = (3..=10).map(f64::from).collect();
    group.bench_function("sweep/benchmark.sales/Хантер.штат=3..10", |b| {
        b.iter(|| sweep(black_box(&model), &hunters, &values, &options, PRECISION))
    });
    let decaying = voronka::compile_str(Path::new("decaying.sales"), &every_stage_decaying());
    assert!(!decaying.has_errors(), "the decaying variant checks clean");
    let decaying = decaying.model.expect("model");
    group.bench_function("sensitivity/benchmark.sales, every stage decaying", |b| {
        b.iter(|| sensitivity(black_box(&decaying), &options, PRECISION))
    });
    group.finish();
}

/// `examples/benchmark.sales` with each stage's duration, wait limit and decay replaced by
/// `длительность 0..70 дн; ожидание 20 дн; затухание 2% в день`.
fn every_stage_decaying() -> String {
    const STAGE: &str = "длительность 0..70 дн; ожидание 20 дн; затухание 2% в день";
    let text = std::fs::read_to_string("examples/benchmark.sales").expect("the benchmark model");
    text.lines()
        // The first stage's wait and decay are on a line of their own.
        .filter(|line| !line.trim_start().starts_with("ожидание"))
        .map(|line| match line.find("длительность") {
            Some(at) if line.contains("конверсия") => format!("{}{STAGE}", &line[..at]),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

criterion_group!(benches, bench);
criterion_main!(benches);
