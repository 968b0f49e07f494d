//! KPIs evaluated by the simulator against values computed from the same runs by hand, and a
//! conversion KPI against its closed form (4·SE tolerances).

use crate::common::model;

use voronka::model::{Colour, Model};
use voronka::sim::{SimOptions, SimResult, simulate};

fn run(m: &Model, runs: u32) -> SimResult {
    simulate(
        m,
        &SimOptions {
            runs,
            seed: 4,
            ..SimOptions::default()
        },
    )
}

/// Ample capacity, 26 working days a month, two managers, one call per lead at stage A.
const MODEL: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Менеджер { штат 2 }
канал Сайт { лиды 260 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап A { ответственный Менеджер; конверсия 40%; длительность 1 дн
    цепочка { звонок "Звонок" 5 мин; письмо "Письмо" 2 мин } }
  этап B { ответственный Менеджер; конверсия 50%; длительность 1 дн }
}
показатель Конверсия { формула выиграно(П) / вошло(П.A); единица %; период ежемесячно; роли отдел; цель >= 20%
  цвета красный < 70%, жёлтый 70%..100%, зелёный >= 100% }
показатель Звонки { формула звонки; период ежедневно; роли Менеджер; цель >= 10
  цвета красный < 70%, жёлтый 70%..100%, зелёный >= 100% }
показатель Выручка { формула выручка(П); период ежемесячно; роли отдел; цель >= 1 000 000 ₽
  цвета красный < 70%, жёлтый 70%..100%, зелёный >= 100% }
показатель Отклик { формула отклик; период ежедневно; роли Менеджер; цель <= 15 мин }
"#;

#[test]
fn kpis_are_computed_from_the_runs_per_period_and_person() {
    let m = model(MODEL);
    let runs = 400;
    let r = run(&m, runs);
    let kpi = |name: &str| r.kpis.iter().find(|k| k.name == name).expect(name);
    let days = f64::from(r.working_days);

    // Calls: every lead served at A makes one call; per working day and per manager.
    let calls = kpi("Звонки");
    let a = &r.stages[0];
    let v = calls.value.expect("calls are counted");
    let expected = a.entered.mean / days / 2.0;
    assert!((v.mean - expected).abs() < 0.01 * expected, "{v:?} vs {expected}");
    // 260 leads a month / 26 days / 2 managers = 5 a day: half the target, red.
    assert!((v.mean - 5.0).abs() < 0.1);
    assert_eq!(calls.band, Some(Colour::Red));
    assert_eq!(calls.target_probability, Some(0.0));
    assert_eq!(calls.per_person, vec!["Менеджер".to_owned()]);

    // Revenue per month of the department: the horizon's over 12.
    let revenue = kpi("Выручка").value.expect("revenue");
    assert!((revenue.mean - r.revenue.mean / 12.0).abs() < 1e-6 * r.revenue.mean);

    // The conversion of the funnel: 0.4 × 0.5 = 20% of the leads that entered A (the last
    // day's entries cannot finish, a bias of 1/312 at most).
    let conv = kpi("Конверсия");
    let c = conv.value.expect("conversion");
    let se = c.sd / f64::from(runs).sqrt();
    assert!((c.mean - 0.2).abs() < 4.0 * se + 0.2 / 312.0, "{c:?}");
    let p = conv.target_probability.expect("a target");
    assert!(p > 0.2 && p < 0.8, "the mean sits on the target: {p}");
    assert!(matches!(conv.band, Some(Colour::Yellow | Colour::Green)));
    assert!(conv.per_person.is_empty(), "a ratio is not per person");

    // The first response is below the engine's one-day step: listed, not dropped.
    let response = kpi("Отклик");
    assert!(response.value.is_none());
    assert_eq!(response.not_evaluated.as_deref(), Some("response_minutes"));
}

/// `дозвон`: a call of 3 attempts at 50 % is made (1 − 0.125) / 0.5 = 1.75 times per lead, and
/// `звонки` counts each attempt.
#[test]
fn calls_count_every_expected_attempt() {
    let m = model(&MODEL.replace(
        "звонок \"Звонок\" 5 мин;",
        "звонок \"Звонок\" 5 мин; попыток 3; дозвон 50%; иначе -> проиграно;",
    ));
    let r = run(&m, 100);
    let calls = r
        .kpis
        .iter()
        .find(|k| k.name == "Звонки")
        .and_then(|k| k.value)
        .expect("calls are counted");
    let expected = 1.75 * r.stages[0].entered.mean / f64::from(r.working_days) / 2.0;
    assert!(
        (calls.mean - expected).abs() < 0.01 * expected,
        "{calls:?} vs {expected}"
    );
}
