//! `voronka docs` through the real binary: every shipped example gives the Положение, a memo
//! and a job description per role and the report forms in Markdown, HTML and DOCX, with the
//! sections seed 002 rule 3 requires; the HTML is self-contained and balanced; the DOCX unzips,
//! its XML parses and its headings, tables and page breaks sit where the Markdown puts them;
//! user templates override the built-in ones file by file, and a broken one is reported with
//! its file, line and column; `--list-templates` and `init-templates` round-trip.

use crate::common;

use common::voronka;
use std::path::{Path, PathBuf};
use std::process::Output;

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
        let mut stems = vec!["regulation".to_string(), "forms".to_string()];
        for role in &model.roles {
            stems.push(format!("memo-{}", role.name));
            stems.push(format!("job-{}", role.name));
        }
        let mut expected: Vec<String> = Vec::new();
        for stem in &stems {
            for ext in ["md", "html", "docx"] {
                expected.push(format!("{stem}.{ext}"));
            }
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
            let label = format!("{}: {name}", file.display());
            if name.ends_with(".docx") {
                let md = std::fs::read_to_string(out.join(name.replace(".docx", ".md"))).unwrap();
                assert_docx_follows_markdown(&path, &md, &label);
                continue;
            }
            let content = std::fs::read_to_string(&path).unwrap();
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
        "Генеральный директор А.\u{a0}В.\u{a0}Соколов",
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
        "Подчиняюсь Руководителю отдела продаж",
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
    assert_eq!(result.status.code(), Some(3));

    // The output folder cannot be created under a file.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let result = docs(Path::new("examples/agency.sales"), &blocker.join("sub"), &[]);
    assert_eq!(result.status.code(), Some(3), "{}", text(&result).1);
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

/// Every document kind of every shipped example, as a reviewer reads them;
/// `INSTA_UPDATE=always cargo test --test documents` (or `cargo insta review`) accepts a
/// deliberate change.
#[test]
fn snapshots_of_every_document_of_every_example() {
    // Every example in Russian, and the English one in English too.
    let mut runs: Vec<(PathBuf, &str)> = examples().into_iter().map(|f| (f, "ru")).collect();
    runs.push((PathBuf::from("examples/saas_en.sales"), "en"));
    for (file, lang) in runs {
        let dir = tempfile::tempdir().unwrap();
        let result = docs(&file, dir.path(), &["--format", "md", "--lang", lang]);
        assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
        let mut example = file
            .to_str()
            .unwrap()
            .trim_start_matches("examples/")
            .trim_end_matches(".sales")
            .replace('/', "-");
        if lang == "en" {
            example.push_str("-en");
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md"))
            .collect();
        names.sort();
        assert!(names.len() >= 4, "{example}: {names:?}");
        for name in names {
            let content = std::fs::read_to_string(dir.path().join(&name)).unwrap();
            crate::assert_snapshot!(format!("{example}-{}", name.trim_end_matches(".md")), content);
        }
    }
}

// ─── DOCX ─────────────────────────────────────────────────────────────────────

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A paragraph or a table of `word/document.xml`, in body order.
#[derive(Debug)]
enum Block {
    Para {
        style: String,
        text: String,
        page_break: bool,
        numbered: bool,
    },
    Table {
        rows: usize,
    },
}

fn docx_part(path: &Path, part: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{}: not a zip: {e}", path.display()));
    let mut entry = zip
        .by_name(part)
        .unwrap_or_else(|e| panic!("{}: no {part}: {e}", path.display()));
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut entry, &mut xml).unwrap();
    xml
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name((W, name)))
}

