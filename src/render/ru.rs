//! Russian agreement in generated text: the one place that knows which form a word takes.
//!
//! - number and noun: `1 день`, `2 дня`, `5 дней` ([`count`]), and the genitive after
//!   «дольше», «более», «от» ([`count_genitive`]: `дольше 21 дня`, `дольше 3 дней`);
//! - a role's title after a verb: «подчиняется Руководителю отдела продаж» ([`dative`]),
//!   «отчитывается перед Коммерческим директором» ([`instrumental`]);
//! - a rate that is too small for a day rolled up to a week or a month, or said as «1 раз в
//!   10 рабочих дней» ([`rate`]) instead of «0,1 в день».
//!
//! Titles are declined by rule: the leading adjectives and the first noun change, the words
//! after the noun (a genitive «отдела продаж», «по продажам», a bracket) stay as written.
//! An abbreviation («РОП», «CEO») or a word the rules do not know is left as written.

use crate::diag::{Lang, plural_ru};
use crate::render::format;

/// A person's name kept on one line with its initials: «И. П. Ларионов» → «И.\u{a0}П.\u{a0}Ларионов»
/// (a space after a one-letter initial becomes a no-break space), so a narrow column or a
/// signature block never leaves «И. П.» at the end of a line.
pub fn initials_together(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let words: Vec<&str> = text.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        out.push_str(w);
        if i + 1 < words.len() {
            let mut c = w.chars();
            let initial =
                matches!((c.next(), c.next(), c.next()), (Some(l), Some('.'), None) if l.is_uppercase());
            out.push(if initial { '\u{a0}' } else { ' ' });
        }
    }
    out
}

/// A grammatical case a title can be put in after a verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// кому? «подчиняется Генеральному директору».
    Dative,
    /// кем? «отчитывается перед Генеральным директором».
    Instrumental,
}

/// `n` with the form of the noun it takes: `1 день`, `3 дня`, `11 дней`; a fraction takes
/// the genitive singular (`2,5 дня`).
pub fn count(n: f64, one: &str, few: &str, many: &str) -> String {
    format!(
        "{}\u{a0}{}",
        format::number(n, 1, Lang::Ru),
        form(n, one, few, many)
    )
}

/// The form of the noun for `n` (without the number).
pub fn form<'a>(n: f64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    if (n - n.round()).abs() > 1e-9 {
        return few;
    }
    plural_ru(n.abs().round() as u64, one, few, many)
}

/// `n` in the genitive, as after «дольше», «более», «от»: the genitive singular after a
/// number ending in 1 (not 11) — `дольше 21 дня` — and the genitive plural otherwise —
/// `дольше 3 дней`, `дольше 5 дней`. `gen_one`/`gen_many` are the noun's genitive forms.
pub fn count_genitive(n: f64, gen_one: &str, gen_many: &str) -> String {
    let whole = (n - n.round()).abs() < 1e-9;
    let k = n.abs().round() as u64;
    let word = if !whole || (k % 10 == 1 && k % 100 != 11) {
        gen_one
    } else {
        gen_many
    };
    format!("{}\u{a0}{word}", format::number(n, 1, Lang::Ru))
}

/// Days in the genitive: `дольше 21 дня`, `дольше 3 дней`.
pub fn days_genitive(n: f64) -> String {
    count_genitive(n, "дня", "дней")
}

/// A title in the dative: «Руководитель отдела продаж» → «Руководителю отдела продаж».
pub fn dative(title: &str) -> String {
    decline(title, Case::Dative)
}

/// A title in the instrumental: «Коммерческий директор» → «Коммерческим директором».
pub fn instrumental(title: &str) -> String {
    decline(title, Case::Instrumental)
}

/// First words of a hyphenated noun that change with it: «инженер-технолог» →
/// «инженеру-технологу»; any other first part («проджект-», «аккаунт-») stays.
const DECLINED_FIRST_PARTS: [&str; 9] = [
    "инженер",
    "менеджер",
    "технолог",
    "специалист",
    "консультант",
    "аналитик",
    "оператор",
    "эксперт",
    "экономист",
];

/// Adjectives that head a title as its noun: the words after them keep their case.
const SUBSTANTIVES: [&str; 4] = ["управляющий", "заведующий", "уполномоченный", "дежурный"];

