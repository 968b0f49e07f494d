//! amoCRM / Kommo API v4: `/api/v4/events` pages (`lead_status_changed`: the stage after the
//! change in `value_after[0].lead_status`, `created_at` in Unix seconds), `/api/v4/leads`
//! pages (the deals) and `/api/v4/leads/pipelines` (the names of the numeric IDs). Won is
//! status 142 and lost 143 in every pipeline: they close the deal rather than enter a stage.
//! The stage a lead was created in has no event: it is the earliest event's `value_before`, at
//! the lead's `created_at` (or, when the lead never moved, its current status).
//! `/api/v4/leads/notes` pages give the calls: `note_type` `call_out`/`call_in`, `entity_id` the
//! lead, `created_at`, `params.call_status` (4 — a conversation; 1, 2, 3, 5, 6, 7 — none) and
//! `params.duration` in seconds.

use super::Status;
use super::api::{self, Cx, Loc, RawDeal, RawEntry, Read, Step, text};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

const WON: &str = "142";
const LOST: &str = "143";
const CRM: &str = "amoCRM";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Events,
    Leads,
    Pipelines,
    /// `/api/v4/leads/notes`: the calls among them (`call_out`, `call_in`).
    Notes,
}

/// `Some(None)`: an amoCRM envelope with nothing in it.
pub(super) fn classify(v: &Value) -> Option<Option<Kind>> {
    let embedded = v.get("_embedded")?.as_object()?;
    if embedded.contains_key("events") {
        Some(Some(Kind::Events))
    } else if embedded.contains_key("leads") {
        Some(Some(Kind::Leads))
    } else if embedded.contains_key("pipelines") || embedded.contains_key("statuses") {
        Some(Some(Kind::Pipelines))
    } else if embedded.contains_key("notes") {
        Some(Some(Kind::Notes))
    } else {
        None
    }
}

/// A lead's status: (pipeline, status).
type Place = (String, String);

fn place(v: Option<&Value>) -> Option<Place> {
    let s = v?.get(0)?.get("lead_status")?;
    Some((text(s.get("pipeline_id"))?, text(s.get("id"))?))
}

struct Event {
    deal: String,
    time: i64,
    before: Option<Place>,
    after: Place,
    loc: Loc,
}

