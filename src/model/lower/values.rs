//! Compound values: distributions (durations and amounts), bounds and colour bands, KPI
//! formulas and their counters, colours.

use super::*;

pub(super) const COLOURS: &[(&str, &str)] = &[
    ("красный", "#e53935"),
    ("red", "#e53935"),
    ("оранжевый", "#fb8c00"),
    ("orange", "#fb8c00"),
    ("жёлтый", "#fdd835"),
    ("желтый", "#fdd835"),
    ("yellow", "#fdd835"),
    ("зелёный", "#43a047"),
    ("зеленый", "#43a047"),
    ("green", "#43a047"),
    ("голубой", "#4fc3f7"),
    ("cyan", "#4fc3f7"),
    ("синий", "#1e88e5"),
    ("blue", "#1e88e5"),
    ("фиолетовый", "#8e24aa"),
    ("purple", "#8e24aa"),
    ("серый", "#9e9e9e"),
    ("grey", "#9e9e9e"),
    ("gray", "#9e9e9e"),
];

/// The formula written back in one canonical form.
pub(super) fn expr_text(e: &ast::Expr) -> String {
    use ast::Expr as E;
    match e {
        E::Number(q) => q.text.clone(),
        E::Counter(i) => i.text.clone(),
        E::Scoped(i, p) => format!("{}({})", i.text, p.display()),
        E::Call(i, args, _) => super::counter_args::call_text(i, args),
        E::Change(a, base, _) => {
            let base = match base {
                ast::ChangeBase::PreviousPeriod => "прошлый_период",
                ast::ChangeBase::PreviousYear => "прошлый_год",
            };
            format!("изменение({}, {base})", expr_text(a))
        }
        E::Neg(a, _) => format!("-{}", expr_text(a)),
        E::Binary(op, l, r, _) => {
            let sym = match op {
                ast::BinOp::Add => "+",
                ast::BinOp::Sub => "-",
                ast::BinOp::Mul => "*",
                ast::BinOp::Div => "/",
            };
            let wrap = |x: &ast::Expr| match x {
                E::Binary(ast::BinOp::Add | ast::BinOp::Sub, ..)
                    if matches!(op, ast::BinOp::Mul | ast::BinOp::Div) =>
                {
                    format!("({})", expr_text(x))
                }
                _ => expr_text(x),
            };
            let right = match r.as_ref() {
                E::Binary(..) if matches!(op, ast::BinOp::Sub | ast::BinOp::Div) => {
                    format!("({})", expr_text(r))
                }
                _ => wrap(r),
            };
            format!("{} {sym} {}", wrap(l), right)
        }
    }
}

impl Lowerer {
    /// A distribution of days (`unit_default` when no unit is written: none for durations).
    pub(super) fn distribution(&mut self, d: &ast::Dist, money: bool) -> Option<Distribution> {
        let unit = d.unit;
        let conv = |cx: &mut Lowerer, q: &ast::Quantity| -> Option<f64> {
            let mut q = q.clone();
            q.value *= d.multiplier;
            if money {
                if q.unit.is_none() && unit.is_some_and(units::is_money) {
                    q.unit = unit;
                }
                cx.money(&q)
            } else {
                cx.days(&q, unit)
            }
        };
        use ast::DistKind as K;
        let out = match &d.kind {
            K::Fixed(q) => Distribution::Fixed {
                value: conv(self, q)?,
            },
            K::Uniform(a, b) => {
                // `1..3 дн`: the unit written last applies to the first bound too.
                let mut a2 = a.clone();
                if a2.unit.is_none() {
                    a2.unit = b.unit;
                }
                // `300..600 тыс ₽`: the multiplier written last applies to the first bound too.
                if a2.multiplier == 1.0 {
                    a2.value *= b.multiplier;
                }
                let (min, max) = (conv(self, &a2), conv(self, b));
                let (min, max) = (min?, max?);
                if min > max {
                    self.err(
                        Kind::EmptyRange {
                            low: a.text.clone(),
                            high: b.text.clone(),
                        },
                        d.span,
                    );
                    return None;
                }
                Distribution::Uniform { min, max }
            }
            K::Triangular(a, m, b) => {
                let (min, mode, max) = (conv(self, a), conv(self, m), conv(self, b));
                let (min, mode, max) = (min?, mode?, max?);
                if !(min <= mode && mode <= max) {
                    self.err(
                        Kind::InvalidParameter {
                            what: Msg::new("нужно мин ≤ мода ≤ макс", "min ≤ mode ≤ max is required"),
                        },
                        d.span,
                    );
                    return None;
                }
                Distribution::Triangular { min, mode, max }
            }
            K::LogNormal(m, s) => {
                let (mean, sd) = (conv(self, m), conv(self, s));
                let (mean, sd) = (mean?, sd?);
                if mean <= 0.0 {
                    self.err(
                        Kind::InvalidParameter {
                            what: Msg::new("среднее должно быть больше нуля", "the mean must be above zero"),
                        },
                        d.span,
                    );
                    return None;
                }
                Distribution::LogNormal { mean, sd }
            }
            K::Empirical(qs) => {
                let mut values = Vec::new();
                for q in qs {
                    values.push(conv(self, q)?);
                }
                Distribution::Empirical { values }
            }
        };
        Some(out)
    }

