//! Calibration: a CRM's deal history ([`crate::history`]) measured against the regulation —
//! per stage the conversion with its Wilson interval, the loss reasons, the time in the stage
//! (Kaplan–Meier: deals still in a stage count as still there, not as lost) and the language's
//! duration that fits it; per channel the leads a month; per pipeline the deal size — each
//! next to the value the file writes, flagged where the file lies outside the interval.
//!
//! Stages are matched by the CRM code (`код`), then the name, then the title (case and `ё`
//! aside); a pipeline by name or title. Unmatched stages and channels are reported with their
//! counts, never guessed.
//!
//! Depends on `model` and `history`; the table is `render::report::calibrate`.

pub mod apply;
pub mod flow;
pub mod mapping;
pub mod scenario;
pub mod snapshot;
pub mod stats;

use crate::diag::Msg;
use crate::history::dates::{self, working_days_between};
use crate::history::{History, Status};
use crate::model::Model;
use serde::Serialize;
use stats::{Fitted, Survival};
use std::collections::HashMap;

/// The period whose stage entries are measured (days from 1970-01-01, both ends included).
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub since: Option<i32>,
    pub until: Option<i32>,
}

/// A measured value and its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub ci95: [f64; 2],
}

impl Estimate {
    /// Whether `x` lies outside the interval.
    pub fn excludes(&self, x: f64) -> bool {
        x < self.ci95[0] || x > self.ci95[1]
    }
}

/// The time deals spent in a stage, in working days, waiting for work included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageTime {
    /// The mean, restricted to the longest time seen (a lower bound while deals are still in
    /// the stage).
    pub mean: f64,
    pub median: Option<u32>,
    pub p10: Option<u32>,
    pub p90: Option<u32>,
    /// Deals that left the stage and deals still in it (censored).
    pub left: usize,
    pub still_in: usize,
    /// The language's duration that fits best, as `длительность` writes it.
    pub fit_ru: Option<String>,
    pub fit_en: Option<String>,
    #[serde(skip)]
    pub triangular: Option<[f64; 3]>,
    /// Its Kolmogorov–Smirnov distance to the data.
    pub fit_ks: Option<f64>,
}

impl StageTime {
    /// The fitted duration in the reader's language.
    pub fn fit(&self, lang: crate::diag::Lang) -> Option<&str> {
        match lang {
            crate::diag::Lang::Ru => self.fit_ru.as_deref(),
            crate::diag::Lang::En => self.fit_en.as_deref(),
        }
    }
}

/// One stage of the regulation, measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageFit {
    pub pipeline: String,
    pub stage: String,
    /// Entries into the stage in the window.
    pub entered: usize,
    /// Left for another stage or won; lost in the stage; still in it (open).
    pub moved_on: usize,
    pub lost: usize,
    pub open: usize,
    /// moved_on / (moved_on + lost): the deals still in the stage are not counted.
    pub conversion: Option<Estimate>,
    /// The share of the stage's deals the regulation sends on — its `конверсия` less the
    /// losses its contacts add (a call not reached: `дозвон`, `иначе -> проиграно`), as the
    /// forecast uses it: the figure the history's conversion is comparable with.
    pub file_conversion: Option<f64>,
    /// `конверсия` as written.
    pub written_conversion: Option<f64>,
    /// Losses by reason, most first; an empty reason: none given.
    pub loss_reasons: Vec<(String, usize)>,
    pub time: Option<StageTime>,
    /// The mean of `длительность` in the regulation (work only, no waiting).
    pub file_duration: Option<f64>,
    /// Whether the stage's chain has a call with `дозвон`.
    pub written_reach: bool,
    /// Reach, for a stage whose chain has a call with `дозвон`, when the history has calls.
    pub reach: Option<ReachFit>,
}

/// A stage's reach (`дозвон`) measured from the calls made while deals were in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachFit {
    /// Outgoing calls made while deals were in the stage, and how many reached the client.
    pub calls: usize,
    pub reached: usize,
    /// Stays in the stage with at least one call.
    pub deals: usize,
    /// reached / calls: the share of attempts that reach the client (Wilson 95 %).
    pub reach: Option<Estimate>,
    /// The regulation's `дозвон`: with several chain calls writing it, their mean weighted by
    /// the attempts each makes per deal entering the stage.
    pub file_reach: f64,
    /// Chain calls with `дозвон` (more than one: the stage's calls are measured as a whole
    /// against the weighted mean).
    pub chain_calls: usize,
    /// The mean attempts up to and including the first that reached the client, over the stays
    /// reached.
    pub attempts_to_reach: Option<f64>,
    /// The mean attempts of the stays never reached (the attempts given before giving up).
    pub attempts_unreached: Option<f64>,
    /// `попыток` of the chain's first call with `дозвон`.
    pub file_attempts: u32,
}

