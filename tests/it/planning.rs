//! Planning commands against answers computed by hand: sweeps, the headcount for a plan, and
//! the sensitivity ranking.

use crate::common::model;
use std::path::Path;
use voronka::model::Model;
use voronka::planning::{PRECISION, hires, plan_headcount, run, sensitivity, sweep};
use voronka::scenario::Param;
use voronka::sim::SimOptions;

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
    let rows = sweep(&m, &role, &[1.0, 2.0, 3.0, 4.0, 5.0], &options(50), PRECISION);
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
    let rows = sensitivity(&m, &options(50), 0.05);
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
    let h = hires(&m, &r, &base, &options(50), PRECISION);
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
    let h = hires(&m, &r, &base, &options(30), PRECISION);
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

// ─── Pay: each role on the revenue it brings in ─────────────────────────────────

/// Two selling pipelines and four paid roles. Per month: 100 leads × 50 % × 40 % = 20 sales of
/// 100 000 ₽ = 2 000 000 ₽ through Квал (Хантер) and Сделка (Клоузер); 10 clients × 50 % = 5
/// repeat orders of 50 000 ₽ = 250 000 ₽ (Аккаунт). The department expects 2 250 000 ₽; the
/// plan of 4 500 000 ₽ is twice that, so every base doubles at 100 % of the plan.
const PAY: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 5 дн }
роль РОП { штат 1; функция руководитель; доля_продаж 0%; оклад 100 000 ₽; бонус 1% выручки }
роль Хантер { штат 2; подчиняется РОП; оклад 40 000 ₽; бонус 2% выручки }
роль Клоузер { штат 4; подчиняется РОП; оклад 60 000 ₽; мягкий_оклад 30%; бонус 5% выручки }
роль Аккаунт { штат 1; подчиняется РОП; оклад 50 000 ₽; бонус 4% выручки }
канал Сайт { лиды 100 в мес; воронка Продажа }
канал База { лиды 10 в мес; воронка Аккаунтинг }
воронка Продажа {
  выход "Оплата поступила"; чек 100 000 ₽
  этап Квал { ответственный Хантер; конверсия 50%; длительность 1 дн }
  этап Сделка "Оплата поступила" { ответственный Клоузер; конверсия 40%; длительность 5 дн }
}
воронка Аккаунтинг {
  выход "Оплата поступила"; вид аккаунтинг; чек 50 000 ₽
  этап Допродажа "Оплата поступила" { ответственный Аккаунт; конверсия 50%; длительность 3 дн }
}
план { горизонт 12 мес; выручка 4 500 000 ₽ в мес }
"#;

fn totals(ex: &voronka::planning::pay::PayExample) -> Vec<f64> {
    ex.levels.iter().map(|l| l.total).collect()
}

fn assert_money(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-6, "got {got:?}, want {want:?}");
    }
}

/// The figures of `PAY`, by hand (per person, per month, at 70 / 100 / 120 % of the plan):
///
/// - Клоузер: base 2 000 000 × 2 = 4 000 000 ÷ 4 = 1 000 000 ₽; fixed 42 000, soft 18 000 ×
///   level (at most 18 000), 5 % bonus 35 000 / 50 000 / 60 000 →
///   89 600 / 110 000 / 120 000 ₽.
/// - Хантер: the same deals (they passed Квал): 4 000 000 ÷ 2 = 2 000 000 ₽; 40 000 + 2 % →
///   68 000 / 80 000 / 88 000 ₽.
/// - Аккаунт: 250 000 × 2 = 500 000 ₽; 50 000 + 4 % → 64 000 / 70 000 / 74 000 ₽.
/// - РОП (no stages; the team works both pipelines): 4 500 000 ₽; 100 000 + 1 % →
///   131 500 / 145 000 / 154 000 ₽.
///
/// The old rule (the department's plan ÷ the role's headcount) gave the account manager
/// 4 500 000 ₽ of base and 230 000 ₽ at 100 %.
#[test]
fn pay_is_computed_on_the_revenue_each_role_brings_in() {
    let m = model(PAY);
    let a = voronka::analyze::analyze(&m);
    assert!((a.department.revenue_per_month - 2_250_000.0).abs() < 1e-6);
    let figures = voronka::planning::plan::plan(&m, &a).expect("a plan");
    let d = figures.decomposition.expect("a decomposition");
    assert!((d.multiplier - 2.0).abs() < 1e-12);
    let pay = voronka::planning::pay::examples(&m, &a, Some(d.multiplier));
    let of = |role: &str| {
        let i = m.roles.iter().position(|r| r.name == role).expect("role");
        pay[i].clone().expect("variable pay")
    };
    let closer = of("Клоузер");
    assert!((closer.role_plan.unwrap() - 4_000_000.0).abs() < 1e-6);
    assert!((closer.personal_plan.unwrap() - 1_000_000.0).abs() < 1e-6);
    assert_money(&totals(&closer), &[89_600.0, 110_000.0, 120_000.0]);
    assert_money(&totals(&of("Хантер")), &[68_000.0, 80_000.0, 88_000.0]);
    let account = of("Аккаунт");
    assert!((account.personal_plan.unwrap() - 500_000.0).abs() < 1e-6);
    assert_money(&totals(&account), &[64_000.0, 70_000.0, 74_000.0]);
    assert_money(&totals(&of("РОП")), &[131_500.0, 145_000.0, 154_000.0]);
}

