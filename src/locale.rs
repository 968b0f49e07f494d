//! The user's language and how numbers read in it: [`Lang`], Russian plural forms, numbers with
//! grouped thousands, percentages. One set of rules for diagnostics, terminal tables and
//! documents (money, dates and durations build on it in `render::format`). Russian groups
//! thousands with a no-break space and writes a decimal comma (`1 500 000`, `40 %`); English
//! writes `1,500,000` and `40%`. Depends on nothing in the crate: every layer may use it.

use serde::Serialize;

/// The language of everything a user reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub fn pick<'a>(self, ru: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

/// Russian nouns after a number take one of three forms: 1 этап, 2 этапа, 5 этапов.
pub fn plural_ru<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let (n10, n100) = (n % 10, n % 100);
    if n10 == 1 && n100 != 11 {
        one
    } else if (2..=4).contains(&n10) && !(12..=14).contains(&n100) {
        few
    } else {
        many
    }
}

/// No-break space: keeps `1 500 000 ₽` and `40 %` on one line.
pub const NBSP: char = '\u{a0}';

/// Month names in the genitive, as a Russian date writes them («15 декабря»).
pub const MONTHS_GENITIVE: [&str; 12] = [
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

/// Month names in English.
pub const MONTHS_EN: [&str; 12] = [
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

// ─── Table style ──────────────────────────────────────────────────────────────
// Terminal tables keep a fixed number of decimals and group every number of four digits and
// more, so that columns align; documents (the functions above) drop trailing zeros and follow
// Russian typography. Both go through [`grouped`]; "—" stands for a value that is not finite.

/// A number with exactly `decimals` decimals, thousands always grouped: `1 234 567,8`.
pub fn fixed(x: f64, decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    grouped(&format!("{:.*}", decimals, x.abs()), x < 0.0, true, lang)
}

/// A figure with the decimals its size needs: none for integers and from 1000 up, one from 10
/// up, two below (`1 234 567`, `12,3`, `0,50`).
pub fn figure(x: f64, lang: Lang) -> String {
    let decimals = match x.abs() {
        a if a >= 1000.0 || a.fract() == 0.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    fixed(x, decimals, lang)
}

/// A share as a percentage with one decimal: `40,0 %` (ru), `40.0%` (en).
pub fn percent_fixed(share: f64, lang: Lang) -> String {
    if !share.is_finite() {
        return "—".to_string();
    }
    let n = fixed(share * 100.0, 1, lang);
    match lang {
        Lang::Ru => format!("{n}{NBSP}%"),
        Lang::En => format!("{n}%"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plural_forms() {
        let f = |n| plural_ru(n, "ошибка", "ошибки", "ошибок");
        let cases = [
            (0, "ошибок"),
            (1, "ошибка"),
            (2, "ошибки"),
            (4, "ошибки"),
            (5, "ошибок"),
            (11, "ошибок"),
            (12, "ошибок"),
            (14, "ошибок"),
            (21, "ошибка"),
            (22, "ошибки"),
            (101, "ошибка"),
            (111, "ошибок"),
        ];
        for (n, want) in cases {
            assert_eq!(f(n), want, "n = {n}");
        }
    }
}
