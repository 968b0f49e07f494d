//! Bitrix24 REST: `crm.stagehistory.list` (`result.items[]`: a row per entry into a stage —
//! created, moved, closed, moved to another direction), `crm.deal.list` (`result[]`, IDs and
//! the amount as strings) or `crm.item.list` (the same in camelCase), and the names:
//! `crm.status.list` (stages of `DEAL_STAGE[_N]`, deal sources of `SOURCE`) and
//! `crm.category.list` (directions). A stage of semantics `S` wins the deal and `F` loses it
//! (its name is the loss reason: Bitrix24 has no reason field); they close the deal rather than
//! enter a stage. Without a status list a stage is its code without the `C7:` prefix — the
//! `код` voronka gave it.

use super::Status;
use super::api::{self, Cx, Loc, RawDeal, RawEntry, Read, Step, text};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

const CRM: &str = "Bitrix24";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    StageHistory,
    Deals,
    Statuses,
    Categories,
}

pub(super) fn classify(v: &Value) -> Option<Option<Kind>> {
    let result = v.get("result")?;
    if let Some(items) = result.get("items").and_then(Value::as_array) {
        let Some(first) = items.first() else {
            return Some(None);
        };
        if first.get("OWNER_ID").is_some() && first.get("STAGE_ID").is_some() {
            return Some(Some(Kind::StageHistory));
        }
        if first.get("stageId").is_some() || first.get("categoryId").is_some() {
            return Some(Some(Kind::Deals));
        }
        return None;
    }
    if result.get("categories").is_some_and(Value::is_array) {
        return Some(Some(Kind::Categories));
    }
    let list = result.as_array()?;
    let Some(first) = list.first() else {
        return Some(None);
    };
    if first.get("ENTITY_ID").is_some() && first.get("STATUS_ID").is_some() {
        Some(Some(Kind::Statuses))
    } else if first.get("ID").is_some()
        && ["STAGE_ID", "OPPORTUNITY", "DATE_CREATE"]
            .iter()
            .any(|k| first.get(k).is_some())
    {
        Some(Some(Kind::Deals))
    } else if first.get("ID").is_some() && first.get("NAME").is_some() {
        Some(Some(Kind::Categories))
    } else {
        None
    }
}

/// `S` won, `F` lost, `P` in progress.
fn semantic_of(code: &str) -> Option<char> {
    match code.trim().to_uppercase().as_str() {
        "S" | "SUCCESS" => Some('S'),
        "F" | "FAILURE" | "APOLOGY" => Some('F'),
        "P" | "PROCESS" | "" => Some('P'),
        _ => None,
    }
}

/// The stage's code without the direction's prefix: `C7:MEETING` → `MEETING`.
fn bare(stage: &str) -> &str {
    match stage.split_once(':') {
        Some((c, rest)) if c.starts_with('C') && c[1..].bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => stage,
    }
}

/// The direction a stage's code names (`C7:…` → 7), else the main one.
fn category_of(stage: &str) -> String {
    match stage.split_once(':') {
        Some((c, _)) if c.starts_with('C') && c.len() > 1 && c[1..].bytes().all(|b| b.is_ascii_digit()) => {
            c[1..].to_owned()
        }
        _ => "0".to_owned(),
    }
}

#[derive(Default)]
struct Names {
    /// (direction, STATUS_ID) → (name, semantics).
    stages: HashMap<(String, String), (String, Option<char>)>,
    categories: HashMap<String, String>,
    sources: HashMap<String, String>,
    have_stages: bool,
    have_categories: bool,
}

impl Names {
    fn semantic(&self, cat: &str, stage: &str, given: Option<&str>) -> char {
        given
            .and_then(semantic_of)
            .or_else(|| {
                self.stages
                    .get(&(cat.to_owned(), stage.to_owned()))
                    .and_then(|s| s.1)
            })
            .unwrap_or_else(|| match bare(stage) {
                "WON" => 'S',
                "LOSE" | "APOLOGY" => 'F',
                _ => 'P',
            })
    }

    fn pipeline(&self, cat: &str) -> String {
        if !self.have_categories {
            return String::new();
        }
        match self.categories.get(cat) {
            Some(n) => n.clone(),
            None if cat == "0" => String::new(),
            None => cat.to_owned(),
        }
    }

