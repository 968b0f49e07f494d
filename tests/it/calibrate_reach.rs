//! Reach (`дозвон`) measured by `voronka calibrate` from call events: every example traced
//! (`simulate --trace`) and given calls drawn here attempt by attempt from the regulation's own
//! `попыток`/`дозвон` (the engine moves counts of leads and draws no single attempt) recovers
//! each stage's reach within its 95 % interval about 95 % of the time; amoCRM's call notes made
//! from the same calls give the same figures; hostile call tables are located messages.

use crate::common::voronka;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use voronka::calibrate::{Calibration, Window, calibrate, match_stage};
use voronka::history::dates::show_day;
use voronka::history::{History, Status};
use voronka::model::{ContactKind, Model};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn model(file: &Path) -> Model {
    let text = std::fs::read_to_string(file).unwrap();
    voronka::compile_str(file, &text).model.unwrap()
}

/// One call drawn: the deal's key, the day, reached, outgoing.
type Drawn = (String, i32, bool, bool);

/// Calls for every stay of every deal in a stage whose chain calls with `дозвон`: each such
/// call of the chain in turn, attempts until the client answers or `попыток` run out (a client
/// never reached is not called by the later calls), on the days after the entry (a first stay:
/// from the entry day), never past the day the deal left. A stay left the day it was entered
/// (not the deal's first) gets no call: such a call would be the stage left's. Every fifth
/// stay also gets an incoming call that reached the client (reach counts outgoing calls only).
fn draw_calls(model: &Model, h: &History, until: i32, rng: &mut ChaCha8Rng) -> Vec<Drawn> {
    let mut order: Vec<usize> = (0..h.entries.len()).collect();
    order.sort_by_key(|&i| (h.entries[i].deal, h.entries[i].day, i));
    let mut out = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let deal = h.entries[order[i]].deal;
        let mut j = i;
        while j < order.len() && h.entries[order[j]].deal == deal {
            j += 1;
        }
        let d = &h.deals[deal as usize];
        let mut path: Vec<(i32, u32)> = Vec::new();
        for &k in &order[i..j] {
            let e = h.entries[k];
            if path.last().is_none_or(|&(_, s)| s != e.stage) {
                path.push((e.day, e.stage));
            }
        }
        let closed = match d.status {
            Some(Status::Won | Status::Lost) => d.closed.unwrap_or(until),
            _ => until,
        };
        for (n, &(start, stage)) in path.iter().enumerate() {
            let end = path.get(n + 1).map_or(closed, |&(day, _)| day).min(until);
            if start > until || (n > 0 && end <= start) {
                continue;
            }
            let (p, s) = &h.stages[stage as usize];
            let Some((pi, si)) = match_stage(model, p, s) else {
                continue;
            };
            let chain = &model.pipelines[pi].stages[si].chain;
            let first = if n == 0 { start } else { start + 1 };
            let mut k = 0;
            for c in chain.iter().filter(|c| c.kind == ContactKind::Call) {
                let Some(r) = c.reach else { continue };
                let mut reached = false;
                for _ in 0..c.max_attempts() {
                    reached = rng.random_bool(r);
                    out.push((d.key.clone(), (first + k).min(end), reached, true));
                    k += 1;
                    if reached {
                        break;
                    }
                }
                if !reached {
                    break;
                }
            }
            if k > 0 && rng.random_range(0..5) == 0 {
                out.push((d.key.clone(), first.min(end), true, false));
            }
        }
        i = j;
    }
    out
}

/// The calls as the generic calls table, with every spelling of a result.
fn calls_csv(calls: &[Drawn]) -> String {
    let mut s = String::from("Сделка;Дата;Тип;Результат;Длительность\n");
    for (n, (key, day, reached, outgoing)) in calls.iter().enumerate() {
        let kind = if *outgoing {
            "Исходящий звонок"
        } else {
            "входящий"
        };
        let result = match (reached, n % 3) {
            (true, 0) => "дозвонились",
            (true, 1) => "разговор",
            (true, _) => "answered",
            (false, 0) => "нет ответа",
            (false, 1) => "занято",
            (false, _) => "не дозвонился",
        };
        let seconds = if *reached { 60 + n % 300 } else { 0 };
        let _ = writeln!(
            s,
            "{key};{} 11:{:02};{kind};{result};{seconds}",
            show_day(*day),
            n % 60
        );
    }
    s
}

