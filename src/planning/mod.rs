//! Questions a head of sales asks of the forecast, each answered by simulating variants of the
//! model with the baseline's seed (common random numbers): scenarios beside the baseline
//! ([`compare`]), the value of one more person per role ([`hires`]), a parameter swept over
//! values ([`sweep`]), the smallest headcount that meets the plan ([`plan_headcount`]) and a
//! ±10% tornado ([`sensitivity`]).
//!
//! Also the figures the documents print about the plan and pay, computed here once:
//! [`plan`] (the plan month by month and its decomposition through the funnel) and [`pay`]
//! (the worked pay example at 70/100/120 % of the plan).
//!
//! Depends on `model`, `analyze`, `scenario` and `sim`; prints nothing.

pub mod pay;
pub mod plan;

use crate::model::Model;
use crate::scenario::{Change, Param, Scenario, Value, apply, apply_change};
use crate::sim::{
    Growing, Paired, Params, Revenues, Runs, SharedCells, SimOptions, SimResult, Stats, currency_code,
    paired, simulate_runs,
};
use serde::{Deserialize, Serialize};

/// `options` with a place where the engines of a comparison's variants share the decaying
/// stages' cells (a variant changes one parameter: the other stages' tables are the same),
/// unless the caller already gave one. The same draws either way.
fn sharing<'a>(options: &SimOptions<'a>, shared: &'a SharedCells) -> SimOptions<'a> {
    SimOptions {
        shared: options.shared.or(Some(shared)),
        ..*options
    }
}

/// Simulates a model, keeping the replication-level numbers.
pub fn run(model: &Model, options: &SimOptions) -> (SimResult, Runs) {
    let params = Params::from_model(model, options.months);
    simulate_runs(&params, options, &currency_code(model))
}

/// [`run`] in steps of two [`FIRST_BATCH`]es of replications (the same result: each step
/// continues the replications run so far), asking `stop` between steps; `None` when it said to
/// stop.
pub fn run_until(model: &Model, options: &SimOptions, stop: &dyn Fn() -> bool) -> Option<(SimResult, Runs)> {
    let params = Params::from_model(model, options.months);
    let mut forecast = Growing::new(&params, options);
    let mut n = 0;
    while n < options.runs {
        if stop() {
            return None;
        }
        n = (n + 2 * FIRST_BATCH).min(options.runs);
        forecast.grow_to(n);
    }
    Some(forecast.result(&currency_code(model)))
}

/// Differences from the baseline, replication by replication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    pub won: Paired,
    pub revenue: Paired,
    /// Change in the probability of meeting the plan; null without a plan.
    pub plan_probability: Option<Paired>,
}

fn delta(base: &Runs, other: &Runs) -> Delta {
    Delta {
        won: paired(&base.won, &other.won),
        revenue: paired(&base.revenue, &other.revenue),
        plan_probability: (!base.plan_met.is_empty() && !other.plan_met.is_empty())
            .then(|| paired(&base.plan_met, &other.plan_met)),
    }
}

/// One scenario beside the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub name: String,
    /// Over the scenario's own `runs` replications.
    pub won: Stats,
    pub revenue: Stats,
    pub plan_probability: Option<f64>,
    /// Paired with the baseline's first `runs` replications.
    pub delta: Delta,
    /// Replications the scenario took (adaptive: see [`compare`]); at most the baseline's.
    pub runs: u32,
}

/// Simulates each scenario and compares it with the baseline's runs, which are reused, never
/// recomputed.
///
/// Adaptive ([`adaptive`]): a scenario takes [`FIRST_BATCH`] replications, then more until the
/// interval of its revenue difference from the baseline is narrower than `precision` × the
/// baseline's mean revenue or excludes 0 clearly, up to `options.runs`.
pub fn compare(
    model: &Model,
    base: &Runs,
    scenarios: &[Scenario],
    options: &SimOptions,
    precision: f64,
) -> Vec<ScenarioResult> {
    let shared = SharedCells::default();
    let options = &sharing(options, &shared);
    scenarios
        .iter()
        .filter_map(|s| compare_until(model, base, s, options, precision, &|| false).map(|(r, _, _)| r))
        .collect()
}

/// The default `--precision` of the adaptive comparisons ([`sensitivity`], [`sweep`],
/// [`compare`], [`hires`]): 5 % of the scale each one names.
pub const PRECISION: f64 = 0.05;

/// Replications every variant of an adaptive comparison starts with.
pub const FIRST_BATCH: u32 = 100;

/// How much more than the standard error predicts a variant asks for, so one step usually
/// suffices.
const MARGIN: f64 = 1.2;

/// The replications a variant goes on to when the half-width `half` of an interval over `runs`
/// replications must come down to `target`: what the standard error predicts (a half-width
/// shrinks as 1/√runs) with a margin, at least twice `runs`, in whole [`FIRST_BATCH`]es, at most
/// `cap`.
fn grow(runs: u32, half: f64, target: f64, cap: u32) -> u32 {
    let want = predicted_runs(runs, half, target).max(2.0 * f64::from(runs.max(1)));
    let batch = f64::from(FIRST_BATCH);
    ((want / batch).ceil() * batch).min(f64::from(cap)) as u32
}

