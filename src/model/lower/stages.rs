//! Channels, pipelines, stages and their transitions: the written shares checked as written
//! (E0033, E0034), destinations resolved once every stage is known, and the routes of the
//! clients a contact does not reach.

use super::*;

/// The routes of the clients a contact does not reach (`дозвон` with `иначе ->`), added to the
/// stage's transitions once every destination is resolved. With u_i = (1 − r_i)^{N_i} the share
/// contact i does not reach, the client leaves by contact i's `иначе` with probability
/// Π_{j<i}(1 − u_j) · u_i, and every written transition (the conversion and the failures, which
/// apply to reached clients) is scaled by R = Π_i (1 − u_i); the sum stays what it was. The
/// share checks (E0033, E0034) have already judged the written values.
pub(super) fn add_unreached(s: &mut Stage) {
    let mut reached = 1.0;
    let mut routes = Vec::new();
    for (i, c) in s.chain.iter().enumerate() {
        let u = c.unreached();
        let Some(to) = &c.otherwise else { continue };
        if c.reach.is_none() || u <= 0.0 {
            continue;
        }
        routes.push(Transition {
            kind: TransitionKind::Unreached,
            probability: reached * u,
            to: to.clone(),
            explicit: true,
            delay_days: c.otherwise_delay_days,
            contact: Some(i),
            span: c.span,
        });
        reached *= 1.0 - u;
    }
    if routes.is_empty() {
        return;
    }
    for t in &mut s.transitions {
        t.probability *= reached;
    }
    s.transitions.extend(routes);
}

pub(super) const PIPELINE_KINDS: &[(&str, PipelineKind)] = &[
    ("продажа", PipelineKind::Sales),
    ("продажи", PipelineKind::Sales),
    ("sales", PipelineKind::Sales),
    ("аккаунтинг", PipelineKind::Account),
    ("account", PipelineKind::Account),
    ("ретаргетинг", PipelineKind::Retargeting),
    ("retargeting", PipelineKind::Retargeting),
    ("прогрев", PipelineKind::Nurturing),
    ("nurturing", PipelineKind::Nurturing),
];

