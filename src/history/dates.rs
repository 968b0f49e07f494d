//! Dates as a CRM export writes them, and working days between them.
//!
//! A date is kept as the day it was written on (the local calendar date: a stage entered at
//! 23:30 belongs to that evening's day, whatever the zone), counted in days from 1970-01-01.
//! Accepted: `2026-03-05`, `2026-03-05 14:20[:00]`, `2026-03-05T14:20:00[.123][Z|+03:00]`,
//! `05.03.2026`, `05.03.2026 14:20[:00]`, `2026/03/05`, and Unix seconds (amoCRM).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};

/// 1970-01-01.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// The day a text names, in days from 1970-01-01; `None` when it is not a date.
pub fn parse_day(text: &str) -> Option<i32> {
    parse_moment(text).map(|s| s.div_euclid(86_400) as i32)
}

/// The moment a text names as seconds from 1970-01-01 00:00 of the calendar it was written in
/// (the zone dropped, as [`parse_day`] drops it): for ordering the events of one day. Also
/// Unix milliseconds (13 digits, HubSpot).
pub fn parse_moment(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let moment = if t.len() == 13 && t.bytes().all(|b| b.is_ascii_digit()) {
        let ms: i64 = t.parse().ok()?;
        DateTime::from_timestamp_millis(ms)?.naive_utc()
    } else if t.len() <= 11 && t.bytes().all(|b| b.is_ascii_digit()) {
        // Unix seconds (years 2001–2286 have ten digits).
        let secs: i64 = t.parse().ok()?;
        if !(978_307_200..=9_999_999_999).contains(&secs) {
            return None;
        }
        DateTime::from_timestamp(secs, 0)?.naive_utc()
    } else if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        dt.naive_local()
    } else {
        const DATES: [&str; 3] = ["%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d"];
        const TIMES: [&str; 10] = [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%d.%m.%Y %H:%M:%S",
            "%d.%m.%Y %H:%M",
            "%Y/%m/%d %H:%M:%S",
            "%Y/%m/%d %H:%M",
            "%Y-%m-%d %H:%M:%S%.f",
        ];
        DATES
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
            .map(|d| d.and_time(chrono::NaiveTime::MIN))
            .or_else(|| {
                TIMES
                    .iter()
                    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
            })
            .or_else(|| {
                // A zone after a space or glued on: `2026-03-05 14:20:00+03`, `…Z`.
                let cut = t.trim_end_matches('Z');
                let cut = cut
                    .rfind(['+', '-'])
                    .filter(|&i| i > 10)
                    .map_or(cut, |i| &cut[..i]);
                (cut.len() < t.len())
                    .then(|| {
                        TIMES
                            .iter()
                            .find_map(|f| NaiveDateTime::parse_from_str(cut.trim(), f).ok())
                    })
                    .flatten()
            })?
    };
    if !(1990..=2200).contains(&moment.year()) {
        return None;
    }
    Some((moment - epoch().and_time(chrono::NaiveTime::MIN)).num_seconds())
}

/// The day of an Excel serial date (days from 1899-12-30; the fraction is the time of day),
/// when it names a day from 1990 to 2200.
pub fn excel_serial_day(serial: f64) -> Option<i32> {
    // 1990-01-01 is 32874, 2200-12-31 is 109938.
    if !(32_874.0..109_939.0).contains(&serial) {
        return None;
    }
    Some(serial.floor() as i32 - 25_569)
}

/// The calendar date of a day number.
pub fn date_of(day: i32) -> NaiveDate {
    epoch() + chrono::Duration::days(i64::from(day))
}

/// The day number of a calendar date.
pub fn day_of(date: NaiveDate) -> i32 {
    (date - epoch()).num_days() as i32
}

/// The date of a day number, `2026-03-05`.
pub fn show_day(day: i32) -> String {
    date_of(day).format("%Y-%m-%d").to_string()
}

/// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
fn weekday(day: i32) -> i32 {
    (day + 3).rem_euclid(7)
}

