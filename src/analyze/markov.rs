//! A small absorbing Markov chain and the dense Gaussian elimination that solves it.
//!
//! State counts are tens, at most hundreds, so a dense solver with partial pivoting is both
//! simpler and faster than pulling in a linear-algebra crate. Knows nothing of the model: the
//! caller numbers the states.

/// A dense row-major matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    pub fn identity(n: usize) -> Matrix {
        let mut m = Matrix::zeros(n, n);
        for i in 0..n {
            m.set(i, i, 1.0);
        }
        m
    }

    /// A matrix from its rows; every row must have the same length.
    pub fn from_rows(rows: &[Vec<f64>]) -> Matrix {
        let cols = rows.first().map_or(0, Vec::len);
        assert!(rows.iter().all(|r| r.len() == cols), "rows of unequal length");
        Matrix {
            rows: rows.len(),
            cols,
            data: rows.iter().flatten().copied().collect(),
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    pub fn get(&self, row: usize, col: usize) -> f64 {
        self.data[row * self.cols + col]
    }

    pub fn set(&mut self, row: usize, col: usize, value: f64) {
        self.data[row * self.cols + col] = value;
    }

    fn swap_rows(&mut self, a: usize, b: usize) {
        if a != b {
            for c in 0..self.cols {
                self.data.swap(a * self.cols + c, b * self.cols + c);
            }
        }
    }
}

/// The system has no unique solution: a pivot vanished (below 1e-12 of the largest entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Singular;

/// Relative size under which a pivot counts as zero.
const PIVOT_EPS: f64 = 1e-12;

/// Solves `a · x = b` for `x` (several right-hand sides at once) by Gaussian elimination with
/// partial pivoting. `a` must be square with as many rows as `b`; non-finite entries, a
/// vanishing pivot or a non-finite result give [`Singular`].
pub fn solve(a: &Matrix, b: &Matrix) -> Result<Matrix, Singular> {
    let n = a.rows;
    if a.cols != n || b.rows != n {
        return Err(Singular);
    }
    let mut a = a.clone();
    let mut x = b.clone();
    let scale = a.data.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if !scale.is_finite() || x.data.iter().any(|v| !v.is_finite()) {
        return Err(Singular);
    }
    let tolerance = PIVOT_EPS * scale;
    for col in 0..n {
        let (pivot_row, pivot) = (col..n)
            .map(|r| (r, a.get(r, col).abs()))
            .fold((col, -1.0), |best, cur| if cur.1 > best.1 { cur } else { best });
        if pivot <= tolerance || pivot == 0.0 {
            return Err(Singular);
        }
        a.swap_rows(col, pivot_row);
        x.swap_rows(col, pivot_row);
        let p = a.get(col, col);
        for r in col + 1..n {
            let factor = a.get(r, col) / p;
            if factor == 0.0 {
                continue;
            }
            for c in col..n {
                let v = a.get(r, c) - factor * a.get(col, c);
                a.set(r, c, v);
            }
            for c in 0..x.cols {
                let v = x.get(r, c) - factor * x.get(col, c);
                x.set(r, c, v);
            }
        }
    }
    for col in (0..n).rev() {
        let p = a.get(col, col);
        for c in 0..x.cols {
            let mut v = x.get(col, c);
            for k in col + 1..n {
                v -= a.get(col, k) * x.get(k, c);
            }
            x.set(col, c, v / p);
        }
    }
    if x.data.iter().all(|v| v.is_finite()) {
        Ok(x)
    } else {
        Err(Singular)
    }
}

/// Where an edge of the chain leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Transient(usize),
    Absorbing(usize),
}

/// An absorbing chain given by its edges: `edges[i]` lists where transient state `i` goes and
/// with what probability. Each state's probabilities are expected to sum to 1 (the caller
/// normalises); states are numbered `0..edges.len()` and `0..absorbing`.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    pub edges: Vec<Vec<(Target, f64)>>,
    pub absorbing: usize,
}

/// What happens to one unit of mass started in a transient state.
#[derive(Debug, Clone, PartialEq)]
pub struct Absorption {
    /// Expected visits to each transient state (a row of the fundamental matrix N = (I−Q)⁻¹);
    /// the start state's own visit counts.
    pub visits: Vec<f64>,
    /// Probability of ending in each absorbing state (a row of N·R).
    pub absorbed: Vec<f64>,
}

