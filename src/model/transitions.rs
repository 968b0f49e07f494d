//! A stage's exits: where a deal leaves a stage for and with what probability, read from the
//! stage's `transitions` by one set of rules that the exact analysis (`analyze`), the forecast
//! (`sim::params`) and everything built on them share.
//!
//! - Destinations are resolved to indices: `Won` and `Lost` are the exits of the stage's
//!   **own** pipeline; `Stage { pipeline, stage }` is the first stage of the model with those
//!   names. A pipeline named alone (an empty stage name) means its first stage.
//! - A destination that names no stage leads to *lost* and is reported in
//!   [`Exits::unknown`].
//! - A probability that is negative or not finite counts as 0.
//! - When the probabilities sum to more than 1 + [`SUM_EPS`] they are scaled down to sum to 1
//!   ([`Exits::above_one`]); when they sum to less than 1 − [`SUM_EPS`] the rest goes to *lost*
//!   ([`Exits::below_one`]). A sum within [`SUM_EPS`] of 1 is rounding and is left as it is.
//! - A stage without any transition (a model not built by [`crate::model::lower`], which
//!   always writes them) follows the language's default: its `конверсия` (1 when absent) leads
//!   to the next stage of its pipeline, or to *won* after the last, and the rest is lost.
//!
//! Depends on the model types only; nothing above the model layer.

use super::{Destination, Model, Stage, Transition, TransitionKind};

/// How far from 1 the sum of a stage's probabilities may be before it is corrected (and the
/// correction reported): anything closer is floating-point rounding.
pub const SUM_EPS: f64 = 1e-9;

/// Where an exit leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Won in the stage's own pipeline.
    Won,
    /// Lost in the stage's own pipeline.
    Lost,
    /// A stage by index: `model.pipelines[pipeline].stages[stage]`.
    Stage { pipeline: usize, stage: usize },
}

/// One way out of a stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exit {
    pub to: Target,
    /// After the corrections; the exits of a stage sum to 1 within [`SUM_EPS`].
    pub probability: f64,
    /// The stage converted (`TransitionKind::Success`): counts as converted and decays with
    /// the wait in the forecast.
    pub success: bool,
    /// Working days between leaving the stage and arriving (`через 30 дн`); 0 for at once.
    pub delay_days: f64,
}

/// A stage's exits and what had to be corrected to get them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exits {
    /// One per transition, in the stage's order (zero probabilities kept), then the rest sent
    /// to *lost* when the sum fell short.
    pub exits: Vec<Exit>,
    /// The written destinations that name no stage, as `(pipeline, stage)`; they lead to lost.
    pub unknown: Vec<(String, String)>,
    /// The sum of the probabilities when it was above 1 + [`SUM_EPS`] (scaled down to 1).
    pub above_one: Option<f64>,
    /// The missing mass when the sum was below 1 − [`SUM_EPS`] (sent to lost).
    pub below_one: Option<f64>,
}

/// A non-negative finite probability, or 0.
fn sane(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 { x } else { 0.0 }
}

/// The stage a destination names: the first of the model with both names, else, for a
/// pipeline named alone (an empty stage name), that pipeline's first stage.
pub fn resolve(model: &Model, pipeline: &str, stage: &str) -> Option<(usize, usize)> {
    let named = model.pipelines.iter().enumerate().find_map(|(pi, p)| {
        (p.name == pipeline)
            .then(|| p.stages.iter().position(|s| s.name == stage).map(|si| (pi, si)))
            .flatten()
    });
    named.or_else(|| {
        if !stage.is_empty() {
            return None;
        }
        let pi = model.pipelines.iter().position(|p| p.name == pipeline)?;
        (!model.pipelines[pi].stages.is_empty()).then_some((pi, 0))
    })
}

