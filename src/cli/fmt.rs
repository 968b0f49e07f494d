//! `voronka fmt FILE… [--check] [--normalize-units]`: rewrites each named file in the canonical
//! layout (includes are not followed). With `--check` nothing is written: a unified diff of every
//! file that is not formatted goes to stdout, and the exit code is 1. A file with syntax errors
//! is never written: its diagnostics are printed and the exit code is 1.

use super::args::FmtArgs;
use super::{DiagFormat, EXIT_INPUT, EXIT_IO, EXIT_OK, print_diagnostics, write_atomically};
use crate::diag::{Diagnostic, Kind, Lang};
use crate::fmt::{FormatError, Options, format_text_with};
use crate::source::{SourceMap, Span};
use std::path::Path;

pub fn run(args: &FmtArgs, lang: Lang) -> i32 {
    let options = Options {
        normalize_units: args.normalize_units,
    };
    args.files
        .iter()
        .map(|file| one(file, args.check, &options, lang))
        .max()
        .unwrap_or(EXIT_OK)
}

fn one(path: &Path, check: bool, options: &Options, lang: Lang) -> i32 {
    let bytes = match crate::load::read(path, false, &|_| None) {
        Ok(b) => b,
        Err(kind) => {
            let diag = Diagnostic::at_file(kind, path);
            print_diagnostics(&SourceMap::new(), &[diag], DiagFormat::Human, lang);
            return EXIT_IO;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let mut sources = SourceMap::new();
            let id = sources.add(
                path,
                String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned(),
            );
            let diag = Diagnostic::new(Kind::InvalidUtf8 { offset }, Span::new(id, offset, offset));
            print_diagnostics(&sources, &[diag], DiagFormat::Human, lang);
            return EXIT_INPUT;
        }
    };
    let formatted = match format_text_with(path, &text, options) {
        Ok(f) => f,
        Err(FormatError::Syntax { sources, diagnostics }) => {
            print_diagnostics(&sources, &diagnostics, DiagFormat::Human, lang);
            eprintln!(
                "{} {}",
                lang.pick("файл не отформатирован:", "file not formatted:"),
                path.display()
            );
            return EXIT_INPUT;
        }
        Err(FormatError::Unstable) => {
            eprintln!(
                "{}: {}",
                path.display(),
                lang.pick(
                    "ошибка форматирования: результат читался бы иначе, чем исходный файл, поэтому файл оставлен как есть; сообщите, пожалуйста, об этом разработчикам",
                    "formatter error: the result would not read as the original, so the file is left as it is; please report this"
                )
            );
            return EXIT_INPUT;
        }
    };
    if formatted == text {
        return EXIT_OK;
    }
    if check {
        let shown = path.display().to_string();
        // `a/` and `b/` as git writes them for a relative path; an absolute one stays as it is.
        let (old, new) = if path.is_absolute() {
            (shown.clone(), shown)
        } else {
            (format!("a/{shown}"), format!("b/{shown}"))
        };
        let diff = similar::TextDiff::from_lines(&text, &formatted);
        print!("{}", diff.unified_diff().context_radius(3).header(&old, &new));
        return EXIT_INPUT;
    }
    match write_atomically(path, formatted.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("{}", e.show(lang));
            EXIT_IO
        }
    }
}
