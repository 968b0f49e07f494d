//! A channel's lead distribution and priority (issue 19, G3): the model from Russian and
//! English, the Положение's channel line and the assigning role's memo, the four CRM READMEs'
//! checklist items, the forecast that does not read them, and `fmt`.

use crate::common::voronka;
use std::path::Path;
use voronka::analyze::analyze;
use voronka::model::Model;
use voronka::model::routing::RoutingKind;

fn model(text: &str) -> Model {
    let c = voronka::compile_str(Path::new("test.sales"), text);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    c.model.expect("model")
}

const RUSSIAN: &str = r#"положение "Перевозки" { валюта ₽; горизонт 12 мес; старт новый }
роль РОП "Руководитель отдела продаж" { штат 1; функция руководитель }
роль Хантер "Менеджер по привлечению" { штат 3; подчиняется РОП; функция хантер; рабочий_день 8 ч; доля_продаж 100% }
роль Ассистент "Ассистент отдела продаж" { штат 1; подчиняется РОП; функция поддержка; доля_продаж 50% }
канал Сайт "Заявки с сайта" {
  лиды 60 в мес; воронка Привлечение; команда Хантер
  распределение по_очереди кто Ассистент срок 10 мин
}
канал Рекомендации "Рекомендации клиентов" { лиды 4 в мес; воронка Привлечение; команда Хантер; приоритет вне_очереди }
канал Биржа "Грузовая биржа" { лиды 20 в мес; воронка Привлечение; команда Хантер; распределение вручную кто РОП }
воронка Привлечение {
  выход оплата; чек 50 000 ₽
  этап Квалификация { ответственный Хантер; конверсия 30%; длительность 2 дн; цепочка { звонок "Квалификация" 10 мин } }
}
"#;

const ENGLISH: &str = r#"regulation "Перевозки" { currency ₽; horizon 12 mo; start new }
role РОП "Руководитель отдела продаж" { headcount 1; function head }
role Хантер "Менеджер по привлечению" { headcount 3; reports_to РОП; function hunter; work_day 8 h; selling_share 100% }
role Ассистент "Ассистент отдела продаж" { headcount 1; reports_to РОП; function support; selling_share 50% }
channel Сайт "Заявки с сайта" {
  leads 60 per mo; pipeline Привлечение; team Хантер
  routing round_robin who Ассистент deadline 10 min
}
channel Рекомендации "Рекомендации клиентов" { leads 4 per mo; pipeline Привлечение; team Хантер; priority out_of_turn }
channel Биржа "Грузовая биржа" { leads 20 per mo; pipeline Привлечение; team Хантер; routing manual who РОП }
pipeline Привлечение {
  exit payment; deal_size 50 000 ₽
  stage Квалификация { owner Хантер; conversion 30%; duration 2 d; chain { call "Квалификация" 10 min } }
}
"#;

#[test]
fn both_languages_lower_to_the_same_model() {
    let ru = model(RUSSIAN);
    let en = model(ENGLISH);
    assert_eq!(
        serde_json::to_value(&ru).expect("json"),
        serde_json::to_value(&en).expect("json")
    );
    let site = ru.channels[0].routing.as_ref().expect("routing");
    assert_eq!(site.kind, RoutingKind::RoundRobin);
    assert_eq!(site.by.as_deref(), Some("Ассистент"));
    assert_eq!(site.deadline_minutes, Some(10.0));
    assert!(!ru.channels[0].out_of_turn && ru.channels[1].out_of_turn);
    assert!(ru.channels[1].routing.is_none());
    let manual = ru.channels[2].routing.as_ref().expect("routing");
    assert_eq!(
        (manual.kind, manual.deadline_minutes),
        (RoutingKind::Manual, None)
    );
}

#[test]
fn the_forecast_does_not_read_the_distribution() {
    let with = model(RUSSIAN);
    let mut without = with.clone();
    for c in &mut without.channels {
        c.routing = None;
        c.out_of_turn = false;
    }
    let a = serde_json::to_value(analyze(&with)).expect("json");
    let b = serde_json::to_value(analyze(&without)).expect("json");
    assert_eq!(a, b);
}

#[test]
fn documents_and_crm_readmes_say_the_distribution() {
    let (dir, out_dir) = crate::common::docs_md(RUSSIAN);
    let file = dir.path().join("t.sales");
    let read = |f: &str| std::fs::read_to_string(out_dir.join(f)).expect(f);
    let regulation = read("regulation.md");
    for want in [
        "Распределение заявок: по очереди между сотрудниками роли «Менеджер по привлечению», назначает Ассистент отдела продаж не позднее 10 минут.",
        "Распределение заявок: вне очереди (заявки канала берут в работу первыми).",
        "Распределение заявок: вручную — сотруднику роли «Менеджер по привлечению», назначает Руководитель отдела продаж.",
    ] {
        assert!(regulation.contains(want), "regulation lacks «{want}»");
    }
    let memo = read("memo-Ассистент.md");
    assert!(
        memo.contains("Распределяю заявки канала «Заявки с сайта»: по очереди между сотрудниками роли «Менеджер по привлечению», не позднее 10 минут."),
        "{memo}"
    );
    assert!(!read("memo-Хантер.md").contains("Распределяю"));

    for (target, want) in [
        (
            "amocrm",
            "«Распределение заявок» (Сделки → Автоматизация): по очереди",
        ),
        ("bitrix24", "робот «Распределение лидов»"),
        ("hubspot", "«Rotate record to owner»"),
        ("pipedrive", "«assign owner» по кругу (round robin)"),
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
        assert!(readme.contains("«Назначить ответственного»"), "{target}");
        assert!(readme.contains("со сроком 10 мин"), "{target}");
        assert!(readme.contains("«Рекомендации клиентов»"), "{target}");
    }
}

#[test]
fn fmt_keeps_every_construct() {
    let dir = tempfile::tempdir().expect("tmp");
    for (name, text) in [("ru.sales", RUSSIAN), ("en.sales", ENGLISH)] {
        let file = dir.path().join(name);
        let messy = text.replace("; ", ";  ").replace(" срок ", "  срок  ");
        std::fs::write(&file, &messy).expect("write");
        let out = voronka(&["fmt", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let formatted = std::fs::read_to_string(&file).expect("read");
        assert_eq!(formatted, text, "{name}");
    }
}
