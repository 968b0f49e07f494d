//! The model's KPIs evaluated on the replications: each formula is computed replication by
//! replication from the counters the engine records, summarised, compared with the target
//! (the share of replications that meet it) and given the colour band of its mean.
//!
//! - **Counters.** `лиды`, `вошло`, `перешло`, `выиграно`, `проиграно`, `передано`, `сделки`,
//!   `выручка` (totals, per pipeline, or per stage where that means something), the contacts
//!   (`звонки`, `встречи`, … = leads whose stage work started × the expected attempts of the
//!   stage chain's contacts of that kind — by the reach rate `дозвон`, once without it — only
//!   those made by the KPI's roles), `цикл` (mean cycle
//!   of won deals), `чек` (revenue ÷ paid deals) and `штат` (mean headcount at work). The time
//!   of the first response is below the engine's resolution of a day, so a KPI that reads
//!   `отклик` is listed as not evaluated, as is a counter with a scope it has no meaning for
//!   (`выиграно(Воронка.Этап)`).
//! - **Period.** Counts and money are averaged over the horizon per KPI period (`ежедневно` =
//!   per working day, `еженедельно`, `ежемесячно` (also when no period is given),
//!   `ежеквартально`, `ежегодно`); a KPI of roles (not `отдел`) is per person: divided by the
//!   mean headcount of its roles. Ratios (conversions) are unaffected by either.
//! - **Colour.** `цвета` bounds are read as the share of the target reached (mean ÷ target:
//!   `зелёный >= 100%`), as all shipped examples write them; a range target has no such share,
//!   so no band.

mod counters;

use super::Stats;
use super::engine::{Engine, Layout, PipelineField, slot};
use super::params::Params;
use crate::model::{Bound, Cmp, Colour, ContactKind, Counter, Formula, Kpi, Period, Scope};
use counters::{Window, monthly};
use serde::{Deserialize, Serialize};

/// `not_evaluated` of a KPI that reads a checklist's score (`балл(…)`): its data is the scoring.
pub const CHECKLIST_SCORE: &str = "checklist_score";
/// `not_evaluated` of a KPI over telephony data (`пропущенные`, `звонки(разговор >= 1 мин)`).
pub const TELEPHONY: &str = "telephony";
/// `not_evaluated` of a KPI with a share of cases (`цель <= 5 мин в 90%`): the engine keeps
/// no case-by-case distribution of the quantity, so the share comes from telephony or the CRM.
pub const PERCENTILE: &str = "percentile";

/// Why a KPI's value is data from outside the process, if it is: never invented.
fn outside_data(kpi: &Kpi) -> Option<&'static str> {
    if kpi.telephony_data() {
        Some(TELEPHONY)
    } else if kpi.percentile.is_some() {
        Some(PERCENTILE)
    } else {
        None
    }
}

/// One KPI over the replications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiResult {
    pub name: String,
    pub title: Option<String>,
    pub unit: Option<String>,
    /// The KPI's period ("day", "week", "month", "quarter", "year"); null = a month.
    pub period: Option<Period>,
    /// Per person of these roles; empty for the department and for a ratio (a conversion),
    /// which does not depend on the headcount.
    pub per_person: Vec<String>,
    /// The value per period; null when not evaluated.
    pub value: Option<Stats>,
    pub target: Option<Bound>,
    /// Share of replications in which the value meets the target; null without a target or
    /// a value.
    pub target_probability: Option<f64>,
    /// The colour band the mean falls in; null without `цвета` or a single-value target.
    pub band: Option<Colour>,
    /// Why the simulator cannot evaluate the KPI: "no_formula", "no_headcount" (a KPI per
    /// person of roles nobody staffs) or the English name of the counter it cannot count (e.g.
    /// "response_minutes"); null when evaluated.
    pub not_evaluated: Option<String>,
    /// A KPI over stocks or `изменение`, evaluated month by month: each month's value (null
    /// for a month without one, e.g. no base to compare with); absent for other KPIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_month: Option<Vec<Option<Stats>>>,
}

/// A formula compiled to record columns.
pub(super) enum Expr {
    Num(f64),
    /// Σ coefficient × column, scaled as [`Scale`] says.
    Sum {
        terms: Vec<(usize, f64)>,
        scale: Scale,
    },
    Neg(Box<Expr>),
    Bin(char, Box<Expr>, Box<Expr>),
}

