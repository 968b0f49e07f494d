//! Quality control as data and as work, ranges where one number was required, the calendar
//! cycle and the recurring client analyses (issue 19): the analysis' sampling minutes exactly,
//! the forecast's capacity net of the sample against the analytic throughput, the score KPI
//! the forecast does not invent, budgets in costs, the two cycles against closed forms.

use std::path::Path;
use voronka::model::{ClientAnalysisKind, Formula, Model, StartKind};
use voronka::sim::{SimOptions, SimResult, simulate};

fn model(text: &str) -> Model {
    let c = voronka::compile_str(Path::new("quality.sales"), text);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    c.model.expect("a model")
}

fn codes(text: &str) -> Vec<String> {
    voronka::compile_str(Path::new("quality.sales"), text)
        .diagnostics
        .iter()
        .map(|d| d.kind.code().to_string())
        .collect()
}

fn run(m: &Model, runs: u32, months: u32) -> SimResult {
    simulate(
        m,
        &SimOptions {
            runs,
            seed: 7,
            months: Some(months),
            start: Some(StartKind::New),
            ..SimOptions::default()
        },
    )
}

fn close(what: &str, got: f64, expected: f64, tolerance: f64) {
    assert!(
        (got - expected).abs() <= tolerance,
        "{what}: got {got}, expected {expected} ± {tolerance}"
    );
}

/// A six-day week: 26 working days a month, so monthly figures are exact.
const QC: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль РОП { штат 1; рабочий_день 8 ч }
роль Менеджер { штат 5; подчиняется РОП; доля_продаж 50% }
канал Сайт { лиды 600 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап Звонок { ответственный РОП; цепочка { звонок "Звонок" 30 мин } }
}
чек_лист Оценка { вид звонок; критерий "Потребность" вес 100; на_оценку 4 мин }
контроль Прослушка { кто РОП; роли Менеджер; чек_лист Оценка; выборка 2 в день; на_оценку 5 мин }
"#;

#[test]
fn sampling_minutes_enter_the_scoring_roles_load_exactly() {
    let m = model(QC);
    let a = voronka::analyze::analyze(&m);
    // 2 a day × 5 managers × 26 days; 30 minutes of the call (nobody else calls) + 5 of the
    // control's review time (it wins over the checklist's 4).
    let contacts = 2.0 * 5.0 * 26.0;
    let per_contact = 30.0 + 5.0;
    let s = &a.sampling[0];
    close("contacts", s.contacts_per_month, contacts, 1e-9);
    close("minutes per contact", s.minutes_per_contact, per_contact, 1e-9);
    let rop = a.roles.iter().find(|r| r.role == "РОП").unwrap();
    close(
        "sampling minutes",
        rop.sampling_minutes,
        contacts * per_contact,
        1e-9,
    );
    // The whole day sells (доля_продаж 100 %): the sample comes out of the selling time.
    let working = 8.0 * 60.0 * 26.0;
    close(
        "available",
        rop.available_minutes,
        working - contacts * per_contact,
        1e-9,
    );
    close(
        "load",
        rop.load.unwrap(),
        rop.demanded_minutes / (working - contacts * per_contact),
        1e-12,
    );
}

#[test]
fn a_sample_that_fits_in_the_time_not_spent_selling_leaves_the_selling_time() {
    let text = QC.replace(
        "роль РОП { штат 1; рабочий_день 8 ч }",
        "роль РОП { штат 1; рабочий_день 8 ч; доля_продаж 20% }",
    );
    let a = voronka::analyze::analyze(&model(&text));
    let rop = a.roles.iter().find(|r| r.role == "РОП").unwrap();
    // 350 minutes a day of sampling, 384 not spent selling: the 96 selling minutes stay.
    close("available", rop.available_minutes, 0.2 * 480.0 * 26.0, 1e-9);
}

#[test]
fn the_forecast_serves_the_stage_with_what_the_sample_leaves() {
    // 600 leads a month need 30 minutes each from one head: far beyond a day of 480 minutes.
    // The sample takes 2 × 5 × 35 = 350 minutes a day first, so 130 minutes a day are left for
    // the stage: 130 / 30 calls a day, every one a win (conversion 100 %, no duration).
    let m = model(QC);
    let months = 6;
    let r = run(&m, 40, months);
    let days = 26.0 * f64::from(months);
    let expected = 130.0 / 30.0 * days;
    // Capacity, not chance, limits the wins: the only noise is the last call of a day.
    close("won with the sample", r.won.mean, expected, 0.02 * expected);
    let without = model(&QC.replace("выборка 2 в день; ", ""));
    let r0 = run(&without, 40, months);
    let full = 480.0 / 30.0 * days;
    close("won without a sample", r0.won.mean, full, 0.02 * full);
    // The utilisation of the head's stage time is full in both.
    let u = r
        .roles
        .iter()
        .find(|x| x.role == "РОП")
        .unwrap()
        .utilization
        .as_ref()
        .unwrap()
        .mean;
    close("utilisation", u, 1.0, 0.02);
}

