//! `voronka docs` through the real binary: every shipped example gives the Положение and one
//! memo per role in Markdown and HTML, with the sections seed 002 rule 3 requires; the HTML is
//! self-contained and balanced; user templates override the built-in ones file by file, and a
//! broken one is reported with its file, line and column.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn voronka(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The root examples a user would run `docs` on (the benchmark is a load test, not a sample).
fn examples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("examples")
        .expect("examples folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sales") && !p.ends_with("benchmark.sales"))
        .collect();
    out.push(PathBuf::from("examples/split/main.sales"));
    out.sort();
    out
}

/// The sections of seed 002 rule 3, by the headings the Russian Положение gives them.
const REQUIRED: [&str; 6] = [
    "Воронки продаж",
    "Показатели",
    "Планирование",
    "Учёт",
    "Контроль",
    "Отчётность",
];

fn docs(file: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["docs", file.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    voronka(&args)
}

/// Every opened element is closed in order (void and self-closed elements aside).
fn assert_balanced(html: &str, name: &str) {
    const VOID: [&str; 8] = ["br", "hr", "img", "meta", "input", "link", "col", "wbr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or_else(|| panic!("{name}: unclosed `<`"));
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(closing) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("{name}: `</{closing}>` closes nothing"));
            assert_eq!(
                open,
                closing.trim(),
                "{name}: `<{open}>` closed by `</{closing}>`"
            );
            continue;
        }
        let tag_name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if tag.ends_with('/') || VOID.contains(&tag_name.as_str()) {
            continue;
        }
        stack.push(tag_name);
    }
    assert!(stack.is_empty(), "{name}: unclosed elements {stack:?}");
}

fn assert_no_external_refs(html: &str, name: &str) {
    for attr in ["src=", "href="] {
        for (i, _) in html.match_indices(attr) {
            let value = html[i + attr.len()..].trim_start_matches(['"', '\'']);
            assert!(
                !value.starts_with("http://") && !value.starts_with("https://") && !value.starts_with("//"),
                "{name}: external reference at {}",
                &html[i..(i + 60).min(html.len())]
            );
        }
    }
    assert!(!html.contains("<script"), "{name}: scripts are not allowed");
}

fn assert_clean(text: &str, name: &str) {
    for bad in ["{{", "{%", "TODO"] {
        assert!(!text.contains(bad), "{name}: `{bad}` left in the output");
    }
}

#[test]
fn every_example_gives_the_regulation_and_a_memo_per_role() {
    for file in examples() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        let result = docs(&file, &out, &[]);
        let (stdout, stderr) = text(&result);
        assert_eq!(result.status.code(), Some(0), "{}: {stderr}", file.display());
        let model = voronka::compile(&file).model.expect("model");
        let mut expected = vec!["regulation.md".to_string(), "regulation.html".to_string()];
        for role in &model.roles {
            expected.push(format!("memo-{}.md", role.name));
            expected.push(format!("memo-{}.html", role.name));
        }
        for p in &model.pipelines {
            expected.push(format!("{}.svg", p.name));
        }
        for name in &expected {
            let path = out.join(name);
            assert!(path.is_file(), "{}: {name} not written", file.display());
            assert!(
                stdout.contains(name.as_str()),
                "{}: {name} not listed",
                file.display()
            );
            let content = std::fs::read_to_string(&path).unwrap();
            let label = format!("{}: {name}", file.display());
            assert_clean(&content, &label);
            if name.ends_with(".html") {
                assert_no_external_refs(&content, &label);
                assert_balanced(&content, &label);
            }
            if name.ends_with(".svg") {
                assert_balanced(&content, &label);
            }
        }
        let md = std::fs::read_to_string(out.join("regulation.md")).unwrap();
        for heading in REQUIRED {
            let found = md
                .lines()
                .any(|l| l.starts_with("## ") && l.trim_end().ends_with(&format!(". {heading}")));
            assert!(found, "{}: the Положение lacks «{heading}»", file.display());
        }
        for must in [
            "УТВЕРЖДАЮ",
            "Лист ознакомления",
            "Матрица ответственности",
            "Карточки этапов",
        ] {
            assert!(
                md.contains(must),
                "{}: the Положение lacks «{must}»",
                file.display()
            );
        }
        let html = std::fs::read_to_string(out.join("regulation.html")).unwrap();
        assert!(html.contains("<svg"), "{}: no inline diagram", file.display());
        assert!(html.contains("@page"), "{}: no print stylesheet", file.display());
        // No temporary files are left behind.
        for entry in std::fs::read_dir(&out).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.ends_with(".tmp"), "{name} left behind");
        }
    }
}

