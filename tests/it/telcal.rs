//! Telephony, shares of cases, the plan's dates, time before an event and even shifts (issue 19,
//! G11/G5): the model from Russian and English, the forecast that never invents telephony data,
//! the capacity of `смены 2` against the analytic on-duty minutes, the documents and CRM notes,
//! and `fmt`.

use crate::common::voronka;
use voronka::analyze::analyze;
use voronka::model::Model;
use voronka::model::telcal::PlanDue;

use crate::common::model;

const RUSSIAN: &str = r#"положение "Клиника" { валюта ₽; горизонт 12 мес; старт новый; график 9:00..18:00 }
роль РОП { штат 1; функция руководитель }
роль Оператор {
  штат 4; подчиняется РОП; функция хантер; рабочий_день 8 ч; доля_продаж 100%
  график 8:00..20:00; смены 2; ответ до 3 гудков; перезвон 10 мин
}
канал Звонки { лиды 600 в мес; воронка Пациент; команда Оператор; ответ до 2 гудков }
карточка Пациент { поле "Дата визита" дата_время обязательное }
воронка Пациент {
  выход оплата; чек 5 000 ₽
  этап Запись { ответственный Оператор; конверсия 60%; длительность 1 дн; цепочка { звонок "Запись" входящий 4 мин; разговор 3 мин } }
}
показатель Пропущенные { опережающий; меньше_лучше; формула пропущенные / звонки(входящие); единица %; роли Оператор; цель <= 5% }
показатель Результативные { опережающий; формула звонки(входящие, разговор >= 1 мин); роли Оператор; период ежедневно; цель >= 20 }
показатель Отклик { опережающий; меньше_лучше; формула отклик; единица мин; роли отдел; цель <= 15 мин в 90% }
показатель Звонки { опережающий; формула звонки; роли Оператор; период ежедневно; цель >= 20 }
план {
  выручка 1 млн ₽ в мес; ответственный РОП
  срок "Проект плана" до 15 декабря кто РОП
  срок "Утверждение" до 25.12
  срок "План на квартал" за 10 дн до начала квартала кто РОП
}
триггер Накануне { когда поле "Дата визита" накануне 17:00 если_время до 10:00; воронка Пациент; ответственный Оператор; действие звонок "Подтверждение" 2 мин }
совещание Планёрка { ответственный РОП; участники Оператор; частота ежедневно; длительность 10 мин; время за 15 мин до открытия }
"#;

const ENGLISH: &str = r#"regulation "Клиника" { currency ₽; horizon 12 mo; start new; schedule 9:00..18:00 }
role РОП { headcount 1; function head }
role Оператор {
  headcount 4; reports_to РОП; function hunter; work_day 8 h; selling_share 100%
  schedule 8:00..20:00; shifts 2; answer by 3 rings; callback 10 min
}
channel Звонки { leads 600 per mo; pipeline Пациент; team Оператор; answer by 2 rings }
card Пациент { field "Дата визита" datetime required }
pipeline Пациент {
  exit payment; deal_size 5 000 ₽
  stage Запись { owner Оператор; conversion 60%; duration 1 d; chain { call "Запись" incoming 4 min; talk 3 min } }
}
kpi Пропущенные { leading; lower_is_better; formula missed / calls(incoming); unit %; roles Оператор; target <= 5% }
kpi Результативные { leading; formula calls(incoming, talk >= 1 min); roles Оператор; period daily; target >= 20 }
kpi Отклик { leading; lower_is_better; formula first_response; unit min; roles department; target <= 15 min in 90% }
kpi Звонки { leading; formula calls; roles Оператор; period daily; target >= 20 }
plan {
  revenue 1 M ₽ per mo; owner РОП
  deadline "Проект плана" by 15 december who РОП
  deadline "Утверждение" by 25.12
  deadline "План на квартал" ahead 10 d by start_of quarter who РОП
}
trigger Накануне { when field "Дата визита" day_before 17:00 if_time by 10:00; pipeline Пациент; owner Оператор; action call "Подтверждение" 2 min }
meeting Планёрка { owner РОП; participants Оператор; frequency daily; duration 10 min; time ahead 15 min by opening }
"#;

