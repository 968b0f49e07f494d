//! pest pairs → [`ast`](super::ast). One function per kind of value; statements are converted
//! generically, keyed by their rule, since the grammar already fixed their shape.

use super::Rule;
use super::ast::*;
use crate::source::{FileId, Span};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::OnceLock;

struct Ctx {
    file: FileId,
    offset: usize,
}

impl Ctx {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.offset + s.start(), self.offset + s.end())
    }
}

/// What a rule is, for the generic statement walker.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Keyword,
    Punct,
    Value,
    Statement,
}

fn class(rule: Rule) -> Class {
    static TABLE: OnceLock<Vec<Class>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = vec![Class::Statement; Rule::all_rules().len() + 1];
        for &r in Rule::all_rules() {
            table[r as usize] = {
                let name = format!("{r:?}");
                if name.starts_with("kw_") {
                    Class::Keyword
                } else if name.starts_with("unit_") || name.starts_with("mult_") {
                    Class::Value
                } else {
                    match r {
                        Rule::lbrace
                        | Rule::rbrace
                        | Rule::lparen
                        | Rule::rparen
                        | Rule::comma
                        | Rule::semi
                        | Rule::arrow
                        | Rule::range_dots
                        | Rule::per
                        | Rule::EOI => Class::Punct,
                        Rule::ident
                        | Rule::name
                        | Rule::title
                        | Rule::string
                        | Rule::date
                        | Rule::path
                        | Rule::code
                        | Rule::quantity
                        | Rule::rate
                        | Rule::distribution
                        | Rule::bound
                        | Rule::target
                        | Rule::expr
                        | Rule::cmp_op
                        | Rule::period
                        | Rule::period_word
                        | Rule::role_function
                        | Rule::direction
                        | Rule::bonus_base
                        | Rule::colour_name
                        | Rule::plan_metric
                        | Rule::contact_kind
                        | Rule::call_direction
                        | Rule::role_ref
                        | Rule::norm_subject
                        | Rule::counter_call
                        | Rule::clock
                        | Rule::clock_range
                        | Rule::moment
                        | Rule::moment_day
                        | Rule::weekdays
                        | Rule::card_entity
                        | Rule::field_kind
                        | Rule::day_of_year => Class::Value,
                        _ => Class::Statement,
                    }
                }
            };
        }
        table
    });
    table.get(rule as usize).copied().unwrap_or(Class::Statement)
}

/// Keywords that carry meaning inside a statement, kept as [`Arg::Word`].
fn is_marker(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_by_month
            | Rule::kw_payment
            | Rule::kw_with
            | Rule::kw_allow
            | Rule::kw_warn
            | Rule::kw_deny
            | Rule::kw_established
            | Rule::kw_new
            | Rule::kw_required
            | Rule::kw_many
            | Rule::kw_up_to
            | Rule::kw_round_robin
            | Rule::kw_least_loaded
            | Rule::kw_manual
    )
}

pub(super) fn stmt(pair: Pair<Rule>, file: FileId, offset: usize) -> Stmt {
    let cx = Ctx { file, offset };
    statement(&cx, pair)
}

fn statement(cx: &Ctx, pair: Pair<Rule>) -> Stmt {
    let key = pair.as_rule();
    let span = cx.span(&pair);
    let mut head = None;
    let mut keyword = String::new();
    let mut args = Vec::new();
    let mut children = Vec::new();
    for p in pair.into_inner() {
        let rule = p.as_rule();
        match class(rule) {
            Class::Keyword => {
                if head.is_none() {
                    head = Some(cx.span(&p));
                    keyword = p.as_str().to_string();
                }
                if is_marker(rule) {
                    args.push(Arg::Word(rule, cx.span(&p)));
                }
            }
            Class::Punct => {}
            Class::Value => {
                if head.is_none() && key == Rule::contact {
                    head = Some(cx.span(&p));
                }
                args.push(value(cx, p));
            }
            Class::Statement => children.push(statement(cx, p)),
        }
    }
    Stmt {
        key,
        span,
        head: head.unwrap_or(Span {
            end: span.start,
            ..span
        }),
        keyword,
        args,
        children,
    }
}

