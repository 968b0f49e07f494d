//! A local stand-in for the four CRMs' APIs on 127.0.0.1, for running the generated
//! `apply.sh` end to end with the real `curl` and `jq`. It implements the request and response
//! shapes of the endpoints the scripts call, as `shared/reference/crm-formats.md` documents
//! them — status codes, ids (Pipedrive deal fields have a `field_code` and no `id`), error
//! bodies, 401 on a wrong token, 429 with `Retry-After` (503 `QUERY_LIMIT_EXCEEDED` for
//! Bitrix24) — and rejects what the reference says the CRM rejects (an amoCRM colour outside
//! the palette, `descriptions` inside a pipeline creation, a second description of one level,
//! a Bitrix24 `SORT` that breaks in progress < success < failure, a HubSpot probability off
//! the 0.1 grid, unknown ids). Plain std::net with a tiny HTTP/1.1 parser; one connection at a
//! time, as curl makes one per request.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crm {
    Amocrm,
    Bitrix24,
    Hubspot,
    Pipedrive,
}

pub const TOKEN: &str = "secret-token";
/// Bitrix24's token is the webhook path `user/code`.
pub const BITRIX_TOKEN: &str = "1/secret";

#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub id: i64,
    pub name: String,
    /// Bitrix24 `STATUS_ID` (`C7:NEW`); empty elsewhere.
    pub code: String,
    pub sort: i64,
    /// `""` in progress, `"S"` won, `"F"` lost (Bitrix24); amoCRM: `"S"` for 142, `"F"` 143,
    /// `"U"` for unsorted.
    pub semantics: String,
    pub color: Option<String>,
    pub probability: Option<String>,
    pub rot_days: Option<i64>,
    /// amoCRM descriptions: (id, level, text).
    pub descriptions: Vec<(i64, String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub id: i64,
    pub name: String,
    pub sort: i64,
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    /// amoCRM `required_statuses` or Pipedrive `required_fields`, as stored.
    pub required: Value,
    /// The record: amoCRM `leads`/`contacts`/`companies`, Pipedrive `dealFields`/`personFields`/
    /// `organizationFields`.
    pub entity: String,
    /// The values of a list field (amoCRM `enums[].value`, Pipedrive `options[].label`).
    pub options: Vec<String>,
}

#[derive(Debug, Default)]
pub struct State {
    pub pipelines: Vec<Pipeline>,
    pub fields: Vec<Field>,
    /// `METHOD path` of every request, in order (throttled ones included).
    pub log: Vec<String>,
    /// Answer request number N (1-based, counting every request) with HTTP 500.
    pub fail_at: Option<usize>,
    /// Answer request number N with 429 (503 for Bitrix24) once.
    pub throttle_at: Option<usize>,
    next_id: i64,
}

impl State {
    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }
}

pub struct StandIn {
    pub crm: Crm,
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

struct Req {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Resp {
    code: u16,
    body: Value,
    retry_after: Option<u32>,
}

fn ok(body: Value) -> Resp {
    Resp {
        code: 200,
        body,
        retry_after: None,
    }
}

fn status(code: u16, body: Value) -> Resp {
    Resp {
        code,
        body,
        retry_after: None,
    }
}

impl StandIn {
    pub fn start(crm: Crm) -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            next_id: 1000,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let _ = serve(crm, &shared, stream);
            }
        });
        StandIn { crm, url, state }
    }

    pub fn log(&self) -> Vec<String> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn pipelines(&self) -> Vec<Pipeline> {
        self.state.lock().unwrap().pipelines.clone()
    }

    pub fn fields(&self) -> Vec<Field> {
        self.state.lock().unwrap().fields.clone()
    }

    pub fn set_fail_at(&self, n: Option<usize>) {
        self.state.lock().unwrap().fail_at = n;
    }

    pub fn set_throttle_at(&self, n: Option<usize>) {
        self.state.lock().unwrap().throttle_at = n;
    }

    pub fn reset_log(&self) {
        self.state.lock().unwrap().log.clear();
    }
}

fn serve(crm: Crm, state: &Mutex<State>, stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let len: usize = find("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut out = stream;
    if find("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let mut raw = vec![0; len];
    reader.read_exact(&mut raw)?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.clone(), String::new()),
    };
    let body = if raw.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&raw) {
            Ok(v) => v,
            Err(e) => {
                return write(
                    &mut out,
                    status(400, json!({ "error": format!("invalid JSON: {e}") })),
                );
            }
        }
    };
    let req = Req {
        method,
        path,
        query,
        headers,
        body,
    };
    let resp = {
        let mut st = state.lock().unwrap();
        st.log.push(format!("{} {}", req.method, target));
        let n = st.log.len();
        if st.throttle_at == Some(n) {
            st.throttle_at = None;
            match crm {
                Crm::Bitrix24 => status(
                    503,
                    json!({ "error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests" }),
                ),
                _ => Resp {
                    code: 429,
                    body: json!({ "status": "error", "message": "rate limit", "category": "RATE_LIMITS" }),
                    retry_after: Some(1),
                },
            }
        } else if st.fail_at == Some(n) {
            status(500, json!({ "error": "internal error (stand-in failure)" }))
        } else {
            match crm {
                Crm::Amocrm => amocrm(&mut st, &req),
                Crm::Bitrix24 => bitrix24(&mut st, &req),
                Crm::Hubspot => hubspot(&mut st, &req),
                Crm::Pipedrive => pipedrive(&mut st, &req),
            }
        }
    };
    write(&mut out, resp)
}