#[test]
fn every_construct_reaches_the_model_the_same_in_both_languages() {
    let ru = model(RUSSIAN);
    let en = model(ENGLISH);
    // Written text keeps its spelling (formulas, `10 дн` / `10 d`); everything else is the same.
    let strip = |m: &Model| {
        let mut m = m.clone();
        for k in &mut m.kpis {
            k.formula_text = None;
        }
        for d in m.plan.iter_mut().flat_map(|p| &mut p.deadlines) {
            if let PlanDue::Before { text, .. } = &mut d.due {
                text.clear();
            }
        }
        serde_json::to_value(m).expect("json")
    };
    assert_eq!(strip(&ru), strip(&en));
    assert_eq!(
        ru.kpis[1].formula_text.as_deref(),
        Some("звонки(входящие, разговор >= 1 мин)")
    );
    let op = ru.role("Оператор").expect("role");
    assert_eq!(op.telephony.answer_rings, Some(3));
    assert_eq!(op.telephony.callback_minutes, Some(10.0));
    assert_eq!(ru.channels[0].telephony.answer_rings, Some(2));
    let shifts = op.schedule.shifts.expect("shifts");
    assert_eq!((shifts.count, shifts.even), (2, Some(2.0)));
    assert_eq!(ru.kpis[2].percentile, Some(0.9));
    assert!(ru.kpis[0].telephony_data() && ru.kpis[1].telephony_data());
    assert!(!ru.kpis[3].telephony_data());
    let plan = ru.plan.as_ref().expect("plan");
    assert_eq!(plan.deadlines.len(), 3);
    assert_eq!(plan.deadlines[0].due, PlanDue::Date { day: 15, month: 12 });
    assert_eq!(plan.deadlines[0].who.as_deref(), Some("РОП"));
    assert_eq!(plan.deadlines[1].due, PlanDue::Date { day: 25, month: 12 });
    assert!(matches!(
        plan.deadlines[2].due,
        PlanDue::Before { days, period: voronka::model::Period::Quarter, .. } if days == 10.0
    ));
    let t = &ru.triggers[0];
    assert_eq!(
        (t.timing.day_before_at, t.timing.if_time_before),
        (Some(17 * 60), Some(600))
    );
    assert_eq!(ru.meetings[0].before_opening_minutes, Some(15.0));
}

#[test]
fn even_shifts_cap_the_capacity_like_written_people() {
    // 4 people in 2 shifts of a 12-hour day: 2 on duty, as `смены 2 по 2` says.
    let even = model(RUSSIAN);
    let written = model(&RUSSIAN.replace("смены 2;", "смены 2 по 2;"));
    let a = analyze(&even);
    let b = analyze(&written);
    let role = |a: &voronka::analyze::Analysis| {
        a.roles
            .iter()
            .find(|r| r.role == "Оператор")
            .expect("role")
            .available_minutes
    };
    // On duty 2 × 12 h × 5 days a week, spread over the 5-day week: 1 440 minutes a day, less
    // than the 4 × 8 h the staff alone would give.
    let month_days = 5.0 * 52.0 / 12.0;
    let expected = 2.0 * 12.0 * 60.0 * month_days;
    assert!(
        (role(&a) - expected).abs() < 1e-6 * expected,
        "{} ≠ {expected}",
        role(&a)
    );
    assert!((role(&a) - role(&b)).abs() < 1e-9);
    // The analysis says the assumption.
    assert!(
        a.notes.iter().any(|n| n
            .text(voronka::locale::Lang::Ru)
            .contains("делится поровну, 2 на смене")),
        "{:?}",
        a.notes
    );
    assert!(
        !b.notes
            .iter()
            .any(|n| n.text(voronka::locale::Lang::Ru).contains("поровну"))
    );
}

