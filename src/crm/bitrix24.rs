//! Bitrix24 REST: a deal funnel (`crm.category.add`, `entityTypeId` 2) and its stages
//! (`crm.status.add` in the directory `DEAL_STAGE_{id}`), each looked up first (the funnel by
//! name, the stages by code) so that a rerun creates nothing twice. A new funnel comes with
//! default stages, so the script lists them, deletes all but the success stage and the first
//! failure stage, moves and renames those two (failure first, so that in progress < success <
//! failure by `SORT` holds after every request), then adds our stages below them. Facts:
//! crm-formats.md §2.

use super::setup::{PipelineSetup, Setup, StageSetup};
use super::{Api, Auth, Condition, CrmRenderer, Each, Request, RuleKind, Target, json_str};
use crate::diag::{Diagnostic, Kind, Lang, Msg};
use crate::render::format;
use serde_json::{Value, json};

pub struct Bitrix24;

/// Characters of a funnel name.
pub const MAX_NAME: usize = 255;
/// Characters of a stage id, the `C{id}:` prefix the server adds included.
pub const MAX_STATUS_ID: usize = 22;
/// The shortest prefix a new funnel's stage ids get: `C1:` … `C9:`.
pub const MIN_PREFIX: usize = 3;
/// `SORT` of the success and failure stages: above every stage in progress.
pub const WON_SORT: usize = 10_000;
pub const LOST_SORT: usize = 11_000;
/// Placeholder of the funnel id in bodies; the script puts the real id in.
pub const ENTITY_PLACEHOLDER: &str = "DEAL_STAGE_0";

fn limit(what: Msg, value: usize, limit: usize) -> Kind {
    Kind::CrmLimit {
        crm: "Битрикс24",
        what,
        value,
        limit,
    }
}

/// `#rrggbb` in upper case, as Bitrix24 writes colours.
fn colour(c: &str) -> String {
    c.to_uppercase()
}

impl CrmRenderer for Bitrix24 {
    fn target(&self) -> Target {
        Target::Bitrix24
    }

