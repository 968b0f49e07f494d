//! Client-base trigger events and the hand-off action (issue 19, G8 and G7): `без_покупки 60 дн
//! доля 15%`, `без_активности 7 дн`, `каждые 2 нед для сегмент A доля 20%`, `перевести ->
//! Привлечение`. Lowered by `triggers.rs`; the checks that need the trigger's `воронка` (its
//! default role, W0050, E0088) run once the whole trigger is read ([`Lowerer::client_checks`]).

use super::*;

impl Lowerer {
    /// `доля 15%` of an inactivity or recurring-contact event.
    fn event_share(&mut self, e: &Stmt) -> Option<f64> {
        let s = e.children.iter().find(|c| c.key == Rule::ev_share)?;
        let q = quantities(s).next()?;
        self.probability(q)
    }

    /// `без_покупки 60 дн`, `без_активности 7 дн`.
    pub(super) fn idle_event(&mut self, e: &Stmt) -> Option<TriggerEvent> {
        let quiet = if e.key == Rule::ev_no_purchase {
            Quiet::Purchase
        } else {
            Quiet::Activity
        };
        let share = self.event_share(e);
        let after = self.lapse(e)?;
        Some(TriggerEvent::Idle { quiet, after, share })
    }

    /// The length of time of an event: `60 дн`, `2 нед`, `12 мес` (E0090 when not positive).
    fn lapse(&mut self, e: &Stmt) -> Option<Lapse> {
        let q = quantities(e).next()?;
        let value = self.finite(q)?;
        let (per, unit) = match q.unit {
            Some(Unit::Days) => (Period::Day, Unit::Days),
            Some(Unit::Weeks) => (Period::Week, Unit::Weeks),
            Some(Unit::Months) => (Period::Month, Unit::Months),
            Some(Unit::Quarters) => (Period::Quarter, Unit::Quarters),
            Some(Unit::Years) => (Period::Year, Unit::Years),
            _ => {
                self.err(Kind::BadEvery { text: q.text.clone() }, q.span);
                return None;
            }
        };
        let months = self.model.header.calendar().months(value, unit)?;
        if !(value > 0.0 && months > 0.0) {
            self.err(Kind::BadEvery { text: q.text.clone() }, q.span);
            return None;
        }
        Some(Lapse {
            count: value,
            per,
            months,
        })
    }

    /// `каждые 2 нед [для сегмент A] [доля 20%]`.
    pub(super) fn every_event(&mut self, e: &Stmt) -> Option<TriggerEvent> {
        let share = self.event_share(e);
        let segment = e
            .children
            .iter()
            .find(|c| c.key == Rule::ev_segment)
            .and_then(|s| first_ident(s).cloned());
        let segment = segment.and_then(|ident| self.segment(&ident));
        let every = self.lapse(e)?;
        Some(TriggerEvent::Every {
            every,
            segment,
            share,
        })
    }

    /// `для сегмент A`: a class of a client analysis report (E0089 when there are such reports
    /// and none has the class; W0052 when there is none at all).
    fn segment(&mut self, ident: &ast::Ident) -> Option<String> {
        let classes: Vec<String> = self
            .model
            .reports
            .iter()
            .filter_map(|r| r.analysis.as_ref())
            .flat_map(|a| a.classes.iter().map(|(c, _)| c.clone()))
            .collect();
        if classes.is_empty() {
            self.err(
                Kind::SegmentWithoutAnalysis {
                    segment: ident.text.clone(),
                },
                ident.span,
            );
        } else if !classes.contains(&ident.text) {
            self.err(
                Kind::UnknownSegment {
                    segment: ident.text.clone(),
                    classes: classes.join(", "),
                },
                ident.span,
            );
            return None;
        }
        Some(ident.text.clone())
    }

    /// `перевести -> Привлечение`.
    pub(super) fn transfer_action(&mut self, a: &Stmt) -> Option<TriggerAction> {
        let pipeline = self.reference(NameSpace::Pipeline, first_ident(a)?);
        Some(TriggerAction::Transfer { pipeline })
    }

    /// Once the whole trigger is read: a client-base event's role defaults to the pipeline's
    /// `ответственный`; a hand-off to the pipeline the trigger watches is E0088; inactivity
    /// shorter than the pipeline's purchase cycle is W0050.
    pub(super) fn client_checks(&mut self, t: &mut Trigger, item: &Stmt) {
        let own = t
            .pipeline
            .clone()
            .or_else(|| t.stage().map(|(p, _)| p.to_string()));
        if t.owner.is_none()
            && matches!(
                t.event,
                Some(TriggerEvent::Idle { .. } | TriggerEvent::Every { .. })
            )
        {
            t.owner = t
                .pipeline
                .as_deref()
                .and_then(|p| self.model.pipeline(p))
                .and_then(|p| p.owner.clone());
        }
        let actions = item.children.iter().filter(|c| c.key == Rule::tg_action);
        for a in actions.flat_map(|a| a.children.iter().filter(|c| c.key == Rule::act_transfer)) {
            if let (Some(own), Some(i)) = (&own, first_ident(a))
                && *own == i.text
            {
                self.err(
                    Kind::TransferToItself {
                        pipeline: own.clone(),
                    },
                    i.span,
                );
            }
        }
        let Some(TriggerEvent::Idle {
            quiet: Quiet::Purchase,
            after,
            ..
        }) = t.event
        else {
            return;
        };
        let days = after.months * self.model.header.calendar().month_days();
        let Some(p) = t.pipeline.as_deref().and_then(|p| self.model.pipeline(p)) else {
            return;
        };
        // The pipeline's purchase cycle: its repeat interval, else a deal's way through its stages.
        let (cycle, repeat) = match p.repeat.as_ref().and_then(|r| r.after_days.as_ref()) {
            Some(d) => (d.mean(), true),
            None => (
                p.stages
                    .iter()
                    .filter_map(|s| s.duration_days.as_ref().map(|d| d.mean()))
                    .sum(),
                false,
            ),
        };
        if cycle > days + 1e-9 {
            let span = item
                .children
                .iter()
                .find(|c| c.key == Rule::tg_when)
                .and_then(|w| w.children.first())
                .and_then(|e| quantities(e).next().map(|q| (q.span, q.text.clone())));
            if let Some((span, text)) = span {
                let kind = Kind::InactivityShorterThanCycle {
                    pipeline: p.name.clone(),
                    quiet: text,
                    cycle,
                    repeat,
                };
                self.err(kind, span);
            }
        }
    }
}
