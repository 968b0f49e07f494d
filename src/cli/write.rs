//! Writing output files without surprises. Every file goes to a temporary file with a random,
//! exclusively created name (`.voronka-<pid>-<random>.tmp`) in the target folder, and is renamed
//! over the target only when complete, so a reader (or a killed run) never sees half a file.
//! Inside an output folder nothing is followed: a sub-folder or target that is a symbolic link,
//! or a target that is not a regular file (a device, a pipe, a folder), is refused, so nothing
//! outside `--out` is ever written. A temporary file is removed on any error, on SIGINT/SIGTERM,
//! and — when a killed run left one behind — by the next run that writes into that folder.
//! `build` writes `index.md` last and removes the old one first: its presence means the build
//! is complete.

use crate::diag::Lang;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The longest file or folder name written (bytes); most file systems stop at 255.
pub const MAX_NAME_BYTES: usize = 255;

const TEMP_PREFIX: &str = ".voronka-";
const TEMP_SUFFIX: &str = ".tmp";

/// Why a file was not written.
#[derive(Debug)]
pub(crate) enum WriteError {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A symbolic link inside the output folder (a sub-folder or the target).
    Symlink {
        path: PathBuf,
    },
    /// The target exists and is not a regular file (a device, a pipe, a folder).
    NotRegular {
        path: PathBuf,
    },
    /// A name that would leave the folder (`..`, an absolute path) or is empty.
    BadName {
        name: String,
    },
    /// A file or folder name longer than [`MAX_NAME_BYTES`].
    NameTooLong {
        name: String,
    },
}

impl WriteError {
    fn io(path: &Path, error: std::io::Error) -> WriteError {
        WriteError::Io {
            path: path.to_path_buf(),
            error,
        }
    }

    /// The message, in the user's language.
    pub fn show(&self, lang: Lang) -> String {
        match self {
            WriteError::Io { path, error } => format!(
                "{} {}: {error}",
                lang.pick("ошибка записи", "cannot write"),
                path.display()
            ),
            WriteError::Symlink { path } => format!(
                "{} {}: {}",
                lang.pick("ошибка записи", "cannot write"),
                path.display(),
                lang.pick(
                    "это символическая ссылка; внутри папки вывода ссылки не используются, удалите её",
                    "it is a symbolic link; links inside the output folder are not followed, remove it"
                )
            ),
            WriteError::NotRegular { path } => format!(
                "{} {}: {}",
                lang.pick("ошибка записи", "cannot write"),
                path.display(),
                lang.pick(
                    "это не обычный файл (папка, устройство или канал); запись отменена",
                    "it is not a regular file (a folder, a device or a pipe); nothing written"
                )
            ),
            WriteError::BadName { name } => format!(
                "{} «{name}»: {}",
                lang.pick("ошибка: недопустимое имя файла", "error: invalid file name"),
                lang.pick(
                    "имя не может быть пустым, абсолютным или содержать `..`",
                    "a name cannot be empty, absolute or contain `..`"
                )
            ),
            WriteError::NameTooLong { name } => format!(
                "{} «{}…»: {} {MAX_NAME_BYTES} {}",
                lang.pick("ошибка: слишком длинное имя файла", "error: file name too long"),
                name.chars().take(40).collect::<String>(),
                lang.pick("длиннее", "longer than"),
                lang.pick(
                    "байт; сократите название (роли, этапа) в положении",
                    "bytes; shorten the name (of the role, the stage) in the regulation"
                )
            ),
        }
    }
}

/// Temporary files being written now, removed by the signal handler.
static LIVE_TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// On SIGINT/SIGTERM (Ctrl-C on Windows): remove the temporary files being written, then exit
/// with 130. Installed once, before the first file is written.
pub(crate) fn clean_up_on_signal() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(on_signal);
    });
}

fn on_signal() {
    // Held until the process ends: no temporary file is created or renamed after this.
    let temps = live_temps();
    for t in temps.iter() {
        let _ = std::fs::remove_file(t);
    }
    std::process::exit(130);
}

/// The list of live temporary files, locked. The signal handler takes this lock before it
/// removes them, so a temporary file is created and listed, or renamed and unlisted, as one
/// step: an interrupt never falls between the two and leaves a file nobody removes.
fn live_temps() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE_TEMPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Checks a relative output name: normal components only, none too long.
fn check_name(name: &str) -> Result<(), WriteError> {
    let path = Path::new(name);
    if name.is_empty() || path.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(WriteError::BadName { name: name.into() });
    }
    if path.components().any(|c| c.as_os_str().len() > MAX_NAME_BYTES) {
        return Err(WriteError::NameTooLong { name: name.into() });
    }
    Ok(())
}

