//! One replication: a day-by-day walk over working days in which leads move as *cohorts*
//! (all leads in one stage that entered on one day), so the cost of a day does not grow with
//! the number of leads. See "Simulation engine" in docs/architecture.md.

use super::dist::{Amount, DayPmf, day_pmf, repeat_pmf};
use super::params::{Dest, Outcome, Params, PlanKind};
use super::release::Release;
use super::split::{Cells, thin};
use super::start::Calendar;
use rand::Rng;
use rand_distr::{Distribution, Poisson};

/// Same-day moves through zero-duration stages followed before the rest waits a day.
const MAX_DEPTH: u32 = 16;

/// Waits with their own decayed cells; a longer wait thins the successes after the draw.
const DECAYED_WAITS: usize = 32;

/// A guide bucket's slot (`Stage::cells_at`) when the bucket holds a cell boundary: no slot
/// is at `u32::MAX` (the calendar would need 2³² slots, 64 GB).
const BOUNDARY: (u32, u32) = (u32::MAX, u32::MAX);

mod decayed;
pub mod extra;
pub mod floor;
pub mod metrics;
mod open;
mod queue;
pub mod trace;
mod warm;

use decayed::Decayed;
pub use decayed::SharedCells;
pub use extra::{MonthField, PipelineField};
pub use metrics::{MetricsLayout, StageField};
pub use open::Seed;
use queue::Queue;
use std::sync::Arc;
use trace::{NoTrace, Tracer};

/// Where each per-replication scalar lives in a record.
#[derive(Debug, Clone)]
pub struct Layout {
    pub channels: usize,
    pub stages: usize,
    pub roles: usize,
    pub months: usize,
    pub pipelines: usize,
    /// The KPI metrics block (`metrics`); empty unless a KPI reads it.
    pub metrics: MetricsLayout,
}

/// Scalars of one replication, in record order.
pub mod slot {
    pub const LEADS: usize = 0;
    pub const WON: usize = 1;
    pub const REVENUE: usize = 2;
    pub const NEW_CLIENTS: usize = 3;
    pub const REPEAT: usize = 4;
    pub const CYCLE: usize = 5;
    pub const COLD: usize = 6;
    pub const COST: usize = 7;
    pub const PROFIT: usize = 8;
    pub const CAC: usize = 9;
    pub const ROI: usize = 10;
    pub const PLAN_MET: usize = 11;
    pub const GLOBAL: usize = 12;
    /// Per stage: entered, converted, lost, cold, mean WIP, mean days in stage.
    pub const PER_STAGE: usize = 6;
    /// Per role: utilisation, backlog.
    pub const PER_ROLE: usize = 2;
    /// Per month: won, revenue, leads, plan met.
    pub const PER_MONTH: usize = 4;
}

// After the months: the utilisation of every role in every month (month-major), so that the
// binding constraint can be named month by month.

impl Layout {
    /// The layout of the engine of `given` (`p` its parameters with the transit stages, over
    /// `months`, with `rows` calendar rows).
    fn of(given: &Params, p: &Params, months: usize, metrics: &metrics::Metrics, rows: usize) -> Layout {
        Layout {
            channels: p.channels.len(),
            stages: given.stages.len(),
            roles: p.roles.len(),
            months,
            pipelines: p.pipelines.len(),
            metrics: metrics.layout(rows, p.stages.len()),
        }
    }

    /// [`Engine::sharing`]'s layout without building the engine's samplers: the size of a
    /// forecast's records before it starts (`sim::record_bytes`).
    pub fn for_params(given: &Params) -> Layout {
        let expanded = super::transit::expand(given);
        let p = &*expanded;
        let months = p.months.max(1);
        let calendar = Calendar::new(p);
        let metrics = metrics::Metrics::new(p, &calendar.month_of_day, months);
        // A calendar row per outcome, and one for the leads whose conversion decayed away.
        let rows = p.stages.iter().map(|s| s.outcomes.len() + 1).sum();
        Layout::of(given, p, months, &metrics, rows)
    }

    pub fn len(&self) -> usize {
        slot::GLOBAL
            + self.channels
            + self.stages * slot::PER_STAGE
            + self.roles * slot::PER_ROLE
            + self.months * slot::PER_MONTH
            + self.months * self.roles
            + extra::width(self)
            + metrics::width(self)
    }
    pub fn channel(&self, c: usize) -> usize {
        slot::GLOBAL + c
    }
    pub fn stage(&self, s: usize, field: usize) -> usize {
        slot::GLOBAL + self.channels + s * slot::PER_STAGE + field
    }
    pub fn role(&self, r: usize, field: usize) -> usize {
        slot::GLOBAL + self.channels + self.stages * slot::PER_STAGE + r * slot::PER_ROLE + field
    }
    pub fn month(&self, m: usize, field: usize) -> usize {
        slot::GLOBAL
            + self.channels
            + self.stages * slot::PER_STAGE
            + self.roles * slot::PER_ROLE
            + m * slot::PER_MONTH
            + field
    }
    /// The utilisation of role `r` in month `m`.
    pub fn month_role(&self, m: usize, r: usize) -> usize {
        slot::GLOBAL
            + self.channels
            + self.stages * slot::PER_STAGE
            + self.roles * slot::PER_ROLE
            + self.months * slot::PER_MONTH
            + m * self.roles
            + r
    }
}

struct Stage {
    /// Per role: the minutes of work one lead costs, and their inverse.
    work: Vec<(usize, f64, f64)>,
    outcomes: Vec<Outcome>,
    /// Index of the outcome used for leads whose conversion decayed away (the last).
    decay_lost: usize,
    /// The outcomes that can get leads: all, or all but `decay_lost` if nothing decays.
    live_outcomes: usize,
    /// The cells `outcome * delays + delay`, with probabilities `p_outcome × pmf(delay)`.
    cells: Cells,
    /// Per cell: where its leads go in the calendar, `row × row_len + delay` (the row is
    /// `out_base + outcome`, the delay the days until the lead leaves), and the delay: a lead
    /// served on day `t` goes to slot `at + t`.
    cell_at: Vec<(u32, u32)>,
    /// Per cell: whether it is a success (which decays with the wait).
    cell_success: Vec<bool>,
    /// `decayed.waits[w - 1]`: the cells of leads served after waiting `w` days, successes
    /// decayed into the `decay_lost` outcome (for the first [`DECAYED_WAITS`] days of a
    /// decaying stage), shared with the other engines of a comparison ([`SharedCells`]).
    decayed: Arc<Decayed>,
    /// Per guide bucket of `cells`, the `cell_at` of its cell, or [`BOUNDARY`] for a bucket that
    /// holds a cell boundary (`Cells::each_mapped`); the decayed cells carry theirs.
    cells_at: Vec<(u32, u32)>,
    /// The first calendar row of the stage (its outcomes' rows follow).
    out_base: u32,
    /// Cells per outcome (the length of the duration's pmf).
    delays: usize,
    /// The duration's day distribution (an open deal's residual time is drawn from it).
    pmf: DayPmf,
    wait_limit: Option<usize>,
    decay: f64,
    pipeline: usize,
    /// Hook: `старт` — where a cell's leads really leave (`sim/release.rs`).
    release: Option<super::release::Release>,
}

impl Stage {
    /// The cells and bucket table a split of `n` leads that waited `wait` days draws lead by
    /// lead from (the decayed ones for a decaying stage's wait), or `None` for a split as a
    /// chain of binomials ([`Run::split_chain`]): a cohort past the lead-by-lead size, a wait
    /// longer than the decayed cells cover, or a stage with `старт`.
    #[inline(always)]
    fn lead_by_lead(&self, wait: usize, n: u64) -> Option<(&Cells, &[(u32, u32)])> {
        let (cells, at) = if wait == 0 || self.decay <= 0.0 {
            (&self.cells, &self.cells_at)
        } else {
            let (cells, at) = self.decayed.waits.get(wait - 1)?;
            (cells, at)
        };
        (n <= cells.small() && self.release.is_none()).then_some((cells, at.as_slice()))
    }
}

struct Pipeline {
    account: bool,
    /// `после_выигрыша`: the stage every won client also enters (a transit stage for a delay).
    after_win: Option<usize>,
    amount: Amount,
    /// Cell 0: no repeat purchase; cell `1 + d`: a repeat after `repeat_offset + d` days.
    repeat: Cells,
    repeat_offset: usize,
}

