//! Triggers (`триггер`) and cadences (`частота 3 раза в нед`). Triggers are lowered after every
//! other item, so the stages, KPIs and meetings they name are known whatever the order of the
//! file: a stage event's default role is the stage's owner, and the checks against the stage's
//! `лимит` and `длительность` (W0041, W0042) and the KPI's `цвета` (E0063) read the model.

use super::*;

impl Lowerer {
    /// `частота еженедельно` or `частота 3 раза в нед "условие"`: the period, the cadence and the
    /// condition in words.
    pub(super) fn frequency(&mut self, s: &Stmt) -> (Option<Period>, Option<Cadence>, Option<String>) {
        let condition = text_of(s);
        let Some(c) = s.children.iter().find(|c| c.key == Rule::cadence) else {
            return (word(s).and_then(period_of), None, condition);
        };
        let span = c.children.iter().find(|x| x.key == Rule::cadence_span);
        let per = match span.and_then(|s| quantities(s).next()) {
            Some(q) => match q.unit {
                Some(Unit::Days) => Some(Period::Day),
                Some(Unit::Weeks) => Some(Period::Week),
                Some(Unit::Months) => Some(Period::Month),
                Some(Unit::Quarters) => Some(Period::Quarter),
                Some(Unit::Years) => Some(Period::Year),
                _ => {
                    self.err(Kind::BadCadence { text: q.text.clone() }, q.span);
                    None
                }
            },
            None => word(c).and_then(period_of),
        };
        let times = match quantities(c).next() {
            None => Some(1.0),
            Some(q) => match self.finite(q) {
                Some(v) if v > 0.0 && q.unit.is_none() => Some(v),
                Some(_) => {
                    self.err(Kind::BadCadence { text: q.text.clone() }, q.span);
                    None
                }
                None => None,
            },
        };
        // `раз в 2 нед`: a period of several weeks (a whole number from 1).
        let every = match span.and_then(|s| quantities(s).next()) {
            None => Some(1.0),
            Some(q) if q.value >= 1.0 && q.value.fract() == 0.0 && q.value <= 1000.0 => Some(q.value),
            Some(q) => {
                self.err(Kind::BadCadence { text: q.text.clone() }, q.span);
                None
            }
        };
        let cadence = per
            .zip(times)
            .zip(every)
            .map(|((per, times), every)| Cadence { times, per, every });
        (per, cadence, condition)
    }

