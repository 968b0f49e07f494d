//! Hostile input, files and environments (issue 15): no write outside `--out`, no unbounded
//! read, no hang, no panic, exit codes 0/1/2/3 only.

use crate::common;

use common::voronka;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const AGENCY: &str = "examples/agency.sales";

fn build(out: &Path) -> Output {
    voronka(&[
        "build",
        AGENCY,
        "--out",
        out.to_str().unwrap(),
        "--runs",
        "5",
        "-q",
    ])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every `.voronka-*.tmp` file under `dir`.
fn temps(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let t = e.file_type().unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if t.is_dir() {
                stack.push(e.path());
            } else if name.ends_with(".tmp") {
                out.push(e.path().display().to_string());
            }
        }
    }
    out
}

/// Runs the binary with a deadline; `None` when it had to be killed (a hang).
fn run_with_deadline(args: &[&str], limit: Duration) -> Option<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

// ── (1) Writes stay inside --out ─────────────────────────────────────────────

#[cfg(unix)]
#[test]
fn a_symlink_at_the_old_temp_name_does_not_redirect_the_write() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "secret").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // Old temp names were predictable: `.index.md.tmp` beside the target.
    std::os::unix::fs::symlink(&outside, out.join(".index.md.tmp")).unwrap();
    let o = build(&out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "secret");
    assert!(out.join("index.md").is_file());
}

#[cfg(unix)]
#[test]
fn a_sub_folder_that_is_a_symlink_is_not_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("graph")).unwrap();
    let o = build(&out);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("символическая ссылка"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "written through the link"
    );
    assert!(
        !out.join("index.md").exists(),
        "an incomplete build has no index.md"
    );
    assert!(temps(&out).is_empty(), "{:?}", temps(&out));
}

#[cfg(unix)]
#[test]
fn a_target_that_is_a_symlink_or_a_pipe_is_refused_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.md");
    std::fs::write(&outside, "secret").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("index.md")).unwrap();
    let o = build(&out);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "secret");
    assert!(
        std::fs::symlink_metadata(out.join("index.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // A named pipe (or a device) where a report goes: refused, left as it is.
    let out = dir.path().join("out2");
    std::fs::create_dir(&out).unwrap();
    let fifo = out.join("forecast.html");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let o = voronka(&[
        "simulate",
        AGENCY,
        "--runs",
        "5",
        "--format",
        "html",
        "-q",
        "--out",
        fifo.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn index_md_is_removed_first_so_a_failed_rebuild_leaves_none() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_eq!(build(&out).status.code(), Some(0));
    assert!(out.join("index.md").is_file());
    // A folder where a file of the new build goes makes the rebuild fail part way.
    let blocker = out.join("graph").join("process.dot");
    std::fs::remove_file(&blocker).unwrap();
    std::fs::create_dir(&blocker).unwrap();
    let o = build(&out);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        !out.join("index.md").exists(),
        "index.md of the old build left beside new files"
    );
    assert!(temps(&out).is_empty(), "{:?}", temps(&out));
}

#[test]
fn temp_files_a_killed_run_left_are_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("graph")).unwrap();
    // No process has this id (above the kernel's pid_max).
    let stale = out.join("graph").join(".voronka-4000000000-abcdef.tmp");
    std::fs::write(&stale, "half").unwrap();
    let foreign = out.join("graph").join(".mine.tmp");
    std::fs::write(&foreign, "not ours").unwrap();
    assert_eq!(build(&out).status.code(), Some(0));
    assert!(!stale.exists());
    assert!(foreign.exists(), "a file voronka did not make is left alone");
}

#[cfg(unix)]
#[test]
fn fmt_on_a_symlink_formats_the_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.sales");
    std::fs::write(&real, "роль   А { штат 1 }\n").unwrap();
    let link = dir.path().join("link.sales");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let o = voronka(&["fmt", link.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "роль А { штат 1 }\n");
}

#[test]
fn a_regular_output_keeps_ordinary_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_eq!(build(&out).status.code(), Some(0));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out.join("index.md")), 0o644);
        assert_eq!(mode(&out.join("crm/hubspot/apply.sh")), 0o755);
    }
}

// ── (2) Bounded reads ────────────────────────────────────────────────────────

