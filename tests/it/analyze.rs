//! `analyze`: exact figures checked against values computed by hand, through the library and
//! through the binary.

use crate::common;

use crate::common::model;
use common::voronka;
use std::path::Path;
use std::process::Output;
use voronka::analyze::{Analysis, Note, Outcome, analyze};
use voronka::model::{Model, PlanMetric};

const EPS: f64 = 1e-9;

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= EPS * expected.abs().max(1.0),
        "{what}: {actual} ≠ {expected}"
    );
}

/// The model even when the file has errors (the validator's business, not ours).
fn any_model(text: &str) -> Model {
    voronka::compile_str(Path::new("test.sales"), text)
        .model
        .expect("model")
}

fn outcome<'a>(a: &'a Analysis, pipeline: &str) -> &'a Outcome {
    a.pipelines
        .iter()
        .find(|p| p.name == pipeline)
        .and_then(|p| p.outcome.as_ref())
        .unwrap_or_else(|| panic!("no outcome for {pipeline}"))
}

fn visits(o: &Outcome, pipeline: &str, stage: &str) -> f64 {
    o.stages
        .iter()
        .find(|s| s.pipeline == pipeline && s.stage == stage)
        .map_or(0.0, |s| s.visits)
}

fn role<'a>(a: &'a Analysis, name: &str) -> &'a voronka::analyze::RoleLoad {
    a.roles.iter().find(|r| r.role == name).expect("role")
}

/// 5 working days a week: 5 × 52 / 12 = 21.666… working days a month.
const DAYS: f64 = 5.0 * 52.0 / 12.0;

const LINEAR: &str = "\
положение \"Т\" { валюта ₽; рабочая_неделя 5 дн; горизонт 12 мес }
роль М \"Менеджер\" { штат 2; рабочий_день 8 ч; доля_продаж 50% }
канал К { лиды 100 в мес; воронка В }
воронка В {
  чек 100 000 ₽
  этап А { ответственный М; конверсия 50%; длительность 2 дн; цепочка { звонок 10 мин } }
  этап Б { ответственный М; конверсия 40%; длительность 5 дн
           цепочка { встреча 60 мин; письмо 5 мин } }
  этап Г { ответственный М; конверсия 25%; длительность 8..12 дн
           цепочка { договор 30 мин; попыток 3; иначе -> проиграно } }
}
план { горизонт 12 мес; выручка 1 млн ₽ в мес; сделки по_месяцам 8, 12 }
";