impl Lowerer {
    pub(super) fn channel(&mut self, item: &Stmt) {
        let mut c = Channel {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            leads_per_month: 0.0,
            seasonality: Vec::new(),
            lead_cost: None,
            pipeline: None,
            team: None,
            first_response_minutes: None,
            after_hours_by: None,
            budget: None,
            telephony: Default::default(),
            routing: None,
            out_of_turn: false,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            let q = quantities(s).next();
            match s.key {
                Rule::c_leads => {
                    if let Some(Arg::Rate(r)) = s.args.first()
                        && let Some(v) = self.per_month(r)
                    {
                        c.leads_per_month = v;
                    }
                }
                Rule::c_seasonality => {
                    let qs: Vec<&ast::Quantity> = quantities(s).collect();
                    if qs.len() != 12 {
                        self.err(Kind::SeasonalityCount { count: qs.len() }, s.span);
                    } else {
                        c.seasonality = qs.into_iter().filter_map(|q| self.share(q)).collect();
                    }
                }
                Rule::c_lead_cost => c.lead_cost = q.and_then(|q| self.money(q)),
                Rule::c_budget => c.budget = self.money_per_month(s),
                Rule::c_pipeline => {
                    c.pipeline = first_ident(s).map(|i| self.reference(NameSpace::Pipeline, i))
                }
                Rule::c_team => c.team = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::c_response => c.first_response_minutes = q.and_then(|q| self.minutes(q)),
                Rule::c_after_hours => c.after_hours_by = self.after_hours_of(s),
                Rule::tel_answer | Rule::tel_callback => self.telephony(&mut c.telephony, s),
                Rule::c_routing => c.routing = self.routing(s),
                Rule::c_priority => c.out_of_turn = true,
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.channels.push(c);
    }

    pub(super) fn pipeline(&mut self, item: &Stmt) {
        let name = first_ident(item).map(|i| i.text.clone()).unwrap_or_default();
        let mut p = Pipeline {
            name: name.clone(),
            title: text_of(item),
            kind: PipelineKind::Sales,
            entry: None,
            exit: None,
            exit_on_payment: false,
            deal_size: None,
            repeat: None,
            after_win: None,
            owner: None,
            description: self.description(&item.children),
            stages: Vec::new(),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::p_entry => p.entry = text_of(s),
                Rule::p_exit => {
                    p.exit = text_of(s);
                    p.exit_on_payment = word(s) == Some(Rule::kw_payment);
                }
                Rule::p_kind => {
                    if let Some(i) = first_ident(s) {
                        match PIPELINE_KINDS.iter().find(|(n, _)| *n == i.text.to_lowercase()) {
                            Some((_, k)) => p.kind = *k,
                            None => {
                                let suggestion = suggest(&i.text, PIPELINE_KINDS.iter().map(|(n, _)| *n));
                                self.err(
                                    Kind::UnknownPipelineKind {
                                        value: i.text.clone(),
                                        suggestion,
                                    },
                                    i.span,
                                );
                            }
                        }
                    }
                }
                Rule::p_deal_size => {
                    if let Some(Arg::Dist(d)) = s.args.first() {
                        p.deal_size = self.distribution(d, true);
                    }
                }
                Rule::p_repeat => {
                    let probability = quantities(s).next().and_then(|q| self.probability(q));
                    let after_days = s.args.iter().find_map(|a| match a {
                        Arg::Dist(d) => Some(d.clone()),
                        _ => None,
                    });
                    let after_days = after_days.and_then(|d| self.distribution(&d, false));
                    if let Some(probability) = probability {
                        p.repeat = Some(Repeat {
                            probability,
                            after_days,
                        });
                    }
                }
                Rule::p_after_win => self.after_win(s, &mut p),
                Rule::p_owner => p.owner = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::a_description | Rule::a_text => {} // read by `description`
                Rule::stage => {}                        // lowered below, by `stage`
                other => outside_grammar(other),
            }
        }
        let stage_items: Vec<&Stmt> = item.children.iter().filter(|c| c.key == Rule::stage).collect();
        if stage_items.is_empty() {
            self.err(Kind::EmptyPipeline { name: name.clone() }, item.head);
        }
        let pipeline_index = self.model.pipelines.len();
        for (i, st) in stage_items.iter().enumerate() {
            let next = stage_items
                .get(i + 1)
                .and_then(|n| first_ident(n))
                .map(|n| n.text.clone());
            let stage = self.stage(st, &name, next, pipeline_index, i);
            p.stages.push(stage);
        }
        self.model.pipelines.push(p);
    }

    pub(super) fn stage(
        &mut self,
        st: &Stmt,
        pipeline: &str,
        next: Option<String>,
        pi: usize,
        si: usize,
    ) -> Stage {
        self.no_duplicates(&st.children);
        let mut s = Stage {
            name: first_ident(st).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(st),
            owner: None,
            conversion: None,
            duration_days: None,
            chain: Vec::new(),
            entry_criterion: None,
            exit_criterion: None,
            required_fields: Vec::new(),
            guidance: None,
            colour: None,
            deal_probability: None,
            crm_code: None,
            limit_days: None,
            wait_limit_days: None,
            decay_per_day: None,
            transitions: Vec::new(),
            channel_conversions: Vec::new(),
            span: st.span,
            colour_written: None,
            release: None,
        };
        let mut success: Option<(Destination, Span, Option<ast::PathRef>)> = None;
        let mut branches: Vec<(f64, Destination, Span, Option<ast::PathRef>)> = Vec::new();
        let mut failures: Vec<(Option<f64>, Destination, Span, Option<ast::PathRef>)> = Vec::new();
        // `через N дн` of the written transitions, by the statement's span.
        let mut delays: Vec<(Span, f64)> = Vec::new();
        // `если …` of the written ways out, and the stage's segments (`field_cond.rs`).
        let mut conds: Vec<(Span, crate::model::field_cond::FieldCond)> = Vec::new();
        let mut segments: Vec<crate::model::field_cond::FieldSegment> = Vec::new();
        let mut guidance = Vec::new();
        for a in &st.children {
            let q = quantities(a).next();
            match a.key {
                Rule::s_owner => s.owner = first_ident(a).map(|i| self.reference(NameSpace::Role, i)),
                Rule::s_conversion => s.conversion = q.and_then(|q| self.probability(q)),
                Rule::s_channel_conversion => self.channel_conversions(a, &mut s.channel_conversions),
                Rule::s_duration => {
                    if let Some(Arg::Dist(d)) = a.args.first() {
                        s.duration_days = self.distribution(d, false);
                    }
                }
                Rule::s_chain => {
                    for c in &a.children {
                        if c.key == Rule::contact {
                            let contact = self.contact(c, pipeline, pi, si, s.chain.len());
                            s.chain.push(contact);
                        }
                    }
                }
                Rule::s_exit_criterion => s.exit_criterion = text_of(a),
                Rule::s_entry_criterion => s.entry_criterion = text_of(a),
                Rule::s_fields => {
                    for (card, name) in super::cards::field_refs(a) {
                        s.required_fields.push(name.value.clone());
                        self.field_uses.push(super::cards::FieldUse {
                            pipeline: pi,
                            stage: si,
                            card,
                            name,
                        });
                    }
                }
                Rule::s_guidance | Rule::a_description | Rule::a_text => guidance.extend(text_of(a)),
                Rule::s_colour => {
                    s.colour = self.colour(a);
                    let hex = matches!(a.args.first(), Some(Arg::Str(t)) if t.value.starts_with('#'));
                    s.colour_written = s.colour.as_ref().map(|_| (a.span, hex));
                }
                Rule::s_probability => s.deal_probability = q.and_then(|q| self.probability(q)),
                Rule::s_code => {
                    let (code, span) = match a.args.first() {
                        Some(Arg::Ident(i)) => (i.text.clone(), i.span),
                        Some(Arg::Str(t)) => (t.value.clone(), t.span),
                        _ => continue,
                    };
                    if code.is_empty()
                        || !code
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        self.err(Kind::InvalidCrmCode { code }, span);
                    } else {
                        s.crm_code = Some(code);
                    }
                }
                Rule::s_limit => s.limit_days = q.and_then(|q| self.days(q, None)),
                Rule::s_wait_limit => s.wait_limit_days = q.and_then(|q| self.days(q, None)),
                Rule::s_decay => {
                    if let Some(Arg::Rate(r)) = a.args.first()
                        && let Some(p) = self.probability(&r.amount)
                    {
                        let per_day = self.model.header.calendar().days(1.0, r.per).unwrap_or(1.0);
                        s.decay_per_day = Some(p / per_day);
                    }
                }
                Rule::s_success => {
                    if let Some(d) = self.transit_delay(a) {
                        delays.push((a.span, d));
                    }
                    if let Some((d, path)) = self.destination(a) {
                        success = Some((d, a.span, path));
                    }
                }
                Rule::s_field_segment => segments.extend(self.field_segment(a, pipeline, &s.name)),
                Rule::s_branch => {
                    if let Some(c) = self.route_cond(a) {
                        conds.push((a.span, c));
                    }
                    if let Some(d) = self.transit_delay(a) {
                        delays.push((a.span, d));
                    }
                    let share = q.and_then(|q| self.probability(q));
                    if let (Some(share), Some((d, path))) = (share, self.destination(a)) {
                        branches.push((share, d, a.span, path));
                    }
                }
                Rule::s_starts | Rule::s_enrol_closes | Rule::s_group => self.release_item(&mut s, a),
                Rule::s_failure => {
                    if let Some(c) = self.route_cond(a) {
                        conds.push((a.span, c));
                    }
                    if let Some(d) = self.transit_delay(a) {
                        delays.push((a.span, d));
                    }
                    let share = q.and_then(|q| self.probability(q));
                    if let Some((d, path)) = self.destination(a) {
                        failures.push((share, d, a.span, path));
                    }
                }
                other => outside_grammar(other),
            }
        }
        self.release_done(&mut s, st);
        s.guidance = (!guidance.is_empty()).then(|| guidance.join("\n\n"));
        // Transitions: success splits into branches and the rest; failure into its shares.
        let conv = self.segmented_conversion(s.conversion, &segments).unwrap_or(1.0);
        let branch_total: f64 = branches.iter().map(|b| b.0).sum();
        let default_success = Destination::Stage {
            pipeline: pipeline.to_string(),
            stage: next.clone().unwrap_or_default(),
        };
        let default_success = if next.is_some() {
            default_success
        } else {
            Destination::Won
        };
        let push = |s: &mut Stage,
                    kind,
                    probability,
                    to,
                    explicit,
                    span,
                    path: Option<ast::PathRef>,
                    pending: &mut Vec<Pending>| {
            if let Some(path) = path {
                pending.push(Pending {
                    pipeline: pi,
                    stage: si,
                    slot: Slot::Transition(s.transitions.len()),
                    path,
                    current_pipeline: pipeline.to_string(),
                });
            }
            s.transitions.push(Transition {
                kind,
                probability,
                to,
                explicit,
                delay_days: explicit
                    .then(|| delays.iter().find(|d| d.0 == span).map(|d| d.1))
                    .flatten(),
                contact: None,
                span,
            });
        };
        self.check_shares(conv, &branches, &success, &failures);
        let mut pending = std::mem::take(&mut self.pending);
        for (share, d, span, path) in branches {
            push(
                &mut s,
                TransitionKind::Success,
                conv * share,
                d,
                true,
                span,
                path,
                &mut pending,
            );
        }
        let rest = (1.0 - branch_total).max(0.0);
        if rest > 0.0 {
            match success {
                Some((d, span, path)) => push(
                    &mut s,
                    TransitionKind::Success,
                    conv * rest,
                    d,
                    true,
                    span,
                    path,
                    &mut pending,
                ),
                None => push(
                    &mut s,
                    TransitionKind::Success,
                    conv * rest,
                    default_success,
                    false,
                    st.head,
                    None,
                    &mut pending,
                ),
            }
        }
        if conv < 1.0 {
            let fail = 1.0 - conv;
            let given: f64 = failures.iter().filter_map(|f| f.0).sum();
            let unshared = failures.iter().filter(|f| f.0.is_none()).count();
            let each_rest = if unshared > 0 {
                (1.0 - given).max(0.0) / unshared as f64
            } else {
                0.0
            };
            let mut covered = 0.0;
            for (share, d, span, path) in failures {
                let share = share.unwrap_or(each_rest);
                covered += share;
                push(
                    &mut s,
                    TransitionKind::Failure,
                    fail * share,
                    d,
                    true,
                    span,
                    path,
                    &mut pending,
                );
            }
            if covered < 1.0 - 1e-9 {
                push(
                    &mut s,
                    TransitionKind::Failure,
                    fail * (1.0 - covered),
                    Destination::Lost { reason: None },
                    false,
                    st.head,
                    None,
                    &mut pending,
                );
            }
        }
        self.pending = pending;
        self.field_routes(&s, st, pipeline, conv, conds);
        self.model.field_conds.segments.extend(segments);
        s
    }