/// The account manager of the manufacturer is paid on the account pipeline's revenue, not on
/// the whole service's plan (which gave 908 333 ₽ a month on a 75 000 ₽ salary).
#[test]
fn the_manufacturers_account_manager_is_paid_on_the_account_pipeline() {
    let c = voronka::compile(Path::new("examples/manufacturer.sales"));
    let m = c.model.expect("a model");
    let a = voronka::analyze::analyze(&m);
    let d = voronka::planning::plan::plan(&m, &a)
        .and_then(|p| p.decomposition)
        .expect("a decomposition");
    let account_revenue = a
        .department
        .won_by_pipeline
        .iter()
        .find(|f| f.pipeline == "Аккаунтинг")
        .expect("account wins")
        .revenue_per_month;
    let i = m.roles.iter().position(|r| r.name == "Аккаунт").expect("Аккаунт");
    let pay = voronka::planning::pay::examples(&m, &a, Some(d.multiplier));
    let ex = pay[i].clone().expect("variable pay");
    let personal = ex.personal_plan.expect("a revenue base");
    assert!(
        (personal - account_revenue * d.multiplier / 2.0).abs() < 1e-3,
        "{personal} vs {account_revenue} × {} ÷ 2",
        d.multiplier
    );
    // At 100 %: 52 500 fixed + 22 500 soft + 4 % of the personal base. The account pipeline
    // brings in 22.5 of the 53.0 million ₽ the analysis expects (two thirds of clients buy
    // again: 2.86 purchases each; the new clients handed on after their first delivery,
    // `после_выигрыша`, included), so the base is 8.8 million ₽ and the month 428 842 ₽ — the
    // model's own figures, well under the old 908 333 ₽ (the whole 41.7 million plan ÷ 2).
    let at_plan = &ex.levels[1];
    assert!((at_plan.bonus - 0.04 * personal).abs() < 1e-6, "{at_plan:?}");
    assert!(
        (at_plan.total - (75_000.0 + 0.04 * personal)).abs() < 1e-6,
        "{at_plan:?}"
    );
    assert!(at_plan.total < 450_000.0, "{at_plan:?}");
}

/// A bonus written as an amount without `плана` is the plan bonus the documents print, so it
/// costs money in the forecast: 2 people × 10 000 ₽ × 12 months when every month meets a plan
/// of 1 000 ₽ (about 100 sales of 1 000 ₽ a month).
#[test]
fn a_plain_amount_bonus_costs_money_in_the_forecast() {
    let text = r#"
положение "Т" { валюта ₽; горизонт 12 мес }
роль Менеджер { штат 2; оклад 50 000 ₽; бонус 10 000 ₽ }
канал Сайт { лиды 100 в мес; воронка П }
воронка П { выход "Оплата поступила"; чек 1 000 ₽
  этап A "Оплата поступила" { ответственный Менеджер; конверсия 100%; длительность 0 дн } }
план { горизонт 12 мес; выручка 1 000 ₽ в мес }
"#;
    let with = voronka::sim::simulate(&model(text), &options(50));
    let without = voronka::sim::simulate(&model(&text.replace("; бонус 10 000 ₽", "")), &options(50));
    let extra = with.cost.mean - without.cost.mean;
    assert!((extra - 240_000.0).abs() < 1e-3, "{extra}");
}

/// A revenue share costs the share of the revenue the role brings in: the account manager of
/// `PAY` (4 %) brings in 250 000 ₽ of the expected 2 250 000 ₽, so their bonus costs 4 % × 1/9
/// of the simulated revenue — what the documents' example adds up to at 100 % of the plan.
#[test]
fn a_revenue_share_costs_the_share_of_the_revenue_the_role_brings_in() {
    let only_account = PAY
        .replace("; бонус 1% выручки", "")
        .replace("; бонус 2% выручки", "")
        .replace("; мягкий_оклад 30%; бонус 5% выручки", "");
    let without = only_account.replace("; бонус 4% выручки", "");
    let with = voronka::sim::simulate(&model(&only_account), &options(50));
    let base = voronka::sim::simulate(&model(&without), &options(50));
    let extra = with.cost.mean - base.cost.mean;
    let want = 0.04 / 9.0 * with.revenue.mean;
    assert!((extra - want).abs() < 1e-6 * want, "{extra} vs {want}");
}

