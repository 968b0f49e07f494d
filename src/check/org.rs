//! Lints on the organisation: span of control, team size, channel specialisation (by `команда`
//! and by who takes a channel's leads), pay tied to KPIs and a soft salary that works, norms
//! that fit the working day, a quality role with time for its sample.

use super::Checker;
use super::structure::contact_kind;
use crate::diag::{Kind, Msg};
use crate::model::{Cmp, ContactKind, Model, Period, PipelineKind, Role, RoleFunction};
use std::collections::{HashMap, HashSet};

pub(super) fn check(cx: &mut Checker) {
    span_of_control(cx);
    team_size(cx);
    channels_per_role(cx);
    let ties = PayTies::new(cx.model);
    pay_tied(cx, &ties);
    soft_salary(cx, &ties);
    norms_fit(cx);
}

/// The smallest soft salary, as a share of the salary, that changes behaviour: the variable
/// part of pay is 20–40 % even where it is smallest (B2G pay mix, reference/domain.md).
const MIN_SOFT_SHARE: f64 = 0.2;

/// The most direct reports a head should have (А. Цветков, «Менеджмент»).
const SPAN_OF_CONTROL: f64 = 7.0;
/// The fewest salespeople a department should have.
const MIN_SALESPEOPLE: u32 = 3;

