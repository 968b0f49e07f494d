//! Conditions on card field values (`model::field_cond`): segments of a stage with their own
//! conversion and deal size (the analysis and the forecast against the hand-computed mixture),
//! ways out chosen by a field (the forecast unchanged, the documents and CRMs told), triggers on
//! a field's value (counted only with `доля`), `иначе -> … через` and `частота раз в 2 нед`.

use crate::common::voronka;
use std::path::Path;
use voronka::model::StartKind;
use voronka::sim::{SimOptions, simulate};

/// 100 leads a month into `А` (30 %; 40 % of the leads are «Производство» at 60 % with a
/// 200 000 ₽ deal), then `Б` (50 %). Effective conversion of `А`: 0.6 × 0.3 + 0.4 × 0.6 = 0.42;
/// wins 100 × 0.42 × 0.5 = 21 a month. Of `А`'s successes w = 0.4 × 0.6 / 0.42 = 4/7 are the
/// segment's, so the mean deal is 3/7 × 100 000 + 4/7 × 200 000 = 157 142.86 ₽.
const SEGMENTED: &str = r#"
положение "Т" { валюта ₽; горизонт 6 мес }
роль Р { штат 50 }
канал Сайт { лиды 100 в мес; воронка П }
карточка Клиент { поле "Отрасль" выбор("Производство", "Торговля"); поле "Рейсов" число; поле "Оценка" число }
воронка П {
  чек 100 000 ₽
  этап А { ответственный Р; конверсия 30%; длительность 1 дн; поля "Отрасль", "Рейсов"
    для "Отрасль" = "Производство" доля 40% { конверсия 60%; чек 200 000 ₽; срок 4 ч }
    отказ 50% -> проиграно если "Рейсов" < 4
  }
  этап Б { ответственный Р; конверсия 50%; длительность 1 дн; поля "Оценка" }
}
"#;

const WON: f64 = 21.0;
const MEAN_DEAL: f64 = 100_000.0 * 3.0 / 7.0 + 200_000.0 * 4.0 / 7.0;

use crate::common::{model, within as close};

#[test]
fn the_analysis_mixes_the_segment_into_conversion_and_deal_size() {
    let m = model(SEGMENTED);
    let a = &m.pipelines[0].stages[0];
    assert_eq!(a.conversion, Some(0.3), "the written conversion stays");
    close(
        "effective conversion",
        a.effective_conversion().unwrap(),
        0.42,
        1e-12,
    );
    close(
        "deal size factor",
        voronka::model::field_cond::deal_size_factor(&m, 0),
        MEAN_DEAL / 100_000.0,
        1e-12,
    );
    let r = voronka::analyze::analyze(&m);
    close("wins a month", r.department.first_deals_per_month, WON, 1e-9);
    close(
        "revenue a month",
        r.department.revenue_per_month,
        WON * MEAN_DEAL,
        1e-3,
    );
    let seg = &m.field_conds.segments[0];
    assert_eq!(seg.deadline.as_deref(), Some("4 ч"));
}

#[test]
fn the_forecast_agrees_with_the_mixture() {
    let m = model(SEGMENTED);
    let runs = 300;
    let r = simulate(
        &m,
        &SimOptions {
            runs,
            seed: 11,
            start: Some(StartKind::Established),
            ..SimOptions::default()
        },
    );
    let months = r.months.len() as f64;
    let n = f64::from(runs).sqrt();
    close("wins", r.won.mean, WON * months, 4.0 * r.won.sd / n);
    close(
        "revenue",
        r.revenue.mean,
        WON * months * MEAN_DEAL,
        4.0 * r.revenue.sd / n,
    );
}

