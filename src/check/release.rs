//! Scheduled starts and exit outcomes: W0053 (fewer expected per start than the group needs to
//! run), W0054 (more than one group holds), both on the analysis' mean group per start
//! (`analyze::release`); W0055 (a trigger on an exit outcome the stage never has).

use super::Checker;
use crate::diag::{Kind, Msg};
use crate::model::TriggerEvent;

pub(super) fn groups(cx: &mut Checker, analysis: &crate::analyze::Analysis) {
    for f in &analysis.starts {
        let Some(span) = cx
            .model
            .pipeline(&f.pipeline)
            .and_then(|p| p.stages.iter().find(|s| s.name == f.stage))
            .map(|s| s.span)
        else {
            continue;
        };
        let stage = format!("{}.{}", f.pipeline, f.stage);
        let expected = f.group_per_start;
        if let Some(min) = f.group_min
            && expected < min
        {
            cx.report(Kind::GroupBelowMinimum { stage, expected, min }, span);
        } else if let Some(max) = f.group_max
            && expected > max
        {
            cx.report(Kind::GroupAboveMaximum { stage, expected, max }, span);
        }
    }
}

pub(super) fn outcomes(cx: &mut Checker) {
    let model = cx.model;
    for t in &model.triggers {
        let Some(TriggerEvent::Exit {
            pipeline,
            stage,
            outcome: Some(o),
        }) = &t.event
        else {
            continue;
        };
        let Some(s) = model
            .pipeline(pipeline)
            .and_then(|p| p.stages.iter().find(|s| s.name == *stage))
        else {
            continue;
        };
        if o.share(s) <= 1e-12 {
            let outcome = Msg::new(o.word(crate::locale::Lang::Ru), o.word(crate::locale::Lang::En));
            let kind = Kind::ExitOutcomeNever {
                stage: format!("{pipeline}.{stage}"),
                outcome,
            };
            let span = t.span;
            cx.report(kind, span);
        }
    }
}