    /// The ways out written with `если …`, by their index among the stage's transitions.
    fn field_routes(
        &mut self,
        s: &Stage,
        st: &Stmt,
        pipeline: &str,
        conv: f64,
        conds: Vec<(Span, crate::model::field_cond::FieldCond)>,
    ) {
        for (span, condition) in conds {
            let Some(ti) = s.transitions.iter().position(|t| t.explicit && t.span == span) else {
                continue;
            };
            let t = &s.transitions[ti];
            let failure = t.kind == TransitionKind::Failure;
            let base = if failure { 1.0 - conv } else { conv };
            let reason = st
                .children
                .iter()
                .find(|c| c.span == span)
                .and_then(|c| idents(c).next())
                .map(|i| i.text.clone());
            self.model
                .field_conds
                .routes
                .push(crate::model::field_cond::FieldRoute {
                    pipeline: pipeline.to_string(),
                    stage: s.name.clone(),
                    transition: ti,
                    share: (base > 0.0).then(|| t.probability / base),
                    failure,
                    reason: if failure { reason } else { None },
                    condition,
                    span,
                });
        }
    }

    /// Shares that cannot all hold (E0033) and transitions left with nothing (E0034).
    pub(super) fn check_shares(
        &mut self,
        conv: f64,
        branches: &[(f64, Destination, Span, Option<ast::PathRef>)],
        success: &Option<(Destination, Span, Option<ast::PathRef>)>,
        failures: &[(Option<f64>, Destination, Span, Option<ast::PathRef>)],
    ) {
        const EPS: f64 = 1e-9;
        let branch_total: f64 = branches.iter().map(|b| b.0).sum();
        if branch_total > 1.0 + EPS {
            let span = branches.last().map(|b| b.2).unwrap_or_default();
            self.err(
                Kind::SharesOverflow {
                    failure: false,
                    total: branch_total,
                },
                span,
            );
        } else if branch_total >= 1.0 - EPS
            && let Some((_, span, _)) = success
        {
            let why = Msg::new(
                "ветки уже забирают 100 % успехов этапа",
                "the branches already take 100% of the stage's successes",
            );
            self.err(Kind::NeverTaken { why }, *span);
        }
        if failures.is_empty() {
            return;
        }
        if conv >= 1.0 - EPS {
            for f in failures {
                let why = Msg::new(
                    "конверсия этапа 100 % (или не указана), отказов не бывает",
                    "the stage converts 100% (or gives no conversion), so it never fails",
                );
                self.err(Kind::NeverTaken { why }, f.2);
            }
            return;
        }
        let given: f64 = failures.iter().filter_map(|f| f.0).sum();
        if given > 1.0 + EPS {
            let span = failures
                .iter()
                .rev()
                .find(|f| f.0.is_some())
                .map(|f| f.2)
                .unwrap_or_default();
            self.err(
                Kind::SharesOverflow {
                    failure: true,
                    total: given,
                },
                span,
            );
        } else if given >= 1.0 - EPS {
            for f in failures.iter().filter(|f| f.0.is_none()) {
                let why = Msg::new(
                    "доли остальных отказов уже дают 100 %",
                    "the shares of the other failures already make 100%",
                );
                self.err(Kind::NeverTaken { why }, f.2);
            }
        }
    }

