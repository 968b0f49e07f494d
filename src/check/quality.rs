//! Quality control as data and as work: W0031 (the scoring role has no time for its samples —
//! the analysis' figure, `analyze::sampling`), W0037 (a KPI scores a checklist nobody samples
//! with) and W0038 (a sample whose time cannot be counted). Reads the model and the analysis.

use super::Checker;
use crate::analyze::Analysis;
use crate::analyze::sampling::{self, SampleGap};
use crate::diag::{Kind, Msg};

/// W0037 and W0038.
pub(super) fn check(cx: &mut Checker) {
    let m = cx.model;
    for k in &m.kpis {
        let mut scored = Vec::new();
        if let Some(f) = &k.formula {
            f.scored_checklists(&mut scored);
        }
        scored.dedup();
        for checklist in scored {
            let sampled = m
                .controls
                .iter()
                .any(|c| c.checklist.as_deref() == Some(checklist) && c.sample_size.is_some());
            if !sampled {
                cx.report(
                    Kind::ScoreWithoutControl {
                        kpi: k.name.clone(),
                        checklist: checklist.to_string(),
                    },
                    k.span,
                );
            }
        }
    }
    for s in sampling::sampling(m) {
        let Some(gap) = s.gap else { continue };
        let why = match gap {
            SampleGap::NoScorer => Msg::new("не указано, кто оценивает (`кто`)", "no one scores it (`who`)"),
            SampleGap::NoChecklist => Msg::new("у контроля нет чек-листа", "the control has no checklist"),
            SampleGap::NoKind => Msg::new(
                "у чек-листа не указан вид контакта (`вид звонок`)",
                "the checklist has no contact kind (`kind call`)",
            ),
            SampleGap::NoContacts => Msg::new(
                "в цепочках нет контактов вида чек-листа с минутами",
                "no chain has a contact of the checklist's kind with minutes",
            ),
            SampleGap::NoPeriod => Msg::new(
                "у выборки нет периода (`выборка 2 в нед`), у контроля — `период`",
                "the sample has no period (`sample 2 per week`) and the control no `period`",
            ),
        };
        let span = m.controls[s.control].span;
        cx.report(Kind::SampleUncounted { why }, span);
    }
}

/// W0031: a role's sampling (minutes a working day, from the analysis) against the working
/// time its people have left after their stage work and meetings (`voronka analyze`).
/// Returns the roles reported, whose general overload (W0018) this explains.
pub(super) fn time(cx: &mut Checker, analysis: &Analysis) -> Vec<String> {
    let m = cx.model;
    let days = analysis.working_days_per_month.max(1.0);
    let mut reported = Vec::new();
    for r in analysis.roles.iter().filter(|r| r.sampling_minutes > 0.0) {
        let Some(role) = m.role(&r.role) else { continue };
        let demanded = r.sampling_minutes / days;
        let available = ((r.working_minutes - r.demanded_minutes - r.meeting_minutes) / days).max(0.0);
        if demanded > available + 0.5 {
            let labels = analysis
                .sampling
                .iter()
                .filter(|s| s.gap.is_none() && s.role.as_deref() == Some(r.role.as_str()))
                .map(|s| {
                    (
                        m.controls[s.control].span,
                        Msg::new("выборка этого контроля", "this control's sample"),
                    )
                })
                .collect();
            cx.report_with(
                Kind::QualityOverloaded {
                    role: r.role.clone(),
                    demanded,
                    available,
                },
                role.span,
                labels,
            );
            reported.push(r.role.clone());
        }
    }
    reported
}
