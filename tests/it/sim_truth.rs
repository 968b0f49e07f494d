//! The simulator against answers known in closed form (docs/architecture.md, "Simulation
//! engine"). Tolerances come from the standard error of the estimate (4·SE), never by eye; the
//! seeds are fixed, so each test gives the same numbers on every run.
//!
//! The models use a six-day working week: 6 × 52 / 12 = 26 working days in every month, so
//! monthly expectations are exact.

use crate::common::{model, months_match_the_walk, within};
use std::path::Path;
use voronka::model::Model;
use voronka::model::StartKind;
use voronka::sim::{Params, SimOptions, SimResult, Start, fluid, simulate};

/// The model even when validation rejects it: the engine must survive what `check` refuses.
fn unchecked_model(text: &str) -> Model {
    voronka::compile_str(Path::new("truth.sales"), text)
        .model
        .expect("a model")
}

/// A run from an empty pipeline (`старт новый`): the closed forms below count from day 0.
fn run(text: &str, runs: u32, seed: u64, months: Option<u32>) -> SimResult {
    run_from(text, runs, seed, months, StartKind::New)
}

fn run_from(text: &str, runs: u32, seed: u64, months: Option<u32>, start: StartKind) -> SimResult {
    simulate(
        &model(text),
        &SimOptions {
            runs,
            seed,
            months,
            start: Some(start),
            ..SimOptions::default()
        },
    )
}

const THIN: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Р { штат 1 }
канал Сайт { лиды 200 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап A { ответственный Р; конверсия 30%; длительность 1 дн }
  этап B { ответственный Р; конверсия 50%; длительность 1 дн }
  этап C { ответственный Р; конверсия 25%; длительность 1 дн }
}
"#;

/// Ample capacity: the won deals of a steady-state month are Poisson(leads × Π p):
/// 200 × 0.3 × 0.5 × 0.25 = 7.5, with variance 7.5 (thinning of a Poisson process).
#[test]
fn thinning_gives_poisson_wins_per_month() {
    let runs = 2000;
    let r = run(THIN, runs, 11, None);
    let lambda = 7.5;
    let n = f64::from(runs);
    // Month 1 is the cold start (the funnel takes three days); months 2..12 are steady.
    for m in &r.months[1..] {
        let se = m.won.sd / n.sqrt();
        within(&format!("won in month {}", m.month), m.won.mean, lambda, 4.0 * se);
        // SE of a sample variance of Poisson counts: √((λ + 2λ²) / n).
        let var_se = ((lambda + 2.0 * lambda * lambda) / n).sqrt();
        within(
            &format!("variance in month {}", m.month),
            m.won.sd.powi(2),
            lambda,
            4.0 * var_se,
        );
        // Revenue is the deal count times the fixed check.
        within(
            "revenue",
            m.revenue.mean,
            m.won.mean * 10_000.0,
            1e-6 * m.revenue.mean,
        );
    }
}

const OVERLOADED: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Менеджер { штат 1; рабочий_день 8 ч; доля_продаж 100% }
канал Сайт { лиды 520 в мес; воронка П }
воронка П {
  этап A { ответственный Менеджер; конверсия 100%; длительность 0 дн
    цепочка { звонок "Звонок" 48 мин } }
}
"#;

/// Demand is twice the capacity: 20 leads a day × 48 min against 480 min a day. Throughput is
/// the capacity (10 a day, 260 a month) and the backlog grows by demand − capacity = 10 a day.
#[test]
fn an_overloaded_role_works_at_capacity_and_its_backlog_grows() {
    let runs = 400;
    let n = f64::from(runs);
    for months in [6u32, 12] {
        let r = run(OVERLOADED, runs, 5, Some(months));
        let days = f64::from(months) * 26.0;
        for m in &r.months[1..] {
            within("throughput per month", m.won.mean, 260.0, 1e-9);
            // The month's binding constraint is the overloaded role, working flat out.
            let b = m.bottleneck.as_ref().expect("a role with working time");
            assert_eq!(b.role, "Менеджер");
            within("utilisation in the month", b.utilization, 1.0, 1e-9);
        }
        let role = &r.roles[0];
        // Only a first day with fewer than 10 leads leaves capacity idle (P ≈ 0.005).
        within("utilisation", role.utilization.expect("capacity").mean, 1.0, 1e-4);
        // Backlog = Poisson(20·T) arrivals − 10·T served; SE from its spread.
        let se = role.backlog.sd / n.sqrt();
        within("backlog", role.backlog.mean, (20.0 - 10.0) * days, 4.0 * se);
        within(
            "backlog spread",
            role.backlog.sd,
            (20.0 * days).sqrt(),
            0.15 * (20.0 * days).sqrt(),
        );
    }
}

