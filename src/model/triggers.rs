//! Triggers (`триггер`) and the cadence of meetings and controls (`частота 3 раза в нед`): the
//! automation a regulation asks the CRM to run and the routine's rhythm. Plain serde data like
//! the rest of the model; the work a trigger creates is counted by `analyze`, worded by the
//! documents and the CRM checklists.

use super::{Colour, ContactKind, Period};
use crate::locale::{self, Lang};
use crate::source::Span;
use serde::{Deserialize, Serialize};

/// `триггер ДеньРождения "Поздравление" { когда …; действие …; ответственный … }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub name: Option<String>,
    pub title: Option<String>,
    /// What fires it; `None` only in a file with errors (E0062).
    pub event: Option<TriggerEvent>,
    pub actions: Vec<TriggerAction>,
    /// The role that does the work: `ответственный`, else for a stage event the stage's owner.
    pub owner: Option<String>,
    /// `воронка`: the pipeline whose clients a field trigger concerns.
    pub pipeline: Option<String>,
    /// A field trigger's `накануне 18:00` and `если_время до 10:00`.
    #[serde(default, skip_serializing_if = "super::telcal::FieldTiming::is_empty")]
    pub timing: super::telcal::FieldTiming,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// What fires a trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case", deny_unknown_fields)]
pub enum TriggerEvent {
    /// `вход Этап`: a deal enters the stage.
    Enter { pipeline: String, stage: String },
    /// `выход Этап`: a deal leaves the stage, whichever way; `выход Этап отказ` / `успех` only
    /// that way (`outcome`).
    Exit {
        pipeline: String,
        stage: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<ExitOutcome>,
    },
    /// `в_этапе Этап дольше 5 дн`: a deal has stayed longer than `days` working days.
    Stay {
        pipeline: String,
        stage: String,
        days: f64,
    },
    /// `поле "Дата рождения" за 3 дн`: `before_days` days before the date in a client's field
    /// (on the date when 0); `за 24 ч` / `за 30 мин` are clock time, a fraction of a day.
    // Not yet resolved to a date field of the client card (`карточка … { поле "…" дата }`): any
    // name is accepted, and the documents word it as written.
    Field { field: String, before_days: f64 },
    /// `поле "Оценка" <= 6 доля 10%`: a deal's field takes a value that meets the condition;
    /// `share` of the deals whose field is filled do (without it the rate is unknown and the
    /// trigger is documented but not counted in the load).
    Value {
        condition: super::field_cond::FieldCond,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        share: Option<f64>,
    },
    /// `показатель Х цвет красный`: the KPI's value falls into the colour's band.
    Kpi { kpi: String, colour: Colour },
    /// `без_покупки 60 дн доля 15%`, `без_активности 7 дн`: a client of the trigger's pipeline
    /// has been quiet for `after` (its `months`); `share` of its clients go quiet (rate unknown
    /// without).
    Idle {
        quiet: super::Quiet,
        after: super::Lapse,
        share: Option<f64>,
    },
    /// `каждые 2 нед [для сегмент A] [доля 20%]`: a recurring contact with each client of the
    /// pipeline (of the segment: `share` of them).
    Every {
        every: super::Lapse,
        segment: Option<String>,
        share: Option<f64>,
    },
}

/// The way out a `выход Этап успех|отказ` trigger fires on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitOutcome {
    /// Every written or default success transition (`успех`, `ветка`, the next stage).
    Success,
    /// Everything else: refusals, the unreached (`иначе`), the shortfall to lost.
    Failure,
}

impl ExitOutcome {
    /// «успех» / «отказ» (the keyword), «success» / «failure».
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            ExitOutcome::Success => lang.pick("успех", "success"),
            ExitOutcome::Failure => lang.pick("отказ", "failure"),
        }
    }

    /// The share of the deals leaving `stage` that leave this way.
    pub fn share(self, stage: &super::Stage) -> f64 {
        let success: f64 = stage
            .transitions
            .iter()
            .filter(|t| t.kind == super::TransitionKind::Success)
            .map(|t| t.probability)
            .filter(|p| p.is_finite())
            .sum::<f64>()
            .clamp(0.0, 1.0);
        match self {
            ExitOutcome::Success => success,
            ExitOutcome::Failure => 1.0 - success,
        }
    }
}

