//! HubSpot CRM v3: deal pages (`results[]` of `/crm/v3/objects/deals` or a batch read) asked
//! with `propertiesWithHistory=dealstage,pipeline`: each value of `dealstage` is an entry into
//! that stage at its `timestamp` (the order HubSpot returns them in is not promised: sorted
//! here); `properties` give the deal. `/crm/v3/pipelines/deals` names the stage IDs and says
//! which close the deal: `metadata.probability` 1.0 won, 0.0 lost (or `isClosed`).

use super::Status;
use super::api::{self, Cx, Loc, RawDeal, RawEntry, Read, Step, text};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

const CRM: &str = "HubSpot";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Deals,
    Pipelines,
}

pub(super) fn classify(v: &Value) -> Option<Option<Kind>> {
    let results = v.get("results")?.as_array()?;
    let Some(first) = results.first() else {
        return Some(None);
    };
    if first.get("properties").is_some() {
        Some(Some(Kind::Deals))
    } else if first.get("stages").is_some() {
        Some(Some(Kind::Pipelines))
    } else {
        None
    }
}

struct StageInfo {
    pipeline: String,
    label: String,
    closes: Option<Status>,
}

fn closes(meta: Option<&Value>) -> Option<Status> {
    let meta = meta?;
    let closed = text(meta.get("isClosed")).is_some_and(|c| c == "true");
    let p = text(meta.get("probability")).and_then(|p| p.parse::<f64>().ok());
    match p {
        Some(p) if p >= 1.0 => Some(Status::Won),
        Some(p) if p <= 0.0 => Some(Status::Lost),
        _ if closed => Some(Status::Lost),
        _ => None,
    }
}

/// The values of a property's history, sorted by time: (value, moment, index in the list).
fn history(cx: &mut Cx, deal: &Value, prop: &'static str, loc: &Loc) -> Vec<(String, i64, Loc)> {
    let list = api::array(deal, &["propertiesWithHistory", prop]);
    let mut out = Vec::new();
    for (i, h) in list.iter().enumerate() {
        let at = loc
            .at(Step::Key("propertiesWithHistory"))
            .at(Step::Key(prop))
            .at(Step::Index(i));
        let Some(value) = text(h.get("value")) else {
            continue;
        };
        if let Some(t) = cx.moment(
            h.get("timestamp"),
            &at.at(Step::Key("timestamp")),
            ("время", "timestamp"),
        ) {
            out.push((value, t, at));
        }
    }
    out.sort_by_key(|v| v.1);
    out
}

