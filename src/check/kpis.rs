//! Lints on KPIs, controls and checklists: targets, daily control of leading KPIs, coverage,
//! controls that say how often and to whom, weights that add up, calls under quality control,
//! department KPIs that say what the plan says, KPIs that can be measured.

use super::Checker;
use crate::diag::{Kind, Msg};
use crate::model::{Bound, ContactKind, Counter, Formula, Kpi, KpiKind, Model, Period, PlanMetric};

pub(super) fn check(cx: &mut Checker) {
    let m = cx.model;
    for k in &m.kpis {
        if k.target.is_none() {
            cx.report(Kind::KpiWithoutTarget { kpi: k.name.clone() }, k.span);
        }
        if k.formula.is_none() && k.source.is_none() {
            cx.report(Kind::KpiWithoutSource { kpi: k.name.clone() }, k.span);
        }
        off_plan(cx, k);
        let controls = m.controls.iter().filter(|c| c.kpis.contains(&k.name));
        let reports = m.reports.iter().filter(|r| r.kpis.contains(&k.name));
        let periods: Vec<Option<Period>> = controls
            .map(|c| c.period)
            .chain(reports.map(|r| r.period))
            .collect();
        if periods.is_empty() {
            cx.report(Kind::KpiUncovered { kpi: k.name.clone() }, k.span);
        } else if k.kind == Some(KpiKind::Leading) && !periods.contains(&Some(Period::Day)) {
            cx.report(Kind::LeadingNotDaily { kpi: k.name.clone() }, k.span);
        }
    }
    for c in &m.controls {
        let name = match (&c.name, &c.title) {
            (Some(n), _) => format!("`{n}`"),
            (None, Some(t)) => format!("«{t}»"),
            (None, None) => String::new(),
        };
        if c.period.is_none() {
            cx.report(
                Kind::ControlWithoutPeriod {
                    control: name.clone(),
                },
                c.span,
            );
        }
        if c.reports_to.is_none() {
            cx.report(Kind::ControlWithoutRecipient { control: name }, c.span);
        }
    }
    // W0019: the weights of a role's KPIs share out its soft pay.
    for r in &m.roles {
        let weights: Vec<f64> = m
            .kpis
            .iter()
            .filter(|k| k.roles.contains(&r.name))
            .filter_map(|k| k.weight)
            .collect();
        let total: f64 = weights.iter().sum();
        if !weights.is_empty() && (total - 1.0).abs() > 0.005 {
            cx.report(
                Kind::KpiWeights {
                    role: r.name.clone(),
                    total,
                },
                r.span,
            );
        }
    }
    call_quality(cx);
    // W0020.
    for c in &m.checklists {
        if c.criteria.iter().all(|k| k.weight.is_none()) {
            continue;
        }
        let total: f64 = c.criteria.iter().filter_map(|k| k.weight).sum();
        if (total - 100.0).abs() > 0.5 {
            cx.report(
                Kind::ChecklistWeights {
                    checklist: c.name.clone(),
                    total,
                },
                c.span,
            );
        }
    }
}

/// W0030: calls in the chains, and no control that scores calls with a checklist of kind
/// `звонок`. Reported at the first call.
fn call_quality(cx: &mut Checker) {
    let m = cx.model;
    let calls: Vec<_> = m
        .pipelines
        .iter()
        .flat_map(|p| &p.stages)
        .flat_map(|s| &s.chain)
        .filter(|c| c.kind == ContactKind::Call)
        .collect();
    let Some(first) = calls.first() else {
        return;
    };
    let scored = m.controls.iter().any(|c| {
        c.checklist
            .as_deref()
            .and_then(|n| m.checklists.iter().find(|k| k.name == n))
            .is_some_and(|k| k.contact == Some(ContactKind::Call))
    });
    if !scored {
        cx.report(Kind::NoCallQualityControl { calls: calls.len() }, first.span);
    }
}

/// W0033: a department KPI (`роли отдел`) that is one whole-department counter the plan also
/// sets — `выручка` against the plan's revenue, `сделки` or `выиграно` against its deals — with
/// a target other than the plan's month (converted to the KPI's `период`, a month when none is
/// given); when the plan changes month by month, a target outside its smallest and largest
/// month. A band target (`цель 3 млн ₽..4 млн ₽`) is off the plan when it misses it entirely.
fn off_plan(cx: &mut Checker, k: &Kpi) {
    let m = cx.model;
    let (Some(plan), true, Some(target)) = (&m.plan, k.department, &k.target) else {
        return;
    };
    let Some(Formula::Counter {
        counter,
        scope: None,
        filter,
    }) = &k.formula
    else {
        return;
    };
    if !filter.is_empty() {
        return;
    };
    let (metric, money) = match counter {
        Counter::Revenue => (PlanMetric::Revenue, true),
        Counter::Deals | Counter::Won => (PlanMetric::Deals, false),
        _ => return,
    };
    let Some(months_plan) = plan.monthly(metric, plan.horizon(&m.header)) else {
        return;
    };
    // A plan that changes month by month sets a band a constant target must stay within.
    let factor = months(m, k.period.unwrap_or(Period::Month));
    let low = months_plan.iter().copied().fold(f64::INFINITY, f64::min) * factor;
    let high = months_plan.iter().copied().fold(f64::NEG_INFINITY, f64::max) * factor;
    let tolerance = 0.005 * high.abs().max(1e-9);
    let outside = |v: f64| v < low - tolerance || v > high + tolerance;
    let target = match *target {
        Bound::Cmp { value, .. } if outside(value) => value,
        Bound::Range { min, .. } if min > high + tolerance => min,
        Bound::Range { max, .. } if max < low - tolerance => max,
        _ => return,
    };
    let period = k.period.unwrap_or(Period::Month);
    cx.report(
        Kind::KpiTargetOffPlan {
            kpi: k.name.clone(),
            target,
            plan: (low, high),
            period: per_word(period),
            currency: money.then(|| m.header.currency.sign()),
        },
        k.span,
    );
}

/// How many months one `period` is, on the regulation's working calendar.
fn months(m: &Model, period: Period) -> f64 {
    let month = m.header.working_days_per_month().max(1.0);
    match period {
        Period::Day => 1.0 / month,
        Period::Week => m.header.work_week_days / month,
        Period::Month => 1.0,
        Period::Quarter => 3.0,
        Period::Year => 12.0,
    }
}

fn per_word(p: Period) -> Msg {
    match p {
        Period::Day => Msg::new("в день", "a day"),
        Period::Week => Msg::new("в неделю", "a week"),
        Period::Month => Msg::new("в месяц", "a month"),
        Period::Quarter => Msg::new("в квартал", "a quarter"),
        Period::Year => Msg::new("в год", "a year"),
    }
}
