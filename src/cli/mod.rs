//! The command line: argument parsing and printing, nothing else. Exit codes: 0 no errors,
//! 1 errors in the input, 2 usage or I/O failure.

mod args;
mod check;
mod compare;
mod graph;
mod plan;
mod sensitivity;
mod simulate;
mod sweep;

use crate::diag::{Diagnostic, Lang, render};
use crate::source::SourceMap;
use clap::Parser;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use std::io::IsTerminal;

pub use args::{Args, Command, DiagFormat};

pub const EXIT_OK: i32 = 0;
pub const EXIT_INPUT: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

pub fn run() -> i32 {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let lang = args.lang;
    match args.command {
        Command::Check(c) => check::run(&c, lang),
        Command::Graph(g) => graph::run(&g, lang),
        Command::Simulate(s) => simulate::run(&s, lang),
        Command::Sweep(s) => sweep::run(&s, lang.into()),
        Command::Plan(p) => plan::run(&p, lang.into()),
        Command::Sensitivity(s) => sensitivity::run(&s, lang.into()),
    }
}

/// Prints diagnostics to stderr in the chosen format (JSON goes to stdout).
pub(crate) fn print_diagnostics(sources: &SourceMap, diags: &[Diagnostic], format: DiagFormat, lang: Lang) {
    match format {
        DiagFormat::Json => println!("{}", render::json(sources, diags, lang)),
        DiagFormat::Short => eprint!("{}", render::short(sources, diags, lang)),
        DiagFormat::Human => {
            let colour = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            };
            let stream = StandardStream::stderr(colour);
            let _ = render::human(&mut stream.lock(), sources, diags, lang);
            if let Some(s) = render::summary(diags, lang) {
                eprintln!("{s}");
            }
        }
    }
}
