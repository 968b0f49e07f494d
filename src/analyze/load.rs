//! Work demanded of each role by the expected flow of deals, and the time the role has for it.
//! See the module documentation of [`super`] for the definitions.

use super::{Note, States, sane};
use crate::model::{Model, Period};
use serde::Serialize;
use std::collections::HashMap;

/// The one bottleneck rule («узкое место»), for every output that names one — `analyze`, the
/// `simulate` table, the HTML report, the forecast appendix of the documents, `build` and
/// `plan`: **the busiest role — the highest share of its selling time taken by work — is the
/// bottleneck when that share reaches `BOTTLENECK_LOAD` (85%)**; below it no role binds, and
/// the busiest role is only the busiest (leads, conversions and checks limit the revenue, not
/// headcount). The share is demanded / available minutes in the analysis and the mean
/// utilisation in the forecast: both the same figure for a department whose work is steady.
/// At 85% a role's queue is already long enough to delay deals; a role whose demanded work is
/// above 100% is *overloaded* as well (W0018, «ПЕРЕГРУЗКА»).
pub const BOTTLENECK_LOAD: f64 = 0.85;

/// Whether a role whose work takes `load` of its selling time is a bottleneck by
/// [`BOTTLENECK_LOAD`]; a role with work and no time at all (`f64::INFINITY`) is one.
pub fn binds(load: f64) -> bool {
    load >= BOTTLENECK_LOAD
}

