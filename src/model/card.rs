//! Client cards (`карточка`): the typed fields a CRM record holds, and the stages that must
//! fill each. Lowering resolves the stages' `поля` against the cards and fills
//! [`CardField::stages`]; documents and CRM configurations read it from here.

use crate::source::Span;
use serde::{Deserialize, Serialize};

/// A card: the fields of one kind of CRM record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub name: String,
    pub title: Option<String>,
    pub entity: CardEntity,
    /// Every field in written order, those of groups included (each names its group).
    pub fields: Vec<CardField>,
    pub groups: Vec<CardGroup>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// The CRM record a card describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardEntity {
    #[default]
    Deal,
    Contact,
    Company,
}

impl CardEntity {
    /// In words (Russian, English): «сделка».
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            CardEntity::Deal => ("сделка", "deal"),
            CardEntity::Contact => ("контакт", "contact"),
            CardEntity::Company => ("компания", "company"),
        }
    }
}

/// A group of fields: `группа "ЛПР" много { … }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardGroup {
    pub name: String,
    /// `много`: a card holds several of them (one per person).
    pub many: bool,
    #[serde(skip)]
    pub span: Span,
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Number,
    Money,
    Date,
    DateTime,
    /// One value of [`CardField::options`].
    Choice,
    /// Several values of [`CardField::options`].
    MultiChoice,
    Phone,
    Email,
    Url,
    /// Yes or no.
    Flag,
}

impl FieldType {
    /// In words for documents (Russian, English).
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            FieldType::Text => ("текст", "text"),
            FieldType::Number => ("число", "number"),
            FieldType::Money => ("сумма денег", "money"),
            FieldType::Date => ("дата", "date"),
            FieldType::DateTime => ("дата и время", "date and time"),
            FieldType::Choice => ("выбор из списка", "one of a list"),
            FieldType::MultiChoice => ("несколько из списка", "several of a list"),
            FieldType::Phone => ("телефон", "phone"),
            FieldType::Email => ("эл. почта", "email"),
            FieldType::Url => ("ссылка", "link"),
            FieldType::Flag => ("да/нет", "yes/no"),
        }
    }

    /// Whether the field picks from a list of options.
    pub fn is_list(self) -> bool {
        matches!(self, FieldType::Choice | FieldType::MultiChoice)
    }
}

/// A stage that fills a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldStage {
    pub pipeline: String,
    pub stage: String,
}

/// One typed field of a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardField {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// The values of a list field, in written order.
    pub options: Vec<String>,
    /// `обязательное`: filled from the first stage of every pipeline on.
    pub required: bool,
    /// The group it belongs to, if any.
    pub group: Option<String>,
    /// The stages that must fill it (their `поля` name it or its group), in model order.
    pub stages: Vec<FieldStage>,
    #[serde(skip)]
    pub span: Span,
}

impl CardField {
    /// The type with its options, for documents: «выбор из списка: Производство, Торговля».
    pub fn type_words(&self, ru: bool) -> String {
        let (r, e) = self.kind.words();
        let base = if ru { r } else { e };
        if self.options.is_empty() {
            base.to_string()
        } else {
            format!("{base}: {}", self.options.join(", "))
        }
    }
}

impl Card {
    pub fn group(&self, name: &str) -> Option<&CardGroup> {
        self.groups.iter().find(|g| g.name == name)
    }
}

/// The card fields a stage fills, with their cards, in card order.
pub fn stage_fields<'a>(cards: &'a [Card], pipeline: &str, stage: &str) -> Vec<(&'a Card, &'a CardField)> {
    cards
        .iter()
        .flat_map(|c| c.fields.iter().map(move |f| (c, f)))
        .filter(|(_, f)| {
            f.stages
                .iter()
                .any(|s| s.pipeline == pipeline && s.stage == stage)
        })
        .collect()
}
