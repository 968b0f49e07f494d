//! Spreadsheet exports of a CRM's deals list (XLSX, XLS, ODS, read with `calamine`): one row
//! per deal with its current stage, status, dates, amount, source and owner — a snapshot, no
//! history. The first sheet with data is turned into the CSV text the deals table reader
//! ([`super::read_file`]) reads, row for row (a sheet's row is a line of that text), so the
//! columns are recognised as in a CSV export; dates written as Excel serial numbers in a date
//! column become dates. A diagnostic names the sheet's cell (`Лист1!C17`) and shows the row.

use super::{Reader, column_of};
use crate::datafile::Located;
use crate::diag::kind::{DataError, Kind};
use crate::diag::{Location, Msg};
use crate::source::SourceMap;
use calamine::{Data, Reader as _};
use std::path::Path;

/// Whether bytes are a workbook: a ZIP (XLSX, ODS) or an OLE compound file (XLS).
pub(super) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Whether a file is named as a workbook.
pub(super) fn named_as_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_lowercase().as_str(),
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods"
        )
    })
}

/// The spreadsheet's column letters of a 0-based index: 0 → A, 27 → AB.
fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A cell as text; `date` when its column holds dates (a number is then an Excel serial date).
fn cell_text(cell: &Data, date: bool) -> String {
    let number = |x: f64| -> String {
        if date && let Some(day) = crate::history::dates::excel_serial_day(x) {
            return crate::history::dates::show_day(day);
        }
        if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        }
    };
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.replace(['\r', '\n'], " "),
        Data::Int(i) => number(*i as f64),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "да" } else { "нет" }.to_owned(),
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

/// A field of the `;`-separated text, quoted when it must be.
fn csv_field(text: &str) -> String {
    if text.contains([';', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Reads a workbook's first sheet with data as a deals list.
pub(super) fn read(reader: &mut Reader, sources: &mut SourceMap, path: &Path, bytes: &[u8]) {
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mut workbook = match calamine::open_workbook_auto_from_rs(cursor) {
        Ok(w) => w,
        Err(e) => {
            let id = sources.add(path, String::new());
            let file = Located::new(id, "");
            reader.errors.push(file.error(
                DataError::Unreadable,
                file.point(1, 1),
                Msg::new(
                    format!("не удалось прочитать книгу XLSX/XLS/ODS: {e}"),
                    format!("cannot read the XLSX/XLS/ODS workbook: {e}"),
                ),
                Some(Msg::new(
                    "сохраните выгрузку из CRM заново или в CSV",
                    "export the list from the CRM again, or as CSV",
                )),
            ));
            return;
        }
    };
    let sheets = workbook.worksheets();
    let found = sheets
        .iter()
        .find(|(_, range)| range.rows().any(|r| r.iter().any(|c| !matches!(c, Data::Empty))));
    let Some((sheet, range)) = found else {
        let id = sources.add(path, String::new());
        let file = Located::new(id, "");
        let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
        reader.errors.push(file.error(
            DataError::Unreadable,
            file.point(1, 1),
            Msg::new(
                format!("в книге нет ни одной заполненной строки (листы: {})", names.join(", ")),
                format!("the workbook has no filled row (sheets: {})", names.join(", ")),
            ),
            Some(Msg::new(
                "нужен лист со списком сделок: строка заголовков (Этап сделки, Бюджет, Дата создания…) и по строке на сделку",
                "a sheet with the deals list is needed: a header row (Deal Stage, Amount, Create Date…) and one row per deal",
            )),
        ));
        return;
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let rows: Vec<&[Data]> = range.rows().collect();
    // The header: the first row of two filled cells or more (a title line above it is skipped).
    let filled = |r: &[Data]| r.iter().filter(|c| !matches!(c, Data::Empty)).count();
    let header_at = rows
        .iter()
        .position(|r| filled(r) >= 2)
        .or_else(|| rows.iter().position(|r| filled(r) > 0))
        .unwrap_or(0);
    let header: Vec<String> = rows[header_at].iter().map(|c| cell_text(c, false)).collect();
    let dates: Vec<bool> = header
        .iter()
        .map(|h| matches!(column_of(h), Some(super::AT | super::CREATED | super::CLOSED)))
        .collect();
    // The text, a line per row from the header on, and where each line's fields start.
    let mut text = String::new();
    let mut starts: Vec<Vec<usize>> = Vec::new();
    for r in &rows[header_at..] {
        let mut at = Vec::new();
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i > 0 {
                line.push(';');
            }
            at.push(line.len());
            line.push_str(&csv_field(&cell_text(c, dates.get(i) == Some(&true))));
        }
        text.push_str(&line);
        text.push('\n');
        starts.push(at);
    }
    let id = sources.add(path, text);
    let before = reader.errors.len();
    let source = &sources.get(id).text;
    super::read_file(reader, path, source, id);
    // Name the cell in each diagnostic: the sheet's row and column letters.
    let file = Located::new(id, source);
    let first_row = row0 as usize + header_at;
    for d in &mut reader.errors[before..] {
        let Location::Span(span) = d.location else {
            continue;
        };
        if span.file != id {
            continue;
        }
        let offset = span.range().start;
        let line = source[..offset].matches('\n').count();
        let line_start = file.offset(line as u64 + 1, 1);
        let within = offset - line_start;
        let field = starts
            .get(line)
            .map_or(0, |s| s.iter().rposition(|&x| x <= within).unwrap_or(0));
        let cell = format!(
            "{sheet}!{}{}",
            column_letters(col0 as usize + field),
            first_row + line + 1
        );
        if let Kind::DataFile { message, .. } = &mut d.kind {
            message.ru = format!("ячейка {cell}: {}", message.ru);
            message.en = format!("cell {cell}: {}", message.en);
        }
    }
    reader.history.notes.push(Msg::new(
        format!(
            "{}: прочитан лист «{sheet}» — снимок сделок на сегодня (этап сейчас), без истории переходов",
            path.display()
        ),
        format!(
            "{}: sheet `{sheet}` read — a snapshot of the deals today (their current stage), no stage history",
            path.display()
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn cells_become_text() {
        assert_eq!(cell_text(&Data::Float(350000.0), false), "350000");
        assert_eq!(cell_text(&Data::Float(1.5), false), "1.5");
        assert_eq!(cell_text(&Data::Float(46086.0), true), "2026-03-05");
        assert_eq!(cell_text(&Data::String("a\nb".into()), false), "a b");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
    }
}
