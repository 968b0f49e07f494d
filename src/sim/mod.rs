//! Monte Carlo forecast of the sales system: [`simulate`] runs independent replications of a
//! working-day walk (see [`engine`]) and summarises them.
//!
//! Reproducible by construction: replication `i` draws from its own ChaCha8 stream
//! (`seed`, stream `i`), replications only write their own row of scalars, and every summary is
//! computed afterwards in replication order — so the output does not depend on the number of
//! threads. The engine is a pure function of the model and the options, so two variants run
//! with the same seed share their random numbers replication by replication.

mod dist;
mod engine;
pub mod fluid;
pub mod kpi;
pub mod open_deals;
mod params;
mod pay;
mod plan;
pub mod release;
mod segments;
mod split;
pub mod start;
mod stats;
mod transit;

pub use dist::{DayPmf, day_pmf};
pub use engine::Seed as OpenDeal;
pub use engine::SharedCells;
pub use engine::floor::Floor;
pub use engine::trace::Event as TraceEvent;
pub use kpi::KpiResult;
pub use params::{
    ChannelParams, Dest, Outcome, Params, PipelineParams, PlanKind, PlanParams, RoleParams, StageParams,
    horizon_months,
};
pub use plan::{Growing, Paired, Revenues, Runs, paired, simulate_runs};
pub use start::Start;
pub use stats::Stats;

use crate::model::{Model, StartKind};
use engine::{Engine, MonthField, Work, slot};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How to run a simulation.
#[derive(Clone, Copy)]
pub struct SimOptions<'a> {
    pub runs: u32,
    pub seed: u64,
    /// Overrides the horizon of the plan or the header.
    pub months: Option<u32>,
    /// Worker threads; `None` = all available cores.
    pub threads: Option<usize>,
    /// Called with the number of replications just finished (from any thread).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
    /// Today's open deals every replication starts with (`--open-deals`); they win over `start`.
    pub open_deals: &'a [OpenDeal],
    /// Overrides the regulation's `старт` (`--start`).
    pub start: Option<StartKind>,
    /// Where the engines of one comparison share the decaying stages' cells (`planning` sets
    /// it for the variants it builds); `None`: each engine builds its own.
    pub shared: Option<&'a SharedCells>,
}

impl SimOptions<'_> {
    /// The state the forecast starts from.
    pub fn start_of(&self, params: &Params) -> Start {
        if !self.open_deals.is_empty() {
            return Start::OpenDeals;
        }
        match self.start.unwrap_or(params.start) {
            StartKind::Established => Start::Established,
            StartKind::New => Start::New,
        }
    }
}

