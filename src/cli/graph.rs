//! `voronka graph FILE --format dot|mermaid|svg [--pipeline NAME] [--funnel]`

use super::args::{GraphArgs, GraphFormat};
use super::{Checked, EXIT_INPUT, EXIT_OK, EXIT_USAGE, Show, compiled_for, did_you_mean};
use crate::diag::Lang;

pub fn run(args: &GraphArgs, lang: impl Into<Lang>, options: &crate::Options) -> i32 {
    let lang = lang.into();
    let Checked { model, analysis, .. } = match compiled_for(&args.file, lang, options, Show::All, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if args.funnel && args.format != GraphFormat::Svg {
        eprintln!(
            "{}",
            lang.pick(
                "ошибка: --funnel рисуется только в SVG: добавьте --format svg",
                "error: --funnel is drawn only as SVG: add --format svg"
            )
        );
        return EXIT_USAGE;
    }
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
                let hint = did_you_mean(crate::diag::suggest(wanted, names.iter().copied()), lang);
                eprintln!(
                    "{}: {} `{wanted}`{hint} ({}: {})",
                    lang.pick("ошибка", "error"),
                    lang.pick("нет воронки", "no pipeline"),
                    lang.pick("воронки", "pipelines"),
                    names.join(", ")
                );
                return EXIT_USAGE;
            };
            if args.funnel {
                match crate::render::forecast::analysis_funnel(&model, &analysis, &p.name, lang) {
                    Some(svg) => svg,
                    None => {
                        eprintln!(
                            "{}: {} `{}`",
                            lang.pick("ошибка", "error"),
                            lang.pick("в воронке нет этапов", "the pipeline has no stages"),
                            p.name
                        );
                        return EXIT_INPUT;
                    }
                }
            } else {
                crate::render::svg::pipeline(&model, p, lang)
            }
        }
    };
    print!("{text}");
    EXIT_OK
}