#[cfg(unix)]
#[test]
fn devices_and_pipes_are_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("zero.sales");
    std::fs::write(&zero, "подключить \"/dev/zero\"\n").unwrap();
    let o = run_with_deadline(&["check", zero.to_str().unwrap()], Duration::from_secs(20)).expect("no hang");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("E0009"), "{}", stderr(&o));

    let fifo = dir.path().join("pipe.sales");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let main = dir.path().join("main.sales");
    std::fs::write(&main, "подключить \"pipe.sales\"\n").unwrap();
    let o =
        run_with_deadline(&["check", main.to_str().unwrap()], Duration::from_secs(20)).expect("a FIFO hangs");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    let o = run_with_deadline(&["check", "/dev/zero"], Duration::from_secs(20)).expect("no hang");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));

    for flag in ["--scenario", "--open-deals"] {
        let o = run_with_deadline(
            &["simulate", AGENCY, "--runs", "5", "-q", flag, "/dev/zero"],
            Duration::from_secs(20),
        )
        .expect("no hang");
        assert_eq!(o.status.code(), Some(3), "{flag}: {}", stderr(&o));
        assert!(stderr(&o).contains("не обычный файл"), "{}", stderr(&o));
    }
}

#[test]
fn a_file_over_the_cap_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(voronka::load::MAX_FILE_BYTES as u64 + 1).unwrap();
    let o = voronka(&[
        "simulate",
        AGENCY,
        "--runs",
        "5",
        "-q",
        "--scenario",
        big.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("МиБ"), "{}", stderr(&o));
    let e = voronka::load::read_capped(&big, 1 << 10).unwrap_err();
    assert!(matches!(e, voronka::load::ReadError::TooLarge), "{e:?}");
}

// ── (5) Panics ───────────────────────────────────────────────────────────────

#[test]
fn a_multi_byte_space_before_a_string_is_a_diagnostic_not_a_panic() {
    for space in ['\u{3000}', '\u{85}', '\u{2028}', '\u{2003}'] {
        let c = voronka::compile_str(Path::new("a.sales"), &format!("роль{space}\"x\"\n"));
        assert!(c.has_errors(), "{space:?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_io_failure_not_a_panic() {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    for args in [
        &["check", AGENCY, "--emit", "model"][..],
        &["graph", AGENCY],
        &["analyze", AGENCY],
        &["simulate", AGENCY, "--runs", "5", "-q"],
        &["crm", AGENCY, "--target", "hubspot"],
        &["explain", "E0001"],
        &["explain"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_voronka"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(full())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("No space left"), "{args:?}: {}", stderr(&o));
    }
}

// ── (6) Wrong answers with exit 0 ────────────────────────────────────────────

#[test]
fn cr_only_line_endings_read_like_lf() {
    let lf = std::fs::read_to_string(AGENCY).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cr = dir.path().join("cr.sales");
    std::fs::write(&cr, lf.replace('\n', "\r")).unwrap();
    let a = voronka(&["check", AGENCY, "--emit", "model", "--format", "json"]);
    let b = voronka(&[
        "check",
        cr.to_str().unwrap(),
        "--emit",
        "model",
        "--format",
        "json",
    ]);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert_eq!(
        a.stdout, b.stdout,
        "a `#` comment swallowed the rest of a CR-only file"
    );
}

// ── (3) Stack overflows, (4) memory blow-ups ─────────────────────────────────

/// The codes of the errors (warnings left out).
fn codes(c: &voronka::Compiled) -> Vec<&'static str> {
    c.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.kind.code())
        .collect()
}

#[test]
fn a_formula_of_ten_thousand_operators_is_refused_before_it_is_built() {
    for formula in [
        format!("{}выиграно", "-".repeat(10_000)),
        format!("выиграно{}", " + выиграно".repeat(10_000)),
        format!("выиграно{}", " * 2 / 2".repeat(5_000)),
    ] {
        let text = format!("показатель К {{ формула {formula} }}\nроль Х {{ штат 1 }}\n");
        let c = voronka::compile_str(Path::new("a.sales"), &text);
        assert_eq!(codes(&c), ["E0050"]);
    }
}