const LONG_CONTACT: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Директор { штат 1; рабочий_день 8 ч; доля_продаж 20% }
канал Тендеры { лиды 260 в мес; воронка П }
воронка П {
  этап Встреча { ответственный Директор; конверсия 100%; длительность 0 дн
    цепочка { встреча "Тендерная встреча" 180 мин } }
}
"#;

/// A contact longer than its owner's selling day (a 180-minute meeting, 96 minutes a day) is
/// still done: the work spans days, so with a queue that never empties (10 leads a day) the
/// role serves its capacity, 96 / 180 leads a day, and works every minute of it.
#[test]
fn a_contact_longer_than_a_day_is_served_at_capacity() {
    let runs = 200;
    let r = run(LONG_CONTACT, runs, 3, None);
    let days = 12.0 * 26.0;
    let per_day = r.won.mean / days;
    let se = r.won.sd / days / f64::from(runs).sqrt();
    // Starts are whole leads: over the horizon at most one lead off the fluid rate.
    within("served per day", per_day, 96.0 / 180.0, 4.0 * se + 1.0 / days);
    for m in &r.months[1..] {
        within(
            &format!("utilisation in month {}", m.month),
            m.bottleneck.as_ref().expect("a role with time").utilization,
            1.0,
            1e-9,
        );
    }
    // No work stalls: leads keep flowing through the stage, whatever the day's minutes.
    let stage = &r.stages[0];
    assert!(stage.converted.mean > 150.0, "{:?}", stage.converted);
}

const LITTLE: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Менеджер { штат 2; рабочий_день 8 ч; доля_продаж 50% }
роль Р { штат 1 }
канал Сайт { лиды 260 в мес; воронка П }
воронка П {
  этап A { ответственный Менеджер; конверсия 60%; длительность 2..10 дн
    цепочка { звонок "Звонок" 30 мин } }
  этап B { ответственный Р; конверсия 50%; длительность логнорм(6, 3) дн }
}
"#;

/// Little's law per stage on the same sample path: mean WIP = entry rate × mean days in stage,
/// up to the leads still in the stage when the horizon ends (bounded by L × longest stay / T).
#[test]
fn littles_law_holds_per_stage() {
    let months = 60;
    let r = run(LITTLE, 50, 3, Some(months));
    let days = f64::from(r.working_days);
    assert_eq!(days, f64::from(months) * 26.0);
    for (s, longest) in r.stages.iter().zip([10.0, 40.0]) {
        let throughput = s.entered.mean / days;
        let w = s.days_in_stage.expect("leads went through").mean;
        let l = s.wip.mean;
        within(
            &format!("Little's law at {}", s.stage),
            l,
            throughput * w,
            l * longest / days + 4.0 * s.wip.sd / 50f64.sqrt(),
        );
    }
    // Stage A has queueing (200 min of work a day against 480) and a known mean stay: the
    // queue is short, so the stay is close to the duration's mean of 6 days.
    within("stay at A", r.stages[0].days_in_stage.unwrap().mean, 6.0, 0.5);
}

const RETARGET: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Р { штат 1 }
канал Сайт { лиды 200 в мес; воронка П }
воронка П {
  этап A { ответственный Р; конверсия 40%; длительность 0 дн; отказ 30% -> Р; отказ -> проиграно }
}
воронка Р { вид ретаргетинг
  этап R { ответственный Р; конверсия 50%; длительность 0 дн; успех -> П.A }
}
"#;

