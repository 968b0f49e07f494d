//! Generated documents: the template environment ([`Renderer`]), Russian/English formatting
//! ([`format`]), the pipeline diagram ([`svg`]), the forecast's charts ([`chart`]), the
//! documents themselves ([`docs`]) and the forecast report and sweep page ([`forecast`]).
//!
//! One set of Markdown templates per language lives in `templates/<lang>/`, and the files that
//! do not depend on the language (the HTML page, the stylesheets) in `templates/common/`; all
//! are embedded as defaults and overridable file by file (`--templates DIR`). HTML is made from the same
//! Markdown with pulldown-cmark and wrapped in `page.html` with a print stylesheet, and DOCX is
//! made from the same Markdown by [`docx`], so there is one set of templates, not three. The
//! plan decomposition and the pay example are computed in `planning` (`planning::plan`,
//! `planning::pay`) and only formatted here. Reads the model, the analysis, and results of
//! `planning` and `sim`; never prints and never runs a simulation.

pub mod backtest;
pub mod chart;
pub mod docs;
pub mod docx;
pub mod forecast;
pub mod format;
pub mod report;
pub mod ru;
pub mod svg;

use crate::diag::Lang;
use crate::model::Currency;
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use docs::{DocKind, DocsOptions, OutFormat, OutputFile, documents};

/// Template evaluation steps allowed per render: ample for any real regulation, and a bound
/// on a broken user template that loops.
const FUEL: u64 = 10_000_000;

/// The template files of a language, with what each is for (shown by `--list-templates`).
pub const TEMPLATES: [(&str, &str, &str); 12] = [
    (
        "regulation.md",
        "Положение о системе продаж",
        "The sales system regulation",
    ),
    (
        "memo.md",
        "памятка сотрудника (для каждой роли)",
        "the onboarding memo (one per role)",
    ),
    (
        "job.md",
        "должностная инструкция (для каждой роли)",
        "the job description (one per role)",
    ),
    (
        "forms.md",
        "формы отчётов; входит и в приложение к Положению",
        "the report forms; also the regulation's appendix",
    ),
    (
        "pay.md",
        "пример расчёта оплаты при 70/100/120 % плана (в Положении и памятке)",
        "the worked pay example at 70/100/120 % of plan (regulation and memo)",
    ),
    (
        "page.html",
        "обёртка HTML-документа",
        "the HTML page around a document",
    ),
    (
        "style.css",
        "оформление HTML для печати на A4",
        "the A4 print stylesheet of the HTML",
    ),
    (
        "forecast.md",
        "отчёт о прогнозе (simulate --format html) и приложение к Положению",
        "the forecast report (simulate --format html) and the regulation's appendix",
    ),
    (
        "sweep.md",
        "страница перебора параметра (sweep --format html)",
        "the parameter sweep page (sweep --format html)",
    ),
    (
        "backtest.md",
        "страница бэктеста прогноза (backtest --format html)",
        "the forecast backtest page (backtest --format html)",
    ),
    (
        "forecast.css",
        "оформление графиков прогноза",
        "the stylesheet of the forecast charts",
    ),
    (
        "crm.md",
        "README настройки CRM с чек-листом ручной настройки (voronka crm)",
        "the CRM set-up README with the manual checklist (voronka crm)",
    ),
];

/// The files that do not depend on the language, shared by both sets: they live in
/// `templates/common/`; `page.html` takes the language from the global `lang`.
pub const COMMON: [&str; 3] = ["page.html", "style.css", "forecast.css"];

