//! CRM configurations: the pipelines and stages of the regulation as the request bodies each
//! CRM's public API takes, in send order, with a README (what to send where, what to set up
//! by hand) and an optional POSIX shell script that sends them.
//!
//! [`setup::setup`] turns the model into one CRM-neutral [`Setup`]; each CRM is a
//! [`CrmRenderer`] that checks the CRM's limits (diagnostics, before anything is written) and
//! translates the setup into [`Request`]s. [`render`] puts it together into files. The facts
//! behind every field are in `shared/reference/crm-formats.md`. Reads the model and the
//! analysis; knows nothing of the syntax tree; does no network access and never prints.

pub mod amocrm;
pub mod bitrix24;
mod field_cond;
pub mod fields;
pub mod hubspot;
mod inactivity;
pub mod kinds;
pub mod pipedrive;
mod readme;
mod release;
mod routing;
mod script;
pub mod setup;
mod telcal;
mod terms;
pub mod triggers;

use crate::diag::{Diagnostic, Lang};
use crate::model::Model;
use crate::render::{OutputFile, TemplateError};
use serde::Serialize;
use serde_json::Value;

pub use fields::{FieldKind, FieldSetup};
pub use setup::{Exit, PipelineSetup, Rule, RuleKind, Setup, StageSetup, setup};

/// A CRM voronka writes configurations for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Amocrm,
    Bitrix24,
    Hubspot,
    Pipedrive,
}

impl Target {
    pub const ALL: [Target; 4] = [
        Target::Amocrm,
        Target::Bitrix24,
        Target::Hubspot,
        Target::Pipedrive,
    ];

    /// The folder and command-line name.
    pub fn id(self) -> &'static str {
        match self {
            Target::Amocrm => "amocrm",
            Target::Bitrix24 => "bitrix24",
            Target::Hubspot => "hubspot",
            Target::Pipedrive => "pipedrive",
        }
    }

    pub fn renderer(self) -> &'static dyn CrmRenderer {
        match self {
            Target::Amocrm => &amocrm::AmoCrm,
            Target::Bitrix24 => &bitrix24::Bitrix24,
            Target::Hubspot => &hubspot::HubSpot,
            Target::Pipedrive => &pipedrive::Pipedrive,
        }
    }
}

/// A value the script takes from an earlier response and puts into a body before sending it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fill {
    /// jq path in the body, e.g. `.[0].required_statuses[0].status_id`.
    pub path: String,
    /// The variable saved from an earlier response.
    pub var: String,
    /// Written before the value, making it a string (`DEAL_STAGE_` + id); none keeps a number.
    pub prefix: Option<String>,
    /// The variable may be empty (a lookup found nothing): then `path` is deleted.
    pub optional: bool,
    /// `path` is an object whose key named `var` becomes the value (Pipedrive's
    /// `required_fields.statuses` is keyed by pipeline id).
    pub key: bool,
}

/// A value the script saves from a response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Save {
    pub var: String,
    /// jq filter over the response that yields one scalar.
    pub filter: String,
    /// What the value is, for the script's report (`воронка «Новые проекты»`); none saves quietly.
    pub created: Option<String>,
}