fn value(cx: &Ctx, pair: Pair<Rule>) -> Arg {
    let span = cx.span(&pair);
    match pair.as_rule() {
        Rule::ident => Arg::Ident(ident(cx, pair)),
        Rule::name => Arg::Ident(ident(cx, first(pair))),
        Rule::title | Rule::string => Arg::Str(text(cx, pair)),
        Rule::date => Arg::Date(Text {
            value: pair.as_str().to_string(),
            span,
        }),
        Rule::code => Arg::Code(Text {
            value: pair.as_str().to_string(),
            span,
        }),
        Rule::path => Arg::Path(path(cx, pair)),
        Rule::quantity => Arg::Quantity(quantity(cx, pair)),
        Rule::rate => Arg::Rate(rate(cx, pair)),
        Rule::distribution => Arg::Dist(distribution(cx, pair)),
        Rule::bound => Arg::Bound(bound(cx, pair)),
        Rule::target => Arg::Target(target(cx, pair)),
        Rule::expr => Arg::Expr(expr(cx, pair)),
        Rule::cmp_op => Arg::Cmp(cmp(pair.as_str()), span),
        Rule::counter_call => Arg::Expr(counter_call(cx, pair)),
        Rule::norm_subject | Rule::role_ref => {
            let inner = first(pair);
            match inner.as_rule() {
                Rule::ident => Arg::Ident(ident(cx, inner)),
                Rule::counter_call => Arg::Expr(counter_call(cx, inner)),
                r => Arg::Word(r, cx.span(&inner)),
            }
        }
        Rule::period_word
        | Rule::role_function
        | Rule::direction
        | Rule::bonus_base
        | Rule::colour_name
        | Rule::plan_metric
        | Rule::call_direction
        | Rule::contact_kind
        | Rule::card_entity
        | Rule::field_kind => {
            let inner = first(pair);
            if inner.as_rule() == Rule::period {
                let unit = first(inner);
                Arg::Word(unit.as_rule(), span)
            } else {
                Arg::Word(inner.as_rule(), span)
            }
        }
        Rule::period => Arg::Word(first(pair).as_rule(), span),
        Rule::clock => Arg::Clock(clock(cx, pair)),
        Rule::clock_range => {
            let mut it = pair.into_inner().filter(|p| p.as_rule() == Rule::clock);
            match (it.next(), it.next()) {
                (Some(a), Some(b)) => Arg::ClockRange(clock(cx, a), clock(cx, b)),
                _ => Arg::Word(Rule::clock_range, span),
            }
        }
        Rule::moment | Rule::moment_day => Arg::Moment(moment(cx, pair)),
        Rule::day_of_year => Arg::DayOfYear(day_of_year(cx, pair)),
        Rule::weekdays => {
            let days: Vec<u8> = pair
                .into_inner()
                .filter(|p| p.as_rule() == Rule::weekday)
                .map(weekday)
                .collect();
            let first = days.first().copied().unwrap_or(0);
            Arg::Weekdays(first, days.last().copied().unwrap_or(first), span)
        }
        r => Arg::Word(r, span),
    }
}

fn first(pair: Pair<Rule>) -> Pair<Rule> {
    let span = pair.as_span();
    pair.into_inner()
        .next()
        .unwrap_or_else(|| panic!("grammar guarantees an inner pair at {span:?}"))
}

fn ident(cx: &Ctx, pair: Pair<Rule>) -> Ident {
    Ident {
        text: pair.as_str().to_string(),
        span: cx.span(&pair),
    }
}

fn path(cx: &Ctx, pair: Pair<Rule>) -> PathRef {
    let span = cx.span(&pair);
    let mut parts = pair.into_inner().map(|p| ident(cx, p));
    let first = parts.next().unwrap_or(Ident {
        text: String::new(),
        span,
    });
    PathRef {
        first,
        second: parts.next(),
        span,
    }
}

fn text(cx: &Ctx, pair: Pair<Rule>) -> Text {
    let span = cx.span(&pair);
    let raw = pair.as_str();
    let value = if let Some(body) = raw.strip_prefix("\"\"\"").and_then(|r| r.strip_suffix("\"\"\"")) {
        dedent(body)
    } else {
        unescape(raw.get(1..raw.len().saturating_sub(1)).unwrap_or(""))
    };
    Text { value, span }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else if c == '\r' {
            // CRLF inside a string reads as LF.
        } else {
            out.push(c);
        }
    }
    out
}

