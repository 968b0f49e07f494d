//! Conditions on a card field's value (`field_cond` of the model): parsed where they are
//! written (a stage's `ветка`/`отказ … если …`, its `для … доля … { … }`, a trigger's
//! `когда поле "…" <= 6`), resolved against the cards once every card is known: an unknown
//! field (E0084), a test that does not fit the field's type (E0085), a value the list does not
//! have (E0086). The segments of one stage may not take more than all its leads (E0087).

use super::*;
use crate::model::field_cond::{FieldCond, FieldSegment, FieldTest};

fn cmp_of(op: ast::CmpOp) -> Cmp {
    match op {
        ast::CmpOp::Ge => Cmp::Ge,
        ast::CmpOp::Le => Cmp::Le,
        ast::CmpOp::Gt => Cmp::Gt,
        ast::CmpOp::Lt => Cmp::Lt,
        ast::CmpOp::Eq => Cmp::Eq,
    }
}

fn type_words(kind: FieldType) -> Msg {
    let (ru, en) = kind.words();
    Msg::new(ru, en)
}

impl Lowerer {
    /// A `field_cond` (`"Рейсов в месяц" < 4`, `Клиент."Услуга" в ("A", "B")`), or the field
    /// and test of a trigger's `поле "…" <= 6` (`s` is then the `ev_field`).
    pub(super) fn field_cond(&mut self, s: &Stmt) -> Option<FieldCond> {
        if s.key != Rule::field_cond {
            return self.field_atom(s);
        }
        let mut atoms = s.children.iter().filter(|c| c.key == Rule::field_atom);
        let mut first = self.field_atom(atoms.next()?)?;
        for a in atoms {
            first.also.push(self.field_atom(a)?);
        }
        Some(first)
    }

    /// One field and its test.
    fn field_atom(&mut self, s: &Stmt) -> Option<FieldCond> {
        let (card, field) = match s.children.iter().find(|c| c.key == Rule::card_field_ref) {
            Some(c) => (c.name().cloned(), c.title()?.clone()),
            None => (None, strings(s).next()?.clone()),
        };
        if let Some(card) = &card {
            self.index.uses.push((Symbol::Card(card.text.clone()), card.span));
        }
        let t = s
            .children
            .iter()
            .find(|c| matches!(c.key, Rule::fc_compare | Rule::fc_list | Rule::fc_flag))?;
        let test = match t.key {
            Rule::fc_flag => FieldTest::Flag {
                value: matches!(t.keyword.as_str(), "да" | "yes"),
            },
            Rule::fc_list => FieldTest::OneOf {
                values: strings(t).map(|v| v.value.clone()).collect(),
            },
            _ => {
                let op = t.args.iter().find_map(|a| match a {
                    Arg::Cmp(op, _) => Some(cmp_of(*op)),
                    _ => None,
                })?;
                if let Some(v) = strings(t).next() {
                    if op != Cmp::Eq {
                        self.err(
                            Kind::CondTypeMismatch {
                                field: field.value.clone(),
                                kind: Msg::new("сравнение со строкой", "compared with a text"),
                                expected: Msg::new(
                                    "строку в условии пишут только после `=` (или в `в (…)`)",
                                    "a text in a condition goes after `=` only (or in `in (…)`)",
                                ),
                            },
                            t.span,
                        );
                        return None;
                    }
                    FieldTest::OneOf {
                        values: vec![v.value.clone()],
                    }
                } else {
                    let q = quantities(t).next()?;
                    if q.unit.is_some_and(|u| !units::is_money(u) && u != Unit::Pieces) {
                        self.err(
                            Kind::CondTypeMismatch {
                                field: field.value.clone(),
                                kind: Msg::new("число или деньги", "a number or money"),
                                expected: Msg::new(
                                    format!(
                                        "его сравнивают с числом без единиц или с суммой, а не с `{}`",
                                        q.text
                                    ),
                                    format!("it compares with a plain number or an amount, not `{}`", q.text),
                                ),
                            },
                            q.span,
                        );
                        return None;
                    }
                    FieldTest::Compare {
                        op,
                        value: self.finite(q)?,
                    }
                }
            }
        };
        Some(FieldCond {
            card: card.map(|c| c.text),
            field: field.value.clone(),
            test,
            kind: None,
            also: Vec::new(),
            field_span: field.span,
            value_span: t.span,
        })
    }

