//! `voronka backtest FILE --history PATH… --at DATE`: the forecast from the deals open at the
//! date against what the history shows after it.

use super::args::{BacktestArgs, BacktestFormat};
use super::calibrate::read_history;
use super::compare::{Progress, check_templates, emit, load_model, load_scenarios};
use super::{EXIT_INPUT, EXIT_USAGE};
use crate::backtest::{self, Basis};
use crate::diag::Lang;
use crate::render::report;
use crate::sim::SimOptions;

pub fn run(args: &BacktestArgs, lang: Lang, options: &crate::Options) -> i32 {
    if let Err(code) = check_templates(args.templates.as_deref(), lang) {
        return code;
    }
    let model = match load_model(&args.file, lang, options) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let scenario = match &args.scenario {
        Some(path) => match load_scenarios(std::slice::from_ref(path), &model, lang) {
            Ok(mut s) => s.pop(),
            Err(code) => return code,
        },
        None => None,
    };
    let history = match read_history(&args.history, &model, lang) {
        Ok(h) => h,
        Err(code) => return code,
    };
    let (model, basis) = if args.calibrated {
        let (changed, changes) = backtest::calibrated(&model, &history, args.at, lang);
        (changed, Basis::Calibrated { changes })
    } else if let Some(s) = &scenario {
        (
            crate::scenario::apply(&model, s),
            Basis::Scenario { name: s.name.clone() },
        )
    } else {
        (model, Basis::Regulation)
    };
    let progress = Progress::new(u64::from(args.runs), args.quiet, lang);
    let tick = |n: u64| progress.tick(n);
    let sim = SimOptions {
        runs: args.runs,
        seed: args.seed,
        threads: args.threads,
        progress: progress.on.then_some(&tick as &(dyn Fn(u64) + Sync)),
        ..SimOptions::default()
    };
    let result = backtest::backtest(&model, &history, args.at, args.months, &sim);
    progress.finish();
    let mut result = match result {
        Ok(r) => r,
        Err(refusal) => {
            eprintln!(
                "{}: {}",
                lang.pick("ошибка", "error"),
                refusal.message().get(lang)
            );
            return EXIT_INPUT;
        }
    };
    result.basis = basis;
    let text = match args.format {
        BacktestFormat::Json => match serde_json::to_string_pretty(&result) {
            Ok(t) => t + "\n",
            Err(e) => {
                eprintln!("{}: {e}", lang.pick("ошибка вывода", "cannot print the result"));
                return EXIT_USAGE;
            }
        },
        BacktestFormat::Table => report::backtest::table(&result, model.header.currency, lang),
        BacktestFormat::Html => {
            match crate::render::backtest::report(&model, &result, lang, args.templates.as_deref()) {
                Ok(html) => html,
                Err(e) => {
                    eprintln!("{}: {e}", lang.pick("ошибка", "error"));
                    return EXIT_INPUT;
                }
            }
        }
    };
    emit(&text, args.out.as_deref(), lang)
}