/// One channel: deals created per month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelFit {
    /// The channel's name in the regulation.
    pub channel: String,
    pub deals: usize,
    pub leads_per_month: Estimate,
    pub file_leads_per_month: f64,
    /// Per calendar month (January first) the month's leads over the average month, when the
    /// window holds every calendar month whole.
    pub seasonality: Option<Vec<Estimate>>,
    /// The regulation's `сезонность` as the same index (its average made 1).
    pub file_seasonality: Option<Vec<f64>>,
}

/// One pipeline: the size of its won deals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineFit {
    pub pipeline: String,
    pub won: usize,
    pub deal_size: Option<Estimate>,
    /// The mean of `чек` in the regulation.
    pub file_deal_size: Option<f64>,
    /// Repeat purchases, when the deals table names each deal's client.
    pub repeat: Option<flow::RepeatFit>,
}

/// What the history says of the regulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// The window measured (dates).
    pub since: String,
    pub until: String,
    pub months: f64,
    pub deals: usize,
    pub entries: usize,
    /// Outgoing calls in the history (reach is measured only with some).
    pub calls: usize,
    pub stages: Vec<StageFit>,
    pub channels: Vec<ChannelFit>,
    pub pipelines: Vec<PipelineFit>,
    /// History stages no stage of the regulation matches: (pipeline, stage, entries).
    pub unmatched_stages: Vec<(String, String, usize)>,
    /// History channels no channel of the regulation matches: (channel, deals).
    pub unmatched_channels: Vec<(String, usize)>,
    /// A deals list without stage history (a spreadsheet export): what it can measure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<snapshot::Snapshot>,
    /// What the reader and the measuring repaired or ignored.
    #[serde(skip)]
    pub notes: Vec<Msg>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase().replace('ё', "е")
}

/// The stage of the regulation a history (pipeline, stage) names: (pipeline index, stage
/// index), when exactly one matches.
pub fn match_stage(model: &Model, pipeline: &str, stage: &str) -> Option<(usize, usize)> {
    let (p, s) = (norm(pipeline), norm(stage));
    let pipelines: Vec<usize> = if p.is_empty() {
        (0..model.pipelines.len()).collect()
    } else {
        let named: Vec<usize> = (0..model.pipelines.len())
            .filter(|&i| {
                let pl = &model.pipelines[i];
                names(&p, &pl.name, pl.title.as_deref())
            })
            .collect();
        if named.is_empty() {
            return None;
        }
        named
    };
    // By code first, then name, then title: the first rule that matches exactly one stage.
    let rules: [&dyn Fn(&crate::model::Stage) -> bool; 3] = [
        &|st| st.crm_code.as_deref().is_some_and(|c| norm(c) == s),
        &|st| norm(&st.name) == s,
        &|st| st.title.as_deref().is_some_and(|t| norm(t) == s),
    ];
    for rule in rules {
        let found: Vec<(usize, usize)> = pipelines
            .iter()
            .flat_map(|&pi| {
                model.pipelines[pi]
                    .stages
                    .iter()
                    .enumerate()
                    .filter(|(_, st)| rule(st))
                    .map(move |(si, _)| (pi, si))
            })
            .collect();
        match found.len() {
            1 => return Some(found[0]),
            0 => {}
            _ => return None,
        }
    }
    None
}

/// Whether `n` (already [`norm`]ed) is an item's name or title.
pub(crate) fn names(n: &str, name: &str, title: Option<&str>) -> bool {
    norm(name) == n || title.is_some_and(|t| norm(t) == n)
}

/// The regulation's channel a name or title names.
pub fn match_channel(model: &Model, name: &str) -> Option<usize> {
    let n = norm(name);
    model
        .channels
        .iter()
        .position(|c| names(&n, &c.name, c.title.as_deref()))
}

/// The regulation's pipeline a name or title names (none for an empty name).
pub fn match_pipeline(model: &Model, name: &str) -> Option<usize> {
    let n = norm(name);
    if n.is_empty() {
        return None;
    }
    model
        .pipelines
        .iter()
        .position(|p| names(&n, &p.name, p.title.as_deref()))
}

