//! Exact, deterministic steady-state answers computed from the [`Model`]: the ground truth a
//! Monte Carlo simulation must agree with. Reads only the model; knows nothing of the syntax
//! tree, the graph or the command line, and never panics, whatever the model holds.
//!
//! # The chain
//!
//! One absorbing Markov chain covers the whole model. Its transient states are all stages of
//! all pipelines; its absorbing states are *won* and *lost* of every pipeline. A stage moves a
//! deal along each of its `transitions` with that transition's `probability`; `Won` and `Lost`
//! are the exits of the stage's **own** pipeline, `Stage { pipeline, stage }` is another state
//! (possibly in another pipeline, possibly earlier: loops are allowed).
//!
//! - A contact with `дозвон` (reach) has its `иначе` route among the stage's transitions
//!   (`TransitionKind::Unreached`, built once in lowering, the written transitions scaled by the
//!   reached share), so it is part of the chain like any transition. `Contact.otherwise` of a
//!   contact without `дозвон` is **ignored**: the model gives no probability for it, and the
//!   stage transitions already carry the stage's whole outcome.
//! - A stage's exits and their probabilities are read by `model::transitions::exits`, the one
//!   reading the forecast shares: probabilities that are negative or not finite count as 0;
//!   when a stage's probabilities sum to less than 1, the missing mass goes to *lost* of the
//!   stage's pipeline; when they sum to more than 1, they are scaled down to sum to 1 (both
//!   beyond `model::transitions::SUM_EPS`); a transition to a stage that does not exist goes to
//!   *lost*. All three are reported as [`Note`]s. A stage without transitions (a model not
//!   built by lowering) sends its conversion to the next stage, the rest to *lost*.
//!
//! From a pipeline's entry (its first stage) the chain is solved over the stages reachable
//! from it: with `Q` the transient-to-transient block and `R` the transient-to-absorbing block,
//! the fundamental matrix `N = (I − Q)⁻¹` gives
//!
//! - `visits` of stage *s*: `N[entry][s]`, the expected number of times a deal that enters the
//!   pipeline passes through *s* (the entry's own visit counts; loops make it exceed 1);
//! - `p_won` / `p_lost` split by the pipeline where the deal ends: `(N·R)[entry][won/lost of P]`;
//! - `expected_days`: the expected time to absorption, `Σ_s visits(s) × mean duration(s)`, with
//!   the mean of the stage's `duration_days` distribution plus, with `старт`, the mean wait for
//!   a start (`Stage::mean_stay_days`); a stage without either counts 0
//!   days and is listed in `stages_without_duration`.
//!
//! If `I − Q` is singular — a set of reachable stages from which no exit can be reached — the
//! pipeline's `outcome` is `None` and `trapped_stages` names those stages.
//!
//! # Channels and the department (per month, steady state)
//!
//! - `leads_per_month` = `Channel.leads_per_month` × the mean of its seasonality factors (1
//!   without seasonality): the average month of the year.
//! - `first_deals_per_month` = leads × `p_won` from the entry of the channel's pipeline, split
//!   by the pipeline where the win happens. `new_clients_per_month` counts only first deals won
//!   in pipelines that are not of kind `account` (account management sells to existing
//!   clients).
//! - Repeat purchases: with `Pipeline.repeat.probability` = p in [0, 1) every purchase, repeats
//!   included, is followed by another with probability p, so a client won in that pipeline makes
//!   `1 / (1 − p)` purchases in expectation (`purchases_per_won_client`). `purchases_per_month`
//!   = Σ over pipelines of first deals × that factor: the steady-state rate once repeat cycles
//!   have filled, not the first months of a new department.
//! - `revenue_per_month` = Σ over pipelines of purchases won in the pipeline × the mean of its
//!   `deal_size` (0 when the pipeline has none, noted when it wins deals).
//! - Channels without a pipeline bring leads but no deals. Capacity is ignored throughout.
//! - `stage_entries`: expected deals entering each stage per month, Σ over channels of leads ×
//!   visits from the channel's entry.
//!
//! # Roles
//!
//! - Work demanded per month by role *r* = Σ over stages of `stage_entries(s)` × Σ of
//!   the expected minutes per deal of the contacts in *s*'s chain whose role is *r* (the
//!   contact's `owner`, else the stage's `owner`), from `Stage::contact_minutes`: minutes ×
//!   expected attempts (1 − (1 − r)^N) / r × the share reached by the earlier contacts. A contact
//!   with `attempts` and no `дозвон` counts once, so for it this is a lower bound.
//!   Contacts with no role at all are summed in `unassigned_work_minutes_per_month`.
//! - Triggers (`триггер`) add their work to their role's demand: see [`triggers`] for the
//!   rates (per deal entering a stage; date fields once a year per client won in the last year).
//! - Meetings are listed separately and not part of the load: per occurrence each role among the
//!   participants and the owner (each role once) spends `duration_minutes` × its headcount;
//!   occurrences per month are working days per month (daily), working days / work-week days
//!   (weekly, i.e. 52 / 12), 1, 1/3 or 1/12 (monthly, quarterly, yearly), 0 without a period.
//! - Minutes per person per month = `work_day_hours` × 60 × `selling_share` × working days per
//!   month (`Header::working_days_per_month`); available = headcount × that. A role with its own
//!   schedule (`дни`, `смены` with `график`) gets `Role::capacity` instead — its days per the
//!   regulation's working day, capped at the shifts' on-duty minutes — averaged per head.
//! - `load` = demanded / available (`None` when nothing is available); `overloaded` when the
//!   load exceeds 1 (or work is demanded and nothing is available); `bottleneck` on the busiest
//!   role when its load reaches [`BOTTLENECK_LOAD`] (85%) — the one rule every output follows;
//!   `headcount_needed` = ⌈demanded / minutes per person⌉. Work is counted in minutes, not in
//!   whole leads a day: a contact longer than what is left of a day, or than a whole selling day,
//!   continues on the next days — the rule the forecast's engine follows too (docs/architecture.md,
//!   "Capacity and queues").
//!
//! # Plan
//!
//! Each plan target is averaged over the horizon by `model::Plan::mean_per_month`, the one plan
//! average the documents and the forecast read too: the plan's `горизонт` (else the header's,
//! else 12 months), a list shorter than the horizon repeating its last value. Revenue is compared with `revenue_per_month`, deals with
//! `purchases_per_month`, new clients with `new_clients_per_month`. `gap` = plan − expected
//! (positive: short of plan); `lead_multiplier` = plan / expected, the factor on every channel's
//! lead volume that meets the target (everything here is linear in lead volume); headcount per
//! role is recomputed at that volume.

