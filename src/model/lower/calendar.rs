//! Calendar anchors: moments (`18:00`, `пн 12:00`, `5 число`), working hours and shifts,
//! contact deadlines and retry schedules, interaction items with their own terms. Values that
//! cannot be are E0068 (moments, hours, shifts), E0069 (contact deadlines) and E0079 (retries);
//! checks across items (a moment against its period, staffing of shifts) are in
//! `check::calendar`.

use super::*;
use crate::model::calendar::{Flow, Hours, InteractionItem, Moment, MomentDay, Shifts};

fn bad(text: &str, why: Msg, fix: Msg) -> Kind {
    Kind::BadCalendar {
        text: text.to_string(),
        why,
        fix,
    }
}

impl Lowerer {
    /// Minutes since midnight of a time of day, 0..=1440 (`24:00` is the end of the day).
    pub(super) fn clock(&mut self, c: &ast::Clock) -> Option<u32> {
        let ok = c.minutes < 60 && (c.hours < 24 || (c.hours == 24 && c.minutes == 0));
        if !ok {
            self.err(
                bad(
                    &c.text,
                    Msg::new("такого времени суток нет", "no such time of day"),
                    Msg::new(
                        "часы 0–24, минуты 00–59: `9:15`, `18:00`",
                        "hours 0–24, minutes 00–59: `9:15`, `18:00`",
                    ),
                ),
                c.span,
            );
            return None;
        }
        Some(c.hours * 60 + c.minutes)
    }

    pub(super) fn moment(&mut self, m: &ast::Moment) -> Option<Moment> {
        let minute = match &m.clock {
            Some(c) => Some(self.clock(c)?),
            None => None,
        };
        let day =
            match &m.day {
                None => None,
                Some(ast::Day::Weekday(d, _)) => Some(MomentDay::Weekday(*d)),
                Some(ast::Day::OfMonth { number, working }) => {
                    let limit = if *working { 23.0 } else { 31.0 };
                    let v = number.value;
                    if !(v.fract() == 0.0 && (1.0..=limit).contains(&v)) {
                        let (ru, en) = if *working {
                            (
                                "рабочих дней в месяце от 1 до 23",
                                "a month has working days 1 to 23",
                            )
                        } else {
                            ("в месяце числа от 1 до 31", "a month has days 1 to 31")
                        };
                        self.err(
                        bad(
                            &number.text,
                            Msg::new(format!("такого дня месяца нет: {ru}"), format!("no such day: {en}")),
                            Msg::new(
                                "`5 число` — пятое число месяца, `1 рабочий_день` — первый рабочий день",
                                "`5 of_month` is the 5th of the month, `1 work_day` its first working day",
                            ),
                        ),
                        number.span,
                    );
                        return None;
                    }
                    let n = v as u8;
                    Some(if *working {
                        MomentDay::WorkingDay(n)
                    } else {
                        MomentDay::MonthDay(n)
                    })
                }
            };
        Some(Moment { day, minute })
    }

    fn moment_arg(&mut self, s: &Stmt) -> Option<Moment> {
        let m = s.args.iter().find_map(|a| match a {
            Arg::Moment(m) => Some(m.clone()),
            _ => None,
        })?;
        self.moment(&m)
    }

    /// A `срок` of a report, accounting entry or interaction: a moment, or the text/quantity as
    /// before.
    pub(super) fn deadline_or_moment(&mut self, s: &Stmt) -> (Option<String>, Option<Moment>) {
        if s.args.iter().any(|a| matches!(a, Arg::Moment(_))) {
            (None, self.moment_arg(s))
        } else {
            (self.deadline(s), None)
        }
    }

    /// `время` of a meeting or a control.
    pub(super) fn time_of(&mut self, s: &Stmt) -> Option<Moment> {
        self.moment_arg(s)
    }

    /// `день пт` of a meeting joined with its `время 9:15`; a day written twice is E0068.
    pub(super) fn join_day(&mut self, time: Option<Moment>, s: &Stmt) -> Option<Moment> {
        let day = self.moment_arg(s)?;
        match time {
            Some(t) if t.day.is_some() => {
                self.err(
                    bad(
                        &s.keyword,
                        Msg::new("день уже указан в `время`", "the day is already given in `time`"),
                        Msg::new(
                            "укажите день один раз: `время пт 16:00` или `день пт; время 16:00`",
                            "give the day once: `time fri 16:00` or `day fri; time 16:00`",
                        ),
                    ),
                    s.head,
                );
                Some(t)
            }
            Some(t) => Some(Moment { day: day.day, ..t }),
            None => Some(day),
        }
    }

    /// `график 9:00..18:00`: the end after the start.
    pub(super) fn hours_of(&mut self, s: &Stmt) -> Option<Hours> {
        let (a, b) = s.args.iter().find_map(|a| match a {
            Arg::ClockRange(a, b) => Some((a.clone(), b.clone())),
            _ => None,
        })?;
        let (from, to) = (self.clock(&a)?, self.clock(&b)?);
        if to <= from {
            self.err(
                bad(
                    &format!("{}..{}", a.text, b.text),
                    Msg::new("конец рабочего времени не позже начала", "the hours end before they start"),
                    Msg::new(
                        "часы работы пишутся от начала до конца в пределах суток: `8:00..21:00`; ночные смены не поддерживаются",
                        "write the hours from start to end within one day: `8:00..21:00`; night shifts are not supported",
                    ),
                ),
                a.span.to(b.span),
            );
            return None;
        }
        Some(Hours { from, to })
    }

