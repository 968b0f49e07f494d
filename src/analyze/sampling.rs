//! Quality-control sampling as work: each control with a `выборка` and a checklist costs the
//! role that scores (`кто`, any role — a РОП as well as a quality-control unit) minutes every
//! month. The one place this figure is computed: the analysis' role load, the forecast's
//! capacity (`sim::params`) and the check W0031 read it from here.
//!
//! - **Contacts scored per month** = the sample's count × the people of the checked roles
//!   (`роли`; the sum of their headcounts, one when the control names no role) × the sample's
//!   periods per month (`в день` = working days a month, `в нед` = working days ÷ work-week days,
//!   …; a bare count is per the control's `период`).
//! - **Minutes per contact** = the mean work minutes of the contacts of the checklist's kind
//!   (`вид звонок`) in the chains, as the checked roles make them (else as anyone does: the
//!   recording is listened to or watched in full) + the scoring time: the control's `на_оценку`,
//!   else the checklist's, else [`crate::model::DEFAULT_REVIEW_MINUTES`] (5 minutes).
//! - A sample whose time cannot be counted (no `кто`, no checklist, a checklist without `вид`, no
//!   contact of that kind in any chain, no period) has a [`SampleGap`] and adds nothing (W0038).

use super::sane;
use crate::model::{ContactKind, Control, Model, Period};
use serde::Serialize;

/// The sampling of one control with a `выборка`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlSampling {
    /// Index into `Model::controls`.
    pub control: usize,
    /// The control's name, else its title, for tables.
    pub label: String,
    /// The scoring role (`кто`).
    pub role: Option<String>,
    pub contacts_per_month: f64,
    /// Mean minutes of the contact + the scoring time.
    pub minutes_per_contact: f64,
    pub review_minutes: f64,
    pub minutes_per_month: f64,
    /// Why the sample adds no minutes; none when it is counted.
    pub gap: Option<SampleGap>,
}

/// Why a control's sample cannot be counted as work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleGap {
    /// No `кто`.
    NoScorer,
    /// No `чек_лист`, or one that is not defined.
    NoChecklist,
    /// The checklist has no `вид`.
    NoKind,
    /// No chain has a contact of the checklist's kind with minutes.
    NoContacts,
    /// `выборка 3` without a period and a control without `период`.
    NoPeriod,
}

/// Minutes a month each control's sample costs its scoring role, controls with a sample in
/// model order.
pub fn sampling(model: &Model) -> Vec<ControlSampling> {
    model
        .controls
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some(one(model, i, c, c.sample_size?)))
        .collect()
}

fn one(model: &Model, index: usize, c: &Control, size: crate::model::SampleSize) -> ControlSampling {
    let review = sane(model.review_minutes(c));
    let mut out = ControlSampling {
        control: index,
        label: c
            .name
            .clone()
            .or_else(|| c.title.clone())
            .unwrap_or_else(|| format!("#{}", index + 1)),
        role: c.who.clone(),
        contacts_per_month: 0.0,
        minutes_per_contact: 0.0,
        review_minutes: review,
        minutes_per_month: 0.0,
        gap: None,
    };
    let checklist = c.checklist.as_deref().and_then(|n| model.checklist(n));
    let kind = checklist.and_then(|k| k.contact);
    let per_contact = kind.and_then(|kind| {
        c.roles
            .iter()
            .find_map(|r| mean_minutes(model, Some(r), kind))
            .or_else(|| mean_minutes(model, None, kind))
    });
    let per = size.per.or(c.period);
    out.gap = if c.who.is_none() {
        Some(SampleGap::NoScorer)
    } else if checklist.is_none() {
        Some(SampleGap::NoChecklist)
    } else if kind.is_none() {
        Some(SampleGap::NoKind)
    } else if per_contact.is_none() {
        Some(SampleGap::NoContacts)
    } else if per.is_none() {
        Some(SampleGap::NoPeriod)
    } else {
        None
    };
    let (Some(per_contact), Some(per), None) = (per_contact, per, out.gap) else {
        return out;
    };
    let days = sane(model.header.working_days_per_month());
    let week = sane(model.header.work_week_days);
    let per_month = match per {
        Period::Day => days,
        Period::Week if week > 0.0 => days / week,
        Period::Week => 0.0,
        Period::Month => 1.0,
        Period::Quarter => 1.0 / 3.0,
        Period::Year => 1.0 / 12.0,
    };
    let people = if c.roles.is_empty() {
        1.0
    } else {
        c.roles
            .iter()
            .filter_map(|r| model.role(r))
            .map(|r| f64::from(r.headcount))
            .sum()
    };
    // A bare sample (`выборка 2`) is per session: `частота 3 раза в нед` holds three.
    let sessions = match (size.per, c.cadence) {
        (None, Some(cadence)) => sane(cadence.times),
        _ => 1.0,
    };
    out.contacts_per_month = sane(size.count) * sessions * people * per_month;
    out.minutes_per_contact = per_contact + review;
    out.minutes_per_month = out.contacts_per_month * out.minutes_per_contact;
    out
}

/// The mean work minutes of the contacts of `kind` in the chains, made by `role` (the contact's
/// owner, else its stage's) or by anyone.
pub fn mean_minutes(model: &Model, role: Option<&str>, kind: ContactKind) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0u32);
    for s in model.pipelines.iter().flat_map(|p| &p.stages) {
        for c in s.chain.iter().filter(|c| c.kind == kind) {
            let Some(minutes) = c.work_minutes else { continue };
            let by = c.owner.as_deref().or(s.owner.as_deref());
            if role.is_none() || by == role {
                sum += sane(minutes);
                n += 1;
            }
        }
    }
    (n > 0).then(|| sum / f64::from(n))
}

/// Minutes a month of sampling by role, for the forecast's capacity.
pub fn minutes_by_role(model: &Model) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for s in sampling(model) {
        let Some(role) = s.role else { continue };
        match out.iter_mut().find(|(r, _)| *r == role) {
            Some((_, m)) => *m += s.minutes_per_month,
            None => out.push((role, s.minutes_per_month)),
        }
    }
    out
}
