//! Backtesting: how well the forecast would have predicted what the history then shows. The
//! deals open at a date are rebuilt from a CRM's history ([`crate::history`]) — each in the
//! stage it was in at the start of that day, with the working days it had spent there — and
//! the forecast runs from them (the `--open-deals` start) with the regulation's lead flow;
//! then each month of the forecast is set against the deals the history shows won in it:
//! actual against P10/P50/P90, whether it fell inside the band, the error of the median.
//!
//! A month of the forecast is the regulation's working days a month; the periods compared are
//! the same working days counted from the date on the regulation's working week (a period's
//! days off belong to the working day before them), so forecast and history count the same
//! days. Only whole periods the history covers are compared.
//!
//! Depends on `history`, `calibrate` (stage matching), `model` and `sim`; the table is
//! `render::report::backtest`, the page `render::backtest`.

use crate::calibrate::{match_pipeline, match_stage};
use crate::diag::Msg;
use crate::history::dates::{self, is_day_off, working_days_between};
use crate::history::{History, Status};
use crate::model::Model;
use crate::sim::{OpenDeal, Params, SimOptions, SimResult, Stats};
use serde::Serialize;

/// Periods compared when `--months` is not given and the history goes on long enough.
pub const DEFAULT_MONTHS: u32 = 12;

/// One period of the forecast against the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// 1-based month of the forecast.
    pub month: u32,
    /// First and last calendar day of the period (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    /// Revenue of the deals the history shows won in the period.
    pub actual_revenue: f64,
    pub actual_won: usize,
    /// The forecast of the period.
    pub revenue: Stats,
    pub won: Stats,
    /// Whether the actual revenue lies within P10–P90.
    pub inside: bool,
    /// (P50 − actual) / actual; null when nothing was won.
    pub median_error: Option<f64>,
}

/// Which parameters the forecast ran with.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Basis {
    /// The regulation as written.
    Regulation,
    /// A scenario file applied to it.
    Scenario { name: String },
    /// The parameters `calibrate` measures from the history before the date (nothing after
    /// the date is looked at), one label per change.
    Calibrated { changes: Vec<String> },
}

/// The backtest's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    /// The date the forecast starts from (`--at`).
    pub at: String,
    pub basis: Basis,
    /// The last date the history shows.
    pub history_until: String,
    /// Deals open at the date, started from in every replication.
    pub open_deals: usize,
    /// Open deals in stages the regulation does not have (not started from).
    pub open_unmatched: usize,
    pub periods: Vec<Period>,
    /// Periods whose actual revenue lies within P10–P90 (about 80 % of them when the forecast
    /// is calibrated).
    pub inside: usize,
    /// Mean |P50 − actual| / actual over the periods that won something.
    pub mean_abs_error: Option<f64>,
    /// The horizon's revenue: actual against the forecast's total.
    pub actual_total: f64,
    pub total: Stats,
    pub total_inside: bool,
    /// (P50 of the total − actual total) / actual total.
    pub total_error: Option<f64>,
    /// Won deals without an amount (their revenue is missing from the actual).
    pub won_without_amount: usize,
    /// The forecast itself.
    #[serde(skip)]
    pub forecast: SimResult,
    #[serde(skip)]
    pub notes: Vec<Msg>,
}

/// Why a backtest cannot be run.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The history has no deals table: neither open deals nor wins can be told.
    NoDeals,
    /// A deals list without stage history (a spreadsheet snapshot): where each deal stood on
    /// a past date is unknown.
    NoStageHistory,
    /// The date lies outside the history.
    OutsideHistory { first: String, last: String },
    /// Not one whole period after the date is covered by the history.
    NoWholePeriod { last: String },
}

impl Refusal {
    pub fn message(&self) -> Msg {
        match self {
            Refusal::NoDeals => Msg::new(
                "для бэктеста нужна таблица сделок (статус, дата закрытия, сумма): без неё не видно, какие сделки были открыты и что выиграно",
                "a backtest needs the deals table (status, closing date, amount): without it neither the open deals nor the wins can be told",
            ),
            Refusal::NoStageHistory => Msg::new(
                "в истории нет переходов по этапам (выгрузка списка сделок — снимок на сегодня): где стояла каждая сделка на прошлую дату, не узнать; нужна история этапов (журнал переходов или ответы API CRM)",
                "the history has no stage entries (a deals list is a snapshot of today): where each deal stood on a past date cannot be told; the stage history is needed (the event log or the CRM's API responses)",
            ),
            Refusal::OutsideHistory { first, last } => Msg::new(
                format!("дата --at вне истории: история идёт с {first} по {last}"),
                format!("--at lies outside the history, which runs from {first} to {last}"),
            ),
            Refusal::NoWholePeriod { last } => Msg::new(
                format!(
                    "после даты --at история (до {last}) не покрывает ни одного целого месяца прогноза; возьмите дату раньше"
                ),
                format!(
                    "the history (to {last}) covers no whole month of the forecast after --at; pick an earlier date"
                ),
            ),
        }
    }
}

