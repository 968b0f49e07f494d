//! `plan`'s answer as text: the headcount that meets the plan with the asked probability, or
//! why hiring cannot, and the headcounts tried.

use super::{number, percent};
use crate::diag::{Lang, plural_ru};
use crate::planning::{PlanAnswer, PlanPeriod};
use crate::sim::Start;

/// The answer of `planning::plan_headcount_for` for a reader of `lang`.
pub fn text(
    answer: &PlanAnswer,
    probability: f64,
    period: PlanPeriod,
    runs: u32,
    seed: u64,
    start: Start,
    lang: Lang,
) -> String {
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
                    p(probability),
                    answer.role,
                    people(h),
                    answer.current,
                    p(answer.achieved)
                ),
                Lang::En => format!(
                    "To meet the plan with probability at least {}, role {} needs {} (now {}); probability at that headcount: {}.\n",
                    p(probability),
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
                    p(probability),
                    answer.role,
                    people(answer.cap),
                    p(answer.achieved)
                ),
                Lang::En => format!(
                    "Hiring into {} cannot meet the plan with probability {}: even with {} the probability is {}.\n",
                    answer.role,
                    p(probability),
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
    let screened = answer.tried_runs.iter().any(|&r| r < runs);
    let screen = number(f64::from(crate::planning::SCREEN_RUNS), lang);
    let all = number(f64::from(runs), lang);
    out += &format!(
        "{}\n",
        match (lang, screened) {
            (Lang::Ru, false) => format!("{all} прогонов на вариант, зерно {seed}"),
            (Lang::En, false) => format!("{all} runs per variant, seed {seed}"),
            (Lang::Ru, true) => format!(
                "{all} прогонов на ответ и на штат, близкий к цели; остальные — по {screen} (их сторона от цели видна сразу); зерно {seed}"
            ),
            (Lang::En, true) => format!(
                "{all} runs for the answer and for headcounts near the target; the rest {screen} each (their side of the target is clear at once); seed {seed}"
            ),
        }
    );
    out += &format!("{}\n", crate::render::forecast::start_sentence(start, lang));
    out
}