/// A retargeting hand-off: 30% of A's failures (0.6 × 0.3 = 0.18 of its leads) go to R, half of
/// them come back. Entries at A = leads / (1 − 0.18 × 0.5); wins = 0.4 × entries.
#[test]
fn a_retargeting_hand_off_returns_the_expected_share() {
    let runs = 1000;
    let r = run(RETARGET, runs, 7, None);
    let n = f64::from(runs);
    let leads = 200.0 * 12.0;
    let entries = leads / (1.0 - 0.18 * 0.5);
    let (a, rt) = (&r.stages[0], &r.stages[1]);
    within(
        "entries at A",
        a.entered.mean,
        entries,
        4.0 * a.entered.sd / n.sqrt(),
    );
    within(
        "handed to R",
        rt.entered.mean,
        0.18 * entries,
        4.0 * rt.entered.sd / n.sqrt(),
    );
    within(
        "returned from R",
        rt.converted.mean,
        0.09 * entries,
        4.0 * rt.converted.sd / n.sqrt(),
    );
    within("won", r.won.mean, 0.4 * entries, 4.0 * r.won.sd / n.sqrt());
}

const UNREACHED: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Р { штат 1; рабочий_день 8 ч; доля_продаж 100% }
канал Сайт { лиды 200 в мес; воронка П }
воронка П {
  этап A { ответственный Р; конверсия 40%; длительность 0 дн
    цепочка { звонок "Звонок" 10 мин; попыток 3; дозвон 50%; иначе -> Р } }
}
воронка Р { вид ретаргетинг
  этап R { ответственный Р; конверсия 50%; длительность 0 дн }
}
"#;

/// `дозвон`: a call of 3 attempts at 50 % leaves u = 0.5³ = 0.125 of A's leads unreached, and
/// they enter the retargeting pipeline by the call's `иначе`; the reached 0.875 convert 40 %.
/// Each lead takes (1 − 0.125) / 0.5 = 1.75 calls of 10 minutes, so with ample capacity the
/// role works 17.5 minutes per lead of its 480 × 26 a month.
#[test]
fn unreached_leads_enter_retargeting_and_attempts_take_time() {
    let runs = 1000;
    let r = run(UNREACHED, runs, 17, None);
    let n = f64::from(runs);
    let (a, rt) = (&r.stages[0], &r.stages[1]);
    // Given A's entries, R's are binomial: the mean of (R − 0.125·A) over the runs has the
    // standard error √(0.125 · 0.875 · E[A] / n).
    within(
        "handed to R by иначе",
        rt.entered.mean,
        0.125 * a.entered.mean,
        4.0 * (0.125 * 0.875 * a.entered.mean / n).sqrt(),
    );
    within(
        "converted at A",
        a.converted.mean,
        0.875 * 0.4 * a.entered.mean,
        4.0 * (0.35 * 0.65 * a.entered.mean / n).sqrt(),
    );
    let available = 480.0 * f64::from(r.working_days);
    let utilization = r.roles[0].utilization.as_ref().expect("capacity");
    within(
        "utilisation",
        utilization.mean,
        17.5 * r.leads.mean / available,
        4.0 * utilization.sd / n.sqrt(),
    );
}

const LOOP: &str = r#"
положение "Т" { валюта ₽; горизонт 24 мес; рабочая_неделя 6 дн }
роль Р { штат 1 }
канал Сайт { лиды 300 в мес; воронка П }
воронка П {
  этап A { ответственный Р; конверсия 60%; длительность 2 дн }
  этап B { ответственный Р; конверсия 50%; длительность 3 дн; отказ 30% -> A; отказ -> проиграно }
}
"#;

