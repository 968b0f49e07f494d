//! `voronka analyze` as text: the exact figures of the analysis (pipelines, stages, channels,
//! roles, the settled month beside the horizon, the plan) in aligned tables, and the JSON
//! shape of `--format json`. Reads `analyze` and the horizon's expectation (`sim::fluid`);
//! computes nothing of its own and never prints.

use super::Table;
use crate::analyze::{Analysis, BOTTLENECK_LOAD, Note, PipelineAnalysis};
use crate::diag::Lang;
use crate::model::PlanMetric;
use crate::sim::fluid::Expected;
use serde::Serialize;
use std::fmt::Write;

/// `analyze --format json`: the settled figures, and the horizon's beside them.
#[derive(Serialize)]
pub struct Report<'a> {
    #[serde(flatten)]
    pub analysis: &'a Analysis,
    /// The exact expected figures over the horizon from the regulation's start, without
    /// capacity limits (`sim::fluid`).
    pub horizon: &'a Expected,
}

// ─── Numbers for the reader: the table style of `render::format` ───────────────

use crate::render::format::{fixed as num, money_fixed as money, percent_fixed as pct};

// ─── Sections ─────────────────────────────────────────────────────────────────

/// The analysis as Russian (or English) tables.
pub fn text(a: &Analysis, horizon: &Expected, lang: Lang) -> String {
    let mut out = String::new();
    pipelines(a, lang, &mut out);
    super::analyze_quality::cycles(a, lang, &mut out);
    super::analyze_starts::starts(a, lang, &mut out);
    channels(a, lang, &mut out);
    roles(a, lang, &mut out);
    super::analyze_quality::sampling(a, lang, &mut out);
    super::analyze_quality::costs(a, lang, &mut out);
    settled_and_horizon(a, horizon, lang, &mut out);
    plan(a, horizon, lang, &mut out);
    if !a.notes.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("Замечания", "Notes"));
        for n in &a.notes {
            let _ = writeln!(out, "  – {}", Note::text(n, lang));
        }
    }
    out
}

fn pipelines(a: &Analysis, lang: Lang, out: &mut String) {
    let _ = writeln!(out, "{}", lang.pick("Воронки", "Pipelines"));
    if a.pipelines.is_empty() {
        let _ = writeln!(out, "  {}", lang.pick("воронок нет", "no pipelines"));
        return;
    }
    let mut t = Table::new([
        lang.pick("Воронка", "Pipeline"),
        lang.pick("Вход", "Entry"),
        lang.pick("Выигрыш", "Won"),
        lang.pick("Проигрыш", "Lost"),
        lang.pick("До исхода, дн", "To outcome, days"),
        lang.pick("Средний чек", "Mean deal"),
        lang.pick("Покупок на клиента", "Purchases per client"),
    ]);
    for p in &a.pipelines {
        let (won, lostp, days) = match &p.outcome {
            Some(o) => (
                pct(o.p_won, lang),
                pct(o.p_lost, lang),
                num(o.expected_days, 1, lang),
            ),
            None => ("—".into(), "—".into(), "—".into()),
        };
        t.row(vec![
            p.name.clone(),
            p.entry_stage.clone().unwrap_or_else(|| "—".into()),
            won,
            lostp,
            days,
            p.mean_deal_size
                .map_or_else(|| "—".into(), |m| money(m, a.currency, lang)),
            num(p.purchases_per_won_client, 2, lang),
        ]);
    }
    t.write_indented(out, "  ");
    for p in &a.pipelines {
        stages(p, lang, out);
    }
}

