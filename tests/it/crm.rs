//! `voronka crm`: every request body of every shipped example validates against the CRM's
//! schema (copies in `tests/fixtures/crm-schemas/`, see SOURCE.md there) and the cross-field
//! rules the schemas cannot express; the README's checklist covers every rule of the model the
//! API cannot create; each CRM limit stops the command before anything is written; the YAML
//! dump quotes YAML's special words; outputs are byte-identical across runs; the apply
//! scripts parse with `sh -n` and run end to end, twice, against a local stand-in of each
//! CRM's API (`crm_stand_in`); snapshots of every example.

use crate::common;
use crate::crm_stand_in;

use common::{examples, voronka};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use voronka::crm::{self, CrmOptions, CrmOutput, Request, Target};
use voronka::diag::Lang;
use voronka::model::{Destination, Model, TransitionKind};

fn model(path: &Path) -> Model {
    let compiled = voronka::compile(path);
    assert!(
        !compiled.has_errors(),
        "{}: {:?}",
        path.display(),
        compiled.diagnostics
    );
    compiled.model.expect("model")
}

fn render(model: &Model, lang: Lang, script: bool) -> Vec<CrmOutput> {
    let setup = crm::setup(model, lang);
    let diags = crm::check(model, &setup, &Target::ALL, &voronka::Options::default());
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
    let options = CrmOptions {
        targets: Target::ALL.to_vec(),
        lang,
        script,
    };
    crm::render(model, &setup, &diags, &options).unwrap_or_else(|e| panic!("{e:?}"))
}

// ── Schemas ───────────────────────────────────────────────────────────────────

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/crm-schemas")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("schema is JSON")
}

/// A validator for one `$defs` entry of a derived schema.
fn def(doc: &Value, name: &str) -> jsonschema::Validator {
    let mut schema = doc.clone();
    let obj = schema.as_object_mut().expect("schema object");
    obj.remove("oneOf");
    obj.insert("$ref".into(), Value::String(format!("#/$defs/{name}")));
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema {name}: {e}"))
}

/// A validator for one component schema of the HubSpot OpenAPI file.
fn component(doc: &Value, name: &str) -> jsonschema::Validator {
    let schema = serde_json::json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"].clone(),
    });
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("component {name}: {e}"))
}

struct Schemas {
    amo_root: jsonschema::Validator,
    amo_status_update: jsonschema::Validator,
    amo_required_status: jsonschema::Validator,
    bitrix: Vec<(&'static str, jsonschema::Validator)>,
    hubspot: jsonschema::Validator,
    pipedrive: Vec<(&'static str, jsonschema::Validator)>,
}

impl Schemas {
    fn load() -> Schemas {
        let amo = fixture("amocrm-pipelines-v4.schema.json");
        let bitrix = fixture("bitrix24-crm-funnels.schema.json");
        let hubspot = fixture("hubspot-pipelines-v3.openapi.json");
        let pipedrive = fixture("pipedrive-v2-pipelines-stages.schema.json");
        Schemas {
            amo_root: jsonschema::validator_for(&amo).expect("amoCRM schema"),
            amo_status_update: def(&amo, "StatusUpdate"),
            amo_required_status: def(&amo, "RequiredStatus"),
            bitrix: ["CategoryAdd", "StatusAdd", "StatusUpdate", "StatusDelete"]
                .into_iter()
                .map(|n| (n, def(&bitrix, n)))
                .collect(),
            hubspot: component(&hubspot, "PipelineInput"),
            pipedrive: ["AddPipelineRequest", "AddStageRequest", "DealFieldRequiredFields"]
                .into_iter()
                .map(|n| (n, def(&pipedrive, n)))
                .collect(),
        }
    }

    /// Every schema violation of `body` (empty when valid).
    fn errors(&self, target: Target, req: &Request) -> Vec<String> {
        let check = |v: &jsonschema::Validator, instance: &Value| -> Vec<String> {
            v.iter_errors(instance)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect()
        };
        let named = |list: &[(&str, jsonschema::Validator)], name: &str| -> usize {
            list.iter()
                .position(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("no schema {name}"))
        };
        let schema = req.schema.unwrap_or_else(|| {
            // Only lookups (a GET, or Bitrix24's read-only listings) have no request schema.
            assert!(
                req.method == "GET" || req.path.ends_with(".list"),
                "{} has no schema",
                req.file
            );
            ""
        });
        match (target, schema) {
            (_, "") => Vec::new(),
            (Target::Amocrm, "PipelineCreate[]" | "StatusCreate[]") => check(&self.amo_root, &req.body),
            (Target::Amocrm, "StatusUpdate") => check(&self.amo_status_update, &req.body),
            (Target::Amocrm, "custom_fields") => {
                let mut out = Vec::new();
                for field in req.body.as_array().expect("array of fields") {
                    assert!(
                        field["name"].as_str().is_some_and(|n| !n.is_empty())
                            || field["id"].is_i64() && req.method == "PATCH"
                    );
                    for rs in field["required_statuses"].as_array().expect("required_statuses") {
                        out.extend(check(&self.amo_required_status, rs));
                    }
                }
                out
            }
            (Target::Bitrix24, name) => check(&self.bitrix[named(&self.bitrix, name)].1, &req.body),
            (Target::Hubspot, "PipelineInput") => check(&self.hubspot, &req.body),
            (Target::Pipedrive, "dealFields") => {
                let i = named(&self.pipedrive, "DealFieldRequiredFields");
                check(&self.pipedrive[i].1, &req.body["required_fields"])
            }
            (Target::Pipedrive, name) => check(&self.pipedrive[named(&self.pipedrive, name)].1, &req.body),
            (t, s) => panic!("{t:?}: unexpected schema {s}"),
        }
    }
}

/// CRC-32 (IEEE, as zlib computes it): enough to see a copy that drifted.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The schema copies are the ones recorded in `CHECKSUMS` (in every checkout: an edited copy
/// fails here), and, in a checkout next to `../shared`, byte-for-byte the team's reference.
#[test]
fn schema_copies_match_the_shared_reference() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926, "the CRC-32 check value");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/schemas");
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crm-schemas");
    let mut names: Vec<String> = std::fs::read_dir(&ours)
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    let list = std::fs::read_to_string(ours.join("CHECKSUMS")).expect("CHECKSUMS");
    let mut listed = Vec::new();
    for line in list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [crc, size, name] = fields[..] else {
            panic!("CHECKSUMS: a line is `crc32 size name`: {line}");
        };
        let bytes = std::fs::read(ours.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            bytes.len().to_string(),
            size,
            "{name}: size differs from CHECKSUMS"
        );
        assert_eq!(
            format!("{:08x}", crc32(&bytes)),
            crc,
            "{name} differs from the copy recorded in CHECKSUMS"
        );
        listed.push(name.to_string());
    }
    listed.sort();
    assert_eq!(listed, names, "CHECKSUMS lists every schema copy, and only them");
    if !shared.is_dir() {
        return; // A checkout without ../shared: CHECKSUMS is the reference.
    }
    for name in names {
        let a = std::fs::read(ours.join(&name)).unwrap();
        let b = std::fs::read(shared.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(a == b, "{name} differs from ../shared/reference/schemas");
    }
}

#[test]
fn the_validators_reject_what_the_crms_reject() {
    let s = Schemas::load();
    let bad_colour = Request::new(
        "x".into(),
        "POST",
        "/",
        serde_json::json!([{ "name": "P", "sort": 1, "is_main": false, "is_unsorted_on": true,
            "_embedded": { "statuses": [{ "name": "A", "sort": 10, "color": "#99ccff" }] } }]),
        String::new(),
    )
    .schema("PipelineCreate[]");
    assert!(!s.errors(Target::Amocrm, &bad_colour).is_empty());
    let no_metadata = Request::new(
        "x".into(),
        "POST",
        "/",
        serde_json::json!({ "label": "P", "displayOrder": 1, "stages": [{ "label": "A", "displayOrder": 0 }] }),
        String::new(),
    )
    .schema("PipelineInput");
    assert!(!s.errors(Target::Hubspot, &no_metadata).is_empty());
}

