//! `voronka graph FILE --format dot|mermaid|svg [--pipeline NAME]`

use super::args::{GraphArgs, GraphFormat};
use super::{EXIT_OK, EXIT_USAGE, Show, did_you_mean, model_for};
use crate::diag::Lang;

pub fn run(args: &GraphArgs, lang: impl Into<Lang>, options: &crate::Options) -> i32 {
    let lang = lang.into();
    let model = match model_for(&args.file, lang, options, Show::All, None) {
        Ok(m) => m,
        Err(code) => return code,
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
            crate::render::svg::pipeline(p, lang)
        }
    };
    print!("{text}");
    EXIT_OK
}
