//! Calendar anchors across items: a moment that does not fit its period or falls outside the
//! working hours (W0043), after-hours answering without working hours or outside them (E0068),
//! shifts without hours (E0068) and a schedule the staff or work day does not cover (W0044).

use super::Checker;
use crate::diag::{Kind, Msg};
use crate::model::calendar::{WEEK_HOURS_NORM, clock_text};
use crate::model::{Hours, Moment, MomentDay, Period};
use crate::source::Span;

pub(super) fn check(cx: &mut Checker) {
    moments(cx);
    schedules(cx);
    after_hours(cx);
}

/// The working hours of a role, else of the department.
fn hours_of(cx: &Checker, role: Option<&str>) -> Option<Hours> {
    role.and_then(|r| cx.model.roles.iter().find(|x| x.name == r))
        .and_then(|r| r.schedule.hours)
        .or(cx.model.header.hours)
}

fn period_words(p: Period) -> Msg {
    Msg::new(p.every(crate::locale::Lang::Ru), p.every(crate::locale::Lang::En))
}

/// W0043 for one moment of an item.
fn moment(cx: &mut Checker, what: Msg, m: &Moment, period: Option<Period>, role: Option<&str>, span: Span) {
    if let (Some(implied), Some(period)) = (m.period(), period) {
        let fits = match m.day {
            Some(MomentDay::Weekday(_)) => period == Period::Week,
            _ => matches!(period, Period::Month | Period::Quarter | Period::Year),
        };
        if !fits {
            let day = if implied == Period::Week {
                Msg::new("день недели", "a weekday")
            } else {
                Msg::new("число месяца", "a day of the month")
            };
            let p = period_words(period);
            cx.report(
                Kind::CalendarMismatch {
                    why: Msg::new(
                        format!("{}: {} не подходит к периоду «{}»", what.ru, day.ru, p.ru),
                        format!("{}: {} does not fit the period \"{}\"", what.en, day.en, p.en),
                    ),
                    fix: Msg::new(
                        "день недели — у еженедельного, число — у ежемесячного; у ежедневного — только время: `срок 18:00`",
                        "a weekday goes with weekly, a day of the month with monthly; a daily one takes a time only: `deadline 18:00`",
                    ),
                },
                span,
            );
            return;
        }
    }
    if let (Some(minute), Some(h)) = (m.minute, hours_of(cx, role))
        && !h.contains(minute)
    {
        cx.report(
            Kind::CalendarMismatch {
                why: Msg::new(
                    format!(
                        "{}: {} вне рабочего времени {}",
                        what.ru,
                        clock_text(minute),
                        h.words()
                    ),
                    format!(
                        "{}: {} is outside the working hours {}",
                        what.en,
                        clock_text(minute),
                        h.words()
                    ),
                ),
                fix: Msg::new(
                    "назначьте время внутри `график` роли или положения",
                    "set a time within the `schedule` of the role or of the regulation",
                ),
            },
            span,
        );
    }
}

fn moments(cx: &mut Checker) {
    let m = cx.model;
    for r in &m.reports {
        if let Some(at) = &r.deadline_at {
            let what = Msg::new(
                format!("срок отчёта `{}`", r.name),
                format!("deadline of report `{}`", r.name),
            );
            moment(cx, what, at, r.period, r.author.as_deref(), r.span);
        }
    }
    for x in &m.meetings {
        if let Some(at) = &x.time {
            let what = Msg::new(
                format!("время совещания `{}`", x.name),
                format!("time of meeting `{}`", x.name),
            );
            moment(cx, what, at, x.period, x.owner.as_deref(), x.span);
        }
    }
    for c in &m.controls {
        if let Some(at) = &c.time {
            let name = c.name.clone().unwrap_or_default();
            let what = Msg::new(
                format!("время контроля `{name}`"),
                format!("time of control `{name}`"),
            );
            moment(cx, what, at, c.period, c.who.as_deref(), c.span);
        }
    }
    for a in &m.accounting {
        if let Some(at) = &a.deadline_at {
            let what = Msg::new("срок учёта", "accounting deadline");
            moment(cx, what, at, None, a.who.first().map(String::as_str), a.span);
        }
    }
    for i in &m.interactions {
        if let Some(at) = &i.deadline_at {
            let what = Msg::new(
                format!("срок взаимодействия `{}`", i.name),
                format!("deadline of interaction `{}`", i.name),
            );
            moment(cx, what, at, None, i.owner.as_deref(), i.span);
        }
    }
}