/// A loop, against the absorbing Markov chain solved by hand. From A: B with 0.6, lost 0.4.
/// From B: won 0.5, back to A 0.15 (30% of the failures), lost 0.35. So
/// P(won | A) = 0.6·(0.5 + 0.15·P) → P = 0.3 / (1 − 0.09) = 0.32967. A win after k loops has
/// probability 0.3·0.09^k and takes 5(k + 1) days, so E[cycle | won] = 5 / (1 − 0.09) = 5.4945.
/// With a finite horizon, a lead arriving on day t counts only if t + 5(k + 1) < T.
#[test]
fn a_loop_matches_the_absorbing_markov_chain() {
    let p_won: f64 = 0.3 / (1.0 - 0.09);
    let cycle: f64 = 5.0 / (1.0 - 0.09);
    assert!((p_won - 0.329_67).abs() < 1e-5 && (cycle - 5.4945).abs() < 1e-4);

    let runs = 400;
    let r = run(LOOP, runs, 13, None);
    let n = f64::from(runs);
    let days = f64::from(r.working_days);
    let per_day = 300.0 / 26.0;
    let (mut won, mut cycle_sum) = (0.0, 0.0);
    for k in 0..200 {
        let p = 0.3 * 0.09f64.powi(k);
        let d = 5.0 * f64::from(k + 1);
        let arrivals = per_day * (days - d).max(0.0);
        won += arrivals * p;
        cycle_sum += arrivals * p * d;
    }
    within("won", r.won.mean, won, 4.0 * r.won.sd / n.sqrt());
    within("P(won)", r.won.mean / r.leads.mean, p_won, 0.01);
    let c = r.cycle_days.expect("wins");
    within("cycle", c.mean, cycle_sum / won, 4.0 * c.sd / n.sqrt() + 1e-3);
}

#[test]
fn the_same_seed_gives_the_same_numbers_and_threads_do_not_matter() {
    let m = model(LITTLE);
    let opts = |threads| SimOptions {
        runs: 64,
        seed: 42,
        threads: Some(threads),
        ..SimOptions::default()
    };
    let a = serde_json::to_string(&simulate(&m, &opts(1))).unwrap();
    let b = serde_json::to_string(&simulate(&m, &opts(2))).unwrap();
    let c = serde_json::to_string(&simulate(&m, &opts(3))).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, c);
    let other = serde_json::to_string(&simulate(&m, &SimOptions { seed: 43, ..opts(2) })).unwrap();
    assert_ne!(a, other);
}

#[test]
fn zero_leads_and_zero_headcount_do_not_panic() {
    let zero = r#"
положение "Т" { валюта ₽ }
роль Менеджер { штат 0; рабочий_день 8 ч; доля_продаж 70% }
канал Сайт { лиды 0 в мес; воронка П }
канал Реклама { лиды 100 в мес; воронка П }
воронка П {
  чек 1 000 ₽; повтор 100% через 0 дн
  этап A { ответственный Менеджер; конверсия 50%; длительность 1..3 дн; ожидание 2 дн; затухание 100% в день
    цепочка { звонок "Звонок" 10 мин } }
}
"#;
    // A stage owned by a role without staff is an error (E0044); the engine survives it.
    let r = simulate(
        &unchecked_model(zero),
        &SimOptions {
            runs: 20,
            seed: 1,
            ..SimOptions::default()
        },
    );
    assert_eq!(r.won.mean, 0.0);
    assert!(r.cold.mean > 1000.0, "leads go cold without anyone to call them");
    assert!(r.roles[0].utilization.is_none());
    let empty = run(r#"положение "Т" { валюта ₽ }"#, 5, 1, Some(1));
    assert_eq!((empty.leads.mean, empty.plan_probability), (0.0, None));
    let no_runs = simulate(
        &model(THIN),
        &SimOptions {
            runs: 0,
            ..SimOptions::default()
        },
    );
    assert_eq!(no_runs.won.mean, 0.0);
}

#[test]
fn a_same_day_loop_with_negligible_work_ends() {
    let looped = r#"
положение "Т" { валюта ₽; горизонт 1 мес }
роль Менеджер { штат 1; рабочий_день 8 ч; доля_продаж 70% }
канал Сайт { лиды 100 в мес; воронка П }
воронка П {
  этап A { ответственный Менеджер; конверсия 100%; длительность 0 дн; успех -> П.A
    цепочка { письмо "Письмо" 0.0001 мин } }
}
"#;
    // A loop no deal leaves is an error for `check` (E0031); the engine must still end.
    let r = simulate(
        &unchecked_model(looped),
        &SimOptions {
            runs: 2,
            seed: 1,
            ..SimOptions::default()
        },
    );
    assert_eq!(r.won.mean, 0.0);
    assert!(
        r.stages[0].entered.mean > 1000.0,
        "leads go round until the day's passes run out"
    );
}

/// Each shipped example, with capacity made ample, seasonality flat and repeat purchases off
/// (the static analysis ignores capacity and counts repeats apart), wins per steady-state month
/// what `voronka analyze` computes from the absorbing Markov chain: loops, branches and
/// hand-offs between pipelines included.
#[test]
fn examples_agree_with_the_static_analysis() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for name in [
        "agency.sales",
        "manufacturer.sales",
        "inbound_outbound.sales",
        "saas_en.sales",
    ] {
        let compiled = voronka::compile(&root.join(name));
        assert!(!compiled.has_errors(), "{name}");
        let mut m = compiled.model.expect("a model");
        for r in &mut m.roles {
            r.headcount = 10_000;
            r.hires.clear();
            r.attrition_per_year = None;
            r.ramp_up_months = None;
        }
        for c in &mut m.channels {
            c.seasonality.clear();
        }
        for p in &mut m.pipelines {
            p.repeat = None;
        }
        let expected = voronka::analyze::analyze(&m).department.first_deals_per_month;
        let months = 36;
        let r = simulate(
            &m,
            &SimOptions {
                runs: 60,
                seed: 7,
                months: Some(months),
                ..SimOptions::default()
            },
        );
        // Months 13..36: the longest loops (nurture of up to 120 days) have settled by then.
        let window = &r.months[12..];
        let mean = window.iter().map(|m| m.won.mean).sum::<f64>() / window.len() as f64;
        // Months are nearly independent (Poisson thinning of different days' arrivals).
        let var: f64 = window.iter().map(|m| m.won.sd.powi(2)).sum::<f64>() / (window.len() as f64).powi(2);
        let se = (var / f64::from(r.runs)).sqrt();
        assert!(
            (mean - expected).abs() <= 4.0 * se,
            "{name}: simulated {mean:.3} deals a month, analysis {expected:.3} (SE {se:.3})"
        );
    }
}

