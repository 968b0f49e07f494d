//! Number, money, percent, date and plural formatting for generated documents, Russian by
//! default with English equivalents. Russian groups thousands with a no-break space and
//! writes a decimal comma (`1 500 000 ₽`, `40 %`, `12 января 2026 г.`). Pure functions; the
//! template filters in `render::mod` call them.

use crate::diag::{Lang, plural_ru};
use crate::model::Currency;

/// No-break space: keeps `1 500 000 ₽` and `40 %` on one line.
pub const NBSP: char = '\u{a0}';

/// `x` with at most `decimals` decimals, trailing zeros dropped, thousands grouped.
pub fn number(x: f64, decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let text = match text.split_once('.') {
        Some((i, f)) if f.trim_end_matches('0').is_empty() => i.to_string(),
        Some(_) => text.trim_end_matches('0').to_string(),
        None => text,
    };
    // Russian typography groups only numbers of five digits and more (1500, but 15 000).
    grouped(&text, x < 0.0, lang == Lang::En, lang)
}

/// Writes `digits` (an absolute value as Rust prints it, `1234.5`) the way a reader of `lang`
/// does: thousands grouped (no-break spaces in Russian, commas in English), a decimal comma in
/// Russian, a minus sign (`−`) when `negative` and the number is not zero. Four-digit integer
/// parts are grouped only when `group_four`. Every table and document number goes through here.
pub fn grouped(digits: &str, negative: bool, group_four: bool, lang: Lang) -> String {
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let (group, point) = match lang {
        Lang::Ru => (NBSP, ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    if negative && digits.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('−');
    }
    let group_it = group_four || int.len() > 4;
    for (i, c) in int.chars().enumerate() {
        if group_it && i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// A share (0.4) as a percentage: `40 %` (ru), `40%` (en); one decimal at most.
pub fn percent(share: f64, lang: Lang) -> String {
    let n = number(share * 100.0, 1, lang);
    match lang {
        Lang::Ru => format!("{n}{NBSP}%"),
        Lang::En => format!("{n}%"),
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

const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
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
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
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

/// The word for `n`: Russian has three forms (1 звонок, 2 звонка, 5 звонков), English two
/// (the `few` form is ignored).
pub fn plural<'a>(n: f64, one: &'a str, few: &'a str, many: &'a str, lang: Lang) -> &'a str {
    let whole = n.abs().round();
    if (n - n.round()).abs() > 1e-9 {
        // A fraction takes the genitive singular in Russian (2,5 дня) and the plural in English.
        return match lang {
            Lang::Ru => few,
            Lang::En => many,
        };
    }
    match lang {
        Lang::Ru => plural_ru(whole as u64, one, few, many),
        Lang::En if whole == 1.0 => one,
        Lang::En => many,
    }
}

/// `3 дня`, `1 day`.
pub fn days(x: f64, lang: Lang) -> String {
    let n = number(x, 1, lang);
    match lang {
        Lang::Ru => format!("{n}{NBSP}{}", plural(x, "день", "дня", "дней", lang)),
        Lang::En => format!("{n} {}", plural(x, "day", "days", "days", lang)),
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
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
