//! Scheduled starts of a stage (`старт`, `набор_до`, `группа`) and the contacts repeated before
//! every start (`перед_каждым_стартом`): E0091 (a schedule that is not one weekly or monthly
//! calendar), E0092 (`набор_до` or `группа` without `старт`), E0093 (group bounds that cannot
//! be), E0094 (`перед_каждым_стартом` a stage without `старт`).

use super::*;
use crate::model::calendar::MomentDay;
use crate::model::release::Release;

fn starts_msg(ru: &str, en: &str) -> Msg {
    Msg::new(ru, en)
}

impl Lowerer {
    /// One of `старт …`, `набор_до …`, `группа …` of a stage.
    pub(super) fn release_item(&mut self, s: &mut Stage, a: &Stmt) {
        let r = s.release.get_or_insert_with(|| Release {
            starts: Vec::new(),
            close_days: 0.0,
            group_min: None,
            group_max: None,
        });
        match a.key {
            Rule::s_starts => {
                let mut starts = Vec::new();
                for arg in &a.args {
                    let Arg::Moment(m) = arg else { continue };
                    let Some(moment) = self.moment(m) else { return };
                    starts.push((moment, m.span));
                }
                let text = a.args.iter().find_map(|arg| match arg {
                    Arg::Moment(m) => Some(m.span),
                    _ => None,
                });
                let bad = |why: Msg| Kind::BadStarts {
                    text: self_text(a),
                    why,
                };
                if let Some(&(_, span)) = starts.iter().find(|(m, _)| m.day.is_none()) {
                    self.err(
                        bad(starts_msg(
                            "у старта нет дня: нужен день недели (`вт 19:00`) или число месяца (`1 число`)",
                            "a start without a day: a weekday (`tue 19:00`) or a day of the month (`1 of_month`) is needed",
                        )),
                        span,
                    );
                    return;
                }
                let weekly =
                    |m: &crate::model::calendar::Moment| matches!(m.day, Some(MomentDay::Weekday(_)));
                if starts.iter().any(|(m, _)| weekly(m)) && starts.iter().any(|(m, _)| !weekly(m)) {
                    self.err(
                        bad(starts_msg(
                            "дни недели и числа месяца вместе: старты повторяются либо каждую неделю, либо каждый месяц",
                            "weekdays and days of the month together: starts recur either weekly or monthly",
                        )),
                        text.unwrap_or(a.span),
                    );
                    return;
                }
                for (i, (m, span)) in starts.iter().enumerate() {
                    if starts[..i].iter().any(|(n, _)| n.day == m.day) {
                        self.err(
                            bad(starts_msg(
                                "этот день старта уже назван",
                                "this start day is already named",
                            )),
                            *span,
                        );
                        return;
                    }
                }
                r.starts = starts.into_iter().map(|(m, _)| m).collect();
            }
            Rule::s_enrol_closes => {
                if let Some(q) = quantities(a).next() {
                    // `набор_до 3 дн`: working days before the start; 0 is allowed (on the day).
                    let days = self.days(q, Some(Unit::Days));
                    if let Some(d) = days.filter(|d| *d >= 0.0) {
                        s.release.as_mut().expect("inserted above").close_days = d;
                    }
                }
            }
            Rule::s_group => {
                let mut min = None;
                let mut max = None;
                let mut ok = true;
                for c in &a.children {
                    let Some(q) = quantities(c).next() else { continue };
                    let whole = q.value.fract() == 0.0
                        && q.value >= 1.0
                        && matches!(q.unit, None | Some(Unit::Pieces));
                    if !whole {
                        self.err(
                            Kind::BadGroup {
                                text: self_text(a),
                                why: Msg::new(
                                    format!("`{}` — не число участников", q.text),
                                    format!("`{}` is not a number of participants", q.text),
                                ),
                            },
                            q.span,
                        );
                        ok = false;
                        continue;
                    }
                    match c.key {
                        Rule::group_min => min = Some(q.value),
                        _ => max = Some(q.value),
                    }
                }
                if !ok {
                    return;
                }
                let why = match (min, max) {
                    (None, None) => Some(Msg::new(
                        "не сказано, сколько участников: `группа от 10 до 25`",
                        "no number of participants: `group from 10 up_to 25`",
                    )),
                    (Some(lo), Some(hi)) if lo > hi => Some(Msg::new(
                        "меньше, чем нужно для старта, в группу не помещается",
                        "the least to run is more than a group holds",
                    )),
                    _ => None,
                };
                if let Some(why) = why {
                    self.err(
                        Kind::BadGroup {
                            text: self_text(a),
                            why,
                        },
                        a.span,
                    );
                    return;
                }
                let r = s.release.as_mut().expect("inserted above");
                r.group_min = min;
                r.group_max = max;
            }
            other => outside_grammar(other),
        }
    }

