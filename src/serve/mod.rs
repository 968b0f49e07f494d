//! `voronka serve`: a local what-if page. The regulation's forecast in the browser, with
//! controls for headcount, conversion, durations, leads, lead cost, average deal and the plan;
//! each change is a scenario (the YAML `simulate --scenario` reads) simulated with the
//! baseline's seed (common random numbers), and the page redraws with Δ ± interval and the
//! verdict on the plan. The file is watched: an edit reloads the model, errors are shown as
//! `check` prints them over the last good forecast, greyed out.
//!
//! - [`security`]: the per-run token, the `Host` check, scenario file names;
//! - [`state`]: the simulation worker and the file watcher;
//! - [`results`]: the settings, the model with its baseline and the scenario's forecast;
//! - [`controls`]: the controls of a model and the scenario YAML they make;
//! - [`view`]: the figures and charts the page shows;
//! - [`routes`]: the HTTP endpoints (axum on a tokio runtime);
//! - [`assets`]: the page, its script and style, embedded in the binary.
//!
//! Depends on `model`, `scenario`, `planning`, `render` and `diag`; prints nothing (the
//! command in `cli::serve` says where the page is).

pub mod assets;
pub mod controls;
pub mod results;
pub mod routes;
pub mod security;
pub mod state;
pub mod view;

use crate::diag::Lang;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// How the server is started.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: PathBuf,
    /// 127.0.0.1 unless the user named another address.
    pub host: IpAddr,
    /// 0: any free port.
    pub port: u16,
    pub lang: Lang,
    pub runs: u32,
    pub seed: u64,
    pub options: crate::Options,
}

/// Where the server listens, once it does.
#[derive(Debug, Clone)]
pub struct Ready {
    pub addr: SocketAddr,
    /// The page's address with the token.
    pub url: String,
}

/// Why the server could not run.
#[derive(Debug)]
pub enum ServeError {
    Random(getrandom::Error),
    Runtime(std::io::Error),
    Bind(SocketAddr, std::io::Error),
}

impl ServeError {
    pub fn show(&self, lang: Lang) -> String {
        match self {
            ServeError::Random(e) => format!(
                "{}: {e}",
                lang.pick(
                    "ошибка: нет источника случайных чисел ОС",
                    "error: no OS random source"
                )
            ),
            ServeError::Runtime(e) => format!("{}: {e}", lang.pick("ошибка запуска", "cannot start")),
            ServeError::Bind(a, e) => format!(
                "{} {a}: {e}",
                lang.pick("ошибка: не удалось занять адрес", "error: cannot listen on")
            ),
        }
    }
}

/// Runs the server until Ctrl-C (or until `shutdown` resolves); `ready` is called once it
/// listens.
pub fn serve(
    config: Config,
    ready: impl FnOnce(&Ready),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let token = security::Token::new().map_err(ServeError::Random)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let addr = SocketAddr::new(config.host, config.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|e| ServeError::Bind(addr, e))?;
    let bound = listener.local_addr().map_err(|e| ServeError::Bind(addr, e))?;
    let folder = config
        .file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let app = state::App::new(results::Settings {
        file: config.file.clone(),
        lang: config.lang,
        runs: config.runs,
        seed: config.seed,
        options: config.options.clone(),
    });
    let worker = {
        let app = app.clone();
        std::thread::spawn(move || app.work())
    };
    let watcher = {
        let app = app.clone();
        std::thread::spawn(move || app.watch())
    };
    let guard = security::Guard::new(token.clone(), bound);
    let router = routes::router(app.clone(), Arc::new(guard), folder);
    ready(&Ready {
        addr: bound,
        url: format!("http://{bound}/?t={}", token.as_str()),
    });
    let stopping = app.clone();
    let result = runtime.block_on(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    () = shutdown => {}
                }
                stopping.shut_down();
            })
            .await
    });
    app.shut_down();
    let _ = worker.join();
    let _ = watcher.join();
    result.map_err(ServeError::Runtime)
}
