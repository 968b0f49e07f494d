//! Charts of the forecast as self-contained SVG, drawn in Rust: a funnel of expected volumes,
//! a histogram with a marker, a line with a P10–P90 band, and horizontal bars against a 100%
//! line. No external programs, fonts or scripts; the same input gives the same bytes.
//!
//! Every chart is one `<svg>` element on one line (so Markdown keeps it as an HTML block), with
//! `role="img"`, a `<title>` and classes on the marks (`bar`, `band`, `line`, `plan`, `limit`)
//! that tests and user stylesheets can find. Labels arrive formatted: this module draws, the
//! caller decides how a number is written. Depends on nothing else in the crate.

use std::fmt::Write as _;

/// Width of every chart in SVG units; pages scale it to the column.
pub const WIDTH: f64 = 640.0;
/// Left edge of the plotting area of [`histogram`] and [`lines`] (room for the y labels).
pub const PLOT_LEFT: f64 = 70.0;
/// Right margin of the plotting area of [`histogram`] and [`lines`].
pub const PLOT_RIGHT: f64 = 36.0;

const FONT: &str = r#"font-family="sans-serif" font-size="11""#;
const INK: &str = "#222";
const GRID: &str = "#ddd";
const AXIS: &str = "#888";
const ACCENT: &str = "#2f6db5";
const PALE: &str = "#a9c1e0";
const ALERT: &str = "#c0392b";
const GOOD: &str = "#2e8b57";

/// Escapes text for SVG content and attributes.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number as SVG writes it: at most two decimals, no trailing zeros.
fn n(x: f64) -> String {
    let t = format!("{:.2}", x);
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" { "0".into() } else { t.into() }
}

/// Shortens a label to `max` characters with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Starts a chart of the given height with its title, shown in bold at the top left.
fn open(out: &mut String, height: f64, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" {FONT} role="img" aria-label="{t}"><title>{t}</title>"#,
        w = n(WIDTH),
        h = n(height),
        t = esc(title)
    );
    text(
        out,
        0.0,
        16.0,
        "start",
        r#"font-size="13" font-weight="bold""#,
        title,
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, attrs: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}"{}{attrs}>{}</text>"#,
        n(x),
        n(y),
        if attrs.is_empty() { "" } else { " " },
        esc(s)
    );
}

/// Round tick values covering `[lo, hi]`: steps of 1, 2 or 5 × 10^k, about `target` of them.
/// Returns the ticks; the first is ≤ lo and the last ≥ hi.
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step + 1e-9).floor() * step;
    let mut out = Vec::new();
    let mut k = 0.0;
    loop {
        let v = first + k * step;
        // Snap away floating noise (0.30000000000000004) at the step's decimals.
        let decimals = (-step.log10().floor()).max(0.0) as usize;
        let v: f64 = format!("{:.*}", decimals, v).parse().unwrap_or(v);
        out.push(if v == 0.0 { 0.0 } else { v });
        if v >= hi - 1e-9 * step || out.len() > 50 {
            break;
        }
        k += 1.0;
    }
    out
}

/// A linear map from a data interval to a pixel interval.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn at(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span.abs() < f64::EPSILON {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }
}

// ─── Funnel ──────────────────────────────────────────────────────────────────

/// One stage of a funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelRow {
    pub label: String,
    pub value: f64,
    /// The value as the reader writes it (`1 234`).
    pub value_label: String,
    /// Shown in the right column, e.g. the stage's conversion (`→ 55 %`).
    pub note: Option<String>,
}

const FUNNEL_ROW: f64 = 30.0;
const FUNNEL_LABEL_W: f64 = 200.0;
const FUNNEL_NOTE_W: f64 = 90.0;

