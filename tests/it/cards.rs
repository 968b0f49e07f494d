//! Client cards (`карточка`): the typed fields in the model, the stages that fill them, `fmt`
//! round trips, the CRM requests of each CRM (types, list values, records), the documents'
//! «Карточка клиента» section and typed stage cards, and the editor's hover and completion.

use crate::common::voronka;
use std::path::Path;
use voronka::crm::{self, CrmOptions, Target};
use voronka::diag::Lang;
use voronka::model::{CardEntity, FieldStage, FieldType, Model, Symbol};

const TEXT: &str = r#"роль Менеджер { штат 3 }
канал Сайт { лиды 50 в мес; воронка Продажа }
карточка Клиент "Карточка клиента" {
  поле "Отрасль" выбор("Производство", "Торговля")
  поле "Бюджет" деньги
  поле "Телефон" телефон обязательное
  поле "Дата встречи" дата_время
  поле "Согласие" флаг
  группа "ЛПР" много { поле "ФИО" текст; поле "Роль в решении" мультивыбор("Решает", "Влияет") }
}
карточка Компания "Карточка компании" для компании { поле "ИНН" текст }
воронка Продажа {
  этап Бриф { ответственный Менеджер; конверсия 50%; длительность 1 дн; поля Клиент."Отрасль", "Источник", "ИНН" }
  этап Встреча { ответственный Менеджер; конверсия 50%; длительность 2 дн; поля "ЛПР", "Бюджет", "Дата встречи", "Согласие" }
}
воронка Возврат { вид прогрев; этап Звонок { ответственный Менеджер; конверсия 30%; длительность 5 дн; успех -> Продажа } }
канал Рассылка { лиды 10 в мес; воронка Возврат }
"#;

fn compiled(text: &str) -> voronka::Compiled {
    voronka::compile_str(Path::new("card.sales"), text)
}

fn model(text: &str) -> Model {
    let c = compiled(text);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    c.model.expect("model")
}

fn at(pipeline: &str, stage: &str) -> FieldStage {
    FieldStage {
        pipeline: pipeline.into(),
        stage: stage.into(),
    }
}

#[test]
fn a_card_lowers_to_typed_fields_filled_at_their_stages() {
    let m = model(TEXT);
    assert_eq!(m.cards.len(), 2);
    let c = &m.cards[0];
    assert_eq!((c.name.as_str(), c.entity), ("Клиент", CardEntity::Deal));
    assert_eq!(m.cards[1].entity, CardEntity::Company);
    let f = |n: &str| c.fields.iter().find(|f| f.name == n).unwrap();
    assert_eq!(f("Отрасль").kind, FieldType::Choice);
    assert_eq!(f("Отрасль").options, ["Производство", "Торговля"]);
    assert_eq!(f("Отрасль").stages, [at("Продажа", "Бриф")]);
    assert_eq!(f("Бюджет").kind, FieldType::Money);
    assert_eq!(f("Дата встречи").kind, FieldType::DateTime);
    assert_eq!(f("Согласие").kind, FieldType::Flag);
    // A group named by a stage: every field of it is filled there.
    assert_eq!(f("ФИО").group.as_deref(), Some("ЛПР"));
    assert_eq!(f("Роль в решении").kind, FieldType::MultiChoice);
    assert_eq!(f("Роль в решении").stages, [at("Продажа", "Встреча")]);
    assert!(c.group("ЛПР").unwrap().many);
    // `обязательное`: the first stage of every pipeline, which now lists it.
    assert_eq!(
        f("Телефон").stages,
        [at("Продажа", "Бриф"), at("Возврат", "Звонок")]
    );
    let brief = &m.pipeline("Продажа").unwrap().stages[0];
    assert_eq!(brief.required_fields, ["Отрасль", "Источник", "ИНН", "Телефон"]);
    // A plain name resolves to the one card that has it, whatever its record.
    assert_eq!(m.cards[1].fields[0].stages, [at("Продажа", "Бриф")]);
}

#[test]
fn without_cards_the_stage_fields_mean_what_they_meant() {
    let text = TEXT.split("карточка Клиент").next().unwrap().to_string()
        + "воронка Продажа { этап Бриф { ответственный Менеджер; конверсия 50%; длительность 1 дн; поля \"Отрасль\", \"Источник\" } }\n";
    let m = model(&text);
    assert!(m.cards.is_empty());
    assert_eq!(m.pipelines[0].stages[0].required_fields, ["Отрасль", "Источник"]);
    // The model dump has no `cards` key then.
    let json = serde_json::to_value(&m).unwrap();
    assert!(json.get("cards").is_none());
}

