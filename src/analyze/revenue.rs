//! The revenue each role brings in, per month in the analysis' steady state: the base of the
//! role's revenue bonus in the documents (`planning::pay`) and of its bonus cost in the
//! forecast (`sim::params`). Reads the model and the chain of [`super::analyze`]; prints nothing.
//!
//! The rule, first that applies:
//!
//! 1. **The role owns stages** (a stage's `ответственный`, else its pipeline's): the revenue of
//!    the deals won in the pipelines of those stages that passed at least one of them — a
//!    closer is credited with the deals it closes, a hunter with the deals it found that were
//!    won. A deal handed to a pipeline where the role owns no stage is credited there, not here.
//!    With `F_k` the probability that a deal entering from a channel reaches the role's stage
//!    `s_k` before any other of its stages (the chain with the role's stages made absorbing)
//!    and `W_P(s_k)` the probability of a win in pipeline `P` from `s_k`, the revenue is
//!    `Σ_channels leads × Σ_k F_k × Σ_P W_P(s_k) × purchases per won client(P) × mean deal(P)`.
//! 2. **People reporting to it own stages** (directly or further down): the revenue won in the
//!    pipelines where they own stages — a head of sales is credited with his team's pipelines.
//! 3. **Otherwise** the department's revenue.
//!
//! Roles of rule 1 that share deals (a hunter and a closer) are credited with the same deals:
//! each is paid on the deals it worked. The figures are linear in lead volume, so at a plan
//! that is `f` times the expected revenue each role's base is `f` times its figure here.

use super::markov::{Chain, Target};
use super::{Analysis, StageRef, States, build_chain, won};
use crate::model::{Destination, Model};
use serde::Serialize;

/// Which deals a role's revenue comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RevenueBasis {
    /// The won deals that passed the role's stages, in the pipelines of those stages.
    Stages {
        stages: Vec<StageRef>,
        pipelines: Vec<String>,
    },
    /// The revenue won in the pipelines where the people reporting to the role own stages (those
    /// with wins).
    Team { pipelines: Vec<String> },
    /// The department's revenue.
    Department,
}

/// The revenue one role brings in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleRevenue {
    pub role: String,
    pub basis: RevenueBasis,
    /// Per month, steady state, capacity ignored (as everything in the analysis).
    pub revenue_per_month: f64,
    /// `revenue_per_month` ÷ the department's; 1 for [`RevenueBasis::Department`], 0 when the
    /// department has no revenue.
    pub share_of_department: f64,
}

/// The stage owner the model means: the stage's `ответственный`, else the pipeline's.
fn owner(model: &Model, pi: usize, si: usize) -> Option<&str> {
    let p = &model.pipelines[pi];
    p.stages[si].owner.as_deref().or(p.owner.as_deref())
}

/// The revenue every role of the model brings in, in model order.
pub fn role_revenue(model: &Model, analysis: &Analysis) -> Vec<RoleRevenue> {
    let states = States::new(model);
    let chain = build_chain(model, &states, &mut Vec::new());
    let department = analysis.department.revenue_per_month;
    // Revenue per win in a pipeline, repeat purchases included.
    let per_win: Vec<f64> = analysis
        .pipelines
        .iter()
        .map(|p| p.purchases_per_won_client * p.mean_deal_size.unwrap_or(0.0))
        .collect();
    let won_in = |pi: usize| -> f64 {
        let name = &model.pipelines[pi].name;
        analysis
            .department
            .won_by_pipeline
            .iter()
            .find(|f| &f.pipeline == name)
            .map_or(0.0, |f| f.revenue_per_month)
    };
    let owned = |role: &str| -> Vec<usize> {
        (0..states.list.len())
            .filter(|&s| {
                let (pi, si) = states.list[s];
                owner(model, pi, si) == Some(role)
            })
            .collect()
    };
    model
        .roles
        .iter()
        .map(|r| {
            let mine = owned(&r.name);
            let (basis, revenue) = if !mine.is_empty() {
                let mut pipes: Vec<usize> = mine.iter().map(|&s| states.list[s].0).collect();
                pipes.sort_unstable();
                pipes.dedup();
                let revenue = through(model, analysis, &states, &chain, &mine, &pipes, &per_win);
                let basis = RevenueBasis::Stages {
                    stages: mine.iter().map(|&s| states.stage_ref(model, s)).collect(),
                    pipelines: pipes.iter().map(|&p| model.pipelines[p].name.clone()).collect(),
                };
                (basis, revenue)
            } else {
                let mut pipes: Vec<usize> = team(model, &r.name)
                    .iter()
                    .flat_map(|m| owned(m))
                    .map(|s| states.list[s].0)
                    .collect();
                pipes.sort_unstable();
                pipes.dedup();
                // Only the pipelines where deals are won (a nurturing pipeline hands its deals on).
                pipes.retain(|&p| won_in(p) > 0.0);
                if pipes.is_empty() {
                    (RevenueBasis::Department, department)
                } else {
                    let revenue = pipes.iter().map(|&p| won_in(p)).sum();
                    let basis = RevenueBasis::Team {
                        pipelines: pipes.iter().map(|&p| model.pipelines[p].name.clone()).collect(),
                    };
                    (basis, revenue)
                }
            };
            let share_of_department = match basis {
                RevenueBasis::Department => 1.0,
                _ if department > 0.0 => revenue / department,
                _ => 0.0,
            };
            RoleRevenue {
                role: r.name.clone(),
                basis,
                revenue_per_month: revenue,
                share_of_department,
            }
        })
        .collect()
}

