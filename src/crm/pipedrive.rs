//! Pipedrive API v2: per pipeline a lookup by name, `POST /api/v2/pipelines` when missing, then
//! the stages by name and `POST /api/v2/stages` for each missing one, in order
//! (`deal_probability` in whole percent, rotting after the stage's `лимит`). After every
//! pipeline, the deal fields (typed, keyed by `field_code`) with `required_fields.stage_ids`
//! pointing at the stage a deal enters when it leaves the one that collects the field, and
//! `required_fields.statuses` = won after the last stage. Won and lost are deal statuses, not
//! stages. Facts: crm-formats.md §4.

use super::setup::{Exit, PipelineSetup, Rule, Setup, StageSetup};
use super::{
    Api, Auth, Condition, CrmRenderer, FieldKind, FieldSetup, Request, RuleKind, Target, json_str,
    required_item,
};
use crate::diag::{Diagnostic, Lang};
use crate::model::CardEntity;
use serde_json::{Value, json};

pub struct Pipedrive;

fn percent(p: f64) -> i64 {
    (p * 100.0).round().clamp(0.0, 100.0) as i64
}

/// Whole calendar days after which a deal rots: the limit in calendar days rounded up, at least 1.
pub fn rotting_days(limit: f64) -> i64 {
    limit.ceil().max(1.0) as i64
}

/// The deal field type for a kind (Pipedrive's field types: `varchar`, `double`, `monetary`,
/// `date`, …; see docs/crm-apis.md).
/// Pipedrive has no date-with-time, yes/no, link or email type: a date, a list of «Да»/«Нет»
/// and text stand for them.
pub fn field_type(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Date | FieldKind::DateTime => "date",
        FieldKind::Number => "double",
        FieldKind::Money => "monetary",
        FieldKind::Choice | FieldKind::Flag => "enum",
        FieldKind::MultiChoice => "set",
        FieldKind::Phone => "phone",
        FieldKind::Text | FieldKind::DealAmount | FieldKind::Url | FieldKind::Email => "varchar",
    }
}

/// The options of a list field: its values, or «Да»/«Нет» for a yes/no field.
fn options(f: &FieldSetup, lang: Lang) -> Vec<Value> {
    let values: Vec<String> = if f.kind == FieldKind::Flag {
        vec![
            lang.pick("Да", "Yes").to_string(),
            lang.pick("Нет", "No").to_string(),
        ]
    } else {
        f.options.clone()
    };
    values.iter().map(|o| json!({ "label": o })).collect()
}

