//! One truth across outputs: the same figure read from `analyze --format json`,
//! `simulate --format json` and the documents agrees, or differs by what the output itself
//! explains (the roles' working time). Traced figures:
//!
//! - the forecast's start: `simulate` JSON `start`, `analyze` JSON `horizon.start`, and the
//!   one start sentence in the `simulate` table and the Положение's forecast appendix;
//! - revenue, deals (all purchases) and new clients over the horizon: `analyze` JSON
//!   `horizon.*` (the exact mean-value walk) against the `simulate` JSON means — equal within
//!   4 SE where no role is the bottleneck, and never above it beyond 4 SE where one is;
//! - each month's wins, the same way;
//! - the settled month: `analyze` JSON `department.revenue_per_month` against the horizon's
//!   monthly mean from an established start — they differ only by seasonality and the repeat
//!   cycle, so within 15 % for every example;
//! - the three above also for models drawn at random (stages, conversions, durations,
//!   contacts, repeats, hand-offs), which the suite has not seen;
//! - a stage's P(won): `analyze` (the pipeline's outcome), `analyze::stage_values`, the CRM's
//!   computed stage probabilities and the editor's hover on a pipeline;
//! - the plan decomposition of the Положение ("для плана нужно X этого объёма") against
//!   `analyze` JSON `plan.targets[].lead_multiplier`;
//! - the effective conversions ("с учётом недозвона") in the memos, the Положение's stage
//!   cards and the model;
//! - `старт новый` in every output (the start sentence, the empty first month).

use crate::common;

