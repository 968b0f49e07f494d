//! Lints on the funnel: conversion, contact chains, attempts without a reach rate, exit
//! criteria, money at the exit (W0009), who works retargeting (W0028) and who collects the
//! payment (W0032), first response against the go-cold limit.

use super::Checker;
use super::org::sells;
use crate::diag::{Kind, Msg};
use crate::model::{ContactKind, Destination, Pipeline, PipelineKind, RoleFunction, Stage, TransitionKind};

/// Seed 002, rule 5: «конверсия работы с клиентами должна составлять не менее 20%».
const MIN_CONVERSION: f64 = 0.2;

/// The stages that close a pipeline's deals: those whose success leads to `выиграно`.
pub(super) fn closing_stages(p: &Pipeline) -> impl Iterator<Item = &Stage> {
    p.stages.iter().filter(|s| {
        s.transitions
            .iter()
            .any(|t| t.kind == TransitionKind::Success && t.to == Destination::Won)
    })
}

/// A stage whose exit is money received: it closes deals, and either the pipeline says
/// `выход оплата` or the stage's chain issues an invoice (`счёт`), so that its conversion is
/// the share of invoices paid.
pub(super) fn is_payment_stage(p: &Pipeline, s: &Stage) -> bool {
    closing_stages(p).any(|c| std::ptr::eq(c, s)) && (p.exit_on_payment || issues_invoice(s))
}

fn issues_invoice(s: &Stage) -> bool {
    s.chain.iter().any(|c| c.kind == ContactKind::Invoice)
}

pub(super) fn check(cx: &mut Checker) {
    let m = cx.model;
    for p in &m.pipelines {
        for s in &p.stages {
            // Nurturing and retargeting return a few per cent of cold leads by design.
            let selling = matches!(p.kind, PipelineKind::Sales | PipelineKind::Account);
            if let Some(c) = s.conversion
                && selling
                && c < MIN_CONVERSION
            {
                cx.report(
                    Kind::LowConversion {
                        stage: s.name.clone(),
                        conversion: c,
                    },
                    s.span,
                );
            }
            if s.chain.is_empty() {
                cx.report(
                    Kind::NoChain {
                        stage: s.name.clone(),
                    },
                    s.span,
                );
            }
            // W0024; without `иначе` E0036 has already said what is missing.
            for c in &s.chain {
                if let (Some(attempts), None, Some(_)) = (c.attempts, c.reach, &c.otherwise) {
                    cx.report(Kind::AttemptsWithoutReach { attempts }, c.span);
                }
            }
            if s.exit_criterion.is_none() {
                cx.report(
                    Kind::NoExitCriterion {
                        stage: s.name.clone(),
                    },
                    s.span,
                );
            }
        }
        // W0009, judged by structure: a pipeline that closes deals itself (one that hands every
        // success on, like cold calling that books demos for closers, is judged by the pipeline
        // it feeds) must say `выход оплата` or close every deal at a stage that issues an invoice.
        let closing: Vec<&Stage> = closing_stages(p).collect();
        if p.kind == PipelineKind::Sales && !closing.is_empty() && !p.exit_on_payment {
            let unpaid: Vec<&Stage> = closing.into_iter().filter(|s| !issues_invoice(s)).collect();
            if !unpaid.is_empty() {
                let labels = unpaid
                    .iter()
                    .map(|s| {
                        (
                            s.span,
                            Msg::new(
                                "этот этап закрывает сделку, а счёта в его цепочке нет",
                                "this stage closes deals, and its chain issues no invoice",
                            ),
                        )
                    })
                    .collect();
                cx.report_with(
                    Kind::ExitNotPayment {
                        pipeline: p.name.clone(),
                        stages: unpaid.iter().map(|s| s.name.clone()).collect(),
                    },
                    p.span,
                    labels,
                );
            }
        }
        // W0032: hunters open clients; the money is collected by whoever closes.
        for s in p.stages.iter().filter(|s| is_payment_stage(p, s)) {
            let Some(role) = s.owner.as_deref().and_then(|r| m.role(r)) else {
                continue;
            };
            if role.function == Some(RoleFunction::Hunter) {
                cx.report(
                    Kind::HunterOwnsPayment {
                        role: role.name.clone(),
                        stage: s.name.clone(),
                    },
                    s.span,
                );
            }
        }
        // W0028: returning lost leads is marketing's work, not a salesperson's.
        if p.kind == PipelineKind::Retargeting {
            let mut owners: Vec<(&str, crate::source::Span)> = Vec::new();
            if let Some(o) = p.owner.as_deref() {
                owners.push((o, p.span));
            }
            for s in &p.stages {
                if let Some(o) = s.owner.as_deref() {
                    owners.push((o, s.span));
                }
                for c in &s.chain {
                    if let Some(o) = c.owner.as_deref() {
                        owners.push((o, c.span));
                    }
                }
            }
            let mut seen = Vec::new();
            for (role, span) in owners {
                if seen.contains(&role) || !m.role(role).is_some_and(|r| sells(m, r)) {
                    continue;
                }
                seen.push(role);
                cx.report(
                    Kind::RetargetingBySeller {
                        pipeline: p.name.clone(),
                        role: role.to_string(),
                    },
                    span,
                );
            }
        }
    }
    // W0021: the first response norm of a channel against the wait limit of the stage it feeds.
    for c in &m.channels {
        let (Some(response), Some(p)) = (
            c.first_response_minutes,
            c.pipeline.as_deref().and_then(|p| m.pipeline(p)),
        ) else {
            continue;
        };
        let Some(first) = p.stages.first() else {
            continue;
        };
        let Some(wait_days) = first.wait_limit_days else {
            continue;
        };
        let hours = first
            .owner
            .as_deref()
            .and_then(|r| m.role(r))
            .map_or(8.0, |r| r.work_day_hours);
        let limit = wait_days * hours * 60.0;
        if response > limit {
            cx.report(
                Kind::ResponseSlowerThanCold {
                    channel: c.name.clone(),
                    response,
                    limit,
                },
                c.span,
            );
        }
    }
}
