//! A stable-Rust mutation fuzzer (issue 15). Five targets, each a set of seed files mutated by
//! deleting, duplicating and swapping spans and by inserting tokens and hostile characters:
//!
//! * `language` — the examples and the diagnostic files through the whole pipeline: load,
//!   parse, lower, check, then `fmt` and a 5-run forecast for whatever compiles;
//! * `scenario` — what-if YAML files against `examples/agency.sales`, applied and simulated;
//! * `open_deals_csv`, `open_deals_yaml` — open-deal files, simulated from;
//! * `templates` — a user template (`--templates`) replacing the memo, rendered to Markdown.
//!
//! A crash (panic or abort) is the only failure: ordinary diagnostics are the expected answer
//! to bad input (the `just` #366 practice).
//!
//! * `cargo test --test it fuzz::` — the fixed-seed run CI does (a few hundred inputs, well under
//!   two minutes in a debug build);
//! * `VORONKA_FUZZ_SECONDS=3600 cargo test --release --test it fuzz:: -- --ignored` — the long run
//!   for a release (one CPU-hour by default; each input's seed is printed before it runs, so a
//!   crash is reproduced with `VORONKA_FUZZ_SEED=<seed> VORONKA_FUZZ_TARGET=<target>`, and
//!   `VORONKA_FUZZ_DUMP=FILE` keeps the input that aborted);
//! * `tests/fixtures/hostile/` — the crash corpus: every file there is replayed on each run
//!   (`*.sales` through `language`; the sub-folders `scenario/`, `open_deals/` (`.csv`,
//!   `.yaml`) and `templates/` through their targets). Add the input of any crash found,
//!   minimised, to that folder.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
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
        // YAML, CSV and template syntax.
        ": ",
        "- ",
        "[",
        "]",
        "&a ",
        "*a",
        "<<: *a",
        "!!str ",
        "!!binary ",
        "? ",
        "|\n  ",
        ">-\n  ",
        "'",
        "~",
        "null",
        ".inf",
        "-.nan",
        "0x7fffffff",
        "99999999999999999999",
        "1e400",
        "300000..500000",
        "150%",
        "-5%",
        "Продажа",
        "Продажа.КП",
        "Менеджер",
        "Сайт",
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        "{% for x in range(100) %}",
        "{% endfor %}",
        "{% if true %}",
        "{% endif %}",
        "{% macro m(x) %}{{ x }}{% endmacro %}",
        "{{ m(1) }}",
        "{% include \"memo.md\" %}",
        "{% extends \"memo.md\" %}",
        "|safe",
        "|money",
        "|upper",
        "loop.index",
        "role",
        "none",
    ] {
        words.push(t.to_string());
    }
    words
}

/// What is fuzzed: which seeds, through which part of the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Language,
    Scenario,
    OpenDealsCsv,
    OpenDealsYaml,
    Templates,
}

impl Target {
    const ALL: [Target; 5] = [
        Target::Language,
        Target::Scenario,
        Target::OpenDealsCsv,
        Target::OpenDealsYaml,
        Target::Templates,
    ];

    /// The seeds: files of the repository plus a few written here to reach every key.
    fn seeds(self) -> Vec<String> {
        let mut files = Vec::new();
        let mut inline: Vec<&str> = Vec::new();
        match self {
            Target::Language => {
                walk(Path::new("examples"), "sales", &mut files);
                walk(Path::new("tests/diagnostics"), "sales", &mut files);
            }
            Target::Scenario => {
                walk(Path::new("examples/scenarios"), "yaml", &mut files);
                inline = vec![
                    "name: x\ndescription: y\nroles:\n  Менеджер: { headcount: 1 }\nstages:\n  Продажа.КП: { conversion: 10%, duration: 3 }\n",
                    "каналы:\n  Сайт: { лиды: \"50..150\", стоимость_лида: \"1000..2000..5000\" }\nплан:\n  выручка: 1000000\n  сделки: 3\n  новые_клиенты: 2\n",
                    "воронки:\n  Продажа: { чек: \"300000..500000\" }\nэтапы:\n  КП: { длительность: \"1..2..9\" }\n",
                ];
            }
            Target::OpenDealsCsv => walk(Path::new("examples/open_deals"), "csv", &mut files),
            Target::OpenDealsYaml => walk(Path::new("examples/open_deals"), "yaml", &mut files),
            Target::Templates => {
                return voronka::render::embedded(voronka::diag::Lang::Ru)
                    .iter()
                    .filter(|(name, _)| name.ends_with(".md") && *name != "regulation.md")
                    .map(|(_, text)| text.to_string())
                    .collect();
            }
        }
        files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter(|t| t.len() < 200_000)
            .chain(inline.into_iter().map(String::from))
            .collect()
    }

