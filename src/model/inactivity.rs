//! Client-base triggers (issue 19, G8 and G7): inactivity (`когда без_покупки 60 дн`,
//! `без_активности 7 дн`) and recurring contacts (`когда каждые 2 нед`, `для сегмент A`). They
//! watch the clients of a pipeline, not a deal in a stage: how often they fire depends on the
//! client base (see `analyze::triggers`), and an inactivity trigger only with the share of the
//! clients who go quiet (`доля`) — without it it is documentation and a CRM setting only.

use super::{Model, Period, Trigger, TriggerEvent};
use crate::locale::{self, Lang};
use serde::{Deserialize, Serialize};

/// What a client has not done: `без_покупки` or `без_активности`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quiet {
    Purchase,
    Activity,
}

/// A length of time as written, `2 нед` (`count` periods `per`), and in months (`months`, by the
/// regulation's calendar: `дн` are working days): the interval of `каждые 2 нед` and the quiet
/// time of `без_покупки 60 дн`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lapse {
    pub count: f64,
    pub per: Period,
    pub months: f64,
}

impl Lapse {
    /// Contacts with one client a month.
    pub fn per_month(self) -> f64 {
        if self.months > 0.0 && self.months.is_finite() {
            1.0 / self.months
        } else {
            0.0
        }
    }

    /// «60 рабочих дней», «2 недели», «12 месяцев» / "60 working days", "2 weeks".
    pub fn length_words(self, lang: Lang) -> String {
        let n = self.count;
        let number = locale::number(n, 1, lang);
        let (one, few, many) = match (lang, self.per) {
            (Lang::Ru, Period::Day) => ("рабочий день", "рабочих дня", "рабочих дней"),
            (Lang::Ru, Period::Week) => ("неделя", "недели", "недель"),
            (Lang::Ru, Period::Month) => ("месяц", "месяца", "месяцев"),
            (Lang::Ru, Period::Quarter) => ("квартал", "квартала", "кварталов"),
            (Lang::Ru, Period::Year) => ("год", "года", "лет"),
            (Lang::En, Period::Day) => ("working day", "working days", "working days"),
            (Lang::En, Period::Week) => ("week", "weeks", "weeks"),
            (Lang::En, Period::Month) => ("month", "months", "months"),
            (Lang::En, Period::Quarter) => ("quarter", "quarters", "quarters"),
            (Lang::En, Period::Year) => ("year", "years", "years"),
        };
        format!("{number}\u{a0}{}", locale::plural(n, one, few, many, lang))
    }

    /// Calendar days (≈ 30.4 a month), for CRM settings that count calendar days.
    pub fn calendar_days(self) -> f64 {
        (self.months * 365.0 / 12.0).round()
    }

    /// «раз в 2 недели», «раз в квартал» / "every 2 weeks", "every quarter".
    pub fn words(self, lang: Lang) -> String {
        let n = self.count;
        let one = (n - 1.0).abs() < 1e-9;
        let number = locale::number(n, 1, lang);
        match lang {
            Lang::Ru => {
                let (acc, few, many) = match self.per {
                    Period::Day => ("день", "дня", "дней"),
                    Period::Week => ("неделю", "недели", "недель"),
                    Period::Month => ("месяц", "месяца", "месяцев"),
                    Period::Quarter => ("квартал", "квартала", "кварталов"),
                    Period::Year => ("год", "года", "лет"),
                };
                if one {
                    format!("раз в {acc}")
                } else {
                    format!("раз в {number} {}", locale::plural(n, acc, few, many, lang))
                }
            }
            Lang::En => {
                let unit = match self.per {
                    Period::Day => "day",
                    Period::Week => "week",
                    Period::Month => "month",
                    Period::Quarter => "quarter",
                    Period::Year => "year",
                };
                if one {
                    format!("every {unit}")
                } else {
                    format!("every {number} {unit}s")
                }
            }
        }
    }
}

impl Trigger {
    /// The pipeline whose clients a client-base trigger watches (`воронка`), else none.
    pub fn watched_pipeline<'m>(&self, model: &'m Model) -> Option<&'m super::Pipeline> {
        self.pipeline.as_deref().and_then(|p| model.pipeline(p))
    }

    /// Whether the trigger watches the client base rather than a deal or a KPI.
    pub fn on_clients(&self) -> bool {
        matches!(
            self.event,
            Some(TriggerEvent::Idle { .. } | TriggerEvent::Every { .. } | TriggerEvent::Field { .. })
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_words_and_rate() {
        let e = |count, per, months| Lapse { count, per, months };
        assert_eq!(e(2.0, Period::Week, 0.5).words(Lang::Ru), "раз в 2 недели");
        assert_eq!(e(1.0, Period::Quarter, 3.0).words(Lang::Ru), "раз в квартал");
        assert_eq!(e(5.0, Period::Week, 1.0).words(Lang::Ru), "раз в 5 недель");
        assert_eq!(e(3.0, Period::Month, 3.0).words(Lang::Ru), "раз в 3 месяца");
        assert_eq!(e(2.0, Period::Week, 0.5).words(Lang::En), "every 2 weeks");
        assert_eq!(e(1.0, Period::Month, 1.0).words(Lang::En), "every month");
        assert!((e(3.0, Period::Month, 3.0).per_month() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(
            e(60.0, Period::Day, 2.77).length_words(Lang::Ru),
            "60\u{a0}рабочих дней"
        );
        assert_eq!(
            e(12.0, Period::Month, 12.0).length_words(Lang::Ru),
            "12\u{a0}месяцев"
        );
        assert_eq!(e(12.0, Period::Month, 12.0).calendar_days(), 365.0);
        assert_eq!(e(0.0, Period::Month, 0.0).per_month(), 0.0);
    }
}
