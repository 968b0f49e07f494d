//! What the KPIs over stocks, loss reasons, stage owners and months need beyond the base
//! record (`открыто`, `просрочено`, `проиграно(причина …)`, `выиграно(роль …)`,
//! `изменение(…)`): per month, the leads that left each stage by each outcome, the leads that
//! entered each stage, the leads whose work started there, the deals in each stage at the
//! month's end, and for each `просрочено(Этап, N дн)` the deals in the stage longer than N days
//! at the month's end.
//!
//! Off (no columns, nothing tracked) unless a KPI reads one of them, so a forecast without them
//! is the same record and the same work as before. The hot loop pays one increment per leave
//! (the outcome counts) and, for a stage with a `просрочено`, one pass over the cells a split
//! filled; everything else is copied at month ends.
//!
//! Time in stage: a deal that entered on day e is in the stage at the end of day T while e ≤ T
//! and it has not left; it is overdue when T − e > N working days. The established start's
//! stock counts as entered the day before the first (its earlier days are not known), and
//! today's open deals (`--open-deals`) are not tracked: for both, `просрочено` counts from the
//! first day of the horizon.

use super::{Engine, Layout, Run, Tracer, Work};
use crate::model::{Counter, Formula};
use crate::sim::params::Params;
use rand::Rng;

/// The shape of the metrics block: zero everything when off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MetricsLayout {
    /// Calendar rows (stage outcomes) counted per month; 0 when off.
    pub rows: usize,
    /// Stages with per-month entries, work started and month-end stock; 0 when off.
    pub stages: usize,
    /// `(stage, days)` pairs of `просрочено`.
    pub tracks: usize,
}

impl MetricsLayout {
    fn per_month(&self) -> usize {
        self.rows + 4 * self.stages + self.tracks
    }
}

/// Per month, in this order: rows, entered, work started, lost, open at the end, overdue tracks.
#[derive(Debug, Clone, Copy)]
pub enum StageField {
    Entered = 0,
    Served = 1,
    Lost = 2,
    Open = 3,
}

pub(super) fn width(l: &Layout) -> usize {
    l.months * l.metrics.per_month()
}

impl Layout {
    fn metrics_base(&self) -> usize {
        self.len() - width(self)
    }
    /// Leads that left by calendar row `row` (a stage's outcome, [`Engine::row`]) in month `m`.
    pub fn month_row(&self, m: usize, row: usize) -> usize {
        self.metrics_base() + m * self.metrics.per_month() + row
    }
    pub fn month_stage(&self, m: usize, s: usize, field: StageField) -> usize {
        self.metrics_base()
            + m * self.metrics.per_month()
            + self.metrics.rows
            + field as usize * self.metrics.stages
            + s
    }
    /// Deals of track `k` ([`Engine::overdue_track`]) overdue at the end of month `m`.
    pub fn month_overdue(&self, m: usize, k: usize) -> usize {
        self.metrics_base() + m * self.metrics.per_month() + self.metrics.rows + 4 * self.metrics.stages + k
    }
}

/// What the engine tracks for the metrics.
#[derive(Debug, Clone, Default)]
pub(super) struct Metrics {
    pub on: bool,
    /// `(stage, days)` of every `просрочено` in the KPIs, in first-use order.
    tracks: Vec<(usize, f64)>,
    /// Per stage: its tracks as (index, whole days).
    of_stage: Vec<Vec<(usize, i64)>>,
    /// The last working day of each month.
    month_end: Vec<usize>,
}

/// Whether a formula reads anything the metrics block holds.
fn needs(f: &Formula) -> bool {
    match f {
        Formula::Number { .. } | Formula::Score { .. } => false,
        Formula::Counter { counter, filter, .. } => {
            matches!(counter, Counter::Open | Counter::Overdue)
                || filter.reason.is_some()
                || (filter.role.is_some() && matches!(counter, Counter::Won | Counter::HandedOff))
        }
        Formula::Change { .. } => true,
        Formula::Neg { arg } => needs(arg),
        Formula::Add { left, right }
        | Formula::Sub { left, right }
        | Formula::Mul { left, right }
        | Formula::Div { left, right } => needs(left) || needs(right),
    }
}

