//! The estimators calibration needs: a share's Wilson interval, the Kaplan–Meier curve of
//! times with right censoring (deals still in a stage), and the fit of the language's duration
//! forms (`логнорм`, `треуг`) to that curve with the Kolmogorov–Smirnov distance.

/// z of a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson 95 % interval of `k` successes in `n` trials (`None` for no trials).
pub fn wilson(k: usize, n: usize) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

/// The 95 % interval of a mean from its sample (normal approximation).
pub fn mean_interval(xs: &[f64]) -> Option<(f64, [f64; 2])> {
    if xs.is_empty() {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let sd = if xs.len() > 1 {
        (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let half = Z95 * sd / n.sqrt();
    Some((mean, [mean - half, mean + half]))
}

/// The 95 % interval of a Poisson count's rate per unit of `exposure` (normal approximation
/// on the square root, which stays positive and is good from a handful of counts).
pub fn rate_interval(count: usize, exposure: f64) -> [f64; 2] {
    let root = (count as f64).sqrt();
    let lo = (root - Z95 / 2.0).max(0.0).powi(2);
    let hi = (root + Z95 / 2.0).powi(2);
    [lo / exposure, hi / exposure]
}

/// The Kaplan–Meier curve of whole-day times: `steps[i] = (t, S(t))`, the share still in the
/// stage after `t` days, at every day with an exit.
#[derive(Debug, Clone, PartialEq)]
pub struct Survival {
    pub steps: Vec<(u32, f64)>,
    /// Exits (events) and deals still in the stage (censored).
    pub events: usize,
    pub censored: usize,
    /// The longest time seen, event or censored.
    pub longest: u32,
}

impl Survival {
    /// From `(days, left)` pairs: `left` = the deal left the stage after `days`; otherwise it
    /// was still there after `days` (censored).
    pub fn new(times: &[(u32, bool)]) -> Survival {
        let mut sorted = times.to_vec();
        // Exits before censorings at the same time (the usual convention).
        sorted.sort_by_key(|&(t, left)| (t, !left));
        let mut at_risk = sorted.len();
        let mut s = 1.0;
        let mut steps = Vec::new();
        let mut i = 0;
        let (mut events, mut censored) = (0, 0);
        while i < sorted.len() {
            let t = sorted[i].0;
            let (mut d, mut c) = (0, 0);
            while i < sorted.len() && sorted[i].0 == t {
                if sorted[i].1 {
                    d += 1;
                } else {
                    c += 1;
                }
                i += 1;
            }
            if d > 0 && at_risk > 0 {
                s *= 1.0 - d as f64 / at_risk as f64;
                steps.push((t, s));
            }
            events += d;
            censored += c;
            at_risk -= d + c;
        }
        Survival {
            steps,
            events,
            censored,
            longest: sorted.last().map_or(0, |&(t, _)| t),
        }
    }

    /// S(t): the share still in the stage after `t` days.
    pub fn survival(&self, t: u32) -> f64 {
        self.steps
            .iter()
            .take_while(|&&(u, _)| u <= t)
            .last()
            .map_or(1.0, |&(_, s)| s)
    }

    /// The smallest whole day by which at least the share `q` has left; `None` when the curve
    /// never gets there (too many deals still in the stage).
    pub fn quantile(&self, q: f64) -> Option<u32> {
        self.steps
            .iter()
            .find(|&&(_, s)| 1.0 - s >= q - 1e-12)
            .map(|&(t, _)| t)
    }

    /// The mean time restricted to the longest time seen (the area under the curve): the mean
    /// itself when the last deal left, a lower bound when deals are still in the stage.
    pub fn restricted_mean(&self) -> f64 {
        let mut area = 0.0;
        let (mut prev_t, mut prev_s) = (0u32, 1.0);
        for &(t, s) in &self.steps {
            area += f64::from(t - prev_t) * prev_s;
            prev_t = t;
            prev_s = s;
        }
        area + f64::from(self.longest.saturating_sub(prev_t)) * prev_s
    }
}

/// A duration written in the language's form, with its distance to the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// `логнорм(4,2, 3,1) дн`, `треуг(1, 3, 9) дн`, `2 дн`.
    pub text_ru: String,
    pub text_en: String,
    /// The parameters as a scenario takes them: (min, mode, max) days for `треуг`.
    pub triangular: Option<[f64; 3]>,
    pub mean: f64,
    /// The largest gap between the fitted and the Kaplan–Meier distribution functions at whole
    /// days (Kolmogorov–Smirnov).
    pub ks: f64,
}

fn number_ru(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}").replace('.', ",")
    }
}