/// A traced example as entries, deals and its history read back.
fn traced(file: &Path, params: &voronka::sim::Params, seed: u64, dir: &Path) -> (Vec<PathBuf>, History) {
    use voronka::model::StartKind;
    use voronka::render::report::trace;
    use voronka::sim::SimOptions;
    let m = model(file);
    let week = voronka::history::dates::week_days(m.header.work_week_days);
    let options = SimOptions {
        seed,
        start: Some(StartKind::New),
        ..SimOptions::default()
    };
    let events = voronka::sim::trace(params, &options);
    let (entries, deals) = trace::csv(params, &events, trace::start_day(Some("2026-01-01")), week);
    let paths = vec![
        write(dir, "t.csv", entries.as_bytes()),
        write(dir, "t.deals.csv", deals.as_bytes()),
    ];
    let h =
        voronka::history::read(&paths).unwrap_or_else(|_| panic!("{}: the trace reads back", file.display()));
    (paths, h)
}

fn last_day(h: &History) -> i32 {
    h.entries
        .iter()
        .map(|e| e.day)
        .chain(h.deals.iter().filter_map(|d| d.closed.max(d.created)))
        .max()
        .unwrap()
}

/// The truth test of reach: every example traced over several seeds, its calls drawn from the
/// regulation's `попыток`/`дозвон`, calibrated: each stage's 95 % interval holds the written
/// reach (the attempt-weighted mean where several chain calls write it) about 95 % of the
/// time; the incoming calls do not count; a deal never reached was called `попыток` times.
#[test]
fn reach_is_recovered_from_the_calls_of_every_example_trace() {
    let dir = tempfile::tempdir().unwrap();
    let (mut inside, mut total) = (0usize, 0usize);
    let mut missed = Vec::new();
    let mut weighted = 0usize;
    for file in crate::common::examples() {
        let m = model(&file);
        let params = voronka::sim::Params::from_model(&m, None);
        let seeds: u64 = if params.channels.iter().map(|c| c.leads_per_month).sum::<f64>() > 1000.0 {
            1
        } else {
            4
        };
        for seed in 1..=seeds {
            let (mut paths, h) = traced(&file, &params, seed, dir.path());
            let mut rng = ChaCha8Rng::seed_from_u64(seed * 7919);
            let calls = draw_calls(&m, &h, last_day(&h), &mut rng);
            paths.push(write(dir.path(), "t.calls.csv", calls_csv(&calls).as_bytes()));
            let h =
                voronka::history::read(&paths).unwrap_or_else(|_| panic!("{}: calls read", file.display()));
            assert_eq!(h.calls.len(), calls.len(), "{}", file.display());
            let c = calibrate(&m, &h, Window::default());
            assert_eq!(c.calls, calls.iter().filter(|x| x.3).count());
            for s in &c.stages {
                let Some(r) = &s.reach else { continue };
                let Some(e) = r.reach.filter(|_| r.calls >= 30) else {
                    continue;
                };
                total += 1;
                weighted += usize::from(r.chain_calls > 1);
                if e.excludes(r.file_reach) {
                    missed.push(format!(
                        "{} {}.{} seed {seed}: {} outside {:?} ({} calls)",
                        file.display(),
                        s.pipeline,
                        s.stage,
                        r.file_reach,
                        e.ci95,
                        r.calls
                    ));
                } else {
                    inside += 1;
                }
                // A stay never reached had all of the first call's attempts (the generator
                // stops the chain there).
                if let Some(a) = r.attempts_unreached {
                    assert!(
                        (a - f64::from(r.file_attempts)).abs() < 1e-9,
                        "{} {}.{}: {a} attempts of the unreached, the regulation {}",
                        file.display(),
                        s.pipeline,
                        s.stage,
                        r.file_attempts
                    );
                }
                let to_reach = r.attempts_to_reach.unwrap();
                assert!(
                    to_reach >= 1.0 && to_reach <= f64::from(r.file_attempts),
                    "{to_reach}"
                );
            }
        }
    }
    let coverage = inside as f64 / total as f64;
    eprintln!(
        "reach {inside} of {total} inside ({coverage:.3}), {weighted} with several chain calls; missed: {missed:#?}"
    );
    assert!(total >= 30, "{total} stages checked");
    assert!(
        coverage >= 0.88,
        "reach coverage {coverage} ({inside} of {total}): {missed:#?}"
    );
}

/// The figures of one calibration's reach, to compare.
fn reach_figures(c: &Calibration) -> Vec<Value> {
    c.stages
        .iter()
        .map(|s| serde_json::to_value(&s.reach).unwrap())
        .collect()
}

/// Seconds of a day at 11:00 plus `k` seconds.
fn secs(day: i32, k: usize) -> i64 {
    i64::from(day) * 86_400 + 11 * 3600 + k as i64
}

