//! `voronka calibrate` on what the CRMs give: each example traced (`simulate --trace`, a new
//! department), the trace converted here into each CRM's API responses (amoCRM events, leads
//! and pipelines; Bitrix24 stage history, deal list, statuses and directions; HubSpot deals with
//! their `dealstage` history and the pipelines; Pipedrive flow, deals, stages and pipelines) and
//! into an XLSX deals list, then calibrated: the figures must be those of the generic CSV log.
//! Then hostile files through the real binary, and the stage mapping file.

use crate::common::voronka;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use voronka::calibrate::{Calibration, Window, calibrate};
use voronka::history::dates::{parse_day, show_day};

const AGENCY: &str = "examples/agency.sales";

struct Row {
    day: i32,
    pipeline: String,
    stage: String,
}

struct DealRow {
    id: u64,
    created: i32,
    channel: String,
    amount: Option<f64>,
    status: &'static str,
    closed: Option<i32>,
    reason: String,
}

struct Trace {
    model: voronka::model::Model,
    entries_csv: String,
    deals_csv: String,
    deals: Vec<DealRow>,
    /// Each deal's entries in order.
    paths: BTreeMap<u64, Vec<Row>>,
}

fn trace(file: &Path, seed: u64) -> Trace {
    use voronka::model::StartKind;
    use voronka::render::report::trace;
    use voronka::sim::{Params, SimOptions};
    let text = std::fs::read_to_string(file).unwrap();
    let model = voronka::compile_str(file, &text).model.unwrap();
    let params = Params::from_model(&model, None);
    let week = voronka::history::dates::week_days(model.header.work_week_days);
    let options = SimOptions {
        seed,
        start: Some(StartKind::New),
        ..SimOptions::default()
    };
    let events = voronka::sim::trace(&params, &options);
    let (entries_csv, deals_csv) = trace::csv(&params, &events, trace::start_day(Some("2026-01-01")), week);
    let mut paths: BTreeMap<u64, Vec<Row>> = BTreeMap::new();
    for line in entries_csv.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        let deal: u64 = f[0].parse().unwrap();
        paths.entry(deal).or_default().push(Row {
            day: parse_day(f[1]).unwrap(),
            pipeline: f[2].to_owned(),
            stage: f[3].to_owned(),
        });
    }
    // Repeat purchases are deals without stage entries (the trace names their pipeline); a
    // CRM's stage history has none such, so they are left out of both sides.
    let deals_csv: String = deals_csv
        .lines()
        .enumerate()
        .filter(|(i, line)| {
            *i == 0
                || line
                    .split(';')
                    .next()
                    .and_then(|d| d.parse().ok())
                    .is_some_and(|d: u64| paths.contains_key(&d))
        })
        .map(|(_, line)| format!("{line}\n"))
        .collect();
    let deals = deals_csv
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(';').collect();
            DealRow {
                id: f[0].parse().unwrap(),
                created: parse_day(f[1]).unwrap(),
                channel: f[2].to_owned(),
                amount: f[3].parse().ok(),
                status: match f[4] {
                    "выиграна" => "won",
                    "проиграна" => "lost",
                    _ => "open",
                },
                closed: parse_day(f[5]),
                reason: f.get(6).copied().unwrap_or("").to_owned(),
            }
        })
        .collect();
    Trace {
        model,
        entries_csv,
        deals_csv,
        deals,
        paths,
    }
}

/// Indices and the names voronka gives a stage in a CRM (title, else name) and its code.
struct Label {
    pi: usize,
    si: usize,
    pipeline: String,
    stage: String,
    code: String,
}

fn labels(model: &voronka::model::Model) -> HashMap<(String, String), Label> {
    let mut out = HashMap::new();
    for (pi, p) in model.pipelines.iter().enumerate() {
        for (si, s) in p.stages.iter().enumerate() {
            out.insert(
                (p.name.clone(), s.name.clone()),
                Label {
                    pi,
                    si,
                    pipeline: p.title.clone().unwrap_or_else(|| p.name.clone()),
                    stage: s.title.clone().unwrap_or_else(|| s.name.clone()),
                    code: s.crm_code.clone().unwrap_or_else(|| format!("STAGE{}", si + 1)),
                },
            );
        }
    }
    out
}

fn pipeline_label(model: &voronka::model::Model, pi: usize) -> String {
    let p = &model.pipelines[pi];
    p.title.clone().unwrap_or_else(|| p.name.clone())
}

/// Seconds of a day at 10:00 plus `k` seconds (entries of one day keep their order).
fn secs(day: i32, k: usize) -> i64 {
    i64::from(day) * 86_400 + 36_000 + k as i64
}

