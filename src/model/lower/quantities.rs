//! Units and plain values: finite, non-negative, probabilities and shares, durations in the
//! regulation's working days, months, minutes, money, counts, rates per month and dates.

use super::*;

impl Lowerer {
    pub(super) fn finite(&mut self, q: &ast::Quantity) -> Option<f64> {
        if !q.value.is_finite() || q.value.abs() > MAX_NUMBER {
            self.err(Kind::NumberOutOfRange { text: q.text.clone() }, q.span);
            return None;
        }
        Some(q.value)
    }

    pub(super) fn non_negative(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.finite(q)?;
        if v < 0.0 {
            self.err(Kind::Negative { text: q.text.clone() }, q.span);
            return None;
        }
        Some(v)
    }

    pub(super) fn wrong_unit(&mut self, q: &ast::Quantity, expected: UnitClass) {
        self.err(
            Kind::WrongUnit {
                expected,
                found: q.text.clone(),
            },
            q.span,
        );
    }

    /// `40%` or `0.4` → 0.4.
    pub(super) fn probability(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.finite(q)?;
        let p = match q.unit {
            Some(Unit::Percent) => v / 100.0,
            // `конверсия 40`: a share without `%` must be a fraction.
            None if v > 1.0 && v <= 100.0 => {
                self.wrong_unit(q, UnitClass::Percent);
                return None;
            }
            None => v,
            Some(_) => {
                self.wrong_unit(q, UnitClass::Percent);
                return None;
            }
        };
        if !(0.0..=1.0).contains(&p) {
            self.err(Kind::ProbabilityOutOfRange { text: q.text.clone() }, q.span);
            return None;
        }
        Some(p)
    }

    /// A share that may exceed 100% (seasonality factors, plan shares).
    pub(super) fn share(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.non_negative(q)?;
        match q.unit {
            Some(Unit::Percent) => Some(v / 100.0),
            None => Some(v),
            Some(_) => {
                self.wrong_unit(q, UnitClass::Percent);
                None
            }
        }
    }

    pub(super) fn days(&mut self, q: &ast::Quantity, default: Option<Unit>) -> Option<f64> {
        let v = self.non_negative(q)?;
        let calendar = self.model.header.calendar();
        match q.unit.or(default).and_then(|u| calendar.days(v, u)) {
            Some(d) => Some(d),
            None => {
                self.wrong_unit(q, UnitClass::Duration);
                None
            }
        }
    }

    pub(super) fn months(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.non_negative(q)?;
        let calendar = self.model.header.calendar();
        match q.unit.and_then(|u| calendar.months(v, u)) {
            Some(m) => Some(m),
            None => {
                self.wrong_unit(q, UnitClass::Duration);
                None
            }
        }
    }

    pub(super) fn minutes(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.non_negative(q)?;
        match q.unit.and_then(|u| units::minutes(v, u)) {
            Some(m) => Some(m),
            None => {
                self.wrong_unit(q, UnitClass::WorkTime);
                None
            }
        }
    }

    pub(super) fn hours(&mut self, q: &ast::Quantity) -> Option<f64> {
        self.minutes(q).map(|m| m / 60.0)
    }

    pub(super) fn money(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.non_negative(q)?;
        match q.unit {
            None => Some(v),
            Some(u) if units::is_money(u) => Some(v),
            Some(_) => {
                self.wrong_unit(q, UnitClass::Money);
                None
            }
        }
    }

    /// `дозвон 50%`: a probability above 0 (an attempt that never reaches anyone is no attempt).
    pub(super) fn reach(&mut self, q: &ast::Quantity) -> Option<f64> {
        let p = self.probability(q)?;
        if p <= 0.0 {
            self.err(
                Kind::OutOfRange {
                    text: q.text.clone(),
                    range: Msg::new("больше 0 % и не больше 100 %", "above 0% and at most 100%"),
                },
                q.span,
            );
            return None;
        }
        Some(p)
    }

    pub(super) fn count(&mut self, q: &ast::Quantity) -> Option<u32> {
        let v = self.non_negative(q)?;
        if !matches!(q.unit, None | Some(Unit::Pieces)) {
            self.wrong_unit(q, UnitClass::Count);
            return None;
        }
        if v > u32::MAX as f64 {
            self.err(
                Kind::OutOfRange {
                    text: q.text.clone(),
                    range: Msg::new("не больше 4 294 967 295", "at most 4,294,967,295"),
                },
                q.span,
            );
            return None;
        }
        if v.fract() != 0.0 {
            self.err(Kind::NotWhole { text: q.text.clone() }, q.span);
            return None;
        }
        Some(v as u32)
    }

    /// A rate normalised to "per month".
    pub(super) fn per_month(&mut self, r: &ast::Rate) -> Option<f64> {
        let v = self.non_negative(&r.amount)?;
        let v = match r.amount.unit {
            None | Some(Unit::Pieces) => v,
            Some(Unit::Percent) => v / 100.0,
            Some(u) if units::is_money(u) => v,
            Some(_) => {
                self.wrong_unit(&r.amount, UnitClass::Count);
                return None;
            }
        };
        Some(v * self.model.header.calendar().per_month(r.per))
    }

    pub(super) fn date(&mut self, t: &ast::Text) -> Option<String> {
        let parts: Vec<u32> = t.value.split('-').filter_map(|p| p.parse().ok()).collect();
        let valid = match parts[..] {
            [y, m, d] => {
                let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                let days = match m {
                    1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                    4 | 6 | 9 | 11 => 30,
                    2 if leap => 29,
                    2 => 28,
                    _ => 0,
                };
                (1..=days).contains(&d)
            }
            _ => false,
        };
        if !valid {
            self.err(
                Kind::InvalidDate {
                    text: t.value.clone(),
                },
                t.span,
            );
            return None;
        }
        Some(t.value.clone())
    }
}