fn stages(p: &PipelineAnalysis, lang: Lang, out: &mut String) {
    let Some(o) = &p.outcome else { return };
    let entry = p.entry_stage.as_deref().unwrap_or("");
    let _ = writeln!(
        out,
        "\n  {} {} ({} {entry})",
        p.name,
        lang.pick("— ожидаемые посещения этапов", "— expected stage visits"),
        lang.pick("из входа", "from entry"),
    );
    let mut t = Table::new([
        lang.pick("Этап", "Stage"),
        lang.pick("Посещений", "Visits"),
        lang.pick("Длительность, дн", "Duration, days"),
        lang.pick("Вклад, дн", "Adds, days"),
    ]);
    for s in &o.stages {
        let name = if s.pipeline == p.name {
            s.stage.clone()
        } else {
            format!("{}.{}", s.pipeline, s.stage)
        };
        t.row(vec![
            name,
            num(s.visits, 3, lang),
            s.mean_duration_days
                .map_or_else(|| lang.pick("не задана", "not given").into(), |d| num(d, 1, lang)),
            num(s.expected_days, 1, lang),
        ]);
    }
    t.write_indented(out, "    ");
    if o.won_by_pipeline.len() > 1 || o.won_by_pipeline.first().is_some_and(|w| w.pipeline != p.name) {
        let list: Vec<String> = o
            .won_by_pipeline
            .iter()
            .map(|w| format!("{} {}", w.pipeline, pct(w.probability, lang)))
            .collect();
        let _ = writeln!(
            out,
            "    {}: {}",
            lang.pick("Выигрыш по воронкам", "Won by pipeline"),
            list.join(", ")
        );
    }
    if !o.stages_without_duration.is_empty() {
        let list: Vec<String> = o
            .stages_without_duration
            .iter()
            .map(|s| format!("{}.{}", s.pipeline, s.stage))
            .collect();
        let _ = writeln!(
            out,
            "    {}: {}",
            lang.pick(
                "Без длительности (считаются 0 дн)",
                "No duration (counted as 0 days)"
            ),
            list.join(", ")
        );
    }
}

fn channels(a: &Analysis, lang: Lang, out: &mut String) {
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("Каналы (в среднем за месяц)", "Channels (average month)")
    );
    let mut t = Table::new([
        lang.pick("Канал", "Channel"),
        lang.pick("Воронка", "Pipeline"),
        lang.pick("Лидов", "Leads"),
        lang.pick("Выигрыш", "Won"),
        lang.pick("Первых сделок", "First deals"),
        lang.pick("Новых клиентов", "New clients"),
        lang.pick("Покупок", "Purchases"),
        lang.pick("Выручка", "Revenue"),
    ]);
    for c in &a.channels {
        t.row(vec![
            c.name.clone(),
            c.pipeline.clone().unwrap_or_else(|| "—".into()),
            num(c.leads_per_month, 1, lang),
            pct(c.p_won, lang),
            num(c.first_deals_per_month, 2, lang),
            num(c.new_clients_per_month, 2, lang),
            num(c.purchases_per_month, 2, lang),
            money(c.revenue_per_month, a.currency, lang),
        ]);
    }
    let d = &a.department;
    let p_won = d.p_won.map_or_else(|| "—".into(), |p| pct(p, lang));
    t.row(vec![
        lang.pick("Итого по отделу", "Department").into(),
        String::new(),
        num(d.leads_per_month, 1, lang),
        p_won,
        num(d.first_deals_per_month, 2, lang),
        num(d.new_clients_per_month, 2, lang),
        num(d.purchases_per_month, 2, lang),
        money(d.revenue_per_month, a.currency, lang),
    ]);
    t.write_indented(out, "  ");
}

