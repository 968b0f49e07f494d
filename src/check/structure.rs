//! Structural rules (errors): the process graph must be sound and every part connected.

use super::Checker;
use crate::diag::{Kind, Msg};
use crate::graph::{Edge, Node};
use crate::model::{COUNTERS, ContactKind, Counter, Destination, Formula, Model, Scope, Stage};
use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeFiltered;
use std::collections::{BTreeSet, HashMap, VecDeque};

pub(super) fn check(cx: &mut Checker) {
    let unfed = pipelines_and_channels(cx);
    reachability(cx, &unfed);
    loops(cx);
    owners_and_attempts(cx);
    unstaffed_owners(cx);
    counters(cx);
    plan(cx);
}

/// E0037, E0038. Returns the pipelines nothing feeds (their stages then count as entries, so
/// one missing feed is not reported again as every stage unreachable).
fn pipelines_and_channels(cx: &mut Checker) -> Vec<String> {
    let m = cx.model;
    let mut fed: BTreeSet<&str> = BTreeSet::new();
    for c in &m.channels {
        match &c.pipeline {
            Some(p) => {
                fed.insert(p);
            }
            None => cx.report(
                Kind::ChannelWithoutPipeline {
                    channel: c.name.clone(),
                },
                c.span,
            ),
        }
    }
    for p in &m.pipelines {
        for s in &p.stages {
            for d in destinations(s) {
                if let Destination::Stage { pipeline, .. } = d
                    && *pipeline != p.name
                {
                    fed.insert(pipeline);
                }
            }
        }
    }
    for p in &m.pipelines {
        if let Some(a) = &p.after_win
            && let Destination::Stage { pipeline, .. } = &a.to
        {
            fed.insert(pipeline);
        }
    }
    let mut unfed = Vec::new();
    for p in &m.pipelines {
        if !p.stages.is_empty() && !fed.contains(p.name.as_str()) {
            cx.report(
                Kind::UnfedPipeline {
                    pipeline: p.name.clone(),
                },
                p.span,
            );
            unfed.push(p.name.clone());
        }
    }
    unfed
}

/// Every place a stage sends deals: its transitions and the way out after attempts.
fn destinations(s: &Stage) -> impl Iterator<Item = &Destination> {
    s.transitions
        .iter()
        .map(|t| &t.to)
        .chain(s.chain.iter().filter_map(|c| c.otherwise.as_ref()))
}

/// E0030: stages no entry reaches.
fn reachability(cx: &mut Checker, unfed: &[String]) {
    let g = cx.graph;
    let mut starts: Vec<NodeIndex> = g.channels.clone();
    for p in cx.model.pipelines.iter().filter(|p| unfed.contains(&p.name)) {
        if let Some(s) = p.stages.first()
            && let Some(&n) = g.stages.get(&(p.name.clone(), s.name.clone()))
        {
            starts.push(n);
        }
    }
    let seen = search(g, &starts, Direction::Outgoing, |_| true);
    for n in g.graph.node_indices() {
        if let Node::Stage { stage, span, .. } = &g.graph[n]
            && !seen.contains(&n)
        {
            cx.report(Kind::UnreachableStage { stage: stage.clone() }, *span);
        }
    }
}

/// Nodes reached from `starts` along edges that pass `keep`, in `dir`.
fn search(
    g: &crate::graph::ProcessGraph,
    starts: &[NodeIndex],
    dir: Direction,
    keep: impl Fn(&Edge) -> bool,
) -> BTreeSet<NodeIndex> {
    use petgraph::visit::EdgeRef;
    let mut seen: BTreeSet<NodeIndex> = starts.iter().copied().collect();
    let mut queue: VecDeque<NodeIndex> = starts.iter().copied().collect();
    while let Some(n) = queue.pop_front() {
        for e in g.graph.edges_directed(n, dir) {
            let next = if dir == Direction::Outgoing {
                e.target()
            } else {
                e.source()
            };
            if keep(e.weight()) && seen.insert(next) {
                queue.push_back(next);
            }
        }
    }
    seen
}

