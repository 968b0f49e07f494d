//! Lint levels: allow, warn or deny a warning code, from the file (`правила { … }`) and then
//! from the command line (`-A CODE`, `-W CODE`, `-D CODE`; `warnings` names every warning),
//! the later setting winning, as clippy does. Errors have no level.

use crate::diag::{Diagnostic, Severity};
use crate::model::{Level, LintLevel};

/// One level setting from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSetting {
    /// A warning code (`W0006`) or `warnings` for all of them.
    pub code: String,
    pub level: Level,
}

pub use crate::diag::levels::{ALL_WARNINGS, LevelError, validate};

/// Applies the levels: allowed warnings are dropped, denied ones become errors.
pub fn apply(diags: Vec<Diagnostic>, file: &[LintLevel], cli: &[LevelSetting]) -> Vec<Diagnostic> {
    let settings: Vec<(&str, Level)> = file
        .iter()
        .map(|l| (l.code.as_str(), l.level))
        .chain(cli.iter().map(|l| (l.code.as_str(), l.level)))
        .collect();
    diags
        .into_iter()
        .filter_map(|mut d| {
            if !d.code().starts_with('W') {
                return Some(d);
            }
            let level = settings
                .iter()
                .filter(|(c, _)| *c == d.code() || *c == ALL_WARNINGS)
                .map(|(_, l)| *l)
                .next_back()
                .unwrap_or(Level::Warn);
            match level {
                Level::Allow => None,
                Level::Warn => {
                    d.severity = Severity::Warning;
                    Some(d)
                }
                Level::Deny => {
                    d.severity = Severity::Error;
                    Some(d)
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Kind;
    use crate::source::Span;

    fn warning(code_kind: Kind) -> Diagnostic {
        Diagnostic::new(code_kind, Span::default())
    }

    #[test]
    fn later_settings_win_and_errors_are_untouched() {
        let diags = vec![
            warning(Kind::NoChain { stage: "A".into() }),
            warning(Kind::NoExitCriterion { stage: "A".into() }),
            warning(Kind::PlanWithoutHorizon),
        ];
        let file = [LintLevel {
            code: "W0007".into(),
            level: Level::Allow,
        }];
        let out = apply(diags.clone(), &file, &[]);
        assert_eq!(
            out.iter().map(|d| d.code()).collect::<Vec<_>>(),
            ["W0008", "E0040"]
        );
        let cli = [
            LevelSetting {
                code: ALL_WARNINGS.into(),
                level: Level::Deny,
            },
            LevelSetting {
                code: "W0008".into(),
                level: Level::Warn,
            },
        ];
        let out = apply(diags, &file, &cli);
        let got: Vec<_> = out.iter().map(|d| (d.code(), d.severity)).collect();
        assert_eq!(
            got,
            [
                ("W0007", Severity::Error),
                ("W0008", Severity::Warning),
                ("E0040", Severity::Error)
            ]
        );
    }

    #[test]
    fn only_warning_codes_take_levels() {
        assert_eq!(validate("W0006"), Ok(()));
        assert_eq!(validate("warnings"), Ok(()));
        assert_eq!(validate("E0030"), Err(LevelError::NotAWarning));
        assert!(matches!(validate("W9999"), Err(LevelError::Unknown { .. })));
    }
}
