//! `voronka init`: a new regulation from the ten questions every sales process must answer
//! (who is responsible, the sequence of actions, the entry and exit points, the product, the
//! resources, the numeric targets, control, interactions, documents). The questions and their
//! defaults live here; the file is rendered from `templates/<lang>/init.sales` and passed through
//! the formatter, so it is canonical from the start. Reading answers works on any line reader
//! (a terminal or a pipe); nothing here prints except through the writer it is given.

use crate::diag::Lang;
use crate::syntax::ast::Unit;
use minijinja::{Environment, UndefinedBehavior, context};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::{BufRead, Write};

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// Several items separated by commas.
    List,
    /// A whole number in a range.
    Whole {
        min: u64,
        max: u64,
    },
    /// A whole amount of money in a range, written as the language writes amounts (`6 млн`,
    /// `450 000 ₽`).
    Money {
        min: u64,
        max: u64,
    },
    /// A percentage from 0 to 100 (`5%` or `5`).
    Percent,
}

struct Question {
    key: &'static str,
    ru: &'static str,
    en: &'static str,
    default_ru: &'static str,
    default_en: &'static str,
    kind: Kind,
}

const QUESTIONS: &[Question] = &[
    Question {
        key: "company",
        ru: "Как называется компания?",
        en: "What is the company called?",
        default_ru: "ООО «Компания»",
        default_en: "Company Ltd",
        kind: Kind::Text,
    },
    Question {
        key: "head",
        ru: "1. Кто отвечает за продажи? Должность",
        en: "1. Who is responsible for sales? Position",
        default_ru: "Руководитель отдела продаж",
        default_en: "Head of sales",
        kind: Kind::Text,
    },
    Question {
        key: "seller",
        ru: "1. Кто продаёт? Должность продавцов",
        en: "1. Who sells? Position of the salespeople",
        default_ru: "Менеджер по продажам",
        default_en: "Account executive",
        kind: Kind::Text,
    },
    Question {
        key: "headcount",
        ru: "1. Сколько продавцов в штате?",
        en: "1. How many salespeople are on staff?",
        default_ru: "3",
        default_en: "3",
        kind: Kind::Whole { min: 1, max: 10_000 },
    },
    Question {
        key: "salary",
        ru: "1. Оклад продавца в месяц",
        en: "1. A salesperson's monthly salary",
        default_ru: "60 000 ₽",
        default_en: "60 000 ₽",
        kind: Kind::Money {
            min: 0,
            max: 1_000_000_000,
        },
    },
    Question {
        key: "bonus",
        ru: "1. Бонус продавца, % выручки его сделок",
        en: "1. A salesperson's bonus, % of the revenue of their deals",
        default_ru: "5%",
        default_en: "5%",
        kind: Kind::Percent,
    },
    Question {
        key: "stages",
        ru: "2. Последовательность действий: этапы сделки через запятую",
        en: "2. The sequence of actions: deal stages, comma-separated",
        default_ru: "Квалификация, Встреча, Коммерческое предложение, Договор, Оплата",
        default_en: "Qualification, Meeting, Proposal, Contract, Payment",
        kind: Kind::List,
    },
    Question {
        key: "entry",
        ru: "3. Точка входа: что считается началом продажи?",
        en: "3. The entry point: what starts a sale?",
        default_ru: "Клиент оставил заявку или позвонил",
        default_en: "A prospect filled in a form or called",
        kind: Kind::Text,
    },
    Question {
        key: "exit",
        ru: "4. Точка выхода: когда продажа считается выполненной?",
        en: "4. The exit point: when is a sale done?",
        default_ru: "Оплата поступила на расчётный счёт",
        default_en: "The payment has reached the bank account",
        kind: Kind::Text,
    },
    Question {
        key: "product",
        ru: "5. Продукт: что вы продаёте?",
        en: "5. The product: what do you sell?",
        default_ru: "Основной продукт компании",
        default_en: "The company's main product",
        kind: Kind::Text,
    },
    Question {
        key: "resources",
        ru: "6. Ресурсы: системы и инструменты продаж через запятую",
        en: "6. Resources: sales systems and tools, comma-separated",
        default_ru: "CRM, Телефония, Шаблоны КП",
        default_en: "CRM, Telephony, Proposal templates",
        kind: Kind::List,
    },
    Question {
        key: "revenue",
        ru: "7. Цифровые результаты: плановая выручка в месяц",
        en: "7. Numeric targets: planned revenue a month",
        default_ru: "1 млн ₽",
        default_en: "1 000 000 ₽",
        kind: Kind::Money {
            min: 1,
            max: 1_000_000_000_000,
        },
    },
    Question {
        key: "channels",
        ru: "7. Откуда приходят заявки? Каналы через запятую",
        en: "7. Where do leads come from? Channels, comma-separated",
        default_ru: "Сайт, Выставки",
        default_en: "Website, Trade shows",
        kind: Kind::List,
    },
    Question {
        key: "deal",
        ru: "7. Средний чек",
        en: "7. Average deal size",
        default_ru: "50 000 ₽",
        default_en: "50 000 ₽",
        kind: Kind::Money {
            min: 1,
            max: 1_000_000_000_000,
        },
    },
    Question {
        key: "control",
        ru: "8. Контроль: как контролируются продажи?",
        en: "8. Control: how are sales controlled?",
        default_ru: "Еженедельный разбор воронки и прослушивание звонков",
        default_en: "A weekly pipeline review and call listening",
        kind: Kind::Text,
    },
    Question {
        key: "interactions",
        ru: "9. Взаимодействие: с какими отделами работают продажи (через запятую)?",
        en: "9. Interactions: which departments does sales work with (comma-separated)?",
        default_ru: "Маркетинг, Производство",
        default_en: "Marketing, Delivery",
        kind: Kind::List,
    },
    Question {
        key: "documents",
        ru: "10. Документы: инструкции и регламенты через запятую",
        en: "10. Documents: instructions and procedures, comma-separated",
        default_ru: "Скрипт первого звонка, Инструкция по работе в CRM",
        default_en: "First call script, CRM guide",
        kind: Kind::List,
    },
];

