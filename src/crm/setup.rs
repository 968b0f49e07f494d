//! The CRM-neutral stage configuration ([`Setup`]): what every CRM back end sends, and what
//! `voronka crm --format yaml` dumps for other tools. Built once from the model and the
//! analysis; the CRM modules only translate it. Reads the model, never the syntax tree.

use crate::analyze::stage_values;
use crate::diag::Lang;
use crate::model::{
    ContactKind, Destination, Model, Pipeline, PipelineKind, Stage, TransitionKind, day_minutes,
};
use crate::render::format;
use crate::source::Span;
use serde::Serialize;

/// Every pipeline of the model as a CRM sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setup {
    pub pipelines: Vec<PipelineSetup>,
    /// `триггер`: automation to set up by hand (`super::triggers`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<super::triggers::TriggerSetup>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineSetup {
    /// The name in the regulation.
    pub name: String,
    /// What the CRM shows: the title, else the name.
    pub label: String,
    /// 1-based, model order.
    pub order: usize,
    pub kind: PipelineKind,
    pub entry: Option<String>,
    pub exit: Option<String>,
    /// The stages in progress, in order.
    pub stages: Vec<StageSetup>,
    /// The closing stages: won (probability 1) and lost (probability 0).
    pub won: ClosingStage,
    pub lost: ClosingStage,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosingStage {
    pub label: String,
    pub probability: f64,
}

/// Where a stage's deal probability comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbabilitySource {
    /// `вероятность` in the file.
    File,
    /// The analysis: the probability that a deal in the stage is eventually won, in any pipeline.
    Analysis,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageSetup {
    pub name: String,
    pub label: String,
    /// 1-based within the pipeline.
    pub order: usize,
    /// `код` from the file, else `STAGE<order>`: Latin letters, digits, `_`, `-`.
    pub code: String,
    /// Deal probability, 0..1.
    pub probability: f64,
    pub probability_from: ProbabilitySource,
    /// The chance to be won eventually by the model (`analyze::stage_values`), whichever
    /// probability the CRM gets: the README shows it beside a written `вероятность` that
    /// differs.
    pub model_probability: f64,
    /// `#rrggbb`, as written in the file (six digits, lower case).
    pub colour: Option<String>,
    /// Fields collected on this stage (`поля`): the deal may not leave the stage without them.
    pub required_fields: Vec<String>,
    /// The kinds of those fields that a card types (`карточка`); the others are read from
    /// their names.
    #[serde(skip)]
    pub field_kinds: std::collections::BTreeMap<String, super::kinds::FieldKind>,
    /// Those of them a contact or company card holds (a group by its name), with the record.
    #[serde(skip)]
    pub field_records: std::collections::BTreeMap<String, crate::model::CardEntity>,
    /// Where a successful deal goes from this stage: the statuses a CRM must demand the
    /// stage's fields on (a CRM's "required to enter" points at these, not at the stage that
    /// collects the fields).
    pub required_on: Vec<Exit>,
    /// `лимит`: the longest a deal may stay in the stage, in working days.
    pub limit_days: Option<f64>,
    /// The same limit in calendar days (working days × 7 / the working week), for a CRM that
    /// counts calendar days (Pipedrive's rotting).
    pub limit_calendar_days: Option<f64>,
    pub entry_criterion: Option<String>,
    pub exit_criterion: Option<String>,
    pub guidance: Option<String>,
    /// What a salesperson reads on the stage (guidance, criteria, the chain of contacts).
    pub description: Option<String>,
    /// Everything the regulation asks the CRM to do on this stage beyond its place in the
    /// pipeline. Each CRM automates some kinds through its API; the rest become the manual
    /// checklist of its README.
    pub automation: Vec<Rule>,
    #[serde(skip)]
    pub span: Span,
    /// Where `цвет` is written and whether it is a `#RRGGBB` value.
    #[serde(skip)]
    pub colour_written: Option<(Span, bool)>,
}

/// A status a deal enters when it leaves a stage successfully.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Exit {
    /// A stage in progress: 1-based orders of the pipeline and the stage.
    Stage {
        pipeline: usize,
        stage: usize,
        label: String,
    },
    /// The won status of the pipeline (1-based order).
    Won { pipeline: usize, label: String },
}

impl Exit {
    pub fn pipeline(&self) -> usize {
        match self {
            Exit::Stage { pipeline, .. } | Exit::Won { pipeline, .. } => *pipeline,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Exit::Stage { label, .. } | Exit::Won { label, .. } => label,
        }
    }
}

