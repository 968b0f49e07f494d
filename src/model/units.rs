//! Unit normalisation: every quantity in the model is in one unit per kind.
//!
//! Time is counted on one calendar, the regulation's working one ([`Calendar`]): a day is a
//! working day, a week the working week (`рабочая_неделя`, 5 days unless written), a month the
//! working month (the working week × 52 / 12), a quarter 3 months and a year 12 months. An
//! hour as a duration is an hour of the standard 8-hour working day ([`WORK_DAY_HOURS`]).
//! The simulator walks the same working days, so `длительность 2 нед` is two working weeks in
//! every output.

use crate::syntax::ast::Unit;

/// Hours in the working day that hours and minutes of a *duration* (`через 2 ч`, `лимит 4 ч`)
/// are counted against. Work time (`10 мин` of a contact, `рабочий_день`) stays in minutes.
pub const WORK_DAY_HOURS: f64 = 8.0;

/// The regulation's working calendar: how many working days each time unit holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calendar {
    /// Working days a week (`рабочая_неделя`).
    pub work_week_days: f64,
}

impl Default for Calendar {
    fn default() -> Calendar {
        Calendar { work_week_days: 5.0 }
    }
}

impl Calendar {
    pub fn new(work_week_days: f64) -> Calendar {
        Calendar { work_week_days }
    }

    /// Working days in an average month: the working week × 52 weeks / 12 months.
    pub fn month_days(self) -> f64 {
        self.work_week_days * 52.0 / 12.0
    }

    /// Working days in a quantity of time, or `None` when the unit is not a time.
    pub fn days(self, value: f64, unit: Unit) -> Option<f64> {
        Some(match unit {
            Unit::Minutes => value / (WORK_DAY_HOURS * 60.0),
            Unit::Hours => value / WORK_DAY_HOURS,
            Unit::Days => value,
            Unit::Weeks => value * self.work_week_days,
            Unit::Months => value * self.month_days(),
            Unit::Quarters => value * 3.0 * self.month_days(),
            Unit::Years => value * 12.0 * self.month_days(),
            _ => return None,
        })
    }

    /// Working months in a quantity of time (`горизонт 260 дн` = 12 months of a 5-day week).
    pub fn months(self, value: f64, unit: Unit) -> Option<f64> {
        let m = match unit {
            Unit::Months => value,
            Unit::Quarters => value * 3.0,
            Unit::Years => value * 12.0,
            _ => self.days(value, unit)? / self.month_days(),
        };
        Some(m)
    }

    /// How many of a period fit in a month.
    pub fn per_month(self, per: Unit) -> f64 {
        match self.days(1.0, per) {
            Some(d) if d > 0.0 => self.month_days() / d,
            _ => 1.0,
        }
    }
}

/// Minutes of work in a quantity of working time.
pub fn minutes(value: f64, unit: Unit) -> Option<f64> {
    match unit {
        Unit::Minutes => Some(value),
        Unit::Hours => Some(value * 60.0),
        _ => None,
    }
}

/// Working days as minutes of the working day, for a duration shorter than a day
/// (the inverse of [`Calendar::days`] for hours and minutes).
pub fn day_minutes(days: f64) -> f64 {
    days * WORK_DAY_HOURS * 60.0
}

pub fn is_money(unit: Unit) -> bool {
    matches!(unit, Unit::Rub | Unit::Usd | Unit::Eur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        let five = Calendar::new(5.0);
        let six = Calendar::new(6.0);
        assert_eq!(five.days(2.0, Unit::Weeks), Some(10.0));
        assert_eq!(six.days(2.0, Unit::Weeks), Some(12.0));
        assert!((five.days(1.0, Unit::Months).unwrap() - 21.666_666).abs() < 1e-3);
        assert!((five.days(1.0, Unit::Years).unwrap() - 260.0).abs() < 1e-9);
        assert_eq!(five.days(4.0, Unit::Hours), Some(0.5));
        assert_eq!(five.days(1.0, Unit::Rub), None);
        assert_eq!(minutes(1.5, Unit::Hours), Some(90.0));
        assert_eq!(minutes(1.0, Unit::Days), None);
        assert!((five.per_month(Unit::Days) - 21.666_666).abs() < 1e-3);
        assert!((five.per_month(Unit::Weeks) - 52.0 / 12.0).abs() < 1e-12);
        assert!((five.per_month(Unit::Quarters) - 1.0 / 3.0).abs() < 1e-12);
        assert!((five.per_month(Unit::Years) - 1.0 / 12.0).abs() < 1e-12);
        assert_eq!(five.per_month(Unit::Months), 1.0);
        assert!((five.months(260.0, Unit::Days).unwrap() - 12.0).abs() < 1e-12);
        assert!((six.months(6.0 * 52.0, Unit::Days).unwrap() - 12.0).abs() < 1e-12);
        assert_eq!(five.months(2.0, Unit::Quarters), Some(6.0));
        assert!((day_minutes(five.days(90.0, Unit::Minutes).unwrap()) - 90.0).abs() < 1e-9);
    }
}
