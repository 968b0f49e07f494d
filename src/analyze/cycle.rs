//! The deal cycle two ways, per pipeline, from the same chain as the rest of the analysis:
//!
//! - **won, working days** — what `цикл` counts: the expected days from entry to the win of the
//!   deals that are won. With h(s) the probability that a deal in stage s is eventually won
//!   ([`super::stage_values`]), a won deal visits s on average visits(s) × h(s) / h(entry)
//!   times (the chain conditioned on winning), so the cycle is Σ visits(s) × h(s) × mean
//!   duration(s) / h(entry); none when the pipeline wins nothing.
//! - **all deals, calendar days** — how many regulations define the cycle (`цикл_календарный`):
//!   the expected days from entry to any outcome, won or lost (`Outcome::expected_days`), in
//!   calendar days: × 7 ÷ working days a week.
//!
//! Both count the client's days in the stages (`длительность`); waiting for a busy role is the
//! forecast's (`simulate`), which measures both on its runs.

use super::{PipelineAnalysis, StageValue, sane};
use crate::model::Model;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cycle {
    pub pipeline: String,
    /// Working days from entry to the win, won deals only.
    pub won_working_days: Option<f64>,
    /// Working days from entry to won or lost, every deal.
    pub all_working_days: f64,
    /// The same in calendar days.
    pub all_calendar_days: f64,
}

/// Calendar days in `working` working days of the regulation's week.
pub fn calendar_days(model: &Model, working: f64) -> f64 {
    let week = sane(model.header.work_week_days);
    if week > 0.0 { working * 7.0 / week } else { working }
}

pub(super) fn cycles(model: &Model, pipelines: &[PipelineAnalysis], values: &[StageValue]) -> Vec<Cycle> {
    let index = |pipeline: &str, stage: &str| -> Option<usize> {
        let mut i = 0;
        for p in &model.pipelines {
            for s in &p.stages {
                if p.name == pipeline && s.name == stage {
                    return Some(i);
                }
                i += 1;
            }
        }
        None
    };
    pipelines
        .iter()
        .filter_map(|p| {
            let o = p.outcome.as_ref()?;
            let won_days: f64 = o
                .stages
                .iter()
                .filter_map(|s| {
                    let h = values.get(index(&s.pipeline, &s.stage)?)?.p_won;
                    Some(s.expected_days * sane(h))
                })
                .sum();
            Some(Cycle {
                pipeline: p.name.clone(),
                won_working_days: (o.p_won > 1e-12).then(|| won_days / o.p_won),
                all_working_days: o.expected_days,
                all_calendar_days: calendar_days(model, o.expected_days),
            })
        })
        .collect()
}
