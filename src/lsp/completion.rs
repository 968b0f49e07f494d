//! Completion: the keywords of the grammar (Russian and English) and the names the file defines.
//! Where the statement says what it expects — `ответственный` a role, `показатели` KPIs, `->` a
//! stage or pipeline — only those names are offered; at the start of a statement, keywords.

use crate::diag::Lang;
use crate::model::{Names, Symbol};
use crate::syntax::keywords;
use lsp_types::{CompletionItem, CompletionItemKind};

/// What the cursor's place in the statement calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Keywords,
    Roles,
    Kpis,
    Pipelines,
    Targets,
    Reasons,
    Checklists,
    /// `поля`: the fields and groups of the cards.
    Fields,
    /// `конверсия_по_каналам`: the channels.
    Channels,
    Anything,
}

/// Completion items for a cursor at byte `offset` of `text`; `names` from the compilation the
/// file belongs to (none when it did not compile at all). `trigger` is the character that
/// opened the list by itself: `>` asks only after an arrow, not after `>=`.
pub fn items(
    text: &str,
    offset: usize,
    names: Option<&Names>,
    lang: Lang,
    trigger: Option<&str>,
) -> Vec<CompletionItem> {
    let offset = floor_boundary(text, offset);
    if trigger == Some(">") && !text[..offset].ends_with("->") {
        return Vec::new();
    }
    let want = context(text, offset);
    let mut out = Vec::new();
    if matches!(want, Want::Keywords | Want::Anything) {
        out.extend(keyword_items(lang));
    }
    if want == Want::Targets {
        out.extend(
            keywords::all()
                .iter()
                .filter(|k| k.rule == "kw_won" || k.rule == "kw_lost")
                .flat_map(|k| k.spellings.iter())
                .map(|s| keyword_item(s, false)),
        );
    }
    if in_formula(text, offset) {
        out.extend(super::counter_items::items(lang));
    }
    if want != Want::Keywords {
        let mut seen = std::collections::BTreeSet::new();
        for (symbol, _) in names.map_or(&[][..], |n| &n.definitions[..]) {
            if fits(want, symbol) && seen.insert((symbol.name().to_string(), kind_label(symbol, lang))) {
                let mut item = name_item(symbol, lang);
                // A field name is a string: quoted, unless the quote is typed already.
                if matches!(symbol, Symbol::CardField { .. }) && !in_string(text, offset) {
                    item.insert_text = Some(format!("\"{}\"", symbol.name()));
                }
                out.push(item);
            }
        }
    }
    out
}

fn fits(want: Want, symbol: &Symbol) -> bool {
    match want {
        Want::Keywords => false,
        Want::Anything => true,
        Want::Roles => matches!(symbol, Symbol::Role(_)),
        Want::Kpis => matches!(symbol, Symbol::Kpi(_)),
        Want::Pipelines => matches!(symbol, Symbol::Pipeline(_)),
        Want::Targets => matches!(symbol, Symbol::Pipeline(_) | Symbol::Stage { .. }),
        Want::Reasons => matches!(symbol, Symbol::Reason(_)),
        Want::Checklists => matches!(symbol, Symbol::Checklist(_)),
        Want::Fields => matches!(symbol, Symbol::CardField { .. } | Symbol::Card(_)),
        Want::Channels => matches!(symbol, Symbol::Channel(_)),
    }
}