#[test]
fn a_route_by_a_field_keeps_the_forecast_and_reaches_documents_and_crms() {
    let with = model(SEGMENTED);
    let without = model(&SEGMENTED.replace(" если \"Рейсов\" < 4", ""));
    assert_eq!(
        serde_json::to_value(voronka::analyze::analyze(&with)).unwrap(),
        serde_json::to_value(voronka::analyze::analyze(&without)).unwrap(),
        "the share stays the estimate: the condition changes no figure"
    );
    let route = &with.field_conds.routes[0];
    assert!(route.failure);
    close("written share", route.share.unwrap(), 0.5, 1e-12);
    assert_eq!(
        route.condition.words(voronka::diag::Lang::Ru),
        "«Рейсов» меньше 4"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(&file, SEGMENTED).unwrap();
    let out = dir.path().join("out");
    let o = voronka(&[
        "docs",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reg = std::fs::read_to_string(out.join("regulation.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(reg.contains("(если «Рейсов» меньше 4)"), "{reg}");
    assert!(
        reg.contains("| Переходы по значению поля | если «Рейсов» меньше 4 — проигрыш (оценка для прогноза: 50 % отказов этапа) |"),
        "{reg}"
    );
    assert!(
        reg.contains("для заявок, где «Отрасль» — «Производство» (около 40 % заявок этапа): конверсия 60 %, чек 200 000 ₽"),
        "{reg}"
    );
    // The pipeline's mean deal with the segment, from the analysis.
    assert!(
        reg.contains("(с сегментами по полю — в среднем 157 143 ₽)"),
        "{reg}"
    );
    // The stage's norm is the mixture, computed once in the model.
    assert!(reg.contains("| Норматив конверсии | 42 %"), "{reg}");
    let memo = std::fs::read_to_string(out.join("memo-Р.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(
        memo.contains("Куда дальше по карточке: если «Рейсов» меньше 4"),
        "{memo}"
    );
    assert!(
        memo.contains("Особый случай — для заявок, где «Отрасль» — «Производство»"),
        "{memo}"
    );

    for (target, words) in [
        ("amocrm", "при условии по доп. полю («Рейсов» меньше 4)"),
        (
            "bitrix24",
            "робот «Изменить стадию» → «проигрыш» с условием по пользовательскому полю: «Рейсов» меньше 4",
        ),
        (
            "hubspot",
            "и «Рейсов» меньше 4; действие «Set property value: Deal stage»",
        ),
        ("pipedrive", "условия «этап = „А“» и «Рейсов» меньше 4"),
    ] {
        let crm = dir.path().join(target);
        let o = voronka(&[
            "crm",
            file.to_str().unwrap(),
            "--target",
            target,
            "--out",
            crm.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let readme = std::fs::read_to_string(crm.join("README.md"))
            .unwrap()
            .replace('\u{a0}', " ");
        assert!(readme.contains(words), "{target}: {readme}");
        assert!(
            readme.contains("Сегмент этапа: «Отрасль» — «Производство» (около 40 % заявок)"),
            "{target}"
        );
    }
}

/// A trigger on a field's value fires for `доля` of the deals entering the stage that fills
/// the field (`Б`: 100 × 0.42 = 42 a month; 10 % → 4.2 firings, 10 min each); without `доля`
/// it is documented and not counted.
#[test]
fn a_field_value_trigger_is_counted_only_with_a_share() {
    let text = format!(
        "{SEGMENTED}триггер Низкая \"Низкая оценка\" {{ когда поле \"Оценка\" <= 6 доля 10%; действие звонок \"Разбор\" 10 мин; ответственный Р }}\n\
         триггер Высокая \"Высокая оценка\" {{ когда поле \"Оценка\" >= 9; действие сообщение \"Отзыв\" 2 мин; ответственный Р }}\n"
    );
    let m = model(&text);
    let a = voronka::analyze::analyze(&m);
    let work: Vec<_> = a.roles.iter().flat_map(|r| &r.triggers).collect();
    assert_eq!(work.len(), 1, "{work:?}");
    close("firings", work[0].firings_per_month, 4.2, 1e-9);
    close("minutes", work[0].minutes, 42.0, 1e-9);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(&file, &text).unwrap();
    let out = dir.path().join("out");
    let o = voronka(&[
        "docs",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reg = std::fs::read_to_string(out.join("regulation.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(reg.contains("в карточке сделки «Оценка» не больше 6"), "{reg}");
    assert!(
        reg.contains("Нагрузка: не считается — доля сделок с таким значением не указана"),
        "{reg}"
    );
    let crm = dir.path().join("crm");
    let o = voronka(&[
        "crm",
        file.to_str().unwrap(),
        "--target",
        "amocrm",
        "--out",
        crm.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let readme = std::fs::read_to_string(crm.join("README.md")).unwrap();
    assert!(
        readme.contains("триггер при изменении доп. поля «Оценка» с условием «Оценка» не больше 6"),
        "{readme}"
    );
}

#[test]
fn unreached_clients_arrive_after_a_delay_and_a_fortnightly_meeting_is_26_a_year() {
    let text = r#"
положение "Т" { валюта ₽; горизонт 6 мес }
роль Р { штат 5 }
канал Сайт { лиды 100 в мес; воронка П }
воронка П {
  чек 100 000 ₽
  этап А { ответственный Р; конверсия 50%; длительность 1 дн
    цепочка { звонок "Звонок" 5 мин; попыток 2; дозвон 50%; иначе -> А через 3 мес }
  }
}
совещание С "Совещание" { ответственный Р; частота раз в 2 нед; длительность 60 мин }
"#;
    let m = model(text);
    let t = m.pipelines[0].stages[0]
        .transitions
        .iter()
        .find(|t| t.contact.is_some())
        .expect("the unreached route");
    // 3 months of a 5-day week: 65 working days (as `отказ … через 3 мес`).
    let failure_delay = model(&text.replace(
        "иначе -> А через 3 мес }",
        "иначе -> проиграно }\n    отказ -> А через 3 мес",
    ))
    .pipelines[0]
        .stages[0]
        .transitions
        .iter()
        .find(|t| t.contact.is_none() && t.delay_days.is_some())
        .and_then(|t| t.delay_days);
    assert_eq!(t.delay_days, failure_delay);
    assert!(t.delay_days.unwrap() > 60.0);
    let c = m.meetings[0].cadence.expect("a cadence");
    close(
        "a year",
        c.per_month(21.0, 5.0) * 12.0,
        26.0 * 21.0 * 12.0 / (5.0 * 52.0),
        1e-9,
    );
    assert_eq!(c.words(voronka::diag::Lang::Ru), "раз в 2 недели");

    let formatted = voronka::fmt::format_text(Path::new("t.sales"), text).expect("formats");
    assert!(formatted.contains("иначе -> А через 3 мес"));
    assert!(formatted.contains("частота раз в 2 нед"));
}

#[test]
fn formatting_keeps_conditions_segments_and_value_triggers() {
    let text = "воронка П {\n  этап А {\n    отказ 50%   -> проиграно  если \"Рейсов\"<4 и Клиент.\"VIP\"  да\n    для \"Отрасль\" в (\"A\",\"B\") доля 40% { конверсия 60% ;  чек 200 000 ₽ }\n  }\n}\n\
                триггер Т { когда поле \"Оценка\"  <=  6 доля 10% }\n";
    let formatted = voronka::fmt::format_text(Path::new("t.sales"), text).expect("formats");
    assert_eq!(
        formatted,
        "воронка П {\n  этап А {\n    отказ 50% -> проиграно если \"Рейсов\" < 4 и Клиент.\"VIP\" да\n    для \"Отрасль\" в (\"A\", \"B\") доля 40% { конверсия 60%; чек 200 000 ₽ }\n  }\n}\n\
         триггер Т { когда поле \"Оценка\" <= 6 доля 10% }\n"
    );
    assert_eq!(
        voronka::fmt::format_text(Path::new("t.sales"), &formatted).expect("idempotent"),
        formatted
    );
}

#[test]
fn english_keywords_read_the_same() {
    let ru = model(SEGMENTED);
    let en = model(
        &SEGMENTED
            .replace(
                "для \"Отрасль\" = \"Производство\" доля 40%",
                "for \"Отрасль\" = \"Производство\" share 40%",
            )
            .replace(" если \"Рейсов\" < 4", " if \"Рейсов\" < 4"),
    );
    assert_eq!(
        serde_json::to_value(&ru.field_conds).unwrap(),
        serde_json::to_value(&en.field_conds).unwrap()
    );
}