pub(super) fn read(cx: &mut Cx, pages: &[(usize, Kind)]) -> Read {
    let mut stages: HashMap<String, StageInfo> = HashMap::new();
    let mut pipelines: HashMap<String, String> = HashMap::new();
    let mut have_pipelines = false;
    let mut deal_items: Vec<(&Value, Loc)> = Vec::new();
    // The pages outlive the reading context's borrows: no copy of them.
    let all = cx.pages;
    for &(page, kind) in pages {
        let value = &all[page].value;
        match kind {
            Kind::Pipelines => {
                have_pipelines = true;
                for p in api::array(value, &["results"]) {
                    let Some(id) = text(p.get("id")) else { continue };
                    pipelines.insert(id.clone(), text(p.get("label")).unwrap_or_else(|| id.clone()));
                    for s in api::array(p, &["stages"]) {
                        let Some(sid) = text(s.get("id")) else { continue };
                        stages.insert(
                            sid.clone(),
                            StageInfo {
                                pipeline: id.clone(),
                                label: text(s.get("label")).unwrap_or(sid),
                                closes: closes(s.get("metadata")),
                            },
                        );
                    }
                }
            }
            Kind::Deals => {
                for (i, d) in api::array(value, &["results"]).iter().enumerate() {
                    deal_items.push((d, Loc::new(page, &[Step::Key("results"), Step::Index(i)])));
                }
            }
        }
    }
    let pipeline_name = |id: &str| -> String {
        if have_pipelines {
            pipelines.get(id).cloned().unwrap_or_else(|| id.to_owned())
        } else {
            String::new()
        }
    };
    let mut unknown = api::Odd::default();
    let mut out = Read::default();
    let mut deals = Vec::new();
    let mut seen: HashSet<(String, String, i64)> = HashSet::new();
    let mut repeats = 0usize;
    let mut keys_seen: HashSet<String> = HashSet::new();
    let mut deleted: HashSet<String> = HashSet::new();
    for (d, loc) in &deal_items {
        let Some(key) = text(d.get("id")) else { continue };
        if d.get("archived").and_then(Value::as_bool) == Some(true) {
            deleted.insert(key.clone());
        }
        let props = d.get("properties").cloned().unwrap_or(Value::Null);
        let prop = |k: &str| text(props.get(k));
        let ploc = loc.at(Step::Key("properties"));
        let current = prop("dealstage");
        let current_pipeline = prop("pipeline").or_else(|| {
            current
                .as_ref()
                .and_then(|s| stages.get(s))
                .map(|s| s.pipeline.clone())
        });
        let closes_current = current
            .as_ref()
            .and_then(|s| stages.get(s))
            .and_then(|s| s.closes);
        let status = if prop("hs_is_closed_won").is_some_and(|v| v == "true") {
            Status::Won
        } else if prop("hs_is_closed").is_some_and(|v| v == "true") {
            Status::Lost
        } else if let Some(s) = closes_current {
            s
        } else {
            match current.as_deref() {
                Some("closedwon") => Status::Won,
                Some("closedlost") => Status::Lost,
                _ => Status::Open,
            }
        };
        let created = cx
            .moment(
                props.get("createdate"),
                &ploc.at(Step::Key("createdate")),
                ("дата создания", "creation date"),
            )
            .or_else(|| {
                cx.moment(
                    d.get("createdAt"),
                    &loc.at(Step::Key("createdAt")),
                    ("дата создания", "creation date"),
                )
            });
        let closed = cx.moment(
            props.get("closedate"),
            &ploc.at(Step::Key("closedate")),
            ("дата закрытия", "closing date"),
        );
        let amount = cx.amount(props.get("amount"), &ploc.at(Step::Key("amount")));
        let stage_hist = history(cx, d, "dealstage", loc);
        let pipe_hist = history(cx, d, "pipeline", loc);
        // A page read twice gives the deal twice: its entries once.
        let first_time = keys_seen.insert(key.clone());
        let last = stage_hist.len().saturating_sub(1);
        for (n, (stage, t, at)) in stage_hist.iter().enumerate() {
            if !seen.insert((key.clone(), stage.clone(), *t)) {
                if first_time {
                    repeats += 1;
                }
                continue;
            }
            let info = stages.get(stage);
            let is_closing = match info {
                Some(i) => i.closes.is_some(),
                // Without the pipelines: the default closing stages, and a closed deal's
                // last stage.
                None => {
                    stage == "closedwon"
                        || stage == "closedlost"
                        || (status != Status::Open && n == last && current.as_ref() == Some(stage))
                }
            };
            if is_closing {
                continue;
            }
            let pipeline = match info {
                Some(i) => i.pipeline.clone(),
                None => {
                    if have_pipelines {
                        unknown.add(at, format!("dealstage {stage}"));
                    }
                    pipe_hist
                        .iter()
                        .rev()
                        .find(|p| p.1 <= *t)
                        .map(|p| p.0.clone())
                        .or_else(|| current_pipeline.clone())
                        .unwrap_or_default()
                }
            };
            let label = info.map_or_else(|| stage.clone(), |i| i.label.clone());
            out.entries.push(RawEntry {
                deal: key.clone(),
                time: *t,
                names: (pipeline_name(&pipeline), label),
                ids: (pipeline, stage.clone()),
            });
        }
        deals.push(RawDeal {
            key,
            created,
            closed: closed.filter(|_| status != Status::Open),
            status: Some(status),
            amount,
            channel: prop("hs_analytics_source"),
            owner: prop("hubspot_owner_id"),
            loss_reason: prop("closed_lost_reason").filter(|_| status == Status::Lost),
            current: current.map(|s| {
                let p = current_pipeline.clone().unwrap_or_default();
                let label = stages.get(&s).map_or_else(|| s.clone(), |i| i.label.clone());
                ((pipeline_name(&p), label), (p, s))
            }),
        });
    }
    api::note_repeats(cx, CRM, repeats);
    unknown.note(cx, CRM, api::unknown_stages);
    out.deals = api::dedup_deals(deals, cx, CRM);
    api::drop_deleted(&mut out, &deleted, cx, CRM);
    out
}
