//! Every kind of diagnostic, its stable code and its text in Russian and English, side by side
//! in one file. A code is never reused: retired codes stay listed in `RETIRED`.

use super::{Lang, Msg, Severity};

/// What kind of named thing a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Role,
    Channel,
    Pipeline,
    Stage,
    Kpi,
    Reason,
    Checklist,
    Report,
    Control,
    Interaction,
    Document,
    Meeting,
    Resource,
    Target,
    Card,
}

impl Entity {
    pub fn name(self) -> Msg {
        let (ru, en) = match self {
            Entity::Role => ("роль", "role"),
            Entity::Channel => ("канал", "channel"),
            Entity::Pipeline => ("воронка", "pipeline"),
            Entity::Stage => ("этап", "stage"),
            Entity::Kpi => ("показатель", "KPI"),
            Entity::Reason => ("причина отказа", "loss reason"),
            Entity::Checklist => ("чек-лист", "checklist"),
            Entity::Report => ("отчёт", "report"),
            Entity::Control => ("контроль", "control"),
            Entity::Interaction => ("взаимодействие", "interaction"),
            Entity::Document => ("документ", "document"),
            Entity::Meeting => ("совещание", "meeting"),
            Entity::Resource => ("ресурс", "resource"),
            Entity::Target => ("этап или воронка", "stage or pipeline"),
            Entity::Card => ("карточка", "card"),
        };
        Msg::new(ru, en)
    }
}

/// The class of unit a value needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitClass {
    Percent,
    Duration,
    WorkTime,
    Money,
    Count,
    Period,
}

impl UnitClass {
    pub fn describe(self) -> Msg {
        let (ru, en) = match self {
            UnitClass::Percent => (
                "доля в процентах (`40%`) или дробью (`0.4`)",
                "a share in percent (`40%`) or as a fraction (`0.4`)",
            ),
            UnitClass::Duration => (
                "длительность (`2 дн`, `1 нед`, `3 мес`)",
                "a duration (`2 d`, `1 wk`, `3 mo`)",
            ),
            UnitClass::WorkTime => ("время работы (`10 мин`, `8 ч`)", "working time (`10 min`, `8 h`)"),
            UnitClass::Money => ("сумма (`50 000 ₽`)", "an amount of money (`50 000 RUB`)"),
            UnitClass::Count => ("число без единиц (`4`)", "a plain number (`4`)"),
            UnitClass::Period => ("период (`в день`, `в мес`)", "a period (`per day`, `per month`)"),
        };
        Msg::new(ru, en)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// E0001
    Syntax {
        expected: Vec<Msg>,
        found: Msg,
        suggestion: Option<String>,
        /// Only a number can stand here (`штат пять`): the hint says so instead of talking
        /// about braces.
        number_expected: bool,
    },
    /// E0002
    InvalidUtf8 { offset: usize },
    /// E0003
    EmptyFile,
    /// E0004
    FileNotFound {
        path: String,
        reason: Msg,
        /// Named by `подключить`, not on the command line.
        included: bool,
    },
    /// E0005
    IncludeCycle { cycle: Vec<String> },
    /// E0006
    TooDeep { limit: usize },
    /// E0007
    TooLarge { limit: usize },
    /// E0008
    ParserBudget,
    /// E0009
    NotAFile { path: String },
    /// E0010
    NumberOutOfRange { text: String },
    /// E0011
    ProbabilityOutOfRange { text: String },
    /// E0012
    WrongUnit { expected: UnitClass, found: String },
    /// E0013
    Negative { text: String },
    /// E0014
    InvalidDate { text: String },
    /// E0015
    Undefined {
        entity: Entity,
        name: String,
        suggestion: Option<String>,
    },
    /// E0016
    Duplicate { entity: Entity, name: String },
    /// E0017
    UnknownCounter {
        name: String,
        suggestion: Option<String>,
    },
    /// E0018
    DuplicateAttribute { attribute: String },
    /// E0019
    DuplicateSection { section: Msg },
    /// E0020
    UnknownPipelineKind {
        value: String,
        suggestion: Option<String>,
    },
    /// E0021
    InvalidCrmCode { code: String },
    /// E0022
    UnknownLintCode {
        code: String,
        suggestion: Option<String>,
    },
    /// E0023
    SeasonalityCount { count: usize },
    /// E0024
    InvalidColour { value: String },
    /// E0025
    EmptyRange { low: String, high: String },
    /// E0026
    EmptyPipeline { name: String },
    /// E0027
    NotWhole { text: String },
    /// E0028
    InvalidParameter { what: Msg },
    /// E0029
    OutOfRange { text: String, range: Msg },
    /// E0030
    UnreachableStage { stage: String },
    /// E0031
    DeadEnd { stages: Vec<String> },
    /// E0032
    ClosedLoop { stages: Vec<String> },
    /// E0033
    SharesOverflow { failure: bool, total: f64 },
    /// E0034
    NeverTaken { why: Msg },
    /// E0035
    NoOwner { stage: String },
    /// E0036
    AttemptsWithoutOutcome { attempts: u32 },
    /// E0037
    ChannelWithoutPipeline { channel: String },
    /// E0038
    UnfedPipeline { pipeline: String },
    /// E0039
    CounterNeverProduced { counter: Msg, why: Msg },
    /// E0040
    PlanWithoutHorizon,
    /// E0041
    ErrorNotAdjustable { code: String },
    /// E0042: the model does not fit a documented limit of a CRM.
    CrmLimit {
        crm: &'static str,
        what: Msg,
        value: usize,
        limit: usize,
    },
    /// E0043: `дозвон` on a contact that does not say where the unreached clients go.
    ReachWithoutOutcome { reach: f64 },
    /// E0044: a stage or a contact is owned by a role with no staff (`штат 0`) and no hires:
    /// nobody ever does its work, though the uncapped analysis would count its deals.
    UnstaffedOwner {
        role: String,
        /// «этап `А`» or «контакт «Звонок» этапа `А`».
        work: Msg,
    },
    /// E0045: a colour band's bound is neither a percentage of the target nor in the KPI's
    /// unit (`needs_target`: it is in the KPI's unit, but the target is not one number to
    /// divide by). `fix` is the bound written as a percentage, when that is the likely intent.
    ColourBandUnit {
        text: String,
        unit: String,
        needs_target: bool,
        fix: Option<String>,
    },
    /// E0050: a formula with more operators than [`crate::syntax::MAX_FORMULA_OPS`]: the
    /// expression tree would be deep enough to overflow the stack when it is lowered or computed.
    FormulaTooLong { limit: usize },
    /// E0051: more stages or roles than [`crate::syntax::limits`] allows; `what` is «этапов» or
    /// «ролей».
    TooManyItems { what: Msg, limit: usize },
    /// E0052: includes nested deeper than [`crate::load::MAX_INCLUDE_DEPTH`] or more files than
    /// [`crate::load::MAX_FILES`].
    TooManyIncludes { depth: usize, files: usize, mib: usize },
    /// E0053: a horizon under one month or over [`crate::syntax::limits::MAX_HORIZON_MONTHS`].
    HorizonOutOfRange { limit: u32 },
    /// E0054: a control character (other than tab and line ends) or a bidi override/isolate.
    ForbiddenChar { code: String },
    /// E0066: a transition with `через` written twice (before and after `причина`).
    TwoDelays,
    /// E0067: `после_выигрыша` leads to `выиграно` or `проиграно` instead of a pipeline.
    AfterWinNotAStage,
    /// E0070–E0078: an error in a scenario (`--scenario`), open-deals (`--open-deals`) or deal-history
    /// (`calibrate --history`) file.
    /// The text is worded where the file is read (`scenario::parse`, `sim::open_deals`), since
    /// it names the file's own keys, columns and values.
    DataFile {
        error: DataError,
        message: Msg,
        help: Option<Msg>,
    },
    /// W0001
    IncludedTwice { path: String },
    /// W0002
    DecimalCommaList,
    /// W0003
    SpanOfControl { head: String, reports: f64 },
    /// W0004
    FewSalespeople { count: u32 },
    /// W0005
    SeveralChannels { role: String, channels: Vec<String> },
    /// W0006
    LowConversion { stage: String, conversion: f64 },
    /// W0007
    NoChain { stage: String },
    /// W0008
    NoExitCriterion { stage: String },
    /// W0009: a sales pipeline that closes deals with neither `выход оплата` nor an invoice in
    /// the chain of each stage that closes them; `stages` are those closing stages.
    ExitNotPayment { pipeline: String, stages: Vec<String> },
    /// W0010
    KpiWithoutTarget { kpi: String },
    /// W0011
    LeadingNotDaily { kpi: String },
    /// W0012
    KpiUncovered { kpi: String },
    /// W0013
    ControlWithoutPeriod { control: String },
    /// W0014
    ControlWithoutRecipient { control: String },
    /// W0015
    PayNotTied { role: String },
    /// W0016
    NormsDoNotFit {
        role: String,
        /// Minutes a day.
        demanded: f64,
        available: f64,
    },
    /// W0017
    MissingSection { section: Msg },
    /// W0018
    RoleOverloaded { role: String, load: f64 },
    /// W0019
    KpiWeights { role: String, total: f64 },
    /// W0020
    ChecklistWeights { checklist: String, total: f64 },
    /// W0021
    ResponseSlowerThanCold {
        channel: String,
        /// Minutes.
        response: f64,
        limit: f64,
    },
    /// W0022: a `#RRGGBB` stage colour amoCRM does not accept; `chosen` is sent instead.
    CrmColour { value: String, chosen: String },
    /// W0023: beyond a limit that the CRM documented for an older API version only.
    CrmLimitUnconfirmed {
        crm: &'static str,
        what: Msg,
        value: usize,
        limit: usize,
    },
    /// W0024: `попыток` without `дозвон`: the forecast cannot know how many clients are not
    /// reached, so it leaves out the `иначе` route and the repeated attempts.
    AttemptsWithoutReach { attempts: u32 },
    /// W0025: like E0044, but the role gets staff later through `найм`: until the first hire
    /// joins, its work waits.
    StaffedOnlyByHires { role: String, work: Msg },
    /// W0026: a name easily taken for another (Unicode TR39): `why` says how — it looks the
    /// same as a different name, or one word mixes letters of several alphabets.
    Confusable { name: String, why: Msg },
    /// W0027: a name longer than [`crate::model::limits::MAX_FILE_STEM_BYTES`] bytes: the
    /// file names made from it are shortened. `name` is its beginning.
    LongName {
        name: String,
        bytes: usize,
        limit: usize,
    },
    /// W0028: a stage (or the whole) of a retargeting pipeline owned by a selling role.
    RetargetingBySeller { pipeline: String, role: String },
    /// W0029: `мягкий_оклад` below [`crate::check`]'s minimum share (`share` is `Some`), or
    /// tied to no KPI with a `вес` (`share` is `None`).
    SoftSalaryWeak { role: String, share: Option<f64> },
    /// W0030: the department makes calls, and no control scores them with a call checklist.
    NoCallQualityControl { calls: usize },
    /// W0031: the sampling of a quality role's controls needs more minutes a day than the role
    /// has left after its other work.
    QualityOverloaded {
        role: String,
        /// Minutes a day.
        demanded: f64,
        available: f64,
    },
    /// W0032: a hunter owns a stage that closes deals at payment.
    HunterOwnsPayment { role: String, stage: String },
    /// W0033: a department KPI over revenue or deals whose target is not the plan's.
    KpiTargetOffPlan {
        kpi: String,
        target: f64,
        /// The plan in the KPI's period: its smallest and largest month (equal for a flat plan).
        plan: (f64, f64),
        /// «в месяц», «в неделю» … the period both are written in.
        period: Msg,
        /// The currency sign when the KPI counts money.
        currency: Option<&'static str>,
    },
    /// W0034: a KPI with neither `формула` nor `источник`.
    KpiWithoutSource { kpi: String },
    /// E0068: a moment, working hours or shifts that cannot be (`25:00`, `32 число`,
    /// `21:00..9:00`, `смены 0 по 3`, `вне_графика` without working hours or outside them).
    BadCalendar { text: String, why: Msg, fix: Msg },
    /// E0069: a contact's `срок` that cannot be met (shorter than its `через`) or is no time.
    ContactDeadline { contact: String, why: Msg, fix: Msg },
    /// E0079: a retry schedule (`повторы`) that does not fit the contact's attempts or deadline.
    RetrySchedule { contact: String, why: Msg, fix: Msg },
    /// W0043: a moment that does not fit its period or the working hours.
    /// `why` names the item: «срок отчёта `Дневной`: день недели не подходит к периоду …».
    CalendarMismatch { why: Msg, fix: Msg },
    /// W0044: a role's schedule its staff or work day does not cover.
    ScheduleUncovered { role: String, why: Msg, fix: Msg },
    // Counters with arguments, call direction and talk time, `изменение` (issue 19).
    /// E0046: a channel, role or loss reason in a counter's arguments that the file does not
    /// define (`выиграно(канал Сйат)`).
    UnknownCounterScope {
        entity: Msg,
        name: String,
        suggestion: Option<String>,
    },
    /// E0047: an argument the counter does not take (`звонки(причина Дорого)`,
    /// `просрочено(Оплата)` without days); `expected` says what it takes.
    CounterArgument {
        counter: String,
        arg: String,
        expected: Msg,
        /// The arguments are fine but not enough (`просрочено(Оплата)` without days).
        missing: bool,
    },
    /// E0055: a contact's talk time (`разговор`) longer than its work minutes: talk is part of
    /// the work, so the load would be understated.
    TalkExceedsWork { talk: f64, work: f64 },
    /// E0056: `изменение` inside `изменение`.
    NestedChange,
    /// W0035: `изменение(…, прошлый_год)` (or `прошлый_период`) in a forecast horizon too short
    /// for any month to have its base: the forecast shows «—».
    ChangeWithoutBase { kpi: String, base: Msg, horizon: u32 },
    /// W0036: a counter that is zero by construction: `минуты` over contacts none of which has
    /// `разговор`, or a direction no contact of that kind has.
    CounterAlwaysZero { counter: String, reason: Msg },
    /// E0048: the class thresholds of an ABC/XYZ report do not make classes.
    BadThresholds { why: Msg },
    /// E0057: the two ends of a range are in different units (`5 000 $..10 000 ₽`).
    RangeUnitMismatch { low: String, high: String },
    /// E0058: `вид` of a report that is not a known analysis.
    UnknownReportKind {
        value: String,
        suggestion: Option<String>,
    },
    /// W0037: a KPI scores a checklist (`балл(…)`) no control samples: it gets no data.
    ScoreWithoutControl { kpi: String, checklist: String },
    /// W0038: a control's sample whose scoring time cannot be counted in its role's load.
    SampleUncounted { why: Msg },
    /// E0049: a stage's `поля` name a card that is not defined (`field` is `None`) or a field
    /// the card does not have.
    UnknownCardField {
        card: String,
        field: Option<String>,
        suggestion: Option<String>,
    },
    /// E0059: a field or group name given twice in one card.
    DuplicateCardField { card: String, field: String },
    /// E0060: an empty or repeated value in a `выбор`/`мультивыбор` list.
    BadFieldOption {
        field: String,
        option: String,
        empty: bool,
    },
    /// E0061: a plain field name in `поля` that several cards have.
    AmbiguousField { field: String, cards: Vec<String> },
    /// W0039: a card field that no stage fills and that is not `обязательное`.
    FieldNeverFilled { card: String, field: String },
    /// W0040: a stage field that no card types, whose name is close to a card's field (a
    /// likely typo).
    FieldNotInCard {
        field: String,
        suggestion: Option<String>,
    },
    /// E0062: a `триггер` without `когда` or without `действие` (`missing` names it).
    TriggerIncomplete { trigger: String, missing: Msg },
    /// E0063: a trigger on a KPI colour the KPI has no band for (`цвета`).
    TriggerColourMissing {
        kpi: String,
        colour: Msg,
        has_colours: bool,
    },
    /// E0064: a trigger whose action is work (a contact) and no role to do it.
    TriggerWithoutRole { trigger: String },
    /// E0065: `частота N раз …` with N not a positive number without a unit.
    BadCadence { text: String },
    /// W0041: `в_этапе Этап дольше N` at or beyond the stage's `лимит`.
    TriggerPastLimit {
        stage: String,
        longer: String,
        limit: f64,
    },
    /// W0042: `в_этапе Этап дольше N` where the stage's `длительность` never exceeds N.
    TriggerNeverFires {
        stage: String,
        longer: String,
        longest: f64,
    },
    /// E0080: two bands of a discount approval matrix (`условия`) cover the same discounts.
    DiscountBandsOverlap { first: String, second: String },
    /// E0081: two steps of a bonus scale cover the same plan fulfilment.
    ScaleStepsOverlap {
        role: String,
        first: String,
        second: String,
    },
    /// E0082: a bonus scale says nothing for the plan fulfilment between two of its steps.
    ScaleGap { role: String, from: f64, to: f64 },
    /// E0083: `конверсия_по_каналам` names a channel twice.
    ChannelConversionTwice { channel: String },
    /// W0045: discounts between two bands of the approval matrix have no approver.
    DiscountGap { from: f64, to: f64 },
    /// W0046: a pay condition with nothing to apply to: `what` says which (a scale or a
    /// threshold without a plan; a share-of-bonus penalty on a role without a bonus).
    PayRuleWithoutBase { what: Msg },
    // Client-base triggers (issue 19, G8/G7): E0088–E0090, W0050–W0052.
    /// E0088: `перевести ->` the pipeline the trigger itself watches.
    TransferToItself { pipeline: String },
    /// E0089: `для сегмент X` naming no class of the client analysis reports.
    UnknownSegment { segment: String, classes: String },
    /// E0090: `каждые N` / `без_покупки N` with N not a positive length of time.
    BadEvery { text: String },
    /// W0050: `без_покупки N` shorter than the pipeline's purchase cycle (`cycle` working days:
    /// its repeat interval when `repeat`, else the sum of its stages' mean durations).
    InactivityShorterThanCycle {
        pipeline: String,
        quiet: String,
        cycle: f64,
        repeat: bool,
    },
    /// W0051: a recurring contact alone needs more than the role's working time for sales.
    EveryOverCapacity {
        trigger: String,
        role: String,
        hours: f64,
        available: f64,
    },
    /// W0052: `для сегмент X` without any client analysis report (`вид abc_клиентов`).
    SegmentWithoutAnalysis { segment: String },
    /// W0047: a channel of `конверсия_по_каналам` does not feed the stage's pipeline, so its
    /// conversion never applies.
    ChannelConversionUnfed { channel: String, pipeline: String },
    // Telephony, percentile targets, the plan's dates, timing (issue 19, G11/G5): E0095–E0098,
    // W0056–W0058.
    /// E0095: see `docs/explain.ru.md`; `why` says what is wrong, `fix` how to write it.
    BadPercentile { why: Msg, fix: Msg },
    /// E0096: see `docs/explain.ru.md`; `why` says what is wrong, `fix` how to write it.
    BadPlanDate { why: Msg, fix: Msg },
    /// E0097: see `docs/explain.ru.md`; `why` says what is wrong, `fix` how to write it.
    BadTelephony { why: Msg, fix: Msg },
    /// E0098: see `docs/explain.ru.md`; `why` says what is wrong, `fix` how to write it.
    TimeOnDateField { why: Msg, fix: Msg },
    /// W0056: see `docs/explain.ru.md`; `why` says what is wrong, `fix` how to write it.
    TelephonyWithoutCalls { why: Msg, fix: Msg },
    /// W0057: see `docs/explain.ru.md`; `why` says what is wrong, `fix` how to write it.
    TimeOutsideHours { why: Msg, fix: Msg },
    /// W0058: see `docs/explain.ru.md`; `why` says what is wrong, `fix` how to write it.
    PercentileNotPerCase { why: Msg, fix: Msg },
    // Lead distribution of a channel (issue 19, G3): E0099, W0059.
    /// E0099: see `docs/explain.ru.md`; `why` says what is wrong, `fix` how to write it.
    BadRouting { why: Msg, fix: Msg },
    /// W0059: see `docs/explain.ru.md`; `why` says what is wrong, `fix` how to write it.
    PriorityEverywhere { why: Msg, fix: Msg },
    // Conditions on card field values (issue 19, G6): E0084–E0087, W0048–W0049.
    /// E0084: a condition names a field no card has (`card` when written `Клиент."…"`).
    UnknownCondField {
        field: String,
        card: Option<String>,
        cards_written: bool,
        suggestion: Option<String>,
    },
    /// E0085: a test that does not fit the field's type (`<` on a list, a text on a number).
    CondTypeMismatch { field: String, kind: Msg, expected: Msg },
    /// E0086: `= "Значение"` / `в (…)` with a value the list field does not have.
    CondValueNotInList {
        field: String,
        value: String,
        options: String,
        suggestion: Option<String>,
    },
    /// E0087: the segments (`для … доля`) of a stage take more than all its leads.
    FieldSegmentsOverfull { stage: String, total: f64 },
    /// W0048: a condition on a field that no stage fills (`поля`) at or before the stage (or
    /// anywhere, for a trigger).
    CondFieldNotFilled { field: String, stage: Option<String> },
    /// W0049: a condition that never holds (`< 0` on a number), or a segment with the same
    /// condition as another of its stage.
    CondNeverTrue { condition: String, duplicate: bool },
    // Scheduled starts and groups (issue 19, G18/G19): E0091–E0094, W0053–W0055.
    /// E0091: `старт` that is not one weekly or monthly calendar (`why` says what).
    BadStarts { text: String, why: Msg },
    /// E0092: `набор_до` or `группа` (`what`, as written) on a stage without `старт`.
    StartsMissing { stage: String, what: String },
    /// E0093: group bounds that cannot be.
    BadGroup { text: String, why: Msg },
    /// E0094: `перед_каждым_стартом` names a stage without `старт`.
    EachStartWithoutStarts { stage: String },
    /// W0053: fewer expected per start than the group needs to run.
    GroupBelowMinimum { stage: String, expected: f64, min: f64 },
    /// W0054: more expected per start than one group holds.
    GroupAboveMaximum { stage: String, expected: f64, max: f64 },
    /// W0055: a trigger on an exit the stage never has (`выход Этап отказ` at 100% conversion).
    ExitOutcomeNever { stage: String, outcome: Msg },
}

/// What is wrong in a scenario or open-deals file: one code each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataError {
    /// E0070: not YAML (or CSV) at all.
    Unreadable,
    /// E0071: a key or column the file format does not have.
    UnknownKey,
    /// E0072: a key or column given twice.
    DuplicateKey,
    /// E0073: a role, channel, pipeline or stage the regulation does not define.
    UnknownName,
    /// E0074: a value of the wrong kind (text for a number, a list for a mapping, …).
    WrongValue,
    /// E0075: a number outside the language's range (negative, not finite, over 10^15) or the
    /// parameter's own (a share above 100 %, a headcount that is not whole).
    OutOfRange,
    /// E0076: a required column missing from the header or a row.
    MissingColumn,
    /// E0077: a control or bidi character in the file's text (as E0054 in a regulation).
    ForbiddenChar,
    /// E0078: a change the regulation has nothing to apply to (no plan; a role that does not
    /// work the stage).
    NotApplicable,
}