#[test]
fn the_simulation_never_sees_a_deep_formula() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deep.sales");
    let text = std::fs::read_to_string(AGENCY).unwrap();
    let deep = format!(
        "\nпоказатель Глубокий {{ формула {}выиграно }}\n",
        "-".repeat(20_000)
    );
    std::fs::write(&file, text + &deep).unwrap();
    let o = voronka(&["simulate", file.to_str().unwrap(), "--runs", "5", "-q"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("E0050"), "{}", stderr(&o));
}

#[test]
fn more_stages_or_roles_than_the_limit_are_refused() {
    let stages: String = (0..=voronka::syntax::limits::MAX_STAGES)
        .map(|i| format!("  этап Э{i} {{ ответственный Х; конверсия 95%; длительность 1 дн }}\n"))
        .collect();
    let text = format!("роль Х {{ штат 1 }}\nворонка В {{ выход \"О\"\n{stages}}}\n");
    let c = voronka::compile_str(Path::new("a.sales"), &text);
    assert_eq!(codes(&c), ["E0051"]);
    assert!(c.model.is_none(), "no model is built past a limit");
}

#[test]
fn an_include_chain_deeper_than_the_limit_stops_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let n = 2 * voronka::load::MAX_INCLUDE_DEPTH;
    for i in 0..n {
        std::fs::write(
            dir.path().join(format!("f{i}.sales")),
            format!("подключить \"f{}.sales\"\n", i + 1),
        )
        .unwrap();
    }
    let c = voronka::compile(&dir.path().join("f0.sales"));
    assert_eq!(codes(&c), ["E0052"]);
    assert_eq!(c.sources.len(), voronka::load::MAX_INCLUDE_DEPTH);
}

#[test]
fn a_forecast_too_big_for_memory_is_refused_before_it_starts() {
    let start = Instant::now();
    let o = voronka(&["simulate", AGENCY, "--runs", "10000000", "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("ГиБ") && stderr(&o).contains("--runs"),
        "{}",
        stderr(&o)
    );
    assert!(start.elapsed() < Duration::from_secs(30));
    let dir = tempfile::tempdir().unwrap();
    let o = voronka(&[
        "build",
        AGENCY,
        "--out",
        dir.path().to_str().unwrap(),
        "--runs",
        "10000000",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!dir.path().join("index.md").exists());
}

// ── Crash consistency ────────────────────────────────────────────────────────

/// Every regular file under `dir` (temp files included), relative, with its bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn builds_killed_at_random_moments_never_leave_a_truncated_file() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference");
    let start = Instant::now();
    assert_eq!(build(&reference).status.code(), Some(0));
    let took = start.elapsed().as_millis() as u64 + 1;
    let expected = tree(&reference);
    let out = dir.path().join("out");
    let mut state = 15u64;
    let kills = 24;
    for k in 0..kills {
        // A small fixed-seed generator: the moments are the same on every run.
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = (state >> 33) % took;
        let mut child = Command::new(env!("CARGO_BIN_EXE_voronka"))
            .args([
                "build",
                AGENCY,
                "--out",
                out.to_str().unwrap(),
                "--runs",
                "5",
                "-q",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let found = tree(&out);
        for (name, bytes) in &found {
            if name
                .rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with(".voronka-"))
            {
                continue; // a temp file the next run removes
            }
            assert_eq!(
                Some(bytes),
                expected.get(name),
                "kill {k} after {delay} ms: {name} is not whole"
            );
        }
        if found.contains_key("index.md") {
            for name in expected.keys() {
                assert!(found.contains_key(name), "kill {k}: index.md without {name}");
            }
        }
    }
    assert_eq!(build(&out).status.code(), Some(0));
    assert_eq!(
        tree(&out),
        expected,
        "after a whole run: the same files, no temp file left"
    );
}

// ── (7) Slow paths: a diagnostic on a 10 MB line ─────────────────────────────

#[test]
fn a_diagnostic_on_a_ten_megabyte_line_shows_a_window_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.sales");
    // One line: a 10 MB title of two-byte letters, then an error after it.
    let title = "я".repeat(5_000_000);
    std::fs::write(&file, format!("роль А \"{title}\" {{ штат мусор }}\n")).unwrap();
    let start = Instant::now();
    let o = voronka(&["check", file.to_str().unwrap()]);
    let took = start.elapsed();
    // The whole line was printed before: 15 MB of diagnostics and twice the time.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.len() < 4_000, "{} bytes of diagnostics", err.len());
    assert!(err.contains('…'), "{err}");
    assert!(err.contains("яя\" { штат мусор }"), "{err}");
    // The location is the column in the file, not in the shown window.
    let column = "роль А \"".chars().count() + 5_000_000 + "\" { штат ".chars().count() + 1;
    assert!(err.contains(&format!(":1:{column}")), "{err}");
    assert!(took < Duration::from_secs(90), "{took:?}");
}

// ── (8) Names and text ───────────────────────────────────────────────────────

/// The codes of the warnings.
fn warnings(c: &voronka::Compiled) -> Vec<&'static str> {
    c.diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| d.kind.code())
        .collect()
}

