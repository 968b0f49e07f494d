//! Conditions on a card field (`model::field_cond`) as the documents word them: the condition
//! of a way out («если «Рейсов в месяц» меньше 4 — …») and a stage's segments with their own
//! conversion, deal size and first-contact deadline.

use super::super::format;
use super::Views;
use crate::diag::Lang;

impl Views<'_> {
    /// « (с сегментами по полю — в среднем 95 324 ₽)» after a pipeline's `чек` when a segment
    /// has its own: the analysis's mean, the one the plan and the forecast use; empty otherwise.
    pub(super) fn segmented_deal_size(&self, pipeline: &str) -> String {
        let moved = self
            .model
            .field_conds
            .segments
            .iter()
            .any(|g| g.pipeline == pipeline && g.deal_size.is_some());
        let mean = self
            .analysis
            .pipelines
            .iter()
            .find(|a| a.name == pipeline)
            .and_then(|a| a.mean_deal_size);
        match (moved, mean) {
            (true, Some(m)) => format!(
                " ({} {})",
                self.pick(
                    "с сегментами по полю — в среднем",
                    "with the field segments: on average"
                ),
                format::money(m, self.model.header.currency, self.lang)
            ),
            _ => String::new(),
        }
    }

    /// The condition of the stage's way out number `transition`, worded.
    pub(super) fn route_condition(&self, pipeline: &str, stage: &str, transition: usize) -> Option<String> {
        self.model
            .field_conds
            .routes
            .iter()
            .find(|r| r.pipeline == pipeline && r.stage == stage && r.transition == transition)
            .map(|r| r.condition.words(self.lang))
    }

    /// The stage's ways out chosen by a field: «если «…» меньше 4 — этап «Разовые» (оценка для
    /// прогноза: 30 % успехов этапа)».
    pub(super) fn stage_routes(&self, pipeline: &str, s: &crate::model::Stage) -> Vec<String> {
        self.model
            .field_conds
            .routes
            .iter()
            .filter(|r| r.pipeline == pipeline && r.stage == s.name)
            .filter_map(|r| {
                let t = s.transitions.get(r.transition)?;
                let to = self.delayed(self.destination(&t.to, pipeline), t.delay_days);
                let cond = r.condition.words(self.lang);
                let share = r.share.map(|x| format::percent(x, self.lang));
                Some(match (self.lang, r.failure, share) {
                    (Lang::Ru, false, Some(p)) => {
                        format!("если {cond} — {to} (оценка для прогноза: {p} успехов этапа)")
                    }
                    (Lang::Ru, true, Some(p)) => {
                        format!("если {cond} — {to} (оценка для прогноза: {p} отказов этапа)")
                    }
                    (Lang::Ru, _, None) => format!("если {cond} — {to}"),
                    (Lang::En, false, Some(p)) => {
                        format!("if {cond}: {to} (forecast estimate: {p} of the stage's successes)")
                    }
                    (Lang::En, true, Some(p)) => {
                        format!("if {cond}: {to} (forecast estimate: {p} of the stage's failures)")
                    }
                    (Lang::En, _, None) => format!("if {cond}: {to}"),
                })
            })
            .collect()
    }

    /// «для заявок, где «Услуга» — «Имплантация» (около 25 %): конверсия 35 %, чек 180 000 ₽,
    /// срок — 1 день от входа в этап».
    pub(super) fn stage_segments(&self, pipeline: &str, stage: &str) -> Vec<String> {
        self.model
            .field_conds
            .segments
            .iter()
            .filter(|g| g.pipeline == pipeline && g.stage == stage)
            .map(|g| {
                let mut parts = Vec::new();
                if let Some(c) = g.conversion {
                    parts.push(format!(
                        "{} {}",
                        self.pick("конверсия", "conversion"),
                        format::percent(c, self.lang)
                    ));
                }
                if let Some(d) = g.deal_size {
                    parts.push(format!(
                        "{} {}",
                        self.pick("чек", "deal size"),
                        format::money(d, self.model.header.currency, self.lang)
                    ));
                }
                if let Some(d) = g.deadline_days {
                    let d = if d < 1.0 {
                        format::minutes(crate::model::day_minutes(d).round(), self.lang)
                    } else {
                        format::days(d, self.lang)
                    };
                    parts.push(match self.lang {
                        Lang::Ru => format!("срок — {d} от входа в этап"),
                        Lang::En => format!("deadline: {d} from entering the stage"),
                    });
                }
                let share = format::percent(g.share, self.lang);
                let cond = g.condition.words(self.lang);
                let mut text = match self.lang {
                    Lang::Ru => format!(
                        "для заявок, где {cond} (около {share} заявок этапа): {}",
                        parts.join(", ")
                    ),
                    Lang::En => format!(
                        "for leads where {cond} (about {share} of the stage's leads): {}",
                        parts.join(", ")
                    ),
                };
                if let Some(d) = &g.description {
                    text.push_str(&format!(" ({d})"));
                }
                text
            })
            .collect()
    }
}