fn write(out: &mut TcpStream, resp: Resp) -> std::io::Result<()> {
    let body = if resp.code == 204 {
        String::new()
    } else {
        resp.body.to_string()
    };
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        resp.code,
        body.len()
    );
    if let Some(s) = resp.retry_after {
        head.push_str(&format!("Retry-After: {s}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(body.as_bytes())?;
    out.flush()
}

fn bearer(req: &Req) -> bool {
    req.header("authorization") == Some(&format!("Bearer {TOKEN}"))
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
}

fn nonempty(v: &Value) -> Option<&str> {
    v.as_str().filter(|s| !s.trim().is_empty())
}

// ── amoCRM ────────────────────────────────────────────────────────────────────

const AMO_PALETTE: [&str; 21] = [
    "#fffeb2", "#fffd7f", "#fff000", "#ffeab2", "#ffdc7f", "#ffce5a", "#ffdbdb", "#ffc8c8", "#ff8f92",
    "#d6eaff", "#c1e0ff", "#98cbff", "#ebffb1", "#deff81", "#87f2c0", "#f9deff", "#f3beff", "#ccc8f9",
    "#eb93ff", "#f2f3f4", "#e6e8ea",
];
const AMO_FIELD_TYPES: [&str; 9] = [
    "text",
    "numeric",
    "date",
    "textarea",
    "select",
    "multiselect",
    "checkbox",
    "url",
    "date_time",
];

/// The values of a list field: every element an object with a non-empty, unique string under
/// `key`; `None` (with the reason) otherwise. amoCRM `enums[].value`, Pipedrive `options[].label`.
fn list_values(v: &Value, key: &str) -> Result<Vec<String>, String> {
    let Some(list) = v.as_array().filter(|l| !l.is_empty()) else {
        return Err("a list field needs a non-empty list of values".into());
    };
    let mut out: Vec<String> = Vec::new();
    for (i, x) in list.iter().enumerate() {
        let Some(s) = nonempty(&x[key]) else {
            return Err(format!("value {i}: `{key}` should not be blank"));
        };
        if out.iter().any(|o| o == s) {
            return Err(format!("value {i}: `{s}` repeats"));
        }
        out.push(s.to_string());
    }
    Ok(out)
}

fn amo_invalid(path: &str, detail: &str) -> Resp {
    status(
        400,
        json!({
            "title": "Bad Request",
            "type": "https://httpstatus.es/400",
            "status": 400,
            "detail": "Request validation failed",
            "validation-errors": [{ "request_id": "0", "errors": [{ "code": "NotSupportedChoice", "path": path, "detail": detail }] }],
        }),
    )
}

fn amo_status_json(p: &Pipeline, s: &Stage, with_descriptions: bool) -> Value {
    let mut v = json!({
        "id": s.id,
        "name": s.name,
        "sort": s.sort,
        "pipeline_id": p.id,
        "type": if s.semantics == "U" { 1 } else { 0 },
        "is_editable": s.semantics.is_empty(),
        "color": s.color.clone().unwrap_or("#c1c1c1".into()),
    });
    if with_descriptions {
        v["descriptions"] = Value::Array(
            s.descriptions
                .iter()
                .map(|(id, level, d)| json!({ "id": id, "level": level, "description": d }))
                .collect(),
        );
    }
    v
}

fn amo_pipeline_json(p: &Pipeline) -> Value {
    json!({
        "id": p.id, "name": p.name, "sort": p.sort, "is_main": false, "is_unsorted_on": true,
        "is_archive": false, "account_id": 1,
        "_embedded": { "statuses": p.stages.iter().map(|s| amo_status_json(p, s, false)).collect::<Vec<_>>() },
    })
}

/// A new status from a create body; `descriptions_allowed` for the statuses endpoint.
fn amo_new_status(st: &mut State, v: &Value, path: &str, descriptions_allowed: bool) -> Result<Stage, Resp> {
    let Some(name) = nonempty(&v["name"]) else {
        return Err(amo_invalid(
            &format!("{path}.name"),
            "This value should not be blank.",
        ));
    };
    let Some(sort) = int(&v["sort"]) else {
        return Err(amo_invalid(
            &format!("{path}.sort"),
            "This value should not be blank.",
        ));
    };
    if let Some(c) = v.get("color")
        && !c
            .as_str()
            .is_some_and(|c| AMO_PALETTE.contains(&c.to_lowercase().as_str()))
    {
        return Err(amo_invalid(
            &format!("{path}.color"),
            "The value you selected is not a valid choice.",
        ));
    }
    let allowed = ["name", "sort", "color", "request_id"];
    for k in v
        .as_object()
        .map(|o| o.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        if !(allowed.contains(&k.as_str()) || descriptions_allowed && k == "descriptions") {
            return Err(amo_invalid(
                &format!("{path}.{k}"),
                "This field was not expected.",
            ));
        }
    }
    let mut stage = Stage {
        id: st.id(),
        name: name.to_string(),
        code: String::new(),
        sort,
        semantics: String::new(),
        color: v["color"].as_str().map(str::to_string),
        probability: None,
        rot_days: None,
        descriptions: Vec::new(),
    };
    if let Some(ds) = v.get("descriptions") {
        amo_descriptions(st, &mut stage, ds, path)?;
    }
    Ok(stage)
}

fn amo_descriptions(st: &mut State, stage: &mut Stage, ds: &Value, path: &str) -> Result<(), Resp> {
    let Some(list) = ds.as_array() else {
        return Err(amo_invalid(
            &format!("{path}.descriptions"),
            "This value should be of type array.",
        ));
    };
    for (i, d) in list.iter().enumerate() {
        let p = format!("{path}.descriptions[{i}]");
        let Some(level) = d["level"]
            .as_str()
            .filter(|l| ["newbie", "candidate", "master"].contains(l))
        else {
            return Err(amo_invalid(
                &format!("{p}.level"),
                "The value you selected is not a valid choice.",
            ));
        };
        let text = d["description"].as_str().unwrap_or_default();
        if text.chars().count() > 1000 {
            return Err(amo_invalid(
                &format!("{p}.description"),
                "This value is too long.",
            ));
        }
        match d.get("id").and_then(Value::as_i64) {
            Some(id) => match stage.descriptions.iter_mut().find(|x| x.0 == id) {
                Some(x) => {
                    x.1 = level.to_string();
                    x.2 = text.to_string();
                }
                None => return Err(amo_invalid(&format!("{p}.id"), "Description not found.")),
            },
            None => {
                if stage.descriptions.iter().any(|x| x.1 == level) {
                    return Err(amo_invalid(
                        &format!("{p}.level"),
                        "A description of this level already exists.",
                    ));
                }
                let id = st.id();
                stage.descriptions.push((id, level.to_string(), text.to_string()));
            }
        }
    }
    Ok(())
}

fn amo_required(st: &State, v: &Value, path: &str) -> Result<Value, Resp> {
    let Some(list) = v.as_array() else {
        return Err(amo_invalid(path, "This value should be of type array."));
    };
    for (i, r) in list.iter().enumerate() {
        let (Some(pid), Some(sid)) = (int(&r["pipeline_id"]), int(&r["status_id"])) else {
            return Err(amo_invalid(
                &format!("{path}[{i}]"),
                "pipeline_id and status_id are required.",
            ));
        };
        let Some(p) = st.pipelines.iter().find(|p| p.id == pid) else {
            return Err(amo_invalid(
                &format!("{path}[{i}].pipeline_id"),
                "Pipeline not found.",
            ));
        };
        if !p.stages.iter().any(|s| s.id == sid) {
            return Err(amo_invalid(
                &format!("{path}[{i}].status_id"),
                "Status not found in the pipeline.",
            ));
        }
    }
    Ok(v.clone())
}

fn amo_field_json(f: &Field) -> Value {
    let enums: Vec<Value> = f
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| json!({ "id": f.id * 100 + i as i64, "value": o, "sort": (i + 1) * 10 }))
        .collect();
    json!({ "id": f.id, "name": f.name, "type": f.kind, "required_statuses": f.required, "entity_type": f.entity, "enums": if enums.is_empty() { Value::Null } else { json!(enums) } })
}

fn amocrm(st: &mut State, req: &Req) -> Resp {
    if !bearer(req) {
        return status(
            401,
            json!({ "title": "Unauthorized", "type": "https://httpstatus.es/401", "status": 401, "detail": "Invalid token" }),
        );
    }
    let segs: Vec<&str> = req.path.trim_start_matches("/api/v4/").split('/').collect();
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["leads", "pipelines"]) => ok(json!({
            "_total_items": st.pipelines.len(),
            "_embedded": { "pipelines": st.pipelines.iter().map(amo_pipeline_json).collect::<Vec<_>>() },
        })),
        ("POST", ["leads", "pipelines"]) => {
            let Some(list) = req.body.as_array() else {
                return amo_invalid("", "The request body must be an array.");
            };
            let mut created = Vec::new();
            for (i, p) in list.iter().enumerate() {
                let path = format!("[{i}]");
                let Some(name) = nonempty(&p["name"]) else {
                    return amo_invalid(&format!("{path}.name"), "This value should not be blank.");
                };
                for key in ["sort", "is_main", "is_unsorted_on"] {
                    if p.get(key).is_none() {
                        return amo_invalid(&format!("{path}.{key}"), "This value is required.");
                    }
                }
                let Some(statuses) = p["_embedded"]["statuses"].as_array().filter(|s| !s.is_empty()) else {
                    return amo_invalid(&format!("{path}._embedded.statuses"), "Statuses are required.");
                };
                let id = st.id();
                let mut stages = vec![Stage {
                    id: st.id(),
                    name: "Неразобранное".into(),
                    code: String::new(),
                    sort: 10,
                    semantics: "U".into(),
                    color: None,
                    probability: None,
                    rot_days: None,
                    descriptions: Vec::new(),
                }];
                let mut won = "Успешно реализовано".to_string();
                let mut lost = "Закрыто и не реализовано".to_string();
                for (j, s) in statuses.iter().enumerate() {
                    let sp = format!("{path}._embedded.statuses[{j}]");
                    match int(&s["id"]) {
                        Some(142) => won = s["name"].as_str().unwrap_or(&won).to_string(),
                        Some(143) => lost = s["name"].as_str().unwrap_or(&lost).to_string(),
                        Some(_) => return amo_invalid(&format!("{sp}.id"), "Only 142 and 143 may be given."),
                        // The create-pipeline reference documents no `descriptions`.
                        None => match amo_new_status(st, s, &sp, false) {
                            Ok(stage) => stages.push(stage),
                            Err(e) => return e,
                        },
                    }
                }
                for (sid, name, sem, sort) in [(142, won, "S", 10000), (143, lost, "F", 11000)] {
                    stages.push(Stage {
                        id: sid,
                        name,
                        code: String::new(),
                        sort,
                        semantics: sem.into(),
                        color: None,
                        probability: None,
                        rot_days: None,
                        descriptions: Vec::new(),
                    });
                }
                created.push(Pipeline {
                    id,
                    name: name.to_string(),
                    sort: int(&p["sort"]).unwrap_or(0),
                    stages,
                });
            }
            let out: Vec<Value> = created.iter().map(amo_pipeline_json).collect();
            st.pipelines.extend(created);
            ok(json!({ "_embedded": { "pipelines": out } }))
        }
        (method, ["leads", "pipelines", pid, "statuses", rest @ ..]) => {
            let Some(pi) = pid
                .parse::<i64>()
                .ok()
                .and_then(|pid| st.pipelines.iter().position(|p| p.id == pid))
            else {
                return status(
                    404,
                    json!({ "title": "Not Found", "status": 404, "detail": "Pipeline not found" }),
                );
            };
            match (method, rest) {
                ("GET", []) => {
                    let with = req.query.contains("with=descriptions");
                    let p = &st.pipelines[pi];
                    ok(
                        json!({ "_embedded": { "statuses": p.stages.iter().map(|s| amo_status_json(p, s, with)).collect::<Vec<_>>() } }),
                    )
                }
                ("POST", []) => {
                    let Some(list) = req.body.as_array() else {
                        return amo_invalid("", "The request body must be an array.");
                    };
                    let mut new = Vec::new();
                    for (i, s) in list.iter().enumerate() {
                        match amo_new_status(st, s, &format!("[{i}]"), true) {
                            Ok(stage) => new.push(stage),
                            Err(e) => return e,
                        }
                    }
                    let p = &mut st.pipelines[pi];
                    p.stages.extend(new.clone());
                    let p = &st.pipelines[pi];
                    ok(
                        json!({ "_embedded": { "statuses": new.iter().map(|s| amo_status_json(p, s, true)).collect::<Vec<_>>() } }),
                    )
                }
                ("PATCH", [sid]) => {
                    let Some(si) = sid
                        .parse::<i64>()
                        .ok()
                        .and_then(|sid| st.pipelines[pi].stages.iter().position(|s| s.id == sid))
                    else {
                        return status(
                            404,
                            json!({ "title": "Not Found", "status": 404, "detail": "Status not found" }),
                        );
                    };
                    let mut stage = st.pipelines[pi].stages[si].clone();
                    if let Some(name) = req.body.get("name") {
                        stage.name = name.as_str().unwrap_or_default().to_string();
                    }
                    if let Some(ds) = req.body.get("descriptions")
                        && let Err(e) = amo_descriptions(st, &mut stage, ds, "")
                    {
                        return e;
                    }
                    st.pipelines[pi].stages[si] = stage.clone();
                    ok(amo_status_json(&st.pipelines[pi], &stage, true))
                }
                _ => status(405, json!({ "title": "Method Not Allowed", "status": 405 })),
            }
        }
        ("GET", [entity @ ("leads" | "contacts" | "companies"), "custom_fields"]) => {
            let of: Vec<Value> = st
                .fields
                .iter()
                .filter(|f| f.entity == *entity)
                .map(amo_field_json)
                .collect();
            if of.is_empty() {
                // amoCRM answers an empty list with 204 No Content.
                return status(204, Value::Null);
            }
            ok(json!({ "_embedded": { "custom_fields": of } }))
        }
        ("POST", [entity @ ("leads" | "contacts" | "companies"), "custom_fields"]) => {
            let Some(list) = req.body.as_array() else {
                return amo_invalid("", "The request body must be an array.");
            };
            let mut out = Vec::new();
            for (i, f) in list.iter().enumerate() {
                let Some(name) = nonempty(&f["name"]) else {
                    return amo_invalid(&format!("[{i}].name"), "This value should not be blank.");
                };
                let Some(kind) = f["type"].as_str().filter(|t| AMO_FIELD_TYPES.contains(t)) else {
                    return amo_invalid(
                        &format!("[{i}].type"),
                        "The value you selected is not a valid choice.",
                    );
                };
                let required = match f.get("required_statuses") {
                    Some(r) => match amo_required(st, r, &format!("[{i}].required_statuses")) {
                        Ok(r) => r,
                        Err(e) => return e,
                    },
                    None => json!([]),
                };
                let listed = matches!(kind, "select" | "multiselect");
                let options = match (listed, f.get("enums")) {
                    (true, Some(e)) => match list_values(e, "value") {
                        Ok(o) => o,
                        Err(why) => return amo_invalid(&format!("[{i}].enums"), &why),
                    },
                    (true, None) => {
                        return amo_invalid(&format!("[{i}].enums"), "This value should not be blank.");
                    }
                    (false, Some(_)) => {
                        return amo_invalid(&format!("[{i}].enums"), "Only list fields take enums.");
                    }
                    (false, None) => Vec::new(),
                };
                let field = Field {
                    id: st.id(),
                    code: String::new(),
                    name: name.to_string(),
                    kind: kind.to_string(),
                    required,
                    entity: entity.to_string(),
                    options,
                };
                out.push(amo_field_json(&field));
                st.fields.push(field);
            }
            ok(json!({ "_embedded": { "custom_fields": out } }))
        }
        ("PATCH", [entity @ ("leads" | "contacts" | "companies"), "custom_fields"]) => {
            let Some(list) = req.body.as_array() else {
                return amo_invalid("", "The request body must be an array.");
            };
            let mut out = Vec::new();
            for (i, f) in list.iter().enumerate() {
                let Some(fi) = int(&f["id"])
                    .and_then(|id| st.fields.iter().position(|x| x.id == id && x.entity == *entity))
                else {
                    return amo_invalid(&format!("[{i}].id"), "Field not found.");
                };
                if let Some(r) = f.get("required_statuses") {
                    match amo_required(st, r, &format!("[{i}].required_statuses")) {
                        Ok(r) => st.fields[fi].required = r,
                        Err(e) => return e,
                    }
                }
                out.push(amo_field_json(&st.fields[fi]));
            }
            ok(json!({ "_embedded": { "custom_fields": out } }))
        }
        _ => status(
            404,
            json!({ "title": "Not Found", "status": 404, "detail": "No such endpoint" }),
        ),
    }
}