/// The most leads a month one channel may bring.
const MAX_LEADS: u64 = 10_000_000;

/// A source of leads: each becomes a channel of its own with its leads.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChannelAnswer {
    pub title: String,
    pub leads: u64,
}

/// The answers, as the template reads them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Answers {
    pub company: String,
    pub head: String,
    pub seller: String,
    pub headcount: u64,
    /// A salesperson's monthly salary.
    pub salary: u64,
    /// A salesperson's bonus, percent of the revenue of their deals (5 for 5%).
    pub bonus_percent: f64,
    pub stages: Vec<String>,
    pub entry: String,
    pub exit: String,
    pub product: String,
    pub resources: Vec<String>,
    pub revenue: u64,
    pub channels: Vec<ChannelAnswer>,
    pub deal: u64,
    pub control: String,
    pub interactions: Vec<String>,
    pub documents: Vec<String>,
}

impl Answers {
    /// Every answer at its default.
    pub fn defaults(lang: Lang) -> Answers {
        let mut answers = Answers::default();
        for q in QUESTIONS {
            let default = lang.pick(q.default_ru, q.default_en);
            // The defaults are valid answers by construction (a test checks it).
            let _ = answers.set(q, default);
        }
        for (i, c) in answers.channels.iter_mut().enumerate() {
            c.leads = default_leads(i);
        }
        answers
    }

