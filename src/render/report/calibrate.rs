//! `voronka calibrate` as a terminal table: per stage the measured conversion and time in
//! stage next to the regulation's, per channel the leads a month, per pipeline the deal size,
//! then what did not match and what was repaired.

use super::{Table, money, number, percent};
use crate::calibrate::snapshot::Snapshot;
use crate::calibrate::{Calibration, Estimate};
use crate::diag::Lang;
use crate::model::Currency;
use std::fmt::Write as _;

/// The mark of a regulation value outside the measured interval.
const OFF: &str = "⚠";

fn interval_pct(e: &Estimate, lang: Lang) -> String {
    format!("{}..{}", percent(e.ci95[0], lang), percent(e.ci95[1], lang))
}

fn interval_money(e: &Estimate, currency: Currency, lang: Lang) -> String {
    format!(
        "{}..{}",
        money(e.ci95[0], currency, lang),
        money(e.ci95[1], currency, lang)
    )
}

/// The most frequent loss reasons (at most `most`) with their shares: `Дорого 40 %, …`.
fn reason_shares(reasons: &[(String, usize)], most: usize, lang: Lang) -> String {
    let total: usize = reasons.iter().map(|r| r.1).sum();
    let parts: Vec<String> = reasons
        .iter()
        .take(most)
        .map(|(r, n)| {
            let r = if r.is_empty() {
                lang.pick("причина не указана", "no reason given")
            } else {
                r.as_str()
            };
            format!("{r} {}", percent(*n as f64 / total as f64, lang))
        })
        .collect();
    parts.join(", ")
}

pub fn table(c: &Calibration, currency: Currency, lang: Lang) -> String {
    let pick = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let mut out = String::new();
    let (deals, entries) = (c.deals as u64, c.entries as u64);
    let _ = writeln!(
        out,
        "{} {} – {} ({} {}): {deals} {}, {entries} {}",
        pick("История CRM за", "CRM history"),
        c.since,
        c.until,
        number(c.months, lang),
        pick("мес.", "months"),
        match lang {
            Lang::Ru => crate::locale::plural_ru(deals, "сделка", "сделки", "сделок"),
            Lang::En => "deals",
        },
        match lang {
            Lang::Ru => crate::locale::plural_ru(
                entries,
                "переход по этапам",
                "перехода по этапам",
                "переходов по этапам"
            ),
            Lang::En => "stage entries",
        },
    );
    match &c.snapshot {
        Some(snap) => snapshot(snap, currency, lang, &mut out),
        None => {
            stages(c, lang, &mut out);
            reach(c, lang, &mut out);
        }
    }
    // Stages whose losses have a known reason (not only «—»).
    let reasons: Vec<_> = c
        .stages
        .iter()
        .filter(|s| s.loss_reasons.iter().any(|(r, _)| !r.is_empty()))
        .collect();
    if !reasons.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", pick("Причины потерь", "Loss reasons"));
        for s in reasons {
            let shares = reason_shares(&s.loss_reasons, 5, lang);
            let _ = writeln!(out, "  {}.{}: {shares}", s.pipeline, s.stage);
        }
    }
    if !c.channels.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            pick("Каналы: лидов в месяц", "Channels: leads a month")
        );
        let mut t = Table::new([
            pick("канал", "channel"),
            pick("сделок", "deals"),
            pick("в месяц", "a month"),
            pick("95% ДИ", "95% CI"),
            pick("в положении", "regulation"),
        ]);
        for ch in &c.channels {
            let e = &ch.leads_per_month;
            let mark = if e.excludes(ch.file_leads_per_month) {
                format!(" {OFF}")
            } else {
                String::new()
            };
            t.row([
                ch.channel.clone(),
                ch.deals.to_string(),
                number(e.value, lang),
                format!("{}..{}", number(e.ci95[0], lang), number(e.ci95[1], lang)),
                format!("{}{mark}", number(ch.file_leads_per_month, lang)),
            ]);
        }
        t.write(&mut out);
        seasonality(&mut out, c, lang);
    }
    let sized: Vec<_> = c.pipelines.iter().filter(|p| p.won > 0).collect();
    if !sized.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            pick("Воронки: чек выигранных сделок", "Pipelines: size of won deals")
        );
        let mut t = Table::new([
            pick("воронка", "pipeline"),
            pick("выиграно", "won"),
            pick("средний чек", "mean deal"),
            pick("95% ДИ", "95% CI"),
            pick("в положении", "regulation"),
        ]);
        for p in sized {
            let e = p.deal_size.as_ref();
            let file = match (p.file_deal_size, e) {
                (Some(f), Some(e)) if e.excludes(f) => format!("{} {OFF}", money(f, currency, lang)),
                (Some(f), _) => money(f, currency, lang),
                (None, _) => "—".to_owned(),
            };
            t.row([
                p.pipeline.clone(),
                p.won.to_string(),
                e.map_or("—".to_owned(), |e| money(e.value, currency, lang)),
                e.map_or("—".to_owned(), |e| interval_money(e, currency, lang)),
                file,
            ]);
        }
        t.write(&mut out);
    }
    repeats(&mut out, c, lang);
    if !c.unmatched_stages.is_empty() || !c.unmatched_channels.is_empty() || !c.notes.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", pick("Замечания", "Notes"));
    }
    if !c.unmatched_stages.is_empty() {
        let list: Vec<String> = c
            .unmatched_stages
            .iter()
            .take(12)
            .map(|(p, s, n)| {
                let name = if p.is_empty() {
                    s.clone()
                } else {
                    format!("{p}.{s}")
                };
                format!("«{name}» ({n})")
            })
            .collect();
        let _ = writeln!(
            out,
            "  {}: {}{}",
            pick(
                "этапы истории, которых нет в положении (не учтены; сопоставьте по «код», названию или файлом --stages)",
                "history stages the regulation does not have (left out; match them by `код`, name or a --stages file)"
            ),
            list.join(", "),
            if c.unmatched_stages.len() > 12 { " …" } else { "" }
        );
    }
    if !c.unmatched_channels.is_empty() {
        let list: Vec<String> = c
            .unmatched_channels
            .iter()
            .take(12)
            .map(|(ch, n)| format!("«{ch}» ({n})"))
            .collect();
        let _ = writeln!(
            out,
            "  {}: {}",
            pick(
                "каналы истории, которых нет в положении",
                "history channels the regulation does not have"
            ),
            list.join(", ")
        );
    }
    for n in &c.notes {
        let _ = writeln!(out, "  {}", n.get(lang));
    }
    out
}

