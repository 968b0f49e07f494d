//! What a CRM's API returned, saved to JSON files: the pages are told apart by their shape
//! (never by the file's name) and handed to the CRM's module — [`super::amo`],
//! [`super::bitrix`], [`super::hubspot`], [`super::pipedrive`] — which turns them into stage
//! entries and deals. A file holds one response, an array of responses, or one response a line
//! (JSON Lines). Values are read as `serde_json::Value` (IDs come as numbers or strings, amounts
//! as strings) and converted with care; a position in a file is found again by walking its text
//! (a located diagnostic points at the value itself).

use super::{Reader, Status};
use crate::datafile::{self, Located};
use crate::diag::kind::DataError;
use crate::diag::{Diagnostic, Msg};
use crate::source::{FileId, SourceMap, Span};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

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

/// The pages of every JSON file read, by CRM and kind.
#[derive(Default)]
pub(super) struct Pages {
    pub pages: Vec<Page>,
    pub amo: Vec<(usize, super::amo::Kind)>,
    pub bitrix: Vec<(usize, super::bitrix::Kind)>,
    pub hubspot: Vec<(usize, super::hubspot::Kind)>,
    pub pipedrive: Vec<(usize, super::pipedrive::Kind)>,
}

/// Whether a text is JSON by its first character.
pub(super) fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('{' | '['))
}

/// A `.json`/`.jsonl`/`.ndjson` file is read as JSON whatever it starts with (an empty one
/// says so rather than passing for an empty CSV).
pub(super) fn named_as_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_lowercase().as_str(), "json" | "jsonl" | "ndjson"))
}

fn accepted_shapes() -> Msg {
    Msg::new(
        "принимаются ответы API: amoCRM `/api/v4/events`, `/api/v4/leads`, `/api/v4/leads/pipelines` (`_embedded.events|leads|pipelines`); Битрикс24 `crm.stagehistory.list` (`result.items`), `crm.deal.list` (`result`), `crm.item.list`, `crm.status.list`, `crm.category.list`; HubSpot сделки с `propertiesWithHistory` и `/crm/v3/pipelines/deals` (`results`); Pipedrive `/deals/{id}/flow`, `/api/v2/deals`, стадии и воронки (`data`) — по одному ответу в файле, массивом ответов или по строке на ответ (docs/history.md)",
        "accepted: API responses — amoCRM `/api/v4/events`, `/api/v4/leads`, `/api/v4/leads/pipelines` (`_embedded.events|leads|pipelines`); Bitrix24 `crm.stagehistory.list` (`result.items`), `crm.deal.list` (`result`), `crm.item.list`, `crm.status.list`, `crm.category.list`; HubSpot deals with `propertiesWithHistory` and `/crm/v3/pipelines/deals` (`results`); Pipedrive `/deals/{id}/flow`, `/api/v2/deals`, stages and pipelines (`data`) — one response a file, an array of responses, or one a line (docs/history.md)",
    )
}

impl Pages {
    /// Reads a JSON file's responses and sorts them by CRM and kind; a file that is not JSON,
    /// or a response of no known shape, is a located error.
    pub fn parse(&mut self, sources: &SourceMap, id: FileId, errors: &mut Vec<Diagnostic>) {
        let text = sources.get(id).text.as_str();
        let file = Located::new(id, text);
        if text.trim().is_empty() {
            errors.push(file.error(
                DataError::Unreadable,
                file.point(1, 1),
                Msg::new("файл JSON пуст", "the JSON file is empty"),
                Some(Msg::new(
                    "сохраните в файл тело ответа API (amoCRM отвечает на пустую выборку кодом 204 без тела — такой файл не нужен)",
                    "save the API response's body into the file (amoCRM answers an empty selection with 204 and no body — leave such a file out)",
                )),
            ));
            return;
        }
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        loop {
            let start = skip_ws(text, stream.byte_offset());
            match stream.next() {
                None => break,
                Some(Ok(value)) => self.add_document(&file, start, value, errors),
                Some(Err(e)) => {
                    let (line, column) = (e.line() as u64, e.column() as u64);
                    errors.push(file.error(
                        DataError::Unreadable,
                        file.span(line.max(1), column.max(1), 1),
                        Msg::new(
                            format!("не JSON: {}", json_error_ru(&e)),
                            format!("not JSON: {e}"),
                        ),
                        Some(Msg::new(
                            "файл обрезан или испорчен: сохраните ответ API заново целиком",
                            "the file is truncated or damaged: save the API response again in full",
                        )),
                    ));
                    break;
                }
            }
        }
    }

