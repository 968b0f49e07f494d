//! The «Сценарии» and «Ценность найма» sections of `simulate`'s table: scenarios and hires
//! against the baseline, each difference with the interval of the paired difference.

use super::{Table, currency, money, month_name, number, percent};
use crate::diag::Lang;
use crate::model::Currency;
use crate::planning::{HireResult, ScenarioResult};
use crate::sim::{Paired, SimResult};
use std::fmt::Write as _;

/// `+1 234 ± 56`: a paired difference with the half-width of its interval.
pub fn signed(p: &Paired, lang: Lang) -> String {
    let sign = if p.mean > 0.0 { "+" } else { "" };
    let half = (p.ci95[1] - p.ci95[0]) / 2.0;
    format!("{sign}{} ± {}", number(p.mean, lang), number(half, lang))
}

/// [`signed`] for money: `+1,2 млн ₽ ± 300 тыс. ₽`.
pub fn signed_money(p: &Paired, cur: Currency, lang: Lang) -> String {
    let sign = if p.mean > 0.0 { "+" } else { "" };
    let half = (p.ci95[1] - p.ci95[0]) / 2.0;
    format!("{sign}{} ± {}", money(p.mean, cur, lang), money(half, cur, lang))
}

fn signed_pct(p: &Paired, lang: Lang) -> String {
    let sign = if p.mean > 0.0 { "+" } else { "" };
    let half = (p.ci95[1] - p.ci95[0]) / 2.0;
    format!("{sign}{} ± {}", percent(p.mean, lang), percent(half, lang))
}

/// «Сценарии»: one column per scenario, each value with its paired difference from the
/// baseline.
pub fn scenarios_table(out: &mut String, base: &SimResult, scenarios: &[ScenarioResult], lang: Lang) {
    if scenarios.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Сценарии (среднее; Δ к базе ± 95% ДИ парной разности)",
            "Scenarios (mean; Δ vs baseline ± 95% CI of the paired difference)"
        )
    );
    let mut rows = Table::new(
        ["", lang.pick("база", "baseline")]
            .into_iter()
            .chain(scenarios.iter().map(|s| s.name.as_str())),
    );
    let mut won = vec![
        lang.pick("Сделки", "Deals won").to_owned(),
        number(base.won.mean, lang),
    ];
    let mut won_d = vec![lang.pick("  Δ сделки", "  Δ deals").to_owned(), String::new()];
    let cur = currency(&base.currency);
    let mut rev = vec![
        lang.pick("Выручка", "Revenue").to_owned(),
        money(base.revenue.mean, cur, lang),
    ];
    let mut rev_d = vec![lang.pick("  Δ выручка", "  Δ revenue").to_owned(), String::new()];
    for s in scenarios {
        won.push(number(s.won.mean, lang));
        won_d.push(signed(&s.delta.won, lang));
        rev.push(money(s.revenue.mean, cur, lang));
        rev_d.push(signed_money(&s.delta.revenue, cur, lang));
    }
    for r in [won, won_d, rev, rev_d] {
        rows.row(r);
    }
    if let Some(p) = base.plan_probability {
        let mut plan = vec![lang.pick("P(план)", "P(plan)").to_owned(), percent(p, lang)];
        let mut plan_d = vec![lang.pick("  Δ P(план)", "  Δ P(plan)").to_owned(), String::new()];
        for s in scenarios {
            plan.push(s.plan_probability.map_or("—".into(), |p| percent(p, lang)));
            plan_d.push(
                s.delta
                    .plan_probability
                    .map_or("—".into(), |p| signed_pct(&p, lang)),
            );
        }
        rows.row(plan).row(plan_d);
    }
    let mut runs = vec![
        lang.pick("Прогонов", "Runs").to_owned(),
        crate::locale::figure(f64::from(base.runs), lang),
    ];
    runs.extend(
        scenarios
            .iter()
            .map(|s| crate::locale::figure(f64::from(s.runs), lang)),
    );
    rows.row(runs);
    rows.write(out);
    if scenarios.iter().any(|s| s.runs < base.runs) {
        let _ = writeln!(
            out,
            "  {}",
            lang.pick(
                "Прогоны сценария подбираются (--precision): их добавляют, пока 95 % ДИ разности выручки с базой не станет уже доли базы или не исключит 0 явно. Цифры сценария — по его прогонам, Δ — по тем же первым прогонам базы, поэтому разность столбцов может немного отличаться от Δ.",
                "A scenario's runs are adaptive (--precision): it takes more while the 95% CI of its revenue difference from the baseline is wider than the share of the baseline and does not clearly exclude 0. A scenario's figures are over its own runs and Δ over the same first runs of the baseline, so the difference of the columns may differ slightly from Δ."
            )
        );
    }
}