pub mod cycle;
mod load;
pub mod markov;
pub mod release;
mod revenue;
pub mod sampling;
mod segments;
mod triggers;

pub use load::{BOTTLENECK_LOAD, MeetingWork, RoleLoad, SamplingWork, StageWork, binds, bottleneck, busiest};
pub use revenue::{RevenueBasis, RoleRevenue, role_revenue};
pub use triggers::TriggerWork;

use crate::diag::Lang;
use crate::model::{Currency, Destination, Model, PipelineKind, PlanMetric, transitions};
use markov::{Chain, Target};
use serde::Serialize;
use std::collections::HashMap;

/// Everything [`analyze`] computes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub currency: Currency,
    pub working_days_per_month: f64,
    pub pipelines: Vec<PipelineAnalysis>,
    pub channels: Vec<ChannelAnalysis>,
    pub department: Department,
    pub roles: Vec<RoleLoad>,
    pub plan: Option<PlanGap>,
    /// Quality-control samples as work (`sampling`), controls with a `выборка` in model order.
    pub sampling: Vec<sampling::ControlSampling>,
    /// The deal cycle of won deals in working days and of all deals in calendar days.
    pub cycles: Vec<cycle::Cycle>,
    /// Costs a month at the settled rates.
    pub costs: Costs,
    /// Stages with scheduled starts (`старт`): starts, wait, group per start.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub starts: Vec<release::StartFlow>,
    /// Assumptions made about inconsistent or incomplete input.
    pub notes: Vec<Note>,
    /// [`stage_values`], from the same chain (not printed: the CRM's deal probabilities read
    /// it, so `check` builds the chain once).
    #[serde(skip)]
    pub stage_values: Vec<StageValue>,
}

/// Costs a month at the settled rates: pay (salaries at headcount, a salary range at its
/// midpoint), leads (leads a month × `стоимость_лида`) and the budgets of units and channels
/// (`бюджет`, each range at its midpoint; both ends kept). Bonuses depend on results and are the
/// forecast's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Costs {
    pub salaries_per_month: f64,
    pub leads_per_month: f64,
    pub budgets: crate::model::MoneyRange,
    pub budgets_per_month: f64,
    pub total_per_month: f64,
}

