//! Conversions by channel (`конверсия_по_каналам`): a channel's leads convert at their own
//! rate while in the pipeline their channel feeds. The exact analysis, the forecast, the
//! documents, the CRM setup and the formatter against a hand-computed answer.

use crate::common::voronka;
use std::path::Path;
use voronka::model::{Model, StartKind};
use voronka::sim::{SimOptions, simulate};

/// Three channels into `П`. At `А` referrals convert at 60 %, ads at 15 %, the site at the
/// stage's 30 %; at `В` ads at 90 %, the rest at 50 %. Half the failures of `А` go to `Б`,
/// whose successes come back to `П.В` — as deals from another pipeline, at `В`'s own 50 %.
///
/// A month, per channel: referrals 100 × (0.6 × 0.5 + 0.4 × 0.5 × 0.2 × 0.5) = 32 wins;
/// ads 200 × (0.15 × 0.9 + 0.85 × 0.5 × 0.2 × 0.5) = 35.5; site 50 × (0.3 × 0.5 + 0.7 × 0.5 ×
/// 0.2 × 0.5) = 9.25; 76.75 in all (at the stages' own conversions it would be 64.75).
/// Entries of `В`: 60 + 4 + 30 + 17 + 15 + 3.5 = 129.5.
const SEGMENTED: &str = r#"
положение "Т" { валюта ₽; горизонт 6 мес; рабочая_неделя 6 дн }
роль Р { штат 50 }
канал Рекомендации "Рекомендации клиентов" { лиды 100 в мес; воронка П }
канал Реклама { лиды 200 в мес; воронка П }
канал Сайт { лиды 50 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап А { ответственный Р; конверсия 30%; конверсия_по_каналам Рекомендации 60%, Реклама 15%; длительность 1 дн
    отказ 50% -> Б; отказ -> проиграно }
  этап В { ответственный Р; конверсия 50%; конверсия_по_каналам Реклама 90%; длительность 1 дн }
}
воронка Б {
  чек 20 000 ₽
  этап Г { ответственный Р; конверсия 20%; длительность 1 дн; успех -> П.В }
}
"#;

const WON: f64 = 76.75;
const ENTERED_V: f64 = 129.5;

fn model(text: &str) -> Model {
    let c = voronka::compile_str(Path::new("segments.sales"), text);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    c.model.expect("a model")
}

fn close(what: &str, got: f64, want: f64, tolerance: f64) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: got {got}, expected {want} ± {tolerance}"
    );
}

#[test]
fn the_analysis_follows_each_channel_through_its_own_conversions() {
    let m = model(SEGMENTED);
    let a = voronka::analyze::analyze(&m);
    close("wins a month", a.department.first_deals_per_month, WON, 1e-9);
    close(
        "revenue a month",
        a.department.revenue_per_month,
        WON * 10_000.0,
        1e-6,
    );
    let p_won = |name: &str| a.channels.iter().find(|c| c.name == name).unwrap().p_won;
    close("referrals", p_won("Рекомендации"), 0.32, 1e-12);
    close("ads", p_won("Реклама"), 0.1775, 1e-12);
    close("site", p_won("Сайт"), 0.185, 1e-12);
    let entries = |stage: &str| {
        a.department
            .stage_entries
            .iter()
            .find(|f| f.stage == stage)
            .unwrap()
            .entries_per_month
    };
    close("entries of В", entries("В"), ENTERED_V, 1e-9);
    close("entries of Г", entries("Г"), 20.0 + 85.0 + 17.5, 1e-9);
    // The stage's conversion over everyone who enters it, weighted by where they come from.
    let v = &m.pipelines[0].stages[1];
    let weighted =
        voronka::model::segments::weighted(v, &[(Some("Реклама"), 30.0), (None, ENTERED_V - 30.0)]).unwrap();
    close("weighted conversion of В", weighted, WON / ENTERED_V, 1e-12);
    // The role owns every stage: all the revenue passes through it, copies included (the
    // base of a revenue bonus).
    let roles = voronka::analyze::role_revenue(&m, &a);
    close("the role's share", roles[0].share_of_department, 1.0, 1e-9);
}

