//! The context of a должностная инструкция: the memo's facts about a role (its stages,
//! contacts, norms, KPIs, reports, controls) plus what the formal skeleton needs — the staff
//! category, the hand-offs to and from other roles, the interactions it owns and the tools it
//! is given.

use super::{
    AccountingView, ControlView, DocumentView, HeaderView, InteractionView, KpiView, MeetingView, NormView,
    OnboardingView, ReportView, RoleView, StageView, Views,
};
use crate::model::{Destination, RoleFunction, TransitionKind};
use serde::Serialize;

/// A deal passing between two roles when a stage ends.
#[derive(Serialize, Clone, PartialEq)]
pub(super) struct HandoffView {
    /// The other role.
    role: String,
    /// The stage that ends, and the stage the deal enters.
    from_stage: String,
    to_stage: String,
    /// The pipeline entered, when it is another one.
    to_pipeline: Option<String>,
    /// The client declined: the deal goes on elsewhere (nurturing, retargeting).
    failure: bool,
}

/// A hand-off as found in the model: giver and taker role names and the view.
type Handoff = (String, String, HandoffView);

#[derive(Serialize)]
pub(super) struct JobView {
    lang: &'static str,
    header: HeaderView,
    role: RoleView,
    manager: Option<String>,
    /// «руководители» or «специалисты» (the staff category of the ДИ).
    category: &'static str,
    head: bool,
    stages: Vec<StageView>,
    norms: Vec<NormView>,
    kpis: Vec<KpiView>,
    controls: Vec<ControlView>,
    checks_i_make: Vec<ControlView>,
    reports: Vec<ReportView>,
    reports_to_me: Vec<ReportView>,
    meetings_i_hold: Vec<MeetingView>,
    meetings: Vec<MeetingView>,
    accounting: Vec<AccountingView>,
    documents: Vec<DocumentView>,
    onboarding: Option<OnboardingView>,
    interactions: Vec<InteractionView>,
    handoffs_out: Vec<HandoffView>,
    handoffs_in: Vec<HandoffView>,
    resources: Vec<String>,
    /// The role owns stages and the model has a register of loss reasons.
    loss_reasons: bool,
}

impl Views<'_> {
    /// Every edge between stages owned by different roles, with the giver's and taker's names;
    /// the view names the taker (the caller swaps it for the giver where needed).
    fn handoffs(&self) -> Vec<Handoff> {
        let mut out = Vec::new();
        for p in &self.model.pipelines {
            for s in &p.stages {
                let Some(giver) = s.owner.as_deref().or(p.owner.as_deref()) else {
                    continue;
                };
                for t in &s.transitions {
                    let Destination::Stage { pipeline, stage } = &t.to else {
                        continue;
                    };
                    let Some((tp, ts)) = self
                        .model
                        .pipeline(pipeline)
                        .and_then(|tp| tp.stages.iter().find(|x| x.name == *stage).map(|ts| (tp, ts)))
                    else {
                        continue;
                    };
                    let Some(taker) = ts.owner.as_deref().or(tp.owner.as_deref()) else {
                        continue;
                    };
                    if taker == giver {
                        continue;
                    }
                    let edge = (
                        giver.to_string(),
                        taker.to_string(),
                        HandoffView {
                            role: self.role_title(taker),
                            from_stage: self.stage_title(&p.name, &s.name),
                            to_stage: self.stage_title(&tp.name, &ts.name),
                            to_pipeline: (tp.name != p.name).then(|| self.pipeline_title(&tp.name)),
                            failure: t.kind != TransitionKind::Success,
                        },
                    );
                    if !out.contains(&edge) {
                        out.push(edge);
                    }
                }
            }
        }
        out
    }

    pub(super) fn job(&self, role: &str) -> JobView {
        let memo = self.memo(role);
        let r = self.model.role(role).expect("a role of the model");
        let head = r.function == Some(RoleFunction::Head)
            || self
                .model
                .roles
                .iter()
                .any(|x| x.reports_to.as_deref() == Some(role));
        let handoffs = self.handoffs();
        let handoffs_out = handoffs
            .iter()
            .filter(|(g, ..)| g == role)
            .map(|(.., v)| v.clone())
            .collect();
        let handoffs_in = handoffs
            .iter()
            .filter(|(_, t, _)| t == role)
            .map(|(giver, _, v)| HandoffView {
                role: self.role_title(giver),
                ..v.clone()
            })
            .collect();
        let (meetings_i_hold, meetings) = self
            .model
            .meetings
            .iter()
            .zip(self.meetings())
            .filter(|(m, _)| m.owner.as_deref() == Some(role) || m.participants.iter().any(|p| p == role))
            .fold((Vec::new(), Vec::new()), |(mut hold, mut attend), (m, (v, _))| {
                if m.owner.as_deref() == Some(role) {
                    hold.push(v);
                } else {
                    attend.push(v);
                }
                (hold, attend)
            });
        JobView {
            lang: memo.lang,
            header: memo.header,
            manager: memo.manager,
            category: self.staff_category(head),
            head,
            stages: memo.stages,
            norms: memo.norms,
            kpis: memo.kpis,
            controls: memo.controls,
            checks_i_make: memo.checks_i_make,
            reports: memo.reports,
            reports_to_me: memo.reports_to_me,
            meetings_i_hold,
            meetings,
            accounting: memo.accounting,
            documents: memo.documents,
            onboarding: memo.onboarding,
            interactions: self
                .model
                .interactions
                .iter()
                .filter(|i| i.owner.as_deref() == Some(role))
                .map(|i| self.interaction(i))
                .collect(),
            handoffs_out,
            handoffs_in,
            resources: self
                .model
                .resources
                .iter()
                .filter(|x| x.roles.is_empty() || x.roles.iter().any(|n| n == role))
                .map(|x| x.title.clone().unwrap_or_else(|| x.name.clone()))
                .collect(),
            // Closing deals as lost is the duty of a stage's owner.
            loss_reasons: !self.model.loss_reasons.is_empty()
                && self
                    .model
                    .pipelines
                    .iter()
                    .flat_map(|p| {
                        p.stages
                            .iter()
                            .map(move |s| s.owner.as_deref().or(p.owner.as_deref()))
                    })
                    .any(|o| o == Some(role)),
            role: memo.role,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Lang;
    use std::path::Path;

    /// In the agency the manager hands declined deals to the marketer's nurturing pipeline and
    /// takes back the clients who return from it.
    #[test]
    fn hand_offs_follow_the_stage_owners() {
        let model = crate::compile(Path::new("examples/agency.sales"))
            .model
            .expect("model");
        let analysis = crate::analyze::analyze(&model);
        let views = Views::new(&model, &analysis, Lang::Ru);
        let job = views.job("Менеджер");
        assert!(!job.handoffs_out.is_empty());
        assert!(
            job.handoffs_out
                .iter()
                .all(|h| h.failure && h.role == "Маркетолог агентства")
        );
        assert!(job.handoffs_out.iter().all(|h| h.to_pipeline.is_some()));
        let back = job
            .handoffs_in
            .iter()
            .find(|h| h.role == "Маркетолог агентства")
            .expect("clients come back from nurturing");
        assert!(!back.failure);
        assert_eq!(back.to_stage, "Клиент вернулся с запросом");
        // Each edge is seen from both ends.
        let marketer = views.job("Маркетолог");
        assert_eq!(marketer.handoffs_in.len(), job.handoffs_out.len());
        assert!(job.loss_reasons, "the manager owns stages");
        assert!(!views.job("Бухгалтер").loss_reasons, "the accountant owns none");
    }
}
