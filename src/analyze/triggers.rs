//! Work the triggers (`триггер`) create, per month, for the load of their roles.
//!
//! - A stage trigger (`вход`, `выход`, `в_этапе … дольше N`) fires per deal entering the stage
//!   × [`crate::model::Trigger::firings_per_entry`] (1, or the share of the stage's
//!   `длительность` above N); each firing costs the minutes of its contact actions
//!   (`Model::stage_trigger_work`, the figure the forecast charges too).
//! - A date-field trigger (`поле "Дата рождения" за 3 дн`) fires once a year per client. The
//!   client base is taken as the clients won over the last twelve months (new clients a month ×
//!   12; with `воронка`, the deals entering that pipeline a month × 12), so it fires as often a
//!   month as clients are won a month. An assumption of the analysis only: the forecast has no
//!   client base.
//! - A KPI-colour trigger fires when a KPI turns that colour: how often is not known in advance,
//!   so its work is not counted (its meeting's time is, by the meeting's own `частота`).

use crate::model::{Model, TriggerEvent};
use serde::Serialize;

/// One trigger's work for its role, per month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriggerWork {
    /// Position of the trigger in `Model::triggers`.
    pub index: usize,
    /// The trigger's title, else its name.
    pub trigger: String,
    pub firings_per_month: f64,
    pub minutes: f64,
}

/// (role, work) of every trigger that creates work at a known rate, in model order.
/// `stage_entries(pipeline, stage)` gives deals entering a stage a month; `clients_per_month`
/// the new clients a month.
pub(super) fn trigger_work(
    model: &Model,
    stage_entries: impl Fn(&str, &str) -> f64,
    clients_per_month: f64,
) -> Vec<(String, TriggerWork)> {
    let mut out = Vec::new();
    for (index, t) in model.triggers.iter().enumerate() {
        let Some(role) = &t.owner else { continue };
        let minutes = t.minutes_per_firing();
        let firings = match &t.event {
            Some(TriggerEvent::Field { .. }) => match &t.pipeline {
                Some(p) => model
                    .pipeline(p)
                    .and_then(|p| p.stages.first().map(|s| stage_entries(&p.name, &s.name)))
                    .unwrap_or(0.0),
                None => clients_per_month,
            },
            _ => match (t.stage(), t.firings_per_entry(model)) {
                (Some((p, s)), Some(per_entry)) => stage_entries(p, s) * per_entry,
                _ => continue,
            },
        };
        if !(firings.is_finite() && firings > 0.0 && minutes > 0.0) {
            continue;
        }
        let name = t.title.clone().or_else(|| t.name.clone()).unwrap_or_default();
        out.push((
            role.clone(),
            TriggerWork {
                index,
                trigger: name,
                firings_per_month: firings,
                minutes: firings * minutes,
            },
        ));
    }
    out
}
