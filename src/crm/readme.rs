//! The README of a CRM folder: what to send where (the requests of every pipeline, in order),
//! how each stage lands in the CRM, and the numbered per-stage checklist of everything the API
//! cannot create. Rendered from `templates/<lang>/crm.md`.

use super::setup::ProbabilitySource;
use super::{Auth, CrmOptions, CrmRenderer, Request, Setup, Target};
use crate::diag::Lang;
use crate::model::Model;
use crate::render::{Renderer, TemplateError, format};
use serde::Serialize;

#[derive(Serialize)]
struct Crm {
    id: &'static str,
    title: &'static str,
    url_var: &'static str,
    url_example: &'static str,
    url_default: Option<&'static str>,
    token_var: &'static str,
    token_help: &'static str,
    send_note: String,
    script: bool,
    won: &'static str,
    lost: &'static str,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct RequestRow {
    n: usize,
    file: String,
    method: &'static str,
    path: String,
    title: String,
    fills: bool,
    each: bool,
    /// Sent only when a lookup found (or did not find) something.
    conditional: bool,
}

fn row(i: usize, d: &str, q: &Request) -> RequestRow {
    RequestRow {
        n: i + 1,
        file: if q.has_body() {
            format!("{d}/{}", q.file)
        } else {
            "—".to_string()
        },
        method: q.method,
        path: q.path.clone(),
        title: q.title.clone(),
        fills: !q.fills.is_empty() || q.path.contains('{'),
        each: q.each.is_some(),
        conditional: q.condition.is_some(),
    }
}

#[derive(Serialize)]
struct StageRow {
    order: usize,
    label: String,
    code: String,
    probability: String,
    derived: bool,
    /// The model's P(won) beside a written probability that differs from it by half a point
    /// or more.
    model: Option<String>,
    crm_probability: String,
    colour: Option<String>,
    fields: Vec<String>,
    checklist: Vec<String>,
}

#[derive(Serialize)]
struct AccountView {
    dir: String,
    requests: Vec<RequestRow>,
}

#[derive(Serialize)]
struct PipelineView {
    order: usize,
    label: String,
    entry: Option<String>,
    exit: Option<String>,
    won: String,
    lost: String,
    requests: Vec<RequestRow>,
    stages: Vec<StageRow>,
    any_derived: bool,
    any_differs: bool,
    /// Stages whose probability the CRM rounds enough to mislead the weighted pipeline.
    rounding: Vec<String>,
}

fn closing(target: Target, lang: Lang) -> (&'static str, &'static str) {
    match target {
        Target::Amocrm => (
            lang.pick("системный статус 142", "system status 142"),
            lang.pick("системный статус 143", "system status 143"),
        ),
        Target::Bitrix24 => (
            lang.pick("стадия SEMANTICS S", "stage with SEMANTICS S"),
            lang.pick("стадия SEMANTICS F", "stage with SEMANTICS F"),
        ),
        Target::Hubspot => ("1.0", "0.0"),
        Target::Pipedrive => (
            lang.pick("статус сделки won", "deal status won"),
            lang.pick("статус сделки lost", "deal status lost"),
        ),
    }
}

