//! Distributions for the engine: durations discretised to whole working days, and samplers
//! for money (deal sizes).

use crate::model::Distribution;
use rand::Rng;
use rand_distr::{Distribution as _, LogNormal, Triangular};

/// A distribution over whole days: `P(delay = offset + i) = probs[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DayPmf {
    pub offset: usize,
    pub probs: Vec<f64>,
}

impl DayPmf {
    pub fn max_delay(&self) -> usize {
        self.offset + self.probs.len().saturating_sub(1)
    }

    pub fn mean(&self) -> f64 {
        self.probs
            .iter()
            .enumerate()
            .map(|(i, p)| (self.offset + i) as f64 * p)
            .sum()
    }
}

/// Spreads a value over its two neighbouring whole days so that the mean is kept exactly
/// (`x = 2.25` → 75% on day 2, 25% on day 3).
fn hat(p: &mut Vec<f64>, x: f64, w: f64) {
    let x = x.max(0.0);
    let k = x.floor() as usize;
    let frac = x - k as f64;
    if p.len() < k + 2 {
        p.resize(k + 2, 0.0);
    }
    p[k] += w * (1.0 - frac);
    p[k + 1] += w * frac;
}

fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The continuous CDF and the top of the support for the continuous families.
/// A cumulative distribution function.
type Cdf = Box<dyn Fn(f64) -> f64>;

fn continuous(d: &Distribution) -> Option<(Cdf, f64)> {
    match *d {
        Distribution::Uniform { min, max } if max > min => Some((
            Box::new(move |x: f64| ((x - min) / (max - min)).clamp(0.0, 1.0)),
            max,
        )),
        Distribution::Triangular { min, mode, max } if max > min => {
            let mode = mode.clamp(min, max);
            let cdf = move |x: f64| {
                if x <= min {
                    0.0
                } else if x >= max {
                    1.0
                } else if x <= mode {
                    (x - min).powi(2) / ((max - min) * (mode - min))
                } else {
                    1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
                }
            };
            Some((Box::new(cdf), max))
        }
        Distribution::LogNormal { mean, sd } if mean > 0.0 && sd > 0.0 => {
            let s2 = (1.0 + (sd / mean).powi(2)).ln();
            let (mu, s) = (mean.ln() - s2 / 2.0, s2.sqrt());
            // The 1 − 1e-7 quantile: z ≈ 5.2.
            let top = (mu + 5.2 * s).exp();
            let cdf = move |x: f64| {
                if x <= 0.0 {
                    0.0
                } else {
                    normal_cdf((x.ln() - mu) / s)
                }
            };
            Some((Box::new(cdf), top))
        }
        _ => None,
    }
}

/// The delay of a repeat purchase in whole days: [`day_pmf`] with a same-day repeat moved to
/// the next day (a repeat purchase comes a day later at the earliest).
pub fn repeat_pmf(d: &Distribution, cap: usize) -> DayPmf {
    let mut pmf = day_pmf(d, cap);
    if pmf.offset == 0 {
        let first = pmf.probs.remove(0);
        if pmf.probs.is_empty() {
            pmf.probs.push(0.0);
        }
        pmf.probs[0] += first;
        pmf.offset = 1;
    }
    pmf
}

/// Discretises a duration in days to whole days with the hat kernel, which keeps the mean:
/// `P(k) = E[max(0, 1 − |X − k|)]`. Support above `cap` days is folded into day `cap` (the
/// horizon's end: later than that makes no difference to the result).
pub fn day_pmf(d: &Distribution, cap: usize) -> DayPmf {
    let mut p = Vec::new();
    let cap_f = cap as f64;
    if let Some((cdf, top)) = continuous(d) {
        // P(k) = G(k+1) − 2G(k) + G(k−1), G(x) = ∫₀ˣ F, integrated on a fine grid.
        let top = top.min(cap_f + 2.0).max(0.0);
        let days = top.ceil() as usize + 2;
        const STEPS: usize = 64;
        let h = 1.0 / STEPS as f64;
        let mut g = vec![0.0; days + 1];
        let (mut acc, mut prev) = (0.0, cdf(0.0));
        for (k, gk) in g.iter_mut().enumerate().skip(1) {
            for j in 1..=STEPS {
                let f = cdf((k - 1) as f64 + j as f64 * h);
                acc += (prev + f) * h / 2.0;
                prev = f;
            }
            *gk = acc;
        }
        p = (0..days)
            .map(|k| {
                let below = if k == 0 { 0.0 } else { g[k - 1] };
                (g[k + 1] - 2.0 * g[k] + below).max(0.0)
            })
            .collect();
    } else {
        match d {
            Distribution::Empirical { values } if !values.is_empty() => {
                let w = 1.0 / values.len() as f64;
                for v in values {
                    hat(&mut p, if v.is_finite() { *v } else { 0.0 }, w);
                }
            }
            other => {
                let m = other.mean();
                hat(&mut p, if m.is_finite() { m.min(cap_f) } else { 0.0 }, 1.0);
            }
        }
    }
    // Fold the tail beyond the cap.
    if p.len() > cap + 1 {
        let tail: f64 = p[cap + 1..].iter().sum();
        p.truncate(cap + 1);
        p[cap] += tail;
    }
    let sum: f64 = p.iter().sum();
    if sum.is_nan() || sum <= 0.0 {
        return DayPmf {
            offset: 0,
            probs: vec![1.0],
        };
    }
    for x in &mut p {
        *x /= sum;
        if *x < 1e-12 {
            *x = 0.0;
        }
    }
    let first = p.iter().position(|&x| x > 0.0).unwrap_or(0);
    let last = p.iter().rposition(|&x| x > 0.0).unwrap_or(0);
    let probs: Vec<f64> = p[first..=last].to_vec();
    let sum: f64 = probs.iter().sum();
    DayPmf {
        offset: first,
        probs: probs.into_iter().map(|x| x / sum).collect(),
    }
}

