//! `voronka build examples/agency.sales`: everything at once — checks, analysis, the forecast
//! with the value of a hire (1 000 runs), the documents in Markdown, HTML and DOCX, the CRM
//! configurations and schemas — into a temporary folder. The build has no library entry (it
//! is the CLI's own sequence of steps), so the bench runs the binary, process start included.

use criterion::{Criterion, criterion_group, criterion_main};
use std::process::Command;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out");
    let mut group = c.benchmark_group("build");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("agency.sales", |b| {
        b.iter(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_voronka"))
                .args(["build", "examples/agency.sales", "--out"])
                .arg(&out)
                .arg("-q")
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("the binary runs");
            assert!(status.success(), "build succeeds");
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
