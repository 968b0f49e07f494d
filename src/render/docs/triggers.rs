//! Triggers (`триггер`) as the documents word them: when each fires, what it does and who does
//! it, with the work a month the analysis counted. The Положение lists them all in «Автоматизация
//! и триггеры»; a памятка and a должностная инструкция take the role's own.

use super::super::format;
use super::Views;
use crate::diag::Lang;
use crate::model::{Colour, Trigger, TriggerAction, TriggerEvent};
use serde::Serialize;

#[derive(Serialize, Clone)]
pub(super) struct TriggerView {
    pub(super) title: String,
    /// When it fires, as a clause: «сделка находится на этапе «КП» дольше 14 дней».
    pub(super) when: String,
    /// What it does, one clause per action.
    pub(super) actions: Vec<String>,
    /// The role that does the work.
    pub(super) who: Option<String>,
    /// How often it fires and the work it takes a month, when the analysis counts it.
    pub(super) load: Option<String>,
    /// A note on how the rate is estimated (date fields).
    pub(super) assumption: Option<String>,
}

impl Views<'_> {
    /// A title in the reader's quotes: «…» in Russian, "…" in English.
    fn quoted(&self, text: &str) -> String {
        match self.lang {
            Lang::Ru => format!("«{text}»"),
            Lang::En => format!("\"{text}\""),
        }
    }

    fn trigger_stage(&self, pipeline: &str, stage: &str) -> String {
        let s = self.quoted(&self.stage_title(pipeline, stage));
        if self.model.pipelines.len() > 1 {
            match self.lang {
                Lang::Ru => format!("{s} воронки «{}»", self.pipeline_title(pipeline)),
                Lang::En => format!(
                    "{s} of the pipeline {}",
                    self.quoted(&self.pipeline_title(pipeline))
                ),
            }
        } else {
            s
        }
    }

    fn trigger_when(&self, t: &Trigger) -> String {
        let ru = self.lang == Lang::Ru;
        match &t.event {
            Some(TriggerEvent::Enter { pipeline, stage }) => {
                let s = self.trigger_stage(pipeline, stage);
                if ru {
                    format!("сделка переходит на этап {s}")
                } else {
                    format!("a deal enters the stage {s}")
                }
            }
            Some(TriggerEvent::Exit {
                pipeline,
                stage,
                outcome,
            }) => {
                let s = self.trigger_stage(pipeline, stage);
                let how = outcome.map(|o| {
                    let to =
                        crate::model::triggers::outcome_targets(self.model, pipeline, stage, o, self.lang);
                    let word = o.word(self.lang);
                    if ru {
                        format!(" с исходом «{word}» ({})", to.join(", "))
                    } else {
                        format!(" with the outcome «{word}» ({})", to.join(", "))
                    }
                });
                let how = how.unwrap_or_default();
                if ru {
                    format!("сделка уходит с этапа {s}{how}")
                } else {
                    format!("a deal leaves the stage {s}{how}")
                }
            }
            Some(TriggerEvent::Stay {
                pipeline,
                stage,
                days,
            }) => {
                let s = self.trigger_stage(pipeline, stage);
                if ru {
                    // «дольше» takes the genitive: 1 дня, 4 дней, 2,5 дня.
                    let n = format::number(*days, 1, self.lang);
                    let whole = (*days - days.round()).abs() < 1e-9;
                    let k = days.round() as i64;
                    let word = if !whole || (k % 10 == 1 && k % 100 != 11) {
                        "дня"
                    } else {
                        "дней"
                    };
                    format!("сделка находится на этапе {s} дольше {n}\u{a0}{word}")
                } else {
                    let d = format::days(*days, self.lang);
                    format!("a deal has stayed in the stage {s} longer than {d}")
                }
            }
            Some(TriggerEvent::Field { field, before_days }) => {
                let whose = t.pipeline.as_deref().map(|p| self.pipeline_title(p));
                let field = self.quoted(field);
                let whose = match (ru, whose) {
                    (true, Some(p)) => format!(" клиента воронки {}", self.quoted(&p)),
                    (true, None) => " клиента".to_string(),
                    (false, Some(p)) => format!(" of a client of {}", self.quoted(&p)),
                    (false, None) => " of a client".to_string(),
                };
                let d = format::lead_time(*before_days, self.lang);
                // `накануне 18:00 если_время до 10:00`: the time of day and the condition.
                if !t.timing.is_empty() {
                    let clock = crate::model::calendar::clock_text;
                    let at = t.timing.day_before_at.map(clock);
                    let cond = t.timing.if_time_before.map(clock);
                    let mut s = match (ru, &at) {
                        (true, Some(at)) => format!("накануне даты из поля {field}{whose}, в {at}"),
                        (true, None) => format!("в дату из поля {field}{whose}"),
                        (false, Some(at)) => {
                            format!("the day before the date in the field {field}{whose}, at {at}")
                        }
                        (false, None) => format!("on the date in the field {field}{whose}"),
                    };
                    if let Some(c) = cond {
                        s += &if ru {
                            format!(", если время в поле — до {c}")
                        } else {
                            format!(", if its time is before {c}")
                        };
                    }
                    return s;
                }
                match (ru, *before_days > 0.0) {
                    (true, true) => format!("за {d} до даты в поле {field}{whose}"),
                    (true, false) => format!("в дату из поля {field}{whose}"),
                    (false, true) => format!("{d} before the date in the field {field}{whose}"),
                    (false, false) => format!("on the date in the field {field}{whose}"),
                }
            }
            Some(TriggerEvent::Value { condition, .. }) => {
                let c = condition.words(self.lang);
                if ru {
                    format!("в карточке сделки {c}")
                } else {
                    format!("on the deal's card, {c}")
                }
            }
            Some(TriggerEvent::Kpi { kpi, colour }) => {
                let k = self.kpi_title(kpi);
                let zone = match (colour, ru) {
                    (Colour::Red, true) => "красной",
                    (Colour::Yellow, true) => "жёлтой",
                    (Colour::Green, true) => "зелёной",
                    (c, false) => c.word(Lang::En),
                };
                if ru {
                    format!("показатель «{k}» в {zone} зоне")
                } else {
                    format!("the indicator \"{k}\" turns {zone}")
                }
            }
            Some(e @ (TriggerEvent::Idle { .. } | TriggerEvent::Every { .. })) => self.client_when(t, e),
            None => String::new(),
        }
    }

    fn trigger_action(&self, a: &TriggerAction) -> String {
        let ru = self.lang == Lang::Ru;
        match a {
            TriggerAction::Contact {
                kind,
                title,
                work_minutes,
            } => {
                let mut s = kind.noun(self.lang).to_string();
                if let Some(t) = title {
                    s.push_str(&format!(" {}", self.quoted(t)));
                }
                if let Some(m) = work_minutes.filter(|m| *m > 0.0) {
                    s.push_str(&format!(" ({})", format::minutes(m, self.lang)));
                }
                s
            }
            TriggerAction::Meeting { meeting } => {
                let title = self
                    .model
                    .meetings
                    .iter()
                    .find(|m| m.name == *meeting)
                    .and_then(|m| m.title.clone())
                    .unwrap_or_else(|| meeting.clone());
                if ru {
                    format!("созвать совещание «{title}»")
                } else {
                    format!("call the meeting \"{title}\"")
                }
            }
            TriggerAction::Notify { roles } => {
                let who: Vec<String> = roles.iter().map(|r| self.role_title(r)).collect();
                format!("{}: {}", self.pick("уведомить", "notify"), who.join(", "))
            }
            TriggerAction::Transfer { pipeline } => self.transfer_words(pipeline),
        }
    }

    /// How a field-value trigger's rate is counted: a share of the deals whose field is filled,
    /// or not counted without `доля`.
    fn value_note(&self, t: &Trigger) -> Option<String> {
        let Some(TriggerEvent::Value { share, .. }) = &t.event else {
            return None;
        };
        Some(match share {
            Some(s) => {
                let p = format::percent(*s, self.lang);
                match self.lang {
                    Lang::Ru => format!(
                        "оценка: {p} сделок, у которых поле заполняется (на этапах, где его заполняют)"
                    ),
                    Lang::En => format!(
                        "estimate: {p} of the deals whose field is filled (at the stages that fill it)"
                    ),
                }
            }
            None => self
                .pick(
                    "не считается — доля сделок с таким значением не указана (`доля`)",
                    "not counted — the share of deals with such a value is not given (`share`)",
                )
                .to_string(),
        })
    }

    /// Every trigger with the roles it concerns (the one who works, the notified, the meeting's).
    pub(super) fn triggers(&self) -> Vec<(TriggerView, Vec<String>)> {
        let ru = self.lang == Lang::Ru;
        self.model
            .triggers
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let work = self
                    .analysis
                    .roles
                    .iter()
                    .flat_map(|r| &r.triggers)
                    .find(|w| w.index == i);
                let load = work.map(|w| {
                    let n = format::number(w.firings_per_month, 1, self.lang);
                    let hours = format::number(w.minutes / 60.0, 1, self.lang);
                    if ru {
                        let times = crate::locale::plural(w.firings_per_month, "раз", "раза", "раз", self.lang);
                        format!("в среднем {n} {times} в месяц, {hours} ч работы в месяц на отдел")
                    } else {
                        format!("about {n} times a month, {hours} h of work a month for the department")
                    }
                });
                let (load, client_note) = self.client_load(t, load);
                let (load, client_note) = match (self.value_note(t), &t.event) {
                    (Some(note), Some(TriggerEvent::Value { share: None, .. })) => (Some(note), None),
                    (Some(note), _) => (load, Some(note)),
                    (None, _) => (load, client_note),
                };
                let assumption = client_note.or_else(|| matches!(t.event, Some(TriggerEvent::Field { .. }))
                    .then(|| {
                        self.pick(
                            "оценка: клиентская база — клиенты за последние 12 месяцев, у каждого дата раз в год",
                            "estimate: the client base is the clients of the last 12 months, each with the date once a year",
                        )
                        .to_string()
                    })
                    .filter(|_| load.is_some()));
                let mut roles: Vec<String> = t.owner.iter().cloned().collect();
                for a in &t.actions {
                    match a {
                        TriggerAction::Notify { roles: r } => roles.extend(r.iter().cloned()),
                        TriggerAction::Meeting { meeting } => {
                            if let Some(m) = self.model.meetings.iter().find(|m| m.name == *meeting) {
                                roles.extend(m.owner.iter().cloned());
                                roles.extend(m.participants.iter().cloned());
                            }
                        }
                        // The receiving pipeline's owner learns where these clients come from.
                        TriggerAction::Transfer { pipeline } => {
                            roles.extend(self.model.pipeline(pipeline).and_then(|p| p.owner.clone()))
                        }
                        TriggerAction::Contact { .. } => {}
                    }
                }
                let view = TriggerView {
                    title: t
                        .title
                        .clone()
                        .or_else(|| t.name.clone())
                        .unwrap_or_else(|| format!("{} {}", self.pick("Триггер", "Trigger"), i + 1)),
                    when: self.trigger_when(t),
                    actions: t.actions.iter().map(|a| self.trigger_action(a)).collect(),
                    // Only work has a doer: a notice or a called meeting is the CRM's and the
                    // meeting owner's, not the stage owner's.
                    who: t
                        .owner
                        .as_deref()
                        .filter(|_| {
                            t.actions.iter().any(|a| {
                                matches!(a, TriggerAction::Contact { .. } | TriggerAction::Transfer { .. })
                            })
                        })
                        .map(|o| self.role_title(o)),
                    load,
                    assumption,
                };
                (view, roles)
            })
            .collect()
    }
}
