//! Splits a file into top-level items before parsing, so that one broken item does not hide
//! the errors of the others (recovery at item level), and enforces the nesting limits before
//! pest sees the text.
//!
//! An item starts at a top-level keyword outside any braces. A top-level keyword at the very
//! start of a line followed by `{` on that line also starts an item even inside braces: that
//! is how a forgotten `}` is recovered from.

/// Deepest nesting of `{}` or `()` accepted. Real regulations nest four levels.
pub const MAX_DEPTH: usize = 64;

/// Words that open a top-level item, in both languages.
pub const ITEM_KEYWORDS: &[&str] = &[
    "подключить",
    "include",
    "положение",
    "regulation",
    "роль",
    "role",
    "канал",
    "channel",
    "воронка",
    "pipeline",
    "показатель",
    "кпэ",
    "kpi",
    "нормативы",
    "норматив",
    "norms",
    "norm",
    "план",
    "plan",
    "учёт",
    "учет",
    "accounting",
    "контроль",
    "control",
    "отчёт",
    "отчет",
    "report",
    "взаимодействие",
    "interaction",
    "документ",
    "инструкция",
    "document",
    "instruction",
    "причина",
    "reason",
    "чек_лист",
    "чек-лист",
    "checklist",
    "совещание",
    "meeting",
    "термин",
    "term",
    "ресурс",
    "resource",
    "адаптация",
    "onboarding",
    "изменения",
    "changes",
    "правила",
    "rules",
    "карточка",
    "card",
    "триггер",
    "trigger",
    "условия",
    "terms",
    "ответственность",
    "penalties",
];

/// A byte range of the file holding one item (or stray text before the first item).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub chunks: Vec<Chunk>,
    /// Offsets where nesting went past [`MAX_DEPTH`]; the chunk holding one is not parsed.
    pub too_deep: Vec<usize>,
}

fn is_word(c: char) -> bool {
    is_cyrillic_letter(c) || c.is_alphanumeric() || c == '_' || c == '-'
}

/// The basic Cyrillic letters, all alphabetic: answered before the Unicode tables, which for
/// a non-ASCII character cost a few hundred instructions (most words of a file are Russian).
fn is_cyrillic_letter(c: char) -> bool {
    matches!(c, 'А'..='я' | 'ё' | 'Ё')
}

pub fn split(text: &str) -> Split {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut too_deep = Vec::new();
    let mut depth: usize = 0;
    let mut parens: usize = 0;
    let mut i = 0;
    let mut line_start = true;
    let mut seen_content = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'"' => {
                if !seen_content {
                    starts.push(i);
                    seen_content = true;
                }
                i = skip_string(text, i);
                line_start = false;
                continue;
            }
            _ => {}
        }
        let at_line_start = std::mem::take(&mut line_start);
        let c = text[i..].chars().next().unwrap_or(' ');
        if c == '\u{FEFF}' || c == '\u{A0}' || c == '\u{202F}' {
            i += c.len_utf8();
            line_start = at_line_start;
            continue;
        }
        let column_zero = i == 0 || bytes[i - 1] == b'\n';
        if is_cyrillic_letter(c) || c.is_alphabetic() || c == '_' {
            let len = text[i..]
                .char_indices()
                .find(|&(_, c)| !is_word(c))
                .map_or(text.len() - i, |(n, _)| n);
            let word = &text[i..i + len];
            // Inside a block only a line's first word can open an item: other words need no
            // look-up.
            if (column_zero || (depth == 0 && parens == 0)) && ITEM_KEYWORDS.contains(&word) {
                let opens_block = column_zero && opens_item(&text[i + len..]);
                if depth == 0 && parens == 0 {
                    starts.push(i);
                    seen_content = true;
                } else if opens_block {
                    starts.push(i);
                    depth = 0;
                    parens = 0;
                }
            }
            if !seen_content {
                starts.push(i);
                seen_content = true;
            }
            i += len;
            continue;
        }
        if !seen_content && !c.is_whitespace() {
            starts.push(i);
            seen_content = true;
        }
        match b {
            b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    too_deep.push(i);
                    // Skip to the end of this run of brackets; the chunk is reported once.
                    depth = 0;
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            b'(' => {
                parens += 1;
                if parens > MAX_DEPTH {
                    too_deep.push(i);
                    parens = 0;
                }
            }
            b')' => parens = parens.saturating_sub(1),
            _ => {}
        }
        i += c.len_utf8();
    }
    starts.dedup();
    let chunks = starts
        .iter()
        .enumerate()
        .map(|(n, &start)| Chunk {
            start,
            end: starts.get(n + 1).copied().unwrap_or(text.len()),
        })
        .collect();
    Split { chunks, too_deep }
}

