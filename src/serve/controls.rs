//! The page's controls: one per parameter a head of sales moves (headcount per role,
//! conversion and duration per stage, leads and lead cost per channel, average deal per
//! pipeline, the plan), and the scenario they make, written as the YAML `simulate --scenario`
//! reads. The server simulates the scenario it parses back from that text, so a saved file
//! reproduces the page's numbers exactly.
//!
//! Depends on `model` and `scenario`; knows nothing of HTTP.

use crate::diag::{Diagnostic, Lang};
use crate::model::{Distribution, Model, PlanMetric};
use crate::scenario::{Scenario, conversion_of};
use crate::source::SourceMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a control changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Headcount {
        role: String,
    },
    /// The month the people added by the headcount control join (1: from the start).
    HireMonth {
        role: String,
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

/// How the page shows a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    People,
    /// A share 0..1, shown in per cent.
    Share,
    Days,
    Leads,
    Money,
    Deals,
    /// A month of the horizon, 1-based.
    Month,
}

/// One control as the page draws it.
#[derive(Debug, Clone, Serialize)]
pub struct Control {
    /// Stable within a model: `Хантер.штат`, `Привлечение.Демо.конверсия`.
    pub id: String,
    /// The section of the panel it belongs to.
    pub group: String,
    pub label: String,
    pub unit: Unit,
    /// The regulation's value.
    pub base: f64,
    pub min: f64,
    pub max: f64,
    pub step: f64,
    #[serde(skip)]
    pub target: Target,
    /// A note under the control (e.g. that a log-normal distribution becomes a fixed value).
    pub note: Option<String>,
}

fn round_step(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    let m = x / p;
    p * if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    }
}

/// A slider from 0 to about three times the value, in about 100 steps.
fn range(base: f64, floor_max: f64) -> (f64, f64) {
    let max = (base * 3.0).max(floor_max);
    let step = round_step(max / 100.0);
    ((max / step).ceil() * step, step)
}

fn metric_key(metric: PlanMetric) -> &'static str {
    match metric {
        PlanMetric::Revenue => "выручка",
        PlanMetric::Deals => "сделки",
        PlanMetric::NewClients => "новые_клиенты",
    }
}

/// The metric the engine plans on: revenue, else deals, else new clients.
fn plan_metric(model: &Model) -> Option<(PlanMetric, f64)> {
    let plan = model.plan.as_ref()?;
    [PlanMetric::Revenue, PlanMetric::Deals, PlanMetric::NewClients]
        .into_iter()
        .find_map(|m| {
            let t = plan.targets.iter().find(|t| t.metric == m)?;
            let mean = t.per_month.iter().sum::<f64>() / t.per_month.len().max(1) as f64;
            Some((m, mean))
        })
}

