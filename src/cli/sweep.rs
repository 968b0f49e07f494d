//! `voronka sweep FILE --set 'Менеджер.штат=3..10' [--runs N --seed S --precision P] [--format table|json|csv|html] [--out FILE]`

use super::args::{ForecastFormat, SweepArgs};
use super::compare::{Progress, load_model};
use super::{EXIT_INPUT, EXIT_USAGE};
use crate::diag::Lang;
use crate::render::report;
use crate::scenario::{Param, parse_param};
use crate::sim::SimOptions;

/// One value: `5`, `60%`, `0,6`, `120 000`.
fn value(t: &str) -> Option<f64> {
    let s: String = t.chars().filter(|c| !c.is_whitespace() && *c != '_').collect();
    let s = s.replace(',', ".");
    match s.strip_suffix('%') {
        Some(p) => p.parse::<f64>().ok().map(|x| x / 100.0),
        None => s.parse().ok(),
    }
    .filter(|x: &f64| x.is_finite())
}

/// `3..10` (step 1 for whole numbers, else six points), `3..10/2` (a step), `3,5,8` (a list).
pub fn values(spec: &str) -> Result<Vec<f64>, String> {
    let bad = || format!("«{spec}»: ожидался диапазон 3..10 (шаг: 3..10/2) или список 3,5,8");
    let spec = spec.trim();
    let out = if let Some((a, rest)) = spec.split_once("..") {
        let (b, step) = match rest.split_once('/') {
            Some((b, s)) => (b, Some(value(s).filter(|s| *s > 0.0).ok_or_else(bad)?)),
            None => (rest, None),
        };
        let (a, b) = (value(a).ok_or_else(bad)?, value(b).ok_or_else(bad)?);
        if b < a {
            return Err(bad());
        }
        let step = step.unwrap_or(if a.fract() == 0.0 && b.fract() == 0.0 {
            1.0
        } else {
            (b - a) / 5.0
        });
        if step <= 0.0 {
            vec![a]
        } else {
            let n = ((b - a) / step + 1e-9).floor() as usize;
            (0..=n.min(500)).map(|i| a + step * i as f64).collect()
        }
    } else {
        // `;` separates when values use decimal commas: `0,4; 0,6`.
        spec.split(if spec.contains(';') { ';' } else { ',' })
            .map(|p| value(p).ok_or_else(bad))
            .collect::<Result<Vec<_>, _>>()?
    };
    if out.is_empty() || out.len() > 200 {
        return Err(format!("«{spec}»: от 1 до 200 значений"));
    }
    Ok(out)
}

fn check(param: &Param, values: &[f64]) -> Result<(), String> {
    let bad = values.iter().find(|&&v| match param {
        Param::Headcount { .. } => v < 0.0 || v.fract() != 0.0,
        Param::Conversion { .. } => !(0.0..=1.0).contains(&v),
        _ => v < 0.0,
    });
    match (bad, param) {
        (None, _) => Ok(()),
        (Some(v), Param::Conversion { .. }) => Err(format!("конверсия {v} вне 0..100%")),
        (Some(v), Param::Headcount { .. }) => Err(format!("штат {v}: ожидалось целое неотрицательное число")),
        (Some(v), _) => Err(format!("значение {v} не может быть отрицательным")),
    }
}

pub fn run(args: &SweepArgs, lang: Lang, options: &crate::Options) -> i32 {
    let Some((path, spec)) = args.set.split_once('=') else {
        eprintln!(
            "{}",
            lang.pick(
                "ошибка: --set ожидает ПАРАМЕТР=ЗНАЧЕНИЯ, например 'Менеджер.штат=3..10'",
                "error: --set expects PARAMETER=VALUES, e.g. 'Менеджер.штат=3..10'"
            )
        );
        return EXIT_USAGE;
    };
    if let Err(code) = super::compare::check_templates(args.templates.as_deref(), lang) {
        return code;
    }
    let model = match load_model(&args.file, lang, options) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let param = match parse_param(&model, path, lang) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}: {e}", lang.pick("ошибка", "error"));
            return EXIT_USAGE;
        }
    };
    let values = match values(spec).and_then(|v| check(&param, &v).map(|()| v)) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{}: {e}", lang.pick("ошибка", "error"));
            return EXIT_USAGE;
        }
    };
    let open_deals = match super::compare::load_open_deals(args.run.open_deals.as_deref(), &model, lang) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let progress = Progress::new(
        u64::from(args.run.runs) * values.len() as u64,
        args.run.quiet,
        lang,
    );
    let tick = |n: u64| progress.tick(n);
    let options = SimOptions {
        progress: progress.on.then_some(&tick as &(dyn Fn(u64) + Sync)),
        open_deals: &open_deals,
        ..args.run.options()
    };
    let rows = crate::planning::sweep(&model, &param, &values, &options, args.precision);
    progress.finish();
    let label = param.label(lang);
    let start = options.start_of(&crate::sim::Params::from_model(&model, options.months));
    let text = match args.format {
        ForecastFormat::Json => {
            let doc = serde_json::json!({ "parameter": label, "runs": args.run.runs, "precision": args.precision, "seed": args.run.seed, "start": start, "rows": rows });
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        ForecastFormat::Csv => report::sweep::csv(&rows),
        ForecastFormat::Table => report::sweep::table(
            &label,
            &param,
            &rows,
            start,
            args.precision,
            model.header.currency,
            lang,
        ),
        ForecastFormat::Html => {
            match crate::render::forecast::sweep_report(
                &model,
                &param,
                &rows,
                &options,
                args.precision,
                lang,
                args.templates.as_deref(),
            ) {
                Ok(html) => html,
                Err(e) => {
                    eprintln!("{}: {e}", lang.pick("ошибка", "error"));
                    return EXIT_INPUT;
                }
            }
        }
    };
    super::compare::emit(&text, args.out.as_deref(), lang)
}

#[cfg(test)]
mod tests {
    use super::values;

    #[test]
    fn ranges_and_lists() {
        assert_eq!(values("3..6").unwrap(), vec![3.0, 4.0, 5.0, 6.0]);
        assert_eq!(values("3,5,8").unwrap(), vec![3.0, 5.0, 8.0]);
        assert_eq!(values("2..8/3").unwrap(), vec![2.0, 5.0, 8.0]);
        assert_eq!(values("40%,60%").unwrap(), vec![0.4, 0.6]);
        assert!(values("10..3").is_err());
        assert!(values("много").is_err());
    }
}