/// [`grow`] for steps that cost nothing beyond their replications ([`Revenues::grow_all`]):
/// what the standard error predicts with the margin, at least one more batch, in whole batches
/// of `batch`, at most `cap` — no doubling, so a row that just missed its target does not
/// overshoot it.
fn grow_in(runs: u32, half: f64, target: f64, cap: u32, batch: u32) -> u32 {
    let batch = batch.max(1);
    let want = predicted_runs(runs, half, target).max(f64::from(runs + batch));
    let batch = f64::from(batch);
    ((want / batch).ceil() * batch).min(f64::from(cap)) as u32
}

/// The replications after which a half-width `half` over `runs` replications is expected to be
/// `target` (it shrinks as 1/√runs), with [`MARGIN`]; infinite when it cannot be.
fn predicted_runs(runs: u32, half: f64, target: f64) -> f64 {
    if target > 0.0 && half.is_finite() {
        f64::from(runs) * (half / target).powi(2) * MARGIN
    } else {
        f64::INFINITY
    }
}

/// Half the width of a paired interval.
fn half_width(p: &Paired) -> f64 {
    (p.ci95[1] - p.ci95[0]) / 2.0
}

/// Whether a difference is known well enough: its interval is within `target` either side, or
/// it excludes 0 clearly — by at least its half-width (|Δ| ≥ 2 × half-width).
fn settled(p: &Paired, target: f64) -> bool {
    let half = half_width(p);
    half <= target || p.mean.abs() >= 2.0 * half
}

/// One variant against the baseline's runs, on as many replications as its difference needs:
/// [`FIRST_BATCH`] (all of `options.runs` when fewer), then, while the difference of `metric`
/// from the baseline is not [`settled`] to `precision` × |the baseline's mean `metric`|, the
/// replications [`grow`] predicts, up to `options.runs`. Each step continues the replications
/// run so far ([`Growing`]; common random numbers: the same streams as the baseline), so the
/// result and the runs are exactly those of a fixed forecast of `n` replications, and at the
/// cap those of the forecast the user asked for.
fn adaptive(
    params: &Params,
    base: &Runs,
    metric: fn(&Runs) -> &Vec<f64>,
    options: &SimOptions,
    precision: f64,
    currency: &str,
) -> (SimResult, Runs) {
    let (r, runs, _) = adaptive_until(params, base, metric, options, precision, currency, &|| false);
    (r, runs)
}

/// One scenario against the baseline's runs ([`compare`] runs each with a `stop` that never
/// fires), with the scenario's own result and replications (for its charts); `None` when
/// `stop` said so between two steps (`voronka serve`: a newer change arrived).
pub fn compare_until(
    model: &Model,
    base: &Runs,
    scenario: &Scenario,
    options: &SimOptions,
    precision: f64,
    stop: &dyn Fn() -> bool,
) -> Option<(ScenarioResult, SimResult, Runs)> {
    let params = Params::from_model(&apply(model, scenario), options.months);
    let (r, runs, stopped) = adaptive_until(
        &params,
        base,
        |r| &r.revenue,
        options,
        precision,
        &currency_code(model),
        stop,
    );
    if stopped {
        return None;
    }
    let compared = ScenarioResult {
        name: scenario.name.clone(),
        won: r.won,
        revenue: r.revenue,
        plan_probability: r.plan_probability,
        delta: delta(base, &runs),
        runs: r.runs,
    };
    Some((compared, r, runs))
}

/// [`adaptive`], asking `stop` before each step; the flag says it stopped early.
fn adaptive_until(
    params: &Params,
    base: &Runs,
    metric: fn(&Runs) -> &Vec<f64>,
    options: &SimOptions,
    precision: f64,
    currency: &str,
    stop: &dyn Fn() -> bool,
) -> (SimResult, Runs, bool) {
    let cap = options.runs.max(1);
    let reference = metric(base);
    let scale = precision * (reference.iter().sum::<f64>() / reference.len().max(1) as f64).abs();
    let mut forecast = Growing::new(params, options);
    let mut n = FIRST_BATCH.min(cap);
    loop {
        forecast.grow_to(n);
        let (r, runs) = forecast.result(currency);
        let d = paired(reference, metric(&runs));
        if n >= cap || settled(&d, scale) {
            return (r, runs, false);
        }
        if stop() {
            return (r, runs, true);
        }
        // Whichever comes first: the interval narrow enough, or clear of 0.
        let target = scale.max(d.mean.abs() / 2.0);
        n = grow(n, half_width(&d), target, cap);
    }
}

/// What one more person in a role adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HireResult {
    pub role: String,
    pub won_delta: Paired,
    pub revenue_delta: Paired,
    /// Revenue less cost: the hire's salary is in the cost.
    pub profit_delta: Paired,
    /// Whether the hire pays for itself over the horizon, judged on `profit_delta`.
    pub verdict: Verdict,
    /// With the extra person, the role with the highest utilisation over the horizon.
    pub bottleneck: Option<String>,
    /// With the extra person, the first month the baseline's binding role was this one and
    /// another role binds instead; null when the constraint does not move.
    pub constraint_moves: Option<ConstraintMove>,
    /// Replications the variant took (adaptive: see [`hires`]); at most the baseline's.
    pub runs: u32,
}

/// What a paired difference of profit says: a result only when its 95 % interval excludes 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The interval lies above 0.
    PaysOff,
    /// The interval lies below 0.
    DoesNotPayOff,
    /// The interval includes 0: the runs cannot tell the change from no change.
    Indistinguishable,
}