/// Whether the scenario file can carry a scaled copy of the distribution (a fixed value, a
/// range, a triangle); the others become their mean.
/// Every control of a model, in the order of the panel.
pub fn controls(model: &Model, lang: Lang) -> Vec<Control> {
    let title = |t: &Option<String>, n: &str| t.clone().unwrap_or_else(|| n.to_owned());
    let mut out = Vec::new();
    let staff = lang.pick("Штат", "Headcount");
    let horizon = crate::sim::horizon_months(model, None) as u32;
    for r in &model.roles {
        let (max, step) = (f64::from(r.headcount * 2 + 5), 1.0);
        out.push(Control {
            id: format!("{}.штат", r.name),
            group: staff.to_owned(),
            label: title(&r.title, &r.name),
            unit: Unit::People,
            base: f64::from(r.headcount),
            min: 0.0,
            max,
            step,
            target: Target::Headcount { role: r.name.clone() },
            note: None,
        });
        out.push(Control {
            id: format!("{}.найм", r.name),
            group: staff.to_owned(),
            label: format!(
                "{}: {}",
                title(&r.title, &r.name),
                lang.pick("новые — с месяца", "new people from month")
            ),
            unit: Unit::Month,
            base: 1.0,
            min: 1.0,
            max: f64::from(horizon.max(2)),
            step: 1.0,
            target: Target::HireMonth { role: r.name.clone() },
            note: None,
        });
    }
    for p in &model.pipelines {
        let funnel = format!(
            "{} «{}»",
            lang.pick("Воронка", "Pipeline"),
            title(&p.title, &p.name)
        );
        for s in &p.stages {
            let stage_label = title(&s.title, &s.name);
            if let Some(c) = conversion_of(model, &p.name, &s.name) {
                out.push(Control {
                    id: format!("{}.{}.конверсия", p.name, s.name),
                    group: funnel.clone(),
                    label: format!("{stage_label}: {}", lang.pick("конверсия", "conversion")),
                    unit: Unit::Share,
                    base: c,
                    min: 0.0,
                    max: 1.0,
                    step: 0.01,
                    target: Target::Conversion {
                        pipeline: p.name.clone(),
                        stage: s.name.clone(),
                    },
                    note: None,
                });
            }
            if let Some(d) = &s.duration_days {
                let base = d.mean();
                let (max, step) = range(base, 5.0);
                out.push(Control {
                    id: format!("{}.{}.длительность", p.name, s.name),
                    group: funnel.clone(),
                    label: format!("{stage_label}: {}", lang.pick("срок, дн", "duration, days")),
                    unit: Unit::Days,
                    base,
                    min: 0.0,
                    max,
                    step: step.min(0.5),
                    target: Target::Duration {
                        pipeline: p.name.clone(),
                        stage: s.name.clone(),
                    },
                    note: None,
                });
            }
        }
    }
    let channels = lang.pick("Каналы", "Channels");
    for c in &model.channels {
        let (max, step) = range(c.leads_per_month, 10.0);
        out.push(Control {
            id: format!("{}.лиды", c.name),
            group: channels.to_owned(),
            label: format!(
                "{}: {}",
                title(&c.title, &c.name),
                lang.pick("лидов в месяц", "leads a month")
            ),
            unit: Unit::Leads,
            base: c.leads_per_month,
            min: 0.0,
            max,
            step,
            target: Target::Leads {
                channel: c.name.clone(),
            },
            note: None,
        });
        let cost = c.lead_cost.unwrap_or(0.0);
        let (max, step) = range(cost, 1000.0);
        out.push(Control {
            id: format!("{}.стоимость_лида", c.name),
            group: channels.to_owned(),
            label: format!(
                "{}: {}",
                title(&c.title, &c.name),
                lang.pick("стоимость лида", "cost per lead")
            ),
            unit: Unit::Money,
            base: cost,
            min: 0.0,
            max,
            step,
            target: Target::LeadCost {
                channel: c.name.clone(),
            },
            note: None,
        });
    }
    let money = lang.pick("Деньги и план", "Money and plan");
    for p in &model.pipelines {
        let Some(d) = &p.deal_size else { continue };
        let base = d.mean();
        let (max, step) = range(base, 1000.0);
        out.push(Control {
            id: format!("{}.чек", p.name),
            group: money.to_owned(),
            label: format!(
                "{}: {}",
                title(&p.title, &p.name),
                lang.pick("средний чек", "average deal")
            ),
            unit: Unit::Money,
            base,
            min: 0.0,
            max,
            step,
            target: Target::DealSize {
                pipeline: p.name.clone(),
            },
            note: None,
        });
    }
    if let Some((metric, base)) = plan_metric(model) {
        let (max, step) = range(base, 10.0);
        let (label, unit) = match metric {
            PlanMetric::Revenue => (
                lang.pick("План выручки в месяц", "Revenue plan a month"),
                Unit::Money,
            ),
            PlanMetric::Deals => (
                lang.pick("План сделок в месяц", "Deals plan a month"),
                Unit::Deals,
            ),
            PlanMetric::NewClients => (
                lang.pick("План новых клиентов в месяц", "New clients plan a month"),
                Unit::Deals,
            ),
        };
        out.push(Control {
            id: format!("план.{}", metric_key(metric)),
            group: money.to_owned(),
            label: label.to_owned(),
            unit,
            base,
            min: 0.0,
            max,
            step,
            target: Target::Plan { metric },
            note: None,
        });
    }
    out
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A number as Rust prints it: the shortest text that reads back as the same `f64`.
fn num(x: f64) -> String {
    format!("{x}")
}

/// `d` scaled to the mean `mean`, as the scenario file writes it.
fn scaled_days(model_d: &Distribution, mean: f64) -> String {
    let k = if model_d.mean() > 0.0 {
        mean / model_d.mean()
    } else {
        0.0
    };
    match crate::scenario::scale_dist(model_d, k) {
        Distribution::Uniform { min, max } if model_d.mean() > 0.0 => {
            quoted(&format!("{}..{} дн", num(min), num(max)))
        }
        Distribution::Triangular { min, mode, max } if model_d.mean() > 0.0 => {
            quoted(&format!("{}..{}..{} дн", num(min), num(mode), num(max)))
        }
        // A log-normal or empirical duration keeps its shape: the regulation's, times k.
        Distribution::LogNormal { .. } | Distribution::Empirical { .. } if k > 0.0 => times(k),
        _ => num(mean),
    }
}

/// `"×k"`: the regulation's distribution times `k` (`scenario::values::parse_scale`).
fn times(k: f64) -> String {
    quoted(&format!("×{k}"))
}

fn scaled_money(model_d: &Distribution, mean: f64) -> String {
    let k = if model_d.mean() > 0.0 {
        mean / model_d.mean()
    } else {
        0.0
    };
    match crate::scenario::scale_dist(model_d, k) {
        Distribution::Uniform { min, max } if model_d.mean() > 0.0 => {
            quoted(&format!("{}..{}", num(min), num(max)))
        }
        // Any other shape keeps it: the regulation's deal size times k.
        Distribution::Triangular { .. } | Distribution::LogNormal { .. } | Distribution::Empirical { .. }
            if k > 0.0 =>
        {
            times(k)
        }
        _ => num(mean),
    }
}

/// The fields written for one name: (key, value as YAML).
type Fields = Vec<(&'static str, String)>;

/// The scenario the values make, as the YAML `simulate --scenario` reads: only the values that
/// differ from the regulation's, in the panel's order. Unknown ids and values that are not
/// finite numbers are left out.
pub fn scenario_yaml(
    model: &Model,
    controls: &[Control],
    values: &BTreeMap<String, f64>,
    name: &str,
) -> String {
    let mut sections: BTreeMap<&str, Vec<(String, Fields)>> = BTreeMap::new();
    let mut put = |section: &'static str, key: String, field: &'static str, value: String| {
        let entries = sections.entry(section).or_default();
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, fields)) => fields.push((field, value)),
            None => entries.push((key, vec![(field, value)])),
        }
    };
    for c in controls {
        let Some(&v) = values.get(&c.id) else { continue };
        if !v.is_finite() || v < 0.0 || v == c.base {
            continue;
        }
        match &c.target {
            Target::Headcount { role } => {
                // More people from a later month are a hire; fewer, or from the start, the headcount.
                let month = values
                    .get(&format!("{role}.найм"))
                    .map_or(1.0, |m| m.round().max(1.0));
                let v = v.round();
                if v > c.base && month > 1.0 {
                    let text = quoted(&format!("{} с {} мес", num(v - c.base), num(month)));
                    put("роли", role.clone(), "найм", text)
                } else {
                    put("роли", role.clone(), "штат", num(v))
                }
            }
            Target::HireMonth { .. } => {}
            Target::Conversion { pipeline, stage } => put(
                "этапы",
                format!("{pipeline}.{stage}"),
                "конверсия",
                num(v.min(1.0)),
            ),
            Target::Duration { pipeline, stage } => {
                let d = model
                    .pipeline(pipeline)
                    .and_then(|p| p.stages.iter().find(|s| &s.name == stage))
                    .and_then(|s| s.duration_days.clone());
                let text = d.map_or(num(v), |d| scaled_days(&d, v));
                put("этапы", format!("{pipeline}.{stage}"), "длительность", text)
            }
            Target::Leads { channel } => put("каналы", channel.clone(), "лиды", num(v)),
            Target::LeadCost { channel } => put("каналы", channel.clone(), "стоимость_лида", num(v)),
            Target::DealSize { pipeline } => {
                let d = model.pipeline(pipeline).and_then(|p| p.deal_size.clone());
                let text = d.map_or(num(v), |d| scaled_money(&d, v));
                put("воронки", pipeline.clone(), "чек", text)
            }
            Target::Plan { metric } => put("план", String::new(), metric_key(*metric), num(v)),
        }
    }
    let mut out = format!("название: {}\n", quoted(name));
    for section in ["роли", "этапы", "каналы", "воронки", "план"] {
        let Some(entries) = sections.get(section) else {
            continue;
        };
        out.push_str(section);
        out.push(':');
        for (key, fields) in entries {
            let body: Vec<String> = fields.iter().map(|(f, v)| format!("{f}: {v}")).collect();
            if key.is_empty() {
                out.push_str(&format!(" {{ {} }}", body.join(", ")));
            } else {
                out.push_str(&format!("\n  {}: {{ {} }}", quoted(key), body.join(", ")));
            }
        }
        out.push('\n');
    }
    out
}

