//! Scheduled starts of a stage (`старт 1 число, 15 число; набор_до 3 дн; группа от 10 до 25`):
//! streams, webinars, training groups. A lead that has spent the stage's `длительность` waits
//! for the next start it can still make (enrolment closes `набор_до` before a start) and leaves
//! the stage on that start's day, whatever its outcome.
//!
//! The calendar is the one the forecast walks: working days, `рабочая_неделя` of them a week,
//! `рабочая_неделя × 52 / 12` a month, day 0 the first working day of the first month and a
//! Monday. A weekday start is on its day of every week (a start on a day off — `сб` in a
//! five-day week — is made by leads ready by the last working day before it, who leave on the
//! next working day); `5 число` is placed in its month in proportion (the 15th is about the
//! tenth working day), `3 рабочий_день` on that working day. One schedule, read by the analysis
//! (mean wait, starts a month), the forecast (the day each lead leaves) and the documents.

use super::calendar::{Moment, MomentDay};
use super::units::Calendar;
use serde::{Deserialize, Serialize};

/// Calendar days in an average month (365.25 / 12): where `15 число` falls among working days.
const CALENDAR_MONTH_DAYS: f64 = 30.4375;

/// `старт …` of a stage, with its enrolment cut-off and group bounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// The starts, as written (all weekdays or all days of the month: E0091 otherwise).
    pub starts: Vec<Moment>,
    /// `набор_до 3 дн`: enrolment closes this many working days before a start (0 when not said).
    #[serde(default)]
    pub close_days: f64,
    /// `группа от 10`: the least a group needs to run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_min: Option<f64>,
    /// `группа до 25`: the most in one group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_max: Option<f64>,
}

/// The working-day grid starts are placed on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayGrid {
    /// Working days a month (`рабочая_неделя × 52 / 12`).
    pub month_days: f64,
    /// Working days a week, 1..=7.
    pub week_days: i64,
}

impl DayGrid {
    pub fn of(cal: Calendar) -> DayGrid {
        let week = cal.work_week_days;
        DayGrid {
            month_days: cal.month_days().max(1.0),
            week_days: if week.is_finite() {
                (week.round() as i64).clamp(1, 7)
            } else {
                5
            },
        }
    }

    /// The first working day of month `m` (any integer: before the horizon too).
    fn month_start(&self, m: i64) -> f64 {
        (m as f64 * self.month_days - 1e-9).ceil()
    }
}

impl Release {
    /// Whether the starts recur weekly (weekdays) rather than monthly.
    pub fn weekly(&self) -> bool {
        matches!(
            self.starts.first().and_then(|m| m.day),
            Some(MomentDay::Weekday(_))
        )
    }

    /// The working days of one period: a week, or a year of months (the months' days are
    /// spread by rounding, so only a year repeats exactly).
    fn period(&self, g: DayGrid) -> (i64, f64) {
        if self.weekly() {
            (g.week_days, g.week_days as f64)
        } else {
            let year = 12.0 * g.month_days;
            (year.round().max(1.0) as i64, g.month_days)
        }
    }

    /// The starts of period `k` (a week, or month `k`) as positions in working-day time; a
    /// start on a day off sits half a day before the next working day.
    fn positions(&self, g: DayGrid, k: i64, out: &mut Vec<f64>) {
        for m in &self.starts {
            let pos = match m.day {
                Some(MomentDay::Weekday(d)) => {
                    let d = i64::from(d);
                    if d < g.week_days {
                        (k * g.week_days + d) as f64
                    } else {
                        ((k + 1) * g.week_days) as f64 - 0.5
                    }
                }
                Some(MomentDay::MonthDay(n)) => {
                    k as f64 * g.month_days + f64::from(n - 1) * g.month_days / CALENDAR_MONTH_DAYS
                }
                Some(MomentDay::WorkingDay(n)) => {
                    let last = g.month_start(k + 1) - 1.0;
                    (g.month_start(k) + f64::from(n - 1)).min(last)
                }
                None => continue,
            };
            out.push(pos);
        }
    }

    /// The day a lead ready on working day `ready` leaves: the day of the first start at least
    /// `набор_до` after it. `None` for a schedule without days (only in a file with errors).
    pub fn leave_day(&self, g: DayGrid, ready: i64) -> Option<i64> {
        let (_, unit) = self.period(g);
        let from = ready as f64 + self.close_days.max(0.0);
        let first = (from / unit).floor() as i64 - 1;
        let mut pos = Vec::new();
        // Enough periods to pass the cut-off however long it is.
        let span = (self.close_days.max(0.0) / unit).ceil() as i64 + 3;
        for k in first..first + span {
            pos.clear();
            self.positions(g, k, &mut pos);
            pos.sort_by(f64::total_cmp);
            if let Some(p) = pos.iter().find(|&&p| p >= from - 1e-9) {
                return Some((p - 1e-9).ceil() as i64);
            }
        }
        None
    }