impl Verdict {
    pub fn of(delta: &Paired) -> Verdict {
        if !delta.excludes_zero() {
            Verdict::Indistinguishable
        } else if delta.mean > 0.0 {
            Verdict::PaysOff
        } else {
            Verdict::DoesNotPayOff
        }
    }

    /// The verdict in words for the reader.
    pub fn text(self, lang: crate::diag::Lang) -> &'static str {
        match self {
            Verdict::PaysOff => lang.pick("окупается", "pays off"),
            Verdict::DoesNotPayOff => lang.pick("не окупается", "does not pay off"),
            Verdict::Indistinguishable => lang.pick("не отличимо от нуля", "indistinguishable from zero"),
        }
    }
}

/// Where the binding constraint goes once the role has one more person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstraintMove {
    /// 1-based month of the horizon.
    pub month: u32,
    pub calendar_month: u32,
    /// The role that binds from that month.
    pub role: String,
}

/// The first month in which `role` was the baseline's bottleneck and another role is the
/// variant's.
fn constraint_moves(role: &str, base: &SimResult, variant: &SimResult) -> Option<ConstraintMove> {
    base.months.iter().zip(&variant.months).find_map(|(b, v)| {
        let was = b.bottleneck.as_ref()?;
        let now = v.bottleneck.as_ref()?;
        (was.role == role && now.role != role).then(|| ConstraintMove {
            month: v.month,
            calendar_month: v.calendar_month,
            role: now.role.clone(),
        })
    })
}

/// The roles that do work in some stage (others cannot change deals or revenue).
pub fn working_roles(model: &Model, options: &SimOptions) -> Vec<String> {
    let params = Params::from_model(model, options.months);
    params
        .roles
        .iter()
        .enumerate()
        .filter(|(r, _)| {
            params
                .stages
                .iter()
                .any(|s| s.work.iter().any(|(w, m)| w == r && *m > 0.0))
        })
        .map(|(_, role)| role.name.clone())
        .collect()
}

/// One more person in each working role, with the baseline's seed (common random numbers: the
/// differences are paired replication by replication) and the baseline's runs reused.
///
/// Adaptive ([`adaptive`]): each role's variant takes [`FIRST_BATCH`] replications, then more
/// until the interval of its profit difference (the verdict's) is narrower than `precision` ×
/// |the baseline's mean profit| or excludes 0 clearly, up to `options.runs`.
pub fn hires(
    model: &Model,
    base_result: &SimResult,
    base: &Runs,
    options: &SimOptions,
    precision: f64,
) -> Vec<HireResult> {
    let shared = SharedCells::default();
    let options = &sharing(options, &shared);
    let cur = currency_code(model);
    working_roles(model, options)
        .into_iter()
        .map(|role| {
            let mut m = model.clone();
            let h = m.roles.iter().find(|r| r.name == role).map_or(0, |r| r.headcount);
            apply_change(
                &mut m,
                &Change {
                    param: Param::Headcount { role: role.clone() },
                    value: Value::Number(f64::from(h) + 1.0),
                },
            );
            let params = Params::from_model(&m, options.months);
            let (r, runs) = adaptive(&params, base, |r| &r.profit, options, precision, &cur);
            let profit_delta = paired(&base.profit, &runs.profit);
            HireResult {
                won_delta: paired(&base.won, &runs.won),
                revenue_delta: paired(&base.revenue, &runs.revenue),
                verdict: Verdict::of(&profit_delta),
                profit_delta,
                bottleneck: busiest_role(&r).map(|(name, _)| name),
                constraint_moves: constraint_moves(&role, base_result, &r),
                runs: r.runs,
                role,
            }
        })
        .collect()
}

/// The role with the highest mean utilisation over the horizon ([`crate::analyze::busiest`]):
/// the bottleneck when [`crate::analyze::binds`] says so (see [`bottleneck`]).
pub fn busiest_role(result: &SimResult) -> Option<(String, f64)> {
    crate::analyze::busiest(
        result
            .roles
            .iter()
            .filter_map(|r| r.utilization.map(|u| (r.role.clone(), u.mean))),
    )
}

/// The forecast's bottleneck over the horizon by the one rule ([`crate::analyze::BOTTLENECK_LOAD`]):
/// the busiest role when its mean utilisation reaches 85%; `None` when no role binds.
pub fn bottleneck(result: &SimResult) -> Option<(String, f64)> {
    busiest_role(result).filter(|(_, u)| crate::analyze::binds(*u))
}

/// One value of a swept parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    pub value: f64,
    /// Over the value's own `runs` replications, as every figure of the row.
    pub won: Stats,
    pub revenue: Stats,
    pub plan_probability: Option<f64>,
    /// The swept role, or else the busiest role.
    pub role: Option<String>,
    pub utilization: Option<Stats>,
    /// Replications this value took (adaptive: see [`sweep`]).
    pub runs: u32,
}

fn util(r: &crate::sim::RoleResult) -> f64 {
    r.utilization.map_or(f64::NEG_INFINITY, |u| u.mean)
}

/// The model with the swept parameter set to `value`.
fn swept(model: &Model, param: &Param, value: f64) -> Model {
    let mut m = model.clone();
    apply_change(
        &mut m,
        &Change {
            param: param.clone(),
            value: match param {
                Param::DealSize { .. } | Param::Duration { .. } => {
                    Value::Dist(crate::model::Distribution::Fixed { value })
                }
                _ => Value::Number(value),
            },
        },
    );
    m
}

