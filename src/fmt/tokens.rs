//! The concrete syntax the formatter works on: the leaves of the pest parse tree (keywords,
//! names, strings, numbers, units, punctuation) in source order, each marked with what the tree
//! says about it (brace depth, whether it starts an item, a statement or a sub-statement), and
//! the trivia between them (whitespace, `;`, comments) read back from the text.

use crate::syntax::split::split;
use crate::syntax::{Grammar, Rule};
use pest::Parser as _;
use pest::iterators::Pair;

/// What a token starts, as the tree says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Boundary {
    /// Nothing: a token inside a statement.
    None,
    /// A top-level item (`роль`, `воронка`, …).
    Item,
    /// A statement of a block (`штат 4`, a stage, a contact of a chain).
    Stmt,
    /// A part of a statement that may be separated by `;`: `попыток 3` of a contact,
    /// `вес 10` of a criterion, `кто` of an accounting entry, `доля_плана` of a step.
    Sub,
}

#[derive(Debug, Clone)]
pub(super) struct Tok<'a> {
    pub rule: Rule,
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    /// Braces open at this token (for `}`, the depth after it closes).
    pub depth: usize,
    pub boundary: Boundary,
    /// A `;` stood between the previous token and this one.
    pub semi_before: bool,
    /// The rule of the pair holding this token.
    pub parent: Rule,
    /// For `{` and `}`: the index of the matching brace.
    pub partner: Option<usize>,
    /// Inside a construct whose text the model keeps as written (a deadline, a control's
    /// sample, a formula): `--normalize-units` leaves it alone.
    pub verbatim: bool,
}

/// The tokens of a file that parses, plus its pre-order shape (every pair's rule and every
/// leaf's text, `;` left out): two files with the same shape have the same syntax tree.
#[derive(Debug)]
pub(super) struct Tokens<'a> {
    pub toks: Vec<Tok<'a>>,
    pub shape: Vec<(Rule, Option<&'a str>)>,
}

/// One piece of trivia between two tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trivia<'a> {
    Newline,
    /// A comment, trailing whitespace removed.
    Comment(&'a str),
}

/// Leaves of the tree. `string`, `path` and `card_field_ref` are compound-atomic: their inner
/// pairs do not cover the quotes and the dot, so they are taken whole.
fn is_leaf(pair: &Pair<Rule>) -> bool {
    matches!(pair.as_rule(), Rule::string | Rule::path | Rule::card_field_ref)
        || pair.clone().into_inner().next().is_none()
}

/// Parts of a statement that the grammar lets stand after `;` (`semi* ~ attr`).
fn is_sub(parent: Rule, child: Rule) -> bool {
    matches!(
        (parent, child),
        (
            Rule::contact,
            Rule::k_after
                | Rule::k_attempts
                | Rule::k_reach
                | Rule::k_talk
                | Rule::k_otherwise
                | Rule::k_owner
                | Rule::k_deadline
                | Rule::k_retries
                | Rule::k_each_start
        ) | (
            Rule::int_give | Rule::int_receive,
            Rule::int_within | Rule::int_ahead | Rule::int_period
        ) | (
            Rule::acc_entry,
            Rule::acc_who | Rule::acc_where | Rule::acc_deadline
        ) | (
            Rule::cl_criterion,
            Rule::cl_weight | Rule::cl_critical | Rule::a_description
        ) | (Rule::ob_step, Rule::ob_plan_share)
    )
}

struct Walker<'a> {
    text: &'a str,
    offset: usize,
    toks: Vec<Tok<'a>>,
    shape: Vec<(Rule, Option<&'a str>)>,
    depth: usize,
    open: Vec<usize>,
    pending: Boundary,
    semi: bool,
    verbatim: usize,
}

