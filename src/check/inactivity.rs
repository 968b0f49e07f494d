//! W0051: a recurring contact with each client (`триггер … { когда каждые 2 нед; … }`) whose
//! work alone, as the analysis counts it, needs more than the role's working time for sales.
//! The role's overall overload stays W0018; this one names the contact that cannot fit at all.

use super::Checker;
use crate::diag::Kind;
use crate::model::TriggerEvent;

pub(super) fn check(cx: &mut Checker, analysis: &crate::analyze::Analysis) {
    for r in &analysis.roles {
        for w in &r.triggers {
            let Some(t) = cx.model.triggers.get(w.index) else {
                continue;
            };
            if !matches!(t.event, Some(TriggerEvent::Every { .. })) {
                continue;
            }
            if w.minutes > r.available_minutes + 1e-9 {
                let kind = Kind::EveryOverCapacity {
                    trigger: w.trigger.clone(),
                    role: r.role.clone(),
                    hours: w.minutes / 60.0,
                    available: r.available_minutes / 60.0,
                };
                let span = t.span;
                cx.report(kind, span);
            }
        }
    }
}
