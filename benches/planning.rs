//! The planning commands' speed on `examples/benchmark.sales` (4 000 leads a month, 9 stages in
//! two pipelines, 25 salespeople in 4 roles, 12 months), each as the command runs it with
//! `--runs 1000` (the default) on all cores: the ±10 % tornado (`sensitivity`, adaptive), the
//! headcount of Хантер for the plan (`plan`, screened), and a sweep of Хантер over 3..10
//! (`sweep`, adaptive). Small samples, so `cargo bench --bench planning` stays within a few
//! minutes on two cores.

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
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
