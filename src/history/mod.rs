//! A CRM's deal history in the generic event log (docs/history.md): stage entries — `сделка`,
//! `дата`, `воронка`, `этап`, one row per entry into a stage — and deals — `сделка`,
//! `создана`, `канал`, `ответственный`, `сумма`, `статус` (open/won/lost), `закрыта`,
//! `причина`. Columns in Russian or English, in any order; a file is a stage-entry table when
//! it has a date and a stage column, a deals table when it has a status column. UTF-8 (with or
//! without BOM) or Windows-1251; `;`, `,` or tab as the delimiter.
//!
//! Every bad row is a diagnostic at its line and column (E0070–E0078, as the other data files);
//! unknown columns are ignored and said in a note. What was read is kept compactly (a deal is a
//! number, a stage a pair of interned names, a date a day number), so a history of millions of
//! rows fits in memory. How the history turns into parameters is `calibrate`.
//!
//! Besides the CSV tables: what the CRMs' APIs return, saved to JSON files (one module per CRM,
//! told apart by the shape in [`json`]), and spreadsheet exports of the deals list ([`sheet`]:
//! XLSX, XLS, ODS — a snapshot of each deal's current stage, without history). A directory
//! stands for all its files, sorted by name.
//!
//! Depends on `datafile`, `diag`, `source` and `load` only.

mod amo;
mod api;
mod bitrix;
pub mod dates;
mod hubspot;
mod json;
mod pipedrive;
mod sheet;

use crate::datafile::{self, Located, forbidden_char};
use crate::diag::kind::DataError;
use crate::diag::{Diagnostic, Msg};
use crate::source::{SourceMap, Span};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The largest history file read (bytes).
pub const MAX_HISTORY_BYTES: usize = 2 << 30;

/// Diagnostics kept per file; past them the rows are still read and only counted.
const MAX_ERRORS_PER_FILE: usize = 100;

/// A deal's state at the end of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Won,
    Lost,
}

/// A deal as the deals table describes it.
#[derive(Debug, Clone, Default)]
pub struct Deal {
    /// The deal's identifier as written.
    pub key: String,
    pub created: Option<i32>,
    pub channel: Option<String>,
    pub owner: Option<String>,
    pub amount: Option<f64>,
    /// `None`: the deal is not in a deals table (only its stage entries are known).
    pub status: Option<Status>,
    pub closed: Option<i32>,
    pub loss_reason: Option<String>,
    /// The pipeline the deals table names (a deal with no stage entries, e.g. a repeat
    /// purchase, is placed by it).
    pub pipeline: Option<String>,
    /// The client (company or contact) the deal is with: a client's later won deal is its
    /// repeat purchase.
    pub client: Option<String>,
    /// The stage the deal is in now, as a deals list shows it (index into
    /// [`History::stages`]); a snapshot without history has only this.
    pub stage: Option<u32>,
}

/// One entry of a deal into a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Index into [`History::deals`].
    pub deal: u32,
    /// Days from 1970-01-01 ([`dates`]).
    pub day: i32,
    /// Index into [`History::stages`].
    pub stage: u32,
}

/// One call to a deal's client (a calls table, amoCRM's call notes): 12 bytes, as an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// Index into [`History::deals`].
    pub deal: u32,
    /// Days from 1970-01-01 ([`dates`]).
    pub day: i32,
    /// The client answered (a conversation took place).
    pub reached: bool,
    /// Made by the seller (an incoming call is the client's and says nothing of reach).
    pub outgoing: bool,
}

/// The whole history read from one or more files.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub deals: Vec<Deal>,
    pub entries: Vec<Entry>,
    /// Calls, in the order read (file order; a CRM's in its own order).
    pub calls: Vec<Call>,
    /// (pipeline, stage) as the files name them; the pipeline may be empty.
    pub stages: Vec<(String, String)>,
    /// (pipeline, stage) as the CRM identifies them (amoCRM's numbers, Bitrix24's `C1:NEW`),
    /// beside [`History::stages`]; the same names for a CSV table.
    pub stage_ids: Vec<(String, String)>,
    /// What the reader ignored or repaired, for the report.
    pub notes: Vec<Msg>,
}

/// Why the history could not be read.
pub enum ReadFailure {
    /// A file could not be read at all (exit 3).
    Io(PathBuf, crate::load::ReadError),
    /// Errors in the files' contents (exit 1), with the sources to show them.
    Errors(SourceMap, Vec<Diagnostic>),
}

