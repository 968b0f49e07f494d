//! The syntax tree. Every statement is a [`Stmt`] keyed by the grammar rule that produced it,
//! with typed arguments and nested statements, and a span on everything. The grammar decides
//! which statements may stand where; lowering gives them meaning.

use super::Rule;
use crate::source::Span;

/// A parsed file: its items, in source order.
#[derive(Debug, Clone, Default)]
pub struct File {
    pub items: Vec<Stmt>,
    /// Items that failed to parse, by their keyword and name, so later steps do not report
    /// every use of their names as undefined.
    pub broken: Vec<(String, Ident)>,
}

/// An item or a statement: `роль Хантер "…" { … }`, `конверсия 40%`, a contact in a chain.
#[derive(Debug, Clone)]
pub struct Stmt {
    /// The grammar rule: `Rule::role`, `Rule::s_conversion`, `Rule::contact`, …
    pub key: Rule,
    pub span: Span,
    /// The span of the leading keyword (or of the whole statement when it has none).
    pub head: Span,
    /// The leading keyword as written (`штат`, `headcount`), for messages.
    pub keyword: String,
    pub args: Vec<Arg>,
    pub children: Vec<Stmt>,
}

impl Stmt {
    /// The first identifier argument (an item's name).
    pub fn name(&self) -> Option<&Ident> {
        self.args.iter().find_map(|a| match a {
            Arg::Ident(i) => Some(i),
            _ => None,
        })
    }

    /// The first string argument (an item's title).
    pub fn title(&self) -> Option<&Text> {
        self.args.iter().find_map(|a| match a {
            Arg::Str(t) => Some(t),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub text: String,
    pub span: Span,
}

/// A reference that may be qualified: `Этап` or `Воронка.Этап`.
#[derive(Debug, Clone, PartialEq)]
pub struct PathRef {
    pub first: Ident,
    pub second: Option<Ident>,
    pub span: Span,
}

impl PathRef {
    pub fn display(&self) -> String {
        match &self.second {
            Some(s) => format!("{}.{}", self.first.text, s.text),
            None => self.first.text.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Percent,
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    Quarters,
    Years,
    Rub,
    Usd,
    Eur,
    Pieces,
}

/// A number as written, with its multiplier applied, and its unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: Option<Unit>,
    /// The digits as written, for messages.
    pub text: String,
    pub span: Span,
    /// The number contained a comma between digits (read as a decimal comma).
    pub decimal_comma: bool,
    /// The multiplier written after the number (`тыс` = 1000), 1 when none.
    pub multiplier: f64,
}

/// `300 в мес`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub amount: Quantity,
    pub per: Unit,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DistKind {
    Fixed(Quantity),
    Uniform(Quantity, Quantity),
    Triangular(Quantity, Quantity, Quantity),
    LogNormal(Quantity, Quantity),
    Empirical(Vec<Quantity>),
}

/// A distribution with the unit written after it (`треуг(1, 2, 5) дн`), if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    pub kind: DistKind,
    pub unit: Option<Unit>,
    /// Multiplier written after the closing parenthesis (`тыс`, `млн`).
    pub multiplier: f64,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    Cmp(Option<CmpOp>, Quantity),
    Range(Quantity, Quantity),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Won(Span),
    Lost(Span),
    Path(PathRef),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// One argument of a counter call.
#[derive(Debug, Clone, PartialEq)]
pub enum CallArg {
    /// A stage, a pipeline or `Воронка.Этап` — or, for `минуты`, a contact counter (`звонки`).
    Path(PathRef),
    /// `канал Сайт`.
    Channel(Ident),
    /// `роль Хантер`.
    Role(Ident),
    /// `причина Дорого`.
    Reason(Ident),
    /// `исходящие` (true) or `входящие` (false).
    Outgoing(bool, Span),
    /// Days in the stage (`5 дн`).
    Quantity(Quantity),
    /// Contacts by their talk time: `разговор >= 1 мин`.
    Talk(CmpOp, Quantity, Span),
}

/// What `изменение` compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeBase {
    PreviousPeriod,
    PreviousYear,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(Quantity),
    Counter(Ident),
    /// A counter restricted to a stage or pipeline: `вошло(Встреча)`.
    Scoped(Ident, PathRef),
    /// A counter with other arguments: `выиграно(канал Сайт)`, `просрочено(Оплата, 5 дн)`.
    Call(Ident, Vec<CallArg>, Span),
    /// `изменение(выручка, прошлый_год)`: the value against its base, minus one.
    Change(Box<Expr>, ChangeBase, Span),
    Neg(Box<Expr>, Span),
    Binary(BinOp, Box<Expr>, Box<Expr>, Span),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Number(q) => q.span,
            Expr::Counter(i) => i.span,
            Expr::Scoped(i, p) => i.span.to(p.span),
            Expr::Call(_, _, s) | Expr::Change(_, _, s) => *s,
            Expr::Neg(_, s) | Expr::Binary(_, _, _, s) => *s,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Ident(Ident),
    Path(PathRef),
    Str(Text),
    Date(Text),
    Quantity(Quantity),
    Rate(Rate),
    Dist(Dist),
    Bound(Bound),
    Target(Target),
    Expr(Expr),
    Cmp(CmpOp, Span),
    /// A keyword that carries meaning (`хантер`, `ежедневно`, `красный`, `звонок`, `отдел`):
    /// the keyword's rule, or for periods written as units the unit's rule.
    Word(Rule, Span),
    /// A lint code in a rules block.
    Code(Text),
    /// A time of day: `9:15`.
    Clock(Clock),
    /// Working hours: `9:00..18:00`.
    ClockRange(Clock, Clock),
    /// A moment of the calendar (`пн 12:00`, `5 число`, `18:00`) or a day alone (`пт`).
    Moment(Moment),
    /// Weekdays, first and last (Monday = 0): `пн..сб`; one day is a range of one.
    Weekdays(u8, u8, Span),
    /// A day of the year: `15.12`, `15 декабря` (checked when lowering).
    DayOfYear(DayOfYear),
}

/// `15.12` or `15 декабря`: a day and a month (1–12) as written.
#[derive(Debug, Clone, PartialEq)]
pub struct DayOfYear {
    pub day: u32,
    pub month: u32,
    pub text: String,
    pub span: Span,
}

/// A time of day as written; the values are checked when lowering.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    pub hours: u32,
    pub minutes: u32,
    pub text: String,
    pub span: Span,
}

/// A day of a moment.
#[derive(Debug, Clone, PartialEq)]
pub enum Day {
    /// Monday = 0 … Sunday = 6.
    Weekday(u8, Span),
    /// `5 число` (calendar day of the month) or `1 рабочий_день` (working day of the month).
    OfMonth { number: Quantity, working: bool },
}

/// `пн 12:00`, `5 число`, `18:00`.
#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    pub day: Option<Day>,
    pub clock: Option<Clock>,
    pub span: Span,
}