// ── Pipedrive ─────────────────────────────────────────────────────────────────

const PIPEDRIVE_FIELD_TYPES: [&str; 8] = [
    "varchar", "text", "double", "monetary", "date", "enum", "set", "phone",
];

fn pd_error(code: u16, msg: &str) -> Resp {
    status(
        code,
        json!({ "success": false, "error": msg, "error_info": "See the API reference", "code": format!("ERR_{code}") }),
    )
}

fn pd_pipeline_json(p: &Pipeline) -> Value {
    json!({ "id": p.id, "name": p.name, "order_nr": p.sort, "is_deleted": false, "is_deal_probability_enabled": true })
}

fn pd_stage_json(p: &Pipeline, s: &Stage) -> Value {
    json!({
        "id": s.id, "order_nr": s.sort, "name": s.name, "is_deleted": false, "pipeline_id": p.id,
        "deal_probability": s.probability.as_deref().and_then(|x| x.parse::<i64>().ok()),
        "is_deal_rot_enabled": s.rot_days.is_some(), "days_to_rotten": s.rot_days,
    })
}

fn pd_field_json(f: &Field) -> Value {
    // A v2 deal field has no `id`: its key is `field_code`.
    let options: Vec<Value> = f
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| json!({ "id": i + 1, "label": o }))
        .collect();
    json!({ "field_name": f.name, "field_code": f.code, "field_type": f.kind, "required_fields": f.required, "is_custom_field": true, "options": if options.is_empty() { Value::Null } else { json!(options) } })
}