    pub(super) fn bound(&mut self, b: &ast::Bound) -> Option<Bound> {
        let v = |cx: &mut Lowerer, q: &ast::Quantity| -> Option<f64> {
            let x = cx.finite(q)?;
            Some(if q.unit == Some(Unit::Percent) {
                x / 100.0
            } else {
                x
            })
        };
        self.bound_with(b, v)
    }

    /// A bound with each of its values read by `v`; both ends of a range are read (so both
    /// are reported) before an empty range is refused.
    pub(super) fn bound_with(
        &mut self,
        b: &ast::Bound,
        v: impl Fn(&mut Lowerer, &ast::Quantity) -> Option<f64>,
    ) -> Option<Bound> {
        Some(match b {
            ast::Bound::Cmp(op, q) => Bound::Cmp {
                op: op.map(cmp_of).unwrap_or(Cmp::Ge),
                value: v(self, q)?,
            },
            ast::Bound::Range(a, q) => {
                let (min, max) = (v(self, a), v(self, q));
                let (min, max) = (min?, max?);
                if min > max {
                    self.err(
                        Kind::EmptyRange {
                            low: a.text.clone(),
                            high: q.text.clone(),
                        },
                        a.span.to(q.span),
                    );
                    return None;
                }
                Bound::Range { min, max }
            }
        })
    }

    pub(super) fn formula(&mut self, e: &ast::Expr) -> Option<Formula> {
        use ast::Expr as E;
        Some(match e {
            E::Number(q) => Formula::Number {
                value: {
                    let x = self.finite(q)?;
                    if q.unit == Some(Unit::Percent) {
                        x / 100.0
                    } else {
                        x
                    }
                },
            },
            E::Counter(i) if matches!(Counter::from_name(&i.text), Some(c) if needs_args(c)) => {
                self.counter_call(i, &[])?
            }
            E::Counter(i) => Formula::Counter {
                counter: self.counter(i)?,
                scope: None,
                filter: CounterFilter::default(),
            },
            // `минуты(звонки)` and `просрочено(Этап)` read their one argument their own way.
            E::Scoped(i, p) if matches!(Counter::from_name(&i.text), Some(c) if needs_args(c)) => {
                self.counter_call(i, &[ast::CallArg::Path(p.clone())])?
            }
            E::Scoped(i, p) => {
                if let Some(score) = self.score(i, p) {
                    return score;
                }
                let counter = self.counter(i);
                let scope = self.scope(p, None);
                Formula::Counter {
                    counter: counter?,
                    scope: Some(scope?),
                    filter: CounterFilter::default(),
                }
            }
            E::Call(i, args, _) => self.counter_call(i, args)?,
            E::Change(a, base, span) => self.change(a, *base, *span)?,
            E::Neg(a, _) => Formula::Neg {
                arg: Box::new(self.formula(a)?),
            },
            E::Binary(op, l, r, _) => {
                let (l, r) = (self.formula(l), self.formula(r));
                let (left, right) = (Box::new(l?), Box::new(r?));
                match op {
                    ast::BinOp::Add => Formula::Add { left, right },
                    ast::BinOp::Sub => Formula::Sub { left, right },
                    ast::BinOp::Mul => Formula::Mul { left, right },
                    ast::BinOp::Div => Formula::Div { left, right },
                }
            }
        })
    }

    pub(super) fn counter(&mut self, i: &ast::Ident) -> Option<Counter> {
        let c = Counter::from_name(&i.text);
        if c.is_none() {
            let suggestion = suggest(&i.text, Counter::all_names());
            self.err(
                Kind::UnknownCounter {
                    name: i.text.clone(),
                    suggestion,
                },
                i.span,
            );
        }
        c
    }

    pub(super) fn colour(&mut self, s: &Stmt) -> Option<String> {
        let (value, span) = match s.args.first()? {
            Arg::Str(t) => (t.value.clone(), t.span),
            Arg::Ident(i) => (i.text.clone(), i.span),
            _ => return None,
        };
        let hex = value.strip_prefix('#').unwrap_or("");
        if (hex.len() == 6 || hex.len() == 3) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Some(value.to_lowercase());
        }
        if let Some((_, hex)) = COLOURS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&value) || *n == value.to_lowercase())
        {
            return Some(hex.to_string());
        }
        self.err(Kind::InvalidColour { value }, span);
        None
    }
}

/// Counters that mean nothing without arguments (`минуты(звонки)`, `открыто(Этап)`,
/// `просрочено(Этап, 5 дн)`).
pub(super) fn needs_args(c: Counter) -> bool {
    matches!(c, Counter::TalkMinutes | Counter::Open | Counter::Overdue)
}