    /// `смены 2 по 3`: at least one shift of at least one person.
    pub(super) fn shifts_of(&mut self, s: &Stmt) -> Option<Shifts> {
        let qs: Vec<ast::Quantity> = quantities(s).cloned().collect();
        if let [n] = &qs[..] {
            // `смены 2`: the people per shift are the staff split evenly (set with the role).
            let count = self.count(n)?;
            if count == 0 {
                self.err(
                    bad(
                        &format!("{} {}", s.keyword, n.text),
                        Msg::new("смен не может быть 0", "shifts cannot be 0"),
                        Msg::new(
                            "`смены 2` — две смены в день, штат делится поровну; `смены 2 по 3` — по 3 человека",
                            "`shifts 2` is two shifts a day, the staff split evenly; `shifts 2 of 3` — 3 people each",
                        ),
                    ),
                    s.span,
                );
                return None;
            }
            return Some(Shifts {
                count,
                people: 0,
                even: None,
            });
        }
        let [n, m] = &qs[..] else { return None };
        let (count, people) = (self.count(n)?, self.count(m)?);
        if count == 0 || people == 0 {
            self.err(
                bad(
                    &format!("{} {} {} {}", s.keyword, n.text, "по", m.text),
                    Msg::new(
                        "смен и людей в смене не может быть 0",
                        "shifts and people per shift cannot be 0",
                    ),
                    Msg::new(
                        "`смены 2 по 3` — две смены в день, по 3 человека в каждой",
                        "`shifts 2 of 3` is two shifts a day, 3 people each",
                    ),
                ),
                s.span,
            );
            return None;
        }
        Some(Shifts {
            count,
            people,
            even: None,
        })
    }

    /// `дни пн..сб`: the first day not after the last.
    pub(super) fn days_of(&mut self, s: &Stmt) -> Option<(u8, u8)> {
        let (a, b, span) = s.args.iter().find_map(|a| match a {
            Arg::Weekdays(a, b, span) => Some((*a, *b, *span)),
            _ => None,
        })?;
        if b < a {
            self.err(
                bad(
                    &s.keyword,
                    Msg::new(
                        "первый день диапазона после последнего",
                        "the range starts after it ends",
                    ),
                    Msg::new(
                        "дни пишутся с понедельника: `пн..пт`, `пн..сб`, `пн..вс`",
                        "write the days from Monday on: `mon..fri`, `mon..sat`, `mon..sun`",
                    ),
                ),
                span,
            );
            return None;
        }
        Some((a, b))
    }

    /// `вне_графика до 10:00`: the time of the next working day by which after-hours leads are
    /// answered.
    pub(super) fn after_hours_of(&mut self, s: &Stmt) -> Option<u32> {
        let c = s.args.iter().find_map(|a| match a {
            Arg::Clock(c) => Some(c.clone()),
            _ => None,
        })?;
        self.clock(&c)
    }

    /// `срок 4 ч` of a contact: a time; never shorter than its `через` (E0069).
    pub(super) fn contact_deadline(&mut self, contact: &mut Contact, s: &Stmt) {
        let Some(q) = quantities(s).next() else { return };
        let Some(v) = self.non_negative(q) else { return };
        let calendar = self.model.header.calendar();
        let Some(days) = q.unit.and_then(|u| calendar.days(v, u)) else {
            self.err(
                Kind::ContactDeadline {
                    contact: contact_label(contact),
                    why: Msg::new(format!("`{}` — не время", q.text), format!("`{}` is not a time", q.text)),
                    fix: Msg::new(
                        "срок пишется временем от входа в этап или от предыдущего контакта: `срок 4 ч`, `срок 1 дн`",
                        "a deadline is a time after the stage entry or the previous contact: `deadline 4 h`, `deadline 1 d`",
                    ),
                },
                q.span,
            );
            return;
        };
        contact.deadline = Some(q.text.clone());
        contact.deadline_days = Some(days);
    }

    /// `повторы 0, 15 мин, 2 ч`: times after the first attempt, not decreasing.
    pub(super) fn retries(&mut self, contact: &mut Contact, s: &Stmt) {
        let calendar = self.model.header.calendar();
        let mut out = Vec::new();
        for q in quantities(s) {
            let Some(v) = self.non_negative(q) else { return };
            let days = match q.unit {
                None if v == 0.0 => Some(0.0),
                Some(u) => calendar.days(v, u),
                None => None,
            };
            let Some(days) = days else {
                self.wrong_unit(q, UnitClass::Duration);
                return;
            };
            if let Some(&(prev, _)) = out.last()
                && days < prev
            {
                self.err(
                    Kind::RetrySchedule {
                        contact: contact_label(contact),
                        why: Msg::new(
                            format!("`{}` раньше предыдущей попытки", q.text),
                            format!("`{}` comes before the previous attempt", q.text),
                        ),
                        fix: Msg::new(
                            "время каждой попытки считается от первой и не убывает: `повторы 0, 15 мин, 2 ч, 1 дн`",
                            "each attempt's time counts from the first and does not decrease: `retry_at 0, 15 min, 2 h, 1 d`",
                        ),
                    },
                    q.span,
                );
                return;
            }
            out.push((days, q.text.clone()));
        }
        contact.retry_at_days = out.iter().map(|(d, _)| *d).collect();
        contact.retry_at = out.into_iter().map(|(_, t)| t).collect();
    }

