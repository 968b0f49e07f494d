//! `voronka fmt`: every shipped example is formatted; `--check` exit codes and diff; files are
//! rewritten in place, never when they have syntax errors; and property tests that formatting is
//! idempotent and keeps the model for perturbed examples, the rule test files and generated
//! models.

use crate::common;

use common::voronka;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use voronka::fmt::{Options, format_text, format_text_with};

fn sales_files(dir: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "sales") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Inputs for the property tests: every example and every rule test file (they all parse).
fn corpus() -> Vec<(PathBuf, String)> {
    let mut files = sales_files("examples");
    files.extend(sales_files("tests/diagnostics/rules"));
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            (p, text)
        })
        .collect()
}

/// The model as `check --emit model --format json` prints it, or `None` when the text does
/// not parse.
fn model(path: &Path, text: &str) -> Option<String> {
    let compiled = voronka::compile_str(path, text);
    let parse_errors = compiled.diagnostics.iter().any(|d| d.code() == "E0001");
    if parse_errors {
        return None;
    }
    compiled
        .model
        .map(|m| serde_json::to_string_pretty(&m).expect("serialisable"))
}

fn temp_copy(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    (dir, path)
}

#[test]
fn every_example_is_formatted() {
    let files = sales_files("examples");
    assert!(files.len() >= 6, "{files:?}");
    let args: Vec<&str> = std::iter::once("fmt")
        .chain(std::iter::once("--check"))
        .chain(files.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let out = voronka(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
}

const UNFORMATTED: &str =
    "# Отдел\nроль   РОП \"Руководитель\"{штат 1;функция руководитель\n\n\n\n  оклад 90 000 ₽   # оклад\n}\n";
const FORMATTED: &str =
    "# Отдел\nроль РОП \"Руководитель\" {\n  штат 1; функция руководитель\n\n  оклад 90 000 ₽  # оклад\n}\n";

#[test]
fn check_prints_a_unified_diff_and_exits_1() {
    let (_dir, path) = temp_copy("a.sales", UNFORMATTED);
    let out = voronka(&["fmt", "--check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    // An absolute path is shown as it is; a relative one with git's `a/` and `b/`.
    let shown = path.display().to_string();
    assert!(
        diff.starts_with(&format!("--- {shown}\n+++ {shown}\n@@ ")),
        "{diff}"
    );
    let relative = Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args(["fmt", "--check", "a.sales"])
        .current_dir(path.parent().unwrap())
        .output()
        .expect("binary runs");
    assert!(
        String::from_utf8(relative.stdout)
            .unwrap()
            .starts_with("--- a/a.sales\n+++ b/a.sales\n@@ ")
    );
    assert!(
        diff.contains("\n-роль   РОП \"Руководитель\"{штат 1;функция руководитель\n"),
        "{diff}"
    );
    assert!(diff.contains("\n+роль РОП \"Руководитель\" {\n"), "{diff}");
    assert!(diff.contains("\n+  штат 1; функция руководитель\n"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        UNFORMATTED,
        "--check never writes"
    );

    let (_dir2, clean) = temp_copy("b.sales", FORMATTED);
    let out = voronka(&["fmt", "--check", clean.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn fmt_rewrites_the_file_and_keeps_the_model() {
    let source = std::fs::read_to_string("examples/agency.sales").unwrap();
    // Indentation dropped and blank lines tripled outside raw strings.
    let mut raw = false;
    let mut messy = String::new();
    for line in source.lines() {
        if raw {
            messy.push_str(line);
        } else {
            messy.push_str(line.trim_start());
        }
        messy.push_str(if raw || !line.is_empty() { "\n" } else { "\n\n\n" });
        raw ^= line.matches("\"\"\"").count() % 2 == 1;
    }
    assert_ne!(messy, source);
    let (dir, path) = temp_copy("agency.sales", &messy);
    let p = path.to_str().unwrap();
    let before = voronka(&["check", p, "--emit", "model"]);
    assert_eq!(before.status.code(), Some(0));
    let out = voronka(&["fmt", p]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), source);
    let after = voronka(&["check", p, "--emit", "model"]);
    assert_eq!(before.stdout, after.stdout);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_not_written() {
    let broken = "роль А {\n   штат\n}\n";
    let (_dir, path) = temp_copy("broken.sales", broken);
    let out = voronka(&["fmt", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("E0001"), "{stderr}");
    assert!(stderr.contains("broken.sales:3:1"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

#[test]
fn check_reports_every_file_and_the_worst_exit_code() {
    let (_d1, ok) = temp_copy("ok.sales", FORMATTED);
    let (_d2, bad) = temp_copy("bad.sales", UNFORMATTED);
    let out = voronka(&["fmt", "--check", ok.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("bad.sales") && !diff.contains("ok.sales"), "{diff}");
    let out = voronka(&["fmt", "--check", "no/such/file.sales"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0004"));
}

#[test]
fn includes_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let part = "роль   А { штат 1 }\n";
    std::fs::write(dir.path().join("part.sales"), part).unwrap();
    let main = dir.path().join("main.sales");
    std::fs::write(&main, "подключить   \"part.sales\"\n").unwrap();
    let out = voronka(&["fmt", main.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&main).unwrap(),
        "подключить \"part.sales\"\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("part.sales")).unwrap(),
        part
    );
}

#[test]
fn normalize_units_keeps_the_model() {
    let text = "роль А { штат 2; оклад 90000 руб; выход_на_план 3 месяца; текучесть 20 % в года }\n\
                канал К { лиды 1500 в месяц; стоимость_лида 2 тыс. рублей; воронка В; команда А }\n\
                воронка В { этап Э { ответственный А; длительность 1..3 дней; лимит 2 недели } }\n";
    let path = Path::new("units.sales");
    let options = Options {
        normalize_units: true,
    };
    let out = format_text_with(path, text, &options).expect("formats");
    assert!(out.contains("оклад 90 000 ₽"), "{out}");
    assert!(out.contains("лиды 1 500 в мес"), "{out}");
    assert!(out.contains("стоимость_лида 2 тыс ₽"), "{out}");
    assert!(out.contains("длительность 1..3 дн"), "{out}");
    assert_eq!(model(path, text), model(path, &out));
    assert_eq!(format_text_with(path, &out, &options).unwrap(), out);
}

/// Where a perturbation may go: a space between tokens, or a line break outside strings.
#[derive(Debug, Default)]
struct Spots {
    spaces: Vec<usize>,
    newlines: Vec<usize>,
    /// Line breaks ending a line without a comment.
    bare_newlines: Vec<usize>,
}

fn spots(text: &str) -> Spots {
    let mut s = Spots::default();
    let bytes = text.as_bytes();
    let (mut i, mut line_has_comment) = (0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'"' if text[i..].starts_with("\"\"\"") => {
                i = text[i + 3..].find("\"\"\"").map_or(bytes.len(), |n| i + 6 + n);
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' => line_has_comment = true,
            b'\n' => {
                s.newlines.push(i);
                if !line_has_comment {
                    s.bare_newlines.push(i);
                }
                line_has_comment = false;
            }
            b' ' if !line_has_comment => {
                let digit = |j: Option<&u8>| j.is_some_and(u8::is_ascii_digit);
                if !(i > 0 && digit(bytes.get(i - 1)) && digit(bytes.get(i + 1))) {
                    s.spaces.push(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    s
}

/// Applies perturbations `(kind, pick)` at distinct places, from the end of the text back.
/// Kinds 0–1 change spaces only; the others add blank lines, comments, indentation noise or
/// join lines.
fn perturb(text: &str, ops: &[(u8, usize)], spaces_only: bool) -> String {
    let s = spots(text);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for &(kind, pick) in ops {
        let kind = if spaces_only { kind % 3 } else { kind };
        let (at, len, with) = match kind {
            0 | 1 if !s.spaces.is_empty() => {
                let at = s.spaces[pick % s.spaces.len()];
                (
                    at,
                    1,
                    if kind == 0 {
                        "   ".to_string()
                    } else {
                        "\t".to_string()
                    },
                )
            }
            2 if !s.newlines.is_empty() => (s.newlines[pick % s.newlines.len()] + 1, 0, "    ".into()),
            3 if !s.newlines.is_empty() => (s.newlines[pick % s.newlines.len()], 1, "\n\n\n".into()),
            4 if !s.newlines.is_empty() => (s.newlines[pick % s.newlines.len()] + 1, 0, "  # шум\n".into()),
            5 if !s.bare_newlines.is_empty() => (
                s.bare_newlines[pick % s.bare_newlines.len()],
                0,
                "   # хвост".into(),
            ),
            6 if !s.bare_newlines.is_empty() => {
                (s.bare_newlines[pick % s.bare_newlines.len()], 1, " ".into())
            }
            _ => continue,
        };
        if edits.iter().all(|e| e.0 != at) {
            edits.push((at, len, with));
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (at, len, with) in edits {
        out.replace_range(at..at + len, &with);
    }
    out
}

fn assert_formats_well(path: &Path, text: &str) -> Result<String, TestCaseError> {
    let once = format_text(path, text).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
    let twice = format_text(path, &once).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    prop_assert_eq!(&twice, &once, "not idempotent");
    prop_assert_eq!(model(path, text), model(path, &once), "the model changed");
    Ok(once)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn perturbed_files_format_idempotently_and_keep_the_model(
        file in 0usize..1000,
        ops in prop::collection::vec((0u8..7, any::<usize>()), 1..40),
    ) {
        let corpus = corpus();
        let (path, text) = &corpus[file % corpus.len()];
        let perturbed = perturb(text, &ops, false);
        prop_assume!(model(path, &perturbed).is_some());
        prop_assert_eq!(model(path, text), model(path, &perturbed), "perturbation changed the model");
        assert_formats_well(path, &perturbed)?;
        let options = Options { normalize_units: true };
        let normal = format_text_with(path, &perturbed, &options)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(model(path, text), model(path, &normal), "--normalize-units changed the model");
        prop_assert_eq!(format_text_with(path, &normal, &options).ok(), Some(normal));
    }

    #[test]
    fn spaces_and_indentation_do_not_change_the_result(
        file in 0usize..1000,
        ops in prop::collection::vec((0u8..3, any::<usize>()), 1..60),
    ) {
        let corpus = corpus();
        let (path, text) = &corpus[file % corpus.len()];
        let perturbed = perturb(text, &ops, true);
        prop_assert_eq!(format_text(path, &perturbed).ok(), format_text(path, text).ok());
    }

    #[test]
    fn generated_models_format_idempotently_and_keep_the_model(text in small_model()) {
        let path = Path::new("generated.sales");
        prop_assume!(model(path, &text).is_some());
        assert_formats_well(path, &text)?;
    }
}

/// Statements of a role, a channel and a stage, written in one of several ways each.
fn small_model() -> impl Strategy<Value = String> {
    let role_stmts = prop::sample::subsequence(
        vec![
            "штат 3",
            "подчиняется РОП",
            "функция хантер",
            "рабочий_день 8 ч",
            "доля_продаж 70 %",
            "выход_на_план 2мес",
            "текучесть 20% в год",
            "найм 1 с 2026-03-01",
            "оклад 45 тыс ₽",
            "бонус 5% выручки",
            "описание \"Звонит; пишет # не комментарий\"",
        ],
        0..=11,
    );
    let stage_stmts = prop::sample::subsequence(
        vec![
            "ответственный Хантер",
            "конверсия 40%",
            "длительность треуг( 1,2 , 5 ) дн",
            "цепочка {\nзвонок \"Звонок\" 10 мин попыток 3;дозвон 50 %\nиначе -> проиграно\nписьмо \"Письмо\" 5 мин\n}",
            "лимит 5 дн",
            "отказ 30 % -> проиграно",
            "цвет \"#FF0000\"",
        ],
        0..=7,
    );
    let separators = prop::collection::vec(
        prop::sample::select(vec![
            "; ",
            ";",
            "\n",
            ";\n",
            " ",
            "\n\n\n",
            " # примечание\n",
            "\n# строка\n",
        ]),
        40,
    );
    (role_stmts, stage_stmts, separators, any::<bool>()).prop_map(|(role, stage, seps, one_line)| {
        let mut sep = seps.into_iter().cycle();
        let mut join = |stmts: &[&str]| {
            let mut out = String::new();
            for s in stmts {
                out.push_str(s);
                out.push_str(sep.next().unwrap_or("\n"));
            }
            out
        };
        let open = if one_line { "{ " } else { "{\n" };
        format!(
            "# Сгенерировано\nроль РОП \"Руководитель\" {open}штат 1 }}\nроль Хантер {open}{}\n}}\n\n\
             канал Сайт {{ лиды 100 в мес; воронка Продажа; команда Хантер }}\n\
             воронка Продажа \"Продажа\" {open}вход \"Заявка\"\n  этап Звонок {open}{}\n}}\n  этап Оплата {{ ответственный Хантер }}\n}}\n",
            join(&role),
            join(&stage)
        )
    })
}

#[cfg(unix)]
#[test]
fn a_rewritten_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = temp_copy("perm.sales", UNFORMATTED);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = voronka(&["fmt", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FORMATTED);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn truncated_files_are_refused_or_formatted_never_a_panic() {
    let text = std::fs::read_to_string("examples/agency.sales").unwrap();
    let path = Path::new("agency.sales");
    let cuts: Vec<usize> = (0..text.len())
        .step_by(397)
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    assert!(cuts.len() > 30);
    for cut in cuts {
        if let Ok(once) = format_text(path, &text[..cut]) {
            assert_eq!(
                format_text(path, &once).ok().as_ref(),
                Some(&once),
                "cut at {cut}"
            );
        }
    }
}
