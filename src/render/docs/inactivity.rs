//! Client-base triggers in the documents (issue 19, G8/G7): «клиент воронки «…» ничего не
//! покупает 60 рабочих дней», «подошёл срок планового контакта: раз в 2 недели с каждым
//! клиентом …», the hand-off «передать клиента в воронку «…»», and what the load rests on — or
//! that it is not counted because the share of clients is not given.

use super::Views;
use crate::diag::Lang;
use crate::model::{Quiet, Trigger, TriggerEvent};

impl Views<'_> {
    fn q(&self, text: &str) -> String {
        match self.lang {
            Lang::Ru => format!("«{text}»"),
            Lang::En => format!("\"{text}\""),
        }
    }

    /// « воронки «…»» / " of the pipeline "…"": whose clients, when the trigger names a pipeline.
    fn whose_clients(&self, t: &Trigger) -> String {
        match (&t.pipeline, self.lang) {
            (Some(p), Lang::Ru) => format!(" воронки {}", self.q(&self.pipeline_title(p))),
            (Some(p), Lang::En) => format!(" of the pipeline {}", self.q(&self.pipeline_title(p))),
            (None, _) => String::new(),
        }
    }

    /// When an inactivity or recurring-contact trigger fires.
    pub(super) fn client_when(&self, t: &Trigger, e: &TriggerEvent) -> String {
        let ru = self.lang == Lang::Ru;
        let whose = self.whose_clients(t);
        match e {
            TriggerEvent::Idle { quiet, after, .. } => {
                let span = after.length_words(self.lang);
                match (quiet, ru) {
                    (Quiet::Purchase, true) => format!("клиент{whose} ничего не покупает {span}"),
                    (Quiet::Activity, true) => {
                        format!("клиент{whose} не проявляет активности (визиты, входы, ответы) {span}")
                    }
                    (Quiet::Purchase, false) => format!("a client{whose} has bought nothing for {span}"),
                    (Quiet::Activity, false) => {
                        format!("a client{whose} has shown no activity (visits, logins, replies) for {span}")
                    }
                }
            }
            TriggerEvent::Every { every, segment, .. } => {
                let how_often = every.words(self.lang);
                let seg = match (segment, ru) {
                    (Some(s), true) => format!(" сегмента {s} по анализу клиентов"),
                    (Some(s), false) => format!(" of segment {s} by the client analysis"),
                    (None, _) => String::new(),
                };
                if ru {
                    format!("подошёл срок планового контакта ({how_often} с каждым клиентом{seg}{whose})")
                } else {
                    format!("a planned contact is due ({how_often} with each client{seg}{whose})")
                }
            }
            _ => String::new(),
        }
    }

    /// `перевести -> Воронка`.
    pub(super) fn transfer_words(&self, pipeline: &str) -> String {
        let p = self.q(&self.pipeline_title(pipeline));
        match self.lang {
            Lang::Ru => format!("передать клиента в воронку {p}"),
            Lang::En => format!("hand the client to the pipeline {p}"),
        }
    }

    /// The load line and its note for a client-base trigger: the estimate the analysis made, or
    /// why nothing is counted (no `доля`). Other triggers keep `load` and get no note.
    pub(super) fn client_load(&self, t: &Trigger, load: Option<String>) -> (Option<String>, Option<String>) {
        let ru = self.lang == Lang::Ru;
        let pct = |s: f64| crate::locale::percent(s, self.lang);
        match &t.event {
            Some(TriggerEvent::Idle { share: None, .. }) => (
                Some(
                    self.pick(
                        "доля затихающих клиентов в положении не задана, поэтому в расчёт загрузки триггер не входит",
                        "the regulation gives no share of clients who go quiet, so the trigger is not in the load",
                    )
                    .to_string(),
                ),
                None,
            ),
            Some(TriggerEvent::Every {
                segment: Some(_),
                share: None,
                ..
            }) => (
                Some(
                    self.pick(
                        "доля сегмента среди клиентов в положении не задана, поэтому в расчёт загрузки контакт не входит",
                        "the regulation gives no share of the segment among the clients, so the contact is not in the load",
                    )
                    .to_string(),
                ),
                None,
            ),
            Some(TriggerEvent::Idle { share: Some(s), .. }) if load.is_some() => {
                let note = if ru {
                    format!("оценка: затихает {} клиентов, приходящих за месяц", pct(*s))
                } else {
                    format!("estimate: {} of the clients who come a month go quiet", pct(*s))
                };
                (load, Some(note))
            }
            Some(TriggerEvent::Every { share, segment, .. }) if load.is_some() => {
                let mut note = self
                    .pick(
                        "оценка: клиентская база — клиенты за последние 12 месяцев",
                        "estimate: the client base is the clients of the last 12 months",
                    )
                    .to_string();
                if let Some(s) = share {
                    note.push_str(&match (segment, ru) {
                        (Some(seg), true) => format!(", сегмент {seg} — {} из них", pct(*s)),
                        (Some(seg), false) => format!(", segment {seg} is {} of them", pct(*s)),
                        (None, true) => format!(", контакт — с {} из них", pct(*s)),
                        (None, false) => format!(", the contact is with {} of them", pct(*s)),
                    });
                }
                (load, Some(note))
            }
            _ => (load, None),
        }
    }
}
