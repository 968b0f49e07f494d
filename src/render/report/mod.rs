//! The forecast and the analysis as text: the terminal tables and CSV of `analyze`, `simulate`,
//! `sweep`, `sensitivity` and `plan` (the HTML report and sweep page are [`super::forecast`]). Numbers are worded
//! for the reader's language; [`Table`] is the one builder of aligned terminal tables.
//!
//! Reads results of `sim` and `planning` only; never prints and never runs a simulation (the
//! `cli` commands run, then call these and print what they return).

pub mod analyze;
mod analyze_quality;
mod analyze_starts;
pub mod backtest;
pub mod calibrate;
pub mod compare;
pub mod csv;
pub mod forecast;
pub mod plan;
pub mod sections;
pub mod sweep;
pub mod trace;

use crate::diag::Lang;
use crate::locale::NBSP;
use crate::model::Currency;
use std::fmt::Write as _;

/// Numbers and percentages in the table style of [`crate::locale`]: a figure with the decimals
/// its size needs (`1 234 567`, `12,3`, `0,50`), a percentage with one decimal (`40,0 %`).
pub use crate::locale::{figure as number, percent_fixed as percent};

/// The currency of a forecast from the code it carries (`RUB`, `USD`, `EUR`); roubles for
/// anything else.
pub fn currency(code: &str) -> Currency {
    match code {
        "USD" => Currency::Usd,
        "EUR" => Currency::Eur,
        _ => Currency::Rub,
    }
}

/// An amount of money in a terminal table, rounded to what a reader compares and with its
/// sign: `56,4 млн ₽`, `450 тыс. ₽`, `4 500 ₽` (`56.4M ₽`, `$450K`, `$4,500` in English);
/// from a billion on `1,2 млрд ₽`. Every money cell of `simulate`, `sweep`, `sensitivity` and
/// `plan` goes through here.
pub fn money(x: f64, currency: Currency, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    let a = x.abs();
    let (n, ru, en) = if a >= 999.95e6 {
        (crate::locale::fixed(x / 1e9, 1, lang), " млрд", "B")
    } else if a >= 999.95e3 {
        (crate::locale::fixed(x / 1e6, 1, lang), " млн", "M")
    } else if a >= 9999.5 {
        (crate::locale::fixed(x / 1e3, 0, lang), " тыс.", "K")
    } else {
        (crate::locale::fixed(x, 0, lang), "", "")
    };
    let sign = crate::render::format::currency_sign(currency);
    match (lang, currency) {
        (Lang::Ru, _) => format!("{n}{ru}{NBSP}{sign}"),
        (Lang::En, Currency::Rub) => format!("{n}{en}{NBSP}{sign}"),
        (Lang::En, _) => match n.strip_prefix('−') {
            Some(abs) => format!("−{sign}{abs}{en}"),
            None => format!("{sign}{n}{en}"),
        },
    }
}

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

    /// Appends the aligned table to `out`, each line indented by two spaces.
    pub fn write(&self, out: &mut String) {
        self.write_indented(out, "  ");
    }

    /// Appends the aligned table to `out`, each line after `indent`: the first column
    /// left-aligned, the others (numbers) right-aligned.
    pub fn write_indented(&self, out: &mut String, indent: &str) {
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
            let _ = writeln!(out, "{indent}{}", line.join("  ").trim_end());
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
    fn money_is_rounded_and_carries_its_currency() {
        use super::{Currency, money};
        let ru = |x| money(x, Currency::Rub, Lang::Ru).replace('\u{a0}', " ");
        assert_eq!(ru(56_398_677.0), "56,4 млн ₽");
        assert_eq!(ru(47_000_000.0), "47,0 млн ₽");
        assert_eq!(ru(-1_234_567.0), "−1,2 млн ₽");
        assert_eq!(ru(999_999.0), "1,0 млн ₽");
        assert_eq!(ru(450_400.0), "450 тыс. ₽");
        assert_eq!(ru(12_345.0), "12 тыс. ₽");
        assert_eq!(ru(4_500.4), "4 500 ₽");
        assert_eq!(ru(2_500_000_000.0), "2,5 млрд ₽");
        assert_eq!(ru(f64::NAN), "—");
        assert_eq!(money(56_398_677.0, Currency::Usd, Lang::En), "$56.4M");
        assert_eq!(money(-4_500.0, Currency::Usd, Lang::En), "−$4,500");
        assert_eq!(money(450_000.0, Currency::Rub, Lang::En), "450K\u{a0}₽");
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