/// Every `(stage, days)` a formula's `просрочено` reads, by stage index.
pub(crate) fn overdue_pairs(p: &Params, f: &Formula, out: &mut Vec<(usize, f64)>) {
    match f {
        Formula::Counter {
            counter: Counter::Overdue,
            scope: Some(scope),
            filter,
        } => {
            let Some(days) = filter.days else { return };
            for s in p.scope_stages(scope) {
                if !out.iter().any(|&(t, d)| t == s && d == days) {
                    out.push((s, days));
                }
            }
        }
        Formula::Number { .. } | Formula::Counter { .. } | Formula::Score { .. } => {}
        Formula::Neg { arg } | Formula::Change { arg, .. } => overdue_pairs(p, arg, out),
        Formula::Add { left, right }
        | Formula::Sub { left, right }
        | Formula::Mul { left, right }
        | Formula::Div { left, right } => {
            overdue_pairs(p, left, out);
            overdue_pairs(p, right, out);
        }
    }
}

impl Metrics {
    pub fn new(p: &Params, month_of_day: &[usize], months: usize) -> Metrics {
        let formulas = || p.kpis.iter().filter_map(|k| k.formula.as_ref());
        if !formulas().any(needs) {
            return Metrics::default();
        }
        let mut tracks = Vec::new();
        for f in formulas() {
            overdue_pairs(p, f, &mut tracks);
        }
        let mut of_stage = vec![Vec::new(); p.stages.len()];
        for (k, &(s, days)) in tracks.iter().enumerate() {
            of_stage[s].push((k, days.floor() as i64));
        }
        let mut month_end = vec![0; months];
        for (t, &m) in month_of_day.iter().enumerate() {
            if let Some(end) = month_end.get_mut(m) {
                *end = t;
            }
        }
        Metrics {
            on: true,
            tracks,
            of_stage,
            month_end,
        }
    }

    pub fn layout(&self, rows: usize, stages: usize) -> MetricsLayout {
        if self.on {
            MetricsLayout {
                rows,
                stages,
                tracks: self.tracks.len(),
            }
        } else {
            MetricsLayout::default()
        }
    }

    /// Whether stage `s` has a `просрочено` to track.
    #[inline(always)]
    pub fn tracked(&self, s: usize) -> bool {
        self.of_stage.get(s).is_some_and(|v| !v.is_empty())
    }
}

/// The per-replication counts.
#[derive(Debug, Clone, Default)]
pub(super) struct State {
    /// Leads that left by each calendar row so far (always counted: one increment per leave).
    pub row_out: Vec<u64>,
    /// Month-major snapshots of the running totals (rows, entered, served, lost) and the
    /// month-end stock.
    snap: Vec<u64>,
    /// Month-major: deals of each track overdue at the month's end.
    overdue: Vec<u64>,
}

impl State {
    pub fn new(e: &Engine) -> State {
        let l = e.layout.metrics;
        State {
            row_out: vec![0; e.rows.len()],
            snap: vec![0; e.months * (l.rows + 4 * l.stages)],
            overdue: vec![0; e.months * l.tracks],
        }
    }

    pub fn reset(&mut self) {
        self.row_out.fill(0);
        self.snap.fill(0);
        self.overdue.fill(0);
    }
}

/// `n` leads that entered stage `s` on day `entry` and were placed on day `t` to leave `delay`
/// days later: count them at every month end they are still in the stage past a threshold.
#[inline]
pub(super) fn track(e: &Engine, st: &mut State, s: usize, entry: i64, t: usize, delay: u32, n: u64) {
    if delay == 0 || n == 0 {
        return;
    }
    let exit = t + delay as usize;
    let tracks = e.layout.metrics.tracks;
    let Some(&first) = e.month_of_day.get(t) else {
        return;
    };
    for m in first..e.months {
        let end = e.metrics.month_end[m];
        if end >= exit {
            break;
        }
        for &(k, days) in &e.metrics.of_stage[s] {
            if end as i64 - entry > days {
                st.overdue[m * tracks + k] += n;
            }
        }
    }
}

