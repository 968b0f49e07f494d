//! `sweep` and `sensitivity` as text: the terminal tables and the CSV.

use super::{Table, money, number, percent};
use crate::diag::Lang;
use crate::model::Currency;
use crate::planning::{SensitivityRow, SweepRow};
use crate::scenario::Param;
use crate::sim::Start;
use std::fmt::Write as _;

/// The sweep as CSV: one line per value.
pub fn csv(rows: &[SweepRow]) -> String {
    let mut out = String::from(
        "value,won_mean,won_ci95_low,won_ci95_high,revenue_mean,revenue_ci95_low,revenue_ci95_high,plan_probability,role,utilization,runs\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            r.value,
            r.won.mean,
            r.won.ci95[0],
            r.won.ci95[1],
            r.revenue.mean,
            r.revenue.ci95[0],
            r.revenue.ci95[1],
            r.plan_probability.map_or(String::new(), |p| p.to_string()),
            r.role.as_deref().unwrap_or(""),
            r.utilization.map_or(String::new(), |u| u.mean.to_string()),
            r.runs,
        );
    }
    out
}

/// The sweep as a terminal table: one row per value with the replications it took, and a
/// sentence saying how the sweep decided them (`planning::sweep`).
pub fn table(
    label: &str,
    param: &Param,
    rows: &[SweepRow],
    start: Start,
    precision: f64,
    cur: Currency,
    lang: Lang,
) -> String {
    let m = |x: f64| money(x, cur, lang);
    let mut out = format!("{}: {label}\n", lang.pick("Перебор", "Sweep"));
    let _ = writeln!(out, "{}", crate::render::forecast::start_sentence(start, lang));
    let role = rows.iter().find_map(|r| r.role.clone()).unwrap_or_default();
    let mut t = Table::new([
        lang.pick("значение", "value").to_owned(),
        lang.pick("сделки", "won").to_owned(),
        lang.pick("выручка", "revenue").to_owned(),
        lang.pick("95% ДИ", "95% CI").to_owned(),
        lang.pick("P(план)", "P(plan)").to_owned(),
        format!("{} {role}", lang.pick("загрузка", "utilisation")),
        lang.pick("прогонов", "runs").to_owned(),
    ]);
    for r in rows {
        let v = match param {
            Param::Conversion { .. } => percent(r.value, lang),
            _ => number(r.value, lang),
        };
        t.row([
            v,
            number(r.won.mean, lang),
            m(r.revenue.mean),
            format!("{} – {}", m(r.revenue.ci95[0]), m(r.revenue.ci95[1])),
            r.plan_probability.map_or("—".into(), |p| percent(p, lang)),
            r.utilization.map_or("—".into(), |u| percent(u.mean, lang)),
            crate::locale::figure(f64::from(r.runs), lang),
        ]);
    }
    t.write(&mut out);
    if rows.len() > 1 {
        let share = crate::locale::percent(precision, lang);
        let spread = m(crate::planning::sweep_spread(rows));
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Ru => format!(
                    "Прогоны на значение подбираются: значение получает их, пока 95 % ДИ парной разности выручки с соседними значениями шире ±{share} размаха перебора ({spread}), а ДИ P(план) — шире ±{share}, но не больше --runs; все цифры строки — по её прогонам."
                ),
                Lang::En => format!(
                    "Runs per value are adaptive: a value takes more while the 95% CI of the paired revenue difference from its neighbouring values is wider than ±{share} of the sweep's spread ({spread}) or the CI of P(plan) wider than ±{share}, at most --runs; every figure of a row is over its own runs."
                ),
            }
        );
    }
    out
}