/// An edge a deal takes with a known, non-zero probability (an `иначе` route without `дозвон`
/// has none: its probability is NaN).
fn positive(e: &Edge) -> bool {
    e.probability > 0.0
}

/// E0031, E0032: closed classes of the chain — groups of stages that a deal, once in,
/// never leaves. Reported once per group, at its first stage.
fn loops(cx: &mut Checker) {
    use petgraph::visit::EdgeRef;
    let g = cx.graph;
    let exits: Vec<NodeIndex> = g.graph.node_indices().filter(|&n| g.graph[n].is_exit()).collect();
    let can_end = search(g, &exits, Direction::Incoming, |_| true);
    let can_end_surely = search(g, &exits, Direction::Incoming, positive);
    let filtered = EdgeFiltered::from_fn(&g.graph, |e| positive(e.weight()));
    let mut found = Vec::new();
    for scc in petgraph::algo::kosaraju_scc(&filtered) {
        let mut scc: Vec<NodeIndex> = scc
            .into_iter()
            .filter(|&n| matches!(g.graph[n], Node::Stage { .. }))
            .collect();
        if scc.is_empty() || scc.iter().any(|n| can_end_surely.contains(n)) {
            continue;
        }
        let closed = scc.iter().all(|&n| {
            g.graph
                .edges_directed(n, Direction::Outgoing)
                .filter(|e| positive(e.weight()))
                .all(|e| scc.contains(&e.target()))
        });
        if !closed {
            continue;
        }
        scc.sort();
        let dead = scc.iter().all(|n| !can_end.contains(n));
        found.push((scc, dead));
    }
    found.sort();
    for (scc, dead) in found {
        let names: Vec<String> = scc
            .iter()
            .filter_map(|&n| match &g.graph[n] {
                Node::Stage { stage, .. } => Some(stage.clone()),
                _ => None,
            })
            .collect();
        let labels = scc[1..]
            .iter()
            .map(|&n| {
                (
                    g.graph[n].span(),
                    Msg::new("этот этап тоже в цикле", "this stage is in the loop too"),
                )
            })
            .collect();
        let kind = if dead {
            Kind::DeadEnd { stages: names }
        } else {
            Kind::ClosedLoop { stages: names }
        };
        cx.report_with(kind, g.graph[scc[0]].span(), labels);
    }
}

/// E0035, E0036, E0043.
fn owners_and_attempts(cx: &mut Checker) {
    let m = cx.model;
    for p in &m.pipelines {
        for s in &p.stages {
            if s.owner.is_none() {
                cx.report(
                    Kind::NoOwner {
                        stage: s.name.clone(),
                    },
                    s.span,
                );
            }
            for c in &s.chain {
                match (c.attempts, c.reach, &c.otherwise) {
                    (Some(attempts), _, None) => cx.report(Kind::AttemptsWithoutOutcome { attempts }, c.span),
                    (None, Some(reach), None) => cx.report(Kind::ReachWithoutOutcome { reach }, c.span),
                    _ => {}
                }
            }
        }
    }
}

