//! Counters with arguments (`выиграно(канал Сайт)`, `вошло(Встреча, роль Хантер)`,
//! `проиграно(причина Дорого)`, `звонки(исходящие)`, `минуты(звонки)`, `открыто(Этап)`,
//! `просрочено(Оплата, 5 дн)`) and `изменение(…, прошлый_год)`: which argument each counter
//! takes (E0047), the names they refer to (E0046) and nesting (E0056).

use super::*;

/// What a counter argument is, for messages.
fn arg_text(a: &ast::CallArg) -> String {
    match a {
        ast::CallArg::Path(p) => p.display(),
        ast::CallArg::Channel(i) => format!("канал {}", i.text),
        ast::CallArg::Role(i) => format!("роль {}", i.text),
        ast::CallArg::Reason(i) => format!("причина {}", i.text),
        ast::CallArg::Outgoing(true, _) => "исходящие".into(),
        ast::CallArg::Outgoing(false, _) => "входящие".into(),
        ast::CallArg::Quantity(q) => q.text.clone(),
        ast::CallArg::Talk(op, q, _) => {
            let op = match op {
                ast::CmpOp::Ge => ">=",
                ast::CmpOp::Le => "<=",
                ast::CmpOp::Gt => ">",
                ast::CmpOp::Lt => "<",
                ast::CmpOp::Eq => "=",
            };
            format!("разговор {op} {}", q.text)
        }
    }
}

fn arg_span(a: &ast::CallArg) -> Span {
    match a {
        ast::CallArg::Path(p) => p.span,
        ast::CallArg::Channel(i) | ast::CallArg::Role(i) | ast::CallArg::Reason(i) => i.span,
        ast::CallArg::Outgoing(_, s) => *s,
        ast::CallArg::Quantity(q) => q.span,
        ast::CallArg::Talk(_, _, s) => *s,
    }
}

/// The contact counters (`звонки`, `встречи`, …): those `минуты` sums and a direction scopes.
pub(super) fn is_contact(c: Counter) -> bool {
    matches!(
        c,
        Counter::Calls
            | Counter::Meetings
            | Counter::Emails
            | Counter::Messages
            | Counter::Proposals
            | Counter::Contracts
            | Counter::Invoices
            | Counter::Demos
            | Counter::Tasks
    )
}

/// The counters a `канал` scopes: what a channel's leads bring.
fn takes_channel(c: Counter) -> bool {
    matches!(
        c,
        Counter::Leads
            | Counter::Won
            | Counter::Deals
            | Counter::Revenue
            | Counter::AverageDeal
            | Counter::Missed
    )
}

/// The counters a `роль` scopes: the stages it owns, the contacts it makes, its headcount.
fn takes_role(c: Counter) -> bool {
    is_contact(c)
        || matches!(
            c,
            Counter::Entered
                | Counter::Converted
                | Counter::Won
                | Counter::Lost
                | Counter::HandedOff
                | Counter::TalkMinutes
                | Counter::Open
                | Counter::Overdue
                | Counter::Headcount
                | Counter::Missed
        )
}

