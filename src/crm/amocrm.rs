//! amoCRM / Kommo API v4. Per pipeline: a lookup by name, then (only when it is missing) one
//! `POST /api/v4/leads/pipelines` with its statuses embedded (won 142 and lost 143 renamed at
//! creation, colours from the fixed palette), a status for each stage a found pipeline lacks,
//! and the stage guidance as `descriptions` per status (`PATCH …/statuses/{id}`, read back
//! with `?with=descriptions`). After every pipeline, the lead custom fields, typed, with
//! `required_statuses` pointing at the status a deal enters when it leaves the stage that
//! collects the field (won 142 after the last stage): amoCRM demands a field on the way
//! *into* a status. Facts: crm-formats.md §1.2, §1.6, §1.8.

use super::setup::{Exit, PipelineSetup, Rule, Setup, StageSetup};
use super::{
    Api, Auth, Condition, CrmRenderer, FieldKind, FieldSetup, Request, RuleKind, Target, json_str,
    required_item,
};
use crate::diag::{Diagnostic, Kind, Lang, Msg};
use crate::model::CardEntity;
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

fn status(s: &StageSetup) -> Value {
    let mut v = json!({ "name": s.label, "sort": s.order * 10 });
    if let Some(c) = &s.colour {
        v["color"] = json!(nearest(c));
    }
    v
}

/// The custom field type for a kind (the documented types, see docs/crm-apis.md); money is a
/// number too (`numeric`: `monetary` is a paid option), the account's currency applies; a
/// phone and an email are text (the multi-value `multitext` is the contact's own Телефон and
/// Email, found by name).
pub fn field_type(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Date => "date",
        FieldKind::DateTime => "date_time",
        FieldKind::Number | FieldKind::Money => "numeric",
        FieldKind::Choice => "select",
        FieldKind::MultiChoice => "multiselect",
        FieldKind::Url => "url",
        FieldKind::Flag => "checkbox",
        FieldKind::Text | FieldKind::DealAmount | FieldKind::Phone | FieldKind::Email => "text",
    }
}

