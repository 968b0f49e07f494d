//! `voronka calibrate FILE --history PATH…`: the regulation's parameters measured from a CRM's
//! deal history, side by side with the file's, and optionally written as a scenario
//! (`--write-scenario`) or into the regulation itself (`--apply`).
//!
//! `--apply` shows a unified diff of every file that changes, then asks (stdin a terminal) or
//! writes with `--yes`; without a terminal and without `--yes` it writes nothing and exits 0.
//! Before anything is written every file is read again: one changed on disk since, or read-only,
//! stops the whole step (exit 1, exit 3). Each file keeps its previous text in `FILE.bak` and is
//! replaced atomically (a temporary file renamed over it).

use super::args::{AnalyzeFormat, CalibrateArgs};
use super::compare::{emit, load_model};
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK};
use crate::calibrate::apply::{self, Plan, Refusal};
use crate::calibrate::{Calibration, Window, calibrate, mapping, scenario};
use crate::diag::Lang;
use crate::history::{self, ReadFailure};
use crate::model::Model;
use crate::render::report;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::Path;

pub fn run(args: &CalibrateArgs, lang: Lang, options: &crate::Options) -> i32 {
    let model = match load_model(&args.file, lang, options) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let history = match read_history(&args.history, &model, lang) {
        Ok(h) => h,
        Err(code) => return code,
    };
    if let (Some(a), Some(b)) = (args.since, args.until)
        && b < a
    {
        eprintln!(
            "{}",
            lang.pick(
                "ошибка: --until раньше --since",
                "error: --until is before --since"
            )
        );
        return super::EXIT_USAGE;
    }
    let window = Window {
        since: args.since,
        until: args.until,
    };
    let result = calibrate(&model, &history, window);
    if let Some(path) = &args.write_scenario {
        let sources: Vec<String> = args
            .history
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let yaml = scenario::yaml(&result, &model, &sources.join(", "), lang);
        let code = emit(&yaml, Some(path), lang);
        if code != EXIT_OK {
            return code;
        }
    }
    let text = match args.format {
        AnalyzeFormat::Json => serde_json::to_string_pretty(&result).unwrap_or_default() + "\n",
        AnalyzeFormat::Table => {
            let currency = model.header.currency;
            report::calibrate::table(&result, currency, lang)
        }
    };
    print!("{text}");
    if args.apply {
        let to_stderr = matches!(args.format, AnalyzeFormat::Json);
        return apply_step(&args.file, &model, &result, args.yes, to_stderr, lang, options);
    }
    EXIT_OK
}

/// Prints to stdout, or to stderr when stdout carries JSON.
fn say(to_stderr: bool, text: &str) {
    if to_stderr {
        eprint!("{text}");
    } else {
        print!("{text}");
        let _ = std::io::stdout().flush();
    }
}

