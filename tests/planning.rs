//! Planning commands against answers computed by hand: sweeps, the headcount for a plan, and
//! the sensitivity ranking.

use std::path::Path;
use voronka::model::Model;
use voronka::planning::{hires, plan_headcount, run, sensitivity, sweep};
use voronka::scenario::Param;
use voronka::sim::SimOptions;

fn model(text: &str) -> Model {
    let c = voronka::compile_str(Path::new("t.sales"), text);
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    c.model.expect("a model")
}

fn options(runs: u32) -> SimOptions<'static> {
    SimOptions {
        runs,
        seed: 3,
        ..SimOptions::default()
    }
}

/// 40 leads a day (6-day weeks: 26 days a month) × 48 min of a manager's work; one manager has
/// 480 min a day, so closes 10 leads a day = 260 a month. The plan asks 700 deals a month, so
/// capacity is the only constraint: ⌈700 / 260⌉ = 3 managers (780 a month; 2 make only 520).
const CAPACITY: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Менеджер { штат 1; рабочий_день 8 ч; доля_продаж 100% }
роль Бухгалтер { штат 2 }
канал Сайт { лиды 1040 в мес; воронка П }
воронка П {
  чек 1000 ₽
  этап A { ответственный Менеджер; конверсия 100%; длительность 0 дн
    цепочка { звонок "Звонок" 48 мин } }
}
план "П" { горизонт 12 мес; сделки 700 в мес }
"#;

#[test]
fn plan_finds_the_headcount_computed_by_hand() {
    let m = model(CAPACITY);
    let a = plan_headcount(&m, "Менеджер", 0.8, &options(100)).expect("a plan");
    assert_eq!(a.headcount, Some(3), "{a:?}");
    assert!(a.achieved >= 0.8);
    // Fewer leads than the plan: no headcount helps, and the role is idle.
    let few = CAPACITY.replace("лиды 1040 в мес", "лиды 300 в мес");
    let a = plan_headcount(&model(&few), "Менеджер", 0.8, &options(50)).expect("a plan");
    assert_eq!(a.headcount, None);
    assert!(a.utilization_at_cap.unwrap() < 0.5, "{a:?}");
    // No plan, no answer.
    let none = CAPACITY.replace("план \"П\" { горизонт 12 мес; сделки 700 в мес }", "");
    assert!(plan_headcount(&model(&none), "Менеджер", 0.8, &options(10)).is_none());
}

#[test]
fn sweep_is_monotone_in_headcount_for_an_overloaded_role() {
    let m = model(CAPACITY);
    let role = Param::Headcount {
        role: "Менеджер".into(),
    };
    let rows = sweep(&m, &role, &[1.0, 2.0, 3.0, 4.0, 5.0], &options(50));
    for w in rows.windows(2) {
        // Within noise: never lower by more than 4 standard errors of the larger mean.
        let se = w[1].won.sd / 50f64.sqrt();
        assert!(
            w[1].won.mean >= w[0].won.mean - 4.0 * se,
            "{:?} then {:?}",
            w[0].won,
            w[1].won
        );
    }
    // Capacity-bound up to 4 managers (40 a day), then demand-bound.
    assert!(
        (rows[0].won.mean - 12.0 * 260.0).abs() < 15.0,
        "{:?}",
        rows[0].won
    );
    assert!(rows[2].won.mean > rows[1].won.mean + 2000.0);
    assert!(rows[0].utilization.unwrap().mean > 0.99);
}

#[test]
fn sensitivity_ranks_a_conversion_above_a_parameter_with_no_effect() {
    let m = model(
        &CAPACITY
            .replace("лиды 1040 в мес", "лиды 100 в мес")
            .replace("конверсия 100%", "конверсия 50%"),
    );
    let rows = sensitivity(&m, &options(50));
    let pos = |name: &str| rows.iter().position(|r| r.parameter == name).expect(name);
    let conv = pos("П.A.конверсия");
    let idle = pos("Бухгалтер.штат");
    assert!(conv < idle, "{rows:#?}");
    assert_eq!(
        rows[idle].swing, 0.0,
        "common random numbers: no effect is exactly none"
    );
    assert!(rows[conv].swing > 0.0);
}

