//! Parser and lowering tests, one per construct: the text on the left must lower to the
//! model values on the right.

use std::path::Path;
use voronka::model::*;

/// The model of a text that parses and lowers without errors. The validation rules (E0030 on:
/// unfed pipelines, stages without owners…) are not this file's concern — the snippets here
/// are fragments — and are tested in `tests/diagnostics/rules`.
fn model(text: &str) -> Model {
    let c = voronka::compile_str(Path::new("t.sales"), text);
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code() < "E0030")
        .map(|d| format!("{} {}", d.code(), d.kind.message().ru))
        .collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    c.model.expect("model")
}

const BASE: &str = "роль Р { штат 1 }\n";

#[test]
fn header() {
    let m = model(
        "положение \"Отдел\" { компания \"ООО\"; отдел \"Продажи\"; версия \"1.2\"; действует_с 2026-03-01\n\
         ответственный РОП; утверждает \"Директор\"; продукт \"CRM\"; валюта USD; горизонт 1 год; шаг 1 мес\n\
         рабочая_неделя 6 дн; описание \"текст\" }",
    );
    let h = &m.header;
    assert_eq!(h.title.as_deref(), Some("Отдел"));
    assert_eq!(h.effective.as_deref(), Some("2026-03-01"));
    assert_eq!(h.currency, Currency::Usd);
    assert!((h.horizon_months.unwrap() - 12.0).abs() < 1e-9);
    assert_eq!(h.work_week_days, 6.0);
    assert_eq!(h.owner.as_deref(), Some("РОП"));
}

#[test]
fn role_with_pay_and_staffing() {
    let m = model(
        "роль РОП { штат 1 }\nроль Х \"Хантер\" { штат 4; подчиняется РОП; рабочий_день 8 ч; доля_продаж 70%\n\
         выход_на_план 3 мес; текучесть 20% в год; найм 2 с 2026-04-01; оклад 50 000 ₽; мягкий_оклад 30%\n\
         бонус 5% выручки; функция хантер }",
    );
    let r = m.role("Х").unwrap();
    assert_eq!(r.headcount, 4);
    assert_eq!(r.reports_to.as_deref(), Some("РОП"));
    assert_eq!(r.selling_share, 0.7);
    assert!((r.ramp_up_months.unwrap() - 3.0).abs() < 1e-9);
    assert!((r.attrition_per_year.unwrap() - 0.2).abs() < 1e-12);
    assert_eq!(r.hires[0].count, 2);
    assert_eq!(r.salary, Some(50_000.0));
    assert_eq!(r.soft_salary_share, Some(0.3));
    let b = r.bonus.as_ref().unwrap();
    assert!((b.value - 0.05).abs() < 1e-12 && b.is_share && b.base == BonusBase::Revenue);
    assert_eq!(r.function, Some(RoleFunction::Hunter));
}

#[test]
fn channel_rates_are_per_month() {
    let m = model(&format!(
        "{BASE}воронка В {{ этап А {{ ответственный Р }} }}\n\
         канал К {{ лиды 10 в день; стоимость_лида 1 тыс ₽; воронка В; команда Р; первый_отклик 15 мин\n\
         сезонность 80%, 90%, 100%, 100%, 100%, 100%, 100%, 100%, 110%, 120%, 120%, 80% }}"
    ));
    let c = &m.channels[0];
    assert!((c.leads_per_month - 10.0 * 5.0 * 52.0 / 12.0).abs() < 1e-9);
    assert_eq!(c.lead_cost, Some(1000.0));
    assert_eq!(c.seasonality.len(), 12);
    assert_eq!(c.seasonality[0], 0.8);
    assert_eq!(c.first_response_minutes, Some(15.0));
}

#[test]
fn numbers_with_thousands_and_multipliers() {
    let m = model(
        "роль А { оклад 3 000 000 ₽ }\nроль Б { оклад 3_000_000 руб }\nроль В { оклад 3 млн ₽ }\nроль Г { оклад 2,5 млн ₽ }",
    );
    let pay: Vec<f64> = m.roles.iter().map(|r| r.salary.unwrap()).collect();
    assert_eq!(pay, [3e6, 3e6, 3e6, 2.5e6]);
}

