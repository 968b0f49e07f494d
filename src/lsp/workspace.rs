//! What the server knows: the open documents and one compilation per root. A root is an open
//! document that no other open document includes; an included file is compiled as part of its
//! root, so names defined in the root resolve in it. Every compilation reads open documents
//! from the editor's buffers and everything else from disk.

use super::documents::{Documents, normalize};
use super::position::{Encoding, LineIndex};
use crate::Compiled;
use crate::diag::{self, Lang, Location as DiagLocation, Severity};
use crate::source::{FileId, Span};
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, Range, Uri,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One compilation: a root file and everything it includes.
#[derive(Debug)]
pub struct Unit {
    pub compiled: Compiled,
    /// Line starts of every file, by file id.
    lines: Vec<LineIndex>,
}

impl Unit {
    fn new(compiled: Compiled, encoding: Encoding) -> Unit {
        let lines = compiled
            .sources
            .files()
            .map(|(_, f)| LineIndex::new(&f.text, encoding))
            .collect();
        Unit { compiled, lines }
    }

    /// The range of a span of this compilation.
    pub fn range(&self, span: Span) -> Option<Range> {
        let lines = self.lines.get(span.file.0 as usize)?;
        let text = &self.compiled.sources.get(span.file).text;
        Some(lines.range(text, span.range().start, span.range().end))
    }

    /// The byte offset of a position in one of this compilation's files.
    pub fn offset(&self, file: FileId, position: lsp_types::Position) -> usize {
        match self.lines.get(file.0 as usize) {
            Some(lines) => lines.offset(&self.compiled.sources.get(file).text, position),
            None => 0,
        }
    }

    /// The exact figures of the model: the rules' own, else computed on first use.
    pub fn analysis(&self) -> Option<&crate::analyze::Analysis> {
        self.compiled.analysis()
    }

    /// The file of this compilation at `path`.
    pub fn file(&self, path: &Path) -> Option<FileId> {
        let path = normalize(path);
        self.compiled
            .sources
            .files()
            .find(|(_, f)| normalize(&f.path) == path)
            .map(|(id, _)| id)
    }

    fn includes(&self, path: &Path) -> bool {
        self.file(path).is_some_and(|id| id.0 > 0)
    }
}

#[derive(Debug, Default)]
pub struct Workspace {
    pub docs: Documents,
    pub encoding: Encoding,
    pub lang: Lang,
    /// Lint levels from the command line (`voronka lsp -D warnings`).
    pub options: crate::Options,
    units: Vec<Unit>,
    /// URIs that were last sent diagnostics, so they can be cleared when they have none.
    published: BTreeMap<String, Uri>,
}

impl Workspace {
    pub fn new(encoding: Encoding, lang: Lang, options: crate::Options) -> Workspace {
        Workspace {
            encoding,
            lang,
            options,
            ..Workspace::default()
        }
    }

    /// Recompiles every root and returns the diagnostics to publish: one message for each
    /// open document and each file with diagnostics, and an empty one for every file whose
    /// diagnostics went away.
    pub fn refresh(&mut self) -> Vec<PublishDiagnosticsParams> {
        let (docs, options, encoding) = (&self.docs, &self.options, self.encoding);
        let overlay = |p: &Path| docs.at_path(p).map(|d| d.text.clone());
        // A document some compilation already read is not compiled again; a compilation that
        // reads an earlier root replaces it. Opening a split project thus costs one compilation.
        let mut units: Vec<(PathBuf, Unit)> = Vec::new();
        for d in docs.iter() {
            if units.iter().any(|(_, u)| u.file(&d.path).is_some()) {
                continue;
            }
            let unit = Unit::new(crate::compile_overlay(&d.path, &overlay, options), encoding);
            units.retain(|(root, _)| !unit.includes(root));
            units.push((d.path.clone(), unit));
        }
        self.units = units.into_iter().map(|(_, u)| u).collect();

        let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for doc in self.docs.iter() {
            by_file.entry(doc.path.clone()).or_default();
        }
        for unit in &self.units {
            let sources = &unit.compiled.sources;
            for d in &unit.compiled.diagnostics {
                let (path, range) = match &d.location {
                    DiagLocation::Span(span) => {
                        let file = sources.get(span.file);
                        (normalize(&file.path), unit.range(*span).unwrap_or_default())
                    }
                    DiagLocation::File(path) => (normalize(path), Range::default()),
                };
                let list = by_file.entry(path).or_default();
                let converted = self.diagnostic(unit, d, range);
                if !list.contains(&converted) {
                    list.push(converted);
                }
            }
        }

        let mut out = Vec::new();
        let mut published = BTreeMap::new();
        for (path, diagnostics) in by_file {
            let Some(uri) = self.docs.uri_for(&path) else {
                continue;
            };
            let version = self.docs.at_path(&path).map(|d| d.version);
            if !diagnostics.is_empty() {
                published.insert(uri.as_str().to_string(), uri.clone());
            }
            self.published.remove(uri.as_str());
            out.push(PublishDiagnosticsParams::new(uri, diagnostics, version));
        }
        for (_, uri) in std::mem::replace(&mut self.published, published) {
            out.push(PublishDiagnosticsParams::new(uri, Vec::new(), None));
        }
        out
    }

