//! HubSpot CRM v3: one `POST /crm/v3/pipelines/deals` per pipeline (`PipelineInput`), the
//! stages with `displayOrder`, `label` and `metadata.probability` in steps of 0.1 (1.0 closed
//! won, 0.0 closed lost), sent as strings as the OpenAPI spec types them. Facts:
//! crm-formats.md §3.

use super::setup::{PipelineSetup, Setup, StageSetup};
use super::{Api, Auth, Condition, CrmRenderer, Request, RuleKind, Target, json_str, tenth};
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
        let pid = format!("{prefix}_pipeline");
        let what = format!("{} «{}»", lang.pick("воронка", "pipeline"), p.label);
        vec![
            Request::get(
                "01-pipelines.json".to_string(),
                "/crm/v3/pipelines/deals",
                lang.pick(
                    "Поиск воронки по названию (повторный запуск не создаёт её заново)",
                    "Looking the pipeline up by name (a rerun does not create it again)",
                )
                .to_string(),
            )
            .save(
                pid.clone(),
                format!(
                    "[.results[]? | select(.label == {})][0].id // empty",
                    json_str(&p.label)
                ),
                Some(what.clone()),
            ),
            Request::new(
                "02-pipeline.json".to_string(),
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
            .when(Condition::Unset(pid.clone()))
            .save(pid, ".id", Some(what)),
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
                "Вероятность этапа в HubSpot — шагами по 0,1; этапы в работе ограничены 0,1–0,9, потому что 1,0 и 0,0 означают «выиграно» и «проиграно». Точная вероятность положения — в столбце «вероятность» таблиц этапов выше; где округление меняет взвешенную сумму сделок этапа больше чем на 25 %, под таблицей стоит предупреждение. Чтобы прогноз считался по точной цифре, заведите свойство сделки (например, «Вероятность по положению», число) и задавайте его workflow на каждом этапе.",
                "HubSpot stage probability goes in steps of 0.1; stages in progress are kept within 0.1–0.9 because 1.0 and 0.0 mean closed won and closed lost. The regulation's exact probability is in the «probability» column of the stage tables above; where rounding changes a stage's weighted amount by more than 25 %, a warning follows the table. To forecast with the exact figure, add a deal property (e.g. «Regulation probability», a number) and set it with a workflow at each stage.",
            )
            .to_string(),
            lang.pick(
                "Обязательные свойства сделки по этапам, задачи и действия этапов настраиваются в интерфейсе (Settings → Objects → Deals → Pipelines, затем Workflows); что настроить на каждом этапе — в чек-листах воронок выше.",
                "Deal properties required per stage, tasks and stage actions are set in the UI (Settings → Objects → Deals → Pipelines, then Workflows); what to set up at each stage is in the pipelines' checklists above.",
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

    fn required_fields_how(&self, lang: Lang) -> String {
        lang.pick(
            "Создайте свойства сделки с этими типами и отметьте их обязательными для этапа, на который переходит сделка: Settings → Objects → Deals → Pipelines → «Edit stage properties»",
            "Create deal properties of these kinds and make them required for the stage the deal moves to: Settings → Objects → Deals → Pipelines → «Edit stage properties»",
        )
        .to_string()
    }

    fn rounding_note(&self, stage: &StageSetup, lang: Lang) -> Option<String> {
        rounding_note(stage, lang)
    }
}

/// The share by which HubSpot's rounding may change a stage's weighted amount before the
/// README warns.
pub const ROUNDING_WARN_SHARE: f64 = 0.25;

/// A warning when HubSpot's probability differs from the regulation's by more than
/// [`ROUNDING_WARN_SHARE`] of it (2 % → 0.1 weighs the stage's deals five times as much).
pub fn rounding_note(stage: &StageSetup, lang: Lang) -> Option<String> {
    let exact = stage.probability;
    let shown = tenth(exact);
    let share = if exact > 0.0 {
        (shown - exact).abs() / exact
    } else {
        f64::INFINITY
    };
    (share > ROUNDING_WARN_SHARE).then(|| {
        let exact_pct = crate::render::format::percent(exact, lang);
        let shown = probability(shown);
        if exact <= 0.0 {
            return match lang {
                Lang::Ru => format!(
                    "Этап «{}»: вероятность {exact_pct} в HubSpot станет {shown} — сделки этапа войдут во взвешенный прогноз HubSpot, хотя по положению не должны.",
                    stage.label
                ),
                Lang::En => format!(
                    "Stage «{}»: probability {exact_pct} becomes {shown} in HubSpot — the stage's deals enter HubSpot's weighted forecast though the regulation gives them none.",
                    stage.label
                ),
            };
        }
        let ratio = tenth(exact) / exact;
        let (times, ru, en) = if ratio >= 1.0 {
            (ratio, "больше", "larger")
        } else {
            (1.0 / ratio, "меньше", "smaller")
        };
        match lang {
            Lang::Ru => format!(
                "Этап «{}»: вероятность {exact_pct} в HubSpot станет {shown} — взвешенная сумма сделок этапа в прогнозе HubSpot будет в {} раза {ru} точной.",
                stage.label,
                format!("{times:.1}").replace('.', ",")
            ),
            Lang::En => format!(
                "Stage «{}»: probability {exact_pct} becomes {shown} in HubSpot — the stage's weighted amount in HubSpot's forecast will be {times:.1} times {en} than the exact one.",
                stage.label
            ),
        }
    })
}
