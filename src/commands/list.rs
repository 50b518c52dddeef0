//! `ukprod list`: the scenarios with their descriptions.

use crate::diagnostic::Diagnostics;
use crate::output::Out;
use crate::scenario::{self, Library};

pub(super) fn run(library: &Library) -> anyhow::Result<()> {
    let names = library.names().map_err(Diagnostics::from)?;
    let width = names.iter().map(String::len).max().unwrap_or(0);
    for name in &names {
        let description = scenario::describe(library, name)
            .unwrap_or_else(|_| format!("(does not load: run `ukprod validate {name}`)"));
        let lines = wrap(&description, columns().saturating_sub(width + 2));
        for (i, line) in lines.iter().enumerate() {
            let name = if i == 0 { name.as_str() } else { "" };
            writeln!(Out, "{name:width$}  {line}")?;
        }
    }
    if names.is_empty() {
        writeln!(Out, "no scenarios in {}", library_dir(library))?;
    }
    Ok(())
}

fn library_dir(library: &Library) -> String {
    library
        .path("x")
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// The width to wrap to: the terminal's `COLUMNS` when the shell exports it, else 100.
fn columns() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 40)
        .unwrap_or(100)
}

/// Break text into lines of at most `width` characters at spaces (a longer word keeps its
/// own line); at least 20 characters wide, so a long name never leaves one word a line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(20);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        assert_eq!(
            wrap("a bb ccc dddd eeeee ffffff ggggggg", 20),
            ["a bb ccc dddd eeeee", "ffffff ggggggg"]
        );
        assert_eq!(wrap("", 30), [""]);
        let long = "x".repeat(25);
        assert_eq!(wrap(&format!("a {long} b"), 20), ["a", long.as_str(), "b"]);
    }
}
