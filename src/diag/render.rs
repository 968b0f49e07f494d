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

/// A source line longer than this (bytes) is not shown whole in a diagnostic: only
/// [`SHOWN_AROUND`] characters either side of each label, the rest elided as «…» (a 10 MB
/// single-line file would otherwise be printed, and measured, in full).
pub const MAX_SHOWN_LINE: usize = 240;
/// Characters shown either side of a label on a line longer than [`MAX_SHOWN_LINE`].
pub const SHOWN_AROUND: usize = 100;
const ELISION: &str = "…";

/// A file as the diagnostics show it: its long labelled lines cut to windows around the
/// labels. Every line break is kept, so line numbers stay those of the file.
struct Shown {
    text: String,
    line_starts: Vec<usize>,
    /// The pieces kept: (offset in the file, offset in `text`, length), in order.
    kept: Vec<(usize, usize, usize)>,
}

impl Shown {
    /// Where a file offset is shown; an elided one at the «…» that replaces it.
    fn shown(&self, offset: usize) -> usize {
        let i = self.kept.partition_point(|k| k.0 <= offset);
        match i.checked_sub(1).and_then(|i| self.kept.get(i)) {
            Some(&(file, shown, len)) => shown + (offset - file).min(len),
            None => 0,
        }
    }

    /// The file offset of a shown one.
    fn file(&self, offset: usize) -> usize {
        let i = self.kept.partition_point(|k| k.1 <= offset);
        match i.checked_sub(1).and_then(|i| self.kept.get(i)) {
            Some(&(file, shown, len)) => file + (offset - shown).min(len),
            None => 0,
        }
    }

    /// Cuts the long lines of `file` that carry one of `points` (byte offsets); `None` when no
    /// labelled line is long.
    fn new(file: &crate::source::SourceFile, mut points: Vec<usize>) -> Option<Shown> {
        let text = file.text.as_str();
        let starts = file.line_starts();
        let line_end = |line: usize| starts.get(line + 1).copied().unwrap_or(text.len());
        let long = |line: usize| line_end(line) - starts[line] > MAX_SHOWN_LINE;
        points.retain(|&p| long(file.line_index(p)));
        if points.is_empty() {
            return None;
        }
        points.sort_unstable();
        points.dedup();
        let mut shown = Shown {
            text: String::new(),
            line_starts: Vec::new(),
            kept: Vec::new(),
        };
        let keep = |shown: &mut Shown, from: usize, to: usize| {
            if from < to {
                shown.kept.push((from, shown.text.len(), to - from));
                shown.text.push_str(&text[from..to]);
            }
        };
        let mut done = 0;
        let mut i = 0;
        while let Some(&first) = points.get(i) {
            let line = file.line_index(first);
            let start = starts[line];
            let end = text[start..line_end(line)].trim_end_matches(['\n', '\r']).len() + start;
            keep(&mut shown, done, start);
            // The windows of this line's points, merged where they overlap.
            let mut windows: Vec<(usize, usize)> = Vec::new();
            while let Some(&p) = points.get(i).filter(|&&p| file.line_index(p) == line) {
                let p = floor_boundary(text, p.clamp(start, end));
                let from = text[start..p]
                    .char_indices()
                    .rev()
                    .nth(SHOWN_AROUND - 1)
                    .map_or(start, |(k, _)| start + k);
                let to = text[p..end]
                    .char_indices()
                    .nth(SHOWN_AROUND)
                    .map_or(end, |(k, _)| p + k);
                match windows.last_mut() {
                    Some(last) if from <= last.1 => last.1 = last.1.max(to),
                    _ => windows.push((from, to)),
                }
                i += 1;
            }
            let mut at = start;
            for (from, to) in windows {
                if from > at {
                    shown.text.push_str(ELISION);
                }
                keep(&mut shown, from, to);
                at = to;
            }
            if at < end {
                shown.text.push_str(ELISION);
            }
            done = end;
        }
        keep(&mut shown, done, text.len());
        shown.line_starts = starts.iter().map(|&s| shown.shown(s)).collect();
        Some(shown)
    }
}

