//! Deal terms (`условия`), penalties (`ответственность`) and pay conditions (`бонус шкала`,
//! `порог`, `бонус … за …`): the forecast's cost against exact and analytic answers, the
//! documents, the CRM fields, the formatter.

use crate::common::voronka;
use std::path::Path;

/// A small department whose revenue plan is `plan` a month; the closer's pay is `pay`.
fn model_text(pay: &str, plan: &str) -> String {
    format!(
        r#"положение "Тест" {{ горизонт 6 мес; валюта ₽ }}
роль РОП {{ штат 1; функция руководитель; оклад 100 000 ₽ }}
роль Менеджер {{ штат 3; подчиняется РОП; оклад 40 000 ₽; {pay} }}
канал Сайт {{ лиды 200 в мес; воронка Продажа }}
воронка Продажа {{
  чек 100 000 ₽
  этап Квалификация {{ ответственный Менеджер; конверсия 50%; длительность 2 дн }}
  этап Оплата {{ ответственный Менеджер; конверсия 40%; длительность 5 дн; цепочка {{ счёт "Счёт" 10 мин }} }}
}}
план {{ горизонт 6 мес; выручка {plan} в мес }}
условия "Скидки и оплата" {{
  скидка до 5% Менеджер; скидка 5%..10% РОП
  скидка 3% "при предоплате 100%"; скидки не_суммируются
  отсрочка до 30 дн "клиентам, прошедшим проверку СБ"; предоплата 100% "остальным"
  рассрочка 6 мес, 12 мес "через банк-партнёр"
  предложение "Скидка после демо" 10% действует 48 ч; возврат до 14 дн
}}
ответственность "Санкции" {{
  роли Менеджер
  санкция "Сделка без задачи" -10% премии; санкция "Грубость" "дисциплинарное взыскание"
  предел 50% премии в мес
  аттестация план < 100% 2 мес подряд "аттестация у РОП"
}}
"#
    )
}

fn model(pay: &str, plan: &str) -> voronka::model::Model {
    let text = model_text(pay, plan);
    let c = voronka::compile_str(Path::new("t.sales"), &text);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    c.model.expect("model")
}

fn cost(pay: &str, plan: &str) -> f64 {
    let r = voronka::sim::simulate(
        &model(pay, plan),
        &voronka::sim::SimOptions {
            runs: 60,
            seed: 7,
            threads: Some(1),
            ..Default::default()
        },
    );
    r.cost.mean
}

const SCALE: &str = "бонус шкала < 80% 4%, 80%..100% 6%, > 100% 8% выручки";

#[test]
fn a_scale_pays_the_step_the_months_fulfilment_falls_in() {
    // Expected revenue ≈ 200 × 0.5 × 0.4 × 100 000 = 4 млн ₽ a month.
    // A plan of 1 ₽ is exceeded every month: the scale pays its top step, as a flat 8 % would.
    let top = cost(SCALE, "1 ₽");
    let flat8 = cost("бонус 8% выручки", "1 ₽");
    assert!((top - flat8).abs() < 1e-6 * flat8, "{top} vs {flat8}");
    // A plan of 1 000 млн ₽ is never reached: the bottom step, as a flat 4 %.
    let bottom = cost(SCALE, "1000 млн ₽");
    let flat4 = cost("бонус 4% выручки", "1000 млн ₽");
    assert!((bottom - flat4).abs() < 1e-6 * flat4, "{bottom} vs {flat4}");
    // At a plan equal to the expected revenue months fall on both sides of 100 %: the cost
    // lies strictly between the 6 % and the 8 % readings of the same replications.
    let mid = cost(SCALE, "4 млн ₽");
    let (c6, c8) = (
        cost("бонус 6% выручки", "4 млн ₽"),
        cost("бонус 8% выручки", "4 млн ₽"),
    );
    assert!(c6 < mid && mid < c8, "{c6} < {mid} < {c8}");
}

#[test]
fn a_threshold_stops_the_bonus_below_it() {
    let none = cost("мягкий_оклад 0%", "1000 млн ₽");
    let below = cost("бонус 5% выручки; порог 70% плана", "1000 млн ₽");
    assert!((below - none).abs() < 1e-6 * none, "{below} vs {none}");
    let above = cost("бонус 5% выручки; порог 70% плана", "1 ₽");
    let flat = cost("бонус 5% выручки", "1 ₽");
    assert!((above - flat).abs() < 1e-6 * flat, "{above} vs {flat}");
}