/// The spread of a sweep: the largest mean revenue of its values less the smallest.
pub fn sweep_spread(rows: &[SweepRow]) -> f64 {
    spread(rows.iter().map(|r| r.revenue.mean))
}

/// The largest of `means` less the smallest; 0 for none.
fn spread(means: impl Iterator<Item = f64> + Clone) -> f64 {
    let hi = means.clone().fold(f64::NEG_INFINITY, f64::max);
    let lo = means.fold(f64::INFINITY, f64::min);
    if hi >= lo { hi - lo } else { 0.0 }
}

/// Simulates the model with the parameter set to each value in turn.
///
/// Adaptive, with common random numbers (replication `i` of every value draws stream `i` of
/// the one seed): every value first takes [`FIRST_BATCH`] replications (all of `options.runs`
/// when fewer, or when there is a single value, which has nothing to be told apart from).
/// Then, for each pair of neighbouring values (in the order given), the 95 % interval of the
/// paired difference of revenue over the replications both have is compared with `precision` ×
/// the sweep's spread (the largest mean revenue of its values less the smallest,
/// [`sweep_spread`]). While a pair's half-width is wider, both values go on to the
/// replications the standard error predicts ([`grow`]), up to `options.runs`. With a plan, a
/// value also goes on while the 95 % (Wilson) interval of its probability of meeting the plan
/// is wider than ± `precision` (points of probability: 0.05 is ±5 points). So the curve's steps
/// are known to within `precision` of its height and P(plan) to within `precision`, and a value
/// whose neighbours differ clearly stops early. A value listed twice is simulated once.
///
/// Every figure of a row (deals, revenue, P(plan), utilisation) is the forecast of exactly its
/// `runs` replications `0 .. runs`; a value at the cap has exactly the figures of a fixed
/// forecast of `options.runs` replications (same streams).
pub fn sweep(
    model: &Model,
    param: &Param,
    values: &[f64],
    options: &SimOptions,
    precision: f64,
) -> Vec<SweepRow> {
    let shared = SharedCells::default();
    let options = &sharing(options, &shared);
    let cap = options.runs.max(1);
    let cur = currency_code(model);
    let mut distinct: Vec<f64> = Vec::new();
    for &v in values {
        if !distinct.iter().any(|d| d.to_bits() == v.to_bits()) {
            distinct.push(v);
        }
    }
    let params: Vec<Params> = distinct
        .iter()
        .map(|&v| Params::from_model(&swept(model, param, v), options.months))
        .collect();
    let first = if distinct.len() < 2 {
        cap
    } else {
        FIRST_BATCH.min(cap)
    };
    // Each value's replications continue from where they stopped ([`Growing`]); a value at the
    // cap is final, and its records are let go.
    let mut forecasts: Vec<Option<Growing>> = params.iter().map(|p| Some(Growing::new(p, options))).collect();
    let mut simulate = |i: usize, runs: u32| {
        let slot = &mut forecasts[i];
        let forecast = slot.get_or_insert_with(|| Growing::new(&params[i], options));
        forecast.grow_to(runs);
        let result = forecast.result(&cur);
        if runs >= cap {
            *slot = None;
        }
        result
    };
    let mut done: Vec<(SimResult, Runs)> = (0..params.len()).map(|i| simulate(i, first)).collect();
    loop {
        let n: Vec<u32> = done.iter().map(|(r, _)| r.runs).collect();
        let target = precision * spread(done.iter().map(|(r, _)| r.revenue.mean));
        let mut wanted = n.clone();
        for i in 1..done.len() {
            let k = n[i - 1].min(n[i]);
            if k >= cap {
                continue;
            }
            let len = k as usize;
            let d = paired(&done[i - 1].1.revenue[..len], &done[i].1.revenue[..len]);
            let half = half_width(&d);
            if half > target {
                let next = grow(k, half, target, cap);
                wanted[i - 1] = wanted[i - 1].max(next);
                wanted[i] = wanted[i].max(next);
            }
        }
        // The probability of the plan, a figure of its own, to within `precision` (a share of
        // 1, not of the spread).
        for (i, (r, _)) in done.iter().enumerate() {
            let Some(p) = r.plan_probability.filter(|_| n[i] < cap) else {
                continue;
            };
            let [lo, hi] = wilson_at(p, n[i], 1.96);
            let half = (hi - lo) / 2.0;
            if half > precision {
                wanted[i] = wanted[i].max(grow(n[i], half, precision, cap));
            }
        }
        if wanted == n {
            break;
        }
        for (i, w) in wanted.into_iter().enumerate() {
            if w > n[i] {
                done[i] = simulate(i, w);
            }
        }
    }
    values
        .iter()
        .map(|&value| {
            let i = distinct
                .iter()
                .position(|d| d.to_bits() == value.to_bits())
                .unwrap_or_default();
            let r = &done[i].0;
            let role = match param {
                Param::Headcount { role } => r.roles.iter().find(|x| &x.role == role),
                _ => r
                    .roles
                    .iter()
                    .filter(|x| x.utilization.is_some())
                    .max_by(|a, b| util(a).total_cmp(&util(b))),
            };
            SweepRow {
                value,
                won: r.won,
                revenue: r.revenue,
                plan_probability: r.plan_probability,
                role: role.map(|x| x.role.clone()),
                utilization: role.and_then(|x| x.utilization),
                runs: r.runs,
            }
        })
        .collect()
}

