//! Where every name is defined and used: the table lowering fills while it resolves names, so
//! an editor can go to a definition or list the references with exactly the compiler's
//! resolution (`Этап` in the current pipeline first, `Воронка.Этап`, a pipeline as a hand-off
//! target). Plain data; knows nothing of the syntax tree.

use crate::source::Span;

/// A named entity of the model.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    Role(String),
    Channel(String),
    Pipeline(String),
    Stage {
        pipeline: String,
        stage: String,
    },
    Kpi(String),
    Reason(String),
    Checklist(String),
    Report(String),
    Control(String),
    Interaction(String),
    Document(String),
    Meeting(String),
    Resource(String),
    /// A client card (`карточка`).
    Card(String),
    /// A field or group of a card, by its name.
    CardField {
        card: String,
        field: String,
    },
}

impl Symbol {
    /// The name as written at a definition (a stage without its pipeline).
    pub fn name(&self) -> &str {
        match self {
            Symbol::Stage { stage, .. } => stage,
            Symbol::CardField { field, .. } => field,
            Symbol::Role(n)
            | Symbol::Channel(n)
            | Symbol::Pipeline(n)
            | Symbol::Kpi(n)
            | Symbol::Reason(n)
            | Symbol::Checklist(n)
            | Symbol::Report(n)
            | Symbol::Control(n)
            | Symbol::Interaction(n)
            | Symbol::Document(n)
            | Symbol::Meeting(n)
            | Symbol::Resource(n)
            | Symbol::Card(n) => n,
        }
    }
}

/// Definitions and uses of names, each at the span of the identifier itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// The first definition of each symbol (a duplicate is an error, not a second definition).
    pub definitions: Vec<(Symbol, Span)>,
    /// Every reference that resolved, in the order lowering met them.
    pub uses: Vec<(Symbol, Span)>,
}

impl Names {
    pub fn definition(&self, symbol: &Symbol) -> Option<Span> {
        self.definitions
            .iter()
            .find(|(s, _)| s == symbol)
            .map(|(_, span)| *span)
    }
}
