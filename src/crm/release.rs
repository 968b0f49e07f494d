//! Scheduled starts (`старт`) in the manual checklist of a stage, in each CRM's own terms: the
//! CRM has no calendar of starts, so a start is a date field (or a list of streams) on the deal
//! and an automation that moves the deals on that date.

use super::Target;
use crate::locale::Lang;
use crate::model::Model;
use crate::model::release::DayGrid;
use crate::render::format;

/// The checklist step for a stage with `старт`, `None` for any other stage.
pub(super) fn starts_item(
    model: &Model,
    pipeline: &str,
    stage: &str,
    target: Target,
    lang: Lang,
) -> Option<String> {
    let s = model
        .pipeline(pipeline)?
        .stages
        .iter()
        .find(|s| s.name == stage)?;
    let r = s.release.as_ref()?;
    let title = s.title.clone().unwrap_or_else(|| s.name.clone());
    let when = r.starts_words(lang);
    let close = (r.close_days > 0.0).then(|| format::days(r.close_days, lang));
    let group = r.group_words(lang);
    let field = lang.pick("Дата старта", "Start date");
    let how = match (target, lang) {
        (Target::Amocrm, Lang::Ru) => format!(
            "поле сделки типа «Дата» «{field}» (или «Список» с датами потоков); в цифровой воронке на этапе «{title}» — Salesbot или задача на дату старта, после старта сделки переводятся дальше массовым действием по фильтру «{field}»"
        ),
        (Target::Amocrm, Lang::En) => format!(
            "a deal field of type «Date» «{field}» (or a «List» of stream dates); in the digital pipeline at «{title}» a Salesbot or a task on the start date, and after the start the deals are moved on in bulk by the filter «{field}»"
        ),
        (Target::Bitrix24, Lang::Ru) => format!(
            "поле сделки «Дата» «{field}» (или «Список» потоков); на стадии «{title}» робот «Ждать» до даты поля, затем «Сменить стадию»"
        ),
        (Target::Bitrix24, Lang::En) => format!(
            "a deal field «Date» «{field}» (or a «List» of streams); at «{title}» an automation rule «Wait» until the field's date, then «Change stage»"
        ),
        (Target::Hubspot, Lang::Ru) => format!(
            "свойство сделки (Date picker) «{field}»; workflow по сделкам на этапе «{title}»: задержка «Delay until a date-based property» до «{field}», затем «Set property value» Deal stage"
        ),
        (Target::Hubspot, Lang::En) => format!(
            "a deal property (Date picker) «{field}»; a deal-based workflow at «{title}»: «Delay until a date-based property» to «{field}», then «Set property value» Deal stage"
        ),
        (Target::Pipedrive, Lang::Ru) => format!(
            "поле сделки типа «Дата» «{field}»; фильтр «{field} = сегодня» на этапе «{title}» и перевод сделок дальше в день старта (автоматизации Pipedrive по дате поля не запускаются — раз в день вручную или через API)"
        ),
        (Target::Pipedrive, Lang::En) => format!(
            "a deal field of type «Date» «{field}»; a filter «{field} is today» at «{title}» and moving the deals on on the start day (Pipedrive automations do not fire on a date field — daily by hand or through the API)"
        ),
    };
    let grid = DayGrid::of(model.header.calendar());
    let per_month = format::number(r.starts_per_month(grid), 1, lang);
    let mut text = match lang {
        Lang::Ru => format!("Старты этапа: {when} ({per_month} в месяц). В CRM: {how}."),
        Lang::En => format!("The stage's starts: {when} ({per_month} a month). In the CRM: {how}."),
    };
    if let Some(c) = close {
        text.push_str(&match lang {
            Lang::Ru => format!(" Набор на старт закрывается за {c}: сделки позже — на следующую дату."),
            Lang::En => {
                format!(" Enrolment for a start closes {c} before it: later deals go to the next date.")
            }
        });
    }
    if let Some(g) = group {
        text.push_str(&match lang {
            Lang::Ru => format!(" Группа: {g} — проверяйте число сделок с датой старта до закрытия набора."),
            Lang::En => format!(
                " Group: {g} — check the number of deals with the start date before enrolment closes."
            ),
        });
    }
    Some(text)
}
