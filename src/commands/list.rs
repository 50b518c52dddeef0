//! `ukprod list`: the scenarios with their descriptions.

use std::io::Write;

use crate::diagnostic::Diagnostics;
use crate::scenario::{self, Library};

pub(super) fn run(library: &Library) -> anyhow::Result<()> {
    let names = library.names().map_err(Diagnostics::from)?;
    let width = names.iter().map(String::len).max().unwrap_or(0);
    let mut stdout = std::io::stdout().lock();
    for name in &names {
        let description = scenario::describe(library, name)
            .unwrap_or_else(|_| format!("(does not load: run `ukprod validate {name}`)"));
        writeln!(stdout, "{name:width$}  {description}")?;
    }
    if names.is_empty() {
        writeln!(stdout, "no scenarios in {}", library_dir(library))?;
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
