//! Channels whose leads convert at their own rate (`конверсия_по_каналам`,
//! `model::segments`), as the engine sees them: each such channel gets its own copy of the
//! stages of the pipeline it feeds, appended after the regulation's stages, with the exits of
//! the channel's model; its leads enter the copy, a move within the pipeline stays in the
//! copy, a move out of it goes to the regulation's stages. A copy keeps its stage's pipeline,
//! name, roles and work, so capacity is shared and everything that finds stages by name (the
//! KPIs' scopes, the trace) counts the copies with their stage; the results fold the copies'
//! figures into their stage (`fold`). The analysis solves the same expansion
//! (`analyze::segments`).
//!
//! The expansion itself is `params::expand_segments` (it builds the copies' outcomes as the
//! stages' own); a model without conversions by channel is passed through unchanged.

use super::params::StageParams;

/// The stages as the results show them: the indices of each regulation stage's figures (its
/// own and its copies'), in the order of the stages. Every group has one index when no
/// channel has conversions of its own.
pub(super) fn fold(stages: &[StageParams]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (s, st) in stages.iter().enumerate() {
        match groups.iter_mut().find(|g| {
            let first = &stages[g[0]];
            first.pipeline == st.pipeline
                && first.name == st.name
                && first.pipeline_index == st.pipeline_index
        }) {
            Some(g) => g.push(s),
            None => groups.push(vec![s]),
        }
    }
    groups
}

/// The result of a stage and its copies (`group`, indices into the stages): per replication
/// the counts summed and the days in the stage averaged over the leads that left each copy;
/// `column(s, k)` is field `k` of stage `s` over the replications (entered, converted, lost,
/// cold, wip, days).
pub(super) fn folded(
    st: &StageParams,
    group: &[usize],
    column: impl Fn(usize, usize) -> Vec<f64>,
) -> super::StageResult {
    let sum = |k: usize| -> Vec<f64> {
        let mut total: Vec<f64> = Vec::new();
        for &s in group {
            let c = column(s, k);
            if total.is_empty() {
                total = c;
            } else {
                total.iter_mut().zip(c).for_each(|(t, x)| *t += x);
            }
        }
        total
    };
    let days = {
        let mut weighted: Vec<(f64, f64)> = Vec::new();
        for &s in group {
            let (d, conv, lost) = (column(s, 5), column(s, 1), column(s, 2));
            if weighted.is_empty() {
                weighted = vec![(0.0, 0.0); d.len()];
            }
            for (r, w) in weighted.iter_mut().enumerate() {
                let left = conv[r] + lost[r];
                if d[r].is_finite() && left > 0.0 {
                    w.0 += d[r] * left;
                    w.1 += left;
                }
            }
        }
        weighted
            .into_iter()
            .map(|(d, n)| if n > 0.0 { d / n } else { f64::NAN })
            .collect()
    };
    let stats = |v: Vec<f64>| super::Stats::of(v).unwrap_or_default();
    super::StageResult {
        pipeline: st.pipeline.clone(),
        stage: st.name.clone(),
        entered: stats(sum(0)),
        converted: stats(sum(1)),
        lost: stats(sum(2)),
        cold: stats(sum(3)),
        wip: stats(sum(4)),
        days_in_stage: super::Stats::of(days),
    }
}