#[test]
fn look_alike_names_and_mixed_alphabets_are_warned_about() {
    // The second role's «е» is Latin.
    let c = voronka::compile_str(
        Path::new("a.sales"),
        "роль Менеджер { штат 3 }\nроль Менеджeр { штат 1 }\n",
    );
    assert!(!c.has_errors(), "{:?}", codes(&c));
    let w0026: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.kind.code() == "W0026")
        .map(|d| d.kind.message().ru)
        .collect();
    assert_eq!(w0026.len(), 1, "one warning a name: {w0026:?}");
    assert!(w0026[0].contains("выглядит как `Менеджер`"), "{w0026:?}");
    assert!(w0026[0].contains("буква «e» из латиницы"), "{w0026:?}");

    // A mixed word with no look-alike.
    let c = voronka::compile_str(Path::new("a.sales"), "роль Мaркетолог { штат 1 }\n");
    assert!(warnings(&c).contains(&"W0026"), "{:?}", warnings(&c));

    // Different alphabets in different words, and unlike names: no warning.
    let c = voronka::compile_str(
        Path::new("a.sales"),
        "роль CRM_менеджер { штат 3 }\nроль Менеджер { штат 1 }\nроль Маркетолог { штат 1 }\n",
    );
    assert!(!warnings(&c).contains(&"W0026"), "{:?}", warnings(&c));
}

#[test]
fn a_name_with_a_zero_width_joiner_is_warned_about() {
    let c = voronka::compile_str(
        Path::new("a.sales"),
        "роль Менеджер { штат 3 }\nроль Мене\u{200D}джер { штат 1 }\n",
    );
    // The grammar takes the joiner in a name (Unicode identifiers allow it): reported as alike.
    assert!(!c.has_errors(), "{:?}", codes(&c));
    let w: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.kind.code() == "W0026")
        .map(|d| d.kind.message().ru)
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("U+200D"), "{w:?}");
}

