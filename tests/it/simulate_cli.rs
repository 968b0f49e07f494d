//! `voronka simulate` through the real binary: the JSON contract documented in README.md,
//! byte-identical output for any thread count, the table and CSV formats, exit codes.

use crate::common;

use common::voronka;
use serde::Deserialize;
use std::path::PathBuf;

// ── The JSON contract: a mirror of README.md's schema that refuses unknown fields ────────

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Stats {
    mean: f64,
    ci95: [f64; 2],
    sd: f64,
    p10: f64,
    p50: f64,
    p90: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Channel {
    channel: String,
    leads: Stats,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Stage {
    pipeline: String,
    stage: String,
    entered: Stats,
    converted: Stats,
    lost: Stats,
    cold: Stats,
    wip: Stats,
    days_in_stage: Option<Stats>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Role {
    role: String,
    utilization: Option<Stats>,
    backlog: Stats,
    /// Only for a role with client-base trigger work.
    #[serde(default)]
    client_work_hours: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Month {
    month: u32,
    calendar_month: u32,
    leads: Stats,
    channels: Vec<Channel>,
    won: Stats,
    revenue: Stats,
    new_clients: Stats,
    cycle_days: Option<Stats>,
    plan_probability: Option<f64>,
    bottleneck: Option<Bottleneck>,
    cold: Stats,
    cost: Stats,
    profit: Stats,
    cac: Option<Stats>,
    roi: Option<Stats>,
    roles: Vec<MonthRole>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MonthRole {
    role: String,
    utilization: Option<Stats>,
    backlog: Stats,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct OpenDeals {
    deals: u32,
    won: Stats,
    revenue: Stats,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
#[allow(dead_code)]
enum Target {
    Cmp { op: String, value: f64 },
    Range { min: f64, max: f64 },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Kpi {
    name: String,
    title: Option<String>,
    unit: Option<String>,
    period: Option<String>,
    per_person: Vec<String>,
    value: Option<Stats>,
    target: Option<Target>,
    target_probability: Option<f64>,
    band: Option<String>,
    not_evaluated: Option<String>,
    /// Only for a KPI over stocks or `изменение`: each month's value (null without one).
    #[serde(default)]
    by_month: Option<Vec<Option<Stats>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Bottleneck {
    role: String,
    utilization: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Uncapped {
    won: f64,
    revenue: f64,
    new_clients: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Forecast {
    runs: u32,
    seed: u64,
    /// "established", "new" or "open_deals".
    start: String,
    horizon_months: u32,
    working_days: u32,
    start_month: u32,
    currency: String,
    leads: Stats,
    won: Stats,
    revenue: Stats,
    new_clients: Stats,
    repeat_purchases: Stats,
    cycle_days: Option<Stats>,
    #[serde(default)]
    cycle_calendar_days: Option<Stats>,
    cold: Stats,
    cost: Stats,
    profit: Stats,
    cac: Option<Stats>,
    roi: Option<Stats>,
    plan_metric: Option<String>,
    plan_target: Option<f64>,
    plan_probability: Option<f64>,
    channels: Vec<Channel>,
    stages: Vec<Stage>,
    roles: Vec<Role>,
    months: Vec<Month>,
    open_deals: Option<OpenDeals>,
    kpis: Vec<Kpi>,
    uncapped: Uncapped,
    scenarios: Vec<ScenarioOut>,
    hires: Vec<Hire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Paired {
    mean: f64,
    ci95: [f64; 2],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Delta {
    won: Paired,
    revenue: Paired,
    plan_probability: Option<Paired>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ScenarioOut {
    name: String,
    won: Stats,
    revenue: Stats,
    plan_probability: Option<f64>,
    delta: Delta,
    /// Replications the scenario took (adaptive, at most the baseline's).
    runs: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Hire {
    role: String,
    won_delta: Paired,
    revenue_delta: Paired,
    profit_delta: Paired,
    verdict: String,
    bottleneck: Option<String>,
    constraint_moves: Option<ConstraintMove>,
    /// Replications the variant took (adaptive, at most the baseline's).
    runs: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ConstraintMove {
    month: u32,
    calendar_month: u32,
    role: String,
}

fn json(args: &[&str]) -> (String, Forecast) {
    let out = voronka(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let parsed: Forecast = serde_json::from_str(&text).expect("the documented schema");
    (text, parsed)
}

#[test]
fn json_follows_the_documented_schema() {
    let (_, f) = json(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "50",
        "--format",
        "json",
    ]);
    assert_eq!((f.runs, f.seed, f.horizon_months, f.start_month), (50, 1, 12, 1));
    assert_eq!(f.months.len(), 12);
    assert_eq!(f.stages.len(), 8);
    assert_eq!(f.plan_metric.as_deref(), Some("revenue"));
    let p = f.plan_probability.expect("the agency has a plan");
    assert!((0.0..=1.0).contains(&p));
    assert!(f.won.p10 <= f.won.p50 && f.won.p50 <= f.won.p90);
    assert!(f.won.ci95[0] <= f.won.mean && f.won.mean <= f.won.ci95[1]);
    assert!(
        f.roles
            .iter()
            .any(|r| r.role == "Менеджер" && r.utilization.is_some())
    );
    assert!(f.open_deals.is_none());
    // Costs and profit month by month add up to the horizon's.
    let cost: f64 = f.months.iter().map(|m| m.cost.mean).sum();
    let profit: f64 = f.months.iter().map(|m| m.profit.mean).sum();
    assert!(
        (cost - f.cost.mean).abs() < 1e-3 * f.cost.mean,
        "{cost} vs {}",
        f.cost.mean
    );
    assert!((profit - f.profit.mean).abs() < 1e-3 * f.cost.mean);
    // So do leads per channel and new clients; the last month ends with the horizon's backlog.
    for (c, channel) in f.channels.iter().enumerate() {
        let months: f64 = f.months.iter().map(|m| m.channels[c].leads.mean).sum();
        assert!((months - channel.leads.mean).abs() < 1e-6 * channel.leads.mean.max(1.0));
    }
    let new: f64 = f.months.iter().map(|m| m.new_clients.mean).sum();
    assert!((new - f.new_clients.mean).abs() < 1e-6 * f.new_clients.mean.max(1.0));
    let last = f.months.last().unwrap();
    for (r, role) in f.roles.iter().enumerate() {
        assert_eq!(last.roles[r].backlog.mean, role.backlog.mean, "{}", role.role);
    }
    assert!(f.months.iter().all(|m| m.roles.len() == f.roles.len()));
    // Every KPI of the agency is listed: evaluated with a value, or with the reason it is not.
    assert_eq!(f.kpis.len(), 12);
    let overdue = f.kpis.iter().find(|k| k.name == "ПросроченныеСчета").unwrap();
    assert_eq!(overdue.by_month.as_ref().map(Vec::len), Some(f.months.len()));
    for k in &f.kpis {
        assert_eq!(k.value.is_some(), k.not_evaluated.is_none(), "{k:?}");
    }
    let response = f.kpis.iter().find(|k| k.name == "СкоростьОтклика").unwrap();
    assert_eq!(response.not_evaluated.as_deref(), Some("response_minutes"));
    let revenue = f.kpis.iter().find(|k| k.name == "ВыручкаОтдела").unwrap();
    // A month's department revenue is the horizon's over twelve months.
    let v = revenue.value.as_ref().unwrap();
    assert!((v.mean - f.revenue.mean / 12.0).abs() < 1e-6 * f.revenue.mean);
    assert!(revenue.band.is_some() && revenue.target_probability.is_some());

    let (_, short) = json(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "5",
        "--months",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!((short.horizon_months, short.months.len()), (3, 3));
    let (_, no_plan) = json(&[
        "simulate",
        "examples/benchmark.sales",
        "--runs",
        "3",
        "--format",
        "json",
        "--seed",
        "9",
    ]);
    assert_eq!(no_plan.seed, 9);
}

#[test]
fn same_seed_same_bytes_for_any_thread_count() {
    let args = |threads: &'static str| {
        [
            "simulate",
            "examples/agency.sales",
            "--runs",
            "200",
            "--seed",
            "7",
            "--format",
            "json",
            "--threads",
            threads,
        ]
    };
    let (one, _) = json(&args("1"));
    let (two, _) = json(&args("2"));
    let (again, _) = json(&args("2"));
    assert_eq!(one, two);
    assert_eq!(two, again);
    let (other, _) = json(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "200",
        "--seed",
        "8",
        "--format",
        "json",
    ]);
    assert_ne!(one, other);
}

#[test]
fn the_table_is_russian_by_default_and_english_on_request() {
    let out = voronka(&["simulate", "examples/agency.sales", "--runs", "20"]);
    assert_eq!(out.status.code(), Some(0));
    let ru = String::from_utf8(out.stdout).unwrap();
    assert!(ru.contains("Прогноз: 20 прогонов"), "{ru}");
    assert!(ru.contains("Выручка") && ru.contains("Вероятность выполнить план"));
    assert!(
        ru.contains('\u{a0}'),
        "thousands are grouped with no-break spaces"
    );
    let out = voronka(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "20",
        "--lang",
        "en",
    ]);
    let en = String::from_utf8(out.stdout).unwrap();
    assert!(en.contains("Forecast: 20 runs") && en.contains("Revenue"), "{en}");
}

#[test]
fn csv_has_one_line_per_metric() {
    let out = voronka(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "10",
        "--format",
        "csv",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("metric,mean,ci95_low,ci95_high,sd,p10,p50,p90")
    );
    for line in lines {
        assert_eq!(line.split(',').count(), 8, "{line}");
    }
    assert!(text.contains("\nrevenue,") && text.contains("\nmonth.12.won,"));
}

#[test]
fn errors_in_the_file_and_bad_flags_are_refused() {
    let dir = std::env::temp_dir().join(format!("voronka-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad: PathBuf = dir.join("bad.sales");
    std::fs::write(&bad, "роль Менеджер { штат 1; подчиняется Никто }\n").unwrap();
    let out = voronka(&["simulate", bad.to_str().unwrap(), "--runs", "5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ошибка["),
        "diagnostics are printed as check does"
    );
    assert!(out.stdout.is_empty());

    for flags in [
        ["--runs", "0"],
        ["--runs", "много"],
        ["--months", "0"],
        ["--threads", "0"],
    ] {
        let out = voronka(&["simulate", "examples/agency.sales", flags[0], flags[1]]);
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("ожидалось"),
            "{flags:?}"
        );
    }
    for flags in [["--format", "xml"], ["--bogus", "1"]] {
        let out = voronka(&["simulate", "examples/agency.sales", flags[0], flags[1]]);
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("ошибка: "),
            "{flags:?}"
        );
    }
    let out = voronka(&["simulate", "no/such/file.sales"]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn every_example_simulates() {
    for file in [
        "examples/agency.sales",
        "examples/benchmark.sales",
        "examples/inbound_outbound.sales",
        "examples/manufacturer.sales",
        "examples/saas_en.sales",
        "examples/split/main.sales",
    ] {
        let (_, f) = json(&["simulate", file, "--runs", "10", "--format", "json"]);
        assert!(f.won.mean > 0.0 && f.revenue.mean > 0.0, "{file}");
        for s in &f.stages {
            assert!(
                s.converted.mean + s.lost.mean <= s.entered.mean + 1e-9,
                "{file}: {}",
                s.stage
            );
        }
    }
}

#[test]
fn json_carries_scenarios_and_the_value_of_a_hire() {
    let (_, f) = json(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "50",
        "--format",
        "json",
        "--scenario",
        "examples/scenarios/agency_hire.yaml",
    ]);
    assert_eq!(f.scenarios.len(), 1);
    assert_eq!(f.scenarios[0].name, "Найм двух менеджеров и сильнее КП");
    assert!(f.scenarios[0].delta.won.mean > 0.0);
    assert!(f.hires.iter().any(|h| h.role == "Менеджер"));
    let (_, f) = json(&[
        "simulate",
        "examples/agency.sales",
        "--runs",
        "20",
        "--format",
        "json",
        "--no-hires",
    ]);
    assert!(f.hires.is_empty() && f.scenarios.is_empty());
}

/// Money in the terminal tables carries its currency and is rounded the same way everywhere:
/// the totals, the plan, the months, the value of a hire.
#[test]
fn money_in_tables_has_its_sign_and_is_rounded() {
    let out = voronka(&["simulate", "examples/agency.sales", "--runs", "20"]);
    let text = String::from_utf8(out.stdout).unwrap().replace('\u{a0}', " ");
    let line = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no «{label}» in\n{text}"))
            .to_owned()
    };
    for label in ["Выручка ", "Затраты ", "Прибыль ", "CAC "] {
        let l = line(label);
        // mean, the interval's two ends, P10, P50, P90: each an amount with ₽.
        assert_eq!(l.matches(" ₽").count(), 6, "{l}");
        assert!(l.contains(" млн ₽") || l.contains(" тыс. ₽"), "{l}");
    }
    let plan = line("Вероятность выполнить план по выручке");
    assert!(plan.contains("(47,0 млн ₽)"), "{plan}");
    let january = line("1 янв");
    assert!(january.matches(" ₽").count() >= 4, "{january}");
    let (_, hires) = text.split_once("Ценность найма").expect("the value of a hire");
    let hire = hires
        .lines()
        .find(|l| l.trim_start().starts_with("Менеджер"))
        .expect("a hire row");
    assert_eq!(hire.matches(" ₽ ± ").count(), 2, "Δ revenue and Δ profit: {hire}");
    // No amount of seven digits or more is left unrounded.
    let long = regex_like_long_number(&text);
    assert!(long.is_none(), "an unrounded amount: {long:?}\n{text}");
}

/// A line with a number of seven digits or more (`56 398 677`), if any; columns are two
/// spaces apart, digits of one number one space.
fn regex_like_long_number(text: &str) -> Option<String> {
    text.lines()
        .find(|line| {
            line.split("  ").any(|cell| {
                cell.split(|c: char| !(c.is_ascii_digit() || c == ' '))
                    .any(|n| n.chars().filter(char::is_ascii_digit).count() >= 7)
            })
        })
        .map(str::to_owned)
}

/// `plan --format csv` prints CSV: one line per headcount tried, the answer marked.
#[test]
fn plan_prints_csv_when_asked() {
    let out = voronka(&[
        "plan",
        "examples/agency.sales",
        "--role",
        "Менеджер",
        "--runs",
        "50",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("role,period,required_probability,current,headcount,plan_probability,answer")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() >= 2, "{text}");
    assert!(
        rows.iter()
            .all(|r| r.len() == 7 && r[0] == "Менеджер" && r[1] == "horizon"),
        "{text}"
    );
    assert_eq!(rows.iter().filter(|r| r[6] == "true").count(), 1, "{text}");
    let headcounts: Vec<u32> = rows.iter().map(|r| r[4].parse().unwrap()).collect();
    assert!(headcounts.windows(2).all(|w| w[0] < w[1]), "{text}");
}
