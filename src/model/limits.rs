//! Limits checked on the lowered model, with the written statement as the place to point at:
//! a horizon the forecast could not use (E0053). The limits on the syntax tree alone (stages,
//! roles, formula size) are in `syntax::limits`.

use super::Model;

/// The longest name (bytes of UTF-8) that goes whole into a file name (`memo-<роль>.docx`):
/// a longer one is shortened there with a hash of the whole name (most file systems stop at
/// 255 bytes a name), and `check` says so (W0027).
pub const MAX_FILE_STEM_BYTES: usize = 120;
use crate::diag::{Diagnostic, Kind};
use crate::source::FileId;
use crate::syntax::limits::MAX_HORIZON_MONTHS;
use crate::syntax::{Rule, ast};

/// E0053 for a horizon (of the regulation or the plan) that rounds to under one month or to
/// more than [`MAX_HORIZON_MONTHS`]: the forecast would otherwise quietly use another one.
pub fn horizon(model: &Model, files: &[(FileId, ast::File)]) -> Vec<Diagnostic> {
    let written = |outer: Rule, key: Rule| {
        files
            .iter()
            .flat_map(|(_, f)| &f.items)
            .filter(|i| i.key == outer)
            .flat_map(|i| &i.children)
            .find(|c| c.key == key)
    };
    let mut out = Vec::new();
    for (months, stmt) in [
        (
            model.header.horizon_months,
            written(Rule::regulation, Rule::h_horizon),
        ),
        (
            model.plan.as_ref().and_then(|p| p.horizon_months),
            written(Rule::plan, Rule::pl_horizon),
        ),
    ] {
        let (Some(m), Some(stmt)) = (months, stmt) else {
            continue;
        };
        let rounded = m.round();
        if !(rounded >= 1.0 && rounded <= f64::from(MAX_HORIZON_MONTHS)) {
            out.push(Diagnostic::new(
                Kind::HorizonOutOfRange {
                    limit: MAX_HORIZON_MONTHS,
                },
                stmt.span,
            ));
        }
    }
    out
}