#[test]
fn linear_pipeline() {
    let a = analyze(&model(LINEAR));
    let o = outcome(&a, "В");
    // P(won) = 0.5 × 0.4 × 0.25
    close(o.p_won, 0.05, "p_won");
    close(o.p_lost, 0.95, "p_lost");
    close(visits(o, "В", "А"), 1.0, "visits А");
    close(visits(o, "В", "Б"), 0.5, "visits Б");
    close(visits(o, "В", "Г"), 0.2, "visits Г");
    // 1 × 2 + 0.5 × 5 + 0.2 × mean(8..12) = 2 + 2.5 + 2
    close(o.expected_days, 6.5, "expected days");
    assert!(o.stages_without_duration.is_empty());

    let ch = &a.channels[0];
    close(ch.leads_per_month, 100.0, "leads");
    close(ch.first_deals_per_month, 5.0, "deals");
    close(ch.purchases_per_month, 5.0, "purchases");
    close(ch.revenue_per_month, 500_000.0, "revenue");
    close(a.department.revenue_per_month, 500_000.0, "department revenue");

    // Work: 100 leads × (1 × 10 + 0.5 × (60 + 5) + 0.2 × 30) = 100 × 48.5 minutes.
    let m = role(&a, "М");
    close(m.demanded_minutes, 4850.0, "demanded");
    // Per person: 8 h × 60 × 50% × 21.67 days = 5200 minutes; two people.
    close(m.minutes_per_person, 8.0 * 60.0 * 0.5 * DAYS, "per person");
    close(m.available_minutes, 10_400.0, "available");
    close(m.load.unwrap(), 4850.0 / 10_400.0, "load");
    assert!(!m.overloaded);
    assert_eq!(m.headcount_needed, Some(1));
    let by_stage: Vec<f64> = m.by_stage.iter().map(|w| w.minutes).collect();
    assert_eq!(by_stage.len(), 3);
    close(by_stage[1], 3250.0, "minutes at Б");

    // Plan: revenue 1 M vs 0.5 M → twice the leads. Deals 8, 12 over 12 months: the last value
    // repeats (as the documents and the forecast read it), so (8 + 11 × 12) / 12 = 140/12 vs 5.
    let plan = a.plan.as_ref().unwrap();
    let revenue = plan
        .targets
        .iter()
        .find(|t| t.metric == PlanMetric::Revenue)
        .unwrap();
    close(revenue.plan_per_month, 1_000_000.0, "plan revenue");
    close(revenue.gap_per_month, 500_000.0, "revenue gap");
    close(revenue.attainment.unwrap(), 0.5, "attainment");
    close(revenue.lead_multiplier.unwrap(), 2.0, "multiplier");
    // At twice the volume: 9700 minutes / 5200 per person → 2 people.
    assert_eq!(revenue.headcount[0].needed, Some(2));
    let deals = plan
        .targets
        .iter()
        .find(|t| t.metric == PlanMetric::Deals)
        .unwrap();
    close(deals.plan_per_month, 140.0 / 12.0, "plan deals");
    close(
        deals.lead_multiplier.unwrap(),
        140.0 / 12.0 / 5.0,
        "deals multiplier",
    );
    assert!(a.notes.is_empty(), "{:?}", a.notes);
}

#[test]
fn loop_back_to_an_earlier_stage_follows_the_geometric_series() {
    // А → Б always; Б: won 40%, of the 60% failures half go back to А (30%), half are lost.
    // Visits: v(А) = v(Б) = Σ 0.3ᵏ = 1 / 0.7 = 10/7; P(won) = 0.4 × 10/7 = 4/7;
    // days = 10/7 × (1 + 2) = 30/7.
    let a = analyze(&model(
        "роль М { штат 1 }\nканал К { лиды 70 в мес; воронка В }\n\
         воронка В { чек 1000 ₽\n\
           этап А { ответственный М; конверсия 100%; длительность 1 дн; цепочка { звонок 7 мин } }\n\
           этап Б { ответственный М; конверсия 40%; длительность 2 дн; отказ 50% -> А } }",
    ));
    let o = outcome(&a, "В");
    close(visits(o, "В", "А"), 10.0 / 7.0, "visits А");
    close(visits(o, "В", "Б"), 10.0 / 7.0, "visits Б");
    close(o.p_won, 4.0 / 7.0, "p_won");
    close(o.p_lost, 3.0 / 7.0, "p_lost");
    close(o.expected_days, 30.0 / 7.0, "days");
    close(a.department.first_deals_per_month, 40.0, "deals");
    // Calls: 70 leads × 10/7 visits × 7 minutes.
    close(role(&a, "М").demanded_minutes, 700.0, "minutes");
    let entries = &a.department.stage_entries;
    close(entries[0].entries_per_month, 100.0, "entries А");
}