    /// Records one answer; `Err` says, in `lang`, why it is not acceptable.
    fn set(&mut self, q: &Question, raw: &str) -> Result<(), (String, String)> {
        let text = raw.trim().to_string();
        let list = || -> Vec<String> {
            text.split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        match q.kind {
            Kind::Whole { min, max } => {
                let n = whole(&text, min, max)?;
                self.headcount = n;
            }
            Kind::Money { min, max } => {
                let n = amount(&text, min, max)?;
                match q.key {
                    "salary" => self.salary = n,
                    "revenue" => self.revenue = n,
                    _ => self.deal = n,
                }
            }
            Kind::Percent => self.bonus_percent = percent(&text)?,
            Kind::List => {
                let items = list();
                if items.is_empty() {
                    return Err((
                        "нужен хотя бы один пункт; пункты разделяются запятой".into(),
                        "at least one item is needed; separate items by commas".into(),
                    ));
                }
                match q.key {
                    "stages" => self.stages = items,
                    "channels" => {
                        self.channels = items
                            .into_iter()
                            .enumerate()
                            .map(|(i, title)| ChannelAnswer {
                                title,
                                leads: default_leads(i),
                            })
                            .collect()
                    }
                    "resources" => self.resources = items,
                    "interactions" => self.interactions = items,
                    _ => self.documents = items,
                }
            }
            Kind::Text => {
                if text.is_empty() {
                    return Err(("нужен ответ".into(), "an answer is needed".into()));
                }
                let field = match q.key {
                    "company" => &mut self.company,
                    "head" => &mut self.head,
                    "seller" => &mut self.seller,
                    "entry" => &mut self.entry,
                    "exit" => &mut self.exit,
                    "product" => &mut self.product,
                    _ => &mut self.control,
                };
                *field = text;
            }
        }
        Ok(())
    }
}

/// Why an answer is refused: the message in Russian and in English.
type Refusal = (String, String);

/// The leads a month a channel takes by default: the first brings most.
fn default_leads(i: usize) -> u64 {
    if i == 0 { 80 } else { 20 }
}

/// A quantity as the language reads it (`syntax::quantity`: `1 000 000`, `1_000`, `6 млн`,
/// `450 000 ₽`, `1,5 млн руб`, `300 тыс`), whole and in `min..=max`, with a unit `allowed`.
fn whole_quantity(text: &str, min: u64, max: u64, allowed: fn(Option<Unit>) -> bool) -> Option<u64> {
    let q = crate::syntax::quantity(text)?;
    let x = q.value;
    let whole = x.is_finite() && x >= 0.0 && (x - x.round()).abs() < 1e-6;
    (allowed(q.unit) && whole)
        .then(|| x.round() as u64)
        .filter(|n| (min..=max).contains(n))
}

/// A whole number (a headcount): no unit.
fn whole(text: &str, min: u64, max: u64) -> Result<u64, (String, String)> {
    whole_quantity(text, min, max, |u| u.is_none()).ok_or_else(|| {
        (
            format!("нужно целое число от {min} до {max}, например 3"),
            format!("a whole number from {min} to {max} is needed, e.g. 3"),
        )
    })
}

/// A whole amount of money: a currency sign or word, or none.
fn amount(text: &str, min: u64, max: u64) -> Result<u64, (String, String)> {
    let money = |u: Option<Unit>| matches!(u, None | Some(Unit::Rub | Unit::Usd | Unit::Eur));
    let (lo, hi) = (
        crate::locale::number(min as f64, 0, Lang::Ru),
        crate::locale::number(max as f64, 0, Lang::Ru),
    );
    whole_quantity(text, min, max, money).ok_or_else(|| {
        (
            format!("нужна сумма в рублях от {lo} до {hi}: например 450 000 ₽, 6 млн или 300 тыс"),
            format!("an amount from {min} to {max} is needed: e.g. 450 000 ₽, 6 M or 300 k"),
        )
    })
}

/// A leads count of a channel.
fn leads(text: &str) -> Result<u64, (String, String)> {
    whole(text, 1, MAX_LEADS)
}

/// A percentage from 0 to 100: `5%`, `2,5 %` or a bare `5`.
fn percent(text: &str) -> Result<f64, (String, String)> {
    crate::syntax::quantity(text)
        .filter(|q| matches!(q.unit, None | Some(Unit::Percent)))
        .map(|q| q.value)
        .filter(|x| (0.0..=100.0).contains(x))
        .ok_or_else(|| {
            (
                "нужен процент от 0 до 100, например 5%".into(),
                "a percentage from 0 to 100 is needed, e.g. 5%".into(),
            )
        })
}

/// Asks every question on `prompt`, reading one line per answer from `input`. An empty line
/// takes the default shown in brackets; a bad answer is asked again; at the end of the input
/// every remaining question takes its default. `echo` writes each answer after its question,
/// for input that is not typed on a terminal (so the transcript reads as a dialogue).
pub fn ask(
    input: &mut impl BufRead,
    prompt: &mut impl Write,
    lang: Lang,
    echo: bool,
) -> std::io::Result<Answers> {
    let mut answers = Answers::defaults(lang);
    let mut ended = false;
    let mut one = |question: &str,
                   default: &str,
                   set: &mut dyn FnMut(&str) -> Result<(), Refusal>|
     -> std::io::Result<()> {
        loop {
            write!(prompt, "{question} [{default}]: ")?;
            prompt.flush()?;
            let mut line = String::new();
            if !ended && input.read_line(&mut line)? == 0 {
                ended = true;
            }
            let line = line.trim();
            if ended || echo {
                writeln!(prompt, "{line}")?;
            }
            let answer = if line.is_empty() { default } else { line };
            match set(answer) {
                Ok(()) => return Ok(()),
                Err((ru, en)) => {
                    writeln!(prompt, "{}", lang.pick(&ru, &en))?;
                    if ended {
                        // Nothing more to read: keep the default rather than ask forever.
                        return Ok(());
                    }
                }
            }
        }
    };
    for q in QUESTIONS {
        one(
            lang.pick(q.ru, q.en),
            lang.pick(q.default_ru, q.default_en),
            &mut |a| answers.set(q, a),
        )?;
        if q.key == "channels" {
            // Each source its own leads.
            for (i, c) in answers.channels.iter_mut().enumerate() {
                let question = match lang {
                    Lang::Ru => format!("7. Сколько заявок в месяц приходит: {}?", c.title),
                    Lang::En => format!("7. How many leads a month come from: {}?", c.title),
                };
                let default = default_leads(i).to_string();
                one(&question, &default, &mut |a| {
                    c.leads = leads(a)?;
                    Ok(())
                })?;
            }
        }
    }
    Ok(answers)
}

/// A name for the file from an answer: `Коммерческое предложение` → `КоммерческоеПредложение`.
/// Falls back to `prefix` + a number when nothing usable is left; never repeats a name in `taken`.
fn name(text: &str, prefix: &str, taken: &mut BTreeSet<String>) -> String {
    let mut out = String::new();
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    if !out.chars().next().is_some_and(char::is_alphabetic) {
        out = format!("{prefix}{out}");
    }
    let mut candidate = out.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{out}{n}");
        n += 1;
    }
    candidate
}

