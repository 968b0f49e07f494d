//! The forecast as text: the terminal tables and CSV of `simulate`, `sweep`,
//! `sensitivity` and `plan` (the HTML report and sweep page are [`super::forecast`]). Numbers are worded
//! for the reader's language; [`Table`] is the one builder of aligned terminal tables.
//!
//! Reads results of `sim` and `planning` only; never prints and never runs a simulation (the
//! `cli` commands run, then call these and print what they return).

pub mod compare;
pub mod csv;
pub mod forecast;
pub mod plan;
pub mod sections;
pub mod sweep;

use crate::diag::Lang;
use std::fmt::Write as _;

/// Numbers and percentages in the table style of [`crate::locale`]: a figure with the decimals
/// its size needs (`1 234 567`, `12,3`, `0,50`), a percentage with one decimal (`40,0 %`).
pub use crate::locale::{figure as number, percent_fixed as percent};

/// The short name of a calendar month (1–12; out of range is clamped), as the tables print it.
pub fn month_name(calendar_month: u32, lang: Lang) -> &'static str {
    let names = match lang {
        Lang::Ru => MONTHS_RU,
        Lang::En => MONTHS_EN,
    };
    names[(calendar_month as usize).clamp(1, 12) - 1]
}

const MONTHS_RU: [&str; 12] = [
    "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A terminal table: a header row and body rows of text, printed as aligned columns — the first
/// column left-aligned, the rest right-aligned, two spaces before each row and between columns,
/// trailing blanks trimmed.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with this header row (an empty cell is an empty heading).
    pub fn new<S: Into<String>>(head: impl IntoIterator<Item = S>) -> Table {
        let mut t = Table::default();
        t.row(head);
        t
    }

    /// Adds a row; rows may be shorter than the header.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Table {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    /// Appends the aligned table to `out`.
    pub fn write(&self, out: &mut String) {
        let widths: Vec<usize> = (0..self.rows.iter().map(Vec::len).max().unwrap_or(0))
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for r in &self.rows {
            let line: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(c, s)| pad(s, widths[c], c > 0))
                .collect();
            let _ = writeln!(out, "  {}", line.join("  ").trim_end());
        }
    }
}

fn pad(s: &str, width: usize, right: bool) -> String {
    let n = s.chars().count();
    let fill = " ".repeat(width.saturating_sub(n));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{Table, number};
    use crate::diag::Lang;

    #[test]
    fn numbers_for_russian_and_english_readers() {
        assert_eq!(number(1_234_567.4, Lang::Ru), "1\u{a0}234\u{a0}567");
        assert_eq!(number(12.34, Lang::Ru), "12,3");
        assert_eq!(number(-0.5, Lang::Ru), "−0,50");
        assert_eq!(number(1_234_567.4, Lang::En), "1,234,567");
        assert_eq!(number(999.96, Lang::En), "1,000.0");
    }

    #[test]
    fn tables_align_the_first_column_left_and_the_rest_right() {
        let mut t = Table::new(["", "среднее"]);
        t.row(["Лиды", "1"]).row(["Выручка", "12 345"]).row(["Коротко"]);
        let mut out = String::new();
        t.write(&mut out);
        assert_eq!(
            out,
            "           среднее\n  Лиды           1\n  Выручка   12 345\n  Коротко\n"
        );
    }
}
