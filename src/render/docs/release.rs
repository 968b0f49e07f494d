//! Documents' wording of scheduled starts (`старт`, `набор_до`, `группа`) and of contacts made
//! before every start (`перед_каждым_стартом`); the figures (mean wait, group per start) are the
//! analysis' (`analyze::release`).

use super::super::format;
use super::Views;
use crate::model::Destination;
use crate::model::release::{DayGrid, Release};

impl Views<'_> {
    /// «по вторникам в 19:00; набор закрывается за 3 дня до старта; ожидание старта в среднем
    /// 2 рабочих дня».
    pub(super) fn starts_words(&self, r: &Release) -> String {
        let grid = DayGrid::of(self.model.header.calendar());
        let mut parts = vec![r.starts_words(self.lang)];
        if r.close_days > 0.0 {
            let d = format::days(r.close_days, self.lang);
            parts.push(match self.lang {
                crate::locale::Lang::Ru => format!("набор закрывается за {d} до старта"),
                crate::locale::Lang::En => format!("enrolment closes {d} before the start"),
            });
        }
        let wait = format::days(r.mean_wait(grid), self.lang);
        parts.push(match self.lang {
            crate::locale::Lang::Ru => format!("ожидание старта в среднем {wait} (рабочих)"),
            crate::locale::Lang::En => format!("the wait for a start averages {wait} (working)"),
        });
        parts.join("; ")
    }

    /// «от 10 до 25 человек; ожидается в среднем 30 на старт».
    pub(super) fn group_words(&self, pipeline: &str, stage: &str, r: &Release) -> Option<String> {
        let bounds = r.group_words(self.lang)?;
        let expected = self
            .analysis
            .starts
            .iter()
            .find(|f| f.pipeline == pipeline && f.stage == stage)
            .map(|f| format::number(f.group_per_start, 1, self.lang));
        Some(match (expected, self.lang) {
            (Some(e), crate::locale::Lang::Ru) => format!("{bounds}; ожидается в среднем {e} на старт"),
            (Some(e), crate::locale::Lang::En) => format!("{bounds}; {e} expected per start on average"),
            (None, _) => bounds,
        })
    }

    /// «перед каждым стартом этапа «Участник пришёл на вебинар»».
    pub(super) fn each_start_words(&self, d: &Destination, from_pipeline: &str) -> String {
        let target = self.destination(d, from_pipeline);
        match self.lang {
            crate::locale::Lang::Ru => format!("перед каждым стартом: {target}"),
            crate::locale::Lang::En => format!("before every start of {target}"),
        }
    }
}
