//! The organisation: roles (staff, pay, hires), interactions between roles, meetings,
//! resources and onboarding.

use super::*;

impl Lowerer {
    pub(super) fn role(&mut self, item: &Stmt) {
        let mut r = Role {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            headcount: 1,
            reports_to: None,
            work_day_hours: 8.0,
            selling_share: 1.0,
            ramp_up_months: None,
            attrition_per_year: None,
            hires: Vec::new(),
            salary: None,
            salary_range: None,
            budget: None,
            soft_salary_share: None,
            bonus: None,
            bonus_scale: None,
            pay_threshold: None,
            piece_rates: Vec::new(),
            function: None,
            schedule: RoleSchedule::default(),
            telephony: Default::default(),
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            let q = quantities(s).next();
            match s.key {
                Rule::r_headcount => {
                    if let Some(n) = q.and_then(|q| self.count(q)) {
                        r.headcount = n;
                    }
                }
                Rule::r_reports_to => {
                    r.reports_to = first_ident(s).map(|i| self.reference(NameSpace::Role, i))
                }
                Rule::r_work_day => {
                    if let Some(h) = q.and_then(|q| self.hours(q)) {
                        if h > 24.0 {
                            self.err(
                                Kind::OutOfRange {
                                    text: q.map(|q| q.text.clone()).unwrap_or_default(),
                                    range: Msg::new("не больше 24 ч", "at most 24 h"),
                                },
                                s.span,
                            );
                        } else {
                            r.work_day_hours = h;
                        }
                    }
                }
                Rule::r_selling_share => {
                    if let Some(p) = q.and_then(|q| self.probability(q)) {
                        r.selling_share = p;
                    }
                }
                Rule::r_ramp_up => r.ramp_up_months = q.and_then(|q| self.months(q)),
                Rule::r_attrition => {
                    r.attrition_per_year = match s.args.first() {
                        Some(Arg::Rate(rate)) => {
                            let per_year = 12.0 * self.model.header.calendar().per_month(rate.per);
                            self.probability(&rate.amount).map(|p| (p * per_year).min(1.0))
                        }
                        Some(Arg::Quantity(q)) => self.probability(q),
                        _ => None,
                    }
                }
                Rule::r_hires => {
                    let mut qs = quantities(s);
                    let count = qs.next().and_then(|q| self.count(q)).unwrap_or(0);
                    let from_month = qs.next().and_then(|q| self.months(q));
                    let from_date = s
                        .args
                        .iter()
                        .find_map(|a| match a {
                            Arg::Date(t) => Some(t.clone()),
                            _ => None,
                        })
                        .and_then(|t| self.date(&t));
                    r.hires.push(Hire {
                        count,
                        from_date,
                        from_month,
                    });
                }
                Rule::r_salary => (r.salary, r.salary_range) = self.salary(s),
                Rule::r_budget => r.budget = self.money_per_month(s),
                Rule::r_soft_salary => r.soft_salary_share = q.and_then(|q| self.probability(q)),
                Rule::r_bonus => {
                    if let Some(q) = q {
                        let base = match word(s) {
                            Some(Rule::kw_of_margin) => BonusBase::Margin,
                            Some(Rule::kw_of_plan) => BonusBase::Plan,
                            _ => BonusBase::Revenue,
                        };
                        let is_share = q.unit == Some(Unit::Percent);
                        let value = if is_share { self.share(q) } else { self.money(q) };
                        if let Some(value) = value {
                            r.bonus = Some(Bonus {
                                value,
                                is_share,
                                base,
                            });
                        }
                    }
                }
                Rule::r_bonus_scale => r.bonus_scale = self.bonus_scale(s),
                Rule::r_bonus_piece => r.piece_rates.extend(self.piece_rate(s)),
                Rule::r_pay_threshold => r.pay_threshold = q.and_then(|q| self.probability(q)),
                Rule::r_function => {
                    r.function = word(s).map(|w| match w {
                        Rule::kw_hunter => RoleFunction::Hunter,
                        Rule::kw_closer => RoleFunction::Closer,
                        Rule::kw_farmer => RoleFunction::Farmer,
                        Rule::kw_head => RoleFunction::Head,
                        Rule::kw_qa => RoleFunction::Quality,
                        _ => RoleFunction::Support,
                    })
                }
                Rule::r_schedule => r.schedule.hours = self.hours_of(s),
                Rule::r_shifts => r.schedule.shifts = self.shifts_of(s),
                Rule::r_days => r.schedule.days = self.days_of(s),
                Rule::tel_answer | Rule::tel_callback => self.telephony(&mut r.telephony, s),
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        // `смены 2` without `по`: the written staff split evenly between the shifts.
        if let Some(sh) = r.schedule.shifts.as_mut()
            && sh.people == 0
        {
            sh.even = Some(f64::from(r.headcount) / f64::from(sh.count.max(1)));
        }
        self.model.roles.push(r);
    }

    pub(super) fn interaction(&mut self, item: &Stmt) {
        let mut x = Interaction {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            with: None,
            give: None,
            receive: None,
            deadline: None,
            deadline_at: None,
            items: Vec::new(),
            owner: None,
            pipeline: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::int_with => x.with = text_of(s),
                Rule::int_give | Rule::int_receive => {
                    let item = self.interaction_item(s);
                    let slot = if item.flow == Flow::Give {
                        &mut x.give
                    } else {
                        &mut x.receive
                    };
                    *slot = Some(match slot.take() {
                        Some(before) => format!("{before}; {}", item.what),
                        None => item.what.clone(),
                    });
                    x.items.push(item);
                }
                Rule::int_deadline => (x.deadline, x.deadline_at) = self.deadline_or_moment(s),
                Rule::int_owner => x.owner = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::int_pipeline => {
                    x.pipeline = first_ident(s).map(|i| self.reference(NameSpace::Pipeline, i))
                }
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.interactions.push(x);
    }

    pub(super) fn meeting(&mut self, item: &Stmt) {
        let mut m = Meeting {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            owner: None,
            participants: Vec::new(),
            period: None,
            cadence: None,
            condition: None,
            duration_minutes: None,
            agenda: None,
            time: None,
            before_opening_minutes: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::mt_owner => m.owner = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::mt_participants => m.participants = self.references(NameSpace::Role, s),
                Rule::mt_period => (m.period, m.cadence, m.condition) = self.frequency(s),
                Rule::mt_duration => m.duration_minutes = quantities(s).next().and_then(|q| self.minutes(q)),
                Rule::mt_agenda => m.agenda = text_of(s),
                Rule::mt_time if s.children.iter().any(|c| c.key == Rule::before_opening) => {
                    m.before_opening_minutes = self.before_opening(s);
                }
                Rule::mt_time => {
                    let day = m.time.and_then(|t| t.day);
                    m.time = self.time_of(s).map(|t| Moment {
                        day: t.day.or(day),
                        ..t
                    });
                }
                Rule::mt_day => m.time = self.join_day(m.time, s),
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.meetings.push(m);
    }

    pub(super) fn resource(&mut self, item: &Stmt) {
        let mut r = Resource {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            kind: None,
            roles: Vec::new(),
            description: self.description(&item.children),
        };
        for s in &item.children {
            match s.key {
                Rule::res_type => r.kind = first_ident(s).map(|i| i.text.clone()),
                Rule::res_roles => r.roles = self.references(NameSpace::Role, s),
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.resources.push(r);
    }

    pub(super) fn onboarding(&mut self, item: &Stmt) {
        let role = match first_ident(item) {
            Some(i) => self.reference(NameSpace::Role, i),
            None => String::new(),
        };
        let mut o = Onboarding {
            role,
            title: text_of(item),
            mentor: None,
            steps: Vec::new(),
            description: self.description(&item.children),
        };
        for s in &item.children {
            match s.key {
                Rule::ob_mentor => o.mentor = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::ob_step => {
                    let day = quantities(s).next().and_then(|q| {
                        let mut q = q.clone();
                        q.unit = q.unit.or(Some(Unit::Days));
                        self.days(&q, None)
                    });
                    let plan_share = s
                        .children
                        .iter()
                        .find(|c| c.key == Rule::ob_plan_share)
                        .and_then(|c| quantities(c).next().cloned())
                        .and_then(|q| self.share(&q));
                    if let Some(day) = day {
                        o.steps.push(OnboardingStep {
                            day,
                            goal: text_of(s).unwrap_or_default(),
                            plan_share,
                        });
                    }
                }
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.onboarding.push(o);
    }
}