#[test]
fn the_share_of_months_over_the_plan_sets_the_scale_cost() {
    // Analytic check: with steps 0 % below and 10 % from 100 % of the plan, the bonus is
    // 10 % × the revenue of the months that met the plan. Its mean over replications must
    // match the forecast's cost difference within sampling error.
    let pay = "бонус шкала < 100% 0%, >= 100% 10% выручки";
    let m = model(pay, "4 млн ₽");
    let opts = voronka::sim::SimOptions {
        runs: 200,
        seed: 11,
        threads: Some(1),
        ..Default::default()
    };
    let r = voronka::sim::simulate(&m, &opts);
    let base = voronka::sim::simulate(&model("мягкий_оклад 0%", "4 млн ₽"), &opts);
    let bonus = r.cost.mean - base.cost.mean;
    // Per month: E[0.1 × R × 1{R ≥ plan}], with the month's revenue and P(plan met) from the
    // same replications: the forecast's months give mean revenue and the share of months met.
    let months = &r.months;
    let expected: f64 = months
        .iter()
        .map(|mo| 0.1 * mo.revenue.mean * mo.plan_probability.unwrap_or(0.0))
        .sum();
    // R and 1{R ≥ plan} are positively correlated, so E[R·1] ≥ E[R]·P: the bonus is at least
    // the product, and below 10 % of all revenue.
    assert!(bonus >= expected * 0.97, "{bonus} vs {expected}");
    assert!(
        bonus <= 0.1 * r.revenue.mean * 1.0001,
        "{bonus} vs {}",
        r.revenue.mean
    );
}

