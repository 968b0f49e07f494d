//! The documents: «Положение о системе продаж», one памятка and one должностная инструкция
//! per role, and the report forms, each in Markdown, HTML and DOCX. This file builds the
//! template context in one place from typed view structs: labels of enum values, bounds and
//! distributions are spelled out here in the document's language; plain numbers go to the
//! templates, which format them with the filters of [`super::Renderer`].

use super::format::{self, NBSP};
use super::{Renderer, TemplateError, html_page, ru, svg};
use crate::analyze::{Analysis, RevenueBasis};
use crate::diag::Lang;
use crate::model::{
    BonusKind, Bound, Cmp, Colour, ContactKind, Currency, Destination, Direction, Distribution, Kpi, KpiKind,
    Model, Norm, Period, PipelineKind, PlanMetric, RoleFunction, Scope, TransitionKind,
};
use crate::planning::{
    self,
    pay::PayExample,
    plan::{PlanFigures, PlanMonth},
};
use minijinja::value::Value;
use serde::Serialize;
use std::path::PathBuf;

mod forms;
mod job;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Regulation,
    Memo,
    Job,
    Forms,
}

impl DocKind {
    pub const ALL: [DocKind; 4] = [DocKind::Regulation, DocKind::Memo, DocKind::Job, DocKind::Forms];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Md,
    Html,
    Docx,
}

#[derive(Debug, Clone)]
pub struct DocsOptions {
    pub formats: Vec<OutFormat>,
    pub lang: Lang,
    pub templates: Option<PathBuf>,
    pub only: Option<DocKind>,
    /// A forecast to summarise in an appendix of the Положение; none without a simulation.
    pub forecast: Option<crate::sim::SimResult>,
}

/// A file to write, its name relative to the output folder.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    pub name: String,
    pub contents: Vec<u8>,
}

impl OutputFile {
    /// The contents as text (every output but DOCX is UTF-8).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.contents)
    }
}

