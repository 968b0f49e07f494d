//! The deal fields of the regulation across every pipeline (`поля` of the stages), each once,
//! with the kind of value it holds and the statuses on which a CRM must demand it. A field
//! is account-wide in amoCRM (lead custom fields) and Pipedrive (deal fields), so it is
//! created once and required in every pipeline that collects it.
//!
//! A field of a card (`карточка`) has its written type, list values, record (deal, contact,
//! company) and group; a field a stage names without a card keeps the kind read from its
//! name: a date, a sum of money, a number with a unit, else text. A field that repeats a built-in one (the deal's
//! budget — amoCRM `price` «Бюджет», Pipedrive `value`) is not created: the built-in field is
//! used. Facts: crm-formats.md §1.8, §4.4, and the note in `docs/crm-apis.md`.

pub use super::kinds::{FieldKind, kind, record_of, stage_field_kind, typed_kind};
use super::setup::{Exit, Setup};
use crate::model::{Card, CardEntity, CardField, Model};
use serde::Serialize;

/// One field of the account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldSetup {
    pub name: String,
    pub kind: FieldKind,
    /// The statuses on which it is demanded, over every pipeline, each once.
    pub required_on: Vec<Exit>,
    /// The record that holds it (a field without a card: the deal).
    pub entity: CardEntity,
    /// The values of a list field.
    pub options: Vec<String>,
    /// The card it comes from, if any.
    pub card: Option<String>,
    /// Its group, and whether a card holds several of the group (`много`).
    pub group: Option<(String, bool)>,
    /// `обязательное`: demanded from the first stage on.
    pub always: bool,
}

/// Every field of every pipeline, in order of first appearance (a group named by a stage
/// stands for its fields), then the card fields no stage names.
pub fn fields(model: &Model, setup: &Setup) -> Vec<FieldSetup> {
    let mut out: Vec<FieldSetup> = Vec::new();
    let add = |out: &mut Vec<FieldSetup>, new: FieldSetup, on: &[Exit]| {
        let i = match out
            .iter()
            .position(|x| x.name == new.name && x.entity == new.entity)
        {
            Some(i) => i,
            None => {
                out.push(new);
                out.len() - 1
            }
        };
        for e in on {
            if !out[i].required_on.contains(e) {
                out[i].required_on.push(e.clone());
            }
        }
    };
    for p in &setup.pipelines {
        for s in &p.stages {
            let typed = crate::model::stage_fields(&model.cards, &p.name, &s.name);
            for f in &s.required_fields {
                let of_card: Vec<_> = typed
                    .iter()
                    .filter(|(_, x)| &x.name == f || x.group.as_deref() == Some(f.as_str()))
                    .collect();
                if of_card.is_empty() {
                    let new = FieldSetup {
                        name: f.clone(),
                        kind: kind(f),
                        required_on: Vec::new(),
                        entity: CardEntity::Deal,
                        options: Vec::new(),
                        card: None,
                        group: None,
                        always: false,
                    };
                    add(&mut out, new, &s.required_on);
                }
                for (c, x) in of_card {
                    add(&mut out, card_field(c, x), &s.required_on);
                }
            }
        }
    }
    for c in &model.cards {
        for x in c.fields.iter().filter(|x| x.stages.is_empty()) {
            add(&mut out, card_field(c, x), &[]);
        }
    }
    out
}

fn card_field(c: &Card, x: &CardField) -> FieldSetup {
    FieldSetup {
        name: x.name.clone(),
        kind: typed_kind(c, x),
        required_on: Vec::new(),
        entity: record_of(c, x),
        options: x.options.clone(),
        card: Some(c.name.clone()),
        group: x
            .group
            .as_ref()
            .map(|g| (g.clone(), c.group(g).is_some_and(|g| g.many))),
        always: x.required,
    }
}

/// The record's path word in amoCRM and the rest: `leads`, `contacts`, `companies`.
pub fn entity_words(e: CardEntity) -> (&'static str, &'static str) {
    match e {
        CardEntity::Deal => ("Поле сделки", "Deal field"),
        CardEntity::Contact => ("Поле контакта", "Contact field"),
        CardEntity::Company => ("Поле компании", "Company field"),
    }
}

/// The type a CRM without field requests gets by hand: Bitrix24 `USER_TYPE_ID`, HubSpot
/// `type`/`fieldType`.
fn manual_type(target: super::Target, kind: FieldKind) -> &'static str {
    use super::Target;
    match (target, kind) {
        (Target::Bitrix24, FieldKind::Text | FieldKind::Phone | FieldKind::Email | FieldKind::DealAmount) => {
            "string"
        }
        (Target::Bitrix24, FieldKind::Number) => "double",
        (Target::Bitrix24, FieldKind::Money) => "money",
        (Target::Bitrix24, FieldKind::Date) => "date",
        (Target::Bitrix24, FieldKind::DateTime) => "datetime",
        (Target::Bitrix24, FieldKind::Choice | FieldKind::MultiChoice) => "enumeration",
        (Target::Bitrix24, FieldKind::Url) => "url",
        (Target::Bitrix24, FieldKind::Flag) => "boolean",
        (_, FieldKind::Text | FieldKind::DealAmount) => "string/text",
        (_, FieldKind::Number | FieldKind::Money) => "number/number",
        (_, FieldKind::Date) => "date/date",
        (_, FieldKind::DateTime) => "datetime/date",
        (_, FieldKind::Choice) => "enumeration/select",
        (_, FieldKind::MultiChoice) => "enumeration/checkbox",
        (_, FieldKind::Phone) => "string/phonenumber",
        (_, FieldKind::Email | FieldKind::Url) => "string/text",
        (_, FieldKind::Flag) => "bool/booleancheckbox",
    }
}

