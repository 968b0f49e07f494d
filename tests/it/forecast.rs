//! The forecast as documents: `voronka simulate --format html` and `voronka sweep --format html`
//! pages (well-formed HTML5 by html5ever, self-contained, the charts with the right marks,
//! byte-identical for a seed), the plan marker's place on a hand-made histogram, the funnel of
//! `voronka graph --format svg --funnel`, and the forecast appendix of the Положение (`docs
//! --forecast`, a snapshot for a fixed seed). Runs are small so the tests stay fast in debug.

use crate::common;

use common::voronka;
use scraper::{ElementRef, Html, Selector};
use std::path::Path;
use std::process::Output;
use voronka::render::chart::{self, Marker, PLOT_LEFT, PLOT_RIGHT, WIDTH};

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(css).expect("selector")).collect()
}

/// Parses the page with html5ever and checks it reads on its own: no parse errors, no script,
/// no external reference.
fn parse_self_contained(html: &str) -> Html {
    let doc = Html::parse_document(html);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    assert!(select(&doc, "script").is_empty(), "a <script> in the page");
    for el in select(&doc, "[src], [href], link, img, iframe, object") {
        for attr in ["src", "href"] {
            if let Some(v) = el.value().attr(attr) {
                assert!(
                    !v.contains("://") && !v.starts_with("//"),
                    "external reference {attr}={v}"
                );
            }
        }
    }
    assert!(
        !html.contains("@import") && !html.contains("url(http"),
        "external CSS"
    );
    doc
}

/// The chart whose `<title>` starts with `prefix`.
fn chart<'a>(doc: &'a Html, prefix: &str) -> Vec<ElementRef<'a>> {
    select(doc, "svg")
        .into_iter()
        .filter(|svg| {
            svg.children()
                .filter_map(ElementRef::wrap)
                .find(|c| c.value().name() == "title")
                .is_some_and(|t| t.text().collect::<String>().starts_with(prefix))
        })
        .collect()
}

fn count(el: &ElementRef, css: &str) -> usize {
    el.select(&Selector::parse(css).expect("selector")).count()
}

const AGENCY: &str = "examples/agency.sales";

#[test]
fn the_report_is_self_contained_html_with_every_chart() {
    let html = stdout(&voronka(&[
        "simulate", AGENCY, "--runs", "40", "--seed", "5", "--format", "html", "-q",
    ]));
    let doc = parse_self_contained(&html);
    let model = voronka::compile(Path::new(AGENCY)).model.expect("model");

    // One funnel per pipeline, one bar per stage.
    for p in &model.pipelines {
        let title = format!("Воронка «{}»", p.title.as_deref().unwrap_or(&p.name));
        let funnels = chart(&doc, &title);
        assert_eq!(funnels.len(), 1, "{title}");
        assert_eq!(count(&funnels[0], "rect.bar"), p.stages.len(), "{title}");
    }
    // The revenue histogram with the plan marked.
    let hist = chart(&doc, "Выручка за горизонт");
    assert_eq!(hist.len(), 1);
    assert!(count(&hist[0], "rect.bar") >= 3);
    assert_eq!(count(&hist[0], "line.plan"), 1);
    // Revenue by month: one point per month, a band and the plan.
    let months = chart(&doc, "Выручка по месяцам");
    assert_eq!(months.len(), 1);
    assert_eq!(count(&months[0], "circle.point"), 12);
    assert_eq!(count(&months[0], "polygon.band"), 1);
    assert_eq!(count(&months[0], "path.plan"), 1);
    // Utilisation: one bar per role that does stage work, and the 100% line.
    let roles = chart(&doc, "Загрузка ролей");
    assert_eq!(roles.len(), 1);
    let working = ["Менеджер", "Пресейл", "Маркетолог", "Бухгалтер"].len();
    assert_eq!(count(&roles[0], "rect.bar"), working);
    assert_eq!(count(&roles[0], "line.limit"), 1);
    // The agency has time to spare: no role is drawn as the constraint.
    assert_eq!(count(&roles[0], "rect.highlight"), 0);

    let text: String = doc.root_element().text().collect();
    for heading in [
        "Вероятность выполнить план",
        "Выручка по месяцам",
        "Самая загруженная роль",
        "Ценность найма",
    ] {
        assert!(text.contains(heading), "no «{heading}»");
    }
    assert!(text.contains("\u{a0}₽"), "money is formatted as 1 500 000 ₽");
}

