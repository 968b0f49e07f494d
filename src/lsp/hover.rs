//! Hover texts (Markdown): what a name stands for, with the exact figures of the analysis — a
//! stage's conversion, owner, duration and expected volume a month; a role's headcount and load;
//! a KPI's formula, target and colour bands; a short summary of a pipeline or channel. Russian
//! by default, English on request. Reads the model and the analysis only.

use crate::analyze::Analysis;
use crate::diag::Lang;
use crate::model::{
    Bound, Cmp, Distribution, Formula, Model, Pipeline, PipelineKind, Stage, Symbol, TransitionKind,
};
use crate::render::format;

/// The hover text for a symbol; `None` when the model does not know it.
pub fn text(symbol: &Symbol, model: &Model, analysis: Option<&Analysis>, lang: Lang) -> Option<String> {
    let h = Hover {
        model,
        analysis,
        lang,
    };
    match symbol {
        Symbol::Stage { pipeline, stage } => h.stage(pipeline, stage),
        Symbol::Role(name) => h.role(name),
        Symbol::Kpi(name) => h.kpi(name),
        Symbol::Pipeline(name) => h.pipeline(name),
        Symbol::Channel(name) => h.channel(name),
        Symbol::Card(name) => h.card(name),
        Symbol::CardField { card, field } => h.card_field(card, field),
        other => Some(h.other(other)),
    }
}

struct Hover<'a> {
    model: &'a Model,
    analysis: Option<&'a Analysis>,
    lang: Lang,
}