/// Which probability of meeting the plan [`plan_headcount_for`] asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanPeriod {
    /// The horizon's total meets the horizon's plan.
    #[default]
    Horizon,
    /// Every month meets its own plan: the probability of the weakest month.
    Month,
}

/// The answer of [`plan_headcount`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanAnswer {
    pub role: String,
    pub current: u32,
    /// "horizon" or "month": what `probability` and `achieved` are the probability of.
    pub period: PlanPeriod,
    pub probability: f64,
    /// The smallest headcount found that meets the plan with the probability; null when none
    /// up to `cap`.
    pub headcount: Option<u32>,
    /// Probability of meeting the plan at `headcount` (or at `cap` when unreachable).
    pub achieved: f64,
    pub cap: u32,
    /// Utilisation of the role at the last headcount tried: low when unreachable means the
    /// plan needs more leads or conversion, not more people.
    pub utilization_at_cap: Option<f64>,
    /// Headcounts tried and their plan probability, in search order.
    pub tried: Vec<(u32, f64)>,
    /// Replications behind each probability of `tried`: a headcount whose side of the target
    /// is clear from the first [`SCREEN_RUNS`] stops there; the answer always has all of them.
    pub tried_runs: Vec<u32>,
    /// With `period` "month": the month (1-based) with the lowest probability at the answer
    /// (or at the cap); null for "horizon".
    pub weakest_month: Option<u32>,
}

/// Replications a headcount is screened on by [`plan_headcount`] (half of them first: a
/// headcount far from the target is told on those).
pub const SCREEN_RUNS: u32 = 100;

/// One headcount tried by [`plan_headcount_for`].
struct Tried {
    headcount: u32,
    probability: f64,
    utilization: Option<f64>,
    weakest: Option<u32>,
    runs: u32,
    /// The runs already tell which side of the target the probability lies on.
    decided: bool,
}

/// The Wilson interval of a share `p` seen in `n` replications, at z = 2.58 (99 %): wide
/// enough that the few screens of one search rarely decide wrongly.
fn wilson(p: f64, n: u32) -> [f64; 2] {
    wilson_at(p, n, 2.58)
}

/// The Wilson interval of a share `p` seen in `n` replications at `z` (1.96: 95 %).
fn wilson_at(p: f64, n: u32, z: f64) -> [f64; 2] {
    let n = f64::from(n.max(1));
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    [centre - half, centre + half]
}

/// Whether `runs` replications already tell on which side of `target` the plan probability
/// for `period` lies: for "month", some month surely below it, or every month surely above.
fn decided(r: &SimResult, period: PlanPeriod, target: f64, runs: u32) -> bool {
    let side = |p: f64| {
        let [lo, hi] = wilson(p, runs);
        (lo >= target, hi < target)
    };
    match period {
        PlanPeriod::Horizon => {
            let (above, below) = side(r.plan_probability.unwrap_or(0.0));
            above || below
        }
        PlanPeriod::Month => {
            let sides: Vec<(bool, bool)> = r
                .months
                .iter()
                .map(|m| side(m.plan_probability.unwrap_or(0.0)))
                .collect();
            sides.iter().any(|s| s.1) || (!sides.is_empty() && sides.iter().all(|s| s.0))
        }
    }
}

