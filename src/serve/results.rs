//! What the server holds between requests: how it was started, the model with its baseline
//! forecast, and the forecast of the current scenario. Shared by the worker (`state`) and the
//! page's view (`view`).

use super::controls::Control;
use crate::diag::Lang;
use crate::model::Model;
use crate::planning::ScenarioResult;
use crate::sim::{Runs, SimResult};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// HTML fragments, each one figure.
pub type Fragments = Vec<String>;

/// What `voronka serve` was started with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub file: PathBuf,
    pub lang: Lang,
    pub runs: u32,
    pub seed: u64,
    pub options: crate::Options,
}

/// A model that compiled without errors, with its baseline forecast.
pub struct Loaded {
    pub model: Model,
    pub controls: Vec<Control>,
    pub base: SimResult,
    pub base_runs: Runs,
    /// Diagrams and analysis: fixed for the model.
    pub fixed: Fragments,
}

/// The forecast the page shows: the scenario beside the baseline, or the baseline alone.
pub struct Outcome {
    pub generation: u64,
    pub yaml: String,
    pub values: BTreeMap<String, f64>,
    /// `None` when the scenario changes nothing.
    pub compared: Option<ScenarioResult>,
    /// The scenario's own result and replications, for its charts.
    pub scenario: Option<(SimResult, Runs)>,
    pub charts: Fragments,
}
