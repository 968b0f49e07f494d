//! The kind of value a CRM field holds: a card's written type, or, for a field a stage names
//! without a card, the kind read from its name. Shared by the setup and the field list; knows
//! neither.

use crate::model::{Card, CardEntity, CardField, FieldType, Model};
use serde::Serialize;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    /// A number, often with a unit (`Напор, м`).
    Number,
    /// A sum of money.
    Money,
    Date,
    /// The deal's own amount (budget / value): a built-in field, never created.
    DealAmount,
    /// The kinds below come only from a card's written type.
    DateTime,
    /// One value of a list.
    Choice,
    /// Several values of a list.
    MultiChoice,
    Phone,
    Email,
    Url,
    /// Yes or no.
    Flag,
}

impl FieldKind {
    /// In words, for a checklist (Russian, English).
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            FieldKind::Text => ("текст", "text"),
            FieldKind::Number => ("число", "number"),
            FieldKind::Money => ("сумма денег", "money"),
            FieldKind::Date => ("дата", "date"),
            FieldKind::DealAmount => ("бюджет сделки (встроенное поле)", "deal amount (built-in)"),
            FieldKind::DateTime => ("дата и время", "date and time"),
            FieldKind::Choice => ("выбор из списка", "one of a list"),
            FieldKind::MultiChoice => ("несколько из списка", "several of a list"),
            FieldKind::Phone => ("телефон", "phone"),
            FieldKind::Email => ("эл. почта", "email"),
            FieldKind::Url => ("ссылка", "link"),
            FieldKind::Flag => ("да/нет", "yes/no"),
        }
    }
}

fn words(name: &str) -> Vec<String> {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The kind of a field, read from its name.
pub fn kind(name: &str) -> FieldKind {
    let lower = name.trim().to_lowercase();
    let w = words(name);
    let has = |prefixes: &[&str]| w.iter().any(|x| prefixes.iter().any(|p| x.starts_with(p)));
    const AMOUNT: [&str; 7] = [
        "бюджет",
        "бюджет сделки",
        "сумма сделки",
        "стоимость сделки",
        "budget",
        "deal value",
        "deal amount",
    ];
    if AMOUNT.contains(&lower.as_str()) {
        return FieldKind::DealAmount;
    }
    if has(&["дата", "date"]) {
        return FieldKind::Date;
    }
    if has(&[
        "сумм",
        "стоимост",
        "цена",
        "бюджет",
        "аванс",
        "amount",
        "price",
        "budget",
        "cost",
    ]) {
        return FieldKind::Money;
    }
    // `Число точек`, `Количество …`, or a unit after a comma: `Напор, м`, `Наработка, ч`.
    let unit = lower
        .rsplit_once(',')
        .is_some_and(|(_, u)| !u.trim().is_empty() && u.trim().chars().count() <= 6);
    if unit || has(&["число", "количеств", "кол-во", "number of", "count"]) && !has(&["номер"])
    {
        return FieldKind::Number;
    }
    FieldKind::Text
}

/// The kind of a card field: its written type; a deal's money or number field named as the
/// deal amount (`Бюджет`) is the built-in amount.
pub fn typed_kind(card: &Card, f: &CardField) -> FieldKind {
    match f.kind {
        FieldType::Money | FieldType::Number
            if card.entity == CardEntity::Deal && kind(&f.name) == FieldKind::DealAmount =>
        {
            FieldKind::DealAmount
        }
        FieldType::Text => FieldKind::Text,
        FieldType::Number => FieldKind::Number,
        FieldType::Money => FieldKind::Money,
        FieldType::Date => FieldKind::Date,
        FieldType::DateTime => FieldKind::DateTime,
        FieldType::Choice => FieldKind::Choice,
        FieldType::MultiChoice => FieldKind::MultiChoice,
        FieldType::Phone => FieldKind::Phone,
        FieldType::Email => FieldKind::Email,
        FieldType::Url => FieldKind::Url,
        FieldType::Flag => FieldKind::Flag,
    }
}

/// The kind of a field a stage names: its card's type when a card has it, else read from the
/// name.
pub fn stage_field_kind(model: &Model, pipeline: &str, stage: &str, name: &str) -> FieldKind {
    crate::model::stage_fields(&model.cards, pipeline, stage)
        .into_iter()
        .find(|(_, f)| f.name == name)
        .map_or_else(|| kind(name), |(c, f)| typed_kind(c, f))
}

/// A field of a deal card's repeating group (`группа "ЛПР" много`) goes to the contact: each
/// member of the group is a contact linked to the deal, which every CRM allows several of.
pub fn record_of(c: &Card, x: &CardField) -> CardEntity {
    let many = x
        .group
        .as_deref()
        .and_then(|g| c.group(g))
        .is_some_and(|g| g.many);
    if many && c.entity == CardEntity::Deal {
        CardEntity::Contact
    } else {
        c.entity
    }
}
