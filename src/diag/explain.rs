//! The long explanation of every code, for `voronka explain`: what it means, why voronka
//! reports it (for lints, the rule of good sales management behind it) and how to fix it.
//! The texts live in `docs/explain.ru.md` and `docs/explain.en.md`, one `## CODE — title`
//! section per code, and are built into the binary.

use super::Lang;

const RU: &str = include_str!("../../docs/explain.ru.md");
const EN: &str = include_str!("../../docs/explain.en.md");

/// The sections of one language: code, and the text from the `##` line on.
pub fn sections(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let text = lang.pick(RU, EN);
    let mut out = Vec::new();
    let mut starts: Vec<usize> = text.match_indices("\n## ").map(|(i, _)| i + 1).collect();
    starts.push(text.len());
    for w in starts.windows(2) {
        let section = text[w[0]..w[1]].trim_end();
        let code = section[3..].split_whitespace().next().unwrap_or("");
        out.push((code, section));
    }
    out
}

/// The explanation of a code, if it has one.
pub fn explain(code: &str, lang: Lang) -> Option<&'static str> {
    sections(lang)
        .into_iter()
        .find(|(c, _)| *c == code)
        .map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained_in_both_languages_in_order() {
        let codes: Vec<&str> = super::super::kind::CODES.iter().map(|(c, ..)| *c).collect();
        for lang in [Lang::Ru, Lang::En] {
            let found: Vec<&str> = sections(lang).iter().map(|(c, _)| *c).collect();
            assert_eq!(found, codes, "{lang:?}");
        }
    }

    #[test]
    fn titles_match_the_code_table() {
        for (code, ru, en) in super::super::kind::CODES {
            for (lang, title) in [(Lang::Ru, ru), (Lang::En, en)] {
                let text = explain(code, lang).expect("explained");
                let first = text.lines().next().unwrap_or("");
                assert_eq!(first, format!("## {code} — {title}"), "{lang:?}");
            }
        }
    }

    /// Each section is prose, then optionally `Пример:`/`Example:` and `Исправление:`/`Fix:`,
    /// each followed by one fenced block: fences come in pairs and nothing but a blank line
    /// follows a closing fence inside a section (a merge once left a stray example line and
    /// fence at the end of sections, and `explain` printed them).
    #[test]
    fn every_section_has_whole_code_blocks() {
        for lang in [Lang::Ru, Lang::En] {
            for (code, text) in sections(lang) {
                let lines: Vec<&str> = text.lines().collect();
                let fences: Vec<usize> = (0..lines.len())
                    .filter(|&i| lines[i].starts_with("```"))
                    .collect();
                assert!(
                    fences.len().is_multiple_of(2),
                    "{lang:?} {code}: unpaired ``` fence"
                );
                for pair in fences.chunks(2) {
                    assert!(
                        lines[pair[0]].len() > 3,
                        "{lang:?} {code}: a block without its language"
                    );
                    if let Some(next) = lines.get(pair[1] + 1) {
                        assert!(next.is_empty(), "{lang:?} {code}: `{next}` after a closing fence");
                    }
                    let label = lines[..pair[0]].iter().rev().find(|l| !l.is_empty());
                    assert!(
                        label.is_some_and(|l| l.ends_with(':')),
                        "{lang:?} {code}: a code block without its «Пример:»/«Исправление:» label"
                    );
                }
            }
        }
    }
}
