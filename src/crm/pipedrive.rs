//! Pipedrive API v2: `POST /api/v2/pipelines`, then `POST /api/v2/stages` per stage in order
//! (`deal_probability` in whole percent, rotting after the stage's `лимит`), then deal fields
//! with `required_fields.stage_ids`. Won and lost are deal statuses, not stages. Facts:
//! crm-formats.md §4.

use super::setup::{PipelineSetup, Setup, StageSetup};
use super::{Api, Auth, CrmRenderer, Request, RuleKind, Target, amocrm::required_fields};
use crate::diag::{Diagnostic, Lang};
use serde_json::{Value, json};

pub struct Pipedrive;

fn percent(p: f64) -> i64 {
    (p * 100.0).round().clamp(0.0, 100.0) as i64
}

/// Whole calendar days after which a deal rots: the limit in calendar days rounded up, at least 1.
pub fn rotting_days(limit: f64) -> i64 {
    limit.ceil().max(1.0) as i64
}

fn stage_body(s: &StageSetup) -> Value {
    let mut v = json!({
        "name": s.label,
        "pipeline_id": 0,
        "deal_probability": percent(s.probability),
        "is_deal_rot_enabled": s.limit_days.is_some(),
    });
    if let Some(limit) = s.limit_calendar_days {
        v["days_to_rotten"] = json!(rotting_days(limit));
    }
    v
}

impl CrmRenderer for Pipedrive {
    fn target(&self) -> Target {
        Target::Pipedrive
    }

    fn title(&self) -> &'static str {
        "Pipedrive"
    }

    fn api(&self) -> Api {
        Api {
            url_var: "PIPEDRIVE_URL",
            url_example: "https://example.pipedrive.com",
            url_default: None,
            token_var: "PIPEDRIVE_TOKEN",
            token_help: (
                "личный API-токен (Настройки → Персональные настройки → API)",
                "your personal API token (Settings → Personal preferences → API)",
            ),
            auth: Auth::ApiTokenHeader,
        }
    }

    fn check(&self, _setup: &Setup) -> Vec<Diagnostic> {
        // Pipedrive documents no limit on pipelines, stages or name lengths.
        Vec::new()
    }

    fn requests(&self, p: &PipelineSetup, prefix: &str, lang: Lang) -> Vec<Request> {
        let pid = format!("{prefix}_pipeline");
        let mut out = vec![
            Request::new(
                "01-pipeline.json".to_string(),
                "POST",
                "/api/v2/pipelines",
                json!({ "name": p.label, "is_deal_probability_enabled": true }),
                format!("{} «{}»", lang.pick("Воронка", "Pipeline"), p.label),
            )
            .schema("AddPipelineRequest")
            .save(
                pid.clone(),
                ".data.id",
                Some(format!("{} «{}»", lang.pick("воронка", "pipeline"), p.label)),
            ),
        ];
        let mut n = 2;
        for s in &p.stages {
            out.push(
                Request::new(
                    format!("{n:02}-stage.json"),
                    "POST",
                    "/api/v2/stages",
                    stage_body(s),
                    format!("{} «{}»", lang.pick("Этап", "Stage"), s.label),
                )
                .schema("AddStageRequest")
                .fill(".pipeline_id", &pid, None)
                .save(
                    format!("{prefix}_s{}", s.order),
                    ".data.id",
                    Some(format!("{} «{}»", lang.pick("этап", "stage"), s.label)),
                ),
            );
            n += 1;
        }
        for (k, (name, stages)) in required_fields(p).iter().enumerate() {
            let ids: Vec<Value> = stages.iter().map(|_| json!(0)).collect();
            let mut req = Request::new(
                format!("{n:02}-deal-field.json"),
                "POST",
                "/api/v2/dealFields",
                json!({
                    "field_name": name,
                    "field_type": "varchar",
                    "required_fields": { "enabled": true, "stage_ids": ids },
                }),
                format!(
                    "{} «{name}» {}",
                    lang.pick("Поле сделки", "Deal field"),
                    lang.pick(
                        "(обязательно на этапах; id этапов подставляет скрипт)",
                        "(required at stages; the script fills in the stage ids)"
                    )
                ),
            )
            .schema("dealFields");
            for (j, order) in stages.iter().enumerate() {
                req = req.fill(
                    format!(".required_fields.stage_ids[{j}]"),
                    format!("{prefix}_s{order}"),
                    None,
                );
            }
            out.push(req.save(
                format!("{prefix}_field{}", k + 1),
                ".data.id",
                Some(format!("{} «{name}»", lang.pick("поле", "field"))),
            ));
            n += 1;
        }
        out
    }

    fn automates(&self, kind: RuleKind) -> bool {
        matches!(kind, RuleKind::TimeLimit | RuleKind::RequiredFields)
    }

    fn manual_notes(&self, lang: Lang) -> Vec<String> {
        vec![
            lang.pick(
                "«Выиграно» и «проиграно» в Pipedrive — статус сделки, а не этап; причины отказа заводятся в настройках компании (Lost reasons).",
                "Won and lost are deal statuses in Pipedrive, not stages; loss reasons are set in the company settings (Lost reasons).",
            )
            .to_string(),
            lang.pick(
                "Порядок этапов — порядок их создания; скрипт создаёт их по порядку.",
                "Stages appear in the order they are created; the script creates them in order.",
            )
            .to_string(),
            lang.pick(
                "Задачи и действия этапов настраиваются в интерфейсе (Automations). Если поле с таким названием уже есть, уберите файл поля и отметьте обязательность в настройках поля. Чек-лист по этапам — ниже.",
                "Stage tasks and actions are set in the UI (Automations). If a field with that name already exists, drop its file and mark it required in the field's settings. The per-stage checklist is below.",
            )
            .to_string(),
        ]
    }

    fn stage_probability(&self, stage: &StageSetup) -> String {
        format!("{} %", percent(stage.probability))
    }

    fn stage_colour(&self, _stage: &StageSetup) -> Option<String> {
        None
    }
}