/// The first calendar day of every period and the day after the last: period `m` runs over
/// `[starts[m], starts[m + 1])`. Period 0 starts on `at` itself; every later one on its first
/// working day; the end is the working day after the horizon.
fn period_starts(params: &Params, at: i32, week: i32) -> Vec<i32> {
    let calendar = crate::sim::start::Calendar::new(params);
    let mut starts = vec![at];
    let mut day = at;
    while is_day_off(day, week) {
        day += 1;
    }
    let mut previous = 0;
    for &month in &calendar.month_of_day {
        if month != previous {
            starts.push(day);
            previous = month;
        }
        day += 1;
        while is_day_off(day, week) {
            day += 1;
        }
    }
    starts.push(day);
    starts
}

/// The deals open at the start of `at`, each in the stage it was in then (its last entry
/// before the date) with the working days it had spent there; and how many open deals sat in
/// stages the regulation does not have.
fn open_at(
    model: &Model,
    history: &History,
    stages: &[Option<(usize, usize)>],
    at: i32,
    week: i32,
) -> (Vec<OpenDeal>, usize) {
    let offsets: Vec<usize> = model
        .pipelines
        .iter()
        .scan(0, |n, p| {
            let first = *n;
            *n += p.stages.len();
            Some(first)
        })
        .collect();
    let matched: Vec<Option<usize>> = stages
        .iter()
        .map(|m| m.map(|(pi, si)| offsets[pi] + si))
        .collect();
    // The last entry before `at` of every deal (file order breaks ties within a day).
    let mut last: Vec<Option<(i32, u32)>> = vec![None; history.deals.len()];
    for e in &history.entries {
        if e.day < at {
            let slot = &mut last[e.deal as usize];
            if slot.is_none_or(|(d, _)| e.day >= d) {
                *slot = Some((e.day, e.stage));
            }
        }
    }
    let (mut seeds, mut unmatched) = (Vec::new(), 0);
    for (d, deal) in history.deals.iter().enumerate() {
        let closed_before =
            matches!(deal.status, Some(Status::Won | Status::Lost)) && deal.closed.is_none_or(|c| c < at);
        let Some((day, stage)) = last[d] else {
            continue;
        };
        if closed_before || deal.created.is_some_and(|c| c >= at) {
            continue;
        }
        match matched[stage as usize] {
            Some(stage) => seeds.push(OpenDeal {
                stage,
                days: working_days_between(day, at, week).max(0) as usize,
                amount: deal.amount.filter(|a| *a > 0.0 && a.is_finite()),
            }),
            None => unmatched += 1,
        }
    }
    (seeds, unmatched)
}

/// The regulation's pipeline of every deal: the one the deals table names, else the one of its
/// last stage entry the regulation has.
fn deal_pipelines(model: &Model, history: &History, stages: &[Option<(usize, usize)>]) -> Vec<Option<usize>> {
    let mut out: Vec<(i32, Option<usize>)> = vec![(i32::MIN, None); history.deals.len()];
    for e in &history.entries {
        if let Some((pi, _)) = stages[e.stage as usize] {
            let slot = &mut out[e.deal as usize];
            if e.day >= slot.0 {
                *slot = (e.day, Some(pi));
            }
        }
    }
    history
        .deals
        .iter()
        .zip(out)
        .map(|(d, (_, from_entries))| {
            d.pipeline
                .as_deref()
                .and_then(|p| match_pipeline(model, p))
                .or(from_entries)
        })
        .collect()
}

/// The last date the history shows (an entry, a creation or a closing).
fn history_span(history: &History) -> Option<(i32, i32)> {
    let days = history
        .entries
        .iter()
        .map(|e| e.day)
        .chain(history.deals.iter().flat_map(|d| [d.created, d.closed]).flatten());
    days.fold(None, |span, d| match span {
        None => Some((d, d)),
        Some((a, b)) => Some((a.min(d), b.max(d))),
    })
}

