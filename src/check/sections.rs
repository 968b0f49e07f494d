//! W0017: the sections seed 002 (rule 3) requires of a «Положение о системе продаж».

use super::Checker;
use crate::diag::{Kind, Msg};
use crate::source::Span;

pub(super) fn check(cx: &mut Checker) {
    let m = cx.model;
    let sections = [
        (
            !m.pipelines.is_empty(),
            "воронка продаж: этапы и контакты",
            "sales funnel: stages and contacts",
        ),
        (
            m.kpis.iter().any(|k| !k.roles.is_empty()),
            "показатели для категорий персонала",
            "KPIs per role",
        ),
        (
            m.kpis.iter().any(|k| k.department),
            "показатели отдела в целом",
            "department KPIs",
        ),
        (m.plan.is_some(), "планирование продаж", "sales planning"),
        (!m.accounting.is_empty(), "учёт продаж", "sales accounting"),
        (!m.controls.is_empty(), "контроль", "control"),
        (!m.reports.is_empty(), "отчётность", "reporting"),
    ];
    let at = if m.header.span == Span::default() {
        Span::default()
    } else {
        m.header.span
    };
    for (present, ru, en) in sections {
        if !present {
            cx.report(
                Kind::MissingSection {
                    section: Msg::new(ru, en),
                },
                at,
            );
        }
    }
}
