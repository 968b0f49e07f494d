//! `voronka plan FILE --role Менеджер --probability 0.8`: the smallest headcount that meets the
//! plan with at least that probability.

use super::args::{PlanArgs, SimFormat};
use super::compare::{Progress, load_model};
use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diag::{Lang, suggest};
use crate::sim::SimOptions;

pub fn run(args: &PlanArgs, lang: Lang, options: &crate::Options) -> i32 {
    let model = match load_model(&args.file, lang, options) {
        Ok(m) => m,
        Err(code) => return code,
    };
    if model.plan.is_none() {
        eprintln!(
            "{}: {}",
            args.file.display(),
            lang.pick(
                "ошибка: в положении нет плана — подбирать штат не к чему (добавьте раздел `план`)",
                "error: the regulation has no plan to staff for (add a `план` section)"
            )
        );
        return EXIT_INPUT;
    }
    if !model.roles.iter().any(|r| r.name == args.role) {
        let hint = suggest(&args.role, model.roles.iter().map(|r| r.name.as_str()))
            .map(|s| {
                format!(
                    "; {} «{s}»",
                    lang.pick("возможно, имелось в виду", "did you mean")
                )
            })
            .unwrap_or_default();
        eprintln!(
            "{}",
            match lang {
                Lang::Ru => format!("ошибка: роль «{}» не найдена в положении{hint}", args.role),
                Lang::En => format!("error: role `{}` is not in the regulation{hint}", args.role),
            }
        );
        return EXIT_USAGE;
    }
    let open_deals = match super::compare::load_open_deals(args.run.open_deals.as_deref(), &model, lang) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let progress = Progress::new(u64::from(args.run.runs) * 12, args.run.quiet, lang);
    let tick = |n: u64| progress.tick(n);
    let options = SimOptions {
        progress: progress.on.then_some(&tick as &(dyn Fn(u64) + Sync)),
        open_deals: &open_deals,
        ..args.run.options()
    };
    let period = args.period.into();
    let Some(answer) =
        crate::planning::plan_headcount_for(&model, &args.role, args.probability, period, &options)
    else {
        progress.finish();
        return EXIT_INPUT;
    };
    progress.finish();
    match args.format {
        SimFormat::Json => {
            println!("{}", serde_json::to_string_pretty(&answer).unwrap_or_default());
            return EXIT_OK;
        }
        SimFormat::Csv => {
            print!("{}", crate::render::report::csv::plan(&answer));
            return EXIT_OK;
        }
        SimFormat::Table => {}
    }
    let start = options.start_of(&crate::sim::Params::from_model(&model, options.months));
    let out = crate::render::report::plan::text(
        &answer,
        args.probability,
        period,
        args.run.runs,
        args.run.seed,
        start,
        lang,
    );
    print!("{out}");
    EXIT_OK
}
