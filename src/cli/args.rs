//! Command-line arguments (clap). Help is in Russian; `--lang en` switches what voronka prints.

use crate::diag::Lang;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "voronka",
    version,
    about = "Компилятор системы продаж: проверяет «Положение о системе продаж» и строит из него граф процесса",
    long_about = None,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    help_template = "{about}\n\nИспользование: {usage}\n\nКоманды:\n{subcommands}\n\nПараметры:\n{options}",
)]
pub struct Args {
    /// Показать справку
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    pub help: Option<bool>,
    /// Показать версию
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    pub version: Option<bool>,
    /// Язык сообщений: ru или en
    #[arg(long, global = true, value_enum, default_value = "ru")]
    pub lang: LangArg,
    /// Разрешить предупреждение: код W… или warnings (все)
    #[arg(short = 'A', long = "allow", value_name = "КОД", global = true, action = clap::ArgAction::Append)]
    pub allow: Vec<String>,
    /// Оставить предупреждением
    #[arg(short = 'W', long = "warn", value_name = "КОД", global = true, action = clap::ArgAction::Append)]
    pub warn: Vec<String>,
    /// Считать ошибкой
    #[arg(short = 'D', long = "deny", value_name = "КОД", global = true, action = clap::ArgAction::Append)]
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
    /// Объяснить код диагностики: что он значит, почему важен и как исправить
    Explain(ExplainArgs),
}

#[derive(Debug, clap::Args)]
#[command(help_template = "{about}\n\nИспользование: {usage}\n\nАргументы и параметры:\n{all-args}")]
pub struct ExplainArgs {
    /// Код (E0030, W0006); без кода — список всех кодов
    pub code: Option<String>,
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
#[command(help_template = "{about}\n\nИспользование: {usage}\n\nАргументы и параметры:\n{all-args}")]
pub struct CheckArgs {
    /// Файлы .sales
    #[arg(required = true)]
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
    Dot,
    Mermaid,
}

#[derive(Debug, clap::Args)]
#[command(help_template = "{about}\n\nИспользование: {usage}\n\nАргументы и параметры:\n{all-args}")]
pub struct GraphArgs {
    /// Файл .sales
    pub file: PathBuf,
    /// Формат графа
    #[arg(long, value_enum, default_value = "dot")]
    pub format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnalyzeFormat {
    /// Таблицы для чтения
    Table,
    /// Все показатели в JSON
    Json,
}

#[derive(Debug, clap::Args)]
#[command(help_template = "{about}\n\nИспользование: {usage}\n\nАргументы и параметры:\n{all-args}")]
pub struct AnalyzeArgs {
    /// Файл .sales
    pub file: PathBuf,
    /// Формат вывода
    #[arg(long, value_enum, default_value = "table")]
    pub format: AnalyzeFormat,
}