fn send_note(r: &dyn CrmRenderer, lang: Lang) -> String {
    let api = r.api();
    let (url, token) = (api.url_var, api.token_var);
    if let Some(default) = api.url_default {
        return match lang {
            Lang::Ru => format!(
                "Каждый запрос отправляется на адрес `{default}` + путь из таблицы, с заголовками `Authorization: Bearer ${token}` и `Content-Type: application/json`; тело — содержимое файла."
            ),
            Lang::En => format!(
                "Each request goes to `{default}` + the path in the table, with the headers `Authorization: Bearer ${token}` and `Content-Type: application/json`; the body is the file."
            ),
        };
    }
    match (api.auth, lang) {
        (Auth::Bearer, Lang::Ru) => format!(
            "Каждый запрос отправляется на адрес `${url}` + путь из таблицы, с заголовками `Authorization: Bearer ${token}` и `Content-Type: application/json`; тело — содержимое файла."
        ),
        (Auth::Bearer, Lang::En) => format!(
            "Each request goes to `${url}` + the path in the table, with the headers `Authorization: Bearer ${token}` and `Content-Type: application/json`; the body is the file."
        ),
        (Auth::ApiTokenHeader, Lang::Ru) => format!(
            "Каждый запрос отправляется на адрес `${url}` + путь из таблицы, с заголовками `x-api-token: ${token}` и `Content-Type: application/json`; тело — содержимое файла."
        ),
        (Auth::ApiTokenHeader, Lang::En) => format!(
            "Each request goes to `${url}` + the path in the table, with the headers `x-api-token: ${token}` and `Content-Type: application/json`; the body is the file."
        ),
        (Auth::InPath, Lang::Ru) => format!(
            "Каждый метод вызывается запросом POST на `${url}/rest/${token}/МЕТОД.json` с заголовком `Content-Type: application/json`; тело — содержимое файла. Новое направление Битрикс24 создаёт со стадиями по умолчанию: шаг 03 получает их список, остальные стадии по умолчанию удаляются, стадия провала и успешная стадия (в этом порядке) переименовываются в наши и поднимаются в конец (если их нет — создаются с SEMANTICS F и S), затем добавляются наши стадии; порядок SORT «в работе → успех → провал» соблюдается после каждого запроса."
        ),
        (Auth::InPath, Lang::En) => format!(
            "Each method is a POST to `${url}/rest/${token}/METHOD.json` with `Content-Type: application/json`; the body is the file. Bitrix24 fills a new funnel with default stages: step 03 lists them, the other default stages are deleted, the failure and then the success stage are renamed to ours and moved to the end (created with SEMANTICS F and S when missing), then our stages are added; the SORT order «in progress → success → failure» holds after every request."
        ),
    }
}

pub(super) fn readme(
    model: &Model,
    setup: &Setup,
    r: &dyn CrmRenderer,
    requests: &[(String, Request)],
    options: &CrmOptions,
) -> Result<String, TemplateError> {
    let lang = options.lang;
    let api = r.api();
    let (won, lost) = closing(r.target(), lang);
    let crm = Crm {
        id: r.target().id(),
        title: r.title(),
        url_var: api.url_var,
        url_example: api.url_example,
        url_default: api.url_default,
        token_var: api.token_var,
        token_help: lang.pick(api.token_help.0, api.token_help.1),
        send_note: send_note(r, lang),
        script: options.script,
        won,
        lost,
        notes: {
            let mut notes = r.manual_notes(lang);
            let fields = super::fields::fields(model, setup);
            notes.extend(super::fields::card_notes(model, &fields, r.target(), lang));
            notes.extend(working_hours_note(model, lang));
            notes.extend(super::telcal::telephony_note(model, r.target(), lang));
            notes.extend(super::routing::routing_note(model, r.target(), lang));
            notes
        },
    };
    let pipelines: Vec<PipelineView> = setup
        .pipelines
        .iter()
        .map(|p| {
            let dir = super::pipeline_dir(p);
            let rows = requests
                .iter()
                .filter(|(d, _)| *d == dir)
                .enumerate()
                .map(|(i, (d, q))| row(i, d, q))
                .collect();
            let stages: Vec<StageRow> = p
                .stages
                .iter()
                .map(|s| StageRow {
                    order: s.order,
                    label: s.label.clone(),
                    code: s.code.clone(),
                    probability: format::percent(s.probability, lang),
                    derived: s.probability_from == ProbabilitySource::Analysis,
                    model: (s.probability_from == ProbabilitySource::File
                        && (s.probability - s.model_probability).abs() >= 0.005)
                        .then(|| format::percent(s.model_probability, lang)),
                    crm_probability: r.stage_probability(s),
                    colour: r.stage_colour(s),
                    fields: s.required_fields.clone(),
                    checklist: s
                        .automation
                        .iter()
                        .filter_map(|rule| r.checklist_item(s, rule, lang))
                        .chain(by_channel_item(model, &p.name, &s.name, lang))
                        .chain(super::field_cond::stage_items(
                            model,
                            r.target(),
                            &p.name,
                            &s.name,
                            lang,
                        ))
                        .chain(super::release::starts_item(
                            model,
                            &p.name,
                            &s.name,
                            r.target(),
                            lang,
                        ))
                        .collect(),
                })
                .collect();
            PipelineView {
                order: p.order,
                label: p.label.clone(),
                entry: p.entry.clone(),
                exit: p.exit.clone(),
                won: p.won.label.clone(),
                lost: p.lost.label.clone(),
                requests: rows,
                any_derived: p
                    .stages
                    .iter()
                    .any(|s| s.probability_from == ProbabilitySource::Analysis),
                any_differs: stages.iter().any(|s| s.model.is_some()),
                rounding: p.stages.iter().filter_map(|s| r.rounding_note(s, lang)).collect(),
                stages,
            }
        })
        .collect();
    let dir = super::account_dir(setup, lang);
    let account_rows: Vec<RequestRow> = requests
        .iter()
        .filter(|(d, _)| *d == dir)
        .enumerate()
        .map(|(i, (d, q))| row(i, d, q))
        .collect();
    let account = (!account_rows.is_empty()).then_some(AccountView {
        dir,
        requests: account_rows,
    });
    let renderer = Renderer::new(lang, model.header.currency, None)?;
    let title = model.header.title.clone().unwrap_or_else(|| {
        lang.pick("положение о системе продаж", "sales regulation")
            .to_string()
    });
    let md = renderer.render(
        "crm.md",
        minijinja::context! {
            crm => crm,
            title => title,
            company => model.header.company.clone(),
            pipelines => pipelines,
            account => account,
            triggers => setup
                .triggers
                .iter()
                .map(|t| super::triggers::checklist_item(r.target(), t, lang))
                .collect::<Vec<String>>(),
            discounts => super::terms::approval_lines(model, lang),
        },
    )?;
    Ok(crate::render::tidy(&md))
}