fn pd_required(st: &State, r: &Value) -> Result<Value, Resp> {
    for id in r["stage_ids"].as_array().cloned().unwrap_or_default() {
        if !st
            .pipelines
            .iter()
            .any(|p| p.stages.iter().any(|s| Some(s.id) == id.as_i64()))
        {
            return Err(pd_error(
                400,
                &format!("required_fields.stage_ids: stage {id} not found"),
            ));
        }
    }
    if let Some(obj) = r.get("statuses") {
        let Some(obj) = obj.as_object() else {
            return Err(pd_error(400, "required_fields.statuses must be an object"));
        };
        for (k, v) in obj {
            if !st.pipelines.iter().any(|p| p.id.to_string() == *k) {
                return Err(pd_error(
                    400,
                    &format!("required_fields.statuses: pipeline {k} not found"),
                ));
            }
            if !v
                .as_array()
                .is_some_and(|a| a.iter().all(|x| x == "won" || x == "lost"))
            {
                return Err(pd_error(400, "required_fields.statuses: won or lost only"));
            }
        }
    }
    Ok(r.clone())
}

fn pipedrive(st: &mut State, req: &Req) -> Resp {
    if req.header("x-api-token") != Some(TOKEN) {
        return pd_error(401, "unauthorized access");
    }
    let segs: Vec<&str> = req.path.trim_start_matches("/api/v2/").split('/').collect();
    let b = &req.body;
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["pipelines"]) => ok(
            json!({ "success": true, "data": st.pipelines.iter().map(pd_pipeline_json).collect::<Vec<_>>() }),
        ),
        ("POST", ["pipelines"]) => {
            let Some(name) = nonempty(&b["name"]) else {
                return pd_error(400, "name is required");
            };
            let id = st.id();
            let order = st.pipelines.len() as i64 + 1;
            st.pipelines.push(Pipeline {
                id,
                name: name.into(),
                sort: order,
                stages: Vec::new(),
            });
            ok(json!({ "success": true, "data": pd_pipeline_json(st.pipelines.last().unwrap()) }))
        }
        ("GET", ["stages"]) => {
            let pid: Option<i64> = req
                .query
                .split('&')
                .find_map(|kv| kv.strip_prefix("pipeline_id="))
                .and_then(|v| v.parse().ok());
            let data: Vec<Value> = st
                .pipelines
                .iter()
                .filter(|p| pid.is_none_or(|id| id == p.id))
                .flat_map(|p| p.stages.iter().map(move |s| pd_stage_json(p, s)))
                .collect();
            ok(json!({ "success": true, "data": data }))
        }
        ("POST", ["stages"]) => {
            let Some(name) = nonempty(&b["name"]) else {
                return pd_error(400, "name is required");
            };
            let Some(pi) = int(&b["pipeline_id"]).and_then(|id| st.pipelines.iter().position(|p| p.id == id))
            else {
                return pd_error(400, "pipeline_id: pipeline not found");
            };
            let prob = b
                .get("deal_probability")
                .map(|p| p.as_i64().filter(|x| (0..=100).contains(x)));
            if prob == Some(None) {
                return pd_error(400, "deal_probability must be an integer 0..100");
            }
            let rot = b["is_deal_rot_enabled"].as_bool().unwrap_or(false);
            if b.get("days_to_rotten").is_some_and(|d| !d.is_null()) && !rot {
                return pd_error(400, "days_to_rotten needs is_deal_rot_enabled");
            }
            let id = st.id();
            let order = st.pipelines[pi].stages.len() as i64 + 1;
            let stage = Stage {
                id,
                name: name.into(),
                code: String::new(),
                sort: order,
                semantics: String::new(),
                color: None,
                probability: prob.flatten().map(|p| p.to_string()),
                rot_days: if rot { b["days_to_rotten"].as_i64() } else { None },
                descriptions: Vec::new(),
            };
            st.pipelines[pi].stages.push(stage.clone());
            ok(json!({ "success": true, "data": pd_stage_json(&st.pipelines[pi], &stage) }))
        }
        ("GET", [entity @ ("dealFields" | "personFields" | "organizationFields")]) => {
            let of: Vec<Value> = st
                .fields
                .iter()
                .filter(|f| f.entity == *entity)
                .map(pd_field_json)
                .collect();
            ok(json!({ "success": true, "data": of }))
        }
        ("POST", [entity @ ("dealFields" | "personFields" | "organizationFields")]) => {
            let Some(name) = nonempty(&b["field_name"]) else {
                return pd_error(400, "field_name is required");
            };
            let Some(kind) = b["field_type"]
                .as_str()
                .filter(|t| PIPEDRIVE_FIELD_TYPES.contains(t))
            else {
                return pd_error(400, "field_type is not a valid choice");
            };
            let required = match b.get("required_fields") {
                // Person and organization fields are required on every save or not at all.
                Some(r)
                    if *entity != "dealFields"
                        && (r.get("stage_ids").is_some() || r.get("statuses").is_some()) =>
                {
                    return pd_error(400, "required_fields: only `enabled` is allowed for this entity");
                }
                Some(r) => match pd_required(st, r) {
                    Ok(r) => r,
                    Err(e) => return e,
                },
                None => json!({ "enabled": false }),
            };
            let options = match (matches!(kind, "enum" | "set"), b.get("options")) {
                (true, Some(o)) => match list_values(o, "label") {
                    Ok(o) => o,
                    Err(why) => return pd_error(400, &format!("options: {why}")),
                },
                (true, None) => return pd_error(400, "options are required for enum and set fields"),
                (false, Some(_)) => return pd_error(400, "options are allowed for enum and set fields only"),
                (false, None) => Vec::new(),
            };
            let n = st.id();
            let field = Field {
                id: 0,
                code: format!("{n:x}f0c0de{}", n * 7),
                name: name.into(),
                kind: kind.into(),
                required,
                entity: entity.to_string(),
                options,
            };
            let out = pd_field_json(&field);
            st.fields.push(field);
            ok(json!({ "success": true, "data": out }))
        }
        ("PATCH", ["dealFields", code]) => {
            let Some(fi) = st.fields.iter().position(|f| f.code == *code) else {
                return pd_error(404, "field not found");
            };
            if let Some(r) = b.get("required_fields") {
                match pd_required(st, r) {
                    Ok(r) => st.fields[fi].required = r,
                    Err(e) => return e,
                }
            }
            ok(json!({ "success": true, "data": pd_field_json(&st.fields[fi]) }))
        }
        _ => pd_error(404, "no such endpoint"),
    }
}

