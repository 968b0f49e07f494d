//! Reading the root file and its includes. Paths in `подключить` are relative to the including
//! file; a cycle is an error naming it; a file included twice is read once.

use crate::diag::{Diagnostic, Diagnostics, Kind, Msg};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::{self, Rule, ast};
use std::path::{Path, PathBuf};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 64 << 20;
/// The deepest chain of includes (a file including a file including …).
pub const MAX_INCLUDE_DEPTH: usize = 64;
/// The most files in one compilation, the root among them.
pub const MAX_FILES: usize = 1000;
/// Bytes of all the files of one regulation together: a thousand includes of [`MAX_FILE_BYTES`]
/// each would otherwise hold 64 GiB.
pub const MAX_TOTAL_BYTES: usize = 256 << 20;

/// Everything read for one compilation.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    /// Parsed files in include order (the root first).
    pub files: Vec<(FileId, ast::File)>,
    pub diags: Diagnostics,
    /// The root file itself could not be read (an I/O failure, exit code 3).
    pub io_failure: bool,
    /// The canonical path of every file read, so an include is looked up once, not against
    /// every file loaded before it.
    canonical: std::collections::HashSet<PathBuf>,
    /// Bytes of every file read so far (at most [`MAX_TOTAL_BYTES`]).
    bytes: usize,
}

/// Texts held in memory that take the place of files on disk (an editor's unsaved buffers),
/// looked up by the path a file is read from.
pub type Overlay<'a> = &'a dyn Fn(&Path) -> Option<String>;

pub fn load(root: &Path) -> Loaded {
    load_overlay(root, &|_| None)
}

/// [`load`], reading every file (the root and its includes) from `overlay` when it has it.
pub fn load_overlay(root: &Path, overlay: Overlay) -> Loaded {
    let mut loaded = Loaded::default();
    let mut stack = Vec::new();
    match read(root, false, overlay) {
        Ok(bytes) => {
            loaded.bytes = bytes.len();
            load_text(&mut loaded, root.to_path_buf(), bytes, &mut stack, overlay);
        }
        Err(kind) => {
            loaded.io_failure = true;
            loaded.diags.push(Diagnostic::at_file(kind, root));
        }
    }
    loaded
}

/// Loads text that is already in memory (tests, the editor).
pub fn load_str(path: &Path, text: &str) -> Loaded {
    let mut loaded = Loaded {
        bytes: text.len(),
        ..Loaded::default()
    };
    load_text(
        &mut loaded,
        path.to_path_buf(),
        text.as_bytes().to_vec(),
        &mut Vec::new(),
        &|_| None,
    );
    loaded
}

/// Reads a file; `included` says whether an include asked for it (for the hint). Only a regular
/// file is read (a folder, a device or a pipe is refused before it is opened, so a FIFO cannot
/// hang the read), and reading stops at [`MAX_FILE_BYTES`], so `/dev/zero` cannot fill memory.
pub(crate) fn read(path: &Path, included: bool, overlay: Overlay) -> Result<Vec<u8>, Kind> {
    if let Some(text) = overlay(path) {
        return Ok(text.into_bytes());
    }
    let shown = path.display().to_string();
    let not_found = |e: std::io::Error| Kind::FileNotFound {
        path: shown.clone(),
        reason: io_reason(&e),
        included,
    };
    match read_capped(path, MAX_FILE_BYTES) {
        Ok(bytes) => Ok(bytes),
        Err(ReadError::NotRegular) => Err(Kind::NotAFile { path: shown }),
        Err(ReadError::TooLarge) => Err(Kind::TooLarge {
            limit: MAX_FILE_BYTES,
        }),
        Err(ReadError::Io(e)) => Err(not_found(e)),
    }
}

/// Why [`read_capped`] gave nothing.
#[derive(Debug)]
pub enum ReadError {
    /// A folder, a device, a pipe or a socket.
    NotRegular,
    /// More than the cap.
    TooLarge,
    Io(std::io::Error),
}

impl ReadError {
    /// The reason, in the user's language (the path is printed by the caller).
    pub fn show(&self, lang: crate::diag::Lang) -> String {
        match self {
            ReadError::NotRegular => lang
                .pick(
                    "это не обычный файл (папка, устройство или канал)",
                    "it is not a regular file (a folder, a device or a pipe)",
                )
                .into(),
            ReadError::TooLarge => format!(
                "{} {} {}",
                lang.pick("файл больше", "the file is larger than"),
                MAX_FILE_BYTES >> 20,
                lang.pick("МиБ", "MiB")
            ),
            ReadError::Io(e) => e.to_string(),
        }
    }
}

