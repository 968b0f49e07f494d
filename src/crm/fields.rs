//! The deal fields of the regulation across every pipeline (`поля` of the stages), each once,
//! with the kind of value it holds and the statuses on which a CRM must demand it. A field
//! is account-wide in amoCRM (lead custom fields) and Pipedrive (deal fields), so it is
//! created once and required in every pipeline that collects it.
//!
//! The regulation names fields only, so the kind is read from the name: a date, a sum of
//! money, a number with a unit, else text. A field that repeats a built-in one (the deal's
//! budget — amoCRM `price` «Бюджет», Pipedrive `value`) is not created: the built-in field is
//! used. Facts: crm-formats.md §1.8, §4.4, and the note in `docs/crm-apis.md`.

use super::setup::{Exit, Setup};
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

/// One deal field of the account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldSetup {
    pub name: String,
    pub kind: FieldKind,
    /// The statuses on which it is demanded, over every pipeline, each once.
    pub required_on: Vec<Exit>,
}

/// Every deal field the account gets: the pipelines' fields, then the discount fields of the
/// deal terms (`условия`, see `crm::terms`).
pub fn account_fields(
    model: &crate::model::Model,
    setup: &Setup,
    lang: crate::diag::Lang,
) -> Vec<FieldSetup> {
    let mut out = fields(setup);
    out.extend(super::terms::fields(model, lang));
    out
}

/// Every field of every pipeline, in order of first appearance.
pub fn fields(setup: &Setup) -> Vec<FieldSetup> {
    let mut out: Vec<FieldSetup> = Vec::new();
    for p in &setup.pipelines {
        for s in &p.stages {
            for f in &s.required_fields {
                let i = match out.iter().position(|x| &x.name == f) {
                    Some(i) => i,
                    None => {
                        out.push(FieldSetup {
                            name: f.clone(),
                            kind: kind(f),
                            required_on: Vec::new(),
                        });
                        out.len() - 1
                    }
                };
                for e in &s.required_on {
                    if !out[i].required_on.contains(e) {
                        out[i].required_on.push(e.clone());
                    }
                }
            }
        }
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
