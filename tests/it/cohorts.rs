//! Scheduled starts (`старт`, `набор_до`, `группа`), contacts before each start
//! (`перед_каждым_стартом`) and exit-outcome triggers (`когда выход Этап отказ`): the leave days
//! of the forecast exactly, the analysis' mean wait against the simulated stay (4 SE), the exact
//! walk against the simulation, and the loads and lints.

use crate::common::{model, months_match_the_walk, voronka, within};
use std::collections::HashMap;
use voronka::model::StartKind;
use voronka::sim::{Params, SimOptions, SimResult, Start, fluid, simulate};

/// A weekly webinar on Tuesdays that nobody needs to work: a lead registers (day `t`) and
/// leaves on the first Tuesday on or after `t`.
const WEBINAR: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 5 дн; действует_с 2026-01-05 }
роль Р { штат 1 }
канал Сайт { лиды 300 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап Вебинар { ответственный Р; конверсия 30%; старт вт 19:00 }
  этап Оплата { ответственный Р; длительность 1 дн }
}
"#;

/// Streams on the 1st and the 15th, enrolment closing 3 days before, after 1..3 days of
/// paperwork (a duration before the wait).
const STREAMS: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 5 дн }
роль Р { штат 1 }
канал Сайт { лиды 300 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап Поток { ответственный Р; конверсия 60%; длительность 1..3 дн; старт 1 число, 15 число; набор_до 3 дн }
  этап Оплата { ответственный Р; длительность 1 дн }
}
"#;

fn run(text: &str, runs: u32, start: StartKind) -> SimResult {
    simulate(
        &model(text),
        &SimOptions {
            runs,
            seed: 7,
            start: Some(start),
            ..SimOptions::default()
        },
    )
}

