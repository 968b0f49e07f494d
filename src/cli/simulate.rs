//! `voronka simulate FILE --runs N --seed S [--months M] [--threads T] [--format table|json|csv|html] [--out FILE]`

use super::args::{ForecastFormat, SimulateArgs};
use super::{EXIT_INPUT, EXIT_USAGE};
use crate::diag::Lang;
use crate::render::format::grouped;
use crate::sim::{PlanKind, SimOptions, SimResult, Stats};
use std::fmt::Write as _;

pub fn run(args: &SimulateArgs, lang: impl Into<Lang>, options: &crate::Options) -> i32 {
    let lang = lang.into();
    if let Err(code) = super::compare::check_templates(args.templates.as_deref(), lang) {
        return code;
    }
    let model = match super::compare::load_model(&args.file, lang, options) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let scenarios = match super::compare::load_scenarios(&args.scenario, &model, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let open_deals = match super::compare::load_open_deals(args.open_deals.as_deref(), &model, lang) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let options = SimOptions {
        runs: args.runs,
        seed: args.seed,
        months: args.months,
        threads: args.threads,
        progress: None,
        open_deals: &open_deals,
        start: args.start.map(Into::into),
    };
    let hire_roles = if args.no_hires {
        0
    } else {
        crate::planning::working_roles(&model, &options).len()
    };
    let variants = 1 + scenarios.len() + hire_roles;
    let progress = super::compare::Progress::new(u64::from(args.runs) * variants as u64, args.quiet, lang);
    let tick = |n: u64| progress.tick(n);
    let options = SimOptions {
        progress: progress.on.then_some(&tick as &(dyn Fn(u64) + Sync)),
        ..options
    };
    // Scenarios and hires run with the baseline's seed: common random numbers.
    let (result, base_runs) = crate::planning::run(&model, &options);
    let compared = crate::planning::compare(&model, &base_runs, &scenarios, &options);
    let hires = if args.no_hires {
        Vec::new()
    } else {
        crate::planning::hires(&model, &result, &base_runs, &options)
    };
    progress.finish();

    let text = match args.format {
        ForecastFormat::Json => match serde_json::to_string_pretty(&Output {
            result: &result,
            scenarios: &compared,
            hires: &hires,
        }) {
            Ok(t) => t + "\n",
            Err(e) => {
                eprintln!("{}: {e}", lang.pick("ошибка вывода", "cannot print the result"));
                return EXIT_USAGE;
            }
        },
        ForecastFormat::Csv => csv(&result),
        ForecastFormat::Html => {
            let forecast = crate::render::forecast::Forecast {
                result: &result,
                revenue_runs: &base_runs.revenue,
                won_runs: &base_runs.won,
                scenarios: &compared,
                hires: &hires,
            };
            match crate::render::forecast::report(&model, &forecast, lang, args.templates.as_deref()) {
                Ok(html) => html,
                Err(e) => {
                    eprintln!("{}: {e}", lang.pick("ошибка", "error"));
                    return EXIT_INPUT;
                }
            }
        }
        ForecastFormat::Table => {
            let mut t = table(&result, lang);
            super::compare::scenarios_table(&mut t, &result, &compared, lang);
            super::compare::hires_table(&mut t, &result, &hires, lang);
            t
        }
    };
    super::compare::emit(&text, args.out.as_deref(), lang)
}

/// The JSON document: the baseline's fields, then the scenarios and the value of a hire.
#[derive(serde::Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    result: &'a SimResult,
    scenarios: &'a [crate::planning::ScenarioResult],
    hires: &'a [crate::planning::HireResult],
}

