//! Pipedrive: the deals' flow (`/v1/deals/{id}/flow`, `data[]` of `object: "dealChange"`;
//! a change of `field_key: "stage_id"` enters `new_value` at `log_time`, UTC), the deals
//! (`/api/v2/deals`: status, `won_time`/`lost_time`, `lost_reason`, `channel`/`origin`), and the
//! stages and pipelines (`/api/v2/stages`, `/api/v2/pipelines`) that name the IDs and say which
//! pipeline a stage is in. Won and lost are a deal's status, not stages. The stage a deal was
//! added in is the earliest change's `old_value` (or, when it never moved, its current stage),
//! at `add_time`.

use super::Status;
use super::api::{self, Cx, Loc, RawDeal, RawEntry, Read, Step, text};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

const CRM: &str = "Pipedrive";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Flow,
    Deals,
    Stages,
    Pipelines,
}

pub(super) fn classify(v: &Value) -> Option<Option<Kind>> {
    let data = v.get("data")?.as_array()?;
    let Some(first) = data.first() else {
        return Some(None);
    };
    if first.get("object").is_some() && first.get("data").is_some() {
        Some(Some(Kind::Flow))
    } else if first.get("status").is_some() && first.get("stage_id").is_some() {
        Some(Some(Kind::Deals))
    } else if first.get("pipeline_id").is_some() && first.get("name").is_some() {
        Some(Some(Kind::Stages))
    } else if first.get("name").is_some() && first.get("id").is_some() {
        Some(Some(Kind::Pipelines))
    } else {
        None
    }
}

struct Change {
    deal: String,
    time: i64,
    old: Option<String>,
    new: String,
    loc: Loc,
}

