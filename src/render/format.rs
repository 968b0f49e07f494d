//! Money, date and duration formatting for generated documents and tables, Russian by default
//! with English equivalents (`1 500 000 ₽`, `12 января 2026 г.`, `3 дня`), on top of the
//! numbers, percentages and plurals of [`crate::locale`] (re-exported here). Pure functions;
//! the template filters in `render::mod` call them.

use crate::diag::Lang;
use crate::locale::{MONTHS_EN, MONTHS_GENITIVE};
pub use crate::locale::{NBSP, figure, fixed, grouped, number, percent, percent_fixed, plural};
use crate::model::Currency;

/// An amount in whole units with every thousand grouped: `4 500 ₽`, `$4,500`.
pub fn money_fixed(x: f64, currency: Currency, lang: Lang) -> String {
    let sign = currency_sign(currency);
    let n = fixed(x, 0, lang);
    match (lang, currency) {
        (Lang::En, Currency::Usd | Currency::Eur) => match n.strip_prefix('−') {
            Some(abs) => format!("−{sign}{abs}"),
            None => format!("{sign}{n}"),
        },
        _ => format!("{n}{NBSP}{sign}"),
    }
}

/// The sign of a currency.
pub fn currency_sign(currency: Currency) -> &'static str {
    match currency {
        Currency::Rub => "₽",
        Currency::Usd => "$",
        Currency::Eur => "€",
    }
}

/// An amount in whole units: `1 500 000 ₽`; `$1,500,000` in English for dollars and euros.
pub fn money(x: f64, currency: Currency, lang: Lang) -> String {
    let sign = currency_sign(currency);
    let n = number(x.round(), 0, lang);
    match (lang, currency) {
        (Lang::En, Currency::Usd | Currency::Eur) => match n.strip_prefix('−') {
            Some(abs) => format!("−{sign}{abs}"),
            None => format!("{sign}{n}"),
        },
        _ => format!("{n}{NBSP}{sign}"),
    }
}

const MONTHS_NOMINATIVE: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// `(year, month 1..=12, day)` from `YYYY-MM-DD`.
pub fn parse_date(iso: &str) -> Option<(i32, u32, u32)> {
    let mut parts = iso.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// `2026-01-12` → `12 января 2026 г.` / `12 January 2026`; other text is returned as is.
pub fn date(iso: &str, lang: Lang) -> String {
    match parse_date(iso) {
        Some((y, m, d)) => match lang {
            Lang::Ru => format!("{d}{NBSP}{}{NBSP}{y}{NBSP}г.", MONTHS_GENITIVE[m as usize - 1]),
            Lang::En => format!("{d} {} {y}", MONTHS_EN[m as usize - 1]),
        },
        None => iso.to_string(),
    }
}

/// The name of a month of a year: `январь 2026` / `January 2026`.
pub fn month(year: i32, month: u32, lang: Lang) -> String {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Ru => format!("{} {year}", MONTHS_NOMINATIVE[i]),
        Lang::En => format!("{} {year}", MONTHS_EN[i]),
    }
}

/// The short name of a month for chart axes: `янв`, `Jan`.
pub fn month_abbr(month: u32, lang: Lang) -> &'static str {
    const RU: [&str; 12] = [
        "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Ru => RU[i],
        Lang::En => EN[i],
    }
}

/// `3 дня`, `1 day`.
pub fn days(x: f64, lang: Lang) -> String {
    let n = number(x, 1, lang);
    // The noun agrees with the number as shown: 6,98 is written «7 дней», not «7 дня».
    let shown = (x * 10.0).round() / 10.0;
    match lang {
        Lang::Ru => format!("{n}{NBSP}{}", plural(shown, "день", "дня", "дней", lang)),
        Lang::En => format!("{n} {}", plural(shown, "day", "days", "days", lang)),
    }
}

/// A lead time before a date (`за 3 дня`, `за 2 ч`): whole calendar days as days, anything
/// else as hours and minutes of the clock (`1,5` days is `36 ч`).
pub fn lead_time(days: f64, lang: Lang) -> String {
    if (days - days.round()).abs() < 1e-9 {
        self::days(days, lang)
    } else {
        minutes(days * 24.0 * 60.0, lang)
    }
}

/// `15 мин`, `2 ч 30 мин`.
pub fn minutes(x: f64, lang: Lang) -> String {
    let (h, m) = match lang {
        Lang::Ru => ("ч", "мин"),
        Lang::En => ("h", "min"),
    };
    if x >= 120.0 && (x % 60.0).abs() < 1e-9 {
        format!("{}{NBSP}{h}", number(x / 60.0, 0, lang))
    } else {
        format!("{}{NBSP}{m}", number(x, 1, lang))
    }
}

