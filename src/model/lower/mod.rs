//! Syntax tree → model: name resolution (with «возможно, имелось в виду …»), unit
//! normalisation and value checks. Every problem becomes a diagnostic; lowering always goes
//! on, so one run reports them all.

use super::units;
use super::*;
use crate::diag::kind::{Entity, UnitClass};
use crate::diag::{Diagnostic, Diagnostics, Kind, Msg, suggest};
use crate::source::Span;
use crate::syntax::Rule;
use crate::syntax::ast::{self, Arg, Stmt, Unit};
use std::collections::HashMap;

/// The largest magnitude accepted for any number.
const MAX_NUMBER: f64 = 1e15;

/// Lowers every parsed file (the root first) into one model.
pub fn lower(files: &[&ast::File]) -> (Model, Diagnostics) {
    let (model, diags, _) = lower_with_names(files);
    (model, diags)
}

/// [`lower`], also returning where every name is defined and used.
pub fn lower_with_names(files: &[&ast::File]) -> (Model, Diagnostics, Names) {
    let mut cx = Lowerer::default();
    let items: Vec<&Stmt> = files.iter().flat_map(|f| f.items.iter()).collect();
    cx.declare(&items);
    for (keyword, name) in files.iter().flat_map(|f| f.broken.iter()) {
        cx.declare_broken(keyword, name);
    }
    // The header first, wherever it is written (after the items, in an included file): every
    // time unit is counted on its working week.
    let (headers, rest): (Vec<&Stmt>, Vec<&Stmt>) = items.iter().partition(|i| i.key == Rule::regulation);
    for item in headers.into_iter().chain(rest) {
        cx.item(item);
    }
    cx.resolve_destinations();
    for p in &mut cx.model.pipelines {
        for s in &mut p.stages {
            add_unreached(s);
        }
    }
    (cx.model, cx.diags, cx.index)
}

/// The routes of the clients a contact does not reach (`дозвон` with `иначе ->`), added to the
/// stage's transitions once every destination is resolved. With u_i = (1 − r_i)^{N_i} the share
/// contact i does not reach, the client leaves by contact i's `иначе` with probability
/// Π_{j<i}(1 − u_j) · u_i, and every written transition (the conversion and the failures, which
/// apply to reached clients) is scaled by R = Π_i (1 − u_i); the sum stays what it was. The
/// share checks (E0033, E0034) have already judged the written values.
fn add_unreached(s: &mut Stage) {
    let mut reached = 1.0;
    let mut routes = Vec::new();
    for (i, c) in s.chain.iter().enumerate() {
        let u = c.unreached();
        let Some(to) = &c.otherwise else { continue };
        if c.reach.is_none() || u <= 0.0 {
            continue;
        }
        routes.push(Transition {
            kind: TransitionKind::Unreached,
            probability: reached * u,
            to: to.clone(),
            explicit: true,
            contact: Some(i),
            span: c.span,
        });
        reached *= 1.0 - u;
    }
    if routes.is_empty() {
        return;
    }
    for t in &mut s.transitions {
        t.probability *= reached;
    }
    s.transitions.extend(routes);
}

#[derive(Default)]
struct Lowerer {
    model: Model,
    diags: Diagnostics,
    names: HashMap<(NameSpace, String), Span>,
    /// Stage names per pipeline, in order.
    stages: Vec<(String, Vec<String>)>,
    /// Destinations written as a bare path, resolved once every pipeline is known:
    /// (pipeline index, stage index, transition index or contact marker, path).
    pending: Vec<Pending>,
    header_seen: Option<Span>,
    /// Some pipeline did not parse: its stages are unknown, so stage references are not
    /// reported as undefined.
    broken_pipeline: bool,
    plan_seen: Option<Span>,
    /// Definitions and resolved references, for editors.
    index: Names,
}

struct Pending {
    pipeline: usize,
    stage: usize,
    slot: Slot,
    path: ast::PathRef,
    current_pipeline: String,
}

enum Slot {
    Transition(usize),
    Contact(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum NameSpace {
    Role,
    Channel,
    Pipeline,
    Kpi,
    Reason,
    Checklist,
    Report,
    Control,
    Interaction,
    Document,
    Meeting,
    Resource,
}

fn symbol(ns: NameSpace, name: &str) -> Symbol {
    let name = name.to_string();
    match ns {
        NameSpace::Role => Symbol::Role(name),
        NameSpace::Channel => Symbol::Channel(name),
        NameSpace::Pipeline => Symbol::Pipeline(name),
        NameSpace::Kpi => Symbol::Kpi(name),
        NameSpace::Reason => Symbol::Reason(name),
        NameSpace::Checklist => Symbol::Checklist(name),
        NameSpace::Report => Symbol::Report(name),
        NameSpace::Control => Symbol::Control(name),
        NameSpace::Interaction => Symbol::Interaction(name),
        NameSpace::Document => Symbol::Document(name),
        NameSpace::Meeting => Symbol::Meeting(name),
        NameSpace::Resource => Symbol::Resource(name),
    }
}

fn entity(ns: NameSpace) -> Entity {
    match ns {
        NameSpace::Role => Entity::Role,
        NameSpace::Channel => Entity::Channel,
        NameSpace::Pipeline => Entity::Pipeline,
        NameSpace::Kpi => Entity::Kpi,
        NameSpace::Reason => Entity::Reason,
        NameSpace::Checklist => Entity::Checklist,
        NameSpace::Report => Entity::Report,
        NameSpace::Control => Entity::Control,
        NameSpace::Interaction => Entity::Interaction,
        NameSpace::Document => Entity::Document,
        NameSpace::Meeting => Entity::Meeting,
        NameSpace::Resource => Entity::Resource,
    }
}

fn first_ident(s: &Stmt) -> Option<&ast::Ident> {
    s.name()
}

fn idents(s: &Stmt) -> impl Iterator<Item = &ast::Ident> {
    s.args.iter().filter_map(|a| match a {
        Arg::Ident(i) => Some(i),
        _ => None,
    })
}

fn strings(s: &Stmt) -> impl Iterator<Item = &ast::Text> {
    s.args.iter().filter_map(|a| match a {
        Arg::Str(t) => Some(t),
        _ => None,
    })
}

fn quantities(s: &Stmt) -> impl Iterator<Item = &ast::Quantity> {
    s.args.iter().filter_map(|a| match a {
        Arg::Quantity(q) => Some(q),
        _ => None,
    })
}

fn word(s: &Stmt) -> Option<Rule> {
    s.args.iter().find_map(|a| match a {
        Arg::Word(r, _) => Some(*r),
        _ => None,
    })
}

fn text_of(s: &Stmt) -> Option<String> {
    s.title().map(|t| t.value.clone())
}

fn period_of(rule: Rule) -> Option<Period> {
    Some(match rule {
        Rule::kw_daily | Rule::unit_days => Period::Day,
        Rule::kw_weekly | Rule::unit_weeks => Period::Week,
        Rule::kw_monthly | Rule::unit_months => Period::Month,
        Rule::kw_quarterly | Rule::unit_quarters => Period::Quarter,
        Rule::kw_yearly | Rule::unit_years => Period::Year,
        _ => return None,
    })
}

fn cmp_of(op: ast::CmpOp) -> Cmp {
    match op {
        ast::CmpOp::Ge => Cmp::Ge,
        ast::CmpOp::Le => Cmp::Le,
        ast::CmpOp::Gt => Cmp::Gt,
        ast::CmpOp::Lt => Cmp::Lt,
        ast::CmpOp::Eq => Cmp::Eq,
    }
}

fn contact_kind(rule: Rule) -> ContactKind {
    match rule {
        Rule::kw_call => ContactKind::Call,
        Rule::kw_meeting => ContactKind::Meeting,
        Rule::kw_email => ContactKind::Email,
        Rule::kw_message => ContactKind::Message,
        Rule::kw_proposal => ContactKind::Proposal,
        Rule::kw_contract => ContactKind::Contract,
        Rule::kw_invoice => ContactKind::Invoice,
        Rule::kw_demo => ContactKind::Demo,
        _ => ContactKind::Task,
    }
}

const PIPELINE_KINDS: &[(&str, PipelineKind)] = &[
    ("продажа", PipelineKind::Sales),
    ("продажи", PipelineKind::Sales),
    ("sales", PipelineKind::Sales),
    ("аккаунтинг", PipelineKind::Account),
    ("account", PipelineKind::Account),
    ("ретаргетинг", PipelineKind::Retargeting),
    ("retargeting", PipelineKind::Retargeting),
    ("прогрев", PipelineKind::Nurturing),
    ("nurturing", PipelineKind::Nurturing),
];

const COLOURS: &[(&str, &str)] = &[
    ("красный", "#e53935"),
    ("red", "#e53935"),
    ("оранжевый", "#fb8c00"),
    ("orange", "#fb8c00"),
    ("жёлтый", "#fdd835"),
    ("желтый", "#fdd835"),
    ("yellow", "#fdd835"),
    ("зелёный", "#43a047"),
    ("зеленый", "#43a047"),
    ("green", "#43a047"),
    ("голубой", "#4fc3f7"),
    ("cyan", "#4fc3f7"),
    ("синий", "#1e88e5"),
    ("blue", "#1e88e5"),
    ("фиолетовый", "#8e24aa"),
    ("purple", "#8e24aa"),
    ("серый", "#9e9e9e"),
    ("grey", "#9e9e9e"),
    ("gray", "#9e9e9e"),
];

/// Statements that may appear more than once in a block.
fn repeatable(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::stage
            | Rule::contact
            | Rule::s_branch
            | Rule::s_failure
            | Rule::norm
            | Rule::acc_entry
            | Rule::cl_criterion
            | Rule::ob_step
            | Rule::change
            | Rule::rule_level
            | Rule::colour_band
            | Rule::pl_target
            | Rule::r_hires
            | Rule::a_text
    )
}

impl Lowerer {
    fn err(&mut self, kind: Kind, span: Span) {
        if self.broken_pipeline
            && matches!(
                kind,
                Kind::Undefined {
                    entity: Entity::Stage | Entity::Target,
                    ..
                }
            )
        {
            return;
        }
        self.diags.push(Diagnostic::new(kind, span));
    }