/// Where the deals leaving `stage` with `outcome` go, worded for a condition: «на этап «…»
/// воронки «…»», «в проигранные», «в выигранные» (each once, transition order).
pub fn outcome_targets(
    model: &super::Model,
    pipeline: &str,
    stage: &str,
    outcome: ExitOutcome,
    lang: Lang,
) -> Vec<String> {
    let Some(s) = model
        .pipeline(pipeline)
        .and_then(|p| p.stages.iter().find(|s| s.name == stage))
    else {
        return Vec::new();
    };
    let title = |p: &str, st: &str| {
        let pl = model.pipeline(p);
        let pt = pl.map_or(p.to_string(), |x| {
            x.title.clone().unwrap_or_else(|| x.name.clone())
        });
        let stt = pl
            .and_then(|x| x.stages.iter().find(|y| y.name == st))
            .map_or(st.to_string(), |y| {
                y.title.clone().unwrap_or_else(|| y.name.clone())
            });
        match (p == pipeline, lang) {
            (true, Lang::Ru) => format!("на этап «{stt}»"),
            (true, Lang::En) => format!("to the stage «{stt}»"),
            (false, Lang::Ru) => format!("на этап «{stt}» воронки «{pt}»"),
            (false, Lang::En) => format!("to the stage «{stt}» of the pipeline «{pt}»"),
        }
    };
    let mut out: Vec<String> = Vec::new();
    let success = |k: super::TransitionKind| k == super::TransitionKind::Success;
    for t in &s.transitions {
        if success(t.kind) != (outcome == ExitOutcome::Success) || t.probability <= 0.0 {
            continue;
        }
        let w = match &t.to {
            super::Destination::Stage {
                pipeline: p,
                stage: st,
            } => title(p, st),
            super::Destination::Won => lang.pick("в выигранные", "to won").to_string(),
            super::Destination::Lost { .. } => lang.pick("в проигранные", "to lost").to_string(),
        };
        if !out.contains(&w) {
            out.push(w);
        }
    }
    let total: f64 = s.transitions.iter().map(|t| t.probability).sum();
    let lost = lang.pick("в проигранные", "to lost").to_string();
    if outcome == ExitOutcome::Failure && total < 1.0 - 1e-9 && !out.contains(&lost) {
        out.push(lost);
    }
    out
}

/// What a trigger does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum TriggerAction {
    /// A contact for the trigger's role: `письмо "Поздравление" 10 мин`.
    Contact {
        kind: ContactKind,
        title: Option<String>,
        work_minutes: Option<f64>,
    },
    /// `совещание Разбор`: the meeting is called.
    Meeting { meeting: String },
    /// `уведомить РОП`: a notice to the roles.
    Notify { roles: Vec<String> },
    /// `перевести -> Привлечение`: the client is handed to another pipeline.
    Transfer { pipeline: String },
}

impl Trigger {
    /// Work minutes one firing costs the trigger's role: the minutes of its contact actions.
    pub fn minutes_per_firing(&self) -> f64 {
        self.actions
            .iter()
            .filter_map(|a| match a {
                TriggerAction::Contact { work_minutes, .. } => *work_minutes,
                _ => None,
            })
            .filter(|m| m.is_finite() && *m >= 0.0)
            .sum()
    }

    /// The stage a stage event watches: (pipeline, stage).
    pub fn stage(&self) -> Option<(&str, &str)> {
        match &self.event {
            Some(
                TriggerEvent::Enter { pipeline, stage }
                | TriggerEvent::Exit { pipeline, stage, .. }
                | TriggerEvent::Stay { pipeline, stage, .. },
            ) => Some((pipeline, stage)),
            _ => None,
        }
    }
}

/// `частота 3 раза в нед`: `times` occurrences each `per`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    pub times: f64,
    pub per: Period,
    /// `раз в 2 нед`: the period is this many `per` (1 when not written).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub every: f64,
}

fn one() -> f64 {
    1.0
}

fn is_one(x: &f64) -> bool {
    (*x - 1.0).abs() < 1e-12
}

