//! `voronka analyze FILE [--format table|json]`: exact figures from the model, as tables for
//! a reader (Russian by default) or as the analysis in JSON (`render::report::analyze`).

use super::args::{AnalyzeArgs, AnalyzeFormat};
use super::{Checked, EXIT_OK, EXIT_USAGE, Show, compiled_for};
use crate::diag::Lang;
use crate::render::report::analyze::{Report, text};
use crate::sim::fluid;

pub fn run(args: &AnalyzeArgs, lang: impl Into<Lang>, options: &crate::Options) -> i32 {
    let lang = lang.into();
    let refused = (
        "расчёт не выполнен: сначала исправьте ошибки в положении",
        "no analysis: fix the errors in the regulation first",
    );
    // The analysis the checks made, not a second one.
    let Checked { model, analysis, .. } =
        match compiled_for(&args.file, lang, options, Show::All, Some(refused)) {
            Ok(c) => c,
            Err(code) => return code,
        };
    let horizon = fluid::horizon(&model);
    match args.format {
        AnalyzeFormat::Json => match serde_json::to_string_pretty(&Report {
            analysis: &analysis,
            horizon: &horizon,
        }) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("{}: {e}", lang.pick("ошибка вывода JSON", "cannot print JSON"));
                return EXIT_USAGE;
            }
        },
        AnalyzeFormat::Table => print!("{}", text(&analysis, &horizon, lang)),
    }
    EXIT_OK
}
