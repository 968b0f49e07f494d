//! `--open-deals`: the forecast that starts from today's pipeline, against the absorbing Markov
//! chain of `analyze` (tolerances from the standard error, 4·SE), and the file's diagnostics
//! through the real binary.

use crate::common;

use crate::common::{model, within};
use common::voronka;
use std::path::Path;
use voronka::diag::Lang;
use voronka::diag::render::{JsonDiagnostic, json_values};
use voronka::model::Model;
use voronka::sim::open_deals::{Format, parse};
use voronka::sim::{OpenDeal, SimOptions, SimResult, day_pmf, simulate};
use voronka::source::{FileId, SourceMap};

fn run(m: &Model, deals: &[OpenDeal], runs: u32, seed: u64) -> SimResult {
    simulate(
        m,
        &SimOptions {
            runs,
            seed,
            open_deals: deals,
            ..SimOptions::default()
        },
    )
}

/// No new leads, ample capacity; a loop back through retargeting and a stage with work.
const FUNNEL: &str = r#"
положение "Т" { валюта ₽; горизонт 12 мес; рабочая_неделя 6 дн }
роль Р { штат 2; рабочий_день 8 ч; доля_продаж 100% }
роль М { штат 1 }
канал Сайт { лиды 0 в мес; воронка П }
воронка П {
  чек 10 000 ₽
  этап A { ответственный Р; конверсия 60%; длительность 2..6 дн
    цепочка { звонок "Звонок" 10 мин } }
  этап B { ответственный Р; конверсия 50%; длительность треуг(1, 3, 8) дн; отказ 30% -> Р; отказ -> проиграно }
  этап C { ответственный Р; конверсия 80%; длительность 4 дн }
}
воронка Р { вид ретаргетинг; ответственный М
  этап R { ответственный М; конверсия 40%; длительность 5 дн; успех -> П.B }
}
"#;

const DEALS: &str = "\
воронка,этап,дней_на_этапе,сумма,ответственный
П,A,0,,Р
П,A,1,200000,Р
П,A,9,,
П,B,2,50000,Р
П,B,0,80000,Р
П,B,12,,Р
П,C,1,1000000,Р
П,C,3,30000,Р
Р,R,0,70000,М
Р,R,4,,М
";

/// With no new leads, the open deals won are a sum of independent Bernoulli trials with the
/// chain's P(won from their stage): mean Σ p, variance Σ p(1 − p); revenue has mean
/// Σ amount × p (the pipeline's check where no amount is given) and variance Σ amount² p(1 − p).
#[test]
fn open_deals_are_won_with_the_chain_probability_of_their_stage() {
    let m = model(FUNNEL);
    let deals = parse(DEALS, FileId(0), Format::Csv, &m).expect("good rows");
    assert_eq!(deals.len(), 10);
    let mut won = 0.0;
    let mut won_var = 0.0;
    let mut revenue = 0.0;
    let mut revenue_var = 0.0;
    for line in DEALS.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let p = voronka::analyze::p_won_from(&m, f[0], f[1]).expect("solvable");
        let amount = if f[3].is_empty() {
            10_000.0
        } else {
            f[3].parse().unwrap()
        };
        won += p;
        won_var += p * (1.0 - p);
        revenue += amount * p;
        revenue_var += amount * amount * p * (1.0 - p);
    }
    // Hand-checked: from C a deal is won with 0.8.
    within(
        "P(won | C)",
        voronka::analyze::p_won_from(&m, "П", "C").unwrap(),
        0.8,
        1e-12,
    );
    let runs = 4000;
    let r = run(&m, &deals, runs, 5);
    let n = f64::from(runs);
    let open = r.open_deals.as_ref().expect("open deals given");
    assert_eq!(open.deals, 10);
    assert_eq!(r.leads.mean, 0.0);
    within("won", open.won.mean, won, 4.0 * (won_var / n).sqrt());
    within("won variance", open.won.sd.powi(2), won_var, 0.1 * won_var);
    within("all wins are open deals", r.won.mean, open.won.mean, 1e-9);
    within(
        "revenue",
        open.revenue.mean,
        revenue,
        4.0 * (revenue_var / n).sqrt(),
    );
    within("all revenue", r.revenue.mean, open.revenue.mean, 1e-6 * revenue);
    // Every open deal counts as entering its stage, and leaves it within the horizon.
    let a = &r.stages[0];
    within("entered A", a.entered.mean, 3.0, 1e-9);
    within("left A", a.converted.mean + a.lost.mean, 3.0, 1e-9);
}

