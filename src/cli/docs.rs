//! `voronka docs FILE --out DIR [--format md,html] [--templates DIR] [--only KIND]`: writes
//! the regulation and the role memos. A file with errors is refused (exit 1, diagnostics as
//! `check` prints them); a broken template is exit 1 with its file, line and column; an I/O
//! failure is exit 2. Every file is written to a temporary name and renamed, so a reader never
//! sees half a document.

use super::args::{DocFormat, DocKindArg, DocsArgs};
use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE, Show, model_for, write_atomically};
use crate::analyze::analyze;
use crate::diag::Lang;
use crate::render::{DocKind, DocsOptions, OutFormat, documents};

pub fn run(args: &DocsArgs, lang: impl Into<Lang>, options: &crate::Options) -> i32 {
    let lang = lang.into();
    let refused = (
        "документы не сформированы: сначала исправьте ошибки в положении",
        "no documents: fix the errors in the regulation first",
    );
    let model = match model_for(&args.file, lang, options, Show::All, Some(refused)) {
        Ok(m) => m,
        Err(code) => return code,
    };
    if let Some(dir) = &args.templates
        && !dir.is_dir()
    {
        eprintln!(
            "{}: {}",
            lang.pick("ошибка: нет папки шаблонов", "error: no templates folder"),
            dir.display()
        );
        return EXIT_USAGE;
    }
    let mut formats: Vec<OutFormat> = Vec::new();
    for f in &args.format {
        let f = match f {
            DocFormat::Md => OutFormat::Md,
            DocFormat::Html => OutFormat::Html,
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
        }),
    };
    let analysis = analyze(&model);
    let files = match documents(&model, &analysis, &opts) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{}: {e}", lang.pick("ошибка", "error"));
            return EXIT_INPUT;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!(
            "{} {}: {e}",
            lang.pick("ошибка: не удалось создать папку", "error: cannot create folder"),
            args.out.display()
        );
        return EXIT_USAGE;
    }
    for file in &files {
        if let Err(e) = write_atomically(&args.out.join(&file.name), file.contents.as_bytes()) {
            eprintln!(
                "{} {}: {e}",
                lang.pick("ошибка записи", "cannot write"),
                args.out.join(&file.name).display()
            );
            return EXIT_USAGE;
        }
        println!("{}", args.out.join(&file.name).display());
    }
    EXIT_OK
}
