//! Transitions that take time (`отказ -> Прогрев через 30 дн`, `после_выигрыша -> Сопровождение
//! через 5 дн`), as the engine, the exact walk (`fluid`) and the settled start (`start`) see
//! them: each delayed way out becomes a *transit stage* of its own, appended after the
//! regulation's stages — no work, a fixed duration of the delay, and one outcome to where the
//! delay leads. Leads in transit are in no stage of the regulation; the transit stages are
//! internal (the outputs show the first `Params::stages.len()` stages only), and a transit
//! stage belongs to the pipeline the deal leaves, so a hand-off to another pipeline counts when
//! the deal arrives there.
//!
//! A model without delays is passed through unchanged (borrowed), so its forecast is the one
//! it always was.

use super::params::{Dest, Outcome, Params, StageParams};
use crate::model::Distribution;
use std::borrow::Cow;

/// `p` with a transit stage for every delayed outcome and every delayed hand-off after a win;
/// the delays are then 0 and the outcomes lead to their transit stages. A delay on the way to
/// *lost* changes nothing anyone sees and is dropped.
pub fn expand(p: &Params) -> Cow<'_, Params> {
    let delayed = p
        .stages
        .iter()
        .any(|s| s.outcomes.iter().any(|o| o.delay_days > 0.0))
        || p.pipelines
            .iter()
            .any(|pl| pl.after_win.is_some_and(|(_, d)| d > 0.0));
    if !delayed {
        return Cow::Borrowed(p);
    }
    let mut q = p.clone();
    for s in 0..p.stages.len() {
        for o in 0..p.stages[s].outcomes.len() {
            let out = p.stages[s].outcomes[o];
            if out.delay_days <= 0.0 {
                continue;
            }
            q.stages[s].outcomes[o].delay_days = 0.0;
            if out.dest == Dest::Lost {
                continue;
            }
            let from = &p.stages[s];
            let t = transit(&mut q, from, out.dest, out.delay_days);
            q.stages[s].outcomes[o].dest = Dest::Stage(t);
        }
    }
    for pi in 0..p.pipelines.len() {
        if let Some((to, delay)) = p.pipelines[pi].after_win
            && delay > 0.0
        {
            let Some(from) = p.stages.iter().find(|s| s.pipeline_index == pi) else {
                continue;
            };
            let t = transit(&mut q, from, Dest::Stage(to), delay);
            q.pipelines[pi].after_win = Some((t, 0.0));
        }
    }
    Cow::Owned(q)
}

/// Appends a transit stage of `from`'s pipeline that holds a lead `days` and sends it to `to`.
fn transit(q: &mut Params, from: &StageParams, to: Dest, days: f64) -> usize {
    let value = match to {
        Dest::Stage(j) => q.stages[j].value,
        _ => from.value,
    };
    q.stages.push(StageParams {
        pipeline: from.pipeline.clone(),
        name: format!("{} → через {days} дн", from.name),
        pipeline_index: from.pipeline_index,
        work: Vec::new(),
        duration: Distribution::Fixed { value: days },
        outcomes: vec![Outcome {
            dest: to,
            probability: 1.0,
            success: true,
            delay_days: 0.0,
        }],
        wait_limit_days: None,
        release: None,
        decay_per_day: 0.0,
        contacts: Vec::new(),
        value,
        owner: None,
        talk: Vec::new(),
        reasons: vec![None],
    });
    q.stages.len() - 1
}
