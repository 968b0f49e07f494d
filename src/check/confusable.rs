//! Names that are hard to tell apart or to write to disk: W0026 — two different names that
//! look the same (equal Unicode TR39 skeletons: a Latin «a» for a Cyrillic «а», a zero-width
//! joiner), or one word mixing letters of several alphabets; W0027 — a name too long to go
//! whole into a file name.

use super::Checker;
use crate::diag::{Kind, Msg};
use crate::model::Names;
use crate::model::limits::MAX_FILE_STEM_BYTES;
use std::collections::HashMap;
use unicode_script::{Script, UnicodeScript};
use unicode_security::{MixedScript, skeleton};

pub(super) fn check(cx: &mut Checker, names: &Names) {
    // Skeleton → the first name defined with it.
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut long_reported: Vec<&str> = Vec::new();
    for (symbol, span) in &names.definitions {
        let name = symbol.name();
        let key: String = skeleton(name).collect();
        match seen.get(key.as_str()) {
            Some(&other) if other != name => {
                let why = lookalike(name, other, mixed_word(name));
                cx.report(
                    Kind::Confusable {
                        name: name.to_string(),
                        why,
                    },
                    *span,
                );
                continue;
            }
            Some(_) => {}
            None => {
                seen.insert(key, name);
            }
        }
        if let Some(why) = mixed_word(name) {
            cx.report(
                Kind::Confusable {
                    name: name.to_string(),
                    why,
                },
                *span,
            );
        }
        if name.len() > MAX_FILE_STEM_BYTES && !long_reported.contains(&name) {
            long_reported.push(name);
            cx.report(
                Kind::LongName {
                    name: name.chars().take(30).collect(),
                    bytes: name.len(),
                    limit: MAX_FILE_STEM_BYTES,
                },
                *span,
            );
        }
    }
}

/// Why `name` looks like `other`: invisible characters, or letters of another alphabet
/// (`mixed`: which, when one word mixes alphabets).
fn lookalike(name: &str, other: &str, mixed: Option<Msg>) -> Msg {
    let invisible: Vec<String> = name
        .chars()
        .filter(|&c| c.is_whitespace() || is_invisible(c))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    if !invisible.is_empty() {
        let list = invisible.join(", ");
        return Msg::new(
            format!("на экране оно совпадает с `{other}`, но содержит невидимый символ {list}"),
            format!("on screen it is `{other}`, but it holds the invisible character {list}"),
        );
    }
    match mixed {
        Some(m) => Msg::new(
            format!(
                "на экране оно выглядит как `{other}`, но это другое имя: {}",
                m.ru
            ),
            format!(
                "on screen it looks like `{other}`, but it is another name: {}",
                m.en
            ),
        ),
        None => Msg::new(
            format!("на экране оно выглядит как `{other}`, но это другое имя (буквы из другого алфавита)"),
            format!(
                "on screen it looks like `{other}`, but it is another name (letters of another alphabet)"
            ),
        ),
    }
}

/// A zero-width or other default-ignorable character (TR39 skeletons drop them).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Whether a letter belongs to no one alphabet (digits, marks).
fn common(c: char) -> bool {
    matches!(c.script(), Script::Common | Script::Inherited | Script::Unknown)
}

/// Whether a word's mix of alphabets looks like a slip rather than a word and an acronym
/// glued together: a run of one alphabet inside another (`Менеджeр`), or a short lowercase
/// run at an end (`Менеджеp`). `ДисциплинаCRM`, `ВыручкаVIP` are written on purpose.
fn slip(word: &str) -> bool {
    // The runs of one alphabet, digits and marks belonging to the run they stand in.
    let mut runs: Vec<(Script, Vec<char>)> = Vec::new();
    for c in word.chars().filter(|&c| !common(c)) {
        match runs.last_mut() {
            Some((s, letters)) if *s == c.script() => letters.push(c),
            _ => runs.push((c.script(), vec![c])),
        }
    }
    match runs.as_slice() {
        [_, _, _, ..] => true,
        [(_, a), (_, b)] => {
            let short = if a.len() <= b.len() { a } else { b };
            short.len() <= 2 && short.iter().any(|c| c.is_lowercase())
        }
        _ => false,
    }
}

/// The first word of `name` whose letters come from several alphabets by a slip (Latin «e»
/// among Cyrillic), said with the odd letters and both alphabets.
fn mixed_word(name: &str) -> Option<Msg> {
    for word in name.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || word.is_single_script() || !slip(word) {
            continue;
        }
        // The alphabet most letters come from, and the letters from others.
        let mut counts: Vec<(Script, usize)> = Vec::new();
        for c in word.chars() {
            let s = c.script();
            if common(c) {
                continue;
            }
            match counts.iter_mut().find(|(k, _)| *k == s) {
                Some((_, n)) => *n += 1,
                None => counts.push((s, 1)),
            }
        }
        let main = counts.iter().max_by_key(|(_, n)| *n).map(|(s, _)| *s)?;
        let odd: Vec<char> = word
            .chars()
            .filter(|&c| !common(c) && c.script() != main)
            .collect();
        let first = odd.first()?.script();
        let letters: String = odd
            .iter()
            .map(|c| format!("«{c}»"))
            .collect::<Vec<_>>()
            .join(", ");
        let (in_ru, in_en) = script_names(first);
        let (main_ru, main_en) = script_names(main);
        return Some(Msg::new(
            format!(
                "в слове «{word}» {} {letters} из {in_ru}, остальные — из {main_ru}",
                if odd.len() == 1 {
                    "буква"
                } else {
                    "буквы"
                }
            ),
            format!(
                "in the word «{word}», {letters} {} {in_en} among {main_en} letters",
                if odd.len() == 1 { "is" } else { "are" }
            ),
        ));
    }
    None
}

/// An alphabet's name: Russian in the genitive («латиницы»), English as an adjective.
fn script_names(s: Script) -> (String, String) {
    match s {
        Script::Latin => ("латиницы".into(), "Latin".into()),
        Script::Cyrillic => ("кириллицы".into(), "Cyrillic".into()),
        Script::Greek => ("греческого алфавита".into(), "Greek".into()),
        other => (other.full_name().into(), other.full_name().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_letter_among_cyrillic_is_found() {
        let m = mixed_word("Менеджeр").expect("mixed");
        assert!(m.ru.contains("«e»"), "{}", m.ru);
        assert!(mixed_word("Менеджер").is_none());
        assert!(mixed_word("CRM_менеджер").is_none(), "different words may differ");
        assert!(
            mixed_word("Этап2").is_none(),
            "digits are common to every alphabet"
        );
    }
}
