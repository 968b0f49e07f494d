//! Conditions on the value of a card field (`если "Рейсов в месяц" < 4`): the way out a stage
//! routes by a field (`ветка`/`отказ … если …`), a share of a stage's leads picked by a field
//! with figures of their own (`для "Услуга" = "Имплантация" доля 25% { … }`), and a trigger on
//! a field's value (`когда поле "Оценка" <= 6 доля 10%`).
//!
//! A routing condition does not change the forecast: the written share stays the estimate of
//! how many deals meet it. A segment does: the stage's conversion is the share-weighted mixture
//! of the segments' and the rest's ([`effective_conversion`], the transitions are built from
//! it once, in lowering), and a segment's `чек` moves its pipeline's mean deal size by
//! [`deal_size_factor`] — the one value the analysis and the forecast both read.

use super::{Cmp, FieldType, Model};
use crate::locale::{self, Lang};
use crate::source::Span;
use serde::{Deserialize, Serialize};

/// Everything in a regulation that depends on a field's value, except triggers (those carry
/// their condition in [`super::TriggerEvent::Field`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldConds {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<FieldRoute>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<FieldSegment>,
}

impl FieldConds {
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty() && self.segments.is_empty()
    }
}

/// `"Рейсов в месяц" < 4`: a field (of a card when qualified) and the test of its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldCond {
    /// The card, when written `Клиент."…"` or found by the field's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<String>,
    pub field: String,
    pub test: FieldTest,
    /// The type of the card field, once resolved (none when the file has no such field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<FieldType>,
    /// `… и "Образование" = "Нет"`: further conditions that must hold as well.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<FieldCond>,
    #[serde(skip)]
    pub field_span: Span,
    #[serde(skip)]
    pub value_span: Span,
}

/// What the value of the field must be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "test", rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldTest {
    /// `< 4`, `>= 100 000 ₽`: a number or an amount.
    Compare { op: Cmp, value: f64 },
    /// `= "Нет"`, `в ("A", "B")`: one of the values of a list (or a text equal to one).
    OneOf { values: Vec<String> },
    /// `да` / `нет`: a yes/no field.
    Flag { value: bool },
}

impl FieldCond {
    /// ««Рейсов в месяц» меньше 4», ««Услуга» — «Имплантация» или «Ортодонтия»».
    pub fn words(&self, lang: Lang) -> String {
        let mut text = self.one_words(lang);
        for c in &self.also {
            text.push_str(lang.pick(" и ", " and "));
            text.push_str(&c.one_words(lang));
        }
        text
    }

    /// This condition alone, without `also`.
    fn one_words(&self, lang: Lang) -> String {
        let field = match lang {
            Lang::Ru => format!("«{}»", self.field),
            Lang::En => format!("\"{}\"", self.field),
        };
        match &self.test {
            FieldTest::Compare { op, value } => {
                let money = self.kind == Some(FieldType::Money);
                let v = locale::number(*value, 2, lang);
                let v = if money {
                    format!("{v} {}", lang.pick("₽", "RUB"))
                } else {
                    v
                };
                let op = match (op, lang) {
                    (Cmp::Lt, Lang::Ru) => "меньше",
                    (Cmp::Le, Lang::Ru) => "не больше",
                    (Cmp::Gt, Lang::Ru) => "больше",
                    (Cmp::Ge, Lang::Ru) => "не меньше",
                    (Cmp::Eq, Lang::Ru) => "равно",
                    (Cmp::Lt, Lang::En) => "is below",
                    (Cmp::Le, Lang::En) => "is at most",
                    (Cmp::Gt, Lang::En) => "is above",
                    (Cmp::Ge, Lang::En) => "is at least",
                    (Cmp::Eq, Lang::En) => "is",
                };
                format!("{field} {op} {v}")
            }
            FieldTest::OneOf { values } => {
                let quoted: Vec<String> = values
                    .iter()
                    .map(|v| match lang {
                        Lang::Ru => format!("«{v}»"),
                        Lang::En => format!("\"{v}\""),
                    })
                    .collect();
                let list = quoted.join(lang.pick(" или ", " or "));
                match lang {
                    Lang::Ru => format!("{field} — {list}"),
                    Lang::En => format!("{field} is {list}"),
                }
            }
            FieldTest::Flag { value } => match (lang, value) {
                (Lang::Ru, true) => format!("отмечено {field}"),
                (Lang::Ru, false) => format!("не отмечено {field}"),
                (Lang::En, true) => format!("{field} is checked"),
                (Lang::En, false) => format!("{field} is not checked"),
            },
        }
    }

