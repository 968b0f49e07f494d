//! `voronka build` through the real binary: every example gives the full folder (analysis,
//! forecast, documents, CRM configurations, graphs) with an `index.md` whose every link
//! exists; two runs are byte-identical; a file with errors stops the build before anything is
//! written.

use crate::common;

use common::{examples, voronka};
use std::path::Path;
use std::process::Output;

fn build(file: &Path, out: &Path, runs: &str) -> Output {
    voronka(&[
        "build",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--runs",
        runs,
        "-q",
    ])
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_example_builds_the_full_folder() {
    let tmp = tempfile::tempdir().unwrap();
    for file in examples() {
        let out = tmp.path().join(file.file_stem().unwrap());
        let o = build(&file, &out, "10");
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        for path in [
            "index.md",
            "analysis/analysis.txt",
            "analysis/analysis.json",
            "forecast/forecast.txt",
            "forecast/forecast.json",
            "documents/regulation.md",
            "documents/regulation.html",
            "crm/stages.yaml",
            "crm/amocrm/README.md",
            "crm/amocrm/apply.sh",
            "crm/bitrix24/README.md",
            "crm/hubspot/README.md",
            "crm/pipedrive/README.md",
            "graph/process.dot",
            "graph/process.mmd",
        ] {
            assert!(out.join(path).is_file(), "{}: no {path}", file.display());
        }
        let compiled = voronka::compile(&file);
        let model = compiled.model.unwrap();
        for (k, p) in model.pipelines.iter().enumerate() {
            let svg = out.join(format!("graph/{:02}-{}.svg", k + 1, p.name));
            assert!(
                std::fs::read_to_string(&svg).unwrap().starts_with("<svg"),
                "{}",
                svg.display()
            );
        }
        let forecast: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("forecast/forecast.json")).unwrap()).unwrap();
        assert_eq!(forecast["runs"], 10);
        // index.md names every file written, by a link that resolves.
        let index = std::fs::read_to_string(out.join("index.md")).unwrap();
        assert!(index.starts_with("# Сборка voronka"), "{index}");
        let mut links = 0;
        for line in index.lines().filter(|l| l.starts_with("- [")) {
            let target = line.split("](").nth(1).and_then(|r| r.split(')').next()).unwrap();
            assert!(
                out.join(target).exists(),
                "{}: broken link {target}",
                file.display()
            );
            links += 1;
        }
        assert!(links >= 15, "{index}");
        for (name, _) in tree(&out) {
            if name == "index.md" {
                continue;
            }
            let listed = index.contains(&format!("[{name}]"))
                || Path::new(&name)
                    .parent()
                    .is_some_and(|d| index.contains(&format!("[{}/]", d.display())));
            assert!(listed, "{}: {name} is not in index.md", file.display());
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        let o = build(Path::new("examples/agency.sales"), dir, "30");
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 50, "{}", ta.len());
    for ((na, ca), (nb, cb)) in ta.iter().zip(&tb) {
        assert_eq!(na, nb);
        assert!(ca == cb, "{na} differs between two builds");
    }
    assert_eq!(ta.len(), tb.len());
}

#[test]
fn a_file_with_errors_stops_the_build_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.sales");
    std::fs::write(&file, "воронка Продажа { этап А { конверсия 140% } }\n").unwrap();
    let out = tmp.path().join("out");
    let o = build(&file, &out, "10");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("E0011") && err.contains("сборка остановлена"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
    let o = build(Path::new("no-such.sales"), &out, "10");
    assert_eq!(o.status.code(), Some(3));
}
