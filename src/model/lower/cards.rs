//! Client cards (`карточка`) and the stages' `поля` that name their fields: typed fields,
//! groups, the stages that fill each field (E0049 unknown, E0061 ambiguous), repeated names
//! (E0059) and list values (E0060); a field no stage fills (W0039) and a stage field no card
//! types while the file has cards (W0040).

use super::*;

/// A field named in a stage's `поля`, resolved once every card is known.
pub(super) struct FieldUse {
    pub pipeline: usize,
    pub stage: usize,
    /// `Клиент` in `Клиент."Отрасль"`.
    pub card: Option<ast::Ident>,
    pub name: ast::Text,
}

fn field_type(rule: Rule) -> FieldType {
    match rule {
        Rule::kw_ft_number => FieldType::Number,
        Rule::kw_ft_money => FieldType::Money,
        Rule::kw_ft_date => FieldType::Date,
        Rule::kw_ft_datetime => FieldType::DateTime,
        Rule::kw_ft_phone => FieldType::Phone,
        Rule::kw_ft_email => FieldType::Email,
        Rule::kw_ft_url => FieldType::Url,
        Rule::kw_ft_flag => FieldType::Flag,
        _ => FieldType::Text,
    }
}

/// The names of a stage's `поля` in written order, and the qualified ones' cards.
pub(super) fn field_refs(s: &Stmt) -> Vec<(Option<ast::Ident>, ast::Text)> {
    let mut out: Vec<(Option<ast::Ident>, ast::Text)> = strings(s).map(|t| (None, t.clone())).collect();
    for c in s.children.iter().filter(|c| c.key == Rule::card_field_ref) {
        if let (Some(card), Some(name)) = (c.name(), c.title()) {
            out.push((Some(card.clone()), name.clone()));
        }
    }
    out.sort_by_key(|(card, t)| card.as_ref().map_or(t.span.start, |c| c.span.start));
    out
}

