//! The measured parameters as changes to the regulation: each stage's conversion, each
//! channel's leads a month and each pipeline's deal size, where the history has enough deals to
//! say, rounded as a person writes them. [`changes`] is the one list both outputs derive from:
//! [`yaml`] writes it as a scenario file (`simulate --scenario` reads it; what is not written is
//! a comment saying why not) and [`super::apply`] writes it into the `.sales` file itself.
//!
//! Durations are written as comments only: a history's time in a stage includes the wait for
//! a free person, and the simulator adds its own waiting on top of `длительность` (work time),
//! so writing one for the other would count the waits twice.

use super::{Calibration, ChannelFit, PipelineFit, StageFit};
use crate::diag::Lang;
use crate::model::{Distribution, Model};
use std::fmt::Write as _;

/// Resolved deals a stage needs before its conversion is written (below it, a comment).
pub const MIN_RESOLVED: usize = 20;

/// Won deals with an amount a pipeline needs before its deal size is written.
pub const MIN_DEALS: usize = 10;

/// A parameter of the regulation the history measures.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A stage's written `конверсия`.
    Conversion { pipeline: String, stage: String },
    /// A channel's `лиды`.
    Leads { channel: String },
    /// A pipeline's `чек`.
    DealSize { pipeline: String },
}

impl Target {
    /// How a reader names it: `Продажа.Бриф.конверсия`, `Сайт.лиды`, `Продажа.чек`.
    pub fn show(&self, lang: Lang) -> String {
        match self {
            Target::Conversion { pipeline, stage } => {
                format!("{pipeline}.{stage}.{}", lang.pick("конверсия", "conversion"))
            }
            Target::Leads { channel } => format!("{channel}.{}", lang.pick("лиды", "leads")),
            Target::DealSize { pipeline } => format!("{pipeline}.{}", lang.pick("чек", "deal_size")),
        }
    }
}

/// The value a change writes, already rounded.
#[derive(Debug, Clone, PartialEq)]
pub enum NewValue {
    /// A share (0..1) that is a whole percent (`decimals` 0) or has one decimal of a percent.
    Share { value: f64, decimals: usize },
    /// Leads a month, a whole number.
    PerMonth(f64),
    /// A deal size in the regulation's currency: the file's distribution scaled to the
    /// measured mean, every figure rounded to three significant digits.
    Money(Distribution),
}

/// One parameter and its measured value.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub target: Target,
    pub value: NewValue,
}

/// Every change the history supports, stages first (in the regulation's order), then channels,
/// then pipelines.
pub fn changes(c: &Calibration, model: &Model) -> Vec<Change> {
    let stages = c.stages.iter().filter_map(|s| {
        stage_value(s).map(|value| Change {
            target: Target::Conversion {
                pipeline: s.pipeline.clone(),
                stage: s.stage.clone(),
            },
            value,
        })
    });
    let channels = c.channels.iter().map(|ch| Change {
        target: Target::Leads {
            channel: ch.channel.clone(),
        },
        value: channel_value(ch, model),
    });
    let pipelines = c.pipelines.iter().filter_map(|p| {
        deal_size_value(p, model).map(|value| Change {
            target: Target::DealSize {
                pipeline: p.pipeline.clone(),
            },
            value,
        })
    });
    stages.chain(channels).chain(pipelines).collect()
}

/// The `конверсия` to write for a stage, when enough of its deals closed. The forecast adds
/// the contacts' losses to the written conversion, so the one that gives the measured share is
/// written: whole percent, or one decimal when the interval is narrower than 2 points.
fn stage_value(s: &StageFit) -> Option<NewValue> {
    let e = s.conversion.as_ref()?;
    if s.moved_on + s.lost < MIN_RESOLVED {
        return None;
    }
    let written = match (s.written_conversion, s.file_conversion) {
        (Some(w), Some(f)) if f > 0.0 => (e.value * w / f).clamp(0.0, 1.0),
        _ => e.value,
    };
    let decimals = if e.ci95[1] - e.ci95[0] < 0.02 { 1 } else { 0 };
    let k = 10f64.powi(decimals as i32);
    let percent = (written * 100.0 * k).round() / k;
    Some(NewValue::Share {
        value: percent / 100.0,
        decimals,
    })
}