/// The fields endpoint of a record: `personFields` for a contact, `organizationFields` for a
/// company (same v2 shape as `dealFields`).
fn entity_fields(e: CardEntity) -> &'static str {
    match e {
        CardEntity::Deal => "dealFields",
        CardEntity::Contact => "personFields",
        CardEntity::Company => "organizationFields",
    }
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
        let what = format!("{} «{}»", lang.pick("воронка", "pipeline"), p.label);
        let mut out = vec![
            Request::get(
                "01-pipelines.json".to_string(),
                "/api/v2/pipelines?limit=500",
                lang.pick(
                    "Поиск воронки по названию (повторный запуск не создаёт её заново)",
                    "Looking the pipeline up by name (a rerun does not create it again)",
                )
                .to_string(),
            )
            .save(
                pid.clone(),
                format!(
                    "[.data[]? | select(.name == {})][0].id // empty",
                    json_str(&p.label)
                ),
                Some(what.clone()),
            ),
            Request::new(
                "02-pipeline.json".to_string(),
                "POST",
                "/api/v2/pipelines",
                json!({ "name": p.label, "is_deal_probability_enabled": true }),
                format!("{} «{}»", lang.pick("Воронка", "Pipeline"), p.label),
            )
            .schema("AddPipelineRequest")
            .when(Condition::Unset(pid.clone()))
            .save(pid.clone(), ".data.id", Some(what)),
        ];
        let mut lookup = Request::get(
            "03-stages.json".to_string(),
            format!("/api/v2/stages?pipeline_id={{{pid}}}&limit=500"),
            lang.pick(
                "Этапы воронки (поиск по названию)",
                "The pipeline's stages (lookup by name)",
            )
            .to_string(),
        );
        for s in &p.stages {
            lookup = lookup.save(
                format!("{prefix}_s{}", s.order),
                format!(
                    "[.data[]? | select(.name == {})][0].id // empty",
                    json_str(&s.label)
                ),
                Some(format!("{} «{}»", lang.pick("этап", "stage"), s.label)),
            );
        }
        out.push(lookup);
        for s in &p.stages {
            let var = format!("{prefix}_s{}", s.order);
            out.push(
                Request::new(
                    format!("{:02}-stage.json", s.order + 3),
                    "POST",
                    "/api/v2/stages",
                    stage_body(s),
                    format!("{} «{}»", lang.pick("Этап", "Stage"), s.label),
                )
                .schema("AddStageRequest")
                .when(Condition::Unset(var.clone()))
                .fill(".pipeline_id", &pid, None)
                .save(
                    var,
                    ".data.id",
                    Some(format!("{} «{}»", lang.pick("этап", "stage"), s.label)),
                ),
            );
        }
        out
    }

    fn account_requests(&self, _setup: &Setup, fields: &[FieldSetup], lang: Lang) -> Vec<Request> {
        let mut out = deal_fields(fields, lang);
        out.extend(record_fields(fields, out.len(), lang));
        out
    }
    fn checklist_item(&self, stage: &StageSetup, rule: &Rule, lang: Lang) -> Option<String> {
        match rule.kind {
            RuleKind::RequiredFields => {
                let mut text = required_item(stage, rule, lang, self);
                if !stage.field_records.is_empty() {
                    let names: Vec<String> = stage.field_records.keys().map(|f| format!("«{f}»")).collect();
                    text.push_str(&format!(
                        " {} {}.",
                        lang.pick(
                            "Поля контакта и компании Pipedrive не требует на этапе — проверяйте их при переходе вручную:",
                            "Pipedrive cannot demand person and organization fields at a stage: check them by hand on the move:"
                        ),
                        names.join(", ")
                    ));
                }
                Some(text)
            }
            // Rotting counts days without updates, not time in the stage: the limit itself
            // needs an automation.
            RuleKind::TimeLimit => Some(format!(
                "{}. {}",
                rule.text,
                match (stage.limit_calendar_days, lang) {
                    (Some(d), Lang::Ru) => format!(
                        "Запросы включают «гниение» сделки через {0} дн. (days_to_rotten), но Pipedrive считает дни без обновлений сделки, а не время на этапе: любое действие сбрасывает счёт. Сам лимит задайте автоматизацией (Automations), которая уведомляет ответственного и РОП, когда сделка пробыла на этапе дольше {0} календарных дней.",
                        rotting_days(d)
                    ),
                    (Some(d), Lang::En) => format!(
                        "The requests turn on rotting after {0} days (days_to_rotten), but Pipedrive counts days without updates to the deal, not time in the stage: any activity resets it. Enforce the limit itself with an automation (Automations) that notifies the owner and the head of sales once the deal has been in the stage for more than {0} calendar days.",
                        rotting_days(d)
                    ),
                    _ => String::new(),
                }
            )),
            kind => (!self.automates(kind)).then(|| rule.text.clone()),
        }
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
                "Задачи и действия этапов настраиваются в интерфейсе (Automations); что настроить на каждом этапе — в чек-листах воронок выше. Поле сделки с тем же названием, что уже есть в аккаунте, не создаётся заново: скрипт задаёт его обязательность по этапам положения. Поле «Бюджет» — встроенная сумма сделки (value), оно не создаётся.",
                "Stage tasks and actions are set in the UI (Automations); what to set up at each stage is in the pipelines' checklists above. A deal field whose name the account already has is not created again: the script sets its required stages. A «Budget» field is the deal's built-in value and is not created.",
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

fn deal_fields(fields: &[FieldSetup], lang: Lang) -> Vec<Request> {
    let created: Vec<&FieldSetup> = fields
        .iter()
        .filter(|f| f.kind != FieldKind::DealAmount && f.entity == CardEntity::Deal)
        .collect();
    if created.is_empty() {
        return Vec::new();
    }
    // A v2 deal field is keyed by `field_code` (no `id`): the response is
    // `{success, data: {field_name, field_code, field_type, …}}` (crm-formats.md §4.4).
    let var = |k: usize| format!("f{}", k + 1);
    let mut lookup = Request::get(
        "01-deal-fields.json".to_string(),
        "/api/v2/dealFields?limit=500",
        lang.pick(
            "Поиск полей сделки по названию (уже существующие не создаются заново)",
            "Looking the deal fields up by name (existing ones are not created again)",
        )
        .to_string(),
    );
    for (k, f) in created.iter().enumerate() {
        lookup = lookup.save(
            var(k),
            format!(
                "[.data[]? | select(.field_name == {})][0].field_code // empty",
                json_str(&f.name)
            ),
            Some(format!("{} «{}»", lang.pick("поле", "field"), f.name)),
        );
    }
    let mut out = vec![lookup];
    let mut n = 1;
    for (k, f) in created.iter().enumerate() {
        let stages: Vec<&Exit> = f
            .required_on
            .iter()
            .filter(|e| matches!(e, Exit::Stage { .. }))
            .collect();
        let won: Vec<usize> = f
            .required_on
            .iter()
            .filter(|e| matches!(e, Exit::Won { .. }))
            .map(Exit::pipeline)
            .collect();
        let mut required = json!({
            "enabled": true,
            "stage_ids": stages.iter().map(|_| json!(0)).collect::<Vec<_>>(),
        });
        if !won.is_empty() {
            let statuses: serde_json::Map<String, Value> = won
                .iter()
                .map(|p| (format!("p{p}_pipeline"), json!(["won"])))
                .collect();
            required["statuses"] = Value::Object(statuses);
        }
        let fill = |mut req: Request, base: &str| {
            for (j, e) in stages.iter().enumerate() {
                if let Exit::Stage { pipeline, stage, .. } = e {
                    req = req.fill(
                        format!("{base}.stage_ids[{j}]"),
                        format!("p{pipeline}_s{stage}"),
                        None,
                    );
                }
            }
            for p in &won {
                req = req.fill_key(format!("{base}.statuses"), format!("p{p}_pipeline"));
            }
            req
        };
        n += 1;
        let update = Request::new(
            format!("{n:02}-deal-field-update.json"),
            "PATCH",
            format!("/api/v2/dealFields/{{{}}}", var(k)),
            json!({ "required_fields": required }),
            format!(
                "{} «{}»: {}",
                lang.pick("Поле сделки", "Deal field"),
                f.name,
                lang.pick(
                    "обязательность на этапах (если поле уже есть)",
                    "required at stages (when the field exists)"
                )
            ),
        )
        .schema("dealFields")
        .when(Condition::Set(var(k)));
        out.push(fill(update, ".required_fields"));
        n += 1;
        let mut body = json!({
            "field_name": f.name,
            "field_type": field_type(f.kind),
            "required_fields": required,
        });
        if field_type(f.kind) == "enum" || field_type(f.kind) == "set" {
            body["options"] = json!(options(f, lang));
        }
        let create = Request::new(
            format!("{n:02}-deal-field.json"),
            "POST",
            "/api/v2/dealFields",
            body,
            format!(
                "{} «{}» ({}: {})",
                lang.pick("Поле сделки", "Deal field"),
                f.name,
                lang.pick("тип", "type"),
                field_type(f.kind)
            ),
        )
        .schema("dealFields")
        .when(Condition::Unset(var(k)))
        .save(
            var(k),
            ".data.field_code",
            Some(format!("{} «{}»", lang.pick("поле", "field"), f.name)),
        );
        out.push(fill(create, ".required_fields"));
    }
    out
}

/// Person and organization fields: created when missing, required on every save only when
/// `обязательное` (their `required_fields` has no stages).
fn record_fields(fields: &[FieldSetup], sent: usize, lang: Lang) -> Vec<Request> {
    let mut out = Vec::new();
    let mut n = sent;
    for entity in [CardEntity::Contact, CardEntity::Company] {
        let of: Vec<&FieldSetup> = fields.iter().filter(|f| f.entity == entity).collect();
        if of.is_empty() {
            continue;
        }
        let endpoint = entity_fields(entity);
        let (what_ru, what_en) = super::fields::entity_words(entity);
        let var = |k: usize| {
            format!(
                "{}_f{}",
                if entity == CardEntity::Contact {
                    "person"
                } else {
                    "org"
                },
                k + 1
            )
        };
        n += 1;
        let mut lookup = Request::get(
            format!("{n:02}-{endpoint}.json"),
            format!("/api/v2/{endpoint}?limit=500"),
            format!(
                "{}: {}",
                lang.pick(what_ru, what_en),
                lang.pick(
                    "поиск по названию (уже существующие не создаются заново)",
                    "looking up by name (existing ones are not created again)"
                )
            ),
        );
        for (k, f) in of.iter().enumerate() {
            lookup = lookup.save(
                var(k),
                format!(
                    "[.data[]? | select(.field_name == {})][0].field_code // empty",
                    json_str(&f.name)
                ),
                Some(format!("{} «{}»", lang.pick("поле", "field"), f.name)),
            );
        }
        out.push(lookup);
        for (k, f) in of.iter().enumerate() {
            n += 1;
            let mut body = json!({
                "field_name": f.name,
                "field_type": field_type(f.kind),
                "required_fields": { "enabled": f.always },
            });
            if field_type(f.kind) == "enum" || field_type(f.kind) == "set" {
                body["options"] = json!(options(f, lang));
            }
            out.push(
                Request::new(
                    format!("{n:02}-{endpoint}-field.json"),
                    "POST",
                    format!("/api/v2/{endpoint}"),
                    body,
                    format!(
                        "{} «{}» ({}: {})",
                        lang.pick(what_ru, what_en),
                        f.name,
                        lang.pick("тип", "type"),
                        field_type(f.kind)
                    ),
                )
                .schema("dealFields")
                .when(Condition::Unset(var(k)))
                .save(
                    var(k),
                    ".data.field_code",
                    Some(format!("{} «{}»", lang.pick("поле", "field"), f.name)),
                ),
            );
        }
    }
    out
}
