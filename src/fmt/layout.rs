//! The printer: tokens and trivia → lines. The tree decides indentation and spacing; the author
//! decides which statements share a line and where paragraphs break. See the rules in
//! `docs/language.md` («Оформление и `voronka fmt`»).

use super::tokens::{Boundary, Tok, Trivia, trivia};
use super::units;
use crate::syntax::Rule;
use std::collections::HashSet;
use std::sync::OnceLock;

const INDENT: usize = 2;
/// Extra indentation of a line that continues a statement.
const CONTINUATION: usize = 4;
/// Spaces between code and a trailing comment (the least; a run of them is aligned).
const COMMENT_GAP: usize = 2;

#[derive(Debug)]
struct Line {
    indent: usize,
    code: String,
    comment: Option<String>,
    blank_before: bool,
    /// A line that holds only a comment.
    own_comment: bool,
}

impl Line {
    fn new(indent: usize, blank_before: bool) -> Line {
        Line {
            indent,
            code: String::new(),
            comment: None,
            blank_before,
            own_comment: false,
        }
    }

    /// Width of the line's last row in characters (a multi-line string ends it elsewhere).
    fn end_width(&self) -> usize {
        match self.code.rfind('\n') {
            Some(i) => self.code[i + 1..].chars().count(),
            None => self.indent + self.code.chars().count(),
        }
    }
}

/// How the printer writes a token and what it may change.
pub(super) struct Style {
    pub normalize_units: bool,
    pub eol: &'static str,
    pub bom: bool,
}

/// The token as it is printed.
fn spelling<'a>(tok: &Tok<'a>, style: &Style) -> std::borrow::Cow<'a, str> {
    if style.normalize_units && !tok.verbatim {
        if tok.rule == Rule::number {
            return units::number(tok.text).into();
        }
        if let Some(u) = units::unit(tok.rule, tok.text, tok.parent == Rule::period) {
            return u.into();
        }
    }
    tok.text.into()
}

/// Whether a block's braces hold a line break or a comment in the source: such a block is
/// printed over several lines, any other on one.
fn multiline_blocks(text: &str, toks: &[Tok]) -> Vec<bool> {
    let mut multi = vec![false; toks.len()];
    for (i, tok) in toks.iter().enumerate() {
        if tok.rule != Rule::lbrace {
            continue;
        }
        let Some(close) = tok.partner else { continue };
        let breaks = toks[i..=close]
            .windows(2)
            .any(|w| text[w[0].end..w[1].start].contains(['\n', '#']));
        multi[i] = breaks;
        multi[close] = breaks;
    }
    multi
}

/// Words that could be read as the unit of a number before them (every spelling of a unit,
/// multiplier or `в`/`per`, read from the grammar): a `;` at the end of a line between `30` and
/// `день 60 …` keeps them apart.
pub(super) fn unit_like(word: &str) -> bool {
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            include_str!("../../grammar/lexical.pest")
                .lines()
                .filter_map(|line| line.split_once(" = "))
                .filter(|(name, _)| name.starts_with("unit_") || name.starts_with("mult_") || *name == "per")
                .flat_map(|(_, body)| body.split('"').skip(1).step_by(2).map(str::to_string))
                .collect()
        })
        .contains(word)
}

fn needs_semi(prev: &Tok, next: &Tok) -> bool {
    matches!(prev.rule, Rule::number | Rule::mult_thousand | Rule::mult_million) && unit_like(next.text)
}

/// The space between two tokens on one line, inside a statement.
fn space(prev: &Tok, prev_word: &str, next: &Tok) -> &'static str {
    match (prev.rule, next.rule) {
        (_, Rule::comma | Rule::rparen) | (Rule::lparen | Rule::neg, _) => "",
        (Rule::kw_tri | Rule::kw_lognormal | Rule::kw_empirical, Rule::lparen) => "",
        (Rule::kw_ft_choice | Rule::kw_ft_multi, Rule::lparen) => "",
        (Rule::ident, Rule::lparen) if next.parent == Rule::counter_call => "",
        (Rule::kw_change, Rule::lparen) => "",
        (_, Rule::unit_percent) if next.parent == Rule::quantity => "",
        (_, Rule::range_dots) if prev_word.ends_with('.') => " ",
        (_, Rule::range_dots) | (Rule::range_dots, _) => "",
        _ => " ",
    }
}