/// Triple-quoted text: drop the first and last line breaks and the common indentation.
fn dedent(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let body = body.strip_prefix('\n').unwrap_or(&body);
    let body = body.trim_end_matches([' ', '\t']);
    let body = body.strip_suffix('\n').unwrap_or(body);
    let indent = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    body.lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn unit_of(rule: Rule) -> Option<Unit> {
    Some(match rule {
        Rule::unit_percent => Unit::Percent,
        Rule::unit_minutes => Unit::Minutes,
        Rule::unit_hours => Unit::Hours,
        Rule::unit_days => Unit::Days,
        Rule::unit_weeks => Unit::Weeks,
        Rule::unit_months => Unit::Months,
        Rule::unit_quarters => Unit::Quarters,
        Rule::unit_years => Unit::Years,
        Rule::unit_rub => Unit::Rub,
        Rule::unit_usd => Unit::Usd,
        Rule::unit_eur => Unit::Eur,
        Rule::unit_pieces => Unit::Pieces,
        _ => return None,
    })
}

fn multiplier_of(rule: Rule) -> Option<f64> {
    match rule {
        Rule::mult_thousand => Some(1e3),
        Rule::mult_million => Some(1e6),
        _ => None,
    }
}

/// A quantity as shown in messages and kept in the model (deadlines, formulas): the number as
/// written, then the multiplier and unit after one space (`%` without one), so that spacing
/// inside a quantity never changes the model.
fn quantity_text(pair: &Pair<Rule>) -> String {
    let mut out = String::new();
    for p in pair.clone().into_inner() {
        if !out.is_empty() && p.as_rule() != Rule::unit_percent {
            out.push(' ');
        }
        out.push_str(p.as_str().trim());
    }
    out
}

/// A quantity parsed on its own (by [`super::quantity`]), spans from the text's start.
pub(super) fn lone_quantity(pair: Pair<Rule>) -> Quantity {
    quantity(
        &Ctx {
            file: FileId::default(),
            offset: 0,
        },
        pair,
    )
}

fn quantity(cx: &Ctx, pair: Pair<Rule>) -> Quantity {
    let span = cx.span(&pair);
    let mut q = Quantity {
        value: f64::NAN,
        unit: None,
        text: quantity_text(&pair),
        span,
        decimal_comma: false,
        multiplier: 1.0,
    };
    for p in pair.into_inner() {
        let rule = p.as_rule();
        if rule == Rule::number {
            let digits: String = p
                .as_str()
                .chars()
                .filter(|c| !matches!(c, ' ' | '_' | '\u{A0}' | '\u{202F}'))
                .map(|c| if c == ',' { '.' } else { c })
                .collect();
            q.decimal_comma = p.as_str().contains(',');
            q.value = digits.parse().unwrap_or(f64::NAN);
        } else if let Some(m) = multiplier_of(rule) {
            q.value *= m;
            q.multiplier = m;
        } else if let Some(u) = unit_of(rule) {
            q.unit = Some(u);
        }
    }
    q
}

fn rate(cx: &Ctx, pair: Pair<Rule>) -> Rate {
    let span = cx.span(&pair);
    let mut amount = None;
    let mut per = Unit::Months;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::quantity => amount = Some(quantity(cx, p)),
            Rule::period => {
                if let Some(u) = unit_of(first(p).as_rule()) {
                    per = u;
                }
            }
            _ => {}
        }
    }
    Rate {
        amount: amount.unwrap_or_else(|| panic!("grammar guarantees a quantity in a rate")),
        per,
        span,
    }
}

fn distribution(cx: &Ctx, pair: Pair<Rule>) -> Dist {
    let span = cx.span(&pair);
    let inner = first(pair);
    let rule = inner.as_rule();
    let mut qs = Vec::new();
    let mut unit = None;
    let mut multiplier = 1.0;
    for p in inner.into_inner() {
        match p.as_rule() {
            Rule::quantity => qs.push(quantity(cx, p)),
            Rule::dist_unit => {
                for u in p.into_inner() {
                    if let Some(m) = multiplier_of(u.as_rule()) {
                        multiplier = m;
                    } else {
                        unit = unit_of(u.as_rule());
                    }
                }
            }
            _ => {}
        }
    }
    let mut it = qs.into_iter();
    let mut next = || {
        it.next()
            .unwrap_or_else(|| panic!("grammar guarantees the quantities"))
    };
    let kind = match rule {
        Rule::dist_fixed => DistKind::Fixed(next()),
        Rule::dist_range => DistKind::Uniform(next(), next()),
        Rule::dist_tri => DistKind::Triangular(next(), next(), next()),
        Rule::dist_lognormal => DistKind::LogNormal(next(), next()),
        _ => {
            let mut all = vec![next()];
            all.extend(it);
            DistKind::Empirical(all)
        }
    };
    Dist {
        kind,
        unit,
        multiplier,
        span,
    }
}

