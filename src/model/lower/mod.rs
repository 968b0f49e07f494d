//! Syntax tree → model: name resolution (with «возможно, имелось в виду …»), unit
//! normalisation and value checks. Every problem becomes a diagnostic; lowering always goes
//! on, so one run reports them all.
//!
//! One `Lowerer` walks the items; each concept has its own file of `impl Lowerer` methods:
//! [`names`] (declare, resolve, scopes), [`quantities`] (units and plain values), [`values`]
//! (distributions, bounds, formulas), [`stages`] (channels, pipelines, stages, transitions),
//! [`kpis`] (KPIs, norms, the plan), [`org`] (roles, interactions, meetings, resources,
//! onboarding) and [`controls`] (accounting, controls, reports, documents, reasons,
//! checklists). This file holds the walk itself, the header and the shared statement helpers.

mod calendar;
mod cards;
mod controls;
mod counter_args;
mod field_cond;
mod inactivity;
mod kpis;
mod names;
mod org;
mod quantities;
mod ranges;
mod release;
mod routing;
mod segments;
mod stages;
mod telcal;
mod terms;
mod triggers;
mod values;

use super::units;
use super::*;
use crate::diag::kind::{Entity, UnitClass};
use crate::diag::{Diagnostic, Diagnostics, Kind, Msg, suggest};
use crate::source::Span;
use crate::syntax::Rule;
use crate::syntax::ast::{self, Arg, Stmt, Unit};
use names::*;
use stages::*;
use std::collections::HashMap;
use values::*;

use crate::syntax::limits::MAX_NUMBER;

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
    // Triggers last: they read the stages, KPIs and meetings lowered above.
    for item in items.iter().filter(|i| i.key == Rule::trigger) {
        cx.trigger(item);
    }
    cx.resolve_destinations();
    cx.check_each_starts();
    cx.resolve_fields();
    cx.resolve_conditions();
    for p in &mut cx.model.pipelines {
        for s in &mut p.stages {
            add_unreached(s);
        }
    }
    (cx.model, cx.diags, cx.index)
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
    /// Fields named in stages' `поля`, resolved against the cards at the end.
    field_uses: Vec<cards::FieldUse>,
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
    /// A contact's `перед_каждым_стартом` (`release`).
    EachStart(usize),
    /// The pipeline's `после_выигрыша`.
    AfterWin,
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

/// A statement the grammar does not allow in the block being lowered. The parser never builds
/// one, so every statement match names each statement of its block (`role_attr`, `stage_attr`
/// … in `grammar/voronka.pest`) and ends here instead of in a silent `_ => {}`: a construct
/// added to the grammar but not to the lowering fails `every_statement_of_the_grammar_is_lowered`
/// (`tests/it/architecture.rs`) and, in debug builds, stops here. Release builds skip it.
fn outside_grammar(key: Rule) {
    if cfg!(debug_assertions) {
        unreachable!("{key:?} is not a statement the lowering knows in this block");
    }
}

/// Statements that may appear more than once in a block.
fn repeatable(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::stage
            | Rule::contact
            | Rule::s_branch
            | Rule::s_failure
            | Rule::s_field_segment
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
            | Rule::int_give
            | Rule::int_receive
            | Rule::cd_field
            | Rule::cd_group
            | Rule::tg_action
            | Rule::r_bonus_piece
            | Rule::t_discount
            | Rule::t_deferral
            | Rule::t_prepayment
            | Rule::t_instalment
            | Rule::t_offer
            | Rule::t_refund
            | Rule::pn_sanction
            | Rule::pn_review
            | Rule::pl_deadline
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
            Rule::trigger => {} // lowered after every other item (`triggers.rs`)
            Rule::terms => self.terms(item),
            Rule::penalties => self.penalties(item),
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
            Rule::card => self.card(item),
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
                            match crate::diag::levels::validate(&code.value) {
                                Ok(()) => {}
                                Err(crate::diag::levels::LevelError::NotAWarning) => {
                                    self.err(
                                        Kind::ErrorNotAdjustable {
                                            code: code.value.clone(),
                                        },
                                        code.span,
                                    );
                                    continue;
                                }
                                Err(crate::diag::levels::LevelError::Unknown { suggestion }) => {
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
            other => outside_grammar(other),
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
                Rule::h_schedule => h.hours = self.hours_of(s),
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
                Rule::a_description | Rule::a_text => {} // read by `description`
                other => outside_grammar(other),
            }
        }
        h.description = self.description(&item.children);
        self.model.header = h;
        let horizon = horizon.and_then(|q| self.months(q));
        let step = step.and_then(|q| self.months(q));
        self.model.header.horizon_months = horizon;
        self.model.header.step_months = step;
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