/// The columns: canonical Russian name, then aliases (case, `ё`, spaces, `-`/`_` do not matter),
/// as the generic log and the CRMs' list exports (amoCRM, Bitrix24, HubSpot, Pipedrive, in
/// Russian and English) name them. Pipedrive's `Deal - …` / `Сделка - …` prefix is dropped.
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "сделка",
        &[
            "deal",
            "deal_id",
            "id",
            "ид",
            "номер",
            "сделка_id",
            "lead_id",
            "record_id",
            "id_сделки",
            "номер_сделки",
        ],
    ),
    (
        "дата",
        &[
            "at",
            "date",
            "time",
            "moved_at",
            "когда",
            "дата_перехода",
            "время",
        ],
    ),
    (
        "воронка",
        &[
            "pipeline",
            "pipeline_id",
            "направление",
            "category",
            "воронка_сделки",
        ],
    ),
    (
        "этап",
        &[
            "stage",
            "stage_id",
            "status_id",
            "этап_сделки",
            "стадия",
            "стадия_сделки",
            "deal_stage",
            "dealstage",
        ],
    ),
    (
        "создана",
        &[
            "created",
            "created_at",
            "дата_создания",
            "add_time",
            "createdate",
            "create_date",
            "deal_created",
            "сделка_создана",
            "создано",
        ],
    ),
    (
        "канал",
        &[
            "channel",
            "source",
            "источник",
            "source_channel",
            "original_source",
            "original_source_type",
            "original_traffic_source",
            "канал_источника",
            "источник_сделки",
        ],
    ),
    (
        "ответственный",
        &[
            "owner",
            "менеджер",
            "responsible",
            "assigned",
            "deal_owner",
            "ответственный_менеджер",
            "владелец",
        ],
    ),
    (
        "сумма",
        &[
            "amount",
            "бюджет",
            "price",
            "value",
            "opportunity",
            "стоимость",
            "сумма_сделки",
            "deal_value",
        ],
    ),
    (
        "статус",
        &[
            "status",
            "состояние",
            "итог",
            "result",
            "статус_сделки",
            "deal_status",
        ],
    ),
    (
        "закрыта",
        &[
            "closed",
            "closed_at",
            "дата_закрытия",
            "closedate",
            "close_time",
            "close_date",
            "deal_closed_on",
            "время_закрытия",
            "сделка_закрыта",
        ],
    ),
    (
        "причина",
        &[
            "loss_reason",
            "lost_reason",
            "причина_отказа",
            "reason",
            "closed_lost_reason",
            "причина_проигрыша",
            "причина_закрытия",
        ],
    ),
    (
        "клиент",
        &[
            "client",
            "client_id",
            "компания",
            "company",
            "company_id",
            "контакт",
            "contact",
            "contact_id",
            "account",
            "организация",
        ],
    ),
    (
        "результат",
        &[
            "результат_звонка",
            "call_result",
            "call_status",
            "статус_звонка",
            "outcome",
            "исход",
            "дозвон",
            "reached",
            "answered",
        ],
    ),
    (
        "тип",
        &[
            "type",
            "тип_звонка",
            "call_type",
            "тип_активности",
            "activity_type",
            "direction",
            "call_direction",
            "направление_звонка",
        ],
    ),
    (
        "длительность",
        &[
            "duration",
            "call_duration",
            "длительность_разговора",
            "длительность_звонка",
            "talk_time",
            "duration_seconds",
            "секунд",
        ],
    ),
];
const DEAL: usize = 0;
const AT: usize = 1;
const PIPELINE: usize = 2;
const STAGE: usize = 3;
const CREATED: usize = 4;
const CHANNEL: usize = 5;
const OWNER: usize = 6;
const AMOUNT: usize = 7;
const STATUS: usize = 8;
const CLOSED: usize = 9;
const REASON: usize = 10;
const CLIENT: usize = 11;
const RESULT: usize = 12;
const KIND: usize = 13;
const DURATION: usize = 14;

fn column_of(name: &str) -> Option<usize> {
    datafile::column_index(name, COLUMNS).or_else(|| {
        // Pipedrive writes `Deal - Stage`, `Сделка - Этап`.
        let key = datafile::column_key(name);
        ["deal___", "сделка___"]
            .iter()
            .find_map(|p| key.strip_prefix(p))
            .and_then(|rest| datafile::column_index(rest, COLUMNS))
    })
}

/// The status a stage's name implies when a deals list has no status column: the closing
/// stages as the CRMs name them (amoCRM's 142/143, Bitrix24's `WON`/`LOSE`, HubSpot's
/// `closedwon`), else open.
fn status_of_stage(text: &str) -> Status {
    let t = datafile::column_key(text);
    let t = t.rsplit(':').next().unwrap_or(&t);
    const WON: &[&str] = &[
        "успешно_реализовано",
        "сделка_успешна",
        "сделка_выиграна",
        "closed_won",
        "closedwon",
        "won",
        "выиграна",
        "142",
    ];
    const LOST: &[&str] = &[
        "закрыто_и_не_реализовано",
        "сделка_провалена",
        "сделка_проиграна",
        "анализ_причины_провала",
        "closed_lost",
        "closedlost",
        "lost",
        "lose",
        "apology",
        "проиграна",
        "143",
    ];
    if WON.contains(&t) {
        Status::Won
    } else if LOST.contains(&t) {
        Status::Lost
    } else {
        Status::Open
    }
}