#[test]
fn documents_carry_the_matrix_the_penalties_and_the_scale() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(
        &file,
        model_text(
            &format!("{SCALE}; порог 70% плана; бонус 150 ₽ за перешло(Квалификация)"),
            "4 млн ₽",
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = voronka(&[
        "docs",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reg = std::fs::read_to_string(out.join("regulation.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(reg.contains("Условия сделок и полномочия на скидки"), "{reg}");
    assert!(reg.contains("| до 5 % | Менеджер |"), "{reg}");
    assert!(reg.contains("| от 5 % до 10 % | РОП |"), "{reg}");
    assert!(reg.contains("Отсрочка платежа — до 30 дней (клиентам, прошедшим проверку СБ)"));
    assert!(
        reg.contains("«Скидка после демо» — скидка 10 %, действует 6 дней"),
        "{reg}"
    );
    assert!(reg.contains("Ответственность за нарушения"));
    assert!(reg.contains("| Сделка без задачи | минус 10 % премии месяца за каждый случай |"));
    assert!(reg.contains("Всего санкции снимают не более 50 % премии за месяц"));
    assert!(reg.contains("Выполнение плана ниже 100 % 2 мес подряд — аттестация у РОП"));
    assert!(reg.contains("6 % выручки при выполнении плана от 80 % до 100 %"));
    assert!(reg.contains("150 ₽ за каждый случай"));
    // The pay example reads the scale: at 70 % of the plan the threshold (70 %) is met and
    // the bottom step (4 %) is paid; at 120 % the top one (8 %).
    let pay = reg.split("Пример расчёта оплаты").nth(1).expect("pay example");
    let row = |level: &str| {
        pay.lines()
            .find(|l| l.starts_with(&format!("| {level} |")))
            .unwrap_or_else(|| panic!("no row {level}"))
            .to_string()
    };
    let cells = |l: String| -> Vec<String> { l.split('|').map(|c| c.trim().replace('*', "")).collect() };
    let money = |s: &str| s.replace(['\u{a0}', ' ', '₽'], "").parse::<f64>().unwrap();
    for (level, share) in [("70 %", 0.04), ("100 %", 0.06), ("120 %", 0.08)] {
        let c = cells(row(level));
        let (base, bonus) = (money(&c[2]), money(&c[5]));
        assert!(
            (bonus - share * base).abs() <= 1.0,
            "{level}: {bonus} vs {share} × {base}"
        );
    }
    assert!(reg.contains("сдельная часть в пример не входит"));
    let memo = std::fs::read_to_string(out.join("memo-РОП.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(memo.contains("Согласую скидки: от 5 % до 10 %"), "{memo}");
    let memo = std::fs::read_to_string(out.join("memo-Менеджер.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(memo.contains("Санкции: Сделка без задачи"), "{memo}");
    let forms = std::fs::read_to_string(out.join("forms.md"))
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(forms.contains("Заявка на согласование скидки"));
    assert!(forms.contains("до 5 % — Менеджер; от 5 % до 10 % — РОП"));
}

#[test]
fn the_crm_gets_the_discount_fields_and_the_approval_note() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sales");
    std::fs::write(&file, model_text("бонус 5% выручки", "4 млн ₽")).unwrap();
    let out = dir.path().join("crm");
    let o = voronka(&[
        "crm",
        file.to_str().unwrap(),
        "--target",
        "amocrm",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut bodies = String::new();
    for e in walk(&out) {
        bodies += &std::fs::read_to_string(e).unwrap().replace('\u{a0}', " ");
    }
    assert!(bodies.contains("\"Скидка, %\""), "{bodies}");
    assert!(bodies.contains("\"Скидку согласовал\""));
    assert!(bodies.contains("Матрица согласования скидок из положения: до 5 % — Менеджер; 5 %–10 % — РОП."));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_formatter_keeps_the_new_statements_and_their_meaning() {
    let messy = "роль М { оклад 1 ₽;   бонус шкала <80%   4% ,80%..100%  6%,>100% 8%  выручки; порог   70%   плана\n  бонус 150 ₽   за   перешло( Э ) }\nворонка В { этап Э { конверсия 50% } }\nусловия   \"У\"{скидка   до 5%   М;скидка 5% .. 10% М \"x\"\n предложение \"П\"   15%   действует 48 ч }\nответственность{ санкция \"a\"   -10%   премии ; предел 50%   премии   в   мес;аттестация план<100% 2 мес подряд \"x\" }\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.sales");
    std::fs::write(&file, messy).unwrap();
    let before = voronka(&[
        "check",
        file.to_str().unwrap(),
        "--emit",
        "model",
        "-A",
        "warnings",
    ]);
    assert!(voronka(&["fmt", file.to_str().unwrap()]).status.success());
    let once = std::fs::read_to_string(&file).unwrap();
    assert!(
        once.contains("бонус шкала < 80% 4%, 80%..100% 6%, > 100% 8% выручки; порог 70% плана"),
        "{once}"
    );
    assert!(once.contains("скидка до 5% М; скидка 5%..10% М \"x\""), "{once}");
    assert!(voronka(&["fmt", file.to_str().unwrap()]).status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), once);
    let after = voronka(&[
        "check",
        file.to_str().unwrap(),
        "--emit",
        "model",
        "-A",
        "warnings",
    ]);
    assert_eq!(before.stdout, after.stdout);
}

#[test]
fn english_keywords_read_the_same() {
    let en = "role M { salary 1 ₽; bonus scale < 80% 4%, >= 80% 6% revenue; threshold 50% of_plan }\n\
              channel C { leads 10 per mo; pipeline P }\n\
              pipeline P { stage S { owner M; conversion 50% } }\n\
              terms \"T\" { discount up_to 5% M; discounts not_combinable; deferral up_to 30 d; prepayment 50%; instalments 6 mo; offer \"O\" 10% valid_for 2 d; refund up_to 14 d }\n\
              penalties \"P\" { roles M; penalty \"Late\" 10% of_bonus; cap 50% of_bonus per mo; review plan < 100% 2 mo in_a_row \"review\" }\n";
    let c = voronka::compile_str(Path::new("en.sales"), en);
    assert!(!c.diagnostics.iter().any(|d| d.is_error()), "{:?}", c.diagnostics);
    let m = c.model.unwrap();
    assert_eq!(m.roles[0].pay_threshold, Some(0.5));
    assert_eq!(m.roles[0].bonus_scale.as_ref().unwrap().steps.len(), 2);
    assert_eq!(m.terms[0].discounts.len(), 1);
    assert_eq!(m.terms[0].offers[0].valid_days, 2.0);
    assert_eq!(m.penalties[0].cap, Some(0.5));
    assert_eq!(m.penalties[0].reviews.len(), 1);
}
