//! Limits on the size of a regulation as a whole, checked on the syntax tree before anything
//! is built from it: the stages of all pipelines (the exact analysis solves a dense system per
//! pipeline, memory n², time n³) and the roles (reporting chains are walked role by role). A
//! real regulation has tens of each; these bounds keep time and memory in check for any input.

use super::Rule;
use super::ast;
use crate::diag::{Diagnostic, Kind, Msg};
use crate::source::FileId;

/// The largest magnitude accepted for any number: in a regulation (E0010), and in scenario and
/// open-deals files (E0075), so a value the language refuses cannot come in through them.
pub const MAX_NUMBER: f64 = 1e15;

/// Whether a number is in the language's range: finite and at most [`MAX_NUMBER`] in magnitude.
pub fn in_range(x: f64) -> bool {
    x.is_finite() && x.abs() <= MAX_NUMBER
}

/// The most stages in all pipelines together.
pub const MAX_STAGES: usize = 1000;
/// The most roles.
pub const MAX_ROLES: usize = 1000;
/// The longest horizon of a forecast, in months (the shortest is one month).
pub const MAX_HORIZON_MONTHS: u32 = 120;

/// The first limit passed, at the first item past it.
pub fn check(files: &[(FileId, ast::File)]) -> Option<Diagnostic> {
    let mut stages = 0;
    let mut roles = 0;
    for (_, file) in files {
        for item in &file.items {
            if item.key == Rule::role {
                roles += 1;
                if roles > MAX_ROLES {
                    return Some(too_many(Msg::new("ролей", "roles"), MAX_ROLES, item));
                }
            }
            for stage in item.children.iter().filter(|c| c.key == Rule::stage) {
                stages += 1;
                if stages > MAX_STAGES {
                    return Some(too_many(Msg::new("этапов", "stages"), MAX_STAGES, stage));
                }
            }
        }
    }
    None
}

fn too_many(what: Msg, limit: usize, at: &ast::Stmt) -> Diagnostic {
    Diagnostic::new(Kind::TooManyItems { what, limit }, at.head)
}