/// A status as CRMs and people write it.
fn status_of(text: &str) -> Option<Status> {
    let t = datafile::column_key(text);
    const OPEN: &[&str] = &[
        "open",
        "открыта",
        "открытая",
        "в_работе",
        "активна",
        "active",
        "0",
    ];
    const WON: &[&str] = &[
        "won",
        "win",
        "выиграна",
        "выиграно",
        "успех",
        "успешно",
        "успешно_реализовано",
        "успешная",
        "закрыта_успешно",
        "продажа",
        "оплачена",
        "142",
        "s",
    ];
    const LOST: &[&str] = &[
        "lost",
        "loss",
        "проиграна",
        "проиграно",
        "отказ",
        "провал",
        "закрыто_и_не_реализовано",
        "закрыта_неуспешно",
        "потеряна",
        "143",
        "f",
    ];
    if OPEN.contains(&t.as_str()) {
        Some(Status::Open)
    } else if WON.contains(&t.as_str()) {
        Some(Status::Won)
    } else if LOST.contains(&t.as_str()) {
        Some(Status::Lost)
    } else {
        None
    }
}

/// A call's result as CRMs and people write it: reached (a conversation) or not.
fn reached_of(text: &str) -> Option<bool> {
    let t = datafile::column_key(text);
    const YES: &[&str] = &[
        "дозвон",
        "дозвонились",
        "дозвонился",
        "дозвонилась",
        "разговор",
        "разговор_состоялся",
        "состоялся",
        "ответил",
        "ответила",
        "успешно",
        "успешный",
        "да",
        "reached",
        "answered",
        "connected",
        "talked",
        "conversation",
        "success",
        "successful",
        "yes",
        "y",
        "true",
        "1",
    ];
    const NO: &[&str] = &[
        "недозвон",
        "не_дозвонился",
        "не_дозвонились",
        "не_дозвонилась",
        "нет_ответа",
        "не_ответил",
        "не_ответила",
        "не_отвечает",
        "занято",
        "занят",
        "номер_занят",
        "сброс",
        "сбросил",
        "сбросили",
        "нет_на_месте",
        "оставил_сообщение",
        "автоответчик",
        "перезвонить_позже",
        "неверный_номер",
        "не_состоялся",
        "пропущен",
        "пропущенный",
        "нет",
        "no_answer",
        "noanswer",
        "not_reached",
        "unreached",
        "busy",
        "voicemail",
        "missed",
        "failed",
        "wrong_number",
        "no",
        "n",
        "false",
        "0",
    ];
    if YES.contains(&t.as_str()) {
        Some(true)
    } else if NO.contains(&t.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// What a calls table's `тип` says of a row: a call made by the seller (`Some(true)`), a call
/// from the client (`Some(false)`), or an activity that is not a call (`None`); an unknown word
/// is `Err`.
fn call_kind_of(text: &str) -> Result<Option<bool>, ()> {
    let t = datafile::column_key(text);
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["входящий", "входящая", "вход", "incoming", "inbound", "call_in"]) || t == "in"
    {
        return Ok(Some(false));
    }
    if has(&[
        "исходящий",
        "исходящая",
        "исход",
        "outgoing",
        "outbound",
        "call_out",
    ]) || t == "out"
    {
        return Ok(Some(true));
    }
    if has(&["звонок", "звонки", "call", "phone", "телефон"]) {
        return Ok(Some(true));
    }
    const OTHER: &[&str] = &[
        "письмо",
        "email",
        "e_mail",
        "почта",
        "встреча",
        "meeting",
        "задача",
        "task",
        "sms",
        "смс",
        "сообщение",
        "message",
        "чат",
        "chat",
        "примечание",
        "note",
        "демо",
        "demo",
    ];
    if OTHER.iter().any(|w| t == *w || t.starts_with(&format!("{w}_"))) {
        return Ok(None);
    }
    Err(())
}

/// Talk time in seconds: `95`, `95,5`, `1:35`, `0:01:35`.
fn seconds_of(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.contains(':') {
        let mut total = 0.0;
        for part in t.split(':') {
            let x: f64 = part.trim().parse().ok().filter(|x: &f64| *x >= 0.0)?;
            total = total * 60.0 + x;
        }
        return Some(total);
    }
    datafile::plain_number(t)
        .ok()
        .filter(|x| *x >= 0.0 && datafile::in_range(*x))
}

/// Text as bytes were written: UTF-8 (a BOM dropped), else Windows-1251 (a Russian
/// spreadsheet's CSV). Returns the text and whether it was converted.
fn decode(mut bytes: Vec<u8>) -> (String, bool) {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    // UTF-8 becomes the text in place (a history of hundreds of megabytes is not copied).
    match String::from_utf8(bytes) {
        Ok(t) => (t, false),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1251.decode(e.as_bytes());
            (text.into_owned(), true)
        }
    }
}

/// The reader's state across files.
#[derive(Default)]
struct Reader {
    history: History,
    deal_ids: HashMap<String, u32>,
    /// Pipeline, then stage → index into [`History::stages`] (looked up without allocating).
    stage_ids: HashMap<String, HashMap<String, u32>>,
    errors: Vec<Diagnostic>,
    /// Calls of the calls tables, kept by the deal's identifier until every file is read (the
    /// deals they name may come later).
    calls: Vec<PendingCall>,
    /// The files the pending calls come from, as shown.
    call_files: Vec<String>,
}