fn iso(s: i64, zone: &str) -> String {
    let t = chrono::DateTime::from_timestamp(s, 0).unwrap().naive_utc();
    format!("{}{zone}", t.format("%Y-%m-%dT%H:%M:%S"))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

fn write_json(dir: &Path, name: &str, v: &Value) -> PathBuf {
    write(dir, name, serde_json::to_string_pretty(v).unwrap().as_bytes())
}

fn read(paths: &[PathBuf]) -> voronka::history::History {
    match voronka::history::read(paths) {
        Ok(h) => h,
        Err(voronka::history::ReadFailure::Errors(_, errors)) => panic!("{errors:#?}"),
        Err(voronka::history::ReadFailure::Io(p, _)) => panic!("{}", p.display()),
    }
}

/// The measured figures to compare.
fn figures(c: &Calibration, keep_reasons: bool) -> Value {
    let v = serde_json::to_value(c).unwrap();
    let mut out = json!({
        "since": v["since"], "until": v["until"], "deals": v["deals"], "entries": v["entries"],
        "stages": v["stages"], "channels": v["channels"], "pipelines": v["pipelines"],
        "unmatched_stages": v["unmatched_stages"], "unmatched_channels": v["unmatched_channels"],
    });
    if !keep_reasons {
        for s in out["stages"].as_array_mut().unwrap() {
            s["loss_reasons"] = Value::Null;
        }
    }
    out
}

fn generic(t: &Trace, dir: &Path) -> Calibration {
    let h = read(&[
        write(dir, "t.csv", t.entries_csv.as_bytes()),
        write(dir, "t.deals.csv", t.deals_csv.as_bytes()),
    ]);
    calibrate(&t.model, &h, Window::default())
}

fn chunks(items: Vec<Value>, n: usize) -> Vec<Vec<Value>> {
    items.chunks(n).map(<[Value]>::to_vec).collect()
}

fn amo(t: &Trace, dir: &Path) -> Vec<PathBuf> {
    let l = labels(&t.model);
    let status = |r: &Row| {
        let x = &l[&(r.pipeline.clone(), r.stage.clone())];
        json!({"lead_status": {"id": 10_000 + 100 * x.pi + x.si, "pipeline_id": 1000 + x.pi}})
    };
    let pipelines: Vec<Value> = t
        .model
        .pipelines
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let mut statuses: Vec<Value> = p
                .stages
                .iter()
                .enumerate()
                .map(|(si, s)| {
                    let x = &l[&(p.name.clone(), s.name.clone())];
                    json!({"id": 10_000 + 100 * pi + si, "name": x.stage, "sort": 10 * si, "pipeline_id": 1000 + pi, "type": 0})
                })
                .collect();
            statuses.push(json!({"id": 142, "name": "Успешно реализовано", "pipeline_id": 1000 + pi, "type": 0}));
            statuses.push(json!({"id": 143, "name": "Закрыто и не реализовано", "pipeline_id": 1000 + pi, "type": 0}));
            json!({"id": 1000 + pi, "name": pipeline_label(&t.model, pi), "sort": pi, "is_main": pi == 0, "_embedded": {"statuses": statuses}})
        })
        .collect();
    let mut events = Vec::new();
    let mut leads = Vec::new();
    for d in &t.deals {
        let path = &t.paths[&d.id];
        for k in 1..path.len() {
            events.push(json!({
                "id": format!("01ev{}x{k}", d.id), "type": "lead_status_changed", "entity_id": d.id,
                "entity_type": "lead", "created_by": 0, "created_at": secs(path[k].day, k),
                "value_before": [status(&path[k - 1])], "value_after": [status(&path[k])], "account_id": 1
            }));
        }
        let last = path.last().unwrap();
        let pipeline = status(last)["lead_status"]["pipeline_id"].clone();
        let closing = match d.status {
            "won" => Some(142),
            "lost" => Some(143),
            _ => None,
        };
        if let (Some(id), Some(c)) = (closing, d.closed) {
            events.push(json!({
                "id": format!("01ev{}close", d.id), "type": "lead_status_changed", "entity_id": d.id,
                "created_at": secs(c, 900), "value_before": [status(last)],
                "value_after": [{"lead_status": {"id": id, "pipeline_id": pipeline}}]
            }));
        }
        let mut embedded = json!({"source": {"id": 5, "name": d.channel}});
        if d.status == "lost" && !d.reason.is_empty() {
            embedded["loss_reason"] = json!([{"id": 3, "name": d.reason}]);
        }
        leads.push(json!({
            "id": d.id, "name": format!("Сделка {}", d.id), "price": d.amount.unwrap_or(0.0),
            "responsible_user_id": 77, "status_id": closing.map_or_else(|| status(last)["lead_status"]["id"].clone(), |c| json!(c)),
            "pipeline_id": pipeline, "created_at": secs(d.created, 0),
            "closed_at": d.closed.filter(|_| closing.is_some()).map(|c| secs(c, 900)),
            "_embedded": embedded
        }));
    }
    // The events newest first, as the API sorts them, a page a file; the leads as an array of pages.
    events.reverse();
    let mut files = vec![write_json(
        dir,
        "amo/pipelines.json",
        &json!({"_embedded": {"pipelines": pipelines}}),
    )];
    for (i, page) in chunks(events, 100).into_iter().enumerate() {
        write_json(
            dir,
            &format!("amo/events/page{i:04}.json"),
            &json!({"_page": i + 1, "_links": {"self": {"href": "…"}}, "_embedded": {"events": page}}),
        );
    }
    files.push(dir.join("amo/events"));
    let pages: Vec<Value> = chunks(leads, 250)
        .into_iter()
        .map(|p| json!({"_embedded": {"leads": p}}))
        .collect();
    files.push(write_json(dir, "amo/leads.json", &Value::Array(pages)));
    files
}