/// A number the way a reader of `lang` writes it: `1 234 567,8` in Russian (no-break spaces),
/// `1,234,567.8` in English.
pub fn number(x: f64, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let decimals = match x.abs() {
        a if a >= 1000.0 || a.fract() == 0.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    grouped(&format!("{:.*}", decimals, x.abs()), x < 0.0, true, lang)
}

pub(super) fn percent(x: f64, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    // A typographic minus, as the other numbers of the table have.
    let t = format!("{:.1}", x * 100.0).replace('-', "−");
    match lang {
        Lang::Ru => t.replace('.', ",") + "\u{a0}%",
        Lang::En => t + "%",
    }
}

fn pad(s: &str, width: usize, right: bool) -> String {
    let n = s.chars().count();
    let fill = " ".repeat(width.saturating_sub(n));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// Renders rows as aligned columns: the first column left-aligned, the rest right-aligned.
pub(super) fn columns(out: &mut String, rows: &[Vec<String>]) {
    let widths: Vec<usize> = (0..rows.iter().map(Vec::len).max().unwrap_or(0))
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, s)| pad(s, widths[c], c > 0))
            .collect();
        let _ = writeln!(out, "  {}", line.join("  ").trim_end());
    }
}

pub(super) const MONTHS_RU: [&str; 12] = [
    "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
];
pub(super) const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(super) fn table(r: &SimResult, lang: Lang) -> String {
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
    let head = |first: &str| -> Vec<String> {
        let mut h = vec![first.to_owned()];
        h.extend(
            [
                lang.pick("среднее", "mean"),
                lang.pick("95% ДИ", "95% CI"),
                "P10",
                "P50",
                "P90",
            ]
            .map(str::to_owned),
        );
        h
    };
    let row = |label: &str, s: &Stats| -> Vec<String> {
        vec![
            label.to_owned(),
            n(s.mean),
            format!("{} – {}", n(s.ci95[0]), n(s.ci95[1])),
            n(s.p10),
            n(s.p50),
            n(s.p90),
        ]
    };
    let pct_row = |label: &str, s: &Stats| -> Vec<String> {
        let p = |x: f64| percent(x, lang);
        vec![
            label.to_owned(),
            p(s.mean),
            format!("{} – {}", p(s.ci95[0]), p(s.ci95[1])),
            p(s.p10),
            p(s.p50),
            p(s.p90),
        ]
    };

    let _ = writeln!(out, "\n{}", lang.pick("Итого за горизонт", "Over the horizon"));
    let mut rows = vec![head("")];
    rows.push(row(lang.pick("Лиды", "Leads"), &r.leads));
    rows.push(row(lang.pick("Сделки", "Deals won"), &r.won));
    rows.push(row(lang.pick("Выручка", "Revenue"), &r.revenue));
    rows.push(row(lang.pick("Новые клиенты", "New clients"), &r.new_clients));
    rows.push(row(
        lang.pick("Повторные покупки", "Repeat purchases"),
        &r.repeat_purchases,
    ));
    if let Some(c) = &r.cycle_days {
        rows.push(row(lang.pick("Цикл сделки, раб. дн.", "Cycle, working days"), c));
    }
    rows.push(row(
        lang.pick("Остыли без ответа", "Gone cold (no capacity)"),
        &r.cold,
    ));
    rows.push(row(lang.pick("Затраты", "Cost"), &r.cost));
    rows.push(row(lang.pick("Прибыль", "Profit"), &r.profit));
    if let Some(c) = &r.cac {
        rows.push(row(lang.pick("CAC (затраты на клиента)", "CAC"), c));
    }
    if let Some(c) = &r.roi {
        rows.push(pct_row("ROI", c));
    }
    columns(&mut out, &rows);

    if let (Some(p), Some(kind), Some(target)) = (r.plan_probability, r.plan_metric, r.plan_target) {
        let what = match kind {
            PlanKind::Revenue => lang.pick("выручке", "revenue"),
            PlanKind::Deals => lang.pick("сделкам", "deals"),
            PlanKind::NewClients => lang.pick("новым клиентам", "new clients"),
        };
        let _ = writeln!(
            out,
            "\n{}",
            match lang {
                Lang::Ru => format!(
                    "Вероятность выполнить план по {what} ({}): {}",
                    n(target),
                    percent(p, lang)
                ),
                Lang::En => format!(
                    "Probability of meeting the {what} plan ({}): {}",
                    n(target),
                    percent(p, lang)
                ),
            }
        );
    }

    super::sim_sections::open_deals(&mut out, r, lang);
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("По месяцам (среднее [P10–P90])", "By month (mean [P10–P90])")
    );
    let mut rows = vec![vec![
        lang.pick("месяц", "month").to_owned(),
        lang.pick("лиды", "leads").to_owned(),
        lang.pick("сделки", "won").to_owned(),
        lang.pick("выручка", "revenue").to_owned(),
        lang.pick("P(план)", "P(plan)").to_owned(),
        lang.pick("остыло", "cold").to_owned(),
        lang.pick("прибыль", "profit").to_owned(),
        "CAC".to_owned(),
        "ROI".to_owned(),
    ]];
    let band = |s: &Stats| format!("{} [{}–{}]", n(s.mean), n(s.p10), n(s.p90));
    for m in &r.months {
        let name = match lang {
            Lang::Ru => MONTHS_RU[(m.calendar_month as usize + 11) % 12],
            Lang::En => MONTHS_EN[(m.calendar_month as usize + 11) % 12],
        };
        rows.push(vec![
            format!("{:>2} {name}", m.month),
            n(m.leads.mean),
            band(&m.won),
            band(&m.revenue),
            m.plan_probability.map_or("—".into(), |p| percent(p, lang)),
            n(m.cold.mean),
            n(m.profit.mean),
            m.cac.map_or("—".into(), |c| n(c.mean)),
            m.roi.map_or("—".into(), |r| percent(r.mean, lang)),
        ]);
    }
    columns(&mut out, &rows);
    super::sim_sections::utilisation_by_month(&mut out, r, lang);
    super::sim_sections::kpis(&mut out, r, lang);

    if !r.channels.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("Лиды по каналам", "Leads by channel"));
        let mut rows = vec![head(lang.pick("канал", "channel"))];
        rows.extend(r.channels.iter().map(|c| row(&c.channel, &c.leads)));
        columns(&mut out, &rows);
    }

    if !r.stages.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick("Этапы (средние за горизонт)", "Stages (means over the horizon)")
        );
        let mut rows = vec![
            [
                lang.pick("этап", "stage"),
                lang.pick("вошло", "entered"),
                lang.pick("перешло", "converted"),
                lang.pick("потеряно", "lost"),
                lang.pick("остыло", "cold"),
                lang.pick("в работе", "in stage"),
                lang.pick("дней", "days"),
            ]
            .map(str::to_owned)
            .to_vec(),
        ];
        for s in &r.stages {
            rows.push(vec![
                format!("{}.{}", s.pipeline, s.stage),
                n(s.entered.mean),
                n(s.converted.mean),
                n(s.lost.mean),
                n(s.cold.mean),
                n(s.wip.mean),
                s.days_in_stage.map_or("—".into(), |d| n(d.mean)),
            ]);
        }
        columns(&mut out, &rows);
    }

    if !r.roles.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("Роли", "Roles"));
        let mut rows = vec![
            [
                lang.pick("роль", "role"),
                lang.pick("загрузка", "utilisation"),
                "P10",
                "P90",
                lang.pick("очередь в конце", "backlog at end"),
            ]
            .map(str::to_owned)
            .to_vec(),
        ];
        for role in &r.roles {
            let u = role.utilization;
            let p = |f: fn(&Stats) -> f64| u.as_ref().map_or("—".into(), |s| percent(f(s), lang));
            rows.push(vec![
                role.role.clone(),
                p(|s| s.mean),
                p(|s| s.p10),
                p(|s| s.p90),
                n(role.backlog.mean),
            ]);
        }
        columns(&mut out, &rows);
        if let Some(line) = bottleneck_line(r, lang) {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// The bottleneck over the horizon by the one rule (`analyze::binds`), or the busiest role
/// below it: the sentence the HTML report and the documents say too.
pub(super) fn bottleneck_line(r: &SimResult, lang: Lang) -> Option<String> {
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

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// One line per metric: `metric,mean,ci95_low,ci95_high,sd,p10,p50,p90`.
fn csv(r: &SimResult) -> String {
    let mut out = String::from("metric,mean,ci95_low,ci95_high,sd,p10,p50,p90\n");
    let mut line = |name: String, s: &Stats| {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            csv_field(&name),
            s.mean,
            s.ci95[0],
            s.ci95[1],
            s.sd,
            s.p10,
            s.p50,
            s.p90
        );
    };
    for (name, s) in [
        ("leads", Some(&r.leads)),
        ("won", Some(&r.won)),
        ("revenue", Some(&r.revenue)),
        ("new_clients", Some(&r.new_clients)),
        ("repeat_purchases", Some(&r.repeat_purchases)),
        ("cycle_days", r.cycle_days.as_ref()),
        ("cold", Some(&r.cold)),
        ("cost", Some(&r.cost)),
        ("profit", Some(&r.profit)),
        ("cac", r.cac.as_ref()),
        ("roi", r.roi.as_ref()),
    ] {
        if let Some(s) = s {
            line(name.to_owned(), s);
        }
    }
    if let Some(p) = r.plan_probability {
        let s = Stats {
            mean: p,
            ci95: [p, p],
            sd: 0.0,
            p10: p,
            p50: p,
            p90: p,
        };
        line("plan_probability".into(), &s);
    }
    for c in &r.channels {
        line(format!("channel.{}.leads", c.channel), &c.leads);
    }
    for s in &r.stages {
        let key = format!("stage.{}.{}", s.pipeline, s.stage);
        line(format!("{key}.entered"), &s.entered);
        line(format!("{key}.converted"), &s.converted);
        line(format!("{key}.lost"), &s.lost);
        line(format!("{key}.cold"), &s.cold);
        line(format!("{key}.wip"), &s.wip);
        if let Some(d) = &s.days_in_stage {
            line(format!("{key}.days_in_stage"), d);
        }
    }
    for role in &r.roles {
        if let Some(u) = &role.utilization {
            line(format!("role.{}.utilization", role.role), u);
        }
        line(format!("role.{}.backlog", role.role), &role.backlog);
    }
    for m in &r.months {
        line(format!("month.{}.leads", m.month), &m.leads);
        line(format!("month.{}.won", m.month), &m.won);
        line(format!("month.{}.revenue", m.month), &m.revenue);
        line(format!("month.{}.cold", m.month), &m.cold);
        line(format!("month.{}.cost", m.month), &m.cost);
        line(format!("month.{}.profit", m.month), &m.profit);
        line(format!("month.{}.new_clients", m.month), &m.new_clients);
        for (name, stats) in [("cycle_days", &m.cycle_days), ("cac", &m.cac), ("roi", &m.roi)] {
            if let Some(s) = stats {
                line(format!("month.{}.{name}", m.month), s);
            }
        }
        for c in &m.channels {
            line(format!("month.{}.channel.{}.leads", m.month, c.channel), &c.leads);
        }
        for role in &m.roles {
            if let Some(u) = &role.utilization {
                line(format!("month.{}.role.{}.utilization", m.month, role.role), u);
            }
            line(
                format!("month.{}.role.{}.backlog", m.month, role.role),
                &role.backlog,
            );
        }
    }
    if let Some(o) = &r.open_deals {
        line("open_deals.won".into(), &o.won);
        line("open_deals.revenue".into(), &o.revenue);
    }
    for k in &r.kpis {
        if let Some(v) = &k.value {
            line(format!("kpi.{}", k.name), v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::number;
    use crate::diag::Lang;

    #[test]
    fn numbers_for_russian_and_english_readers() {
        assert_eq!(number(1_234_567.4, Lang::Ru), "1\u{a0}234\u{a0}567");
        assert_eq!(number(12.34, Lang::Ru), "12,3");
        assert_eq!(number(-0.5, Lang::Ru), "−0,50");
        assert_eq!(number(1_234_567.4, Lang::En), "1,234,567");
        assert_eq!(number(999.96, Lang::En), "1,000.0");
    }
}