/// A call read from a calls table, its deal not yet looked up.
struct PendingCall {
    key: Box<str>,
    day: i32,
    reached: bool,
    outgoing: bool,
    /// Index into [`Reader::call_files`] and the line.
    file: u32,
    line: u32,
}

impl Reader {
    fn deal(&mut self, key: &str) -> u32 {
        if let Some(&i) = self.deal_ids.get(key) {
            return i;
        }
        let i = self.history.deals.len() as u32;
        self.history.deals.push(Deal {
            key: key.to_owned(),
            ..Deal::default()
        });
        self.deal_ids.insert(key.to_owned(), i);
        i
    }

    fn stage(&mut self, pipeline: &str, stage: &str) -> u32 {
        self.stage_as(pipeline, stage, (pipeline, stage))
    }

    /// A stage by its names, remembering the CRM's identifiers of it when first seen.
    fn stage_as(&mut self, pipeline: &str, stage: &str, ids: (&str, &str)) -> u32 {
        if let Some(&i) = self.stage_ids.get(pipeline).and_then(|s| s.get(stage)) {
            return i;
        }
        let i = self.history.stages.len() as u32;
        self.history.stages.push((pipeline.to_owned(), stage.to_owned()));
        self.history.stage_ids.push((ids.0.to_owned(), ids.1.to_owned()));
        self.stage_ids
            .entry(pipeline.to_owned())
            .or_default()
            .insert(stage.to_owned(), i);
        i
    }

    /// The calls tables' calls into the history: a call whose deal no table names is left out,
    /// said in a note with the place of the first.
    fn resolve_calls(&mut self) {
        let mut unknown = 0usize;
        let mut first: Option<String> = None;
        for c in std::mem::take(&mut self.calls) {
            match self.deal_ids.get(&*c.key) {
                Some(&deal) => self.history.calls.push(Call {
                    deal,
                    day: c.day,
                    reached: c.reached,
                    outgoing: c.outgoing,
                }),
                None => {
                    unknown += 1;
                    if first.is_none() {
                        first = Some(format!(
                            "{}:{}: «{}»",
                            self.call_files[c.file as usize], c.line, c.key
                        ));
                    }
                }
            }
        }
        if let Some(first) = first {
            self.history.notes.push(unknown_calls_note(unknown, &first));
        }
    }
}

/// The note of calls whose deal is in neither the stage entries nor the deals.
pub(super) fn unknown_calls_note(count: usize, first: &str) -> Msg {
    Msg::new(
        format!(
            "звонков по сделкам, которых нет ни в переходах, ни в таблице сделок: {count} — не учтены (первый: {first})"
        ),
        format!(
            "{count} calls of deals that are neither in the stage entries nor in the deals left out (the first: {first})"
        ),
    )
}

/// One file's reading: its located text and its errors.
struct FileCx<'a> {
    file: Located<'a>,
    errors: Vec<Diagnostic>,
    /// Errors past [`MAX_ERRORS_PER_FILE`], only counted.
    more: usize,
}

impl FileCx<'_> {
    fn error(&mut self, error: DataError, at: Span, message: Msg, hint: Option<Msg>) {
        if self.errors.len() < MAX_ERRORS_PER_FILE {
            self.errors.push(self.file.error(error, at, message, hint));
        } else {
            self.more += 1;
        }
    }

    fn day(&mut self, text: &str, at: Span, what: (&str, &str)) -> Option<i32> {
        let d = dates::parse_day(text);
        if d.is_none() {
            let t = text.trim();
            let message = Msg::new(
                format!("{}: не дата: «{t}»", what.0),
                format!("{}: not a date: `{t}`", what.1),
            );
            let hint = Msg::new(
                "дата как 2026-03-05, 2026-03-05 14:20, 05.03.2026 или секунды Unix",
                "a date such as 2026-03-05, 2026-03-05 14:20, 05.03.2026 or Unix seconds",
            );
            self.error(DataError::WrongValue, at, message, Some(hint));
        }
        d
    }
}