/// Reads a regular file of at most `cap` bytes. The type is checked before the file is opened
/// (opening a FIFO would block) and again on the open handle; the read stops at `cap + 1`.
pub fn read_capped(path: &Path, cap: usize) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > cap as u64 {
        return Err(ReadError::TooLarge);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() > cap {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// [`read_capped`] at [`MAX_FILE_BYTES`] as UTF-8 text (scenario and open-deal files).
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = read_capped(path, MAX_FILE_BYTES)?;
    String::from_utf8(bytes)
        .map_err(|e| ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

fn io_reason(e: &std::io::Error) -> Msg {
    match e.kind() {
        std::io::ErrorKind::NotFound => Msg::new("файл не существует", "no such file"),
        std::io::ErrorKind::PermissionDenied => Msg::new("нет прав на чтение", "permission denied"),
        _ => Msg::new(e.to_string(), e.to_string()),
    }
}

/// Old Mac line endings: a `\r` not followed by `\n` becomes `\n` (the same length, so every
/// offset stays), so a `#` comment ends at the line's end and lines are counted right.
fn lone_cr_to_lf(mut bytes: Vec<u8>) -> Vec<u8> {
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    bytes
}

fn load_text(loaded: &mut Loaded, path: PathBuf, bytes: Vec<u8>, stack: &mut Vec<PathBuf>, overlay: Overlay) {
    let text = match String::from_utf8(lone_cr_to_lf(bytes)) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let id = loaded.sources.add(path, valid);
            loaded.diags.push(Diagnostic::new(
                Kind::InvalidUtf8 { offset },
                Span::new(id, offset, offset),
            ));
            return;
        }
    };
    let id = loaded.sources.add(path.clone(), text);
    let text = &loaded.sources.get(id).text;
    let (file, parse_diags) = syntax::parse(id, text);
    let empty = file.items.is_empty() && parse_diags.is_empty();
    loaded.diags.extend(parse_diags);
    if empty {
        loaded
            .diags
            .push(Diagnostic::new(Kind::EmptyFile, Span::new(id, 0, 0)));
    }
    let includes: Vec<(PathBuf, Span)> = file
        .items
        .iter()
        .filter(|s| s.key == Rule::include)
        .filter_map(|s| s.title().map(|t| (PathBuf::from(&t.value), t.span)))
        .collect();
    loaded.files.push((id, file));
    let canonical = path.canonicalize().unwrap_or(path.clone());
    loaded.canonical.insert(canonical.clone());
    stack.push(canonical);
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut seen_here = std::collections::HashSet::new();
    for (rel, span) in includes {
        let target = base.join(&rel);
        let canonical = target.canonicalize().unwrap_or(target.clone());
        if let Some(pos) = stack.iter().position(|p| *p == canonical) {
            let mut cycle: Vec<String> = stack[pos..]
                .iter()
                .map(|p| {
                    p.file_name()
                        .map_or(p.display().to_string(), |n| n.to_string_lossy().into_owned())
                })
                .collect();
            cycle.push(cycle[0].clone());
            loaded
                .diags
                .push(Diagnostic::new(Kind::IncludeCycle { cycle }, span));
            continue;
        }
        let repeated_here = !seen_here.insert(canonical.clone());
        if loaded.canonical.contains(&canonical) {
            // A file shared by several includes (a diamond) is read once, quietly; the same
            // include written twice in one file is worth a warning.
            if !repeated_here {
                continue;
            }
            loaded.diags.push(Diagnostic::new(
                Kind::IncludedTwice {
                    path: rel.display().to_string(),
                },
                span,
            ));
            continue;
        }
        let too_many = Diagnostic::new(
            Kind::TooManyIncludes {
                depth: MAX_INCLUDE_DEPTH,
                files: MAX_FILES,
                mib: MAX_TOTAL_BYTES >> 20,
            },
            span,
        );
        if stack.len() >= MAX_INCLUDE_DEPTH || loaded.sources.len() >= MAX_FILES {
            loaded.diags.push(too_many);
            break;
        }
        match read(&target, true, overlay) {
            Ok(bytes) if loaded.bytes + bytes.len() > MAX_TOTAL_BYTES => {
                loaded.diags.push(too_many);
                break;
            }
            Ok(bytes) => {
                loaded.bytes += bytes.len();
                load_text(loaded, target, bytes, stack, overlay);
            }
            Err(kind) => loaded.diags.push(Diagnostic::new(kind, span)),
        }
    }
    stack.pop();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The includes of one regulation share one byte budget: an include that would take the
    /// total past [`MAX_TOTAL_BYTES`] is refused with E0052 and not read into the regulation.
    #[test]
    fn includes_share_one_byte_budget() {
        let part = "роль Менеджер { штат 1 }\n".repeat(4);
        let overlay = |p: &Path| (p == Path::new("/virtual/part.sales")).then(|| part.clone());
        let root = "подключить \"part.sales\"\n";
        let run = |already: usize| {
            let mut loaded = Loaded {
                bytes: already,
                ..Loaded::default()
            };
            load_text(
                &mut loaded,
                PathBuf::from("/virtual/main.sales"),
                root.as_bytes().to_vec(),
                &mut Vec::new(),
                &overlay,
            );
            loaded
        };
        let fits = run(root.len());
        assert_eq!(fits.sources.len(), 2);
        assert_eq!(fits.bytes, root.len() + part.len());
        assert!(fits.diags.iter().all(|d| d.code() != "E0052"));
        let full = run(MAX_TOTAL_BYTES - part.len() + 1);
        assert_eq!(full.sources.len(), 1, "the include is not read in");
        assert!(full.diags.iter().any(|d| d.code() == "E0052"));
    }
}
