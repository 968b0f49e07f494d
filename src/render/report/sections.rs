//! Sections of `simulate`'s table beyond the totals: today's open deals, each role's
//! utilisation month by month, and the KPIs against their targets.

use super::{Table, currency, money, month_name, number, percent};
use crate::diag::Lang;
use crate::model::{Bound, Cmp, Currency, Period};
use crate::sim::SimResult;
use std::fmt::Write as _;

/// «Открытые сделки»: what today's pipeline brings over the horizon.
pub fn open_deals(out: &mut String, r: &SimResult, lang: Lang) {
    let Some(o) = &r.open_deals else { return };
    let n = |x: f64| number(x, lang);
    let m = |x: f64| money(x, currency(&r.currency), lang);
    let line = match lang {
        Lang::Ru => format!(
            "Открытые сделки на старте: {}; из них выиграно {} (P10–P90: {}–{}), выручка {} (P10–P90: {} – {})",
            o.deals,
            n(o.won.mean),
            n(o.won.p10),
            n(o.won.p90),
            m(o.revenue.mean),
            m(o.revenue.p10),
            m(o.revenue.p90)
        ),
        Lang::En => format!(
            "Open deals at the start: {}; won {} (P10–P90: {}–{}), revenue {} (P10–P90: {} – {})",
            o.deals,
            n(o.won.mean),
            n(o.won.p10),
            n(o.won.p90),
            m(o.revenue.mean),
            m(o.revenue.p10),
            m(o.revenue.p90)
        ),
    };
    let _ = writeln!(out, "\n{line}");
}

/// «Загрузка ролей по месяцам»: one column per role, the month's mean utilisation.
pub fn utilisation_by_month(out: &mut String, r: &SimResult, lang: Lang) {
    let roles: Vec<&str> = r
        .roles
        .iter()
        .filter(|role| role.utilization.is_some())
        .map(|role| role.role.as_str())
        .collect();
    if roles.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Загрузка ролей по месяцам (среднее)",
            "Utilisation by role and month (mean)"
        )
    );
    let mut rows = Table::new(
        [lang.pick("месяц", "month")]
            .into_iter()
            .chain(roles.iter().copied()),
    );
    for m in &r.months {
        let name = month_name(m.calendar_month, lang);
        let mut row = vec![format!("{:>2} {name}", m.month)];
        for role in &roles {
            let u = m
                .roles
                .iter()
                .find(|x| x.role == *role)
                .and_then(|x| x.utilization);
            row.push(u.map_or("—".into(), |s| percent(s.mean, lang)));
        }
        rows.row(row);
    }
    rows.write(out);
}

fn period(p: Option<Period>, lang: Lang) -> &'static str {
    p.unwrap_or(Period::Month).per(lang)
}

/// A value in the KPI's unit: percentages as percent, money as money, the rest as numbers.
fn value(x: f64, unit: Option<&str>, lang: Lang) -> String {
    match unit {
        Some("%") => percent(x, lang),
        Some("₽") => money(x, Currency::Rub, lang),
        Some("$") => money(x, Currency::Usd, lang),
        Some("€") => money(x, Currency::Eur, lang),
        _ => number(x, lang),
    }
}

fn target(b: &Bound, unit: Option<&str>, lang: Lang) -> String {
    let v = |x: f64| value(x, unit, lang);
    match *b {
        Bound::Range { min, max } => format!("{} – {}", v(min), v(max)),
        Bound::Cmp { op, value } => {
            let op = match op {
                Cmp::Ge => "≥",
                Cmp::Gt => ">",
                Cmp::Le => "≤",
                Cmp::Lt => "<",
                Cmp::Eq => "=",
            };
            format!("{op} {}", v(value))
        }
    }
}

