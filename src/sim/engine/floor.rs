//! The floor of a replication (issue 18): the random draws it cannot do without, timed apart
//! from the walk around them. A replication of the forecast is recorded draw by draw — each
//! split of a cohort over its stage's cells, each day's won deals of a pipeline — and
//! [`Floor::replay`] makes the same draws again, the way the engine makes them, on a stream of
//! its own per replication: every lead's cell (one counter increment a lead), every deal's
//! amount and repeat purchase, every channel's arrivals each day. What it leaves out is the
//! engine's bookkeeping — the calendar, the queues, the roles' minutes, the exits and the
//! figures — so the engine's time over the replay's is what that bookkeeping costs
//! (`benches/simulate.rs` times both on the same replications).
//!
//! Left out as well, being a few draws a replication: the established start's stock and
//! repeats (two draws a stage), the thinning of successes after waits past the decayed cells,
//! and the deals of `--open-deals`, whose amounts are known.

use super::trace::Tracer;
use super::{Engine, Work};
use crate::sim::stream;
use rand::Rng;
use rand_distr::Distribution;
use rayon::prelude::*;

/// One draw of a replication, in the order the walk made it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Draw {
    /// `n` leads of stage `stage` that waited `wait` days split over its cells.
    Split { stage: u32, wait: u32, n: u64 },
    /// `m` deals won in `pipeline`: their amounts and their repeat purchases.
    Deals { pipeline: u32, m: u64 },
}

/// The draws of one replication, as the walk makes them.
#[derive(Debug, Default)]
struct Record(Vec<Draw>);

impl Tracer for Record {
    fn split(&mut self, stage: usize, wait: usize, n: u64) {
        self.0.push(Draw::Split {
            stage: stage as u32,
            wait: wait as u32,
            n,
        });
    }

    fn deals(&mut self, pipeline: usize, m: u64) {
        self.0.push(Draw::Deals {
            pipeline: pipeline as u32,
            m,
        });
    }
}

/// The recorded draws of replications `0..runs` of an engine, to be made again without the
/// walk ([`Floor::replay`]).
pub struct Floor {
    engine: Engine,
    seed: u64,
    records: Vec<Vec<Draw>>,
}

impl Floor {
    /// Records replications `0..runs` of `engine` with `seed` (on all cores): the forecast's
    /// own replications, draw by draw.
    pub fn record(engine: Engine, seed: u64, runs: u32) -> Floor {
        let width = engine.layout.len();
        let records = (0..u64::from(runs))
            .into_par_iter()
            .map_init(
                || (Work::new(&engine), vec![0f32; width]),
                |(work, out), i| {
                    let mut record = Record::default();
                    if width > 0 {
                        engine.walk(work, &mut stream(seed, i), out, &mut record);
                    }
                    record.0
                },
            )
            .collect();
        Floor {
            engine,
            seed,
            records,
        }
    }

    /// The splits and deals recorded in all replications: (leads split, deals won).
    #[cfg(test)]
    fn counts(&self) -> (u64, u64) {
        let draws = self.records.iter().flatten();
        draws.fold((0, 0), |(leads, deals), d| match *d {
            Draw::Split { n, .. } => (leads + n, deals),
            Draw::Deals { m, .. } => (leads, deals + m),
        })
    }

    /// Makes every recorded draw again (on all cores, replication `i` on a stream of its own)
    /// and returns a sum of what was drawn, so that none of it can be left out unseen.
    pub fn replay(&self) -> f64 {
        let e = &self.engine;
        self.records
            .par_iter()
            .enumerate()
            .map_init(
                || (vec![0u64; e.max_cells], Vec::with_capacity(e.max_cells)),
                |(counts, touched), (i, draws)| {
                    let mut rng = stream(self.seed, i as u64);
                    replay_one(e, draws, &mut rng, counts, touched)
                },
            )
            .sum()
    }
}

/// The draws of one replication: each day's arrivals, then the splits and deals in the order
/// the walk made them, each the engine's way (lead by lead into a count per cell, or as a
/// chain of binomials, by [`super::Stage::lead_by_lead`]).
fn replay_one<R: Rng>(
    e: &Engine,
    draws: &[Draw],
    rng: &mut R,
    counts: &mut [u64],
    touched: &mut Vec<u32>,
) -> f64 {
    let mut sum = 0.0;
    for t in 0..e.days {
        for channel in &e.arrivals {
            if let Some(poisson) = &channel[e.month_of_day[t]] {
                sum += poisson.sample(rng);
            }
        }
    }
    let mut count = |cells: Option<&super::Cells>, chain: &super::Cells, n: u64, rng: &mut R| match cells {
        Some(cells) => cells.each(n, rng, |i| counts[i] += 1),
        None => {
            touched.clear();
            chain.split(n, rng, counts, touched);
        }
    };
    for draw in draws {
        match *draw {
            Draw::Split { stage, wait, n } => {
                // The engine's choice of cells and of the way to draw them (`Run::split`).
                let st = &e.stages[stage as usize];
                let cells = st.lead_by_lead(wait as usize, n).map(|(cells, _)| cells);
                count(cells, &st.cells, n, rng);
            }
            Draw::Deals { pipeline, m } => {
                // Deal by deal up to the repeat cells' size, as `Run::won` draws them.
                let p = &e.pipelines[pipeline as usize];
                sum += p.amount.each(m, rng, |_| {});
                let cells = (m <= p.repeat.small()).then_some(&p.repeat);
                count(cells, &p.repeat, m, rng);
            }
        }
    }
    sum + counts.iter().sum::<u64>() as f64
}

#[cfg(test)]
mod tests {
    use super::Floor;
    use crate::sim::engine::Work;
    use crate::sim::engine::trace::NoTrace;
    use crate::sim::{Params, SimOptions, engine_at_start, stream};
    use std::path::Path;

    /// The record holds every split and every won deal of the replication: the leads it splits
    /// are the leads whose work started in the walk of the same stream (each stage's leads with
    /// a measured stay, less those that went cold), and its deals are the deals won.
    #[test]
    fn the_floor_records_every_split_and_deal() {
        let compiled = crate::compile(Path::new("examples/benchmark.sales"));
        let model = compiled.model.expect("the benchmark compiles");
        let params = Params::from_model(&model, None);
        let options = SimOptions::default();
        for i in 0..3 {
            let (engine, _, _) = engine_at_start(&params, &options);
            let mut work = Work::new(&engine);
            let mut out = vec![0f32; engine.layout.len()];
            engine.walk(&mut work, &mut stream(options.seed, i), &mut out, &mut NoTrace);
            let started: u64 = (work.stage.iter().zip(&work.cold))
                .map(|(c, cold)| c.time_n - cold)
                .sum();
            let won: u64 = work.x.pipe_deals.iter().sum();

            let mut floor = Floor::record(engine, options.seed, i as u32 + 1);
            floor.records.drain(..i as usize);
            assert_eq!(floor.counts(), (started, won), "replication {i}");
            assert!(started > 50_000 && won > 3_000, "{started} leads, {won} deals");
            assert_eq!(floor.replay().to_bits(), floor.replay().to_bits());
        }
    }
}