#[test]
fn the_agency_regulation_reads_like_a_russian_document() {
    let dir = tempfile::tempdir().unwrap();
    let result = docs(
        Path::new("examples/agency.sales"),
        dir.path(),
        &["--format", "md"],
    );
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    let md = std::fs::read_to_string(dir.path().join("regulation.md")).unwrap();
    for fragment in [
        "Генеральный директор А. В. Соколов",
        "Действует с 12\u{a0}января\u{a0}2026\u{a0}г.",
        "## 1. Общие положения",
        "1.1. ",
        "оклад 90\u{a0}000\u{a0}₽",
        "50\u{a0}%",
        "Декомпозиция плана",
        "январь 2026",
    ] {
        assert!(md.contains(fragment), "no «{fragment}» in the Положение");
    }
    assert!(!md.contains(".."), "a doubled full stop");
    assert!(
        !dir.path().join("regulation.html").exists(),
        "--format md wrote HTML"
    );
    let memo = std::fs::read_to_string(dir.path().join("memo-Менеджер.md")).unwrap();
    for fragment in [
        "## Кто я",
        "Подчиняюсь: Руководитель отдела продаж",
        "## Мои этапы",
        "## Мои нормативы",
        "## Мои показатели",
        "## Как меня контролируют",
        "## Мои отчёты",
        "Первичный звонок",
    ] {
        assert!(memo.contains(fragment), "no «{fragment}» in the memo");
    }
}

#[test]
fn only_and_english() {
    let dir = tempfile::tempdir().unwrap();
    let result = docs(
        Path::new("examples/agency.sales"),
        dir.path(),
        &["--only", "memo", "--lang", "en", "--format", "md"],
    );
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    assert!(
        !dir.path().join("regulation.md").exists(),
        "--only memo wrote the regulation"
    );
    let memo = std::fs::read_to_string(dir.path().join("memo-Менеджер.md")).unwrap();
    assert!(memo.contains("## Who I am"), "{memo}");
    let result = docs(
        Path::new("examples/agency.sales"),
        dir.path(),
        &["--only", "regulation", "--lang", "en", "--format", "md"],
    );
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    let md = std::fs::read_to_string(dir.path().join("regulation.md")).unwrap();
    for heading in [
        "Sales pipelines",
        "Indicators",
        "Planning",
        "Accounting",
        "Control",
        "Reporting",
    ] {
        assert!(md.contains(&format!(". {heading}\n")), "no «{heading}» in {md}");
    }
    assert!(md.contains("12 January 2026"));
}