/// «Ценность найма»: one more person per working role, and the busiest role.
pub fn hires_table(out: &mut String, base: &SimResult, hires: &[HireResult], lang: Lang) {
    if hires.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Ценность найма: +1 человек в роли (Δ ± 95% ДИ парной разности)",
            "Value of a hire: one more person in a role (Δ ± 95% CI of the paired difference)"
        )
    );
    let mut rows = Table::new([
        lang.pick("роль", "role"),
        lang.pick("Δ сделки", "Δ deals"),
        lang.pick("Δ выручка", "Δ revenue"),
        lang.pick("Δ прибыль", "Δ profit"),
        lang.pick("вывод", "verdict"),
        lang.pick("загрузка", "utilisation"),
        lang.pick("самая загруженная с +1", "busiest with +1"),
        lang.pick("прогонов", "runs"),
    ]);
    let cur = currency(&base.currency);
    for h in hires {
        let u = base
            .roles
            .iter()
            .find(|r| r.role == h.role)
            .and_then(|r| r.utilization)
            .map_or("—".into(), |u| percent(u.mean, lang));
        let moves = match (&h.constraint_moves, &h.bottleneck) {
            (Some(m), _) => {
                let month = month_name(m.calendar_month, lang);
                match lang {
                    Lang::Ru => format!("{} с {}-го мес. ({month})", m.role, m.month),
                    Lang::En => format!("{} from month {} ({month})", m.role, m.month),
                }
            }
            (None, Some(b)) => b.clone(),
            (None, None) => "—".into(),
        };
        rows.row([
            h.role.clone(),
            signed(&h.won_delta, lang),
            signed_money(&h.revenue_delta, cur, lang),
            signed_money(&h.profit_delta, cur, lang),
            h.verdict.text(lang).to_owned(),
            u,
            moves,
            crate::locale::figure(f64::from(h.runs), lang),
        ]);
    }
    rows.write(out);
    if hires.iter().any(|h| h.runs < base.runs) {
        let _ = writeln!(
            out,
            "  {}",
            lang.pick(
                "Прогоны на роль подбираются (--precision): их добавляют, пока 95 % ДИ Δ прибыли не станет уже доли прибыли базы или не исключит 0 явно; Δ — по этим прогонам и тем же прогонам базы.",
                "Runs per role are adaptive (--precision): a role takes more while the 95% CI of Δ profit is wider than the share of the baseline's profit and does not clearly exclude 0; Δ is over those runs and the same runs of the baseline."
            )
        );
    }
    bottlenecks_by_month(out, base, lang);
}

/// The busiest role month by month, as runs of months: when the department has a bottleneck
/// (`planning::bottleneck`), the month the constraint moves is the month a head of sales should
/// have hired by.
fn bottlenecks_by_month(out: &mut String, base: &SimResult, lang: Lang) {
    let mut runs: Vec<(usize, usize, &str, f64)> = Vec::new();
    for (i, m) in base.months.iter().enumerate() {
        let Some(b) = &m.bottleneck else { continue };
        match runs.last_mut() {
            Some(last) if last.2 == b.role && last.1 + 1 == i => {
                last.1 = i;
                last.3 = last.3.max(b.utilization);
            }
            _ => runs.push((i, i, &b.role, b.utilization)),
        }
    }
    if runs.len() < 2 {
        return;
    }
    let month = |i: usize| month_name(base.months[i].calendar_month, lang);
    let parts: Vec<String> = runs
        .iter()
        .map(|&(a, b, role, u)| {
            let span = if a == b {
                month(a).to_string()
            } else {
                format!("{}–{}", month(a), month(b))
            };
            format!(
                "{span}: {role} ({} {})",
                lang.pick("до", "up to"),
                percent(u, lang)
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "  {} {}",
        lang.pick("Самая загруженная роль по месяцам —", "Busiest role by month —"),
        parts.join("; ")
    );
    if crate::planning::bottleneck(base).is_none() {
        return;
    }
    let (from, _, role, _) = runs[1];
    let _ = writeln!(
        out,
        "  {}",
        match lang {
            Lang::Ru => format!(
                "С {}-го месяца ({}) ограничение переходит к роли {role}.",
                base.months[from].month,
                month(from)
            ),
            Lang::En => format!(
                "From {} (month {}) the constraint moves to {role}.",
                month(from),
                base.months[from].month
            ),
        }
    );
}
