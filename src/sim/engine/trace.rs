//! One replication lead by lead (`simulate --trace`): the engine moves counts of exchangeable
//! leads; a trace gives every lead a number and moves the numbers with the counts — the same
//! draws, so the traced replication is exactly replication 0 of the forecast. Within a cohort
//! the leads are exchangeable, so which numbers go to which cell is immaterial.
//!
//! Kept beside the engine's containers: per stage queue the numbers of each cohort, per
//! calendar slot and per same-day move the numbers of its leads, and `carry` — the leads of the
//! move in progress (entering a stage, being split, leaving). Nothing here draws a random
//! number. `--open-deals` are not traced; a repeat purchase is a deal of its own, won the day it
//! appears.

use std::collections::VecDeque;

/// What happened to a lead, on a working day of the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// A lead arrived from a channel (index into the channels); `day` < 0 for the established
    /// start's stock, which was there before the first day.
    Created {
        lead: u32,
        day: i32,
        channel: Option<usize>,
    },
    /// The lead entered a stage.
    Entered { lead: u32, day: i32, stage: usize },
    /// Won: the revenue of its deal.
    Won { lead: u32, day: i32, amount: f64 },
    /// Lost in its stage; `cold` when it waited past the stage's limit.
    Lost { lead: u32, day: i32, cold: bool },
    /// A repeat purchase of a client won earlier in `pipeline` (index into the pipelines):
    /// a deal of its own, won the day it appears, with its amount.
    Repeat { day: i32, pipeline: usize, amount: f64 },
}

/// What a replication tells about its leads: nothing in a forecast ([`NoTrace`], every call
/// compiled away), every lead's path in a trace ([`Trace`]).
pub trait Tracer {
    /// `n` new leads (into the move in progress).
    fn created(&mut self, _n: u64, _day: i32, _channel: Option<usize>) {}
    /// The leads of the move in progress enter `stage`.
    fn entered(&mut self, _day: i32, _stage: usize) {}
    /// `n` of them go to calendar slot `slot`.
    fn place(&mut self, _slot: usize, _n: u64) {}
    /// `n` of them leave their stage today: a same-day move below the depth bound, else the
    /// slot `next` (tomorrow).
    fn leave_today(&mut self, _same_day: bool, _next: usize, _n: u64) {}
    /// All of them end: won with `amount` each, or lost (`cold`: waited past the limit).
    fn end(&mut self, _day: i32, _won: Option<f64>, _cold: bool) {}
    /// All of them join stage `s`'s queue (a new cohort or the last one).
    fn queue(&mut self, _s: usize, _new_cohort: bool) {}
    /// `k` leads of stage `s`'s oldest cohort become the move in progress.
    fn serve(&mut self, _s: usize, _k: u64, _whole: bool) {}
    /// The leads of calendar slot `slot` become the move in progress.
    fn take_slot(&mut self, _slot: usize) {}
    /// The last same-day move becomes the move in progress.
    fn take_pending(&mut self) {}
    /// The amount of one deal won next (in the order of the leads that end won).
    fn amount(&mut self, _x: f64) {}
    /// A repeat purchase in `pipeline` today, with its amount.
    fn repeat(&mut self, _day: i32, _pipeline: usize, _amount: f64) {}
    /// `n` leads of stage `stage` that waited `wait` days are split over its cells (the draw
    /// [`super::floor::Floor`] replays).
    fn split(&mut self, _stage: usize, _wait: usize, _n: u64) {}
    /// `m` deals are won today in `pipeline`: their amounts and repeat purchases are drawn.
    fn deals(&mut self, _pipeline: usize, _m: u64) {}
}

/// A forecast's replication: no record.
pub struct NoTrace;

impl Tracer for NoTrace {}