/// The per-stage table: entries, conversion, time in stage.
fn stages(c: &Calibration, lang: Lang, out: &mut String) {
    let pick = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    out.push('\n');
    let _ = writeln!(out, "{}", pick("Этапы", "Stages"));
    let mut t = Table::new([
        pick("этап", "stage"),
        pick("вошло", "entered"),
        pick("дальше", "on"),
        pick("потеряно", "lost"),
        pick("в работе", "open"),
        pick("конверсия", "conversion"),
        pick("95% ДИ", "95% CI"),
        pick("в положении", "regulation"),
        pick(
            "дней на этапе (медиана, 10–90 %)",
            "days in stage (median, 10–90 %)",
        ),
        pick("подходит", "fits"),
    ]);
    let mut flagged = 0;
    let mut reached = false;
    for s in &c.stages {
        let conv = s.conversion.as_ref();
        let mut file = match (s.file_conversion, conv) {
            (Some(f), Some(e)) if e.excludes(f) => {
                flagged += 1;
                format!("{} {OFF}", percent(f, lang))
            }
            (Some(f), _) => percent(f, lang),
            (None, _) => "—".to_owned(),
        };
        if let (Some(f), Some(w)) = (s.file_conversion, s.written_conversion)
            && (f - w).abs() > 5e-4
        {
            reached = true;
            file = format!("{file} ({})", percent(w, lang));
        }
        let days = s.time.as_ref().map_or("—".to_owned(), |t| {
            let q = |x: Option<u32>| x.map_or("?".to_owned(), |d| d.to_string());
            format!("{} ({}–{})", q(t.median), q(t.p10), q(t.p90))
        });
        let fit = s
            .time
            .as_ref()
            .and_then(|t| t.fit(lang).map(str::to_owned))
            .unwrap_or_else(|| "—".to_owned());
        t.row([
            format!("{}.{}", s.pipeline, s.stage),
            s.entered.to_string(),
            s.moved_on.to_string(),
            s.lost.to_string(),
            s.open.to_string(),
            conv.map_or("—".to_owned(), |e| percent(e.value, lang)),
            conv.map_or("—".to_owned(), |e| interval_pct(e, lang)),
            file,
            days,
            fit,
        ]);
    }
    t.write(out);
    if reached {
        let _ = writeln!(
            out,
            "  {}",
            pick(
                "в положении — доля, которую модель переводит дальше: записанная конверсия (в скобках) за вычетом недозвонов цепочки",
                "regulation: the share the model sends on — the written conversion (in brackets) less the chain's unreached calls"
            )
        );
    }
    if flagged > 0 {
        let _ = writeln!(
            out,
            "  {OFF} {}",
            pick(
                "конверсия в положении вне 95 % интервала по истории",
                "the regulation's conversion lies outside the history's 95 % interval"
            )
        );
    }
    let _ = writeln!(
        out,
        "  {}",
        pick(
            "Конверсия — доля ушедших дальше среди закрытых на этапе; сделки, ещё находящиеся на этапе, не считаются потерянными (дни — методом Каплана—Мейера). Дни на этапе — рабочие, с ожиданием работы; «длительность» в положении — только работа.",
            "Conversion is the share that moved on among the deals closed at the stage; deals still in the stage are not counted as lost (days by Kaplan–Meier). Days in stage are working days, waiting included; the regulation's duration is work only."
        )
    );
}