/// The chain from a start state cannot be solved: the listed transient states are reachable
/// but no absorbing state can be reached from them (empty when the cause is numerical).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trapped {
    pub states: Vec<usize>,
}

/// For every transient state: the probability of ending in an absorbing state the caller
/// counts as a win, and the expected number of transient states passed on the way out (the
/// state itself included; capped at [`Values::MAX_STEPS`], which a state that cannot leave
/// reaches).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Values {
    pub win: Vec<f64>,
    pub steps: Vec<f64>,
}

impl Values {
    pub const MAX_STEPS: f64 = 1e6;
}

impl Chain {
    /// Solves the chain for mass started in `start`. Only states reachable from `start` take
    /// part, so a closed loop elsewhere in the model does not spoil this answer.
    pub fn from_start(&self, start: usize) -> Result<Absorption, Trapped> {
        let n = self.edges.len();
        let mut visits = vec![0.0; n];
        let mut absorbed = vec![0.0; self.absorbing];
        if start >= n {
            return Err(Trapped { states: Vec::new() });
        }
        let reachable = self.reachable_from(start);
        let mut local = vec![usize::MAX; n];
        for (k, &s) in reachable.iter().enumerate() {
            local[s] = k;
        }
        // v = e_start · N  ⇔  (I − Q)ᵀ vᵀ = e_startᵀ
        let m = reachable.len();
        let mut a = Matrix::identity(m);
        for (k, &s) in reachable.iter().enumerate() {
            for &(to, p) in &self.edges[s] {
                if let Target::Transient(j) = to
                    && p > 0.0
                {
                    let jl = local[j];
                    a.set(jl, k, a.get(jl, k) - p);
                }
            }
        }
        let mut b = Matrix::zeros(m, 1);
        b.set(local[start], 0, 1.0);
        let v = solve(&a, &b).map_err(|Singular| Trapped {
            states: self.trapped(&reachable),
        })?;
        for (k, &s) in reachable.iter().enumerate() {
            let vs = v.get(k, 0);
            visits[s] = vs;
            for &(to, p) in &self.edges[s] {
                if let Target::Absorbing(x) = to
                    && p > 0.0
                    && x < self.absorbing
                {
                    absorbed[x] += vs * p;
                }
            }
        }
        Ok(Absorption { visits, absorbed })
    }

    /// [`Values`] of every state, by Gauss–Seidel value iteration over the edges (sparse, so
    /// it scales with the number of edges; loops converge geometrically, to 1e-12, within at
    /// most 10,000 sweeps). `is_win` says which absorbing states count as a win.
    pub fn values(&self, is_win: impl Fn(usize) -> bool) -> Values {
        let n = self.edges.len();
        let (mut win, mut steps) = (vec![0.0f64; n], vec![0.0f64; n]);
        for _ in 0..10_000 {
            let mut change = 0.0f64;
            for s in 0..n {
                let (mut w, mut k) = (0.0, 1.0);
                for &(to, p) in &self.edges[s] {
                    match to {
                        Target::Absorbing(x) if is_win(x) => w += p,
                        Target::Absorbing(_) => {}
                        Target::Transient(next) if next < n => {
                            w += p * win[next];
                            k += p * steps[next];
                        }
                        Target::Transient(_) => {}
                    }
                }
                let k = k.min(Values::MAX_STEPS);
                change = change
                    .max((w - win[s]).abs())
                    .max((k - steps[s]).abs() / k.max(1.0));
                (win[s], steps[s]) = (w, k);
            }
            if change < 1e-12 {
                break;
            }
        }
        Values { win, steps }
    }