#[test]
fn a_long_cyrillic_role_name_is_warned_about_and_its_documents_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.sales");
    let name = "Я".repeat(130);
    // Every `Менеджер` that is the role's name (not a part of a longer word) renamed.
    let agency = std::fs::read_to_string(AGENCY).unwrap();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut text = String::new();
    let mut rest = agency.as_str();
    while let Some(i) = rest.find("Менеджер") {
        let after = &rest[i + "Менеджер".len()..];
        text.push_str(&rest[..i]);
        let whole = !word(rest[..i].chars().next_back()) && !word(after.chars().next());
        text.push_str(if whole { &name } else { "Менеджер" });
        rest = after;
    }
    text.push_str(rest);
    std::fs::write(&file, &text).unwrap();
    let o = voronka(&["check", file.to_str().unwrap(), "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(out.contains("W0027") && out.contains("120"), "{out}");
    let docs = dir.path().join("docs");
    let o = voronka(&[
        "docs",
        file.to_str().unwrap(),
        "--out",
        docs.to_str().unwrap(),
        "--format",
        "md,docx",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names: Vec<String> = std::fs::read_dir(&docs)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.len() <= 255), "{names:?}");
    let memo = names
        .iter()
        .find(|n| n.starts_with("memo-ЯЯЯ") && n.ends_with(".md"))
        .unwrap_or_else(|| panic!("{names:?}"));
    assert!(memo.len() < 140, "{memo}");
}

#[test]
fn a_control_character_in_a_title_never_reaches_a_docx() {
    let dir = tempfile::tempdir().unwrap();
    for (i, c) in ['\u{0C}', '\u{01}', '\u{7F}', '\u{85}', '\u{FFFE}', '\u{FFFF}']
        .into_iter()
        .enumerate()
    {
        let file = dir.path().join(format!("t{i}.sales"));
        let text = std::fs::read_to_string(AGENCY)
            .unwrap()
            .replace("роль Менеджер \"", &format!("роль Менеджер \"Ме{c}неджер "));
        assert!(text.contains(c));
        std::fs::write(&file, &text).unwrap();
        let out = dir.path().join(format!("out{i}"));
        let o = voronka(&[
            "docs",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--format",
            "docx",
            "--only",
            "memo",
        ]);
        if o.status.code() == Some(1) {
            assert!(stderr(&o).contains("E0054"), "{c:?}: {}", stderr(&o));
            continue;
        }
        assert_eq!(o.status.code(), Some(0), "{c:?}: {}", stderr(&o));
        for e in std::fs::read_dir(&out).unwrap().flatten() {
            let bytes = std::fs::read(e.path()).unwrap();
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
            roxmltree::Document::parse(&xml).unwrap_or_else(|err| panic!("{c:?}: {err}"));
        }
    }
}

// ── (9) Interrupted builds ───────────────────────────────────────────────────

#[cfg(unix)]
#[test]
fn an_interrupted_build_removes_its_temp_files() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference");
    let start = Instant::now();
    assert_eq!(build(&reference).status.code(), Some(0));
    let took = start.elapsed().as_millis() as u64 + 1;
    let expected = tree(&reference);
    let mut state = 2u64;
    for k in 0..8 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // The later half of the build, where the files are written, more often.
        let delay = took / 3 + (state >> 33) % (took - took / 3);
        let out = dir.path().join(format!("out{k}"));
        let child = Command::new(env!("CARGO_BIN_EXE_voronka"))
            .args([
                "build",
                AGENCY,
                "--out",
                out.to_str().unwrap(),
                "--runs",
                "5",
                "-q",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let signal = if k % 2 == 0 { "-INT" } else { "-TERM" };
        let _ = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status();
        let status = child.wait_with_output().unwrap().status;
        // Done before the signal (0), stopped by the handler (130), or stopped before anything
        // was written (the default action).
        assert!(
            matches!(status.code(), Some(0 | 130)) || status.signal().is_some(),
            "kill {k} after {delay} ms: {status:?}"
        );
        assert!(
            temps(&out).is_empty(),
            "kill {k} after {delay} ms: {:?}",
            temps(&out)
        );
        let found = tree(&out);
        for (name, bytes) in &found {
            assert_eq!(Some(bytes), expected.get(name), "kill {k}: {name} is not whole");
        }
        if found.contains_key("index.md") {
            assert_eq!(found.len(), expected.len(), "kill {k}: index.md before the rest");
        }
    }
}

// ── (4) A user's template that doubles a string ──────────────────────────────

#[test]
fn a_template_that_doubles_a_string_forty_times_stops_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("memo.md"),
        "{% macro d(s, n) %}{% if n > 0 %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}{% endmacro %}{{ d(\"x\", 40) }}\n",
    )
    .unwrap();
    let start = Instant::now();
    let o = run_with_deadline(
        &[
            "docs",
            AGENCY,
            "--out",
            dir.path().join("out").to_str().unwrap(),
            "--format",
            "md",
            "--only",
            "memo",
            "--templates",
            templates.to_str().unwrap(),
        ],
        Duration::from_secs(60),
    )
    .expect("no hang");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("памяти"), "{}", stderr(&o));
    assert!(start.elapsed() < Duration::from_secs(60));

    // A loop without end runs out of fuel.
    std::fs::write(
        templates.join("memo.md"),
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    let o = run_with_deadline(
        &[
            "docs",
            AGENCY,
            "--out",
            dir.path().join("out").to_str().unwrap(),
            "--format",
            "md",
            "--only",
            "memo",
            "--templates",
            templates.to_str().unwrap(),
        ],
        Duration::from_secs(120),
    )
    .expect("no hang");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("лимит вычислений"), "{}", stderr(&o));
}