impl<'a> Walker<'a> {
    fn visit(&mut self, pair: Pair<'_, Rule>, parent: Rule) {
        let rule = pair.as_rule();
        if rule == Rule::EOI {
            return;
        }
        if rule == Rule::semi {
            self.semi = true;
            return;
        }
        if is_leaf(&pair) {
            let span = pair.as_span();
            let start = self.offset + span.start();
            // `neg` and `op_sub` are `"-" ~ !">"`: pest lets whitespace (and comments) in
            // before the look-ahead, so their pair runs past the minus.
            let end = if matches!(rule, Rule::neg | Rule::op_sub) {
                start + 1
            } else {
                self.offset + span.end()
            };
            let text = &self.text[start..end];
            self.shape.push((rule, Some(text)));
            if rule == Rule::rbrace {
                self.depth = self.depth.saturating_sub(1);
            }
            let index = self.toks.len();
            let mut partner = None;
            if rule == Rule::rbrace
                && let Some(open) = self.open.pop()
            {
                partner = Some(open);
                self.toks[open].partner = Some(index);
            }
            self.toks.push(Tok {
                rule,
                text,
                start,
                end,
                depth: self.depth,
                boundary: std::mem::replace(&mut self.pending, Boundary::None),
                semi_before: std::mem::take(&mut self.semi),
                parent,
                partner,
                verbatim: self.verbatim > 0,
            });
            if rule == Rule::lbrace {
                self.open.push(index);
                self.depth += 1;
            }
            return;
        }
        self.shape.push((rule, None));
        let verbatim = matches!(
            rule,
            Rule::acc_deadline
                | Rule::rep_deadline
                | Rule::int_deadline
                | Rule::ctl_sample
                | Rule::expr
                // Terms the model keeps as written (for the documents' wording).
                | Rule::k_deadline
                | Rule::k_retries
                | Rule::int_within
                | Rule::int_ahead
        );
        self.verbatim += usize::from(verbatim);
        let mut inside = false;
        for child in pair.into_inner() {
            let child_rule = child.as_rule();
            match child_rule {
                Rule::lbrace => inside = true,
                Rule::rbrace => inside = false,
                _ => {}
            }
            let starts = if inside && !matches!(child_rule, Rule::lbrace | Rule::semi) {
                Boundary::Stmt
            } else if is_sub(rule, child_rule) {
                Boundary::Sub
            } else {
                Boundary::None
            };
            if starts != Boundary::None && self.pending == Boundary::None {
                self.pending = starts;
            }
            self.visit(child, rule);
        }
        self.verbatim -= usize::from(verbatim);
    }
}

/// The tokens of `text`, or `None` when an item does not parse (the caller has already
/// reported why through [`crate::syntax::parse`]).
pub(super) fn tokens(text: &str) -> Option<Tokens<'_>> {
    let mut walker = Walker {
        text,
        offset: 0,
        toks: Vec::new(),
        shape: Vec::new(),
        depth: 0,
        open: Vec::new(),
        pending: Boundary::None,
        semi: false,
        verbatim: 0,
    };
    for chunk in split(text).chunks {
        walker.offset = chunk.start;
        let pairs = Grammar::parse(Rule::item_only, &text[chunk.start..chunk.end]).ok()?;
        for pair in pairs {
            walker.pending = Boundary::Item;
            walker.visit(pair, Rule::item_only);
        }
    }
    Some(Tokens {
        toks: walker.toks,
        shape: walker.shape,
    })
}

/// Reads the trivia in `gap` (text between two tokens): line breaks and comments; spaces, `;`
/// and the other whitespace of the grammar are dropped. `None` when the gap holds anything
/// else, which would mean the tokens do not tile the text.
pub(super) fn trivia(gap: &str) -> Option<Vec<Trivia<'_>>> {
    let mut out = Vec::new();
    let mut rest = gap;
    while let Some(c) = rest.chars().next() {
        match c {
            '\n' => out.push(Trivia::Newline),
            ' ' | '\t' | '\r' | ';' | '\u{A0}' | '\u{202F}' | '\u{FEFF}' => {}
            '#' => {
                let end = rest.find('\n').unwrap_or(rest.len());
                out.push(Trivia::Comment(rest[..end].trim_end()));
                rest = &rest[end..];
                continue;
            }
            _ => return None,
        }
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_trivia_tile_the_text() {
        let src = "# шапка\nроль А \"Б\" { штат 4; подчиняется В # хвост\n}\n";
        let t = tokens(src).expect("parses");
        let mut at = 0;
        for tok in &t.toks {
            assert!(trivia(&src[at..tok.start]).is_some(), "gap before {:?}", tok.text);
            at = tok.end;
        }
        assert!(trivia(&src[at..]).is_some());
        let texts: Vec<&str> = t.toks.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            ["роль", "А", "\"Б\"", "{", "штат", "4", "подчиняется", "В", "}"]
        );
    }

    #[test]
    fn boundaries_follow_the_tree() {
        let src = "воронка В { этап А { цепочка { звонок \"x\" 5 мин; попыток 2; иначе -> проиграно } } }";
        let t = tokens(src).expect("parses");
        let of = |text: &str| t.toks.iter().find(|t| t.text == text).expect(text).boundary;
        assert_eq!(of("воронка"), Boundary::Item);
        assert_eq!(of("этап"), Boundary::Stmt);
        assert_eq!(of("цепочка"), Boundary::Stmt);
        assert_eq!(of("звонок"), Boundary::Stmt);
        assert_eq!(of("попыток"), Boundary::Sub);
        assert_eq!(of("иначе"), Boundary::Sub);
        assert_eq!(of("мин"), Boundary::None);
        let attempts = t.toks.iter().find(|t| t.text == "попыток").unwrap();
        assert!(attempts.semi_before);
    }

    #[test]
    fn trivia_keeps_comments_and_line_breaks() {
        assert_eq!(
            trivia(" ; # раз  \r\n\n  # два").unwrap(),
            [
                Trivia::Comment("# раз"),
                Trivia::Newline,
                Trivia::Newline,
                Trivia::Comment("# два")
            ]
        );
        assert!(trivia(" x ").is_none());
    }
}
