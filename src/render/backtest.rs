//! The page of `voronka backtest --format html`: the forecast's monthly revenue band (P10–P90
//! with the median) against the revenue the history shows, then the table of months and the
//! horizon's total — the same figures as the terminal table (`report::backtest`).

use super::chart::{self, Lines};
use super::forecast::{Quantiles, document_title, money_fmt, page, safe};
use super::report::backtest::{basis_sentence, signed_percent};
use super::{Renderer, TemplateError, format};
use crate::backtest::Backtest;
use crate::diag::Lang;
use crate::model::Model;
use minijinja::value::Value;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
struct PeriodView {
    month: u32,
    from: String,
    to: String,
    actual: f64,
    revenue: Quantiles,
    inside: bool,
    error: Option<String>,
    won_actual: usize,
    won_p50: f64,
}

#[derive(Debug, Clone, Serialize)]
struct BacktestView {
    lang: &'static str,
    title: String,
    at: String,
    history_until: String,
    open_deals: usize,
    runs: u32,
    seed: u64,
    basis: String,
    chart: Value,
    periods: Vec<PeriodView>,
    inside: usize,
    mean_abs_error: Option<f64>,
    actual_total: f64,
    total: Quantiles,
    total_inside: bool,
    total_error: Option<String>,
    notes: Vec<String>,
}

pub fn report(
    model: &Model,
    b: &Backtest,
    lang: Lang,
    templates: Option<&Path>,
) -> Result<String, TemplateError> {
    let renderer = Renderer::new(lang, model.header.currency, templates)?;
    let money = money_fmt(model.header.currency, lang);
    let chart = chart::lines(
        &Lines {
            title: lang
                .pick(
                    "Выручка по месяцам: прогноз и факт",
                    "Revenue by month: forecast and actual",
                )
                .to_owned(),
            x: b.periods.iter().map(|p| f64::from(p.month)).collect(),
            x_labels: b
                .periods
                .iter()
                .map(|p| {
                    let month = crate::history::dates::parse_day(&p.from).map_or(1, |d| {
                        crate::history::dates::month_of(d).rem_euclid(12) as u32 + 1
                    });
                    format::month_abbr(month, lang).to_string()
                })
                .collect(),
            line: b.periods.iter().map(|p| p.revenue.p50).collect(),
            band: Some((
                b.periods.iter().map(|p| p.revenue.p10).collect(),
                b.periods.iter().map(|p| p.revenue.p90).collect(),
            )),
            reference: Some(b.periods.iter().map(|p| p.actual_revenue).collect()),
            y_range: None,
            legend: [
                lang.pick("P50 (медиана)", "P50 (median)").to_owned(),
                "P10–P90".to_owned(),
                lang.pick("факт по истории", "actual (history)").to_owned(),
            ],
        },
        &money,
    );
    let view = BacktestView {
        lang: lang.pick("ru", "en"),
        title: document_title(model),
        at: b.at.clone(),
        history_until: b.history_until.clone(),
        open_deals: b.open_deals,
        runs: b.forecast.runs,
        seed: b.forecast.seed,
        basis: basis_sentence(b, lang),
        chart: safe(chart),
        periods: b
            .periods
            .iter()
            .map(|p| PeriodView {
                month: p.month,
                from: p.from.clone(),
                to: p.to.clone(),
                actual: p.actual_revenue,
                revenue: (&p.revenue).into(),
                inside: p.inside,
                error: p.median_error.map(|e| signed_percent(e, lang)),
                won_actual: p.actual_won,
                won_p50: p.won.p50,
            })
            .collect(),
        inside: b.inside,
        mean_abs_error: b.mean_abs_error,
        actual_total: b.actual_total,
        total: (&b.total).into(),
        total_inside: b.total_inside,
        total_error: b.total_error.map(|e| signed_percent(e, lang)),
        notes: b.notes.iter().map(|n| n.get(lang).to_owned()).collect(),
    };
    let md = super::tidy(&renderer.render("backtest.md", &view)?);
    page(&renderer, lang.pick("Бэктест прогноза", "Forecast backtest"), &md)
}