/// Codes that were once used and must never be given to a new kind.
pub const RETIRED: &[&str] = &[];

/// Every live code with its one-line title, for `docs/diagnostics.md` and `explain`.
pub const CODES: &[(&str, &str, &str)] = &[
    ("E0001", "синтаксическая ошибка", "syntax error"),
    ("E0002", "файл не в кодировке UTF-8", "file is not UTF-8"),
    ("E0003", "пустой файл", "empty file"),
    (
        "E0004",
        "файл не найден или не читается",
        "file not found or unreadable",
    ),
    ("E0005", "циклическое подключение файлов", "include cycle"),
    ("E0006", "слишком глубокая вложенность", "nesting too deep"),
    ("E0007", "файл слишком большой", "file too large"),
    ("E0008", "разбор превысил бюджет", "parser budget exceeded"),
    (
        "E0009",
        "путь указывает на папку, а не на файл",
        "path is a directory",
    ),
    ("E0010", "число вне допустимого диапазона", "number out of range"),
    (
        "E0011",
        "вероятность вне диапазона 0–100 %",
        "probability outside 0–100%",
    ),
    ("E0012", "неподходящая единица измерения", "wrong unit"),
    ("E0013", "отрицательное значение", "negative value"),
    ("E0014", "несуществующая дата", "invalid date"),
    ("E0015", "имя не определено", "undefined name"),
    ("E0016", "имя определено повторно", "duplicate definition"),
    ("E0017", "неизвестный счётчик", "unknown counter"),
    ("E0018", "параметр указан дважды", "attribute given twice"),
    ("E0019", "раздел указан дважды", "section given twice"),
    ("E0020", "неизвестный вид воронки", "unknown pipeline kind"),
    ("E0021", "код этапа для CRM не в ASCII", "CRM code is not ASCII"),
    ("E0022", "неизвестный код правила", "unknown lint code"),
    (
        "E0023",
        "сезонность не на 12 месяцев",
        "seasonality is not 12 months",
    ),
    ("E0024", "неизвестный цвет", "unknown colour"),
    ("E0025", "минимум больше максимума", "minimum above maximum"),
    ("E0026", "воронка без этапов", "pipeline without stages"),
    ("E0027", "ожидалось целое число", "whole number expected"),
    (
        "E0028",
        "недопустимый параметр распределения",
        "invalid distribution parameter",
    ),
    (
        "E0029",
        "значение вне допустимого диапазона",
        "value out of range",
    ),
    ("E0030", "этап недостижим", "unreachable stage"),
    ("E0031", "этап-тупик", "dead-end stage"),
    ("E0032", "замкнутый цикл", "closed loop"),
    (
        "E0033",
        "доли переходов больше 100 %",
        "transition shares above 100%",
    ),
    (
        "E0034",
        "переход никогда не выполняется",
        "transition never taken",
    ),
    ("E0035", "у этапа нет ответственного", "stage without an owner"),
    ("E0036", "попытки без исхода", "attempts without an outcome"),
    ("E0037", "канал не ведёт в воронку", "channel feeds no pipeline"),
    ("E0038", "воронку ничто не питает", "pipeline is not fed"),
    ("E0039", "счётчик никогда не считается", "counter never produced"),
    ("E0040", "план без горизонта", "plan without a horizon"),
    (
        "E0041",
        "ошибку нельзя отключить",
        "an error cannot be switched off",
    ),
    ("E0042", "превышен предел CRM", "a CRM limit is exceeded"),
    ("E0043", "дозвон без исхода", "reach without an outcome"),
    (
        "E0044",
        "работу ведёт роль без сотрудников",
        "work owned by a role with no staff",
    ),
    (
        "E0045",
        "граница цвета не в единицах показателя",
        "colour band not in the KPI's unit",
    ),
    (
        "E0046",
        "неизвестный канал, роль или причина в счётчике",
        "unknown channel, role or reason in a counter",
    ),
    (
        "E0047",
        "аргумент не подходит счётчику",
        "argument does not fit the counter",
    ),
    (
        "E0048",
        "пороги классов ABC/XYZ не делят клиентов",
        "ABC/XYZ class thresholds do not make classes",
    ),
    ("E0049", "поля нет в карточке", "field not in the card"),
    ("E0050", "слишком длинная формула", "formula too long"),
    (
        "E0051",
        "слишком много этапов или ролей",
        "too many stages or roles",
    ),
    (
        "E0052",
        "слишком много подключённых файлов",
        "too many included files",
    ),
    ("E0053", "горизонт вне пределов", "horizon out of range"),
    (
        "E0054",
        "управляющий или bidi-символ в тексте",
        "control or bidi character in the text",
    ),
    (
        "E0055",
        "разговор дольше работы по контакту",
        "talk time longer than the contact's work",
    ),
    ("E0056", "изменение внутри изменения", "change inside a change"),
    (
        "E0057",
        "концы диапазона в разных единицах",
        "range ends in different units",
    ),
    ("E0058", "неизвестный вид отчёта", "unknown report kind"),
    ("E0059", "поле карточки указано дважды", "card field given twice"),
    (
        "E0060",
        "пустое или повторное значение списка",
        "empty or repeated list value",
    ),
    (
        "E0061",
        "поле есть в нескольких карточках",
        "field is in several cards",
    ),
    (
        "E0062",
        "триггер без события или действия",
        "trigger without an event or an action",
    ),
    (
        "E0063",
        "у показателя нет цвета триггера",
        "KPI lacks the trigger's colour",
    ),
    (
        "E0064",
        "триггер создаёт работу без роли",
        "trigger creates work for no role",
    ),
    ("E0065", "неверная частота", "invalid cadence"),
    (
        "E0066",
        "срок перехода указан дважды",
        "transition delay written twice",
    ),
    (
        "E0067",
        "после выигрыша — не воронка",
        "after-win target is not a pipeline",
    ),
    (
        "E0068",
        "невозможный момент или график",
        "impossible moment or schedule",
    ),
    (
        "E0069",
        "невыполнимый срок контакта",
        "contact deadline that cannot be met",
    ),
    (
        "E0070",
        "файл сценария или сделок не разбирается",
        "scenario or deals file does not parse",
    ),
    ("E0071", "неизвестный ключ или столбец", "unknown key or column"),
    (
        "E0072",
        "ключ или столбец указан дважды",
        "key or column given twice",
    ),
    (
        "E0073",
        "имени из файла нет в положении",
        "name not in the regulation",
    ),
    ("E0074", "значение не того вида", "value of the wrong kind"),
    (
        "E0075",
        "число в файле вне допустимого диапазона",
        "number in the file out of range",
    ),
    ("E0076", "не хватает столбца", "missing column"),
    (
        "E0077",
        "управляющий или bidi-символ в файле данных",
        "control or bidi character in a data file",
    ),
    (
        "E0078",
        "изменение не к чему применить",
        "change has nothing to apply to",
    ),
    (
        "E0079",
        "повторы не сходятся с попытками",
        "retry schedule does not fit the attempts",
    ),
    ("E0080", "диапазоны скидок пересекаются", "discount bands overlap"),
    (
        "E0081",
        "ступени шкалы премии пересекаются",
        "bonus scale steps overlap",
    ),
    ("E0082", "пропуск в шкале премии", "gap in a bonus scale"),
    (
        "E0083",
        "канал в конверсии по каналам дважды",
        "channel twice in a conversion by channel",
    ),
    (
        "E0084",
        "неизвестное поле в условии",
        "unknown field in a condition",
    ),
    (
        "E0085",
        "условие не подходит к типу поля",
        "condition does not fit the field's type",
    ),
    (
        "E0086",
        "значения нет в списке поля",
        "value not in the field's list",
    ),
    (
        "E0087",
        "доли сегментов этапа больше 100 %",
        "segment shares of a stage over 100%",
    ),
    (
        "E0088",
        "перевод клиента в ту же воронку",
        "client handed to its own pipeline",
    ),
    ("E0089", "неизвестный сегмент клиентов", "unknown client segment"),
    (
        "E0090",
        "неверный срок бездействия или периодичности",
        "invalid inactivity or recurrence period",
    ),
    (
        "E0091",
        "неверное расписание стартов",
        "invalid schedule of starts",
    ),
    (
        "E0092",
        "набор или группа без старта",
        "enrolment or group without starts",
    ),
    ("E0093", "неверный размер группы", "invalid group size"),
    (
        "E0094",
        "контакт перед стартом этапа без стартов",
        "contact before the starts of a stage without starts",
    ),
    (
        "E0095",
        "процент случаев у цели вне (0, 100)",
        "percentile of a target outside (0, 100)",
    ),
    (
        "E0096",
        "невозможная дата или срок плана",
        "impossible plan date or deadline",
    ),
    (
        "E0097",
        "невозможный стандарт телефонии",
        "impossible telephony standard",
    ),
    (
        "E0098",
        "время суток у поля без времени",
        "time of day on a field without a time",
    ),
    (
        "E0099",
        "неверное распределение заявок",
        "invalid lead distribution",
    ),
    ("W0001", "файл подключён повторно", "file included twice"),
    ("W0002", "десятичная запятая в списке", "decimal comma in a list"),
    ("W0003", "больше 7 подчинённых", "more than 7 direct reports"),
    ("W0004", "меньше трёх продавцов", "fewer than 3 salespeople"),
    (
        "W0005",
        "продавец работает в нескольких каналах",
        "salesperson works several channels",
    ),
    ("W0006", "конверсия этапа ниже 20 %", "stage conversion below 20%"),
    (
        "W0007",
        "этап без цепочки контактов",
        "stage without a contact chain",
    ),
    (
        "W0008",
        "этап без критерия выхода",
        "stage without an exit criterion",
    ),
    (
        "W0009",
        "выход воронки не привязан к оплате",
        "pipeline exit not tied to payment",
    ),
    ("W0010", "показатель без цели", "KPI without a target"),
    (
        "W0011",
        "опережающий показатель не контролируется ежедневно",
        "leading KPI not controlled daily",
    ),
    ("W0012", "показатель никто не контролирует", "KPI not covered"),
    ("W0013", "контроль без периодичности", "control without a period"),
    ("W0014", "контроль без адресата", "control without a recipient"),
    (
        "W0015",
        "оплата роли не привязана к показателям",
        "role pay not tied to KPIs",
    ),
    (
        "W0016",
        "нормативы не помещаются в рабочий день",
        "norms do not fit the working day",
    ),
    ("W0017", "в положении нет раздела", "regulation lacks a section"),
    ("W0018", "роль перегружена", "role overloaded"),
    (
        "W0019",
        "веса показателей роли не дают 100 %",
        "KPI weights of a role do not sum to 100%",
    ),
    (
        "W0020",
        "веса чек-листа не дают 100",
        "checklist weights do not sum to 100",
    ),
    (
        "W0021",
        "норматив отклика дольше срока остывания",
        "response norm longer than the go-cold limit",
    ),
    (
        "W0022",
        "цвета нет в палитре amoCRM",
        "colour not in the amoCRM palette",
    ),
    (
        "W0023",
        "вероятно превышен предел CRM",
        "a CRM limit is probably exceeded",
    ),
    (
        "W0024",
        "попытки без доли дозвона",
        "attempts without a reach rate",
    ),
    (
        "W0025",
        "у роли нет сотрудников до найма",
        "role has no staff until its hires",
    ),
    (
        "W0026",
        "имя легко спутать с другим",
        "name easily confused with another",
    ),
    (
        "W0027",
        "слишком длинное имя для имени файла",
        "name too long for a file name",
    ),
    (
        "W0028",
        "ретаргетинг ведёт продающая роль",
        "retargeting worked by a selling role",
    ),
    (
        "W0029",
        "мягкий оклад мал или не привязан к весам показателей",
        "soft salary too small or tied to no weighted KPI",
    ),
    (
        "W0030",
        "звонки без контроля качества",
        "calls without quality control",
    ),
    (
        "W0031",
        "контролю качества не хватает времени на выборку",
        "quality control has no time for its sample",
    ),
    ("W0032", "хантер ведёт этап оплаты", "hunter owns a payment stage"),
    (
        "W0033",
        "цель показателя отдела расходится с планом",
        "department KPI target differs from the plan",
    ),
    (
        "W0034",
        "показатель без формулы и источника",
        "KPI with neither formula nor source",
    ),
    (
        "W0035",
        "изменению не с чем сравнить в горизонте",
        "change has no base within the horizon",
    ),
    ("W0036", "счётчик всегда равен нулю", "counter is always zero"),
    (
        "W0037",
        "балл чек-листа, по которому никто не оценивает",
        "score of a checklist no control uses",
    ),
    (
        "W0038",
        "время выборки контроля не учтено",
        "a control's sample time is not counted",
    ),
    (
        "W0039",
        "поле карточки не заполняется ни на одном этапе",
        "card field filled at no stage",
    ),
    (
        "W0040",
        "поле этапа похоже на поле карточки",
        "stage field resembles a card field",
    ),
    (
        "W0041",
        "триггер позже лимита этапа",
        "trigger later than the stage limit",
    ),
    ("W0042", "триггер никогда не сработает", "trigger never fires"),
    (
        "W0043",
        "момент не сходится с периодом или графиком",
        "moment does not fit its period or hours",
    ),
    (
        "W0044",
        "график роли не закрыт штатом",
        "role schedule not covered by its staff",
    ),
    (
        "W0045",
        "скидки без согласующего",
        "discounts without an approver",
    ),
    (
        "W0046",
        "условию оплаты не к чему применяться",
        "pay condition has nothing to apply to",
    ),
    (
        "W0047",
        "канал не ведёт в воронку этапа",
        "channel does not feed the stage's pipeline",
    ),
    (
        "W0048",
        "поле условия не заполняется до этапа",
        "condition's field not filled before the stage",
    ),
    ("W0049", "условие никогда не выполнится", "condition never holds"),
    (
        "W0050",
        "бездействие короче цикла покупки",
        "inactivity shorter than the purchase cycle",
    ),
    (
        "W0051",
        "плановым контактам не хватает времени роли",
        "recurring contacts exceed the role's time",
    ),
    (
        "W0052",
        "сегмент без ABC-анализа клиентов",
        "segment without a client analysis",
    ),
    (
        "W0053",
        "на старт приходит меньше минимума группы",
        "fewer per start than a group needs",
    ),
    (
        "W0054",
        "на старт приходит больше, чем вмещает группа",
        "more per start than a group holds",
    ),
    (
        "W0055",
        "триггер на исход, которого у этапа нет",
        "trigger on an outcome the stage never has",
    ),
    (
        "W0056",
        "телефония там, где нет звонков",
        "telephony where there are no calls",
    ),
    (
        "W0057",
        "время контакта вне рабочего времени",
        "contact time outside working hours",
    ),
    (
        "W0058",
        "процент случаев у показателя не по случаям",
        "percentile of a KPI that is not per case",
    ),
    ("W0059", "вне очереди все каналы", "every channel out of turn"),
];