fn bitrix(t: &Trace, dir: &Path) -> Vec<PathBuf> {
    let l = labels(&t.model);
    let prefix = |pi: usize| if pi == 0 { String::new() } else { format!("C{pi}:") };
    let stage_id = |r: &Row| {
        let x = &l[&(r.pipeline.clone(), r.stage.clone())];
        (x.pi, format!("{}{}", prefix(x.pi), x.code))
    };
    let mut statuses = Vec::new();
    let mut categories = Vec::new();
    for (pi, p) in t.model.pipelines.iter().enumerate() {
        let entity = if pi == 0 {
            "DEAL_STAGE".to_owned()
        } else {
            format!("DEAL_STAGE_{pi}")
        };
        categories.push(
            json!({"id": pi, "name": pipeline_label(&t.model, pi), "sort": pi * 100, "entityTypeId": 2}),
        );
        for s in &p.stages {
            let x = &l[&(p.name.clone(), s.name.clone())];
            statuses.push(json!({"ID": statuses.len() + 1, "ENTITY_ID": entity, "STATUS_ID": format!("{}{}", prefix(pi), x.code), "NAME": x.stage, "SEMANTICS": null, "CATEGORY_ID": pi}));
        }
        statuses.push(json!({"ID": statuses.len() + 1, "ENTITY_ID": entity, "STATUS_ID": format!("{}WON", prefix(pi)), "NAME": "Сделка успешна", "SEMANTICS": "S"}));
        statuses.push(json!({"ID": statuses.len() + 1, "ENTITY_ID": entity, "STATUS_ID": format!("{}LOSE", prefix(pi)), "NAME": "Сделка провалена", "SEMANTICS": "F"}));
    }
    let mut sources: Vec<String> = t
        .deals
        .iter()
        .map(|d| d.channel.clone())
        .filter(|c| !c.is_empty())
        .collect();
    sources.sort();
    sources.dedup();
    for (k, s) in sources.iter().enumerate() {
        statuses
            .push(json!({"ID": 900 + k, "ENTITY_ID": "SOURCE", "STATUS_ID": format!("SRC{k}"), "NAME": s}));
    }
    let source_id = |c: &str| sources.iter().position(|s| s == c).map(|k| format!("SRC{k}"));
    let mut items = Vec::new();
    let mut deals = Vec::new();
    for d in &t.deals {
        let path = &t.paths[&d.id];
        for (k, r) in path.iter().enumerate() {
            let (cat, id) = stage_id(r);
            let moved_pipeline = k > 0 && stage_id(&path[k - 1]).0 != cat;
            items.push(json!({
                "ID": items.len() + 1, "TYPE_ID": if k == 0 { 1 } else if moved_pipeline { 5 } else { 2 },
                "OWNER_ID": d.id, "CREATED_TIME": iso(secs(r.day, k), "+03:00"), "CATEGORY_ID": cat,
                "STAGE_SEMANTIC_ID": "P", "STAGE_ID": id
            }));
        }
        let (cat, last) = stage_id(path.last().unwrap());
        let (semantic, stage) = match d.status {
            "won" => ("S", format!("{}WON", prefix(cat))),
            "lost" => ("F", format!("{}LOSE", prefix(cat))),
            _ => ("P", last),
        };
        if semantic != "P" {
            items.push(json!({
                "ID": items.len() + 1, "TYPE_ID": 3, "OWNER_ID": d.id,
                "CREATED_TIME": iso(secs(d.closed.unwrap(), 900), "+03:00"), "CATEGORY_ID": cat,
                "STAGE_SEMANTIC_ID": semantic, "STAGE_ID": stage
            }));
        }
        // An open deal's CLOSEDATE is the date planned: not a closing.
        let closedate = d.closed.unwrap_or(d.created + 30);
        deals.push(json!({
            "ID": d.id.to_string(), "TITLE": format!("Сделка {}", d.id), "CATEGORY_ID": cat.to_string(),
            "STAGE_ID": stage, "STAGE_SEMANTIC_ID": semantic, "CLOSED": if semantic == "P" { "N" } else { "Y" },
            "OPPORTUNITY": format!("{:.2}", d.amount.unwrap_or(0.0)), "CURRENCY_ID": "RUB", "ASSIGNED_BY_ID": "1",
            "DATE_CREATE": iso(secs(d.created, 0), "+03:00"), "CLOSEDATE": show_day(closedate),
            "SOURCE_ID": source_id(&d.channel)
        }));
    }
    // The stage history as JSON Lines, a page of 50 a line; the deals a page a file.
    let lines: Vec<String> = chunks(items, 50)
        .into_iter()
        .enumerate()
        .map(|(i, p)| json!({"result": {"items": p}, "total": 0, "next": (i + 1) * 50}).to_string())
        .collect();
    let mut files = vec![
        write_json(dir, "b24/statuses.json", &json!({"result": statuses, "total": 0})),
        write_json(
            dir,
            "b24/categories.json",
            &json!({"result": {"categories": categories}}),
        ),
        write(
            dir,
            "b24/stagehistory.jsonl",
            (lines.join("\n") + "\n").as_bytes(),
        ),
    ];
    for (i, page) in chunks(deals, 50).into_iter().enumerate() {
        write_json(
            dir,
            &format!("b24/deals/{i:04}.json"),
            &json!({"result": page, "total": 0}),
        );
    }
    files.push(dir.join("b24/deals"));
    files
}

