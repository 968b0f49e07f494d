//! Scenarios: named changes to a model's parameters ("two more managers", "conversion at КП
//! 60%"), read from a YAML file ([`parse`]) and applied as a pure function ([`apply`]) before
//! the changed model is simulated with the baseline's seed (common random numbers).
//!
//! Depends on `model`, `diag` and `datafile` (the YAML tree and located diagnostics shared with
//! the open-deals file) only; knows nothing of the engine.

mod parse;
mod values;

pub use parse::{parse, parse_param};

use crate::diag::Lang;
use crate::model::{Distribution, Model, PlanMetric, PlanTarget, transitions};

/// A parameter addressed by name.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Headcount {
        role: String,
    },
    /// People joining a role from a month of the horizon (1-based), with the role's ramp-up;
    /// the value is how many.
    Hire {
        role: String,
        month: u32,
    },
    Conversion {
        pipeline: String,
        stage: String,
    },
    Duration {
        pipeline: String,
        stage: String,
    },
    Leads {
        channel: String,
    },
    LeadCost {
        channel: String,
    },
    DealSize {
        pipeline: String,
    },
    Plan {
        metric: PlanMetric,
    },
}

/// The new value of a parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Replaces a number (headcount, conversion as 0..1, leads per month, money, plan per month).
    Number(f64),
    /// Replaces a distribution (duration in days, deal size).
    Dist(Distribution),
    /// Multiplies the current value (a distribution is scaled as a whole).
    Scale(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub param: Param,
    pub value: Value,
}

/// A named set of changes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    pub name: String,
    pub changes: Vec<Change>,
}

impl Param {
    /// How a reader names the parameter: `Менеджер.штат`, `Продажа.КП.конверсия`.
    pub fn label(&self, lang: Lang) -> String {
        let l = |ru: &str, en: &str| lang.pick(ru, en).to_owned();
        match self {
            Param::Headcount { role } => format!("{role}.{}", l("штат", "headcount")),
            Param::Hire { role, month } => format!("{role}.{} {month}", l("найм_с", "hire_from")),
            Param::Conversion { pipeline, stage } => {
                format!("{pipeline}.{stage}.{}", l("конверсия", "conversion"))
            }
            Param::Duration { pipeline, stage } => {
                format!("{pipeline}.{stage}.{}", l("длительность", "duration"))
            }
            Param::Leads { channel } => format!("{channel}.{}", l("лиды", "leads")),
            Param::LeadCost { channel } => format!("{channel}.{}", l("стоимость_лида", "lead_cost")),
            Param::DealSize { pipeline } => format!("{pipeline}.{}", l("чек", "deal_size")),
            Param::Plan { metric } => format!(
                "{}.{}",
                l("план", "plan"),
                match metric {
                    PlanMetric::Revenue => l("выручка", "revenue"),
                    PlanMetric::Deals => l("сделки", "deals"),
                    PlanMetric::NewClients => l("новые_клиенты", "new_clients"),
                }
            ),
        }
    }
}

/// The model with the scenario's changes; names that do not resolve are left alone (the parser
/// has already reported them).
pub fn apply(model: &Model, scenario: &Scenario) -> Model {
    let mut out = model.clone();
    for c in &scenario.changes {
        apply_change(&mut out, c);
    }
    out
}

fn number(current: f64, value: &Value) -> f64 {
    match value {
        Value::Number(x) => *x,
        Value::Scale(k) => current * k,
        Value::Dist(d) => d.mean(),
    }
}

/// Every parameter of a distribution times `k`.
pub fn scale_dist(d: &Distribution, k: f64) -> Distribution {
    match d {
        Distribution::Fixed { value } => Distribution::Fixed { value: value * k },
        Distribution::Uniform { min, max } => Distribution::Uniform {
            min: min * k,
            max: max * k,
        },
        Distribution::Triangular { min, mode, max } => Distribution::Triangular {
            min: min * k,
            mode: mode * k,
            max: max * k,
        },
        Distribution::LogNormal { mean, sd } => Distribution::LogNormal {
            mean: mean * k,
            sd: sd * k,
        },
        Distribution::Empirical { values } => Distribution::Empirical {
            values: values.iter().map(|v| v * k).collect(),
        },
    }
}