#[test]
fn stage_attributes_and_default_transitions() {
    let m = model(&format!(
        "{BASE}воронка В {{ вход \"Заявка\"; выход \"Оплата\"; чек 100 000..300 000 ₽\n\
         этап А \"Первый\" {{ ответственный Р; конверсия 40%; длительность треуг(1, 2, 6) дн\n\
           критерий_входа \"вход\"; критерий_выхода \"выход\"; поля \"Бюджет\", \"ЛПР\"; инструкция \"делай\"\n\
           цвет зелёный; вероятность 10%; код FIRST; лимит 1 нед; ожидание 2 дн; затухание 5% в день }}\n\
         этап Б {{ ответственный Р; конверсия 0.5; длительность логнорм(5, 2) дн }}\n\
         }}"
    ));
    let p = &m.pipelines[0];
    assert_eq!(p.exit.as_deref(), Some("Оплата"));
    assert_eq!(p.deal_size, Some(Distribution::Uniform { min: 1e5, max: 3e5 }));
    let a = &p.stages[0];
    assert_eq!(a.conversion, Some(0.4));
    assert_eq!(
        a.duration_days,
        Some(Distribution::Triangular {
            min: 1.0,
            mode: 2.0,
            max: 6.0
        })
    );
    assert_eq!(a.required_fields, ["Бюджет", "ЛПР"]);
    assert_eq!(a.colour.as_deref(), Some("#43a047"));
    assert_eq!(a.crm_code.as_deref(), Some("FIRST"));
    assert_eq!(a.limit_days, Some(5.0), "a week is the working week: 5 days");
    assert_eq!(a.decay_per_day, Some(0.05));
    // Success goes to the next stage, failure to lost; the last stage's success is won.
    assert_eq!(a.transitions.len(), 2);
    assert_eq!(
        a.transitions[0].to,
        Destination::Stage {
            pipeline: "В".into(),
            stage: "Б".into()
        }
    );
    assert!((a.transitions[0].probability - 0.4).abs() < 1e-12);
    assert_eq!(a.transitions[1].to, Destination::Lost { reason: None });
    assert_eq!(p.stages[1].transitions[0].to, Destination::Won);
    assert_eq!(
        p.stages[1].duration_days,
        Some(Distribution::LogNormal { mean: 5.0, sd: 2.0 })
    );
}

#[test]
fn chains_branches_handoffs_and_reasons() {
    let m = model(&format!(
        "{BASE}причина Дорого \"Нет бюджета\" {{ этапы В.А; далее -> Р2 }}\n\
         воронка В {{ этап А {{ ответственный Р; конверсия 50%\n\
           цепочка {{ звонок \"Звонок\" 10 мин; попыток 3; иначе -> Р2\n письмо 5 мин; через 1 дн }}\n\
           ветка 20% -> VIP; отказ 30% -> Р2; отказ -> проиграно причина Дорого }}\n\
         этап Б {{ ответственный Р }}\n этап VIP {{ ответственный Р; успех -> выиграно }} }}\n\
         воронка Р2 {{ вид ретаргетинг; этап Прогрев {{ ответственный Р; длительность эмпир(10, 20, 30) дн }} }}"
    ));
    let a = &m.pipelines[0].stages[0];
    assert_eq!(a.chain.len(), 2);
    assert_eq!(a.chain[0].attempts, Some(3));
    assert_eq!(a.chain[0].work_minutes, Some(10.0));
    assert_eq!(
        a.chain[0].otherwise,
        Some(Destination::Stage {
            pipeline: "Р2".into(),
            stage: "Прогрев".into()
        })
    );
    assert_eq!(a.chain[1].delay_days, Some(1.0));
    let probs: Vec<(f64, &Destination)> = a.transitions.iter().map(|t| (t.probability, &t.to)).collect();
    let total: f64 = probs.iter().map(|p| p.0).sum();
    assert!((total - 1.0).abs() < 1e-12, "{probs:?}");
    assert!((probs[0].0 - 0.1).abs() < 1e-12); // 50% × 20% to VIP
    assert!((probs[1].0 - 0.4).abs() < 1e-12); // 50% × 80% to the next stage
    assert!((probs[2].0 - 0.15).abs() < 1e-12); // 50% × 30% handed off
    assert_eq!(
        probs[3].1,
        &Destination::Lost {
            reason: Some("Дорого".into())
        }
    );
    assert_eq!(m.pipelines[1].kind, PipelineKind::Retargeting);
    assert_eq!(
        m.loss_reasons[0].stages,
        [Scope::Stage {
            pipeline: "В".into(),
            stage: "А".into()
        }]
    );
}

