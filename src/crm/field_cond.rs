//! Conditions on a card field (`model::field_cond`) as steps of a stage's manual checklist in
//! each CRM's own terms: a way out chosen by a field is an automation that moves the deal when
//! the custom field meets the condition; a segment with its own figures is a condition to
//! record and a report to read by the field. No CRM's public API creates these rules safely,
//! so they are checklist items like the triggers (`super::triggers`).

use super::Target;
use crate::diag::Lang;
use crate::model::{Destination, Model, transitions};
use crate::render::format;

/// The checklist items of a stage for its field routes and segments.
pub(super) fn stage_items(
    model: &Model,
    target: Target,
    pipeline: &str,
    stage: &str,
    lang: Lang,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some((pi, si)) = transitions::resolve(model, pipeline, stage) else {
        return out;
    };
    let st = &model.pipelines[pi].stages[si];
    for r in model
        .field_conds
        .routes
        .iter()
        .filter(|r| r.pipeline == pipeline && r.stage == stage)
    {
        let Some(t) = st.transitions.get(r.transition) else {
            continue;
        };
        let cond = r.condition.words(lang);
        let to = destination_label(model, &t.to, lang);
        let lost = matches!(t.to, Destination::Lost { .. });
        out.push(match (target, lang, lost) {
            (Target::Amocrm, Lang::Ru, false) => format!(
                "Сделки → Автоматизировать → этап «{}»: триггер «Сменить этап» → «{to}» с условием по доп. полю: {cond}",
                label(st)
            ),
            (Target::Amocrm, Lang::Ru, true) => format!(
                "Сделки → Автоматизировать → этап «{}»: при условии по доп. полю ({cond}) — «Сменить этап» → «Закрыто и не реализовано» ({to})",
                label(st)
            ),
            (Target::Amocrm, Lang::En, _) => format!(
                "Leads → Automate → stage «{}»: trigger «Change stage» → «{to}» on a custom field condition: {cond}",
                label(st)
            ),
            (Target::Bitrix24, Lang::Ru, _) => format!(
                "CRM → Сделки → Роботы, стадия «{}»: робот «Изменить стадию» → «{to}» с условием по пользовательскому полю: {cond}",
                label(st)
            ),
            (Target::Bitrix24, Lang::En, _) => format!(
                "CRM → Deals → Automation rules, stage «{}»: rule «Change stage» → «{to}» with a condition on the custom field: {cond}",
                label(st)
            ),
            (Target::Hubspot, Lang::Ru, _) => format!(
                "Automation → Workflows, workflow по сделкам: запуск, когда сделка на этапе «{}» и {cond}; действие «Set property value: Deal stage» → «{to}»",
                label(st)
            ),
            (Target::Hubspot, Lang::En, _) => format!(
                "Automation → Workflows, a deal-based workflow: enrolled when the deal is in «{}» and {cond}; action «Set property value: Deal stage» → «{to}»",
                label(st)
            ),
            (Target::Pipedrive, Lang::Ru, _) => format!(
                "Automations → новая автоматизация: событие «Сделка обновлена», условия «этап = „{}“» и {cond}; действие «Обновить сделку» → «{to}»",
                label(st)
            ),
            (Target::Pipedrive, Lang::En, _) => format!(
                "Automations → a new automation: event «Deal updated», conditions «stage is „{}“» and {cond}; action «Update deal» → «{to}»",
                label(st)
            ),
        });
    }
    for g in model
        .field_conds
        .segments
        .iter()
        .filter(|g| g.pipeline == pipeline && g.stage == stage)
    {
        let mut figures = Vec::new();
        if let Some(c) = g.conversion {
            figures.push(format!(
                "{} {}",
                lang.pick("конверсия", "conversion"),
                format::percent(c, lang)
            ));
        }
        if let Some(d) = g.deal_size {
            figures.push(format!(
                "{} {}",
                lang.pick("чек", "deal size"),
                format::money(d, model.header.currency, lang)
            ));
        }
        if let Some(d) = &g.deadline {
            figures.push(format!(
                "{} {d} {}",
                lang.pick("срок —", "deadline:"),
                lang.pick("от входа в этап", "from entering the stage")
            ));
        }
        let cond = g.condition.words(lang);
        let share = format::percent(g.share, lang);
        let figures = figures.join(", ");
        let deadline_rule = g.deadline.as_ref().map(|d| match (target, lang) {
            (Target::Amocrm, Lang::Ru) => {
                format!(" Задача с условием по доп. полю и сроком {d} — триггер «Поставить задачу» на этапе.")
            }
            (Target::Bitrix24, Lang::Ru) => {
                format!(" Робот «Задание» / «Дело» с условием по полю и сроком {d}.")
            }
            (Target::Hubspot, Lang::Ru) => format!(" В workflow с условием по полю — задача со сроком {d}."),
            (Target::Pipedrive, Lang::Ru) => {
                format!(" Автоматизация «Создать дело» с условием по полю и сроком {d}.")
            }
            (_, Lang::En) => {
                format!(" A task due in {d} for these deals: an automation with the field condition.")
            }
        });
        out.push(match lang {
            Lang::Ru => format!(
                "Сегмент этапа: {cond} (около {share} заявок) — {figures}. Заполняйте поле до конца этапа и смотрите конверсию и сумму сделок этапа в разрезе этого поля.{}",
                deadline_rule.unwrap_or_default()
            ),
            Lang::En => format!(
                "A segment of the stage: {cond} (about {share} of the leads) — {figures}. Fill the field before the stage ends and read the stage's conversion and deal amounts by this field.{}",
                deadline_rule.unwrap_or_default()
            ),
        });
    }
    out
}

fn label(s: &crate::model::Stage) -> String {
    s.title.clone().unwrap_or_else(|| s.name.clone())
}

fn destination_label(model: &Model, d: &Destination, lang: Lang) -> String {
    match d {
        Destination::Won => lang.pick("Успешно реализовано", "Closed won").to_string(),
        Destination::Lost { reason } => match reason {
            Some(r) => {
                let text = model
                    .loss_reasons
                    .iter()
                    .find(|l| &l.code == r)
                    .and_then(|l| l.label.clone())
                    .unwrap_or_else(|| r.clone());
                format!("{}: {text}", lang.pick("проигрыш, причина", "lost, reason"))
            }
            None => lang.pick("проигрыш", "lost").to_string(),
        },
        Destination::Stage { pipeline, stage } => {
            let p = model.pipeline(pipeline);
            let s = p.and_then(|p| p.stages.iter().find(|s| &s.name == stage));
            let st = s.map(label).unwrap_or_else(|| stage.clone());
            match p {
                Some(p) if p.stages.first().is_some_and(|f| &f.name == stage) => {
                    format!("{} / {st}", p.title.clone().unwrap_or_else(|| p.name.clone()))
                }
                _ => st,
            }
        }
    }
}