/// Reach per stage whose chain has a call with `дозвон`: the share of attempts that reached
/// the client next to the regulation's, and the attempts per deal; one line when the history
/// has no calls.
fn reach(c: &Calibration, lang: Lang, out: &mut String) {
    let pick = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    if c.calls == 0 {
        if c.stages.iter().any(|s| s.written_reach) {
            let _ = writeln!(
                out,
                "  {}",
                pick(
                    "Дозвон (`дозвон` цепочки) не измерен: в истории нет исходящих звонков (таблица звонков или примечания-звонки amoCRM, docs/history.md).",
                    "Reach (the chain's `дозвон`) is not measured: the history has no outgoing calls (a calls table or amoCRM's call notes, docs/history.md)."
                )
            );
        }
        return;
    }
    let rows: Vec<_> = c
        .stages
        .iter()
        .filter_map(|s| s.reach.as_ref().map(|r| (s, r)))
        .collect();
    if rows.is_empty() {
        return;
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        pick(
            "Дозвон: исходящие звонки на этапе",
            "Reach: outgoing calls in the stage"
        )
    );
    let mut t = Table::new([
        pick("этап", "stage"),
        pick("звонков", "calls"),
        pick("дозвон", "reached"),
        pick("95% ДИ", "95% CI"),
        pick("в положении", "regulation"),
        pick("попыток до дозвона", "attempts to reach"),
        pick("без дозвона: попыток", "unreached: attempts"),
        pick("попыток в положении", "regulation attempts"),
    ]);
    let (mut flagged, mut weighted) = (false, false);
    for (s, r) in rows {
        let e = r.reach.as_ref();
        let mut file = percent(r.file_reach, lang);
        if e.is_some_and(|e| e.excludes(r.file_reach)) {
            flagged = true;
            file = format!("{file} {OFF}");
        }
        if r.chain_calls > 1 {
            weighted = true;
            file = format!("{file} *");
        }
        let mean = |x: Option<f64>| x.map_or("—".to_owned(), |x| number(x, lang));
        t.row([
            format!("{}.{}", s.pipeline, s.stage),
            r.calls.to_string(),
            e.map_or("—".to_owned(), |e| percent(e.value, lang)),
            e.map_or("—".to_owned(), |e| interval_pct(e, lang)),
            file,
            mean(r.attempts_to_reach),
            mean(r.attempts_unreached),
            r.file_attempts.to_string(),
        ]);
    }
    t.write(out);
    if weighted {
        let _ = writeln!(
            out,
            "  * {}",
            pick(
                "в цепочке несколько звонков с «дозвон»: звонки этапа измерены вместе, рядом — их среднее, взвешенное по ожидаемым попыткам",
                "several chain calls write `дозвон`: the stage's calls are measured together, next to their mean weighted by the expected attempts"
            )
        );
    }
    if flagged {
        let _ = writeln!(
            out,
            "  {OFF} {}",
            pick(
                "дозвон в положении вне 95 % интервала по истории",
                "the regulation's reach lies outside the history's 95 % interval"
            )
        );
    }
    let _ = writeln!(
        out,
        "  {}",
        pick(
            "Дозвон — доля исходящих звонков, на которых клиент ответил, среди звонков, сделанных, пока сделка была на этапе (звонок в день перехода — этапу, с которого сделка ушла). Попыток до дозвона — среднее число звонков до первого разговора включительно; без дозвона — сколько звонков сделано сделкам, до которых так и не дозвонились. В сценарий и --apply дозвон не пишется.",
            "Reach is the share of outgoing calls the client answered among the calls made while the deal was in the stage (a call on the day of a move counts for the stage left). Attempts to reach: the mean calls up to and including the first conversation; unreached: the calls made to deals never reached. Reach is not written to the scenario or by --apply."
        )
    );
}

