//! `voronka lsp`: a Language Server Protocol server over stdio for `.sales` files — diagnostics
//! as you type, hover with the analysis' figures, go to definition, find references and
//! completion. It reads the compiler's results (diagnostics, the model, the name table of
//! lowering, the analysis) and never parses on its own.
//!
//! - [`transport`]: `Content-Length` framing on stdio, tolerant of broken messages;
//! - [`server`]: the message loop — initialisation, dispatch, shutdown and exit;
//! - [`documents`]: open documents and their edits, `file:` URIs ↔ paths;
//! - [`workspace`]: one compilation per root document, diagnostics per file;
//! - [`position`]: byte offsets ↔ LSP positions (UTF-16 or UTF-8);
//! - [`symbols`]: the name under the cursor, its definition and references;
//! - [`hover`], [`completion`], [`outline`]: the texts, items and document outline shown to
//!   the user.

pub mod completion;
mod counter_items;
pub mod documents;
pub mod hover;
pub mod outline;
pub mod position;
pub mod server;
pub mod symbols;
pub mod transport;
pub mod workspace;

/// Runs the server on stdin/stdout until `exit`. Returns the process exit code: 0 after a
/// `shutdown` request, 1 when the client exits without one or the input ends first.
/// `lang` is the language of messages unless the client asks for another in
/// `initializationOptions: {"lang": "en"}`; `options` (lint levels) apply to every compilation.
pub fn run(lang: crate::diag::Lang, options: crate::Options) -> i32 {
    let (connection, transport) = transport::stdio();
    let code = server::serve(&connection, lang, options);
    drop(connection);
    transport.finish();
    code
}

/// The server's log: stderr, which editors show in their output panel.
pub(crate) fn log(message: &str) {
    eprintln!("voronka lsp: {message}");
}