fn schedules(cx: &mut Checker) {
    let m = cx.model;
    let week = m.header.work_week_days;
    for r in &m.roles {
        let s = &r.schedule;
        if s.shifts.is_some() && s.hours.is_none() {
            cx.report(
                Kind::BadCalendar {
                    text: "смены".into(),
                    why: Msg::new(
                        format!("у роли `{}` смены без часов работы", r.name),
                        format!("role `{}` has shifts but no working hours", r.name),
                    ),
                    fix: Msg::new(
                        "добавьте часы, которые закрывают смены: `график 8:00..21:00; смены 2 по 3`",
                        "add the hours the shifts cover: `schedule 8:00..21:00; shifts 2 of 3`",
                    ),
                },
                r.span,
            );
            continue;
        }
        if let Some(duty) = s.duty_hours_a_week(week) {
            let supply = f64::from(r.headcount) * WEEK_HOURS_NORM;
            if supply + 1e-9 < duty {
                let need = (duty / WEEK_HOURS_NORM).ceil();
                cx.report(
                    Kind::ScheduleUncovered {
                        role: r.name.clone(),
                        why: Msg::new(
                            format!(
                                "смены требуют {} ч в неделю, а штат {} даёт {} ч по норме 40 ч в неделю",
                                crate::diag::kind::num(duty, crate::locale::Lang::Ru),
                                r.headcount,
                                crate::diag::kind::num(supply, crate::locale::Lang::Ru)
                            ),
                            format!(
                                "the shifts need {} h a week, staff {} gives {} h at the 40-hour week",
                                crate::diag::kind::num(duty, crate::locale::Lang::En),
                                r.headcount,
                                crate::diag::kind::num(supply, crate::locale::Lang::En)
                            ),
                        ),
                        fix: Msg::new(
                            format!("нужно не меньше {need} человек: увеличьте `штат` или сократите смены"),
                            format!("at least {need} people are needed: raise `headcount` or cut the shifts"),
                        ),
                    },
                    r.span,
                );
            }
        } else if let Some(h) = s.hours
            && r.work_day_hours * 60.0 > h.span_minutes() + 1e-9
        {
            cx.report(
                Kind::ScheduleUncovered {
                    role: r.name.clone(),
                    why: Msg::new(
                        format!(
                            "рабочий день {} ч не помещается в часы {}",
                            crate::diag::kind::num(r.work_day_hours, crate::locale::Lang::Ru),
                            h.words()
                        ),
                        format!(
                            "a {} h work day does not fit the hours {}",
                            crate::diag::kind::num(r.work_day_hours, crate::locale::Lang::En),
                            h.words()
                        ),
                    ),
                    fix: Msg::new(
                        "сократите `рабочий_день` или расширьте `график`; для работы в несколько смен — `смены N по M`",
                        "shorten `work_day` or widen the `schedule`; for several shifts write `shifts N of M`",
                    ),
                },
                r.span,
            );
        }
    }
}

/// The role that answers a channel's leads: its team, else the owner of its first stage.
fn answering_role<'a>(cx: &Checker<'a>, c: &'a crate::model::Channel) -> Option<&'a str> {
    c.team.as_deref().or_else(|| {
        let p = cx
            .model
            .pipelines
            .iter()
            .find(|p| Some(&p.name) == c.pipeline.as_ref())?;
        let s = p.stages.first()?;
        s.owner.as_deref().or(p.owner.as_deref())
    })
}

fn after_hours(cx: &mut Checker) {
    let m = cx.model;
    for c in &m.channels {
        let Some(by) = c.after_hours_by else { continue };
        let role = answering_role(cx, c);
        let why = match hours_of(cx, role) {
            None => Msg::new(
                "рабочее время не задано — «вне графика» не от чего считать",
                "no working hours are given, so \"after hours\" means nothing",
            ),
            Some(h) if !h.contains(by) => Msg::new(
                format!("{} вне рабочего времени {}", clock_text(by), h.words()),
                format!("{} is outside the working hours {}", clock_text(by), h.words()),
            ),
            Some(_) => continue,
        };
        cx.report(
            Kind::BadCalendar {
                text: format!("вне_графика до {}", clock_text(by)),
                why,
                fix: Msg::new(
                    "задайте `график 9:00..18:00` у положения или у роли, которая отвечает на заявки канала, и время ответа внутри него",
                    "give `schedule 9:00..18:00` in the regulation or on the role answering the channel, and an answer time within it",
                ),
            },
            c.span,
        );
    }
}
