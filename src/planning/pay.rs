//! The worked pay example of the motivation section: what one employee of a role earns in a
//! month at 70, 100 and 120 % of the plan, read the way the forecast charges pay
//! (`sim::params`, through the one `model::BonusKind`):
//!
//! - the fixed part is `оклад × (1 − мягкий_оклад)`;
//! - the soft part (`оклад × мягкий_оклад`) is paid in proportion to plan fulfilment, at most
//!   in full — the KPIs behind it are assumed to be met to the same degree as the plan;
//! - a revenue (or margin) share is paid on the revenue **the role brings in**
//!   (`analyze::role_revenue`: the won deals that passed its stages, else its team's pipelines,
//!   else the department), scaled to the plan: at 100 % of the plan that is the role's revenue
//!   × plan ÷ expected (the plan decomposition's factor), split evenly among the role's
//!   employees; margin is not modelled and is taken equal to revenue (the documents say so);
//! - a plan amount (`бонус 20 000 ₽ плана`, or an amount without a base) is paid per person in
//!   a month the plan is met.
//!
//! Depends on `model` and `analyze`; prints nothing.

use crate::analyze::{Analysis, RevenueBasis, role_revenue};
use crate::model::{BonusKind, Model, Role};
use serde::Serialize;

/// The plan fulfilment levels of the example.
pub const LEVELS: [f64; 3] = [0.7, 1.0, 1.2];

/// One employee's pay at one level of plan fulfilment, per month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayLevel {
    /// Plan fulfilment, 0.7 for 70 %.
    pub level: f64,
    /// The employee's revenue at this level (the base of a revenue bonus), when known.
    pub revenue: Option<f64>,
    pub fixed: f64,
    pub soft: f64,
    pub bonus: f64,
    pub total: f64,
}

/// The pay terms of a role and its pay at each of [`LEVELS`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayExample {
    pub salary: f64,
    pub fixed: f64,
    /// The soft part at 100 %.
    pub soft: f64,
    /// A revenue share (0.05), when the bonus is one.
    pub revenue_share: Option<f64>,
    /// The bonus is a share of margin, taken equal to revenue.
    pub margin: bool,
    /// A bonus amount paid when the plan is met.
    pub plan_bonus: Option<f64>,
    /// The share follows a scale by plan fulfilment (`бонус шкала`), and no bonus is paid below
    /// `threshold` (`порог`); the levels read both through `Role::bonus_share_at`.
    pub scale: bool,
    pub threshold: Option<f64>,
    /// The role also has piece rates (`бонус 150 ₽ за …`), which the example leaves out.
    pub piece: bool,
    /// Which revenue a share is paid on; `None` without a share.
    pub basis: Option<RevenueBasis>,
    /// The revenue the role brings in at 100 % of the plan, and each employee's part of it.
    pub role_plan: Option<f64>,
    pub personal_plan: Option<f64>,
    pub levels: Vec<PayLevel>,
}

/// The example for `role`, given the revenue the role brings in at 100 % of the plan (all its
/// employees together) and where it comes from; `None` when the role's pay does not depend on
/// the plan (no soft part and no bonus), or when a revenue bonus has no revenue to be computed
/// from.
pub fn example(role: &Role, base: Option<(f64, &RevenueBasis)>) -> Option<PayExample> {
    let salary = role.salary.unwrap_or(0.0).max(0.0);
    let soft_share = role.soft_salary_share.unwrap_or(0.0).clamp(0.0, 1.0);
    let kind = role.bonus.as_ref().map(|b| b.kind());
    let revenue_share = kind.and_then(BonusKind::share);
    let plan_bonus = kind.and_then(BonusKind::plan_amount);
    let margin = matches!(kind, Some(BonusKind::MarginShare(_)));
    let scale = role.bonus_scale.is_some();
    let on_revenue = revenue_share.is_some() || scale;
    if soft_share == 0.0 && !on_revenue && plan_bonus.is_none() {
        return None;
    }
    // The revenue base matters only to a revenue bonus.
    let base = base
        .filter(|(p, _)| p.is_finite() && *p >= 0.0)
        .filter(|_| on_revenue);
    if on_revenue && base.is_none() {
        return None;
    }
    let role_plan = base.map(|(p, _)| p);
    let personal_plan = role_plan.map(|p| p / f64::from(role.headcount.max(1)));
    let fixed = salary * (1.0 - soft_share);
    let soft = salary * soft_share;
    let levels = LEVELS
        .iter()
        .map(|&level| {
            let revenue = personal_plan.map(|p| p * level);
            let mut bonus = 0.0;
            if let Some(revenue) = revenue {
                bonus += role.bonus_share_at(level) * revenue;
            }
            if let Some(amount) = plan_bonus
                && level >= 1.0
                && role.bonus_paid_at(level)
            {
                bonus += amount;
            }
            let soft = soft * level.min(1.0);
            PayLevel {
                level,
                revenue,
                fixed,
                soft,
                bonus,
                total: fixed + soft + bonus,
            }
        })
        .collect();
    Some(PayExample {
        salary,
        fixed,
        soft,
        revenue_share,
        margin,
        plan_bonus,
        scale,
        threshold: role.pay_threshold,
        piece: !role.piece_rates.is_empty(),
        basis: base.map(|(_, b)| b.clone()),
        role_plan,
        personal_plan,
        levels,
    })
}

