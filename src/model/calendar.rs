//! Calendar anchors: moments of the calendar (`18:00`, `пн 12:00`, `5 число`), working hours
//! and shifts of a role or of the department, and terms of an interaction's items. Plain serde
//! data like the rest of the model; the capacity a role's schedule gives is computed here,
//! once, for the analysis, the simulator and the checks.

use super::Period;
use serde::{Deserialize, Serialize};

/// A day a moment falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MomentDay {
    /// Monday = 0 … Sunday = 6.
    Weekday(u8),
    /// A calendar day of the month (`5 число`), 1..=31.
    MonthDay(u8),
    /// A working day of the month (`1 рабочий_день`), 1..=23.
    WorkingDay(u8),
}

/// `пн 12:00`, `5 число`, `18:00`: a day, a time of day, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<MomentDay>,
    /// Minutes since midnight, 0..=1440.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minute: Option<u32>,
}

impl Moment {
    /// The period a moment's day implies: a weekday recurs weekly, a day of the month monthly.
    pub fn period(&self) -> Option<Period> {
        match self.day? {
            MomentDay::Weekday(_) => Some(Period::Week),
            MomentDay::MonthDay(_) | MomentDay::WorkingDay(_) => Some(Period::Month),
        }
    }
}

/// Working hours, minutes since midnight: `9:00..18:00` is 540..1080.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub from: u32,
    pub to: u32,
}

impl Hours {
    pub fn span_minutes(&self) -> f64 {
        f64::from(self.to.saturating_sub(self.from))
    }

    /// Whether a time of day falls within the hours (the closing minute included).
    pub fn contains(&self, minute: u32) -> bool {
        (self.from..=self.to).contains(&minute)
    }
}

/// `смены 2 по 3`: shifts a day, people on duty in each.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shifts {
    pub count: u32,
    /// People on duty in a shift as written; 0 for `смены 2` (the staff split evenly).
    pub people: u32,
    /// `смены 2` without `по`: the headcount ÷ the shifts on duty in each (an assumption the
    /// analysis states).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub even: Option<f64>,
}

impl Shifts {
    /// People on duty in a shift: as written, or the staff split evenly.
    pub fn on_duty(&self) -> f64 {
        self.even.unwrap_or(f64::from(self.people))
    }
}

/// A role's own schedule: hours, shifts and working days (`график`, `смены`, `дни`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSchedule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Hours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shifts: Option<Shifts>,
    /// First and last working weekday, Monday = 0: `пн..сб` is (0, 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<(u8, u8)>,
}

/// Hours a person works in a week by the labour norm (ТК РФ, ст. 91): what the staffing check
/// of a shift schedule measures the headcount against.
pub const WEEK_HOURS_NORM: f64 = 40.0;

impl RoleSchedule {
    pub fn is_empty(&self) -> bool {
        self.hours.is_none() && self.shifts.is_none() && self.days.is_none()
    }

    /// Working days a week of the role, when written.
    pub fn days_a_week(&self) -> Option<f64> {
        let (a, b) = self.days?;
        Some(f64::from(b.saturating_sub(a)) + 1.0)
    }

    /// Person-hours a week the shifts keep on duty: people × hours × days.
    pub fn duty_hours_a_week(&self, work_week_days: f64) -> Option<f64> {
        let shifts = self.shifts?;
        let hours = self.hours?;
        let days = self.days_a_week().unwrap_or(work_week_days);
        Some(shifts.on_duty() * hours.span_minutes() / 60.0 * days)
    }

    /// The shift length in hours, when shifts and hours are written.
    pub fn shift_hours(&self) -> Option<f64> {
        let shifts = self.shifts?;
        (shifts.count > 0).then(|| {
            self.hours
                .map(|h| h.span_minutes() / 60.0 / f64::from(shifts.count))
        })?
    }
}

/// How many selling minutes a role gives per working day of the regulation: the one formula
/// the analysis, the simulator and the checks use.
///
/// Without a schedule it is heads × work day × selling share (as always). `дни` scales it by
/// the role's working days per the regulation's working day (a call centre that works Saturdays
/// in a five-day regulation gives 6/5 of its day). `смены N по M` with `график` caps it at the
/// on-duty minutes of the shifts: M people × the hours × the days, spread over the regulation's
/// working week; staff beyond that is the rota, not extra minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    pub minutes_per_head: f64,
    /// On-duty minutes per regulation working day; infinite without shifts.
    pub cap: f64,
    pub selling_share: f64,
}

impl Capacity {
    /// Working minutes a regulation working day of `heads` people: their own days, at most what
    /// the shifts keep on duty.
    pub fn working_minutes(&self, heads: f64) -> f64 {
        (heads * self.minutes_per_head).min(self.cap)
    }

    /// The selling part of [`Capacity::working_minutes`].
    pub fn selling_minutes(&self, heads: f64) -> f64 {
        self.working_minutes(heads) * self.selling_share
    }
}

impl super::Role {
    /// The role's [`Capacity`] on a regulation of `work_week_days` working days a week.
    pub fn capacity(&self, work_week_days: f64) -> Capacity {
        let week = if work_week_days > 0.0 { work_week_days } else { 5.0 };
        let factor = self.schedule.days_a_week().map_or(1.0, |d| d / week);
        let cap = self
            .schedule
            .duty_hours_a_week(week)
            .map_or(f64::INFINITY, |h| h * 60.0 / week);
        Capacity {
            minutes_per_head: self.work_day_hours * 60.0 * factor,
            cap,
            selling_share: self.selling_share,
        }
    }
}