/// A sampler of money amounts (check sizes).
#[derive(Debug, Clone)]
pub enum Amount {
    Zero,
    Fixed(f64),
    Uniform(f64, f64),
    Triangular(Triangular<f64>),
    LogNormal(LogNormal<f64>),
    Empirical(Vec<f64>),
}

impl Amount {
    pub fn new(d: Option<&Distribution>) -> Amount {
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        match d {
            None => Amount::Zero,
            Some(Distribution::Fixed { value }) if ok(*value) => Amount::Fixed(*value),
            Some(Distribution::Uniform { min, max }) if ok(*min) && ok(*max) && max > min => {
                Amount::Uniform(*min, *max)
            }
            Some(Distribution::Triangular { min, mode, max }) if ok(*min) && ok(*max) && max > min => {
                Triangular::new(*min, *max, mode.clamp(*min, *max)).map_or(Amount::Zero, Amount::Triangular)
            }
            Some(Distribution::LogNormal { mean, sd })
                if ok(*mean) && ok(*sd) && *mean > 0.0 && *sd > 0.0 =>
            {
                let s2 = (1.0 + (sd / mean).powi(2)).ln();
                LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt())
                    .map_or(Amount::Fixed(*mean), Amount::LogNormal)
            }
            Some(Distribution::Empirical { values }) => {
                let v: Vec<f64> = values.iter().copied().filter(|x| ok(*x)).collect();
                if v.is_empty() {
                    Amount::Zero
                } else {
                    Amount::Empirical(v)
                }
            }
            Some(other) => {
                let m = other.mean();
                if ok(m) { Amount::Fixed(m) } else { Amount::Zero }
            }
        }
    }

    /// The mean of one amount of `d`, as [`Amount::new`] reads it and [`Amount::each`] draws it.
    pub fn mean_of(d: Option<&Distribution>) -> f64 {
        match (Amount::new(d), d) {
            (Amount::Zero, _) | (_, None) => 0.0,
            (Amount::Fixed(v), _) => v,
            (Amount::Uniform(a, b), _) => (a + b) / 2.0,
            (Amount::Triangular(_), Some(Distribution::Triangular { min, mode, max })) => {
                (min + mode.clamp(*min, *max) + max) / 3.0
            }
            (Amount::LogNormal(_), Some(Distribution::LogNormal { mean, .. })) => *mean,
            (Amount::Empirical(v), _) => v.iter().sum::<f64>() / v.len() as f64,
            (_, Some(other)) => other.mean(),
        }
    }

    /// The total of `n` independent amounts, each also given to `visit` (a trace records the
    /// deals one by one; a forecast's `visit` does nothing and is compiled away).
    pub fn each<R: Rng>(&self, n: u64, rng: &mut R, mut visit: impl FnMut(f64)) -> f64 {
        let mut draw = |x: f64| {
            visit(x);
            x
        };
        match self {
            Amount::Zero => {
                (0..n).for_each(|_| {
                    draw(0.0);
                });
                0.0
            }
            Amount::Fixed(v) => {
                (0..n).for_each(|_| {
                    draw(*v);
                });
                *v * n as f64
            }
            Amount::Uniform(a, b) => (0..n).map(|_| draw(rng.random_range(*a..*b))).sum(),
            Amount::Triangular(t) => (0..n).map(|_| draw(t.sample(rng))).sum(),
            Amount::LogNormal(l) => (0..n).map(|_| draw(l.sample(rng))).sum(),
            Amount::Empirical(v) => (0..n).map(|_| draw(v[rng.random_range(0..v.len())])).sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_of(d: &Distribution) -> f64 {
        day_pmf(d, 10_000).mean()
    }

    #[test]
    fn discretisation_keeps_the_mean() {
        let cases = [
            Distribution::Fixed { value: 2.25 },
            Distribution::Uniform { min: 1.0, max: 3.0 },
            Distribution::Triangular {
                min: 2.0,
                mode: 4.0,
                max: 10.0,
            },
            Distribution::LogNormal { mean: 7.0, sd: 4.0 },
            Distribution::Empirical {
                values: vec![3.0, 5.0, 5.0, 7.0, 10.0, 14.0],
            },
        ];
        for d in &cases {
            assert!((mean_of(d) - d.mean()).abs() < 2e-3, "{d:?}: {}", mean_of(d));
        }
        let u = day_pmf(&Distribution::Uniform { min: 1.0, max: 3.0 }, 100);
        assert_eq!(u.offset, 1);
        assert!((u.probs[1] - 0.5).abs() < 1e-3 && (u.probs[0] - 0.25).abs() < 1e-3);
    }

    #[test]
    fn the_cap_folds_the_tail() {
        let p = day_pmf(&Distribution::Fixed { value: 500.0 }, 20);
        assert_eq!((p.offset, p.probs.clone()), (20, vec![1.0]));
    }
}
