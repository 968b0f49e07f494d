//! `--normalize-units`: one spelling per unit and one digit grouping per number. A unit keeps
//! its language (a Cyrillic spelling becomes the Russian abbreviation, a Latin one the English
//! abbreviation); currency signs are the same in both. A period after `в`/`per` is spelt as
//! people say it (`в день`, `per month`), a quantity with the abbreviation (`2 дн`, `2 d`).

use crate::syntax::Rule;

fn cyrillic(text: &str) -> bool {
    text.chars().any(|c| ('\u{400}'..='\u{4FF}').contains(&c))
}

/// The canonical spelling of a unit or multiplier token; `period` says whether it stands in a
/// period (`в мес`, `период неделя`) rather than after a number.
pub(super) fn unit(rule: Rule, text: &str, period: bool) -> Option<&'static str> {
    let ru = cyrillic(text);
    let pick = |r: &'static str, e: &'static str| Some(if ru { r } else { e });
    match (rule, period) {
        (Rule::unit_percent, _) => Some("%"),
        (Rule::unit_minutes, _) => pick("мин", "min"),
        (Rule::unit_hours, _) => pick("ч", "h"),
        (Rule::unit_days, false) => pick("дн", "d"),
        (Rule::unit_days, true) => pick("день", "day"),
        (Rule::unit_weeks, false) => pick("нед", "wk"),
        (Rule::unit_weeks, true) => pick("нед", "week"),
        (Rule::unit_months, false) => pick("мес", "mo"),
        (Rule::unit_months, true) => pick("мес", "month"),
        (Rule::unit_quarters, false) => pick("кв", "q"),
        (Rule::unit_quarters, true) => pick("квартал", "quarter"),
        (Rule::unit_years, false) => pick("г", "yr"),
        (Rule::unit_years, true) => pick("год", "year"),
        (Rule::unit_rub, _) => Some("₽"),
        (Rule::unit_usd, _) => Some("$"),
        (Rule::unit_eur, _) => Some("€"),
        (Rule::unit_pieces, _) => pick("шт", "pcs"),
        (Rule::mult_thousand, _) => pick("тыс", "k"),
        (Rule::mult_million, _) => pick("млн", "M"),
        _ => None,
    }
}

/// A number with its integer part grouped by thousands with a space when it has four digits or
/// more (`1 000`, `150 000`); the sign, decimal separator, fraction and exponent as written.
pub(super) fn number(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let int_end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ' ' | '_' | '\u{A0}' | '\u{202F}')))
        .unwrap_or(rest.len());
    let digits: Vec<char> = rest[..int_end].chars().filter(char::is_ascii_digit).collect();
    let mut out = String::from(sign);
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && digits.len() >= 4 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(*d);
    }
    out.push_str(&rest[int_end..]);
    out
}

/// The digits, sign, separator and exponent of a number without its grouping: what the number
/// means, for comparing a file before and after.
pub(super) fn ungrouped(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '\u{A0}' | '\u{202F}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        let cases = [
            ("5", "5"),
            ("999", "999"),
            ("1000", "1 000"),
            ("2_800", "2 800"),
            ("3000000", "3 000 000"),
            ("150\u{A0}000", "150 000"),
            ("-12345,5", "-12 345,5"),
            ("0.25", "0.25"),
            ("1e6", "1e6"),
        ];
        for (input, want) in cases {
            assert_eq!(number(input), want, "{input}");
            assert_eq!(ungrouped(&number(input)), ungrouped(input));
        }
    }

    #[test]
    fn units_keep_their_language() {
        assert_eq!(unit(Rule::unit_days, "дней", false), Some("дн"));
        assert_eq!(unit(Rule::unit_days, "дн", true), Some("день"));
        assert_eq!(unit(Rule::unit_days, "days", false), Some("d"));
        assert_eq!(unit(Rule::unit_months, "months", true), Some("month"));
        assert_eq!(unit(Rule::unit_rub, "руб", false), Some("₽"));
        assert_eq!(unit(Rule::unit_usd, "USD", false), Some("$"));
        assert_eq!(unit(Rule::mult_thousand, "тыс.", false), Some("тыс"));
        assert_eq!(unit(Rule::mult_million, "mln", false), Some("M"));
        assert_eq!(unit(Rule::ident, "x", false), None);
    }
}
