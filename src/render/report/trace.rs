//! A traced replication (`simulate --trace`) as the generic event log that `calibrate` reads
//! (docs/history.md): the stage entries and the deals, two CSV texts. A working day of the
//! horizon is a calendar date: day 0 is the first working day on or after the start (the plan's
//! start, else the regulation's effective date, else 2026-01-01), and each working day after it
//! skips the days off of the regulation's working week (`рабочая_неделя`).

use crate::history::dates::{is_day_off, parse_day, show_day};
use crate::sim::{Params, TraceEvent};
use std::fmt::Write as _;

/// The date of each working day from day −1 to `days` (index `t + 1`), in a week of `week`
/// working days from Monday.
fn calendar(start: i32, days: usize, week: i32) -> Vec<String> {
    let mut d = start;
    while is_day_off(d, week) {
        d += 1;
    }
    let mut before = d - 1;
    while is_day_off(before, week) {
        before -= 1;
    }
    let mut out = vec![show_day(before)];
    for _ in 0..=days {
        out.push(show_day(d));
        d += 1;
        while is_day_off(d, week) {
            d += 1;
        }
    }
    out
}

/// Where a trace's days start: a date as the model writes it.
pub fn start_day(start: Option<&str>) -> i32 {
    start
        .and_then(parse_day)
        .or_else(|| parse_day("2026-01-01"))
        .unwrap_or(0)
}

/// (stage entries CSV, deals CSV) of a trace; `week`: working days a week (`рабочая_неделя`).
pub fn csv(params: &Params, events: &[TraceEvent], start: i32, week: i32) -> (String, String) {
    let last = events
        .iter()
        .map(|e| match *e {
            TraceEvent::Created { day, .. }
            | TraceEvent::Entered { day, .. }
            | TraceEvent::Won { day, .. }
            | TraceEvent::Lost { day, .. }
            | TraceEvent::Repeat { day, .. } => day,
        })
        .max()
        .unwrap_or(0)
        .max(0) as usize;
    let dates = calendar(start, last, week);
    let date = |day: i32| dates[(day + 1).max(0) as usize].as_str();
    let mut entries = String::from("сделка;дата;воронка;этап\n");
    // Per lead: created, channel, end.
    struct Deal {
        created: i32,
        channel: Option<usize>,
        end: Option<(i32, Option<f64>, bool)>,
    }
    let mut deals: Vec<Deal> = Vec::new();
    // Repeat purchases: (day, pipeline, amount), deals of their own after the leads.
    let mut repeats: Vec<(i32, usize, f64)> = Vec::new();
    for e in events {
        match *e {
            TraceEvent::Created { lead, day, channel } => {
                let i = lead as usize;
                if deals.len() <= i {
                    deals.resize_with(i + 1, || Deal {
                        created: 0,
                        channel: None,
                        end: None,
                    });
                }
                deals[i] = Deal {
                    created: day,
                    channel,
                    end: None,
                };
            }
            TraceEvent::Entered { lead, day, stage } => {
                let st = &params.stages[stage];
                let _ = writeln!(entries, "{};{};{};{}", lead + 1, date(day), st.pipeline, st.name);
            }
            TraceEvent::Won { lead, day, amount } => {
                if let Some(d) = deals.get_mut(lead as usize) {
                    d.end = Some((day, Some(amount), false));
                }
            }
            TraceEvent::Lost { lead, day, cold } => {
                if let Some(d) = deals.get_mut(lead as usize) {
                    d.end = Some((day, None, cold));
                }
            }
            TraceEvent::Repeat {
                day,
                pipeline,
                amount,
            } => repeats.push((day, pipeline, amount)),
        }
    }
    let mut table = String::from("сделка;создана;канал;сумма;статус;закрыта;причина;воронка\n");
    for (i, d) in deals.iter().enumerate() {
        let channel = d
            .channel
            .and_then(|c| params.channels.get(c))
            .map_or("", |c| c.name.as_str());
        let (status, closed, amount, reason) = match d.end {
            Some((day, Some(amount), _)) => ("выиграна", date(day), format!("{amount:.0}"), ""),
            Some((day, None, cold)) => (
                "проиграна",
                date(day),
                String::new(),
                if cold { "остыл" } else { "" },
            ),
            None => ("открыта", "", String::new(), ""),
        };
        let _ = writeln!(
            table,
            "{};{};{channel};{amount};{status};{closed};{reason};",
            i + 1,
            date(d.created)
        );
    }
    for (k, &(day, pipeline, amount)) in repeats.iter().enumerate() {
        let pipeline = params.pipelines.get(pipeline).map_or("", |p| p.name.as_str());
        let _ = writeln!(
            table,
            "{};{};;{amount:.0};выиграна;{};;{pipeline}",
            deals.len() + k + 1,
            date(day),
            date(day)
        );
    }
    (entries, table)
}
