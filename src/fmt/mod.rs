//! `voronka fmt`: one canonical layout for a `.sales` file.
//!
//! The formatter works on the concrete syntax — the leaves of the pest tree and the whitespace,
//! `;` and comments between them ([`tokens`]) — never on the model, so nothing the author wrote
//! is lost: every comment stays, every paragraph break stays (runs of blank lines become one).
//! The printer ([`layout`]) decides indentation and spacing from the tree; which statements
//! share a line is the author's choice. Before returning, the result is parsed again and must
//! have the same tree and the same comments as the input, so a bug here can never change what a
//! file means. Depends on `syntax`, `source` and `diag` only.

mod layout;
mod tokens;
mod units;

use crate::diag::Diagnostic;
use crate::source::{FileId, SourceMap};
use crate::syntax::Rule;
use std::path::Path;

/// What the formatter may change besides layout.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// One spelling per unit (`дней` → `дн`, `руб` → `₽`) and numbers grouped by thousands
    /// (`150000` → `150 000`).
    pub normalize_units: bool,
}

#[derive(Debug)]
pub enum FormatError {
    /// The text does not parse; nothing was formatted. Spans point into `sources`, which holds
    /// this one file.
    Syntax {
        sources: SourceMap,
        diagnostics: Vec<Diagnostic>,
    },
    /// The formatted text would not read as the original did (a bug in the formatter); the
    /// original must be kept.
    Unstable,
}

/// Formats `text`, read from `path`, with the default options. Includes are not followed: each
/// file is formatted on its own.
pub fn format_text(path: &Path, text: &str) -> Result<String, FormatError> {
    format_text_with(path, text, &Options::default())
}

/// [`format_text`] with options.
pub fn format_text_with(path: &Path, text: &str, options: &Options) -> Result<String, FormatError> {
    let (_, diagnostics) = crate::syntax::parse(FileId(0), text);
    if !diagnostics.is_empty() {
        let mut sources = SourceMap::new();
        sources.add(path, text.to_string());
        return Err(FormatError::Syntax { sources, diagnostics });
    }
    let before = tokens::tokens(text).ok_or(FormatError::Unstable)?;
    let style = layout::Style {
        normalize_units: options.normalize_units,
        eol: if text.split('\n').next().is_some_and(|l| l.ends_with('\r')) && text.contains('\n') {
            "\r\n"
        } else {
            "\n"
        },
        bom: text.starts_with('\u{FEFF}'),
    };
    let out = layout::print(text, &before.toks, &style).ok_or(FormatError::Unstable)?;
    let after = tokens::tokens(&out).ok_or(FormatError::Unstable)?;
    let same_tree = before.shape.len() == after.shape.len()
        && before
            .shape
            .iter()
            .zip(&after.shape)
            .all(|(a, b)| same_node(*a, *b, options));
    if !same_tree || comments(text, &before.toks)? != comments(&out, &after.toks)? {
        return Err(FormatError::Unstable);
    }
    Ok(out)
}

/// Two nodes of the tree read the same: the same rule and the same text, up to what the
/// options allow to change.
fn same_node(a: (Rule, Option<&str>), b: (Rule, Option<&str>), options: &Options) -> bool {
    if a.0 != b.0 {
        return false;
    }
    match (a.1, b.1) {
        (Some(x), Some(y)) if options.normalize_units => {
            let name = format!("{:?}", a.0);
            if a.0 == Rule::number {
                units::ungrouped(x) == units::ungrouped(y)
            } else {
                name.starts_with("unit_") || name.starts_with("mult_") || x == y
            }
        }
        (x, y) => x == y,
    }
}

/// Every comment of a file, in order.
fn comments<'a>(text: &'a str, toks: &[tokens::Tok]) -> Result<Vec<&'a str>, FormatError> {
    let mut out = Vec::new();
    let mut at = 0;
    for i in 0..=toks.len() {
        let end = toks.get(i).map_or(text.len(), |t| t.start);
        let gap = tokens::trivia(&text[at..end]).ok_or(FormatError::Unstable)?;
        out.extend(gap.into_iter().filter_map(|t| match t {
            tokens::Trivia::Comment(c) => Some(c),
            tokens::Trivia::Newline => None,
        }));
        at = toks.get(i).map_or(at, |t| t.end);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
