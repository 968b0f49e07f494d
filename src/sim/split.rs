//! Exact multinomial splits of a cohort of exchangeable leads over a fixed set of cells (a
//! stage's outcome × delay, a purchase's repeat × delay): the one sampling primitive of the
//! engine. Depends on nothing but `rand`.
//!
//! Two ways to draw the same distribution, chosen by cost: a small cohort goes lead by lead
//! (inverse transform of a 64-bit word through a guide table), a large one as a chain of
//! conditional binomials (`rand_distr::Binomial`) that stops when nothing is left.

use rand::{Rng, RngCore};
use rand_distr::{Binomial, Distribution};

/// A guide entry whose bucket holds a cell boundary: the search goes on from its cell.
const MIXED: u32 = 1 << 31;

/// The cells of one multinomial, compiled for both ways of drawing.
#[derive(Debug, Clone)]
pub struct Cells {
    /// Cumulative probabilities scaled to 2⁶⁴, trimmed after the last non-empty cell, which
    /// ends at `u64::MAX`: a word `x` falls in the first cell `i` with `x < cum[i]`.
    cum: Vec<u64>,
    /// `guide[g]`: the cell of every word whose top `bits` bits are `g`, or (with [`MIXED`])
    /// the first cell such a word can fall in.
    guide: Vec<u32>,
    /// Bits of a word that pick its guide bucket: 6 to 12 (`Cells::new`), for which
    /// [`Cells::dispatch`] has a loop each.
    bits: u32,
    /// P(cell i | not an earlier cell), for the chain of binomials.
    cond: Vec<f64>,
    /// Cohorts up to this size are split lead by lead.
    small: u64,
}

impl Cells {
    /// Cells with the given weights (normalised here); no mass at all gives empty cells, which
    /// [`Cells::split`] leaves untouched.
    pub fn new(weights: &[f64]) -> Cells {
        let total: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
        let last = weights.iter().rposition(|&w| w.is_finite() && w > 0.0);
        let (Some(last), true) = (last, total > 0.0 && total.is_finite()) else {
            return Cells {
                cum: Vec::new(),
                guide: Vec::new(),
                bits: 6,
                cond: Vec::new(),
                small: 0,
            };
        };
        let clean = |w: f64| if w.is_finite() && w > 0.0 { w / total } else { 0.0 };
        let mut acc = 0.0;
        let mut cum: Vec<u64> = weights[..=last]
            .iter()
            .map(|&w| {
                acc += clean(w);
                // 2⁶⁴ as f64; the cast saturates.
                (acc * 18_446_744_073_709_551_616.0) as u64
            })
            .collect();
        cum[last] = u64::MAX;
        let mut tail: f64 = weights[..=last].iter().map(|&w| clean(w)).sum();
        let cond = weights[..=last]
            .iter()
            .enumerate()
            .map(|(i, &w)| {
                let p = clean(w);
                let c = if i == last || tail <= 0.0 {
                    1.0
                } else {
                    (p / tail).clamp(0.0, 1.0)
                };
                tail -= p;
                c
            })
            .collect();
        // Sixty-four buckets per non-empty cell, up to 64 cells (4 096 buckets at most): at
        // most one bucket in sixty-four holds a boundary, so a lead nearly always costs `bits`
        // random bits and one look-up. The search for the others is a branch the processor
        // cannot predict; at sixteen buckets a cell its mispredictions cost ~7 % of the time.
        let nonzero = weights.iter().filter(|&&w| clean(w) > 0.0).count();
        let bits = (nonzero.next_power_of_two().trailing_zeros() + 6).clamp(6, 12);
        let span = 64 - bits;
        // One pass over buckets and cells together: a bucket's first word falls in the first
        // cell `i` (at most `last`) with `lo < cum[i]`, which only moves forward; the bucket
        // holds a boundary when its last word is past that cell.
        let mut i = 0;
        let guide = (0..1u64 << bits)
            .map(|g| {
                let (lo, hi) = (g << span, (g << span) | ((1u64 << span) - 1));
                while i < last && cum[i] <= lo {
                    i += 1;
                }
                if i < last && cum[i] <= hi {
                    i as u32 | MIXED
                } else {
                    i as u32
                }
            })
            .collect();
        // A lead costs a few random bits and a look-up; a binomial of the chain about twice
        // that plus a step per lead. Split lead by lead while that is cheaper.
        Cells {
            cum,
            guide,
            bits,
            cond,
            small: (20 * nonzero as u64).max(24),
        }
    }