    /// The compilation that holds `path`, and the file's id in it.
    pub fn unit_for(&self, path: &Path) -> Option<(&Unit, FileId)> {
        self.units.iter().find_map(|u| u.file(path).map(|id| (u, id)))
    }

    /// Where a span is, for the client.
    pub fn location(&self, unit: &Unit, span: Span) -> Option<Location> {
        let range = unit.range(span)?;
        let uri = self.docs.uri_for(&unit.compiled.sources.get(span.file).path)?;
        Some(Location::new(uri, range))
    }

    fn diagnostic(&self, unit: &Unit, d: &diag::Diagnostic, range: Range) -> Diagnostic {
        let lang = self.lang;
        let mut message = d.kind.message().get(lang).to_string();
        if let Some(help) = d.kind.help() {
            message.push_str(&format!(
                "\n{}: {}",
                lang.pick("подсказка", "help"),
                help.get(lang)
            ));
        }
        let related: Vec<DiagnosticRelatedInformation> = d
            .labels
            .iter()
            .filter_map(|l| {
                Some(DiagnosticRelatedInformation {
                    location: self.location(unit, l.span)?,
                    message: l.text.get(lang).to_string(),
                })
            })
            .collect();
        Diagnostic {
            range,
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
            }),
            code: Some(NumberOrString::String(d.code().to_string())),
            source: Some("voronka".to_string()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Diagnostic::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::documents::{path_to_uri, uri_to_path};

    fn uri(path: &str) -> Uri {
        path_to_uri(Path::new(path)).unwrap()
    }

    #[test]
    fn an_open_include_is_compiled_with_its_root_whatever_the_order() {
        let mut ws = Workspace::new(Encoding::Utf16, Lang::Ru, crate::Options::default());
        // Sorted first, opened first: the included file.
        ws.docs.open(
            uri("/проект/a_роли.sales"),
            "роль Менеджер { штат 3; доля_продаж 150% }\n".into(),
            1,
        );
        ws.docs.open(
            uri("/проект/z_главный.sales"),
            "подключить \"a_роли.sales\"\nканал Сайт { лиды 10 в мес; команда Менеджер }\n".into(),
            1,
        );
        let published = ws.refresh();
        assert_eq!(ws.units.len(), 1, "one compilation for both");
        let of = |name: &str| {
            published
                .iter()
                .find(|p| uri_to_path(&p.uri).ends_with(name))
                .map(|p| p.diagnostics.clone())
                .unwrap()
        };
        // The share above 100% is reported in the included file, once; the root resolves the role.
        let roles = of("a_роли.sales");
        assert_eq!(roles.len(), 1, "{roles:?}");
        assert_eq!(roles[0].range.start.line, 0);
        assert!(
            of("z_главный.sales")
                .iter()
                .all(|d| d.severity != Some(DiagnosticSeverity::ERROR))
        );
        let (unit, file) = ws.unit_for(Path::new("/проект/a_роли.sales")).unwrap();
        assert_eq!(
            file.0, 1,
            "the include is the second file of the root's compilation"
        );
        assert!(
            unit.compiled
                .sources
                .get(FileId(0))
                .path
                .ends_with("z_главный.sales")
        );
    }
}