impl Default for SimOptions<'_> {
    fn default() -> Self {
        SimOptions {
            runs: 1000,
            seed: 1,
            months: None,
            threads: None,
            progress: None,
            open_deals: &[],
            start: None,
            shared: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelResult {
    pub channel: String,
    pub leads: Stats,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageResult {
    pub pipeline: String,
    pub stage: String,
    pub entered: Stats,
    pub converted: Stats,
    /// Every exit other than a success, gone-cold leads included.
    pub lost: Stats,
    /// Leads lost for lack of capacity: they waited beyond the stage's limit.
    pub cold: Stats,
    /// Mean number of leads in the stage (waiting or in progress) over the horizon.
    pub wip: Stats,
    /// Mean working days a lead spends in the stage; null when no lead went through it.
    pub days_in_stage: Option<Stats>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleResult {
    pub role: String,
    /// Work done / selling time available over the horizon; null without capacity.
    pub utilization: Option<Stats>,
    /// Leads waiting for the role's work at the end of the horizon.
    pub backlog: Stats,
    /// Hours a month of the role's work for the client base (triggers on clients rather than on
    /// a stage's deals): the analysis' figure, inside `utilization`. Absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_work_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthResult {
    /// 1-based month of the horizon.
    pub month: u32,
    /// Calendar month, 1..=12.
    pub calendar_month: u32,
    pub leads: Stats,
    /// Leads of each channel this month.
    pub channels: Vec<ChannelResult>,
    pub won: Stats,
    pub revenue: Stats,
    /// Wins outside account pipelines this month.
    pub new_clients: Stats,
    /// Mean days from the lead to the win of the deals won out of a funnel this month (an open
    /// deal counts from entering its stage; repeats do not count); null when no replication
    /// had one.
    pub cycle_days: Option<Stats>,
    /// Share of replications in which the month met the plan; null without a plan.
    pub plan_probability: Option<f64>,
    /// The role with the highest mean utilisation this month (the busiest; the month's
    /// bottleneck when it reaches `analyze::BOTTLENECK_LOAD`, 85%); null when no role has
    /// working time.
    pub bottleneck: Option<Bottleneck>,
    /// Leads lost for lack of capacity this month.
    pub cold: Stats,
    /// Salaries, revenue bonuses, plan bonuses of a month that met the plan, and lead costs.
    pub cost: Stats,
    pub profit: Stats,
    /// The month's cost per new client (wins outside account pipelines); null when no
    /// replication won a new client that month.
    pub cac: Option<Stats>,
    /// (revenue − cost) / cost of the month; null without cost.
    pub roi: Option<Stats>,
    /// Utilisation of every role this month (null for a role without working time).
    pub roles: Vec<MonthRole>,
}

/// One role in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRole {
    pub role: String,
    pub utilization: Option<Stats>,
    /// Leads waiting for the role's work at the end of the month.
    pub backlog: Stats,
}

/// What today's open deals (`--open-deals`) bring over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenDealsResult {
    /// Open deals every replication started with.
    pub deals: u32,
    /// Of them, won within the horizon.
    pub won: Stats,
    /// Their revenue (first purchase; repeats they lead to count in `repeat_purchases`).
    pub revenue: Stats,
}

/// The busiest role of a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bottleneck {
    pub role: String,
    /// Mean utilisation over the replications, 0..1.
    pub utilization: f64,
}

/// What the forecast reports: every metric summarised over the replications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimResult {
    pub runs: u32,
    pub seed: u64,
    /// The state the forecast starts from.
    pub start: Start,
    pub horizon_months: u32,
    pub working_days: u32,
    pub start_month: u32,
    pub currency: String,
    pub leads: Stats,
    /// Deals won, repeat purchases included.
    pub won: Stats,
    pub revenue: Stats,
    pub new_clients: Stats,
    pub repeat_purchases: Stats,
    /// Working days from a lead's arrival to its win; null when nothing was won.
    pub cycle_days: Option<Stats>,
    /// Calendar days from a lead's arrival to the end of its deal, won or lost (funnel wins,
    /// failures and leads gone cold; `цикл_календарный`); null when no deal ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_calendar_days: Option<Stats>,
    /// Leads lost for lack of capacity.
    pub cold: Stats,
    pub cost: Stats,
    pub profit: Stats,
    /// Cost per new client; null when no run won a new client.
    pub cac: Option<Stats>,
    /// (revenue − cost) / cost; null without cost.
    pub roi: Option<Stats>,
    /// "revenue", "deals" or "new_clients"; null without a plan.
    pub plan_metric: Option<PlanKind>,
    /// The plan's total over the horizon.
    pub plan_target: Option<f64>,
    /// Probability that the horizon's total meets the plan; null without a plan.
    pub plan_probability: Option<f64>,
    pub channels: Vec<ChannelResult>,
    pub stages: Vec<StageResult>,
    pub roles: Vec<RoleResult>,
    pub months: Vec<MonthResult>,
    /// Null without `--open-deals`.
    pub open_deals: Option<OpenDealsResult>,
    /// The model's KPIs against their targets, in model order.
    pub kpis: Vec<KpiResult>,
    /// The exact expectations over the same horizon from the same start without capacity
    /// limits (`fluid`; an open-deals start is walked without its deals): what the roles'
    /// working time takes away is the difference.
    pub uncapped: Uncapped,
}

/// Horizon totals of the mean-value walk, beside the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Uncapped {
    pub won: f64,
    pub revenue: f64,
    pub new_clients: f64,
}

/// The most memory the per-replication records of one forecast may take (1 GiB).
pub const MAX_RECORD_BYTES: u64 = 1 << 30;

/// The bytes the records of `runs` replications of `model` take over `months` (one `f32` per
/// scalar per replication), to refuse a forecast that would exhaust memory before it starts.
pub fn record_bytes(model: &Model, runs: u32, months: Option<u32>) -> u64 {
    let params = Params::from_model(model, months);
    engine::Layout::for_params(&params).len() as u64 * u64::from(runs) * 4
}

/// Runs the forecast for a model.
pub fn simulate(model: &Model, options: &SimOptions) -> SimResult {
    let params = Params::from_model(model, options.months);
    simulate_params(&params, options, &currency_code(model))
}

