//! The pipelines and their stages: contact chains, transitions, criteria, the stage's loss
//! reasons and documents, and each pipeline's diagram as the target shows it.

use super::super::format;
use super::{ContactView, PipelineView, StageView, TransitionView, Views, file_stem, svg};
use crate::model::{Scope, TransitionKind};
use minijinja::value::Value;

impl Views<'_> {
    pub(super) fn stages(&self) -> Vec<StageView> {
        let mut out = Vec::new();
        for p in &self.model.pipelines {
            let visits = self
                .analysis
                .pipelines
                .iter()
                .find(|a| a.name == p.name)
                .and_then(|a| a.outcome.as_ref());
            for s in &p.stages {
                let contacts = s
                    .chain
                    .iter()
                    .enumerate()
                    .map(|(ci, c)| ContactView {
                        kind: self.contact_kind(c.kind),
                        title: c.title.clone(),
                        work_minutes: c.work_minutes,
                        delay: c.delay_days.filter(|d| *d > 0.0).map(|d| {
                            if d < 1.0 {
                                format::minutes(crate::model::day_minutes(d).round(), self.lang)
                            } else {
                                format::days(d, self.lang)
                            }
                        }),
                        attempts: c.attempts,
                        reach: c.reach,
                        otherwise: c
                            .otherwise
                            .as_ref()
                            .map(|d| self.delayed(self.destination(d, &p.name), c.otherwise_delay_days)),
                        owner: c.owner.as_deref().map(|o| self.role_title(o)),
                        deadline: self.contact_deadline(c, ci == 0),
                        retries: self.retries(c),
                        each_start: c.each_start.as_ref().map(|d| self.each_start_words(d, &p.name)),
                        role: c
                            .owner
                            .clone()
                            .or_else(|| s.owner.clone())
                            .or_else(|| p.owner.clone()),
                    })
                    .collect();
                let reasons = self
                    .model
                    .loss_reasons
                    .iter()
                    .filter(|l| {
                        l.stages.iter().any(
                            |sc| matches!(sc, Scope::Stage { pipeline, stage } if *pipeline == p.name && *stage == s.name),
                        )
                    })
                    .map(|l| l.label.clone().unwrap_or_else(|| l.code.clone()))
                    .collect();
                let documents = self
                    .model
                    .documents
                    .iter()
                    .filter(|d| {
                        d.stages.iter().any(|sc| match sc {
                            Scope::Stage { pipeline, stage } => *pipeline == p.name && *stage == s.name,
                            Scope::Pipeline { pipeline } => *pipeline == p.name,
                        })
                    })
                    .map(|d| d.title.clone().unwrap_or_else(|| d.name.clone()))
                    .collect();
                out.push(StageView {
                    pipeline: p.name.clone(),
                    pipeline_title: p.title.clone().unwrap_or_else(|| p.name.clone()),
                    name: s.name.clone(),
                    title: s.title.clone().unwrap_or_else(|| s.name.clone()),
                    owner: s
                        .owner
                        .as_deref()
                        .or(p.owner.as_deref())
                        .map(|o| self.role_title(o)),
                    owner_name: s.owner.clone().or_else(|| p.owner.clone()),
                    conversion: s.effective_conversion(),
                    conversion_of_reached: crate::model::field_cond::reached_conversion(
                        self.model, &p.name, s,
                    )
                    .or(s.conversion)
                    .filter(|&c| {
                        s.transitions.iter().any(|t| t.kind == TransitionKind::Unreached)
                            && s.effective_conversion().is_some_and(|e| (e - c).abs() > 1e-9)
                    }),
                    segments: self.stage_segments(&p.name, &s.name),
                    routes: self.stage_routes(&p.name, s),
                    rest_conversion: s
                        .conversion
                        .filter(|_| !self.stage_segments(&p.name, &s.name).is_empty()),
                    by_channel: s
                        .channel_conversions
                        .iter()
                        .map(|c| {
                            let channel = self.model.channels.iter().find(|ch| ch.name == c.channel);
                            let title = channel.and_then(|ch| ch.title.clone());
                            (title.unwrap_or_else(|| c.channel.clone()), c.conversion)
                        })
                        .collect(),
                    duration: s.duration_days.as_ref().map(|d| self.distribution_days(d)),
                    starts: s.release.as_ref().map(|r| self.starts_words(r)),
                    group: s
                        .release
                        .as_ref()
                        .and_then(|r| self.group_words(&p.name, &s.name, r)),
                    chain: contacts,
                    entry_criterion: s.entry_criterion.clone(),
                    exit_criterion: s.exit_criterion.clone(),
                    required_fields: s.required_fields.clone(),
                    typed_fields: self.typed_stage_fields(&p.name, s),
                    guidance: s.guidance.clone(),
                    colour: s.colour.clone(),
                    deal_probability: s.deal_probability,
                    crm_code: s.crm_code.clone(),
                    limit_days: s.limit_days,
                    transitions: s
                        .transitions
                        .iter()
                        .enumerate()
                        .map(|(ti, t)| TransitionView {
                            success: t.kind == TransitionKind::Success,
                            unreached: (t.kind == TransitionKind::Unreached).then(|| {
                                let n = t
                                    .contact
                                    .and_then(|i| s.chain.get(i))
                                    .map_or(1, |c| c.max_attempts());
                                self.unreached_after(n)
                            }),
                            probability: t.probability,
                            to: self.delayed(self.destination(&t.to, &p.name), t.delay_days),
                            condition: self.route_condition(&p.name, &s.name, ti),
                        })
                        .collect(),
                    loss_reasons: reasons,
                    documents,
                    visits: visits.and_then(|o| {
                        o.stages
                            .iter()
                            .find(|v| v.pipeline == p.name && v.stage == s.name)
                            .map(|v| v.visits)
                    }),
                });
            }
        }
        out
    }

    pub(super) fn pipelines(&self, target: &str) -> Vec<PipelineView> {
        let stages = self.stages();
        self.model
            .pipelines
            .iter()
            .map(|p| {
                let a = self.analysis.pipelines.iter().find(|a| a.name == p.name);
                let outcome = a.and_then(|a| a.outcome.as_ref());
                let title = p.title.clone().unwrap_or_else(|| p.name.clone());
                let diagram = if target == "html" {
                    format!(
                        "<div class=\"diagram\">{}</div>",
                        svg::pipeline(self.model, p, self.lang)
                    )
                } else {
                    format!(
                        "![{}](<{}.svg>)",
                        super::super::escape_md(&title),
                        file_stem(&p.name)
                    )
                };
                PipelineView {
                    name: p.name.clone(),
                    title,
                    kind: self.pipeline_kind(p.kind),
                    entry: p.entry.clone(),
                    exit: p.exit_text(self.lang),
                    deal_size: p
                        .deal_size
                        .as_ref()
                        .map(|d| self.distribution_money(d) + &self.segmented_deal_size(&p.name)),
                    repeat: p.repeat.as_ref().map(|r| {
                        let after = r
                            .after_days
                            .as_ref()
                            .map(|d| {
                                let mean = d.mean();
                                let month = self.model.header.working_days_per_month();
                                let when = if mean >= month {
                                    self.months_short(mean / month)
                                } else {
                                    self.distribution_days(d)
                                };
                                format!(" {}", self.after(&when))
                            })
                            .unwrap_or_default();
                        format!("{}{after}", format::percent(r.probability, self.lang))
                    }),
                    after_win: p
                        .after_win
                        .as_ref()
                        .map(|a| self.delayed(self.destination(&a.to, &p.name), a.delay_days)),
                    owner: p.owner.as_deref().map(|o| self.role_title(o)),
                    description: p.description.clone(),
                    p_won: outcome.map(|o| o.p_won),
                    // Without durations the time to an outcome is not known, not zero.
                    expected_days: outcome
                        .filter(|o| o.stages_without_duration.is_empty())
                        .map(|o| o.expected_days),
                    stages: stages.iter().filter(|s| s.pipeline == p.name).cloned().collect(),
                    diagram: Value::from_safe_string(diagram),
                }
            })
            .collect()
    }
}
