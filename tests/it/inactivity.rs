//! Client-base triggers (issue 19, G8/G7): inactivity (`без_покупки`, `без_активности` … `доля`),
//! recurring contacts (`каждые 2 нед`, `для сегмент A доля 10%`) and the hand-off `перевести ->`.
//! The text lowers to the model; the analysis' load is the analytic figure (clients a month ×
//! share; base = clients a month × 12 × contacts a month × share); without `доля` nothing is
//! counted and the documents say so; the documents and each CRM's README word them.

use crate::common;

use std::path::Path;
use voronka::model::*;

fn model(text: &str) -> Model {
    let c = voronka::compile_str(Path::new("t.sales"), text);
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

/// Five-day weeks, 21 working days a month (`рабочих_дней` by the calendar). Сопровождение is
/// entered by 30 clients a month; its owner is М.
const BASE: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес }
роль РОП { штат 1; рабочий_день 8 ч; доля_продаж 50% }
роль М "Менеджер" { штат 2; рабочий_день 8 ч; доля_продаж 100% }
роль Х "Хантер" { штат 2; рабочий_день 8 ч; доля_продаж 100% }
канал Сайт { лиды 100 в мес; воронка П }
канал База { лиды 30 в мес; воронка С }
воронка П "Привлечение" {
  ответственный Х; чек 10 000 ₽
  этап A "Квалификация" { ответственный Х; конверсия 50%; длительность 1 дн; цепочка { звонок "Первый" 10 мин } }
}
воронка С "Сопровождение" {
  вид аккаунтинг; ответственный М; чек 10 000 ₽; повтор 50% через 4..8 мес
  этап З "Заказ" { ответственный М; конверсия 80%; длительность 5 дн; цепочка { счёт "Счёт" 10 мин } }
}
отчёт ABC { составляет РОП; период ежемесячно; вид abc_клиентов }
"#;

const TRIGGERS: &str = r#"
триггер Затих "Клиент без заказов" { когда без_покупки 9 мес доля 20%; воронка С; действие звонок "Причины паузы" 15 мин; действие перевести -> П }
триггер Тишина { когда без_активности 14 дн; воронка С; действие письмо "Напоминание" 5 мин }
триггер Плановый "Плановый звонок" { когда каждые 2 нед; воронка С; действие звонок "Плановый" 10 мин }
триггер ОбзорA "Обзор с клиентом A" { когда каждые 3 мес для сегмент A доля 10%; воронка С; действие встреча "Обзор" 60 мин }
триггер ОбзорB { когда каждые 6 мес для сегмент B; воронка С; действие встреча "Обзор" 60 мин }
"#;

fn text() -> String {
    format!("{BASE}{TRIGGERS}")
}

