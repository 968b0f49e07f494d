//! Counters with arguments, call direction and talk time, stocks and period comparisons
//! (issue 19): what the language reads into the model, that `fmt` keeps it, and what the
//! forecast makes of it against analytic answers.

use std::path::Path;
use voronka::model::{CallDirection, ChangeBase, Counter, Formula, Model};
use voronka::sim::{SimOptions, SimResult, simulate};

/// A stage `А` without work (no capacity limit) that every lead enters, 5 days long, then `Б`.
const BASE: &str = "положение \"Т\" { валюта ₽; горизонт 12 мес; старт новый }
роль М \"Менеджер\" { штат 4; рабочий_день 8 ч; доля_продаж 100% }
причина Дорого \"Дорого\"
канал Сайт { лиды 300 в мес; воронка П }
канал Реклама { лиды 150 в мес; воронка П }
воронка П { чек 100 000 ₽
  этап А { ответственный М; конверсия 50%; длительность 5 дн; отказ -> проиграно причина Дорого }
  этап Б { ответственный М; конверсия 40%; длительность 2 дн
    цепочка { звонок \"Холодный\" исходящий 10 мин; разговор 6 мин; попыток 2; дозвон 50%; иначе -> проиграно
              звонок \"Входящий\" входящий 4 мин; разговор 3 мин } }
}
";

fn model(kpis: &str) -> Model {
    let text = format!("{BASE}{kpis}");
    let c = voronka::compile_str(Path::new("counters.sales"), &text);
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code().to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    c.model.expect("a model")
}

fn run(m: &Model, runs: u32, months: Option<u32>) -> SimResult {
    simulate(
        m,
        &SimOptions {
            runs,
            seed: 7,
            months,
            threads: Some(1),
            ..SimOptions::default()
        },
    )
}

fn kpi<'a>(r: &'a SimResult, name: &str) -> &'a voronka::sim::KpiResult {
    r.kpis.iter().find(|k| k.name == name).expect("the KPI")
}

#[test]
fn contacts_carry_direction_and_talk_time() {
    let m = model("");
    let chain = &m.pipelines[0].stages[1].chain;
    assert_eq!(chain[0].direction, Some(CallDirection::Outgoing));
    assert_eq!(chain[0].talk_minutes, Some(6.0));
    assert_eq!(chain[1].direction, Some(CallDirection::Incoming));
    // Work minutes stay the load.
    assert_eq!(chain[0].work_minutes, Some(10.0));
    // Talk happens only on a reached attempt: 6 × (1 − 0.5²), then 3 × 0.75 for the next.
    let talk = m.pipelines[0].stages[1].contact_talk_minutes();
    assert!(
        (talk[0] - 4.5).abs() < 1e-12 && (talk[1] - 2.25).abs() < 1e-12,
        "{talk:?}"
    );
}

#[test]
fn counter_arguments_lower_into_the_filter() {
    let m = model(
        "показатель К1 { формула выиграно(канал Сайт) }
показатель К2 { формула проиграно(А, причина Дорого) }
показатель К3 { формула минуты(звонки, исходящие, роль М) }
показатель К4 { формула просрочено(П.Б, 3 дн) }
показатель К5 { формула изменение(выручка, прошлый_год) }
",
    );
    let f = |i: usize| m.kpis[i].formula.clone().expect("a formula");
    let Formula::Counter { counter, filter, .. } = f(0) else {
        panic!()
    };
    assert_eq!((counter, filter.channel.as_deref()), (Counter::Won, Some("Сайт")));
    let Formula::Counter { scope, filter, .. } = f(1) else {
        panic!()
    };
    assert!(scope.is_some() && filter.reason.as_deref() == Some("Дорого"));
    let Formula::Counter { counter, filter, .. } = f(2) else {
        panic!()
    };
    assert_eq!(counter, Counter::TalkMinutes);
    assert_eq!(filter.contacts, Some(Counter::Calls));
    assert_eq!(filter.direction, Some(CallDirection::Outgoing));
    assert_eq!(filter.role.as_deref(), Some("М"));
    let Formula::Counter { counter, filter, .. } = f(3) else {
        panic!()
    };
    assert_eq!((counter, filter.days), (Counter::Overdue, Some(3.0)));
    let Formula::Change { base, .. } = f(4) else {
        panic!()
    };
    assert_eq!(base, ChangeBase::PreviousYear);
    assert_eq!(
        m.kpis[2].formula_text.as_deref(),
        Some("минуты(звонки, исходящие, роль М)")
    );
}