    // ─── Names ────────────────────────────────────────────────────────────────────────

    fn define(&mut self, ns: NameSpace, ident: &ast::Ident) {
        let key = (ns, ident.text.clone());
        if let Some(&first) = self.names.get(&key) {
            self.diags.push(
                Diagnostic::new(
                    Kind::Duplicate {
                        entity: entity(ns),
                        name: ident.text.clone(),
                    },
                    ident.span,
                )
                .with_label(first, Msg::new("впервые определено здесь", "first defined here")),
            );
        } else {
            self.names.insert(key, ident.span);
            self.index.definitions.push((symbol(ns, &ident.text), ident.span));
        }
    }

    fn declare(&mut self, items: &[&Stmt]) {
        for item in items {
            let ns = match item.key {
                Rule::role => NameSpace::Role,
                Rule::channel => NameSpace::Channel,
                Rule::pipeline => NameSpace::Pipeline,
                Rule::kpi => NameSpace::Kpi,
                Rule::reason => NameSpace::Reason,
                Rule::checklist => NameSpace::Checklist,
                Rule::report => NameSpace::Report,
                Rule::control => NameSpace::Control,
                Rule::interaction => NameSpace::Interaction,
                Rule::document => NameSpace::Document,
                Rule::meeting => NameSpace::Meeting,
                Rule::resource => NameSpace::Resource,
                _ => continue,
            };
            if let Some(name) = first_ident(item) {
                self.define(ns, name);
            }
            if item.key == Rule::pipeline {
                let pname = first_ident(item).map(|i| i.text.clone()).unwrap_or_default();
                let mut seen: HashMap<String, Span> = HashMap::new();
                let mut names = Vec::new();
                for st in item.children.iter().filter(|c| c.key == Rule::stage) {
                    if let Some(n) = first_ident(st) {
                        if let Some(&first) = seen.get(&n.text) {
                            self.diags.push(
                                Diagnostic::new(
                                    Kind::Duplicate {
                                        entity: Entity::Stage,
                                        name: n.text.clone(),
                                    },
                                    n.span,
                                )
                                .with_label(
                                    first,
                                    Msg::new("впервые определено здесь", "first defined here"),
                                ),
                            );
                        } else {
                            seen.insert(n.text.clone(), n.span);
                            names.push(n.text.clone());
                            let stage = Symbol::Stage {
                                pipeline: pname.clone(),
                                stage: n.text.clone(),
                            };
                            self.index.definitions.push((stage, n.span));
                        }
                    }
                }
                if !self.stages.iter().any(|(p, _)| *p == pname) {
                    self.stages.push((pname, names));
                }
            }
        }
    }

    fn declare_broken(&mut self, keyword: &str, name: &ast::Ident) {
        let ns = match keyword {
            "роль" | "role" => NameSpace::Role,
            "канал" | "channel" => NameSpace::Channel,
            "воронка" | "pipeline" => {
                self.broken_pipeline = true;
                NameSpace::Pipeline
            }
            "показатель" | "кпэ" | "kpi" => NameSpace::Kpi,
            "причина" | "reason" => NameSpace::Reason,
            "чек_лист" | "чек-лист" | "checklist" => NameSpace::Checklist,
            "отчёт" | "отчет" | "report" => NameSpace::Report,
            "контроль" | "control" => NameSpace::Control,
            "взаимодействие" | "interaction" => NameSpace::Interaction,
            "документ" | "инструкция" | "document" | "instruction" => NameSpace::Document,
            "совещание" | "meeting" => NameSpace::Meeting,
            "ресурс" | "resource" => NameSpace::Resource,
            _ => return,
        };
        if let std::collections::hash_map::Entry::Vacant(e) = self.names.entry((ns, name.text.clone())) {
            e.insert(name.span);
            // An item being edited still has a place to go to.
            self.index.definitions.push((symbol(ns, &name.text), name.span));
        }
    }

    fn candidates(&self, ns: NameSpace) -> Vec<String> {
        let mut v: Vec<String> = self
            .names
            .keys()
            .filter(|(n, _)| *n == ns)
            .map(|(_, s)| s.clone())
            .collect();
        v.sort();
        v
    }

    /// Resolves a reference; reports it when undefined. Returns the name either way.
    fn reference(&mut self, ns: NameSpace, ident: &ast::Ident) -> String {
        if self.names.contains_key(&(ns, ident.text.clone())) {
            self.index.uses.push((symbol(ns, &ident.text), ident.span));
        } else {
            let cands = self.candidates(ns);
            let suggestion = suggest(&ident.text, cands.iter().map(String::as_str));
            self.err(
                Kind::Undefined {
                    entity: entity(ns),
                    name: ident.text.clone(),
                    suggestion,
                },
                ident.span,
            );
        }
        ident.text.clone()
    }

    fn references(&mut self, ns: NameSpace, s: &Stmt) -> Vec<String> {
        idents(s).map(|i| self.reference(ns, i)).collect()
    }

    fn stage_names(&self, pipeline: &str) -> Option<&Vec<String>> {
        self.stages.iter().find(|(p, _)| p == pipeline).map(|(_, s)| s)
    }

    /// Resolves `Этап`, `Воронка` or `Воронка.Этап`, preferring stages of `current`.
    fn scope(&mut self, path: &ast::PathRef, current: Option<&str>) -> Option<Scope> {
        let scope = self.resolve_scope(path, current)?;
        match (&scope, &path.second) {
            (Scope::Stage { pipeline, stage }, Some(second)) => {
                self.index
                    .uses
                    .push((Symbol::Pipeline(pipeline.clone()), path.first.span));
                let stage = Symbol::Stage {
                    pipeline: pipeline.clone(),
                    stage: stage.clone(),
                };
                self.index.uses.push((stage, second.span));
            }
            (Scope::Stage { pipeline, stage }, None) => {
                let stage = Symbol::Stage {
                    pipeline: pipeline.clone(),
                    stage: stage.clone(),
                };
                self.index.uses.push((stage, path.first.span));
            }
            (Scope::Pipeline { pipeline }, _) => {
                self.index
                    .uses
                    .push((Symbol::Pipeline(pipeline.clone()), path.first.span));
            }
        }
        Some(scope)
    }

    fn resolve_scope(&mut self, path: &ast::PathRef, current: Option<&str>) -> Option<Scope> {
        let first = &path.first.text;
        if let Some(second) = &path.second {
            let Some(stages) = self.stage_names(first) else {
                self.reference(NameSpace::Pipeline, &path.first);
                return None;
            };
            if stages.contains(&second.text) {
                return Some(Scope::Stage {
                    pipeline: first.clone(),
                    stage: second.text.clone(),
                });
            }
            let suggestion = suggest(&second.text, stages.iter().map(String::as_str));
            self.err(
                Kind::Undefined {
                    entity: Entity::Stage,
                    name: path.display(),
                    suggestion,
                },
                second.span,
            );
            return None;
        }
        if let Some(cur) = current
            && self.stage_names(cur).is_some_and(|s| s.contains(first))
        {
            return Some(Scope::Stage {
                pipeline: cur.to_string(),
                stage: first.clone(),
            });
        }
        if self.stage_names(first).is_some() {
            return Some(Scope::Pipeline {
                pipeline: first.clone(),
            });
        }
        let owner = self
            .stages
            .iter()
            .find(|(_, s)| s.contains(first))
            .map(|(p, _)| p.clone());
        if let Some(pipeline) = owner {
            return Some(Scope::Stage {
                pipeline,
                stage: first.clone(),
            });
        }
        let all: Vec<String> = self
            .stages
            .iter()
            .flat_map(|(p, s)| std::iter::once(p.clone()).chain(s.iter().cloned()))
            .collect();
        let suggestion = suggest(first, all.iter().map(String::as_str));
        self.err(
            Kind::Undefined {
                entity: Entity::Target,
                name: path.display(),
                suggestion,
            },
            path.span,
        );
        None
    }

    // ─── Values ───────────────────────────────────────────────────────────────────────

    fn finite(&mut self, q: &ast::Quantity) -> Option<f64> {
        if !q.value.is_finite() || q.value.abs() > MAX_NUMBER {
            self.err(Kind::NumberOutOfRange { text: q.text.clone() }, q.span);
            return None;
        }
        Some(q.value)
    }

    fn non_negative(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.finite(q)?;
        if v < 0.0 {
            self.err(Kind::Negative { text: q.text.clone() }, q.span);
            return None;
        }
        Some(v)
    }

    fn wrong_unit(&mut self, q: &ast::Quantity, expected: UnitClass) {
        self.err(
            Kind::WrongUnit {
                expected,
                found: q.text.clone(),
            },
            q.span,
        );
    }

    /// `40%` or `0.4` → 0.4.
    fn probability(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.finite(q)?;
        let p = match q.unit {
            Some(Unit::Percent) => v / 100.0,
            // `конверсия 40`: a share without `%` must be a fraction.
            None if v > 1.0 && v <= 100.0 => {
                self.wrong_unit(q, UnitClass::Percent);
                return None;
            }
            None => v,
            Some(_) => {
                self.wrong_unit(q, UnitClass::Percent);
                return None;
            }
        };
        if !(0.0..=1.0).contains(&p) {
            self.err(Kind::ProbabilityOutOfRange { text: q.text.clone() }, q.span);
            return None;
        }
        Some(p)
    }

    /// A share that may exceed 100% (seasonality factors, plan shares).
    fn share(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.non_negative(q)?;
        match q.unit {
            Some(Unit::Percent) => Some(v / 100.0),
            None => Some(v),
            Some(_) => {
                self.wrong_unit(q, UnitClass::Percent);
                None
            }
        }
    }