    /// The cell of a lead whose word starts with the bits `g` of a guide entry `entry` that
    /// holds a boundary: the word's other bits are drawn and the boundaries compared, so the
    /// draw is the inverse transform of a uniform 64-bit word.
    #[cold]
    fn search<R: RngCore>(&self, g: u64, entry: u32, rng: &mut R) -> usize {
        let x = (g << (64 - self.bits)) | (rng.next_u64() >> self.bits);
        let last = self.cum.len() - 1;
        let mut i = (entry & !MIXED) as usize;
        while i < last && self.cum[i] <= x {
            i += 1;
        }
        i
    }

    /// Cells up to the last that can be drawn: a cell past them never gets a lead.
    pub fn len(&self) -> usize {
        self.cum.len()
    }

    /// No cell can be drawn (no mass at all).
    pub fn is_empty(&self) -> bool {
        self.cum.is_empty()
    }

    /// Cohorts up to this size cost less lead by lead ([`Cells::each`]) than as a chain of
    /// binomials.
    pub fn small(&self) -> u64 {
        self.small
    }

    /// Draws the cell of each of `n` leads and calls `visit` with it. The top `bits` bits of a
    /// lead's uniform word pick its guide bucket, and the rest of the word is drawn only when
    /// the bucket holds a boundary. So one 64-bit word serves several leads, and every lead is
    /// still an exact 64-bit inverse transform.
    ///
    /// The loop is compiled once per guide size ([`Cells::each_bits`]), so that its shifts and
    /// leads per word are constants: a whole word's leads are unrolled and the guide needs no
    /// bounds check per lead. The same words in the same order either way.
    #[inline(always)]
    pub fn each<R: Rng>(&self, n: u64, rng: &mut R, visit: impl FnMut(usize)) {
        // A bucket inside one cell holds that cell's index: the guide is its own table.
        let entry = |guide: &[u32], g: usize| {
            let entry = guide[g];
            (entry & MIXED == 0).then_some(entry as usize)
        };
        self.dispatch(n, rng, &self.guide, entry, |cell| cell, visit);
    }

    /// Per guide bucket, `f` of the bucket's cell, or `mark` for a bucket that holds a
    /// boundary, for [`Cells::each_mapped`]. `mark` must differ from every `f(i)`.
    pub fn bucket_table<T>(&self, f: impl Fn(usize) -> T, mark: T) -> Vec<T>
    where
        T: Copy,
    {
        self.guide
            .iter()
            .map(|&entry| {
                if entry & MIXED == 0 {
                    f(entry as usize)
                } else {
                    mark
                }
            })
            .collect()
    }

    /// [`Cells::each`] that visits each lead with `buckets[g]` for its guide bucket `g` (a
    /// [`Cells::bucket_table`] whose boundary buckets hold a value `is_mark` knows), or with
    /// `cell(i)` for a lead whose bucket holds a boundary: what a caller keeps per cell,
    /// without a look-up in the guide or by cell (or a bounds check) for nearly every lead.
    /// The same draws as [`Cells::each`].
    #[inline(always)]
    pub fn each_mapped<T: Copy, R: Rng>(
        &self,
        n: u64,
        rng: &mut R,
        buckets: &[T],
        is_mark: impl Fn(T) -> bool,
        cell: impl Fn(usize) -> T,
        visit: impl FnMut(T),
    ) {
        let bucket = |buckets: &[T], g: usize| {
            let x = buckets[g];
            (!is_mark(x)).then_some(x)
        };
        self.dispatch(n, rng, buckets, bucket, cell, visit);
    }