fn roles(a: &Analysis, lang: Lang, out: &mut String) {
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("Нагрузка ролей (в месяц)", "Role load (per month)")
    );
    if a.roles.is_empty() {
        let _ = writeln!(out, "  {}", lang.pick("ролей нет", "no roles"));
        return;
    }
    // The sampling column only where some role scores a sample (the load counts it).
    let sampled = a.roles.iter().any(|r| r.sampling_minutes > 0.0);
    let mut head = vec![
        lang.pick("Роль", "Role"),
        lang.pick("Штат", "Staff"),
        lang.pick("Работа, ч", "Work, h"),
    ];
    if sampled {
        head.push(lang.pick("Выборка ОКК, ч", "QC sample, h"));
    }
    head.extend([
        lang.pick("Доступно, ч", "Available, h"),
        lang.pick("Загрузка", "Load"),
        lang.pick("Нужно людей", "People needed"),
        lang.pick("Совещания, ч", "Meetings, h"),
    ]);
    let mut t = Table::new(head);
    for r in &a.roles {
        let mut load = match r.load {
            Some(l) if r.overloaded => format!("{} {}", pct(l, lang), lang.pick("ПЕРЕГРУЗКА", "OVERLOAD")),
            Some(l) => pct(l, lang),
            None if r.overloaded => lang.pick("нет времени", "no time").into(),
            None => "—".into(),
        };
        if r.bottleneck {
            load += lang.pick(", узкое место", ", bottleneck");
        }
        let mut row = vec![
            r.role.clone(),
            r.headcount.to_string(),
            num(r.demanded_minutes / 60.0, 1, lang),
        ];
        if sampled {
            row.push(num(r.sampling_minutes / 60.0, 1, lang));
        }
        row.extend([
            num(r.available_minutes / 60.0, 1, lang),
            load,
            needed_text(r.headcount_needed, r.headcount, r.partial(), lang),
            num(r.meeting_minutes / 60.0, 1, lang),
        ]);
        t.row(row);
    }
    t.write_indented(out, "  ");
    let threshold = pct(BOTTLENECK_LOAD, lang);
    let busiest = crate::analyze::busiest(a.roles.iter().filter_map(|r| Some((r, r.load?))));
    let verdict = match (a.roles.iter().find(|r| r.bottleneck), busiest) {
        (Some(r), _) => match (r.load, lang) {
            (Some(l), Lang::Ru) => format!(
                "Узкое место — {}: загрузка {} (от {threshold}).",
                r.role,
                pct(l, lang)
            ),
            (Some(l), Lang::En) => format!(
                "The bottleneck is {}: load {} ({threshold} or more).",
                r.role,
                pct(l, lang)
            ),
            (None, Lang::Ru) => format!("Узкое место — {}: работа есть, а рабочего времени нет.", r.role),
            (None, Lang::En) => format!("The bottleneck is {}: it has work and no working time.", r.role),
        },
        (None, Some((r, l))) => match lang {
            Lang::Ru => format!(
                "Узкого места нет: самая загруженная роль — {} ({}), ниже {threshold}.",
                r.role,
                pct(l, lang)
            ),
            Lang::En => format!(
                "No bottleneck: the busiest role is {} ({}), below {threshold}.",
                r.role,
                pct(l, lang)
            ),
        },
        (None, None) => String::new(),
    };
    if !verdict.is_empty() {
        let _ = writeln!(out, "  {verdict}");
    }
    // The work of triggers (`триггер`) inside «Работа, ч», role by role.
    for r in a.roles.iter().filter(|r| !r.triggers.is_empty()) {
        let minutes: f64 = r.triggers.iter().map(|w| w.minutes).sum();
        let names: Vec<&str> = r.triggers.iter().map(|w| w.trigger.as_str()).collect();
        let _ = writeln!(
            out,
            "  {} {}: {} {} ({})",
            lang.pick("В работе роли", "Work of"),
            r.role,
            num(minutes / 60.0, 1, lang),
            lang.pick("ч по триггерам", "h from triggers"),
            names.join(", ")
        );
    }
    if a.roles.iter().filter(|r| r.overloaded).count() > 1 {
        let _ = writeln!(
            out,
            "  {}",
            lang.pick(
                "Перегружено несколько ролей: расчёт не ограничивает поток мощностью, поэтому в прогнозе (`simulate`) самой загруженной может оказаться другая из них — та, что раньше по ходу сделки урезает поток к следующим.",
                "Several roles are overloaded: the analysis does not limit the flow by capacity, so in the forecast (`simulate`) another of them may be the busiest — the one earlier in the deal's path that cuts the flow to the next."
            )
        );
    }
    let _ = writeln!(
        out,
        "  {}",
        lang.pick(
            "Работа — минуты контактов цепочек, попытки — по доле дозвона; контакт с попытками без `дозвон` учтён один раз (нижняя оценка). Совещания в загрузку не входят.",
            "Work is the contact minutes of the chains, attempts by the reach rate; a contact with attempts and no `reach` counts once (a lower bound). Meetings are not part of the load."
        )
    );
    if sampled {
        let _ = writeln!(
            out,
            "  {}",
            lang.pick(
                "Выборка ОКК — часы оценки контактов по чек-листам (`контроль … { кто …; выборка … }`): она идёт из рабочего времени вне продаж, а что в него не помещается, вычитается из «Доступно».",
                "QC sample is the hours of scoring contacts by checklists (`control … { who …; sample … }`): it comes out of the working time not spent selling, and what does not fit there is taken from “Available”."
            )
        );
    }
    let partial: Vec<String> = a
        .roles
        .iter()
        .filter(|r| r.partial())
        .map(|r| match lang {
            Lang::Ru => format!(
                "{} (цепочки есть у {} из {} {})",
                r.role,
                r.stages_with_chain,
                r.stages,
                crate::locale::plural_ru(u64::from(r.stages), "этапа", "этапов", "этапов")
            ),
            Lang::En => format!(
                "{} ({} of {} stages have chains)",
                r.role, r.stages_with_chain, r.stages
            ),
        })
        .collect();
    if !partial.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            match lang {
                Lang::Ru => format!(
                    "Нагрузка учитывает только этапы с цепочками контактов: {}. Работа остальных этапов не посчитана, загрузка занижена — сокращать штат по ней нельзя; опишите цепочки (`цепочка {{ звонок 10 мин; … }}`), чтобы оценка стала полной.",
                    partial.join(", ")
                ),
                Lang::En => format!(
                    "The load covers only the stages with contact chains: {}. The other stages' work is not counted and the load is understated — do not cut staff by it; describe the chains (`chain {{ call 10 min; … }}`) for a full estimate.",
                    partial.join(", ")
                ),
            }
        );
    }
    if a.department.unassigned_work_minutes_per_month > 0.0 {
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("Работа без ответственной роли, ч", "Work without a role, h"),
            num(a.department.unassigned_work_minutes_per_month / 60.0, 1, lang)
        );
    }
}

