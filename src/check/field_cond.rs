//! Conditions on card field values (`model::field_cond`): a route or a segment on a field that
//! no stage fills (`поля`) at or before the stage — nor `обязательное` — has nothing to test
//! (W0048); a condition that never holds (`< 0` on a number) or a second segment of a stage
//! with the same condition never picks a lead (W0049).

use super::Checker;
use crate::diag::{Kind, Lang};
use crate::model::field_cond::FieldCond;
use crate::model::{Model, transitions};

pub(super) fn check(cx: &mut Checker) {
    let m = cx.model;
    let mut conds: Vec<(&str, &str, &FieldCond)> = Vec::new();
    for r in &m.field_conds.routes {
        conds.push((&r.pipeline, &r.stage, &r.condition));
    }
    for g in &m.field_conds.segments {
        conds.push((&g.pipeline, &g.stage, &g.condition));
    }
    for (pipeline, stage, c) in conds {
        for atom in std::iter::once(c).chain(&c.also) {
            if atom.kind.is_some() && !filled_by(m, atom, pipeline, stage) {
                cx.report(
                    Kind::CondFieldNotFilled {
                        field: atom.field.clone(),
                        stage: Some(stage.to_string()),
                    },
                    atom.field_span,
                );
            }
        }
        never_true(cx, c);
    }
    for t in &m.triggers {
        if let Some(crate::model::TriggerEvent::Value { condition, .. }) = &t.event {
            never_true(cx, condition);
        }
    }
    for (i, g) in m.field_conds.segments.iter().enumerate() {
        let twin = m.field_conds.segments[..i]
            .iter()
            .any(|o| o.pipeline == g.pipeline && o.stage == g.stage && o.condition.same_as(&g.condition));
        if twin {
            cx.report(
                Kind::CondNeverTrue {
                    condition: g.condition.words(Lang::Ru),
                    duplicate: true,
                },
                g.condition.field_span,
            );
        }
    }
}

fn never_true(cx: &mut Checker, c: &FieldCond) {
    for atom in std::iter::once(c).chain(&c.also) {
        if atom.kind.is_some() && !atom.satisfiable() {
            cx.report(
                Kind::CondNeverTrue {
                    condition: atom.words(Lang::Ru),
                    duplicate: false,
                },
                atom.value_span,
            );
        }
    }
}

/// Whether the field is `обязательное` or filled at this stage, an earlier stage of its
/// pipeline, or a stage of another pipeline (whose order against this one is not known).
fn filled_by(m: &Model, c: &FieldCond, pipeline: &str, stage: &str) -> bool {
    let Some((pi, si)) = transitions::resolve(m, pipeline, stage) else {
        return true;
    };
    let Some(field) = c.card_fields(&m.cards).next() else {
        return true;
    };
    field.required
        || field
            .stages
            .iter()
            .any(|s| match transitions::resolve(m, &s.pipeline, &s.stage) {
                Some((p, i)) if p == pi => i <= si,
                Some(_) => true,
                None => false,
            })
}
