//! The people and their measures: the header of the regulation, a role with its pay example
//! worded, a norm and a KPI.

use super::super::format;
use super::{HeaderView, KpiView, NormView, PayView, RoleView, Views};
use crate::model::{Currency, Kpi, Norm};
use crate::planning::pay::PayExample;

impl Views<'_> {
    pub(super) fn norm(&self, n: &Norm) -> NormView {
        let subject = match (n.counter, &n.scope) {
            (Some(c), scope) => {
                let base = self.counter_name(c);
                match scope {
                    Some(s) => format!("{base}: {}", self.scope(s)),
                    None => base,
                }
            }
            (None, _) if n.subject == "первый_отклик" || n.subject == "first_response" => {
                self.first_response().to_string()
            }
            (None, _) => n.subject.replace('_', " "),
        };
        let subject = self.with_filter(subject, &n.filter);
        let unit = n.unit.as_deref();
        let fmt = |x: f64| match (n.counter, unit) {
            (Some(crate::model::Counter::Revenue | crate::model::Counter::AverageDeal), _) => self.money(x),
            (Some(crate::model::Counter::CycleDays | crate::model::Counter::CycleCalendarDays), _) => {
                format::days(x, self.lang)
            }
            (_, Some("min" | "мин" | "minutes")) => format::minutes(x, self.lang),
            (_, Some("share" | "fraction" | "%")) => format::percent(x, self.lang),
            (_, Some("days" | "дн")) => format::days(x, self.lang),
            _ => format::number(x, 1, self.lang),
        };
        let per = n.per.map(|p| format!(" {}", self.per(p))).unwrap_or_default();
        // A band `встречи 2..3 в нед`: both ends.
        let requirement = match n.max {
            Some(max) => format!(
                "{} {} {} {}{per}",
                self.pick("от", "from"),
                fmt(n.value),
                self.pick("до", "to"),
                fmt(max)
            ),
            None => format!("{} {}{per}", self.cmp(n.op), fmt(n.value)),
        };
        NormView {
            subject,
            requirement,
            title: n.title.clone(),
        }
    }

    pub(super) fn kpi(&self, k: &Kpi) -> KpiView {
        let unit = k.unit.as_deref();
        KpiView {
            name: k.name.clone(),
            title: k.title.clone().unwrap_or_else(|| k.name.clone()),
            kind: k.kind.map(|x| self.kpi_kind(x)),
            direction: k.direction.map(|d| self.direction(d)),
            formula: k.formula.as_ref().map(|f| self.formula_words(f)),
            unit: k.unit.clone(),
            period: self.period(k.period),
            roles: k.roles.iter().map(|r| self.role_or_department(r)).collect(),
            department: k.department,
            target: k
                .target
                .as_ref()
                .map(|b| self.target_with_share(k, self.bound(b, unit))),
            colours: self.kpi_bands(k).unwrap_or_else(|| {
                k.colours
                    .iter()
                    .map(|c| format!("{}: {}", self.colour(c.colour), self.bound(&c.bound, Some("%"))))
                    .collect()
            }),
            weight: k.weight,
            description: k.description.clone(),
        }
    }

    pub(super) fn header(&self) -> HeaderView {
        let h = &self.model.header;
        HeaderView {
            title: h.title.clone(),
            company: h.company.clone(),
            department: h.department.clone(),
            version: h.version.clone(),
            effective: h.effective.clone(),
            year: h
                .effective
                .as_deref()
                .and_then(|d| d.get(..4))
                .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_string),
            owner: h.owner.as_deref().map(|o| self.role_title(o)),
            approver: h.approver.as_deref().map(super::super::ru::initials_together),
            product: h.product.clone(),
            description: h.description.clone(),
            currency: match h.currency {
                Currency::Rub => "RUB",
                Currency::Usd => "USD",
                Currency::Eur => "EUR",
            },
            horizon_months: h.horizon_months,
            step_months: h.step_months,
            work_week_days: h.work_week_days,
            hours: h.hours.map(|x| x.words()),
        }
    }

    pub(super) fn role(&self, name: &str) -> Option<RoleView> {
        let r = self.model.role(name)?;
        let bonus = self.bonus_text(r);
        let mut stages = Vec::new();
        for p in &self.model.pipelines {
            for s in &p.stages {
                if s.owner.as_deref() == Some(name) {
                    stages.push(s.title.clone().unwrap_or_else(|| s.name.clone()));
                }
            }
        }
        Some(RoleView {
            name: r.name.clone(),
            title: r.title.clone().unwrap_or_else(|| r.name.clone()),
            headcount: r.headcount,
            // A head with no superior is written as reporting to himself in some files: he
            // reports to no one.
            reports_to: r
                .reports_to
                .as_deref()
                .filter(|x| *x != name)
                .map(|x| self.role_title(x)),
            subordinates: self
                .model
                .roles
                .iter()
                .filter(|x| x.reports_to.as_deref() == Some(name) && x.name != name)
                .map(|x| x.title.clone().unwrap_or_else(|| x.name.clone()))
                .collect(),
            function: r.function.map(|f| self.role_function(f)),
            work_day_hours: r.work_day_hours,
            selling_share: r.selling_share,
            schedule: r.schedule.words(self.lang),
            telephony: r.telephony.words(self.lang),
            plan_deadlines: self.role_plan_deadlines(name),
            routing_duties: self.role_routing(name),
            ramp_up_months: r.ramp_up_months,
            attrition_per_year: r.attrition_per_year,
            hires: r.hires.iter().map(|h| self.hire(h)).collect(),
            salary: r.salary,
            salary_range: r
                .salary_range
                .filter(|x| !x.is_single())
                .map(|x| self.money_range(&x)),
            budget: self.budget(r.budget),
            soft_salary_share: r.soft_salary_share,
            bonus,
            description: r.description.clone(),
            stages,
            kpi_weights: self
                .model
                .kpis
                .iter()
                .filter(|k| k.roles.iter().any(|x| x == name))
                .filter_map(|k| {
                    k.weight
                        .map(|w| (k.title.clone().unwrap_or_else(|| k.name.clone()), w))
                })
                .collect(),
            pay: self
                .model
                .roles
                .iter()
                .position(|x| x.name == name)
                .and_then(|i| self.pay.get(i).cloned().flatten())
                .map(|p| self.pay_view(p)),
            approvals: self.approvals_of(name),
            sanctions: self.sanctions_of(name),
        })
    }

    /// The pay example with its revenue base worded: which deals the share is paid on.
    pub(super) fn pay_view(&self, example: PayExample) -> PayView {
        let basis = example.basis.as_ref().map(|b| self.revenue_basis(b));
        PayView { example, basis }
    }
}
