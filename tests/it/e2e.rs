//! End-to-end tests through the real binary and the library: examples check clean, exit
//! codes, output formats, the model round trip, and robustness against truncated input.

use crate::common;

use common::voronka;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn examples() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from("examples")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("examples folder") {
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

/// Root files: examples that are not only included by another example.
fn root_examples() -> Vec<PathBuf> {
    examples()
        .into_iter()
        .filter(|p| !p.parent().is_some_and(|d| d.ends_with("split")) || p.ends_with("main.sales"))
        .collect()
}

#[test]
fn every_example_checks_without_errors() {
    let roots = root_examples();
    assert!(
        roots.len() >= 4,
        "expected at least four examples, found {roots:?}"
    );
    for path in roots {
        let out = voronka(&["check", path.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}:\n{}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn readme_first_command_works() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run --release -- "))
        .expect("README gives the main command");
    let words: Vec<&str> = line.split('#').next().unwrap_or("").split_whitespace().collect();
    assert_eq!(
        words[4..],
        ["build", "examples/agency.sales", "--out", "out"],
        "{line}"
    );
    let file = words[5];
    assert!(Path::new(file).exists(), "README names a missing file {file}");
    // The same command, into a temporary folder and with fewer runs to stay quick.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = voronka(&[
        "build",
        file,
        "--out",
        out.to_str().unwrap(),
        "--runs",
        "20",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("index.md").is_file());
    let next = readme.lines().skip_while(|l| *l != line).nth(1).unwrap_or("");
    assert!(
        next.starts_with("cargo test"),
        "README gives the test command second: {next}"
    );
}

#[test]
fn model_round_trips_through_yaml_and_json() {
    for path in root_examples() {
        let compiled = voronka::compile(&path);
        let model = compiled.model.expect("model");
        let yaml = serde_saphyr::to_string(&model).unwrap();
        let back: voronka::model::Model = serde_saphyr::from_str(&yaml)
            .unwrap_or_else(|e| panic!("{}: YAML does not read back: {e}", path.display()));
        // Spans are not part of the interchange format, so compare what is.
        assert_eq!(
            serde_saphyr::to_string(&back).unwrap(),
            yaml,
            "{}: YAML round trip",
            path.display()
        );
        let json = serde_json::to_string(&model).unwrap();
        let back: voronka::model::Model = serde_json::from_str(&json).unwrap();
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            json,
            "{}: JSON round trip",
            path.display()
        );
    }
}

#[test]
fn emit_model_prints_yaml_and_json() {
    let file = root_examples()[0].clone();
    let out = voronka(&["check", file.to_str().unwrap(), "--emit", "model"]);
    assert_eq!(out.status.code(), Some(0));
    let yaml = String::from_utf8(out.stdout).unwrap();
    let _: voronka::model::Model = serde_saphyr::from_str(&yaml).expect("valid YAML model");
    let out = voronka(&[
        "check",
        file.to_str().unwrap(),
        "--emit",
        "model",
        "--format",
        "json",
    ]);
    let _: voronka::model::Model = serde_json::from_slice(&out.stdout).expect("valid JSON model");
}

fn temp_file(name: &str, text: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voronka-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn exit_codes_follow_the_contract() {
    let bad = temp_file("bad.sales", "роль Х { штат два }\n".as_bytes());
    assert_eq!(voronka(&["check", bad.to_str().unwrap()]).status.code(), Some(1));
    assert_eq!(voronka(&["check", "no/such/file.sales"]).status.code(), Some(3));
    assert_eq!(voronka(&["check", "examples"]).status.code(), Some(3));
    assert_eq!(voronka(&["check"]).status.code(), Some(2));
    assert_eq!(voronka(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(voronka(&["--help"]).status.code(), Some(0));
}

#[test]
fn help_is_in_russian() {
    let out = voronka(&["--help"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Проверить"), "{text}");
    assert!(text.contains("Использование"), "{text}");
}

#[test]
fn json_diagnostics_have_the_documented_fields() {
    let bad = temp_file(
        "json.sales",
        "роль Х { штат 1 }\nворонка В { этап А { ответственный Y } }\n".as_bytes(),
    );
    let out = voronka(&["check", bad.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let diags: Vec<voronka::diag::render::JsonDiagnostic> =
        serde_json::from_slice(&out.stdout).expect("JSON array with exactly the documented fields");
    let d = diags.iter().find(|d| d.code == "E0015").expect("undefined role");
    assert_eq!((d.line, d.column, d.end_line, d.end_column), (2, 36, 2, 37));
    assert_eq!(d.severity, "error");
    assert!(d.message.contains("`Y`"));
}

#[test]
fn human_diagnostics_show_the_line_and_a_caret() {
    let bad = temp_file(
        "human.sales",
        "роль Хантер { штат 1 }\nканал С { команда Хантр }\n".as_bytes(),
    );
    let out = voronka(&["check", bad.to_str().unwrap()]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("ошибка[E0015]"), "{err}");
    assert!(err.contains("human.sales:2:19"), "{err}");
    assert!(err.contains("^^^^^"), "{err}");
    assert!(err.contains("возможно, имелось в виду `Хантер`"), "{err}");
    let out = voronka(&["check", bad.to_str().unwrap(), "--lang", "en"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean `Хантер`?"), "{err}");
    assert!(err.contains("error[E0015]"), "{err}");
    // The short form says the severity in the user's language too; JSON keeps English.
    let out = voronka(&["check", bad.to_str().unwrap(), "--format", "short"]);
    let err = String::from_utf8(out.stderr).unwrap() + &String::from_utf8(out.stdout).unwrap();
    assert!(err.contains(": ошибка[E0015]: "), "{err}");
    let out = voronka(&["check", bad.to_str().unwrap(), "--format", "json"]);
    let json = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    assert!(json.contains("\"severity\": \"error\""), "{json}");
}

#[test]
fn crlf_gives_the_same_positions_as_lf() {
    let lf = "роль А { штат 1 }\nворонка В {\n  этап Э { ответственный Б }\n}\n";
    let crlf = lf.replace('\n', "\r\n");
    let a = voronka::compile_str(Path::new("a.sales"), lf);
    let b = voronka::compile_str(Path::new("a.sales"), &crlf);
    let pos = |c: &voronka::Compiled| -> Vec<(String, usize, usize)> {
        voronka::diag::render::json_values(&c.sources, &c.diagnostics, voronka::diag::Lang::Ru)
            .into_iter()
            .map(|d| (d.code, d.line, d.column))
            .collect()
    };
    assert_eq!(pos(&a), vec![("E0015".to_string(), 3, 26)]);
    assert_eq!(pos(&a), pos(&b));
}

#[test]
fn all_errors_of_a_file_are_reported_in_one_run() {
    let text = "роль А { штат -1 }\nроль Б { штат }\nканал В { лиды 10 в мес; воронка Нет }\nроль Г { доля_продаж 150% }\n";
    let c = voronka::compile_str(Path::new("m.sales"), text);
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code()).collect();
    assert!(codes.contains(&"E0013"), "{codes:?}");
    assert!(codes.contains(&"E0001"), "{codes:?}");
    assert!(codes.contains(&"E0015"), "{codes:?}");
    assert!(codes.contains(&"E0011"), "{codes:?}");
}

/// Cuts every example at many points: check must never panic, and a cut that leaves a
/// brace open must be reported.
#[test]
fn truncated_examples_never_panic() {
    let (mut cuts, mut checked) = (0, 0);
    for path in examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let step = (boundaries.len() / 150).max(1);
        for &cut in boundaries.iter().step_by(step) {
            let prefix = &text[..cut];
            cuts += 1;
            let result = std::panic::catch_unwind(|| voronka::compile_str(&path, prefix));
            let compiled = result.unwrap_or_else(|_| panic!("{} cut at {cut} panicked", path.display()));
            // A block left open outside a string and a comment must be reported.
            let (depth, in_string) = open_blocks(prefix);
            if depth > 0 && !in_string {
                assert!(
                    compiled.has_errors(),
                    "{} cut at {cut}: a block left open, no diagnostic",
                    path.display()
                );
                checked += 1;
            }
        }
    }
    // Most cuts of a regulation fall inside a block: the assertion above must have run.
    assert!(
        checked * 2 > cuts,
        "only {checked} of {cuts} cuts were inside a block"
    );
}

/// How many `{` are still open at the end of `text`, and whether it ends inside a string: the
/// lexical rules of `grammar/lexical.pest` (a `#` comment to the end of the line, `"…"` with
/// `\` escapes, `"""…"""` raw strings).
fn open_blocks(text: &str) -> (usize, bool) {
    let mut depth = 0usize;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(raw) = rest.strip_prefix("\"\"\"") {
            match raw.find("\"\"\"") {
                Some(end) => rest = &raw[end + 3..],
                None => return (depth, true),
            }
            continue;
        }
        rest = &rest[c.len_utf8()..];
        match c {
            '#' => rest = rest.find('\n').map_or("", |i| &rest[i..]),
            '"' => {
                let mut chars = rest.char_indices();
                let mut end = None;
                while let Some((i, ch)) = chars.next() {
                    match ch {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            end = Some(i + 1);
                            break;
                        }
                        _ => {}
                    }
                }
                match end {
                    Some(e) => rest = &rest[e..],
                    None => return (depth, true),
                }
            }
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (depth, false)
}

#[test]
fn open_blocks_reads_comments_and_strings() {
    assert_eq!(open_blocks("роль А {"), (1, false));
    assert_eq!(open_blocks("# {\nроль А { штат 1 }"), (0, false));
    assert_eq!(open_blocks("роль А { описание \"{ \\\" {\" # {\n"), (1, false));
    assert_eq!(open_blocks("роль А { описание \"\"\"{\n{"), (1, true));
    assert_eq!(open_blocks("роль А { описание \"{"), (1, true));
}

#[test]
fn hostile_inputs_get_diagnostics_not_panics() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", String::new(), "E0003"),
        ("only comments", "# пусто\n# совсем\n".into(), "E0003"),
        ("huge number", "роль А { оклад 1e309 ₽ }".into(), "E0010"),
        ("NaN", "роль А { штат NaN }".into(), "E0001"),
        (
            "probability",
            "воронка В { этап А { конверсия 150% } }".into(),
            "E0011",
        ),
        (
            "deep parens",
            format!(
                "показатель К {{ формула {}1{} }}",
                "(".repeat(5000),
                ")".repeat(5000)
            ),
            "E0006",
        ),
        (
            "deep braces",
            format!("роль А {}{}", "{".repeat(5000), "}".repeat(5000)),
            "E0006",
        ),
        ("unterminated string", "роль А \"без конца {".into(), "E0001"),
        ("binary junk", "\u{0}\u{1}\u{2}роль".into(), "E0001"),
    ];
    for (name, text, code) in cases {
        let c = voronka::compile_str(Path::new("h.sales"), &text);
        assert!(
            c.diagnostics.iter().any(|d| d.code() == code),
            "{name}: expected {code}, got {:?}",
            c.diagnostics.iter().map(|d| d.code()).collect::<Vec<_>>()
        );
    }
    let bad_utf8 = temp_file("cp1251.sales", b"\xd0\xee\xeb\xfc");
    let c = voronka::compile(&bad_utf8);
    assert_eq!(c.diagnostics[0].code(), "E0002");
    assert!(c.diagnostics[0].kind.message().ru.contains("смещении 0"));
}

#[test]
fn graph_exports_dot_and_mermaid() {
    let file = root_examples()[0].clone();
    let out = voronka(&["graph", file.to_str().unwrap(), "--format", "dot"]);
    assert_eq!(out.status.code(), Some(0));
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.starts_with("digraph"));
    assert!(dot.contains("->") && dot.contains('%'));
    let out = voronka(&["graph", file.to_str().unwrap(), "--format", "mermaid"]);
    let mermaid = String::from_utf8(out.stdout).unwrap();
    assert!(mermaid.starts_with("flowchart LR"));
    assert!(mermaid.contains("-->"));
}

/// Random edits of every example (deleted, duplicated and swapped characters, inserted
/// punctuation): whatever the text, check answers with diagnostics and never panics.
#[test]
fn mutated_examples_never_panic() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let inserts = [
        "{", "}", "(", ")", "\"", "\"\"\"", "->", "..", "%", ",", ";", "#", "1e309", "этап", "-", "\r",
    ];
    for path in examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let chars: Vec<char> = text.chars().collect();
        for _ in 0..60 {
            let mut c = chars.clone();
            for _ in 0..1 + next(4) {
                if c.is_empty() {
                    break;
                }
                let at = next(c.len());
                match next(4) {
                    0 => {
                        c.remove(at);
                    }
                    1 => c.insert(at, c[at]),
                    2 => {
                        let other = next(c.len());
                        c.swap(at, other)
                    }
                    _ => c
                        .splice(at..at, inserts[next(inserts.len())].chars())
                        .for_each(drop),
                }
            }
            let mutated: String = c.into_iter().collect();
            let result = std::panic::catch_unwind(|| voronka::compile_str(&path, &mutated));
            assert!(result.is_ok(), "{} panicked on:\n{mutated}", path.display());
        }
    }
}

/// `-A`, `-W`, `-D` set warning levels in the order given; errors cannot be switched off;
/// unknown codes are usage errors.
#[test]
fn lint_levels_from_the_command_line() {
    let file = "examples/manufacturer.sales";
    let base = voronka(&["check", file, "--format", "json"]);
    assert_eq!(base.status.code(), Some(0));
    let codes = |o: &Output| -> Vec<(String, String)> {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v.as_array()
            .expect("array")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["severity"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let warnings = codes(&base);
    assert!(warnings.iter().any(|(c, _)| c == "W0006"), "{warnings:?}");
    let denied = voronka(&["check", file, "--format", "json", "-D", "W0006"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(codes(&denied).contains(&("W0006".into(), "error".into())));
    let allowed = voronka(&["check", file, "--format", "json", "-A", "W0006"]);
    assert_eq!(allowed.status.code(), Some(0));
    assert!(!codes(&allowed).iter().any(|(c, _)| c == "W0006"));
    // The later flag wins.
    let later = voronka(&["check", file, "--format", "json", "-D", "warnings", "-A", "W0006"]);
    assert_eq!(later.status.code(), Some(1));
    assert!(!codes(&later).iter().any(|(c, _)| c == "W0006"));
    assert!(codes(&later).iter().all(|(_, s)| s == "error"));
    for bad in [["-A", "E0030"], ["-D", "W9999"]] {
        let out = voronka(&["check", file, bad[0], bad[1]]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(bad[1]));
    }
}

#[test]
fn explain_prints_every_code_in_both_languages() {
    let list = voronka(&["explain"]);
    assert_eq!(list.status.code(), Some(0));
    let listed = String::from_utf8_lossy(&list.stdout).lines().count();
    assert_eq!(listed, voronka::diag::kind::CODES.len());
    let ru = voronka(&["explain", "w0006"]);
    assert_eq!(ru.status.code(), Some(0));
    let text = String::from_utf8_lossy(&ru.stdout);
    assert!(text.starts_with("## W0006 — конверсия этапа ниже 20 %"), "{text}");
    assert!(text.contains("Правило 5"), "the explanation cites the seed rule");
    let en = voronka(&["explain", "W0006", "--lang", "en"]);
    assert!(String::from_utf8_lossy(&en.stdout).starts_with("## W0006 — stage conversion below 20%"));
    let unknown = voronka(&["explain", "E9999"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// The warnings an example gives are deliberate: the example's comments name each code.
#[test]
fn example_warnings_are_explained_in_their_comments() {
    for path in root_examples() {
        let out = voronka(&["check", path.to_str().unwrap(), "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        for d in v.as_array().expect("array") {
            let code = d["code"].as_str().unwrap_or("");
            // The file the warning is in (an included file of a split regulation).
            let file = d["file"].as_str().map_or(path.clone(), std::path::PathBuf::from);
            let text = std::fs::read_to_string(&file).expect("example");
            assert!(
                text.contains(code),
                "{}: warning {code} at line {} is not explained in a comment",
                path.display(),
                d["line"]
            );
        }
    }
}

#[test]
fn graph_exports_a_pipeline_as_svg() {
    let out = voronka(&[
        "graph",
        "examples/agency.sales",
        "--format",
        "svg",
        "--pipeline",
        "Прогрев",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(
        svg.contains("Клиент получает") && svg.contains("«Новые проекты»:"),
        "both stages and the hand-off are drawn"
    );
    // The hand-off names the pipeline and stage by their titles, not identifiers.
    assert!(!svg.contains("Продажа.Встреча"), "{svg}");
    let unknown = voronka(&[
        "graph",
        "examples/agency.sales",
        "--format",
        "svg",
        "--pipeline",
        "Прогре",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("Прогрев"),
        "suggests the right name"
    );
}

/// A reader that stops early (`voronka … | head -1`) ends the output quietly, without a panic.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args([
            "check",
            "examples/manufacturer.sales",
            "--emit",
            "model",
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("voronka starts");
    // Read one byte, then close the pipe while the model is still being printed.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(status.code(), Some(0 | 141)), "{status:?}");
}

/// Warnings are printed in full by `check` only; other commands say how many there are and
/// which command shows them, on one line, and still print errors in full.
#[test]
fn only_check_prints_warnings_in_full() {
    let file = "examples/manufacturer.sales";
    let check = voronka(&["check", file]);
    let full = String::from_utf8(check.stderr).unwrap();
    let count = full.matches("предупреждение[W").count();
    assert!(count >= 2, "the example has warnings to count:\n{full}");
    let word = match count % 100 {
        11..=14 => "предупреждений",
        _ => match count % 10 {
            1 => "предупреждение",
            2..=4 => "предупреждения",
            _ => "предупреждений",
        },
    };
    let line = format!("{count} {word} — подробно: voronka check {file}\n");
    for args in [
        vec!["analyze", file],
        vec!["graph", file],
        vec!["docs", file, "--only", "memo", "--format", "md", "--out"],
        // The CRM's palette warnings (W0022) are counted with the file's, and shown by `check`.
        vec!["build", file, "--runs", "20", "-q", "--out"],
    ] {
        let mut args = args;
        let out_dir = std::env::temp_dir().join(format!("voronka-e2e-warn-{}", std::process::id()));
        let out_dir = out_dir.to_string_lossy().into_owned();
        if args.last() == Some(&"--out") {
            args.push(&out_dir);
        }
        let out = voronka(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            !err.contains("предупреждение[W"),
            "{args:?}: warnings in full:\n{err}"
        );
        assert_eq!(err, line, "{args:?}");
    }
    // One warning: the singular.
    let one = temp_file(
        "one-warning.sales",
        "положение \"Т\" { валюта ₽ }\nроль М \"Менеджер\" { штат 1 }\nканал К { лиды 10 в мес; воронка В }\nворонка В { чек 1000 ₽\n  этап А { ответственный М; конверсия 50%; длительность 1 дн; цепочка { звонок 10 мин } } }\n".as_bytes(),
    );
    let check = String::from_utf8(voronka(&["check", one.to_str().unwrap()]).stderr).unwrap();
    let n = check.matches("предупреждение[W").count();
    let analyze = String::from_utf8(voronka(&["analyze", one.to_str().unwrap()]).stderr).unwrap();
    let word = match n {
        1 => "предупреждение",
        2..=4 => "предупреждения",
        _ => "предупреждений",
    };
    assert!(
        n == 0 || analyze.starts_with(&format!("{n} {word} — подробно: voronka check ")),
        "{analyze}"
    );
    // Errors are still printed in full, the warnings beside them counted.
    let bad = temp_file(
        "errors-and-warnings.sales",
        "роль М \"Менеджер\" { штат 1 }\nворонка В { этап А { ответственный Х } }\n".as_bytes(),
    );
    let out = voronka(&["analyze", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("ошибка[E0015]"), "{err}");
    assert!(!err.contains("предупреждение[W"), "{err}");
    // In English the same line, and the command shows them in English.
    let out = voronka(&["analyze", file, "--lang", "en"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        format!("{count} warnings — details: voronka check --lang en {file}\n")
    );
}
