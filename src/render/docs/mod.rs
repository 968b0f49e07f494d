//! The documents: «Положение о системе продаж», one памятка and one должностная инструкция
//! per role, and the report forms, each in Markdown, HTML and DOCX. This module renders them
//! ([`documents`]); its children build the template context from typed view structs
//! ([`views`]), one concept each: the words ([`words`]: labels of enum values, bounds and
//! distributions spelled out in the document's language), roles and measures, pipelines,
//! routines, the plan, and the context of each document (regulation, memo, job, forms). Plain
//! numbers go to the templates, which format them with the filters of [`super::Renderer`].

use super::{Renderer, TemplateError, html_page, ru, svg};
use crate::analyze::Analysis;
use crate::diag::Lang;
use crate::model::Model;
use std::path::PathBuf;

mod calendar;
mod cards;
mod counter_words;
mod field_cond;
mod forms;
mod inactivity;
mod job;
mod memo;
mod pipelines;
mod plan;
mod quality;
mod regulation;
mod release;
mod roles;
mod routines;
mod routing;
mod telcal;
mod terms;
mod triggers;
mod views;
mod words;

use views::{
    AccountingView, ChannelView, ChecklistView, ContactView, ControlView, Decomposition, DocumentView,
    HeaderView, InteractionView, KpiView, MatrixView, MeetingView, MemoView, MonthRow, NormSetView, NormView,
    OnboardingView, PayView, PipelineView, PlanView, RegulationView, ReportView, ResourceView, RoleNeedView,
    RoleView, StageNeed, StageView, TargetView, TransitionView, Views,
};

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
    let mut out: Vec<Item> = Vec::new();
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
        let title = model
            .header
            .title
            .clone()
            .unwrap_or_else(|| words::document_title(DocKind::Regulation, lang).to_string());
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
            out.push(Item::Page(Page {
                stem: "regulation".into(),
                format: *f,
                title: title.clone(),
                md,
                word,
            }));
        }
        // The Markdown links to the diagrams; the HTML carries them inline; the DOCX embeds them.
        for p in &model.pipelines {
            out.push(Item::Ready(OutputFile {
                name: format!("{}.svg", file_stem(&p.name)),
                contents: svg::pipeline(model, p, lang).into_bytes(),
            }));
        }
    }
    // One page per role and format: the onboarding memo, then the job description.
    for (kind, stem) in [(DocKind::Memo, "memo"), (DocKind::Job, "job")] {
        if !wants(kind) {
            continue;
        }
        for role in &model.roles {
            let text = match kind {
                DocKind::Memo => renderer.render("memo.md", view.memo(&role.name))?,
                _ => renderer.render("job.md", view.job(&role.name))?,
            };
            let md = super::tidy(&text);
            let title = format!("{}: {}", words::document_title(kind, lang), role_title(role));
            for f in &options.formats {
                out.push(Item::Page(Page {
                    stem: format!("{stem}-{}", file_stem(&role.name)),
                    format: *f,
                    title: title.clone(),
                    md: md.clone(),
                    word: word.clone(),
                }));
            }
        }
    }
    if wants(DocKind::Forms) {
        let title = words::document_title(DocKind::Forms, lang);
        let md = super::tidy(&renderer.render("forms.md", view.forms_document())?);
        for f in &options.formats {
            out.push(Item::Page(Page {
                stem: "forms".into(),
                format: *f,
                title: title.to_string(),
                md: md.clone(),
                word: word.clone(),
            }));
        }
    }
    // The Word files (which draw their diagrams and charts into pictures: most of the
    // documents' time) on a thread of their own, one after another as before — `docx-rs`
    // numbers paragraphs per thread and pictures per process, so each file comes out the same
    // whatever else runs — and the other pages meanwhile on this one; the order is kept.
    let (word_pages, other): (Vec<_>, Vec<_>) = out
        .into_iter()
        .enumerate()
        .partition(|(_, item)| matches!(item, Item::Page(p) if p.format == OutFormat::Docx));
    let make = |item: Item| match item {
        Item::Ready(file) => Ok(file),
        Item::Page(p) => finish(&renderer, &p.stem, p.format, &p.title, p.md, &p.word),
    };
    let make_all = |items: Vec<(usize, Item)>| {
        items
            .into_iter()
            .map(|(k, item)| make(item).map(|f| (k, f)))
            .collect::<Result<Vec<_>, TemplateError>>()
    };
    let (word_files, other_files) = std::thread::scope(|scope| {
        let word = scope.spawn(|| make_all(word_pages));
        let other = make_all(other);
        (word.join(), other)
    });
    let word_files = word_files.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let mut files: Vec<(usize, OutputFile)> = other_files?;
    files.extend(word_files);
    files.sort_by_key(|(k, _)| *k);
    Ok(files.into_iter().map(|(_, f)| f).collect())
}

/// One output of [`documents`]: a file already made, or a page still to be turned into its
/// format.
enum Item<'a> {
    Ready(OutputFile),
    Page(Page<'a>),
}

/// A document's Markdown and what [`finish`] needs to make it a file of `format`.
struct Page<'a> {
    stem: String,
    format: OutFormat,
    title: String,
    md: String,
    word: super::docx::Meta<'a>,
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
