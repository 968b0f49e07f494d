//! Scenarios: exact positions of errors in the YAML, common random numbers against the
//! baseline, and the CLI's exit codes.

use crate::common::model;
use std::path::Path;
use std::process::Command;
use voronka::diag::Lang;
use voronka::diag::render::{JsonDiagnostic, human_string, json_values};
use voronka::model::Model;
use voronka::planning::{compare, run};
use voronka::scenario::{Scenario, apply, parse};
use voronka::sim::SimOptions;
use voronka::source::{FileId, SourceMap};

/// Demand is twice one manager's capacity: 20 leads a day × 48 min against 480 min a day.
const OVERLOADED: &str = r#"
положение "Т" { валюта ₽; горизонт 6 мес; рабочая_неделя 6 дн }
роль Менеджер { штат 1; рабочий_день 8 ч; доля_продаж 100% }
канал Сайт { лиды 520 в мес; воронка П }
воронка П {
  чек 1000 ₽
  этап A { ответственный Менеджер; конверсия 50%; длительность 0 дн
    цепочка { звонок "Звонок" 48 мин } }
}
"#;

/// The errors of a scenario for [`OVERLOADED`], as `--format json` shows them.
fn errors(yaml: &str) -> Vec<JsonDiagnostic> {
    errors_for(yaml, &model(OVERLOADED))
}

fn errors_for(yaml: &str, m: &Model) -> Vec<JsonDiagnostic> {
    let mut sources = SourceMap::new();
    let id = sources.add("a.yaml", yaml.to_owned());
    let diags = parse(yaml, id, m, "s").expect_err("errors");
    assert!(diags.iter().all(|d| d.code().starts_with("E007")), "{diags:?}");
    json_values(&sources, &diags, Lang::Ru)
}

/// The errors as the terminal shows them.
fn rendered(yaml: &str) -> String {
    let mut sources = SourceMap::new();
    let id = sources.add("a.yaml", yaml.to_owned());
    let diags = parse(yaml, id, &model(OVERLOADED), "s").expect_err("errors");
    human_string(&sources, &diags, Lang::Ru)
}

fn options(runs: u32) -> SimOptions<'static> {
    SimOptions {
        runs,
        seed: 7,
        ..SimOptions::default()
    }
}

#[test]
fn a_typo_in_a_role_points_at_its_line_and_column_with_a_suggestion() {
    let yaml = "название: x\nроли:\n  Менежер: { штат: 2 }\n";
    let e = errors(yaml);
    assert_eq!((e.len(), e[0].line, e[0].column), (1, 3, 3));
    assert_eq!(
        (e[0].end_line, e[0].end_column),
        (3, 10),
        "the name is underlined"
    );
    assert_eq!(e[0].code, "E0073");
    assert!(e[0].message.contains("Менежер"), "{}", e[0].message);
    assert_eq!(e[0].help.as_deref(), Some("возможно, имелось в виду «Менеджер»"));
    let text = rendered(yaml);
    assert!(text.starts_with("ошибка[E0073]: роль «Менежер»"), "{text}");
    assert!(text.contains("┌─ a.yaml:3:3"), "{text}");
    assert!(text.contains("3 │   Менежер: { штат: 2 }"), "{text}");
    assert!(text.contains("│   ^^^^^^^"), "{text}");
}

#[test]
fn an_unknown_key_points_at_the_key() {
    let e = errors("роли:\n  Менеджер: { штат: 2, шатт: 3 }\n");
    assert_eq!((e.len(), e[0].line, e[0].column), (1, 2, 24));
    assert!(e[0].message.contains("«шатт»"), "{}", e[0].message);
    assert_eq!(e[0].help.as_deref(), Some("возможно, имелось в виду «штат»"));
    assert_eq!(e[0].code, "E0071");
    // English aliases are the same key.
    let e = errors("roles:\n  Менеджер: { headcount: 2 }\nэтапы:\n  П.A: { conversion: 60%, speed: 1 }\n");
    assert_eq!((e.len(), e[0].line, e[0].column), (1, 4, 27));
}

#[test]
fn a_duplicate_key_is_an_error_at_the_second_one() {
    let e = errors("каналы:\n  Сайт: { лиды: 100 }\n  Сайт: { лиды: 200 }\n");
    assert_eq!((e.len(), e[0].line, e[0].column), (1, 3, 3));
    assert!(e[0].message.contains("строке 2"), "{}", e[0].message);
    // An alias repeats its Russian key.
    let e = errors("роли:\n  Менеджер: { штат: 2, headcount: 3 }\n");
    assert_eq!((e[0].line, e[0].column), (2, 24));
}

