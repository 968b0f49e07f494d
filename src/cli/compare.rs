//! What `simulate`, `sweep`, `plan` and `sensitivity` share: loading the model and scenario
//! files, the progress bar, and the «Сценарии» and «Ценность найма» sections of `simulate`.

use super::simulate::{MONTHS_EN, MONTHS_RU, columns, number, percent};
use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diag::Lang;
use crate::model::Model;
use crate::planning::{HireResult, ScenarioResult};
use crate::scenario::Scenario;
use crate::sim::{OpenDeal, Paired, SimResult};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Compiles the file, printing its diagnostics; `Err(exit code)` when it cannot be simulated.
pub(super) fn load_model(file: &Path, lang: Lang, options: &crate::Options) -> Result<Model, i32> {
    super::model_for(file, lang, options, super::Show::Errors, None)
}

/// Reads every scenario file, printing every error; exit 2 for an unreadable file, 1 for
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
        match crate::scenario::parse(&text, model, lang, &stem) {
            Ok(s) => out.push(s),
            Err(errors) => {
                for e in &errors {
                    eprint!("{}", e.render(&shown, lang));
                }
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

/// Reads `--open-deals FILE` when given, printing every bad row; exit 2 for an unreadable
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
    crate::sim::open_deals::parse(&text, crate::sim::open_deals::Format::of(file), model, lang).map_err(
        |errors| {
            for e in &errors {
                eprint!("{}", e.render(&shown, lang));
            }
            EXIT_INPUT
        },
    )
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

/// `+1 234 ± 56`: a paired difference with the half-width of its interval.
pub(super) fn signed(p: &Paired, lang: Lang) -> String {
    let sign = if p.mean > 0.0 { "+" } else { "" };
    let half = (p.ci95[1] - p.ci95[0]) / 2.0;
    format!("{sign}{} ± {}", number(p.mean, lang), number(half, lang))
}

fn signed_pct(p: &Paired, lang: Lang) -> String {
    let sign = if p.mean > 0.0 { "+" } else { "" };
    let half = (p.ci95[1] - p.ci95[0]) / 2.0;
    format!("{sign}{} ± {}", percent(p.mean, lang), percent(half, lang))
}

/// «Сценарии»: one column per scenario, each value with its paired difference from the
/// baseline.
pub(super) fn scenarios_table(out: &mut String, base: &SimResult, scenarios: &[ScenarioResult], lang: Lang) {
    if scenarios.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Сценарии (среднее; Δ к базе ± 95% ДИ парной разности)",
            "Scenarios (mean; Δ vs baseline ± 95% CI of the paired difference)"
        )
    );
    let mut head = vec![String::new(), lang.pick("база", "baseline").to_owned()];
    head.extend(scenarios.iter().map(|s| s.name.clone()));
    let mut rows = vec![head];
    let mut won = vec![
        lang.pick("Сделки", "Deals won").to_owned(),
        number(base.won.mean, lang),
    ];
    let mut won_d = vec![lang.pick("  Δ сделки", "  Δ deals").to_owned(), String::new()];
    let mut rev = vec![
        lang.pick("Выручка", "Revenue").to_owned(),
        number(base.revenue.mean, lang),
    ];
    let mut rev_d = vec![lang.pick("  Δ выручка", "  Δ revenue").to_owned(), String::new()];
    for s in scenarios {
        won.push(number(s.won.mean, lang));
        won_d.push(signed(&s.delta.won, lang));
        rev.push(number(s.revenue.mean, lang));
        rev_d.push(signed(&s.delta.revenue, lang));
    }
    rows.extend([won, won_d, rev, rev_d]);
    if let Some(p) = base.plan_probability {
        let mut plan = vec![lang.pick("P(план)", "P(plan)").to_owned(), percent(p, lang)];
        let mut plan_d = vec![lang.pick("  Δ P(план)", "  Δ P(plan)").to_owned(), String::new()];
        for s in scenarios {
            plan.push(s.plan_probability.map_or("—".into(), |p| percent(p, lang)));
            plan_d.push(
                s.delta
                    .plan_probability
                    .map_or("—".into(), |p| signed_pct(&p, lang)),
            );
        }
        rows.extend([plan, plan_d]);
    }
    columns(out, &rows);
}