    /// The cards the condition looks in: its own (`Клиент."…"`), else every card.
    pub fn cards<'a>(&'a self, cards: &'a [super::Card]) -> impl Iterator<Item = &'a super::Card> {
        cards
            .iter()
            .filter(|k| self.card.as_ref().is_none_or(|name| &k.name == name))
    }

    /// The card fields the condition tests: of its name, in the cards it looks in.
    pub fn card_fields<'a>(&'a self, cards: &'a [super::Card]) -> impl Iterator<Item = &'a super::CardField> {
        self.cards(cards)
            .flat_map(|k| &k.fields)
            .filter(|f| f.name == self.field)
    }

    /// Whether the test can hold for some value of the field (a number field is never
    /// negative: `< 0` cannot hold).
    pub fn satisfiable(&self) -> bool {
        self.also.iter().all(FieldCond::satisfiable) && self.one_satisfiable()
    }

    fn one_satisfiable(&self) -> bool {
        match &self.test {
            FieldTest::Compare { op, value } => match op {
                Cmp::Lt => *value > 0.0,
                Cmp::Le | Cmp::Eq => *value >= 0.0,
                Cmp::Gt | Cmp::Ge => value.is_finite(),
            },
            FieldTest::OneOf { values } => !values.is_empty(),
            FieldTest::Flag { .. } => true,
        }
    }

    /// The same test of the same field (two segments that pick the same leads).
    pub fn same_as(&self, other: &FieldCond) -> bool {
        let norm = |t: &FieldTest| match t {
            FieldTest::OneOf { values } => {
                let mut v = values.clone();
                v.sort();
                FieldTest::OneOf { values: v }
            }
            t => t.clone(),
        };
        self.field == other.field
            && self.card == other.card
            && norm(&self.test) == norm(&other.test)
            && self.also.len() == other.also.len()
            && self.also.iter().zip(&other.also).all(|(a, b)| a.same_as(b))
    }
}

/// A way out of a stage taken by the deals whose field meets the condition:
/// `ветка 30% -> Разовые если "Рейсов в месяц" < 4`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRoute {
    pub pipeline: String,
    pub stage: String,
    /// The index of the way out in the stage's `transitions`.
    pub transition: usize,
    /// The written share (of the successes for `ветка`, of the failures for `отказ`).
    pub share: Option<f64>,
    /// `отказ` (true) or `ветка` (false).
    pub failure: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub condition: FieldCond,
    #[serde(skip)]
    pub span: Span,
}

/// `для "Услуга" = "Имплантация" доля 25% { конверсия 35%; чек 180 000 ₽; срок 1 дн }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSegment {
    pub pipeline: String,
    pub stage: String,
    pub condition: FieldCond,
    /// The share of the stage's leads the condition picks.
    pub share: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_size: Option<f64>,
    /// `срок 1 дн` as written and in working days: the latest the work with these leads is done,
    /// counted from the stage entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// The stage's conversion as the mixture of its segments and the rest: with written
/// conversion c, segment shares s_i and conversions c_i (c when not given),
/// (1 − Σ s_i)·c + Σ s_i·c_i. The shares are clamped so they add up to at most 1.
pub fn effective_conversion(written: f64, segments: &[(f64, Option<f64>)]) -> f64 {
    let mut left = 1.0;
    let mut total = 0.0;
    for &(share, conv) in segments {
        let s = share.clamp(0.0, left);
        left -= s;
        total += s * conv.unwrap_or(written);
    }
    total + left * written
}