/// Which way an item of an interaction goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    Give,
    Receive,
}

/// One `передаём`/`получаем` of an interaction with its own terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InteractionItem {
    pub flow: Flow,
    pub what: String,
    /// `в_течение 1 ч`: at the latest this long after the event, as written and in working days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<f64>,
    /// `за 3 дн`: at the latest this long before the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ahead: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ahead_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

// ─── Words ──────────────────────────────────────────────────────────────────────────────
// How documents, CRM notes and editor hovers say a moment: once, here.

use crate::locale::Lang;

/// `9:15`, `18:00`.
pub fn clock_text(minute: u32) -> String {
    format!("{}:{:02}", minute / 60, minute % 60)
}

fn weekday_plural(d: u8, lang: Lang) -> &'static str {
    const RU: [&str; 7] = [
        "понедельникам",
        "вторникам",
        "средам",
        "четвергам",
        "пятницам",
        "субботам",
        "воскресеньям",
    ];
    const EN: [&str; 7] = [
        "Mondays",
        "Tuesdays",
        "Wednesdays",
        "Thursdays",
        "Fridays",
        "Saturdays",
        "Sundays",
    ];
    let i = usize::from(d.min(6));
    lang.pick(RU[i], EN[i])
}

/// `пн`, `mon`: a weekday as the file writes it.
pub fn weekday_short(d: u8, lang: Lang) -> &'static str {
    const RU: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = usize::from(d.min(6));
    lang.pick(RU[i], EN[i])
}

fn ordinal_en(n: u8) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl Moment {
    /// The day part: «по понедельникам», «5-го числа», «в 1-й рабочий день месяца».
    fn day_words(&self, lang: Lang) -> Option<String> {
        Some(match (self.day?, lang) {
            (MomentDay::Weekday(d), Lang::Ru) => format!("по {}", weekday_plural(d, lang)),
            (MomentDay::Weekday(d), Lang::En) => format!("on {}", weekday_plural(d, lang)),
            (MomentDay::MonthDay(n), Lang::Ru) => format!("{n}-го числа"),
            (MomentDay::MonthDay(n), Lang::En) => format!("on the {} of the month", ordinal_en(n)),
            (MomentDay::WorkingDay(n), Lang::Ru) => format!("в {n}-й рабочий день месяца"),
            (MomentDay::WorkingDay(n), Lang::En) => {
                format!("on the {} working day of the month", ordinal_en(n))
            }
        })
    }

    /// As a deadline: «до 18:00», «по понедельникам до 12:00», «до 5-го числа».
    pub fn deadline_words(&self, lang: Lang) -> String {
        let until = lang.pick("до", "by");
        match (self.day, self.minute) {
            (Some(MomentDay::MonthDay(n)), None) if lang == Lang::Ru => format!("до {n}-го числа"),
            (Some(MomentDay::MonthDay(n)), None) => format!("by the {} of the month", ordinal_en(n)),
            (_, Some(m)) => match self.day_words(lang) {
                Some(d) => format!("{d} {until} {}", clock_text(m)),
                None => format!("{until} {}", clock_text(m)),
            },
            (_, None) => self.day_words(lang).unwrap_or_default(),
        }
    }

    /// As the time something happens: «в 9:15», «по пятницам в 16:00», «5-го числа».
    pub fn at_words(&self, lang: Lang) -> String {
        let at = lang.pick("в", "at");
        match (self.day_words(lang), self.minute) {
            (Some(d), Some(m)) => format!("{d} {at} {}", clock_text(m)),
            (Some(d), None) => d,
            (None, Some(m)) => format!("{at} {}", clock_text(m)),
            (None, None) => String::new(),
        }
    }
}

impl Hours {
    /// «9:00–18:00».
    pub fn words(&self) -> String {
        format!("{}–{}", clock_text(self.from), clock_text(self.to))
    }
}

impl RoleSchedule {
    /// «8:00–21:00, пн–вс, 2 смены по 3 человека».
    pub fn words(&self, lang: Lang) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        if let Some(h) = self.hours {
            parts.push(h.words());
        }
        if let Some((a, b)) = self.days {
            parts.push(if a == b {
                weekday_short(a, lang).to_string()
            } else {
                format!("{}–{}", weekday_short(a, lang), weekday_short(b, lang))
            });
        }
        if let Some(s) = self.shifts
            && let Some(even) = s.even
        {
            let n = crate::diag::kind::num(even, lang);
            parts.push(match lang {
                Lang::Ru => format!(
                    "{} {} (штат поровну: {n} на смене)",
                    s.count,
                    crate::locale::plural_ru(u64::from(s.count), "смена", "смены", "смен"),
                ),
                Lang::En => format!(
                    "{} shift{} (staff split evenly: {n} per shift)",
                    s.count,
                    if s.count == 1 { "" } else { "s" }
                ),
            });
        } else if let Some(s) = self.shifts {
            parts.push(match lang {
                Lang::Ru => format!(
                    "{} {} по {} {}",
                    s.count,
                    crate::locale::plural_ru(u64::from(s.count), "смена", "смены", "смен"),
                    s.people,
                    crate::locale::plural_ru(u64::from(s.people), "человек", "человека", "человек")
                ),
                Lang::En => format!(
                    "{} shift{} of {} {}",
                    s.count,
                    if s.count == 1 { "" } else { "s" },
                    s.people,
                    if s.people == 1 { "person" } else { "people" }
                ),
            });
        }
        Some(parts.join(", "))
    }
}
