//! The context of the report forms: fillable tables whose rows and prefilled columns come from
//! the model — activity norms and the plan's daily contacts per role, stage conversions and
//! limits, the monthly plan, stage probabilities, accounting deadlines and required fields,
//! checklists, loss reasons and pay terms. The same view fills the standalone «Формы отчётов»
//! and the regulation's appendix.

use super::super::format;
use super::{ChecklistView, HeaderView, ReportView, Views};
use crate::model::{Period, PlanMetric, RoleFunction};
use serde::Serialize;

/// A row of a form: what is reported and the norm or plan it is compared with.
#[derive(Serialize, Clone)]
pub(super) struct NormRow {
    subject: String,
    norm: String,
}

#[derive(Serialize, Clone)]
pub(super) struct DailyForm {
    role: String,
    manager: Option<String>,
    headcount: u32,
    rows: Vec<NormRow>,
}

#[derive(Serialize, Clone)]
pub(super) struct FunnelRow {
    stage: String,
    planned_entries: Option<f64>,
    conversion: Option<f64>,
    time_norm: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct FunnelForm {
    pipeline: String,
    rows: Vec<FunnelRow>,
}

#[derive(Serialize, Clone)]
pub(super) struct PlanFactForm {
    /// «Выручка», «Сделки (оплаты)» or «Новые клиенты».
    metric: &'static str,
    money: bool,
    working_days: f64,
    /// (month, plan).
    months: Vec<(String, Option<f64>)>,
}

#[derive(Serialize, Clone)]
pub(super) struct BonusForm {
    role: String,
    headcount: u32,
    pay: super::PayView,
    /// (KPI, weight, target).
    kpis: Vec<(String, f64, Option<String>)>,
}

#[derive(Serialize, Clone)]
pub(super) struct QualityForm {
    checklist: ChecklistView,
    /// Who is checked with this checklist and how many people hold those roles.
    roles: Vec<String>,
    people: u32,
}

#[derive(Serialize, Clone)]
pub(super) struct FormsView {
    daily: Vec<DailyForm>,
    funnels: Vec<FunnelForm>,
    plan_fact: Option<PlanFactForm>,
    /// (stage, deal probability) for the stages that have one.
    probabilities: Vec<(String, f64)>,
    /// The monthly revenue at 100 % of the plan, for the pipeline's coverage.
    revenue_plan: Option<f64>,
    crm: Vec<NormRow>,
    quality: Vec<QualityForm>,
    loss_reasons: Vec<(String, String, Vec<String>, Option<String>)>,
    bonus: Vec<BonusForm>,
    /// The register of reports of the regulation, for reference.
    register: Vec<ReportView>,
    /// Blank rows of a per-deal form.
    blank_rows: Vec<u32>,
    /// The discount approval matrix for the approval request: (discounts, approver, condition).
    discounts: Vec<(String, String, Option<String>)>,
}

#[derive(Serialize)]
pub(super) struct FormsDocumentView {
    lang: &'static str,
    header: HeaderView,
    forms: FormsView,
    appendix: bool,
}

/// Blank lines in the per-deal forms (pipeline, CRM violations): a page's worth.
const BLANK_ROWS: u32 = 8;

impl Views<'_> {
    pub(super) fn forms_document(&self) -> FormsDocumentView {
        FormsDocumentView {
            lang: self.lang_code(),
            header: self.header(),
            forms: self.forms(),
            appendix: false,
        }
    }

