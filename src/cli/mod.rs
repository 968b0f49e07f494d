//! The command line: argument parsing and printing, nothing else. Exit codes: 0 no errors,
//! 1 errors in the input, 2 usage, 3 I/O or environment failure (101 is a bug: a panic).

mod analyze;
mod args;
mod backtest;
mod build;
mod calibrate;
mod check;
mod compare;
mod crm;
mod docs;
mod explain;
mod fmt;
mod graph;
mod help;
mod help_en;
mod init;
mod lsp;
mod plan;
mod sensitivity;
mod serve;
mod simulate;
mod sweep;
mod write;

use crate::check::LevelSetting;
use crate::check::levels::{ALL_WARNINGS, LevelError};
use crate::diag::{Diagnostic, Lang, render};
use crate::model::Level;
use crate::source::SourceMap;
use clap::FromArgMatches;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use std::io::IsTerminal;

pub use args::{Args, Command, DiagFormat};

pub const EXIT_OK: i32 = 0;
pub const EXIT_INPUT: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
/// An I/O or environment failure: a file that cannot be read or written, a full disk.
pub const EXIT_IO: i32 = 3;

pub fn run() -> i32 {
    let argv: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let help_lang = help::lang_of(&argv);
    let parsed = help::command(help_lang)
        .try_get_matches()
        .and_then(|m| Args::from_arg_matches(&m).map(|a| (a, m)));
    let (args, matches) = match parsed {
        Ok(a) => a,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    print!("{}", help::finish(&e.render().to_string(), help_lang));
                    EXIT_OK
                }
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    eprint!("{}", help::finish(&e.render().to_string(), help_lang));
                    EXIT_USAGE
                }
                _ => {
                    let named = help::command_named(&argv);
                    eprintln!("{}", help::usage_error(&e, named.as_deref(), help_lang));
                    EXIT_USAGE
                }
            };
        }
    };
    let lang = args.lang;
    let options = match levels(&args, &matches, lang.into()) {
        Ok(levels) => crate::Options { levels },
        Err(code) => return code,
    };
    if let Ok(mut size) = FORECAST_SIZE.lock() {
        *size = forecast_size(&args.command);
    }
    match args.command {
        Command::Check(c) => check::run(&c, lang, &options),
        Command::Graph(g) => graph::run(&g, lang, &options),
        Command::Analyze(a) => analyze::run(&a, lang, &options),
        Command::Simulate(s) => simulate::run(&s, lang, &options),
        Command::Sweep(s) => sweep::run(&s, lang.into(), &options),
        Command::Plan(p) => plan::run(&p, lang.into(), &options),
        Command::Sensitivity(s) => sensitivity::run(&s, lang.into(), &options),
        Command::Calibrate(c) => calibrate::run(&c, lang.into(), &options),
        Command::Backtest(b) => backtest::run(&b, lang.into(), &options),
        Command::Docs(d) => docs::run(&d, lang, &options),
        Command::Crm(c) => crm::run(&c, lang.into(), &options),
        Command::Build(b) => build::run(&b, lang.into(), &options),
        Command::InitTemplates(i) => docs::init_templates(&i, lang.into()),
        Command::Explain(e) => explain::run(&e, lang),
        Command::Lsp(_) => lsp::run(lang.into(), &options),
        Command::Serve(s) => serve::run(&s, lang.into(), &options),
        Command::Fmt(f) => fmt::run(&f, lang.into()),
        Command::Init(i) => init::run(&i, lang.into()),
    }
}

/// The replications and months of the forecast a command runs, if it runs one: the model it
/// compiles is refused (exit 2) when their records would pass [`crate::sim::MAX_RECORD_BYTES`].
static FORECAST_SIZE: std::sync::Mutex<Option<(u32, Option<u32>)>> = std::sync::Mutex::new(None);

fn forecast_size(command: &Command) -> Option<(u32, Option<u32>)> {
    match command {
        Command::Simulate(s) => Some((s.runs, s.months)),
        Command::Sweep(s) => Some((s.run.runs, s.run.months)),
        Command::Plan(p) => Some((p.run.runs, p.run.months)),
        Command::Sensitivity(s) => Some((s.run.runs, s.run.months)),
        Command::Build(b) => Some((b.runs, None)),
        Command::Serve(s) => Some((s.runs, None)),
        Command::Docs(d) if d.forecast => Some((d.runs, None)),
        _ => None,
    }
}

