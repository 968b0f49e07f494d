//! Checks of deal terms and pay conditions: the discount approval matrix has no overlaps
//! (E0080) and no gaps (W0045); a bonus scale has no overlapping steps (E0081) and no gaps
//! (E0082); a scale or threshold has a plan to be measured against, and a penalty in shares of
//! the bonus has a bonus to take from (W0046).

use super::Checker;
use crate::diag::{Kind, Msg};
use crate::model::pay::{Interval, gaps};
use crate::source::Span;

pub(super) fn check(cx: &mut Checker) {
    let m = cx.model;
    for t in &m.terms {
        let bands = t.approval_bands();
        let ranges: Vec<(Interval, Span)> = bands.iter().map(|d| (d.range, d.span)).collect();
        if let Some((a, b)) = first_overlap(&ranges) {
            let (first, second) = (text(cx, a), text(cx, b));
            cx.report_with(
                Kind::DiscountBandsOverlap { first, second },
                b,
                vec![(
                    a,
                    Msg::new("пересекается с этим диапазоном", "overlaps this band"),
                )],
            );
        }
        let sorted: Vec<Interval> = ranges.iter().map(|(i, _)| *i).collect();
        for (from, to) in gaps(&sorted) {
            cx.report(Kind::DiscountGap { from, to }, t.span);
        }
    }
    for r in &m.roles {
        if let Some(scale) = &r.bonus_scale {
            let mut ranges: Vec<(Interval, Span)> =
                scale.steps.iter().map(|s| (s.fulfilment, s.span)).collect();
            ranges.sort_by(|a, b| a.0.low.total_cmp(&b.0.low));
            if let Some((a, b)) = first_overlap(&ranges) {
                let (first, second) = (text(cx, a), text(cx, b));
                cx.report_with(
                    Kind::ScaleStepsOverlap {
                        role: r.name.clone(),
                        first,
                        second,
                    },
                    b,
                    vec![(a, Msg::new("пересекается с этой ступенью", "overlaps this step"))],
                );
            } else {
                let sorted: Vec<Interval> = ranges.iter().map(|(i, _)| *i).collect();
                for (from, to) in gaps(&sorted) {
                    cx.report(
                        Kind::ScaleGap {
                            role: r.name.clone(),
                            from,
                            to,
                        },
                        scale.span,
                    );
                }
            }
        }
        if r.bonus_follows_plan() && m.plan.as_ref().is_none_or(|p| p.targets.is_empty()) {
            cx.report(
                Kind::PayRuleWithoutBase {
                    what: Msg::new(
                        format!(
                            "премия роли `{}` зависит от выполнения плана, а плана в положении нет: прогноз и документы считают его выполненным на 100 %",
                            r.name
                        ),
                        format!(
                            "role `{}`'s bonus follows plan fulfilment, but the regulation has no plan: the forecast and the documents take it as 100 % met",
                            r.name
                        ),
                    ),
                },
                r.span,
            );
        }
    }
    for p in &m.penalties {
        if !p.sanctions.iter().any(|s| s.bonus_share.is_some()) {
            continue;
        }
        let roles: Vec<&crate::model::Role> = if p.roles.is_empty() {
            m.roles.iter().collect()
        } else {
            m.roles.iter().filter(|r| p.roles.contains(&r.name)).collect()
        };
        let without: Vec<String> = roles
            .iter()
            .filter(|r| !r.has_bonus())
            .map(|r| format!("`{}`", r.name))
            .collect();
        if !without.is_empty() && (without.len() == roles.len() || !p.roles.is_empty()) {
            let list = without.join(", ");
            cx.report(
                Kind::PayRuleWithoutBase {
                    what: Msg::new(
                        format!("санкции берут долю премии, а у {list} премии нет"),
                        format!("the penalties take a share of the bonus, but {list} have no bonus"),
                    ),
                },
                p.span,
            );
        }
    }
}

/// The first two ranges (sorted by their low end) that share more than an end point.
fn first_overlap(ranges: &[(Interval, Span)]) -> Option<(Span, Span)> {
    for (i, (a, sa)) in ranges.iter().enumerate() {
        for (b, sb) in &ranges[i + 1..] {
            if a.overlaps(b) {
                return Some((*sa, *sb));
            }
        }
    }
    None
}

/// A statement as written, on one line.
fn text(cx: &Checker, span: Span) -> String {
    let span = cx.head(span);
    if (span.file.0 as usize) >= cx.sources.len() {
        return String::new();
    }
    cx.sources.get(span.file).slice(span).trim().to_string()
}
