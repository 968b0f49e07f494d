//! `calibrate --apply`: the measured changes ([`super::scenario::changes`]) written into the
//! regulation itself. Each value is found by the spans the parser keeps (in whichever file of
//! the regulation writes it, an included one too) and only its digits are replaced, in the
//! file's own style (`48%` or `0.48`, `тыс`, a decimal comma); a value the file does not write
//! is added after the first one-line statement of its block, or, where there is none, listed for
//! the author to write by hand. A file that was in the formatter's canonical layout is formatted
//! again (comments, blank lines, line endings and a BOM stay as the formatter keeps them). The
//! result is compiled again from memory: when it has errors, or a value did not land as meant,
//! nothing is proposed.
//!
//! Nothing here writes a file: the caller shows [`Plan::files`] and writes them.

use super::scenario::{Change, NewValue, Target, number_text};
use crate::diag::{Diagnostic, Msg};
use crate::model::{Currency, Distribution, Model};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{self, Arg, DistKind, Stmt};
use crate::syntax::{Grammar, Rule};
use pest::Parser as _;
use std::path::{Path, PathBuf};

/// One file of the regulation, before and after.
#[derive(Debug, Clone)]
pub struct FileText {
    pub path: PathBuf,
    pub old: String,
    pub new: String,
}

/// A change written into a file.
#[derive(Debug, Clone)]
pub struct Applied {
    pub target: Target,
    pub path: PathBuf,
    /// One-based line in the old text.
    pub line: usize,
    /// The text replaced (empty when the value was added) and the new one.
    pub old: String,
    pub new: String,
}

/// A change the author writes: where and what.
#[derive(Debug, Clone)]
pub struct ByHand {
    pub target: Target,
    /// The statement to add (`конверсия 51%`).
    pub text: String,
    /// The block it goes in and its line.
    pub path: PathBuf,
    pub line: usize,
    pub why: Msg,
}

/// What `--apply` would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The files that change, the root first.
    pub files: Vec<FileText>,
    pub applied: Vec<Applied>,
    pub by_hand: Vec<ByHand>,
    /// Changes whose value the file already writes.
    pub unchanged: usize,
    /// Files edited but left in their own layout (they were not formatted before).
    pub unformatted: Vec<PathBuf>,
}

/// Why nothing can be applied.
#[derive(Debug)]
pub enum Refusal {
    /// The regulation does not compile as it is.
    Broken,
    /// A file to edit does not read back as loaded (changed meanwhile, or old Mac line ends).
    Changed(PathBuf),
    /// The changed files would not compile clean: their diagnostics.
    NotClean {
        sources: SourceMap,
        diagnostics: Vec<Diagnostic>,
    },
    /// The formatter refused the edited file (a bug): the file is left as it is.
    Unstable(PathBuf),
    /// A value did not read back as written (a bug): which.
    Mismatch(Target),
}

/// An edit of one file: a byte range and its new text.
struct Edit {
    file: FileId,
    range: std::ops::Range<usize>,
    text: String,
}

