//! The scalars a replication writes after the base layout: what the KPIs, the monthly money
//! and the open deals need. Kept apart from the hot loop's own record so that either can grow
//! without moving the other.
//!
//! Order after [`Layout::extra_base`]: open deals won and their revenue; per pipeline the
//! funnel wins, all paid deals (repeats included), revenue and deals handed to another
//! pipeline; per stage the leads whose work started; per month the leads gone cold, the cost,
//! the profit, the CAC, the ROI, the new clients and the cycle; then per month and channel the
//! leads, and per month and role the leads waiting at the month's end.

use super::{Engine, Layout, Work};
use crate::sim::PlanKind;

const OPEN: usize = 2;
const PER_PIPELINE: usize = 4;
const PER_MONTH: usize = 7;

/// A field of a pipeline's block.
#[derive(Debug, Clone, Copy)]
pub enum PipelineField {
    /// Wins out of the funnel (no repeats).
    Won = 0,
    /// Paid deals, repeat purchases included.
    Deals = 1,
    Revenue = 2,
    HandedOff = 3,
}

/// A field of a month's block.
#[derive(Debug, Clone, Copy)]
pub enum MonthField {
    Cold = 0,
    Cost = 1,
    Profit = 2,
    /// The month's cost per new client (NaN in a month without one).
    Cac = 3,
    /// (revenue − cost) / cost of the month (NaN without cost).
    Roi = 4,
    /// Wins outside account pipelines.
    NewClients = 5,
    /// Mean days from the lead to the win of the funnel wins closed this month (NaN without).
    Cycle = 6,
}

pub(super) fn width(l: &Layout) -> usize {
    OPEN + l.pipelines * PER_PIPELINE + l.stages + l.months * (PER_MONTH + l.channels + l.roles) + ENDED
}

/// The mean working days from the lead to the end of every deal that ended, won or lost.
const ENDED: usize = 1;

impl Layout {
    fn extra_base(&self) -> usize {
        self.len() - width(self) - super::metrics::width(self)
    }
    /// Open deals won (0) and their revenue (1).
    pub fn open(&self, field: usize) -> usize {
        self.extra_base() + field
    }
    pub fn pipeline(&self, p: usize, field: PipelineField) -> usize {
        self.extra_base() + OPEN + p * PER_PIPELINE + field as usize
    }
    /// Leads whose work in stage `s` started (served, or passed through a stage without work).
    pub fn served(&self, s: usize) -> usize {
        self.extra_base() + OPEN + self.pipelines * PER_PIPELINE + s
    }
    pub fn month_extra(&self, m: usize, field: MonthField) -> usize {
        self.extra_base()
            + OPEN
            + self.pipelines * PER_PIPELINE
            + self.stages
            + m * PER_MONTH
            + field as usize
    }
    /// The leads of channel `c` in month `m`.
    pub fn month_channel(&self, m: usize, c: usize) -> usize {
        self.month_extra(0, MonthField::Cold) + self.months * PER_MONTH + m * self.channels + c
    }
    /// The leads waiting for role `r` at the end of month `m`.
    pub fn month_backlog(&self, m: usize, r: usize) -> usize {
        self.month_channel(0, 0) + self.months * self.channels + m * self.roles + r
    }
    /// The mean working days from the lead to the end of the deals that ended in the run, won
    /// (funnel wins) or lost (a stage's failure, gone cold): the base of `цикл_календарный`.
    pub fn ended_cycle(&self) -> usize {
        self.month_backlog(0, 0) + self.months * self.roles
    }
}

/// Accumulators of one replication.
pub(super) struct Counts {
    pub open_won: u64,
    pub open_revenue: f64,
    pub pipe_won: Vec<u64>,
    pub pipe_deals: Vec<u64>,
    pub pipe_revenue: Vec<f64>,
    pub pipe_handed: Vec<u64>,
    pub month_cold: Vec<u64>,
    pub month_lead_cost: Vec<f64>,
    /// Per month: the cycles (days) of its funnel wins, summed, and their number.
    pub month_cycle: Vec<f64>,
    pub month_cycle_n: Vec<u64>,
    /// Month-major: leads per month and channel, leads waiting per month (at its end) and role.
    pub month_channel_leads: Vec<u64>,
    pub month_backlog: Vec<u64>,
    /// Working days from the lead of every deal that ended (won or lost), summed, and their
    /// number.
    pub ended_days: f64,
    pub ended_n: u64,
}