/// The numbers of the leads in every container of one replication.
#[derive(Debug, Default)]
pub struct Trace {
    queues: Vec<VecDeque<Vec<u32>>>,
    slots: Vec<Vec<u32>>,
    pending: Vec<Vec<u32>>,
    carry: Vec<u32>,
    /// Amounts of the deals won in the move in progress, one per lead.
    amounts: Vec<f64>,
    next: u32,
    /// The regulation's stages (the engine's transit stages after them are not reported: a
    /// lead in transit is in no stage).
    shown: usize,
    /// Leads created straight into a transit stage (a client handed on after a win with a
    /// delay), by the index of their `Created` event: the deal is created the day it arrives.
    born_in_transit: std::collections::HashMap<u32, usize>,
    /// The leads of the last `created` call, with their event indices.
    just_created: Vec<(u32, usize)>,
    pub events: Vec<Event>,
}

impl Trace {
    /// An empty record for an engine with `stages` stages (the first `shown` of them the
    /// regulation's) and `slots` calendar slots.
    pub fn new(stages: usize, shown: usize, slots: usize) -> Trace {
        Trace {
            queues: vec![VecDeque::new(); stages],
            slots: vec![Vec::new(); slots],
            shown,
            ..Trace::default()
        }
    }

    fn take(&mut self, n: u64) -> Vec<u32> {
        let from = self.carry.len().saturating_sub(n as usize);
        self.carry.split_off(from)
    }
}

impl Tracer for Trace {
    fn created(&mut self, n: u64, day: i32, channel: Option<usize>) {
        self.just_created.clear();
        for _ in 0..n {
            let lead = self.next;
            self.next += 1;
            self.carry.push(lead);
            self.just_created.push((lead, self.events.len()));
            self.events.push(Event::Created { lead, day, channel });
        }
    }

    fn entered(&mut self, day: i32, stage: usize) {
        if stage >= self.shown {
            for &(lead, at) in &self.just_created {
                if self.carry.contains(&lead) {
                    self.born_in_transit.insert(lead, at);
                }
            }
            self.just_created.clear();
            return;
        }
        self.just_created.clear();
        for &lead in &self.carry {
            if let Some(at) = self.born_in_transit.remove(&lead)
                && let Some(Event::Created { day: created, .. }) = self.events.get_mut(at)
            {
                *created = day;
            }
            self.events.push(Event::Entered { lead, day, stage });
        }
    }

    fn place(&mut self, slot: usize, n: u64) {
        let moved = self.take(n);
        self.slots[slot].extend(moved);
    }

    fn leave_today(&mut self, same_day: bool, next: usize, n: u64) {
        let moved = self.take(n);
        if same_day {
            self.pending.push(moved);
        } else {
            self.slots[next].extend(moved);
        }
    }

    fn end(&mut self, day: i32, won: Option<f64>, cold: bool) {
        // The amounts drawn for these leads are the last ones (an untraced open deal's may
        // precede them).
        let leads = std::mem::take(&mut self.carry);
        let mut amounts = std::mem::take(&mut self.amounts);
        let amounts = amounts.split_off(amounts.len().saturating_sub(leads.len()));
        for (i, lead) in leads.into_iter().enumerate() {
            self.events.push(match won {
                Some(mean) => Event::Won {
                    lead,
                    day,
                    amount: amounts.get(i).copied().unwrap_or(mean),
                },
                None => Event::Lost { lead, day, cold },
            });
        }
    }

    fn repeat(&mut self, day: i32, pipeline: usize, amount: f64) {
        self.events.push(Event::Repeat {
            day,
            pipeline,
            amount,
        });
    }

    fn amount(&mut self, x: f64) {
        self.amounts.push(x);
    }

    fn queue(&mut self, s: usize, new_cohort: bool) {
        let ids = std::mem::take(&mut self.carry);
        match self.queues[s].back_mut() {
            Some(last) if !new_cohort => last.extend(ids),
            _ => self.queues[s].push_back(ids),
        }
    }

    fn serve(&mut self, s: usize, k: u64, whole: bool) {
        if whole {
            self.carry = self.queues[s].pop_front().unwrap_or_default();
        } else if let Some(front) = self.queues[s].front_mut() {
            let from = front.len().saturating_sub(k as usize);
            self.carry = front.split_off(from);
        }
    }

    fn take_slot(&mut self, slot: usize) {
        self.carry = std::mem::take(&mut self.slots[slot]);
    }

    fn take_pending(&mut self) {
        self.carry = self.pending.pop().unwrap_or_default();
    }
}
