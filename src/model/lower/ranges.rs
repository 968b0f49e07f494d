//! Ranges where one number used to be required — a salary `оклад 40 000..60 000 ₽`, a unit's or
//! a channel's budget `бюджет 5 000..10 000 ₽ в мес`, a norm band `встречи 2..3 в нед` — and the
//! quality-control statements: a checklist's own colour bands and review time, a control's
//! review time, a report's recurring client analysis (ABC/XYZ) and a KPI's `балл(ЧекЛист)`.
//!
//! The unit (and multiplier) written after a range applies to its first end too (`1..3 дн`
//! reads so already); a first end in another unit is E0057, a first end above the second E0025.

use super::*;

/// How a report kind may be written.
const REPORT_KINDS: &[(&str, ClientAnalysisKind)] = &[
    ("abc_клиентов", ClientAnalysisKind::Abc),
    ("abc", ClientAnalysisKind::Abc),
    ("abc_clients", ClientAnalysisKind::Abc),
    ("xyz_клиентов", ClientAnalysisKind::Xyz),
    ("xyz", ClientAnalysisKind::Xyz),
    ("xyz_clients", ClientAnalysisKind::Xyz),
];

impl Lowerer {
    /// The first end of a range with the second's unit and multiplier when it has none; E0057
    /// when it has another unit.
    pub(super) fn range_low(&mut self, low: &ast::Quantity, high: &ast::Quantity) -> Option<ast::Quantity> {
        let mut q = low.clone();
        match (q.unit, high.unit) {
            (None, u) => q.unit = u,
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) if units::is_money(a) && units::is_money(b) => {
                self.range_mismatch(low, high);
                return None;
            }
            (Some(_), _) => {
                self.range_mismatch(low, high);
                return None;
            }
        }
        if q.multiplier == 1.0 {
            q.value *= high.multiplier;
        }
        Some(q)
    }

    fn range_mismatch(&mut self, low: &ast::Quantity, high: &ast::Quantity) {
        self.err(
            Kind::RangeUnitMismatch {
                low: low.text.clone(),
                high: high.text.clone(),
            },
            low.span.to(high.span),
        );
    }

    /// Both ends read; E0025 when the first is above the second.
    fn ordered(
        &mut self,
        low: &ast::Quantity,
        high: &ast::Quantity,
        min: f64,
        max: f64,
    ) -> Option<(f64, f64)> {
        if min > max {
            self.err(
                Kind::EmptyRange {
                    low: low.text.clone(),
                    high: high.text.clone(),
                },
                low.span.to(high.span),
            );
            return None;
        }
        Some((min, max))
    }

    /// `[low..]high [в период]` of money, per month (a bare amount is a month's).
    pub(super) fn money_per_month(&mut self, s: &Stmt) -> Option<MoneyRange> {
        let nums: Vec<&Arg> = s
            .args
            .iter()
            .filter(|a| matches!(a, Arg::Quantity(_) | Arg::Rate(_)))
            .collect();
        let (low, high) = match nums[..] {
            [h] => (None, h),
            [Arg::Quantity(l), h] => (Some(l), h),
            _ => return None,
        };
        let (hq, per) = match high {
            Arg::Rate(r) => (&r.amount, Some(r.per)),
            Arg::Quantity(q) => (q, None),
            _ => return None,
        };
        let factor = per.map_or(1.0, |p| self.model.header.calendar().per_month(p));
        let max = self.money(hq)? * factor;
        let Some(low) = low else {
            return Some(MoneyRange { min: max, max });
        };
        let l = self.range_low(low, hq)?;
        let min = self.money(&l)? * factor;
        let (min, max) = self.ordered(low, hq, min, max)?;
        Some(MoneyRange { min, max })
    }

    /// `оклад 50 000 ₽` or `оклад 40 000..60 000 ₽`: the salary costs read (the midpoint) and
    /// the range, if one is written.
    pub(super) fn salary(&mut self, s: &Stmt) -> (Option<f64>, Option<MoneyRange>) {
        let qs: Vec<&ast::Quantity> = quantities(s).collect();
        match qs[..] {
            [q] => (self.money(q), None),
            [low, high] => {
                let Some(max) = self.money(high) else {
                    return (None, None);
                };
                let Some(min) = self.range_low(low, high).and_then(|l| self.money(&l)) else {
                    return (None, None);
                };
                match self.ordered(low, high, min, max) {
                    Some((min, max)) => {
                        let r = MoneyRange { min, max };
                        (Some(r.mid()), Some(r))
                    }
                    None => (None, None),
                }
            }
            _ => (None, None),
        }
    }

    /// The lower end of a norm band `встречи 2..3 в нед` in the unit of its upper end
    /// (`high`, already read as `max`): the band's `value`.
    pub(super) fn norm_band_low(
        &mut self,
        low: &ast::Quantity,
        high: &ast::Quantity,
        max: f64,
    ) -> Option<f64> {
        let l = self.range_low(low, high)?;
        let min = match l.unit {
            Some(Unit::Percent) => self.probability(&l)?,
            Some(Unit::Minutes | Unit::Hours) => self.minutes(&l)?,
            Some(u) if self.model.header.calendar().days(1.0, u).is_some() => self.days(&l, None)?,
            Some(u) if units::is_money(u) => self.money(&l)?,
            _ => self.non_negative(&l)?,
        };
        self.ordered(low, high, min, max).map(|(min, _)| min)
    }

    /// `цвета красный < 60, жёлтый 60..80, зелёный >= 80` of a checklist: shares of the
    /// maximum score, a bare number read as points of 100 (`60` = `60%`).
    pub(super) fn checklist_colours(&mut self, s: &Stmt) -> Vec<ColourBand> {
        let mut out = Vec::new();
        for band in &s.children {
            let colour = match word(band) {
                Some(Rule::kw_red) => Colour::Red,
                Some(Rule::kw_yellow) => Colour::Yellow,
                _ => Colour::Green,
            };
            let Some(Arg::Bound(b)) = band.args.iter().find(|a| matches!(a, Arg::Bound(_))) else {
                continue;
            };
            let b = b.clone();
            let bound = self.bound_with(&b, |cx, q| {
                let x = cx.non_negative(q)?;
                let share = match q.unit {
                    Some(Unit::Percent) | None => x / 100.0,
                    Some(_) => {
                        cx.wrong_unit(q, UnitClass::Percent);
                        return None;
                    }
                };
                if share > 1.0 {
                    cx.err(
                        Kind::OutOfRange {
                            text: q.text.clone(),
                            range: Msg::new("от 0 до 100 баллов (%)", "0 to 100 points (%)"),
                        },
                        q.span,
                    );
                    return None;
                }
                Some(share)
            });
            if let Some(bound) = bound {
                out.push(ColourBand { colour, bound });
            }
        }
        out
    }

    /// `вид abc_клиентов`.
    pub(super) fn report_kind(&mut self, s: &Stmt) -> Option<ClientAnalysisKind> {
        let i = first_ident(s)?;
        let value = i.text.to_lowercase();
        match REPORT_KINDS.iter().find(|(n, _)| *n == value) {
            Some((_, k)) => Some(*k),
            None => {
                let suggestion = suggest(&i.text, REPORT_KINDS.iter().map(|(n, _)| *n));
                self.err(
                    Kind::UnknownReportKind {
                        value: i.text.clone(),
                        suggestion,
                    },
                    i.span,
                );
                None
            }
        }
    }

    /// `пороги A 80%, B 15%, C 5%` (ABC: shares of revenue, largest first, summing to 100 %)
    /// or `пороги X 10%, Y 25%, Z` (XYZ: rising coefficients of variation; the last class goes
    /// without one and is added as `Z` when not written).
    pub(super) fn thresholds(
        &mut self,
        s: &Stmt,
        kind: ClientAnalysisKind,
    ) -> Option<Vec<(String, Option<f64>)>> {
        let mut classes: Vec<(String, Option<f64>)> = Vec::new();
        for t in s.children.iter().filter(|c| c.key == Rule::rep_threshold) {
            let name = first_ident(t).map(|i| i.text.clone()).unwrap_or_default();
            let share = match quantities(t).next() {
                Some(q) => Some(self.share(q)?),
                None => None,
            };
            classes.push((name, share));
        }
        let why = match kind {
            ClientAnalysisKind::Abc => {
                let sum: f64 = classes.iter().filter_map(|c| c.1).sum();
                let falling = classes.windows(2).all(|w| w[0].1 >= w[1].1);
                if classes.iter().any(|c| c.1.is_none()) || classes.len() < 2 || !falling {
                    Some(Msg::new(
                        "нужно не меньше двух классов, у каждого доля выручки, по убыванию",
                        "at least two classes are needed, each with its share of revenue, largest first",
                    ))
                } else if (sum - 1.0).abs() > 1e-6 {
                    Some(Msg::new(
                        format!(
                            "доли ABC в сумме {}, а не 100 %",
                            crate::diag::kind::pct(sum, crate::diag::Lang::Ru)
                        ),
                        format!(
                            "the ABC shares sum to {}, not 100%",
                            crate::diag::kind::pct(sum, crate::diag::Lang::En)
                        ),
                    ))
                } else {
                    None
                }
            }
            ClientAnalysisKind::Xyz => {
                let n = classes.len();
                let written: Vec<f64> = classes.iter().filter_map(|c| c.1).collect();
                let gaps = classes.iter().take(n.saturating_sub(1)).any(|c| c.1.is_none());
                let rising = written.windows(2).all(|w| w[0] < w[1]);
                (gaps || !rising || written.is_empty()).then(|| {
                    Msg::new(
                        "коэффициенты вариации XYZ должны возрастать от класса к классу; без порога — только последний класс",
                        "the XYZ coefficients of variation must rise from class to class; only the last class goes without one",
                    )
                })
            }
        };
        if let Some(why) = why {
            self.err(Kind::BadThresholds { why }, s.span);
            return None;
        }
        if kind == ClientAnalysisKind::Xyz && classes.last().is_some_and(|c| c.1.is_some()) {
            let last = ["Z", "Z2", "Z3"]
                .iter()
                .find(|n| !classes.iter().any(|c| c.0 == **n))
                .map_or("Z+", |n| n);
            classes.push((last.to_string(), None));
        }
        Some(classes)
    }

    /// `балл(ЧекЛист)` in a formula, when `name` is a score name.
    pub(super) fn score(&mut self, name: &ast::Ident, p: &ast::PathRef) -> Option<Option<Formula>> {
        if !crate::model::SCORE_NAMES.contains(&name.text.as_str()) {
            return None;
        }
        // Declared checklists are known before any item is lowered; an undefined one is reported.
        let checklist = self.reference(NameSpace::Checklist, &p.first);
        let known = self
            .names
            .contains_key(&(NameSpace::Checklist, checklist.clone()));
        Some(known.then_some(Formula::Score { checklist }))
    }
}