/// «Ценность найма»: one more person per working role, and the busiest role.
pub(super) fn hires_table(out: &mut String, base: &SimResult, hires: &[HireResult], lang: Lang) {
    if hires.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Ценность найма: +1 человек в роли (Δ ± 95% ДИ парной разности)",
            "Value of a hire: one more person in a role (Δ ± 95% CI of the paired difference)"
        )
    );
    let mut rows = vec![
        [
            lang.pick("роль", "role"),
            lang.pick("Δ сделки", "Δ deals"),
            lang.pick("Δ выручка", "Δ revenue"),
            lang.pick("Δ прибыль", "Δ profit"),
            lang.pick("вывод", "verdict"),
            lang.pick("загрузка", "utilisation"),
            lang.pick("самая загруженная с +1", "busiest with +1"),
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    let names = match lang {
        Lang::Ru => MONTHS_RU,
        Lang::En => MONTHS_EN,
    };
    for h in hires {
        let u = base
            .roles
            .iter()
            .find(|r| r.role == h.role)
            .and_then(|r| r.utilization)
            .map_or("—".into(), |u| percent(u.mean, lang));
        let moves = match (&h.constraint_moves, &h.bottleneck) {
            (Some(m), _) => {
                let month = names[(m.calendar_month as usize).clamp(1, 12) - 1];
                match lang {
                    Lang::Ru => format!("{} с {}-го мес. ({month})", m.role, m.month),
                    Lang::En => format!("{} from month {} ({month})", m.role, m.month),
                }
            }
            (None, Some(b)) => b.clone(),
            (None, None) => "—".into(),
        };
        rows.push(vec![
            h.role.clone(),
            signed(&h.won_delta, lang),
            signed(&h.revenue_delta, lang),
            signed(&h.profit_delta, lang),
            h.verdict.text(lang).to_owned(),
            u,
            moves,
        ]);
    }
    columns(out, &rows);
    bottlenecks_by_month(out, base, lang);
}

/// The busiest role month by month, as runs of months: when the department has a bottleneck
/// (`planning::bottleneck`), the month the constraint moves is the month a head of sales should
/// have hired by.
fn bottlenecks_by_month(out: &mut String, base: &SimResult, lang: Lang) {
    let names = match lang {
        Lang::Ru => MONTHS_RU,
        Lang::En => MONTHS_EN,
    };
    let mut runs: Vec<(usize, usize, &str, f64)> = Vec::new();
    for (i, m) in base.months.iter().enumerate() {
        let Some(b) = &m.bottleneck else { continue };
        match runs.last_mut() {
            Some(last) if last.2 == b.role && last.1 + 1 == i => {
                last.1 = i;
                last.3 = last.3.max(b.utilization);
            }
            _ => runs.push((i, i, &b.role, b.utilization)),
        }
    }
    if runs.len() < 2 {
        return;
    }
    let month = |i: usize| {
        let m = &base.months[i];
        names[(m.calendar_month as usize).clamp(1, 12) - 1]
    };
    let parts: Vec<String> = runs
        .iter()
        .map(|&(a, b, role, u)| {
            let span = if a == b {
                month(a).to_string()
            } else {
                format!("{}–{}", month(a), month(b))
            };
            format!(
                "{span}: {role} ({} {})",
                lang.pick("до", "up to"),
                percent(u, lang)
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "  {} {}",
        lang.pick("Самая загруженная роль по месяцам —", "Busiest role by month —"),
        parts.join("; ")
    );
    if crate::planning::bottleneck(base).is_none() {
        return;
    }
    let (from, _, role, _) = runs[1];
    let _ = writeln!(
        out,
        "  {}",
        match lang {
            Lang::Ru => format!(
                "С {}-го месяца ({}) ограничение переходит к роли {role}.",
                base.months[from].month,
                month(from)
            ),
            Lang::En => format!(
                "From {} (month {}) the constraint moves to {role}.",
                month(from),
                base.months[from].month
            ),
        }
    );
}