pub(super) fn read(cx: &mut Cx, pages: &[(usize, Kind)]) -> Read {
    let mut stages: HashMap<String, (String, String)> = HashMap::new();
    let mut pipelines: HashMap<String, String> = HashMap::new();
    let (mut have_stages, mut have_pipelines, mut have_flow) = (false, false, false);
    let mut changes: Vec<Change> = Vec::new();
    let mut seen: api::Seen<String> = api::Seen::default();
    let mut repeats = 0usize;
    let mut deal_items: Vec<(&Value, Loc)> = Vec::new();
    // The pages outlive the reading context's borrows: no copy of them.
    let all = cx.pages;
    for &(page, kind) in pages {
        let value = &all[page].value;
        let data = api::array(value, &["data"]);
        match kind {
            Kind::Stages => {
                have_stages = true;
                for s in data {
                    if let Some(id) = text(s.get("id")) {
                        let p = text(s.get("pipeline_id")).unwrap_or_default();
                        stages.insert(id.clone(), (p, text(s.get("name")).unwrap_or(id)));
                    }
                }
            }
            Kind::Pipelines => {
                have_pipelines = true;
                for p in data {
                    if let Some(id) = text(p.get("id")) {
                        pipelines.insert(id.clone(), text(p.get("name")).unwrap_or(id));
                    }
                }
            }
            Kind::Flow => {
                have_flow = true;
                for (i, item) in data.iter().enumerate() {
                    let loc = Loc::new(page, &[Step::Key("data"), Step::Index(i), Step::Key("data")]);
                    if item.get("object").and_then(Value::as_str) != Some("dealChange") {
                        continue;
                    }
                    let Some(c) = item.get("data") else { continue };
                    if c.get("field_key").and_then(Value::as_str) != Some("stage_id") {
                        continue;
                    }
                    let (Some(deal), Some(new)) = (text(c.get("item_id")), text(c.get("new_value"))) else {
                        cx.error(
                            &loc,
                            crate::diag::kind::DataError::MissingColumn,
                            crate::diag::Msg::new(
                                "у изменения этапа нет `item_id` или `new_value`",
                                "the stage change has no `item_id` or `new_value`",
                            ),
                            None,
                        );
                        continue;
                    };
                    let when = c.get("log_time").or_else(|| item.get("timestamp"));
                    let Some(time) = cx.moment(
                        when,
                        &loc.at(Step::Key("log_time")),
                        ("время изменения", "change time"),
                    ) else {
                        continue;
                    };
                    if !seen.first(text(c.get("id")), &deal, time, &new) {
                        repeats += 1;
                        continue;
                    }
                    changes.push(Change {
                        deal,
                        time,
                        old: text(c.get("old_value")),
                        new,
                        loc,
                    });
                }
            }
            Kind::Deals => {
                for (i, d) in data.iter().enumerate() {
                    deal_items.push((d, Loc::new(page, &[Step::Key("data"), Step::Index(i)])));
                }
            }
        }
    }
    api::note_repeats(cx, CRM, repeats);
    let mut unknown = api::Odd::default();
    let mut broken = api::Odd::default();
    // (pipeline name, stage name), (pipeline id, stage id) of a stage.
    let mut place = |stage: &str, deal_pipeline: Option<&str>, loc: Option<&Loc>| {
        let (pid, name) = match stages.get(stage) {
            Some((p, n)) => (p.clone(), n.clone()),
            None => {
                if have_stages && let Some(loc) = loc {
                    unknown.add(loc, format!("stage_id {stage}"));
                }
                (deal_pipeline.unwrap_or_default().to_owned(), stage.to_owned())
            }
        };
        let pname = if have_pipelines {
            pipelines.get(&pid).cloned().unwrap_or_else(|| pid.clone())
        } else {
            String::new()
        };
        ((pname, name), (pid, stage.to_owned()))
    };
    let mut deals = Vec::new();
    let mut deleted: HashSet<String> = HashSet::new();
    for (d, loc) in &deal_items {
        let Some(key) = text(d.get("id")) else { continue };
        if d.get("is_deleted").and_then(Value::as_bool) == Some(true)
            || text(d.get("status")).as_deref() == Some("deleted")
        {
            deleted.insert(key.clone());
        }
        let status = match text(d.get("status")).as_deref() {
            Some("won") => Status::Won,
            Some("lost") => Status::Lost,
            _ => Status::Open,
        };
        let created = cx.moment(
            d.get("add_time"),
            &loc.at(Step::Key("add_time")),
            ("дата создания", "creation date"),
        );
        let closed_key = match status {
            Status::Won => "won_time",
            Status::Lost => "lost_time",
            Status::Open => "close_time",
        };
        let closed = cx
            .moment(
                d.get(closed_key),
                &loc.at(Step::Key(closed_key)),
                ("дата закрытия", "closing date"),
            )
            .or_else(|| {
                cx.moment(
                    d.get("close_time"),
                    &loc.at(Step::Key("close_time")),
                    ("дата закрытия", "closing date"),
                )
            });
        let amount = cx.amount(d.get("value"), &loc.at(Step::Key("value")));
        let pipeline = text(d.get("pipeline_id"));
        let current = text(d.get("stage_id")).map(|s| place(&s, pipeline.as_deref(), None));
        deals.push(RawDeal {
            key,
            created,
            closed: closed.filter(|_| status != Status::Open),
            status: Some(status),
            amount,
            channel: text(d.get("channel")).or_else(|| text(d.get("origin"))),
            owner: text(d.get("owner_id")),
            loss_reason: text(d.get("lost_reason")).filter(|_| status == Status::Lost),
            current,
        });
    }
    let deals = api::dedup_deals(deals, cx, CRM);
    changes.sort_by(|a, b| a.deal.cmp(&b.deal).then(a.time.cmp(&b.time)));
    let mut by_deal: HashMap<&str, Vec<&Change>> = HashMap::new();
    for c in &changes {
        by_deal.entry(c.deal.as_str()).or_default().push(c);
    }
    let mut out = Read::default();
    let known: HashSet<&str> = deals.iter().map(|d| d.key.as_str()).collect();
    let mut no_deal = 0usize;
    for d in &deals {
        let evs = by_deal.get(d.key.as_str()).map_or(&[][..], Vec::as_slice);
        let pipeline = d.current.as_ref().map(|c| c.1.0.clone());
        // The stage at creation.
        let first = match evs.first() {
            Some(c) => c.old.clone().map(|s| (s, Some(c.loc.clone()))),
            None if have_flow => d.current.as_ref().map(|c| (c.1.1.clone(), None)),
            None => None,
        };
        let mut now = None;
        if let (Some((stage, loc)), Some(created)) = (first, d.created) {
            let (names, ids) = place(&stage, pipeline.as_deref(), loc.as_ref());
            out.entries.push(RawEntry {
                deal: d.key.clone(),
                time: created,
                names,
                ids,
            });
            now = Some(stage);
        }
        for c in evs {
            if let (Some(old), Some(n)) = (&c.old, &now)
                && old != n
            {
                broken.add(
                    &c.loc,
                    format!("item_id {}: old_value {old}, the earlier new_value {n}", d.key),
                );
            }
            now = Some(c.new.clone());
            let (names, ids) = place(&c.new, pipeline.as_deref(), Some(&c.loc));
            out.entries.push(RawEntry {
                deal: d.key.clone(),
                time: c.time,
                names,
                ids,
            });
        }
    }
    let mut extra: Vec<&&str> = by_deal.keys().filter(|k| !known.contains(**k)).collect();
    extra.sort();
    for key in extra {
        no_deal += 1;
        for c in &by_deal[*key] {
            let (names, ids) = place(&c.new, None, Some(&c.loc));
            out.entries.push(RawEntry {
                deal: (*key).to_owned(),
                time: c.time,
                names,
                ids,
            });
        }
    }
    if no_deal > 0 {
        cx.notes.push(crate::diag::Msg::new(
            format!("{CRM}: сделок, которые есть в истории изменений, но не в выгрузке сделок (/api/v2/deals), — {no_deal}: их первый этап и итог не известны"),
            format!("{CRM}: {no_deal} deals are in the flow but not in the deals export (/api/v2/deals): their first stage and outcome are unknown"),
        ));
    }
    unknown.note(cx, CRM, api::unknown_stages);
    broken.note(cx, CRM, api::broken_paths);
    out.deals = deals;
    api::drop_deleted(&mut out, &deleted, cx, CRM);
    out
}