/// A funnel: one centred bar per stage, its width proportional to the value (the widest bar
/// spans the middle column), the stage on the left, the value on the bar, a note on the right.
pub fn funnel(title: &str, rows: &[FunnelRow], note_head: &str) -> String {
    let top = 34.0;
    let height = top + rows.len().max(1) as f64 * FUNNEL_ROW + 12.0;
    let mut out = String::new();
    open(&mut out, height, title);
    if !note_head.is_empty() {
        text(
            &mut out,
            WIDTH,
            16.0,
            "end",
            &format!(r#"fill="{AXIS}""#),
            note_head,
        );
    }
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    let (x0, x1) = (FUNNEL_LABEL_W, WIDTH - FUNNEL_NOTE_W);
    let mid = (x0 + x1) / 2.0;
    let full = x1 - x0;
    for (i, r) in rows.iter().enumerate() {
        let y = top + i as f64 * FUNNEL_ROW;
        let w = if max > 0.0 {
            (r.value.max(0.0) / max * full).max(1.0)
        } else {
            1.0
        };
        text(&mut out, x0 - 8.0, y + 17.0, "end", "", &clip(&r.label, 27));
        let _ = write!(
            out,
            r#"<rect class="bar" x="{}" y="{}" width="{}" height="{}" rx="2" fill="{ACCENT}" fill-opacity="{}"><title>{}: {}</title></rect>"#,
            n(mid - w / 2.0),
            n(y + 3.0),
            n(w),
            n(FUNNEL_ROW - 6.0),
            // Later stages a shade darker: the eye reads the narrowing.
            n(0.45 + 0.5 * i as f64 / rows.len().max(2) as f64),
            esc(&r.label),
            esc(&r.value_label)
        );
        // The value inside a wide bar, beside a narrow one.
        let inside = w > 8.0 * r.value_label.chars().count() as f64 + 12.0;
        if inside {
            text(
                &mut out,
                mid,
                y + 19.0,
                "middle",
                r##"fill="#fff" font-weight="bold""##,
                &r.value_label,
            );
        } else {
            text(
                &mut out,
                mid + w / 2.0 + 6.0,
                y + 19.0,
                "start",
                "",
                &r.value_label,
            );
        }
        if let Some(note) = &r.note {
            text(
                &mut out,
                WIDTH,
                y + 19.0,
                "end",
                &format!(r#"fill="{INK}""#),
                note,
            );
        }
    }
    out.push_str("</svg>");
    out
}

// ─── Histogram ───────────────────────────────────────────────────────────────

/// A vertical line at a value with its label, e.g. the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub value: f64,
    pub label: String,
}

const PLOT_TOP: f64 = 30.0;
const PLOT_H: f64 = 180.0;

/// Draws the y grid with labels and the x axis line; returns the y scale.
fn y_axis(out: &mut String, ticks: &[f64], fmt: &dyn Fn(f64) -> String) -> Scale {
    let y = Scale {
        d0: ticks[0],
        d1: *ticks.last().unwrap_or(&1.0),
        r0: PLOT_TOP + PLOT_H,
        r1: PLOT_TOP,
    };
    for &t in ticks {
        let py = y.at(t);
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{GRID}"/>"#,
            n(PLOT_LEFT),
            n(py),
            n(WIDTH - PLOT_RIGHT),
            n(py)
        );
        text(
            out,
            PLOT_LEFT - 6.0,
            py + 4.0,
            "end",
            &format!(r#"fill="{AXIS}""#),
            &fmt(t),
        );
    }
    y
}

/// A histogram of `values` in `bins` equal bins. The x axis covers the values and the
/// marker; bars at or past the marker are drawn in the accent colour (their share is the
/// share of runs that reach it), the others pale. The y axis is the share of values per bin.
pub fn histogram(
    title: &str,
    values: &[f64],
    bins: usize,
    marker: Option<&Marker>,
    fmt_x: &dyn Fn(f64) -> String,
    fmt_share: &dyn Fn(f64) -> String,
) -> String {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let mut lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let mut hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if let Some(m) = marker.filter(|m| m.value.is_finite()) {
        lo = lo.min(m.value);
        hi = hi.max(m.value);
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let xt = ticks(lo, hi, 6);
    let x = Scale {
        d0: xt[0],
        d1: *xt.last().unwrap_or(&1.0),
        r0: PLOT_LEFT,
        r1: WIDTH - PLOT_RIGHT,
    };
    let bins = bins.max(1);
    let width = (x.d1 - x.d0) / bins as f64;
    let mut counts = vec![0usize; bins];
    for v in &finite {
        let i = (((v - x.d0) / width).floor().max(0.0) as usize).min(bins - 1);
        counts[i] += 1;
    }
    let total = finite.len().max(1) as f64;
    let top_share = counts.iter().copied().max().unwrap_or(0) as f64 / total;
    let yt = ticks(0.0, top_share.max(0.01), 4);

    let height = PLOT_TOP + PLOT_H + 40.0;
    let mut out = String::new();
    open(&mut out, height, title);
    let y = y_axis(&mut out, &yt, fmt_share);
    for (i, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let b0 = x.d0 + i as f64 * width;
        let reached = marker.is_some_and(|m| b0 + width / 2.0 >= m.value);
        let (px0, px1) = (x.at(b0), x.at(b0 + width));
        let py = y.at(c as f64 / total);
        let _ = write!(
            out,
            r#"<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} – {}: {}</title></rect>"#,
            n(px0 + 0.5),
            n(py),
            n((px1 - px0 - 1.0).max(0.5)),
            n(PLOT_TOP + PLOT_H - py),
            if reached || marker.is_none() { ACCENT } else { PALE },
            esc(&fmt_x(b0)),
            esc(&fmt_x(b0 + width)),
            esc(&fmt_share(c as f64 / total))
        );
    }
    x_axis(&mut out, &x, &xt, fmt_x);
    if let Some(m) = marker.filter(|m| m.value.is_finite()) {
        let px = x.at(m.value);
        let _ = write!(
            out,
            r#"<line class="plan" x1="{p}" y1="{}" x2="{p}" y2="{}" stroke="{ALERT}" stroke-width="2" stroke-dasharray="5,3"/>"#,
            n(PLOT_TOP - 8.0),
            n(PLOT_TOP + PLOT_H),
            p = n(px)
        );
        let anchor = if px > WIDTH * 0.7 { "end" } else { "start" };
        let dx = if anchor == "end" { -5.0 } else { 5.0 };
        text(
            &mut out,
            px + dx,
            PLOT_TOP - 2.0,
            anchor,
            &format!(r#"fill="{ALERT}" font-weight="bold""#),
            &m.label,
        );
    }
    out.push_str("</svg>");
    out
}

fn x_axis(out: &mut String, x: &Scale, ticks: &[f64], fmt: &dyn Fn(f64) -> String) {
    let base = PLOT_TOP + PLOT_H;
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{AXIS}"/>"#,
        n(x.r0),
        n(base),
        n(x.r1),
        n(base)
    );
    for &t in ticks {
        let px = x.at(t);
        let _ = write!(
            out,
            r#"<line x1="{p}" y1="{}" x2="{p}" y2="{}" stroke="{AXIS}"/>"#,
            n(base),
            n(base + 4.0),
            p = n(px)
        );
        text(
            out,
            px,
            base + 16.0,
            "middle",
            &format!(r#"fill="{AXIS}""#),
            &fmt(t),
        );
    }
}

// ─── Line with a band ────────────────────────────────────────────────────────

/// A series over x: a middle line, an optional band around it and an optional reference
/// (the plan) per point.
#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    pub title: String,
    pub x: Vec<f64>,
    /// The label of each x (months, headcounts); thinned when crowded.
    pub x_labels: Vec<String>,
    pub line: Vec<f64>,
    /// (low, high) per point: the P10–P90 band.
    pub band: Option<(Vec<f64>, Vec<f64>)>,
    /// A reference value per point, drawn as a dashed step line.
    pub reference: Option<Vec<f64>>,
    /// A fixed y range (0..1 for a probability); otherwise from the data and 0.
    pub y_range: Option<(f64, f64)>,
    /// Legend entries: line, band, reference.
    pub legend: [String; 3],
}

/// A line chart with a P10–P90 band and a dashed reference, x spaced by value.
pub fn lines(chart: &Lines, fmt_y: &dyn Fn(f64) -> String) -> String {
    let mut all: Vec<f64> = chart.line.clone();
    if let Some((lo, hi)) = &chart.band {
        all.extend(lo);
        all.extend(hi);
    }
    if let Some(r) = &chart.reference {
        all.extend(r);
    }
    let all: Vec<f64> = all.into_iter().filter(|v| v.is_finite()).collect();
    let (lo, hi) = chart.y_range.unwrap_or_else(|| {
        let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        // Start at zero unless the data sit high above it: then the band would be a sliver.
        if lo > 0.0 && lo > 0.4 * hi {
            (lo, hi)
        } else {
            (lo.min(0.0), hi)
        }
    });
    let yt = match chart.y_range {
        Some(_) => ticks(lo, hi, 4),
        None => ticks(lo, hi.max(lo + 1.0), 5),
    };
    let (x_lo, x_hi) = (
        chart.x.iter().copied().fold(f64::INFINITY, f64::min),
        chart.x.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    // Half a slot on each side, so a point's reference step stays inside the plot.
    let slots = chart.x.len().max(1) as f64;
    let pad = ((WIDTH - PLOT_LEFT - PLOT_RIGHT) / slots / 2.0).min(40.0);
    let x = Scale {
        d0: if x_lo.is_finite() { x_lo } else { 0.0 },
        d1: if x_hi.is_finite() { x_hi } else { 1.0 },
        r0: PLOT_LEFT + pad,
        r1: WIDTH - PLOT_RIGHT - pad,
    };
    let height = PLOT_TOP + PLOT_H + 56.0;
    let mut out = String::new();
    open(&mut out, height, &chart.title);
    let y = y_axis(&mut out, &yt, fmt_y);
    let base = PLOT_TOP + PLOT_H;
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{b}" x2="{}" y2="{b}" stroke="{AXIS}"/>"#,
        n(PLOT_LEFT),
        n(WIDTH - PLOT_RIGHT),
        b = n(base)
    );
    // Thin the labels so they do not collide (about 7 units a character).
    let widest = chart
        .x_labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1) as f64;
    let room = (x.r1 - x.r0) / (slots - 1.0).max(1.0);
    let every = ((widest * 7.0 + 10.0) / room).ceil().max(1.0) as usize;
    for (i, (&v, label)) in chart.x.iter().zip(&chart.x_labels).enumerate() {
        if i % every != 0 {
            continue;
        }
        text(
            &mut out,
            x.at(v),
            base + 16.0,
            "middle",
            &format!(r#"fill="{AXIS}""#),
            label,
        );
    }
    let points = |ys: &[f64]| -> String {
        chart
            .x
            .iter()
            .zip(ys)
            .filter(|(_, v)| v.is_finite())
            .map(|(a, b)| format!("{},{}", n(x.at(*a)), n(y.at(*b))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some((lo, hi)) = &chart.band {
        let mut poly = points(hi);
        let back: Vec<String> = chart
            .x
            .iter()
            .zip(lo)
            .rev()
            .filter(|(_, v)| v.is_finite())
            .map(|(a, b)| format!("{},{}", n(x.at(*a)), n(y.at(*b))))
            .collect();
        if !back.is_empty() {
            poly.push(' ');
            poly.push_str(&back.join(" "));
        }
        let _ = write!(
            out,
            r#"<polygon class="band" points="{poly}" fill="{ACCENT}" fill-opacity="0.18" stroke="none"/>"#
        );
    }
    if let Some(r) = &chart.reference {
        // A step line: each point's reference holds for its whole slot.
        let half = if chart.x.len() > 1 {
            (x.at(chart.x[1]) - x.at(chart.x[0])) / 2.0
        } else {
            20.0
        };
        let mut d = String::new();
        for (&v, &t) in chart.x.iter().zip(r) {
            if !t.is_finite() {
                continue;
            }
            let (px, py) = (x.at(v), y.at(t));
            let (a, b) = ((px - half).max(PLOT_LEFT), (px + half).min(WIDTH - PLOT_RIGHT));
            let _ = write!(
                d,
                "{}{},{} L{},{} ",
                if d.is_empty() { "M" } else { "L" },
                n(a),
                n(py),
                n(b),
                n(py)
            );
        }
        let _ = write!(
            out,
            r#"<path class="plan" d="{}" fill="none" stroke="{ALERT}" stroke-width="1.5" stroke-dasharray="5,3"/>"#,
            d.trim_end()
        );
    }
    let _ = write!(
        out,
        r#"<polyline class="line" points="{}" fill="none" stroke="{ACCENT}" stroke-width="2"/>"#,
        points(&chart.line)
    );
    for (&v, &t) in chart.x.iter().zip(&chart.line) {
        if t.is_finite() {
            let _ = write!(
                out,
                r#"<circle class="point" cx="{}" cy="{}" r="2.5" fill="{ACCENT}"><title>{}</title></circle>"#,
                n(x.at(v)),
                n(y.at(t)),
                esc(&fmt_y(t))
            );
        }
    }
    // The legend under the axis.
    let ly = base + 38.0;
    let mut lx = PLOT_LEFT;
    let entries = [
        (true, &chart.legend[0], "line"),
        (chart.band.is_some(), &chart.legend[1], "band"),
        (chart.reference.is_some(), &chart.legend[2], "plan"),
    ];
    for (shown, label, kind) in entries {
        if !shown || label.is_empty() {
            continue;
        }
        let _ = match kind {
            "line" => write!(
                out,
                r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{ACCENT}" stroke-width="2"/>"#,
                n(lx),
                n(lx + 18.0),
                y = n(ly - 4.0)
            ),
            "band" => write!(
                out,
                r#"<rect x="{}" y="{}" width="18" height="10" fill="{ACCENT}" fill-opacity="0.18"/>"#,
                n(lx),
                n(ly - 9.0)
            ),
            _ => write!(
                out,
                r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{ALERT}" stroke-width="1.5" stroke-dasharray="5,3"/>"#,
                n(lx),
                n(lx + 18.0),
                y = n(ly - 4.0)
            ),
        };
        text(&mut out, lx + 24.0, ly, "start", "", label);
        lx += 24.0 + 6.5 * label.chars().count() as f64 + 18.0;
    }
    out.push_str("</svg>");
    out
}

// ─── Bars against a limit ────────────────────────────────────────────────────

/// One horizontal bar: a value (utilisation, revenue) with its P10–P90 whisker.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// Drawn in the alert colour.
    pub highlight: bool,
}

/// What a vertical line across [`bars`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// A capacity (100% of working time): solid green, class `limit`.
    Capacity,
    /// A target (the plan): dashed red, class `plan`.
    Plan,
}

const BAR_ROW: f64 = 26.0;

/// Horizontal bars from zero with a P10–P90 whisker, highlighted bars in the alert colour, and
/// an optional vertical line (100% of capacity, or the plan).
pub fn bars(
    title: &str,
    rows: &[Bar],
    limit: Option<(&Marker, Limit)>,
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let top = 40.0;
    let left = 200.0;
    let right = WIDTH - 90.0;
    let max = rows
        .iter()
        .map(|r| r.high.max(r.value))
        .chain(limit.map(|(m, _)| m.value))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let axis = ticks(0.0, if max > 0.0 { max } else { 1.0 }, 4);
    let x = Scale {
        d0: 0.0,
        d1: *axis.last().unwrap_or(&1.0),
        r0: left,
        r1: right,
    };
    let height = top + rows.len().max(1) as f64 * BAR_ROW + 28.0;
    let mut out = String::new();
    open(&mut out, height, title);
    for &t in &axis {
        let px = x.at(t);
        let _ = write!(
            out,
            r#"<line x1="{p}" y1="{}" x2="{p}" y2="{}" stroke="{GRID}"/>"#,
            n(top - 4.0),
            n(height - 24.0),
            p = n(px)
        );
        text(
            &mut out,
            px,
            height - 10.0,
            "middle",
            &format!(r#"fill="{AXIS}""#),
            &fmt(t),
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + i as f64 * BAR_ROW;
        let colour = if r.highlight { ALERT } else { ACCENT };
        text(&mut out, left - 8.0, y + 15.0, "end", "", &clip(&r.label, 27));
        let _ = write!(
            out,
            r#"<rect class="bar{}" x="{}" y="{}" width="{}" height="{}" fill="{colour}" fill-opacity="0.8"><title>{}: {}</title></rect>"#,
            if r.highlight { " highlight" } else { "" },
            n(left),
            n(y + 4.0),
            n((x.at(r.value.max(0.0)) - left).max(0.5)),
            n(BAR_ROW - 10.0),
            esc(&r.label),
            esc(&fmt(r.value))
        );
        if r.high > r.low {
            let _ = write!(
                out,
                r#"<line class="whisker" x1="{}" y1="{c}" x2="{}" y2="{c}" stroke="{INK}"/>"#,
                n(x.at(r.low)),
                n(x.at(r.high)),
                c = n(y + BAR_ROW / 2.0 - 1.0)
            );
        }
        text(
            &mut out,
            x.at(r.high.max(r.value)) + 6.0,
            y + 15.0,
            "start",
            if r.highlight { r#"font-weight="bold""# } else { "" },
            &fmt(r.value),
        );
    }
    if let Some((m, kind)) = limit.filter(|(m, _)| m.value.is_finite()) {
        let px = x.at(m.value);
        let (class, colour, dash) = match kind {
            Limit::Capacity => ("limit", GOOD, ""),
            Limit::Plan => ("plan", ALERT, r#" stroke-dasharray="5,3""#),
        };
        let _ = write!(
            out,
            r#"<line class="{class}" x1="{p}" y1="{}" x2="{p}" y2="{}" stroke="{colour}" stroke-width="2"{dash}/>"#,
            n(top - 8.0),
            n(height - 24.0),
            p = n(px)
        );
        let anchor = if px > WIDTH - 60.0 { "end" } else { "middle" };
        text(
            &mut out,
            px,
            top - 12.0,
            anchor,
            &format!(r#"fill="{colour}""#),
            &m.label,
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 100.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(3.0, 9.5, 4), vec![2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.0, 0.3, 3), vec![0.0, 0.1, 0.2, 0.3]);
        let t = ticks(1_234_567.0, 9_876_543.0, 5);
        assert!(t[0] <= 1_234_567.0 && *t.last().unwrap() >= 9_876_543.0, "{t:?}");
        assert_eq!(ticks(5.0, 5.0, 4), vec![5.0, 5.5, 6.0]);
    }

    #[test]
    fn labels_are_escaped_and_clipped() {
        let svg = funnel(
            "a < b",
            &[FunnelRow {
                label: "Очень длинное название этапа воронки продаж".into(),
                value: 10.0,
                value_label: "10".into(),
                note: Some("→ 50 %".into()),
            }],
            "",
        );
        assert!(svg.contains("a &lt; b"), "{svg}");
        assert!(svg.contains("Очень длинное название эта…"), "{svg}");
    }
}