/// The folder under `templates/` a built-in file comes from.
pub fn folder(name: &str, lang: Lang) -> &'static str {
    if COMMON.contains(&name) {
        "common"
    } else {
        match lang {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

/// The templates of one language: (name, embedded text), in the order of [`TEMPLATES`]; the
/// language-neutral ones ([`COMMON`]) are the same text in both.
pub fn embedded(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::Ru => &[
            ("regulation.md", include_str!("../../templates/ru/regulation.md")),
            ("memo.md", include_str!("../../templates/ru/memo.md")),
            ("job.md", include_str!("../../templates/ru/job.md")),
            ("forms.md", include_str!("../../templates/ru/forms.md")),
            ("pay.md", include_str!("../../templates/ru/pay.md")),
            ("page.html", include_str!("../../templates/common/page.html")),
            ("style.css", include_str!("../../templates/common/style.css")),
            ("forecast.md", include_str!("../../templates/ru/forecast.md")),
            ("sweep.md", include_str!("../../templates/ru/sweep.md")),
            ("backtest.md", include_str!("../../templates/ru/backtest.md")),
            (
                "forecast.css",
                include_str!("../../templates/common/forecast.css"),
            ),
            ("crm.md", include_str!("../../templates/ru/crm.md")),
        ],
        Lang::En => &[
            ("regulation.md", include_str!("../../templates/en/regulation.md")),
            ("memo.md", include_str!("../../templates/en/memo.md")),
            ("job.md", include_str!("../../templates/en/job.md")),
            ("forms.md", include_str!("../../templates/en/forms.md")),
            ("pay.md", include_str!("../../templates/en/pay.md")),
            ("page.html", include_str!("../../templates/common/page.html")),
            ("style.css", include_str!("../../templates/common/style.css")),
            ("forecast.md", include_str!("../../templates/en/forecast.md")),
            ("sweep.md", include_str!("../../templates/en/sweep.md")),
            ("backtest.md", include_str!("../../templates/en/backtest.md")),
            (
                "forecast.css",
                include_str!("../../templates/common/forecast.css"),
            ),
            ("crm.md", include_str!("../../templates/en/crm.md")),
        ],
    }
}

/// A template that failed to parse or render, located in the file the text came from.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateError {
    /// The user's file, or `templates/<lang>/<name>` for a built-in template.
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub kind: String,
    pub detail: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "шаблон {}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.kind)?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

fn kind_ru(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::SyntaxError => "синтаксическая ошибка",
        ErrorKind::UndefinedError => "неопределённая переменная или поле",
        ErrorKind::UnknownFilter => "неизвестный фильтр",
        ErrorKind::UnknownFunction => "неизвестная функция",
        ErrorKind::UnknownTest => "неизвестная проверка",
        ErrorKind::UnknownMethod => "неизвестный метод",
        ErrorKind::TemplateNotFound => "шаблон не найден",
        ErrorKind::InvalidOperation => "недопустимая операция",
        ErrorKind::MissingArgument => "не хватает аргумента",
        ErrorKind::TooManyArguments => "лишний аргумент",
        ErrorKind::BadInclude => "ошибка включения шаблона",
        ErrorKind::OutOfFuel => "шаблон превысил лимит вычислений (возможно, бесконечный цикл)",
        ErrorKind::BadSerialization => "ошибка данных",
        _ => "ошибка шаблона",
    }
}

/// The template environment of one language, with user overrides and the document filters.
pub struct Renderer {
    env: Environment<'static>,
    lang: Lang,
    /// Template name → (file shown in errors, source text).
    sources: BTreeMap<String, (PathBuf, String)>,
}

impl Renderer {
    /// Loads the built-in templates of `lang`, each replaced by `overrides/<name>` when that
    /// file exists.
    pub fn new(lang: Lang, currency: Currency, overrides: Option<&Path>) -> Result<Renderer, TemplateError> {
        let mut sources = BTreeMap::new();
        for (name, text) in embedded(lang) {
            let user = overrides.map(|d| d.join(name)).filter(|p| p.is_file());
            let entry = match user {
                Some(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| TemplateError {
                        file: path.clone(),
                        line: None,
                        column: None,
                        kind: "не удалось прочитать файл".to_string(),
                        detail: e.to_string(),
                    })?;
                    (path, text)
                }
                None => (
                    PathBuf::from(format!("templates/{}/{name}", folder(name, lang))),
                    text.to_string(),
                ),
            };
            sources.insert(name.to_string(), entry);
        }
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        env.set_keep_trailing_newline(true);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_formatter(formatter);
        // Every template knows its language (`page.html` writes it into `<html lang>`).
        env.add_global("lang", lang.pick("ru", "en"));
        add_filters(&mut env, lang, currency);
        let mut renderer = Renderer { env, lang, sources };
        let names: Vec<String> = renderer
            .sources
            .keys()
            .filter(|n| !n.ends_with(".css"))
            .cloned()
            .collect();
        for name in names {
            let text = renderer.sources[&name].1.clone();
            if let Err(e) = renderer.env.add_template_owned(name.clone(), text) {
                return Err(renderer.error(&e));
            }
        }
        Ok(renderer)
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// A raw file of the set (the stylesheet).
    pub fn raw(&self, name: &str) -> &str {
        self.sources.get(name).map(|(_, t)| t.as_str()).unwrap_or("")
    }

