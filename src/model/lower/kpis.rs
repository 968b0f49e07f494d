//! KPIs (formula, target, colour bands in the KPI's unit), norms and the sales plan.

use super::*;

/// What a KPI's `единица` measures, for reading colour bands in it.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum KpiUnit {
    Percent,
    Money,
    /// Working time, in minutes.
    Minutes,
    /// Calendar time, in days.
    Days,
    /// Pieces, a word (`"звонков"`) or no unit: a bare number is in it.
    Count,
}

pub(super) fn kpi_unit(unit: Option<&str>) -> KpiUnit {
    match unit {
        Some("%") => KpiUnit::Percent,
        Some("₽" | "$" | "€") => KpiUnit::Money,
        Some("мин" | "ч") => KpiUnit::Minutes,
        Some("дн" | "нед" | "мес" | "кв" | "год") => KpiUnit::Days,
        _ => KpiUnit::Count,
    }
}

/// The written unit of a KPI (`мин`, `дн`…) as a syntax unit, for converting its target.
pub(super) fn written_unit(unit: Option<&str>) -> Option<Unit> {
    Some(match unit? {
        "мин" => Unit::Minutes,
        "ч" => Unit::Hours,
        "дн" => Unit::Days,
        "нед" => Unit::Weeks,
        "мес" => Unit::Months,
        "кв" => Unit::Quarters,
        "год" => Unit::Years,
        _ => return None,
    })
}

/// A band value `x` written with `written` (not `%`) in the base unit of the KPI's `unit`
/// (minutes, days, the amount, the count), or `None` when it is not in that unit. A bare
/// number is in the unit of a count KPI only.
pub(super) fn band_in_unit(x: f64, written: Option<Unit>, unit: Option<&str>) -> Option<f64> {
    match (kpi_unit(unit), written) {
        (KpiUnit::Count, None | Some(Unit::Pieces)) => Some(x),
        (KpiUnit::Money, Some(u)) if units::is_money(u) => Some(x),
        (KpiUnit::Minutes, Some(u)) => units::minutes(x, u),
        // Any working week: a band and its target scale alike, and only their ratio is kept.
        (KpiUnit::Days, Some(u)) => units::Calendar::new(5.0).days(x, u),
        _ => None,
    }
}

/// A target value of a KPI (written in the KPI's own unit) in the base unit of [`band_in_unit`].
pub(super) fn unit_base(x: f64, unit: Option<&str>) -> f64 {
    match (kpi_unit(unit), written_unit(unit)) {
        (KpiUnit::Minutes, Some(u)) => units::minutes(x, u).unwrap_or(x),
        (KpiUnit::Days, Some(u)) => units::Calendar::new(5.0).days(x, u).unwrap_or(x),
        _ => x,
    }
}

