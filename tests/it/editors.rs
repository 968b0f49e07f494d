//! The editor files in `editors/vscode`: the JSON parses, the manifest points at files that
//! exist, every regex of the TextMate grammar compiles with Oniguruma (the engine VS Code's
//! TextMate uses), every scope is a standard one, and every keyword, unit and multiplier of the
//! pest grammar is highlighted, so the two cannot drift.

use onig::Regex;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const DIR: &str = "editors/vscode";

fn json(name: &str) -> Value {
    let path = Path::new(DIR).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn grammar() -> Value {
    json("syntaxes/voronka.tmLanguage.json")
}

/// The regex of a repository entry, by key (`match`).
fn rule(g: &Value, key: &str) -> Regex {
    let pattern = g["repository"][key]["match"]
        .as_str()
        .unwrap_or_else(|| panic!("no match in {key}"));
    Regex::new(pattern).unwrap_or_else(|e| panic!("{key}: {e}"))
}

/// Literals of the pest rules whose name starts with one of `prefixes`.
fn pest_literals(prefixes: &[&str]) -> BTreeSet<String> {
    let text = std::fs::read_to_string("grammar/lexical.pest").unwrap()
        + &std::fs::read_to_string("grammar/voronka.pest").unwrap();
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let Some((name, body)) = line.split_once(" = ") else {
            continue;
        };
        if prefixes.iter().any(|p| name.trim().starts_with(p)) {
            for lit in body.split('"').skip(1).step_by(2) {
                if lit != "." {
                    out.insert(lit.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn the_manifest_points_at_the_grammar_and_the_configuration() {
    let manifest = json("package.json");
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["id"], "voronka");
    assert!(
        language["extensions"]
            .as_array()
            .unwrap()
            .contains(&Value::from(".sales"))
    );
    let config = language["configuration"].as_str().unwrap();
    assert!(Path::new(DIR).join(config).is_file());
    let entry = &manifest["contributes"]["grammars"][0];
    assert_eq!(entry["language"], "voronka");
    assert!(Path::new(DIR).join(entry["path"].as_str().unwrap()).is_file());
    assert_eq!(entry["scopeName"], grammar()["scopeName"]);

    let config = json("language-configuration.json");
    assert_eq!(config["comments"]["lineComment"], "#");
    let brackets = config["brackets"].to_string();
    assert!(
        brackets.contains(r#"["{","}"]"#) && brackets.contains(r#"["(",")"]"#),
        "{brackets}"
    );
}

/// Every `match`, `begin` and `end` in the grammar, every scope `name`, every `include`.
fn walk(v: &Value, regexes: &mut Vec<String>, scopes: &mut Vec<String>, includes: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("match" | "begin" | "end", Value::String(s)) => regexes.push(s.clone()),
                    ("name", Value::String(s)) => scopes.push(s.clone()),
                    ("include", Value::String(s)) => includes.push(s.clone()),
                    _ => walk(v, regexes, scopes, includes),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, regexes, scopes, includes)),
        _ => {}
    }
}

#[test]
fn every_regex_compiles_and_every_scope_is_standard() {
    let g = grammar();
    assert_eq!(g["scopeName"], "source.voronka");
    let (mut regexes, mut scopes, mut includes) = (Vec::new(), Vec::new(), Vec::new());
    walk(&g["patterns"], &mut regexes, &mut scopes, &mut includes);
    walk(&g["repository"], &mut regexes, &mut scopes, &mut includes);
    assert!(regexes.len() > 15, "{regexes:?}");
    for r in &regexes {
        Regex::new(r).unwrap_or_else(|e| panic!("{r}: {e}"));
    }
    const ROOTS: &[&str] = &[
        "comment.",
        "string.",
        "constant.",
        "keyword.",
        "support.",
        "entity.",
        "punctuation.",
        "variable.",
    ];
    for s in &scopes {
        assert!(s.ends_with(".voronka"), "{s}");
        assert!(ROOTS.iter().any(|r| s.starts_with(r)), "{s}");
    }
    let repository = g["repository"].as_object().unwrap();
    for inc in &includes {
        let key = inc.strip_prefix('#').unwrap_or_else(|| panic!("{inc}"));
        assert!(repository.contains_key(key), "{inc} is not in the repository");
    }
}

#[test]
fn every_keyword_of_the_pest_grammar_is_highlighted() {
    let g = grammar();
    let plain = ["item-keyword", "value-keyword", "keyword"].map(|k| rule(&g, k));
    let distribution = rule(&g, "distribution");
    let keywords = pest_literals(&["kw_"]);
    assert!(keywords.len() > 250, "{}", keywords.len());
    for kw in &keywords {
        let whole = plain
            .iter()
            .any(|r| r.find(&format!("{kw} x")) == Some((0, kw.len())));
        let function = distribution
            .captures(&format!("{kw}(1, 2)"))
            .and_then(|c| c.at(1).map(str::to_string))
            .is_some_and(|m| m == *kw);
        assert!(whole || function, "keyword `{kw}` is not in the TextMate grammar");
        // Not inside a longer word.
        for r in &plain {
            assert_ne!(r.find(&format!("{kw}ы")), Some((0, kw.len())), "{kw}");
        }
    }
}

#[test]
fn numbers_units_multipliers_and_periods_are_highlighted() {
    let g = grammar();
    let quantity = rule(&g, "quantity");
    let group = |text: &str, n: usize| -> Option<String> {
        quantity.captures(text).and_then(|c| c.at(n).map(str::to_string))
    };
    for unit in pest_literals(&["unit_"]) {
        assert_eq!(
            group(&format!("15 {unit}"), 3).as_deref(),
            Some(unit.as_str()),
            "unit {unit}"
        );
    }
    for mult in pest_literals(&["mult_"]) {
        assert_eq!(
            group(&format!("3 {mult} ₽"), 2).as_deref(),
            Some(mult.as_str()),
            "{mult}"
        );
    }
    for per in pest_literals(&["per"]) {
        let text = format!("300 {per} мес");
        let got = group(&text, 4).or_else(|| group(&text, 5));
        assert_eq!(got.as_deref(), Some(per.as_str()), "per {per}");
        assert_eq!(group(&text, 6).as_deref(), Some("мес"));
    }
    assert_eq!(group("3 000 000 ₽", 1).as_deref(), Some("3 000 000"));
    assert_eq!(group("0,5", 1).as_deref(), Some("0,5"));
    assert_eq!(group("1e6", 1).as_deref(), Some("1e6"));
    assert_eq!(group("40%", 3).as_deref(), Some("%"));
    assert_eq!(group("10 минут", 3).as_deref(), Some("минут"));
    // A unit needs a number: a lone `д` is a name, not days.
    assert_eq!(quantity.find("д"), None);
}

#[test]
fn comments_strings_dates_ranges_and_names() {
    let g = grammar();
    let found = |r: &Regex, text: &str| r.find(text).map(|(a, b)| text[a..b].to_string());
    let comment = rule(&g, "comment");
    assert_eq!(found(&comment, "штат 4 # четыре").as_deref(), Some("# четыре"));
    let date = rule(&g, "date");
    assert_eq!(found(&date, "найм 1 с 2026-03-01").as_deref(), Some("2026-03-01"));
    let string = &g["repository"]["string"];
    assert_eq!(string["begin"], "\"");
    assert_eq!(g["repository"]["raw-string"]["begin"], "\"\"\"");
    let ops = g["repository"]["operator"]["patterns"].as_array().unwrap();
    let range = ops
        .iter()
        .find(|p| p["name"] == "keyword.operator.range.voronka")
        .unwrap();
    let range = Regex::new(range["match"].as_str().unwrap()).unwrap();
    assert_eq!(found(&range, "1..3 дн").as_deref(), Some(".."));
    let definition = rule(&g, "definition");
    let c = definition.captures("роль Менеджер-1 \"x\"").unwrap();
    assert_eq!(c.at(1), Some("роль"));
    assert_eq!(c.at(2), Some("Менеджер-1"));
    let c = definition.captures("  этап КП \"КП отправлено\" {").unwrap();
    assert_eq!(c.at(2), Some("КП"));
}
