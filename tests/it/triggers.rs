//! Triggers (`триггер`) and cadences (`частота 3 раза в нед`): the text lowers to the model
//! values; the work a trigger creates enters the analysis' load exactly and the forecast's
//! demand within sampling error; the Положение, the memos and every CRM's README name them.

use crate::common;

use std::path::Path;
use voronka::model::*;
use voronka::sim::{SimOptions, simulate};

fn compile(text: &str) -> voronka::Compiled {
    voronka::compile_str(Path::new("t.sales"), text)
}

fn model(text: &str) -> Model {
    let c = compile(text);
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code(), d.kind.message().ru))
        .collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    c.model.expect("model")
}

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: {actual} ≠ {expected}"
    );
}

/// Six-day weeks: 26 working days a month. Stage A is entered by 100 leads a month, half go on
/// to B (0..10 days, uniform), 80 % of B are won.
const BASE: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль РОП { штат 1; рабочий_день 8 ч; доля_продаж 50% }
роль М "Менеджер" { штат 2; рабочий_день 8 ч; доля_продаж 100% }
роль Маркетолог { штат 1; рабочий_день 8 ч; доля_продаж 50% }
канал Сайт { лиды 100 в мес; воронка П }
воронка П "Продажа" {
  чек 10 000 ₽
  этап A "Квалификация" { ответственный М; конверсия 50%; длительность 1 дн; цепочка { звонок "Первый" 10 мин } }
  этап B "Предложение" { ответственный М; конверсия 80%; длительность 0..10 дн; лимит 8 дн; цепочка { кп "КП" 30 мин } }
}
показатель Выручка "Выручка отдела" { формула выручка; роли отдел; цель >= 1 млн ₽; цвета красный < 70%, зелёный >= 70% }
совещание Разбор "Разбор сделок" { ответственный РОП; участники М; частота 3 раза в нед "с менеджерами ниже среднего"; длительность 20 мин }
"#;

const TRIGGERS: &str = r#"
триггер Вход "Новое предложение" { когда вход B; действие задача "Проверить бриф" 10 мин }
триггер Зависло "Предложение без ответа" { когда в_этапе B дольше 4 дн; действие звонок "Узнать, что мешает" 20 мин; действие уведомить РОП }
триггер Выход { когда выход A; действие письмо "Итог квалификации" 5 мин }
триггер ДР "С днём рождения" { когда поле "Дата рождения" за 3 дн; действие письмо "Поздравление" 6 мин; ответственный Маркетолог }
триггер Красный "Выручка в красной зоне" { когда показатель Выручка цвет красный; действие совещание Разбор; действие уведомить РОП }
"#;

fn with_triggers() -> String {
    format!("{BASE}{TRIGGERS}")
}

#[test]
fn every_event_and_action_lowers() {
    let m = model(&with_triggers());
    assert_eq!(m.triggers.len(), 5);
    let t = &m.triggers;
    assert_eq!(
        t[0].event,
        Some(TriggerEvent::Enter {
            pipeline: "П".into(),
            stage: "B".into()
        })
    );
    // A stage event's work falls to the stage's owner.
    assert_eq!(t[0].owner.as_deref(), Some("М"));
    assert_eq!(
        t[1].event,
        Some(TriggerEvent::Stay {
            pipeline: "П".into(),
            stage: "B".into(),
            days: 4.0
        })
    );
    assert_eq!(
        t[1].actions,
        vec![
            TriggerAction::Contact {
                kind: ContactKind::Call,
                title: Some("Узнать, что мешает".into()),
                work_minutes: Some(20.0)
            },
            TriggerAction::Notify {
                roles: vec!["РОП".into()]
            }
        ]
    );
    assert!(matches!(&t[2].event, Some(TriggerEvent::Exit { stage, .. }) if stage == "A"));
    assert_eq!(
        t[3].event,
        Some(TriggerEvent::Field {
            field: "Дата рождения".into(),
            before_days: 3.0
        })
    );
    assert_eq!(t[3].owner.as_deref(), Some("Маркетолог"));
    assert_eq!(
        t[4].event,
        Some(TriggerEvent::Kpi {
            kpi: "Выручка".into(),
            colour: Colour::Red
        })
    );
    assert_eq!(
        t[4].actions[0],
        TriggerAction::Meeting {
            meeting: "Разбор".into()
        }
    );
    assert_eq!(t[4].owner, None);
}

#[test]
fn english_aliases_lower_the_same() {
    let ru = model(&with_triggers());
    let en = model(&format!(
        "{BASE}\n\
         trigger Вход \"Новое предложение\" {{ when entry B; action task \"Проверить бриф\" 10 min }}\n\
         trigger Зависло \"Предложение без ответа\" {{ when in_stage B longer 4 d; action call \"Узнать, что мешает\" 20 min; action notify РОП }}\n\
         trigger Выход {{ when exit A; action email \"Итог квалификации\" 5 min }}\n\
         trigger ДР \"С днём рождения\" {{ when field \"Дата рождения\" before 3 d; action email \"Поздравление\" 6 min; owner Маркетолог }}\n\
         trigger Красный \"Выручка в красной зоне\" {{ when kpi Выручка colour red; action meeting Разбор; action notify РОП }}\n"
    ));
    // Spans differ with the spelling; the values do not.
    let json = |m: &Model| serde_json::to_string(&m.triggers).unwrap();
    assert_eq!(json(&ru), json(&en));
}

