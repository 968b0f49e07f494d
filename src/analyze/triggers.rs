//! Work the triggers (`триггер`) create, per month, for the load of their roles.
//!
//! - A stage trigger (`вход`, `выход`, `в_этапе … дольше N`) fires per deal entering the stage
//!   × [`crate::model::Trigger::firings_per_entry`] (1, or the share of the stage's
//!   `длительность` above N); each firing costs the minutes of its contact actions
//!   (`Model::stage_trigger_work`, the figure the forecast charges too).
//! - A date-field trigger (`поле "Дата рождения" за 3 дн`) fires once a year per client. The
//!   client base is taken as the clients won over the last twelve months (new clients a month ×
//!   12; with `воронка`, the deals entering that pipeline a month × 12), so it fires as often a
//!   month as clients are won a month. The forecast has no client base: it charges this
//!   figure (`sim::params`, `client_work_minutes_per_day`).
//! - An inactivity trigger (`без_покупки 60 дн доля 15%`) fires once per client going quiet:
//!   the clients a month (as for a date field) × `доля`; without `доля` the rate is unknown and
//!   its work is not counted (the documents say so).
//! - A recurring contact (`каждые 2 нед`) fires for each client of the base (the clients a
//!   month × 12, as above) every period: base × contacts a month × `доля` (of the segment);
//!   with a segment but no `доля` the segment's size is unknown and nothing is counted.
//! - A field-value trigger (`поле "Оценка" <= 6 доля 10%`) fires for `доля` of the deals
//!   entering the stages that fill the field (`поля`; the clients a month when none does);
//!   without `доля` its work is not counted (the documents say so).
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
        let clients = || match &t.pipeline {
            Some(p) => model
                .pipeline(p)
                .and_then(|p| p.stages.first().map(|s| stage_entries(&p.name, &s.name)))
                .unwrap_or(0.0),
            None => clients_per_month,
        };
        let firings = match &t.event {
            Some(TriggerEvent::Field { .. }) => clients(),
            // A field's value: the deals entering the stages that fill the field × `доля`;
            // without `доля` the rate is unknown and nothing is counted.
            Some(TriggerEvent::Value { condition, share }) => match share {
                Some(share) => {
                    let filling: Vec<(String, String)> = condition
                        .card_fields(&model.cards)
                        .flat_map(|f| f.stages.iter().map(|s| (s.pipeline.clone(), s.stage.clone())))
                        .collect();
                    let base = if filling.is_empty() {
                        clients()
                    } else {
                        filling.iter().map(|(p, s)| stage_entries(p, s)).sum()
                    };
                    base * share
                }
                None => continue,
            },
            Some(TriggerEvent::Idle { share, .. }) => match share {
                Some(share) => clients() * share,
                None => continue,
            },
            Some(TriggerEvent::Every {
                every,
                segment,
                share,
            }) => match (segment, share) {
                (Some(_), None) => continue,
                _ => clients() * 12.0 * every.per_month() * share.unwrap_or(1.0),
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
