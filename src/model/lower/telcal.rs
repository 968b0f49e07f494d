//! Telephony standards (`ответ до 3 гудков`, `перезвон 10 мин`, E0097), percentile targets
//! (`цель <= 5 мин в 90%`, E0095), the plan's dated steps (`срок "Проект плана" до 15 декабря
//! кто РОП`, `за 10 дн до начала квартала`, E0096), a field trigger's `накануне 18:00` and
//! `если_время до 10:00`, a meeting `время за 15 мин до открытия`, and `смены 2` without the
//! people per shift. Checks across items are in `check::telcal`.

use super::*;
use crate::model::telcal::{FieldTiming, PlanDeadline, PlanDue, Telephony, days_in_month};

fn clock_arg(s: &Stmt) -> Option<ast::Clock> {
    s.args.iter().find_map(|a| match a {
        Arg::Clock(c) => Some(c.clone()),
        _ => None,
    })
}

impl Lowerer {
    /// `ответ до 3 гудков` or `перезвон 10 мин` of a channel or a role.
    pub(super) fn telephony(&mut self, t: &mut Telephony, s: &Stmt) {
        let Some(q) = quantities(s).next() else { return };
        if s.key == Rule::tel_answer {
            let v = q.value;
            if q.unit.is_some() || v.fract() != 0.0 || !(1.0..=20.0).contains(&v) {
                self.err(
                    Kind::BadTelephony {
                        why: Msg::new(
                            format!(
                                "`{}` гудков — так не бывает: нужно целое число от 1 до 20",
                                q.text
                            ),
                            format!(
                                "`{}` rings cannot be: a whole number from 1 to 20 is needed",
                                q.text
                            ),
                        ),
                        fix: Msg::new(
                            "`ответ до 3 гудков` — трубку берут не позднее третьего гудка",
                            "`answer by 3 rings`: the call is answered by the third ring",
                        ),
                    },
                    q.span,
                );
                return;
            }
            t.answer_rings = Some(v as u32);
        } else {
            let minutes = match q.unit {
                Some(Unit::Minutes | Unit::Hours) => self.minutes(q),
                Some(Unit::Days | Unit::Weeks) => self.days(q, None).map(|d| d * 8.0 * 60.0),
                _ => None,
            };
            match minutes {
                Some(m) if m > 0.0 => t.callback_minutes = Some(m),
                _ => self.err(
                    Kind::BadTelephony {
                        why: Msg::new(
                            format!("`перезвон {}` — нужно положительное время", q.text),
                            format!("`callback {}`: a positive time is needed", q.text),
                        ),
                        fix: Msg::new(
                            "`перезвон 10 мин` — пропущенный звонок перезванивают не позднее 10 минут",
                            "`callback 10 min`: a missed call is called back within 10 minutes",
                        ),
                    },
                    q.span,
                ),
            }
        }
    }

    /// `в 90%` after a KPI's target: a share of cases above 0 and below 100 % (E0095).
    pub(super) fn percentile(&mut self, s: &Stmt) -> Option<f64> {
        let q = quantities(s).next()?;
        let ok = q.unit == Some(Unit::Percent) && q.value > 0.0 && q.value < 100.0;
        if !ok {
            self.err(
                Kind::BadPercentile {
                    why: Msg::new(
                        format!("`в {}` — доля случаев должна быть в процентах, больше 0 и меньше 100", q.text),
                        format!("`in {}`: the share of cases must be a percentage above 0 and below 100", q.text),
                    ),
                    fix: Msg::new(
                        "`цель <= 5 мин в 90%` — цель выполняется в 90 % случаев; в 100 % случаев — просто `цель <= 5 мин`",
                        "`target <= 5 min in 90%`: met in 90% of cases; in all cases write just `target <= 5 min`",
                    ),
                },
                q.span,
            );
            return None;
        }
        Some(q.value / 100.0)
    }