#[test]
fn cadence_and_condition_lower_on_meetings_and_controls() {
    let m = model(&format!(
        "{BASE}контроль К {{ кто РОП; роли М; частота 2 раза в мес \"по сделкам дороже 1 млн\"; кому РОП }}\n\
         совещание Раз {{ ответственный РОП; frequency time per mo }}\n"
    ));
    let r = m.meetings.iter().find(|x| x.name == "Разбор").unwrap();
    assert_eq!(r.period, Some(Period::Week));
    assert_eq!(
        r.cadence,
        Some(Cadence {
            times: 3.0,
            per: Period::Week,
            every: 1.0
        })
    );
    assert_eq!(r.condition.as_deref(), Some("с менеджерами ниже среднего"));
    let once = m.meetings.iter().find(|x| x.name == "Раз").unwrap();
    assert_eq!(once.cadence.map(|c| c.times), Some(1.0));
    let c = &m.controls[0];
    assert_eq!(c.period, Some(Period::Month));
    assert_eq!(c.cadence.map(|c| c.times), Some(2.0));
    assert_eq!(c.condition.as_deref(), Some("по сделкам дороже 1 млн"));
}

/// The load by hand. Entries: A 100 a month, B 50. Triggers: entry of B 50 × 10 = 500 min;
/// B longer than 4 days: 50 × P(U(0, 10) > 4) = 50 × 0.6 = 30 firings × 20 = 600 min; exit of
/// A 100 × 5 = 500 min; birthdays once a year for the clients of the last twelve months: as
/// many a month as clients are won, 100 × 0.5 × 0.8 = 40 × 6 = 240 min (the Маркетолог's). The
/// KPI trigger creates no counted work. The meeting: 20 min × 3 a week × 26 / 6 weeks × 2
/// managers.
#[test]
fn trigger_work_enters_the_load_exactly() {
    let plain = voronka::analyze::analyze(&model(BASE));
    let a = voronka::analyze::analyze(&model(&with_triggers()));
    let role =
        |a: &voronka::analyze::Analysis, n: &str| a.roles.iter().find(|r| r.role == n).unwrap().clone();
    let (m0, m1) = (role(&plain, "М"), role(&a, "М"));
    close(m0.demanded_minutes, 100.0 * 10.0 + 50.0 * 30.0, "chain only");
    close(
        m1.demanded_minutes - m0.demanded_minutes,
        500.0 + 600.0 + 500.0,
        "trigger minutes of М",
    );
    let firings: Vec<(String, f64, f64)> = m1
        .triggers
        .iter()
        .map(|w| (w.trigger.clone(), w.firings_per_month, w.minutes))
        .collect();
    assert_eq!(firings.len(), 3);
    close(firings[1].1, 30.0, "stale firings");
    close(firings[1].2, 600.0, "stale minutes");
    let mk = role(&a, "Маркетолог");
    close(mk.demanded_minutes, 40.0 * 6.0, "birthdays");
    close(role(&a, "РОП").demanded_minutes, 0.0, "a notice is no work");
    close(
        m1.meeting_minutes,
        20.0 * 3.0 * 26.0 / 6.0 * 2.0,
        "3 times a week",
    );
    close(
        m1.load.unwrap(),
        m1.demanded_minutes / (2.0 * 480.0 * 26.0),
        "load includes the triggers",
    );
}

/// The forecast charges a stage trigger's expected minutes with the stage's work: the
/// utilisation is (10 + 5 + 0.5 × (30 + 10 + 0.6 × 20)) minutes a lead × leads / available,
/// within 4 SE.
#[test]
fn the_forecast_demands_the_trigger_work() {
    let m = model(&with_triggers());
    let runs = 400;
    let r = simulate(
        &m,
        &SimOptions {
            runs,
            seed: 11,
            months: Some(6),
            start: Some(StartKind::New),
            ..SimOptions::default()
        },
    );
    let manager = r.roles.iter().find(|x| x.role == "М").unwrap();
    let per_lead = 10.0 + 5.0 + 0.5 * (30.0 + 10.0 + 0.6 * 20.0);
    let available = 2.0 * 480.0 * f64::from(r.working_days);
    let u = manager.utilization.as_ref().expect("capacity");
    let expected = per_lead * r.leads.mean / available;
    assert!(
        (u.mean - expected).abs() <= 4.0 * u.sd / f64::from(runs).sqrt() + 0.002,
        "utilisation {} vs {expected}",
        u.mean
    );
}