    /// One input through the target, on a thread with the main thread's 8 MiB stack (the
    /// command line runs there; a test thread has 2 MiB, on which a debug build's YAML reader
    /// overflows before its own depth limit of 64). Only a panic or an abort fails.
    fn run(self, text: &str) {
        std::thread::scope(|s| {
            let worker = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(s, || self.run_here(text))
                .expect("a thread");
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        });
    }

    fn run_here(self, text: &str) {
        match self {
            Target::Language => pipeline(text),
            Target::Scenario => scenario(text),
            Target::OpenDealsCsv => open_deals(text, voronka::sim::open_deals::Format::Csv),
            Target::OpenDealsYaml => open_deals(text, voronka::sim::open_deals::Format::Yaml),
            Target::Templates => template(text),
        }
    }
}

fn walk(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
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

/// The model the scenario, open-deal and template targets work on.
fn agency() -> &'static voronka::model::Model {
    static MODEL: OnceLock<voronka::model::Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let c = voronka::compile(Path::new("examples/agency.sales"));
        assert!(!c.has_errors());
        c.model.expect("the example compiles")
    })
}

fn five_runs(model: &voronka::model::Model, open: &[voronka::sim::OpenDeal]) {
    let options = voronka::sim::SimOptions {
        runs: 5,
        threads: Some(1),
        open_deals: open,
        ..Default::default()
    };
    let _ = voronka::sim::simulate(model, &options);
}

fn scenario(text: &str) {
    let model = agency();
    let mut sources = voronka::source::SourceMap::new();
    let id = sources.add("fuzz.yaml", text.to_owned());
    match voronka::scenario::parse(text, id, model, "fuzz") {
        Ok(s) => five_runs(&voronka::scenario::apply(model, &s), &[]),
        Err(errors) => {
            // Rendering touches the span arithmetic (multi-byte text, line ends) in both languages.
            for lang in [voronka::diag::Lang::Ru, voronka::diag::Lang::En] {
                let _ = voronka::diag::render::human_string(&sources, &errors, lang);
            }
        }
    }
}

fn open_deals(text: &str, format: voronka::sim::open_deals::Format) {
    let model = agency();
    let mut sources = voronka::source::SourceMap::new();
    let id = sources.add("fuzz.csv", text.to_owned());
    match voronka::sim::open_deals::parse(text, id, format, model) {
        Ok(deals) => five_runs(model, &deals),
        Err(errors) => {
            let _ = voronka::diag::render::human_string(&sources, &errors, voronka::diag::Lang::Ru);
        }
    }
}

/// A user template in place of the memo (every document of one role), rendered to Markdown.
fn template(text: &str) {
    static ANALYSIS: OnceLock<voronka::analyze::Analysis> = OnceLock::new();
    let model = agency();
    let analysis = ANALYSIS.get_or_init(|| voronka::analyze::analyze(model));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("memo.md"), text).unwrap();
    let options = voronka::render::DocsOptions {
        formats: vec![voronka::render::OutFormat::Md],
        lang: voronka::diag::Lang::Ru,
        templates: Some(dir.path().to_path_buf()),
        only: Some(voronka::render::DocKind::Memo),
        forecast: None,
    };
    if let Err(e) = voronka::render::documents(model, analysis, &options) {
        let _ = e.to_string();
    }
}