    fn days(&mut self, q: &ast::Quantity, default: Option<Unit>) -> Option<f64> {
        let v = self.non_negative(q)?;
        let calendar = self.model.header.calendar();
        match q.unit.or(default).and_then(|u| calendar.days(v, u)) {
            Some(d) => Some(d),
            None => {
                self.wrong_unit(q, UnitClass::Duration);
                None
            }
        }
    }

    fn months(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.non_negative(q)?;
        let calendar = self.model.header.calendar();
        match q.unit.and_then(|u| calendar.months(v, u)) {
            Some(m) => Some(m),
            None => {
                self.wrong_unit(q, UnitClass::Duration);
                None
            }
        }
    }

    fn minutes(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.non_negative(q)?;
        match q.unit.and_then(|u| units::minutes(v, u)) {
            Some(m) => Some(m),
            None => {
                self.wrong_unit(q, UnitClass::WorkTime);
                None
            }
        }
    }

    fn hours(&mut self, q: &ast::Quantity) -> Option<f64> {
        self.minutes(q).map(|m| m / 60.0)
    }

    fn money(&mut self, q: &ast::Quantity) -> Option<f64> {
        let v = self.non_negative(q)?;
        match q.unit {
            None => Some(v),
            Some(u) if units::is_money(u) => Some(v),
            Some(_) => {
                self.wrong_unit(q, UnitClass::Money);
                None
            }
        }
    }

    /// `дозвон 50%`: a probability above 0 (an attempt that never reaches anyone is no attempt).
    fn reach(&mut self, q: &ast::Quantity) -> Option<f64> {
        let p = self.probability(q)?;
        if p <= 0.0 {
            self.err(
                Kind::OutOfRange {
                    text: q.text.clone(),
                    range: Msg::new("больше 0 % и не больше 100 %", "above 0% and at most 100%"),
                },
                q.span,
            );
            return None;
        }
        Some(p)
    }

    fn count(&mut self, q: &ast::Quantity) -> Option<u32> {
        let v = self.non_negative(q)?;
        if !matches!(q.unit, None | Some(Unit::Pieces)) {
            self.wrong_unit(q, UnitClass::Count);
            return None;
        }
        if v > u32::MAX as f64 {
            self.err(
                Kind::OutOfRange {
                    text: q.text.clone(),
                    range: Msg::new("не больше 4 294 967 295", "at most 4,294,967,295"),
                },
                q.span,
            );
            return None;
        }
        if v.fract() != 0.0 {
            self.err(Kind::NotWhole { text: q.text.clone() }, q.span);
            return None;
        }
        Some(v as u32)
    }

    /// A rate normalised to "per month".
    fn per_month(&mut self, r: &ast::Rate) -> Option<f64> {
        let v = self.non_negative(&r.amount)?;
        let v = match r.amount.unit {
            None | Some(Unit::Pieces) => v,
            Some(Unit::Percent) => v / 100.0,
            Some(u) if units::is_money(u) => v,
            Some(_) => {
                self.wrong_unit(&r.amount, UnitClass::Count);
                return None;
            }
        };
        Some(v * self.model.header.calendar().per_month(r.per))
    }

    fn date(&mut self, t: &ast::Text) -> Option<String> {
        let parts: Vec<u32> = t.value.split('-').filter_map(|p| p.parse().ok()).collect();
        let valid = match parts[..] {
            [y, m, d] => {
                let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                let days = match m {
                    1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                    4 | 6 | 9 | 11 => 30,
                    2 if leap => 29,
                    2 => 28,
                    _ => 0,
                };
                (1..=days).contains(&d)
            }
            _ => false,
        };
        if !valid {
            self.err(
                Kind::InvalidDate {
                    text: t.value.clone(),
                },
                t.span,
            );
            return None;
        }
        Some(t.value.clone())
    }

    /// A distribution of days (`unit_default` when no unit is written: none for durations).
    fn distribution(&mut self, d: &ast::Dist, money: bool) -> Option<Distribution> {
        let unit = d.unit;
        let conv = |cx: &mut Lowerer, q: &ast::Quantity| -> Option<f64> {
            let mut q = q.clone();
            q.value *= d.multiplier;
            if money {
                if q.unit.is_none() && unit.is_some_and(units::is_money) {
                    q.unit = unit;
                }
                cx.money(&q)
            } else {
                cx.days(&q, unit)
            }
        };
        use ast::DistKind as K;
        let out = match &d.kind {
            K::Fixed(q) => Distribution::Fixed {
                value: conv(self, q)?,
            },
            K::Uniform(a, b) => {
                // `1..3 дн`: the unit written last applies to the first bound too.
                let mut a2 = a.clone();
                if a2.unit.is_none() {
                    a2.unit = b.unit;
                }
                // `300..600 тыс ₽`: the multiplier written last applies to the first bound too.
                if a2.multiplier == 1.0 {
                    a2.value *= b.multiplier;
                }
                let (min, max) = (conv(self, &a2), conv(self, b));
                let (min, max) = (min?, max?);
                if min > max {
                    self.err(
                        Kind::EmptyRange {
                            low: a.text.clone(),
                            high: b.text.clone(),
                        },
                        d.span,
                    );
                    return None;
                }
                Distribution::Uniform { min, max }
            }
            K::Triangular(a, m, b) => {
                let (min, mode, max) = (conv(self, a), conv(self, m), conv(self, b));
                let (min, mode, max) = (min?, mode?, max?);
                if !(min <= mode && mode <= max) {
                    self.err(
                        Kind::InvalidParameter {
                            what: Msg::new("нужно мин ≤ мода ≤ макс", "min ≤ mode ≤ max is required"),
                        },
                        d.span,
                    );
                    return None;
                }
                Distribution::Triangular { min, mode, max }
            }
            K::LogNormal(m, s) => {
                let (mean, sd) = (conv(self, m), conv(self, s));
                let (mean, sd) = (mean?, sd?);
                if mean <= 0.0 {
                    self.err(
                        Kind::InvalidParameter {
                            what: Msg::new("среднее должно быть больше нуля", "the mean must be above zero"),
                        },
                        d.span,
                    );
                    return None;
                }
                Distribution::LogNormal { mean, sd }
            }
            K::Empirical(qs) => {
                let mut values = Vec::new();
                for q in qs {
                    values.push(conv(self, q)?);
                }
                Distribution::Empirical { values }
            }
        };
        Some(out)
    }

    fn bound(&mut self, b: &ast::Bound) -> Option<Bound> {
        let v = |cx: &mut Lowerer, q: &ast::Quantity| -> Option<f64> {
            let x = cx.finite(q)?;
            Some(if q.unit == Some(Unit::Percent) {
                x / 100.0
            } else {
                x
            })
        };
        self.bound_with(b, v)
    }

    /// A bound with each of its values read by `v`; both ends of a range are read (so both
    /// are reported) before an empty range is refused.
    fn bound_with(
        &mut self,
        b: &ast::Bound,
        v: impl Fn(&mut Lowerer, &ast::Quantity) -> Option<f64>,
    ) -> Option<Bound> {
        Some(match b {
            ast::Bound::Cmp(op, q) => Bound::Cmp {
                op: op.map(cmp_of).unwrap_or(Cmp::Ge),
                value: v(self, q)?,
            },
            ast::Bound::Range(a, q) => {
                let (min, max) = (v(self, a), v(self, q));
                let (min, max) = (min?, max?);
                if min > max {
                    self.err(
                        Kind::EmptyRange {
                            low: a.text.clone(),
                            high: q.text.clone(),
                        },
                        a.span.to(q.span),
                    );
                    return None;
                }
                Bound::Range { min, max }
            }
        })
    }

    fn formula(&mut self, e: &ast::Expr) -> Option<Formula> {
        use ast::Expr as E;
        Some(match e {
            E::Number(q) => Formula::Number {
                value: {
                    let x = self.finite(q)?;
                    if q.unit == Some(Unit::Percent) {
                        x / 100.0
                    } else {
                        x
                    }
                },
            },
            E::Counter(i) => Formula::Counter {
                counter: self.counter(i)?,
                scope: None,
            },
            E::Scoped(i, p) => {
                let counter = self.counter(i);
                let scope = self.scope(p, None);
                Formula::Counter {
                    counter: counter?,
                    scope: Some(scope?),
                }
            }
            E::Neg(a, _) => Formula::Neg {
                arg: Box::new(self.formula(a)?),
            },
            E::Binary(op, l, r, _) => {
                let (l, r) = (self.formula(l), self.formula(r));
                let (left, right) = (Box::new(l?), Box::new(r?));
                match op {
                    ast::BinOp::Add => Formula::Add { left, right },
                    ast::BinOp::Sub => Formula::Sub { left, right },
                    ast::BinOp::Mul => Formula::Mul { left, right },
                    ast::BinOp::Div => Formula::Div { left, right },
                }
            }
        })
    }

    fn counter(&mut self, i: &ast::Ident) -> Option<Counter> {
        let c = Counter::from_name(&i.text);
        if c.is_none() {
            let suggestion = suggest(&i.text, Counter::all_names());
            self.err(
                Kind::UnknownCounter {
                    name: i.text.clone(),
                    suggestion,
                },
                i.span,
            );
        }
        c
    }

