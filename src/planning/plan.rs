//! The plan month by month and its reverse decomposition through the funnel: plan ÷ expected
//! = the factor on every stage entry, contact and lead that meets the plan (everything in the
//! analysis is linear in lead volume). Numbers only; the documents word and format them.
//!
//! The plan's monthly average is `model::Plan::mean_per_month`, the one the analysis
//! (`analyze::PlanGap`) reports too. Depends on `model` and `analyze`; prints nothing.

use crate::analyze::Analysis;
use crate::model::{ContactKind, Model, PlanMetric};
use serde::Serialize;

/// The plan over its horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanFigures {
    /// Months of the plan (`model::Plan::horizon`).
    pub horizon: usize,
    pub months: Vec<PlanMonth>,
    /// Each target as written, in the plan's order.
    pub targets: Vec<TargetFigures>,
    /// Absent when no target can be compared with an expected figure above 0.
    pub decomposition: Option<Decomposition>,
}

/// One month of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanMonth {
    /// (year, calendar month 1..=12) when the plan (or the regulation) has a start date.
    pub calendar: Option<(i32, u32)>,
    pub revenue: Option<f64>,
    pub deals: Option<f64>,
    pub new_clients: Option<f64>,
    /// The month's target of the decomposition's metric ÷ the expected figure, × the expected
    /// purchases and leads.
    pub deals_needed: Option<f64>,
    pub leads_needed: Option<f64>,
    /// The channels' leads in this calendar month (seasonality applied).
    pub leads_expected: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetFigures {
    pub metric: PlanMetric,
    pub per_month_mean: f64,
    pub total: f64,
}

/// What the plan's average month needs at every stage and from every role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decomposition {
    /// The metric it starts from: revenue, else deals, else new clients.
    pub metric: PlanMetric,
    pub plan_per_month: f64,
    /// plan ÷ expected.
    pub multiplier: f64,
    pub revenue: f64,
    pub deals: f64,
    pub new_clients: f64,
    pub leads: f64,
    pub leads_expected: f64,
    pub stages: Vec<StageNeed>,
    pub roles: Vec<RoleNeed>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageNeed {
    pub pipeline: String,
    pub stage: String,
    pub entries_expected: f64,
    pub entries_needed: f64,
    /// Contacts needed per month by kind (attempts included), in chain order.
    pub contacts: Vec<(ContactKind, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleNeed {
    pub role: String,
    pub headcount: u32,
    /// People needed at the plan's volume (`analyze`), when known.
    pub needed: Option<u32>,
    /// Contacts per person per working day by kind.
    pub per_person_per_day: Vec<(ContactKind, f64)>,
}

/// The expected monthly figure of a plan metric in the analysis.
pub fn expected(analysis: &Analysis, metric: PlanMetric) -> f64 {
    let d = &analysis.department;
    match metric {
        PlanMetric::Revenue => d.revenue_per_month,
        PlanMetric::Deals => d.purchases_per_month,
        PlanMetric::NewClients => d.new_clients_per_month,
    }
}

/// `YYYY-MM-DD` → (year, month).
fn year_month(iso: &str) -> Option<(i32, u32)> {
    let mut parts = iso.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m))
}