/// Sensitivity is honest about what it cannot tell: a swing whose paired interval includes 0
/// is marked, and a one-person role that matters stands apart, after the ranked drivers.
#[test]
fn sensitivity_marks_noise_and_sets_critical_roles_apart() {
    let m = voronka::compile(std::path::Path::new("examples/split/main.sales"))
        .model
        .unwrap();
    let rows = voronka::planning::sensitivity(
        &m,
        &SimOptions {
            runs: 60,
            seed: 3,
            ..SimOptions::default()
        },
        voronka::planning::SENSITIVITY_PRECISION,
    );
    for r in &rows {
        let [lo, hi] = r.swing_ci95;
        assert_eq!(r.indistinguishable, lo <= 0.0 && hi >= 0.0, "{}", r.parameter);
    }
    let first_critical = rows
        .iter()
        .position(|r| r.critical)
        .expect("Замерщик is critical");
    assert!(
        rows[first_critical..].iter().all(|r| r.critical),
        "critical roles come last"
    );
    assert!(
        rows.iter()
            .any(|r| r.critical && r.parameter.starts_with("Замерщик"))
    );
    assert!(rows.iter().all(|r| !r.critical || r.revenue_low < r.revenue_high));
    // A role with no work to lose is not critical: its swing is noise or nothing.
    assert!(
        !rows
            .iter()
            .any(|r| r.critical && r.parameter.starts_with("Директор"))
    );
}

/// Adaptive sensitivity spends runs where the ranking needs them, and at its cap gives exactly
/// the numbers of a fixed run: the variant with the conversion 10 % lower, simulated on its own
/// with the same seed and runs, has the same mean revenue.
#[test]
fn adaptive_sensitivity_stops_early_on_no_effect_and_matches_a_fixed_run_at_its_cap() {
    let m = model(
        &CAPACITY
            .replace("лиды 1040 в мес", "лиды 100 в мес")
            .replace("конверсия 100%", "конверсия 50%"),
    );
    // Precision 0: every row with any noise runs to the cap.
    let rows = sensitivity(&m, &options(300), 0.0);
    let row = |name: &str| rows.iter().find(|r| r.parameter == name).expect(name);
    let conv = row("П.A.конверсия");
    assert_eq!(conv.runs, 300);
    let idle = row("Бухгалтер.штат");
    assert_eq!(
        idle.runs,
        voronka::planning::SENSITIVITY_FIRST,
        "no effect, no noise: the first batch decides"
    );
    let mut lower = m.clone();
    voronka::scenario::apply_change(
        &mut lower,
        &voronka::scenario::Change {
            param: Param::Conversion {
                pipeline: "П".into(),
                stage: "A".into(),
            },
            value: voronka::scenario::Value::Scale(0.9),
        },
    );
    let fixed = voronka::sim::simulate(&lower, &options(300));
    assert!(
        (fixed.revenue.mean - conv.revenue_low).abs() <= 1e-6 * fixed.revenue.mean,
        "{} vs {}",
        fixed.revenue.mean,
        conv.revenue_low
    );
    // A loose precision stops the same row well before the cap.
    let loose = sensitivity(&m, &options(3000), 0.5);
    assert!(loose.iter().all(|r| r.runs < 3000), "{loose:#?}");
}

/// `plan` screens: a headcount far from the target is decided on the first 50 replications,
/// and the answer always stands on every replication asked for.
#[test]
fn plan_screens_clear_headcounts_and_runs_the_answer_in_full() {
    let m = model(CAPACITY);
    let a = plan_headcount(&m, "Менеджер", 0.8, &options(400)).expect("a plan");
    assert_eq!(a.headcount, Some(3), "{a:?}");
    assert_eq!(a.tried.len(), a.tried_runs.len());
    let runs = |h: u32| {
        a.tried
            .iter()
            .zip(&a.tried_runs)
            .find(|(t, _)| t.0 == h)
            .map(|(_, r)| *r)
    };
    assert_eq!(runs(3), Some(400), "{a:?}");
    // One manager closes 260 of the 700 deals a month asked: P(plan) = 0 is clear at once.
    assert_eq!(runs(1), Some(voronka::planning::SCREEN_RUNS / 2), "{a:?}");
}