    /// `через N дн` of a transition (a `t_delay` child): the working days, `None` for none or 0.
    /// Written twice (before and after `причина`) is E0066.
    pub(super) fn transit_delay(&mut self, a: &Stmt) -> Option<f64> {
        let mut written = a.children.iter().filter(|c| c.key == Rule::t_delay);
        let first = written.next()?;
        if let Some(second) = written.next() {
            self.err(Kind::TwoDelays, second.span);
        }
        let q = quantities(first).next()?;
        self.days(q, None).filter(|d| *d > 0.0)
    }

    /// `после_выигрыша -> Воронка [через N дн]`: the target must be a stage or a pipeline
    /// (E0067 for `выиграно`/`проиграно`); resolved with the other destinations.
    fn after_win(&mut self, s: &Stmt, p: &mut Pipeline) {
        let delay_days = self.transit_delay(s);
        let Some(target) = s.args.iter().find_map(|x| match x {
            Arg::Target(t) => Some(t.clone()),
            _ => None,
        }) else {
            return;
        };
        let path = match target {
            ast::Target::Path(path) => path,
            ast::Target::Won(span) | ast::Target::Lost(span) => {
                self.err(Kind::AfterWinNotAStage, span);
                return;
            }
        };
        let path_span = path.span;
        self.pending.push(Pending {
            pipeline: self.model.pipelines.len(),
            stage: 0,
            slot: Slot::AfterWin,
            path,
            current_pipeline: p.name.clone(),
        });
        p.after_win = Some(AfterWin {
            to: Destination::Lost { reason: None },
            delay_days,
            span: s.head.to(path_span),
        });
    }

