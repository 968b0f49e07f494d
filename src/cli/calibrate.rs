//! `voronka calibrate FILE --history PATH…`: the regulation's parameters measured from a CRM's
//! deal history, side by side with the file's, and optionally written as a scenario.

use super::args::{AnalyzeFormat, CalibrateArgs};
use super::compare::{emit, load_model};
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK};
use crate::calibrate::{Window, calibrate, mapping, scenario};
use crate::diag::Lang;
use crate::history::{self, ReadFailure};
use crate::render::report;

pub fn run(args: &CalibrateArgs, lang: Lang, options: &crate::Options) -> i32 {
    let model = match load_model(&args.file, lang, options) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let mapping = match args
        .stages
        .as_deref()
        .map(|p| mapping::read(p, &model))
        .transpose()
    {
        Ok(m) => m,
        Err(ReadFailure::Io(path, e)) => {
            eprintln!(
                "{}: {}: {}",
                path.display(),
                lang.pick(
                    "ошибка: не удалось прочитать файл сопоставления этапов",
                    "error: cannot read the stage mapping file"
                ),
                e.show(lang)
            );
            return EXIT_IO;
        }
        Err(ReadFailure::Errors(sources, errors)) => {
            super::print_diagnostics(&sources, &errors, super::DiagFormat::Human, lang);
            return EXIT_INPUT;
        }
    };
    let mut history = match history::read(&args.history) {
        Ok(h) => h,
        Err(ReadFailure::Io(path, e)) => {
            eprintln!(
                "{}: {}: {}",
                path.display(),
                lang.pick(
                    "ошибка: не удалось прочитать файл истории",
                    "error: cannot read the history file"
                ),
                e.show(lang)
            );
            return EXIT_IO;
        }
        Err(ReadFailure::Errors(sources, errors)) => {
            super::print_diagnostics(&sources, &errors, super::DiagFormat::Human, lang);
            return EXIT_INPUT;
        }
    };
    if let Some(m) = &mapping {
        m.apply(&model, &mut history);
    }
    if let (Some(a), Some(b)) = (args.since, args.until)
        && b < a
    {
        eprintln!(
            "{}",
            lang.pick(
                "ошибка: --until раньше --since",
                "error: --until is before --since"
            )
        );
        return super::EXIT_USAGE;
    }
    let window = Window {
        since: args.since,
        until: args.until,
    };
    let result = calibrate(&model, &history, window);
    if let Some(path) = &args.write_scenario {
        let sources: Vec<String> = args.history.iter().map(|p| p.display().to_string()).collect();
        let yaml = scenario::yaml(&result, &sources.join(", "), lang);
        let code = emit(&yaml, Some(path), lang);
        if code != EXIT_OK {
            return code;
        }
    }
    let text = match args.format {
        AnalyzeFormat::Json => serde_json::to_string_pretty(&result).unwrap_or_default() + "\n",
        AnalyzeFormat::Table => {
            let currency = model.header.currency;
            report::calibrate::table(&result, currency, lang)
        }
    };
    print!("{text}");
    EXIT_OK
}