/// The largest char boundary at or before `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

struct FilesView<'a> {
    sources: &'a SourceMap,
    /// By file id: the cut text of a file with a long labelled line.
    shown: Vec<Option<Shown>>,
}

impl<'a> FilesView<'a> {
    fn new(sources: &'a SourceMap, diags: &[Diagnostic]) -> FilesView<'a> {
        let mut points: Vec<Vec<usize>> = Vec::new();
        let mut add = |span: crate::source::Span| {
            if span.file.0 as usize >= sources.len() {
                return;
            }
            let file = sources.get(span.file);
            let i = span.file.0 as usize;
            if points.len() <= i {
                points.resize(i + 1, Vec::new());
            }
            let (start, end) = (span.start as usize, span.end as usize);
            points[i].extend([start, end]);
            // A label over several lines marks the lines between at their start.
            let (first, last) = (file.line_index(start), file.line_index(end));
            if last > first + 1 {
                points[i].extend(file.line_starts()[first + 1..last].iter().copied());
            }
        };
        for d in diags {
            if let Location::Span(span) = d.location {
                add(span);
            }
            for l in &d.labels {
                add(l.span);
            }
        }
        let shown = points
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let file = sources.get(FileId(i as u32));
                let text = &file.text;
                let p = p.into_iter().map(|o| floor_boundary(text, o)).collect();
                Shown::new(file, p)
            })
            .collect();
        FilesView { sources, shown }
    }

    fn cut(&self, id: FileId) -> Option<&Shown> {
        self.shown.get(id.0 as usize).and_then(Option::as_ref)
    }

    /// A span of the file as shown.
    fn range(&self, span: crate::source::Span) -> Range<usize> {
        match self.cut(span.file) {
            Some(s) => s.shown(span.start as usize)..s.shown(span.end as usize),
            None => span.range(),
        }
    }
}

impl<'a> Files<'a> for FilesView<'a> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(self.sources.get(id).path.display().to_string())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(match self.cut(id) {
            Some(s) => &s.text,
            None => &self.sources.get(id).text,
        })
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(match self.cut(id) {
            Some(s) => s
                .line_starts
                .partition_point(|&l| l <= byte_index)
                .saturating_sub(1),
            None => self.sources.get(id).line_index(byte_index),
        })
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.sources.get(id);
        let (starts, len) = match self.cut(id) {
            Some(s) => (s.line_starts.as_slice(), s.text.len()),
            None => (file.line_starts(), file.text.len()),
        };
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(len);
        Ok(start..end)
    }

    /// The column in the file, not in the cut line.
    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        match self.cut(id) {
            Some(s) => Ok(self.sources.get(id).line_col(s.file(byte_index)).1),
            None => {
                let range = self.line_range(id, line_index)?;
                Ok(
                    codespan_reporting::files::column_index(&self.sources.get(id).text, range, byte_index)
                        + 1,
                )
            }
        }
    }
}

fn to_codespan(d: &Diagnostic, files: &FilesView, lang: Lang) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut out = cs::Diagnostic::new(severity)
        .with_code(d.code())
        .with_message(d.kind.message().get(lang));
    let mut labels = Vec::new();
    if let Location::Span(span) = d.location {
        labels.push(cs::Label::primary(span.file, files.range(span)));
    }
    for l in &d.labels {
        labels.push(cs::Label::secondary(l.span.file, files.range(l.span)).with_message(l.text.get(lang)));
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
/// writes the English word right after it sets the header style. The text is gathered and
/// handed on before each change of style and at the end: codespan writes a few bytes at a time,
/// and on an unbuffered stderr each was a system call (128 000 for 775 warnings).
struct Localised<'a, W: term::WriteStyle + ?Sized> {
    inner: &'a mut W,
    lang: Lang,
    header: bool,
    pending: Vec<u8>,
}

impl<W: term::WriteStyle + ?Sized> Localised<'_, W> {
    /// Hands the gathered text on.
    fn pass(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            self.inner.write_all(&self.pending)?;
            self.pending.clear();
        }
        Ok(())
    }
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
                self.pending.extend_from_slice(word.as_bytes());
                return Ok(buf.len());
            }
        }
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.pass()?;
        self.inner.flush()
    }
}

