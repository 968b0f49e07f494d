//! The plan month by month and its reverse decomposition through the funnel, as
//! `planning::plan` computed them: only worded here (months named, stages and contacts titled).

use super::super::format;
use super::{Decomposition, MonthRow, PlanView, RoleNeedView, StageNeed, TargetView, Views};
use crate::model::PlanMetric;
use crate::planning::plan::PlanMonth;

impl Views<'_> {
    /// The plan month by month and its reverse decomposition through the funnel, as
    /// `planning::plan` computed them.
    pub(super) fn plan(&self) -> Option<PlanView> {
        let plan = self.model.plan.as_ref()?;
        let figures = self.figures.as_ref()?;
        let months = figures
            .months
            .iter()
            .enumerate()
            .map(|(i, m): (usize, &PlanMonth)| MonthRow {
                month: match m.calendar {
                    Some((y, mm)) => format::month(y, mm, self.lang),
                    None => self.nth_month(i + 1),
                },
                revenue: m.revenue,
                deals: m.deals,
                new_clients: m.new_clients,
                deals_needed: m.deals_needed,
                leads_needed: m.leads_needed,
                leads_expected: m.leads_expected,
            })
            .collect();
        let decomposition = figures.decomposition.as_ref().map(|d| Decomposition {
            metric: self.plan_metric(d.metric),
            plan_per_month: d.plan_per_month,
            multiplier: d.multiplier,
            revenue: d.revenue,
            deals: d.deals,
            new_clients: d.new_clients,
            leads: d.leads,
            leads_expected: d.leads_expected,
            stages: d
                .stages
                .iter()
                .map(|n| {
                    let p = self.model.pipeline(&n.pipeline);
                    let s = p.and_then(|p| p.stages.iter().find(|s| s.name == n.stage));
                    let stage = s.and_then(|s| s.title.clone()).unwrap_or_else(|| n.stage.clone());
                    let stage = match p {
                        Some(p) if self.model.pipelines.len() > 1 => {
                            format!("{}: {stage}", p.title.as_deref().unwrap_or(&p.name))
                        }
                        _ => stage,
                    };
                    StageNeed {
                        stage,
                        entries_expected: n.entries_expected,
                        entries_needed: n.entries_needed,
                        contacts: n
                            .contacts
                            .iter()
                            .map(|&(k, x)| (self.contact_kind_plural(k).to_string(), x))
                            .collect(),
                    }
                })
                .collect(),
            roles: d
                .roles
                .iter()
                .map(|r| RoleNeedView {
                    role: self.role_title(&r.role),
                    headcount: r.headcount,
                    needed: r.needed,
                    per_person_per_day: r
                        .per_person_per_day
                        .iter()
                        .map(|&(k, x)| (self.contact_kind_plural(k).to_string(), x))
                        .collect(),
                })
                .collect(),
        });
        let targets = figures
            .targets
            .iter()
            .map(|t| TargetView {
                metric: self.plan_target(t.metric),
                money: t.metric == PlanMetric::Revenue,
                per_month_mean: t.per_month_mean,
                total: t.total,
            })
            .collect();
        Some(PlanView {
            title: plan.title.clone(),
            horizon_months: plan.horizon_months.or(self.model.header.horizon_months),
            step_months: plan.step_months.or(self.model.header.step_months),
            start: plan.start.clone(),
            owner: plan.owner.as_deref().map(|o| self.role_title(o)),
            procedure: plan.procedure.clone(),
            deadlines: self.plan_deadlines(),
            description: plan.description.clone(),
            targets,
            months,
            decomposition,
        })
    }
}
