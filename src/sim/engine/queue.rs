//! A stage's waiting cohorts, oldest first: a vector with a moving front instead of a ring
//! buffer, so the front is one index and a push one store (no wrap-around arithmetic). A stage
//! gets at most one new cohort a day (a same-day arrival joins the last one), so the vector
//! holds at most the horizon's days plus the starting stock; it is emptied when its last cohort
//! leaves and at the start of every replication.

use super::Cohort;

/// Either `head < items.len()` or both are 0: the last cohort to leave empties the vector.
#[derive(Debug, Clone, Default)]
pub(super) struct Queue {
    items: Vec<Cohort>,
    /// The oldest cohort still waiting.
    head: usize,
}

impl Queue {
    #[inline(always)]
    pub(super) fn clear(&mut self) {
        self.items.clear();
        self.head = 0;
    }

    #[inline(always)]
    pub(super) fn is_empty(&self) -> bool {
        self.head == self.items.len()
    }

    #[inline(always)]
    pub(super) fn front(&self) -> Option<&Cohort> {
        self.items.get(self.head)
    }

    #[inline(always)]
    pub(super) fn front_mut(&mut self) -> Option<&mut Cohort> {
        self.items.get_mut(self.head)
    }

    /// The newest cohort still waiting (none has left the vector without emptying it).
    #[inline(always)]
    pub(super) fn back_mut(&mut self) -> Option<&mut Cohort> {
        self.items.last_mut()
    }

    #[inline(always)]
    pub(super) fn push_back(&mut self, c: Cohort) {
        self.items.push(c);
    }

    /// The oldest cohort leaves (nothing happens to an empty queue).
    #[inline(always)]
    pub(super) fn pop_front(&mut self) {
        self.head += 1;
        if self.head >= self.items.len() {
            self.clear();
        }
    }

    /// The waiting cohorts, oldest first.
    pub(super) fn iter(&self) -> std::slice::Iter<'_, Cohort> {
        self.items[self.head..].iter()
    }
}
