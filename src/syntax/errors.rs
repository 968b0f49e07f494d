//! pest errors → diagnostics, with rule names turned into phrases a reader understands:
//! «ожидалось `этап` или `}`», never `expected kw_stage`. Keyword spellings are read from the
//! grammar itself, so the grammar stays the one place they are written.

use super::Rule;
use crate::diag::{Diagnostic, Kind, Msg};
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};
use std::collections::HashMap;
use std::sync::OnceLock;

const MAX_LISTED: usize = 6;

/// `kw_stage` → ("этап", "stage"): the first and last spelling in the keyword's rule.
fn keyword_spellings() -> &'static HashMap<String, (String, String)> {
    static TABLE: OnceLock<HashMap<String, (String, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        super::keywords::all()
            .iter()
            .filter_map(|k| {
                let first = k.spellings.first()?.clone();
                let last = k.spellings.last()?.clone();
                Some((k.rule.clone(), (first, last)))
            })
            .collect()
    })
}

/// A phrase for what a rule stands for.
fn describe(rule: Rule) -> Msg {
    let name = format!("{rule:?}");
    if let Some((ru, en)) = keyword_spellings().get(&name) {
        return Msg::new(format!("`{ru}`"), format!("`{en}`"));
    }
    let (ru, en) = match rule {
        Rule::lbrace => ("`{`", "`{`"),
        Rule::rbrace => ("`}`", "`}`"),
        Rule::lparen => ("`(`", "`(`"),
        Rule::rparen => ("`)`", "`)`"),
        Rule::comma => ("`,`", "`,`"),
        Rule::semi => ("`;`", "`;`"),
        Rule::arrow => ("`->`", "`->`"),
        Rule::range_dots => ("`..`", "`..`"),
        Rule::ident | Rule::name | Rule::path | Rule::counter => ("имя", "a name"),
        Rule::string | Rule::title | Rule::plain_string | Rule::raw_string => {
            ("строка в кавычках", "a string in quotes")
        }
        Rule::number | Rule::quantity => ("число", "a number"),
        Rule::date => ("дата (ГГГГ-ММ-ДД)", "a date (YYYY-MM-DD)"),
        Rule::rate => ("частота (`300 в мес`)", "a rate (`300 per mo`)"),
        Rule::period => ("период (`день`, `нед`, `мес`)", "a period (`day`, `wk`, `mo`)"),
        Rule::distribution | Rule::dist_fixed | Rule::dist_range => (
            "значение или распределение (`2 дн`, `1..3 дн`)",
            "a value or distribution (`2 d`, `1..3 d`)",
        ),
        Rule::target => (
            "цель перехода (этап, воронка, `выиграно`, `проиграно`)",
            "a target (stage, pipeline, `won`, `lost`)",
        ),
        Rule::cmp_op => (
            "сравнение (`>=`, `<=`, `<`, `>`)",
            "a comparison (`>=`, `<=`, `<`, `>`)",
        ),
        Rule::expr | Rule::counter_call => ("формула", "a formula"),
        Rule::op_add | Rule::op_sub | Rule::op_mul | Rule::op_div => {
            ("оператор (`+ - * /`)", "an operator (`+ - * /`)")
        }
        Rule::code => ("код правила (`W0001`)", "a lint code (`W0001`)"),
        Rule::contact => (
            "контакт (`звонок`, `встреча`, `письмо`…)",
            "a contact (`call`, `meeting`, `email`…)",
        ),
        Rule::stage => ("`этап`", "`stage`"),
        Rule::EOI => ("конец элемента", "end of item"),
        Rule::role_function => (
            "функция (`хантер`, `клоузер`, `фермер`, `руководитель`, `контроль_качества`, `поддержка`)",
            "a function (`hunter`, `closer`, `farmer`, `head`, `quality`, `support`)",
        ),
        Rule::direction => (
            "направление (`больше_лучше`, `меньше_лучше`, `в_диапазоне`)",
            "a direction (`higher_is_better`, `lower_is_better`, `within_band`)",
        ),
        Rule::colour_band | Rule::colour_name => (
            "цвет (`красный`, `жёлтый`, `зелёный`)",
            "a colour (`red`, `yellow`, `green`)",
        ),
        Rule::period_word => (
            "период (`ежедневно`, `еженедельно`, `ежемесячно`, `ежеквартально`, `ежегодно`, `день`, `нед`, `мес`)",
            "a period (`daily`, `weekly`, `monthly`, `quarterly`, `yearly`, `day`, `week`, `month`)",
        ),
        Rule::plan_metric => (
            "показатель плана (`выручка`, `сделки`, `новые_клиенты`)",
            "a plan metric (`revenue`, `deals`, `new_clients`)",
        ),
        Rule::bonus_base => (
            "база бонуса (`выручки`, `маржи`, `плана`)",
            "a bonus base (`revenue`, `margin`, `of_plan`)",
        ),
        Rule::contact_kind => (
            "контакт (`звонок`, `встреча`, `письмо`, `сообщение`, `кп`, `договор`, `счёт`, `демо`, `задача`)",
            "a contact (`call`, `meeting`, `email`, `message`, `proposal`, `contract`, `invoice`, `demo`, `task`)",
        ),
        Rule::role_ref => ("роль или `отдел`", "a role or `department`"),
        Rule::norm_subject => (
            "счётчик (`звонки`, `встречи`, …)",
            "a counter (`calls`, `meetings`, …)",
        ),
        Rule::bound => (
            "значение (`>= 20%` или `60%..80%`)",
            "a value (`>= 20%` or `60%..80%`)",
        ),
        Rule::clock => ("время (`9:15`)", "a time of day (`9:15`)"),
        Rule::clock_range => ("часы работы (`9:00..18:00`)", "working hours (`9:00..18:00`)"),
        Rule::moment | Rule::moment_day | Rule::month_day => (
            "момент (`18:00`, `пн 12:00`, `5 число`)",
            "a moment (`18:00`, `mon 12:00`, `5 of_month`)",
        ),
        Rule::weekday | Rule::weekdays => ("день недели (`пн`, `пн..пт`)", "a weekday (`mon`, `mon..fri`)"),
        Rule::cadence => ("частота (`3 раза в нед`)", "a cadence (`3 times per wk`)"),
        Rule::ev_enter
        | Rule::ev_leave
        | Rule::ev_stay
        | Rule::ev_field
        | Rule::ev_kpi
        | Rule::ev_no_purchase
        | Rule::ev_no_activity
        | Rule::ev_every => (
            "событие (`вход`, `выход`, `в_этапе`, `поле`, `показатель`, `без_покупки`, `без_активности`, `каждые`)",
            "an event (`entry`, `exit`, `in_stage`, `field`, `kpi`, `no_purchase`, `no_activity`, `every`)",
        ),
        Rule::act_contact | Rule::act_meeting | Rule::act_notify | Rule::act_transfer => (
            "действие (контакт, `совещание`, `уведомить`, `перевести ->`)",
            "an action (a contact, `meeting`, `notify`, `transfer ->`)",
        ),
        _ => {
            let n = name
                .trim_start_matches(|c: char| c != '_')
                .trim_start_matches('_');
            let n = if n.is_empty() { name.as_str() } else { n };
            return Msg::new(format!("`{n}`"), format!("`{n}`"));
        }
    };
    Msg::new(ru, en)
}

