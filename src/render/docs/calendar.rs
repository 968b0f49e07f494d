//! Calendar anchors in words for the documents: moments of reports, meetings and controls,
//! role schedules, after-hours answering, contact deadlines and retry schedules, interaction
//! items with their terms. The wording of a moment itself is the model's
//! (`model::calendar`); here it is placed in the documents' sentences.

use super::{Views, ru};
use crate::model::calendar::clock_text;
use crate::model::{Channel, Contact, InteractionItem, Moment};

impl Views<'_> {
    /// A term as written (`3 дн`, `1 нед`, `4 ч`) in the genitive, as after «не позднее» and
    /// «в течение»: «3 дней», «1 недели», «4 ч»; English as [`Views::deadline`].
    fn term_genitive(&self, raw: &str) -> String {
        if self.lang == crate::diag::Lang::En {
            return self.deadline(raw);
        }
        let t = raw.trim();
        let split = t
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '_')))
            .map_or(t.len(), |(i, _)| i);
        let (num, unit) = t.split_at(split);
        let Ok(n) = num.replace([' ', '_'], "").replace(',', ".").parse::<f64>() else {
            return self.deadline(raw);
        };
        match unit.trim() {
            "дн" | "д" | "дня" | "дней" | "день" => ru::days_genitive(n),
            "нед" | "недели" | "недель" | "неделя" | "неделю" => {
                ru::count_genitive(n, "недели", "недель")
            }
            "мес" | "месяц" | "месяца" | "месяцев" => {
                ru::count_genitive(n, "месяца", "месяцев")
            }
            "ч" | "час" | "часа" | "часов" => ru::count_genitive(n, "часа", "часов"),
            "мин" | "минут" => ru::count_genitive(n, "минуты", "минут"),
            _ => self.deadline(raw),
        }
    }

    /// A deadline: the moment in words when it is one, else the written deadline in words.
    pub(super) fn deadline_or_moment(&self, written: Option<&str>, at: Option<&Moment>) -> Option<String> {
        at.map(|m| m.deadline_words(self.lang))
            .or_else(|| written.map(|d| self.deadline(d)))
    }

    /// «в 9:15», «по пятницам в 16:00».
    pub(super) fn at(&self, m: Option<&Moment>) -> Option<String> {
        m.map(|m| m.at_words(self.lang)).filter(|s| !s.is_empty())
    }

    /// «до 10:00 следующего рабочего дня» for leads that come outside working hours.
    pub(super) fn after_hours(&self, c: &Channel) -> Option<String> {
        let by = clock_text(c.after_hours_by?);
        Some(match self.lang {
            crate::diag::Lang::Ru => format!("до {by} следующего рабочего дня"),
            crate::diag::Lang::En => format!("by {by} of the next working day"),
        })
    }

    /// «не позднее 4 ч после входа в этап» / «… после предыдущего контакта».
    pub(super) fn contact_deadline(&self, c: &Contact, first: bool) -> Option<String> {
        let d = self.term_genitive(c.deadline.as_deref()?);
        Some(match (self.lang, first) {
            (crate::diag::Lang::Ru, true) => format!("не позднее {d} после входа в этап"),
            (crate::diag::Lang::Ru, false) => format!("не позднее {d} после предыдущего контакта"),
            (crate::diag::Lang::En, true) => format!("within {d} of entering the stage"),
            (crate::diag::Lang::En, false) => format!("within {d} of the previous contact"),
        })
    }

    /// «сразу, через 15 мин, через 2 ч, через 1 день».
    pub(super) fn retries(&self, c: &Contact) -> Option<String> {
        if c.retry_at.is_empty() {
            return None;
        }
        let parts: Vec<String> = c
            .retry_at
            .iter()
            .zip(&c.retry_at_days)
            .map(|(text, &days)| {
                if days <= 0.0 {
                    self.pick("сразу", "at once").to_string()
                } else {
                    format!("{} {}", self.pick("через", "after"), self.deadline(text))
                }
            })
            .collect();
        Some(parts.join(", "))
    }

    /// «Счёт и акт (срок — 1 день)», «Расписание (не позднее чем за 3 недели)».
    pub(super) fn interaction_item(&self, i: &InteractionItem) -> String {
        let mut terms = Vec::new();
        if let Some(w) = &i.within {
            terms.push(format!("{} {}", self.pick("срок —", "within"), self.deadline(w)));
        }
        if let Some(a) = &i.ahead {
            terms.push(match self.lang {
                crate::diag::Lang::Ru => format!("не позднее чем за {}", self.deadline(a)),
                crate::diag::Lang::En => format!("at least {} ahead", self.deadline(a)),
            });
        }
        if let Some(p) = i.period {
            terms.push(p.every(self.lang).to_string());
        }
        if terms.is_empty() {
            i.what.clone()
        } else {
            format!("{} ({})", i.what, terms.join(", "))
        }
    }

    /// All items of one direction with their terms, joined; `None` when there are none.
    pub(super) fn interaction_items(
        &self,
        items: &[InteractionItem],
        flow: crate::model::Flow,
    ) -> Option<String> {
        let parts: Vec<String> = items
            .iter()
            .filter(|i| i.flow == flow)
            .map(|i| self.interaction_item(i))
            .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}