/// Reads the statement around the cursor: the word being typed is skipped; an arrow just
/// before it asks for a target; otherwise the statement's first word decides.
fn context(text: &str, offset: usize) -> Want {
    let before = &text[..floor_boundary(text, offset)];
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let typed = before.trim_end_matches(is_word);
    if typed.trim_end().ends_with("->") || typed.trim_end().ends_with('→') {
        return Want::Targets;
    }
    // `балл(|`: a checklist's score.
    if let Some(head) = typed.strip_suffix('(') {
        let word: String = head
            .chars()
            .rev()
            .take_while(|&c| is_word(c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if crate::model::SCORE_NAMES.contains(&word.as_str()) {
            return Want::Checklists;
        }
    }
    let start = typed.rfind(['\n', ';', '{', '}']).map_or(0, |i| i + 1);
    let statement = &typed[start..];
    if statement.trim().is_empty() {
        return Want::Keywords;
    }
    let first: String = statement
        .trim_start()
        .chars()
        .take_while(|&c| is_word(c))
        .collect();
    let rule = keywords::all()
        .iter()
        .filter(|k| k.rule.starts_with("kw_"))
        .find(|k| k.spellings.contains(&first))
        .map(|k| k.rule.as_str());
    match rule {
        Some(
            "kw_owner" | "kw_reports_to" | "kw_team" | "kw_roles" | "kw_who" | "kw_to" | "kw_prepares"
            | "kw_participants" | "kw_mentor" | "kw_norms" | "kw_onboarding" | "kw_notify",
        ) => Want::Roles,
        Some("kw_kpis") => Want::Kpis,
        Some("kw_pipeline") => Want::Pipelines,
        Some("kw_stages") => Want::Targets,
        Some("kw_reason" | "kw_because") => Want::Reasons,
        Some("kw_checklist" | "kw_checklist_ref") => Want::Checklists,
        Some("kw_fields") => Want::Fields,
        Some("kw_channel_conversion") => Want::Channels,
        _ if statement.contains(['>', '→']) => {
            // `отказ -> Ретаргетинг причина |`: a reason follows the target.
            let last_word = statement.split_whitespace().last().unwrap_or_default();
            let is_because = keywords::all()
                .iter()
                .any(|k| k.rule == "kw_because" && k.spellings.iter().any(|s| s == last_word));
            if is_because { Want::Reasons } else { Want::Anything }
        }
        _ => Want::Anything,
    }
}

/// Whether the cursor is in a `формула` statement (counters are offered there).
fn in_formula(text: &str, offset: usize) -> bool {
    let before = &text[..floor_boundary(text, offset)];
    let start = before.rfind(['\n', ';', '{', '}']).map_or(0, |i| i + 1);
    let first = before[start..].split_whitespace().next().unwrap_or_default();
    keywords::all()
        .iter()
        .any(|k| k.rule == "kw_formula" && k.spellings.iter().any(|s| s == first))
}

/// Whether `offset` is inside an open string of its line: `поля "Дата ро|`.
fn in_string(text: &str, offset: usize) -> bool {
    let before = &text[..floor_boundary(text, offset)];
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    line.matches('"').count() % 2 == 1
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn keyword_items(lang: Lang) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for k in keywords::all().iter().filter(|k| k.rule.starts_with("kw_")) {
        let last = k.spellings.len() - 1;
        for (i, s) in k.spellings.iter().enumerate() {
            // The English alias is the last spelling; the reader's language sorts first.
            let preferred = (i == last) == (lang == Lang::En);
            if seen.insert(s.clone()) {
                out.push(keyword_item(s, preferred));
            }
        }
    }
    out
}

fn keyword_item(spelling: &str, preferred: bool) -> CompletionItem {
    CompletionItem {
        label: spelling.to_string(),
        kind: Some(CompletionItemKind::KEYWORD),
        sort_text: Some(format!("{}{spelling}", if preferred { "1" } else { "2" })),
        ..CompletionItem::default()
    }
}

fn kind_label(symbol: &Symbol, lang: Lang) -> String {
    let pick = |ru: &str, en: &str| lang.pick(ru, en).to_string();
    match symbol {
        Symbol::Role(_) => pick("роль", "role"),
        Symbol::Channel(_) => pick("канал", "channel"),
        Symbol::Pipeline(_) => pick("воронка", "pipeline"),
        Symbol::Stage { pipeline, .. } => format!("{} {pipeline}", pick("этап воронки", "stage of")),
        Symbol::Kpi(_) => pick("показатель", "KPI"),
        Symbol::Reason(_) => pick("причина отказа", "loss reason"),
        Symbol::Checklist(_) => pick("чек-лист", "checklist"),
        Symbol::Report(_) => pick("отчёт", "report"),
        Symbol::Control(_) => pick("контроль", "control"),
        Symbol::Interaction(_) => pick("взаимодействие", "interaction"),
        Symbol::Document(_) => pick("документ", "document"),
        Symbol::Meeting(_) => pick("совещание", "meeting"),
        Symbol::Resource(_) => pick("ресурс", "resource"),
        Symbol::Card(_) => pick("карточка", "card"),
        Symbol::CardField { card, .. } => format!("{} {card}", pick("поле карточки", "field of card")),
    }
}

fn name_item(symbol: &Symbol, lang: Lang) -> CompletionItem {
    let kind = match symbol {
        Symbol::Role(_) => CompletionItemKind::CLASS,
        Symbol::Stage { .. } => CompletionItemKind::ENUM_MEMBER,
        Symbol::Pipeline(_) => CompletionItemKind::ENUM,
        Symbol::Kpi(_) => CompletionItemKind::VALUE,
        Symbol::Channel(_) => CompletionItemKind::MODULE,
        _ => CompletionItemKind::REFERENCE,
    };
    CompletionItem {
        label: symbol.name().to_string(),
        kind: Some(kind),
        detail: Some(kind_label(symbol, lang)),
        sort_text: Some(format!("0{}", symbol.name())),
        ..CompletionItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const TEXT: &str = "роль Хантер { штат 2 }
показатель Конверсия { цель >= 20% }
воронка Продажи {
  этап Звонок { ответственный Хантер; конверсия 50% }
}
";

    fn labels(text: &str, at: &str) -> Vec<String> {
        let c = crate::compile_str(Path::new("t.sales"), TEXT);
        let offset = text.find(at).unwrap() + at.len();
        items(text, offset, Some(&c.names), Lang::Ru, None)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn an_owner_is_completed_with_roles_only() {
        let text = "воронка В { этап Э { ответственный Х";
        assert_eq!(labels(text, "ответственный Х"), ["Хантер"]);
        let text = "отчёт О { показатели Ко";
        assert_eq!(labels(text, "показатели Ко"), ["Конверсия"]);
    }

    #[test]
    fn an_arrow_asks_for_stages_pipelines_and_outcomes() {
        let got = labels("этап Э { успех -> ", "-> ");
        for want in ["Звонок", "Продажи", "выиграно", "won", "проиграно"] {
            assert!(got.contains(&want.to_string()), "{want} in {got:?}");
        }
        assert!(!got.contains(&"Хантер".to_string()));
    }

    #[test]
    fn the_arrow_trigger_fires_only_after_an_arrow() {
        let c = crate::compile_str(Path::new("t.sales"), TEXT);
        let text = "этап Э { успех -> ; цель >";
        let arrow = text.find("->").unwrap() + 2;
        assert!(!items(text, arrow, Some(&c.names), Lang::Ru, Some(">")).is_empty());
        assert!(items(text, text.len(), Some(&c.names), Lang::Ru, Some(">")).is_empty());
    }

    #[test]
    fn a_statement_start_offers_keywords_in_both_languages() {
        let got = labels("роль А {\n  шт", "шт");
        assert!(got.contains(&"штат".to_string()) && got.contains(&"headcount".to_string()));
        assert!(!got.contains(&"Хантер".to_string()));
        // Elsewhere: keywords and every name.
        let got = labels("роль А { штат ", "штат ");
        assert!(got.contains(&"Хантер".to_string()) && got.contains(&"Конверсия".to_string()));
    }
}
