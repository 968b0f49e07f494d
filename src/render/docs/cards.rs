//! The client cards (`карточка`) as the documents show them: the «Карточка клиента» section of
//! the Положение (each field's type and the stages that fill it) and the typed fields of a
//! stage card. Reads the model's cards, where lowering resolved the stages.

use super::Views;
use crate::diag::Lang;
use crate::model::{Card, CardField};
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct CardView {
    pub(super) title: String,
    /// «сделка», «контакт», «компания».
    pub(super) entity: &'static str,
    /// The same in the genitive: «сделки».
    pub(super) entity_of: &'static str,
    pub(super) fields: Vec<CardFieldView>,
    /// Groups a card holds several of (`много`).
    pub(super) many: Vec<String>,
    pub(super) description: Option<String>,
}

#[derive(Serialize)]
pub(super) struct CardFieldView {
    /// «ЛПР: ФИО» for a field of a group.
    pub(super) name: String,
    pub(super) kind: String,
    /// The stages that fill it, by title.
    pub(super) stages: Vec<String>,
}

impl Views<'_> {
    pub(super) fn cards(&self) -> Vec<CardView> {
        self.model.cards.iter().map(|c| self.card(c)).collect()
    }

    fn card(&self, c: &Card) -> CardView {
        let (ru, en) = c.entity.words();
        let several = self.model.pipelines.len() > 1;
        CardView {
            title: c.title.clone().unwrap_or_else(|| c.name.clone()),
            entity: self.lang.pick(ru, en),
            entity_of: match c.entity {
                crate::model::CardEntity::Deal => "сделки",
                crate::model::CardEntity::Contact => "контакта",
                crate::model::CardEntity::Company => "компании",
            },
            fields: c
                .fields
                .iter()
                .map(|f| CardFieldView {
                    name: match &f.group {
                        Some(g) => format!("{g}: {}", f.name),
                        None => f.name.clone(),
                    },
                    kind: self.field_kind(f),
                    stages: f
                        .stages
                        .iter()
                        .map(|s| {
                            let t = self.stage_title(&s.pipeline, &s.stage);
                            if several {
                                format!("{t} ({})", self.pipeline_title(&s.pipeline))
                            } else {
                                t
                            }
                        })
                        .collect(),
                })
                .collect(),
            many: c
                .groups
                .iter()
                .filter(|g| g.many)
                .map(|g| g.name.clone())
                .collect(),
            description: c.description.clone(),
        }
    }

    fn field_kind(&self, f: &CardField) -> String {
        f.type_words(self.lang == Lang::Ru)
    }

    /// The fields a stage fills, each with its type when a card gives one: «Отрасль» — выбор
    /// из списка: Производство, Торговля. Empty when no card types any of them.
    pub(super) fn typed_stage_fields(&self, pipeline: &str, stage: &crate::model::Stage) -> Vec<String> {
        let typed = crate::model::stage_fields(&self.model.cards, pipeline, &stage.name);
        if typed.is_empty() {
            return Vec::new();
        }
        let (open, close) = match self.lang {
            Lang::Ru => ("«", "»"),
            Lang::En => ("\"", "\""),
        };
        stage
            .required_fields
            .iter()
            .map(|name| {
                let of: Vec<&CardField> = typed
                    .iter()
                    .filter(|(_, f)| &f.name == name || f.group.as_deref() == Some(name.as_str()))
                    .map(|(_, f)| *f)
                    .collect();
                match of.as_slice() {
                    [] => format!("{open}{name}{close}"),
                    [f] if &f.name == name => format!("{open}{name}{close} — {}", self.field_kind(f)),
                    group => {
                        let inner: Vec<String> = group
                            .iter()
                            .map(|f| format!("{} — {}", f.name, self.field_kind(f)))
                            .collect();
                        format!("{open}{name}{close}: {}", inner.join(", "))
                    }
                }
            })
            .collect()
    }
}