// ── HubSpot ───────────────────────────────────────────────────────────────────

fn hs_error(code: u16, category: &str, msg: &str) -> Resp {
    status(
        code,
        json!({ "status": "error", "message": msg, "correlationId": "00000000-0000-0000-0000-000000000000", "category": category }),
    )
}

fn hs_pipeline_json(p: &Pipeline) -> Value {
    json!({
        "id": p.id.to_string(), "label": p.name, "displayOrder": p.sort, "archived": false,
        "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
        "stages": p.stages.iter().map(|s| json!({
            "id": s.id.to_string(), "label": s.name, "displayOrder": s.sort, "archived": false,
            "metadata": { "probability": s.probability },
            "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
        })).collect::<Vec<_>>(),
    })
}

fn hubspot(st: &mut State, req: &Req) -> Resp {
    if !bearer(req) {
        return hs_error(
            401,
            "INVALID_AUTHENTICATION",
            "Authentication credentials not found.",
        );
    }
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/crm/v3/pipelines/deals") => {
            ok(json!({ "results": st.pipelines.iter().map(hs_pipeline_json).collect::<Vec<_>>() }))
        }
        ("POST", "/crm/v3/pipelines/deals") => {
            let b = &req.body;
            let (Some(label), Some(order), Some(stages)) = (
                nonempty(&b["label"]),
                int(&b["displayOrder"]),
                b["stages"].as_array(),
            ) else {
                return hs_error(
                    400,
                    "VALIDATION_ERROR",
                    "label, displayOrder and stages are required",
                );
            };
            if st.pipelines.iter().any(|p| p.name == label) {
                return hs_error(409, "CONFLICT", "A pipeline with this label already exists");
            }
            let mut new = Vec::new();
            for s in stages {
                let (Some(l), Some(o)) = (nonempty(&s["label"]), int(&s["displayOrder"])) else {
                    return hs_error(
                        400,
                        "VALIDATION_ERROR",
                        "stage label and displayOrder are required",
                    );
                };
                let Some(p) = s["metadata"]["probability"].as_str() else {
                    return hs_error(
                        400,
                        "VALIDATION_ERROR",
                        "metadata.probability (a string) is required for deal stages",
                    );
                };
                let ok_grid = p.parse::<f64>().is_ok_and(|x| {
                    (0.0..=1.0).contains(&x) && ((x * 10.0) - (x * 10.0).round()).abs() < 1e-9
                });
                if !ok_grid {
                    return hs_error(
                        400,
                        "VALIDATION_ERROR",
                        "probability must be 0.0..1.0 in steps of 0.1",
                    );
                }
                if new.iter().any(|x: &Stage| x.name == l) {
                    return hs_error(400, "VALIDATION_ERROR", "stage labels must be unique");
                }
                new.push(Stage {
                    id: st.id(),
                    name: l.into(),
                    code: String::new(),
                    sort: o,
                    semantics: String::new(),
                    color: None,
                    probability: Some(p.into()),
                    rot_days: None,
                    descriptions: Vec::new(),
                });
            }
            let id = st.id();
            st.pipelines.push(Pipeline {
                id,
                name: label.into(),
                sort: order,
                stages: new,
            });
            status(201, hs_pipeline_json(st.pipelines.last().unwrap()))
        }
        _ => hs_error(404, "OBJECT_NOT_FOUND", "No such endpoint"),
    }
}