/// How a sum of columns is scaled for a KPI of a period and of persons.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scale {
    /// A count or money over time: to the KPI's period, per person of its roles.
    Flow,
    /// Deals at a moment (`открыто`, `просрочено`): per person of its roles, not per period.
    Stock,
    /// A mean or share (`цикл`, `чек`, `штат`): as it is.
    Level,
}

/// The factors of [`Scale::Flow`] and [`Scale::Stock`] for one KPI (and month).
#[derive(Clone, Copy)]
pub(super) struct Scales {
    /// 1 ÷ (periods in the window × persons).
    pub(super) flow: f64,
    /// 1 ÷ persons (1 for a department KPI).
    pub(super) person: f64,
}

impl Scales {
    fn doubled(self) -> Scales {
        Scales {
            flow: 2.0 * self.flow,
            person: 2.0 * self.person,
        }
    }
}

impl Expr {
    pub(super) fn eval(&self, row: &[f32], scale: Scales) -> f64 {
        match self {
            Expr::Num(x) => *x,
            Expr::Sum { terms, scale: how } => {
                let v: f64 = terms.iter().map(|&(i, c)| f64::from(row[i]) * c).sum();
                match how {
                    Scale::Flow => v * scale.flow,
                    Scale::Stock => v * scale.person,
                    Scale::Level => v,
                }
            }
            Expr::Neg(a) => -a.eval(row, scale),
            Expr::Bin(op, a, b) => {
                let (a, b) = (a.eval(row, scale), b.eval(row, scale));
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    _ if b == 0.0 => f64::NAN,
                    _ => a / b,
                }
            }
        }
    }
}

pub(super) struct Cx<'a> {
    pub(super) p: &'a Params,
    pub(super) l: &'a Layout,
    pub(super) engine: &'a Engine,
    /// Role indices whose contacts count; empty = all.
    pub(super) roles: Vec<usize>,
}