/// The busiest of the roles and their loads (the last of equal loads, as [`Iterator::max_by`];
/// loads that are not numbers are skipped). It is the bottleneck when [`binds`] says so.
pub fn busiest<T>(loads: impl IntoIterator<Item = (T, f64)>) -> Option<(T, f64)> {
    loads
        .into_iter()
        .filter(|(_, l)| !l.is_nan())
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// The bottleneck by the one rule: the busiest role when its load [`binds`].
pub fn bottleneck<T>(loads: impl IntoIterator<Item = (T, f64)>) -> Option<(T, f64)> {
    busiest(loads).filter(|(_, l)| binds(*l))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleLoad {
    pub role: String,
    pub title: Option<String>,
    /// 0 for a role that is used but not defined.
    pub headcount: u32,
    /// Selling minutes one person has in a month.
    pub minutes_per_person: f64,
    /// Selling minutes a month for stage work: headcount × minutes per person, less what the
    /// quality-control sample takes beyond the non-selling time.
    pub available_minutes: f64,
    /// Contact work demanded per month (attempts counted by `дозвон`; without it once, a lower
    /// bound).
    pub demanded_minutes: f64,
    /// Where the demanded minutes come from, stages in model order.
    pub by_stage: Vec<StageWork>,
    /// Minutes per month of quality-control sampling the role scores (`контроль … { кто …;
    /// выборка … }`, [`super::sampling`]). Scored first, out of the people's whole working
    /// time: the part not spent selling takes it, and what it does not hold comes out of the
    /// selling time (`available_minutes` = min(selling, working − sampling)).
    pub sampling_minutes: f64,
    /// The people's whole working minutes a month (headcount × working day), selling or not.
    pub working_minutes: f64,
    pub sampling: Vec<SamplingWork>,
    /// Minutes per month the role's people spend in meetings, not part of `load`.
    pub meeting_minutes: f64,
    pub meetings: Vec<MeetingWork>,
    /// Of `demanded_minutes`, the work triggers create (`триггер`), trigger by trigger.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<super::TriggerWork>,
    /// demanded / available.
    pub load: Option<f64>,
    pub overloaded: bool,
    /// The department's bottleneck by [`BOTTLENECK_LOAD`]: the busiest role, at 85% or more
    /// (at most one role; one with work and no time counts as infinitely loaded).
    pub bottleneck: bool,
    /// People needed for the demanded work.
    pub headcount_needed: Option<u32>,
    /// The stages the role works on (it is responsible for them, or a contact of their chain
    /// is its).
    pub stages: u32,
    /// Of [`RoleLoad::stages`], those with a chain of the role's contacts: the only work the
    /// load counts. Fewer than `stages` makes the load a lower bound ([`RoleLoad::partial`]).
    pub stages_with_chain: u32,
}

impl RoleLoad {
    /// People the role needs for `demanded` minutes of stage work a month beside its sample:
    /// n × selling minutes ≥ demanded, and n × working minutes ≥ demanded + sampling.
    pub fn people_needed(&self, demanded: f64) -> Option<u32> {
        let selling = people_needed(demanded, self.minutes_per_person);
        if self.sampling_minutes <= 0.0 || demanded <= 0.0 {
            return selling;
        }
        let per_person = if self.headcount > 0 {
            self.working_minutes / f64::from(self.headcount)
        } else {
            0.0
        };
        Some(selling?.max(people_needed(demanded + self.sampling_minutes, per_person)?))
    }

    /// Whether the role works on stages without a contact chain, whose work the load cannot
    /// count: the load and `headcount_needed` are then lower bounds, never a reason to cut staff.
    pub fn partial(&self) -> bool {
        self.stages_with_chain < self.stages
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageWork {
    pub pipeline: String,
    pub stage: String,
    pub minutes: f64,
}

/// One control's sampling minutes a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SamplingWork {
    pub control: String,
    pub minutes: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingWork {
    pub meeting: String,
    pub minutes: f64,
}

/// ⌈demanded / per person⌉, tolerant of rounding noise; `None` when work is demanded and one
/// person has no time for it.
pub(crate) fn people_needed(demanded: f64, per_person: f64) -> Option<u32> {
    if demanded <= 0.0 || !demanded.is_finite() {
        Some(0)
    } else if per_person <= 0.0 || !per_person.is_finite() {
        None
    } else {
        Some((demanded / per_person - 1e-9).ceil().max(0.0) as u32)
    }
}

/// The share of its time a role's work takes, for the bottleneck rule: infinite for work without
/// time, NaN (skipped) for a role with neither.
fn effective_load(r: &RoleLoad) -> f64 {
    match r.load {
        Some(l) => l,
        None if r.demanded_minutes > 0.0 => f64::INFINITY,
        None => f64::NAN,
    }
}

/// The rows of the role loads with an index by role (a search per contact was quadratic).
#[derive(Default)]
struct Rows {
    rows: Vec<RoleLoad>,
    index: HashMap<String, usize>,
}

impl Rows {
    fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    fn push(&mut self, row: RoleLoad) {
        self.index.entry(row.role.clone()).or_insert(self.rows.len());
        self.rows.push(row);
    }
}

/// Finds a role's row, adding one for a role that is used but not defined.
fn row<'a>(rows: &'a mut Rows, name: &str, notes: &mut Vec<Note>) -> &'a mut RoleLoad {
    let i = match rows.index.get(name) {
        Some(&i) => i,
        None => {
            notes.push(Note::UnknownRole {
                role: name.to_string(),
            });
            rows.push(empty(name.to_string(), None, 0, 0.0));
            rows.rows.len() - 1
        }
    };
    &mut rows.rows[i]
}

fn empty(role: String, title: Option<String>, headcount: u32, minutes_per_person: f64) -> RoleLoad {
    RoleLoad {
        role,
        title,
        headcount,
        minutes_per_person,
        available_minutes: headcount as f64 * minutes_per_person,
        demanded_minutes: 0.0,
        by_stage: Vec::new(),
        sampling_minutes: 0.0,
        working_minutes: 0.0,
        sampling: Vec::new(),
        meeting_minutes: 0.0,
        meetings: Vec::new(),
        triggers: Vec::new(),
        load: None,
        overloaded: false,
        bottleneck: false,
        headcount_needed: Some(0),
        stages: 0,
        stages_with_chain: 0,
    }
}

/// Counts, for each role of `rows`, the stages it works on and those whose chain has its
/// contacts.
fn chain_coverage(model: &Model, rows: &mut [RoleLoad]) {
    // The rows' roles are distinct; each stage touches only the few roles it names.
    let index: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.role.clone(), i))
        .collect();
    let mut touched: Vec<(usize, bool)> = Vec::new();
    for stage in model.pipelines.iter().flat_map(|p| &p.stages) {
        touched.clear();
        let contact_roles = stage
            .chain
            .iter()
            .filter_map(|c| c.owner.as_ref().or(stage.owner.as_ref()));
        for (name, with_chain) in contact_roles
            .map(|n| (n, true))
            .chain(stage.owner.iter().map(|n| (n, false)))
        {
            let Some(&i) = index.get(name) else { continue };
            match touched.iter_mut().find(|(j, _)| *j == i) {
                Some((_, w)) => *w |= with_chain,
                None => touched.push((i, with_chain)),
            }
        }
        for &(i, with_chain) in &touched {
            rows[i].stages += 1;
            rows[i].stages_with_chain += u32::from(with_chain);
        }
    }
}