/// W0003.
fn span_of_control(cx: &mut Checker) {
    let m = cx.model;
    let mut reports_to: HashMap<&str, u32> = HashMap::new();
    for r in &m.roles {
        if let Some(head) = &r.reports_to {
            *reports_to.entry(head).or_default() += r.headcount;
        }
    }
    for head in &m.roles {
        let reports = reports_to.get(head.name.as_str()).copied().unwrap_or(0);
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

/// The roles that own at least one stage.
fn stage_owners(m: &Model) -> HashSet<&str> {
    m.pipelines
        .iter()
        .flat_map(|p| &p.stages)
        .filter_map(|s| s.owner.as_deref())
        .collect()
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
    let owners = stage_owners(m);
    m.roles
        .iter()
        .filter(|r| r.function.is_none() && owners.contains(r.name.as_str()))
        .collect()
}

/// A role that sells: a hunter, closer or farmer, or a role without a function that owns a
/// stage of a sales or account-management pipeline.
pub(super) fn sells(m: &Model, role: &Role) -> bool {
    match role.function {
        Some(RoleFunction::Hunter | RoleFunction::Closer | RoleFunction::Farmer) => true,
        Some(_) => false,
        None => m
            .pipelines
            .iter()
            .filter(|p| matches!(p.kind, PipelineKind::Sales | PipelineKind::Account))
            .flat_map(|p| &p.stages)
            .any(|s| s.owner.as_deref() == Some(role.name.as_str())),
    }
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

/// W0005: one role works several channels — it is their `команда`, or, being some channel's
/// team, it owns the stage where another channel's leads arrive (the first stage of the
/// pipeline the channel feeds).
fn channels_per_role(cx: &mut Checker) {
    let m = cx.model;
    // Looked up once, not per role and channel.
    let mut pipelines: HashMap<&str, &crate::model::Pipeline> = HashMap::new();
    for p in &m.pipelines {
        pipelines.entry(p.name.as_str()).or_insert(p);
    }
    let entries: Vec<_> = m
        .channels
        .iter()
        .map(|c| {
            c.pipeline
                .as_deref()
                .and_then(|p| pipelines.get(p))
                .and_then(|p| Some((p.stages.first()?, *p)))
        })
        .collect();
    let teams: HashSet<&str> = m.channels.iter().filter_map(|c| c.team.as_deref()).collect();
    for role in &m.roles {
        let name = role.name.as_str();
        if !teams.contains(name) {
            continue;
        }
        // Each channel once, in file order, with how the role comes to work it.
        let mut channels: Vec<(&crate::model::Channel, Option<String>)> = Vec::new();
        for (c, entry) in m.channels.iter().zip(&entries) {
            if c.team.as_deref() == Some(name) {
                channels.push((c, None));
            } else if let Some((stage, p)) = entry
                && stage.owner.as_deref() == Some(name)
            {
                channels.push((c, Some(format!("{}.{}", p.name, stage.name))));
            }
        }
        if channels.len() > 1 {
            let label = |via: &Option<String>| match via {
                None => Msg::new("этот канал ведёт та же роль", "the same role works this channel"),
                Some(stage) => Msg::new(
                    format!("лиды этого канала принимает этап `{stage}`, его ведёт та же роль"),
                    format!("this channel's leads arrive at stage `{stage}`, owned by the same role"),
                ),
            };
            let (last, last_via) = channels[channels.len() - 1].clone();
            let mut labels: Vec<(crate::source::Span, Msg)> = channels[..channels.len() - 1]
                .iter()
                .map(|(c, via)| (c.span, label(via)))
                .collect();
            if last_via.is_some() {
                labels.push((last.span, label(&last_via)));
            }
            let names = channels.iter().map(|(c, _)| c.name.clone()).collect();
            cx.report_with(
                Kind::SeveralChannels {
                    role: role.name.clone(),
                    channels: names,
                },
                last.span,
                labels,
            );
        }
    }
}

/// W0015: a selling or head role with pay that no KPI names.
fn pay_tied(cx: &mut Checker, ties: &PayTies) {
    let m = cx.model;
    for role in &m.roles {
        if ties.untied(role) {
            cx.report(
                Kind::PayNotTied {
                    role: role.name.clone(),
                },
                role.span,
            );
        }
    }
}

/// What the condition of W0015 reads, gathered once for all roles (per role it walked every
/// stage and KPI again).
struct PayTies<'a> {
    sellers: HashSet<&'a str>,
    owners: HashSet<&'a str>,
    /// Roles some KPI names.
    named: HashSet<&'a str>,
    /// Some KPI is the department's.
    department: bool,
}

impl<'a> PayTies<'a> {
    fn new(m: &'a Model) -> Self {
        PayTies {
            sellers: sellers(m).iter().map(|r| r.name.as_str()).collect(),
            owners: stage_owners(m),
            named: m.kpis.iter().flat_map(|k| &k.roles).map(String::as_str).collect(),
            department: m.kpis.iter().any(|k| k.department),
        }
    }

    /// The condition of W0015 for one role.
    fn untied(&self, role: &Role) -> bool {
        let paid = role.salary.is_some() || role.bonus.is_some();
        let head = role.function == Some(RoleFunction::Head);
        let name = role.name.as_str();
        let sells = self.sellers.contains(name) || self.owners.contains(name);
        if !paid || !(head || sells) {
            return false;
        }
        let named = self.named.contains(name);
        let department = head && self.department;
        !named && !department
    }
}

/// W0029: a soft salary too small to matter, or tied to no KPI with a weight (a head's
/// department KPIs count as its own, as for W0015). A role named in no KPI at all that W0015
/// already reports is not reported twice.
fn soft_salary(cx: &mut Checker, ties: &PayTies) {
    let m = cx.model;
    for role in &m.roles {
        let Some(share) = role.soft_salary_share.filter(|s| *s > 0.0) else {
            continue;
        };
        let head = role.function == Some(RoleFunction::Head);
        let weighted = m
            .kpis
            .iter()
            .filter(|k| k.weight.is_some_and(|w| w > 0.0))
            .any(|k| k.roles.contains(&role.name) || (head && k.department));
        let share = if share < MIN_SOFT_SHARE - 1e-9 {
            Some(share)
        } else if !weighted && !ties.untied(role) {
            None
        } else {
            continue;
        };
        cx.report(
            Kind::SoftSalaryWeak {
                role: role.name.clone(),
                share,
            },
            role.span,
        );
    }
}

/// W0016: minimum activity norms times the minutes each contact takes, against the selling
/// part of the working day.
fn norms_fit(cx: &mut Checker) {
    let m = cx.model;
    let days_per_month = m.header.working_days_per_month();
    let minutes = ContactMinutes::new(m);
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
            // `звонки(разговор >= 1 мин)` counts some of the calls another norm already has.
            let Some(kind) = contact_kind(counter).filter(|_| n.filter.talk.is_none()) else {
                continue;
            };
            let Some(minutes) = minutes.mean(&role.name, kind) else {
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

/// Mean work minutes per contact kind, as each role makes it and as anyone does.
struct ContactMinutes<'a> {
    by_role: HashMap<(&'a str, ContactKind), (f64, u32)>,
    by_kind: HashMap<ContactKind, (f64, u32)>,
}

impl<'a> ContactMinutes<'a> {
    fn new(m: &'a Model) -> Self {
        let mut by_role: HashMap<(&str, ContactKind), (f64, u32)> = HashMap::new();
        let mut by_kind: HashMap<ContactKind, (f64, u32)> = HashMap::new();
        for s in m.pipelines.iter().flat_map(|p| &p.stages) {
            for c in &s.chain {
                let Some(minutes) = c.work_minutes else { continue };
                if let Some(role) = c.owner.as_deref().or(s.owner.as_deref()) {
                    let e = by_role.entry((role, c.kind)).or_default();
                    *e = (e.0 + minutes, e.1 + 1);
                }
                let e = by_kind.entry(c.kind).or_default();
                *e = (e.0 + minutes, e.1 + 1);
            }
        }
        ContactMinutes { by_role, by_kind }
    }

    /// The role's own mean, or everyone's when the role never makes this contact.
    fn mean(&self, role: &str, kind: ContactKind) -> Option<f64> {
        let mean = |(sum, n): (f64, u32)| (n > 0).then(|| sum / f64::from(n));
        self.by_role
            .get(&(role, kind))
            .copied()
            .and_then(mean)
            .or_else(|| self.by_kind.get(&kind).copied().and_then(mean))
    }
}

/// W0018: the work the expected lead flow brings a role against the time its people have
/// (the figures of `voronka analyze`); W0031: a quality role's sampling against the time left.
pub(super) fn load(cx: &mut Checker, analysis: &crate::analyze::Analysis) {
    // A role whose overload is its quality-control sample gets W0031 instead.
    let sampling = super::quality::time(cx, analysis);
    for r in analysis.roles.iter().filter(|r| !sampling.contains(&r.role)) {
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
