//! `voronka backtest` as a terminal table: per month of the forecast the actual revenue the
//! history shows against P10/P50/P90, whether it fell inside the band and the error of the
//! median; then the horizon's total and what was left out.

use super::{Table, money, percent};
use crate::backtest::{Backtest, Basis};
use crate::diag::Lang;
use crate::model::Currency;
use std::fmt::Write as _;

/// A signed share: `+12 %`, `−8 %`.
pub fn signed_percent(x: f64, lang: Lang) -> String {
    let shown = percent(x, lang);
    if x > 0.0 && !shown.starts_with('+') {
        format!("+{shown}")
    } else {
        shown
    }
}

/// What the forecast ran with, as a sentence.
pub fn basis_sentence(b: &Backtest, lang: Lang) -> String {
    match &b.basis {
        Basis::Regulation => lang
            .pick("как записаны в положении", "as the regulation writes them")
            .to_owned(),
        Basis::Scenario { name } => format!(
            "{} «{name}»",
            lang.pick("положения со сценарием", "the regulation's with scenario")
        ),
        Basis::Calibrated { changes } => format!(
            "{} ({}: {})",
            lang.pick(
                "измеренные по истории до даты (как calibrate, без заглядывания вперёд)",
                "measured from the history before the date (as calibrate does, no look-ahead)"
            ),
            lang.pick("изменено", "changed"),
            if changes.is_empty() {
                "—".to_owned()
            } else {
                changes.join(", ")
            }
        ),
    }
}

pub fn table(b: &Backtest, currency: Currency, lang: Lang) -> String {
    let pick = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let m = |x: f64| money(x, currency, lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({} {}; {} {}); {}: {}",
        pick("Бэктест: прогноз с", "Backtest: forecast from"),
        b.at,
        b.open_deals,
        pick("открытых сделок", "open deals"),
        pick("история до", "history to"),
        b.history_until,
        pick("параметры", "parameters"),
        basis_sentence(b, lang),
    );
    let _ = writeln!(
        out,
        "{} {}, {} {}",
        b.forecast.runs,
        pick("прогонов", "runs"),
        pick("зерно", "seed"),
        b.forecast.seed
    );
    out.push('\n');
    let mut t = Table::new([
        pick("месяц", "month"),
        pick("период", "period"),
        pick("факт", "actual"),
        "P10",
        "P50",
        "P90",
        pick("в полосе", "in band"),
        pick("ошибка P50", "P50 error"),
        pick("сделок факт", "deals actual"),
        pick("прогноз (P50)", "forecast (P50)"),
    ]);
    for p in &b.periods {
        t.row([
            p.month.to_string(),
            format!("{} – {}", p.from, p.to),
            m(p.actual_revenue),
            m(p.revenue.p10),
            m(p.revenue.p50),
            m(p.revenue.p90),
            if p.inside { "✓" } else { "✗" }.to_owned(),
            p.median_error.map_or("—".to_owned(), |e| signed_percent(e, lang)),
            p.actual_won.to_string(),
            format!("{:.0}", p.won.p50),
        ]);
    }
    t.write(&mut out);
    out.push('\n');
    let n = b.periods.len();
    let _ = writeln!(
        out,
        "{}: {} {} {n} ({}); {}",
        pick("Факт в полосе P10–P90", "Actual within P10–P90"),
        b.inside,
        pick("из", "of"),
        pick(
            "у выверенного прогноза — около 80 %",
            "a calibrated forecast gets about 80%"
        ),
        match b.mean_abs_error {
            Some(e) => format!(
                "{} {}",
                pick(
                    "средняя ошибка медианы по месяцам",
                    "mean error of the median by month"
                ),
                percent(e, lang)
            ),
            None => pick("за период ничего не выиграно", "nothing was won in the period").to_owned(),
        }
    );
    let _ = writeln!(
        out,
        "{}: {} {}; {} P10–P90 {} – {}, P50 {}{} — {}",
        pick("За весь период", "Whole period"),
        pick("факт", "actual"),
        m(b.actual_total),
        pick("прогноз", "forecast"),
        m(b.total.p10),
        m(b.total.p90),
        m(b.total.p50),
        b.total_error
            .map(|e| format!(" ({} {})", pick("ошибка", "error"), signed_percent(e, lang)))
            .unwrap_or_default(),
        if b.total_inside {
            pick("в полосе", "within the band")
        } else {
            pick("вне полосы", "outside the band")
        }
    );
    if !b.notes.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", pick("Замечания", "Notes"));
        for note in &b.notes {
            let _ = writeln!(out, "  - {}", note.get(lang));
        }
    }
    out
}
