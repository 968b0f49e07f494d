//! Controls and paperwork: accounting, control points, reports, documents, loss reasons and
//! checklists.

use super::*;

impl Lowerer {
    pub(super) fn accounting(&mut self, item: &Stmt) {
        for e in item.children.iter().filter(|c| c.key == Rule::acc_entry) {
            let mut entry = AccountingEntry {
                what: text_of(e).unwrap_or_default(),
                who: Vec::new(),
                r#where: None,
                deadline: None,
                deadline_at: None,
                span: e.span,
            };
            for a in &e.children {
                match a.key {
                    Rule::acc_who => entry.who = self.references(NameSpace::Role, a),
                    Rule::acc_where => entry.r#where = text_of(a),
                    Rule::acc_deadline => (entry.deadline, entry.deadline_at) = self.deadline_or_moment(a),
                    other => outside_grammar(other),
                }
            }
            self.model.accounting.push(entry);
        }
    }

    pub(super) fn deadline(&mut self, a: &Stmt) -> Option<String> {
        match a.args.first() {
            Some(Arg::Str(t)) => Some(t.value.clone()),
            Some(Arg::Quantity(q)) => {
                self.non_negative(q)?;
                Some(q.text.clone())
            }
            _ => None,
        }
    }

    pub(super) fn control(&mut self, item: &Stmt) {
        let mut c = Control {
            name: first_ident(item).map(|i| i.text.clone()),
            title: text_of(item),
            who: None,
            what: None,
            kpis: Vec::new(),
            roles: Vec::new(),
            period: None,
            cadence: None,
            condition: None,
            reports_to: None,
            checklist: None,
            sample: None,
            sample_size: None,
            review_minutes: None,
            procedure: None,
            time: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::ctl_who => c.who = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::ctl_what => c.what = text_of(s),
                Rule::ctl_kpis => c.kpis = self.references(NameSpace::Kpi, s),
                Rule::ctl_roles => c.roles = self.references(NameSpace::Role, s),
                Rule::ctl_period => (c.period, c.cadence, c.condition) = self.frequency(s),
                Rule::ctl_to => c.reports_to = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::ctl_checklist => {
                    c.checklist = first_ident(s).map(|i| self.reference(NameSpace::Checklist, i))
                }
                Rule::ctl_sample => {
                    let amount = match s.args.first() {
                        Some(Arg::Rate(r)) => {
                            c.sample_size = self.non_negative(&r.amount).map(|count| SampleSize {
                                count,
                                per: period_of(unit_rule(r.per)),
                            });
                            Some(format!("{} / {}", r.amount.text, period_name(r.per)))
                        }
                        Some(Arg::Quantity(q)) => {
                            // A bare count; a number with a unit (`выборка 10%`) is not a size.
                            c.sample_size = self
                                .non_negative(q)
                                .filter(|_| q.unit.is_none())
                                .map(|count| SampleSize { count, per: None });
                            Some(q.text.clone())
                        }
                        _ => None,
                    };
                    let note = strings(s).next().map(|t| t.value.clone());
                    c.sample = match (amount, note) {
                        (Some(a), Some(n)) => Some(format!("{a}: {n}")),
                        (a, n) => a.or(n),
                    };
                }
                Rule::ctl_procedure => c.procedure = text_of(s),
                Rule::ctl_time => c.time = self.time_of(s),
                Rule::ctl_review => c.review_minutes = quantities(s).next().and_then(|q| self.minutes(q)),
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.controls.push(c);
    }

    pub(super) fn report(&mut self, item: &Stmt) {
        let mut r = Report {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            author: None,
            recipients: Vec::new(),
            period: None,
            format: None,
            kpis: Vec::new(),
            deadline: None,
            deadline_at: None,
            analysis: None,
            description: self.description(&item.children),
            span: item.span,
        };
        let kind = item
            .children
            .iter()
            .find(|s| s.key == Rule::rep_kind)
            .and_then(|s| self.report_kind(s));
        r.analysis = kind.map(|kind| ClientAnalysis {
            kind,
            classes: kind.default_classes(),
        });
        for s in &item.children {
            match s.key {
                Rule::rep_kind => {} // read above: the thresholds are read by the kind
                Rule::rep_thresholds => {
                    if let Some(a) = r.analysis.as_mut()
                        && let Some(classes) = self.thresholds(s, a.kind)
                    {
                        a.classes = classes;
                    }
                }
                Rule::rep_author => r.author = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::rep_to => r.recipients = self.references(NameSpace::Role, s),
                Rule::rep_period => r.period = word(s).and_then(period_of),
                Rule::rep_format => r.format = text_of(s),
                Rule::rep_kpis => r.kpis = self.references(NameSpace::Kpi, s),
                Rule::rep_deadline => (r.deadline, r.deadline_at) = self.deadline_or_moment(s),
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.reports.push(r);
    }

    pub(super) fn paths(&mut self, s: &Stmt) -> Vec<Scope> {
        let paths: Vec<ast::PathRef> = s
            .args
            .iter()
            .filter_map(|a| match a {
                Arg::Path(p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        paths.iter().filter_map(|p| self.scope(p, None)).collect()
    }

    pub(super) fn document(&mut self, item: &Stmt) {
        let mut d = Document {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            stages: Vec::new(),
            roles: Vec::new(),
            text: None,
            description: None,
            span: item.span,
        };
        let mut texts = Vec::new();
        for s in &item.children {
            match s.key {
                Rule::d_stages => d.stages = self.paths(s),
                Rule::d_roles => d.roles = self.references(NameSpace::Role, s),
                Rule::a_text => texts.extend(text_of(s)),
                Rule::a_description => d.description = text_of(s),
                other => outside_grammar(other),
            }
        }
        d.text = (!texts.is_empty()).then(|| texts.join("\n\n"));
        self.model.documents.push(d);
    }

    pub(super) fn reason(&mut self, item: &Stmt) {
        self.no_duplicates(&item.children);
        let mut r = LossReason {
            code: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            label: text_of(item),
            stages: Vec::new(),
            next: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::rs_stages => r.stages = self.paths(s),
                Rule::rs_next => {
                    if let Some(Arg::Target(t)) = s.args.iter().find(|a| matches!(a, Arg::Target(_))) {
                        r.next = match t {
                            ast::Target::Won(_) => Some(Destination::Won),
                            ast::Target::Lost(_) => Some(Destination::Lost { reason: None }),
                            ast::Target::Path(p) => self.destination_of(p, None),
                        }
                    }
                }
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.loss_reasons.push(r);
    }

    pub(super) fn checklist(&mut self, item: &Stmt) {
        let mut c = Checklist {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            contact: None,
            scale: None,
            pass_mark: None,
            criteria: Vec::new(),
            colours: Vec::new(),
            review_minutes: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::cl_kind => c.contact = word(s).map(contact_kind),
                Rule::cl_scale => {
                    let qs: Vec<ast::Quantity> = quantities(s).cloned().collect();
                    if let [a, b] = &qs[..]
                        && let (Some(lo), Some(hi)) = (self.non_negative(a), self.non_negative(b))
                    {
                        if lo > hi {
                            self.err(
                                Kind::EmptyRange {
                                    low: a.text.clone(),
                                    high: b.text.clone(),
                                },
                                s.span,
                            );
                        } else {
                            c.scale = Some((lo, hi));
                        }
                    }
                }
                Rule::k_colours => c.colours = self.checklist_colours(s),
                Rule::cl_review => c.review_minutes = quantities(s).next().and_then(|q| self.minutes(q)),
                Rule::cl_pass => c.pass_mark = quantities(s).next().and_then(|q| self.probability(q)),
                Rule::cl_criterion => {
                    let mut cr = Criterion {
                        label: text_of(s).unwrap_or_default(),
                        weight: None,
                        critical: false,
                        description: None,
                    };
                    for a in &s.children {
                        match a.key {
                            Rule::cl_weight => {
                                cr.weight = quantities(a).next().and_then(|q| self.non_negative(q))
                            }
                            Rule::cl_critical => cr.critical = true,
                            Rule::a_description => cr.description = text_of(a),
                            other => outside_grammar(other),
                        }
                    }
                    c.criteria.push(cr);
                }
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.checklists.push(c);
    }
}
