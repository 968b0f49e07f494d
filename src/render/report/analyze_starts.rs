//! `voronka analyze` text: the stages with scheduled starts (`старт`) — starts a month, the mean
//! wait for a start (inside the stage's stay above) and the group per start against `группа`.

use super::Table;
use crate::analyze::Analysis;
use crate::diag::Lang;
use crate::render::format::fixed as num;
use std::fmt::Write;

pub(super) fn starts(a: &Analysis, lang: Lang, out: &mut String) {
    if a.starts.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Старты этапов (в среднем за месяц)",
            "Stage starts (average month)"
        )
    );
    let mut t = Table::new([
        lang.pick("Этап", "Stage"),
        lang.pick("Стартов", "Starts"),
        lang.pick("Ожидание, раб. дн", "Wait, working days"),
        lang.pick("Вошло", "Entered"),
        lang.pick("Группа на старт", "Group per start"),
        lang.pick("Группа по положению", "Group allowed"),
    ]);
    for f in &a.starts {
        let bounds = match (f.group_min, f.group_max) {
            (Some(lo), Some(hi)) => format!("{}..{}", num(lo, 0, lang), num(hi, 0, lang)),
            (Some(lo), None) => format!(">= {}", num(lo, 0, lang)),
            (None, Some(hi)) => format!("<= {}", num(hi, 0, lang)),
            (None, None) => "—".into(),
        };
        t.row(vec![
            format!("{}.{}", f.pipeline, f.stage),
            num(f.starts_per_month, 1, lang),
            num(f.mean_wait_days, 1, lang),
            num(f.entries_per_month, 1, lang),
            num(f.group_per_start, 1, lang),
            bounds,
        ]);
    }
    t.write_indented(out, "  ");
    let _ = writeln!(
        out,
        "  {}",
        lang.pick(
            "Ожидание — от готовности (после длительности этапа) до ближайшего старта, на который сделка успевает, для заявок, равномерно распределённых по дням; оно уже в длительности этапа выше. Группа на старт — сделки, успешно ушедшие с этапа, на один старт.",
            "The wait runs from being ready (after the stage's duration) to the next start the deal can make, for requests spread evenly over the days; it is already in the stage's duration above. The group per start is the deals leaving the stage with a success, per start."
        )
    );
}
