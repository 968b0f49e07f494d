//! Summaries of one metric over the replications.

use serde::{Deserialize, Serialize};

/// Mean with its 95% confidence interval, standard deviation and quantiles of a metric over
/// the replications (those where the metric is defined).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub mean: f64,
    /// Normal-approximation interval for the mean: mean ± 1.96·sd/√n.
    pub ci95: [f64; 2],
    pub sd: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// The q-quantile with linear interpolation between order statistics (R's type 7), by
/// selection rather than a full sort.
fn quantile(v: &mut [f64], q: f64) -> f64 {
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let (_, &mut a, right) = v.select_nth_unstable_by(lo, f64::total_cmp);
    let frac = h - lo as f64;
    if frac == 0.0 || right.is_empty() {
        return a;
    }
    let b = right.iter().copied().fold(f64::INFINITY, f64::min);
    a + (b - a) * frac
}

impl Stats {
    /// Summarises the finite values; `None` when there are none.
    pub fn of(mut v: Vec<f64>) -> Option<Stats> {
        v.retain(|x| x.is_finite());
        if v.is_empty() {
            return None;
        }
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = if v.len() > 1 {
            v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            0.0
        };
        let sd = var.sqrt();
        let half = 1.96 * sd / n.sqrt();
        Some(Stats {
            mean,
            ci95: [mean - half, mean + half],
            sd,
            p10: quantile(&mut v, 0.1),
            p50: quantile(&mut v, 0.5),
            p90: quantile(&mut v, 0.9),
        })
    }

    /// Standard error of the mean.
    pub fn se(&self, runs: u32) -> f64 {
        self.sd / f64::from(runs.max(1)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::Stats;

    #[test]
    fn quantiles_interpolate() {
        let s = Stats::of((1..=11).map(f64::from).rev().collect()).unwrap();
        assert_eq!((s.p10, s.p50, s.p90, s.mean), (2.0, 6.0, 10.0, 6.0));
        let s = Stats::of(vec![0.0, 10.0]).unwrap();
        assert_eq!((s.p10, s.p50), (1.0, 5.0));
        assert!(Stats::of(vec![f64::NAN]).is_none());
    }
}
