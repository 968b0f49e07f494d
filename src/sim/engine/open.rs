//! Today's open deals (`--open-deals`): each replication starts with them in their stages and
//! walks them one by one beside the cohorts, because each carries its own check.
//!
//! - A deal that has spent `d` whole working days in its stage leaves it after the residual of
//!   the stage's duration: with the duration's day distribution `P(K = k)`,
//!   `P(leave on day j) = P(K = d + j) / Σ_{k ≥ d} P(K = k)`, `j = 0, 1, …` (day 0 is the first
//!   day of the horizon); a deal already past every possible duration leaves on day 0. Its
//!   outcome is drawn from the stage's outcome probabilities (outcome and duration are
//!   independent in the model). A deal with `d = 0` in a stage with work has not been worked
//!   yet: it waits for its roles' time like a new lead.
//! - In every later stage it needs the stage's work like any lead. The day's capacity goes to
//!   the stages in the engine's serving order (closest to a win first); within a stage open
//!   deals are the oldest work, so they are served before its cohorts, in file order. The
//!   stage's wait limit and conversion decay apply from the day they entered it.
//! - A win brings the deal's own amount when the file gives one (else a check drawn from the
//!   pipeline's `чек`), whichever pipeline it is won in; repeat purchases follow as for any win.
//!   Its cycle counts from the day it entered its current stage (its history is unknown).

use super::{Dest, Engine, MAX_DEPTH, Run};
use crate::sim::split::thin;
use rand::Rng;

/// An open deal as the engine reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seed {
    /// Index into `Params::stages`.
    pub stage: usize,
    /// Whole working days already spent in the stage.
    pub days: usize,
    pub amount: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Waiting for its stage's work since the day it entered.
    Waiting {
        since: usize,
    },
    /// Leaves its stage on `day` with `outcome`.
    Leaving {
        day: usize,
        outcome: usize,
    },
    Done,
}

#[derive(Debug, Clone)]
pub(super) struct Deal {
    stage: usize,
    amount: Option<f64>,
    /// The day it entered its current stage (negative for the stage it starts in).
    entry: f64,
    state: State,
}

impl Engine {
    /// Sets the open deals every replication starts with.
    pub fn set_open_deals(&mut self, seeds: &[Seed]) {
        self.open = seeds
            .iter()
            .filter(|s| s.stage < self.stages.len())
            .cloned()
            .collect();
    }
}

