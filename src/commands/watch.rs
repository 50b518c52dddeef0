//! `ukprod watch`: re-run a scenario whenever one of its inputs is saved.

use anyhow::Context;

use super::project::{Request, command_line};
use crate::cli::{ChartOptions, Cli, Command, DrawOptions, Variants};
use crate::output::{errln, outln};
use crate::scenario::{self, Library};

/// The `run` and the `report` that one round of `watch` makes, each with the command line
/// that reproduces its outputs, for their manifests: a manifest never records `watch`, so
/// `rerun` of it runs once and returns.
pub(super) fn equivalents(
    cli: &Cli,
    name: &str,
    sets: &[String],
    charts: &ChartOptions,
    draws: &DrawOptions,
) -> [Cli; 2] {
    let with = |command: Command, argv: Vec<String>| Cli {
        data: cli.data.clone(),
        scenarios: cli.scenarios.clone(),
        out: cli.out.clone(),
        command,
        argv,
    };
    let variants = Variants {
        sets: sets.to_vec(),
        as_names: Vec::new(),
        data_uncertainty: false,
    };
    [
        with(
            Command::Run {
                names: vec![name.to_string()],
                variants: variants.clone(),
                charts: charts.clone(),
                draws: draws.clone(),
            },
            command_line(cli, "run", name, sets, None, Some(charts), draws),
        ),
        with(
            Command::Report {
                names: vec![name.to_string()],
                variants,
                draws: draws.clone(),
            },
            command_line(cli, "report", name, sets, None, None, draws),
        ),
    ]
}

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
    let [as_run, as_report] = equivalents(cli, name, sets, charts, draws);
    let variants = Variants {
        sets: sets.to_vec(),
        as_names: Vec::new(),
        data_uncertainty: false,
    };
    let request = Request::new(&names, &variants, draws);
    // A broken save prints its error and the watch goes on; a stdout that cannot be written
    // (its reader gone, a full disk) ends the watch, as nothing it prints can be seen.
    let run_once = || -> anyhow::Result<()> {
        super::project::forget_warnings();
        let result = super::run::run(&as_run, library, &request, charts)
            .and_then(|()| super::report::run(&as_report, library, &request));
        match result {
            Err(err) if crate::output::stdout_error(&err).is_some() => Err(err),
            Err(err) => {
                errln!("{}", crate::error_text(&err));
                Ok(())
            }
            Ok(()) => Ok(()),
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
    run_once()?;
    errln!(
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
            outln!("\nsaved: {}", changed.join(", "))?;
            run_once()?;
        }
    }
    Ok(())
}