#[test]
fn w0031_and_w0018_on_a_head_whose_sample_does_not_fit() {
    // 10 managers × 3 a day × 35 minutes = 1050 minutes: more than the head's 480.
    let text = QC
        .replace("роль Менеджер { штат 5;", "роль Менеджер { штат 10;")
        .replace("выборка 2 в день", "выборка 3 в день");
    let c = codes(&text);
    assert!(c.contains(&"W0031".to_string()), "{c:?}");
    // The overload is the sample's: W0031 explains it, W0018 is not repeated.
    assert!(!c.contains(&"W0018".to_string()), "{c:?}");
    // 100 leads a month: 115 minutes a day of calls leave the head 365 for the 350 of the
    // sample.
    let light = QC.replace("лиды 600 в мес", "лиды 100 в мес");
    assert!(
        !codes(&light).contains(&"W0031".to_string()),
        "{:?}",
        codes(&light)
    );
}

const SCORE: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес }
роль РОП { штат 1 }
роль Менеджер { штат 2; подчиняется РОП }
канал Сайт { лиды 100 в мес; воронка П }
воронка П { чек 10 000 ₽; этап Звонок { ответственный Менеджер; конверсия 50%; цепочка { звонок "Звонок" 10 мин } } }
чек_лист Оценка { вид звонок; шкала 0..2; цвета красный < 60, жёлтый 60..80, зелёный >= 80%; критерий "Потребность" вес 100 }
контроль Прослушка { кто РОП; роли Менеджер; чек_лист Оценка; выборка 1 в день; показатели Качество }
показатель Качество { результирующий; формула балл(Оценка); единица %; роли Менеджер; цель >= 80% }
"#;

#[test]
fn a_score_is_a_formula_the_forecast_does_not_invent() {
    let m = model(SCORE);
    let k = &m.kpis[0];
    assert_eq!(
        k.formula,
        Some(Formula::Score {
            checklist: "Оценка".into()
        })
    );
    let bands = &m.checklists[0].colours;
    assert_eq!(bands.len(), 3);
    // `60` without `%` is points of 100, the same as `60%`.
    assert_eq!(format!("{:?}", bands[0].bound), "Cmp { op: Lt, value: 0.6 }");
    assert_eq!(format!("{:?}", bands[2].bound), "Cmp { op: Ge, value: 0.8 }");
    let r = run(&m, 20, 3);
    let kpi = &r.kpis[0];
    assert!(kpi.value.is_none());
    assert_eq!(kpi.not_evaluated.as_deref(), Some("checklist_score"));
    let table = voronka::render::report::forecast::table(&r, voronka::diag::Lang::Ru);
    assert!(table.contains("данные: оценка по чек-листу"), "{table}");
    // W0037: nobody samples with the checklist.
    let none = SCORE.replace("выборка 1 в день; ", "");
    assert!(codes(&none).contains(&"W0037".to_string()));
    assert!(!codes(SCORE).contains(&"W0037".to_string()));
    // An undefined checklist is an undefined name.
    assert!(
        codes(&SCORE.replace("балл(Оценка)", "балл(Оценк)"))
            .iter()
            .any(|c| c.starts_with('E'))
    );
}

#[test]
fn budgets_and_salary_ranges_enter_costs_at_their_midpoint() {
    let text = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Р { штат 2; оклад 40 000..60 000 ₽; бюджет 5 000..15 000 ₽ в мес }
канал Сайт { лиды 0 в мес; воронка П; бюджет 30..50 тыс ₽ в мес }
воронка П { чек 10 000 ₽; этап A { ответственный Р; конверсия 50% } }
"#;
    let m = model(text);
    let r = &m.roles[0];
    assert_eq!(r.salary, Some(50_000.0));
    let range = r.salary_range.unwrap();
    assert_eq!((range.min, range.max), (40_000.0, 60_000.0));
    let b = m.channels[0].budget.unwrap();
    assert_eq!((b.min, b.max), (30_000.0, 50_000.0));
    let a = voronka::analyze::analyze(&m);
    close("salaries", a.costs.salaries_per_month, 100_000.0, 1e-9);
    close("budgets", a.costs.budgets_per_month, 10_000.0 + 40_000.0, 1e-9);
    // The forecast: no leads, so the cost is pay and budgets, every month.
    let f = run(&m, 2, 12);
    close("forecast cost", f.cost.mean, 12.0 * 150_000.0, 1e-3);
    // A budget a week is per month here too: 26 / 6 weeks a month.
    let weekly = model(&text.replace("5 000..15 000 ₽ в мес", "1 000..2 000 ₽ в нед"));
    let w = weekly.roles[0].budget.unwrap();
    close("weekly budget", w.max, 2_000.0 * 26.0 / 6.0, 1e-9);
}