impl<W: term::WriteStyle + ?Sized> term::WriteStyle for Localised<'_, W> {
    fn set_header(&mut self, severity: cs::Severity) -> std::io::Result<()> {
        self.pass()?;
        self.header = true;
        self.inner.set_header(severity)
    }
    fn set_header_message(&mut self) -> std::io::Result<()> {
        self.pass()?;
        self.inner.set_header_message()
    }
    fn set_line_number(&mut self) -> std::io::Result<()> {
        self.pass()?;
        self.inner.set_line_number()
    }
    fn set_note_bullet(&mut self) -> std::io::Result<()> {
        self.pass()?;
        self.inner.set_note_bullet()
    }
    fn set_source_border(&mut self) -> std::io::Result<()> {
        self.pass()?;
        self.inner.set_source_border()
    }
    fn set_label(&mut self, severity: cs::Severity, style: cs::LabelStyle) -> std::io::Result<()> {
        self.pass()?;
        self.inner.set_label(severity, style)
    }
    fn reset(&mut self) -> std::io::Result<()> {
        self.pass()?;
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
    let files = FilesView::new(sources, diags);
    let mut out = Localised {
        inner: out,
        lang,
        header: false,
        pending: Vec::new(),
    };
    for d in diags {
        term::emit_to_write_style(&mut out, &config, &files, &to_codespan(d, &files, lang))
            .map_err(std::io::Error::other)?;
    }
    out.pass()
}

/// Renders diagnostics as plain rustc-style text.
pub fn human_string(sources: &SourceMap, diags: &[Diagnostic], lang: Lang) -> String {
    let config = term::Config::default();
    let files = FilesView::new(sources, diags);
    let mut s = String::new();
    for d in diags {
        if let Ok(text) = term::emit_into_string(&config, &files, &to_codespan(d, &files, lang)) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Kind, Msg};
    use crate::source::Span;

    #[test]
    fn a_long_line_is_shown_in_windows_at_character_boundaries() {
        // Three- and four-byte characters, so a window cut by bytes would split one.
        let line = format!(
            "{}ОШИБКА{}ВТОРАЯ{}",
            "語".repeat(300),
            "🙂".repeat(400),
            "ж".repeat(300)
        );
        let text = format!("короткая строка\n{line}\nещё строка\n");
        let mut sources = SourceMap::new();
        let file = sources.add("a.sales", text.clone());
        let at = |s: &str| text.find(s).unwrap();
        let first = Span::new(file, at("ОШИБКА"), at("ОШИБКА") + "ОШИБКА".len());
        let second = Span::new(file, at("ВТОРАЯ"), at("ВТОРАЯ") + "ВТОРАЯ".len());
        let d = Diagnostic::new(Kind::FormulaTooLong { limit: 1 }, first)
            .with_label(second, Msg::new("здесь", "here"));
        let out = human_string(&sources, &[d], Lang::Ru);
        assert!(out.len() < 3_000, "{out}");
        assert!(out.contains("ОШИБКА") && out.contains("ВТОРАЯ"), "{out}");
        // Before, between and after the two windows.
        let shown = out.lines().find(|l| l.contains("ОШИБКА")).unwrap();
        assert_eq!(shown.matches('…').count(), 3, "{shown}");
        assert!(
            shown.contains(&format!("{}ОШИБКА", "語".repeat(SHOWN_AROUND))),
            "{shown}"
        );
        // The location is the file's line and column.
        assert!(out.contains("a.sales:2:301"), "{out}");
        // A short file is shown as it is.
        let mut sources = SourceMap::new();
        let file = sources.add("b.sales", "роль А { штат x }\n".to_string());
        let d = Diagnostic::new(Kind::FormulaTooLong { limit: 1 }, Span::new(file, 23, 24));
        assert!(human_string(&sources, &[d], Lang::Ru).contains("роль А { штат x }"));
    }
}