/// The forecast from both starts: wins a month within 4 SE of the hand-computed answer once
/// settled, and the stage `В` shown once, with its copies' figures folded in.
#[test]
fn the_forecast_agrees_with_the_segment_weighted_answer() {
    let m = model(SEGMENTED);
    let runs = 300;
    let r = simulate(
        &m,
        &SimOptions {
            runs,
            seed: 7,
            start: Some(StartKind::Established),
            ..SimOptions::default()
        },
    );
    let months = r.months.len() as f64;
    let se = 4.0 * r.won.sd / f64::from(runs).sqrt();
    close("wins over the horizon", r.won.mean, WON * months, se);
    close(
        "new clients",
        r.new_clients.mean,
        WON * months,
        4.0 * r.new_clients.sd / f64::from(runs).sqrt(),
    );
    let names: Vec<(&str, &str)> = r
        .stages
        .iter()
        .map(|s| (s.pipeline.as_str(), s.stage.as_str()))
        .collect();
    assert_eq!(names, [("П", "А"), ("П", "В"), ("Б", "Г")], "one row per stage");
    let v = &r.stages[1];
    close(
        "conversion of В",
        v.converted.mean / v.entered.mean,
        WON / ENTERED_V,
        0.01,
    );
    // A new department: the conversions hold from the first deal on.
    let n = simulate(
        &m,
        &SimOptions {
            runs,
            seed: 7,
            start: Some(StartKind::New),
            ..SimOptions::default()
        },
    );
    let a = &n.stages[0];
    // Of the leads into А: 60 % × 100 + 15 % × 200 + 30 % × 50 = 105 succeed of 350.
    close(
        "conversion of А",
        a.converted.mean / a.entered.mean,
        105.0 / 350.0,
        0.01,
    );
}

#[test]
fn a_channel_that_does_not_feed_the_pipeline_and_a_repeat_are_reported() {
    let text = SEGMENTED.replace(
        "этап Г { ответственный Р; конверсия 20%;",
        "этап Г { ответственный Р; конверсия 20%; конверсия_по_каналам Сайт 10%;",
    );
    let c = voronka::compile_str(Path::new("s.sales"), &text);
    assert!(
        c.diagnostics.iter().any(|d| d.code() == "W0047"),
        "{:?}",
        c.diagnostics
    );
    let text = SEGMENTED.replace("Реклама 15%", "Реклама 15%, Реклама 20%");
    let c = voronka::compile_str(Path::new("s.sales"), &text);
    assert!(
        c.diagnostics.iter().any(|d| d.code() == "E0083"),
        "{:?}",
        c.diagnostics
    );
}

#[test]
fn documents_and_the_crm_show_the_conversions_by_channel() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(&file, SEGMENTED).unwrap();
    let out = dir.path().join("out");
    let o = voronka(&[
        "docs",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reg = std::fs::read_to_string(out.join("regulation.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(
        reg.contains("30 %; по каналам: Рекомендации клиентов 60 %, Реклама 15 %"),
        "{reg}"
    );
    let crm = dir.path().join("crm");
    let o = voronka(&[
        "crm",
        file.to_str().unwrap(),
        "--target",
        "bitrix24",
        "--out",
        crm.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let readme = std::fs::read_to_string(crm.join("README.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(
        readme.contains("Конверсия этапа различается по каналам: Рекомендации клиентов 60 %, Реклама 15 %"),
        "{readme}"
    );
}

#[test]
fn the_formatter_and_the_english_keyword_keep_the_meaning() {
    let messy = "роль Р { штат 1 }\nканал К { лиды 10 в мес; воронка В }\nканал Л { лиды 10 в мес; воронка В }\nворонка В { этап Э { ответственный Р; конверсия 50%; конверсия_по_каналам   К 40% ,Л   60% } }\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.sales");
    std::fs::write(&file, messy).unwrap();
    let emit = || {
        voronka(&[
            "check",
            file.to_str().unwrap(),
            "--emit",
            "model",
            "-A",
            "warnings",
        ])
        .stdout
    };
    let before = emit();
    assert!(voronka(&["fmt", file.to_str().unwrap()]).status.success());
    let once = std::fs::read_to_string(&file).unwrap();
    assert!(once.contains("конверсия_по_каналам К 40%, Л 60%"), "{once}");
    assert_eq!(before, emit());
    let en = messy.replace("конверсия_по_каналам", "conversion_by_channel");
    let m = model(&en);
    assert_eq!(m.pipelines[0].stages[0].channel_conversions.len(), 2);
    assert_eq!(m.pipelines[0].stages[0].channel_conversions[1].conversion, 0.6);
}