/// Renders the documents chosen by `options`.
pub fn documents(
    model: &Model,
    analysis: &Analysis,
    options: &DocsOptions,
) -> Result<Vec<OutputFile>, TemplateError> {
    let lang = options.lang;
    let renderer = Renderer::new(lang, model.header.currency, options.templates.as_deref())?;
    let view = Views::new(model, analysis, lang);
    let mut out = Vec::new();
    let wants = |k: DocKind| options.only.is_none_or(|o| o == k);
    let role_title = |r: &crate::model::Role| r.title.clone().unwrap_or_else(|| r.name.clone());
    // Word files carry the diagrams as pictures, and their author and title in the
    // document's properties (the person responsible, else the company).
    let diagrams: Vec<(String, String)> = if options.formats.contains(&OutFormat::Docx) {
        model
            .pipelines
            .iter()
            .map(|p| {
                (
                    format!("{}.svg", file_stem(&p.name)),
                    svg::pipeline(model, p, lang),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let author = model
        .header
        .owner
        .as_deref()
        .and_then(|o| {
            model
                .role(o)
                .and_then(|r| r.title.clone())
                .or(Some(o.to_string()))
        })
        .or_else(|| model.header.company.clone());
    let word = super::docx::Meta {
        title: "",
        author: author.as_deref(),
        images: &diagrams,
        toc: false,
    };
    if wants(DocKind::Regulation) {
        let title = model.header.title.clone().unwrap_or_else(|| {
            lang.pick("Положение о системе продаж", "Sales system regulation")
                .to_string()
        });
        for f in &options.formats {
            let mut ctx = view.regulation(f.target());
            ctx.forecast = options
                .forecast
                .as_ref()
                .map(|f| super::forecast::summary(model, f, lang));
            let md = super::tidy(&renderer.render("regulation.md", ctx)?);
            let word = super::docx::Meta {
                toc: true,
                ..word.clone()
            };
            out.push(finish(&renderer, "regulation", *f, &title, md, &word)?);
        }
        // The Markdown links to the diagrams; the HTML carries them inline; the DOCX embeds them.
        for p in &model.pipelines {
            out.push(OutputFile {
                name: format!("{}.svg", file_stem(&p.name)),
                contents: svg::pipeline(model, p, lang).into_bytes(),
            });
        }
    }
    if wants(DocKind::Memo) {
        for role in &model.roles {
            let ctx = view.memo(&role.name);
            let title = format!("{}: {}", lang.pick("Памятка", "Memo"), role_title(role));
            let md = super::tidy(&renderer.render("memo.md", &ctx)?);
            for f in &options.formats {
                let stem = format!("memo-{}", file_stem(&role.name));
                out.push(finish(&renderer, &stem, *f, &title, md.clone(), &word)?);
            }
        }
    }
    if wants(DocKind::Job) {
        for role in &model.roles {
            let ctx = view.job(&role.name);
            let title = format!(
                "{}: {}",
                lang.pick("Должностная инструкция", "Job description"),
                role_title(role)
            );
            let md = super::tidy(&renderer.render("job.md", &ctx)?);
            for f in &options.formats {
                let stem = format!("job-{}", file_stem(&role.name));
                out.push(finish(&renderer, &stem, *f, &title, md.clone(), &word)?);
            }
        }
    }
    if wants(DocKind::Forms) {
        let title = lang.pick("Формы отчётов", "Report forms");
        let md = super::tidy(&renderer.render("forms.md", view.forms_document())?);
        for f in &options.formats {
            out.push(finish(&renderer, "forms", *f, title, md.clone(), &word)?);
        }
    }
    Ok(out)
}

impl OutFormat {
    /// What the templates see as `target`: how a diagram is shown.
    fn target(self) -> &'static str {
        match self {
            OutFormat::Md => "md",
            OutFormat::Html => "html",
            OutFormat::Docx => "docx",
        }
    }
}

fn finish(
    renderer: &Renderer,
    stem: &str,
    f: OutFormat,
    title: &str,
    md: String,
    word: &super::docx::Meta<'_>,
) -> Result<OutputFile, TemplateError> {
    Ok(match f {
        OutFormat::Md => OutputFile {
            name: format!("{stem}.md"),
            contents: md.into_bytes(),
        },
        OutFormat::Html => OutputFile {
            name: format!("{stem}.html"),
            contents: html_page(renderer, title, &md)?.into_bytes(),
        },
        OutFormat::Docx => OutputFile {
            name: format!("{stem}.docx"),
            contents: super::docx::document(
                &md,
                &super::docx::Meta {
                    title,
                    ..word.clone()
                },
            ),
        },
    })
}

pub use super::format::file_stem;

/// A resource's kind as a client reads it, or `None` when the title already says it
/// («CRM Битрикс24» of kind `crm`).
fn resource_kind(kind: &str, title: Option<&str>) -> Option<String> {
    let lower = kind.to_lowercase();
    if title.is_some_and(|t| t.to_lowercase().contains(&lower)) {
        return None;
    }
    if kind.is_ascii() && kind.len() <= 4 {
        return Some(kind.to_uppercase());
    }
    Some(kind.replace('_', " "))
}

// ─── Views ────────────────────────────────────────────────────────────────────

#[derive(Serialize)]
struct HeaderView {
    title: Option<String>,
    company: Option<String>,
    department: Option<String>,
    version: Option<String>,
    effective: Option<String>,
    owner: Option<String>,
    approver: Option<String>,
    product: Option<String>,
    description: Option<String>,
    currency: &'static str,
    horizon_months: Option<f64>,
    step_months: Option<f64>,
    work_week_days: f64,
}

#[derive(Serialize)]
struct RoleView {
    name: String,
    title: String,
    headcount: u32,
    reports_to: Option<String>,
    subordinates: Vec<String>,
    function: Option<&'static str>,
    work_day_hours: f64,
    selling_share: f64,
    ramp_up_months: Option<f64>,
    attrition_per_year: Option<f64>,
    hires: Vec<String>,
    salary: Option<f64>,
    soft_salary_share: Option<f64>,
    bonus: Option<String>,
    description: Option<String>,
    stages: Vec<String>,
    /// The role's KPIs that carry a weight in pay: (title, weight).
    kpi_weights: Vec<(String, f64)>,
    /// Pay at 70, 100 and 120 % of the plan, when pay depends on the plan.
    pay: Option<PayView>,
}

#[derive(Serialize)]
struct ChannelView {
    title: String,
    leads_per_month: f64,
    seasonality: Option<String>,
    lead_cost: Option<f64>,
    pipeline: Option<String>,
    team: Option<String>,
    first_response_minutes: Option<f64>,
    description: Option<String>,
}

#[derive(Serialize, Clone)]
struct ContactView {
    kind: &'static str,
    title: Option<String>,
    work_minutes: Option<f64>,
    delay: Option<String>,
    attempts: Option<u32>,
    /// `дозвон`: the probability that one attempt reaches the client.
    reach: Option<f64>,
    otherwise: Option<String>,
    /// The title of the role that makes the contact when it is not the stage's owner.
    owner: Option<String>,
    /// The name of the role that makes the contact (the contact's, else the stage's).
    role: Option<String>,
}

#[derive(Serialize, Clone)]
struct TransitionView {
    success: bool,
    /// For the route of the clients a contact did not reach: «не дозвонились после 3 попыток».
    unreached: Option<String>,
    probability: f64,
    to: String,
}

#[derive(Serialize, Clone)]
struct StageView {
    pipeline: String,
    pipeline_title: String,
    name: String,
    title: String,
    owner: Option<String>,
    owner_name: Option<String>,
    /// The conversion the transitions and the plan use ([`crate::model::Stage::effective_conversion`]).
    conversion: Option<f64>,
    /// The `конверсия` as written, when the unreached share of `дозвон` makes it differ.
    conversion_of_reached: Option<f64>,
    duration: Option<String>,
    chain: Vec<ContactView>,
    entry_criterion: Option<String>,
    exit_criterion: Option<String>,
    required_fields: Vec<String>,
    guidance: Option<String>,
    colour: Option<String>,
    deal_probability: Option<f64>,
    crm_code: Option<String>,
    limit_days: Option<f64>,
    transitions: Vec<TransitionView>,
    loss_reasons: Vec<String>,
    documents: Vec<String>,
    visits: Option<f64>,
}

#[derive(Serialize)]
struct PipelineView {
    name: String,
    title: String,
    kind: &'static str,
    entry: Option<String>,
    exit: Option<String>,
    deal_size: Option<String>,
    repeat: Option<String>,
    owner: Option<String>,
    description: Option<String>,
    p_won: Option<f64>,
    expected_days: Option<f64>,
    stages: Vec<StageView>,
    /// Markdown (a link to the SVG file) or inline SVG for HTML; safe.
    diagram: Value,
}

#[derive(Serialize, Clone)]
struct KpiView {
    name: String,
    title: String,
    kind: Option<&'static str>,
    direction: Option<&'static str>,
    formula: Option<String>,
    unit: Option<String>,
    period: Option<&'static str>,
    roles: Vec<String>,
    department: bool,
    target: Option<String>,
    colours: Vec<String>,
    weight: Option<f64>,
    description: Option<String>,
}

#[derive(Serialize, Clone)]
struct NormView {
    subject: String,
    requirement: String,
    title: Option<String>,
}

#[derive(Serialize)]
struct NormSetView {
    role: Option<String>,
    role_name: Option<String>,
    title: Option<String>,
    norms: Vec<NormView>,
}

/// The pay example of a role and, worded, the revenue its share is paid on.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PayView {
    #[serde(flatten)]
    example: PayExample,
    basis: Option<String>,
}

#[derive(Serialize)]
struct MonthRow {
    month: String,
    revenue: Option<f64>,
    deals: Option<f64>,
    new_clients: Option<f64>,
    deals_needed: Option<f64>,
    leads_needed: Option<f64>,
    leads_expected: f64,
}

#[derive(Serialize)]
struct StageNeed {
    stage: String,
    entries_expected: f64,
    entries_needed: f64,
    contacts: Vec<(String, f64)>,
}

#[derive(Serialize)]
struct RoleNeedView {
    role: String,
    headcount: u32,
    needed: Option<u32>,
    per_person_per_day: Vec<(String, f64)>,
}

#[derive(Serialize)]
struct Decomposition {
    metric: &'static str,
    plan_per_month: f64,
    multiplier: f64,
    revenue: f64,
    deals: f64,
    new_clients: f64,
    leads: f64,
    leads_expected: f64,
    stages: Vec<StageNeed>,
    roles: Vec<RoleNeedView>,
}

#[derive(Serialize)]
struct TargetView {
    metric: &'static str,
    money: bool,
    per_month_mean: f64,
    total: f64,
}

#[derive(Serialize)]
struct PlanView {
    title: Option<String>,
    horizon_months: Option<f64>,
    step_months: Option<f64>,
    start: Option<String>,
    owner: Option<String>,
    procedure: Option<String>,
    description: Option<String>,
    targets: Vec<TargetView>,
    months: Vec<MonthRow>,
    decomposition: Option<Decomposition>,
}

#[derive(Serialize)]
struct AccountingView {
    what: String,
    who: Vec<String>,
    r#where: Option<String>,
    deadline: Option<String>,
}

#[derive(Serialize, Clone)]
struct ControlView {
    title: String,
    who: Option<String>,
    what: Option<String>,
    roles: Vec<String>,
    period: Option<&'static str>,
    reports_to: Option<String>,
    checklist: Option<String>,
    sample: Option<String>,
    procedure: Option<String>,
    kpis: Vec<String>,
    description: Option<String>,
}

#[derive(Serialize, Clone)]
struct ReportView {
    title: String,
    author: Option<String>,
    recipients: Vec<String>,
    period: Option<&'static str>,
    format: Option<String>,
    kpis: Vec<String>,
    deadline: Option<String>,
    description: Option<String>,
}

#[derive(Serialize)]
struct InteractionView {
    title: String,
    with: Option<String>,
    give: Option<String>,
    receive: Option<String>,
    deadline: Option<String>,
    owner: Option<String>,
    pipeline: Option<String>,
    description: Option<String>,
}

#[derive(Serialize, Clone)]
struct MeetingView {
    title: String,
    owner: Option<String>,
    participants: Vec<String>,
    period: Option<&'static str>,
    duration_minutes: Option<f64>,
    agenda: Option<String>,
}

#[derive(Serialize, Clone)]
struct ChecklistView {
    title: String,
    contact: Option<&'static str>,
    scale: Option<String>,
    pass_mark: Option<f64>,
    criteria: Vec<(String, Option<f64>, bool)>,
}

#[derive(Serialize, Clone)]
struct DocumentView {
    title: String,
    text: Option<String>,
    stages: Vec<String>,
    roles: Vec<String>,
}

#[derive(Serialize)]
struct ResourceView {
    title: String,
    kind: Option<String>,
    roles: Vec<String>,
    description: Option<String>,
}

#[derive(Serialize, Clone)]
struct OnboardingView {
    role: String,
    title: Option<String>,
    mentor: Option<String>,
    steps: Vec<(f64, String, Option<f64>)>,
    description: Option<String>,
}

#[derive(Serialize)]
struct MatrixView {
    roles: Vec<String>,
    /// Per stage: its title and one mark per role.
    rows: Vec<(String, Vec<&'static str>)>,
}

#[derive(Serialize)]
struct RegulationView {
    lang: &'static str,
    target: &'static str,
    header: HeaderView,
    terms: Vec<(String, String)>,
    roles: Vec<RoleView>,
    channels: Vec<ChannelView>,
    pipelines: Vec<PipelineView>,
    kpis_department: Vec<KpiView>,
    kpis_by_role: Vec<(String, Vec<KpiView>)>,
    norms: Vec<NormSetView>,
    plan: Option<PlanView>,
    accounting: Vec<AccountingView>,
    controls: Vec<ControlView>,
    checklists: Vec<ChecklistView>,
    meetings: Vec<MeetingView>,
    reports: Vec<ReportView>,
    interactions: Vec<InteractionView>,
    resources: Vec<ResourceView>,
    documents: Vec<DocumentView>,
    onboarding: Vec<OnboardingView>,
    loss_reasons: Vec<(String, String, Vec<String>, Option<String>)>,
    changes: Vec<(String, String, String, Option<String>)>,
    matrix: MatrixView,
    /// The report forms of the appendix.
    forms: forms::FormsView,
    /// The reporting lines as (depth, title, headcount), depth first.
    org_chart: Vec<(usize, String, u32)>,
    signatures: Vec<String>,
    /// Some stage lists required CRM fields.
    required_fields: bool,
    /// The forecast appendix, when a simulation was run.
    forecast: Option<super::forecast::SummaryView>,
}

#[derive(Serialize)]
struct MemoView {
    lang: &'static str,
    header: HeaderView,
    role: RoleView,
    manager: Option<String>,
    stages: Vec<StageView>,
    norms: Vec<NormView>,
    kpis: Vec<KpiView>,
    controls: Vec<ControlView>,
    checks_i_make: Vec<ControlView>,
    checklists: Vec<ChecklistView>,
    reports: Vec<ReportView>,
    reports_to_me: Vec<ReportView>,
    meetings: Vec<MeetingView>,
    documents: Vec<DocumentView>,
    onboarding: Option<OnboardingView>,
    accounting: Vec<AccountingView>,
}

struct Views<'a> {
    model: &'a Model,
    analysis: &'a Analysis,
    lang: Lang,
    /// The plan and its decomposition (`planning::plan`), computed once.
    figures: Option<PlanFigures>,
    /// The pay example of every role, model order (`planning::pay`), computed once.
    pay: Vec<Option<PayExample>>,
}

impl<'a> Views<'a> {
    fn new(model: &'a Model, analysis: &'a Analysis, lang: Lang) -> Views<'a> {
        let figures = planning::plan::plan(model, analysis);
        let multiplier = figures
            .as_ref()
            .and_then(|f| f.decomposition.as_ref())
            .map(|d| d.multiplier);
        let pay = planning::pay::examples(model, analysis, multiplier);
        Views {
            model,
            analysis,
            lang,
            figures,
            pay,
        }
    }
}

impl Views<'_> {
    fn pick(&self, ru: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(ru, en)
    }

    fn role_title(&self, name: &str) -> String {
        match self.model.role(name) {
            Some(r) => r.title.clone().unwrap_or_else(|| r.name.clone()),
            None => name.to_string(),
        }
    }

    fn role_or_department(&self, name: &str) -> String {
        if name == "отдел" || name == "department" {
            self.pick("отдел в целом", "the department").to_string()
        } else {
            self.role_title(name)
        }
    }

    fn pipeline_title(&self, name: &str) -> String {
        match self.model.pipeline(name) {
            Some(p) => p.title.clone().unwrap_or_else(|| p.name.clone()),
            None => name.to_string(),
        }
    }

    fn stage_title(&self, pipeline: &str, stage: &str) -> String {
        self.model
            .pipeline(pipeline)
            .and_then(|p| p.stages.iter().find(|s| s.name == stage))
            .and_then(|s| s.title.clone())
            .unwrap_or_else(|| stage.to_string())
    }

    fn scope(&self, s: &Scope) -> String {
        match s {
            Scope::Pipeline { pipeline } => self.pipeline_title(pipeline),
            Scope::Stage { pipeline, stage } => {
                format!(
                    "{} ({})",
                    self.stage_title(pipeline, stage),
                    self.pipeline_title(pipeline)
                )
            }
        }
    }

    fn money(&self, x: f64) -> String {
        format::money(x, self.model.header.currency, self.lang)
    }

    fn destination(&self, d: &Destination, from_pipeline: &str) -> String {
        match d {
            Destination::Won => self
                .pick("выигрыш (продажа состоялась)", "won (sale made)")
                .to_string(),
            Destination::Lost { reason } => {
                let label = reason
                    .as_deref()
                    .map(|r| {
                        let text = self
                            .model
                            .loss_reasons
                            .iter()
                            .find(|l| l.code == r)
                            .and_then(|l| l.label.clone())
                            .unwrap_or_else(|| r.to_string());
                        format!(", {}: {text}", self.pick("причина", "reason"))
                    })
                    .unwrap_or_default();
                format!("{}{label}", self.pick("проигрыш", "lost"))
            }
            Destination::Stage { pipeline, stage } if pipeline == from_pipeline => {
                format!(
                    "{} «{}»",
                    self.pick("этап", "stage"),
                    self.stage_title(pipeline, stage)
                )
            }
            Destination::Stage { pipeline, stage } => format!(
                "{} «{}», {} «{}»",
                self.pick("воронка", "pipeline"),
                self.pipeline_title(pipeline),
                self.pick("этап", "stage"),
                self.stage_title(pipeline, stage)
            ),
        }
    }

    fn distribution_days(&self, d: &Distribution) -> String {
        let n = |x: f64| format::number(x, 1, self.lang);
        match d {
            Distribution::Fixed { value } => format::days(*value, self.lang),
            Distribution::Uniform { min, max } => format!("{}–{}", n(*min), format::days(*max, self.lang)),
            Distribution::Triangular { min, mode, max } => format!(
                "{}–{}, {} {}",
                n(*min),
                format::days(*max, self.lang),
                self.pick("обычно", "typically"),
                format::days(*mode, self.lang)
            ),
            _ => format!(
                "{} {}",
                self.pick("в среднем", "on average"),
                format::days(d.mean(), self.lang)
            ),
        }
    }

    fn distribution_money(&self, d: &Distribution) -> String {
        match d {
            Distribution::Fixed { value } => self.money(*value),
            Distribution::Uniform { min, max } => format!("{} – {}", self.money(*min), self.money(*max)),
            _ => format!(
                "{} {}",
                self.pick("в среднем", "on average"),
                self.money(d.mean())
            ),
        }
    }

    fn period(&self, p: Option<Period>) -> Option<&'static str> {
        p.map(|p| match p {
            Period::Day => self.pick("ежедневно", "daily"),
            Period::Week => self.pick("еженедельно", "weekly"),
            Period::Month => self.pick("ежемесячно", "monthly"),
            Period::Quarter => self.pick("ежеквартально", "quarterly"),
            Period::Year => self.pick("ежегодно", "yearly"),
        })
    }

    fn per(&self, p: Period) -> &'static str {
        match p {
            Period::Day => self.pick("в день", "a day"),
            Period::Week => self.pick("в неделю", "a week"),
            Period::Month => self.pick("в месяц", "a month"),
            Period::Quarter => self.pick("в квартал", "a quarter"),
            Period::Year => self.pick("в год", "a year"),
        }
    }

    fn contact_kind(&self, k: ContactKind) -> &'static str {
        match k {
            ContactKind::Call => self.pick("звонок", "call"),
            ContactKind::Meeting => self.pick("встреча", "meeting"),
            ContactKind::Email => self.pick("письмо", "email"),
            ContactKind::Message => self.pick("сообщение", "message"),
            ContactKind::Proposal => self.pick("КП", "proposal"),
            ContactKind::Contract => self.pick("договор", "contract"),
            ContactKind::Invoice => self.pick("счёт", "invoice"),
            ContactKind::Demo => self.pick("демонстрация", "demo"),
            ContactKind::Task => self.pick("задача", "task"),
        }
    }

    /// «не дозвонились после 3 попыток» / "not reached after 3 attempts".
    fn unreached_after(&self, attempts: u32) -> String {
        match self.lang {
            Lang::Ru => format!(
                "не дозвонились после {attempts} {}",
                if attempts == 1 {
                    "попытки"
                } else {
                    "попыток"
                }
            ),
            Lang::En => format!(
                "not reached after {attempts} {}",
                format::plural(f64::from(attempts), "attempt", "attempts", "attempts", Lang::En)
            ),
        }
    }

    fn contact_kind_plural(&self, k: ContactKind) -> &'static str {
        match k {
            ContactKind::Call => self.pick("звонки", "calls"),
            ContactKind::Meeting => self.pick("встречи", "meetings"),
            ContactKind::Email => self.pick("письма", "emails"),
            ContactKind::Message => self.pick("сообщения", "messages"),
            ContactKind::Proposal => self.pick("КП", "proposals"),
            ContactKind::Contract => self.pick("договоры", "contracts"),
            ContactKind::Invoice => self.pick("счета", "invoices"),
            ContactKind::Demo => self.pick("демонстрации", "demos"),
            ContactKind::Task => self.pick("задачи", "tasks"),
        }
    }

    /// A deadline as written in the file (`1 дн`, `30 мин`, `"понедельник, 10:00"`) in words:
    /// `1 день`, `30 мин`; a text stays as written.
    pub(super) fn deadline(&self, raw: &str) -> String {
        let t = raw.trim();
        let split = t
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.' || *c == ' ' || *c == '_'))
            .map(|(i, _)| i)
            .unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let Ok(n) = num.replace([' ', '_'], "").replace(',', ".").parse::<f64>() else {
            return raw.to_string();
        };
        match unit.trim() {
            "дн" | "д" | "d" | "day" | "days" => format::days(n, self.lang),
            "мин" | "min" => format::minutes(n, self.lang),
            "ч" | "h" => format!("{}{NBSP}{}", format::number(n, 1, self.lang), self.pick("ч", "h")),
            "нед" | "wk" => match self.lang {
                Lang::Ru => ru::count(n, "неделя", "недели", "недель"),
                Lang::En => format!("{} wk", format::number(n, 1, self.lang)),
            },
            _ => raw.to_string(),
        }
    }

    /// Days after a comparison: «не более 21 дня», «не более 3 дней» (the genitive), «ровно 3
    /// дня».
    pub(super) fn days_bound(&self, op: Cmp, x: f64) -> String {
        match (self.lang, op) {
            (Lang::Ru, Cmp::Eq) | (Lang::En, _) => format!("{} {}", self.cmp(op), format::days(x, self.lang)),
            (Lang::Ru, _) => format!("{} {}", self.cmp(op), ru::days_genitive(x)),
        }
    }

    /// A KPI formula in words, as the client reads it: titles instead of names, counters
    /// described, standard operators.
    pub(super) fn formula_words(&self, f: &crate::model::Formula) -> String {
        use crate::model::{Counter, Formula};
        let wrap = |g: &Formula| {
            let t = self.formula_words(g);
            if matches!(g, Formula::Add { .. } | Formula::Sub { .. }) {
                format!("({t})")
            } else {
                t
            }
        };
        match f {
            Formula::Number { value } => format::number(*value, 2, self.lang),
            Formula::Neg { arg } => format!("−{}", wrap(arg)),
            Formula::Add { left, right } => {
                format!("{} + {}", self.formula_words(left), self.formula_words(right))
            }
            Formula::Sub { left, right } => {
                format!("{} − {}", self.formula_words(left), wrap(right))
            }
            Formula::Mul { left, right } => format!("{} × {}", wrap(left), wrap(right)),
            Formula::Div { left, right } => format!("{} / {}", wrap(left), wrap(right)),
            Formula::Counter { counter, scope } => {
                let place = scope.as_ref().map(|s| match s {
                    Scope::Pipeline { pipeline } => (
                        true,
                        format!(
                            "{} «{}»",
                            self.pick("воронку", "pipeline"),
                            self.pipeline_title(pipeline)
                        ),
                    ),
                    Scope::Stage { pipeline, stage } => (
                        false,
                        format!(
                            "{} «{}»",
                            self.pick("этап", "stage"),
                            self.stage_title(pipeline, stage)
                        ),
                    ),
                });
                match (self.lang, counter, &place) {
                    (Lang::Ru, Counter::Entered, Some((_, p))) => format!("вошли в {p}"),
                    (Lang::Ru, Counter::Converted, Some((false, p))) => format!("прошли {p}"),
                    (Lang::Ru, _, Some((is_pipeline, p))) => {
                        let p = if *is_pipeline {
                            p.replacen("воронку", "воронка", 1)
                        } else {
                            p.clone()
                        };
                        format!("{} ({p})", self.counter_name(*counter))
                    }
                    (Lang::En, _, Some((_, p))) => format!("{} ({p})", self.counter_name(*counter)),
                    (_, _, None) => self.counter_name(*counter),
                }
            }
        }
    }

    pub(super) fn cmp(&self, op: Cmp) -> &'static str {
        match op {
            Cmp::Ge => self.pick("не менее", "at least"),
            Cmp::Gt => self.pick("более", "more than"),
            Cmp::Le => self.pick("не более", "at most"),
            Cmp::Lt => self.pick("менее", "less than"),
            Cmp::Eq => self.pick("ровно", "exactly"),
        }
    }

    /// A value in a KPI's unit.
    fn value(&self, x: f64, unit: Option<&str>) -> String {
        match unit {
            Some("%") => format::percent(x, self.lang),
            Some("₽" | "$" | "€" | "RUB" | "USD" | "EUR") => self.money(x),
            Some("мин" | "min") => format::minutes(x, self.lang),
            Some("дн" | "days" | "day") => format::days(x, self.lang),
            Some("шт" | "pcs") => format::number(x, 1, self.lang),
            Some(u) => format!("{}{NBSP}{u}", format::number(x, 1, self.lang)),
            None => format::number(x, 1, self.lang),
        }
    }

    fn bound(&self, b: &Bound, unit: Option<&str>) -> String {
        match b {
            Bound::Cmp { op, value } => format!("{} {}", self.cmp(*op), self.value(*value, unit)),
            Bound::Range { min, max } => format!(
                "{} {} {} {}",
                self.pick("от", "from"),
                self.value(*min, unit),
                self.pick("до", "to"),
                self.value(*max, unit)
            ),
        }
    }

    fn counter_name(&self, c: crate::model::Counter) -> String {
        crate::model::COUNTERS
            .iter()
            .find(|(k, ..)| *k == c)
            .map(|(_, _, en, what)| match self.lang {
                // The unit goes with the value («не более 30 мин»), not the name.
                Lang::Ru => what
                    .trim_end_matches(", минут")
                    .trim_end_matches(", дней")
                    .to_string(),
                Lang::En => en.replace('_', " "),
            })
            .unwrap_or_default()
    }

    fn norm(&self, n: &Norm) -> NormView {
        let subject = match (n.counter, &n.scope) {
            (Some(c), scope) => {
                let base = self.counter_name(c);
                match scope {
                    Some(s) => format!("{base}: {}", self.scope(s)),
                    None => base,
                }
            }
            (None, _) if n.subject == "первый_отклик" || n.subject == "first_response" => self
                .pick("время первого отклика на заявку", "first response to a lead")
                .to_string(),
            (None, _) => n.subject.replace('_', " "),
        };
        let unit = n.unit.as_deref();
        let value = match (n.counter, unit) {
            (Some(crate::model::Counter::Revenue | crate::model::Counter::AverageDeal), _) => {
                self.money(n.value)
            }
            (Some(crate::model::Counter::CycleDays), _) => format::days(n.value, self.lang),
            (_, Some("min" | "мин" | "minutes")) => format::minutes(n.value, self.lang),
            (_, Some("share" | "fraction" | "%")) => format::percent(n.value, self.lang),
            (_, Some("days" | "дн")) => format::days(n.value, self.lang),
            _ => format::number(n.value, 1, self.lang),
        };
        let per = n.per.map(|p| format!(" {}", self.per(p))).unwrap_or_default();
        NormView {
            subject,
            requirement: format!("{} {value}{per}", self.cmp(n.op)),
            title: n.title.clone(),
        }
    }

    fn kpi(&self, k: &Kpi) -> KpiView {
        let unit = k.unit.as_deref();
        KpiView {
            name: k.name.clone(),
            title: k.title.clone().unwrap_or_else(|| k.name.clone()),
            kind: k.kind.map(|x| match x {
                KpiKind::Leading => self.pick("опережающий", "leading"),
                KpiKind::Lagging => self.pick("результирующий", "lagging"),
            }),
            direction: k.direction.map(|d| match d {
                Direction::HigherIsBetter => self.pick("больше — лучше", "higher is better"),
                Direction::LowerIsBetter => self.pick("меньше — лучше", "lower is better"),
                Direction::WithinBand => self.pick("в пределах диапазона", "within the band"),
            }),
            formula: k.formula.as_ref().map(|f| self.formula_words(f)),
            unit: k.unit.clone(),
            period: self.period(k.period),
            roles: k.roles.iter().map(|r| self.role_or_department(r)).collect(),
            department: k.department,
            target: k.target.as_ref().map(|b| self.bound(b, unit)),
            colours: k
                .colours
                .iter()
                .map(|c| {
                    let colour = match c.colour {
                        Colour::Red => self.pick("красный", "red"),
                        Colour::Yellow => self.pick("жёлтый", "yellow"),
                        Colour::Green => self.pick("зелёный", "green"),
                    };
                    format!("{colour}: {}", self.bound(&c.bound, Some("%")))
                })
                .collect(),
            weight: k.weight,
            description: k.description.clone(),
        }
    }

    fn header(&self) -> HeaderView {
        let h = &self.model.header;
        HeaderView {
            title: h.title.clone(),
            company: h.company.clone(),
            department: h.department.clone(),
            version: h.version.clone(),
            effective: h.effective.clone(),
            owner: h.owner.as_deref().map(|o| self.role_title(o)),
            approver: h.approver.clone(),
            product: h.product.clone(),
            description: h.description.clone(),
            currency: match h.currency {
                Currency::Rub => "RUB",
                Currency::Usd => "USD",
                Currency::Eur => "EUR",
            },
            horizon_months: h.horizon_months,
            step_months: h.step_months,
            work_week_days: h.work_week_days,
        }
    }

    fn role(&self, name: &str) -> Option<RoleView> {
        let r = self.model.role(name)?;
        let bonus = r.bonus.as_ref().map(|b| match b.kind() {
            BonusKind::PlanAmount(v) => format!(
                "{} {}",
                self.money(v),
                self.pick("за выполнение плана", "for meeting the plan")
            ),
            BonusKind::RevenueShare(v) => format!(
                "{} {}",
                format::percent(v, self.lang),
                self.pick("выручки", "of revenue")
            ),
            BonusKind::MarginShare(v) => format!(
                "{} {}",
                format::percent(v, self.lang),
                self.pick("маржи", "of margin")
            ),
        });
        let mut stages = Vec::new();
        for p in &self.model.pipelines {
            for s in &p.stages {
                if s.owner.as_deref() == Some(name) {
                    stages.push(s.title.clone().unwrap_or_else(|| s.name.clone()));
                }
            }
        }
        Some(RoleView {
            name: r.name.clone(),
            title: r.title.clone().unwrap_or_else(|| r.name.clone()),
            headcount: r.headcount,
            // A head with no superior is written as reporting to himself in some files: he
            // reports to no one.
            reports_to: r
                .reports_to
                .as_deref()
                .filter(|x| *x != name)
                .map(|x| self.role_title(x)),
            subordinates: self
                .model
                .roles
                .iter()
                .filter(|x| x.reports_to.as_deref() == Some(name) && x.name != name)
                .map(|x| x.title.clone().unwrap_or_else(|| x.name.clone()))
                .collect(),
            function: r.function.map(|f| match f {
                RoleFunction::Hunter => {
                    self.pick("хантер (привлечение новых клиентов)", "hunter (new clients)")
                }
                RoleFunction::Closer => {
                    self.pick("клоузер (ведение сделки до оплаты)", "closer (deal to payment)")
                }
                RoleFunction::Farmer => self.pick(
                    "фермер (работа с действующими клиентами)",
                    "farmer (existing clients)",
                ),
                RoleFunction::Head => self.pick("руководитель", "manager"),
                RoleFunction::Quality => self.pick("контроль качества", "quality control"),
                RoleFunction::Support => self.pick("поддержка продаж", "sales support"),
            }),
            work_day_hours: r.work_day_hours,
            selling_share: r.selling_share,
            ramp_up_months: r.ramp_up_months,
            attrition_per_year: r.attrition_per_year,
            hires: r
                .hires
                .iter()
                .map(|h| {
                    let when = match (&h.from_date, h.from_month) {
                        (Some(d), _) => format!("{} {}", self.pick("с", "from"), format::date(d, self.lang)),
                        (None, Some(m)) => match self.lang {
                            Lang::Ru => format!("с {}-го месяца", format::number(m, 0, self.lang)),
                            Lang::En => format!("from month {}", format::number(m, 0, self.lang)),
                        },
                        _ => String::new(),
                    };
                    let people = match self.lang {
                        Lang::Ru => ru::count(h.count as f64, "сотрудник", "сотрудника", "сотрудников"),
                        Lang::En => format!("{} {}", h.count, if h.count == 1 { "person" } else { "people" }),
                    };
                    format!("{} {people} {when}", self.pick("ещё", "another"))
                        .trim_end()
                        .to_string()
                })
                .collect(),
            salary: r.salary,
            soft_salary_share: r.soft_salary_share,
            bonus,
            description: r.description.clone(),
            stages,
            kpi_weights: self
                .model
                .kpis
                .iter()
                .filter(|k| k.roles.iter().any(|x| x == name))
                .filter_map(|k| {
                    k.weight
                        .map(|w| (k.title.clone().unwrap_or_else(|| k.name.clone()), w))
                })
                .collect(),
            pay: self
                .model
                .roles
                .iter()
                .position(|x| x.name == name)
                .and_then(|i| self.pay.get(i).cloned().flatten())
                .map(|p| self.pay_view(p)),
        })
    }

    /// The pay example with its revenue base worded: which deals the share is paid on.
    fn pay_view(&self, example: PayExample) -> PayView {
        let pipelines = |names: &[String]| -> String {
            names
                .iter()
                .map(|n| {
                    let t = self.model.pipeline(n).and_then(|p| p.title.clone());
                    format!("«{}»", t.unwrap_or_else(|| n.clone()))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let basis = example.basis.as_ref().map(|b| match b {
            RevenueBasis::Stages { pipelines: names, .. } => match (self.lang, names.len()) {
                (Lang::Ru, 1) => format!(
                    "выручка выигранных сделок, прошедших этапы роли, в воронке {}",
                    pipelines(names)
                ),
                (Lang::Ru, _) => format!(
                    "выручка выигранных сделок, прошедших этапы роли, в воронках {}",
                    pipelines(names)
                ),
                (Lang::En, 1) => format!(
                    "the revenue of the won deals that passed the role's stages, in the pipeline {}",
                    pipelines(names)
                ),
                (Lang::En, _) => format!(
                    "the revenue of the won deals that passed the role's stages, in the pipelines {}",
                    pipelines(names)
                ),
            },
            RevenueBasis::Team { pipelines: names } => match (self.lang, names.len()) {
                (Lang::Ru, 1) => format!(
                    "выручка воронки {}, этапы которой ведут подчинённые роли",
                    pipelines(names)
                ),
                (Lang::Ru, _) => format!(
                    "выручка воронок {}, этапы которых ведут подчинённые роли",
                    pipelines(names)
                ),
                (Lang::En, 1) => format!(
                    "the revenue won in the pipeline {}, worked by the role's team",
                    pipelines(names)
                ),
                (Lang::En, _) => format!(
                    "the revenue won in the pipelines {}, worked by the role's team",
                    pipelines(names)
                ),
            },
            RevenueBasis::Department => self
                .pick("выручка отдела", "the department's revenue")
                .to_string(),
        });
        PayView { example, basis }
    }

    fn stages(&self) -> Vec<StageView> {
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
                    .map(|c| ContactView {
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
                        otherwise: c.otherwise.as_ref().map(|d| self.destination(d, &p.name)),
                        owner: c.owner.as_deref().map(|o| self.role_title(o)),
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
                    conversion_of_reached: s
                        .conversion
                        .filter(|&c| s.effective_conversion().is_some_and(|e| (e - c).abs() > 1e-9)),
                    duration: s.duration_days.as_ref().map(|d| self.distribution_days(d)),
                    chain: contacts,
                    entry_criterion: s.entry_criterion.clone(),
                    exit_criterion: s.exit_criterion.clone(),
                    required_fields: s.required_fields.clone(),
                    guidance: s.guidance.clone(),
                    colour: s.colour.clone(),
                    deal_probability: s.deal_probability,
                    crm_code: s.crm_code.clone(),
                    limit_days: s.limit_days,
                    transitions: s
                        .transitions
                        .iter()
                        .map(|t| TransitionView {
                            success: t.kind == TransitionKind::Success,
                            unreached: (t.kind == TransitionKind::Unreached).then(|| {
                                let n = t
                                    .contact
                                    .and_then(|i| s.chain.get(i))
                                    .map_or(1, |c| c.max_attempts());
                                self.unreached_after(n)
                            }),
                            probability: t.probability,
                            to: self.destination(&t.to, &p.name),
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

    fn pipelines(&self, target: &str) -> Vec<PipelineView> {
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
                    format!("![{}](<{}.svg>)", super::escape_md(&title), file_stem(&p.name))
                };
                PipelineView {
                    name: p.name.clone(),
                    title,
                    kind: match p.kind {
                        PipelineKind::Sales => self.pick("продажа", "sales"),
                        PipelineKind::Account => {
                            self.pick("работа с действующими клиентами", "account management")
                        }
                        PipelineKind::Retargeting => self.pick("ретаргетинг", "retargeting"),
                        PipelineKind::Nurturing => self.pick("прогрев", "nurturing"),
                    },
                    entry: p.entry.clone(),
                    exit: p.exit.clone(),
                    deal_size: p.deal_size.as_ref().map(|d| self.distribution_money(d)),
                    repeat: p.repeat.as_ref().map(|r| {
                        let after = r
                            .after_days
                            .as_ref()
                            .map(|d| {
                                let mean = d.mean();
                                let month = self.model.header.working_days_per_month();
                                let when = if mean >= month {
                                    let months = format::number(mean / month, 1, self.lang);
                                    format!("{months}{NBSP}{}", self.pick("мес.", "months"))
                                } else {
                                    self.distribution_days(d)
                                };
                                format!(" {} {when}", self.pick("через", "after"))
                            })
                            .unwrap_or_default();
                        format!("{}{after}", format::percent(r.probability, self.lang))
                    }),
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

    fn controls(&self) -> Vec<(ControlView, Vec<String>, Option<String>)> {
        self.model
            .controls
            .iter()
            .map(|c| {
                let checklist = c.checklist.as_ref().map(|n| {
                    self.model
                        .checklists
                        .iter()
                        .find(|x| x.name == *n)
                        .and_then(|x| x.title.clone())
                        .unwrap_or_else(|| n.clone())
                });
                let view = ControlView {
                    title: c
                        .title
                        .clone()
                        .or_else(|| c.name.clone())
                        .unwrap_or_else(|| self.pick("Контроль", "Control").to_string()),
                    who: c.who.as_deref().map(|w| self.role_title(w)),
                    what: c.what.clone(),
                    roles: c.roles.iter().map(|r| self.role_or_department(r)).collect(),
                    period: self.period(c.period),
                    reports_to: c.reports_to.as_deref().map(|w| self.role_title(w)),
                    checklist,
                    sample: c.sample.clone(),
                    procedure: c.procedure.clone(),
                    kpis: c.kpis.iter().map(|k| self.kpi_title(k)).collect(),
                    description: c.description.clone(),
                };
                (view, c.roles.clone(), c.who.clone())
            })
            .collect()
    }

    fn kpi_title(&self, name: &str) -> String {
        self.model
            .kpis
            .iter()
            .find(|k| k.name == name)
            .and_then(|k| k.title.clone())
            .unwrap_or_else(|| name.to_string())
    }

    fn reports(&self) -> Vec<(ReportView, Option<String>, Vec<String>)> {
        self.model
            .reports
            .iter()
            .map(|r| {
                (
                    ReportView {
                        title: r.title.clone().unwrap_or_else(|| r.name.clone()),
                        author: r.author.as_deref().map(|a| self.role_title(a)),
                        recipients: r.recipients.iter().map(|a| self.role_title(a)).collect(),
                        period: self.period(r.period),
                        format: r.format.clone(),
                        kpis: r.kpis.iter().map(|k| self.kpi_title(k)).collect(),
                        deadline: r.deadline.as_deref().map(|d| self.deadline(d)),
                        description: r.description.clone(),
                    },
                    r.author.clone(),
                    r.recipients.clone(),
                )
            })
            .collect()
    }

    fn meetings(&self) -> Vec<(MeetingView, Vec<String>)> {
        self.model
            .meetings
            .iter()
            .map(|m| {
                let mut who: Vec<String> = m.participants.clone();
                who.extend(m.owner.clone());
                (
                    MeetingView {
                        title: m.title.clone().unwrap_or_else(|| m.name.clone()),
                        owner: m.owner.as_deref().map(|o| self.role_title(o)),
                        participants: m.participants.iter().map(|p| self.role_title(p)).collect(),
                        period: self.period(m.period),
                        duration_minutes: m.duration_minutes,
                        agenda: m.agenda.clone(),
                    },
                    who,
                )
            })
            .collect()
    }

    fn checklists(&self) -> Vec<ChecklistView> {
        self.model
            .checklists
            .iter()
            .map(|c| ChecklistView {
                title: c.title.clone().unwrap_or_else(|| c.name.clone()),
                contact: c.contact.map(|k| self.contact_kind(k)),
                scale: c.scale.map(|(a, b)| {
                    format!(
                        "{}–{}",
                        format::number(a, 1, self.lang),
                        format::number(b, 1, self.lang)
                    )
                }),
                pass_mark: c.pass_mark,
                criteria: c
                    .criteria
                    .iter()
                    .map(|x| (x.label.clone(), x.weight, x.critical))
                    .collect(),
            })
            .collect()
    }

    fn documents(&self) -> Vec<(DocumentView, Vec<String>)> {
        self.model
            .documents
            .iter()
            .map(|d| {
                (
                    DocumentView {
                        title: d.title.clone().unwrap_or_else(|| d.name.clone()),
                        text: d.text.clone().or_else(|| d.description.clone()),
                        stages: d.stages.iter().map(|s| self.scope(s)).collect(),
                        roles: d.roles.iter().map(|r| self.role_title(r)).collect(),
                    },
                    d.roles.clone(),
                )
            })
            .collect()
    }

    fn onboarding(&self) -> Vec<(OnboardingView, String)> {
        self.model
            .onboarding
            .iter()
            .map(|o| {
                (
                    OnboardingView {
                        role: self.role_title(&o.role),
                        title: o.title.clone(),
                        mentor: o.mentor.as_deref().map(|m| self.role_title(m)),
                        steps: o
                            .steps
                            .iter()
                            .map(|s| (s.day, s.goal.clone(), s.plan_share))
                            .collect(),
                        description: o.description.clone(),
                    },
                    o.role.clone(),
                )
            })
            .collect()
    }

    fn accounting(&self) -> Vec<(AccountingView, Vec<String>)> {
        self.model
            .accounting
            .iter()
            .map(|a| {
                (
                    AccountingView {
                        what: a.what.clone(),
                        who: a.who.iter().map(|w| self.role_title(w)).collect(),
                        r#where: a.r#where.clone(),
                        deadline: a.deadline.as_deref().map(|d| self.deadline(d)),
                    },
                    a.who.clone(),
                )
            })
            .collect()
    }

    /// The plan month by month and its reverse decomposition through the funnel, as
    /// `planning::plan` computed them.
    fn plan(&self) -> Option<PlanView> {
        let plan = self.model.plan.as_ref()?;
        let figures = self.figures.as_ref()?;
        let metric_label = |m: PlanMetric| match m {
            PlanMetric::Revenue => self.pick("выручка", "revenue"),
            PlanMetric::Deals => self.pick("сделки", "deals"),
            PlanMetric::NewClients => self.pick("новые клиенты", "new clients"),
        };
        let months = figures
            .months
            .iter()
            .enumerate()
            .map(|(i, m): (usize, &PlanMonth)| MonthRow {
                month: match m.calendar {
                    Some((y, mm)) => format::month(y, mm, self.lang),
                    None => format!("{} {}", self.pick("месяц", "month"), i + 1),
                },
                revenue: m.revenue,
                deals: m.deals,
                new_clients: m.new_clients,
                deals_needed: m.deals_needed,
                leads_needed: m.leads_needed,
                leads_expected: m.leads_expected,
            })
            .collect();
        let decomposition = figures.decomposition.as_ref().map(|d| Decomposition {
            metric: metric_label(d.metric),
            plan_per_month: d.plan_per_month,
            multiplier: d.multiplier,
            revenue: d.revenue,
            deals: d.deals,
            new_clients: d.new_clients,
            leads: d.leads,
            leads_expected: d.leads_expected,
            stages: d
                .stages
                .iter()
                .map(|n| {
                    let p = self.model.pipeline(&n.pipeline);
                    let s = p.and_then(|p| p.stages.iter().find(|s| s.name == n.stage));
                    let stage = s.and_then(|s| s.title.clone()).unwrap_or_else(|| n.stage.clone());
                    let stage = match p {
                        Some(p) if self.model.pipelines.len() > 1 => {
                            format!("{}: {stage}", p.title.as_deref().unwrap_or(&p.name))
                        }
                        _ => stage,
                    };
                    StageNeed {
                        stage,
                        entries_expected: n.entries_expected,
                        entries_needed: n.entries_needed,
                        contacts: n
                            .contacts
                            .iter()
                            .map(|&(k, x)| (self.contact_kind_plural(k).to_string(), x))
                            .collect(),
                    }
                })
                .collect(),
            roles: d
                .roles
                .iter()
                .map(|r| RoleNeedView {
                    role: self.role_title(&r.role),
                    headcount: r.headcount,
                    needed: r.needed,
                    per_person_per_day: r
                        .per_person_per_day
                        .iter()
                        .map(|&(k, x)| (self.contact_kind_plural(k).to_string(), x))
                        .collect(),
                })
                .collect(),
        });
        let targets = figures
            .targets
            .iter()
            .map(|t| TargetView {
                metric: match t.metric {
                    PlanMetric::Revenue => self.pick("Выручка", "Revenue"),
                    PlanMetric::Deals => self.pick("Сделки (оплаты)", "Deals (payments)"),
                    PlanMetric::NewClients => self.pick("Новые клиенты", "New clients"),
                },
                money: t.metric == PlanMetric::Revenue,
                per_month_mean: t.per_month_mean,
                total: t.total,
            })
            .collect();
        Some(PlanView {
            title: plan.title.clone(),
            horizon_months: plan.horizon_months.or(self.model.header.horizon_months),
            step_months: plan.step_months.or(self.model.header.step_months),
            start: plan.start.clone(),
            owner: plan.owner.as_deref().map(|o| self.role_title(o)),
            procedure: plan.procedure.clone(),
            description: plan.description.clone(),
            targets,
            months,
            decomposition,
        })
    }

    fn matrix(&self) -> MatrixView {
        let roles: Vec<&str> = self.model.roles.iter().map(|r| r.name.as_str()).collect();
        let mut rows = Vec::new();
        for p in &self.model.pipelines {
            for s in &p.stages {
                let owner = s.owner.as_deref().or(p.owner.as_deref());
                let marks = roles
                    .iter()
                    .map(|r| {
                        if owner == Some(*r) {
                            self.pick("О", "R")
                        } else if s.chain.iter().any(|c| c.owner.as_deref() == Some(*r)) {
                            self.pick("И", "P")
                        } else {
                            ""
                        }
                    })
                    .collect();
                let title = s.title.clone().unwrap_or_else(|| s.name.clone());
                let title = if self.model.pipelines.len() > 1 {
                    format!("{}: {title}", p.title.as_deref().unwrap_or(&p.name))
                } else {
                    title
                };
                rows.push((title, marks));
            }
        }
        MatrixView {
            roles: roles.iter().map(|r| self.role_title(r)).collect(),
            rows,
        }
    }

    /// The reports-to tree, roots first; a role on a reporting loop is shown once.
    fn org_chart(&self) -> Vec<(usize, String, u32)> {
        let roles = &self.model.roles;
        let mut out = Vec::new();
        let mut seen = vec![false; roles.len()];
        let is_root = |r: &crate::model::Role| {
            r.reports_to
                .as_deref()
                .is_none_or(|b| self.model.role(b).is_none())
        };
        let mut stack: Vec<(usize, usize)> = roles
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, r)| is_root(r))
            .map(|(i, _)| (i, 0))
            .collect();
        while let Some((i, depth)) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            let r = &roles[i];
            out.push((
                depth,
                r.title.clone().unwrap_or_else(|| r.name.clone()),
                r.headcount,
            ));
            for (j, sub) in roles.iter().enumerate().rev() {
                if sub.reports_to.as_deref() == Some(r.name.as_str()) && !seen[j] {
                    stack.push((j, depth + 1));
                }
            }
        }
        // Roles only on a loop have no root: list them at the top level.
        for (i, r) in roles.iter().enumerate() {
            if !seen[i] {
                out.push((0, r.title.clone().unwrap_or_else(|| r.name.clone()), r.headcount));
            }
        }
        out
    }

    /// The register of loss reasons: (code, label, stages, what happens next).
    fn loss_reasons(&self) -> Vec<(String, String, Vec<String>, Option<String>)> {
        self.model
            .loss_reasons
            .iter()
            .map(|l| {
                (
                    l.code.clone(),
                    l.label.clone().unwrap_or_else(|| l.code.clone()),
                    l.stages.iter().map(|s| self.scope(s)).collect(),
                    l.next.as_ref().map(|d| self.destination(d, "")),
                )
            })
            .collect()
    }

    fn lang_code(&self) -> &'static str {
        self.pick("ru", "en")
    }

    fn regulation(&self, target: &'static str) -> RegulationView {
        let m = self.model;
        let kpis: Vec<(KpiView, &Kpi)> = m.kpis.iter().map(|k| (self.kpi(k), k)).collect();
        let kpis_by_role = m
            .roles
            .iter()
            .filter_map(|r| {
                let list: Vec<KpiView> = kpis
                    .iter()
                    .filter(|(_, k)| k.roles.contains(&r.name))
                    .map(|(v, _)| v.clone())
                    .collect();
                (!list.is_empty()).then(|| (r.title.clone().unwrap_or_else(|| r.name.clone()), list))
            })
            .collect();
        RegulationView {
            lang: self.lang_code(),
            target,
            header: self.header(),
            terms: m
                .glossary
                .iter()
                .map(|t| (t.term.clone(), t.definition.clone()))
                .collect(),
            roles: m.roles.iter().filter_map(|r| self.role(&r.name)).collect(),
            channels: m
                .channels
                .iter()
                .map(|c| ChannelView {
                    title: c.title.clone().unwrap_or_else(|| c.name.clone()),
                    leads_per_month: c.leads_per_month,
                    seasonality: (c.seasonality.len() == 12).then(|| {
                        c.seasonality
                            .iter()
                            .map(|s| format::percent(*s, self.lang))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }),
                    lead_cost: c.lead_cost,
                    pipeline: c.pipeline.as_deref().map(|p| self.pipeline_title(p)),
                    team: c.team.as_deref().map(|t| self.role_title(t)),
                    first_response_minutes: c.first_response_minutes,
                    description: c.description.clone(),
                })
                .collect(),
            pipelines: self.pipelines(target),
            kpis_department: kpis
                .iter()
                .filter(|(_, k)| k.department)
                .map(|(v, _)| v.clone())
                .collect(),
            kpis_by_role,
            norms: m
                .norms
                .iter()
                .map(|s| NormSetView {
                    role: s.role.as_deref().map(|r| self.role_title(r)),
                    role_name: s.role.clone(),
                    title: s.title.clone(),
                    norms: s.norms.iter().map(|n| self.norm(n)).collect(),
                })
                .collect(),
            plan: self.plan(),
            accounting: self.accounting().into_iter().map(|(a, _)| a).collect(),
            controls: self.controls().into_iter().map(|(c, ..)| c).collect(),
            checklists: self.checklists(),
            meetings: self.meetings().into_iter().map(|(x, _)| x).collect(),
            reports: self.reports().into_iter().map(|(r, ..)| r).collect(),
            interactions: m
                .interactions
                .iter()
                .map(|i| InteractionView {
                    title: i.title.clone().unwrap_or_else(|| i.name.clone()),
                    with: i.with.clone(),
                    give: i.give.clone(),
                    receive: i.receive.clone(),
                    deadline: i.deadline.as_deref().map(|d| self.deadline(d)),
                    owner: i.owner.as_deref().map(|o| self.role_title(o)),
                    pipeline: i.pipeline.as_deref().map(|p| self.pipeline_title(p)),
                    description: i.description.clone(),
                })
                .collect(),
            resources: m
                .resources
                .iter()
                .map(|r| ResourceView {
                    title: r.title.clone().unwrap_or_else(|| r.name.clone()),
                    kind: r
                        .kind
                        .as_deref()
                        .and_then(|k| resource_kind(k, r.title.as_deref())),
                    roles: r.roles.iter().map(|x| self.role_title(x)).collect(),
                    description: r.description.clone(),
                })
                .collect(),
            documents: self.documents().into_iter().map(|(d, _)| d).collect(),
            onboarding: self.onboarding().into_iter().map(|(o, _)| o).collect(),
            loss_reasons: self.loss_reasons(),
            forms: self.forms(),
            changes: m
                .changes
                .iter()
                .map(|c| {
                    (
                        c.version.clone(),
                        c.date.clone(),
                        c.summary.clone(),
                        c.author.clone(),
                    )
                })
                .collect(),
            matrix: self.matrix(),
            org_chart: self.org_chart(),
            required_fields: m
                .pipelines
                .iter()
                .any(|p| p.stages.iter().any(|s| !s.required_fields.is_empty())),
            forecast: None,
            signatures: m
                .roles
                .iter()
                .flat_map(|r| {
                    let t = r.title.clone().unwrap_or_else(|| r.name.clone());
                    std::iter::repeat_n(t, r.headcount as usize)
                })
                .collect(),
        }
    }

    fn memo(&self, role: &str) -> MemoView {
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn agency() -> (Model, Analysis) {
        let model = crate::compile(Path::new("examples/agency.sales"))
            .model
            .expect("model");
        let analysis = crate::analyze::analyze(&model);
        (model, analysis)
    }

    #[test]
    fn the_decomposition_goes_back_from_the_plan_to_leads() {
        let (model, analysis) = agency();
        let views = Views::new(&model, &analysis, Lang::Ru);
        let plan = views.plan().expect("a plan");
        let d = plan.decomposition.expect("a decomposition");
        let dept = &analysis.department;
        // The plan is 47 million over 12 months.
        assert!((d.plan_per_month - 47_000_000.0 / 12.0).abs() < 1e-6);
        assert!((d.revenue - d.plan_per_month).abs() < 1e-6);
        // Everything scales by one factor: leads, deals and stage entries alike.
        assert!((d.leads / dept.leads_per_month - d.multiplier).abs() < 1e-12);
        assert!((d.deals / d.leads - dept.purchases_per_month / dept.leads_per_month).abs() < 1e-12);
        // Every lead enters the first stage of «Продажа».
        assert!((d.stages[0].entries_needed - d.leads).abs() < 1e-9);
        assert_eq!(plan.months.len(), 12);
        assert_eq!(plan.months[0].month, "январь 2026");
        let total: f64 = plan.months.iter().filter_map(|m| m.revenue).sum();
        assert!((total - 47_000_000.0).abs() < 1e-3);
        let per_deal = dept.revenue_per_month / dept.purchases_per_month;
        for m in &plan.months {
            let needed = m.deals_needed.expect("deals needed");
            assert!((needed * per_deal - m.revenue.expect("revenue")).abs() < 1e-3);
        }
    }

    #[test]
    fn the_matrix_marks_owners_and_performers() {
        let (model, analysis) = agency();
        let views = Views::new(&model, &analysis, Lang::Ru);
        let m = views.matrix();
        assert_eq!(m.roles.len(), model.roles.len());
        let stages: usize = model.pipelines.iter().map(|p| p.stages.len()).sum();
        assert_eq!(m.rows.len(), stages);
        let presale = model
            .roles
            .iter()
            .position(|r| r.name == "Пресейл")
            .expect("Пресейл");
        let manager = model
            .roles
            .iter()
            .position(|r| r.name == "Менеджер")
            .expect("Менеджер");
        let (title, marks) = m
            .rows
            .iter()
            .find(|(t, _)| t.contains("КП отправлено"))
            .expect("КП");
        assert_eq!(marks[manager], "О", "{title}");
        assert_eq!(marks[presale], "И", "{title}");
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("Продажа"), "Продажа");
        assert_eq!(file_stem("a/b c"), "a_b_c");
    }
}
