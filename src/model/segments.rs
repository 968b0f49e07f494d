//! Segments of a pipeline's flow by channel (`конверсия_по_каналам`): the leads of a named
//! channel convert at their own rate at the stages that name it, while they are in the
//! pipeline their channel feeds; everything else — other channels, deals handed on from
//! other pipelines, a deal that leaves the pipeline and comes back — keeps the stage's
//! `конверсия`.
//!
//! One reading for every layer: [`for_channel`] is the model a channel's leads see in their
//! pipeline, with each named conversion set by [`transitions::set_conversion`] (successes
//! scale, failures share what is left, as a scenario's `conversion` does). The analysis solves
//! the channel's chain on it (`analyze::segments`), the forecast gives the channel its own copy
//! of the pipeline's stages with its exits (`sim::segments`).

use super::{Model, PipelineKind, transitions};

/// The pipeline a channel feeds, as the forecast reads it: its `воронка`, else the first sales
/// pipeline, else the first.
pub fn channel_pipeline(model: &Model, channel: &str) -> Option<usize> {
    let c = model.channels.iter().find(|c| c.name == channel)?;
    match &c.pipeline {
        Some(name) => model.pipelines.iter().position(|p| &p.name == name),
        None => model
            .pipelines
            .iter()
            .position(|p| p.kind == PipelineKind::Sales)
            .or((!model.pipelines.is_empty()).then_some(0)),
    }
}

/// Whether any stage has a conversion by channel.
pub fn any(model: &Model) -> bool {
    model
        .pipelines
        .iter()
        .any(|p| p.stages.iter().any(|s| !s.channel_conversions.is_empty()))
}

/// The pipeline channel `channel` (an index into `model.channels`) feeds and the model its
/// leads see there, when a stage of that pipeline names the channel; `None` when the channel
/// converts as everyone else.
pub fn for_channel(model: &Model, channel: usize) -> Option<(usize, Model)> {
    let name = &model.channels.get(channel)?.name;
    let pi = channel_pipeline(model, name)?;
    let named: Vec<(usize, f64)> = model.pipelines[pi]
        .stages
        .iter()
        .enumerate()
        .filter_map(|(si, s)| {
            let c = s.channel_conversions.iter().find(|c| &c.channel == name)?;
            Some((si, c.conversion))
        })
        .collect();
    if named.is_empty() {
        return None;
    }
    let mut m = model.clone();
    for (si, conversion) in named {
        transitions::set_conversion(&mut m, pi, si, conversion);
    }
    Some((pi, m))
}

/// A stage's conversion over all the leads that enter it, weighted by where they come from:
/// `entries` are (channel name or `None` for the rest, entries a month) and the channels'
/// own conversions apply to their entries. `None` without entries.
pub fn weighted(stage: &super::Stage, entries: &[(Option<&str>, f64)]) -> Option<f64> {
    let total: f64 = entries.iter().map(|(_, e)| e).sum();
    if total <= 0.0 {
        return None;
    }
    let base = transitions::conversion(stage);
    let sum: f64 = entries
        .iter()
        .map(|(c, e)| {
            let own = c.and_then(|c| stage.channel_conversions.iter().find(|x| x.channel == c));
            e * own.map_or(base, |x| x.conversion)
        })
        .sum();
    Some(sum / total)
}
