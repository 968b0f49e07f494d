//! What the page shows, built on the server: the figures (formatted as the HTML report formats
//! them), the charts and diagrams the report draws (SVG from `render`), the controls with their
//! values, and the state (busy, errors, greyed out). Sent to the page as one JSON document per
//! version.
//!
//! Reads the model and the forecasts; never simulates.

use super::controls::Control;
use super::results::{Fragments, Loaded, Outcome, Settings};
use crate::diag::Lang;
use crate::model::{Currency, Model};
use crate::planning::ScenarioResult;
use crate::render::chart::esc;
use crate::render::forecast::{Forecast, chart_set, significant, start_sentence};
use crate::render::format;
use crate::sim::{Paired, PlanKind, Runs, SimResult};
use serde::Serialize;

fn figure(svg: String) -> String {
    format!("<figure class=\"chart\">{svg}</figure>")
}

/// What does not change until the file does: a diagram of each pipeline and the exact
/// analysis' funnel of each.
pub fn fixed(model: &Model, lang: Lang) -> Fragments {
    let analysis = crate::analyze::analyze(model);
    let mut out = Vec::new();
    for p in &model.pipelines {
        if p.stages.is_empty() {
            continue;
        }
        out.push(figure(crate::render::svg::pipeline(model, p, lang)));
        if let Some(f) = crate::render::forecast::analysis_funnel(model, &analysis, &p.name, lang) {
            out.push(figure(f));
        }
    }
    out
}

/// The forecast's charts: the scenario's (or the baseline's) revenue distribution against the
/// plan, months with the P10–P90 band, funnels and utilisation, and — beside a scenario — the
/// baseline and the scenario side by side.
pub fn charts(
    model: &Model,
    result: &SimResult,
    runs: &Runs,
    against: Option<(&SimResult, &ScenarioResult)>,
    lang: Lang,
) -> Fragments {
    let set = chart_set(
        model,
        &Forecast {
            result,
            revenue_runs: &runs.revenue,
            won_runs: &runs.won,
            scenarios: &[],
            hires: &[],
        },
        lang,
    );
    let mut out = Vec::new();
    if let Some((base, compared)) = against {
        let both = chart_set(
            model,
            &Forecast {
                result: base,
                revenue_runs: &[],
                won_runs: &[],
                scenarios: std::slice::from_ref(compared),
                hires: &[],
            },
            lang,
        );
        out.extend(both.scenarios.map(figure));
    }
    out.push(figure(set.revenue));
    out.extend(set.deals.map(figure));
    out.push(figure(set.months));
    out.extend(set.roles.map(figure));
    out.extend(set.funnels.into_iter().map(figure));
    out
}

/// Everything [`json`] reads.
pub struct State<'a> {
    pub settings: &'a Settings,
    pub loaded: Option<&'a Loaded>,
    pub outcome: Option<&'a Outcome>,
    pub errors: Option<&'a str>,
    pub warnings: usize,
    pub busy: bool,
    pub problem: Option<&'a str>,
    pub generation: u64,
}

#[derive(Serialize)]
struct ControlView<'a> {
    #[serde(flatten)]
    control: &'a Control,
    value: f64,
}

/// The figures the browser test compares with `simulate --scenario`, unrounded.
#[derive(Serialize, Default)]
struct Numbers {
    base_revenue: Option<f64>,
    base_plan: Option<f64>,
    revenue: Option<f64>,
    plan: Option<f64>,
    runs: Option<u32>,
}

#[derive(Serialize)]
struct View<'a> {
    lang: &'static str,
    currency: &'static str,
    title: String,
    subtitle: String,
    busy: bool,
    /// The generation the shown forecast is for, and the newest one asked for.
    shown: u64,
    generation: u64,
    stale: bool,
    errors: Option<&'a str>,
    problem: Option<&'a str>,
    warnings: usize,
    controls: Vec<ControlView<'a>>,
    figures: String,
    verdict: String,
    numbers: Numbers,
    charts: &'a [String],
    fixed: &'a [String],
    yaml: &'a str,
}

