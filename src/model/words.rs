//! The model's own nouns in the reader's language: contact kinds, pipeline kinds, KPI kinds,
//! colours and periods. Documents, CRM notes, forecast reports and editor hovers name these the
//! same way, so the words live here once. Depends on `locale` only.

use super::{Colour, ContactKind, KpiKind, Period, PipelineKind};
use crate::locale::Lang;

impl ContactKind {
    /// «звонок», «встреча», «КП».
    pub fn noun(self, lang: Lang) -> &'static str {
        match self {
            ContactKind::Call => lang.pick("звонок", "call"),
            ContactKind::Meeting => lang.pick("встреча", "meeting"),
            ContactKind::Email => lang.pick("письмо", "email"),
            ContactKind::Message => lang.pick("сообщение", "message"),
            ContactKind::Proposal => lang.pick("КП", "proposal"),
            ContactKind::Contract => lang.pick("договор", "contract"),
            ContactKind::Invoice => lang.pick("счёт", "invoice"),
            ContactKind::Demo => lang.pick("демонстрация", "demo"),
            ContactKind::Task => lang.pick("задача", "task"),
        }
    }

    /// The plural as a column or list heading: «звонки», «встречи».
    pub fn nouns(self, lang: Lang) -> &'static str {
        match self {
            ContactKind::Call => lang.pick("звонки", "calls"),
            ContactKind::Meeting => lang.pick("встречи", "meetings"),
            ContactKind::Email => lang.pick("письма", "emails"),
            ContactKind::Message => lang.pick("сообщения", "messages"),
            ContactKind::Proposal => lang.pick("КП", "proposals"),
            ContactKind::Contract => lang.pick("договоры", "contracts"),
            ContactKind::Invoice => lang.pick("счета", "invoices"),
            ContactKind::Demo => lang.pick("демонстрации", "demos"),
            ContactKind::Task => lang.pick("задачи", "tasks"),
        }
    }
}

impl PipelineKind {
    /// What the pipeline is for: «продажа», «работа с действующими клиентами».
    pub fn noun(self, lang: Lang) -> &'static str {
        match self {
            PipelineKind::Sales => lang.pick("продажа", "sales"),
            PipelineKind::Account => lang.pick("работа с действующими клиентами", "account management"),
            PipelineKind::Retargeting => lang.pick("ретаргетинг", "retargeting"),
            PipelineKind::Nurturing => lang.pick("прогрев", "nurturing"),
        }
    }
}

impl KpiKind {
    /// «опережающий» / «результирующий» (lower case; capitalise at the start of a line).
    pub fn adjective(self, lang: Lang) -> &'static str {
        match self {
            KpiKind::Leading => lang.pick("опережающий", "leading"),
            KpiKind::Lagging => lang.pick("результирующий", "lagging"),
        }
    }
}

impl Colour {
    /// «красный», «жёлтый», «зелёный».
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Colour::Red => lang.pick("красный", "red"),
            Colour::Yellow => lang.pick("жёлтый", "yellow"),
            Colour::Green => lang.pick("зелёный", "green"),
        }
    }
}

impl Period {
    /// A rate's period: «в день», «в неделю».
    pub fn per(self, lang: Lang) -> &'static str {
        match self {
            Period::Day => lang.pick("в день", "a day"),
            Period::Week => lang.pick("в неделю", "a week"),
            Period::Month => lang.pick("в месяц", "a month"),
            Period::Quarter => lang.pick("в квартал", "a quarter"),
            Period::Year => lang.pick("в год", "a year"),
        }
    }

    /// How often something happens: «ежедневно», «еженедельно».
    pub fn every(self, lang: Lang) -> &'static str {
        match self {
            Period::Day => lang.pick("ежедневно", "daily"),
            Period::Week => lang.pick("еженедельно", "weekly"),
            Period::Month => lang.pick("ежемесячно", "monthly"),
            Period::Quarter => lang.pick("ежеквартально", "quarterly"),
            Period::Year => lang.pick("ежегодно", "yearly"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contact_kind_has_a_singular_and_a_plural_in_both_languages() {
        let all = [
            ContactKind::Call,
            ContactKind::Meeting,
            ContactKind::Email,
            ContactKind::Message,
            ContactKind::Proposal,
            ContactKind::Contract,
            ContactKind::Invoice,
            ContactKind::Demo,
            ContactKind::Task,
        ];
        for k in all {
            for lang in [Lang::Ru, Lang::En] {
                assert!(!k.noun(lang).is_empty() && !k.nouns(lang).is_empty());
            }
        }
        assert_eq!(ContactKind::Call.nouns(Lang::Ru), "звонки");
        assert_eq!(Period::Week.per(Lang::Ru), "в неделю");
        assert_eq!(Period::Quarter.every(Lang::En), "quarterly");
    }
}
