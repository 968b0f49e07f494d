//! A decaying stage's cells for each day of waiting — an engine's largest tables (a guide and
//! a bucket table per day) — and their sharing between the engines of one comparison.
//!
//! `sensitivity`, `sweep`, `plan` and scenario comparisons build an engine per variant, and a
//! variant changes one parameter: every other stage's decayed cells are the same tables. The
//! engines of one comparison therefore take them from one [`SharedCells`] by what they are
//! built from (the outcomes, the day distribution, the decay, the waits covered and the
//! calendar places); a stage the variant changes gets its own. The tables are deterministic in
//! those inputs, so sharing changes no draw.

use super::BOUNDARY;
use crate::sim::split::Cells;
use std::sync::{Arc, Mutex};

/// What a stage's decayed cells are built from, compared bit for bit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Key {
    /// Per outcome: its probability (bits) and whether it is a success (which decays).
    pub outcomes: Vec<(u64, bool)>,
    /// The duration's day probabilities (bits).
    pub pmf: Vec<u64>,
    /// The decay per day of waiting (bits).
    pub decay: u64,
    /// Waits with their own cells: `1 ..= waits`.
    pub waits: usize,
    /// Per cell, its calendar place and delay (`Stage::cell_at`).
    pub cell_at: Vec<(u32, u32)>,
}

/// `waits[w - 1]`: the cells of a lead served after waiting `w` days and their bucket table;
/// the default has none (a stage without decay).
#[derive(Debug, Default)]
pub struct Decayed {
    key: Key,
    pub waits: Vec<(Cells, Vec<(u32, u32)>)>,
}

impl Decayed {
    /// The cells for waits `1 ..= key.waits`: `cells(w)` builds those of wait `w`.
    pub fn build(key: Key, cells: impl Fn(usize) -> Cells) -> Decayed {
        let waits = (1..=key.waits)
            .map(|wait| {
                let cells = cells(wait);
                let at = cells.bucket_table(|i| key.cell_at[i], BOUNDARY);
                (cells, at)
            })
            .collect();
        Decayed { key, waits }
    }
}

/// Decayed cells built so far by the engines of one comparison (`SimOptions::shared`): an
/// engine takes a stage's from here when they were built from the same inputs, and adds its
/// own otherwise. Dropped with the comparison.
#[derive(Debug, Default)]
pub struct SharedCells(Mutex<Vec<Arc<Decayed>>>);

impl SharedCells {
    /// The cells built from `key`, built now by `cells` if no engine has them yet.
    pub fn get(&self, key: Key, cells: impl Fn(usize) -> Cells) -> Arc<Decayed> {
        // A poisoned lock only means another thread panicked while holding it; the list is
        // still a list of complete entries.
        let mut built = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = built.iter().find(|d| d.key == key) {
            return Arc::clone(found);
        }
        let decayed = Arc::new(Decayed::build(key, cells));
        built.push(Arc::clone(&decayed));
        decayed
    }

    /// Distinct stages' cells held.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}
