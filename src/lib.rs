//! voronka compiles a company's sales system, written as one «Положение о системе продаж»
//! file, into a validated model and everything generated from it.
//!
//! # Steps
//!
//! 1. [`load`]: read the root file and its includes into a [`source::SourceMap`];
//! 2. [`syntax::parse`]: text → spanned syntax tree, one item at a time;
//! 3. [`model::lower`]: syntax tree → resolved, unit-normalised [`model::Model`];
//! 4. [`graph::build`]: model → process graph, exported as DOT or Mermaid;
//! 5. [`check::run`]: the graph must be sound (errors) and the regulation follow the rules of
//!    good sales management (lints, whose levels [`check::apply_levels`] sets);
//! 6. [`analyze::analyze`]: model → exact steady-state figures (conversion, visits, cycle time,
//!    deals, revenue, role load, plan gap) from an absorbing Markov chain;
//! 7. [`sim::simulate`]: model → Monte Carlo forecast ([`sim::SimResult`]);
//! 8. [`render::documents`]: model + analysis → the regulation and role memos (Markdown,
//!    HTML) and pipeline diagrams (SVG), from templates;
//! 9. [`crm::render`]: model → request bodies for amoCRM, Bitrix24, HubSpot and Pipedrive,
//!    with a README and an apply script per CRM.
//!
//! Every step reports problems as [`diag::Diagnostic`] values; nothing prints but the CLI.

pub mod analyze;
pub mod backtest;
pub mod calibrate;
pub mod check;
#[allow(clippy::print_stdout)] // the commands print their results: the one place that does
pub mod cli;
pub mod crm;
pub mod datafile;
pub mod diag;
pub mod fmt;
pub mod graph;
pub mod history;
pub mod init;
pub mod load;
pub mod locale;
pub mod lsp;
pub mod model;
pub mod planning;
pub mod render;
pub mod scenario;
pub mod serve;
pub mod sim;
pub mod source;
pub mod syntax;

use std::path::Path;

/// The result of compiling one root file.
#[derive(Debug)]
pub struct Compiled {
    pub sources: source::SourceMap,
    /// The model, when the files parsed (it may still carry errors in `diagnostics`).
    pub model: Option<model::Model>,
    /// Every diagnostic, sorted by position.
    pub diagnostics: Vec<diag::Diagnostic>,
    /// Where every name is defined and used (empty when nothing parsed).
    pub names: model::Names,
    /// The root file could not be read.
    pub io_failure: bool,
    /// The model's analysis: the one the rules computed, else computed on first use.
    analysis: std::sync::OnceLock<analyze::Analysis>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(diag::Diagnostic::is_error)
    }

    /// The analysis of the model (`None` without one), computed at most once per compilation:
    /// `check` shares the one its rules read with the CRM checks.
    pub fn analysis(&self) -> Option<&analyze::Analysis> {
        let model = self.model.as_ref()?;
        Some(self.analysis.get_or_init(|| analyze::analyze(model)))
    }

    /// [`Compiled::analysis`], taken out (the caller keeps the model and its analysis).
    pub fn take_analysis(&mut self) -> Option<analyze::Analysis> {
        self.analysis()?;
        self.analysis.take()
    }
}

/// How to compile: lint levels given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub levels: Vec<check::LevelSetting>,
}

/// Reads, parses, lowers and checks a file and everything it includes.
pub fn compile(path: &Path) -> Compiled {
    compile_with(path, &Options::default())
}

/// [`compile`] with options.
pub fn compile_with(path: &Path, options: &Options) -> Compiled {
    finish(load::load(path), options)
}

/// Compiles `path` reading files from `overlay` (an editor's open buffers) before the disk.
pub fn compile_overlay(path: &Path, overlay: load::Overlay, options: &Options) -> Compiled {
    finish(load::load_overlay(path, overlay), options)
}

/// Compiles text held in memory, as if read from `path`.
pub fn compile_str(path: &Path, text: &str) -> Compiled {
    finish(load::load_str(path, text), &Options::default())
}

fn finish(loaded: load::Loaded, options: &Options) -> Compiled {
    let load::Loaded {
        sources,
        files,
        mut diags,
        io_failure,
        ..
    } = loaded;
    let mut names = model::Names::default();
    let analysis = std::sync::OnceLock::new();
    let model = if io_failure || sources.is_empty() {
        None
    } else if let Some(too_big) = syntax::limits::check(&files) {
        diags.push(too_big);
        None
    } else {
        let asts: Vec<&syntax::ast::File> = files.iter().map(|(_, f)| f).collect();
        let (model, lower_diags, found) = model::lower_with_names(&asts);
        names = found;
        diags.extend(lower_diags.into_sorted());
        diags.extend(model::limits::horizon(&model, &files));
        if !diags.has_errors() {
            let (found, computed) = check::run_sharing(&model, &names, &sources);
            diags.extend(found);
            if let Some(computed) = computed {
                let _ = analysis.set(computed);
            }
        }
        Some(model)
    };
    let file_levels = model.as_ref().map_or(&[][..], |m| &m.lint_levels[..]);
    let diagnostics = check::apply_levels(diags.into_sorted(), file_levels, &options.levels);
    Compiled {
        sources,
        model,
        diagnostics,
        names,
        io_failure,
        analysis,
    }
}