// ── Bitrix24 ──────────────────────────────────────────────────────────────────

fn bx_error(code: u16, error: &str, description: &str) -> Resp {
    status(code, json!({ "error": error, "error_description": description }))
}

/// The documented order: every stage in progress below the success stage, below every
/// failure stage.
fn bx_order_ok(p: &Pipeline) -> bool {
    let max_open = p
        .stages
        .iter()
        .filter(|s| s.semantics.is_empty())
        .map(|s| s.sort)
        .max();
    let wins: Vec<i64> = p
        .stages
        .iter()
        .filter(|s| s.semantics == "S")
        .map(|s| s.sort)
        .collect();
    let min_fail = p
        .stages
        .iter()
        .filter(|s| s.semantics == "F")
        .map(|s| s.sort)
        .min();
    wins.iter()
        .all(|w| max_open.is_none_or(|o| o < *w) && min_fail.is_none_or(|f| *w < f))
}

fn bx_stage_json(p: &Pipeline, s: &Stage) -> Value {
    json!({
        "ID": s.id.to_string(), "ENTITY_ID": format!("DEAL_STAGE_{}", p.id), "STATUS_ID": s.code,
        "NAME": s.name, "SORT": s.sort.to_string(), "CATEGORY_ID": p.id.to_string(),
        "COLOR": s.color, "SYSTEM": "N",
        "SEMANTICS": if s.semantics.is_empty() { Value::Null } else { json!(s.semantics) },
    })
}