/// The engine: parameters compiled into per-day tables and per-stage samplers.
pub struct Engine {
    pub layout: Layout,
    days: usize,
    months: usize,
    month_of_day: Vec<usize>,
    arrivals: Vec<Vec<Option<Poisson<f64>>>>,
    channel_entry: Vec<Option<usize>>,
    channel_cost: Vec<f64>,
    capacity: Vec<Vec<f64>>,
    /// Per role: the minutes of the horizon, and per month × role (month-major) those of each
    /// month — the same in every replication (the denominators of utilisation).
    avail: Vec<f64>,
    month_avail: Vec<f64>,
    /// Per role: minutes a day of work for the client base (`RoleParams::client_work_minutes_per_day`),
    /// taken from each day's capacity before stage work and counted as used.
    client_work: Vec<f64>,
    stages: Vec<Stage>,
    /// Stages with work, in the order the day's capacity goes to them: closest to a win first.
    serve_order: Vec<usize>,
    /// Per stage: its place in `serve_order` (the bit of its queue in [`Work::queued`] and
    /// [`Work::blocked`]), or `u32::MAX` for a stage without work.
    rank: Vec<u32>,
    /// Per role: the bits of the stages it works (by rank), all blocked at once when the role
    /// has no minutes left today.
    role_stages: Vec<Vec<u64>>,
    /// Per stage: its [`Engine::rank`] if its leads queue for work, `u32::MAX` if they start at
    /// once (a stage without work).
    queue_rank: Vec<u32>,
    /// Calendar rows: one per stage outcome, as (stage, outcome).
    rows: Vec<(u32, u32)>,
    /// The rows that can hold leads, in order, with their exits: all but the outcome decayed
    /// away of a stage whose wait decays nothing.
    live_rows: Vec<(u32, Exit)>,
    /// Per calendar row: what its leads do when they leave ([`Run::leave`] reads nothing else).
    exits: Vec<Exit>,
    /// Days in a calendar row: the horizon and the longest stay after it. The calendar is
    /// row-major (a row's days are adjacent), so that the cells of one split land close
    /// together, and a slot is a base plus the day (no wrapping).
    row_len: usize,
    pipelines: Vec<Pipeline>,
    repeat_ring: usize,
    /// Scratch cells needed by the largest split.
    max_cells: usize,
    salaries: Vec<f64>,
    bonus: super::pay::MonthBonus,
    plan_bonus: Vec<f64>,
    plan: Option<(PlanKind, Vec<f64>)>,
    /// Today's open deals every replication starts with (`--open-deals`).
    open: Vec<open::Seed>,
    /// The settled stock every replication starts with (an established department).
    warm: warm::Warm,
    /// What the KPI metrics track (off unless a KPI needs them).
    metrics: metrics::Metrics,
}

/// Puts the leads counted per cell in the calendar for leads served on day `t`, empties the
/// counts and returns the days the leads will stay, summed.
fn place(
    counts: &mut [u64],
    cell_at: &[(u32, u32)],
    calendar: &mut [Slot],
    t: usize,
    per_lead: f64,
    tr: &mut impl Tracer,
) -> u64 {
    let mut stay = 0;
    for (count, &(at, delay)) in counts.iter_mut().zip(cell_at) {
        let x = std::mem::take(count);
        if x > 0 {
            stay += x * u64::from(delay);
            let slot = &mut calendar[at as usize + t];
            slot.n += x;
            slot.origin += per_lead * real(x);
            tr.place(at as usize + t, x);
        }
    }
    stay
}

/// A count as a float: through `i64`, one instruction on the baseline x86-64 target where the
/// unsigned conversion takes several; the same value for every count below 2⁶³ (any cohort,
/// any sum of lead-days).
#[inline(always)]
fn real(n: u64) -> f64 {
    debug_assert!(n < 1 << 63);
    n as i64 as f64
}

/// Years of attrition at `months` into the horizon, as a surviving share.
fn surviving(attrition: f64, months: f64) -> f64 {
    if attrition >= 1.0 {
        0.0
    } else {
        (1.0 - attrition).powf(months / 12.0)
    }
}

/// The order in which a role's daily minutes go to the stages that need them: the stage whose
/// leads are closest to a win first — the highest probability of ending in a won deal, then
/// the fewest stages still to pass, then the later stage — and the oldest cohort first within
/// a stage (`analyze::stage_values`). Serving the oldest work across all stages instead lets new leads crowd out the
/// last steps of deals already in progress when a role is overloaded, so that more staff
/// upstream can mean fewer deals (docs/architecture.md, "Capacity and queues").
fn serve_order(p: &Params) -> Vec<usize> {
    let n = p.stages.len();
    let win = |s: usize| p.stages[s].value.p_won;
    let steps = |s: usize| p.stages[s].value.stages_left;
    let mut order: Vec<usize> = (0..n).filter(|&s| !p.stages[s].work.is_empty()).collect();
    order.sort_by(|&a, &b| {
        win(b)
            .total_cmp(&win(a))
            .then(steps(a).total_cmp(&steps(b)))
            .then(b.cmp(&a))
    });
    order
}