/// The path word of a record's custom fields.
fn entity_path(e: CardEntity) -> &'static str {
    match e {
        CardEntity::Deal => "leads",
        CardEntity::Contact => "contacts",
        CardEntity::Company => "companies",
    }
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
        let pid = format!("{prefix}_pipeline");
        let stage_var = |s: &StageSetup| format!("{prefix}_s{}", s.order);
        let name = json_str(&p.label);
        let what = format!("{} «{}»", lang.pick("воронка", "pipeline"), p.label);
        let mut n = 0;
        let mut file = |name: &str| {
            n += 1;
            format!("{n:02}-{name}.json")
        };
        let mut out = Vec::new();
        // Look the pipeline up by name first: a rerun finds it and its statuses.
        let mut lookup = Request::get(
            file("pipelines"),
            "/api/v4/leads/pipelines",
            lang.pick(
                "Поиск воронки по названию (повторный запуск не создаёт её заново)",
                "Looking the pipeline up by name (a rerun does not create it again)",
            )
            .to_string(),
        )
        .save(
            pid.clone(),
            format!("[._embedded.pipelines[]? | select(.name == {name})][0].id // empty"),
            Some(what.clone()),
        );
        for s in &p.stages {
            lookup = lookup.save(
                stage_var(s),
                format!(
                    "[._embedded.pipelines[]? | select(.name == {name}) | ._embedded.statuses[]? | select(.name == {})][0].id // empty",
                    json_str(&s.label)
                ),
                Some(format!("{} «{}»", lang.pick("этап", "stage"), s.label)),
            );
        }
        out.push(lookup);
        // Statuses can be embedded only at creation (§1.2); descriptions go per status after.
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
        let mut create = Request::new(
            file("pipeline"),
            "POST",
            "/api/v4/leads/pipelines",
            body,
            format!(
                "{} «{}» {}",
                lang.pick("Воронка", "Pipeline"),
                p.label,
                lang.pick(
                    "со статусами и цветами (если её ещё нет)",
                    "with its statuses and colours (unless it exists)"
                )
            ),
        )
        .schema("PipelineCreate[]")
        .when(Condition::Unset(pid.clone()))
        .save(pid.clone(), "._embedded.pipelines[0].id", Some(what));
        for s in &p.stages {
            create = create.save(
                stage_var(s),
                format!(
                    "[._embedded.pipelines[0]._embedded.statuses[] | select(.name == {})][0].id",
                    json_str(&s.label)
                ),
                None,
            );
        }
        out.push(create);
        // A stage the regulation gained after the pipeline was created.
        for s in &p.stages {
            out.push(
                Request::new(
                    file("status"),
                    "POST",
                    format!("/api/v4/leads/pipelines/{{{pid}}}/statuses"),
                    json!([status(s)]),
                    format!(
                        "{} «{}» ({})",
                        lang.pick("Статус", "Status"),
                        s.label,
                        lang.pick(
                            "только если воронка уже была, а этапа в ней нет",
                            "only when the pipeline existed without this stage"
                        )
                    ),
                )
                .schema("StatusCreate[]")
                .when(Condition::Unset(stage_var(s)))
                .save(
                    stage_var(s),
                    "._embedded.statuses[0].id",
                    Some(format!("{} «{}»", lang.pick("этап", "stage"), s.label)),
                ),
            );
        }
        let described: Vec<&StageSetup> = p.stages.iter().filter(|s| s.description.is_some()).collect();
        if described.is_empty() {
            return out;
        }
        // Stage guidance: `descriptions` per status (§1.6), the existing description edited by
        // its id so that a rerun does not add a second one of the same level.
        let descriptions_path = format!("/api/v4/leads/pipelines/{{{pid}}}/statuses?with=descriptions");
        let desc_var = |s: &StageSetup| format!("{prefix}_d{}", s.order);
        let newbie = |s: &StageSetup| {
            format!(
                "._embedded.statuses[]? | select(.name == {}) | .descriptions[]? | select(.level == \"newbie\")",
                json_str(&s.label)
            )
        };
        let mut read = Request::get(
            file("statuses"),
            descriptions_path.clone(),
            lang.pick(
                "Статусы воронки с описаниями (id уже заданных описаний)",
                "The pipeline's statuses with descriptions (ids of descriptions already set)",
            )
            .to_string(),
        );
        let same_var = |s: &StageSetup| format!("{prefix}_same{}", s.order);
        for s in &described {
            read = read
                .save(desc_var(s), format!("[{}][0].id // empty", newbie(s)), None)
                .save(
                    same_var(s),
                    format!(
                        "[{} | select(.description == {})][0].id // empty",
                        newbie(s),
                        json_str(s.description.as_deref().unwrap_or_default())
                    ),
                    None,
                );
        }
        out.push(read);
        for s in &described {
            let d = s.description.as_deref().unwrap_or_default();
            out.push(
                Request::new(
                    file("status-description"),
                    "PATCH",
                    format!("/api/v4/leads/pipelines/{{{pid}}}/statuses/{{{}}}", stage_var(s)),
                    json!({ "descriptions": [{ "level": "newbie", "description": d }] }),
                    format!(
                        "{} «{}»",
                        lang.pick("Инструкция этапа", "Stage guidance"),
                        s.label
                    ),
                )
                .schema("StatusUpdate")
                .fill_optional(".descriptions[0].id", desc_var(s))
                // Not sent when the status already reads the same.
                .when(Condition::Unset(same_var(s))),
            );
        }
        let check: Vec<String> = described
            .iter()
            .map(|s| {
                format!(
                    "([{} | select(.description == {})] | length > 0)",
                    newbie(s),
                    json_str(s.description.as_deref().unwrap_or_default())
                )
            })
            .collect();
        out.push(
            Request::get(
                file("statuses-check"),
                descriptions_path,
                lang.pick(
                    "Проверка: инструкции этапов прочитаны обратно",
                    "Check: the stage guidance reads back",
                )
                .to_string(),
            )
            .save(format!("{prefix}_described"), check.join(" and "), None)
            .verify(),
        );
        out
    }

    fn account_requests(&self, _setup: &Setup, fields: &[FieldSetup], lang: Lang) -> Vec<Request> {
        let created: Vec<&FieldSetup> = fields
            .iter()
            .filter(|f| f.kind != FieldKind::DealAmount)
            .collect();
        let var = |k: usize| format!("f{}", k + 1);
        let mut out = Vec::new();
        let mut n = 0;
        for entity in [CardEntity::Deal, CardEntity::Contact, CardEntity::Company] {
            let of: Vec<(usize, &&FieldSetup)> = created
                .iter()
                .enumerate()
                .filter(|(_, f)| f.entity == entity)
                .collect();
            if of.is_empty() {
                continue;
            }
            let path = format!("/api/v4/{}/custom_fields", entity_path(entity));
            let (what_ru, what_en) = super::fields::entity_words(entity);
            n += 1;
            let file = match entity {
                CardEntity::Deal => format!("{n:02}-custom-fields.json"),
                _ => format!("{n:02}-{}-custom-fields.json", entity_path(entity)),
            };
            let mut lookup = Request::get(
                file,
                format!("{path}?limit=250"),
                match entity {
                    CardEntity::Deal => lang.pick(
                        "Поиск полей сделки по названию (уже существующие не создаются заново)",
                        "Looking the deal fields up by name (existing ones are not created again)",
                    ),
                    CardEntity::Contact => lang.pick(
                        "Поиск полей контакта по названию (уже существующие не создаются заново)",
                        "Looking the contact fields up by name (existing ones are not created again)",
                    ),
                    CardEntity::Company => lang.pick(
                        "Поиск полей компании по названию (уже существующие не создаются заново)",
                        "Looking the company fields up by name (existing ones are not created again)",
                    ),
                }
                .to_string(),
            );
            for (k, f) in &of {
                lookup = lookup.save(
                    var(*k),
                    format!(
                        "[._embedded.custom_fields[]? | select(.name == {})][0].id // empty",
                        json_str(&f.name)
                    ),
                    Some(format!("{} «{}»", lang.pick("поле", "field"), f.name)),
                );
            }
            out.push(lookup);
            for (k, f) in of {
                let k = &k;
                let required: Vec<Value> = f
                    .required_on
                    .iter()
                    .map(|e| match e {
                        Exit::Won { .. } => json!({ "pipeline_id": 0, "status_id": WON_ID }),
                        Exit::Stage { .. } => json!({ "pipeline_id": 0, "status_id": 0 }),
                    })
                    .collect();
                let fill = |mut req: Request, base: &str| {
                    for (j, e) in f.required_on.iter().enumerate() {
                        req = req.fill(
                            format!("{base}.required_statuses[{j}].pipeline_id"),
                            format!("p{}_pipeline", e.pipeline()),
                            None,
                        );
                        if let Exit::Stage { pipeline, stage, .. } = e {
                            req = req.fill(
                                format!("{base}.required_statuses[{j}].status_id"),
                                format!("p{pipeline}_s{stage}"),
                                None,
                            );
                        }
                    }
                    req
                };
                n += 1;
                let update = Request::new(
                    format!("{n:02}-custom-field-update.json"),
                    "PATCH",
                    path.clone(),
                    json!([{ "id": 0, "required_statuses": required }]),
                    format!(
                        "{} «{}»: {}",
                        lang.pick(what_ru, what_en),
                        f.name,
                        lang.pick(
                            "обязательность по статусам (если поле уже есть)",
                            "required statuses (when the field exists)"
                        )
                    ),
                )
                .schema("custom_fields")
                .when(Condition::Set(var(*k)))
                .fill(".[0].id", var(*k), None);
                out.push(fill(update, ".[0]"));
                n += 1;
                let mut body =
                    json!({ "name": f.name, "type": field_type(f.kind), "required_statuses": required });
                if !f.options.is_empty() {
                    let enums: Vec<Value> = f
                        .options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| json!({ "value": o, "sort": (i + 1) * 10 }))
                        .collect();
                    body["enums"] = json!(enums);
                }
                let create = Request::new(
                    format!("{n:02}-custom-field.json"),
                    "POST",
                    path.clone(),
                    json!([body]),
                    format!(
                        "{} «{}» ({}: {})",
                        lang.pick(what_ru, what_en),
                        f.name,
                        lang.pick("тип", "type"),
                        field_type(f.kind)
                    ),
                )
                .schema("custom_fields")
                .when(Condition::Unset(var(*k)))
                .save(
                    var(*k),
                    "._embedded.custom_fields[0].id",
                    Some(format!("{} «{}»", lang.pick("поле", "field"), f.name)),
                );
                out.push(fill(create, ".[0]"));
            }
        }
        out
    }

    fn checklist_item(&self, stage: &StageSetup, rule: &Rule, lang: Lang) -> Option<String> {
        match rule.kind {
            RuleKind::Guidance => None,
            RuleKind::RequiredFields => Some(required_item(stage, rule, lang, self)),
            _ => Some(rule.text.clone()),
        }
    }

    fn automates(&self, kind: RuleKind) -> bool {
        matches!(kind, RuleKind::RequiredFields | RuleKind::Guidance)
    }

    fn manual_notes(&self, lang: Lang) -> Vec<String> {
        vec![
            lang.pick(
                "Автоматические действия этапов (цифровая воронка: задачи, смена этапа, уведомления) создаются только в интерфейсе: «Сделки → Автоматизировать». Что настроить на каждом этапе — в чек-листах воронок выше.",
                "Stage automation (the digital pipeline: tasks, stage changes, notifications) is created in the UI only: «Leads → Automate». What to set up at each stage is in the pipelines' checklists above.",
            )
            .to_string(),
            lang.pick(
                "Причины отказа заводятся в настройках воронки («Причины отказа»); закрытие сделки как проигранной — статус 143.",
                "Loss reasons are set in the pipeline settings («Loss reasons»); a lost deal goes to status 143.",
            )
            .to_string(),
            lang.pick(
                "Поле сделки с тем же названием, что уже есть в аккаунте, не создаётся заново: скрипт задаёт его обязательность по статусам воронок положения (прежние обязательные статусы поля заменяются). Поле «Бюджет» — встроенный бюджет сделки (price), его обязательность на этапе задаётся в интерфейсе.",
                "A deal field whose name the account already has is not created again: the script sets its required statuses to those of the regulation's pipelines (replacing the field's earlier ones). A «Budget» field is the deal's built-in budget (price); make it required at a stage in the UI.",
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
