//! `voronka build FILE --out DIR [--runs N] [--seed S] [-q]`: everything in one folder. The
//! file is checked first (errors stop the build, exit 1; nothing is written); then every
//! [`Part`] makes the files of its sub-folder from the same inputs, and `index.md` lists what
//! was produced. No timestamps and a fixed default seed: the same file gives the same bytes.
//!
//! A new output is one more line in [`PARTS`] (and, when it needs something new computed
//! once, a field of [`Inputs`]).

use super::args::BuildArgs;
use super::{Checked, DiagFormat, EXIT_INPUT, EXIT_OK, Show, compiled_for, print_diagnostics, write_build};
use crate::analyze::Analysis;
use crate::crm::{self, CrmError, CrmOptions, Setup, Target};
use crate::diag::Lang;
use crate::model::Model;
use crate::render::{DocsOptions, OutFormat, OutputFile, documents};
use crate::sim::{SimOptions, SimResult};
use std::fmt::Write as _;

/// Everything the parts read, computed once.
pub(super) struct Inputs<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    pub forecast: &'a SimResult,
    /// The forecast's replications (histograms) and the value of a hire per role.
    pub runs: &'a crate::sim::Runs,
    pub hires: &'a [crate::planning::HireResult],
    pub setup: &'a Setup,
    pub lang: Lang,
}

/// One sub-folder of the build.
struct Part {
    folder: &'static str,
    /// What the folder holds, for `index.md` (Russian, English).
    title: (&'static str, &'static str),
    make: fn(&Inputs) -> Result<Vec<OutputFile>, String>,
}

/// The parts in the order `index.md` lists them. Several parts may share a folder.
const PARTS: &[Part] = &[
    Part {
        folder: "analysis",
        title: (
            "Расчёт: конверсии, циклы, нагрузка ролей, разрыв с планом",
            "Analysis: conversion, cycle, role load, plan gap",
        ),
        make: analysis,
    },
    Part {
        folder: "forecast",
        title: (
            "Прогноз Монте-Карло: таблица, JSON и отчёт с графиками (HTML), ценность найма",
            "Monte Carlo forecast: table, JSON and the report with charts (HTML), value of a hire",
        ),
        make: forecast,
    },
    Part {
        folder: "documents",
        title: (
            "Положение о системе продаж (с приложением прогноза), памятки и должностные инструкции ролей, формы отчётов — Markdown, HTML, DOCX",
            "The regulation (with the forecast appendix), role memos and job descriptions, report forms — Markdown, HTML, DOCX",
        ),
        make: docs,
    },
    Part {
        folder: "crm",
        title: (
            "Настройка CRM: amoCRM, Битрикс24, HubSpot, Pipedrive",
            "CRM set-up: amoCRM, Bitrix24, HubSpot, Pipedrive",
        ),
        make: crm_files,
    },
    Part {
        folder: "graph",
        title: (
            "Схемы процесса: DOT, Mermaid, SVG по воронкам",
            "Process diagrams: DOT, Mermaid, SVG per pipeline",
        ),
        make: graph,
    },
];