impl Engine {
    /// The engine of `given`, taking the decaying stages' cells from `shared` where another
    /// engine of the same comparison built them from the same inputs (and leaving its own
    /// there); with `None`, it builds its own.
    pub fn sharing(given: &Params, shared: Option<&SharedCells>) -> Engine {
        // Delayed transitions as transit stages after the regulation's own (`transit`).
        let expanded = super::transit::expand(given);
        let p = &*expanded;
        let wdm = p.working_days_per_month;
        let months = p.months.max(1);
        let calendar = Calendar::new(p);
        let days = calendar.days;
        let arrivals = (0..p.channels.len())
            .map(|ci| {
                (0..months)
                    .map(|m| {
                        let per_day = calendar.leads_per_day(p, ci, m);
                        (per_day > 0.0 && per_day.is_finite())
                            .then(|| Poisson::new(per_day).ok())
                            .flatten()
                    })
                    .collect()
            })
            .collect();
        let heads = |r: &super::params::RoleParams, at_month: f64, ramp: bool| {
            let mut h = r.headcount;
            for &(month, count) in &r.hires {
                let join = month - 1.0;
                if at_month >= join {
                    let prod = if ramp && r.ramp_up_months > 0.0 {
                        ((at_month - join) / r.ramp_up_months).min(1.0)
                    } else {
                        1.0
                    };
                    h += count * prod;
                }
            }
            h * surviving(r.attrition_per_year, at_month)
        };
        let capacity: Vec<Vec<f64>> = p
            .roles
            .iter()
            .map(|r| {
                (0..days)
                    .map(|t| {
                        let at = (t as f64 + 0.5) / wdm;
                        r.stage_minutes(heads(r, at, true))
                    })
                    .collect()
            })
            .collect();
        let salaries = (0..months)
            .map(|m| {
                p.roles
                    .iter()
                    .map(|r| r.salary * heads(r, m as f64 + 0.5, false) + r.budget_per_month)
                    .sum::<f64>()
                    // Fixed costs beside pay: the channels' budgets (`бюджет`).
                    + p.channels.iter().map(|c| c.budget_per_month).sum::<f64>()
            })
            .collect();
        let plan_bonus = (0..months)
            .map(|m| {
                p.roles
                    .iter()
                    .map(|r| r.bonus_plan_amount * heads(r, m as f64 + 0.5, false))
                    .sum()
            })
            .collect();
        // Each role's share on the part of the revenue it brings in (`RoleParams::bonus_revenue_weight`).
        let bonus = super::pay::MonthBonus::new(&p.roles);

        let mut rows = Vec::new();
        let longest = p
            .stages
            .iter()
            .map(|s| day_pmf(&s.duration, days).max_delay())
            .max();
        // Hook: `старт` (`sim/release.rs`) moves a lead to its start; the calendar reaches it.
        let releases = super::release::tables(p, 0, (days + longest.unwrap_or(0) + 1) as i64);
        let wait = releases.iter().flatten().map(|r| r.max_wait).max().unwrap_or(0);
        let row_len = days + longest.unwrap_or(0) + wait + 2;
        let stages: Vec<Stage> = p
            .stages
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let mut outcomes = s.outcomes.clone();
                let decay_lost = outcomes.len();
                outcomes.push(Outcome {
                    dest: Dest::Lost,
                    probability: 0.0,
                    success: false,
                    delay_days: 0.0,
                });
                let pmf = day_pmf(&s.duration, days);
                let delays = pmf.probs.len();
                // The cells of a lead whose successes kept the share `keep` of their
                // probability (1 for no wait): the rest goes to the outcome decayed away, with
                // the same delays.
                let success: f64 = outcomes.iter().filter(|o| o.success).map(|o| o.probability).sum();
                let cells_keeping = |keep: f64| {
                    let weights: Vec<f64> = outcomes
                        .iter()
                        .enumerate()
                        .flat_map(|(oi, o)| {
                            let p = if oi == decay_lost {
                                success * (1.0 - keep)
                            } else if o.success {
                                o.probability * keep
                            } else {
                                o.probability
                            };
                            pmf.probs.iter().map(move |&pd| p * pd)
                        })
                        .collect();
                    Cells::new(&weights)
                };
                let out_base = rows.len() as u32;
                rows.extend((0..outcomes.len() as u32).map(|o| (si as u32, o)));
                let cell = |i: usize| (i / delays, i % delays);
                let n_cells = outcomes.len() * delays;
                let decay = s.decay_per_day;
                let wait_limit = s.wait_limit_days.map(|d| d.floor().min(days as f64) as usize);
                let cell_at: Vec<(u32, u32)> = (0..n_cells)
                    .map(|i| {
                        let delay = (pmf.offset + cell(i).1) as u32;
                        (((out_base as usize + cell(i).0) * row_len) as u32 + delay, delay)
                    })
                    .collect();
                let cells = cells_keeping(1.0);
                let cells_at = cells.bucket_table(|i| cell_at[i], BOUNDARY);
                let decayed = if decay > 0.0 {
                    let key = decayed::Key {
                        outcomes: outcomes
                            .iter()
                            .map(|o| (o.probability.to_bits(), o.success))
                            .collect(),
                        pmf: pmf.probs.iter().map(|p| p.to_bits()).collect(),
                        decay: decay.to_bits(),
                        waits: wait_limit.unwrap_or(days).min(DECAYED_WAITS),
                        cell_at: cell_at.clone(),
                    };
                    let cells = |wait: usize| cells_keeping((1.0 - decay).powi(wait as i32));
                    match shared {
                        Some(shared) => shared.get(key, cells),
                        None => Arc::new(Decayed::build(key, cells)),
                    }
                } else {
                    Arc::default()
                };
                Stage {
                    work: s
                        .work
                        .iter()
                        .filter(|(_, w)| *w > 0.0)
                        .map(|&(r, w)| (r, w, 1.0 / w))
                        .collect(),
                    decay_lost,
                    live_outcomes: if decay > 0.0 { decay_lost + 1 } else { decay_lost },
                    cells,
                    cells_at,
                    decayed,
                    out_base,
                    cell_at,
                    cell_success: (0..n_cells).map(|i| outcomes[cell(i).0].success).collect(),
                    delays,
                    wait_limit,
                    decay,
                    pipeline: s.pipeline_index,
                    outcomes,
                    pmf,
                    release: releases[si].clone(),
                }
            })
            .collect();
        let pipelines: Vec<Pipeline> = p
            .pipelines
            .iter()
            .map(|pl| {
                let repeat_pmf = repeat_pmf(&pl.repeat_after, days);
                let q = pl.repeat_probability.clamp(0.0, 1.0);
                let weights: Vec<f64> = std::iter::once(1.0 - q)
                    .chain(repeat_pmf.probs.iter().map(|&pd| q * pd))
                    .collect();
                Pipeline {
                    account: pl.account,
                    after_win: pl.after_win.map(|(s, _)| s),
                    amount: Amount::new(pl.deal_size.as_ref()),
                    repeat: Cells::new(&weights),
                    repeat_offset: repeat_pmf.offset,
                }
            })
            .collect();
        let repeat_ring = p
            .pipelines
            .iter()
            .map(|pl| day_pmf(&pl.repeat_after, days).max_delay())
            .max()
            .unwrap_or(0)
            + 2;
        let max_cells = stages
            .iter()
            .map(|s| s.cell_at.len())
            .chain(
                p.pipelines
                    .iter()
                    .map(|pl| day_pmf(&pl.repeat_after, days).probs.len() + 2),
            )
            .max()
            .unwrap_or(0);
        let serve_order = serve_order(p);
        let words = serve_order.len().div_ceil(64);
        let mut rank = vec![u32::MAX; stages.len()];
        let mut role_stages = vec![vec![0u64; words]; p.roles.len()];
        for (k, &s) in serve_order.iter().enumerate() {
            rank[s] = k as u32;
            for &(r, _, _) in &stages[s].work {
                role_stages[r][k / 64] |= 1 << (k % 64);
            }
        }
        let queue_rank: Vec<u32> = stages
            .iter()
            .zip(&rank)
            .map(|(st, &k)| if st.work.is_empty() { u32::MAX } else { k })
            .collect();
        let metrics = metrics::Metrics::new(p, &calendar.month_of_day, months);
        // Day by day, as the replications once summed them.
        let roles = p.roles.len();
        let mut avail = vec![0.0; roles];
        let mut month_avail = vec![0.0; roles * months];
        for t in 0..days {
            for (r, cap) in capacity.iter().enumerate() {
                avail[r] += cap[t];
                month_avail[calendar.month_of_day[t] * roles + r] += cap[t];
            }
        }
        let exits: Vec<Exit> = rows
            .iter()
            .map(|&(si, o)| {
                let st = &stages[si as usize];
                let outcome = st.outcomes[o as usize];
                Exit {
                    stage: si,
                    pipeline: st.pipeline as u32,
                    success: outcome.success,
                    hand_off: matches!(outcome.dest,
                        Dest::Stage(next) if stages[next].pipeline != st.pipeline),
                    next_rank: match outcome.dest {
                        Dest::Stage(next) => queue_rank[next],
                        _ => u32::MAX,
                    },
                    dest: outcome.dest,
                }
            })
            .collect();
        Engine {
            layout: Layout::of(given, p, months, &metrics, rows.len()),
            metrics,
            open: Vec::new(),
            warm: warm::Warm::default(),
            days,
            months,
            month_of_day: calendar.month_of_day,
            arrivals,
            channel_entry: p.channels.iter().map(|c| c.entry).collect(),
            channel_cost: p.channels.iter().map(|c| c.lead_cost).collect(),
            capacity,
            avail,
            month_avail,
            client_work: p.roles.iter().map(|r| r.client_work_minutes_per_day).collect(),
            serve_order,
            rank,
            role_stages,
            live_rows: rows
                .iter()
                .enumerate()
                .filter(|&(_, &(s, o))| (o as usize) < stages[s as usize].live_outcomes)
                .map(|(row, _)| (row as u32, exits[row]))
                .collect(),
            exits,
            rows,
            queue_rank,
            row_len,
            stages,
            pipelines,
            repeat_ring,
            max_cells,
            salaries,
            bonus,
            plan_bonus,
            plan: p.plan.as_ref().map(|pl| (pl.kind, pl.per_month.clone())),
        }
    }

    /// Leads that left stage `s`, converted and lost: those counted by calendar row in
    /// `row_out` added to those counted apart (`converted`, `lost`).
    fn stage_exits(&self, s: usize, row_out: &[u64], converted: u64, lost: u64) -> (u64, u64) {
        let st = &self.stages[s];
        let rows = st.out_base as usize..st.out_base as usize + st.outcomes.len();
        row_out[rows.clone()]
            .iter()
            .zip(&self.exits[rows])
            .fold((converted, lost), |(c, l), (&n, exit)| {
                if exit.success { (c + n, l) } else { (c, l + n) }
            })
    }

    /// Working days in the horizon.
    pub fn days(&self) -> usize {
        self.days
    }
}

#[derive(Debug, Clone, Copy)]
struct Cohort {
    day: usize,
    n: u64,
    /// Sum of the days the leads arrived from their channel (for the cycle time).
    origin: f64,
}

/// A calendar row's exit, gathered from its stage and outcome into one small entry, so that
/// leaving is one look-up in a table that stays in cache.
#[derive(Debug, Clone, Copy)]
struct Exit {
    stage: u32,
    /// The stage's pipeline.
    pipeline: u32,
    success: bool,
    /// A move to a stage of another pipeline (a hand-off).
    hand_off: bool,
    /// The destination stage's [`Engine::queue_rank`] (`u32::MAX` for a win or a loss).
    next_rank: u32,
    dest: Dest,
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    row: u32,
    n: u64,
    origin: f64,
    depth: u32,
}

/// Leads scheduled to leave a stage with one outcome on one day.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    n: u64,
    origin: f64,
}

