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
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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

/// One step of a progress bar: what runs, and how many replications.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Step {
    pub label: String,
    pub runs: u64,
}

/// The steps of a forecast with its comparisons: the user's runs first, then the scenarios and
/// the value of a hire (one more person in each working role), each a step of its own, so the
/// bar counts to the `--runs` the user asked for and then says what the extra runs are.
pub(super) fn forecast_steps(runs: u32, scenarios: usize, hire_roles: usize, lang: Lang) -> Vec<Step> {
    let runs = u64::from(runs);
    let mut steps = vec![Step {
        label: lang.pick("Прогноз", "Forecast").to_owned(),
        runs,
    }];
    if scenarios > 0 {
        steps.push(Step {
            label: match lang {
                Lang::Ru => format!(
                    "Сценарии ({scenarios} × до {})",
                    crate::locale::fixed(runs as f64, 0, lang)
                ),
                Lang::En => format!(
                    "Scenarios ({scenarios} × up to {})",
                    crate::locale::fixed(runs as f64, 0, lang)
                ),
            },
            runs: runs * scenarios as u64,
        });
    }
    if hire_roles > 0 {
        let n = hire_roles as u64;
        steps.push(Step {
            label: match lang {
                Lang::Ru => format!(
                    "Ценность найма ({n} {} × до {})",
                    crate::locale::plural_ru(n, "роль", "роли", "ролей"),
                    crate::locale::fixed(runs as f64, 0, lang)
                ),
                Lang::En => format!(
                    "Value of a hire ({n} role{} × up to {})",
                    if n == 1 { "" } else { "s" },
                    crate::locale::fixed(runs as f64, 0, lang)
                ),
            },
            runs: runs * n,
        });
    }
    steps
}

/// Which step `done` replications of all the steps have reached, and how many of that step's
/// runs are done (the last step holds any excess).
pub(super) fn position(steps: &[Step], done: u64) -> (usize, u64) {
    let mut before = 0;
    for (i, s) in steps.iter().enumerate() {
        if done < before + s.runs || i + 1 == steps.len() {
            return (i, done - before);
        }
        before += s.runs;
    }
    (0, done)
}

/// The text right of the bar: `45 000 из 100 000 прогонов, осталось 1 мин 5 с`, numbers
/// grouped as the reader's language groups them.
pub(super) fn counts(done: u64, of: u64, left_seconds: Option<u64>, lang: Lang) -> String {
    let n = |x: u64| crate::locale::fixed(x as f64, 0, lang);
    let left = left_seconds.map_or(String::new(), |s| {
        let (m, s) = (s / 60, s % 60);
        match (lang, m) {
            (Lang::Ru, 0) => format!(", осталось {s} с"),
            (Lang::Ru, _) => format!(", осталось {m} мин {s} с"),
            (Lang::En, 0) => format!(", {s} s left"),
            (Lang::En, _) => format!(", {m} min {s} s left"),
        }
    });
    match lang {
        Lang::Ru => format!(
            "{} из {} {}{left}",
            n(done),
            n(of),
            crate::locale::plural_ru(of, "прогона", "прогонов", "прогонов")
        ),
        Lang::En => format!("{} of {} runs{left}", n(done), n(of)),
    }
}

/// The label of step `i` of `steps`: `Ценность найма (5 ролей × до 100 000), шаг 2 из 2` (a
/// variant takes only the runs its difference needs, `--precision`, so a step may end early).
pub(super) fn step_label(steps: &[Step], i: usize, lang: Lang) -> String {
    let label = steps.get(i).map_or("", |s| s.label.as_str());
    if steps.len() < 2 {
        return label.to_owned();
    }
    match lang {
        Lang::Ru => format!("{label}, шаг {} из {}", i + 1, steps.len()),
        Lang::En => format!("{label}, step {} of {}", i + 1, steps.len()),
    }
}

/// A progress bar over the replications of one or more steps that appears only after a
/// second, on a terminal.
pub(super) struct Progress {
    bar: ProgressBar,
    steps: Vec<Step>,
    done: AtomicU64,
    /// The step shown and when it started.
    current: Mutex<(usize, Instant)>,
    started: Instant,
    shown: AtomicBool,
    lang: Lang,
    pub on: bool,
}

impl Progress {
    /// One step of `total` replications.
    pub fn new(total: u64, quiet: bool, lang: Lang) -> Progress {
        let label = lang.pick("Прогноз", "Forecast").to_owned();
        Progress::steps(vec![Step { label, runs: total }], quiet, lang)
    }

    /// Steps run one after the other, each counted on its own.
    pub fn steps(steps: Vec<Step>, quiet: bool, lang: Lang) -> Progress {
        let first = steps.first().map_or(0, |s| s.runs);
        let bar = ProgressBar::with_draw_target(Some(first), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{prefix} {bar:40} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix(step_label(&steps, 0, lang));
        bar.set_message(counts(0, first, None, lang));
        let now = Instant::now();
        Progress {
            bar,
            steps,
            done: AtomicU64::new(0),
            current: Mutex::new((0, now)),
            started: now,
            shown: AtomicBool::new(false),
            lang,
            on: !quiet && std::io::stderr().is_terminal(),
        }
    }

    pub fn tick(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        let (i, within) = position(&self.steps, done);
        let of = self.steps.get(i).map_or(0, |s| s.runs);
        if let Ok(mut current) = self.current.lock() {
            if current.0 != i {
                *current = (i, Instant::now());
                self.bar.set_prefix(step_label(&self.steps, i, self.lang));
                self.bar.set_length(of);
            }
            let elapsed = current.1.elapsed().as_secs_f64();
            let left = (within > 0 && elapsed > 1.0)
                .then(|| (elapsed / within as f64 * of.saturating_sub(within) as f64).round() as u64);
            self.bar.set_position(within);
            self.bar.set_message(counts(within, of, left, self.lang));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forecast_counts_the_users_runs_then_the_extra_runs_as_their_own_step() {
        let steps = forecast_steps(100_000, 0, 2, Lang::Ru);
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].runs, 100_000, "the bar counts to the runs asked for");
        assert_eq!(steps[1].runs, 200_000);
        assert_eq!(step_label(&steps, 0, Lang::Ru), "Прогноз, шаг 1 из 2");
        assert_eq!(
            step_label(&steps, 1, Lang::Ru),
            "Ценность найма (2 роли × до 100\u{a0}000), шаг 2 из 2"
        );
        assert_eq!(position(&steps, 0), (0, 0));
        assert_eq!(position(&steps, 99_999), (0, 99_999));
        assert_eq!(position(&steps, 100_000), (1, 0));
        assert_eq!(position(&steps, 300_000), (1, 200_000));
        assert_eq!(
            counts(45_000, 100_000, Some(65), Lang::Ru),
            "45\u{a0}000 из 100\u{a0}000 прогонов, осталось 1 мин 5 с"
        );
        assert_eq!(counts(1, 1, None, Lang::Ru), "1 из 1 прогона");
        assert_eq!(
            counts(2_000, 5_000, Some(3), Lang::En),
            "2,000 of 5,000 runs, 3 s left"
        );
        let steps = forecast_steps(1000, 2, 5, Lang::Ru);
        assert_eq!(
            steps.iter().map(|s| s.runs).collect::<Vec<_>>(),
            [1000, 2000, 5000]
        );
        assert_eq!(steps[1].label, "Сценарии (2 × до 1\u{a0}000)");
        assert_eq!(
            step_label(&forecast_steps(10, 0, 0, Lang::Ru), 0, Lang::Ru),
            "Прогноз"
        );
    }
}
