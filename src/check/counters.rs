//! Lints on counters with arguments and `изменение` (W0035, W0036): a comparison the forecast
//! horizon leaves without a base, and a counter of a KPI or a norm zero by construction (talk
//! minutes of contacts without `разговор`, a direction no such contact has).

use super::Checker;
use crate::diag::{Kind, Msg};
use crate::model::{CallDirection, ChangeBase, Contact, Counter, CounterFilter, Formula, Kpi, Model, Period};

pub(super) fn check(cx: &mut Checker) {
    let m = cx.model;
    let horizon = horizon(m);
    for k in &m.kpis {
        let Some(f) = &k.formula else { continue };
        let mut found = Vec::new();
        walk(f, &mut |g| found.push(g.clone()));
        for g in &found {
            match g {
                Formula::Change { base, .. } => change(cx, k, *base, horizon),
                Formula::Counter { counter, filter, .. } => {
                    if let Some(reason) = zero_reason(m, *counter, filter) {
                        let name = k.formula_text.clone().unwrap_or_default();
                        cx.report(
                            Kind::CounterAlwaysZero {
                                counter: name,
                                reason,
                            },
                            k.span,
                        );
                    }
                }
                _ => {}
            }
        }
    }
    // Norms read the same counters (`звонки(исходящие) >= 50 в день`, `минуты(звонки) >= 150
    // в день`): a norm nobody can ever meet or miss is as wrong as such a KPI.
    for set in &m.norms {
        for n in &set.norms {
            let Some(counter) = n.counter else { continue };
            if let Some(reason) = zero_reason(m, counter, &n.filter) {
                cx.report(
                    Kind::CounterAlwaysZero {
                        counter: n.subject.clone(),
                        reason,
                    },
                    n.span,
                );
            }
        }
    }
}

/// Why a counter is zero by construction, if it is: talk minutes of contacts without
/// `разговор`, or a direction no contact of the kind has. No contact of the kind at all is
/// E0039's business, not this lint's.
fn zero_reason(m: &Model, counter: Counter, filter: &CounterFilter) -> Option<Msg> {
    let kind = match counter {
        Counter::TalkMinutes => filter.contacts,
        c if filter.direction.is_some() => Some(c),
        _ => None,
    };
    let kind = kind.and_then(super::structure::contact_kind)?;
    let of_kind: Vec<&Contact> = m
        .pipelines
        .iter()
        .flat_map(|p| &p.stages)
        .flat_map(|s| &s.chain)
        .filter(|c| c.kind == kind)
        .collect();
    if of_kind.is_empty() {
        return None;
    }
    let contacts: Vec<&Contact> = of_kind
        .into_iter()
        .filter(|c| filter.direction.is_none_or(|d| c.direction == Some(d)))
        .collect();
    if contacts.is_empty() {
        let d = match filter.direction {
            Some(CallDirection::Outgoing) => Msg::new("исходящий", "outgoing"),
            _ => Msg::new("входящий", "incoming"),
        };
        Some(Msg::new(
            format!("ни один такой контакт в цепочках не помечен `{}`", d.ru),
            format!("no such contact in the chains is marked `{}`", d.en),
        ))
    } else if counter == Counter::TalkMinutes
        && contacts.iter().all(|c| c.talk_minutes.is_none_or(|t| t <= 0.0))
    {
        Some(Msg::new(
            "ни у одного такого контакта не указан `разговор`",
            "none of these contacts has `talk`",
        ))
    } else {
        None
    }
}

/// W0035: no month of the horizon has the base `изменение` compares with.
fn change(cx: &mut Checker, k: &Kpi, base: ChangeBase, horizon: usize) {
    let (lag, msg) = match base {
        ChangeBase::PreviousYear => (
            12,
            Msg::new("тем же периодом прошлого года", "same period a year before"),
        ),
        ChangeBase::PreviousPeriod => (
            match k.period {
                Some(Period::Quarter) => 3,
                Some(Period::Year) => 12,
                _ => 1,
            },
            Msg::new("прошлым периодом", "previous period"),
        ),
    };
    if horizon <= lag {
        cx.report(
            Kind::ChangeWithoutBase {
                kpi: k.name.clone(),
                base: msg,
                horizon: horizon as u32,
            },
            k.span,
        );
    }
}

/// The forecast's horizon as `sim::horizon_months` reads it without `--months`.
fn horizon(m: &Model) -> usize {
    match &m.plan {
        Some(p) => p.horizon(&m.header),
        None => {
            let h = m.header.horizon_months.unwrap_or(12.0);
            if h.is_finite() {
                h.round().clamp(1.0, 120.0) as usize
            } else {
                12
            }
        }
    }
}

fn walk(f: &Formula, out: &mut impl FnMut(&Formula)) {
    out(f);
    match f {
        Formula::Number { .. } | Formula::Counter { .. } | Formula::Score { .. } => {}
        Formula::Neg { arg } | Formula::Change { arg, .. } => walk(arg, out),
        Formula::Add { left, right }
        | Formula::Sub { left, right }
        | Formula::Mul { left, right }
        | Formula::Div { left, right } => {
            walk(left, out);
            walk(right, out);
        }
    }
}
