//! Lead distribution across channels: every channel `вне_очереди` (W0059) — when all go first,
//! none does.

use super::Checker;
use crate::diag::{Kind, Msg};

pub(super) fn check(cx: &mut Checker) {
    let channels = &cx.model.channels;
    if channels.len() < 2 || !channels.iter().all(|c| c.out_of_turn) {
        return;
    }
    let Some(last) = channels.last() else { return };
    let span = last.span;
    let n = channels.len();
    cx.report(
        Kind::PriorityEverywhere {
            why: Msg::new(
                format!("`приоритет вне_очереди` у всех {n} каналов — когда первые все, первых нет"),
                format!("`priority out_of_turn` on all {n} channels: when all go first, none does"),
            ),
            fix: Msg::new(
                "оставьте `приоритет вне_очереди` только у каналов, чьи заявки действительно берут первыми (например, рекомендации)",
                "keep `priority out_of_turn` only on the channels whose leads really go first (referrals, say)",
            ),
        },
        span,
    );
}