/// A stage named by its pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageRef {
    pub pipeline: String,
    pub stage: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineAnalysis {
    pub name: String,
    pub title: Option<String>,
    pub kind: PipelineKind,
    /// The first stage, where a deal entering the pipeline starts.
    pub entry_stage: Option<String>,
    /// Mean of `deal_size`, when given.
    pub mean_deal_size: Option<f64>,
    /// The repeat probability used (0 without repeats or when it is not below 1).
    pub repeat_probability: f64,
    /// `1 / (1 − repeat_probability)`.
    pub purchases_per_won_client: f64,
    /// What happens to a deal entering at `entry_stage`; `None` without stages or when the
    /// chain cannot be solved.
    pub outcome: Option<Outcome>,
    /// Stages reachable from the entry from which no exit is reachable.
    pub trapped_stages: Vec<StageRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub p_won: f64,
    /// Where the wins happen (pipelines with a positive probability, model order).
    pub won_by_pipeline: Vec<PipelineShare>,
    pub p_lost: f64,
    pub lost_by_pipeline: Vec<PipelineShare>,
    /// Expected visits to every reachable stage: the pipeline's own stages first, then those
    /// of other pipelines, each in model order.
    pub stages: Vec<StageVisits>,
    /// Expected days from entry to won or lost.
    pub expected_days: f64,
    /// Reachable stages without a duration (counted as 0 days).
    pub stages_without_duration: Vec<StageRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineShare {
    pub pipeline: String,
    pub probability: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageVisits {
    pub pipeline: String,
    pub stage: String,
    pub visits: f64,
    pub mean_duration_days: Option<f64>,
    /// `visits × mean_duration_days`.
    pub expected_days: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelAnalysis {
    pub name: String,
    pub title: Option<String>,
    pub pipeline: Option<String>,
    /// `Channel.leads_per_month` as written.
    pub nominal_leads_per_month: f64,
    /// Mean of the twelve seasonality factors (1 without seasonality).
    pub seasonality_mean: f64,
    pub leads_per_month: f64,
    pub p_won: f64,
    pub first_deals_per_month: f64,
    pub new_clients_per_month: f64,
    pub purchases_per_month: f64,
    pub revenue_per_month: f64,
    pub won_by_pipeline: Vec<PipelineFlow>,
}

/// Deals won in one pipeline, per month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineFlow {
    pub pipeline: String,
    pub first_deals_per_month: f64,
    pub purchases_per_month: f64,
    pub revenue_per_month: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageFlow {
    pub pipeline: String,
    pub stage: String,
    pub entries_per_month: f64,
}

/// The sum over channels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Department {
    pub leads_per_month: f64,
    /// The share of the department's leads that end in a first won deal (first deals / leads,
    /// the leads-weighted P(won) of the channels); `None` without leads.
    pub p_won: Option<f64>,
    pub first_deals_per_month: f64,
    pub new_clients_per_month: f64,
    pub purchases_per_month: f64,
    pub revenue_per_month: f64,
    pub won_by_pipeline: Vec<PipelineFlow>,
    /// Stages entered at least sometimes, model order.
    pub stage_entries: Vec<StageFlow>,
    pub unassigned_work_minutes_per_month: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanGap {
    pub horizon_months: Option<f64>,
    pub targets: Vec<TargetGap>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetGap {
    pub metric: PlanMetric,
    pub plan_per_month: f64,
    pub expected_per_month: f64,
    /// plan − expected: positive when short of plan.
    pub gap_per_month: f64,
    /// expected / plan (`None` when the plan is 0).
    pub attainment: Option<f64>,
    /// plan / expected (`None` when nothing is expected).
    pub lead_multiplier: Option<f64>,
    /// Headcount per role at the multiplied lead volume (roles with work demanded).
    pub headcount: Vec<RoleNeed>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleNeed {
    pub role: String,
    pub headcount: u32,
    /// `None` when the role has no selling time or the multiplier is unknown.
    pub needed: Option<u32>,
}

/// An assumption the analysis made about the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    EmptyPipeline {
        pipeline: String,
    },
    ClosedLoop {
        pipeline: String,
        stages: Vec<StageRef>,
    },
    UnknownTarget {
        pipeline: String,
        stage: String,
        target: StageRef,
    },
    ProbabilitiesAboveOne {
        pipeline: String,
        stage: String,
        sum: f64,
    },
    ProbabilitiesBelowOne {
        pipeline: String,
        stage: String,
        missing: f64,
    },
    ChannelWithoutPipeline {
        channel: String,
    },
    UnknownPipeline {
        channel: String,
        pipeline: String,
    },
    MissingDealSize {
        pipeline: String,
    },
    RepeatIgnored {
        pipeline: String,
        probability: f64,
    },
    ContactWithoutRole {
        pipeline: String,
        stage: String,
    },
    UnknownRole {
        role: String,
    },
    MeetingWithoutPeriod {
        meeting: String,
    },
    /// A role with `штат 0` that has work (E0044; W0025 when it gets staff by `найм`): the
    /// figures here count its deals, the forecast gives its work no time until a hire joins.
    RoleWithoutStaff {
        role: String,
        hires: bool,
    },
    /// `смены 2` without the people per shift: the staff is assumed split evenly.
    ShiftsSplitEvenly {
        role: String,
        shifts: u32,
        headcount: u32,
        per_shift: f64,
    },
}

impl Note {
    /// The note as a sentence for the reader.
    pub fn text(&self, lang: Lang) -> String {
        let pct = |x: f64| format!("{:.1}%", x * 100.0);
        match (self, lang) {
            (Note::EmptyPipeline { pipeline }, Lang::Ru) => format!("в воронке {pipeline} нет этапов"),
            (Note::EmptyPipeline { pipeline }, Lang::En) => format!("pipeline {pipeline} has no stages"),
            (Note::ClosedLoop { pipeline, stages }, _) => {
                let list = stages
                    .iter()
                    .map(|s| format!("{}.{}", s.pipeline, s.stage))
                    .collect::<Vec<_>>()
                    .join(", ");
                match lang {
                    Lang::Ru => format!(
                        "воронку {pipeline} нельзя рассчитать: из этапов {list} нет выхода в выиграно или проиграно"
                    ),
                    Lang::En => {
                        format!("pipeline {pipeline} cannot be solved: stages {list} never reach won or lost")
                    }
                }
            }
            (
                Note::UnknownTarget {
                    pipeline,
                    stage,
                    target,
                },
                Lang::Ru,
            ) => format!(
                "переход из {pipeline}.{stage} ведёт на неизвестный этап {}.{}; считается проигрышем",
                target.pipeline, target.stage
            ),
            (
                Note::UnknownTarget {
                    pipeline,
                    stage,
                    target,
                },
                Lang::En,
            ) => format!(
                "a transition of {pipeline}.{stage} leads to an unknown stage {}.{}; counted as lost",
                target.pipeline, target.stage
            ),
            (Note::ProbabilitiesAboveOne { pipeline, stage, sum }, Lang::Ru) => format!(
                "вероятности переходов этапа {pipeline}.{stage} в сумме {}; приведены к 100%",
                pct(*sum)
            ),
            (Note::ProbabilitiesAboveOne { pipeline, stage, sum }, Lang::En) => format!(
                "the transition probabilities of {pipeline}.{stage} sum to {}; scaled to 100%",
                pct(*sum)
            ),
            (
                Note::ProbabilitiesBelowOne {
                    pipeline,
                    stage,
                    missing,
                },
                Lang::Ru,
            ) => format!(
                "вероятности переходов этапа {pipeline}.{stage} не добирают {} до 100%; остаток считается проигрышем",
                pct(*missing)
            ),
            (
                Note::ProbabilitiesBelowOne {
                    pipeline,
                    stage,
                    missing,
                },
                Lang::En,
            ) => format!(
                "the transition probabilities of {pipeline}.{stage} fall {} short of 100%; the rest counts as lost",
                pct(*missing)
            ),
            (Note::ChannelWithoutPipeline { channel }, Lang::Ru) => {
                format!("у канала {channel} нет воронки: его лиды не дают сделок")
            }
            (Note::ChannelWithoutPipeline { channel }, Lang::En) => {
                format!("channel {channel} has no pipeline: its leads bring no deals")
            }
            (Note::UnknownPipeline { channel, pipeline }, Lang::Ru) => {
                format!("канал {channel} ведёт в неизвестную воронку {pipeline}: его лиды не дают сделок")
            }
            (Note::UnknownPipeline { channel, pipeline }, Lang::En) => {
                format!("channel {channel} feeds an unknown pipeline {pipeline}: its leads bring no deals")
            }
            (Note::MissingDealSize { pipeline }, Lang::Ru) => {
                format!("у воронки {pipeline} не задан чек: её сделки дают 0 выручки")
            }
            (Note::MissingDealSize { pipeline }, Lang::En) => {
                format!("pipeline {pipeline} has no deal size: its deals count as 0 revenue")
            }
            (
                Note::RepeatIgnored {
                    pipeline,
                    probability,
                },
                Lang::Ru,
            ) => format!(
                "повтор {} в воронке {pipeline} не меньше 100% или не число: повторные покупки не учтены",
                pct(*probability)
            ),
            (
                Note::RepeatIgnored {
                    pipeline,
                    probability,
                },
                Lang::En,
            ) => format!(
                "repeat {} in pipeline {pipeline} is not below 100%: repeat purchases are not counted",
                pct(*probability)
            ),
            (Note::ContactWithoutRole { pipeline, stage }, Lang::Ru) => format!(
                "у контактов этапа {pipeline}.{stage} нет ответственного: их минуты не отнесены ни к одной роли"
            ),
            (Note::ContactWithoutRole { pipeline, stage }, Lang::En) => {
                format!("contacts of {pipeline}.{stage} have no owner: their minutes belong to no role")
            }
            (
                Note::ShiftsSplitEvenly {
                    role,
                    shifts,
                    headcount,
                    per_shift,
                },
                Lang::Ru,
            ) => format!(
                "у роли {role} {shifts} {} без численности на смене: допущение — штат {headcount} делится поровну, {} на смене",
                crate::locale::plural_ru(u64::from(*shifts), "смена", "смены", "смен"),
                crate::diag::kind::num(*per_shift, Lang::Ru)
            ),
            (
                Note::ShiftsSplitEvenly {
                    role,
                    shifts,
                    headcount,
                    per_shift,
                },
                Lang::En,
            ) => format!(
                "role {role} has {shifts} shifts with no people per shift: assumed the staff of {headcount} split evenly, {} per shift",
                crate::diag::kind::num(*per_shift, Lang::En)
            ),
            (Note::UnknownRole { role }, Lang::Ru) => {
                format!("роль {role} не описана: её штат считается равным 0")
            }
            (Note::UnknownRole { role }, Lang::En) => {
                format!("role {role} is not defined: its headcount counts as 0")
            }
            (Note::MeetingWithoutPeriod { meeting }, Lang::Ru) => {
                format!("у совещания {meeting} нет частоты: его время не учтено")
            }
            (Note::MeetingWithoutPeriod { meeting }, Lang::En) => {
                format!("meeting {meeting} has no frequency: its time is not counted")
            }
            (Note::RoleWithoutStaff { role, hires }, Lang::Ru) => format!(
                "у роли {role} штат 0: расчёт не учитывает мощность и считает сделки её этапов, а в прогнозе её работа ждёт {}",
                if *hires {
                    "первого найма"
                } else {
                    "до конца горизонта"
                }
            ),
            (Note::RoleWithoutStaff { role, hires }, Lang::En) => format!(
                "role {role} has headcount 0: the analysis ignores capacity and counts the deals of its stages, while in the forecast its work waits {}",
                if *hires {
                    "for the first hire"
                } else {
                    "until the end of the horizon"
                }
            ),
        }
    }
}

/// A non-negative finite value, or 0.
fn sane(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 { x } else { 0.0 }
}

/// Every stage of the model, numbered in model order.
pub(crate) struct States<'m> {
    /// (pipeline index, stage index) of each state.
    pub list: Vec<(usize, usize)>,
    index: HashMap<(&'m str, &'m str), usize>,
}

impl<'m> States<'m> {
    fn new(model: &'m Model) -> States<'m> {
        let mut list = Vec::new();
        let mut index = HashMap::new();
        for (pi, p) in model.pipelines.iter().enumerate() {
            for (si, s) in p.stages.iter().enumerate() {
                index
                    .entry((p.name.as_str(), s.name.as_str()))
                    .or_insert(list.len());
                list.push((pi, si));
            }
        }
        States { list, index }
    }

    fn find(&self, pipeline: &str, stage: &str) -> Option<usize> {
        self.index.get(&(pipeline, stage)).copied()
    }

    pub fn stage_ref(&self, model: &Model, state: usize) -> StageRef {
        let (pi, si) = self.list[state];
        let p = &model.pipelines[pi];
        StageRef {
            pipeline: p.name.clone(),
            stage: p.stages[si].name.clone(),
        }
    }
}

fn won(pipeline: usize) -> usize {
    2 * pipeline
}

fn lost(pipeline: usize) -> usize {
    2 * pipeline + 1
}

/// Builds the global chain, normalising each stage's probabilities.
fn build_chain(model: &Model, states: &States, notes: &mut Vec<Note>) -> Chain {
    // The state of a stage by index: states are numbered pipeline by pipeline.
    let mut first = Vec::with_capacity(model.pipelines.len());
    let mut n = 0;
    for p in &model.pipelines {
        first.push(n);
        n += p.stages.len();
    }
    let mut edges = Vec::with_capacity(states.list.len());
    for &(pi, si) in &states.list {
        let pipeline = &model.pipelines[pi];
        let stage = &pipeline.stages[si];
        let exits = transitions::exits(model, pi, si);
        for (tp, ts) in exits.unknown {
            notes.push(Note::UnknownTarget {
                pipeline: pipeline.name.clone(),
                stage: stage.name.clone(),
                target: StageRef {
                    pipeline: tp,
                    stage: ts,
                },
            });
        }
        if let Some(sum) = exits.above_one {
            notes.push(Note::ProbabilitiesAboveOne {
                pipeline: pipeline.name.clone(),
                stage: stage.name.clone(),
                sum,
            });
        }
        if let Some(missing) = exits.below_one {
            notes.push(Note::ProbabilitiesBelowOne {
                pipeline: pipeline.name.clone(),
                stage: stage.name.clone(),
                missing,
            });
        }
        let out: Vec<(Target, f64)> = exits
            .exits
            .iter()
            .map(|e| {
                let to = match e.to {
                    transitions::Target::Won => Target::Absorbing(won(pi)),
                    transitions::Target::Lost => Target::Absorbing(lost(pi)),
                    transitions::Target::Stage { pipeline, stage } => {
                        Target::Transient(first[pipeline] + stage)
                    }
                };
                (to, e.probability)
            })
            .collect();
        edges.push(out);
    }
    Chain {
        edges,
        absorbing: 2 * model.pipelines.len(),
    }
}

/// The per-pipeline results plus, for each pipeline, the visits vector from its entry (by
/// state index) when the chain was solved.
fn solve_pipelines(
    model: &Model,
    states: &States,
    chain: &Chain,
    notes: &mut Vec<Note>,
) -> (Vec<PipelineAnalysis>, Vec<Option<Vec<f64>>>) {
    let mut results = Vec::new();
    let mut visits_by_pipeline = Vec::new();
    for (pi, p) in model.pipelines.iter().enumerate() {
        // Segments with their own `чек` (`для … { чек … }`) move the mean (`field_cond`).
        let size_factor = crate::model::field_cond::deal_size_factor(model, pi);
        let mean_deal_size = p.deal_size.as_ref().map(|d| sane(d.mean() * size_factor));
        let repeat_probability = match &p.repeat {
            Some(r) if r.probability.is_finite() && (0.0..1.0).contains(&r.probability) => r.probability,
            Some(r) => {
                notes.push(Note::RepeatIgnored {
                    pipeline: p.name.clone(),
                    probability: r.probability,
                });
                0.0
            }
            None => 0.0,
        };
        let mut result = PipelineAnalysis {
            name: p.name.clone(),
            title: p.title.clone(),
            kind: p.kind,
            entry_stage: p.stages.first().map(|s| s.name.clone()),
            mean_deal_size,
            repeat_probability,
            purchases_per_won_client: 1.0 / (1.0 - repeat_probability),
            outcome: None,
            trapped_stages: Vec::new(),
        };
        let entry = p.stages.first().and_then(|s| states.find(&p.name, &s.name));
        let mut visits_out = None;
        match entry {
            None => notes.push(Note::EmptyPipeline {
                pipeline: p.name.clone(),
            }),
            Some(entry) => match chain.from_start(entry) {
                Ok(abs) => {
                    result.outcome = Some(outcome(model, states, pi, &abs));
                    visits_out = Some(abs.visits);
                }
                Err(trapped) => {
                    result.trapped_stages = trapped
                        .states
                        .iter()
                        .map(|&s| states.stage_ref(model, s))
                        .collect();
                    notes.push(Note::ClosedLoop {
                        pipeline: p.name.clone(),
                        stages: result.trapped_stages.clone(),
                    });
                }
            },
        }
        results.push(result);
        visits_by_pipeline.push(visits_out);
    }
    (results, visits_by_pipeline)
}

fn outcome(model: &Model, states: &States, own: usize, abs: &markov::Absorption) -> Outcome {
    let shares = |pick: fn(usize) -> usize| -> Vec<PipelineShare> {
        model
            .pipelines
            .iter()
            .enumerate()
            .filter_map(|(pi, p)| {
                let probability = abs.absorbed.get(pick(pi)).copied().unwrap_or(0.0);
                (probability > 0.0).then(|| PipelineShare {
                    pipeline: p.name.clone(),
                    probability,
                })
            })
            .collect()
    };
    let won_by_pipeline = shares(won);
    let lost_by_pipeline = shares(lost);
    let mut stages = Vec::new();
    let mut stages_without_duration = Vec::new();
    let mut expected_days = 0.0;
    // The pipeline's own stages first, then those of other pipelines, each in model order.
    let mut order: Vec<usize> = (0..abs.visits.len()).filter(|&s| abs.visits[s] > 0.0).collect();
    order.sort_by_key(|&s| states.list[s].0 != own);
    for state in order {
        let v = abs.visits[state];
        let (pi, si) = states.list[state];
        let stage = &model.pipelines[pi].stages[si];
        // The stay: `длительность`, plus the wait for the next start of a stage with `старт`.
        let mean = stage.mean_stay_days(model.header.calendar()).map(sane);
        if mean.is_none() {
            stages_without_duration.push(states.stage_ref(model, state));
        }
        let days = v * mean.unwrap_or(0.0);
        expected_days += days;
        // The days between leaving the stage and arriving where a delayed exit leads (`через`).
        expected_days += v * transitions::exits(model, pi, si)
            .exits
            .iter()
            .map(|e| e.probability * e.delay_days)
            .sum::<f64>();
        let r = states.stage_ref(model, state);
        stages.push(StageVisits {
            pipeline: r.pipeline,
            stage: r.stage,
            visits: v,
            mean_duration_days: mean,
            expected_days: days,
        });
    }
    Outcome {
        p_won: won_by_pipeline.iter().map(|s| s.probability).sum(),
        won_by_pipeline,
        p_lost: lost_by_pipeline.iter().map(|s| s.probability).sum(),
        lost_by_pipeline,
        stages,
        expected_days,
        stages_without_duration,
    }
}

/// What a deal now in a stage is worth to the process: the one reading of a stage's P(won)
/// that the CRM's deal probabilities, the value of an open deal and the forecast's serving
/// priority share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageValue {
    /// The probability that the deal is eventually won, in any pipeline (hand-offs followed).
    pub p_won: f64,
    /// The expected number of stages it passes before it leaves the process, this one
    /// included (capped at [`markov::Values::MAX_STEPS`] for a stage that cannot leave).
    pub stages_left: f64,
}

/// [`StageValue`] of every stage of the model, pipeline by pipeline, stage by stage (the
/// numbering of [`crate::sim::Params::stages`]), from the same chain as [`analyze`]: a
/// pipeline's `Outcome::p_won` is its first stage's value (within 1e-12).
pub fn stage_values(model: &Model) -> Vec<StageValue> {
    let states = States::new(model);
    let chain = build_chain(model, &states, &mut Vec::new());
    values_of(&chain)
}

/// [`stage_values`] of a built chain.
fn values_of(chain: &Chain) -> Vec<StageValue> {
    let values = chain.values(|x| x == won(x / 2));
    values
        .win
        .iter()
        .zip(&values.steps)
        .map(|(&p_won, &stages_left)| StageValue { p_won, stages_left })
        .collect()
}

/// The probability that a deal now in `pipeline.stage` is eventually won ([`stage_values`]);
/// `None` for an unknown stage. One stage by name; callers that need every stage (the CRM's
/// deal probabilities) take [`stage_values`] once.
pub fn p_won_from(model: &Model, pipeline: &str, stage: &str) -> Option<f64> {
    let state = States::new(model).find(pipeline, stage)?;
    stage_values(model).get(state).map(|v| v.p_won)
}

/// Computes every figure described in the module documentation.
/// The deals the won clients of a channel start in the pipelines their wins hand them on to
/// (`после_выигрыша`): `handed` is (state entered, deals per month); their visits add to the
/// stages' entries and their wins to the channel's and the department's, and their own wins
/// are handed on in turn (geometrically fewer; at most [`AFTER_WIN_DEPTH`] generations).
#[allow(clippy::too_many_arguments)]
fn after_wins(
    chain: &Chain,
    pipelines: &[PipelineAnalysis],
    after_win: &[Option<usize>],
    mut handed: Vec<(usize, f64)>,
    c: &mut ChannelAnalysis,
    stage_rate: &mut [f64],
    dept_won: &mut [(f64, f64, f64)],
) {
    let mut generation = 0;
    while !handed.is_empty() && generation < AFTER_WIN_DEPTH {
        generation += 1;
        let mut next = Vec::new();
        for (state, deals) in handed {
            if deals.is_nan() || deals <= 1e-12 {
                continue;
            }
            let Ok(abs) = chain.from_start(state) else {
                continue;
            };
            for (s, &x) in abs.visits.iter().enumerate() {
                stage_rate[s] += deals * x;
            }
            for (wi, w) in pipelines.iter().enumerate() {
                let probability = abs.absorbed.get(won(wi)).copied().unwrap_or(0.0);
                if probability <= 0.0 {
                    continue;
                }
                let first = deals * probability;
                record_wins(c, &mut dept_won[wi], w, first);
                if let Some(to) = after_win[wi] {
                    next.push((to, first));
                }
            }
        }
        handed = next;
    }
}

/// `first` deals a month won in pipeline `w` out of channel `c`: their purchases (repeats
/// included) and revenue added to the channel's flows, its row for `w`, and the department's
/// (`dept`: first deals, purchases, revenue of `w`).
fn record_wins(c: &mut ChannelAnalysis, dept: &mut (f64, f64, f64), w: &PipelineAnalysis, first: f64) {
    let purchases = first * w.purchases_per_won_client;
    let revenue = purchases * w.mean_deal_size.unwrap_or(0.0);
    c.first_deals_per_month += first;
    if w.kind != PipelineKind::Account {
        c.new_clients_per_month += first;
    }
    c.purchases_per_month += purchases;
    c.revenue_per_month += revenue;
    match c.won_by_pipeline.iter_mut().find(|f| f.pipeline == w.name) {
        Some(f) => {
            f.first_deals_per_month += first;
            f.purchases_per_month += purchases;
            f.revenue_per_month += revenue;
        }
        None => c.won_by_pipeline.push(PipelineFlow {
            pipeline: w.name.clone(),
            first_deals_per_month: first,
            purchases_per_month: purchases,
            revenue_per_month: revenue,
        }),
    }
    dept.0 += first;
    dept.1 += purchases;
    dept.2 += revenue;
}

/// Generations of hand-offs after a win followed (a loop of them fades geometrically).
const AFTER_WIN_DEPTH: usize = 64;

pub fn analyze(model: &Model) -> Analysis {
    let mut notes = Vec::new();
    let states = States::new(model);
    let chain = build_chain(model, &states, &mut notes);
    let (pipelines, visits) = solve_pipelines(model, &states, &chain, &mut notes);

    let mut channels = Vec::new();
    let mut stage_rate = vec![0.0; states.list.len()];
    let mut dept_won = vec![(0.0, 0.0, 0.0); model.pipelines.len()];
    // Per pipeline: the state its won clients go on to (`после_выигрыша`).
    let after_win: Vec<Option<usize>> = model
        .pipelines
        .iter()
        .map(|p| {
            let a = p.after_win.as_ref()?;
            match &a.to {
                Destination::Stage { pipeline, stage } => transitions::resolve(model, pipeline, stage)
                    .and_then(|(pi, si)| {
                        states.find(&model.pipelines[pi].name, &model.pipelines[pi].stages[si].name)
                    }),
                _ => None,
            }
        })
        .collect();
    // First deals won by the leads themselves (not by the clients handed on after a win).
    let mut lead_wins = 0.0;
    for (ci, ch) in model.channels.iter().enumerate() {
        let seasonality_mean = if ch.seasonality.is_empty() {
            1.0
        } else {
            ch.seasonality.iter().map(|&f| sane(f)).sum::<f64>() / ch.seasonality.len() as f64
        };
        let nominal = sane(ch.leads_per_month);
        let leads = nominal * seasonality_mean;
        let mut c = ChannelAnalysis {
            name: ch.name.clone(),
            title: ch.title.clone(),
            pipeline: ch.pipeline.clone(),
            nominal_leads_per_month: nominal,
            seasonality_mean,
            leads_per_month: leads,
            p_won: 0.0,
            first_deals_per_month: 0.0,
            new_clients_per_month: 0.0,
            purchases_per_month: 0.0,
            revenue_per_month: 0.0,
            won_by_pipeline: Vec::new(),
        };
        let feeds = match &ch.pipeline {
            None => {
                notes.push(Note::ChannelWithoutPipeline {
                    channel: ch.name.clone(),
                });
                None
            }
            Some(name) => {
                let found = model.pipelines.iter().position(|p| &p.name == name);
                if found.is_none() {
                    notes.push(Note::UnknownPipeline {
                        channel: ch.name.clone(),
                        pipeline: name.clone(),
                    });
                }
                found
            }
        };
        // A channel with conversions of its own (`конверсия_по_каналам`) flows through its
        // own copy of the pipeline (`segments`).
        let own = feeds.and_then(|_| segments::channel_flow(model, &states, &chain, ci));
        if let Some(fi) = feeds
            && let (Some(out), Some(v)) = (&pipelines[fi].outcome, &visits[fi])
        {
            let (p_won, v, won_shares) = match &own {
                Some(f) => (f.p_won, &f.visits, &f.won_by_pipeline),
                None => (out.p_won, v, &out.won_by_pipeline),
            };
            c.p_won = p_won;
            for (state, &x) in v.iter().enumerate() {
                stage_rate[state] += leads * x;
            }
            let mut handed = Vec::new();
            for share in won_shares {
                let Some(wi) = model.pipelines.iter().position(|p| p.name == share.pipeline) else {
                    continue;
                };
                let w = &pipelines[wi];
                let first = leads * share.probability;
                record_wins(&mut c, &mut dept_won[wi], w, first);
                if let Some(to) = after_win[wi] {
                    handed.push((to, first));
                }
            }
            lead_wins += c.first_deals_per_month;
            after_wins(
                &chain,
                &pipelines,
                &after_win,
                handed,
                &mut c,
                &mut stage_rate,
                &mut dept_won,
            );
        }
        channels.push(c);
    }

    for (pi, p) in pipelines.iter().enumerate() {
        if p.mean_deal_size.is_none() && dept_won[pi].0 > 0.0 {
            notes.push(Note::MissingDealSize {
                pipeline: p.name.clone(),
            });
        }
    }

    let sampling = sampling::sampling(model);
    let clients_per_month: f64 = channels.iter().map(|c| c.new_clients_per_month).sum();
    let (roles, unassigned) = load::role_loads(
        model,
        &states,
        &stage_rate,
        &sampling,
        clients_per_month,
        &mut notes,
    );
    let cycles = cycle::cycles(model, &pipelines, &stage_values(model));
    let costs = {
        let salaries_per_month = model
            .roles
            .iter()
            .map(|r| f64::from(r.headcount) * sane(r.salary.unwrap_or(0.0)))
            .sum();
        let leads_per_month = channels
            .iter()
            .zip(&model.channels)
            .map(|(c, m)| c.leads_per_month * sane(m.lead_cost.unwrap_or(0.0)))
            .sum();
        let budgets = model.budgets_per_month();
        Costs {
            salaries_per_month,
            leads_per_month,
            budgets,
            budgets_per_month: budgets.mid(),
            total_per_month: salaries_per_month + leads_per_month + budgets.mid(),
        }
    };

    let leads_per_month: f64 = channels.iter().map(|c| c.leads_per_month).sum();
    let first_deals_per_month: f64 = channels.iter().map(|c| c.first_deals_per_month).sum();
    let department = Department {
        leads_per_month,
        p_won: (leads_per_month > 0.0).then(|| lead_wins / leads_per_month),
        first_deals_per_month,
        new_clients_per_month: channels.iter().map(|c| c.new_clients_per_month).sum(),
        purchases_per_month: channels.iter().map(|c| c.purchases_per_month).sum(),
        revenue_per_month: channels.iter().map(|c| c.revenue_per_month).sum(),
        won_by_pipeline: model
            .pipelines
            .iter()
            .zip(&dept_won)
            .filter(|(_, d)| d.0 > 0.0)
            .map(|(p, d)| PipelineFlow {
                pipeline: p.name.clone(),
                first_deals_per_month: d.0,
                purchases_per_month: d.1,
                revenue_per_month: d.2,
            })
            .collect(),
        stage_entries: stage_rate
            .iter()
            .enumerate()
            .filter(|(_, r)| **r > 0.0)
            .map(|(s, &r)| {
                let sr = states.stage_ref(model, s);
                StageFlow {
                    pipeline: sr.pipeline,
                    stage: sr.stage,
                    entries_per_month: r,
                }
            })
            .collect(),
        unassigned_work_minutes_per_month: unassigned,
    };

    let plan = model.plan.as_ref().map(|plan| {
        let horizon_months = plan.horizon_months.or(model.header.horizon_months);
        let targets = plan
            .targets
            .iter()
            .filter_map(|t| {
                let plan_per_month = plan.mean_per_month(t.metric, &model.header)?;
                let expected = match t.metric {
                    PlanMetric::Revenue => department.revenue_per_month,
                    PlanMetric::Deals => department.purchases_per_month,
                    PlanMetric::NewClients => department.new_clients_per_month,
                };
                let lead_multiplier = (expected > 0.0).then(|| plan_per_month / expected);
                let headcount = roles
                    .iter()
                    .filter(|r| r.demanded_minutes > 0.0)
                    .map(|r| RoleNeed {
                        role: r.role.clone(),
                        headcount: r.headcount,
                        needed: lead_multiplier.and_then(|m| r.people_needed(r.demanded_minutes * m)),
                    })
                    .collect();
                Some(TargetGap {
                    metric: t.metric,
                    plan_per_month,
                    expected_per_month: expected,
                    gap_per_month: plan_per_month - expected,
                    attainment: (plan_per_month > 0.0).then(|| expected / plan_per_month),
                    lead_multiplier,
                    headcount,
                })
            })
            .collect();
        PlanGap {
            horizon_months,
            targets,
        }
    });

    let starts = release::starts(model, |p, st| {
        department
            .stage_entries
            .iter()
            .find(|f| f.pipeline == p && f.stage == st)
            .map_or(0.0, |f| f.entries_per_month)
    });
    Analysis {
        starts,
        currency: model.header.currency,
        working_days_per_month: sane(model.header.working_days_per_month()),
        pipelines,
        channels,
        department,
        roles,
        plan,
        sampling,
        cycles,
        costs,
        notes,
        stage_values: values_of(&chain),
    }
}
