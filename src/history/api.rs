//! What the CRMs' modules share to read API responses: a page and a place in it (found again in
//! the file's text, so a diagnostic points at the value itself), the reading context with its
//! errors and notes, careful conversions of `serde_json::Value` (IDs come as numbers or
//! strings, amounts as strings), and what a module hands back — entries and deals.
//! The modules ([`super::amo`], [`super::bitrix`], [`super::hubspot`], [`super::pipedrive`])
//! use this; [`super::json`] tells the pages apart and calls them.

use super::Status;
use crate::datafile::{self, Located};
use crate::diag::kind::DataError;
use crate::diag::{Diagnostic, Msg};
use crate::source::{FileId, SourceMap, Span};
use serde_json::Value;
use std::collections::HashSet;

/// One step of a path into a JSON value.
#[derive(Debug, Clone)]
pub(super) enum Step {
    Key(&'static str),
    Index(usize),
}

/// Where a value sits: a page and the path within it.
#[derive(Debug, Clone)]
pub(super) struct Loc {
    pub page: usize,
    pub path: Vec<Step>,
}

impl Loc {
    pub fn new(page: usize, path: &[Step]) -> Loc {
        Loc {
            page,
            path: path.to_vec(),
        }
    }

    /// The same place, one step further.
    pub fn at(&self, step: Step) -> Loc {
        let mut path = self.path.clone();
        path.push(step);
        Loc {
            page: self.page,
            path,
        }
    }
}

/// One response of an API.
pub(super) struct Page {
    pub file: FileId,
    /// The byte where the response's JSON document starts.
    pub start: usize,
    /// The path from that document to the page (an array of pages).
    pub base: Vec<Step>,
    pub value: Value,
}

pub(super) fn skip_ws(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The end of the JSON value starting at `i` (the text is known to be valid JSON).
fn value_end(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    match b.get(i) {
        Some(b'"') => string_end(b, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                j += 1;
            }
            j
        }
    }
}

/// The byte after the string starting at `i` (its closing quote included).
fn string_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// The byte range of the value at `path` below the value starting at `start`.
fn locate(text: &str, start: usize, path: &[Step]) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = skip_ws(text, start);
    for step in path {
        match (step, b.get(i)) {
            (Step::Key(key), Some(b'{')) => {
                i = skip_ws(text, i + 1);
                loop {
                    if b.get(i) != Some(&b'"') {
                        return None;
                    }
                    let end = string_end(b, i);
                    let name: String = serde_json::from_str(&text[i..end]).ok()?;
                    i = skip_ws(text, end);
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    i = skip_ws(text, i + 1);
                    if name == *key {
                        break;
                    }
                    i = skip_ws(text, value_end(text, i));
                    match b.get(i) {
                        Some(b',') => i = skip_ws(text, i + 1),
                        _ => return None,
                    }
                }
            }
            (Step::Index(n), Some(b'[')) => {
                i = skip_ws(text, i + 1);
                for _ in 0..*n {
                    i = skip_ws(text, value_end(text, i));
                    match b.get(i) {
                        Some(b',') => i = skip_ws(text, i + 1),
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
    }
    Some((i, value_end(text, i)))
}

/// The span of a value (its first line), or the document's start when it cannot be found.
pub(super) fn value_span(file: &Located, start: usize, path: &[Step]) -> Span {
    let (a, b) = locate(file.text, start, path).unwrap_or((start, start));
    let line_end = file.text[a..].find('\n').map_or(file.text.len(), |n| a + n);
    Span::new(file.file, a, b.min(line_end).max(a))
}

/// The reading of the JSON pages: the sources to locate values, the errors and notes.
pub(super) struct Cx<'a> {
    pub sources: &'a SourceMap,
    pub pages: &'a [Page],
    pub errors: Vec<Diagnostic>,
    pub notes: Vec<Msg>,
}

impl Cx<'_> {
    fn span(&self, loc: &Loc) -> (Located<'_>, Span) {
        let page = &self.pages[loc.page];
        let file = Located::new(page.file, &self.sources.get(page.file).text);
        let mut path = page.base.clone();
        path.extend(loc.path.iter().cloned());
        let span = value_span(&file, page.start, &path);
        (file, span)
    }

    /// `file:line:column` of a value, for a note.
    pub fn place(&self, loc: &Loc) -> String {
        let (file, span) = self.span(loc);
        let before = &file.text[..span.range().start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(
            "{}:{line}:{column}",
            self.sources.get(self.pages[loc.page].file).path.display()
        )
    }

    pub fn error(&mut self, loc: &Loc, error: DataError, message: Msg, hint: Option<Msg>) {
        if self.errors.len() >= 100 {
            return;
        }
        let (file, span) = self.span(loc);
        let d = file.error(error, span, message, hint);
        self.errors.push(d);
    }

    /// A non-negative amount: a number or a numeric string; an error otherwise.
    pub fn amount(&mut self, v: Option<&Value>, loc: &Loc) -> Option<f64> {
        let x = match v? {
            Value::Null => return None,
            Value::Number(n) => n.as_f64(),
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => datafile::plain_number(s).ok(),
            _ => None,
        };
        match x {
            Some(x) if x >= 0.0 && datafile::in_range(x) => Some(x),
            _ => {
                let shown = v.map(Value::to_string).unwrap_or_default();
                self.error(
                    loc,
                    DataError::WrongValue,
                    Msg::new(
                        format!("сумма: ожидалось неотрицательное число, получено {shown}"),
                        format!("amount: expected a non-negative number, found {shown}"),
                    ),
                    Some(Msg::new(
                        "число или строка с числом, как `150000` или `\"150000.50\"`",
                        "a number or a string holding one, such as `150000` or `\"150000.50\"`",
                    )),
                );
                None
            }
        }
    }

    /// A moment (see [`super::dates::parse_moment`]): Unix seconds or milliseconds as a number,
    /// or a date text; an error when present and not a date.
    pub fn moment(&mut self, v: Option<&Value>, loc: &Loc, what: (&str, &str)) -> Option<i64> {
        let m = match v? {
            Value::Null => return None,
            Value::String(s) if s.trim().is_empty() => return None,
            Value::Number(n) => n
                .as_i64()
                .and_then(|x| super::dates::parse_moment(&x.to_string())),
            Value::String(s) => super::dates::parse_moment(s),
            _ => None,
        };
        if m.is_none() {
            let shown = v.map(Value::to_string).unwrap_or_default();
            self.error(
                loc,
                DataError::WrongValue,
                Msg::new(
                    format!("{}: не дата: {shown}", what.0),
                    format!("{}: not a date: {shown}", what.1),
                ),
                Some(Msg::new(
                    "секунды Unix или дата вроде 2026-03-05T14:20:00+03:00",
                    "Unix seconds or a date such as 2026-03-05T14:20:00+03:00",
                )),
            );
        }
        m
    }
}

/// A scalar as text: a string trimmed, a number as written; `None` for null, empty, objects.
pub(super) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The array at a path, with the path's steps (empty when absent).
pub(super) fn array<'v>(v: &'v Value, keys: &[&'static str]) -> &'v [Value] {
    let mut at = v;
    for k in keys {
        match at.get(k) {
            Some(x) => at = x,
            None => return &[],
        }
    }
    at.as_array().map_or(&[], Vec::as_slice)
}

/// A stage entry read from an API, before it becomes an [`super::Entry`].
pub(super) struct RawEntry {
    pub deal: String,
    /// Seconds ([`super::dates::parse_moment`]).
    pub time: i64,
    /// (pipeline, stage) names, and the CRM's identifiers.
    pub names: (String, String),
    pub ids: (String, String),
}

/// A deal read from an API.
#[derive(Default)]
pub(super) struct RawDeal {
    pub key: String,
    pub created: Option<i64>,
    pub closed: Option<i64>,
    pub status: Option<Status>,
    pub amount: Option<f64>,
    pub channel: Option<String>,
    pub owner: Option<String>,
    pub loss_reason: Option<String>,
    /// The current stage: names and identifiers.
    pub current: Option<((String, String), (String, String))>,
}

/// A call to a deal's client, as a CRM's notes give it.
pub(super) struct RawCall {
    pub deal: String,
    /// Unix seconds.
    pub time: i64,
    pub reached: bool,
    pub outgoing: bool,
    /// Where it is, for the note of a call whose deal is unknown.
    pub loc: Loc,
}

/// What a CRM's module read.
#[derive(Default)]
pub(super) struct Read {
    pub calls: Vec<RawCall>,
    pub entries: Vec<RawEntry>,
    pub deals: Vec<RawDeal>,
}

/// Records of one oddity — a stage the pipelines files do not name, an entry leaving a stage
/// the deal was not in — counted, the first one located; said in one note.
#[derive(Default)]
pub(super) struct Odd {
    pub count: usize,
    pub first: Option<(Loc, String)>,
}

impl Odd {
    pub fn add(&mut self, loc: &Loc, what: String) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((loc.clone(), what));
        }
    }

    /// The note, worded by `text(crm, count, place of the first, what it was)`.
    pub fn note(&self, cx: &mut Cx, crm: &str, text: fn(&str, usize, &str, &str) -> Msg) {
        if let Some((loc, what)) = &self.first {
            let place = cx.place(loc);
            cx.notes.push(text(crm, self.count, &place, what));
        }
    }
}

/// The note of stages events name that the pipelines files do not.
pub(super) fn unknown_stages(crm: &str, count: usize, place: &str, what: &str) -> Msg {
    Msg::new(
        format!(
            "{crm}: записей об этапах, которых нет в файлах воронок (удалённые этапы?), — {count}, первая — {place}: {what}; они перечислены среди несопоставленных"
        ),
        format!(
            "{crm}: {count} records of stages the pipelines files do not have (deleted stages?), the first at {place}: {what}; they are listed among the unmatched"
        ),
    )
}

/// The note of entries that leave a stage the deal was not in by the earlier entries.
pub(super) fn broken_paths(crm: &str, count: usize, place: &str, what: &str) -> Msg {
    Msg::new(
        format!(
            "{crm}: изменений, которые выводят сделку из этапа, где она по более ранним записям не была, — {count} (первое — {place}: {what}); переходы взяты по времени"
        ),
        format!(
            "{crm}: {count} changes take a deal out of a stage the earlier records do not put it in (the first at {place}: {what}); entries are taken in time order"
        ),
    )
}

/// Stage events met before on overlapping pages: by the CRM's event id when it gives one, and
/// by (deal, time, where to).
pub(super) struct Seen<P> {
    ids: HashSet<String>,
    keys: HashSet<(String, i64, P)>,
}

impl<P> Default for Seen<P> {
    fn default() -> Self {
        Seen {
            ids: HashSet::new(),
            keys: HashSet::new(),
        }
    }
}

impl<P: Eq + std::hash::Hash + Clone> Seen<P> {
    /// Whether the event is met for the first time (it is remembered).
    pub fn first(&mut self, id: Option<String>, deal: &str, time: i64, to: &P) -> bool {
        id.is_none_or(|id| self.ids.insert(id)) && self.keys.insert((deal.to_owned(), time, to.clone()))
    }
}

/// Merges deals met on more than one page (overlapping pages): the first kept, the count
/// said in a note.
pub(super) fn dedup_deals(deals: Vec<RawDeal>, cx: &mut Cx, crm: &str) -> Vec<RawDeal> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(deals.len());
    let mut dropped = 0usize;
    for d in deals {
        if !seen.insert(d.key.clone()) {
            dropped += 1;
        } else {
            out.push(d);
        }
    }
    if dropped > 0 {
        cx.notes.push(Msg::new(
            format!("{crm}: отброшено повторов сделок на пересекающихся страницах: {dropped}"),
            format!("{crm}: {dropped} repeated deals on overlapping pages dropped"),
        ));
    }
    out
}

/// Leaves out the deals the CRM marks deleted (amoCRM `is_deleted`, HubSpot `archived`,
/// Pipedrive `is_deleted`) and their entries, with a note: a deleted deal is most often a
/// duplicate or a test, not a sale lost.
pub(super) fn drop_deleted(
    read: &mut Read,
    deleted: &std::collections::HashSet<String>,
    cx: &mut Cx,
    crm: &str,
) {
    if deleted.is_empty() {
        return;
    }
    read.deals.retain(|d| !deleted.contains(&d.key));
    read.entries.retain(|e| !deleted.contains(&e.deal));
    read.calls.retain(|c| !deleted.contains(&c.deal));
    cx.notes.push(Msg::new(
        format!("{crm}: удалённые (архивные) сделки не учтены: {}", deleted.len()),
        format!("{crm}: deleted (archived) deals left out: {}", deleted.len()),
    ));
}

/// The note of events dropped as repeats.
pub(super) fn note_repeats(cx: &mut Cx, crm: &str, dropped: usize) {
    if dropped > 0 {
        cx.notes.push(Msg::new(
            format!(
                "{crm}: отброшено повторов событий (та же сделка, этап, время или номер события — пересекающиеся страницы): {dropped}"
            ),
            format!(
                "{crm}: {dropped} repeated events (same deal, stage, time or event id — overlapping pages) dropped"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_again_in_the_text() {
        let text = r#"{"a": [1, {"b": "x\"y", "c": {"d": 42}}], "e": null}"#;
        let at = |path: &[Step]| locate(text, 0, path).map(|(a, b)| &text[a..b]);
        assert_eq!(at(&[Step::Key("e")]), Some("null"));
        assert_eq!(
            at(&[Step::Key("a"), Step::Index(1), Step::Key("c"), Step::Key("d")]),
            Some("42")
        );
        assert_eq!(
            at(&[Step::Key("a"), Step::Index(1), Step::Key("b")]),
            Some(r#""x\"y""#)
        );
        assert_eq!(at(&[Step::Key("a"), Step::Index(5)]), None);
        assert_eq!(at(&[Step::Key("zz")]), None);
    }
}
