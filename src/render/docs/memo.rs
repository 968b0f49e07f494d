//! The context of a памятка: the role's own share of the regulation — its stages, norms,
//! KPIs, controls (of it and by it), reports, meetings, documents, onboarding and accounting.

use super::{MemoView, Views};

impl Views<'_> {
    pub(super) fn memo(&self, role: &str) -> MemoView {
        let m = self.model;
        let view = self.role(role).expect("a role of the model");
        let mine = |names: &[String]| names.iter().any(|n| n == role);
        let controls = self.controls();
        let reports = self.reports();
        MemoView {
            lang: self.lang_code(),
            header: self.header(),
            manager: view.reports_to.clone(),
            role: view,
            stages: self
                .stages()
                .into_iter()
                .filter(|s| {
                    s.owner_name.as_deref() == Some(role)
                        || m.pipeline(&s.pipeline)
                            .and_then(|p| p.stages.iter().find(|x| x.name == s.name))
                            .is_some_and(|x| x.chain.iter().any(|c| c.owner.as_deref() == Some(role)))
                })
                .collect(),
            norms: m
                .norms
                .iter()
                .filter(|s| s.role.as_deref() == Some(role))
                .flat_map(|s| s.norms.iter().map(|n| self.norm(n)))
                .collect(),
            kpis: m
                .kpis
                .iter()
                .filter(|k| mine(&k.roles))
                .map(|k| self.kpi(k))
                .collect(),
            controls: controls
                .iter()
                .filter(|(_, r, _)| mine(r))
                .map(|(c, ..)| c.clone())
                .collect(),
            checks_i_make: controls
                .iter()
                .filter(|(_, _, who)| who.as_deref() == Some(role))
                .map(|(c, ..)| c.clone())
                .collect(),
            checklists: {
                let used: Vec<&String> = m
                    .controls
                    .iter()
                    .filter(|c| mine(&c.roles) || c.who.as_deref() == Some(role))
                    .filter_map(|c| c.checklist.as_ref())
                    .collect();
                m.checklists
                    .iter()
                    .zip(self.checklists())
                    .filter(|(c, _)| used.contains(&&c.name))
                    .map(|(_, v)| v)
                    .collect()
            },
            reports: reports
                .iter()
                .filter(|(_, a, _)| a.as_deref() == Some(role))
                .map(|(r, ..)| r.clone())
                .collect(),
            reports_to_me: reports
                .iter()
                .filter(|(_, _, to)| mine(to))
                .map(|(r, ..)| r.clone())
                .collect(),
            meetings: self
                .meetings()
                .into_iter()
                .filter(|(_, who)| mine(who))
                .map(|(x, _)| x)
                .collect(),
            documents: self
                .documents()
                .into_iter()
                .filter(|(_, roles)| mine(roles))
                .map(|(d, _)| d)
                .collect(),
            onboarding: self
                .onboarding()
                .into_iter()
                .find(|(_, r)| r == role)
                .map(|(o, _)| o),
            accounting: self
                .accounting()
                .into_iter()
                .filter(|(_, who)| mine(who))
                .map(|(a, _)| a)
                .collect(),
            triggers: self
                .triggers()
                .into_iter()
                .filter(|(_, who)| mine(who))
                .map(|(t, _)| t)
                .collect(),
        }
    }
}