/// The probability a result gives for `period`, and the weakest month for "month".
fn plan_probability(r: &SimResult, period: PlanPeriod) -> (f64, Option<u32>) {
    match period {
        PlanPeriod::Horizon => (r.plan_probability.unwrap_or(0.0), None),
        PlanPeriod::Month => r
            .months
            .iter()
            .map(|m| (m.plan_probability.unwrap_or(0.0), Some(m.month)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((0.0, None)),
    }
}

/// The smallest headcount of `role` whose probability of meeting the horizon's plan is at least
/// `probability`. `None` when the model has no plan or no such role.
pub fn plan_headcount(
    model: &Model,
    role: &str,
    probability: f64,
    options: &SimOptions,
) -> Option<PlanAnswer> {
    plan_headcount_for(model, role, probability, PlanPeriod::Horizon, options)
}

/// [`plan_headcount`] for the horizon's plan or for every month's.
pub fn plan_headcount_for(
    model: &Model,
    role: &str,
    probability: f64,
    period: PlanPeriod,
    options: &SimOptions,
) -> Option<PlanAnswer> {
    model.plan.as_ref()?;
    let shared = SharedCells::default();
    let options = &sharing(options, &shared);
    let current = model.roles.iter().find(|r| r.name == role)?.headcount;
    let cap = (current.saturating_mul(10)).clamp(10, 200);
    let mut tried: Vec<Tried> = Vec::new();
    let screen = SCREEN_RUNS.min(options.runs);
    let variant = |h: u32| {
        let mut m = model.clone();
        apply_change(
            &mut m,
            &Change {
                param: Param::Headcount {
                    role: role.to_owned(),
                },
                value: Value::Number(f64::from(h)),
            },
        );
        m
    };
    let cur = currency_code(model);
    // A headcount's forecast grows from the screen to every run without rerunning the screen.
    let simulate = |forecast: &mut Growing, runs: u32| {
        forecast.grow_to(runs);
        let (r, _) = forecast.result(&cur);
        let (p, weakest) = plan_probability(&r, period);
        let u = r
            .roles
            .iter()
            .find(|x| x.role == role)
            .and_then(|x| x.utilization)
            .map(|s| s.mean);
        Tried {
            headcount: 0,
            probability: p,
            utilization: u,
            weakest,
            runs,
            decided: decided(&r, period, probability, runs),
        }
    };
    let mut forecasts: Vec<(u32, Growing)> = Vec::new();
    // Screened: a headcount is tried on `SCREEN_RUNS` replications first, and on all of them
    // only when the screen cannot tell whether it meets the plan.
    let mut eval = |h: u32| -> (f64, Option<f64>) {
        if let Some(t) = tried.iter().find(|t| t.headcount == h) {
            return (t.probability, t.utilization);
        }
        let params = Params::from_model(&variant(h), options.months);
        let mut forecast = Growing::owning(params, options);
        // Half a screen first (a headcount far from the target is told on it), then the
        // screen, then every run; each step continues the replications of the one before.
        let mut t = simulate(&mut forecast, (screen / 2).max(1));
        for next in [screen, options.runs] {
            if !t.decided && t.runs < next {
                t = simulate(&mut forecast, next);
            }
        }
        // Kept only while `settle` may still need to grow it: a full forecast's records can be
        // the largest memory of the run.
        if forecast.runs() < options.runs {
            forecasts.push((h, forecast));
        }
        t.headcount = h;
        let answer = (t.probability, t.utilization);
        tried.push(t);
        answer
    };
    // The reported answer: the chosen headcount on every replication.
    let settle = |tried: &mut Vec<Tried>, forecasts: &mut Vec<(u32, Growing)>, h: u32| {
        if let Some(t) = tried
            .iter_mut()
            .find(|t| t.headcount == h && t.runs < options.runs)
            && let Some((_, forecast)) = forecasts.iter_mut().find(|(k, _)| *k == h)
        {
            let full = simulate(forecast, options.runs);
            *t = Tried { headcount: h, ..full };
        }
    };
    // Find a bracket (lo fails, hi meets) by doubling up from the current headcount (or 1),
    // then bisect: plan probability grows with headcount, and common random numbers keep the
    // comparison between headcounts free of most of the noise.
    let start = current.max(1);
    let (mut lo, mut hi) = if eval(start).0 >= probability {
        let mut hi = start;
        let mut lo = 0;
        let mut step = 1;
        while hi > 1 {
            let h = hi.saturating_sub(step).max(1);
            if eval(h).0 >= probability {
                hi = h;
                if h == 1 {
                    break;
                }
                step *= 2;
            } else {
                lo = h;
                break;
            }
        }
        (lo, hi)
    } else {
        let mut lo = start;
        let mut hi = None;
        let mut step = 1;
        while lo < cap {
            let h = (lo + step).min(cap);
            if eval(h).0 >= probability {
                hi = Some(h);
                break;
            }
            lo = h;
            step *= 2;
        }
        match hi {
            Some(hi) => (lo, hi),
            None => {
                eval(cap);
                settle(&mut tried, &mut forecasts, cap);
                let at_cap = tried.iter().find(|t| t.headcount == cap);
                let (p, u) = at_cap.map_or((0.0, None), |t| (t.probability, t.utilization));
                return Some(PlanAnswer {
                    role: role.to_owned(),
                    current,
                    period,
                    probability,
                    headcount: None,
                    achieved: p,
                    cap,
                    utilization_at_cap: u,
                    weakest_month: at_cap.and_then(|t| t.weakest),
                    tried: tried.iter().map(|t| (t.headcount, t.probability)).collect(),
                    tried_runs: tried.iter().map(|t| t.runs).collect(),
                });
            }
        }
    };
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if eval(mid).0 >= probability {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    eval(hi);
    settle(&mut tried, &mut forecasts, hi);
    let answer = tried.iter().find(|t| t.headcount == hi);
    let (p, u) = answer.map_or((0.0, None), |t| (t.probability, t.utilization));
    Some(PlanAnswer {
        role: role.to_owned(),
        current,
        period,
        probability,
        headcount: Some(hi),
        achieved: p,
        cap,
        utilization_at_cap: u,
        weakest_month: answer.and_then(|t| t.weakest),
        tried: tried.iter().map(|t| (t.headcount, t.probability)).collect(),
        tried_runs: tried.iter().map(|t| t.runs).collect(),
    })
}

/// One bar of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityRow {
    /// `Менеджер.штат`, `Продажа.КП.конверсия` (Russian names; labels are the CLI's).
    pub parameter: String,
    #[serde(skip)]
    pub param: Option<Param>,
    /// Mean revenue with the parameter 10% lower (headcount: at least one person fewer).
    pub revenue_low: f64,
    pub revenue_high: f64,
    /// |high − low|.
    pub swing: f64,
    /// The 95 % interval of the paired difference high − low (common random numbers).
    pub swing_ci95: [f64; 2],
    /// The interval includes 0: the runs cannot tell the two values apart, so the rank of
    /// this row means nothing.
    pub indistinguishable: bool,
    /// A role of one person whose loss changes revenue: one fewer leaves nobody, so its row
    /// measures losing the role, not a 10 % change; shown apart from the ranking of drivers.
    pub critical: bool,
    /// Replications of each variant this row took (adaptive: see [`sensitivity`]).
    pub runs: u32,
}

/// Every parameter the engine reads that a user can change.
pub fn parameters(model: &Model) -> Vec<Param> {
    let mut out = Vec::new();
    for p in &model.pipelines {
        for s in &p.stages {
            let (pipeline, stage) = (p.name.clone(), s.name.clone());
            out.push(Param::Conversion {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
            });
            if s.duration_days.as_ref().is_some_and(|d| d.mean() > 0.0) {
                out.push(Param::Duration { pipeline, stage });
            }
        }
    }
    out.extend(model.channels.iter().map(|c| Param::Leads {
        channel: c.name.clone(),
    }));
    out.extend(
        model
            .pipelines
            .iter()
            .filter(|p| p.deal_size.is_some())
            .map(|p| Param::DealSize {
                pipeline: p.name.clone(),
            }),
    );
    out.extend(
        model
            .roles
            .iter()
            .filter(|r| r.headcount > 0)
            .map(|r| Param::Headcount { role: r.name.clone() }),
    );
    out
}

/// The change for a parameter moved by `sign` × 10%.
fn nudge(model: &Model, param: &Param, sign: f64) -> Change {
    let value = match param {
        Param::Headcount { role } => {
            let h = f64::from(
                model
                    .roles
                    .iter()
                    .find(|r| &r.name == role)
                    .map_or(0, |r| r.headcount),
            );
            let step = (h * 0.1).round().max(1.0);
            Value::Number((h + sign * step).max(0.0))
        }
        _ => Value::Scale(1.0 + sign * 0.1),
    };
    Change {
        param: param.clone(),
        value,
    }
}

/// The default `precision` of [`sensitivity`] ([`PRECISION`]): a row stops taking runs once the
/// half-width of its swing's 95 % interval is within 5 % of the largest swing.
pub const SENSITIVITY_PRECISION: f64 = PRECISION;

/// One parameter's two variants: the revenue of each replication run so far (low, then high
/// in [`sensitivity`]'s list of variants) and their paired difference.
struct Arm {
    param: Param,
    revenue_low: Vec<f64>,
    revenue_high: Vec<f64>,
    delta: Paired,
}

impl Arm {
    fn half_width(&self) -> f64 {
        (self.delta.ci95[1] - self.delta.ci95[0]) / 2.0
    }
}

/// How many leading rows of the ranking must come out in their true order.
const RANKED: usize = 5;

/// Whether two arms' swings are told apart: the paired 95 % interval of |swing a| − |swing b|
/// over the replications both have run (common random numbers: replication `i` of every
/// variant draws the same stream, so most of the noise the two share cancels) excludes 0.
fn apart(a: &Arm, b: &Arm) -> bool {
    fn signed(arm: &Arm) -> impl Iterator<Item = f64> + '_ {
        let sign = if arm.delta.mean < 0.0 { -1.0 } else { 1.0 };
        arm.revenue_low
            .iter()
            .zip(&arm.revenue_high)
            .map(move |(lo, hi)| sign * (hi - lo))
    }
    let (x, y): (Vec<f64>, Vec<f64>) = signed(b).zip(signed(a)).unzip();
    paired(&x, &y).excludes_zero()
}

/// Per arm: it is among the first [`RANKED`] by swing (or next to them) and not yet told apart
/// from a neighbour ([`apart`]), so its place is not yet known.
fn tied_at_the_top(arms: &[Arm]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..arms.len()).collect();
    order.sort_by(|&a, &b| arms[b].delta.mean.abs().total_cmp(&arms[a].delta.mean.abs()));
    let mut tied = vec![false; arms.len()];
    for pair in order.windows(2).take(RANKED) {
        if !apart(&arms[pair[0]], &arms[pair[1]]) {
            tied[pair[0]] = true;
            tied[pair[1]] = true;
        }
    }
    tied
}

