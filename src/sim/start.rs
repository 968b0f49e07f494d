//! The working-day calendar of a horizon and the state a forecast starts from.
//!
//! Three starts (DESIGN, "One truth across outputs"):
//!
//! - **established** (`старт действующий`, the default): a department that has been selling.
//!   Every stage already holds the deals the process sustains, each with the time it has left
//!   in the stage, and the repeat purchases of existing clients are already scheduled;
//! - **new** (`старт новый`): an empty pipeline and no clients;
//! - **today's open deals** (`--open-deals`, `engine::open`), which wins over both.
//!
//! The established start is the *settled* (stationary) state of the uncapacitated process,
//! computed exactly rather than by a warm-up run (reference/simulation.md, "Starting state"):
//!
//! - entries per working day into each stage, λ, solve `λ = a + Pᵀλ` (`a`: each channel's
//!   leads per working day, averaged over its seasonality, into its entry stage; `P`: the
//!   stages' outcome probabilities between stages, hand-offs and loops included);
//! - a lead entering stage *s* on day −k (k ≥ 1) with duration D is still there on day 0 and
//!   leaves on day d = D − k ≥ 0; so the expected number leaving on day d with outcome o is
//!   `λ_s · p_o · P(D > d)` (for Poisson arrivals the counts are Poisson: M/G/∞); its mean
//!   arrival day is −(A_s + E[k | D − k = d]), with A_s the mean working days from the lead's
//!   arrival to its entry into *s* (solved like λ, weighted by the flows);
//! - purchases per working day in a pipeline are `W / (1 − q)` (W: first wins, q: the repeat
//!   probability); one made on day −k schedules a repeat on day d = R − k ≥ 0 with probability
//!   q·P(R = d + k), R the repeat delay.
//!
//! Capacity is not part of this state: where a role is overloaded, the established start holds
//! the deals the process would bring without the limit, and the forecast shows the role falling
//! behind from the first day.

use super::dist::{Amount, DayPmf, day_pmf, repeat_pmf};
use super::params::{Dest, Params};
use serde::{Deserialize, Serialize};

/// The state a forecast starts from, as the outputs name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// Deals already in progress at the level the process sustains.
    Established,
    /// An empty pipeline.
    New,
    /// Today's open deals from a file.
    OpenDeals,
}

/// The horizon's working days and how they fall into months.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub days: usize,
    /// The month (0-based) of every working day.
    pub month_of_day: Vec<usize>,
    /// Working days in every month.
    pub month_days: Vec<usize>,
}

impl Calendar {
    pub fn new(p: &Params) -> Calendar {
        let wdm = p.working_days_per_month;
        let months = p.months.max(1);
        let days = ((months as f64 * wdm).round() as usize).max(1);
        let month_of_day: Vec<usize> = (0..days)
            .map(|t| ((t as f64 / wdm).floor() as usize).min(months - 1))
            .collect();
        let mut month_days = vec![0usize; months];
        for &m in &month_of_day {
            month_days[m] += 1;
        }
        Calendar {
            days,
            month_of_day,
            month_days,
        }
    }

    /// A channel's expected leads on one working day of month `m` (0-based).
    pub fn leads_per_day(&self, p: &Params, channel: usize, m: usize) -> f64 {
        let c = &p.channels[channel];
        let season = c.seasonality[(p.start_month as usize - 1 + m) % 12];
        c.leads_per_month * season / self.month_days[m].max(1) as f64
    }
}

/// Deals in one stage on day 0 of an established start.
#[derive(Debug, Clone, PartialEq)]
pub struct StageStock {
    /// Days a cell covers: cell `o * days + d` holds the deals leaving on day `d` with outcome
    /// `o` (`Params::stages[s].outcomes` order).
    pub days: usize,
    /// The expected deals of each cell.
    pub mean: Vec<f64>,
    /// The mean arrival day (≤ 0) of a lead of each cell.
    pub origin: Vec<f64>,
}

/// The established start: the settled state on the morning of day 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Stock {
    /// Per stage (`Params::stages` order).
    pub stages: Vec<StageStock>,
    /// Per pipeline: the expected repeat purchases due on each day `d` (index `d`).
    pub repeats: Vec<Vec<f64>>,
}