#[test]
fn retargeting_returns_leads_to_sales_and_wins_count_where_they_happen() {
    // Продажа.А: won 50%; of the 50% failures 40% (0.2) go to Ретаргетинг, the rest (0.3) lost.
    // Ретаргетинг.Р: 20% back to Продажа.А, 80% lost there.
    // From А: v(А) = 1 + 0.2·v(Р), v(Р) = 0.2·v(А) → v(А) = 1/0.96, v(Р) = 0.2/0.96.
    let a = analyze(&model(
        "роль М { штат 1 }\nканал К { лиды 96 в мес; воронка Продажа }\n\
         воронка Продажа { чек 100 ₽\n\
           этап А { ответственный М; конверсия 50%; длительность 10 дн; отказ 40% -> Ретаргетинг } }\n\
         воронка Ретаргетинг { вид ретаргетинг\n\
           этап Р { ответственный М; конверсия 20%; длительность 30 дн; успех -> Продажа.А } }",
    ));
    let o = outcome(&a, "Продажа");
    close(visits(o, "Продажа", "А"), 1.0 / 0.96, "visits А");
    close(visits(o, "Ретаргетинг", "Р"), 0.2 / 0.96, "visits Р");
    close(o.p_won, 0.5 / 0.96, "p_won");
    let lost: Vec<(&str, f64)> = o
        .lost_by_pipeline
        .iter()
        .map(|s| (s.pipeline.as_str(), s.probability))
        .collect();
    close(lost[0].1, 0.3 / 0.96, "lost in Продажа");
    close(lost[1].1, 0.16 / 0.96, "lost in Ретаргетинг");
    close(o.expected_days, 10.0 / 0.96 + 30.0 * 0.2 / 0.96, "days");

    // From the retargeting entry the win happens in Продажа: 0.2 × 0.5 / 0.96.
    let r = outcome(&a, "Ретаргетинг");
    assert_eq!(r.won_by_pipeline.len(), 1);
    assert_eq!(r.won_by_pipeline[0].pipeline, "Продажа");
    close(r.p_won, 0.1 / 0.96, "p_won from Ретаргетинг");
    close(a.channels[0].first_deals_per_month, 50.0, "deals");
    close(a.channels[0].revenue_per_month, 5000.0, "revenue");
}

#[test]
fn unreached_clients_go_to_retargeting_by_the_contact_s_otherwise() {
    // Продажа.А: a call of 2 attempts at 50 % leaves u = 0.5² = 0.25 unreached, who go to
    // Ретаргетинг; the reached 0.75 convert 50 % (won 0.375) and fail 50 % (lost 0.375).
    // Ретаргетинг.Р: 20 % back to Продажа.А. v(А) = 1 + 0.2·v(Р), v(Р) = 0.25·v(А)
    // → v(А) = 1/0.95, v(Р) = 0.25/0.95.
    let a = analyze(&model(
        "роль М { штат 1 }\nканал К { лиды 95 в мес; воронка Продажа }\n\
         воронка Продажа { чек 100 ₽\n\
           этап А { ответственный М; конверсия 50%; длительность 10 дн\n\
             цепочка { звонок \"Звонок\" 10 мин; попыток 2; дозвон 50%; иначе -> Ретаргетинг } } }\n\
         воронка Ретаргетинг { вид ретаргетинг\n\
           этап Р { ответственный М; конверсия 20%; длительность 30 дн; успех -> Продажа.А } }",
    ));
    let o = outcome(&a, "Продажа");
    close(visits(o, "Продажа", "А"), 1.0 / 0.95, "visits А");
    close(visits(o, "Ретаргетинг", "Р"), 0.25 / 0.95, "visits Р");
    close(o.p_won, 0.375 / 0.95, "p_won");
    let lost: Vec<(&str, f64)> = o
        .lost_by_pipeline
        .iter()
        .map(|s| (s.pipeline.as_str(), s.probability))
        .collect();
    close(lost[0].1, 0.375 / 0.95, "lost in Продажа");
    close(lost[1].1, 0.25 * 0.8 / 0.95, "lost in Ретаргетинг");
    // 95 leads a month enter А 100 times; the call takes (1 − 0.25) / 0.5 = 1.5 attempts of
    // 10 minutes each time.
    close(a.channels[0].first_deals_per_month, 95.0 * 0.375 / 0.95, "deals");
    close(
        role(&a, "М").demanded_minutes,
        100.0 * 1.5 * 10.0,
        "demanded minutes",
    );
}