#[test]
fn the_same_seed_gives_the_same_bytes_for_any_thread_count() {
    let run = |threads: &str| {
        stdout(&voronka(&[
            "simulate",
            AGENCY,
            "--runs",
            "30",
            "--seed",
            "11",
            "--threads",
            threads,
            "--no-hires",
            "--format",
            "html",
            "-q",
        ]))
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("1"));
}

#[test]
fn scenarios_stand_beside_the_baseline_and_english_is_available() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("отчёт.html");
    let result = voronka(&[
        "simulate",
        AGENCY,
        "--runs",
        "30",
        "--no-hires",
        "--scenario",
        "examples/scenarios/agency_hire.yaml",
        "--format",
        "html",
        "--lang",
        "en",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(stdout(&result).is_empty(), "--out writes the file, not stdout");
    let html = std::fs::read_to_string(&out).expect("report written");
    let doc = parse_self_contained(&html);
    let text: String = doc.root_element().text().collect();
    assert!(text.contains("Scenarios beside the baseline"), "{text}");
    assert!(text.contains("Найм двух менеджеров"), "the scenario's name");
    assert!(!text.contains("Value of a hire"), "--no-hires");
    assert!(!chart(&doc, "Revenue by month").is_empty());
    // The baseline and the scenario side by side against the plan.
    let compared = chart(&doc, "Revenue over the horizon: baseline and scenarios");
    assert_eq!(compared.len(), 1);
    assert_eq!(count(&compared[0], "rect.bar"), 2);
    assert_eq!(count(&compared[0], "line.plan"), 1);
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn an_unwritable_report_is_an_io_error() {
    // A plain file where the folder should be: no folder can be made there, even by root.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("файл");
    std::fs::write(&blocker, "").unwrap();
    let target = blocker.join("report.html");
    let out = voronka(&[
        "simulate",
        AGENCY,
        "--runs",
        "5",
        "--no-hires",
        "--format",
        "html",
        "-q",
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ошибка"), "{stderr}");
    assert!(stderr.contains("файл"), "{stderr}");
}

#[test]
fn the_sweep_page_draws_revenue_and_the_plan_against_the_value() {
    let html = stdout(&voronka(&[
        "sweep",
        AGENCY,
        "--set",
        "Менеджер.штат=2..5",
        "--runs",
        "20",
        "--format",
        "html",
        "-q",
    ]));
    let doc = parse_self_contained(&html);
    let revenue = chart(&doc, "Выручка за горизонт при значении");
    assert_eq!(revenue.len(), 1);
    assert_eq!(count(&revenue[0], "circle.point"), 4, "one point per value");
    assert_eq!(count(&revenue[0], "polygon.band"), 1, "the P10–P90 band");
    assert_eq!(count(&revenue[0], "path.plan"), 1, "the plan");
    let plan = chart(&doc, "Вероятность выполнить план");
    assert_eq!(plan.len(), 1);
    assert_eq!(count(&plan[0], "circle.point"), 4);
    // The table has a row per value.
    assert_eq!(select(&doc, "tbody tr").len(), 4);
    // The page names the start, as every forecast does.
    assert!(html.contains("Старт — действующий отдел"), "no start sentence");
}

#[test]
fn the_sweep_table_and_json_name_the_start() {
    let args = [
        "sweep",
        AGENCY,
        "--set",
        "Менеджер.штат=2..3",
        "--runs",
        "5",
        "-q",
    ];
    let table = stdout(&voronka(&args));
    assert!(table.contains("Старт — действующий отдел"), "{table}");
    let json = stdout(&voronka(
        &[&args[..], &["--format", "json", "--start", "новый"]].concat(),
    ));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["start"], "new", "{json}");
}

/// The x of the plan line of a histogram.
fn plan_x(svg: &str) -> f64 {
    let doc = Html::parse_fragment(svg);
    let line = select(&doc, "line.plan").into_iter().next().expect("plan line");
    line.value().attr("x1").unwrap().parse().unwrap()
}

#[test]
fn the_plan_marker_sits_at_its_value() {
    let fmt = |x: f64| format!("{x}");
    // Values 0..=100: the axis runs from 0 to 100, so 50 is the middle and 80 four fifths.
    let values: Vec<f64> = (0..=100).map(f64::from).collect();
    let plot = WIDTH - PLOT_LEFT - PLOT_RIGHT;
    for (plan, share) in [(50.0, 0.5), (80.0, 0.8), (0.0, 0.0)] {
        let marker = Marker {
            value: plan,
            label: "план".into(),
        };
        let svg = chart::histogram("t", &values, 10, Some(&marker), &fmt, &fmt);
        let x = plan_x(&svg);
        assert!(
            (x - (PLOT_LEFT + share * plot)).abs() < 0.01,
            "plan {plan}: x = {x}"
        );
        // Bars at or past the plan are the runs that meet it: dark; the others pale.
        let doc = Html::parse_fragment(&svg);
        let bars = select(&doc, "rect.bar");
        assert_eq!(bars.len(), 10);
        let dark = bars
            .iter()
            .filter(|b| b.value().attr("fill") == Some("#2f6db5"))
            .count();
        assert_eq!(dark, 10 - (plan / 10.0) as usize, "plan {plan}");
    }
    // A plan beyond every value widens the axis so the marker stays on the chart.
    let marker = Marker {
        value: 300.0,
        label: "план".into(),
    };
    let svg = chart::histogram("t", &values, 10, Some(&marker), &fmt, &fmt);
    assert!((plan_x(&svg) - (PLOT_LEFT + plot)).abs() < 0.01);
}

#[test]
fn graph_draws_the_funnel_of_expected_volumes() {
    let svg = stdout(&voronka(&[
        "graph",
        "examples/manufacturer.sales",
        "--format",
        "svg",
        "--funnel",
    ]));
    let doc = Html::parse_fragment(&svg);
    let bars = select(&doc, "rect.bar");
    let model = voronka::compile(Path::new("examples/manufacturer.sales"))
        .model
        .expect("model");
    assert_eq!(bars.len(), model.pipelines[0].stages.len());
    // Widths follow the expected entries: the first stage is the widest, and each bar's
    // width over the first's is its entries over the first's.
    let analysis = voronka::analyze::analyze(&model);
    let entries: Vec<f64> = model.pipelines[0]
        .stages
        .iter()
        .map(|s| {
            analysis
                .department
                .stage_entries
                .iter()
                .find(|e| e.pipeline == model.pipelines[0].name && e.stage == s.name)
                .map_or(0.0, |e| e.entries_per_month)
        })
        .collect();
    let widths: Vec<f64> = bars
        .iter()
        .map(|b| b.value().attr("width").unwrap().parse().unwrap())
        .collect();
    let max = entries.iter().copied().fold(0.0, f64::max);
    let widest = widths.iter().copied().fold(0.0, f64::max);
    for (w, e) in widths.iter().zip(&entries) {
        assert!((w / widest - e / max).abs() < 0.01 || *w <= 1.0, "{w} vs {e}");
    }
    // --funnel is a picture: only SVG.
    let out = voronka(&["graph", "examples/manufacturer.sales", "--funnel"]);
    assert_eq!(out.status.code(), Some(2));
}

fn regulation_md(lang: voronka::diag::Lang, forecast: Option<voronka::sim::SimResult>) -> String {
    use voronka::render::{DocKind, DocsOptions, OutFormat, documents};
    let model = voronka::compile(Path::new(AGENCY)).model.expect("model");
    let analysis = voronka::analyze::analyze(&model);
    let files = documents(
        &model,
        &analysis,
        &DocsOptions {
            formats: vec![OutFormat::Md],
            lang,
            templates: None,
            only: Some(DocKind::Regulation),
            forecast,
        },
    )
    .expect("documents");
    let file = files
        .into_iter()
        .find(|f| f.name == "regulation.md")
        .expect("regulation.md");
    String::from_utf8(file.contents).expect("UTF-8")
}

fn agency_forecast() -> voronka::sim::SimResult {
    let model = voronka::compile(Path::new(AGENCY)).model.expect("model");
    voronka::sim::simulate(
        &model,
        &voronka::sim::SimOptions {
            runs: 40,
            seed: 2026,
            ..Default::default()
        },
    )
}

/// The part of the Положение from `start` up to the acknowledgement sheet.
fn section<'a>(md: &'a str, start: &str, end: &str) -> &'a str {
    let from = md.find(start).unwrap_or_else(|| panic!("no «{start}»"));
    let to = md[from..].find(end).map_or(md.len(), |i| from + i);
    &md[from..to]
}

#[test]
fn the_regulation_carries_the_forecast_appendix_only_when_simulated() {
    let without = regulation_md(voronka::diag::Lang::Ru, None);
    assert!(!without.contains("Прогноз выполнения плана"));

    let md = regulation_md(voronka::diag::Lang::Ru, Some(agency_forecast()));
    let appendix = section(&md, "## Приложение Ж. Прогноз", "## Лист ознакомления");
    crate::assert_snapshot!("agency_forecast_appendix", appendix);

    let en = regulation_md(voronka::diag::Lang::En, Some(agency_forecast()));
    let appendix = section(&en, "## Appendix G. Forecast", "## Acknowledgement sheet");
    assert!(appendix.contains("Probability of meeting the plan"), "{appendix}");
    assert!(appendix.contains("| January 2026 |"), "{appendix}");
}

#[test]
fn docs_forecast_runs_the_simulation_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = voronka(&[
        "docs",
        AGENCY,
        "--out",
        dir.path().to_str().unwrap(),
        "--only",
        "regulation",
        "--forecast",
        "--runs",
        "20",
        "--seed",
        "4",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let md = std::fs::read_to_string(dir.path().join("regulation.md")).unwrap();
    assert!(md.contains("## Приложение Ж. Прогноз выполнения плана"));
    assert!(
        md.contains("20 прогонов, горизонт"),
        "{}",
        section(&md, "## Приложение Е", "## Лист")
    );
    let html = std::fs::read_to_string(dir.path().join("regulation.html")).unwrap();
    parse_self_contained(&html);
    // --runs without --forecast is a usage error.
    let out = voronka(&[
        "docs",
        AGENCY,
        "--out",
        dir.path().to_str().unwrap(),
        "--runs",
        "5",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_user_template_replaces_the_built_in_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("forecast.md"),
        "# Свой отчёт: {{ summary.runs }} прогонов\n",
    )
    .unwrap();
    let html = stdout(&voronka(&[
        "simulate",
        AGENCY,
        "--runs",
        "3",
        "--no-hires",
        "--format",
        "html",
        "-q",
        "--templates",
        dir.path().to_str().unwrap(),
    ]));
    let doc = parse_self_contained(&html);
    let h1: Vec<String> = select(&doc, "h1").iter().map(|h| h.text().collect()).collect();
    assert_eq!(h1, ["Свой отчёт: 3 прогонов"]);
    // The stylesheet is still the built-in one.
    assert!(html.contains(".chart svg"));
    let out = voronka(&[
        "simulate",
        AGENCY,
        "--runs",
        "3",
        "--format",
        "html",
        "--templates",
        "/no/such/folder",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_role_short_of_time_is_named_the_constraint_and_drawn_red() {
    let html = stdout(&voronka(&[
        "simulate",
        "examples/inbound_outbound.sales",
        "--runs",
        "20",
        "--no-hires",
        "--format",
        "html",
        "-q",
    ]));
    let doc = parse_self_contained(&html);
    let roles = chart(&doc, "Загрузка ролей");
    let red: Vec<String> = roles[0]
        .select(&Selector::parse("rect.highlight title").unwrap())
        .map(|t| t.text().collect())
        .collect();
    // Every role at the bottleneck rule's 85 % is red; the sales managers are among them.
    assert!(
        red.iter().any(|r| r.starts_with("Менеджер по продажам")),
        "{red:?}"
    );
    for r in &red {
        let load: f64 = r
            .rsplit(": ")
            .next()
            .and_then(|p| p.trim_end_matches("\u{a0}%").replace(',', ".").parse().ok())
            .unwrap_or_else(|| panic!("a load in {r}"));
        assert!(load >= 85.0, "{r} is red below the rule");
    }
    let text: String = doc.root_element().text().collect();
    assert!(text.contains("Узкое место — Менеджер по продажам"), "{text}");
}

/// The role an output names as the bottleneck: the name (or title, mapped to the name) after
/// `marker`, up to the colon; `None` when the output says there is none (`none` found).
fn named_after(
    text: &str,
    marker: &str,
    none: &str,
    titles: &[(String, String)],
    what: &str,
) -> Option<String> {
    if let Some(i) = text.find(marker) {
        let rest = &text[i + marker.len()..];
        let named = rest[..rest.find(':').expect("a colon after the role")].trim();
        let named = named.trim_matches('*');
        let role = titles
            .iter()
            .find(|(name, title)| named == name || named == title)
            .unwrap_or_else(|| panic!("{what}: «{named}» is no role"));
        return Some(role.0.clone());
    }
    assert!(
        text.contains(none),
        "{what}: neither «{marker}» nor «{none}»:\n{text}"
    );
    None
}

/// One bottleneck rule (`analyze::BOTTLENECK_LOAD`) in every output of `voronka build`: the
/// analysis (`analysis.txt`), the forecast table (`forecast.txt`, as `simulate` prints it), the
/// HTML report (`forecast.html`) and the forecast appendix of the Положение (`regulation.md`)
/// name the same role, or all say there is none. The analysis is the steady state without
/// capacity limits and the forecast a capacity-limited horizon, so the analysis is held to the
/// forecast's verdict where the two are comparable: its busiest load clear of the threshold by
/// ten points, and at most one role over 100% (with several, the earlier one cuts the flow to
/// the others in the forecast, as `analyze` then says).
#[test]
fn every_output_names_the_same_bottleneck() {
    let mut bound = 0;
    for file in [
        "examples/agency.sales",
        "examples/benchmark.sales",
        "examples/inbound_outbound.sales",
        "examples/manufacturer.sales",
    ] {
        let model = voronka::compile(Path::new(file)).model.expect("model");
        let titles: Vec<(String, String)> = model
            .roles
            .iter()
            .map(|r| (r.name.clone(), r.title.clone().unwrap_or_else(|| r.name.clone())))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let out = voronka(&[
            "build",
            file,
            "--out",
            dir.path().to_str().unwrap(),
            "--runs",
            "30",
            "--seed",
            "5",
            "-q",
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let read = |name: &str| {
            let path = walk(dir.path()).into_iter().find(|p| p.ends_with(name));
            std::fs::read_to_string(path.unwrap_or_else(|| panic!("{file}: no {name}"))).unwrap()
        };
        let table = named_after(
            &read("forecast.txt"),
            "Узкое место за горизонт — ",
            "Узкого места нет",
            &titles,
            "forecast.txt",
        );
        let html = Html::parse_document(&read("forecast.html"));
        let html_text: String = html.root_element().text().collect();
        let report = named_after(
            &html_text,
            "Узкое место — ",
            "Самая загруженная роль — ",
            &titles,
            "forecast.html",
        );
        let regulation = read("regulation.md");
        let appendix = section(&regulation, "Прогноз выполнения плана", "## Лист ознакомления");
        let docs = named_after(
            appendix,
            "Узкое место — ",
            "Самая загруженная роль — ",
            &titles,
            "regulation.md",
        );
        assert_eq!(table, report, "{file}: forecast table against the HTML report");
        assert_eq!(table, docs, "{file}: forecast table against the documents");

        let analysis = named_after(
            &read("analysis.txt"),
            "Узкое место — ",
            "Узкого места нет",
            &titles,
            "analysis.txt",
        );
        let a = voronka::analyze::analyze(&model);
        let busiest =
            voronka::analyze::busiest(a.roles.iter().filter_map(|r| Some((r.role.clone(), r.load?))));
        let rule =
            voronka::analyze::bottleneck(a.roles.iter().filter_map(|r| Some((r.role.clone(), r.load?))));
        assert_eq!(
            analysis,
            rule.map(|(r, _)| r),
            "{file}: analysis.txt against the rule"
        );
        let overloaded = a.roles.iter().filter(|r| r.overloaded).count();
        if overloaded <= 1
            && busiest.is_some_and(|(_, l)| (l - voronka::analyze::BOTTLENECK_LOAD).abs() > 0.10)
        {
            assert_eq!(analysis, table, "{file}: the analysis against the forecast");
        }
        bound += usize::from(table.is_some());
    }
    assert!(
        bound > 0,
        "some example has a bottleneck, so the rule is exercised both ways"
    );
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
