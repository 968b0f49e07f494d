//! `voronka graph FILE --format dot|mermaid|svg [--pipeline NAME]`

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
        GraphFormat::Svg => {
            let chosen = match &args.pipeline {
                Some(name) => model.pipeline(name),
                None => model.pipelines.first(),
            };
            let Some(p) = chosen else {
                let names: Vec<&str> = model.pipelines.iter().map(|p| p.name.as_str()).collect();
                let wanted = args.pipeline.as_deref().unwrap_or("");
                let hint = crate::diag::suggest(wanted, names.iter().copied())
                    .map(|s| {
                        format!(
                            "; {} `{s}`",
                            lang.pick("возможно, имелось в виду", "did you mean")
                        )
                    })
                    .unwrap_or_default();
                eprintln!(
                    "{}: {} `{wanted}`{hint} ({}: {})",
                    lang.pick("ошибка", "error"),
                    lang.pick("нет воронки", "no pipeline"),
                    lang.pick("воронки", "pipelines"),
                    names.join(", ")
                );
                return EXIT_USAGE;
            };
            crate::render::svg::pipeline(p, lang)
        }
    };
    print!("{text}");
    EXIT_OK
}