    fn add_document(&mut self, file: &Located, start: usize, value: Value, errors: &mut Vec<Diagnostic>) {
        // An array of responses: every element must be one.
        if let Value::Array(items) = &value
            && !items.is_empty()
            && items.iter().all(|v| classify(v).is_some())
        {
            let Value::Array(items) = value else { return };
            for (i, v) in items.into_iter().enumerate() {
                self.add_page(file.file, start, vec![Step::Index(i)], v);
            }
            return;
        }
        if classify(&value).is_some() {
            self.add_page(file.file, start, Vec::new(), value);
            return;
        }
        // An array with a response of no known shape: that element is the error.
        let (value, path) = match &value {
            Value::Array(items) if !items.is_empty() => {
                let i = items.iter().position(|v| classify(v).is_none()).unwrap_or(0);
                (items[i].clone(), vec![Step::Index(i)])
            }
            _ => (value, Vec::new()),
        };
        let what = match &value {
            Value::Object(m) if m.is_empty() => Msg::new("пустой объект `{}`", "an empty object `{}`"),
            Value::Array(a) if a.is_empty() => Msg::new("пустой массив `[]`", "an empty array `[]`"),
            Value::Object(m) => {
                let keys: Vec<&str> = m.keys().take(6).map(String::as_str).collect();
                Msg::new(
                    format!("объект с ключами {}", keys.join(", ")),
                    format!("an object with keys {}", keys.join(", ")),
                )
            }
            _ => Msg::new("не объект", "not an object"),
        };
        let span = value_span(file, start, &path);
        errors.push(file.error(
            DataError::Unreadable,
            span,
            Msg::new(
                format!("не похоже ни на один известный ответ API CRM: {}", what.ru),
                format!("not any known CRM API response: {}", what.en),
            ),
            Some(accepted_shapes()),
        ));
    }

    fn add_page(&mut self, file: FileId, start: usize, base: Vec<Step>, value: Value) {
        let Some(kind) = classify(&value) else { return };
        let i = self.pages.len();
        self.pages.push(Page {
            file,
            start,
            base,
            value,
        });
        match kind {
            Shape::Amo(k) => self.amo.push((i, k)),
            Shape::Bitrix(k) => self.bitrix.push((i, k)),
            Shape::HubSpot(k) => self.hubspot.push((i, k)),
            Shape::Pipedrive(k) => self.pipedrive.push((i, k)),
            Shape::Empty => {}
        }
    }
}

/// The CRM and kind of one response.
enum Shape {
    Amo(super::amo::Kind),
    Bitrix(super::bitrix::Kind),
    HubSpot(super::hubspot::Kind),
    Pipedrive(super::pipedrive::Kind),
    /// A known envelope with nothing in it.
    Empty,
}

fn classify(v: &Value) -> Option<Shape> {
    if !v.is_object() {
        return None;
    }
    if let Some(k) = super::amo::classify(v) {
        return Some(k.map_or(Shape::Empty, Shape::Amo));
    }
    if let Some(k) = super::bitrix::classify(v) {
        return Some(k.map_or(Shape::Empty, Shape::Bitrix));
    }
    if let Some(k) = super::hubspot::classify(v) {
        return Some(k.map_or(Shape::Empty, Shape::HubSpot));
    }
    if let Some(k) = super::pipedrive::classify(v) {
        return Some(k.map_or(Shape::Empty, Shape::Pipedrive));
    }
    None
}

/// serde_json's reasons in Russian (the category; the position is the diagnostic's).
fn json_error_ru(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "файл кончился посреди значения".to_owned(),
        Category::Syntax => format!("синтаксическая ошибка ({e})"),
        Category::Data | Category::Io => format!("{e}"),
    }
}

fn skip_ws(text: &str, mut i: usize) -> usize {
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
fn value_span(file: &Located, start: usize, path: &[Step]) -> Span {
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
    pub fn page(&self, i: usize) -> &Value {
        &self.pages[i].value
    }

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

/// What a CRM's module read.
#[derive(Default)]
pub(super) struct Read {
    pub entries: Vec<RawEntry>,
    pub deals: Vec<RawDeal>,
}

/// Stages events name that the pipelines files do not: counted, the first one located.
#[derive(Default)]
pub(super) struct Unknown {
    pub count: usize,
    pub first: Option<(Loc, String)>,
}

impl Unknown {
    pub fn add(&mut self, loc: &Loc, what: String) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((loc.clone(), what));
        }
    }

    pub fn note(&self, cx: &mut Cx, crm: &str) {
        if let Some((loc, what)) = &self.first {
            let place = cx.place(loc);
            cx.notes.push(Msg::new(
                format!(
                    "{crm}: записей об этапах, которых нет в файлах воронок (удалённые этапы?), — {}, первая — {place}: {what}; они перечислены среди несопоставленных",
                    self.count
                ),
                format!(
                    "{crm}: {} records of stages the pipelines files do not have (deleted stages?), the first at {place}: {what}; they are listed among the unmatched",
                    self.count
                ),
            ));
        }
    }
}