/// A channel's `лиды` a month: the measured rate, divided by the regulation's seasonality over
/// the window (the file writes the rate before seasonality), a whole number.
fn channel_value(ch: &ChannelFit, model: &Model) -> NewValue {
    let base = model
        .channels
        .iter()
        .find(|c| c.name == ch.channel)
        .map_or(0.0, |c| c.leads_per_month);
    let season = if base > 0.0 && ch.file_leads_per_month > 0.0 {
        ch.file_leads_per_month / base
    } else {
        1.0
    };
    NewValue::PerMonth((ch.leads_per_month.value / season).round())
}

/// A pipeline's `чек`, when enough deals were won: the regulation's distribution keeps its
/// shape and is scaled to the measured mean; each figure is rounded to three significant digits.
fn deal_size_value(p: &PipelineFit, model: &Model) -> Option<NewValue> {
    let e = p.deal_size.as_ref()?;
    if p.won < MIN_DEALS {
        return None;
    }
    let mean = round3(e.value);
    let current = model
        .pipelines
        .iter()
        .find(|pl| pl.name == p.pipeline)
        .and_then(|pl| pl.deal_size.clone());
    let d = match current {
        Some(d) if !matches!(d, Distribution::Fixed { .. }) && d.mean() > 0.0 => {
            round_dist(&crate::scenario::scale_dist(&d, mean / d.mean()))
        }
        _ => Distribution::Fixed { value: mean },
    };
    Some(NewValue::Money(d))
}

/// `x` rounded to three significant digits (`304 182` → `304 000`, `45.67` → `45.7`).
pub fn round3(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = x.abs().log10().floor() as i32;
    if digits >= 2 {
        let step = 10f64.powi(digits - 2);
        (x / step).round() * step
    } else {
        let inv = 10f64.powi(2 - digits);
        (x * inv).round() / inv
    }
}

fn round_dist(d: &Distribution) -> Distribution {
    match d {
        Distribution::Fixed { value } => Distribution::Fixed {
            value: round3(*value),
        },
        Distribution::Uniform { min, max } => Distribution::Uniform {
            min: round3(*min),
            max: round3(*max),
        },
        Distribution::Triangular { min, mode, max } => Distribution::Triangular {
            min: round3(*min),
            mode: round3(*mode),
            max: round3(*max),
        },
        Distribution::LogNormal { mean, sd } => Distribution::LogNormal {
            mean: round3(*mean),
            sd: round3(*sd),
        },
        Distribution::Empirical { values } => Distribution::Empirical {
            values: values.iter().map(|v| round3(*v)).collect(),
        },
    }
}

/// A share as a percent with the change's decimals and a dot: `51%`, `50.6%`.
pub fn percent_text(value: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, value * 100.0)
}

/// A number the way the language writes it: thousands grouped by a space from four digits up,
/// at most `max_decimals` decimals (trailing zeros dropped), `,` as the decimal sign when asked.
pub fn number_text(x: f64, max_decimals: usize, decimal_comma: bool) -> String {
    let s = format!("{:.*}", max_decimals, x);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    if int.len() >= 4 {
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(' ');
            }
            grouped.push(ch);
        }
    } else {
        grouped.push_str(int);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}{}{f}", if decimal_comma { ',' } else { '.' }),
        None => format!("{sign}{grouped}"),
    }
}

/// A deal size as the scenario file writes it: a number when fixed, else the distribution as
/// the language writes it, quoted (`"треуг(80 000, 130 000, 300 000)"`).
fn money_yaml(d: &Distribution) -> String {
    let n = |x: f64| number_text(x, 2, false);
    let list = |xs: &[f64]| xs.iter().map(|x| n(*x)).collect::<Vec<_>>().join(", ");
    match d {
        Distribution::Fixed { value } => number_text(*value, 2, false).replace(' ', ""),
        Distribution::Uniform { min, max } => format!("\"{}..{}\"", n(*min), n(*max)),
        Distribution::Triangular { min, mode, max } => format!("\"треуг({})\"", list(&[*min, *mode, *max])),
        Distribution::LogNormal { mean, sd } => format!("\"логнорм({})\"", list(&[*mean, *sd])),
        Distribution::Empirical { values } => format!("\"эмпир({})\"", list(values)),
    }
}

