//! Rendering diagnostics: rustc-style text through codespan-reporting, a one-line short form,
//! and JSON for scripts and editors. Printing itself happens only in the CLI.

use super::{Diagnostic, Lang, Location, Severity, plural_ru};
use crate::source::{FileId, SourceMap};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;
use serde::Serialize;
use std::ops::Range;

/// The shape of one diagnostic in `--format json`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonDiagnostic {
    pub code: String,
    pub severity: String,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub help: Option<String>,
}

struct FilesView<'a>(&'a SourceMap);

impl<'a> Files<'a> for FilesView<'a> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(self.0.get(id).path.display().to_string())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(id).line_index(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.0.get(id);
        let starts = file.line_starts();
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(file.text.len());
        Ok(start..end)
    }
}

fn to_codespan(d: &Diagnostic, lang: Lang) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut out = cs::Diagnostic::new(severity)
        .with_code(d.code())
        .with_message(d.kind.message().get(lang));
    let mut labels = Vec::new();
    if let Location::Span(span) = d.location {
        labels.push(cs::Label::primary(span.file, span.range()));
    }
    for l in &d.labels {
        labels.push(cs::Label::secondary(l.span.file, l.span.range()).with_message(l.text.get(lang)));
    }
    out = out.with_labels(labels);
    let mut notes = Vec::new();
    if let Location::File(path) = &d.location {
        notes.push(format!("--> {}", path.display()));
    }
    if let Some(help) = d.kind.help() {
        notes.push(format!("{}: {}", lang.pick("подсказка", "help"), help.get(lang)));
    }
    out.with_notes(notes)
}

/// The word before `[code]`: «ошибка», «предупреждение» in Russian (JSON keeps the English
/// `severity` values for scripts).
pub fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Error => lang.pick("ошибка", "error"),
        Severity::Warning => lang.pick("предупреждение", "warning"),
    }
}

/// A style writer that says the severity of the header in the user's language: codespan
/// writes the English word right after it sets the header style.
struct Localised<'a, W: term::WriteStyle + ?Sized> {
    inner: &'a mut W,
    lang: Lang,
    header: bool,
}

impl<W: term::WriteStyle + ?Sized> std::io::Write for Localised<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if std::mem::take(&mut self.header) {
            let word = match buf {
                b"error" => Some(severity_label(Severity::Error, self.lang)),
                b"warning" => Some(severity_label(Severity::Warning, self.lang)),
                _ => None,
            };
            if let Some(word) = word {
                self.inner.write_all(word.as_bytes())?;
                return Ok(buf.len());
            }
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: term::WriteStyle + ?Sized> term::WriteStyle for Localised<'_, W> {
    fn set_header(&mut self, severity: cs::Severity) -> std::io::Result<()> {
        self.header = true;
        self.inner.set_header(severity)
    }
    fn set_header_message(&mut self) -> std::io::Result<()> {
        self.inner.set_header_message()
    }
    fn set_line_number(&mut self) -> std::io::Result<()> {
        self.inner.set_line_number()
    }
    fn set_note_bullet(&mut self) -> std::io::Result<()> {
        self.inner.set_note_bullet()
    }
    fn set_source_border(&mut self) -> std::io::Result<()> {
        self.inner.set_source_border()
    }
    fn set_label(&mut self, severity: cs::Severity, style: cs::LabelStyle) -> std::io::Result<()> {
        self.inner.set_label(severity, style)
    }
    fn reset(&mut self) -> std::io::Result<()> {
        self.inner.reset()
    }
}

/// Renders diagnostics as rustc-style text, into any codespan style writer.
pub fn human<W: term::WriteStyle + ?Sized>(
    out: &mut W,
    sources: &SourceMap,
    diags: &[Diagnostic],
    lang: Lang,
) -> std::io::Result<()> {
    let config = term::Config::default();
    let files = FilesView(sources);
    let mut out = Localised {
        inner: out,
        lang,
        header: false,
    };
    for d in diags {
        term::emit_to_write_style(&mut out, &config, &files, &to_codespan(d, lang))
            .map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// Renders diagnostics as plain rustc-style text.
pub fn human_string(sources: &SourceMap, diags: &[Diagnostic], lang: Lang) -> String {
    let config = term::Config::default();
    let files = FilesView(sources);
    let mut s = String::new();
    for d in diags {
        if let Ok(text) = term::emit_into_string(&config, &files, &to_codespan(d, lang)) {
            // The header opens the text: `error[E0001]: …`.
            let english = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            match text.strip_prefix(english) {
                Some(rest) => {
                    s.push_str(severity_label(d.severity, lang));
                    s.push_str(rest);
                }
                None => s.push_str(&text),
            }
        }
    }
    s
}

/// `file:line:column: severity[code]: message`, one line each.
pub fn short(sources: &SourceMap, diags: &[Diagnostic], lang: Lang) -> String {
    let mut s = String::new();
    for (j, d) in json_values(sources, diags, lang).into_iter().zip(diags) {
        s.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            j.file,
            j.line,
            j.column,
            severity_label(d.severity, lang),
            j.code,
            j.message
        ));
    }
    s
}

pub fn json_values(sources: &SourceMap, diags: &[Diagnostic], lang: Lang) -> Vec<JsonDiagnostic> {
    diags
        .iter()
        .map(|d| {
            let (file, (line, column), (end_line, end_column)) = match &d.location {
                Location::Span(span) => {
                    let f = sources.get(span.file);
                    (
                        f.path.display().to_string(),
                        f.line_col(span.start as usize),
                        f.line_col(span.end as usize),
                    )
                }
                Location::File(path) => (path.display().to_string(), (1, 1), (1, 1)),
            };
            JsonDiagnostic {
                code: d.code().to_string(),
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                }
                .to_string(),
                message: d.kind.message().get(lang).to_string(),
                file,
                line,
                column,
                end_line,
                end_column,
                help: d.kind.help().map(|h| h.get(lang).to_string()),
            }
        })
        .collect()
}

pub fn json(sources: &SourceMap, diags: &[Diagnostic], lang: Lang) -> String {
    serde_json::to_string_pretty(&json_values(sources, diags, lang)).unwrap_or_else(|_| "[]".into())
}

/// The closing line: «найдено 2 ошибки и 1 предупреждение».
pub fn summary(diags: &[Diagnostic], lang: Lang) -> Option<String> {
    let errors = diags.iter().filter(|d| d.is_error()).count() as u64;
    let warnings = diags.len() as u64 - errors;
    if errors == 0 && warnings == 0 {
        return None;
    }
    Some(match lang {
        Lang::Ru => {
            let mut parts = Vec::new();
            if errors > 0 {
                parts.push(format!(
                    "{errors} {}",
                    plural_ru(errors, "ошибка", "ошибки", "ошибок")
                ));
            }
            if warnings > 0 {
                parts.push(format!(
                    "{warnings} {}",
                    plural_ru(warnings, "предупреждение", "предупреждения", "предупреждений")
                ));
            }
            format!("найдено: {}", parts.join(" и "))
        }
        Lang::En => {
            let mut parts = Vec::new();
            if errors > 0 {
                parts.push(format!("{errors} error{}", if errors == 1 { "" } else { "s" }));
            }
            if warnings > 0 {
                parts.push(format!(
                    "{warnings} warning{}",
                    if warnings == 1 { "" } else { "s" }
                ));
            }
            format!("found {}", parts.join(" and "))
        }
    })
}