/// The noisy model of the sensitivity tests: 100 leads a month at 50 %, so every value of the
/// conversion has sampling noise and an adaptive comparison has something to decide.
fn noisy() -> Model {
    model(
        &CAPACITY
            .replace("лиды 1040 в мес", "лиды 100 в мес")
            .replace("конверсия 100%", "конверсия 50%"),
    )
}

fn conversion() -> Param {
    Param::Conversion {
        pipeline: "П".into(),
        stage: "A".into(),
    }
}

/// The model with the conversion at `value`, as `sweep` sets it.
fn at(m: &Model, value: f64) -> Model {
    let mut m = m.clone();
    voronka::scenario::apply_change(
        &mut m,
        &voronka::scenario::Change {
            param: conversion(),
            value: voronka::scenario::Value::Number(value),
        },
    );
    m
}

const CONVERSIONS: [f64; 5] = [0.3, 0.4, 0.5, 0.6, 0.7];

/// Adaptive sweep: every value takes at least the first batch and at most `--runs`, and every
/// figure of a row is the forecast of exactly its own runs (one truth: the row's revenue is the
/// mean over the replications it reports, nothing else).
#[test]
fn adaptive_sweep_reports_its_runs_and_each_row_is_the_forecast_of_its_own_runs() {
    let m = noisy();
    let cap = 2000;
    let rows = sweep(&m, &conversion(), &CONVERSIONS, &options(cap), PRECISION);
    assert_eq!(rows.len(), CONVERSIONS.len());
    for r in &rows {
        assert!(
            (voronka::planning::FIRST_BATCH..=cap).contains(&r.runs),
            "{} runs at {}",
            r.runs,
            r.value
        );
        let own = voronka::sim::simulate(&at(&m, r.value), &options(r.runs));
        assert_eq!(own.revenue, r.revenue, "revenue at {}", r.value);
        assert_eq!(own.won, r.won, "deals at {}", r.value);
        assert_eq!(own.plan_probability, r.plan_probability, "P(plan) at {}", r.value);
    }
    assert!(
        rows.iter().any(|r| r.runs < cap),
        "5 % of the spread is reached before 2 000 runs: {rows:#?}"
    );
    // The steps of the curve are known to within the precision of its height.
    let spread = voronka::planning::sweep_spread(&rows);
    for w in rows.windows(2) {
        let k = w[0].runs.min(w[1].runs) as usize;
        let a = voronka::planning::run(&at(&m, w[0].value), &options(k as u32)).1;
        let b = voronka::planning::run(&at(&m, w[1].value), &options(k as u32)).1;
        let d = voronka::sim::paired(&a.revenue, &b.revenue);
        let half = (d.ci95[1] - d.ci95[0]) / 2.0;
        assert!(
            half <= PRECISION * spread || k as u32 == cap,
            "{} → {}: ±{half} over {k} runs, spread {spread}",
            w[0].value,
            w[1].value
        );
    }
}

/// At a precision that forces the cap, an adaptive sweep is exactly a fixed sweep of `--runs`
/// replications per value (the same streams); a value listed twice is simulated once and
/// reported twice.
#[test]
fn adaptive_sweep_at_its_cap_equals_a_fixed_sweep() {
    let m = noisy();
    let cap = 300;
    let rows = sweep(&m, &conversion(), &CONVERSIONS, &options(cap), 1e-12);
    for r in &rows {
        assert_eq!(r.runs, cap, "at {}", r.value);
        let fixed = voronka::sim::simulate(&at(&m, r.value), &options(cap));
        assert_eq!(fixed.revenue, r.revenue, "at {}", r.value);
        assert_eq!(fixed.won, r.won, "at {}", r.value);
        assert_eq!(fixed.plan_probability, r.plan_probability, "at {}", r.value);
    }
    // Fewer runs than the first batch: every value is simply the fixed forecast.
    let few = sweep(&m, &conversion(), &[0.4, 0.6, 0.4], &options(40), PRECISION);
    assert!(few.iter().all(|r| r.runs == 40), "{few:#?}");
    assert_eq!(few[0], few[2], "the same value, the same row");
    let fixed = voronka::sim::simulate(&at(&m, 0.6), &options(40));
    assert_eq!(fixed.revenue, few[1].revenue);
}