/// What stands at `pos`, and how many bytes of it to underline.
fn found_at(text: &str, pos: usize, chunk_end: usize) -> (Msg, usize) {
    let rest = &text[pos.min(text.len())..chunk_end.max(pos).min(text.len())];
    let content = strip_trivia(rest);
    let Some(c) = content.chars().next() else {
        if chunk_end >= text.len() {
            return (Msg::new("конец файла", "end of file"), 0);
        }
        let word: String = text[chunk_end..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        return (
            Msg::new(
                format!("начало следующего элемента `{word}`"),
                format!("the start of the next item `{word}`"),
            ),
            0,
        );
    };
    // `content`, not `rest`: the trivia skipped may be multi-byte (U+3000, U+2028, …).
    if c.is_alphanumeric() || c == '_' {
        let word: String = content
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .take(40)
            .collect();
        let len = word.len();
        (Msg::new(format!("`{word}`"), format!("`{word}`")), len)
    } else if c == '"' {
        let closed = if content[1..].starts_with("\"\"") {
            content[3..].contains("\"\"\"")
        } else {
            let mut escaped = false;
            content[1..].chars().any(|c| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            })
        };
        if closed {
            (Msg::new("строка", "a string"), 1)
        } else {
            (
                Msg::new(
                    "незакрытая строка: нет парной кавычки `\"`",
                    "an unclosed string: no closing `\"`",
                ),
                1,
            )
        }
    } else {
        (Msg::new(format!("`{c}`"), format!("`{c}`")), c.len_utf8())
    }
}

/// The text without leading whitespace and comments.
fn strip_trivia(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if let Some(rest) = t.strip_prefix('#') {
            s = rest.find('\n').map_or("", |n| &rest[n..]);
        } else {
            return t;
        }
    }
}

pub(super) fn to_diagnostic(
    err: Error<Rule>,
    file: FileId,
    chunk_start: usize,
    chunk_end: usize,
    text: &str,
) -> Diagnostic {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    } + chunk_start;
    match err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut expected: Vec<Msg> = Vec::new();
            let word: String = text[pos.min(text.len())..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            let spellings = keyword_spellings();
            let suggestion = if word.is_empty() {
                None
            } else {
                let names: Vec<String> = positives
                    .iter()
                    .filter_map(|r| spellings.get(&format!("{r:?}")))
                    .flat_map(|(ru, en)| [ru.clone(), en.clone()])
                    .collect();
                crate::diag::suggest(&word, names.iter().map(String::as_str))
            };
            // A statement keyword is what the writer most likely meant; units and multipliers
            // only clutter the list then.
            let has_keywords = positives.iter().any(|r| format!("{r:?}").starts_with("kw_"));
            let mut positives = positives;
            if has_keywords {
                positives.retain(|r| {
                    let n = format!("{r:?}");
                    !n.starts_with("unit_")
                        && !n.starts_with("mult_")
                        && !matches!(r, Rule::range_dots | Rule::per)
                });
                positives.sort_by_key(|r| *r != Rule::rbrace);
            }
            for rule in positives {
                let m = describe(rule);
                if !expected.contains(&m) {
                    expected.push(m);
                }
            }
            if expected.len() > MAX_LISTED {
                expected.truncate(MAX_LISTED);
                expected.push(Msg::new("…", "…"));
            }
            let (found, len) = found_at(text, pos, chunk_end);
            let number = describe(Rule::number);
            let number_expected = !expected.is_empty() && expected.iter().all(|m| *m == number);
            Diagnostic::new(
                Kind::Syntax {
                    expected,
                    found,
                    suggestion,
                    number_expected,
                },
                Span::new(file, pos, (pos + len).min(text.len())),
            )
        }
        ErrorVariant::CustomError { .. } => Diagnostic::new(Kind::ParserBudget, Span::new(file, pos, pos)),
    }
}
