//! What the two data files read next to a regulation share — scenarios (`scenario::parse`) and
//! today's open deals (`sim::open_deals`): the YAML tree with spanned keys and values (one serde
//! visitor for both), line and column turned into spans of the file so every error is an
//! ordinary diagnostic (E0070–E0078, [`DataError`]), the language's numeric range and the
//! characters refused in text (as E0010 and E0054 in a regulation).
//!
//! Depends on `source`, `diag` and `syntax` (the range and the refused characters) only; each
//! reader keeps its own keys, accepted values and wording.

use crate::diag::kind::DataError;
use crate::diag::{Diagnostic, Kind, Msg};
use crate::source::{FileId, Span};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

pub use crate::syntax::limits::{MAX_NUMBER, in_range};

/// A YAML value; every key and value knows its line and column.
#[derive(Debug, Clone)]
pub enum Value {
    Map(Vec<(Spanned<Value>, Spanned<Value>)>),
    List(Vec<Spanned<Value>>),
    Text(String),
    Number(f64),
    Bool(bool),
    Null,
}

impl Value {
    /// A scalar as text (a number as Rust writes it); `None` for null, a boolean or a collection.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Text(t) => Some(t.clone()),
            Value::Number(x) => Some(x.to_string()),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(Value::Text(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Number(v as f64))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
                Ok(Value::Number(v as f64))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
                Ok(Value::Number(v as f64))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = seq.next_element::<Spanned<Value>>()? {
                    items.push(v);
                }
                Ok(Value::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(k) = map.next_key::<Spanned<Value>>()? {
                    let v = map.next_value::<Spanned<Value>>()?;
                    entries.push((k, v));
                }
                Ok(Value::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads YAML into the spanned tree; repeated keys are kept (each reader reports them itself,
/// at the second one). The error is one E0070 at the place the YAML reader stopped.
pub fn read_yaml(file: &Located, hint: Msg) -> Result<Spanned<Value>, Vec<Diagnostic>> {
    // `.inf`, `.nan` and `1e999` reach the readers, which refuse them with the language's range
    // (E0075) rather than the YAML reader's English message.
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
    };
    serde_saphyr::from_str_with_options(file.text, options).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        let first = e.to_string().lines().next().unwrap_or_default().to_owned();
        vec![file.error(
            DataError::Unreadable,
            file.point(line, column),
            Msg::new(
                format!("не удалось разобрать YAML: {first}"),
                format!("invalid YAML: {first}"),
            ),
            Some(hint),
        )]
    })
}

/// A data file's text with the positions of its lines, to turn the YAML and CSV readers' line
/// and column (1-based, in characters) into spans of the file.
pub struct Located<'a> {
    pub file: FileId,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Located<'a> {
    pub fn new(file: FileId, text: &'a str) -> Located<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Located {
            file,
            text,
            line_starts,
        }
    }

    /// The text of a line (1-based) without its line end.
    pub fn line(&self, line: u64) -> &'a str {
        let Some(&start) = self.line_starts.get((line.max(1) - 1) as usize) else {
            return "";
        };
        let rest = &self.text[start..];
        let end = rest.find('\n').unwrap_or(rest.len());
        rest[..end].trim_end_matches('\r')
    }

    /// The byte offset of a line and column; the end of the line when the column is past it,
    /// the start of the file for line 0 (unknown).
    pub fn offset(&self, line: u64, column: u64) -> usize {
        let Some(&start) = self.line_starts.get((line.max(1) - 1) as usize) else {
            return self.text.len();
        };
        if line == 0 {
            return 0;
        }
        let text = self.line(line);
        let within = text
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(text.len(), |(i, _)| i);
        start + within
    }

    /// An empty span at a line and column.
    pub fn point(&self, line: u64, column: u64) -> Span {
        let at = self.offset(line, column);
        Span::new(self.file, at, at)
    }

    /// `width` characters from a line and column, within the line.
    pub fn span(&self, line: u64, column: u64, width: usize) -> Span {
        let start = self.offset(line, column);
        let rest = &self.text[start..];
        let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let end = rest[..line_end]
            .char_indices()
            .nth(width)
            .map_or(line_end, |(i, _)| i);
        Span::new(self.file, start, start + end)
    }

    /// The YAML scalar (or the start of a collection) at a value's position: a quoted scalar to
    /// its closing quote, a plain one to the next `,`, `}`, `]`, comment or line end.
    pub fn scalar<T>(&self, at: &Spanned<T>) -> Span {
        let (line, column) = (at.referenced.line(), at.referenced.column());
        let start = self.offset(line, column);
        let rest = &self.text[start..];
        let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let rest = &rest[..line_end];
        let len = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |n| n + 2),
            Some('{' | '[') => 1,
            _ => {
                // A plain scalar ends at a flow separator, a comment, or `: ` after a key.
                let end = rest.find([',', '}', ']']).unwrap_or(rest.len());
                let end = rest[..end].find(" #").unwrap_or(end);
                let end = rest[..end].find(": ").unwrap_or(end);
                let plain = rest[..end].trim_end();
                plain.strip_suffix(':').unwrap_or(plain).len()
            }
        };
        Span::new(self.file, start, start + len.max(usize::from(!rest.is_empty())))
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// A diagnostic of this file.
    pub fn error(&self, error: DataError, span: Span, message: Msg, help: Option<Msg>) -> Diagnostic {
        Diagnostic::new(Kind::DataFile { error, message, help }, span)
    }
}