/// Role loads in model order (undefined roles last) and the minutes no role owns.
pub(super) fn role_loads(
    model: &Model,
    states: &States,
    stage_rate: &[f64],
    sampling: &[super::sampling::ControlSampling],
    clients_per_month: f64,
    notes: &mut Vec<Note>,
) -> (Vec<RoleLoad>, f64) {
    let days = sane(model.header.working_days_per_month());
    let mut rows = Rows::default();
    for r in &model.roles {
        if rows.contains(&r.name) {
            continue;
        }
        // The role's own days and shift cap (`Role::capacity`), averaged over its headcount.
        let capacity = r.capacity(model.header.work_week_days);
        // Without a shift cap a head gives its own day exactly (no rounding of × heads ÷ heads).
        let per_day = if r.headcount > 0 && capacity.cap.is_finite() {
            capacity.selling_minutes(f64::from(r.headcount)) / f64::from(r.headcount)
        } else {
            capacity.selling_minutes(1.0)
        };
        let per_person = sane(per_day) * days;
        let mut row = empty(r.name.clone(), r.title.clone(), r.headcount, per_person);
        row.working_minutes = sane(capacity.working_minutes(f64::from(r.headcount))) * days;
        rows.push(row);
    }

    let mut unassigned = 0.0;
    for (state, &rate) in stage_rate.iter().enumerate() {
        let (pi, si) = states.list[state];
        let pipeline = &model.pipelines[pi];
        let stage = &pipeline.stages[si];
        let mut ownerless = false;
        for (contact, per_deal) in stage.chain.iter().zip(stage.contact_minutes()) {
            let minutes = rate * sane(per_deal);
            match contact.owner.as_ref().or(stage.owner.as_ref()) {
                Some(role) => {
                    if rate <= 0.0 {
                        continue;
                    }
                    let r = row(&mut rows, role, notes);
                    r.demanded_minutes += minutes;
                    match r.by_stage.last_mut() {
                        Some(w) if w.pipeline == pipeline.name && w.stage == stage.name => {
                            w.minutes += minutes
                        }
                        _ => r.by_stage.push(StageWork {
                            pipeline: pipeline.name.clone(),
                            stage: stage.name.clone(),
                            minutes,
                        }),
                    }
                }
                None => {
                    ownerless = true;
                    unassigned += minutes;
                }
            }
        }
        if ownerless {
            notes.push(Note::ContactWithoutRole {
                pipeline: pipeline.name.clone(),
                stage: stage.name.clone(),
            });
        }
    }

    let entries = |p: &str, s: &str| {
        (0..states.list.len())
            .find(|&i| {
                let (pi, si) = states.list[i];
                model.pipelines[pi].name == p && model.pipelines[pi].stages[si].name == s
            })
            .map_or(0.0, |i| stage_rate[i])
    };
    for (role, work) in super::triggers::trigger_work(model, entries, clients_per_month) {
        let r = row(&mut rows, &role, notes);
        r.demanded_minutes += work.minutes;
        r.triggers.push(work);
    }

    let week = sane(model.header.work_week_days);
    for m in &model.meetings {
        let per_month = match m.period {
            Some(Period::Day) => days,
            Some(Period::Week) if week > 0.0 => days / week,
            Some(Period::Week) => 0.0,
            Some(Period::Month) => 1.0,
            Some(Period::Quarter) => 1.0 / 3.0,
            Some(Period::Year) => 1.0 / 12.0,
            None => {
                notes.push(Note::MeetingWithoutPeriod {
                    meeting: m.name.clone(),
                });
                0.0
            }
        };
        // `частота 3 раза в нед`: three occurrences a week.
        let per_month = per_month * m.cadence.map_or(1.0, |c| sane(c.times));
        let duration = m.duration_minutes.map_or(0.0, sane);
        let mut attendees: Vec<&String> = Vec::new();
        for name in m.owner.iter().chain(&m.participants) {
            if !attendees.contains(&name) {
                attendees.push(name);
            }
        }
        for name in attendees {
            let r = row(&mut rows, name, notes);
            let minutes = duration * per_month * r.headcount as f64;
            r.meeting_minutes += minutes;
            r.meetings.push(MeetingWork {
                meeting: m.name.clone(),
                minutes,
            });
        }
    }

    for s in sampling
        .iter()
        .filter(|s| s.gap.is_none() && s.minutes_per_month > 0.0)
    {
        let Some(role) = &s.role else { continue };
        let r = row(&mut rows, role, notes);
        r.sampling_minutes += s.minutes_per_month;
        r.sampling.push(SamplingWork {
            control: s.label.clone(),
            minutes: s.minutes_per_month,
        });
    }

    let mut rows = rows.rows;
    for r in &mut rows {
        if let Some(role) = model.role(&r.role)
            && let Some(sh) = role.schedule.shifts
            && let Some(per_shift) = sh.even
        {
            notes.push(Note::ShiftsSplitEvenly {
                role: r.role.clone(),
                shifts: sh.count,
                headcount: role.headcount,
                per_shift,
            });
        }
        if let Some(role) = model
            .role(&r.role)
            .filter(|x| x.headcount == 0 && r.demanded_minutes > 0.0)
        {
            notes.push(Note::RoleWithoutStaff {
                role: r.role.clone(),
                hires: role.hires.iter().any(|h| h.count > 0),
            });
        }
        if r.sampling_minutes > 0.0 {
            r.available_minutes = r
                .available_minutes
                .min((r.working_minutes - r.sampling_minutes).max(0.0));
        }
        r.load = (r.available_minutes > 0.0).then(|| r.demanded_minutes / r.available_minutes);
        r.overloaded = match r.load {
            Some(l) => l > 1.0,
            None => r.demanded_minutes > 0.0,
        };
        r.headcount_needed = r.people_needed(r.demanded_minutes);
    }
    if let Some((i, _)) = bottleneck(rows.iter().enumerate().map(|(i, r)| (i, effective_load(r)))) {
        rows[i].bottleneck = true;
    }
    chain_coverage(model, &mut rows);
    (rows, unassigned)
}
