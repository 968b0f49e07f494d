//! The counters a KPI formula or a norm may read: events the process produces and the
//! simulator counts. The table is the documentation (`docs/language.md` lists it too).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counter {
    Leads,
    Entered,
    Converted,
    Won,
    Lost,
    HandedOff,
    Deals,
    Revenue,
    Calls,
    Meetings,
    Emails,
    Messages,
    Proposals,
    Contracts,
    Invoices,
    Demos,
    Tasks,
    CycleDays,
    ResponseMinutes,
    CycleCalendarDays,
    AverageDeal,
    Headcount,
    /// Talk minutes of the contacts named in its filter (`минуты(звонки)`).
    TalkMinutes,
    /// Deals in a stage at the end of a month (`открыто(Этап)`).
    Open,
    /// Deals in a stage longer than N days at the end of a month (`просрочено(Этап, 5 дн)`).
    Overdue,
    /// Missed incoming calls (`пропущенные`): telephony data, not simulated.
    Missed,
}

/// Counter, its Russian names, its English name, and what it counts.
pub const COUNTERS: &[(Counter, &[&str], &str, &str)] = &[
    (Counter::Leads, &["лиды"], "leads", "лиды, поступившие из каналов"),
    (
        Counter::Entered,
        &["вошло"],
        "entered",
        "сделки, вошедшие в этап или воронку",
    ),
    (
        Counter::Converted,
        &["перешло"],
        "converted",
        "сделки, успешно прошедшие этап",
    ),
    (Counter::Won, &["выиграно"], "won", "выигранные сделки"),
    (Counter::Lost, &["проиграно"], "lost", "проигранные сделки"),
    (
        Counter::HandedOff,
        &["передано"],
        "handed_off",
        "сделки, переданные в другую воронку",
    ),
    (
        Counter::Deals,
        &["сделки"],
        "deals",
        "сделки (оплаченные продажи)",
    ),
    (
        Counter::Revenue,
        &["выручка"],
        "revenue",
        "выручка по выигранным сделкам",
    ),
    (Counter::Calls, &["звонки"], "calls", "звонки"),
    (Counter::Meetings, &["встречи"], "meetings", "встречи"),
    (Counter::Emails, &["письма"], "emails", "письма"),
    (
        Counter::Messages,
        &["сообщения"],
        "messages",
        "сообщения в мессенджерах",
    ),
    (
        Counter::Proposals,
        &["кп", "КП"],
        "proposals",
        "отправленные коммерческие предложения",
    ),
    (
        Counter::Contracts,
        &["договоры"],
        "contracts",
        "отправленные договоры",
    ),
    (Counter::Invoices, &["счета"], "invoices", "выставленные счета"),
    (Counter::Demos, &["демо"], "demos", "демонстрации"),
    (Counter::Tasks, &["задачи"], "tasks", "задачи"),
    (
        Counter::CycleDays,
        &["цикл"],
        "cycle_days",
        "длительность цикла сделки, дней",
    ),
    (
        Counter::ResponseMinutes,
        &["отклик", "первый_отклик", "first_response"],
        "response_minutes",
        "время первого отклика, минут",
    ),
    (
        Counter::AverageDeal,
        &["чек", "средний_чек"],
        "average_deal",
        "средний чек",
    ),
    (Counter::Headcount, &["штат"], "headcount", "численность роли"),
    (Counter::TalkMinutes, &["минуты"], "minutes", "минуты разговора"),
    (
        Counter::Open,
        &["открыто"],
        "open",
        "открытые сделки на конец месяца",
    ),
    (
        Counter::Overdue,
        &["просрочено"],
        "overdue",
        "сделки дольше срока на конец месяца",
    ),
    (
        Counter::CycleCalendarDays,
        &["цикл_календарный"],
        "cycle_calendar_days",
        "длительность цикла всех сделок, с проигранными, календарных дней",
    ),
    (
        Counter::Missed,
        &["пропущенные"],
        "missed",
        "пропущенные входящие звонки (данные телефонии)",
    ),
];

impl Counter {
    pub fn from_name(name: &str) -> Option<Counter> {
        COUNTERS
            .iter()
            .find(|(_, ru, en, _)| ru.contains(&name) || *en == name)
            .map(|(c, ..)| *c)
    }

    pub fn all_names() -> impl Iterator<Item = &'static str> {
        COUNTERS
            .iter()
            .flat_map(|(_, ru, en, _)| ru.iter().copied().chain(std::iter::once(*en)))
    }
}