#[test]
fn errors_and_warnings_are_located() {
    let text = TEXT
        .replace("Клиент.\"Отрасль\"", "Клиент.\"Отрасл\"")
        .replace("\"ИНН\" }", "\"ИНН\", \"Дата встречы\" }");
    let c = compiled(&text);
    let codes: Vec<(&str, usize)> = c
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.kind.code(),
                d.span()
                    .map_or(0, |s| c.sources.get(s.file).line_col(s.start as usize).0),
            )
        })
        .collect();
    assert!(codes.contains(&("E0049", 13)), "{codes:?}");
    assert!(
        codes.contains(&("W0039", 4)),
        "«Отрасль» is filled nowhere now: {codes:?}"
    );
    assert!(codes.contains(&("W0040", 13)), "{codes:?}");
    let e = c.diagnostics.iter().find(|d| d.kind.code() == "E0049").unwrap();
    assert!(
        e.kind.help().unwrap().ru.contains("«Отрасль»"),
        "did-you-mean: {:?}",
        e.kind.help()
    );
}

#[test]
fn a_card_formats_and_reads_the_same() {
    let messy = "карточка  Клиент   для компании {поле \"А\"   выбор( \"x\" ,\"y\" ) обязательное\n группа \"Г\" много{поле \"Б\" дата}}\nворонка П { этап Э { поля Клиент.\"А\" , \"Г\" } }\n";
    let once = voronka::fmt::format_text(Path::new("x.sales"), messy).unwrap();
    assert!(once.contains("выбор(\"x\", \"y\") обязательное"), "{once}");
    assert!(once.contains("поля Клиент.\"А\", \"Г\""), "{once}");
    assert_eq!(
        voronka::fmt::format_text(Path::new("x.sales"), &once).unwrap(),
        once
    );
}

fn requests(m: &Model, target: Target) -> (Vec<voronka::crm::Request>, String) {
    let setup = crm::setup(m, Lang::Ru);
    let options = CrmOptions {
        targets: vec![target],
        lang: Lang::Ru,
        script: false,
    };
    let out = crm::render(m, &setup, &[], &options).unwrap_or_else(|e| panic!("{e:?}"));
    let readme = out[0]
        .files
        .iter()
        .find(|f| f.name == "README.md")
        .map(|f| String::from_utf8(f.contents.clone()).unwrap())
        .unwrap();
    (
        out.into_iter().flat_map(|o| o.requests).map(|(_, r)| r).collect(),
        readme,
    )
}

#[test]
fn amocrm_creates_typed_fields_on_their_records() {
    let m = model(TEXT);
    let (reqs, readme) = requests(&m, Target::Amocrm);
    let create = |path: &str, name: &str| {
        reqs.iter()
            .find(|r| r.method == "POST" && r.path == path && r.body[0]["name"] == name)
            .unwrap_or_else(|| panic!("{path} {name}"))
    };
    let industry = create("/api/v4/leads/custom_fields", "Отрасль");
    assert_eq!(industry.body[0]["type"], "select");
    assert_eq!(
        industry.body[0]["enums"],
        serde_json::json!([{ "value": "Производство", "sort": 10 }, { "value": "Торговля", "sort": 20 }])
    );
    assert_eq!(
        create("/api/v4/leads/custom_fields", "Дата встречи").body[0]["type"],
        "date_time"
    );
    assert_eq!(
        create("/api/v4/leads/custom_fields", "Согласие").body[0]["type"],
        "checkbox"
    );
    // The ЛПР group (много) of the deal card: the contact's fields, required at the stage.
    let role = create("/api/v4/contacts/custom_fields", "Роль в решении");
    assert_eq!(role.body[0]["type"], "multiselect");
    assert_eq!(role.body[0]["required_statuses"].as_array().unwrap().len(), 1);
    assert_eq!(
        create("/api/v4/companies/custom_fields", "ИНН").body[0]["type"],
        "text"
    );
    // The budget is the deal's own; the untyped «Источник» keeps its name's kind.
    assert!(!reqs.iter().any(|r| r.body[0]["name"] == "Бюджет"));
    assert_eq!(
        create("/api/v4/leads/custom_fields", "Источник").body[0]["type"],
        "text"
    );
    assert!(readme.contains("Группа «ЛПР» повторяется"), "{readme}");
}

