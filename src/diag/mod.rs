//! Diagnostics as values: a code, a severity, a primary span, a message, secondary labels and
//! a help line, each text in Russian and English. Kinds and their texts live in [`kind`];
//! rendering for humans and machines lives in [`render`]. Depends only on `source` and
//! `locale`.

pub mod explain;
pub mod kind;
pub mod levels;
pub mod render;

pub use crate::locale::{Lang, plural_ru};
use crate::source::Span;
use serde::Serialize;
use std::path::PathBuf;

pub use kind::Kind;

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub ru: String,
    pub en: String,
}

impl Msg {
    pub fn new(ru: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg {
            ru: ru.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.ru, &self.en)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Where a diagnostic points: a span in a loaded file, or a whole file that could not be
/// loaded (no text to point into).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Span(Span),
    File(PathBuf),
}

/// A secondary place worth showing: "defined here".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: Msg,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub kind: Kind,
    pub severity: Severity,
    pub location: Location,
    pub labels: Vec<Label>,
}

impl Diagnostic {
    /// A diagnostic at its kind's default severity.
    pub fn new(kind: Kind, span: Span) -> Diagnostic {
        Diagnostic {
            severity: kind.default_severity(),
            kind,
            location: Location::Span(span),
            labels: Vec::new(),
        }
    }

    pub fn at_file(kind: Kind, path: impl Into<PathBuf>) -> Diagnostic {
        Diagnostic {
            severity: kind.default_severity(),
            kind,
            location: Location::File(path.into()),
            labels: Vec::new(),
        }
    }

    pub fn with_label(mut self, span: Span, text: Msg) -> Diagnostic {
        self.labels.push(Label { span, text });
        self
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    pub fn span(&self) -> Option<Span> {
        match &self.location {
            Location::Span(s) => Some(*s),
            Location::File(_) => None,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Diagnostics gathered across phases.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub fn error(&mut self, kind: Kind, span: Span) {
        self.push(Diagnostic::new(kind, span));
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.list.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Sorted by file and position, so output does not depend on the order checks ran in.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.list.sort_by_key(|d| match &d.location {
            Location::File(_) => (0, 0, 0),
            Location::Span(s) => (s.file.0 + 1, s.start, s.end),
        });
        self.list.dedup();
        self.list
    }
}

/// The closest candidate to a misspelt name, if one is close enough.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_lowercase();
    candidates
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}