/// `--apply`: the diff, the question, the writing.
fn apply_step(
    file: &Path,
    model: &Model,
    result: &Calibration,
    yes: bool,
    to_stderr: bool,
    lang: Lang,
    options: &crate::Options,
) -> i32 {
    let changes = scenario::changes(result, model);
    let mut out = String::from("\n");
    if changes.is_empty() {
        out.push_str(lang.pick(
            "--apply: в истории мало сделок, чтобы измерить хоть одно значение; положение не изменено\n",
            "--apply: the history has too few deals to measure any value; the regulation is unchanged\n",
        ));
        say(to_stderr, &out);
        return EXIT_OK;
    }
    let plan = match apply::plan(file, model, &changes, options) {
        Ok(p) => p,
        Err(refusal) => return refused(refusal, lang),
    };
    for b in &plan.by_hand {
        out.push_str(&format!(
            "{}: {}:{}: {}: {} — {}\n",
            lang.pick("не применено, впишите вручную", "not applied, write it by hand"),
            b.path.display(),
            b.line,
            b.target.show(lang),
            b.text,
            b.why.get(lang)
        ));
    }
    if plan.files.is_empty() {
        out.push_str(lang.pick(
            "--apply: изменений нет — положение уже пишет измеренные значения (с их округлением)\n",
            "--apply: nothing to change — the regulation already writes the measured values (as rounded)\n",
        ));
        say(to_stderr, &out);
        return EXIT_OK;
    }
    let colour = colour_on(to_stderr);
    for f in &plan.files {
        out.push_str(&diff(&f.path, &f.old, &f.new, colour));
    }
    out.push_str(&summary(&plan, lang));
    say(to_stderr, &out);
    if !yes {
        if !std::io::stdin().is_terminal() {
            say(
                to_stderr,
                lang.pick(
                    "ничего не записано: ввод не с терминала, спросить некого; чтобы записать, добавьте --yes\n",
                    "nothing written: input is not a terminal, there is nobody to ask; add --yes to write\n",
                ),
            );
            return EXIT_OK;
        }
        eprint!(
            "{}",
            lang.pick("Применить изменения? [д/Н] ", "Apply the changes? [y/N] ")
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        let answer = answer.trim().to_lowercase();
        if !["д", "да", "y", "yes"].contains(&answer.as_str()) {
            say(to_stderr, lang.pick("ничего не записано\n", "nothing written\n"));
            return EXIT_OK;
        }
    }
    write_plan(&plan, to_stderr, lang)
}

fn refused(refusal: Refusal, lang: Lang) -> i32 {
    let why = match refusal {
        Refusal::NotClean { sources, diagnostics } => {
            super::print_diagnostics(&sources, &diagnostics, super::DiagFormat::Human, lang);
            lang.pick(
                "с измеренными значениями положение не проходит проверку (ошибки выше), поэтому файл оставлен как есть; впишите значения вручную или поправьте положение",
                "with the measured values the regulation does not check clean (errors above), so the file is left as it is; write the values by hand or fix the regulation",
            )
            .to_owned()
        }
        Refusal::Broken => lang
            .pick(
                "положение не проходит проверку и без изменений; сначала исправьте ошибки (voronka check)",
                "the regulation does not check clean as it is; fix its errors first (voronka check)",
            )
            .to_owned(),
        Refusal::Changed(p) => format!(
            "{}: {}",
            p.display(),
            lang.pick(
                "файл изменился во время чтения (или в нём окончания строк старого Mac, CR); ничего не записано, запустите ещё раз",
                "the file changed while it was read (or has old Mac CR line endings); nothing written, run again"
            )
        ),
        Refusal::Unstable(p) => format!(
            "{}: {}",
            p.display(),
            lang.pick(
                "форматирование изменённого файла не удалось; ничего не записано, сообщите, пожалуйста, разработчикам",
                "formatting the changed file failed; nothing written, please report this"
            )
        ),
        Refusal::Mismatch(t) => format!(
            "{}: {}",
            t.show(lang),
            lang.pick(
                "после правки значение читается не так, как задумано; ничего не записано, сообщите, пожалуйста, разработчикам",
                "after the edit the value does not read as meant; nothing written, please report this"
            )
        ),
    };
    eprintln!(
        "{}: {why}",
        lang.pick("--apply: не применено", "--apply: not applied")
    );
    EXIT_INPUT
}

/// Whether the diff is coloured: its stream is a terminal and NO_COLOR is not set.
fn colour_on(to_stderr: bool) -> bool {
    let tty = if to_stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    };
    tty && std::env::var_os("NO_COLOR").is_none()
}

/// A unified diff of one file, `a/` and `b/` as git writes them for a relative path.
fn diff(path: &Path, old: &str, new: &str, colour: bool) -> String {
    let shown = path.display().to_string();
    let (a, b) = if path.is_absolute() {
        (shown.clone(), shown)
    } else {
        (format!("a/{shown}"), format!("b/{shown}"))
    };
    let text = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&a, &b)
        .to_string();
    if !colour {
        return text;
    }
    text.lines()
        .map(|l| {
            let code = if l.starts_with("+++") || l.starts_with("---") {
                "1"
            } else if l.starts_with('+') {
                "32"
            } else if l.starts_with('-') {
                "31"
            } else if l.starts_with("@@") {
                "36"
            } else {
                ""
            };
            if code.is_empty() {
                format!("{l}\n")
            } else {
                format!("\x1b[{code}m{l}\x1b[0m\n")
            }
        })
        .collect()
}