impl<R: Rng, T: Tracer> Run<'_, R, T> {
    /// At the end of month `m`: the running totals and the stock, and the queued deals past a
    /// threshold (those in progress were counted when placed).
    pub(super) fn month_metrics(&mut self, m: usize) {
        let e = self.e;
        let l = e.layout.metrics;
        let w = &mut *self.w;
        let per = l.rows + 4 * l.stages;
        let snap = &mut w.m.snap[m * per..(m + 1) * per];
        snap[..l.rows].copy_from_slice(&w.m.row_out[..l.rows]);
        for s in 0..l.stages {
            snap[l.rows + s] = w.stage[s].entered;
            snap[l.rows + l.stages + s] = w.stage[s].time_n - w.cold[s];
            snap[l.rows + 2 * l.stages + s] = e.stage_exits(s, &w.m.row_out, 0, w.lost[s]).1;
            snap[l.rows + 3 * l.stages + s] = w.stage[s].in_stage;
        }
        let end = self.t as i64;
        for (s, tracks) in e.metrics.of_stage.iter().enumerate() {
            for c in w.queues[s].iter() {
                for &(k, days) in tracks {
                    if end - c.day as i64 > days {
                        w.m.overdue[m * l.tracks + k] += c.n;
                    }
                }
            }
        }
    }
}

impl Engine {
    /// The calendar row of stage `s`'s outcome `o` (the outcomes of `Params`, then the one of
    /// leads whose conversion decayed away).
    pub fn row(&self, s: usize, o: usize) -> usize {
        self.stages[s].out_base as usize + o
    }

    /// The index of the `просрочено` track of stage `s` over `days`.
    pub fn overdue_track(&self, s: usize, days: f64) -> Option<usize> {
        self.metrics.tracks.iter().position(|&(t, d)| t == s && d == days)
    }

    /// Mean selling minutes a day of role `r` in month `m`.
    pub fn month_capacity(&self, r: usize, m: usize) -> f64 {
        let days: Vec<f64> = self
            .month_of_day
            .iter()
            .zip(&self.capacity[r])
            .filter(|(mm, _)| **mm == m)
            .map(|(_, c)| *c)
            .collect();
        days.iter().sum::<f64>() / days.len().max(1) as f64
    }

    /// Writes the metrics block: monthly counts as differences of the running totals.
    pub(super) fn write_metrics(&self, w: &Work, out: &mut [f32]) {
        let l = &self.layout;
        let ml = l.metrics;
        if !self.metrics.on {
            return;
        }
        let per = ml.rows + 4 * ml.stages;
        for m in 0..l.months {
            let now = &w.m.snap[m * per..(m + 1) * per];
            let before = (m > 0).then(|| &w.m.snap[(m - 1) * per..m * per]);
            let diff = |i: usize| now[i].saturating_sub(before.map_or(0, |b| b[i]));
            for row in 0..ml.rows {
                out[l.month_row(m, row)] = diff(row) as f32;
            }
            for s in 0..ml.stages {
                out[l.month_stage(m, s, StageField::Entered)] = diff(ml.rows + s) as f32;
                out[l.month_stage(m, s, StageField::Served)] = diff(ml.rows + ml.stages + s) as f32;
                out[l.month_stage(m, s, StageField::Lost)] = diff(ml.rows + 2 * ml.stages + s) as f32;
                out[l.month_stage(m, s, StageField::Open)] = now[ml.rows + 3 * ml.stages + s] as f32;
            }
            for k in 0..ml.tracks {
                out[l.month_overdue(m, k)] = w.m.overdue[m * ml.tracks + k] as f32;
            }
        }
    }
}
