//! The forecast as a document: the report page of `voronka simulate --format html`, the sweep
//! page of `voronka sweep --format html`, and the summary the Положение prints as an appendix
//! when a simulation was run. Builds the template context here from typed views; the charts
//! come from [`super::chart`], the text from `templates/<lang>/forecast.md` and `sweep.md`,
//! the page from `page.html` with `style.css` and `forecast.css`.
//!
//! Reads the model, the analysis and the simulation's results; never runs a simulation and
//! never prints.

use super::chart::{self, Bar, FunnelRow, Limit, Lines, Marker};
use super::format;
use super::{Renderer, TemplateError, markdown_to_html};
use crate::analyze::{Analysis, BOTTLENECK_LOAD, binds};
use crate::diag::Lang;
use crate::model::{Currency, Model};
use crate::planning::{HireResult, ScenarioResult, SweepRow};
use crate::scenario::Param;
use crate::sim::{Paired, Params, PlanKind, SimResult, Start, Stats};
use minijinja::value::Value;
use serde::Serialize;
use std::path::Path;

/// What the report shows: the baseline's summary with its per-replication numbers, and the
/// comparisons `simulate` ran beside it.
#[derive(Debug, Clone, Copy)]
pub struct Forecast<'a> {
    pub result: &'a SimResult,
    /// Revenue of each replication, in replication order (for the histogram).
    pub revenue_runs: &'a [f64],
    /// Deals won in each replication (for the histogram of a plan in deals).
    pub won_runs: &'a [f64],
    pub scenarios: &'a [ScenarioResult],
    pub hires: &'a [HireResult],
}

// ─── Views ────────────────────────────────────────────────────────────────────