/// The statuses a successful deal enters from stage `si` of `p`: the targets of its success
/// transitions (each once), the next stage or won when it has none.
fn exits(model: &Model, p: &Pipeline, si: usize, lang: Lang) -> Vec<Exit> {
    let order = |name: &str| model.pipelines.iter().position(|x| x.name == name);
    let pi = order(&p.name).unwrap_or(0);
    let won = |pi: usize| Exit::Won {
        pipeline: pi + 1,
        label: lang.pick("Успешно реализовано", "Closed won").to_string(),
    };
    let stage_exit = |pi: usize, si: usize| {
        let st = &model.pipelines[pi].stages[si];
        Exit::Stage {
            pipeline: pi + 1,
            stage: si + 1,
            label: st.title.clone().unwrap_or_else(|| st.name.clone()),
        }
    };
    let mut out: Vec<Exit> = Vec::new();
    for t in p.stages[si]
        .transitions
        .iter()
        .filter(|t| t.kind == TransitionKind::Success)
    {
        let exit = match &t.to {
            Destination::Won => Some(won(pi)),
            Destination::Lost { .. } => None,
            Destination::Stage { pipeline, stage } => order(pipeline).and_then(|tp| {
                model.pipelines[tp]
                    .stages
                    .iter()
                    .position(|x| &x.name == stage)
                    .map(|ts| stage_exit(tp, ts))
            }),
        };
        if let Some(e) = exit
            && !out.contains(&e)
        {
            out.push(e);
        }
    }
    if out.is_empty() {
        out.push(if si + 1 < p.stages.len() {
            stage_exit(pi, si + 1)
        } else {
            won(pi)
        });
    }
    out
}

/// One automation rule of a stage, in the language of the output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub kind: RuleKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A task for a contact of the chain.
    Task,
    /// Attempts of a contact and where the deal goes when they run out.
    Attempts,
    /// The go-cold limit (`ожидание`, `затухание`).
    GoCold,
    /// The time-in-stage limit (`лимит`).
    TimeLimit,
    /// A probabilistic branch after success.
    Branch,
    /// A success that does not go to the next stage.
    Transition,
    /// A failure handed to another pipeline.
    HandOff,
    /// Loss reasons to choose from when the deal is lost here.
    LossReasons,
    /// Fields collected at the stage, demanded when the deal leaves it.
    RequiredFields,
    /// Guidance for the salesperson.
    Guidance,
}

/// Builds the setup of every pipeline.
pub fn setup(model: &Model, lang: Lang) -> Setup {
    with_values(model, &stage_values(model), lang)
}

/// [`setup`] with the stages' values already computed (`Analysis::stage_values`).
pub fn with_values(model: &Model, values: &[crate::analyze::StageValue], lang: Lang) -> Setup {
    // The chance to be won eventually, hand-offs to other pipelines followed (as `analyze`),
    // for every stage at once, numbered pipeline by pipeline.
    let mut p_won = values.iter().map(|v| v.p_won);
    let pipelines = model
        .pipelines
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let values: Vec<f64> = p_won.by_ref().take(p.stages.len()).collect();
            pipeline(model, p, pi, &values, lang)
        })
        .collect();
    Setup {
        pipelines,
        triggers: super::triggers::triggers(model, lang),
    }
}

fn pipeline(model: &Model, p: &Pipeline, pi: usize, p_won: &[f64], lang: Lang) -> PipelineSetup {
    let stages = p
        .stages
        .iter()
        .zip(p_won)
        .enumerate()
        .map(|(si, (s, &p_won))| stage(model, p, s, si, p_won, lang))
        .collect();
    PipelineSetup {
        name: p.name.clone(),
        label: p.title.clone().unwrap_or_else(|| p.name.clone()),
        order: pi + 1,
        kind: p.kind,
        entry: p.entry.clone(),
        exit: p.exit_text(lang),
        stages,
        won: ClosingStage {
            label: lang.pick("Успешно реализовано", "Closed won").to_string(),
            probability: 1.0,
        },
        lost: ClosingStage {
            label: lang.pick("Закрыто и не реализовано", "Closed lost").to_string(),
            probability: 0.0,
        },
        span: p.span,
    }
}