    /// After a contact's attributes are read: the retries fit the attempts (E0079) and the
    /// deadline is not shorter than the delay (E0069).
    pub(super) fn contact_terms(&mut self, contact: &Contact, c: &Stmt) {
        let span_of = |rule: Rule| c.children.iter().find(|a| a.key == rule).map(|a| a.span);
        if let (Some(deadline), Some(delay)) = (contact.deadline_days, contact.delay_days)
            && deadline < delay
        {
            self.err(
                Kind::ContactDeadline {
                    contact: contact_label(contact),
                    why: Msg::new(
                        format!(
                            "`{}` короче задержки `через` — контакт не успеть сделать в срок",
                            contact.deadline.as_deref().unwrap_or_default()
                        ),
                        format!(
                            "`{}` is shorter than its `after` delay: the contact cannot be made in time",
                            contact.deadline.as_deref().unwrap_or_default()
                        ),
                    ),
                    fix: Msg::new(
                        "`через` — когда контакт делают, `срок` — не позднее какого времени; срок не короче задержки",
                        "`after` is when the contact is made, `deadline` the latest it may be; the deadline is not shorter than the delay",
                    ),
                },
                span_of(Rule::k_deadline).unwrap_or(c.span),
            );
        }
        if contact.retry_at.is_empty() {
            return;
        }
        let span = span_of(Rule::k_retries).unwrap_or(c.span);
        let n = contact.retry_at.len();
        let why = match contact.attempts {
            None => Some(Msg::new(
                format!(
                    "в расписании {n} {}, но `попыток` не указано",
                    crate::locale::plural_ru(n as u64, "попытка", "попытки", "попыток")
                ),
                format!("{n} scheduled attempts, but no `attempts`"),
            )),
            Some(a) if a as usize != n => Some(Msg::new(
                format!(
                    "указано {n} {}, а попыток {a}",
                    crate::locale::plural_ru(n as u64, "время", "времени", "времён")
                ),
                format!("{n} times for {a} attempts"),
            )),
            _ => None,
        };
        let why = why.or_else(|| {
            let last = *contact.retry_at_days.last()?;
            let deadline = contact.deadline_days?;
            (last > deadline + 1e-9).then(|| {
                Msg::new(
                    format!(
                        "последняя попытка (`{}`) позже срока контакта `{}`",
                        contact.retry_at.last().map_or("", String::as_str),
                        contact.deadline.as_deref().unwrap_or_default()
                    ),
                    format!(
                        "the last attempt (`{}`) comes after the contact's deadline `{}`",
                        contact.retry_at.last().map_or("", String::as_str),
                        contact.deadline.as_deref().unwrap_or_default()
                    ),
                )
            })
        });
        if let Some(why) = why {
            self.err(
                Kind::RetrySchedule {
                    contact: contact_label(contact),
                    why,
                    fix: Msg::new(
                        "одно время на каждую попытку, первое обычно 0: `попыток 3; повторы 0, 2 ч, 1 дн`; последняя — не позже `срок`",
                        "one time per attempt, the first usually 0: `attempts 3; retry_at 0, 2 h, 1 d`; the last not after the `deadline`",
                    ),
                },
                span,
            );
        }
    }

    /// One `передаём`/`получаем` with its own terms.
    pub(super) fn interaction_item(&mut self, s: &Stmt) -> InteractionItem {
        let mut item = InteractionItem {
            flow: if s.key == Rule::int_give {
                Flow::Give
            } else {
                Flow::Receive
            },
            what: text_of(s).unwrap_or_default(),
            within: None,
            within_days: None,
            ahead: None,
            ahead_days: None,
            period: None,
        };
        for a in &s.children {
            let q = quantities(a).next();
            match a.key {
                Rule::int_within => {
                    item.within_days = q.and_then(|q| self.days(q, None));
                    item.within = item.within_days.and(q.map(|q| q.text.clone()));
                }
                Rule::int_ahead => {
                    item.ahead_days = q.and_then(|q| self.days(q, None));
                    item.ahead = item.ahead_days.and(q.map(|q| q.text.clone()));
                }
                Rule::int_period => item.period = word(a).and_then(period_of),
                other => outside_grammar(other),
            }
        }
        item
    }
}

/// A contact as messages name it: its title, or its kind.
fn contact_label(c: &Contact) -> String {
    c.title
        .clone()
        .unwrap_or_else(|| format!("{:?}", c.kind).to_lowercase())
}
