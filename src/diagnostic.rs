//! Problems in user input, reported with the file, line and column they come from.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Where a problem was found.
#[derive(Debug, Clone)]
pub enum Location {
    /// A byte span in a text file (TOML scenarios), shown with the offending line.
    Span {
        /// The file.
        path: PathBuf,
        /// The whole text of the file.
        text: Arc<str>,
        /// The bytes the problem refers to.
        span: Range<usize>,
    },
    /// A line of a CSV file, and the column it concerns if any.
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// Name of the column, if the problem is in one field.
        column: Option<String>,
    },
    /// A whole file.
    File(PathBuf),
    /// A `--set KEY=VALUE` argument on the command line.
    Set(String),
    /// A `--set` argument, as applied to one of several scenarios.
    SetFor {
        /// The argument as given.
        arg: String,
        /// The scenario it was applied to.
        scenario: String,
    },
}

impl Location {
    /// Where, in a few words: `file:line:column`, `file:line`, `file` or `--set KEY=VALUE`.
    pub fn brief(&self) -> String {
        match self {
            Location::Span { path, text, span } => {
                let start = clamp_span(text, span.clone()).start;
                let before = &text[..start];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("{}:{line}:{column}", path.display())
            }
            Location::Row { path, line, .. } => format!("{}:{line}", path.display()),
            Location::File(path) => path.display().to_string(),
            Location::Set(arg) | Location::SetFor { arg, .. } => format!("--set {arg}"),
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// The input cannot be used: the command fails.
    #[default]
    Error,
    /// The input is valid but probably not what was meant: the command goes on.
    Warning,
}

/// One problem in user input: what is wrong, where, and a hint to fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error (the command fails) or warning (it goes on).
    pub severity: Severity,
    /// What is wrong, as a sentence without a trailing full stop.
    pub message: String,
    /// Where the problem is, when it can be pinned down.
    pub location: Option<Location>,
    /// A hint such as "did you mean `jlr-halewood`?".
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with no location yet.
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            help: None,
        }
    }

    /// A warning: printed like an error, but the command goes on.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(message)
        }
    }

    /// Attach a location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Attach a hint, if there is one.
    pub fn with_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Attach a location pointing at a whole file.
    pub fn in_file(self, path: &Path) -> Self {
        self.at(Location::File(path.to_path_buf()))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(Location::Span { path, text, span }) => {
                let path = path.display().to_string();
                let span = clamp_span(text, span.clone());
                let level = match self.severity {
                    Severity::Error => Level::ERROR,
                    Severity::Warning => Level::WARNING,
                };
                let mut report = vec![
                    level.primary_title(&self.message).element(
                        Snippet::source(&**text)
                            .path(&path)
                            .annotation(AnnotationKind::Primary.span(span)),
                    ),
                ];
                if let Some(help) = &self.help {
                    report.push(Group::with_title(Level::HELP.secondary_title(help)));
                }
                write!(f, "{}", Renderer::plain().render(&report))
            }
            other => {
                match self.severity {
                    Severity::Error => write!(f, "error: ")?,
                    Severity::Warning => write!(f, "warning: ")?,
                }
                match other {
                    Some(Location::Row { path, line, column }) => {
                        write!(f, "{}:{line}: ", path.display())?;
                        if let Some(column) = column {
                            write!(f, "column `{column}`: ")?;
                        }
                    }
                    Some(Location::File(path)) => write!(f, "{}: ", path.display())?,
                    Some(Location::Set(arg)) => write!(f, "in `--set {arg}`: ")?,
                    Some(Location::SetFor { arg, scenario }) => {
                        write!(f, "in `--set {arg}` (applied to scenario `{scenario}`): ")?
                    }
                    _ => {}
                }
                write!(f, "{}", self.message)?;
                if let Some(help) = &self.help {
                    write!(f, "\nhelp: {help}")?;
                }
                Ok(())
            }
        }
    }
}

/// Keep a span inside the text and on character boundaries, so rendering never panics.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Every problem found in a check, reported together.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Record one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was found, else the problems.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} problems found", self.0.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The known name closest to `input`, if one is close enough to be a likely typo.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = input.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|candidate| {
            if candidate.to_lowercase() == lower {
                return Some((0, candidate));
            }
            let distance = strsim::levenshtein(input, candidate);
            // Three edits is the point where suggestions for short names turn into noise.
            (distance < 3 || distance <= input.len() / 5).then_some((distance, candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(input, candidates).map(|name| format!("did you mean `{name}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let plants = ["jlr-halewood", "jlr-solihull", "nissan-sunderland"];
        assert_eq!(suggest("jlr-halwood", plants), Some("jlr-halewood"));
        assert_eq!(suggest("JLR-Solihull", plants), Some("jlr-solihull"));
        assert_eq!(suggest("toyota", plants), None);
    }

    #[test]
    fn span_diagnostic_names_line_and_column() {
        let text: Arc<str> = Arc::from("a = 1\nplant = \"jlr-halwood\"\n");
        let d = Diagnostic::new("unknown plant `jlr-halwood`")
            .at(Location::Span {
                path: "scenarios/x.toml".into(),
                text,
                span: 14..27,
            })
            .with_help(Some("did you mean `jlr-halewood`?".into()));
        let shown = d.to_string();
        assert!(shown.contains("scenarios/x.toml:2:9"), "{shown}");
        assert!(
            shown.contains("help: did you mean `jlr-halewood`?"),
            "{shown}"
        );
    }

    #[test]
    fn spans_past_the_end_do_not_panic() {
        let text: Arc<str> = Arc::from("é");
        let d = Diagnostic::new("x").at(Location::Span {
            path: "f".into(),
            text,
            span: 1..99,
        });
        let _ = d.to_string();
    }
}