/// Reads every history file; every error of every file in one pass. A directory stands for
/// its files, sorted by name (an API's pages, one file a page).
pub fn read(paths: &[PathBuf]) -> Result<History, ReadFailure> {
    let mut sources = SourceMap::new();
    let mut reader = Reader::default();
    let mut pages = json::Pages::default();
    let (files, empty) = expand(paths)?;
    for dir in empty {
        reader.history.notes.push(Msg::new(
            format!("{}: в папке нет файлов", dir.display()),
            format!("{}: the directory has no files", dir.display()),
        ));
    }
    for path in files {
        let bytes = crate::load::read_capped(&path, MAX_HISTORY_BYTES)
            .map_err(|e| ReadFailure::Io(path.clone(), e))?;
        if sheet::is_workbook(&bytes) {
            sheet::read(&mut reader, &mut sources, &path, &bytes);
            continue;
        }
        let (text, converted) = decode(bytes);
        if converted {
            reader.history.notes.push(Msg::new(
                format!("{}: прочитан в кодировке Windows-1251", path.display()),
                format!("{}: read as Windows-1251", path.display()),
            ));
        }
        let is_json = json::looks_like_json(&text) || json::named_as_json(&path);
        if sheet::named_as_workbook(&path) {
            let what = if is_json { "JSON" } else { "CSV" };
            reader.history.notes.push(Msg::new(
                format!(
                    "{}: назван как книга Excel, но это текст — прочитан как {what}",
                    path.display()
                ),
                format!(
                    "{}: named as a spreadsheet but it is text — read as {what}",
                    path.display()
                ),
            ));
        }
        let id = sources.add(&path, text);
        if is_json {
            pages.parse(&sources, id, &mut reader.errors);
        } else {
            let errors = reader.errors.len();
            read_file(&mut reader, &path, &sources.get(id).text, id);
            // A table read without an error is not shown again: its text is let go, so a
            // history of many large files holds one at a time.
            if reader.errors.len() == errors {
                sources.release(id);
            }
        }
    }
    json::finish(pages, &sources, &mut reader);
    reader.resolve_calls();
    if reader.errors.is_empty() {
        Ok(reader.history)
    } else {
        Err(ReadFailure::Errors(sources, reader.errors))
    }
}

/// The files the paths name: a directory's files (not its hidden ones, not its
/// subdirectories), sorted by name, in its place; and the directories without files.
fn expand(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>), ReadFailure> {
    let mut out = Vec::new();
    let mut empty = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let listing = std::fs::read_dir(path)
            .map_err(|e| ReadFailure::Io(path.clone(), crate::load::ReadError::Io(e)))?;
        let mut files: Vec<PathBuf> = listing
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        files.sort();
        if files.is_empty() {
            empty.push(path.clone());
        }
        out.extend(files);
    }
    Ok((out, empty))
}

/// What kind of table a header describes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Entries,
    Deals,
    /// Calls: `сделка`, `дата`, `результат` and/or `длительность`, optionally `тип`.
    Calls,
}