/// The text with its first letter capitalised.
pub fn upper_first(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A name safe as a file name on every system.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let limit = crate::model::limits::MAX_FILE_STEM_BYTES;
    if stem.len() <= limit {
        return stem;
    }
    // Shortened at a character boundary, with a hash of the whole name: two long names that
    // begin alike still get different files, the same name the same file on every run.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let mut cut = limit - 9;
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{:08x}", &stem[..cut], hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_name_is_shortened_at_a_character_boundary_with_a_hash() {
        let long = "я".repeat(130);
        let stem = file_stem(&long);
        assert!(
            stem.len() <= crate::model::limits::MAX_FILE_STEM_BYTES,
            "{}",
            stem.len()
        );
        assert!(stem.starts_with("яяя"));
        assert_eq!(stem, file_stem(&long), "the same name, the same file");
        let other = format!("{}ю", "я".repeat(129));
        assert_ne!(stem, file_stem(&other), "names that begin alike stay apart");
        assert_eq!(file_stem("Менеджер"), "Менеджер");
    }

    #[test]
    fn table_style_keeps_its_decimals_and_groups_four_digits() {
        assert_eq!(fixed(1234.0, 1, Lang::Ru), "1\u{a0}234,0");
        assert_eq!(fixed(-0.04, 1, Lang::Ru), "0,0", "no minus on a zero");
        assert_eq!(fixed(f64::NAN, 1, Lang::Ru), "—");
        assert_eq!(figure(1_234_567.4, Lang::Ru), "1\u{a0}234\u{a0}567");
        assert_eq!(figure(12.34, Lang::Ru), "12,3");
        assert_eq!(figure(-0.5, Lang::Ru), "−0,50");
        assert_eq!(figure(3.0, Lang::En), "3");
        assert_eq!(percent_fixed(0.4, Lang::Ru), "40,0\u{a0}%");
        assert_eq!(percent_fixed(-0.123, Lang::En), "−12.3%");
        assert_eq!(percent_fixed(f64::INFINITY, Lang::En), "—");
        assert_eq!(money_fixed(4500.4, Currency::Rub, Lang::Ru), "4\u{a0}500\u{a0}₽");
        assert_eq!(money_fixed(-4500.0, Currency::Usd, Lang::En), "−$4,500");
        assert_eq!(fixed(1234567.891, 1, Lang::En), "1,234,567.9");
        assert_eq!(fixed(-1500.0, 0, Lang::Ru), "−1\u{a0}500");
        assert_eq!(
            money_fixed(350000.0, Currency::Rub, Lang::Ru),
            "350\u{a0}000\u{a0}₽"
        );
        assert_eq!(money_fixed(-9000.0, Currency::Eur, Lang::En), "−€9,000");
    }

    #[test]
    fn russian_formats() {
        let cases = [
            (
                money(1_500_000.0, Currency::Rub, Lang::Ru),
                "1\u{a0}500\u{a0}000\u{a0}₽",
            ),
            (money(1500.0, Currency::Rub, Lang::Ru), "1500\u{a0}₽"),
            (money(-25_000.0, Currency::Rub, Lang::Ru), "−25\u{a0}000\u{a0}₽"),
            (percent(0.4, Lang::Ru), "40\u{a0}%"),
            (percent(0.115, Lang::Ru), "11,5\u{a0}%"),
            (date("2026-01-12", Lang::Ru), "12\u{a0}января\u{a0}2026\u{a0}г."),
            (days(3.0, Lang::Ru), "3\u{a0}дня"),
            (days(1.0, Lang::Ru), "1\u{a0}день"),
            (days(11.0, Lang::Ru), "11\u{a0}дней"),
            (days(2.5, Lang::Ru), "2,5\u{a0}дня"),
            (minutes(90.0, Lang::Ru), "90\u{a0}мин"),
            (minutes(480.0, Lang::Ru), "8\u{a0}ч"),
            (month(2026, 3, Lang::Ru), "март 2026"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn english_formats() {
        assert_eq!(money(1_500_000.0, Currency::Usd, Lang::En), "$1,500,000");
        assert_eq!(money(1_500_000.0, Currency::Rub, Lang::En), "1,500,000\u{a0}₽");
        assert_eq!(percent(0.4, Lang::En), "40%");
        assert_eq!(date("2026-01-12", Lang::En), "12 January 2026");
        assert_eq!(plural(1.0, "call", "calls", "calls", Lang::En), "call");
        assert_eq!(plural(21.0, "звонок", "звонка", "звонков", Lang::Ru), "звонок");
        assert_eq!(date("весной", Lang::En), "весной");
    }
}