    /// The destination of a transition statement; a bare path is resolved later.
    pub(super) fn destination(&mut self, a: &Stmt) -> Option<(Destination, Option<ast::PathRef>)> {
        let reason = a
            .args
            .iter()
            .skip_while(|x| !matches!(x, Arg::Target(_)))
            .find_map(|x| match x {
                Arg::Ident(i) => Some(i.clone()),
                _ => None,
            })
            .map(|i| self.reference(NameSpace::Reason, &i));
        let target = a.args.iter().find_map(|x| match x {
            Arg::Target(t) => Some(t.clone()),
            _ => None,
        })?;
        Some(match target {
            ast::Target::Won(_) => (Destination::Won, None),
            ast::Target::Lost(_) => (Destination::Lost { reason }, None),
            ast::Target::Path(p) => (Destination::Lost { reason }, Some(p)),
        })
    }

    pub(super) fn contact(&mut self, c: &Stmt, pipeline: &str, pi: usize, si: usize, ci: usize) -> Contact {
        let mut contact = Contact {
            kind: contact_kind(word(c).unwrap_or(Rule::kw_task)),
            title: text_of(c),
            work_minutes: quantities(c).next().and_then(|q| self.minutes(q)),
            delay_days: None,
            attempts: None,
            reach: None,
            otherwise: None,
            otherwise_delay_days: None,
            owner: None,
            deadline: None,
            deadline_days: None,
            retry_at: Vec::new(),
            retry_at_days: Vec::new(),
            direction: c.args.iter().find_map(|a| match a {
                Arg::Word(Rule::kw_outgoing, _) => Some(CallDirection::Outgoing),
                Arg::Word(Rule::kw_incoming, _) => Some(CallDirection::Incoming),
                _ => None,
            }),
            talk_minutes: None,
            each_start: None,
            starts_per_lead: None,
            span: c.span,
        };
        for a in &c.children {
            let q = quantities(a).next();
            match a.key {
                Rule::k_talk => {
                    contact.talk_minutes = q.and_then(|q| self.minutes(q));
                    if let (Some(talk), Some(work), Some(q)) = (contact.talk_minutes, contact.work_minutes, q)
                        && talk > work
                    {
                        self.err(Kind::TalkExceedsWork { talk, work }, q.span);
                    }
                }
                Rule::k_after => contact.delay_days = q.and_then(|q| self.days(q, None)),
                Rule::k_attempts => contact.attempts = q.and_then(|q| self.count(q)),
                Rule::k_reach => contact.reach = q.and_then(|q| self.reach(q)),
                Rule::k_owner => contact.owner = first_ident(a).map(|i| self.reference(NameSpace::Role, i)),
                Rule::k_otherwise => {
                    contact.otherwise_delay_days = self.transit_delay(a);
                    if let Some((d, path)) = self.destination(a) {
                        contact.otherwise = Some(d);
                        if let Some(path) = path {
                            self.pending.push(Pending {
                                pipeline: pi,
                                stage: si,
                                slot: Slot::Contact(ci),
                                path,
                                current_pipeline: pipeline.to_string(),
                            });
                        }
                    }
                }
                Rule::k_deadline => self.contact_deadline(&mut contact, a),
                Rule::k_retries => self.retries(&mut contact, a),
                Rule::k_each_start => self.each_start(a, pipeline, pi, si, ci),
                other => outside_grammar(other),
            }
        }
        self.contact_terms(&contact, c);
        contact
    }