#[test]
fn kpi_formula_becomes_an_expression_tree() {
    let m = model(&format!(
        "{BASE}воронка В {{ этап Встреча {{ ответственный Р }} }}\n\
         показатель К \"Конверсия\" {{ результирующий; направление больше_лучше\n\
           формула перешло(Встреча) / вошло(Встреча) * 100; единица \"%\"; период ежемесячно\n\
           роли Р, отдел; цель 60%..80%; цвета красный < 60%, жёлтый 60%..80%, зелёный >= 80%; вес 30% }}"
    ));
    let k = &m.kpis[0];
    assert_eq!(k.kind, Some(KpiKind::Lagging));
    assert_eq!(k.period, Some(Period::Month));
    assert!(k.department);
    assert_eq!(k.roles, ["Р"]);
    assert_eq!(k.target, Some(Bound::Range { min: 0.6, max: 0.8 }));
    assert_eq!(k.colours.len(), 3);
    assert_eq!(k.weight, Some(0.3));
    let Some(Formula::Mul { left, .. }) = &k.formula else {
        panic!("multiplication binds last: {:?}", k.formula)
    };
    assert!(matches!(left.as_ref(), Formula::Div { .. }));
    let mut counters = Vec::new();
    k.formula.as_ref().unwrap().counters(&mut counters);
    assert_eq!(counters, [Counter::Converted, Counter::Entered]);
    assert_eq!(
        k.formula_text.as_deref(),
        Some("перешло(Встреча) / вошло(Встреча) * 100")
    );
}

#[test]
fn norms_plan_and_the_rest() {
    let m = model(&format!(
        "{BASE}нормативы Р {{ звонки >= 60 в день \"Звонки\"; первый_отклик <= 15 мин }}\n\
         нормативы отдел {{ встречи >= 30 в нед }}\n\
         план {{ горизонт 12 мес; шаг 1 мес; с 2026-01-01; ответственный Р; выручка 3 млн ₽ в мес; сделки по_месяцам 10, 12, 14 }}\n\
         учёт {{ что \"Звонки\"; кто Р; где \"CRM\"; срок 15 мин }}\n\
         чек_лист Ч {{ вид звонок; шкала 0..2; проходной 80%; критерий \"Приветствие\" вес 10 критический }}\n\
         контроль Прослушка {{ кто Р; роли Р; период ежедневно; кому Р; чек_лист Ч; выборка 1 в день \"по звонку\" }}\n\
         отчёт Д {{ составляет Р; кому Р; период ежедневно; формат \"таблица\"; срок \"19:00\" }}\n\
         взаимодействие М {{ с \"Маркетинг\"; передаём \"лиды\"; получаем \"отзывы\" }}\n\
         документ Скрипт {{ роли Р; текст \"\"\"\n    строка 1\n    строка 2\n  \"\"\" }}\n\
         совещание Планёрка {{ ответственный Р; участники Р; частота ежедневно; длительность 15 мин; повестка \"план\" }}\n\
         термин \"ЛПР\" \"Лицо, принимающее решение\"\n\
         ресурс amoCRM \"CRM\" {{ тип crm }}\n\
         адаптация Р {{ наставник Р; день 30 \"Знает продукт\" доля_плана 30% }}\n\
         изменения {{ версия \"1.0\" 2026-01-01 \"Первая редакция\" автор \"РОП\" }}\n\
         правила {{ разрешить W0001; запретить W0002 }}"
    ));
    assert_eq!(m.norms[0].norms[0].per, Some(Period::Day));
    assert_eq!(m.norms[0].norms[1].value, 15.0);
    assert_eq!(m.norms[1].role, None);
    let plan = m.plan.as_ref().unwrap();
    assert_eq!(plan.targets[0].per_month, [3e6]);
    assert_eq!(plan.targets[1].metric, PlanMetric::Deals);
    assert_eq!(plan.targets[1].per_month, [10.0, 12.0, 14.0]);
    assert_eq!(m.accounting[0].who, ["Р"]);
    assert_eq!(m.checklists[0].criteria[0].weight, Some(10.0));
    assert!(m.checklists[0].criteria[0].critical);
    assert_eq!(m.controls[0].period, Some(Period::Day));
    assert_eq!(m.reports[0].period, Some(Period::Day));
    assert_eq!(m.interactions[0].with.as_deref(), Some("Маркетинг"));
    assert_eq!(m.documents[0].text.as_deref(), Some("строка 1\nстрока 2"));
    assert_eq!(m.meetings[0].duration_minutes, Some(15.0));
    assert_eq!(m.glossary[0].term, "ЛПР");
    assert_eq!(m.onboarding[0].steps[0].plan_share, Some(0.3));
    assert_eq!(m.changes[0].author.as_deref(), Some("РОП"));
    assert_eq!(m.lint_levels[0].level, Level::Allow);
    assert_eq!(m.lint_levels[1].level, Level::Deny);
}

