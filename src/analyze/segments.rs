//! A channel's own flow when stages convert its leads at their own rate
//! (`конверсия_по_каналам`, `model::segments`): the chain gets a copy of the pipeline the
//! channel feeds, with the exits of the channel's model; its leads start in the copy, a move
//! within the pipeline stays in the copy, and a move out of it goes to the regulation's
//! stages (where everyone converts alike). The visits of the copy are then the visits of the
//! stages it copies — the same expansion the forecast runs (`sim::segments`).

use super::markov::{Chain, Target};
use super::{PipelineShare, States, build_chain, won};
use crate::model::Model;

/// What one lead of a channel does: expected visits to every stage of the model (by state) and
/// the probability of a win in each pipeline.
pub(super) struct Flow {
    pub visits: Vec<f64>,
    pub p_won: f64,
    pub won_by_pipeline: Vec<PipelineShare>,
}

/// The chain of the model with a copy of the pipeline channel `ci` feeds, when its leads
/// convert at their own rate there: the copy's states follow the model's (`n + k` copies
/// state `first + k`, `n` the model's states); its first state is where the channel's leads
/// enter. Returns the chain and `first`.
pub(super) fn augmented(model: &Model, states: &States, chain: &Chain, ci: usize) -> Option<(Chain, usize)> {
    let (pi, own) = crate::model::segments::for_channel(model, ci)?;
    let own_chain = build_chain(&own, states, &mut Vec::new());
    let n = chain.edges.len();
    let first = states.list.iter().position(|&(p, _)| p == pi)?;
    let count = model.pipelines[pi].stages.len();
    let copy = |state: usize| (first..first + count).contains(&state).then(|| n + state - first);
    let mut edges = chain.edges.clone();
    for state in first..first + count {
        let out = own_chain.edges[state]
            .iter()
            .map(|&(to, p)| match to {
                Target::Transient(j) => (Target::Transient(copy(j).unwrap_or(j)), p),
                absorbing => (absorbing, p),
            })
            .collect();
        edges.push(out);
    }
    Some((
        Chain {
            edges,
            absorbing: chain.absorbing,
        },
        first,
    ))
}

/// The flow of a lead of channel `ci` when some stage of its pipeline names it; `None` when it
/// converts as everyone else (or its chain cannot be solved: the pipeline's own outcome is
/// then missing too).
pub(super) fn channel_flow(model: &Model, states: &States, chain: &Chain, ci: usize) -> Option<Flow> {
    let (augmented, first) = augmented(model, states, chain, ci)?;
    let n = chain.edges.len();
    let count = augmented.edges.len() - n;
    let abs = augmented.from_start(n).ok()?;
    let mut visits = abs.visits[..n].to_vec();
    for k in 0..count {
        visits[first + k] += abs.visits[n + k];
    }
    let won_by_pipeline: Vec<PipelineShare> = model
        .pipelines
        .iter()
        .enumerate()
        .filter_map(|(wi, p)| {
            let probability = abs.absorbed.get(won(wi)).copied().unwrap_or(0.0);
            (probability > 0.0).then(|| PipelineShare {
                pipeline: p.name.clone(),
                probability,
            })
        })
        .collect();
    Some(Flow {
        visits,
        p_won: won_by_pipeline.iter().map(|s| s.probability).sum(),
        won_by_pipeline,
    })
}