/// A title put in `case`: leading adjectives and the first noun change.
pub fn decline(title: &str, case: Case) -> String {
    let mut out = Vec::new();
    let mut done = false;
    for word in title.split(' ') {
        if done || word.is_empty() {
            out.push(word.to_string());
            continue;
        }
        if let Some(adj) = adjective(word, case) {
            out.push(adj);
            // «Управляющий клиникой», «Заведующий отделом»: the adjective is the noun, and
            // what follows it is already in its own case.
            done = SUBSTANTIVES.contains(&word.to_lowercase().as_str());
            continue;
        }
        out.push(noun(word, case));
        done = true;
    }
    out.join(" ")
}

/// A masculine adjective in `case`, or `None` when `word` is not one: «Генеральный» →
/// «Генеральному»/«Генеральным», «Коммерческий» → «Коммерческому»/«Коммерческим»,
/// «Старший» → «Старшему»/«Старшим».
fn adjective(word: &str, case: Case) -> Option<String> {
    if word.chars().count() < 5 {
        return None;
    }
    let (stem, hard) = if let Some(s) = word.strip_suffix("ый").or_else(|| word.strip_suffix("ой")) {
        (s, true)
    } else if let Some(s) = word.strip_suffix("ий") {
        (s, false)
    } else {
        return None;
    };
    let velar = matches!(stem.chars().last()?, 'к' | 'г' | 'х');
    let ending = match case {
        Case::Dative if hard || velar => "ому",
        Case::Dative => "ему",
        Case::Instrumental if hard => "ым",
        Case::Instrumental => "им",
    };
    Some(format!("{stem}{ending}"))
}

/// A noun (possibly hyphenated) in `case`.
fn noun(word: &str, case: Case) -> String {
    // Keep a trailing punctuation mark («директор,»).
    let (core, tail) = split_tail(word);
    if let Some((first, rest)) = core.split_once('-') {
        let first_out = if DECLINED_FIRST_PARTS.contains(&first.to_lowercase().as_str()) {
            simple_noun(first, case)
        } else {
            first.to_string()
        };
        return format!("{first_out}-{}{tail}", simple_noun(rest, case));
    }
    format!("{}{tail}", simple_noun(core, case))
}

fn split_tail(word: &str) -> (&str, &str) {
    let end = word
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphabetic())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    word.split_at(end)
}

/// One noun of the second or first declension in `case`; anything else as written.
fn simple_noun(word: &str, case: Case) -> String {
    let chars: Vec<char> = word.chars().collect();
    let Some(&last) = chars.last() else {
        return word.to_string();
    };
    // An abbreviation or a Latin word does not decline.
    let cyrillic_lower = |c: char| ('а'..='я').contains(&c) || c == 'ё';
    if chars.len() < 3 || !cyrillic_lower(last) || word.chars().skip(1).any(|c| c.is_uppercase()) {
        return word.to_string();
    }
    let stem: String = chars[..chars.len() - 1].iter().collect();
    let before = chars[chars.len() - 2];
    let hushing = matches!(before, 'ж' | 'ш' | 'ч' | 'щ' | 'ц');
    match (last, case) {
        ('ь', Case::Dative) | ('й', Case::Dative) => format!("{stem}ю"),
        ('ь', Case::Instrumental) | ('й', Case::Instrumental) => format!("{stem}ем"),
        ('а', Case::Dative) | ('я', Case::Dative) => format!("{stem}е"),
        ('а', Case::Instrumental) if hushing => format!("{stem}ей"),
        ('а', Case::Instrumental) => format!("{stem}ой"),
        ('я', Case::Instrumental) => format!("{stem}ей"),
        ('о' | 'е' | 'и' | 'у' | 'ю' | 'ы' | 'э', _) => word.to_string(),
        (_, Case::Dative) => format!("{word}у"),
        ('ж' | 'ш' | 'ч' | 'щ' | 'ц', Case::Instrumental) => format!("{word}ем"),
        (_, Case::Instrumental) => format!("{word}ом"),
    }
}