pub(super) fn counter_name(c: Counter) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Cx<'_> {
    fn stage(&self, pipeline: &str, stage: &str) -> Option<usize> {
        self.p
            .stages
            .iter()
            .position(|s| s.pipeline == pipeline && s.name == stage)
    }
    pub(super) fn pipeline(&self, name: &str) -> Option<usize> {
        self.p.pipelines.iter().position(|p| p.name == name)
    }
    fn stages_of(&self, pi: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.p.stages.len()).filter(move |&s| self.p.stages[s].pipeline_index == pi)
    }

    /// Mean headcount at work of role `r` over the horizon.
    pub(super) fn heads(&self, r: usize) -> f64 {
        let role = &self.p.roles[r];
        // Minutes a head gives at the written headcount (a shift cap makes it less than the
        // work day for a rota larger than the shifts).
        let per_person = if role.headcount > 0.0 {
            role.capacity.selling_minutes(role.headcount) / role.headcount
        } else {
            role.work_day_hours * 60.0 * role.selling_share
        };
        if per_person > 0.0 {
            // The capacity is net of the quality-control sample (`RoleParams::stage_minutes`):
            // undo that to count the people.
            let cap = self.engine.mean_capacity(r);
            let whole = if role.headcount > 0.0 {
                role.capacity.working_minutes(role.headcount) / role.headcount
            } else {
                role.work_day_hours * 60.0
            };
            let sample = role.sampling_minutes_per_day;
            if sample > 0.0 && whole > 0.0 {
                (cap / per_person).max((cap + sample) / whole)
            } else {
                cap / per_person
            }
        } else {
            role.headcount
        }
    }

    pub(super) fn contact(kind: Counter) -> Option<ContactKind> {
        Some(match kind {
            Counter::Calls => ContactKind::Call,
            Counter::Meetings => ContactKind::Meeting,
            Counter::Emails => ContactKind::Email,
            Counter::Messages => ContactKind::Message,
            Counter::Proposals => ContactKind::Proposal,
            Counter::Contracts => ContactKind::Contract,
            Counter::Invoices => ContactKind::Invoice,
            Counter::Demos => ContactKind::Demo,
            Counter::Tasks => ContactKind::Task,
            _ => return None,
        })
    }

    fn compile(&self, f: &Formula) -> Result<Expr, String> {
        Ok(match f {
            Formula::Number { value } => Expr::Num(*value),
            Formula::Neg { arg } => Expr::Neg(Box::new(self.compile(arg)?)),
            Formula::Add { left, right } => self.bin('+', left, right)?,
            Formula::Sub { left, right } => self.bin('-', left, right)?,
            Formula::Mul { left, right } => self.bin('*', left, right)?,
            Formula::Div { left, right } => self.bin('/', left, right)?,
            Formula::Counter {
                counter,
                scope,
                filter,
            } if filter.is_empty()
                && !matches!(counter, Counter::TalkMinutes | Counter::Open | Counter::Overdue) =>
            {
                self.counter(*counter, scope.as_ref())?
            }
            Formula::Counter {
                counter,
                scope,
                filter,
            } => self.filtered(*counter, scope.as_ref(), filter, Window::Total)?,
            // Not reached: a formula with `изменение` is evaluated month by month.
            Formula::Change { .. } => return Err("change".to_owned()),
            // A score comes from people scoring contacts, not from the process: never invented.
            Formula::Score { .. } => return Err(CHECKLIST_SCORE.to_string()),
        })
    }

    fn bin(&self, op: char, a: &Formula, b: &Formula) -> Result<Expr, String> {
        Ok(Expr::Bin(
            op,
            Box::new(self.compile(a)?),
            Box::new(self.compile(b)?),
        ))
    }

    fn counter(&self, c: Counter, scope: Option<&Scope>) -> Result<Expr, String> {
        let l = self.l;
        let unsupported = || counter_name(c);
        enum At {
            All,
            Pipeline(usize),
            Stage(usize),
        }
        let at = match scope {
            None => At::All,
            Some(Scope::Pipeline { pipeline }) => {
                At::Pipeline(self.pipeline(pipeline).ok_or_else(unsupported)?)
            }
            Some(Scope::Stage { pipeline, stage }) => {
                At::Stage(self.stage(pipeline, stage).ok_or_else(unsupported)?)
            }
        };
        let one = |i: usize| vec![(i, 1.0)];
        let pipes = |f: PipelineField| {
            (0..l.pipelines)
                .map(|p| (l.pipeline(p, f), 1.0))
                .collect::<Vec<_>>()
        };
        let flow = |terms: Vec<(usize, f64)>| Expr::Sum {
            terms,
            scale: Scale::Flow,
        };
        let level = |terms: Vec<(usize, f64)>| Expr::Sum {
            terms,
            scale: Scale::Level,
        };
        Ok(match (c, at) {
            (Counter::Leads, At::All) | (Counter::Entered, At::All) => flow(one(slot::LEADS)),
            (Counter::Leads, At::Pipeline(pi)) => flow(
                (0..l.channels)
                    .filter(|&ch| {
                        self.p.channels[ch]
                            .entry
                            .is_some_and(|s| self.p.stages[s].pipeline_index == pi)
                    })
                    .map(|ch| (l.channel(ch), 1.0))
                    .collect(),
            ),
            (Counter::Leads, At::Stage(s)) => flow(
                (0..l.channels)
                    .filter(|&ch| self.p.channels[ch].entry == Some(s))
                    .map(|ch| (l.channel(ch), 1.0))
                    .collect(),
            ),
            (Counter::Entered, At::Pipeline(pi)) => {
                let first = self.stages_of(pi).next().ok_or_else(unsupported)?;
                flow(one(l.stage(first, 0)))
            }
            (Counter::Entered, At::Stage(s)) => flow(one(l.stage(s, 0))),
            (Counter::Converted, At::Stage(s)) => flow(one(l.stage(s, 1))),
            (Counter::Converted | Counter::Won, At::Pipeline(pi)) => {
                flow(one(l.pipeline(pi, PipelineField::Won)))
            }
            (Counter::Converted | Counter::Won, At::All) => flow(pipes(PipelineField::Won)),
            (Counter::Lost, At::Stage(s)) => flow(one(l.stage(s, 2))),
            (Counter::Lost, At::Pipeline(pi)) => {
                flow(self.stages_of(pi).map(|s| (l.stage(s, 2), 1.0)).collect())
            }
            (Counter::Lost, At::All) => flow((0..l.stages).map(|s| (l.stage(s, 2), 1.0)).collect()),
            (Counter::HandedOff, At::Pipeline(pi)) => flow(one(l.pipeline(pi, PipelineField::HandedOff))),
            (Counter::HandedOff, At::All) => flow(pipes(PipelineField::HandedOff)),
            (Counter::Deals, At::All) => flow(one(slot::WON)),
            (Counter::Deals, At::Pipeline(pi)) => flow(one(l.pipeline(pi, PipelineField::Deals))),
            (Counter::Revenue, At::All) => flow(one(slot::REVENUE)),
            (Counter::Revenue, At::Pipeline(pi)) => flow(one(l.pipeline(pi, PipelineField::Revenue))),
            (Counter::AverageDeal, At::All) => Expr::Bin(
                '/',
                Box::new(flow(one(slot::REVENUE))),
                Box::new(flow(one(slot::WON))),
            ),
            (Counter::AverageDeal, At::Pipeline(pi)) => Expr::Bin(
                '/',
                Box::new(flow(one(l.pipeline(pi, PipelineField::Revenue)))),
                Box::new(flow(one(l.pipeline(pi, PipelineField::Deals)))),
            ),
            (Counter::CycleDays, At::All) => level(one(slot::CYCLE)),
            (Counter::CycleCalendarDays, At::All) => {
                // Working days × 7 ÷ the working week (a working month is week × 52 / 12).
                let week = self.p.working_days_per_month * 12.0 / 52.0;
                level(vec![(l.ended_cycle(), if week > 0.0 { 7.0 / week } else { 1.0 })])
            }
            (Counter::Headcount, _) => {
                let roles: Vec<usize> = if self.roles.is_empty() {
                    (0..self.p.roles.len()).collect()
                } else {
                    self.roles.clone()
                };
                Expr::Num(roles.iter().map(|&r| self.heads(r)).sum())
            }
            (kind, at) => {
                let Some(contact) = Self::contact(kind) else {
                    return Err(unsupported());
                };
                let stages: Vec<usize> = match at {
                    At::All => (0..l.stages).collect(),
                    At::Pipeline(pi) => self.stages_of(pi).collect(),
                    At::Stage(s) => vec![s],
                };
                let terms = stages
                    .into_iter()
                    .filter_map(|s| {
                        let n: f64 = self.p.stages[s]
                            .contacts
                            .iter()
                            .filter(|(k, r, _)| {
                                *k == contact
                                    && (self.roles.is_empty() || r.is_some_and(|r| self.roles.contains(&r)))
                            })
                            .map(|(_, _, attempts)| attempts)
                            .sum();
                        (n > 0.0).then(|| (l.served(s), n))
                    })
                    .collect();
                flow(terms)
            }
        })
    }
}