fn docx_blocks(path: &Path) -> Vec<Block> {
    let xml = docx_part(path, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{}: XML: {e}", path.display()));
    let body = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name((W, "body")))
        .expect("w:body");
    body.children()
        .filter(|n| n.is_element())
        .filter_map(|n| {
            if n.has_tag_name((W, "tbl")) {
                return Some(Block::Table {
                    rows: n.children().filter(|c| c.has_tag_name((W, "tr"))).count(),
                });
            }
            if !n.has_tag_name((W, "p")) {
                return None;
            }
            let ppr = child(n, "pPr");
            let style = ppr
                .and_then(|p| child(p, "pStyle"))
                .and_then(|s| s.attribute((W, "val")))
                .unwrap_or("")
                .to_string();
            let text = n
                .descendants()
                .filter(|d| d.has_tag_name((W, "t")))
                .filter_map(|d| d.text())
                .collect();
            Some(Block::Para {
                style,
                text,
                page_break: ppr.and_then(|p| child(p, "pageBreakBefore")).is_some(),
                numbered: ppr.and_then(|p| child(p, "numPr")).is_some(),
            })
        })
        .collect()
}

/// The Markdown without its backslash escapes, as a reader sees it.
fn unescape(md: &str) -> String {
    let mut out = String::new();
    let mut chars = md.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The Word document has the Markdown's title, its `##`/`###` headings as Heading 1/2 in the
/// same order, one Word table per Markdown table with as many rows, and a page break before
/// the heading that follows each `page-break` marker (the appendices, the acknowledgement sheet).
fn assert_docx_follows_markdown(path: &Path, md: &str, label: &str) {
    for part in ["word/styles.xml", "word/numbering.xml", "[Content_Types].xml"] {
        let xml = docx_part(path, part);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{label}: {part}: {e}"));
    }
    let blocks = docx_blocks(path);
    let headings = |style: &str| -> Vec<String> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para { style: s, text, .. } if s == style => Some(text.clone()),
                _ => None,
            })
            .collect()
    };
    let md_headings = |prefix: &str| -> Vec<String> {
        md.lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .map(|t| unescape(t.trim()).replace("**", ""))
            .collect()
    };
    assert_eq!(headings("Title"), md_headings("# "), "{label}: title");
    assert_eq!(headings("Heading1"), md_headings("## "), "{label}: Heading 1");
    assert_eq!(headings("Heading2"), md_headings("### "), "{label}: Heading 2");
    // Tables: the delimiter row starts each Markdown table; rows = header + body rows.
    let mut md_tables = Vec::new();
    let lines: Vec<&str> = md.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("|---") || l.starts_with("|:--") || l.starts_with("|--:") {
            let body = lines[i + 1..].iter().take_while(|x| x.starts_with('|')).count();
            md_tables.push(body + 1);
        }
    }
    let docx_tables: Vec<usize> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table { rows } => Some(*rows),
            _ => None,
        })
        .collect();
    assert_eq!(docx_tables, md_tables, "{label}: tables and their rows");
    // Page breaks: before the first heading after each marker.
    let mut expected_breaks = Vec::new();
    let mut pending = false;
    for l in md.lines() {
        if l.contains("class=\"page-break\"") {
            pending = true;
        } else if pending && l.starts_with('#') {
            expected_breaks.push(unescape(l.trim_start_matches('#').trim()));
            pending = false;
        }
    }
    let breaks: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para {
                page_break: true,
                text,
                ..
            } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(breaks, expected_breaks, "{label}: page breaks");
    // List items are Word list paragraphs.
    let md_items = md
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("- ")
                || t.split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
        .count();
    let numbered = blocks
        .iter()
        .filter(|b| matches!(b, Block::Para { numbered: true, .. }))
        .count();
    assert_eq!(numbered, md_items, "{label}: list items");
}