/// What changes, one line each.
fn summary(plan: &Plan, lang: Lang) -> String {
    let mut out = String::new();
    for a in &plan.applied {
        let old = if a.old.is_empty() {
            lang.pick("(не записано)", "(not written)").to_owned()
        } else {
            a.old.clone()
        };
        out.push_str(&format!(
            "  {}:{}: {}: {old} → {}\n",
            a.path.display(),
            a.line,
            a.target.show(lang),
            a.new
        ));
    }
    if plan.unchanged > 0 {
        out.push_str(&format!(
            "  {}: {}\n",
            lang.pick("уже как измерено", "already as measured"),
            plan.unchanged
        ));
    }
    for p in &plan.unformatted {
        out.push_str(&format!(
            "  {}: {}\n",
            p.display(),
            lang.pick(
                "файл не в каноническом виде (voronka fmt), поэтому правятся только числа, без форматирования",
                "the file is not in the canonical layout (voronka fmt), so only the numbers are edited, without formatting"
            )
        ));
    }
    out
}

/// Writes every file of the plan, each after a backup of its previous text in `FILE.bak`. Every
/// file is checked first (unchanged on disk, writable), so a refusal writes nothing.
fn write_plan(plan: &Plan, to_stderr: bool, lang: Lang) -> i32 {
    for f in &plan.files {
        match crate::load::read_text(&f.path) {
            Ok(now) if now == f.old => {}
            Ok(_) => {
                eprintln!(
                    "{}: {}",
                    f.path.display(),
                    lang.pick(
                        "файл изменился на диске после чтения; ничего не записано, запустите calibrate --apply ещё раз",
                        "the file changed on disk after it was read; nothing written, run calibrate --apply again"
                    )
                );
                return EXIT_INPUT;
            }
            Err(e) => {
                eprintln!(
                    "{}: {}: {}",
                    f.path.display(),
                    lang.pick("ошибка: не удалось прочитать файл", "error: cannot read the file"),
                    e.show(lang)
                );
                return EXIT_IO;
            }
        }
        if std::fs::metadata(&f.path).is_ok_and(|m| m.permissions().readonly()) {
            eprintln!(
                "{}: {}",
                f.path.display(),
                lang.pick(
                    "ошибка: файл только для чтения; ничего не записано — разрешите запись (chmod u+w) и запустите ещё раз",
                    "error: the file is read-only; nothing written — make it writable (chmod u+w) and run again"
                )
            );
            return EXIT_IO;
        }
    }
    let mut done = String::new();
    for f in &plan.files {
        let mut bak = f.path.clone().into_os_string();
        bak.push(".bak");
        let bak = std::path::PathBuf::from(bak);
        let written = super::write_atomically(&bak, f.old.as_bytes())
            .and_then(|()| super::write_atomically(&f.path, f.new.as_bytes()));
        if let Err(e) = written {
            say(to_stderr, &done);
            eprintln!("{}", e.show(lang));
            return EXIT_IO;
        }
        done.push_str(&format!(
            "{} {} ({} {})\n",
            lang.pick("записано:", "written:"),
            f.path.display(),
            lang.pick("прежний текст — в", "the previous text is in"),
            bak.display()
        ));
    }
    say(to_stderr, &done);
    EXIT_OK
}

/// The history files read and mapped to the regulation's stages by the mapping file when one
/// is given (`--stages`), or the exit code after their errors were printed.
pub(super) fn read_history(
    args: &super::args::HistoryArgs,
    model: &Model,
    lang: Lang,
) -> Result<history::History, i32> {
    let (paths, stages) = (&args.files, args.stages.as_deref());
    let failed = |failure: ReadFailure, what: (&str, &str)| match failure {
        ReadFailure::Io(path, e) => {
            eprintln!(
                "{}: {}: {}",
                path.display(),
                lang.pick(what.0, what.1),
                e.show(lang)
            );
            EXIT_IO
        }
        ReadFailure::Errors(sources, errors) => {
            super::print_diagnostics(&sources, &errors, super::DiagFormat::Human, lang);
            EXIT_INPUT
        }
    };
    let mapping = match stages.map(|p| mapping::read(p, model)).transpose() {
        Ok(m) => m,
        Err(f) => {
            return Err(failed(
                f,
                (
                    "ошибка: не удалось прочитать файл сопоставления этапов",
                    "error: cannot read the stage mapping file",
                ),
            ));
        }
    };
    let mut history = history::read(paths).map_err(|f| {
        failed(
            f,
            (
                "ошибка: не удалось прочитать файл истории",
                "error: cannot read the history file",
            ),
        )
    })?;
    if let Some(m) = &mapping {
        m.apply(model, &mut history);
    }
    Ok(history)
}