fn meets(bound: &Bound, v: f64) -> bool {
    match *bound {
        Bound::Range { min, max } => v >= min && v <= max,
        Bound::Cmp { op, value } => match op {
            Cmp::Ge => v >= value,
            Cmp::Gt => v > value,
            Cmp::Le => v <= value,
            Cmp::Lt => v < value,
            Cmp::Eq => (v - value).abs() <= 1e-9 * value.abs().max(1.0),
        },
    }
}

/// The colour band of `mean` against the target: `цвета` bounds are shares of the target.
fn band(kpi: &Kpi, mean: f64) -> Option<Colour> {
    let Some(Bound::Cmp { value, .. }) = kpi.target else {
        return None;
    };
    if value == 0.0 || !mean.is_finite() {
        return None;
    }
    let share = mean / value;
    kpi.colours
        .iter()
        .find(|c| meets(&c.bound, share))
        .map(|c| c.colour)
}

/// How many KPI periods the horizon holds.
fn periods(p: &Params, days: f64, period: Option<Period>) -> f64 {
    let months = p.months as f64;
    match period {
        Some(Period::Day) => days,
        Some(Period::Week) => days / (p.working_days_per_month * 12.0 / 52.0),
        Some(Period::Month) | None => months,
        Some(Period::Quarter) => months / 3.0,
        Some(Period::Year) => months / 12.0,
    }
}

