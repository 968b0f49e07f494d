//! Text → syntax tree. The pest grammar in `grammar/` is the specification of the language;
//! this module splits a file into items ([`split`]), parses each with pest, and converts the
//! pairs into the spanned tree of [`ast`]. It knows nothing of the model.

pub mod ast;
mod convert;
mod errors;
pub mod keywords;
pub mod limits;
pub mod split;

use crate::diag::{Diagnostic, Kind};
use crate::source::{FileId, Span};
use pest::Parser as _;
use pest_derive::Parser;
use std::sync::Once;

#[derive(Parser)]
#[grammar = "../grammar/voronka.pest"]
#[grammar = "../grammar/lexical.pest"]
pub struct Grammar;

/// The most pest calls one item may take. The grammar is free of exponential backtracking, so
/// legitimate items use a few hundred calls per byte; this bounds a pathological one.
pub const CALL_LIMIT: usize = 200_000_000;

/// The most operators (`+ - * /` and unary minus) one formula may hold. With brackets nested at
/// most [`split::MAX_DEPTH`] deep this bounds the depth of the expression tree, so converting,
/// lowering, computing and dropping it cannot overflow the stack.
pub const MAX_FORMULA_OPS: usize = 256;

static LIMIT: Once = Once::new();

/// Parses one file's text. Returns the items that parsed and a diagnostic for each item that
/// did not; every item is tried, whatever happened to the ones before it.
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    LIMIT.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT)));
    let split = split::split(text);
    let mut items = Vec::new();
    let mut diags = forbidden_chars(file, text);
    let mut broken = Vec::new();
    for chunk in &split.chunks {
        if let Some(&at) = split
            .too_deep
            .iter()
            .find(|&&at| (chunk.start..chunk.end).contains(&at))
        {
            diags.push(Diagnostic::new(
                Kind::TooDeep {
                    limit: split::MAX_DEPTH,
                },
                Span::new(file, at, at + 1),
            ));
            continue;
        }
        let slice = &text[chunk.start..chunk.end];
        match Grammar::parse(Rule::item_only, slice) {
            Ok(pairs) => {
                if let Some(at) = formula_too_long(&pairs) {
                    diags.push(Diagnostic::new(
                        Kind::FormulaTooLong {
                            limit: MAX_FORMULA_OPS,
                        },
                        Span::new(file, chunk.start + at, chunk.start + at + 1),
                    ));
                    broken.extend(salvage_name(slice, file, chunk.start));
                    continue;
                }
                for pair in pairs {
                    if pair.as_rule() != Rule::EOI {
                        items.push(convert::stmt(pair, file, chunk.start));
                    }
                }
            }
            Err(e) => {
                diags.push(errors::to_diagnostic(e, file, chunk.start, chunk.end, text));
                broken.extend(salvage_names(slice, file, chunk.start));
            }
        }
    }
    (ast::File { items, broken }, diags)
}

/// A quantity written alone (`6 млн`, `450 000 ₽`, `1,5 млн руб`, `40%`), read exactly as the
/// language reads it in a file; `None` when the text is not one quantity. For answers typed
/// outside a file (`voronka init`).
pub fn quantity(text: &str) -> Option<ast::Quantity> {
    LIMIT.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT)));
    let text = text.trim();
    let pair = Grammar::parse(Rule::quantity, text).ok()?.next()?;
    (pair.as_span().end() == text.len()).then(|| convert::lone_quantity(pair))
}

/// The most E0054 reported for one file (the rest would repeat them).
const MAX_FORBIDDEN_REPORTED: usize = 20;

/// Whether a character may not stand anywhere in a file: a control character other than tab and
/// the line ends, or the noncharacters U+FFFE and U+FFFF (XML 1.0 has no way to write them,
/// so Word refuses such a DOCX), or a bidi override or isolate, which makes the text read in
/// another order than it is parsed.
pub fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FFFE}' | '\u{FFFF}')
}

/// E0054 for every forbidden character (the first [`MAX_FORBIDDEN_REPORTED`]).
fn forbidden_chars(file: FileId, text: &str) -> Vec<Diagnostic> {
    // Only a few first bytes can start a forbidden character (ASCII controls, U+0080–U+009F
    // after 0xC2, the bidi controls after 0xE2, U+FFFE/U+FFFF after 0xEF): the rest of the text
    // is not decoded.
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xE2 || b == 0xEF)
        .filter_map(|(i, _)| Some((i, text.get(i..)?.chars().next()?)))
        .filter(|&(_, c)| forbidden(c))
        .take(MAX_FORBIDDEN_REPORTED)
        .map(|(i, c)| {
            Diagnostic::new(
                Kind::ForbiddenChar {
                    code: format!("U+{:04X}", u32::from(c)),
                },
                Span::new(file, i, i + c.len_utf8()),
            )
        })
        .collect()
}

/// The offset (in the item) of the first operator past [`MAX_FORMULA_OPS`] in any formula.
fn formula_too_long(pairs: &pest::iterators::Pairs<Rule>) -> Option<usize> {
    let mut formula_end = 0;
    let mut ops = 0;
    for p in pairs.clone().flatten() {
        let span = p.as_span();
        match p.as_rule() {
            Rule::k_formula => {
                formula_end = span.end();
                ops = 0;
            }
            Rule::neg | Rule::op_add | Rule::op_sub | Rule::op_mul | Rule::op_div
                if span.start() < formula_end =>
            {
                ops += 1;
                if ops > MAX_FORMULA_OPS {
                    return Some(span.start());
                }
            }
            _ => {}
        }
    }
    None
}

/// The names of an item that did not parse and of the items a forgotten `}` pulled into it:
/// every line that starts (at column zero) with an item keyword and a name. Declared as broken,
/// they are not reported again as undefined further down.
fn salvage_names(slice: &str, file: FileId, offset: usize) -> Vec<(String, ast::Ident)> {
    let mut out: Vec<(String, ast::Ident)> = Vec::new();
    let starts = std::iter::once(0).chain(slice.match_indices('\n').map(|(i, _)| i + 1));
    for start in starts {
        if let Some(found) = salvage_name(&slice[start..], file, offset + start) {
            out.push(found);
        }
    }
    out
}

/// The keyword and name at the start of an item that did not parse: `роль Хантер {` →
/// (`роль`, `Хантер`).
fn salvage_name(slice: &str, file: FileId, offset: usize) -> Option<(String, ast::Ident)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let keyword: String = slice.chars().take_while(|&c| is_word(c)).collect();
    if !split::ITEM_KEYWORDS.contains(&keyword.as_str()) {
        return None;
    }
    let rest = &slice[keyword.len()..];
    let start = keyword.len() + (rest.len() - rest.trim_start().len());
    let name: String = slice[start..].chars().take_while(|&c| is_word(c)).collect();
    if name.is_empty() || !name.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let span = Span::new(file, offset + start, offset + start + name.len());
    Some((keyword, ast::Ident { text: name, span }))
}
