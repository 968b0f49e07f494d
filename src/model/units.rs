//! Unit normalisation: every quantity in the model is in one unit per kind.

use crate::syntax::ast::Unit;

/// Days in a quantity of time, or `None` when the unit is not a time.
pub fn days(value: f64, unit: Unit) -> Option<f64> {
    Some(match unit {
        Unit::Minutes => value / (24.0 * 60.0),
        Unit::Hours => value / 24.0,
        Unit::Days => value,
        Unit::Weeks => value * 7.0,
        Unit::Months => value * 365.25 / 12.0,
        Unit::Quarters => value * 365.25 / 4.0,
        Unit::Years => value * 365.25,
        _ => return None,
    })
}

/// Months in a quantity of time.
pub fn months(value: f64, unit: Unit) -> Option<f64> {
    days(value, unit).map(|d| d * 12.0 / 365.25)
}

/// Minutes of work in a quantity of working time.
pub fn minutes(value: f64, unit: Unit) -> Option<f64> {
    match unit {
        Unit::Minutes => Some(value),
        Unit::Hours => Some(value * 60.0),
        _ => None,
    }
}

pub fn is_money(unit: Unit) -> bool {
    matches!(unit, Unit::Rub | Unit::Usd | Unit::Eur)
}

/// How many of a period fit in a month, given working days per week.
pub fn per_month(per: Unit, work_week_days: f64) -> f64 {
    match per {
        Unit::Days => work_week_days * 52.0 / 12.0,
        Unit::Weeks => 52.0 / 12.0,
        Unit::Quarters => 1.0 / 3.0,
        Unit::Years => 1.0 / 12.0,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(days(2.0, Unit::Weeks), Some(14.0));
        assert_eq!(minutes(1.5, Unit::Hours), Some(90.0));
        assert_eq!(minutes(1.0, Unit::Days), None);
        assert!((per_month(Unit::Days, 5.0) - 21.666_666).abs() < 1e-3);
        assert!((months(365.25 / 12.0, Unit::Days).unwrap() - 1.0).abs() < 1e-12);
    }
}
