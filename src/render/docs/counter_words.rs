//! Counter arguments and `изменение` in the documents' words: «выигранные сделки (канал
//! «Сайт»)», «изменение к тому же периоду прошлого года».

use super::Views;
use crate::diag::Lang;
use crate::model::{CallDirection, ChangeBase, CounterFilter};

impl Views<'_> {
    /// A counter's words with what its arguments restrict it to.
    pub(super) fn with_filter(&self, plain: String, f: &CounterFilter) -> String {
        if f.is_empty() {
            return plain;
        }
        let mut parts = Vec::new();
        if let Some(c) = f.contacts {
            parts.push(self.counter_name(c));
        }
        if let Some(d) = f.direction {
            parts.push(
                match d {
                    CallDirection::Outgoing => self.pick("исходящие", "outgoing"),
                    CallDirection::Incoming => self.pick("входящие", "incoming"),
                }
                .to_string(),
            );
        }
        if let Some(c) = &f.channel {
            let title = self
                .model
                .channels
                .iter()
                .find(|ch| &ch.name == c)
                .and_then(|ch| ch.title.clone())
                .unwrap_or_else(|| c.clone());
            parts.push(format!("{} «{title}»", self.pick("канал", "channel")));
        }
        if let Some(r) = &f.role {
            parts.push(format!("{} «{}»", self.pick("роль", "role"), self.role_title(r)));
        }
        if let Some(r) = &f.reason {
            let title = self
                .model
                .loss_reasons
                .iter()
                .find(|x| &x.code == r)
                .and_then(|x| x.label.clone())
                .unwrap_or_else(|| r.clone());
            parts.push(format!("{} «{title}»", self.pick("причина", "reason")));
        }
        if let Some(d) = f.days {
            let days = super::super::format::days(d, self.lang);
            parts.push(match self.lang {
                Lang::Ru => format!("дольше {days}"),
                Lang::En => format!("longer than {days}"),
            });
        }
        if let Some(t) = &f.talk {
            parts.push(t.words(self.lang));
        }
        // One pair of brackets: «… (этап «Оплата», дольше 5 дней)».
        match plain.strip_suffix(')') {
            Some(open) => format!("{open}, {})", parts.join(", ")),
            None => format!("{plain} ({})", parts.join(", ")),
        }
    }

    /// `изменение(X, база)` in words.
    pub(super) fn change_words(&self, arg: &str, base: ChangeBase) -> String {
        match (self.lang, base) {
            (Lang::Ru, ChangeBase::PreviousPeriod) => format!("изменение «{arg}» к прошлому периоду"),
            (Lang::Ru, ChangeBase::PreviousYear) => {
                format!("изменение «{arg}» к тому же периоду прошлого года")
            }
            (Lang::En, ChangeBase::PreviousPeriod) => format!("change in “{arg}” on the previous period"),
            (Lang::En, ChangeBase::PreviousYear) => {
                format!("change in “{arg}” on the same period a year before")
            }
        }
    }
}