/// The exits of `model.pipelines[pipeline].stages[stage]`; empty for indices out of range.
pub fn exits(model: &Model, pipeline: usize, stage: usize) -> Exits {
    let mut out = Exits::default();
    let Some(s) = model.pipelines.get(pipeline).and_then(|p| p.stages.get(stage)) else {
        return out;
    };
    if s.transitions.is_empty() {
        let conversion = sane(s.conversion.unwrap_or(1.0)).min(1.0);
        let next = stage + 1;
        out.exits.push(Exit {
            to: if next < model.pipelines[pipeline].stages.len() {
                Target::Stage {
                    pipeline,
                    stage: next,
                }
            } else {
                Target::Won
            },
            probability: conversion,
            success: true,
            delay_days: 0.0,
        });
        if conversion < 1.0 - SUM_EPS {
            out.exits.push(Exit {
                to: Target::Lost,
                probability: 1.0 - conversion,
                success: false,
                delay_days: 0.0,
            });
        }
        return out;
    }
    for t in &s.transitions {
        let to = match &t.to {
            Destination::Won => Target::Won,
            Destination::Lost { .. } => Target::Lost,
            Destination::Stage {
                pipeline: tp,
                stage: ts,
            } => match resolve(model, tp, ts) {
                Some((pipeline, stage)) => Target::Stage { pipeline, stage },
                None => {
                    out.unknown.push((tp.clone(), ts.clone()));
                    Target::Lost
                }
            },
        };
        out.exits.push(Exit {
            to,
            probability: sane(t.probability),
            success: t.kind == TransitionKind::Success,
            delay_days: t.delay_days.map_or(0.0, sane),
        });
    }
    let sum: f64 = out.exits.iter().map(|e| e.probability).sum();
    if sum > 1.0 + SUM_EPS {
        out.above_one = Some(sum);
        for e in &mut out.exits {
            e.probability /= sum;
        }
    } else if sum < 1.0 - SUM_EPS {
        out.below_one = Some(1.0 - sum);
        out.exits.push(Exit {
            to: Target::Lost,
            probability: 1.0 - sum,
            success: false,
            delay_days: 0.0,
        });
    }
    out
}

/// The share of a stage's deals its chain reaches: 1 − the routes of the unreached
/// (`дозвон`).
pub fn reached_share(stage: &Stage) -> f64 {
    1.0 - stage
        .transitions
        .iter()
        .filter(|t| t.kind == TransitionKind::Unreached)
        .map(|t| sane(t.probability))
        .sum::<f64>()
}

/// A stage's success probability among the deals its chain reaches, as `конверсия` is written:
/// the success transitions over the reached share; a stage without transitions follows the
/// default rule (its `конверсия`, 1 when absent).
pub fn conversion(stage: &Stage) -> f64 {
    if stage.transitions.is_empty() {
        return sane(stage.conversion.unwrap_or(1.0)).min(1.0);
    }
    let success: f64 = stage
        .transitions
        .iter()
        .filter(|t| t.kind == TransitionKind::Success)
        .map(|t| sane(t.probability))
        .sum();
    let reached = reached_share(stage);
    if reached > 0.0 { success / reached } else { success }
}

