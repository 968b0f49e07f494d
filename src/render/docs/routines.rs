//! The department's routines: controls, reports, meetings, checklists, the documents used in
//! selling, onboarding and accounting — each with the role names it concerns, so that the
//! памятка and the должностная инструкция can pick a role's share.

use super::super::format;
use super::{
    AccountingView, ChecklistView, ControlView, DocumentView, InteractionView, MeetingView, OnboardingView,
    ReportView, Views,
};

impl Views<'_> {
    /// One interaction between departments, as the regulation and the memos show it.
    pub(super) fn interaction(&self, i: &crate::model::Interaction) -> InteractionView {
        InteractionView {
            title: i.title.clone().unwrap_or_else(|| i.name.clone()),
            with: i.with.clone(),
            give: self
                .interaction_items(&i.items, crate::model::Flow::Give)
                .or_else(|| i.give.clone()),
            receive: self
                .interaction_items(&i.items, crate::model::Flow::Receive)
                .or_else(|| i.receive.clone()),
            deadline: self.deadline_or_moment(i.deadline.as_deref(), i.deadline_at.as_ref()),
            owner: i.owner.as_deref().map(|o| self.role_title(o)),
            pipeline: i.pipeline.as_deref().map(|p| self.pipeline_title(p)),
            description: i.description.clone(),
        }
    }

    pub(super) fn controls(&self) -> Vec<(ControlView, Vec<String>, Option<String>)> {
        self.model
            .controls
            .iter()
            .enumerate()
            .map(|(index, c)| {
                let checklist = c.checklist.as_ref().map(|n| {
                    self.model
                        .checklists
                        .iter()
                        .find(|x| x.name == *n)
                        .and_then(|x| x.title.clone())
                        .unwrap_or_else(|| n.clone())
                });
                let view = ControlView {
                    title: c
                        .title
                        .clone()
                        .or_else(|| c.name.clone())
                        .unwrap_or_else(|| self.control_untitled().to_string()),
                    who: c.who.as_deref().map(|w| self.role_title(w)),
                    what: c.what.clone(),
                    roles: c.roles.iter().map(|r| self.role_or_department(r)).collect(),
                    period: self.frequency(c.period, c.cadence, c.condition.as_deref()),
                    reports_to: c.reports_to.as_deref().map(|w| self.role_title(w)),
                    checklist,
                    sample: c.sample.clone(),
                    sample_hours: self.sample_hours(index, c),
                    procedure: c.procedure.clone(),
                    kpis: c.kpis.iter().map(|k| self.kpi_title(k)).collect(),
                    description: c.description.clone(),
                    time: self.at(c.time.as_ref()),
                };
                (view, c.roles.clone(), c.who.clone())
            })
            .collect()
    }

    pub(super) fn reports(&self) -> Vec<(ReportView, Option<String>, Vec<String>)> {
        self.model
            .reports
            .iter()
            .map(|r| {
                (
                    ReportView {
                        title: r.title.clone().unwrap_or_else(|| r.name.clone()),
                        author: r.author.as_deref().map(|a| self.role_title(a)),
                        recipients: r.recipients.iter().map(|a| self.role_title(a)).collect(),
                        period: self.period(r.period),
                        format: r.format.clone(),
                        kpis: r.kpis.iter().map(|k| self.kpi_title(k)).collect(),
                        deadline: self.deadline_or_moment(r.deadline.as_deref(), r.deadline_at.as_ref()),
                        description: r.description.clone(),
                        analysis: r.analysis.as_ref().map(|a| self.client_analysis(a)),
                    },
                    r.author.clone(),
                    r.recipients.clone(),
                )
            })
            .collect()
    }

    pub(super) fn meetings(&self) -> Vec<(MeetingView, Vec<String>)> {
        self.model
            .meetings
            .iter()
            .map(|m| {
                let mut who: Vec<String> = m.participants.clone();
                who.extend(m.owner.clone());
                (
                    MeetingView {
                        title: m.title.clone().unwrap_or_else(|| m.name.clone()),
                        owner: m.owner.as_deref().map(|o| self.role_title(o)),
                        participants: m.participants.iter().map(|p| self.role_title(p)).collect(),
                        period: self.frequency(m.period, m.cadence, m.condition.as_deref()),
                        duration_minutes: m.duration_minutes,
                        agenda: m.agenda.clone(),
                        time: self.at(m.time.as_ref()).or_else(|| self.before_opening(m)),
                    },
                    who,
                )
            })
            .collect()
    }

    pub(super) fn checklists(&self) -> Vec<ChecklistView> {
        self.model
            .checklists
            .iter()
            .map(|c| ChecklistView {
                title: c.title.clone().unwrap_or_else(|| c.name.clone()),
                contact: c.contact.map(|k| self.contact_kind(k)),
                scale: c.scale.map(|(a, b)| {
                    format!(
                        "{}–{}",
                        format::number(a, 1, self.lang),
                        format::number(b, 1, self.lang)
                    )
                }),
                pass_mark: c.pass_mark,
                criteria: c
                    .criteria
                    .iter()
                    .map(|x| (x.label.clone(), x.weight, x.critical))
                    .collect(),
                bands: self.score_bands(&c.colours),
                review_minutes: c.review_minutes,
            })
            .collect()
    }

    pub(super) fn documents(&self) -> Vec<(DocumentView, Vec<String>)> {
        self.model
            .documents
            .iter()
            .map(|d| {
                (
                    DocumentView {
                        title: d.title.clone().unwrap_or_else(|| d.name.clone()),
                        text: d.text.clone().or_else(|| d.description.clone()),
                        stages: d.stages.iter().map(|s| self.scope(s)).collect(),
                        roles: d.roles.iter().map(|r| self.role_title(r)).collect(),
                    },
                    d.roles.clone(),
                )
            })
            .collect()
    }

    pub(super) fn onboarding(&self) -> Vec<(OnboardingView, String)> {
        self.model
            .onboarding
            .iter()
            .map(|o| {
                (
                    OnboardingView {
                        role: self.role_title(&o.role),
                        title: o.title.clone(),
                        mentor: o.mentor.as_deref().map(|m| self.role_title(m)),
                        steps: o
                            .steps
                            .iter()
                            .map(|s| (s.day, s.goal.clone(), s.plan_share))
                            .collect(),
                        description: o.description.clone(),
                    },
                    o.role.clone(),
                )
            })
            .collect()
    }

    pub(super) fn accounting(&self) -> Vec<(AccountingView, Vec<String>)> {
        self.model
            .accounting
            .iter()
            .map(|a| {
                (
                    AccountingView {
                        what: a.what.clone(),
                        who: a.who.iter().map(|w| self.role_title(w)).collect(),
                        r#where: a.r#where.clone(),
                        deadline: self.deadline_or_moment(a.deadline.as_deref(), a.deadline_at.as_ref()),
                    },
                    a.who.clone(),
                )
            })
            .collect()
    }
}