/// P10/P50/P90 and the mean of a metric.
#[derive(Debug, Clone, Serialize)]
pub struct Quantiles {
    pub mean: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// Three significant digits: a forecast of 39 462 794 ₽ claims a precision it does not have.
pub fn significant(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(2 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// A paired difference as printed: `+1 234 ± 56`, both rounded like the values compared.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DeltaView {
    pub mean: f64,
    /// Half the width of the 95% interval.
    pub half: f64,
}

fn rounded(p: Paired) -> DeltaView {
    DeltaView {
        mean: significant(p.mean),
        half: significant((p.ci95[1] - p.ci95[0]) / 2.0),
    }
}

impl From<&Stats> for Quantiles {
    fn from(s: &Stats) -> Self {
        Quantiles {
            mean: significant(s.mean),
            p10: significant(s.p10),
            p50: significant(s.p50),
            p90: significant(s.p90),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    /// «выручка», «сделки», «новые клиенты».
    pub metric: &'static str,
    /// True when the target is money (format with `money`).
    pub money: bool,
    pub target: f64,
    pub probability: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthView {
    pub number: u32,
    /// `январь 2026` (the year when the plan says when it starts).
    pub name: String,
    pub revenue: Quantiles,
    pub won: Quantiles,
    pub plan: Option<f64>,
    pub plan_probability: Option<f64>,
    /// The role title and its mean utilisation.
    pub bottleneck: Option<(String, f64)>,
    /// Means over the runs: the month's cost, profit, cost per new client and ROI.
    pub cost: f64,
    pub profit: f64,
    pub cac: Option<f64>,
    pub roi: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    pub title: String,
    pub utilization: Quantiles,
    pub backlog: f64,
    /// At [`BOTTLENECK_LOAD`] or more (`analyze::binds`): drawn red, its leads wait.
    pub saturated: bool,
}

/// What the Положение prints in its forecast appendix.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    pub runs: u32,
    pub seed: u64,
    pub horizon_months: u32,
    /// The state the forecast starts from, in one sentence ([`start_sentence`]).
    pub start: &'static str,
    pub revenue: Quantiles,
    pub won: Quantiles,
    pub new_clients: Quantiles,
    pub profit: Quantiles,
    pub plan: Option<PlanView>,
    pub months: Vec<MonthView>,
    pub roles: Vec<RoleView>,
    /// The busiest role over the horizon: (title, mean utilisation).
    pub bottleneck: Option<(String, f64)>,
    /// Runs of months with the same busiest role: (first month, last month, role title).
    pub bottleneck_periods: Vec<(String, String, String)>,
    /// The busiest role is the bottleneck by the one rule (`analyze::binds`: 85% of its
    /// selling time or more over the horizon): capacity binds.
    pub constrained: bool,
    /// The rule's threshold, [`BOTTLENECK_LOAD`], for the text that states it.
    pub bottleneck_load: f64,
    /// The horizon's revenue without capacity limits (the exact walk `analyze` shows).
    pub uncapped_revenue: f64,
    /// What the roles' working time takes from it, when that is more than sampling error
    /// (4 SE) and 1 % of it: (amount, share of the uncapped revenue).
    pub capacity_loss: Option<(f64, f64)>,
}

#[derive(Debug, Clone, Serialize)]
struct ScenarioView {
    name: String,
    won: f64,
    won_delta: DeltaView,
    revenue: f64,
    revenue_delta: DeltaView,
    plan_probability: Option<f64>,
    plan_delta: Option<DeltaView>,
    /// Replications behind the scenario's figures and its differences (`planning::compare`).
    runs: u32,
}

#[derive(Debug, Clone, Serialize)]
struct HireView {
    role: String,
    won_delta: DeltaView,
    revenue_delta: DeltaView,
    /// The person's pay over the horizon (salary × months); none without a salary.
    cost: Option<f64>,
    profit_delta: DeltaView,
    verdict: &'static str,
    utilization: Option<f64>,
    /// Replications behind the differences (`planning::hires`).
    runs: u32,
}

#[derive(Debug, Clone, Serialize)]
struct ReportView {
    lang: &'static str,
    title: String,
    company: Option<String>,
    summary: SummaryView,
    cycle_days: Option<Quantiles>,
    cold: f64,
    charts: Charts,
    scenarios: Vec<ScenarioView>,
    baseline_won: f64,
    baseline_revenue: f64,
    hires: Vec<HireView>,
    kpis: Vec<KpiRowView>,
}

/// A KPI as the terminal shows it: the mean per period with its P10–P90, the target, the
/// chance to meet it and the colour band.
#[derive(Debug, Clone, Serialize)]
struct KpiRowView {
    title: String,
    period: String,
    mean: String,
    p10: String,
    p90: String,
    target: Option<String>,
    probability: Option<f64>,
    band: Option<&'static str>,
}

/// A KPI's value in its unit.
fn kpi_value(x: f64, unit: Option<&str>, currency: Currency, lang: Lang) -> String {
    match unit {
        Some("%") => format::percent(x, lang),
        Some("₽" | "$" | "€" | "RUB" | "USD" | "EUR") => format::money(significant(x), currency, lang),
        Some(u) => format!("{}\u{a0}{u}", format::number(x, 1, lang)),
        None => format::number(x, 1, lang),
    }
}

fn kpi_rows(model: &Model, r: &SimResult, lang: Lang) -> Vec<KpiRowView> {
    use crate::model::{Bound, Cmp, Period};
    let currency = model.header.currency;
    r.kpis
        .iter()
        .filter_map(|k| {
            let s = k.value.as_ref()?;
            let unit = k.unit.as_deref();
            let v = |x: f64| kpi_value(x, unit, currency, lang);
            let period = k.period.unwrap_or(Period::Month).per(lang);
            let who = if k.per_person.is_empty() {
                ""
            } else {
                pick(lang, ", на человека", ", per person")
            };
            let target = k.target.as_ref().map(|b| match b {
                Bound::Cmp { op, value } => format!(
                    "{} {}",
                    match op {
                        Cmp::Ge => pick(lang, "не менее", "at least"),
                        Cmp::Gt => pick(lang, "более", "more than"),
                        Cmp::Le => pick(lang, "не более", "at most"),
                        Cmp::Lt => pick(lang, "менее", "less than"),
                        Cmp::Eq => pick(lang, "ровно", "exactly"),
                    },
                    v(*value)
                ),
                Bound::Range { min, max } => format!("{}–{}", v(*min), v(*max)),
            });
            Some(KpiRowView {
                title: model
                    .kpis
                    .iter()
                    .find(|x| x.name == k.name)
                    .and_then(|x| x.title.clone())
                    .or_else(|| k.title.clone())
                    .unwrap_or_else(|| k.name.clone()),
                period: format!("{period}{who}"),
                mean: v(s.mean),
                p10: v(s.p10),
                p90: v(s.p90),
                target,
                probability: k.target_probability,
                band: k.band.map(|c| c.word(lang)),
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
struct Charts {
    /// One funnel per pipeline that any lead entered.
    funnels: Vec<Value>,
    revenue: Value,
    /// The histogram of deals when the plan counts deals.
    deals: Option<Value>,
    months: Value,
    roles: Option<Value>,
    /// Revenue of the baseline and each scenario, when scenarios were run.
    scenarios: Option<Value>,
}

fn pick(lang: Lang, ru: &'static str, en: &'static str) -> &'static str {
    lang.pick(ru, en)
}

fn role_title(model: &Model, name: &str) -> String {
    model
        .role(name)
        .and_then(|r| r.title.clone())
        .unwrap_or_else(|| name.to_string())
}

/// The year of the first month: the plan's start, else none.
fn start_year(model: &Model) -> Option<i32> {
    model
        .plan
        .as_ref()
        .and_then(|p| p.start.as_deref())
        .and_then(format::parse_date)
        .map(|(y, ..)| y)
}

fn month_name(model: &Model, result: &SimResult, i: usize, lang: Lang) -> String {
    let m = &result.months[i];
    match start_year(model) {
        Some(y) => {
            let year = y + ((result.start_month - 1) as usize + i) as i32 / 12;
            format::month(year, m.calendar_month, lang)
        }
        None => format::month_abbr(m.calendar_month, lang).to_string(),
    }
}

/// The revenue the roles' working time takes away: the exact uncapped horizon minus the
/// forecast's mean, when it exceeds 4 standard errors and 1 % (else the two agree).
fn capacity_loss(result: &SimResult) -> Option<(f64, f64)> {
    let exact = result.uncapped.revenue;
    let loss = exact - result.revenue.mean;
    let se = result.revenue.sd / f64::from(result.runs.max(1)).sqrt();
    (exact > 0.0 && loss > 4.0 * se && loss > 0.01 * exact).then(|| (loss, loss / exact))
}

/// The state a forecast starts from, in the one sentence every output that shows a forecast
/// prints (DESIGN, "One truth across outputs").
pub fn start_sentence(start: Start, lang: Lang) -> &'static str {
    match start {
        Start::Established => pick(
            lang,
            "Старт — действующий отдел: в первый день в воронке уже идут сделки в том объёме, который процесс поддерживает, и назначены повторные покупки прежних клиентов.",
            "Start — an established department: on day one the pipeline already holds the deals the process sustains, and existing clients' repeat purchases are scheduled.",
        ),
        Start::New => pick(
            lang,
            "Старт — новый отдел: воронка пуста и клиентов ещё нет, поэтому первые месяцы ниже установившегося уровня.",
            "Start — a new department: the pipeline is empty and there are no clients yet, so the first months are below the settled level.",
        ),
        Start::OpenDeals => pick(
            lang,
            "Старт — сегодняшние открытые сделки из файла: каждый прогон начинается с них.",
            "Start — today's open deals from the file: every run starts with them.",
        ),
    }
}

/// The summary of a simulation, as the appendix of the Положение and the head of the report
/// print it.
pub fn summary(model: &Model, result: &SimResult, lang: Lang) -> SummaryView {
    let plan_per_month = Params::from_model(model, Some(result.horizon_months))
        .plan
        .map(|p| p.per_month);
    let plan = match (result.plan_metric, result.plan_target, result.plan_probability) {
        (Some(kind), Some(target), Some(probability)) => Some(PlanView {
            metric: match kind {
                PlanKind::Revenue => pick(lang, "выручка", "revenue"),
                PlanKind::Deals => pick(lang, "сделки", "deals"),
                PlanKind::NewClients => pick(lang, "новые клиенты", "new clients"),
            },
            money: kind == PlanKind::Revenue,
            target,
            probability,
        }),
        _ => None,
    };
    let months: Vec<MonthView> = result
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| MonthView {
            number: m.month,
            name: month_name(model, result, i, lang),
            revenue: (&m.revenue).into(),
            won: (&m.won).into(),
            plan: plan_per_month.as_ref().and_then(|p| p.get(i).copied()),
            plan_probability: m.plan_probability,
            bottleneck: m
                .bottleneck
                .as_ref()
                .map(|b| (role_title(model, &b.role), b.utilization)),
            cost: m.cost.mean,
            profit: m.profit.mean,
            cac: m.cac.map(|c| c.mean),
            roi: m.roi.map(|r| r.mean),
        })
        .collect();
    let mut periods: Vec<(String, String, String)> = Vec::new();
    let mut last_role: Option<&str> = None;
    for (i, m) in result.months.iter().enumerate() {
        let Some(b) = &m.bottleneck else {
            last_role = None;
            continue;
        };
        let name = months[i].name.clone();
        match periods.last_mut() {
            Some(p) if last_role == Some(b.role.as_str()) => p.1 = name,
            _ => periods.push((name.clone(), name, role_title(model, &b.role))),
        }
        last_role = Some(&b.role);
    }
    SummaryView {
        runs: result.runs,
        seed: result.seed,
        horizon_months: result.horizon_months,
        uncapped_revenue: result.uncapped.revenue,
        capacity_loss: capacity_loss(result),
        start: start_sentence(result.start, lang),
        revenue: (&result.revenue).into(),
        won: (&result.won).into(),
        new_clients: (&result.new_clients).into(),
        profit: (&result.profit).into(),
        plan,
        months,
        roles: result
            .roles
            .iter()
            .filter_map(|r| {
                // A role that does no stage work has nothing to show.
                let u = r.utilization.filter(|u| u.p90 > 0.0)?;
                Some(RoleView {
                    title: role_title(model, &r.role),
                    utilization: (&u).into(),
                    backlog: r.backlog.mean,
                    saturated: binds(u.mean),
                })
            })
            .collect(),
        bottleneck: crate::planning::busiest_role(result).map(|(r, u)| (role_title(model, &r), u)),
        bottleneck_periods: periods,
        constrained: crate::planning::bottleneck(result).is_some(),
        bottleneck_load: BOTTLENECK_LOAD,
    }
}

/// One funnel per pipeline with volume: the stage's mean entries, and its conversion
/// (converted / entered) in the right column.
fn funnels(model: &Model, result: &SimResult, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for p in &model.pipelines {
        let rows: Vec<FunnelRow> = result
            .stages
            .iter()
            .filter(|s| s.pipeline == p.name)
            .map(|s| {
                let stage = p.stages.iter().find(|x| x.name == s.stage);
                FunnelRow {
                    label: stage
                        .and_then(|x| x.title.clone())
                        .unwrap_or_else(|| s.stage.clone()),
                    value: s.entered.mean,
                    value_label: format::number(s.entered.mean, 0, lang),
                    note: (s.entered.mean > 0.0)
                        .then(|| format!("→ {}", format::percent(s.converted.mean / s.entered.mean, lang))),
                }
            })
            .collect();
        if rows.is_empty() || rows.iter().all(|r| r.value <= 0.0) {
            continue;
        }
        let title = format!(
            "{} «{}»",
            pick(lang, "Воронка", "Pipeline"),
            p.title.as_deref().unwrap_or(&p.name)
        );
        out.push(chart::funnel(
            &title,
            &rows,
            pick(lang, "конверсия этапа", "stage conversion"),
        ));
    }
    out
}

/// A funnel of one pipeline from the exact analysis: expected entries per stage a month and
/// the stage's success probability; `None` when the pipeline has no stages.
pub fn analysis_funnel(model: &Model, analysis: &Analysis, pipeline: &str, lang: Lang) -> Option<String> {
    let p = model.pipeline(pipeline)?;
    if p.stages.is_empty() {
        return None;
    }
    let rows: Vec<FunnelRow> = p
        .stages
        .iter()
        .map(|s| {
            let entries = analysis
                .department
                .stage_entries
                .iter()
                .find(|e| e.pipeline == p.name && e.stage == s.name)
                .map_or(0.0, |e| e.entries_per_month);
            let success: f64 = s
                .transitions
                .iter()
                .filter(|t| t.kind == crate::model::TransitionKind::Success)
                .map(|t| t.probability)
                .sum();
            FunnelRow {
                label: s.title.clone().unwrap_or_else(|| s.name.clone()),
                value: entries,
                value_label: format::number(entries, 1, lang),
                note: Some(format!("→ {}", format::percent(success, lang))),
            }
        })
        .collect();
    let title = format!(
        "{} «{}»: {}",
        pick(lang, "Воронка", "Pipeline"),
        p.title.as_deref().unwrap_or(&p.name),
        pick(lang, "ожидаемый объём в месяц", "expected volume a month")
    );
    Some(chart::funnel(
        &title,
        &rows,
        pick(lang, "конверсия этапа", "stage conversion"),
    ))
}

pub(super) fn safe(svg: String) -> Value {
    Value::from_safe_string(format!("<div class=\"chart\">{svg}</div>"))
}

/// Money on chart axes and bars, shortened: `1,5 млн ₽`, `300 тыс. ₽`, `$1.5M`, `$300k`.
pub(super) fn money_fmt(currency: Currency, lang: Lang) -> impl Fn(f64) -> String {
    move |x| {
        let a = x.abs();
        let (v, unit) = if a >= 1e6 {
            (x / 1e6, pick(lang, "млн", "M"))
        } else if a >= 1e4 {
            (x / 1e3, pick(lang, "тыс.", "k"))
        } else {
            return format::money(x, currency, lang);
        };
        let number = format::number(v, 1, lang);
        let sign = format::currency_sign(currency);
        match (lang, currency) {
            (Lang::En, Currency::Usd | Currency::Eur) => match number.strip_prefix('−') {
                Some(abs) => format!("−{sign}{abs}{unit}"),
                None => format!("{sign}{number}{unit}"),
            },
            (Lang::En, _) => format!("{number}{unit}{}{sign}", format::NBSP),
            (Lang::Ru, _) => format!("{number}{nb}{unit}{nb}{sign}", nb = format::NBSP),
        }
    }
}

fn share_fmt(lang: Lang) -> impl Fn(f64) -> String {
    move |x| format::percent(x, lang)
}

/// The report's charts as SVG, for a page that lays them out itself (`voronka serve`).
#[derive(Debug, Clone)]
pub struct ChartSet {
    /// One funnel per pipeline that any lead entered.
    pub funnels: Vec<String>,
    pub revenue: String,
    /// The histogram of deals when the plan counts deals.
    pub deals: Option<String>,
    pub months: String,
    pub roles: Option<String>,
    /// Revenue of the baseline and each scenario, when scenarios were run.
    pub scenarios: Option<String>,
}

/// The charts [`report`] draws for `forecast`, as SVG.
pub fn chart_set(model: &Model, forecast: &Forecast, lang: Lang) -> ChartSet {
    let summary = summary(model, forecast.result, lang);
    svg_charts(model, forecast, &summary, lang)
}

fn charts(model: &Model, f: &Forecast, s: &SummaryView, lang: Lang) -> Charts {
    let c = svg_charts(model, f, s, lang);
    Charts {
        funnels: c.funnels.into_iter().map(safe).collect(),
        revenue: safe(c.revenue),
        deals: c.deals.map(safe),
        months: safe(c.months),
        roles: c.roles.map(safe),
        scenarios: c.scenarios.map(safe),
    }
}

fn svg_charts(model: &Model, f: &Forecast, s: &SummaryView, lang: Lang) -> ChartSet {
    let r = f.result;
    let currency = model.header.currency;
    let money = money_fmt(currency, lang);
    let share = share_fmt(lang);
    let bins = (f.revenue_runs.len() as f64).sqrt().ceil().clamp(5.0, 30.0) as usize;
    let plan_marker = |kind: PlanKind, label: String| {
        (r.plan_metric == Some(kind))
            .then_some(r.plan_target)
            .flatten()
            .map(|value| Marker { value, label })
    };
    let revenue_marker = plan_marker(
        PlanKind::Revenue,
        format!(
            "{}: {}",
            pick(lang, "план", "plan"),
            format::money(r.plan_target.unwrap_or(0.0), currency, lang)
        ),
    );
    let revenue = chart::histogram(
        pick(
            lang,
            "Выручка за горизонт: доля прогонов",
            "Revenue over the horizon: share of runs",
        ),
        f.revenue_runs,
        bins,
        revenue_marker.as_ref(),
        &money,
        &share,
    );
    let deals = plan_marker(
        PlanKind::Deals,
        format!(
            "{}: {}",
            pick(lang, "план", "plan"),
            format::number(r.plan_target.unwrap_or(0.0), 0, lang)
        ),
    )
    .map(|m| {
        chart::histogram(
            pick(
                lang,
                "Сделки за горизонт: доля прогонов",
                "Deals over the horizon: share of runs",
            ),
            f.won_runs,
            bins,
            Some(&m),
            &|x| format::number(x, 0, lang),
            &share,
        )
    });
    let revenue_plan = (r.plan_metric == Some(PlanKind::Revenue))
        .then(|| s.months.iter().map(|m| m.plan.unwrap_or(f64::NAN)).collect());
    let months = chart::lines(
        &Lines {
            title: pick(lang, "Выручка по месяцам", "Revenue by month").to_string(),
            x: s.months.iter().map(|m| f64::from(m.number)).collect(),
            x_labels: r
                .months
                .iter()
                .map(|m| format::month_abbr(m.calendar_month, lang).to_string())
                .collect(),
            line: s.months.iter().map(|m| m.revenue.p50).collect(),
            band: Some((
                s.months.iter().map(|m| m.revenue.p10).collect(),
                s.months.iter().map(|m| m.revenue.p90).collect(),
            )),
            reference: revenue_plan,
            y_range: None,
            legend: [
                pick(lang, "P50 (медиана)", "P50 (median)").to_string(),
                pick(lang, "P10–P90", "P10–P90").to_string(),
                pick(lang, "план", "plan").to_string(),
            ],
        },
        &money,
    );
    let roles = (!s.roles.is_empty()).then(|| {
        let rows: Vec<Bar> = s
            .roles
            .iter()
            .map(|r| Bar {
                label: r.title.clone(),
                value: r.utilization.mean,
                low: r.utilization.p10,
                high: r.utilization.p90,
                highlight: r.saturated,
            })
            .collect();
        let full = Marker {
            value: 1.0,
            label: format::percent(1.0, lang),
        };
        chart::bars(
            pick(
                lang,
                "Загрузка ролей за горизонт",
                "Utilisation by role over the horizon",
            ),
            &rows,
            Some((&full, Limit::Capacity)),
            &share,
        )
    });
    // The baseline and each scenario: mean revenue with its P10–P90, against the plan.
    let scenarios = (!f.scenarios.is_empty()).then(|| {
        let mut rows = vec![Bar {
            label: pick(lang, "База", "Baseline").to_string(),
            value: r.revenue.mean,
            low: r.revenue.p10,
            high: r.revenue.p90,
            highlight: false,
        }];
        rows.extend(f.scenarios.iter().map(|s| Bar {
            label: s.name.clone(),
            value: s.revenue.mean,
            low: s.revenue.p10,
            high: s.revenue.p90,
            highlight: false,
        }));
        chart::bars(
            pick(
                lang,
                "Выручка за горизонт: база и сценарии",
                "Revenue over the horizon: baseline and scenarios",
            ),
            &rows,
            revenue_marker.as_ref().map(|m| (m, Limit::Plan)),
            &money,
        )
    });
    ChartSet {
        funnels: funnels(model, r, lang),
        revenue,
        deals,
        months,
        roles,
        scenarios,
    }
}

/// Wraps Markdown into the report page: `page.html` with `style.css` and `forecast.css`.
pub(super) fn page(renderer: &Renderer, title: &str, md: &str) -> Result<String, TemplateError> {
    let css = format!("{}\n{}", renderer.raw("style.css"), renderer.raw("forecast.css"));
    renderer.render(
        "page.html",
        minijinja::context! {
            title => title,
            css => Value::from_safe_string(css),
            body => Value::from_safe_string(markdown_to_html(md)),
        },
    )
}

pub(super) fn document_title(model: &Model) -> String {
    model
        .header
        .company
        .clone()
        .or_else(|| model.header.department.clone())
        .or_else(|| model.header.title.clone())
        .unwrap_or_default()
}

/// The forecast report of `voronka simulate --format html`: a self-contained HTML page.
pub fn report(
    model: &Model,
    forecast: &Forecast,
    lang: Lang,
    templates: Option<&Path>,
) -> Result<String, TemplateError> {
    let renderer = Renderer::new(lang, model.header.currency, templates)?;
    let r = forecast.result;
    let summary = summary(model, r, lang);
    let charts = charts(model, forecast, &summary, lang);
    let view = ReportView {
        lang: lang.pick("ru", "en"),
        title: document_title(model),
        company: model.header.company.clone(),
        cycle_days: r.cycle_days.as_ref().map(Into::into),
        cold: r.cold.mean,
        charts,
        scenarios: forecast
            .scenarios
            .iter()
            .map(|s| ScenarioView {
                name: s.name.clone(),
                won: significant(s.won.mean),
                won_delta: rounded(s.delta.won),
                revenue: significant(s.revenue.mean),
                revenue_delta: rounded(s.delta.revenue),
                plan_probability: s.plan_probability,
                plan_delta: s.delta.plan_probability.map(rounded),
                runs: s.runs,
            })
            .collect(),
        baseline_won: significant(r.won.mean),
        baseline_revenue: significant(r.revenue.mean),
        hires: forecast
            .hires
            .iter()
            .map(|h| HireView {
                role: role_title(model, &h.role),
                won_delta: rounded(h.won_delta),
                revenue_delta: rounded(h.revenue_delta),
                cost: model
                    .role(&h.role)
                    .and_then(|x| x.salary)
                    .map(|pay| pay * f64::from(r.horizon_months)),
                profit_delta: rounded(h.profit_delta),
                verdict: h.verdict.text(lang),
                utilization: r
                    .roles
                    .iter()
                    .find(|x| x.role == h.role)
                    .and_then(|x| x.utilization)
                    .map(|u| u.mean),
                runs: h.runs,
            })
            .collect(),
        kpis: kpi_rows(model, r, lang),
        summary,
    };
    let md = super::tidy(&renderer.render("forecast.md", &view)?);
    let title = format!(
        "{} — {}",
        pick(lang, "Прогноз продаж", "Sales forecast"),
        view.title
    );
    page(&renderer, title.trim_end_matches(" — "), &md)
}

#[derive(Debug, Clone, Serialize)]
struct SweepRowView {
    value: String,
    won: f64,
    revenue: Quantiles,
    plan_probability: Option<f64>,
    role: Option<String>,
    utilization: Option<f64>,
    /// Replications behind the row's figures.
    runs: u32,
}

#[derive(Debug, Clone, Serialize)]
struct SweepView {
    lang: &'static str,
    title: String,
    parameter: String,
    /// The cap: `--runs`.
    runs: u32,
    /// `--precision` as a share, and the sweep's spread it is a share of (`planning::sweep`).
    precision: f64,
    spread: f64,
    /// The fewest and the most replications a value took.
    runs_min: u32,
    runs_max: u32,
    seed: u64,
    start: &'static str,
    plan: Option<f64>,
    rows: Vec<SweepRowView>,
    revenue_chart: Value,
    plan_chart: Option<Value>,
}

/// The sweep page of `voronka sweep --format html`: revenue (P50 with the P10–P90 band) and
/// the probability of the plan against the swept value.
pub fn sweep_report(
    model: &Model,
    param: &Param,
    rows: &[SweepRow],
    options: &crate::sim::SimOptions,
    precision: f64,
    lang: Lang,
    templates: Option<&Path>,
) -> Result<String, TemplateError> {
    let renderer = Renderer::new(lang, model.header.currency, templates)?;
    let currency = model.header.currency;
    let label = param.label(lang);
    let value_label = |v: f64| match param {
        Param::Conversion { .. } => format::percent(v, lang),
        Param::DealSize { .. } | Param::LeadCost { .. } => format::money(v, currency, lang),
        _ => format::number(v, 2, lang),
    };
    let x: Vec<f64> = rows.iter().map(|r| r.value).collect();
    let x_labels: Vec<String> = rows.iter().map(|r| value_label(r.value)).collect();
    // A changed plan moves with the value; otherwise the plan is the model's.
    let plan = match param {
        Param::Plan { .. } => None,
        _ => Params::from_model(model, options.months)
            .plan
            .filter(|p| p.kind == PlanKind::Revenue)
            .map(|p| p.total()),
    };
    let money = money_fmt(currency, lang);
    let revenue_chart = chart::lines(
        &Lines {
            title: format!(
                "{}: {label}",
                pick(
                    lang,
                    "Выручка за горизонт при значении",
                    "Revenue over the horizon by"
                )
            ),
            x: x.clone(),
            x_labels: x_labels.clone(),
            line: rows.iter().map(|r| r.revenue.p50).collect(),
            band: Some((
                rows.iter().map(|r| r.revenue.p10).collect(),
                rows.iter().map(|r| r.revenue.p90).collect(),
            )),
            reference: plan.map(|p| vec![p; rows.len()]),
            y_range: None,
            legend: [
                pick(lang, "P50 (медиана)", "P50 (median)").to_string(),
                "P10–P90".to_string(),
                pick(lang, "план", "plan").to_string(),
            ],
        },
        &money,
    );
    let plan_chart = rows.iter().any(|r| r.plan_probability.is_some()).then(|| {
        chart::lines(
            &Lines {
                title: format!(
                    "{}: {label}",
                    pick(
                        lang,
                        "Вероятность выполнить план при значении",
                        "Probability of the plan by"
                    )
                ),
                x: x.clone(),
                x_labels: x_labels.clone(),
                line: rows
                    .iter()
                    .map(|r| r.plan_probability.unwrap_or(f64::NAN))
                    .collect(),
                band: None,
                reference: None,
                y_range: Some((0.0, 1.0)),
                legend: [
                    pick(lang, "P(план)", "P(plan)").to_string(),
                    String::new(),
                    String::new(),
                ],
            },
            &share_fmt(lang),
        )
    });
    let view = SweepView {
        lang: lang.pick("ru", "en"),
        title: document_title(model),
        parameter: label.clone(),
        runs: options.runs,
        precision,
        spread: crate::planning::sweep_spread(rows),
        runs_min: rows.iter().map(|r| r.runs).min().unwrap_or(options.runs),
        runs_max: rows.iter().map(|r| r.runs).max().unwrap_or(options.runs),
        seed: options.seed,
        start: start_sentence(options.start_of(&Params::from_model(model, options.months)), lang),
        plan,
        rows: rows
            .iter()
            .zip(&x_labels)
            .map(|(r, v)| SweepRowView {
                value: v.clone(),
                won: significant(r.won.mean),
                revenue: (&r.revenue).into(),
                plan_probability: r.plan_probability,
                role: r.role.as_deref().map(|x| role_title(model, x)),
                utilization: r.utilization.map(|u| u.mean),
                runs: r.runs,
            })
            .collect(),
        revenue_chart: safe(revenue_chart),
        plan_chart: plan_chart.map(safe),
    };
    let md = super::tidy(&renderer.render("sweep.md", &view)?);
    let title = format!("{}: {label}", pick(lang, "Перебор", "Sweep"));
    page(&renderer, &title, &md)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_money_is_short_and_reads_naturally() {
        let ru = money_fmt(Currency::Rub, Lang::Ru);
        assert_eq!(ru(45_100_000.0), "45,1\u{a0}млн\u{a0}₽");
        assert_eq!(ru(300_000.0), "300\u{a0}тыс.\u{a0}₽");
        assert_eq!(ru(0.0), "0\u{a0}₽");
        let en = money_fmt(Currency::Usd, Lang::En);
        assert_eq!(en(1_500_000.0), "$1.5M");
        assert_eq!(en(-300_000.0), "−$300k");
        assert_eq!(significant(39_462_794.0), 39_500_000.0);
        assert_eq!(significant(0.5143), 0.514);
        assert_eq!(significant(-1234.0), -1230.0);
    }
}
