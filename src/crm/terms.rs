//! The discount approval matrix of `условия` in the CRM: two deal fields («Скидка, %», a
//! number, and «Скидку согласовал», text) created with the account's other fields, and the
//! note in the README on the automation the APIs cannot create (a deal whose discount is above
//! a role's band waits for the approver's mark).

use super::fields::{FieldKind, FieldSetup};
use crate::diag::Lang;
use crate::model::Model;
use crate::render::format;

/// The discount fields, when some `условия` has an approval matrix.
pub fn fields(model: &Model, lang: Lang) -> Vec<FieldSetup> {
    if !model.terms.iter().any(|t| !t.approval_bands().is_empty()) {
        return Vec::new();
    }
    vec![
        FieldSetup {
            name: lang.pick("Скидка, %", "Discount, %").to_string(),
            kind: FieldKind::Number,
            required_on: Vec::new(),
            entity: crate::model::CardEntity::Deal,
            options: Vec::new(),
            card: None,
            group: None,
            always: false,
        },
        FieldSetup {
            name: lang.pick("Скидку согласовал", "Discount approved by").to_string(),
            kind: FieldKind::Text,
            required_on: Vec::new(),
            entity: crate::model::CardEntity::Deal,
            options: Vec::new(),
            card: None,
            group: None,
            always: false,
        },
    ]
}

/// One line per band of the matrix: `до 5 % — Менеджер по продажам`, for the README.
pub fn approval_lines(model: &Model, lang: Lang) -> Vec<String> {
    let title = |name: &str| {
        model
            .role(name)
            .and_then(|r| r.title.clone())
            .unwrap_or_else(|| name.to_string())
    };
    let p = |x: f64| format::percent(x, lang);
    model
        .terms
        .iter()
        .flat_map(|t| t.approval_bands())
        .map(|d| {
            let i = &d.range;
            let range = match i.high {
                None => format!("{} {}", lang.pick("свыше", "above"), p(i.low)),
                Some(h) if i.low == 0.0 => format!("{} {}", lang.pick("до", "up to"), p(h)),
                Some(h) => format!("{}–{}", p(i.low), p(h)),
            };
            let who = d.approver.as_deref().map(title).unwrap_or_default();
            match &d.condition {
                Some(c) => format!("{range} — {who} ({c})"),
                None => format!("{range} — {who}"),
            }
        })
        .collect()
}
