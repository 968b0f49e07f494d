//! The HTTP endpoints. Every route passes [`security::check`] (token and `Host`); bodies are
//! bounded; a bad request gets a 4xx with a one-line message, never a panic.
//!
//! - `GET /` the page (sets the token cookie), `GET /app.js`, `GET /app.css`;
//! - `GET /api/view?since=N` the page's view as JSON, waiting up to 20 s for a version newer
//!   than `N` (long poll);
//! - `POST /api/scenario` `{"values": {"Хантер.штат": 12, …}, "name": "…"}` sets the controls;
//! - `POST /api/reset` back to the regulation's values;
//! - `GET /api/scenario.yaml` the scenario as `simulate --scenario` reads it;
//! - `POST /api/save` `{"name": "…"}` writes it into the regulation's folder;
//! - `GET /api/report.html` the HTML report of the baseline with the scenario.

use super::assets;
use super::security::{self, COOKIE, Guard};
use super::state::App;
use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;
/// The most controls one request may set.
const MAX_VALUES: usize = 1000;

#[derive(Clone)]
struct Ctx {
    app: Arc<App>,
    guard: Arc<Guard>,
    folder: PathBuf,
}

pub fn router(app: Arc<App>, guard: Arc<Guard>, folder: PathBuf) -> Router {
    let ctx = Ctx {
        app,
        guard: guard.clone(),
        folder,
    };
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(script))
        .route("/app.css", get(style))
        .route("/api/view", get(view))
        .route("/api/scenario", post(set_scenario))
        .route("/api/reset", post(reset))
        .route("/api/scenario.yaml", get(yaml))
        .route("/api/save", post(save))
        .route("/api/report.html", get(report))
        .with_state(ctx)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(guard, security::check))
}

fn text(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.into() + "\n",
    )
        .into_response()
}

const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

async fn index(State(ctx): State<Ctx>) -> Response {
    let lang = ctx.app.settings.lang;
    let page = assets::INDEX
        .replace("{{lang}}", lang.pick("ru", "en"))
        .replace("{{token}}", ctx.guard.token.as_str());
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
        ctx.guard.token.as_str()
    );
    let mut r = (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), NO_STORE],
        page,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), NO_STORE],
        assets::SCRIPT,
    )
        .into_response()
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), NO_STORE],
        assets::STYLE,
    )
        .into_response()
}

#[derive(Deserialize)]
struct Since {
    since: Option<u64>,
}

async fn view(State(ctx): State<Ctx>, Query(q): Query<Since>) -> Response {
    let since = q.since.unwrap_or(0);
    let mut rx = ctx.app.versions.subscribe();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (version, body) = ctx.app.view();
        let stopping = ctx.app.stop.load(std::sync::atomic::Ordering::SeqCst);
        if version > since || stopping {
            let json = format!("{{\"version\":{version},\"view\":{body}}}");
            return ([(header::CONTENT_TYPE, "application/json"), NO_STORE], json).into_response();
        }
        match tokio::time::timeout_at(deadline, rx.changed()).await {
            Ok(Ok(())) => continue,
            _ => return StatusCode::NO_CONTENT.into_response(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioRequest {
    values: BTreeMap<String, f64>,
    #[serde(default)]
    name: String,
}

async fn set_scenario(
    State(ctx): State<Ctx>,
    body: Result<Json<ScenarioRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => return text(e.status(), e.body_text()),
    };
    if req.values.len() > MAX_VALUES || req.name.chars().count() > 200 {
        return text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too many values or too long a name",
        );
    }
    if req
        .values
        .values()
        .any(|v| !v.is_finite() || *v < 0.0 || *v > 1e15)
    {
        return text(StatusCode::BAD_REQUEST, "values must be numbers from 0 to 10^15");
    }
    if let Some(c) = req.name.chars().find(|c| c.is_control()) {
        return text(
            StatusCode::BAD_REQUEST,
            format!("the name holds a control character U+{:04X}", u32::from(c)),
        );
    }
    let generation = ctx.app.set_values(req.values, req.name);
    Json(serde_json::json!({ "generation": generation })).into_response()
}

async fn reset(State(ctx): State<Ctx>) -> Response {
    let generation = ctx.app.set_values(BTreeMap::new(), String::new());
    Json(serde_json::json!({ "generation": generation })).into_response()
}

/// `attachment; filename*=UTF-8''…` for a name that may hold Cyrillic.
fn attachment(name: &str) -> String {
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename*=UTF-8''{encoded}")
}

async fn yaml(State(ctx): State<Ctx>) -> Response {
    let Some(super::state::Current { name, yaml, .. }) = ctx.app.scenario() else {
        return text(StatusCode::CONFLICT, "the regulation has not compiled yet");
    };
    let file = security::scenario_file_name(&name).unwrap_or_else(|| "scenario.yaml".into());
    (
        [
            (header::CONTENT_TYPE, "application/yaml; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, attachment(&file)),
        ],
        yaml,
    )
        .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SaveRequest {
    name: String,
}

async fn save(
    State(ctx): State<Ctx>,
    body: Result<Json<SaveRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => return text(e.status(), e.body_text()),
    };
    let Some(file) = security::scenario_file_name(&req.name) else {
        return text(StatusCode::BAD_REQUEST, "the name has no letters or digits");
    };
    let Some(super::state::Current { yaml, .. }) = ctx.app.scenario() else {
        return text(StatusCode::CONFLICT, "the regulation has not compiled yet");
    };
    let folder = ctx.folder.clone();
    let target = folder.join(&file);
    let written = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let mut tmp = tempfile::NamedTempFile::new_in(&folder)?;
        std::io::Write::write_all(&mut tmp, yaml.as_bytes())?;
        tmp.persist(&target).map_err(|e| e.error)?;
        Ok(())
    })
    .await;
    match written {
        Ok(Ok(())) => Json(serde_json::json!({ "file": file })).into_response(),
        Ok(Err(e)) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write {file}: {e}"),
        ),
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn report(State(ctx): State<Ctx>) -> Response {
    let Some(super::state::Current {
        name,
        loaded,
        outcome,
        ..
    }) = ctx.app.scenario()
    else {
        return text(StatusCode::CONFLICT, "the regulation has not compiled yet");
    };
    let lang = ctx.app.settings.lang;
    let html = tokio::task::spawn_blocking(move || {
        let compared: Vec<_> = outcome.and_then(|o| o.compared.clone()).into_iter().collect();
        let forecast = crate::render::forecast::Forecast {
            result: &loaded.base,
            revenue_runs: &loaded.base_runs.revenue,
            won_runs: &loaded.base_runs.won,
            scenarios: &compared,
            hires: &[],
        };
        crate::render::forecast::report(&loaded.model, &forecast, lang, None).map_err(|e| e.to_string())
    })
    .await;
    match html {
        Ok(Ok(html)) => {
            let file = security::scenario_file_name(&name)
                .map_or_else(|| "report.html".into(), |f| f.replace(".yaml", ".html"));
            (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, attachment(&file)),
                ],
                html,
            )
                .into_response()
        }
        Ok(Err(e)) => text(StatusCode::INTERNAL_SERVER_ERROR, e),
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