impl Hover<'_> {
    fn pick(&self, ru: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(ru, en)
    }

    /// `**этап Встреча** — «Встреча проведена»`.
    fn heading(&self, kind: &str, name: &str, title: Option<&str>) -> String {
        match title {
            Some(t) if t != name => format!("**{kind} {name}** — «{t}»"),
            _ => format!("**{kind} {name}**"),
        }
    }

    fn line(&self, out: &mut String, label: &str, value: impl AsRef<str>) {
        out.push_str(&format!("\n- {label}: {}", value.as_ref()));
    }

    fn number(&self, x: f64) -> String {
        format::number(x, 1, self.lang)
    }

    fn role_title(&self, name: &str) -> String {
        match self.model.role(name).and_then(|r| r.title.as_deref()) {
            Some(t) => format!("{name} («{t}»)"),
            None => name.to_string(),
        }
    }

    fn days(&self, d: &Distribution) -> String {
        let n = |x: f64| format::number(x, 1, self.lang);
        let mean = format!(
            "{} {}",
            self.pick("в среднем", "on average"),
            format::days(d.mean(), self.lang)
        );
        match d {
            Distribution::Fixed { value } => format::days(*value, self.lang),
            Distribution::Uniform { min, max } => {
                format!("{}–{} ({mean})", n(*min), format::days(*max, self.lang))
            }
            Distribution::Triangular { min, mode, max } => format!(
                "{}–{}, {} {} ({mean})",
                n(*min),
                format::days(*max, self.lang),
                self.pick("обычно", "typically"),
                format::days(*mode, self.lang)
            ),
            _ => mean,
        }
    }

    fn stage(&self, pipeline: &str, name: &str) -> Option<String> {
        let p = self.model.pipeline(pipeline)?;
        let s: &Stage = p.stages.iter().find(|s| s.name == name)?;
        let mut out = self.heading(self.pick("этап", "stage"), name, s.title.as_deref());
        out.push_str(&format!(
            "\n\n{} {}",
            self.pick("Воронка", "Pipeline"),
            p.title.as_deref().unwrap_or(&p.name)
        ));
        let owner = s.owner.as_deref().or(p.owner.as_deref());
        self.line(
            &mut out,
            self.pick("Ответственный", "Owner"),
            owner.map_or_else(
                || self.pick("не указан", "not set").to_string(),
                |o| self.role_title(o),
            ),
        );
        self.line(
            &mut out,
            self.pick("Конверсия", "Conversion"),
            s.conversion.map_or_else(
                || self.pick("не указана", "not set").to_string(),
                |c| format::percent(c, self.lang),
            ),
        );
        if !s.channel_conversions.is_empty() {
            let by_channel: Vec<String> = s
                .channel_conversions
                .iter()
                .map(|c| format!("{} {}", c.channel, format::percent(c.conversion, self.lang)))
                .collect();
            let label = self.pick("Конверсия по каналам", "Conversion by channel");
            self.line(&mut out, label, by_channel.join(", "));
        }
        self.field_conditions(&mut out, pipeline, s);
        if let Some(d) = &s.duration_days {
            self.line(&mut out, self.pick("Длительность", "Duration"), self.days(d));
        }
        // `старт`: the schedule, the mean wait and the group per start (`analyze::release`).
        if let Some(r) = &s.release {
            let f = self.analysis.and_then(|a| {
                a.starts
                    .iter()
                    .find(|f| f.pipeline == pipeline && f.stage == name)
            });
            let mut v = r.starts_words(self.lang);
            if let Some(f) = f {
                v.push_str(&format!(
                    "; {} {} {}; {} {}",
                    self.pick("ожидание в среднем", "mean wait"),
                    self.number(f.mean_wait_days),
                    self.pick("раб. дн.", "working days"),
                    self.pick("на старт", "per start"),
                    self.number(f.group_per_start)
                ));
            }
            if let Some(g) = r.group_words(self.lang) {
                v.push_str(&format!("; {} {g}", self.pick("группа", "group")));
            }
            self.line(&mut out, self.pick("Старты", "Starts"), v);
        }
        let entries = self.analysis.and_then(|a| {
            a.department
                .stage_entries
                .iter()
                .find(|f| f.pipeline == pipeline && f.stage == name)
        });
        if let Some(f) = entries {
            let n = f.entries_per_month;
            let mut volume = match self.lang {
                Lang::Ru => format!(
                    "входит {} {}",
                    self.number(n),
                    format::plural(n, "сделка", "сделки", "сделок", self.lang)
                ),
                Lang::En => format!(
                    "{} {} enter",
                    self.number(n),
                    format::plural(n, "deal", "deals", "deals", self.lang)
                ),
            };
            let share = |kind| {
                s.transitions
                    .iter()
                    .filter(|t| t.kind == kind)
                    .map(|t| t.probability)
                    .sum::<f64>()
            };
            if s.conversion.is_some() {
                volume.push_str(&format!(
                    ", {} {}",
                    self.pick("проходит дальше", "move on:"),
                    self.number(n * share(TransitionKind::Success))
                ));
            }
            let unreached = share(TransitionKind::Unreached);
            if unreached > 0.0 {
                volume.push_str(&format!(
                    ", {} {}",
                    self.pick("не дозвонились", "not reached:"),
                    self.number(n * unreached)
                ));
            }
            self.line(
                &mut out,
                self.pick("Ожидаемо в месяц", "Expected a month"),
                volume,
            );
        }
        if !s.chain.is_empty() {
            let minutes: f64 = s.contact_minutes().iter().sum();
            self.line(
                &mut out,
                self.pick("Цепочка контактов", "Contact chain"),
                format!(
                    "{} ({} {})",
                    s.chain.len(),
                    format::minutes(minutes, self.lang),
                    self.pick("работы на сделку", "of work per deal")
                ),
            );
        }
        if let Some(c) = &s.exit_criterion {
            self.line(&mut out, self.pick("Критерий выхода", "Exit criterion"), c);
        }
        // Triggers on this stage (`триггер … когда вход/выход/в_этапе`), and their work per deal.
        let triggers: Vec<String> = self
            .model
            .triggers
            .iter()
            .filter(|t| t.stage() == Some((pipeline, name)))
            .map(|t| t.title.clone().or_else(|| t.name.clone()).unwrap_or_default())
            .collect();
        if !triggers.is_empty() {
            let minutes: f64 = self
                .model
                .stage_trigger_work(pipeline, name)
                .iter()
                .map(|(_, m)| m)
                .sum();
            let work = format!(
                "{} {}",
                format::minutes(minutes, self.lang),
                self.pick("на сделку", "per deal")
            );
            self.line(
                &mut out,
                self.pick("Триггеры", "Triggers"),
                format!("{} ({work})", triggers.join(", ")),
            );
        }
        Some(out)
    }

    /// The stage's segments and ways out by a card field (`model::field_cond`), and the
    /// conversion they mix into.
    fn field_conditions(&self, out: &mut String, pipeline: &str, s: &Stage) {
        let fc = &self.model.field_conds;
        let segments: Vec<String> = fc
            .segments
            .iter()
            .filter(|g| g.pipeline == pipeline && g.stage == s.name)
            .map(|g| {
                let mut t = format!(
                    "{} ({})",
                    g.condition.words(self.lang),
                    format::percent(g.share, self.lang)
                );
                if let Some(c) = g.conversion {
                    t.push_str(&format!(": {}", format::percent(c, self.lang)));
                }
                t
            })
            .collect();
        if !segments.is_empty() {
            self.line(
                out,
                self.pick("Сегменты по полю", "Segments by field"),
                segments.join("; "),
            );
            if let Some(c) = s.effective_conversion() {
                self.line(
                    out,
                    self.pick("Конверсия с сегментами", "Conversion with segments"),
                    format::percent(c, self.lang),
                );
            }
        }
        let routes: Vec<String> = fc
            .routes
            .iter()
            .filter(|r| r.pipeline == pipeline && r.stage == s.name)
            .map(|r| r.condition.words(self.lang))
            .collect();
        if !routes.is_empty() {
            self.line(
                out,
                self.pick("Переходы по полю", "Ways out by field"),
                routes.join("; "),
            );
        }
    }

    fn role(&self, name: &str) -> Option<String> {
        let r = self.model.role(name)?;
        let mut out = self.heading(self.pick("роль", "role"), name, r.title.as_deref());
        out.push('\n');
        self.line(&mut out, self.pick("Штат", "Headcount"), r.headcount.to_string());
        if let Some(schedule) = r.schedule.words(self.lang) {
            self.line(&mut out, self.pick("График", "Schedule"), schedule);
        }
        if let Some(t) = r.telephony.words(self.lang) {
            self.line(&mut out, self.pick("Телефония", "Telephony"), t);
        }
        if let Some(boss) = &r.reports_to {
            self.line(
                &mut out,
                self.pick("Подчиняется", "Reports to"),
                self.role_title(boss),
            );
        }
        let load = self
            .analysis
            .and_then(|a| a.roles.iter().find(|l| l.role == name));
        if let Some(l) = load {
            let hours = |m: f64| format::number(m / 60.0, 0, self.lang);
            let mut text = match l.load {
                Some(x) => format::percent(x, self.lang),
                None => "—".to_string(),
            };
            text.push_str(&format!(
                " ({} {} {} {})",
                hours(l.demanded_minutes),
                self.pick("ч работы в месяц из", "h of work a month of"),
                hours(l.available_minutes),
                self.pick("ч", "h")
            ));
            if l.overloaded {
                text.push_str(self.pick(" — перегрузка", " — overloaded"));
            }
            self.line(&mut out, self.pick("Загрузка", "Load"), text);
            if let Some(n) = l.headcount_needed.filter(|&n| n > r.headcount) {
                self.line(&mut out, self.pick("Нужно людей", "People needed"), n.to_string());
            }
        }
        let owned: Vec<String> = self
            .model
            .pipelines
            .iter()
            .flat_map(|p| p.stages.iter())
            .filter(|s| s.owner.as_deref() == Some(name))
            .map(|s| s.name.clone())
            .collect();
        if !owned.is_empty() {
            self.line(&mut out, self.pick("Этапы", "Stages"), owned.join(", "));
        }
        // The discount bands the role approves (`условия`).
        let approves: Vec<String> = self
            .model
            .terms
            .iter()
            .flat_map(|t| t.approval_bands())
            .filter(|d| d.approver.as_deref() == Some(name))
            .map(|d| {
                let i = &d.range;
                let p = |x: f64| format::percent(x, self.lang);
                match i.high {
                    None => format!("> {}", p(i.low)),
                    Some(h) if i.low == 0.0 => format!("≤ {}", p(h)),
                    Some(h) => format!("{}–{}", p(i.low), p(h)),
                }
            })
            .collect();
        if !approves.is_empty() {
            self.line(
                &mut out,
                self.pick("Согласует скидки", "Approves discounts"),
                approves.join(", "),
            );
        }
        Some(out)
    }

    fn bound(&self, b: &Bound, unit: Option<&str>) -> String {
        let value = |x: f64| match unit {
            Some("%") => format::percent(x, self.lang),
            Some(u) => format!("{} {u}", self.number(x)),
            None => self.number(x),
        };
        match b {
            Bound::Cmp { op, value: x } => {
                let op = match op {
                    Cmp::Ge => "≥",
                    Cmp::Gt => ">",
                    Cmp::Le => "≤",
                    Cmp::Lt => "<",
                    Cmp::Eq => "=",
                };
                format!("{op} {}", value(*x))
            }
            Bound::Range { min, max } => format!("{}–{}", value(*min), value(*max)),
        }
    }

    fn kpi(&self, name: &str) -> Option<String> {
        let k = self.model.kpis.iter().find(|k| k.name == name)?;
        let mut out = self.heading(self.pick("показатель", "KPI"), name, k.title.as_deref());
        if let Some(kind) = k.kind {
            out.push_str(&format!("\n\n{}", format::upper_first(kind.adjective(self.lang))));
        } else {
            out.push('\n');
        }
        // A ratio without a unit is a share: its target `>= 20%` is stored as 0.2.
        let ratio = matches!(k.formula, Some(Formula::Div { .. }));
        let unit = k.unit.as_deref().or(ratio.then_some("%"));
        if let Some(f) = &k.formula_text {
            self.line(&mut out, self.pick("Формула", "Formula"), format!("`{f}`"));
        }
        if let Some(source) = &k.source {
            self.line(&mut out, self.pick("Источник", "Source"), source);
        }
        self.line(
            &mut out,
            self.pick("Цель", "Target"),
            k.target.as_ref().map_or_else(
                || self.pick("не задана", "not set").to_string(),
                |b| self.bound(b, unit),
            ),
        );
        if !k.colours.is_empty() {
            let bands: Vec<String> = k
                .colours
                .iter()
                .map(|c| {
                    let colour = c.colour.word(self.lang);
                    format!("{colour} {}", self.bound(&c.bound, Some("%")))
                })
                .collect();
            self.line(
                &mut out,
                self.pick("Цвета (доля цели)", "Colours (share of target)"),
                bands.join(", "),
            );
        }
        if !k.roles.is_empty() {
            self.line(&mut out, self.pick("Роли", "Roles"), k.roles.join(", "));
        }
        Some(out)
    }

    fn pipeline_kind(&self, p: &Pipeline) -> &'static str {
        match p.kind {
            PipelineKind::Sales => self.pick("продажа", "sales"),
            PipelineKind::Account => self.pick("аккаунтинг", "account management"),
            PipelineKind::Retargeting => self.pick("ретаргетинг", "retargeting"),
            PipelineKind::Nurturing => self.pick("прогрев", "nurturing"),
        }
    }

    fn pipeline(&self, name: &str) -> Option<String> {
        let p = self.model.pipeline(name)?;
        let mut out = self.heading(self.pick("воронка", "pipeline"), name, p.title.as_deref());
        out.push_str(&format!("\n\n{}", self.pipeline_kind(p)));
        let stages: Vec<&str> = p.stages.iter().map(|s| s.name.as_str()).collect();
        self.line(&mut out, self.pick("Этапы", "Stages"), stages.join(" → "));
        let paid = self.pick("при поступлении оплаты", "when the payment is received");
        match (&p.exit, p.exit_on_payment) {
            (Some(exit), true) => self.line(&mut out, self.pick("Выход", "Exit"), format!("{paid} — {exit}")),
            (None, true) => self.line(&mut out, self.pick("Выход", "Exit"), paid),
            (Some(exit), false) => self.line(&mut out, self.pick("Выход", "Exit"), exit),
            (None, false) => {}
        }
        let outcome = self
            .analysis
            .and_then(|a| a.pipelines.iter().find(|x| x.name == name))
            .and_then(|x| x.outcome.as_ref());
        if let Some(o) = outcome {
            self.line(
                &mut out,
                self.pick("Вероятность выигрыша", "Chance of winning"),
                format::percent(o.p_won, self.lang),
            );
            self.line(
                &mut out,
                self.pick("Время до исхода", "Time to an outcome"),
                format::days(o.expected_days, self.lang),
            );
        }
        if let Some(d) = &p.deal_size {
            self.line(
                &mut out,
                self.pick("Средний чек", "Mean deal size"),
                format::money(d.mean(), self.model.header.currency, self.lang),
            );
        }
        // Client-base triggers watching this pipeline's clients (`без_покупки`, `каждые`).
        let watching: Vec<String> = self
            .model
            .triggers
            .iter()
            .filter(|t| t.pipeline.as_deref() == Some(name) && t.on_clients())
            .filter_map(|t| t.title.clone().or_else(|| t.name.clone()))
            .collect();
        if !watching.is_empty() {
            self.line(
                &mut out,
                self.pick("Триггеры по клиентам", "Client triggers"),
                watching.join(", "),
            );
        }
        Some(out)
    }

    fn channel(&self, name: &str) -> Option<String> {
        let c = self.model.channels.iter().find(|c| c.name == name)?;
        let mut out = self.heading(self.pick("канал", "channel"), name, c.title.as_deref());
        out.push('\n');
        self.line(
            &mut out,
            self.pick("Лидов в месяц", "Leads a month"),
            self.number(c.leads_per_month),
        );
        if let Some(cost) = c.lead_cost {
            self.line(
                &mut out,
                self.pick("Стоимость лида", "Cost per lead"),
                format::money(cost, self.model.header.currency, self.lang),
            );
        }
        if let Some(p) = &c.pipeline {
            self.line(&mut out, self.pick("Воронка", "Pipeline"), p);
        }
        if let Some(t) = c.telephony.words(self.lang) {
            self.line(&mut out, self.pick("Телефония", "Telephony"), t);
        }
        if let Some(r) = crate::model::routing::words(
            c.routing.as_ref(),
            c.out_of_turn,
            c.team.as_deref(),
            c.routing.as_ref().and_then(|r| r.by.as_deref()),
            self.lang,
        ) {
            self.line(&mut out, self.pick("Распределение", "Distribution"), r);
        }
        let flow = self
            .analysis
            .and_then(|a| a.channels.iter().find(|x| x.name == name));
        if let Some(f) = flow {
            self.line(
                &mut out,
                self.pick("Сделок в месяц", "Deals a month"),
                self.number(f.first_deals_per_month),
            );
            self.line(
                &mut out,
                self.pick("Выручка в месяц", "Revenue a month"),
                format::money(f.revenue_per_month, self.model.header.currency, self.lang),
            );
        }
        Some(out)
    }

    /// A card: the record it describes and its fields with their types.
    fn card(&self, name: &str) -> Option<String> {
        let c = self.model.cards.iter().find(|c| c.name == name)?;
        let mut out = self.heading(self.pick("карточка", "card"), name, c.title.as_deref());
        out.push('\n');
        let (ru, en) = c.entity.words();
        self.line(&mut out, self.pick("Запись CRM", "CRM record"), self.pick(ru, en));
        for f in &c.fields {
            self.line(
                &mut out,
                &format!("«{}»", f.name),
                f.type_words(self.lang == Lang::Ru),
            );
        }
        Some(out)
    }

    /// A card field: its type, list values and the stages that fill it (a group: its fields).
    fn card_field(&self, card: &str, field: &str) -> Option<String> {
        let c = self.model.cards.iter().find(|c| c.name == card)?;
        if let Some(g) = c.group(field) {
            let mut out = format!(
                "**{} «{field}»** — {} `{card}`",
                self.pick("группа", "group"),
                self.pick("карточка", "card")
            );
            out.push('\n');
            if g.many {
                out.push_str(self.pick("\nНесколько в одной карточке", "\nSeveral in one card"));
            }
            for f in c.fields.iter().filter(|f| f.group.as_deref() == Some(field)) {
                self.line(
                    &mut out,
                    &format!("«{}»", f.name),
                    f.type_words(self.lang == Lang::Ru),
                );
            }
            return Some(out);
        }
        let f = c.fields.iter().find(|f| f.name == field)?;
        let mut out = format!(
            "**{} «{field}»** — {} `{card}`",
            self.pick("поле", "field"),
            self.pick("карточка", "card")
        );
        out.push('\n');
        self.line(
            &mut out,
            self.pick("Тип", "Type"),
            f.type_words(self.lang == Lang::Ru),
        );
        let stages: Vec<String> = f
            .stages
            .iter()
            .map(|s| format!("{}.{}", s.pipeline, s.stage))
            .collect();
        let filled = if stages.is_empty() {
            self.pick("ни на одном этапе", "at no stage").to_string()
        } else {
            stages.join(", ")
        };
        self.line(
            &mut out,
            self.pick("Заполняется на этапах", "Filled at stages"),
            filled,
        );
        Some(out)
    }

    /// Named sections without figures: their kind, name and title (and description).
    fn other(&self, symbol: &Symbol) -> String {
        let m = self.model;
        let n = symbol.name();
        let (kind, title, description) = match symbol {
            Symbol::Reason(_) => {
                let x = m.loss_reasons.iter().find(|r| r.code == n);
                let kind = self.pick("причина отказа", "loss reason");
                (
                    kind,
                    x.and_then(|r| r.label.as_deref()),
                    x.and_then(|r| r.description.as_deref()),
                )
            }
            Symbol::Checklist(_) => {
                let x = m.checklists.iter().find(|c| c.name == n);
                let kind = self.pick("чек-лист", "checklist");
                (
                    kind,
                    x.and_then(|c| c.title.as_deref()),
                    x.and_then(|c| c.description.as_deref()),
                )
            }
            Symbol::Report(_) => {
                let x = m.reports.iter().find(|r| r.name == n);
                let kind = self.pick("отчёт", "report");
                (
                    kind,
                    x.and_then(|r| r.title.as_deref()),
                    x.and_then(|r| r.description.as_deref()),
                )
            }
            Symbol::Control(_) => {
                let x = m.controls.iter().find(|c| c.name.as_deref() == Some(n));
                let kind = self.pick("контроль", "control");
                (
                    kind,
                    x.and_then(|c| c.title.as_deref()),
                    x.and_then(|c| c.description.as_deref()),
                )
            }
            Symbol::Interaction(_) => {
                let x = m.interactions.iter().find(|i| i.name == n);
                let kind = self.pick("взаимодействие", "interaction");
                (
                    kind,
                    x.and_then(|i| i.title.as_deref()),
                    x.and_then(|i| i.description.as_deref()),
                )
            }
            Symbol::Document(_) => {
                let x = m.documents.iter().find(|d| d.name == n);
                let kind = self.pick("документ", "document");
                (
                    kind,
                    x.and_then(|d| d.title.as_deref()),
                    x.and_then(|d| d.description.as_deref()),
                )
            }
            Symbol::Meeting(_) => {
                let x = m.meetings.iter().find(|x| x.name == n);
                let kind = self.pick("совещание", "meeting");
                (
                    kind,
                    x.and_then(|x| x.title.as_deref()),
                    x.and_then(|x| x.description.as_deref()),
                )
            }
            Symbol::Resource(_) => {
                let x = m.resources.iter().find(|r| r.name == n);
                let kind = self.pick("ресурс", "resource");
                (
                    kind,
                    x.and_then(|r| r.title.as_deref()),
                    x.and_then(|r| r.description.as_deref()),
                )
            }
            Symbol::Role(_)
            | Symbol::Channel(_)
            | Symbol::Pipeline(_)
            | Symbol::Stage { .. }
            | Symbol::Kpi(_)
            | Symbol::Card(_)
            | Symbol::CardField { .. } => ("", None, None),
        };
        let mut out = self.heading(kind, n, title);
        if let Some(d) = description {
            out.push_str(&format!("\n\n{d}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const TEXT: &str = r#"положение "Тест" { горизонт 12 мес }
роль Менеджер "Менеджер по продажам" { штат 2; рабочий_день 8 ч; доля_продаж 50% }
канал Сайт { лиды 100 в мес; воронка Продажи }
воронка Продажи {
  выход "Оплата"
  чек 100 000 ₽
  этап Звонок { ответственный Менеджер; конверсия 40%; длительность 1..3 дн
    цепочка { звонок "Первый" 30 мин } }
  этап Оплата { ответственный Менеджер; конверсия 50%; длительность 2 дн }
}
показатель Конверсия { результирующий; формула выиграно / (выиграно + проиграно); цель >= 20%
  цвета красный < 60%, зелёный >= 80% }
отчёт Дневной "Ежедневный отчёт менеджера" { составляет Менеджер; описание "До 19:00" }
"#;

    fn hover(symbol: Symbol, lang: Lang) -> String {
        let c = crate::compile_str(Path::new("t.sales"), TEXT);
        let model = c.model.unwrap();
        let analysis = crate::analyze::analyze(&model);
        text(&symbol, &model, Some(&analysis), lang).unwrap()
    }

    #[test]
    fn a_stage_shows_owner_conversion_duration_and_volume() {
        let stage = Symbol::Stage {
            pipeline: "Продажи".into(),
            stage: "Оплата".into(),
        };
        let ru = hover(stage.clone(), Lang::Ru);
        assert!(ru.contains("Менеджер («Менеджер по продажам»)"), "{ru}");
        assert!(ru.contains("Конверсия: 50\u{a0}%"), "{ru}");
        assert!(ru.contains("Длительность: 2\u{a0}дня"), "{ru}");
        // 100 leads, 40% pass the call: 40 deals a month enter the payment stage, 20 leave it won.
        assert!(
            ru.contains("Ожидаемо в месяц: входит 40 сделок, проходит дальше 20"),
            "{ru}"
        );
        let en = hover(stage, Lang::En);
        assert!(en.contains("Conversion: 50%"), "{en}");
    }

    /// `дозвон`: 2 calls at 50 % leave 25 % unreached and take 1.5 calls of 30 min per deal.
    #[test]
    fn a_stage_with_reach_shows_the_unreached_and_the_attempts() {
        let text = TEXT.replace(
            "цепочка { звонок \"Первый\" 30 мин }",
            "цепочка { звонок \"Первый\" 30 мин; попыток 2; дозвон 50%; иначе -> проиграно }",
        );
        let c = crate::compile_str(Path::new("t.sales"), &text);
        let model = c.model.unwrap();
        let analysis = crate::analyze::analyze(&model);
        let stage = Symbol::Stage {
            pipeline: "Продажи".into(),
            stage: "Звонок".into(),
        };
        let ru = text_of(&stage, &model, &analysis);
        // 100 enter; 0.75 × 40% = 30 move on; 25 not reached.
        assert!(
            ru.contains("входит 100 сделок, проходит дальше 30, не дозвонились 25"),
            "{ru}"
        );
        assert!(ru.contains("1 (45\u{a0}мин работы на сделку)"), "{ru}");
    }

    fn text_of(symbol: &Symbol, model: &Model, analysis: &crate::analyze::Analysis) -> String {
        text(symbol, model, Some(analysis), Lang::Ru).unwrap()
    }

    #[test]
    fn a_role_shows_headcount_and_load() {
        let ru = hover(Symbol::Role("Менеджер".into()), Lang::Ru);
        assert!(ru.contains("Штат: 2"), "{ru}");
        // 100 calls × 30 min = 50 h a month of 2 × 8 h × 50% × 21,67 days ≈ 173 h.
        assert!(
            ru.contains("Загрузка: 28,8\u{a0}% (50 ч работы в месяц из 173 ч)"),
            "{ru}"
        );
    }

    #[test]
    fn other_sections_show_their_title_and_description() {
        let ru = hover(Symbol::Report("Дневной".into()), Lang::Ru);
        assert_eq!(ru, "**отчёт Дневной** — «Ежедневный отчёт менеджера»\n\nДо 19:00");
        let en = hover(Symbol::Report("Дневной".into()), Lang::En);
        assert!(en.starts_with("**report Дневной**"), "{en}");
    }

    #[test]
    fn a_kpi_shows_formula_target_and_bands() {
        let ru = hover(Symbol::Kpi("Конверсия".into()), Lang::Ru);
        assert!(
            ru.contains("Формула: `выиграно / (выиграно + проиграно)`"),
            "{ru}"
        );
        assert!(ru.contains("Цель: ≥ 20\u{a0}%"), "{ru}");
        assert!(ru.contains("красный < 60\u{a0}%, зелёный ≥ 80\u{a0}%"), "{ru}");
    }

    #[test]
    fn a_paid_exit_and_a_kpi_source_are_shown() {
        let source = TEXT
            .replace("выход \"Оплата\"", "выход оплата \"Деньги на счёте\"")
            .replace(
                "отчёт Дневной",
                "показатель NPS { источник \"Опрос клиентов\"; цель >= 50 }\nотчёт Дневной",
            );
        let c = crate::compile_str(Path::new("t.sales"), &source);
        let model = c.model.unwrap();
        let analysis = crate::analyze::analyze(&model);
        let ru = text_of(&Symbol::Pipeline("Продажи".into()), &model, &analysis);
        assert!(
            ru.contains("Выход: при поступлении оплаты — Деньги на счёте"),
            "{ru}"
        );
        let en = text(
            &Symbol::Pipeline("Продажи".into()),
            &model,
            Some(&analysis),
            Lang::En,
        )
        .unwrap();
        assert!(
            en.contains("Exit: when the payment is received — Деньги на счёте"),
            "{en}"
        );
        let ru = text_of(&Symbol::Kpi("NPS".into()), &model, &analysis);
        assert!(ru.contains("Источник: Опрос клиентов"), "{ru}");
    }
}