#[test]
fn a_user_template_overrides_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("memo.md"), "# Своя памятка: {{ role.title }}\n").unwrap();
    let out = dir.path().join("out");
    let result = docs(
        Path::new("examples/agency.sales"),
        &out,
        &["--templates", templates.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    let memo = std::fs::read_to_string(out.join("memo-РОП.md")).unwrap();
    assert_eq!(memo, "# Своя памятка: Руководитель отдела продаж\n");
    let html = std::fs::read_to_string(out.join("memo-РОП.html")).unwrap();
    assert!(
        html.contains("<h1>Своя памятка: Руководитель отдела продаж</h1>"),
        "{html}"
    );
    // The regulation still comes from the built-in template.
    let md = std::fs::read_to_string(out.join("regulation.md")).unwrap();
    assert!(md.contains("УТВЕРЖДАЮ"));
}

#[test]
fn a_broken_user_template_is_reported_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let path = templates.join("regulation.md");
    std::fs::write(&path, "# Положение\n\nКомпания: {{ header.no_such_field }}\n").unwrap();
    let out = dir.path().join("out");
    let result = docs(
        Path::new("examples/agency.sales"),
        &out,
        &["--templates", templates.to_str().unwrap()],
    );
    let (_, stderr) = text(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    let place = format!("{}:3:", path.display());
    assert!(stderr.contains(&place), "no `{place}` in: {stderr}");
    assert!(stderr.contains("неопределённ"), "not in Russian: {stderr}");
    assert!(
        !out.join("regulation.md").exists(),
        "a document was written anyway"
    );

    // A syntax error, and a loop that never ends, are caught too.
    std::fs::write(&path, "# Положение\n{% for x in %}\n").unwrap();
    let result = docs(
        Path::new("examples/agency.sales"),
        &out,
        &["--templates", templates.to_str().unwrap()],
    );
    let (_, stderr) = text(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("{}:2:", path.display())), "{stderr}");
    assert!(stderr.contains("синтаксическая ошибка"), "{stderr}");

    std::fs::write(
        &path,
        "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    let result = docs(
        Path::new("examples/agency.sales"),
        &out,
        &["--templates", templates.to_str().unwrap(), "--format", "md"],
    );
    let (_, stderr) = text(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("лимит"), "{stderr}");
}

#[test]
fn a_file_with_errors_is_refused_and_io_failures_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sales");
    std::fs::write(
        &bad,
        "роль А { штат -1 }\nворонка В { этап Х { ответственный Нет } }\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = docs(&bad, &out, &[]);
    let (_, stderr) = text(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("ошибк"), "{stderr}");
    assert!(!out.exists(), "the output folder was created for a refused file");

    let result = docs(&dir.path().join("missing.sales"), &out, &[]);
    assert_eq!(result.status.code(), Some(2));

    // The output folder cannot be created under a file.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let result = docs(Path::new("examples/agency.sales"), &blocker.join("sub"), &[]);
    assert_eq!(result.status.code(), Some(2), "{}", text(&result).1);
}

#[test]
fn sections_without_data_are_skipped_and_numbers_stay_consecutive() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mini.sales");
    std::fs::write(
        &file,
        r#"положение "Мини" { компания "ООО Ромашка" }
роль М "Менеджер" { штат 3 }
канал Сайт { лиды 10 в мес; воронка П }
воронка П {
  выход "Оплата поступила"
  этап А { ответственный М; конверсия 50% }
  этап Б { ответственный М; конверсия 50% }
}
"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = docs(&file, &out, &["--format", "md"]);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    let md = std::fs::read_to_string(out.join("regulation.md")).unwrap();
    for absent in [
        "Планирование",
        "Контроль",
        "Отчётность",
        "Нормативы",
        "Лист изменений",
        "Справочник причин",
    ] {
        assert!(
            !md.contains(absent),
            "an empty section «{absent}» was printed:\n{md}"
        );
    }
    let numbers: Vec<u32> = md
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|l| l.split_once(". ").and_then(|(n, _)| n.parse().ok()))
        .collect();
    assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>(), "{md}");
    assert!(!md.contains("0 дней"), "an unknown duration printed as zero");
}

/// The agency's documents as a reviewer reads them; `INSTA_UPDATE=always cargo test --test
/// documents` (or `cargo insta review`) accepts a deliberate change.
#[test]
fn agency_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let result = docs(
        Path::new("examples/agency.sales"),
        dir.path(),
        &["--format", "md"],
    );
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    for name in ["regulation.md", "memo-Менеджер.md"] {
        let content = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let snapshot = format!(
            "agency-{}",
            name.trim_end_matches(".md").replace("Менеджер", "manager")
        );
        insta::assert_snapshot!(snapshot, content);
    }
}