    /// `срок "Проект плана" до 15 декабря кто РОП` or `за 10 дн до начала квартала`.
    pub(super) fn plan_deadline(&mut self, s: &Stmt) -> Option<PlanDeadline> {
        let what = text_of(s).unwrap_or_default();
        let who = s
            .children
            .iter()
            .find(|c| c.key == Rule::pl_who)
            .and_then(first_ident)
            .map(|i| self.reference(NameSpace::Role, i));
        let day = s.args.iter().find_map(|a| match a {
            Arg::DayOfYear(d) => Some(d.clone()),
            _ => None,
        });
        let due = if let Some(d) = day {
            let possible = days_in_month(d.month).is_some_and(|n| (1..=n).contains(&d.day));
            if !possible {
                self.err(
                    Kind::BadPlanDate {
                        why: Msg::new(
                            format!("даты `{}` не бывает", d.text),
                            format!("there is no date `{}`", d.text),
                        ),
                        fix: Msg::new(
                            "день и месяц: `до 15.12`, `до 15 декабря` (в феврале — до 29 дней)",
                            "a day and a month: `by 15.12`, `by 15 december` (February has up to 29 days)",
                        ),
                    },
                    d.span,
                );
                return None;
            }
            PlanDue::Date {
                day: d.day,
                month: d.month,
            }
        } else {
            let q = quantities(s).next()?;
            let period = s.args.iter().find_map(|a| match a {
                Arg::Word(r, _) => period_of(*r),
                _ => None,
            })?;
            let days = match q.unit {
                Some(Unit::Days | Unit::Weeks | Unit::Months) => self.days(q, None),
                _ => None,
            };
            let Some(days) = days else {
                self.err(
                    Kind::BadPlanDate {
                        why: Msg::new(
                            format!("`за {}` — нужно время в днях, неделях или месяцах", q.text),
                            format!("`ahead {}`: a time in days, weeks or months is needed", q.text),
                        ),
                        fix: Msg::new(
                            "`срок \"План на квартал\" за 10 дн до начала квартала`",
                            "`deadline \"Quarter plan\" ahead 10 d by start_of quarter`",
                        ),
                    },
                    q.span,
                );
                return None;
            };
            let calendar = self.model.header.calendar();
            let length = calendar.days(1.0, period_unit(period)).unwrap_or(f64::INFINITY);
            if days >= length {
                self.err(
                    Kind::BadPlanDate {
                        why: Msg::new(
                            format!("`за {}` — не короче самого периода: срок попадает в предыдущий", q.text),
                            format!("`ahead {}` is not shorter than the period itself: the deadline falls in the one before", q.text),
                        ),
                        fix: Msg::new(
                            "срок до начала периода короче периода: `за 10 дн до начала квартала`",
                            "a deadline before a period is shorter than the period: `ahead 10 d by start_of quarter`",
                        ),
                    },
                    q.span,
                );
                return None;
            }
            PlanDue::Before {
                days,
                text: q.text.clone(),
                period,
            }
        };
        Some(PlanDeadline { what, due, who })
    }

    /// `время за 15 мин до открытия` of a meeting: minutes before the working day.
    pub(super) fn before_opening(&mut self, s: &Stmt) -> Option<f64> {
        let b = s.children.iter().find(|c| c.key == Rule::before_opening)?;
        let q = quantities(b).next()?;
        self.minutes(q)
    }

    /// `накануне 18:00` and `если_время до 10:00` of a field trigger's event.
    pub(super) fn field_timing(&mut self, e: &Stmt) -> FieldTiming {
        let mut t = FieldTiming::default();
        for c in &e.children {
            let Some(clock) = clock_arg(c) else { continue };
            match c.key {
                Rule::ev_day_before => t.day_before_at = self.clock(&clock),
                Rule::ev_if_time => t.if_time_before = self.clock(&clock),
                _ => {}
            }
        }
        t
    }
}

fn period_unit(p: Period) -> Unit {
    match p {
        Period::Day => Unit::Days,
        Period::Week => Unit::Weeks,
        Period::Month => Unit::Months,
        Period::Quarter => Unit::Quarters,
        Period::Year => Unit::Years,
    }
}
