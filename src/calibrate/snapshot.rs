//! What a snapshot of the deals measures — a deals list as a CRM's screen exports it, each deal
//! with its current stage and no stage history: the overall win rate, the sales cycle
//! (creation to closing, Kaplan–Meier with the open deals censored), the size of won deals,
//! the loss reasons and where the open deals sit now. Per-stage conversion and time in stage
//! need the stage history and are not measured (not faked from the current stages either).

use super::{Estimate, match_pipeline, match_stage, stats};
use crate::history::{History, Status};
use crate::model::Model;
use serde::Serialize;
use std::collections::HashMap;

/// The time from creation to closing, in calendar days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cycle {
    /// The mean restricted to the longest time seen (a lower bound while deals are open).
    pub mean: f64,
    pub median: Option<u32>,
    pub p10: Option<u32>,
    pub p90: Option<u32>,
    /// Deals closed (won or lost) and deals still open (censored).
    pub closed: usize,
    pub open: usize,
}

/// Open deals in one current stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenStage {
    /// `Воронка.Этап` of the regulation, or the CRM's (pipeline, stage) when none matches.
    pub pipeline: String,
    pub stage: String,
    pub matched: bool,
    pub deals: usize,
    /// Their mean age (days since creation at the window's end).
    pub mean_age_days: Option<f64>,
}

/// The snapshot's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// Deals created in the window (and deals without a creation date).
    pub deals: usize,
    pub won: usize,
    pub lost: usize,
    pub open: usize,
    /// won / (won + lost), Wilson 95 % interval.
    pub win_rate: Option<Estimate>,
    pub cycle: Option<Cycle>,
    /// The mean won deal (won and closed in the window).
    pub deal_size: Option<Estimate>,
    /// Lost deals by reason, most first; an empty reason: none given.
    pub loss_reasons: Vec<(String, usize)>,
    pub open_by_stage: Vec<OpenStage>,
    /// What a snapshot cannot measure: `stage_conversion`, `time_in_stage`.
    pub not_measurable: Vec<&'static str>,
}

/// The pipeline a deal's current stage is in: the regulation's stage's, else the pipeline its
/// name names (a closing stage such as «Успешно реализовано» is no stage of the regulation).
pub(super) fn current_pipeline(model: &Model, history: &History, stage: u32) -> Option<usize> {
    let (p, s) = history.stages.get(stage as usize)?;
    match_stage(model, p, s)
        .map(|m| m.0)
        .or_else(|| match_pipeline(model, p))
}

/// Measures a snapshot: deals created in `since..=until`.
pub(super) fn measure(model: &Model, history: &History, since: i32, until: i32) -> Snapshot {
    let (mut won, mut lost, mut open) = (0usize, 0usize, 0usize);
    let mut times: Vec<(u32, bool)> = Vec::new();
    let mut sizes = Vec::new();
    let mut reasons: HashMap<String, usize> = HashMap::new();
    let mut by_stage: HashMap<(String, String, bool), (usize, f64, usize)> = HashMap::new();
    let mut deals = 0usize;
    for d in &history.deals {
        // A deal without a creation date counts everywhere but in the cycle.
        if d.created.is_some_and(|c| !(since..=until).contains(&c)) {
            continue;
        }
        deals += 1;
        // A closing after the window's end is not known at its end.
        let status = match (d.status, d.closed) {
            (Some(Status::Won | Status::Lost), Some(c)) if c > until => Status::Open,
            (Some(s), _) => s,
            (None, _) => Status::Open,
        };
        match status {
            Status::Won => won += 1,
            Status::Lost => lost += 1,
            Status::Open => open += 1,
        }
        match (status, d.closed, d.created) {
            (Status::Won | Status::Lost, Some(c), Some(created)) => {
                times.push(((c - created).max(0) as u32, true));
            }
            (Status::Open, _, Some(created)) => times.push(((until - created).max(0) as u32, false)),
            _ => {}
        }
        if status == Status::Won
            && let Some(a) = d.amount.filter(|&a| a > 0.0)
        {
            sizes.push(a);
        }
        if status == Status::Lost {
            *reasons
                .entry(d.loss_reason.clone().unwrap_or_default())
                .or_default() += 1;
        }
        if status == Status::Open {
            let key = match d
                .stage
                .and_then(|s| history.stages.get(s as usize).map(|n| (s, n)))
            {
                Some((_, (p, s))) => match match_stage(model, p, s) {
                    Some((pi, si)) => (
                        model.pipelines[pi].name.clone(),
                        model.pipelines[pi].stages[si].name.clone(),
                        true,
                    ),
                    None => (p.clone(), s.clone(), false),
                },
                None => (String::new(), String::new(), false),
            };
            let e = by_stage.entry(key).or_default();
            e.0 += 1;
            if let Some(created) = d.created {
                e.1 += f64::from((until - created).max(0));
                e.2 += 1;
            }
        }
    }
    let win_rate = stats::wilson(won, won + lost).map(|ci95| Estimate {
        value: won as f64 / (won + lost) as f64,
        ci95,
    });
    let cycle = (!times.is_empty()).then(|| {
        let curve = stats::Survival::new(&times);
        Cycle {
            mean: curve.restricted_mean(),
            median: curve.quantile(0.5),
            p10: curve.quantile(0.1),
            p90: curve.quantile(0.9),
            closed: curve.events,
            open: curve.censored,
        }
    });
    let mut loss_reasons: Vec<(String, usize)> = reasons.into_iter().collect();
    loss_reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    // Open deals in the regulation's order of stages, then the CRM's unmatched ones by count.
    let order = |p: &str, s: &str| -> (usize, usize) {
        model
            .pipelines
            .iter()
            .enumerate()
            .find_map(|(pi, pl)| {
                (pl.name == p)
                    .then(|| pl.stages.iter().position(|st| st.name == s).map(|si| (pi, si)))
                    .flatten()
            })
            .unwrap_or((usize::MAX, usize::MAX))
    };
    let mut open_by_stage: Vec<OpenStage> = by_stage
        .into_iter()
        .map(|((pipeline, stage, matched), (n, age, k))| OpenStage {
            pipeline,
            stage,
            matched,
            deals: n,
            mean_age_days: (k > 0).then(|| age / k as f64),
        })
        .collect();
    open_by_stage.sort_by(|a, b| {
        order(&a.pipeline, &a.stage)
            .cmp(&order(&b.pipeline, &b.stage))
            .then(b.deals.cmp(&a.deals))
            .then(a.stage.cmp(&b.stage))
    });
    Snapshot {
        deals,
        won,
        lost,
        open,
        win_rate,
        cycle,
        deal_size: stats::mean_interval(&sizes).map(|(value, ci95)| Estimate { value, ci95 }),
        loss_reasons,
        open_by_stage,
        not_measurable: vec!["stage_conversion", "time_in_stage"],
    }
}
