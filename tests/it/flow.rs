//! Transitions that take time (`отказ -> Б через 52 дн`) and clients handed on after a win
//! (`после_выигрыша -> С`): the exact analysis, the mean-value walk and the simulation agree,
//! and the delays land where the calendar puts them. Six-day weeks: 26 working days a month.

use crate::common::{model, months_match_the_walk, within};

use voronka::model::StartKind;
use voronka::sim::{Params, SimOptions, SimResult, Start, fluid, simulate};

fn run(text: &str, runs: u32, start: StartKind) -> SimResult {
    simulate(
        &model(text),
        &SimOptions {
            runs,
            seed: 5,
            start: Some(start),
            ..SimOptions::default()
        },
    )
}

fn expected(text: &str, start: Start) -> fluid::Expected {
    fluid::expected(&Params::from_model(&model(text), None), start)
}

/// Every month's wins and revenue of the simulation within 4 SE of the exact walk, from both
/// starts.
fn simulation_matches_the_walk(text: &str) {
    for (start, kind) in [
        (Start::New, StartKind::New),
        (Start::Established, StartKind::Established),
    ] {
        let runs = 400;
        let r = run(text, runs, kind);
        months_match_the_walk(&format!("{start:?}"), &r, &expected(text, start), runs);
    }
}

const DELAYED: &str = r#"
положение "Т" { валюта ₽; горизонт 6 мес; рабочая_неделя 6 дн }
роль Р { штат 50 }
канал Сайт { лиды 260 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап А { ответственный Р; конверсия 40%; длительность 1 дн
    отказ 50% -> Б через 52 дн; отказ -> проиграно }
}
воронка Б {
  чек 20 000 ₽
  этап В { ответственный Р; конверсия 100%; длительность 1 дн }
}
"#;

/// A lead of day t leaves А on day t + 1 and a failure handed on `через 52 дн` enters В on day
/// t + 53: from an empty pipeline В gets nothing in months 1–2, and over the 156 days of the
/// horizon the leads of days 0..=102 reach it — 10 a day × 30 % × 103 days = 309 (without
/// the delay it would be 462). The simulation follows the walk month by month.
#[test]
fn a_delayed_hand_off_arrives_after_its_delay() {
    let e = expected(DELAYED, Start::New);
    let b = e.stages.iter().find(|s| s.pipeline == "Б").expect("stage В");
    within("entries into В over the horizon", b.entered, 309.0, 1e-6);
    assert_eq!(e.stages.len(), 2, "the transit stage is internal: {:?}", e.stages);
    for m in 0..2 {
        within(
            &format!("month {} revenue: П only", m + 1),
            e.months[m].revenue,
            e.months[m].won * 10_000.0,
            1e-6,
        );
    }
    simulation_matches_the_walk(DELAYED);
    // The settled start holds the deals on their way: every month is the steady month.
    let settled = expected(DELAYED, Start::Established);
    let steady = 260.0 * (0.4 * 10_000.0 + 0.3 * 20_000.0);
    for m in &settled.months {
        within(
            "settled revenue, month by month",
            m.revenue,
            steady,
            1e-6 * steady,
        );
    }
    let r = run(DELAYED, 400, StartKind::Established);
    assert_eq!(r.stages.len(), 2, "only the regulation's stages are reported");
}

const HANDED_ON: &str = r#"
положение "Т" { валюта ₽; горизонт 6 мес; рабочая_неделя 6 дн }
роль Р { штат 50 }
канал Сайт { лиды 260 в мес; воронка П }
воронка П {
  чек 10 000 ₽; после_выигрыша -> С через 26 дн
  этап А { ответственный Р; конверсия 40%; длительность 1 дн }
}
воронка С {
  вид аккаунтинг; чек 5 000 ₽
  этап Д { ответственный Р; конверсия 50%; длительность 2 дн }
}
"#;

/// Every client won in П also starts a deal in С a month later: the win counts in П, С adds
/// 104 × 50 % = 52 deals a month of 5 000 ₽ (not new clients). The analysis says so for the
/// settled month, the walk and the simulation agree month by month, and from an empty
/// pipeline С sells nothing in month 1.
#[test]
fn won_clients_are_handed_on_after_a_win() {
    let m = model(HANDED_ON);
    let a = voronka::analyze::analyze(&m);
    within(
        "new clients a month",
        a.department.new_clients_per_month,
        104.0,
        1e-9,
    );
    within(
        "deals a month",
        a.department.purchases_per_month,
        104.0 + 52.0,
        1e-9,
    );
    within(
        "revenue a month",
        a.department.revenue_per_month,
        104.0 * 10_000.0 + 52.0 * 5_000.0,
        1e-6,
    );
    within(
        "the leads' own win rate",
        a.department.p_won.unwrap_or(0.0),
        0.4,
        1e-12,
    );
    let e = expected(HANDED_ON, Start::New);
    within(
        "month 1: no deal of С yet",
        e.months[0].won,
        e.months[0].new_clients,
        1e-9,
    );
    let settled = expected(HANDED_ON, Start::Established);
    for month in &settled.months {
        within(
            "settled revenue, month by month",
            month.revenue,
            a.department.revenue_per_month,
            1e-6 * a.department.revenue_per_month,
        );
    }
    simulation_matches_the_walk(HANDED_ON);
}

/// The documents and the CRM setup say where a delayed transition leads and when, and the
/// hand-off after a win; the graph draws the hand-off from the win.
#[test]
fn documents_and_crm_word_the_delays() {
    let text = HANDED_ON.replace(
        "этап А { ответственный Р; конверсия 40%; длительность 1 дн }",
        "этап А { ответственный Р; конверсия 40%; длительность 1 дн; отказ -> С через 10 дн }",
    );
    let m = model(&text);
    let setup = voronka::crm::setup::setup(&m, voronka::diag::Lang::Ru);
    let rules: Vec<String> = setup
        .pipelines
        .iter()
        .flat_map(|p| p.stages.iter())
        .flat_map(|s| s.automation.iter().map(|r| r.text.clone()))
        .collect();
    assert!(
        rules.iter().any(|r| r.contains("После выигрыша")
            && r.contains("новую сделку в воронке «С»")
            && r.contains("через 26\u{a0}дней")),
        "{rules:#?}"
    );
    assert!(
        rules
            .iter()
            .any(|r| r.starts_with("При отказе") && r.contains("через 10\u{a0}дней")),
        "{rules:#?}"
    );
    let g = voronka::graph::build(&m);
    let dot = voronka::graph::to_dot(&g, voronka::diag::Lang::Ru);
    assert!(dot.contains("->"), "{dot}");
}