/// Runs `cases` mutated inputs of `target` from one seed.
fn campaign(target: Target, seed: u64, cases: u32) {
    let seeds = target.seeds();
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
    // `VORONKA_FUZZ_DUMP=FILE`: each input is written there before it runs, so the input of
    // an abort (a stack overflow cannot be caught) is left in the file.
    let dump = std::env::var_os("VORONKA_FUZZ_DUMP");
    let result = runner.run(&strategy, |(i, ms)| {
        let input = mutate(&seeds[i], &ms, &dict);
        if let Some(path) = &dump {
            let _ = std::fs::write(path, &input);
        }
        target.run(&input);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{target:?}, seed {seed}: {e}");
    }
}

#[test]
fn the_fixed_seed_campaign_finds_no_crash() {
    campaign(Target::Language, 15, 384);
}

#[test]
fn the_fixed_seed_scenario_campaign_finds_no_crash() {
    campaign(Target::Scenario, 15, 128);
}

#[test]
fn the_fixed_seed_open_deals_campaign_finds_no_crash() {
    campaign(Target::OpenDealsCsv, 15, 96);
    campaign(Target::OpenDealsYaml, 15, 96);
}

#[test]
fn the_fixed_seed_template_campaign_finds_no_crash() {
    campaign(Target::Templates, 15, 64);
}

#[test]
fn the_crash_corpus_replays_without_a_crash() {
    let dir = Path::new("tests/fixtures/hostile");
    let mut n = 0;
    let mut files = Vec::new();
    walk(dir, "sales", &mut files);
    walk(&dir.join("scenario"), "yaml", &mut files);
    walk(&dir.join("open_deals"), "csv", &mut files);
    walk(&dir.join("open_deals"), "yaml", &mut files);
    walk(&dir.join("templates"), "md", &mut files);
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        let folder = path.parent().and_then(Path::file_name).and_then(|f| f.to_str());
        let target = match (folder, path.extension().and_then(|e| e.to_str())) {
            (Some("scenario"), _) => Target::Scenario,
            (Some("open_deals"), Some("csv")) => Target::OpenDealsCsv,
            (Some("open_deals"), _) => Target::OpenDealsYaml,
            (Some("templates"), _) => Target::Templates,
            _ => Target::Language,
        };
        let start = Instant::now();
        target.run(&text);
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{}: too slow",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 10, "the corpus is in place");
}

/// The release run: random seeds until `VORONKA_FUZZ_SECONDS` (3600 by default) have passed,
/// the targets in turn (`VORONKA_FUZZ_TARGET=scenario` for one), or one seed
/// (`VORONKA_FUZZ_SEED`, with the target it was printed with).
#[test]
#[ignore]
fn long_campaign() {
    let only = std::env::var("VORONKA_FUZZ_TARGET").ok();
    let targets: Vec<Target> = Target::ALL
        .into_iter()
        .filter(|t| {
            only.as_deref()
                .is_none_or(|o| format!("{t:?}").eq_ignore_ascii_case(&o.replace('_', "")))
        })
        .collect();
    assert!(!targets.is_empty(), "VORONKA_FUZZ_TARGET names no target");
    if let Some(seed) = std::env::var("VORONKA_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        for &t in &targets {
            campaign(t, seed, 256);
        }
        return;
    }
    let seconds: u64 = std::env::var("VORONKA_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3600);
    let start = Instant::now();
    // Apart for runs started in the same second (one per core).
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs())
        * 1000
        + u64::from(std::process::id() % 1000) * 1_000_000_000_000;
    let mut inputs = 0u64;
    while start.elapsed() < Duration::from_secs(seconds) {
        let target = targets[(seed % targets.len() as u64) as usize];
        eprintln!("{target:?} seed {seed}");
        campaign(target, seed, 256);
        inputs += 256;
        seed += 1;
    }
    eprintln!("{inputs} inputs in {:?}, no crash", start.elapsed());
}