/// Plans the changes for the regulation at `root` (already compiled into `model`), checked
/// with the lint levels of `options`.
pub fn plan(
    root: &Path,
    model: &Model,
    changes: &[Change],
    options: &crate::Options,
) -> Result<Plan, Refusal> {
    let before = crate::compile_with(root, options);
    if before.has_errors() {
        return Err(Refusal::Broken);
    }
    let loaded = crate::load::load(root);
    let sources = &loaded.sources;
    let mut plan = Plan::default();
    let mut edits: Vec<Edit> = Vec::new();
    for change in changes {
        match locate(&loaded.files, sources, model, change) {
            Found::Edits(list, stmt) => {
                let differs = list
                    .iter()
                    .any(|(range, file, text)| &sources.get(*file).text[range.clone()] != text);
                if !differs {
                    plan.unchanged += 1;
                    continue;
                }
                if let Some((range, file, text)) = list.first() {
                    let f = sources.get(*file);
                    let (old, new) = match stmt {
                        Some(span) => {
                            let mut new = f.slice(span).to_owned();
                            for (r, _, t) in list.iter().rev() {
                                let at = r.start - span.start as usize..r.end - span.start as usize;
                                new.replace_range(at, t);
                            }
                            (f.slice(span).to_owned(), new)
                        }
                        None => (String::new(), text.trim_start_matches("; ").to_owned()),
                    };
                    plan.applied.push(Applied {
                        target: change.target.clone(),
                        path: f.path.clone(),
                        line: f.line_col(stmt.map_or(range.start, |s| s.start as usize)).0,
                        old,
                        new,
                    });
                }
                for (range, file, text) in list {
                    edits.push(Edit { file, range, text });
                }
            }
            Found::ByHand(text, span, why) => {
                let f = sources.get(span.file);
                plan.by_hand.push(ByHand {
                    target: change.target.clone(),
                    text,
                    path: f.path.clone(),
                    line: f.line_col(span.start as usize).0,
                    why,
                });
            }
            Found::Nowhere => {}
        }
    }
    // Per file, the edits from the end, so earlier offsets stay.
    let mut ids: Vec<FileId> = edits.iter().map(|e| e.file).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let f = sources.get(id);
        let raw = crate::load::read_text(&f.path).map_err(|_| Refusal::Changed(f.path.clone()))?;
        if raw != f.text {
            return Err(Refusal::Changed(f.path.clone()));
        }
        let mut mine: Vec<&Edit> = edits.iter().filter(|e| e.file == id).collect();
        mine.sort_by_key(|e| e.range.start);
        let mut text = f.text.clone();
        for e in mine.iter().rev() {
            text.replace_range(e.range.clone(), &e.text);
        }
        let canonical = crate::fmt::format_text(&f.path, &f.text).is_ok_and(|t| t == f.text);
        let new = if canonical {
            crate::fmt::format_text(&f.path, &text).map_err(|_| Refusal::Unstable(f.path.clone()))?
        } else {
            plan.unformatted.push(f.path.clone());
            text
        };
        plan.files.push(FileText {
            path: f.path.clone(),
            old: f.text.clone(),
            new,
        });
    }
    plan.applied
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    if plan.files.is_empty() {
        return Ok(plan);
    }
    // Compile the result from memory and check every value landed.
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let texts: Vec<(PathBuf, String)> = plan
        .files
        .iter()
        .map(|f| (canonical(&f.path), f.new.clone()))
        .collect();
    let overlay = |p: &Path| {
        let p = canonical(p);
        texts.iter().find(|(q, _)| *q == p).map(|(_, t)| t.clone())
    };
    let after = crate::compile_overlay(root, &overlay, options);
    if after.has_errors() {
        return Err(Refusal::NotClean {
            sources: after.sources,
            diagnostics: after
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect(),
        });
    }
    let Some(new_model) = after.model else {
        return Err(Refusal::Broken);
    };
    for a in &plan.applied {
        if let Some(change) = changes.iter().find(|c| c.target == a.target)
            && !lands(&new_model, change)
        {
            return Err(Refusal::Mismatch(a.target.clone()));
        }
    }
    Ok(plan)
}

/// Whether the compiled model holds the change's value.
fn lands(model: &Model, change: &Change) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    match (&change.target, &change.value) {
        (Target::Conversion { pipeline, stage }, NewValue::Share { value, .. }) => model
            .pipelines
            .iter()
            .find(|p| &p.name == pipeline)
            .and_then(|p| p.stages.iter().find(|s| &s.name == stage))
            .and_then(|s| s.conversion)
            .is_some_and(|c| close(c, *value)),
        (Target::Leads { channel }, NewValue::PerMonth(x)) => model
            .channels
            .iter()
            .find(|c| &c.name == channel)
            .is_some_and(|c| close(c.leads_per_month, *x)),
        (Target::DealSize { pipeline }, NewValue::Money(d)) => model
            .pipelines
            .iter()
            .find(|p| &p.name == pipeline)
            .and_then(|p| p.deal_size.as_ref())
            .is_some_and(|have| {
                let (a, b) = (figures(have), figures(d));
                a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| close(*x, *y))
            }),
        _ => false,
    }
}

