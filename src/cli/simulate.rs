//! `voronka simulate FILE --runs N --seed S [--months M] [--threads T] [--format table|json|csv|html] [--out FILE]`

use super::args::{ForecastFormat, SimulateArgs};
use super::{EXIT_INPUT, EXIT_USAGE};
use crate::diag::Lang;
use crate::render::report;
use crate::sim::{SimOptions, SimResult};

pub fn run(args: &SimulateArgs, lang: impl Into<Lang>, options: &crate::Options) -> i32 {
    let lang = lang.into();
    if let Err(code) = super::compare::check_templates(args.templates.as_deref(), lang) {
        return code;
    }
    let model = match super::compare::load_model(&args.file, lang, options) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let scenarios = match super::compare::load_scenarios(&args.scenario, &model, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let open_deals = match super::compare::load_open_deals(args.open_deals.as_deref(), &model, lang) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let options = SimOptions {
        runs: args.runs,
        seed: args.seed,
        months: args.months,
        threads: args.threads,
        progress: None,
        open_deals: &open_deals,
        start: args.start.map(Into::into),
        shared: None,
    };
    if let Some(path) = &args.trace {
        return trace(&model, &options, path, lang);
    }
    let hire_roles = if args.no_hires {
        0
    } else {
        crate::planning::working_roles(&model, &options).len()
    };
    let steps = super::compare::forecast_steps(args.runs, scenarios.len(), hire_roles, lang);
    let progress = super::compare::Progress::steps(steps, args.quiet, lang);
    let tick = |n: u64| progress.tick(n);
    let options = SimOptions {
        progress: progress.on.then_some(&tick as &(dyn Fn(u64) + Sync)),
        ..options
    };
    // Scenarios and hires run with the baseline's seed: common random numbers.
    let (result, base_runs) = crate::planning::run(&model, &options);
    let compared = crate::planning::compare(&model, &base_runs, &scenarios, &options, args.precision);
    let hires = if args.no_hires {
        Vec::new()
    } else {
        crate::planning::hires(&model, &result, &base_runs, &options, args.precision)
    };
    progress.finish();

    let text = match args.format {
        ForecastFormat::Json => match serde_json::to_string_pretty(&Output {
            result: &result,
            scenarios: &compared,
            hires: &hires,
        }) {
            Ok(t) => t + "\n",
            Err(e) => {
                eprintln!("{}: {e}", lang.pick("ошибка вывода", "cannot print the result"));
                return EXIT_USAGE;
            }
        },
        ForecastFormat::Csv => report::csv::csv(&result),
        ForecastFormat::Html => {
            let forecast = crate::render::forecast::Forecast {
                result: &result,
                revenue_runs: &base_runs.revenue,
                won_runs: &base_runs.won,
                scenarios: &compared,
                hires: &hires,
            };
            match crate::render::forecast::report(&model, &forecast, lang, args.templates.as_deref()) {
                Ok(html) => html,
                Err(e) => {
                    eprintln!("{}: {e}", lang.pick("ошибка", "error"));
                    return EXIT_INPUT;
                }
            }
        }
        ForecastFormat::Table => {
            let mut t = report::forecast::table(&result, lang);
            report::compare::scenarios_table(&mut t, &result, &compared, lang);
            report::compare::hires_table(&mut t, &result, &hires, lang);
            t
        }
    };
    super::compare::emit(&text, args.out.as_deref(), lang)
}

/// The JSON document: the baseline's fields, then the scenarios and the value of a hire.
#[derive(serde::Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    result: &'a SimResult,
    scenarios: &'a [crate::planning::ScenarioResult],
    hires: &'a [crate::planning::HireResult],
}

/// `--trace FILE`: replication 0 lead by lead as the event log `calibrate` reads — FILE (the
/// stage entries) and `FILE.deals.csv` beside it (the deals), each written whole or not at all.
fn trace(model: &crate::model::Model, options: &SimOptions, path: &std::path::Path, lang: Lang) -> i32 {
    let params = crate::sim::Params::from_model(model, options.months);
    let events = crate::sim::trace(&params, options);
    let start = model
        .plan
        .as_ref()
        .and_then(|p| p.start.as_deref())
        .or(model.header.effective.as_deref());
    let week = crate::history::dates::week_days(model.header.work_week_days);
    let (entries, deals) = report::trace::csv(&params, &events, report::trace::start_day(start), week);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        eprintln!(
            "{}: {}",
            lang.pick("ошибка: не имя файла", "error: not a file name"),
            path.display()
        );
        return EXIT_USAGE;
    };
    let stem = name.strip_suffix(".csv").unwrap_or(&name);
    let deals_name = format!("{stem}.deals.csv");
    let files = [
        crate::render::OutputFile {
            name: name.clone(),
            contents: entries.into_bytes(),
        },
        crate::render::OutputFile {
            name: deals_name.clone(),
            contents: deals.into_bytes(),
        },
    ];
    if let Err(code) = super::write_files(dir, &files, lang) {
        return code;
    }
    let leads = events
        .iter()
        .filter(|e| matches!(e, crate::sim::TraceEvent::Created { .. }))
        .count();
    eprintln!(
        "{} {}: {} ({}), {} ({leads} {})",
        lang.pick("Прогон 0 с зерном", "Replication 0 with seed"),
        options.seed,
        dir.join(&name).display(),
        lang.pick("переходы по этапам", "stage entries"),
        dir.join(&deals_name).display(),
        lang.pick("сделок", "deals"),
    );
    super::EXIT_OK
}
