//! Telephony standards and data, percentile targets, the plan's calendar and timing before an
//! event (issue 19, G11 and G5): `ответ до 3 гудков`, `перезвон 10 мин` on a channel or role;
//! the counter `пропущенные` and the talk filter `звонки(разговор >= 1 мин)`; a KPI target met
//! `в 90%` of cases; `срок "Проект плана" до 15 декабря кто РОП`, `за 10 дн до начала квартала`;
//! a field trigger `накануне 18:00 если_время до 10:00`; a meeting `время за 15 мин до открытия`.
//! Plain serde data like the rest of the model; how documents, CRM notes and hovers say each one
//! is written here, once.

use super::{Cmp, Counter, Formula, Kpi, Period};
use crate::locale::Lang;
use serde::{Deserialize, Serialize};

/// A telephony service standard of a channel or a role.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Telephony {
    /// `ответ до 3 гудков`: an incoming call is answered by this ring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_rings: Option<u32>,
    /// `перезвон 10 мин`: a missed call is called back within these minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_minutes: Option<f64>,
}

impl Telephony {
    pub fn is_empty(&self) -> bool {
        self.answer_rings.is_none() && self.callback_minutes.is_none()
    }

    /// «трубку берут не позднее 3-го гудка; пропущенный звонок — перезвон не позднее 10 минут».
    pub fn words(&self, lang: Lang) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(n) = self.answer_rings {
            parts.push(match lang {
                Lang::Ru => format!("трубку берут не позднее {n}-го гудка"),
                Lang::En => format!("calls are answered by the {} ring", ordinal_en(n)),
            });
        }
        if let Some(m) = self.callback_minutes {
            parts.push(match lang {
                Lang::Ru => format!("пропущенный звонок — перезвон не позднее {}", minutes_ru(m)),
                Lang::En => format!("a missed call is called back within {}", minutes_en(m)),
            });
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// `разговор >= 1 мин` in a contact counter's arguments: contacts by their talk time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalkFilter {
    pub op: Cmp,
    pub minutes: f64,
}

impl TalkFilter {
    /// «с разговором не короче 1 мин».
    pub fn words(&self, lang: Lang) -> String {
        let m = match lang {
            Lang::Ru => minutes_ru(self.minutes),
            Lang::En => minutes_en(self.minutes),
        };
        let (ru, en) = match self.op {
            Cmp::Ge => ("не короче", "of at least"),
            Cmp::Gt => ("дольше", "longer than"),
            Cmp::Le => ("не дольше", "of at most"),
            Cmp::Lt => ("короче", "shorter than"),
            Cmp::Eq => ("ровно", "of exactly"),
        };
        match lang {
            Lang::Ru => format!("с разговором {ru} {m}"),
            Lang::En => format!("with talk {en} {m}"),
        }
    }
}

/// Whether a formula reads data only telephony has: `пропущенные` or a talk filter.
pub fn reads_telephony(f: &Formula) -> bool {
    match f {
        Formula::Counter { counter, filter, .. } => *counter == Counter::Missed || filter.talk.is_some(),
        Formula::Neg { arg } => reads_telephony(arg),
        Formula::Add { left, right }
        | Formula::Sub { left, right }
        | Formula::Mul { left, right }
        | Formula::Div { left, right } => reads_telephony(left) || reads_telephony(right),
        Formula::Change { arg, .. } => reads_telephony(arg),
        Formula::Number { .. } | Formula::Score { .. } => false,
    }
}

/// Whether a formula is a quantity measured case by case (a time per lead, per deal, per call),
/// which a share of cases can be taken of: `отклик`, `цикл`, `цикл_календарный`, or
/// `минуты(звонки…) / звонки(…)` (talk per call).
pub fn per_case(f: &Formula) -> bool {
    match f {
        Formula::Counter { counter, .. } => matches!(
            counter,
            Counter::ResponseMinutes | Counter::CycleDays | Counter::CycleCalendarDays
        ),
        Formula::Div { left, right } => matches!(
            (&**left, &**right),
            (
                Formula::Counter {
                    counter: Counter::TalkMinutes,
                    ..
                },
                Formula::Counter { .. }
            )
        ),
        _ => false,
    }
}

impl Kpi {
    /// Where the value of a KPI the process does not produce comes from: telephony (missed
    /// calls, talk times), or telephony and CRM records for a share of cases.
    pub fn telephony_data(&self) -> bool {
        self.formula.as_ref().is_some_and(reads_telephony)
    }
}

/// «в 90 % случаев».
pub fn percentile_words(share: f64, lang: Lang) -> String {
    let p = crate::diag::kind::num(share * 100.0, lang);
    match lang {
        Lang::Ru => format!("в {p} % случаев"),
        Lang::En => format!("in {p}% of cases"),
    }
}

/// When a step of planning is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by", deny_unknown_fields)]
pub enum PlanDue {
    /// `до 15 декабря`, `до 15.12`.
    Date { day: u32, month: u32 },
    /// `за 10 дн до начала квартала`: `days` working days before the start of each `period`.
    Before {
        days: f64,
        /// As written: `10 дн`.
        text: String,
        period: Period,
    },
}

/// `срок "Проект плана" до 15 декабря кто РОП`: a dated step of planning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanDeadline {
    pub what: String,
    pub due: PlanDue,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
}

