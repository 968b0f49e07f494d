//! One replication: a day-by-day walk over working days in which leads move as *cohorts*
//! (all leads in one stage that entered on one day), so the cost of a day does not grow with
//! the number of leads. See "Simulation engine" in docs/architecture.md.

use super::dist::{Amount, DayPmf, day_pmf};
use super::params::{Dest, Outcome, Params, PlanKind};
use rand::Rng;
use rand_distr::{Binomial, Distribution, Poisson};
use std::collections::VecDeque;

/// Same-day moves through zero-duration stages followed before the rest waits a day.
const MAX_DEPTH: u32 = 16;

pub mod extra;
mod open;

pub use extra::{MonthField, PipelineField};
pub use open::Seed;

/// Where each per-replication scalar lives in a record.
#[derive(Debug, Clone)]
pub struct Layout {
    pub channels: usize,
    pub stages: usize,
    pub roles: usize,
    pub months: usize,
    pub pipelines: usize,
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
    pub fn len(&self) -> usize {
        slot::GLOBAL
            + self.channels
            + self.stages * slot::PER_STAGE
            + self.roles * slot::PER_ROLE
            + self.months * slot::PER_MONTH
            + self.months * self.roles
            + extra::width(self)
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
    work: Vec<(usize, f64)>,
    outcomes: Vec<Outcome>,
    /// Index of the outcome used for leads whose conversion decayed away.
    decay_lost: usize,
    /// P(outcome k | not an earlier outcome), for a chain of binomial draws.
    cond_outcome: Vec<f64>,
    pmf: DayPmf,
    cond_delay: Vec<f64>,
    /// Cumulative probabilities over the cells `outcome * pmf.len() + delay`, scaled to
    /// 2⁶⁴, for small cohorts split lead by lead (inverse transform from one random word).
    joint: Vec<u64>,
    /// `guide[g]` = the first cell that a word starting with bits `g` can land in, so the
    /// search is a step or two (a guide table for inversion).
    guide: Vec<u32>,
    guide_shift: u32,
    small: u64,
    wait_limit: Option<usize>,
    decay: f64,
    pipeline: usize,
    /// First calendar row of this stage's outcomes.
    out_base: usize,
}

struct Pipeline {
    account: bool,
    amount: Amount,
    repeat: f64,
    repeat_pmf: DayPmf,
    repeat_cond: Vec<f64>,
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
    stages: Vec<Stage>,
    ring: usize,
    outcome_rows: usize,
    pipelines: Vec<Pipeline>,
    repeat_ring: usize,
    salaries: Vec<f64>,
    bonus_share: f64,
    plan_bonus: Vec<f64>,
    plan: Option<(PlanKind, Vec<f64>)>,
    /// Today's open deals every replication starts with (`--open-deals`).
    open: Vec<open::Seed>,
}

fn conditional(p: &[f64]) -> Vec<f64> {
    let mut tail: f64 = p.iter().sum();
    p.iter()
        .enumerate()
        .map(|(i, &x)| {
            let c = if i + 1 == p.len() || tail <= 0.0 {
                1.0
            } else {
                (x / tail).clamp(0.0, 1.0)
            };
            tail -= x;
            c
        })
        .collect()
}

/// Cumulative weights scaled to 2⁶⁴ (the last non-empty cell ends at `u64::MAX`), trimmed
/// after the last non-empty cell; empty when there is no mass.
fn cumulative(weights: &[f64]) -> Vec<u64> {
    let total: f64 = weights.iter().sum();
    let Some(last) = weights.iter().rposition(|&w| w > 0.0) else {
        return Vec::new();
    };
    if total.is_nan() || total <= 0.0 {
        return Vec::new();
    }
    let mut acc = 0.0;
    let mut out: Vec<u64> = weights[..=last]
        .iter()
        .map(|&w| {
            acc += w / total;
            // 2⁶⁴ as f64; the cast saturates.
            (acc * 18_446_744_073_709_551_616.0) as u64
        })
        .collect();
    out[last] = u64::MAX;
    out
}

/// Years of attrition at `months` into the horizon, as a surviving share.
fn surviving(attrition: f64, months: f64) -> f64 {
    if attrition >= 1.0 {
        0.0
    } else {
        (1.0 - attrition).powf(months / 12.0)
    }
}

impl Engine {
    pub fn new(p: &Params) -> Engine {
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
        let arrivals = p
            .channels
            .iter()
            .map(|c| {
                (0..months)
                    .map(|m| {
                        let season = c.seasonality[(p.start_month as usize - 1 + m) % 12];
                        let per_day = c.leads_per_month * season / month_days[m].max(1) as f64;
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
        let capacity = p
            .roles
            .iter()
            .map(|r| {
                (0..days)
                    .map(|t| {
                        let at = (t as f64 + 0.5) / wdm;
                        heads(r, at, true) * r.work_day_hours * 60.0 * r.selling_share
                    })
                    .collect()
            })
            .collect();
        let salaries = (0..months)
            .map(|m| {
                p.roles
                    .iter()
                    .map(|r| r.salary * heads(r, m as f64 + 0.5, false))
                    .sum()
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
        let bonus_share = p.roles.iter().map(|r| r.bonus_revenue_share).sum();

        let mut out_base = 0;
        let stages: Vec<Stage> = p
            .stages
            .iter()
            .map(|s| {
                let mut outcomes = s.outcomes.clone();
                let decay_lost = outcomes.len();
                outcomes.push(Outcome {
                    dest: Dest::Lost,
                    probability: 0.0,
                    success: false,
                });
                let probs: Vec<f64> = outcomes.iter().map(|o| o.probability).collect();
                let pmf = day_pmf(&s.duration, days);
                let weights: Vec<f64> = probs
                    .iter()
                    .flat_map(|&po| pmf.probs.iter().map(move |&pd| po * pd))
                    .collect();
                let joint = cumulative(&weights);
                // Eight guide entries per cell: the search after the guide is almost always
                // zero or one step (measured ≈ 10% faster on the benchmark than two per cell;
                // the draws are the same, only the search is shorter).
                let bits = (joint.len().max(1).next_power_of_two().trailing_zeros() + 3).min(16);
                let guide_shift = 64 - bits;
                let guide = (0..1u64 << bits)
                    .map(|g| joint.partition_point(|&c| c <= g << guide_shift) as u32)
                    .collect();
                // Lead by lead costs a random word each; a chain of binomials costs about
                // ten times that per non-empty cell: split lead by lead below that point.
                let cells = weights.iter().filter(|&&w| w > 0.0).count();
                let small = (8 * cells).clamp(16, 4096) as u64;
                let st = Stage {
                    work: s.work.iter().copied().filter(|(_, w)| *w > 0.0).collect(),
                    decay_lost,
                    cond_outcome: conditional(&probs),
                    cond_delay: conditional(&pmf.probs),
                    joint,
                    guide,
                    guide_shift,
                    small,
                    wait_limit: s.wait_limit_days.map(|d| d.floor().min(days as f64) as usize),
                    decay: s.decay_per_day,
                    pipeline: s.pipeline_index,
                    out_base,
                    outcomes,
                    pmf,
                };
                out_base += st.outcomes.len();
                st
            })
            .collect();
        let ring = (stages.iter().map(|s| s.pmf.max_delay()).max().unwrap_or(0) + 2).next_power_of_two();
        let pipelines: Vec<Pipeline> = p
            .pipelines
            .iter()
            .map(|pl| {
                let mut repeat_pmf = day_pmf(&pl.repeat_after, days);
                if repeat_pmf.offset == 0 {
                    // A repeat purchase comes a day later at the earliest.
                    let first = repeat_pmf.probs.remove(0);
                    if repeat_pmf.probs.is_empty() {
                        repeat_pmf.probs.push(0.0);
                    }
                    repeat_pmf.probs[0] += first;
                    repeat_pmf.offset = 1;
                }
                Pipeline {
                    account: pl.account,
                    amount: Amount::new(pl.deal_size.as_ref()),
                    repeat: pl.repeat_probability,
                    repeat_cond: conditional(&repeat_pmf.probs),
                    repeat_pmf,
                }
            })
            .collect();
        let repeat_ring = pipelines
            .iter()
            .map(|p| p.repeat_pmf.max_delay())
            .max()
            .unwrap_or(0)
            + 1;
        Engine {
            layout: Layout {
                channels: p.channels.len(),
                stages: p.stages.len(),
                roles: p.roles.len(),
                months,
                pipelines: p.pipelines.len(),
            },
            open: Vec::new(),
            days,
            months,
            month_of_day,
            arrivals,
            channel_entry: p.channels.iter().map(|c| c.entry).collect(),
            channel_cost: p.channels.iter().map(|c| c.lead_cost).collect(),
            capacity,
            ring,
            outcome_rows: out_base,
            stages,
            pipelines,
            repeat_ring,
            salaries,
            bonus_share,
            plan_bonus,
            plan: p.plan.as_ref().map(|pl| (pl.kind, pl.per_month.clone())),
        }
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

#[derive(Debug, Clone, Copy)]
struct Pending {
    stage: usize,
    outcome: usize,
    n: u64,
    origin: f64,
    depth: u32,
}

/// Per-replication state, reused between replications on one thread.
pub struct Work {
    queues: Vec<VecDeque<Cohort>>,
    cal_n: Vec<u64>,
    cal_o: Vec<f64>,
    in_stage: Vec<u64>,
    repeats: Vec<u64>,
    rem: Vec<f64>,
    used: Vec<f64>,
    avail: Vec<f64>,
    /// Per month × role (month-major).
    month_used: Vec<f64>,
    month_avail: Vec<f64>,
    blocked: Vec<bool>,
    /// Scratch counts over a stage's (outcome, delay) cells.
    cells: Vec<u64>,
    touched: Vec<usize>,
    /// Leads leaving a stage the day they were placed, waiting to be moved on.
    pending: Vec<Pending>,
    // Accumulators.
    entered: Vec<f64>,
    converted: Vec<f64>,
    lost: Vec<f64>,
    cold: Vec<f64>,
    wip: Vec<f64>,
    time_sum: Vec<f64>,
    time_n: Vec<f64>,
    channel_leads: Vec<f64>,
    month_won: Vec<f64>,
    month_revenue: Vec<f64>,
    month_leads: Vec<f64>,
    month_new: Vec<f64>,
    new_clients: f64,
    repeat_count: f64,
    cycle_sum: f64,
    /// What the KPIs and the monthly money need beyond the totals.
    x: extra::Counts,
    /// Today's open deals, one by one.
    open: Vec<open::Deal>,
}

impl Work {
    pub fn new(e: &Engine) -> Work {
        let s = e.stages.len();
        let r = e.capacity.len();
        let m = e.months;
        Work {
            queues: vec![VecDeque::new(); s],
            cal_n: vec![0; e.outcome_rows * e.ring],
            cal_o: vec![0.0; e.outcome_rows * e.ring],
            in_stage: vec![0; s],
            repeats: vec![0; e.pipelines.len() * e.repeat_ring],
            rem: vec![0.0; r],
            used: vec![0.0; r],
            avail: vec![0.0; r],
            month_used: vec![0.0; r * m],
            month_avail: vec![0.0; r * m],
            blocked: vec![false; s],
            cells: vec![
                0;
                e.stages
                    .iter()
                    .map(|st| st.outcomes.len() * st.pmf.probs.len())
                    .max()
                    .unwrap_or(0)
            ],
            touched: Vec::new(),
            pending: Vec::new(),
            entered: vec![0.0; s],
            converted: vec![0.0; s],
            lost: vec![0.0; s],
            cold: vec![0.0; s],
            wip: vec![0.0; s],
            time_sum: vec![0.0; s],
            time_n: vec![0.0; s],
            channel_leads: vec![0.0; e.channel_entry.len()],
            month_won: vec![0.0; m],
            month_revenue: vec![0.0; m],
            month_leads: vec![0.0; m],
            month_new: vec![0.0; m],
            new_clients: 0.0,
            repeat_count: 0.0,
            cycle_sum: 0.0,
            x: extra::Counts::new(e),
            open: Vec::new(),
        }
    }

    fn reset(&mut self) {
        self.pending.clear();
        self.queues.iter_mut().for_each(VecDeque::clear);
        for v in [&mut self.cal_n, &mut self.in_stage, &mut self.repeats] {
            v.fill(0);
        }
        for v in [
            &mut self.cal_o,
            &mut self.used,
            &mut self.avail,
            &mut self.month_used,
            &mut self.month_avail,
            &mut self.entered,
            &mut self.converted,
            &mut self.lost,
            &mut self.cold,
            &mut self.wip,
            &mut self.time_sum,
            &mut self.time_n,
            &mut self.channel_leads,
            &mut self.month_won,
            &mut self.month_revenue,
            &mut self.month_leads,
            &mut self.month_new,
        ] {
            v.fill(0.0);
        }
        self.new_clients = 0.0;
        self.repeat_count = 0.0;
        self.cycle_sum = 0.0;
        self.x.reset();
        self.open.clear();
    }
}

fn binomial<R: Rng>(n: u64, p: f64, rng: &mut R) -> u64 {
    if n == 0 || p <= 0.0 {
        0
    } else if p >= 1.0 {
        n
    } else {
        Binomial::new(n, p).map_or(0, |b| b.sample(rng))
    }
}

/// One replication's walk, borrowing the engine, the state and the stream.
struct Run<'a, R: Rng> {
    e: &'a Engine,
    w: &'a mut Work,
    rng: &'a mut R,
    t: usize,
}

impl<R: Rng> Run<'_, R> {
    fn enter(&mut self, s: usize, n: u64, origin: f64, depth: u32) {
        if n == 0 {
            return;
        }
        let t = self.t;
        self.w.entered[s] += n as f64;
        self.w.in_stage[s] += n;
        if self.e.stages[s].work.is_empty() {
            self.split(s, t, n, origin, depth);
        } else {
            let q = &mut self.w.queues[s];
            match q.back_mut() {
                Some(c) if c.day == t => {
                    c.n += n;
                    c.origin += origin;
                }
                _ => q.push_back(Cohort { day: t, n, origin }),
            }
        }
    }

    /// Work on `n` leads that entered on day `entry` starts today: each draws its outcome and
    /// the days the client takes, and is scheduled to leave the stage then.
    fn split(&mut self, s: usize, entry: usize, n: u64, origin: f64, depth: u32) {
        let e = self.e;
        let st = &e.stages[s];
        let wait = self.t - entry;
        let keep = if st.decay > 0.0 && wait > 0 {
            (1.0 - st.decay).powi(wait as i32)
        } else {
            1.0
        };
        let per_lead = origin / n as f64;
        self.w.time_sum[s] += (n * wait as u64) as f64;
        self.w.time_n[s] += n as f64;
        let k = st.pmf.probs.len();
        if n <= st.small && !st.joint.is_empty() {
            let joint = &st.joint;
            // Lead by lead into (outcome, delay) cells, then one move per non-empty cell.
            let last = joint.len() - 1;
            let (cells, touched) = (&mut self.w.cells, &mut self.w.touched);
            touched.clear();
            for _ in 0..n {
                let x = self.rng.next_u64();
                let mut i = (st.guide[(x >> st.guide_shift) as usize] as usize).min(last);
                while i < last && joint[i] <= x {
                    i += 1;
                }
                if cells[i] == 0 {
                    touched.push(i);
                }
                cells[i] += 1;
            }
            for j in 0..self.w.touched.len() {
                let i = self.w.touched[j];
                let x = std::mem::take(&mut self.w.cells[i]);
                self.place(s, i / k, i % k, x, keep, per_lead, depth);
            }
            return;
        }
        let mut rest = n;
        for o in 0..st.outcomes.len() {
            if rest == 0 {
                break;
            }
            let m = binomial(rest, st.cond_outcome[o], self.rng);
            rest -= m;
            let mut left = m;
            for d in 0..k {
                if left == 0 {
                    break;
                }
                let x = binomial(left, st.cond_delay[d], self.rng);
                left -= x;
                if x > 0 {
                    self.place(s, o, d, x, keep, per_lead, depth);
                }
            }
        }
    }

    /// Moves `x` leads to outcome `o` after delay cell `d`, turning successes that decayed
    /// with the wait into losses.
    #[allow(clippy::too_many_arguments)]
    fn place(&mut self, s: usize, o: usize, d: usize, x: u64, keep: f64, per_lead: f64, depth: u32) {
        let st = &self.e.stages[s];
        if keep < 1.0 && st.outcomes[o].success {
            let kept = binomial(x, keep, self.rng);
            let lost = st.decay_lost;
            self.schedule(s, o, d, kept, per_lead, depth);
            self.schedule(s, lost, d, x - kept, per_lead, depth);
        } else {
            self.schedule(s, o, d, x, per_lead, depth);
        }
    }

    fn schedule(&mut self, s: usize, o: usize, d: usize, m: u64, per_lead: f64, depth: u32) {
        if m == 0 {
            return;
        }
        let e = self.e;
        let st = &e.stages[s];
        let delay = st.pmf.offset + d;
        self.w.time_sum[s] += (m * delay as u64) as f64;
        let origin = per_lead * m as f64;
        if delay == 0 && depth < MAX_DEPTH {
            self.w.pending.push(Pending {
                stage: s,
                outcome: o,
                n: m,
                origin,
                depth: depth + 1,
            });
        } else {
            let slot = (st.out_base + o) * e.ring + ((self.t + delay.max(1)) & (e.ring - 1));
            self.w.cal_n[slot] += m;
            self.w.cal_o[slot] += origin;
        }
    }

    /// Follows same-day moves (zero-day stages) until none is left.
    fn flush(&mut self) {
        while let Some(p) = self.w.pending.pop() {
            self.leave(p.stage, p.outcome, p.n, p.origin, p.depth);
        }
    }

    fn leave(&mut self, s: usize, o: usize, m: u64, origin: f64, depth: u32) {
        let st = &self.e.stages[s];
        let outcome = st.outcomes[o];
        self.w.in_stage[s] -= m;
        if outcome.success {
            self.w.converted[s] += m as f64;
        } else {
            self.w.lost[s] += m as f64;
        }
        match outcome.dest {
            Dest::Won => {
                let pipeline = st.pipeline;
                self.w.x.pipe_won[pipeline] += m as f64;
                self.won(pipeline, m, false, None);
                if !self.e.pipelines[pipeline].account {
                    self.w.new_clients += m as f64;
                    self.w.month_new[self.e.month_of_day[self.t]] += m as f64;
                }
                self.w.cycle_sum += (m * self.t as u64) as f64 - origin;
            }
            Dest::Lost => {}
            Dest::Stage(next) => {
                if self.e.stages[next].pipeline != st.pipeline {
                    self.w.x.pipe_handed[st.pipeline] += m as f64;
                }
                self.enter(next, m, origin, depth);
            }
        }
    }

    /// `m` deals close today in `pipeline`: revenue (drawn from the check size, or `fixed`
    /// when known), and the repeat purchases they lead to. Returns the revenue.
    fn won(&mut self, pipeline: usize, m: u64, repeat: bool, fixed: Option<f64>) -> f64 {
        let e = self.e;
        let p = &e.pipelines[pipeline];
        let month = e.month_of_day[self.t];
        let revenue = fixed.unwrap_or_else(|| p.amount.sum(m, self.rng));
        self.w.month_won[month] += m as f64;
        self.w.month_revenue[month] += revenue;
        self.w.x.pipe_deals[pipeline] += m as f64;
        self.w.x.pipe_revenue[pipeline] += revenue;
        if repeat {
            self.w.repeat_count += m as f64;
        }
        let mut left = binomial(m, p.repeat, self.rng);
        for (d, &c) in p.repeat_cond.iter().enumerate() {
            if left == 0 {
                break;
            }
            let x = binomial(left, c, self.rng);
            left -= x;
            let day = self.t + p.repeat_pmf.offset + d;
            if x > 0 && day < e.days {
                self.w.repeats[pipeline * e.repeat_ring + day % e.repeat_ring] += x;
            }
        }
        revenue
    }

    /// Hands today's capacity to the oldest waiting work first, across all stages.
    fn serve(&mut self) {
        let e = self.e;
        let t = self.t;
        let month = e.month_of_day[t];
        let roles = e.capacity.len();
        for (r, cap) in e.capacity.iter().enumerate() {
            self.w.rem[r] = cap[t];
            self.w.avail[r] += cap[t];
            self.w.month_avail[month * roles + r] += cap[t];
        }
        self.serve_open();
        self.w.blocked.fill(false);
        // Work that loops back the same day could be served without end when its minutes are
        // negligible; bound the passes per day (the rest waits for tomorrow).
        let mut passes = 64 * e.stages.len() + 1024;
        loop {
            if passes == 0 {
                break;
            }
            passes -= 1;
            let mut best: Option<(usize, usize)> = None;
            for (s, q) in self.w.queues.iter().enumerate() {
                if let Some(front) = q.front()
                    && !self.w.blocked[s]
                    && best.is_none_or(|(day, _)| front.day < day)
                {
                    best = Some((front.day, s));
                }
            }
            let Some((_, s)) = best else { break };
            let st = &e.stages[s];
            let mut fit = u64::MAX;
            for &(r, minutes) in &st.work {
                fit = fit.min((self.w.rem[r] / minutes + 1e-9).floor().max(0.0) as u64);
            }
            let front = *self.w.queues[s].front().expect("a stage was picked by its front");
            let k = front.n.min(fit);
            if k == 0 {
                self.w.blocked[s] = true;
                continue;
            }
            for &(r, minutes) in &st.work {
                self.w.rem[r] -= minutes * k as f64;
                self.w.used[r] += minutes * k as f64;
                self.w.month_used[month * roles + r] += minutes * k as f64;
            }
            let origin = front.origin * k as f64 / front.n as f64;
            if k == front.n {
                self.w.queues[s].pop_front();
            } else {
                let f = self.w.queues[s].front_mut().expect("front");
                f.n -= k;
                f.origin -= origin;
                self.w.blocked[s] = true;
            }
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
        let slot = t & (e.ring - 1);
        for s in 0..e.stages.len() {
            let st = &e.stages[s];
            for o in 0..st.outcomes.len() {
                let i = (st.out_base + o) * e.ring + slot;
                let m = std::mem::take(&mut self.w.cal_n[i]);
                let origin = std::mem::take(&mut self.w.cal_o[i]);
                if m > 0 {
                    self.leave(s, o, m, origin, 0);
                    self.flush();
                }
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
            self.w.channel_leads[c] += n as f64;
            self.w.month_leads[month] += n as f64;
            self.w.x.month_lead_cost[month] += n as f64 * e.channel_cost[c];
            if let Some(s) = e.channel_entry[c] {
                self.enter(s, n, (n * t as u64) as f64, 0);
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
                let n = c.n as f64;
                self.w.cold[s] += n;
                self.w.x.month_cold[month] += n;
                self.w.lost[s] += n;
                self.w.in_stage[s] -= c.n;
                self.w.time_sum[s] += n * (t - c.day) as f64;
                self.w.time_n[s] += n;
            }
        }
        self.serve();
        for s in 0..e.stages.len() {
            self.w.wip[s] += self.w.in_stage[s] as f64;
        }
    }
}

impl Engine {
    /// Runs one replication and writes its scalars into `out` (laid out by [`Layout`]).
    pub fn replicate<R: Rng>(&self, w: &mut Work, rng: &mut R, out: &mut [f32]) {
        w.reset();
        let mut run = Run {
            e: self,
            w,
            rng,
            t: 0,
        };
        run.seed_open();
        for t in 0..self.days {
            run.t = t;
            run.day();
        }
        let w = run.w;
        let l = &self.layout;
        let nan = f64::NAN;
        let mut put = |i: usize, v: f64| out[i] = v as f32;

        let revenue: f64 = w.month_revenue.iter().sum();
        let won: f64 = w.month_won.iter().sum();
        let leads: f64 = w.channel_leads.iter().sum();
        let lead_cost: f64 = w
            .channel_leads
            .iter()
            .zip(&self.channel_cost)
            .map(|(n, c)| n * c)
            .sum();
        let mut cost = lead_cost + self.salaries.iter().sum::<f64>() + self.bonus_share * revenue;
        let month_actual = |m: usize, kind: PlanKind| match kind {
            PlanKind::Revenue => w.month_revenue[m],
            PlanKind::Deals => w.month_won[m],
            PlanKind::NewClients => w.month_new[m],
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
        let funnel_wins = won - w.repeat_count;
        let cycle = if funnel_wins > 0.0 {
            w.cycle_sum / funnel_wins
        } else {
            nan
        };
        put(slot::LEADS, leads);
        put(slot::WON, won);
        put(slot::REVENUE, revenue);
        put(slot::NEW_CLIENTS, w.new_clients);
        put(slot::REPEAT, w.repeat_count);
        put(slot::CYCLE, cycle);
        put(slot::COLD, w.cold.iter().sum());
        put(slot::COST, cost);
        put(slot::PROFIT, revenue - cost);
        put(
            slot::CAC,
            if w.new_clients > 0.0 {
                cost / w.new_clients
            } else {
                nan
            },
        );
        put(slot::ROI, if cost > 0.0 { (revenue - cost) / cost } else { nan });
        put(slot::PLAN_MET, plan_met);
        for (c, n) in w.channel_leads.iter().enumerate() {
            put(l.channel(c), *n);
        }
        let days = self.days as f64;
        for s in 0..l.stages {
            put(l.stage(s, 0), w.entered[s]);
            put(l.stage(s, 1), w.converted[s]);
            put(l.stage(s, 2), w.lost[s]);
            put(l.stage(s, 3), w.cold[s]);
            put(l.stage(s, 4), w.wip[s] / days);
            put(
                l.stage(s, 5),
                if w.time_n[s] > 0.0 {
                    w.time_sum[s] / w.time_n[s]
                } else {
                    nan
                },
            );
        }
        for r in 0..l.roles {
            put(
                l.role(r, 0),
                if w.avail[r] > 0.0 {
                    w.used[r] / w.avail[r]
                } else {
                    nan
                },
            );
            let backlog: u64 = self
                .stages
                .iter()
                .enumerate()
                .filter(|(_, st)| st.work.iter().any(|(ri, _)| *ri == r))
                .map(|(s, _)| w.queues[s].iter().map(|c| c.n).sum::<u64>())
                .sum();
            put(l.role(r, 1), backlog as f64);
        }
        for m in 0..l.months {
            for r in 0..l.roles {
                let i = m * l.roles + r;
                let u = if w.month_avail[i] > 0.0 {
                    w.month_used[i] / w.month_avail[i]
                } else {
                    nan
                };
                put(l.month_role(m, r), u);
            }
        }
        for (m, &met) in month_met.iter().enumerate() {
            put(l.month(m, 0), w.month_won[m]);
            put(l.month(m, 1), w.month_revenue[m]);
            put(l.month(m, 2), w.month_leads[m]);
            put(l.month(m, 3), met);
        }
        self.write_extra(w, &month_met, out);
    }
}