fn clock(cx: &Ctx, pair: Pair<Rule>) -> Clock {
    let text = pair.as_str().to_string();
    let (h, m) = text.split_once(':').unwrap_or((&text, "0"));
    Clock {
        hours: h.parse().unwrap_or(u32::MAX),
        minutes: m.parse().unwrap_or(u32::MAX),
        span: cx.span(&pair),
        text,
    }
}

/// Monday = 0 … Sunday = 6.
fn weekday(pair: Pair<Rule>) -> u8 {
    match first(pair).as_rule() {
        Rule::kw_mon => 0,
        Rule::kw_tue => 1,
        Rule::kw_wed => 2,
        Rule::kw_thu => 3,
        Rule::kw_fri => 4,
        Rule::kw_sat => 5,
        _ => 6,
    }
}

/// `moment` or `moment_day`: a day (weekday or of the month) and/or a time of day.
fn moment(cx: &Ctx, pair: Pair<Rule>) -> Moment {
    let span = cx.span(&pair);
    let mut m = Moment {
        day: None,
        clock: None,
        span,
    };
    fn walk(cx: &Ctx, pair: Pair<Rule>, m: &mut Moment) {
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::moment_day => walk(cx, p, m),
                Rule::weekday => {
                    let s = cx.span(&p);
                    m.day = Some(Day::Weekday(weekday(p), s));
                }
                Rule::month_day => {
                    let mut number = None;
                    let mut working = false;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::number => number = Some(lone_number(cx, q)),
                            Rule::kw_work_day => working = true,
                            _ => {}
                        }
                    }
                    if let Some(number) = number {
                        m.day = Some(Day::OfMonth { number, working });
                    }
                }
                Rule::clock => m.clock = Some(clock(cx, p)),
                _ => {}
            }
        }
    }
    walk(cx, pair, &mut m);
    m
}

/// `15.12` or `15 декабря`: the day and the month as written (checked when lowering).
fn day_of_year(cx: &Ctx, pair: Pair<Rule>) -> DayOfYear {
    let span = cx.span(&pair);
    let text = pair.as_str().to_string();
    let inner = first(pair);
    let (day, month) = if inner.as_rule() == Rule::day_month {
        let t = inner.as_str();
        let (d, m) = t.split_once('.').unwrap_or((t, "0"));
        (d.parse().unwrap_or(0), m.parse().unwrap_or(0))
    } else {
        let day = inner.as_str().trim().parse().unwrap_or(0);
        let month = text
            .split_whitespace()
            .last()
            .and_then(crate::syntax::keywords::month_number)
            .unwrap_or(0);
        (day, month)
    };
    DayOfYear {
        day,
        month,
        text,
        span,
    }
}

/// A bare `number` pair as a quantity without a unit.
fn lone_number(cx: &Ctx, pair: Pair<Rule>) -> Quantity {
    let text = pair.as_str().to_string();
    let decimal_comma = text.contains(',') && !text.contains(' ');
    let clean: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{A0}' | '\u{202F}' | '_'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    Quantity {
        value: clean.parse().unwrap_or(f64::NAN),
        unit: None,
        span: cx.span(&pair),
        text,
        decimal_comma,
        multiplier: 1.0,
    }
}

fn cmp(s: &str) -> CmpOp {
    match s {
        ">=" | "≥" => CmpOp::Ge,
        "<=" | "≤" => CmpOp::Le,
        ">" => CmpOp::Gt,
        "<" => CmpOp::Lt,
        _ => CmpOp::Eq,
    }
}

fn bound(cx: &Ctx, pair: Pair<Rule>) -> Bound {
    let mut op = None;
    let mut qs = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::cmp_op => op = Some(cmp(p.as_str())),
            Rule::quantity => qs.push(quantity(cx, p)),
            _ => {}
        }
    }
    let mut it = qs.into_iter();
    let a = it
        .next()
        .unwrap_or_else(|| panic!("grammar guarantees a quantity"));
    match it.next() {
        Some(b) => Bound::Range(a, b),
        None => Bound::Cmp(op, a),
    }
}

