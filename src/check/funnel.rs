//! Lints on the funnel: conversion, contact chains, attempts without a reach rate, exit
//! criteria, money at the exit, first response against the go-cold limit.

use super::Checker;
use crate::diag::Kind;
use crate::model::PipelineKind;

/// Seed 002, rule 5: «конверсия работы с клиентами должна составлять не менее 20%».
const MIN_CONVERSION: f64 = 0.2;

/// Word stems that tie an exit to money received (not «поступила» alone: a lead arrives too).
const MONEY: &[&str] = &[
    "оплат",
    "деньг",
    "денег",
    "средств",
    "зачисл",
    "предоплат",
    "payment",
    "paid",
    "money",
    "cash",
    "funds",
];

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
        // Only a pipeline that closes deals itself; one that hands every success on (cold
        // calling that books demos for closers) is judged by the pipeline it feeds.
        let closes = p
            .stages
            .iter()
            .flat_map(|s| &s.transitions)
            .any(|t| t.to == crate::model::Destination::Won);
        if p.kind == PipelineKind::Sales && closes {
            let last = p.stages.last();
            let texts = [
                p.exit.as_deref(),
                last.and_then(|s| s.exit_criterion.as_deref()),
                last.and_then(|s| s.title.as_deref()),
            ];
            let money = texts.iter().flatten().any(|t| {
                let t = t.to_lowercase();
                MONEY.iter().any(|w| t.contains(w))
            });
            if !money {
                cx.report(
                    Kind::ExitNotPayment {
                        pipeline: p.name.clone(),
                    },
                    p.span,
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
