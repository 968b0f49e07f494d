//! The context of «Положение о системе продаж»: every part of the regulation gathered, plus
//! what only the Положение has — the responsibility matrix, the org chart, the register of
//! loss reasons, the change log and the signature sheet.

use super::super::format;
use super::{ChannelView, KpiView, MatrixView, NormSetView, RegulationView, ResourceView, Views};
use crate::model::Kpi;

/// A resource's kind as a client reads it, or `None` when the title already says it
/// («CRM Битрикс24» of kind `crm`).
fn resource_kind(kind: &str, title: Option<&str>) -> Option<String> {
    let lower = kind.to_lowercase();
    if title.is_some_and(|t| t.to_lowercase().contains(&lower)) {
        return None;
    }
    if kind.is_ascii() && kind.len() <= 4 {
        return Some(kind.to_uppercase());
    }
    Some(kind.replace('_', " "))
}

impl Views<'_> {
    pub(super) fn matrix(&self) -> MatrixView {
        let roles: Vec<&str> = self.model.roles.iter().map(|r| r.name.as_str()).collect();
        let mut rows = Vec::new();
        for p in &self.model.pipelines {
            for s in &p.stages {
                let owner = s.owner.as_deref().or(p.owner.as_deref());
                let marks = roles
                    .iter()
                    .map(|r| {
                        if owner == Some(*r) {
                            self.matrix_mark(true)
                        } else if s.chain.iter().any(|c| c.owner.as_deref() == Some(*r)) {
                            self.matrix_mark(false)
                        } else {
                            ""
                        }
                    })
                    .collect();
                let title = s.title.clone().unwrap_or_else(|| s.name.clone());
                let title = if self.model.pipelines.len() > 1 {
                    format!("{}: {title}", p.title.as_deref().unwrap_or(&p.name))
                } else {
                    title
                };
                rows.push((title, marks));
            }
        }
        MatrixView {
            roles: roles.iter().map(|r| self.role_title(r)).collect(),
            rows,
        }
    }

    /// The reports-to tree, roots first; a role on a reporting loop is shown once.
    pub(super) fn org_chart(&self) -> Vec<(usize, String, u32)> {
        let roles = &self.model.roles;
        let mut out = Vec::new();
        let mut seen = vec![false; roles.len()];
        let is_root = |r: &crate::model::Role| {
            r.reports_to
                .as_deref()
                .is_none_or(|b| self.model.role(b).is_none())
        };
        let mut stack: Vec<(usize, usize)> = roles
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, r)| is_root(r))
            .map(|(i, _)| (i, 0))
            .collect();
        while let Some((i, depth)) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            let r = &roles[i];
            out.push((
                depth,
                r.title.clone().unwrap_or_else(|| r.name.clone()),
                r.headcount,
            ));
            for (j, sub) in roles.iter().enumerate().rev() {
                if sub.reports_to.as_deref() == Some(r.name.as_str()) && !seen[j] {
                    stack.push((j, depth + 1));
                }
            }
        }
        // Roles only on a loop have no root: list them at the top level.
        for (i, r) in roles.iter().enumerate() {
            if !seen[i] {
                out.push((0, r.title.clone().unwrap_or_else(|| r.name.clone()), r.headcount));
            }
        }
        out
    }

    /// The register of loss reasons: (code, label, stages, what happens next).
    pub(super) fn loss_reasons(&self) -> Vec<(String, String, Vec<String>, Option<String>)> {
        self.model
            .loss_reasons
            .iter()
            .map(|l| {
                (
                    l.code.clone(),
                    l.label.clone().unwrap_or_else(|| l.code.clone()),
                    l.stages.iter().map(|s| self.scope(s)).collect(),
                    l.next.as_ref().map(|d| self.destination(d, "")),
                )
            })
            .collect()
    }

    pub(super) fn regulation(&self, target: &'static str) -> RegulationView {
        let m = self.model;
        let kpis: Vec<(KpiView, &Kpi)> = m.kpis.iter().map(|k| (self.kpi(k), k)).collect();
        let kpis_by_role = m
            .roles
            .iter()
            .filter_map(|r| {
                let list: Vec<KpiView> = kpis
                    .iter()
                    .filter(|(_, k)| k.roles.contains(&r.name))
                    .map(|(v, _)| v.clone())
                    .collect();
                (!list.is_empty()).then(|| (r.title.clone().unwrap_or_else(|| r.name.clone()), list))
            })
            .collect();
        RegulationView {
            lang: self.lang_code(),
            target,
            header: self.header(),
            terms: m
                .glossary
                .iter()
                .map(|t| (t.term.clone(), t.definition.clone()))
                .collect(),
            roles: m.roles.iter().filter_map(|r| self.role(&r.name)).collect(),
            channels: m
                .channels
                .iter()
                .map(|c| ChannelView {
                    title: c.title.clone().unwrap_or_else(|| c.name.clone()),
                    leads_per_month: c.leads_per_month,
                    seasonality: (c.seasonality.len() == 12).then(|| {
                        c.seasonality
                            .iter()
                            .map(|s| format::percent(*s, self.lang))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }),
                    lead_cost: c.lead_cost,
                    pipeline: c.pipeline.as_deref().map(|p| self.pipeline_title(p)),
                    team: c.team.as_deref().map(|t| self.role_title(t)),
                    first_response_minutes: c.first_response_minutes,
                    after_hours: self.after_hours(c),
                    budget: self.budget(c.budget),
                    telephony: c.telephony.words(self.lang),
                    routing: self.channel_routing(c),
                    description: c.description.clone(),
                })
                .collect(),
            pipelines: self.pipelines(target),
            kpis_department: kpis
                .iter()
                .filter(|(_, k)| k.department)
                .map(|(v, _)| v.clone())
                .collect(),
            kpis_by_role,
            norms: m
                .norms
                .iter()
                .map(|s| NormSetView {
                    role: s.role.as_deref().map(|r| self.role_title(r)),
                    role_name: s.role.clone(),
                    title: s.title.clone(),
                    norms: s.norms.iter().map(|n| self.norm(n)).collect(),
                })
                .collect(),
            plan: self.plan(),
            accounting: self.accounting().into_iter().map(|(a, _)| a).collect(),
            controls: self.controls().into_iter().map(|(c, ..)| c).collect(),
            checklists: self.checklists(),
            meetings: self.meetings().into_iter().map(|(x, _)| x).collect(),
            triggers: self.triggers().into_iter().map(|(t, _)| t).collect(),
            reports: self.reports().into_iter().map(|(r, ..)| r).collect(),
            interactions: m.interactions.iter().map(|i| self.interaction(i)).collect(),
            resources: m
                .resources
                .iter()
                .map(|r| ResourceView {
                    title: r.title.clone().unwrap_or_else(|| r.name.clone()),
                    kind: r
                        .kind
                        .as_deref()
                        .and_then(|k| resource_kind(k, r.title.as_deref())),
                    roles: r.roles.iter().map(|x| self.role_title(x)).collect(),
                    description: r.description.clone(),
                })
                .collect(),
            documents: self.documents().into_iter().map(|(d, _)| d).collect(),
            onboarding: self.onboarding().into_iter().map(|(o, _)| o).collect(),
            loss_reasons: self.loss_reasons(),
            forms: self.forms(),
            changes: m
                .changes
                .iter()
                .map(|c| {
                    (
                        c.version.clone(),
                        c.date.clone(),
                        c.summary.clone(),
                        c.author.clone(),
                    )
                })
                .collect(),
            matrix: self.matrix(),
            org_chart: self.org_chart(),
            required_fields: m
                .pipelines
                .iter()
                .any(|p| p.stages.iter().any(|s| !s.required_fields.is_empty())),
            cards: self.cards(),
            forecast: None,
            deal_terms: self.deal_terms(),
            penalties: self.penalties(),
            signatures: m
                .roles
                .iter()
                .flat_map(|r| {
                    let t = r.title.clone().unwrap_or_else(|| r.name.clone());
                    std::iter::repeat_n(t, r.headcount as usize)
                })
                .collect(),
        }
    }
}