/// Evaluates every KPI of the parameters on the replications' records.
pub(super) fn evaluate(p: &Params, engine: &Engine, records: &[f32], width: usize) -> Vec<KpiResult> {
    let l = &engine.layout;
    p.kpis
        .iter()
        .map(|kpi| {
            let roles: Vec<usize> = if kpi.department {
                Vec::new()
            } else {
                kpi.roles
                    .iter()
                    .filter_map(|name| p.roles.iter().position(|r| &r.name == name))
                    .collect()
            };
            let cx = Cx {
                p,
                l,
                engine,
                roles: roles.clone(),
            };
            let persons: f64 = roles.iter().map(|&r| cx.heads(r)).sum();
            let per = periods(p, engine.days() as f64, kpi.period);
            let person = if roles.is_empty() { 1.0 } else { 1.0 / persons };
            let scale = Scales {
                flow: person / per.max(f64::MIN_POSITIVE),
                person,
            };
            let outside = outside_data(kpi);
            if outside.is_none()
                && let Some(f) = kpi.formula.as_ref().filter(|f| monthly(f))
            {
                return by_month(&cx, kpi, f, records, width);
            }
            let compiled = match (&kpi.formula, outside) {
                (_, Some(why)) => Err(why.to_owned()),
                (None, _) => Err("no_formula".to_owned()),
                (Some(f), _) => cx.compile(f),
            };
            let mut result = KpiResult {
                name: kpi.name.clone(),
                title: kpi.title.clone(),
                unit: kpi.unit.clone(),
                period: kpi.period,
                per_person: roles.iter().map(|&r| p.roles[r].name.clone()).collect(),
                value: None,
                target: kpi.target.clone(),
                target_probability: None,
                band: None,
                not_evaluated: None,
                by_month: None,
            };
            let compiled = match compiled {
                Ok(_) if !roles.is_empty() && persons <= 0.0 => Err("no_headcount".to_owned()),
                other => other,
            };
            match compiled {
                Err(reason) => result.not_evaluated = Some(reason),
                Ok(expr) if width > 0 => {
                    let values: Vec<f64> = records.chunks(width).map(|row| expr.eval(row, scale)).collect();
                    // A ratio of flows does not depend on the period or the headcount: it is
                    // not "per person", whatever roles the KPI names.
                    let scale_free = records.chunks(width).all(|row| {
                        let one = Scales {
                            flow: 1.0,
                            person: 1.0,
                        };
                        let (a, b) = (expr.eval(row, one), expr.eval(row, one.doubled()));
                        !(a.is_finite() && b.is_finite()) || (a - b).abs() <= 1e-9 * a.abs().max(1.0)
                    });
                    if scale_free {
                        result.per_person.clear();
                    }
                    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
                    if let Some(target) = &kpi.target
                        && !finite.is_empty()
                    {
                        let met = finite.iter().filter(|&&v| meets(target, v)).count();
                        result.target_probability = Some(met as f64 / finite.len() as f64);
                    }
                    result.value = Stats::of(values);
                    result.band = result.value.and_then(|s| band(kpi, s.mean));
                }
                Ok(_) => {}
            }
            result
        })
        .collect()
}