    pub(super) fn forms(&self) -> FormsView {
        let m = self.model;
        let plan = self.plan();
        let decomposition = plan.as_ref().and_then(|p| p.decomposition.as_ref());
        let multiplier = decomposition.map(|d| d.multiplier);

        // Daily report of the selling roles (all roles when none has a selling function): the
        // role's contacts a day at the plan's volume beside its norms, then its daily KPIs.
        let selling = |r: &&crate::model::Role| {
            matches!(
                r.function,
                Some(RoleFunction::Hunter | RoleFunction::Closer | RoleFunction::Farmer)
            )
        };
        let any_selling = m.roles.iter().any(|r| selling(&r));
        let mut daily = Vec::new();
        for r in m.roles.iter().filter(|r| !any_selling || selling(r)) {
            let title = r.title.clone().unwrap_or_else(|| r.name.clone());
            let mut norms: Vec<NormRow> = m
                .norms
                .iter()
                .filter(|s| s.role.as_deref() == Some(r.name.as_str()))
                .flat_map(|s| s.norms.iter())
                .map(|n| {
                    let v = self.norm(n);
                    NormRow {
                        subject: format::upper_first(&v.subject),
                        norm: v.requirement,
                    }
                })
                .collect();
            let mut rows: Vec<NormRow> = Vec::new();
            if let Some(d) = decomposition
                && let Some(need) = d.roles.iter().find(|x| x.role == title)
            {
                for (kind, n) in &need.per_person_per_day {
                    // Nothing asked of a person (a rate of 0) is not a row.
                    let Some(rate) = super::ru::rate(*n, self.lang) else {
                        continue;
                    };
                    let subject = format::upper_first(kind);
                    let planned = self.plan_needs(&rate);
                    // A norm on the same activity and the plan's figure share one row.
                    let norm = match norms
                        .iter()
                        .position(|x| x.subject.to_lowercase() == kind.to_lowercase())
                    {
                        Some(i) => format!("{}; {planned}", norms.remove(i).norm),
                        None => planned,
                    };
                    rows.push(NormRow { subject, norm });
                }
            }
            rows.extend(norms);
            for k in m
                .kpis
                .iter()
                .filter(|k| k.roles.contains(&r.name) && k.period == Some(Period::Day))
            {
                let v = self.kpi(k);
                let target = v.target.unwrap_or_default();
                // A daily KPI on an activity the form already lists («Звонки менеджера» beside
                // «Звонки») is the same line: its target joins that row unless it says the same.
                let first = |t: &str| t.split_whitespace().next().unwrap_or("").to_lowercase();
                let digits = |t: &str| t.chars().filter(char::is_ascii_digit).collect::<String>();
                match rows.iter_mut().find(|x| first(&x.subject) == first(&v.title)) {
                    Some(row) if digits(&row.norm).starts_with(&digits(&target)) => {}
                    Some(row) => row.norm = format!("{}; {target}", row.norm),
                    None => rows.push(NormRow {
                        subject: v.title,
                        norm: target,
                    }),
                }
            }
            if !rows.is_empty() {
                daily.push(DailyForm {
                    role: title,
                    manager: r.reports_to.as_deref().map(|x| self.role_title(x)),
                    headcount: r.headcount,
                    rows,
                });
            }
        }

        // Funnel report: one table per pipeline, the plan's entries prefilled.
        let funnels = m
            .pipelines
            .iter()
            .map(|p| FunnelForm {
                pipeline: p.title.clone().unwrap_or_else(|| p.name.clone()),
                rows: p
                    .stages
                    .iter()
                    .map(|s| {
                        let entries = self
                            .analysis
                            .department
                            .stage_entries
                            .iter()
                            .find(|f| f.pipeline == p.name && f.stage == s.name)
                            .map(|f| f.entries_per_month);
                        FunnelRow {
                            stage: s.title.clone().unwrap_or_else(|| s.name.clone()),
                            planned_entries: entries.zip(multiplier).map(|(e, f)| e * f),
                            conversion: s.effective_conversion(),
                            time_norm: match (s.limit_days, &s.duration_days) {
                                (Some(limit), _) => Some(self.days_bound(crate::model::Cmp::Le, limit)),
                                (None, Some(d)) => Some(self.distribution_days(d)),
                                (None, None) => None,
                            },
                        }
                    })
                    .collect(),
            })
            .collect();

        // Plan-fact: the month's plan prefilled.
        let plan_fact = m.plan.as_ref().and_then(|pl| {
            let metric = [PlanMetric::Revenue, PlanMetric::Deals, PlanMetric::NewClients]
                .into_iter()
                .find(|x| pl.targets.iter().any(|t| t.metric == *x))?;
            let months = plan.as_ref()?.months.iter().map(|row| {
                let v = match metric {
                    PlanMetric::Revenue => row.revenue,
                    PlanMetric::Deals => row.deals,
                    PlanMetric::NewClients => row.new_clients,
                };
                (row.month.clone(), v)
            });
            Some(PlanFactForm {
                metric: self.plan_target(metric),
                money: metric == PlanMetric::Revenue,
                working_days: self.analysis.working_days_per_month,
                months: months.collect(),
            })
        });

        let probabilities = m
            .pipelines
            .iter()
            .flat_map(|p| {
                p.stages.iter().filter_map(move |s| {
                    let title = s.title.clone().unwrap_or_else(|| s.name.clone());
                    let title = if self.model.pipelines.len() > 1 {
                        format!("{}: {title}", p.title.as_deref().unwrap_or(&p.name))
                    } else {
                        title
                    };
                    s.deal_probability.map(|x| (title, x))
                })
            })
            .collect();

        // CRM discipline: one row per rule the model sets.
        let mut crm = Vec::new();
        for a in &m.accounting {
            if let Some(deadline) = a
                .deadline_at
                .map(|m| m.deadline_words(self.lang))
                .or_else(|| a.deadline.clone())
            {
                crm.push(NormRow {
                    subject: self.recorded_late(&a.what),
                    norm: deadline,
                });
            }
        }
        for c in &m.channels {
            if let Some(minutes) = c.first_response_minutes {
                crm.push(NormRow {
                    subject: self.late_first_response(c.title.as_deref().unwrap_or(&c.name)),
                    norm: format!(
                        "{} {}",
                        self.cmp(crate::model::Cmp::Le),
                        format::minutes(minutes, self.lang)
                    ),
                });
            }
        }
        for set in &m.norms {
            for n in &set.norms {
                if n.counter.is_none() && (n.subject == "первый_отклик" || n.subject == "first_response")
                {
                    let v = self.norm(n);
                    crm.push(NormRow {
                        subject: format!(
                            "{}{}",
                            format::upper_first(&v.subject),
                            set.role
                                .as_deref()
                                .map(|r| format!(" ({})", self.role_title(r)))
                                .unwrap_or_default()
                        ),
                        norm: v.requirement,
                    });
                }
            }
        }
        for p in &m.pipelines {
            for s in &p.stages {
                let title = s.title.clone().unwrap_or_else(|| s.name.clone());
                if let Some(limit) = s.limit_days {
                    crm.push(NormRow {
                        subject: self.over_stage_limit(&title),
                        norm: self.days_bound(crate::model::Cmp::Le, limit),
                    });
                }
                if !s.required_fields.is_empty() {
                    crm.push(NormRow {
                        subject: self.required_fields_empty(&title),
                        norm: s.required_fields.join(", "),
                    });
                }
            }
        }
        if !m.loss_reasons.is_empty() {
            let (subject, norm) = self.lost_without_reason();
            crm.push(NormRow {
                subject: subject.to_string(),
                norm: norm.to_string(),
            });
        }

        let controls = &m.controls;
        let checklists = self.checklists();
        let quality = m
            .checklists
            .iter()
            .zip(checklists)
            .map(|(c, view)| {
                let mut roles: Vec<String> = Vec::new();
                let mut people = 0;
                for ctl in controls
                    .iter()
                    .filter(|x| x.checklist.as_deref() == Some(c.name.as_str()))
                {
                    for r in &ctl.roles {
                        if let Some(role) = m.role(r)
                            && !roles.contains(&self.role_title(r))
                        {
                            roles.push(self.role_title(r));
                            people += role.headcount;
                        }
                    }
                }
                QualityForm {
                    checklist: view,
                    roles,
                    people,
                }
            })
            .collect();

        let bonus = m
            .roles
            .iter()
            .filter_map(|r| {
                let view = self.role(&r.name)?;
                let pay = view.pay?;
                let kpis = m
                    .kpis
                    .iter()
                    .filter(|k| k.roles.contains(&r.name))
                    .filter_map(|k| {
                        let v = self.kpi(k);
                        k.weight.map(|w| (v.title, w, v.target))
                    })
                    .collect();
                Some(BonusForm {
                    role: view.title,
                    headcount: r.headcount,
                    pay,
                    kpis,
                })
            })
            .collect();

        FormsView {
            daily,
            funnels,
            plan_fact,
            probabilities,
            revenue_plan: decomposition.map(|d| d.revenue),
            crm,
            quality,
            loss_reasons: self.loss_reasons(),
            bonus,
            register: self.reports().into_iter().map(|(r, ..)| r).collect(),
            blank_rows: (1..=BLANK_ROWS).collect(),
            discounts: self.deal_terms().into_iter().flat_map(|t| t.approvals).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Lang;
    use std::path::Path;

    #[test]
    fn forms_take_their_rows_from_the_model() {
        let model = crate::compile(Path::new("examples/agency.sales"))
            .model
            .expect("model");
        let analysis = crate::analyze::analyze(&model);
        let views = Views::new(&model, &analysis, Lang::Ru);
        let f = views.forms();
        // Only the selling role reports daily; its call norm and the plan's calls share a row.
        assert_eq!(f.daily.len(), 1);
        let calls = f.daily[0]
            .rows
            .iter()
            .find(|r| r.subject == "Звонки")
            .expect("calls");
        assert!(
            calls.norm.starts_with("не менее 20 в день; по расчёту плана — "),
            "{}",
            calls.norm
        );
        // One funnel table per pipeline, a row per stage; planned entries scale with the plan.
        assert_eq!(f.funnels.len(), model.pipelines.len());
        let d = views.plan().and_then(|p| p.decomposition).expect("decomposition");
        let first = &f.funnels[0].rows[0];
        assert!((first.planned_entries.expect("planned") - d.stages[0].entries_needed).abs() < 1e-9);
        // The plan-fact form has the plan of every month of the horizon.
        let pf = f.plan_fact.expect("plan-fact");
        assert_eq!(pf.months.len(), 12);
        assert!(pf.months.iter().all(|(_, v)| v.is_some()));
        // A CRM check for every stage limit and every stage with required fields.
        let limits = model
            .pipelines
            .iter()
            .flat_map(|p| &p.stages)
            .filter(|s| s.limit_days.is_some())
            .count();
        assert_eq!(
            f.crm
                .iter()
                .filter(|r| r.subject.contains("предельного срока"))
                .count(),
            limits
        );
        // The bonus sheet covers the roles whose pay depends on the plan.
        let titles: Vec<&str> = f.bonus.iter().map(|b| b.role.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Руководитель отдела продаж",
                "Менеджер по продажам",
                "Проджект-менеджер (пресейл)"
            ]
        );
    }
}