const SHARED: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Квал { штат 1; рабочий_день 1 ч; доля_продаж 100% }
роль Менеджер { штат 1; рабочий_день 8 ч; доля_продаж 100% }
канал Сайт { лиды 390 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап Q { ответственный Квал; конверсия 60%; длительность 0 дн
    цепочка { звонок "Квалификация" 10 мин } }
  этап A { ответственный Менеджер; конверсия 70%; длительность 1..3 дн
    цепочка { демо "Демо" 30 мин } }
  этап B { ответственный Менеджер; конверсия 70%; длительность 2..4 дн
    цепочка { кп "КП" 30 мин } }
  этап C { ответственный Менеджер; конверсия 80%; длительность 1..3 дн
    цепочка { договор "Договор" 30 мин } }
}
"#;

/// More people never mean fewer deals in a model without decay or go-cold limits. One
/// qualifier feeds a manager who works three stages of the same deals (65.7 minutes per deal
/// entering A against 480 a day): with 1, 2 and 3 qualifiers the manager's load is about
/// 0.5, 1.0 and 1.2. Serving the oldest waiting work across stages first would let the third
/// qualifier's extra demos crowd out the contracts of deals already in progress — fewer wins
/// (about −13% in the fluid limit); serving the deals closest to a win first must not lose
/// any. Paired with common random numbers, so a real decrease cannot hide in the noise.
#[test]
fn more_staff_never_means_fewer_deals() {
    use voronka::sim::{Params, paired, simulate_runs};
    let m = model(SHARED);
    let options = SimOptions {
        runs: 200,
        seed: 21,
        ..SimOptions::default()
    };
    let base = Params::from_model(&m, None);
    let wins = |role: usize, headcount: f64| {
        let mut p = base.clone();
        p.roles[role].headcount = headcount;
        simulate_runs(&p, &options, "RUB").1.won
    };
    for (role, counts) in [(0usize, [1.0, 2.0, 3.0, 4.0]), (1, [1.0, 2.0, 3.0, 4.0])] {
        let runs: Vec<Vec<f64>> = counts.iter().map(|&h| wins(role, h)).collect();
        for (i, pair) in runs.windows(2).enumerate() {
            let d = paired(&pair[0], &pair[1]);
            let se = (d.ci95[1] - d.mean) / 1.96;
            assert!(
                d.mean >= -4.0 * se,
                "{} {} → {}: {:+.1} deals (SE {se:.2})",
                base.roles[role].name,
                counts[i],
                counts[i + 1],
                d.mean
            );
        }
    }
    // The qualifiers' capacity binds below three people: the second one adds deals.
    let d = paired(&wins(0, 1.0), &wins(0, 2.0));
    assert!(d.excludes_zero() && d.mean > 0.0, "{d:?}");
}