#[test]
fn english_aliases_mean_the_same() {
    let ru = model(
        "роль Р { штат 2; доля_продаж 50% }\nворонка В { этап А { ответственный Р; конверсия 30%; длительность 1..2 дн } }",
    );
    let en = model(
        "role Р { headcount 2; selling_share 50% }\npipeline В { stage А { owner Р; conversion 30%; duration 1..2 d } }",
    );
    // Spans differ (the spellings differ in length); everything else is the same.
    assert_eq!(
        serde_json::to_string(&ru).unwrap(),
        serde_json::to_string(&en).unwrap()
    );
}

#[test]
fn a_range_shares_its_unit_and_multiplier() {
    let m = model(
        "воронка В { чек 300..600 тыс ₽; этап А { } }\nворонка Г { чек 300 тыс..600 тыс ₽; этап Б { } }",
    );
    for p in &m.pipelines {
        assert_eq!(
            p.deal_size,
            Some(Distribution::Uniform { min: 3e5, max: 6e5 }),
            "{}",
            p.name
        );
    }
}

#[test]
fn spaces_inside_a_quantity_do_not_reach_the_model() {
    for written in ["2 дн", "2   дн", "2дн", "2\tдн"] {
        let m = model(&format!("взаимодействие В {{ срок {written} }}"));
        assert_eq!(m.interactions[0].deadline.as_deref(), Some("2 дн"), "{written}");
    }
    let m = model("взаимодействие В { срок 1 500 тыс ₽ }");
    assert_eq!(m.interactions[0].deadline.as_deref(), Some("1 500 тыс ₽"));
    let m = model("взаимодействие В { срок 40 % }");
    assert_eq!(m.interactions[0].deadline.as_deref(), Some("40%"));
}