/// Exit 2 with a message when the forecast the command runs would take more memory than
/// [`crate::sim::MAX_RECORD_BYTES`].
fn forecast_fits(model: &crate::model::Model, lang: Lang) -> Result<(), i32> {
    let size = FORECAST_SIZE.lock().ok().and_then(|s| *s);
    let Some((runs, months)) = size else {
        return Ok(());
    };
    let bytes = crate::sim::record_bytes(model, runs, months);
    if bytes <= crate::sim::MAX_RECORD_BYTES {
        return Ok(());
    }
    let per_run = (bytes / u64::from(runs.max(1))).max(1);
    let most = crate::sim::MAX_RECORD_BYTES / per_run;
    let gib = bytes as f64 / f64::from(1u32 << 30);
    eprintln!(
        "{}",
        match lang {
            Lang::Ru => format!(
                "ошибка: {runs} прогонов этой модели заняли бы {gib:.1} ГиБ памяти (предел 1 ГиБ)\nПодсказка: укажите --runs не больше {most} или сократите горизонт"
            ),
            Lang::En => format!(
                "error: {runs} runs of this model would take {gib:.1} GiB of memory (limit 1 GiB)\nHint: give --runs {most} or fewer, or shorten the horizon"
            ),
        }
    );
    Err(EXIT_USAGE)
}

/// The `-A`/`-W`/`-D` settings in the order given (the later wins), each code checked.
fn levels(args: &Args, matches: &clap::ArgMatches, lang: Lang) -> Result<Vec<LevelSetting>, i32> {
    let mut settings = Vec::new();
    for (id, level, values) in [
        ("allow", Level::Allow, &args.allow),
        ("warn", Level::Warn, &args.warn),
        ("deny", Level::Deny, &args.deny),
    ] {
        let indices = matches
            .indices_of(id)
            .map(|i| i.collect::<Vec<_>>())
            .unwrap_or_default();
        for (i, code) in values.iter().enumerate() {
            let code = if code == ALL_WARNINGS {
                code.clone()
            } else {
                code.to_uppercase()
            };
            if let Err(e) = crate::check::levels::validate(&code) {
                let text = match e {
                    LevelError::NotAWarning => format!(
                        "{}: `{code}`",
                        lang.pick(
                            "ошибку нельзя отключить, уровни задаются только предупреждениям (W…)",
                            "an error cannot be switched off; levels apply to warnings (W…) only"
                        )
                    ),
                    LevelError::Unknown { suggestion } => {
                        let hint = did_you_mean(suggestion, lang);
                        format!(
                            "{} `{code}`{hint} ({})",
                            lang.pick("неизвестный код правила", "unknown lint code"),
                            lang.pick("список: voronka explain", "list: voronka explain")
                        )
                    }
                };
                eprintln!("{}: {text}", lang.pick("ошибка", "error"));
                return Err(EXIT_USAGE);
            }
            settings.push((indices.get(i).copied().unwrap_or(0), LevelSetting { code, level }));
        }
    }
    settings.sort_by_key(|(i, _)| *i);
    Ok(settings.into_iter().map(|(_, s)| s).collect())
}

/// Which diagnostics a command shows before it works on the model: errors always, in full;
/// warnings only as their count and the command that prints them ([`warnings_line`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Show {
    /// The count of the warnings too (analysis, documents, graph: the reader learns there is
    /// something questionable).
    All,
    /// The count of the warnings only beside errors (forecasts, whose output is the point).
    Errors,
}

