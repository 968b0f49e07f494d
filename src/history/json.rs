//! What a CRM's API returned, saved to JSON files: the pages are told apart by their shape
//! (never by the file's name) and handed to the CRM's module — [`super::amo`],
//! [`super::bitrix`], [`super::hubspot`], [`super::pipedrive`] — which turns them into stage
//! entries and deals ([`super::api`] holds what they share). A file holds one response, an
//! array of responses, or one response a line (JSON Lines).

use super::Reader;
use super::api::{Cx, Page, Step, skip_ws, value_span};
use crate::datafile::Located;
use crate::diag::kind::DataError;
use crate::diag::{Diagnostic, Msg};
use crate::source::{FileId, SourceMap};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

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
        "принимаются ответы API: amoCRM `/api/v4/events`, `/api/v4/leads`, `/api/v4/leads/pipelines`, `/api/v4/leads/notes` (`_embedded.events|leads|pipelines|notes`); Битрикс24 `crm.stagehistory.list` (`result.items`), `crm.deal.list` (`result`), `crm.item.list`, `crm.status.list`, `crm.category.list`; HubSpot сделки с `propertiesWithHistory` и `/crm/v3/pipelines/deals` (`results`); Pipedrive `/deals/{id}/flow`, `/api/v2/deals`, стадии и воронки (`data`) — по одному ответу в файле, массивом ответов или по строке на ответ (docs/history.md)",
        "accepted: API responses — amoCRM `/api/v4/events`, `/api/v4/leads`, `/api/v4/leads/pipelines`, `/api/v4/leads/notes` (`_embedded.events|leads|pipelines|notes`); Bitrix24 `crm.stagehistory.list` (`result.items`), `crm.deal.list` (`result`), `crm.item.list`, `crm.status.list`, `crm.category.list`; HubSpot deals with `propertiesWithHistory` and `/crm/v3/pipelines/deals` (`results`); Pipedrive `/deals/{id}/flow`, `/api/v2/deals`, stages and pipelines (`data`) — one response a file, an array of responses, or one a line (docs/history.md)",
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
    let to_day = |t: i64| t.div_euclid(86_400) as i32;
    let mut calls = Vec::new();
    for read in &mut reads {
        calls.append(&mut read.calls);
    }
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
    // Calls once every deal is known (the CSV tables were read before the JSON pages); a call
    // of a deal no file names is left out.
    calls.sort_by(|a, b| a.deal.cmp(&b.deal).then(a.time.cmp(&b.time)));
    let mut unknown = 0usize;
    let mut first: Option<String> = None;
    for c in calls {
        match reader.deal_ids.get(c.deal.as_str()) {
            Some(&deal) => reader.history.calls.push(super::Call {
                deal,
                day: to_day(c.time),
                reached: c.reached,
                outgoing: c.outgoing,
            }),
            None => {
                unknown += 1;
                if first.is_none() {
                    first = Some(format!("{}: entity_id «{}»", cx.place(&c.loc), c.deal));
                }
            }
        }
    }
    if let Some(first) = first {
        cx.notes.push(super::unknown_calls_note(unknown, &first));
    }
    let Cx { errors, notes, .. } = cx;
    reader.errors.extend(errors);
    reader.history.notes.extend(notes);
}