impl Lowerer {
    pub(super) fn kpi(&mut self, item: &Stmt) {
        let mut k = Kpi {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            kind: None,
            direction: None,
            formula: None,
            formula_text: None,
            unit: None,
            period: None,
            roles: Vec::new(),
            department: false,
            target: None,
            colours: Vec::new(),
            weight: None,
            source: None,
            percentile: None,
            description: self.description(&item.children),
            span: item.span,
        };
        let mut bands = Vec::new();
        for s in &item.children {
            match s.key {
                Rule::k_leading => k.kind = Some(KpiKind::Leading),
                Rule::k_lagging => k.kind = Some(KpiKind::Lagging),
                Rule::k_direction => {
                    k.direction = word(s).map(|w| match w {
                        Rule::kw_lower => Direction::LowerIsBetter,
                        Rule::kw_band => Direction::WithinBand,
                        _ => Direction::HigherIsBetter,
                    })
                }
                Rule::k_formula => {
                    if let Some(Arg::Expr(e)) = s.args.first() {
                        k.formula = self.formula(e);
                        k.formula_text = Some(expr_text(e));
                    }
                }
                Rule::k_unit => {
                    k.unit = match s.args.first() {
                        Some(Arg::Str(t)) => Some(t.value.clone()),
                        Some(Arg::Word(r, _)) => Some(unit_symbol(*r).to_string()),
                        _ => None,
                    }
                }
                Rule::k_period => k.period = word(s).and_then(period_of),
                Rule::k_roles => {
                    for a in &s.args {
                        match a {
                            Arg::Ident(i) => {
                                let r = self.reference(NameSpace::Role, i);
                                k.roles.push(r);
                            }
                            Arg::Word(..) => k.department = true,
                            _ => {}
                        }
                    }
                }
                Rule::k_target => {
                    if let Some(Arg::Bound(b)) = s.args.first() {
                        k.target = self.bound(b);
                    }
                    if let Some(p) = s.children.iter().find(|c| c.key == Rule::k_percentile) {
                        k.percentile = self.percentile(p);
                    }
                }
                Rule::k_colours => {
                    for band in &s.children {
                        let colour = match word(band) {
                            Some(Rule::kw_red) => Colour::Red,
                            Some(Rule::kw_yellow) => Colour::Yellow,
                            _ => Colour::Green,
                        };
                        if let Some(b) = band.args.iter().find_map(|a| match a {
                            Arg::Bound(b) => Some(b.clone()),
                            _ => None,
                        }) {
                            bands.push((colour, b));
                        }
                    }
                }
                Rule::k_weight => k.weight = quantities(s).next().and_then(|q| self.probability(q)),
                Rule::k_source => k.source = text_of(s),
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        // Bands after the loop: reading one needs the KPI's unit and target, written anywhere.
        for (colour, b) in bands {
            if let Some(bound) = self.band(&b, k.unit.as_deref(), k.target.as_ref()) {
                k.colours.push(ColourBand { colour, bound });
            }
        }
        self.model.kpis.push(k);
    }

    /// A colour band's bound as a share of the target. A bound in `%` is a share of the target
    /// already (`красный < 60%`); one in the KPI's own unit (`красный < 30 млн ₽` on a ₽ KPI,
    /// `красный < 30` on a count) is divided by a single-value target in that unit. Anything
    /// else is E0045: a bare number on a `%`, money or time KPI (`красный < 60` on a
    /// conversion would be read as 6000 % of the target), or a unit that is not the KPI's.
    pub(super) fn band(
        &mut self,
        b: &ast::Bound,
        unit: Option<&str>,
        target: Option<&Bound>,
    ) -> Option<Bound> {
        let v = |cx: &mut Lowerer, q: &ast::Quantity| -> Option<f64> {
            let x = cx.finite(q)?;
            if q.unit == Some(Unit::Percent) {
                return Some(x / 100.0);
            }
            let own = band_in_unit(x, q.unit, unit);
            let target = match target {
                Some(Bound::Cmp { value, .. }) if value.is_finite() && *value != 0.0 => Some(*value),
                _ => None,
            };
            let fix = (q.unit.is_none() && q.multiplier == 1.0).then(|| format!("{}%", q.text));
            match (own, target) {
                (Some(x), Some(t)) => {
                    // The target is in the KPI's unit as written; compare like with like.
                    let t = unit_base(t, unit);
                    Some(x / t)
                }
                (own, _) => {
                    // A bare number's span may run on over the line break after it; point at
                    // the digits.
                    let span = match q.unit {
                        None => Span {
                            end: q.span.end.min(q.span.start + q.text.len() as u32),
                            ..q.span
                        },
                        Some(_) => q.span,
                    };
                    cx.err(
                        Kind::ColourBandUnit {
                            text: q.text.clone(),
                            unit: unit.unwrap_or_default().to_string(),
                            needs_target: own.is_some(),
                            fix,
                        },
                        span,
                    );
                    None
                }
            }
        };
        self.bound_with(b, v)
    }

    pub(super) fn norms(&mut self, item: &Stmt) {
        let role = match item.args.first() {
            Some(Arg::Ident(i)) => Some(self.reference(NameSpace::Role, i)),
            _ => None,
        };
        let mut set = NormSet {
            role,
            title: text_of(item),
            norms: Vec::new(),
            span: item.span,
        };
        for n in item.children.iter().filter(|c| c.key == Rule::norm) {
            let mut filter = CounterFilter::default();
            // `звонки(исходящие) >= 40 в день`, `минуты(звонки) >= 150 в день`: checked like a
            // formula's counter (a counter that needs arguments reads its one argument so);
            // the norm keeps its counter, stage and text.
            let call = match n.args.first() {
                Some(Arg::Expr(e @ ast::Expr::Scoped(i, p)))
                    if Counter::from_name(&i.text).is_some_and(super::values::needs_args) =>
                {
                    Some((e, i, vec![ast::CallArg::Path(p.clone())]))
                }
                Some(Arg::Expr(e @ ast::Expr::Call(i, args, _))) => Some((e, i, args.clone())),
                _ => None,
            };
            let (subject, counter, scope) = match (call, n.args.first()) {
                (Some((e, i, args)), _) => match self.counter_call(i, &args) {
                    Some(Formula::Counter {
                        counter,
                        scope,
                        filter: f,
                    }) => {
                        filter = f;
                        (expr_text(e), Some(counter), scope)
                    }
                    _ => continue,
                },
                (None, Some(Arg::Ident(i))) => {
                    let c = self.counter(i);
                    (i.text.clone(), c, None)
                }
                (None, Some(Arg::Expr(e @ ast::Expr::Scoped(i, p)))) => {
                    let c = self.counter(i);
                    let sc = self.scope(p, None);
                    (expr_text(e), c, sc)
                }
                _ => continue,
            };
            let op = n
                .args
                .iter()
                .find_map(|a| match a {
                    Arg::Cmp(op, _) => Some(cmp_of(*op)),
                    _ => None,
                })
                .unwrap_or(Cmp::Ge);
            let title = strings(n).next().map(|t| t.value.clone());
            // A band `2..3 в нед`: its lower end first, the upper end read below as the value.
            let nums: Vec<&Arg> = n
                .args
                .iter()
                .filter(|a| matches!(a, Arg::Rate(_) | Arg::Quantity(_)))
                .collect();
            let band_low = match nums[..] {
                [Arg::Quantity(low), _] => Some(low.clone()),
                _ => None,
            };
            let (value, per, unit) = match nums.last().copied() {
                Some(Arg::Rate(r)) => {
                    let v = self.non_negative(&r.amount);
                    (v, period_of(unit_rule(r.per)), None)
                }
                Some(Arg::Quantity(q)) => match q.unit {
                    Some(Unit::Percent) => (self.probability(q), None, Some("share".to_string())),
                    Some(Unit::Minutes | Unit::Hours) => (self.minutes(q), None, Some("minutes".to_string())),
                    Some(u) if self.model.header.calendar().days(1.0, u).is_some() => {
                        (self.days(q, None), None, Some("days".to_string()))
                    }
                    Some(u) if units::is_money(u) => (self.money(q), None, Some("money".to_string())),
                    _ => (self.non_negative(q), None, None),
                },
                _ => (None, None, None),
            };
            let (value, max) = match (&band_low, value, nums.last()) {
                (Some(low), Some(max), Some(Arg::Rate(r))) => {
                    (self.norm_band_low(low, &r.amount, max), Some(max))
                }
                (Some(low), Some(max), Some(Arg::Quantity(q))) => {
                    (self.norm_band_low(low, q, max), Some(max))
                }
                (_, v, _) => (v, None),
            };
            if let Some(value) = value {
                set.norms.push(Norm {
                    subject,
                    counter,
                    scope,
                    filter,
                    op,
                    value,
                    max,
                    per,
                    unit,
                    title,
                    span: n.span,
                });
            }
        }
        self.model.norms.push(set);
    }

    pub(super) fn plan(&mut self, item: &Stmt) {
        if let Some(first) = self.plan_seen {
            self.diags.push(
                Diagnostic::new(
                    Kind::DuplicateSection {
                        section: Msg::new("план", "plan"),
                    },
                    item.head,
                )
                .with_label(first, Msg::new("впервые указан здесь", "first given here")),
            );
            return;
        }
        self.plan_seen = Some(item.head);
        let mut p = Plan {
            title: text_of(item),
            horizon_months: None,
            step_months: None,
            start: None,
            owner: None,
            procedure: None,
            targets: Vec::new(),
            deadlines: Vec::new(),
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            let q = quantities(s).next();
            match s.key {
                Rule::pl_horizon => p.horizon_months = q.and_then(|q| self.months(q)),
                Rule::pl_step => p.step_months = q.and_then(|q| self.months(q)),
                Rule::pl_start => {
                    if let Some(Arg::Date(d)) = s.args.iter().find(|a| matches!(a, Arg::Date(_))) {
                        p.start = self.date(d);
                    }
                }
                Rule::pl_owner => p.owner = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::pl_procedure => p.procedure = text_of(s),
                Rule::pl_deadline => p.deadlines.extend(self.plan_deadline(s)),
                Rule::pl_target => {
                    let metric = s
                        .args
                        .iter()
                        .find_map(|a| match a {
                            Arg::Word(Rule::kw_deals, _) => Some(PlanMetric::Deals),
                            Arg::Word(Rule::kw_new_clients, _) => Some(PlanMetric::NewClients),
                            Arg::Word(Rule::kw_revenue, _) => Some(PlanMetric::Revenue),
                            _ => None,
                        })
                        .unwrap_or(PlanMetric::Revenue);
                    let per_month: Vec<f64> = match s.args.iter().find(|a| matches!(a, Arg::Rate(_))) {
                        Some(Arg::Rate(r)) => self.per_month(r).into_iter().collect(),
                        _ => {
                            let qs: Vec<ast::Quantity> = quantities(s).cloned().collect();
                            qs.iter().filter_map(|q| self.non_negative(q)).collect()
                        }
                    };
                    p.targets.push(PlanTarget {
                        metric,
                        per_month,
                        span: s.span,
                    });
                }
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.plan = Some(p);
    }
}