/// A plain counter's model dump is what it was before the arguments existed.
#[test]
fn a_plain_counter_has_no_filter_in_the_dump() {
    let m = model("показатель К { формула выиграно(П) / вошло }\n");
    let json = serde_json::to_string(&m.kpis[0].formula).unwrap();
    assert!(!json.contains("filter"), "{json}");
    let chain = serde_json::to_string(&voronka::compile_str(Path::new("a.sales"), "роль М { штат 1 }\nканал К { лиды 1 в мес; воронка П }\nворонка П { этап А { ответственный М; цепочка { звонок \"З\" 5 мин } } }\n").model.unwrap().pipelines[0].stages[0].chain).unwrap();
    assert!(!chain.contains("direction") && !chain.contains("talk"), "{chain}");
}

#[test]
fn fmt_keeps_the_new_syntax_and_is_idempotent() {
    let text = format!(
        "{BASE}показатель К {{ формула минуты( звонки ,исходящие ) + выиграно(канал  Сайт)/ изменение( лиды ,прошлый_период ) }}\n"
    );
    let path = Path::new("f.sales");
    let once = voronka::fmt::format_text(path, &text).expect("formats");
    assert!(
        once.contains(
            "формула минуты(звонки, исходящие) + выиграно(канал Сайт) / изменение(лиды, прошлый_период)"
        ),
        "{once}"
    );
    assert!(
        once.contains("звонок \"Холодный\" исходящий 10 мин; разговор 6 мин; попыток 2"),
        "{once}"
    );
    assert_eq!(voronka::fmt::format_text(path, &once).expect("formats"), once);
    let a = voronka::compile_str(path, &text).model.unwrap();
    let b = voronka::compile_str(path, &once).model.unwrap();
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        serde_json::to_value(&b).unwrap()
    );
}

/// Wins of each channel add up to all wins in every replication, in the channels' ratio of
/// leads here (both enter the same stage).
#[test]
fn wins_by_channel_add_up_to_all_wins() {
    let m = model(
        "показатель Все { формула выиграно }
показатель Сайт { формула выиграно(канал Сайт) }
показатель Реклама { формула выиграно(канал Реклама) }
показатель ЛидыСайта { формула лиды(канал Сайт) }
",
    );
    let r = run(&m, 200, None);
    let v = |n: &str| kpi(&r, n).value.expect("a value").mean;
    let (all, site, ads) = (v("Все"), v("Сайт"), v("Реклама"));
    assert!((site + ads - all).abs() < 1e-6 * all, "{site} + {ads} ≠ {all}");
    assert!((site / all - 2.0 / 3.0).abs() < 0.01, "share {}", site / all);
    let leads = r
        .channels
        .iter()
        .find(|c| c.channel == "Сайт")
        .unwrap()
        .leads
        .mean
        / 12.0;
    assert!((v("ЛидыСайта") - leads).abs() < 1e-6 * leads);
}

/// `открыто(А)` against Little's law for a stage without work: deals entered in the last 5
/// days of each month are in it at the month's end (Poisson, mean 5 × the day's rate);
/// `просрочено(А, 2 дн)` those that entered 3 or 4 days before (mean 2 × the rate).
#[test]
fn open_and_overdue_stocks_follow_littles_law() {
    let m = model(
        "показатель Открыто { формула открыто(А) }
показатель Просрочено { формула просрочено(А, 2 дн) }
показатель Доля { формула просрочено(А, 2 дн) / открыто(А) }
показатель НаМенеджера { формула открыто(А); роли М }
показатель ПросроченоНаМенеджера { формула просрочено(А, 2 дн); роли М }
",
    );
    let runs = 400;
    let r = run(&m, runs, None);
    let params = voronka::sim::Params::from_model(&m, None);
    let calendar = voronka::sim::start::Calendar::new(&params);
    let leads = 450.0;
    let months = calendar.month_days.len() as f64;
    let rate: f64 = calendar.month_days.iter().map(|&d| leads / d as f64).sum::<f64>() / months;
    for (name, days) in [("Открыто", 5.0), ("Просрочено", 2.0)] {
        let s = kpi(&r, name).value.expect("a value");
        let expected = days * rate;
        // The mean of 12 month-end Poisson counts per run, over the runs.
        let se = (expected / months / f64::from(runs)).sqrt();
        assert!(
            (s.mean - expected).abs() < 4.0 * se,
            "{name}: {} vs {expected} ± {se}",
            s.mean
        );
        let by_month = kpi(&r, name).by_month.as_ref().expect("by month");
        assert_eq!(by_month.len(), 12);
        assert!(by_month.iter().all(Option::is_some));
    }
    let share = kpi(&r, "Доля").value.expect("a value").mean;
    assert!((share - 0.4).abs() < 0.02, "{share}");
    // A stock of a role's KPI is per person: the department's ÷ the role's 4 people, run by
    // run (a stock is not scaled to the period, and the headcount does not change).
    for (person, whole) in [
        ("НаМенеджера", "Открыто"),
        ("ПросроченоНаМенеджера", "Просрочено"),
    ] {
        let (p, w) = (kpi(&r, person), kpi(&r, whole));
        let (p, w) = (p.value.expect("a value").mean, w.value.expect("a value").mean);
        assert!((p - w / 4.0).abs() < 1e-9 * w, "{person}: {p} vs {w} / 4");
        assert_eq!(kpi(&r, person).per_person, ["М"]);
    }
}