/// The conversion of a stage with segments among the deals its chain reaches (the written
/// `конверсия` mixed with its segments'); `None` for a stage without segments.
pub fn reached_conversion(model: &Model, pipeline: &str, stage: &super::Stage) -> Option<f64> {
    let pairs: Vec<(f64, Option<f64>)> = model
        .field_conds
        .segments
        .iter()
        .filter(|g| g.pipeline == pipeline && g.stage == stage.name)
        .map(|g| (g.share, g.conversion))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    Some(effective_conversion(stage.conversion?, &pairs))
}

/// The factor a pipeline's mean deal size is multiplied by for the segments with their own
/// `чек`: at a stage with effective conversion c_eff, the deals a segment wins are the share
/// w_i = s_i·c_i / c_eff of the stage's successes; the mean amount is then
/// (1 − Σ w_i)·K + Σ w_i·k_i for the pipeline's mean K. Stages with such segments multiply
/// (each moves the mix of the deals that pass it). 1 when no segment has a `чек`.
pub fn deal_size_factor(model: &Model, pipeline: usize) -> f64 {
    let Some(p) = model.pipelines.get(pipeline) else {
        return 1.0;
    };
    let Some(mean) = p.deal_size.as_ref().map(super::Distribution::mean) else {
        return 1.0;
    };
    if !(mean.is_finite() && mean > 0.0) {
        return 1.0;
    }
    let mut factor = 1.0;
    for s in &p.stages {
        let segs: Vec<&FieldSegment> = model
            .field_conds
            .segments
            .iter()
            .filter(|g| g.pipeline == p.name && g.stage == s.name)
            .collect();
        if !segs.iter().any(|g| g.deal_size.is_some()) {
            continue;
        }
        let c = s.conversion.unwrap_or(1.0);
        let pairs: Vec<(f64, Option<f64>)> = segs.iter().map(|g| (g.share, g.conversion)).collect();
        let eff = effective_conversion(c, &pairs);
        if eff <= 0.0 {
            continue;
        }
        let mut left = 1.0;
        let mut amount = 0.0;
        let mut won_share = 0.0;
        for g in &segs {
            let share = g.share.clamp(0.0, left);
            left -= share;
            let w = share * g.conversion.unwrap_or(c) / eff;
            won_share += w;
            amount += w * g.deal_size.unwrap_or(mean);
        }
        amount += (1.0 - won_share).max(0.0) * mean;
        if amount.is_finite() && amount > 0.0 {
            factor *= amount / mean;
        }
    }
    factor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mixture_weighs_the_segments_by_their_share() {
        // 25 % at 35 %, the rest at 20 %: 0.25·0.35 + 0.75·0.2 = 0.2375.
        let c = effective_conversion(0.2, &[(0.25, Some(0.35))]);
        assert!((c - 0.2375).abs() < 1e-12);
        // A segment without its own conversion keeps the written one.
        assert!((effective_conversion(0.2, &[(0.4, None)]) - 0.2).abs() < 1e-12);
        // Shares over 100 % are clamped: the second segment gets what is left.
        let c = effective_conversion(0.2, &[(0.8, Some(0.5)), (0.5, Some(0.1))]);
        assert!((c - (0.8 * 0.5 + 0.2 * 0.1)).abs() < 1e-12);
    }

    #[test]
    fn a_condition_below_zero_is_never_true() {
        let cond = |op, value| FieldCond {
            card: None,
            field: "Рейсов".into(),
            test: FieldTest::Compare { op, value },
            kind: Some(FieldType::Number),
            also: Vec::new(),
            field_span: Span::default(),
            value_span: Span::default(),
        };
        assert!(!cond(Cmp::Lt, 0.0).satisfiable());
        assert!(!cond(Cmp::Le, -1.0).satisfiable());
        assert!(cond(Cmp::Lt, 4.0).satisfiable());
        assert!(cond(Cmp::Ge, 0.0).satisfiable());
        assert_eq!(cond(Cmp::Lt, 4.0).words(Lang::Ru), "«Рейсов» меньше 4");
    }
}
