//! Lead distribution of a channel (issue 19, G3): `распределение по_очереди кто Ассистент срок
//! 10 мин` and `приоритет вне_очереди`. Documentation and CRM setup only: the forecast and the
//! analysis do not read it. How documents, CRM notes and hovers say it is written here, once.

use super::telcal::{minutes_en, minutes_ru};
use crate::locale::Lang;
use serde::{Deserialize, Serialize};

/// How the channel's leads are handed to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingKind {
    /// `по_очереди`: round robin between the people of the team.
    RoundRobin,
    /// `по_загрузке`: to whoever has the fewest open deals.
    LeastLoaded,
    /// `вручную`: a person (`кто`) picks who takes each lead.
    Manual,
}

/// `распределение по_очереди кто Ассистент срок 10 мин`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    pub kind: RoutingKind,
    /// The role that assigns the leads (`кто`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The longest the assignment may take (`срок`), in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_minutes: Option<f64>,
}

impl RoutingKind {
    /// «по очереди», «по загрузке», «вручную».
    pub fn words(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RoutingKind::RoundRobin, Lang::Ru) => "по очереди",
            (RoutingKind::RoundRobin, Lang::En) => "round robin",
            (RoutingKind::LeastLoaded, Lang::Ru) => "по загрузке (тому, у кого меньше открытых сделок)",
            (RoutingKind::LeastLoaded, Lang::En) => "by load (to whoever has the fewest open deals)",
            (RoutingKind::Manual, Lang::Ru) => "вручную",
            (RoutingKind::Manual, Lang::En) => "by hand",
        }
    }
}

/// The one line of a channel's distribution: «по очереди между: Хантер, назначает Ассистент не
/// позднее 10 минут; вне очереди». `team` and `by` are the titles documents show; `None` when the
/// channel has neither a rule nor a priority.
pub fn words(
    routing: Option<&Routing>,
    out_of_turn: bool,
    team: Option<&str>,
    by: Option<&str>,
    lang: Lang,
) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(r) = routing {
        let mut s = r.kind.words(lang).to_string();
        if let Some(t) = team {
            s.push_str(&match (r.kind, lang) {
                (RoutingKind::Manual, Lang::Ru) => format!(" — сотруднику роли «{t}»"),
                (RoutingKind::Manual, Lang::En) => format!(" to a person of «{t}»"),
                (_, Lang::Ru) => format!(" между сотрудниками роли «{t}»"),
                (_, Lang::En) => format!(" between the people of «{t}»"),
            });
        }
        if let Some(b) = by {
            s.push_str(&match lang {
                Lang::Ru => format!(", назначает {b}"),
                Lang::En => format!(", assigned by {b}"),
            });
        }
        if let Some(m) = r.deadline_minutes {
            if by.is_none() {
                s.push(',');
            }
            s.push_str(&match lang {
                Lang::Ru => format!(" не позднее {}", minutes_ru(m)),
                Lang::En => format!(" within {}", minutes_en(m)),
            });
        }
        parts.push(s);
    }
    if out_of_turn {
        parts.push(match lang {
            Lang::Ru => "вне очереди (заявки канала берут в работу первыми)".to_string(),
            Lang::En => "out of turn (the channel's leads are worked first)".to_string(),
        });
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}