/// Talk minutes of outgoing calls: every lead that reaches `Б` is called up to twice until
/// reached (50 %), talk 6 minutes once reached; incoming calls are not counted.
#[test]
fn talk_minutes_count_reached_outgoing_calls() {
    let m = model(
        "показатель Разговор { формула минуты(звонки, исходящие); роли отдел }
показатель Исходящие { формула звонки(исходящие); роли отдел }
показатель Входящие { формула звонки(входящие); роли отдел }
показатель Потери { формула проиграно(причина Дорого); роли отдел }
",
    );
    let r = run(&m, 200, None);
    let v = |n: &str| kpi(&r, n).value.expect("a value").mean;
    let entered_b = r.stages[1].entered.mean / 12.0;
    let served_b = entered_b; // ample capacity: work starts the day a lead enters (±the last day)
    assert!(
        (v("Разговор") / served_b - 4.5).abs() < 0.1,
        "{}",
        v("Разговор") / served_b
    );
    assert!((v("Исходящие") / served_b - 1.5).abs() < 0.03);
    // The incoming call is made for the reached clients only (3 of 4).
    assert!((v("Входящие") / served_b - 0.75).abs() < 0.02);
    // Half of `А`'s entries fail, all with the reason — those that leave `А` in the horizon:
    // all but the last 5 of its 260 working days' entries. Tolerance: 5 standard errors of a
    // share of ≈ 1.08 million entries (one is ≈ 0.0005).
    let entered_a = r.stages[0].entered.mean / 12.0;
    let expected = 0.5 * (260.0 - 5.0) / 260.0;
    assert!(
        (v("Потери") / entered_a - expected).abs() < 0.0025,
        "{} vs {expected}",
        v("Потери") / entered_a
    );
}

/// `изменение` is computed exactly from the monthly values of the same replication; months
/// without a base have none.
#[test]
fn change_is_exact_from_the_monthly_values() {
    let m = model(
        "показатель Месяц { формула изменение(выручка, прошлый_период) }
показатель Год { формула изменение(лиды, прошлый_год) }
",
    );
    let r = run(&m, 1, Some(24));
    let month = kpi(&r, "Месяц").by_month.as_ref().expect("by month");
    let year = kpi(&r, "Год").by_month.as_ref().expect("by month");
    assert!(month[0].is_none());
    assert!(year[..12].iter().all(Option::is_none));
    let revenue: Vec<f64> = r.months.iter().map(|x| x.revenue.mean).collect();
    let leads: Vec<f64> = r.months.iter().map(|x| x.leads.mean).collect();
    let mut values = Vec::new();
    for m in 1..24 {
        let want = revenue[m] / revenue[m - 1] - 1.0;
        let got = month[m].expect("a base").mean;
        assert!((got - want).abs() < 1e-9, "month {m}: {got} vs {want}");
        values.push(got);
    }
    for m in 12..24 {
        let want = leads[m] / leads[m - 12] - 1.0;
        assert!((year[m].expect("a base").mean - want).abs() < 1e-9);
    }
    // The KPI's value is the mean over the months that have one.
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    assert!((kpi(&r, "Месяц").value.unwrap().mean - mean).abs() < 1e-9);
    // With a 12-month horizon nothing has a year before: no value, and the check says so.
    let short = run(&m, 1, None);
    assert_eq!(kpi(&short, "Год").not_evaluated.as_deref(), Some("no_base"));
}

/// A forecast without the new counters is the same with or without them elsewhere: the
/// metrics block only adds the KPIs that read it.
#[test]
fn new_counters_leave_the_rest_of_the_forecast_unchanged() {
    let plain = run(&model(""), 50, None);
    let with = run(
        &model("показатель П { формула просрочено(А, 2 дн) + проиграно(причина Дорого) }\n"),
        50,
        None,
    );
    let strip = |r: &SimResult| {
        let mut v = serde_json::to_value(r).unwrap();
        v.as_object_mut().unwrap().remove("kpis");
        v
    };
    assert_eq!(strip(&plain), strip(&with));
}