    /// After a stage: `набор_до` and `группа` need `старт` (E0092).
    pub(super) fn release_done(&mut self, s: &mut Stage, st: &Stmt) {
        let Some(r) = &s.release else { return };
        if !r.starts.is_empty() {
            return;
        }
        let written_starts = st.children.iter().any(|c| c.key == Rule::s_starts);
        if !written_starts {
            for c in st
                .children
                .iter()
                .filter(|c| matches!(c.key, Rule::s_enrol_closes | Rule::s_group))
            {
                self.err(
                    Kind::StartsMissing {
                        stage: s.name.clone(),
                        what: c.keyword.clone(),
                    },
                    c.span,
                );
            }
        }
        s.release = None;
    }

    /// `перед_каждым_стартом Воронка.Этап` of a contact: resolved with the transitions.
    pub(super) fn each_start(&mut self, a: &Stmt, pipeline: &str, pi: usize, si: usize, ci: usize) {
        let Some(path) = a.args.iter().find_map(|x| match x {
            Arg::Path(p) => Some(p.clone()),
            _ => None,
        }) else {
            return;
        };
        self.pending.push(Pending {
            pipeline: pi,
            stage: si,
            slot: Slot::EachStart(ci),
            path,
            current_pipeline: pipeline.to_string(),
        });
    }

    /// E0094: `перед_каждым_стартом` names a stage without `старт`; the starts a lead expects
    /// while in the contact's stage ([`Contact::starts_per_lead`]).
    pub(super) fn check_each_starts(&mut self) {
        let mut bad = Vec::new();
        for p in &self.model.pipelines {
            for s in &p.stages {
                for c in &s.chain {
                    let Some(Destination::Stage { pipeline, stage }) = &c.each_start else {
                        continue;
                    };
                    let has = self
                        .model
                        .pipeline(pipeline)
                        .and_then(|p| p.stages.iter().find(|x| x.name == *stage))
                        .is_some_and(|x| x.release.is_some());
                    if !has {
                        bad.push((format!("{pipeline}.{stage}"), c.span));
                    }
                }
            }
        }
        for (stage, span) in bad {
            self.err(Kind::EachStartWithoutStarts { stage }, span);
        }
        // The starts a lead expects while in the contact's stage.
        let cal = self.model.header.calendar();
        let grid = crate::model::release::DayGrid::of(cal);
        let per_day = |p: &str, st: &str, m: &Model| {
            m.pipeline(p)
                .and_then(|x| x.stages.iter().find(|y| y.name == st))
                .and_then(|y| y.release.as_ref())
                .map(|r| r.starts_per_month(grid) / grid.month_days)
        };
        let mut counts = Vec::new();
        for (pi, p) in self.model.pipelines.iter().enumerate() {
            for (si, s) in p.stages.iter().enumerate() {
                for (ci, c) in s.chain.iter().enumerate() {
                    let Some(Destination::Stage { pipeline, stage }) = &c.each_start else {
                        continue;
                    };
                    let n = if *pipeline == p.name && *stage == s.name {
                        Some(1.0)
                    } else {
                        per_day(pipeline, stage, &self.model)
                            .map(|rate| rate * s.mean_stay_days(cal).unwrap_or(0.0))
                    };
                    counts.push((pi, si, ci, n));
                }
            }
        }
        for (pi, si, ci, n) in counts {
            self.model.pipelines[pi].stages[si].chain[ci].starts_per_lead = n;
        }
    }
}

/// A statement as written, for messages (its first line).
fn self_text(a: &Stmt) -> String {
    a.keyword.clone()
}