    /// Transient states reachable from `start` over edges of positive probability, ascending.
    fn reachable_from(&self, start: usize) -> Vec<usize> {
        let mut seen = vec![false; self.edges.len()];
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(s) = stack.pop() {
            for &(to, p) in &self.edges[s] {
                if let Target::Transient(j) = to
                    && p > 0.0
                    && j < seen.len()
                    && !seen[j]
                {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        (0..seen.len()).filter(|&s| seen[s]).collect()
    }

    /// Of the given states, those from which no absorbing state is reachable.
    fn trapped(&self, states: &[usize]) -> Vec<usize> {
        let n = self.edges.len();
        // Backwards from the states with an exit: whoever reaches them can leave.
        let mut exits = vec![false; n];
        let mut changed = true;
        while changed {
            changed = false;
            for s in 0..n {
                if exits[s] {
                    continue;
                }
                let leaves = self.edges[s].iter().any(|&(to, p)| {
                    p > 0.0
                        && match to {
                            Target::Absorbing(_) => true,
                            Target::Transient(j) => j < n && exits[j],
                        }
                });
                if leaves {
                    exits[s] = true;
                    changed = true;
                }
            }
        }
        states.iter().copied().filter(|&s| !exits[s]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn solves_a_known_three_by_three_system() {
        // 2x + y − z = 8, −3x − y + 2z = −11, −2x + y + 2z = −3  →  x = 2, y = 3, z = −1
        let a = Matrix::from_rows(&[vec![2.0, 1.0, -1.0], vec![-3.0, -1.0, 2.0], vec![-2.0, 1.0, 2.0]]);
        let b = Matrix::from_rows(&[vec![8.0], vec![-11.0], vec![-3.0]]);
        let x = solve(&a, &b).unwrap();
        assert!(close(x.get(0, 0), 2.0) && close(x.get(1, 0), 3.0) && close(x.get(2, 0), -1.0));
    }

    #[test]
    fn needs_pivoting_for_a_zero_leading_entry() {
        let a = Matrix::from_rows(&[vec![0.0, 1.0], vec![1.0, 0.0]]);
        let b = Matrix::from_rows(&[vec![3.0, 1.0], vec![5.0, 2.0]]);
        let x = solve(&a, &b).unwrap();
        assert_eq!(x, Matrix::from_rows(&[vec![5.0, 2.0], vec![3.0, 1.0]]));
    }

    #[test]
    fn singular_matrix_is_an_error_not_a_panic() {
        let a = Matrix::from_rows(&[vec![1.0, 2.0, 3.0], vec![2.0, 4.0, 6.0], vec![1.0, 0.0, 1.0]]);
        let b = Matrix::from_rows(&[vec![1.0], vec![2.0], vec![3.0]]);
        assert_eq!(solve(&a, &b), Err(Singular));
        assert_eq!(solve(&Matrix::zeros(2, 2), &Matrix::zeros(2, 1)), Err(Singular));
        let nan = Matrix::from_rows(&[vec![f64::NAN]]);
        assert_eq!(solve(&nan, &Matrix::identity(1)), Err(Singular));
        assert_eq!(
            solve(&Matrix::zeros(0, 0), &Matrix::zeros(0, 1)),
            Ok(Matrix::zeros(0, 1))
        );
    }

    #[test]
    fn chain_with_a_loop_matches_the_geometric_series() {
        // 0 → 1 always; 1 → won 0.5, → 0 0.5. Visits to 0 = 1 / (1 − 0.5) = 2, to 1 = 2.
        let chain = Chain {
            edges: vec![
                vec![(Target::Transient(1), 1.0)],
                vec![(Target::Absorbing(0), 0.5), (Target::Transient(0), 0.5)],
            ],
            absorbing: 1,
        };
        let r = chain.from_start(0).unwrap();
        assert!(close(r.visits[0], 2.0) && close(r.visits[1], 2.0));
        assert!(close(r.absorbed[0], 1.0));
    }

    #[test]
    fn closed_loop_names_the_trapped_states_and_spares_other_starts() {
        let chain = Chain {
            edges: vec![
                vec![(Target::Transient(1), 0.5), (Target::Absorbing(0), 0.5)],
                vec![(Target::Transient(2), 1.0)],
                vec![(Target::Transient(1), 1.0)],
                vec![(Target::Absorbing(0), 1.0)],
            ],
            absorbing: 1,
        };
        assert_eq!(chain.from_start(0), Err(Trapped { states: vec![1, 2] }));
        let ok = chain.from_start(3).unwrap();
        assert_eq!(ok.visits, vec![0.0, 0.0, 0.0, 1.0]);
        assert_eq!(chain.from_start(9), Err(Trapped { states: vec![] }));
    }
}
