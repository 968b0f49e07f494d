//! Quality control and ranges in the documents: a checklist's colour bands, a control's sample
//! time (the analysis' figure), a salary or budget range written with both ends, and the
//! procedure and form of a recurring ABC/XYZ analysis of clients. Formats the model's and the
//! analysis' values; computes nothing.

use super::super::format;
use super::Views;
use crate::diag::Lang;
use crate::model::{ClientAnalysis, ClientAnalysisKind, ColourBand, Control, Kpi, MoneyRange};
use serde::Serialize;

/// A recurring analysis of clients as the documents describe it.
#[derive(Serialize, Clone)]
pub(super) struct ClientAnalysisView {
    /// «ABC-анализ клиентов по выручке».
    pub(super) kind: &'static str,
    /// The procedure in one paragraph: what is classified, by what, with which thresholds.
    pub(super) procedure: String,
    /// The columns of the form's table.
    pub(super) columns: Vec<&'static str>,
    /// «A — до 80 % выручки», for the form's legend.
    pub(super) classes: Vec<String>,
}

impl Views<'_> {
    /// `5 000 – 10 000 ₽` (or one amount).
    pub(super) fn money_range(&self, r: &MoneyRange) -> String {
        if r.is_single() {
            self.money(r.max)
        } else {
            format!("{} – {}", self.money(r.min), self.money(r.max))
        }
    }

    /// A monthly budget: `5 000 – 10 000 ₽ в месяц`.
    pub(super) fn budget(&self, r: Option<MoneyRange>) -> Option<String> {
        r.map(|r| format!("{} {}", self.money_range(&r), self.pick("в месяц", "a month")))
    }

    /// `красный: < 60 %` of a checklist's bands (shares of the maximum score).
    pub(super) fn score_bands(&self, bands: &[ColourBand]) -> Vec<String> {
        bands
            .iter()
            .map(|b| format!("{}: {}", self.colour(b.colour), self.bound(&b.bound, Some("%"))))
            .collect()
    }

    /// The colour bands a KPI shows: its own, else those of the checklist it scores.
    pub(super) fn kpi_bands(&self, k: &Kpi) -> Option<Vec<String>> {
        if !k.colours.is_empty() {
            return None;
        }
        let mut scored = Vec::new();
        if let Some(f) = &k.formula {
            f.scored_checklists(&mut scored);
        }
        let c = scored
            .iter()
            .find_map(|n| self.model.checklist(n))
            .filter(|c| !c.colours.is_empty())?;
        let title = c.title.clone().unwrap_or_else(|| c.name.clone());
        let mut bands = self.score_bands(&c.colours);
        // Said once, after the last band: these are scores, not shares of the target.
        if let Some(last) = bands.last_mut() {
            last.push_str(&match self.lang {
                Lang::Ru => format!(" (балл по чек-листу «{title}», % от максимума)"),
                Lang::En => format!(" (score by checklist “{title}”, % of the maximum)"),
            });
        }
        Some(bands)
    }

    /// `≈ 28 ч в месяц` of a control's sample, from the analysis.
    pub(super) fn sample_hours(&self, index: usize, c: &Control) -> Option<String> {
        c.sample_size?;
        let s = self
            .analysis
            .sampling
            .iter()
            .find(|s| s.control == index && s.gap.is_none())?;
        Some(match self.lang {
            Lang::Ru => format!(
                "≈ {} ч в месяц ({} {} по {})",
                format::number(s.minutes_per_month / 60.0, 0, self.lang),
                format::number(s.contacts_per_month, 0, self.lang),
                crate::locale::plural_ru(
                    s.contacts_per_month.round() as u64,
                    "контакт",
                    "контакта",
                    "контактов"
                ),
                format::minutes(s.minutes_per_contact, self.lang)
            ),
            Lang::En => format!(
                "≈ {} h a month ({} contacts at {})",
                format::number(s.minutes_per_month / 60.0, 0, self.lang),
                format::number(s.contacts_per_month, 0, self.lang),
                format::minutes(s.minutes_per_contact, self.lang)
            ),
        })
    }

    pub(super) fn client_analysis(&self, a: &ClientAnalysis) -> ClientAnalysisView {
        let pct = |x: f64| format::percent(x, self.lang);
        match a.kind {
            ClientAnalysisKind::Abc => {
                let classes: Vec<String> = a
                    .classes
                    .iter()
                    .map(|(n, s)| {
                        let share = s.map(pct).unwrap_or_default();
                        match self.lang {
                            Lang::Ru => format!("{n} — {share} выручки"),
                            Lang::En => format!("{n} — {share} of revenue"),
                        }
                    })
                    .collect();
                ClientAnalysisView {
                    kind: self.pick(
                        "ABC-анализ клиентов по выручке",
                        "ABC analysis of clients by revenue",
                    ),
                    procedure: match self.lang {
                        Lang::Ru => format!(
                            "Клиенты, оплатившие за период, сортируются по выручке от большей к меньшей; считается доля каждого в выручке периода и накопленная доля. Классы по накопленной доле выручки: {}. Класс A ведут с приоритетом (личный менеджер, регулярные встречи), C — по стандарту.",
                            classes.join(", ")
                        ),
                        Lang::En => format!(
                            "Clients who paid in the period are sorted by revenue, largest first; each one's share of the period's revenue and the running share are computed. Classes by the running share of revenue: {}. Class A gets priority (a personal manager, regular meetings), C the standard service.",
                            classes.join(", ")
                        ),
                    },
                    columns: vec![
                        self.pick("Клиент", "Client"),
                        self.pick("Выручка за период", "Revenue in the period"),
                        self.pick("Доля", "Share"),
                        self.pick("Накопленная доля", "Running share"),
                        self.pick("Класс", "Class"),
                    ],
                    classes,
                }
            }
            ClientAnalysisKind::Xyz => {
                let mut prev: Option<f64> = None;
                let classes: Vec<String> = a
                    .classes
                    .iter()
                    .map(|(n, s)| {
                        let text = match (prev, s, self.lang) {
                            (None, Some(x), Lang::Ru) => format!("{n} — до {}", pct(*x)),
                            (Some(p), Some(x), Lang::Ru) => format!("{n} — от {} до {}", pct(p), pct(*x)),
                            (Some(p), None, Lang::Ru) => format!("{n} — выше {}", pct(p)),
                            (None, Some(x), Lang::En) => format!("{n} — up to {}", pct(*x)),
                            (Some(p), Some(x), Lang::En) => format!("{n} — {} to {}", pct(p), pct(*x)),
                            (Some(p), None, Lang::En) => format!("{n} — above {}", pct(p)),
                            (None, None, _) => n.clone(),
                        };
                        prev = *s;
                        text
                    })
                    .collect();
                ClientAnalysisView {
                    kind: self.pick(
                        "XYZ-анализ клиентов по стабильности закупок",
                        "XYZ analysis of clients by the steadiness of purchases",
                    ),
                    procedure: match self.lang {
                        Lang::Ru => format!(
                            "Для каждого клиента берутся суммы оплат по месяцам периода и считается коэффициент вариации: стандартное отклонение ÷ среднее. Классы по коэффициенту вариации: {}. X — предсказуемые закупки (план по ним надёжен), Z — разовые.",
                            classes.join(", ")
                        ),
                        Lang::En => format!(
                            "For each client the payments of every month of the period are taken and the coefficient of variation computed: standard deviation ÷ mean. Classes by the coefficient of variation: {}. X buys predictably (plan on it), Z occasionally.",
                            classes.join(", ")
                        ),
                    },
                    columns: vec![
                        self.pick("Клиент", "Client"),
                        self.pick("Оплаты по месяцам", "Payments by month"),
                        self.pick("Среднее", "Mean"),
                        self.pick("Станд. отклонение", "Std deviation"),
                        self.pick("Коэфф. вариации", "Coeff. of variation"),
                        self.pick("Класс", "Class"),
                    ],
                    classes,
                }
            }
        }
    }
}