    /// `если …` of a `ветка`/`отказ`, when written.
    pub(super) fn route_cond(&mut self, a: &Stmt) -> Option<FieldCond> {
        let t = a.children.iter().find(|c| c.key == Rule::t_if)?;
        let c = t.children.iter().find(|c| c.key == Rule::field_cond)?;
        self.field_cond(c)
    }

    /// `для "Услуга" = "Имплантация" доля 25% { конверсия 35%; чек 180 000 ₽; срок 1 дн }`.
    pub(super) fn field_segment(&mut self, a: &Stmt, pipeline: &str, stage: &str) -> Option<FieldSegment> {
        let cond = a.children.iter().find(|c| c.key == Rule::field_cond)?;
        let condition = self.field_cond(cond)?;
        let share = self.probability(quantities(a).next()?)?;
        let mut seg = FieldSegment {
            pipeline: pipeline.to_string(),
            stage: stage.to_string(),
            condition,
            share,
            conversion: None,
            deal_size: None,
            deadline: None,
            deadline_days: None,
            description: self.description(&a.children),
            span: a.span,
        };
        for c in &a.children {
            let q = quantities(c).next();
            match c.key {
                Rule::field_cond | Rule::a_description => {}
                Rule::s_conversion => seg.conversion = q.and_then(|q| self.probability(q)),
                Rule::fs_deal_size => seg.deal_size = q.and_then(|q| self.money(q)),
                Rule::fs_deadline => {
                    if let Some(q) = q
                        && let Some(d) = self.days(q, None)
                    {
                        seg.deadline = Some(q.text.clone());
                        seg.deadline_days = Some(d);
                    }
                }
                other => outside_grammar(other),
            }
        }
        Some(seg)
    }

    /// The stage's conversion with its segments mixed in (E0087 when they take more than all
    /// the leads).
    pub(super) fn segmented_conversion(
        &mut self,
        written: Option<f64>,
        segments: &[FieldSegment],
    ) -> Option<f64> {
        if segments.is_empty() {
            return written;
        }
        let total: f64 = segments.iter().map(|g| g.share).sum();
        if total > 1.0 + 1e-9
            && let Some(last) = segments.last()
        {
            self.err(
                Kind::FieldSegmentsOverfull {
                    stage: last.stage.clone(),
                    total,
                },
                last.span,
            );
        }
        let c = written.unwrap_or(1.0);
        let pairs: Vec<(f64, Option<f64>)> = segments.iter().map(|g| (g.share, g.conversion)).collect();
        Some(crate::model::field_cond::effective_conversion(c, &pairs))
    }

    /// Resolves every condition against the cards: E0084, E0085, E0086; sets each one's card and
    /// type.
    pub(super) fn resolve_conditions(&mut self) {
        let mut conds = std::mem::take(&mut self.model.field_conds);
        for r in &mut conds.routes {
            self.resolve_all(&mut r.condition);
        }
        for g in &mut conds.segments {
            self.resolve_all(&mut g.condition);
        }
        self.model.field_conds = conds;
        let mut triggers = std::mem::take(&mut self.model.triggers);
        for t in &mut triggers {
            if let Some(TriggerEvent::Value { condition, .. }) = &mut t.event {
                self.resolve_all(condition);
            }
        }
        self.model.triggers = triggers;
    }

    /// Resolves a condition and the ones joined to it by `и`.
    fn resolve_all(&mut self, c: &mut FieldCond) {
        if let Some((card, kind)) = self.resolve_condition(c) {
            c.card = Some(card);
            c.kind = Some(kind);
        }
        for a in &mut c.also {
            self.resolve_all(a);
        }
    }

