//! Every kind of diagnostic, its stable code and its text in Russian and English, side by side
//! in one file. A code is never reused: retired codes stay listed in `RETIRED`.

use super::{Msg, Severity};

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// E0001
    Syntax {
        expected: Vec<Msg>,
        found: Msg,
        suggestion: Option<String>,
    },
    /// E0002
    InvalidUtf8 { offset: usize },
    /// E0003
    EmptyFile,
    /// E0004
    FileNotFound { path: String, reason: String },
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
    UnknownLintCode { code: String },
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
    /// W0001
    IncludedTwice { path: String },
    /// W0002
    DecimalCommaList,
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
    ("W0001", "файл подключён повторно", "file included twice"),
    ("W0002", "десятичная запятая в списке", "decimal comma in a list"),
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
            Kind::IncludedTwice { .. } => "W0001",
            Kind::DecimalCommaList => "W0002",
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
            Kind::FileNotFound { path, reason } => Msg::new(
                format!("не удалось прочитать файл `{path}`: {reason}"),
                format!("cannot read file `{path}`: {reason}"),
            ),
            Kind::IncludeCycle { cycle } => {
                let c = cycle.join(" → ");
                Msg::new(
                    format!("циклическое подключение: {c}"),
                    format!("include cycle: {c}"),
                )
            }
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
                format!("`{path}` — это папка, а не файл"),
                format!("`{path}` is a directory, not a file"),
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
            Kind::UnknownLintCode { code } => Msg::new(
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
            Kind::Syntax { .. } => m(
                "проверьте написание ключевых слов и парность скобок `{ }`; строки берутся в кавычки",
                "check keyword spelling and that braces `{ }` pair up; strings go in double quotes",
            ),
            Kind::InvalidUtf8 { .. } => m(
                "сохраните файл в кодировке UTF-8 (в Блокноте: «Сохранить как» → кодировка UTF-8)",
                "save the file as UTF-8",
            ),
            Kind::EmptyFile => m(
                "начните с заголовка: положение \"Отдел продаж\" { версия \"1.0\" } — или выполните `voronka init`",
                "start with a header: regulation \"Sales\" { version \"1.0\" } — or run `voronka init`",
            ),
            Kind::FileNotFound { .. } => m(
                "путь в `подключить` считается от папки подключающего файла",
                "an include path is relative to the including file's folder",
            ),
            Kind::IncludeCycle { .. } => m(
                "уберите одно из подключений цикла",
                "remove one of the includes in the cycle",
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
            Kind::UnknownLintCode { .. } => m(
                "коды правил перечислены в docs/diagnostics.md",
                "lint codes are listed in docs/diagnostics.md",
            ),
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
                "треуг(мин, мода, макс) требует мин ≤ мода ≤ макс; логнорм(среднее, откл) — среднее > 0, откл ≥ 0",
                "tri(min, mode, max) needs min ≤ mode ≤ max; lognormal(mean, sd) needs mean > 0, sd ≥ 0",
            ),
            Kind::OutOfRange { .. } => None,
            Kind::IncludedTwice { .. } => None,
            Kind::DecimalCommaList => m(
                "разделяйте элементы списка запятой с пробелом: `1, 2, 5`; десятичную часть — точкой: `2.5`",
                "separate list items by a comma and a space: `1, 2, 5`; write decimals with a point: `2.5`",
            ),
        }
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
