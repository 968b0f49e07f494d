//! `voronka lsp`: runs the language server on stdin/stdout (see [`crate::lsp`]).

use crate::diag::Lang;

/// `--lang` sets the language of messages until the client's `initializationOptions` say
/// otherwise.
pub fn run(lang: Lang) -> i32 {
    crate::lsp::run(lang)
}