/// The roles reporting to `head`, directly or further down (each once, loops cut).
fn team<'m>(model: &'m Model, head: &str) -> Vec<&'m str> {
    let mut out: Vec<&str> = Vec::new();
    let mut stack = vec![head];
    while let Some(h) = stack.pop() {
        for r in &model.roles {
            if r.reports_to.as_deref() == Some(h) && r.name != head && !out.contains(&r.name.as_str()) {
                out.push(&r.name);
                stack.push(&r.name);
            }
        }
    }
    out
}

/// Revenue per month of the deals won in `pipes` that passed at least one of `mine`.
fn through(
    model: &Model,
    analysis: &Analysis,
    states: &States,
    chain: &Chain,
    mine: &[usize],
    pipes: &[usize],
    per_win: &[f64],
) -> f64 {
    // What a deal now in each of the role's stages is worth: wins in the role's pipelines.
    let value = stage_values(chain, mine, pipes, per_win);
    // The first of the role's stages a deal reaches: those stages made absorbing.
    let (first, base) = first_reached(chain, mine);
    let mut revenue = 0.0;
    for (ci, (ch, c)) in model.channels.iter().zip(&analysis.channels).enumerate() {
        let Some(entry) = ch
            .pipeline
            .as_deref()
            .and_then(|name| model.pipeline(name))
            .and_then(|p| p.stages.first().and_then(|s| states.find(&p.name, &s.name)))
        else {
            continue;
        };
        // A channel with conversions of its own goes through its copy of the pipeline
        // (`segments`), the copies of the role's stages counting as the role's.
        if let Some((own, copied)) = super::segments::augmented(model, states, chain, ci) {
            revenue += c.leads_per_month * own_through(&own, copied, chain.edges.len(), mine, pipes, per_win);
            continue;
        }
        let Ok(abs) = first.from_start(entry) else {
            continue;
        };
        let reached: f64 = value
            .iter()
            .enumerate()
            .map(|(k, v)| abs.absorbed[base + k] * v)
            .sum();
        revenue += c.leads_per_month * reached;
    }
    // The deals the won clients start where their pipeline hands them on (`после_выигрыша`):
    // as many a month as the pipeline wins, each entering its target stage.
    for (pi, p) in model.pipelines.iter().enumerate() {
        let Some(Destination::Stage { pipeline, stage }) = p.after_win.as_ref().map(|a| &a.to) else {
            continue;
        };
        let Some(target) = states.find(pipeline, stage) else {
            continue;
        };
        let handed = analysis
            .department
            .won_by_pipeline
            .iter()
            .find(|f| f.pipeline == model.pipelines[pi].name)
            .map_or(0.0, |f| f.first_deals_per_month);
        let Ok(abs) = first.from_start(target) else {
            continue;
        };
        let reached: f64 = value
            .iter()
            .enumerate()
            .map(|(k, v)| abs.absorbed[base + k] * v)
            .sum();
        revenue += handed * reached;
    }
    revenue
}

/// The value a lead entering the copy (state `n`, copying state `copied`) brings through the
/// role's stages `mine` and their copies, on the channel's chain `own` (`segments::augmented`).
fn own_through(
    own: &Chain,
    copied: usize,
    n: usize,
    mine: &[usize],
    pipes: &[usize],
    per_win: &[f64],
) -> f64 {
    let count = own.edges.len() - n;
    let mut stages: Vec<usize> = mine.to_vec();
    stages.extend((0..count).filter(|k| mine.contains(&(copied + k))).map(|k| n + k));
    let value = stage_values(own, &stages, pipes, per_win);
    let (first, base) = first_reached(own, &stages);
    let Ok(abs) = first.from_start(n) else {
        return 0.0;
    };
    value
        .iter()
        .enumerate()
        .map(|(k, v)| abs.absorbed[base + k] * v)
        .sum()
}

/// What a deal now in each of `stages` is worth: its expected wins in `pipes` × their revenue.
fn stage_values(chain: &Chain, stages: &[usize], pipes: &[usize], per_win: &[f64]) -> Vec<f64> {
    stages
        .iter()
        .map(|&s| match chain.from_start(s) {
            Ok(abs) => pipes
                .iter()
                .map(|&p| abs.absorbed.get(won(p)).copied().unwrap_or(0.0) * per_win[p])
                .sum(),
            Err(_) => 0.0,
        })
        .collect()
}

/// The chain with `stages` made absorbing (the k-th as absorbing state `base + k`, `base` =
/// the chain's own count): where it is absorbed is the first of them a deal reaches.
fn first_reached(chain: &Chain, stages: &[usize]) -> (Chain, usize) {
    let base = chain.absorbing;
    let mut first = chain.clone();
    first.absorbing = base + stages.len();
    for (k, &s) in stages.iter().enumerate() {
        first.edges[s] = vec![(Target::Absorbing(base + k), 1.0)];
    }
    (first, base)
}
