//! The layout rules, one case each: input → expected output.

use super::*;

fn fmt(src: &str) -> String {
    match format_text(Path::new("t.sales"), src) {
        Ok(out) => out,
        Err(e) => panic!("{e:?} for\n{src}"),
    }
}

fn fmt_units(src: &str) -> String {
    let options = Options {
        normalize_units: true,
    };
    format_text_with(Path::new("t.sales"), src, &options).expect("formats")
}

#[test]
fn layout_rules() {
    let cases: &[(&str, &str)] = &[
        // Indentation by two spaces per brace, whatever was written.
        (
            "роль А {\n\t\tштат 4\n      подчиняется Б\n}\n",
            "роль А {\n  штат 4\n  подчиняется Б\n}\n",
        ),
        // Statements on one line are joined by `; `, whatever separated them.
        (
            "роль А {\n  штат 4 подчиняется Б;функция хантер ;\n}\n",
            "роль А {\n  штат 4; подчиняется Б; функция хантер\n}\n",
        ),
        // A block written on one line stays on one line; an empty one is `{ }`.
        ("роль А {штат 1;}\nэтап\n", ""),
        ("роль А   {штат 1;}", "роль А { штат 1 }\n"),
        ("причина Б \"x\" {}", "причина Б \"x\" { }\n"),
        // A block with a line break inside opens and closes on its own lines.
        (
            "роль А { штат 1\n подчиняется Б }",
            "роль А {\n  штат 1\n  подчиняется Б\n}\n",
        ),
        // `{` joins the line before it.
        ("роль А\n{\nштат 1\n}", "роль А {\n  штат 1\n}\n"),
        // Spacing around units, ranges, arrows, commas, operators and calls.
        (
            "воронка В {этап А{конверсия 40 %;длительность 1 .. 3дн; отказ 30%->проиграно}}",
            "воронка В { этап А { конверсия 40%; длительность 1..3 дн; отказ 30% -> проиграно } }\n",
        ),
        (
            "воронка В { чек треуг( 1 , 2 ,3 )тыс ₽ }",
            "воронка В { чек треуг(1, 2, 3) тыс ₽ }\n",
        ),
        (
            "показатель К { формула перешло ( В )/вошло(В)*100 ; цель>=20% }",
            "показатель К { формула перешло(В) / вошло(В) * 100; цель >= 20% }\n",
        ),
        (
            "показатель К { формула - ( выиграно - 1 ) }",
            "показатель К { формула -(выиграно - 1) }\n",
        ),
        // Runs of blank lines become one; none after `{` or before `}`, none at the ends.
        (
            "\n\nроль А {\n\n  штат 1\n\n\n  подчиняется Б\n\n}\n\n\nроль Б { }\n\n",
            "роль А {\n  штат 1\n\n  подчиняется Б\n}\n\nроль Б { }\n",
        ),
        // Items never share a line.
        ("роль А { } роль Б { }", "роль А { }\nроль Б { }\n"),
        // Parts of a contact keep `;` or a space as written; on a new line they are indented
        // as a continuation.
        (
            "воронка В { этап А { цепочка {\nзвонок \"x\" 5 мин попыток 2;дозвон 40%;иначе -> проиграно\nписьмо \"y\"\nчерез 1 дн\n} } }",
            "воронка В {\n  этап А {\n    цепочка {\n      звонок \"x\" 5 мин попыток 2; дозвон 40%; иначе -> проиграно\n      письмо \"y\"\n          через 1 дн\n    }\n  }\n}\n",
        ),
        // A statement broken over lines continues four spaces deeper.
        (
            "канал К {\nсезонность 1, 2,\n3, 4\n}",
            "канал К {\n  сезонность 1, 2,\n      3, 4\n}\n",
        ),
        // A `;` that keeps a number from taking the next word as its unit survives a line end.
        (
            "адаптация Р {\n  день 1 \"a\" доля_плана 30;\n  день 60 \"b\"\n}",
            "адаптация Р {\n  день 1 \"a\" доля_плана 30;\n  день 60 \"b\"\n}\n",
        ),
        // Strings, multi-line ones included, are kept byte for byte.
        (
            "документ Д {\n      текст \"\"\"\n   строка  один\n\"\"\"\n}",
            "документ Д {\n  текст \"\"\"\n   строка  один\n\"\"\"\n}\n",
        ),
        // Digit grouping and unit spelling as written without the option.
        (
            "роль А { оклад 90000 руб; найм 1 с 3 месяца }",
            "роль А { оклад 90000 руб; найм 1 с 3 месяца }\n",
        ),
    ];
    for (input, want) in cases {
        if want.is_empty() {
            assert!(format_text(Path::new("t.sales"), input).is_err(), "{input}");
            continue;
        }
        let got = fmt(input);
        assert_eq!(&got, want, "input:\n{input}");
        assert_eq!(fmt(&got), got, "not idempotent:\n{input}");
    }
}

