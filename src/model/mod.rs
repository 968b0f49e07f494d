//! The resolved, unit-normalised domain model: what every back end reads. It is also the
//! interchange format (`voronka check --emit model`), so it is plain serde data: references are
//! by name, and every quantity is in one unit — durations in working days (one calendar:
//! [`Calendar`]), work in minutes, money in
//! the regulation's currency, probabilities in 0..1, volumes per month.
//!
//! Depends on `syntax` only through [`lower`]; the types here know nothing of the AST.

pub mod calendar;
mod card;
mod counters;
pub mod field_cond;
mod inactivity;
pub mod limits;
mod lower;
mod names;
pub mod pay;
pub mod release;
pub mod routing;
pub mod segments;
pub mod telcal;
pub mod transitions;
pub mod triggers;
mod units;
mod words;

pub use calendar::{Capacity, Flow, Hours, InteractionItem, Moment, MomentDay, RoleSchedule, Shifts};
pub use card::{Card, CardEntity, CardField, CardGroup, FieldStage, FieldType, stage_fields};
pub use counters::{COUNTERS, Counter};
pub use inactivity::{Lapse, Quiet};
pub use lower::{lower, lower_with_names};
pub use names::{Names, Symbol};
pub use pay::{BonusScale, Discount, Interval, Penalties, PieceRate, Review, Sanction, ScaleStep, Terms};
pub use transitions::{Exit, Exits, exits};
pub use triggers::{Cadence, ExitOutcome, Trigger, TriggerAction, TriggerEvent};
pub use units::{Calendar, WORK_DAY_HOURS, day_minutes};

use crate::source::Span;
use serde::{Deserialize, Serialize};

/// Minutes to score one sampled contact beside listening to or watching it, when neither the
/// control nor its checklist says (`на_оценку`): filling in the checklist and a note.
pub const DEFAULT_REVIEW_MINUTES: f64 = 5.0;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub header: Header,
    pub roles: Vec<Role>,
    pub channels: Vec<Channel>,
    pub pipelines: Vec<Pipeline>,
    pub kpis: Vec<Kpi>,
    pub norms: Vec<NormSet>,
    pub plan: Option<Plan>,
    pub accounting: Vec<AccountingEntry>,
    pub controls: Vec<Control>,
    pub reports: Vec<Report>,
    pub interactions: Vec<Interaction>,
    pub documents: Vec<Document>,
    pub loss_reasons: Vec<LossReason>,
    pub checklists: Vec<Checklist>,
    pub meetings: Vec<Meeting>,
    pub glossary: Vec<Term>,
    pub resources: Vec<Resource>,
    pub onboarding: Vec<Onboarding>,
    pub changes: Vec<Change>,
    pub lint_levels: Vec<LintLevel>,
    /// Client cards (`карточка`): typed fields and the stages that fill them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<Card>,
    /// `триггер`: automation the CRM runs, and the work it creates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// Deal terms (`условия`) and penalties (`ответственность`), in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<Terms>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub penalties: Vec<Penalties>,
    /// Conditions on card field values: routes and segments (`field_cond`).
    #[serde(default, skip_serializing_if = "field_cond::FieldConds::is_empty")]
    pub field_conds: field_cond::FieldConds,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub title: Option<String>,
    pub company: Option<String>,
    pub department: Option<String>,
    pub version: Option<String>,
    pub effective: Option<String>,
    pub owner: Option<String>,
    pub approver: Option<String>,
    pub product: Option<String>,
    pub currency: Currency,
    pub horizon_months: Option<f64>,
    pub step_months: Option<f64>,
    /// Working days a week.
    pub work_week_days: f64,
    /// How the forecast starts (`старт`); `None` when not written (then established).
    #[serde(default)]
    pub start: Option<StartKind>,
    /// The department's working hours (`график 9:00..18:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Hours>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// The state a forecast starts from, as a regulation writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartKind {
    /// A department that has been selling: deals already in progress at every stage at the
    /// level the process sustains, and repeat purchases of existing clients already scheduled.
    #[default]
    Established,
    /// A new department: an empty pipeline and no clients yet.
    New,
}

impl Default for Header {
    fn default() -> Header {
        Header {
            title: None,
            company: None,
            department: None,
            version: None,
            effective: None,
            owner: None,
            approver: None,
            product: None,
            currency: Currency::Rub,
            horizon_months: None,
            step_months: None,
            work_week_days: 5.0,
            start: None,
            hours: None,
            description: None,
            span: Span::default(),
        }
    }
}