/// The same calls as amoCRM's `/api/v4/leads/notes` pages give them (call statuses of every
/// kind; an incoming call; other notes; a page read twice) measure the same reach as the calls
/// table; a note of an unknown call status is a located error; the table without calls says in
/// one line that reach is not measured.
#[test]
fn amo_call_notes_give_the_figures_of_the_calls_table() {
    let dir = tempfile::tempdir().unwrap();
    let file = PathBuf::from("examples/agency.sales");
    let m = model(&file);
    let params = voronka::sim::Params::from_model(&m, None);
    let (paths, h) = traced(&file, &params, 2, dir.path());
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let calls = draw_calls(&m, &h, last_day(&h), &mut rng);
    let mut csv_paths = paths.clone();
    csv_paths.push(write(dir.path(), "t.calls.csv", calls_csv(&calls).as_bytes()));
    let from_csv = calibrate(
        &m,
        &voronka::history::read(&csv_paths).ok().unwrap(),
        Window::default(),
    );

    let mut notes: Vec<Value> = Vec::new();
    for (n, (key, day, reached, outgoing)) in calls.iter().enumerate() {
        let status = if *reached { 4 } else { [6, 7, 3, 1, 2, 5][n % 6] };
        let mut params = json!({"uniq": format!("u{n}"), "duration": if *reached { 95 } else { 0 }, "phone": "+79990000000", "source": "test"});
        // Some notes carry only the talk time.
        if n % 7 == 0 {
            params.as_object_mut().unwrap().remove("call_status");
        } else {
            params["call_status"] = json!(if n % 2 == 0 {
                json!(status)
            } else {
                json!(status.to_string())
            });
        }
        notes.push(json!({
            "id": 1_000_000 + n,
            "entity_id": key.parse::<u64>().map_or(json!(key), |k| json!(k)),
            "created_by": 1,
            "note_type": if *outgoing { "call_out" } else { "call_in" },
            "params": params,
            // Seconds after 11:00 that grow with `n`, so the calls of a day keep their order (a
            // wrap within a day would reorder two calls of one deal).
            "created_at": secs(*day, n % 36_000),
        }));
        if n % 50 == 0 {
            notes.push(json!({"id": 5_000_000 + n, "entity_id": 1, "note_type": "common", "params": {"text": "заметка"}, "created_at": secs(*day, 0)}));
        }
    }
    let pages: Vec<Value> = notes
        .chunks(250)
        .map(|c| json!({"_page": 1, "_links": {}, "_embedded": {"notes": c}}))
        .collect();
    let notes_dir = dir.path().join("notes");
    std::fs::create_dir_all(&notes_dir).unwrap();
    for (i, p) in pages.iter().enumerate() {
        write(&notes_dir, &format!("p{i:03}.json"), p.to_string().as_bytes());
    }
    // A page saved twice (overlapping paging).
    write(&notes_dir, "p999.json", pages[0].to_string().as_bytes());
    let mut amo_paths = paths.clone();
    amo_paths.push(notes_dir.clone());
    let h = voronka::history::read(&amo_paths).ok().unwrap();
    assert_eq!(h.calls.len(), calls.len());
    let from_amo = calibrate(&m, &h, Window::default());
    assert_eq!(reach_figures(&from_amo), reach_figures(&from_csv));
    assert!(
        from_amo
            .stages
            .iter()
            .any(|s| s.reach.as_ref().is_some_and(|r| r.calls > 100))
    );

    // The binary: the reach table, and JSON with the fields.
    let args = |format: &str| -> Vec<String> {
        let mut a = vec![
            "calibrate".to_owned(),
            file.display().to_string(),
            "--history".to_owned(),
        ];
        a.extend(amo_paths.iter().map(|p| p.display().to_string()));
        a.extend([
            "--format".to_owned(),
            format.to_owned(),
            "--lang".to_owned(),
            "en".to_owned(),
        ]);
        a
    };
    let run = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        voronka(&refs)
    };
    let out = run(args("table"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Reach: outgoing calls in the stage"), "{stdout}");
    assert!(stdout.contains("notes that are not calls skipped"), "{stdout}");
    assert!(stdout.contains("repeated events"), "{stdout}");
    let out = run(args("json"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let brief = v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "Бриф")
        .unwrap();
    assert_eq!(brief["reach"]["file_reach"], json!(0.6));
    assert!(brief["reach"]["reach"]["ci95"].is_array(), "{brief}");

    // Without calls: one line, not per stage.
    let mut a = vec![
        "calibrate".to_owned(),
        file.display().to_string(),
        "--history".to_owned(),
    ];
    a.extend(paths.iter().map(|p| p.display().to_string()));
    let out = run(a);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout
            .matches("Дозвон (`дозвон` цепочки) не измерен: в истории нет исходящих звонков")
            .count(),
        1,
        "{stdout}"
    );

    // An unknown call status: located at the value.
    let bad = json!({"_embedded": {"notes": [
        {"id": 1, "entity_id": 1, "note_type": "call_out", "created_at": 1_767_261_600, "params": {"call_status": 9, "duration": 5}},
        {"id": 2, "note_type": "call_out", "created_at": 1_767_261_600, "params": {"call_status": 4}}
    ]}});
    let bad_path = write(
        dir.path(),
        "bad_notes.json",
        serde_json::to_string_pretty(&bad).unwrap().as_bytes(),
    );
    let out = voronka(&[
        "calibrate",
        "examples/agency.sales",
        "--history",
        &paths[0].display().to_string(),
        &bad_path.display().to_string(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("bad_notes.json:"), "{stderr}");
    assert!(stderr.contains("неизвестный `call_status` звонка: 9"), "{stderr}");
    assert!(stderr.contains("нет `entity_id`"), "{stderr}");
}

/// Hostile calls tables: an unknown result word, an unknown call type, a date that is not one,
/// a row with neither result nor duration — each an error at its line and column; a header
/// with neither result nor duration is an error at the header; a call of a deal no table names
/// is left out with a note naming its line; rows of letters are skipped with a note.
#[test]
fn hostile_call_tables_are_located_messages() {
    let dir = tempfile::tempdir().unwrap();
    let entries = write(
        dir.path(),
        "entries.csv",
        "сделка;дата;воронка;этап\n1;2026-03-02;Продажа;BRIEF\n2;2026-03-02;Продажа;BRIEF\n".as_bytes(),
    );
    let run = |name: &str, text: &str| {
        let calls = write(dir.path(), name, text.as_bytes());
        let out = voronka(&[
            "calibrate",
            "examples/agency.sales",
            "--history",
            &entries.display().to_string(),
            &calls.display().to_string(),
        ]);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, stderr) = run(
        "calls.csv",
        "сделка;дата;тип;результат;длительность\n\
         1;2026-03-02;исходящий;может быть;0\n\
         1;2026-03-02;факс;дозвон;10\n\
         1;вчера;исходящий;дозвон;10\n\
         2;2026-03-03;исходящий;;\n\
         2;2026-03-03;исходящий;нет ответа;полчаса\n",
    );
    assert_eq!(code, Some(1), "{stderr}");
    for expected in [
        "calls.csv:2:24",
        "неизвестный результат звонка «может быть»",
        "calls.csv:3:14",
        "неизвестный тип звонка «факс»",
        "calls.csv:4:3",
        "дата звонка: не дата: «вчера»",
        "calls.csv:5:1",
        "нет результата звонка",
        "calls.csv:6:35",
        "длительность звонка: ожидалось число секунд, получено «полчаса»",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    let (code, _, stderr) = run("header.csv", "deal,date,type\n1,2026-03-02,call\n");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("header.csv:1:1"), "{stderr}");
    assert!(stderr.contains("ни столбца «результат»"), "{stderr}");
    // An English `result` column is the call's result; a deal no table names is left out.
    let (code, stdout, stderr) = run(
        "calls_en.csv",
        "deal,date,result\n1,2026-03-02,no answer\n77,2026-03-02,answered\n1,2026-03-03,busy\n1,2026-03-04,answered\n",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("calls_en.csv:3: «77»"), "{stdout}");
    assert!(stdout.contains("Продажа.Бриф"), "{stdout}");
    // Talk time alone tells reach; letters are skipped.
    let (code, stdout, stderr) = run(
        "talk.csv",
        "Сделка;Дата;Тип активности;Длительность\n1;2026-03-02;Исходящий звонок;0:00\n1;2026-03-02;Письмо;\n1;2026-03-03;Исходящий звонок;1:35\n",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("строк не о звонках (письма, встречи, задачи): 1"),
        "{stdout}"
    );
    // A deals table with a date and a type column stays a deals table.
    let deals = write(
        dir.path(),
        "deals.csv",
        "Сделка;Дата;Тип;Статус;Сумма\n1;2026-03-02;Новая;выиграна;100\n".as_bytes(),
    );
    let h = voronka::history::read(&[entries.clone(), deals]).ok().unwrap();
    assert!(h.calls.is_empty());
    assert_eq!(h.deals[0].status, Some(Status::Won));
    // Numbers are written with no-break spaces.
    let plain = stdout.replace(['\u{a0}', '\u{202f}'], " ");
    assert!(
        plain
            .lines()
            .any(|l| l.contains("Продажа.Бриф") && l.contains("50,0 %") && l.contains("60,0 %")),
        "{stdout}"
    );
}
