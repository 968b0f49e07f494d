//! The exact expected values of the forecast without capacity limits: a deterministic walk over
//! the same working-day calendar as the engine, in which every quantity is an expectation
//! (the *mean-value* or fluid computation of reference/simulation.md).
//!
//! Without capacity every lead is worked the day it enters a stage, and each flow is linear in
//! the arrivals, so convolving each stage's inflow with its day distribution and splitting the
//! outflow by its outcome probabilities gives the expected leads, wins, revenue and new clients
//! of every month exactly (hand-offs, loops and repeat purchases included, in the months they
//! happen). It reads the engine's inputs ([`Params`]), its calendar ([`Calendar`]), its day
//! distributions and its starting stock, so it equals the mean of `simulate` within sampling
//! error wherever no role is binding — a truth test — and is what `analyze` reports for the
//! horizon beside the settled monthly rates. The one difference by construction: the cycle is
//! the ratio of expected sums (total days ÷ wins), where `simulate` averages each run's mean.

use super::dist::{DayPmf, repeat_pmf};
use super::params::{Dest, Params};
use super::start::{self, Calendar, Start, Stock};
use serde::{Deserialize, Serialize};

/// Same-day moves through zero-duration stages followed before the rest waits a day. The engine
/// follows 16 in a row through stages without work and restarts the count at a stage with work
/// (its serving passes bound a day instead); the walk counts every move, so a closed loop of
/// zero-day stages (an error for `check`) still ends, and chains shorter than this agree.
const MAX_DEPTH: u32 = 64;

/// Expected figures of one month of the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpectedMonth {
    /// 1-based month of the horizon.
    pub month: u32,
    /// Calendar month, 1..=12.
    pub calendar_month: u32,
    pub leads: f64,
    /// Deals won, repeat purchases included.
    pub won: f64,
    pub revenue: f64,
    pub new_clients: f64,
    /// Mean working days from the lead to the win of the month's wins out of a funnel.
    pub cycle_days: Option<f64>,
}

/// Expected entries and exits of one stage over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpectedStage {
    pub pipeline: String,
    pub stage: String,
    pub entered: f64,
    pub converted: f64,
    pub lost: f64,
}

/// The expected forecast over the horizon from a start, without capacity limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expected {
    pub start: Start,
    pub horizon_months: u32,
    pub working_days: u32,
    pub leads: f64,
    pub won: f64,
    pub revenue: f64,
    pub new_clients: f64,
    pub repeat_purchases: f64,
    pub months: Vec<ExpectedMonth>,
    pub stages: Vec<ExpectedStage>,
}

struct Walk<'a> {
    p: &'a Params,
    cal: &'a Calendar,
    pmfs: &'a [DayPmf],
    /// Per stage with `старт`: its leave days (`release`).
    releases: Vec<Option<super::release::Release>>,
    repeat: &'a [DayPmf],
    amount: Vec<f64>,
    /// Rows `(stage, outcome)` in stage order; `row_base[s] + o`.
    row_base: Vec<usize>,
    /// Per row, per absolute day: (leads, arrival-day sum).
    calendar: Vec<Vec<(f64, f64)>>,
    /// Per pipeline, per day: repeat purchases due.
    repeats: Vec<Vec<f64>>,
    t: usize,
    pending: Vec<(usize, usize, f64, f64, u32)>,
    entered: Vec<f64>,
    converted: Vec<f64>,
    lost: Vec<f64>,
    month: Vec<ExpectedMonth>,
    cycle: Vec<(f64, f64)>,
    repeat_total: f64,
}