/// One stage's running counts in a replication.
#[derive(Debug, Clone, Copy, Default)]
struct StageCounts {
    /// Leads that entered the stage.
    entered: u64,
    /// Leads in the stage now (waiting or in work).
    in_stage: u64,
    /// Leads whose time in the stage is counted (work started, or gone cold), and their days
    /// in it, summed.
    time_n: u64,
    time_sum: u64,
    /// Leads in the stage at the end of each day, summed (the mean WIP).
    wip: u64,
}

/// Per-replication state, reused between replications on one thread.
pub struct Work {
    queues: Vec<Queue>,
    /// The calendar: per row, a slot per day of the horizon and the longest stay after it
    /// (row-major, see [`Engine::row_len`]).
    calendar: Vec<Slot>,
    /// Per stage: what its leads do, counted as they go (one entry, so one look-up per stage).
    stage: Vec<StageCounts>,
    repeats: Vec<u64>,
    rem: Vec<f64>,
    used: Vec<f64>,
    /// Per month × role (month-major).
    month_used: Vec<f64>,
    /// Bits by serving rank ([`Engine::rank`]): the stages whose queue holds a cohort, and the
    /// stages served as far as today's minutes go.
    queued: Vec<u64>,
    blocked: Vec<u64>,
    /// Scratch counts over a split's cells, and the cells that got any.
    counts: Vec<u64>,
    touched: Vec<u32>,
    /// Leads leaving a stage the day they were placed, waiting to be moved on.
    pending: Vec<Pending>,
    // Accumulators.
    /// Converted and lost besides the cohorts' leaves (open deals, leads gone cold): those are
    /// counted by calendar row (`m.row_out`) and added in by [`Work::exits`].
    converted: Vec<u64>,
    lost: Vec<u64>,
    cold: Vec<u64>,
    channel_leads: Vec<u64>,
    month_won: Vec<u64>,
    month_revenue: Vec<f64>,
    month_leads: Vec<u64>,
    month_new: Vec<u64>,
    new_clients: u64,
    repeat_count: u64,
    cycle_sum: f64,
    /// Wins whose cycle is in `cycle_sum` (out of a funnel or an open deal; not repeats).
    cycle_n: u64,
    /// What the KPIs and the monthly money need beyond the totals.
    x: extra::Counts,
    /// Today's open deals, one by one.
    open: Vec<open::Deal>,
    /// Per stage: open deals waiting for its work.
    open_waiting: Vec<u32>,
    /// What the KPI metrics count.
    m: metrics::State,
}

impl Work {
    pub fn new(e: &Engine) -> Work {
        let s = e.stages.len();
        let r = e.capacity.len();
        let m = e.months;
        Work {
            queues: vec![Queue::default(); s],
            calendar: vec![Slot::default(); e.rows.len() * e.row_len],
            stage: vec![StageCounts::default(); s],
            repeats: vec![0; e.pipelines.len() * e.repeat_ring],
            rem: vec![0.0; r],
            used: vec![0.0; r],
            month_used: vec![0.0; r * m],
            queued: vec![0; e.serve_order.len().div_ceil(64)],
            blocked: vec![0; e.serve_order.len().div_ceil(64)],
            counts: vec![0; e.max_cells],
            touched: Vec::with_capacity(e.max_cells),
            pending: Vec::new(),
            converted: vec![0; s],
            lost: vec![0; s],
            cold: vec![0; s],
            channel_leads: vec![0; e.channel_entry.len()],
            month_won: vec![0; m],
            month_revenue: vec![0.0; m],
            month_leads: vec![0; m],
            month_new: vec![0; m],
            new_clients: 0,
            repeat_count: 0,
            cycle_sum: 0.0,
            cycle_n: 0,
            x: extra::Counts::new(e),
            open: Vec::new(),
            open_waiting: vec![0; s],
            m: metrics::State::new(e),
        }
    }

    /// Leads that left stage `s` so far, converted and lost: the cohorts' by calendar row
    /// (`row_out`, one increment per leave) and the rest (open deals, leads gone cold).
    fn exits(&self, e: &Engine, s: usize) -> (u64, u64) {
        e.stage_exits(s, &self.m.row_out, self.converted[s], self.lost[s])
    }

    /// Leads (cohorts and open deals) waiting for the work of role `r`.
    fn backlog(&self, e: &Engine, r: usize) -> u64 {
        let cohorts: u64 = e
            .stages
            .iter()
            .enumerate()
            .filter(|(_, st)| st.work.iter().any(|(ri, _, _)| *ri == r))
            .map(|(s, _)| self.queues[s].iter().map(|c| c.n).sum::<u64>())
            .sum();
        cohorts + self.open_backlog(e, r) as u64
    }

    /// `n` leads of calendar row `row` leave their stage on day `t`, the day their work was
    /// done: they move on at once, or tomorrow past the bound on same-day moves.
    fn leave_today(&mut self, row: usize, n: u64, origin: f64, depth: u32, t: usize, row_len: usize) {
        if depth < MAX_DEPTH {
            self.pending.push(Pending {
                row: row as u32,
                n,
                origin,
                depth: depth + 1,
            });
        } else {
            let slot = &mut self.calendar[row * row_len + t + 1];
            slot.n += n;
            slot.origin += origin;
        }
    }

    fn reset(&mut self, e: &Engine) {
        self.pending.clear();
        self.queues.iter_mut().for_each(Queue::clear);
        self.queued.fill(0);
        // A replication takes every slot of the horizon's days as it walks them: only the
        // days past the horizon can hold leads.
        for row in self.calendar.chunks_mut(e.row_len) {
            row[e.days..].fill(Slot::default());
        }
        self.stage.fill(StageCounts::default());
        for v in [
            &mut self.repeats,
            &mut self.converted,
            &mut self.lost,
            &mut self.cold,
            &mut self.channel_leads,
            &mut self.month_won,
            &mut self.month_leads,
            &mut self.month_new,
        ] {
            v.fill(0);
        }
        for v in [&mut self.used, &mut self.month_used, &mut self.month_revenue] {
            v.fill(0.0);
        }
        // Minutes owed from the day before: none at the start.
        self.rem.fill(0.0);
        self.new_clients = 0;
        self.repeat_count = 0;
        self.cycle_sum = 0.0;
        self.cycle_n = 0;
        self.x.reset();
        self.open.clear();
        self.open_waiting.fill(0);
        self.m.reset();
    }
}

/// One replication's walk, borrowing the engine, the state, the stream and what records its
/// leads ([`NoTrace`] in a forecast).
struct Run<'a, R: Rng, T: Tracer> {
    e: &'a Engine,
    w: &'a mut Work,
    rng: &'a mut R,
    tr: &'a mut T,
    t: usize,
}