/// The traced replication: every lead that registered on working day `t` (Monday = day 0)
/// and attended enters the next stage on the first Tuesday `≥ t` — lead by lead, not on
/// average; and nobody enters it on another weekday.
#[test]
fn leads_leave_on_the_start_they_can_make() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("w.sales");
    std::fs::write(&file, WEBINAR).unwrap();
    let trace = dir.path().join("trace.csv");
    let out = voronka(&[
        "simulate",
        file.to_str().unwrap(),
        "--runs",
        "2",
        "--start",
        "новый",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut entered: HashMap<&str, chrono::NaiveDate> = HashMap::new();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        let date = chrono::NaiveDate::parse_from_str(f[1], "%Y-%m-%d").unwrap();
        match f[3] {
            "Вебинар" => {
                entered.insert(f[0], date);
            }
            "Оплата" => {
                let from = entered[f[0]];
                assert_eq!(
                    date.weekday(),
                    chrono::Weekday::Tue,
                    "deal {} left on {date}",
                    f[0]
                );
                let wait = (date - from).num_days();
                assert!((0..7).contains(&wait), "deal {}: {from} → {date}", f[0]);
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > 500, "{checked} attendees checked");
}

use chrono::Datelike;

/// The analysis' stay (`длительность` + mean wait) is the simulated mean days in the stage,
/// for leads arriving evenly over the days: 2 working days for a Tuesday webinar; for the
/// streams 2 days of paperwork plus the wait with the 3-day cut-off.
#[test]
fn the_mean_wait_is_the_simulated_stay() {
    for (label, text, want) in [("webinar", WEBINAR, Some(2.0)), ("streams", STREAMS, None)] {
        let m = model(text);
        let a = voronka::analyze::analyze(&m);
        let stay = a.pipelines[0].outcome.as_ref().unwrap().stages[0]
            .mean_duration_days
            .unwrap();
        if let Some(want) = want {
            within(&format!("{label}: analysis"), stay, want, 1e-12);
        }
        let runs = 400;
        let r = run(text, runs, StartKind::Established);
        let days = r.stages[0].days_in_stage.as_ref().unwrap();
        let se = 4.0 * days.sd / f64::from(runs).sqrt() + 1e-9;
        within(&format!("{label}: simulated stay"), days.mean, stay, se);
    }
}

/// The exact walk (`fluid`) moves leads to their starts as the engine does: every month's wins
/// within 4 SE, from an empty pipeline and from the settled stock.
#[test]
fn the_walk_is_the_mean_of_the_simulation_with_starts() {
    for (label, text) in [("webinar", WEBINAR), ("streams", STREAMS)] {
        for (kind, start) in [
            (StartKind::New, Start::New),
            (StartKind::Established, Start::Established),
        ] {
            let runs = 600;
            let r = run(text, runs, kind);
            let e = fluid::expected(&Params::from_model(&model(text), None), start);
            months_match_the_walk(&format!("{label} {kind:?}"), &r, &e, runs);
        }
    }
}

/// Wins bunch on the start days: with streams on the 1st and 15th and nothing after them but
/// a one-day payment, a month's wins come from its two starts only — so the settled month is
/// the analysis' month (2 starts × the group per start × 100% payment).
#[test]
fn group_per_start_and_the_month() {
    let m = model(STREAMS);
    let a = voronka::analyze::analyze(&m);
    let s = &a.starts[0];
    assert_eq!(s.starts_per_month, 2.0);
    within("group per start", s.group_per_start, 300.0 * 0.6 / 2.0, 1e-9);
    let runs = 600;
    let r = run(STREAMS, runs, StartKind::Established);
    for mo in &r.months[1..11] {
        let se = 4.0 * mo.won.sd / f64::from(runs).sqrt();
        within(
            &format!("month {}", mo.month),
            mo.won.mean,
            180.0,
            se + 180.0 * 0.05,
        );
    }
}

/// `перед_каждым_стартом`: an invitation to each weekly webinar while a lead stays 20 working
/// days in the nurture stage is made 20 × 1/5 = 4 times per lead; the load counts it so.
#[test]
fn an_invitation_before_each_start_is_made_per_start_of_the_stay() {
    let text = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 5 дн }
роль Р { штат 1; рабочий_день 8 ч }
канал Сайт { лиды 100 в мес; воронка Прогрев }
воронка Прогрев {
  этап Рассылка { ответственный Р; конверсия 10%; длительность 20 дн
    цепочка { письмо "Приглашение" 2 мин; перед_каждым_стартом П.Вебинар }
    успех -> П.Вебинар }
}
воронка П {
  чек 10 000 ₽
  этап Вебинар { ответственный Р; конверсия 30%; старт вт 19:00 }
}
"#;
    let m = model(text);
    let c = &m.pipelines[0].stages[0].chain[0];
    within("starts per lead", c.starts_per_lead.unwrap(), 4.0, 1e-9);
    let a = voronka::analyze::analyze(&m);
    let r = a.roles.iter().find(|r| r.role == "Р").unwrap();
    // 100 leads a month × 4 invitations × 2 minutes.
    within("load", r.demanded_minutes, 800.0, 1e-6);
}

/// `когда выход Этап отказ`: only the refusals fire it — 70% of the attendees-to-be — in the
/// analysis' load and in the forecast's work.
#[test]
fn an_exit_outcome_trigger_fires_for_that_outcome_only() {
    let text = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 5 дн }
роль Р { штат 1; рабочий_день 8 ч }
канал Сайт { лиды 100 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап Вебинар { ответственный Р; конверсия 30%; старт вт 19:00 }
}
триггер Запись { когда выход П.Вебинар отказ; действие письмо "Запись вебинара" 1 мин }
триггер Спасибо { когда выход П.Вебинар успех; действие письмо "Спасибо" 1 мин }
"#;
    let a = voronka::analyze::analyze(&model(text));
    let r = a.roles.iter().find(|r| r.role == "Р").unwrap();
    let fired: Vec<f64> = r.triggers.iter().map(|t| t.firings_per_month).collect();
    assert_eq!(fired.len(), 2);
    within("refusals", fired[0], 70.0, 1e-9);
    within("successes", fired[1], 30.0, 1e-9);
}