/// What a counter takes, for E0047's hint.
fn expected(c: Counter) -> Msg {
    match c {
        Counter::TalkMinutes => Msg::new(
            "`минуты` принимает вид контактов, направление, этап или роль: `минуты(звонки, исходящие)`",
            "`minutes` takes a kind of contact, a direction, a stage or a role: `minutes(calls, outgoing)`",
        ),
        Counter::Overdue => Msg::new(
            "`просрочено` принимает этап, число дней и роль: `просрочено(Продажа.Оплата, 5 дн)`",
            "`overdue` takes a stage, a number of days and a role: `overdue(Sale.Payment, 5 d)`",
        ),
        Counter::Open => Msg::new(
            "`открыто` принимает этап или воронку и роль: `открыто(Встреча)`",
            "`open` takes a stage or a pipeline and a role: `open(Meeting)`",
        ),
        Counter::Lost => Msg::new(
            "`проиграно` принимает этап или воронку, роль и причину: `проиграно(Встреча, причина Дорого)`",
            "`lost` takes a stage or a pipeline, a role and a reason: `lost(Meeting, reason Expensive)`",
        ),
        c if is_contact(c) => Msg::new(
            "контакты ограничиваются этапом, ролью и направлением, звонки — ещё разговором: `звонки(исходящие, роль Хантер, разговор >= 1 мин)`",
            "contacts take a stage, a role and a direction, calls also a talk time: `calls(outgoing, role Hunter, talk >= 1 min)`",
        ),
        c if takes_channel(c) && takes_role(c) => Msg::new(
            "счётчик принимает этап или воронку, канал и роль: `выиграно(канал Сайт)`",
            "the counter takes a stage or a pipeline, a channel and a role: `won(channel Site)`",
        ),
        c if takes_channel(c) => Msg::new(
            "счётчик принимает этап или воронку и канал: `лиды(канал Сайт)`",
            "the counter takes a stage or a pipeline and a channel: `leads(channel Site)`",
        ),
        c if takes_role(c) => Msg::new(
            "счётчик принимает этап или воронку и роль: `вошло(Встреча, роль Клоузер)`",
            "the counter takes a stage or a pipeline and a role: `entered(Meeting, role Closer)`",
        ),
        _ => Msg::new(
            "счётчик принимает только этап или воронку: `перешло(Встреча)`",
            "the counter takes a stage or a pipeline only: `converted(Meeting)`",
        ),
    }
}

impl Lowerer {
    /// A counter call with any arguments; `span` covers the call.
    pub(super) fn counter_call(&mut self, name: &ast::Ident, args: &[ast::CallArg]) -> Option<Formula> {
        let counter = self.counter(name)?;
        let mut scope = None;
        let mut filter = CounterFilter::default();
        let mut ok = true;
        let mut seen: Vec<u8> = Vec::new();
        for a in args {
            let kind = match a {
                ast::CallArg::Path(p) if counter == Counter::TalkMinutes && filter.contacts.is_none() => {
                    // `минуты(звонки)`: the first name may be the kind of contacts.
                    match Counter::from_name(&p.first.text).filter(|c| is_contact(*c) && p.second.is_none()) {
                        Some(c) => {
                            filter.contacts = Some(c);
                            continue;
                        }
                        None => 0,
                    }
                }
                ast::CallArg::Path(_) => 0,
                ast::CallArg::Channel(_) => 1,
                ast::CallArg::Role(_) => 2,
                ast::CallArg::Reason(_) => 3,
                ast::CallArg::Outgoing(..) => 4,
                ast::CallArg::Quantity(_) => 5,
                ast::CallArg::Talk(..) => 6,
            };
            let fits = match a {
                ast::CallArg::Path(_) => true,
                ast::CallArg::Channel(_) => takes_channel(counter),
                ast::CallArg::Role(_) => takes_role(counter),
                ast::CallArg::Reason(_) => counter == Counter::Lost,
                ast::CallArg::Outgoing(..) => is_contact(counter) || counter == Counter::TalkMinutes,
                ast::CallArg::Quantity(_) => counter == Counter::Overdue,
                ast::CallArg::Talk(..) => counter == Counter::Calls,
            };
            if !fits || seen.contains(&kind) {
                self.err(
                    Kind::CounterArgument {
                        counter: name.text.clone(),
                        arg: arg_text(a),
                        expected: expected(counter),
                        missing: false,
                    },
                    arg_span(a),
                );
                ok = false;
                continue;
            }
            seen.push(kind);
            match a {
                ast::CallArg::Path(p) => match self.scope(p, None) {
                    Some(s) => scope = Some(s),
                    None => ok = false,
                },
                ast::CallArg::Channel(i) => filter.channel = self.scope_name(NameSpace::Channel, i, &mut ok),
                ast::CallArg::Role(i) => filter.role = self.scope_name(NameSpace::Role, i, &mut ok),
                ast::CallArg::Reason(i) => filter.reason = self.scope_name(NameSpace::Reason, i, &mut ok),
                ast::CallArg::Outgoing(out, _) => {
                    filter.direction = Some(if *out {
                        CallDirection::Outgoing
                    } else {
                        CallDirection::Incoming
                    })
                }
                ast::CallArg::Quantity(q) => match self.days(q, None) {
                    Some(d) => filter.days = Some(d),
                    None => ok = false,
                },
                ast::CallArg::Talk(op, q, _) => match self.minutes(q) {
                    Some(minutes) => {
                        filter.talk = Some(crate::model::telcal::TalkFilter {
                            op: cmp_of(*op),
                            minutes,
                        })
                    }
                    None => ok = false,
                },
            }
        }
        // What the counter cannot do without.
        let missing = match counter {
            Counter::TalkMinutes => filter.contacts.is_none(),
            Counter::Open => scope.is_none(),
            Counter::Overdue => scope.is_none() || filter.days.is_none(),
            _ => false,
        };
        if ok && missing {
            self.err(
                Kind::CounterArgument {
                    counter: name.text.clone(),
                    arg: args.iter().map(arg_text).collect::<Vec<_>>().join(", "),
                    expected: expected(counter),
                    missing: true,
                },
                args.first().map_or(name.span, |a| name.span.to(arg_span(a))),
            );
            ok = false;
        }
        ok.then_some(Formula::Counter {
            counter,
            scope,
            filter,
        })
    }

