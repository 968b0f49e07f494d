//! A pipeline diagram as a self-contained SVG, drawn in Rust: stages as boxes left to right,
//! success arrows labelled with their probabilities, and under each stage its exits — losses
//! and hand-offs to other stages or pipelines. No external programs, no fonts to fetch.

use super::format;
use crate::diag::Lang;
use crate::model::{Destination, Pipeline, TransitionKind};
use std::fmt::Write as _;

const BOX_W: f64 = 150.0;
const BOX_H: f64 = 64.0;
const GAP: f64 = 64.0;
const MARGIN: f64 = 16.0;
const LINE: f64 = 14.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Splits a title into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(last) if last.chars().count() + 1 + word.chars().count() <= width => {
                last.push(' ');
                last.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The diagram of one pipeline. Transitions to the next stage of the same pipeline are
/// drawn as arrows between boxes; every other exit is listed under its stage.
pub fn pipeline(p: &Pipeline, lang: Lang) -> String {
    let n = p.stages.len().max(1);
    let won_label = lang.pick("Выигрыш", "Won");
    let lost_label = lang.pick("проигрыш", "lost");
    // Exits listed under each stage.
    let mut exits: Vec<Vec<(String, bool)>> = Vec::new();
    let mut forward: Vec<Option<f64>> = Vec::new();
    for (i, s) in p.stages.iter().enumerate() {
        let next = p.stages.get(i + 1).map(|n| n.name.as_str());
        let mut list = Vec::new();
        let mut fwd = None;
        for t in &s.transitions {
            let pct = format::percent(t.probability, lang);
            match &t.to {
                Destination::Stage { pipeline, stage }
                    if *pipeline == p.name && Some(stage.as_str()) == next =>
                {
                    *fwd.get_or_insert(0.0) += t.probability;
                }
                Destination::Won if next.is_none() => {
                    *fwd.get_or_insert(0.0) += t.probability;
                }
                Destination::Won => list.push((format!("✓ {won_label} {pct}"), false)),
                Destination::Lost { reason } => {
                    let why = reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                    list.push((format!("✗ {lost_label} {pct}{why}"), false));
                }
                Destination::Stage { pipeline, stage } => {
                    let target = if *pipeline == p.name {
                        stage.clone()
                    } else {
                        format!("{pipeline}.{stage}")
                    };
                    let handoff = *pipeline != p.name || t.kind != TransitionKind::Success;
                    list.push((format!("→ {target} {pct}"), handoff));
                }
            }
        }
        exits.push(list);
        forward.push(fwd);
    }
    let max_exits = exits.iter().map(Vec::len).max().unwrap_or(0);
    let won_w = 90.0;
    let width = MARGIN * 2.0 + n as f64 * BOX_W + n as f64 * GAP + won_w;
    let top = MARGIN + 24.0;
    let height = top + BOX_H + 30.0 + max_exits as f64 * (LINE * 2.0) + MARGIN;
    let mut out = String::new();
    let title = p.title.as_deref().unwrap_or(&p.name);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="11" role="img" aria-label="{}">"#,
        esc(title)
    );
    // Several diagrams share one HTML page: the marker id is the pipeline's.
    let arrow = format!("arrow-{}", super::docs::file_stem(&p.name));
    let _ = write!(
        out,
        r##"<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>"##
    );
    let _ = write!(
        out,
        r#"<text x="{MARGIN}" y="{}" font-size="13" font-weight="bold">{}</text>"#,
        MARGIN + 10.0,
        esc(title)
    );
    for (i, s) in p.stages.iter().enumerate() {
        let x = MARGIN + i as f64 * (BOX_W + GAP);
        // The stage's CRM colour, pale enough for black text.
        let (fill, opacity) =
            match s.colour.as_deref().filter(|c| {
                c.starts_with('#') && c.len() == 7 && c[1..].chars().all(|h| h.is_ascii_hexdigit())
            }) {
                Some(c) => (c, 0.35),
                None => ("#eef3fb", 1.0),
            };
        let _ = write!(
            out,
            r##"<rect x="{x}" y="{top}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" fill-opacity="{opacity}" stroke="#335"/>"##
        );
        let label = format!("{}. {}", i + 1, s.title.as_deref().unwrap_or(&s.name));
        let lines = wrap(&label, 24);
        let shown = lines.len().min(3);
        for (k, line) in lines.iter().take(3).enumerate() {
            let y = top + BOX_H / 2.0 - (shown as f64 - 1.0) * LINE / 2.0 + k as f64 * LINE + 4.0;
            let _ = write!(
                out,
                r#"<text x="{}" y="{y}" text-anchor="middle">{}</text>"#,
                x + BOX_W / 2.0,
                esc(line)
            );
        }
        // The arrow to the next stage (or to the win).
        let (x1, x2, y) = (x + BOX_W, x + BOX_W + GAP, top + BOX_H / 2.0);
        if let Some(prob) = forward[i] {
            let _ = write!(
                out,
                r##"<line x1="{x1}" y1="{y}" x2="{}" y2="{y}" stroke="#333" marker-end="url(#{arrow})"/><text x="{}" y="{}" text-anchor="middle" fill="#060">{}</text>"##,
                x2 - 2.0,
                (x1 + x2) / 2.0,
                y - 6.0,
                esc(&format::percent(prob, lang))
            );
        }
        // Exits under the box.
        if !exits[i].is_empty() {
            let _ = write!(
                out,
                r##"<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#933" stroke-dasharray="3,2" marker-end="url(#{arrow})"/>"##,
                x + BOX_W / 2.0,
                top + BOX_H,
                top + BOX_H + 20.0
            );
        }
        for (k, (text, handoff)) in exits[i].iter().enumerate() {
            let colour = if *handoff { "#036" } else { "#933" };
            for (j, line) in wrap(text, 26).iter().take(2).enumerate() {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" fill="{colour}">{}</text>"#,
                    x + 4.0,
                    top + BOX_H + 34.0 + k as f64 * LINE * 2.0 + j as f64 * LINE,
                    esc(line)
                );
            }
        }
    }
    let wx = MARGIN + n as f64 * (BOX_W + GAP);
    if forward.last().copied().flatten().is_some() {
        let _ = write!(
            out,
            r##"<rect x="{wx}" y="{top}" width="{won_w}" height="{BOX_H}" rx="32" fill="#dff3df" stroke="#363"/><text x="{}" y="{}" text-anchor="middle" font-weight="bold">{}</text>"##,
            wx + won_w / 2.0,
            top + BOX_H / 2.0 + 4.0,
            won_label
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            super::wrap("Оплата поступила на счёт", 12),
            ["Оплата", "поступила на", "счёт"]
        );
    }
}