/// Writes `files` (names relative to `dir`, may hold sub-folders) under `dir`. Every name is
/// checked before anything is written. With `marker`, that file is removed first and written
/// last, so its presence means every other file is complete.
pub(crate) fn write_tree(
    dir: &Path,
    files: &[crate::render::OutputFile],
    marker: Option<&str>,
) -> Result<(), WriteError> {
    clean_up_on_signal();
    for f in files {
        check_name(&f.name)?;
    }
    std::fs::create_dir_all(dir).map_err(|e| WriteError::io(dir, e))?;
    let mut cleaned = std::collections::HashSet::new();
    if let Some(m) = marker {
        let path = dir.join(m);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_file() => {
                std::fs::remove_file(&path).map_err(|e| WriteError::io(&path, e))?;
            }
            Ok(meta) if meta.file_type().is_symlink() => return Err(WriteError::Symlink { path }),
            Ok(_) => return Err(WriteError::NotRegular { path }),
            Err(_) => {}
        }
    }
    let (last, rest): (Vec<_>, Vec<_>) = files.iter().partition(|f| Some(f.name.as_str()) == marker);
    // Folders first, one by one (each checked as it is made), then the files.
    let mut targets = Vec::with_capacity(files.len());
    for f in rest.into_iter().chain(last) {
        let parent = folder_inside(dir, Path::new(&f.name))?;
        if cleaned.insert(parent.clone()) {
            remove_stale_temps(&parent);
        }
        let name = Path::new(&f.name).file_name().unwrap_or_default();
        let target = parent.join(name);
        targets.push((parent, target, &f.contents));
    }
    // Every file but the marker at once: most of a file's time is waiting for the disk to
    // confirm it (`sync_all`), and those waits overlap. The first error in file order is
    // reported; the marker is written only when every other file is.
    let marker_last = usize::from(marker.is_some_and(|m| files.iter().any(|f| f.name == m)));
    let (others, tail) = targets.split_at(targets.len() - marker_last);
    let write =
        |(parent, target, contents): &(PathBuf, PathBuf, &Vec<u8>)| write_in(parent, target, contents, false);
    let results: Vec<Result<(), WriteError>> =
        match rayon::ThreadPoolBuilder::new().num_threads(WRITERS).build() {
            Ok(pool) => pool.install(|| {
                use rayon::prelude::*;
                others.par_iter().map(write).collect()
            }),
            Err(_) => others.iter().map(write).collect(),
        };
    results.into_iter().collect::<Result<(), _>>()?;
    tail.iter().try_for_each(write)
}

/// Files written at once by [`write_tree`]: threads that mostly wait for the disk, so more than
/// the cores.
const WRITERS: usize = 8;

/// Creates the sub-folders of `name` under `root` one by one, refusing any that is a symbolic
/// link or not a folder; gives the folder the file goes in.
fn folder_inside(root: &Path, name: &Path) -> Result<PathBuf, WriteError> {
    let mut at = root.to_path_buf();
    let Some(parent) = name.parent() else {
        return Ok(at);
    };
    for c in parent.components() {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_dir() => {}
            Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink { path: at }),
            Ok(_) => return Err(WriteError::NotRegular { path: at }),
            Err(_) => match std::fs::create_dir(&at) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let m = std::fs::symlink_metadata(&at).map_err(|e| WriteError::io(&at, e))?;
                    if !m.file_type().is_dir() {
                        return Err(WriteError::Symlink { path: at });
                    }
                }
                Err(e) => return Err(WriteError::io(&at, e)),
            },
        }
    }
    Ok(at)
}

/// Writes one file the user named (`fmt`, `init`): a symbolic link is followed to the real file,
/// which is replaced; a target that is not a regular file is refused.
pub(crate) fn write_file(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    clean_up_on_signal();
    let real = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => path.canonicalize().map_err(|e| WriteError::io(path, e))?,
        _ => path.to_path_buf(),
    };
    let parent = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    write_in(&parent, &real, contents, true)
}

/// The temporary file, written in full, renamed over `target`. A replaced file keeps its
/// permissions; a new one gets 0644 (0755 for `.sh`).
fn write_in(parent: &Path, target: &Path, contents: &[u8], follow: bool) -> Result<(), WriteError> {
    let old = match std::fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_file() => Some(m.permissions()),
        Ok(m) if m.file_type().is_symlink() && !follow => {
            return Err(WriteError::Symlink {
                path: target.to_path_buf(),
            });
        }
        Ok(_) => {
            return Err(WriteError::NotRegular {
                path: target.to_path_buf(),
            });
        }
        Err(_) => None,
    };
    let temp = {
        let mut live = live_temps();
        let temp = tempfile::Builder::new()
            .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
            .suffix(TEMP_SUFFIX)
            .rand_bytes(10)
            .tempfile_in(parent)
            .map_err(|e| WriteError::io(target, e))?;
        live.push(temp.path().to_path_buf());
        temp
    };
    let path = temp.path().to_path_buf();
    let permissions = old.or_else(|| new_permissions(target));
    let written = temp
        .as_file()
        .write_all(contents)
        .and_then(|()| permissions.map_or(Ok(()), |p| temp.as_file().set_permissions(p)))
        .and_then(|()| temp.as_file().sync_all());
    let mut live = live_temps();
    let result = match written {
        Err(e) => {
            drop(temp); // removes the temporary file
            Err(WriteError::io(target, e))
        }
        Ok(()) => temp
            .persist(target)
            .map(|_| ())
            .map_err(|e| WriteError::io(target, e.error)),
    };
    live.retain(|t| *t != path);
    result
}

#[cfg(unix)]
fn new_permissions(target: &Path) -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    let script = target.extension().is_some_and(|e| e == "sh");
    Some(std::fs::Permissions::from_mode(if script {
        0o755
    } else {
        0o644
    }))
}

#[cfg(not(unix))]
fn new_permissions(_target: &Path) -> Option<std::fs::Permissions> {
    None
}

/// Removes temporary files a killed run left in `dir`: ours by name, of a process that is gone.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
            continue;
        };
        if !name.ends_with(TEMP_SUFFIX) {
            continue;
        }
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(alive) {
            continue;
        }
        if e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether a process with this id runs (Linux: `/proc`); elsewhere only our own counts.
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for bad in ["", "../x.md", "/etc/x", "a/../../x", "./x"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_name("роли/Менеджер.md").is_ok());
        assert!(matches!(
            check_name(&"я".repeat(130)),
            Err(WriteError::NameTooLong { .. })
        ));
    }
}
