//! Documentation stays in step with the code: every diagnostic code is listed in
//! docs/diagnostics.md, and every counter in docs/language.md.

use voronka::diag::kind::{CODES, RETIRED};

#[test]
fn every_code_is_documented_and_unique() {
    let doc = std::fs::read_to_string("docs/diagnostics.md").unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for (code, ru, en) in CODES {
        assert!(seen.insert(*code), "{code} listed twice");
        assert!(!RETIRED.contains(code), "{code} is retired");
        let row = format!("| {code} | {ru} | {en} |");
        assert!(doc.contains(&row), "docs/diagnostics.md lacks `{row}`");
    }
    let documented = doc
        .lines()
        .filter(|l| l.starts_with("| E") || l.starts_with("| W"))
        .count();
    assert_eq!(
        documented,
        CODES.len(),
        "docs/diagnostics.md lists codes the tool does not have"
    );
}

#[test]
fn every_counter_is_documented() {
    let doc = std::fs::read_to_string("docs/language.md").unwrap();
    for (_, ru, en, _) in voronka::model::COUNTERS {
        for name in ru.iter().chain(std::iter::once(en)) {
            assert!(
                doc.contains(&format!("`{name}`")),
                "docs/language.md lacks counter `{name}`"
            );
        }
    }
}