fn target(cx: &Ctx, pair: Pair<Rule>) -> Target {
    let inner = first(pair);
    let span = cx.span(&inner);
    match inner.as_rule() {
        Rule::kw_won => Target::Won(span),
        Rule::kw_lost => Target::Lost(span),
        _ => Target::Path(path(cx, inner)),
    }
}

fn counter_call(cx: &Ctx, pair: Pair<Rule>) -> Expr {
    let span = cx.span(&pair);
    let mut name = None;
    let mut args = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ident => name = Some(ident(cx, p)),
            Rule::path => args.push(CallArg::Path(path(cx, p))),
            Rule::quantity => args.push(CallArg::Quantity(quantity(cx, p))),
            Rule::ca_channel => args.push(CallArg::Channel(ident(cx, last(p)))),
            Rule::ca_role => args.push(CallArg::Role(ident(cx, last(p)))),
            Rule::ca_reason => args.push(CallArg::Reason(ident(cx, last(p)))),
            Rule::ca_talk => {
                let span = cx.span(&p);
                let mut op = CmpOp::Eq;
                let mut q = None;
                for x in p.into_inner() {
                    match x.as_rule() {
                        Rule::cmp_op => op = cmp(x.as_str()),
                        Rule::quantity => q = Some(quantity(cx, x)),
                        _ => {}
                    }
                }
                if let Some(q) = q {
                    args.push(CallArg::Talk(op, q, span));
                }
            }
            Rule::call_direction => {
                let out = first(p.clone()).as_rule() == Rule::kw_outgoing;
                args.push(CallArg::Outgoing(out, cx.span(&p)));
            }
            _ => {}
        }
    }
    let Some(n) = name else {
        panic!("grammar guarantees a counter")
    };
    match args.as_slice() {
        [CallArg::Path(p)] => Expr::Scoped(n, p.clone()),
        _ => Expr::Call(n, args, span),
    }
}

fn change_call(cx: &Ctx, pair: Pair<Rule>) -> Expr {
    let span = cx.span(&pair);
    let mut arg = None;
    let mut base = ChangeBase::PreviousPeriod;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::expr => arg = Some(expr(cx, p)),
            Rule::change_base if first(p.clone()).as_rule() == Rule::kw_previous_year => {
                base = ChangeBase::PreviousYear;
            }
            _ => {}
        }
    }
    let Some(arg) = arg else {
        panic!("grammar guarantees a formula")
    };
    Expr::Change(Box::new(arg), base, span)
}

/// The last inner pair (the name after a keyword).
fn last(pair: Pair<Rule>) -> Pair<Rule> {
    pair.into_inner()
        .last()
        .unwrap_or_else(|| panic!("grammar guarantees a name"))
}

fn pratt() -> &'static PrattParser<Rule> {
    static P: OnceLock<PrattParser<Rule>> = OnceLock::new();
    P.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::prefix(Rule::neg))
    })
}

fn expr(cx: &Ctx, pair: Pair<Rule>) -> Expr {
    pratt()
        .map_primary(|p| match p.as_rule() {
            Rule::expr => expr(cx, p),
            Rule::counter_call => counter_call(cx, p),
            Rule::change_call => change_call(cx, p),
            Rule::quantity => Expr::Number(quantity(cx, p)),
            Rule::counter => Expr::Counter(ident(cx, first(p))),
            r => panic!("unexpected operand {r:?}"),
        })
        .map_prefix(|op, e| {
            let span = cx.span(&op).to(e.span());
            Expr::Neg(Box::new(e), span)
        })
        .map_infix(|l, op, r| {
            let span = l.span().to(r.span());
            let op = match op.as_rule() {
                Rule::op_add => BinOp::Add,
                Rule::op_sub => BinOp::Sub,
                Rule::op_mul => BinOp::Mul,
                _ => BinOp::Div,
            };
            Expr::Binary(op, Box::new(l), Box::new(r), span)
        })
        .parse(
            pair.into_inner()
                .filter(|p| !matches!(p.as_rule(), Rule::lparen | Rule::rparen)),
        )
}