#[test]
fn values_out_of_range_are_errors() {
    let e = errors("этапы:\n  П.A: { конверсия: 120% }\nроли:\n  Менеджер: { штат: -1 }\n");
    assert_eq!(e.len(), 2);
    assert_eq!((e[0].line, e[0].column), (2, 21));
    assert_eq!((e[1].line, e[1].column), (4, 21));
    assert_eq!((e[0].code.as_str(), e[1].code.as_str()), ("E0075", "E0075"));
    // Text where a number is needed is the wrong kind, not out of range.
    let e = errors("роли:\n  Менеджер: { штат: три }\n");
    assert_eq!(e[0].code, "E0074");
}

/// The language refuses numbers past 10^15 (E0010); a scenario did not: `чек: 1e39` gave a
/// revenue of 0 and P(plan) 100 %, `лиды: 1e300` no deals at all.
#[test]
fn numbers_past_the_language_range_are_refused() {
    let e = errors(
        "каналы:\n  Сайт: { лиды: 1e300, стоимость_лида: \"2e16 ₽\" }\nворонки:\n  П: { чек: 1e39 }\n  П: { чек: \"1..1e20\" }\nэтапы:\n  П.A: { длительность: \"1e16 дн\" }\n",
    );
    let found: Vec<(usize, usize, &str)> = e.iter().map(|d| (d.line, d.column, d.code.as_str())).collect();
    assert_eq!(
        found,
        [
            (2, 17, "E0075"),
            (2, 40, "E0075"),
            (4, 13, "E0075"),
            (5, 3, "E0072"),
            (5, 13, "E0075"),
            (7, 24, "E0075"),
        ],
        "{e:#?}"
    );
    assert!(
        e[0].message.contains("«1e300» вне допустимого диапазона"),
        "{}",
        e[0].message
    );
    assert!(e[0].help.as_deref().unwrap_or("").contains("10^15"), "{e:?}");
    // YAML's infinities, NaN and a literal past f64 are out of range too, said in Russian.
    let e = errors(
        "каналы: { Сайт: { лиды: .inf } }\nворонки: { П: { чек: 1e999 } }\nплан: .nan\nроли: { Менеджер: { штат: .nan } }\n",
    );
    let found: Vec<(usize, &str)> = e.iter().map(|d| (d.line, d.code.as_str())).collect();
    assert_eq!(
        found,
        [(1, "E0075"), (2, "E0075"), (3, "E0078"), (4, "E0075")],
        "{e:#?}"
    );
    assert!(
        e[1].message.contains("«1e999» вне допустимого диапазона"),
        "{e:#?}"
    );
    // The language's own bound is still a value.
    let m = model(OVERLOADED);
    let s = parse("воронки: { П: { чек: 1e15 } }", FileId(0), &m, "x").expect("1e15 is in range");
    assert_eq!(s.changes.len(), 1);
}

/// Control and bidi characters would reach the forecast report's title (HTML, DOCX) and the
/// terminal: refused as in a regulation (E0054), with the code of the character.
#[test]
fn control_and_bidi_characters_are_refused() {
    let e = errors("название: \"Найм\\fдвух\"\nроли:\n  \"Мене\u{202E}джер\": { штат: 2 }\n");
    assert_eq!(e.len(), 2, "{e:#?}");
    assert_eq!((e[0].line, e[0].column, e[0].code.as_str()), (1, 11, "E0077"));
    assert!(e[0].message.contains("U+000C"), "{}", e[0].message);
    assert_eq!((e[1].line, e[1].column, e[1].code.as_str()), (3, 3, "E0077"));
    assert!(e[1].message.contains("U+202E"), "{}", e[1].message);
    // A plain title is taken as written.
    let m = model(OVERLOADED);
    let s = parse("название: Найм двух\n", FileId(0), &m, "x").expect("parses");
    assert_eq!(s.name, "Найм двух");
}

#[test]
fn every_error_has_its_code_and_an_explanation() {
    let m = model(OVERLOADED);
    let cases = [
        ("роли: [1, 2\n", "E0070"),
        ("роли: { Менеджер: { шат: 1 } }\n", "E0071"),
        ("роли: { Менеджер: { штат: 1, штат: 2 } }\n", "E0072"),
        ("каналы: { Сайд: { лиды: 1 } }\n", "E0073"),
        ("роли: 5\n", "E0074"),
        ("каналы: { Сайт: { лиды: -1 } }\n", "E0075"),
        ("план: { выручка: 5 }\n", "E0078"),
    ];
    for (yaml, code) in cases {
        let e = errors_for(yaml, &m);
        assert_eq!(e[0].code, code, "{yaml}: {e:#?}");
        assert!(e[0].line >= 1 && e[0].column >= 1, "{yaml}: {e:#?}");
        for lang in [Lang::Ru, Lang::En] {
            assert!(voronka::diag::explain::explain(code, lang).is_some(), "{code}");
        }
    }
}

