//! Scheduled starts (`старт`): per stage with a schedule, the starts a month, the mean wait for
//! the next start (already inside the stage's mean stay, `Stage::mean_stay_days`, so in the
//! cycle), and the expected group per start against `группа от … до …` (W0053/W0054 read it).
//!
//! The group of a start is the deals that leave the stage on it with a success (they start
//! learning, attend the webinar): entries a month × the stage's success share ÷ starts a month.
//! An average: how many starts fall short of the minimum depends on how the month's arrivals
//! spread, which only the forecast's days show (the analysis does not estimate it).

use crate::model::release::DayGrid;
use crate::model::{ExitOutcome, Model};
use serde::Serialize;

/// One stage with `старт`, at the settled rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StartFlow {
    pub pipeline: String,
    pub stage: String,
    pub starts_per_month: f64,
    /// Mean working days from being ready (after `длительность`) to the start.
    pub mean_wait_days: f64,
    pub entries_per_month: f64,
    /// Deals leaving on one start with a success: the expected group.
    pub group_per_start: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_max: Option<f64>,
}

/// Every stage with `старт`, model order; `entries(pipeline, stage)` gives entries a month.
pub(super) fn starts(model: &Model, entries: impl Fn(&str, &str) -> f64) -> Vec<StartFlow> {
    let grid = DayGrid::of(model.header.calendar());
    let mut out = Vec::new();
    for p in &model.pipelines {
        for s in &p.stages {
            let Some(r) = &s.release else { continue };
            let per_month = r.starts_per_month(grid);
            let e = entries(&p.name, &s.name);
            let success = ExitOutcome::Success.share(s);
            out.push(StartFlow {
                pipeline: p.name.clone(),
                stage: s.name.clone(),
                starts_per_month: per_month,
                mean_wait_days: r.mean_wait(grid),
                entries_per_month: e,
                group_per_start: if per_month > 0.0 {
                    e * success / per_month
                } else {
                    0.0
                },
                group_min: r.group_min,
                group_max: r.group_max,
            });
        }
    }
    out
}