fn number_en(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The standard normal distribution function.
fn phi(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// The Kolmogorov–Smirnov distance between the curve and a distribution function `cdf` of a
/// continuous time, the day `t` covering `[t, t + 1)` (a time of `t` whole days is any time
/// below `t + 1`), up to the longest time seen.
fn ks(curve: &Survival, cdf: impl Fn(f64) -> f64) -> f64 {
    (0..=curve.longest)
        .map(|t| ((1.0 - curve.survival(t)) - cdf(f64::from(t) + 1.0)).abs())
        .fold(0.0, f64::max)
}

/// The language's duration that fits the curve best: a fixed number of days when every deal
/// left on the same day, else the better by KS of a lognormal (through the curve's quartiles)
/// and a triangular (through its 5th and 95th percentiles and its most frequent day).
pub fn fit_duration(curve: &Survival) -> Option<Fitted> {
    let median = curve.quantile(0.5)?;
    let (q25, q75) = (
        curve.quantile(0.25)?,
        curve.quantile(0.75).unwrap_or(curve.longest),
    );
    if curve.steps.len() == 1 {
        let t = f64::from(median);
        return Some(Fitted {
            text_ru: format!("{} дн", number_ru(t)),
            text_en: format!("{} d", number_en(t)),
            triangular: Some([t, t, t]),
            mean: t,
            ks: 0.0,
        });
    }
    let mut fits = Vec::new();
    // Lognormal of the time in days through the quartiles of the middle of each day.
    let (l25, l50, l75) = (
        (f64::from(q25) + 0.5).ln(),
        (f64::from(median) + 0.5).ln(),
        (f64::from(q75) + 0.5).ln(),
    );
    let sigma = ((l75 - l25) / 1.348_979_500_392_163).max(0.05);
    let mu = l50;
    let mean = (mu + sigma * sigma / 2.0).exp();
    let sd = mean * (sigma * sigma).exp_m1().sqrt();
    let d = ks(curve, |x| phi((x.ln() - mu) / sigma));
    fits.push(Fitted {
        text_ru: format!("логнорм({}, {}) дн", number_ru(mean), number_ru(sd)),
        text_en: format!("lognormal({}, {}) d", number_en(mean), number_en(sd)),
        triangular: None,
        mean,
        ks: d,
    });
    // Triangular through the 5th and 95th percentiles and the modal day.
    let lo = f64::from(curve.quantile(0.05).unwrap_or(0));
    let hi = f64::from(curve.quantile(0.95).unwrap_or(curve.longest)) + 1.0;
    let mut prev = 1.0;
    let mut modal = (0.0, lo);
    for &(t, s) in &curve.steps {
        if prev - s > modal.0 {
            modal = (prev - s, f64::from(t) + 0.5);
        }
        prev = s;
    }
    let mode = modal.1.clamp(lo, hi);
    if hi > lo {
        let cdf = |x: f64| {
            if x <= lo {
                0.0
            } else if x >= hi {
                1.0
            } else if x <= mode {
                (x - lo).powi(2) / ((hi - lo) * (mode - lo).max(1e-9))
            } else {
                1.0 - (hi - x).powi(2) / ((hi - lo) * (hi - mode).max(1e-9))
            }
        };
        let d = ks(curve, cdf);
        let (a, m, b) = (lo.round(), mode.round(), hi.round());
        fits.push(Fitted {
            text_ru: format!("треуг({}, {}, {}) дн", number_ru(a), number_ru(m), number_ru(b)),
            text_en: format!("tri({}, {}, {}) d", number_en(a), number_en(m), number_en(b)),
            triangular: Some([a, m.clamp(a, b), b]),
            mean: (lo + mode + hi) / 3.0,
            ks: d,
        });
    }
    fits.into_iter().min_by(|a, b| a.ks.total_cmp(&b.ks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_textbook_interval() {
        // 81 of 263: 0.2553 … 0.3662 (Wilson, z = 1.96).
        let [lo, hi] = wilson(81, 263).expect("trials");
        assert!(
            (lo - 0.2553).abs() < 5e-4 && (hi - 0.3662).abs() < 5e-4,
            "{lo} {hi}"
        );
        assert_eq!(wilson(0, 0), None);
        let [lo, hi] = wilson(0, 10).expect("trials");
        assert!(lo == 0.0 && hi > 0.25 && hi < 0.35);
    }

    #[test]
    fn kaplan_meier_counts_the_deals_still_in_the_stage_as_at_risk() {
        // 1, 2 (censored), 3, 3, 5 (censored): S(1) = 4/5, S(3) = 4/5 · (1 − 2/3).
        let curve = Survival::new(&[(1, true), (2, false), (3, true), (3, true), (5, false)]);
        assert_eq!(curve.steps.len(), 2);
        assert!((curve.survival(1) - 0.8).abs() < 1e-12);
        assert!((curve.survival(4) - 0.8 / 3.0).abs() < 1e-12);
        assert_eq!(curve.quantile(0.5), Some(3));
        assert_eq!((curve.events, curve.censored, curve.longest), (3, 2, 5));
        // Area: 1·1 + 2·0.8 + 2·(0.8/3).
        assert!((curve.restricted_mean() - (1.0 + 1.6 + 1.6 / 3.0)).abs() < 1e-12);
    }

    #[test]
    fn a_lognormal_sample_is_fitted_as_lognormal_with_its_mean() {
        use rand::SeedableRng;
        use rand_distr::{Distribution, LogNormal};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let d = LogNormal::new(2.0, 0.5).expect("valid");
        let times: Vec<(u32, bool)> = (0..5000).map(|_| (d.sample(&mut rng) as u32, true)).collect();
        let fit = fit_duration(&Survival::new(&times)).expect("a fit");
        assert!(fit.text_ru.starts_with("логнорм("), "{}", fit.text_ru);
        let want = (2.0f64 + 0.125).exp();
        assert!((fit.mean - want).abs() / want < 0.08, "{} vs {want}", fit.mean);
        assert!(fit.ks < 0.05, "{}", fit.ks);
        let same = fit_duration(&Survival::new(&[(2, true), (2, true)])).expect("fixed");
        assert_eq!(same.text_ru, "2 дн");
    }
}