#[test]
fn the_cli_refuses_a_deal_size_past_the_range() {
    let dir = std::env::temp_dir().join(format!("voronka-scen-range-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.yaml");
    std::fs::write(&path, "воронки:\n  Продажа: { чек: 1e39 }\n").unwrap();
    let out = voronka(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "5",
        "--scenario",
        path.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("ошибка[E0075]: чек: число «1e39» вне допустимого диапазона"),
        "{err}"
    );
    assert!(err.contains("huge.yaml:2:19"), "{err}");
    assert!(err.contains("2 │   Продажа: { чек: 1e39 }"), "{err}");
    assert!(
        err.contains("подсказка: числа должны быть конечными и не больше 10^15"),
        "{err}"
    );
    let out = voronka(&["explain", "E0075", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("E0075 — number in the file out of range"));
}

#[test]
fn a_scenario_parses_into_changes() {
    let m = model(OVERLOADED);
    let s = parse(
        "название: Два\nроли: { Менеджер: { штат: 2 } }\nэтапы: { A: { конверсия: 0.6, длительность: \"1..3 дн\" } }\nканалы: { Сайт: { лиды: \"600\" } }\nворонки: { П: { чек: \"2 000 ₽\" } }\n",
        FileId(0), &m, "x",
    )
    .expect("parses");
    assert_eq!((s.name.as_str(), s.changes.len()), ("Два", 5));
    let changed = apply(&m, &s);
    assert_eq!(changed.roles[0].headcount, 2);
    assert_eq!(changed.channels[0].leads_per_month, 600.0);
    assert_eq!(m.roles[0].headcount, 1, "apply leaves the baseline alone");
    let conv = voronka::scenario::conversion_of(&changed, "П", "A").unwrap();
    assert!((conv - 0.6).abs() < 1e-12);
}

/// With `дозвон` a scenario's conversion is, like the file's, a share of the reached clients:
/// the route of the unreached (u = 0.5² = 0.25) stays, the successes become 0.6 × 0.75.
#[test]
fn a_scenario_conversion_applies_to_the_reached_clients() {
    let m = model(
        "роль М { штат 1 }\nканал К { лиды 10 в мес; воронка П }\n\
         воронка П { этап A { ответственный М; конверсия 40%\n\
           цепочка { звонок \"Звонок\" 5 мин; попыток 2; дозвон 50%; иначе -> проиграно } } }",
    );
    let s = parse("этапы: { A: { конверсия: 0.6 } }\n", FileId(0), &m, "x").expect("parses");
    assert!((voronka::scenario::conversion_of(&m, "П", "A").unwrap() - 0.4).abs() < 1e-12);
    let changed = apply(&m, &s);
    assert!((voronka::scenario::conversion_of(&changed, "П", "A").unwrap() - 0.6).abs() < 1e-12);
    let by_kind = |kind| -> f64 {
        changed.pipelines[0].stages[0]
            .transitions
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.probability)
            .sum()
    };
    use voronka::model::TransitionKind;
    assert!((by_kind(TransitionKind::Unreached) - 0.25).abs() < 1e-12);
    assert!((by_kind(TransitionKind::Success) - 0.6 * 0.75).abs() < 1e-12);
    assert!((by_kind(TransitionKind::Failure) - 0.4 * 0.75).abs() < 1e-12);
}

/// A conversion of 0 % raised by a scenario converts (it used to stay 0 and lose everything),
/// and a conversion of 100 % lowered loses the rest; the eventual P(won) follows.
#[test]
fn a_scenario_raises_a_zero_conversion_and_lowers_a_full_one() {
    let m = model(
        "роль М { штат 1 }\nканал К { лиды 10 в мес; воронка П }\n\
         воронка П { этап A { ответственный М; конверсия 0% }\n\
           этап Б { ответственный М; конверсия 100% } }",
    );
    let s = parse(
        "этапы: { A: { конверсия: 30% }, Б: { конверсия: 50% } }\n",
        FileId(0),
        &m,
        "x",
    )
    .expect("parses");
    let changed = apply(&m, &s);
    for (stage, want) in [("A", 0.3), ("Б", 0.5)] {
        let got = voronka::scenario::conversion_of(&changed, "П", stage).unwrap();
        assert!((got - want).abs() < 1e-12, "{stage}: {got}");
    }
    let p_won = voronka::analyze::p_won_from(&changed, "П", "A").unwrap();
    assert!((p_won - 0.15).abs() < 1e-12, "P(won) {p_won}");
}

#[test]
fn more_people_in_an_overloaded_role_win_more_deals() {
    let m = model(OVERLOADED);
    let (_, base) = run(&m, &options(200));
    let s = parse("роли: { Менеджер: { штат: 2 } }", FileId(0), &m, "hire").unwrap();
    let r = compare(&m, &base, &[s], &options(200), voronka::planning::PRECISION);
    let d = r[0].delta.won;
    assert!(d.ci95[0] > 0.0, "{d:?}");
    // Capacity is 10 leads a day, demand 20: a second manager doubles throughput, so about
    // 6 × 26 × 10 × 50% = 780 more deals.
    assert!((d.mean - 780.0).abs() < 60.0, "{d:?}");
}

#[test]
fn a_scenario_equal_to_the_baseline_differs_by_exactly_zero() {
    let m = model(OVERLOADED);
    let (_, base) = run(&m, &options(100));
    let same = parse("роли: { Менеджер: { штат: 1 } }", FileId(0), &m, "same").unwrap();
    let r = compare(
        &m,
        &base,
        &[same, Scenario::default()],
        &options(100),
        voronka::planning::PRECISION,
    );
    for s in &r {
        assert_eq!(s.delta.won.mean, 0.0);
        assert_eq!(s.delta.won.ci95, [0.0, 0.0]);
        assert_eq!(s.delta.revenue.ci95, [0.0, 0.0]);
    }
}

fn voronka(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs")
}

#[test]
fn the_cli_exits_1_on_errors_and_2_on_an_unreadable_file() {
    let dir = std::env::temp_dir().join(format!("voronka-scen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "роли:\n  Менежер: { штат: 5 }\n").unwrap();
    let bad = bad.to_str().unwrap();
    let out = voronka(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "5",
        "--scenario",
        bad,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ошибка[E0073]: роль «Менежер» не найдена"), "{err}");
    assert!(err.contains("bad.yaml:2:3"), "{err}");
    assert!(err.contains("возможно, имелось в виду «Менеджер»"), "{err}");
    let out = voronka(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "5",
        "--scenario",
        "нет.yaml",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let out = voronka(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "20",
        "--no-hires",
        "--scenario",
        "examples/scenarios/agency_hire.yaml",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Сценарии") && text.contains("Найм двух менеджеров"),
        "{text}"
    );
}

/// Mutated scenario and open-deals files (fixed seed: characters deleted, inserted — control
/// and bidi characters, quotes, brackets, huge exponents — and lines repeated) never panic, and
/// every error is an E0070–E0078 diagnostic inside the file that renders.
#[test]
fn mutated_data_files_give_diagnostics_not_panics() {
    use voronka::sim::open_deals::{self, Format};
    let c = voronka::compile(Path::new("examples/agency.sales"));
    let m = c.model.expect("the example compiles");
    let files = [
        ("examples/scenarios/agency_hire.yaml", None),
        ("examples/open_deals/agency.csv", Some(Format::Csv)),
        ("examples/open_deals/agency.yaml", Some(Format::Yaml)),
    ];
    let pieces = [
        "\u{c}", "\u{202E}", "\u{0}", "\"", "'", "{", "}", "[", "]", ":", ": ", ",", ";", "-", "\n", "  ",
        "1e300", "-1", ".inf", "true", "~", "#", "..", "₽", "é", "\t",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for (path, format) in files {
        let original = std::fs::read_to_string(path).unwrap();
        for _ in 0..150 {
            let mut text = original.clone();
            for _ in 0..1 + next(3) {
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match next(3) {
                    0 => {
                        let mut end = (at + 1 + next(8)).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(at..end, "");
                    }
                    1 => text.insert_str(at, pieces[next(pieces.len())]),
                    _ => {
                        let line = text[at..].lines().next().unwrap_or("").to_owned();
                        text.insert_str(at, &format!("{line}\n"));
                    }
                }
            }
            let mut sources = SourceMap::new();
            let id = sources.add("mutated", text.clone());
            let diags = match format {
                None => parse(&text, id, &m, "x").err(),
                Some(f) => open_deals::parse(&text, id, f, &m).err(),
            };
            for d in diags.iter().flatten() {
                assert!(d.code().starts_with("E007"), "{text:?}: {d:?}");
                let span = d.span().expect("a place in the file");
                assert!(
                    span.start <= span.end && span.end as usize <= text.len(),
                    "{text:?}: {d:?}"
                );
                assert!(
                    text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize)
                );
            }
            if let Some(diags) = &diags {
                assert!(!human_string(&sources, diags, Lang::Ru).is_empty());
            }
        }
    }
}