/// Stage entries past which a deal is reported as implausible.
const RESTLESS: usize = 1000;

/// How one stage entry ended.
#[derive(Clone, Copy, PartialEq)]
enum Exit {
    /// Left for another stage (or won) after that many days.
    MovedOn,
    Lost,
    /// Still in the stage at the end of the window.
    Open,
    /// Closed without a known date: the outcome counts, the time does not.
    Undated(bool),
}

/// Per stage of the regulation, what its entries did.
#[derive(Default, Clone)]
struct Tally {
    entered: usize,
    moved_on: usize,
    lost: usize,
    open: usize,
    times: Vec<(u32, bool)>,
    reasons: HashMap<String, usize>,
    calls: usize,
    reached: usize,
    /// Stays with a call: reached (attempts up to the first reach summed), never reached
    /// (attempts summed).
    reached_stays: usize,
    attempts_to_reach: usize,
    unreached_stays: usize,
    attempts_unreached: usize,
}

/// Measures the regulation's parameters from the history.
pub fn calibrate(model: &Model, history: &History, window: Window) -> Calibration {
    let mut notes = history.notes.clone();
    // Without stage entries (a snapshot) the window starts with the first deal created.
    let first = history
        .entries
        .iter()
        .map(|e| e.day)
        .min()
        .or_else(|| history.deals.iter().filter_map(|d| d.created).min());
    let last = history
        .entries
        .iter()
        .map(|e| e.day)
        .chain(history.deals.iter().filter_map(|d| d.closed.max(d.created)))
        .chain(history.calls.iter().map(|c| c.day))
        .max();
    let since = window.since.or(first).unwrap_or(0);
    let until = window.until.or(last).unwrap_or(since).max(since);
    let months = (f64::from(until - since + 1) / 30.436_875).max(1e-9);
    let week = dates::week_days(model.header.work_week_days);

    // The regulation's stage of every history stage.
    let matched: Vec<Option<(usize, usize)>> = history
        .stages
        .iter()
        .map(|(p, s)| match_stage(model, p, s))
        .collect();
    let mut unmatched: HashMap<u32, usize> = HashMap::new();
    // The first stage of each pipeline in `Params::stages` order (pipelines, then stages).
    let offsets: Vec<usize> = model
        .pipelines
        .iter()
        .scan(0, |at, p| {
            let first = *at;
            *at += p.stages.len();
            Some(first)
        })
        .collect();
    let flat = |pi: usize, si: usize| offsets[pi] + si;
    let stage_count: usize = model.pipelines.iter().map(|p| p.stages.len()).sum();
    let mut tally = vec![Tally::default(); stage_count];
    // Per stage: whether its success and its loss lead to one same stage (the history cannot
    // tell them apart), and the stages its losses are handed to (`отказ -> …`, a retargeting
    // pipeline) — a move there is a loss of the stage, not a step on.
    let params = crate::sim::Params::from_model(model, None);
    let dests = |st: &crate::sim::StageParams, success: bool| -> Vec<usize> {
        st.outcomes
            .iter()
            .filter(|o| o.success == success)
            .filter_map(|o| match o.dest {
                crate::sim::Dest::Stage(x) => Some(x),
                _ => None,
            })
            .collect()
    };
    let (ambiguous, loss_to): (Vec<bool>, Vec<Vec<usize>>) = params
        .stages
        .iter()
        .map(|st| {
            let (on, lost) = (dests(st, true), dests(st, false));
            let shared = on.iter().any(|x| lost.contains(x));
            (shared, lost.into_iter().filter(|x| !on.contains(x)).collect())
        })
        .unzip();
    let stage_name = |x: usize| -> String {
        params
            .stages
            .get(x)
            .map_or_else(String::new, |st| format!("{}.{}", st.pipeline, st.name))
    };

    // Entries by deal, in time order (file order within a day).
    let mut order: Vec<usize> = (0..history.entries.len()).collect();
    order.sort_by_key(|&i| (history.entries[i].deal, history.entries[i].day, i));
    let (mut repeats, mut after_close, mut before_created) = (0usize, 0usize, 0usize);
    // Deals with more stage entries than a deal plausibly has: (key, entries).
    let mut restless: Vec<(String, usize)> = Vec::new();
    let has_deals_table = history.deals.iter().any(|d| d.status.is_some());
    // The pipeline each deal ended in (for its deal size).
    let mut deal_pipeline: Vec<Option<usize>> = vec![None; history.deals.len()];
    // Outgoing calls by deal, in time order (file order within a day); `next_call` walks them
    // alongside the deals.
    let mut calls: Vec<crate::history::Call> = history.calls.iter().copied().filter(|c| c.outgoing).collect();
    calls.sort_by_key(|c| (c.deal, c.day));
    let mut next_call = 0usize;
    let mut calls_outside = 0usize;
    let mut i = 0;
    while i < order.len() {
        let deal = history.entries[order[i]].deal;
        let mut j = i;
        while j < order.len() && history.entries[order[j]].deal == deal {
            j += 1;
        }
        let d = &history.deals[deal as usize];
        // The deal's path: consecutive entries into the same stage are one stay.
        let mut path: Vec<(i32, u32)> = Vec::new();
        for &k in &order[i..j] {
            let e = history.entries[k];
            if d.closed.is_some_and(|c| e.day > c) && d.status != Some(Status::Open) {
                after_close += 1;
                continue;
            }
            if path.last().is_some_and(|&(_, s)| s == e.stage) {
                repeats += 1;
                continue;
            }
            if d.created.is_some_and(|c| e.day < c) {
                before_created += 1;
            }
            path.push((e.day, e.stage));
        }
        if path.len() > RESTLESS {
            restless.push((d.key.clone(), path.len()));
        }
        // The deal's calls by stay: a call belongs to the stay it was made in, a call on the
        // day of a move to the stay the deal left (reaching the client is what moves it on).
        while next_call < calls.len() && calls[next_call].deal < deal {
            calls_outside += 1;
            next_call += 1;
        }
        let mut stay_calls: Vec<Vec<bool>> = vec![Vec::new(); path.len()];
        let closed_end = match d.status {
            Some(Status::Won | Status::Lost) => d.closed.unwrap_or(i32::MAX),
            _ => i32::MAX,
        };
        let mut n = 0;
        while next_call < calls.len() && calls[next_call].deal == deal {
            let c = calls[next_call];
            next_call += 1;
            let end = |n: usize| path.get(n + 1).map_or(closed_end, |&(day, _)| day);
            while n < path.len() && end(n) < c.day {
                n += 1;
            }
            match path.get(n) {
                Some(&(start, _)) if start <= c.day && c.day <= until => stay_calls[n].push(c.reached),
                _ => calls_outside += 1,
            }
        }
        for (n, &(day, stage)) in path.iter().enumerate() {
            let Some((pi, si)) = matched[stage as usize] else {
                *unmatched.entry(stage).or_default() += 1;
                continue;
            };
            deal_pipeline[deal as usize] = Some(pi);
            if day < since || day > until {
                continue;
            }
            let here = flat(pi, si);
            let handed = path
                .get(n + 1)
                .and_then(|&(_, next)| matched[next as usize])
                .map(|(npi, nsi)| flat(npi, nsi))
                .filter(|x| loss_to.get(here).is_some_and(|l| l.contains(x)));
            let (exit, end) = match path.get(n + 1) {
                Some(&(next, _)) if handed.is_some() => (Exit::Lost, Some(next)),
                Some(&(next, _)) => (Exit::MovedOn, Some(next)),
                None => match d.status {
                    Some(Status::Won) => d
                        .closed
                        .map_or((Exit::Undated(true), None), |c| (Exit::MovedOn, Some(c))),
                    Some(Status::Lost) => d
                        .closed
                        .map_or((Exit::Undated(false), None), |c| (Exit::Lost, Some(c))),
                    Some(Status::Open) | None => (Exit::Open, None),
                },
            };
            // An exit after the window's end is not known at its end.
            let (exit, end) = match end {
                Some(e) if e > until => (Exit::Open, None),
                _ => (exit, end),
            };
            let t = &mut tally[here];
            t.entered += 1;
            let made = &stay_calls[n];
            if !made.is_empty() {
                t.calls += made.len();
                t.reached += made.iter().filter(|&&r| r).count();
                match made.iter().position(|&r| r) {
                    Some(k) => {
                        t.reached_stays += 1;
                        t.attempts_to_reach += k + 1;
                    }
                    None => {
                        t.unreached_stays += 1;
                        t.attempts_unreached += made.len();
                    }
                }
            }
            let days = |to: i32| working_days_between(day, to, week).max(0) as u32;
            match exit {
                Exit::MovedOn => {
                    t.moved_on += 1;
                    t.times.push((days(end.unwrap_or(day)), true));
                }
                Exit::Lost => {
                    t.lost += 1;
                    t.times.push((days(end.unwrap_or(day)), true));
                    let reason = match handed {
                        Some(x) => format!("→ {}", stage_name(x)),
                        None => d.loss_reason.clone().unwrap_or_default(),
                    };
                    *t.reasons.entry(reason).or_default() += 1;
                }
                Exit::Open => {
                    t.open += 1;
                    t.times.push((days(until), false));
                }
                Exit::Undated(won) => {
                    if won {
                        t.moved_on += 1;
                    } else {
                        t.lost += 1;
                        let reason = d.loss_reason.clone().unwrap_or_default();
                        *t.reasons.entry(reason).or_default() += 1;
                    }
                }
            }
        }
        i = j;
    }
    calls_outside += calls.len() - next_call;
    if calls_outside > 0 {
        notes.push(Msg::new(
            format!("звонков вне этапов (до первого перехода сделки, после её закрытия или после конца окна): {calls_outside} — в дозвон не входят"),
            format!("{calls_outside} calls outside the stages (before the deal's first entry, after it closed or after the window) left out of reach"),
        ));
    }
    if repeats > 0 {
        notes.push(Msg::new(
            format!("повторных переходов в тот же этап подряд: {repeats} — объединены с предыдущим"),
            format!("{repeats} repeated entries into the same stage merged with the one before"),
        ));
    }
    if after_close > 0 {
        notes.push(Msg::new(
            format!("переходов после закрытия сделки: {after_close} — не учтены"),
            format!("{after_close} entries after the deal was closed left out"),
        ));
    }
    if before_created > 0 {
        notes.push(Msg::new(
            format!("переходов раньше даты создания сделки: {before_created} — учтены по дате перехода"),
            format!("{before_created} entries before the deal's creation date (counted at the entry date)"),
        ));
    }
    if let Some((key, n)) = restless.iter().max_by_key(|r| r.1) {
        notes.push(Msg::new(
            format!(
                "{} {} с более чем {RESTLESS} переходами (больше всех — «{key}»: {n}); похоже на ошибку выгрузки или автоматизации, их переходы учтены",
                restless.len(),
                crate::locale::plural_ru(restless.len() as u64, "сделка", "сделки", "сделок")
            ),
            format!(
                "{} deals with more than {RESTLESS} stage entries (most: `{key}`, {n}); this looks like an export or automation error; their entries are counted",
                restless.len()
            ),
        ));
    }
    // Deals without entries: the pipeline of the stage they are in now (a snapshot).
    for (k, d) in history.deals.iter().enumerate() {
        if deal_pipeline[k].is_none()
            && let Some(s) = d.stage
        {
            deal_pipeline[k] = snapshot::current_pipeline(model, history, s);
        }
    }
    let snapshot = (history.entries.is_empty() && has_deals_table).then(|| {
        notes.push(Msg::new(
            "история переходов по этапам не дана (только сделки с их этапом сейчас): конверсию по этапам и время на этапе по ней не измерить — измерены доля выигранных, цикл сделки, чек, причины потерь и где сейчас открытые сделки",
            "no stage history was given (only the deals and their current stage): per-stage conversion and time in stage cannot be measured from it — the win rate, the sales cycle, the deal size, the loss reasons and where the open deals sit are",
        ));
        snapshot::measure(model, history, since, until)
    });
    if !has_deals_table {
        notes.push(Msg::new(
            "нет таблицы сделок (статус, дата закрытия): сделка в последнем этапе считается ещё открытой, потерь не видно",
            "no deals table (status, closing date): a deal in its last stage counts as still open, losses cannot be seen",
        ));
    }

    let mut stages = Vec::new();
    for (pi, p) in model.pipelines.iter().enumerate() {
        for (si, st) in p.stages.iter().enumerate() {
            let t = &tally[flat(pi, si)];
            let resolved = t.moved_on + t.lost;
            let unclear = ambiguous.get(flat(pi, si)).copied().unwrap_or(false);
            let conversion = stats::wilson(t.moved_on, resolved)
                .filter(|_| !unclear)
                .map(|ci95| Estimate {
                    value: t.moved_on as f64 / resolved as f64,
                    ci95,
                });
            if unclear && t.entered > 0 {
                notes.push(Msg::new(
                    format!(
                        "{}.{}: успех и отказ ведут в один этап — по истории их не различить, конверсия не измерена",
                        p.name, st.name
                    ),
                    format!(
                        "{}.{}: success and loss lead to the same stage — the history cannot tell them apart, conversion not measured",
                        p.name, st.name
                    ),
                ));
            }
            let time = (!t.times.is_empty()).then(|| {
                let curve = Survival::new(&t.times);
                let fit: Option<Fitted> = stats::fit_duration(&curve);
                StageTime {
                    mean: curve.restricted_mean(),
                    median: curve.quantile(0.5),
                    p10: curve.quantile(0.1),
                    p90: curve.quantile(0.9),
                    left: curve.events,
                    still_in: curve.censored,
                    fit_ru: fit.as_ref().map(|f| f.text_ru.clone()),
                    fit_en: fit.as_ref().map(|f| f.text_en.clone()),
                    triangular: fit.as_ref().and_then(|f| f.triangular),
                    fit_ks: fit.as_ref().map(|f| f.ks),
                }
            });
            let mut reasons: Vec<(String, usize)> = t.reasons.iter().map(|(r, &n)| (r.clone(), n)).collect();
            reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let effective = params.stages.get(flat(pi, si)).map(|st| {
                st.outcomes
                    .iter()
                    .filter(|o| o.success)
                    .map(|o| o.probability)
                    .sum::<f64>()
            });
            stages.push(StageFit {
                pipeline: p.name.clone(),
                stage: st.name.clone(),
                entered: t.entered,
                moved_on: t.moved_on,
                lost: t.lost,
                open: t.open,
                conversion,
                file_conversion: effective.filter(|_| st.conversion.is_some()).or(st.conversion),
                written_conversion: st.conversion,
                loss_reasons: reasons,
                time,
                file_duration: st.duration_days.as_ref().map(crate::model::Distribution::mean),
                written_reach: st
                    .chain
                    .iter()
                    .any(|c| c.kind == crate::model::ContactKind::Call && c.reach.is_some()),
                reach: (!calls.is_empty()).then(|| reach_fit(st, t)).flatten(),
            });
        }
    }

    // Channels: deals created in the window.
    let mut per_channel = vec![0usize; model.channels.len()];
    let mut created_by_channel: Vec<Vec<i32>> = vec![Vec::new(); model.channels.len()];
    let mut other: HashMap<String, usize> = HashMap::new();
    let mut sizes: Vec<Vec<f64>> = vec![Vec::new(); model.pipelines.len()];
    let mut won = vec![0usize; model.pipelines.len()];
    let mut client_wins: Vec<Vec<(&str, i32)>> = vec![Vec::new(); model.pipelines.len()];
    for (k, d) in history.deals.iter().enumerate() {
        let created_in = d.created.is_some_and(|c| (since..=until).contains(&c));
        if created_in && let Some(ch) = &d.channel {
            match match_channel(model, ch) {
                Some(c) => {
                    per_channel[c] += 1;
                    created_by_channel[c].extend(d.created);
                }
                None => *other.entry(ch.clone()).or_default() += 1,
            }
        }
        let closed_in = d.closed.is_some_and(|c| (since..=until).contains(&c));
        // A deal without stage entries (a repeat purchase) is placed by the pipeline it names.
        let pipeline =
            deal_pipeline[k].or_else(|| d.pipeline.as_deref().and_then(|p| match_pipeline(model, p)));
        if d.status == Some(Status::Won)
            && closed_in
            && let (Some(client), Some(pi), Some(c)) = (d.client.as_deref(), pipeline, d.closed)
        {
            client_wins[pi].push((client, c));
        }
        if d.status == Some(Status::Won)
            && closed_in
            && let Some(pi) = deal_pipeline[k]
        {
            won[pi] += 1;
            if let Some(a) = d.amount.filter(|&a| a > 0.0) {
                sizes[pi].push(a);
            }
        }
    }
    let any_channel = history
        .deals
        .iter()
        .any(|d| d.channel.is_some() && d.created.is_some());
    // The window's calendar months, for the regulation's seasonality.
    let window_months: Vec<usize> = {
        let (a, b) = (dates::month_of(since), dates::month_of(until));
        (a..=b).map(|m| m.rem_euclid(12) as usize).collect()
    };
    let whole = flow::whole_months(since, until);
    let channels = if any_channel {
        model
            .channels
            .iter()
            .zip(&per_channel)
            .enumerate()
            .map(|(ci, (c, &n))| {
                // The regulation's leads a month averaged over the window's months.
                let season = if c.seasonality.len() == 12 && !window_months.is_empty() {
                    window_months.iter().map(|&m| c.seasonality[m]).sum::<f64>() / window_months.len() as f64
                } else {
                    1.0
                };
                ChannelFit {
                    channel: c.name.clone(),
                    deals: n,
                    leads_per_month: Estimate {
                        value: n as f64 / months,
                        ci95: stats::rate_interval(n, months),
                    },
                    file_leads_per_month: c.leads_per_month * season,
                    seasonality: flow::seasonality(&created_by_channel[ci], &whole),
                    file_seasonality: (c.seasonality.len() == 12)
                        .then(|| c.seasonality.iter().sum::<f64>() / 12.0)
                        .filter(|mean| *mean > 0.0)
                        .map(|mean| c.seasonality.iter().map(|x| x / mean).collect()),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let any_client = history.deals.iter().any(|d| d.client.is_some());
    let pipelines = model
        .pipelines
        .iter()
        .enumerate()
        .map(|(pi, p)| PipelineFit {
            pipeline: p.name.clone(),
            won: won[pi],
            deal_size: stats::mean_interval(&sizes[pi]).map(|(value, ci95)| Estimate { value, ci95 }),
            file_deal_size: p.deal_size.as_ref().map(crate::model::Distribution::mean),
            repeat: any_client.then(|| {
                let after = p
                    .repeat
                    .as_ref()
                    .and_then(|r| r.after_days.as_ref())
                    .map(crate::model::Distribution::mean);
                // One and a half times the regulation's delay, else a year of working days.
                let within = after.map_or(12.0 * model.header.working_days_per_month(), |a| 1.5 * a);
                flow::repeats(
                    &client_wins[pi],
                    until,
                    week,
                    within.round().clamp(1.0, 10_000.0) as u32,
                    (p.repeat.as_ref().map(|r| r.probability), after),
                )
            }),
        })
        .collect();
    let mut unmatched_stages: Vec<(String, String, usize)> = unmatched
        .into_iter()
        .map(|(s, n)| {
            let (p, st) = &history.stages[s as usize];
            (p.clone(), st.clone(), n)
        })
        .collect();
    unmatched_stages.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    let mut unmatched_channels: Vec<(String, usize)> = other.into_iter().collect();
    unmatched_channels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Calibration {
        since: dates::show_day(since),
        until: dates::show_day(until),
        months,
        deals: history.deals.len(),
        entries: history.entries.len(),
        calls: calls.len(),
        stages,
        channels,
        pipelines,
        unmatched_stages,
        unmatched_channels,
        snapshot,
        notes,
    }
}

/// The regulation's reach of a stage — the chain's calls with `дозвон`, their mean weighted by
/// the attempts each makes per deal entering the stage — and the calls measured against it.
/// `None` when no chain call writes `дозвон`.
fn reach_fit(stage: &crate::model::Stage, t: &Tally) -> Option<ReachFit> {
    let weights = stage.contact_attempts();
    let written: Vec<(f64, f64, u32)> = stage
        .chain
        .iter()
        .zip(weights)
        .filter(|(c, _)| c.kind == crate::model::ContactKind::Call)
        .filter_map(|(c, w)| c.reach.map(|r| (r, w, c.max_attempts())))
        .collect();
    let first = written.first()?;
    let total: f64 = written.iter().map(|x| x.1).sum();
    let file_reach = if total > 0.0 {
        written.iter().map(|x| x.0 * x.1).sum::<f64>() / total
    } else {
        first.0
    };
    let mean = |sum: usize, n: usize| (n > 0).then(|| sum as f64 / n as f64);
    Some(ReachFit {
        calls: t.calls,
        reached: t.reached,
        deals: t.reached_stays + t.unreached_stays,
        reach: stats::wilson(t.reached, t.calls).map(|ci95| Estimate {
            value: t.reached as f64 / t.calls as f64,
            ci95,
        }),
        file_reach,
        chain_calls: written.len(),
        attempts_to_reach: mean(t.attempts_to_reach, t.reached_stays),
        attempts_unreached: mean(t.attempts_unreached, t.unreached_stays),
        file_attempts: first.2,
    })
}
