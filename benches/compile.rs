//! `check` speed on synthetic regulations of 1k, 5k and 10k lines: parse, lower and every rule.
//! Target: 10,000 lines in under 100 ms, growth linear in lines. A stage takes about 25 lines,
//! as in the shipped examples, so 10,000 lines stay within the language's 1,000 stages.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

/// A regulation of about `lines` lines: roles, channels, and pipelines of ten stages, each
/// with a contact chain, criteria, fields and an instruction, KPIs and norms — the mix and
/// density a real file has.
fn synthetic(lines: usize) -> String {
    let mut s = String::from(
        "положение \"Синтетика\" {\n  версия \"1.0\"; действует_с 2026-01-01; горизонт 12 мес\n}\n\
         роль РОП \"Руководитель\" { штат 1; функция руководитель }\n",
    );
    let mut p = 0;
    while s.lines().count() < lines {
        let _ = writeln!(
            s,
            "роль М{p} \"Менеджер {p}\" {{\n  штат 5; подчиняется РОП; рабочий_день 8 ч; доля_продаж 70%\n  оклад 60 000 ₽; мягкий_оклад 30%; бонус 5% выручки\n}}\n\
             канал К{p} {{ лиды 300 в мес; стоимость_лида 800 ₽; воронка В{p}; команда М{p} }}\n\
             воронка В{p} \"Воронка {p}\" {{\n  выход \"Оплата поступила\"; чек 100 000..300 000 ₽"
        );
        for st in 0..10 {
            let _ = writeln!(
                s,
                "  этап Э{st} \"Этап {st}\" {{\n    ответственный М{p}; конверсия 60%; длительность треуг(1, 2, 5) дн\n\
                 \x20   цепочка {{\n      звонок \"Звонок\" 10 мин; попыток 3; иначе -> проиграно\n      письмо \"Письмо\" 5 мин; через 1 дн\n\
                 \x20     звонок \"Повторный звонок\" 5 мин; через 2 дн\n      письмо \"Материалы\" 5 мин\n    }}\n\
                 \x20   # Этап {st}: что менеджер делает и чем заканчивает.\n\
                 \x20   критерий_входа \"Заявка в CRM\"\n\
                 \x20   критерий_выхода \"Клиент согласился\"\n\
                 \x20   поля \"Источник\", \"Телефон\", \"Бюджет\"\n\
                 \x20   инструкция \"Позвонить в течение часа и договориться о следующем шаге.\"\n\
                 \x20   цвет жёлтый; вероятность 30%; код S{st}; лимит 5 дн\n\
                 \x20   отказ -> проиграно\n  }}\n"
            );
        }
        let _ = writeln!(
            s,
            "}}\nпоказатель П{p} {{ результирующий; формула выиграно / (выиграно + проиграно); цель >= 20%; роли М{p} }}\n\
             нормативы М{p} {{ звонки >= 20 в день; письма >= 10 в день }}"
        );
        p += 1;
    }
    s
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for lines in [1_000, 5_000, 10_000] {
        let text = synthetic(lines);
        let compiled = voronka::compile_str(Path::new("bench.sales"), &text);
        assert!(!compiled.has_errors(), "the synthetic regulation must be valid");
        group.throughput(Throughput::Elements(text.lines().count() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(lines), &text, |b, text| {
            b.iter(|| voronka::compile_str(Path::new("bench.sales"), black_box(text)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);

/// `VORONKA_SYNTHETIC_DIR=/tmp cargo bench --bench compile` writes the three regulations as
/// `big1k.sales`, `big5k.sales` and `big10k.sales` there instead of measuring, for timing and
/// profiling the whole process (`voronka check /tmp/big10k.sales`).
fn main() {
    if let Some(dir) = std::env::var_os("VORONKA_SYNTHETIC_DIR") {
        for lines in [1_000, 5_000, 10_000] {
            let path = Path::new(&dir).join(format!("big{}k.sales", lines / 1_000));
            std::fs::write(&path, synthetic(lines)).expect("the synthetic regulation is written");
            eprintln!("{}", path.display());
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
