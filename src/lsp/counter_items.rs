//! Completion of counter names in a `формула`: every spelling of every counter
//! (`model::COUNTERS`), with what it counts, the reader's language first.

use crate::diag::Lang;
use crate::model::COUNTERS;
use lsp_types::{CompletionItem, CompletionItemKind};

pub(super) fn items(lang: Lang) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    for (_, ru, en, what) in COUNTERS {
        let spellings = ru
            .iter()
            .map(|s| (*s, lang == Lang::Ru))
            .chain([(*en, lang == Lang::En)]);
        for (label, preferred) in spellings {
            out.push(CompletionItem {
                label: label.to_string(),
                kind: Some(CompletionItemKind::FUNCTION),
                detail: Some(lang.pick(what, &en.replace('_', " ")).to_string()),
                sort_text: Some(format!("{}{label}", if preferred { "0" } else { "2" })),
                ..CompletionItem::default()
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_formula_offers_the_counters() {
        let text = "показатель К { формула мину";
        let items = super::super::completion::items(text, text.len(), None, crate::diag::Lang::Ru, None);
        let minutes = items
            .iter()
            .find(|i| i.label == "минуты")
            .expect("минуты offered");
        assert_eq!(minutes.detail.as_deref(), Some("минуты разговора"));
        assert!(items.iter().any(|i| i.label == "просрочено"));
        let text = "показатель К { цель ";
        let items = super::super::completion::items(text, text.len(), None, crate::diag::Lang::Ru, None);
        assert!(!items.iter().any(|i| i.label == "минуты"));
    }
}