impl Walk<'_> {
    /// `x` leads (arrival days summed in `origin`) enter stage `s` today and are worked at once.
    fn enter(&mut self, s: usize, x: f64, origin: f64, depth: u32) {
        if x <= 0.0 {
            return;
        }
        self.entered[s] += x;
        let (p, pmf) = (self.p, &self.pmfs[s]);
        for (o, out) in p.stages[s].outcomes.iter().enumerate() {
            let row = self.row_base[s] + o;
            for (i, &q) in pmf.probs.iter().enumerate() {
                let share = out.probability * q;
                if share <= 0.0 {
                    continue;
                }
                let (y, org) = (x * share, origin * share);
                let mut delay = pmf.offset + i;
                if let Some(r) = &self.releases[s] {
                    delay = (r.leave_day((self.t + delay) as i64) - self.t as i64).max(0) as usize;
                }
                if delay == 0 {
                    if depth < MAX_DEPTH {
                        self.pending.push((s, o, y, org, depth + 1));
                    } else {
                        self.schedule(row, self.t + 1, y, org);
                    }
                } else {
                    self.schedule(row, self.t + delay, y, org);
                }
            }
        }
    }

    fn schedule(&mut self, row: usize, day: usize, x: f64, origin: f64) {
        if let Some(cell) = self.calendar[row].get_mut(day) {
            cell.0 += x;
            cell.1 += origin;
        }
    }

    fn flush(&mut self) {
        while let Some((s, o, x, origin, depth)) = self.pending.pop() {
            self.leave(s, o, x, origin, depth);
        }
    }

    fn leave(&mut self, s: usize, o: usize, x: f64, origin: f64, depth: u32) {
        let st = &self.p.stages[s];
        let out = st.outcomes[o];
        if out.success {
            self.converted[s] += x;
        } else {
            self.lost[s] += x;
        }
        match out.dest {
            Dest::Won => {
                let pipeline = st.pipeline_index;
                self.won(pipeline, x);
                let m = self.cal.month_of_day[self.t];
                if !self.p.pipelines[pipeline].account {
                    self.month[m].new_clients += x;
                }
                self.cycle[m].0 += x * self.t as f64 - origin;
                self.cycle[m].1 += x;
                // `после_выигрыша`: the won clients also start a deal each (a new cycle).
                if let Some((next, _)) = self.p.pipelines[pipeline].after_win {
                    self.enter(next, x, x * self.t as f64, depth);
                }
            }
            Dest::Lost => {}
            Dest::Stage(next) => self.enter(next, x, origin, depth),
        }
    }

    fn won(&mut self, pipeline: usize, x: f64) {
        let m = self.cal.month_of_day[self.t];
        self.month[m].won += x;
        self.month[m].revenue += x * self.amount[pipeline];
        let q = self.p.pipelines[pipeline].repeat_probability.clamp(0.0, 1.0);
        if q > 0.0 {
            let pmf = &self.repeat[pipeline];
            let days = self.cal.days;
            for (i, &r) in pmf.probs.iter().enumerate() {
                let day = self.t + pmf.offset + i;
                if day < days {
                    self.repeats[pipeline][day] += x * q * r;
                }
            }
        }
    }

    fn day(&mut self) {
        let t = self.t;
        let m = self.cal.month_of_day[t];
        for s in 0..self.p.stages.len() {
            for o in 0..self.p.stages[s].outcomes.len() {
                let row = self.row_base[s] + o;
                let (x, origin) = std::mem::take(&mut self.calendar[row][t]);
                if x > 0.0 {
                    self.leave(s, o, x, origin, 0);
                    self.flush();
                }
            }
        }
        for pipeline in 0..self.p.pipelines.len() {
            let x = std::mem::take(&mut self.repeats[pipeline][t]);
            if x > 0.0 {
                self.repeat_total += x;
                self.won(pipeline, x);
            }
        }
        for c in 0..self.p.channels.len() {
            let a = self.cal.leads_per_day(self.p, c, m);
            if !(a > 0.0 && a.is_finite()) {
                continue;
            }
            self.month[m].leads += a;
            if let Some(s) = self.p.channels[c].entry.filter(|&s| s < self.p.stages.len()) {
                self.enter(s, a, a * t as f64, 0);
                self.flush();
            }
        }
    }
}

/// The horizon's exact expectations from the regulation's start (`старт`), as `analyze` shows
/// them beside the settled month.
pub fn horizon(model: &crate::model::Model) -> Expected {
    let params = Params::from_model(model, None);
    let start = super::SimOptions::default().start_of(&params);
    expected(&params, start)
}