/// Sets the conversion of `model.pipelines[pipeline].stages[stage]` (among the reached deals)
/// to `new`, clamped to [0, 1]. Successes keep their split (branches) and scale to the new
/// conversion; failures (hand-offs, losses) keep theirs and share what is left; the routes of
/// the unreached do not change. Where a side has no probability to scale (a conversion of 0
/// raised, or of 1 lowered), the mass goes to the written transitions of that side in equal
/// shares, or to the default route (the next stage, *won* after the last; *lost*) when none is
/// written. Does nothing for indices out of range.
pub fn set_conversion(model: &mut Model, pipeline: usize, stage: usize, new: f64) {
    let Some(stages) = model.pipelines.get_mut(pipeline).map(|p| &mut p.stages) else {
        return;
    };
    let count = stages.len();
    let Some(s) = stages.get_mut(stage) else {
        return;
    };
    let new = if new.is_finite() { new.clamp(0.0, 1.0) } else { 0.0 };
    s.conversion = Some(new);
    if s.transitions.is_empty() {
        return;
    }
    let reached = reached_share(s);
    let default_success = if stage + 1 < count {
        Destination::Stage {
            pipeline: model.pipelines[pipeline].name.clone(),
            stage: model.pipelines[pipeline].stages[stage + 1].name.clone(),
        }
    } else {
        Destination::Won
    };
    let s = &mut model.pipelines[pipeline].stages[stage];
    let sides = [
        (TransitionKind::Success, new * reached, default_success),
        (
            TransitionKind::Failure,
            (1.0 - new) * reached,
            Destination::Lost { reason: None },
        ),
    ];
    for (kind, to, default) in sides {
        let from: f64 = s
            .transitions
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| sane(t.probability))
            .sum();
        let written = s.transitions.iter().filter(|t| t.kind == kind).count();
        if from > 0.0 {
            for t in s.transitions.iter_mut().filter(|t| t.kind == kind) {
                t.probability = sane(t.probability) * to / from;
            }
        } else if written > 0 {
            for t in s.transitions.iter_mut().filter(|t| t.kind == kind) {
                t.probability = to / written as f64;
            }
        } else if to > 0.0 {
            s.transitions.push(Transition {
                kind,
                probability: to,
                to: default,
                explicit: false,
                delay_days: None,
                contact: None,
                span: s.span,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Pipeline, PipelineKind};

    fn stage(name: &str, conversion: Option<f64>, transitions: Vec<Transition>) -> Stage {
        Stage {
            name: name.into(),
            title: None,
            owner: None,
            conversion,
            duration_days: None,
            chain: Vec::new(),
            entry_criterion: None,
            exit_criterion: None,
            required_fields: Vec::new(),
            guidance: None,
            colour: None,
            deal_probability: None,
            crm_code: None,
            limit_days: None,
            wait_limit_days: None,
            decay_per_day: None,
            transitions,
            channel_conversions: Vec::new(),
            span: Default::default(),
            colour_written: None,
            release: None,
        }
    }

    fn pipeline(name: &str, stages: Vec<Stage>) -> Pipeline {
        Pipeline {
            name: name.into(),
            title: None,
            kind: PipelineKind::Sales,
            entry: None,
            exit: None,
            exit_on_payment: false,
            deal_size: None,
            repeat: None,
            after_win: None,
            owner: None,
            description: None,
            stages,
            span: Default::default(),
        }
    }

    fn to(kind: TransitionKind, probability: f64, to: Destination) -> Transition {
        Transition {
            kind,
            probability,
            to,
            explicit: true,
            delay_days: None,
            contact: None,
            span: Default::default(),
        }
    }

    fn at(pipeline: &str, stage: &str) -> Destination {
        Destination::Stage {
            pipeline: pipeline.into(),
            stage: stage.into(),
        }
    }

    const LOST: Destination = Destination::Lost { reason: None };
    use TransitionKind::{Failure, Success};

    /// A: the stage under test (first of `Продажа`), then `Продажа.Б`; `Сервис` has `В`, and
    /// `Пусто` has no stages.
    fn model(a: Stage) -> Model {
        Model {
            pipelines: vec![
                pipeline(
                    "Продажа",
                    vec![a, stage("Б", None, vec![to(Success, 1.0, Destination::Won)])],
                ),
                pipeline(
                    "Сервис",
                    vec![stage("В", None, vec![to(Success, 1.0, Destination::Won)])],
                ),
                pipeline("Пусто", vec![]),
            ],
            ..Model::default()
        }
    }

    fn exit(to: Target, probability: f64, success: bool) -> Exit {
        Exit {
            to,
            probability,
            success,
            delay_days: 0.0,
        }
    }

    const B: Target = Target::Stage {
        pipeline: 0,
        stage: 1,
    };
    const V: Target = Target::Stage {
        pipeline: 1,
        stage: 0,
    };

    #[test]
    fn exits_of_a_stage() {
        struct Case {
            what: &'static str,
            stage: Stage,
            exits: Vec<Exit>,
            unknown: Vec<(&'static str, &'static str)>,
            above: Option<f64>,
            below: Option<f64>,
        }
        let case = |what, stage, exits, unknown, above, below| Case {
            what,
            stage,
            exits,
            unknown,
            above,
            below,
        };
        let cases = [
            case(
                "consistent: as written",
                stage(
                    "А",
                    Some(0.3),
                    vec![to(Success, 0.3, at("Продажа", "Б")), to(Failure, 0.7, LOST)],
                ),
                vec![exit(B, 0.3, true), exit(Target::Lost, 0.7, false)],
                vec![],
                None,
                None,
            ),
            case(
                "above one: scaled down",
                stage(
                    "А",
                    None,
                    vec![to(Success, 0.5, Destination::Won), to(Failure, 1.5, LOST)],
                ),
                vec![exit(Target::Won, 0.25, true), exit(Target::Lost, 0.75, false)],
                vec![],
                Some(2.0),
                None,
            ),
            case(
                "below one: the rest is lost",
                stage(
                    "А",
                    None,
                    vec![to(Success, 0.5, Destination::Won), to(Failure, 0.25, LOST)],
                ),
                vec![
                    exit(Target::Won, 0.5, true),
                    exit(Target::Lost, 0.25, false),
                    exit(Target::Lost, 0.25, false),
                ],
                vec![],
                None,
                Some(0.25),
            ),
            case(
                "within the epsilon: rounding, left alone",
                stage(
                    "А",
                    None,
                    vec![to(Success, 0.5, Destination::Won), to(Failure, 0.5 + 1e-12, LOST)],
                ),
                vec![
                    exit(Target::Won, 0.5, true),
                    exit(Target::Lost, 0.5 + 1e-12, false),
                ],
                vec![],
                None,
                None,
            ),
            case(
                "negative and NaN count as 0",
                stage(
                    "А",
                    None,
                    vec![
                        to(Success, -0.5, Destination::Won),
                        to(Success, f64::NAN, at("Сервис", "В")),
                        to(Failure, 1.0, LOST),
                    ],
                ),
                vec![
                    exit(Target::Won, 0.0, true),
                    exit(V, 0.0, true),
                    exit(Target::Lost, 1.0, false),
                ],
                vec![],
                None,
                None,
            ),
            case(
                "unknown target: lost, reported",
                stage(
                    "А",
                    None,
                    vec![
                        to(Success, 0.4, at("Сервис", "Нет")),
                        to(Failure, 0.6, at("Нет", "Б")),
                    ],
                ),
                vec![exit(Target::Lost, 0.4, true), exit(Target::Lost, 0.6, false)],
                vec![("Сервис", "Нет"), ("Нет", "Б")],
                None,
                None,
            ),
            case(
                "a pipeline named alone: its first stage",
                stage(
                    "А",
                    None,
                    vec![
                        to(Success, 0.4, at("Сервис", "")),
                        to(Failure, 0.6, at("Пусто", "")),
                    ],
                ),
                vec![exit(V, 0.4, true), exit(Target::Lost, 0.6, false)],
                vec![("Пусто", "")],
                None,
                None,
            ),
            case(
                "no transitions: the conversion leads to the next stage, the rest is lost",
                stage("А", Some(0.4), vec![]),
                vec![exit(B, 0.4, true), exit(Target::Lost, 0.6, false)],
                vec![],
                None,
                None,
            ),
            case(
                "no transitions and no conversion: all to the next stage",
                stage("А", None, vec![]),
                vec![exit(B, 1.0, true)],
                vec![],
                None,
                None,
            ),
        ];
        for c in cases {
            let got = exits(&model(c.stage), 0, 0);
            assert_eq!(got.exits.len(), c.exits.len(), "{}: {:?}", c.what, got.exits);
            for (g, e) in got.exits.iter().zip(&c.exits) {
                assert_eq!((g.to, g.success), (e.to, e.success), "{}", c.what);
                assert!(
                    (g.probability - e.probability).abs() < 1e-15,
                    "{}: {g:?} vs {e:?}",
                    c.what
                );
            }
            let unknown: Vec<(String, String)> =
                c.unknown.iter().map(|&(p, s)| (p.into(), s.into())).collect();
            assert_eq!(got.unknown, unknown, "{}", c.what);
            assert_eq!(got.above_one, c.above, "{}", c.what);
            assert_eq!(got.below_one, c.below, "{}", c.what);
        }
    }

    #[test]
    fn the_last_stage_without_transitions_is_won_and_bad_indices_are_empty() {
        let m = model(stage("А", None, vec![]));
        let mut m2 = m.clone();
        m2.pipelines[0].stages[1].transitions.clear();
        m2.pipelines[0].stages[1].conversion = Some(f64::NAN);
        let last = exits(&m2, 0, 1);
        assert_eq!(
            last.exits,
            vec![exit(Target::Won, 0.0, true), exit(Target::Lost, 1.0, false)]
        );
        assert_eq!(exits(&m, 0, 9), Exits::default());
        assert_eq!(exits(&m, 9, 0), Exits::default());
    }

    #[test]
    fn resolve_takes_the_first_match_and_a_bare_pipeline_its_first_stage() {
        let m = model(stage("А", None, vec![]));
        assert_eq!(resolve(&m, "Продажа", "Б"), Some((0, 1)));
        assert_eq!(resolve(&m, "Продажа", ""), Some((0, 0)));
        assert_eq!(resolve(&m, "Продажа", "Нет"), None);
        assert_eq!(resolve(&m, "Пусто", ""), None);
        assert_eq!(resolve(&m, "Нет", ""), None);
    }
}