fn figures(d: &Distribution) -> Vec<f64> {
    match d {
        Distribution::Fixed { value } => vec![*value],
        Distribution::Uniform { min, max } => vec![*min, *max],
        Distribution::Triangular { min, mode, max } => vec![*min, *mode, *max],
        Distribution::LogNormal { mean, sd } => vec![*mean, *sd],
        Distribution::Empirical { values } => values.clone(),
    }
}

/// Where a change goes.
enum Found {
    /// Replace these ranges of this file (a distribution has several figures); the statement
    /// they are in (for the summary), none for an addition.
    Edits(Vec<(std::ops::Range<usize>, FileId, String)>, Option<Span>),
    /// Not written and not addable: the statement and the block's span.
    ByHand(String, Span, Msg),
    /// The item is not in the files (cannot happen for a compiled model).
    Nowhere,
}

/// The item `key` named `name` in any file.
fn item<'a>(files: &'a [(FileId, ast::File)], key: Rule, name: &str) -> Option<&'a Stmt> {
    files
        .iter()
        .flat_map(|(_, f)| &f.items)
        .find(|s| s.key == key && s.name().is_some_and(|n| n.text == name))
}

/// The byte range of the number at the start of a quantity.
fn number_range(sources: &SourceMap, q: &ast::Quantity) -> std::ops::Range<usize> {
    let text = sources.get(q.span.file).slice(q.span);
    let len = Grammar::parse(Rule::number, text)
        .ok()
        .and_then(|mut p| p.next())
        .map_or(text.len(), |p| p.as_str().len());
    let start = q.span.start as usize;
    start..start + len
}

/// Whether the text of a statement's keyword is Russian.
fn russian(s: &Stmt) -> bool {
    s.keyword.chars().any(|c| ('\u{400}'..='\u{4FF}').contains(&c))
}

/// After the first one-line statement without a block inside `block`: `; text`.
fn insert_after_first(sources: &SourceMap, block: &Stmt, text: String, why_none: Msg) -> Found {
    let first = block
        .children
        .iter()
        .find(|c| c.children.is_empty() && !sources.get(c.span.file).slice(c.span).contains('\n'));
    match first {
        Some(c) => {
            let at = c.span.end as usize;
            Found::Edits(vec![(at..at, c.span.file, format!("; {text}"))], None)
        }
        None => Found::ByHand(text, block.head, why_none),
    }
}

fn no_place() -> Msg {
    Msg::new(
        "в положении не записано, а в блоке нет однострочной инструкции, после которой его можно добавить",
        "not written in the regulation, and the block has no one-line statement to add it after",
    )
}

fn currency_sign(c: Currency) -> &'static str {
    match c {
        Currency::Rub => "₽",
        Currency::Usd => "$",
        Currency::Eur => "€",
    }
}