fn file(name: impl Into<String>, contents: impl Into<Vec<u8>>) -> OutputFile {
    OutputFile {
        name: name.into(),
        contents: contents.into(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

fn analysis(i: &Inputs) -> Result<Vec<OutputFile>, String> {
    let horizon = crate::sim::fluid::horizon(i.model);
    Ok(vec![
        file(
            "analysis.txt",
            crate::render::report::analyze::text(i.analysis, &horizon, i.lang),
        ),
        file(
            "analysis.json",
            json(&crate::render::report::analyze::Report {
                analysis: i.analysis,
                horizon: &horizon,
            })?,
        ),
    ])
}

fn forecast(i: &Inputs) -> Result<Vec<OutputFile>, String> {
    // The table as `voronka simulate` prints it, with the value of a hire.
    let mut table = crate::render::report::forecast::table(i.forecast, i.lang);
    crate::render::report::compare::hires_table(&mut table, i.forecast, i.hires, i.lang);
    Ok(vec![
        file("forecast.txt", table),
        file("forecast.json", json(i.forecast)?),
        file("forecast.html", forecast_html(i)?),
    ])
}

fn forecast_html(i: &Inputs) -> Result<String, String> {
    let report = crate::render::forecast::Forecast {
        result: i.forecast,
        revenue_runs: &i.runs.revenue,
        won_runs: &i.runs.won,
        scenarios: &[],
        hires: i.hires,
    };
    crate::render::forecast::report(i.model, &report, i.lang, None).map_err(|e| e.to_string())
}

fn docs(i: &Inputs) -> Result<Vec<OutputFile>, String> {
    let options = DocsOptions {
        formats: vec![OutFormat::Md, OutFormat::Html, OutFormat::Docx],
        lang: i.lang,
        templates: None,
        only: None,
        forecast: Some(i.forecast.clone()),
    };
    documents(i.model, i.analysis, &options).map_err(|e| e.to_string())
}

fn crm_files(i: &Inputs) -> Result<Vec<OutputFile>, String> {
    let options = CrmOptions {
        targets: Target::ALL.to_vec(),
        lang: i.lang,
        script: true,
    };
    // Limits were checked before anything was written; warnings were printed then.
    let outputs = crm::render(i.model, i.setup, &[], &options).map_err(|e| match e {
        CrmError::Template(t) => t.to_string(),
        CrmError::Limits(_) => "CRM".to_string(),
    })?;
    let mut files = crm::files(&outputs);
    files.push(file("stages.yaml", crm::to_yaml(i.setup)?));
    Ok(files)
}

fn graph(i: &Inputs) -> Result<Vec<OutputFile>, String> {
    let g = crate::graph::build(i.model);
    let mut files = vec![
        file("process.dot", crate::graph::to_dot(&g, i.lang)),
        file("process.mmd", crate::graph::to_mermaid(&g, i.lang)),
    ];
    for (k, p) in i.model.pipelines.iter().enumerate() {
        files.push(file(
            format!("{:02}-{}.svg", k + 1, p.name),
            crate::render::svg::pipeline(i.model, p, i.lang),
        ));
    }
    Ok(files)
}

fn step(n: usize, total: usize, what: &str, quiet: bool) {
    if !quiet {
        eprintln!("[{n}/{total}] {what}");
    }
}

pub fn run(args: &BuildArgs, lang: Lang, options: &crate::Options) -> i32 {
    let total = PARTS.len() + 2;
    step(
        1,
        total,
        lang.pick("проверка положения", "checking the regulation"),
        args.quiet,
    );
    let refused = (
        "сборка остановлена: сначала исправьте ошибки в положении",
        "build stopped: fix the errors in the regulation first",
    );
    let Checked {
        model,
        analysis,
        sources,
        diagnostics,
    } = match compiled_for(&args.file, lang, options, Show::All, Some(refused)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let setup = crm::setup::with_values(&model, &analysis.stage_values, lang);
    // The CRM's limits (E0042) stop the build; its warnings were counted with the file's.
    let crm_errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    if !crm_errors.is_empty() {
        print_diagnostics(&sources, &crm_errors, DiagFormat::Human, lang);
        eprintln!("{}", lang.pick(refused.0, refused.1));
        return EXIT_INPUT;
    }
    let warnings = diagnostics.len();

    let open_deals = match super::compare::load_open_deals(args.open_deals.as_deref(), &model, lang) {
        Ok(deals) => deals,
        Err(code) => return code,
    };
    step(2, total, lang.pick("прогноз", "forecast"), args.quiet);
    let hire_roles = crate::planning::working_roles(&model, &SimOptions::default()).len();
    let steps = super::compare::forecast_steps(args.runs, 0, hire_roles, lang);
    let progress = super::compare::Progress::steps(steps, args.quiet, lang);
    let tick = |n: u64| progress.tick(n);
    let sim_options = SimOptions {
        runs: args.runs,
        seed: args.seed,
        months: None,
        threads: None,
        progress: progress.on.then_some(&tick as &(dyn Fn(u64) + Sync)),
        open_deals: &open_deals,
        start: args.start.map(Into::into),
        shared: None,
    };
    // The value of a hire runs with the baseline's seed: common random numbers.
    let (forecast, runs) = crate::planning::run(&model, &sim_options);
    let hires = crate::planning::hires(&model, &forecast, &runs, &sim_options, args.precision);
    progress.finish();

    let inputs = Inputs {
        model: &model,
        analysis: &analysis,
        forecast: &forecast,
        runs: &runs,
        hires: &hires,
        setup: &setup,
        lang,
    };
    let mut produced: Vec<(&Part, Vec<OutputFile>)> = Vec::new();
    for (k, part) in PARTS.iter().enumerate() {
        step(k + 3, total, lang.pick(part.title.0, part.title.1), args.quiet);
        match (part.make)(&inputs) {
            Ok(files) => produced.push((part, files)),
            Err(e) => {
                eprintln!("{}: {}: {e}", lang.pick("ошибка", "error"), part.folder);
                return EXIT_INPUT;
            }
        }
    }
    let mut all: Vec<OutputFile> = Vec::new();
    for (part, files) in &produced {
        all.extend(
            files
                .iter()
                .map(|f| file(format!("{}/{}", part.folder, f.name), f.contents.clone())),
        );
    }
    all.push(file(
        "index.md",
        index(&args.file, &model, &produced, warnings, args, lang),
    ));
    if let Err(code) = write_build(&args.out, &all, lang) {
        return code;
    }
    println!("{}", args.out.join("index.md").display());
    EXIT_OK
}

/// `index.md`: what each folder holds, with a link to every file.
fn index(
    source: &std::path::Path,
    model: &Model,
    produced: &[(&Part, Vec<OutputFile>)],
    warnings: usize,
    args: &BuildArgs,
    lang: Lang,
) -> String {
    let name = source.file_name().map_or_else(
        || source.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let title = model.header.title.clone().unwrap_or_else(|| {
        lang.pick("Положение о системе продаж", "Sales regulation")
            .to_string()
    });
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: {}\n",
        lang.pick("Сборка voronka", "voronka build"),
        title
    );
    let _ = writeln!(
        out,
        "{} `{name}`. {} {warnings} ({}).",
        lang.pick(
            "Всё в этой папке создано из файла",
            "Everything in this folder was generated from"
        ),
        lang.pick("Ошибок нет; предупреждений:", "No errors; warnings:"),
        lang.pick("подробно — `voronka check`", "details: `voronka check`")
    );
    let _ = writeln!(
        out,
        "{} {} {}, {} {}. {}\n",
        lang.pick("Прогноз —", "The forecast:"),
        args.runs,
        lang.pick("прогонов", "runs"),
        lang.pick("зерно", "seed"),
        args.seed,
        lang.pick(
            "Тот же файл и те же параметры дают те же файлы байт в байт.",
            "The same file and options give byte-identical files."
        )
    );
    let mut folders: Vec<&str> = Vec::new();
    for (part, _) in produced {
        if !folders.contains(&part.folder) {
            folders.push(part.folder);
        }
    }
    for folder in folders {
        let parts: Vec<&(&Part, Vec<OutputFile>)> =
            produced.iter().filter(|(p, _)| p.folder == folder).collect();
        let titles: Vec<&str> = parts
            .iter()
            .map(|(p, _)| lang.pick(p.title.0, p.title.1))
            .collect();
        let _ = writeln!(out, "## {folder}/ — {}\n", titles.join("; "));
        // Files of a sub-folder (request bodies of one pipeline) are listed as the folder.
        let mut listed: Vec<(String, usize)> = Vec::new();
        for (_, files) in parts {
            for f in files {
                let entry = match f.name.rsplit_once('/') {
                    Some((dir, _)) if dir.contains('/') => format!("{folder}/{dir}/"),
                    _ => format!("{folder}/{}", f.name),
                };
                match listed.iter_mut().find(|(e, _)| *e == entry) {
                    Some((_, n)) => *n += 1,
                    None => listed.push((entry, 1)),
                }
            }
        }
        for (path, n) in listed {
            let link = path.replace(' ', "%20");
            if path.ends_with('/') {
                let files = match lang {
                    Lang::Ru => crate::diag::plural_ru(n as u64, "файл", "файла", "файлов"),
                    Lang::En if n == 1 => "file",
                    Lang::En => "files",
                };
                let _ = writeln!(out, "- [{path}]({link}) — {n} {files}");
            } else {
                let _ = writeln!(out, "- [{path}]({link})");
            }
        }
        out.push('\n');
    }
    out
}