/// A YAML key: quoted when it is not a plain word.
fn key(k: &str) -> String {
    if k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
        k.to_owned()
    } else {
        format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A measured share in a comment: `47.4%`.
fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The scenario YAML, with comments in `lang`. `sources` names the history files. The values
/// are those of [`changes`].
pub fn yaml(c: &Calibration, model: &Model, sources: &str, lang: Lang) -> String {
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
        match (stage_value(s), &s.conversion) {
            (Some(NewValue::Share { value, decimals }), Some(e)) => {
                let _ = write!(
                    out,
                    "  {name}: {{ конверсия: {} }}  # {} {} ({} {}..{}, {} {resolved})",
                    percent_text(value, decimals),
                    pick("измерено", "measured"),
                    percent(e.value),
                    pick("95% ДИ", "95% CI"),
                    percent(e.ci95[0]),
                    percent(e.ci95[1]),
                    pick("сделок", "deals")
                );
                if s.file_conversion
                    .zip(s.written_conversion)
                    .is_some_and(|(f, w)| (f - w).abs() > 5e-4)
                {
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
            let NewValue::PerMonth(leads) = channel_value(ch, model) else {
                continue;
            };
            let _ = write!(
                out,
                "  {}: {{ лиды: {leads:.0} }}  # {} {:.1} ({} {:.1}..{:.1}), {} {}",
                key(&ch.channel),
                pick("измерено", "measured"),
                ch.leads_per_month.value,
                pick("95% ДИ", "95% CI"),
                ch.leads_per_month.ci95[0],
                ch.leads_per_month.ci95[1],
                pick("в положении", "in the regulation"),
                number_text(ch.file_leads_per_month, 1, false)
            );
            if (leads - ch.leads_per_month.value.round()).abs() > 0.5 {
                let _ = write!(
                    out,
                    "; {}",
                    pick(
                        "без сезонности положения за эти месяцы",
                        "the regulation's seasonality over these months taken out"
                    )
                );
            }
            out.push('\n');
        }
    }
    let sized: Vec<_> = c.pipelines.iter().filter(|p| p.deal_size.is_some()).collect();
    if !sized.is_empty() {
        let _ = writeln!(out, "\nворонки:");
        for p in sized {
            let Some(e) = &p.deal_size else { continue };
            match deal_size_value(p, model) {
                Some(NewValue::Money(d)) => {
                    let _ = writeln!(
                        out,
                        "  {}: {{ чек: {} }}  # {} {:.0} ({} {:.0}..{:.0}), {} {}",
                        key(&p.pipeline),
                        money_yaml(&d),
                        pick("измерено", "measured"),
                        e.value,
                        pick("95% ДИ", "95% CI"),
                        e.ci95[0],
                        e.ci95[1],
                        pick("выиграно", "won"),
                        p.won
                    );
                }
                _ => {
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
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_rounded_and_written_as_the_language_writes_them() {
        assert_eq!(round3(304_182.0), 304_000.0);
        assert_eq!(round3(2_345_678.0), 2_350_000.0);
        assert_eq!(round3(45.67), 45.7);
        assert_eq!(round3(0.0), 0.0);
        assert_eq!(number_text(304_000.0, 2, false), "304 000");
        assert_eq!(number_text(2800.0, 0, false), "2 800");
        assert_eq!(number_text(50.6, 1, true), "50,6");
        assert_eq!(number_text(0.51, 3, false), "0.51");
        assert_eq!(number_text(51.0, 1, false), "51");
        assert_eq!(percent_text(0.506, 1), "50.6%");
        assert_eq!(percent_text(0.51, 0), "51%");
    }
}