/// The expected forecast from `start` (an open-deals start is walked as a new department: the
/// deals' own amounts are not part of this computation).
pub fn expected(p: &Params, start: Start) -> Expected {
    let cal = Calendar::new(p);
    let stock = (start == Start::Established).then(|| start::stock(p, &cal));
    walk(p, &cal, start, stock.as_ref())
}

/// [`expected`] on a calendar and an established start's stock already computed (the forecast
/// computes them once for the engine and for this walk).
pub fn walk(given: &Params, cal: &Calendar, start: Start, stock: Option<&Stock>) -> Expected {
    // Delayed transitions as the engine walks them (`transit`); only the regulation's stages
    // are reported.
    let expanded = super::transit::expand(given);
    let p = &*expanded;
    let days = cal.days;
    let pmfs = start::stage_pmfs(p, days);
    let repeat: Vec<DayPmf> = p
        .pipelines
        .iter()
        .map(|pl| repeat_pmf(&pl.repeat_after, days))
        .collect();
    let longest = pmfs.iter().map(DayPmf::max_delay).max().unwrap_or(0);
    let releases = super::release::tables(p, 0, (days + longest + 1) as i64);
    let wait = releases.iter().flatten().map(|r| r.max_wait).max().unwrap_or(0);
    let horizon = days + longest + wait + 2;
    let mut row_base = Vec::with_capacity(p.stages.len());
    let mut rows = 0;
    for st in &p.stages {
        row_base.push(rows);
        rows += st.outcomes.len();
    }
    let mut walk = Walk {
        p,
        cal,
        repeat: &repeat,
        pmfs: &pmfs,
        releases,
        amount: start::mean_amounts(p),
        row_base,
        calendar: vec![vec![(0.0, 0.0); horizon]; rows],
        repeats: vec![vec![0.0; days + 1]; p.pipelines.len()],
        t: 0,
        pending: Vec::new(),
        entered: vec![0.0; p.stages.len()],
        converted: vec![0.0; p.stages.len()],
        lost: vec![0.0; p.stages.len()],
        month: (0..cal.month_days.len())
            .map(|m| ExpectedMonth {
                month: m as u32 + 1,
                calendar_month: (p.start_month - 1 + m as u32) % 12 + 1,
                leads: 0.0,
                won: 0.0,
                revenue: 0.0,
                new_clients: 0.0,
                cycle_days: None,
            })
            .collect(),
        cycle: vec![(0.0, 0.0); cal.month_days.len()],
        repeat_total: 0.0,
    };
    if let Some(stock) = stock {
        for (s, st) in stock.stages.iter().enumerate() {
            for (i, (&x, &origin)) in st.mean.iter().zip(&st.origin).enumerate() {
                if x > 0.0 {
                    let row = walk.row_base[s] + i / st.days;
                    walk.schedule(row, i % st.days, x, x * origin);
                    // In progress on day one: counted as entering, as the engine counts it.
                    walk.entered[s] += x;
                }
            }
        }
        for (pipeline, due) in stock.repeats.iter().enumerate() {
            for (d, &x) in due.iter().enumerate().take(days) {
                walk.repeats[pipeline][d] += x;
            }
        }
    }
    for t in 0..days {
        walk.t = t;
        walk.day();
    }
    for (m, month) in walk.month.iter_mut().enumerate() {
        let (sum, n) = walk.cycle[m];
        month.cycle_days = (n > 0.0).then(|| sum / n);
    }
    let sum = |f: fn(&ExpectedMonth) -> f64| walk.month.iter().map(f).sum::<f64>();
    Expected {
        start,
        horizon_months: walk.month.len() as u32,
        working_days: days as u32,
        leads: sum(|m| m.leads),
        won: sum(|m| m.won),
        revenue: sum(|m| m.revenue),
        new_clients: sum(|m| m.new_clients),
        repeat_purchases: walk.repeat_total,
        stages: p
            .stages
            .iter()
            .take(given.stages.len())
            .enumerate()
            .map(|(s, st)| ExpectedStage {
                pipeline: st.pipeline.clone(),
                stage: st.name.clone(),
                entered: walk.entered[s],
                converted: walk.converted[s],
                lost: walk.lost[s],
            })
            .collect(),
        months: walk.month,
    }
}