    /// A channel, role or reason named in a counter's arguments (E0046 when undefined).
    fn scope_name(&mut self, ns: NameSpace, i: &ast::Ident, ok: &mut bool) -> Option<String> {
        if self.names.contains_key(&(ns, i.text.clone())) {
            self.index.uses.push((symbol(ns, &i.text), i.span));
            return Some(i.text.clone());
        }
        let cands = self.candidates(ns);
        let suggestion = suggest(&i.text, cands.iter().map(String::as_str));
        let entity = match ns {
            NameSpace::Channel => Msg::new("канала", "channel"),
            NameSpace::Role => Msg::new("роли", "role"),
            _ => Msg::new("причины", "reason"),
        };
        self.err(
            Kind::UnknownCounterScope {
                entity,
                name: i.text.clone(),
                suggestion,
            },
            i.span,
        );
        *ok = false;
        None
    }

    /// `изменение(формула, прошлый_период | прошлый_год)`.
    pub(super) fn change(&mut self, arg: &ast::Expr, base: ast::ChangeBase, span: Span) -> Option<Formula> {
        if contains_change(arg) {
            self.err(Kind::NestedChange, span);
            return None;
        }
        Some(Formula::Change {
            arg: Box::new(self.formula(arg)?),
            base: match base {
                ast::ChangeBase::PreviousPeriod => ChangeBase::PreviousPeriod,
                ast::ChangeBase::PreviousYear => ChangeBase::PreviousYear,
            },
        })
    }
}

fn contains_change(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::Change(..) => true,
        ast::Expr::Neg(a, _) => contains_change(a),
        ast::Expr::Binary(_, a, b, _) => contains_change(a) || contains_change(b),
        _ => false,
    }
}

/// A counter call written back (`выиграно(канал Сайт)`).
pub(super) fn call_text(name: &ast::Ident, args: &[ast::CallArg]) -> String {
    let args: Vec<String> = args
        .iter()
        .map(|a| match a {
            ast::CallArg::Channel(i) => format!("канал {}", i.text),
            ast::CallArg::Role(i) => format!("роль {}", i.text),
            ast::CallArg::Reason(i) => format!("причина {}", i.text),
            other => arg_text(other),
        })
        .collect();
    format!("{}({})", name.text, args.join(", "))
}
