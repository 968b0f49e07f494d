//! `voronka sensitivity FILE`: each parameter ±10%, ranked by the swing in mean revenue.

use super::EXIT_OK;
use super::args::{SensitivityArgs, SimFormat};
use super::compare::{Progress, Step, load_model};
use crate::diag::Lang;
use crate::render::report;
use crate::sim::SimOptions;

pub fn run(args: &SensitivityArgs, lang: Lang, options: &crate::Options) -> i32 {
    let model = match load_model(&args.file, lang, options) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let count = crate::planning::parameters(&model).len() as u64;
    let open_deals = match super::compare::load_open_deals(args.run.open_deals.as_deref(), &model, lang) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let runs = u64::from(args.run.runs);
    // The ranking's runs are adaptive: the second step counts up to its cap and usually ends early.
    let steps = vec![
        Step {
            label: lang.pick("Прогноз", "Forecast").to_owned(),
            runs,
        },
        Step {
            label: match lang {
                Lang::Ru => format!(
                    "Чувствительность ({count} {})",
                    crate::locale::plural_ru(count, "параметр", "параметра", "параметров")
                ),
                Lang::En => format!("Sensitivity ({count} parameters)"),
            },
            runs: 2 * count * runs,
        },
    ];
    let progress = Progress::steps(steps, args.run.quiet, lang);
    let tick = |n: u64| progress.tick(n);
    let options = SimOptions {
        progress: progress.on.then_some(&tick as &(dyn Fn(u64) + Sync)),
        open_deals: &open_deals,
        ..args.run.options()
    };
    let base = crate::planning::run(&model, &options).0.revenue.mean;
    let mut rows = crate::planning::sensitivity(&model, &options, args.precision);
    progress.finish();
    for r in &mut rows {
        if let Some(p) = &r.param {
            r.parameter = p.label(lang);
        }
    }
    let text = match args.format {
        SimFormat::Json => {
            let doc = serde_json::json!({ "runs": args.run.runs, "precision": args.precision, "seed": args.run.seed, "revenue": base, "rows": rows });
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        SimFormat::Csv => report::sweep::sensitivity_csv(&rows),
        SimFormat::Table => {
            let start = options.start_of(&crate::sim::Params::from_model(&model, options.months));
            report::sweep::sensitivity_table(base, start, &rows, args.precision, model.header.currency, lang)
        }
    };
    print!("{text}");
    EXIT_OK
}