/// The money of a month: with a fixed salary and no bonuses or lead costs a month's cost is
/// the same in every run, so its ROI averages to (mean revenue − cost) / cost exactly, and its
/// CAC (cost / new clients, in runs with any) is at least cost / mean new clients (Jensen). A
/// month in which no deal can close yet has no CAC.
#[test]
fn monthly_cac_and_roi_follow_the_month_s_cost() {
    let text = r#"
положение "Т" { валюта ₽; горизонт 6 мес; рабочая_неделя 6 дн }
роль Р { штат 2; оклад 50 000 ₽ }
канал Сайт { лиды 200 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап A { ответственный Р; конверсия 30%; длительность 30 дн }
  этап B { ответственный Р; конверсия 50%; длительность 1 дн }
}
"#;
    let r = run(text, 400, 5, None);
    let cost = 100_000.0;
    let first = &r.months[0];
    assert!((first.cost.mean - cost).abs() < 1e-6 && first.cost.sd < 1e-6);
    assert!(
        first.cac.is_none(),
        "no deal closes in the first 26 days: {:?}",
        first.cac
    );
    for m in &r.months[2..] {
        assert!(
            (m.cost.mean - cost).abs() < 1e-6,
            "month {}: cost {}",
            m.month,
            m.cost.mean
        );
        let roi = m.roi.expect("a month with cost has an ROI");
        let expected = (m.revenue.mean - cost) / cost;
        assert!(
            (roi.mean - expected).abs() < 1e-6,
            "month {}: ROI {} vs {expected}",
            m.month,
            roi.mean
        );
        let cac = m.cac.expect("new clients every month");
        assert!(
            cac.mean >= cost / m.won.mean,
            "month {}: CAC {} < {}",
            m.month,
            cac.mean,
            cost / m.won.mean
        );
        assert!(
            cac.mean < 1.2 * cost / m.won.mean,
            "month {}: CAC {}",
            m.month,
            cac.mean
        );
    }
}

/// With every stage one working day long and capacity ample, every deal won out of the funnel
/// took exactly the same days from its lead, so each month's cycle equals the horizon's, with no
/// spread across runs.
#[test]
fn a_fixed_path_has_the_same_cycle_every_month() {
    let r = run(THIN, 50, 3, None);
    let cycle = r.cycle_days.expect("deals were won").mean;
    assert!((cycle - 3.0).abs() < 1e-9, "three one-day stages: {cycle}");
    for m in &r.months[1..] {
        let c = m.cycle_days.expect("deals every month");
        assert!(
            (c.mean - 3.0).abs() < 1e-9 && c.sd < 1e-9,
            "month {}: {c:?}",
            m.month
        );
    }
}

/// A steady process with long stages, a hand-off, a loop and repeat purchases; no stage has
/// work, so no capacity limit binds.
const STEADY: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Р { штат 1 }
канал Сайт { лиды 150 в мес; воронка П }
воронка П {
  ответственный Р; чек 10 000..30 000 ₽
  этап A { ответственный Р; конверсия 60%; длительность 2..9 дн }
  этап B { ответственный Р; конверсия 40%; длительность треуг(5, 10, 30) дн; отказ 30% -> A }
  этап C { ответственный Р; конверсия 60%; длительность 15 дн; ветка 30% -> Забота }
}
воронка Забота {
  вид аккаунтинг; ответственный Р; чек 5 000 ₽; повтор 50% через 2 мес
  этап Уход { ответственный Р; конверсия 70%; длительность 10..30 дн }
}
"#;