#[test]
fn repeat_purchases_and_account_pipelines() {
    // Новые: 10 leads × 50% = 5 clients; each buys 1 / (1 − 0.6) = 2.5 times → 12.5 purchases.
    // Аккаунт: 4 leads × 100% = 4 first deals that are not new clients, 1 / (1 − 0.5) = 2 each.
    let a = analyze(&model(
        "роль М { штат 1 }\n\
         канал К { лиды 10 в мес; воронка Новые; сезонность 50%, 50%, 50%, 50%, 50%, 50%, 150%, 150%, 150%, 150%, 150%, 150% }\n\
         канал Б { лиды 4 в мес; воронка Аккаунт }\n\
         воронка Новые { чек 1 000 ₽; повтор 60% через 3 мес\n\
           этап А { ответственный М; конверсия 50%; длительность 1 дн } }\n\
         воронка Аккаунт { вид аккаунтинг; чек 200..400 ₽; повтор 50% через 12 мес\n\
           этап Х { ответственный М; конверсия 100%; длительность 1 дн } }",
    ));
    let k = &a.channels[0];
    close(k.seasonality_mean, 1.0, "seasonality mean");
    close(k.first_deals_per_month, 5.0, "first deals");
    close(k.new_clients_per_month, 5.0, "new clients");
    close(k.purchases_per_month, 12.5, "purchases");
    close(k.revenue_per_month, 12_500.0, "revenue");
    let b = &a.channels[1];
    close(b.new_clients_per_month, 0.0, "account new clients");
    close(b.purchases_per_month, 8.0, "account purchases");
    close(b.revenue_per_month, 2400.0, "account revenue");
    let d = &a.department;
    close(d.first_deals_per_month, 9.0, "department first deals");
    close(d.new_clients_per_month, 5.0, "department new clients");
    close(d.purchases_per_month, 20.5, "department purchases");
    close(d.revenue_per_month, 14_900.0, "department revenue");
    close(
        a.pipelines[0].purchases_per_won_client,
        2.5,
        "purchases per client",
    );
}

#[test]
fn seasonality_uses_the_annual_mean_factor() {
    let a = analyze(&model(
        "роль М { штат 1 }\nканал К { лиды 120 в мес; воронка В; сезонность 60%, 60%, 60%, 60%, 60%, 60%, 60%, 60%, 60%, 60%, 60%, 180% }\n\
         воронка В { чек 10 ₽; этап А { ответственный М; конверсия 50%; длительность 1 дн } }",
    ));
    // (11 × 0.6 + 1.8) / 12 = 0.7
    close(a.channels[0].seasonality_mean, 0.7, "mean factor");
    close(a.channels[0].leads_per_month, 84.0, "leads");
    close(a.channels[0].first_deals_per_month, 42.0, "deals");
}