/// The settled month beside the horizon from the start: the two figures differ for a reason
/// the reader is told (the start, seasonality, repeat cycles), never silently.
fn settled_and_horizon(a: &Analysis, h: &Expected, lang: Lang, out: &mut String) {
    let months = f64::from(h.horizon_months.max(1));
    let _ = writeln!(
        out,
        "\n{}",
        match lang {
            Lang::Ru => format!(
                "Установившийся месяц и горизонт {} мес. от старта (точный расчёт, без ограничения мощности)",
                h.horizon_months
            ),
            Lang::En => format!(
                "The settled month and the {}-month horizon from the start (exact, capacity not limited)",
                h.horizon_months
            ),
        }
    );
    let _ = writeln!(
        out,
        "  {}",
        crate::render::forecast::start_sentence(h.start, lang)
    );
    let mut t = Table::new([
        lang.pick("Показатель", "Metric"),
        lang.pick("Установившийся месяц", "Settled month"),
        lang.pick("За горизонт", "Over the horizon"),
        lang.pick("В среднем за месяц горизонта", "Horizon, per month"),
    ]);
    let d = &a.department;
    let rows = [
        (lang.pick("Лиды", "Leads"), d.leads_per_month, h.leads, false),
        (
            lang.pick("Сделки (все покупки)", "Deals (all purchases)"),
            d.purchases_per_month,
            h.won,
            false,
        ),
        (
            lang.pick("Новые клиенты", "New clients"),
            d.new_clients_per_month,
            h.new_clients,
            false,
        ),
        (
            lang.pick("Выручка", "Revenue"),
            d.revenue_per_month,
            h.revenue,
            true,
        ),
    ];
    for (name, settled, total, is_money) in rows {
        let f = |x: f64| {
            if is_money {
                money(x, a.currency, lang)
            } else {
                num(x, 1, lang)
            }
        };
        t.row(vec![name.into(), f(settled), f(total), f(total / months)]);
    }
    t.write_indented(out, "  ");
    let _ = writeln!(
        out,
        "  {}",
        lang.pick(
            "Установившийся месяц — средний месяц года, когда воронка и повторные покупки вошли в постоянный ритм; горизонт считает каждый рабочий день от старта, с сезонностью и повторными покупками в тех месяцах, где они случаются. Прогноз `voronka simulate` считает то же с учётом рабочего времени ролей: пока роли успевают, он совпадает с горизонтом в пределах случайного разброса, а где не успевают — ниже.",
            "The settled month is the year's average month once the pipeline and repeat purchases run at a steady rhythm; the horizon counts every working day from the start, with seasonality and repeat purchases in the months they happen. The `voronka simulate` forecast counts the same with the roles' working time: while the roles keep up it equals the horizon within sampling error, and where they do not it is lower."
        )
    );
}

