//! Every spelling of every keyword and unit, read from the grammar itself so the grammar stays
//! the one place they are written: error messages name the expected keyword with them and the
//! editor completes them.

use std::sync::OnceLock;

const GRAMMAR: &str = concat!(
    include_str!("../../grammar/lexical.pest"),
    include_str!("../../grammar/voronka.pest")
);

/// A keyword or unit rule and its spellings as the grammar lists them (Russian first, the
/// English alias last): `kw_stage` → `этап`, `stage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyword {
    pub rule: String,
    pub spellings: Vec<String>,
}

/// All `kw_*` and `unit_*` rules in grammar order.
pub fn all() -> &'static [Keyword] {
    static TABLE: OnceLock<Vec<Keyword>> = OnceLock::new();
    TABLE.get_or_init(|| {
        GRAMMAR
            .lines()
            .filter_map(|line| {
                let (name, body) = line.split_once(" = ")?;
                if !name.starts_with("kw_") && !name.starts_with("unit_") {
                    return None;
                }
                let spellings: Vec<String> = body.split('"').skip(1).step_by(2).map(str::to_string).collect();
                (!spellings.is_empty()).then(|| Keyword {
                    rule: name.to_string(),
                    spellings,
                })
            })
            .collect()
    })
}

/// The month (1–12) a month name of a date stands for (`декабря`, `december`, `dec`).
pub fn month_number(word: &str) -> Option<u32> {
    const RULES: [&str; 12] = [
        "kw_jan", "kw_feb", "kw_mar", "kw_apr", "kw_may", "kw_jun", "kw_jul", "kw_aug", "kw_sep", "kw_oct",
        "kw_nov", "kw_dec",
    ];
    RULES
        .iter()
        .position(|r| {
            all()
                .iter()
                .any(|k| k.rule == *r && k.spellings.iter().any(|s| s == word))
        })
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_have_russian_and_english_spellings() {
        let stage = all().iter().find(|k| k.rule == "kw_stage").unwrap();
        assert_eq!(stage.spellings, ["этап", "stage"]);
        let kpi = all().iter().find(|k| k.rule == "kw_kpi").unwrap();
        assert_eq!(kpi.spellings, ["показатель", "кпэ", "kpi"]);
        assert!(all().len() > 150);
    }
}