/// A deal that has spent d days in a stage leaves after the residual duration: its cycle
/// (counted from entering the stage) is E[K | K ≥ d] of the stage's day distribution.
#[test]
fn the_remaining_time_is_the_residual_of_the_stage_duration() {
    let m = model(
        r#"
положение "Т" { валюта ₽; горизонт 3 мес; рабочая_неделя 6 дн }
роль Р { штат 1 }
канал Сайт { лиды 0 в мес; воронка П }
воронка П { чек 1 000 ₽
  этап A { ответственный Р; конверсия 100%; длительность 2..12 дн; успех -> выиграно }
}
"#,
    );
    let stage = &m.pipelines[0].stages[0];
    let pmf = day_pmf(stage.duration_days.as_ref().unwrap(), 78);
    for (d, expected_fixed) in [(0usize, None), (5, None), (40, Some(40.0))] {
        let deals = vec![
            OpenDeal {
                stage: 0,
                days: d,
                amount: None,
            };
            20
        ];
        let r = run(&m, &deals, 400, 3);
        let cycle = r.cycle_days.expect("all won");
        let expected = expected_fixed.unwrap_or_else(|| {
            let (mut num, mut den) = (0.0, 0.0);
            for (i, p) in pmf.probs.iter().enumerate() {
                let k = pmf.offset + i;
                if k >= d {
                    num += k as f64 * p;
                    den += p;
                }
            }
            num / den
        });
        // 8000 deal cycles; the sd of a cycle is at most the support's half-width (5 days).
        within(
            &format!("cycle after {d} days"),
            cycle.mean,
            expected,
            4.0 * 5.0 / 8000f64.sqrt(),
        );
        within("all won", r.won.mean, 20.0, 1e-9);
    }
}

const MODEL_WAIT: &str = r#"
положение "Т" { валюта ₽; горизонт 1 мес; рабочая_неделя 6 дн }
роль Р { штат 1; рабочий_день 8 ч; доля_продаж 100% }
канал Сайт { лиды 52 в мес; воронка П }
воронка П { чек 1 000 ₽
  этап A { ответственный Р; конверсия 100%; длительность 0 дн; ожидание 3 дн; успех -> выиграно
    цепочка { звонок "Звонок" 48 мин } }
}
"#;

/// Open deals waiting for work load their role and are served before new leads: one person
/// serves ten 48-minute leads a day, and a lead waiting more than 3 days goes cold. Of 100
/// open deals, exactly the 40 served on days 0–3 are won, though new leads arrive every day.
#[test]
fn open_deals_take_their_role_s_time_first() {
    let m = model(MODEL_WAIT);
    let deals = vec![
        OpenDeal {
            stage: 0,
            days: 0,
            amount: Some(5_000.0),
        };
        100
    ];
    let r = run(&m, &deals, 50, 1);
    let open = r.open_deals.unwrap();
    within("open deals served before going cold", open.won.mean, 40.0, 1e-9);
    within("their revenue", open.revenue.mean, 200_000.0, 1e-6);
    assert!(r.stages[0].cold.mean >= 60.0, "{:?}", r.stages[0].cold);
    assert!(r.leads.mean > 0.0);

    // Without the wait limit, 400 open deals outlast the month's 260 slots: 140 are still
    // waiting at the end, in the role's backlog with the new leads that came behind them.
    let patient = model(&MODEL_WAIT.replace("ожидание 3 дн; ", ""));
    let deals = vec![
        OpenDeal {
            stage: 0,
            days: 0,
            amount: None,
        };
        400
    ];
    let r = run(&patient, &deals, 20, 1);
    within("open deals won", r.open_deals.unwrap().won.mean, 260.0, 1e-9);
    within("backlog", r.roles[0].backlog.mean, 140.0 + r.leads.mean, 1e-6);
}

