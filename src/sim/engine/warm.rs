//! The established start (`sim::start`): every replication begins with the settled stock of
//! deals in progress and of scheduled repeat purchases. A stage's deals are one Poisson count
//! (its settled mean) split over its (outcome, day left) cells by the engine's one sampling
//! primitive, so the start costs a draw per stage and per pipeline, not per deal.

use super::{Engine, Run, slot_index};
use crate::sim::split::Cells;
use crate::sim::start::Stock;
use rand::Rng;
use rand_distr::{Distribution, Poisson};

/// One stage's stock as the engine draws it.
#[derive(Debug, Clone)]
pub(super) struct StageStock {
    count: Option<Poisson<f64>>,
    cells: Cells,
    /// Cells per outcome (the days left).
    days: usize,
    /// The mean arrival day of a lead of each cell.
    origin: Vec<f64>,
}

/// One pipeline's scheduled repeat purchases.
#[derive(Debug, Clone)]
pub(super) struct RepeatStock {
    count: Option<Poisson<f64>>,
    cells: Cells,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Warm {
    stages: Vec<StageStock>,
    repeats: Vec<RepeatStock>,
}

fn poisson(mean: f64) -> Option<Poisson<f64>> {
    (mean > 0.0 && mean.is_finite())
        .then(|| Poisson::new(mean).ok())
        .flatten()
}

impl Engine {
    /// Starts every replication from `stock` (an established department).
    pub fn set_stock(&mut self, stock: &Stock) {
        let mut cells = stock.stages.iter().map(|s| s.mean.len()).max().unwrap_or(0);
        let stages = stock
            .stages
            .iter()
            .map(|s| StageStock {
                count: poisson(s.total()),
                cells: Cells::new(&s.mean),
                days: s.days.max(1),
                origin: s.origin.clone(),
            })
            .collect();
        let repeats = stock
            .repeats
            .iter()
            .map(|r| {
                let days = r.len().min(self.repeat_ring.saturating_sub(1));
                cells = cells.max(days);
                RepeatStock {
                    count: poisson(r[..days].iter().sum()),
                    cells: Cells::new(&r[..days]),
                }
            })
            .collect();
        self.warm = Warm { stages, repeats };
        self.max_cells = self.max_cells.max(cells);
    }
}

impl<R: Rng> Run<'_, R> {
    /// Places the settled stock before the first day.
    pub(super) fn seed_stock(&mut self) {
        let e = self.e;
        let rb = e.ring_bits;
        for (s, stock) in e.warm.stages.iter().enumerate() {
            let Some(count) = &stock.count else {
                continue;
            };
            let n = count.sample(self.rng) as u64;
            let w = &mut *self.w;
            w.touched.clear();
            stock.cells.split(n, self.rng, &mut w.counts, &mut w.touched);
            let base = e.stages[s].out_base as usize;
            for &i in &w.touched {
                let i = i as usize;
                let x = std::mem::take(&mut w.counts[i]);
                let (o, d) = (i / stock.days, i % stock.days);
                let slot = &mut w.calendar[slot_index((base + o) << rb | d, 0, rb)];
                slot.n += x;
                slot.origin += x as f64 * stock.origin[i];
                w.in_stage[s] += x;
                // Like an open deal, a deal in progress on day one counts as entering its stage.
                w.entered[s] += x;
            }
        }
        for (p, stock) in e.warm.repeats.iter().enumerate() {
            let Some(count) = &stock.count else {
                continue;
            };
            let n = count.sample(self.rng) as u64;
            let w = &mut *self.w;
            w.touched.clear();
            stock.cells.split(n, self.rng, &mut w.counts, &mut w.touched);
            for &d in &w.touched {
                let d = d as usize;
                let x = std::mem::take(&mut w.counts[d]);
                w.repeats[p * e.repeat_ring + d % e.repeat_ring] += x;
            }
        }
    }
}