/// Solves `x = b + Pᵀ(pass ∘ x)` over the stages by iteration: `pass[s]` is the share of the
/// stage's entries its roles work (it converges geometrically wherever deals leave; a closed
/// loop, which `check` reports, stops at the iteration cap).
fn through_stages(p: &Params, b: &[f64], pass: &[f64], after_win: bool) -> Vec<f64> {
    let n = p.stages.len();
    let mut x = b.to_vec();
    for _ in 0..20_000 {
        let mut next = b.to_vec();
        for (s, st) in p.stages.iter().enumerate() {
            let hand_on = p.pipelines.get(st.pipeline_index).and_then(|pl| pl.after_win);
            for o in &st.outcomes {
                let to = match o.dest {
                    Dest::Stage(j) => Some(j),
                    Dest::Won if after_win => hand_on.map(|(j, _)| j),
                    _ => None,
                };
                if let Some(j) = to.filter(|&j| j < n) {
                    next[j] += o.probability * pass[s] * x[s];
                }
            }
        }
        let change = next
            .iter()
            .zip(&x)
            .map(|(a, b)| (a - b).abs() / a.abs().max(1e-300))
            .fold(0.0f64, f64::max);
        x = next;
        if change < 1e-13 || !x.iter().all(|v| v.is_finite()) {
            break;
        }
    }
    x.iter_mut().filter(|v| !v.is_finite()).for_each(|v| *v = 0.0);
    x
}

/// Per stage, the share of its entries its roles can work on the first day's capacity: 1 where
/// every role keeps up, `1 / load` of its most loaded role where one does not, 0 where a role
/// has no time at all. The loads are recomputed on the throttled flows a few times, since an
/// overloaded stage upstream lightens the stages after it.
fn sustained(p: &Params, arrivals: &[f64]) -> Vec<f64> {
    let n = p.stages.len();
    let capacity: Vec<f64> = p
        .roles
        .iter()
        .map(|r| (r.stage_minutes(r.headcount) - r.client_work_minutes_per_day).max(0.0))
        .collect();
    let mut pass = vec![1.0; n];
    for _ in 0..4 {
        let entries = through_stages(p, arrivals, &pass, true);
        let mut demand = vec![0.0; capacity.len()];
        for (s, st) in p.stages.iter().enumerate() {
            for &(r, minutes) in &st.work {
                if let Some(d) = demand.get_mut(r) {
                    *d += entries[s] * minutes;
                }
            }
        }
        for (s, st) in p.stages.iter().enumerate() {
            pass[s] = st
                .work
                .iter()
                .filter(|(r, _)| *r < capacity.len())
                .map(|&(r, _)| {
                    if demand[r] <= capacity[r] {
                        1.0
                    } else if capacity[r] > 0.0 {
                        capacity[r] / demand[r]
                    } else {
                        0.0
                    }
                })
                .fold(1.0, f64::min);
        }
    }
    pass
}

/// The day distributions of the stages, as the engine discretises them.
pub fn stage_pmfs(p: &Params, days: usize) -> Vec<DayPmf> {
    p.stages.iter().map(|s| day_pmf(&s.duration, days)).collect()
}

/// `P(D = k)` of a day distribution.
fn at(pmf: &DayPmf, k: usize) -> f64 {
    k.checked_sub(pmf.offset)
        .and_then(|i| pmf.probs.get(i))
        .copied()
        .unwrap_or(0.0)
}