#[test]
fn every_body_of_every_example_validates_against_the_schemas() {
    let schemas = Schemas::load();
    let mut checked = 0;
    for path in examples() {
        let model = model(&path);
        for out in render(&model, Lang::Ru, false) {
            for (dir, req) in &out.requests {
                let errors = schemas.errors(out.target, req);
                assert!(
                    errors.is_empty(),
                    "{} {:?} {dir}/{}:\n{}\n{}",
                    path.display(),
                    out.target,
                    req.file,
                    errors.join("\n"),
                    crm::pretty(&req.body)
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} bodies");
}

// ── Rules the schemas cannot express ─────────────────────────────────────────

fn requests_of(out: &CrmOutput) -> Vec<Vec<&Request>> {
    let mut dirs: Vec<&String> = out
        .requests
        .iter()
        .map(|(d, _)| d)
        .filter(|d| !d.ends_with("-поля") && !d.ends_with("-fields"))
        .collect();
    dirs.dedup();
    dirs.iter()
        .map(|d| {
            out.requests
                .iter()
                .filter(|(x, _)| x == *d)
                .map(|(_, r)| r)
                .collect()
        })
        .collect()
}

#[test]
fn cross_field_rules_hold_for_every_example() {
    for path in examples() {
        let model = model(&path);
        let outputs = render(&model, Lang::Ru, false);
        for out in &outputs {
            let per_pipeline = requests_of(out);
            assert_eq!(per_pipeline.len(), model.pipelines.len());
            for (p, reqs) in model.pipelines.iter().zip(&per_pipeline) {
                let ctx = format!("{} {:?} {}", path.display(), out.target, p.name);
                match out.target {
                    Target::Amocrm => amo_rules(p, reqs, &ctx),
                    Target::Bitrix24 => bitrix_rules(p, reqs, &ctx),
                    Target::Hubspot => hubspot_rules(p, reqs, &ctx),
                    Target::Pipedrive => pipedrive_rules(p, reqs, model.header.work_week_days, &ctx),
                }
            }
        }
    }
}

fn amo_rules(p: &voronka::model::Pipeline, reqs: &[&Request], ctx: &str) {
    let create = reqs
        .iter()
        .find(|r| r.method == "POST" && r.path == "/api/v4/leads/pipelines")
        .expect("pipeline creation");
    let statuses = create.body[0]["_embedded"]["statuses"]
        .as_array()
        .expect("statuses");
    let ids: Vec<i64> = statuses.iter().filter_map(|s| s["id"].as_i64()).collect();
    assert_eq!(ids, [142, 143], "{ctx}: won and lost renamed at creation");
    let stages: Vec<&Value> = statuses.iter().filter(|s| s.get("id").is_none()).collect();
    assert_eq!(stages.len(), p.stages.len(), "{ctx}");
    let sorts: Vec<i64> = stages.iter().map(|s| s["sort"].as_i64().unwrap()).collect();
    assert!(sorts.windows(2).all(|w| w[0] < w[1]), "{ctx}: {sorts:?}");
    for s in &stages {
        let levels: Vec<&str> = s["descriptions"]
            .as_array()
            .map(|d| d.iter().map(|x| x["level"].as_str().unwrap()).collect())
            .unwrap_or_default();
        let unique: BTreeSet<&&str> = levels.iter().collect();
        assert_eq!(unique.len(), levels.len(), "{ctx}: one description per level");
    }
    assert!(stages.len() + 3 <= 100, "{ctx}");
}

fn bitrix_rules(p: &voronka::model::Pipeline, reqs: &[&Request], ctx: &str) {
    let adds: Vec<&Value> = reqs
        .iter()
        .filter(|r| r.path == "crm.status.add")
        .map(|r| &r.body["fields"])
        .collect();
    let sort_of = |sem: &str| -> Vec<i64> {
        adds.iter()
            .filter(|f| f["SEMANTICS"] == sem)
            .map(|f| f["SORT"].as_i64().unwrap())
            .collect()
    };
    let (open, won, lost) = (sort_of(""), sort_of("S"), sort_of("F"));
    assert_eq!(open.len(), p.stages.len(), "{ctx}");
    assert_eq!(
        (won.len(), lost.len()),
        (1, 1),
        "{ctx}: one success and one failure stage"
    );
    let updates: Vec<i64> = reqs
        .iter()
        .filter(|r| r.path == "crm.status.update")
        .map(|r| r.body["fields"]["SORT"].as_i64().unwrap())
        .collect();
    assert_eq!(
        updates,
        [lost[0], won[0]],
        "{ctx}: the failure stage moves up before the success stage does"
    );
    assert!(open.windows(2).all(|w| w[0] < w[1]), "{ctx}: {open:?}");
    assert!(
        open.iter().all(|s| *s < won[0]) && won[0] < lost[0],
        "{ctx}: in progress → won → lost"
    );
    let ids: BTreeSet<&str> = adds.iter().map(|f| f["STATUS_ID"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), adds.len(), "{ctx}: STATUS_ID unique in the funnel");
    assert!(ids.iter().all(|id| id.len() + 3 <= 22), "{ctx}: {ids:?}");
    assert_eq!(reqs[0].path, "crm.category.list", "{ctx}: lookup first");
    assert_eq!(reqs[1].path, "crm.category.add");
    // The defaults go before anything moves, so SORT stays valid after every request.
    let position = |path: &str| reqs.iter().position(|r| r.path == path).unwrap();
    assert!(
        position("crm.status.delete") < position("crm.status.update"),
        "{ctx}"
    );
    assert!(
        position("crm.status.update") < position("crm.status.add"),
        "{ctx}"
    );
}

fn hubspot_rules(p: &voronka::model::Pipeline, reqs: &[&Request], ctx: &str) {
    assert_eq!(reqs.len(), 2, "{ctx}: lookup and creation");
    let stages = reqs[1].body["stages"].as_array().unwrap();
    assert_eq!(stages.len(), p.stages.len() + 2, "{ctx}");
    let labels: BTreeSet<&str> = stages.iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert_eq!(labels.len(), stages.len(), "{ctx}: labels unique in the pipeline");
    for (i, s) in stages.iter().enumerate() {
        assert_eq!(s["displayOrder"].as_u64(), Some(i as u64), "{ctx}");
        let text = s["metadata"]["probability"]
            .as_str()
            .expect("probability as a string");
        let x: f64 = text.parse().unwrap();
        assert!(
            ((x * 10.0) - (x * 10.0).round()).abs() < 1e-9,
            "{ctx}: {text} not a step of 0.1"
        );
        let expected = match i {
            i if i == stages.len() - 2 => Some(1.0),
            i if i == stages.len() - 1 => Some(0.0),
            _ => None,
        };
        match expected {
            Some(e) => assert_eq!(x, e, "{ctx}: closing stage"),
            None => assert!((0.1..=0.9).contains(&x), "{ctx}: open stage {x}"),
        }
    }
}

fn pipedrive_rules(p: &voronka::model::Pipeline, reqs: &[&Request], week: f64, ctx: &str) {
    let stages: Vec<&&Request> = reqs.iter().filter(|r| r.path == "/api/v2/stages").collect();
    assert_eq!(
        stages.len(),
        p.stages.len(),
        "{ctx}: won and lost are statuses, not stages"
    );
    for (s, r) in p.stages.iter().zip(&stages) {
        let label = s.title.as_deref().unwrap_or(&s.name);
        assert_eq!(r.body["name"], label, "{ctx}: stages created in order");
        assert_eq!(r.body["is_deal_rot_enabled"], s.limit_days.is_some(), "{ctx}");
        // Pipedrive counts calendar days; the model's limit is in working days.
        match s.limit_days.map(|d| d * 7.0 / week) {
            Some(d) => assert_eq!(r.body["days_to_rotten"].as_f64(), Some(d.ceil().max(1.0))),
            None => assert!(r.body.get("days_to_rotten").is_none()),
        }
        if let Some(prob) = s.deal_probability {
            assert_eq!(r.body["deal_probability"].as_f64(), Some((prob * 100.0).round()));
        }
    }
}

// ── The manual checklist ─────────────────────────────────────────────────────

/// The numbered items under each `#### Этап N.` heading of a pipeline's section, in order.
fn checklists(readme: &str) -> Vec<Vec<Vec<String>>> {
    let mut pipelines: Vec<Vec<Vec<String>>> = Vec::new();
    for line in readme.lines() {
        if line.starts_with("## Воронка ") || line.starts_with("## Pipeline ") {
            pipelines.push(Vec::new());
        } else if line.starts_with("#### ") {
            pipelines.last_mut().expect("a pipeline").push(Vec::new());
        } else if let Some((n, text)) = line.split_once(". ")
            && n.parse::<usize>().is_ok()
            && let Some(stage) = pipelines.last_mut().and_then(|p| p.last_mut())
        {
            assert_eq!(
                n.parse::<usize>().unwrap(),
                stage.len() + 1,
                "numbered from 1: {line}"
            );
            stage.push(text.to_string());
        }
    }
    pipelines
}

fn has(items: &[String], parts: &[&str]) -> bool {
    items.iter().any(|i| parts.iter().all(|p| i.contains(p)))
}

/// Every rule of the model that no API creates appears in the README's checklist of its
/// stage, for every CRM: the expectations come from the model, not from the renderer.
#[test]
fn every_rule_the_apis_cannot_create_is_in_the_readme() {
    for path in examples() {
        let model = model(&path);
        for out in render(&model, Lang::Ru, false) {
            let readme = out
                .files
                .iter()
                .find(|f| f.name == "README.md")
                .expect("README")
                .text();
            let lists = checklists(&readme);
            assert_eq!(lists.len(), model.pipelines.len());
            for (p, stages) in model.pipelines.iter().zip(&lists) {
                assert_eq!(stages.len(), p.stages.len());
                for (si, (s, items)) in p.stages.iter().zip(stages).enumerate() {
                    let ctx = format!(
                        "{} {:?} {}.{}: {items:#?}",
                        path.display(),
                        out.target,
                        p.name,
                        s.name
                    );
                    for c in &s.chain {
                        let title = c.title.as_deref().unwrap_or("");
                        assert!(has(items, &["Задача", title]), "task {title}: {ctx}");
                        if let Some(n) = c.attempts {
                            assert!(
                                has(items, &[&format!("После {n} безуспешных попыток"), title]),
                                "attempts: {ctx}"
                            );
                        }
                    }
                    if s.wait_limit_days.is_some() {
                        assert!(has(items, &["Срок первого контакта"]), "go-cold: {ctx}");
                    }
                    if s.limit_days.is_some() {
                        assert!(has(items, &["Лимит этапа"]), "limit: {ctx}");
                    }
                    let successes: Vec<_> = s
                        .transitions
                        .iter()
                        .filter(|t| t.kind == TransitionKind::Success)
                        .collect();
                    if successes.len() > 1 {
                        let n = items.iter().filter(|i| i.starts_with("Ветка")).count();
                        assert_eq!(n, successes.len(), "branches: {ctx}");
                    }
                    for t in &s.transitions {
                        let Destination::Stage { pipeline, stage } = &t.to else {
                            continue;
                        };
                        let next = p.stages.get(si + 1).map(|n| n.name.as_str());
                        if *pipeline == p.name && Some(stage.as_str()) == next {
                            continue;
                        }
                        let target = model.pipeline(pipeline).expect("pipeline");
                        let shown = if *pipeline == p.name {
                            let st = target.stages.iter().find(|x| &x.name == stage).unwrap();
                            st.title.clone().unwrap_or(st.name.clone())
                        } else {
                            target.title.clone().unwrap_or(target.name.clone())
                        };
                        assert!(has(items, &[&shown]), "hand-off to {pipeline}.{stage}: {ctx}");
                    }
                    for t in s.transitions.iter().filter(|t| t.kind == TransitionKind::Failure) {
                        if let Destination::Lost { reason: Some(code) } = &t.to {
                            let label = model
                                .loss_reasons
                                .iter()
                                .find(|r| &r.code == code)
                                .and_then(|r| r.label.clone())
                                .unwrap_or(code.clone());
                            assert!(has(items, &[&label]), "loss reason {code}: {ctx}");
                        }
                    }
                    for f in &s.required_fields {
                        assert!(has(items, &[&format!("«{f}»")]), "required field {f}: {ctx}");
                    }
                    if (s.guidance.is_some() || !s.chain.is_empty()) && out.target != Target::Amocrm {
                        assert!(has(items, &["Инструкция этапа"]), "guidance: {ctx}");
                    }
                }
            }
        }
    }
}

// ── Snapshots, YAML, determinism ─────────────────────────────────────────────

fn joined(out: &CrmOutput) -> String {
    let mut text = String::new();
    for f in &out.files {
        text.push_str(&format!("===== {} =====\n{}", f.name, f.text()));
    }
    text
}

#[test]
fn snapshots_of_every_example() {
    for path in examples() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let model = model(&path);
        for out in render(&model, Lang::Ru, true) {
            crate::assert_snapshot!(format!("{name}-{}", out.target.id()), joined(&out));
        }
        let yaml = crm::to_yaml(&crm::setup(&model, Lang::Ru)).unwrap();
        crate::assert_snapshot!(format!("{name}-stages-yaml"), yaml);
    }
}

#[test]
fn english_output_for_the_english_example() {
    let model = model(Path::new("examples/saas_en.sales"));
    for out in render(&model, Lang::En, true) {
        let readme = out.files.iter().find(|f| f.name == "README.md").unwrap().text();
        assert!(readme.contains("## Pipeline 1."), "{readme}");
        assert!(!readme.contains("Воронка"), "{readme}");
    }
}

/// Mirror of the YAML dump; unknown fields are refused so the contract stays written down.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct YamlSetup {
    pipelines: Vec<YamlPipeline>,
    #[serde(default)]
    triggers: Vec<YamlTrigger>,
}

/// `триггер`: the automation each CRM's README lists (`crm::triggers`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct YamlTrigger {
    title: String,
    event: YamlTriggerEvent,
    actions: Vec<YamlTriggerAction>,
    responsible: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(tag = "on", rename_all = "snake_case", deny_unknown_fields)]
