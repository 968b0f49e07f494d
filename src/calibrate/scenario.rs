//! The measured parameters as a scenario file (`simulate --scenario` reads it): each stage's
//! conversion, each channel's leads a month and each pipeline's deal size, where the history
//! has enough deals to say; the rest are written as comments saying why not.
//!
//! Durations are written as comments only: a history's time in a stage includes the wait for
//! a free person, and the simulator adds its own waiting on top of `длительность` (work time),
//! so writing one for the other would count the waits twice.

use super::Calibration;
use crate::diag::Lang;
use std::fmt::Write as _;

/// Resolved deals a stage needs before its conversion is written (below it, a comment).
pub const MIN_RESOLVED: usize = 20;

/// Won deals with an amount a pipeline needs before its deal size is written.
pub const MIN_DEALS: usize = 10;

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A YAML key: quoted when it is not a plain word.
fn key(k: &str) -> String {
    if k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
        k.to_owned()
    } else {
        format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The scenario YAML, with comments in `lang`. `sources` names the history files.
pub fn yaml(c: &Calibration, sources: &str, lang: Lang) -> String {
    let mut out = String::new();
    let pick = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let _ = writeln!(
        out,
        "# {}: {sources}, {} – {}",
        pick("Сценарий из истории CRM", "Scenario from CRM history"),
        c.since,
        c.until
    );
    let _ = writeln!(
        out,
        "# {}",
        pick(
            "voronka calibrate; запуск: voronka simulate ФАЙЛ --scenario этот_файл.yaml",
            "voronka calibrate; run: voronka simulate FILE --scenario this_file.yaml"
        )
    );
    let _ = writeln!(
        out,
        "название: \"{} {} – {}\"",
        pick("История CRM", "CRM history"),
        c.since,
        c.until
    );
    let _ = writeln!(out, "\nэтапы:");
    for s in &c.stages {
        let name = key(&format!("{}.{}", s.pipeline, s.stage));
        let resolved = s.moved_on + s.lost;
        match &s.conversion {
            Some(e) if resolved >= MIN_RESOLVED => {
                // The scenario sets the written conversion, to which the forecast adds the
                // contacts' losses: write the one that gives the measured share.
                let written = match (s.written_conversion, s.file_conversion) {
                    (Some(w), Some(f)) if f > 0.0 => (e.value * w / f).clamp(0.0, 1.0),
                    _ => e.value,
                };
                let _ = write!(
                    out,
                    "  {name}: {{ конверсия: {} }}  # {} {} ({} {}..{}, {} {resolved})",
                    percent(written),
                    pick("измерено", "measured"),
                    percent(e.value),
                    pick("95% ДИ", "95% CI"),
                    percent(e.ci95[0]),
                    percent(e.ci95[1]),
                    pick("сделок", "deals")
                );
                if (written - e.value).abs() > 5e-4 {
                    let _ = write!(
                        out,
                        "; {}",
                        pick(
                            "записано больше: прогноз добавит недозвоны цепочки",
                            "written higher: the forecast adds the chain's unreached calls"
                        )
                    );
                }
                if let Some(w) = s.written_conversion {
                    let _ = write!(
                        out,
                        "; {} {}",
                        pick("в положении", "in the regulation"),
                        percent(w)
                    );
                }
                out.push('\n');
            }
            _ => {
                let _ = writeln!(
                    out,
                    "  # {name}: {} ({resolved} {} {MIN_RESOLVED})",
                    pick(
                        "конверсия не записана — мало закрытых сделок",
                        "conversion not written — too few closed deals"
                    ),
                    pick("из нужных", "of the"),
                );
            }
        }
        if let Some(t) = &s.time
            && let Some(fit) = t.fit(lang)
        {
            let _ = writeln!(
                out,
                "  #   {}: {fit} ({})",
                pick("время на этапе по истории", "time in stage in the history"),
                pick(
                    "с ожиданием работы; длительность в положении — только работа, поэтому не записана",
                    "waiting included; the regulation's duration is work only, so it is not written"
                )
            );
        }
    }
    if !c.channels.is_empty() {
        let _ = writeln!(out, "\nканалы:");
        for ch in &c.channels {
            let _ = writeln!(
                out,
                "  {}: {{ лиды: {:.1} }}  # {} {:.1}..{:.1}, {} {}",
                key(&ch.channel),
                ch.leads_per_month.value,
                pick("95% ДИ", "95% CI"),
                ch.leads_per_month.ci95[0],
                ch.leads_per_month.ci95[1],
                pick("в положении", "in the regulation"),
                ch.file_leads_per_month
            );
        }
    }
    let sized: Vec<_> = c.pipelines.iter().filter(|p| p.deal_size.is_some()).collect();
    if !sized.is_empty() {
        let _ = writeln!(out, "\nворонки:");
        for p in sized {
            let Some(e) = &p.deal_size else { continue };
            if p.won >= MIN_DEALS {
                let _ = writeln!(
                    out,
                    "  {}: {{ чек: {:.0} }}  # {} {:.0}..{:.0}, {} {}",
                    key(&p.pipeline),
                    e.value,
                    pick("95% ДИ", "95% CI"),
                    e.ci95[0],
                    e.ci95[1],
                    pick("выиграно", "won"),
                    p.won
                );
            } else {
                let _ = writeln!(
                    out,
                    "  # {}: {} ({} {MIN_DEALS})",
                    key(&p.pipeline),
                    pick(
                        "чек не записан — мало выигранных сделок",
                        "deal size not written — too few won deals"
                    ),
                    p.won
                );
            }
        }
    }
    out
}