/// E0044, W0025: a stage or a contact owned by a role with `штат 0`. The forecast gives such
/// work no time (its leads wait for ever, or until the first hire joins), while the analysis,
/// which ignores capacity, would count its deals as won: an error without hires, a warning with
/// them. Reported at the stage or contact, with the role's definition as a second label.
fn unstaffed_owners(cx: &mut Checker) {
    let m = cx.model;
    let report = |cx: &mut Checker, role: &str, work: Msg, span| {
        let Some(r) = m.role(role).filter(|r| r.headcount == 0) else {
            return;
        };
        let kind = if r.hires.iter().any(|h| h.count > 0) {
            Kind::StaffedOnlyByHires {
                role: role.to_string(),
                work,
            }
        } else {
            Kind::UnstaffedOwner {
                role: role.to_string(),
                work,
            }
        };
        let label = Msg::new(
            "роль определена здесь, её штат — 0",
            "the role is defined here, with headcount 0",
        );
        cx.report_with(kind, span, vec![(r.span, label)]);
    };
    for p in &m.pipelines {
        for s in &p.stages {
            if let Some(owner) = &s.owner {
                let work = Msg::new(format!("этап `{}`", s.name), format!("stage `{}`", s.name));
                report(cx, owner, work, s.span);
            }
            for c in &s.chain {
                let Some(owner) = c.owner.as_ref().filter(|o| Some(*o) != s.owner.as_ref()) else {
                    continue;
                };
                let (ru, en) = contact_label(c.kind);
                let work = match &c.title {
                    Some(t) => Msg::new(
                        format!("контакт «{t}» этапа `{}`", s.name),
                        format!("contact “{t}” of stage `{}`", s.name),
                    ),
                    None => Msg::new(
                        format!("контакт «{ru}» этапа `{}`", s.name),
                        format!("the {en} of stage `{}`", s.name),
                    ),
                };
                report(cx, owner, work, c.span);
            }
        }
    }
}

/// E0039: a KPI formula or a norm reads a counter nothing in the model produces.
fn counters(cx: &mut Checker) {
    let m = cx.model;
    // Whole-model answers are the same for every KPI: remember them, so that a regulation
    // with a thousand KPIs is not scanned a thousand times.
    let mut unscoped: HashMap<Counter, Option<Msg>> = HashMap::new();
    let mut verdict = |counter: Counter, scope: Option<&Scope>| match scope {
        None => unscoped
            .entry(counter)
            .or_insert_with(|| never_produced(m, counter, None))
            .clone(),
        Some(_) => never_produced(m, counter, scope),
    };
    let mut found = Vec::new();
    for k in &m.kpis {
        let mut used = Vec::new();
        if let Some(f) = &k.formula {
            scoped_counters(f, &mut used);
        }
        for (counter, scope) in used {
            if let Some(why) = verdict(counter, scope.as_ref()) {
                found.push((counter, why, k.span));
            }
        }
    }
    for set in &m.norms {
        for n in &set.norms {
            if let Some(counter) = n.counter
                && let Some(why) = verdict(counter, n.scope.as_ref())
            {
                found.push((counter, why, n.span));
            }
        }
    }
    found.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);
    for (counter, why, span) in found {
        cx.report(
            Kind::CounterNeverProduced {
                counter: counter_name(counter),
                why,
            },
            span,
        );
    }
}

fn scoped_counters(f: &Formula, out: &mut Vec<(Counter, Option<Scope>)>) {
    match f {
        Formula::Number { .. } | Formula::Score { .. } => {}
        Formula::Counter { counter, scope, .. } => out.push((*counter, scope.clone())),
        Formula::Neg { arg } | Formula::Change { arg, .. } => scoped_counters(arg, out),
        Formula::Add { left, right }
        | Formula::Sub { left, right }
        | Formula::Mul { left, right }
        | Formula::Div { left, right } => {
            scoped_counters(left, out);
            scoped_counters(right, out);
        }
    }
}

fn counter_name(c: Counter) -> Msg {
    COUNTERS
        .iter()
        .find(|(k, ..)| *k == c)
        .map(|(_, ru, en, _)| Msg::new(ru[0], *en))
        .unwrap_or_else(|| Msg::new("?", "?"))
}