/// The page's view as JSON.
pub fn json(s: &State) -> String {
    let lang = s.settings.lang;
    let model = s.loaded.map(|l| &l.model);
    let title = model
        .and_then(|m| {
            m.header
                .company
                .clone()
                .or_else(|| m.header.department.clone())
                .or_else(|| m.header.title.clone())
        })
        .unwrap_or_else(|| s.settings.file.display().to_string());
    let (figures, verdict, numbers) = match (s.loaded, s.outcome) {
        (Some(l), Some(o)) => figures(l, o, lang),
        _ => (String::new(), String::new(), Numbers::default()),
    };
    let subtitle = s.loaded.map_or(String::new(), |l| {
        let r = &l.base;
        let runs = format::number(f64::from(r.runs), 0, lang);
        match lang {
            Lang::Ru => format!(
                "Горизонт {} мес · {runs} прогонов · зерно {} · {}",
                r.horizon_months,
                r.seed,
                start_sentence(r.start, lang)
            ),
            Lang::En => format!(
                "Horizon {} months · {runs} runs · seed {} · {}",
                r.horizon_months,
                r.seed,
                start_sentence(r.start, lang)
            ),
        }
    });
    let values = s.outcome.map(|o| &o.values);
    let controls = s.loaded.map_or(Vec::new(), |l| {
        l.controls
            .iter()
            .map(|c| ControlView {
                control: c,
                value: values.and_then(|v| v.get(&c.id)).copied().unwrap_or(c.base),
            })
            .collect()
    });
    let view = View {
        lang: lang.pick("ru", "en"),
        currency: format::currency_sign(model.map_or(Currency::Rub, |m| m.header.currency)),
        title,
        subtitle,
        busy: s.busy,
        shown: s.outcome.map_or(0, |o| o.generation),
        generation: s.generation,
        stale: s.errors.is_some(),
        errors: s.errors,
        problem: s.problem,
        warnings: s.warnings,
        controls,
        figures,
        verdict,
        numbers,
        charts: s.outcome.map_or(&[][..], |o| &o.charts[..]),
        fixed: s.loaded.map_or(&[][..], |l| &l.fixed[..]),
        yaml: s.outcome.map_or("", |o| &o.yaml),
    };
    serde_json::to_string(&view).unwrap_or_else(|_| String::from("{}"))
}

fn money(x: f64, c: Currency, lang: Lang) -> String {
    format::money(significant(x), c, lang)
}

/// `+1 230 000 ₽ ± 56 000 ₽`, as the report prints a difference.
fn delta(d: &Paired, show: &dyn Fn(f64) -> String) -> String {
    let half = (d.ci95[1] - d.ci95[0]) / 2.0;
    let mean = significant(d.mean);
    let sign = if mean > 0.0 { "+" } else { "" };
    format!("{sign}{} ± {}", show(mean), show(significant(half)))
}

fn card(key: &str, label: &str, value: f64, shown: &str, sub: &str, class: &str) -> String {
    format!(
        "<div class=\"card {class}\"><div class=\"label\">{}</div><div class=\"value\" data-k=\"{key}\" data-value=\"{value}\">{}</div><div class=\"sub\">{}</div></div>",
        esc(label),
        esc(shown),
        sub
    )
}