fn read_file(reader: &mut Reader, path: &Path, text: &str, id: crate::source::FileId) {
    let mut cx = FileCx {
        file: Located::new(id, text),
        errors: Vec::new(),
        more: 0,
    };
    let shown = path.display().to_string();
    let header_line = text.lines().next().unwrap_or("");
    if header_line.trim().is_empty() {
        let message = Msg::new("файл истории пуст", "the history file is empty");
        cx.error(
            DataError::Unreadable,
            cx.file.point(1, 1),
            message,
            Some(header_hint()),
        );
        reader.errors.append(&mut cx.errors);
        return;
    }
    let delimiter = datafile::csv_delimiter(header_line);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let message = Msg::new(
                format!("не удалось прочитать CSV: {e}"),
                format!("invalid CSV: {e}"),
            );
            cx.error(DataError::Unreadable, cx.file.point(1, 1), message, None);
            reader.errors.append(&mut cx.errors);
            return;
        }
    };
    let mut by_column: Vec<Option<usize>> = vec![None; COLUMNS.len()];
    let mut ignored = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        let at = datafile::csv_field_span(&cx.file, 1, i, delimiter);
        match column_of(name) {
            Some(c) if by_column[c].is_none() => by_column[c] = Some(i),
            Some(c) => {
                let message = Msg::new(
                    format!("столбец «{}» указан дважды", COLUMNS[c].0),
                    format!("column `{}` appears twice", COLUMNS[c].1[0]),
                );
                let hint = Msg::new("оставьте один из них", "keep only one of them");
                cx.error(DataError::DuplicateKey, at, message, Some(hint));
            }
            None if !name.trim().is_empty() => ignored.push(name.trim().to_owned()),
            None => {}
        }
    }
    if !ignored.is_empty() {
        reader.history.notes.push(Msg::new(
            format!("{shown}: столбцы не используются: {}", ignored.join(", ")),
            format!("{shown}: columns not used: {}", ignored.join(", ")),
        ));
    }
    // A deals list exported from a CRM's screen has the current stage and no entry date: a
    // deals table whose status, when no column gives it, follows from the stage.
    // A calls table has a date but no stage: its result, talk time or call type tells it (an
    // English `result` column is the call's result there, not a deal's status).
    // A deal's own columns (or a deal's status) make it a deals table whatever else it has.
    let deal_columns = [CREATED, CLOSED, AMOUNT, CHANNEL, REASON]
        .iter()
        .any(|&c| by_column[c].is_some());
    let status_is_result =
        by_column[STATUS].is_some_and(|i| datafile::column_key(headers.get(i).unwrap_or("")) == "result");
    let calls_columns = by_column[STATUS].is_none() || status_is_result;
    let calls_columns = calls_columns
        && (status_is_result
            || by_column[RESULT].is_some()
            || by_column[DURATION].is_some()
            || by_column[KIND].is_some());
    let table = if by_column[AT].is_some() && by_column[STAGE].is_some() {
        Table::Entries
    } else if by_column[AT].is_some() && calls_columns && !deal_columns {
        if by_column[RESULT].is_none() && status_is_result {
            by_column[RESULT] = by_column[STATUS].take();
        }
        if by_column[RESULT].is_none() && by_column[DURATION].is_none() {
            let message = Msg::new(
                "в таблице звонков нет ни столбца «результат» (дозвонились или нет), ни «длительность» (секунд разговора)",
                "the calls table has neither a `result` column (reached or not) nor a `duration` column (seconds of talk)",
            );
            let at = cx.file.span(1, 1, header_line.chars().count());
            cx.error(DataError::MissingColumn, at, message, Some(header_hint()));
            reader.errors.append(&mut cx.errors);
            return;
        }
        Table::Calls
    } else if by_column[STATUS].is_some() || by_column[STAGE].is_some() {
        Table::Deals
    } else {
        let message = Msg::new(
            "по заголовку не понять, что в файле: нет ни столбцов «дата» и «этап» (переходы по этапам), ни столбца «статус» или «этап» (сделки)",
            "the header names neither `at` and `stage` columns (stage entries) nor a `status` or `stage` column (deals)",
        );
        let at = cx.file.span(1, 1, header_line.chars().count());
        cx.error(DataError::MissingColumn, at, message, Some(header_hint()));
        reader.errors.append(&mut cx.errors);
        return;
    };
    if by_column[DEAL].is_none() {
        let message = Msg::new(
            "в заголовке нет столбца «сделка»",
            "the header has no `deal` column",
        );
        let at = cx.file.span(1, 1, header_line.chars().count());
        cx.error(DataError::MissingColumn, at, message, Some(header_hint()));
        reader.errors.append(&mut cx.errors);
        return;
    }
    // Rows of a calls table that are not calls (a letter, a meeting).
    let mut skipped_calls = 0usize;
    for record in csv.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let message = Msg::new(
                    format!("не удалось прочитать строку CSV: {e}"),
                    format!("invalid CSV row: {e}"),
                );
                cx.error(DataError::Unreadable, cx.file.span(line, 1, 1), message, None);
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let (errors_before, more_before) = (cx.errors.len(), cx.more);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let cell = |c: usize| -> Option<(&str, usize)> {
            let i = by_column[c]?;
            record
                .get(i)
                .map(|t| (t.trim(), i))
                .filter(|(t, _)| !t.is_empty())
        };
        let span = |cx: &FileCx, i: usize| datafile::csv_field_span(&cx.file, line, i, delimiter);
        // Text with a control or bidi character is refused before anything is read from it.
        let mut refused = false;
        for (i, field) in record.iter().enumerate() {
            if let Some(c) = forbidden_char(field) {
                let d = datafile::forbidden(&cx.file, span(&cx, i), c);
                if cx.errors.len() < MAX_ERRORS_PER_FILE {
                    cx.errors.push(d);
                } else {
                    cx.more += 1;
                }
                refused = true;
            }
        }
        if refused {
            continue;
        }
        let Some((key, _)) = cell(DEAL) else {
            let message = Msg::new("в строке нет номера сделки", "the row has no deal identifier");
            let hint = Msg::new(
                "каждая строка относится к сделке: заполните столбец «сделка»",
                "every row belongs to a deal: fill in the `deal` column",
            );
            cx.error(
                DataError::MissingColumn,
                cx.file.point(line, 1),
                message,
                Some(hint),
            );
            continue;
        };
        if table == Table::Calls {
            let file = match reader.call_files.iter().position(|f| *f == shown) {
                Some(i) => i,
                None => {
                    reader.call_files.push(shown.clone());
                    reader.call_files.len() - 1
                }
            };
            let call = read_call(&mut cx, &cell, &span, line);
            if let Some((day, reached, outgoing)) = call {
                reader.calls.push(PendingCall {
                    key: key.into(),
                    day,
                    reached,
                    outgoing,
                    file: file as u32,
                    line: line.min(u64::from(u32::MAX)) as u32,
                });
            } else {
                skipped_calls += usize::from(cx.errors.len() == errors_before && cx.more == more_before);
            }
            continue;
        }
        let deal = reader.deal(key);
        match table {
            Table::Entries => {
                let day = match cell(AT) {
                    Some((t, i)) => cx.day(t, span(&cx, i), ("дата перехода", "entry date")),
                    None => {
                        let message = Msg::new("в строке нет даты перехода", "the row has no entry date");
                        cx.error(
                            DataError::MissingColumn,
                            cx.file.point(line, 1),
                            message,
                            Some(header_hint()),
                        );
                        None
                    }
                };
                let Some((stage, _)) = cell(STAGE) else {
                    let message = Msg::new("в строке нет этапа", "the row has no stage");
                    cx.error(
                        DataError::MissingColumn,
                        cx.file.point(line, 1),
                        message,
                        Some(header_hint()),
                    );
                    continue;
                };
                let pipeline = cell(PIPELINE).map_or("", |(t, _)| t);
                if let Some(day) = day {
                    let stage = reader.stage(pipeline, stage);
                    reader.history.entries.push(Entry { deal, day, stage });
                }
            }
            Table::Deals => {
                let status = cell(STATUS).and_then(|(t, i)| {
                    let s = status_of(t);
                    if s.is_none() {
                        let message = Msg::new(
                            format!("неизвестный статус сделки «{t}»"),
                            format!("unknown deal status `{t}`"),
                        );
                        let hint = Msg::new(
                            "статус: открыта, выиграна или проиграна (open, won, lost)",
                            "status: open, won or lost",
                        );
                        cx.error(DataError::WrongValue, span(&cx, i), message, Some(hint));
                    }
                    s
                });
                let created = cell(CREATED)
                    .and_then(|(t, i)| cx.day(t, span(&cx, i), ("дата создания", "creation date")));
                // Bitrix24's list has «Закрыта: Да/Нет» rather than a date.
                let closed = cell(CLOSED)
                    .filter(|(t, _)| !is_yes_no(t))
                    .and_then(|(t, i)| cx.day(t, span(&cx, i), ("дата закрытия", "closing date")));
                let amount = cell(AMOUNT).and_then(|(t, i)| match datafile::plain_number(t) {
                    Ok(x) if x >= 0.0 && datafile::in_range(x) => Some(x),
                    _ => {
                        let message = Msg::new(
                            format!("сумма: ожидалось неотрицательное число, получено «{t}»"),
                            format!("amount: expected a non-negative number, found `{t}`"),
                        );
                        let hint = Msg::new(
                            "число вроде 150 000 или 150000,50",
                            "a number such as 150000 or 150000.50",
                        );
                        cx.error(DataError::WrongValue, span(&cx, i), message, Some(hint));
                        None
                    }
                });
                let pipeline = cell(PIPELINE).map_or("", |(t, _)| t);
                let current = cell(STAGE).map(|(t, _)| (reader.stage(pipeline, t), status_of_stage(t)));
                // Without a status column the stage tells it; a list's closing date of an open
                // deal is the date planned, not a fact.
                let status = status.or(current.map(|(_, s)| s));
                let closed = closed.filter(|_| {
                    by_column[STAGE].is_none() || matches!(status, Some(Status::Won | Status::Lost))
                });
                let d = &mut reader.history.deals[deal as usize];
                if d.status.is_some() {
                    let message = Msg::new(
                        format!("сделка «{key}» описана дважды"),
                        format!("deal `{key}` is described twice"),
                    );
                    let hint = Msg::new("одна строка на сделку", "one row per deal");
                    cx.error(
                        DataError::DuplicateKey,
                        cx.file.point(line, 1),
                        message,
                        Some(hint),
                    );
                    continue;
                }
                d.status = status.or(Some(Status::Open));
                d.created = created;
                d.closed = closed;
                d.amount = amount;
                d.channel = cell(CHANNEL).map(|(t, _)| t.to_owned());
                d.owner = cell(OWNER).map(|(t, _)| t.to_owned());
                d.loss_reason = cell(REASON).map(|(t, _)| t.to_owned());
                d.pipeline = cell(PIPELINE).map(|(t, _)| t.to_owned());
                d.client = cell(CLIENT).map(|(t, _)| t.to_owned());
                d.stage = current.map(|(s, _)| s);
            }
            Table::Calls => {}
        }
    }
    if skipped_calls > 0 {
        reader.history.notes.push(Msg::new(
            format!("{shown}: строк не о звонках (письма, встречи, задачи): {skipped_calls} — пропущены"),
            format!("{shown}: {skipped_calls} rows that are not calls (letters, meetings, tasks) skipped"),
        ));
    }
    if cx.more > 0 {
        let message = Msg::new(
            format!(
                "и ещё {} ошибок в этом файле (показаны первые {MAX_ERRORS_PER_FILE})",
                cx.more
            ),
            format!(
                "and {} more errors in this file (the first {MAX_ERRORS_PER_FILE} shown)",
                cx.more
            ),
        );
        let at = cx.file.point(1, 1);
        cx.errors
            .push(cx.file.error(DataError::Unreadable, at, message, None));
    }
    reader.errors.append(&mut cx.errors);
}