/// The contact kind a counter counts.
pub(super) fn contact_kind(c: Counter) -> Option<ContactKind> {
    Some(match c {
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

/// Why a counter is always zero in this model, or `None` when something produces it.
fn never_produced(m: &Model, counter: Counter, scope: Option<&Scope>) -> Option<Msg> {
    // The pipelines and stages the scope covers.
    let pipelines: Vec<&crate::model::Pipeline> = m
        .pipelines
        .iter()
        .filter(|p| match scope {
            None => true,
            Some(Scope::Pipeline { pipeline }) | Some(Scope::Stage { pipeline, .. }) => *pipeline == p.name,
        })
        .collect();
    let stages: Vec<(&str, &Stage)> = pipelines
        .iter()
        .flat_map(|p| p.stages.iter().map(move |s| (p.name.as_str(), s)))
        .filter(|(_, s)| match scope {
            Some(Scope::Stage { stage, .. }) => *stage == s.name,
            _ => true,
        })
        .collect();
    if let Some(kind) = contact_kind(counter) {
        let any = stages.iter().any(|(_, s)| s.chain.iter().any(|c| c.kind == kind));
        return (!any).then(|| {
            let (ru, en) = contact_label(kind);
            Msg::new(
                format!("ни в одной цепочке контактов нет контакта «{ru}»"),
                format!("no contact chain has a {en} contact"),
            )
        });
    }
    match counter {
        Counter::Leads | Counter::ResponseMinutes => {
            let any = m.channels.iter().any(|c| match scope {
                None => true,
                Some(Scope::Pipeline { pipeline }) | Some(Scope::Stage { pipeline, .. }) => {
                    c.pipeline.as_ref() == Some(pipeline)
                }
            });
            (!any).then(|| {
                Msg::new(
                    "лиды сюда не приходит ни из одного канала",
                    "no channel brings leads here",
                )
            })
        }
        Counter::Lost => {
            let any = stages.iter().any(|(_, s)| {
                s.transitions
                    .iter()
                    .any(|t| t.probability > 0.0 && t.kind == crate::model::TransitionKind::Failure)
                    || s.chain.iter().any(|c| c.otherwise.is_some())
            });
            (!stages.is_empty() && !any).then(|| {
                Msg::new(
                    "конверсия здесь 100 %, отказов не бывает",
                    "the conversion here is 100%, deals never fail",
                )
            })
        }
        Counter::HandedOff => {
            let any = stages.iter().any(|(p, s)| {
                destinations(s).any(|d| matches!(d, Destination::Stage { pipeline, .. } if pipeline != p))
            });
            (!any).then(|| {
                Msg::new(
                    "здесь нет ни одной передачи в другую воронку",
                    "there is no hand-off to another pipeline here",
                )
            })
        }
        Counter::Revenue | Counter::AverageDeal => {
            let any = pipelines.iter().any(|p| p.deal_size.is_some());
            (!any).then(|| {
                Msg::new(
                    "ни у одной воронки не задан средний чек (`чек`)",
                    "no pipeline gives a deal size (`deal`)",
                )
            })
        }
        Counter::Headcount => {
            (m.roles.is_empty()).then(|| Msg::new("в положении нет ролей", "there are no roles"))
        }
        _ => stages
            .is_empty()
            .then(|| Msg::new("в положении нет этапов", "there are no stages")),
    }
}

fn contact_label(k: ContactKind) -> (&'static str, &'static str) {
    match k {
        ContactKind::Call => ("звонок", "call"),
        ContactKind::Meeting => ("встреча", "meeting"),
        ContactKind::Email => ("письмо", "email"),
        ContactKind::Message => ("сообщение", "message"),
        ContactKind::Proposal => ("кп", "proposal"),
        ContactKind::Contract => ("договор", "contract"),
        ContactKind::Invoice => ("счёт", "invoice"),
        ContactKind::Demo => ("демо", "demo"),
        ContactKind::Task => ("задача", "task"),
    }
}

/// E0040.
fn plan(cx: &mut Checker) {
    let m = cx.model;
    if let Some(plan) = &m.plan
        && plan.horizon_months.is_none()
        && m.header.horizon_months.is_none()
    {
        cx.report(Kind::PlanWithoutHorizon, plan.span);
    }
}
