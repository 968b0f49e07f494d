//! `check`'s speed work, held to the same answers: the analysis the rules compute is the one a
//! compilation keeps and the CRM checks read (not a second chain), and the faster lexing of
//! strings, comments and forbidden characters reads the same text as before.

use std::path::Path;
use voronka::analyze::{analyze, stage_values};

/// A regulation of every shipped example: the kept analysis is the analysis, its stage values
/// are `stage_values`, and the CRM setup built from them is the one built from scratch.
#[test]
fn the_analysis_of_a_compilation_is_computed_once_and_is_the_analysis() {
    for path in crate::common::examples() {
        let compiled = voronka::compile(&path);
        let model = compiled.model.as_ref().expect("model");
        let kept = compiled.analysis().expect("analysis");
        // The same one on every call: the rules' own, not recomputed.
        assert!(std::ptr::eq(kept, compiled.analysis().expect("analysis")));
        assert_eq!(*kept, analyze(model), "{}", path.display());
        assert_eq!(kept.stage_values, stage_values(model), "{}", path.display());
        for lang in [voronka::diag::Lang::Ru, voronka::diag::Lang::En] {
            assert_eq!(
                voronka::crm::setup::with_values(model, &kept.stage_values, lang),
                voronka::crm::setup(model, lang),
                "{}",
                path.display()
            );
        }
    }
}

/// Strings with escapes and every kind of character, comments ending in LF, CRLF or a lone CR
/// (an old Mac line end, read as a line break): read as they were read character by character.
#[test]
fn strings_and_comments_read_the_same_text() {
    let text = "положение \"Кавычки \\\"внутри\\\" и \\\\ слеш — «ёлка» ₽ \u{1F600}\" { # комментарий «»\r  версия \"1.0\"; # ещё — \"\\\r\n  действует_с 2026-01-01 # и ещё\n}\r\nроль А \"Тест\\n\" { штат 3 }\n";
    let compiled = voronka::compile_str(Path::new("t.sales"), text);
    let model = compiled.model.as_ref().expect("model");
    assert_eq!(
        model.header.title.as_deref(),
        Some("Кавычки \"внутри\" и \\ слеш — «ёлка» ₽ \u{1F600}")
    );
    assert_eq!(model.roles[0].title.as_deref(), Some("Тест\n"));
    assert_eq!(model.roles[0].headcount, 3);
    // An unclosed string is still an error at its quote.
    let broken = voronka::compile_str(Path::new("t.sales"), "роль А \"Тест { штат 3 }\n");
    assert!(broken.has_errors());
}

/// E0054 finds every forbidden character, and only those, among multi-byte neighbours that
/// share their first bytes (U+00A0, U+2014, U+20BD, U+FEFF, U+FFFD).
#[test]
fn forbidden_characters_are_found_among_their_byte_neighbours() {
    let forbidden = [
        '\u{1}', '\u{7F}', '\u{85}', '\u{9F}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{FFFE}',
        '\u{FFFF}',
    ];
    let harmless = [
        '\u{A0}', '\u{A9}', '\u{2014}', '\u{20BD}', '\u{2029}', '\u{2070}', '\u{FEFF}', '\u{FFFD}', 'ё',
    ];
    let mut text = String::from("роль А { штат 1 }\n# ");
    for (f, h) in forbidden.iter().zip(harmless.iter().cycle()) {
        text.push(*h);
        text.push(*f);
    }
    text.push('\n');
    let compiled = voronka::compile_str(Path::new("t.sales"), &text);
    let found: Vec<&str> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code() == "E0054")
        .filter_map(|d| Some(&text[d.span()?.range()]))
        .collect();
    let expected: Vec<String> = forbidden.iter().map(|c| c.to_string()).collect();
    assert_eq!(found, expected);
}