    /// Renders template `name` with `ctx`. The built-in templates render here; a set with a
    /// user's template (`--templates`) renders on a helper thread watched for memory, because
    /// fuel counts steps, not bytes: a macro that doubles a string with `~` 40 times takes a
    /// handful of steps and a terabyte. Past [`TEMPLATE_MEMORY`] more resident memory than at
    /// the start the render is given up with an error (the helper thread is left to end with
    /// the process, which reports the error and exits).
    pub fn render<S: serde::Serialize>(&self, name: &str, ctx: S) -> Result<String, TemplateError> {
        /// Resident memory the render of a user's template may add (bytes).
        const TEMPLATE_MEMORY: u64 = 1 << 30;
        /// Resident memory of this process (Linux; `None` elsewhere, where only fuel bounds it).
        fn resident() -> Option<u64> {
            let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
            let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
            Some(pages * 4096)
        }
        let template = self.env.get_template(name).map_err(|e| self.error(&e))?;
        let user = embedded(self.lang)
            .iter()
            .any(|(n, text)| self.sources.get(*n).is_some_and(|(_, t)| t != text));
        let start = if user { resident() } else { None };
        let Some(start) = start else {
            return template.render(ctx).map_err(|e| self.error(&e));
        };
        let ctx = Value::from_serialize(ctx);
        let env = self.env.clone();
        let owned = name.to_string();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = env.get_template(&owned).and_then(|t| t.render(ctx));
            let _ = tx.send(result);
        });
        loop {
            match rx.recv_timeout(std::time::Duration::from_millis(5)) {
                Ok(result) => return result.map_err(|e| self.error(&e)),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if resident().is_some_and(|now| now > start + TEMPLATE_MEMORY) {
                        let file = self
                            .sources
                            .get(name)
                            .map_or_else(|| PathBuf::from(name), |(f, _)| f.clone());
                        return Err(TemplateError {
                            file,
                            line: None,
                            column: None,
                            kind: "шаблон занял слишком много памяти".to_string(),
                            detail: format!(
                                "more than {} MiB; look for a macro or a loop that doubles a string",
                                TEMPLATE_MEMORY >> 20
                            ),
                        });
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(TemplateError {
                        file: PathBuf::from(name),
                        line: None,
                        column: None,
                        kind: "ошибка шаблона".to_string(),
                        detail: "the render stopped without a result".to_string(),
                    });
                }
            }
        }
    }

    /// Turns a minijinja error into one located in the template's file (line and column).
    fn error(&self, e: &Error) -> TemplateError {
        // The innermost error knows the template and the place; causes chain through includes.
        let mut located = e;
        let mut cur: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
        while let Some(c) = cur {
            if let Some(inner) = c.downcast_ref::<Error>()
                && inner.line().is_some()
            {
                located = inner;
            }
            cur = c.source();
        }
        let name = located.name().unwrap_or("");
        let (file, text) = match self.sources.get(name) {
            Some((file, text)) => (file.clone(), Some(text.as_str())),
            None => (PathBuf::from(name), None),
        };
        let column = match (located.range(), text) {
            (Some(range), Some(text)) => {
                let start = range.start.min(text.len());
                let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
                Some(text[line_start..start].chars().count() + 1)
            }
            _ => None,
        };
        TemplateError {
            file,
            line: located.line(),
            column,
            kind: kind_ru(located.kind()).to_string(),
            detail: located.detail().unwrap_or_default().to_string(),
        }
    }
}

/// Markdown templates escape every value they print (a `|` in a stage title must not break a
/// table, a `<` must not open HTML); values marked safe (diagrams, links) pass as they are.
/// HTML templates escape HTML.
fn formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    if !state.name().ends_with(".md") {
        return minijinja::escape_formatter(out, state, value);
    }
    if value.is_safe() {
        return write!(out, "{value}").map_err(Error::from);
    }
    if value.is_none() {
        return Ok(());
    }
    write!(out, "{}", escape_md(&value.to_string())).map_err(Error::from)
}

/// Backslash-escapes the ASCII punctuation that means something in Markdown.
pub fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn num(v: &Value) -> Result<f64, Error> {
    f64::try_from(v.clone()).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("ожидалось число, получено {v}"),
        )
    })
}