/// `дозвон`: the clients a contact does not reach after its attempts leave by its `иначе`, and
/// the written transitions apply to the reached ones.
#[test]
fn reach_adds_the_route_of_the_unreached() {
    let m = model(&format!(
        "{BASE}воронка В {{ этап А {{ ответственный Р; конверсия 40%\n\
           цепочка {{ звонок \"Звонок\" 10 мин; попыток 3; дозвон 50%; иначе -> Р2 причина Нет }}\n\
           отказ 25% -> Р2 }}\n\
         этап Б {{ ответственный Р }} }}\n\
         воронка Р2 {{ вид ретаргетинг; этап Прогрев {{ ответственный Р }} }}\n\
         причина Нет \"Не дозвонились\""
    ));
    let a = &m.pipelines[0].stages[0];
    assert_eq!(a.chain[0].reach, Some(0.5));
    // u = (1 − 0.5)³ = 0.125 not reached; the rest, 0.875, converts 40 % and fails 60 %.
    let u = 0.125;
    let reached = 1.0 - u;
    let kinds: Vec<(TransitionKind, f64)> = a.transitions.iter().map(|t| (t.kind, t.probability)).collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert_eq!(kinds[0].0, TransitionKind::Success);
    assert!((kinds[0].1 - 0.4 * reached).abs() < 1e-12);
    assert_eq!(kinds[1].0, TransitionKind::Failure);
    assert!((kinds[1].1 - 0.6 * 0.25 * reached).abs() < 1e-12);
    assert!((kinds[2].1 - 0.6 * 0.75 * reached).abs() < 1e-12);
    let route = &a.transitions[3];
    assert_eq!(route.kind, TransitionKind::Unreached);
    assert_eq!(route.contact, Some(0));
    assert!((route.probability - u).abs() < 1e-12);
    assert_eq!(
        route.to,
        Destination::Stage {
            pipeline: "Р2".into(),
            stage: "Прогрев".into()
        }
    );
    let total: f64 = a.transitions.iter().map(|t| t.probability).sum();
    assert!((total - 1.0).abs() < 1e-12);
    // 10 min × expected attempts 1 + 0.5 + 0.25 = 1.75.
    assert_eq!(a.contact_attempts(), vec![1.75]);
    assert_eq!(a.contact_minutes(), vec![17.5]);
}

