//! Pay conditions of a role (`бонус шкала`, `бонус … за …`), deal terms (`условия`) and
//! penalties (`ответственность`). The checks over the whole model (overlaps, gaps, sanctions
//! on roles without a bonus) are in `check::terms`.

use super::*;
use crate::model::pay::{
    BonusScale, Discount, Instalments, Interval, Offer, Penalties, PieceRate, Prepayment, Review, Sanction,
    ScaleStep, TermDays, Terms,
};

impl Lowerer {
    /// A share range from a written bound: `< 80%`, `80%..100%`, `> 100%`; a bare value is the
    /// point itself.
    fn interval(&mut self, b: &ast::Bound) -> Option<Interval> {
        Some(match b {
            ast::Bound::Cmp(op, q) => {
                let v = self.share(q)?;
                Interval::from_cmp(op.map(cmp_of).unwrap_or(Cmp::Eq), v)
            }
            ast::Bound::Range(..) => match self.bound_with(b, |cx, q| cx.share(q))? {
                Bound::Range { min, max } => Interval::new(min, true, Some(max), true),
                Bound::Cmp { .. } => return None,
            },
        })
    }

    pub(super) fn bonus_scale(&mut self, s: &Stmt) -> Option<BonusScale> {
        let base = match word(s) {
            Some(Rule::kw_of_margin) => BonusBase::Margin,
            _ => BonusBase::Revenue,
        };
        let mut steps = Vec::new();
        for c in s.children.iter().filter(|c| c.key == Rule::scale_step) {
            let bound = c.args.iter().find_map(|a| match a {
                Arg::Bound(b) => Some(b),
                _ => None,
            });
            let fulfilment = bound.and_then(|b| self.interval(b));
            let share = quantities(c).next().and_then(|q| self.probability(q));
            if let (Some(fulfilment), Some(share)) = (fulfilment, share) {
                steps.push(ScaleStep {
                    fulfilment,
                    share,
                    span: c.span,
                });
            }
        }
        Some(BonusScale {
            steps,
            base,
            span: s.span,
        })
    }

    pub(super) fn piece_rate(&mut self, s: &Stmt) -> Option<PieceRate> {
        let amount = quantities(s).next().and_then(|q| self.money(q));
        let (counter, scope) = match s
            .args
            .iter()
            .find(|a| matches!(a, Arg::Expr(_) | Arg::Ident(_)))?
        {
            Arg::Expr(ast::Expr::Scoped(i, p)) => {
                let c = self.counter(i);
                let scope = self.scope(p, None);
                (c?, Some(scope?))
            }
            Arg::Ident(i) => (self.counter(i)?, None),
            _ => return None,
        };
        Some(PieceRate {
            amount: amount?,
            counter,
            scope,
            span: s.span,
        })
    }

    fn term_days(&mut self, s: &Stmt) -> Option<TermDays> {
        let q = quantities(s).next()?;
        Some(TermDays {
            text: q.text.clone(),
            days: self.days(q, Some(Unit::Days))?,
            condition: text_of(s),
        })
    }