#[test]
fn the_regulation_docx_is_a_word_document_with_clauses_and_appendices() {
    let dir = tempfile::tempdir().unwrap();
    let result = docs(
        Path::new("examples/agency.sales"),
        dir.path(),
        &["--format", "docx"],
    );
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    assert!(
        !dir.path().join("regulation.md").exists(),
        "--format docx wrote Markdown"
    );
    let path = dir.path().join("regulation.docx");
    let blocks = docx_blocks(&path);
    let styles = docx_part(&path, "word/styles.xml");
    for style in ["Title", "Heading1", "Heading2", "Clause"] {
        assert!(
            styles.contains(&format!("w:styleId=\"{style}\"")),
            "no style {style}"
        );
    }
    let paras: Vec<(&str, &str, bool)> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para {
                style,
                text,
                page_break,
                ..
            } => Some((style.as_str(), text.as_str(), *page_break)),
            _ => None,
        })
        .collect();
    // The title page, then «1. Общие положения» on a new page.
    assert!(
        paras
            .iter()
            .any(|(s, t, _)| *s == "Title" && *t == "Положение о системе продаж")
    );
    assert!(
        paras
            .iter()
            .any(|(s, t, b)| *s == "Heading1" && *t == "1. Общие положения" && *b)
    );
    // Numbered clauses keep their numbers as text, in the clause style.
    assert!(
        paras
            .iter()
            .any(|(s, t, _)| *s == "Clause" && t.starts_with("1.1. "))
    );
    // Every appendix starts a page.
    let appendices: Vec<_> = paras
        .iter()
        .filter(|(s, t, _)| *s == "Heading1" && t.starts_with("Приложение"))
        .collect();
    assert!(appendices.len() >= 5, "{appendices:?}");
    assert!(appendices.iter().all(|(_, _, b)| *b), "{appendices:?}");
    // The diagram is a picture in the text, not a file name.
    let xml = docx_part(&dir.path().join("regulation.docx"), "word/document.xml");
    assert!(xml.contains("<w:drawing>"), "no diagram picture");
    assert!(
        !paras.iter().any(|(_, t, _)| t.contains("Продажа.svg")),
        "the diagram is named"
    );
    assert!(dir.path().join("Продажа.svg").is_file());
}

// ─── Templates ────────────────────────────────────────────────────────────────

