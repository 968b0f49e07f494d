//! Lints on the organisation: span of control, team size, channel specialisation, pay tied
//! to KPIs, norms that fit the working day.

use super::Checker;
use super::structure::contact_kind;
use crate::diag::{Kind, Msg};
use crate::model::{Cmp, Model, Period, Role, RoleFunction};

pub(super) fn check(cx: &mut Checker) {
    span_of_control(cx);
    team_size(cx);
    channels_per_role(cx);
    pay_tied(cx);
    norms_fit(cx);
}

/// The most direct reports a head should have (А. Цветков, «Менеджмент»).
const SPAN_OF_CONTROL: f64 = 7.0;
/// The fewest salespeople a department should have.
const MIN_SALESPEOPLE: u32 = 3;

/// W0003.
fn span_of_control(cx: &mut Checker) {
    let m = cx.model;
    for head in &m.roles {
        let reports: u32 = m
            .roles
            .iter()
            .filter(|r| r.reports_to.as_deref() == Some(head.name.as_str()))
            .map(|r| r.headcount)
            .sum();
        let per_person = f64::from(reports) / f64::from(head.headcount.max(1));
        if per_person > SPAN_OF_CONTROL {
            cx.report(
                Kind::SpanOfControl {
                    head: head.name.clone(),
                    reports: per_person,
                },
                head.span,
            );
        }
    }
}

fn owns_stage(m: &Model, role: &Role) -> bool {
    m.pipelines
        .iter()
        .flat_map(|p| &p.stages)
        .any(|s| s.owner.as_deref() == Some(role.name.as_str()))
}

/// Roles that sell: hunters, closers and farmers; when no role says its function, the roles
/// that own stages and are not heads, support or quality control.
fn sellers(m: &Model) -> Vec<&Role> {
    let by_function: Vec<&Role> = m
        .roles
        .iter()
        .filter(|r| {
            matches!(
                r.function,
                Some(RoleFunction::Hunter | RoleFunction::Closer | RoleFunction::Farmer)
            )
        })
        .collect();
    if !by_function.is_empty() {
        return by_function;
    }
    m.roles
        .iter()
        .filter(|r| r.function.is_none() && owns_stage(m, r))
        .collect()
}

/// W0004.
fn team_size(cx: &mut Checker) {
    let m = cx.model;
    if m.roles.is_empty() || m.pipelines.is_empty() {
        return;
    }
    let sellers = sellers(m);
    let count: u32 = sellers.iter().map(|r| r.headcount).sum();
    if count < MIN_SALESPEOPLE {
        let span = sellers.first().map(|r| r.span).unwrap_or(m.roles[0].span);
        cx.report(Kind::FewSalespeople { count }, span);
    }
}

/// W0005: one role as the team of several channels.
fn channels_per_role(cx: &mut Checker) {
    let m = cx.model;
    for role in &m.roles {
        let channels: Vec<_> = m
            .channels
            .iter()
            .filter(|c| c.team.as_deref() == Some(role.name.as_str()))
            .collect();
        if channels.len() > 1 {
            let labels = channels[..channels.len() - 1]
                .iter()
                .map(|c| {
                    (
                        c.span,
                        Msg::new("этот канал ведёт та же роль", "the same role works this channel"),
                    )
                })
                .collect();
            let names = channels.iter().map(|c| c.name.clone()).collect();
            cx.report_with(
                Kind::SeveralChannels {
                    role: role.name.clone(),
                    channels: names,
                },
                channels[channels.len() - 1].span,
                labels,
            );
        }
    }
}

/// W0015: a selling or head role with pay that no KPI names.
fn pay_tied(cx: &mut Checker) {
    let m = cx.model;
    let sellers = sellers(m);
    for role in &m.roles {
        let paid = role.salary.is_some() || role.bonus.is_some();
        let head = role.function == Some(RoleFunction::Head);
        let sells = sellers.iter().any(|r| r.name == role.name) || owns_stage(m, role);
        if !paid || !(head || sells) {
            continue;
        }
        let named = m.kpis.iter().any(|k| k.roles.contains(&role.name));
        let department = head && m.kpis.iter().any(|k| k.department);
        if !named && !department {
            cx.report(
                Kind::PayNotTied {
                    role: role.name.clone(),
                },
                role.span,
            );
        }
    }
}

/// W0016: minimum activity norms times the minutes each contact takes, against the selling
/// part of the working day.
fn norms_fit(cx: &mut Checker) {
    let m = cx.model;
    let days_per_month = m.header.working_days_per_month();
    for set in &m.norms {
        let Some(role) = set.role.as_deref().and_then(|r| m.role(r)) else {
            continue;
        };
        let mut demanded = 0.0;
        for n in &set.norms {
            let (Some(counter), Some(per)) = (n.counter, n.per) else {
                continue;
            };
            if !matches!(n.op, Cmp::Ge | Cmp::Gt | Cmp::Eq) {
                continue;
            }
            let Some(kind) = contact_kind(counter) else {
                continue;
            };
            let Some(minutes) = contact_minutes(m, &role.name, kind) else {
                continue;
            };
            let days = match per {
                Period::Day => 1.0,
                Period::Week => m.header.work_week_days,
                Period::Month => days_per_month,
                Period::Quarter => 3.0 * days_per_month,
                Period::Year => 12.0 * days_per_month,
            };
            if days > 0.0 {
                demanded += n.value / days * minutes;
            }
        }
        let available = role.work_day_hours * 60.0 * role.selling_share;
        if demanded > available + 0.5 {
            cx.report(
                Kind::NormsDoNotFit {
                    role: role.name.clone(),
                    demanded,
                    available,
                },
                set.span,
            );
        }
    }
}

/// The mean work minutes of a contact kind as the role makes it, or as anyone does.
fn contact_minutes(m: &Model, role: &str, kind: crate::model::ContactKind) -> Option<f64> {
    let mean = |own: bool| {
        let v: Vec<f64> = m
            .pipelines
            .iter()
            .flat_map(|p| &p.stages)
            .flat_map(|s| s.chain.iter().map(move |c| (s, c)))
            .filter(|(s, c)| {
                c.kind == kind && (!own || c.owner.as_deref().or(s.owner.as_deref()) == Some(role))
            })
            .filter_map(|(_, c)| c.work_minutes)
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    mean(true).or_else(|| mean(false))
}

/// W0018: the work the expected lead flow brings a role against the time its people have
/// (the figures of `voronka analyze`).
pub(super) fn load(cx: &mut Checker, analysis: &crate::analyze::Analysis) {
    for r in &analysis.roles {
        let (Some(load), Some(role)) = (r.load, cx.model.role(&r.role)) else {
            continue;
        };
        if load > 1.0 {
            let span = role.span;
            cx.report(
                Kind::RoleOverloaded {
                    role: r.role.clone(),
                    load,
                },
                span,
            );
        }
    }
}