#[test]
fn two_contacts_with_reach_leave_in_chain_order() {
    let m = model(&format!(
        "{BASE}воронка В {{ этап А {{ ответственный Р; конверсия 50%\n\
           цепочка {{ звонок \"Звонок\" 10 мин; попыток 2; дозвон 40%; иначе -> проиграно\n\
                     демо \"Демо\" 60 мин; дозвон 80%; иначе -> Р2\n\
                     письмо \"Итоги\" 5 мин }} }}\n\
         этап Б {{ ответственный Р }} }}\n\
         воронка Р2 {{ вид ретаргетинг; этап Прогрев {{ ответственный Р }} }}"
    ));
    let a = &m.pipelines[0].stages[0];
    let u1: f64 = 0.6 * 0.6; // two calls at 40 %
    let u2: f64 = 0.2; // one demo at 80 %
    let routes: Vec<&Transition> = a
        .transitions
        .iter()
        .filter(|t| t.kind == TransitionKind::Unreached)
        .collect();
    assert_eq!(routes.len(), 2);
    assert_eq!(routes[0].contact, Some(0));
    assert_eq!(routes[0].to, Destination::Lost { reason: None });
    assert!((routes[0].probability - u1).abs() < 1e-12);
    assert_eq!(routes[1].contact, Some(1));
    assert!((routes[1].probability - (1.0 - u1) * u2).abs() < 1e-12);
    let reached = (1.0 - u1) * (1.0 - u2);
    let success: f64 = a
        .transitions
        .iter()
        .filter(|t| t.kind == TransitionKind::Success)
        .map(|t| t.probability)
        .sum();
    assert!((success - 0.5 * reached).abs() < 1e-12);
    let total: f64 = a.transitions.iter().map(|t| t.probability).sum();
    assert!((total - 1.0).abs() < 1e-12);
    // Calls: (1 − 0.36) / 0.4 = 1.6 attempts; the demo is made for the 64 % reached, once
    // in expectation (one attempt); the letter for those the demo reached too.
    let expected = [10.0 * 1.6, 60.0 * (1.0 - u1), 5.0 * reached];
    for (got, want) in a.contact_minutes().iter().zip(expected) {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
}

#[test]
fn attempts_without_reach_keep_the_written_transitions() {
    let m = model(&format!(
        "{BASE}воронка В {{ этап А {{ ответственный Р; конверсия 40%\n\
           цепочка {{ звонок \"Звонок\" 10 мин; попыток 3; иначе -> проиграно }} }} }}"
    ));
    let a = &m.pipelines[0].stages[0];
    assert!(a.transitions.iter().all(|t| t.kind != TransitionKind::Unreached));
    assert!((a.transitions[0].probability - 0.4).abs() < 1e-12);
    assert_eq!(a.contact_minutes(), vec![10.0]);
}

/// One calendar for every unit: a week is the regulation's working week, a month its working
/// month (working week × 52 / 12 days), hours of a duration count against an 8-hour day.
#[test]
fn every_time_unit_is_counted_in_working_days() {
    let stage = |week: &str, duration: &str| {
        let m = model(&format!(
            "положение {{ {week} }}\n{BASE}воронка В {{ этап А {{ ответственный Р; конверсия 40%; длительность {duration} }} }}"
        ));
        match m.pipelines[0].stages[0].duration_days.clone() {
            Some(Distribution::Fixed { value }) => value,
            d => panic!("{d:?}"),
        }
    };
    assert_eq!(stage("рабочая_неделя 5 дн", "2 нед"), 10.0);
    assert_eq!(stage("рабочая_неделя 6 дн", "2 нед"), 12.0);
    assert_eq!(
        stage("", "2 нед"),
        10.0,
        "the working week is 5 days unless written"
    );
    assert!((stage("рабочая_неделя 5 дн", "1 мес") - 5.0 * 52.0 / 12.0).abs() < 1e-9);
    assert!((stage("рабочая_неделя 6 дн", "1 мес") - 6.0 * 52.0 / 12.0).abs() < 1e-9);
    assert!((stage("", "1 кв") - 3.0 * 5.0 * 52.0 / 12.0).abs() < 1e-9);
    assert!((stage("", "1 год") - 260.0).abs() < 1e-9);
    assert_eq!(stage("", "4 ч"), 0.5, "4 hours are half an 8-hour working day");

    // Horizons the other way: 260 working days are 12 working months of a 5-day week.
    let m = model("положение { горизонт 260 дн; шаг 2 нед }");
    assert!((m.header.horizon_months.unwrap() - 12.0).abs() < 1e-9);
    assert!((m.header.step_months.unwrap() - 10.0 / (5.0 * 52.0 / 12.0)).abs() < 1e-9);
    let m = model("положение { горизонт 312 дн; рабочая_неделя 6 дн }");
    assert!((m.header.horizon_months.unwrap() - 12.0).abs() < 1e-9);
}

/// The header's working week applies to every item, wherever the header is written.
#[test]
fn the_header_is_read_before_the_units_it_governs() {
    let m = model(&format!(
        "{BASE}воронка В {{ повтор 30% через 2 нед\n\
           этап А {{ ответственный Р; конверсия 40%; лимит 1 нед; ожидание 1 нед }} }}\n\
         положение {{ рабочая_неделя 6 дн }}"
    ));
    let p = &m.pipelines[0];
    assert_eq!(p.stages[0].limit_days, Some(6.0));
    assert_eq!(p.stages[0].wait_limit_days, Some(6.0));
    assert_eq!(
        p.repeat.as_ref().and_then(|r| r.after_days.clone()),
        Some(Distribution::Fixed { value: 12.0 })
    );
}

/// A hire date inside a month joins that share of the month (the month's own calendar days):
/// 15 February is half of February; a hire in months (`найм 1 с 3 мес`) is the working month.
#[test]
fn hire_dates_and_months_are_months_of_the_horizon() {
    let m = model(
        "положение { действует_с 2026-01-01 }\nроль Р { штат 1; найм 2 с 2026-02-15; найм 1 с 3 мес; найм 1 с 65 дн }",
    );
    let p = voronka::sim::Params::from_model(&m, None);
    let joins: Vec<f64> = p.roles[0].hires.iter().map(|&(month, _)| month).collect();
    assert!((joins[0] - 2.5).abs() < 1e-12, "{joins:?}");
    assert!((joins[1] - 3.0).abs() < 1e-12, "{joins:?}");
    assert!(
        (joins[2] - 3.0).abs() < 1e-12,
        "65 working days are 3 working months: {joins:?}"
    );
}

/// Colour bands are shares of the target: `%` as written, a value in the KPI's own unit
/// divided by the target (3 of 4 million ₽ = 75 %; 30 of 40 calls = 75 %; 1 h of a 30 min
/// target = 200 %).
#[test]
fn colour_bands_in_the_kpis_unit_become_shares_of_the_target() {
    let text = std::fs::read_to_string("tests/diagnostics/values/colour_band_in_kpi_unit.sales").unwrap();
    let m = model(&text);
    let bands = |name: &str| -> Vec<Bound> {
        let k = m.kpis.iter().find(|k| k.name == name).expect(name);
        k.colours.iter().map(|c| c.bound.clone()).collect()
    };
    let lt = |value: f64| Bound::Cmp { op: Cmp::Lt, value };
    assert_eq!(bands("Конверсия")[0], lt(0.6));
    assert_eq!(bands("Выручка")[0], lt(0.75));
    assert_eq!(bands("Выручка")[1], Bound::Range { min: 0.75, max: 1.0 });
    assert_eq!(bands("Звонки")[0], lt(0.75));
    let reply = bands("Отклик");
    assert_eq!(
        reply[0],
        Bound::Cmp {
            op: Cmp::Le,
            value: 1.0
        }
    );
    assert_eq!(reply[1], Bound::Range { min: 1.0, max: 2.0 });
    assert_eq!(
        reply[2],
        Bound::Cmp {
            op: Cmp::Gt,
            value: 2.0
        }
    );
}

/// A band without `%` on a percentage KPI is an error (E0045), not 6000 % of the target.
#[test]
fn a_bare_band_on_a_percentage_kpi_is_an_error() {
    let c = voronka::compile_str(
        Path::new("t.sales"),
        "показатель К { единица %; цель >= 20%; цвета красный < 60, зелёный >= 80% }",
    );
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code()).collect();
    assert!(codes.contains(&"E0045"), "{codes:?}");
    let d = c.diagnostics.iter().find(|d| d.code() == "E0045").unwrap();
    let help = d.kind.help().expect("a hint");
    assert!(help.ru.contains("`60%`"), "{}", help.ru);
    let k = &c.model.expect("model").kpis[0];
    assert_eq!(
        k.colours.len(),
        1,
        "the wrong band is dropped, the right one kept"
    );
}

