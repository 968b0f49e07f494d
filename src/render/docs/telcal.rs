//! Telephony standards, shares of cases, the plan's calendar and times before an event in the
//! documents' words (the wording itself is `model::telcal`'s, said once there).

use super::Views;
use crate::model::telcal::{PlanDeadline, before_opening_words, percentile_words};
use crate::model::{Kpi, Meeting};

impl Views<'_> {
    /// «за 15 минут до открытия (8:45)»: the opening is the participants' working hours (the
    /// first with a schedule), else the owner's, else the department's.
    pub(super) fn before_opening(&self, m: &Meeting) -> Option<String> {
        let minutes = m.before_opening_minutes?;
        let opens = m
            .participants
            .iter()
            .chain(m.owner.iter())
            .filter_map(|r| self.model.role(r))
            .find_map(|r| r.schedule.hours)
            .or(self.model.header.hours)
            .map(|h| h.from);
        Some(before_opening_words(minutes, opens, self.lang))
    }

    /// A KPI's target with the share of cases it must hold in: «не более 5 мин в 90 % случаев».
    pub(super) fn target_with_share(&self, k: &Kpi, target: String) -> String {
        match k.percentile {
            Some(p) => format!("{target} {}", percentile_words(p, self.lang)),
            None => target,
        }
    }

    /// «Проект плана — до 15 декабря (Руководитель отдела продаж)».
    fn plan_deadline(&self, d: &PlanDeadline, with_who: bool) -> String {
        let due = d.due.words(self.lang);
        match d.who.as_deref().filter(|_| with_who) {
            Some(w) => format!("{} — {due} ({})", d.what, self.role_title(w)),
            None => format!("{} — {due}", d.what),
        }
    }

    /// The plan's calendar, step by step.
    pub(super) fn plan_deadlines(&self) -> Vec<String> {
        self.model
            .plan
            .iter()
            .flat_map(|p| &p.deadlines)
            .map(|d| self.plan_deadline(d, true))
            .collect()
    }

    /// The planning steps a role makes.
    pub(super) fn role_plan_deadlines(&self, role: &str) -> Vec<String> {
        self.model
            .plan
            .iter()
            .flat_map(|p| &p.deadlines)
            .filter(|d| d.who.as_deref() == Some(role))
            .map(|d| self.plan_deadline(d, false))
            .collect()
    }
}
