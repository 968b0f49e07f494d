//! The sections of `voronka analyze` for the deal cycle, quality-control samples and costs:
//! figures of `analyze` (`analyze::cycle`, `analyze::sampling`, `Analysis::costs`) as tables.

use super::Table;
use crate::analyze::Analysis;
use crate::analyze::sampling::SampleGap;
use crate::diag::Lang;
use crate::render::format::{fixed as num, money_fixed as money};
use std::fmt::Write;

/// The cycle of won deals in working days beside the cycle of all deals in calendar days.
pub(super) fn cycles(a: &Analysis, lang: Lang, out: &mut String) {
    if a.cycles.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", lang.pick("Цикл сделки", "Deal cycle"));
    let mut t = Table::new([
        lang.pick("Воронка", "Pipeline"),
        lang.pick("Выигранные, раб. дн", "Won, working days"),
        lang.pick("Все сделки, раб. дн", "All deals, working days"),
        lang.pick("Все сделки, календ. дн", "All deals, calendar days"),
    ]);
    for c in &a.cycles {
        t.row([
            c.pipeline.clone(),
            c.won_working_days.map_or_else(|| "—".into(), |d| num(d, 1, lang)),
            num(c.all_working_days, 1, lang),
            num(c.all_calendar_days, 1, lang),
        ]);
    }
    t.write_indented(out, "  ");
    let _ = writeln!(
        out,
        "  {}",
        lang.pick(
            "`цикл` — рабочие дни от входа до оплаты у выигранных сделок; `цикл_календарный` — календарные дни от входа до любого исхода, с проигранными, как цикл определяют многие положения. Оба — по длительностям этапов; ожидание занятой роли добавляет прогноз.",
            "`cycle_days` is working days from entry to the win of won deals; `cycle_calendar_days` is calendar days from entry to any outcome, lost deals included, as many regulations define the cycle. Both from the stage durations; waiting for a busy role is the forecast's."
        )
    );
}

/// Quality-control samples: contacts, minutes each, minutes a month, by control.
pub(super) fn sampling(a: &Analysis, lang: Lang, out: &mut String) {
    if a.sampling.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Выборка контроля качества (в месяц)",
            "Quality-control samples (per month)"
        )
    );
    let mut t = Table::new([
        lang.pick("Контроль", "Control"),
        lang.pick("Кто оценивает", "Scored by"),
        lang.pick("Контактов", "Contacts"),
        lang.pick("Мин. на контакт", "Min per contact"),
        lang.pick("Часов", "Hours"),
    ]);
    for s in &a.sampling {
        let hours = match s.gap {
            None => num(s.minutes_per_month / 60.0, 1, lang),
            Some(g) => gap(g, lang).into(),
        };
        t.row([
            s.label.clone(),
            s.role.clone().unwrap_or_else(|| "—".into()),
            num(s.contacts_per_month, 1, lang),
            if s.gap.is_none() {
                format!(
                    "{} ({} {})",
                    num(s.minutes_per_contact, 1, lang),
                    lang.pick("из них оценка", "scoring"),
                    num(s.review_minutes, 0, lang)
                )
            } else {
                "—".into()
            },
            hours,
        ]);
    }
    t.write_indented(out, "  ");
    let _ = writeln!(
        out,
        "  {}",
        lang.pick(
            "Контакт оценивают целиком (средние минуты контакта этого вида в цепочках) и заполняют чек-лист (`на_оценку`, по умолчанию 5 мин); часы входят в загрузку роли, которая оценивает, и в её рабочее время в прогнозе.",
            "A contact is scored in full (the mean minutes of contacts of that kind in the chains) plus filling in the checklist (`review_time`, 5 min by default); the hours are part of the scoring role's load and come out of its working time in the forecast."
        )
    );
}

fn gap(g: SampleGap, lang: Lang) -> &'static str {
    match g {
        SampleGap::NoScorer => lang.pick("не учтено: нет `кто`", "not counted: no `who`"),
        SampleGap::NoChecklist => lang.pick("не учтено: нет чек-листа", "not counted: no checklist"),
        SampleGap::NoKind => lang.pick(
            "не учтено: у чек-листа нет `вид`",
            "not counted: the checklist has no `kind`",
        ),
        SampleGap::NoContacts => lang.pick(
            "не учтено: в цепочках нет контактов этого вида",
            "not counted: no such contacts in the chains",
        ),
        SampleGap::NoPeriod => lang.pick("не учтено: нет периода", "not counted: no period"),
    }
}

/// Pay, leads and budgets a month.
pub(super) fn costs(a: &Analysis, lang: Lang, out: &mut String) {
    let c = &a.costs;
    if c.total_per_month <= 0.0 {
        return;
    }
    let _ = writeln!(out, "\n{}", lang.pick("Затраты (в месяц)", "Costs (per month)"));
    let mut t = Table::new([lang.pick("Статья", "Item"), lang.pick("Сумма", "Amount")]);
    t.row([
        lang.pick("Оклады", "Salaries").to_string(),
        money(c.salaries_per_month, a.currency, lang),
    ]);
    t.row([
        lang.pick("Лиды", "Leads").to_string(),
        money(c.leads_per_month, a.currency, lang),
    ]);
    if c.budgets.max > 0.0 {
        let amount = if c.budgets.min == c.budgets.max {
            money(c.budgets_per_month, a.currency, lang)
        } else {
            format!(
                "{} ({}..{})",
                money(c.budgets_per_month, a.currency, lang),
                money(c.budgets.min, a.currency, lang),
                money(c.budgets.max, a.currency, lang)
            )
        };
        t.row([
            lang.pick("Бюджеты подразделений и каналов", "Unit and channel budgets")
                .to_string(),
            amount,
        ]);
    }
    t.row([
        lang.pick("Итого", "Total").to_string(),
        money(c.total_per_month, a.currency, lang),
    ]);
    t.write_indented(out, "  ");
    let _ = writeln!(
        out,
        "  {}",
        lang.pick(
            "Оклад-диапазон и бюджет-диапазон считаются по середине (в скобках — концы). Бонусы зависят от результата — их считает прогноз.",
            "A salary or budget range counts at its midpoint (the ends in brackets). Bonuses depend on results and are the forecast's."
        )
    );
}