#[test]
fn the_forecast_marks_telephony_data_and_shares_of_cases_and_counts_the_calls() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("t.sales");
    std::fs::write(&file, RUSSIAN).expect("write");
    let out = voronka(&[
        "simulate",
        file.to_str().unwrap(),
        "--runs",
        "50",
        "--seed",
        "3",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let kpi = |name: &str| {
        json["kpis"]
            .as_array()
            .expect("kpis")
            .iter()
            .find(|k| k["name"] == name)
            .cloned()
            .expect("kpi")
    };
    for (name, why) in [
        ("Пропущенные", "telephony"),
        ("Результативные", "telephony"),
        ("Отклик", "percentile"),
    ] {
        let k = kpi(name);
        assert!(k["value"].is_null(), "{name} has a value: {k}");
        assert_eq!(k["not_evaluated"], why, "{name}");
    }
    // What the model simulates is evaluated: 600 calls a month, one a lead, over the working
    // days (5 × 52 / 12 a month) per person of the 4 operators; Poisson leads, 50 runs.
    let calls = kpi("Звонки");
    let mean = calls["value"]["mean"].as_f64().expect("calls evaluated");
    let want = 600.0 / (5.0 * 52.0 / 12.0) / 4.0;
    assert!((mean - want).abs() < 0.05 * want, "calls {mean} vs {want}");
    let text = voronka(&["simulate", file.to_str().unwrap(), "--runs", "20", "--seed", "3"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("данные: телефония)"), "{text}");
    assert!(text.contains("данные: телефония и CRM — доля случаев в пределах цели"));
}

#[test]
fn documents_and_crm_notes_say_the_standards_dates_and_times() {
    let (dir, out_dir) = crate::common::docs_md(RUSSIAN);
    let file = dir.path().join("t.sales");
    let read = |f: &str| std::fs::read_to_string(out_dir.join(f)).expect(f);
    let regulation = read("regulation.md");
    for want in [
        "трубку берут не позднее 2-го гудка",
        "Телефония: трубку берут не позднее 3-го гудка; пропущенный звонок — перезвон не позднее 10 минут",
        "2 смены (штат поровну: 2 на смене)",
        "не более 15 мин в 90 % случаев",
        "Календарь планирования: Проект плана — до 15 декабря (РОП); Утверждение — до 25 декабря; План на квартал — за 10 дн до начала квартала (РОП)",
        "накануне даты из поля «Дата визита»",
        "в 17:00, если время в поле — до 10:00",
        "ежедневно за 15 минут до открытия (7:45)",
        "с разговором не короче 1 минуты",
    ] {
        assert!(regulation.contains(want), "regulation lacks «{want}»");
    }
    let memo = read("memo-РОП.md");
    assert!(
        memo.contains("Планирование: Проект плана — до 15 декабря; План на квартал"),
        "{memo}"
    );
    let memo = read("memo-Оператор.md");
    assert!(
        memo.contains("Телефония: трубку берут не позднее 3-го гудка"),
        "{memo}"
    );

    for (target, want) in [
        ("amocrm", "задача «Перезвонить» со сроком 10 мин"),
        ("bitrix24", "время ожидания ответа 15 с (3 гудка)"),
        ("hubspot", "не ответили за 10 с (2 гудка)"),
        ("pipedrive", "дело «Перезвонить» со сроком 10 мин"),
    ] {
        let crm_dir = dir.path().join(target);
        let out = voronka(&[
            "crm",
            file.to_str().unwrap(),
            "--target",
            target,
            "--out",
            crm_dir.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let readme = std::fs::read_to_string(crm_dir.join(target).join("README.md"))
            .or_else(|_| std::fs::read_to_string(crm_dir.join("README.md")))
            .expect("README");
        assert!(readme.contains(want), "{target} lacks «{want}»");
        assert!(readme.contains("показатели из отчётов телефонии"), "{target}");
        assert!(
            readme.contains("накануне даты в поле «Дата визита», в 17:00"),
            "{target}"
        );
    }
}

#[test]
fn fmt_keeps_every_construct() {
    let dir = tempfile::tempdir().expect("tmp");
    for (name, text) in [("ru.sales", RUSSIAN), ("en.sales", ENGLISH)] {
        let file = dir.path().join(name);
        let messy = text.replace("; ", ";  ").replace(" в 90%", "  в  90%");
        std::fs::write(&file, &messy).expect("write");
        let out = voronka(&["fmt", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let formatted = std::fs::read_to_string(&file).expect("read");
        assert_eq!(formatted, text, "{name}");
    }
}