/// What the README says about the cards (`карточка`) for one CRM: what the requests create
/// and what could not be mapped. Empty without cards.
pub fn card_notes(
    model: &Model,
    fields: &[FieldSetup],
    target: super::Target,
    lang: crate::diag::Lang,
) -> Vec<String> {
    use super::Target;
    let mut out = Vec::new();
    if model.cards.is_empty() {
        return out;
    }
    let typed: Vec<&FieldSetup> = fields
        .iter()
        .filter(|f| f.card.is_some() && f.kind != FieldKind::DealAmount)
        .collect();
    match target {
        Target::Amocrm | Target::Pipedrive => out.push(
            lang.pick(
                "Поля карточек создаются с типами из положения; у списков — их значения в указанном порядке.",
                "The card fields are created with the regulation's types; lists get their values in the written order.",
            )
            .to_string(),
        ),
        Target::Bitrix24 | Target::Hubspot => {
            let list: Vec<String> = typed
                .iter()
                .map(|f| {
                    let (r, e) = entity_words(f.entity);
                    let values = if f.options.is_empty() { String::new() } else { format!(": {}", f.options.join(", ")) };
                    format!("«{}» ({}, {}{values})", f.name, lang.pick(r, e).to_lowercase(), manual_type(target, f.kind))
                })
                .collect();
            if !list.is_empty() {
                out.push(format!(
                    "{} {}.",
                    lang.pick(
                        "Запросы не создают пользовательские поля: заведите поля карточек вручную с такими типами —",
                        "The requests do not create custom fields: create the card fields by hand with these types —"
                    ),
                    list.join("; ")
                ));
            }
        }
    }
    for c in &model.cards {
        for g in c.groups.iter().filter(|g| g.many) {
            let names: Vec<String> = c
                .fields
                .iter()
                .filter(|f| f.group.as_deref() == Some(g.name.as_str()))
                .map(|f| format!("«{}»", f.name))
                .collect();
            let text = if c.entity == CardEntity::Deal {
                format!(
                    "{} «{}» {} {} {}",
                    lang.pick("Группа", "Group"),
                    g.name,
                    lang.pick(
                        "повторяется в карточке (много): отдельного повторяющегося блока полей у сделки нет, поэтому каждый её участник — контакт, привязанный к сделке, а поля группы",
                        "repeats in the card (many): a deal has no repeating block of fields, so each member is a contact linked to the deal, and the group's fields"
                    ),
                    names.join(", "),
                    lang.pick("заведены в карточке контакта.", "live on the contact.")
                )
            } else {
                format!(
                    "{} «{}» {} {}.",
                    lang.pick("Группа", "Group"),
                    g.name,
                    lang.pick(
                        "повторяется в карточке (много), а повторяющегося блока полей в CRM нет: поля группы созданы по одному разу, несколько значений записывайте в примечании:",
                        "repeats in the card (many), and the CRM has no repeating block of fields: the group's fields are created once; write further values in a note:"
                    ),
                    names.join(", ")
                )
            };
            out.push(text);
        }
    }
    let lossy: Vec<String> = typed
        .iter()
        .filter_map(|f| {
            let why = match (target, f.kind) {
                (Target::Pipedrive, FieldKind::DateTime) => {
                    lang.pick("дата без времени", "a date without the time")
                }
                (Target::Pipedrive, FieldKind::Flag) => lang.pick("список «Да»/«Нет»", "a Yes/No list"),
                (Target::Pipedrive, FieldKind::Url | FieldKind::Email) => lang.pick("текст", "text"),
                (Target::Amocrm, FieldKind::Money) => lang.pick(
                    "число (денежное поле amoCRM — платная опция)",
                    "a number (amoCRM's monetary field is a paid option)",
                ),
                (Target::Amocrm, FieldKind::Phone | FieldKind::Email) if f.entity != CardEntity::Contact => {
                    lang.pick("текст", "text")
                }
                _ => return None,
            };
            Some(format!("«{}» — {why}", f.name))
        })
        .collect();
    if !lossy.is_empty() {
        out.push(format!(
            "{} {}.",
            lang.pick(
                "Типы, которых в CRM нет, заменены ближайшими:",
                "Types the CRM lacks are replaced by the closest:"
            ),
            lossy.join("; ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        for (name, k) in [
            ("Дата встречи", FieldKind::Date),
            ("Ожидаемая дата оплаты", FieldKind::Date),
            ("Сумма КП", FieldKind::Money),
            ("Бюджет", FieldKind::DealAmount),
            ("бюджет сделки", FieldKind::DealAmount),
            ("Число точек", FieldKind::Number),
            ("Напор, м", FieldKind::Number),
            ("Расход, м³/ч", FieldKind::Number),
            ("Номер договора", FieldKind::Text),
            ("ЛПР", FieldKind::Text),
            ("Условия оплаты", FieldKind::Text),
            ("Сроки запуска", FieldKind::Text),
        ] {
            assert_eq!(kind(name), k, "{name}");
        }
    }
}
