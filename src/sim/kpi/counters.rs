//! The counters with arguments (`канал`, `роль`, `причина`, `исходящие`, `минуты(…)`), the
//! stocks `открыто` / `просрочено` and `изменение(…)`, compiled to record columns over the
//! horizon or over one month.
//!
//! - **Channel.** The engine moves leads in day cohorts without their channel, so a channel's
//!   wins, deals and revenue are the whole's, attributed by its share of the expected wins:
//!   its leads × the probability that a lead entering at its stage is won (`StageValue::p_won`).
//!   The channels' parts add up to the whole exactly; each is exact when the channels share the
//!   process. `лиды(канал …)` is counted.
//! - **Role.** `вошло`, `перешло`, `проиграно`, `выиграно`, `передано`, `открыто`,
//!   `просрочено` of the stages the role owns; contacts and `минуты` of the contacts it makes;
//!   `штат` of the role.
//! - **Reason.** `проиграно(причина X)`: the deals that left by an exit written with
//!   `причина X` (deals gone cold have no reason).
//! - **Contacts.** `звонки(исходящие)` counts the contacts written `исходящий`; `минуты(звонки)`
//!   the talk minutes (`разговор`) of the calls that reach the client.
//! - **Stocks.** `открыто` / `просрочено` are the deals at each month's end; over the horizon,
//!   their mean over the months.
//! - **Months.** A KPI that reads a stock or `изменение` is evaluated month by month (flows of
//!   the month, per person of the month's headcount); its value is the mean over the months
//!   that have one, and its months are listed. `изменение(X, прошлый_период)` is X of a month
//!   ÷ X of the period before − 1 (a quarter for a quarterly KPI), `прошлый_год` against the
//!   same month 12 months before; months without a base have none («—»).

use super::super::engine::{Layout, MonthField, PipelineField, StageField, slot};
use super::super::params::Dest;
use super::{Cx, Expr};
use crate::model::{ChangeBase, Counter, CounterFilter, Formula, Period, Scope};

/// Over the horizon or one month.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Window {
    Total,
    Month(usize),
}

/// Whether the formula is evaluated month by month.
pub(super) fn monthly(f: &Formula) -> bool {
    match f {
        Formula::Number { .. } | Formula::Score { .. } => false,
        Formula::Counter { counter, .. } => matches!(counter, Counter::Open | Counter::Overdue),
        Formula::Change { .. } => true,
        Formula::Neg { arg } => monthly(arg),
        Formula::Add { left, right }
        | Formula::Sub { left, right }
        | Formula::Mul { left, right }
        | Formula::Div { left, right } => monthly(left) || monthly(right),
    }
}

/// A formula month by month.
pub(super) enum MExpr {
    Num(f64),
    /// One compiled expression per month.
    Leaf(Vec<Expr>),
    Neg(Box<MExpr>),
    Bin(char, Box<MExpr>, Box<MExpr>),
    /// The value ÷ the value `lag` months before − 1; none without a base.
    Change(Box<MExpr>, usize),
}

impl MExpr {
    pub(super) fn eval(&self, row: &[f32], m: usize, scales: &[f64]) -> f64 {
        match self {
            MExpr::Num(x) => *x,
            MExpr::Leaf(v) => v[m].eval(row, scales[m]),
            MExpr::Neg(a) => -a.eval(row, m, scales),
            MExpr::Bin(op, a, b) => {
                let (a, b) = (a.eval(row, m, scales), b.eval(row, m, scales));
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    _ if b == 0.0 => f64::NAN,
                    _ => a / b,
                }
            }
            MExpr::Change(a, lag) => {
                let Some(before) = m.checked_sub(*lag) else {
                    return f64::NAN;
                };
                let (now, base) = (a.eval(row, m, scales), a.eval(row, before, scales));
                if base == 0.0 { f64::NAN } else { now / base - 1.0 }
            }
        }
    }
}

/// Months in a KPI period, for `прошлый_период` (a day or a week compare month with month).
fn period_months(period: Option<Period>) -> usize {
    match period {
        Some(Period::Quarter) => 3,
        Some(Period::Year) => 12,
        _ => 1,
    }
}