/// `#abc` → `#aabbcc`; anything else as it is.
pub fn six_digit(colour: &str) -> String {
    let hex = colour.trim_start_matches('#');
    if hex.len() == 3 {
        let mut out = String::from("#");
        for c in hex.chars() {
            out.push(c);
            out.push(c);
        }
        out.to_lowercase()
    } else {
        colour.to_lowercase()
    }
}

fn stage(model: &Model, p: &Pipeline, s: &Stage, si: usize, p_won: f64, lang: Lang) -> StageSetup {
    let model_probability = p_won.clamp(0.0, 1.0);
    let (probability, probability_from) = match s.deal_probability {
        Some(x) => (x.clamp(0.0, 1.0), ProbabilitySource::File),
        None => (model_probability, ProbabilitySource::Analysis),
    };
    // Each once: the automation rules repeat them.
    let required_on = exits(model, p, si, lang);
    let description = description(model, s, lang);
    let automation = rules(model, p, s, si, &required_on, description.as_deref(), lang);
    StageSetup {
        name: s.name.clone(),
        label: s.title.clone().unwrap_or_else(|| s.name.clone()),
        order: si + 1,
        code: s.crm_code.clone().unwrap_or_else(|| format!("STAGE{}", si + 1)),
        probability,
        probability_from,
        model_probability,
        colour: s.colour.as_deref().map(six_digit),
        required_fields: s.required_fields.clone(),
        field_kinds: s
            .required_fields
            .iter()
            .filter_map(|f| {
                crate::model::stage_fields(&model.cards, &p.name, &s.name)
                    .into_iter()
                    .find(|(_, x)| &x.name == f)
                    .map(|(c, x)| (f.clone(), super::kinds::typed_kind(c, x)))
            })
            .collect(),
        field_records: crate::model::stage_fields(&model.cards, &p.name, &s.name)
            .into_iter()
            .filter(|(c, x)| super::kinds::record_of(c, x) != crate::model::CardEntity::Deal)
            .map(|(c, x)| {
                let named = x.group.clone().filter(|g| s.required_fields.contains(g));
                (
                    named.unwrap_or_else(|| x.name.clone()),
                    super::kinds::record_of(c, x),
                )
            })
            .collect(),
        required_on,
        limit_days: s.limit_days,
        limit_calendar_days: s
            .limit_days
            .map(|d| d * 7.0 / model.header.work_week_days.clamp(1.0, 7.0)),
        entry_criterion: s.entry_criterion.clone(),
        exit_criterion: s.exit_criterion.clone(),
        guidance: s.guidance.clone(),
        description,
        automation,
        span: s.span,
        colour_written: s.colour_written,
    }
}

/// `звонок «Первичный звонок»`, or just the kind.
fn contact_label(c: &crate::model::Contact, lang: Lang) -> String {
    let kind = c.kind.noun(lang);
    match &c.title {
        Some(t) => format!("{kind} «{t}»"),
        None => kind.to_string(),
    }
}

/// The text a salesperson reads on the stage: guidance, criteria and the chain.
fn description(model: &Model, s: &Stage, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(g) = &s.guidance {
        parts.push(g.trim().to_string());
    }
    if let Some(c) = &s.entry_criterion {
        parts.push(format!(
            "{}: {}",
            lang.pick("Критерий входа", "Entry criterion"),
            c.trim()
        ));
    }
    if let Some(c) = &s.exit_criterion {
        parts.push(format!(
            "{}: {}",
            lang.pick("Критерий выхода", "Exit criterion"),
            c.trim()
        ));
    }
    if !s.chain.is_empty() {
        let steps: Vec<String> = s
            .chain
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut step = format!("{}) {}", i + 1, contact_label(c, lang));
                if let Some(n) = c.attempts {
                    step.push_str(&format!(", {} {n}", lang.pick("попыток", "attempts")));
                }
                if let Some(r) = c.reach {
                    step.push_str(&format!(
                        ", {} {}",
                        lang.pick("дозвон", "reach"),
                        format::percent(r, lang)
                    ));
                }
                if let Some(role) = c.owner.as_deref().or(s.owner.as_deref()) {
                    let title = model.role(role).and_then(|r| r.title.as_deref()).unwrap_or(role);
                    step.push_str(&format!(" — {title}"));
                }
                step
            })
            .collect();
        parts.push(format!("{}: {}", lang.pick("Цепочка", "Chain"), steps.join("; ")));
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// «Поля «A», «B» заполняются на этом этапе: CRM потребует их при переходе на этап «C»».
pub fn required_text(fields: &[String], on: &[Exit], lang: Lang) -> String {
    let fields: Vec<String> = fields.iter().map(|f| format!("«{f}»")).collect();
    let on: Vec<String> = on
        .iter()
        .map(|e| match e {
            Exit::Stage { label, .. } => format!("{} «{label}»", lang.pick("на этап", "to stage")),
            Exit::Won { .. } => lang
                .pick(
                    "при закрытии сделки как успешной",
                    "when the deal is closed as won",
                )
                .to_string(),
        })
        .collect();
    let on = on.join(lang.pick(" или ", " or "));
    let on = if on.starts_with(lang.pick("на этап", "to stage")) {
        format!(
            "{} {on}",
            lang.pick("при переводе сделки", "when the deal is moved")
        )
    } else {
        on
    };
    format!(
        "{} {}: {} {on}",
        lang.pick(
            "Поля, которые заполняются на этом этапе:",
            "Fields filled in at this stage:"
        ),
        fields.join(", "),
        lang.pick(
            "CRM не даст двигать сделку дальше без них — потребует их",
            "the CRM will not let the deal move on without them — it demands them"
        ),
    )
}

