//! Validation: the rules a regulation must satisfy beyond parsing and name resolution.
//!
//! - [`structure`]: the process graph must be sound (errors E0030–E0040, E0043, E0044): every
//!   stage reachable, every stage able to end, no loop a deal cannot leave, every stage owned by
//!   a role with staff (W0025 when the staff only comes with hires), every channel and pipeline
//!   connected, every counter a KPI reads produced, a plan with a horizon.
//! - [`org`], [`funnel`], [`kpis`], [`sections`]: the management rules of the seeds as lints
//!   (warnings W0003–W0021, W0024, W0028–W0036; [`counters`]: W0035–W0036) whose level the file (`правила { … }`) and the
//!   command line (`-A`, `-W`, `-D`) can change ([`levels`]). They judge the model's structure
//!   (who owns which stage, which contacts a chain holds, which KPI names whom), never words in
//!   titles and strings.
//! - [`confusable`]: names easily taken for one another (W0026, Unicode TR39 skeletons and
//!   mixed alphabets) or too long for a file name (W0027).
//!
//! The rules run only on a model without earlier errors: a misspelt stage would otherwise
//! show up again as an unreachable one. Every rule reads the model and the graph, never the
//! syntax tree.

mod calendar;
mod confusable;
mod counters;
mod field_cond;
mod funnel;
mod inactivity;
mod kpis;
pub mod levels;
mod org;
mod quality;
mod release;
mod routing;
mod sections;
mod segments;
mod structure;
mod telcal;
mod terms;

use crate::diag::{Diagnostic, Kind, Msg};
use crate::graph::ProcessGraph;
use crate::model::{Model, Names};
use crate::source::{SourceMap, Span};

pub use levels::{LevelSetting, apply as apply_levels};

/// Runs every rule on a model that lowered without errors; `names` are its definitions.
pub fn run(model: &Model, names: &Names, sources: &SourceMap) -> Vec<Diagnostic> {
    run_sharing(model, names, sources).0
}

/// [`run`], also returning the analysis the rules read, when they got that far (no error from
/// the structure or the organisation), so that it is not computed again
/// ([`crate::Compiled::analysis`]).
pub fn run_sharing(
    model: &Model,
    names: &Names,
    sources: &SourceMap,
) -> (Vec<Diagnostic>, Option<crate::analyze::Analysis>) {
    let graph = crate::graph::build(model);
    let mut cx = Checker {
        model,
        graph: &graph,
        sources,
        out: Vec::new(),
    };
    structure::check(&mut cx);
    org::check(&mut cx);
    // The one analysis of the rules: every lint that reads figures gets this one.
    let analysis = (!cx.out.iter().any(Diagnostic::is_error)).then(|| crate::analyze::analyze(model));
    if let Some(analysis) = &analysis {
        org::load(&mut cx, analysis);
        inactivity::check(&mut cx, analysis);
        release::groups(&mut cx, analysis);
    }
    release::outcomes(&mut cx);
    funnel::check(&mut cx);
    kpis::check(&mut cx);
    counters::check(&mut cx);
    quality::check(&mut cx);
    sections::check(&mut cx);
    calendar::check(&mut cx);
    terms::check(&mut cx);
    segments::check(&mut cx);
    telcal::check(&mut cx);
    field_cond::check(&mut cx);
    routing::check(&mut cx);
    confusable::check(&mut cx, names);
    (cx.out, analysis)
}

/// What every rule reads, and where it reports.
pub(crate) struct Checker<'a> {
    pub model: &'a Model,
    pub graph: &'a ProcessGraph,
    pub sources: &'a SourceMap,
    pub out: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Reports at the first line of an item, where its name is: a whole block would be
    /// printed as a wall of source.
    pub fn report(&mut self, kind: Kind, span: Span) {
        let span = self.head(span);
        self.out.push(Diagnostic::new(kind, span));
    }

    pub fn report_with(&mut self, kind: Kind, span: Span, labels: Vec<(Span, Msg)>) {
        let mut d = Diagnostic::new(kind, self.head(span));
        for (s, text) in labels {
            d = d.with_label(self.head(s), text);
        }
        self.out.push(d);
    }

    /// The span cut to its first line, without trailing blanks.
    pub fn head(&self, span: Span) -> Span {
        if (span.file.0 as usize) >= self.sources.len() || span.end <= span.start {
            return span;
        }
        let text = self.sources.get(span.file).slice(span);
        let line = text.split('\n').next().unwrap_or("").trim_end();
        let start = span.start as usize;
        Span::new(span.file, start, start + line.len())
    }
}