/// After an item keyword: `Имя "Название" {` on the same line — the shape of an item head.
fn opens_item(rest: &str) -> bool {
    let line = rest.lines().next().unwrap_or("");
    let after = line.trim_start();
    if after.len() == line.len() {
        return false;
    }
    let name_len = after.find(|c: char| !is_word(c)).unwrap_or(after.len());
    if name_len == 0 {
        return false;
    }
    let mut after = after[name_len..].trim_start();
    if after.starts_with('"') {
        match after[1..].find('"') {
            Some(n) => after = after[n + 2..].trim_start(),
            None => return false,
        }
    }
    after.starts_with('{')
}

/// Skips a `"…"` or `"""…"""` string starting at `i`; returns the offset after it (or the end
/// of the text when it is not closed).
fn skip_string(text: &str, i: usize) -> usize {
    if text[i..].starts_with("\"\"\"") {
        return text[i + 3..].find("\"\"\"").map_or(text.len(), |n| i + 3 + n + 3);
    }
    let bytes = text.as_bytes();
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        split(src)
            .chunks
            .iter()
            .map(|c| src[c.start..c.end].trim_end())
            .collect()
    }

    #[test]
    fn the_cyrillic_shortcut_answers_as_the_unicode_tables() {
        for c in '\u{400}'..='\u{4FF}' {
            if is_cyrillic_letter(c) {
                assert!(c.is_alphabetic() && c.is_alphanumeric(), "{c}");
            }
        }
        assert!(('А'..='я').chain(['ё', 'Ё']).all(is_cyrillic_letter));
    }

    #[test]
    fn items_at_depth_zero_start_chunks() {
        let src = "роль А { штат 1 }\nканал Б { воронка В }\nворонка В { этап Г { } }\n";
        assert_eq!(
            texts(src),
            [
                "роль А { штат 1 }",
                "канал Б { воронка В }",
                "воронка В { этап Г { } }"
            ]
        );
    }

    #[test]
    fn keywords_inside_strings_and_comments_are_ignored() {
        let src = "роль А { описание \"роль Б { }\" } # роль В {\nроль Г { }";
        assert_eq!(texts(src).len(), 2);
    }

    #[test]
    fn a_missing_brace_is_recovered_at_the_next_item_line() {
        let src = "роль А {\n  штат 1\nроль Б {\n  штат 2\n}\n";
        assert_eq!(texts(src), ["роль А {\n  штат 1", "роль Б {\n  штат 2\n}"]);
    }

    #[test]
    fn keywords_inside_blocks_do_not_start_items() {
        let src = "воронка В {\n  этап А {\n    инструкция \"Назовите: {Имя}\"\n  }\n}\n";
        assert_eq!(texts(src).len(), 1);
        let src = "\u{FEFF}роль А { штат 1 }";
        assert_eq!(texts(src), ["роль А { штат 1 }"]);
    }

    #[test]
    fn deep_nesting_is_reported() {
        let src = format!(
            "показатель К {{ формула {}1{} }}",
            "(".repeat(100),
            ")".repeat(100)
        );
        assert_eq!(split(&src).too_deep.len(), 1);
    }

    #[test]
    fn stray_text_before_the_first_item_is_its_own_chunk() {
        assert_eq!(texts("мусор\nроль А { }"), ["мусор", "роль А { }"]);
    }
}
