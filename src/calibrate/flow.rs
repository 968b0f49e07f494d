//! The flow around the funnels as the history shows it: each channel's seasonality — a
//! calendar month's leads over the average month — and each pipeline's repeat purchases — the
//! share of wins a client follows with another win in the same pipeline within the
//! regulation's delay.

use super::{Estimate, stats};
use crate::history::dates::{date_of, day_of, working_days_between};
use chrono::{Datelike, Months};
use serde::Serialize;
use std::collections::HashMap;

/// A whole calendar month of the window: its first day, the day after it, its calendar month
/// (0 = January).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WholeMonth {
    pub first: i32,
    pub after: i32,
    pub month: usize,
}

/// The whole calendar months inside `[since, until]`.
pub fn whole_months(since: i32, until: i32) -> Vec<WholeMonth> {
    let start = date_of(since);
    let mut first = if start.day() == 1 {
        start
    } else {
        start.with_day(1).unwrap_or(start) + Months::new(1)
    };
    let mut out = Vec::new();
    while let Some(next) = first.checked_add_months(Months::new(1)) {
        if day_of(next) - 1 > until {
            break;
        }
        out.push(WholeMonth {
            first: day_of(first),
            after: day_of(next),
            month: first.month0() as usize,
        });
        first = next;
    }
    out
}

/// A channel's seasonality from the creation days of its deals: per calendar month (January
/// first) the month's leads over the average month, with a 95 % interval (Poisson count, the
/// average taken as known). `None` unless the whole months cover all twelve calendar months
/// and some deal was created in them.
pub fn seasonality(created: &[i32], months: &[WholeMonth]) -> Option<Vec<Estimate>> {
    let mut seen = [0usize; 12];
    for m in months {
        seen[m.month] += 1;
    }
    if seen.contains(&0) {
        return None;
    }
    let mut count = [0usize; 12];
    for &c in created {
        if let Some(m) = months.iter().find(|m| (m.first..m.after).contains(&c)) {
            count[m.month] += 1;
        }
    }
    let total: usize = count.iter().sum();
    if total == 0 {
        return None;
    }
    let mean = total as f64 / months.len() as f64;
    Some(
        (0..12)
            .map(|m| {
                let years = seen[m] as f64;
                let [lo, hi] = stats::rate_interval(count[m], years);
                Estimate {
                    value: count[m] as f64 / years / mean,
                    ci95: [lo / mean, hi / mean],
                }
            })
            .collect(),
    )
}

/// A pipeline's repeat purchases as the history shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatFit {
    /// Working days within which a client's next win counts as the repeat: one and a half
    /// times the regulation's delay, else a year.
    pub within_days: u32,
    /// Wins the history follows for at least that long.
    pub followed: usize,
    /// Of them, those the same client followed with another win in the pipeline.
    pub repeated: usize,
    pub share: Option<Estimate>,
    /// Median working days from a win to the client's next one (the repeats seen).
    pub median_days: Option<u32>,
    pub file_probability: Option<f64>,
    pub file_after_days: Option<f64>,
}

/// The repeat purchases of one pipeline: `wins` are (client, closing day) of its won deals in
/// the window, `until` the window's end, `week` the working days a week.
pub fn repeats(
    wins: &[(&str, i32)],
    until: i32,
    week: i32,
    within_days: u32,
    file: (Option<f64>, Option<f64>),
) -> RepeatFit {
    let mut by_client: HashMap<&str, Vec<i32>> = HashMap::new();
    for &(client, day) in wins {
        by_client.entry(client).or_default().push(day);
    }
    let (mut followed, mut repeated, mut gaps) = (0, 0, Vec::new());
    for days in by_client.values_mut() {
        days.sort_unstable();
        for (i, &d) in days.iter().enumerate() {
            let next = days[i + 1..].iter().find(|&&n| n > d).copied();
            if let Some(n) = next {
                gaps.push(working_days_between(d, n, week).max(0) as u32);
            }
            if working_days_between(d, until, week) < within_days as i32 {
                continue;
            }
            followed += 1;
            if next.is_some_and(|n| working_days_between(d, n, week) <= within_days as i32) {
                repeated += 1;
            }
        }
    }
    gaps.sort_unstable();
    RepeatFit {
        within_days,
        followed,
        repeated,
        share: stats::wilson(repeated, followed).map(|ci95| Estimate {
            value: repeated as f64 / followed as f64,
            ci95,
        }),
        median_days: gaps.get(gaps.len() / 2).copied().filter(|_| !gaps.is_empty()),
        file_probability: file.0,
        file_after_days: file.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::history::dates;

    fn d(s: &str) -> i32 {
        dates::parse_day(s).unwrap()
    }

    #[test]
    fn whole_months_skip_the_broken_ends() {
        let m = whole_months(d("2025-01-15"), d("2025-04-30"));
        let shown: Vec<(String, usize)> = m.iter().map(|m| (dates::show_day(m.first), m.month)).collect();
        assert_eq!(
            shown,
            [
                ("2025-02-01".to_owned(), 1),
                ("2025-03-01".to_owned(), 2),
                ("2025-04-01".to_owned(), 3)
            ]
        );
        assert!(whole_months(d("2025-01-02"), d("2025-01-30")).is_empty());
    }

    #[test]
    fn a_month_with_twice_the_leads_has_twice_the_index() {
        let months = whole_months(d("2025-01-01"), d("2025-12-31"));
        let mut created = Vec::new();
        for m in &months {
            let n = if m.month == 2 { 20 } else { 10 };
            created.extend((0..n).map(|i| m.first + i % 28));
        }
        let s = seasonality(&created, &months).unwrap();
        let mean = 130.0 / 12.0;
        assert!((s[2].value - 20.0 / mean).abs() < 1e-9);
        assert!((s[0].value - 10.0 / mean).abs() < 1e-9);
        assert!(s[2].ci95[0] < s[2].value && s[2].value < s[2].ci95[1]);
        // Eleven months are not a season.
        assert!(seasonality(&created, &months[..11]).is_none());
    }

    #[test]
    fn repeats_count_only_wins_followed_long_enough() {
        let wins = [
            ("A", d("2025-01-06")),
            ("A", d("2025-03-03")),
            ("B", d("2025-01-06")),
            // Too late to be followed for 60 working days.
            ("C", d("2025-11-03")),
        ];
        let r = repeats(&wins, d("2025-12-31"), 5, 60, (Some(0.3), Some(40.0)));
        // A's first win repeated (40 working days later); A's second and B's were followed and
        // did not repeat; C's is not followed long enough.
        assert_eq!((r.followed, r.repeated), (3, 1));
        assert_eq!(r.median_days, Some(40));
    }
}
