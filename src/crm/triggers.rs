//! Triggers (`триггер`) as automation to set up in each CRM. No CRM's public API creates them
//! safely (amoCRM's digital pipeline and Pipedrive's automations have no endpoint; Bitrix24
//! places robots on stages only in its UI; HubSpot's workflows API is not confirmed in our
//! reference), so every trigger becomes an item of the README's checklist, worded in the CRM's
//! own terms. Built from the model once ([`TriggerSetup`], part of [`super::Setup`]); reads the
//! model, never the syntax tree.

use super::Target;
use crate::diag::Lang;
use crate::model::{Colour, Model, TriggerAction, TriggerEvent};
use crate::render::format;
use serde::Serialize;

/// One trigger as a CRM sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriggerSetup {
    pub title: String,
    pub event: EventSetup,
    /// What it does, one clause per action: «звонок «…» (15 мин)», «уведомить: РОП».
    pub actions: Vec<ActionSetup>,
    /// Whom the task is set for: the role's title.
    pub responsible: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum EventSetup {
    Enter {
        pipeline: String,
        stage: String,
    },
    Exit {
        pipeline: String,
        stage: String,
        /// `выход Этап отказ|успех`: the outcome's word and where such deals go (stage titles,
        /// or won/lost), the condition the automation checks.
        #[serde(skip_serializing_if = "Option::is_none")]
        outcome: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        only_to: Vec<String>,
    },
    Stay {
        pipeline: String,
        stage: String,
        days: f64,
        calendar_days: f64,
    },
    Field {
        field: String,
        before_days: f64,
        /// `накануне 18:00 если_время до 10:00`.
        #[serde(skip_serializing_if = "crate::model::telcal::FieldTiming::is_empty")]
        timing: crate::model::telcal::FieldTiming,
    },
    Kpi {
        kpi: String,
        colour: Colour,
    },
    /// `поле "Оценка" <= 6`: the field takes a value that meets the condition.
    Value {
        field: String,
        /// «Оценка» не больше 6.
        condition: String,
    },
    /// `без_покупки 60 дн`, `без_активности 7 дн` (see `crm::inactivity`).
    Idle {
        pipeline: Option<String>,
        quiet: crate::model::Quiet,
        /// «60 рабочих дней» as written.
        after: String,
        calendar_days: f64,
    },
    /// `каждые 2 нед [для сегмент A]`.
    Every {
        pipeline: Option<String>,
        /// «раз в 2 недели».
        every: String,
        calendar_days: f64,
        segment: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum ActionSetup {
    /// A task, call, letter … for the responsible.
    Task {
        text: String,
        email: bool,
    },
    Meeting {
        title: String,
    },
    Notify {
        roles: Vec<String>,
    },
    /// `перевести -> Воронка`: the pipeline's title.
    Transfer {
        pipeline: String,
    },
}

/// Every trigger of the model with a known event.
pub fn triggers(model: &Model, lang: Lang) -> Vec<TriggerSetup> {
    let stage_label = |p: &str, s: &str| {
        model
            .pipeline(p)
            .and_then(|x| x.stages.iter().find(|x| x.name == s))
            .map(|x| x.title.clone().unwrap_or_else(|| x.name.clone()))
            .unwrap_or_else(|| s.to_string())
    };
    let pipeline_label = |p: &str| {
        model
            .pipeline(p)
            .map(|x| x.title.clone().unwrap_or_else(|| x.name.clone()))
            .unwrap_or_else(|| p.to_string())
    };
    let role_label = |r: &str| {
        model
            .role(r)
            .and_then(|x| x.title.clone())
            .unwrap_or_else(|| r.to_string())
    };
    let week = model.header.work_week_days;
    model
        .triggers
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let event = match t.event.as_ref()? {
                TriggerEvent::Enter { pipeline, stage } => EventSetup::Enter {
                    pipeline: pipeline_label(pipeline),
                    stage: stage_label(pipeline, stage),
                },
                TriggerEvent::Exit {
                    pipeline,
                    stage,
                    outcome,
                } => EventSetup::Exit {
                    pipeline: pipeline_label(pipeline),
                    stage: stage_label(pipeline, stage),
                    outcome: outcome.map(|o| o.word(lang).to_string()),
                    only_to: outcome
                        .map(|o| crate::model::triggers::outcome_targets(model, pipeline, stage, o, lang))
                        .unwrap_or_default(),
                },
                TriggerEvent::Stay {
                    pipeline,
                    stage,
                    days,
                } => EventSetup::Stay {
                    pipeline: pipeline_label(pipeline),
                    stage: stage_label(pipeline, stage),
                    days: *days,
                    calendar_days: if week > 0.0 {
                        (days * 7.0 / week).ceil()
                    } else {
                        *days
                    },
                },
                TriggerEvent::Field { field, before_days } => EventSetup::Field {
                    field: field.clone(),
                    before_days: *before_days,
                    timing: t.timing,
                },
                TriggerEvent::Value { condition, .. } => EventSetup::Value {
                    field: condition.field.clone(),
                    condition: condition.words(lang),
                },
                TriggerEvent::Kpi { kpi, colour } => EventSetup::Kpi {
                    kpi: model
                        .kpis
                        .iter()
                        .find(|k| k.name == *kpi)
                        .and_then(|k| k.title.clone())
                        .unwrap_or_else(|| kpi.clone()),
                    colour: *colour,
                },
                TriggerEvent::Idle { quiet, after, .. } => EventSetup::Idle {
                    pipeline: t.pipeline.as_deref().map(pipeline_label),
                    quiet: *quiet,
                    after: after.length_words(lang),
                    calendar_days: after.calendar_days(),
                },
                TriggerEvent::Every { every, segment, .. } => EventSetup::Every {
                    pipeline: t.pipeline.as_deref().map(pipeline_label),
                    every: every.words(lang),
                    calendar_days: every.calendar_days(),
                    segment: segment.clone(),
                },
            };
            let actions = t
                .actions
                .iter()
                .map(|a| match a {
                    TriggerAction::Contact {
                        kind,
                        title,
                        work_minutes,
                    } => {
                        let mut text = format::upper_first(kind.noun(lang));
                        if let Some(title) = title {
                            text.push_str(&format!(" «{title}»"));
                        }
                        if let Some(m) = work_minutes.filter(|m| *m > 0.0) {
                            text.push_str(&format!(" ({})", format::minutes(m, lang)));
                        }
                        ActionSetup::Task {
                            text,
                            email: *kind == crate::model::ContactKind::Email,
                        }
                    }
                    TriggerAction::Meeting { meeting } => ActionSetup::Meeting {
                        title: model
                            .meetings
                            .iter()
                            .find(|m| m.name == *meeting)
                            .and_then(|m| m.title.clone())
                            .unwrap_or_else(|| meeting.clone()),
                    },
                    TriggerAction::Notify { roles } => ActionSetup::Notify {
                        roles: roles.iter().map(|r| role_label(r)).collect(),
                    },
                    TriggerAction::Transfer { pipeline } => ActionSetup::Transfer {
                        pipeline: pipeline_label(pipeline),
                    },
                })
                .collect();
            Some(TriggerSetup {
                title: t
                    .title
                    .clone()
                    .or_else(|| t.name.clone())
                    .unwrap_or_else(|| format!("{} {}", lang.pick("Триггер", "Trigger"), i + 1)),
                event,
                actions,
                responsible: t.owner.as_deref().map(role_label),
            })
        })
        .collect()
}