fn dist(current: Option<&Distribution>, value: &Value) -> Option<Distribution> {
    match value {
        Value::Number(x) => Some(Distribution::Fixed { value: *x }),
        Value::Dist(d) => Some(d.clone()),
        Value::Scale(k) => current.map(|d| scale_dist(d, *k)),
    }
}

/// Current success probability of a stage among the deals its chain reaches (as `конверсия` is
/// written), by [`transitions::conversion`].
pub fn conversion_of(model: &Model, pipeline: &str, stage: &str) -> Option<f64> {
    let (pi, si) = transitions::resolve(model, pipeline, stage)?;
    Some(transitions::conversion(&model.pipelines[pi].stages[si]))
}

/// Applies one change in place.
pub fn apply_change(model: &mut Model, change: &Change) {
    let v = &change.value;
    match &change.param {
        Param::Headcount { role } => {
            if let Some(r) = model.roles.iter_mut().find(|r| &r.name == role) {
                let h = number(f64::from(r.headcount), v);
                if h.is_finite() {
                    r.headcount = h.round().clamp(0.0, 1e6) as u32;
                }
            }
        }
        Param::Hire { role, month } => {
            if let Some(r) = model.roles.iter_mut().find(|r| &r.name == role) {
                let n = number(0.0, v);
                if n.is_finite() && n >= 1.0 {
                    r.hires.push(crate::model::Hire {
                        count: n.round().min(1e6) as u32,
                        from_date: None,
                        from_month: Some(f64::from(*month)),
                    });
                }
            }
        }
        Param::Conversion { pipeline, stage } => {
            let Some((pi, si)) = transitions::resolve(model, pipeline, stage) else {
                return;
            };
            let old = transitions::conversion(&model.pipelines[pi].stages[si]);
            transitions::set_conversion(model, pi, si, number(old, v));
        }
        Param::Duration { pipeline, stage } => {
            if let Some(s) = model
                .pipelines
                .iter_mut()
                .find(|p| &p.name == pipeline)
                .and_then(|p| p.stages.iter_mut().find(|s| &s.name == stage))
            {
                let current = s
                    .duration_days
                    .clone()
                    .unwrap_or(Distribution::Fixed { value: 0.0 });
                s.duration_days = dist(Some(&current), v);
            }
        }
        Param::Leads { channel } => {
            if let Some(c) = model.channels.iter_mut().find(|c| &c.name == channel) {
                c.leads_per_month = number(c.leads_per_month, v).max(0.0);
            }
        }
        Param::LeadCost { channel } => {
            if let Some(c) = model.channels.iter_mut().find(|c| &c.name == channel) {
                c.lead_cost = Some(number(c.lead_cost.unwrap_or(0.0), v).max(0.0));
            }
        }
        Param::DealSize { pipeline } => {
            if let Some(p) = model.pipelines.iter_mut().find(|p| &p.name == pipeline)
                && let Some(d) = dist(p.deal_size.as_ref(), v)
            {
                p.deal_size = Some(d);
            }
        }
        Param::Plan { metric } => {
            let Some(plan) = model.plan.as_mut() else {
                return;
            };
            match plan.targets.iter_mut().find(|t| t.metric == *metric) {
                Some(t) => {
                    t.per_month = match v {
                        Value::Scale(k) => t.per_month.iter().map(|x| x * k).collect(),
                        _ => vec![number(0.0, v)],
                    }
                }
                None if !matches!(v, Value::Scale(_)) => plan.targets.push(PlanTarget {
                    metric: *metric,
                    per_month: vec![number(0.0, v)],
                    span: Default::default(),
                }),
                None => {}
            }
            // The engine plans on one metric (revenue, else deals, else new clients): a target
            // the scenario sets becomes the plan that is simulated.
            if plan.targets.iter().any(|t| t.metric == *metric) {
                plan.targets.retain(|t| t.metric == *metric);
            }
        }
    }
}