/// `старт` says how the forecast starts; without it the department is established.
#[test]
fn the_header_says_how_the_forecast_starts() {
    use voronka::model::StartKind;
    assert_eq!(
        model("положение { старт новый }").header.start,
        Some(StartKind::New)
    );
    assert_eq!(
        model("положение { старт действующий }").header.start,
        Some(StartKind::Established)
    );
    assert_eq!(
        model("regulation { start new }").header.start,
        Some(StartKind::New)
    );
    assert_eq!(model("положение { }").header.start, None);
}

/// `выход оплата` marks a payment exit, with or without the documents' wording; a worded exit
/// alone stays text, whatever it says; `источник` and `выборка` lower to the model.
#[test]
fn payment_exit_kpi_source_and_sample_size() {
    let m = model(&format!(
        "{BASE}воронка А {{ выход оплата \"Деньги на счёте\"; этап Э {{ ответственный Р }} }}\n\
         воронка Б {{ exit payment; этап Э {{ ответственный Р }} }}\n\
         воронка В {{ выход \"Оплата поступила\"; этап Э {{ ответственный Р }} }}\n\
         показатель К {{ источник \"Опрос клиентов\"; цель >= 50 }}\n\
         контроль Д {{ выборка 2 в нед \"два звонка\" }}\n\
         контроль Е {{ период ежедневно; выборка 3 }}\n"
    ));
    let p = |n: &str| m.pipeline(n).expect("pipeline");
    assert!(p("А").exit_on_payment);
    assert_eq!(p("А").exit.as_deref(), Some("Деньги на счёте"));
    assert!(p("Б").exit_on_payment);
    assert_eq!(p("Б").exit, None);
    assert_eq!(
        p("Б").exit_text(voronka::diag::Lang::Ru).as_deref(),
        Some("Оплата поступила")
    );
    assert!(!p("В").exit_on_payment, "words in a string are not structure");
    assert_eq!(m.kpis[0].source.as_deref(), Some("Опрос клиентов"));
    let size = |i: usize| m.controls[i].sample_size.expect("sample size");
    assert_eq!((size(0).count, size(0).per), (2.0, Some(Period::Week)));
    assert_eq!(m.controls[0].sample.as_deref(), Some("2 / неделя: два звонка"));
    assert_eq!((size(1).count, size(1).per), (3.0, None));
}