/// The settled state on the morning of day 0 (module documentation).
pub fn stock(given: &Params, cal: &Calendar) -> Stock {
    // Per stage as the engine numbers them: the regulation's, then the transit stages.
    let expanded = super::transit::expand(given);
    let p = &*expanded;
    let n = p.stages.len();
    let pmfs = stage_pmfs(p, cal.days);
    // Leads per working day into each entry stage, over the year's seasonality.
    let mut arrivals = vec![0.0; n];
    for c in &p.channels {
        if let Some(s) = c.entry.filter(|&s| s < n) {
            let season = c.seasonality.iter().sum::<f64>() / 12.0;
            arrivals[s] += c.leads_per_month * season / p.working_days_per_month.max(1e-9);
        }
    }
    let pass = sustained(p, &arrivals);
    let entries = through_stages(p, &arrivals, &pass, true);
    // The deals the roles work: what the stock holds and passes on.
    let served: Vec<f64> = entries.iter().zip(&pass).map(|(x, f)| x * f).collect();
    // Age flux: Σ over inflows of rate × (age at entry + days in the previous stage).
    // `старт`: a stage's stay is its days plus the wait for a start (`release`), tabulated
    // over the ready days of the leads in it on day 0 (entered up to its longest stay ago).
    let back = p
        .stages
        .iter()
        .zip(&pmfs)
        .map(|(st, pmf)| {
            let wait = st
                .release
                .as_ref()
                .map_or(0, |(r, g)| r.max_wait(*g).max(0) as usize);
            pmf.max_delay() + wait + 2
        })
        .max()
        .unwrap_or(0) as i64;
    let releases = super::release::tables(p, -back, back);
    let mean_days: Vec<f64> = pmfs
        .iter()
        .zip(&p.stages)
        .map(|(pmf, st)| pmf.mean() + st.release.as_ref().map_or(0.0, |(r, g)| r.mean_wait(*g)))
        .collect();
    let mut b = vec![0.0; n];
    for (s, st) in p.stages.iter().enumerate() {
        for o in &st.outcomes {
            if let Dest::Stage(j) = o.dest
                && j < n
            {
                b[j] += o.probability * served[s] * mean_days[s];
            }
        }
    }
    // A client handed on after a win starts a new deal: its age starts at 0.
    let age_flux = through_stages(p, &b, &pass, false);
    let age: Vec<f64> = (0..n)
        .map(|s| {
            if entries[s] > 0.0 {
                age_flux[s] / entries[s]
            } else {
                0.0
            }
        })
        .collect();

    let stages = p
        .stages
        .iter()
        .enumerate()
        .map(|(s, st)| {
            let pmf = &pmfs[s];
            // Per day left d: Σ_{k ≥ 1} P(leave on day d | entered k days ago) and Σ k·P(…).
            let tails: Vec<(f64, f64)> = match &releases[s] {
                Some(r) => super::release::stock_tails(r, pmf, back),
                None => {
                    let days = pmf.max_delay();
                    (0..days)
                        .map(|d| {
                            // Σ_{k ≥ 1} P(D = d + k) and Σ k·P(D = d + k).
                            let (mut tail, mut tail_k) = (0.0, 0.0);
                            for k in 1..=days - d {
                                let q = at(pmf, d + k);
                                tail += q;
                                tail_k += k as f64 * q;
                            }
                            (tail, tail_k)
                        })
                        .collect()
                }
            };
            let days = tails.len();
            let mut mean = vec![0.0; st.outcomes.len() * days];
            let mut origin = vec![0.0; st.outcomes.len() * days];
            for (d, &(tail, tail_k)) in tails.iter().enumerate() {
                if tail <= 0.0 {
                    continue;
                }
                for (o, out) in st.outcomes.iter().enumerate() {
                    mean[o * days + d] = served[s] * out.probability * tail;
                    origin[o * days + d] = -(age[s] + tail_k / tail);
                }
            }
            StageStock { days, mean, origin }
        })
        .collect();

    let mut wins = vec![0.0; p.pipelines.len()];
    for (s, st) in p.stages.iter().enumerate() {
        for o in &st.outcomes {
            if o.dest == Dest::Won
                && let Some(w) = wins.get_mut(st.pipeline_index)
            {
                *w += served[s] * o.probability;
            }
        }
    }
    let repeats = p
        .pipelines
        .iter()
        .zip(&wins)
        .map(|(pl, &w)| {
            let q = pl.repeat_probability.clamp(0.0, 1.0);
            let rate = if q < 1.0 { w / (1.0 - q) } else { w };
            if q <= 0.0 || rate <= 0.0 {
                return Vec::new();
            }
            let pmf = repeat_pmf(&pl.repeat_after, cal.days);
            let top = pmf.max_delay();
            (0..top)
                .map(|d| rate * q * (d + 1..=top).map(|k| at(&pmf, k)).sum::<f64>())
                .collect()
        })
        .collect();
    Stock { stages, repeats }
}

/// The repeat purchases due from clients won before day 0 — `wins` as (pipeline, working days
/// from the win to day 0, at least 1) — per pipeline the expected number due on each day: a
/// purchase made `j` days ago comes back on day `d` with probability q·P(R = d + j).
pub fn prior_repeats(p: &Params, cal: &Calendar, wins: &[(usize, usize)]) -> Vec<Vec<f64>> {
    p.pipelines
        .iter()
        .enumerate()
        .map(|(pi, pl)| {
            let q = pl.repeat_probability.clamp(0.0, 1.0);
            if q <= 0.0 {
                return Vec::new();
            }
            // Delays up to the oldest win plus the horizon matter (the engine's own cap, the
            // horizon, would pile a longer delay onto its last day).
            let oldest = wins.iter().filter(|w| w.0 == pi).map(|w| w.1).max().unwrap_or(0);
            let pmf = repeat_pmf(&pl.repeat_after, oldest + cal.days);
            let top = pmf.max_delay();
            let mut due = vec![0.0; top.min(cal.days)];
            for &(_, j) in wins.iter().filter(|w| w.0 == pi) {
                for (d, x) in due.iter_mut().enumerate().take((top + 1).saturating_sub(j)) {
                    *x += q * at(&pmf, d + j);
                }
            }
            due
        })
        .collect()
}

/// The mean revenue of one deal of each pipeline, as the engine draws it.
pub fn mean_amounts(p: &Params) -> Vec<f64> {
    p.pipelines
        .iter()
        .map(|pl| Amount::mean_of(pl.deal_size.as_ref()))
        .collect()
}