#[test]
fn list_templates_names_every_file_with_a_description() {
    let out = voronka(&["docs", "--list-templates"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for name in [
        "regulation.md",
        "memo.md",
        "job.md",
        "forms.md",
        "pay.md",
        "page.html",
        "style.css",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not listed: {stdout}"));
        assert!(line.len() > name.len() + 10, "no description: {line}");
        assert!(
            Path::new("templates/ru").join(name).is_file()
                || Path::new("templates/common").join(name).is_file(),
            "{name} is not a shipped file"
        );
    }
    let out = voronka(&["--lang", "en", "docs", "--list-templates"]);
    assert!(text(&out).0.contains("job description"), "{}", text(&out).0);
}

#[test]
fn init_templates_copies_the_shipped_files_and_keeps_edits_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("my");
    let out = voronka(&["init-templates", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let shipped = std::fs::read_dir("templates/ru")
        .unwrap()
        .chain(std::fs::read_dir("templates/common").unwrap());
    for entry in shipped {
        let entry = entry.unwrap();
        // `voronka init`'s starting file is built in but not a document template.
        if entry.file_name() == "init.sales" {
            assert!(!target.join("init.sales").exists());
            continue;
        }
        let copied = std::fs::read(target.join(entry.file_name())).unwrap();
        assert_eq!(
            copied,
            std::fs::read(entry.path()).unwrap(),
            "{:?}",
            entry.file_name()
        );
    }
    // The copies render exactly what the built-in templates do.
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let file = Path::new("examples/agency.sales");
    assert_eq!(docs(file, &a, &["--format", "md"]).status.code(), Some(0));
    let with = docs(
        file,
        &b,
        &["--format", "md", "--templates", target.to_str().unwrap()],
    );
    assert_eq!(with.status.code(), Some(0), "{}", text(&with).1);
    for name in ["regulation.md", "forms.md", "job-Менеджер.md", "memo-Менеджер.md"] {
        assert_eq!(
            std::fs::read_to_string(a.join(name)).unwrap(),
            std::fs::read_to_string(b.join(name)).unwrap(),
            "{name}"
        );
    }
    // An edited file is kept: nothing is written without --force.
    std::fs::write(target.join("memo.md"), "своя памятка\n").unwrap();
    let again = voronka(&["init-templates", target.to_str().unwrap()]);
    let (_, stderr) = text(&again);
    assert_eq!(again.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("memo.md") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(target.join("memo.md")).unwrap(),
        "своя памятка\n"
    );
    let forced = voronka(&["init-templates", target.to_str().unwrap(), "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced).1);
    assert_eq!(
        std::fs::read(target.join("memo.md")).unwrap(),
        std::fs::read("templates/ru/memo.md").unwrap()
    );
    // English templates with --lang en.
    let en = dir.path().join("en");
    let out = voronka(&["--lang", "en", "init-templates", en.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    assert_eq!(
        std::fs::read(en.join("job.md")).unwrap(),
        std::fs::read("templates/en/job.md").unwrap()
    );
}

/// One `page.html` (templates/common) serves both languages: the page says which it is in.
#[test]
fn the_shared_html_page_carries_the_documents_language() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, file) in [("ru", "examples/agency.sales"), ("en", "examples/saas_en.sales")] {
        let out = dir.path().join(lang);
        let run = voronka(&[
            "--lang",
            lang,
            "docs",
            file,
            "--out",
            out.to_str().unwrap(),
            "--format",
            "html",
            "--only",
            "regulation",
        ]);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run).1);
        let html = std::fs::read_to_string(out.join("regulation.html")).unwrap();
        assert!(
            html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")),
            "{lang}: {}",
            &html[..80.min(html.len())]
        );
    }
}

#[test]
fn an_overridden_forms_template_fills_the_forms_and_the_regulation_appendix() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("t");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("forms.md"),
        "{% if appendix %}Формы — в приложении{% else %}# Наши формы{% endif %}: {{ forms.funnels | length }} воронки\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = docs(
        Path::new("examples/agency.sales"),
        &out,
        &["--format", "md", "--templates", templates.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    assert_eq!(
        std::fs::read_to_string(out.join("forms.md")).unwrap(),
        "# Наши формы: 2 воронки\n"
    );
    let reg = std::fs::read_to_string(out.join("regulation.md")).unwrap();
    assert!(
        reg.contains("Формы — в приложении: 2 воронки"),
        "the appendix ignored the override"
    );
    // A job description still comes from the built-in template.
    let job = std::fs::read_to_string(out.join("job-Менеджер.md")).unwrap();
    assert!(job.contains("## 3. Должностные обязанности"));
}

// ─── Content ──────────────────────────────────────────────────────────────────

/// The manager of the agency: 45 000 ₽ with a 30 % soft part and 5 % of revenue; the plan is
/// 47 000 000 ₽ a year, so 3 916 667 ₽ a month, all of it from deals that pass the managers'
/// stages, and 1 305 556 ₽ per manager (3 people).
/// At 70 %: 31 500 + 9450 + 5 % × 913 889 = 86 644 ₽; at 100 %: 31 500 + 13 500 + 65 278 =
/// 110 278 ₽; at 120 %: 31 500 + 13 500 + 78 333 = 123 333 ₽.
#[test]
fn the_pay_example_of_the_agency_manager_is_computed_right() {
    let dir = tempfile::tempdir().unwrap();
    let result = docs(
        Path::new("examples/agency.sales"),
        dir.path(),
        &["--format", "md"],
    );
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    // Numbers are written with no-break spaces: `1 305 556 ₽`, `70 %`.
    let nb = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        (0..chars.len())
            .map(|i| {
                let joins = chars[i] == ' '
                    && i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars
                        .get(i + 1)
                        .is_some_and(|c| c.is_ascii_digit() || *c == '₽' || *c == '%');
                if joins { '\u{a0}' } else { chars[i] }
            })
            .collect::<String>()
    };
    for name in ["memo-Менеджер.md", "regulation.md"] {
        let md = std::fs::read_to_string(dir.path().join(name)).unwrap();
        for row in [
            "| 70 % | 913 889 ₽ | 31 500 ₽ | 9450 ₽ | 45 694 ₽ | **86 644 ₽** |",
            "| 100 % | 1 305 556 ₽ | 31 500 ₽ | 13 500 ₽ | 65 278 ₽ | **110 278 ₽** |",
            "| 120 % | 1 566 667 ₽ | 31 500 ₽ | 13 500 ₽ | 78 333 ₽ | **123 333 ₽** |",
        ] {
            assert!(md.contains(&nb(row)), "{name}: no row «{row}»");
        }
        assert!(
            md.contains(&nb(
                "при 100 % плана — 1 305 556 ₽ (выручка выигранных сделок, прошедших этапы роли, в воронках «Новые проекты», «Прогрев отложенного спроса»: 3 916 667 ₽ ÷ 3 сотрудника)"
            )),
            "{name}"
        );
    }
    // The presale engineer's plan bonus is paid from 100 % only.
    let memo = std::fs::read_to_string(dir.path().join("memo-Пресейл.md")).unwrap();
    for row in [
        "| 70 % | 80 000 ₽ | 0 ₽ | 0 ₽ | **80 000 ₽** |",
        "| 100 % | 80 000 ₽ | 0 ₽ | 20 000 ₽ | **100 000 ₽** |",
    ] {
        assert!(memo.contains(&nb(row)), "no row «{row}» in {memo}");
    }
}

#[test]
fn the_job_description_and_forms_come_from_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let result = docs(
        Path::new("examples/agency.sales"),
        dir.path(),
        &["--format", "md"],
    );
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    let job = std::fs::read_to_string(dir.path().join("job-Менеджер.md")).unwrap();
    for fragment in [
        "УТВЕРЖДАЮ",
        "## 1. Общие положения",
        "## 2. Требования к квалификации",
        "Работник должен знать:",
        "## 3. Должностные обязанности",
        "## 4. Права",
        "## 5. Ответственность",
        "## 6. Взаимоотношения",
        "непосредственно подчиняется Руководителю отдела продаж",
        "«Бриф заполнен»",
        "Первичный звонок",
        "звонки — не менее 20 в день",
        "Ежедневный отчёт менеджера",
        "Лист ознакомления",
    ] {
        assert!(job.contains(fragment), "no «{fragment}» in the job description");
    }
    // Clause numbers in each section follow each other.
    for section in 1..=6 {
        let numbers: Vec<u32> = job
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{section}.")))
            .filter_map(|l| l.split_once(". ").and_then(|(n, _)| n.parse().ok()))
            .collect();
        assert!(!numbers.is_empty(), "section {section} has no clauses");
        assert_eq!(
            numbers,
            (1..=numbers.len() as u32).collect::<Vec<_>>(),
            "section {section}"
        );
    }
    // The head of sales manages the managers and receives their daily report.
    let head = std::fs::read_to_string(dir.path().join("job-РОП.md")).unwrap();
    assert!(head.contains("Руководит: Менеджер по продажам"), "{head}");
    assert!(head.contains("категории «руководители»"));

    let forms = std::fs::read_to_string(dir.path().join("forms.md")).unwrap();
    for fragment in [
        "Ежедневный отчёт сотрудника",
        "Отчёт по воронке",
        "План-факт",
        "темп в день = факт на дату ÷ прошедшие рабочие дни месяца",
        "прогноз на месяц = темп в день × рабочие дни месяца",
        "Пайплайн и прогноз продаж",
        "Дисциплина работы в CRM",
        "Контроль качества: Оценка встречи с клиентом",
        "Выявлены задача, бюджет, сроки и ЛПР",
        "Причины отказов",
        "Бюджет клиента ниже нашего минимального чека",
        "Расчётная ведомость премии",
    ] {
        assert!(forms.contains(fragment), "no «{fragment}» in the forms");
    }
    // Prefilled from the model: the stage conversion norm and the January plan.
    assert!(forms.contains("| 1 | Бриф заполнен |"), "no stage row");
    assert!(
        forms.contains("| январь 2026 | 2\u{a0}800\u{a0}000\u{a0}₽ |"),
        "no plan row"
    );
    // The regulation carries the forms as an appendix.
    let reg = std::fs::read_to_string(dir.path().join("regulation.md")).unwrap();
    assert!(reg.contains("## Приложение Е. Формы отчётов"));
    assert!(reg.contains("### Форма 3. План-факт"));
}

/// An error in a template another one includes (the forms appendix of the regulation) names
/// the included file and its place, not the including one.
#[test]
fn an_error_in_an_included_user_template_names_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("t");
    std::fs::create_dir(&templates).unwrap();
    let path = templates.join("forms.md");
    std::fs::write(&path, "Формы\n{{ forms.no_such_form }}\n").unwrap();
    let result = docs(
        Path::new("examples/agency.sales"),
        &dir.path().join("out"),
        &["--only", "regulation", "--templates", templates.to_str().unwrap()],
    );
    let (_, stderr) = text(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("{}:2:4", path.display())), "{stderr}");
}