fn hubspot(t: &Trace, dir: &Path) -> Vec<PathBuf> {
    let l = labels(&t.model);
    let id = |r: &Row| {
        let x = &l[&(r.pipeline.clone(), r.stage.clone())];
        (format!("p{}", x.pi), format!("p{}s{}", x.pi, x.si))
    };
    let pipelines: Vec<Value> = t
        .model
        .pipelines
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let mut stages: Vec<Value> = (0..p.stages.len())
                .map(|si| {
                    let x = &l[&(p.name.clone(), p.stages[si].name.clone())];
                    json!({"id": format!("p{pi}s{si}"), "label": x.stage, "displayOrder": si, "metadata": {"probability": "0.5"}})
                })
                .collect();
            stages.push(json!({"id": format!("p{pi}won"), "label": "Closed won", "metadata": {"probability": "1.0", "isClosed": "true"}}));
            stages.push(json!({"id": format!("p{pi}lost"), "label": "Closed lost", "metadata": {"probability": "0.0", "isClosed": "true"}}));
            json!({"id": format!("p{pi}"), "label": pipeline_label(&t.model, pi), "displayOrder": pi, "stages": stages})
        })
        .collect();
    let mut deals = Vec::new();
    for d in &t.deals {
        let path = &t.paths[&d.id];
        let mut history: Vec<Value> = Vec::new();
        let mut pipeline_history: Vec<Value> = Vec::new();
        for (k, r) in path.iter().enumerate() {
            let (p, s) = id(r);
            let at = iso(secs(r.day, k), ".000Z");
            history.push(json!({"value": s, "timestamp": at, "sourceType": "CRM_UI"}));
            if k == 0 || id(&path[k - 1]).0 != p {
                pipeline_history.push(json!({"value": p, "timestamp": at, "sourceType": "CRM_UI"}));
            }
        }
        let (p, last) = id(path.last().unwrap());
        let current = match d.status {
            "won" => format!("{p}won"),
            "lost" => format!("{p}lost"),
            _ => last,
        };
        if d.status != "open" {
            history.push(json!({"value": current, "timestamp": iso(secs(d.closed.unwrap(), 900), ".000Z"), "sourceType": "CRM_UI"}));
        }
        // Newest first, as HubSpot returns them.
        history.reverse();
        pipeline_history.reverse();
        // An open deal's closedate is the end of its creation month by default: not a closing.
        let closedate = d.closed.unwrap_or(d.created + 20);
        deals.push(json!({
            "id": d.id.to_string(),
            "properties": {
                "dealname": format!("Deal {}", d.id), "dealstage": current, "pipeline": p,
                "amount": d.amount.map(|a| a.to_string()), "createdate": iso(secs(d.created, 0), ".000Z"),
                "closedate": iso(secs(closedate, 900), ".000Z"),
                "hs_is_closed_won": (d.status == "won").to_string(), "hs_is_closed": (d.status != "open").to_string(),
                "closed_lost_reason": if d.status == "lost" { d.reason.clone() } else { String::new() },
                "hs_analytics_source": d.channel, "hubspot_owner_id": "123"
            },
            "propertiesWithHistory": {"dealstage": history, "pipeline": pipeline_history},
            "createdAt": iso(secs(d.created, 0), ".000Z"), "archived": false
        }));
    }
    let mut files = vec![write_json(
        dir,
        "hs/pipelines.json",
        &json!({"results": pipelines}),
    )];
    for (i, page) in chunks(deals, 50).into_iter().enumerate() {
        files.push(write_json(
            dir,
            &format!("hs/deals{i:04}.json"),
            &json!({"results": page, "paging": {"next": {"after": (i + 1) * 50}}}),
        ));
    }
    files
}

fn pipedrive(t: &Trace, dir: &Path) -> Vec<PathBuf> {
    let l = labels(&t.model);
    let id = |r: &Row| {
        let x = &l[&(r.pipeline.clone(), r.stage.clone())];
        (x.pi + 1, 100 * (x.pi + 1) + x.si)
    };
    let mut stages = Vec::new();
    let mut pipelines = Vec::new();
    for (pi, p) in t.model.pipelines.iter().enumerate() {
        pipelines.push(
            json!({"id": pi + 1, "name": pipeline_label(&t.model, pi), "order_nr": pi, "is_deleted": false}),
        );
        for (si, s) in p.stages.iter().enumerate() {
            let x = &l[&(p.name.clone(), s.name.clone())];
            stages.push(json!({"id": 100 * (pi + 1) + si, "name": x.stage, "pipeline_id": pi + 1, "order_nr": si, "deal_probability": 50}));
        }
    }
    let mut files = vec![
        write_json(dir, "pd/stages.json", &json!({"success": true, "data": stages})),
        write_json(
            dir,
            "pd/pipelines.json",
            &json!({"success": true, "data": pipelines}),
        ),
    ];
    let mut deals = Vec::new();
    let mut change = 0;
    let mut flows: Vec<Value> = Vec::new();
    for d in &t.deals {
        let path = &t.paths[&d.id];
        let mut items = Vec::new();
        for k in 1..path.len() {
            change += 1;
            let time = chrono::DateTime::from_timestamp(secs(path[k].day, k), 0)
                .unwrap()
                .naive_utc();
            items.push(json!({
                "object": "dealChange", "timestamp": time.format("%Y-%m-%d %H:%M:%S").to_string(),
                "data": {
                    "id": change, "item_id": d.id, "user_id": 1, "field_key": "stage_id",
                    // The API gives the old value as a string, the new one as a number.
                    "old_value": id(&path[k - 1]).1.to_string(), "new_value": id(&path[k]).1,
                    "log_time": time.format("%Y-%m-%d %H:%M:%S").to_string(), "change_source": "app"
                }
            }));
        }
        // A note in the flow is not a stage change.
        items.push(
            json!({"object": "note", "timestamp": "2026-01-01 00:00:00", "data": {"id": 1, "content": "…"}}),
        );
        items.reverse();
        flows.push(json!({"success": true, "data": items, "additional_data": {"pagination": {"more_items_in_collection": false}}}));
        let (p, s) = id(path.last().unwrap());
        let closed = d.closed.map(|c| iso(secs(c, 900), "Z"));
        deals.push(json!({
            "id": d.id, "title": format!("Deal {}", d.id), "owner_id": 9, "pipeline_id": p, "stage_id": s,
            "value": d.amount.unwrap_or(0.0), "currency": "RUB", "status": d.status,
            "add_time": iso(secs(d.created, 0), "Z"),
            "won_time": if d.status == "won" { closed.clone() } else { None },
            "lost_time": if d.status == "lost" { closed.clone() } else { None },
            "close_time": closed, "lost_reason": if d.status == "lost" && !d.reason.is_empty() { Some(d.reason.clone()) } else { None },
            "channel": d.channel
        }));
    }
    for (i, page) in chunks(flows, 40).into_iter().enumerate() {
        // Forty deals' flows a file, as an array of responses.
        write_json(dir, &format!("pd/flow/{i:04}.json"), &Value::Array(page));
    }
    files.push(dir.join("pd/flow"));
    for (i, page) in chunks(deals, 100).into_iter().enumerate() {
        files.push(write_json(
            dir,
            &format!("pd/deals{i:04}.json"),
            &json!({"success": true, "data": page, "additional_data": {"next_cursor": null}}),
        ));
    }
    files
}