/// A tender meeting of 180 minutes against a director's 96 selling minutes a day: open deals
/// waiting for it are still served, the work spanning days. The director starts a meeting
/// whenever minutes are left today and pays the rest from the next days, so the n-th deal
/// starts on the first day with more than 180 × (n − 1) minutes worked before its end: the
/// tenth on day 16 of the month's 22.
#[test]
fn an_open_deal_longer_than_a_day_is_served() {
    let m = model(
        r#"
положение "Т" { валюта ₽; горизонт 1 мес; рабочая_неделя 5 дн }
роль Директор { штат 1; рабочий_день 8 ч; доля_продаж 20% }
канал Тендеры { лиды 0 в мес; воронка П }
воронка П {
  этап Встреча { ответственный Директор; конверсия 100%; длительность 0 дн
    цепочка { встреча "Тендерная встреча" 180 мин } }
}
"#,
    );
    let deals = vec![
        OpenDeal {
            stage: 0,
            days: 0,
            amount: Some(1_000.0),
        };
        10
    ];
    let r = run(&m, &deals, 5, 1);
    within("open deals won", r.open_deals.unwrap().won.mean, 10.0, 1e-9);
    within("won in the first month", r.months[0].won.mean, 10.0, 1e-9);
    // 10 × 180 minutes of 96 × days: the role's utilisation is the work done.
    let expected = 1800.0 / (96.0 * 22.0);
    let u = r.roles[0].utilization.unwrap().mean;
    assert!(
        (u - expected).abs() < 0.01,
        "utilisation {u}, expected {expected}"
    );
}