fn plan(a: &Analysis, h: &Expected, lang: Lang, out: &mut String) {
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("План (в среднем за месяц)", "Plan (average month)")
    );
    let Some(plan) = a.plan.as_ref().filter(|p| !p.targets.is_empty()) else {
        let _ = writeln!(out, "  {}", lang.pick("план не задан", "no plan"));
        return;
    };
    let mut t = Table::new([
        lang.pick("Показатель", "Metric"),
        lang.pick("План", "Plan"),
        lang.pick("Ожидается", "Expected"),
        lang.pick("Разрыв", "Gap"),
        lang.pick("Выполнение", "Attainment"),
        lang.pick("Множитель лидов", "Lead multiplier"),
    ]);
    let metric = |m: PlanMetric| match m {
        PlanMetric::Revenue => lang.pick("Выручка", "Revenue"),
        PlanMetric::Deals => lang.pick("Сделки (все покупки)", "Deals (all purchases)"),
        PlanMetric::NewClients => lang.pick("Новые клиенты", "New clients"),
    };
    let value = |m: PlanMetric, x: f64| match m {
        PlanMetric::Revenue => money(x, a.currency, lang),
        _ => num(x, 2, lang),
    };
    for g in &plan.targets {
        t.row(vec![
            metric(g.metric).into(),
            value(g.metric, g.plan_per_month),
            value(g.metric, g.expected_per_month),
            value(g.metric, g.gap_per_month),
            g.attainment.map_or_else(|| "—".into(), |x| pct(x, lang)),
            g.lead_multiplier
                .map_or_else(|| "—".into(), |x| format!("×{}", num(x, 2, lang))),
        ]);
    }
    t.write_indented(out, "  ");
    let months = f64::from(h.horizon_months.max(1));
    for g in &plan.targets {
        let expected = match g.metric {
            PlanMetric::Revenue => h.revenue,
            PlanMetric::Deals => h.won,
            PlanMetric::NewClients => h.new_clients,
        } / months;
        if g.plan_per_month > 0.0 {
            let _ = writeln!(
                out,
                "  {}",
                match lang {
                    Lang::Ru => format!(
                        "{} за горизонт от старта: {} в месяц — {} плана.",
                        metric(g.metric),
                        value(g.metric, expected),
                        pct(expected / g.plan_per_month, lang)
                    ),
                    Lang::En => format!(
                        "{} over the horizon from the start: {} a month — {} of the plan.",
                        metric(g.metric),
                        value(g.metric, expected),
                        pct(expected / g.plan_per_month, lang)
                    ),
                }
            );
        }
    }
    let _ = writeln!(
        out,
        "  {}",
        lang.pick(
            "Штат при объёме лидов, умноженном на множитель (сейчас → нужно):",
            "Headcount at the lead volume times the multiplier (now → needed):"
        )
    );
    for g in &plan.targets {
        let list: Vec<String> = g
            .headcount
            .iter()
            .map(|r| {
                let partial = a.roles.iter().any(|l| l.role == r.role && l.partial());
                let needed = needed_text(r.needed, r.headcount, partial, lang);
                format!("{} {} → {needed}", r.role, r.headcount)
            })
            .collect();
        let _ = writeln!(out, "    {}: {}", metric(g.metric), list.join(", "));
    }
}

/// The people a role needs, as advice: the number; for a role whose load counts only some of
/// its stages ([`crate::analyze::RoleLoad::partial`]) a lower bound, shown only when it is
/// more than the role has (`≥ 7`), never a cut.
fn needed_text(needed: Option<u32>, headcount: u32, partial: bool, lang: Lang) -> String {
    match (needed, partial) {
        (None, _) => "—".into(),
        (Some(n), false) => n.to_string(),
        (Some(n), true) if n > headcount => format!("≥ {n}"),
        (Some(_), true) => lang.pick("нет оценки", "no estimate").into(),
    }
}