/// Lines joined into one paragraph, each ending a sentence.
fn sentences(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.trim();
            if l.ends_with(['.', '!', '?', '…']) {
                l.to_string()
            } else {
                format!("{l}.")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A delay in working days for a reader: hours of the working day below a day (`2 ч`), days above.
fn delay(days: f64, lang: Lang) -> String {
    if days < 1.0 {
        format::minutes(day_minutes(days).round(), lang)
    } else {
        format::days(days, lang)
    }
}

/// An instruction carried out after a delay (`через 30 дн`): a dated task or an automation.
fn later(what: String, delay_days: Option<f64>, lang: Lang) -> String {
    match delay_days.filter(|d| *d > 0.0) {
        Some(d) => format!(
            "{what} {} {} ({})",
            lang.pick("через", "after"),
            delay(d, lang),
            lang.pick(
                "задача на эту дату или отложенная автоматизация CRM",
                "a task for that date or a delayed CRM automation"
            )
        ),
        None => what,
    }
}

/// "Create a new deal for the client in pipeline «…», stage «…»" (the hand-off after a win).
fn new_deal(model: &Model, to: &Destination, lang: Lang) -> String {
    let Destination::Stage { pipeline, stage } = to else {
        return String::new();
    };
    let target = model.pipeline(pipeline);
    let plabel = target
        .and_then(|t| t.title.as_deref())
        .unwrap_or(pipeline.as_str());
    let slabel = target
        .and_then(|t| t.stages.iter().find(|s| &s.name == stage))
        .and_then(|s| s.title.as_deref())
        .unwrap_or(stage.as_str());
    format!(
        "{} «{plabel}», {} «{slabel}»",
        lang.pick(
            "создать клиенту новую сделку в воронке",
            "create a new deal for the client in pipeline"
        ),
        lang.pick("этап", "stage")
    )
}

/// What happens at a destination, as an instruction.
fn destination(model: &Model, p: &Pipeline, to: &Destination, failure: bool, lang: Lang) -> String {
    match to {
        Destination::Won => lang
            .pick("закрыть сделку как успешную", "close the deal as won")
            .to_string(),
        Destination::Lost { reason } => {
            let mut t = lang
                .pick("закрыть сделку как проигранную", "close the deal as lost")
                .to_string();
            if let Some(code) = reason {
                t.push_str(&format!(
                    " ({} «{}»)",
                    lang.pick("причина", "reason"),
                    reason_label(model, code)
                ));
            }
            t
        }
        Destination::Stage { pipeline, stage } => {
            let target = model.pipeline(pipeline);
            let plabel = target
                .and_then(|t| t.title.as_deref())
                .unwrap_or(pipeline.as_str());
            let slabel = target
                .and_then(|t| t.stages.iter().find(|s| &s.name == stage))
                .and_then(|s| s.title.as_deref())
                .unwrap_or(stage.as_str());
            if *pipeline == p.name {
                format!(
                    "{} «{slabel}»",
                    lang.pick("перевести сделку на этап", "move the deal to stage")
                )
            } else if failure {
                format!(
                    "{} «{plabel}» {} «{slabel}»",
                    lang.pick(
                        "закрыть сделку как проигранную и создать новую в воронке",
                        "close the deal as lost and create a new one in pipeline"
                    ),
                    lang.pick("на этапе", "at stage")
                )
            } else {
                format!(
                    "{} «{plabel}», {} «{slabel}»",
                    lang.pick("перевести сделку в воронку", "move the deal to pipeline"),
                    lang.pick("этап", "stage")
                )
            }
        }
    }
}

fn reason_label(model: &Model, code: &str) -> String {
    model
        .loss_reasons
        .iter()
        .find(|r| r.code == code)
        .and_then(|r| r.label.clone())
        .unwrap_or_else(|| code.to_string())
}

/// `exits` and `description` are the stage's own ([`exits`], [`description`]).
fn rules(
    model: &Model,
    p: &Pipeline,
    s: &Stage,
    si: usize,
    exits: &[Exit],
    description: Option<&str>,
    lang: Lang,
) -> Vec<Rule> {
    let mut out = Vec::new();
    let mut push = |kind, text: String| out.push(Rule { kind, text });
    let role_title = |name: Option<&str>| -> String {
        name.map(|r| {
            model
                .role(r)
                .and_then(|role| role.title.clone())
                .unwrap_or_else(|| r.to_string())
        })
        .unwrap_or_else(|| {
            lang.pick("ответственному за этап", "to the stage owner")
                .to_string()
        })
    };
    for c in &s.chain {
        let who = role_title(c.owner.as_deref().or(s.owner.as_deref()));
        // A contact of kind `задача` is the task itself: «Задача «…»», not «Задача: задача».
        let mut text = match (c.kind, &c.title) {
            (ContactKind::Task, Some(t)) => format!("{} «{t}» — {who}", lang.pick("Задача", "Task")),
            (ContactKind::Task, None) => format!("{} — {who}", lang.pick("Задача", "Task")),
            _ => format!(
                "{}: {} — {who}",
                lang.pick("Задача", "Task"),
                contact_label(c, lang)
            ),
        };
        if let Some(d) = c.delay_days.filter(|d| *d > 0.0) {
            text.push_str(&format!(
                ", {} {} {}",
                lang.pick("через", "due"),
                delay(d, lang),
                lang.pick("после предыдущего шага", "after the previous step")
            ));
        }
        // `срок`: the task's due time, from the stage entry for the first contact.
        if let Some(d) = c.deadline_days {
            let first = std::ptr::eq(c, &s.chain[0]);
            text.push_str(&format!(
                "; {} {} {}",
                lang.pick("срок задачи —", "due within"),
                delay(d, lang),
                if first {
                    lang.pick("с входа в этап", "of entering the stage")
                } else {
                    lang.pick("с предыдущего шага", "of the previous step")
                }
            ));
        }
        // `повторы`: one task per attempt, due at its time after the first.
        if !c.retry_at_days.is_empty() {
            let times: Vec<String> = c
                .retry_at_days
                .iter()
                .map(|&d| {
                    if d <= 0.0 {
                        lang.pick("сразу", "at once").to_string()
                    } else {
                        format!("{} {}", lang.pick("через", "after"), delay(d, lang))
                    }
                })
                .collect();
            text.push_str(&format!(
                "; {}: {}",
                lang.pick("задачи на попытки", "attempt tasks"),
                times.join(", ")
            ));
        }
        push(RuleKind::Task, text);
    }
    for (i, c) in s.chain.iter().enumerate() {
        if c.attempts.is_some() || c.reach.is_some() {
            let n = c.max_attempts();
            let then = match &c.otherwise {
                Some(d) => destination(model, p, d, true, lang),
                None => lang
                    .pick("решение принимает РОП", "the head of sales decides")
                    .to_string(),
            };
            // With `дозвон` the share that leaves this way is known (one transition of the stage).
            let share = s
                .transitions
                .iter()
                .find(|t| t.kind == TransitionKind::Unreached && t.contact == Some(i))
                .map(|t| {
                    format!(
                        " ({} {} {})",
                        lang.pick("ожидаемо", "expected for"),
                        format::percent(t.probability, lang),
                        lang.pick("сделок", "of deals")
                    )
                })
                .unwrap_or_default();
            push(
                RuleKind::Attempts,
                format!(
                    "{} {n} {} {}{share} — {then}",
                    lang.pick("После", "After"),
                    lang.pick("безуспешных попыток:", "failed attempts of"),
                    contact_label(c, lang)
                ),
            );
        }
    }
    if let Some(wait) = s.wait_limit_days {
        let mut text = format!(
            "{} {}: {}",
            lang.pick("Срок первого контакта —", "First contact within"),
            delay(wait, lang),
            lang.pick(
                "если контакта нет дольше, лид остывает — напоминание ответственному и уведомление РОП",
                "past it the lead goes cold: remind the owner and notify the head of sales"
            )
        );
        if let Some(decay) = s.decay_per_day {
            text.push_str(&format!(
                " ({} {} {})",
                lang.pick("конверсия падает на", "conversion drops by"),
                format::percent(decay, lang),
                lang.pick("в день", "a day")
            ));
        }
        push(RuleKind::GoCold, text);
    }
    if let Some(limit) = s.limit_days {
        push(
            RuleKind::TimeLimit,
            format!(
                "{} {}: {}",
                lang.pick("Лимит этапа —", "Stage limit:"),
                format::days(limit, lang),
                lang.pick(
                    "если сделка на этапе дольше, отметить её как зависшую и уведомить ответственного и РОП",
                    "if the deal stays longer, mark it as stale and notify the owner and the head of sales"
                )
            ),
        );
    }
    let successes: Vec<_> = s
        .transitions
        .iter()
        .filter(|t| t.kind == TransitionKind::Success)
        .collect();
    let next = p.stages.get(si + 1).map(|n| n.name.as_str());
    for t in &successes {
        let default = t.delay_days.is_none()
            && match &t.to {
                Destination::Stage { pipeline, stage } => *pipeline == p.name && Some(stage.as_str()) == next,
                Destination::Won => next.is_none(),
                Destination::Lost { .. } => false,
            };
        if successes.len() > 1 {
            push(
                RuleKind::Branch,
                format!(
                    "{} {} {}: {}",
                    lang.pick("Ветка: после успеха", "Branch: after success,"),
                    format::percent(t.probability, lang),
                    lang.pick("сделок", "of deals"),
                    later(destination(model, p, &t.to, false, lang), t.delay_days, lang)
                ),
            );
        } else if !default {
            push(
                RuleKind::Transition,
                format!(
                    "{}: {}",
                    lang.pick("При успехе", "On success"),
                    later(destination(model, p, &t.to, false, lang), t.delay_days, lang)
                ),
            );
        }
    }
    if let Some(a) = &p.after_win
        && successes.iter().any(|t| t.to == Destination::Won)
    {
        push(
            RuleKind::HandOff,
            format!(
                "{}: {}",
                lang.pick(
                    "После выигрыша (автоматизация CRM или задача ответственному)",
                    "After the win (a CRM automation or a task for the owner)"
                ),
                later(new_deal(model, &a.to, lang), a.delay_days, lang)
            ),
        );
    }
    let mut reasons: Vec<String> = Vec::new();
    for t in s.transitions.iter().filter(|t| t.kind == TransitionKind::Failure) {
        match &t.to {
            Destination::Lost { reason } => {
                if let Some(code) = reason {
                    let label = format!("«{}»", reason_label(model, code));
                    if !reasons.contains(&label) {
                        reasons.push(label);
                    }
                }
            }
            to => push(
                RuleKind::HandOff,
                format!(
                    "{} ({} {}): {}",
                    lang.pick("При отказе", "On failure"),
                    format::percent(t.probability, lang),
                    lang.pick("сделок", "of deals"),
                    later(destination(model, p, to, true, lang), t.delay_days, lang)
                ),
            ),
        }
    }
    if !reasons.is_empty() {
        push(
            RuleKind::LossReasons,
            format!(
                "{}: {}",
                lang.pick(
                    "Причины отказа на этапе (добавьте в справочник причин CRM)",
                    "Loss reasons at the stage (add them to the CRM's list of reasons)"
                ),
                reasons.join(", ")
            ),
        );
    }
    if !s.required_fields.is_empty() {
        push(
            RuleKind::RequiredFields,
            required_text(&s.required_fields, exits, lang),
        );
    }
    if let Some(d) = description {
        push(
            RuleKind::Guidance,
            format!(
                "{}: {}",
                lang.pick(
                    "Инструкция этапа для менеджера",
                    "Stage guidance for the salesperson"
                ),
                sentences(d)
            ),
        );
    }
    out
}
