//! The engine's inputs, read once from the model: plain numbers addressed by index, with every
//! name kept so that scenarios can later override a parameter by name (`role Менеджер
//! headcount`, `stage Продажа.КП conversion`) before the engine compiles them.

use crate::analyze::StageValue;
use crate::model::transitions::{self, Target};
use crate::model::{
    BonusKind, CallDirection, ContactKind, Destination, Distribution, Kpi, Model, PipelineKind, PlanMetric,
    StartKind,
};

impl RoleParams {
    /// Minutes a day `heads` people have for stage work: their selling time, less what the
    /// day's quality-control sample takes beyond their non-selling time — min(selling,
    /// working − sample), never below 0 (the analysis' `available_minutes`, per day). Working
    /// and selling time are the role's [`crate::model::Capacity`]: its own days, its shift cap.
    pub fn stage_minutes(&self, heads: f64) -> f64 {
        let working = self.capacity.working_minutes(heads);
        let selling = self.capacity.selling_minutes(heads);
        if self.sampling_minutes_per_day > 0.0 {
            selling.min(working - self.sampling_minutes_per_day).max(0.0)
        } else {
            selling
        }
    }
}

/// Where a stage outcome leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dest {
    /// A deal is won in the pipeline of the stage.
    Won,
    Lost,
    /// Another stage (possibly in another pipeline: a hand-off), by index into `Params::stages`.
    Stage(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoleParams {
    pub name: String,
    pub headcount: f64,
    pub work_day_hours: f64,
    pub selling_share: f64,
    /// Selling minutes a working day for a number of heads: the role's own working days and
    /// the cap of its shifts (`crate::model::Role::capacity`).
    pub capacity: crate::model::Capacity,
    /// Months for a new hire to reach full productivity (linear ramp); 0 = at once.
    pub ramp_up_months: f64,
    /// Share of staff leaving per year, applied as a smooth expected reduction.
    pub attrition_per_year: f64,
    /// (month of the horizon the hires join, 1-based; count).
    pub hires: Vec<(f64, f64)>,
    /// Monthly salary per person.
    pub salary: f64,
    /// Bonus as a share of revenue (margin is not modelled and counts as revenue).
    pub bonus_revenue_share: f64,
    /// The part of the department's revenue the role's share is paid on: the revenue the role
    /// brings in ÷ the department's, from the analysis (`analyze::role_revenue`, the base of the
    /// documents' pay example). The forecast charges `share × this × revenue`, so at the
    /// analysis' mix of pipelines (and so at 100 % of a plan the documents scale it to) the
    /// cost is what the documents' pay examples add up to.
    pub bonus_revenue_weight: f64,
    /// Bonus per person for a month in which the plan is met.
    pub bonus_plan_amount: f64,
    /// Minutes a working day of quality-control sampling the role scores, from the analysis
    /// (`analyze::sampling`): worked first each day, before stage work.
    pub sampling_minutes_per_day: f64,
    /// Minutes a working day of the role's work for the client base — the triggers that fire on
    /// clients rather than on deals in a stage (a date field, a field's value, inactivity, a
    /// recurring contact): the analysis' figure (`analyze::RoleLoad::triggers`; the forecast has
    /// no client base of its own), worked first each day like work owed, counted as used.
    pub client_work_minutes_per_day: f64,
    /// The unit's budget a month beside pay (`бюджет`, a range at its midpoint).
    pub budget_per_month: f64,
    /// `бонус шкала …` and `порог …`: the share follows the month's plan fulfilment
    /// (`sim::pay::MonthBonus`).
    pub bonus_scale: Option<crate::model::BonusScale>,
    pub pay_threshold: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChannelParams {
    pub name: String,
    pub leads_per_month: f64,
    /// Twelve monthly factors, January first.
    pub seasonality: [f64; 12],
    pub lead_cost: f64,
    /// The channel's marketing budget a month (`бюджет`, a range at its midpoint).
    pub budget_per_month: f64,
    /// The stage the leads enter (the first stage of the channel's pipeline).
    pub entry: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub dest: Dest,
    pub probability: f64,
    /// A success of the stage (counts as converted; decays with the wait).
    pub success: bool,
    /// Working days between leaving the stage and arriving (`через`); 0 for at once. The
    /// engine reads it through [`super::transit::expand`].
    pub delay_days: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageParams {
    pub pipeline: String,
    pub name: String,
    pub pipeline_index: usize,
    /// Expected work minutes per lead, by role index (contacts summed per role, attempts by
    /// the reach rate: `model::Stage::contact_minutes`).
    pub work: Vec<(usize, f64)>,
    /// Days the client takes in the stage, after the work starts.
    pub duration: Distribution,
    /// Outcomes whose probabilities sum to 1 (within `model::transitions::SUM_EPS`): the stage's
    /// exits (`model::transitions::exits`) with a probability above 0.
    pub outcomes: Vec<Outcome>,
    pub wait_limit_days: Option<f64>,
    pub decay_per_day: f64,
    /// The chain's contacts with the role that makes each and the expected attempts per lead
    /// (`model::Stage::contact_attempts`), for the KPIs that count contacts.
    pub contacts: Vec<(ContactKind, Option<usize>, f64)>,
    /// What a deal here is worth to the process (`analyze::stage_values`): the serving order
    /// of a role's minutes puts the stages closest to a win first.
    pub value: StageValue,
    /// The role that owns the stage (`роль` in a counter's arguments).
    pub owner: Option<usize>,
    /// Per contact of `contacts`: its direction and expected talk minutes per lead
    /// (`model::Stage::contact_talk_minutes`), for `минуты(…)` and `звонки(исходящие)`.
    pub talk: Vec<(Option<CallDirection>, f64)>,
    /// Per outcome of `outcomes`: the loss reason written on it (`причина` in a counter).
    pub reasons: Vec<Option<String>>,
    /// `старт`: leads leave on the next start they can make (`sim::release`).
    pub release: Option<(crate::model::release::Release, crate::model::release::DayGrid)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PipelineParams {
    pub name: String,
    /// Account management: its wins are not new clients.
    pub account: bool,
    pub deal_size: Option<Distribution>,
    pub repeat_probability: f64,
    pub repeat_after: Distribution,
    /// `после_выигрыша`: the stage (index into `Params::stages`) every won client also enters,
    /// and the working days before it does.
    pub after_win: Option<(usize, f64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    Revenue,
    Deals,
    NewClients,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanParams {
    pub kind: PlanKind,
    /// The target for every month of the horizon.
    pub per_month: Vec<f64>,
}

impl PlanParams {
    pub fn total(&self) -> f64 {
        self.per_month.iter().sum()
    }
}

/// Everything the engine reads. Build with [`Params::from_model`]; fields are public so that a
/// caller (scenarios) can change them before [`crate::sim::simulate_params`].
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub months: usize,
    /// Calendar month (1..=12) of the first month of the horizon.
    pub start_month: u32,
    pub working_days_per_month: f64,
    pub roles: Vec<RoleParams>,
    pub channels: Vec<ChannelParams>,
    pub stages: Vec<StageParams>,
    pub pipelines: Vec<PipelineParams>,
    pub plan: Option<PlanParams>,
    /// The model's KPIs, evaluated on the replications (`sim::kpi`).
    pub kpis: Vec<Kpi>,
    /// How the forecast starts when it has no open deals (`старт`; established unless written).
    pub start: StartKind,
    /// With open deals: the repeat purchases of the clients won before the first day, per
    /// pipeline the expected number due on each day (a backtest measures them from the
    /// history). `None`: those of the settled stock when the department is established
    /// (`старт` or `--start`), none for a new one.
    pub prior_repeats: Option<Vec<Vec<f64>>>,
}

impl Params {
    /// The stages a scope covers (a pipeline's or one), by index into `stages`.
    pub fn scope_stages(&self, scope: &crate::model::Scope) -> Vec<usize> {
        use crate::model::Scope;
        (0..self.stages.len())
            .filter(|&s| {
                let st = &self.stages[s];
                match scope {
                    Scope::Pipeline { pipeline } => st.pipeline == *pipeline,
                    Scope::Stage { pipeline, stage } => st.pipeline == *pipeline && st.name == *stage,
                }
            })
            .collect()
    }
}

/// The horizon: `--months`, else the plan's, else the header's, else 12; 1..=120 months.
pub fn horizon_months(model: &Model, months: Option<u32>) -> usize {
    let m = months
        .map(f64::from)
        .or(model.plan.as_ref().and_then(|p| p.horizon_months))
        .or(model.header.horizon_months)
        .unwrap_or(12.0);
    if m.is_finite() {
        m.round().clamp(1.0, 120.0) as usize
    } else {
        12
    }
}

/// (year, month, day) of a `YYYY-MM-DD` text.
fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.trim().splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.get(..2).unwrap_or("1").parse().unwrap_or(1);
    (1..=12).contains(&m).then_some((y, m, d))
}

/// The date the horizon's months count from: the plan's start, else the regulation's date.
fn calendar_start(model: &Model) -> Option<(i32, u32, u32)> {
    model
        .plan
        .as_ref()
        .and_then(|p| p.start.as_deref())
        .and_then(parse_date)
        .or_else(|| model.header.effective.as_deref().and_then(parse_date))
}

/// Months from the start of `start`'s calendar month to `date`, the share of `date`'s month
/// gone by it included (the share of its working days gone: the engine's months are working
/// months).
fn months_since(start: (i32, u32, u32), date: (i32, u32, u32)) -> f64 {
    let ((y0, m0, _), (y, m, d)) = (start, date);
    let offset = f64::from(y - y0) * 12.0 + f64::from(m) - f64::from(m0);
    offset + f64::from(d.saturating_sub(1)) / f64::from(month_days(y, m))
}

/// Calendar days of a month (1..=12) of a year.
fn month_days(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The outcomes of `model.pipelines[pi].stages[si]` and the loss reason of each: its exits as
/// the analysis reads them (`model::transitions`), an impossible one left out; `first_stage`
/// numbers the stages pipeline by pipeline.
pub(super) fn outcomes_of(
    model: &Model,
    pi: usize,
    si: usize,
    first_stage: &[Option<usize>],
) -> (Vec<Outcome>, Vec<Option<String>>) {
    let s = &model.pipelines[pi].stages[si];
    // The exits as the analysis reads them (`model::transitions`); an impossible
    // one is not a cell to draw.
    let exits = transitions::exits(model, pi, si).exits;
    // An exit of a written transition is its loss reason's (`exits` keeps their order).
    let reasons = exits
        .iter()
        .enumerate()
        .filter(|(_, e)| e.probability > 0.0)
        .map(|(i, _)| match s.transitions.get(i).map(|t| &t.to) {
            Some(Destination::Lost { reason }) => reason.clone(),
            _ => None,
        })
        .collect();
    let outcomes: Vec<Outcome> = exits
        .iter()
        .filter(|e| e.probability > 0.0)
        .map(|e| Outcome {
            dest: match e.to {
                Target::Won => Dest::Won,
                Target::Lost => Dest::Lost,
                Target::Stage { pipeline, stage } => {
                    first_stage[pipeline].map_or(Dest::Lost, |f| Dest::Stage(f + stage))
                }
            },
            probability: e.probability,
            success: e.success,
            delay_days: e.delay_days,
        })
        .collect();
    (outcomes, reasons)
}

/// `sim::segments`: appends a copy of its pipeline's stages for every channel with conversions
/// of its own and sends the channel's leads to it.
fn expand_segments(
    model: &Model,
    stages: &mut Vec<StageParams>,
    channels: &mut [ChannelParams],
    first_stage: &[Option<usize>],
) {
    if !crate::model::segments::any(model) {
        return;
    }
    for (ci, channel) in channels.iter_mut().enumerate() {
        let Some((pi, own)) = crate::model::segments::for_channel(model, ci) else {
            continue;
        };
        let Some(first) = first_stage[pi] else { continue };
        let count = model.pipelines[pi].stages.len();
        let base = stages.len();
        for si in 0..count {
            let (mut outcomes, reasons) = outcomes_of(&own, pi, si, first_stage);
            for o in &mut outcomes {
                if let Dest::Stage(j) = o.dest
                    && (first..first + count).contains(&j)
                {
                    o.dest = Dest::Stage(base + j - first);
                }
            }
            let mut copy = stages[first + si].clone();
            copy.outcomes = outcomes;
            copy.reasons = reasons;
            stages.push(copy);
        }
        channel.entry = Some(base);
    }
}

fn finite(x: f64, default: f64) -> f64 {
    if x.is_finite() { x } else { default }
}

fn clean_share(x: f64) -> f64 {
    finite(x, 0.0).clamp(0.0, 1.0)
}

impl Params {
    /// Moves the horizon's start to `date` (`YYYY-MM-DD`): the seasonality follows its calendar
    /// month, and the hires, dated or counted from the plan's start, are counted from it — a
    /// hire before the date has joined already, its ramp-up running since it joined. Returns
    /// false (the hires left as they were) when the regulation dates nothing to count from.
    pub fn start_from(&mut self, model: &Model, date: &str) -> bool {
        let Some(to) = parse_date(date) else {
            return false;
        };
        self.start_month = to.1;
        let Some(from) = calendar_start(model) else {
            return false;
        };
        let shift = months_since(from, to);
        for role in &mut self.roles {
            for hire in &mut role.hires {
                hire.0 -= shift;
            }
        }
        true
    }

    pub fn from_model(model: &Model, months: Option<u32>) -> Params {
        let horizon = horizon_months(model, months);
        let start = model
            .plan
            .as_ref()
            .and_then(|p| p.start.as_deref())
            .and_then(parse_date);
        let start_month = start.map_or(1, |(_, m, _)| m);
        let start_ym = calendar_start(model);
        let wdm = finite(model.header.working_days_per_month(), 0.0).max(1.0 / 12.0);

        let role_index = |name: &str| model.roles.iter().position(|r| r.name == name);
        // Quality-control sampling a month by scoring role: the analysis' figure, per day here.
        let sampling = crate::analyze::sampling::minutes_by_role(model);
        // The analysis, run at most once, for those who need it.
        let analysis = std::cell::OnceCell::new();
        let analysed = || analysis.get_or_init(|| crate::analyze::analyze(model));
        // Only a revenue or margin share needs the analysis.
        let weights = model
            .roles
            .iter()
            .any(|r| r.bonus.as_ref().is_some_and(|b| b.kind().share().is_some()) || r.bonus_scale.is_some())
            .then(|| crate::analyze::role_revenue(model, analysed()));
        // The client-base triggers' work by role, a month: the analysis' figure.
        let client_work = client_trigger_minutes(model, analysed);
        let roles = model
            .roles
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let hires = r
                    .hires
                    .iter()
                    .map(|h| {
                        let month = h
                            .from_month
                            .or_else(|| {
                                let date = parse_date(h.from_date.as_deref()?)?;
                                Some(months_since(start_ym?, date) + 1.0)
                            })
                            .unwrap_or(1.0);
                        (finite(month, 1.0).max(1.0), f64::from(h.count))
                    })
                    .collect();
                let kind = r.bonus.as_ref().map(|b| b.kind());
                let share = kind.and_then(BonusKind::share).unwrap_or(0.0);
                let plan_amount = kind.and_then(BonusKind::plan_amount).unwrap_or(0.0);
                let weight = weights
                    .as_ref()
                    .and_then(|w| w.get(ri))
                    .map_or(1.0, |w| finite(w.share_of_department, 0.0).max(0.0));
                RoleParams {
                    name: r.name.clone(),
                    headcount: f64::from(r.headcount),
                    work_day_hours: finite(r.work_day_hours, 0.0).max(0.0),
                    selling_share: clean_share(r.selling_share),
                    capacity: {
                        let c = r.capacity(model.header.work_week_days);
                        crate::model::Capacity {
                            minutes_per_head: finite(c.minutes_per_head, 0.0).max(0.0),
                            cap: if c.cap.is_nan() {
                                f64::INFINITY
                            } else {
                                c.cap.max(0.0)
                            },
                            selling_share: clean_share(c.selling_share),
                        }
                    },
                    ramp_up_months: finite(r.ramp_up_months.unwrap_or(0.0), 0.0).max(0.0),
                    attrition_per_year: clean_share(r.attrition_per_year.unwrap_or(0.0)),
                    hires,
                    salary: finite(r.salary.unwrap_or(0.0), 0.0).max(0.0),
                    bonus_revenue_share: share,
                    bonus_revenue_weight: weight,
                    bonus_plan_amount: plan_amount,
                    sampling_minutes_per_day: sampling
                        .iter()
                        .find(|(name, _)| *name == r.name)
                        .map_or(0.0, |(_, m)| finite(m / wdm, 0.0).max(0.0)),
                    client_work_minutes_per_day: client_work
                        .iter()
                        .find(|(name, _)| *name == r.name)
                        .map_or(0.0, |(_, m)| finite(m / wdm, 0.0).max(0.0)),
                    budget_per_month: finite(r.budget.map_or(0.0, |b| b.mid()), 0.0).max(0.0),
                    bonus_scale: r.bonus_scale.clone(),
                    pay_threshold: r.pay_threshold,
                }
            })
            .collect();

        // Stages, numbered pipeline by pipeline.
        let mut first_stage = Vec::new();
        let mut flat = Vec::new();
        for (pi, p) in model.pipelines.iter().enumerate() {
            first_stage.push(if p.stages.is_empty() {
                None
            } else {
                Some(flat.len())
            });
            for (si, s) in p.stages.iter().enumerate() {
                flat.push((pi, si, p, s));
            }
        }
        let values = crate::analyze::stage_values(model);
        let stages = flat
            .iter()
            .zip(values)
            .map(|(&(pi, si, p, s), value)| {
                let owner = s.owner.as_deref().or(p.owner.as_deref());
                // Expected minutes per lead: attempts and the clients the chain loses earlier
                // are in `contact_minutes` (the one place the model computes them).
                let mut work: Vec<(usize, f64)> = Vec::new();
                for (c, minutes) in s.chain.iter().zip(s.contact_minutes()) {
                    let minutes = finite(minutes, 0.0).max(0.0);
                    let Some(r) = c.owner.as_deref().or(owner).and_then(role_index) else {
                        continue;
                    };
                    if minutes <= 0.0 {
                        continue;
                    }
                    match work.iter_mut().find(|(ri, _)| *ri == r) {
                        Some((_, m)) => *m += minutes,
                        None => work.push((r, minutes)),
                    }
                }
                // Stage triggers' work (`триггер`), expected minutes per deal entering, charged
                // with the chain's work: the same figure as the analysis' load.
                for (role, minutes) in model.stage_trigger_work(&p.name, &s.name) {
                    let Some(r) = role_index(&role) else { continue };
                    match work.iter_mut().find(|(ri, _)| *ri == r) {
                        Some((_, m)) => *m += minutes,
                        None => work.push((r, minutes)),
                    }
                }
                let (outcomes, reasons) = outcomes_of(model, pi, si, &first_stage);
                StageParams {
                    pipeline: p.name.clone(),
                    name: s.name.clone(),
                    pipeline_index: pi,
                    work,
                    duration: s
                        .duration_days
                        .clone()
                        .unwrap_or(Distribution::Fixed { value: 0.0 }),
                    outcomes,
                    wait_limit_days: s.wait_limit_days.filter(|d| d.is_finite() && *d >= 0.0),
                    decay_per_day: clean_share(s.decay_per_day.unwrap_or(0.0)),
                    contacts: s
                        .chain
                        .iter()
                        .zip(s.contact_attempts())
                        .map(|(c, attempts)| {
                            (
                                c.kind,
                                c.owner.as_deref().or(owner).and_then(role_index),
                                finite(attempts, 1.0).max(0.0),
                            )
                        })
                        .collect(),
                    value,
                    owner: owner.and_then(role_index),
                    talk: s
                        .chain
                        .iter()
                        .zip(s.contact_talk_minutes())
                        .map(|(c, m)| (c.direction, finite(m, 0.0).max(0.0)))
                        .collect(),
                    reasons,
                    release: s
                        .release
                        .clone()
                        .map(|r| (r, crate::model::release::DayGrid::of(model.header.calendar()))),
                }
            })
            .collect();

        let mut stages: Vec<StageParams> = stages;
        let mut channels: Vec<ChannelParams> = model
            .channels
            .iter()
            .map(|c| {
                let pipeline = match &c.pipeline {
                    Some(name) => model.pipelines.iter().position(|p| &p.name == name),
                    None => model
                        .pipelines
                        .iter()
                        .position(|p| p.kind == PipelineKind::Sales)
                        .or((!model.pipelines.is_empty()).then_some(0)),
                };
                let mut seasonality = [1.0; 12];
                if c.seasonality.len() == 12 {
                    for (s, v) in seasonality.iter_mut().zip(&c.seasonality) {
                        *s = finite(*v, 1.0).max(0.0);
                    }
                }
                ChannelParams {
                    name: c.name.clone(),
                    leads_per_month: finite(c.leads_per_month, 0.0).max(0.0),
                    seasonality,
                    lead_cost: finite(c.lead_cost.unwrap_or(0.0), 0.0).max(0.0),
                    budget_per_month: finite(c.budget.map_or(0.0, |b| b.mid()), 0.0).max(0.0),
                    entry: pipeline.and_then(|pi| first_stage[pi]),
                }
            })
            .collect();

        // Channels with conversions of their own get their own copies of their pipeline.
        expand_segments(model, &mut stages, &mut channels, &first_stage);

        let pipelines = model
            .pipelines
            .iter()
            .enumerate()
            .map(|(pi, p)| PipelineParams {
                name: p.name.clone(),
                account: p.kind == PipelineKind::Account,
                // Segments with their own `чек` scale the amounts by the analysis's factor.
                deal_size: p.deal_size.as_ref().map(|d| {
                    let k = crate::model::field_cond::deal_size_factor(model, pi);
                    if (k - 1.0).abs() < 1e-12 {
                        d.clone()
                    } else {
                        crate::scenario::scale_dist(d, k)
                    }
                }),
                repeat_probability: p.repeat.as_ref().map_or(0.0, |r| clean_share(r.probability)),
                repeat_after: p
                    .repeat
                    .as_ref()
                    .and_then(|r| r.after_days.clone())
                    .unwrap_or(Distribution::Fixed { value: 0.0 }),
                after_win: p.after_win.as_ref().and_then(|a| {
                    let Destination::Stage { pipeline, stage } = &a.to else {
                        return None;
                    };
                    let (pi, si) = transitions::resolve(model, pipeline, stage)?;
                    let delay = a.delay_days.filter(|d| d.is_finite() && *d > 0.0).unwrap_or(0.0);
                    Some((first_stage[pi]? + si, delay))
                }),
            })
            .collect();

        let plan = model.plan.as_ref().and_then(|plan| {
            let pick = |metric| plan.targets.iter().find(|t| t.metric == metric);
            let (kind, target) = pick(PlanMetric::Revenue)
                .map(|t| (PlanKind::Revenue, t))
                .or(pick(PlanMetric::Deals).map(|t| (PlanKind::Deals, t)))
                .or(pick(PlanMetric::NewClients).map(|t| (PlanKind::NewClients, t)))?;
            // The plan's months as the analysis and the documents read them (`Plan::monthly`).
            let per_month = plan.monthly(target.metric, horizon)?;
            Some(PlanParams { kind, per_month })
        });

        Params {
            months: horizon,
            start_month,
            working_days_per_month: wdm,
            roles,
            channels,
            stages,
            pipelines,
            plan,
            kpis: model.kpis.clone(),
            start: model.header.start.unwrap_or_default(),
            prior_repeats: None,
        }
    }
}

/// (role, minutes a month) of the work the client-base triggers give each role — every trigger
/// with an owner that does not fire on a stage's deals (those are charged per deal entering, see
/// `stage_trigger_work`) — as the analysis counts it. Empty, without running the analysis, when
/// the model has none.
fn client_trigger_minutes<'a>(
    model: &Model,
    analysed: impl FnOnce() -> &'a crate::analyze::Analysis,
) -> Vec<(String, f64)> {
    let client_trigger = |i: usize| {
        model
            .triggers
            .get(i)
            .is_some_and(|t| t.owner.is_some() && t.stage().is_none())
    };
    if !(0..model.triggers.len()).any(client_trigger) {
        return Vec::new();
    }
    analysed()
        .roles
        .iter()
        .map(|r| {
            let minutes = r
                .triggers
                .iter()
                .filter(|w| client_trigger(w.index))
                .map(|w| w.minutes)
                .sum::<f64>();
            (r.role.clone(), minutes)
        })
        .filter(|(_, m)| *m > 0.0)
        .collect()
}