/// A string literal of the language: `"…"` with `"` and `\` escaped.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[derive(Serialize)]
struct RenderedChannel {
    name: String,
    title: String,
    leads: u64,
}

#[derive(Serialize)]
struct Named {
    name: String,
    title: String,
}

/// The `.sales` text for `answers`, formatted. `file` is the name the comments tell the user
/// to check.
pub fn render(answers: &Answers, lang: Lang, file: &str) -> Result<String, String> {
    let mut taken = BTreeSet::new();
    let (head_prefix, seller_prefix, stage_prefix) = match lang {
        Lang::Ru => ("Роль", "Роль", "Этап"),
        Lang::En => ("Role", "Role", "Stage"),
    };
    let named = |items: &[String], prefix: &str, taken: &mut BTreeSet<String>| -> Vec<Named> {
        items
            .iter()
            .map(|t| Named {
                name: name(t, prefix, taken),
                title: t.clone(),
            })
            .collect()
    };
    let head = name(
        answers.head.split_whitespace().next().unwrap_or(""),
        head_prefix,
        &mut taken,
    );
    let seller = name(
        answers.seller.split_whitespace().next().unwrap_or(""),
        seller_prefix,
        &mut taken,
    );
    let stages = named(&answers.stages, stage_prefix, &mut taken);
    let resources = named(&answers.resources, lang.pick("Ресурс", "Resource"), &mut taken);
    let interactions = named(&answers.interactions, lang.pick("Связь", "Link"), &mut taken);
    let documents = named(&answers.documents, lang.pick("Документ", "Document"), &mut taken);
    let pipeline = name(lang.pick("Продажа", "Sales"), "P", &mut taken);
    let channels: Vec<RenderedChannel> = answers
        .channels
        .iter()
        .map(|c| RenderedChannel {
            name: name(&c.title, lang.pick("Канал", "Channel"), &mut taken),
            title: c.title.clone(),
            leads: c.leads,
        })
        .collect();
    // The bonus as the language writes a number: `5`, `2.5`.
    let bonus = crate::locale::number(answers.bonus_percent, 2, Lang::En).replace(',', "");
    let control = name(lang.pick("Контроль", "Review"), "K", &mut taken);

    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_filter("q", |s: String| quote(&s));
    let template = match lang {
        Lang::Ru => include_str!("../../templates/ru/init.sales"),
        Lang::En => include_str!("../../templates/en/init.sales"),
    };
    let text = env
        .render_str(
            template,
            context! {
                a => answers,
                file,
                head,
                seller,
                stages,
                resources,
                interactions,
                documents,
                pipeline,
                channels,
                bonus,
                control,
            },
        )
        .map_err(|e| e.to_string())?;
    // Through the formatter with units normalised: numbers come out grouped (`1 000 000`).
    let options = crate::fmt::Options {
        normalize_units: true,
    };
    crate::fmt::format_text_with(std::path::Path::new(file), &text, &options).map_err(|e| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_answers() {
        for lang in [Lang::Ru, Lang::En] {
            let mut answers = Answers::default();
            for q in QUESTIONS {
                assert!(
                    answers.set(q, lang.pick(q.default_ru, q.default_en)).is_ok(),
                    "{}",
                    q.key
                );
            }
        }
    }

    #[test]
    fn names_are_identifiers_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(
            name("Коммерческое предложение", "Этап", &mut taken),
            "КоммерческоеПредложение"
        );
        assert_eq!(
            name("коммерческое  предложение!", "Этап", &mut taken),
            "КоммерческоеПредложение2"
        );
        assert_eq!(name("1С", "Ресурс", &mut taken), "Ресурс1С");
        assert_eq!(name("«»", "Этап", &mut taken), "Этап");
    }

    #[test]
    fn numbers_are_read_as_the_language_reads_them() {
        let w = |t| whole(t, 0, u64::MAX).ok();
        let m = |t| amount(t, 0, u64::MAX).ok();
        assert_eq!(w("1 000 000"), Some(1_000_000));
        assert_eq!(w("1_000"), Some(1000));
        assert_eq!(w("три"), None);
        assert_eq!(w("-3"), None);
        assert_eq!(w("2.5"), None);
        assert_eq!(w("5 ₽"), None, "a headcount is not money");
        assert_eq!(whole("0", 1, 10).ok(), None);
        // Amounts as the language writes them.
        assert_eq!(m("6 млн"), Some(6_000_000));
        assert_eq!(m("450 000 ₽"), Some(450_000));
        assert_eq!(m("1,5 млн руб"), Some(1_500_000));
        assert_eq!(m("2,3 млн"), Some(2_300_000));
        assert_eq!(m("300 тыс"), Some(300_000));
        assert_eq!(m("300 тыс ₽"), Some(300_000));
        assert_eq!(m("млн"), None);
        assert_eq!(m("5 дн"), None, "not money");
        assert_eq!(percent("5%").ok(), Some(5.0));
        assert_eq!(percent("2,5 %").ok(), Some(2.5));
        assert_eq!(percent("7").ok(), Some(7.0));
        assert_eq!(percent("120%").ok(), None);
    }

    #[test]
    fn answers_are_read_line_by_line_and_bad_ones_asked_again() {
        let input = "Ромашка\n\nПродавец\n0\n7\n450 000 ₽\n\nА, Б ,, В\n";
        let mut out = Vec::new();
        let a = ask(&mut input.as_bytes(), &mut out, Lang::Ru, true).expect("reads");
        assert_eq!(a.company, "Ромашка");
        assert_eq!(a.head, "Руководитель отдела продаж");
        assert_eq!(a.seller, "Продавец");
        assert_eq!(a.headcount, 7);
        assert_eq!(a.salary, 450_000);
        assert_eq!(a.bonus_percent, 5.0);
        assert_eq!(a.stages, ["А", "Б", "В"]);
        assert_eq!(a.revenue, 1_000_000, "the input ended: the rest are defaults");
        assert_eq!(a.channels.len(), 2);
        assert_eq!((a.channels[0].leads, a.channels[1].leads), (80, 20));
        let transcript = String::from_utf8(out).unwrap();
        assert_eq!(transcript.matches("Сколько продавцов в штате? [3]: ").count(), 2);
        assert!(
            transcript.contains("[3]: 0\nнужно целое число от 1 до 10000"),
            "{transcript}"
        );
    }

    #[test]
    fn quotes_are_escaped() {
        assert_eq!(quote(r#"ООО "Ромашка" \ 1"#), r#""ООО \"Ромашка\" \\ 1""#);
    }
}
