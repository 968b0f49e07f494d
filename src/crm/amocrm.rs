//! amoCRM / Kommo API v4: one `POST /api/v4/leads/pipelines` per pipeline with its statuses
//! embedded (won 142 and lost 143 renamed at creation, stage guidance as `descriptions`,
//! colours from the fixed palette), then the lead custom fields with `required_statuses`.
//! Facts: crm-formats.md §1.

use super::setup::{PipelineSetup, Setup, StageSetup};
use super::{Api, Auth, CrmRenderer, Request, RuleKind, Target};
use crate::diag::{Diagnostic, Kind, Lang, Msg};
use serde_json::{Value, json};

pub struct AmoCrm;

/// Pipelines per account.
pub const MAX_PIPELINES: usize = 50;
/// Statuses per pipeline, the three system ones included.
pub const MAX_STATUSES: usize = 100;
/// System statuses of every pipeline: unsorted, won (142), lost (143).
pub const SYSTEM_STATUSES: usize = 3;
/// Characters of one stage description.
pub const MAX_DESCRIPTION: usize = 1000;
pub const WON_ID: u32 = 142;
pub const LOST_ID: u32 = 143;

/// The 21 writable status colours, as documented.
pub const PALETTE: [&str; 21] = [
    "#fffeb2", "#fffd7f", "#fff000", "#ffeab2", "#ffdc7f", "#ffce5a", "#ffdbdb", "#ffc8c8", "#ff8f92",
    "#d6eaff", "#c1e0ff", "#98cbff", "#ebffb1", "#deff81", "#87f2c0", "#f9deff", "#f3beff", "#ccc8f9",
    "#eb93ff", "#f2f3f4", "#e6e8ea",
];

fn rgb(hex: &str) -> Option<(i32, i32, i32)> {
    let h = hex.trim_start_matches('#');
    if h.len() != 6 {
        return None;
    }
    let c = |i: usize| i32::from_str_radix(&h[i..i + 2], 16).ok();
    Some((c(0)?, c(2)?, c(4)?))
}

/// The palette colour closest to `colour` (`#rrggbb`) in RGB space; the first on a tie.
pub fn nearest(colour: &str) -> &'static str {
    let Some((r, g, b)) = rgb(&colour.to_lowercase()) else {
        return PALETTE[0];
    };
    PALETTE
        .iter()
        .min_by_key(|p| {
            let (pr, pg, pb) = rgb(p).unwrap_or((0, 0, 0));
            (pr - r).pow(2) + (pg - g).pow(2) + (pb - b).pow(2)
        })
        .copied()
        .unwrap_or(PALETTE[0])
}

fn limit(what: Msg, value: usize, limit: usize) -> Kind {
    Kind::CrmLimit {
        crm: "amoCRM",
        what,
        value,
        limit,
    }
}

/// Field names required somewhere in the pipeline, in order of first appearance, each with
/// the stages (1-based order) that require it.
pub fn required_fields(p: &PipelineSetup) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for s in &p.stages {
        for f in &s.required_fields {
            match out.iter_mut().find(|(n, _)| n == f) {
                Some((_, stages)) => stages.push(s.order),
                None => out.push((f.clone(), vec![s.order])),
            }
        }
    }
    out
}

fn status(s: &StageSetup) -> Value {
    let mut v = json!({ "name": s.label, "sort": s.order * 10 });
    if let Some(c) = &s.colour {
        v["color"] = json!(nearest(c));
    }
    if let Some(d) = &s.description {
        v["descriptions"] = json!([{ "level": "newbie", "description": d }]);
    }
    v
}

impl CrmRenderer for AmoCrm {
    fn target(&self) -> Target {
        Target::Amocrm
    }