    /// A stage, or a pipeline meaning its first stage (a hand-off).
    pub(super) fn destination_of(
        &mut self,
        path: &ast::PathRef,
        current: Option<&str>,
    ) -> Option<Destination> {
        Some(match self.scope(path, current)? {
            Scope::Stage { pipeline, stage } => Destination::Stage { pipeline, stage },
            Scope::Pipeline { pipeline } => {
                let stage = self
                    .stage_names(&pipeline)
                    .and_then(|s| s.first().cloned())
                    .unwrap_or_default();
                Destination::Stage { pipeline, stage }
            }
        })
    }

    /// Resolves transition targets written as names, now that every pipeline is known.
    pub(super) fn resolve_destinations(&mut self) {
        for p in std::mem::take(&mut self.pending) {
            let Some(resolved) = self.destination_of(&p.path, Some(&p.current_pipeline)) else {
                continue;
            };
            let pipeline = &mut self.model.pipelines[p.pipeline];
            match p.slot {
                Slot::Transition(t) => pipeline.stages[p.stage].transitions[t].to = resolved,
                Slot::Contact(c) => pipeline.stages[p.stage].chain[c].otherwise = Some(resolved),
                Slot::EachStart(c) => pipeline.stages[p.stage].chain[c].each_start = Some(resolved),
                Slot::AfterWin => {
                    if let Some(a) = &mut pipeline.after_win {
                        a.to = resolved;
                    }
                }
            }
        }
    }
}