fn bitrix24(st: &mut State, req: &Req) -> Resp {
    let prefix = format!("/rest/{BITRIX_TOKEN}/");
    let Some(method) = req
        .path
        .strip_prefix(&prefix)
        .and_then(|m| m.strip_suffix(".json"))
    else {
        return bx_error(401, "INVALID_CREDENTIALS", "Invalid request credentials");
    };
    let b = &req.body;
    let category = |st: &State, entity: &Value| -> Option<usize> {
        let id: i64 = entity.as_str()?.strip_prefix("DEAL_STAGE_")?.parse().ok()?;
        st.pipelines.iter().position(|p| p.id == id)
    };
    let find_stage = |st: &State, id: Option<i64>| -> Option<(usize, usize)> {
        let id = id?;
        st.pipelines
            .iter()
            .enumerate()
            .find_map(|(pi, p)| p.stages.iter().position(|s| s.id == id).map(|si| (pi, si)))
    };
    match method {
        "crm.category.list" => {
            let cats: Vec<Value> = st.pipelines.iter().map(|p| json!({ "id": p.id, "name": p.name, "sort": p.sort, "entityTypeId": 2, "isDefault": "N" })).collect();
            ok(json!({ "result": { "categories": cats }, "total": st.pipelines.len() }))
        }
        "crm.category.add" => {
            if b["entityTypeId"] != 2 {
                return bx_error(
                    400,
                    "ENTITY_TYPE_NOT_SUPPORTED",
                    "entityTypeId 2 (deals) expected",
                );
            }
            let Some(name) = nonempty(&b["fields"]["name"]).filter(|n| n.chars().count() <= 255) else {
                return bx_error(400, "ERROR_CORE", "Field 'NAME' is required");
            };
            let id = st.pipelines.len() as i64 + 1;
            let mut stages = Vec::new();
            for (k, (code, nm, sem)) in [
                ("NEW", "Новая", ""),
                ("PREPARATION", "Подготовка документов", ""),
                ("PREPAYMENT_INVOICE", "Счёт на предоплату", ""),
                ("EXECUTING", "В работе", ""),
                ("FINAL_INVOICE", "Финальный счёт", ""),
                ("WON", "Сделка успешна", "S"),
                ("LOSE", "Сделка провалена", "F"),
                ("APOLOGY", "Анализ причины провала", "F"),
            ]
            .into_iter()
            .enumerate()
            {
                stages.push(Stage {
                    id: st.id(),
                    name: nm.into(),
                    code: format!("C{id}:{code}"),
                    sort: (k as i64 + 1) * 10,
                    semantics: sem.into(),
                    color: None,
                    probability: None,
                    rot_days: None,
                    descriptions: Vec::new(),
                });
            }
            st.pipelines.push(Pipeline {
                id,
                name: name.into(),
                sort: int(&b["fields"]["sort"]).unwrap_or(500),
                stages,
            });
            ok(
                json!({ "result": { "category": { "id": id, "name": name, "sort": b["fields"]["sort"], "entityTypeId": 2, "isDefault": "N" } } }),
            )
        }
        "crm.status.list" => {
            let Some(pi) = category(st, &b["filter"]["ENTITY_ID"]) else {
                return ok(json!({ "result": [], "total": 0 }));
            };
            let p = &st.pipelines[pi];
            let mut list: Vec<&Stage> = p.stages.iter().collect();
            list.sort_by_key(|s| s.sort);
            ok(
                json!({ "result": list.iter().map(|s| bx_stage_json(p, s)).collect::<Vec<_>>(), "total": list.len() }),
            )
        }
        "crm.status.add" => {
            let f = &b["fields"];
            let Some(pi) = category(st, &f["ENTITY_ID"]) else {
                return bx_error(
                    400,
                    "ERROR_CORE",
                    "ENTITY_ID is not a deal funnel's stage directory",
                );
            };
            let Some(code) = nonempty(&f["STATUS_ID"]).filter(|c| {
                c.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            }) else {
                return bx_error(
                    400,
                    "ERROR_CORE",
                    "STATUS_ID: Latin letters, digits, - and _ only",
                );
            };
            let Some(name) = nonempty(&f["NAME"]) else {
                return bx_error(400, "ERROR_CORE", "Field 'NAME' is required");
            };
            let pid = st.pipelines[pi].id;
            let full = format!("C{pid}:{code}");
            if full.len() > 22 {
                return bx_error(400, "ERROR_CORE", "STATUS_ID is too long");
            }
            if st.pipelines[pi].stages.iter().any(|s| s.code == full) {
                return bx_error(400, "ERROR_CORE", "A stage with this STATUS_ID already exists");
            }
            let sem = f["SEMANTICS"].as_str().unwrap_or("").to_string();
            if !["", "S", "F"].contains(&sem.as_str()) {
                return bx_error(400, "ERROR_CORE", "SEMANTICS: S, F or empty");
            }
            let id = st.id();
            let stage = Stage {
                id,
                name: name.into(),
                code: full,
                sort: int(&f["SORT"]).unwrap_or(10),
                semantics: sem,
                color: f["COLOR"].as_str().map(str::to_string),
                probability: None,
                rot_days: None,
                descriptions: Vec::new(),
            };
            let mut p = st.pipelines[pi].clone();
            p.stages.push(stage);
            if p.stages.iter().filter(|s| s.semantics == "S").count() > 1 || !bx_order_ok(&p) {
                return bx_error(
                    400,
                    "ERROR_CORE",
                    "Cannot create more stages after the final stage because the final successful stage already exists",
                );
            }
            st.pipelines[pi] = p;
            ok(json!({ "result": id }))
        }
        "crm.status.update" => {
            let Some((pi, si)) = find_stage(st, int(&b["id"])) else {
                return bx_error(400, "ERROR_CORE", "Not found");
            };
            let f = &b["fields"];
            if let Some(k) = f.as_object().and_then(|o| {
                o.keys()
                    .find(|k| !["NAME", "SORT", "COLOR"].contains(&k.as_str()))
            }) {
                return bx_error(400, "ERROR_CORE", &format!("Field {k} cannot be updated"));
            }
            let mut p = st.pipelines[pi].clone();
            if let Some(n) = nonempty(&f["NAME"]) {
                p.stages[si].name = n.into();
            }
            if let Some(s) = int(&f["SORT"]) {
                p.stages[si].sort = s;
            }
            if !bx_order_ok(&p) {
                return bx_error(
                    400,
                    "ERROR_CORE",
                    "The stage order must be: in progress, success, failure",
                );
            }
            st.pipelines[pi] = p;
            ok(json!({ "result": true }))
        }
        "crm.status.delete" => {
            let Some((pi, si)) = find_stage(st, int(&b["id"])) else {
                return bx_error(400, "ERROR_CORE", "Not found");
            };
            if b["params"]["FORCED"] != "Y" {
                return bx_error(400, "ERROR_CORE", "System stages are deleted with FORCED=Y only");
            }
            st.pipelines[pi].stages.remove(si);
            ok(json!({ "result": true }))
        }
        _ => bx_error(404, "ERROR_METHOD_NOT_FOUND", "Method not found"),
    }
}
