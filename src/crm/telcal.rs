//! Telephony standards (`ответ до 3 гудков`, `перезвон 10 мин`) and KPIs over telephony data
//! as the settings to make in each CRM's telephony: the queue's waiting time and the task on a
//! missed call. Manual notes: none of the four APIs we write to sets them.

use super::Target;
use crate::locale::Lang;
use crate::model::Model;
use crate::model::telcal::Telephony;

/// Seconds of one ring: 1 s tone and 4 s pause (the Russian ringback cadence).
const RING_SECONDS: u32 = 5;

fn standard(t: &Telephony, target: Target, lang: Lang) -> Vec<String> {
    let ru = lang == Lang::Ru;
    let mut out = Vec::new();
    if let Some(n) = t.answer_rings {
        let secs = n * RING_SECONDS;
        let g = crate::locale::plural_ru(u64::from(n), "гудок", "гудка", "гудков");
        out.push(match (target, ru) {
            (Target::Amocrm, true) => format!("в настройках виджета телефонии — время дозвона до оператора не больше {secs} с ({n} {g}), дальше — следующий оператор"),
            (Target::Amocrm, false) => format!("in the telephony widget's settings, ring an operator for at most {secs} s ({n} rings), then the next one"),
            (Target::Bitrix24, true) => format!("Телефония → Настройки → группа (очередь): время ожидания ответа {secs} с ({n} {g})"),
            (Target::Bitrix24, false) => format!("Telephony → Settings → queue group: answer waiting time {secs} s ({n} rings)"),
            (Target::Hubspot, true) => format!("у провайдера звонков (Calling) — переадресация, если не ответили за {secs} с ({n} {g})"),
            (Target::Hubspot, false) => format!("at the calling provider: forward when not answered in {secs} s ({n} rings)"),
            (Target::Pipedrive, true) => format!("в интеграции телефонии — переадресация, если не ответили за {secs} с ({n} {g})"),
            (Target::Pipedrive, false) => format!("in the telephony integration: forward when not answered in {secs} s ({n} rings)"),
        });
    }
    if let Some(m) = t.callback_minutes {
        let m = crate::diag::kind::num(m, lang);
        out.push(match (target, ru) {
            (Target::Amocrm, true) => format!("пропущенный звонок — задача «Перезвонить» со сроком {m} мин (Salesbot или настройка виджета телефонии)"),
            (Target::Amocrm, false) => format!("a missed call: a task «Call back» due in {m} min (a Salesbot or the telephony widget's setting)"),
            (Target::Bitrix24, true) => format!("пропущенный звонок — робот «Создать задачу» «Перезвонить» со сроком {m} мин"),
            (Target::Bitrix24, false) => format!("a missed call: an automation rule «Create task» «Call back» due in {m} min"),
            (Target::Hubspot, true) => format!("пропущенный звонок — workflow с задачей «Call back» со сроком {m} мин"),
            (Target::Hubspot, false) => format!("a missed call: a workflow task «Call back» due in {m} min"),
            (Target::Pipedrive, true) => format!("пропущенный звонок — дело «Перезвонить» со сроком {m} мин (из интеграции телефонии)"),
            (Target::Pipedrive, false) => format!("a missed call: an activity «Call back» due in {m} min (from the telephony integration)"),
        });
    }
    out
}

/// The telephony note of the CRM's README, when the regulation sets any standard or reads
/// telephony data in a KPI.
pub(super) fn telephony_note(model: &Model, target: Target, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    for c in &model.channels {
        let s = standard(&c.telephony, target, lang);
        if !s.is_empty() {
            let who = c.title.as_deref().unwrap_or(&c.name);
            parts.push(format!(
                "{} «{who}»: {}",
                lang.pick("звонки канала", "calls of channel"),
                s.join("; ")
            ));
        }
    }
    for r in &model.roles {
        let s = standard(&r.telephony, target, lang);
        if !s.is_empty() {
            let who = r.title.as_deref().unwrap_or(&r.name);
            parts.push(format!("{who}: {}", s.join("; ")));
        }
    }
    let kpis: Vec<String> = model
        .kpis
        .iter()
        .filter(|k| k.telephony_data())
        .map(|k| format!("«{}»", k.title.as_deref().unwrap_or(&k.name)))
        .collect();
    if !kpis.is_empty() {
        parts.push(format!(
            "{} {}",
            lang.pick(
                "показатели из отчётов телефонии (пропущенные, длительность разговоров):",
                "KPIs from the telephony reports (missed calls, talk times):"
            ),
            kpis.join(", ")
        ));
    }
    (!parts.is_empty()).then(|| {
        format!(
            "{}: {}.",
            lang.pick(
                "Телефония (настраивается вручную, API этого не задаёт)",
                "Telephony (set up by hand, the API does not set it)"
            ),
            parts.join("; ")
        )
    })
}