/// One row of a calls table: (day, reached, outgoing), or `None` when it is not a call or has
/// an error (said in `cx`).
fn read_call<'r>(
    cx: &mut FileCx,
    cell: &dyn Fn(usize) -> Option<(&'r str, usize)>,
    span: &dyn Fn(&FileCx, usize) -> Span,
    line: u64,
) -> Option<(i32, bool, bool)> {
    let outgoing = match cell(KIND) {
        None => true,
        Some((t, i)) => match call_kind_of(t) {
            Ok(Some(out)) => out,
            Ok(None) => return None,
            Err(()) => {
                let message = Msg::new(
                    format!("неизвестный тип звонка «{t}»"),
                    format!("unknown call type `{t}`"),
                );
                let hint = Msg::new(
                    "тип: исходящий или входящий (звонок); строки о письмах, встречах и задачах пропускаются",
                    "type: outgoing or incoming (call); rows of letters, meetings and tasks are skipped",
                );
                cx.error(DataError::WrongValue, span(cx, i), message, Some(hint));
                return None;
            }
        },
    };
    let day = match cell(AT) {
        Some((t, i)) => cx.day(t, span(cx, i), ("дата звонка", "call date")),
        None => {
            let message = Msg::new("в строке нет даты звонка", "the row has no call date");
            cx.error(
                DataError::MissingColumn,
                cx.file.point(line, 1),
                message,
                Some(header_hint()),
            );
            None
        }
    };
    let seconds = match cell(DURATION) {
        Some((t, i)) => match seconds_of(t) {
            Some(s) => Some(s),
            None => {
                let message = Msg::new(
                    format!("длительность звонка: ожидалось число секунд, получено «{t}»"),
                    format!("call duration: expected a number of seconds, found `{t}`"),
                );
                let hint = Msg::new("секунды разговора: 95 или 1:35", "seconds of talk: 95 or 1:35");
                cx.error(DataError::WrongValue, span(cx, i), message, Some(hint));
                return None;
            }
        },
        None => None,
    };
    let reached = match cell(RESULT) {
        Some((t, i)) => match reached_of(t) {
            Some(r) => Some(r),
            None => {
                let message = Msg::new(
                    format!("неизвестный результат звонка «{t}»"),
                    format!("unknown call result `{t}`"),
                );
                let hint = Msg::new(
                    "результат: дозвонились (разговор, да, 1) или нет (недозвон, нет ответа, занято, 0)",
                    "result: reached (answered, yes, 1) or not (no answer, busy, 0)",
                );
                cx.error(DataError::WrongValue, span(cx, i), message, Some(hint));
                return None;
            }
        },
        None => seconds.map(|s| s > 0.0),
    };
    let Some(reached) = reached else {
        let message = Msg::new(
            "в строке нет результата звонка (ни результата, ни длительности)",
            "the row has no call result (neither a result nor a duration)",
        );
        let hint = Msg::new(
            "результат: дозвонились или нет; или длительность разговора в секундах",
            "result: reached or not; or the talk time in seconds",
        );
        cx.error(
            DataError::MissingColumn,
            cx.file.point(line, 1),
            message,
            Some(hint),
        );
        return None;
    };
    Some((day?, reached, outgoing))
}