/// A KPI over stocks or `изменение`, month by month (`kpi_counters`): its value in each
/// replication is the mean over the months that have one.
fn by_month(cx: &Cx, kpi: &Kpi, f: &Formula, records: &[f32], width: usize) -> KpiResult {
    let p = cx.p;
    let months = cx.l.months;
    let mut result = KpiResult {
        name: kpi.name.clone(),
        title: kpi.title.clone(),
        unit: kpi.unit.clone(),
        period: kpi.period,
        per_person: cx.roles.iter().map(|&r| p.roles[r].name.clone()).collect(),
        value: None,
        target: kpi.target.clone(),
        target_probability: None,
        band: None,
        not_evaluated: None,
        by_month: None,
    };
    let compiled = match cx.compile_months(f, kpi.period) {
        Ok(e) => e,
        Err(reason) => {
            result.not_evaluated = Some(reason);
            return result;
        }
    };
    // A month's flows in the KPI's period, per person of the month's headcount; its stocks
    // per person.
    let per_month = match kpi.period {
        Some(Period::Day) => 1.0 / p.working_days_per_month,
        Some(Period::Week) => 12.0 / 52.0,
        Some(Period::Quarter) => 3.0,
        Some(Period::Year) => 12.0,
        Some(Period::Month) | None => 1.0,
    };
    let mut scales = Vec::with_capacity(months);
    for m in 0..months {
        let persons: f64 = cx.roles.iter().map(|&r| cx.heads_in(r, Some(m))).sum();
        let person = if cx.roles.is_empty() {
            1.0
        } else if persons > 0.0 {
            1.0 / persons
        } else {
            f64::NAN
        };
        scales.push(Scales {
            flow: per_month * person,
            person,
        });
    }
    if !cx.roles.is_empty() && scales.iter().all(|s| !s.person.is_finite()) {
        result.not_evaluated = Some("no_headcount".to_owned());
        return result;
    }
    if width == 0 {
        return result;
    }
    let rows: Vec<&[f32]> = records.chunks(width).collect();
    let doubled: Vec<Scales> = scales.iter().map(|s| s.doubled()).collect();
    let scale_free = rows.iter().all(|row| {
        (0..months).all(|m| {
            let (a, b) = (compiled.eval(row, m, &scales), compiled.eval(row, m, &doubled));
            !(a.is_finite() && b.is_finite()) || (a - b).abs() <= 1e-9 * a.abs().max(1.0)
        })
    });
    if scale_free {
        result.per_person.clear();
    }
    let mut series = vec![Vec::with_capacity(rows.len()); months];
    let values: Vec<f64> = rows
        .iter()
        .map(|row| {
            let (mut sum, mut n) = (0.0, 0usize);
            for (m, s) in series.iter_mut().enumerate() {
                let v = compiled.eval(row, m, &scales);
                s.push(v);
                if v.is_finite() {
                    sum += v;
                    n += 1;
                }
            }
            if n > 0 { sum / n as f64 } else { f64::NAN }
        })
        .collect();
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if let Some(target) = &kpi.target
        && !finite.is_empty()
    {
        let met = finite.iter().filter(|&&v| meets(target, v)).count();
        result.target_probability = Some(met as f64 / finite.len() as f64);
    }
    result.value = Stats::of(values);
    if result.value.is_none() {
        result.not_evaluated = Some("no_base".to_owned());
    }
    result.band = result.value.and_then(|s| band(kpi, s.mean));
    result.by_month = Some(series.into_iter().map(Stats::of).collect());
    result
}

#[cfg(test)]
mod tests {
    use super::{band, meets};
    use crate::model::{Bound, Cmp, Colour, ColourBand, Kpi};

    fn kpi(target: Bound, colours: Vec<ColourBand>) -> Kpi {
        Kpi {
            name: "K".into(),
            title: None,
            kind: None,
            direction: None,
            formula: None,
            formula_text: None,
            unit: None,
            period: None,
            roles: Vec::new(),
            department: true,
            target: Some(target),
            colours,
            weight: None,
            source: None,
            percentile: None,
            description: None,
            span: Default::default(),
        }
    }

    #[test]
    fn bands_are_shares_of_the_target() {
        let colours = vec![
            ColourBand {
                colour: Colour::Red,
                bound: Bound::Cmp {
                    op: Cmp::Lt,
                    value: 0.7,
                },
            },
            ColourBand {
                colour: Colour::Yellow,
                bound: Bound::Range { min: 0.7, max: 1.0 },
            },
            ColourBand {
                colour: Colour::Green,
                bound: Bound::Cmp {
                    op: Cmp::Ge,
                    value: 1.0,
                },
            },
        ];
        let k = kpi(
            Bound::Cmp {
                op: Cmp::Ge,
                value: 200.0,
            },
            colours,
        );
        assert_eq!(band(&k, 100.0), Some(Colour::Red));
        assert_eq!(band(&k, 150.0), Some(Colour::Yellow));
        assert_eq!(band(&k, 250.0), Some(Colour::Green));
        assert!(meets(k.target.as_ref().unwrap(), 200.0));
        assert!(!meets(&Bound::Range { min: 1.0, max: 2.0 }, 2.5));
    }
}
