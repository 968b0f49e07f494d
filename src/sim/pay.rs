//! The month's revenue bonus of the forecast's cost: every role's share of the revenue it
//! brings in, where a scale (`бонус шкала`) or a payout threshold (`порог`) makes the share
//! follow the month's plan fulfilment. Read through `model::pay::share_at`, the same function
//! the documents' pay examples use.

use super::params::RoleParams;
use crate::model::pay::share_at;

/// The revenue bonus of one month, for all roles together.
#[derive(Debug, Clone, Default)]
pub struct MonthBonus {
    /// Σ share × weight over the roles whose share does not follow the plan.
    flat: f64,
    /// The roles whose share follows the plan, with their weight.
    following: Vec<(f64, RoleParams)>,
}

impl MonthBonus {
    pub fn new(roles: &[RoleParams]) -> MonthBonus {
        let mut b = MonthBonus::default();
        for r in roles {
            if r.bonus_scale.is_some() || r.pay_threshold.is_some() {
                b.following.push((r.bonus_revenue_weight, r.clone()));
            } else {
                b.flat += r.bonus_revenue_share * r.bonus_revenue_weight;
            }
        }
        b
    }

    /// The bonus is the same share of revenue at any plan fulfilment: `Some(share)`.
    pub fn flat(&self) -> Option<f64> {
        self.following.is_empty().then_some(self.flat)
    }

    /// The bonus of a month with `revenue` at `fulfilment` of the plan (1.0 when there is no
    /// plan: check warns, W0046).
    pub fn cost(&self, revenue: f64, fulfilment: f64) -> f64 {
        let following: f64 = self
            .following
            .iter()
            .map(|(w, r)| {
                w * share_at(
                    r.bonus_revenue_share,
                    r.bonus_scale.as_ref(),
                    r.pay_threshold,
                    fulfilment,
                )
            })
            .sum();
        (self.flat + following) * revenue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pay::{BonusScale, Interval, ScaleStep};
    use crate::model::{BonusBase, Cmp};

    fn role(share: f64, weight: f64, scale: Option<BonusScale>, threshold: Option<f64>) -> RoleParams {
        RoleParams {
            name: "М".into(),
            headcount: 1.0,
            work_day_hours: 8.0,
            selling_share: 1.0,
            capacity: crate::model::Capacity {
                minutes_per_head: 480.0,
                cap: f64::INFINITY,
                selling_share: 1.0,
            },
            ramp_up_months: 0.0,
            attrition_per_year: 0.0,
            hires: vec![],
            salary: 0.0,
            bonus_revenue_share: share,
            bonus_revenue_weight: weight,
            bonus_plan_amount: 0.0,
            bonus_scale: scale,
            pay_threshold: threshold,
            sampling_minutes_per_day: 0.0,
            client_work_minutes_per_day: 0.0,
            budget_per_month: 0.0,
        }
    }

    fn step(fulfilment: Interval, share: f64) -> ScaleStep {
        ScaleStep {
            fulfilment,
            share,
            span: Default::default(),
        }
    }

    #[test]
    fn a_scale_and_a_threshold_follow_the_months_fulfilment() {
        let scale = BonusScale {
            steps: vec![
                step(Interval::from_cmp(Cmp::Lt, 0.8), 0.04),
                step(Interval::new(0.8, true, Some(1.0), true), 0.06),
                step(Interval::from_cmp(Cmp::Gt, 1.0), 0.08),
            ],
            base: BonusBase::Revenue,
            span: Default::default(),
        };
        let b = MonthBonus::new(&[
            role(0.0, 0.5, Some(scale), Some(0.7)),
            role(0.02, 1.0, None, None),
        ]);
        assert_eq!(b.flat(), None);
        let close = |a: f64, e: f64| (a - e).abs() < 1e-9;
        // Below the threshold only the flat role is paid.
        assert!(close(b.cost(1000.0, 0.6), 20.0));
        assert!(close(b.cost(1000.0, 0.75), 20.0 + 0.5 * 40.0));
        assert!(close(b.cost(1000.0, 1.0), 20.0 + 0.5 * 60.0));
        assert!(close(b.cost(1000.0, 1.2), 20.0 + 0.5 * 80.0));
        assert_eq!(
            MonthBonus::new(&[role(0.05, 0.5, None, None)]).flat(),
            Some(0.025)
        );
    }
}
