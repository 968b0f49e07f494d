//! A pipeline diagram as a self-contained SVG, drawn in Rust: stages as boxes left to right in
//! rows of four, success arrows labelled with their probabilities, and under each stage its exits — losses
//! and hand-offs to other stages or pipelines. No external programs, no fonts to fetch.

use super::format;
use crate::diag::Lang;
use crate::model::{Destination, Model, Pipeline, TransitionKind};

/// Lines of text an exit under a stage may take (a loss reason's label is a phrase).
const EXIT_LINES: usize = 4;
use std::fmt::Write as _;

const BOX_W: f64 = 150.0;
const BOX_H: f64 = 64.0;
const GAP: f64 = 64.0;
const MARGIN: f64 = 16.0;
const LINE: f64 = 14.0;
/// Stages in one row of the diagram: four fit an A4 page at a readable size.
const PER_ROW: usize = 4;
/// Space between rows, where the arrow from one row's end back to the next row's start runs.
const ROW_GAP: f64 = 28.0;

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
pub fn pipeline(model: &Model, p: &Pipeline, lang: Lang) -> String {
    // Users see titles, never identifiers: a loss reason by its label, a stage of another
    // pipeline as «воронка: этап».
    let reason_label = |code: &str| {
        model
            .loss_reasons
            .iter()
            .find(|l| l.code == code)
            .and_then(|l| l.label.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let stage_title = |pipeline: &str, stage: &str| {
        let pl = model.pipeline(pipeline);
        let st = pl
            .and_then(|x| x.stages.iter().find(|s| s.name == stage))
            .and_then(|s| s.title.clone())
            .unwrap_or_else(|| stage.to_string());
        (
            pl.and_then(|x| x.title.clone())
                .unwrap_or_else(|| pipeline.to_string()),
            st,
        )
    };
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
                    let why = reason
                        .as_deref()
                        .map(|r| format!(": {}", reason_label(r)))
                        .unwrap_or_default();
                    list.push((format!("✗ {lost_label} {pct}{why}"), false));
                }
                Destination::Stage { pipeline, stage } => {
                    let (pipeline_title, stage_title) = stage_title(pipeline, stage);
                    let target = if *pipeline == p.name {
                        format!("«{stage_title}»")
                    } else {
                        format!("«{pipeline_title}»: «{stage_title}»")
                    };
                    let handoff = *pipeline != p.name || t.kind != TransitionKind::Success;
                    list.push((format!("→ {pct} {target}"), handoff));
                }
            }
        }
        exits.push(list);
        forward.push(fwd);
    }
    // Rows of at most PER_ROW stages, so that a long pipeline stays readable on a printed
    // page; the arrow from a row's last stage runs down and back to the next row's first.
    let rows = n.div_ceil(PER_ROW);
    let row_exits: Vec<usize> = (0..rows)
        .map(|r| {
            exits
                .iter()
                .skip(r * PER_ROW)
                .take(PER_ROW)
                .map(Vec::len)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let row_height = |r: usize| BOX_H + 30.0 + row_exits[r] as f64 * (LINE * EXIT_LINES as f64) + ROW_GAP;
    let mut row_top = vec![MARGIN + 24.0];
    for r in 1..rows {
        row_top.push(row_top[r - 1] + row_height(r - 1));
    }
    let won_w = 90.0;
    let per_row = n.min(PER_ROW) as f64;
    let width = MARGIN * 2.0 + per_row * (BOX_W + GAP) + won_w;
    let height = row_top[rows - 1] + row_height(rows - 1) - ROW_GAP + MARGIN;
    let mut out = String::new();
    let title = p.title.as_deref().unwrap_or(&p.name);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="11" role="img" aria-label="{}">"#,
        esc(title)
    );
    // Several diagrams share one HTML page: the marker id is the pipeline's.
    let arrow = format!("arrow-{}", super::format::file_stem(&p.name));
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
        let (row, column) = (i / PER_ROW, i % PER_ROW);
        let top = row_top[row];
        let x = MARGIN + column as f64 * (BOX_W + GAP);
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
        // The arrow to the next stage (or to the win): straight on within a row, down and back
        // to the start of the next row from a row's end.
        let (x1, y) = (x + BOX_W, top + BOX_H / 2.0);
        if let Some(prob) = forward[i] {
            let pct = esc(&format::percent(prob, lang));
            if column + 1 < PER_ROW || i + 1 == n {
                let x2 = x1 + GAP;
                let _ = write!(
                    out,
                    r##"<line x1="{x1}" y1="{y}" x2="{}" y2="{y}" stroke="#333" marker-end="url(#{arrow})"/><text x="{}" y="{}" text-anchor="middle" fill="#060">{pct}</text>"##,
                    x2 - 2.0,
                    (x1 + x2) / 2.0,
                    y - 6.0,
                );
            } else {
                let turn = x1 + GAP / 2.0;
                let below = top + row_height(row) - ROW_GAP / 2.0;
                let first = MARGIN + BOX_W / 2.0;
                let _ = write!(
                    out,
                    r##"<path d="M{x1},{y} H{turn} V{below} H{first} V{}" fill="none" stroke="#333" marker-end="url(#{arrow})"/><text x="{}" y="{}" text-anchor="middle" fill="#060">{pct}</text>"##,
                    row_top[row + 1] - 2.0,
                    (x1 + turn) / 2.0 + 4.0,
                    y - 6.0,
                );
            }
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
            let mut lines = wrap(text, 26);
            if lines.len() > EXIT_LINES {
                lines.truncate(EXIT_LINES);
                lines[EXIT_LINES - 1].push('…');
            }
            for (j, line) in lines.iter().enumerate() {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" fill="{colour}">{}</text>"#,
                    x + 4.0,
                    top + BOX_H + 34.0 + k as f64 * LINE * EXIT_LINES as f64 + j as f64 * LINE,
                    esc(line)
                );
            }
        }
    }
    let last = n - 1;
    let wx = MARGIN + (last % PER_ROW + 1) as f64 * (BOX_W + GAP);
    let top = row_top[last / PER_ROW];
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
    use crate::diag::Lang;
    use std::path::Path;

    fn diagram(stages: usize) -> String {
        let body: String = (1..=stages)
            .map(|i| format!("  этап S{i} {{ конверсия 50%; длительность 1 дн }}\n"))
            .collect();
        let text = format!("положение \"Т\" {{ валюта ₽ }}\nворонка П {{\n{body}}}\n");
        let model = crate::compile_str(Path::new("t.sales"), &text)
            .model
            .expect("a model");
        super::pipeline(&model, &model.pipelines[0], Lang::Ru)
    }

    fn view_box(svg: &str) -> (f64, f64) {
        let v = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
        let mut it = v.split(['"', ' ']).map(|x| x.parse::<f64>().unwrap());
        (it.next().unwrap(), it.next().unwrap())
    }

    /// Up to four stages stand in one row; a longer pipeline goes on in rows of four, joined by
    /// one arrow from each row's end to the next row's start, so it keeps its size in print.
    #[test]
    fn long_pipelines_wrap_into_rows_of_four() {
        let (three, four, seven) = (diagram(3), diagram(4), diagram(7));
        let column = super::BOX_W + super::GAP;
        assert_eq!(view_box(&three).0, 2.0 * super::MARGIN + 3.0 * column + 90.0);
        assert_eq!(
            view_box(&four).0,
            view_box(&seven).0,
            "seven stages are as wide as four"
        );
        assert!(view_box(&seven).1 > 1.8 * view_box(&four).1 - 2.0 * super::MARGIN);
        assert_eq!(three.matches("fill=\"none\"").count(), 0);
        assert_eq!(seven.matches("fill=\"none\"").count(), 1);
        assert_eq!(diagram(9).matches("fill=\"none\"").count(), 2);
        // Every stage is drawn, and the win once.
        assert_eq!(seven.matches("<rect").count(), 8);
        assert!(roxmltree::Document::parse(&seven).is_ok());
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            super::wrap("Оплата поступила на счёт", 12),
            ["Оплата", "поступила на", "счёт"]
        );
    }
}