    fn title(&self) -> &'static str {
        "amoCRM / Kommo"
    }

    fn api(&self) -> Api {
        Api {
            url_var: "AMOCRM_URL",
            url_example: "https://example.amocrm.ru",
            url_default: None,
            token_var: "AMOCRM_TOKEN",
            token_help: (
                "долгосрочный токен интеграции (amoCRM → Настройки → Интеграции → создать интеграцию → Ключи и доступы); нужны права администратора",
                "a long-lived integration token (amoCRM → Settings → Integrations → create an integration → Keys and scopes); admin rights are needed",
            ),
            auth: Auth::Bearer,
        }
    }

    fn check(&self, setup: &Setup) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if let Some(p) = setup.pipelines.get(MAX_PIPELINES) {
            out.push(Diagnostic::new(
                limit(
                    Msg::new("число воронок", "the number of pipelines"),
                    setup.pipelines.len(),
                    MAX_PIPELINES,
                ),
                p.span,
            ));
        }
        for p in &setup.pipelines {
            let statuses = p.stages.len() + SYSTEM_STATUSES;
            if statuses > MAX_STATUSES {
                out.push(Diagnostic::new(
                    limit(
                        Msg::new(
                            format!("статусов в воронке `{}` вместе с тремя системными", p.name),
                            format!("the statuses of pipeline `{}` with the three system ones", p.name),
                        ),
                        statuses,
                        MAX_STATUSES,
                    ),
                    p.span,
                ));
            }
            for s in &p.stages {
                let chars = s.description.as_deref().map_or(0, |d| d.chars().count());
                if chars > MAX_DESCRIPTION {
                    out.push(Diagnostic::new(
                        limit(
                            Msg::new(
                                format!(
                                    "символов в описании этапа `{}` (инструкция, критерии, цепочка)",
                                    s.name
                                ),
                                format!(
                                    "characters in the description of stage `{}` (guidance, criteria, chain)",
                                    s.name
                                ),
                            ),
                            chars,
                            MAX_DESCRIPTION,
                        ),
                        s.span,
                    ));
                }
                if let (Some(colour), Some((span, true))) = (&s.colour, s.colour_written) {
                    let chosen = nearest(colour);
                    if chosen != colour.as_str() {
                        out.push(Diagnostic::new(
                            Kind::CrmColour {
                                value: colour.clone(),
                                chosen: chosen.to_string(),
                            },
                            span,
                        ));
                    }
                }
            }
        }
        out
    }

    fn requests(&self, p: &PipelineSetup, prefix: &str, lang: Lang) -> Vec<Request> {
        let mut statuses = vec![
            json!({ "id": WON_ID, "name": p.won.label }),
            json!({ "id": LOST_ID, "name": p.lost.label }),
        ];
        statuses.extend(p.stages.iter().map(status));
        let body = json!([{
            "name": p.label,
            "sort": p.order * 10,
            "is_main": false,
            "is_unsorted_on": true,
            "request_id": p.name,
            "_embedded": { "statuses": statuses },
        }]);
        let pid = format!("{prefix}_pipeline");
        let mut create = Request::new(
            "01-pipeline.json".to_string(),
            "POST",
            "/api/v4/leads/pipelines",
            body,
            format!(
                "{} «{}» {}",
                lang.pick("Воронка", "Pipeline"),
                p.label,
                lang.pick(
                    "со статусами, цветами и инструкциями этапов",
                    "with its statuses, colours and stage guidance"
                )
            ),
        )
        .schema("PipelineCreate[]")
        .save(
            pid.clone(),
            "._embedded.pipelines[0].id",
            Some(format!("{} «{}»", lang.pick("воронка", "pipeline"), p.label)),
        );
        let fields = required_fields(p);
        if !fields.is_empty() {
            for s in &p.stages {
                let filter = format!(
                    "[._embedded.pipelines[0]._embedded.statuses[] | select(.name == {})][0].id",
                    serde_json::to_string(&s.label).unwrap_or_default()
                );
                create = create.save(format!("{prefix}_s{}", s.order), filter, None);
            }
        }
        let mut out = vec![create];
        if !fields.is_empty() {
            let body: Vec<Value> = fields
                .iter()
                .map(|(name, stages)| {
                    let required: Vec<Value> = stages
                        .iter()
                        .map(|_| json!({ "pipeline_id": 0, "status_id": 0 }))
                        .collect();
                    json!({ "name": name, "type": "text", "required_statuses": required })
                })
                .collect();
            let mut req = Request::new(
                "02-custom-fields.json".to_string(),
                "POST",
                "/api/v4/leads/custom_fields",
                Value::Array(body),
                lang.pick(
                    "Поля сделки, обязательные на этапах (id воронки и статусов подставляет скрипт)",
                    "Deal fields required at stages (the script fills in the pipeline and status ids)",
                )
                .to_string(),
            )
            .schema("custom_fields");
            for (k, (name, stages)) in fields.iter().enumerate() {
                for (j, order) in stages.iter().enumerate() {
                    req = req
                        .fill(format!(".[{k}].required_statuses[{j}].pipeline_id"), &pid, None)
                        .fill(
                            format!(".[{k}].required_statuses[{j}].status_id"),
                            format!("{prefix}_s{order}"),
                            None,
                        );
                }
                req = req.save(
                    format!("{prefix}_field{}", k + 1),
                    format!("._embedded.custom_fields[{k}].id"),
                    Some(format!("{} «{name}»", lang.pick("поле", "field"))),
                );
            }
            out.push(req);
        }
        out
    }

    fn automates(&self, kind: RuleKind) -> bool {
        matches!(kind, RuleKind::RequiredFields | RuleKind::Guidance)
    }

    fn manual_notes(&self, lang: Lang) -> Vec<String> {
        vec![
            lang.pick(
                "Автоматические действия этапов (цифровая воронка: задачи, смена этапа, уведомления) создаются только в интерфейсе: «Сделки → Автоматизировать». Чек-лист по этапам — ниже.",
                "Stage automation (the digital pipeline: tasks, stage changes, notifications) is created in the UI only: «Leads → Automate». The per-stage checklist is below.",
            )
            .to_string(),
            lang.pick(
                "Причины отказа заводятся в настройках воронки («Причины отказа»); закрытие сделки как проигранной — статус 143.",
                "Loss reasons are set in the pipeline settings («Loss reasons»); a lost deal goes to status 143.",
            )
            .to_string(),
            lang.pick(
                "Если поле с таким названием в аккаунте уже есть, уберите его из 02-custom-fields.json и отметьте обязательность в настройках поля.",
                "If a field with that name already exists in the account, remove it from 02-custom-fields.json and mark it required in the field's settings.",
            )
            .to_string(),
        ]
    }

    fn stage_probability(&self, _stage: &StageSetup) -> String {
        "—".to_string()
    }

    fn stage_colour(&self, stage: &StageSetup) -> Option<String> {
        stage.colour.as_deref().map(|c| nearest(c).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_keeps_palette_colours_and_maps_others() {
        for c in PALETTE {
            assert_eq!(nearest(c), c);
        }
        assert_eq!(nearest("#99ccff"), "#98cbff");
        assert_eq!(nearest("#ffffff"), "#f2f3f4");
        assert_eq!(nearest("#fff001"), "#fff000");
    }
}