    /// The loop of [`Cells::each`] and [`Cells::each_mapped`] for this guide's size: a lead in
    /// a bucket inside one cell is `pick(table, bucket)`, the table cut to the guide's length
    /// (so that a constant-size look-up needs no check); `pick` gives `None` for a bucket that
    /// holds a boundary, whose lead is `cell(i)`.
    #[inline(always)]
    fn dispatch<U, T: Copy, R: Rng>(
        &self,
        n: u64,
        rng: &mut R,
        table: &[U],
        pick: impl Fn(&[U], usize) -> Option<T>,
        cell: impl Fn(usize) -> T,
        visit: impl FnMut(T),
    ) {
        if self.is_empty() {
            return;
        }
        match self.bits {
            6 => self.each_bits::<6, U, T, R>(n, rng, table, pick, cell, visit),
            7 => self.each_bits::<7, U, T, R>(n, rng, table, pick, cell, visit),
            8 => self.each_bits::<8, U, T, R>(n, rng, table, pick, cell, visit),
            9 => self.each_bits::<9, U, T, R>(n, rng, table, pick, cell, visit),
            10 => self.each_bits::<10, U, T, R>(n, rng, table, pick, cell, visit),
            11 => self.each_bits::<11, U, T, R>(n, rng, table, pick, cell, visit),
            12 => self.each_bits::<12, U, T, R>(n, rng, table, pick, cell, visit),
            _ => unreachable!("`Cells::new` builds guides of 6 to 12 bits"),
        }
    }

    /// [`Cells::dispatch`] for a guide of `2^B` buckets.
    #[inline(always)]
    fn each_bits<const B: u32, U, T: Copy, R: Rng>(
        &self,
        n: u64,
        rng: &mut R,
        table: &[U],
        pick: impl Fn(&[U], usize) -> Option<T>,
        cell: impl Fn(usize) -> T,
        mut visit: impl FnMut(T),
    ) {
        // Exactly 2^B entries: a word's top B bits index them without a check.
        let guide = &self.guide[..1 << B];
        let table = &table[..1 << B];
        let per_word = u64::from(64 / B);
        let draw = |buf: &mut u64, rng: &mut R| {
            let g = *buf >> (64 - B);
            *buf <<= B;
            match pick(table, g as usize) {
                Some(x) => x,
                None => cell(self.search(g, guide[g as usize], rng)),
            }
        };
        let mut left = n;
        while left >= per_word {
            left -= per_word;
            let mut buf = rng.next_u64();
            for _ in 0..per_word {
                visit(draw(&mut buf, rng));
            }
        }
        if left > 0 {
            let mut buf = rng.next_u64();
            for _ in 0..left {
                visit(draw(&mut buf, rng));
            }
        }
    }

    /// Splits `n` leads over the cells: adds each cell's count to `counts` and lists the cells
    /// that were empty before in `touched`.
    pub fn split<R: Rng>(&self, n: u64, rng: &mut R, counts: &mut [u64], touched: &mut Vec<u32>) {
        if n == 0 || self.cum.is_empty() {
            return;
        }
        if n <= self.small {
            self.each(n, rng, |i| {
                if counts[i] == 0 {
                    touched.push(i as u32);
                }
                counts[i] += 1;
            });
            return;
        }
        let mut left = n;
        for (i, &c) in self.cond.iter().enumerate() {
            let x = binomial(left, c, rng);
            if x > 0 {
                if counts[i] == 0 {
                    touched.push(i as u32);
                }
                counts[i] += x;
                left -= x;
                if left == 0 {
                    break;
                }
            }
        }
    }
}

