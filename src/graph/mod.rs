//! The process graph: channels (the entries), stages, won and lost exits per pipeline as
//! nodes; transitions with their probabilities as edges (hand-offs between pipelines and the
//! way out after a contact's attempts run out included), built with petgraph from the model;
//! exported as DOT or Mermaid. Every node and edge keeps the span of the text it comes from, so
//! the validation rules (`crate::check`) can point at it. Reads only the model.

use crate::diag::Lang;
use crate::model::{Destination, Model, TransitionKind};
use crate::source::Span;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Stage {
        pipeline: String,
        stage: String,
        title: Option<String>,
        span: Span,
    },
    Won {
        pipeline: String,
        span: Span,
    },
    Lost {
        pipeline: String,
        span: Span,
    },
    /// A channel: where leads enter.
    Channel {
        channel: String,
        title: Option<String>,
        span: Span,
    },
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::Stage { span, .. }
            | Node::Won { span, .. }
            | Node::Lost { span, .. }
            | Node::Channel { span, .. } => *span,
        }
    }

    pub fn is_exit(&self) -> bool {
        matches!(self, Node::Won { .. } | Node::Lost { .. })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub kind: TransitionKind,
    pub probability: f64,
    /// Crosses into another pipeline.
    pub handoff: bool,
    /// Taken after a contact's attempts run out.
    pub attempts_exhausted: bool,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct ProcessGraph {
    pub graph: DiGraph<Node, Edge>,
    /// Pipelines in model order, each with its node indices (stages, then won, lost).
    pub pipelines: Vec<(String, Vec<NodeIndex>)>,
    /// Channels in model order.
    pub channels: Vec<NodeIndex>,
    /// Stage nodes by (pipeline, stage).
    pub stages: BTreeMap<(String, String), NodeIndex>,
}

pub fn build(model: &Model) -> ProcessGraph {
    let mut g = ProcessGraph::default();
    let mut index: BTreeMap<(String, String), NodeIndex> = BTreeMap::new();
    let mut exits: BTreeMap<String, (NodeIndex, NodeIndex)> = BTreeMap::new();
    for p in &model.pipelines {
        let mut nodes = Vec::new();
        for s in &p.stages {
            let n = g.graph.add_node(Node::Stage {
                pipeline: p.name.clone(),
                stage: s.name.clone(),
                title: s.title.clone(),
                span: s.span,
            });
            index.insert((p.name.clone(), s.name.clone()), n);
            nodes.push(n);
        }
        let won = g.graph.add_node(Node::Won {
            pipeline: p.name.clone(),
            span: p.span,
        });
        let lost = g.graph.add_node(Node::Lost {
            pipeline: p.name.clone(),
            span: p.span,
        });
        nodes.extend([won, lost]);
        exits.insert(p.name.clone(), (won, lost));
        g.pipelines.push((p.name.clone(), nodes));
    }
    for c in &model.channels {
        let n = g.graph.add_node(Node::Channel {
            channel: c.name.clone(),
            title: c.title.clone(),
            span: c.span,
        });
        g.channels.push(n);
        let first = c
            .pipeline
            .as_ref()
            .and_then(|p| model.pipeline(p))
            .and_then(|p| Some((p.name.clone(), p.stages.first()?.name.clone())));
        if let Some(&to) = first.and_then(|key| index.get(&key)) {
            g.graph.add_edge(
                n,
                to,
                Edge {
                    kind: TransitionKind::Success,
                    probability: 1.0,
                    handoff: false,
                    attempts_exhausted: false,
                    span: c.span,
                },
            );
        }
    }
    for p in &model.pipelines {
        let (won, lost) = exits[&p.name];
        for s in &p.stages {
            let from = index[&(p.name.clone(), s.name.clone())];
            let resolve = |d: &Destination| match d {
                Destination::Won => Some((won, false)),
                Destination::Lost { .. } => Some((lost, false)),
                Destination::Stage { pipeline, stage } => index
                    .get(&(pipeline.clone(), stage.clone()))
                    .map(|&n| (n, *pipeline != p.name)),
            };
            for t in &s.transitions {
                if let Some((to, handoff)) = resolve(&t.to) {
                    g.graph.add_edge(
                        from,
                        to,
                        Edge {
                            kind: t.kind,
                            probability: t.probability,
                            handoff,
                            attempts_exhausted: t.kind == TransitionKind::Unreached,
                            span: t.span,
                        },
                    );
                }
            }
            // A contact with `дозвон` has its route among the transitions, with a probability;
            // the others' routes have none the model can give.
            let routed = |i: usize| s.transitions.iter().any(|t| t.contact == Some(i));
            for (i, c) in s.chain.iter().enumerate() {
                if let Some(d) = &c.otherwise
                    && !routed(i)
                    && let Some((to, handoff)) = resolve(d)
                {
                    g.graph.add_edge(
                        from,
                        to,
                        Edge {
                            kind: TransitionKind::Failure,
                            probability: f64::NAN,
                            handoff,
                            attempts_exhausted: true,
                            span: c.span,
                        },
                    );
                }
            }
        }
    }
    // `после_выигрыша`: a won client also starts a deal where the pipeline hands it on.
    for p in &model.pipelines {
        let Some(a) = &p.after_win else { continue };
        let Destination::Stage { pipeline, stage } = &a.to else {
            continue;
        };
        if let Some(&to) = index.get(&(pipeline.clone(), stage.clone())) {
            g.graph.add_edge(
                exits[&p.name].0,
                to,
                Edge {
                    kind: TransitionKind::Success,
                    probability: 1.0,
                    handoff: true,
                    attempts_exhausted: false,
                    span: a.span,
                },
            );
        }
    }
    g.stages = index;
    g
}

fn percent(p: f64) -> String {
    let v = p * 100.0;
    if (v - v.round()).abs() < 0.05 {
        format!("{:.0}%", v)
    } else {
        format!("{:.1}%", v)
    }
}

fn edge_label(e: &Edge, lang: Lang) -> String {
    if e.attempts_exhausted {
        let text = lang.pick("попытки исчерпаны", "attempts exhausted");
        if e.probability.is_finite() {
            format!("{text}, {}", percent(e.probability))
        } else {
            text.to_string()
        }
    } else {
        percent(e.probability)
    }
}

fn node_label(n: &Node, lang: Lang) -> String {
    match n {
        Node::Stage { stage, title, .. } => match title {
            Some(t) => format!("{stage}\\n{t}"),
            None => stage.clone(),
        },
        Node::Won { .. } => lang.pick("Выиграно", "Won").to_string(),
        Node::Lost { .. } => lang.pick("Проиграно", "Lost").to_string(),
        Node::Channel { channel, title, .. } => match title {
            Some(t) => format!("{channel}\\n{t}"),
            None => channel.clone(),
        },
    }
}

fn escape_dot(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("\\\\n", "\\n")
}

pub fn to_dot(g: &ProcessGraph, lang: Lang) -> String {
    let mut out = String::from(
        "digraph voronka {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n",
    );
    for (i, (name, nodes)) in g.pipelines.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{i} {{\n    label=\"{}\";",
            escape_dot(name)
        );
        for &n in nodes {
            let node = &g.graph[n];
            let shape = match node {
                Node::Stage { .. } | Node::Channel { .. } => "",
                Node::Won { .. } => ", shape=doublecircle, color=\"#43a047\"",
                Node::Lost { .. } => ", shape=octagon, color=\"#e53935\"",
            };
            let _ = writeln!(
                out,
                "    n{} [label=\"{}\"{shape}];",
                n.index(),
                escape_dot(&node_label(node, lang))
            );
        }
        out.push_str("  }\n");
    }
    for &n in &g.channels {
        let _ = writeln!(
            out,
            "  n{} [label=\"{}\", shape=cds, color=\"#1e88e5\"];",
            n.index(),
            escape_dot(&node_label(&g.graph[n], lang))
        );
    }
    for e in g.graph.edge_indices() {
        let (a, b) = g.graph.edge_endpoints(e).expect("edge exists");
        let w = &g.graph[e];
        if matches!(g.graph[a], Node::Channel { .. }) {
            let _ = writeln!(out, "  n{} -> n{};", a.index(), b.index());
            continue;
        }
        let style = if w.handoff {
            ", style=dashed"
        } else if w.kind != TransitionKind::Success {
            ", color=\"#9e9e9e\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  n{} -> n{} [label=\"{}\"{style}];",
            a.index(),
            b.index(),
            escape_dot(&edge_label(w, lang))
        );
    }
    out.push_str("}\n");
    out
}

fn escape_mermaid(s: &str) -> String {
    s.replace('"', "#quot;").replace("\\n", "<br/>")
}

pub fn to_mermaid(g: &ProcessGraph, lang: Lang) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, (name, nodes)) in g.pipelines.iter().enumerate() {
        let _ = writeln!(out, "  subgraph p{i}[\"{}\"]", escape_mermaid(name));
        for &n in nodes {
            let node = &g.graph[n];
            let label = escape_mermaid(&node_label(node, lang));
            let _ = match node {
                Node::Stage { .. } => writeln!(out, "    n{}[\"{label}\"]", n.index()),
                Node::Won { .. } => writeln!(out, "    n{}((\"{label}\"))", n.index()),
                Node::Lost { .. } => writeln!(out, "    n{}{{{{\"{label}\"}}}}", n.index()),
                Node::Channel { .. } => Ok(()),
            };
        }
        out.push_str("  end\n");
    }
    for &n in &g.channels {
        let label = escape_mermaid(&node_label(&g.graph[n], lang));
        let _ = writeln!(out, "  n{}>\"{label}\"]", n.index());
    }
    for e in g.graph.edge_indices() {
        let (a, b) = g.graph.edge_endpoints(e).expect("edge exists");
        let w = &g.graph[e];
        if matches!(g.graph[a], Node::Channel { .. }) {
            let _ = writeln!(out, "  n{} --> n{}", a.index(), b.index());
            continue;
        }
        let arrow = if w.handoff { "-.->" } else { "-->" };
        let _ = writeln!(
            out,
            "  n{} {arrow}|\"{}\"| n{}",
            a.index(),
            escape_mermaid(&edge_label(w, lang)),
            b.index()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(text: &str) -> ProcessGraph {
        let c = crate::compile_str(std::path::Path::new("g.sales"), text);
        build(c.model.as_ref().expect("a model"))
    }

    /// An `иначе` route with `дозвон` is one edge with its probability; without `дозвон` it is
    /// an edge of unknown probability.
    #[test]
    fn the_route_of_the_unreached_is_one_edge_with_its_probability() {
        let with_reach = graph(
            "роль М { штат 1 }\nканал К { лиды 1 в мес; воронка П }\n\
             воронка П { этап А { ответственный М; конверсия 50%\n\
               цепочка { звонок 5 мин; попыток 3; дозвон 50%; иначе -> проиграно } } }",
        );
        let exhausted: Vec<&Edge> = with_reach
            .graph
            .edge_weights()
            .filter(|e| e.attempts_exhausted)
            .collect();
        assert_eq!(exhausted.len(), 1);
        assert_eq!(exhausted[0].kind, TransitionKind::Unreached);
        assert!((exhausted[0].probability - 0.125).abs() < 1e-12);
        assert!(to_dot(&with_reach, Lang::Ru).contains("попытки исчерпаны, 12.5%"));

        let without = graph(
            "роль М { штат 1 }\nканал К { лиды 1 в мес; воронка П }\n\
             воронка П { этап А { ответственный М; конверсия 50%\n\
               цепочка { звонок 5 мин; попыток 3; иначе -> проиграно } } }",
        );
        let exhausted: Vec<&Edge> = without
            .graph
            .edge_weights()
            .filter(|e| e.attempts_exhausted)
            .collect();
        assert_eq!(exhausted.len(), 1);
        assert!(exhausted[0].probability.is_nan());
    }
}