fn add_filters(env: &mut Environment<'static>, lang: Lang, currency: Currency) {
    env.add_filter("money", move |v: Value| -> Result<String, Error> {
        Ok(format::money(num(&v)?, currency, lang))
    });
    env.add_filter("percent", move |v: Value| -> Result<String, Error> {
        Ok(format::percent(num(&v)?, lang))
    });
    env.add_filter(
        "num",
        move |v: Value, decimals: Option<usize>| -> Result<String, Error> {
            Ok(format::number(num(&v)?, decimals.unwrap_or(1), lang))
        },
    );
    env.add_filter("date", move |v: String| format::date(&v, lang));
    env.add_filter("days", move |v: Value| -> Result<String, Error> {
        Ok(format::days(num(&v)?, lang))
    });
    env.add_filter("minutes", move |v: Value| -> Result<String, Error> {
        Ok(format::minutes(num(&v)?, lang))
    });
    env.add_filter(
        "plural",
        move |v: Value, one: String, few: String, many: Option<String>| -> Result<String, Error> {
            let many = many.unwrap_or_else(|| few.clone());
            Ok(format::plural(num(&v)?, &one, &few, &many, lang).to_string())
        },
    );
    env.add_filter("upper_first", |v: String| format::upper_first(&v));
    // Agreement (`ru`): a title after a verb, days after «дольше», a rate rolled up.
    env.add_filter("dative", move |v: String| match lang {
        Lang::Ru => ru::dative(&v),
        Lang::En => v,
    });
    env.add_filter("instrumental", move |v: String| match lang {
        Lang::Ru => ru::instrumental(&v),
        Lang::En => v,
    });
    env.add_filter("days_gen", move |v: Value| -> Result<String, Error> {
        let n = num(&v)?;
        Ok(match lang {
            Lang::Ru => ru::days_genitive(n),
            Lang::En => format::days(n, lang),
        })
    });
    // A list in running text: items joined by commas, or by semicolons when an item has a
    // comma of its own («Расход, м³/ч; Напор, м»).
    env.add_filter("items", |v: Vec<String>| -> String {
        let sep = if v.iter().any(|x| x.contains(',')) {
            "; "
        } else {
            ", "
        };
        v.join(sep)
    });
    env.add_filter("rate", move |v: Value| -> Result<String, Error> {
        Ok(ru::rate(num(&v)?, lang).unwrap_or_default())
    });
    // A table cell: one line.
    env.add_filter("cell", |v: Value| -> String {
        if v.is_none() || v.is_undefined() {
            return String::new();
        }
        v.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
    });
}

/// Drops the full stop a template adds after a text that already ends a sentence
/// (`… 2026 г.` + `.`), keeping ellipses.
pub fn tidy(md: &str) -> String {
    let chars: Vec<char> = md.chars().collect();
    let mut out = String::with_capacity(md.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let before = i.checked_sub(2).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let doubled =
            c == '.' && matches!(prev, Some('.' | '!' | '?')) && before != Some('.') && next != Some('.');
        if !doubled {
            out.push(c);
        }
    }
    out
}

/// Markdown → an HTML fragment (CommonMark with tables).
pub fn markdown_to_html(md: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    let mut out = String::with_capacity(md.len() * 2);
    html::push_html(&mut out, Parser::new_ext(md, options));
    out
}

/// A whole HTML page: `page.html` with the stylesheet and the body made from Markdown.
pub fn html_page(renderer: &Renderer, title: &str, md: &str) -> Result<String, TemplateError> {
    let body = markdown_to_html(md);
    renderer.render(
        "page.html",
        minijinja::context! {
            title => title,
            css => Value::from_safe_string(renderer.raw("style.css").to_string()),
            body => Value::from_safe_string(body),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_drops_doubled_full_stops_only() {
        assert_eq!(tidy("с 12 января 2026 г.."), "с 12 января 2026 г.");
        assert_eq!(tidy("Готово!. Далее"), "Готово! Далее");
        assert_eq!(tidy("и так далее..."), "и так далее...");
        assert_eq!(tidy("1. Пункт."), "1. Пункт.");
    }

    #[test]
    fn markdown_escaping_keeps_tables_whole() {
        assert_eq!(escape_md("a | b <script>"), "a \\| b \\<script\\>");
        let html = markdown_to_html(&format!("| x |\n|---|\n| {} |\n", escape_md("a | b")));
        assert!(html.contains("<td>a | b</td>"), "{html}");
    }

    #[test]
    fn a_template_error_names_the_built_in_file() {
        let r = Renderer::new(Lang::Ru, Currency::Rub, None).expect("built-in templates parse");
        let e = r
            .render("memo.md", minijinja::context! {})
            .expect_err("no context");
        assert!(e.file.ends_with("templates/ru/memo.md"), "{e}");
        assert!(e.line.is_some(), "{e}");
    }
}
