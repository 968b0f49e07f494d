//! `voronka plan FILE --role Менеджер --probability 0.8`: the smallest headcount that meets the
//! plan with at least that probability.

use super::args::{PlanArgs, SimFormat};
use super::compare::{Progress, load_model};
use super::simulate::{number, percent};
use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diag::{Lang, plural_ru, suggest};
use crate::planning::PlanPeriod;
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
    if args.format == SimFormat::Json {
        println!("{}", serde_json::to_string_pretty(&answer).unwrap_or_default());
        return EXIT_OK;
    }
    let p = |x: f64| percent(x, lang);
    let people = |n: u32| match lang {
        Lang::Ru => format!(
            "{n} {}",
            plural_ru(u64::from(n), "человек", "человека", "человек")
        ),
        Lang::En => format!("{n} {}", if n == 1 { "person" } else { "people" }),
    };
    let mut out = String::new();
    // Which probability this is: the horizon's total, or every month (the weakest one).
    let what = match (period, lang) {
        (PlanPeriod::Horizon, Lang::Ru) => {
            "Цель — выполнить план за горизонт (итог всех месяцев).\n".to_owned()
        }
        (PlanPeriod::Horizon, Lang::En) => {
            "Target: the plan over the horizon (the total of all months).\n".to_owned()
        }
        (PlanPeriod::Month, Lang::Ru) => format!(
            "Цель — выполнить план каждого месяца: вероятность — по худшему месяцу{}.\n",
            answer
                .weakest_month
                .map_or(String::new(), |m| format!(" (слабее всего {m}-й месяц)"))
        ),
        (PlanPeriod::Month, Lang::En) => format!(
            "Target: every month's plan: the probability is the weakest month's{}.\n",
            answer
                .weakest_month
                .map_or(String::new(), |m| format!(" (month {m} is the weakest)"))
        ),
    };
    out += &what;
    match answer.headcount {
        Some(h) => {
            out += &match lang {
                Lang::Ru => format!(
                    "Чтобы выполнить план с вероятностью не ниже {}, в роли {} нужно {} (сейчас {}); вероятность при этом штате — {}.\n",
                    p(args.probability),
                    answer.role,
                    people(h),
                    answer.current,
                    p(answer.achieved)
                ),
                Lang::En => format!(
                    "To meet the plan with probability at least {}, role {} needs {} (now {}); probability at that headcount: {}.\n",
                    p(args.probability),
                    answer.role,
                    people(h),
                    answer.current,
                    p(answer.achieved)
                ),
            };
        }
        None => {
            out += &match lang {
                Lang::Ru => format!(
                    "План недостижим с вероятностью {} наймом в роль {}: даже при штате {} вероятность — {}.\n",
                    p(args.probability),
                    answer.role,
                    people(answer.cap),
                    p(answer.achieved)
                ),
                Lang::En => format!(
                    "Hiring into {} cannot meet the plan with probability {}: even with {} the probability is {}.\n",
                    answer.role,
                    p(args.probability),
                    people(answer.cap),
                    p(answer.achieved)
                ),
            };
            // Not a bottleneck at the cap (the one rule, `analyze::binds`): the plan lacks
            // demand (leads, conversion), not people.
            if answer
                .utilization_at_cap
                .is_some_and(|u| !crate::analyze::binds(u))
            {
                let u = answer.utilization_at_cap.map_or("—".into(), p);
                out += &match lang {
                    Lang::Ru => format!(
                        "Загрузка роли при этом {u}: людей хватает, плану не хватает лидов или конверсии.\n"
                    ),
                    Lang::En => format!(
                        "The role is then {u} busy: there are enough people; the plan needs more leads or better conversion.\n"
                    ),
                };
            }
        }
    }
    let tried: Vec<String> = answer
        .tried
        .iter()
        .map(|(h, pr)| format!("{h} → {}", p(*pr)))
        .collect();
    out += &format!(
        "{}: {}\n",
        lang.pick("Проверено (штат → P(план))", "Tried (headcount → P(plan))"),
        tried.join(", ")
    );
    out += &format!(
        "{}\n",
        match lang {
            Lang::Ru => format!(
                "{} прогонов на вариант, зерно {}",
                number(f64::from(args.run.runs), lang),
                args.run.seed
            ),
            Lang::En => format!(
                "{} runs per variant, seed {}",
                number(f64::from(args.run.runs), lang),
                args.run.seed
            ),
        }
    );
    let start = options.start_of(&crate::sim::Params::from_model(&model, options.months));
    out += &format!("{}\n", crate::render::forecast::start_sentence(start, lang));
    print!("{out}");
    EXIT_OK
}