fn locate(files: &[(FileId, ast::File)], sources: &SourceMap, model: &Model, change: &Change) -> Found {
    match (&change.target, &change.value) {
        (Target::Conversion { pipeline, stage }, NewValue::Share { value, decimals }) => {
            let Some(st) = item(files, Rule::pipeline, pipeline).and_then(|p| {
                p.children
                    .iter()
                    .find(|s| s.key == Rule::stage && s.name().is_some_and(|n| &n.text == stage))
            }) else {
                return Found::Nowhere;
            };
            let written = st.children.iter().find(|c| c.key == Rule::s_conversion);
            match written.and_then(|c| c.args.first()) {
                Some(Arg::Quantity(q)) => {
                    let text = if q.unit.is_some() {
                        number_text(value * 100.0, *decimals, q.decimal_comma)
                    } else {
                        number_text(*value, decimals + 2, q.decimal_comma)
                    };
                    Found::Edits(
                        vec![(number_range(sources, q), q.span.file, text)],
                        written.map(|w| w.span),
                    )
                }
                _ => {
                    let kw = if russian(st) {
                        "конверсия"
                    } else {
                        "conversion"
                    };
                    let text = format!("{kw} {}", super::scenario::percent_text(*value, *decimals));
                    insert_after_first(sources, st, text, no_place())
                }
            }
        }
        (Target::Leads { channel }, NewValue::PerMonth(x)) => {
            let Some(ch) = item(files, Rule::channel, channel) else {
                return Found::Nowhere;
            };
            let per_month = if russian(ch) { "в мес" } else { "per month" };
            let written = ch.children.iter().find(|c| c.key == Rule::c_leads);
            match written.and_then(|c| c.args.first()) {
                Some(Arg::Rate(r)) if r.per == ast::Unit::Months => {
                    let q = &r.amount;
                    let text = number_text(x / q.multiplier, 3, q.decimal_comma);
                    Found::Edits(
                        vec![(number_range(sources, q), q.span.file, text)],
                        written.map(|w| w.span),
                    )
                }
                Some(Arg::Rate(r)) => Found::Edits(
                    vec![(
                        r.span.range(),
                        r.span.file,
                        format!("{} {per_month}", number_text(*x, 0, false)),
                    )],
                    written.map(|w| w.span),
                ),
                _ => {
                    let kw = if russian(ch) { "лиды" } else { "leads" };
                    let text = format!("{kw} {} {per_month}", number_text(*x, 0, false));
                    insert_after_first(sources, ch, text, no_place())
                }
            }
        }
        (Target::DealSize { pipeline }, NewValue::Money(d)) => {
            let Some(p) = item(files, Rule::pipeline, pipeline) else {
                return Found::Nowhere;
            };
            let written = p.children.iter().find(|c| c.key == Rule::p_deal_size);
            match written.and_then(|c| c.args.first()) {
                Some(Arg::Dist(dist)) => {
                    let qs: Vec<&ast::Quantity> = match &dist.kind {
                        DistKind::Fixed(a) => vec![a],
                        DistKind::Uniform(a, b) => vec![a, b],
                        DistKind::Triangular(a, b, c) => vec![a, b, c],
                        DistKind::LogNormal(a, b) => vec![a, b],
                        DistKind::Empirical(v) => v.iter().collect(),
                    };
                    let xs = figures(d);
                    if qs.len() != xs.len() {
                        let f = sources.get(dist.span.file);
                        return Found::ByHand(
                            format!(
                                "{} {}",
                                written.map_or("чек", |w| w.keyword.as_str()),
                                dist_text(d)
                            ),
                            dist.span,
                            Msg::new(
                                format!("в положении записано иначе: {}", f.slice(dist.span)),
                                format!("the regulation writes it otherwise: {}", f.slice(dist.span)),
                            ),
                        );
                    }
                    // `300..600 тыс ₽`: the last multiplier applies to the first bound too.
                    let last_multiplier = qs.last().map_or(1.0, |q| q.multiplier);
                    let uniform = matches!(dist.kind, DistKind::Uniform(..));
                    let list = qs
                        .iter()
                        .zip(xs)
                        .map(|(q, x)| {
                            let own = if uniform && q.multiplier == 1.0 {
                                last_multiplier
                            } else {
                                q.multiplier
                            };
                            let text = number_text(x / (own * dist.multiplier), 3, q.decimal_comma);
                            (number_range(sources, q), q.span.file, text)
                        })
                        .collect();
                    Found::Edits(list, written.map(|w| w.span))
                }
                _ => {
                    let kw = if russian(p) { "чек" } else { "deal_size" };
                    let text = format!("{kw} {} {}", dist_text(d), currency_sign(model.header.currency));
                    insert_after_first(sources, p, text, no_place())
                }
            }
        }
        _ => Found::Nowhere,
    }
}

/// A money distribution as the language writes it, without the currency.
fn dist_text(d: &Distribution) -> String {
    let n = |x: f64| number_text(x, 2, false);
    let list = |xs: &[f64]| xs.iter().map(|x| n(*x)).collect::<Vec<_>>().join(", ");
    match d {
        Distribution::Fixed { value } => n(*value),
        Distribution::Uniform { min, max } => format!("{}..{}", n(*min), n(*max)),
        Distribution::Triangular { min, mode, max } => format!("треуг({})", list(&[*min, *mode, *max])),
        Distribution::LogNormal { mean, sd } => format!("логнорм({})", list(&[*mean, *sd])),
        Distribution::Empirical { values } => format!("эмпир({})", list(values)),
    }
}
