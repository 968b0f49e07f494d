//! The words of the documents: titles looked up by name, labels of the model's enum values
//! (periods, contact kinds, comparisons), bounds, deadlines, distributions and formulas spelled
//! out in the document's language. Every sibling module takes its wording from here.

use super::super::format::{self, NBSP};
use super::{DocKind, Views, ru};
use crate::analyze::RevenueBasis;
use crate::diag::Lang;
use crate::model::{
    BonusKind, Bound, Cmp, Colour, ContactKind, Destination, Direction, Distribution, Hire, KpiKind, Period,
    PipelineKind, PlanMetric, RoleFunction, Scope,
};

impl Views<'_> {
    pub(super) fn pick(&self, ru: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(ru, en)
    }

    pub(super) fn role_title(&self, name: &str) -> String {
        match self.model.role(name) {
            Some(r) => r.title.clone().unwrap_or_else(|| r.name.clone()),
            None => name.to_string(),
        }
    }

    pub(super) fn role_or_department(&self, name: &str) -> String {
        if name == "отдел" || name == "department" {
            self.pick("отдел в целом", "the department").to_string()
        } else {
            self.role_title(name)
        }
    }

    pub(super) fn pipeline_title(&self, name: &str) -> String {
        match self.model.pipeline(name) {
            Some(p) => p.title.clone().unwrap_or_else(|| p.name.clone()),
            None => name.to_string(),
        }
    }

    pub(super) fn stage_title(&self, pipeline: &str, stage: &str) -> String {
        self.model
            .pipeline(pipeline)
            .and_then(|p| p.stages.iter().find(|s| s.name == stage))
            .and_then(|s| s.title.clone())
            .unwrap_or_else(|| stage.to_string())
    }

    pub(super) fn scope(&self, s: &Scope) -> String {
        match s {
            Scope::Pipeline { pipeline } => self.pipeline_title(pipeline),
            Scope::Stage { pipeline, stage } => {
                format!(
                    "{} ({})",
                    self.stage_title(pipeline, stage),
                    self.pipeline_title(pipeline)
                )
            }
        }
    }

    pub(super) fn money(&self, x: f64) -> String {
        format::money(x, self.model.header.currency, self.lang)
    }

    pub(super) fn destination(&self, d: &Destination, from_pipeline: &str) -> String {
        match d {
            Destination::Won => self
                .pick("выигрыш (продажа состоялась)", "won (sale made)")
                .to_string(),
            Destination::Lost { reason } => {
                let label = reason
                    .as_deref()
                    .map(|r| {
                        let text = self
                            .model
                            .loss_reasons
                            .iter()
                            .find(|l| l.code == r)
                            .and_then(|l| l.label.clone())
                            .unwrap_or_else(|| r.to_string());
                        format!(", {}: {text}", self.pick("причина", "reason"))
                    })
                    .unwrap_or_default();
                format!("{}{label}", self.pick("проигрыш", "lost"))
            }
            Destination::Stage { pipeline, stage } if pipeline == from_pipeline => {
                format!(
                    "{} «{}»",
                    self.pick("этап", "stage"),
                    self.stage_title(pipeline, stage)
                )
            }
            Destination::Stage { pipeline, stage } => format!(
                "{} «{}», {} «{}»",
                self.pick("воронка", "pipeline"),
                self.pipeline_title(pipeline),
                self.pick("этап", "stage"),
                self.stage_title(pipeline, stage)
            ),
        }
    }

    pub(super) fn distribution_days(&self, d: &Distribution) -> String {
        let n = |x: f64| format::number(x, 1, self.lang);
        match d {
            Distribution::Fixed { value } => format::days(*value, self.lang),
            Distribution::Uniform { min, max } => format!("{}–{}", n(*min), format::days(*max, self.lang)),
            Distribution::Triangular { min, mode, max } => format!(
                "{}–{}, {} {}",
                n(*min),
                format::days(*max, self.lang),
                self.pick("обычно", "typically"),
                format::days(*mode, self.lang)
            ),
            _ => format!(
                "{} {}",
                self.pick("в среднем", "on average"),
                format::days(d.mean(), self.lang)
            ),
        }
    }

    pub(super) fn distribution_money(&self, d: &Distribution) -> String {
        match d {
            Distribution::Fixed { value } => self.money(*value),
            Distribution::Uniform { min, max } => format!("{} – {}", self.money(*min), self.money(*max)),
            _ => format!(
                "{} {}",
                self.pick("в среднем", "on average"),
                self.money(d.mean())
            ),
        }
    }

    pub(super) fn period(&self, p: Option<Period>) -> Option<&'static str> {
        p.map(|p| p.every(self.lang))
    }

    /// How often a meeting or control happens: «еженедельно», «3 раза в неделю, с менеджерами
    /// ниже среднего».
    pub(super) fn frequency(
        &self,
        p: Option<Period>,
        cadence: Option<crate::model::Cadence>,
        condition: Option<&str>,
    ) -> Option<String> {
        let words = match cadence {
            Some(c) => Some(c.words(self.lang)),
            None => self.period(p).map(str::to_string),
        };
        match (words, condition) {
            (Some(w), Some(c)) => Some(format!("{w}, {c}")),
            (w, _) => w,
        }
    }

    pub(super) fn per(&self, p: Period) -> &'static str {
        p.per(self.lang)
    }

    pub(super) fn contact_kind(&self, k: ContactKind) -> &'static str {
        k.noun(self.lang)
    }

    /// «не дозвонились после 3 попыток» / "not reached after 3 attempts".
    pub(super) fn unreached_after(&self, attempts: u32) -> String {
        match self.lang {
            Lang::Ru => format!(
                "не дозвонились после {attempts} {}",
                if attempts == 1 {
                    "попытки"
                } else {
                    "попыток"
                }
            ),
            Lang::En => format!(
                "not reached after {attempts} {}",
                format::plural(f64::from(attempts), "attempt", "attempts", "attempts", Lang::En)
            ),
        }
    }

    pub(super) fn contact_kind_plural(&self, k: ContactKind) -> &'static str {
        k.nouns(self.lang)
    }

    /// A deadline as written in the file (`1 дн`, `30 мин`, `"понедельник, 10:00"`) in words:
    /// `1 день`, `30 мин`; a text stays as written.
    pub(super) fn deadline(&self, raw: &str) -> String {
        let t = raw.trim();
        let split = t
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.' || *c == ' ' || *c == '_'))
            .map(|(i, _)| i)
            .unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let Ok(n) = num.replace([' ', '_'], "").replace(',', ".").parse::<f64>() else {
            return raw.to_string();
        };
        match unit.trim() {
            "дн" | "д" | "d" | "day" | "days" => format::days(n, self.lang),
            "мин" | "min" => format::minutes(n, self.lang),
            "ч" | "h" => format!("{}{NBSP}{}", format::number(n, 1, self.lang), self.pick("ч", "h")),
            "нед" | "wk" => match self.lang {
                Lang::Ru => ru::count(n, "неделя", "недели", "недель"),
                Lang::En => format!("{} wk", format::number(n, 1, self.lang)),
            },
            _ => raw.to_string(),
        }
    }

    /// Days after a comparison: «не более 21 дня», «не более 3 дней» (the genitive), «ровно 3
    /// дня».
    pub(super) fn days_bound(&self, op: Cmp, x: f64) -> String {
        match (self.lang, op) {
            (Lang::Ru, Cmp::Eq) | (Lang::En, _) => format!("{} {}", self.cmp(op), format::days(x, self.lang)),
            (Lang::Ru, _) => format!("{} {}", self.cmp(op), ru::days_genitive(x)),
        }
    }

    /// A KPI formula in words, as the client reads it: titles instead of names, counters
    /// described, standard operators.
    pub(super) fn formula_words(&self, f: &crate::model::Formula) -> String {
        use crate::model::{Counter, Formula};
        let wrap = |g: &Formula| {
            let t = self.formula_words(g);
            if matches!(g, Formula::Add { .. } | Formula::Sub { .. }) {
                format!("({t})")
            } else {
                t
            }
        };
        match f {
            Formula::Number { value } => format::number(*value, 2, self.lang),
            Formula::Neg { arg } => format!("−{}", wrap(arg)),
            Formula::Add { left, right } => {
                format!("{} + {}", self.formula_words(left), self.formula_words(right))
            }
            Formula::Sub { left, right } => {
                format!("{} − {}", self.formula_words(left), wrap(right))
            }
            Formula::Mul { left, right } => format!("{} × {}", wrap(left), wrap(right)),
            Formula::Div { left, right } => format!("{} / {}", wrap(left), wrap(right)),
            Formula::Score { checklist } => {
                let title = self
                    .model
                    .checklist(checklist)
                    .and_then(|c| c.title.clone())
                    .unwrap_or_else(|| checklist.clone());
                match self.lang {
                    Lang::Ru => format!("средний балл по чек-листу «{title}», % от максимума"),
                    Lang::En => format!("mean score by checklist “{title}”, % of the maximum"),
                }
            }
            Formula::Counter {
                counter,
                scope,
                filter,
            } => {
                let place = scope.as_ref().map(|s| match s {
                    Scope::Pipeline { pipeline } => (
                        true,
                        format!(
                            "{} «{}»",
                            self.pick("воронку", "pipeline"),
                            self.pipeline_title(pipeline)
                        ),
                    ),
                    Scope::Stage { pipeline, stage } => (
                        false,
                        format!(
                            "{} «{}»",
                            self.pick("этап", "stage"),
                            self.stage_title(pipeline, stage)
                        ),
                    ),
                });
                let plain = match (self.lang, counter, &place) {
                    (Lang::Ru, Counter::Entered, Some((_, p))) => format!("вошли в {p}"),
                    (Lang::Ru, Counter::Converted, Some((false, p))) => format!("прошли {p}"),
                    (Lang::Ru, _, Some((is_pipeline, p))) => {
                        let p = if *is_pipeline {
                            p.replacen("воронку", "воронка", 1)
                        } else {
                            p.clone()
                        };
                        format!("{} ({p})", self.counter_name(*counter))
                    }
                    (Lang::En, _, Some((_, p))) => format!("{} ({p})", self.counter_name(*counter)),
                    (_, _, None) => self.counter_name(*counter),
                };
                self.with_filter(plain, filter)
            }
            Formula::Change { arg, base } => self.change_words(&self.formula_words(arg), *base),
        }
    }

    pub(super) fn cmp(&self, op: Cmp) -> &'static str {
        match op {
            Cmp::Ge => self.pick("не менее", "at least"),
            Cmp::Gt => self.pick("более", "more than"),
            Cmp::Le => self.pick("не более", "at most"),
            Cmp::Lt => self.pick("менее", "less than"),
            Cmp::Eq => self.pick("ровно", "exactly"),
        }
    }

    /// A value in a KPI's unit.
    pub(super) fn value(&self, x: f64, unit: Option<&str>) -> String {
        match unit {
            Some("%") => format::percent(x, self.lang),
            Some("₽" | "$" | "€" | "RUB" | "USD" | "EUR") => self.money(x),
            Some("мин" | "min") => format::minutes(x, self.lang),
            Some("дн" | "days" | "day") => format::days(x, self.lang),
            Some("шт" | "pcs") => format::number(x, 1, self.lang),
            Some(u) => format!("{}{NBSP}{u}", format::number(x, 1, self.lang)),
            None => format::number(x, 1, self.lang),
        }
    }

    pub(super) fn bound(&self, b: &Bound, unit: Option<&str>) -> String {
        match b {
            Bound::Cmp { op, value } => format!("{} {}", self.cmp(*op), self.value(*value, unit)),
            Bound::Range { min, max } => format!(
                "{} {} {} {}",
                self.pick("от", "from"),
                self.value(*min, unit),
                self.pick("до", "to"),
                self.value(*max, unit)
            ),
        }
    }

    pub(super) fn counter_name(&self, c: crate::model::Counter) -> String {
        crate::model::COUNTERS
            .iter()
            .find(|(k, ..)| *k == c)
            .map(|(_, _, en, what)| match self.lang {
                // The unit goes with the value («не более 30 мин»), not the name.
                Lang::Ru => what
                    .trim_end_matches(", минут")
                    .trim_end_matches(", дней")
                    .trim_end_matches(", календарных дней")
                    .to_string(),
                Lang::En => en.replace('_', " "),
            })
            .unwrap_or_default()
    }

    pub(super) fn kpi_title(&self, name: &str) -> String {
        self.model
            .kpis
            .iter()
            .find(|k| k.name == name)
            .and_then(|k| k.title.clone())
            .unwrap_or_else(|| name.to_string())
    }

    pub(super) fn lang_code(&self) -> &'static str {
        self.pick("ru", "en")
    }

    // ─── Labels of the model's values ───

    pub(super) fn kpi_kind(&self, k: KpiKind) -> &'static str {
        k.adjective(self.lang)
    }

    pub(super) fn direction(&self, d: Direction) -> &'static str {
        match d {
            Direction::HigherIsBetter => self.pick("больше — лучше", "higher is better"),
            Direction::LowerIsBetter => self.pick("меньше — лучше", "lower is better"),
            Direction::WithinBand => self.pick("в пределах диапазона", "within the band"),
        }
    }

    pub(super) fn colour(&self, c: Colour) -> &'static str {
        c.word(self.lang)
    }

    pub(super) fn role_function(&self, f: RoleFunction) -> &'static str {
        match f {
            RoleFunction::Hunter => self.pick("хантер (привлечение новых клиентов)", "hunter (new clients)"),
            RoleFunction::Closer => {
                self.pick("клоузер (ведение сделки до оплаты)", "closer (deal to payment)")
            }
            RoleFunction::Farmer => self.pick(
                "фермер (работа с действующими клиентами)",
                "farmer (existing clients)",
            ),
            RoleFunction::Head => self.pick("руководитель", "manager"),
            RoleFunction::Quality => self.pick("контроль качества", "quality control"),
            RoleFunction::Support => self.pick("поддержка продаж", "sales support"),
        }
    }

    pub(super) fn pipeline_kind(&self, k: PipelineKind) -> &'static str {
        k.noun(self.lang)
    }

    /// The plan's metric inside a sentence («выручка»).
    pub(super) fn plan_metric(&self, m: PlanMetric) -> &'static str {
        match m {
            PlanMetric::Revenue => self.pick("выручка", "revenue"),
            PlanMetric::Deals => self.pick("сделки", "deals"),
            PlanMetric::NewClients => self.pick("новые клиенты", "new clients"),
        }
    }

    /// The plan's metric heading a row of a table («Выручка»).
    pub(super) fn plan_target(&self, m: PlanMetric) -> &'static str {
        match m {
            PlanMetric::Revenue => self.pick("Выручка", "Revenue"),
            PlanMetric::Deals => self.pick("Сделки (оплаты)", "Deals (payments)"),
            PlanMetric::NewClients => self.pick("Новые клиенты", "New clients"),
        }
    }

    /// A month of a plan without a start date: «месяц 3».
    pub(super) fn nth_month(&self, n: usize) -> String {
        format!("{} {n}", self.pick("месяц", "month"))
    }

    /// A mark of the responsibility matrix: the stage's owner, or a performer of its contacts.
    pub(super) fn matrix_mark(&self, owner: bool) -> &'static str {
        if owner {
            self.pick("О", "R")
        } else {
            self.pick("И", "P")
        }
    }

    /// The title of a control the file leaves untitled.
    pub(super) fn control_untitled(&self) -> &'static str {
        self.pick("Контроль", "Control")
    }

    /// The norm subject `первый_отклик`.
    pub(super) fn first_response(&self) -> &'static str {
        self.pick("время первого отклика на заявку", "first response to a lead")
    }

    /// «3,5 мес.»: a long wait in months.
    pub(super) fn months_short(&self, months: f64) -> String {
        format!(
            "{}{NBSP}{}",
            format::number(months, 1, self.lang),
            self.pick("мес.", "months")
        )
    }

    /// «через 3 дня»: a repeat purchase after a wait.
    pub(super) fn after(&self, when: &str) -> String {
        format!("{} {when}", self.pick("через", "after"))
    }

    /// A destination reached after a delay (`через 30 дн`), as written in the file.
    pub(super) fn delayed(&self, to: String, delay_days: Option<f64>) -> String {
        match delay_days.filter(|d| *d > 0.0) {
            Some(d) => format!("{to}, {}", self.after(&format::days(d, self.lang))),
            None => to,
        }
    }

    /// The staff category of a должностная инструкция.
    pub(super) fn staff_category(&self, head: bool) -> &'static str {
        if head {
            self.pick("руководители", "managers")
        } else {
            self.pick("специалисты", "specialists")
        }
    }

    // ─── Rows of the report forms ───

    /// «по расчёту плана — 3 в день».
    pub(super) fn plan_needs(&self, rate: &str) -> String {
        format!("{} {rate}", self.pick("по расчёту плана —", "the plan needs"))
    }

    pub(super) fn recorded_late(&self, what: &str) -> String {
        format!("{}: {what}", self.pick("Нарушен срок учёта", "Recorded late"))
    }

    pub(super) fn late_first_response(&self, channel: &str) -> String {
        format!(
            "{} «{channel}»",
            self.pick(
                "Первый отклик на заявку позже норматива, канал",
                "First response too late, channel"
            )
        )
    }

    pub(super) fn over_stage_limit(&self, stage: &str) -> String {
        format!(
            "{} «{stage}» {}",
            self.pick("Сделки на этапе", "Deals in stage"),
            self.pick("дольше предельного срока", "longer than the limit")
        )
    }

    pub(super) fn required_fields_empty(&self, stage: &str) -> String {
        format!(
            "{} «{stage}»",
            self.pick(
                "Не заполнены обязательные поля на этапе",
                "Required fields empty in stage"
            )
        )
    }

    /// The row on lost deals: what is counted and the rule.
    pub(super) fn lost_without_reason(&self) -> (&'static str, &'static str) {
        (
            self.pick(
                "Проигранные сделки без причины из справочника",
                "Lost deals without a listed reason",
            ),
            self.pick("причина обязательна", "a reason is required"),
        )
    }

    // ─── Phrases about people and pay ───

    /// A bonus in words: «150 000 ₽ за выполнение плана», «5 % выручки».
    pub(super) fn bonus(&self, b: BonusKind) -> String {
        match b {
            BonusKind::PlanAmount(v) => format!(
                "{} {}",
                self.money(v),
                self.pick("за выполнение плана", "for meeting the plan")
            ),
            BonusKind::RevenueShare(v) => format!(
                "{} {}",
                format::percent(v, self.lang),
                self.pick("выручки", "of revenue")
            ),
            BonusKind::MarginShare(v) => format!(
                "{} {}",
                format::percent(v, self.lang),
                self.pick("маржи", "of margin")
            ),
        }
    }

    /// A planned hire: «ещё 2 сотрудника с 3-го месяца».
    pub(super) fn hire(&self, h: &Hire) -> String {
        let when = match (&h.from_date, h.from_month) {
            (Some(d), _) => format!("{} {}", self.pick("с", "from"), format::date(d, self.lang)),
            (None, Some(m)) => match self.lang {
                Lang::Ru => format!("с {}-го месяца", format::number(m, 0, self.lang)),
                Lang::En => format!("from month {}", format::number(m, 0, self.lang)),
            },
            _ => String::new(),
        };
        let people = match self.lang {
            Lang::Ru => ru::count(h.count as f64, "сотрудник", "сотрудника", "сотрудников"),
            Lang::En => format!("{} {}", h.count, if h.count == 1 { "person" } else { "people" }),
        };
        format!("{} {people} {when}", self.pick("ещё", "another"))
            .trim_end()
            .to_string()
    }

    /// The revenue a role's share is paid on, worded for the role.
    pub(super) fn revenue_basis(&self, b: &RevenueBasis) -> String {
        let pipelines = |names: &[String]| -> String {
            names
                .iter()
                .map(|n| {
                    let t = self.model.pipeline(n).and_then(|p| p.title.clone());
                    format!("«{}»", t.unwrap_or_else(|| n.clone()))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        match b {
            RevenueBasis::Stages { pipelines: names, .. } => match (self.lang, names.len()) {
                (Lang::Ru, 1) => format!(
                    "выручка выигранных сделок, прошедших этапы роли, в воронке {}",
                    pipelines(names)
                ),
                (Lang::Ru, _) => format!(
                    "выручка выигранных сделок, прошедших этапы роли, в воронках {}",
                    pipelines(names)
                ),
                (Lang::En, 1) => format!(
                    "the revenue of the won deals that passed the role's stages, in the pipeline {}",
                    pipelines(names)
                ),
                (Lang::En, _) => format!(
                    "the revenue of the won deals that passed the role's stages, in the pipelines {}",
                    pipelines(names)
                ),
            },
            RevenueBasis::Team { pipelines: names } => match (self.lang, names.len()) {
                (Lang::Ru, 1) => format!(
                    "выручка воронки {}, этапы которой ведут подчинённые роли",
                    pipelines(names)
                ),
                (Lang::Ru, _) => format!(
                    "выручка воронок {}, этапы которых ведут подчинённые роли",
                    pipelines(names)
                ),
                (Lang::En, 1) => format!(
                    "the revenue won in the pipeline {}, worked by the role's team",
                    pipelines(names)
                ),
                (Lang::En, _) => format!(
                    "the revenue won in the pipelines {}, worked by the role's team",
                    pipelines(names)
                ),
            },
            RevenueBasis::Department => self
                .pick("выручка отдела", "the department's revenue")
                .to_string(),
        }
    }
}

/// The title of a document when the file gives none.
pub(super) fn document_title(kind: DocKind, lang: Lang) -> &'static str {
    match kind {
        DocKind::Regulation => lang.pick("Положение о системе продаж", "Sales system regulation"),
        DocKind::Memo => lang.pick("Памятка", "Memo"),
        DocKind::Job => lang.pick("Должностная инструкция", "Job description"),
        DocKind::Forms => lang.pick("Формы отчётов", "Report forms"),
    }
}