/// The plan's figures; `None` without a plan.
pub fn plan(model: &Model, analysis: &Analysis) -> Option<PlanFigures> {
    let plan = model.plan.as_ref()?;
    let horizon = plan.horizon(&model.header);
    let start = plan
        .start
        .as_deref()
        .or(model.header.effective.as_deref())
        .and_then(year_month);
    let monthly = |m: PlanMetric| plan.monthly(m, horizon);
    let (revenue, deals, new_clients) = (
        monthly(PlanMetric::Revenue),
        monthly(PlanMetric::Deals),
        monthly(PlanMetric::NewClients),
    );
    let of = |m: PlanMetric| match m {
        PlanMetric::Revenue => revenue.as_ref(),
        PlanMetric::Deals => deals.as_ref(),
        PlanMetric::NewClients => new_clients.as_ref(),
    };
    let dept = &analysis.department;
    let base = [PlanMetric::Revenue, PlanMetric::Deals, PlanMetric::NewClients]
        .into_iter()
        .find(|&m| of(m).is_some() && expected(analysis, m) > 0.0);
    let months = (0..horizon)
        .map(|i| {
            let calendar = start.map(|(y, m)| {
                let idx = (m as usize - 1) + i;
                (y + (idx / 12) as i32, (idx % 12) as u32 + 1)
            });
            let factor = base.and_then(|m| of(m).map(|v| v[i] / expected(analysis, m)));
            let leads_expected = model
                .channels
                .iter()
                .map(|c| {
                    let s = match (calendar, c.seasonality.len()) {
                        (Some((_, m)), 12) => c.seasonality[m as usize - 1],
                        _ => 1.0,
                    };
                    c.leads_per_month * s
                })
                .sum();
            PlanMonth {
                calendar,
                revenue: revenue.as_ref().map(|v| v[i]),
                deals: deals.as_ref().map(|v| v[i]),
                new_clients: new_clients.as_ref().map(|v| v[i]),
                deals_needed: factor.map(|f| f * dept.purchases_per_month),
                leads_needed: factor.map(|f| f * dept.leads_per_month),
                leads_expected,
            }
        })
        .collect();
    let targets = plan
        .targets
        .iter()
        .filter_map(|t| {
            let v = of(t.metric)?;
            Some(TargetFigures {
                metric: t.metric,
                per_month_mean: plan.mean_per_month(t.metric, &model.header)?,
                total: v.iter().sum(),
            })
        })
        .collect();
    let decomposition = base.and_then(|m| {
        let plan_per_month = plan.mean_per_month(m, &model.header)?;
        Some(decompose(model, analysis, m, plan_per_month))
    });
    Some(PlanFigures {
        horizon,
        months,
        targets,
        decomposition,
    })
}

/// Adds `n` to the entry of `kind`, keeping first-seen order.
fn add(list: &mut Vec<(ContactKind, f64)>, kind: ContactKind, n: f64) {
    match list.iter_mut().find(|(k, _)| *k == kind) {
        Some((_, x)) => *x += n,
        None => list.push((kind, n)),
    }
}

fn decompose(model: &Model, analysis: &Analysis, metric: PlanMetric, plan_per_month: f64) -> Decomposition {
    let dept = &analysis.department;
    let f = plan_per_month / expected(analysis, metric);
    let days = analysis.working_days_per_month.max(1.0);
    let mut stages = Vec::new();
    let mut by_role: Vec<(String, Vec<(ContactKind, f64)>)> = Vec::new();
    for flow in &dept.stage_entries {
        let Some((p, s)) = model
            .pipeline(&flow.pipeline)
            .and_then(|p| p.stages.iter().find(|s| s.name == flow.stage).map(|s| (p, s)))
        else {
            continue;
        };
        let needed = flow.entries_per_month * f;
        let mut contacts = Vec::new();
        for (c, attempts) in s.chain.iter().zip(s.contact_attempts()) {
            let n = needed * attempts;
            add(&mut contacts, c.kind, n);
            let role = c
                .owner
                .clone()
                .or_else(|| s.owner.clone())
                .or_else(|| p.owner.clone());
            if let Some(role) = role {
                let i = match by_role.iter().position(|(r, _)| *r == role) {
                    Some(i) => i,
                    None => {
                        by_role.push((role, Vec::new()));
                        by_role.len() - 1
                    }
                };
                add(&mut by_role[i].1, c.kind, n);
            }
        }
        stages.push(StageNeed {
            pipeline: p.name.clone(),
            stage: s.name.clone(),
            entries_expected: flow.entries_per_month,
            entries_needed: needed,
            contacts,
        });
    }
    let needs = analysis
        .plan
        .as_ref()
        .and_then(|g| g.targets.iter().find(|t| t.metric == metric))
        .map(|t| t.headcount.clone())
        .unwrap_or_default();
    let roles = by_role
        .into_iter()
        .map(|(role, kinds)| {
            let headcount = model.role(&role).map_or(0, |r| r.headcount);
            let per = f64::from(headcount.max(1)) * days;
            RoleNeed {
                needed: needs.iter().find(|n| n.role == role).and_then(|n| n.needed),
                role,
                headcount,
                per_person_per_day: kinds.into_iter().map(|(k, n)| (k, n / per)).collect(),
            }
        })
        .collect();
    Decomposition {
        metric,
        plan_per_month,
        multiplier: f,
        revenue: dept.revenue_per_month * f,
        deals: dept.purchases_per_month * f,
        new_clients: dept.new_clients_per_month * f,
        leads: dept.leads_per_month * f,
        leads_expected: dept.leads_per_month,
        stages,
        roles,
    }
}