/// «Показатели»: each KPI's value per its period against the target, the chance to meet it and
/// the colour band of the mean; those the simulator cannot evaluate are listed with the reason.
pub fn kpis(out: &mut String, r: &SimResult, lang: Lang) {
    if r.kpis.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Показатели (среднее за период горизонта [P10–P90]; на человека — для ролей)",
            "KPIs (mean per period over the horizon [P10–P90]; per person for roles)"
        )
    );
    let mut rows = Table::new([
        lang.pick("показатель", "KPI"),
        lang.pick("период", "period"),
        lang.pick("значение", "value"),
        lang.pick("цель", "target"),
        lang.pick("P(цель)", "P(target)"),
        lang.pick("цвет", "band"),
    ]);
    let mut skipped = Vec::new();
    for k in &r.kpis {
        let Some(s) = &k.value else {
            let why = match k.not_evaluated.as_deref() {
                Some("response_minutes") => lang.pick(
                    "время отклика короче дня — шага модели",
                    "response time is below the model's one-day step",
                ),
                Some("no_formula") => lang.pick("нет формулы", "no formula"),
                Some(crate::sim::kpi::CHECKLIST_SCORE) => {
                    lang.pick("данные: оценка по чек-листу", "data: scoring by the checklist")
                }
                Some(crate::sim::kpi::TELEPHONY) => lang.pick("данные: телефония", "data: telephony"),
                Some(crate::sim::kpi::PERCENTILE) => lang.pick(
                    "данные: телефония и CRM — доля случаев в пределах цели",
                    "data: telephony and CRM — the share of cases within the target",
                ),
                Some("no_headcount") => lang.pick("в ролях показателя нет людей", "its roles have no staff"),
                Some("no_base") => lang.pick(
                    "в горизонте нет базы для сравнения",
                    "no base to compare with within the horizon",
                ),
                _ => lang.pick(
                    "счётчик с такой областью не моделируется",
                    "the counter is not modelled with that scope",
                ),
            };
            skipped.push(format!("{} ({why})", k.title.as_deref().unwrap_or(&k.name)));
            continue;
        };
        let unit = k.unit.as_deref();
        let shown = format!(
            "{} [{} – {}]",
            value(s.mean, unit, lang),
            value(s.p10, unit, lang),
            value(s.p90, unit, lang)
        );
        let who = if k.per_person.is_empty() {
            String::new()
        } else {
            format!(", {}", lang.pick("на чел.", "per person"))
        };
        rows.row([
            // The title the documents use; the name only when the KPI has none.
            k.title.clone().unwrap_or_else(|| k.name.clone()),
            format!("{}{who}", period(k.period, lang)),
            shown,
            k.target.as_ref().map_or("—".into(), |b| target(b, unit, lang)),
            k.target_probability.map_or("—".into(), |p| percent(p, lang)),
            k.band.map_or("—", |c| c.word(lang)).to_owned(),
        ]);
    }
    rows.write(out);
    // KPIs over stocks or `изменение`: month by month, «—» for a month without a value.
    for k in r.kpis.iter().filter(|k| k.value.is_some()) {
        let Some(months) = &k.by_month else { continue };
        let unit = k.unit.as_deref();
        let shown: Vec<String> = months
            .iter()
            .map(|m| m.map_or("—".into(), |s| value(s.mean, unit, lang)))
            .collect();
        let _ = writeln!(
            out,
            "  {} {}: {}",
            k.title.as_deref().unwrap_or(&k.name),
            lang.pick("по месяцам", "by month"),
            shown.join("; ")
        );
    }
    if !skipped.is_empty() {
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("Не оцениваются моделью", "Not evaluated by the model"),
            skipped.join("; ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::target;
    use crate::diag::Lang;
    use crate::model::{Bound, Cmp};

    #[test]
    fn targets_read_like_the_regulation() {
        let b = Bound::Cmp {
            op: Cmp::Ge,
            value: 0.2,
        };
        assert_eq!(target(&b, Some("%"), Lang::En), "≥ 20.0%");
        let r = Bound::Range {
            min: 250_000.0,
            max: 600_000.0,
        };
        assert_eq!(target(&r, Some("₽"), Lang::En), "250K\u{a0}₽ – 600K\u{a0}₽");
        assert_eq!(target(&r, Some("шт"), Lang::En), "250,000 – 600,000");
    }
}
