//! Client-base triggers in each CRM's own terms (issue 19, G8/G7): inactivity (`без_покупки`,
//! `без_активности`), recurring contacts (`каждые 2 нед`, `для сегмент A`) and the hand-off to
//! another pipeline (`перевести ->`). None of the four APIs creates such automation, so these are
//! checklist items of the README, like the other triggers. Calendar days are the CRMs' unit.

use super::Target;
use crate::diag::Lang;
use crate::model::Quiet;
use crate::render::format;

/// A client-base event as the CRM's checklist needs it (built by `crm::triggers`).
pub(super) enum ClientEvent<'a> {
    Idle {
        pipeline: &'a Option<String>,
        quiet: Quiet,
        after: &'a str,
        calendar_days: f64,
    },
    Every {
        pipeline: &'a Option<String>,
        every: &'a str,
        calendar_days: f64,
        segment: &'a Option<String>,
    },
}

/// Where and how the CRM starts the trigger.
pub(super) fn when(target: Target, e: ClientEvent, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    let n = |d: f64| format::number(d, 0, lang);
    match e {
        ClientEvent::Idle {
            pipeline,
            quiet,
            after,
            calendar_days,
        } => {
            let whose = match (pipeline, ru) {
                (Some(p), true) => format!(" воронки «{p}»"),
                (Some(p), false) => format!(" of «{p}»"),
                (None, _) => String::new(),
            };
            let d = n(calendar_days);
            let how = match (target, quiet, ru) {
                (_, Quiet::Activity, true) => format!(
                    "активность клиента (визиты, входы на платформу) CRM сама не видит: заведите поле «Дата последней активности», заполняйте его из внешней системы и настройте задачу по дате этого поля + {d} календарных дн."
                ),
                (_, Quiet::Activity, false) => format!(
                    "the CRM does not see client activity (visits, platform logins) itself: keep a field «Last activity date» filled from the outside system and set a task by that date + {d} calendar days"
                ),
                (Target::Amocrm, _, true) => format!(
                    "цифровая воронка: на этапе «Успешно реализовано» — задача или Salesbot с задержкой «через {d} дн.» при условии, что новой сделки с клиентом нет (список клиентов без покупок — фильтр контактов по дате последней сделки)"
                ),
                (Target::Amocrm, _, false) => format!(
                    "digital pipeline: on «Closed - won», a task or Salesbot delayed by {d} days on condition the client has no new deal (clients without purchases: a contact filter by last deal date)"
                ),
                (Target::Bitrix24, _, true) => format!(
                    "CRM → Сделки → Роботы, стадия «Сделка успешна»: робот с отложенным запуском «через {d} дн.» и условием «у компании нет новых сделок» (или бизнес-процесс компании)"
                ),
                (Target::Bitrix24, _, false) => format!(
                    "CRM → Deals → Automation rules, stage «Deal won»: a rule delayed by {d} days with the condition «the company has no new deals» (or a company workflow)"
                ),
                (Target::Hubspot, _, true) => format!(
                    "Automation → Workflows, workflow по компаниям: условие запуска «Recent deal close date больше {d} дн. назад»"
                ),
                (Target::Hubspot, _, false) => format!(
                    "Automation → Workflows, a company-based workflow: enrollment «Recent deal close date is more than {d} days ago»"
                ),
                (Target::Pipedrive, _, true) => format!(
                    "фильтр организаций «дата последней выигранной сделки старше {d} дн.»; по нему — автоматизация или дело ответственному (проверка раз в неделю)"
                ),
                (Target::Pipedrive, _, false) => format!(
                    "an organisation filter «last won deal older than {d} days»; from it an automation or an activity for the owner (checked weekly)"
                ),
            };
            let what = match (quiet, ru) {
                (Quiet::Purchase, true) => "без покупок",
                (Quiet::Activity, true) => "без активности",
                (Quiet::Purchase, false) => "without purchases",
                (Quiet::Activity, false) => "without activity",
            };
            if ru {
                format!("клиент{whose} {what} {after} (≈ {d} календарных): {how}")
            } else {
                format!("a client{whose} {what} for {after} (≈ {d} calendar days): {how}")
            }
        }
        ClientEvent::Every {
            pipeline,
            every,
            calendar_days,
            segment,
        } => {
            let d = n(calendar_days);
            let whose = match (pipeline, ru) {
                (Some(p), true) => format!(" воронки «{p}»"),
                (Some(p), false) => format!(" of «{p}»"),
                (None, _) => String::new(),
            };
            let seg = match (segment, ru) {
                (Some(s), true) => format!(
                    "; только клиентам сегмента {s}: поле-список «Сегмент» компании, которое обновляет ежемесячный анализ клиентов"
                ),
                (Some(s), false) => format!(
                    "; segment {s} clients only: a company list field «Segment» the monthly client analysis updates"
                ),
                (None, _) => String::new(),
            };
            let how = match (target, ru) {
                (Target::Amocrm, true) => format!(
                    "повторяющихся задач amoCRM не ставит: цифровая воронка или Salesbot ставит следующую задачу «через {d} дн.» после выполнения предыдущей"
                ),
                (Target::Amocrm, false) => format!(
                    "amoCRM has no recurring tasks: the digital pipeline or a Salesbot sets the next task {d} days after the previous one is done"
                ),
                (Target::Bitrix24, true) => {
                    "Задачи → повторяемая задача по каждому клиенту (расписание повтора), или бизнес-процесс компании с циклом".to_string()
                }
                (Target::Bitrix24, false) => {
                    "Tasks → a recurring task per client (repeat schedule), or a company workflow with a loop".to_string()
                }
                (Target::Hubspot, true) => format!(
                    "Automation → Workflows, workflow по компаниям: задача, задержка {d} дн. и повторный запуск (re-enrollment)"
                ),
                (Target::Hubspot, false) => format!(
                    "Automation → Workflows, a company-based workflow: a task, a delay of {d} days and re-enrollment"
                ),
                (Target::Pipedrive, true) => {
                    "повторяющееся дело по каждой организации, если его даёт тариф; иначе — новое дело при закрытии предыдущего".to_string()
                }
                (Target::Pipedrive, false) => {
                    "a recurring activity per organisation if the plan has it; otherwise a new activity when the previous one is closed".to_string()
                }
            };
            if ru {
                format!("плановый контакт {every} с каждым клиентом{whose}: {how}{seg}")
            } else {
                format!("a planned contact {every} with each client{whose}: {how}{seg}")
            }
        }
    }
}

/// `перевести -> Воронка` as the CRM's action.
pub(super) fn transfer(target: Target, pipeline: &str, lang: Lang) -> String {
    match (target, lang) {
        (Target::Amocrm, Lang::Ru) => {
            format!("действие «Создать сделку» на первом этапе воронки «{pipeline}»")
        }
        (Target::Amocrm, Lang::En) => format!("action «Create lead» in the first stage of «{pipeline}»"),
        (Target::Bitrix24, Lang::Ru) => {
            format!("робот «Создать сделку» (или «Сменить воронку») → воронка «{pipeline}»")
        }
        (Target::Bitrix24, Lang::En) => format!("rule «Create deal» (or «Change pipeline») → «{pipeline}»"),
        (Target::Hubspot, Lang::Ru) => format!("действие «Create record»: сделка в воронке «{pipeline}»"),
        (Target::Hubspot, Lang::En) => format!("action «Create record»: a deal in the pipeline «{pipeline}»"),
        (Target::Pipedrive, Lang::Ru) => format!("действие «Создать сделку» в воронке «{pipeline}»"),
        (Target::Pipedrive, Lang::En) => format!("action «Create deal» in the pipeline «{pipeline}»"),
    }
}
