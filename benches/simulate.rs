//! The forecast's speed on `examples/benchmark.sales` (4 000 leads a month, 9 stages in two
//! pipelines, 25 salespeople in 4 roles, 12 months, hunters at capacity): 1 000 and 10 000
//! replications on all cores. Run with `cargo bench --bench simulate`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;
use voronka::sim::{self, Params, SimOptions, simulate};

fn bench(c: &mut Criterion) {
    let compiled = voronka::compile(Path::new("examples/benchmark.sales"));
    assert!(!compiled.has_errors(), "the benchmark model checks clean");
    let model = compiled.model.expect("model");
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    for runs in [1_000u32, 10_000] {
        group.bench_function(format!("benchmark.sales/{runs}"), |b| {
            b.iter(|| {
                simulate(
                    black_box(&model),
                    &SimOptions {
                        runs,
                        seed: 1,
                        ..SimOptions::default()
                    },
                )
            })
        });
    }
    // The floor of the same 1 000 replications (`sim::Floor`): their random draws made again
    // without the walk around them, on both cores — what the engine cannot spend less than.
    let params = Params::from_model(&model, None);
    let floor = sim::floor(
        &params,
        &SimOptions {
            runs: 1_000,
            seed: 1,
            ..SimOptions::default()
        },
    );
    group.bench_function("benchmark.sales/1000, the floor", |b| b.iter(|| floor.replay()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