#[allow(dead_code)]
enum YamlTriggerEvent {
    Enter {
        pipeline: String,
        stage: String,
    },
    Exit {
        pipeline: String,
        stage: String,
        /// `выход Этап отказ|успех`: the outcome and where such deals go.
        #[serde(default)]
        outcome: Option<String>,
        #[serde(default)]
        only_to: Vec<String>,
    },
    Stay {
        pipeline: String,
        stage: String,
        days: f64,
        calendar_days: f64,
    },
    Field {
        field: String,
        before_days: f64,
    },
    Kpi {
        kpi: String,
        colour: String,
    },
    Idle {
        pipeline: Option<String>,
        quiet: String,
        after: String,
        calendar_days: f64,
    },
    Every {
        pipeline: Option<String>,
        every: String,
        calendar_days: f64,
        segment: Option<String>,
    },
}

#[derive(serde::Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
#[allow(dead_code)]
enum YamlTriggerAction {
    Task { text: String, email: bool },
    Meeting { title: String },
    Notify { roles: Vec<String> },
    Transfer { pipeline: String },
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct YamlPipeline {
    name: String,
    label: String,
    order: usize,
    kind: String,
    entry: Option<String>,
    exit: Option<String>,
    stages: Vec<YamlStage>,
    won: YamlClosing,
    lost: YamlClosing,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct YamlClosing {
    label: String,
    probability: f64,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct YamlExit {
    /// `stage` or `won`.
    to: String,
    pipeline: usize,
    stage: Option<usize>,
    label: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct YamlStage {
    name: String,
    label: String,
    order: usize,
    code: String,
    probability: f64,
    probability_from: String,
    model_probability: f64,
    colour: Option<String>,
    required_fields: Vec<String>,
    required_on: Vec<YamlExit>,
    limit_days: Option<f64>,
    limit_calendar_days: Option<f64>,
    entry_criterion: Option<String>,
    exit_criterion: Option<String>,
    guidance: Option<String>,
    description: Option<String>,
    automation: Vec<YamlRule>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct YamlRule {
    kind: String,
    text: String,
}

const BASE: &str = include_str!("../diagnostics/crm/_base.sales");

/// The shared base with the pipeline `Продажа` given as stages (`этап …` blocks).
fn with_stages(stages: &str) -> String {
    format!(
        "{BASE}\nворонка Продажа {{\n  вид продажа; выход \"Оплата поступила на счёт\"; чек 100 000 ₽\n{stages}}}\n"
    )
}

fn stage(name: &str, extra: &str) -> String {
    format!(
        "  этап {name} {{ ответственный Менеджер; конверсия 90%; длительность 1 дн; цепочка {{ звонок \"Звонок\" 5 мин }}; критерий_выхода \"Готово\"; {extra} }}\n"
    )
}

#[test]
fn yaml_quotes_words_yaml_would_read_as_booleans_or_null() {
    let words = ["no", "on", "yes", "y", "off", "null", "true", "N", "Off"];
    let stages: String = words.iter().map(|w| stage(w, "")).collect();
    let text = with_stages(&stages);
    let compiled = voronka::compile_str(Path::new("tests/diagnostics/crm/yaml.sales"), &text);
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    let model = compiled.model.unwrap();
    let yaml = crm::to_yaml(&crm::setup(&model, Lang::Ru)).unwrap();
    let back: YamlSetup = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let names: Vec<&str> = back.pipelines[0].stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, words);
    for w in words {
        assert!(
            yaml.contains(&format!("name: \"{w}\"")) || yaml.contains(&format!("name: '{w}'")),
            "`{w}` not quoted:\n{yaml}"
        );
    }
    // Other YAML readers see strings too: `~` and numbers-looking names stay strings.
    assert!(!yaml.contains("name: no\n"));
}

#[test]
fn yaml_dump_of_every_example_reads_back_into_the_mirror() {
    for path in examples() {
        let model = model(&path);
        let yaml = crm::to_yaml(&crm::setup(&model, Lang::Ru)).unwrap();
        let back: YamlSetup =
            serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(back.pipelines.len(), model.pipelines.len());
        assert_eq!(back.triggers.len(), model.triggers.len(), "{}", path.display());
        for (b, p) in back.pipelines.iter().zip(&model.pipelines) {
            assert_eq!(b.stages.len(), p.stages.len());
            assert_eq!((b.won.probability, b.lost.probability), (1.0, 0.0));
        }
    }
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn two_runs_write_byte_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        let o = voronka(&[
            "crm",
            "examples/manufacturer.sales",
            "--out",
            dir.to_str().unwrap(),
            "--emit-script",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 20);
    assert!(ta == tb, "outputs differ between runs");
}

// ── The command line ──────────────────────────────────────────────────────────

#[test]
fn crm_command_writes_one_target_flat_and_all_nested() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let o = voronka(&[
        "crm",
        "examples/agency.sales",
        "--target",
        "hubspot",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(one.join("README.md").is_file());
    assert!(one.join("01-Продажа/02-pipeline.json").is_file());
    assert!(
        !one.join("01-Продажа/01-pipelines.json").exists(),
        "a lookup has no body file"
    );
    assert!(!one.join("apply.sh").exists(), "no script without --emit-script");

    let all = tmp.path().join("all");
    let o = voronka(&[
        "crm",
        "examples/agency.sales",
        "--out",
        all.to_str().unwrap(),
        "--emit-script",
    ]);
    assert_eq!(o.status.code(), Some(0));
    for t in Target::ALL {
        assert!(all.join(t.id()).join("README.md").is_file(), "{t:?}");
        assert!(all.join(t.id()).join("apply.sh").is_file(), "{t:?}");
    }
    // The agency writes palette colours only: nothing to warn about.
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("W0022"), "{err}");
    // The SaaS example does not: the warning names the file, line, column and the colour chosen.
    let saas = tmp.path().join("saas");
    let o = voronka(&["crm", "examples/saas_en.sales", "--out", saas.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("W0022") && err.contains("saas_en.sales:76:5") && err.contains("#98cbff"),
        "{err}"
    );

    let o = voronka(&["crm", "examples/agency.sales", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("pipelines:"));

    let o = voronka(&["crm", "examples/agency.sales", "--target", "pipedrive"]);
    let list: Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout without --out");
    assert_eq!(list[0]["path"], "/api/v2/pipelines?limit=500");

    let o = voronka(&["crm", "examples/agency.sales", "--emit-script"]);
    assert_eq!(o.status.code(), Some(2), "--emit-script needs --out");
    let o = voronka(&["crm", "no-such-file.sales"]);
    assert_eq!(o.status.code(), Some(3));
}

// ── CRM limits: errors before anything is written ────────────────────────────

/// Writes `text` to a file, runs `voronka crm` on it for `target`, and returns the output and
/// whether the output folder exists afterwards.
fn run_crm(text: &str, target: &str) -> (Output, bool) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("limits.sales");
    std::fs::write(&file, text).unwrap();
    let out = tmp.path().join("out");
    let o = voronka(&[
        "crm",
        file.to_str().unwrap(),
        "--target",
        target,
        "--out",
        out.to_str().unwrap(),
    ]);
    let exists = out.exists();
    (o, exists)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn amocrm_pipeline_limit_is_an_error_before_writing() {
    let mut text = with_stages(&stage("Квалификация", ""));
    for i in 1..=50 {
        text.push_str(&format!(
            "канал К{i} {{ лиды 1 в мес; воронка В{i}; команда Менеджер }}\nворонка В{i} {{ вид продажа; выход \"Оплата\"\n{}}}\n",
            stage("Этап", "")
        ));
    }
    let (o, exists) = run_crm(&text, "amocrm");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("E0042") && stderr(&o).contains("51"),
        "{}",
        stderr(&o)
    );
    assert!(!exists, "nothing written");
    // The same model fits Pipedrive, which documents no limit.
    let (o, exists) = run_crm(&text, "pipedrive");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(exists);
}

#[test]
fn amocrm_status_limit_counts_the_system_statuses() {
    let fits: String = (1..=97).map(|i| stage(&format!("Э{i}"), "")).collect();
    let (o, _) = run_crm(&with_stages(&fits), "amocrm");
    assert_eq!(
        o.status.code(),
        Some(0),
        "97 stages + 3 system = 100: {}",
        stderr(&o)
    );
    let over: String = (1..=98).map(|i| stage(&format!("Э{i}"), "")).collect();
    let (o, exists) = run_crm(&with_stages(&over), "amocrm");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("E0042") && stderr(&o).contains("101"),
        "{}",
        stderr(&o)
    );
    assert!(!exists);
}

#[test]
fn amocrm_description_limit() {
    let long = "Позвоните клиенту. ".repeat(60);
    let (o, exists) = run_crm(
        &with_stages(&stage("Звонок", &format!("инструкция \"{long}\""))),
        "amocrm",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("E0042") && stderr(&o).contains("1000"),
        "{}",
        stderr(&o)
    );
    assert!(!exists);
}

#[test]
fn bitrix24_funnel_name_and_stage_code_limits() {
    let name = "Н".repeat(256);
    let text = with_stages(&stage("Звонок", "")).replacen(
        "воронка Продажа {",
        &format!("воронка Продажа \"{name}\" {{"),
        1,
    );
    let (o, exists) = run_crm(&text, "bitrix24");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("255") && !exists, "{}", stderr(&o));

    let (o, _) = run_crm(
        &with_stages(&stage("Звонок", "код ABCDEFGHIJKLMNOPQRS")),
        "bitrix24",
    );
    assert_eq!(o.status.code(), Some(0), "19 + `C1:` = 22 fits: {}", stderr(&o));
    let (o, exists) = run_crm(
        &with_stages(&stage("Звонок", "код ABCDEFGHIJKLMNOPQRST")),
        "bitrix24",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("E0042") && stderr(&o).contains("23") && !exists,
        "{}",
        stderr(&o)
    );
}

#[test]
fn hubspot_limits_of_the_old_api_are_warnings() {
    let label = "Л".repeat(37);
    let text = with_stages(&stage("Звонок", "")).replacen(
        "воронка Продажа {",
        &format!("воронка Продажа \"{label}\" {{"),
        1,
    );
    let (o, exists) = run_crm(&text, "hubspot");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("W0023") && exists, "{}", stderr(&o));
    let many: String = (1..=99).map(|i| stage(&format!("Э{i}"), "")).collect();
    let (o, _) = run_crm(&with_stages(&many), "hubspot");
    assert!(
        stderr(&o).contains("W0023") && stderr(&o).contains("101"),
        "{}",
        stderr(&o)
    );
    // `-D W0023` makes it an error: nothing is written.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("l.sales");
    std::fs::write(&file, &text).unwrap();
    let out = tmp.path().join("out");
    let o = voronka(&[
        "crm",
        file.to_str().unwrap(),
        "--target",
        "hubspot",
        "--out",
        out.to_str().unwrap(),
        "-D",
        "W0023",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
}

// ── Apply scripts ─────────────────────────────────────────────────────────────

#[test]
fn every_script_parses_with_sh_n() {
    let tmp = tempfile::tempdir().unwrap();
    for path in examples() {
        let dir = tmp.path().join(path.file_stem().unwrap());
        let o = voronka(&[
            "crm",
            path.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
            "--emit-script",
        ]);
        assert_eq!(o.status.code(), Some(0));
        for t in Target::ALL {
            let script = dir.join(t.id()).join("apply.sh");
            let o = Command::new("sh").arg("-n").arg(&script).output().expect("sh");
            assert!(o.status.success(), "{}: {}", script.display(), stderr(&o));
            let text = std::fs::read_to_string(&script).unwrap();
            assert!(text.starts_with("#!/bin/sh\n") && text.contains("set -eu\n"));
        }
    }
}

// ── Apply scripts against the API stand-in ───────────────────────────────────

use crm_stand_in::{Crm, StandIn};

fn stand_in(target: Target) -> StandIn {
    StandIn::start(match target {
        Target::Amocrm => Crm::Amocrm,
        Target::Bitrix24 => Crm::Bitrix24,
        Target::Hubspot => Crm::Hubspot,
        Target::Pipedrive => Crm::Pipedrive,
    })
}

fn token(target: Target) -> &'static str {
    match target {
        Target::Bitrix24 => crm_stand_in::BITRIX_TOKEN,
        _ => crm_stand_in::TOKEN,
    }
}

/// `voronka crm EXAMPLE --target T --emit-script [--lang en]` into `dir`.
fn generate(example: &Path, target: Target, dir: &Path, lang: &str) {
    let o = voronka(&[
        "crm",
        example.to_str().unwrap(),
        "--target",
        target.id(),
        "--out",
        dir.to_str().unwrap(),
        "--emit-script",
        "--lang",
        lang,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Runs `dir/apply.sh` against `url` with the real curl and jq.
fn apply(dir: &Path, target: Target, url: &str, token: &str) -> Output {
    let api = target.renderer().api();
    Command::new("sh")
        .arg(dir.join("apply.sh"))
        .env(api.url_var, url)
        .env(api.token_var, token)
        .output()
        .expect("sh runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The account holds exactly what the setup describes: every pipeline once, its stages in
/// order (and nothing else in progress), won and lost named, amoCRM guidance per status,
/// every deal field once with its type and required on the status a deal enters when it
/// leaves the stage that collects it.
fn assert_account_matches(si: &StandIn, model: &Model, target: Target, ctx: &str) {
    let setup = crm::setup(model, Lang::Ru);
    let pipelines = si.pipelines();
    assert_eq!(
        pipelines.len(),
        setup.pipelines.len(),
        "{ctx}: pipelines {pipelines:#?}"
    );
    for p in &setup.pipelines {
        let found: Vec<_> = pipelines.iter().filter(|x| x.name == p.label).collect();
        assert_eq!(found.len(), 1, "{ctx}: pipeline «{}» once", p.label);
        let got = found[0];
        let mut stages = got.stages.clone();
        stages.sort_by_key(|s| s.sort);
        let open: Vec<&str> = stages
            .iter()
            .filter(|s| s.semantics.is_empty())
            .map(|s| s.name.as_str())
            .collect();
        let labels: Vec<&str> = p.stages.iter().map(|s| s.label.as_str()).collect();
        match target {
            Target::Hubspot => {
                let mut want = labels.clone();
                want.extend([p.won.label.as_str(), p.lost.label.as_str()]);
                let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
                assert_eq!(names, want, "{ctx}");
            }
            _ => assert_eq!(open, labels, "{ctx}: stages in order"),
        }
        match target {
            Target::Amocrm | Target::Bitrix24 => {
                let closing = |sem: &str| -> Vec<&str> {
                    stages
                        .iter()
                        .filter(|s| s.semantics == sem)
                        .map(|s| s.name.as_str())
                        .collect()
                };
                assert_eq!(closing("S"), [p.won.label.as_str()], "{ctx}");
                assert_eq!(closing("F"), [p.lost.label.as_str()], "{ctx}: one failure stage");
            }
            _ => {}
        }
        if target == Target::Bitrix24 {
            for s in &p.stages {
                assert!(
                    got.stages
                        .iter()
                        .any(|x| x.code == format!("C{}:{}", got.id, s.code)),
                    "{ctx}: code {}",
                    s.code
                );
            }
        }
        if target == Target::Amocrm {
            for s in &p.stages {
                let st = got.stages.iter().find(|x| x.name == s.label).unwrap();
                let want: Vec<(String, String)> = s
                    .description
                    .iter()
                    .map(|d| ("newbie".to_string(), d.clone()))
                    .collect();
                let have: Vec<(String, String)> = st
                    .descriptions
                    .iter()
                    .map(|(_, l, d)| (l.clone(), d.clone()))
                    .collect();
                assert_eq!(have, want, "{ctx}: guidance of «{}»", s.label);
            }
        }
    }
    // Deal fields: amoCRM and Pipedrive create them.
    if !matches!(target, Target::Amocrm | Target::Pipedrive) {
        return;
    }
    let fields: Vec<_> = crm::account_fields(model, &setup, Lang::Ru)
        .into_iter()
        .filter(|f| f.kind != crm::FieldKind::DealAmount)
        .collect();
    let have = si.fields();
    assert_eq!(have.len(), fields.len(), "{ctx}: fields {have:#?}");
    let pipeline_name = |id: i64| pipelines.iter().find(|p| p.id == id).unwrap().name.clone();
    let stage_name = |id: i64| {
        pipelines
            .iter()
            .flat_map(|p| p.stages.iter().map(move |s| (p, s)))
            .find(|(_, s)| s.id == id)
            .map(|(p, s)| (p.name.clone(), s.name.clone()))
            .unwrap()
    };
    for f in &fields {
        use voronka::model::CardEntity;
        let entity = match (target, f.entity) {
            (Target::Amocrm, CardEntity::Deal) => "leads",
            (Target::Amocrm, CardEntity::Contact) => "contacts",
            (Target::Amocrm, CardEntity::Company) => "companies",
            (_, CardEntity::Deal) => "dealFields",
            (_, CardEntity::Contact) => "personFields",
            (_, CardEntity::Company) => "organizationFields",
        };
        let got: Vec<_> = have
            .iter()
            .filter(|x| x.name == f.name && x.entity == entity)
            .collect();
        assert_eq!(got.len(), 1, "{ctx}: field «{}» of {entity} once", f.name);
        let got = got[0];
        let kind = match target {
            Target::Amocrm => crm::amocrm::field_type(f.kind),
            _ => crm::pipedrive::field_type(f.kind),
        };
        assert_eq!(got.kind, kind, "{ctx}: type of «{}»", f.name);
        // A list field arrives with its values, in order (a Pipedrive yes/no field as Да/Нет).
        let options: Vec<String> = if f.kind == crm::FieldKind::Flag && target == Target::Pipedrive {
            vec!["Да".into(), "Нет".into()]
        } else {
            f.options.clone()
        };
        assert_eq!(got.options, options, "{ctx}: values of «{}»", f.name);
        let mut want: Vec<(String, String)> = f
            .required_on
            .iter()
            .map(|e| {
                let p = &setup.pipelines[e.pipeline() - 1];
                (p.label.clone(), e.label().to_string())
            })
            .collect();
        want.sort();
        if target == Target::Pipedrive && f.entity != CardEntity::Deal {
            // Person and organization fields cannot be demanded at a stage (the README says so).
            want.clear();
        }
        let mut on: Vec<(String, String)> = match target {
            Target::Amocrm => got
                .required
                .as_array()
                .unwrap()
                .iter()
                .map(|r| stage_name(r["status_id"].as_i64().unwrap()))
                .collect(),
            _ => {
                let mut v: Vec<(String, String)> = got.required["stage_ids"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|id| stage_name(id.as_i64().unwrap()))
                    .collect();
                for (pid, statuses) in got.required["statuses"].as_object().into_iter().flatten() {
                    assert_eq!(statuses, &serde_json::json!(["won"]), "{ctx}");
                    let p = pipeline_name(pid.parse().unwrap());
                    let won = setup
                        .pipelines
                        .iter()
                        .find(|x| x.label == p)
                        .unwrap()
                        .won
                        .label
                        .clone();
                    v.push((p, won));
                }
                v
            }
        };
        on.sort();
        assert_eq!(on, want, "{ctx}: «{}» required on", f.name);
        if target == Target::Amocrm {
            for r in got.required.as_array().unwrap() {
                let (p, _) = stage_name(r["status_id"].as_i64().unwrap());
                assert_eq!(pipeline_name(r["pipeline_id"].as_i64().unwrap()), p, "{ctx}");
            }
        }
    }
}

/// Every generated script of every example runs to completion against the stand-in, and a
/// second run finds everything by name and creates nothing: the account is unchanged.
fn every_script_runs_twice_without_duplicates(target: Target) {
    let tmp = tempfile::tempdir().unwrap();
    for path in examples() {
        let model = model(&path);
        {
            let ctx = format!("{} {:?}", path.display(), target);
            let dir = tmp.path().join(format!(
                "{}-{}",
                path.file_stem().unwrap().to_string_lossy(),
                target.id()
            ));
            generate(&path, target, &dir, "ru");
            let si = stand_in(target);
            let first = apply(&dir, target, &si.url, token(target));
            assert!(
                first.status.success(),
                "{ctx}: {}\n{:#?}",
                stderr(&first),
                si.log()
            );
            assert!(stdout(&first).contains("готово, отправлено запросов:"), "{ctx}");
            assert_account_matches(&si, &model, target, &ctx);
            let (pipelines, fields) = (si.pipelines(), si.fields());
            si.reset_log();
            let second = apply(&dir, target, &si.url, token(target));
            assert!(second.status.success(), "{ctx}: rerun: {}", stderr(&second));
            assert_eq!(
                si.pipelines(),
                pipelines,
                "{ctx}: the rerun changed the pipelines"
            );
            assert_eq!(si.fields(), fields, "{ctx}: the rerun changed the fields");
            assert!(
                stdout(&second).contains("уже есть: "),
                "{ctx}: {}",
                stdout(&second)
            );
            assert!(
                !stdout(&second).contains("создано:"),
                "{ctx}: {}",
                stdout(&second)
            );
            let creates = [
                "crm.category.add",
                "crm.status.add",
                "POST /api/v2/",
                "POST /crm/v3/",
                "POST /api/v4/",
            ];
            assert!(
                !si.log().iter().any(|l| creates.iter().any(|c| l.contains(c))),
                "{ctx}: {:#?}",
                si.log()
            );
        }
    }
}

#[test]
fn amocrm_scripts_run_twice_against_the_stand_in_without_duplicates() {
    every_script_runs_twice_without_duplicates(Target::Amocrm);
}

#[test]
fn bitrix24_scripts_run_twice_against_the_stand_in_without_duplicates() {
    every_script_runs_twice_without_duplicates(Target::Bitrix24);
}

#[test]
fn hubspot_scripts_run_twice_against_the_stand_in_without_duplicates() {
    every_script_runs_twice_without_duplicates(Target::Hubspot);
}

#[test]
fn pipedrive_scripts_run_twice_against_the_stand_in_without_duplicates() {
    every_script_runs_twice_without_duplicates(Target::Pipedrive);
}

/// The English script talks English and works the same.
#[test]
fn the_english_script_runs_against_the_stand_in() {
    let tmp = tempfile::tempdir().unwrap();
    let path = Path::new("examples/saas_en.sales");
    let model = model(path);
    for target in Target::ALL {
        let dir = tmp.path().join(target.id());
        generate(path, target, &dir, "en");
        let si = stand_in(target);
        let o = apply(&dir, target, &si.url, token(target));
        assert!(o.status.success(), "{target:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("done, requests sent:"), "{}", stdout(&o));
        let setup = crm::setup(&model, Lang::En);
        let names: Vec<String> = si.pipelines().iter().map(|p| p.name.clone()).collect();
        let want: Vec<String> = setup.pipelines.iter().map(|p| p.label.clone()).collect();
        assert_eq!(names, want, "{target:?}");
    }
}

/// A failure half way stops the script at once with the step, the CRM's answer and what to do;
/// the rerun picks up what exists and finishes without duplicates.
#[test]
fn a_failure_half_way_stops_with_a_clear_message_and_a_rerun_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let path = Path::new("examples/agency.sales");
    let model = model(path);
    for target in Target::ALL {
        let dir = tmp.path().join(target.id());
        generate(path, target, &dir, "ru");
        // How many requests a clean run makes.
        let clean = stand_in(target);
        assert!(apply(&dir, target, &clean.url, token(target)).status.success());
        let total = clean.log().len();
        let half = total / 2;
        let si = stand_in(target);
        si.set_fail_at(Some(half));
        let o = apply(&dir, target, &si.url, token(target));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{target:?}: {err}");
        assert_eq!(si.log().len(), half, "{target:?}: nothing after the failure");
        assert!(err.contains("ошибка: HTTP 500: "), "{target:?}: {err}");
        assert!(
            err.contains("stand-in failure"),
            "{target:?}: the CRM's answer: {err}"
        );
        assert!(
            err.contains(&format!("успешных запросов до ошибки: {}", half - 1))
                && err.contains("повторный запуск найдёт"),
            "{target:?}: {err}"
        );
        si.set_fail_at(None);
        let o = apply(&dir, target, &si.url, token(target));
        assert!(o.status.success(), "{target:?}: {}", stderr(&o));
        assert_account_matches(&si, &model, target, &format!("{target:?} after a failure"));
    }
}

/// 429 (Bitrix24: 503 QUERY_LIMIT_EXCEEDED) is waited out and the request sent again.
#[test]
fn rate_limit_answers_are_waited_out_and_retried() {
    let tmp = tempfile::tempdir().unwrap();
    let path = Path::new("examples/agency.sales");
    for target in Target::ALL {
        let dir = tmp.path().join(target.id());
        generate(path, target, &dir, "ru");
        let si = stand_in(target);
        si.set_throttle_at(Some(2));
        let started = std::time::Instant::now();
        let o = apply(&dir, target, &si.url, token(target));
        assert!(o.status.success(), "{target:?}: {}", stderr(&o));
        let code = if target == Target::Bitrix24 { 503 } else { 429 };
        let wait = if target == Target::Bitrix24 { 2 } else { 1 };
        assert!(
            stderr(&o).contains(&format!(
                "CRM просит подождать (HTTP {code}), повтор через {wait} с"
            )),
            "{target:?}: {}",
            stderr(&o)
        );
        assert!(
            started.elapsed().as_secs_f64() >= wait as f64,
            "{target:?}: waited"
        );
        let log = si.log();
        assert_eq!(log[1], log[2], "{target:?}: the same request again");
    }
}

#[test]
fn a_wrong_token_stops_at_the_first_request_and_names_the_variable() {
    let tmp = tempfile::tempdir().unwrap();
    for target in Target::ALL {
        let dir = tmp.path().join(target.id());
        generate(Path::new("examples/agency.sales"), target, &dir, "ru");
        let si = stand_in(target);
        let o = apply(&dir, target, &si.url, "0/wrong");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{target:?}: {err}");
        assert_eq!(si.log().len(), 1, "{target:?}");
        assert!(
            err.contains("ошибка: HTTP 401: CRM не приняла токен")
                && err.contains(target.renderer().api().token_var),
            "{target:?}: {err}"
        );
    }
}

/// A pipeline the account has from an earlier regulation gains the stage added since; what
/// exists stays as it is.
#[test]
fn a_stage_added_to_the_regulation_is_added_to_the_existing_pipeline() {
    let tmp = tempfile::tempdir().unwrap();
    // Bitrix24 finds a stage by its code (`STATUS_ID`), so the stages carry their own codes.
    let short = with_stages(&(stage("Квалификация", "код QUAL") + &stage("Договор", "код DEAL")));
    let long = with_stages(
        &(stage("Квалификация", "код QUAL") + &stage("КП", "код OFFER") + &stage("Договор", "код DEAL")),
    );
    for target in [Target::Amocrm, Target::Bitrix24, Target::Pipedrive] {
        let si = stand_in(target);
        for (i, text) in [&short, &long].into_iter().enumerate() {
            let file = tmp.path().join(format!("{}-{i}.sales", target.id()));
            std::fs::write(&file, text).unwrap();
            let dir = tmp.path().join(format!("{}-{i}", target.id()));
            generate(&file, target, &dir, "ru");
            let o = apply(&dir, target, &si.url, token(target));
            assert!(o.status.success(), "{target:?}: {}", stderr(&o));
        }
        let pipelines = si.pipelines();
        assert_eq!(pipelines.len(), 1, "{target:?}");
        let names: Vec<&str> = pipelines[0]
            .stages
            .iter()
            .filter(|s| s.semantics.is_empty())
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names.len(), 3, "{target:?}: {names:?}");
        assert!(names.contains(&"КП"), "{target:?}: {names:?}");
    }
}

/// `apply.sh --check` reads the account and reports the difference from the regulation —
/// what is already there, what would be created — without changing anything.
#[test]
fn the_check_mode_reports_the_difference_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let short = with_stages(&(stage("Квалификация", "код QUAL") + &stage("Договор", "код DEAL")));
    let long = with_stages(
        &(stage("Квалификация", "код QUAL") + &stage("КП", "код OFFER") + &stage("Договор", "код DEAL")),
    );
    for target in Target::ALL {
        let si = stand_in(target);
        let mut dirs = Vec::new();
        for (i, text) in [&short, &long].into_iter().enumerate() {
            let file = tmp.path().join(format!("{}-{i}.sales", target.id()));
            std::fs::write(&file, text).unwrap();
            let dir = tmp.path().join(format!("{}-{i}", target.id()));
            generate(&file, target, &dir, "ru");
            dirs.push(dir);
        }
        // An empty account: everything would be created.
        let o = Command::new("sh")
            .arg(dirs[0].join("apply.sh"))
            .arg("--check")
            .env(target.renderer().api().url_var, &si.url)
            .env(target.renderer().api().token_var, token(target))
            .output()
            .unwrap();
        assert!(o.status.success(), "{target:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("будет отправлено: "), "{target:?}: {out}");
        assert!(
            out.contains("проверка окончена, аккаунт не изменён"),
            "{target:?}: {out}"
        );
        assert!(si.pipelines().is_empty(), "{target:?}: nothing created");
        let reads = |log: &[String]| {
            log.iter()
                .all(|l| l.starts_with("GET ") || l.contains(".list.json"))
        };
        assert!(reads(&si.log()), "{target:?}: {:#?}", si.log());
        // After the short regulation, the long one would only add «КП».
        assert!(apply(&dirs[0], target, &si.url, token(target)).status.success());
        let before = (si.pipelines(), si.fields());
        si.reset_log();
        let o = Command::new("sh")
            .arg(dirs[1].join("apply.sh"))
            .arg("--check")
            .env(target.renderer().api().url_var, &si.url)
            .env(target.renderer().api().token_var, token(target))
            .output()
            .unwrap();
        assert!(o.status.success(), "{target:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(reads(&si.log()), "{target:?}: {:#?}", si.log());
        assert_eq!((si.pipelines(), si.fields()), before, "{target:?}: unchanged");
        assert!(out.contains("уже есть: "), "{target:?}: {out}");
        if target != Target::Hubspot {
            assert!(
                out.contains("уже есть: этап «Квалификация»")
                    || out.contains("уже есть: стадия «Квалификация»"),
                "{target:?}: {out}"
            );
            // HubSpot's pipeline is found by label and left alone; the others add the stage.
            assert!(
                out.lines()
                    .any(|l| l.starts_with("будет отправлено: ") && l.contains("«КП»")),
                "{target:?}: {out}"
            );
            assert!(
                !out.lines()
                    .any(|l| l.starts_with("будет отправлено: ") && l.contains("«Договор»")),
                "{target:?}: {out}"
            );
        }
    }
}

/// Pipedrive's v2 deal field answer has `field_code` and no `id`: the script keeps the code,
/// and the required stages are the ones a deal enters after collecting the field.
#[test]
fn pipedrive_deal_fields_are_keyed_by_field_code_and_typed() {
    let model = model(Path::new("examples/agency.sales"));
    let out = render(&model, Lang::Ru, false);
    let pd = out.iter().find(|o| o.target == Target::Pipedrive).unwrap();
    let creates: Vec<&Request> = pd
        .requests
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r.path == "/api/v2/dealFields")
        .collect();
    assert!(!creates.is_empty());
    for r in &creates {
        assert!(
            r.saves.iter().all(|s| s.filter == ".data.field_code"),
            "{:?}",
            r.saves
        );
    }
    let field = |name: &str| creates.iter().find(|r| r.body["field_name"] == name).copied();
    assert_eq!(field("Дата встречи").unwrap().body["field_type"], "date");
    assert_eq!(field("Сумма оплаты").unwrap().body["field_type"], "monetary");
    assert_eq!(field("Конкуренты").unwrap().body["field_type"], "varchar");
    // A card's list field carries its values; the ЛПР group (много) lives on the person.
    assert_eq!(field("Отрасль").unwrap().body["field_type"], "enum");
    assert_eq!(
        field("Отрасль").unwrap().body["options"],
        serde_json::json!([{ "label": "Производство" }, { "label": "Торговля" }, { "label": "Услуги" }, { "label": "IT" }])
    );
    assert_eq!(field("Услуга").unwrap().body["field_type"], "set");
    assert!(field("ЛПР").is_none() && field("ФИО").is_none());
    let person = pd
        .requests
        .iter()
        .map(|(_, r)| r)
        .find(|r| r.path == "/api/v2/personFields" && r.body["field_name"] == "Роль в решении")
        .expect("the ЛПР group's fields are person fields");
    assert_eq!(person.body["field_type"], "enum");
    assert_eq!(
        person.body["required_fields"],
        serde_json::json!({ "enabled": false })
    );
    assert!(field("Бюджет").is_none(), "the budget is the deal's own value");
    // «Сумма оплаты» is collected at the last stage: required when the deal is won.
    let last = field("Сумма оплаты").unwrap();
    assert_eq!(last.body["required_fields"]["stage_ids"], serde_json::json!([]));
    assert_eq!(
        last.body["required_fields"]["statuses"],
        serde_json::json!({ "p1_pipeline": ["won"] })
    );
    let amo = out.iter().find(|o| o.target == Target::Amocrm).unwrap();
    let amo_field = amo
        .requests
        .iter()
        .map(|(_, r)| r)
        .find(|r| r.method == "POST" && r.body[0]["name"] == "Сумма оплаты")
        .unwrap();
    assert_eq!(amo_field.body[0]["required_statuses"][0]["status_id"], 142);
    assert_eq!(amo_field.body[0]["type"], "numeric");
    // amoCRM sends no `descriptions` inside the pipeline creation.
    let create = amo
        .requests
        .iter()
        .map(|(_, r)| r)
        .find(|r| r.path == "/api/v4/leads/pipelines" && r.method == "POST")
        .unwrap();
    assert!(!create.body.to_string().contains("descriptions"));
}

/// The checklist says on which transition the CRM demands a stage's fields, in words.
#[test]
fn the_checklist_names_the_transition_that_demands_the_fields() {
    let model = model(Path::new("examples/agency.sales"));
    for out in render(&model, Lang::Ru, false) {
        let readme = out.files.iter().find(|f| f.name == "README.md").unwrap().text();
        let lists = checklists(&readme);
        let first = &lists[0][0];
        assert!(
            has(
                first,
                &["«Источник»", "при переводе сделки на этап «Встреча проведена»"]
            ),
            "{:?}: {first:#?}",
            out.target
        );
        let last = lists[0].last().unwrap();
        assert!(
            has(
                last,
                &["«Дата оплаты» — дата", "при закрытии сделки как успешной"]
            ),
            "{:?}: {last:#?}",
            out.target
        );
        // Notes at the end point up, not down; no «Задача: задача».
        let notes = readme.split("## Что ещё настроить вручную").nth(1).unwrap();
        assert!(!notes.contains("ниже"), "{:?}: {notes}", out.target);
        assert!(!readme.contains("Задача: задача"), "{:?}", out.target);
        if out.target == Target::Pipedrive {
            assert!(has(
                &lists[0][0],
                &["Лимит этапа", "дни без обновлений сделки", "Automations"]
            ));
        }
        if out.target == Target::Hubspot {
            assert!(!readme.contains("export HUBSPOT_URL"), "HubSpot needs no address");
        }
    }
}

/// HubSpot's 0.1 steps: a probability the rounding changes by more than a quarter is flagged
/// under the stage table, with the exact figure kept in the table.
#[test]
fn hubspot_rounding_that_distorts_the_weighted_pipeline_is_flagged() {
    let text = with_stages(&(stage("Квалификация", "вероятность 2%") + &stage("КП", "вероятность 40%")));
    let compiled = voronka::compile_str(Path::new("tests/diagnostics/crm/round.sales"), &text);
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    let model = compiled.model.unwrap();
    let out = render(&model, Lang::Ru, false);
    let hs = out.iter().find(|o| o.target == Target::Hubspot).unwrap();
    let readme = hs.files.iter().find(|f| f.name == "README.md").unwrap().text();
    assert!(
        readme.contains("> Внимание: Этап «Квалификация»: вероятность 2\u{a0}% в HubSpot станет 0.1"),
        "{readme}"
    );
    assert!(readme.contains("в 5,0 раза больше"), "{readme}");
    assert!(
        !readme.contains("Этап «КП»: вероятность"),
        "40 % is exact in HubSpot"
    );
}

#[test]
fn the_script_refuses_to_start_without_its_variables() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    voronka(&[
        "crm",
        "examples/agency.sales",
        "--target",
        "amocrm",
        "--out",
        out.to_str().unwrap(),
        "--emit-script",
    ]);
    let o = Command::new("sh")
        .arg(out.join("apply.sh"))
        .env_remove("AMOCRM_URL")
        .env_remove("AMOCRM_TOKEN")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("AMOCRM_URL"), "{}", stderr(&o));
}

/// A pipeline that hands its deals to another one: the CRM's computed stage probability is the
/// chance the deal is eventually won (hand-offs followed), the figure `analyze` shows — not 0,
/// the chance to be won inside the first pipeline.
#[test]
fn a_stage_probability_follows_hand_offs_to_other_pipelines() {
    let text = format!(
        "{}воронка Сделка {{\n  вид продажа; выход \"Оплата\"; чек 100 000 ₽\n{}{}}}\n",
        with_stages(&stage("Квалификация", "успех -> Сделка.КП")),
        stage("КП", ""),
        stage("Договор", ""),
    );
    let compiled = voronka::compile_str(Path::new("tests/diagnostics/crm/hand_off.sales"), &text);
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    let model = compiled.model.unwrap();
    let analysis = voronka::analyze::analyze(&model);
    let p_won = analysis.pipelines[0].outcome.as_ref().expect("solvable").p_won;
    assert!((p_won - 0.9 * 0.9 * 0.9).abs() < 1e-12, "{p_won}");
    let setup = crm::setup(&model, Lang::Ru);
    let first = &setup.pipelines[0].stages[0];
    assert_eq!(first.probability, p_won);
    // And in every CRM body that carries a probability (Pipedrive: whole percent).
    let outputs = render(&model, Lang::Ru, false);
    let pipedrive = outputs.iter().find(|o| o.target == Target::Pipedrive).unwrap();
    let body = &requests_of(pipedrive)[0]
        .iter()
        .find(|r| r.path == "/api/v2/stages")
        .unwrap()
        .body;
    assert_eq!(body["deal_probability"].as_f64(), Some((p_won * 100.0).round()));
}