/// The deals list as a CRM's screen exports it (amoCRM's Russian columns): a row per deal with
/// its current stage; creation dates as date cells, closing dates as Excel serial numbers.
fn xlsx(t: &Trace) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let l = labels(&t.model);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Сделки").unwrap();
    let date = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let head = [
        "ID",
        "Название сделки",
        "Воронка",
        "Этап сделки",
        "Бюджет",
        "Дата создания",
        "Дата закрытия",
        "Ответственный",
        "Источник",
        "Причина отказа",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, d) in t.deals.iter().enumerate() {
        let r = i as u32 + 1;
        let last = t.paths[&d.id].last().unwrap();
        let x = &l[&(last.pipeline.clone(), last.stage.clone())];
        let stage = match d.status {
            "won" => "Успешно реализовано".to_owned(),
            "lost" => "Закрыто и не реализовано".to_owned(),
            _ => x.stage.clone(),
        };
        ws.write_number(r, 0, d.id as f64).unwrap();
        ws.write_string(r, 1, format!("Сделка {}", d.id)).unwrap();
        ws.write_string(r, 2, x.pipeline.clone()).unwrap();
        ws.write_string(r, 3, stage).unwrap();
        ws.write_number(r, 4, d.amount.unwrap_or(0.0)).unwrap();
        let created = ExcelDateTime::parse_from_str(&format!("{} 10:00:00", show_day(d.created))).unwrap();
        ws.write_datetime_with_format(r, 5, &created, &date).unwrap();
        if let Some(c) = d.closed {
            ws.write_number(r, 6, f64::from(c + 25_569) + 0.5).unwrap();
        }
        ws.write_string(r, 7, "Анна").unwrap();
        ws.write_string(r, 8, d.channel.clone()).unwrap();
        ws.write_string(
            r,
            9,
            if d.status == "lost" {
                d.reason.clone()
            } else {
                String::new()
            },
        )
        .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// Every example's trace (but the largest), as each CRM's API returns it, gives the figures of
/// the generic log:
/// the same stages, channels and pipelines (Bitrix24's loss reasons are its failure stages).
#[test]
fn every_crm_gives_the_figures_of_the_generic_log() {
    for file in crate::common::examples() {
        let t = trace(&file, 2);
        // The large examples (tens of thousands of deals) take minutes in a debug build and
        // exercise nothing the others do not.
        if t.deals.len() > 10_000 {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let want = generic(&t, dir.path());
        assert!(want.entries > 0, "{}", file.display());
        for (crm, files, reasons) in [
            ("amoCRM", amo(&t, dir.path()), true),
            ("Bitrix24", bitrix(&t, dir.path()), false),
            ("HubSpot", hubspot(&t, dir.path()), true),
            ("Pipedrive", pipedrive(&t, dir.path()), true),
        ] {
            let h = read(&files);
            let got = calibrate(&t.model, &h, Window::default());
            assert_eq!(
                figures(&got, reasons),
                figures(&want, reasons),
                "{crm}, {}: notes {:?}",
                file.display(),
                got.notes
            );
            assert!(got.snapshot.is_none());
        }
    }
}

/// The Bitrix24 loss reason is the failure stage's name; amoCRM's overlapping pages are read
/// once; the binary reads a directory of pages and prints JSON.
#[test]
fn crm_details_loss_stages_overlapping_pages_and_the_binary() {
    let t = trace(Path::new(AGENCY), 3);
    let dir = tempfile::tempdir().unwrap();
    let files = bitrix(&t, dir.path());
    let c = calibrate(&t.model, &read(&files), Window::default());
    let reasons: Vec<&str> = c
        .stages
        .iter()
        .flat_map(|s| s.loss_reasons.iter().map(|r| r.0.as_str()))
        .filter(|r| !r.starts_with('→'))
        .collect();
    assert!(
        !reasons.is_empty() && reasons.iter().all(|r| *r == "Сделка провалена"),
        "{reasons:?}"
    );

    let want = generic(&t, dir.path());
    // Without the status list and the directions the stages are their codes (`C1:` dropped),
    // matched by `код`; `crm.item.list` (camelCase) instead of `crm.deal.list` reads the same.
    let mut files: Vec<PathBuf> = files
        .into_iter()
        .filter(|p| !p.ends_with("statuses.json") && !p.ends_with("categories.json") && !p.ends_with("deals"))
        .collect();
    let mut items = Vec::new();
    for f in std::fs::read_dir(dir.path().join("b24/deals")).unwrap() {
        let v: Value = serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
        for d in v["result"].as_array().unwrap() {
            items.push(json!({
                "id": d["ID"].as_str().unwrap().parse::<u64>().unwrap(), "categoryId": d["CATEGORY_ID"],
                "stageId": d["STAGE_ID"], "stageSemanticId": d["STAGE_SEMANTIC_ID"], "opportunity": d["OPPORTUNITY"],
                "assignedById": 1, "createdTime": d["DATE_CREATE"], "closedate": d["CLOSEDATE"], "sourceId": d["SOURCE_ID"]
            }));
        }
    }
    files.push(write_json(
        dir.path(),
        "b24/items.json",
        &json!({"result": {"items": items}}),
    ));
    let c = calibrate(&t.model, &read(&files), Window::default());
    let mut got = figures(&c, false);
    let mut expected = figures(&want, false);
    // The channels are the sources' codes without the status list: not compared.
    for v in [&mut got, &mut expected] {
        v["channels"] = Value::Null;
        v["unmatched_channels"] = Value::Null;
    }
    assert_eq!(got, expected);

    let mut files = amo(&t, dir.path());
    let first = dir.path().join("amo/events/page0000.json");
    files.push(write(
        dir.path(),
        "again/page0000.json",
        &std::fs::read(&first).unwrap(),
    ));
    let h = read(&files);
    let got = calibrate(&t.model, &h, Window::default());
    assert_eq!(figures(&got, true), figures(&want, true));
    let notes: Vec<String> = got.notes.iter().map(|n| n.en.clone()).collect();
    assert!(notes.iter().any(|n| n.contains("repeated events")), "{notes:?}");

    let args: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let mut cmd = vec!["calibrate", AGENCY, "--format", "json", "--history"];
    cmd.extend(args.iter().map(String::as_str));
    let out = voronka(&cmd);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stages"], serde_json::to_value(&want).unwrap()["stages"]);
}

/// A deals list exported to XLSX measures what a snapshot can — the same channels and deal
/// sizes as the full log, the win rate and where the open deals sit — and says that the
/// stages' conversion and time cannot be measured (their figures stay empty, not faked).
#[test]
fn an_xlsx_deals_list_is_a_snapshot() {
    let t = trace(Path::new(AGENCY), 4);
    let dir = tempfile::tempdir().unwrap();
    let want = generic(&t, dir.path());
    let path = write(dir.path(), "deals.xlsx", &xlsx(&t));
    let h = read(std::slice::from_ref(&path));
    let got = calibrate(&t.model, &h, Window::default());
    let snap = got.snapshot.as_ref().expect("a snapshot");
    assert!(
        got.stages
            .iter()
            .all(|s| s.entered == 0 && s.conversion.is_none() && s.time.is_none())
    );
    assert_eq!(snap.not_measurable, ["stage_conversion", "time_in_stage"]);
    let (won, lost) = (
        t.deals.iter().filter(|d| d.status == "won").count(),
        t.deals.iter().filter(|d| d.status == "lost").count(),
    );
    assert_eq!((snap.won, snap.lost, snap.deals), (won, lost, t.deals.len()));
    let rate = snap.win_rate.unwrap();
    assert!((rate.value - won as f64 / (won + lost) as f64).abs() < 1e-12);
    assert_eq!(
        snap.open_by_stage.iter().map(|o| o.deals).sum::<usize>(),
        snap.open
    );
    assert!(
        snap.open_by_stage.iter().all(|o| o.matched),
        "{:?}",
        snap.open_by_stage
    );
    assert!(snap.cycle.as_ref().unwrap().closed == won + lost);
    let g = serde_json::to_value(&want).unwrap();
    let s = serde_json::to_value(&got).unwrap();
    assert_eq!(s["pipelines"], g["pipelines"]);
    for (a, b) in s["channels"]
        .as_array()
        .unwrap()
        .iter()
        .zip(g["channels"].as_array().unwrap())
    {
        assert_eq!(a["deals"], b["deals"]);
    }
    // The table says it too.
    let out = voronka(&[
        "calibrate",
        AGENCY,
        "--history",
        path.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("cannot be measured from such a file"), "{stdout}");
    assert!(stdout.contains("win rate"), "{stdout}");
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = voronka(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Hostile files: each a located message, never a panic.
#[test]
fn hostile_crm_files_are_located_messages() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let leads = json!({"_embedded": {"leads": [
        {"id": 1, "price": 1000, "status_id": 142, "pipeline_id": 7, "created_at": 1_767_261_600, "closed_at": 1_767_600_000},
        {"id": 2, "price": "много", "status_id": 11, "pipeline_id": 7, "created_at": 1_767_261_600}
    ]}});
    let truncated = serde_json::to_string_pretty(&leads).unwrap();
    let truncated = &truncated[..truncated.len() / 2];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.json", Vec::new(), "файл JSON пуст"),
        (
            "object.json",
            b"{}".to_vec(),
            "не похоже ни на один известный ответ API CRM: пустой объект",
        ),
        (
            "shape.json",
            br#"{"data": {"deals": 1}}"#.to_vec(),
            "принимаются ответы API",
        ),
        ("truncated.json", truncated.as_bytes().to_vec(), "truncated.json:"),
        (
            "amount.json",
            serde_json::to_vec_pretty(&leads).unwrap(),
            "amount.json:14:18",
        ),
        (
            "pages.json",
            b"[{\"_embedded\": {\"events\": []}},\n {\"foo\": 1}]".to_vec(),
            "pages.json:2:2",
        ),
    ];
    for (name, bytes, want) in cases {
        let p = write(d, name, &bytes);
        let (code, _, stderr) = run(&["calibrate", AGENCY, "--history", p.to_str().unwrap()]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(stderr.contains(want), "{name}: want «{want}» in\n{stderr}");
    }
    let (_, _, stderr) = run(&[
        "calibrate",
        AGENCY,
        "--history",
        d.join("amount.json").to_str().unwrap(),
    ]);
    assert!(
        stderr.contains("«много»") || stderr.contains("\"много\""),
        "{stderr}"
    );

    // Events for a stage no pipelines file has, and a lead leaving a stage it never entered:
    // read, with located notes.
    let pipelines = json!({"_embedded": {"pipelines": [{"id": 7, "name": "Продажа", "_embedded": {"statuses": [
        {"id": 11, "name": "Бриф", "pipeline_id": 7}, {"id": 12, "name": "Встреча", "pipeline_id": 7}
    ]}}]}});
    let ev = |id: &str, at: i64, before: u32, after: u32| {
        json!({"id": id, "type": "lead_status_changed", "entity_id": 1, "created_at": at,
               "value_before": [{"lead_status": {"id": before, "pipeline_id": 7}}],
               "value_after": [{"lead_status": {"id": after, "pipeline_id": 7}}]})
    };
    let events = json!({"_embedded": {"events": [
        ev("a", 1_767_300_000, 11, 12),
        ev("b", 1_767_400_000, 99, 11),
        ev("c", 1_767_450_000, 11, 999),
    ]}});
    let leads = json!({"_embedded": {"leads": [
        {"id": 1, "price": 0, "status_id": 999, "pipeline_id": 7, "created_at": 1_767_261_600}
    ]}});
    let files = [
        write_json(d, "ok/pipelines.json", &pipelines),
        write_json(d, "ok/events.json", &events),
        write_json(d, "ok/leads.json", &leads),
    ];
    let mut args = vec!["calibrate", AGENCY, "--lang", "en", "--history"];
    let shown: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend(shown.iter().map(String::as_str));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("records of stages the pipelines files do not have"),
        "{stdout}"
    );
    assert!(stdout.contains("events.json:"), "{stdout}");
    assert!(
        stdout.contains("take a deal out of a stage the earlier records do not put it in"),
        "{stdout}"
    );
    assert!(stdout.contains("«Продажа.999» (1)"), "{stdout}");

    // An XLSX that is a CSV renamed is read as the CSV it is; an empty sheet is an error; a bad
    // cell names its address.
    let csv = "Сделка;Этап сделки;Статус;Дата создания;Бюджет\n1;Бриф;открыта;2026-01-05;100\n";
    let p = write(d, "renamed.xlsx", csv.as_bytes());
    let (code, stdout, stderr) = run(&["calibrate", AGENCY, "--history", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("назван как книга Excel, но это текст"),
        "{stdout}"
    );
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet();
    let p = write(d, "empty.xlsx", &wb.save_to_buffer().unwrap());
    let (code, _, stderr) = run(&["calibrate", AGENCY, "--history", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("нет ни одной заполненной строки"), "{stderr}");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["ID", "Этап сделки", "Бюджет"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 1.0).unwrap();
    ws.write_string(1, 1, "Бриф").unwrap();
    ws.write_number(1, 2, 5.0).unwrap();
    ws.write_number(2, 0, 2.0).unwrap();
    ws.write_string(2, 1, "Бриф").unwrap();
    ws.write_string(2, 2, "дорого").unwrap();
    let p = write(d, "bad.xlsx", &wb.save_to_buffer().unwrap());
    // A title line above the header is skipped.
    let mut titled = rust_xlsxwriter::Workbook::new();
    let ws = titled.add_worksheet();
    ws.write_string(0, 0, "Сделки за январь").unwrap();
    for (c, h) in ["ID", "Этап сделки", "Бюджет"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
        ws.write_string(2, c as u16, ["7", "Бриф", "100"][c]).unwrap();
    }
    let titled = write(d, "titled.xlsx", &titled.save_to_buffer().unwrap());
    let (code, stdout, stderr) = run(&["calibrate", AGENCY, "--history", titled.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Продажа.Бриф"), "{stdout}");
    let (code, _, stderr) = run(&["calibrate", AGENCY, "--history", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("ячейка Sheet1!C3") && stderr.contains("bad.xlsx:3:"),
        "{stderr}"
    );
}

/// The stage mapping file maps a CRM's own stage IDs (amoCRM without its pipelines file) to the
/// regulation; a row naming a stage the regulation lacks is a located error with the closest
/// name; stages no row maps stay unmatched.
#[test]
fn the_stage_mapping_file_maps_ids_and_refuses_unknown_stages() {
    let t = trace(Path::new(AGENCY), 5);
    let dir = tempfile::tempdir().unwrap();
    let want = generic(&t, dir.path());
    let files = amo(&t, dir.path());
    // Without the pipelines file the stages are bare numbers.
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|p| !p.ends_with("pipelines.json"))
        .collect();
    let l = labels(&t.model);
    let mut map = String::from("этап CRM;воронка CRM;этап положения\n");
    let mut pairs: Vec<&Label> = l.values().collect();
    pairs.sort_by_key(|x| (x.pi, x.si));
    for x in &pairs {
        let p = &t.model.pipelines[x.pi];
        map.push_str(&format!(
            "{};{};{}.{}\n",
            10_000 + 100 * x.pi + x.si,
            1000 + x.pi,
            p.name,
            p.stages[x.si].name
        ));
    }
    let map_path = write(dir.path(), "map.csv", map.as_bytes());
    let args: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let mut cmd = vec![
        "calibrate",
        AGENCY,
        "--format",
        "json",
        "--stages",
        map_path.to_str().unwrap(),
        "--history",
    ];
    cmd.extend(args.iter().map(String::as_str));
    let (code, stdout, stderr) = run(&cmd);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let g = serde_json::to_value(&want).unwrap();
    assert_eq!(v["stages"], g["stages"]);
    // Without the file nothing matches (nothing guessed).
    let mut cmd = vec!["calibrate", AGENCY, "--format", "json", "--history"];
    cmd.extend(args.iter().map(String::as_str));
    let (_, stdout, _) = run(&cmd);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert!(v["stages"].as_array().unwrap().iter().all(|s| s["entered"] == 0));
    assert!(!v["unmatched_stages"].as_array().unwrap().is_empty());

    let bad = write(
        dir.path(),
        "bad.csv",
        "10000;Продажа.Брииф\n10001;Встреча;лишнее;столбец\n".as_bytes(),
    );
    let (code, _, stderr) = run(&[
        "calibrate",
        AGENCY,
        "--stages",
        bad.to_str().unwrap(),
        "--history",
        args[0].as_str(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("E0073") && stderr.contains("bad.csv:1:7"),
        "{stderr}"
    );
    assert!(stderr.contains("Продажа.Бриф"), "did-you-mean: {stderr}");
    assert!(stderr.contains("bad.csv:2:"), "{stderr}");
}

/// The shapes' variants a real account gives: amoCRM's loss reason as an object and a price as
/// a string; HubSpot without its pipelines file (the default closing stages, a closed deal's
/// last stage, Unix milliseconds); Pipedrive's deal that never moved; Bitrix24's `APOLOGY`.
#[test]
fn shape_variants_read_as_the_crms_write_them() {
    use voronka::history::Status;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let amo = json!([
        {"_embedded": {"leads": [
            {"id": "5", "price": "1 500", "status_id": 143, "pipeline_id": 7, "created_at": 1_767_261_600,
             "closed_at": 1_767_600_000, "_embedded": {"loss_reason": {"id": 1, "name": "Дорого"}}},
            {"id": 6, "price": 0, "status_id": 11, "pipeline_id": 7, "created_at": 1_767_261_600, "is_deleted": true}
        ]}},
        {"_embedded": {"events": [
            {"id": "x", "type": "lead_status_changed", "entity_id": "5", "created_at": "1767500000",
             "value_before": [{"lead_status": {"id": "11", "pipeline_id": "7"}}],
             "value_after": [{"lead_status": {"id": 143, "pipeline_id": 7}}]},
            {"id": "y", "type": "lead_status_changed", "entity_id": 6, "created_at": 1_767_500_000,
             "value_before": [{"lead_status": {"id": 11, "pipeline_id": 7}}],
             "value_after": [{"lead_status": {"id": 12, "pipeline_id": 7}}]}
        ]}}
    ]);
    let hubspot = json!({"results": [{
        "id": "9", "properties": {"dealstage": "decisionmakerboughtin", "hs_is_closed": "true",
            "hs_is_closed_won": "false", "amount": "", "createdate": "1767261600000", "closed_lost_reason": "Ушли к конкурентам"},
        "propertiesWithHistory": {"dealstage": [
            {"value": "decisionmakerboughtin", "timestamp": "2026-01-09T10:00:00Z"},
            {"value": "appointmentscheduled", "timestamp": "2026-01-01T10:00:00Z"}
        ]}
    }]});
    let pipedrive = json!([
        {"success": true, "data": [{"id": 3, "status": "open", "stage_id": 41, "pipeline_id": 4, "value": 10, "add_time": "2026-01-05T09:00:00Z"}]},
        {"success": true, "data": [{"object": "note", "timestamp": "2026-01-05 09:00:00", "data": {"id": 1}}]}
    ]);
    let bitrix = json!({"result": {"items": [
        {"ID": 1, "TYPE_ID": 1, "OWNER_ID": 2, "CREATED_TIME": "2026-01-05T10:00:00+03:00", "CATEGORY_ID": 0, "STAGE_ID": "NEW", "STAGE_SEMANTIC_ID": "P"},
        {"ID": 2, "TYPE_ID": 3, "OWNER_ID": 2, "CREATED_TIME": "2026-01-07T10:00:00+03:00", "CATEGORY_ID": 0, "STAGE_ID": "APOLOGY"}
    ]}});
    let h = read(&[
        write_json(d, "amo.json", &amo),
        write_json(d, "hs.json", &hubspot),
        write_json(d, "pd.json", &pipedrive),
        write_json(d, "b24.json", &bitrix),
    ]);
    let deal = |key: &str| h.deals.iter().find(|x| x.key == key).unwrap();
    let stages_of = |key: &str| -> Vec<String> {
        let i = h.deals.iter().position(|x| x.key == key).unwrap() as u32;
        h.entries
            .iter()
            .filter(|e| e.deal == i)
            .map(|e| h.stages[e.stage as usize].1.clone())
            .collect()
    };
    let a = deal("5");
    assert_eq!(
        (a.status, a.amount, a.loss_reason.as_deref()),
        (Some(Status::Lost), Some(1500.0), Some("Дорого"))
    );
    assert_eq!(stages_of("5"), ["11"]);
    let hs = deal("9");
    assert_eq!(
        (hs.status, hs.amount, hs.created),
        (Some(Status::Lost), None, parse_day("2026-01-01"))
    );
    assert_eq!(hs.loss_reason.as_deref(), Some("Ушли к конкурентам"));
    // The closed deal's last stage is where it closed, not a stage it entered.
    assert_eq!(stages_of("9"), ["appointmentscheduled"]);
    // A deal with a flow and no stage change was in its stage since it was added.
    assert_eq!(stages_of("3"), ["41"]);
    assert_eq!(deal("3").status, Some(Status::Open));
    let b = deal("2");
    assert_eq!(
        (b.status, b.closed, b.loss_reason.as_deref()),
        (Some(Status::Lost), parse_day("2026-01-07"), Some("APOLOGY"))
    );
    assert_eq!(stages_of("2"), ["NEW"]);
    // A deleted lead and its events are left out, and said so.
    assert!(h.deals.iter().all(|x| x.key != "6"));
    assert!(
        h.notes
            .iter()
            .any(|n| n.en.contains("deleted (archived) deals left out: 1")),
        "{:?}",
        h.notes
    );
}