/// `Binomial(n, p)`. Below a mean of 16 (of the rarer side), BINV — inversion from `q^n` by
/// the pmf's recurrence, the algorithm `rand_distr` uses there too — without the set-up
/// `rand_distr::Binomial::new` repeats on every call (a `powf` and the BTPE constants); above
/// it, `rand_distr::Binomial` (BTPE). Degenerate cases need no draw.
pub fn binomial<R: Rng>(n: u64, p: f64, rng: &mut R) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let flipped = p > 0.5;
    let p1 = if flipped { 1.0 - p } else { p };
    if n as f64 * p1 >= 16.0 || n > i32::MAX as u64 {
        return Binomial::new(n, p).map_or(0, |b| b.sample(rng));
    }
    let q = 1.0 - p1;
    let s = p1 / q;
    let a = (n + 1) as f64 * s;
    let start = q.powi(n as i32);
    let x = 'draw: loop {
        let mut r = start;
        let mut u: f64 = rng.random();
        let mut x = 0u64;
        while u > r {
            u -= r;
            x += 1;
            if x > n {
                // Rounding left the pmf's sum below u: draw again.
                continue 'draw;
            }
            r *= a / x as f64 - s;
        }
        break x;
    };
    if flipped { n - x } else { x }
}

/// How many of `n` leads keep a chance `keep` (a thinning): lead by lead from 64-bit words for
/// a few, a binomial for more.
pub fn thin<R: Rng>(n: u64, keep: f64, rng: &mut R) -> u64 {
    if n > 16 || keep <= 0.0 || keep >= 1.0 {
        return binomial(n, keep, rng);
    }
    // keep × 2⁶⁴: a word below it keeps the lead.
    let threshold = (keep * 18_446_744_073_709_551_616.0) as u64;
    (0..n).filter(|_| rng.next_u64() < threshold).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Both ways of drawing give the cell probabilities: a chi-square test over 200 000 leads,
    /// with empty cells between non-empty ones and a boundary inside almost every bucket.
    #[test]
    fn both_ways_draw_the_cell_probabilities() {
        let weights = [0.3, 0.0, 0.1, 1e-3, 0.25, 0.0, 0.349, 0.0];
        let cells = Cells::new(&weights);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for cohort in [1u64, 7, 1000] {
            let mut counts = vec![0u64; weights.len()];
            let mut touched = Vec::new();
            let total = 200_000 / cohort * cohort;
            for _ in 0..total / cohort {
                cells.split(cohort, &mut rng, &mut counts, &mut touched);
            }
            assert_eq!(counts.iter().sum::<u64>(), total);
            let mut chi2 = 0.0;
            for (i, &w) in weights.iter().enumerate() {
                if w == 0.0 {
                    assert_eq!(counts[i], 0, "cohort {cohort}: empty cell {i} drawn");
                    continue;
                }
                let e = w * total as f64;
                chi2 += (counts[i] as f64 - e).powi(2) / e;
            }
            // 4 degrees of freedom: P(χ² > 23.5) ≈ 1e-4.
            assert!(chi2 < 23.5, "cohort {cohort}: χ² = {chi2}, counts {counts:?}");
            let mut sorted = touched.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), touched.len(), "a cell listed twice");
        }
    }

    #[test]
    fn boundaries_are_exact_to_the_last_bit() {
        // Cells of exactly a half: the boundary lies between two buckets, so no bucket is
        // mixed; with a third of the mass in the middle one, some are.
        let cells = Cells::new(&[1.0, 1.0]);
        assert_eq!(cells.cum, vec![1u64 << 63, u64::MAX]);
        assert!(cells.guide.iter().all(|g| g & MIXED == 0));
        let thirds = Cells::new(&[1.0, 1.0, 1.0]);
        assert_eq!(thirds.guide.iter().filter(|g| *g & MIXED != 0).count(), 2);
        let single = Cells::new(&[0.0, 2.0, 0.0]);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = vec![0; 3];
        single.split(100, &mut rng, &mut counts, &mut Vec::new());
        assert_eq!(counts, vec![0, 100, 0]);
        let none = Cells::new(&[0.0, f64::NAN]);
        let mut counts = vec![0; 2];
        none.split(5, &mut rng, &mut counts, &mut Vec::new());
        assert_eq!(counts, vec![0, 0]);
    }

    /// The guide built in one pass is the guide's definition, bucket by bucket: the cell of
    /// the bucket's first word by binary search, marked when its last word is in a later cell.
    #[test]
    fn the_guide_is_its_definition() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut sets: Vec<Vec<f64>> = vec![
            vec![1.0, 1.0],
            vec![1.0, 1.0, 1.0],
            vec![0.0, 0.0, 3.0, 0.0, 1.0, 0.0],
            vec![1e-300, 1.0, 1e-300],
            vec![0.25; 4],
            vec![1.0; 64],
            vec![1.0; 65],
            (1..=300).map(f64::from).collect(),
        ];
        for _ in 0..200 {
            let len = rng.random_range(1..400);
            sets.push(
                (0..len)
                    .map(|_| match rng.random_range(0..4) {
                        0 => 0.0,
                        1 => rng.random::<f64>() * 1e-9,
                        _ => rng.random::<f64>(),
                    })
                    .collect(),
            );
        }
        for weights in &sets {
            let cells = Cells::new(weights);
            if cells.is_empty() {
                continue;
            }
            let last = cells.cum.len() - 1;
            let span = 64 - cells.bits;
            let cell = |x: u64| cells.cum.partition_point(|&c| c <= x).min(last) as u32;
            for (g, &entry) in cells.guide.iter().enumerate() {
                let lo = (g as u64) << span;
                let hi = lo | ((1u64 << span) - 1);
                let first = cell(lo);
                let want = if cell(hi) == first { first } else { first | MIXED };
                assert_eq!(entry, want, "weights {weights:?}, bucket {g}");
            }
        }
    }

    /// A mapped draw visits, lead by lead, exactly what the plain draw's cells map to, from
    /// the same words — guides of several sizes, with and without boundaries in buckets, a
    /// partial last word.
    #[test]
    fn mapped_draws_are_the_plain_draws_mapped() {
        let sets: [&[f64]; 4] = [
            &[1.0, 1.0, 1.0],
            &[0.5, 0.0, 0.2, 0.3],
            &[0.9, 1e-6, 0.05, 0.05 - 1e-6],
            &[1.0; 70],
        ];
        for weights in sets {
            let cells = Cells::new(weights);
            let map = |i: usize| (i as u32) * 7 + 3;
            let buckets = cells.bucket_table(map, u32::MAX);
            for n in [1u64, 5, 13, 64, 301] {
                let (mut plain, mut mapped) = (Vec::new(), Vec::new());
                let mut rng = ChaCha8Rng::seed_from_u64(n);
                cells.each(n, &mut rng, |i| plain.push(map(i)));
                let after_plain = rng.next_u64();
                let mut rng = ChaCha8Rng::seed_from_u64(n);
                cells.each_mapped(n, &mut rng, &buckets, |x| x == u32::MAX, map, |x| mapped.push(x));
                assert_eq!(plain, mapped, "{} cells, {n} leads", weights.len());
                assert_eq!(rng.next_u64(), after_plain, "the same words consumed");
            }
        }
    }

    /// The inversion branch and the BTPE branch both give the binomial's mean and variance.
    #[test]
    fn binomials_have_their_moments() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for (n, p) in [(12u64, 0.3), (40, 0.9), (3, 0.5), (1000, 0.4), (100_000, 1e-5)] {
            let k = 40_000;
            let draws: Vec<f64> = (0..k).map(|_| binomial(n, p, &mut rng) as f64).collect();
            let mean = draws.iter().sum::<f64>() / k as f64;
            let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1) as f64;
            let (m, v) = (n as f64 * p, n as f64 * p * (1.0 - p));
            assert!(
                (mean - m).abs() < 5.0 * (v / k as f64).sqrt(),
                "Bin({n}, {p}): mean {mean}"
            );
            assert!((var - v).abs() < 0.05 * v, "Bin({n}, {p}): variance {var}");
            assert!(draws.iter().all(|&x| x <= n as f64));
        }
    }

    #[test]
    fn thinning_keeps_the_expected_share() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let kept: u64 = (0..20_000).map(|_| thin(5, 0.3, &mut rng)).sum();
        // Binomial(100 000, 0.3): SD ≈ 145.
        assert!((kept as f64 - 30_000.0).abs() < 600.0, "{kept}");
        assert_eq!((thin(7, 1.0, &mut rng), thin(7, 0.0, &mut rng)), (7, 0));
    }
}
