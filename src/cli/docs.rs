//! `voronka docs FILE --out DIR [--format md,html,docx] [--templates DIR] [--only KIND]
//! [--forecast [--runs N --seed S]]`: writes the regulation (with the forecast appendix when
//! asked), the role memos and job descriptions and the report forms;
//! `voronka docs --list-templates` lists the template files and `voronka init-templates DIR`
//! copies them out for editing. A file with errors is refused (exit 1, diagnostics as
//! `check` prints them); a broken template is exit 1 with its file, line and column; an I/O
//! failure is exit 2. Every file is written to a temporary name and renamed, so a reader never
//! sees half a document.

use super::args::{DocFormat, DocKindArg, DocsArgs, InitTemplatesArgs};
use super::{Checked, EXIT_INPUT, EXIT_OK, EXIT_USAGE, Show, compiled_for};
use crate::diag::Lang;
use crate::render::{DocKind, DocsOptions, OutFormat, OutputFile, TEMPLATES, documents, embedded};

pub fn run(args: &DocsArgs, lang: impl Into<Lang>, options: &crate::Options) -> i32 {
    let lang = lang.into();
    if args.list_templates {
        for (name, ru, en) in TEMPLATES {
            println!("{name:<14} {}", lang.pick(ru, en));
        }
        return EXIT_OK;
    }
    // clap requires both unless --list-templates is given.
    let (Some(file), Some(out)) = (&args.file, &args.out) else {
        return EXIT_USAGE;
    };
    let refused = (
        "документы не сформированы: сначала исправьте ошибки в положении",
        "no documents: fix the errors in the regulation first",
    );
    // The analysis the checks made, not a second one.
    let Checked { model, analysis, .. } = match compiled_for(file, lang, options, Show::All, Some(refused)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Err(code) = super::compare::check_templates(args.templates.as_deref(), lang) {
        return code;
    }
    let mut formats: Vec<OutFormat> = Vec::new();
    for f in &args.format {
        let f = match f {
            DocFormat::Md => OutFormat::Md,
            DocFormat::Html => OutFormat::Html,
            DocFormat::Docx => OutFormat::Docx,
        };
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    let opts = DocsOptions {
        formats,
        lang,
        templates: args.templates.clone(),
        only: args.only.map(|k| match k {
            DocKindArg::Regulation => DocKind::Regulation,
            DocKindArg::Memo => DocKind::Memo,
            DocKindArg::Job => DocKind::Job,
            DocKindArg::Forms => DocKind::Forms,
        }),
        // Only the Положение prints the forecast.
        forecast: (args.forecast && matches!(args.only, None | Some(DocKindArg::Regulation)))
            .then(|| forecast(&model, args.runs, args.seed, lang)),
    };
    let files = match documents(&model, &analysis, &opts) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{}: {e}", lang.pick("ошибка", "error"));
            return EXIT_INPUT;
        }
    };
    if let Err(code) = super::write_files(out, &files, lang) {
        return code;
    }
    for file in &files {
        println!("{}", out.join(&file.name).display());
    }
    EXIT_OK
}

/// `voronka init-templates DIR [--force]`: the built-in templates of the chosen language, to
/// edit and pass back with `--templates DIR`. Existing files are kept unless `--force`; then
/// nothing is written at all, so a half-copied folder never mixes old and new files.
pub fn init_templates(args: &InitTemplatesArgs, lang: Lang) -> i32 {
    let files = embedded(lang);
    if !args.force {
        let existing: Vec<_> = files
            .iter()
            .map(|(name, _)| args.dir.join(name))
            .filter(|p| p.exists())
            .collect();
        if !existing.is_empty() {
            for p in &existing {
                eprintln!(
                    "{}: {}",
                    lang.pick("ошибка: файл уже существует", "error: the file exists"),
                    p.display()
                );
            }
            eprintln!(
                "{}",
                lang.pick(
                    "подсказка: --force перезапишет эти файлы встроенными шаблонами",
                    "help: --force overwrites them with the built-in templates"
                )
            );
            return EXIT_INPUT;
        }
    }
    let files: Vec<OutputFile> = files
        .iter()
        .map(|(name, text)| OutputFile {
            name: name.to_string(),
            contents: text.as_bytes().to_vec(),
        })
        .collect();
    if let Err(code) = super::write_files(&args.dir, &files, lang) {
        return code;
    }
    for file in &files {
        println!("{}", args.dir.join(&file.name).display());
    }
    EXIT_OK
}

/// `--forecast`: the simulation whose summary becomes an appendix of the Положение.
fn forecast(model: &crate::model::Model, runs: u32, seed: u64, lang: Lang) -> crate::sim::SimResult {
    let progress = super::compare::Progress::new(u64::from(runs), false, lang);
    let tick = |n: u64| progress.tick(n);
    let options = crate::sim::SimOptions {
        runs,
        seed,
        progress: progress.on.then_some(&tick as &(dyn Fn(u64) + Sync)),
        ..Default::default()
    };
    let result = crate::sim::simulate(model, &options);
    progress.finish();
    result
}
