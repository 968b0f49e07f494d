//! The documents the editor has open: their text (the editor's, not the disk's), version and
//! URI, and the mapping between `file:` URIs and paths. Edits to a document that is not open
//! are ignored; a URI that is not a `file:` URI still works as a key, without includes.

use super::position::LineIndex;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The URI exactly as the client sent it (clients compare URIs as strings).
    pub uri: Uri,
    pub path: PathBuf,
    pub text: String,
    pub version: i32,
}

/// Every open document, by normalised path.
#[derive(Debug, Default)]
pub struct Documents {
    open: BTreeMap<PathBuf, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        let path = uri_to_path(&uri);
        self.open.insert(
            path.clone(),
            Document {
                uri,
                path,
                text,
                version,
            },
        );
    }

    /// Applies edits in order (a change without a range replaces the whole text). Returns
    /// false when the document is not open.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        index: impl Fn(&str) -> LineIndex,
    ) -> bool {
        let Some(doc) = self.open.get_mut(&uri_to_path(uri)) else {
            return false;
        };
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let lines = index(&doc.text);
                    let start = lines.offset(&doc.text, range.start);
                    let end = lines.offset(&doc.text, range.end).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
            }
        }
        doc.version = version;
        true
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(&uri_to_path(uri))
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(&uri_to_path(uri))
    }

    /// The open document at a path, if any (the compiler asks for includes this way).
    pub fn at_path(&self, path: &Path) -> Option<&Document> {
        self.open.get(&normalize(path))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.open.values()
    }

    /// The URI to publish for a path: the client's own for an open document.
    pub fn uri_for(&self, path: &Path) -> Option<Uri> {
        match self.at_path(path) {
            Some(doc) => Some(doc.uri.clone()),
            None => path_to_uri(path),
        }
    }
}

/// Characters escaped in the path of a `file:` URI (everything but unreserved characters and
/// the path's own delimiters).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `file:///дом/a.sales` → `/дом/a.sales` (percent-decoded, lexically normalised). Any other
/// URI becomes a path made of the whole URI, so it still names one document.
pub fn uri_to_path(uri: &Uri) -> PathBuf {
    let text = uri.as_str();
    let Some(rest) = text.strip_prefix("file://") else {
        return PathBuf::from(text);
    };
    // `file://localhost/x` and `file:///x` name the same file.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let decoded = percent_decode_str(rest).decode_utf8_lossy().into_owned();
    // Windows: `file:///C:/x` → `C:/x`.
    let bytes = decoded.as_bytes();
    let decoded =
        if bytes.len() >= 3 && bytes[0] == b'/' && bytes[2] == b':' && bytes[1].is_ascii_alphabetic() {
            decoded[1..].to_string()
        } else {
            decoded
        };
    normalize(Path::new(&decoded))
}

/// A `file:` URI for an absolute path; `None` for a relative one.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let path = normalize(path);
    let text = path.to_str()?.replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else if text.as_bytes().get(1) == Some(&b':') {
        format!("/{text}")
    } else {
        return None;
    };
    Uri::from_str(&format!("file://{}", utf8_percent_encode(&text, PATH))).ok()
}

/// Removes `.` and resolves `..` without touching the disk (an unsaved file may not exist).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::position::Encoding;
    use lsp_types::{Position, Range};

    fn uri(s: &str) -> Uri {
        Uri::from_str(s).unwrap()
    }

    #[test]
    fn cyrillic_paths_survive_the_round_trip() {
        let path = PathBuf::from("/дом/Отдел продаж/a#1.sales");
        let u = path_to_uri(&path).unwrap();
        assert!(
            u.as_str().starts_with("file:///%D0%B4%D0%BE%D0%BC/"),
            "{}",
            u.as_str()
        );
        assert_eq!(uri_to_path(&u), path);
        assert_eq!(
            uri_to_path(&uri("file://localhost/a/./b/../c.sales")),
            PathBuf::from("/a/c.sales")
        );
    }

    #[test]
    fn edits_apply_in_order_and_unopened_documents_are_ignored() {
        let mut docs = Documents::default();
        let u = uri("file:///x.sales");
        docs.open(u.clone(), "роль А {}".into(), 1);
        let edit = |line, from, to, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(line, from), Position::new(line, to))),
            range_length: None,
            text: text.into(),
        };
        let index = |t: &str| LineIndex::new(t, Encoding::Utf16);
        assert!(docs.change(
            &u,
            2,
            vec![edit(0, 5, 6, "Б"), edit(0, 99, 99, " # конец")],
            index
        ));
        assert_eq!(docs.get(&u).unwrap().text, "роль Б {} # конец");
        assert!(!docs.change(&uri("file:///other.sales"), 1, vec![edit(0, 0, 0, "x")], index));
        assert!(docs.close(&u).is_some());
        assert!(docs.get(&u).is_none());
    }
}
