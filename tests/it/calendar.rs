//! Calendar anchors (issue 19, G5/G1/G13): a role's own days and shifts set its capacity in the
//! analysis and the simulator (checked against the analytic minutes); moments, contact
//! deadlines, retry schedules and interaction items reach the documents and the CRM notes; the
//! English aliases parse to the same model; `fmt` keeps every construct.

use crate::common::voronka;
use std::path::Path;
use voronka::analyze::analyze;
use voronka::model::Model;

fn model(text: &str) -> Model {
    let c = voronka::compile_str(Path::new("test.sales"), text);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    c.model.expect("model")
}

/// Working days in a month of a five-day regulation.
const MONTH_DAYS: f64 = 5.0 * 52.0 / 12.0;

const CALL_CENTRE: &str = r#"
положение "Колл-центр" { горизонт 12 мес; старт новый }
роль Оператор { штат 7; рабочий_день 8 ч; доля_продаж 100%; график 8:00..21:00; смены 2 по 3; дни пн..вс }
канал Сайт { лиды 2000 в мес; воронка Заявки }
воронка Заявки {
  этап Квалификация { ответственный Оператор; конверсия 40%; цепочка { звонок "Звонок" 20 мин } }
}
"#;

#[test]
fn shifts_cap_the_capacity_at_the_on_duty_minutes() {
    let m = model(CALL_CENTRE);
    let a = analyze(&m);
    let role = a.roles.iter().find(|r| r.role == "Оператор").expect("role");
    // 3 people on duty × 13 h × 7 days a week, spread over the 5-day regulation week; the 7
    // people × 8 h × 7/5 the headcount alone would give is more than the shifts keep on duty.
    let cap_per_day = 3.0 * 13.0 * 60.0 * 7.0 / 5.0;
    let expected = cap_per_day * MONTH_DAYS;
    assert!(
        (role.available_minutes - expected).abs() < 1e-6 * expected,
        "{} ≠ {expected}",
        role.available_minutes
    );
    let load = 2000.0 * 20.0 / expected;
    assert!((role.load.expect("load") - load).abs() < 1e-9);

    // The simulator works the same capped minutes: its utilisation agrees with the analytic
    // load within sampling error (Poisson arrivals, 200 runs × 12 months).
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("cc.sales");
    std::fs::write(&file, CALL_CENTRE).expect("write");
    let out = voronka(&[
        "simulate",
        file.to_str().unwrap(),
        "--runs",
        "200",
        "--seed",
        "7",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let util = &json["roles"][0]["utilization"];
    let mean = util["mean"].as_f64().expect("mean");
    let sd = util["sd"].as_f64().expect("sd");
    // A month's leads are Poisson(2000): the load's relative sd over a year is about
    // 1/√24000 ≈ 0.65 %; the mean over 200 runs is far tighter. Allow 4 standard errors plus
    // the ramp of the first day (a new department starts empty).
    let se = sd / 200f64.sqrt();
    assert!(
        (mean - load).abs() < 4.0 * se + 0.005 * load,
        "utilisation {mean} vs analytic {load}"
    );
}

#[test]
fn working_days_of_a_role_scale_its_day_and_a_plain_role_keeps_its_capacity() {
    let m = model(
        r#"
роль Менеджер { штат 2; рабочий_день 8 ч; доля_продаж 50%; дни пн..сб }
роль Хантер { штат 3; рабочий_день 8 ч; доля_продаж 50% }
роль Офис { штат 2; рабочий_день 8 ч; доля_продаж 50%; график 9:00..18:00; дни пн..пт }
канал Сайт { лиды 100 в мес; воронка П }
воронка П {
  этап А { ответственный Хантер; конверсия 50%; цепочка { звонок "З" 5 мин } }
  этап Б { ответственный Менеджер; конверсия 50%; цепочка { встреча "В" 60 мин } }
  этап В { ответственный Офис; конверсия 50%; цепочка { счёт "С" 5 мин } }
}
"#,
    );
    let a = analyze(&m);
    let available = |name: &str| {
        a.roles
            .iter()
            .find(|r| r.role == name)
            .expect("role")
            .available_minutes
    };
    let close = |x: f64, y: f64| (x - y).abs() < 1e-6 * y;
    // Six days in a five-day regulation: 6/5 of the day.
    assert!(close(
        available("Менеджер"),
        2.0 * 480.0 * 0.5 * 6.0 / 5.0 * MONTH_DAYS
    ));
    // No schedule, or the regulation's own five days: exactly as before.
    assert!(close(available("Хантер"), 3.0 * 480.0 * 0.5 * MONTH_DAYS));
    assert!(close(available("Офис"), 2.0 * 480.0 * 0.5 * MONTH_DAYS));
}

const ENGLISH: &str = r#"
regulation "Dept" { schedule 9:00..18:00 }
role Head { headcount 1; function head }
role Operator { headcount 7; reports_to Head; schedule 8:00..21:00; shifts 2 of 3; days mon..sun }
channel Web { leads 300 per mo; pipeline Leads; after_hours by 10:00 }
pipeline Leads {
  stage Q {
    owner Operator; conversion 40%
    chain {
      call "First call" 5 min; attempts 3; reach 50%; retry_at 0, 2 h, 1 d; deadline 2 d; otherwise -> lost
      proposal "Offer" 10 min; deadline 4 h
    }
  }
}
report Weekly "Pipeline" { prepared_by Head; to Head; period weekly; deadline mon 12:00 }
meeting Review "Review" { owner Head; frequency monthly; day 1 work_day; time 10:00 }
control Hygiene { who Head; roles Operator; period daily; time 17:00; to Head }
interaction Acc "Accounting" {
  with "Accounting"; owner Head
  receive "Invoices" within 1 d
  receive "Schedule" ahead 3 wk
  give "Report" period weekly
}
"#;

const RUSSIAN: &str = r#"
положение "Dept" { график 9:00..18:00 }
роль Head { штат 1; функция руководитель }
роль Operator { штат 7; подчиняется Head; график 8:00..21:00; смены 2 по 3; дни пн..вс }
канал Web { лиды 300 в мес; воронка Leads; вне_графика до 10:00 }
воронка Leads {
  этап Q {
    ответственный Operator; конверсия 40%
    цепочка {
      звонок "First call" 5 мин; попыток 3; дозвон 50%; повторы 0, 2 ч, 1 дн; срок 2 дн; иначе -> проиграно
      кп "Offer" 10 мин; срок 4 ч
    }
  }
}
отчёт Weekly "Pipeline" { составляет Head; кому Head; период еженедельно; срок пн 12:00 }
совещание Review "Review" { ответственный Head; частота ежемесячно; день 1 рабочий_день; время 10:00 }
контроль Hygiene { кто Head; роли Operator; период ежедневно; время 17:00; кому Head }
взаимодействие Acc "Accounting" {
  с "Accounting"; ответственный Head
  получаем "Invoices" в_течение 1 дн
  получаем "Schedule" за 3 нед
  передаём "Report" период еженедельно
}
"#;

#[test]
fn english_aliases_give_the_same_model() {
    let en = model(ENGLISH);
    let ru = model(RUSSIAN);
    // Written terms keep their spelling (`1 d` / `1 дн`); everything else is the same.
    let strip = |m: &Model| {
        let mut m = m.clone();
        for p in &mut m.pipelines {
            for s in &mut p.stages {
                for c in &mut s.chain {
                    c.deadline = None;
                    c.retry_at.clear();
                }
            }
        }
        for i in &mut m.interactions {
            for it in &mut i.items {
                it.within = None;
                it.ahead = None;
            }
        }
        m
    };
    // Compared as the interchange format (spans differ between the two texts).
    let json = |m: &Model| serde_json::to_value(strip(m)).expect("json");
    assert_eq!(json(&en), json(&ru));
    let op = &ru.roles[1].schedule;
    assert_eq!(op.days, Some((0, 6)));
    assert_eq!(op.shifts.map(|s| (s.count, s.people)), Some((2, 3)));
    let call = &ru.pipelines[0].stages[0].chain[0];
    assert_eq!(call.retry_at_days, vec![0.0, 0.25, 1.0]);
    assert_eq!(call.deadline_days, Some(2.0));
    assert_eq!(ru.interactions[0].items.len(), 3);
    assert_eq!(ru.interactions[0].receive.as_deref(), Some("Invoices; Schedule"));
}

#[test]
fn documents_and_crm_notes_say_the_terms() {
    let (dir, out_dir) = crate::common::docs_md(RUSSIAN);
    let file = dir.path().join("t.sales");
    let regulation = std::fs::read_to_string(out_dir.join("regulation.md")).expect("regulation");
    for want in [
        "Рабочее время отдела — 9:00–18:00",
        "График работы: 8:00–21:00, пн–вс, 2 смены по 3 человека",
        "заявки, поступившие вне рабочего времени, обрабатываются до 10:00 следующего рабочего дня",
        "(сразу, через 2\u{a0}ч, через 1\u{a0}день)",
        "не позднее 2\u{a0}дней после входа в этап",
        "не позднее 4\u{a0}часов после предыдущего контакта",
        "по понедельникам до 12:00",
        "в 1-й рабочий день месяца в 10:00",
        "ежедневно, в 17:00",
        "Invoices (срок — 1\u{a0}день); Schedule (не позднее чем за 3\u{a0}недели)",
        "Report (еженедельно)",
    ] {
        assert!(regulation.contains(want), "regulation lacks «{want}»");
    }
    let crm_dir = dir.path().join("crm");
    let out = voronka(&[
        "crm",
        file.to_str().unwrap(),
        "--target",
        "amocrm",
        "--out",
        crm_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut text = String::new();
    for e in walk(&crm_dir) {
        if e.extension().is_some_and(|x| x == "md") {
            text.push_str(&std::fs::read_to_string(e).expect("read"));
        }
    }
    assert!(
        text.contains("срок задачи —"),
        "no task due time in the CRM notes"
    );
    assert!(
        text.contains("задачи на попытки: сразу, через"),
        "no attempt tasks"
    );
    assert!(
        text.contains("Рабочее время в настройках аккаунта"),
        "no working hours note"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn fmt_keeps_every_calendar_construct() {
    let dir = tempfile::tempdir().expect("tmp");
    for (name, text) in [("ru.sales", RUSSIAN), ("en.sales", ENGLISH)] {
        let file = dir.path().join(name);
        let messy = text.replace("; ", ";  ").replace("..", " .. ");
        std::fs::write(&file, &messy).expect("write");
        let out = voronka(&["fmt", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let formatted = std::fs::read_to_string(&file).expect("read");
        assert_eq!(formatted.trim_start(), text.trim_start(), "{name}");
    }
}

/// A head who also works Sundays in a six-day regulation scores a quality-control sample: the
/// sample comes out of the working time of the role's own days (7/6 of the day), in the
/// analysis and in the forecast alike.
const SAMPLING_ON_OWN_DAYS: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн; старт новый }
роль РОП { штат 1; рабочий_день 8 ч; дни пн..вс }
роль Менеджер { штат 5; подчиняется РОП; доля_продаж 50% }
канал Сайт { лиды 600 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап Звонок { ответственный РОП; цепочка { звонок "Звонок" 30 мин } }
}
чек_лист Оценка { вид звонок; критерий "Потребность" вес 100 }
контроль Прослушка { кто РОП; роли Менеджер; чек_лист Оценка; выборка 2 в день; на_оценку 5 мин }
"#;

#[test]
fn a_sample_comes_out_of_the_working_time_of_the_roles_own_days() {
    let m = model(SAMPLING_ON_OWN_DAYS);
    let a = analyze(&m);
    let rop = a.roles.iter().find(|r| r.role == "РОП").expect("role");
    // 26 regulation days a month; the head's day is 480 × 7/6 = 560 minutes; the sample is
    // 2 a day × 5 managers × (30 + 5) minutes = 350 minutes a day.
    let days = 26.0;
    let close = |x: f64, y: f64| (x - y).abs() < 1e-6 * y;
    assert!(
        close(rop.working_minutes, 560.0 * days),
        "{}",
        rop.working_minutes
    );
    assert!(
        close(rop.sampling_minutes, 350.0 * days),
        "{}",
        rop.sampling_minutes
    );
    assert!(
        close(rop.available_minutes, (560.0 - 350.0) * days),
        "{}",
        rop.available_minutes
    );

    // The forecast serves the stage with the same 210 minutes a day: 7 calls, every one a win
    // (no conversion, no duration); only the last call of a day is noise.
    let r = voronka::sim::simulate(
        &m,
        &voronka::sim::SimOptions {
            runs: 40,
            seed: 7,
            months: Some(6),
            ..voronka::sim::SimOptions::default()
        },
    );
    let expected = 210.0 / 30.0 * days * 6.0;
    assert!(
        (r.won.mean - expected).abs() <= 0.02 * expected,
        "won {} vs {expected}",
        r.won.mean
    );
}
