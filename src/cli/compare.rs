//! What `simulate`, `sweep`, `plan` and `sensitivity` share: loading the model, scenario and
//! open-deals files, the progress bar, and writing the result (the tables themselves are
//! `render::report`).

use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diag::Lang;
use crate::model::Model;
use crate::scenario::Scenario;
use crate::sim::OpenDeal;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Compiles the file, printing its diagnostics; `Err(exit code)` when it cannot be simulated.
pub(super) fn load_model(file: &Path, lang: Lang, options: &crate::Options) -> Result<Model, i32> {
    super::model_for(file, lang, options, super::Show::Errors, None)
}

/// Reads every scenario file, printing every error; exit 3 for an unreadable file, 1 for
/// errors in one.
pub(super) fn load_scenarios(files: &[PathBuf], model: &Model, lang: Lang) -> Result<Vec<Scenario>, i32> {
    let mut out = Vec::new();
    let mut code = None;
    for f in files {
        let shown = f.display().to_string();
        let text = match crate::load::read_text(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!(
                    "{shown}: {}: {}",
                    lang.pick(
                        "ошибка: не удалось прочитать сценарий",
                        "error: cannot read the scenario"
                    ),
                    e.show(lang)
                );
                code = Some(super::EXIT_IO);
                continue;
            }
        };
        let stem = f
            .file_stem()
            .map_or(shown.clone(), |s| s.to_string_lossy().into_owned());
        let mut sources = crate::source::SourceMap::new();
        let id = sources.add(f, text);
        match crate::scenario::parse(&sources.get(id).text, id, model, &stem) {
            Ok(s) => out.push(s),
            Err(errors) => {
                super::print_diagnostics(&sources, &errors, super::DiagFormat::Human, lang);
                code = code.or(Some(EXIT_INPUT));
            }
        }
    }
    code.map_or(Ok(out), Err)
}

/// `--templates DIR` names an existing folder; exit 2 otherwise.
pub(super) fn check_templates(dir: Option<&Path>, lang: Lang) -> Result<(), i32> {
    match dir {
        Some(d) if !d.is_dir() => {
            eprintln!(
                "{}: {}",
                lang.pick("ошибка: нет папки шаблонов", "error: no templates folder"),
                d.display()
            );
            Err(EXIT_USAGE)
        }
        _ => Ok(()),
    }
}

/// Prints `text`, or writes it to `out` through a temporary file renamed into place. Exit 0, or
/// 2 when the file cannot be written.
pub(super) fn emit(text: &str, out: Option<&Path>, lang: Lang) -> i32 {
    let Some(path) = out else {
        print!("{text}");
        return EXIT_OK;
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name() else {
        eprintln!(
            "{}: {}",
            lang.pick("ошибка: не имя файла", "error: not a file name"),
            path.display()
        );
        return EXIT_USAGE;
    };
    let file = crate::render::OutputFile {
        name: name.to_string_lossy().into_owned(),
        contents: text.as_bytes().to_vec(),
    };
    match super::write_files(dir, std::slice::from_ref(&file), lang) {
        Ok(()) => EXIT_OK,
        Err(code) => code,
    }
}

/// Reads `--open-deals FILE` when given, printing every bad row; exit 3 for an unreadable
/// file, 1 for errors in it.
pub(super) fn load_open_deals(file: Option<&Path>, model: &Model, lang: Lang) -> Result<Vec<OpenDeal>, i32> {
    let Some(file) = file else {
        return Ok(Vec::new());
    };
    let shown = file.display().to_string();
    let text = crate::load::read_text(file).map_err(|e| {
        eprintln!(
            "{shown}: {}: {}",
            lang.pick(
                "ошибка: не удалось прочитать файл открытых сделок",
                "error: cannot read the open deals file"
            ),
            e.show(lang)
        );
        super::EXIT_IO
    })?;
    let mut sources = crate::source::SourceMap::new();
    let id = sources.add(file, text);
    let format = crate::sim::open_deals::Format::of(file);
    crate::sim::open_deals::parse(&sources.get(id).text, id, format, model).map_err(|errors| {
        super::print_diagnostics(&sources, &errors, super::DiagFormat::Human, lang);
        EXIT_INPUT
    })
}

/// A progress bar over `total` replications that appears only after a second, on a terminal.
pub(super) struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
    pub on: bool,
}

impl Progress {
    pub fn new(total: u64, quiet: bool, lang: Lang) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(lang.pick(
                "{bar:40} {pos}/{len} прогонов, осталось {eta}",
                "{bar:40} {pos}/{len} runs, {eta} left",
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            on: !quiet && std::io::stderr().is_terminal(),
        }
    }

    pub fn tick(&self, n: u64) {
        self.bar.inc(n);
        if !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
