//! HubSpot CRM v3: one `POST /crm/v3/pipelines/deals` per pipeline (`PipelineInput`), the
//! stages with `displayOrder`, `label` and `metadata.probability` in steps of 0.1 (1.0 closed
//! won, 0.0 closed lost), sent as strings as the OpenAPI spec types them. Facts:
//! crm-formats.md §3.

use super::setup::{PipelineSetup, Setup, StageSetup};
use super::{Api, Auth, CrmRenderer, Request, RuleKind, Target, tenth};
use crate::diag::{Diagnostic, Kind, Lang, Msg};
use serde_json::json;

pub struct HubSpot;

/// Pipeline label length and stages per pipeline: documented for API v1 only.
pub const MAX_LABEL: usize = 36;
pub const MAX_STAGES: usize = 100;

fn probability(p: f64) -> String {
    format!("{p:.1}")
}

impl CrmRenderer for HubSpot {
    fn target(&self) -> Target {
        Target::Hubspot
    }

    fn title(&self) -> &'static str {
        "HubSpot"
    }

    fn api(&self) -> Api {
        Api {
            url_var: "HUBSPOT_URL",
            url_example: "https://api.hubapi.com",
            url_default: Some("https://api.hubapi.com"),
            token_var: "HUBSPOT_TOKEN",
            token_help: (
                "токен закрытого приложения (Settings → Integrations → Private Apps) с правами crm.objects.deals.write и crm.schemas.deals.write",
                "a private app token (Settings → Integrations → Private Apps) with the crm.objects.deals.write and crm.schemas.deals.write scopes",
            ),
            auth: Auth::Bearer,
        }
    }

    fn check(&self, setup: &Setup) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for p in &setup.pipelines {
            let chars = p.label.chars().count();
            if chars > MAX_LABEL {
                out.push(Diagnostic::new(
                    Kind::CrmLimitUnconfirmed {
                        crm: "HubSpot",
                        what: Msg::new(
                            format!("символов в названии воронки `{}`", p.name),
                            format!("characters in the label of pipeline `{}`", p.name),
                        ),
                        value: chars,
                        limit: MAX_LABEL,
                    },
                    p.span,
                ));
            }
            let stages = p.stages.len() + 2;
            if stages > MAX_STAGES {
                out.push(Diagnostic::new(
                    Kind::CrmLimitUnconfirmed {
                        crm: "HubSpot",
                        what: Msg::new(
                            format!("этапов в воронке `{}` вместе с «выиграно» и «проиграно»", p.name),
                            format!("stages of pipeline `{}` with closed won and closed lost", p.name),
                        ),
                        value: stages,
                        limit: MAX_STAGES,
                    },
                    p.span,
                ));
            }
        }
        out
    }

    fn requests(&self, p: &PipelineSetup, prefix: &str, lang: Lang) -> Vec<Request> {
        let mut stages: Vec<_> = p
            .stages
            .iter()
            .map(|s| {
                json!({
                    "label": s.label,
                    "displayOrder": s.order - 1,
                    "metadata": { "probability": probability(tenth(s.probability)) },
                })
            })
            .collect();
        let n = p.stages.len();
        stages.push(json!({ "label": p.won.label, "displayOrder": n, "metadata": { "probability": probability(1.0) } }));
        stages.push(json!({ "label": p.lost.label, "displayOrder": n + 1, "metadata": { "probability": probability(0.0) } }));
        let body = json!({ "label": p.label, "displayOrder": p.order, "stages": stages });
        vec![
            Request::new(
                "01-pipeline.json".to_string(),
                "POST",
                "/crm/v3/pipelines/deals",
                body,
                format!(
                    "{} «{}» {}",
                    lang.pick("Воронка сделок", "Deal pipeline"),
                    p.label,
                    lang.pick("с этапами", "with its stages")
                ),
            )
            .schema("PipelineInput")
            .save(
                format!("{prefix}_pipeline"),
                ".id",
                Some(format!("{} «{}»", lang.pick("воронка", "pipeline"), p.label)),
            ),
        ]
    }

    fn automates(&self, _kind: RuleKind) -> bool {
        false
    }

    fn manual_notes(&self, lang: Lang) -> Vec<String> {
        vec![
            lang.pick(
                "Несколько воронок сделок доступны в Sales Hub Starter и выше.",
                "More than one deal pipeline needs Sales Hub Starter or above.",
            )
            .to_string(),
            lang.pick(
                "Вероятность этапа в HubSpot — шагами по 0,1; этапы в работе ограничены 0,1–0,9, потому что 1,0 и 0,0 означают «выиграно» и «проиграно». Округление видно в таблице ниже.",
                "HubSpot stage probability goes in steps of 0.1; stages in progress are kept within 0.1–0.9 because 1.0 and 0.0 mean closed won and closed lost. The rounding is shown in the table below.",
            )
            .to_string(),
            lang.pick(
                "Обязательные свойства сделки по этапам, задачи и действия этапов настраиваются в интерфейсе (Settings → Objects → Deals → Pipelines, затем Workflows). Чек-лист по этапам — ниже.",
                "Deal properties required per stage, tasks and stage actions are set in the UI (Settings → Objects → Deals → Pipelines, then Workflows). The per-stage checklist is below.",
            )
            .to_string(),
        ]
    }

    fn stage_probability(&self, stage: &StageSetup) -> String {
        probability(tenth(stage.probability))
    }

    fn stage_colour(&self, _stage: &StageSetup) -> Option<String> {
        None
    }
}