#[test]
fn a_hire_in_the_binding_role_is_worth_its_capacity() {
    let m = model(CAPACITY);
    let (r, base) = run(&m, &options(50));
    let h = hires(&m, &r, &base, &options(50));
    assert_eq!(h.len(), 1, "only roles that do work: {h:?}");
    // One more manager: +260 deals a month for 12 months, capacity-bound throughout.
    let d = h[0].won_delta;
    assert!(d.ci95[0] > 0.0 && (d.mean - 3120.0).abs() < 30.0, "{d:?}");
    assert_eq!(voronka::planning::busiest_role(&r).unwrap().0, "Менеджер");
}

/// 20 leads a day: role А (40 min a lead, 12 a day) binds, Б (36 min) is at 12 × 36 / 480 =
/// 90%. With a second А, all 20 pass А (83%) and Б would need 720 of its 480 minutes: from the
/// first month Б binds. One more А costs its salary and adds what Б can take beyond the 12
/// already passing: 480 / 36 − 12 = 4/3 deals a day (work that does not fit in the rest of a
/// day continues the next day, so Б works all its minutes).
const TWO_ROLES: &str = r#"
положение "Т" { валюта ₽; горизонт 3 мес; рабочая_неделя 6 дн }
роль А { штат 1; рабочий_день 8 ч; доля_продаж 100%; оклад 50 000 ₽ }
роль Б { штат 1; рабочий_день 8 ч; доля_продаж 100% }
канал Сайт { лиды 520 в мес; воронка П }
воронка П {
  чек 1000 ₽
  этап X { ответственный А; конверсия 100%; длительность 0 дн
    цепочка { звонок "Звонок" 40 мин } }
  этап Y { ответственный Б; конверсия 100%; длительность 0 дн
    цепочка { звонок "Звонок" 36 мин } }
}
"#;

#[test]
fn a_hire_names_the_role_the_constraint_moves_to_and_when() {
    let m = model(TWO_ROLES);
    let (r, base) = run(&m, &options(30));
    assert_eq!(voronka::planning::busiest_role(&r).unwrap().0, "А");
    let h = hires(&m, &r, &base, &options(30));
    let a = h.iter().find(|h| h.role == "А").expect("А works");
    let moved = a.constraint_moves.as_ref().expect("the constraint moves");
    assert_eq!((moved.month, moved.role.as_str()), (1, "Б"));
    assert_eq!(a.bottleneck.as_deref(), Some("Б"));
    // 78 working days × 4/3 more deals a day; the salary is 3 × 50 000.
    assert!((a.won_delta.mean - 104.0).abs() < 1.0, "{:?}", a.won_delta);
    let cost = 150_000.0;
    assert!(
        (a.profit_delta.mean - (a.revenue_delta.mean - cost)).abs() < 1.0,
        "{a:?}"
    );
    // One more Б does not move anything: А still binds.
    let b = h.iter().find(|h| h.role == "Б").expect("Б works");
    assert!(b.constraint_moves.is_none());
    assert_eq!(b.won_delta.mean, 0.0);
}

/// `--period month`: every month must meet its own plan. With 900 deals in the first month and
/// 700 after, the horizon's total (8 600) needs 3 managers (9 360 a year), but the first month
/// needs 4 (3 close only 780 a month).
#[test]
fn plan_for_every_month_can_need_more_people_than_for_the_horizon() {
    use voronka::planning::{PlanPeriod, plan_headcount_for};
    let text = CAPACITY.replace("сделки 700 в мес", "сделки по_месяцам 900, 700");
    let m = model(&text);
    let h = plan_headcount_for(&m, "Менеджер", 0.8, PlanPeriod::Horizon, &options(40)).expect("a plan");
    assert_eq!((h.headcount, h.weakest_month), (Some(3), None), "{h:?}");
    let a = plan_headcount_for(&m, "Менеджер", 0.8, PlanPeriod::Month, &options(40)).expect("a plan");
    assert_eq!(a.headcount, Some(4), "{a:?}");
    assert_eq!(a.period, PlanPeriod::Month);
    assert!(a.achieved >= 0.8 && a.weakest_month.is_some(), "{a:?}");
}