/// «Да»/«Нет», `Y`/`N`: a closed flag, not a date.
fn is_yes_no(text: &str) -> bool {
    matches!(
        datafile::column_key(text).as_str(),
        "да" | "нет" | "y" | "n" | "yes" | "no"
    )
}

fn header_hint() -> Msg {
    Msg::new(
        "переходы: сделка;дата;воронка;этап — сделки: сделка;создана;канал;ответственный;сумма;статус;закрыта;причина — звонки: сделка;дата;тип;результат;длительность (docs/history.md)",
        "stage entries: deal,at,pipeline,stage — deals: deal,created,channel,owner,amount,status,closed,loss_reason — calls: deal,at,type,result,duration (docs/history.md)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_as_crms_write_them() {
        assert_eq!(status_of("Won"), Some(Status::Won));
        assert_eq!(status_of("Успешно реализовано"), Some(Status::Won));
        assert_eq!(status_of("142"), Some(Status::Won));
        assert_eq!(status_of("отказ"), Some(Status::Lost));
        assert_eq!(status_of("в работе"), Some(Status::Open));
        assert_eq!(status_of("может быть"), None);
    }

    #[test]
    fn call_results_types_and_talk_times_as_written() {
        for yes in [
            "Дозвонились",
            "разговор",
            "Разговор состоялся",
            "да",
            "answered",
            "1",
        ] {
            assert_eq!(reached_of(yes), Some(true), "{yes}");
        }
        for no in [
            "недозвон",
            "Не дозвонился",
            "нет ответа",
            "Занято",
            "no answer",
            "busy",
            "0",
        ] {
            assert_eq!(reached_of(no), Some(false), "{no}");
        }
        assert_eq!(reached_of("может быть"), None);
        assert_eq!(call_kind_of("Исходящий звонок"), Ok(Some(true)));
        assert_eq!(call_kind_of("входящий"), Ok(Some(false)));
        assert_eq!(call_kind_of("call_in"), Ok(Some(false)));
        assert_eq!(call_kind_of("Звонок"), Ok(Some(true)));
        assert_eq!(call_kind_of("outbound call"), Ok(Some(true)));
        assert_eq!(call_kind_of("Письмо"), Ok(None));
        assert_eq!(call_kind_of("meeting"), Ok(None));
        assert_eq!(call_kind_of("факс"), Err(()));
        assert_eq!(seconds_of("95"), Some(95.0));
        assert_eq!(seconds_of("1:35"), Some(95.0));
        assert_eq!(seconds_of("0:01:35"), Some(95.0));
        assert_eq!(seconds_of("полчаса"), None);
        assert_eq!(seconds_of("-3"), None);
    }

    #[test]
    fn windows_1251_is_read_as_russian() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("сделка;статус\n1;выиграна\n");
        let (text, converted) = decode(bytes.into_owned());
        assert!(converted);
        assert_eq!(text, "сделка;статус\n1;выиграна\n");
        assert_eq!(decode("\u{feff}a".as_bytes().to_vec()), ("a".to_owned(), false));
    }
}