    pub(super) fn terms(&mut self, item: &Stmt) {
        let mut t = Terms {
            title: text_of(item),
            discounts: Vec::new(),
            no_stacking: None,
            deferrals: Vec::new(),
            prepayments: Vec::new(),
            instalments: Vec::new(),
            offers: Vec::new(),
            refunds: Vec::new(),
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::t_discount => {
                    let range = match s.args.first() {
                        Some(Arg::Word(Rule::kw_up_to, _)) => quantities(s)
                            .next()
                            .and_then(|q| self.probability(q))
                            .map(|v| Interval::from_cmp(Cmp::Le, v)),
                        Some(Arg::Bound(b)) => self.interval(b),
                        _ => None,
                    };
                    let approver = first_ident(s).map(|i| self.reference(NameSpace::Role, i));
                    if let Some(range) = range {
                        t.discounts.push(Discount {
                            range,
                            approver,
                            condition: text_of(s),
                            span: s.span,
                        });
                    }
                }
                Rule::t_no_stacking => t.no_stacking = Some(text_of(s).unwrap_or_default()),
                Rule::t_deferral => t.deferrals.extend(self.term_days(s)),
                Rule::t_refund => t.refunds.extend(self.term_days(s)),
                Rule::t_prepayment => {
                    if let Some(share) = quantities(s).next().and_then(|q| self.probability(q)) {
                        t.prepayments.push(Prepayment {
                            share,
                            condition: text_of(s),
                        });
                    }
                }
                Rule::t_instalment => {
                    let mut terms = Vec::new();
                    let mut months = Vec::new();
                    for q in quantities(s) {
                        if let Some(m) = self.months(q) {
                            terms.push(q.text.clone());
                            months.push(m);
                        }
                    }
                    t.instalments.push(Instalments {
                        terms,
                        months,
                        condition: text_of(s),
                    });
                }
                Rule::t_offer => {
                    let qs: Vec<&ast::Quantity> = quantities(s).collect();
                    let (discount, valid) = match qs.as_slice() {
                        [d, v] => (Some(*d), *v),
                        [v] => (None, *v),
                        _ => continue,
                    };
                    let discount = discount.and_then(|d| self.probability(d));
                    if let Some(valid_days) = self.days(valid, Some(Unit::Days)) {
                        t.offers.push(Offer {
                            name: text_of(s).unwrap_or_default(),
                            discount,
                            valid_text: valid.text.clone(),
                            valid_days,
                        });
                    }
                }
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.terms.push(t);
    }

    pub(super) fn penalties(&mut self, item: &Stmt) {
        let mut p = Penalties {
            title: text_of(item),
            roles: Vec::new(),
            sanctions: Vec::new(),
            cap: None,
            cap_period: None,
            reviews: Vec::new(),
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::pn_roles => p.roles = self.references(NameSpace::Role, s),
                Rule::pn_sanction => {
                    let mut texts = strings(s);
                    let violation = texts.next().map(|t| t.value.clone()).unwrap_or_default();
                    let consequence = texts.next().map(|t| t.value.clone());
                    // A penalty is written as a loss (`-10% премии`) or as its size (`10%`).
                    let bonus_share = quantities(s).next().and_then(|q| {
                        let mut q = q.clone();
                        q.value = q.value.abs();
                        self.probability(&q)
                    });
                    p.sanctions.push(Sanction {
                        violation,
                        bonus_share,
                        consequence,
                        span: s.span,
                    });
                }
                Rule::pn_cap => {
                    p.cap = quantities(s).next().and_then(|q| self.probability(q));
                    p.cap_period = s.args.iter().find_map(|a| match a {
                        Arg::Word(r, _) => period_of(*r),
                        _ => None,
                    });
                }
                Rule::pn_review => {
                    let kpi = first_ident(s).map(|i| self.reference(NameSpace::Kpi, i));
                    let op = s.args.iter().find_map(|a| match a {
                        Arg::Cmp(op, _) => Some(cmp_of(*op)),
                        _ => None,
                    });
                    let qs: Vec<&ast::Quantity> = quantities(s).collect();
                    let [value, duration] = qs.as_slice() else {
                        continue;
                    };
                    let v = if value.unit == Some(Unit::Percent) || kpi.is_none() {
                        self.share(value)
                    } else {
                        self.finite(value)
                    };
                    let days = self.days(duration, None);
                    if let (Some(op), Some(v), Some(days)) = (op, v, days) {
                        p.reviews.push(Review {
                            kpi,
                            op,
                            value: v,
                            value_text: value.text.clone(),
                            duration_text: duration.text.clone(),
                            duration_days: days,
                            consequence: text_of(s),
                            span: s.span,
                        });
                    }
                }
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        self.model.penalties.push(p);
    }
}
