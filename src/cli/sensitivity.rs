//! `voronka sensitivity FILE`: each parameter ±10%, ranked by the swing in mean revenue.

use super::EXIT_OK;
use super::args::{SensitivityArgs, SimFormat};
use super::compare::{Progress, load_model};
use super::simulate::{columns, number};
use crate::diag::Lang;
use crate::sim::SimOptions;
use std::fmt::Write as _;

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
    let progress = Progress::new(u64::from(args.run.runs) * (2 * count + 1), args.run.quiet, lang);
    let tick = |n: u64| progress.tick(n);
    let options = SimOptions {
        progress: progress.on.then_some(&tick as &(dyn Fn(u64) + Sync)),
        open_deals: &open_deals,
        ..args.run.options()
    };
    let base = crate::planning::run(&model, &options).0.revenue.mean;
    let mut rows = crate::planning::sensitivity(&model, &options);
    progress.finish();
    for r in &mut rows {
        if let Some(p) = &r.param {
            r.parameter = p.label(lang);
        }
    }
    let text = match args.format {
        SimFormat::Json => {
            let doc = serde_json::json!({ "runs": args.run.runs, "seed": args.run.seed, "revenue": base, "rows": rows });
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        SimFormat::Csv => {
            let mut out =
                String::from("parameter,revenue_low,revenue_high,swing,indistinguishable,critical\n");
            for r in &rows {
                let name = if r.parameter.contains([',', '"']) {
                    format!("\"{}\"", r.parameter.replace('"', "\"\""))
                } else {
                    r.parameter.clone()
                };
                let _ = writeln!(
                    out,
                    "{name},{},{},{},{},{}",
                    r.revenue_low, r.revenue_high, r.swing, r.indistinguishable, r.critical
                );
            }
            out
        }
        SimFormat::Table => {
            let mut out = match lang {
                Lang::Ru => format!(
                    "Чувствительность выручки (база {}; каждый параметр −10% и +10%, штат — не меньше чем на 1 человека)\n",
                    number(base, lang)
                ),
                Lang::En => format!(
                    "Revenue sensitivity (baseline {}; each parameter −10% and +10%, headcount by at least one person)\n",
                    number(base, lang)
                ),
            };
            let start = options.start_of(&crate::sim::Params::from_model(&model, options.months));
            let _ = writeln!(out, "{}", crate::render::forecast::start_sentence(start, lang));
            let mut t = vec![
                [
                    lang.pick("параметр", "parameter"),
                    lang.pick("выручка при −10%", "revenue at −10%"),
                    lang.pick("при +10%", "at +10%"),
                    lang.pick("размах", "swing"),
                    lang.pick("", ""),
                ]
                .map(str::to_owned)
                .to_vec(),
            ];
            let row = |r: &crate::planning::SensitivityRow| {
                vec![
                    r.parameter.clone(),
                    number(r.revenue_low, lang),
                    number(r.revenue_high, lang),
                    number(r.swing, lang),
                    if r.indistinguishable {
                        lang.pick("не отличимо от нуля", "indistinguishable from zero")
                            .to_owned()
                    } else {
                        String::new()
                    },
                ]
            };
            for r in rows.iter().filter(|r| !r.critical) {
                t.push(row(r));
            }
            columns(&mut out, &t);
            if rows.iter().any(|r| r.indistinguishable && !r.critical) {
                let _ = writeln!(
                    out,
                    "{}",
                    lang.pick(
                        "«Не отличимо от нуля» — 95 % ДИ парной разности включает 0: при таком числе прогонов место в рейтинге ничего не значит (увеличьте --runs).",
                        "\"Indistinguishable from zero\" — the 95% CI of the paired difference includes 0: with this many runs the rank means nothing (raise --runs)."
                    )
                );
            }
            let critical: Vec<String> = rows
                .iter()
                .filter(|r| r.critical)
                .map(|r| {
                    format!(
                        "{} ({} → {})",
                        r.parameter,
                        number(r.revenue_high, lang),
                        number(r.revenue_low, lang)
                    )
                })
                .collect();
            if !critical.is_empty() {
                let _ = writeln!(
                    out,
                    "\n{} {}",
                    lang.pick(
                        "Критические роли (один человек: без него роль пуста, это не изменение на 10 %, а потеря роли; выручка с +1 → без него):",
                        "Critical roles (one person: without them the role is empty, which is losing the role, not a 10% change; revenue with +1 → without them):"
                    ),
                    critical.join("; ")
                );
            }
            out
        }
    };
    print!("{text}");
    EXIT_OK
}