#[test]
fn overloaded_role_is_flagged_and_meetings_are_listed_apart() {
    // 200 leads × 60 minutes = 12 000 minutes; one person has 8 × 60 × 21.67 = 10 400.
    let a = analyze(&model(
        "роль РОП { штат 1; рабочий_день 8 ч; доля_продаж 50% }\n\
         роль М { штат 1; рабочий_день 8 ч; доля_продаж 100% }\n\
         роль Х { штат 3; рабочий_день 8 ч; доля_продаж 0% }\n\
         канал К { лиды 200 в мес; воронка В }\n\
         воронка В { чек 10 ₽; этап А { ответственный М; конверсия 10%; длительность 1 дн\n\
           цепочка { звонок 60 мин; попыток 5; иначе -> проиграно } } }\n\
         совещание П { ответственный РОП; участники М, Х; частота ежедневно; длительность 15 мин }\n\
         совещание Р { ответственный РОП; участники РОП, М; частота еженедельно; длительность 60 мин }",
    ));
    let m = role(&a, "М");
    close(m.demanded_minutes, 12_000.0, "demanded");
    close(m.available_minutes, 480.0 * DAYS, "available");
    close(m.load.unwrap(), 12_000.0 / (480.0 * DAYS), "load");
    assert!(m.overloaded);
    assert_eq!(m.headcount_needed, Some(2));
    // Meetings: 15 min × 21.67 days + 60 min × 52/12 weeks, one person.
    close(m.meeting_minutes, 15.0 * DAYS + 60.0 * 52.0 / 12.0, "meetings М");
    // Х: three people at the daily meeting; no selling time, nothing demanded: not overloaded.
    let x = role(&a, "Х");
    close(x.meeting_minutes, 3.0 * 15.0 * DAYS, "meetings Х");
    assert_eq!(x.load, None);
    assert!(!x.overloaded);
    // РОП owns both and is a participant of the second: counted once per meeting.
    close(
        role(&a, "РОП").meeting_minutes,
        15.0 * DAYS + 60.0 * 52.0 / 12.0,
        "meetings РОП",
    );
    assert!(!role(&a, "РОП").overloaded);

    let out = voronka_with_text(
        "роль М { штат 1; рабочий_день 8 ч; доля_продаж 100% }\nканал К { лиды 200 в мес; воронка В }\n\
         воронка В { чек 10 ₽; этап А { ответственный М; конверсия 10%; длительность 1 дн; цепочка { звонок 60 мин } } }",
        &["analyze"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("115,4\u{a0}% ПЕРЕГРУЗКА"), "{stdout}");
}

#[test]
fn stages_without_duration_and_deal_size_are_flagged() {
    let a = analyze(&any_model(
        "роль М { штат 1 }\nканал К { лиды 10 в мес; воронка В }\nканал Пусто { лиды 5 в мес }\n\
         воронка В { этап А { ответственный М; конверсия 50%; длительность 4 дн }\n\
           этап Б { ответственный М; конверсия 50% } }",
    ));
    let o = outcome(&a, "В");
    assert_eq!(o.stages_without_duration.len(), 1);
    assert_eq!(o.stages_without_duration[0].stage, "Б");
    close(o.expected_days, 4.0, "days");
    close(
        a.department.leads_per_month,
        15.0,
        "leads include a channel without pipeline",
    );
    close(a.department.first_deals_per_month, 2.5, "deals");
    close(a.department.revenue_per_month, 0.0, "revenue");
    assert!(a.notes.contains(&Note::MissingDealSize {
        pipeline: "В".into()
    }));
    assert!(a.notes.contains(&Note::ChannelWithoutPipeline {
        channel: "Пусто".into()
    }));
}

#[test]
fn degenerate_models_never_panic() {
    let empty = analyze(&Model::default());
    assert!(empty.pipelines.is_empty() && empty.roles.is_empty() && empty.plan.is_none());
    close(empty.department.revenue_per_month, 0.0, "empty revenue");

    // A closed loop with no exit: an error value, not a panic, and the other pipeline survives.
    let a = analyze(&any_model(
        "роль М { штат 0 }\nканал К { лиды 10 в мес; воронка Петля }\nканал Л { лиды 10 в мес; воронка Пусто }\n\
         воронка Петля { этап А { ответственный М; конверсия 100%; успех -> Б }\n\
           этап Б { ответственный М; конверсия 100%; успех -> А } }\n\
         воронка Пусто { }\n\
         воронка Хорошая { этап В { ответственный М; конверсия 30%; цепочка { звонок 5 мин } } }\n\
         канал Х { лиды 10 в мес; воронка Хорошая }\n\
         план { выручка 1 млн ₽ в мес }",
    ));
    let loop_ = a.pipelines.iter().find(|p| p.name == "Петля").unwrap();
    assert!(loop_.outcome.is_none());
    assert_eq!(loop_.trapped_stages.len(), 2);
    assert!(a.notes.iter().any(|n| matches!(n, Note::ClosedLoop { .. })));
    assert!(a.notes.contains(&Note::EmptyPipeline {
        pipeline: "Пусто".into()
    }));
    close(outcome(&a, "Хорошая").p_won, 0.3, "other pipeline");
    // Zero headcount with work demanded: no load ratio, flagged, nobody can be counted.
    let m = role(&a, "М");
    assert_eq!(m.load, None);
    assert!(m.overloaded);
    // …and it is the bottleneck, with a note that the figures count deals nobody works.
    assert!(m.bottleneck);
    assert!(a.notes.contains(&Note::RoleWithoutStaff {
        role: "М".into(),
        hires: false
    }));
    let plan = a.plan.as_ref().unwrap();
    assert_eq!(plan.targets[0].lead_multiplier, None);
    all_finite(&serde_json::to_value(&a).unwrap(), "degenerate");
}

#[test]
fn inconsistent_probabilities_are_normalised() {
    let mut m = model(
        "роль М { штат 1 }\nканал К { лиды 10 в мес; воронка В }\n\
         воронка В { чек 1 ₽; этап А { ответственный М; конверсия 50%; длительность 1 дн } }",
    );
    // Missing mass is lost.
    m.pipelines[0].stages[0].transitions[1].probability = 0.25;
    let a = analyze(&m);
    close(outcome(&a, "В").p_won, 0.5, "won with missing mass");
    close(outcome(&a, "В").p_lost, 0.5, "lost includes missing mass");
    assert!(matches!(a.notes[0], Note::ProbabilitiesBelowOne { .. }));
    // Excess mass is scaled down; NaN counts as 0.
    m.pipelines[0].stages[0].transitions[1].probability = 1.5;
    close(outcome(&analyze(&m), "В").p_won, 0.25, "won with excess mass");
    m.pipelines[0].stages[0].transitions[0].probability = f64::NAN;
    close(outcome(&analyze(&m), "В").p_won, 0.0, "NaN");
}

/// Every number in a JSON value is finite (serde_json writes NaN and ∞ as null).
fn all_finite(v: &serde_json::Value, path: &str) {
    match v {
        serde_json::Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path}"),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| all_finite(x, &format!("{path}[{i}]"))),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| all_finite(x, &format!("{path}.{k}"))),
        _ => {}
    }
}