#[test]
fn events_and_the_hand_off_lower() {
    let m = model(&text());
    let t = &m.triggers;
    assert_eq!(t.len(), 5);
    let month_days = m.header.calendar().month_days();
    match &t[0].event {
        Some(TriggerEvent::Idle {
            quiet: Quiet::Purchase,
            after,
            share,
        }) => {
            close(after.months, 9.0, "9 months");
            assert_eq!((after.count, after.per), (9.0, Period::Month));
            assert_eq!(*share, Some(0.2));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        t[0].actions[1],
        TriggerAction::Transfer {
            pipeline: "П".into()
        }
    );
    // A client-base trigger's work falls to the pipeline's owner.
    assert_eq!(t[0].owner.as_deref(), Some("М"));
    match &t[1].event {
        Some(TriggerEvent::Idle {
            quiet: Quiet::Activity,
            after,
            share: None,
        }) => close(after.months * month_days, 14.0, "14 working days"),
        other => panic!("{other:?}"),
    }
    match &t[3].event {
        Some(TriggerEvent::Every {
            every,
            segment,
            share,
        }) => {
            close(every.per_month(), 1.0 / 3.0, "quarterly");
            assert_eq!(segment.as_deref(), Some("A"));
            assert_eq!(*share, Some(0.1));
        }
        other => panic!("{other:?}"),
    }
}

/// Сопровождение's first stage is entered by the 30 clients a month of its channel (the analysis'
/// stage flow; repeat orders are the forecast's). Inactivity: 30 × 0.2 × 15 min; the planned
/// call: the base 30 × 12 × (21⅔ / 5 / 2 ≈ 2.17 a month) × 10 min; the A review: 360 × 0.1 × ⅓ ×
/// 60 min. Without `доля` (activity, segment B) nothing is counted.
#[test]
fn client_triggers_enter_the_load_exactly() {
    let plain = voronka::analyze::analyze(&model(BASE));
    let a = voronka::analyze::analyze(&model(&text()));
    let m = model(&text());
    let role =
        |a: &voronka::analyze::Analysis, n: &str| a.roles.iter().find(|r| r.role == n).unwrap().clone();
    let entries = role(&plain, "М").demanded_minutes / 10.0;
    close(entries, 30.0, "entries of С a month");
    let weeks = m.header.calendar().month_days() / 5.0;
    let base = entries * 12.0;
    let expected = [
        ("Клиент без заказов", entries * 0.2, entries * 0.2 * 15.0),
        ("Плановый звонок", base * weeks / 2.0, base * weeks / 2.0 * 10.0),
        ("Обзор с клиентом A", base * 0.1 / 3.0, base * 0.1 / 3.0 * 60.0),
    ];
    let work = role(&a, "М").triggers;
    assert_eq!(work.len(), expected.len(), "{work:?}");
    for (w, (name, firings, minutes)) in work.iter().zip(expected) {
        assert_eq!(w.trigger, name);
        close(w.firings_per_month, firings, name);
        close(w.minutes, minutes, name);
    }
    let extra: f64 = expected.iter().map(|e| e.2).sum();
    close(
        role(&a, "М").demanded_minutes - role(&plain, "М").demanded_minutes,
        extra,
        "all of М's trigger minutes",
    );
}

/// The forecast charges the same minutes: worked first each day, counted as used, so with the
/// same random streams М's utilisation rises by exactly the analysis' trigger minutes over its
/// capacity (2 × 8 h a working day), and the result names the hours.
#[test]
fn the_forecast_charges_the_analysis_client_work() {
    use voronka::sim::{SimOptions, simulate};
    let with = model(&text());
    let a = voronka::analyze::analyze(&with);
    let client_minutes: f64 = a
        .roles
        .iter()
        .find(|r| r.role == "М")
        .unwrap()
        .triggers
        .iter()
        .map(|w| w.minutes)
        .sum();
    let options = SimOptions {
        runs: 20,
        seed: 3,
        start: Some(StartKind::Established),
        ..SimOptions::default()
    };
    let u = |m: &Model| {
        let r = simulate(m, &options);
        let role = r.roles.iter().find(|x| x.role == "М").unwrap().clone();
        (role.utilization.unwrap().mean, role.client_work_hours)
    };
    let (plain, none) = u(&model(BASE));
    let (charged, hours) = u(&with);
    assert_eq!(none, None, "no client work without client triggers");
    close(
        hours.expect("client work hours"),
        client_minutes / 60.0,
        "hours in the result",
    );
    let days = with.header.working_days_per_month();
    // The result rows are `f32`: equal to about 1e-7.
    let added = client_minutes / (2.0 * 8.0 * 60.0 * days);
    assert!(
        (charged - plain - added).abs() < 1e-6,
        "utilisation added: {} ≠ {added}",
        charged - plain
    );
}

fn docs(text: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(&file, text).unwrap();
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
    let read = |name: &str| {
        std::fs::read_to_string(out.join(name))
            .unwrap()
            .replace('\u{a0}', " ")
    };
    (read("regulation.md"), read("memo-М.md"))
}

#[test]
fn documents_say_who_does_what_when_and_what_is_not_counted() {
    let (reg, memo) = docs(&text());
    assert!(reg.contains(
        "**Клиент без заказов.** Когда: клиент воронки «Сопровождение» ничего не покупает 9 месяцев. \
         Действие: звонок «Причины паузы» (15 мин); передать клиента в воронку «Привлечение». Выполняет: Менеджер."
    ), "{reg}");
    assert!(reg.contains("в среднем 6 раз в месяц, 1,5 ч работы в месяц на отдел (оценка: затихает 20 % клиентов, приходящих за месяц)"), "{reg}");
    assert!(reg.contains("не проявляет активности (визиты, входы, ответы) 14 рабочих дней"));
    assert!(reg.contains(
        "Нагрузка: доля затихающих клиентов в положении не задана, поэтому в расчёт загрузки триггер не входит."
    ));
    assert!(reg.contains(
        "Когда: подошёл срок планового контакта (раз в 2 недели с каждым клиентом воронки «Сопровождение»)."
    ));
    assert!(
        reg.contains(
            "раз в 3 месяца с каждым клиентом сегмента A по анализу клиентов воронки «Сопровождение»"
        )
    );
    assert!(
        reg.contains("(оценка: клиентская база — клиенты за последние 12 месяцев, сегмент A — 10 % из них)")
    );
    assert!(reg.contains(
        "доля сегмента среди клиентов в положении не задана, поэтому в расчёт загрузки контакт не входит"
    ));
    assert!(memo.contains("**Плановый звонок**: когда подошёл срок планового контакта (раз в 2 недели с каждым клиентом воронки «Сопровождение») — звонок «Плановый» (10 мин); выполняет Менеджер."), "{memo}");
}

#[test]
fn every_crm_readme_sets_them_up() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(&file, text()).unwrap();
    for (target, idle, every, transfer) in [
        (
            "amocrm",
            "задержкой «через 274 дн.»",
            "повторяющихся задач amoCRM не ставит",
            "«Создать сделку» на первом этапе воронки «Привлечение»",
        ),
        (
            "bitrix24",
            "робот с отложенным запуском «через 274 дн.»",
            "повторяемая задача",
            "робот «Создать сделку» (или «Сменить воронку») → воронка «Привлечение»",
        ),
        (
            "hubspot",
            "«Recent deal close date больше 274 дн. назад»",
            "re-enrollment",
            "«Create record»: сделка в воронке «Привлечение»",
        ),
        (
            "pipedrive",
            "старше 274 дн.",
            "повторяющееся дело",
            "«Создать сделку» в воронке «Привлечение»",
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
        for words in [
            idle,
            every,
            transfer,
            "без покупок 9 месяцев (≈ 274 календарных)",
            "«Дата последней активности»",
            "только клиентам сегмента A",
        ] {
            assert!(readme.contains(words), "{target}: {words}\n{readme}");
        }
    }
}

#[test]
fn formatting_keeps_client_triggers() {
    let text =
        "триггер А {\n    когда  каждые 3 мес  для сегмент A  доля 10% ; действие перевести  -> П\n}\n";
    let formatted = voronka::fmt::format_text(Path::new("t.sales"), text).expect("formats");
    assert_eq!(
        formatted,
        "триггер А {\n  когда каждые 3 мес для сегмент A доля 10%; действие перевести -> П\n}\n"
    );
}

#[test]
fn english_keywords_mean_the_same() {
    let ru = model(&text());
    let en_triggers = TRIGGERS
        .replace("без_покупки", "no_purchase")
        .replace("без_активности", "no_activity")
        .replace("каждые", "every")
        .replace("для сегмент", "for segment")
        .replace("доля", "share")
        .replace("перевести", "transfer");
    let en = model(&format!("{BASE}{en_triggers}"));
    assert_eq!(ru.triggers.len(), en.triggers.len());
    for (a, b) in ru.triggers.iter().zip(&en.triggers) {
        assert_eq!(a.event, b.event);
        assert_eq!(a.actions, b.actions);
    }
}