#[test]
fn comments_stay_where_they_were() {
    let src = "# шапка\n\n\n# вторая\nроль А { # после скобки\n  штат 4   # хвост\n  # своя строка\n\n  подчиняется Б # ещё\n  функция хантер\n  # перед скобкой\n} # после\n# конец";
    let want = "# шапка\n\n# вторая\nроль А {  # после скобки\n  штат 4  # хвост\n  # своя строка\n\n  подчиняется Б  # ещё\n  функция хантер\n  # перед скобкой\n}  # после\n# конец\n";
    assert_eq!(fmt(src), want);
    assert_eq!(fmt(want), want);
}

#[test]
fn trailing_comments_of_consecutive_lines_are_aligned() {
    let src = "роль А {\n  штат 4 # a\n  подчиняется Директор # b\n  функция хантер\n  оклад 1 ₽ # c\n}\n";
    let want = "роль А {\n  штат 4                # a\n  подчиняется Директор  # b\n  функция хантер\n  оклад 1 ₽  # c\n}\n";
    assert_eq!(fmt(src), want);
}

#[test]
fn a_file_of_comments_only_keeps_them() {
    assert_eq!(fmt("  # один  \n\n\n# два"), "# один\n\n# два\n");
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n"), "");
}

#[test]
fn line_endings_and_byte_order_mark_are_kept() {
    let crlf = "\u{FEFF}роль А {\r\n  штат 4 # x\r\n\r\n\r\n  подчиняется Б\r\n}\r\n";
    assert_eq!(
        fmt(crlf),
        "\u{FEFF}роль А {\r\n  штат 4  # x\r\n\r\n  подчиняется Б\r\n}\r\n"
    );
    assert_eq!(fmt("роль А {\n штат 4\n}"), "роль А {\n  штат 4\n}\n");
}

#[test]
fn a_syntax_error_is_reported_not_formatted() {
    match format_text(Path::new("t.sales"), "роль А { штат }\nроль Б { }") {
        Err(FormatError::Syntax { sources, diagnostics }) => {
            assert_eq!(sources.get(FileId(0)).path, Path::new("t.sales"));
            assert_eq!(diagnostics.len(), 1);
            assert_eq!(diagnostics[0].code(), "E0001");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn units_and_numbers_are_normalised_on_request() {
    assert_eq!(
        fmt_units("роль А { оклад 90000 руб; найм 1 с 3 месяца; текучесть 20% в года }"),
        "роль А { оклад 90 000 ₽; найм 1 с 3 мес; текучесть 20% в год }\n"
    );
    assert_eq!(
        fmt_units("channel C { leads 2_000 per months; lead_cost 5 USD }"),
        "channel C { leads 2 000 per month; lead_cost 5 $ }\n"
    );
    assert_eq!(
        fmt_units("воронка В { чек 150тыс. .. 2 млн руб }"),
        "воронка В { чек 150 тыс..2 млн ₽ }\n"
    );
}

#[test]
fn texts_the_model_keeps_are_not_normalised() {
    let src = "взаимодействие В { срок 2 дней }\nпоказатель К { формула выиграно * 1000 }\nучёт { что \"x\"; срок 15 минут }\nроль А { найм 1 с 3 месяца }\n";
    assert_eq!(
        fmt_units(src),
        "взаимодействие В { срок 2 дней }\nпоказатель К { формула выиграно * 1000 }\nучёт { что \"x\"; срок 15 минут }\nроль А { найм 1 с 3 мес }\n"
    );
}

#[test]
fn unit_spellings_come_from_the_grammar() {
    for word in [
        "день", "дн", "days", "мес", "тыс", "млн", "в", "per", "руб", "₽", "%",
    ] {
        assert!(layout::unit_like(word), "{word}");
    }
    for word in ["штат", "доля_плана", "вес", "критический"] {
        assert!(!layout::unit_like(word), "{word}");
    }
}