/// `sensitivity` as CSV: one line per parameter.
pub fn sensitivity_csv(rows: &[SensitivityRow]) -> String {
    let mut out = String::from("parameter,revenue_low,revenue_high,swing,indistinguishable,critical,runs\n");
    for r in rows {
        let name = if r.parameter.contains([',', '"']) {
            format!("\"{}\"", r.parameter.replace('"', "\"\""))
        } else {
            r.parameter.clone()
        };
        let _ = writeln!(
            out,
            "{name},{},{},{},{},{},{}",
            r.revenue_low, r.revenue_high, r.swing, r.indistinguishable, r.critical, r.runs
        );
    }
    out
}

/// `sensitivity` as a terminal table: the parameters ranked by swing, then the critical roles.
pub fn sensitivity_table(
    base: f64,
    start: Start,
    rows: &[SensitivityRow],
    precision: f64,
    cur: Currency,
    lang: Lang,
) -> String {
    let m = |x: f64| money(x, cur, lang);
    let mut out = match lang {
        Lang::Ru => format!(
            "Чувствительность выручки (база {}; каждый параметр −10% и +10%, штат — не меньше чем на 1 человека)\n",
            m(base)
        ),
        Lang::En => format!(
            "Revenue sensitivity (baseline {}; each parameter −10% and +10%, headcount by at least one person)\n",
            m(base)
        ),
    };
    let _ = writeln!(out, "{}", crate::render::forecast::start_sentence(start, lang));
    let mut t = Table::new([
        lang.pick("параметр", "parameter"),
        lang.pick("выручка при −10%", "revenue at −10%"),
        lang.pick("при +10%", "at +10%"),
        lang.pick("размах", "swing"),
        lang.pick("", ""),
    ]);
    let row = |r: &SensitivityRow| {
        vec![
            r.parameter.clone(),
            m(r.revenue_low),
            m(r.revenue_high),
            m(r.swing),
            if r.indistinguishable {
                lang.pick("не отличимо от нуля", "indistinguishable from zero")
                    .to_owned()
            } else {
                String::new()
            },
        ]
    };
    for r in rows.iter().filter(|r| !r.critical) {
        t.row(row(r));
    }
    t.write(&mut out);
    if let (Some(least), Some(most)) = (
        rows.iter().map(|r| r.runs).min(),
        rows.iter().map(|r| r.runs).max(),
    ) {
        let n = |x: u32| crate::locale::figure(f64::from(x), lang);
        let total: u32 = rows.iter().map(|r| 2 * r.runs).sum();
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Ru => format!(
                    "Прогонов на вариант: от {} до {} — больше там, где нужно различить соседние строки; всего {}.",
                    n(least),
                    n(most),
                    n(total)
                ),
                Lang::En => format!(
                    "Runs per variant: {} to {}, more where neighbouring rows must be told apart; {} in all.",
                    n(least),
                    n(most),
                    n(total)
                ),
            }
        );
    }
    if rows.iter().any(|r| r.indistinguishable && !r.critical) {
        let share = crate::locale::percent(precision, lang);
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Ru => format!(
                    "«Не отличимо от нуля» — 95 % ДИ парной разности включает 0: влияние параметра меньше точности рейтинга ({share} наибольшего размаха, --precision) или не хватило прогонов (--runs), его место в рейтинге ничего не значит."
                ),
                Lang::En => format!(
                    "\"Indistinguishable from zero\" — the 95% CI of the paired difference includes 0: the parameter's effect is below the ranking's precision ({share} of the largest swing, --precision) or the runs ran out (--runs), so its rank means nothing."
                ),
            }
        );
    }
    let critical: Vec<String> = rows
        .iter()
        .filter(|r| r.critical)
        .map(|r| format!("{} ({} → {})", r.parameter, m(r.revenue_high), m(r.revenue_low)))
        .collect();
    if !critical.is_empty() {
        let _ = writeln!(
            out,
            "\n{} {}",
            lang.pick(
                "Критические роли (один человек: без него роль пуста, это не изменение на 10 %, а потеря роли; выручка с +1 → без него):",
                "Critical roles (one person: without them the role is empty, which is losing the role, not a 10% change; revenue with +1 → without them):"
            ),
            critical.join("; ")
        );
    }
    out
}