/// Entries that leave a stage the deal was not in by the earlier entries: counted, the first
/// located.
#[derive(Default)]
pub(super) struct Broken {
    pub count: usize,
    pub first: Option<(Loc, String)>,
}

impl Broken {
    pub fn add(&mut self, loc: &Loc, what: String) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((loc.clone(), what));
        }
    }

    pub fn note(&self, cx: &mut Cx, crm: &str) {
        if let Some((loc, what)) = &self.first {
            let place = cx.place(loc);
            cx.notes.push(Msg::new(
                format!(
                    "{crm}: изменений, которые выводят сделку из этапа, где она по более ранним записям не была, — {} (первое — {place}: {what}); переходы взяты по времени",
                    self.count
                ),
                format!(
                    "{crm}: {} changes take a deal out of a stage the earlier records do not put it in (the first at {place}: {what}); entries are taken in time order",
                    self.count
                ),
            ));
        }
    }
}

/// Every CRM's pages into the history: entries sorted by deal and time (so the order within a
/// day is the CRM's), duplicates of a deal merged.
pub(super) fn finish(pages: Pages, sources: &SourceMap, reader: &mut Reader) {
    if pages.pages.is_empty() {
        return;
    }
    let mut cx = Cx {
        sources,
        pages: &pages.pages,
        errors: Vec::new(),
        notes: Vec::new(),
    };
    let mut reads = Vec::new();
    if !pages.amo.is_empty() {
        reads.push(super::amo::read(&mut cx, &pages.amo));
    }
    if !pages.bitrix.is_empty() {
        reads.push(super::bitrix::read(&mut cx, &pages.bitrix));
    }
    if !pages.hubspot.is_empty() {
        reads.push(super::hubspot::read(&mut cx, &pages.hubspot));
    }
    if !pages.pipedrive.is_empty() {
        reads.push(super::pipedrive::read(&mut cx, &pages.pipedrive));
    }
    let Cx { errors, notes, .. } = cx;
    reader.errors.extend(errors);
    reader.history.notes.extend(notes);
    let to_day = |t: i64| t.div_euclid(86_400) as i32;
    for read in reads {
        for d in read.deals {
            let i = reader.deal(&d.key);
            let stage = d
                .current
                .as_ref()
                .map(|(n, ids)| reader.stage_as(&n.0, &n.1, (&ids.0, &ids.1)));
            let deal = &mut reader.history.deals[i as usize];
            deal.created = d.created.map(to_day);
            deal.closed = d.closed.map(to_day);
            deal.status = d.status;
            deal.amount = d.amount;
            deal.channel = d.channel;
            deal.owner = d.owner;
            deal.loss_reason = d.loss_reason;
            deal.stage = stage;
        }
        let mut entries = read.entries;
        // Stable: the CRM's order among entries of one same second.
        entries.sort_by(|a, b| a.deal.cmp(&b.deal).then(a.time.cmp(&b.time)));
        let mut stage_of: HashMap<(String, String), u32> = HashMap::new();
        for e in entries {
            let deal = reader.deal(&e.deal);
            let stage = match stage_of.get(&e.names) {
                Some(&s) => s,
                None => {
                    let s = reader.stage_as(&e.names.0, &e.names.1, (&e.ids.0, &e.ids.1));
                    stage_of.insert(e.names.clone(), s);
                    s
                }
            };
            reader.history.entries.push(super::Entry {
                deal,
                day: to_day(e.time),
                stage,
            });
        }
    }
}

/// Merges deals met on more than one page (overlapping pages): the first kept, the count
/// said in a note.
pub(super) fn dedup_deals(deals: Vec<RawDeal>, cx: &mut Cx, crm: &str) -> Vec<RawDeal> {
    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut out = Vec::with_capacity(deals.len());
    let mut dropped = 0usize;
    for d in deals {
        if seen.insert(d.key.clone(), ()).is_some() {
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
