//! A channel's lead distribution (`распределение по_очереди кто Ассистент срок 10 мин`,
//! `приоритет вне_очереди`) as a checklist item of each CRM's README, in the CRM's own terms:
//! amoCRM «Распределение заявок» and Salesbot, Bitrix24 robots and the queue of responsible
//! people, HubSpot's workflow action «Rotate record to owner», Pipedrive's automation «assign
//! owner». Manual notes: none of the four APIs we write to sets them.

use super::Target;
use crate::locale::Lang;
use crate::model::Model;
use crate::model::routing::{Routing, RoutingKind};

/// How the CRM hands the channel's leads out, in its terms.
fn rule(r: &Routing, team: &str, target: Target, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    match (r.kind, target, ru) {
        (RoutingKind::RoundRobin, Target::Amocrm, true) => format!(
            "«Распределение заявок» (Сделки → Автоматизация): по очереди между пользователями группы «{team}»"
        ),
        (RoutingKind::RoundRobin, Target::Amocrm, false) => format!(
            "«Lead distribution» (Leads → Automation): in turn between the users of the group «{team}»"
        ),
        (RoutingKind::LeastLoaded, Target::Amocrm, true) => format!(
            "«Распределение заявок»: по загрузке между пользователями группы «{team}» (или Salesbot, который назначает того, у кого меньше открытых сделок)"
        ),
        (RoutingKind::LeastLoaded, Target::Amocrm, false) => format!(
            "«Lead distribution»: by load between the users of the group «{team}» (or a Salesbot that assigns whoever has the fewest open leads)"
        ),
        (RoutingKind::RoundRobin, Target::Bitrix24, true) => format!(
            "робот «Распределение лидов» на первой стадии: очередь ответственных из сотрудников «{team}», строго по очереди"
        ),
        (RoutingKind::RoundRobin, Target::Bitrix24, false) => format!(
            "the robot «Lead distribution» on the first stage: a queue of the people of «{team}», strictly in turn"
        ),
        (RoutingKind::LeastLoaded, Target::Bitrix24, true) => format!(
            "робот «Распределение лидов» на первой стадии: очередь ответственных из сотрудников «{team}» с учётом загрузки"
        ),
        (RoutingKind::LeastLoaded, Target::Bitrix24, false) => format!(
            "the robot «Lead distribution» on the first stage: a queue of the people of «{team}» by load"
        ),
        (RoutingKind::RoundRobin, Target::Hubspot, true) => {
            format!("workflow с действием «Rotate record to owner» между пользователями команды «{team}»")
        }
        (RoutingKind::RoundRobin, Target::Hubspot, false) => format!(
            "a workflow with the action «Rotate record to owner» between the users of the team «{team}»"
        ),
        (RoutingKind::LeastLoaded, Target::Hubspot, true) => format!(
            "workflow «Rotate record to owner» между пользователями команды «{team}»; по загрузке HubSpot сам не распределяет — РОП сверяет загрузку по отчёту об открытых сделках"
        ),
        (RoutingKind::LeastLoaded, Target::Hubspot, false) => format!(
            "a workflow «Rotate record to owner» between the users of the team «{team}»; HubSpot does not rotate by load itself — the head checks load on the open-deals report"
        ),
        (RoutingKind::RoundRobin, Target::Pipedrive, true) => {
            format!("автоматизация «assign owner» по кругу (round robin) между пользователями «{team}»")
        }
        (RoutingKind::RoundRobin, Target::Pipedrive, false) => {
            format!("an automation «assign owner» in a round robin between the users of «{team}»")
        }
        (RoutingKind::LeastLoaded, Target::Pipedrive, true) => format!(
            "автоматизация «assign owner» между пользователями «{team}»; по загрузке — РОП сверяет открытые сделки по отчёту"
        ),
        (RoutingKind::LeastLoaded, Target::Pipedrive, false) => format!(
            "an automation «assign owner» between the users of «{team}»; by load — the head checks open deals on the report"
        ),
        (RoutingKind::Manual, _, true) => format!("ответственного из сотрудников «{team}» назначают вручную"),
        (RoutingKind::Manual, _, false) => format!("the owner is picked by hand from the people of «{team}»"),
    }
}

