//! Per-replication results for comparing variants of a model: scenarios, sweeps, the value of
//! a hire. Two variants run with the same seed share their random numbers replication by
//! replication (common random numbers), so their difference is summarised per replication —
//! a paired interval, far narrower than the difference of two independent means.

use super::engine::slot;
use super::{Params, SimOptions, SimResult, replicate_all, summarise};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The replication-level numbers a comparison needs, in replication order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Runs {
    pub won: Vec<f64>,
    pub revenue: Vec<f64>,
    pub profit: Vec<f64>,
    /// 1 when the horizon's plan was met, 0 when not; empty without a plan.
    pub plan_met: Vec<f64>,
    /// Utilisation per role (by index into `Params::roles`), NaN where the role has no capacity.
    pub utilization: Vec<Vec<f64>>,
}

/// Runs the forecast and keeps the replication-level numbers beside the summary.
pub fn simulate_runs(params: &Params, options: &SimOptions, currency: &str) -> (SimResult, Runs) {
    let mut forecast = Growing::new(params, options);
    forecast.grow_to(options.runs);
    forecast.result(currency)
}

/// A forecast whose replications grow in batches, for comparisons that stop once their answer
/// is precise enough: replication `i` always draws stream `i`, so after growing to `n` the
/// records are exactly those of a fixed forecast of `n` replications, and no replication is
/// run twice. The engine (and the settled stock it starts from) is built once.
pub struct Growing<'a> {
    params: std::borrow::Cow<'a, Params>,
    options: SimOptions<'a>,
    engine: super::Engine,
    uncapped: super::Uncapped,
    records: Vec<f32>,
}

impl<'a> Growing<'a> {
    /// No replication yet; `options.runs` is ignored ([`Growing::grow_to`] sets the runs).
    pub fn new(params: &'a Params, options: &SimOptions<'a>) -> Growing<'a> {
        Growing::with(std::borrow::Cow::Borrowed(params), options)
    }

    /// [`Growing::new`] for parameters the forecast keeps (a variant built on the way).
    pub fn owning(params: Params, options: &SimOptions<'a>) -> Growing<'a> {
        Growing::with(std::borrow::Cow::Owned(params), options)
    }

    fn with(params: std::borrow::Cow<'a, Params>, options: &SimOptions<'a>) -> Growing<'a> {
        let (engine, uncapped) = super::engine(&params, options);
        Growing {
            params,
            options: SimOptions { runs: 0, ..*options },
            engine,
            uncapped,
            records: Vec::new(),
        }
    }

    /// Replications run so far.
    pub fn runs(&self) -> u32 {
        self.options.runs
    }

    /// Runs replications `runs() .. n` (nothing when `n ≤ runs()`).
    pub fn grow_to(&mut self, n: u32) {
        let have = self.options.runs;
        if n <= have {
            return;
        }
        let batch = SimOptions {
            runs: n - have,
            ..self.options
        };
        let records = replicate_all(&self.engine, &batch, u64::from(have));
        // The first batch is moved in, not copied: a forecast's records are its largest memory.
        if self.records.is_empty() {
            self.records = records;
        } else {
            self.records.extend(records);
        }
        self.options.runs = n;
    }

    /// The summary and the replication-level numbers of the replications run so far.
    pub fn result(&self, currency: &str) -> (SimResult, Runs) {
        let (params, options, engine) = (&*self.params, &self.options, &self.engine);
        let records = &self.records;
        let width = engine.layout.len();
        let result = summarise(params, engine, options, currency, records, width, self.uncapped);
        let column = |i: usize| -> Vec<f64> {
            if width == 0 {
                return vec![0.0; options.runs as usize];
            }
            records.chunks(width).map(|r| f64::from(r[i])).collect()
        };
        let runs = Runs {
            won: column(slot::WON),
            revenue: column(slot::REVENUE),
            profit: column(slot::PROFIT),
            plan_met: if params.plan.is_some() {
                column(slot::PLAN_MET)
            } else {
                Vec::new()
            },
            utilization: (0..params.roles.len())
                .map(|r| column(engine.layout.role(r, 0)))
                .collect(),
        };
        (result, runs)
    }
}

