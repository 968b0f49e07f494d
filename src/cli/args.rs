//! Command-line arguments (clap). Help is in Russian; `--lang en` switches what voronka prints.

use crate::diag::Lang;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The heading of the flags every command takes (`--lang`, `-A`/`-W`/`-D`, `--help`), apart
/// from a command's own.
pub(super) const GLOBAL: &str = "Общие параметры";
/// A command's help: what it does, its usage, its own arguments and options under
/// «Параметры», then the common ones.
const SUBCOMMAND_HELP: &str = "{about}\n\nИспользование: {usage}\n\n{all-args}";

#[derive(Debug, Parser)]
#[command(
    name = "voronka",
    version,
    about = "Компилятор системы продаж: проверяет «Положение о системе продаж» и строит из него граф процесса",
    long_about = None,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    help_template = "{about}\n\nИспользование: {usage}\n\n{all-args}",
    subcommand_help_heading = "Команды",
)]
pub struct Args {
    /// Показать справку
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true, help_heading = GLOBAL)]
    pub help: Option<bool>,
    /// Показать версию
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help_heading = GLOBAL)]
    pub version: Option<bool>,
    /// Язык сообщений (и документов docs): ru или en
    #[arg(long, global = true, value_enum, default_value = "ru", value_name = "ЯЗЫК", help_heading = GLOBAL)]
    pub lang: LangArg,
    /// Разрешить предупреждение: код W… или warnings (все)
    #[arg(short = 'A', long = "allow", value_name = "КОД", global = true, action = clap::ArgAction::Append, help_heading = GLOBAL)]
    pub allow: Vec<String>,
    /// Оставить предупреждением
    #[arg(short = 'W', long = "warn", value_name = "КОД", global = true, action = clap::ArgAction::Append, help_heading = GLOBAL)]
    pub warn: Vec<String>,
    /// Считать ошибкой
    #[arg(short = 'D', long = "deny", value_name = "КОД", global = true, action = clap::ArgAction::Append, help_heading = GLOBAL)]
    pub deny: Vec<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Ru,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Ru => Lang::Ru,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Проверить файлы положения и сообщить обо всех ошибках
    Check(CheckArgs),
    /// Вывести граф процесса продаж (DOT или Mermaid)
    Graph(GraphArgs),
    /// Рассчитать воронки, каналы, нагрузку ролей и разрыв с планом (точно, без случайности)
    Analyze(AnalyzeArgs),
    /// Прогноз методом Монте-Карло: лиды, сделки, выручка, загрузка ролей
    Simulate(SimulateArgs),
    /// Прогноз при каждом значении параметра: --set 'Менеджер.штат=3..10'
    Sweep(SweepArgs),
    /// Наименьший штат роли, при котором план выполняется с заданной вероятностью
    Plan(PlanArgs),
    /// Чувствительность выручки к каждому параметру ±10% (торнадо)
    Sensitivity(SensitivityArgs),
    /// Измерить конверсии, сроки, лиды и чек по истории сделок из CRM и сравнить с положением
    Calibrate(CalibrateArgs),
    /// Проверить прогноз на прошлом: прогноз с даты по открытым тогда сделкам против того, что показала история CRM
    Backtest(BacktestArgs),
    /// Сформировать документы: Положение о системе продаж, памятки, должностные инструкции, формы отчётов (Markdown, HTML, DOCX)
    Docs(DocsArgs),
    /// Скопировать встроенные шаблоны документов в папку для правки
    InitTemplates(InitTemplatesArgs),
    /// Объяснить код диагностики: что он значит, почему важен и как исправить
    Explain(ExplainArgs),
    /// Настройка CRM: тела запросов API для amoCRM, Битрикс24, HubSpot, Pipedrive и что настроить вручную
    Crm(CrmArgs),
    /// Всё сразу в одну папку: проверка, расчёт, прогноз, документы, настройки CRM, схемы
    Build(BuildArgs),
    /// Языковой сервер (LSP) для редакторов: ошибки при вводе, подсказки, переход к определению
    Lsp(LspArgs),
    /// Страница «что если» в браузере: штат, конверсии и лиды меняются — прогноз пересчитывается
    Serve(ServeArgs),
    /// Привести файлы к единому оформлению; комментарии и абзацы сохраняются
    Fmt(FmtArgs),
    /// Создать новое положение по анкете из десяти вопросов
    Init(InitArgs),
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct FmtArgs {
    /// Файлы .sales (подключённые файлы не затрагиваются — укажите их отдельно)
    #[arg(required = true, value_name = "ФАЙЛ")]
    pub files: Vec<PathBuf>,
    /// Только проверить: показать разницу и завершиться с кодом 1, если файл не оформлен
    #[arg(long)]
    pub check: bool,
    /// Писать единицы одинаково (дней → дн, руб → ₽) и разбивать числа на разряды (150 000)
    #[arg(long)]
    pub normalize_units: bool,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct InitArgs {
    /// Папка нового положения (создаётся, если её нет; по умолчанию текущая)
    #[arg(value_name = "ПАПКА")]
    pub dir: Option<PathBuf>,
    /// Не задавать вопросов: записать положение с ответами по умолчанию
    #[arg(long)]
    pub defaults: bool,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct ExplainArgs {
    /// Код (E0030, W0006); без кода — список всех кодов
    #[arg(value_name = "КОД")]
    pub code: Option<String>,
}

#[derive(Debug, clap::Args)]
#[command(help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры")]
pub struct ServeArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Порт (0 — любой свободный)
    #[arg(long, default_value = "0")]
    pub port: u16,
    /// Адрес, на котором слушать (по умолчанию 127.0.0.1; другой адрес открывает страницу для сети)
    #[arg(long, value_name = "АДРЕС")]
    pub host: Option<std::net::IpAddr>,
    /// Открыть страницу в браузере
    #[arg(long)]
    pub open: bool,
    /// Число прогонов базы и сценария
    #[arg(long, default_value = "1000", value_parser = parse_runs)]
    pub runs: u32,
    /// Зерно генератора (одно для базы и сценария: общие случайные числа)
    #[arg(long, default_value = "1", value_parser = parse_seed)]
    pub seed: u64,
}

#[derive(Debug, clap::Args)]
#[command(help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры")]
pub struct LspArgs {
    /// Общаться через stdin/stdout (так всегда; флаг принимается для клиентов, которые его передают)
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagFormat {
    /// Подробно, с фрагментом исходного текста
    Human,
    /// Одна строка на сообщение
    Short,
    /// JSON-массив
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Short,
    Json,
    Yaml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// Разобранная модель (YAML или JSON)
    Model,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct CheckArgs {
    /// Файлы .sales
    #[arg(required = true, value_name = "ФАЙЛ")]
    pub files: Vec<PathBuf>,
    /// Формат: human, short, json; с --emit model — yaml или json
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
    /// Что вывести в stdout после проверки
    #[arg(long, value_enum)]
    pub emit: Option<Emit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT: все воронки
    Dot,
    /// Mermaid: все воронки
    Mermaid,
    /// SVG одной воронки (--pipeline), та же схема, что в документах
    Svg,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct GraphArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Формат графа
    #[arg(long, value_enum, default_value = "dot")]
    pub format: GraphFormat,
    /// Воронка для SVG (по умолчанию первая)
    #[arg(long, value_name = "ВОРОНКА")]
    pub pipeline: Option<String>,
    /// С --format svg: воронка объёмов — полосы по ожидаемому числу сделок на этапах в месяц
    #[arg(long)]
    pub funnel: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnalyzeFormat {
    /// Таблицы для чтения
    Table,
    /// Все показатели в JSON
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimFormat {
    /// Таблица для чтения
    Table,
    /// JSON (схема — в README)
    Json,
    /// CSV: одна строка на показатель
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForecastFormat {
    /// Таблица для чтения
    Table,
    /// JSON (схема — в README)
    Json,
    /// CSV: одна строка на показатель
    Csv,
    /// Отчёт HTML с графиками: один файл без внешних ссылок, печать на A4
    Html,
}

fn whole_in(s: &str, min: u64, max: u64) -> Result<u64, String> {
    let n: u64 = s
        .trim()
        .replace(['_', ' ', '\u{a0}'], "")
        .parse()
        .map_err(|_| format!("ожидалось целое число от {min} до {max}, получено «{s}»"))?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(format!("ожидалось число от {min} до {max}, получено {n}"))
    }
}

fn parse_runs(s: &str) -> Result<u32, String> {
    whole_in(s, 1, 10_000_000).map(|n| n as u32)
}

fn parse_seed(s: &str) -> Result<u64, String> {
    whole_in(s, 0, u64::MAX)
}

fn parse_months(s: &str) -> Result<u32, String> {
    whole_in(s, 1, 120).map(|n| n as u32)
}

/// A share above 0 and at most 1, written `0.8`, `0,8` or `80%`; `expected` says what was
/// wanted when the text is not a number, `range` when the number is out of range (each is
/// followed by the text given).
fn share_in_unit(s: &str, expected: &str, range: &str) -> Result<f64, String> {
    let t = s.trim().replace(',', ".");
    let x = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    }
    .map_err(|_| format!("{expected}, получено «{s}»"))?;
    if x > 0.0 && x <= 1.0 {
        Ok(x)
    } else {
        Err(format!("{range}, получено «{s}»"))
    }
}

/// `--precision`: a share above 0 and at most 1, as `0.05`, `0,05` or `5%`.
pub(super) fn parse_precision(s: &str) -> Result<f64, String> {
    share_in_unit(
        s,
        "ожидалась доля от 0 до 1 (0.05 или 5%)",
        "точность должна быть больше 0 и не больше 1 (0.05 или 5%)",
    )
}

fn parse_threads(s: &str) -> Result<usize, String> {
    whole_in(s, 1, 1024).map(|n| n as usize)
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct AnalyzeArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Формат вывода
    #[arg(long, value_enum, default_value = "table")]
    pub format: AnalyzeFormat,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct SimulateArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Число прогонов (реплик)
    #[arg(long, default_value = "1000", value_parser = parse_runs)]
    pub runs: u32,
    /// Зерно генератора: одно зерно — один и тот же результат
    #[arg(long, default_value = "1", value_parser = parse_seed)]
    pub seed: u64,
    /// Горизонт в месяцах (иначе из плана или положения, по умолчанию 12)
    #[arg(long, value_parser = parse_months)]
    pub months: Option<u32>,
    /// Число потоков (по умолчанию — все ядра)
    #[arg(long, value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Формат вывода
    #[arg(long, value_enum, default_value = "table")]
    pub format: ForecastFormat,
    /// Записать результат в файл (атомарно), а не в стандартный вывод
    #[arg(long, value_name = "ФАЙЛ")]
    pub out: Option<PathBuf>,
    /// С --format html: папка с шаблонами, заменяющими встроенные (forecast.md, sweep.md, page.html, style.css, forecast.css)
    #[arg(long, value_name = "ПАПКА")]
    pub templates: Option<PathBuf>,
    /// Не показывать индикатор выполнения
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Файл сценария (YAML); можно несколько — каждый печатается рядом с базой
    #[arg(long, value_name = "ФАЙЛ")]
    pub scenario: Vec<PathBuf>,
    /// Не считать ценность найма (+1 человек в каждой роли: по прогону на роль)
    #[arg(long)]
    pub no_hires: bool,
    /// Точность сравнений со сценариями и ценности найма: прогоны варианта добавляются, пока 95% ДИ разности с базой шире этой доли базы и не исключает 0 явно (0.05 или 5%); не больше --runs
    #[arg(long, default_value = "0.05", value_parser = parse_precision)]
    pub precision: f64,
    /// Открытые сделки на сегодня (CSV или YAML): каждый прогон начинается с них
    #[arg(long, value_name = "ФАЙЛ")]
    pub open_deals: Option<PathBuf>,
    /// С чего начинается прогноз: действующий отдел (в воронке уже идут сделки) или новый (пустая воронка); по умолчанию — «старт» положения, иначе действующий
    #[arg(long, value_enum, value_name = "СТАРТ")]
    pub start: Option<StartArg>,
    /// Записать один прогон (прогон 0 с этим зерном) журналом событий для calibrate: ФАЙЛ — переходы по этапам, рядом ФАЙЛ.deals.csv — сделки
    #[arg(long, value_name = "ФАЙЛ", conflicts_with_all = ["open_deals", "scenario"])]
    pub trace: Option<PathBuf>,
}

/// The starting state on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StartArg {
    #[value(name = "действующий", alias = "established")]
    Established,
    #[value(name = "новый", alias = "new")]
    New,
}

impl From<StartArg> for crate::model::StartKind {
    fn from(s: StartArg) -> crate::model::StartKind {
        match s {
            StartArg::Established => crate::model::StartKind::Established,
            StartArg::New => crate::model::StartKind::New,
        }
    }
}

/// Common options of the planning commands.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Число прогонов на каждый вариант
    #[arg(long, default_value = "1000", value_parser = parse_runs)]
    pub runs: u32,
    /// Зерно генератора (одно для всех вариантов: общие случайные числа)
    #[arg(long, default_value = "1", value_parser = parse_seed)]
    pub seed: u64,
    /// Горизонт в месяцах (иначе из плана или положения)
    #[arg(long, value_parser = parse_months)]
    pub months: Option<u32>,
    /// Число потоков (по умолчанию — все ядра)
    #[arg(long, value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Не показывать индикатор выполнения
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Открытые сделки на сегодня (CSV или YAML): каждый прогон начинается с них
    #[arg(long, value_name = "ФАЙЛ")]
    pub open_deals: Option<PathBuf>,
    /// С чего начинается прогноз: действующий отдел или новый; по умолчанию — «старт» положения, иначе действующий
    #[arg(long, value_enum, value_name = "СТАРТ")]
    pub start: Option<StartArg>,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct SweepArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Параметр и значения: 'Менеджер.штат=3..10', 'Сайт.лиды=60,90,120', 'Продажа.КП.конверсия=40%..70%'
    #[arg(long, value_name = "ПАРАМЕТР=ЗНАЧЕНИЯ")]
    pub set: String,
    #[command(flatten)]
    pub run: RunArgs,
    /// Точность: значение получает прогоны, пока 95% ДИ разности выручки с соседними значениями шире этой доли размаха перебора или ДИ P(план) шире ±этой доли (0.05 или 5%); не больше --runs
    #[arg(long, default_value = "0.05", value_parser = parse_precision)]
    pub precision: f64,
    /// Формат вывода
    #[arg(long, value_enum, default_value = "table")]
    pub format: ForecastFormat,
    /// Записать результат в файл (атомарно), а не в стандартный вывод
    #[arg(long, value_name = "ФАЙЛ")]
    pub out: Option<PathBuf>,
    /// С --format html: папка с шаблонами, заменяющими встроенные (forecast.md, sweep.md, page.html, style.css, forecast.css)
    #[arg(long, value_name = "ПАПКА")]
    pub templates: Option<PathBuf>,
}

fn parse_probability(s: &str) -> Result<f64, String> {
    share_in_unit(
        s,
        "ожидалась вероятность от 0 до 1 (или 80%)",
        "вероятность должна быть больше 0 и не больше 1",
    )
}

/// `--period` of `plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanPeriodArg {
    Horizon,
    Month,
}

impl From<PlanPeriodArg> for crate::planning::PlanPeriod {
    fn from(p: PlanPeriodArg) -> Self {
        match p {
            PlanPeriodArg::Horizon => crate::planning::PlanPeriod::Horizon,
            PlanPeriodArg::Month => crate::planning::PlanPeriod::Month,
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct PlanArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Роль, штат которой подбирается
    #[arg(long)]
    pub role: String,
    /// Требуемая вероятность выполнить план (0.8 или 80%)
    #[arg(long, default_value = "0.8", value_parser = parse_probability)]
    pub probability: f64,
    /// Чей план: horizon — итог за горизонт, month — каждый месяц (по худшему месяцу)
    #[arg(long, value_enum, default_value = "horizon")]
    pub period: PlanPeriodArg,
    #[command(flatten)]
    pub run: RunArgs,
    /// Формат вывода: таблица, JSON или CSV (строка на каждый проверенный штат)
    #[arg(long, value_enum, default_value = "table")]
    pub format: SimFormat,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct SensitivityArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
    /// Точность рейтинга: параметр получает прогоны, пока 95% ДИ его размаха шире этой доли наибольшего размаха (0.05 или 5%); не больше --runs
    #[arg(long, default_value = "0.05", value_parser = parse_precision)]
    pub precision: f64,
    /// Формат вывода
    #[arg(long, value_enum, default_value = "table")]
    pub format: SimFormat,
}

/// The CRM history `calibrate` and `backtest` read.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Файлы истории: CSV (переходы по этапам, сделки, звонки), ответы API amoCRM, Битрикс24, HubSpot, Pipedrive в JSON, выгрузка списка сделок XLSX/XLS/ODS; папка — все её файлы
    #[arg(long = "history", value_name = "ФАЙЛ", num_args = 1.., required = true)]
    pub files: Vec<PathBuf>,
    /// Файл сопоставления этапов CSV: этап CRM; [воронка CRM;] этап положения (Воронка.Этап или код)
    #[arg(long, value_name = "ФАЙЛ")]
    pub stages: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct CalibrateArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    #[command(flatten)]
    pub history: HistoryArgs,
    /// Учитывать переходы с этой даты (ГГГГ-ММ-ДД)
    #[arg(long, value_name = "ДАТА", value_parser = parse_history_date)]
    pub since: Option<i32>,
    /// Учитывать переходы по эту дату; что случилось позже, считается ещё не случившимся
    #[arg(long, value_name = "ДАТА", value_parser = parse_history_date)]
    pub until: Option<i32>,
    /// Формат вывода
    #[arg(long, value_enum, default_value = "table")]
    pub format: AnalyzeFormat,
    /// Записать измеренные конверсии, лиды и чек сценарием YAML для simulate --scenario
    #[arg(long, value_name = "ФАЙЛ")]
    pub write_scenario: Option<PathBuf>,
    /// Записать измеренные значения в сам файл .sales (и подключённые файлы), сохранив комментарии и вёрстку: показать разницу и спросить
    #[arg(long)]
    pub apply: bool,
    /// С --apply: записать без вопроса (нужно, когда ввод не с терминала)
    #[arg(long, requires = "apply")]
    pub yes: bool,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct BacktestArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    #[command(flatten)]
    pub history: HistoryArgs,
    /// Дата начала прогноза (ГГГГ-ММ-ДД): открытые на начало этого дня сделки — его старт
    #[arg(long, value_name = "ДАТА", value_parser = parse_history_date)]
    pub at: i32,
    /// Сколько месяцев сравнить (по умолчанию — сколько целых месяцев после даты покрывает история, не больше 12)
    #[arg(long, value_name = "МЕСЯЦЕВ", value_parser = parse_months)]
    pub months: Option<u32>,
    /// Прогноз по параметрам, измеренным по истории до даты (как calibrate), а не по записанным в положении
    #[arg(long, conflicts_with = "scenario")]
    pub calibrated: bool,
    /// Сценарий YAML, с которым считать прогноз (например, записанный calibrate --write-scenario)
    #[arg(long, value_name = "ФАЙЛ")]
    pub scenario: Option<PathBuf>,
    /// Число прогонов
    #[arg(long, value_name = "ЧИСЛО", default_value = "1000", value_parser = parse_runs)]
    pub runs: u32,
    /// Зерно генератора
    #[arg(long, value_name = "ЗЕРНО", default_value = "1", value_parser = parse_seed)]
    pub seed: u64,
    /// Число потоков (по умолчанию — все ядра)
    #[arg(long, value_name = "ПОТОКОВ", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Не показывать индикатор выполнения
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Формат вывода
    #[arg(long, value_enum, default_value = "table")]
    pub format: BacktestFormat,
    /// Записать результат в файл (атомарно), а не в стандартный вывод
    #[arg(long, value_name = "ФАЙЛ")]
    pub out: Option<PathBuf>,
    /// С --format html: папка с шаблонами, заменяющими встроенные (backtest.md, page.html, style.css, forecast.css)
    #[arg(long, value_name = "ПАПКА")]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BacktestFormat {
    /// Таблица для чтения
    Table,
    /// Все показатели в JSON
    Json,
    /// Страница HTML с графиком
    Html,
}

fn parse_history_date(s: &str) -> Result<i32, String> {
    crate::history::dates::parse_day(s).ok_or_else(|| format!("«{s}» — не дата; нужно ГГГГ-ММ-ДД"))
}

impl RunArgs {
    pub fn options(&self) -> crate::sim::SimOptions<'static> {
        crate::sim::SimOptions {
            runs: self.runs,
            seed: self.seed,
            months: self.months,
            threads: self.threads,
            progress: None,
            open_deals: &[],
            start: self.start.map(Into::into),
            shared: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// Markdown
    Md,
    /// HTML для печати (A4), один файл без внешних ссылок
    Html,
    /// Документ Word (DOCX)
    Docx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocKindArg {
    /// Положение о системе продаж
    #[value(alias = "положение")]
    Regulation,
    /// Памятки ролей
    #[value(alias = "памятка", alias = "памятки")]
    Memo,
    /// Должностные инструкции
    #[value(alias = "инструкция", alias = "инструкции")]
    Job,
    /// Формы отчётов
    #[value(alias = "формы")]
    Forms,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct DocsArgs {
    /// Файл .sales
    #[arg(required_unless_present = "list_templates")]
    pub file: Option<PathBuf>,
    /// Папка для документов (создаётся, если её нет)
    #[arg(long, value_name = "ПАПКА", required_unless_present = "list_templates")]
    pub out: Option<PathBuf>,
    /// Показать файлы шаблонов с описанием и выйти
    #[arg(long)]
    pub list_templates: bool,
    /// Форматы через запятую
    #[arg(long, value_enum, value_delimiter = ',', default_value = "md,html,docx")]
    pub format: Vec<DocFormat>,
    /// Папка с шаблонами, заменяющими встроенные (по одному файлу: regulation.md, memo.md, job.md, forms.md, page.html, style.css)
    #[arg(long, value_name = "ПАПКА")]
    pub templates: Option<PathBuf>,
    /// Только один вид документов
    #[arg(long, value_enum)]
    pub only: Option<DocKindArg>,
    /// Сначала прогнать прогноз и добавить в Положение приложение с его итогами
    #[arg(long)]
    pub forecast: bool,
    /// С --forecast: число прогонов
    #[arg(long, default_value = "1000", value_parser = parse_runs, requires = "forecast")]
    pub runs: u32,
    /// С --forecast: зерно генератора
    #[arg(long, default_value = "1", value_parser = parse_seed, requires = "forecast")]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CrmTarget {
    /// amoCRM / Kommo (API v4)
    Amocrm,
    /// Битрикс24 (REST)
    Bitrix24,
    /// HubSpot (CRM API v3)
    Hubspot,
    /// Pipedrive (API v2)
    Pipedrive,
    /// Все четыре, каждая в своей подпапке
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CrmFormat {
    /// Тела запросов API (JSON) и README.md
    Json,
    /// Настройка этапов без привязки к CRM (YAML) для других программ
    Yaml,
}

#[derive(Debug, clap::Args)]
#[command(help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры")]
pub struct CrmArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Для какой CRM
    #[arg(long, value_enum, default_value = "all")]
    pub target: CrmTarget,
    /// Папка для файлов (создаётся, если её нет); без неё — вывод в stdout
    #[arg(long, value_name = "ПАПКА")]
    pub out: Option<PathBuf>,
    /// Формат
    #[arg(long, value_enum, default_value = "json")]
    pub format: CrmFormat,
    /// Добавить apply.sh — скрипт, который отправит запросы через curl (нужна --out)
    #[arg(long, requires = "out")]
    pub emit_script: bool,
}

#[derive(Debug, clap::Args)]
#[command(help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры")]
pub struct BuildArgs {
    /// Файл .sales
    #[arg(value_name = "ФАЙЛ")]
    pub file: PathBuf,
    /// Папка для результатов (создаётся, если её нет)
    #[arg(long, value_name = "ПАПКА")]
    pub out: PathBuf,
    /// Число прогонов прогноза
    #[arg(long, default_value = "1000", value_parser = parse_runs)]
    pub runs: u32,
    /// Зерно генератора: одно зерно — одни и те же файлы
    #[arg(long, default_value = "1", value_parser = parse_seed)]
    pub seed: u64,
    /// Точность ценности найма: прогоны варианта добавляются, пока 95% ДИ Δ прибыли шире этой доли прибыли базы и не исключает 0 явно (0.05 или 5%); не больше --runs
    #[arg(long, default_value = "0.05", value_parser = parse_precision)]
    pub precision: f64,
    /// Открытые сделки на сегодня (CSV или YAML): прогноз начинается с текущей воронки
    #[arg(long, value_name = "ФАЙЛ")]
    pub open_deals: Option<PathBuf>,
    /// С чего начинается прогноз: действующий отдел или новый; по умолчанию — «старт» положения, иначе действующий
    #[arg(long, value_enum, value_name = "СТАРТ")]
    pub start: Option<StartArg>,
    /// Не показывать индикатор выполнения
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
#[command(
    help_template = SUBCOMMAND_HELP, next_help_heading = "Параметры"
)]
pub struct InitTemplatesArgs {
    /// Папка, куда скопировать шаблоны (создаётся, если её нет)
    #[arg(value_name = "ПАПКА")]
    pub dir: PathBuf,
    /// Перезаписать файлы, которые уже есть в папке
    #[arg(long)]
    pub force: bool,
}