impl Cadence {
    /// «3 раза в неделю», «раз в месяц» / "3 times a week", "once a month".
    pub fn words(self, lang: Lang) -> String {
        let n = self.times;
        let per = if is_one(&self.every) {
            self.per.per(lang).to_string()
        } else {
            // `раз в 2 нед`: «в 2 недели» / "every 2 weeks".
            let k = self.every;
            let (a, b, c, en) = match self.per {
                Period::Day => ("день", "дня", "дней", "days"),
                Period::Week => ("неделю", "недели", "недель", "weeks"),
                Period::Month => ("месяц", "месяца", "месяцев", "months"),
                Period::Quarter => ("квартал", "квартала", "кварталов", "quarters"),
                Period::Year => ("год", "года", "лет", "years"),
            };
            let k_words = locale::number(k, 1, lang);
            match lang {
                Lang::Ru => format!("в {k_words} {}", locale::plural(k, a, b, c, lang)),
                Lang::En => format!("every {k_words} {en}"),
            }
        };
        let per = per.as_str();
        let number = locale::number(n, 1, lang);
        let once = (n - 1.0).abs() < 1e-9;
        match lang {
            Lang::Ru if once => format!("раз {per}"),
            Lang::Ru => format!("{number} {} {per}", locale::plural(n, "раз", "раза", "раз", lang)),
            Lang::En if once => format!("once {per}"),
            Lang::En if (n - 2.0).abs() < 1e-9 => format!("twice {per}"),
            Lang::En => format!("{number} times {per}"),
        }
    }

    /// Occurrences in an average working month of `month_days` days and weeks of `week_days`.
    pub fn per_month(self, month_days: f64, week_days: f64) -> f64 {
        let per = match self.per {
            Period::Day => month_days,
            Period::Week if week_days > 0.0 => month_days / week_days,
            Period::Week => 0.0,
            Period::Month => 1.0,
            Period::Quarter => 1.0 / 3.0,
            Period::Year => 1.0 / 12.0,
        };
        let every = if self.every.is_finite() && self.every > 0.0 {
            self.every
        } else {
            1.0
        };
        self.times * per / every
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadence_words_agree_with_the_number() {
        let c = |times, per| Cadence {
            times,
            per,
            every: 1.0,
        };
        assert_eq!(c(3.0, Period::Week).words(Lang::Ru), "3 раза в неделю");
        assert_eq!(c(5.0, Period::Month).words(Lang::Ru), "5 раз в месяц");
        assert_eq!(c(1.0, Period::Month).words(Lang::Ru), "раз в месяц");
        assert_eq!(c(12.0, Period::Year).words(Lang::Ru), "12 раз в год");
        assert_eq!(c(22.0, Period::Year).words(Lang::Ru), "22 раза в год");
        assert_eq!(c(2.0, Period::Week).words(Lang::En), "twice a week");
        assert_eq!(c(3.0, Period::Week).words(Lang::En), "3 times a week");
    }

    #[test]
    fn cadence_per_month_counts_working_weeks() {
        let c = Cadence {
            times: 3.0,
            per: Period::Week,
            every: 1.0,
        };
        let month = 5.0 * 52.0 / 12.0;
        assert!((c.per_month(month, 5.0) - 3.0 * 52.0 / 12.0).abs() < 1e-12);
        // `раз в 2 нед`: 26 a year.
        let fortnightly = Cadence {
            times: 1.0,
            per: Period::Week,
            every: 2.0,
        };
        assert!((fortnightly.per_month(month, 5.0) * 12.0 - 26.0).abs() < 1e-9);
        assert_eq!(fortnightly.words(Lang::Ru), "раз в 2 недели");
        assert_eq!(fortnightly.words(Lang::En), "once every 2 weeks");
    }
}

impl super::Distribution {
    /// The largest value the distribution takes; `None` when unbounded (log-normal).
    pub fn max_value(&self) -> Option<f64> {
        use super::Distribution as D;
        match self {
            D::Fixed { value } => Some(*value),
            D::Uniform { max, .. } | D::Triangular { max, .. } => Some(*max),
            D::LogNormal { .. } => None,
            D::Empirical { values } => values.iter().copied().reduce(f64::max),
        }
    }

