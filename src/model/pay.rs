//! Pay conditions beyond a flat bonus (a scale by plan fulfilment, a payout threshold, piece
//! rates), penalties (`ответственность`) and deal terms (`условия`: discounts by approver,
//! deferral, prepayment, instalments, offers, refunds). Plain serde data like the rest of the
//! model; the one reading of a role's bonus at a level of plan fulfilment lives here
//! ([`Role::bonus_share_at`]) so the forecast's cost and the documents' pay examples agree.

use super::{BonusBase, Cmp, Counter, Period, Role, Scope};
use crate::source::Span;
use serde::{Deserialize, Serialize};

/// A range of a share (plan fulfilment, a discount): `< 80%`, `80%..100%`, `> 100%`, `до 5%`.
/// A range `a..b` holds both ends; where two ranges of one list share an end, the lower range
/// holds it (see [`first_holding`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    pub low: f64,
    pub low_closed: bool,
    /// `None`: no upper end (`> 100%`).
    pub high: Option<f64>,
    pub high_closed: bool,
}

impl Interval {
    /// From a comparison (`< 80%`: below, `>= 100%`: from) or a range.
    pub fn from_cmp(op: Cmp, value: f64) -> Interval {
        match op {
            Cmp::Lt => Interval::new(0.0, true, Some(value), false),
            Cmp::Le => Interval::new(0.0, true, Some(value), true),
            Cmp::Gt => Interval::new(value, false, None, false),
            Cmp::Ge => Interval::new(value, true, None, false),
            Cmp::Eq => Interval::new(value, true, Some(value), true),
        }
    }

    pub fn new(low: f64, low_closed: bool, high: Option<f64>, high_closed: bool) -> Interval {
        Interval {
            low,
            low_closed,
            high,
            high_closed,
        }
    }

    pub fn contains(&self, x: f64) -> bool {
        let above = x > self.low || (self.low_closed && x == self.low);
        let below = match self.high {
            None => true,
            Some(h) => x < h || (self.high_closed && x == h),
        };
        above && below
    }

    /// The two ranges share more than an end point.
    pub fn overlaps(&self, other: &Interval) -> bool {
        let high = |i: &Interval| i.high.unwrap_or(f64::INFINITY);
        self.low < high(other) && other.low < high(self)
    }
}

/// The gaps between ranges sorted by their low end: `(end of one, start of the next)` where a
/// value lies in neither (`< 80%` then `90%..100%` leaves 80 %..90 %; `< 80%` then `> 80%`
/// leaves 80 % itself).
pub fn gaps(sorted: &[Interval]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut reach: Option<(f64, bool)> = None;
    for i in sorted {
        if let Some((h, closed)) = reach
            && (i.low > h || (i.low == h && !closed && !i.low_closed))
        {
            out.push((h, i.low));
        }
        reach = match (reach, i.high) {
            (_, None) => Some((f64::INFINITY, false)),
            (None, Some(h)) => Some((h, i.high_closed)),
            (Some((rh, rc)), Some(h)) => Some(if h > rh || (h == rh && i.high_closed) {
                (h, i.high_closed)
            } else {
                (rh, rc)
            }),
        };
    }
    out
}

/// The first range (by low end, then by the order written) that holds `x`.
pub fn first_holding<T>(items: &[T], range: impl Fn(&T) -> &Interval, x: f64) -> Option<&T> {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by(|a, b| range(a).low.total_cmp(&range(b).low));
    sorted.into_iter().find(|t| range(t).contains(x))
}

/// One step of `бонус шкала`: the plan fulfilment it covers and the share of revenue it pays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleStep {
    pub fulfilment: Interval,
    pub share: f64,
    #[serde(skip)]
    pub span: Span,
}

/// `бонус шкала < 80% 4%, 80%..100% 6%, > 100% 8% выручки`: the month's share of the role's
/// revenue follows the month's plan fulfilment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BonusScale {
    pub steps: Vec<ScaleStep>,
    pub base: BonusBase,
    #[serde(skip)]
    pub span: Span,
}

impl BonusScale {
    /// The share paid at `fulfilment` (1.0 = the plan met); 0 where no step holds it.
    pub fn share_at(&self, fulfilment: f64) -> f64 {
        first_holding(&self.steps, |s| &s.fulfilment, fulfilment).map_or(0.0, |s| s.share.clamp(0.0, 1.0))
    }
}

/// `бонус 150 ₽ за перешло(Квалификация)`: an amount per counted event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PieceRate {
    pub amount: f64,
    pub counter: Counter,
    pub scope: Option<Scope>,
    #[serde(skip)]
    pub span: Span,
}

/// The share of revenue paid at `fulfilment` of the plan: nothing below the threshold, else
/// the flat share plus the scale's step. [`Role::bonus_share_at`] and the forecast's cost
/// (`sim::pay`) both read a bonus through this.
pub fn share_at(flat: f64, scale: Option<&BonusScale>, threshold: Option<f64>, fulfilment: f64) -> f64 {
    if threshold.is_some_and(|t| fulfilment < t) {
        return 0.0;
    }
    flat + scale.map_or(0.0, |s| s.share_at(fulfilment))
}

impl Role {
    /// The share of revenue the role's bonus pays in a month at `fulfilment` of the plan (1.0 =
    /// met): the flat share (`бонус 5% выручки`) plus the scale's step, nothing below the payout
    /// threshold (`порог`). Amounts (plan bonus, piece rates) are not in it.
    pub fn bonus_share_at(&self, fulfilment: f64) -> f64 {
        let flat = self.bonus.as_ref().and_then(|b| b.kind().share()).unwrap_or(0.0);
        share_at(flat, self.bonus_scale.as_ref(), self.pay_threshold, fulfilment)
    }

