//! The shapes the templates see: one view struct per part of the regulation (a role, a stage,
//! a KPI, a control…) and per document (the Положение, a памятка), filled in by the sibling
//! modules from the model, the analysis and `planning`. [`Views`] holds what they read.

use crate::analyze::Analysis;
use crate::diag::Lang;
use crate::model::Model;
use crate::planning::{self, pay::PayExample, plan::PlanFigures};
use minijinja::value::Value;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct HeaderView {
    pub(super) title: Option<String>,
    pub(super) company: Option<String>,
    pub(super) department: Option<String>,
    pub(super) version: Option<String>,
    pub(super) effective: Option<String>,
    /// The year the regulation takes effect (the foot of the title page).
    pub(super) year: Option<String>,
    pub(super) owner: Option<String>,
    pub(super) approver: Option<String>,
    pub(super) product: Option<String>,
    pub(super) description: Option<String>,
    pub(super) currency: &'static str,
    pub(super) horizon_months: Option<f64>,
    pub(super) step_months: Option<f64>,
    pub(super) work_week_days: f64,
    /// The department's working hours (`график`): «9:00–18:00».
    pub(super) hours: Option<String>,
}

#[derive(Serialize)]
pub(super) struct RoleView {
    pub(super) name: String,
    pub(super) title: String,
    pub(super) headcount: u32,
    pub(super) reports_to: Option<String>,
    pub(super) subordinates: Vec<String>,
    pub(super) function: Option<&'static str>,
    pub(super) work_day_hours: f64,
    pub(super) selling_share: f64,
    /// The role's own schedule: «8:00–21:00, пн–вс, 2 смены по 3 человека».
    pub(super) schedule: Option<String>,
    /// Telephony standards: «трубку берут не позднее 3-го гудка; …».
    pub(super) telephony: Option<String>,
    /// The planning steps the role makes: «Проект плана — до 15 декабря».
    pub(super) plan_deadlines: Vec<String>,
    /// The channels whose leads the role assigns (`распределение … кто Роль`).
    pub(super) routing_duties: Vec<String>,
    pub(super) ramp_up_months: Option<f64>,
    pub(super) attrition_per_year: Option<f64>,
    pub(super) hires: Vec<String>,
    pub(super) salary: Option<f64>,
    /// `оклад 40 000..60 000 ₽` with both ends; `salary` is its midpoint.
    pub(super) salary_range: Option<String>,
    /// The unit's budget a month beside pay.
    pub(super) budget: Option<String>,
    pub(super) soft_salary_share: Option<f64>,
    pub(super) bonus: Option<String>,
    pub(super) description: Option<String>,
    pub(super) stages: Vec<String>,
    /// The role's KPIs that carry a weight in pay: (title, weight).
    pub(super) kpi_weights: Vec<(String, f64)>,
    /// Pay at 70, 100 and 120 % of the plan, when pay depends on the plan.
    pub(super) pay: Option<PayView>,
    /// Discount bands the role approves, and the sanctions that apply to it (`условия`,
    /// `ответственность`).
    pub(super) approvals: Vec<String>,
    pub(super) sanctions: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct ChannelView {
    pub(super) title: String,
    pub(super) leads_per_month: f64,
    pub(super) seasonality: Option<String>,
    pub(super) lead_cost: Option<f64>,
    pub(super) pipeline: Option<String>,
    pub(super) team: Option<String>,
    pub(super) first_response_minutes: Option<f64>,
    /// Leads after hours: «до 10:00 следующего рабочего дня».
    pub(super) after_hours: Option<String>,
    /// The marketing budget a month.
    pub(super) budget: Option<String>,
    /// Telephony standards of the channel's calls.
    pub(super) telephony: Option<String>,
    /// Lead distribution: «по очереди между …, назначает … не позднее 10 минут; вне очереди».
    pub(super) routing: Option<String>,
    pub(super) description: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct ContactView {
    pub(super) kind: &'static str,
    pub(super) title: Option<String>,
    pub(super) work_minutes: Option<f64>,
    pub(super) delay: Option<String>,
    pub(super) attempts: Option<u32>,
    /// `дозвон`: the probability that one attempt reaches the client.
    pub(super) reach: Option<f64>,
    pub(super) otherwise: Option<String>,
    /// The title of the role that makes the contact when it is not the stage's owner.
    pub(super) owner: Option<String>,
    /// `срок`: «не позднее 4 ч после входа в этап».
    pub(super) deadline: Option<String>,
    /// `повторы`: «сразу, через 15 мин, через 2 ч».
    pub(super) retries: Option<String>,
    /// The name of the role that makes the contact (the contact's, else the stage's).
    pub(super) role: Option<String>,
    /// `перед_каждым_стартом`: «перед каждым стартом этапа «…»».
    pub each_start: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct TransitionView {
    pub(super) success: bool,
    /// For the route of the clients a contact did not reach: «не дозвонились после 3 попыток».
    pub(super) unreached: Option<String>,
    pub(super) probability: f64,
    pub(super) to: String,
    /// `если …`: the field condition that chooses this way out, worded.
    pub(super) condition: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct StageView {
    pub(super) pipeline: String,
    pub(super) pipeline_title: String,
    pub(super) name: String,
    pub(super) title: String,
    pub(super) owner: Option<String>,
    pub(super) owner_name: Option<String>,
    /// The conversion the transitions and the plan use ([`crate::model::Stage::effective_conversion`]).
    pub(super) conversion: Option<f64>,
    /// The `конверсия` as written, when the unreached share of `дозвон` makes it differ.
    pub(super) conversion_of_reached: Option<f64>,
    /// `конверсия_по_каналам`: (the channel's title, its conversion).
    pub(super) by_channel: Vec<(String, f64)>,
    /// `для … доля …`: each segment worded, and the written conversion of the rest.
    pub(super) segments: Vec<String>,
    /// `ветка`/`отказ … если …`: «если … — этап «…» (оценка: 30 % успехов этапа)».
    pub(super) routes: Vec<String>,
    pub(super) rest_conversion: Option<f64>,
    pub(super) duration: Option<String>,
    pub(super) chain: Vec<ContactView>,
    pub(super) entry_criterion: Option<String>,
    pub(super) exit_criterion: Option<String>,
    pub(super) required_fields: Vec<String>,
    /// The same fields with their card types (empty when no card types any).
    pub(super) typed_fields: Vec<String>,
    pub(super) guidance: Option<String>,
    pub(super) colour: Option<String>,
    pub(super) deal_probability: Option<f64>,
    pub(super) crm_code: Option<String>,
    pub(super) limit_days: Option<f64>,
    pub(super) transitions: Vec<TransitionView>,
    pub(super) loss_reasons: Vec<String>,
    pub(super) documents: Vec<String>,
    pub(super) visits: Option<f64>,
    /// `старт`: «по вторникам в 19:00; набор закрывается за 3 дня до старта; ожидание старта
    /// в среднем 2 дня».
    pub starts: Option<String>,
    /// `группа`: «от 10 до 25 человек; ожидается в среднем 30 на старт».
    pub group: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PipelineView {
    pub(super) name: String,
    pub(super) title: String,
    pub(super) kind: &'static str,
    pub(super) entry: Option<String>,
    pub(super) exit: Option<String>,
    pub(super) deal_size: Option<String>,
    pub(super) repeat: Option<String>,
    /// `после_выигрыша`: where a won client also goes on to, worded (`воронка «…», этап «…»,
    /// через 5 дн`).
    pub(super) after_win: Option<String>,
    pub(super) owner: Option<String>,
    pub(super) description: Option<String>,
    pub(super) p_won: Option<f64>,
    pub(super) expected_days: Option<f64>,
    pub(super) stages: Vec<StageView>,
    /// Markdown (a link to the SVG file) or inline SVG for HTML; safe.
    pub(super) diagram: Value,
}

#[derive(Serialize, Clone)]
pub(super) struct KpiView {
    pub(super) name: String,
    pub(super) title: String,
    pub(super) kind: Option<&'static str>,
    pub(super) direction: Option<&'static str>,
    pub(super) formula: Option<String>,
    pub(super) unit: Option<String>,
    pub(super) period: Option<&'static str>,
    pub(super) roles: Vec<String>,
    pub(super) department: bool,
    pub(super) target: Option<String>,
    pub(super) colours: Vec<String>,
    pub(super) weight: Option<f64>,
    pub(super) description: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct NormView {
    pub(super) subject: String,
    pub(super) requirement: String,
    pub(super) title: Option<String>,
}

#[derive(Serialize)]
pub(super) struct NormSetView {
    pub(super) role: Option<String>,
    pub(super) role_name: Option<String>,
    pub(super) title: Option<String>,
    pub(super) norms: Vec<NormView>,
}

/// The pay example of a role and, worded, the revenue its share is paid on.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PayView {
    #[serde(flatten)]
    pub(super) example: PayExample,
    pub(super) basis: Option<String>,
}

#[derive(Serialize)]
pub(super) struct MonthRow {
    pub(super) month: String,
    pub(super) revenue: Option<f64>,
    pub(super) deals: Option<f64>,
    pub(super) new_clients: Option<f64>,
    pub(super) deals_needed: Option<f64>,
    pub(super) leads_needed: Option<f64>,
    pub(super) leads_expected: f64,
}

#[derive(Serialize)]
pub(super) struct StageNeed {
    pub(super) stage: String,
    pub(super) entries_expected: f64,
    pub(super) entries_needed: f64,
    pub(super) contacts: Vec<(String, f64)>,
}

#[derive(Serialize)]
pub(super) struct RoleNeedView {
    pub(super) role: String,
    pub(super) headcount: u32,
    pub(super) needed: Option<u32>,
    pub(super) per_person_per_day: Vec<(String, f64)>,
}

#[derive(Serialize)]
pub(super) struct Decomposition {
    pub(super) metric: &'static str,
    pub(super) plan_per_month: f64,
    pub(super) multiplier: f64,
    pub(super) revenue: f64,
    pub(super) deals: f64,
    pub(super) new_clients: f64,
    pub(super) leads: f64,
    pub(super) leads_expected: f64,
    pub(super) stages: Vec<StageNeed>,
    pub(super) roles: Vec<RoleNeedView>,
}

#[derive(Serialize)]
pub(super) struct TargetView {
    pub(super) metric: &'static str,
    pub(super) money: bool,
    pub(super) per_month_mean: f64,
    pub(super) total: f64,
}

#[derive(Serialize)]
pub(super) struct PlanView {
    pub(super) title: Option<String>,
    pub(super) horizon_months: Option<f64>,
    pub(super) step_months: Option<f64>,
    pub(super) start: Option<String>,
    pub(super) owner: Option<String>,
    pub(super) procedure: Option<String>,
    /// The plan's calendar: «Проект плана — до 15 декабря (РОП)».
    pub(super) deadlines: Vec<String>,
    pub(super) description: Option<String>,
    pub(super) targets: Vec<TargetView>,
    pub(super) months: Vec<MonthRow>,
    pub(super) decomposition: Option<Decomposition>,
}

#[derive(Serialize)]
pub(super) struct AccountingView {
    pub(super) what: String,
    pub(super) who: Vec<String>,
    pub(super) r#where: Option<String>,
    pub(super) deadline: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct ControlView {
    pub(super) title: String,
    pub(super) who: Option<String>,
    pub(super) what: Option<String>,
    pub(super) roles: Vec<String>,
    pub(super) period: Option<String>,
    pub(super) reports_to: Option<String>,
    pub(super) checklist: Option<String>,
    pub(super) sample: Option<String>,
    /// The sample's time a month, from the analysis.
    pub(super) sample_hours: Option<String>,
    pub(super) procedure: Option<String>,
    pub(super) kpis: Vec<String>,
    pub(super) description: Option<String>,
    /// «в 17:00».
    pub(super) time: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct ReportView {
    pub(super) title: String,
    pub(super) author: Option<String>,
    pub(super) recipients: Vec<String>,
    pub(super) period: Option<&'static str>,
    pub(super) format: Option<String>,
    pub(super) kpis: Vec<String>,
    pub(super) deadline: Option<String>,
    pub(super) description: Option<String>,
    /// A recurring ABC/XYZ analysis of clients.
    pub(super) analysis: Option<super::quality::ClientAnalysisView>,
}

#[derive(Serialize)]
pub(super) struct InteractionView {
    pub(super) title: String,
    pub(super) with: Option<String>,
    pub(super) give: Option<String>,
    pub(super) receive: Option<String>,
    pub(super) deadline: Option<String>,
    pub(super) owner: Option<String>,
    pub(super) pipeline: Option<String>,
    pub(super) description: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct MeetingView {
    pub(super) title: String,
    pub(super) owner: Option<String>,
    pub(super) participants: Vec<String>,
    pub(super) period: Option<String>,
    pub(super) duration_minutes: Option<f64>,
    pub(super) agenda: Option<String>,
    /// «в 9:15», «по пятницам в 16:00».
    pub(super) time: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct ChecklistView {
    pub(super) title: String,
    pub(super) contact: Option<&'static str>,
    pub(super) scale: Option<String>,
    pub(super) pass_mark: Option<f64>,
    pub(super) criteria: Vec<(String, Option<f64>, bool)>,
    /// The colour bands of the total score (`цвета` of the checklist).
    pub(super) bands: Vec<String>,
    /// Minutes to score one contact beside it (`на_оценку`).
    pub(super) review_minutes: Option<f64>,
}

#[derive(Serialize, Clone)]
pub(super) struct DocumentView {
    pub(super) title: String,
    pub(super) text: Option<String>,
    pub(super) stages: Vec<String>,
    pub(super) roles: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct ResourceView {
    pub(super) title: String,
    pub(super) kind: Option<String>,
    pub(super) roles: Vec<String>,
    pub(super) description: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct OnboardingView {
    pub(super) role: String,
    pub(super) title: Option<String>,
    pub(super) mentor: Option<String>,
    pub(super) steps: Vec<(f64, String, Option<f64>)>,
    pub(super) description: Option<String>,
}

#[derive(Serialize)]
pub(super) struct MatrixView {
    pub(super) roles: Vec<String>,
    /// Per stage: its title and one mark per role.
    pub(super) rows: Vec<(String, Vec<&'static str>)>,
}

#[derive(Serialize)]
pub(super) struct RegulationView {
    pub(super) lang: &'static str,
    pub(super) target: &'static str,
    pub(super) header: HeaderView,
    pub(super) terms: Vec<(String, String)>,
    pub(super) roles: Vec<RoleView>,
    pub(super) channels: Vec<ChannelView>,
    pub(super) pipelines: Vec<PipelineView>,
    pub(super) kpis_department: Vec<KpiView>,
    pub(super) kpis_by_role: Vec<(String, Vec<KpiView>)>,
    pub(super) norms: Vec<NormSetView>,
    pub(super) plan: Option<PlanView>,
    pub(super) accounting: Vec<AccountingView>,
    pub(super) controls: Vec<ControlView>,
    pub(super) checklists: Vec<ChecklistView>,
    pub(super) meetings: Vec<MeetingView>,
    pub(super) reports: Vec<ReportView>,
    pub(super) interactions: Vec<InteractionView>,
    pub(super) resources: Vec<ResourceView>,
    pub(super) documents: Vec<DocumentView>,
    pub(super) onboarding: Vec<OnboardingView>,
    pub(super) loss_reasons: Vec<(String, String, Vec<String>, Option<String>)>,
    pub(super) changes: Vec<(String, String, String, Option<String>)>,
    pub(super) matrix: MatrixView,
    /// The report forms of the appendix.
    pub(super) forms: super::forms::FormsView,
    /// The reporting lines as (depth, title, headcount), depth first.
    pub(super) org_chart: Vec<(usize, String, u32)>,
    pub(super) signatures: Vec<String>,
    /// Some stage lists required CRM fields.
    pub(super) required_fields: bool,
    /// The client cards (`карточка`).
    pub(super) cards: Vec<super::cards::CardView>,
    /// The forecast appendix, when a simulation was run.
    pub(super) forecast: Option<super::super::forecast::SummaryView>,
    /// `триггер`: the automation section.
    pub(super) triggers: Vec<super::triggers::TriggerView>,
    /// Deal terms and penalties (`условия`, `ответственность`).
    pub(super) deal_terms: Vec<super::terms::TermsView>,
    pub(super) penalties: Vec<super::terms::PenaltiesView>,
}

#[derive(Serialize)]
pub(super) struct MemoView {
    pub(super) lang: &'static str,
    pub(super) header: HeaderView,
    pub(super) role: RoleView,
    pub(super) manager: Option<String>,
    pub(super) stages: Vec<StageView>,
    pub(super) norms: Vec<NormView>,
    pub(super) kpis: Vec<KpiView>,
    pub(super) controls: Vec<ControlView>,
    pub(super) checks_i_make: Vec<ControlView>,
    pub(super) checklists: Vec<ChecklistView>,
    pub(super) reports: Vec<ReportView>,
    pub(super) reports_to_me: Vec<ReportView>,
    pub(super) meetings: Vec<MeetingView>,
    pub(super) documents: Vec<DocumentView>,
    pub(super) onboarding: Option<OnboardingView>,
    pub(super) accounting: Vec<AccountingView>,
    /// The triggers the role works on or is notified by.
    pub(super) triggers: Vec<super::triggers::TriggerView>,
}

pub(super) struct Views<'a> {
    pub(super) model: &'a Model,
    pub(super) analysis: &'a Analysis,
    pub(super) lang: Lang,
    /// The plan and its decomposition (`planning::plan`), computed once.
    pub(super) figures: Option<PlanFigures>,
    /// The pay example of every role, model order (`planning::pay`), computed once.
    pub(super) pay: Vec<Option<PayExample>>,
}

impl<'a> Views<'a> {
    pub(super) fn new(model: &'a Model, analysis: &'a Analysis, lang: Lang) -> Views<'a> {
        let figures = planning::plan::plan(model, analysis);
        let multiplier = figures
            .as_ref()
            .and_then(|f| f.decomposition.as_ref())
            .map(|d| d.multiplier);
        let pay = planning::pay::examples(model, analysis, multiplier);
        Views {
            model,
            analysis,
            lang,
            figures,
            pay,
        }
    }
}
