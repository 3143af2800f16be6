//! Errors that stop a build, and diagnostics that do not.
//!
//! Every error names the file (and line, and column, where known) and says what to
//! do about it: a writer reading the terminal should never need a debugger.

use std::fmt;
use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `reason` is shown in the message, not offered as the error's source:
    /// `error: {:#}` would print it twice.
    #[error("{path}: {reason}", path = .path.display())]
    Io { path: PathBuf, reason: std::io::Error },

    #[error("{}: {message}\n  hint: {hint}", location(path, *line, *column))]
    Input { path: PathBuf, line: Option<usize>, column: Option<usize>, message: String, hint: String },

    #[error("template {name}: {message}\n  hint: fix the template; the previous output was left untouched")]
    Template { name: String, message: String },

    #[error("{count} {} stopped the build (the previous output was left untouched):\n{list}", if *count == 1 { "error" } else { "errors" })]
    Many { count: usize, list: String },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), reason: source }
    }

    /// Bad input from a writer: file, line if known, what is wrong, what to do.
    pub fn input(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Error::Input { path: path.into(), line, column: None, message: message.into(), hint: hint.into() }
    }

    /// Bad input at a line and column (1-based, in characters) of a file.
    pub fn input_at(
        path: impl Into<PathBuf>,
        (line, column): (usize, usize),
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Error::Input {
            path: path.into(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// This error as a diagnostic, for reports that list every problem
    /// (`infrared check`) instead of stopping at the first.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let (path, line, column, message) = match self {
            Error::Io { path, reason } => (path.clone(), None, None, reason.to_string()),
            Error::Input { path, line, column, message, hint } => {
                (path.clone(), *line, *column, format!("{message} (hint: {hint})"))
            }
            Error::Template { name, message } => (PathBuf::from(name), None, None, format!("template: {message}")),
            Error::Many { list, .. } => (PathBuf::new(), None, None, list.clone()),
        };
        let (line, column) = (line.unwrap_or(1), column.unwrap_or(1));
        Diagnostic { path, line, column, severity: Severity::Error, message }
    }

    /// Several independent errors found in one pass, reported together.
    pub fn many(mut errors: Vec<Error>) -> Self {
        if errors.len() == 1 {
            return errors.remove(0);
        }
        let mut lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        lines.sort();
        let count = lines.len();
        Error::Many { count, list: capped(lines, MAX_LISTED, "errors") }
    }
}

/// How many problems a report lists before it just counts the rest: a
/// broken import can produce thousands, and the first ones say enough.
pub const MAX_LISTED: usize = 200;

/// `lines` joined, the ones past `max` replaced by a count of them.
pub fn capped(mut lines: Vec<String>, max: usize, what: &str) -> String {
    let more = lines.len().saturating_sub(max);
    lines.truncate(max);
    if more > 0 {
        lines.push(format!("… and {more} more {what} (run `infrared check` to list them all)"));
    }
    lines.join("\n")
}

/// `file`, `file:line` or `file:line:column`, as far as known.
fn location(path: &Path, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", path.display()),
        (Some(line), None) => format!("{}:{line}", path.display()),
        (None, _) => path.display().to_string(),
    }
}

/// Read a whole file as UTF-8, with errors that name it.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        Error::input(
            path,
            Some(line),
            "the file is not valid UTF-8",
            "save it as UTF-8 (most editors have an \"encoding\" menu)",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_reports_are_capped_with_a_count() {
        let lines: Vec<String> = (0..205).map(|i| format!("e{i}")).collect();
        let text = capped(lines, 200, "errors");
        assert_eq!(text.lines().count(), 201);
        assert!(text.ends_with("… and 5 more errors (run `infrared check` to list them all)"));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// A problem worth reporting that does not stop the build (a broken link,
/// a missing image). Ordered by file, line, column so reports are stable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}: {}", self.path.display(), self.line, self.column, self.severity, self.message)
    }
}

/// 1-based line number of a byte offset in `text`.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// Collecting parallel results so that the error reported is the first in
/// input order. rayon's own `collect::<Result<_>>` returns whichever error a
/// thread met first, so the same bad site would name a different page from
/// one run to the next.
pub trait CollectInOrder<T>: rayon::iter::ParallelIterator<Item = Result<T>> {
    fn collect_in_order<C: FromIterator<T>>(self) -> Result<C>
    where
        Self: Sized,
        T: Send,
    {
        let all: Vec<Result<T>> = self.collect();
        all.into_iter().collect()
    }
}

impl<T: Send, I: rayon::iter::ParallelIterator<Item = Result<T>>> CollectInOrder<T> for I {}