/// Replications every row of [`sensitivity`] starts with, and the step it grows by: enough to
/// tell a parameter without effect (most of them) from the drivers at the default precision —
/// a row whose interval is still too wide simply takes more.
pub const SENSITIVITY_FIRST: u32 = 20;

/// Each parameter ±10%, ranked by the swing in mean revenue (largest first).
///
/// Adaptive: every row starts with [`SENSITIVITY_FIRST`] replications of each variant (common
/// random numbers: replication `i` of every variant draws the same stream) and, while the
/// half-width of its swing's interval exceeds `precision` × the largest swing, goes on to the
/// runs its interval predicts ([`grow_in`], in steps of [`SENSITIVITY_FIRST`]), up to
/// `options.runs`; a row among the first five not
/// yet told apart from a neighbour (a paired interval of the two swings, [`apart`]) goes on to
/// `precision` / 5, so the leading drivers come out in their order. A parameter with no effect
/// stops after the first batch; the rows that decide the ranking get the runs. Each row says
/// how many replications it took. At the cap, the numbers are exactly those of a fixed run of
/// `options.runs` replications (same streams). Each step grows every row that needs more in one
/// parallel job ([`Revenues::grow_all`]), each variant's engine built once.
pub fn sensitivity(model: &Model, options: &SimOptions, precision: f64) -> Vec<SensitivityRow> {
    let shared = SharedCells::default();
    let options = &sharing(options, &shared);
    let cap = options.runs.max(1);
    let variant = |param: &Param, sign: f64| {
        let mut m = model.clone();
        apply_change(&mut m, &nudge(model, param, sign));
        Revenues::new(&Params::from_model(&m, options.months), options)
    };
    let params = parameters(model);
    // Variants `2i` and `2i + 1`: parameter `i` 10 % lower and higher.
    let mut variants: Vec<Revenues> = params
        .iter()
        .flat_map(|param| [variant(param, -1.0), variant(param, 1.0)])
        .collect();
    let mut arms: Vec<Arm> = params
        .into_iter()
        .map(|param| Arm {
            param,
            revenue_low: Vec::new(),
            revenue_high: Vec::new(),
            delta: Paired::default(),
        })
        .collect();
    // Every arm to `SENSITIVITY_FIRST`, then each arm that needs more to what its interval
    // predicts ([`grow`]); an arm that stopped goes on if it becomes tied at the top. Each step
    // runs every arm that grows in one parallel job.
    let mut want: Vec<u32> = vec![SENSITIVITY_FIRST.min(cap); arms.len()];
    while want
        .iter()
        .zip(&arms)
        .any(|(&n, a)| n as usize > a.revenue_low.len())
    {
        let both: Vec<u32> = want.iter().flat_map(|&n| [n, n]).collect();
        Revenues::grow_all(&mut variants, &both, options);
        for (arm, pair) in arms.iter_mut().zip(variants.chunks(2)) {
            if arm.revenue_low.len() < pair[0].revenue.len() {
                arm.revenue_low.clone_from(&pair[0].revenue);
                arm.revenue_high.clone_from(&pair[1].revenue);
                arm.delta = paired(&arm.revenue_low, &arm.revenue_high);
            }
        }
        let largest = arms.iter().map(|a| a.delta.mean.abs()).fold(0.0, f64::max);
        let tied = tied_at_the_top(&arms);
        for (i, arm) in arms.iter().enumerate() {
            let wanted = if tied[i] { precision / 5.0 } else { precision } * largest;
            let runs = arm.revenue_low.len() as u32;
            if runs < cap && arm.half_width() > wanted {
                want[i] = grow_in(runs, arm.half_width(), wanted, cap, SENSITIVITY_FIRST);
            }
        }
    }
    let mut rows: Vec<SensitivityRow> = arms
        .into_iter()
        .map(|arm| {
            let Arm {
                param,
                revenue_low,
                revenue_high,
                delta,
                ..
            } = arm;
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
            let (low, high) = (mean(&revenue_low), mean(&revenue_high));
            // A one-person role whose loss changes revenue beyond sampling error.
            let critical = delta.excludes_zero()
                && matches!(&param, Param::Headcount { role }
                    if model.roles.iter().any(|r| &r.name == role && r.headcount == 1));
            SensitivityRow {
                parameter: param.label(crate::diag::Lang::Ru),
                param: Some(param),
                revenue_low: low,
                revenue_high: high,
                swing: (high - low).abs(),
                swing_ci95: delta.ci95,
                indistinguishable: !delta.excludes_zero(),
                critical,
                runs: revenue_low.len() as u32,
            }
        })
        .collect();
    // Drivers ranked by swing; critical one-person roles after them.
    rows.sort_by(|a, b| a.critical.cmp(&b.critical).then(b.swing.total_cmp(&a.swing)));
    rows
}