/// A per-day rate said the way a norm is written: `20 в день` (whole numbers: a person makes
/// whole calls); below one a day, rolled up to
/// a week (`3 в неделю`) or a month (`2 в месяц`); rarer than once a month, «1 раз в 30
/// рабочих дней». `None` for zero (nothing to ask of a person).
pub fn rate(per_day: f64, lang: Lang) -> Option<String> {
    const WEEK: f64 = 5.0;
    const MONTH: f64 = 21.0;
    if per_day.is_nan() || per_day <= 1e-9 {
        return None;
    }
    let whole = |x: f64| format::number(x.round().max(1.0), 0, lang);
    let text = if per_day >= 0.95 {
        format!("{} {}", whole(per_day), lang.pick("в день", "a day"))
    } else if per_day * WEEK >= 0.95 {
        format!("{} {}", whole(per_day * WEEK), lang.pick("в неделю", "a week"))
    } else if per_day * MONTH >= 0.95 {
        format!("{} {}", whole(per_day * MONTH), lang.pick("в месяц", "a month"))
    } else {
        let every = (1.0 / per_day).round();
        match lang {
            Lang::Ru => format!(
                "1 раз в {} {}",
                format::number(every, 0, lang),
                form(every, "рабочий день", "рабочих дня", "рабочих дней")
            ),
            Lang::En => format!("once in {} working days", format::number(every, 0, lang)),
        }
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_after_a_verb() {
        let cases = [
            (
                "Руководитель отдела продаж",
                "Руководителю отдела продаж",
                "Руководителем отдела продаж",
            ),
            (
                "Коммерческий директор",
                "Коммерческому директору",
                "Коммерческим директором",
            ),
            (
                "Генеральный директор",
                "Генеральному директору",
                "Генеральным директором",
            ),
            (
                "Начальник отдела продаж",
                "Начальнику отдела продаж",
                "Начальником отдела продаж",
            ),
            (
                "Менеджер по продажам",
                "Менеджеру по продажам",
                "Менеджером по продажам",
            ),
            (
                "Инженер-технолог по подбору оборудования",
                "Инженеру-технологу по подбору оборудования",
                "Инженером-технологом по подбору оборудования",
            ),
            (
                "Проджект-менеджер (пресейл)",
                "Проджект-менеджеру (пресейл)",
                "Проджект-менеджером (пресейл)",
            ),
            ("Старший менеджер", "Старшему менеджеру", "Старшим менеджером"),
            (
                "Управляющий клиникой",
                "Управляющему клиникой",
                "Управляющим клиникой",
            ),
            (
                "Заведующий отделом продаж",
                "Заведующему отделом продаж",
                "Заведующим отделом продаж",
            ),
            ("Бухгалтер", "Бухгалтеру", "Бухгалтером"),
            ("РОП", "РОП", "РОП"),
            ("Head of Sales", "Head of Sales", "Head of Sales"),
        ];
        for (title, dat, ins) in cases {
            assert_eq!(dative(title), dat, "{title}");
            assert_eq!(instrumental(title), ins, "{title}");
        }
    }

    #[test]
    fn numbers_and_nouns_agree() {
        assert_eq!(count(1.0, "день", "дня", "дней"), "1\u{a0}день");
        assert_eq!(count(22.0, "день", "дня", "дней"), "22\u{a0}дня");
        assert_eq!(count(11.0, "день", "дня", "дней"), "11\u{a0}дней");
        assert_eq!(days_genitive(21.0), "21\u{a0}дня");
        assert_eq!(days_genitive(3.0), "3\u{a0}дней");
        assert_eq!(days_genitive(11.0), "11\u{a0}дней");
        assert_eq!(days_genitive(1.0), "1\u{a0}дня");
    }

    #[test]
    fn small_rates_roll_up() {
        let r = |x| rate(x, Lang::Ru);
        assert_eq!(r(20.0).as_deref(), Some("20 в день"));
        assert_eq!(r(0.8).as_deref(), Some("4 в неделю"));
        assert_eq!(r(1.5).as_deref(), Some("2 в день"));
        assert_eq!(r(0.1).as_deref(), Some("2 в месяц"));
        assert_eq!(r(0.02).as_deref(), Some("1 раз в 50 рабочих дней"));
        assert_eq!(r(0.0), None);
    }

    #[test]
    fn initials_stay_with_the_surname() {
        assert_eq!(
            super::initials_together("Генеральный директор И. П. Ларионов"),
            "Генеральный директор И.\u{a0}П.\u{a0}Ларионов"
        );
        assert_eq!(
            super::initials_together("ООО «Ромашка». Директор"),
            "ООО «Ромашка». Директор"
        );
    }
}