fn file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("voronka-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// `ошибка[code]: message` in `err`, located at `…at` on the next line (codespan's `┌─ file:line:column`).
fn located(err: &str, at: &str, code: &str, message: &str) {
    let lines: Vec<&str> = err.lines().collect();
    let found = lines.windows(2).any(|w| {
        w[0].starts_with(&format!("ошибка[{code}]: ")) && w[0].contains(message) && w[1].ends_with(at)
    });
    assert!(found, "missing «{code}: {message}» at {at} in:\n{err}");
}

#[test]
fn bad_rows_are_errors_with_line_column_text_and_hint() {
    let csv = file(
        "bad.csv",
        "воронка;этап;дней_на_этапе;сумма;ответственный\n\
         Продаж;КП;3;500 000;Менеджер\n\
         Продажа;Догвор;2;1 200 000;Менеджер\n\
         Продажа;КП;-1;100;Менеджер\n\
         Продажа;КП;три;100;Менеджер\n\
         Продажа;КП;3;100;Менджер\n\
         Продажа;КП;3;100;Бухгалтер\n\
         Продажа;КП;3\n\
         Продажа;КП;3;сто;Менеджер\n",
    );
    let out = voronka(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "5",
        "--open-deals",
        &csv,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    for (at, code, message) in [
        ("bad.csv:2:1", "E0073", "воронка «Продаж» не найдена"),
        ("bad.csv:3:9", "E0073", "в воронке «Продажа» нет этапа «Догвор»"),
        (
            "bad.csv:4:12",
            "E0075",
            "дней на этапе не может быть отрицательным: «-1»",
        ),
        (
            "bad.csv:5:12",
            "E0074",
            "дней на этапе: ожидалось число, получено «три»",
        ),
        ("bad.csv:6:18", "E0073", "роль «Менджер» не найдена"),
        (
            "bad.csv:7:18",
            "E0078",
            "роль «Бухгалтер» не работает на этапе «КП»",
        ),
        ("bad.csv:8:13", "E0076", "в строке 3 из 5 столбцов"),
        ("bad.csv:9:14", "E0074", "сумма: ожидалось число, получено «сто»"),
    ] {
        located(&err, at, code, message);
    }
    for hint in [
        "возможно, имелось в виду «Продажа»",
        "возможно, имелось в виду «Договор»",
        "возможно, имелось в виду «Менеджер»",
        "на этапе работают: Менеджер, Пресейл",
    ] {
        assert!(
            err.contains(&format!("= подсказка: {hint}")),
            "missing «{hint}» in:\n{err}"
        );
    }
    // The offending text is shown and underlined.
    assert!(
        err.contains("5 │ Продажа;КП;три;100;Менеджер\n  │            ^^^"),
        "{err}"
    );

    // A header without a required column, and an unknown one.
    let csv = file("header.csv", "pipeline,stage,dayz,owner\nПродажа,КП,3,Менеджер\n");
    let out = voronka(&[
        "plan",
        "examples/agency.sales",
        "--role",
        "Менеджер",
        "--open-deals",
        &csv,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    located(&err, "header.csv:1:16", "E0071", "неизвестный столбец «dayz»");
    located(
        &err,
        "header.csv:1:1",
        "E0076",
        "в заголовке нет столбца «дней_на_этапе»",
    );

    // YAML: the key and the value are located.
    let yaml = file(
        "deals.yaml",
        "- воронка: Продажа\n  этап: КП\n  дней_на_этапе: 3\n  ответственный: Менеджер\n- воронка: Продажа\n  этап: Счет\n  дни: 1\n  сумма: -5\n",
    );
    let out = voronka(&[
        "sweep",
        "examples/agency.sales",
        "--set",
        "Менеджер.штат=2,3",
        "--runs",
        "3",
        "--open-deals",
        &yaml,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    located(
        &err,
        "deals.yaml:6:9",
        "E0073",
        "в воронке «Продажа» нет этапа «Счет»",
    );
    assert!(err.contains("«Счёт»"), "{err}");
    located(
        &err,
        "deals.yaml:8:10",
        "E0075",
        "сумма не может быть отрицательным",
    );

    let out = voronka(&["simulate", "examples/agency.sales", "--open-deals", "no/such.csv"]);
    assert_eq!(out.status.code(), Some(3));
}

/// The errors of an open-deals file for [`FUNNEL`], as `--format json` shows them.
fn open_errors(text: &str, format: Format) -> Vec<JsonDiagnostic> {
    let m = model(FUNNEL);
    let mut sources = SourceMap::new();
    let id = sources.add("deals", text.to_owned());
    let diags = parse(text, id, format, &m).expect_err("errors");
    json_values(&sources, &diags, Lang::Ru)
}

fn positions(e: &[JsonDiagnostic]) -> Vec<(usize, usize, &str)> {
    e.iter().map(|d| (d.line, d.column, d.code.as_str())).collect()
}

/// Days and amounts past the language's 10^15 (or not finite) were taken as written (`1e300`
/// as an amount); control and bidi characters would reach the terminal: both are refused.
#[test]
fn numbers_past_the_range_and_control_characters_are_refused() {
    let e = open_errors(
        "воронка,этап,дней_на_этапе,сумма,ответственный\nП,A,1e20,1,Р\nП,A,1,1e300,Р\nП,A,1,inf,Р\nП\u{c},A,1,1,Р\nП,A,1,1000000000000000,Р\n",
        Format::Csv,
    );
    assert_eq!(
        positions(&e),
        [(2, 5, "E0075"), (3, 7, "E0075"), (4, 7, "E0075"), (5, 1, "E0077")],
        "{e:#?}"
    );
    assert!(
        e[1].message.contains("«1e300» вне допустимого диапазона"),
        "{e:#?}"
    );
    assert!(e[3].message.contains("U+000C"), "{e:#?}");

    let e = open_errors(
        "- воронка: П\n  этап: A\n  дней_на_этапе: true\n- воронка: П\n  этап: A\n  дней_на_этапе: 1\n  сумма: 1e300\n- [1, 2]\n- воронка: \"П\u{202E}\"\n  этап: A\n  дней_на_этапе: 1\n",
        Format::Yaml,
    );
    assert_eq!(
        positions(&e),
        [
            (3, 18, "E0074"),
            (7, 10, "E0075"),
            (8, 3, "E0074"),
            (9, 12, "E0077")
        ],
        "{e:#?}"
    );
    // Not YAML at all, and YAML that is not a list of deals.
    let e = open_errors("- воронка: [П\n", Format::Yaml);
    assert_eq!(e[0].code, "E0070", "{e:#?}");
    let e = open_errors("воронка: П\n", Format::Yaml);
    assert_eq!(positions(&e), [(1, 1, "E0074")], "{e:#?}");
}

#[test]
fn good_files_in_csv_and_yaml_give_the_same_forecast() {
    let csv = file(
        "good.csv",
        "Воронка,Этап,Дней на этапе,Сумма,Ответственный\nПродажа,КП,3,\"1 500 000\",Менеджер\nПродажа,Договор,0,,\n",
    );
    let yaml = file(
        "good.yml",
        "- pipeline: Продажа\n  stage: КП\n  days_in_stage: 3\n  amount: 1500000\n  owner: Менеджер\n- pipeline: Продажа\n  stage: Договор\n  days: 0\n",
    );
    let go = |f: &str| {
        let out = voronka(&[
            "simulate",
            "examples/agency.sales",
            "--runs",
            "20",
            "--no-hires",
            "--format",
            "json",
            "--open-deals",
            f,
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let (a, b) = (go(&csv), go(&yaml));
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["open_deals"]["deals"], 2);
    // The shipped example, in both spellings.
    let (a, b) = (
        go("examples/open_deals/agency.csv"),
        go("examples/open_deals/agency.yaml"),
    );
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["open_deals"]["deals"], 10);
}

const MODEL_TWO: &str = r#"
положение "Т" { валюта ₽; горизонт 1 мес; рабочая_неделя 6 дн }
роль Р { штат 1; рабочий_день 8 ч; доля_продаж 100% }
канал Сайт { лиды 0 в мес; воронка П }
воронка П { чек 1 000 ₽
  этап A { ответственный Р; конверсия 100%; длительность 0 дн; ожидание 1 дн
    цепочка { звонок "Звонок" 48 мин } }
  этап B { ответственный Р; конверсия 100%; длительность 0 дн
    цепочка { звонок "Звонок" 48 мин } }
}
"#;

/// Open deals share the day's capacity by the engine's serving order: stage B, one step from
/// a win, before stage A, whatever the file order. One person serves ten deals a day; the 20
/// deals in B take days 0 and 1, so the 10 in A (listed first) wait past their 1-day limit and
/// go cold on day 2. Served first in file order instead, A's deals would all be won.
#[test]
fn open_deals_closest_to_a_win_are_served_first() {
    let m = model(MODEL_TWO);
    let seed = |stage, amount| OpenDeal {
        stage,
        days: 0,
        amount: Some(amount),
    };
    let deals: Vec<OpenDeal> = std::iter::repeat_n(seed(0, 1_000.0), 10)
        .chain(std::iter::repeat_n(seed(1, 7_000.0), 20))
        .collect();
    let r = run(&m, &deals, 20, 3);
    let open = r.open_deals.unwrap();
    within("won: the deals in B", open.won.mean, 20.0, 1e-9);
    within("their revenue", open.revenue.mean, 140_000.0, 1e-6);
    within("A's deals went cold", r.stages[0].cold.mean, 10.0, 1e-9);
}

/// The clients won before today come back with `--open-deals` as with the established start:
/// over a horizon shorter than the repeat delay every repeat purchase is one of theirs, and
/// their mean is the settled stock's expected repeats (4·SE, Poisson); a new department has
/// none.
#[test]
fn open_deals_keep_the_repeat_purchases_of_existing_clients() {
    let m = voronka::compile_str(
        Path::new("agency.sales"),
        &std::fs::read_to_string("examples/agency.sales").expect("example"),
    )
    .model
    .expect("model");
    let text = std::fs::read_to_string("examples/open_deals/agency.csv").expect("open deals");
    let seeds = parse(&text, FileId(0), Format::Csv, &m).expect("open deals parse");
    let options = |start| SimOptions {
        runs: 400,
        seed: 5,
        months: Some(3),
        open_deals: &seeds,
        start,
        ..SimOptions::default()
    };
    let params = voronka::sim::Params::from_model(&m, Some(3));
    let calendar = voronka::sim::start::Calendar::new(&params);
    let stock = voronka::sim::start::stock(&params, &calendar);
    let expected: f64 = stock
        .repeats
        .iter()
        .map(|due| due.iter().take(calendar.days).sum::<f64>())
        .sum();
    assert!(expected > 1.0, "agency's clients come back: {expected}");
    let got = simulate(&m, &options(None)).repeat_purchases.mean;
    within("repeat purchases", got, expected, 4.0 * (expected / 400.0).sqrt());
    let new = simulate(&m, &options(Some(voronka::model::StartKind::New)));
    assert_eq!(new.repeat_purchases.mean, 0.0);
}