    /// Any bonus is paid in a month at `fulfilment` of the plan (the payout threshold).
    pub fn bonus_paid_at(&self, fulfilment: f64) -> bool {
        self.pay_threshold.is_none_or(|t| fulfilment >= t)
    }

    /// The role's revenue bonus depends on plan fulfilment (a scale or a threshold).
    pub fn bonus_follows_plan(&self) -> bool {
        self.bonus_scale.is_some() || self.pay_threshold.is_some()
    }

    /// The role has some bonus a penalty can take from.
    pub fn has_bonus(&self) -> bool {
        self.bonus.is_some() || self.bonus_scale.is_some() || !self.piece_rates.is_empty()
    }
}

/// `ответственность "…" { роли …; санкция …; предел …; аттестация … }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalties {
    pub title: Option<String>,
    /// The roles it applies to; empty = every role.
    pub roles: Vec<String>,
    pub sanctions: Vec<Sanction>,
    /// The most the sanctions take from a month's bonus, 0..1.
    pub cap: Option<f64>,
    pub cap_period: Option<Period>,
    pub reviews: Vec<Review>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// `санкция "Сделка без задачи" 10% премии` or `санкция "…" "дисциплинарный проступок"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sanction {
    pub violation: String,
    /// The share of the month's bonus taken per case, 0..1.
    pub bonus_share: Option<f64>,
    /// The consequence in words, when it is not a share of the bonus.
    pub consequence: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// `аттестация план < 100% 2 мес подряд "Аттестация у РОП"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// A KPI's name; `None` for the plan.
    pub kpi: Option<String>,
    pub op: Cmp,
    /// A share for the plan and percent KPIs (0..), else the number as written.
    pub value: f64,
    pub value_text: String,
    /// How long in a row, as written (`2 мес`), and in working days.
    pub duration_text: String,
    pub duration_days: f64,
    pub consequence: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// `условия "Скидки и оплата" { … }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    pub title: Option<String>,
    pub discounts: Vec<Discount>,
    /// `скидки не_суммируются`, with its wording when given.
    pub no_stacking: Option<String>,
    pub deferrals: Vec<TermDays>,
    pub prepayments: Vec<Prepayment>,
    pub instalments: Vec<Instalments>,
    pub offers: Vec<Offer>,
    pub refunds: Vec<TermDays>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// `скидка 5%..10% РОП` (a band of the approval matrix) or `скидка 5% "при полной оплате"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discount {
    /// The discounts it covers, shares of the price.
    pub range: Interval,
    /// The role that decides or approves; `None` for a discount on a condition.
    pub approver: Option<String>,
    pub condition: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// `отсрочка до 30 дн "…"`, `возврат до 14 дн "…"`: a number of days and its condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermDays {
    /// As written (`30 дн`, `10 банковских дней` is written `10 дн`).
    pub text: String,
    pub days: f64,
    pub condition: Option<String>,
}

/// `предоплата 100% "…"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prepayment {
    pub share: f64,
    pub condition: Option<String>,
}

/// `рассрочка 6 мес, 12 мес "Через банк-партнёр"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instalments {
    /// Terms as written (`6 мес`).
    pub terms: Vec<String>,
    pub months: Vec<f64>,
    pub condition: Option<String>,
}

/// `предложение "Скидка вебинара" 15% действует 48 ч`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    pub name: String,
    pub discount: Option<f64>,
    /// As written (`48 ч`) and in working days.
    pub valid_text: String,
    pub valid_days: f64,
}

impl Terms {
    /// The approval matrix: discounts with an approver, by their low end.
    pub fn approval_bands(&self) -> Vec<&Discount> {
        let mut v: Vec<&Discount> = self.discounts.iter().filter(|d| d.approver.is_some()).collect();
        v.sort_by(|a, b| a.range.low.total_cmp(&b.range.low));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(a: f64, b: f64) -> Interval {
        Interval::new(a, true, Some(b), true)
    }

    #[test]
    fn a_shared_end_is_not_an_overlap_and_the_lower_range_holds_it() {
        let below = Interval::from_cmp(Cmp::Le, 0.05);
        let mid = range(0.05, 0.10);
        let above = Interval::from_cmp(Cmp::Gt, 0.10);
        assert!(!below.overlaps(&mid));
        assert!(!mid.overlaps(&above));
        assert!(range(0.05, 0.12).overlaps(&above));
        let v = [mid, below, above];
        assert_eq!(first_holding(&v, |i| i, 0.05), Some(&below));
        assert_eq!(first_holding(&v, |i| i, 0.07), Some(&mid));
        assert_eq!(first_holding(&v, |i| i, 0.5), Some(&above));
        assert!(gaps(&[below, mid, above]).is_empty());
    }

    #[test]
    fn gaps_between_ranges_are_found() {
        let below = Interval::from_cmp(Cmp::Lt, 0.8);
        assert_eq!(gaps(&[below, range(0.9, 1.0)]), vec![(0.8, 0.9)]);
        assert_eq!(gaps(&[below, Interval::from_cmp(Cmp::Gt, 0.8)]), vec![(0.8, 0.8)]);
        assert!(gaps(&[below, Interval::from_cmp(Cmp::Ge, 0.8)]).is_empty());
    }
}