fn suggest(s: &Option<String>) -> Option<Msg> {
    s.as_ref().map(|s| {
        Msg::new(
            format!("возможно, имелось в виду `{s}`"),
            format!("did you mean `{s}`?"),
        )
    })
}

impl Kind {
    /// The stable code. Exhaustive, so a new kind cannot ship without one.
    pub fn code(&self) -> &'static str {
        match self {
            Kind::Syntax { .. } => "E0001",
            Kind::InvalidUtf8 { .. } => "E0002",
            Kind::EmptyFile => "E0003",
            Kind::FileNotFound { .. } => "E0004",
            Kind::IncludeCycle { .. } => "E0005",
            Kind::TooDeep { .. } => "E0006",
            Kind::TooLarge { .. } => "E0007",
            Kind::ParserBudget => "E0008",
            Kind::NotAFile { .. } => "E0009",
            Kind::NumberOutOfRange { .. } => "E0010",
            Kind::ProbabilityOutOfRange { .. } => "E0011",
            Kind::WrongUnit { .. } => "E0012",
            Kind::Negative { .. } => "E0013",
            Kind::InvalidDate { .. } => "E0014",
            Kind::Undefined { .. } => "E0015",
            Kind::Duplicate { .. } => "E0016",
            Kind::UnknownCounter { .. } => "E0017",
            Kind::DuplicateAttribute { .. } => "E0018",
            Kind::DuplicateSection { .. } => "E0019",
            Kind::UnknownPipelineKind { .. } => "E0020",
            Kind::InvalidCrmCode { .. } => "E0021",
            Kind::UnknownLintCode { .. } => "E0022",
            Kind::SeasonalityCount { .. } => "E0023",
            Kind::InvalidColour { .. } => "E0024",
            Kind::EmptyRange { .. } => "E0025",
            Kind::EmptyPipeline { .. } => "E0026",
            Kind::NotWhole { .. } => "E0027",
            Kind::InvalidParameter { .. } => "E0028",
            Kind::OutOfRange { .. } => "E0029",
            Kind::UnreachableStage { .. } => "E0030",
            Kind::DeadEnd { .. } => "E0031",
            Kind::ClosedLoop { .. } => "E0032",
            Kind::SharesOverflow { .. } => "E0033",
            Kind::NeverTaken { .. } => "E0034",
            Kind::NoOwner { .. } => "E0035",
            Kind::AttemptsWithoutOutcome { .. } => "E0036",
            Kind::ChannelWithoutPipeline { .. } => "E0037",
            Kind::UnfedPipeline { .. } => "E0038",
            Kind::CounterNeverProduced { .. } => "E0039",
            Kind::PlanWithoutHorizon => "E0040",
            Kind::ErrorNotAdjustable { .. } => "E0041",
            Kind::CrmLimit { .. } => "E0042",
            Kind::ReachWithoutOutcome { .. } => "E0043",
            Kind::UnstaffedOwner { .. } => "E0044",
            Kind::ColourBandUnit { .. } => "E0045",
            Kind::FormulaTooLong { .. } => "E0050",
            Kind::TooManyItems { .. } => "E0051",
            Kind::TooManyIncludes { .. } => "E0052",
            Kind::HorizonOutOfRange { .. } => "E0053",
            Kind::ForbiddenChar { .. } => "E0054",
            Kind::TwoDelays => "E0066",
            Kind::AfterWinNotAStage => "E0067",
            Kind::DataFile { error, .. } => match error {
                DataError::Unreadable => "E0070",
                DataError::UnknownKey => "E0071",
                DataError::DuplicateKey => "E0072",
                DataError::UnknownName => "E0073",
                DataError::WrongValue => "E0074",
                DataError::OutOfRange => "E0075",
                DataError::MissingColumn => "E0076",
                DataError::ForbiddenChar => "E0077",
                DataError::NotApplicable => "E0078",
            },
            Kind::IncludedTwice { .. } => "W0001",
            Kind::DecimalCommaList => "W0002",
            Kind::SpanOfControl { .. } => "W0003",
            Kind::FewSalespeople { .. } => "W0004",
            Kind::SeveralChannels { .. } => "W0005",
            Kind::LowConversion { .. } => "W0006",
            Kind::NoChain { .. } => "W0007",
            Kind::NoExitCriterion { .. } => "W0008",
            Kind::ExitNotPayment { .. } => "W0009",
            Kind::KpiWithoutTarget { .. } => "W0010",
            Kind::LeadingNotDaily { .. } => "W0011",
            Kind::KpiUncovered { .. } => "W0012",
            Kind::ControlWithoutPeriod { .. } => "W0013",
            Kind::ControlWithoutRecipient { .. } => "W0014",
            Kind::PayNotTied { .. } => "W0015",
            Kind::NormsDoNotFit { .. } => "W0016",
            Kind::MissingSection { .. } => "W0017",
            Kind::RoleOverloaded { .. } => "W0018",
            Kind::KpiWeights { .. } => "W0019",
            Kind::ChecklistWeights { .. } => "W0020",
            Kind::ResponseSlowerThanCold { .. } => "W0021",
            Kind::CrmColour { .. } => "W0022",
            Kind::CrmLimitUnconfirmed { .. } => "W0023",
            Kind::AttemptsWithoutReach { .. } => "W0024",
            Kind::StaffedOnlyByHires { .. } => "W0025",
            Kind::Confusable { .. } => "W0026",
            Kind::LongName { .. } => "W0027",
            Kind::RetargetingBySeller { .. } => "W0028",
            Kind::SoftSalaryWeak { .. } => "W0029",
            Kind::NoCallQualityControl { .. } => "W0030",
            Kind::QualityOverloaded { .. } => "W0031",
            Kind::HunterOwnsPayment { .. } => "W0032",
            Kind::KpiTargetOffPlan { .. } => "W0033",
            Kind::KpiWithoutSource { .. } => "W0034",
            Kind::BadCalendar { .. } => "E0068",
            Kind::ContactDeadline { .. } => "E0069",
            Kind::RetrySchedule { .. } => "E0079",
            Kind::CalendarMismatch { .. } => "W0043",
            Kind::ScheduleUncovered { .. } => "W0044",
            Kind::UnknownCounterScope { .. } => "E0046",
            Kind::CounterArgument { .. } => "E0047",
            Kind::TalkExceedsWork { .. } => "E0055",
            Kind::NestedChange => "E0056",
            Kind::ChangeWithoutBase { .. } => "W0035",
            Kind::CounterAlwaysZero { .. } => "W0036",
            Kind::BadThresholds { .. } => "E0048",
            Kind::RangeUnitMismatch { .. } => "E0057",
            Kind::UnknownReportKind { .. } => "E0058",
            Kind::ScoreWithoutControl { .. } => "W0037",
            Kind::SampleUncounted { .. } => "W0038",
            Kind::UnknownCardField { .. } => "E0049",
            Kind::DuplicateCardField { .. } => "E0059",
            Kind::BadFieldOption { .. } => "E0060",
            Kind::AmbiguousField { .. } => "E0061",
            Kind::FieldNeverFilled { .. } => "W0039",
            Kind::FieldNotInCard { .. } => "W0040",
            Kind::TriggerIncomplete { .. } => "E0062",
            Kind::TriggerColourMissing { .. } => "E0063",
            Kind::TriggerWithoutRole { .. } => "E0064",
            Kind::BadCadence { .. } => "E0065",
            Kind::TriggerPastLimit { .. } => "W0041",
            Kind::TriggerNeverFires { .. } => "W0042",
            Kind::DiscountBandsOverlap { .. } => "E0080",
            Kind::ScaleStepsOverlap { .. } => "E0081",
            Kind::ScaleGap { .. } => "E0082",
            Kind::ChannelConversionTwice { .. } => "E0083",
            Kind::ChannelConversionUnfed { .. } => "W0047",
            Kind::UnknownCondField { .. } => "E0084",
            Kind::CondTypeMismatch { .. } => "E0085",
            Kind::CondValueNotInList { .. } => "E0086",
            Kind::FieldSegmentsOverfull { .. } => "E0087",
            Kind::CondFieldNotFilled { .. } => "W0048",
            Kind::CondNeverTrue { .. } => "W0049",
            Kind::DiscountGap { .. } => "W0045",
            Kind::PayRuleWithoutBase { .. } => "W0046",
            Kind::TransferToItself { .. } => "E0088",
            Kind::UnknownSegment { .. } => "E0089",
            Kind::BadEvery { .. } => "E0090",
            Kind::InactivityShorterThanCycle { .. } => "W0050",
            Kind::EveryOverCapacity { .. } => "W0051",
            Kind::SegmentWithoutAnalysis { .. } => "W0052",
            Kind::BadPercentile { .. } => "E0095",
            Kind::BadPlanDate { .. } => "E0096",
            Kind::BadTelephony { .. } => "E0097",
            Kind::TimeOnDateField { .. } => "E0098",
            Kind::TelephonyWithoutCalls { .. } => "W0056",
            Kind::TimeOutsideHours { .. } => "W0057",
            Kind::PercentileNotPerCase { .. } => "W0058",
            Kind::BadRouting { .. } => "E0099",
            Kind::PriorityEverywhere { .. } => "W0059",
            Kind::BadStarts { .. } => "E0091",
            Kind::StartsMissing { .. } => "E0092",
            Kind::BadGroup { .. } => "E0093",
            Kind::EachStartWithoutStarts { .. } => "E0094",
            Kind::GroupBelowMinimum { .. } => "W0053",
            Kind::GroupAboveMaximum { .. } => "W0054",
            Kind::ExitOutcomeNever { .. } => "W0055",
        }
    }

    pub fn default_severity(&self) -> Severity {
        if self.code().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    pub fn message(&self) -> Msg {
        match self {
            Kind::Syntax { expected, found, .. } => {
                let ru_list = list(expected.iter().map(|m| m.ru.as_str()), "или");
                let en_list = list(expected.iter().map(|m| m.en.as_str()), "or");
                if expected.is_empty() {
                    Msg::new(
                        format!("неожиданно: {}", found.ru),
                        format!("unexpected {}", found.en),
                    )
                } else {
                    Msg::new(
                        format!("ожидалось {ru_list}, найдено: {}", found.ru),
                        format!("expected {en_list}, found {}", found.en),
                    )
                }
            }
            Kind::InvalidUtf8 { offset } => Msg::new(
                format!("файл не в кодировке UTF-8: недопустимый байт на смещении {offset}"),
                format!("file is not valid UTF-8: invalid byte at offset {offset}"),
            ),
            Kind::EmptyFile => Msg::new("файл пуст", "the file is empty"),
            Kind::FileNotFound { path, reason, .. } => Msg::new(
                format!("не удалось прочитать файл `{path}`: {}", reason.ru),
                format!("cannot read file `{path}`: {}", reason.en),
            ),
            Kind::IncludeCycle { cycle } => {
                let c = cycle.join(" → ");
                Msg::new(
                    format!("циклическое подключение: {c}"),
                    format!("include cycle: {c}"),
                )
            }
            Kind::FormulaTooLong { limit } => Msg::new(
                format!("в формуле больше {limit} операций"),
                format!("the formula has more than {limit} operations"),
            ),
            Kind::TooManyItems { what, limit } => Msg::new(
                format!("в положении больше {limit} {}", what.ru),
                format!("the regulation has more than {limit} {}", what.en),
            ),
            Kind::TooManyIncludes { depth, files, mib } => Msg::new(
                format!(
                    "подключения вложены глубже {depth} уровней, файлов больше {files} или вместе они больше {mib} МиБ"
                ),
                format!(
                    "includes nested deeper than {depth} levels, more than {files} files, or more than {mib} MiB together"
                ),
            ),
            Kind::HorizonOutOfRange { limit } => Msg::new(
                format!("горизонт должен быть от 1 до {limit} мес"),
                format!("the horizon must be 1 to {limit} months"),
            ),
            Kind::DataFile { message, .. } => message.clone(),
            Kind::ForbiddenChar { code } => Msg::new(
                format!("недопустимый невидимый символ {code}"),
                format!("forbidden invisible character {code}"),
            ),
            Kind::TwoDelays => Msg::new(
                "у перехода два срока `через`",
                "the transition has two `after` delays",
            ),
            Kind::AfterWinNotAStage => Msg::new(
                "после выигрыша клиент должен перейти в воронку или на этап, а не в исход",
                "after a win the client must go on to a pipeline or a stage, not to an outcome",
            ),
            Kind::TooDeep { limit } => Msg::new(
                format!("вложенность скобок больше {limit} уровней"),
                format!("brackets nested deeper than {limit} levels"),
            ),
            Kind::TooLarge { limit } => Msg::new(
                format!("файл больше {} МиБ", limit >> 20),
                format!("file is larger than {} MiB", limit >> 20),
            ),
            Kind::ParserBudget => Msg::new(
                "разбор этого элемента потребовал слишком много шагов",
                "parsing this item took too many steps",
            ),
            Kind::NotAFile { path } => Msg::new(
                format!("`{path}` — это папка, устройство или канал, а не обычный файл"),
                format!("`{path}` is a directory, a device or a pipe, not a regular file"),
            ),
            Kind::NumberOutOfRange { text } => Msg::new(
                format!("число `{text}` вне допустимого диапазона"),
                format!("number `{text}` is out of range"),
            ),
            Kind::ProbabilityOutOfRange { text } => Msg::new(
                format!("вероятность `{text}` вне диапазона от 0 до 100 %"),
                format!("probability `{text}` is outside 0–100%"),
            ),
            Kind::WrongUnit { expected, found } => {
                let e = expected.describe();
                Msg::new(
                    format!("ожидалось: {}, найдено `{found}`", e.ru),
                    format!("expected {}, found `{found}`", e.en),
                )
            }
            Kind::Negative { text } => Msg::new(
                format!("значение `{text}` не может быть отрицательным"),
                format!("value `{text}` cannot be negative"),
            ),
            Kind::InvalidDate { text } => Msg::new(
                format!("даты `{text}` не существует"),
                format!("date `{text}` does not exist"),
            ),
            Kind::Undefined { entity, name, .. } => {
                let e = entity.name();
                Msg::new(
                    format!("не определено: {} `{name}`", e.ru),
                    format!("undefined {} `{name}`", e.en),
                )
            }
            Kind::Duplicate { entity, name } => {
                let e = entity.name();
                Msg::new(
                    format!("повторное определение: {} `{name}`", e.ru),
                    format!("{} `{name}` is defined more than once", e.en),
                )
            }
            Kind::UnknownCounter { name, .. } => Msg::new(
                format!("неизвестный счётчик `{name}`"),
                format!("unknown counter `{name}`"),
            ),
            Kind::DuplicateAttribute { attribute } => Msg::new(
                format!("параметр `{attribute}` указан дважды"),
                format!("attribute `{attribute}` is given twice"),
            ),
            Kind::DuplicateSection { section } => Msg::new(
                format!("раздел «{}» указан дважды", section.ru),
                format!("section `{}` is given twice", section.en),
            ),
            Kind::UnknownPipelineKind { value, .. } => Msg::new(
                format!("неизвестный вид воронки `{value}`"),
                format!("unknown pipeline kind `{value}`"),
            ),
            Kind::InvalidCrmCode { code } => Msg::new(
                format!("код этапа `{code}` должен состоять из латинских букв, цифр и `_`"),
                format!("stage code `{code}` must be ASCII letters, digits and `_`"),
            ),
            Kind::UnknownLintCode { code, .. } => Msg::new(
                format!("неизвестный код правила `{code}`"),
                format!("unknown lint code `{code}`"),
            ),
            Kind::SeasonalityCount { count } => Msg::new(
                format!("сезонность задана на {count} мес., нужно 12 (январь–декабрь)"),
                format!("seasonality has {count} months, 12 are needed (January to December)"),
            ),
            Kind::InvalidColour { value } => Msg::new(
                format!("неизвестный цвет `{value}`"),
                format!("unknown colour `{value}`"),
            ),
            Kind::EmptyRange { low, high } => Msg::new(
                format!("минимум `{low}` больше максимума `{high}`"),
                format!("minimum `{low}` is above maximum `{high}`"),
            ),
            Kind::EmptyPipeline { name } => Msg::new(
                format!("в воронке `{name}` нет ни одного этапа"),
                format!("pipeline `{name}` has no stages"),
            ),
            Kind::NotWhole { text } => Msg::new(
                format!("ожидалось целое число, найдено `{text}`"),
                format!("a whole number was expected, found `{text}`"),
            ),
            Kind::InvalidParameter { what } => Msg::new(
                format!("недопустимый параметр распределения: {}", what.ru),
                format!("invalid distribution parameter: {}", what.en),
            ),
            Kind::OutOfRange { text, range } => Msg::new(
                format!("значение `{text}` вне допустимого диапазона ({})", range.ru),
                format!("value `{text}` is out of range ({})", range.en),
            ),
            Kind::IncludedTwice { path } => Msg::new(
                format!("файл `{path}` уже подключён, повторное подключение пропущено"),
                format!("file `{path}` is already included; this include is skipped"),
            ),
            Kind::DecimalCommaList => Msg::new(
                "запятая между цифрами без пробела читается как десятичная",
                "a comma between digits without a space is read as a decimal comma",
            ),
            Kind::UnreachableStage { stage } => Msg::new(
                format!("на этап `{stage}` не ведёт ни один переход и ни один канал"),
                format!("no transition and no channel leads to stage `{stage}`"),
            ),
            Kind::DeadEnd { stages } => {
                let c = stages.join(" → ");
                Msg::new(
                    format!("из этапов {c} нет пути ни в `выиграно`, ни в `проиграно`"),
                    format!("no path leads from stages {c} to `won` or `lost`"),
                )
            }
            Kind::ClosedLoop { stages } => {
                let c = stages.join(" → ");
                Msg::new(
                    format!("из цикла {c} сделка выходит с вероятностью 0: она будет ходить по кругу"),
                    format!("the loop {c} is left with probability 0: a deal would circle forever"),
                )
            }
            Kind::SharesOverflow { failure, total } => {
                let (ru, en) = if *failure {
                    ("доли отказов (`отказ`)", "the failure shares (`failure`)")
                } else {
                    (
                        "доли веток успеха (`ветка`)",
                        "the success branch shares (`branch`)",
                    )
                };
                Msg::new(
                    format!("{ru} в сумме дают {}, больше 100 %", pct(*total, Lang::Ru)),
                    format!("{en} add up to {}, above 100%", pct(*total, Lang::En)),
                )
            }
            Kind::NeverTaken { why } => Msg::new(
                format!("этот переход никогда не выполняется: {}", why.ru),
                format!("this transition is never taken: {}", why.en),
            ),
            Kind::NoOwner { stage } => Msg::new(
                format!("у этапа `{stage}` нет ответственного"),
                format!("stage `{stage}` has no owner"),
            ),
            Kind::AttemptsWithoutOutcome { attempts } => Msg::new(
                format!(
                    "после {attempts} {} неясно, куда уходит клиент",
                    crate::diag::plural_ru(u64::from(*attempts), "попытки", "попыток", "попыток")
                ),
                format!("it is not said where the client goes after {attempts} failed attempts"),
            ),
            Kind::ChannelWithoutPipeline { channel } => Msg::new(
                format!("канал `{channel}` не передаёт лиды ни в одну воронку"),
                format!("channel `{channel}` feeds no pipeline"),
            ),
            Kind::UnfedPipeline { pipeline } => Msg::new(
                format!("в воронку `{pipeline}` не ведёт ни один канал и ни одна передача из другой воронки"),
                format!("no channel and no hand-off from another pipeline feeds pipeline `{pipeline}`"),
            ),
            Kind::CounterNeverProduced { counter, why } => Msg::new(
                format!("счётчик `{}` всегда равен нулю: {}", counter.ru, why.ru),
                format!("counter `{}` is always zero: {}", counter.en, why.en),
            ),
            Kind::PlanWithoutHorizon => Msg::new(
                "у плана нет горизонта планирования",
                "the plan has no planning horizon",
            ),
            Kind::ErrorNotAdjustable { code } => Msg::new(
                format!("`{code}` — ошибка, её уровень изменить нельзя"),
                format!("`{code}` is an error; its level cannot be changed"),
            ),
            Kind::SpanOfControl { head, reports } => Msg::new(
                format!(
                    "у руководителя `{head}` {} прямых подчинённых на человека, больше 7",
                    num(*reports, Lang::Ru)
                ),
                format!(
                    "head `{head}` has {} direct reports per person, more than 7",
                    num(*reports, Lang::En)
                ),
            ),
            Kind::FewSalespeople { count } => Msg::new(
                format!(
                    "в отделе {count} {}, меньше трёх",
                    crate::diag::plural_ru(u64::from(*count), "продавец", "продавца", "продавцов")
                ),
                format!("the department has {count} salespeople, fewer than 3"),
            ),
            Kind::SeveralChannels { role, channels } => {
                let c = channels.join("`, `");
                Msg::new(
                    format!("роль `{role}` работает в нескольких каналах: `{c}`"),
                    format!("role `{role}` works several channels: `{c}`"),
                )
            }
            Kind::LowConversion { stage, conversion } => Msg::new(
                format!(
                    "конверсия этапа `{stage}` {} — ниже 20 %",
                    pct(*conversion, Lang::Ru)
                ),
                format!(
                    "stage `{stage}` converts {}, below 20%",
                    pct(*conversion, Lang::En)
                ),
            ),
            Kind::NoChain { stage } => Msg::new(
                format!("у этапа `{stage}` нет цепочки контактов"),
                format!("stage `{stage}` has no contact chain"),
            ),
            Kind::NoExitCriterion { stage } => Msg::new(
                format!("у этапа `{stage}` нет критерия выхода"),
                format!("stage `{stage}` has no exit criterion"),
            ),
            Kind::ExitNotPayment { pipeline, stages } => {
                let st = stages.join("`, `");
                let (ru, en) = if stages.len() == 1 {
                    ("сделку закрывает этап", "deals are closed by stage")
                } else {
                    ("сделки закрывают этапы", "deals are closed by stages")
                };
                Msg::new(
                    format!(
                        "выход воронки `{pipeline}` не привязан к поступлению оплаты: у воронки нет `выход оплата`, а {ru} `{st}` без счёта в цепочке"
                    ),
                    format!(
                        "the exit of pipeline `{pipeline}` is not tied to payment received: it has no `exit payment`, and {en} `{st}` with no invoice in the chain"
                    ),
                )
            }
            Kind::KpiWithoutTarget { kpi } => Msg::new(
                format!("у показателя `{kpi}` нет цели"),
                format!("KPI `{kpi}` has no target"),
            ),
            Kind::LeadingNotDaily { kpi } => Msg::new(
                format!("опережающий показатель `{kpi}` не контролируется ежедневно"),
                format!("leading KPI `{kpi}` is not controlled daily"),
            ),
            Kind::KpiUncovered { kpi } => Msg::new(
                format!("показатель `{kpi}` не входит ни в один контроль и ни в один отчёт"),
                format!("KPI `{kpi}` is in no control and no report"),
            ),
            Kind::ControlWithoutPeriod { control } => Msg::new(
                format!("у контроля {control} не указана периодичность"),
                format!("control {control} has no period"),
            ),
            Kind::ControlWithoutRecipient { control } => Msg::new(
                format!("у контроля {control} не указано, кому отчитываются о результатах"),
                format!("control {control} does not say whom its results go to"),
            ),
            Kind::PayNotTied { role } => Msg::new(
                format!("оплата роли `{role}` не привязана ни к одному показателю"),
                format!("the pay of role `{role}` is tied to no KPI"),
            ),
            Kind::NormsDoNotFit {
                role,
                demanded,
                available,
            } => Msg::new(
                format!(
                    "нормативы роли `{role}` требуют {} в день, а на продажи есть {}",
                    minutes(*demanded, Lang::Ru),
                    minutes(*available, Lang::Ru)
                ),
                format!(
                    "the norms of role `{role}` need {} a day, but {} are available for selling",
                    minutes(*demanded, Lang::En),
                    minutes(*available, Lang::En)
                ),
            ),
            Kind::MissingSection { section } => Msg::new(
                format!("в положении нет раздела «{}»", section.ru),
                format!("the regulation has no section: {}", section.en),
            ),
            Kind::RoleOverloaded { role, load } => Msg::new(
                format!(
                    "роль `{role}` перегружена: ожидаемый поток сделок требует {} её рабочего времени",
                    pct(*load, Lang::Ru)
                ),
                format!(
                    "role `{role}` is overloaded: the expected deal flow needs {} of its working time",
                    pct(*load, Lang::En)
                ),
            ),
            Kind::KpiWeights { role, total } => Msg::new(
                format!(
                    "веса показателей роли `{role}` в сумме дают {}, а не 100 %",
                    pct(*total, Lang::Ru)
                ),
                format!(
                    "the KPI weights of role `{role}` add up to {}, not 100%",
                    pct(*total, Lang::En)
                ),
            ),
            Kind::ChecklistWeights { checklist, total } => Msg::new(
                format!(
                    "веса критериев чек-листа `{checklist}` в сумме дают {}, а не 100",
                    num(*total, Lang::Ru)
                ),
                format!(
                    "the criteria weights of checklist `{checklist}` add up to {}, not 100",
                    num(*total, Lang::En)
                ),
            ),
            Kind::ResponseSlowerThanCold {
                channel,
                response,
                limit,
            } => Msg::new(
                format!(
                    "первый отклик канала `{channel}` ({}) дольше срока ожидания первого этапа ({}): лиды остынут раньше, чем нарушится норматив",
                    minutes(*response, Lang::Ru),
                    minutes(*limit, Lang::Ru)
                ),
                format!(
                    "channel `{channel}` allows a first response of {}, longer than the first stage's wait limit ({}): leads go cold before the norm is broken",
                    minutes(*response, Lang::En),
                    minutes(*limit, Lang::En)
                ),
            ),
            Kind::CrmLimit {
                crm,
                what,
                value,
                limit,
            } => Msg::new(
                format!("{crm}: {} — {value}, а допускается не больше {limit}", what.ru),
                format!("{crm}: {} is {value}, at most {limit} is allowed", what.en),
            ),
            Kind::CrmColour { value, chosen } => Msg::new(
                format!("цвета `{value}` нет в палитре amoCRM; будет отправлен ближайший `{chosen}`"),
                format!("colour `{value}` is not in the amoCRM palette; the nearest, `{chosen}`, is sent"),
            ),
            Kind::CrmLimitUnconfirmed {
                crm,
                what,
                value,
                limit,
            } => Msg::new(
                format!(
                    "{crm}: {} — {value}, а прежняя версия API допускала не больше {limit}",
                    what.ru
                ),
                format!(
                    "{crm}: {} is {value}, the previous API version allowed at most {limit}",
                    what.en
                ),
            ),
            Kind::ColourBandUnit {
                text,
                unit,
                needs_target: true,
                ..
            } => Msg::new(
                format!(
                    "граница цвета `{text}` записана в единицах показателя (`{unit}`), но цель — не одно число: долю цели не вычислить"
                ),
                format!(
                    "colour bound `{text}` is in the KPI's unit (`{unit}`), but the target is not a single number to take a share of"
                ),
            ),
            Kind::ColourBandUnit { text, unit, .. } if unit.is_empty() => Msg::new(
                format!(
                    "граница цвета `{text}` — не доля цели в процентах и не число без единиц, как у показателя"
                ),
                format!(
                    "colour bound `{text}` is neither a percentage of the target nor a plain number like the KPI"
                ),
            ),
            Kind::ColourBandUnit { text, unit, .. } => Msg::new(
                format!(
                    "граница цвета `{text}` — не доля цели в процентах и не значение в единицах показателя (`{unit}`)"
                ),
                format!(
                    "colour bound `{text}` is neither a percentage of the target nor a value in the KPI's unit (`{unit}`)"
                ),
            ),
            Kind::ReachWithoutOutcome { reach } => Msg::new(
                format!(
                    "дозвон {} — но не сказано, куда уходит клиент, до которого не дозвонились",
                    pct(*reach, Lang::Ru)
                ),
                format!(
                    "reach {} — but it is not said where an unreached client goes",
                    pct(*reach, Lang::En)
                ),
            ),
            Kind::AttemptsWithoutReach { attempts } => Msg::new(
                format!(
                    "{attempts} {} без доли дозвона: прогноз считает, что клиент отвечает с первой попытки, и не учитывает ни переход `иначе`, ни повторные попытки",
                    crate::diag::plural_ru(u64::from(*attempts), "попытка", "попытки", "попыток")
                ),
                format!(
                    "{attempts} attempts without a reach rate: the forecast takes every client as reached at the first attempt and leaves out both the `otherwise` route and the repeated attempts"
                ),
            ),
            Kind::UnstaffedOwner { role, work } => Msg::new(
                format!(
                    "{} ведёт роль `{role}`, а в ней штат 0 и найма нет: эту работу некому делать",
                    work.ru
                ),
                format!(
                    "{} is owned by role `{role}`, which has headcount 0 and no hires: nobody does this work",
                    work.en
                ),
            ),
            Kind::StaffedOnlyByHires { role, work } => Msg::new(
                format!(
                    "{} ведёт роль `{role}`, а в ней штат 0 до первого найма: до тех пор эту работу некому делать",
                    work.ru
                ),
                format!(
                    "{} is owned by role `{role}`, which has headcount 0 until its first hire: until then nobody does this work",
                    work.en
                ),
            ),
            Kind::Confusable { name, why } => Msg::new(
                format!("имя `{name}` легко спутать: {}", why.ru),
                format!("name `{name}` is easily confused: {}", why.en),
            ),
            Kind::LongName { name, bytes, limit } => Msg::new(
                format!(
                    "имя `{name}…` длиной {bytes} байт длиннее {limit}: в именах файлов документов оно будет сокращено"
                ),
                format!(
                    "name `{name}…` is {bytes} bytes long, over {limit}: the file names of the documents shorten it"
                ),
            ),
            Kind::RetargetingBySeller { pipeline, role } => Msg::new(
                format!("ретаргетинговую воронку `{pipeline}` ведёт продающая роль `{role}`"),
                format!("retargeting pipeline `{pipeline}` is worked by selling role `{role}`"),
            ),
            Kind::SoftSalaryWeak {
                role,
                share: Some(share),
            } => Msg::new(
                format!(
                    "мягкий оклад роли `{role}` — {} оклада, меньше 20 %: от выполнения показателей почти ничего не зависит",
                    pct(*share, Lang::Ru)
                ),
                format!(
                    "the soft salary of role `{role}` is {} of the salary, below 20%: next to nothing depends on the KPIs",
                    pct(*share, Lang::En)
                ),
            ),
            Kind::SoftSalaryWeak { role, share: None } => Msg::new(
                format!(
                    "мягкий оклад роли `{role}` не привязан ни к одному показателю с весом: неясно, от чего зависит его выплата"
                ),
                format!(
                    "the soft salary of role `{role}` is tied to no KPI with a weight: it is unclear what its payout depends on"
                ),
            ),
            Kind::NoCallQualityControl { calls } => Msg::new(
                format!(
                    "в цепочках этапов {calls} {}, но ни один контроль не оценивает звонки по чек-листу звонка",
                    crate::diag::plural_ru(*calls as u64, "звонок", "звонка", "звонков")
                ),
                format!(
                    "the stages' chains hold {calls} call{}, but no control scores calls with a call checklist",
                    if *calls == 1 { "" } else { "s" }
                ),
            ),
            Kind::QualityOverloaded {
                role,
                demanded,
                available,
            } => Msg::new(
                format!(
                    "выборка контроля качества роли `{role}` требует {} в день, а у роли остаётся {}",
                    minutes(*demanded, Lang::Ru),
                    minutes(*available, Lang::Ru)
                ),
                format!(
                    "the quality sampling of role `{role}` needs {} a day, but the role has {} left",
                    minutes(*demanded, Lang::En),
                    minutes(*available, Lang::En)
                ),
            ),
            Kind::HunterOwnsPayment { role, stage } => Msg::new(
                format!("хантер `{role}` ведёт этап оплаты `{stage}`"),
                format!("hunter `{role}` owns payment stage `{stage}`"),
            ),
            Kind::KpiTargetOffPlan {
                kpi,
                target,
                plan: (low, high),
                period,
                currency,
            } => {
                let v = |x: f64, lang: Lang| {
                    let n = crate::locale::number(x, 1, lang);
                    match currency {
                        Some(sign) => format!("{n}{}{sign}", crate::locale::NBSP),
                        None => n,
                    }
                };
                let flat = (high - low).abs() <= 1e-9 * high.abs().max(1.0);
                let (plan_ru, plan_en) = if flat {
                    (v(*low, Lang::Ru), v(*low, Lang::En))
                } else {
                    (
                        format!("от {} до {}", v(*low, Lang::Ru), v(*high, Lang::Ru)),
                        format!("{} to {}", v(*low, Lang::En), v(*high, Lang::En)),
                    )
                };
                Msg::new(
                    format!(
                        "цель показателя отдела `{kpi}` — {} {}, а план — {plan_ru} {}",
                        v(*target, Lang::Ru),
                        period.ru,
                        period.ru
                    ),
                    format!(
                        "department KPI `{kpi}` targets {} {}, but the plan is {plan_en} {}",
                        v(*target, Lang::En),
                        period.en,
                        period.en
                    ),
                )
            }
            Kind::KpiWithoutSource { kpi } => Msg::new(
                format!("у показателя `{kpi}` нет ни формулы, ни источника данных"),
                format!("KPI `{kpi}` has neither a formula nor a data source"),
            ),
            Kind::BadCalendar { text, why, .. } => {
                Msg::new(format!("`{text}`: {}", why.ru), format!("`{text}`: {}", why.en))
            }
            Kind::ContactDeadline { contact, why, .. } => Msg::new(
                format!("срок контакта «{contact}» {}", why.ru),
                format!("the deadline of contact \"{contact}\" {}", why.en),
            ),
            Kind::RetrySchedule { contact, why, .. } => Msg::new(
                format!("повторы контакта «{contact}»: {}", why.ru),
                format!("retries of contact \"{contact}\": {}", why.en),
            ),
            Kind::CalendarMismatch { why, .. } => why.clone(),
            Kind::ScheduleUncovered { role, why, .. } => Msg::new(
                format!("график роли `{role}`: {}", why.ru),
                format!("the schedule of role `{role}`: {}", why.en),
            ),
            Kind::UnknownCounterScope { entity, name, .. } => Msg::new(
                format!("в положении нет {} `{name}`", entity.ru),
                format!("no {} `{name}` is defined", entity.en),
            ),
            Kind::CounterArgument {
                counter,
                arg,
                missing: true,
                ..
            } => Msg::new(
                format!("счётчику `{counter}` не хватает аргументов: `{counter}({arg})`"),
                format!("counter `{counter}` lacks arguments: `{counter}({arg})`"),
            ),
            Kind::CounterArgument { counter, arg, .. } => Msg::new(
                format!("счётчик `{counter}` не принимает аргумент `{arg}`"),
                format!("counter `{counter}` does not take the argument `{arg}`"),
            ),
            Kind::TalkExceedsWork { talk, work } => Msg::new(
                format!(
                    "разговор {} мин дольше работы по контакту ({} мин)",
                    num(*talk, Lang::Ru),
                    num(*work, Lang::Ru)
                ),
                format!(
                    "talk time {} min is longer than the contact's work ({} min)",
                    num(*talk, Lang::En),
                    num(*work, Lang::En)
                ),
            ),
            Kind::NestedChange => Msg::new("`изменение` внутри `изменение`", "`change` inside `change`"),
            Kind::ChangeWithoutBase { kpi, base, horizon } => Msg::new(
                format!(
                    "у показателя `{kpi}` нет базы для сравнения с {}: в горизонте прогноза {horizon} мес.",
                    base.ru
                ),
                format!(
                    "KPI `{kpi}` has no base to compare with the {}: the forecast horizon is {horizon} months",
                    base.en
                ),
            ),
            Kind::CounterAlwaysZero { counter, reason } => Msg::new(
                format!("счётчик `{counter}` всегда равен нулю: {}", reason.ru),
                format!("counter `{counter}` is always zero: {}", reason.en),
            ),
            Kind::BadThresholds { why } => Msg::new(
                format!("пороги классов не делят клиентов: {}", why.ru),
                format!("the class thresholds make no classes: {}", why.en),
            ),
            Kind::RangeUnitMismatch { low, high } => Msg::new(
                format!("концы диапазона `{low}..{high}` в разных единицах"),
                format!("the ends of range `{low}..{high}` are in different units"),
            ),
            Kind::UnknownReportKind { value, .. } => Msg::new(
                format!("неизвестный вид отчёта `{value}`"),
                format!("unknown report kind `{value}`"),
            ),
            Kind::ScoreWithoutControl { kpi, checklist } => Msg::new(
                format!(
                    "показатель `{kpi}` берёт балл чек-листа `{checklist}`, но ни один контроль не оценивает по нему выборку: данных не будет"
                ),
                format!(
                    "KPI `{kpi}` reads the score of checklist `{checklist}`, but no control samples contacts with it: it gets no data"
                ),
            ),
            Kind::SampleUncounted { why } => Msg::new(
                format!("время на выборку этого контроля не учтено в загрузке: {}", why.ru),
                format!(
                    "this control's sample time is not counted in the load: {}",
                    why.en
                ),
            ),
            Kind::UnknownCardField {
                card, field: None, ..
            } => Msg::new(
                format!("карточка `{card}` не определена"),
                format!("card `{card}` is not defined"),
            ),
            Kind::UnknownCardField {
                card,
                field: Some(field),
                ..
            } => Msg::new(
                format!("в карточке `{card}` нет поля «{field}»"),
                format!("card `{card}` has no field «{field}»"),
            ),
            Kind::DuplicateCardField { card, field } => Msg::new(
                format!("«{field}» уже есть в карточке `{card}`"),
                format!("«{field}» is already in card `{card}`"),
            ),
            Kind::BadFieldOption {
                field, empty: true, ..
            } => Msg::new(
                format!("пустое значение в списке поля «{field}»"),
                format!("an empty value in the list of field «{field}»"),
            ),
            Kind::BadFieldOption { field, option, .. } => Msg::new(
                format!("значение «{option}» повторяется в списке поля «{field}»"),
                format!("value «{option}» repeats in the list of field «{field}»"),
            ),
            Kind::AmbiguousField { field, cards } => {
                let names: Vec<String> = cards.iter().map(|c| format!("`{c}`")).collect();
                Msg::new(
                    format!("поле «{field}» есть в нескольких карточках: {}", names.join(", ")),
                    format!("field «{field}» is in several cards: {}", names.join(", ")),
                )
            }
            Kind::FieldNeverFilled { card, field } => Msg::new(
                format!("поле «{field}» карточки `{card}` не заполняется ни на одном этапе"),
                format!("field «{field}» of card `{card}` is filled at no stage"),
            ),
            Kind::FieldNotInCard { field, .. } => Msg::new(
                format!(
                    "поля «{field}» нет ни в одной карточке, но есть похожее: в CRM оно будет отдельным текстовым полем"
                ),
                format!(
                    "no card has field «{field}», but one has a similar name: the CRM gets it as a separate text field"
                ),
            ),
            Kind::TriggerIncomplete { trigger, missing } => Msg::new(
                format!("у триггера {trigger} нет `{}`", missing.ru),
                format!("trigger {trigger} has no `{}`", missing.en),
            ),
            Kind::TriggerColourMissing {
                kpi,
                colour,
                has_colours: false,
            } => Msg::new(
                format!(
                    "триггер ждёт цвет «{}» показателя `{kpi}`, а у показателя нет `цвета`",
                    colour.ru
                ),
                format!(
                    "the trigger waits for KPI `{kpi}` to turn {}, but the KPI has no `colours`",
                    colour.en
                ),
            ),
            Kind::TriggerColourMissing { kpi, colour, .. } => Msg::new(
                format!("у показателя `{kpi}` нет цвета «{}» в `цвета`", colour.ru),
                format!("KPI `{kpi}` has no {} band in its `colours`", colour.en),
            ),
            Kind::TriggerWithoutRole { trigger } => Msg::new(
                format!("триггер {trigger} создаёт работу, но не сказано, чью"),
                format!("trigger {trigger} creates work but names no role to do it"),
            ),
            Kind::BadCadence { text } => Msg::new(
                format!("`{text}` — не число раз: нужно положительное число без единиц"),
                format!("`{text}` is not a number of times: a positive number without a unit is needed"),
            ),
            Kind::TriggerPastLimit { stage, longer, limit } => Msg::new(
                format!(
                    "триггер сработает через {longer}, а лимит этапа `{stage}` — {} раб. дн: сделка уже просрочена",
                    num(*limit, Lang::Ru)
                ),
                format!(
                    "the trigger fires after {longer}, but stage `{stage}` has a limit of {} working days: the deal is already overdue",
                    num(*limit, Lang::En)
                ),
            ),
            Kind::TriggerNeverFires {
                stage,
                longer,
                longest,
            } => Msg::new(
                format!(
                    "на этапе `{stage}` сделка бывает не дольше {} раб. дн: триггер «дольше {longer}» не сработает",
                    num(*longest, Lang::Ru)
                ),
                format!(
                    "a deal stays in stage `{stage}` at most {} working days: the trigger «longer than {longer}» never fires",
                    num(*longest, Lang::En)
                ),
            ),
            Kind::DiscountBandsOverlap { first, second } => Msg::new(
                format!(
                    "диапазоны скидок `{first}` и `{second}` пересекаются: непонятно, кто согласует скидку из обоих"
                ),
                format!(
                    "discount bands `{first}` and `{second}` overlap: it is unclear who approves a discount in both"
                ),
            ),
            Kind::ScaleStepsOverlap { role, first, second } => Msg::new(
                format!("ступени `{first}` и `{second}` шкалы премии роли `{role}` пересекаются"),
                format!("steps `{first}` and `{second}` of role `{role}`'s bonus scale overlap"),
            ),
            Kind::ScaleGap { role, from, to } => {
                let (ru, en) = gap_words(*from, *to);
                Msg::new(
                    format!("шкала премии роли `{role}` ничего не говорит о выполнении плана {ru}"),
                    format!("role `{role}`'s bonus scale says nothing for plan fulfilment {en}"),
                )
            }
            Kind::DiscountGap { from, to } => {
                let (ru, en) = gap_words(*from, *to);
                Msg::new(
                    format!("скидку {ru} никто не согласует: между диапазонами матрицы пропуск"),
                    format!("nobody approves a discount {en}: the approval matrix has a gap"),
                )
            }
            Kind::PayRuleWithoutBase { what } => what.clone(),
            Kind::BadPercentile { why, .. }
            | Kind::BadPlanDate { why, .. }
            | Kind::BadTelephony { why, .. }
            | Kind::TimeOnDateField { why, .. }
            | Kind::TelephonyWithoutCalls { why, .. }
            | Kind::TimeOutsideHours { why, .. }
            | Kind::PercentileNotPerCase { why, .. }
            | Kind::BadRouting { why, .. }
            | Kind::PriorityEverywhere { why, .. } => why.clone(),
            Kind::TransferToItself { pipeline } => Msg::new(
                format!("триггер переводит клиента в воронку `{pipeline}`, за которой сам и следит"),
                format!("the trigger hands the client to `{pipeline}`, the pipeline it watches itself"),
            ),
            Kind::UnknownSegment { segment, classes } => Msg::new(
                format!("сегмента `{segment}` нет в анализе клиентов (классы: {classes})"),
                format!("the client analysis has no segment `{segment}` (classes: {classes})"),
            ),
            Kind::BadEvery { text } => Msg::new(
                format!("`{text}`: нужен положительный срок (`60 дн`, `2 нед`, `3 мес`)"),
                format!("`{text}`: a positive length of time is needed (`60 d`, `2 wk`, `3 mo`)"),
            ),
            Kind::InactivityShorterThanCycle {
                pipeline,
                quiet,
                cycle,
                repeat,
            } => {
                let (ru, en) = if *repeat {
                    (
                        "клиенты воронки `{p}` покупают снова в среднем через",
                        "clients of `{p}` buy again on average after",
                    )
                } else {
                    (
                        "сделка воронки `{p}` проходит этапы в среднем за",
                        "a deal of `{p}` goes through its stages on average in",
                    )
                };
                Msg::new(
                    format!(
                        "{} {} раб. дн, а триггер «без покупки {quiet}» сработает раньше — на обычных клиентах",
                        ru.replace("{p}", pipeline),
                        num(*cycle, Lang::Ru)
                    ),
                    format!(
                        "{} {} working days, and the trigger «no purchase {quiet}» fires earlier — on ordinary clients",
                        en.replace("{p}", pipeline),
                        num(*cycle, Lang::En)
                    ),
                )
            }
            Kind::EveryOverCapacity {
                trigger,
                role,
                hours,
                available,
            } => Msg::new(
                format!(
                    "плановые контакты «{trigger}» требуют {} ч в месяц, а у роли `{role}` на продажи {} ч",
                    num(*hours, Lang::Ru),
                    num(*available, Lang::Ru)
                ),
                format!(
                    "the recurring contacts «{trigger}» need {} h a month, and `{role}` has {} h for sales",
                    num(*hours, Lang::En),
                    num(*available, Lang::En)
                ),
            ),
            Kind::SegmentWithoutAnalysis { segment } => Msg::new(
                format!(
                    "сегмент `{segment}` ничем не определён: в положении нет отчёта `вид abc_клиентов` или `xyz_клиентов`"
                ),
                format!(
                    "nothing defines the segment `{segment}`: the regulation has no report `kind abc_clients` or `xyz_clients`"
                ),
            ),
            Kind::BadStarts { text, why } => {
                Msg::new(format!("`{text}`: {}", why.ru), format!("`{text}`: {}", why.en))
            }
            Kind::StartsMissing { stage, what } => Msg::new(
                format!("`{what}` у этапа `{stage}` без `старт`: не к чему относить набор и группу"),
                format!("`{what}` on stage `{stage}` without `start`: no start to enrol or group for"),
            ),
            Kind::BadGroup { text, why } => {
                Msg::new(format!("`{text}`: {}", why.ru), format!("`{text}`: {}", why.en))
            }
            Kind::EachStartWithoutStarts { stage } => Msg::new(
                format!("у этапа `{stage}` нет `старт`: перед чем повторять контакт, неизвестно"),
                format!("stage `{stage}` has no `start`: nothing to repeat the contact before"),
            ),
            Kind::GroupBelowMinimum { stage, expected, min } => Msg::new(
                format!(
                    "на старт этапа `{stage}` в среднем приходит {} чел., а группе нужно не меньше {} — группы не наберутся",
                    num(*expected, Lang::Ru),
                    num(*min, Lang::Ru)
                ),
                format!(
                    "stage `{stage}` gets {} people per start on average, and a group needs at least {} — groups will not run",
                    num(*expected, Lang::En),
                    num(*min, Lang::En)
                ),
            ),
            Kind::GroupAboveMaximum { stage, expected, max } => Msg::new(
                format!(
                    "на старт этапа `{stage}` в среднем приходит {} чел., а в группу помещается {} — нужно больше групп или лист ожидания",
                    num(*expected, Lang::Ru),
                    num(*max, Lang::Ru)
                ),
                format!(
                    "stage `{stage}` gets {} people per start on average, and a group holds {} — more groups or a waiting list are needed",
                    num(*expected, Lang::En),
                    num(*max, Lang::En)
                ),
            ),
            Kind::ExitOutcomeNever { stage, outcome } => Msg::new(
                format!(
                    "у этапа `{stage}` не бывает исхода «{}»: триггер не сработает",
                    outcome.ru
                ),
                format!(
                    "stage `{stage}` never ends in «{}»: the trigger will not fire",
                    outcome.en
                ),
            ),
            Kind::ChannelConversionTwice { channel } => Msg::new(
                format!("канал `{channel}` уже назван в `конверсия_по_каналам` этого этапа"),
                format!("channel `{channel}` is already named in this stage's `conversion_by_channel`"),
            ),
            Kind::ChannelConversionUnfed { channel, pipeline } => Msg::new(
                format!(
                    "канал `{channel}` не ведёт в воронку `{pipeline}`: его конверсия на этом этапе никогда не применится"
                ),
                format!(
                    "channel `{channel}` does not feed pipeline `{pipeline}`: its conversion at this stage never applies"
                ),
            ),
            Kind::UnknownCondField {
                field,
                card: Some(card),
                ..
            } => Msg::new(
                format!("в карточке `{card}` нет поля «{field}»"),
                format!("card `{card}` has no field \"{field}\""),
            ),
            Kind::UnknownCondField {
                field,
                cards_written: true,
                ..
            } => Msg::new(
                format!("поля «{field}» нет ни в одной карточке"),
                format!("no card has a field \"{field}\""),
            ),
            Kind::UnknownCondField { field, .. } => Msg::new(
                format!("условие по полю «{field}», но в положении нет карточки с его типом"),
                format!("a condition on field \"{field}\", but the regulation has no card to type it"),
            ),
            Kind::CondTypeMismatch {
                field,
                kind,
                expected,
            } => Msg::new(
                format!("поле «{field}» — {}: {}", kind.ru, expected.ru),
                format!("field \"{field}\" is {}: {}", kind.en, expected.en),
            ),
            Kind::CondValueNotInList {
                field,
                value,
                options,
                ..
            } => Msg::new(
                format!("у поля «{field}» нет значения «{value}» (есть: {options})"),
                format!("field \"{field}\" has no value \"{value}\" (it has: {options})"),
            ),
            Kind::FieldSegmentsOverfull { stage, total } => Msg::new(
                format!(
                    "сегменты этапа `{stage}` вместе берут {} его заявок — больше 100 %",
                    pct(*total, Lang::Ru)
                ),
                format!(
                    "the segments of stage `{stage}` take {} of its leads together — over 100%",
                    pct(*total, Lang::En)
                ),
            ),
            Kind::CondFieldNotFilled {
                field,
                stage: Some(stage),
            } => Msg::new(
                format!(
                    "поле «{field}» не заполняется ни на этапе `{stage}`, ни до него: условие нечем проверить"
                ),
                format!(
                    "field \"{field}\" is filled neither at stage `{stage}` nor before it: nothing to test the condition on"
                ),
            ),
            Kind::CondFieldNotFilled { field, stage: None } => Msg::new(
                format!("поле «{field}» не заполняется ни на одном этапе: триггеру нечего проверять"),
                format!("field \"{field}\" is filled at no stage: the trigger has nothing to test"),
            ),
            Kind::CondNeverTrue {
                condition,
                duplicate: true,
            } => Msg::new(
                format!(
                    "сегмент с условием {condition} уже есть на этом этапе: второй не получит ни одной заявки"
                ),
                format!(
                    "a segment with the condition {condition} is already on this stage: the second gets no lead"
                ),
            ),
            Kind::CondNeverTrue { condition, .. } => Msg::new(
                format!("условие {condition} никогда не выполнится: число в поле не бывает отрицательным"),
                format!("the condition {condition} never holds: a field's number is never negative"),
            ),
        }
    }

    pub fn help(&self) -> Option<Msg> {
        let m = |ru: &str, en: &str| Some(Msg::new(ru, en));
        match self {
            Kind::Syntax {
                suggestion: Some(_), ..
            } => match self {
                Kind::Syntax { suggestion, .. } => suggest(suggestion),
                _ => None,
            },
            Kind::Syntax {
                number_expected: true,
                ..
            } => m(
                "здесь нужно число, записанное цифрами: `5`, `2.5`, `40%`",
                "a number is expected here, written in digits: `5`, `2.5`, `40%`",
            ),
            Kind::Syntax { .. } => m(
                "проверьте написание ключевых слов и парность скобок `{ }`; строки берутся в кавычки",
                "check keyword spelling and that braces `{ }` pair up; strings go in double quotes",
            ),
            Kind::InvalidUtf8 { .. } => m(
                "сохраните файл в кодировке UTF-8 (в Блокноте: «Сохранить как» → кодировка UTF-8)",
                "save the file as UTF-8",
            ),
            Kind::EmptyFile => m(
                "начните с заголовка: положение \"Отдел продаж\" { версия \"1.0\" }",
                "start with a header: regulation \"Sales\" { version \"1.0\" }",
            ),
            Kind::FileNotFound { included: true, .. } => m(
                "путь в `подключить` считается от папки подключающего файла",
                "an include path is relative to the including file's folder",
            ),
            Kind::FileNotFound { .. } => m(
                "проверьте путь: он считается от текущей папки",
                "check the path: it is relative to the current folder",
            ),
            Kind::IncludeCycle { .. } => m(
                "уберите одно из подключений цикла",
                "remove one of the includes in the cycle",
            ),
            Kind::DataFile { help, .. } => help.clone(),
            Kind::ForbiddenChar { .. } => m(
                "удалите его: управляющие символы ломают DOCX, а bidi-символы меняют порядок текста на экране",
                "remove it: control characters break DOCX, bidi characters reorder the text on screen",
            ),
            Kind::TwoDelays => m(
                "оставьте один срок: отказ -> Прогрев через 30 дн причина НеСейчас",
                "keep one delay: failure -> Nurture after 30 days reason NotNow",
            ),
            Kind::AfterWinNotAStage => m(
                "назовите воронку, куда передаётся клиент: после_выигрыша -> Сопровождение",
                "name the pipeline the client is handed to: after_win -> Accounts",
            ),
            Kind::HorizonOutOfRange { .. } => m(
                "прогноз дальше 10 лет не имеет смысла; для долгого плана задайте `горизонт 120 мес`",
                "a forecast past 10 years means nothing; for a long plan write `horizon 120 months`",
            ),
            Kind::TooManyIncludes { .. } => m(
                "подключайте части из одного главного файла, а не цепочкой",
                "include the parts from one main file, not in a chain",
            ),
            Kind::TooManyItems { .. } => m(
                "разделите положение на несколько: по отделу или по направлению продаж",
                "split the regulation into several: by department or by line of business",
            ),
            Kind::FormulaTooLong { .. } => m(
                "упростите формулу: формулы показателей укладываются в десяток операций",
                "simplify the formula: KPI formulas take a dozen operations at most",
            ),
            Kind::TooDeep { .. } | Kind::TooLarge { .. } | Kind::ParserBudget => m(
                "разбейте файл на части через `подключить` или упростите выражение",
                "split the file with `include` or simplify the expression",
            ),
            Kind::NotAFile { .. } => m("укажите путь к файлу .sales", "give the path of a .sales file"),
            Kind::NumberOutOfRange { .. } => m(
                "числа должны быть конечными и не больше 10^15",
                "numbers must be finite and at most 10^15",
            ),
            Kind::ProbabilityOutOfRange { .. } => m(
                "вероятность пишется как `40%` или `0.4`",
                "write a probability as `40%` or `0.4`",
            ),
            Kind::WrongUnit { expected, .. } => {
                let e = expected.describe();
                Some(Msg::new(format!("укажите {}", e.ru), format!("write {}", e.en)))
            }
            Kind::Negative { .. } => None,
            Kind::InvalidDate { .. } => m("дата пишется как ГГГГ-ММ-ДД", "write dates as YYYY-MM-DD"),
            Kind::Undefined { suggestion, .. } | Kind::UnknownCounter { suggestion, .. } => {
                suggest(suggestion).or_else(|| match self {
                    Kind::UnknownCounter { .. } => m(
                        "список счётчиков — в docs/language.md",
                        "the counters are listed in docs/language.md",
                    ),
                    _ => m(
                        "имена чувствительны к регистру; определите элемент или исправьте имя",
                        "names are case-sensitive; define the item or fix the name",
                    ),
                })
            }
            Kind::UnknownPipelineKind { suggestion, .. } => suggest(suggestion).or_else(|| {
                m(
                    "виды: продажа, аккаунтинг, ретаргетинг, прогрев",
                    "kinds: sales, account, retargeting, nurturing",
                )
            }),
            Kind::Duplicate { .. } => m("переименуйте одно из определений", "rename one of them"),
            Kind::DuplicateAttribute { .. } | Kind::DuplicateSection { .. } => {
                m("оставьте одно значение", "keep one of them")
            }
            Kind::InvalidCrmCode { .. } => m("например: код MEETING_DONE", "for example: code MEETING_DONE"),
            Kind::UnknownLintCode { suggestion, .. } => suggest(suggestion).or_else(|| {
                m(
                    "коды правил перечислены в docs/diagnostics.md и в `voronka explain`",
                    "lint codes are listed in docs/diagnostics.md and by `voronka explain`",
                )
            }),
            Kind::SeasonalityCount { .. } => m(
                "перечислите 12 коэффициентов через запятую: 80%, 90%, …",
                "list 12 factors separated by commas: 80%, 90%, …",
            ),
            Kind::InvalidColour { .. } => m(
                "цвет пишется как \"#RRGGBB\" или словом: красный, оранжевый, жёлтый, зелёный, голубой, синий, фиолетовый, серый",
                "write a colour as \"#RRGGBB\" or a word: red, orange, yellow, green, cyan, blue, purple, grey",
            ),
            Kind::EmptyRange { .. } => m("поменяйте границы местами", "swap the bounds"),
            Kind::EmptyPipeline { .. } => m(
                "добавьте этапы: этап Квалификация { … }",
                "add stages: stage Qualification { … }",
            ),
            Kind::NotWhole { .. } => None,
            Kind::InvalidParameter { .. } => m(
                "треуг(мин, мода, макс) требует мин ≤ мода ≤ макс; логнорм(среднее, откл) — среднее больше нуля",
                "tri(min, mode, max) needs min ≤ mode ≤ max; lognormal(mean, sd) needs a mean above zero",
            ),
            Kind::OutOfRange { .. } => None,
            Kind::IncludedTwice { .. } => None,
            Kind::DecimalCommaList => m(
                "разделяйте элементы списка запятой с пробелом: `1, 2, 5`; десятичную часть — точкой: `2.5`",
                "separate list items by a comma and a space: `1, 2, 5`; write decimals with a point: `2.5`",
            ),
            Kind::UnreachableStage { .. } => m(
                "направьте на этап переход (`успех -> Этап`, `ветка 20% -> Этап`) или удалите его",
                "lead a transition to the stage (`success -> Stage`, `branch 20% -> Stage`) or remove it",
            ),
            Kind::DeadEnd { .. } => m(
                "добавьте этапу `конверсия` ниже 100 % или `успех -> выиграно`",
                "give the stage a `conversion` below 100% or `success -> won`",
            ),
            Kind::ClosedLoop { .. } => m(
                "дайте циклу выход с ненулевой вероятностью: `отказ -> проиграно` при конверсии ниже 100 %",
                "give the loop a way out with a non-zero probability: `failure -> lost` with a conversion below 100%",
            ),
            Kind::SharesOverflow { .. } => m(
                "доли считаются от успехов (для `ветка`) или от отказов (для `отказ`) этапа; уменьшите их",
                "shares are of the stage's successes (`branch`) or failures (`failure`); lower them",
            ),
            Kind::NeverTaken { .. } => m(
                "исправьте доли или конверсию этапа, либо удалите переход",
                "fix the shares or the stage's conversion, or remove the transition",
            ),
            Kind::NoOwner { .. } => m(
                "укажите роль: ответственный Менеджер",
                "name a role: owner Manager",
            ),
            Kind::AttemptsWithoutOutcome { .. } => m(
                "добавьте исход после попыток: иначе -> проиграно",
                "add the outcome after the attempts: otherwise -> lost",
            ),
            Kind::ChannelWithoutPipeline { .. } => m(
                "укажите воронку канала: воронка Продажа",
                "name the channel's pipeline: pipeline Sales",
            ),
            Kind::UnfedPipeline { .. } => m(
                "направьте в воронку канал (`воронка Имя` в канале) или передачу (`отказ 30% -> Имя`)",
                "feed the pipeline from a channel (`pipeline Name`) or a hand-off (`failure 30% -> Name`)",
            ),
            Kind::CounterNeverProduced { .. } => m(
                "добавьте в цепочку контакт этого вида или исправьте формулу",
                "add a contact of this kind to a chain or fix the formula",
            ),
            Kind::PlanWithoutHorizon => m(
                "укажите горизонт в плане или в заголовке положения: горизонт 12 мес",
                "give the horizon in the plan or the header: horizon 12 mo",
            ),
            Kind::ErrorNotAdjustable { .. } => m(
                "уровни задаются только предупреждениям (коды W…)",
                "levels apply to warnings only (W… codes)",
            ),
            Kind::SpanOfControl { .. } => m(
                "разделите команду между руководителями групп",
                "split the team between team leads",
            ),
            Kind::FewSalespeople { .. } => m(
                "при меньшем штате сравнить продавцов и подменить заболевшего некем",
                "with fewer people there is nobody to compare with or to cover for an absent one",
            ),
            Kind::SeveralChannels { .. } => m(
                "закрепите каждый канал за своей ролью (хантер, клоузер, фермер)",
                "give each channel its own role (hunter, closer, farmer)",
            ),
            Kind::LowConversion { .. } => m(
                "разбейте этап на два или пересмотрите квалификацию на входе",
                "split the stage in two or qualify leads harder before it",
            ),
            Kind::NoChain { .. } => m(
                "опишите контакты этапа: цепочка { звонок \"…\" 10 мин }",
                "describe the stage's contacts: chain { call \"…\" 10 min }",
            ),
            Kind::NoExitCriterion { .. } => m(
                "добавьте критерий_выхода \"…\": проверяемый факт, после которого сделка переходит дальше",
                "add exit_criterion \"…\": a checkable fact after which the deal moves on",
            ),
            Kind::ExitNotPayment { .. } => m(
                "продажа состоялась, когда деньги поступили: закройте воронку этапом со счётом в цепочке или напишите `выход оплата`",
                "a sale is made when the money arrives: close the pipeline with a stage that issues an invoice, or write `exit payment`",
            ),
            Kind::KpiWithoutTarget { .. } => m("добавьте цель: цель >= 30", "add a target: target >= 30"),
            Kind::LeadingNotDaily { .. } => m(
                "включите показатель в контроль или отчёт с периодом `ежедневно`",
                "list the KPI in a daily control or report",
            ),
            Kind::KpiUncovered { .. } => m(
                "перечислите показатель в контроле или отчёте: показатели Имя",
                "list the KPI in a control or a report: kpis Name",
            ),
            Kind::ControlWithoutPeriod { .. } => m("добавьте: период еженедельно", "add: period weekly"),
            Kind::ControlWithoutRecipient { .. } => m("добавьте: кому РОП", "add: to HeadOfSales"),
            Kind::PayNotTied { .. } => m(
                "назовите роль в показателях (`роли …`) и задайте им веса",
                "name the role in KPIs (`roles …`) and give them weights",
            ),
            Kind::NormsDoNotFit { .. } => m(
                "снизьте нормативы, сократите время контактов или увеличьте долю продаж",
                "lower the norms, shorten the contacts or raise the selling share",
            ),
            Kind::MissingSection { .. } => m(
                "разделы положения: воронка, показатели ролей и отдела, план, учёт, контроль, отчётность",
                "the sections: funnel, role and department KPIs, plan, accounting, control, reporting",
            ),
            Kind::RoleOverloaded { .. } => m(
                "подробности — `voronka analyze`; увеличьте штат или сократите работу на этапах",
                "see `voronka analyze`; add people or cut the work per stage",
            ),
            Kind::KpiWeights { .. } | Kind::ChecklistWeights { .. } => m("исправьте веса", "fix the weights"),
            Kind::ResponseSlowerThanCold { .. } => m(
                "сократите норматив отклика или увеличьте `ожидание` этапа",
                "shorten the response norm or raise the stage's `max_wait`",
            ),
            Kind::CrmLimit { .. } => m(
                "сократите модель (объедините этапы, укоротите названия) или выберите другую CRM; файлы не записаны",
                "shrink the model (merge stages, shorten names) or pick another CRM; nothing was written",
            ),
            Kind::CrmColour { .. } => m(
                "напишите один из 21 цвета amoCRM (список — `voronka explain W0022`) или цвет словом",
                "write one of the 21 amoCRM colours (see `voronka explain W0022`) or a colour word",
            ),
            Kind::CrmLimitUnconfirmed { .. } => m(
                "если CRM отклонит запрос, сократите название или число этапов",
                "if the CRM rejects the request, shorten the name or the number of stages",
            ),
            Kind::ColourBandUnit {
                needs_target: true, ..
            } => m(
                "задайте цель одним числом (`цель >= 45`) или запишите границу долей цели: `красный < 80%`",
                "give the target as one number (`target >= 45`) or write the bound as a share of the target: `red < 80%`",
            ),
            Kind::ColourBandUnit {
                fix: Some(fix), unit, ..
            } if unit == "%" => Some(Msg::new(
                format!("цвета задаются долей цели: напишите `{fix}`"),
                format!("bands are shares of the target: write `{fix}`"),
            )),
            Kind::ColourBandUnit {
                fix: Some(fix), unit, ..
            } => Some(Msg::new(
                format!("напишите долю цели (`{fix}`) или значение с единицей показателя (`{unit}`)"),
                format!("write a share of the target (`{fix}`) or a value with the KPI's unit (`{unit}`)"),
            )),
            Kind::ColourBandUnit { unit, .. } => Some(Msg::new(
                format!("напишите долю цели (`80%`) или значение в единицах показателя (`{unit}`)"),
                format!("write a share of the target (`80%`) or a value in the KPI's unit (`{unit}`)"),
            )),
            Kind::ReachWithoutOutcome { .. } => m(
                "добавьте исход для тех, до кого не дозвонились: иначе -> проиграно",
                "add the outcome for the clients not reached: otherwise -> lost",
            ),
            Kind::AttemptsWithoutReach { .. } => m(
                "укажите, какая доля попыток доходит до клиента: дозвон 50%",
                "say what share of attempts reaches the client: reach 50%",
            ),
            Kind::UnstaffedOwner { .. } => m(
                "укажите штат роли (`штат 2`), её найм (`найм 1 с 3 мес`) или поручите работу другой роли (`ответственный Менеджер`)",
                "give the role staff (`headcount 2`), a hire (`hires 1 with 3 months`) or hand the work to another role (`owner Manager`)",
            ),
            Kind::StaffedOnlyByHires { .. } => m(
                "если до найма работу делает другая роль, укажите её ответственной; иначе заявки ждут найма — прогноз это покажет",
                "if another role does the work until the hire, make it the owner; otherwise the leads wait for the hire, as the forecast shows",
            ),
            Kind::Confusable { .. } => m(
                "наберите имя заново одной раскладкой, без невидимых символов; если это разные вещи, назовите их непохоже",
                "retype the name in one keyboard layout, without invisible characters; if these are different things, give them distinct names",
            ),
            Kind::LongName { .. } => m(
                "сократите имя, а полное название задайте строкой: `роль Менеджер \"Менеджер по работе с ключевыми клиентами\" { … }`",
                "shorten the name and give the full title as a string: `role Manager \"Key account manager\" { … }`",
            ),
            Kind::RetargetingBySeller { .. } => m(
                "поручите ретаргетинг маркетингу или роли поддержки (`функция поддержка`): у продавца есть время только на тёплые сделки",
                "give retargeting to marketing or a support role (`function support`): a salesperson's time belongs to live deals",
            ),
            Kind::SoftSalaryWeak { share: Some(_), .. } => m(
                "сделайте мягкий оклад не меньше 20 % оклада (`мягкий_оклад 30%`) или уберите его",
                "make the soft salary at least 20% of the salary (`soft_salary 30%`) or drop it",
            ),
            Kind::SoftSalaryWeak { share: None, .. } => m(
                "назовите роль в показателях (`роли …`) и задайте им веса: `вес 50%`",
                "name the role in KPIs (`roles …`) and give them weights: `weight 50%`",
            ),
            Kind::NoCallQualityControl { .. } => m(
                "добавьте чек-лист звонка (`чек_лист Звонок { вид звонок; … }`) и контроль по нему: `контроль Прослушка { кто РОП; чек_лист Звонок; выборка 1 в день; … }`",
                "add a call checklist (`checklist Call { kind call; … }`) and a control that uses it: `control Listening { who Head; checklist Call; sample 1 per day; … }`",
            ),
            Kind::QualityOverloaded { .. } => m(
                "уменьшите выборку, добавьте роли штат или снимите с неё другую работу",
                "sample fewer contacts, add staff to the role or take other work off it",
            ),
            Kind::HunterOwnsPayment { .. } => m(
                "поручите этап оплаты клоузеру или фермеру: хантер открывает клиентов и передаёт их дальше",
                "give the payment stage to a closer or a farmer: a hunter opens clients and hands them on",
            ),
            Kind::KpiTargetOffPlan { .. } => m(
                "сделайте цель показателя равной плану (`план { … }`) или исправьте план",
                "make the KPI's target the plan's figure (`plan { … }`) or fix the plan",
            ),
            Kind::KpiWithoutSource { .. } => m(
                "задайте формулу над счётчиками (`формула выиграно / вошло`) или источник данных: `источник \"Отчёт телефонии\"`",
                "give a formula over counters (`formula won / entered`) or a data source: `source \"Telephony report\"`",
            ),
            Kind::BadCalendar { fix, .. }
            | Kind::ContactDeadline { fix, .. }
            | Kind::RetrySchedule { fix, .. }
            | Kind::CalendarMismatch { fix, .. }
            | Kind::ScheduleUncovered { fix, .. } => Some(fix.clone()),
            Kind::UnknownCounterScope { suggestion, .. } => suggest(suggestion).or_else(|| {
                m(
                    "имена чувствительны к регистру; определите элемент или исправьте имя",
                    "names are case-sensitive; define the item or fix the name",
                )
            }),
            Kind::CounterArgument { expected, .. } => Some(expected.clone()),
            Kind::TalkExceedsWork { .. } => m(
                "разговор — часть работы по контакту: увеличьте минуты контакта или сократите `разговор`",
                "talk is part of the contact's work: raise the contact's minutes or shorten `talk`",
            ),
            Kind::NestedChange => m(
                "сравнивайте сам показатель: `изменение(выручка, прошлый_год)`",
                "compare the value itself: `change(revenue, previous_year)`",
            ),
            Kind::ChangeWithoutBase { .. } => m(
                "увеличьте горизонт (`горизонт 24 мес`) или сравнивайте с прошлым периодом: `прошлый_период`",
                "lengthen the horizon (`horizon 24 mo`) or compare with the previous period: `previous_period`",
            ),
            Kind::CounterAlwaysZero { .. } => m(
                "укажите `разговор N мин` или направление (`исходящий`/`входящий`) у контактов цепочки",
                "give the chain's contacts `talk N min` or a direction (`outgoing`/`incoming`)",
            ),
            Kind::BadThresholds { .. } => m(
                "ABC: доли выручки классов по убыванию, в сумме 100 % (`пороги A 80%, B 15%, C 5%`); XYZ: возрастающие коэффициенты вариации, у последнего класса порога нет (`пороги X 10%, Y 25%, Z`)",
                "ABC: the classes' shares of revenue, largest first, summing to 100% (`thresholds A 80%, B 15%, C 5%`); XYZ: rising coefficients of variation, none for the last class (`thresholds X 10%, Y 25%, Z`)",
            ),
            Kind::RangeUnitMismatch { .. } => m(
                "напишите единицу один раз после диапазона: `5 000..10 000 ₽`",
                "write the unit once after the range: `5 000..10 000 ₽`",
            ),
            Kind::UnknownReportKind { suggestion, .. } => suggest(suggestion).or_else(|| {
                m(
                    "виды отчётов: `abc_клиентов` (ABC по выручке), `xyz_клиентов` (XYZ по стабильности закупок)",
                    "report kinds: `abc_clients` (ABC by revenue), `xyz_clients` (XYZ by the steadiness of purchases)",
                )
            }),
            Kind::ScoreWithoutControl { .. } => m(
                "добавьте контроль с этим чек-листом и выборкой: `контроль Прослушка { кто РОП; роли Менеджер; чек_лист …; выборка 2 в нед }`",
                "add a control with this checklist and a sample: `control Listening { who Head; roles Manager; checklist …; sample 2 per week }`",
            ),
            Kind::SampleUncounted { .. } => m(
                "укажите `кто` оценивает, `чек_лист` с `вид` контакта, который есть в цепочках проверяемых ролей, и период выборки (`выборка 2 в нед`)",
                "give `who` scores, a `checklist` with the `kind` of a contact the checked roles' chains make, and the sample's period (`sample 2 per week`)",
            ),
            Kind::UnknownCardField {
                suggestion: Some(s), ..
            } => Some(Msg::new(
                format!("возможно, имелось в виду «{s}»"),
                format!("did you mean «{s}»?"),
            )),
            Kind::UnknownCardField { field: None, .. } => m(
                "опишите карточку: `карточка Клиент { поле \"Отрасль\" текст }`",
                "describe the card: `card Client { field \"Industry\" text }`",
            ),
            Kind::UnknownCardField { .. } => m(
                "добавьте поле в карточку или исправьте название",
                "add the field to the card or fix the name",
            ),
            Kind::DuplicateCardField { .. } => m(
                "у каждого поля и группы карточки своё название",
                "give each field and group of a card its own name",
            ),
            Kind::BadFieldOption { .. } => m(
                "у каждого значения списка своё непустое название",
                "give each value of the list its own non-empty name",
            ),
            Kind::AmbiguousField { cards, field } => Some(Msg::new(
                format!(
                    "укажите карточку: `{}.\"{field}\"`",
                    cards.first().map_or("", String::as_str)
                ),
                format!(
                    "name the card: `{}.\"{field}\"`",
                    cards.first().map_or("", String::as_str)
                ),
            )),
            Kind::FieldNeverFilled { .. } => m(
                "назовите поле в `поля` этапа, на котором его заполняют, или отметьте `обязательное`",
                "name the field in the `fields` of the stage that fills it, or mark it `required`",
            ),
            Kind::FieldNotInCard {
                suggestion: Some(s), ..
            } => Some(Msg::new(
                format!("возможно, имелось в виду «{s}»"),
                format!("did you mean «{s}»?"),
            )),
            Kind::FieldNotInCard { .. } => m(
                "добавьте поле с типом в карточку: `поле \"…\" дата`",
                "add the field with its type to a card: `field \"…\" date`",
            ),
            Kind::TriggerIncomplete { .. } => m(
                "триггеру нужны событие и действие: `когда вход КП; действие звонок \"…\" 10 мин`",
                "a trigger needs an event and an action: `when entry Proposal; action call \"…\" 10 min`",
            ),
            Kind::TriggerColourMissing { .. } => m(
                "задайте показателю цвета: `цвета красный < 70%, жёлтый 70%..100%, зелёный >= 100%`",
                "give the KPI colours: `colours red < 70%, yellow 70%..100%, green >= 100%`",
            ),
            Kind::TriggerWithoutRole { .. } => m(
                "назовите роль: `ответственный Менеджер` (для события этапа по умолчанию — ответственный этапа)",
                "name the role: `owner Manager` (a stage event defaults to the stage's owner)",
            ),
            Kind::BadCadence { .. } => m(
                "пишите так: `частота 3 раза в нед`, `частота раз в мес`",
                "write it as `frequency 3 times per wk`, `frequency time per mo`",
            ),
            Kind::TriggerPastLimit { .. } => m(
                "поставьте срок триггера не позже лимита этапа — тогда сделку успеют спасти до просрочки — или увеличьте `лимит`",
                "set the trigger at or before the stage's limit so the deal is saved before it is overdue, or raise the `limit`",
            ),
            Kind::TriggerNeverFires { .. } => m(
                "уменьшите срок триггера или проверьте `длительность` этапа",
                "shorten the trigger's delay or check the stage's `duration`",
            ),
            Kind::DiscountBandsOverlap { .. } => m(
                "пусть диапазоны только касаются друг друга: `скидка до 5% Менеджер; скидка 5%..10% РОП` (граница — у нижнего)",
                "let the bands only touch: `discount up_to 5% Manager; discount 5%..10% Head` (the lower band holds the shared end)",
            ),
            Kind::ScaleStepsOverlap { .. } => m(
                "пусть ступени только касаются друг друга: `< 80% 4%, 80%..100% 6%, > 100% 8%`",
                "let the steps only touch: `< 80% 4%, 80%..100% 6%, > 100% 8%`",
            ),
            Kind::ScaleGap { .. } => m(
                "продолжите соседнюю ступень до начала следующей: `< 80% 4%, 80%..100% 6%`",
                "extend the step to where the next one starts: `< 80% 4%, 80%..100% 6%`",
            ),
            Kind::DiscountGap { .. } => m(
                "начните следующий диапазон там, где кончается предыдущий: `скидка до 5% Менеджер; скидка 5%..10% РОП`",
                "start the next band where the previous one ends: `discount up_to 5% Manager; discount 5%..10% Head`",
            ),
            Kind::PayRuleWithoutBase { .. } => m(
                "задайте `план { … }` для шкалы и порога, а роли, с которой берут долю премии, — `бонус`",
                "give a `plan { … }` for a scale or threshold, and a `bonus` to a role penalties take a share of",
            ),
            Kind::TransferToItself { .. } => m(
                "переводят в другую воронку: `действие перевести -> Привлечение`; задача в своей воронке — контакт (`действие звонок …`)",
                "hand the client to another pipeline: `action transfer -> Acquisition`; work in the same pipeline is a contact (`action call …`)",
            ),
            Kind::UnknownSegment { .. } => m(
                "сегмент — класс отчёта `вид abc_клиентов` (A, B, C) или `xyz_клиентов` (X, Y, Z) с его `пороги`",
                "a segment is a class of a report `kind abc_clients` (A, B, C) or `xyz_clients` (X, Y, Z) with its `thresholds`",
            ),
            Kind::BadEvery { .. } => m(
                "`без_покупки 60 дн`, `каждые 2 нед`, `каждый 1 кв`",
                "`no_purchase 60 d`, `every 2 wk`, `every 1 q`",
            ),
            Kind::InactivityShorterThanCycle { .. } => m(
                "возьмите срок длиннее обычного интервала между покупками (`без_покупки 9 мес`) или проверьте `повтор … через`",
                "take a period longer than the usual interval between purchases (`no_purchase 9 mo`) or check `repeat … after`",
            ),
            Kind::EveryOverCapacity { .. } => m(
                "реже (`каждые 4 нед`), только для сегмента (`для сегмент A доля 20%`), короче контакт или больше людей в роли",
                "less often (`every 4 wk`), for a segment only (`for segment A share 20%`), a shorter contact or more people in the role",
            ),
            Kind::SegmentWithoutAnalysis { .. } => m(
                "добавьте `отчёт ABC { составляет РОП; период ежемесячно; вид abc_клиентов }`",
                "add `report ABC { prepared_by Head; period monthly; kind abc_clients }`",
            ),
            Kind::ChannelConversionTwice { .. } => m(
                "оставьте одну конверсию канала: `конверсия_по_каналам Рекомендации 40%, Реклама 15%`",
                "keep one conversion per channel: `conversion_by_channel Referrals 40%, Ads 15%`",
            ),
            Kind::ChannelConversionUnfed { .. } => m(
                "назовите канал, у которого `воронка` — воронка этого этапа, или уберите его из списка",
                "name a channel whose `pipeline` is this stage's pipeline, or drop it from the list",
            ),
            Kind::BadPercentile { fix, .. }
            | Kind::BadPlanDate { fix, .. }
            | Kind::BadTelephony { fix, .. }
            | Kind::TimeOnDateField { fix, .. }
            | Kind::TelephonyWithoutCalls { fix, .. }
            | Kind::TimeOutsideHours { fix, .. }
            | Kind::PercentileNotPerCase { fix, .. }
            | Kind::BadRouting { fix, .. }
            | Kind::PriorityEverywhere { fix, .. } => Some(fix.clone()),
            Kind::UnknownCondField {
                suggestion: Some(_), ..
            } => match self {
                Kind::UnknownCondField { suggestion, .. } => suggest(suggestion),
                _ => None,
            },
            Kind::UnknownCondField {
                cards_written: true, ..
            } => m(
                "условие проверяет поле карточки: добавьте его в карточку (`поле \"Рейсов в месяц\" число`) или исправьте имя",
                "a condition tests a card field: add it to the card (`field \"Trips a month\" number`) or fix the name",
            ),
            Kind::UnknownCondField { .. } => m(
                "опишите поле в карточке: `карточка Клиент { поле \"Рейсов в месяц\" число }`",
                "describe the field in a card: `card Client { field \"Trips a month\" number }`",
            ),
            Kind::CondTypeMismatch { .. } => m(
                "число и деньги: `< 4`, `>= 100 000 ₽`; список: `= \"Нет\"`, `в (\"A\", \"B\")`; флаг: `да`/`нет`",
                "number and money: `< 4`, `>= 100 000 ₽`; list: `= \"No\"`, `in (\"A\", \"B\")`; flag: `yes`/`no`",
            ),
            Kind::CondValueNotInList {
                suggestion: Some(_), ..
            } => match self {
                Kind::CondValueNotInList { suggestion, .. } => suggest(suggestion),
                _ => None,
            },
            Kind::CondValueNotInList { .. } => m(
                "возьмите значение из `выбор(…)` поля или добавьте его туда",
                "take a value of the field's `choice(…)` or add it there",
            ),
            Kind::FieldSegmentsOverfull { .. } => m(
                "доля сегмента — часть заявок этапа, у которых поле выполняет условие; вместе не больше 100 %",
                "a segment's share is the part of the stage's leads that meet its condition; together at most 100%",
            ),
            Kind::CondFieldNotFilled { .. } => m(
                "добавьте поле в `поля` этапа, который его заполняет (этот или раньше), или отметьте его `обязательное` в карточке",
                "add the field to the `fields` of the stage that fills it (this one or earlier), or mark it `required` in the card",
            ),
            Kind::CondNeverTrue { duplicate: true, .. } => m(
                "объедините сегменты или поменяйте условие одного из них",
                "merge the segments or change the condition of one",
            ),
            Kind::CondNeverTrue { .. } => m(
                "проверьте знак и число: `< 4`, а не `< 0`",
                "check the sign and the number: `< 4`, not `< 0`",
            ),
            Kind::BadStarts { .. } => m(
                "`старт 1 число, 15 число` (каждый месяц) или `старт вт 19:00` (каждую неделю)",
                "`start 1 of_month, 15 of_month` (monthly) or `start tue 19:00` (weekly)",
            ),
            Kind::StartsMissing { .. } => m(
                "добавьте этапу расписание: `старт 1 число, 15 число; набор_до 3 дн; группа от 10 до 25`",
                "give the stage its schedule: `start 1 of_month, 15 of_month; enrol_closes 3 d; group from 10 up_to 25`",
            ),
            Kind::BadGroup { .. } => m(
                "целое число участников: `группа от 10 до 25`, `группа от 10`, `группа до 25`",
                "whole numbers of participants: `group from 10 up_to 25`, `group from 10`, `group up_to 25`",
            ),
            Kind::EachStartWithoutStarts { .. } => m(
                "назовите этап со `старт` (`перед_каждым_стартом Вебинар.Посещение`) или добавьте ему `старт`",
                "name a stage with `start` (`before_each_start Webinar.Attendance`) or give it a `start`",
            ),
            Kind::GroupBelowMinimum { .. } => m(
                "реже старты (`старт 1 число` вместо двух), меньше минимум группы или больше лидов в канале",
                "fewer starts (`start 1 of_month` instead of two), a lower group minimum or more leads",
            ),
            Kind::GroupAboveMaximum { .. } => m(
                "чаще старты, несколько групп на старт (опишите в `инструкция`) или больше `группа до`",
                "more starts, several groups per start (say so in `guidance`) or a larger `group up_to`",
            ),
            Kind::ExitOutcomeNever { .. } => m(
                "уберите исход (`когда выход Этап`) или задайте этапу `конверсия` ниже 100 %",
                "drop the outcome (`when exit Stage`) or give the stage a `conversion` below 100%",
            ),
        }
    }
}