impl<R: Rng, T: Tracer> Run<'_, R, T> {
    // Kept inline in `leave` and `day`: as an out-of-line call it costs ~0.7% of a run.
    #[inline(always)]
    fn enter(&mut self, s: usize, n: u64, origin: f64, depth: u32) {
        self.enter_ranked(s, self.e.queue_rank[s], n, origin, depth);
    }

    /// [`Run::enter`] with the stage's queue rank already known (a calendar row's [`Exit`]
    /// carries its destination's).
    #[inline(always)]
    fn enter_ranked(&mut self, s: usize, k: u32, n: u64, origin: f64, depth: u32) {
        if n == 0 {
            return;
        }
        let t = self.t;
        self.w.stage[s].entered += n;
        self.w.stage[s].in_stage += n;
        self.tr.entered(t as i32, s);
        if k == u32::MAX {
            self.split_call(s, t, n, origin, depth);
        } else {
            let q = &mut self.w.queues[s];
            let new_cohort = match q.back_mut() {
                Some(c) if c.day == t => {
                    c.n += n;
                    c.origin += origin;
                    false
                }
                _ => {
                    q.push_back(Cohort { day: t, n, origin });
                    let k = k as usize;
                    self.w.queued[k / 64] |= 1 << (k % 64);
                    true
                }
            };
            self.tr.queue(s, new_cohort);
        }
    }

    /// Work on `n` leads that entered on day `entry` starts today: one multinomial draw over
    /// the stage's (outcome, delay) cells, successes thinned by the decay of the wait, and
    /// each cell's leads put in the calendar for the day they leave (or moved on at once).
    ///
    /// Inline in the serving pass (nearly every split); [`Run::split_call`] elsewhere.
    #[inline(always)]
    fn split(&mut self, s: usize, entry: usize, n: u64, origin: f64, depth: u32) {
        let e = self.e;
        let st = &e.stages[s];
        let w = &mut *self.w;
        let tr = &mut *self.tr;
        let wait = self.t - entry;
        let per_lead = origin / real(n);
        let t = self.t;
        tr.split(s, wait, n);
        // The days in the stage: waited, and then to stay (added per lead or per cell).
        let mut stay = n * wait as u64;
        // A stage with a `просрочено` counts its placed leads by entry day (`metrics`).
        let tracked = e.metrics.tracked(s);
        if let Some((cells, buckets)) = st.lead_by_lead(wait, n) {
            // Lead by lead into the calendar, today's slots included (they were emptied this
            // morning): those leads move on at once below. With few cells for the leads, counted
            // first and placed cell by cell (a lead then costs one increment in a small table);
            // with many, each lead goes straight to its slot. Both place the same leads.
            let cell_count = st.cell_at.len();
            let row_len = e.row_len;
            if 2 * cell_count as u64 <= n {
                // Only the cells that can be drawn (not those of the outcome decayed away
                // when the wait decays nothing).
                let counts = &mut w.counts[..cells.len()];
                cells.each(n, self.rng, |i| counts[i] += 1);
                if tracked {
                    for (&x, &(_, delay)) in counts.iter().zip(&st.cell_at) {
                        metrics::track(e, &mut w.m, s, entry as i64, t, delay, x);
                    }
                }
                stay += place(counts, &st.cell_at, &mut w.calendar, t, per_lead, tr);
            } else {
                // Local slices, so the loop keeps their addresses in registers instead of
                // reloading `Work`'s vectors after every store; today's column is the base.
                let calendar: &mut [Slot] = &mut w.calendar[t..];
                let cell_at: &[(u32, u32)] = &st.cell_at;
                let mut place_at = |(at, delay): (u32, u32)| {
                    stay += u64::from(delay);
                    let slot = &mut calendar[at as usize];
                    slot.n += 1;
                    slot.origin += per_lead;
                    tr.place(at as usize + t, 1);
                };
                // The `просрочено` test stays out of the per-lead loop: a tracked stage also
                // counts its leads per cell and tracks them cell by cell afterwards (the
                // tracking is additive, so the same counts as lead by lead).
                if tracked {
                    let counts = &mut w.counts[..cell_count];
                    cells.each(n, self.rng, |i| {
                        place_at(cell_at[i]);
                        counts[i] += 1;
                    });
                    for (x, &(_, delay)) in counts.iter_mut().zip(&st.cell_at) {
                        metrics::track(e, &mut w.m, s, entry as i64, t, delay, std::mem::take(x));
                    }
                } else {
                    cells.each_mapped(
                        n,
                        self.rng,
                        buckets,
                        |(at, _)| at == BOUNDARY.0,
                        |i| cell_at[i],
                        place_at,
                    );
                }
            }
            let c = &mut w.stage[s];
            c.time_n += n;
            c.time_sum += stay;
            if st.pmf.offset == 0 {
                for o in 0..st.live_outcomes {
                    let row = st.out_base as usize + o;
                    let slot = std::mem::take(&mut w.calendar[row * row_len + t]);
                    if slot.n > 0 {
                        tr.take_slot(row * row_len + t);
                        w.leave_today(row, slot.n, slot.origin, depth, t, row_len);
                        tr.leave_today(depth < MAX_DEPTH, row * row_len + t + 1, slot.n);
                    }
                }
            }
            return;
        }
        self.split_chain(s, entry, n, per_lead, depth);
    }

    /// [`Run::split`] as a call: for the leads of a stage without work, which split the day
    /// they enter (wherever they enter from).
    #[inline(never)]
    fn split_call(&mut self, s: usize, entry: usize, n: u64, origin: f64, depth: u32) {
        self.split(s, entry, n, origin, depth);
    }

    /// [`Run::split`] for a cohort past the lead-by-lead size, a wait longer than the decayed
    /// cells cover, or a stage whose leads leave at their `старт`: a chain of binomials,
    /// successes thinned by the wait. Out of line, so the common lead-by-lead split keeps a
    /// small frame.
    #[inline(never)]
    fn split_chain(&mut self, s: usize, entry: usize, n: u64, per_lead: f64, depth: u32) {
        let e = self.e;
        let st = &e.stages[s];
        let w = &mut *self.w;
        let tr = &mut *self.tr;
        let t = self.t;
        let wait = t - entry;
        let tracked = e.metrics.tracked(s);
        let mut stay = n * wait as u64;
        w.touched.clear();
        st.cells.split(n, self.rng, &mut w.counts, &mut w.touched);
        if st.decay > 0.0 && wait > 0 {
            let keep = (1.0 - st.decay).powi(wait.min(i32::MAX as usize) as i32);
            for j in 0..w.touched.len() {
                let i = w.touched[j] as usize;
                if !st.cell_success[i] {
                    continue;
                }
                let x = w.counts[i];
                let kept = thin(x, keep, self.rng);
                if kept < x {
                    w.counts[i] = kept;
                    let to = st.decay_lost * st.delays + i % st.delays;
                    if w.counts[to] == 0 {
                        w.touched.push(to as u32);
                    }
                    w.counts[to] += x - kept;
                }
            }
        }
        if tracked {
            for &i in &w.touched {
                let i = i as usize;
                let delay = Release::slot(st.release.as_ref(), st.cell_at[i], t).1;
                metrics::track(e, &mut w.m, s, entry as i64, t, delay, w.counts[i]);
            }
        }
        for j in 0..w.touched.len() {
            let i = w.touched[j] as usize;
            let x = std::mem::take(&mut w.counts[i]);
            if x == 0 {
                continue;
            }
            let (at, delay) = Release::slot(st.release.as_ref(), st.cell_at[i], t);
            let at = at as usize;
            stay += x * u64::from(delay);
            let origin = per_lead * real(x);
            if delay == 0 {
                w.leave_today(at / e.row_len, x, origin, depth, t, e.row_len);
                tr.leave_today(depth < MAX_DEPTH, at + t + 1, x);
            } else {
                let slot = &mut w.calendar[at + t];
                slot.n += x;
                slot.origin += origin;
                tr.place(at + t, x);
            }
        }
        let c = &mut w.stage[s];
        c.time_n += n;
        c.time_sum += stay;
    }

    /// Follows same-day moves (zero-day stages) until none is left.
    #[inline(always)]
    fn flush(&mut self) {
        if !self.w.pending.is_empty() {
            self.flush_pending();
        }
    }

    #[inline(never)]
    fn flush_pending(&mut self) {
        while let Some(p) = self.w.pending.pop() {
            self.tr.take_pending();
            self.leave(p.row as usize, p.n, p.origin, p.depth);
        }
    }

    /// `m` leads of calendar row `row` leave their stage today (a same-day move, in
    /// [`Run::flush_pending`]).
    #[inline(always)]
    fn leave(&mut self, row: usize, m: u64, origin: f64, depth: u32) {
        self.leave_with(row, self.e.exits[row], m, origin, depth);
    }

    /// [`Run::leave`] with the row's exit at hand: the day's walk over the calendar carries
    /// each live row's (`Engine::live_rows`). Inline there (most leaves) and in
    /// [`Run::flush_pending`]; a win, rarer and longer, is a call ([`Run::win`]).
    #[inline(always)]
    fn leave_with(&mut self, row: usize, exit: Exit, m: u64, origin: f64, depth: u32) {
        let s = exit.stage as usize;
        self.w.stage[s].in_stage -= m;
        // Converted or lost: counted by row, added up per stage when read (`Work::exits`).
        self.w.m.row_out[row] += m;
        match exit.dest {
            Dest::Won => self.win(exit.pipeline as usize, m, origin, depth),
            Dest::Lost => {
                self.w.x.ended_days += real(m * self.t as u64) - origin;
                self.w.x.ended_n += m;
                self.tr.end(self.t as i32, None, false)
            }
            Dest::Stage(next) => {
                if exit.hand_off {
                    self.w.x.pipe_handed[exit.pipeline as usize] += m;
                }
                self.enter_ranked(next, exit.next_rank, m, origin, depth);
            }
        }
    }

    /// `m` leads of `pipeline` that entered with `origin` are won today (out of a funnel).
    #[inline(never)]
    fn win(&mut self, pipeline: usize, m: u64, origin: f64, depth: u32) {
        self.w.x.pipe_won[pipeline] += m;
        let revenue = self.won(pipeline, m, false, None);
        self.tr.end(self.t as i32, Some(revenue / m as f64), false);
        if !self.e.pipelines[pipeline].account {
            self.w.new_clients += m;
            self.w.month_new[self.e.month_of_day[self.t]] += m;
        }
        self.count_cycles(m, real(m * self.t as u64) - origin);
        self.hand_on(pipeline, m, depth);
    }

    /// `после_выигрыша`: the `m` clients won today in `pipeline` also start a deal each where
    /// the pipeline hands them on (new deals: their cycle starts today).
    fn hand_on(&mut self, pipeline: usize, m: u64, depth: u32) {
        if let Some(next) = self.e.pipelines[pipeline].after_win {
            self.tr.created(m, self.t as i32, None);
            self.enter(next, m, real(m * self.t as u64), depth);
        }
    }

    /// `m` deals won today out of a funnel took `days` days in all from their leads (or, for an
    /// open deal, from entering its stage).
    fn count_cycles(&mut self, m: u64, days: f64) {
        let month = self.e.month_of_day[self.t];
        self.w.cycle_sum += days;
        self.w.cycle_n += m;
        self.w.x.ended_days += days;
        self.w.x.ended_n += m;
        self.w.x.month_cycle[month] += days;
        self.w.x.month_cycle_n[month] += m;
    }

    /// `m` deals close today in `pipeline`: revenue (drawn from the check size, or `fixed`
    /// when known), and the repeat purchases they lead to. Returns the revenue.
    fn won(&mut self, pipeline: usize, m: u64, repeat: bool, fixed: Option<f64>) -> f64 {
        let e = self.e;
        let p = &e.pipelines[pipeline];
        let month = e.month_of_day[self.t];
        if fixed.is_none() {
            self.tr.deals(pipeline, m);
        }
        let revenue = match fixed {
            Some(r) => r,
            // A trace records every deal's amount (the same draws as a sum).
            None if !repeat => {
                let tr = &mut *self.tr;
                p.amount.each(m, self.rng, |x| tr.amount(x))
            }
            None => {
                let (tr, day) = (&mut *self.tr, self.t as i32);
                p.amount.each(m, self.rng, |x| tr.repeat(day, pipeline, x))
            }
        };
        self.w.month_won[month] += m;
        self.w.month_revenue[month] += revenue;
        self.w.x.pipe_deals[pipeline] += m;
        self.w.x.pipe_revenue[pipeline] += revenue;
        if repeat {
            self.w.repeat_count += m;
        }
        // Cell 0: no repeat; cell `i > 0`: a repeat `repeat_offset + i - 1` days from today,
        // counted on that day's place in the pipeline's ring if it falls in the horizon.
        let w = &mut *self.w;
        let (t, days, ring) = (self.t, e.days, e.repeat_ring);
        let repeats = &mut w.repeats[pipeline * ring..(pipeline + 1) * ring];
        let mut book = |i: usize, x: u64| {
            let day = t + p.repeat_offset + i - 1;
            if day < days {
                repeats[day % ring] += x;
            }
        };
        if m <= p.repeat.small() {
            // Deal by deal, straight to the ring: the draws `Cells::split` makes for so few.
            p.repeat.each(m, self.rng, |i| {
                if i > 0 {
                    book(i, 1);
                }
            });
        } else {
            w.touched.clear();
            p.repeat.split(m, self.rng, &mut w.counts, &mut w.touched);
            for &i in &w.touched {
                let x = std::mem::take(&mut w.counts[i as usize]);
                if i > 0 {
                    book(i as usize, x);
                }
            }
        }
        revenue
    }

    /// How many of `n` leads of stage `s` can start today: a lead starts while each of its roles
    /// has minutes left today, even if its work needs more (the rest is owed by the next days;
    /// see [`Run::start_work`]) — so work longer than a day is done, and a role works exactly
    /// its capacity while work waits. A role with minutes for all `n` (⌈x⌉ ≥ m exactly when
    /// x > m − 1) needs no rounding, the common case while a stage has minutes to spare.
    #[inline(always)]
    fn fit(&self, s: usize, n: u64) -> u64 {
        self.fit_work(&self.e.stages[s].work, n)
    }

    /// [`Run::fit`] for a stage's work list.
    #[inline(always)]
    fn fit_work(&self, work: &[(usize, f64, f64)], n: u64) -> u64 {
        let mut fit = n;
        for &(r, _, per_minute) in work {
            if fit == 0 {
                break;
            }
            // ⌈remaining / minutes⌉, tolerant of rounding noise; a remainder ≤ 0 (owed
            // minutes) gives 0. As truncation and a compare: `f64::ceil` is a library call on
            // the baseline x86-64 target, and a signed conversion one instruction where an
            // unsigned one is several (a count past 2⁶³ saturates, beyond any cohort).
            let x = self.w.rem[r] * per_minute - 1e-9;
            if x > real(fit - 1) {
                continue;
            }
            fit = if x > 0.0 {
                let whole = x as i64;
                whole.saturating_add(i64::from((whole as f64) < x)) as u64
            } else {
                0
            };
        }
        fit
    }

    /// The work of `k` leads of stage `s` starts today: each role spends their minutes, today's
    /// as far as they go and the rest owed by the following days (paid first each morning in
    /// [`Run::serve`]); minutes count as used on the day they are worked.
    #[inline(always)]
    fn start_work(&mut self, s: usize, k: u64) {
        let e = self.e;
        let at = e.month_of_day[self.t] * e.capacity.len();
        self.start_work_in(&e.stages[s].work, k, at);
    }

    /// [`Run::start_work`] for a stage's work list, with today's month's first entry in
    /// [`Work::month_used`] (`at`).
    #[inline(always)]
    fn start_work_in(&mut self, work: &[(usize, f64, f64)], k: u64, at: usize) {
        let e = self.e;
        let w = &mut *self.w;
        let roles = e.capacity.len();
        // The role's vectors as local slices of one length: one check of a role's index, and
        // their addresses stay in registers across the stores.
        let rem = &mut w.rem[..roles];
        let used = &mut w.used[..roles];
        let month_used = &mut w.month_used[at..at + roles];
        for &(r, minutes, _) in work {
            let spent = minutes * real(k);
            let left = rem[r];
            let today = spent.min(left.max(0.0));
            rem[r] = left - spent;
            used[r] += today;
            month_used[r] += today;
            // No minutes left: nothing of this role's can start today (each stage would find
            // [`Run::fit`] 0 on its turn), so every stage it works is blocked at once.
            if rem[r] <= 0.0 {
                for (b, m) in w.blocked.iter_mut().zip(&e.role_stages[r]) {
                    *b |= m;
                }
            }
        }
    }

    /// Stage `s` gets no more of today's minutes.
    #[inline(always)]
    fn block(&mut self, s: usize) {
        self.block_rank(self.e.rank[s] as usize);
    }

    /// [`Run::block`] by the stage's serving rank.
    #[inline(always)]
    fn block_rank(&mut self, k: usize) {
        self.w.blocked[k / 64] |= 1 << (k % 64);
    }

    #[inline(always)]
    fn is_blocked(&self, s: usize) -> bool {
        let k = self.e.rank[s] as usize;
        self.w.blocked[k / 64] & (1 << (k % 64)) != 0
    }

    /// The queue of the stage of serving rank `k` is empty.
    #[inline(always)]
    fn unqueue_rank(&mut self, k: usize) {
        if let Some(word) = self.w.queued.get_mut(k / 64) {
            *word &= !(1 << (k % 64));
        }
    }

    /// Stage `s`'s queue is empty.
    #[inline(always)]
    fn unqueue(&mut self, s: usize) {
        self.unqueue_rank(self.e.rank[s] as usize);
    }

    /// The first stage in the serving order with a cohort waiting and minutes for it, and its
    /// serving rank.
    #[inline(always)]
    fn first_ready(&self) -> Option<(usize, usize)> {
        let w = &*self.w;
        w.queued
            .iter()
            .zip(&w.blocked)
            .enumerate()
            .find_map(|(i, (&q, &b))| {
                let ready = q & !b;
                (ready != 0).then(|| {
                    let k = i * 64 + ready.trailing_zeros() as usize;
                    (self.e.serve_order[k], k)
                })
            })
    }

    /// Hands today's capacity to the waiting work, stage by stage in the serving order; within
    /// a stage the waiting open deals first (in file order), then the oldest cohort first.
    fn serve(&mut self) {
        let e = self.e;
        let t = self.t;
        let month = e.month_of_day[t];
        let roles = e.capacity.len();
        for (r, cap) in e.capacity.iter().enumerate() {
            // Work started earlier beyond the minutes its day had left (a contact longer than
            // what remained) is owed: today's minutes pay it off before anything else.
            // The client base's work (triggers) comes first and is not carried over: what does
            // not fit a day is not done.
            let owed = (-self.w.rem[r]).max(0.0);
            let base = (cap[t] - e.client_work[r]).max(0.0);
            let paid = (cap[t] - base) + owed.min(base);
            self.w.rem[r] = base - owed;
            self.w.used[r] += paid;
            self.w.month_used[month * roles + r] += paid;
        }
        self.expire_open();
        self.w.blocked.fill(0);
        // Work that loops back the same day could be served without end when its minutes are
        // negligible; bound the passes per day (the rest waits for tomorrow).
        let mut passes = 64 * e.stages.len() + 1024;
        // Without open deals (the usual run) the search below never looks at them.
        let open = !self.w.open.is_empty();
        while passes > 0 {
            passes -= 1;
            // Same-day moves can fill a stage earlier in the order: start again from the top.
            let next = if open {
                e.serve_order
                    .iter()
                    .copied()
                    .find(|&s| {
                        !self.is_blocked(s) && (!self.w.queues[s].is_empty() || self.w.open_waiting[s] > 0)
                    })
                    .map(|s| (s, e.rank[s] as usize))
            } else {
                self.first_ready()
            };
            let Some((s, rank)) = next else {
                break;
            };
            // Open deals are the oldest work in their stage: they go before its cohorts.
            if open && self.w.open_waiting[s] > 0 {
                if !self.serve_open(s) {
                    self.block(s);
                }
                continue;
            }
            let front = *self.w.queues[s].front().expect("a stage was picked by its queue");
            let work = &e.stages[s].work;
            let k = self.fit_work(work, front.n);
            if k == 0 {
                self.block_rank(rank);
                continue;
            }
            self.start_work_in(work, k, month * roles);
            self.tr.serve(s, k, k == front.n);
            let origin = if k == front.n {
                self.w.queues[s].pop_front();
                if self.w.queues[s].is_empty() {
                    self.unqueue_rank(rank);
                }
                front.origin
            } else {
                let origin = front.origin * real(k) / real(front.n);
                let f = self.w.queues[s].front_mut().expect("front");
                f.n -= k;
                f.origin -= origin;
                self.block_rank(rank);
                origin
            };
            self.split(s, front.day, k, origin, 0);
            self.flush();
        }
    }

    fn day(&mut self) {
        let e = self.e;
        let t = self.t;
        let month = e.month_of_day[t];
        self.leave_open();
        // Leads whose stage time is over leave it.
        for &(row, exit) in &e.live_rows {
            let row = row as usize;
            let slot = std::mem::take(&mut self.w.calendar[row * e.row_len + t]);
            if slot.n > 0 {
                self.tr.take_slot(row * e.row_len + t);
                self.leave_with(row, exit, slot.n, slot.origin, 0);
                self.flush();
            }
        }
        // Repeat purchases due today.
        for p in 0..e.pipelines.len() {
            let i = p * e.repeat_ring + t % e.repeat_ring;
            let m = std::mem::take(&mut self.w.repeats[i]);
            if m > 0 {
                self.won(p, m, true, None);
            }
        }
        // New leads.
        for c in 0..e.arrivals.len() {
            let Some(poisson) = &e.arrivals[c][month] else {
                continue;
            };
            let n = poisson.sample(self.rng) as u64;
            self.w.channel_leads[c] += n;
            self.w.x.month_channel_leads[month * e.arrivals.len() + c] += n;
            self.w.month_leads[month] += n;
            self.w.x.month_lead_cost[month] += real(n) * e.channel_cost[c];
            if let Some(s) = e.channel_entry[c] {
                self.tr.created(n, t as i32, Some(c));
                self.enter(s, n, real(n * t as u64), 0);
                self.flush();
            }
        }
        // Leads that waited too long go cold.
        for s in 0..e.stages.len() {
            let Some(limit) = e.stages[s].wait_limit else {
                continue;
            };
            while let Some(&c) = self.w.queues[s].front() {
                if t - c.day <= limit {
                    break;
                }
                self.w.queues[s].pop_front();
                if self.w.queues[s].is_empty() {
                    self.unqueue(s);
                }
                self.tr.serve(s, c.n, true);
                self.tr.end(t as i32, None, true);
                self.w.cold[s] += c.n;
                self.w.x.month_cold[month] += c.n;
                self.w.x.ended_days += real(c.n * t as u64) - c.origin;
                self.w.x.ended_n += c.n;
                self.w.lost[s] += c.n;
                self.w.stage[s].in_stage -= c.n;
                self.w.stage[s].time_sum += c.n * (t - c.day) as u64;
                self.w.stage[s].time_n += c.n;
            }
        }
        self.serve();
        for c in &mut self.w.stage {
            c.wip += c.in_stage;
        }
        if e.month_of_day.get(t + 1) != Some(&month) {
            // The month's last working day: what each role leaves waiting.
            let roles = e.capacity.len();
            for r in 0..roles {
                self.w.x.month_backlog[month * roles + r] = self.w.backlog(e, r);
            }
            if e.metrics.on {
                self.month_metrics(month);
            }
        }
    }
}

