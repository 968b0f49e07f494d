//! Telephony, percentile targets and timing across items: telephony data or standards where
//! nobody calls (W0056), a reminder time outside the working hours of whoever makes it (W0057),
//! a share of cases of a quantity that is not measured case by case (W0058), and a time-of-day
//! condition on a card field that holds no time (E0098).

use super::Checker;
use crate::diag::{Kind, Msg};
use crate::model::FieldType;
use crate::model::calendar::clock_text;
use crate::model::telcal::{per_case, reads_telephony};
use crate::model::{ContactKind, Model, TriggerAction, TriggerEvent};

pub(super) fn check(cx: &mut Checker) {
    without_calls(cx);
    reminder_hours(cx);
    percentiles(cx);
    time_on_date(cx);
}

/// Whether `role` (any role when `None`) makes calls: in a chain it owns, or as a trigger's.
fn makes_calls(m: &Model, role: Option<&str>) -> bool {
    let in_chains = m.pipelines.iter().flat_map(|p| &p.stages).any(|s| {
        s.chain.iter().any(|c| {
            c.kind == ContactKind::Call
                && role.is_none_or(|r| c.owner.as_deref().or(s.owner.as_deref()) == Some(r))
        })
    });
    in_chains
        || m.triggers.iter().any(|t| {
            role.is_none_or(|r| t.owner.as_deref() == Some(r))
                && t.actions.iter().any(|a| {
                    matches!(
                        a,
                        TriggerAction::Contact {
                            kind: ContactKind::Call,
                            ..
                        }
                    )
                })
        })
}

fn no_calls(cx: &mut Checker, what: Msg, whom: Msg, span: crate::source::Span) {
    cx.report(
        Kind::TelephonyWithoutCalls {
            why: Msg::new(
                format!("{}: {} не делает и не принимает звонков", what.ru, whom.ru),
                format!("{}: {} makes and takes no calls", what.en, whom.en),
            ),
            fix: Msg::new(
                "добавьте звонки в цепочки этапов роли (`звонок \"…\" входящий 4 мин`) или уберите телефонию отсюда",
                "add calls to the chains of the role's stages (`call \"…\" incoming 4 min`) or drop the telephony here",
            ),
        },
        span,
    );
}

/// W0056.
fn without_calls(cx: &mut Checker) {
    let m = cx.model;
    let department = Msg::new("отдел", "the department");
    let role_words = |r: &str| Msg::new(format!("роль `{r}`"), format!("role `{r}`"));
    for k in &m.kpis {
        let Some(f) = &k.formula else { continue };
        if !reads_telephony(f) {
            continue;
        }
        let what = Msg::new(
            format!("показатель `{}` считает данные телефонии", k.name),
            format!("KPI `{}` reads telephony data", k.name),
        );
        if !makes_calls(m, None) {
            no_calls(cx, what, department.clone(), k.span);
        } else if !k.department && !k.roles.is_empty() && !k.roles.iter().any(|r| makes_calls(m, Some(r))) {
            let whom = role_words(&k.roles.join("`, `"));
            no_calls(cx, what, whom, k.span);
        }
    }
    for set in &m.norms {
        for n in set.norms.iter().filter(|n| n.filter.talk.is_some()) {
            let what = Msg::new(
                format!("норматив `{}` считает разговоры", n.subject),
                format!("norm `{}` counts talk times", n.subject),
            );
            match set.role.as_deref() {
                Some(r) if !makes_calls(m, Some(r)) => no_calls(cx, what, role_words(r), n.span),
                None if !makes_calls(m, None) => no_calls(cx, what, department.clone(), n.span),
                _ => {}
            }
        }
    }
    for r in m.roles.iter().filter(|r| !r.telephony.is_empty()) {
        if !makes_calls(m, Some(&r.name)) {
            let what = Msg::new(
                format!("стандарт телефонии у роли `{}`", r.name),
                format!("telephony standard of role `{}`", r.name),
            );
            no_calls(cx, what, role_words(&r.name), r.span);
        }
    }
    for c in m.channels.iter().filter(|c| !c.telephony.is_empty()) {
        let calls = m
            .pipelines
            .iter()
            .filter(|p| c.pipeline.as_deref() == Some(p.name.as_str()))
            .flat_map(|p| &p.stages)
            .any(|s| s.chain.iter().any(|x| x.kind == ContactKind::Call));
        if !calls {
            let what = Msg::new(
                format!("стандарт телефонии у канала `{}`", c.name),
                format!("telephony standard of channel `{}`", c.name),
            );
            let whom = Msg::new(
                format!(
                    "в воронке канала `{}` никто",
                    c.pipeline.as_deref().unwrap_or("—")
                ),
                format!(
                    "the channel's pipeline `{}`",
                    c.pipeline.as_deref().unwrap_or("—")
                ),
            );
            no_calls(cx, what, whom, c.span);
        }
    }
}

