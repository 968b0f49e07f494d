//! The command line speaks Russian: every help screen (`--help` and `-h` of the program and of
//! each command) and clap's usage errors, with no English word of clap's own.

use crate::common::voronka;

/// English words clap writes by itself (whole words, case-sensitive).
const ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "OPTIONS",
    "Arguments",
    "Commands",
    "COMMAND",
    "default",
    "possible",
    "Possible",
    "values",
    "Print",
    "help",
    "version",
    "error",
    "tip",
    "information",
    "try",
    "unexpected",
    "argument",
    "required",
    "provided",
    "invalid",
    "value",
    "found",
    "FILE",
    "FORMAT",
    "RUNS",
    "SEED",
    "TARGET",
    "LANG",
    "subcommand",
    "similar",
    "exists",
];

/// The English words of `text` from [`ENGLISH`], flags (`--no-hires`) and file names aside.
fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .filter(|w| !w.starts_with('-') && !w.contains('.'))
        .filter(|w| ENGLISH.contains(w))
        .map(str::to_owned)
        .collect()
}

fn commands() -> Vec<String> {
    let out = voronka(&["--help"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let (_, list) = text.split_once("Команды:").expect("a list of commands");
    let list = list.split("\n\n").next().unwrap();
    list.lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_help_screen_is_russian() {
    let commands = commands();
    assert!(commands.len() >= 15, "{commands:?}");
    let mut screens: Vec<Vec<String>> = vec![vec!["--help".into()], vec!["-h".into()]];
    for c in &commands {
        screens.push(vec![c.clone(), "--help".into()]);
        screens.push(vec![c.clone(), "-h".into()]);
    }
    for args in &screens {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = voronka(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Использование: voronka"), "{args:?}:\n{text}");
        let english = english_words(&text);
        assert!(english.is_empty(), "{args:?}: {english:?} in\n{text}");
        for clap_says in [
            "[default:",
            "[possible",
            "Possible values:",
            "[OPTIONS]",
            "<COMMAND>",
        ] {
            assert!(!text.contains(clap_says), "{args:?}: «{clap_says}» in\n{text}");
        }
        // The common flags in their own section, after the command's own.
        let (own, common) = text.split_once("Общие параметры:").expect("common flags");
        assert!(
            !own.contains("--lang"),
            "{args:?}: --lang among the command's own:\n{text}"
        );
        assert!(common.contains("--lang <ЯЗЫК>"), "{args:?}:\n{text}");
    }
    // Defaults and values are said in Russian.
    let text = String::from_utf8(voronka(&["simulate", "-h"]).stdout).unwrap();
    assert!(text.contains("--runs <ЧИСЛО>"), "{text}");
    assert!(text.contains("[по умолчанию: 1000]"), "{text}");
    assert!(text.contains("[значения: table, json, csv, html]"), "{text}");
    let text = String::from_utf8(voronka(&["simulate", "--help"]).stdout).unwrap();
    assert!(
        text.contains("Значения:\n          - table: Таблица для чтения"),
        "{text}"
    );
}

#[test]
fn usage_errors_are_russian_and_exit_2() {
    for (args, says) in [
        (
            vec!["simulate", "x.sales", "--runz", "3"],
            "неизвестный параметр --runz; возможно, имелось в виду --runs",
        ),
        (vec!["simulate"], "не указан обязательный аргумент <ФАЙЛ>"),
        (
            vec!["simulate", "x.sales", "--runs"],
            "не указано значение --runs <ЧИСЛО>",
        ),
        (
            vec!["simulate", "x.sales", "--format", "xml"],
            "неверное значение «xml» для --format <ФОРМАТ>; допустимо: table, json, csv, html",
        ),
        (
            vec!["simulate", "x.sales", "--runs", "abc"],
            "неверное значение --runs <ЧИСЛО>: ожидалось целое число",
        ),
        (vec!["frobnicate"], "неизвестная команда frobnicate"),
        (
            vec!["docs", "x.sales"],
            "не указан обязательный аргумент --out <ПАПКА>",
        ),
        (vec![], "Использование: voronka [ПАРАМЕТРЫ] <КОМАНДА>"),
    ] {
        let out = voronka(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let text = String::from_utf8(out.stderr).unwrap();
        assert!(text.contains(says), "{args:?}:\n{text}");
        let english = english_words(&text);
        assert!(english.is_empty(), "{args:?}: {english:?} in\n{text}");
    }
    let text = String::from_utf8(voronka(&["plan", "x.sales"]).stderr).unwrap();
    assert!(text.ends_with("Справка: voronka plan --help\n"), "{text}");
}

/// With `--lang en` the same screens are English: clap's headings, the descriptions, the
/// placeholders; Cyrillic only where the user types it (values, examples of names).
#[test]
fn help_screens_are_english_on_request() {
    let mut screens: Vec<Vec<String>> = vec![vec!["--lang".into(), "en".into(), "--help".into()]];
    for c in commands() {
        screens.push(vec!["--lang".into(), "en".into(), c.clone(), "--help".into()]);
        screens.push(vec![c, "-h".into(), "--lang=en".into()]);
    }
    for args in &screens {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = voronka(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage: voronka"), "{args:?}:\n{text}");
        assert!(text.contains("Common options:"), "{args:?}:\n{text}");
        let typed = ["действующий", "'Менеджер.штат", "дней → дн"];
        for line in text.lines() {
            let russian = line
                .chars()
                .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)));
            assert!(
                !russian || typed.iter().any(|t| line.contains(t)),
                "{args:?}: a Russian line in English help: {line}"
            );
        }
    }
    let out = voronka(&["--lang", "en", "simulate", "x.sales", "--runz", "1"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stderr).unwrap();
    assert!(text.starts_with("error: unexpected argument '--runz'"), "{text}");
    assert!(text.ends_with("Help: voronka simulate --help\n"), "{text}");
}