/// The checklist item that sets the trigger up in `target`, in its own terms.
pub fn checklist_item(target: Target, t: &TriggerSetup, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    let when = match (&t.event, target, ru) {
        (EventSetup::Enter { stage, .. }, Target::Amocrm, true) => {
            format!("Сделки → Автоматизировать → этап «{stage}»: триггер «При переходе в этап»")
        }
        (EventSetup::Enter { stage, .. }, Target::Amocrm, false) => {
            format!("Leads → Automate → stage «{stage}»: trigger «When moved to this stage»")
        }
        (EventSetup::Exit { stage, .. }, Target::Amocrm, true) => format!(
            "Сделки → Автоматизировать → этап «{stage}»: триггер при смене этапа (сделка покидает «{stage}»; в цифровой воронке — на следующих этапах «При переходе в этап»)"
        ),
        (EventSetup::Exit { stage, .. }, Target::Amocrm, false) => format!(
            "Leads → Automate → stage «{stage}»: a trigger on the stage change (the deal leaves «{stage}»; in the digital pipeline, «When moved to this stage» on the next stages)"
        ),
        (
            EventSetup::Stay {
                stage, calendar_days, ..
            },
            Target::Amocrm,
            true,
        ) => format!(
            "Сделки → Автоматизировать → этап «{stage}»: триггер с задержкой «через {}» (≈ {} календарных) при условии, что сделка ещё на этапе",
            days_text(t, lang),
            format::number(*calendar_days, 0, lang)
        ),
        (
            EventSetup::Stay {
                stage, calendar_days, ..
            },
            Target::Amocrm,
            false,
        ) => format!(
            "Leads → Automate → stage «{stage}»: a trigger delayed by {} (≈ {} calendar days) on condition the deal is still in the stage",
            days_text(t, lang),
            format::number(*calendar_days, 0, lang)
        ),
        (EventSetup::Enter { stage, .. }, Target::Bitrix24, true) => {
            format!("CRM → Сделки → Роботы, стадия «{stage}»: робот запускается при переходе на стадию")
        }
        (EventSetup::Enter { stage, .. }, Target::Bitrix24, false) => {
            format!(
                "CRM → Deals → Automation rules, stage «{stage}»: a rule run when the deal enters the stage"
            )
        }
        (EventSetup::Exit { stage, .. }, Target::Bitrix24, true) => format!(
            "CRM → Сделки → Роботы: робот на стадиях, куда сделка уходит со стадии «{stage}» (робот запускается при входе на стадию)"
        ),
        (EventSetup::Exit { stage, .. }, Target::Bitrix24, false) => format!(
            "CRM → Deals → Automation rules: a rule on the stages a deal goes to from «{stage}» (rules run on entering a stage)"
        ),
        (
            EventSetup::Stay {
                stage, calendar_days, ..
            },
            Target::Bitrix24,
            true,
        ) => format!(
            "CRM → Сделки → Роботы, стадия «{stage}»: робот с отложенным запуском «через {} дн.» (≈ {} календарных) — он не выполнится, если сделка ушла со стадии",
            format::number(t_days(t), 1, lang),
            format::number(*calendar_days, 0, lang)
        ),
        (
            EventSetup::Stay {
                stage, calendar_days, ..
            },
            Target::Bitrix24,
            false,
        ) => format!(
            "CRM → Deals → Automation rules, stage «{stage}»: a rule delayed by {} days (≈ {} calendar) — it does not run if the deal has left the stage",
            format::number(t_days(t), 1, lang),
            format::number(*calendar_days, 0, lang)
        ),
        (EventSetup::Enter { stage, pipeline }, Target::Hubspot, true) => format!(
            "Automation → Workflows, workflow по сделкам: условие запуска (enrollment trigger) «Deal stage is „{stage}“» (воронка «{pipeline}»)"
        ),
        (EventSetup::Enter { stage, pipeline }, Target::Hubspot, false) => format!(
            "Automation → Workflows, a deal-based workflow: enrollment trigger «Deal stage is „{stage}“» (pipeline «{pipeline}»)"
        ),
        (EventSetup::Exit { stage, pipeline, .. }, Target::Hubspot, true) => format!(
            "Automation → Workflows, workflow по сделкам: условие запуска — этап сделки сменился с «{stage}» (воронка «{pipeline}»)"
        ),
        (EventSetup::Exit { stage, pipeline, .. }, Target::Hubspot, false) => format!(
            "Automation → Workflows, a deal-based workflow: enrollment when the deal stage changes from «{stage}» (pipeline «{pipeline}»)"
        ),
        (
            EventSetup::Stay {
                stage, calendar_days, ..
            },
            Target::Hubspot,
            true,
        ) => format!(
            "Automation → Workflows, workflow по сделкам: запуск при входе в этап «{stage}», затем задержка {} календарных дн. и ветка «этап всё ещё „{stage}“»",
            format::number(*calendar_days, 0, lang)
        ),
        (
            EventSetup::Stay {
                stage, calendar_days, ..
            },
            Target::Hubspot,
            false,
        ) => format!(
            "Automation → Workflows, a deal-based workflow: enrolled on entering «{stage}», then a delay of {} calendar days and a branch «deal stage is still „{stage}“»",
            format::number(*calendar_days, 0, lang)
        ),
        (EventSetup::Enter { stage, .. }, Target::Pipedrive, true) => {
            format!(
                "Automations → новая автоматизация: событие «Сделка обновлена», условие «этап = „{stage}“»"
            )
        }
        (EventSetup::Enter { stage, .. }, Target::Pipedrive, false) => {
            format!("Automations → new automation: event «Deal updated», condition «stage is „{stage}“»")
        }
        (EventSetup::Exit { stage, .. }, Target::Pipedrive, true) => format!(
            "Automations → новая автоматизация: событие «Сделка обновлена», условие «этап был „{stage}“ и изменился»"
        ),
        (EventSetup::Exit { stage, .. }, Target::Pipedrive, false) => {
            format!(
                "Automations → new automation: event «Deal updated», condition «stage was „{stage}“ and changed»"
            )
        }
        (
            EventSetup::Stay {
                stage, calendar_days, ..
            },
            Target::Pipedrive,
            true,
        ) => format!(
            "Automations → новая автоматизация по сделкам: условие «этап = „{stage}“» и «на этапе дольше {} календарных дн.» (не гниение days_to_rotten: его сбрасывает любое действие по сделке)",
            format::number(*calendar_days, 0, lang)
        ),
        (
            EventSetup::Stay {
                stage, calendar_days, ..
            },
            Target::Pipedrive,
            false,
        ) => format!(
            "Automations → a new deal automation: conditions «stage is „{stage}“» and «in the stage longer than {} calendar days» (not rotting, days_to_rotten: any activity on the deal resets it)",
            format::number(*calendar_days, 0, lang)
        ),
        (
            EventSetup::Field {
                field, timing: tm, ..
            },
            _,
            _,
        ) if !tm.is_empty() => {
            let crm_where = match (target, ru) {
                (Target::Amocrm, true) => "Salesbot или задача по дате поля",
                (Target::Bitrix24, true) => "робот с запуском по дате поля",
                (Target::Hubspot, true) => "workflow с запуском по дате (date property)",
                (Target::Pipedrive, true) => "автоматизация по дате поля или повторяющееся дело",
                (Target::Amocrm, false) => "a Salesbot or a task by the field's date",
                (Target::Bitrix24, false) => "an automation rule started by the field's date",
                (Target::Hubspot, false) => "a workflow enrolled by a date property",
                (Target::Pipedrive, false) => "a date-based automation or a recurring activity",
            };
            let clock = crate::model::calendar::clock_text;
            let mut s = match (tm.day_before_at, ru) {
                (Some(at), true) => format!("{crm_where}: накануне даты в поле «{field}», в {}", clock(at)),
                (Some(at), false) => format!(
                    "{crm_where}: the day before the date in «{field}», at {}",
                    clock(at)
                ),
                (None, true) => format!("{crm_where}: в дату поля «{field}»"),
                (None, false) => format!("{crm_where}: on the date in «{field}»"),
            };
            if let Some(c) = tm.if_time_before {
                s += &if ru {
                    format!("; условие — время в поле до {} (фильтр по времени)", clock(c))
                } else {
                    format!(
                        "; condition: the field's time before {} (a time filter)",
                        clock(c)
                    )
                };
            }
            s
        }
        (
            EventSetup::Field {
                field, before_days, ..
            },
            _,
            true,
        ) => {
            let crm_where = match target {
                Target::Amocrm => "Salesbot или задача по дате поля (цифровая воронка, только в интерфейсе)",
                Target::Bitrix24 => "робот или бизнес-процесс с запуском по дате поля",
                Target::Hubspot => "workflow с условием запуска по дате (date property)",
                Target::Pipedrive => {
                    "автоматизация по дате поля, если её даёт тариф; иначе — повторяющееся дело"
                }
            };
            if *before_days > 0.0 {
                format!(
                    "{crm_where}: за {} до даты в поле «{field}»",
                    format::lead_time(*before_days, lang)
                )
            } else {
                format!("{crm_where}: в дату поля «{field}»")
            }
        }
        (
            EventSetup::Field {
                field, before_days, ..
            },
            _,
            false,
        ) => {
            let crm_where = match target {
                Target::Amocrm => "a Salesbot or a task by the field's date (digital pipeline, UI only)",
                Target::Bitrix24 => "an automation rule or a workflow started by the field's date",
                Target::Hubspot => "a workflow enrolled by a date property",
                Target::Pipedrive => {
                    "a date-based automation if the plan has it; otherwise a recurring activity"
                }
            };
            if *before_days > 0.0 {
                format!(
                    "{crm_where}: {} before the date in the field «{field}»",
                    format::lead_time(*before_days, lang)
                )
            } else {
                format!("{crm_where}: on the date in the field «{field}»")
            }
        }
        (
            EventSetup::Idle {
                pipeline,
                quiet,
                after,
                calendar_days,
            },
            _,
            _,
        ) => {
            let e = super::inactivity::ClientEvent::Idle {
                pipeline,
                quiet: *quiet,
                after,
                calendar_days: *calendar_days,
            };
            super::inactivity::when(target, e, lang)
        }
        (
            EventSetup::Every {
                pipeline,
                every,
                calendar_days,
                segment,
            },
            _,
            _,
        ) => {
            let e = super::inactivity::ClientEvent::Every {
                pipeline,
                every,
                calendar_days: *calendar_days,
                segment,
            };
            super::inactivity::when(target, e, lang)
        }
        (EventSetup::Value { field, condition }, _, true) => match target {
            Target::Amocrm => format!(
                "Сделки → Автоматизировать: триггер при изменении доп. поля «{field}» с условием {condition} (Salesbot или «Поставить задачу» в цифровой воронке)"
            ),
            Target::Bitrix24 => format!(
                "CRM → Сделки → Роботы: робот на стадиях, где заполняют «{field}», с условием по полю: {condition} (запуск при изменении сделки)"
            ),
            Target::Hubspot => format!(
                "Automation → Workflows, workflow по сделкам: условие запуска по свойству «{field}»: {condition}"
            ),
            Target::Pipedrive => format!(
                "Automations → новая автоматизация: событие «Сделка обновлена», условие «{field}» изменилось и {condition}"
            ),
        },
        (EventSetup::Value { field, condition }, _, false) => match target {
            Target::Amocrm => format!(
                "Leads → Automate: a trigger on a change of the custom field «{field}» with the condition {condition} (a Salesbot or «Add task» in the digital pipeline)"
            ),
            Target::Bitrix24 => format!(
                "CRM → Deals → Automation rules: a rule on the stages where «{field}» is filled, with a field condition: {condition} (run when the deal changes)"
            ),
            Target::Hubspot => format!(
                "Automation → Workflows, a deal-based workflow: enrollment on the property «{field}»: {condition}"
            ),
            Target::Pipedrive => format!(
                "Automations → a new automation: event «Deal updated», condition «{field}» changed and {condition}"
            ),
        },
        (EventSetup::Kpi { kpi, colour }, _, true) => format!(
            "CRM не следит за цветом показателя «{kpi}» ({}): проверяйте его в отчёте, к которому он относится, или настройте оповещение в BI",
            colour.word(lang)
        ),
        (EventSetup::Kpi { kpi, colour }, _, false) => format!(
            "the CRM does not watch the colour of «{kpi}» ({}): check it in its report or set up an alert in your BI tool",
            colour.word(lang)
        ),
    };
    // `выход Этап отказ|успех`: the automation also checks where the deal went.
    let when = match &t.event {
        EventSetup::Exit {
            outcome: Some(o),
            only_to,
            ..
        } => {
            let to = only_to.join(", ");
            if ru {
                format!("{when}; условие — только исход «{o}»: сделка ушла {to}")
            } else {
                format!("{when}; condition — only the outcome «{o}»: the deal went {to}")
            }
        }
        _ => when,
    };
    let actions: Vec<String> = t
        .actions
        .iter()
        .map(|a| match (a, target, ru) {
            (ActionSetup::Task { text, email: true }, Target::Amocrm, true) => {
                format!("действие «Отправить письмо» / задача: {text}")
            }
            (ActionSetup::Task { text, email: true }, _, true) => {
                format!("письмо (или задача на письмо): {text}")
            }
            (ActionSetup::Task { text, email: true }, _, false) => {
                format!("email (or a task to send it): {text}")
            }
            (ActionSetup::Task { text, .. }, Target::Bitrix24, true) => format!("робот «Задача»: {text}"),
            (ActionSetup::Task { text, .. }, Target::Hubspot, true) => {
                format!("действие «Create task»: {text}")
            }
            (ActionSetup::Task { text, .. }, Target::Pipedrive, true) => {
                format!("действие «Создать дело»: {text}")
            }
            (ActionSetup::Task { text, .. }, Target::Amocrm, true) => {
                format!("действие «Поставить задачу»: {text}")
            }
            (ActionSetup::Task { text, .. }, Target::Bitrix24, false) => format!("rule «Task»: {text}"),
            (ActionSetup::Task { text, .. }, Target::Hubspot, false) => {
                format!("action «Create task»: {text}")
            }
            (ActionSetup::Task { text, .. }, Target::Pipedrive, false) => {
                format!("action «Create activity»: {text}")
            }
            (ActionSetup::Task { text, .. }, Target::Amocrm, false) => format!("action «Add task»: {text}"),
            (ActionSetup::Meeting { title }, _, true) => {
                format!("уведомление организатору: созвать совещание «{title}»")
            }
            (ActionSetup::Meeting { title }, _, false) => {
                format!("notify the chair: call the meeting «{title}»")
            }
            (ActionSetup::Notify { roles }, _, true) => format!("уведомление: {}", roles.join(", ")),
            (ActionSetup::Notify { roles }, _, false) => format!("notification: {}", roles.join(", ")),
            (ActionSetup::Transfer { pipeline }, _, _) => super::inactivity::transfer(target, pipeline, lang),
        })
        .collect();
    let who = t
        .responsible
        .as_ref()
        .map(|r| match lang {
            Lang::Ru => format!("; ответственный — {r}"),
            Lang::En => format!("; responsible: {r}"),
        })
        .unwrap_or_default();
    format!("«{}»: {when} → {}{who}", t.title, actions.join("; "))
}

fn t_days(t: &TriggerSetup) -> f64 {
    match t.event {
        EventSetup::Stay { days, .. } => days,
        _ => 0.0,
    }
}

fn days_text(t: &TriggerSetup, lang: Lang) -> String {
    format::days(t_days(t), lang)
}