#[test]
fn every_example_analyzes_to_sane_figures() {
    let mut files: Vec<_> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sales"))
        .collect();
    files.push("examples/split/main.sales".into());
    files.sort();
    assert!(files.len() >= 5);
    for path in files {
        let name = path.display().to_string();
        let c = voronka::compile(&path);
        assert!(!c.has_errors(), "{name}");
        let a = analyze(&c.model.unwrap());
        assert!(
            a.notes.iter().all(|n| !matches!(n, Note::ClosedLoop { .. })),
            "{name}: {:?}",
            a.notes
        );
        for p in &a.pipelines {
            let o = p
                .outcome
                .as_ref()
                .unwrap_or_else(|| panic!("{name}: {} unsolved", p.name));
            assert!((0.0..=1.0).contains(&o.p_won), "{name}");
            close(o.p_won + o.p_lost, 1.0, &format!("{name}: {} won + lost", p.name));
            assert!(o.stages[0].visits >= 1.0 - EPS, "{name}: entry visited");
            assert!(
                o.stages.iter().all(|s| s.visits >= 0.0 && s.visits < 1e3),
                "{name}"
            );
            assert!(
                o.expected_days > 0.0 && o.expected_days < 3650.0,
                "{name}: {}",
                o.expected_days
            );
        }
        let d = &a.department;
        assert!(d.leads_per_month > 0.0 && d.first_deals_per_month > 0.0, "{name}");
        assert!(d.first_deals_per_month <= d.leads_per_month, "{name}");
        assert!(d.purchases_per_month >= d.first_deals_per_month - EPS, "{name}");
        assert!(d.revenue_per_month > 0.0 && d.revenue_per_month < 1e12, "{name}");
        assert!(a.roles.iter().all(|r| r.load.is_none_or(|l| l < 100.0)), "{name}");
        all_finite(&serde_json::to_value(&a).unwrap(), &name);
    }
}

