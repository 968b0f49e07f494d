//! The forecast as CSV: one line per metric.

use super::csv_field;
use crate::sim::{SimResult, Stats};
use std::fmt::Write as _;

/// One line per metric: `metric,mean,ci95_low,ci95_high,sd,p10,p50,p90`.
pub fn csv(r: &SimResult) -> String {
    let mut out = String::from("metric,mean,ci95_low,ci95_high,sd,p10,p50,p90\n");
    let mut line = |name: String, s: &Stats| {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            csv_field(&name),
            s.mean,
            s.ci95[0],
            s.ci95[1],
            s.sd,
            s.p10,
            s.p50,
            s.p90
        );
    };
    for (name, s) in [
        ("leads", Some(&r.leads)),
        ("won", Some(&r.won)),
        ("revenue", Some(&r.revenue)),
        ("new_clients", Some(&r.new_clients)),
        ("repeat_purchases", Some(&r.repeat_purchases)),
        ("cycle_days", r.cycle_days.as_ref()),
        ("cold", Some(&r.cold)),
        ("cost", Some(&r.cost)),
        ("profit", Some(&r.profit)),
        ("cac", r.cac.as_ref()),
        ("roi", r.roi.as_ref()),
    ] {
        if let Some(s) = s {
            line(name.to_owned(), s);
        }
    }
    if let Some(p) = r.plan_probability {
        let s = Stats {
            mean: p,
            ci95: [p, p],
            sd: 0.0,
            p10: p,
            p50: p,
            p90: p,
        };
        line("plan_probability".into(), &s);
    }
    for c in &r.channels {
        line(format!("channel.{}.leads", c.channel), &c.leads);
    }
    for s in &r.stages {
        let key = format!("stage.{}.{}", s.pipeline, s.stage);
        line(format!("{key}.entered"), &s.entered);
        line(format!("{key}.converted"), &s.converted);
        line(format!("{key}.lost"), &s.lost);
        line(format!("{key}.cold"), &s.cold);
        line(format!("{key}.wip"), &s.wip);
        if let Some(d) = &s.days_in_stage {
            line(format!("{key}.days_in_stage"), d);
        }
    }
    for role in &r.roles {
        if let Some(u) = &role.utilization {
            line(format!("role.{}.utilization", role.role), u);
        }
        line(format!("role.{}.backlog", role.role), &role.backlog);
    }
    for m in &r.months {
        line(format!("month.{}.leads", m.month), &m.leads);
        line(format!("month.{}.won", m.month), &m.won);
        line(format!("month.{}.revenue", m.month), &m.revenue);
        line(format!("month.{}.cold", m.month), &m.cold);
        line(format!("month.{}.cost", m.month), &m.cost);
        line(format!("month.{}.profit", m.month), &m.profit);
        line(format!("month.{}.new_clients", m.month), &m.new_clients);
        for (name, stats) in [("cycle_days", &m.cycle_days), ("cac", &m.cac), ("roi", &m.roi)] {
            if let Some(s) = stats {
                line(format!("month.{}.{name}", m.month), s);
            }
        }
        for c in &m.channels {
            line(format!("month.{}.channel.{}.leads", m.month, c.channel), &c.leads);
        }
        for role in &m.roles {
            if let Some(u) = &role.utilization {
                line(format!("month.{}.role.{}.utilization", m.month, role.role), u);
            }
            line(
                format!("month.{}.role.{}.backlog", m.month, role.role),
                &role.backlog,
            );
        }
    }
    if let Some(o) = &r.open_deals {
        line("open_deals.won".into(), &o.won);
        line("open_deals.revenue".into(), &o.revenue);
    }
    for k in &r.kpis {
        if let Some(v) = &k.value {
            line(format!("kpi.{}", k.name), v);
        }
    }
    out
}

/// `plan`'s answer as CSV: one line per headcount tried, in headcount order, `answer` true on
/// the smallest one that meets the plan with the required probability:
/// `role,period,required_probability,current,headcount,plan_probability,answer`.
pub fn plan(answer: &crate::planning::PlanAnswer) -> String {
    let mut out =
        String::from("role,period,required_probability,current,headcount,plan_probability,answer\n");
    let period = match answer.period {
        crate::planning::PlanPeriod::Horizon => "horizon",
        crate::planning::PlanPeriod::Month => "month",
    };
    let mut tried = answer.tried.clone();
    tried.sort_by_key(|(h, _)| *h);
    tried.dedup_by_key(|(h, _)| *h);
    for (h, p) in tried {
        let _ = writeln!(
            out,
            "{},{period},{},{},{h},{p},{}",
            csv_field(&answer.role),
            answer.probability,
            answer.current,
            answer.headcount == Some(h)
        );
    }
    out
}
