//! The established start (`sim::start`): every replication begins with the settled stock of
//! deals in progress and of scheduled repeat purchases. A stage's deals are one Poisson count
//! (its settled mean) split over its (outcome, day left) cells by the engine's one sampling
//! primitive, so the start costs a draw per stage and per pipeline, not per deal.

use super::{Engine, Run};
use crate::sim::split::Cells;
use crate::sim::start::Stock;
use rand::Rng;
use rand_distr::{Distribution, Poisson};

/// A Poisson number of deals spread over cells by their expected counts.
#[derive(Debug, Clone)]
struct Spread {
    count: Option<Poisson<f64>>,
    cells: Cells,
}

impl Spread {
    fn new(mean: &[f64]) -> Spread {
        let total: f64 = mean.iter().sum();
        Spread {
            count: (total > 0.0 && total.is_finite())
                .then(|| Poisson::new(total).ok())
                .flatten(),
            cells: Cells::new(mean),
        }
    }

    /// Draws the deals into `counts`, listing the cells that got any in `touched`.
    fn draw<R: Rng>(&self, rng: &mut R, counts: &mut [u64], touched: &mut Vec<u32>) {
        touched.clear();
        if let Some(count) = &self.count {
            let n = count.sample(rng) as u64;
            self.cells.split(n, rng, counts, touched);
        }
    }
}

/// One stage's stock as the engine draws it.
#[derive(Debug, Clone)]
pub(super) struct StageStock {
    deals: Spread,
    /// Cells per outcome (the days left).
    days: usize,
    /// The mean arrival day of a lead of each cell.
    origin: Vec<f64>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Warm {
    stages: Vec<StageStock>,
    /// Per pipeline: the repeat purchases due on each day.
    repeats: Vec<Spread>,
}

impl Engine {
    /// Starts every replication from `stock` (an established department).
    pub fn set_stock(&mut self, stock: &Stock) {
        let cells = stock.stages.iter().map(|s| s.mean.len()).max().unwrap_or(0);
        let stages = stock
            .stages
            .iter()
            .map(|s| StageStock {
                deals: Spread::new(&s.mean),
                days: s.days.max(1),
                origin: s.origin.clone(),
            })
            .collect();
        self.warm = Warm {
            stages,
            repeats: Vec::new(),
        };
        self.max_cells = self.max_cells.max(cells);
        self.set_repeats(&stock.repeats);
    }

    /// Schedules the repeat purchases of clients won before the first day: per pipeline, the
    /// expected number due on each day (the rest of the start is left as it is).
    pub fn set_repeats(&mut self, due: &[Vec<f64>]) {
        let mut cells = 0;
        self.warm.repeats = due
            .iter()
            .map(|r| {
                let days = r.len().min(self.repeat_ring.saturating_sub(1));
                cells = cells.max(days);
                Spread::new(&r[..days])
            })
            .collect();
        self.max_cells = self.max_cells.max(cells);
    }
}

impl<R: Rng, T: super::Tracer> Run<'_, R, T> {
    /// Places the settled stock before the first day.
    pub(super) fn seed_stock(&mut self) {
        let e = self.e;
        for (s, stock) in e.warm.stages.iter().enumerate() {
            let w = &mut *self.w;
            stock.deals.draw(self.rng, &mut w.counts, &mut w.touched);
            let base = e.stages[s].out_base as usize;
            for &i in &w.touched {
                let i = i as usize;
                let x = std::mem::take(&mut w.counts[i]);
                let (o, d) = (i / stock.days, i % stock.days);
                let slot = &mut w.calendar[(base + o) * e.row_len + d];
                slot.n += x;
                slot.origin += x as f64 * stock.origin[i];
                // In the stage before the first day: their entry is dated the day before.
                self.tr.created(x, -1, None);
                self.tr.entered(-1, s);
                self.tr.place((base + o) * e.row_len + d, x);
                w.stage[s].in_stage += x;
                if e.metrics.tracked(s) {
                    super::metrics::track(e, &mut w.m, s, -1, 0, d as u32, x);
                }
                // Like an open deal, a deal in progress on day one counts as entering its stage.
                w.stage[s].entered += x;
            }
        }
        for (p, due) in e.warm.repeats.iter().enumerate() {
            let w = &mut *self.w;
            due.draw(self.rng, &mut w.counts, &mut w.touched);
            for &d in &w.touched {
                let d = d as usize;
                let x = std::mem::take(&mut w.counts[d]);
                w.repeats[p * e.repeat_ring + d % e.repeat_ring] += x;
            }
        }
    }
}
