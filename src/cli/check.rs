//! `voronka check FILE…`: every diagnostic of a file in full — the language's, and those the
//! CRM configurations would give (E0042, W0022, W0023), which other commands only count.

use super::args::{CheckArgs, CheckFormat, Emit};
use super::{DiagFormat, EXIT_INPUT, EXIT_OK, EXIT_USAGE, print_diagnostics};
use crate::diag::Lang;

pub fn run(args: &CheckArgs, lang: impl Into<Lang>, options: &crate::Options) -> i32 {
    let lang = lang.into();
    let diag_format = match args.format {
        Some(CheckFormat::Json) if args.emit.is_none() => DiagFormat::Json,
        Some(CheckFormat::Short) => DiagFormat::Short,
        _ => DiagFormat::Human,
    };
    let mut worst = EXIT_OK;
    for file in &args.files {
        let compiled = crate::compile_with(file, options);
        let diags = super::with_crm(&compiled, lang, options);
        print_diagnostics(&compiled.sources, &diags, diag_format, lang);
        let code = if compiled.io_failure {
            super::EXIT_IO
        } else if diags.iter().any(|d| d.is_error()) {
            EXIT_INPUT
        } else {
            EXIT_OK
        };
        if code == EXIT_OK
            && let (Some(Emit::Model), Some(model)) = (args.emit, &compiled.model)
        {
            let out = match args.format {
                Some(CheckFormat::Json) => serde_json::to_string_pretty(model).map_err(|e| e.to_string()),
                _ => serde_saphyr::to_string(model).map_err(|e| e.to_string()),
            };
            match out {
                Ok(text) => println!("{}", text.trim_end()),
                Err(e) => {
                    eprintln!(
                        "{}: {e}",
                        lang.pick("ошибка вывода модели", "cannot print the model")
                    );
                    return EXIT_USAGE;
                }
            }
        }
        worst = worst.max(code);
    }
    worst
}