/// A deals list without history: what it measures, and what it cannot.
fn snapshot(s: &Snapshot, currency: Currency, lang: Lang, out: &mut String) {
    let pick = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        pick(
            "Снимок сделок без истории переходов",
            "A snapshot of the deals, without stage history"
        )
    );
    let _ = writeln!(
        out,
        "  {}",
        pick(
            "Конверсию по этапам и время на этапе по такому файлу не измерить: для них нужна история переходов (события amoCRM, crm.stagehistory.list Битрикс24, история dealstage HubSpot, flow Pipedrive или журнал CSV).",
            "Per-stage conversion and time in stage cannot be measured from such a file: they need the stage history (amoCRM events, Bitrix24 crm.stagehistory.list, HubSpot dealstage history, Pipedrive flow or the CSV log)."
        )
    );
    let mut t = Table::new([
        pick("показатель", "figure"),
        pick("значение", "value"),
        pick("95% ДИ", "95% CI"),
    ]);
    t.row([
        pick("сделок создано", "deals created").to_owned(),
        format!(
            "{} ({} {}, {} {}, {} {})",
            s.deals,
            s.won,
            pick("выиграно", "won"),
            s.lost,
            pick("проиграно", "lost"),
            s.open,
            pick("открыто", "open")
        ),
        String::new(),
    ]);
    if let Some(w) = &s.win_rate {
        t.row([
            pick(
                "доля выигранных: выиграно / (выиграно + проиграно)",
                "win rate: won / (won + lost)",
            )
            .to_owned(),
            percent(w.value, lang),
            interval_pct(w, lang),
        ]);
    }
    if let Some(cy) = &s.cycle {
        let q = |x: Option<u32>| x.map_or("?".to_owned(), |d| d.to_string());
        t.row([
            pick(
                "цикл сделки, дней от создания до закрытия (медиана, 10–90 %)",
                "sales cycle, days from creation to closing (median, 10–90 %)",
            )
            .to_owned(),
            format!("{} ({}–{})", q(cy.median), q(cy.p10), q(cy.p90)),
            format!(
                "{} {}, {} {}",
                cy.closed,
                pick("закрыто", "closed"),
                cy.open,
                pick("открыто", "open")
            ),
        ]);
    }
    if let Some(e) = &s.deal_size {
        t.row([
            pick("средний чек выигранной сделки", "mean won deal").to_owned(),
            money(e.value, currency, lang),
            interval_money(e, currency, lang),
        ]);
    }
    t.write(out);
    if !s.loss_reasons.is_empty() {
        let _ = writeln!(
            out,
            "  {}: {}",
            pick("Причины потерь", "Loss reasons"),
            reason_shares(&s.loss_reasons, 8, lang)
        );
    }
    if !s.open_by_stage.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            pick("Где сейчас открытые сделки", "Where the open deals are now")
        );
        let mut t = Table::new([
            pick("этап", "stage"),
            pick("сделок", "deals"),
            pick("средний возраст, дней", "mean age, days"),
        ]);
        for o in &s.open_by_stage {
            let name = match (o.pipeline.is_empty(), o.stage.is_empty()) {
                (_, true) => pick("этап не указан", "no stage given").to_owned(),
                (true, false) => o.stage.clone(),
                (false, false) => format!("{}.{}", o.pipeline, o.stage),
            };
            let name = if o.matched || o.stage.is_empty() {
                name
            } else {
                format!("«{name}» ({})", pick("нет в положении", "not in the regulation"))
            };
            t.row([
                name,
                o.deals.to_string(),
                o.mean_age_days.map_or("—".to_owned(), |a| number(a, lang)),
            ]);
        }
        t.write(out);
    }
}

