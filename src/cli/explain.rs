//! `voronka explain [CODE]`: the long explanation of a code, or the list of all codes.

use super::args::ExplainArgs;
use super::{EXIT_OK, EXIT_USAGE, did_you_mean};
use crate::diag::kind::CODES;
use crate::diag::{Lang, explain, suggest};

pub fn run(args: &ExplainArgs, lang: impl Into<Lang>) -> i32 {
    let lang = lang.into();
    let Some(code) = &args.code else {
        for (code, ru, en) in CODES {
            println!("{code}  {}", lang.pick(ru, en));
        }
        return EXIT_OK;
    };
    let code = code.trim().to_uppercase();
    match explain::explain(&code, lang) {
        Some(text) => {
            println!("{text}");
            EXIT_OK
        }
        None => {
            let hint = did_you_mean(suggest(&code, CODES.iter().map(|(c, ..)| *c)), lang);
            eprintln!(
                "{}: {} `{code}`{hint} ({})",
                lang.pick("ошибка", "error"),
                lang.pick("нет такого кода", "no such code"),
                lang.pick("список: voronka explain", "list: voronka explain")
            );
            EXIT_USAGE
        }
    }
}