use common::{examples, voronka};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = voronka(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn f(v: &Value, path: &[&str]) -> f64 {
    let mut v = v;
    for p in path {
        v = &v[*p];
    }
    v.as_f64()
        .unwrap_or_else(|| panic!("{path:?} is not a number: {v}"))
}

/// The forecast's mean agrees with the exact horizon within 4 SE (plus a hair), or lies below
/// it when a role is the bottleneck.
fn agrees(what: &str, sim: f64, sd: f64, runs: f64, exact: f64, capped: bool) {
    let tolerance = 4.0 * sd / runs.sqrt() + 1e-6 * exact.abs() + 1e-9;
    if capped {
        assert!(
            sim <= exact + tolerance,
            "{what}: forecast {sim} above the uncapped {exact} ± {tolerance}"
        );
    } else {
        assert!(
            (sim - exact).abs() <= tolerance,
            "{what}: forecast {sim}, exact {exact} ± {tolerance}"
        );
    }
}

#[test]
fn analysis_and_forecast_tell_one_story_for_every_example() {
    for file in examples() {
        one_story(file.to_str().unwrap(), 150);
    }
}

/// The analysis (`analyze --format json`: the settled month and the exact horizon) and the
/// forecast (`simulate --format json`) of one file agree: one start, the horizon's revenue,
/// deals and new clients and each month's wins within 4 SE (below them where a role is the
/// bottleneck), the settled month within 15 % of the horizon's average month.
fn one_story(file: &str, runs: u32) {
    let runs_text = runs.to_string();
    const SETTLED_SHARE: f64 = 0.15;
    let runs_f = f64::from(runs);
    let a = json(&["analyze", file, "--format", "json"]);
    let s = json(&[
        "simulate",
        file,
        "--runs",
        &runs_text,
        "--no-hires",
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(s["start"], a["horizon"]["start"], "{file}: one start");
    assert_eq!(
        s["start"], "established",
        "{file}: an established department by default"
    );
    // A role at the bottleneck rule's load caps the forecast below the uncapped walk.
    let capped = s["roles"].as_array().unwrap().iter().any(|r| {
        r["utilization"]["mean"]
            .as_f64()
            .is_some_and(|u| u >= voronka::analyze::BOTTLENECK_LOAD - 0.15)
    });
    let h = &a["horizon"];
    for (sim, exact) in [
        ("revenue", "revenue"),
        ("won", "won"),
        ("new_clients", "new_clients"),
    ] {
        agrees(
            &format!("{file}: {sim}"),
            f(&s, &[sim, "mean"]),
            f(&s, &[sim, "sd"]),
            runs_f,
            f(h, &[exact]),
            capped,
        );
    }
    let months = s["months"].as_array().unwrap();
    let exact_months = h["months"].as_array().unwrap();
    assert_eq!(months.len(), exact_months.len(), "{file}: one horizon");
    for (m, e) in months.iter().zip(exact_months) {
        agrees(
            &format!("{file}: month {} wins", e["month"]),
            f(m, &["won", "mean"]),
            f(m, &["won", "sd"]),
            runs_f,
            f(e, &["won"]),
            capped,
        );
    }
    // The settled month and the horizon's average month from an established start.
    let settled = f(&a, &["department", "revenue_per_month"]);
    let per_month = f(h, &["revenue"]) / months.len() as f64;
    assert!(
        (per_month - settled).abs() <= SETTLED_SHARE * settled + 1.0,
        "{file}: settled {settled} vs horizon per month {per_month}"
    );
}

#[test]
fn every_forecast_output_names_its_start() {
    let file = "examples/agency.sales";
    let table = voronka(&["simulate", file, "--runs", "20", "--no-hires", "-q"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Старт — действующий отдел"), "{text}");
    let table = voronka(&[
        "simulate",
        file,
        "--runs",
        "20",
        "--no-hires",
        "-q",
        "--start",
        "новый",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Старт — новый отдел"), "{text}");
    let new = json(&[
        "simulate",
        file,
        "--runs",
        "20",
        "--no-hires",
        "-q",
        "--format",
        "json",
        "--start",
        "new",
    ]);
    assert_eq!(new["start"], "new");
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let docs = voronka(&[
        "docs",
        file,
        "--out",
        dir,
        "--format",
        "md",
        "--forecast",
        "--runs",
        "20",
    ]);
    assert!(docs.status.success(), "{}", String::from_utf8_lossy(&docs.stderr));
    let regulation = std::fs::read_to_string(out.path().join("regulation.md")).unwrap();
    assert!(
        regulation.contains("Старт — действующий отдел"),
        "the appendix names its start"
    );
    let analysis = voronka(&["analyze", file]);
    let text = String::from_utf8_lossy(&analysis.stdout);
    assert!(text.contains("Старт — действующий отдел"), "{text}");
}

/// `старт новый` in the regulation starts from an empty pipeline everywhere, and the horizon
/// then shows the first-month dip the settled month does not.
#[test]
fn a_new_department_starts_empty_in_every_output() {
    let text = std::fs::read_to_string("examples/agency.sales")
        .unwrap()
        .replacen("горизонт 12 мес", "горизонт 12 мес; старт новый", 1);
    assert!(
        text.contains("старт новый"),
        "the example names its horizon in the header"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sales");
    std::fs::write(&path, text).unwrap();
    let file = path.to_str().unwrap();
    let a = json(&["analyze", file, "--format", "json"]);
    assert_eq!(a["horizon"]["start"], "new");
    let months = a["horizon"]["months"].as_array().unwrap();
    assert!(f(&months[0], &["won"]) < 0.5 * f(&months[11], &["won"]));
    let s = json(&[
        "simulate",
        file,
        "--runs",
        "20",
        "--no-hires",
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(s["start"], "new");
}

/// A stage's P(won) has one reading (`analyze::stage_values`): the pipeline's outcome in
/// `analyze` is its first stage's value, the CRM's computed stage probability is the stage's
/// value, and the editor's hover on a pipeline shows the analysis' figure.
#[test]
fn one_p_won_per_stage_in_the_analysis_the_crm_and_the_hover() {
    use voronka::crm::setup::ProbabilitySource;
    for path in examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let compiled = voronka::compile_str(&path, &text);
        let model = compiled.model.expect("a model");
        let analysis = voronka::analyze::analyze(&model);
        let values = voronka::analyze::stage_values(&model);
        let mut first = 0;
        let mut firsts = Vec::new();
        for p in &model.pipelines {
            firsts.push(first);
            first += p.stages.len();
        }
        for (pi, p) in analysis.pipelines.iter().enumerate() {
            let Some(o) = &p.outcome else { continue };
            let v = values[firsts[pi]].p_won;
            assert!(
                (o.p_won - v).abs() < 1e-9,
                "{path:?} {}: {} vs {v}",
                p.name,
                o.p_won
            );
            let hover = voronka::lsp::hover::text(
                &voronka::model::Symbol::Pipeline(p.name.clone()),
                &model,
                Some(&analysis),
                voronka::diag::Lang::Ru,
            )
            .expect("a hover");
            let shown = voronka::render::format::percent(o.p_won, voronka::diag::Lang::Ru);
            assert!(hover.contains(&shown), "{path:?}: hover {hover} lacks {shown}");
        }
        let setup = voronka::crm::setup(&model, voronka::diag::Lang::Ru);
        for (pi, p) in setup.pipelines.iter().enumerate() {
            let mpi = model.pipelines.iter().position(|m| m.name == p.name).unwrap();
            for (si, s) in p.stages.iter().enumerate() {
                if s.probability_from == ProbabilitySource::Analysis {
                    let v = values[firsts[mpi] + si].p_won;
                    assert!(
                        (s.probability - v).abs() < 1e-12,
                        "{path:?} CRM {pi}.{si}: {} vs {v}",
                        s.probability
                    );
                }
            }
        }
    }
}

/// The Положение's plan decomposition (§ «Планирование»: "для плана нужно X этого объёма") is
/// the analysis' lead multiplier of the plan's metric, and the document says it is read from
/// the settled month.
#[test]
fn the_regulation_decomposes_the_plan_with_the_analysis_figures() {
    for path in examples() {
        let file = path.to_str().unwrap();
        let analysis = json(&["analyze", file, "--format", "json"]);
        let Some(targets) = analysis["plan"]["targets"].as_array() else {
            continue;
        };
        let out = tempfile::tempdir().unwrap();
        let docs = voronka(&[
            "docs",
            file,
            "--out",
            out.path().to_str().unwrap(),
            "--format",
            "md",
        ]);
        assert!(docs.status.success(), "{}", String::from_utf8_lossy(&docs.stderr));
        let regulation = std::fs::read_to_string(out.path().join("regulation.md")).unwrap();
        let Some(at) = regulation.find("для плана нужно ") else {
            continue;
        };
        let rest = &regulation[at + "для плана нужно ".len()..];
        let shown = &rest[..rest.find(" этого объёма").expect("the sentence")];
        let metric = ["revenue", "deals", "new_clients"]
            .into_iter()
            .find_map(|m| targets.iter().find(|t| t["metric"] == m))
            .expect("a plan metric");
        let want = voronka::render::format::percent(f(metric, &["lead_multiplier"]), voronka::diag::Lang::Ru);
        assert_eq!(shown, want, "{path:?}");
        assert!(
            rest.contains("Расчёт ведётся по установившемуся месяцу"),
            "{path:?}: the document says which month the figures are for"
        );
    }
}

/// A model drawn at random (fixed seed): one to three sales stages with random conversions,
/// durations and contacts, sometimes a repeat purchase and a hand-off to a second pipeline,
/// staff enough that no role limits the forecast.
fn generated(seed: u64) -> String {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut text = format!(
        "положение \"Модель {seed}\" {{ валюта ₽; горизонт {} мес; рабочая_неделя 5 дн }}\n\
         роль Менеджер {{ штат 40; рабочий_день 8 ч; доля_продаж 100% }}\n\
         канал Сайт {{ лиды {} в мес; воронка П }}\n",
        rng.random_range(3..=12),
        rng.random_range(20..=400),
    );
    let hand_off = rng.random_bool(0.5);
    let stages = rng.random_range(1..=3);
    text += &format!("воронка П {{\n  чек {} ₽\n", rng.random_range(10..=500) * 1000);
    if rng.random_bool(0.5) {
        text += &format!(
            "  повтор {}% через {} мес\n",
            rng.random_range(10..=60),
            rng.random_range(1..=6)
        );
    }
    for i in 0..stages {
        let lo = rng.random_range(0..=5);
        text += &format!(
            "  этап Э{i} {{ ответственный Менеджер; конверсия {}%; длительность {lo}..{} дн\n    \
             цепочка {{ звонок \"Звонок\" {} мин }}",
            rng.random_range(10..=95),
            lo + rng.random_range(0..=10),
            rng.random_range(5..=60),
        );
        if hand_off && i == stages - 1 {
            text += "\n    успех -> Допродажа.Д0";
        }
        text += " }\n";
    }
    text += "}\n";
    if hand_off {
        text += &format!(
            "воронка Допродажа {{\n  чек {} ₽\n  этап Д0 {{ ответственный Менеджер; \
             конверсия {}%; длительность 1..{} дн }}\n}}\n",
            rng.random_range(10..=500) * 1000,
            rng.random_range(20..=90),
            rng.random_range(1..=10),
        );
    }
    text
}

/// Models the suite has not seen: the analysis and the forecast tell one story for each, and
/// the CRM's stage probabilities are the analysis' P(won).
#[test]
fn analysis_and_forecast_tell_one_story_for_generated_models() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 0..6 {
        let text = generated(seed);
        let compiled = voronka::compile_str(std::path::Path::new("gen.sales"), &text);
        assert!(!compiled.has_errors(), "{text}\n{:#?}", compiled.diagnostics);
        let path = dir.path().join(format!("gen{seed}.sales"));
        std::fs::write(&path, &text).unwrap();
        one_story(path.to_str().unwrap(), 200);
        let model = compiled.model.unwrap();
        let values = voronka::analyze::stage_values(&model);
        let setup = voronka::crm::setup(&model, voronka::diag::Lang::Ru);
        let flat: Vec<f64> = setup
            .pipelines
            .iter()
            .flat_map(|p| p.stages.iter().map(|s| s.probability))
            .collect();
        assert_eq!(flat.len(), values.len(), "{text}");
        for (crm, v) in flat.iter().zip(&values) {
            assert!((crm - v.p_won).abs() < 1e-12, "{text}: {crm} vs {}", v.p_won);
        }
    }
}

/// Every figure "с учётом недозвона X" (the conversion the transitions, the plan and the
/// forecast use, `Stage::effective_conversion`) that a role's memo shows is the one the
/// Положение's stage card shows, and it is a stage's effective conversion in the model.
#[test]
fn the_memos_show_the_regulation_conversions() {
    const MARK: &str = "с учётом недозвона ";
    let shown = |text: &str| -> Vec<String> {
        text.match_indices(MARK)
            .map(|(at, _)| {
                let rest = &text[at + MARK.len()..];
                let end = rest.find('%').expect("a percentage") + '%'.len_utf8();
                rest[..end].to_string()
            })
            .collect()
    };
    for path in examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let model = voronka::compile_str(&path, &text).model.expect("a model");
        let effective: Vec<String> = model
            .pipelines
            .iter()
            .flat_map(|p| &p.stages)
            .filter_map(|s| s.effective_conversion())
            .map(|c| voronka::render::format::percent(c, voronka::diag::Lang::Ru))
            .collect();
        let out = tempfile::tempdir().unwrap();
        let docs = voronka(&[
            "docs",
            path.to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
            "--format",
            "md",
        ]);
        assert!(docs.status.success(), "{}", String::from_utf8_lossy(&docs.stderr));
        let regulation = shown(&std::fs::read_to_string(out.path().join("regulation.md")).unwrap());
        for r in &regulation {
            assert!(
                effective.contains(r),
                "{path:?}: the Положение shows {r}, the model has {effective:?}"
            );
        }
        for entry in std::fs::read_dir(out.path()).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with("memo-") {
                continue;
            }
            for m in shown(&std::fs::read_to_string(entry.path()).unwrap()) {
                assert!(
                    regulation.contains(&m),
                    "{path:?} {name}: {m} is not in the Положение"
                );
            }
        }
    }
}

/// Where the regulation writes a stage's `вероятность` and the model's P(won) differs, the CRM
/// README shows both and says why.
#[test]
fn the_crm_readme_shows_the_model_beside_a_written_probability() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let crm = voronka(&["crm", "examples/agency.sales", "--target", "amocrm", "--out", dir]);
    assert!(crm.status.success(), "{}", String::from_utf8_lossy(&crm.stderr));
    let readme = std::fs::read_to_string(out.path().join("README.md")).unwrap();
    let text = std::fs::read_to_string("examples/agency.sales").unwrap();
    let model = voronka::compile_str(std::path::Path::new("examples/agency.sales"), &text)
        .model
        .unwrap();
    let setup = voronka::crm::setup(&model, voronka::diag::Lang::Ru);
    let mut differing = 0;
    for s in setup.pipelines.iter().flat_map(|p| &p.stages) {
        if s.probability_from == voronka::crm::setup::ProbabilitySource::File
            && (s.probability - s.model_probability).abs() >= 0.005
        {
            differing += 1;
            let shown = format!(
                "(по модели {})",
                voronka::render::format::percent(s.model_probability, voronka::diag::Lang::Ru)
            );
            assert!(readme.contains(&shown), "README lacks {shown} for {}", s.name);
        }
    }
    assert!(
        differing > 0,
        "agency writes probabilities that differ from the model"
    );
    assert!(readme.contains("«По модели» — в положении записана"));
}