/// The model's currency as the results name it (`RUB`, `USD`, …).
pub fn currency_code(model: &Model) -> String {
    serde_json::to_value(model.header.currency)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Runs the forecast for parameters (a model, possibly changed by a scenario).
pub fn simulate_params(params: &Params, options: &SimOptions, currency: &str) -> SimResult {
    let (engine, uncapped) = engine(params, options);
    let records = replicate_all(&engine, options, 0);
    summarise(
        params,
        &engine,
        options,
        currency,
        &records,
        engine.layout.len(),
        uncapped,
    )
}

/// One replication lead by lead — replication 0 of the forecast with the same seed and start
/// (the same draws): every lead's arrival, stage entries and end, in time order. Today's open
/// deals (`--open-deals`) are not traced; a repeat purchase is a deal of its own; the established start's stock
/// enters on day −1.
pub fn trace(params: &Params, options: &SimOptions) -> Vec<TraceEvent> {
    let (engine, _, _) = engine_at_start(params, options);
    let mut work = Work::new(&engine);
    let mut rng = stream(options.seed, 0);
    let mut out = vec![0f32; engine.layout.len()];
    let mut trace = engine::trace::Trace::default();
    if !out.is_empty() {
        engine.replicate_traced(&mut work, &mut rng, &mut out, &mut trace);
    }
    trace.events
}

/// Replication `i`'s random stream for `seed`: every replication of every variant draws from
/// its own, so replication `i` of two variants share their numbers (common random numbers).
fn stream(seed: u64, i: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(i);
    rng
}

/// The floor of the forecast's replications `0..options.runs` ([`Floor`]): their draws,
/// recorded to be made again without the walk around them.
pub fn floor(params: &Params, options: &SimOptions) -> Floor {
    let (engine, _, _) = engine_at_start(params, options);
    Floor::record(engine, options.seed, options.runs)
}

/// The engine for parameters and options — the compiled model plus the open deals or the
/// settled stock — and the exact uncapped horizon from the same start (the stock computed once
/// for both).
fn engine(params: &Params, options: &SimOptions) -> (Engine, Uncapped) {
    let (engine, calendar, stock) = engine_at_start(params, options);
    let e = fluid::walk(params, &calendar, options.start_of(params), stock.as_ref());
    let uncapped = Uncapped {
        won: e.won,
        revenue: e.revenue,
        new_clients: e.new_clients,
    };
    (engine, uncapped)
}

/// [`engine`] without the uncapped horizon (for a comparison's variant that keeps only its
/// revenue, and a trace), with the calendar and the settled stock it was built on.
fn engine_at_start(params: &Params, options: &SimOptions) -> (Engine, start::Calendar, Option<start::Stock>) {
    let mut engine = Engine::sharing(params, options.shared);
    engine.set_open_deals(options.open_deals);
    let start = options.start_of(params);
    let calendar = start::Calendar::new(params);
    let stock = (start == Start::Established).then(|| start::stock(params, &calendar));
    if let Some(stock) = &stock {
        engine.set_stock(stock);
    } else if start == Start::OpenDeals {
        // The deals in progress are the file's; the clients won before still come back.
        let established = options.start.unwrap_or(params.start) == StartKind::Established;
        match &params.prior_repeats {
            Some(due) => engine.set_repeats(due),
            None if established => engine.set_repeats(&start::stock(params, &calendar).repeats),
            None => {}
        }
    }
    (engine, calendar, stock)
}

/// One row of scalars per replication, in replication order: replications `first ..
/// first + options.runs`, each on its own stream, so a batch continues an earlier one exactly.
fn replicate_all(engine: &Engine, options: &SimOptions, first: u64) -> Vec<f32> {
    let width = engine.layout.len();
    let runs = options.runs as usize;
    let mut records = vec![0f32; runs * width];
    let body = |records: &mut Vec<f32>| {
        records.par_chunks_mut(width.max(1)).enumerate().for_each_init(
            || Work::new(engine),
            |work, (i, out)| {
                let mut rng = stream(options.seed, first + i as u64);
                if width > 0 {
                    engine.replicate(work, &mut rng, out);
                }
                if let Some(progress) = options.progress {
                    progress(1);
                }
            },
        );
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.unwrap_or(0))
        .build();
    match pool {
        Ok(pool) => pool.install(|| body(&mut records)),
        Err(_) => body(&mut records),
    }
    records
}

fn summarise(
    params: &Params,
    engine: &Engine,
    options: &SimOptions,
    currency: &str,
    records: &[f32],
    width: usize,
    uncapped: Uncapped,
) -> SimResult {
    let l = &engine.layout;
    let column = |i: usize| -> Vec<f64> { records.chunks(width).map(|r| f64::from(r[i])).collect() };
    let stats = |i: usize| Stats::of(column(i)).unwrap_or_default();
    let stats_opt = |i: usize| Stats::of(column(i));
    let share = |i: usize| -> Option<f64> {
        let v: Vec<f64> = column(i).into_iter().filter(|x| x.is_finite()).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let plan = params.plan.as_ref();
    SimResult {
        runs: options.runs,
        seed: options.seed,
        start: options.start_of(params),
        horizon_months: l.months as u32,
        working_days: engine.days() as u32,
        start_month: params.start_month,
        currency: currency.to_owned(),
        leads: stats(slot::LEADS),
        won: stats(slot::WON),
        revenue: stats(slot::REVENUE),
        new_clients: stats(slot::NEW_CLIENTS),
        repeat_purchases: stats(slot::REPEAT),
        cycle_days: stats_opt(slot::CYCLE),
        cycle_calendar_days: {
            // Working days × 7 ÷ the working week (a working month is week × 52 / 12).
            let week = params.working_days_per_month * 12.0 / 52.0;
            let factor = if week > 0.0 { 7.0 / week } else { 1.0 };
            Stats::of(column(l.ended_cycle()).into_iter().map(|x| x * factor).collect())
        },
        cold: stats(slot::COLD),
        cost: stats(slot::COST),
        profit: stats(slot::PROFIT),
        cac: stats_opt(slot::CAC),
        roi: stats_opt(slot::ROI),
        plan_metric: plan.map(|p| p.kind),
        plan_target: plan.map(PlanParams::total),
        plan_probability: plan.and_then(|_| share(slot::PLAN_MET)),
        channels: params
            .channels
            .iter()
            .enumerate()
            .map(|(c, ch)| ChannelResult {
                channel: ch.name.clone(),
                leads: stats(l.channel(c)),
            })
            .collect(),
        // A stage's figures with those of its channels' copies (`segments`).
        stages: segments::fold(&params.stages)
            .into_iter()
            .map(|group| {
                let st = &params.stages[group[0]];
                let &[s] = group.as_slice() else {
                    return segments::folded(st, &group, |s, k| column(l.stage(s, k)));
                };
                StageResult {
                    pipeline: st.pipeline.clone(),
                    stage: st.name.clone(),
                    entered: stats(l.stage(s, 0)),
                    converted: stats(l.stage(s, 1)),
                    lost: stats(l.stage(s, 2)),
                    cold: stats(l.stage(s, 3)),
                    wip: stats(l.stage(s, 4)),
                    days_in_stage: stats_opt(l.stage(s, 5)),
                }
            })
            .collect(),
        roles: params
            .roles
            .iter()
            .enumerate()
            .map(|(r, role)| RoleResult {
                role: role.name.clone(),
                utilization: stats_opt(l.role(r, 0)),
                backlog: stats(l.role(r, 1)),
                client_work_hours: (role.client_work_minutes_per_day > 0.0)
                    .then(|| role.client_work_minutes_per_day * params.working_days_per_month / 60.0),
            })
            .collect(),
        months: (0..l.months)
            .map(|m| MonthResult {
                month: m as u32 + 1,
                calendar_month: (params.start_month - 1 + m as u32) % 12 + 1,
                leads: stats(l.month(m, 2)),
                channels: params
                    .channels
                    .iter()
                    .enumerate()
                    .map(|(c, channel)| ChannelResult {
                        channel: channel.name.clone(),
                        leads: stats(l.month_channel(m, c)),
                    })
                    .collect(),
                won: stats(l.month(m, 0)),
                revenue: stats(l.month(m, 1)),
                new_clients: stats(l.month_extra(m, MonthField::NewClients)),
                cycle_days: stats_opt(l.month_extra(m, MonthField::Cycle)),
                plan_probability: plan.and_then(|_| share(l.month(m, 3))),
                bottleneck: crate::analyze::busiest(
                    params
                        .roles
                        .iter()
                        .enumerate()
                        .filter_map(|(r, role)| Some((role, share(l.month_role(m, r))?))),
                )
                .map(|(role, utilization)| Bottleneck {
                    role: role.name.clone(),
                    utilization,
                }),
                cold: stats(l.month_extra(m, MonthField::Cold)),
                cost: stats(l.month_extra(m, MonthField::Cost)),
                profit: stats(l.month_extra(m, MonthField::Profit)),
                cac: stats_opt(l.month_extra(m, MonthField::Cac)),
                roi: stats_opt(l.month_extra(m, MonthField::Roi)),
                roles: params
                    .roles
                    .iter()
                    .enumerate()
                    .map(|(r, role)| MonthRole {
                        role: role.name.clone(),
                        utilization: stats_opt(l.month_role(m, r)),
                        backlog: stats(l.month_backlog(m, r)),
                    })
                    .collect(),
            })
            .collect(),
        open_deals: (!options.open_deals.is_empty()).then(|| OpenDealsResult {
            deals: options.open_deals.len() as u32,
            won: stats(l.open(0)),
            revenue: stats(l.open(1)),
        }),
        kpis: kpi::evaluate(params, engine, records, width),
        uncapped,
    }
}