pub(super) fn print(text: &str, toks: &[Tok], style: &Style) -> Option<String> {
    let multi = multiline_blocks(text, toks);
    let mut lines: Vec<Line> = Vec::new();
    let mut cur: Option<Line> = None;
    let block_open = |i: usize| toks[i].rule == Rule::lbrace;
    let line_indent = |tok: &Tok| match (tok.rule, tok.boundary) {
        (Rule::rbrace, _) | (_, Boundary::Item | Boundary::Stmt) => tok.depth * INDENT,
        _ => tok.depth * INDENT + CONTINUATION,
    };
    let comment_indent = |next: Option<&Tok>| match next {
        None => 0,
        Some(t) if t.rule == Rule::rbrace => (t.depth + 1) * INDENT,
        Some(t) => line_indent(t),
    };
    // A blank line may follow any line but one that opens a block.
    let blank_allowed = |lines: &[Line], cur: &Option<Line>| {
        let last = cur.as_ref().or(lines.last());
        last.is_some_and(|l| l.own_comment || !l.code.ends_with('{'))
    };
    for i in 0..=toks.len() {
        let prev = i.checked_sub(1).map(|p| &toks[p]);
        let next = toks.get(i);
        let gap = &text[prev.map_or(0, |p| p.end)..next.map_or(text.len(), |n| n.start)];
        let mut newlines = 0;
        for piece in trivia(gap)? {
            match piece {
                Trivia::Newline => newlines += 1,
                Trivia::Comment(c) => {
                    if newlines == 0
                        && let Some(mut line) = cur.take()
                    {
                        line.comment = Some(c.to_string());
                        lines.push(line);
                    } else {
                        lines.extend(cur.take());
                        let blank = newlines >= 2 && blank_allowed(&lines, &cur);
                        let mut line = Line::new(comment_indent(next), blank);
                        line.code = c.to_string();
                        line.own_comment = true;
                        lines.push(line);
                    }
                    newlines = 0;
                }
            }
        }
        let Some(next) = next else {
            lines.extend(cur.take());
            break;
        };
        let word = spelling(next, style);
        let Some(line) = cur.as_mut() else {
            let blank = newlines >= 2 && next.rule != Rule::rbrace && blank_allowed(&lines, &cur);
            let mut line = Line::new(line_indent(next), blank);
            line.code.push_str(&word);
            cur = Some(line);
            continue;
        };
        // A line is open only after a token was placed.
        let prev = prev?;
        let opens_multi = block_open(i - 1) && multi[i - 1];
        let closes_multi = next.rule == Rule::rbrace && multi[i];
        let after_multi = prev.rule == Rule::rbrace && multi[i - 1];
        let starts = matches!(next.boundary, Boundary::Stmt | Boundary::Item);
        let joins = matches!(next.rule, Rule::lbrace | Rule::comma | Rule::rparen);
        let breaks = next.boundary == Boundary::Item
            || opens_multi
            || closes_multi
            || (after_multi && starts)
            || (newlines > 0 && !joins);
        if breaks {
            if next.semi_before
                && matches!(next.boundary, Boundary::Stmt | Boundary::Sub)
                && needs_semi(prev, next)
            {
                line.code.push(';');
            }
            lines.extend(cur.take());
            let blank = newlines >= 2 && next.rule != Rule::rbrace && blank_allowed(&lines, &cur);
            let mut line = Line::new(line_indent(next), blank);
            line.code.push_str(&word);
            cur = Some(line);
            continue;
        }
        let sep = if prev.rule == Rule::lbrace || next.rule == Rule::rbrace {
            " "
        } else {
            match next.boundary {
                Boundary::Stmt => "; ",
                Boundary::Sub if next.semi_before => "; ",
                _ => space(prev, &spelling(prev, style), next),
            }
        };
        line.code.push_str(sep);
        line.code.push_str(&word);
    }
    Some(join(lines, style))
}

/// Aligns the trailing comments of consecutive lines and joins the lines.
fn join(mut lines: Vec<Line>, style: &Style) -> String {
    let mut i = 0;
    while i < lines.len() {
        let run_end = (i..lines.len())
            .find(|&j| {
                let l = &lines[j];
                l.comment.is_none() || (j > i && l.blank_before)
            })
            .unwrap_or(lines.len());
        if run_end == i {
            i += 1;
            continue;
        }
        let column = lines[i..run_end].iter().map(Line::end_width).max().unwrap_or(0) + COMMENT_GAP;
        for line in &mut lines[i..run_end] {
            let pad = column - line.end_width();
            let comment = line.comment.take().unwrap_or_default();
            line.code = format!("{}{}{comment}", line.code, " ".repeat(pad));
        }
        i = run_end;
    }
    let mut out = String::new();
    if style.bom {
        out.push('\u{FEFF}');
    }
    for (n, line) in lines.iter().enumerate() {
        if line.blank_before && n > 0 {
            out.push_str(style.eol);
        }
        out.push_str(&" ".repeat(line.indent));
        out.push_str(&line.code);
        out.push_str(style.eol);
    }
    out
}