    fn title(&self) -> &'static str {
        "Битрикс24"
    }

    fn api(&self) -> Api {
        Api {
            url_var: "BITRIX24_URL",
            url_example: "https://example.bitrix24.ru",
            url_default: None,
            token_var: "BITRIX24_TOKEN",
            token_help: (
                "часть адреса входящего вебхука после /rest/: «ID_пользователя/код», например 1/abcdef0123456789 (Приложения → Разработчикам → Другое → Входящий вебхук, права: CRM)",
                "the part of an inbound webhook's address after /rest/: «user_id/code», e.g. 1/abcdef0123456789 (Applications → Developer resources → Other → Inbound webhook, scope: CRM)",
            ),
            auth: Auth::InPath,
        }
    }

    fn check(&self, setup: &Setup) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for p in &setup.pipelines {
            let chars = p.label.chars().count();
            if chars > MAX_NAME {
                out.push(Diagnostic::new(
                    limit(
                        Msg::new(
                            format!("символов в названии направления `{}`", p.name),
                            format!("characters in the name of funnel `{}`", p.name),
                        ),
                        chars,
                        MAX_NAME,
                    ),
                    p.span,
                ));
            }
            for s in &p.stages {
                let len = s.code.len() + MIN_PREFIX;
                if len > MAX_STATUS_ID {
                    out.push(Diagnostic::new(
                        limit(
                            Msg::new(
                                format!("символов в коде этапа `{}` с префиксом направления `C1:`", s.name),
                                format!(
                                    "characters in the code of stage `{}` with the funnel prefix `C1:`",
                                    s.name
                                ),
                            ),
                            len,
                            MAX_STATUS_ID,
                        ),
                        s.span,
                    ));
                }
            }
        }
        out
    }

    fn requests(&self, p: &PipelineSetup, prefix: &str, lang: Lang) -> Vec<Request> {
        let cat = format!("{prefix}_category");
        let what = format!("{} «{}»", lang.pick("направление", "funnel"), p.label);
        let mut out = Vec::new();
        out.push(
            Request::new(
                "01-crm.category.list.json".to_string(),
                "POST",
                "crm.category.list",
                json!({ "entityTypeId": 2 }),
                lang.pick(
                    "Поиск направления по названию (повторный запуск не создаёт его заново)",
                    "Looking the funnel up by name (a rerun does not create it again)",
                )
                .to_string(),
            )
            .save(
                cat.clone(),
                format!(
                    "[.result.categories[]? | select(.name == {})][0].id // empty",
                    json_str(&p.label)
                ),
                Some(what.clone()),
            ),
        );
        out.push(
            Request::new(
                "02-crm.category.add.json".to_string(),
                "POST",
                "crm.category.add",
                json!({ "entityTypeId": 2, "fields": { "name": p.label, "sort": p.order * 100 } }),
                format!("{} «{}»", lang.pick("Направление сделок", "Deal funnel"), p.label),
            )
            .schema("CategoryAdd")
            .when(Condition::Unset(cat.clone()))
            .save(cat.clone(), ".result.category.id", Some(what)),
        );
        let list_file = "03-crm.status.list.json".to_string();
        let mut list = Request::new(
            list_file.clone(),
            "POST",
            "crm.status.list",
            json!({ "filter": { "ENTITY_ID": ENTITY_PLACEHOLDER } }),
            lang.pick(
                "Стадии направления: созданные Битрикс24 по умолчанию и уже наши (их id нужны следующим шагам)",
                "The funnel's stages: Bitrix24's defaults and ours already there (the next steps need their ids)",
            )
            .to_string(),
        )
        .fill(".filter.ENTITY_ID", &cat, Some("DEAL_STAGE_"))
        .save(
            format!("{prefix}_won"),
            r#"[.result[]? | select(.SEMANTICS == "S")][0].ID // empty | tonumber"#,
            None,
        )
        .save(
            format!("{prefix}_lost"),
            r#"[.result[]? | select(.SEMANTICS == "F")][0].ID // empty | tonumber"#,
            None,
        );
        for s in &p.stages {
            list = list.save(
                format!("{prefix}_s{}", s.order),
                format!(
                    r#"[.result[]? | select((.STATUS_ID | split(":") | last) == {})][0].ID // empty | tonumber"#,
                    json_str(&s.code)
                ),
                Some(format!("{} «{}»", lang.pick("стадия", "stage"), s.label)),
            );
        }
        out.push(list);
        let mut n = 4;
        let mut file = |name: &str| {
            let f = format!("{n:02}-{name}.json");
            n += 1;
            f
        };
        // SORT must hold in progress < success < failure after every request (§2.2): the
        // other defaults (an extra failure stage sits below the success one) go first, then
        // the failure stage moves up before the success stage does, then ours are added.
        let ours: Vec<String> = p.stages.iter().map(|s| json_str(&s.code)).collect();
        let mut delete = Request::new(
            file("crm.status.delete"),
            "POST",
            "crm.status.delete",
            json!({ "id": 0, "params": { "FORCED": "Y" } }),
            lang.pick(
                "Удаление остальных стадий по умолчанию (по одному запросу на стадию из ответа шага 03)",
                "Deleting the other default stages (one request per stage listed by step 03)",
            )
            .to_string(),
        )
        .schema("StatusDelete");
        delete.each = Some(Each {
            from: list_file,
            filter: format!(
                ".result[]? | select((.STATUS_ID | split(\":\") | last) as $c | [{}] | any(.[]; . == $c) | not) | .ID | tonumber | select(. != ${prefix}_won and . != ${prefix}_lost)",
                ours.join(", ")
            ),
            path: ".id".to_string(),
            args: vec![format!("{prefix}_won"), format!("{prefix}_lost")],
        });
        out.push(delete);
        for (var, closing, sort, what, code, semantics) in [
            (
                format!("{prefix}_lost"),
                &p.lost,
                LOST_SORT,
                lang.pick("стадия провала", "failure stage"),
                "LOSE",
                "F",
            ),
            (
                format!("{prefix}_won"),
                &p.won,
                WON_SORT,
                lang.pick("успешная стадия", "success stage"),
                "WON",
                "S",
            ),
        ] {
            out.push(
                Request::new(
                    file("crm.status.update"),
                    "POST",
                    "crm.status.update",
                    json!({ "id": 0, "fields": { "NAME": closing.label, "SORT": sort } }),
                    format!(
                        "{}: «{}» ({})",
                        format::upper_first(what),
                        closing.label,
                        lang.pick("переименование стадии по умолчанию", "renaming the default stage")
                    ),
                )
                .schema("StatusUpdate")
                .fill(".id", &var, None)
                .when(Condition::Set(var.clone())),
            );
            out.push(
                Request::new(
                    file("crm.status.add"),
                    "POST",
                    "crm.status.add",
                    json!({ "fields": {
                        "ENTITY_ID": ENTITY_PLACEHOLDER,
                        "STATUS_ID": code,
                        "NAME": closing.label,
                        "SORT": sort,
                        "SEMANTICS": semantics,
                    } }),
                    format!(
                        "{}: «{}» ({})",
                        format::upper_first(what),
                        closing.label,
                        lang.pick(
                            "только если у направления нет такой стадии по умолчанию",
                            "only when the funnel has no such default stage"
                        )
                    ),
                )
                .schema("StatusAdd")
                .fill(".fields.ENTITY_ID", &cat, Some("DEAL_STAGE_"))
                .when(Condition::Unset(var.clone()))
                .save(var, ".result", None),
            );
        }
        for s in &p.stages {
            let var = format!("{prefix}_s{}", s.order);
            out.push(
                Request::new(
                    file("crm.status.add"),
                    "POST",
                    "crm.status.add",
                    stage_body(s),
                    format!("{} «{}»", lang.pick("Стадия", "Stage"), s.label),
                )
                .schema("StatusAdd")
                .fill(".fields.ENTITY_ID", &cat, Some("DEAL_STAGE_"))
                .when(Condition::Unset(var.clone()))
                .save(
                    var,
                    ".result",
                    Some(format!("{} «{}»", lang.pick("стадия", "stage"), s.label)),
                ),
            );
        }
        out
    }

    fn required_fields_how(&self, lang: Lang) -> String {
        lang.pick(
            "Создайте поля сделки с этими типами и в настройках каждого отметьте «Обязательно» для стадии, на которую переходит сделка (REST-метода для этого нет)",
            "Create deal fields of these kinds and in each field's settings mark it required for the stage the deal moves to (there is no REST method for it)",
        )
        .to_string()
    }

    fn automates(&self, _kind: RuleKind) -> bool {
        false
    }

    fn manual_notes(&self, lang: Lang) -> Vec<String> {
        vec![
            lang.pick(
                "Роботы и триггеры стадий (задачи, смена стадии, уведомления) настраиваются в интерфейсе: «Сделки → Роботы»; что настроить на каждой стадии — в чек-листах воронок выше.",
                "Stage robots and triggers (tasks, stage changes, notifications) are set in the UI: «Deals → Automation rules»; what to set up at each stage is in the pipelines' checklists above.",
            )
            .to_string(),
            lang.pick(
                "Обязательные поля по стадиям задаются в настройках поля сделки («Обязательно на стадиях»): REST-метода для этого нет.",
                "Fields required per stage are set in the deal field's settings («Required at stages»): there is no REST method for it.",
            )
            .to_string(),
            lang.pick(
                "Вероятность в Битрикс24 хранится в сделке (PROBABILITY), а не в стадии: значения из таблиц этапов выше задайте роботом «Изменить элемент» на каждой стадии.",
                "Bitrix24 keeps the probability on the deal (PROBABILITY), not on the stage: set the values from the stage tables above with a «Change element» robot on each stage.",
            )
            .to_string(),
        ]
    }

    fn stage_probability(&self, stage: &StageSetup) -> String {
        format!("{} %", (stage.probability * 100.0).round())
    }

    fn stage_colour(&self, stage: &StageSetup) -> Option<String> {
        stage.colour.as_deref().map(colour)
    }
}

fn stage_body(s: &StageSetup) -> Value {
    let mut fields = json!({
        "ENTITY_ID": ENTITY_PLACEHOLDER,
        "STATUS_ID": s.code,
        "NAME": s.label,
        "SORT": s.order * 10,
        "SEMANTICS": "",
    });
    if let Some(c) = &s.colour {
        fields["COLOR"] = json!(colour(c));
    }
    json!({ "fields": fields })
}