/// The first character of `text` that may not reach a document, the terminal or a CRM: a
/// control character other than tab and line ends, or a bidi override or isolate (the rule of
/// E0054, [`crate::syntax::forbidden`]).
pub fn forbidden_char(text: &str) -> Option<char> {
    text.chars().find(|&c| crate::syntax::forbidden(c))
}

/// E0077 for a text holding a forbidden character, at `span` (the scalar or cell).
pub fn forbidden(file: &Located, span: Span, c: char) -> Diagnostic {
    let code = format!("U+{:04X}", u32::from(c));
    file.error(
        DataError::ForbiddenChar,
        span,
        Msg::new(
            format!("недопустимый невидимый символ {code}"),
            format!("forbidden invisible character {code}"),
        ),
        Some(Msg::new(
            "удалите его: управляющие символы ломают DOCX и отчёты, а bidi-символы меняют порядок текста на экране",
            "remove it: control characters break DOCX files and reports, bidi characters reorder the text on screen",
        )),
    )
}

/// E0075 for a number outside the language's range: `what` names the value («чек», «сумма»).
pub fn out_of_range(file: &Located, span: Span, what: &Msg) -> Diagnostic {
    let text = file.slice(span).trim().trim_matches(['"', '\'']);
    file.error(
        DataError::OutOfRange,
        span,
        Msg::new(
            format!("{}: число «{text}» вне допустимого диапазона", what.ru),
            format!("{}: number `{text}` is out of range", what.en),
        ),
        Some(Msg::new(
            "числа должны быть конечными и не больше 10^15, как в положении",
            "numbers must be finite and at most 10^15, as in a regulation",
        )),
    )
}

/// A column name as a spreadsheet or CRM writes it, for comparing: trimmed of blanks, a BOM and
/// quotes, lower case, `ё` as `е`, spaces and `-` as `_`.
pub fn column_key(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .trim_matches('"')
        .to_lowercase()
        .replace('ё', "е")
        .replace([' ', '-'], "_")
}

/// The index of the column a header cell names in `columns` (canonical name, then aliases),
/// compared by [`column_key`].
pub fn column_index(name: &str, columns: &[(&str, &[&str])]) -> Option<usize> {
    let n = column_key(name);
    columns
        .iter()
        .position(|(ru, en)| column_key(ru) == n || en.iter().any(|a| column_key(a) == n))
}

/// A number as a spreadsheet writes it: spaces between digit groups, a decimal comma and a
/// trailing currency sign allowed (`150 000,50 ₽`).
pub fn plain_number(text: &str) -> Result<f64, std::num::ParseFloatError> {
    let t: String = text
        .trim()
        .trim_end_matches(['₽', '$', '€'])
        .trim_end_matches("руб.")
        .trim_end_matches("руб")
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    t.parse::<f64>()
}

/// The delimiter of a CSV file from its header line: a tab when it has tabs, `;` when it has
/// more `;` than `,` (a spreadsheet's Russian export), else `,`.
pub fn csv_delimiter(header: &str) -> u8 {
    let count = |c: char| header.matches(c).count();
    if count('\t') > 0 {
        b'\t'
    } else if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

/// Byte ranges of the fields of a CSV line (quotes respected).
fn csv_field_ranges(line: &str, delimiter: u8) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            d if d == delimiter && !quoted => {
                out.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((start, line.len()));
    out
}

/// The span of field `i` of a CSV line (1-based); the line end when the line has fewer fields.
pub fn csv_field_span(file: &Located, line: u64, i: usize, delimiter: u8) -> Span {
    let text = file.line(line);
    let start = file.offset(line, 1);
    let (a, b) = csv_field_ranges(text, delimiter)
        .get(i)
        .copied()
        .unwrap_or((text.len(), text.len()));
    Span::new(file.file, start + a, start + b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_become_byte_spans() {
        let text = "а: 1\r\nроли: { Менеджер: 2 }\n";
        let f = Located::new(FileId(0), text);
        assert_eq!(f.line(2), "роли: { Менеджер: 2 }");
        let s = f.span(2, 9, 8);
        assert_eq!(f.slice(s), "Менеджер");
        let s = f.span(1, 4, 50);
        assert_eq!(f.slice(s), "1");
        assert_eq!(f.offset(0, 0), 0);
    }

    #[test]
    fn one_tree_reads_every_kind_of_value() {
        let text = "a: { b: [1, да, true, ~, \"x\"] }\n";
        let f = Located::new(FileId(0), text);
        let root = read_yaml(&f, Msg::new("", "")).expect("yaml");
        let Value::Map(top) = &root.value else {
            panic!("{root:?}")
        };
        let Value::Map(inner) = &top[0].1.value else {
            panic!()
        };
        let Value::List(items) = &inner[0].1.value else {
            panic!()
        };
        assert!(matches!(items[0].value, Value::Number(x) if x == 1.0));
        assert!(matches!(items[2].value, Value::Bool(true)));
        assert!(matches!(items[3].value, Value::Null));
        assert_eq!(f.slice(f.scalar(&items[4])), "\"x\"");
        assert_eq!(f.slice(f.scalar(&items[0])), "1");
        assert_eq!(f.slice(f.scalar(&top[0].0)), "a");
    }
}