/// The stage table and the stage cards show the conversion the transitions and the plan use
/// (the written one less the unreached share of `дозвон`), and say so where the written one
/// differs: «50 % дозвонившихся; с учётом недозвона 47 %».
#[test]
fn the_stage_tables_show_the_conversion_the_transitions_use() {
    use voronka::diag::Lang;
    use voronka::render::format::percent;
    let file = Path::new("examples/agency.sales");
    let model = voronka::compile(file).model.expect("model");
    let dir = tempfile::tempdir().unwrap();
    let result = docs(file, dir.path(), &["--format", "md"]);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result).1);
    let md = std::fs::read_to_string(dir.path().join("regulation.md")).unwrap();
    let mut differ = 0;
    for p in &model.pipelines {
        for (i, s) in p.stages.iter().enumerate() {
            let Some(written) = s.conversion else { continue };
            let title = s.title.as_deref().unwrap_or(&s.name);
            let used = s
                .transitions
                .iter()
                .filter(|t| t.kind == voronka::model::TransitionKind::Success)
                .map(|t| t.probability)
                .sum::<f64>();
            let row = format!("| {} | {title} | ", i + 1);
            let line = md
                .lines()
                .find(|l| l.starts_with(&row))
                .unwrap_or_else(|| panic!("no row «{row}»"));
            let cell = line.split(" | ").nth(3).unwrap();
            assert!(cell.starts_with(&percent(used, Lang::Ru)), "{title}: «{cell}»");
            // `конверсия_по_каналам`: the channels' own rates follow the norm.
            let by_channel: Vec<String> = s
                .channel_conversions
                .iter()
                .map(|c| {
                    let ch = model.channels.iter().find(|ch| ch.name == c.channel).unwrap();
                    let title = ch.title.as_deref().unwrap_or(&ch.name);
                    format!("{title} {}", percent(c.conversion, Lang::Ru))
                })
                .collect();
            let by_channel = if by_channel.is_empty() {
                String::new()
            } else {
                format!("; по каналам: {}", by_channel.join(", "))
            };
            let card = if (written - used).abs() > 1e-9 {
                differ += 1;
                assert!(cell.contains(&format!("{} дозвонившихся", percent(written, Lang::Ru))));
                format!(
                    "| Норматив конверсии | {} дозвонившихся; с учётом недозвона {}{by_channel} |",
                    percent(written, Lang::Ru),
                    percent(used, Lang::Ru)
                )
            } else {
                format!("| Норматив конверсии | {}{by_channel} |", percent(used, Lang::Ru))
            };
            assert!(md.contains(&card), "{title}: no «{card}»");
        }
    }
    assert!(differ > 0, "the agency has stages with `дозвон`");
}