fn figures(l: &Loaded, o: &Outcome, lang: Lang) -> (String, String, Numbers) {
    let c = l.model.header.currency;
    let base = &l.base;
    let compared = o.compared.as_ref();
    let pct = |x: f64| format::percent(x, lang);
    let base_word = lang.pick("база", "baseline");
    let mut out = String::new();
    // Revenue.
    let revenue = compared.map_or(base.revenue.mean, |s| s.revenue.mean);
    let sub = match compared {
        Some(s) => format!(
            "{base_word} {} · <span class=\"delta\" data-k=\"revenue-delta\">Δ {}</span>",
            esc(&money(base.revenue.mean, c, lang)),
            esc(&delta(&s.delta.revenue, &|x| format::money(x, c, lang)))
        ),
        None => esc(&format!(
            "P10–P90: {} – {}",
            money(base.revenue.p10, c, lang),
            money(base.revenue.p90, c, lang)
        )),
    };
    out.push_str(&card(
        "revenue",
        lang.pick("Выручка за горизонт", "Revenue over the horizon"),
        revenue,
        &money(revenue, c, lang),
        &sub,
        "",
    ));
    // Probability of the plan.
    let plan = compared.map_or(base.plan_probability, |s| s.plan_probability);
    let mut verdict = String::new();
    if let Some(p) = plan {
        let sub = match (compared, base.plan_probability) {
            (Some(s), Some(b)) => {
                let d = s
                    .delta
                    .plan_probability
                    .map(|d| {
                        format!(
                            " · <span class=\"delta\" data-k=\"plan-delta\">Δ {}</span>",
                            esc(&delta(&d, &|x| format::percent(x, lang)))
                        )
                    })
                    .unwrap_or_default();
                format!("{base_word} {}{d}", esc(&pct(b)))
            }
            _ => esc(&plan_target(base, c, lang)),
        };
        let class = if p >= 0.8 {
            "good"
        } else if p >= 0.5 {
            "warn"
        } else {
            "bad"
        };
        out.push_str(&card(
            "plan",
            lang.pick("Вероятность выполнить план", "Probability of meeting the plan"),
            p,
            &pct(p),
            &sub,
            class,
        ));
        verdict = plan_verdict(p, compared.and_then(|s| s.delta.plan_probability), lang);
    }
    // Deals.
    let won = compared.map_or(base.won.mean, |s| s.won.mean);
    let sub = match compared {
        Some(s) => format!(
            "{base_word} {} · Δ {}",
            esc(&format::number(significant(base.won.mean), 1, lang)),
            esc(&delta(&s.delta.won, &|x| format::number(x, 1, lang)))
        ),
        None => esc(&format!(
            "P10–P90: {} – {}",
            format::number(significant(base.won.p10), 0, lang),
            format::number(significant(base.won.p90), 0, lang)
        )),
    };
    out.push_str(&card(
        "won",
        lang.pick("Сделок за горизонт", "Deals over the horizon"),
        won,
        &format::number(significant(won), 1, lang),
        &sub,
        "",
    ));
    // Profit of the scenario's own runs.
    let profit = o
        .scenario
        .as_ref()
        .map_or(base.profit.mean, |(r, _)| r.profit.mean);
    out.push_str(&card(
        "profit",
        lang.pick("Прибыль за горизонт", "Profit over the horizon"),
        profit,
        &money(profit, c, lang),
        &esc(&format!("{base_word} {}", money(base.profit.mean, c, lang))),
        "",
    ));
    let numbers = Numbers {
        base_revenue: Some(base.revenue.mean),
        base_plan: base.plan_probability,
        revenue: Some(revenue),
        plan,
        runs: Some(compared.map_or(base.runs, |s| s.runs)),
    };
    (out, verdict, numbers)
}

fn plan_target(r: &SimResult, c: Currency, lang: Lang) -> String {
    let Some(t) = r.plan_target else {
        return String::new();
    };
    let shown = match r.plan_metric {
        Some(PlanKind::Revenue) => format::money(t, c, lang),
        _ => format::number(t, 0, lang),
    };
    format!(
        "{}: {shown}",
        lang.pick("план за горизонт", "plan over the horizon")
    )
}

/// The verdict on the plan in one sentence, and what the change does to it.
fn plan_verdict(p: f64, d: Option<Paired>, lang: Lang) -> String {
    let pct = format::percent(p, lang);
    let head = if p >= 0.8 {
        match lang {
            Lang::Ru => format!("План реален: он выполняется в {pct} прогонов."),
            Lang::En => format!("The plan is realistic: it is met in {pct} of runs."),
        }
    } else if p >= 0.5 {
        match lang {
            Lang::Ru => format!("План под риском: он выполняется лишь в {pct} прогонов."),
            Lang::En => format!("The plan is at risk: it is met in only {pct} of runs."),
        }
    } else {
        match lang {
            Lang::Ru => format!("План, скорее всего, не будет выполнен: только {pct} прогонов."),
            Lang::En => format!("The plan will most likely be missed: only {pct} of runs meet it."),
        }
    };
    let tail = match d {
        Some(d) if d.excludes_zero() && d.mean > 0.0 => lang.pick(
            " Изменения повышают вероятность плана (95 % ДИ разности выше нуля).",
            " The changes raise the probability of the plan (the 95% CI of the difference is above zero).",
        ),
        Some(d) if d.excludes_zero() => lang.pick(
            " Изменения снижают вероятность плана (95 % ДИ разности ниже нуля).",
            " The changes lower the probability of the plan (the 95% CI of the difference is below zero).",
        ),
        Some(_) => lang.pick(
            " Разница с базой не отличима от нуля.",
            " The difference from the baseline is indistinguishable from zero.",
        ),
        None => "",
    };
    format!("{head}{tail}")
}