/// Each channel's measured seasonality beside the regulation's, month by month; or why it is
/// not measured.
fn seasonality(out: &mut String, c: &Calibration, lang: Lang) {
    let pick = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let measured: Vec<_> = c.channels.iter().filter(|ch| ch.seasonality.is_some()).collect();
    if measured.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            pick(
                "сезонность не измерена: нужна история, где каждый календарный месяц есть целиком хотя бы раз (12 полных месяцев)",
                "seasonality not measured: it needs a history holding every calendar month whole at least once (12 whole months)"
            )
        );
        return;
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        pick(
            "Сезонность: лиды месяца к среднему месяцу (по истории / в положении)",
            "Seasonality: a month's leads over the average month (history / regulation)"
        )
    );
    let mut head = vec![pick("канал", "channel").to_owned()];
    head.extend((1..=12).map(|m| crate::render::format::month_abbr(m, lang).to_string()));
    let mut t = Table::new(head);
    let mut flagged = false;
    for ch in measured {
        let Some(season) = &ch.seasonality else {
            continue;
        };
        let mut row = vec![ch.channel.clone()];
        row.extend(season.iter().map(|e| format!("{:.0}", e.value * 100.0)));
        t.row(row);
        if let Some(file) = &ch.file_seasonality {
            let mut row = vec![format!("  {}", pick("в положении", "regulation"))];
            row.extend(season.iter().zip(file).map(|(e, &f)| {
                if e.excludes(f) {
                    flagged = true;
                    format!("{:.0} {OFF}", f * 100.0)
                } else {
                    format!("{:.0}", f * 100.0)
                }
            }));
            t.row(row);
        }
    }
    t.write(out);
    let _ = writeln!(
        out,
        "  {}{}",
        pick("в процентах среднего месяца", "percent of the average month"),
        if flagged {
            pick(
                "; ⚠ — значение положения вне 95 % интервала по истории",
                "; ⚠ — the regulation's value lies outside the history's 95 % interval",
            )
        } else {
            ""
        }
    );
}

/// Each pipeline's repeat purchases beside the regulation's `повтор`.
fn repeats(out: &mut String, c: &Calibration, lang: Lang) {
    let pick = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let fits: Vec<_> = c
        .pipelines
        .iter()
        .filter_map(|p| p.repeat.as_ref().filter(|r| r.followed > 0).map(|r| (p, r)))
        .collect();
    if fits.is_empty() {
        return;
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        pick(
            "Повторные покупки: выигрыши, за которыми тот же клиент выиграл ещё раз в той же воронке",
            "Repeat purchases: wins the same client followed with another win in the same pipeline"
        )
    );
    let mut t = Table::new([
        pick("воронка", "pipeline"),
        pick("в течение, раб. дн", "within, working days"),
        pick("выигрышей", "wins"),
        pick("повторились", "repeated"),
        pick("доля", "share"),
        pick("95% ДИ", "95% CI"),
        pick(
            "медиана до повтора, раб. дн",
            "median to the repeat, working days",
        ),
        pick("в положении", "regulation"),
    ]);
    for (p, r) in fits {
        let file = match (r.file_probability, r.share.as_ref()) {
            (Some(q), Some(e)) if e.excludes(q) => format!("{} {OFF}", percent(q, lang)),
            (Some(q), _) => percent(q, lang),
            (None, _) => "—".to_owned(),
        };
        let file = match r.file_after_days {
            Some(a) => format!("{file} {} {a:.0}", pick("через", "after")),
            None => file,
        };
        t.row([
            p.pipeline.clone(),
            r.within_days.to_string(),
            r.followed.to_string(),
            r.repeated.to_string(),
            r.share.map_or("—".to_owned(), |e| percent(e.value, lang)),
            r.share.map_or("—".to_owned(), |e| interval_pct(&e, lang)),
            r.median_days.map_or("—".to_owned(), |d| d.to_string()),
            file,
        ]);
    }
    t.write(out);
}