    /// P(X > x) of the distribution as written (continuous; the engine's whole days aside):
    /// the share of deals still in a stage after `x` days, for `в_этапе … дольше x`.
    pub fn survival(&self, x: f64) -> f64 {
        use super::Distribution as D;
        let p = match *self {
            D::Fixed { value } => f64::from(u8::from(value > x)),
            D::Uniform { min, max } if max > min => ((max - x) / (max - min)).clamp(0.0, 1.0),
            D::Uniform { min, .. } => f64::from(u8::from(min > x)),
            D::Triangular { min, mode, max } if max > min => {
                let mode = mode.clamp(min, max);
                if x <= min {
                    1.0
                } else if x >= max {
                    0.0
                } else if x <= mode {
                    1.0 - (x - min).powi(2) / ((max - min) * (mode - min))
                } else {
                    (max - x).powi(2) / ((max - min) * (max - mode))
                }
            }
            D::Triangular { min, .. } => f64::from(u8::from(min > x)),
            D::LogNormal { mean, sd } if mean > 0.0 && sd > 0.0 => {
                if x <= 0.0 {
                    1.0
                } else {
                    let s2 = (1.0 + (sd / mean).powi(2)).ln();
                    let (mu, s) = (mean.ln() - s2 / 2.0, s2.sqrt());
                    0.5 * libm::erfc((x.ln() - mu) / (s * std::f64::consts::SQRT_2))
                }
            }
            D::LogNormal { mean, .. } => f64::from(u8::from(mean > x)),
            D::Empirical { ref values } if !values.is_empty() => {
                values.iter().filter(|v| **v > x).count() as f64 / values.len() as f64
            }
            D::Empirical { .. } => 0.0,
        };
        if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.0 }
    }
}

#[cfg(test)]
mod survival_tests {
    use super::super::Distribution as D;

    #[test]
    fn survival_of_each_family() {
        assert_eq!(D::Fixed { value: 5.0 }.survival(4.0), 1.0);
        assert_eq!(D::Fixed { value: 5.0 }.survival(5.0), 0.0);
        assert!((D::Uniform { min: 2.0, max: 6.0 }.survival(3.0) - 0.75).abs() < 1e-12);
        let t = D::Triangular {
            min: 0.0,
            mode: 2.0,
            max: 4.0,
        };
        assert!((t.survival(2.0) - 0.5).abs() < 1e-12);
        assert!((t.survival(3.0) - 0.125).abs() < 1e-12);
        // Log-normal: the median is exp(mu) = mean / sqrt(1 + cv²).
        let l = D::LogNormal { mean: 7.0, sd: 4.0 };
        let median = 7.0 / (1.0 + (4.0f64 / 7.0).powi(2)).sqrt();
        assert!((l.survival(median) - 0.5).abs() < 1e-9);
        let e = D::Empirical {
            values: vec![3.0, 5.0, 5.0, 7.0, 10.0, 14.0],
        };
        assert!((e.survival(5.0) - 0.5).abs() < 1e-12);
        assert_eq!(e.max_value(), Some(14.0));
        assert_eq!(l.max_value(), None);
    }
}

impl Trigger {
    /// Firings per deal entering the watched stage, for a stage event: every deal that enters
    /// fires `вход` and (when it leaves) `выход` once; `в_этапе … дольше N` fires for the share
    /// of deals whose time in the stage (its `длительность`) exceeds N, none without a duration.
    pub fn firings_per_entry(&self, model: &super::Model) -> Option<f64> {
        match &self.event {
            Some(TriggerEvent::Enter { .. } | TriggerEvent::Exit { outcome: None, .. }) => Some(1.0),
            // `выход Этап отказ|успех`: the share of the deals leaving that way.
            Some(TriggerEvent::Exit {
                pipeline,
                stage,
                outcome: Some(o),
            }) => model
                .pipeline(pipeline)
                .and_then(|p| p.stages.iter().find(|s| s.name == *stage))
                .map(|s| o.share(s)),
            Some(TriggerEvent::Stay {
                pipeline,
                stage,
                days,
                ..
            }) => {
                let s = model
                    .pipeline(pipeline)
                    .and_then(|p| p.stages.iter().find(|s| s.name == *stage))?;
                Some(s.duration_days.as_ref().map_or(0.0, |d| d.survival(*days)))
            }
            _ => None,
        }
    }
}

impl super::Model {
    /// Work minutes the stage triggers of a stage create per deal entering it, by role (model
    /// order of the triggers): the one figure the analysis' load and the forecast's demand read.
    pub fn stage_trigger_work(&self, pipeline: &str, stage: &str) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = Vec::new();
        for t in &self.triggers {
            if t.stage() != Some((pipeline, stage)) {
                continue;
            }
            let (Some(role), Some(per_entry)) = (t.owner.as_ref(), t.firings_per_entry(self)) else {
                continue;
            };
            let minutes = per_entry * t.minutes_per_firing();
            if !(minutes > 0.0 && minutes.is_finite()) {
                continue;
            }
            match out.iter_mut().find(|(r, _)| r == role) {
                Some((_, m)) => *m += minutes,
                None => out.push((role.clone(), minutes)),
            }
        }
        out
    }
}
