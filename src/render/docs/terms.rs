//! Deal terms (`условия`: the discount approval matrix, deferral, prepayment, instalments,
//! offers, refunds), penalties (`ответственность`) and the parts of a role's pay beyond a flat
//! bonus (scale, payout threshold, piece rates), worded for the documents.

use super::super::format;
use super::Views;
use crate::diag::Lang;
use crate::model::pay::{Interval, Review, Terms};
use crate::model::{Cmp, Role, Scope};
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct TermsView {
    pub(super) title: String,
    /// The approval matrix: (discounts, who approves, condition).
    pub(super) approvals: Vec<(String, String, Option<String>)>,
    /// Discounts on a condition: (discount, condition).
    pub(super) discounts: Vec<(String, Option<String>)>,
    /// Every other term, one sentence each.
    pub(super) lines: Vec<String>,
    pub(super) description: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PenaltiesView {
    pub(super) title: String,
    pub(super) roles: Vec<String>,
    /// (violation, consequence).
    pub(super) sanctions: Vec<(String, String)>,
    pub(super) cap: Option<String>,
    pub(super) reviews: Vec<String>,
    pub(super) description: Option<String>,
}

impl Views<'_> {
    fn pct(&self, x: f64) -> String {
        format::percent(x, self.lang)
    }

    /// `до 5 %`, `от 5 до 10 %`, `свыше 10 %`, `5 %`.
    pub(super) fn share_range(&self, i: &Interval) -> String {
        let p = |x| self.pct(x);
        match i.high {
            None if i.low_closed => format!("{} {}", self.pick("от", "from"), p(i.low)),
            None => format!("{} {}", self.pick("свыше", "above"), p(i.low)),
            Some(h) if h == i.low => p(h),
            Some(h) if i.low == 0.0 && i.high_closed => format!("{} {}", self.pick("до", "up to"), p(h)),
            Some(h) if i.low == 0.0 => format!("{} {}", self.pick("ниже", "below"), p(h)),
            Some(h) => match self.lang {
                Lang::Ru => format!("от {} до {}", p(i.low), p(h)),
                Lang::En => format!("{} to {}", p(i.low), p(h)),
            },
        }
    }

    /// A role's bonus in words: the flat part, the scale, the threshold and piece rates.
    pub(super) fn bonus_text(&self, r: &Role) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(b) = &r.bonus {
            parts.push(self.bonus(b.kind()));
        }
        if let Some(s) = &r.bonus_scale {
            let mut steps: Vec<_> = s.steps.iter().collect();
            steps.sort_by(|a, b| a.fulfilment.low.total_cmp(&b.fulfilment.low));
            let base = match s.base {
                crate::model::BonusBase::Margin => self.pick("маржи", "of margin"),
                _ => self.pick("выручки", "of revenue"),
            };
            let steps: Vec<String> = steps
                .iter()
                .map(|st| {
                    format!(
                        "{} {base} {} {}",
                        self.pct(st.share),
                        self.pick("при выполнении плана", "at plan fulfilment"),
                        self.share_range(&st.fulfilment)
                    )
                })
                .collect();
            parts.push(format!(
                "{} {}",
                self.pick("по шкале:", "on a scale:"),
                steps.join(", ")
            ));
        }
        for p in &r.piece_rates {
            let what = self.counted(p.counter, p.scope.as_ref());
            parts.push(format!(
                "{} {} {what}",
                self.money(p.amount),
                self.pick("за каждый случай:", "per case of:")
            ));
        }
        if let Some(t) = r.pay_threshold {
            parts.push(format!(
                "{} {}",
                self.pick(
                    "премия не выплачивается в месяце, когда план выполнен меньше чем на",
                    "no bonus in a month when less than this share of the plan is met:"
                ),
                self.pct(t)
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// `переход этапа «Квалификация»` — what a piece rate counts.
    fn counted(&self, c: crate::model::Counter, scope: Option<&Scope>) -> String {
        let name = self.counter_name(c);
        match scope {
            Some(Scope::Stage { pipeline, stage }) => {
                format!("{name} «{}»", self.stage_title(pipeline, stage))
            }
            Some(Scope::Pipeline { pipeline }) => {
                let title = self
                    .model
                    .pipeline(pipeline)
                    .and_then(|p| p.title.clone())
                    .unwrap_or_else(|| pipeline.clone());
                format!("{name} ({} «{title}»)", self.pick("воронка", "pipeline"))
            }
            None => name,
        }
    }

    pub(super) fn deal_terms(&self) -> Vec<TermsView> {
        self.model.terms.iter().map(|t| self.terms_view(t)).collect()
    }

    fn terms_view(&self, t: &Terms) -> TermsView {
        let cond = |c: &Option<String>| c.as_ref().map(|c| format!(" ({c})")).unwrap_or_default();
        let mut lines = Vec::new();
        for d in &t.deferrals {
            lines.push(format!(
                "{} {}{}",
                self.pick("Отсрочка платежа — до", "Payment deferral — up to"),
                format::days(d.days, self.lang),
                cond(&d.condition)
            ));
        }
        for p in &t.prepayments {
            lines.push(format!(
                "{} {}{}",
                self.pick("Предоплата", "Prepayment"),
                self.pct(p.share),
                cond(&p.condition)
            ));
        }
        for i in &t.instalments {
            let terms: Vec<String> = i.months.iter().map(|m| self.months_text(*m)).collect();
            lines.push(format!(
                "{} {}{}",
                self.pick("Рассрочка на", "Instalments over"),
                terms.join(self.pick(" или ", " or ")),
                cond(&i.condition)
            ));
        }
        for o in &t.offers {
            let discount = o
                .discount
                .map(|d| format!(" — {} {}", self.pick("скидка", "discount"), self.pct(d)))
                .unwrap_or_default();
            lines.push(format!(
                "«{}»{discount}, {} {}",
                o.name,
                self.pick("действует", "valid for"),
                self.duration(o.valid_days)
            ));
        }
        for r in &t.refunds {
            lines.push(format!(
                "{} {}{}",
                self.pick("Возврат — в течение", "Refund — within"),
                format::days(r.days, self.lang),
                cond(&r.condition)
            ));
        }
        if let Some(n) = &t.no_stacking {
            let what = if n.is_empty() {
                String::new()
            } else {
                format!(": {n}")
            };
            lines.push(format!(
                "{}{what}",
                self.pick("Скидки не суммируются", "Discounts do not combine")
            ));
        }
        TermsView {
            title: t
                .title
                .clone()
                .unwrap_or_else(|| self.pick("Условия сделок", "Deal terms").to_string()),
            approvals: t
                .approval_bands()
                .iter()
                .map(|d| {
                    (
                        self.share_range(&d.range),
                        d.approver
                            .as_deref()
                            .map(|a| self.role_title(a))
                            .unwrap_or_default(),
                        d.condition.clone(),
                    )
                })
                .collect(),
            discounts: t
                .discounts
                .iter()
                .filter(|d| d.approver.is_none())
                .map(|d| (self.share_range(&d.range), d.condition.clone()))
                .collect(),
            lines,
            description: t.description.clone(),
        }
    }

    /// Working days as the documents write a validity: hours under a day, else days.
    fn duration(&self, days: f64) -> String {
        if days < 1.0 {
            let hours = days * crate::model::WORK_DAY_HOURS;
            format!("{} {}", format::number(hours, 0, self.lang), self.pick("ч", "h"))
        } else {
            format::days(days, self.lang)
        }
    }

    fn months_text(&self, m: f64) -> String {
        format!("{} {}", format::number(m, 0, self.lang), self.pick("мес.", "mo"))
    }

    pub(super) fn penalties(&self) -> Vec<PenaltiesView> {
        self.model
            .penalties
            .iter()
            .map(|p| PenaltiesView {
                title: p
                    .title
                    .clone()
                    .unwrap_or_else(|| self.pick("Ответственность", "Penalties").to_string()),
                roles: p.roles.iter().map(|r| self.role_title(r)).collect(),
                sanctions: p
                    .sanctions
                    .iter()
                    .map(|s| {
                        let what = match (s.bonus_share, &s.consequence) {
                            (Some(x), _) if x >= 1.0 => self
                                .pick("лишение премии за месяц", "loss of the month's bonus")
                                .to_string(),
                            (Some(x), _) => format!(
                                "{} {} {}",
                                self.pick("минус", "minus"),
                                self.pct(x),
                                self.pick("премии месяца за каждый случай", "of the month's bonus per case")
                            ),
                            (None, Some(c)) => c.clone(),
                            (None, None) => String::new(),
                        };
                        (s.violation.clone(), what)
                    })
                    .collect(),
                cap: p.cap.map(|c| {
                    format!(
                        "{} {} {}",
                        self.pick("Всего санкции снимают не более", "In all, penalties take at most"),
                        self.pct(c),
                        self.pick("премии за месяц", "of the month's bonus")
                    )
                }),
                reviews: p
                    .reviews
                    .iter()
                    .map(|r| format::upper_first(&self.review(r)))
                    .collect(),
                description: p.description.clone(),
            })
            .collect()
    }

    fn review(&self, r: &Review) -> String {
        let subject = match &r.kpi {
            None => self.pick("выполнение плана", "plan fulfilment").to_string(),
            Some(k) => {
                let title = self
                    .model
                    .kpis
                    .iter()
                    .find(|x| &x.name == k)
                    .and_then(|x| x.title.clone())
                    .unwrap_or_else(|| k.clone());
                format!("«{title}»")
            }
        };
        let op = match (r.op, self.lang) {
            (Cmp::Lt, Lang::Ru) => "ниже",
            (Cmp::Le, Lang::Ru) => "не выше",
            (Cmp::Gt, Lang::Ru) => "выше",
            (Cmp::Ge, Lang::Ru) => "не ниже",
            (Cmp::Eq, Lang::Ru) => "равно",
            (Cmp::Lt, Lang::En) => "below",
            (Cmp::Le, Lang::En) => "at most",
            (Cmp::Gt, Lang::En) => "above",
            (Cmp::Ge, Lang::En) => "at least",
            (Cmp::Eq, Lang::En) => "equal to",
        };
        let value = if r.kpi.is_none() || r.value_text.contains('%') {
            self.pct(r.value)
        } else {
            format::number(r.value, 1, self.lang)
        };
        let then = r
            .consequence
            .clone()
            .unwrap_or_else(|| self.pick("аттестация", "a review").to_string());
        format!(
            "{subject} {op} {value} {} {} — {then}",
            r.duration_text,
            self.pick("подряд", "in a row")
        )
    }

    /// The discount bands the role approves: `от 5 до 10 %`.
    pub(super) fn approvals_of(&self, role: &str) -> Vec<String> {
        self.model
            .terms
            .iter()
            .flat_map(|t| t.approval_bands())
            .filter(|d| d.approver.as_deref() == Some(role))
            .map(|d| {
                let c = d
                    .condition
                    .as_ref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                format!("{}{c}", self.share_range(&d.range))
            })
            .collect()
    }

    /// The sanctions that apply to the role, worded: `Сделка без задачи — минус 10 % …`.
    pub(super) fn sanctions_of(&self, role: &str) -> Vec<String> {
        self.penalties()
            .into_iter()
            .zip(&self.model.penalties)
            .filter(|(_, p)| p.roles.is_empty() || p.roles.iter().any(|r| r == role))
            .flat_map(|(v, _)| {
                let mut out: Vec<String> = v.sanctions.iter().map(|(a, b)| format!("{a} — {b}")).collect();
                out.extend(v.cap);
                out.extend(v.reviews);
                out
            })
            .collect()
    }
}