impl<R: Rng, T: super::Tracer> Run<'_, R, T> {
    /// Places the open deals in their stages before the first day.
    pub(super) fn seed_open(&mut self) {
        let e = self.e;
        for seed in &e.open {
            let s = seed.stage;
            self.w.stage[s].entered += 1;
            self.w.stage[s].in_stage += 1;
            let state = if seed.days == 0 && !e.stages[s].work.is_empty() {
                self.w.open_waiting[s] += 1;
                State::Waiting { since: 0 }
            } else {
                let outcome = self.draw_outcome(s);
                State::Leaving {
                    day: self.draw_residual(s, seed.days),
                    outcome,
                }
            };
            self.w.open.push(Deal {
                stage: s,
                amount: seed.amount,
                entry: -(seed.days as f64),
                state,
            });
        }
    }

    /// An outcome index by the stage's outcome probabilities.
    fn draw_outcome(&mut self, s: usize) -> usize {
        let outcomes = &self.e.stages[s].outcomes;
        let mut u: f64 = self.rng.random();
        for (o, out) in outcomes.iter().enumerate() {
            if u < out.probability {
                return o;
            }
            u -= out.probability;
        }
        outcomes.iter().rposition(|o| o.probability > 0.0).unwrap_or(0)
    }

    /// The day a deal that has spent `days` in stage `s` leaves it: the residual duration.
    fn draw_residual(&mut self, s: usize, days: usize) -> usize {
        let pmf = &self.e.stages[s].pmf;
        let first = days.saturating_sub(pmf.offset);
        let tail = pmf.probs.get(first..).unwrap_or(&[]);
        let total: f64 = tail.iter().sum();
        if total.is_nan() || total <= 0.0 {
            return 0;
        }
        let mut u = self.rng.random::<f64>() * total;
        for (j, &p) in tail.iter().enumerate() {
            if u < p {
                return pmf.offset + first + j - days;
            }
            u -= p;
        }
        let last = tail.iter().rposition(|&p| p > 0.0).unwrap_or(0);
        pmf.offset + first + last - days
    }

    /// Outcome and days in the stage for a deal whose work starts today after `wait` days: one
    /// lead through the stage's (outcome, delay) cells, a success thinned by the decay of the
    /// wait — the cohorts' own sampler.
    fn draw_after_work(&mut self, s: usize, wait: usize) -> (usize, usize) {
        let st = &self.e.stages[s];
        let w = &mut *self.w;
        w.touched.clear();
        st.cells.split(1, self.rng, &mut w.counts, &mut w.touched);
        let Some(&i) = w.touched.first() else {
            // No (outcome, delay) cell has any mass: the outcome alone decides.
            return (self.draw_outcome(s), st.pmf.offset);
        };
        let i = i as usize;
        w.counts[i] = 0;
        let mut o = i / st.delays;
        if st.decay > 0.0 && wait > 0 && st.cell_success[i] {
            let keep = (1.0 - st.decay).powi(wait.min(i32::MAX as usize) as i32);
            if thin(1, keep, self.rng) == 0 {
                o = st.decay_lost;
            }
        }
        (o, st.cell_at[i].1 as usize)
    }

    /// Open deals whose stage time is over leave their stage today.
    pub(super) fn leave_open(&mut self) {
        for i in 0..self.w.open.len() {
            if let State::Leaving { day, outcome } = self.w.open[i].state
                && day == self.t
            {
                self.exit_open(i, outcome);
            }
        }
    }

    /// Deal `i` leaves its stage with `outcome`, and follows same-day moves.
    fn exit_open(&mut self, i: usize, mut outcome: usize) {
        let e = self.e;
        let t = self.t;
        for _ in 0..MAX_DEPTH {
            let s = self.w.open[i].stage;
            let st = &e.stages[s];
            let out = st.outcomes[outcome];
            self.w.stage[s].in_stage -= 1;
            if out.success {
                self.w.converted[s] += 1;
            } else {
                self.w.lost[s] += 1;
            }
            match out.dest {
                Dest::Won => {
                    let pipeline = st.pipeline;
                    self.w.x.pipe_won[pipeline] += 1;
                    let revenue = self.won(pipeline, 1, false, self.w.open[i].amount);
                    if !e.pipelines[pipeline].account {
                        self.w.new_clients += 1;
                        self.w.month_new[e.month_of_day[t]] += 1;
                    }
                    self.count_cycles(1, t as f64 - self.w.open[i].entry);
                    self.w.x.open_won += 1;
                    self.w.x.open_revenue += revenue;
                    self.w.open[i].state = State::Done;
                    self.hand_on(pipeline, 1, 0);
                    self.flush();
                    return;
                }
                Dest::Lost => {
                    self.w.open[i].state = State::Done;
                    return;
                }
                Dest::Stage(next) => {
                    if e.stages[next].pipeline != st.pipeline {
                        self.w.x.pipe_handed[st.pipeline] += 1;
                    }
                    self.w.stage[next].entered += 1;
                    self.w.stage[next].in_stage += 1;
                    let deal = &mut self.w.open[i];
                    deal.stage = next;
                    deal.entry = t as f64;
                    if !e.stages[next].work.is_empty() {
                        deal.state = State::Waiting { since: t };
                        self.w.open_waiting[next] += 1;
                        return;
                    }
                    self.w.stage[next].time_n += 1;
                    let (o, delay) = self.draw_after_work(next, 0);
                    self.w.stage[next].time_sum += delay as u64;
                    if delay > 0 {
                        self.w.open[i].state = State::Leaving {
                            day: t + delay,
                            outcome: o,
                        };
                        return;
                    }
                    outcome = o;
                }
            }
        }
        // Too many same-day hops: the rest waits a day.
        self.w.open[i].state = State::Leaving { day: t + 1, outcome };
    }

    /// Open deals that waited beyond their stage's limit go cold (before today's service).
    pub(super) fn expire_open(&mut self) {
        let e = self.e;
        let t = self.t;
        let month = e.month_of_day[t];
        for i in 0..self.w.open.len() {
            let State::Waiting { since } = self.w.open[i].state else {
                continue;
            };
            let s = self.w.open[i].stage;
            let wait = t - since;
            if e.stages[s].wait_limit.is_some_and(|limit| wait > limit) {
                self.w.open_waiting[s] -= 1;
                self.w.stage[s].in_stage -= 1;
                self.w.cold[s] += 1;
                self.w.lost[s] += 1;
                self.w.x.month_cold[month] += 1;
                self.w.stage[s].time_sum += wait as u64;
                self.w.stage[s].time_n += 1;
                self.w.open[i].state = State::Done;
            }
        }
    }

    /// Gives today's capacity to the open deals waiting in stage `s`, in file order. Returns
    /// false when one of them did not fit in what is left of its roles' time.
    pub(super) fn serve_open(&mut self, s: usize) -> bool {
        let t = self.t;
        for i in 0..self.w.open.len() {
            let deal = &self.w.open[i];
            let State::Waiting { since } = deal.state else {
                continue;
            };
            if deal.stage != s {
                continue;
            }
            // Like a cohort's lead: it starts while its roles have minutes left today.
            if self.fit(s, 1) == 0 {
                return false;
            }
            self.start_work(s, 1);
            let wait = t - since;
            self.w.open_waiting[s] -= 1;
            self.w.stage[s].time_n += 1;
            let (o, delay) = self.draw_after_work(s, wait);
            self.w.stage[s].time_sum += (wait + delay) as u64;
            self.w.open[i].state = State::Leaving {
                day: t + delay,
                outcome: o,
            };
            if delay == 0 {
                self.exit_open(i, o);
            }
        }
        true
    }
}

impl super::Work {
    /// Open deals still waiting for work in stages role `r` works, at the end of a replication.
    pub(super) fn open_backlog(&self, e: &Engine, r: usize) -> usize {
        self.open
            .iter()
            .filter(|d| {
                matches!(d.state, State::Waiting { .. })
                    && e.stages[d.stage].work.iter().any(|&(ri, _, _)| ri == r)
            })
            .count()
    }
}