    /// Mean working days from being ready to leaving, for leads ready on every day of a period
    /// alike (arrivals spread evenly over the days): what the stage adds to its `длительность`.
    pub fn mean_wait(&self, g: DayGrid) -> f64 {
        let (days, _) = self.period(g);
        let total: i64 = (0..days)
            .filter_map(|r| self.leave_day(g, r).map(|d| d - r))
            .sum();
        total as f64 / days as f64
    }

    /// The longest wait, in working days (the calendar the forecast keeps must reach it).
    pub fn max_wait(&self, g: DayGrid) -> i64 {
        let (days, _) = self.period(g);
        (0..days)
            .filter_map(|r| self.leave_day(g, r).map(|d| d - r))
            .max()
            .unwrap_or(0)
    }

    /// Starts a month: weekly starts × weeks a month, or the monthly starts.
    pub fn starts_per_month(&self, g: DayGrid) -> f64 {
        let n = self.starts.iter().filter(|m| m.day.is_some()).count() as f64;
        if self.weekly() {
            n * g.month_days / g.week_days as f64
        } else {
            n
        }
    }
}

impl Release {
    /// The starts for the documents: «по вторникам в 19:00», «1-го числа, 15-го числа».
    pub fn starts_words(&self, lang: crate::locale::Lang) -> String {
        self.starts
            .iter()
            .map(|m| m.at_words(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The group bounds: «от 10 до 25 человек», «не меньше 10 человек», «не больше 25 человек».
    pub fn group_words(&self, lang: crate::locale::Lang) -> Option<String> {
        use crate::locale::{Lang, number, plural};
        let n = |x: f64| number(x, 0, lang);
        let people = |x: f64| match lang {
            Lang::Ru => plural(x, "человек", "человека", "человек", lang),
            Lang::En => plural(x, "person", "people", "people", lang),
        };
        Some(match (self.group_min, self.group_max, lang) {
            (Some(a), Some(b), Lang::Ru) => format!("от {} до {} {}", n(a), n(b), people(b)),
            (Some(a), Some(b), Lang::En) => format!("{} to {} {}", n(a), n(b), people(b)),
            (Some(a), None, Lang::Ru) => format!("не меньше {} {}", n(a), people(a)),
            (Some(a), None, Lang::En) => format!("at least {} {}", n(a), people(a)),
            (None, Some(b), Lang::Ru) => format!("не больше {} {}", n(b), people(b)),
            (None, Some(b), Lang::En) => format!("at most {} {}", n(b), people(b)),
            (None, None, _) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(days: &[MomentDay], close: f64) -> Release {
        Release {
            starts: days
                .iter()
                .map(|&d| Moment {
                    day: Some(d),
                    minute: None,
                })
                .collect(),
            close_days: close,
            group_min: None,
            group_max: None,
        }
    }

    #[test]
    fn a_tuesday_webinar_in_a_five_day_week() {
        let g = DayGrid::of(Calendar::new(5.0));
        let r = release(&[MomentDay::Weekday(1)], 0.0);
        // Mon → Tue (1), Tue → Tue (0), Wed → next Tue (4), Thu 3, Fri 2.
        let waits: Vec<i64> = (0..5).map(|d| r.leave_day(g, d).unwrap() - d).collect();
        assert_eq!(waits, vec![1, 0, 4, 3, 2]);
        assert!((r.mean_wait(g) - 2.0).abs() < 1e-12);
        assert!((r.starts_per_month(g) - 52.0 / 12.0).abs() < 1e-12);
        // Before the horizon the same pattern.
        assert_eq!(r.leave_day(g, -3), Some(1));
    }

    #[test]
    fn a_saturday_start_is_made_by_friday_and_left_on_monday() {
        let g = DayGrid::of(Calendar::new(5.0));
        let r = release(&[MomentDay::Weekday(5)], 0.0);
        assert_eq!(r.leave_day(g, 4), Some(5));
        assert_eq!(r.leave_day(g, 0), Some(5));
        assert_eq!(r.leave_day(g, 5), Some(10));
    }

    #[test]
    fn streams_on_the_first_and_fifteenth_with_enrolment_closing() {
        let g = DayGrid::of(Calendar::new(5.0));
        let r = release(&[MomentDay::MonthDay(1), MomentDay::MonthDay(15)], 3.0);
        // Month 0: the 1st is day 0, the 15th day 14 × 21.67 / 30.44 = 9.97 → day 10.
        assert_eq!(r.leave_day(g, -5), Some(0));
        assert_eq!(r.leave_day(g, -2), Some(10), "within 3 days of the 1st: the 15th");
        assert_eq!(r.leave_day(g, 6), Some(10));
        assert_eq!(
            r.leave_day(g, 7),
            Some(22),
            "month 1 starts on day 22 (21.67 → 22)"
        );
        let w = r.mean_wait(g);
        // Two starts about 10.8 working days apart, 3 days' cut-off: about 5.4 + 3.
        assert!(w > 7.5 && w < 9.5, "{w}");
        assert_eq!(r.starts_per_month(g), 2.0);
        assert!(r.max_wait(g) <= 15);
    }
}
