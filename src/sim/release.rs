//! Stages with scheduled starts (`старт`, `model::release`) as the forecast walks them: a lead
//! whose stage time (`длительность`, drawn by the engine as usual) ends on day `r` leaves on the
//! day of the first start it can make from `r`. Outcome and duration are drawn as for any
//! stage; only the day the lead leaves moves — so a cohort served together with no `длительность`
//! lands whole on one start. The engine's one hook ([`Release::slot`]) maps a cell's
//! `(slot, delay)` to the start; the exact walk (`fluid`) and the settled start (`start`) read
//! the same table.

use crate::model::release::{DayGrid, Release as Schedule};

/// A stage's leave days, tabulated over the horizon (and, for the settled start, the days
/// before it).
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    /// The first ready day of the table (≤ 0).
    first: i64,
    /// `leave[r - first]`: the day a lead ready on day `r` leaves.
    leave: Vec<i64>,
    /// The longest wait from ready to leaving.
    pub max_wait: usize,
}

impl Release {
    /// The table for ready days `first..last` (a start is always found: the schedule has days).
    pub fn new(s: &Schedule, g: DayGrid, first: i64, last: i64) -> Option<Release> {
        let leave: Option<Vec<i64>> = (first..last.max(first + 1)).map(|r| s.leave_day(g, r)).collect();
        let leave = leave?;
        let max_wait = leave
            .iter()
            .zip(first..)
            .map(|(&d, r)| (d - r).max(0) as usize)
            .max()
            .unwrap_or(0)
            .max(s.max_wait(g).max(0) as usize);
        Some(Release {
            first,
            leave,
            max_wait,
        })
    }

    /// The day a lead ready on day `ready` leaves (past the table: the table's last wait).
    pub fn leave_day(&self, ready: i64) -> i64 {
        let i = (ready - self.first).clamp(0, self.leave.len() as i64 - 1) as usize;
        let d = self.leave[i];
        if ready - self.first >= self.leave.len() as i64 {
            // Beyond the table only the calendar's end is reached: leave at once.
            ready.max(d)
        } else {
            d
        }
    }

    /// The engine's hook: a cell's calendar slot and delay `(at, delay)` for a lead served on
    /// day `t` becomes the slot and delay of the start it makes (`at` is `row × row_len +
    /// delay`, so the row's base is `at − delay`).
    #[inline]
    pub fn slot(release: Option<&Release>, cell: (u32, u32), t: usize) -> (u32, u32) {
        match release {
            None => cell,
            Some(r) => {
                let (at, delay) = cell;
                let leave = r.leave_day(t as i64 + i64::from(delay));
                let wait = (leave - t as i64).max(0) as u32;
                (at - delay + wait, wait)
            }
        }
    }
}

/// Per stage of `p`: its table over ready days `first..last`, `None` without `старт`.
pub fn tables(p: &super::params::Params, first: i64, last: i64) -> Vec<Option<Release>> {
    p.stages
        .iter()
        .map(|s| {
            s.release
                .as_ref()
                .and_then(|(sched, g)| Release::new(sched, *g, first, last))
        })
        .collect()
}

/// The settled stock of a stage with starts on day 0: per day `d` the leads leave, Σ over
/// entry `k ≥ 1` days ago (up to `back`) and days in the stage `j` of `P(j)·[leave(j − k) = d]`,
/// and the same weighted by `k` (their mean age), as `start::stock` needs them.
pub fn stock_tails(r: &Release, pmf: &super::dist::DayPmf, back: i64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for k in 1..=back {
        for (i, &q) in pmf.probs.iter().enumerate() {
            if q <= 0.0 {
                continue;
            }
            let ready = (pmf.offset + i) as i64 - k;
            let d = r.leave_day(ready);
            if d < 0 {
                continue;
            }
            let d = d as usize;
            if out.len() <= d {
                out.resize(d + 1, (0.0, 0.0));
            }
            out[d].0 += q;
            out[d].1 += k as f64 * q;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Calendar;
    use crate::model::calendar::{Moment, MomentDay};

    #[test]
    fn the_hook_moves_a_cell_to_its_start() {
        let g = DayGrid::of(Calendar::new(5.0));
        let s = Schedule {
            starts: vec![Moment {
                day: Some(MomentDay::Weekday(1)),
                minute: None,
            }],
            close_days: 0.0,
            group_min: None,
            group_max: None,
        };
        let r = Release::new(&s, g, -10, 100).unwrap();
        assert_eq!(r.max_wait, 4);
        // Row base 1000, a lead served on Wednesday (day 2) with 1 day in the stage: ready
        // Thursday, leaves the next Tuesday (day 6).
        assert_eq!(Release::slot(Some(&r), (1001, 1), 2), (1004, 4));
        assert_eq!(Release::slot(None, (1001, 1), 2), (1001, 1));
        assert_eq!(r.leave_day(-4), -4, "day -4 is a Tuesday");
        assert_eq!(r.leave_day(-3), 1);
    }
}