impl Lowerer {
    pub(super) fn card(&mut self, item: &Stmt) {
        let name = first_ident(item).map(|i| i.text.clone()).unwrap_or_default();
        let mut card = Card {
            name: name.clone(),
            title: text_of(item),
            entity: match word(item) {
                Some(Rule::kw_contact_entity) => CardEntity::Contact,
                Some(Rule::kw_company_entity) => CardEntity::Company,
                _ => CardEntity::Deal,
            },
            fields: Vec::new(),
            groups: Vec::new(),
            description: self.description(&item.children),
            span: item.span,
        };
        let mut seen: HashMap<String, Span> = HashMap::new();
        for s in &item.children {
            match s.key {
                Rule::cd_field => self.card_field(&mut card, s, None, &mut seen),
                Rule::cd_group => {
                    let Some(title) = s.title() else { continue };
                    if self.card_name(&card.name, title, &mut seen) {
                        card.groups.push(CardGroup {
                            name: title.value.clone(),
                            many: s.args.iter().any(|a| matches!(a, Arg::Word(Rule::kw_many, _))),
                            span: s.span,
                        });
                    }
                    for f in &s.children {
                        match f.key {
                            Rule::cd_field => self.card_field(&mut card, f, Some(&title.value), &mut seen),
                            other => outside_grammar(other),
                        }
                    }
                }
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.cards.push(card);
    }

    /// Whether a field or group name is new in its card (E0059 when not).
    fn card_name(&mut self, card: &str, name: &ast::Text, seen: &mut HashMap<String, Span>) -> bool {
        if let Some(&first) = seen.get(&name.value) {
            self.diags.push(
                Diagnostic::new(
                    Kind::DuplicateCardField {
                        card: card.to_string(),
                        field: name.value.clone(),
                    },
                    name.span,
                )
                .with_label(first, Msg::new("впервые определено здесь", "first defined here")),
            );
            return false;
        }
        seen.insert(name.value.clone(), name.span);
        self.index.definitions.push((
            Symbol::CardField {
                card: card.to_string(),
                field: name.value.clone(),
            },
            name.span,
        ));
        true
    }

    fn card_field(
        &mut self,
        card: &mut Card,
        s: &Stmt,
        group: Option<&str>,
        seen: &mut HashMap<String, Span>,
    ) {
        let Some(name) = s.title() else { return };
        let mut kind = FieldType::Text;
        let mut options = Vec::new();
        for a in &s.args {
            if let Arg::Word(r, _) = a
                && *r != Rule::kw_required
            {
                kind = field_type(*r);
            }
        }
        for list in &s.children {
            kind = match list.key {
                Rule::ft_choice => FieldType::Choice,
                Rule::ft_multi => FieldType::MultiChoice,
                other => {
                    outside_grammar(other);
                    continue;
                }
            };
            for o in strings(list) {
                let empty = o.value.trim().is_empty();
                if empty || options.contains(&o.value) {
                    self.err(
                        Kind::BadFieldOption {
                            field: name.value.clone(),
                            option: o.value.clone(),
                            empty,
                        },
                        o.span,
                    );
                } else {
                    options.push(o.value.clone());
                }
            }
        }
        if !self.card_name(&card.name, name, seen) {
            return;
        }
        card.fields.push(CardField {
            name: name.value.clone(),
            kind,
            options,
            required: s
                .args
                .iter()
                .any(|a| matches!(a, Arg::Word(Rule::kw_required, _))),
            group: group.map(str::to_string),
            stages: Vec::new(),
            span: name.span,
        });
    }

    /// Resolves the stages' `поля` against the cards, once every card is known; adds the
    /// `обязательное` fields to the first stage of every pipeline; reports fields no stage fills.
    pub(super) fn resolve_fields(&mut self) {
        let cards_written = !self.model.cards.is_empty();
        for u in std::mem::take(&mut self.field_uses) {
            let Some(stage) = self
                .model
                .pipelines
                .get(u.pipeline)
                .and_then(|p| p.stages.get(u.stage))
                .map(|s| FieldStage {
                    pipeline: self.model.pipelines[u.pipeline].name.clone(),
                    stage: s.name.clone(),
                })
            else {
                continue;
            };
            // (card index, Some(field index) or None for a group)
            let found: Vec<(usize, Option<usize>)> = match &u.card {
                Some(card) => {
                    let Some(ci) = self.model.cards.iter().position(|c| c.name == card.text) else {
                        let names: Vec<&str> = self.model.cards.iter().map(|c| c.name.as_str()).collect();
                        let suggestion = suggest(&card.text, names.into_iter());
                        self.err(
                            Kind::UnknownCardField {
                                card: card.text.clone(),
                                field: None,
                                suggestion,
                            },
                            card.span,
                        );
                        continue;
                    };
                    self.index.uses.push((Symbol::Card(card.text.clone()), card.span));
                    let hits = matches_in(&self.model.cards[ci], ci, &u.name.value);
                    if hits.is_empty() {
                        let c = &self.model.cards[ci];
                        let names = c
                            .fields
                            .iter()
                            .map(|f| f.name.as_str())
                            .chain(c.groups.iter().map(|g| g.name.as_str()));
                        let suggestion = suggest(&u.name.value, names);
                        self.err(
                            Kind::UnknownCardField {
                                card: card.text.clone(),
                                field: Some(u.name.value.clone()),
                                suggestion,
                            },
                            u.name.span,
                        );
                        continue;
                    }
                    hits
                }
                None => {
                    let hits: Vec<(usize, Option<usize>)> = self
                        .model
                        .cards
                        .iter()
                        .enumerate()
                        .flat_map(|(ci, c)| matches_in(c, ci, &u.name.value))
                        .collect();
                    let cards: Vec<String> = {
                        let mut v: Vec<String> = hits
                            .iter()
                            .map(|(ci, _)| self.model.cards[*ci].name.clone())
                            .collect();
                        v.dedup();
                        v
                    };
                    if cards.len() > 1 {
                        self.err(
                            Kind::AmbiguousField {
                                field: u.name.value.clone(),
                                cards,
                            },
                            u.name.span,
                        );
                        continue;
                    }
                    // Only a likely typo: a name close to a card's field. Other untyped
                    // names are the stage's own, as before cards existed.
                    if hits.is_empty() && cards_written {
                        let all: Vec<&str> = self
                            .model
                            .cards
                            .iter()
                            .flat_map(|c| {
                                c.fields
                                    .iter()
                                    .map(|f| f.name.as_str())
                                    .chain(c.groups.iter().map(|g| g.name.as_str()))
                            })
                            .collect();
                        if let Some(suggestion) = suggest(&u.name.value, all.into_iter()) {
                            self.diags.push(Diagnostic::new(
                                Kind::FieldNotInCard {
                                    field: u.name.value.clone(),
                                    suggestion: Some(suggestion),
                                },
                                u.name.span,
                            ));
                        }
                    }
                    hits
                }
            };
            for (ci, fi) in found {
                let card = &mut self.model.cards[ci];
                let indices: Vec<usize> = match fi {
                    Some(fi) => vec![fi],
                    None => (0..card.fields.len())
                        .filter(|&i| card.fields[i].group.as_deref() == Some(u.name.value.as_str()))
                        .collect(),
                };
                if let Some(fi) = fi {
                    let symbol = Symbol::CardField {
                        card: card.name.clone(),
                        field: card.fields[fi].name.clone(),
                    };
                    self.index.uses.push((symbol, u.name.span));
                } else {
                    let symbol = Symbol::CardField {
                        card: card.name.clone(),
                        field: u.name.value.clone(),
                    };
                    self.index.uses.push((symbol, u.name.span));
                }
                for i in indices {
                    if !card.fields[i].stages.contains(&stage) {
                        card.fields[i].stages.push(stage.clone());
                    }
                }
            }
        }
        self.required_fields_first();
        for card in &self.model.cards {
            for f in card.fields.iter().filter(|f| f.stages.is_empty()) {
                self.diags.push(Diagnostic::new(
                    Kind::FieldNeverFilled {
                        card: card.name.clone(),
                        field: f.name.clone(),
                    },
                    f.span,
                ));
            }
        }
    }

    /// `обязательное`: the field is filled at the first stage of every pipeline, and that
    /// stage's `поля` list it (after the written ones).
    fn required_fields_first(&mut self) {
        let required: Vec<(usize, usize)> = self
            .model
            .cards
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| {
                c.fields
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.required)
                    .map(move |(fi, _)| (ci, fi))
            })
            .collect();
        for (ci, fi) in required {
            for p in &mut self.model.pipelines {
                let Some(first) = p.stages.first_mut() else {
                    continue;
                };
                let field = &mut self.model.cards[ci].fields[fi];
                let at = FieldStage {
                    pipeline: p.name.clone(),
                    stage: first.name.clone(),
                };
                if !field.stages.contains(&at) {
                    field.stages.push(at);
                }
                if !first.required_fields.contains(&field.name) {
                    first.required_fields.push(field.name.clone());
                }
            }
        }
    }
}

/// The fields (or the group: `None`) of `card` named `name`.
fn matches_in(card: &Card, ci: usize, name: &str) -> Vec<(usize, Option<usize>)> {
    if card.group(name).is_some() {
        return vec![(ci, None)];
    }
    card.fields
        .iter()
        .position(|f| f.name == name)
        .map(|fi| vec![(ci, Some(fi))])
        .unwrap_or_default()
}
