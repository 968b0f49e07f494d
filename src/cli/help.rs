//! Help screens and usage errors in Russian. clap writes a few things in English that no
//! setting translates (`[OPTIONS]` in the usage line, `[default: …]`, `[possible values: …]`,
//! `Possible values:`, its error messages); [`command`] hides them and writes their Russian
//! equivalents into each argument's help, [`finish`] translates the usage line of a rendered
//! help screen, and [`usage_error`] words every usage error itself. With `--lang en` the same
//! screens are English ([`super::help_en`]).

use super::help_en;
use crate::diag::Lang;
use clap::builder::PossibleValue;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};
use std::error::Error as _;

/// The argument parser with every help text in `lang` (Russian, or English with `--lang en`).
pub fn command(lang: Lang) -> Command {
    use clap::CommandFactory;
    let cmd = super::Args::command()
        .subcommand_value_name(lang.pick("КОМАНДА", "COMMAND"))
        .mut_args(|a| localize_arg(a, lang));
    let cmd = match lang {
        Lang::Ru => cmd,
        Lang::En => english_command(cmd).subcommand_help_heading("Commands"),
    };
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    names.iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name, |sub| {
            let sub = sub.mut_args(|a| localize_arg(a, lang));
            match lang {
                Lang::Ru => sub,
                Lang::En => english_command(sub),
            }
        })
    })
}

/// A command's description and usage heading in English.
fn english_command(cmd: Command) -> Command {
    let about = cmd.get_about().map(|a| help_en::text(&a.to_string()).to_owned());
    let cmd = cmd.help_template("{about}\n\nUsage: {usage}\n\n{all-args}");
    match about {
        Some(a) => cmd.about(a),
        None => cmd,
    }
}

/// The language asked for on the command line (`--lang en`, `--lang=en`), before parsing: the
/// help screens and usage errors are written before the arguments are known.
pub fn lang_of(args: &[String]) -> Lang {
    let en =
        args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en") || args.iter().any(|a| a == "--lang=en");
    if en { Lang::En } else { Lang::Ru }
}

/// The Russian placeholder of an argument that names none (`--runs <ЧИСЛО>`).
fn value_name(id: &str) -> &'static str {
    match id {
        "runs" => "ЧИСЛО",
        "seed" => "ЗЕРНО",
        "months" => "МЕСЯЦЕВ",
        "threads" => "ПОТОКОВ",
        "format" => "ФОРМАТ",
        "emit" => "ЧТО",
        "role" => "РОЛЬ",
        "probability" => "ВЕРОЯТНОСТЬ",
        "precision" => "ТОЧНОСТЬ",
        "period" => "ПЕРИОД",
        "target" => "CRM",
        "only" => "ВИД",
        "file" => "ФАЙЛ",
        "port" => "ПОРТ",
        _ => "ЗНАЧЕНИЕ",
    }
}

