//! A stable-Rust mutation fuzzer (issue 15): the examples and the diagnostic files, mutated by
//! deleting, duplicating and swapping spans and by inserting grammar tokens and hostile
//! characters, go through the whole pipeline — load, parse, lower, check, then `fmt` and a
//! 5-run forecast for whatever compiles. A crash (panic or abort) is the only failure: ordinary
//! diagnostics are the expected answer to bad input (the `just` #366 practice).
//!
//! * `cargo test --test it fuzz::` — the fixed-seed run CI does (a few hundred inputs, well under
//!   two minutes in a debug build);
//! * `VORONKA_FUZZ_SECONDS=3600 cargo test --release --test it fuzz:: -- --ignored` — the long run
//!   for a release (one CPU-hour by default; each input's seed is printed before it runs, so a
//!   crash is reproduced with `VORONKA_FUZZ_SEED=<seed>`);
//! * `tests/fixtures/hostile/` — the crash corpus: every file there is replayed on each run.
//!   Add the input of any crash found, minimised, to that folder.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Tokens inserted by the mutator: keywords of the grammar plus punctuation, numbers at the
/// edges of their ranges and characters known to trouble parsers and renderers.
fn dictionary() -> Vec<String> {
    let mut words: Vec<String> = voronka::syntax::keywords::all()
        .iter()
        .flat_map(|k| k.spellings.iter().cloned())
        .collect();
    for t in [
        "{",
        "}",
        "(",
        ")",
        "\"",
        "\"\"\"",
        ";",
        ",",
        "->",
        "-",
        "+",
        "*",
        "/",
        "%",
        "..",
        "#",
        "\n",
        "\r",
        "\r\n",
        "\t",
        " ",
        "0",
        "-1",
        "1e15",
        "1e16",
        "1e300",
        "1e39",
        "NaN",
        "inf",
        "0.5",
        "100%",
        "1000000",
        "2026-02-30",
        "\u{3000}",
        "\u{85}",
        "\u{2028}",
        "\u{2003}",
        "\u{202E}",
        "\u{200D}",
        "\u{FEFF}",
        "\u{0C}",
        "\u{0}",
        "а",
        "a",
        "Х",
        "этап Х { }",
        "подключить \"x.sales\"",
        "\u{3000}\"x\"",
        "\u{2028}\"",
        "\u{85}\"\"\"",
    ] {
        words.push(t.to_string());
    }
    words
}

/// The seeds of the corpus: every example and every diagnostic file.
fn seeds() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "sales") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(Path::new("examples"), &mut files);
    walk(Path::new("tests/diagnostics"), &mut files);
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| t.len() < 200_000)
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize, times: usize },
    Insert { at: usize, token: usize, times: usize },
    Swap { a: usize, b: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1usize..64, 1usize..40).prop_map(|(at, len, times)| Mutation::Duplicate {
            at,
            len,
            times
        }),
        (any::<usize>(), any::<usize>(), 1usize..300).prop_map(|(at, token, times)| Mutation::Insert {
            at,
            token,
            times
        }),
        (any::<usize>(), any::<usize>(), 1usize..200).prop_map(|(a, b, len)| Mutation::Swap { a, b, len }),
    ]
}

/// Applies mutations to the text as characters, so every result is valid UTF-8.
fn mutate(text: &str, mutations: &[Mutation], dict: &[String]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for m in mutations {
        let n = chars.len().max(1);
        match *m {
            Mutation::Delete { at, len } => {
                let at = at % n;
                let end = (at + len).min(chars.len());
                if at < end {
                    chars.drain(at..end);
                }
            }
            Mutation::Duplicate { at, len, times } => {
                let at = at % n;
                let end = (at + len).min(chars.len());
                let piece: Vec<char> = chars.get(at..end).unwrap_or_default().to_vec();
                for _ in 0..times {
                    chars.splice(end..end, piece.iter().copied());
                }
            }
            Mutation::Insert { at, token, times } => {
                let at = at % (chars.len() + 1);
                let t = &dict[token % dict.len()];
                let piece: Vec<char> = t.repeat(times).chars().collect();
                chars.splice(at..at, piece);
            }
            Mutation::Swap { a, b, len } => {
                let (a, b) = (a % n, b % n);
                let (a, b) = (a.min(b), a.max(b));
                let len = len.min(b - a).min(chars.len().saturating_sub(b));
                for i in 0..len {
                    chars.swap(a + i, b + i);
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// The whole pipeline on one input. Only a panic or an abort fails.
fn pipeline(text: &str) {
    let path = Path::new("fuzz.sales");
    let compiled = voronka::compile_str(path, text);
    for d in &compiled.diagnostics {
        // Rendering every diagnostic touches the span arithmetic (multi-byte text, line ends).
        let _ = d.kind.message();
    }
    let _ = voronka::diag::render::short(&compiled.sources, &compiled.diagnostics, voronka::diag::Lang::Ru);
    let _ = voronka::fmt::format_text(path, text);
    if let Some(model) = compiled.model.as_ref().filter(|_| !compiled.has_errors()) {
        let options = voronka::sim::SimOptions {
            runs: 5,
            threads: Some(1),
            ..Default::default()
        };
        let _ = voronka::sim::simulate(model, &options);
    }
}

/// Runs `cases` mutated inputs from one seed.
fn campaign(seed: u64, cases: u32) {
    let seeds = seeds();
    let dict = dictionary();
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let strategy = (0..seeds.len(), prop::collection::vec(mutation(), 1..6));
    let result = runner.run(&strategy, |(i, ms)| {
        pipeline(&mutate(&seeds[i], &ms, &dict));
        Ok(())
    });
    if let Err(e) = result {
        panic!("seed {seed}: {e}");
    }
}

#[test]
fn the_fixed_seed_campaign_finds_no_crash() {
    campaign(15, 384);
}

#[test]
fn the_crash_corpus_replays_without_a_crash() {
    let dir = Path::new("tests/fixtures/hostile");
    let mut n = 0;
    for e in std::fs::read_dir(dir).expect("the corpus folder") {
        let path = e.unwrap().path();
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        let start = Instant::now();
        pipeline(&text);
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{}: too slow",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 5, "the corpus is in place");
}

/// The release run: random seeds until `VORONKA_FUZZ_SECONDS` (3600 by default) have passed,
/// or one seed (`VORONKA_FUZZ_SEED`).
#[test]
#[ignore]
fn long_campaign() {
    if let Some(seed) = std::env::var("VORONKA_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        campaign(seed, 256);
        return;
    }
    let seconds: u64 = std::env::var("VORONKA_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3600);
    let start = Instant::now();
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs());
    let mut inputs = 0u64;
    while start.elapsed() < Duration::from_secs(seconds) {
        eprintln!("seed {seed}");
        campaign(seed, 256);
        inputs += 256;
        seed += 1;
    }
    eprintln!("{inputs} inputs in {:?}, no crash", start.elapsed());
}
