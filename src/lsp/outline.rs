//! The document outline (`textDocument/documentSymbol`): the named sections of one file —
//! roles, channels, pipelines with their stages, KPIs, reports, controls, loss reasons,
//! checklists, meetings, interactions, documents — in source order, from the model's spans and
//! the name table.

use crate::model::{Model, Names, Symbol};
use crate::source::{FileId, Span};
use lsp_types::SymbolKind;

/// One entry of the outline, before positions are converted.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub name: String,
    pub title: Option<String>,
    pub kind: SymbolKind,
    /// The whole section.
    pub span: Span,
    /// The name in its definition (the whole section's start when unknown).
    pub name_span: Span,
    pub children: Vec<Entry>,
}

/// The outline of `file`, sorted by position.
pub fn entries(model: &Model, names: &Names, file: FileId) -> Vec<Entry> {
    let entry = |symbol: Symbol, title: &Option<String>, kind, span: Span| {
        let name_span = names
            .definition(&symbol)
            .filter(|s| s.file == span.file && s.start >= span.start && s.end <= span.end)
            .unwrap_or(Span {
                end: span.start,
                ..span
            });
        Entry {
            name: symbol.name().to_string(),
            title: title.clone(),
            kind,
            span,
            name_span,
            children: Vec::new(),
        }
    };
    let mut out = Vec::new();
    for r in &model.roles {
        out.push(entry(
            Symbol::Role(r.name.clone()),
            &r.title,
            SymbolKind::CLASS,
            r.span,
        ));
    }
    for c in &model.channels {
        out.push(entry(
            Symbol::Channel(c.name.clone()),
            &c.title,
            SymbolKind::EVENT,
            c.span,
        ));
    }
    for p in &model.pipelines {
        let mut e = entry(
            Symbol::Pipeline(p.name.clone()),
            &p.title,
            SymbolKind::NAMESPACE,
            p.span,
        );
        for s in &p.stages {
            let stage = Symbol::Stage {
                pipeline: p.name.clone(),
                stage: s.name.clone(),
            };
            e.children
                .push(entry(stage, &s.title, SymbolKind::ENUM_MEMBER, s.span));
        }
        out.push(e);
    }
    for k in &model.kpis {
        out.push(entry(
            Symbol::Kpi(k.name.clone()),
            &k.title,
            SymbolKind::CONSTANT,
            k.span,
        ));
    }
    for r in &model.reports {
        out.push(entry(
            Symbol::Report(r.name.clone()),
            &r.title,
            SymbolKind::FILE,
            r.span,
        ));
    }
    for c in &model.controls {
        if let Some(name) = &c.name {
            out.push(entry(
                Symbol::Control(name.clone()),
                &c.title,
                SymbolKind::EVENT,
                c.span,
            ));
        }
    }
    for r in &model.loss_reasons {
        out.push(entry(
            Symbol::Reason(r.code.clone()),
            &r.label,
            SymbolKind::ENUM,
            r.span,
        ));
    }
    for c in &model.checklists {
        out.push(entry(
            Symbol::Checklist(c.name.clone()),
            &c.title,
            SymbolKind::ARRAY,
            c.span,
        ));
    }
    for m in &model.meetings {
        out.push(entry(
            Symbol::Meeting(m.name.clone()),
            &m.title,
            SymbolKind::EVENT,
            m.span,
        ));
    }
    for i in &model.interactions {
        out.push(entry(
            Symbol::Interaction(i.name.clone()),
            &i.title,
            SymbolKind::INTERFACE,
            i.span,
        ));
    }
    for d in &model.documents {
        out.push(entry(
            Symbol::Document(d.name.clone()),
            &d.title,
            SymbolKind::FILE,
            d.span,
        ));
    }
    out.retain(|e| e.span.file == file && e.span.end > e.span.start);
    out.sort_by_key(|e| e.span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn sections_in_source_order_with_stages_inside_their_pipeline() {
        let text = "воронка Продажи \"Новые клиенты\" {\n  этап Звонок { конверсия 50% }\n  этап Встреча { }\n}\nроль Менеджер { штат 3 }\n";
        let c = crate::compile_str(Path::new("t.sales"), text);
        let model = c.model.unwrap();
        let outline = entries(&model, &c.names, FileId(0));
        let names: Vec<&str> = outline.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Продажи", "Менеджер"]);
        let pipeline = &outline[0];
        assert_eq!(pipeline.title.as_deref(), Some("Новые клиенты"));
        let stages: Vec<&str> = pipeline.children.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(stages, ["Звонок", "Встреча"]);
        let call = &pipeline.children[0];
        assert_eq!(&text[call.name_span.range()], "Звонок");
        assert!(call.span.start < call.name_span.start && call.name_span.end < call.span.end);
        // Nothing for another file.
        assert!(entries(&model, &c.names, FileId(1)).is_empty());
    }
}