/// W0057: `накануне 18:00` outside the working hours of the trigger's role (else the
/// department's).
fn reminder_hours(cx: &mut Checker) {
    let m = cx.model;
    for t in &m.triggers {
        let Some(at) = t.timing.day_before_at else {
            continue;
        };
        let hours = t
            .owner
            .as_deref()
            .and_then(|r| m.role(r))
            .and_then(|r| r.schedule.hours)
            .or(m.header.hours);
        let Some(h) = hours else { continue };
        if h.contains(at) {
            continue;
        }
        let who = t.owner.clone().map_or_else(
            || Msg::new("отдела".to_string(), "of the department".to_string()),
            |r| Msg::new(format!("роли `{r}`"), format!("of role `{r}`")),
        );
        let name = t.name.clone().or_else(|| t.title.clone()).unwrap_or_default();
        cx.report(
            Kind::TimeOutsideHours {
                why: Msg::new(
                    format!(
                        "триггер `{name}`: контакт накануне в {} — вне рабочего времени {} ({})",
                        clock_text(at),
                        who.ru,
                        h.words()
                    ),
                    format!(
                        "trigger `{name}`: the contact the day before at {} is outside the working hours {} ({})",
                        clock_text(at),
                        who.en,
                        h.words()
                    ),
                ),
                fix: Msg::new(
                    format!(
                        "назначьте время в пределах {} или ответственного, который в это время работает (`график` роли)",
                        h.words()
                    ),
                    format!(
                        "pick a time within {} or an owner who works then (the role's `schedule`)",
                        h.words()
                    ),
                ),
            },
            t.span,
        );
    }
}

/// W0058.
fn percentiles(cx: &mut Checker) {
    for k in &cx.model.kpis {
        let (Some(p), Some(f)) = (k.percentile, &k.formula) else {
            continue;
        };
        if per_case(f) {
            continue;
        }
        let share = crate::diag::kind::num(p * 100.0, crate::locale::Lang::Ru);
        let share_en = crate::diag::kind::num(p * 100.0, crate::locale::Lang::En);
        cx.report(
            Kind::PercentileNotPerCase {
                why: Msg::new(
                    format!(
                        "у показателя `{}` цель «в {share} % случаев», а формула `{}` — не величина отдельного случая",
                        k.name,
                        k.formula_text.as_deref().unwrap_or_default()
                    ),
                    format!(
                        "KPI `{}` has a target «in {share_en}% of cases», and its formula `{}` is no quantity of a single case",
                        k.name,
                        k.formula_text.as_deref().unwrap_or_default()
                    ),
                ),
                fix: Msg::new(
                    "доля случаев имеет смысл для времени на случай: `отклик`, `цикл`, `минуты(звонки) / звонки`; для итогов периода уберите `в N%`",
                    "a share of cases fits a time per case: `first_response`, `cycle_days`, `minutes(calls) / calls`; for a period's total drop `in N%`",
                ),
            },
            k.span,
        );
    }
}

/// E0098: `если_время до 10:00` on a card field of type `дата` (no time of day).
fn time_on_date(cx: &mut Checker) {
    let m = cx.model;
    for t in &m.triggers {
        let Some(at) = t.timing.if_time_before else {
            continue;
        };
        let Some(TriggerEvent::Field { field, .. }) = &t.event else {
            continue;
        };
        let date_only = m
            .cards
            .iter()
            .flat_map(|c| &c.fields)
            .filter(|f| &f.name == field)
            .all(|f| f.kind == FieldType::Date);
        let typed = m.cards.iter().flat_map(|c| &c.fields).any(|f| &f.name == field);
        if typed && date_only {
            cx.report(
                Kind::TimeOnDateField {
                    why: Msg::new(
                        format!(
                            "`если_время до {}`: поле «{field}» — дата без времени",
                            clock_text(at)
                        ),
                        format!(
                            "`if_time by {}`: the field «{field}» is a date without a time",
                            clock_text(at)
                        ),
                    ),
                    fix: Msg::new(
                        format!("сделайте поле «{field}» типа `дата_время` или уберите `если_время`"),
                        format!("make the field «{field}» a `datetime` or drop `if_time`"),
                    ),
                },
                t.span,
            );
        }
    }
}
