//! `voronka init`: the defaults give a file that checks without errors and is formatted; piped
//! answers end up in the file; a bad answer is asked again; an existing file is never
//! overwritten.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn voronka(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("answers written");
    child.wait_with_output().expect("binary finishes")
}

fn checks_clean(file: &Path) {
    let f = file.to_str().unwrap();
    let out = voronka(&["check", f, "--format", "short"], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("ошибка["), "{stderr}");
    let out = voronka(&["fmt", "--check", f], "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn defaults_check_without_errors_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let ru = dir.path().join("ru");
    let out = voronka(&["init", ru.to_str().unwrap(), "--defaults"], "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = ru.join("положение.sales");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        file.display().to_string()
    );
    checks_clean(&file);
    let text = std::fs::read_to_string(&file).unwrap();
    for question in 1..=10 {
        assert!(
            text.contains(&format!("# {question}. ")),
            "question {question} is not marked"
        );
    }
    assert!(text.contains("# Дальше:"));

    let en = dir.path().join("en");
    let out = voronka(&["--lang", "en", "init", en.to_str().unwrap(), "--defaults"], "");
    assert_eq!(out.status.code(), Some(0));
    let file = en.join("regulation.sales");
    checks_clean(&file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("pipeline Sales \"Sales\" {"), "{text}");
    for question in 1..=10 {
        assert!(
            text.contains(&format!("# {question}. ")),
            "question {question} is not marked"
        );
    }
}

/// Amounts are typed as the language writes them (`2,5 млн`, `450 000 ₽`, `45 тыс ₽`); every
/// source of leads becomes a channel with its own leads; the salesperson's pay is written.
#[test]
fn piped_answers_end_up_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let answers = [
        "ООО \"Ромашка\"",
        "Коммерческий директор",
        "Продавец-консультант",
        "5",
        "45 тыс ₽",
        "3%",
        "Звонок, Демо, Счёт",
        "Заявка с выставки",
        "Деньги на счёте",
        "Станки с ЧПУ",
        "Битрикс24, 1С",
        "2,5 млн",
        "Сайт, Выставки",
        "40",
        "12",
        "450 000 ₽",
        "Планёрка по понедельникам",
        "Производство",
        "Регламент отгрузки",
    ]
    .join("\n");
    let out = voronka(&["init", dir.path().to_str().unwrap()], &answers);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.path().join("положение.sales");
    let text = std::fs::read_to_string(&file).unwrap();
    for expected in [
        "компания \"ООО \\\"Ромашка\\\"\"",
        "роль Коммерческий \"Коммерческий директор\"",
        "роль ПродавецКонсультант \"Продавец-консультант\"",
        "штат 5; подчиняется Коммерческий",
        "этап Звонок \"Звонок\"",
        "этап Демо \"Демо\"",
        "этап Счёт \"Счёт\"",
        "вход \"Заявка с выставки\"",
        "выход \"Деньги на счёте\"",
        "продукт \"Станки с ЧПУ\"",
        "ресурс Битрикс24 \"Битрикс24\"",
        "ресурс Ресурс1С \"1С\"",
        "оклад 45 000 ₽; бонус 3% выручки",
        "выручка 2 500 000 ₽ в мес",
        "канал Сайт \"Сайт\" {\n  лиды 40 в мес",
        "канал Выставки \"Выставки\" {\n  лиды 12 в мес",
        "чек 450 000 ₽",
        "что \"Планёрка по понедельникам\"",
        "взаимодействие Производство \"Производство\"",
        "документ РегламентОтгрузки \"Регламент отгрузки\"",
    ] {
        assert!(text.contains(expected), "{expected} missing in\n{text}");
    }
    checks_clean(&file);
}

#[test]
fn a_bad_answer_is_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    // Company, head, seller, then two bad headcounts before a good one; the rest by default.
    let out = voronka(&["init", dir.path().to_str().unwrap()], "\n\n\nтри\n0\n4\n");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("нужно целое число от 1 до 10000").count(),
        2,
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("1. Сколько продавцов в штате? [3]").count(),
        3,
        "{stderr}"
    );
    let file = dir.path().join("положение.sales");
    assert!(std::fs::read_to_string(&file).unwrap().contains("штат 4;"));
    checks_clean(&file);
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("положение.sales");
    std::fs::write(&file, "# моё\n").unwrap();
    let out = voronka(&["init", dir.path().to_str().unwrap(), "--defaults"], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("файл уже существует") && stderr.contains("Подсказка"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# моё\n");
}
