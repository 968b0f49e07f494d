//! A channel's lead distribution (`распределение по_очереди кто Ассистент срок 10 мин`, E0099)
//! and priority (`приоритет вне_очереди`). The check across channels (W0059) is in
//! `check::routing`.

use super::*;
use crate::model::routing::{Routing, RoutingKind};

impl Lowerer {
    /// `распределение по_очереди|по_загрузке|вручную [кто Роль] [срок 10 мин]`.
    pub(super) fn routing(&mut self, s: &Stmt) -> Option<Routing> {
        let kind = s.args.iter().find_map(|a| match a {
            Arg::Word(Rule::kw_round_robin, _) => Some(RoutingKind::RoundRobin),
            Arg::Word(Rule::kw_least_loaded, _) => Some(RoutingKind::LeastLoaded),
            Arg::Word(Rule::kw_manual, _) => Some(RoutingKind::Manual),
            _ => None,
        })?;
        let by = first_ident(s).map(|i| self.reference(NameSpace::Role, i));
        if kind == RoutingKind::Manual && by.is_none() {
            self.err(
                Kind::BadRouting {
                    why: Msg::new(
                        "`распределение вручную` без `кто` — непонятно, кто назначает заявки",
                        "`routing manual` without `who`: nobody is named to assign the leads",
                    ),
                    fix: Msg::new(
                        "`распределение вручную кто РОП` — заявки назначает РОП",
                        "`routing manual who Head`: the head of sales assigns the leads",
                    ),
                },
                s.span,
            );
        }
        let mut deadline_minutes = None;
        if let Some(q) = quantities(s).next() {
            let minutes = match q.unit {
                Some(Unit::Minutes | Unit::Hours) => self.minutes(q),
                Some(Unit::Days | Unit::Weeks) => self.days(q, None).map(|d| d * 8.0 * 60.0),
                _ => None,
            };
            match minutes {
                Some(m) if m > 0.0 => deadline_minutes = Some(m),
                _ => self.err(
                    Kind::BadRouting {
                        why: Msg::new(
                            format!("`срок {}` распределения — нужно положительное время", q.text),
                            format!("routing `deadline {}`: a positive time is needed", q.text),
                        ),
                        fix: Msg::new(
                            "`срок 10 мин` — заявку назначают не позднее 10 минут после поступления",
                            "`deadline 10 min`: a lead is assigned within 10 minutes of coming in",
                        ),
                    },
                    q.span,
                ),
            }
        }
        Some(Routing {
            kind,
            by,
            deadline_minutes,
        })
    }
}