impl Cx<'_> {
    /// Compiles a formula for every month.
    pub(super) fn compile_months(&self, f: &Formula, period: Option<Period>) -> Result<MExpr, String> {
        let months = self.l.months;
        let bin = |op: char, a: &Formula, b: &Formula| -> Result<MExpr, String> {
            Ok(MExpr::Bin(
                op,
                Box::new(self.compile_months(a, period)?),
                Box::new(self.compile_months(b, period)?),
            ))
        };
        Ok(match f {
            Formula::Number { value } => MExpr::Num(*value),
            // A score comes from people scoring contacts, not from the process: never invented.
            Formula::Score { .. } => return Err(super::CHECKLIST_SCORE.to_string()),
            Formula::Neg { arg } => MExpr::Neg(Box::new(self.compile_months(arg, period)?)),
            Formula::Add { left, right } => bin('+', left, right)?,
            Formula::Sub { left, right } => bin('-', left, right)?,
            Formula::Mul { left, right } => bin('*', left, right)?,
            Formula::Div { left, right } => bin('/', left, right)?,
            Formula::Change { arg, base } => MExpr::Change(
                Box::new(self.compile_months(arg, period)?),
                match base {
                    ChangeBase::PreviousPeriod => period_months(period),
                    ChangeBase::PreviousYear => 12,
                },
            ),
            Formula::Counter {
                counter,
                scope,
                filter,
            } => MExpr::Leaf(
                (0..months)
                    .map(|m| self.filtered(*counter, scope.as_ref(), filter, Window::Month(m)))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }

    /// Stages of the scope (all without one) that the filter's role owns, if it names one.
    fn stages_for(&self, scope: Option<&Scope>, filter: &CounterFilter) -> Result<Vec<usize>, String> {
        let all: Vec<usize> = match scope {
            None => (0..self.p.stages.len()).collect(),
            Some(s) => self.p.scope_stages(s),
        };
        let role = match &filter.role {
            None => return Ok(all),
            Some(r) => self.role(r)?,
        };
        Ok(all
            .into_iter()
            .filter(|&s| self.p.stages[s].owner == Some(role))
            .collect())
    }

    fn role(&self, name: &str) -> Result<usize, String> {
        self.p
            .roles
            .iter()
            .position(|r| r.name == name)
            .ok_or_else(|| "role".to_owned())
    }

    /// Rows (stage outcomes) of `stages` whose outcome passes `keep`, over the window.
    fn rows(
        &self,
        stages: &[usize],
        w: Window,
        keep: impl Fn(usize, usize) -> bool,
    ) -> Result<Vec<(usize, f64)>, String> {
        if self.l.metrics.rows == 0 {
            return Err("metrics".to_owned());
        }
        let mut terms = Vec::new();
        for &s in stages {
            for o in 0..self.p.stages[s].outcomes.len() {
                if keep(s, o) {
                    let row = self.engine.row(s, o);
                    self.each_month(w, |m| terms.push((self.l.month_row(m, row), 1.0)));
                }
            }
        }
        Ok(terms)
    }

    fn each_month(&self, w: Window, mut f: impl FnMut(usize)) {
        match w {
            Window::Total => (0..self.l.months).for_each(&mut f),
            Window::Month(m) => f(m),
        }
    }

    /// A per-month stage column over the window: summed (a flow) or averaged over the months
    /// (a stock over the horizon).
    fn stage_terms(&self, stages: &[usize], w: Window, field: StageField) -> Vec<(usize, f64)> {
        let weight = match (w, field) {
            (Window::Total, StageField::Open) => 1.0 / self.l.months.max(1) as f64,
            _ => 1.0,
        };
        let mut terms = Vec::new();
        for &s in stages {
            self.each_month(w, |m| terms.push((self.l.month_stage(m, s, field), weight)));
        }
        terms
    }

    /// The channel's share of the expected wins, over the window.
    fn channel_share(&self, channel: &str, w: Window) -> Result<Expr, String> {
        let l: &Layout = self.l;
        let c0 = self
            .p
            .channels
            .iter()
            .position(|c| c.name == channel)
            .ok_or_else(|| "channel".to_owned())?;
        let p_won = |c: usize| {
            self.p.channels[c]
                .entry
                .map_or(0.0, |s| self.p.stages[s].value.p_won)
        };
        let any = (0..l.channels).any(|c| p_won(c) > 0.0);
        let weight = |c: usize| if any { p_won(c) } else { 1.0 };
        let terms = |only: Option<usize>| {
            let mut t = Vec::new();
            for c in (0..l.channels).filter(|&c| only.is_none_or(|o| o == c)) {
                match w {
                    Window::Total => t.push((l.channel(c), weight(c))),
                    Window::Month(m) => t.push((l.month_channel(m, c), weight(c))),
                }
            }
            t
        };
        Ok(Expr::Bin(
            '/',
            Box::new(Expr::Sum {
                terms: terms(Some(c0)),
                flow: false,
            }),
            Box::new(Expr::Sum {
                terms: terms(None),
                flow: false,
            }),
        ))
    }

    /// Expected contacts (or talk minutes) per lead whose work started, per stage.
    fn contact_terms(
        &self,
        c: Counter,
        stages: &[usize],
        filter: &CounterFilter,
        w: Window,
    ) -> Result<Expr, String> {
        let (kind, talk) = match c {
            Counter::TalkMinutes => (filter.contacts.ok_or_else(|| "minutes".to_owned())?, true),
            other => (other, false),
        };
        let kind = Self::contact(kind).ok_or_else(|| "minutes".to_owned())?;
        let roles: Vec<usize> = match &filter.role {
            Some(r) => vec![self.role(r)?],
            None => self.roles.clone(),
        };
        let mut terms = Vec::new();
        for &s in stages {
            let st = &self.p.stages[s];
            let n: f64 = st
                .contacts
                .iter()
                .zip(&st.talk)
                .filter(|((k, r, _), (dir, _))| {
                    *k == kind
                        && (roles.is_empty() || r.is_some_and(|r| roles.contains(&r)))
                        && filter.direction.is_none_or(|d| *dir == Some(d))
                })
                .map(|((_, _, attempts), (_, minutes))| if talk { *minutes } else { *attempts })
                .sum();
            if n > 0.0 {
                match w {
                    Window::Total => terms.push((self.l.served(s), n)),
                    Window::Month(m) => terms.push((self.l.month_stage(m, s, StageField::Served), n)),
                }
            }
        }
        if w == Window::Total || self.l.metrics.stages > 0 {
            Ok(Expr::Sum { terms, flow: true })
        } else {
            Err("metrics".to_owned())
        }
    }

    /// A counter with its arguments over the window.
    pub(super) fn filtered(
        &self,
        c: Counter,
        scope: Option<&Scope>,
        filter: &CounterFilter,
        w: Window,
    ) -> Result<Expr, String> {
        let l = self.l;
        let unsupported = || super::counter_name(c);
        let flow = |terms: Vec<(usize, f64)>| Expr::Sum { terms, flow: true };
        let level = |terms: Vec<(usize, f64)>| Expr::Sum { terms, flow: false };
        let month = match w {
            Window::Month(m) => Some(m),
            Window::Total => None,
        };
        // Counters that need the monthly block when not over the whole horizon.
        let metrics = l.metrics.stages > 0;
        let stages = self.stages_for(scope, filter)?;
        let with_channel = |e: Expr| -> Result<Expr, String> {
            match &filter.channel {
                None => Ok(e),
                Some(ch) => Ok(Expr::Bin('*', Box::new(e), Box::new(self.channel_share(ch, w)?))),
            }
        };
        let expr = match c {
            Counter::Leads => {
                let entries: Vec<usize> = stages.clone();
                let terms = (0..l.channels)
                    .filter(|&ch| {
                        scope.is_none() || self.p.channels[ch].entry.is_some_and(|s| entries.contains(&s))
                    })
                    .filter(|&ch| {
                        filter
                            .channel
                            .as_ref()
                            .is_none_or(|n| &self.p.channels[ch].name == n)
                    })
                    .map(|ch| match month {
                        None => (l.channel(ch), 1.0),
                        Some(m) => (l.month_channel(m, ch), 1.0),
                    })
                    .collect();
                flow(terms)
            }
            Counter::Entered => {
                let stages = match (scope, &filter.role) {
                    // A pipeline's entries are its first stage's.
                    (Some(Scope::Pipeline { .. }), None) => stages.into_iter().take(1).collect(),
                    (None, None) if month.is_some() => {
                        // Every lead: the leads of the month.
                        return Ok(flow(vec![(l.month(month.unwrap_or(0), 2), 1.0)]));
                    }
                    _ => stages,
                };
                match month {
                    None => flow(stages.iter().map(|&s| (l.stage(s, 0), 1.0)).collect()),
                    Some(_) if metrics => flow(self.stage_terms(&stages, w, StageField::Entered)),
                    Some(_) => return Err(unsupported()),
                }
            }
            Counter::Converted if matches!(scope, Some(Scope::Stage { .. })) => match month {
                None => flow(stages.iter().map(|&s| (l.stage(s, 1), 1.0)).collect()),
                Some(_) => flow(self.rows(&stages, w, |s, o| {
                    self.p.stages[s].outcomes.get(o).is_some_and(|x| x.success)
                })?),
            },
            Counter::Won | Counter::Converted => {
                let base = if filter.role.is_none() && month.is_none() {
                    match scope {
                        None => flow(
                            (0..l.pipelines)
                                .map(|p| (l.pipeline(p, PipelineField::Won), 1.0))
                                .collect(),
                        ),
                        Some(Scope::Pipeline { pipeline }) => {
                            let pi = self.pipeline(pipeline).ok_or_else(unsupported)?;
                            flow(vec![(l.pipeline(pi, PipelineField::Won), 1.0)])
                        }
                        Some(Scope::Stage { .. }) => return Err(unsupported()),
                    }
                } else {
                    flow(self.rows(&stages, w, |s, o| {
                        self.p.stages[s]
                            .outcomes
                            .get(o)
                            .is_some_and(|x| x.dest == Dest::Won)
                    })?)
                };
                with_channel(base)?
            }
            Counter::Lost => match (&filter.reason, month) {
                (Some(reason), _) => flow(self.rows(&stages, w, |s, o| {
                    let st = &self.p.stages[s];
                    st.outcomes.get(o).is_some_and(|x| !x.success)
                        && st.reasons.get(o).is_some_and(|r| r.as_ref() == Some(reason))
                })?),
                (None, None) => flow(stages.iter().map(|&s| (l.stage(s, 2), 1.0)).collect()),
                (None, Some(_)) if metrics => flow(self.stage_terms(&stages, w, StageField::Lost)),
                (None, Some(_)) => return Err(unsupported()),
            },
            Counter::HandedOff => flow(self.rows(&stages, w, |s, o| {
                let st = &self.p.stages[s];
                matches!(st.outcomes.get(o).map(|x| x.dest), Some(Dest::Stage(n))
                    if self.p.stages[n].pipeline_index != st.pipeline_index)
            })?),
            Counter::Deals | Counter::Revenue | Counter::AverageDeal => {
                let one = |deals: bool| -> Result<Expr, String> {
                    Ok(match (month, scope) {
                        (None, None) => flow(vec![(if deals { slot::WON } else { slot::REVENUE }, 1.0)]),
                        (None, Some(Scope::Pipeline { pipeline })) => {
                            let pi = self.pipeline(pipeline).ok_or_else(unsupported)?;
                            let f = if deals {
                                PipelineField::Deals
                            } else {
                                PipelineField::Revenue
                            };
                            flow(vec![(l.pipeline(pi, f), 1.0)])
                        }
                        (Some(m), None) => flow(vec![(l.month(m, if deals { 0 } else { 1 }), 1.0)]),
                        _ => return Err(unsupported()),
                    })
                };
                let e = match c {
                    Counter::Deals => one(true)?,
                    Counter::Revenue => one(false)?,
                    _ => Expr::Bin('/', Box::new(one(false)?), Box::new(one(true)?)),
                };
                // A ratio keeps its channel share on both sides: the same check.
                if c == Counter::AverageDeal {
                    e
                } else {
                    with_channel(e)?
                }
            }
            Counter::CycleDays => match (month, scope) {
                (None, None) => level(vec![(slot::CYCLE, 1.0)]),
                (Some(m), None) => level(vec![(l.month_extra(m, MonthField::Cycle), 1.0)]),
                _ => return Err(unsupported()),
            },
            Counter::Headcount => {
                let roles: Vec<usize> = match &filter.role {
                    Some(r) => vec![self.role(r)?],
                    None if self.roles.is_empty() => (0..self.p.roles.len()).collect(),
                    None => self.roles.clone(),
                };
                Expr::Num(roles.iter().map(|&r| self.heads_in(r, month)).sum())
            }
            Counter::Open if metrics => level(self.stage_terms(&stages, w, StageField::Open)),
            Counter::Overdue if metrics => {
                let days = filter.days.ok_or_else(unsupported)?;
                let weight = if month.is_none() {
                    1.0 / l.months.max(1) as f64
                } else {
                    1.0
                };
                let mut terms = Vec::new();
                for &s in &stages {
                    let k = self.engine.overdue_track(s, days).ok_or_else(unsupported)?;
                    self.each_month(w, |m| terms.push((l.month_overdue(m, k), weight)));
                }
                level(terms)
            }
            Counter::ResponseMinutes | Counter::Open | Counter::Overdue => return Err(unsupported()),
            kind => self.contact_terms(kind, &stages, filter, w)?,
        };
        Ok(expr)
    }

    /// Mean headcount at work of role `r` over the horizon or in month `m`.
    pub(super) fn heads_in(&self, r: usize, month: Option<usize>) -> f64 {
        let Some(m) = month else {
            return self.heads(r);
        };
        let role = &self.p.roles[r];
        let per_person = role.work_day_hours * 60.0 * role.selling_share;
        if per_person > 0.0 {
            self.engine.month_capacity(r, m) / per_person
        } else {
            role.headcount
        }
    }
}