/// Hides clap's English `[default: …]` and `[possible values: …]` and says them in Russian in
/// the argument's own help; names the value in Russian when the argument does not.
fn localize_arg(arg: Arg, lang: Lang) -> Arg {
    let heading = match (lang, arg.get_help_heading()) {
        (Lang::En, Some(super::args::GLOBAL)) => Some("Common options"),
        (Lang::En, Some(_)) => Some("Options"),
        _ => None,
    };
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let help = match lang {
        Lang::Ru => help,
        Lang::En => help_en::text(&help).to_owned(),
    };
    let arg = match heading {
        Some(h) => arg.help_heading(h),
        None => arg,
    };
    if !arg.get_action().takes_values() {
        return arg.help(help);
    }
    let id = arg.get_id().as_str().to_owned();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let values: Vec<PossibleValue> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let default = (!defaults.is_empty() && !arg.is_hide_default_value_set()).then(|| {
        format!(
            "[{}: {}]",
            lang.pick("по умолчанию", "default"),
            defaults.join(",")
        )
    });
    let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
    let listed = (!names.is_empty() && !arg.is_hide_possible_values_set())
        .then(|| format!("[{}: {}]", lang.pick("значения", "values"), names.join(", ")));
    let short: String = [Some(help.clone()), default.clone(), listed.clone()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let described = values.iter().any(|v| v.get_help().is_some());
    let mut arg = arg
        .hide_default_value(true)
        .hide_possible_values(true)
        .help(short.clone());
    if described {
        // Like clap's long help: the values one a line with what each means.
        let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        let mut long = help;
        long += lang.pick("\n\nЗначения:", "\n\nValues:");
        for v in &values {
            let name = v.get_name();
            let pad = " ".repeat(width - name.chars().count());
            match v.get_help().map(ToString::to_string) {
                Some(h) if lang == Lang::En => long += &format!("\n- {name}:{pad} {}", help_en::text(&h)),
                Some(h) => long += &format!("\n- {name}:{pad} {h}"),
                None => long += &format!("\n- {name}"),
            }
        }
        if let Some(d) = default {
            long += &format!("\n\n{d}");
        }
        arg = arg.long_help(long);
    }
    // clap names a value after its field (`<RUNS>`) when the code does not: say it in Russian.
    let english = arg.get_value_names().is_none_or(|n| {
        n.iter()
            .all(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
    });
    if english {
        arg = arg.value_name(value_name(&id));
    }
    if lang == Lang::En {
        let names: Option<Vec<&'static str>> = arg
            .get_value_names()
            .unwrap_or_default()
            .iter()
            .map(|n| help_en::value_name(n))
            .collect();
        if let Some(names) = names {
            arg = arg.value_names(names);
        }
    }
    arg
}

/// A rendered help screen with clap's last English words translated (the usage line's
/// `[OPTIONS]`).
pub fn finish(help: &str, lang: Lang) -> String {
    match lang {
        Lang::Ru => help.replace("[OPTIONS]", "[ПАРАМЕТРЫ]"),
        Lang::En => help.to_owned(),
    }
}

/// A usage error (a bad or unknown value, an unknown flag, a missing argument, …) in Russian,
/// with the way to the help screen.
pub fn usage_error(e: &clap::Error, command: Option<&str>, lang: Lang) -> String {
    if lang == Lang::En {
        // clap's own English, without its usage line and tip.
        let text = e.render().to_string();
        let first = text.lines().next().unwrap_or("error: invalid arguments");
        let help = command.map_or("voronka --help".to_owned(), |c| format!("voronka {c} --help"));
        return format!("{first}\nHelp: {help}");
    }
    let get = |k| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => {
            Some(v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
        }
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = get(ContextKind::InvalidArg)
        .map(|a| finish(&a, Lang::Ru))
        .unwrap_or_default();
    let suggested = get(ContextKind::SuggestedArg)
        .or_else(|| get(ContextKind::SuggestedSubcommand))
        .or_else(|| get(ContextKind::SuggestedValue))
        .map(|s| format!("; возможно, имелось в виду {s}"))
        .unwrap_or_default();
    let text = match e.kind() {
        ErrorKind::ValueValidation => {
            let why = e.source().map(|s| s.to_string()).unwrap_or_default();
            format!("неверное значение {arg}: {why}")
        }
        ErrorKind::InvalidValue => {
            let value = get(ContextKind::InvalidValue).unwrap_or_default();
            let valid = get(ContextKind::ValidValue)
                .filter(|v| !v.is_empty())
                .map(|v| format!("; допустимо: {v}"))
                .unwrap_or_default();
            if value.is_empty() {
                format!("не указано значение {arg}{valid}")
            } else {
                format!("неверное значение «{value}» для {arg}{valid}{suggested}")
            }
        }
        ErrorKind::UnknownArgument => format!("неизвестный параметр {arg}{suggested}"),
        ErrorKind::MissingRequiredArgument => format!("не указан обязательный аргумент {arg}"),
        ErrorKind::InvalidSubcommand => format!(
            "неизвестная команда {}{suggested}",
            get(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingSubcommand => "не указана команда".to_owned(),
        ErrorKind::NoEquals => format!("значение {arg} нужно писать через знак «=»"),
        ErrorKind::TooManyValues => format!(
            "лишнее значение «{}» для {arg}",
            get(ContextKind::InvalidValue).unwrap_or_default()
        ),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("не то число значений у {arg}")
        }
        ErrorKind::ArgumentConflict => {
            let other = get(ContextKind::PriorArg).unwrap_or_default();
            format!("{arg} нельзя указывать вместе с {}", finish(&other, lang))
        }
        ErrorKind::InvalidUtf8 => "аргумент — не текст в UTF-8".to_owned(),
        _ => "неверные аргументы команды".to_owned(),
    };
    let help = match command {
        Some(c) => format!("voronka {c} --help"),
        None => "voronka --help".to_owned(),
    };
    format!("ошибка: {text}\nСправка: {help}")
}

/// The command named on the command line (the first argument that is one), for the hint.
pub fn command_named(args: &[String]) -> Option<String> {
    let cmd = command(Lang::Ru);
    args.iter()
        .skip(1)
        .find(|a| cmd.find_subcommand(a.as_str()).is_some())
        .cloned()
}
