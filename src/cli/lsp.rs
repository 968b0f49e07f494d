//! `voronka lsp`: runs the language server on stdin/stdout (see [`crate::lsp`]).

use crate::diag::Lang;

/// `--lang` sets the language of messages until the client's `initializationOptions` say
/// otherwise; `-A`/`-W`/`-D` set lint levels as for `check`.
pub fn run(lang: Lang, options: &crate::Options) -> i32 {
    crate::lsp::run(lang, options.clone())
}