/// Days in a month of a leap year: a date is possible when it is within.
pub fn days_in_month(month: u32) -> Option<u32> {
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return None,
    })
}

impl PlanDue {
    /// «до 15 декабря», «за 10 дн. до начала квартала».
    pub fn words(&self, lang: Lang) -> String {
        match (self, lang) {
            (PlanDue::Date { day, month }, Lang::Ru) => {
                format!(
                    "до {day} {}",
                    crate::locale::MONTHS_GENITIVE[(*month as usize).clamp(1, 12) - 1]
                )
            }
            (PlanDue::Date { day, month }, Lang::En) => {
                format!(
                    "by {} {day}",
                    crate::locale::MONTHS_EN[(*month as usize).clamp(1, 12) - 1]
                )
            }
            (PlanDue::Before { text, period, .. }, Lang::Ru) => {
                let of = match period {
                    Period::Day => "дня",
                    Period::Week => "недели",
                    Period::Month => "месяца",
                    Period::Quarter => "квартала",
                    Period::Year => "года",
                };
                format!("за {text} до начала {of}")
            }
            (PlanDue::Before { text, period, .. }, Lang::En) => {
                let of = match period {
                    Period::Day => "day",
                    Period::Week => "week",
                    Period::Month => "month",
                    Period::Quarter => "quarter",
                    Period::Year => "year",
                };
                format!("{text} before the {of} starts")
            }
        }
    }
}

/// `накануне 18:00` and `если_время до 10:00` of a field trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldTiming {
    /// The day before the date, at this minute of the day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_before_at: Option<u32>,
    /// Only for dates whose time is before this minute of the day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_time_before: Option<u32>,
}

impl FieldTiming {
    pub fn is_empty(&self) -> bool {
        self.day_before_at.is_none() && self.if_time_before.is_none()
    }

    /// «накануне в 18:00», with the condition «(для времени до 10:00)».
    pub fn words(&self, lang: Lang) -> Option<String> {
        let clock = super::calendar::clock_text;
        let mut out = Vec::new();
        if let Some(m) = self.day_before_at {
            out.push(match lang {
                Lang::Ru => format!("накануне в {}", clock(m)),
                Lang::En => format!("the day before at {}", clock(m)),
            });
        }
        if let Some(m) = self.if_time_before {
            out.push(match lang {
                Lang::Ru => format!("для времени до {}", clock(m)),
                Lang::En => format!("for times before {}", clock(m)),
            });
        }
        (!out.is_empty()).then(|| out.join(" "))
    }
}

/// «за 15 минут до открытия (8:45)» of a meeting held before the working day; `opens` is the
/// start of the participants' working hours when known.
pub fn before_opening_words(minutes: f64, opens: Option<u32>, lang: Lang) -> String {
    let at = opens.map(|o| {
        let m = (f64::from(o) - minutes).max(0.0).round() as u32;
        super::calendar::clock_text(m)
    });
    match (lang, at) {
        (Lang::Ru, Some(at)) => format!("за {} до открытия ({at})", minutes_ru(minutes)),
        (Lang::Ru, None) => format!("за {} до открытия", minutes_ru(minutes)),
        (Lang::En, Some(at)) => format!("{} before opening ({at})", minutes_en(minutes)),
        (Lang::En, None) => format!("{} before opening", minutes_en(minutes)),
    }
}

pub(crate) fn minutes_ru(m: f64) -> String {
    let n = crate::diag::kind::num(m, Lang::Ru);
    let word = if m.fract() == 0.0 {
        crate::locale::plural_ru(m as u64, "минуты", "минут", "минут")
    } else {
        "минуты"
    };
    // «не позднее 1 минуты», «10 минут»: genitive after «не позднее», «за» reads the same.
    format!("{n} {word}")
}

pub(crate) fn minutes_en(m: f64) -> String {
    let n = crate::diag::kind::num(m, Lang::En);
    format!("{n} min")
}

fn ordinal_en(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