    fn stage(&self, cat: &str, stage: &str, loc: Option<&Loc>, unknown: &mut api::Odd) -> String {
        match self.stages.get(&(cat.to_owned(), stage.to_owned())) {
            Some((name, _)) => name.clone(),
            None => {
                if let Some(loc) = loc
                    && self.have_stages
                {
                    unknown.add(loc, format!("STAGE_ID {stage}, CATEGORY_ID {cat}"));
                }
                bare(stage).to_owned()
            }
        }
    }
}

/// A field by its `crm.deal.list` name or its `crm.item.list` one.
fn field<'v>(v: &'v Value, upper: &str, camel: &str) -> Option<&'v Value> {
    v.get(upper).or_else(|| v.get(camel))
}

struct HistoryRow {
    deal: String,
    time: i64,
    cat: String,
    stage: String,
    semantic: Option<String>,
    loc: Loc,
}

pub(super) fn read(cx: &mut Cx, pages: &[(usize, Kind)]) -> Read {
    let mut names = Names::default();
    let mut rows: Vec<HistoryRow> = Vec::new();
    let mut seen: api::Seen<String> = api::Seen::default();
    let mut repeats = 0usize;
    let mut deal_rows: Vec<(&Value, Loc)> = Vec::new();
    // The pages outlive the reading context's borrows: no copy of them.
    let all = cx.pages;
    for &(page, kind) in pages {
        let value = &all[page].value;
        match kind {
            Kind::Statuses => {
                for s in api::array(value, &["result"]) {
                    let (Some(entity), Some(id)) = (text(s.get("ENTITY_ID")), text(s.get("STATUS_ID")))
                    else {
                        continue;
                    };
                    let name = text(s.get("NAME")).unwrap_or_else(|| id.clone());
                    if entity == "SOURCE" {
                        names.sources.insert(id, name);
                    } else if let Some(rest) = entity.strip_prefix("DEAL_STAGE") {
                        names.have_stages = true;
                        let cat = rest
                            .strip_prefix('_')
                            .map_or_else(|| "0".to_owned(), str::to_owned);
                        let semantic = text(s.get("SEMANTICS"))
                            .or_else(|| text(s.get("EXTRA").and_then(|e| e.get("SEMANTICS"))))
                            .and_then(|x| semantic_of(&x));
                        names.stages.insert((cat, id), (name, semantic));
                    }
                }
            }
            Kind::Categories => {
                names.have_categories = true;
                let list = value
                    .get("result")
                    .and_then(|r| r.get("categories"))
                    .and_then(Value::as_array)
                    .map_or_else(|| api::array(value, &["result"]), Vec::as_slice);
                for c in list {
                    if let (Some(id), Some(name)) =
                        (text(field(c, "ID", "id")), text(field(c, "NAME", "name")))
                    {
                        names.categories.insert(id, name);
                    }
                }
            }
            Kind::StageHistory => {
                for (i, r) in api::array(value, &["result", "items"]).iter().enumerate() {
                    let loc = Loc::new(page, &[Step::Key("result"), Step::Key("items"), Step::Index(i)]);
                    let (Some(deal), Some(stage)) = (text(r.get("OWNER_ID")), text(r.get("STAGE_ID"))) else {
                        cx.error(
                            &loc,
                            crate::diag::kind::DataError::MissingColumn,
                            crate::diag::Msg::new(
                                "у записи истории нет `OWNER_ID` или `STAGE_ID`",
                                "the history row has no `OWNER_ID` or `STAGE_ID`",
                            ),
                            None,
                        );
                        continue;
                    };
                    let Some(time) = cx.moment(
                        r.get("CREATED_TIME"),
                        &loc.at(Step::Key("CREATED_TIME")),
                        ("время перехода", "entry time"),
                    ) else {
                        continue;
                    };
                    if !seen.first(text(r.get("ID")), &deal, time, &stage) {
                        repeats += 1;
                        continue;
                    }
                    let cat = text(r.get("CATEGORY_ID")).unwrap_or_else(|| category_of(&stage));
                    rows.push(HistoryRow {
                        deal,
                        time,
                        cat,
                        stage,
                        semantic: text(r.get("STAGE_SEMANTIC_ID")),
                        loc,
                    });
                }
            }
            Kind::Deals => {
                let (list, path): (&[Value], &[Step]) = match value.get("result").and_then(|r| r.get("items"))
                {
                    Some(items) => (
                        items.as_array().map_or(&[][..], Vec::as_slice),
                        &[Step::Key("result"), Step::Key("items")],
                    ),
                    None => (api::array(value, &["result"]), &[Step::Key("result")]),
                };
                for (i, d) in list.iter().enumerate() {
                    let mut loc = Loc::new(page, path);
                    loc = loc.at(Step::Index(i));
                    deal_rows.push((d, loc));
                }
            }
        }
    }
    api::note_repeats(cx, CRM, repeats);
    let mut unknown = api::Odd::default();
    let mut out = Read::default();
    // Closing rows: the last per deal.
    let mut closing: HashMap<String, (Status, i64, String)> = HashMap::new();
    rows.sort_by(|a, b| a.deal.cmp(&b.deal).then(a.time.cmp(&b.time)));
    for r in &rows {
        let name = names.stage(&r.cat, &r.stage, Some(&r.loc), &mut unknown);
        match names.semantic(&r.cat, &r.stage, r.semantic.as_deref()) {
            'S' => {
                closing.insert(r.deal.clone(), (Status::Won, r.time, name));
            }
            'F' => {
                closing.insert(r.deal.clone(), (Status::Lost, r.time, name));
            }
            _ => {
                closing.remove(&r.deal);
                out.entries.push(RawEntry {
                    deal: r.deal.clone(),
                    time: r.time,
                    names: (names.pipeline(&r.cat), name),
                    ids: (r.cat.clone(), r.stage.clone()),
                });
            }
        }
    }
    let mut deals = Vec::new();
    for (d, loc) in deal_rows {
        let Some(key) = text(field(d, "ID", "id")) else {
            continue;
        };
        let stage = text(field(d, "STAGE_ID", "stageId"));
        let cat = text(field(d, "CATEGORY_ID", "categoryId"))
            .or_else(|| stage.as_deref().map(category_of))
            .unwrap_or_else(|| "0".to_owned());
        let given = text(field(d, "STAGE_SEMANTIC_ID", "stageSemanticId"));
        let semantic = stage.as_deref().map_or_else(
            || given.as_deref().and_then(semantic_of).unwrap_or('P'),
            |s| names.semantic(&cat, s, given.as_deref()),
        );
        let status = match semantic {
            'S' => Status::Won,
            'F' => Status::Lost,
            _ => Status::Open,
        };
        let stage_name = stage.as_deref().map(|s| names.stage(&cat, s, None, &mut unknown));
        let created = cx.moment(
            field(d, "DATE_CREATE", "createdTime"),
            &loc.at(Step::Key("DATE_CREATE")),
            ("дата создания", "creation date"),
        );
        let closedate = cx.moment(
            field(d, "CLOSEDATE", "closedate"),
            &loc.at(Step::Key("CLOSEDATE")),
            ("дата закрытия", "closing date"),
        );
        let amount = cx.amount(
            field(d, "OPPORTUNITY", "opportunity"),
            &loc.at(Step::Key("OPPORTUNITY")),
        );
        let from_history = closing.get(&key).filter(|c| c.0 == status).map(|c| c.1);
        let source = text(field(d, "SOURCE_ID", "sourceId"));
        deals.push(RawDeal {
            key,
            created,
            closed: if status == Status::Open {
                None
            } else {
                from_history.or(closedate)
            },
            status: Some(status),
            amount,
            channel: source.map(|s| names.sources.get(&s).cloned().unwrap_or(s)),
            owner: text(field(d, "ASSIGNED_BY_ID", "assignedById")),
            loss_reason: stage_name.clone().filter(|_| status == Status::Lost),
            current: stage
                .zip(stage_name)
                .map(|(id, name)| ((names.pipeline(&cat), name), (cat.clone(), id))),
        });
    }
    let mut deals = api::dedup_deals(deals, cx, CRM);
    // Deals known from their history only: closed by their last closing row.
    let known: HashSet<String> = deals.iter().map(|d| d.key.clone()).collect();
    let mut extra: Vec<(&String, &(Status, i64, String))> =
        closing.iter().filter(|(k, _)| !known.contains(*k)).collect();
    extra.sort_by(|a, b| a.0.cmp(b.0));
    for (key, (status, time, name)) in extra {
        deals.push(RawDeal {
            key: key.clone(),
            status: Some(*status),
            closed: Some(*time),
            loss_reason: Some(name.clone()).filter(|_| *status == Status::Lost),
            ..RawDeal::default()
        });
    }
    unknown.note(cx, CRM, api::unknown_stages);
    out.deals = deals;
    out
}