/// The example of every role of the model, in model order, at the plan that is `multiplier`
/// times the analysis' expected figures (the plan decomposition's factor); without a
/// multiplier (no plan to scale to) a revenue bonus gives no example.
pub fn examples(model: &Model, analysis: &Analysis, multiplier: Option<f64>) -> Vec<Option<PayExample>> {
    let revenue = role_revenue(model, analysis);
    model
        .roles
        .iter()
        .zip(&revenue)
        .map(|(r, rr)| {
            let base = multiplier
                .filter(|m| m.is_finite())
                .map(|m| (rr.revenue_per_month * m, &rr.basis));
            example(r, base)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bonus, BonusBase};

    fn role(headcount: u32, salary: f64, soft: Option<f64>, bonus: Option<Bonus>) -> Role {
        Role {
            name: "М".into(),
            title: None,
            headcount,
            reports_to: None,
            work_day_hours: 8.0,
            selling_share: 0.7,
            ramp_up_months: None,
            attrition_per_year: None,
            hires: Vec::new(),
            salary: Some(salary),
            salary_range: None,
            budget: None,
            soft_salary_share: soft,
            bonus_scale: None,
            pay_threshold: None,
            piece_rates: Vec::new(),
            bonus,
            function: None,
            schedule: Default::default(),
            telephony: Default::default(),
            description: None,
            span: Default::default(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    /// 45 000 ₽ with 30 % soft, 5 % of revenue, 3 managers, plan 3 000 000 ₽ a month:
    /// personal plan 1 000 000 ₽; fixed 31 500; soft 13 500 in full.
    /// 70 %: 31 500 + 9 450 + 35 000 = 75 950; 100 %: 31 500 + 13 500 + 50 000 = 95 000;
    /// 120 %: 31 500 + 13 500 + 60 000 = 105 000.
    #[test]
    fn a_manager_with_soft_salary_and_a_revenue_share() {
        let bonus = Bonus {
            value: 0.05,
            is_share: true,
            base: BonusBase::Revenue,
        };
        let r = role(3, 45_000.0, Some(0.3), Some(bonus));
        let ex = example(&r, Some((3_000_000.0, &RevenueBasis::Department))).expect("variable pay");
        assert!(close(ex.personal_plan.unwrap(), 1_000_000.0));
        let totals: Vec<f64> = ex.levels.iter().map(|l| l.total).collect();
        for (got, want) in totals.iter().zip([75_950.0, 95_000.0, 105_000.0]) {
            assert!(close(*got, want), "{totals:?}");
        }
        assert!(close(ex.levels[0].soft, 9_450.0));
        assert!(
            close(ex.levels[2].soft, 13_500.0),
            "the soft part is capped at 100 %"
        );
        assert!(close(ex.levels[0].bonus, 35_000.0));
    }

    /// A plan bonus is paid only when the plan is met.
    #[test]
    fn a_plan_bonus_needs_the_plan_met() {
        let bonus = Bonus {
            value: 20_000.0,
            is_share: false,
            base: BonusBase::Plan,
        };
        let r = role(1, 80_000.0, None, Some(bonus));
        let ex = example(&r, Some((3_000_000.0, &RevenueBasis::Department))).expect("variable pay");
        let totals: Vec<f64> = ex.levels.iter().map(|l| l.total).collect();
        assert_eq!(totals, vec![80_000.0, 100_000.0, 100_000.0]);
        // Revenue is no base of this pay, so the example does not show it.
        assert!(ex.levels.iter().all(|l| l.revenue.is_none()));
        assert_eq!(ex.personal_plan, None);
    }

    #[test]
    fn fixed_pay_and_unknown_revenue_give_no_example() {
        assert_eq!(
            example(
                &role(2, 70_000.0, None, None),
                Some((1e6, &RevenueBasis::Department))
            ),
            None
        );
        let bonus = Bonus {
            value: 0.01,
            is_share: true,
            base: BonusBase::Revenue,
        };
        assert_eq!(example(&role(1, 90_000.0, None, Some(bonus)), None), None);
    }
}