impl Header {
    /// The regulation's working calendar, which every time unit of the file is counted on.
    pub fn calendar(&self) -> Calendar {
        Calendar::new(self.work_week_days)
    }

    /// Working days in an average month.
    pub fn working_days_per_month(&self) -> f64 {
        self.calendar().month_days()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Rub,
    Usd,
    Eur,
}

impl Currency {
    /// The sign written after an amount in messages: `₽`, `$`, `€`.
    pub fn sign(self) -> &'static str {
        match self {
            Currency::Rub => "₽",
            Currency::Usd => "$",
            Currency::Eur => "€",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleFunction {
    Hunter,
    Closer,
    Farmer,
    Head,
    Quality,
    Support,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BonusBase {
    Revenue,
    Margin,
    Plan,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    /// A share (0..1) of the base, or an amount when the base is the plan.
    pub value: f64,
    pub is_share: bool,
    pub base: BonusBase,
}

/// What a written `бонус` pays: the one reading that the forecast's costs (`sim::params`) and
/// the documents' pay examples (`planning::pay`) share, so every bonus in the documents also
/// costs money in the forecast, and with the same meaning.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BonusKind {
    /// `бонус 5% выручки`, `бонус 5%` (and `бонус 5% плана`, the plan being revenue): a share
    /// of the revenue the role brings in (`analyze::role_revenue`).
    RevenueShare(f64),
    /// `бонус 3% маржи`: a share of margin. The model has no margin figure, so the share is
    /// taken of the same revenue, and the documents say so.
    MarginShare(f64),
    /// `бонус 20 000 ₽ плана`, or an amount without a base (`бонус 20 000 ₽`): paid to each
    /// person in a month the department's plan is met.
    PlanAmount(f64),
}

impl BonusKind {
    /// The share of revenue (or margin) a share bonus pays; `None` for an amount.
    pub fn share(self) -> Option<f64> {
        match self {
            BonusKind::RevenueShare(s) | BonusKind::MarginShare(s) => Some(s),
            BonusKind::PlanAmount(_) => None,
        }
    }

    /// The amount per person a plan bonus pays; `None` for a share.
    pub fn plan_amount(self) -> Option<f64> {
        match self {
            BonusKind::PlanAmount(a) => Some(a),
            _ => None,
        }
    }
}

impl Bonus {
    /// The bonus as the forecast and the documents read it; a share is clamped to 0..1, an
    /// amount to ≥ 0, and a value that is not finite counts as 0.
    pub fn kind(&self) -> BonusKind {
        let v = if self.value.is_finite() {
            self.value.max(0.0)
        } else {
            0.0
        };
        match (self.base, self.is_share) {
            (BonusBase::Margin, true) => BonusKind::MarginShare(v.min(1.0)),
            (_, true) => BonusKind::RevenueShare(v.min(1.0)),
            (_, false) => BonusKind::PlanAmount(v),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hire {
    pub count: u32,
    /// A date, or a month of the horizon (1-based).
    pub from_date: Option<String>,
    pub from_month: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: String,
    pub title: Option<String>,
    pub headcount: u32,
    pub reports_to: Option<String>,
    pub work_day_hours: f64,
    pub selling_share: f64,
    pub ramp_up_months: Option<f64>,
    /// Share of staff leaving per year.
    pub attrition_per_year: Option<f64>,
    pub hires: Vec<Hire>,
    /// Monthly salary per person; the midpoint of `salary_range` when one is written.
    pub salary: Option<f64>,
    /// `оклад 40 000..60 000 ₽`: both ends, for the documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary_range: Option<MoneyRange>,
    /// The unit's monthly costs beside pay (`бюджет 5 000..10 000 ₽ в мес`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<MoneyRange>,
    /// Share of the salary tied to KPIs.
    pub soft_salary_share: Option<f64>,
    pub bonus: Option<Bonus>,
    /// `бонус шкала …`, `порог 70% плана`, `бонус 150 ₽ за …` (see [`pay`]).
    #[serde(default)]
    pub bonus_scale: Option<BonusScale>,
    #[serde(default)]
    pub pay_threshold: Option<f64>,
    #[serde(default)]
    pub piece_rates: Vec<PieceRate>,
    pub function: Option<RoleFunction>,
    /// The role's own hours, shifts and days (`график`, `смены`, `дни`).
    #[serde(default, skip_serializing_if = "RoleSchedule::is_empty")]
    pub schedule: RoleSchedule,
    /// Telephony standards of the role's calls: `ответ до 3 гудков`, `перезвон 10 мин`.
    #[serde(default, skip_serializing_if = "telcal::Telephony::is_empty")]
    pub telephony: telcal::Telephony,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// An amount written as one number (`min == max`) or a range `5 000..10 000 ₽`. Costs, loads and
/// forecasts read the midpoint ([`MoneyRange::mid`]); documents show both ends.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyRange {
    pub min: f64,
    pub max: f64,
}

impl MoneyRange {
    /// The one figure costs use: the middle of the range.
    pub fn mid(&self) -> f64 {
        (self.min + self.max) / 2.0
    }

    /// Whether both ends are the same amount.
    pub fn is_single(&self) -> bool {
        self.min == self.max
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub name: String,
    pub title: Option<String>,
    pub leads_per_month: f64,
    /// Twelve monthly factors, January first; empty when flat.
    pub seasonality: Vec<f64>,
    pub lead_cost: Option<f64>,
    pub pipeline: Option<String>,
    pub team: Option<String>,
    pub first_response_minutes: Option<f64>,
    /// Leads that come outside working hours are answered by this minute of the next working
    /// day (`вне_графика до 10:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_hours_by: Option<u32>,
    /// The monthly marketing budget beside the cost per lead (`бюджет 50 000..80 000 ₽ в мес`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<MoneyRange>,
    /// Telephony standards of the channel's calls: `ответ до 3 гудков`, `перезвон 10 мин`.
    #[serde(default, skip_serializing_if = "telcal::Telephony::is_empty")]
    pub telephony: telcal::Telephony,
    /// Lead distribution: `распределение по_очереди кто Ассистент срок 10 мин` (documents and
    /// CRM setup only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<routing::Routing>,
    /// `приоритет вне_очереди`: the channel's leads are worked before the others.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub out_of_turn: bool,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PipelineKind {
    Sales,
    Account,
    Retargeting,
    Nurturing,
}

/// A distribution of a non-negative quantity (days or money).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Distribution {
    Fixed { value: f64 },
    Uniform { min: f64, max: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
    LogNormal { mean: f64, sd: f64 },
    Empirical { values: Vec<f64> },
}

impl Distribution {
    pub fn mean(&self) -> f64 {
        match self {
            Distribution::Fixed { value } => *value,
            Distribution::Uniform { min, max } => (min + max) / 2.0,
            Distribution::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Distribution::LogNormal { mean, .. } => *mean,
            Distribution::Empirical { values } => values.iter().sum::<f64>() / values.len().max(1) as f64,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    pub probability: f64,
    pub after_days: Option<Distribution>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    pub name: String,
    pub title: Option<String>,
    pub kind: PipelineKind,
    pub entry: Option<String>,
    pub exit: Option<String>,
    /// `выход оплата`: a deal of this pipeline is won when the money is received.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exit_on_payment: bool,
    pub deal_size: Option<Distribution>,
    pub repeat: Option<Repeat>,
    /// `после_выигрыша -> Воронка [через N дн]`: every won client also starts a deal of its own
    /// there (the win still counts here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_win: Option<AfterWin>,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub stages: Vec<Stage>,
    #[serde(skip)]
    pub span: Span,
}

impl Pipeline {
    /// The exit as the documents and CRM configurations word it: the written text, or for a
    /// bare `выход оплата` the payment itself.
    pub fn exit_text(&self, lang: crate::diag::Lang) -> Option<String> {
        self.exit.clone().or_else(|| {
            self.exit_on_payment
                .then(|| lang.pick("Оплата поступила", "Payment received").to_string())
        })
    }
}

/// Where a won client goes on to (`после_выигрыша`), and after how many working days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfterWin {
    /// A stage of another pipeline (a pipeline named alone means its first stage).
    pub to: Destination,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_days: Option<f64>,
    #[serde(skip)]
    pub span: Span,
}

/// Where a transition leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Destination {
    Won,
    Lost { reason: Option<String> },
    Stage { pipeline: String, stage: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionKind {
    /// The stage converted.
    Success,
    /// The stage did not convert.
    Failure,
    /// A contact of the chain did not reach the client after all its attempts (`дозвон`), and
    /// the client left by the contact's `иначе ->`.
    Unreached,
}

/// One outgoing edge of a stage; the probabilities of all of a stage's transitions sum to 1
/// when the file is consistent (checked by the validation rules, not assumed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub kind: TransitionKind,
    /// Probability of taking this edge from the stage.
    pub probability: f64,
    pub to: Destination,
    /// Written in the file (`успех ->`, `ветка`, `отказ ->`) rather than implied.
    pub explicit: bool,
    /// `через 30 дн`: working days between leaving the stage and arriving at the destination
    /// (the deal is in no stage meanwhile); none for an immediate move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_days: Option<f64>,
    /// For [`TransitionKind::Unreached`]: the index in the stage's chain of the contact whose
    /// attempts ran out.
    #[serde(default)]
    pub contact: Option<usize>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Call,
    Meeting,
    Email,
    Message,
    Proposal,
    Contract,
    Invoice,
    Demo,
    Task,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub kind: ContactKind,
    pub title: Option<String>,
    pub work_minutes: Option<f64>,
    pub delay_days: Option<f64>,
    pub attempts: Option<u32>,
    /// The probability that one attempt reaches the client (`дозвон 50%`).
    #[serde(default)]
    pub reach: Option<f64>,
    pub otherwise: Option<Destination>,
    /// `иначе -> Обзвон через 3 мес`: working days before the unreached client arrives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otherwise_delay_days: Option<f64>,
    /// The role that makes the contact, when not the stage owner.
    pub owner: Option<String>,
    /// `срок 4 ч`: the latest the contact is made after the stage entry (the first contact) or
    /// the previous contact, as written and in working days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_days: Option<f64>,
    /// `повторы 0, 15 мин, 2 ч`: when each attempt is made after the first, as written and in
    /// working days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry_at: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry_at_days: Vec<f64>,
    /// Who starts it: `исходящий` / `входящий`; null when not said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<CallDirection>,
    /// Talk time of a contact that reaches the client (`разговор 6 мин`), part of its work
    /// minutes; what `минуты(звонки)` counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talk_minutes: Option<f64>,
    /// `перед_каждым_стартом Вебинар.Посещение`: made before every start of that stage while
    /// the lead is in this one (an invitation to each next webinar).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub each_start: Option<Destination>,
    /// With `each_start`: the starts of that stage a lead expects while in this stage (its mean
    /// stay × the starts a working day; 1 for the stage's own starts) — the times the contact
    /// is made per lead, set once by the lowering and read by [`Contact::expected_attempts`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_per_lead: Option<f64>,
    #[serde(skip)]
    pub span: Span,
}

/// Who starts a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallDirection {
    Outgoing,
    Incoming,
}

/// One channel's conversion of a stage (`конверсия_по_каналам Реклама 15%`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelConversion {
    pub channel: String,
    pub conversion: f64,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    pub title: Option<String>,
    pub owner: Option<String>,
    pub conversion: Option<f64>,
    pub duration_days: Option<Distribution>,
    pub chain: Vec<Contact>,
    pub entry_criterion: Option<String>,
    pub exit_criterion: Option<String>,
    pub required_fields: Vec<String>,
    pub guidance: Option<String>,
    pub colour: Option<String>,
    pub deal_probability: Option<f64>,
    pub crm_code: Option<String>,
    pub limit_days: Option<f64>,
    pub wait_limit_days: Option<f64>,
    /// Conversion lost per day of waiting for the first contact.
    pub decay_per_day: Option<f64>,
    pub transitions: Vec<Transition>,
    /// `конверсия_по_каналам`: the conversion of the leads of these channels while in the
    /// pipeline their channel feeds (`segments`); the rest keep `conversion`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channel_conversions: Vec<ChannelConversion>,
    /// `старт 1 число, 15 число; набор_до 3 дн; группа от 10 до 25`: leads leave on starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<release::Release>,
    #[serde(skip)]
    pub span: Span,
    /// Where `цвет` is written, and whether it was a `#RRGGBB` value (not a colour word):
    /// a CRM with a fixed palette warns about a hex value it cannot take.
    #[serde(skip)]
    pub colour_written: Option<(Span, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiKind {
    Leading,
    Lagging,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    WithinBand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cmp {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
}

/// `>= 20%` or `60%..80%`. Percentages are stored as fractions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Bound {
    Cmp { op: Cmp, value: f64 },
    Range { min: f64, max: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    Red,
    Yellow,
    Green,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColourBand {
    pub colour: Colour,
    pub bound: Bound,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    Pipeline { pipeline: String },
    Stage { pipeline: String, stage: String },
}

/// What a counter counts beyond its stage or pipeline: `канал Сайт`, `роль Хантер`,
/// `причина Дорого`, `исходящие`, the contacts whose talk minutes `минуты` sums, the days in
/// stage of `просрочено`. Empty for a plain counter (and then not written in the model dump).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<CallDirection>,
    /// For `минуты`: the contact counter whose talk time is summed (`звонки`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Counter>,
    /// For `просрочено`: deals in the stage longer than this many working days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<f64>,
    /// For contacts: by their talk time (`разговор >= 1 мин`), telephony data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talk: Option<telcal::TalkFilter>,
}

impl CounterFilter {
    pub fn is_empty(&self) -> bool {
        *self == CounterFilter::default()
    }
}

/// What `изменение` compares a value with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeBase {
    /// The period before (a month for a monthly KPI).
    PreviousPeriod,
    /// The same period a year before.
    PreviousYear,
}

/// The names a KPI formula reads a checklist's score with: `балл(ОценкаЗвонка)`.
pub const SCORE_NAMES: &[&str] = &["балл", "score"];

/// A KPI formula as an expression tree over counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Formula {
    Number {
        value: f64,
    },
    Counter {
        counter: Counter,
        scope: Option<Scope>,
        #[serde(default, skip_serializing_if = "CounterFilter::is_empty")]
        filter: CounterFilter,
    },
    /// `изменение(выручка, прошлый_год)`: the value ÷ its base − 1.
    Change {
        arg: Box<Formula>,
        base: ChangeBase,
    },
    /// `балл(ОценкаЗвонка)`: the mean score of the contacts scored by the checklist, as a share
    /// of its maximum (0–1; on a 100-point scale the points). Data from the scoring, not from
    /// the process: the simulator does not invent it.
    Score {
        checklist: String,
    },
    Neg {
        arg: Box<Formula>,
    },
    Add {
        left: Box<Formula>,
        right: Box<Formula>,
    },
    Sub {
        left: Box<Formula>,
        right: Box<Formula>,
    },
    Mul {
        left: Box<Formula>,
        right: Box<Formula>,
    },
    Div {
        left: Box<Formula>,
        right: Box<Formula>,
    },
}

impl Formula {
    /// The checklists whose scores the formula reads (`балл(…)`).
    pub fn scored_checklists<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Formula::Score { checklist } => out.push(checklist),
            Formula::Number { .. } | Formula::Counter { .. } => {}
            Formula::Neg { arg } | Formula::Change { arg, .. } => arg.scored_checklists(out),
            Formula::Add { left, right }
            | Formula::Sub { left, right }
            | Formula::Mul { left, right }
            | Formula::Div { left, right } => {
                left.scored_checklists(out);
                right.scored_checklists(out);
            }
        }
    }

    /// Every counter the formula reads.
    pub fn counters(&self, out: &mut Vec<Counter>) {
        match self {
            Formula::Number { .. } | Formula::Score { .. } => {}
            Formula::Counter { counter, .. } => out.push(*counter),
            Formula::Neg { arg } | Formula::Change { arg, .. } => arg.counters(out),
            Formula::Add { left, right }
            | Formula::Sub { left, right }
            | Formula::Mul { left, right }
            | Formula::Div { left, right } => {
                left.counters(out);
                right.counters(out);
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    pub name: String,
    pub title: Option<String>,
    pub kind: Option<KpiKind>,
    pub direction: Option<Direction>,
    pub formula: Option<Formula>,
    /// The formula as written.
    pub formula_text: Option<String>,
    pub unit: Option<String>,
    pub period: Option<Period>,
    pub roles: Vec<String>,
    /// Applies to the department as a whole.
    pub department: bool,
    pub target: Option<Bound>,
    pub colours: Vec<ColourBand>,
    pub weight: Option<f64>,
    /// Where the value comes from when no formula computes it (`источник "…"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `цель <= 5 мин в 90%`: the share of cases (0–1) in which the target must be met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentile: Option<f64>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Norm {
    /// A counter (`звонки`) or `первый_отклик`.
    pub subject: String,
    pub counter: Option<Counter>,
    pub scope: Option<Scope>,
    /// What the counter's arguments restrict it to (`звонки(исходящие)`).
    #[serde(default, skip_serializing_if = "CounterFilter::is_empty")]
    pub filter: CounterFilter,
    pub op: Cmp,
    /// The limit; for a band (`встречи 2..3 в нед`) its lower end, `op` `>=`.
    pub value: f64,
    /// The upper end of a band `2..3`: loads read the midpoint ([`Norm::mid`]), documents both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The period of a rate (`60 в день`); none for a plain limit (`<= 15 мин`).
    pub per: Option<Period>,
    /// The unit of a plain limit, normalised: minutes for times, fraction for shares.
    pub unit: Option<String>,
    pub title: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

impl Norm {
    /// The one figure loads read: the limit, or the middle of a band.
    pub fn mid(&self) -> f64 {
        self.max.map_or(self.value, |max| (self.value + max) / 2.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormSet {
    /// A role name, or none for the department.
    pub role: Option<String>,
    pub title: Option<String>,
    pub norms: Vec<Norm>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanMetric {
    Revenue,
    Deals,
    NewClients,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTarget {
    pub metric: PlanMetric,
    /// Per month, one value for every month, or a single value repeated.
    pub per_month: Vec<f64>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub title: Option<String>,
    pub horizon_months: Option<f64>,
    pub step_months: Option<f64>,
    pub start: Option<String>,
    pub owner: Option<String>,
    pub procedure: Option<String>,
    pub targets: Vec<PlanTarget>,
    /// Dated steps of planning: `срок "Проект плана" до 15 декабря кто РОП`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deadlines: Vec<telcal::PlanDeadline>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

impl Plan {
    /// The months the plan covers: its `горизонт`, else the header's, else 12; 1..=120.
    pub fn horizon(&self, header: &Header) -> usize {
        let h = self.horizon_months.or(header.horizon_months).unwrap_or(12.0);
        if h.is_finite() {
            h.round().clamp(1.0, 120.0) as usize
        } else {
            12
        }
    }

    /// The target of `metric` for each of `months` months: one value repeats, a list shorter
    /// than the horizon repeats its last value, a longer one is cut; values that are not
    /// finite count as 0. `None` when the plan has no such target (or it holds no value).
    pub fn monthly(&self, metric: PlanMetric, months: usize) -> Option<Vec<f64>> {
        let t = self.targets.iter().find(|t| t.metric == metric)?;
        let last = *t.per_month.last()?;
        Some(
            (0..months)
                .map(|m| {
                    let v = t.per_month.get(m).copied().unwrap_or(last);
                    if v.is_finite() { v } else { 0.0 }
                })
                .collect(),
        )
    }

    /// The plan's monthly average of `metric` over its horizon ([`Plan::horizon`],
    /// [`Plan::monthly`]): the one plan average the analysis, the documents and the forecast
    /// read.
    pub fn mean_per_month(&self, metric: PlanMetric, header: &Header) -> Option<f64> {
        let months = self.monthly(metric, self.horizon(header))?;
        Some(months.iter().sum::<f64>() / months.len().max(1) as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountingEntry {
    pub what: String,
    pub who: Vec<String>,
    pub r#where: Option<String>,
    pub deadline: Option<String>,
    /// The deadline as a moment of the calendar (`срок 18:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_at: Option<Moment>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub name: Option<String>,
    pub title: Option<String>,
    pub who: Option<String>,
    pub what: Option<String>,
    pub kpis: Vec<String>,
    pub roles: Vec<String>,
    pub period: Option<Period>,
    /// `частота 3 раза в нед`: times per period (`period` is then the cadence's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<Cadence>,
    /// The condition written after the frequency: «с менеджерами ниже среднего».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    pub reports_to: Option<String>,
    pub checklist: Option<String>,
    /// The sample as written (`1 / день: один звонок на менеджера`), for the documents.
    pub sample: Option<String>,
    /// The sample's size: how many contacts are scored per `per` (`выборка 2 в день` → 2, day;
    /// a bare number, per the control's period). Per person of the controlled roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_size: Option<SampleSize>,
    /// Minutes to score one sampled contact beside listening to it (`на_оценку`); the
    /// checklist's when not given here (`Model::review_minutes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_minutes: Option<f64>,
    pub procedure: Option<String>,
    /// When the check is made (`время 17:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Moment>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// `выборка 2 в день`: `count` contacts scored per `per`; `per` is `None` for a bare number
/// (`выборка 3`), which is read per the control's own period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleSize {
    pub count: f64,
    pub per: Option<Period>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub name: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub recipients: Vec<String>,
    pub period: Option<Period>,
    pub format: Option<String>,
    pub kpis: Vec<String>,
    pub deadline: Option<String>,
    /// The deadline as a moment of the calendar (`срок пн 12:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_at: Option<Moment>,
    /// A recurring analysis of clients (`вид abc_клиентов`), with its class thresholds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<ClientAnalysis>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

/// The kind of a recurring analysis of clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAnalysisKind {
    /// Clients ranked by revenue: A bring the first 80 %, B the next 15 %, C the rest.
    Abc,
    /// Clients by the steadiness of their monthly purchases (coefficient of variation):
    /// X up to 10 %, Y up to 25 %, Z above.
    Xyz,
}

/// `вид abc_клиентов; пороги A 80%, B 15%, C 5%`: classes in order with their threshold (ABC:
/// the share of revenue of the class; XYZ: the largest coefficient of variation of the class,
/// none for the last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientAnalysis {
    pub kind: ClientAnalysisKind,
    pub classes: Vec<(String, Option<f64>)>,
}

impl ClientAnalysisKind {
    /// The default classes: A 80 % / B 15 % / C 5 % of revenue; X ≤ 10 % / Y ≤ 25 % / Z.
    pub fn default_classes(self) -> Vec<(String, Option<f64>)> {
        match self {
            ClientAnalysisKind::Abc => vec![
                ("A".into(), Some(0.80)),
                ("B".into(), Some(0.15)),
                ("C".into(), Some(0.05)),
            ],
            ClientAnalysisKind::Xyz => vec![
                ("X".into(), Some(0.10)),
                ("Y".into(), Some(0.25)),
                ("Z".into(), None),
            ],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    pub name: String,
    pub title: Option<String>,
    pub with: Option<String>,
    pub give: Option<String>,
    pub receive: Option<String>,
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_at: Option<Moment>,
    /// Every `передаём`/`получаем` with its own terms, in order (`give`/`receive` join their
    /// texts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<InteractionItem>,
    pub owner: Option<String>,
    pub pipeline: Option<String>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub name: String,
    pub title: Option<String>,
    pub stages: Vec<Scope>,
    pub roles: Vec<String>,
    pub text: Option<String>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LossReason {
    pub code: String,
    pub label: Option<String>,
    pub stages: Vec<Scope>,
    pub next: Option<Destination>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub label: String,
    pub weight: Option<f64>,
    pub critical: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub name: String,
    pub title: Option<String>,
    pub contact: Option<ContactKind>,
    pub scale: Option<(f64, f64)>,
    /// Pass mark as a share of the maximum score.
    pub pass_mark: Option<f64>,
    pub criteria: Vec<Criterion>,
    /// The checklist's own colour bands of the score (`цвета красный < 60, …`), as shares of the
    /// maximum score; KPIs that score it (`балл(…)`) use them unless they have their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub colours: Vec<ColourBand>,
    /// Minutes to score one contact beside listening to it (`на_оценку 5 мин`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_minutes: Option<f64>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub name: String,
    pub title: Option<String>,
    pub owner: Option<String>,
    pub participants: Vec<String>,
    pub period: Option<Period>,
    /// `частота 3 раза в нед`: times per period (`period` is then the cadence's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<Cadence>,
    /// The condition written after the frequency: «с менеджерами ниже среднего».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    pub duration_minutes: Option<f64>,
    pub agenda: Option<String>,
    /// When it is held (`время пт 16:00`, `день пт`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Moment>,
    /// `время за 15 мин до открытия`: minutes before the participants' working day starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_opening_minutes: Option<f64>,
    pub description: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub term: String,
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub name: String,
    pub title: Option<String>,
    pub kind: Option<String>,
    pub roles: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnboardingStep {
    pub day: f64,
    pub goal: String,
    pub plan_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Onboarding {
    pub role: String,
    pub title: Option<String>,
    pub mentor: Option<String>,
    pub steps: Vec<OnboardingStep>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub version: String,
    pub date: String,
    pub summary: String,
    pub author: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintLevel {
    pub code: String,
    pub level: Level,
}

impl Model {
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    pub fn checklist(&self, name: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.name == name)
    }

    /// The colour bands of a KPI: its own `цвета`, else those of the checklist its formula
    /// scores (`балл(ЧекЛист)` with `цвета` on the checklist: shares of the maximum score).
    pub fn kpi_colours<'a>(&'a self, k: &'a Kpi) -> &'a [ColourBand] {
        if !k.colours.is_empty() {
            return &k.colours;
        }
        let mut scored = Vec::new();
        if let Some(f) = &k.formula {
            f.scored_checklists(&mut scored);
        }
        scored
            .iter()
            .find_map(|n| self.checklist(n))
            .map_or(&[], |c| &c.colours)
    }

    /// Minutes to score one sampled contact of `control` beside the contact itself: the
    /// control's `на_оценку`, else its checklist's, else [`DEFAULT_REVIEW_MINUTES`].
    pub fn review_minutes(&self, control: &Control) -> f64 {
        control
            .review_minutes
            .or_else(|| {
                control
                    .checklist
                    .as_deref()
                    .and_then(|c| self.checklist(c))
                    .and_then(|c| c.review_minutes)
            })
            .unwrap_or(DEFAULT_REVIEW_MINUTES)
    }

    /// The monthly budgets of units and channels (`бюджет`), each at its range's ends: the
    /// department's fixed costs beside pay and leads. Costs use the midpoint of the result.
    pub fn budgets_per_month(&self) -> MoneyRange {
        let all = self
            .roles
            .iter()
            .filter_map(|r| r.budget)
            .chain(self.channels.iter().filter_map(|c| c.budget));
        let (mut min, mut max) = (0.0, 0.0);
        for b in all {
            min += b.min;
            max += b.max;
        }
        MoneyRange { min, max }
    }

    pub fn pipeline(&self, name: &str) -> Option<&Pipeline> {
        self.pipelines.iter().find(|p| p.name == name)
    }
}

impl Contact {
    /// Attempts the contact makes at most: `попыток N`, else 1.
    pub fn max_attempts(&self) -> u32 {
        self.attempts.unwrap_or(1)
    }

    /// The share of clients the contact does not reach after all its attempts,
    /// u = (1 − r)^N; 0 without `дозвон` (everyone is reached at the first attempt).
    pub fn unreached(&self) -> f64 {
        match self.reach {
            Some(r) if r > 0.0 && r <= 1.0 => (1.0 - r).powi(self.max_attempts().min(i32::MAX as u32) as i32),
            _ => 0.0,
        }
    }

    /// Expected attempts per client the contact is made for: the client is called again until
    /// reached or the attempts run out, E = (1 − (1 − r)^N) / r; 1 without `дозвон`.
    pub fn expected_attempts(&self) -> f64 {
        let once = match self.reach {
            Some(r) if r > 0.0 && r <= 1.0 => (1.0 - self.unreached()) / r,
            _ => 1.0,
        };
        // `перед_каждым_стартом`: made again before every start while the lead stays.
        once * self
            .starts_per_lead
            .filter(|n| n.is_finite() && *n >= 0.0)
            .unwrap_or(1.0)
    }
}

impl Stage {
    /// Mean working days a deal stays: the mean `длительность` plus, with `старт`, the mean
    /// wait for the next start it can make (`release`). `None` without either.
    pub fn mean_stay_days(&self, cal: units::Calendar) -> Option<f64> {
        let wait = self
            .release
            .as_ref()
            .map(|r| r.mean_wait(release::DayGrid::of(cal)));
        match (self.duration_days.as_ref().map(Distribution::mean), wait) {
            (None, None) => None,
            (d, w) => Some(d.unwrap_or(0.0) + w.unwrap_or(0.0)),
        }
    }

    /// The share of the deals entering the stage that convert, as the analysis, the plan and the
    /// forecast use it: the success transitions (the written `конверсия` × the share of clients
    /// the chain reaches, `дозвон`). `None` when the stage has no `конверсия`.
    pub fn effective_conversion(&self) -> Option<f64> {
        self.conversion?;
        Some(
            self.transitions
                .iter()
                .filter(|t| t.kind == TransitionKind::Success)
                .map(|t| t.probability)
                .sum(),
        )
    }

    /// Expected attempts of each contact of the chain per deal that enters the stage, in chain
    /// order: expected attempts × the share reached by every earlier contact (a client the
    /// chain lost earlier is not contacted again). 1 for every contact when no `дозвон` is given.
    pub fn contact_attempts(&self) -> Vec<f64> {
        let mut still_in = 1.0;
        self.chain
            .iter()
            .map(|c| {
                let expected = c.expected_attempts() * still_in;
                still_in *= 1.0 - c.unreached();
                expected
            })
            .collect()
    }

    /// Expected talk minutes (`разговор`) of each contact of the chain per deal that enters the
    /// stage, in chain order: talk × the chance the contact reaches the client, (1 − u_i) ×
    /// Π_{j<i}(1 − u_j) (unanswered attempts have no talk). 0 without `разговор`.
    pub fn contact_talk_minutes(&self) -> Vec<f64> {
        let mut still_in = 1.0;
        self.chain
            .iter()
            .map(|c| {
                let reached = still_in * (1.0 - c.unreached());
                still_in *= 1.0 - c.unreached();
                c.talk_minutes
                    .filter(|m| m.is_finite() && *m >= 0.0)
                    .unwrap_or(0.0)
                    * reached
            })
            .collect()
    }

    /// Expected work minutes of each contact of the chain per deal that enters the stage, in
    /// chain order: minutes × [`Stage::contact_attempts`]. 0 for a contact without minutes or
    /// with a value that is not a finite non-negative number.
    pub fn contact_minutes(&self) -> Vec<f64> {
        self.chain
            .iter()
            .zip(self.contact_attempts())
            .map(|(c, attempts)| {
                let minutes = c
                    .work_minutes
                    .filter(|m| m.is_finite() && *m >= 0.0)
                    .unwrap_or(0.0);
                minutes * attempts
            })
            .collect()
    }
}