#[test]
fn pipedrive_creates_options_and_person_fields() {
    let m = model(TEXT);
    let (reqs, readme) = requests(&m, Target::Pipedrive);
    let create = |path: &str, name: &str| {
        reqs.iter()
            .find(|r| r.method == "POST" && r.path == path && r.body["field_name"] == name)
            .unwrap_or_else(|| panic!("{path} {name}"))
    };
    let industry = create("/api/v2/dealFields", "Отрасль");
    assert_eq!(industry.body["field_type"], "enum");
    assert_eq!(
        industry.body["options"],
        serde_json::json!([{ "label": "Производство" }, { "label": "Торговля" }])
    );
    assert_eq!(
        create("/api/v2/dealFields", "Телефон").body["field_type"],
        "phone"
    );
    assert_eq!(
        create("/api/v2/dealFields", "Согласие").body["options"],
        serde_json::json!([{ "label": "Да" }, { "label": "Нет" }])
    );
    let person = create("/api/v2/personFields", "Роль в решении");
    assert_eq!(person.body["field_type"], "set");
    assert_eq!(
        person.body["required_fields"],
        serde_json::json!({ "enabled": false })
    );
    assert_eq!(
        create("/api/v2/organizationFields", "ИНН").body["field_type"],
        "varchar"
    );
    // What Pipedrive cannot do is said: a person field at a stage, a date with a time.
    assert!(readme.contains("Pipedrive не требует на этапе"), "{readme}");
    assert!(readme.contains("«Дата встречи» — дата без времени"), "{readme}");
}

#[test]
fn bitrix24_and_hubspot_readmes_list_the_fields_to_create_by_hand() {
    let m = model(TEXT);
    for (target, ty) in [
        (Target::Bitrix24, "enumeration: Производство, Торговля"),
        (Target::Hubspot, "enumeration/select: Производство, Торговля"),
    ] {
        let (reqs, readme) = requests(&m, target);
        assert!(
            !reqs
                .iter()
                .any(|r| r.path.contains("userfield") || r.path.contains("properties"))
        );
        assert!(
            readme.contains(&format!("«Отрасль» (поле сделки, {ty})")),
            "{target:?}: {readme}"
        );
        assert!(readme.contains("«ИНН» (поле компании"), "{target:?}");
        // The stage checklist names the typed kinds.
        assert!(readme.contains("«Отрасль» — выбор из списка"), "{target:?}");
    }
}

#[test]
fn the_regulation_has_the_card_and_typed_stage_cards() {
    let dir = std::env::temp_dir().join(format!("voronka-cards-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = voronka(&[
        "docs",
        "examples/agency.sales",
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let reg = std::fs::read_to_string(dir.join("regulation.md")).unwrap();
    assert!(reg.contains(". Карточка клиента\n"), "section");
    assert!(reg.contains("| Поле | Тип | Заполняется на этапе |"));
    assert!(reg.contains(
        "| Отрасль | выбор из списка: Производство, Торговля, Услуги, IT | Бриф заполнен (Новые проекты) |"
    ));
    assert!(reg.contains("| ЛПР: Роль в решении | выбор из списка:"));
    assert!(reg.contains("| Обязательные поля CRM | «ЛПР»: ФИО — текст, Должность — текст,"));
    let memo = std::fs::read_to_string(dir.join("memo-Менеджер.md")).unwrap();
    assert!(memo.contains("«Дата встречи» — дата"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hover_shows_the_type_and_completion_offers_the_fields() {
    let c = compiled(TEXT);
    let m = c.model.as_ref().unwrap();
    let field = Symbol::CardField {
        card: "Клиент".into(),
        field: "Отрасль".into(),
    };
    let hover = voronka::lsp::hover::text(&field, m, None, Lang::Ru).unwrap();
    assert!(
        hover.contains("выбор из списка: Производство, Торговля"),
        "{hover}"
    );
    assert!(hover.contains("Продажа.Бриф"), "{hover}");
    // The use in `поля` resolves to the field.
    assert!(c.names.uses.iter().any(|(s, _)| *s == field));
    let text = "воронка П { этап Э { поля ";
    let items = voronka::lsp::completion::items(text, text.len(), Some(&c.names), Lang::Ru, None);
    let got: Vec<(&str, Option<&str>)> = items
        .iter()
        .map(|i| (i.label.as_str(), i.insert_text.as_deref()))
        .collect();
    assert!(got.contains(&("Отрасль", Some("\"Отрасль\""))), "{got:?}");
    assert!(got.contains(&("ЛПР", Some("\"ЛПР\""))), "{got:?}");
    assert!(
        !got.iter().any(|(l, _)| *l == "Менеджер"),
        "roles are not fields: {got:?}"
    );
}