/// Scenarios and hires reuse the baseline's runs and take only the runs their difference
/// needs: no difference at all is decided on the first batch; at the cap a hire is exactly
/// the fixed comparison.
#[test]
fn comparisons_stop_when_the_difference_is_known_and_report_their_runs() {
    let m = model(TWO_ROLES);
    let cap = 400;
    let (r, base) = run(&m, &options(cap));
    let h = hires(&m, &r, &base, &options(cap), PRECISION);
    for hire in &h {
        assert!(
            (voronka::planning::FIRST_BATCH..=cap).contains(&hire.runs),
            "{hire:?}"
        );
    }
    let b = h.iter().find(|h| h.role == "Б").expect("Б works");
    assert_eq!(
        b.runs,
        voronka::planning::FIRST_BATCH,
        "no effect, no noise: the first batch decides"
    );
    // The same hire at its cap: the paired difference of a fixed forecast of `cap` runs.
    let fixed = hires(&m, &r, &base, &options(cap), 1e-12);
    let a = fixed.iter().find(|h| h.role == "А").expect("А works");
    let mut more = m.clone();
    voronka::scenario::apply_change(
        &mut more,
        &voronka::scenario::Change {
            param: Param::Headcount { role: "А".into() },
            value: voronka::scenario::Value::Number(2.0),
        },
    );
    let with = run(&more, &options(cap)).1;
    if a.runs == cap {
        assert_eq!(a.profit_delta, voronka::sim::paired(&base.profit, &with.profit));
    } else {
        // Clear of zero before the cap: the difference over its own runs.
        let k = a.runs as usize;
        assert_eq!(
            a.profit_delta,
            voronka::sim::paired(&base.profit[..k], &with.profit[..k])
        );
    }
    // A scenario that changes nothing is decided on the first batch.
    let same =
        voronka::scenario::parse("роли: { А: { штат: 1 } }", voronka::source::FileId(0), &m, "same").unwrap();
    let s = voronka::planning::compare(&m, &base, &[same], &options(cap), PRECISION);
    assert_eq!(s[0].runs, voronka::planning::FIRST_BATCH);
    assert_eq!(s[0].delta.revenue.ci95, [0.0, 0.0]);
}

/// `--precision` is a share above 0 and at most 1 on every command that has it; anything else
/// is a usage error (exit 2) said in Russian.
#[test]
fn precision_outside_its_range_is_a_usage_error_in_russian() {
    for command in [
        &["sweep", "examples/agency.sales", "--set", "Менеджер.штат=2..3"][..],
        &["sensitivity", "examples/agency.sales"][..],
        &["simulate", "examples/agency.sales"][..],
        &["build", "examples/agency.sales", "--out", "target/never-written"][..],
    ] {
        for bad in ["0", "abc", "1.5", "-0.1"] {
            let flag = format!("--precision={bad}");
            let out = crate::common::voronka(&[command, &[flag.as_str(), "-q"]].concat());
            assert_eq!(out.status.code(), Some(2), "{command:?} --precision {bad}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("неверное значение") && stderr.contains("--precision"),
                "{command:?} --precision {bad}: {stderr}"
            );
        }
    }
}

/// The sweep says how many runs each value took in every format, and the table says how they
/// were decided.
#[test]
fn every_sweep_format_reports_the_runs_of_each_value() {
    let args = [
        "sweep",
        "examples/agency.sales",
        "--set",
        "Менеджер.штат=2..4",
        "--runs",
        "150",
        "--precision",
        "10%",
        "-q",
    ];
    let json = crate::common::voronka(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(json.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["precision"], 0.1);
    for row in doc["rows"].as_array().unwrap() {
        let runs = row["runs"].as_u64().unwrap();
        assert!((100..=150).contains(&runs), "{row}");
    }
    let csv = String::from_utf8(crate::common::voronka(&[&args[..], &["--format", "csv"]].concat()).stdout)
        .unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",runs"), "{csv}");
    let table = String::from_utf8(crate::common::voronka(&args).stdout).unwrap();
    assert!(table.contains("прогонов"), "{table}");
    assert!(table.contains("размаха перебора"), "{table}");
    let html = String::from_utf8(crate::common::voronka(&[&args[..], &["--format", "html"]].concat()).stdout)
        .unwrap();
    assert!(html.contains("Прогонов"), "no runs column");
}

/// The tornado's CSV says how many runs each parameter took, as its JSON does.
#[test]
fn the_sensitivity_csv_reports_the_runs_of_each_parameter() {
    let out = crate::common::voronka(&[
        "sensitivity",
        "examples/agency.sales",
        "--runs",
        "120",
        "--format",
        "csv",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",critical,runs"), "{csv}");
    for line in lines {
        let runs: u32 = line.rsplit(',').next().unwrap().parse().unwrap();
        assert!(
            (voronka::planning::SENSITIVITY_FIRST..=120).contains(&runs),
            "{line}"
        );
    }
}