impl Engine {
    /// Runs one replication and writes its scalars into `out` (laid out by [`Layout`]).
    pub fn replicate<R: Rng>(&self, w: &mut Work, rng: &mut R, out: &mut [f32]) {
        self.walk(w, rng, out, &mut NoTrace);
    }

    /// [`Engine::replicate`] with every lead's path recorded in `trace` (the same draws, so the
    /// same replication). Today's open deals and repeat purchases are not traced.
    pub fn replicate_traced<R: Rng>(
        &self,
        w: &mut Work,
        rng: &mut R,
        out: &mut [f32],
        trace: &mut trace::Trace,
    ) {
        *trace = trace::Trace::new(
            self.stages.len(),
            self.layout.stages,
            self.rows.len() * self.row_len,
        );
        self.walk(w, rng, out, trace);
    }

    fn walk<R: Rng, T: Tracer>(&self, w: &mut Work, rng: &mut R, out: &mut [f32], tr: &mut T) {
        w.reset(self);
        let mut run = Run {
            e: self,
            w,
            rng,
            tr,
            t: 0,
        };
        run.seed_open();
        run.seed_stock();
        for t in 0..self.days {
            run.t = t;
            run.day();
        }
        let w = run.w;
        let l = &self.layout;
        let nan = f64::NAN;
        let mut put = |i: usize, v: f64| out[i] = v as f32;

        let revenue: f64 = w.month_revenue.iter().sum();
        let won = w.month_won.iter().sum::<u64>() as f64;
        let leads = w.channel_leads.iter().sum::<u64>() as f64;
        let lead_cost: f64 = w
            .channel_leads
            .iter()
            .zip(&self.channel_cost)
            .map(|(&n, c)| n as f64 * c)
            .sum();
        let bonus = match self.bonus.flat() {
            Some(share) => share * revenue,
            None => (0..self.months)
                .map(|m| self.bonus.cost(w.month_revenue[m], self.fulfilment(w, m)))
                .sum(),
        };
        let mut cost = lead_cost + self.salaries.iter().sum::<f64>() + bonus;
        let month_actual = |m: usize, kind: PlanKind| match kind {
            PlanKind::Revenue => w.month_revenue[m],
            PlanKind::Deals => w.month_won[m] as f64,
            PlanKind::NewClients => w.month_new[m] as f64,
        };
        let mut month_met = vec![nan; self.months];
        let mut plan_met = nan;
        if let Some((kind, target)) = &self.plan {
            let mut total = 0.0;
            for m in 0..self.months {
                let actual = month_actual(m, *kind);
                total += actual;
                let met = actual >= target[m];
                month_met[m] = f64::from(u8::from(met));
                if met {
                    cost += self.plan_bonus[m];
                }
            }
            plan_met = f64::from(u8::from(total >= target.iter().sum::<f64>()));
        }
        // Every win through a funnel (account pipelines too) closes a cycle; repeats do not.
        let cycle = if w.cycle_n > 0 {
            w.cycle_sum / w.cycle_n as f64
        } else {
            nan
        };
        put(slot::LEADS, leads);
        put(slot::WON, won);
        put(slot::REVENUE, revenue);
        put(slot::NEW_CLIENTS, w.new_clients as f64);
        put(slot::REPEAT, w.repeat_count as f64);
        put(slot::CYCLE, cycle);
        put(slot::COLD, w.cold.iter().sum::<u64>() as f64);
        put(slot::COST, cost);
        put(slot::PROFIT, revenue - cost);
        put(
            slot::CAC,
            if w.new_clients > 0 {
                cost / w.new_clients as f64
            } else {
                nan
            },
        );
        put(slot::ROI, if cost > 0.0 { (revenue - cost) / cost } else { nan });
        put(slot::PLAN_MET, plan_met);
        for (c, n) in w.channel_leads.iter().enumerate() {
            put(l.channel(c), *n as f64);
        }
        let days = self.days as f64;
        for s in 0..l.stages {
            put(l.stage(s, 0), w.stage[s].entered as f64);
            let (converted, lost) = w.exits(self, s);
            put(l.stage(s, 1), converted as f64);
            put(l.stage(s, 2), lost as f64);
            put(l.stage(s, 3), w.cold[s] as f64);
            put(l.stage(s, 4), w.stage[s].wip as f64 / days);
            put(
                l.stage(s, 5),
                if w.stage[s].time_n > 0 {
                    w.stage[s].time_sum as f64 / w.stage[s].time_n as f64
                } else {
                    nan
                },
            );
        }
        for r in 0..l.roles {
            put(
                l.role(r, 0),
                if self.avail[r] > 0.0 {
                    w.used[r] / self.avail[r]
                } else {
                    nan
                },
            );
            put(l.role(r, 1), w.backlog(self, r) as f64);
        }
        for m in 0..l.months {
            for r in 0..l.roles {
                let i = m * l.roles + r;
                let u = if self.month_avail[i] > 0.0 {
                    w.month_used[i] / self.month_avail[i]
                } else {
                    nan
                };
                put(l.month_role(m, r), u);
            }
        }
        for (m, &met) in month_met.iter().enumerate() {
            put(l.month(m, 0), w.month_won[m] as f64);
            put(l.month(m, 1), w.month_revenue[m]);
            put(l.month(m, 2), w.month_leads[m] as f64);
            put(l.month(m, 3), met);
        }
        self.write_extra(w, &month_met, out);
        self.write_metrics(w, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use std::path::Path;

    /// Leads served after waiting `w` days keep a success with probability (1 − decay)^w on
    /// each way a cohort can go: drawn lead by lead from the stage's decayed cells (a short
    /// wait), split as a chain of binomials and then thinned (a large cohort), or drawn lead by
    /// lead and then thinned (a wait longer than the decayed cells cover).
    #[test]
    fn decay_thins_successes_on_every_path() {
        let text = "положение \"Т\" { валюта ₽; горизонт 12 мес }\n\
            роль М { штат 1; рабочий_день 8 ч; доля_продаж 70% }\n\
            канал С { лиды 10 в мес; воронка П }\n\
            воронка П {\n\
              этап A { ответственный М; конверсия 60%; длительность 1..3 дн; ожидание 40 дн; затухание 10% в день\n\
                цепочка { звонок \"Звонок\" 10 мин } }\n\
            }\n";
        let model = crate::compile_str(Path::new("t.sales"), text)
            .model
            .expect("a model");
        let e = Engine::sharing(&Params::from_model(&model, None), None);
        let st = &e.stages[0];
        let mut w = Work::new(&e);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for (wait, cohort) in [(3usize, 5u64), (3, 5_000), (40, 5)] {
            w.calendar.fill(Slot::default());
            let total = 200_000u64;
            let mut run = Run {
                e: &e,
                w: &mut w,
                rng: &mut rng,
                tr: &mut NoTrace,
                t: wait,
            };
            for _ in 0..total / cohort {
                run.split(0, 0, cohort, 0.0, 0);
            }
            let (mut won, mut decayed, mut all) = (0u64, 0u64, 0u64);
            for (i, slot) in w.calendar.iter().enumerate() {
                let (_, o) = e.rows[i / e.row_len];
                all += slot.n;
                if st.outcomes[o as usize].success {
                    won += slot.n;
                } else if o as usize == st.decay_lost {
                    decayed += slot.n;
                }
            }
            assert_eq!(all, total, "wait {wait}, cohorts of {cohort}: every lead placed");
            let p = 0.6 * 0.9f64.powi(wait as i32);
            let se = (p * (1.0 - p) / total as f64).sqrt();
            let share = won as f64 / total as f64;
            assert!(
                (share - p).abs() < 4.0 * se,
                "wait {wait}, cohorts of {cohort}: {share} won, expected {p} ± {se}"
            );
            let lost = decayed as f64 / total as f64;
            assert!((lost - (0.6 - p)).abs() < 4.0 * se.max(1e-3), "decayed {lost}");
        }
    }

    /// Engines that share their decayed cells replicate exactly as engines that build their
    /// own; a variant that changes one decaying stage shares the other's cells and builds its
    /// own for that stage.
    #[test]
    fn shared_decayed_cells_change_no_draw() {
        let text = |conversion: u32| {
            format!(
                "положение \"Т\" {{ валюта ₽; горизонт 6 мес }}\n\
                 роль М {{ штат 1; рабочий_день 8 ч; доля_продаж 70% }}\n\
                 канал С {{ лиды 400 в мес; воронка П }}\n\
                 воронка П {{\n\
                   этап A {{ ответственный М; конверсия {conversion}%; длительность 1..9 дн; ожидание 20 дн; затухание 5% в день\n\
                     цепочка {{ звонок \"Звонок\" 10 мин }} }}\n\
                   этап B {{ ответственный М; конверсия 50%; длительность 2..30 дн; ожидание 10 дн; затухание 2% в день\n\
                     цепочка {{ звонок \"Звонок\" 20 мин }} }}\n\
                 }}\n"
            )
        };
        let params = |conversion: u32| {
            let model = crate::compile_str(Path::new("t.sales"), &text(conversion))
                .model
                .expect("a model");
            Params::from_model(&model, None)
        };
        let replicate = |e: &Engine| {
            let mut w = Work::new(e);
            (0..5u64)
                .flat_map(|i| {
                    let mut rng = ChaCha8Rng::seed_from_u64(3);
                    rng.set_stream(i);
                    let mut out = vec![0f32; e.layout.len()];
                    e.replicate(&mut w, &mut rng, &mut out);
                    out.into_iter().map(f32::to_bits)
                })
                .collect::<Vec<u32>>()
        };
        let shared = SharedCells::default();
        let base = Engine::sharing(&params(60), Some(&shared));
        assert_eq!(shared.len(), 2, "one entry per decaying stage");
        let same = Engine::sharing(&params(60), Some(&shared));
        let variant = Engine::sharing(&params(66), Some(&shared));
        assert_eq!(shared.len(), 3, "the variant's stage A is its own, B is shared");
        assert!(Arc::ptr_eq(&base.stages[1].decayed, &variant.stages[1].decayed));
        assert!(!Arc::ptr_eq(&base.stages[0].decayed, &variant.stages[0].decayed));
        assert_eq!(replicate(&base), replicate(&Engine::sharing(&params(60), None)));
        assert_eq!(replicate(&same), replicate(&base));
        assert_eq!(
            replicate(&variant),
            replicate(&Engine::sharing(&params(66), None))
        );
        assert_ne!(
            replicate(&variant),
            replicate(&base),
            "the variant draws its own cells"
        );
    }

    /// The layout computed without an engine is the engine's, on every example and every test
    /// regulation that compiles (segments, transit stages, KPIs with metrics, scheduled starts).
    #[test]
    fn the_layout_without_an_engine_is_the_engines() {
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        let mut dirs = vec![
            std::path::PathBuf::from("examples"),
            std::path::PathBuf::from("tests"),
        ];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("a directory").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|x| x == "sales") {
                    files.push(path);
                }
            }
        }
        let mut checked = 0;
        for path in &files {
            let Some(model) = crate::compile(path).model else {
                continue;
            };
            for months in [None, Some(3)] {
                let params = Params::from_model(&model, months);
                let engine = Engine::sharing(&params, None);
                let layout = Layout::for_params(&params);
                assert_eq!(layout.len(), engine.layout.len(), "{}", path.display());
                assert_eq!(
                    format!("{layout:?}"),
                    format!("{:?}", engine.layout),
                    "{}",
                    path.display()
                );
            }
            checked += 1;
        }
        assert!(checked >= 50, "only {checked} regulations compiled");
    }
}
