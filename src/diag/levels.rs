//! Which codes can take a lint level (`правила { … }`, `-A/-W/-D`): warnings and the group
//! `warnings`, never errors. A question about the code table, so it lives beside it and the
//! model's lowering and the command line ask it without depending on `check`.

/// The group name that stands for every warning.
pub const ALL_WARNINGS: &str = "warnings";

/// Why a command-line code cannot take a level, if it cannot.
pub fn validate(code: &str) -> Result<(), LevelError> {
    if code == ALL_WARNINGS {
        return Ok(());
    }
    match crate::diag::kind::CODES.iter().find(|(c, ..)| *c == code) {
        Some((c, ..)) if c.starts_with('W') => Ok(()),
        Some(_) => Err(LevelError::NotAWarning),
        None => Err(LevelError::Unknown {
            suggestion: crate::diag::suggest(code, crate::diag::kind::CODES.iter().map(|(c, ..)| *c)),
        }),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelError {
    NotAWarning,
    Unknown { suggestion: Option<String> },
}