/// One API call: where it goes, its body, what it needs from earlier responses and what it
/// keeps from its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    /// File name within the pipeline's folder: `01-pipeline.json`.
    pub file: String,
    pub method: &'static str,
    /// Path after the account address, e.g. `/api/v4/leads/pipelines`; `{var}` stands for a
    /// saved variable (`/api/v4/leads/pipelines/{p1_pipeline}/statuses`).
    pub path: String,
    /// `Null` for a request without a body (a GET): no file is written.
    pub body: Value,
    /// What it does, for the README.
    pub title: String,
    /// The schema definition the body follows (`$defs` name or OpenAPI component), if any.
    pub schema: Option<&'static str>,
    pub fills: Vec<Fill>,
    pub saves: Vec<Save>,
    /// Send once for every value this jq filter yields over the saved response of
    /// `each_from` (a request file), filling `.id` with it.
    pub each: Option<Each>,
    /// Sent only when a saved variable is set (or unset).
    pub condition: Option<Condition>,
    /// A read-back that checks what the earlier requests sent (skipped by `--check`).
    pub verify: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Set(String),
    Unset(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Each {
    pub from: String,
    pub filter: String,
    pub path: String,
    /// Saved variables the filter reads as `$name`.
    pub args: Vec<String>,
}

impl Request {
    pub fn new(
        file: String,
        method: &'static str,
        path: impl Into<String>,
        body: Value,
        title: String,
    ) -> Request {
        Request {
            file,
            method,
            path: path.into(),
            body,
            title,
            schema: None,
            fills: Vec::new(),
            saves: Vec::new(),
            each: None,
            condition: None,
            verify: false,
        }
    }

    /// Marks a read-back check.
    pub fn verify(mut self) -> Request {
        self.verify = true;
        self
    }

    pub fn when(mut self, condition: Condition) -> Request {
        self.condition = Some(condition);
        self
    }

    pub fn schema(mut self, name: &'static str) -> Request {
        self.schema = Some(name);
        self
    }

    pub fn fill(mut self, path: impl Into<String>, var: impl Into<String>, prefix: Option<&str>) -> Request {
        self.fills.push(Fill {
            path: path.into(),
            var: var.into(),
            prefix: prefix.map(str::to_string),
            optional: false,
            key: false,
        });
        self
    }

    /// A fill whose variable may be empty; then `path` is removed from the body.
    pub fn fill_optional(mut self, path: impl Into<String>, var: impl Into<String>) -> Request {
        self.fills.push(Fill {
            path: path.into(),
            var: var.into(),
            prefix: None,
            optional: true,
            key: false,
        });
        self
    }

    /// The key `var` of the object at `path` becomes the variable's value, as a string.
    pub fn fill_key(mut self, path: impl Into<String>, var: impl Into<String>) -> Request {
        self.fills.push(Fill {
            path: path.into(),
            var: var.into(),
            prefix: None,
            optional: false,
            key: true,
        });
        self
    }

    /// A request without a body.
    pub fn get(file: String, path: impl Into<String>, title: String) -> Request {
        Request::new(file, "GET", path, Value::Null, title)
    }

    /// Whether a body file is written and sent.
    pub fn has_body(&self) -> bool {
        !self.body.is_null()
    }

    pub fn save(
        mut self,
        var: impl Into<String>,
        filter: impl Into<String>,
        created: Option<String>,
    ) -> Request {
        self.saves.push(Save {
            var: var.into(),
            filter: filter.into(),
            created,
        });
        self
    }
}

/// How the script reaches the account.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    /// Environment variable with the account address.
    pub url_var: &'static str,
    /// An example address for the README and the error message.
    pub url_example: &'static str,
    /// The address when the variable is not set (one address for every account).
    pub url_default: Option<&'static str>,
    /// Environment variable with the token.
    pub token_var: &'static str,
    /// What the token is and where to get it (Russian, English).
    pub token_help: (&'static str, &'static str),
    /// How the token is sent.
    pub auth: Auth,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer TOKEN`.
    Bearer,
    /// `x-api-token: TOKEN`.
    ApiTokenHeader,
    /// The token is part of the path: `URL/rest/TOKEN/method.json`.
    InPath,
}

/// One CRM: its limits, its requests and what its API automates.
pub trait CrmRenderer: Sync {
    fn target(&self) -> Target;
    /// The product name shown to users.
    fn title(&self) -> &'static str;
    fn api(&self) -> Api;
    /// The CRM's limits and palette, as diagnostics; errors mean nothing may be written.
    fn check(&self, setup: &Setup) -> Vec<Diagnostic>;
    /// The requests for one pipeline, in send order. `prefix` keeps script variables of
    /// different pipelines apart (`p1`).
    fn requests(&self, pipeline: &PipelineSetup, prefix: &str, lang: Lang) -> Vec<Request>;
    /// Whether the requests already cover rules of this kind (the rest go to the checklist).
    fn automates(&self, kind: RuleKind) -> bool;
    /// What must be done by hand for the whole account, beyond the per-stage checklist
    /// (Russian or English, by `lang`).
    fn manual_notes(&self, lang: Lang) -> Vec<String>;
    /// How a stage's probability and colour appear in this CRM, for the README table.
    fn stage_probability(&self, stage: &StageSetup) -> String;
    fn stage_colour(&self, stage: &StageSetup) -> Option<String>;
    /// Account-wide requests sent after every pipeline (the deal fields), in send order.
    fn account_requests(&self, _setup: &Setup, _fields: &[FieldSetup], _lang: Lang) -> Vec<Request> {
        Vec::new()
    }
    /// The checklist item of a rule: the rule's text when the API does not cover it, nothing
    /// when it does; a CRM may add how it treats the rule.
    fn checklist_item(&self, stage: &StageSetup, rule: &Rule, lang: Lang) -> Option<String> {
        match rule.kind {
            RuleKind::RequiredFields => Some(required_item(stage, rule, lang, self)),
            kind => (!self.automates(kind)).then(|| rule.text.clone()),
        }
    }
    /// A warning under the stage table when the CRM's stage probability misleads.
    fn rounding_note(&self, _stage: &StageSetup, _lang: Lang) -> Option<String> {
        None
    }
    /// Where fields are made required by hand, when the API cannot (one sentence).
    fn required_fields_how(&self, _lang: Lang) -> String {
        String::new()
    }
}

/// The folder of the account-wide requests: after the pipelines (`03-поля`).
pub fn account_dir(setup: &Setup, lang: Lang) -> String {
    format!("{:02}-{}", setup.pipelines.len() + 1, lang.pick("поля", "fields"))
}

/// What to produce.
#[derive(Debug, Clone)]
pub struct CrmOptions {
    pub targets: Vec<Target>,
    pub lang: Lang,
    pub script: bool,
}

/// The files of one CRM, names relative to its folder.
#[derive(Debug, Clone)]
pub struct CrmOutput {
    pub target: Target,
    pub files: Vec<OutputFile>,
    /// Every request with its pipeline folder, in send order (for tests and stdout).
    pub requests: Vec<(String, Request)>,
}

/// Why nothing was produced.
#[derive(Debug)]
pub enum CrmError {
    /// The model does not fit a CRM: errors (and the warnings found beside them).
    Limits(Vec<Diagnostic>),
    Template(TemplateError),
}

/// The diagnostics of every target (limits and palette), sorted, each once, with the lint
/// levels of the file and of `options` applied.
pub fn check(model: &Model, setup: &Setup, targets: &[Target], options: &crate::Options) -> Vec<Diagnostic> {
    let mut found = crate::diag::Diagnostics::default();
    found.extend(targets.iter().flat_map(|t| t.renderer().check(setup)));
    crate::check::apply_levels(found.into_sorted(), &model.lint_levels, &options.levels)
}

/// Every diagnostic `check` prints for a compiled file: the language's and, when it lowered
/// without errors, those its CRM configurations would give (E0042 limits, W0022 palette,
/// W0023), sorted. `check` prints them all; the other commands and the live page count the same.
pub fn with_diagnostics(compiled: &crate::Compiled, lang: Lang, options: &crate::Options) -> Vec<Diagnostic> {
    let mut all = crate::diag::Diagnostics::default();
    all.extend(compiled.diagnostics.iter().cloned());
    if let Some(model) = compiled.model.as_ref().filter(|_| !compiled.has_errors()) {
        // The rules' analysis, not a second chain for the deal probabilities.
        let setup = match compiled.analysis() {
            Some(analysis) => setup::with_values(model, &analysis.stage_values, lang),
            None => setup(model, lang),
        };
        all.extend(check(model, &setup, &Target::ALL, options));
    }
    all.into_sorted()
}

/// The files of `outputs` under one folder: a single CRM at the top, several each in its own
/// sub-folder (`amocrm/…`).
pub fn files(outputs: &[CrmOutput]) -> Vec<OutputFile> {
    let nested = outputs.len() > 1;
    outputs
        .iter()
        .flat_map(|o| {
            o.files.iter().map(move |f| OutputFile {
                name: if nested {
                    format!("{}/{}", o.target.id(), f.name)
                } else {
                    f.name.clone()
                },
                contents: f.contents.clone(),
            })
        })
        .collect()
}

/// The folder of a pipeline: `01-Продажа`.
pub fn pipeline_dir(p: &PipelineSetup) -> String {
    format!("{:02}-{}", p.order, p.name)
}

/// Renders the configurations of `options.targets`. `diagnostics` are the CRM checks after
/// lint levels were applied (see [`check`]); with an error among them nothing is rendered.
pub fn render(
    model: &Model,
    setup: &Setup,
    diagnostics: &[Diagnostic],
    options: &CrmOptions,
) -> Result<Vec<CrmOutput>, CrmError> {
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(CrmError::Limits(diagnostics.to_vec()));
    }
    let mut out = Vec::new();
    for &target in &options.targets {
        let r = target.renderer();
        let mut files: Vec<OutputFile> = Vec::new();
        let mut requests = Vec::new();
        for p in &setup.pipelines {
            let dir = pipeline_dir(p);
            for req in r.requests(p, &format!("p{}", p.order), options.lang) {
                requests.push((dir.clone(), req));
            }
        }
        let account = r.account_requests(setup, &account_fields(model, setup, options.lang), options.lang);
        let dir = account_dir(setup, options.lang);
        for req in account {
            requests.push((dir.clone(), req));
        }
        for (dir, req) in &requests {
            if req.has_body() && !files.iter().any(|f| f.name == format!("{dir}/{}", req.file)) {
                files.push(OutputFile {
                    name: format!("{dir}/{}", req.file),
                    contents: pretty(&req.body).into_bytes(),
                });
            }
        }
        files.push(OutputFile {
            name: "README.md".to_string(),
            contents: readme::readme(model, setup, r, &requests, options)
                .map_err(CrmError::Template)?
                .into_bytes(),
        });
        if options.script {
            files.push(OutputFile {
                name: "apply.sh".to_string(),
                contents: script::script(r, &requests, options.lang).into_bytes(),
            });
        }
        out.push(CrmOutput {
            target,
            files,
            requests,
        });
    }
    Ok(out)
}

/// The CRM-neutral stage configuration as YAML.
pub fn to_yaml(setup: &Setup) -> Result<String, String> {
    serde_saphyr::to_string(setup).map_err(|e| e.to_string())
}

/// Pretty JSON with a final newline.
pub fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Deal probability rounded to HubSpot's steps of 0.1; stages in progress stay within
/// 0.1..0.9, because 1.0 and 0.0 mean closed won and closed lost there.
pub fn tenth(p: f64) -> f64 {
    ((p * 10.0).round() / 10.0).clamp(0.1, 0.9)
}

/// A string as a JSON (and jq) literal.
pub fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The checklist item of a stage's required fields: the rule (which fields, on which
/// transition the CRM demands them), each field's kind, and what the requests set up or
/// `how` the fields are set up by hand.
pub fn required_item<R: CrmRenderer + ?Sized>(stage: &StageSetup, rule: &Rule, lang: Lang, r: &R) -> String {
    let kinds: Vec<String> = stage
        .required_fields
        .iter()
        .map(|f| {
            let k = stage
                .field_kinds
                .get(f)
                .copied()
                .unwrap_or_else(|| fields::kind(f))
                .words();
            format!("«{f}» — {}", lang.pick(k.0, k.1))
        })
        .collect();
    let mut text = format!(
        "{} ({}: {})",
        rule.text,
        lang.pick("тип", "kind"),
        kinds.join(", ")
    );
    let builtin = stage.required_fields.iter().any(|f| {
        stage
            .field_kinds
            .get(f)
            .copied()
            .unwrap_or_else(|| fields::kind(f))
            == FieldKind::DealAmount
    });
    if r.automates(RuleKind::RequiredFields) {
        text.push_str(lang.pick(
            ". Поля и их обязательность создают запросы",
            ". The requests create the fields and make them required",
        ));
        if builtin {
            text.push_str(lang.pick(
                "; бюджет — встроенное поле сделки, отметьте его обязательным на этом переходе вручную",
                "; the budget is the deal's built-in field: make it required on this transition by hand",
            ));
        }
        text.push('.');
    } else {
        text.push_str(&format!(". {}.", r.required_fields_how(lang)));
    }
    text
}

/// Every deal field the account gets: the pipelines' fields, then the discount fields of the
/// deal terms (`условия`, see `terms`).
pub fn account_fields(model: &Model, setup: &Setup, lang: Lang) -> Vec<fields::FieldSetup> {
    let mut out = fields::fields(model, setup);
    out.extend(terms::fields(model, lang));
    out
}
