//! A channel's lead distribution in the documents' words: the Положение's channel line and the
//! duty in the memo of the role that assigns (the wording itself is `model::routing`'s).

use super::Views;
use crate::locale::Lang;
use crate::model::Channel;

impl Views<'_> {
    /// «по очереди между сотрудниками роли «Менеджер», назначает РОП не позднее 10 минут; вне
    /// очереди (…)».
    pub(super) fn channel_routing(&self, c: &Channel) -> Option<String> {
        let team = c.team.as_deref().map(|t| self.role_title(t));
        let by = c
            .routing
            .as_ref()
            .and_then(|r| r.by.as_deref())
            .map(|b| self.role_title(b));
        crate::model::routing::words(
            c.routing.as_ref(),
            c.out_of_turn,
            team.as_deref(),
            by.as_deref(),
            self.lang,
        )
    }

    /// The memo's duties of the role that assigns a channel's leads: «Распределяю заявки канала
    /// «Сайт»: по очереди между …, не позднее 10 минут».
    pub(super) fn role_routing(&self, role: &str) -> Vec<String> {
        self.model
            .channels
            .iter()
            .filter(|c| c.routing.as_ref().and_then(|r| r.by.as_deref()) == Some(role))
            .filter_map(|c| {
                let title = c.title.clone().unwrap_or_else(|| c.name.clone());
                let team = c.team.as_deref().map(|t| self.role_title(t));
                let how = crate::model::routing::words(
                    c.routing.as_ref(),
                    c.out_of_turn,
                    team.as_deref(),
                    None,
                    self.lang,
                )?;
                Some(match self.lang {
                    Lang::Ru => format!("канала «{title}»: {how}"),
                    Lang::En => format!("of the channel «{title}»: {how}"),
                })
            })
            .collect()
    }
}