/// The exact expected figures of the mean-value walk from a start.
fn expected(text: &str, start: Start) -> fluid::Expected {
    fluid::expected(&Params::from_model(&model(text), None), start)
}

/// With the established start a steady process has no first-month dip: month 1 wins as many
/// deals as month 12 (within 4 SE of their difference), and the pipeline it starts with is
/// the one the process sustains.
#[test]
fn the_established_start_makes_month_one_like_month_twelve() {
    let r = run_from(STEADY, 600, 7, None, StartKind::Established);
    assert_eq!(r.start, Start::Established);
    let (first, last) = (&r.months[0], &r.months[11]);
    let se = ((first.won.sd.powi(2) + last.won.sd.powi(2)) / 600.0).sqrt();
    within(
        "wins of month 1 vs month 12",
        first.won.mean,
        last.won.mean,
        4.0 * se,
    );
    let se = ((first.revenue.sd.powi(2) + last.revenue.sd.powi(2)) / 600.0).sqrt();
    within(
        "revenue of month 1 vs month 12",
        first.revenue.mean,
        last.revenue.mean,
        4.0 * se,
    );
    // From an empty pipeline the first month is far below the settled month.
    let empty = run_from(STEADY, 200, 7, None, StartKind::New);
    assert!(empty.months[0].won.mean < 0.5 * empty.months[11].won.mean);
    // The mean-value walk agrees: every month of the established start equals the settled
    // rate up to the month's length (26 working days each here) and the repeat cycle (settled).
    let e = expected(STEADY, Start::Established);
    for m in &e.months {
        within(
            "expected wins, month by month",
            m.won,
            e.months[0].won,
            1e-6 * e.months[0].won,
        );
    }
}

/// Without capacity limits the mean-value walk is the exact mean of `simulate`: every month's
/// leads, wins, revenue and new clients within 4 SE, from either start.
#[test]
fn the_mean_value_walk_is_the_mean_of_the_simulation() {
    for (start, kind) in [
        (Start::New, StartKind::New),
        (Start::Established, StartKind::Established),
    ] {
        let runs = 500;
        let r = run_from(STEADY, runs, 11, None, kind);
        let e = expected(STEADY, start);
        months_match_the_walk(&format!("{start:?}"), &r, &e, runs);
        let se = |sd: f64| 4.0 * sd / f64::from(runs).sqrt() + 1e-9;
        for (got, want) in r.months.iter().zip(&e.months) {
            let what = format!("{start:?}, month {}: leads", want.month);
            within(&what, got.leads.mean, want.leads, se(got.leads.sd));
        }
        within("horizon revenue", r.revenue.mean, e.revenue, se(r.revenue.sd));
        within(
            "repeat purchases",
            r.repeat_purchases.mean,
            e.repeat_purchases,
            se(r.repeat_purchases.sd),
        );
    }
}

/// One calendar: `повтор через 6 мес` is six of the regulation's working months, so the first
/// repeat purchases come in month 7 — not in month 8 or 9, as a calendar month of 30.4 days
/// walked as working days would put them.
#[test]
fn a_repeat_after_six_months_comes_in_month_seven() {
    let text = r#"
положение "Т" { валюта ₽; горизонт 8 мес; рабочая_неделя 6 дн }
роль Р { штат 5 }
канал Сайт { лиды 50 в мес; воронка П }
воронка П {
  чек 10 000 ₽; повтор 100% через 6 мес
  этап A { ответственный Р; конверсия 100%; длительность 1 дн }
}
"#;
    let r = run(text, 50, 3, None);
    let repeats = |m: usize| r.months[m].won.mean - r.months[m].new_clients.mean;
    for m in 0..6 {
        assert_eq!(repeats(m), 0.0, "no repeat purchase in month {}", m + 1);
    }
    // Month 7 holds the repeats of (about) month 1's wins.
    assert!(repeats(6) > 25.0, "repeats in month 7: {}", repeats(6));
}