// ─── Through the binary ───────────────────────────────────────────────────────

fn voronka_with_text(text: &str, args: &[&str]) -> Output {
    let dir = std::env::temp_dir().join(format!("voronka-analyze-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.sales", text.len()));
    std::fs::write(&file, text).unwrap();
    let mut all: Vec<&str> = args.to_vec();
    all.push(file.to_str().unwrap());
    voronka(&all)
}

#[test]
fn binary_prints_tables_and_json() {
    let out = voronka(&["analyze", "examples/agency.sales"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for section in ["Воронки", "Каналы", "Нагрузка ролей", "План", "₽"] {
        assert!(text.contains(section), "no {section} in\n{text}");
    }
    let en = voronka(&["analyze", "examples/agency.sales", "--lang", "en"]);
    assert!(String::from_utf8_lossy(&en.stdout).contains("Role load"));

    let json = voronka(&["analyze", "examples/agency.sales", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    let mut v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    let model = voronka::compile(Path::new("examples/agency.sales"))
        .model
        .unwrap();
    // Beside the analysis: the horizon from the regulation's start, the library's mean-value walk.
    let horizon = v.as_object_mut().unwrap().remove("horizon").expect("the horizon");
    let params = voronka::sim::Params::from_model(&model, None);
    let walk = voronka::sim::fluid::expected(&params, voronka::sim::Start::Established);
    assert_eq!(horizon, serde_json::to_value(walk).unwrap());
    let library = serde_json::to_value(analyze(&model)).unwrap();
    assert_eq!(v, library);
}

#[test]
fn binary_refuses_a_file_with_errors() {
    let out = voronka_with_text("воронка В { этап А { ответственный Нет } }\nроль", &["analyze"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(voronka(&["analyze", "no/such/file.sales"]).status.code(), Some(3));
}

/// A role most of whose stages have no contact chain: the load counts only the stages with
/// chains, so `analyze` says so and never advises fewer people from it.
#[test]
fn a_load_from_few_chains_is_not_a_reason_to_cut_staff() {
    let text = "\
положение \"Т\" { валюта ₽; рабочая_неделя 5 дн; горизонт 12 мес }
роль М \"Менеджер\" { штат 5; рабочий_день 8 ч; доля_продаж 70% }
канал К { лиды 100 в мес; воронка В }
воронка В {
  чек 100 000 ₽
  этап А { ответственный М; конверсия 50%; длительность 2 дн; цепочка { звонок 10 мин } }
  этап Б { ответственный М; конверсия 50%; длительность 5 дн }
  этап Г { ответственный М; конверсия 50%; длительность 5 дн }
  этап Д { ответственный М; конверсия 90%; длительность 5 дн }
}
план { горизонт 12 мес; выручка 1 млн ₽ в мес }
";
    let a = analyze(&model(text));
    let m = role(&a, "М");
    assert_eq!((m.stages, m.stages_with_chain), (4, 1));
    assert!(m.partial());
    assert!(
        m.headcount_needed.is_some_and(|n| n < 5),
        "the counted work alone needs fewer"
    );
    let path = std::env::temp_dir().join(format!("voronka-partial-load-{}.sales", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let out = voronka(&["analyze", path.to_str().unwrap()]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains(
            "Нагрузка учитывает только этапы с цепочками контактов: М (цепочки есть у 1 из 4 этапов)"
        ),
        "{table}"
    );
    assert!(table.contains("сокращать штат по ней нельзя"), "{table}");
    assert!(table.contains("М 5 → нет оценки"), "{table}");
    for cut in 0..5 {
        assert!(
            !table.contains(&format!("М 5 → {cut}")),
            "advises a cut:\n{table}"
        );
    }
    // A role with every stage's chain is not flagged.
    let a = analyze(&model(LINEAR));
    assert!(!role(&a, "М").partial());
}