    pub(super) fn trigger(&mut self, item: &Stmt) {
        let label = first_ident(item)
            .map(|i| format!("`{}`", i.text))
            .or_else(|| item.title().map(|t| format!("«{}»", t.value)))
            .unwrap_or_default();
        let mut t = Trigger {
            name: first_ident(item).map(|i| i.text.clone()),
            title: text_of(item),
            event: None,
            actions: Vec::new(),
            owner: None,
            pipeline: None,
            timing: Default::default(),
            description: self.description(&item.children),
            span: item.span,
        };
        let (mut has_when, mut has_action) = (false, false);
        for s in &item.children {
            match s.key {
                Rule::tg_when => {
                    has_when = true;
                    t.event = s.children.first().and_then(|e| self.trigger_event(e));
                    if let Some(e) = s.children.first().filter(|e| e.key == Rule::ev_field) {
                        t.timing = self.field_timing(e);
                    }
                }
                Rule::tg_action => {
                    has_action = true;
                    if let Some(a) = s.children.first().and_then(|a| self.trigger_action(a)) {
                        t.actions.push(a);
                    }
                }
                Rule::tg_owner => t.owner = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::tg_pipeline => {
                    t.pipeline = first_ident(s).map(|i| self.reference(NameSpace::Pipeline, i))
                }
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        for (present, ru, en) in [(has_when, "когда", "when"), (has_action, "действие", "action")]
        {
            if !present {
                let missing = Msg::new(ru, en);
                self.err(
                    Kind::TriggerIncomplete {
                        trigger: label.clone(),
                        missing,
                    },
                    item.head,
                );
            }
        }
        self.client_checks(&mut t, item);
        if t.owner.is_none()
            && let Some((p, st)) = t.stage()
        {
            t.owner = self
                .model
                .pipeline(p)
                .and_then(|p| p.stages.iter().find(|s| s.name == st))
                .and_then(|s| s.owner.clone());
        }
        let works = t
            .actions
            .iter()
            .any(|a| matches!(a, TriggerAction::Contact { .. }));
        if works && t.owner.is_none() && (t.event.is_some() || !has_when) {
            self.err(Kind::TriggerWithoutRole { trigger: label }, item.head);
        }
        self.model.triggers.push(t);
    }

    /// The stage a stage event names; a pipeline stands for its first stage on `вход`.
    fn trigger_stage(&mut self, e: &Stmt, entry: bool) -> Option<(String, String)> {
        let path = e.args.iter().find_map(|a| match a {
            Arg::Path(p) => Some(p.clone()),
            _ => None,
        })?;
        match self.scope(&path, None)? {
            Scope::Stage { pipeline, stage } => Some((pipeline, stage)),
            Scope::Pipeline { pipeline } => {
                let first = self.stage_names(&pipeline).and_then(|s| s.first().cloned());
                match first {
                    Some(stage) if entry => Some((pipeline, stage)),
                    first => {
                        let suggestion = first.map(|s| format!("{pipeline}.{s}"));
                        self.err(
                            Kind::Undefined {
                                entity: Entity::Stage,
                                name: path.display(),
                                suggestion,
                            },
                            path.span,
                        );
                        None
                    }
                }
            }
        }
    }

    fn trigger_event(&mut self, e: &Stmt) -> Option<TriggerEvent> {
        match e.key {
            Rule::ev_enter => {
                let (pipeline, stage) = self.trigger_stage(e, true)?;
                Some(TriggerEvent::Enter { pipeline, stage })
            }
            Rule::ev_leave => {
                let (pipeline, stage) = self.trigger_stage(e, false)?;
                let outcome = e.children.iter().find_map(|c| match c.key {
                    Rule::ev_won => Some(crate::model::ExitOutcome::Success),
                    Rule::ev_lost => Some(crate::model::ExitOutcome::Failure),
                    _ => None,
                });
                Some(TriggerEvent::Exit {
                    pipeline,
                    stage,
                    outcome,
                })
            }
            Rule::ev_stay => {
                let at = self.trigger_stage(e, false);
                let q = quantities(e).next()?;
                let days = self.days(q, Some(Unit::Days))?;
                let (pipeline, stage) = at?;
                self.stay_checks(&pipeline, &stage, days, q);
                Some(TriggerEvent::Stay {
                    pipeline,
                    stage,
                    days,
                })
            }
            Rule::ev_field
                if e.children
                    .iter()
                    .any(|c| matches!(c.key, Rule::fc_compare | Rule::fc_list | Rule::fc_flag)) =>
            {
                let condition = self.field_cond(e)?;
                let share = match e.children.iter().find(|c| c.key == Rule::ev_share) {
                    Some(s) => Some(self.probability(quantities(s).next()?)?),
                    None => None,
                };
                Some(TriggerEvent::Value { condition, share })
            }
            Rule::ev_field => {
                let field = strings(e).next()?.value.clone();
                // `за 24 ч` before a date is clock time (a visit at 10:00 is reminded of at
                // 10:00 the day before), not working hours.
                let before_days = match quantities(e).next() {
                    Some(q) if matches!(q.unit, Some(Unit::Hours | Unit::Minutes)) => {
                        self.minutes(q)? / (24.0 * 60.0)
                    }
                    Some(q) => self.days(q, Some(Unit::Days))?,
                    // `накануне 18:00`: the day before.
                    None if e.children.iter().any(|c| c.key == Rule::ev_day_before) => 1.0,
                    None => 0.0,
                };
                Some(TriggerEvent::Field { field, before_days })
            }
            Rule::ev_kpi => {
                let ident = first_ident(e)?;
                let kpi = self.reference(NameSpace::Kpi, ident);
                let (rule, span) = e.args.iter().find_map(|a| match a {
                    Arg::Word(r, s) => Some((*r, *s)),
                    _ => None,
                })?;
                let colour = match rule {
                    Rule::kw_red => Colour::Red,
                    Rule::kw_yellow => Colour::Yellow,
                    _ => Colour::Green,
                };
                if let Some(k) = self.model.kpis.iter().find(|k| k.name == kpi)
                    && !self.model.kpi_colours(k).iter().any(|b| b.colour == colour)
                {
                    let has_colours = !self.model.kpi_colours(k).is_empty();
                    let colour = Msg::new(
                        colour.word(crate::locale::Lang::Ru),
                        colour.word(crate::locale::Lang::En),
                    );
                    self.err(
                        Kind::TriggerColourMissing {
                            kpi: kpi.clone(),
                            colour,
                            has_colours,
                        },
                        span,
                    );
                }
                Some(TriggerEvent::Kpi { kpi, colour })
            }
            Rule::ev_no_purchase | Rule::ev_no_activity => self.idle_event(e),
            Rule::ev_every => self.every_event(e),
            other => {
                outside_grammar(other);
                None
            }
        }
    }

    /// W0041 (past the stage's `лимит`) and W0042 (longer than the stage's `длительность` can be,
    /// unless it is the limit itself).
    fn stay_checks(&mut self, pipeline: &str, stage: &str, days: f64, q: &ast::Quantity) {
        let Some(s) = self
            .model
            .pipeline(pipeline)
            .and_then(|p| p.stages.iter().find(|s| s.name == stage))
        else {
            return;
        };
        let (limit, longest) = (s.limit_days, s.duration_days.as_ref().and_then(|d| d.max_value()));
        if let Some(limit) = limit.filter(|l| days > *l + 1e-9) {
            let kind = Kind::TriggerPastLimit {
                stage: stage.to_string(),
                longer: q.text.clone(),
                limit,
            };
            self.err(kind, q.span);
        }
        // A trigger at the stage's own `лимит` enforces the limit (escalation when a deal
        // overstays it); that the modelled duration never reaches it is the point, not a fault.
        let at_limit = limit.is_some_and(|l| (days - l).abs() <= 1e-9);
        if let Some(longest) = longest.filter(|m| *m <= days + 1e-9 && !at_limit) {
            let kind = Kind::TriggerNeverFires {
                stage: stage.to_string(),
                longer: q.text.clone(),
                longest,
            };
            self.err(kind, q.span);
        }
    }

    fn trigger_action(&mut self, a: &Stmt) -> Option<TriggerAction> {
        match a.key {
            Rule::act_contact => Some(TriggerAction::Contact {
                kind: word(a).map(contact_kind).unwrap_or(ContactKind::Task),
                title: text_of(a),
                work_minutes: quantities(a).next().and_then(|q| self.minutes(q)),
            }),
            Rule::act_meeting => {
                let meeting = self.reference(NameSpace::Meeting, first_ident(a)?);
                Some(TriggerAction::Meeting { meeting })
            }
            Rule::act_notify => Some(TriggerAction::Notify {
                roles: self.references(NameSpace::Role, a),
            }),
            Rule::act_transfer => self.transfer_action(a),
            other => {
                outside_grammar(other);
                None
            }
        }
    }
}