pub(super) fn read(cx: &mut Cx, pages: &[(usize, Kind)]) -> Read {
    let mut pipelines: HashMap<String, String> = HashMap::new();
    let mut statuses: HashMap<Place, String> = HashMap::new();
    let mut have_pipelines = false;
    let mut have_events = false;
    let mut events: Vec<Event> = Vec::new();
    let mut seen: api::Seen<Place> = api::Seen::default();
    let mut repeats = 0usize;
    let mut other_types = 0usize;
    let mut deals: Vec<RawDeal> = Vec::new();
    let mut deleted: HashSet<String> = HashSet::new();
    let mut lead_places: Vec<Option<Place>> = Vec::new();
    let mut calls: Vec<api::RawCall> = Vec::new();
    let mut seen_notes: HashSet<String> = HashSet::new();
    let mut other_notes = 0usize;
    // The pages outlive the reading context's borrows: no copy of them.
    let all = cx.pages;
    for &(page, kind) in pages {
        let value = &all[page].value;
        match kind {
            Kind::Pipelines => {
                have_pipelines = true;
                let mut add_statuses = |pipeline: &str, list: &[Value]| {
                    for s in list {
                        if let Some(id) = text(s.get("id")) {
                            let p = text(s.get("pipeline_id")).unwrap_or_else(|| pipeline.to_owned());
                            statuses.insert((p, id), text(s.get("name")).unwrap_or_default());
                        }
                    }
                };
                for p in api::array(value, &["_embedded", "pipelines"]) {
                    let Some(id) = text(p.get("id")) else { continue };
                    pipelines.insert(id.clone(), text(p.get("name")).unwrap_or_else(|| id.clone()));
                    add_statuses(&id, api::array(p, &["_embedded", "statuses"]));
                }
                // One pipeline (`/pipelines/{id}`) or its statuses (`/pipelines/{id}/statuses`).
                let own = text(value.get("id")).unwrap_or_default();
                if let Some(name) = text(value.get("name")) {
                    pipelines.insert(own.clone(), name);
                }
                add_statuses(&own, api::array(value, &["_embedded", "statuses"]));
            }
            Kind::Events => {
                have_events = true;
                for (i, e) in api::array(value, &["_embedded", "events"]).iter().enumerate() {
                    let loc = Loc::new(
                        page,
                        &[Step::Key("_embedded"), Step::Key("events"), Step::Index(i)],
                    );
                    if e.get("type").and_then(Value::as_str) != Some("lead_status_changed") {
                        other_types += 1;
                        continue;
                    }
                    let Some(deal) = text(e.get("entity_id")) else {
                        cx.error(
                            &loc,
                            crate::diag::kind::DataError::MissingColumn,
                            crate::diag::Msg::new(
                                "у события нет `entity_id` (номера сделки)",
                                "the event has no `entity_id` (the lead)",
                            ),
                            None,
                        );
                        continue;
                    };
                    let Some(after) = place(e.get("value_after")) else {
                        cx.error(
                            &loc.at(Step::Key("value_after")),
                            crate::diag::kind::DataError::MissingColumn,
                            crate::diag::Msg::new(
                                "у события нет `value_after[0].lead_status` с `id` и `pipeline_id`",
                                "the event has no `value_after[0].lead_status` with `id` and `pipeline_id`",
                            ),
                            None,
                        );
                        continue;
                    };
                    let Some(time) = cx.moment(
                        e.get("created_at"),
                        &loc.at(Step::Key("created_at")),
                        ("время события", "event time"),
                    ) else {
                        if e.get("created_at").is_none() {
                            cx.error(
                                &loc,
                                crate::diag::kind::DataError::MissingColumn,
                                crate::diag::Msg::new(
                                    "у события нет `created_at`",
                                    "the event has no `created_at`",
                                ),
                                None,
                            );
                        }
                        continue;
                    };
                    if !seen.first(text(e.get("id")), &deal, time, &after) {
                        repeats += 1;
                        continue;
                    }
                    events.push(Event {
                        deal,
                        time,
                        before: place(e.get("value_before")),
                        after,
                        loc,
                    });
                }
            }
            Kind::Notes => {
                for (i, n) in api::array(value, &["_embedded", "notes"]).iter().enumerate() {
                    let loc = Loc::new(
                        page,
                        &[Step::Key("_embedded"), Step::Key("notes"), Step::Index(i)],
                    );
                    // A note on overlapping pages is read once.
                    if is_call(n) && text(n.get("id")).is_some_and(|id| !seen_notes.insert(id)) {
                        repeats += 1;
                        continue;
                    }
                    if let Some(call) = call_note(cx, n, loc, &mut other_notes) {
                        calls.push(call);
                    }
                }
            }
            Kind::Leads => {
                for (i, l) in api::array(value, &["_embedded", "leads"]).iter().enumerate() {
                    let loc = Loc::new(
                        page,
                        &[Step::Key("_embedded"), Step::Key("leads"), Step::Index(i)],
                    );
                    let Some(key) = text(l.get("id")) else { continue };
                    if l.get("is_deleted").and_then(Value::as_bool) == Some(true) {
                        deleted.insert(key.clone());
                    }
                    let status_id = text(l.get("status_id"));
                    let status = match status_id.as_deref() {
                        Some(WON) => Status::Won,
                        Some(LOST) => Status::Lost,
                        _ => Status::Open,
                    };
                    let created = cx.moment(
                        l.get("created_at"),
                        &loc.at(Step::Key("created_at")),
                        ("дата создания", "creation date"),
                    );
                    let closed = cx.moment(
                        l.get("closed_at"),
                        &loc.at(Step::Key("closed_at")),
                        ("дата закрытия", "closing date"),
                    );
                    let amount = cx.amount(l.get("price"), &loc.at(Step::Key("price")));
                    let embedded = l.get("_embedded");
                    let named = |key: &str| -> Option<String> {
                        let v = embedded?.get(key)?;
                        let v = if v.is_array() { v.get(0)? } else { v };
                        text(v.get("name"))
                    };
                    let loss_reason = named("loss_reason").or_else(|| {
                        text(l.get("loss_reason_id"))
                            .filter(|r| r != "0")
                            .filter(|_| status == Status::Lost)
                    });
                    let channel = named("source").or_else(|| text(l.get("source_id")));
                    let pipeline = text(l.get("pipeline_id"));
                    let current = pipeline.zip(status_id);
                    lead_places.push(current.clone());
                    deals.push(RawDeal {
                        key,
                        created,
                        closed: closed.filter(|_| status != Status::Open),
                        status: Some(status),
                        amount,
                        channel,
                        owner: text(l.get("responsible_user_id")),
                        loss_reason: loss_reason.filter(|_| status == Status::Lost),
                        current: current.map(|p| (p.clone(), p)),
                    });
                }
            }
        }
    }
    api::note_repeats(cx, CRM, repeats);
    if other_notes > 0 {
        cx.notes.push(crate::diag::Msg::new(
            format!("{CRM}: пропущено примечаний не о звонках: {other_notes}"),
            format!("{CRM}: {other_notes} notes that are not calls skipped"),
        ));
    }
    if other_types > 0 {
        cx.notes.push(crate::diag::Msg::new(
            format!("{CRM}: пропущено событий других типов (не `lead_status_changed`): {other_types}"),
            format!("{CRM}: {other_types} events of other types (not `lead_status_changed`) skipped"),
        ));
    }
    let deals = api::dedup_deals(deals, cx, CRM);
    let mut unknown = api::Odd::default();
    let mut broken = api::Odd::default();
    let names = Names {
        pipelines,
        statuses,
        have_pipelines,
    };
    // Events by lead, in time order.
    events.sort_by(|a, b| a.deal.cmp(&b.deal).then(a.time.cmp(&b.time)));
    let mut by_deal: HashMap<&str, Vec<&Event>> = HashMap::new();
    for e in &events {
        by_deal.entry(e.deal.as_str()).or_default().push(e);
    }
    let mut out = Read::default();
    let known: HashMap<&str, usize> = deals
        .iter()
        .enumerate()
        .map(|(i, d)| (d.key.as_str(), i))
        .collect();
    let mut no_lead = 0usize;
    // Every lead and every lead only events name.
    let mut keys: Vec<&str> = deals.iter().map(|d| d.key.as_str()).collect();
    let mut extra: Vec<&str> = by_deal
        .keys()
        .copied()
        .filter(|k| !known.contains_key(k))
        .collect();
    extra.sort_unstable();
    keys.extend(extra);
    let mut closings: Vec<RawDeal> = Vec::new();
    for key in keys {
        let evs = by_deal.get(key).map_or(&[][..], Vec::as_slice);
        let lead = known.get(key).map(|&i| &deals[i]);
        let push = |out: &mut Read, p: &Place, time: i64, names: (String, String)| {
            out.entries.push(RawEntry {
                deal: key.to_owned(),
                time,
                names,
                ids: p.clone(),
            });
        };
        let terminal = |p: &Place| p.1 == WON || p.1 == LOST;
        // The stage at creation.
        let first = match (evs.first(), lead) {
            (Some(e), Some(l)) => e.before.clone().zip(l.created),
            (None, Some(l)) if have_events => known
                .get(key)
                .and_then(|&i| lead_places.get(i).cloned().flatten())
                .zip(l.created),
            (Some(_), None) => {
                no_lead += 1;
                None
            }
            _ => None,
        };
        let mut now: Option<Place> = None;
        if let Some((p, created)) = first
            && !terminal(&p)
        {
            // Located at the event that names it; a lead's own status is not an event.
            let loc = evs.first().map(|e| e.loc.at(Step::Key("value_before")));
            let n = names.name(&p, loc.as_ref(), &mut unknown);
            push(&mut out, &p, created, n);
            now = Some(p);
        }
        let mut closing: Option<(Status, i64)> = None;
        for e in evs {
            if let (Some(b), Some(n)) = (&e.before, &now)
                && b != n
            {
                broken.add(
                    &e.loc,
                    format!(
                        "entity_id {key}: value_before status_id {}, the earlier value_after status_id {}",
                        b.1, n.1
                    ),
                );
            }
            now = Some(e.after.clone());
            if terminal(&e.after) {
                let status = if e.after.1 == WON {
                    Status::Won
                } else {
                    Status::Lost
                };
                closing = Some((status, e.time));
                continue;
            }
            closing = None;
            let n = names.name(&e.after, Some(&e.loc), &mut unknown);
            push(&mut out, &e.after, e.time, n);
        }
        // A lead known from its events only: closed by its last event, if that closed it.
        if lead.is_none() {
            closings.push(RawDeal {
                key: key.to_owned(),
                status: closing.map(|c| c.0),
                closed: closing.map(|c| c.1),
                ..RawDeal::default()
            });
        }
    }
    if no_lead > 0 {
        cx.notes.push(crate::diag::Msg::new(
            format!("{CRM}: сделок, которые есть в событиях, но не в выгрузке сделок (/api/v4/leads), — {no_lead}: их первый этап (при создании) не восстановить"),
            format!("{CRM}: {no_lead} leads are in the events but not in the leads export (/api/v4/leads): their first stage (at creation) cannot be recovered"),
        ));
    }
    broken.note(cx, CRM, api::broken_paths);
    out.deals = deals
        .into_iter()
        .map(|mut d| {
            if let Some(((p, s), ids)) = d.current.take() {
                let n = names.name(&(p, s), None, &mut unknown);
                d.current = Some((n, ids));
            }
            d
        })
        .collect();
    out.deals
        .extend(closings.into_iter().filter(|d| d.status.is_some()));
    unknown.note(cx, CRM, api::unknown_stages);
    out.calls = calls;
    api::drop_deleted(&mut out, &deleted, cx, CRM);
    out
}