/// The working hours to set in the account (its schedule, the roles' own, the after-hours
/// answering of channels): SLA timers of tasks count in them.
fn working_hours_note(model: &Model, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(h) = model.header.hours {
        parts.push(format!(
            "{} {}",
            lang.pick("отдел —", "the department:"),
            h.words()
        ));
    }
    for r in &model.roles {
        if let Some(w) = r.schedule.words(lang) {
            parts.push(format!("{} — {w}", r.title.as_deref().unwrap_or(&r.name)));
        }
    }
    for c in &model.channels {
        if let Some(by) = c.after_hours_by {
            parts.push(format!(
                "{} «{}» {} {}",
                lang.pick("заявки канала", "leads of channel"),
                c.title.as_deref().unwrap_or(&c.name),
                lang.pick("вне рабочего времени — до", "after hours: by"),
                crate::model::calendar::clock_text(by)
            ));
        }
    }
    (!parts.is_empty()).then(|| {
        format!(
            "{}: {}.",
            lang.pick(
                "Рабочее время в настройках аккаунта (по нему считаются сроки задач)",
                "Working hours in the account settings (task deadlines count in them)"
            ),
            parts.join("; ")
        )
    })
}

/// `конверсия_по_каналам` of a stage as a step of its manual checklist: the CRM has one
/// conversion per stage, so the source of the deal must be recorded to read it by channel.
fn by_channel_item(model: &Model, pipeline: &str, stage: &str, lang: Lang) -> Option<String> {
    let s = model
        .pipelines
        .iter()
        .find(|p| p.name == pipeline)?
        .stages
        .iter()
        .find(|s| s.name == stage)?;
    if s.channel_conversions.is_empty() {
        return None;
    }
    let list: Vec<String> = s
        .channel_conversions
        .iter()
        .map(|c| {
            let title = model
                .channels
                .iter()
                .find(|ch| ch.name == c.channel)
                .and_then(|ch| ch.title.clone());
            format!(
                "{} {}",
                title.unwrap_or_else(|| c.channel.clone()),
                format::percent(c.conversion, lang)
            )
        })
        .collect();
    Some(match lang {
        Lang::Ru => format!(
            "Конверсия этапа различается по каналам: {}. Записывайте источник сделки (канал) в карточке и смотрите отчёт по конверсии этапа в разрезе источника.",
            list.join(", ")
        ),
        Lang::En => format!(
            "The stage's conversion differs by channel: {}. Record the deal's source (channel) on the card and read the stage's conversion report by source.",
            list.join(", ")
        ),
    })
}