    fn resolve_condition(&mut self, c: &FieldCond) -> Option<(String, FieldType)> {
        let cards_written = !self.model.cards.is_empty();
        let hits: Vec<(usize, usize)> = self
            .model
            .cards
            .iter()
            .enumerate()
            .filter(|(_, k)| c.card.as_ref().is_none_or(|name| &k.name == name))
            .filter_map(|(ci, k)| k.fields.iter().position(|f| f.name == c.field).map(|fi| (ci, fi)))
            .collect();
        if let Some(card) = &c.card
            && !self.model.cards.iter().any(|k| &k.name == card)
        {
            let names: Vec<&str> = self.model.cards.iter().map(|k| k.name.as_str()).collect();
            let suggestion = suggest(card, names.into_iter());
            self.err(
                Kind::UnknownCardField {
                    card: card.clone(),
                    field: None,
                    suggestion,
                },
                c.field_span,
            );
            return None;
        }
        let (ci, fi) = match hits.as_slice() {
            [one] => *one,
            [] => {
                let names: Vec<&str> = c
                    .cards(&self.model.cards)
                    .flat_map(|k| k.fields.iter().map(|f| f.name.as_str()))
                    .collect();
                let suggestion = suggest(&c.field, names.into_iter());
                self.err(
                    Kind::UnknownCondField {
                        field: c.field.clone(),
                        card: c.card.clone(),
                        cards_written,
                        suggestion,
                    },
                    c.field_span,
                );
                return None;
            }
            many => {
                let cards = many
                    .iter()
                    .map(|(ci, _)| self.model.cards[*ci].name.clone())
                    .collect();
                self.err(
                    Kind::AmbiguousField {
                        field: c.field.clone(),
                        cards,
                    },
                    c.field_span,
                );
                return None;
            }
        };
        let card = &self.model.cards[ci];
        let f = &card.fields[fi];
        let (card_name, kind, options) = (card.name.clone(), f.kind, f.options.clone());
        self.index.uses.push((
            Symbol::CardField {
                card: card_name.clone(),
                field: c.field.clone(),
            },
            c.field_span,
        ));
        let mismatch = |expected: Msg| Kind::CondTypeMismatch {
            field: c.field.clone(),
            kind: type_words(kind),
            expected,
        };
        match &c.test {
            FieldTest::Compare { .. } if !matches!(kind, FieldType::Number | FieldType::Money) => {
                let expected = match kind {
                    FieldType::Choice | FieldType::MultiChoice => Msg::new(
                        "его значение выбирают, а не сравнивают: `= \"Значение\"` или `в (\"A\", \"B\")`",
                        "its value is picked, not compared: `= \"Value\"` or `in (\"A\", \"B\")`",
                    ),
                    FieldType::Flag => Msg::new(
                        "его проверяют словом `да` или `нет`",
                        "it is tested with `yes` or `no`",
                    ),
                    FieldType::Date | FieldType::DateTime => Msg::new(
                        "условие по дате — триггер `когда поле \"…\" за 3 дн`",
                        "a condition on a date is a trigger `when field \"…\" before 3 d`",
                    ),
                    _ => Msg::new(
                        "его нельзя сравнить с числом",
                        "it cannot be compared with a number",
                    ),
                };
                self.err(mismatch(expected), c.value_span);
                None
            }
            FieldTest::Flag { .. } if kind != FieldType::Flag => {
                self.err(
                    mismatch(Msg::new(
                        "`да`/`нет` проверяют только поле-флаг",
                        "`yes`/`no` test a flag field only",
                    )),
                    c.value_span,
                );
                None
            }
            FieldTest::OneOf { values } => {
                if !matches!(kind, FieldType::Choice | FieldType::MultiChoice | FieldType::Text) {
                    let expected = match kind {
                        FieldType::Number | FieldType::Money => Msg::new(
                            "его сравнивают с числом: `< 4`",
                            "it compares with a number: `< 4`",
                        ),
                        FieldType::Flag => Msg::new(
                            "его проверяют словом `да` или `нет`",
                            "it is tested with `yes` or `no`",
                        ),
                        _ => Msg::new("его не проверяют по значению", "it is not tested by value"),
                    };
                    self.err(mismatch(expected), c.value_span);
                    return None;
                }
                if kind.is_list() {
                    for v in values {
                        if !options.contains(v) {
                            let suggestion = suggest(v, options.iter().map(String::as_str));
                            let list: Vec<String> = options.iter().map(|o| format!("«{o}»")).collect();
                            self.err(
                                Kind::CondValueNotInList {
                                    field: c.field.clone(),
                                    value: v.clone(),
                                    options: list.join(", "),
                                    suggestion,
                                },
                                c.value_span,
                            );
                            return None;
                        }
                    }
                }
                Some((card_name, kind))
            }
            _ => Some((card_name, kind)),
        }
    }
}