#[test]
fn bad_ranges_are_located_errors() {
    let base = "роль Р { штат 1; оклад X }\n";
    let code = |salary: &str| codes(&base.replace('X', salary));
    assert!(code("60 000..40 000 ₽").contains(&"E0025".to_string()));
    assert!(code("40 000 $..60 000 ₽").contains(&"E0057".to_string()));
    assert!(code("40 000..60 000 ₽").iter().all(|c| !c.starts_with('E')));
    let norm = "роль Р { штат 1 }\nнормативы Р { звонки 30..20 в день }\n";
    assert!(codes(norm).contains(&"E0025".to_string()));
}

#[test]
fn a_norm_band_reads_both_ends_and_loads_at_its_midpoint() {
    let m = model(&format!("{QC}\nнормативы РОП {{ звонки 20..30 в день }}\n"));
    let n = &m.norms[0].norms[0];
    assert_eq!((n.value, n.max), (20.0, Some(30.0)));
    assert_eq!(n.mid(), 25.0);
}

#[test]
fn report_kinds_with_default_and_written_thresholds() {
    let m = model(
        "роль Р { штат 1 }\nотчёт A { составляет Р; вид abc_клиентов }\nотчёт X { составляет Р; вид xyz_clients; пороги X 15%, Y 30% }\n",
    );
    let a = m.reports[0].analysis.as_ref().unwrap();
    assert_eq!(a.kind, ClientAnalysisKind::Abc);
    assert_eq!(a.classes.len(), 3);
    let x = m.reports[1].analysis.as_ref().unwrap();
    assert_eq!(x.kind, ClientAnalysisKind::Xyz);
    assert_eq!(
        x.classes,
        vec![
            ("X".into(), Some(0.15)),
            ("Y".into(), Some(0.30)),
            ("Z".into(), None)
        ]
    );
    assert!(
        codes("роль Р { штат 1 }\nотчёт A { составляет Р; вид abc_клиентов; пороги A 70%, B 20% }\n")
            .contains(&"E0048".to_string())
    );
    assert!(
        codes("роль Р { штат 1 }\nотчёт A { составляет Р; вид xyz; пороги X 30%, Y 10% }\n")
            .contains(&"E0048".to_string())
    );
    assert!(codes("роль Р { штат 1 }\nотчёт A { составляет Р; вид авс }\n").contains(&"E0058".to_string()));
}

#[test]
fn the_calendar_cycle_counts_lost_deals_against_the_closed_form() {
    // Half the deals are lost after 5 working days, the other half won after 10: won deals
    // take 10 working days, all deals 7.5 — 8.75 calendar days on a six-day week.
    let text = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Р { штат 50 }
канал Сайт { лиды 260 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап A { ответственный Р; конверсия 50%; длительность 5 дн }
  этап B { ответственный Р; длительность 5 дн }
}
"#;
    let m = model(text);
    let a = voronka::analyze::analyze(&m);
    let c = &a.cycles[0];
    close("won, working days", c.won_working_days.unwrap(), 10.0, 1e-9);
    close("all, working days", c.all_working_days, 7.5, 1e-9);
    close("all, calendar days", c.all_calendar_days, 7.5 * 7.0 / 6.0, 1e-9);
    let r = run(&m, 20, 6);
    let won = r.cycle_days.as_ref().unwrap().mean;
    let all = r.cycle_calendar_days.as_ref().unwrap().mean;
    // Fixed durations: every deal's cycle is exact; only the share lost varies.
    close("forecast won cycle", won, 10.0, 0.05);
    let se = 4.0 * r.cycle_calendar_days.as_ref().unwrap().sd / 20f64.sqrt();
    close("forecast calendar cycle", all, 7.5 * 7.0 / 6.0, se.max(0.05));
}
