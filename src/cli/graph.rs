//! `voronka graph FILE --format dot|mermaid`

use super::args::{GraphArgs, GraphFormat};
use super::{DiagFormat, EXIT_INPUT, EXIT_OK, EXIT_USAGE, print_diagnostics};
use crate::diag::Lang;

pub fn run(args: &GraphArgs, lang: impl Into<Lang>, options: &crate::Options) -> i32 {
    let lang = lang.into();
    let compiled = crate::compile_with(&args.file, options);
    let errors = compiled.diagnostics.iter().any(|d| d.is_error());
    if errors || !compiled.diagnostics.is_empty() {
        print_diagnostics(&compiled.sources, &compiled.diagnostics, DiagFormat::Human, lang);
    }
    if compiled.io_failure {
        return EXIT_USAGE;
    }
    let Some(model) = compiled.model.filter(|_| !errors) else {
        return EXIT_INPUT;
    };
    let g = crate::graph::build(&model);
    let text = match args.format {
        GraphFormat::Dot => crate::graph::to_dot(&g, lang),
        GraphFormat::Mermaid => crate::graph::to_mermaid(&g, lang),
    };
    print!("{text}");
    EXIT_OK
}