/// The regulation with the parameters `calibrate` measures from the history before `at` — the
/// scenario `calibrate --write-scenario` would write, read back and applied — and the label of
/// every change.
pub fn calibrated(
    model: &Model,
    history: &History,
    at: i32,
    lang: crate::diag::Lang,
) -> (Model, Vec<String>) {
    let window = crate::calibrate::Window {
        since: None,
        until: Some(at - 1),
    };
    let measured = crate::calibrate::calibrate(model, history, window);
    let yaml = crate::calibrate::scenario::yaml(&measured, model, "backtest", lang);
    let mut sources = crate::source::SourceMap::new();
    let id = sources.add(std::path::Path::new("calibrated.yaml"), yaml);
    // The writer only names what the model has; a scenario it cannot read back is its bug,
    // and the regulation is then used as written.
    let Ok(scenario) = crate::scenario::parse(&sources.get(id).text, id, model, "calibrated") else {
        return (model.clone(), Vec::new());
    };
    let labels = scenario.changes.iter().map(|c| c.param.label(lang)).collect();
    (crate::scenario::apply(model, &scenario), labels)
}

/// Runs the backtest: the forecast from the deals open at `at` over `months` (default: the
/// whole periods the history covers, at most [`DEFAULT_MONTHS`]) against the history.
pub fn backtest(
    model: &Model,
    history: &History,
    at: i32,
    months: Option<u32>,
    options: &SimOptions,
) -> Result<Backtest, Refusal> {
    if !history.deals.iter().any(|d| d.status.is_some()) {
        return Err(Refusal::NoDeals);
    }
    if history.entries.is_empty() {
        return Err(Refusal::NoStageHistory);
    }
    let Some((first, last)) = history_span(history) else {
        return Err(Refusal::NoDeals);
    };
    if at <= first || at > last {
        return Err(Refusal::OutsideHistory {
            first: dates::show_day(first),
            last: dates::show_day(last),
        });
    }
    let week = dates::week_days(model.header.work_week_days);
    let mut notes = Vec::new();
    // The periods the history covers whole.
    let wanted = months.unwrap_or(DEFAULT_MONTHS).clamp(1, 120);
    let mut params = Params::from_model(model, Some(wanted));
    let starts = period_starts(&params, at, week);
    let whole = starts.windows(2).take_while(|w| w[1] - 1 <= last).count() as u32;
    if whole == 0 {
        return Err(Refusal::NoWholePeriod {
            last: dates::show_day(last),
        });
    }
    if whole < wanted && months.is_some() {
        notes.push(Msg::new(
            format!(
                "история кончается {}: сравнивается {whole} мес. вместо {wanted}",
                dates::show_day(last)
            ),
            format!(
                "the history ends on {}: {whole} months compared instead of {wanted}",
                dates::show_day(last)
            ),
        ));
    }
    if whole < wanted {
        params = Params::from_model(model, Some(whole));
    }
    let hires = params.roles.iter().any(|r| !r.hires.is_empty());
    if !params.start_from(model, &dates::show_day(at)) && hires {
        notes.push(Msg::new(
            "в положении нет даты начала плана (или даты положения): найм считается с первого месяца прогноза, а не с его даты",
            "the regulation dates neither its plan nor itself: hires count from the forecast's first month, not from their dates",
        ));
    }
    let starts = period_starts(&params, at, week);

    // Day 0 of the forecast: the first working day from the date.
    let mut day0 = at;
    while is_day_off(day0, week) {
        day0 += 1;
    }
    // The regulation's stage of every history stage, matched once.
    let stages: Vec<Option<(usize, usize)>> = history
        .stages
        .iter()
        .map(|(p, s)| match_stage(model, p, s))
        .collect();
    let (seeds, open_unmatched) = open_at(model, history, &stages, day0, week);
    // The clients won before the date come back as the regulation's `повтор` says.
    let pipelines = deal_pipelines(model, history, &stages);
    let wins: Vec<(usize, usize)> = history
        .deals
        .iter()
        .zip(&pipelines)
        .filter_map(|(d, p)| match (d.status, d.closed, p) {
            (Some(Status::Won), Some(c), Some(p)) if c < at => {
                Some((*p, working_days_between(c, day0, week).max(1) as usize))
            }
            _ => None,
        })
        .collect();
    let calendar = crate::sim::start::Calendar::new(&params);
    params.prior_repeats = Some(crate::sim::start::prior_repeats(&params, &calendar, &wins));
    if open_unmatched > 0 {
        notes.push(Msg::new(
            format!("открытых на дату сделок в этапах, которых нет в положении: {open_unmatched} — прогноз начат без них"),
            format!("{open_unmatched} deals open at the date sit in stages the regulation lacks; the forecast starts without them"),
        ));
    }
    if seeds.iter().any(|s| s.amount.is_some()) {
        notes.push(Msg::new(
            "сумма открытой сделки — из таблицы сделок, то есть как она записана сейчас, а не на дату",
            "an open deal's amount comes from the deals table: as written now, not as it was on the date",
        ));
    }
    let sim_options = SimOptions {
        open_deals: &seeds,
        months: Some(params.months as u32),
        ..*options
    };
    let forecast = crate::sim::simulate_params(&params, &sim_options, &crate::sim::currency_code(model));

    // The actual wins of every period: deals of the regulation's pipelines (a deal whose every
    // stage entry is in another pipeline is not counted).
    let mut in_regulation = vec![true; history.deals.len()];
    {
        let mut seen = vec![(false, false); history.deals.len()];
        for e in &history.entries {
            let hit = stages[e.stage as usize].is_some();
            let slot = &mut seen[e.deal as usize];
            *slot = (true, slot.1 || hit);
        }
        for (d, (any, hit)) in seen.into_iter().enumerate() {
            in_regulation[d] = !any || hit;
        }
    }
    let periods_n = params.months;
    let mut revenue = vec![0.0; periods_n];
    let mut won = vec![0usize; periods_n];
    let (mut without_amount, mut elsewhere) = (0usize, 0usize);
    for (d, deal) in history.deals.iter().enumerate() {
        let (Some(Status::Won), Some(c)) = (deal.status, deal.closed) else {
            continue;
        };
        let Some(m) = (0..periods_n).find(|&m| (starts[m]..starts[m + 1]).contains(&c)) else {
            continue;
        };
        if !in_regulation[d] {
            elsewhere += 1;
            continue;
        }
        won[m] += 1;
        match deal.amount.filter(|a| a.is_finite() && *a > 0.0) {
            Some(a) => revenue[m] += a,
            None => without_amount += 1,
        }
    }
    if elsewhere > 0 {
        notes.push(Msg::new(
            format!(
                "{elsewhere} выигранных за период сделок — в воронках, которых нет в положении; не учтены"
            ),
            format!(
                "{elsewhere} deals won in the period belong to pipelines the regulation lacks; not counted"
            ),
        ));
    }
    if without_amount > 0 {
        notes.push(Msg::new(
            format!("выигранных сделок без суммы: {without_amount} — их выручки нет в факте"),
            format!("{without_amount} won deals have no amount: their revenue is missing from the actual"),
        ));
    }
    let error = |forecast: f64, actual: f64| (actual > 0.0).then(|| (forecast - actual) / actual);
    let inside = |s: &Stats, x: f64| s.p10 <= x && x <= s.p90;
    let periods: Vec<Period> = forecast
        .months
        .iter()
        .enumerate()
        .map(|(m, f)| Period {
            month: m as u32 + 1,
            from: dates::show_day(starts[m]),
            to: dates::show_day(starts[m + 1] - 1),
            actual_revenue: revenue[m],
            actual_won: won[m],
            revenue: f.revenue,
            won: f.won,
            inside: inside(&f.revenue, revenue[m]),
            median_error: error(f.revenue.p50, revenue[m]),
        })
        .collect();
    let errors: Vec<f64> = periods
        .iter()
        .filter_map(|p| p.median_error.map(f64::abs))
        .collect();
    let actual_total: f64 = revenue.iter().sum();
    Ok(Backtest {
        at: dates::show_day(at),
        basis: Basis::Regulation,
        history_until: dates::show_day(last),
        open_deals: seeds.len(),
        open_unmatched,
        inside: periods.iter().filter(|p| p.inside).count(),
        mean_abs_error: (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64),
        actual_total,
        total: forecast.revenue,
        total_inside: inside(&forecast.revenue, actual_total),
        total_error: error(forecast.revenue.p50, actual_total),
        won_without_amount: without_amount,
        periods,
        forecast,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Deal, Entry};

    fn model() -> Model {
        crate::compile_str(
            std::path::Path::new("t.sales"),
            &std::fs::read_to_string("examples/agency.sales").expect("example"),
        )
        .model
        .expect("model")
    }

    #[test]
    fn open_deals_are_rebuilt_in_the_stage_they_were_in_at_the_start_of_the_date() {
        let m = model();
        let p = &m.pipelines[0];
        let day = |s: &str| dates::parse_day(s).unwrap();
        let deal = |key: &str, status, closed: Option<&str>| Deal {
            key: key.into(),
            created: Some(day("2026-03-02")),
            status: Some(status),
            closed: closed.map(day),
            amount: Some(5.0),
            ..Deal::default()
        };
        let history = History {
            deals: vec![
                deal("open", Status::Open, None),
                deal("won-later", Status::Won, Some("2026-03-20")),
                deal("lost-before", Status::Lost, Some("2026-03-05")),
                deal("elsewhere", Status::Open, None),
            ],
            entries: vec![
                Entry {
                    deal: 0,
                    day: day("2026-03-02"),
                    stage: 0,
                },
                Entry {
                    deal: 0,
                    day: day("2026-03-06"),
                    stage: 1,
                },
                Entry {
                    deal: 1,
                    day: day("2026-03-02"),
                    stage: 0,
                },
                // Entered the second stage on the date itself: still in the first at its start.
                Entry {
                    deal: 1,
                    day: day("2026-03-10"),
                    stage: 1,
                },
                Entry {
                    deal: 2,
                    day: day("2026-03-02"),
                    stage: 0,
                },
                Entry {
                    deal: 3,
                    day: day("2026-03-02"),
                    stage: 2,
                },
            ],
            stages: vec![
                (p.name.clone(), p.stages[0].name.clone()),
                (p.name.clone(), p.stages[1].name.clone()),
                (String::new(), "Склад".into()),
            ],
            ..History::default()
        };
        let stages: Vec<_> = history
            .stages
            .iter()
            .map(|(p, s)| match_stage(&m, p, s))
            .collect();
        let (seeds, unmatched) = open_at(&m, &history, &stages, day("2026-03-10"), 5);
        assert_eq!(unmatched, 1);
        // Friday 6th → Tuesday 10th: Monday and Tuesday are two working days.
        assert_eq!(
            seeds,
            vec![
                OpenDeal {
                    stage: 1,
                    days: 2,
                    amount: Some(5.0)
                },
                OpenDeal {
                    stage: 0,
                    days: 6,
                    amount: Some(5.0)
                },
            ]
        );
    }

    #[test]
    fn periods_follow_the_forecast_months_on_working_days() {
        let m = model();
        let mut params = Params::from_model(&m, Some(2));
        params.working_days_per_month = 5.0;
        params.months = 2;
        // Wednesday 2026-03-04: 5 working days to the next Wednesday.
        let at = dates::parse_day("2026-03-04").unwrap();
        let starts = period_starts(&params, at, 5);
        let shown: Vec<String> = starts.iter().map(|&d| dates::show_day(d)).collect();
        assert_eq!(shown, ["2026-03-04", "2026-03-11", "2026-03-18"]);
        // A Saturday start: the period begins on the date, the first working day is Monday.
        let at = dates::parse_day("2026-03-07").unwrap();
        let starts = period_starts(&params, at, 5);
        let shown: Vec<String> = starts.iter().map(|&d| dates::show_day(d)).collect();
        assert_eq!(shown, ["2026-03-07", "2026-03-16", "2026-03-23"]);
    }

    #[test]
    fn a_later_start_counts_the_hires_and_the_season_from_it() {
        let m = model();
        let mut p = Params::from_model(&m, Some(6));
        let manager = p
            .roles
            .iter()
            .position(|r| !r.hires.is_empty())
            .expect("agency hires");
        let before = p.roles[manager].hires[0].0;
        // A year after the plan's first month: the hire came twelve months earlier.
        let plan = m.plan.as_ref().and_then(|x| x.start.clone()).expect("plan start");
        let year_later = format!("{}{}", plan[..4].parse::<i32>().unwrap() + 1, &plan[4..7]);
        assert!(p.start_from(&m, &format!("{year_later}-01")));
        assert!((p.roles[manager].hires[0].0 - (before - 12.0)).abs() < 1e-9);
        assert_eq!(p.start_month, plan[5..7].parse::<u32>().unwrap());
    }
}