/// Reads the scenario text back against the model, as `simulate --scenario` does.
pub fn parse(model: &Model, yaml: &str, name: &str) -> Result<Scenario, String> {
    let mut sources = SourceMap::new();
    let id = sources.add(std::path::Path::new("scenario.yaml"), yaml.to_owned());
    crate::scenario::parse(&sources.get(id).text, id, model, name)
        .map_err(|errors: Vec<Diagnostic>| crate::diag::render::human_string(&sources, &errors, Lang::En))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every control of the agency moved: the YAML reads back as one change per control, and
    /// the changed model holds the values the page showed.
    #[test]
    fn every_control_round_trips_through_the_scenario_file() {
        let compiled = crate::compile(std::path::Path::new("examples/agency.sales"));
        let model = compiled.model.unwrap();
        let all = controls(&model, Lang::Ru);
        let kinds = |f: fn(&Target) -> bool| all.iter().filter(|c| f(&c.target)).count();
        assert!(kinds(|t| matches!(t, Target::Headcount { .. })) >= 3);
        assert!(kinds(|t| matches!(t, Target::Duration { .. })) >= 3);
        assert_eq!(kinds(|t| matches!(t, Target::Plan { .. })), 1);
        let values: BTreeMap<String, f64> = all
            .iter()
            .map(|c| {
                let v = match c.unit {
                    Unit::People => c.base + 2.0,
                    Unit::Month => 1.0,
                    Unit::Share => (c.base * 0.9 * 100.0).round() / 100.0,
                    _ => c.base * 1.25 + 1.0,
                };
                (c.id.clone(), v)
            })
            .collect();
        let yaml = scenario_yaml(&model, &all, &values, "Всё сразу");
        let scenario = parse(&model, &yaml, "x").unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(scenario.name, "Всё сразу");
        let moved = all.iter().filter(|c| c.unit != Unit::Month).count();
        assert_eq!(scenario.changes.len(), moved, "{yaml}");
        let changed = crate::scenario::apply(&model, &scenario);
        let again = controls(&changed, Lang::Ru);
        for (c, after) in all.iter().zip(&again) {
            let want = values[&c.id];
            let close = (after.base - want).abs() <= 1e-9 * want.abs().max(1.0);
            assert!(close, "{}: {} ≠ {want}\n{yaml}", c.id, after.base);
        }
        // Two more managers from the 4th month: a hire, not the headcount.
        let mut hire = BTreeMap::new();
        hire.insert("Менеджер.штат".to_owned(), 5.0);
        hire.insert("Менеджер.найм".to_owned(), 4.0);
        let yaml = scenario_yaml(&model, &all, &hire, "Найм");
        assert!(yaml.contains("\"Менеджер\": { найм: \"2 с 4 мес\" }"), "{yaml}");
        let changed = crate::scenario::apply(&model, &parse(&model, &yaml, "x").unwrap());
        let m = changed.roles.iter().find(|r| r.name == "Менеджер").unwrap();
        assert_eq!(m.headcount, 3);
        let last = m.hires.last().unwrap();
        assert_eq!((last.count, last.from_month), (2, Some(4.0)));
        // Nothing moved, nothing written.
        let none = scenario_yaml(&model, &all, &BTreeMap::new(), "База");
        assert_eq!(parse(&model, &none, "x").unwrap().changes.len(), 0);
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(round_step(0.7), 0.5);
        assert_eq!(round_step(23.0), 20.0);
        assert_eq!(round_step(1800.0), 2000.0);
    }
}