#[test]
fn documents_have_the_automation_section_and_the_memos_the_duties() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(&file, with_triggers()).unwrap();
    let out = dir.path().join("docs");
    let o = common::voronka(&[
        "docs",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // No-break spaces (`4 дней`, `20 мин`) read as spaces here.
    let read = |name: &str| {
        std::fs::read_to_string(out.join(name))
            .unwrap()
            .replace('\u{a0}', " ")
    };
    let reg = read("regulation.md");
    assert!(reg.contains("Автоматизация и триггеры"), "{reg}");
    assert!(reg.contains(
        "**Предложение без ответа.** Когда: сделка находится на этапе «Предложение» дольше 4 дней."
    ));
    assert!(
        reg.contains("Действие: звонок «Узнать, что мешает» (20 мин); уведомить: РОП. Выполняет: Менеджер.")
    );
    assert!(reg.contains("в среднем 30 раз в месяц, 10 ч работы в месяц на отдел"));
    assert!(reg.contains("за 3 дня до даты в поле «Дата рождения» клиента"));
    assert!(
        reg.contains(
            "показатель «Выручка отдела» в красной зоне. Действие: созвать совещание «Разбор сделок»"
        )
    );
    assert!(
        reg.contains("Совещание «Разбор сделок» — 3 раза в неделю, с менеджерами ниже среднего, 20 мин.")
    );
    let memo = read("memo-М.md");
    assert!(memo.contains("## Автоматические задачи (триггеры CRM)"));
    assert!(memo.contains("**Новое предложение**: когда сделка переходит на этап «Предложение» — задача «Проверить бриф» (10 мин); выполняет Менеджер."));
    let marketer = read("memo-Маркетолог.md");
    assert!(marketer.contains("**С днём рождения**"));
    assert!(!marketer.contains("Новое предложение"));
}

#[test]
fn every_crm_readme_names_the_automation() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(&file, with_triggers()).unwrap();
    for (target, words) in [
        (
            "amocrm",
            "Сделки → Автоматизировать → этап «Предложение»: триггер «При переходе в этап»",
        ),
        (
            "bitrix24",
            "CRM → Сделки → Роботы, стадия «Предложение»: робот запускается при переходе на стадию",
        ),
        ("hubspot", "enrollment trigger) «Deal stage is „Предложение“»"),
        (
            "pipedrive",
            "событие «Сделка обновлена», условие «этап = „Предложение“»",
        ),
    ] {
        let out = dir.path().join(target);
        let o = common::voronka(&[
            "crm",
            file.to_str().unwrap(),
            "--target",
            target,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let readme = std::fs::read_to_string(out.join("README.md"))
            .unwrap()
            .replace('\u{a0}', " ");
        assert!(readme.contains("## Автоматизация и триггеры"), "{target}");
        assert!(readme.contains(words), "{target}: {readme}");
        assert!(readme.contains("«Предложение без ответа»"), "{target}");
        assert!(readme.contains("«С днём рождения»"), "{target}");
    }
}

#[test]
fn formatting_keeps_triggers_and_cadences() {
    let text = "триггер А \"Т\" {\n    когда в_этапе B   дольше 4 дн ; действие звонок \"x\" 20 мин\n}\n\
                совещание Р { частота  3  раза в нед \"у\" }\n";
    let formatted = voronka::fmt::format_text(Path::new("t.sales"), text).expect("formats");
    assert_eq!(
        formatted,
        "триггер А \"Т\" {\n  когда в_этапе B дольше 4 дн; действие звонок \"x\" 20 мин\n}\n\
         совещание Р { частота 3 раза в нед \"у\" }\n"
    );
    assert_eq!(
        voronka::fmt::format_text(Path::new("t.sales"), &formatted).expect("idempotent"),
        formatted
    );
}

/// `за 24 ч` / `за 2 ч` before a date are clock hours: the documents and the CRM README say
/// «за 1 день» and «за 2 ч», not working days (24 h ÷ 8 h would read «за 3 дня»).
#[test]
fn a_lead_in_hours_before_a_date_is_clock_time() {
    let text = format!(
        "{BASE}{TRIGGERS}\
         триггер Сутки \"Напоминание за сутки\" {{ когда поле \"Дата визита\" за 24 ч; действие сообщение \"Напоминание\" 1 мин; ответственный Маркетолог }}\n\
         триггер ЗаДва \"Звонок перед визитом\" {{ когда поле \"Дата визита\" за 2 ч; действие звонок \"Подтверждение\" 3 мин; ответственный Маркетолог }}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("docs");
    let args = [
        "docs",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "md",
    ];
    let o = common::voronka(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reg = std::fs::read_to_string(out.join("regulation.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(reg.contains("за 1 день до даты в поле «Дата визита»"), "{reg}");
    assert!(reg.contains("за 2 ч до даты в поле «Дата визита»"), "{reg}");
    let crm = dir.path().join("amocrm");
    let args = [
        "crm",
        file.to_str().unwrap(),
        "--target",
        "amocrm",
        "--out",
        crm.to_str().unwrap(),
    ];
    let o = common::voronka(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let readme = std::fs::read_to_string(crm.join("README.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(readme.contains("за 2 ч до даты в поле «Дата визита»"), "{readme}");
}