/// A share as a percentage for messages, as the tables and documents write it
/// ([`crate::locale::percent`]): `12,5 %` in Russian, `12.5%` in English.
pub fn pct(share: f64, lang: Lang) -> String {
    crate::locale::percent(share, lang)
}

/// A number for messages, with a decimal comma in Russian.
pub fn num(v: f64, lang: Lang) -> String {
    let text = if (v - v.round()).abs() < 0.05 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    match lang {
        Lang::Ru => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A duration in minutes for messages: `9 ч 20 мин`, `45 min`.
pub fn minutes(v: f64, lang: Lang) -> String {
    let total = v.round().max(0.0) as u64;
    let (h, m) = (total / 60, total % 60);
    let (hu, mu) = (lang.pick("ч", "h"), lang.pick("мин", "min"));
    match (h, m) {
        (0, m) => format!("{m}\u{a0}{mu}"),
        (h, 0) => format!("{h}\u{a0}{hu}"),
        (h, m) => format!("{h}\u{a0}{hu} {m}\u{a0}{mu}"),
    }
}

/// `от 80 % до 90 %` / `from 80% to 90%`, or `ровно 80 %` / `of exactly 80%` for a point.
fn gap_words(from: f64, to: f64) -> (String, String) {
    if from == to {
        (
            format!("ровно {}", pct(from, Lang::Ru)),
            format!("of exactly {}", pct(from, Lang::En)),
        )
    } else {
        (
            format!("от {} до {}", pct(from, Lang::Ru), pct(to, Lang::Ru)),
            format!("from {} to {}", pct(from, Lang::En), pct(to, Lang::En)),
        )
    }
}

fn list<'a>(items: impl Iterator<Item = &'a str>, or: &str) -> String {
    let items: Vec<&str> = items.collect();
    match items.len() {
        0 => String::new(),
        1 => items[0].to_string(),
        n => format!("{} {or} {}", items[..n - 1].join(", "), items[n - 1]),
    }
}
