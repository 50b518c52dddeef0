//! `ukprod watch`: re-run a scenario whenever one of its inputs is saved.

use anyhow::Context;

use crate::cli::{ChartOptions, Cli, DrawOptions};
use crate::scenario::{self, Library};

/// Whether a saved file can change the watched scenario's run: a data file, or a file of its
/// `extends` chain (any scenario file while the chain itself does not load).
fn is_input(path: &std::path::Path, chain: Option<&[String]>) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => true,
        Some("toml") => chain.is_none_or(|names| {
            path.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|stem| names.iter().any(|n| n == stem))
        }),
        _ => false,
    }
}

pub(super) fn run(
    cli: &Cli,
    library: &Library,
    name: &str,
    sets: &[String],
    charts: &ChartOptions,
    draws: &DrawOptions,
) -> anyhow::Result<()> {
    use notify::{RecursiveMode, Watcher};
    let names = [name.to_string()];
    // A broken save prints its error and the watch goes on.
    let run_once = || {
        super::project::forget_warnings();
        let result = super::run::run(cli, library, &names, sets, charts, draws)
            .and_then(|()| super::report::run(cli, library, &names, sets, draws));
        if let Err(err) = result {
            eprintln!("{}", crate::error_text(&err));
        }
    };
    let (tx, rx) = std::sync::mpsc::channel();
    // Only writes, creations, renames and removals: a run reads every input, and reads must
    // not trigger another run.
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(event.paths);
        }
    })
    .context("cannot watch files on this system")?;
    for dir in [&cli.scenarios, &cli.data] {
        watcher
            .watch(dir, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", dir.display()))?;
    }
    run_once();
    eprintln!(
        "watching {} and {} for saves (Ctrl-C to stop)",
        cli.scenarios.display(),
        cli.data.display()
    );
    // Editors save in bursts (write, rename, touch): a burst ends after 300 ms of quiet,
    // and one burst is one run.
    let quiet = std::time::Duration::from_millis(300);
    while let Ok(first) = rx.recv() {
        let mut paths = first;
        while let Ok(more) = rx.recv_timeout(quiet) {
            paths.extend(more);
        }
        let chain: Option<Vec<String>> = scenario::load_chain(library, name)
            .ok()
            .map(|layers| layers.into_iter().map(|l| l.name).collect());
        let mut changed: Vec<String> = paths
            .iter()
            .filter(|p| is_input(p, chain.as_deref()))
            .map(|p| p.display().to_string())
            .collect();
        changed.sort();
        changed.dedup();
        if !changed.is_empty() {
            println!("\nsaved: {}", changed.join(", "));
            run_once();
        }
    }
    Ok(())
}