/// Working days a week as a whole number of days from Monday (`рабочая_неделя`: 5 — Monday to
/// Friday, 6 — to Saturday), 1 to 7.
pub fn week_days(work_week_days: f64) -> i32 {
    if work_week_days.is_finite() {
        (work_week_days.round() as i32).clamp(1, 7)
    } else {
        5
    }
}

/// Working days in `(from, to]` of a week of `week` days from Monday: a deal that entered a
/// stage on Friday and left on Monday spent one working day in it (five-day week); the same
/// day, none. Negative when `to < from`.
pub fn working_days_between(from: i32, to: i32, week: i32) -> i32 {
    if to < from {
        return -working_days_between(to, from, week);
    }
    // Working days in (from, to] = W(to) − W(from), with W(d) the working days up to d.
    working_days_to(to, week) - working_days_to(from, week)
}

/// Working days in `(−∞ … d]` counted from a Monday far back, as a difference-friendly number.
fn working_days_to(d: i32, week: i32) -> i32 {
    // Shift so the count starts on a Monday: day 4 (1970-01-05) is a Monday.
    let x = d - 4;
    let weeks = x.div_euclid(7);
    let rest = x.rem_euclid(7); // 0 = Monday
    weeks * week + (rest + 1).min(week)
}

/// The calendar month of a day: `year * 12 + month0`.
pub fn month_of(day: i32) -> i32 {
    let d = date_of(day);
    d.year() * 12 + d.month0() as i32
}

/// Whether a day is off in a week of `week` working days from Monday.
pub fn is_day_off(day: i32, week: i32) -> bool {
    weekday(day) >= week
}

/// Whether a day is Saturday or Sunday.
pub fn is_weekend(day: i32) -> bool {
    is_day_off(day, 5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_written_form_name_the_same_day() {
        let day = parse_day("2026-03-05").expect("iso");
        for t in [
            "05.03.2026",
            "2026-03-05 14:20",
            "2026-03-05 14:20:59",
            "2026-03-05T14:20:00Z",
            "2026-03-05T23:30:00+03:00",
            "2026-03-05T14:20:00.123",
            "2026/03/05",
            "05.03.2026 09:00",
            "2026-03-05 14:20:00+03",
        ] {
            assert_eq!(parse_day(t), Some(day), "{t}");
        }
        assert_eq!(show_day(day), "2026-03-05");
        // 2026-03-05 12:00 UTC as Unix seconds.
        assert_eq!(parse_day("1772712000"), Some(day));
        assert_eq!(parse_day("1772712000000"), Some(day));
        assert_eq!(excel_serial_day(46086.6), Some(day));
        let noon = parse_moment("2026-03-05 12:00").expect("moment");
        assert_eq!(parse_moment("2026-03-05T12:00:01+03:00"), Some(noon + 1));
        assert_eq!(parse_moment("1772712000"), Some(noon));
        for bad in ["", "вчера", "2026-13-01", "31.02.2026", "12", "0000-01-01"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn working_days_skip_weekends() {
        let fri = parse_day("2026-03-06").expect("date");
        let mon = parse_day("2026-03-09").expect("date");
        assert!(is_weekend(fri + 1) && is_weekend(fri + 2) && !is_weekend(fri));
        assert_eq!(working_days_between(fri, mon, 5), 1);
        assert_eq!(working_days_between(fri, mon, 6), 2);
        assert_eq!(working_days_between(fri, fri, 5), 0);
        assert_eq!(working_days_between(mon, mon + 14, 5), 10);
        assert_eq!(working_days_between(mon, fri, 5), -1);
        // Brute force over a few months, for every working week.
        for week in 1..=7 {
            for a in fri - 20..fri + 20 {
                for b in a..a + 40 {
                    let want = (a + 1..=b).filter(|&d| !is_day_off(d, week)).count() as i32;
                    assert_eq!(working_days_between(a, b, week), want, "{a} {b} {week}");
                }
            }
        }
    }
}
