//! Lints on KPIs, controls and checklists: targets, daily control of leading KPIs, coverage,
//! controls that say how often and to whom, weights that add up.

use super::Checker;
use crate::diag::Kind;
use crate::model::{KpiKind, Period};

pub(super) fn check(cx: &mut Checker) {
    let m = cx.model;
    for k in &m.kpis {
        if k.target.is_none() {
            cx.report(Kind::KpiWithoutTarget { kpi: k.name.clone() }, k.span);
        }
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