fn is_call(n: &Value) -> bool {
    matches!(
        n.get("note_type").and_then(Value::as_str),
        Some("call_out" | "call_in")
    )
}

/// A call note: reached when `call_status` is 4 (a conversation), not for the other statuses;
/// without a status, reached when it has talk time. `None` for a note that is not a call or
/// is broken (said in `cx`).
fn call_note(cx: &mut Cx, n: &Value, loc: Loc, others: &mut usize) -> Option<api::RawCall> {
    use crate::diag::Msg;
    use crate::diag::kind::DataError;
    if !is_call(n) {
        *others += 1;
        return None;
    }
    let outgoing = n.get("note_type").and_then(Value::as_str) == Some("call_out");
    let Some(deal) = text(n.get("entity_id")) else {
        cx.error(
            &loc,
            DataError::MissingColumn,
            Msg::new(
                "у примечания-звонка нет `entity_id` (номера сделки)",
                "the call note has no `entity_id` (the lead)",
            ),
            None,
        );
        return None;
    };
    let time = cx.moment(
        n.get("created_at"),
        &loc.at(Step::Key("created_at")),
        ("время звонка", "call time"),
    );
    let Some(time) = time else {
        if n.get("created_at").is_none() {
            cx.error(
                &loc,
                DataError::MissingColumn,
                Msg::new(
                    "у примечания-звонка нет `created_at`",
                    "the call note has no `created_at`",
                ),
                None,
            );
        }
        return None;
    };
    let params = n.get("params");
    let status = params.and_then(|p| p.get("call_status")).filter(|v| !v.is_null());
    let reached = match status {
        Some(v) => match text(Some(v)).as_deref() {
            Some("4") => true,
            Some("1" | "2" | "3" | "5" | "6" | "7") => false,
            _ => {
                let at = loc.at(Step::Key("params")).at(Step::Key("call_status"));
                cx.error(
                    &at,
                    DataError::WrongValue,
                    Msg::new(
                        format!("неизвестный `call_status` звонка: {v}"),
                        format!("unknown call `call_status`: {v}"),
                    ),
                    Some(Msg::new(
                        "amoCRM: 4 — разговор состоялся; 1 оставил сообщение, 2 перезвонить позже, 3 нет на месте, 5 неверный номер, 6 не дозвонился, 7 номер занят",
                        "amoCRM: 4 — talked; 1 left a message, 2 call back later, 3 not available, 5 wrong number, 6 not reached, 7 busy",
                    )),
                );
                return None;
            }
        },
        None => {
            let duration = params.and_then(|p| p.get("duration"));
            match duration
                .and_then(|d| text(Some(d)))
                .and_then(|d| d.parse::<f64>().ok())
            {
                Some(d) => d > 0.0,
                None => {
                    cx.error(
                        &loc.at(Step::Key("params")),
                        DataError::MissingColumn,
                        Msg::new(
                            "у примечания-звонка нет ни `params.call_status`, ни `params.duration`: не понять, состоялся ли разговор",
                            "the call note has neither `params.call_status` nor `params.duration`: whether the client answered is unknown",
                        ),
                        None,
                    );
                    return None;
                }
            }
        }
    };
    Some(api::RawCall {
        deal,
        time,
        reached,
        outgoing,
        loc,
    })
}

/// The names of the pipelines and statuses, from the pipelines files.
struct Names {
    pipelines: HashMap<String, String>,
    statuses: HashMap<Place, String>,
    have_pipelines: bool,
}

impl Names {
    /// (pipeline, stage) names of a status; its number when no pipelines file names it (a
    /// stage missing from the files given is counted at `loc`). Without pipelines files the
    /// pipeline is left empty: the stage is then looked for in every pipeline.
    fn name(&self, p: &Place, loc: Option<&Loc>, unknown: &mut api::Odd) -> (String, String) {
        let pipeline = if self.have_pipelines {
            self.pipelines.get(&p.0).cloned().unwrap_or_else(|| p.0.clone())
        } else {
            String::new()
        };
        let stage = match self.statuses.get(p) {
            Some(s) => s.clone(),
            None => {
                if let Some(loc) = loc
                    && self.have_pipelines
                    && p.1 != WON
                    && p.1 != LOST
                {
                    unknown.add(loc, format!("status_id {}, pipeline_id {}", p.1, p.0));
                }
                p.1.clone()
            }
        };
        (pipeline, stage)
    }
}