impl Counts {
    pub fn new(e: &Engine) -> Counts {
        let p = e.pipelines.len();
        Counts {
            open_won: 0,
            open_revenue: 0.0,
            pipe_won: vec![0; p],
            pipe_deals: vec![0; p],
            pipe_revenue: vec![0.0; p],
            pipe_handed: vec![0; p],
            month_cold: vec![0; e.months],
            month_lead_cost: vec![0.0; e.months],
            month_cycle: vec![0.0; e.months],
            month_cycle_n: vec![0; e.months],
            month_channel_leads: vec![0; e.months * e.layout.channels],
            month_backlog: vec![0; e.months * e.layout.roles],
            ended_days: 0.0,
            ended_n: 0,
        }
    }

    pub fn reset(&mut self) {
        self.open_won = 0;
        self.open_revenue = 0.0;
        self.ended_days = 0.0;
        self.ended_n = 0;
        for v in [
            &mut self.pipe_won,
            &mut self.pipe_deals,
            &mut self.pipe_handed,
            &mut self.month_cold,
            &mut self.month_cycle_n,
            &mut self.month_channel_leads,
            &mut self.month_backlog,
        ] {
            v.fill(0);
        }
        for v in [
            &mut self.pipe_revenue,
            &mut self.month_lead_cost,
            &mut self.month_cycle,
        ] {
            v.fill(0.0);
        }
    }
}

impl Engine {
    /// The month's plan fulfilment, which a bonus scale or threshold reads; 1.0 without a plan
    /// (or a month planned at zero).
    pub(super) fn fulfilment(&self, w: &Work, m: usize) -> f64 {
        let Some((kind, target)) = &self.plan else {
            return 1.0;
        };
        let t = target.get(m).copied().unwrap_or(0.0);
        if t <= 0.0 {
            return 1.0;
        }
        let actual = match kind {
            PlanKind::Revenue => w.month_revenue[m],
            PlanKind::Deals => w.month_won[m] as f64,
            PlanKind::NewClients => w.month_new[m] as f64,
        };
        actual / t
    }

    /// Writes the extra scalars; `month_met` is 1/0 per month (NaN without a plan).
    pub(super) fn write_extra(&self, w: &Work, month_met: &[f64], out: &mut [f32]) {
        let l = &self.layout;
        let mut put = |i: usize, v: f64| out[i] = v as f32;
        put(l.open(0), w.x.open_won as f64);
        put(l.open(1), w.x.open_revenue);
        for p in 0..l.pipelines {
            put(l.pipeline(p, PipelineField::Won), w.x.pipe_won[p] as f64);
            put(l.pipeline(p, PipelineField::Deals), w.x.pipe_deals[p] as f64);
            put(l.pipeline(p, PipelineField::Revenue), w.x.pipe_revenue[p]);
            put(l.pipeline(p, PipelineField::HandedOff), w.x.pipe_handed[p] as f64);
        }
        for s in 0..l.stages {
            put(l.served(s), (w.stage[s].time_n - w.cold[s]) as f64);
        }
        put(
            l.ended_cycle(),
            if w.x.ended_n > 0 {
                w.x.ended_days / w.x.ended_n as f64
            } else {
                f64::NAN
            },
        );
        for m in 0..l.months {
            let revenue = w.month_revenue[m];
            let mut cost =
                self.salaries[m] + w.x.month_lead_cost[m] + self.bonus.cost(revenue, self.fulfilment(w, m));
            if month_met.get(m).is_some_and(|&x| x == 1.0) {
                cost += self.plan_bonus[m];
            }
            put(l.month_extra(m, MonthField::Cold), w.x.month_cold[m] as f64);
            put(l.month_extra(m, MonthField::Cost), cost);
            put(l.month_extra(m, MonthField::Profit), revenue - cost);
            let new = w.month_new[m];
            put(
                l.month_extra(m, MonthField::Cac),
                if new > 0 { cost / new as f64 } else { f64::NAN },
            );
            put(
                l.month_extra(m, MonthField::Roi),
                if cost > 0.0 {
                    (revenue - cost) / cost
                } else {
                    f64::NAN
                },
            );
            put(l.month_extra(m, MonthField::NewClients), new as f64);
            let n = w.x.month_cycle_n[m];
            put(
                l.month_extra(m, MonthField::Cycle),
                if n > 0 {
                    w.x.month_cycle[m] / n as f64
                } else {
                    f64::NAN
                },
            );
            for c in 0..l.channels {
                put(
                    l.month_channel(m, c),
                    w.x.month_channel_leads[m * l.channels + c] as f64,
                );
            }
            for r in 0..l.roles {
                put(l.month_backlog(m, r), w.x.month_backlog[m * l.roles + r] as f64);
            }
        }
    }

    /// Mean selling minutes a day of role `r` over the horizon (hires, ramp-up and attrition
    /// included): divided by one person's minutes it is the mean headcount at work.
    pub fn mean_capacity(&self, r: usize) -> f64 {
        let cap = &self.capacity[r];
        cap.iter().sum::<f64>() / cap.len().max(1) as f64
    }
}