/// The task of the role that assigns: «задача «Распределить заявку» для Ассистент со сроком 10 мин».
fn task(by: &str, minutes: Option<f64>, target: Target, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    let due = minutes.map(|m| crate::diag::kind::num(m, lang));
    let what = match (target, ru) {
        (Target::Pipedrive, true) => "дело (activity) «Назначить ответственного»",
        (Target::Pipedrive, false) => "an activity «Assign the owner»",
        (Target::Hubspot, true) => "задача (task) «Назначить ответственного»",
        (_, true) => "задача «Назначить ответственного»",
        (_, false) => "a task «Assign the owner»",
    };
    match (due, ru) {
        (Some(d), true) => format!("{what} для «{by}» на новую заявку со сроком {d} мин"),
        (Some(d), false) => format!("{what} for «{by}» on a new lead, due in {d} min"),
        (None, true) => format!("{what} для «{by}» на новую заявку"),
        (None, false) => format!("{what} for «{by}» on a new lead"),
    }
}

/// Marks the channel's leads as going first.
fn priority(target: Target, lang: Lang) -> &'static str {
    match (target, lang == Lang::Ru) {
        (Target::Amocrm, true) => {
            "тег «Вне очереди» и Salesbot, который ставит такие заявки первыми в распределении"
        }
        (Target::Amocrm, false) => {
            "a tag «Out of turn» and a Salesbot that puts such leads first in distribution"
        }
        (Target::Bitrix24, true) => {
            "поле «Приоритет» = «Вне очереди» и робот, который ставит такие лиды первыми в очередь"
        }
        (Target::Bitrix24, false) => {
            "a field «Priority» = «Out of turn» and a robot that puts such leads first in the queue"
        }
        (Target::Hubspot, true) => {
            "свойство «Priority» = «High» и представление с такими сделками вверху списка"
        }
        (Target::Hubspot, false) => "the property «Priority» = «High» and a view with such deals on top",
        (Target::Pipedrive, true) => "метка «Вне очереди» (label) и фильтр, с которого начинают работу",
        (Target::Pipedrive, false) => "a label «Out of turn» and a filter the work starts from",
    }
}

/// The distribution note of the CRM's README, when any channel sets a rule or a priority.
pub(super) fn routing_note(model: &Model, target: Target, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    for c in &model.channels {
        let mut s = Vec::new();
        if let Some(r) = &c.routing {
            let team = c
                .team
                .as_deref()
                .and_then(|t| model.role(t))
                .map(|t| t.title.clone().unwrap_or_else(|| t.name.clone()))
                .unwrap_or_else(|| lang.pick("отдела", "the department").to_string());
            s.push(rule(r, &team, target, lang));
            if let Some(by) = r.by.as_deref().and_then(|b| model.role(b)) {
                let by = by.title.as_deref().unwrap_or(&by.name);
                s.push(task(by, r.deadline_minutes, target, lang));
            }
        }
        if c.out_of_turn {
            s.push(priority(target, lang).to_string());
        }
        if !s.is_empty() {
            parts.push(format!(
                "{} «{}»: {}",
                lang.pick("заявки канала", "leads of channel"),
                c.title.as_deref().unwrap_or(&c.name),
                s.join("; ")
            ));
        }
    }
    (!parts.is_empty()).then(|| {
        format!(
            "{}: {}.",
            match (target, lang == Lang::Ru) {
                (Target::Amocrm, true) => "Распределение заявок (настраивается вручную, API этого не задаёт)",
                (Target::Bitrix24, true) =>
                    "Распределение лидов (настраивается вручную, API этого не задаёт)",
                (_, true) =>
                    "Распределение заявок между сотрудниками (настраивается вручную, API этого не задаёт)",
                (_, false) => "Lead distribution (set up by hand, the API does not set it)",
            },
            parts.join("; ")
        )
    })
}
