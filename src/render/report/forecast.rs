//! `simulate`'s terminal table: the totals over the horizon, the plan, the months, channels,
//! stages and roles, with the sections of [`super::sections`] in between.

use super::{Table, currency, money, month_name, number, percent};
use crate::diag::Lang;
use crate::sim::{PlanKind, SimResult, Stats};
use std::fmt::Write as _;

/// The whole table of one forecast (without the scenario and hire comparisons of
/// [`super::compare`]).
/// One row of a statistic: the mean and its 95 % interval in `value`'s format, P10, P50 and P90
/// in `percentile`'s.
fn stats_row(
    label: &str,
    s: &Stats,
    value: &dyn Fn(f64) -> String,
    percentile: &dyn Fn(f64) -> String,
) -> Vec<String> {
    vec![
        label.to_owned(),
        value(s.mean),
        format!("{} – {}", value(s.ci95[0]), value(s.ci95[1])),
        percentile(s.p10),
        percentile(s.p50),
        percentile(s.p90),
    ]
}

pub fn table(r: &SimResult, lang: Lang) -> String {
    let n = |x: f64| number(x, lang);
    let mut out = String::new();
    let runs = u64::from(r.runs);
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Ru => format!(
                "Прогноз: {} {}, зерно {}, горизонт {} мес. ({} раб. дн.), валюта {}",
                n(f64::from(r.runs)),
                crate::diag::plural_ru(runs, "прогон", "прогона", "прогонов"),
                r.seed,
                r.horizon_months,
                r.working_days,
                r.currency
            ),
            Lang::En => format!(
                "Forecast: {} runs, seed {}, horizon {} months ({} working days), currency {}",
                n(f64::from(r.runs)),
                r.seed,
                r.horizon_months,
                r.working_days,
                r.currency
            ),
        }
    );
    let _ = writeln!(out, "{}", crate::render::forecast::start_sentence(r.start, lang));
    let head = |first: &str| {
        Table::new([
            first,
            lang.pick("среднее", "mean"),
            lang.pick("95% ДИ", "95% CI"),
            "P10",
            "P50",
            "P90",
        ])
    };
    // Counts (leads, deals, clients): a percentile that falls between two whole counts is
    // shown whole from 10 on and with one decimal below («7,9», not «7,90»; «180», not
    // «180,1»); the mean keeps its precision.
    let count = |x: f64| {
        let decimals = usize::from(x.fract() != 0.0 && x.abs() < 10.0);
        crate::locale::fixed(x, decimals, lang)
    };
    let cur = currency(&r.currency);
    let m = |x: f64| money(x, cur, lang);
    let p = |x: f64| percent(x, lang);
    let row = |label: &str, s: &Stats| stats_row(label, s, &n, &n);
    let count_row = |label: &str, s: &Stats| stats_row(label, s, &n, &count);
    let money_row = |label: &str, s: &Stats| stats_row(label, s, &m, &m);
    let pct_row = |label: &str, s: &Stats| stats_row(label, s, &p, &p);

    let _ = writeln!(out, "\n{}", lang.pick("Итого за горизонт", "Over the horizon"));
    let mut rows = head("");
    rows.row(count_row(lang.pick("Лиды", "Leads"), &r.leads));
    rows.row(count_row(lang.pick("Сделки", "Deals won"), &r.won));
    rows.row(money_row(lang.pick("Выручка", "Revenue"), &r.revenue));
    rows.row(count_row(
        lang.pick("Новые клиенты", "New clients"),
        &r.new_clients,
    ));
    rows.row(count_row(
        lang.pick("Повторные покупки", "Repeat purchases"),
        &r.repeat_purchases,
    ));
    if let Some(c) = &r.cycle_days {
        rows.row(row(lang.pick("Цикл сделки, раб. дн.", "Cycle, working days"), c));
    }
    if let Some(c) = &r.cycle_calendar_days {
        rows.row(row(
            lang.pick(
                "Цикл всех сделок (с проигранными), календ. дн.",
                "Cycle of all deals (lost too), calendar days",
            ),
            c,
        ));
    }
    rows.row(count_row(
        lang.pick("Остыли без ответа", "Gone cold (no capacity)"),
        &r.cold,
    ));
    rows.row(money_row(lang.pick("Затраты", "Cost"), &r.cost));
    rows.row(money_row(lang.pick("Прибыль", "Profit"), &r.profit));
    if let Some(c) = &r.cac {
        rows.row(money_row(lang.pick("CAC (затраты на клиента)", "CAC"), c));
    }
    if let Some(c) = &r.roi {
        rows.row(pct_row("ROI", c));
    }
    rows.write(&mut out);

    if let (Some(p), Some(kind), Some(target)) = (r.plan_probability, r.plan_metric, r.plan_target) {
        let what = match kind {
            PlanKind::Revenue => lang.pick("выручке", "revenue"),
            PlanKind::Deals => lang.pick("сделкам", "deals"),
            PlanKind::NewClients => lang.pick("новым клиентам", "new clients"),
        };
        let target = match kind {
            PlanKind::Revenue => m(target),
            PlanKind::Deals | PlanKind::NewClients => n(target),
        };
        let _ = writeln!(
            out,
            "\n{}",
            match lang {
                Lang::Ru => format!(
                    "Вероятность выполнить план по {what} ({target}): {}",
                    percent(p, lang)
                ),
                Lang::En => format!(
                    "Probability of meeting the {what} plan ({target}): {}",
                    percent(p, lang)
                ),
            }
        );
    }

    super::sections::open_deals(&mut out, r, lang);
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("По месяцам (среднее [P10–P90])", "By month (mean [P10–P90])")
    );
    let mut rows = Table::new([
        lang.pick("месяц", "month"),
        lang.pick("лиды", "leads"),
        lang.pick("сделки", "won"),
        lang.pick("выручка", "revenue"),
        lang.pick("P(план)", "P(plan)"),
        lang.pick("остыло", "cold"),
        lang.pick("прибыль", "profit"),
        "CAC",
        "ROI",
    ]);
    let band = |s: &Stats| format!("{} [{}–{}]", n(s.mean), count(s.p10), count(s.p90));
    let money_band = |s: &Stats| format!("{} [{} – {}]", m(s.mean), m(s.p10), m(s.p90));
    for month in &r.months {
        let name = month_name(month.calendar_month, lang);
        rows.row([
            format!("{:>2} {name}", month.month),
            n(month.leads.mean),
            band(&month.won),
            money_band(&month.revenue),
            month.plan_probability.map_or("—".into(), |p| percent(p, lang)),
            n(month.cold.mean),
            m(month.profit.mean),
            month.cac.map_or("—".into(), |c| m(c.mean)),
            month.roi.map_or("—".into(), |r| percent(r.mean, lang)),
        ]);
    }
    rows.write(&mut out);
    super::sections::utilisation_by_month(&mut out, r, lang);
    super::sections::kpis(&mut out, r, lang);

    if !r.channels.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("Лиды по каналам", "Leads by channel"));
        let mut rows = head(lang.pick("канал", "channel"));
        for c in &r.channels {
            rows.row(row(&c.channel, &c.leads));
        }
        rows.write(&mut out);
    }

    if !r.stages.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick("Этапы (средние за горизонт)", "Stages (means over the horizon)")
        );
        let mut rows = Table::new([
            lang.pick("этап", "stage"),
            lang.pick("вошло", "entered"),
            lang.pick("перешло", "converted"),
            lang.pick("потеряно", "lost"),
            lang.pick("остыло", "cold"),
            lang.pick("в работе", "in stage"),
            lang.pick("дней", "days"),
        ]);
        for s in &r.stages {
            rows.row([
                format!("{}.{}", s.pipeline, s.stage),
                n(s.entered.mean),
                n(s.converted.mean),
                n(s.lost.mean),
                n(s.cold.mean),
                n(s.wip.mean),
                s.days_in_stage.map_or("—".into(), |d| n(d.mean)),
            ]);
        }
        rows.write(&mut out);
    }

    if !r.roles.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("Роли", "Roles"));
        let mut rows = Table::new([
            lang.pick("роль", "role"),
            lang.pick("загрузка", "utilisation"),
            "P10",
            "P90",
            lang.pick("очередь в конце", "backlog at end"),
        ]);
        for role in &r.roles {
            let u = role.utilization;
            let p = |f: fn(&Stats) -> f64| u.as_ref().map_or("—".into(), |s| percent(f(s), lang));
            rows.row([
                role.role.clone(),
                p(|s| s.mean),
                p(|s| s.p10),
                p(|s| s.p90),
                n(role.backlog.mean),
            ]);
        }
        rows.write(&mut out);
        if let Some(line) = bottleneck_line(r, lang) {
            let _ = writeln!(out, "  {line}");
        }
        // The client base's trigger work inside the utilisation: the analysis' figure.
        for role in &r.roles {
            if let Some(h) = role.client_work_hours {
                let h = crate::render::format::fixed(h, 1, lang);
                let _ = writeln!(
                    out,
                    "  {}",
                    match lang {
                        Lang::Ru => format!(
                            "В загрузке роли {} — {h} ч в месяц работы с клиентской базой по триггерам (оценка анализа: своей клиентской базы у прогноза нет).",
                            role.role
                        ),
                        Lang::En => format!(
                            "The utilisation of {} includes {h} h a month of client-base work from triggers (the analysis' estimate: the forecast keeps no client base).",
                            role.role
                        ),
                    }
                );
            }
        }
    }
    out
}

/// The bottleneck over the horizon by the one rule (`analyze::binds`), or the busiest role
/// below it: the sentence the HTML report and the documents say too.
pub fn bottleneck_line(r: &SimResult, lang: Lang) -> Option<String> {
    let (role, u) = crate::planning::busiest_role(r)?;
    let threshold = percent(crate::analyze::BOTTLENECK_LOAD, lang);
    let u = percent(u, lang);
    Some(match (crate::planning::bottleneck(r).is_some(), lang) {
        (true, Lang::Ru) => format!("Узкое место за горизонт — {role}: загрузка {u} (от {threshold})."),
        (true, Lang::En) => {
            format!("The bottleneck over the horizon is {role}: utilisation {u} ({threshold} or more).")
        }
        (false, Lang::Ru) => {
            format!("Узкого места нет: самая загруженная роль — {role} ({u}), ниже {threshold}.")
        }
        (false, Lang::En) => format!("No bottleneck: the busiest role is {role} ({u}), below {threshold}."),
    })
}