/// The one line a command other than `check` says about the file's warnings: how many, and how
/// to read them (`12 предупреждений — подробно: voronka check положение.sales`).
pub(crate) fn warnings_line(count: usize, file: &std::path::Path, lang: Lang) -> String {
    let shown = file.display().to_string();
    let shown = if shown.contains(char::is_whitespace) {
        format!("'{shown}'")
    } else {
        shown
    };
    let n = count as u64;
    match lang {
        Lang::Ru => format!(
            "{n} {} — подробно: voronka check {shown}",
            crate::locale::plural_ru(n, "предупреждение", "предупреждения", "предупреждений")
        ),
        Lang::En => format!(
            "{n} warning{} — details: voronka check --lang en {shown}",
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// Compiles `file` for a command that needs a model without errors. Prints the diagnostics as
/// `show` says; on errors prints `refused` (what was not done) and gives exit 1, on I/O failure
/// exit 3.
pub(crate) fn model_for(
    file: &std::path::Path,
    lang: Lang,
    options: &crate::Options,
    show: Show,
    refused: Option<(&str, &str)>,
) -> Result<crate::model::Model, i32> {
    compiled_for(file, lang, options, show, refused).map(|c| c.model)
}

/// The diagnostics `check` prints for a compiled file ([`crate::crm::with_diagnostics`]).
pub(crate) fn with_crm(compiled: &crate::Compiled, lang: Lang, options: &crate::Options) -> Vec<Diagnostic> {
    crate::crm::with_diagnostics(compiled, lang, options)
}

/// A model without errors, with its sources and its diagnostics (warnings, and the CRM's
/// diagnostics, errors among them, from [`with_crm`]).
pub(crate) struct Checked {
    pub model: crate::model::Model,
    /// The model's analysis, the one the rules read (computed once per compilation).
    pub analysis: crate::analyze::Analysis,
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

/// [`model_for`], keeping the sources and the diagnostics.
pub(crate) fn compiled_for(
    file: &std::path::Path,
    lang: Lang,
    options: &crate::Options,
    show: Show,
    refused: Option<(&str, &str)>,
) -> Result<Checked, i32> {
    let mut compiled = crate::compile_with(file, options);
    let errors = compiled.has_errors();
    compiled.diagnostics = with_crm(&compiled, lang, options);
    // Errors in full; the warnings only counted (`check` is the command that prints them).
    if errors {
        let shown: Vec<Diagnostic> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        print_diagnostics(&compiled.sources, &shown, DiagFormat::Human, lang);
    }
    let warnings = compiled.diagnostics.iter().filter(|d| !d.is_error()).count();
    if warnings > 0 && (errors || show == Show::All) {
        eprintln!("{}", warnings_line(warnings, file, lang));
    }
    if compiled.io_failure {
        return Err(EXIT_IO);
    }
    let analysis = if errors { None } else { compiled.take_analysis() };
    match compiled.model.zip(analysis) {
        Some((model, analysis)) => forecast_fits(&model, lang).map(|()| Checked {
            model,
            analysis,
            sources: compiled.sources,
            diagnostics: compiled.diagnostics,
        }),
        None => {
            if let Some((ru, en)) = refused {
                eprintln!("{}", lang.pick(ru, en));
            }
            Err(EXIT_INPUT)
        }
    }
}

/// Writes `files` under `dir` (names may hold sub-folders) safely (see [`write`]). Prints the
/// failure and gives exit 3 on an I/O error or a refused target.
pub(crate) fn write_files(
    dir: &std::path::Path,
    files: &[crate::render::OutputFile],
    lang: Lang,
) -> Result<(), i32> {
    write::write_tree(dir, files, None).map_err(|e| {
        eprintln!("{}", e.show(lang));
        EXIT_IO
    })
}

/// [`write_files`] for `build`: `index.md` is removed first and written last, so its presence
/// means the build is complete.
pub(crate) fn write_build(
    dir: &std::path::Path,
    files: &[crate::render::OutputFile],
    lang: Lang,
) -> Result<(), i32> {
    write::write_tree(dir, files, Some("index.md")).map_err(|e| {
        eprintln!("{}", e.show(lang));
        EXIT_IO
    })
}

/// `; возможно, имелось в виду `x`` after a name nobody defined, or nothing.
pub(crate) fn did_you_mean(suggestion: Option<String>, lang: Lang) -> String {
    suggestion
        .map(|s| {
            format!(
                "; {} `{s}`",
                lang.pick("возможно, имелось в виду", "did you mean")
            )
        })
        .unwrap_or_default()
}

/// Prints diagnostics to stderr in the chosen format (JSON goes to stdout).
pub(crate) fn print_diagnostics(sources: &SourceMap, diags: &[Diagnostic], format: DiagFormat, lang: Lang) {
    match format {
        DiagFormat::Json => println!("{}", render::json(sources, diags, lang)),
        DiagFormat::Short => eprint!("{}", render::short(sources, diags, lang)),
        DiagFormat::Human => {
            let colour = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            };
            let stream = StandardStream::stderr(colour);
            let _ = render::human(&mut stream.lock(), sources, diags, lang);
            if let Some(s) = render::summary(diags, lang) {
                eprintln!("{s}");
            }
        }
    }
}

/// Writes one file the user named through a temporary file renamed over it, so a reader never
/// sees half a file; a symbolic link is followed to the real file (see [`write::write_file`]).
pub(crate) fn write_atomically(path: &std::path::Path, contents: &[u8]) -> Result<(), write::WriteError> {
    write::write_file(path, contents)
}