/// One variant's revenue, replication by replication, grown in batches like [`Growing`] but
/// keeping only the revenue. Many variants grow together in one parallel pass
/// ([`Revenues::grow_all`]), so both cores stay busy however few replications each adds.
pub struct Revenues {
    engine: super::Engine,
    /// Revenue of replications `0 .. len`: the same numbers a fixed forecast of those
    /// replications gives (replication `i` draws stream `i`).
    pub revenue: Vec<f64>,
}

/// Replications one task of [`Revenues::grow_all`] runs in a row: small enough that the last
/// tasks balance the cores, large enough that setting up a task's state is noise.
const TASK_RUNS: u32 = 8;

impl Revenues {
    /// No replication yet; the engine (and the settled stock it starts from) is built once.
    pub fn new(params: &Params, options: &SimOptions) -> Revenues {
        Revenues {
            engine: super::engine_at_start(params, options).0,
            revenue: Vec::new(),
        }
    }

    /// Grows each variant `variants[i]` to `want[i]` replications (nothing where it has as
    /// many), all of them as one parallel job of short tasks on `options.threads`.
    pub fn grow_all(variants: &mut [Revenues], want: &[u32], options: &SimOptions) {
        let mut tasks: Vec<(usize, u32, u32)> = Vec::new();
        for (v, (variant, &n)) in variants.iter().zip(want).enumerate() {
            let mut first = variant.revenue.len() as u32;
            while first < n {
                let end = (first + TASK_RUNS).min(n);
                tasks.push((v, first, end));
                first = end;
            }
        }
        let engines: Vec<&super::Engine> = variants.iter().map(|v| &v.engine).collect();
        let run = |&(v, first, end): &(usize, u32, u32)| -> Vec<f64> {
            let engine = engines[v];
            let width = engine.layout.len();
            let mut work = super::Work::new(engine);
            let mut out = vec![0f32; width];
            (first..end)
                .map(|i| {
                    let mut rng = super::stream(options.seed, u64::from(i));
                    let revenue = if width > 0 {
                        engine.replicate(&mut work, &mut rng, &mut out);
                        f64::from(out[slot::REVENUE])
                    } else {
                        0.0
                    };
                    if let Some(progress) = options.progress {
                        progress(1);
                    }
                    revenue
                })
                .collect()
        };
        let body = || tasks.par_iter().map(run).collect::<Vec<Vec<f64>>>();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads.unwrap_or(0))
            .build();
        let done = match pool {
            Ok(pool) => pool.install(body),
            Err(_) => body(),
        };
        // Tasks are in replication order within each variant.
        for (&(v, _, _), revenue) in tasks.iter().zip(done) {
            variants[v].revenue.extend(revenue);
        }
    }
}

/// A mean difference with its paired 95% interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Paired {
    pub mean: f64,
    /// mean ± 1.96·sd/√n of the per-replication differences.
    pub ci95: [f64; 2],
}

impl Paired {
    /// The interval lies wholly above or below zero.
    pub fn excludes_zero(&self) -> bool {
        self.ci95[0] > 0.0 || self.ci95[1] < 0.0
    }
}

/// Summarises `b − a` replication by replication (finite pairs only).
pub fn paired(a: &[f64], b: &[f64]) -> Paired {
    let d: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| y - x)
        .filter(|x| x.is_finite())
        .collect();
    if d.is_empty() {
        return Paired::default();
    }
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let sd = if d.len() > 1 {
        (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let half = 1.96 * sd / n.sqrt();
    Paired {
        mean,
        ci95: [mean - half, mean + half],
    }
}

#[cfg(test)]
mod tests {
    use super::paired;

    #[test]
    fn identical_runs_differ_by_exactly_zero() {
        let a = [1.0, 5.0, 2.0];
        let p = paired(&a, &a);
        assert_eq!((p.mean, p.ci95), (0.0, [0.0, 0.0]));
        let p = paired(&a, &[2.0, 6.0, 3.0]);
        assert_eq!((p.mean, p.ci95), (1.0, [1.0, 1.0]));
        assert!(p.excludes_zero());
    }
}