    fn colour(&mut self, s: &Stmt) -> Option<String> {
        let (value, span) = match s.args.first()? {
            Arg::Str(t) => (t.value.clone(), t.span),
            Arg::Ident(i) => (i.text.clone(), i.span),
            _ => return None,
        };
        let hex = value.strip_prefix('#').unwrap_or("");
        if (hex.len() == 6 || hex.len() == 3) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Some(value.to_lowercase());
        }
        if let Some((_, hex)) = COLOURS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&value) || *n == value.to_lowercase())
        {
            return Some(hex.to_string());
        }
        self.err(Kind::InvalidColour { value }, span);
        None
    }

    /// Reports attributes given twice in one block.
    fn no_duplicates(&mut self, block: &[Stmt]) {
        let mut seen: HashMap<Rule, Span> = HashMap::new();
        for s in block {
            if repeatable(s.key) {
                continue;
            }
            if let Some(&first) = seen.get(&s.key) {
                let attribute = s.keyword.clone();
                self.diags.push(
                    Diagnostic::new(Kind::DuplicateAttribute { attribute }, s.head)
                        .with_label(first, Msg::new("впервые указан здесь", "first given here")),
                );
            } else {
                seen.insert(s.key, s.head);
            }
        }
    }

    fn description(&mut self, block: &[Stmt]) -> Option<String> {
        let parts: Vec<String> = block
            .iter()
            .filter(|s| matches!(s.key, Rule::a_description | Rule::a_text))
            .filter_map(text_of)
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n\n"))
    }

    // ─── Items ────────────────────────────────────────────────────────────────────────

    /// A comma between digits inside a list (`12,5` in `10, 12,5, 15`) is read as a decimal
    /// comma; that is rarely what the writer of a list meant, so say so.
    fn decimal_commas(&mut self, stmt: &Stmt) {
        let listed = stmt.args.iter().filter(|a| matches!(a, Arg::Quantity(_))).count() >= 2;
        for a in &stmt.args {
            let qs: Vec<&ast::Quantity> = match a {
                Arg::Quantity(q) if listed => vec![q],
                Arg::Dist(d) => match &d.kind {
                    ast::DistKind::Triangular(a, b, c) => vec![a, b, c],
                    ast::DistKind::LogNormal(a, b) => vec![a, b],
                    ast::DistKind::Empirical(v) => v.iter().collect(),
                    _ => vec![],
                },
                _ => vec![],
            };
            for q in qs.into_iter().filter(|q| q.decimal_comma) {
                self.diags.push(Diagnostic::new(Kind::DecimalCommaList, q.span));
            }
        }
        for c in &stmt.children {
            self.decimal_commas(c);
        }
    }

    fn item(&mut self, item: &Stmt) {
        self.decimal_commas(item);
        if item.key != Rule::include && item.key != Rule::term && item.key != Rule::reason {
            self.no_duplicates(&item.children);
        }
        match item.key {
            Rule::include => {}
            Rule::regulation => self.header(item),
            Rule::role => self.role(item),
            Rule::channel => self.channel(item),
            Rule::pipeline => self.pipeline(item),
            Rule::kpi => self.kpi(item),
            Rule::norms => self.norms(item),
            Rule::plan => self.plan(item),
            Rule::accounting => self.accounting(item),
            Rule::control => self.control(item),
            Rule::report => self.report(item),
            Rule::interaction => self.interaction(item),
            Rule::document => self.document(item),
            Rule::reason => self.reason(item),
            Rule::checklist => self.checklist(item),
            Rule::meeting => self.meeting(item),
            Rule::term => {
                let mut texts = item.args.iter().filter_map(|a| match a {
                    Arg::Str(t) => Some(t.value.clone()),
                    Arg::Ident(i) => Some(i.text.clone()),
                    _ => None,
                });
                if let (Some(term), Some(definition)) = (texts.next(), texts.next()) {
                    self.model.glossary.push(Term { term, definition });
                }
            }
            Rule::resource => self.resource(item),
            Rule::onboarding => self.onboarding(item),
            Rule::changes => {
                for c in &item.children {
                    let mut st = strings(c);
                    let version = st.next().map(|t| t.value.clone()).unwrap_or_default();
                    let summary = st.next().map(|t| t.value.clone()).unwrap_or_default();
                    let author = st.next().map(|t| t.value.clone());
                    let date = c
                        .args
                        .iter()
                        .find_map(|a| match a {
                            Arg::Date(t) => Some(t.clone()),
                            _ => None,
                        })
                        .and_then(|t| self.date(&t))
                        .unwrap_or_default();
                    self.model.changes.push(Change {
                        version,
                        date,
                        summary,
                        author,
                    });
                }
            }
            Rule::rules => {
                for r in &item.children {
                    let level = match word(r) {
                        Some(Rule::kw_allow) => Level::Allow,
                        Some(Rule::kw_deny) => Level::Deny,
                        _ => Level::Warn,
                    };
                    for a in &r.args {
                        if let Arg::Code(code) = a {
                            match crate::check::levels::validate(&code.value) {
                                Ok(()) => {}
                                Err(crate::check::levels::LevelError::NotAWarning) => {
                                    self.err(
                                        Kind::ErrorNotAdjustable {
                                            code: code.value.clone(),
                                        },
                                        code.span,
                                    );
                                    continue;
                                }
                                Err(crate::check::levels::LevelError::Unknown { suggestion }) => {
                                    self.err(
                                        Kind::UnknownLintCode {
                                            code: code.value.clone(),
                                            suggestion,
                                        },
                                        code.span,
                                    );
                                    continue;
                                }
                            }
                            self.model.lint_levels.push(LintLevel {
                                code: code.value.clone(),
                                level,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn header(&mut self, item: &Stmt) {
        if let Some(first) = self.header_seen {
            self.diags.push(
                Diagnostic::new(
                    Kind::DuplicateSection {
                        section: Msg::new("положение", "regulation"),
                    },
                    item.head,
                )
                .with_label(first, Msg::new("впервые указан здесь", "first given here")),
            );
            return;
        }
        self.header_seen = Some(item.head);
        let mut h = Header {
            title: text_of(item),
            span: item.span,
            ..Header::default()
        };
        let (mut horizon, mut step) = (None, None);
        for s in &item.children {
            let t = text_of(s);
            let q = quantities(s).next();
            match s.key {
                Rule::h_company => h.company = t,
                Rule::h_department => h.department = t,
                Rule::h_version => h.version = t,
                Rule::h_effective => {
                    if let Some(Arg::Date(d)) = s.args.first() {
                        h.effective = self.date(d);
                    }
                }
                Rule::h_owner => h.owner = t.or_else(|| first_ident(s).map(|i| i.text.clone())),
                Rule::h_approver => h.approver = t,
                Rule::h_product => h.product = t,
                Rule::h_currency => {
                    h.currency = match word(s) {
                        Some(Rule::unit_usd) => Currency::Usd,
                        Some(Rule::unit_eur) => Currency::Eur,
                        _ => Currency::Rub,
                    }
                }
                // Converted below, on this header's working week.
                Rule::h_horizon => horizon = q,
                Rule::h_step => step = q,
                Rule::h_start => {
                    h.start = match word(s) {
                        Some(Rule::kw_new) => Some(StartKind::New),
                        _ => Some(StartKind::Established),
                    }
                }
                Rule::h_work_week => {
                    if let Some(q) = q
                        && let Some(v) = self.non_negative(q)
                    {
                        if !matches!(q.unit, None | Some(Unit::Days)) {
                            self.wrong_unit(q, UnitClass::Count);
                        } else if v == 0.0 || v > 7.0 {
                            self.err(
                                Kind::OutOfRange {
                                    text: q.text.clone(),
                                    range: Msg::new("от 1 до 7 дней", "1 to 7 days"),
                                },
                                q.span,
                            );
                        } else {
                            h.work_week_days = v;
                        }
                    }
                }
                _ => {}
            }
        }
        h.description = self.description(&item.children);
        self.model.header = h;
        let horizon = horizon.and_then(|q| self.months(q));
        let step = step.and_then(|q| self.months(q));
        self.model.header.horizon_months = horizon;
        self.model.header.step_months = step;
    }

    fn role(&mut self, item: &Stmt) {
        let mut r = Role {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            headcount: 1,
            reports_to: None,
            work_day_hours: 8.0,
            selling_share: 1.0,
            ramp_up_months: None,
            attrition_per_year: None,
            hires: Vec::new(),
            salary: None,
            soft_salary_share: None,
            bonus: None,
            function: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            let q = quantities(s).next();
            match s.key {
                Rule::r_headcount => {
                    if let Some(n) = q.and_then(|q| self.count(q)) {
                        r.headcount = n;
                    }
                }
                Rule::r_reports_to => {
                    r.reports_to = first_ident(s).map(|i| self.reference(NameSpace::Role, i))
                }
                Rule::r_work_day => {
                    if let Some(h) = q.and_then(|q| self.hours(q)) {
                        if h > 24.0 {
                            self.err(
                                Kind::OutOfRange {
                                    text: q.map(|q| q.text.clone()).unwrap_or_default(),
                                    range: Msg::new("не больше 24 ч", "at most 24 h"),
                                },
                                s.span,
                            );
                        } else {
                            r.work_day_hours = h;
                        }
                    }
                }
                Rule::r_selling_share => {
                    if let Some(p) = q.and_then(|q| self.probability(q)) {
                        r.selling_share = p;
                    }
                }
                Rule::r_ramp_up => r.ramp_up_months = q.and_then(|q| self.months(q)),
                Rule::r_attrition => {
                    r.attrition_per_year = match s.args.first() {
                        Some(Arg::Rate(rate)) => {
                            let per_year = 12.0 * self.model.header.calendar().per_month(rate.per);
                            self.probability(&rate.amount).map(|p| (p * per_year).min(1.0))
                        }
                        Some(Arg::Quantity(q)) => self.probability(q),
                        _ => None,
                    }
                }
                Rule::r_hires => {
                    let mut qs = quantities(s);
                    let count = qs.next().and_then(|q| self.count(q)).unwrap_or(0);
                    let from_month = qs.next().and_then(|q| self.months(q));
                    let from_date = s
                        .args
                        .iter()
                        .find_map(|a| match a {
                            Arg::Date(t) => Some(t.clone()),
                            _ => None,
                        })
                        .and_then(|t| self.date(&t));
                    r.hires.push(Hire {
                        count,
                        from_date,
                        from_month,
                    });
                }
                Rule::r_salary => r.salary = q.and_then(|q| self.money(q)),
                Rule::r_soft_salary => r.soft_salary_share = q.and_then(|q| self.probability(q)),
                Rule::r_bonus => {
                    if let Some(q) = q {
                        let base = match word(s) {
                            Some(Rule::kw_of_margin) => BonusBase::Margin,
                            Some(Rule::kw_of_plan) => BonusBase::Plan,
                            _ => BonusBase::Revenue,
                        };
                        let is_share = q.unit == Some(Unit::Percent);
                        let value = if is_share { self.share(q) } else { self.money(q) };
                        if let Some(value) = value {
                            r.bonus = Some(Bonus {
                                value,
                                is_share,
                                base,
                            });
                        }
                    }
                }
                Rule::r_function => {
                    r.function = word(s).map(|w| match w {
                        Rule::kw_hunter => RoleFunction::Hunter,
                        Rule::kw_closer => RoleFunction::Closer,
                        Rule::kw_farmer => RoleFunction::Farmer,
                        Rule::kw_head => RoleFunction::Head,
                        Rule::kw_qa => RoleFunction::Quality,
                        _ => RoleFunction::Support,
                    })
                }
                _ => {}
            }
        }
        self.model.roles.push(r);
    }

    fn channel(&mut self, item: &Stmt) {
        let mut c = Channel {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            leads_per_month: 0.0,
            seasonality: Vec::new(),
            lead_cost: None,
            pipeline: None,
            team: None,
            first_response_minutes: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            let q = quantities(s).next();
            match s.key {
                Rule::c_leads => {
                    if let Some(Arg::Rate(r)) = s.args.first()
                        && let Some(v) = self.per_month(r)
                    {
                        c.leads_per_month = v;
                    }
                }
                Rule::c_seasonality => {
                    let qs: Vec<&ast::Quantity> = quantities(s).collect();
                    if qs.len() != 12 {
                        self.err(Kind::SeasonalityCount { count: qs.len() }, s.span);
                    } else {
                        c.seasonality = qs.into_iter().filter_map(|q| self.share(q)).collect();
                    }
                }
                Rule::c_lead_cost => c.lead_cost = q.and_then(|q| self.money(q)),
                Rule::c_pipeline => {
                    c.pipeline = first_ident(s).map(|i| self.reference(NameSpace::Pipeline, i))
                }
                Rule::c_team => c.team = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::c_response => c.first_response_minutes = q.and_then(|q| self.minutes(q)),
                _ => {}
            }
        }
        self.model.channels.push(c);
    }

    fn pipeline(&mut self, item: &Stmt) {
        let name = first_ident(item).map(|i| i.text.clone()).unwrap_or_default();
        let mut p = Pipeline {
            name: name.clone(),
            title: text_of(item),
            kind: PipelineKind::Sales,
            entry: None,
            exit: None,
            deal_size: None,
            repeat: None,
            owner: None,
            description: self.description(&item.children),
            stages: Vec::new(),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::p_entry => p.entry = text_of(s),
                Rule::p_exit => p.exit = text_of(s),
                Rule::p_kind => {
                    if let Some(i) = first_ident(s) {
                        match PIPELINE_KINDS.iter().find(|(n, _)| *n == i.text.to_lowercase()) {
                            Some((_, k)) => p.kind = *k,
                            None => {
                                let suggestion = suggest(&i.text, PIPELINE_KINDS.iter().map(|(n, _)| *n));
                                self.err(
                                    Kind::UnknownPipelineKind {
                                        value: i.text.clone(),
                                        suggestion,
                                    },
                                    i.span,
                                );
                            }
                        }
                    }
                }
                Rule::p_deal_size => {
                    if let Some(Arg::Dist(d)) = s.args.first() {
                        p.deal_size = self.distribution(d, true);
                    }
                }
                Rule::p_repeat => {
                    let probability = quantities(s).next().and_then(|q| self.probability(q));
                    let after_days = s.args.iter().find_map(|a| match a {
                        Arg::Dist(d) => Some(d.clone()),
                        _ => None,
                    });
                    let after_days = after_days.and_then(|d| self.distribution(&d, false));
                    if let Some(probability) = probability {
                        p.repeat = Some(Repeat {
                            probability,
                            after_days,
                        });
                    }
                }
                Rule::p_owner => p.owner = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                _ => {}
            }
        }
        let stage_items: Vec<&Stmt> = item.children.iter().filter(|c| c.key == Rule::stage).collect();
        if stage_items.is_empty() {
            self.err(Kind::EmptyPipeline { name: name.clone() }, item.head);
        }
        let pipeline_index = self.model.pipelines.len();
        for (i, st) in stage_items.iter().enumerate() {
            let next = stage_items
                .get(i + 1)
                .and_then(|n| first_ident(n))
                .map(|n| n.text.clone());
            let stage = self.stage(st, &name, next, pipeline_index, i);
            p.stages.push(stage);
        }
        self.model.pipelines.push(p);
    }

    fn stage(&mut self, st: &Stmt, pipeline: &str, next: Option<String>, pi: usize, si: usize) -> Stage {
        self.no_duplicates(&st.children);
        let mut s = Stage {
            name: first_ident(st).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(st),
            owner: None,
            conversion: None,
            duration_days: None,
            chain: Vec::new(),
            entry_criterion: None,
            exit_criterion: None,
            required_fields: Vec::new(),
            guidance: None,
            colour: None,
            deal_probability: None,
            crm_code: None,
            limit_days: None,
            wait_limit_days: None,
            decay_per_day: None,
            transitions: Vec::new(),
            span: st.span,
            colour_written: None,
        };
        let mut success: Option<(Destination, Span, Option<ast::PathRef>)> = None;
        let mut branches: Vec<(f64, Destination, Span, Option<ast::PathRef>)> = Vec::new();
        let mut failures: Vec<(Option<f64>, Destination, Span, Option<ast::PathRef>)> = Vec::new();
        let mut guidance = Vec::new();
        for a in &st.children {
            let q = quantities(a).next();
            match a.key {
                Rule::s_owner => s.owner = first_ident(a).map(|i| self.reference(NameSpace::Role, i)),
                Rule::s_conversion => s.conversion = q.and_then(|q| self.probability(q)),
                Rule::s_duration => {
                    if let Some(Arg::Dist(d)) = a.args.first() {
                        s.duration_days = self.distribution(d, false);
                    }
                }
                Rule::s_chain => {
                    for c in &a.children {
                        if c.key == Rule::contact {
                            let contact = self.contact(c, pipeline, pi, si, s.chain.len());
                            s.chain.push(contact);
                        }
                    }
                }
                Rule::s_exit_criterion => s.exit_criterion = text_of(a),
                Rule::s_entry_criterion => s.entry_criterion = text_of(a),
                Rule::s_fields => s.required_fields = strings(a).map(|t| t.value.clone()).collect(),
                Rule::s_guidance | Rule::a_description | Rule::a_text => guidance.extend(text_of(a)),
                Rule::s_colour => {
                    s.colour = self.colour(a);
                    let hex = matches!(a.args.first(), Some(Arg::Str(t)) if t.value.starts_with('#'));
                    s.colour_written = s.colour.as_ref().map(|_| (a.span, hex));
                }
                Rule::s_probability => s.deal_probability = q.and_then(|q| self.probability(q)),
                Rule::s_code => {
                    let (code, span) = match a.args.first() {
                        Some(Arg::Ident(i)) => (i.text.clone(), i.span),
                        Some(Arg::Str(t)) => (t.value.clone(), t.span),
                        _ => continue,
                    };
                    if code.is_empty()
                        || !code
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        self.err(Kind::InvalidCrmCode { code }, span);
                    } else {
                        s.crm_code = Some(code);
                    }
                }
                Rule::s_limit => s.limit_days = q.and_then(|q| self.days(q, None)),
                Rule::s_wait_limit => s.wait_limit_days = q.and_then(|q| self.days(q, None)),
                Rule::s_decay => {
                    if let Some(Arg::Rate(r)) = a.args.first()
                        && let Some(p) = self.probability(&r.amount)
                    {
                        let per_day = self.model.header.calendar().days(1.0, r.per).unwrap_or(1.0);
                        s.decay_per_day = Some(p / per_day);
                    }
                }
                Rule::s_success => {
                    if let Some((d, path)) = self.destination(a) {
                        success = Some((d, a.span, path));
                    }
                }
                Rule::s_branch => {
                    let share = q.and_then(|q| self.probability(q));
                    if let (Some(share), Some((d, path))) = (share, self.destination(a)) {
                        branches.push((share, d, a.span, path));
                    }
                }
                Rule::s_failure => {
                    let share = q.and_then(|q| self.probability(q));
                    if let Some((d, path)) = self.destination(a) {
                        failures.push((share, d, a.span, path));
                    }
                }
                _ => {}
            }
        }
        s.guidance = (!guidance.is_empty()).then(|| guidance.join("\n\n"));
        // Transitions: success splits into branches and the rest; failure into its shares.
        let conv = s.conversion.unwrap_or(1.0);
        let branch_total: f64 = branches.iter().map(|b| b.0).sum();
        let default_success = Destination::Stage {
            pipeline: pipeline.to_string(),
            stage: next.clone().unwrap_or_default(),
        };
        let default_success = if next.is_some() {
            default_success
        } else {
            Destination::Won
        };
        let push = |s: &mut Stage,
                    kind,
                    probability,
                    to,
                    explicit,
                    span,
                    path: Option<ast::PathRef>,
                    pending: &mut Vec<Pending>| {
            if let Some(path) = path {
                pending.push(Pending {
                    pipeline: pi,
                    stage: si,
                    slot: Slot::Transition(s.transitions.len()),
                    path,
                    current_pipeline: pipeline.to_string(),
                });
            }
            s.transitions.push(Transition {
                kind,
                probability,
                to,
                explicit,
                contact: None,
                span,
            });
        };
        self.check_shares(conv, &branches, &success, &failures);
        let mut pending = std::mem::take(&mut self.pending);
        for (share, d, span, path) in branches {
            push(
                &mut s,
                TransitionKind::Success,
                conv * share,
                d,
                true,
                span,
                path,
                &mut pending,
            );
        }
        let rest = (1.0 - branch_total).max(0.0);
        if rest > 0.0 {
            match success {
                Some((d, span, path)) => push(
                    &mut s,
                    TransitionKind::Success,
                    conv * rest,
                    d,
                    true,
                    span,
                    path,
                    &mut pending,
                ),
                None => push(
                    &mut s,
                    TransitionKind::Success,
                    conv * rest,
                    default_success,
                    false,
                    st.head,
                    None,
                    &mut pending,
                ),
            }
        }
        if conv < 1.0 {
            let fail = 1.0 - conv;
            let given: f64 = failures.iter().filter_map(|f| f.0).sum();
            let unshared = failures.iter().filter(|f| f.0.is_none()).count();
            let each_rest = if unshared > 0 {
                (1.0 - given).max(0.0) / unshared as f64
            } else {
                0.0
            };
            let mut covered = 0.0;
            for (share, d, span, path) in failures {
                let share = share.unwrap_or(each_rest);
                covered += share;
                push(
                    &mut s,
                    TransitionKind::Failure,
                    fail * share,
                    d,
                    true,
                    span,
                    path,
                    &mut pending,
                );
            }
            if covered < 1.0 - 1e-9 {
                push(
                    &mut s,
                    TransitionKind::Failure,
                    fail * (1.0 - covered),
                    Destination::Lost { reason: None },
                    false,
                    st.head,
                    None,
                    &mut pending,
                );
            }
        }
        self.pending = pending;
        s
    }

    /// Shares that cannot all hold (E0033) and transitions left with nothing (E0034).
    fn check_shares(
        &mut self,
        conv: f64,
        branches: &[(f64, Destination, Span, Option<ast::PathRef>)],
        success: &Option<(Destination, Span, Option<ast::PathRef>)>,
        failures: &[(Option<f64>, Destination, Span, Option<ast::PathRef>)],
    ) {
        const EPS: f64 = 1e-9;
        let branch_total: f64 = branches.iter().map(|b| b.0).sum();
        if branch_total > 1.0 + EPS {
            let span = branches.last().map(|b| b.2).unwrap_or_default();
            self.err(
                Kind::SharesOverflow {
                    failure: false,
                    total: branch_total,
                },
                span,
            );
        } else if branch_total >= 1.0 - EPS
            && let Some((_, span, _)) = success
        {
            let why = Msg::new(
                "ветки уже забирают 100 % успехов этапа",
                "the branches already take 100% of the stage's successes",
            );
            self.err(Kind::NeverTaken { why }, *span);
        }
        if failures.is_empty() {
            return;
        }
        if conv >= 1.0 - EPS {
            for f in failures {
                let why = Msg::new(
                    "конверсия этапа 100 % (или не указана), отказов не бывает",
                    "the stage converts 100% (or gives no conversion), so it never fails",
                );
                self.err(Kind::NeverTaken { why }, f.2);
            }
            return;
        }
        let given: f64 = failures.iter().filter_map(|f| f.0).sum();
        if given > 1.0 + EPS {
            let span = failures
                .iter()
                .rev()
                .find(|f| f.0.is_some())
                .map(|f| f.2)
                .unwrap_or_default();
            self.err(
                Kind::SharesOverflow {
                    failure: true,
                    total: given,
                },
                span,
            );
        } else if given >= 1.0 - EPS {
            for f in failures.iter().filter(|f| f.0.is_none()) {
                let why = Msg::new(
                    "доли остальных отказов уже дают 100 %",
                    "the shares of the other failures already make 100%",
                );
                self.err(Kind::NeverTaken { why }, f.2);
            }
        }
    }

    /// The destination of a transition statement; a bare path is resolved later.
    fn destination(&mut self, a: &Stmt) -> Option<(Destination, Option<ast::PathRef>)> {
        let reason = a
            .args
            .iter()
            .skip_while(|x| !matches!(x, Arg::Target(_)))
            .find_map(|x| match x {
                Arg::Ident(i) => Some(i.clone()),
                _ => None,
            })
            .map(|i| self.reference(NameSpace::Reason, &i));
        let target = a.args.iter().find_map(|x| match x {
            Arg::Target(t) => Some(t.clone()),
            _ => None,
        })?;
        Some(match target {
            ast::Target::Won(_) => (Destination::Won, None),
            ast::Target::Lost(_) => (Destination::Lost { reason }, None),
            ast::Target::Path(p) => (Destination::Lost { reason }, Some(p)),
        })
    }

    fn contact(&mut self, c: &Stmt, pipeline: &str, pi: usize, si: usize, ci: usize) -> Contact {
        let mut contact = Contact {
            kind: contact_kind(word(c).unwrap_or(Rule::kw_task)),
            title: text_of(c),
            work_minutes: quantities(c).next().and_then(|q| self.minutes(q)),
            delay_days: None,
            attempts: None,
            reach: None,
            otherwise: None,
            owner: None,
            span: c.span,
        };
        for a in &c.children {
            let q = quantities(a).next();
            match a.key {
                Rule::k_after => contact.delay_days = q.and_then(|q| self.days(q, None)),
                Rule::k_attempts => contact.attempts = q.and_then(|q| self.count(q)),
                Rule::k_reach => contact.reach = q.and_then(|q| self.reach(q)),
                Rule::k_owner => contact.owner = first_ident(a).map(|i| self.reference(NameSpace::Role, i)),
                Rule::k_otherwise => {
                    if let Some((d, path)) = self.destination(a) {
                        contact.otherwise = Some(d);
                        if let Some(path) = path {
                            self.pending.push(Pending {
                                pipeline: pi,
                                stage: si,
                                slot: Slot::Contact(ci),
                                path,
                                current_pipeline: pipeline.to_string(),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        contact
    }

    /// A stage, or a pipeline meaning its first stage (a hand-off).
    fn destination_of(&mut self, path: &ast::PathRef, current: Option<&str>) -> Option<Destination> {
        Some(match self.scope(path, current)? {
            Scope::Stage { pipeline, stage } => Destination::Stage { pipeline, stage },
            Scope::Pipeline { pipeline } => {
                let stage = self
                    .stage_names(&pipeline)
                    .and_then(|s| s.first().cloned())
                    .unwrap_or_default();
                Destination::Stage { pipeline, stage }
            }
        })
    }

    /// Resolves transition targets written as names, now that every pipeline is known.
    fn resolve_destinations(&mut self) {
        for p in std::mem::take(&mut self.pending) {
            let Some(resolved) = self.destination_of(&p.path, Some(&p.current_pipeline)) else {
                continue;
            };
            let stage = &mut self.model.pipelines[p.pipeline].stages[p.stage];
            match p.slot {
                Slot::Transition(t) => stage.transitions[t].to = resolved,
                Slot::Contact(c) => stage.chain[c].otherwise = Some(resolved),
            }
        }
    }

    fn kpi(&mut self, item: &Stmt) {
        let mut k = Kpi {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            kind: None,
            direction: None,
            formula: None,
            formula_text: None,
            unit: None,
            period: None,
            roles: Vec::new(),
            department: false,
            target: None,
            colours: Vec::new(),
            weight: None,
            description: self.description(&item.children),
            span: item.span,
        };
        let mut bands = Vec::new();
        for s in &item.children {
            match s.key {
                Rule::k_leading => k.kind = Some(KpiKind::Leading),
                Rule::k_lagging => k.kind = Some(KpiKind::Lagging),
                Rule::k_direction => {
                    k.direction = word(s).map(|w| match w {
                        Rule::kw_lower => Direction::LowerIsBetter,
                        Rule::kw_band => Direction::WithinBand,
                        _ => Direction::HigherIsBetter,
                    })
                }
                Rule::k_formula => {
                    if let Some(Arg::Expr(e)) = s.args.first() {
                        k.formula = self.formula(e);
                        k.formula_text = Some(expr_text(e));
                    }
                }
                Rule::k_unit => {
                    k.unit = match s.args.first() {
                        Some(Arg::Str(t)) => Some(t.value.clone()),
                        Some(Arg::Word(r, _)) => Some(unit_symbol(*r).to_string()),
                        _ => None,
                    }
                }
                Rule::k_period => k.period = word(s).and_then(period_of),
                Rule::k_roles => {
                    for a in &s.args {
                        match a {
                            Arg::Ident(i) => {
                                let r = self.reference(NameSpace::Role, i);
                                k.roles.push(r);
                            }
                            Arg::Word(..) => k.department = true,
                            _ => {}
                        }
                    }
                }
                Rule::k_target => {
                    if let Some(Arg::Bound(b)) = s.args.first() {
                        k.target = self.bound(b);
                    }
                }
                Rule::k_colours => {
                    for band in &s.children {
                        let colour = match word(band) {
                            Some(Rule::kw_red) => Colour::Red,
                            Some(Rule::kw_yellow) => Colour::Yellow,
                            _ => Colour::Green,
                        };
                        if let Some(b) = band.args.iter().find_map(|a| match a {
                            Arg::Bound(b) => Some(b.clone()),
                            _ => None,
                        }) {
                            bands.push((colour, b));
                        }
                    }
                }
                Rule::k_weight => k.weight = quantities(s).next().and_then(|q| self.probability(q)),
                _ => {}
            }
        }
        // Bands after the loop: reading one needs the KPI's unit and target, written anywhere.
        for (colour, b) in bands {
            if let Some(bound) = self.band(&b, k.unit.as_deref(), k.target.as_ref()) {
                k.colours.push(ColourBand { colour, bound });
            }
        }
        self.model.kpis.push(k);
    }

    /// A colour band's bound as a share of the target. A bound in `%` is a share of the target
    /// already (`красный < 60%`); one in the KPI's own unit (`красный < 30 млн ₽` on a ₽ KPI,
    /// `красный < 30` on a count) is divided by a single-value target in that unit. Anything
    /// else is E0045: a bare number on a `%`, money or time KPI (`красный < 60` on a
    /// conversion would be read as 6000 % of the target), or a unit that is not the KPI's.
    fn band(&mut self, b: &ast::Bound, unit: Option<&str>, target: Option<&Bound>) -> Option<Bound> {
        let v = |cx: &mut Lowerer, q: &ast::Quantity| -> Option<f64> {
            let x = cx.finite(q)?;
            if q.unit == Some(Unit::Percent) {
                return Some(x / 100.0);
            }
            let own = band_in_unit(x, q.unit, unit);
            let target = match target {
                Some(Bound::Cmp { value, .. }) if value.is_finite() && *value != 0.0 => Some(*value),
                _ => None,
            };
            let fix = (q.unit.is_none() && q.multiplier == 1.0).then(|| format!("{}%", q.text));
            match (own, target) {
                (Some(x), Some(t)) => {
                    // The target is in the KPI's unit as written; compare like with like.
                    let t = unit_base(t, unit);
                    Some(x / t)
                }
                (own, _) => {
                    // A bare number's span may run on over the line break after it; point at
                    // the digits.
                    let span = match q.unit {
                        None => Span {
                            end: q.span.end.min(q.span.start + q.text.len() as u32),
                            ..q.span
                        },
                        Some(_) => q.span,
                    };
                    cx.err(
                        Kind::ColourBandUnit {
                            text: q.text.clone(),
                            unit: unit.unwrap_or_default().to_string(),
                            needs_target: own.is_some(),
                            fix,
                        },
                        span,
                    );
                    None
                }
            }
        };
        self.bound_with(b, v)
    }

    fn norms(&mut self, item: &Stmt) {
        let role = match item.args.first() {
            Some(Arg::Ident(i)) => Some(self.reference(NameSpace::Role, i)),
            _ => None,
        };
        let mut set = NormSet {
            role,
            title: text_of(item),
            norms: Vec::new(),
            span: item.span,
        };
        for n in item.children.iter().filter(|c| c.key == Rule::norm) {
            let (subject, counter, scope) = match n.args.first() {
                Some(Arg::Ident(i)) => {
                    let c = self.counter(i);
                    (i.text.clone(), c, None)
                }
                Some(Arg::Expr(e @ ast::Expr::Scoped(i, p))) => {
                    let c = self.counter(i);
                    let sc = self.scope(p, None);
                    (expr_text(e), c, sc)
                }
                _ => continue,
            };
            let op = n
                .args
                .iter()
                .find_map(|a| match a {
                    Arg::Cmp(op, _) => Some(cmp_of(*op)),
                    _ => None,
                })
                .unwrap_or(Cmp::Ge);
            let title = strings(n).next().map(|t| t.value.clone());
            let (value, per, unit) = match n
                .args
                .iter()
                .find(|a| matches!(a, Arg::Rate(_) | Arg::Quantity(_)))
            {
                Some(Arg::Rate(r)) => {
                    let v = self.non_negative(&r.amount);
                    (v, period_of(unit_rule(r.per)), None)
                }
                Some(Arg::Quantity(q)) => match q.unit {
                    Some(Unit::Percent) => (self.probability(q), None, Some("share".to_string())),
                    Some(Unit::Minutes | Unit::Hours) => (self.minutes(q), None, Some("minutes".to_string())),
                    Some(u) if self.model.header.calendar().days(1.0, u).is_some() => {
                        (self.days(q, None), None, Some("days".to_string()))
                    }
                    Some(u) if units::is_money(u) => (self.money(q), None, Some("money".to_string())),
                    _ => (self.non_negative(q), None, None),
                },
                _ => (None, None, None),
            };
            if let Some(value) = value {
                set.norms.push(Norm {
                    subject,
                    counter,
                    scope,
                    op,
                    value,
                    per,
                    unit,
                    title,
                    span: n.span,
                });
            }
        }
        self.model.norms.push(set);
    }

    fn plan(&mut self, item: &Stmt) {
        if let Some(first) = self.plan_seen {
            self.diags.push(
                Diagnostic::new(
                    Kind::DuplicateSection {
                        section: Msg::new("план", "plan"),
                    },
                    item.head,
                )
                .with_label(first, Msg::new("впервые указан здесь", "first given here")),
            );
            return;
        }
        self.plan_seen = Some(item.head);
        let mut p = Plan {
            title: text_of(item),
            horizon_months: None,
            step_months: None,
            start: None,
            owner: None,
            procedure: None,
            targets: Vec::new(),
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            let q = quantities(s).next();
            match s.key {
                Rule::pl_horizon => p.horizon_months = q.and_then(|q| self.months(q)),
                Rule::pl_step => p.step_months = q.and_then(|q| self.months(q)),
                Rule::pl_start => {
                    if let Some(Arg::Date(d)) = s.args.iter().find(|a| matches!(a, Arg::Date(_))) {
                        p.start = self.date(d);
                    }
                }
                Rule::pl_owner => p.owner = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::pl_procedure => p.procedure = text_of(s),
                Rule::pl_target => {
                    let metric = s
                        .args
                        .iter()
                        .find_map(|a| match a {
                            Arg::Word(Rule::kw_deals, _) => Some(PlanMetric::Deals),
                            Arg::Word(Rule::kw_new_clients, _) => Some(PlanMetric::NewClients),
                            Arg::Word(Rule::kw_revenue, _) => Some(PlanMetric::Revenue),
                            _ => None,
                        })
                        .unwrap_or(PlanMetric::Revenue);
                    let per_month: Vec<f64> = match s.args.iter().find(|a| matches!(a, Arg::Rate(_))) {
                        Some(Arg::Rate(r)) => self.per_month(r).into_iter().collect(),
                        _ => {
                            let qs: Vec<ast::Quantity> = quantities(s).cloned().collect();
                            qs.iter().filter_map(|q| self.non_negative(q)).collect()
                        }
                    };
                    p.targets.push(PlanTarget {
                        metric,
                        per_month,
                        span: s.span,
                    });
                }
                _ => {}
            }
        }
        self.model.plan = Some(p);
    }

    fn accounting(&mut self, item: &Stmt) {
        for e in item.children.iter().filter(|c| c.key == Rule::acc_entry) {
            let mut entry = AccountingEntry {
                what: text_of(e).unwrap_or_default(),
                who: Vec::new(),
                r#where: None,
                deadline: None,
                span: e.span,
            };
            for a in &e.children {
                match a.key {
                    Rule::acc_who => entry.who = self.references(NameSpace::Role, a),
                    Rule::acc_where => entry.r#where = text_of(a),
                    Rule::acc_deadline => entry.deadline = self.deadline(a),
                    _ => {}
                }
            }
            self.model.accounting.push(entry);
        }
    }

    fn deadline(&mut self, a: &Stmt) -> Option<String> {
        match a.args.first() {
            Some(Arg::Str(t)) => Some(t.value.clone()),
            Some(Arg::Quantity(q)) => {
                self.non_negative(q)?;
                Some(q.text.clone())
            }
            _ => None,
        }
    }

    fn control(&mut self, item: &Stmt) {
        let mut c = Control {
            name: first_ident(item).map(|i| i.text.clone()),
            title: text_of(item),
            who: None,
            what: None,
            kpis: Vec::new(),
            roles: Vec::new(),
            period: None,
            reports_to: None,
            checklist: None,
            sample: None,
            procedure: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::ctl_who => c.who = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::ctl_what => c.what = text_of(s),
                Rule::ctl_kpis => c.kpis = self.references(NameSpace::Kpi, s),
                Rule::ctl_roles => c.roles = self.references(NameSpace::Role, s),
                Rule::ctl_period => c.period = word(s).and_then(period_of),
                Rule::ctl_to => c.reports_to = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::ctl_checklist => {
                    c.checklist = first_ident(s).map(|i| self.reference(NameSpace::Checklist, i))
                }
                Rule::ctl_sample => {
                    let amount = match s.args.first() {
                        Some(Arg::Rate(r)) => {
                            self.non_negative(&r.amount);
                            Some(format!("{} / {}", r.amount.text, period_name(r.per)))
                        }
                        Some(Arg::Quantity(q)) => {
                            self.non_negative(q);
                            Some(q.text.clone())
                        }
                        _ => None,
                    };
                    let note = strings(s).next().map(|t| t.value.clone());
                    c.sample = match (amount, note) {
                        (Some(a), Some(n)) => Some(format!("{a}: {n}")),
                        (a, n) => a.or(n),
                    };
                }
                Rule::ctl_procedure => c.procedure = text_of(s),
                _ => {}
            }
        }
        self.model.controls.push(c);
    }

    fn report(&mut self, item: &Stmt) {
        let mut r = Report {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            author: None,
            recipients: Vec::new(),
            period: None,
            format: None,
            kpis: Vec::new(),
            deadline: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::rep_author => r.author = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::rep_to => r.recipients = self.references(NameSpace::Role, s),
                Rule::rep_period => r.period = word(s).and_then(period_of),
                Rule::rep_format => r.format = text_of(s),
                Rule::rep_kpis => r.kpis = self.references(NameSpace::Kpi, s),
                Rule::rep_deadline => r.deadline = self.deadline(s),
                _ => {}
            }
        }
        self.model.reports.push(r);
    }

    fn interaction(&mut self, item: &Stmt) {
        let mut x = Interaction {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            with: None,
            give: None,
            receive: None,
            deadline: None,
            owner: None,
            pipeline: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::int_with => x.with = text_of(s),
                Rule::int_give => x.give = text_of(s),
                Rule::int_receive => x.receive = text_of(s),
                Rule::int_deadline => x.deadline = self.deadline(s),
                Rule::int_owner => x.owner = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::int_pipeline => {
                    x.pipeline = first_ident(s).map(|i| self.reference(NameSpace::Pipeline, i))
                }
                _ => {}
            }
        }
        self.model.interactions.push(x);
    }

    fn paths(&mut self, s: &Stmt) -> Vec<Scope> {
        let paths: Vec<ast::PathRef> = s
            .args
            .iter()
            .filter_map(|a| match a {
                Arg::Path(p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        paths.iter().filter_map(|p| self.scope(p, None)).collect()
    }

    fn document(&mut self, item: &Stmt) {
        let mut d = Document {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            stages: Vec::new(),
            roles: Vec::new(),
            text: None,
            description: None,
            span: item.span,
        };
        let mut texts = Vec::new();
        for s in &item.children {
            match s.key {
                Rule::d_stages => d.stages = self.paths(s),
                Rule::d_roles => d.roles = self.references(NameSpace::Role, s),
                Rule::a_text => texts.extend(text_of(s)),
                Rule::a_description => d.description = text_of(s),
                _ => {}
            }
        }
        d.text = (!texts.is_empty()).then(|| texts.join("\n\n"));
        self.model.documents.push(d);
    }

    fn reason(&mut self, item: &Stmt) {
        self.no_duplicates(&item.children);
        let mut r = LossReason {
            code: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            label: text_of(item),
            stages: Vec::new(),
            next: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::rs_stages => r.stages = self.paths(s),
                Rule::rs_next => {
                    if let Some(Arg::Target(t)) = s.args.iter().find(|a| matches!(a, Arg::Target(_))) {
                        r.next = match t {
                            ast::Target::Won(_) => Some(Destination::Won),
                            ast::Target::Lost(_) => Some(Destination::Lost { reason: None }),
                            ast::Target::Path(p) => self.destination_of(p, None),
                        }
                    }
                }
                _ => {}
            }
        }
        self.model.loss_reasons.push(r);
    }

    fn checklist(&mut self, item: &Stmt) {
        let mut c = Checklist {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            contact: None,
            scale: None,
            pass_mark: None,
            criteria: Vec::new(),
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::cl_kind => c.contact = word(s).map(contact_kind),
                Rule::cl_scale => {
                    let qs: Vec<ast::Quantity> = quantities(s).cloned().collect();
                    if let [a, b] = &qs[..]
                        && let (Some(lo), Some(hi)) = (self.non_negative(a), self.non_negative(b))
                    {
                        if lo > hi {
                            self.err(
                                Kind::EmptyRange {
                                    low: a.text.clone(),
                                    high: b.text.clone(),
                                },
                                s.span,
                            );
                        } else {
                            c.scale = Some((lo, hi));
                        }
                    }
                }
                Rule::cl_pass => c.pass_mark = quantities(s).next().and_then(|q| self.probability(q)),
                Rule::cl_criterion => {
                    let mut cr = Criterion {
                        label: text_of(s).unwrap_or_default(),
                        weight: None,
                        critical: false,
                        description: None,
                    };
                    for a in &s.children {
                        match a.key {
                            Rule::cl_weight => {
                                cr.weight = quantities(a).next().and_then(|q| self.non_negative(q))
                            }
                            Rule::cl_critical => cr.critical = true,
                            Rule::a_description => cr.description = text_of(a),
                            _ => {}
                        }
                    }
                    c.criteria.push(cr);
                }
                _ => {}
            }
        }
        self.model.checklists.push(c);
    }

    fn meeting(&mut self, item: &Stmt) {
        let mut m = Meeting {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            owner: None,
            participants: Vec::new(),
            period: None,
            duration_minutes: None,
            agenda: None,
            description: self.description(&item.children),
            span: item.span,
        };
        for s in &item.children {
            match s.key {
                Rule::mt_owner => m.owner = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::mt_participants => m.participants = self.references(NameSpace::Role, s),
                Rule::mt_period => m.period = word(s).and_then(period_of),
                Rule::mt_duration => m.duration_minutes = quantities(s).next().and_then(|q| self.minutes(q)),
                Rule::mt_agenda => m.agenda = text_of(s),
                _ => {}
            }
        }
        self.model.meetings.push(m);
    }

    fn resource(&mut self, item: &Stmt) {
        let mut r = Resource {
            name: first_ident(item).map(|i| i.text.clone()).unwrap_or_default(),
            title: text_of(item),
            kind: None,
            roles: Vec::new(),
            description: self.description(&item.children),
        };
        for s in &item.children {
            match s.key {
                Rule::res_type => r.kind = first_ident(s).map(|i| i.text.clone()),
                Rule::res_roles => r.roles = self.references(NameSpace::Role, s),
                _ => {}
            }
        }
        self.model.resources.push(r);
    }

    fn onboarding(&mut self, item: &Stmt) {
        let role = match first_ident(item) {
            Some(i) => self.reference(NameSpace::Role, i),
            None => String::new(),
        };
        let mut o = Onboarding {
            role,
            title: text_of(item),
            mentor: None,
            steps: Vec::new(),
            description: self.description(&item.children),
        };
        for s in &item.children {
            match s.key {
                Rule::ob_mentor => o.mentor = first_ident(s).map(|i| self.reference(NameSpace::Role, i)),
                Rule::ob_step => {
                    let day = quantities(s).next().and_then(|q| {
                        let mut q = q.clone();
                        q.unit = q.unit.or(Some(Unit::Days));
                        self.days(&q, None)
                    });
                    let plan_share = s
                        .children
                        .iter()
                        .find(|c| c.key == Rule::ob_plan_share)
                        .and_then(|c| quantities(c).next().cloned())
                        .and_then(|q| self.share(&q));
                    if let Some(day) = day {
                        o.steps.push(OnboardingStep {
                            day,
                            goal: text_of(s).unwrap_or_default(),
                            plan_share,
                        });
                    }
                }
                _ => {}
            }
        }
        self.model.onboarding.push(o);
    }
}

fn unit_rule(u: Unit) -> Rule {
    match u {
        Unit::Days => Rule::unit_days,
        Unit::Weeks => Rule::unit_weeks,
        Unit::Quarters => Rule::unit_quarters,
        Unit::Years => Rule::unit_years,
        _ => Rule::unit_months,
    }
}

fn period_name(u: Unit) -> &'static str {
    match u {
        Unit::Days => "день",
        Unit::Weeks => "неделя",
        Unit::Quarters => "квартал",
        Unit::Years => "год",
        _ => "месяц",
    }
}

/// What a KPI's `единица` measures, for reading colour bands in it.
#[derive(Clone, Copy, PartialEq)]
enum KpiUnit {
    Percent,
    Money,
    /// Working time, in minutes.
    Minutes,
    /// Calendar time, in days.
    Days,
    /// Pieces, a word (`"звонков"`) or no unit: a bare number is in it.
    Count,
}

fn kpi_unit(unit: Option<&str>) -> KpiUnit {
    match unit {
        Some("%") => KpiUnit::Percent,
        Some("₽" | "$" | "€") => KpiUnit::Money,
        Some("мин" | "ч") => KpiUnit::Minutes,
        Some("дн" | "нед" | "мес" | "кв" | "год") => KpiUnit::Days,
        _ => KpiUnit::Count,
    }
}

/// The written unit of a KPI (`мин`, `дн`…) as a syntax unit, for converting its target.
fn written_unit(unit: Option<&str>) -> Option<Unit> {
    Some(match unit? {
        "мин" => Unit::Minutes,
        "ч" => Unit::Hours,
        "дн" => Unit::Days,
        "нед" => Unit::Weeks,
        "мес" => Unit::Months,
        "кв" => Unit::Quarters,
        "год" => Unit::Years,
        _ => return None,
    })
}

/// A band value `x` written with `written` (not `%`) in the base unit of the KPI's `unit`
/// (minutes, days, the amount, the count), or `None` when it is not in that unit. A bare
/// number is in the unit of a count KPI only.
fn band_in_unit(x: f64, written: Option<Unit>, unit: Option<&str>) -> Option<f64> {
    match (kpi_unit(unit), written) {
        (KpiUnit::Count, None | Some(Unit::Pieces)) => Some(x),
        (KpiUnit::Money, Some(u)) if units::is_money(u) => Some(x),
        (KpiUnit::Minutes, Some(u)) => units::minutes(x, u),
        // Any working week: a band and its target scale alike, and only their ratio is kept.
        (KpiUnit::Days, Some(u)) => units::Calendar::new(5.0).days(x, u),
        _ => None,
    }
}

/// A target value of a KPI (written in the KPI's own unit) in the base unit of [`band_in_unit`].
fn unit_base(x: f64, unit: Option<&str>) -> f64 {
    match (kpi_unit(unit), written_unit(unit)) {
        (KpiUnit::Minutes, Some(u)) => units::minutes(x, u).unwrap_or(x),
        (KpiUnit::Days, Some(u)) => units::Calendar::new(5.0).days(x, u).unwrap_or(x),
        _ => x,
    }
}

fn unit_symbol(r: Rule) -> &'static str {
    match r {
        Rule::unit_percent => "%",
        Rule::unit_minutes => "мин",
        Rule::unit_hours => "ч",
        Rule::unit_days => "дн",
        Rule::unit_weeks => "нед",
        Rule::unit_months => "мес",
        Rule::unit_quarters => "кв",
        Rule::unit_years => "год",
        Rule::unit_rub => "₽",
        Rule::unit_usd => "$",
        Rule::unit_eur => "€",
        _ => "шт",
    }
}

/// The formula written back in one canonical form.
fn expr_text(e: &ast::Expr) -> String {
    use ast::Expr as E;
    match e {
        E::Number(q) => q.text.clone(),
        E::Counter(i) => i.text.clone(),
        E::Scoped(i, p) => format!("{}({})", i.text, p.display()),
        E::Neg(a, _) => format!("-{}", expr_text(a)),
        E::Binary(op, l, r, _) => {
            let sym = match op {
                ast::BinOp::Add => "+",
                ast::BinOp::Sub => "-",
                ast::BinOp::Mul => "*",
                ast::BinOp::Div => "/",
            };
            let wrap = |x: &ast::Expr| match x {
                E::Binary(ast::BinOp::Add | ast::BinOp::Sub, ..)
                    if matches!(op, ast::BinOp::Mul | ast::BinOp::Div) =>
                {
                    format!("({})", expr_text(x))
                }
                _ => expr_text(x),
            };
            let right = match r.as_ref() {
                E::Binary(..) if matches!(op, ast::BinOp::Sub | ast::BinOp::Div) => {
                    format!("({})", expr_text(r))
                }
                _ => wrap(r),
            };
            format!("{} {sym} {}", wrap(l), right)
        }
    }
}