#[cfg(test)]
mod tests {
    use super::{FIRST_BATCH, grow, settled, wilson_at};
    use crate::sim::Paired;

    #[test]
    fn a_variant_grows_to_the_runs_its_interval_needs_in_whole_batches_up_to_the_cap() {
        // (runs, half-width, target, cap) → next runs
        let cases = [
            // Twice too wide: four times the runs, with the margin (480), in batches.
            ((100, 2.0, 1.0, 10_000), 500),
            // Barely too wide: at least double.
            ((100, 1.01, 1.0, 10_000), 200),
            // Far too wide: the cap.
            ((100, 100.0, 1.0, 1000), 1000),
            // Nothing to aim at: the cap.
            ((100, 1.0, 0.0, 700), 700),
            ((200, f64::NAN, 1.0, 700), 700),
        ];
        for ((runs, half, target, cap), want) in cases {
            assert_eq!(
                grow(runs, half, target, cap),
                want,
                "{runs} {half} {target} {cap}"
            );
        }
        assert_eq!(grow(FIRST_BATCH, 1.0, 2.0, 150), 150, "never past the cap");
    }

    #[test]
    fn a_difference_is_settled_when_narrow_or_clearly_clear_of_zero() {
        let p = |mean: f64, half: f64| Paired {
            mean,
            ci95: [mean - half, mean + half],
        };
        assert!(settled(&p(0.0, 1.0), 1.0), "narrow enough");
        assert!(!settled(&p(0.0, 1.1), 1.0));
        assert!(settled(&p(10.0, 5.0), 1.0), "clear of 0 by its half-width");
        assert!(!settled(&p(-9.0, 5.0), 1.0), "excludes 0, but not clearly");
        assert!(settled(&p(0.0, 0.0), 0.0), "no effect, no noise");
        let [lo, hi] = wilson_at(0.5, 100, 1.96);
        assert!((hi - lo) / 2.0 > 0.09 && (hi - lo) / 2.0 < 0.1);
    }
}
