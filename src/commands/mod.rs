//! The commands, one file each (as cargo lays them out); [`project`] holds the
//! load-resolve-project steps they share.

mod check;
mod compare;
mod data;
mod diff;
mod explain;
mod history;
mod list;
mod new;
mod project;
mod report;
mod rerun;
mod run;
mod seek;
mod sensitivity;
mod show;
mod validate;
mod watch;

use crate::cli::{Cli, Command};
use crate::output::errln;
use crate::scenario::Library;
use project::Request;

/// Run one command line.
pub fn run(mut cli: Cli) -> anyhow::Result<()> {
    data_uncertainty_as_set(&mut cli.command);
    let library = Library::new(&cli.scenarios);
    if let Some(name) = writes_nothing(&cli.command)
        && cli
            .argv
            .iter()
            .any(|a| a == "--out" || a.starts_with("--out="))
    {
        errln!("note: `{name}` writes no files, so --out is not used");
    }
    match &cli.command {
        Command::List => list::run(&library),
        Command::Run {
            names,
            variants,
            charts,
            draws,
        } => run::run(
            &cli,
            &library,
            &Request::new(names, variants, draws),
            charts,
        ),
        Command::Compare {
            names,
            variants,
            charts,
            draws,
        } => compare::run(
            &cli,
            &library,
            &Request::new(names, variants, draws),
            charts,
        ),
        Command::Sensitivity {
            name,
            year,
            sets,
            charts,
            draws,
            ..
        } => sensitivity::run(&cli, &library, name, *year, sets, charts, draws),
        Command::Seek {
            name,
            param,
            year,
            target,
            max,
            sets,
        } => seek::run(&cli, &library, name, param, *year, *target, *max, sets),
        Command::History { format, size } => history::run(
            &cli,
            crate::chart::Look {
                format: *format,
                size: *size,
                from: None,
            },
        ),
        Command::Data { format, size } => data::run(
            &cli,
            crate::chart::Look {
                format: *format,
                size: *size,
                from: None,
            },
        ),
        Command::Rerun { manifest } => rerun::run(manifest),
        Command::Report {
            names,
            variants,
            draws,
        } => report::run(&cli, &library, &Request::new(names, variants, draws)),
        Command::Watch {
            name,
            sets,
            charts,
            draws,
        } => watch::run(&cli, &library, name, sets, charts, draws),
        Command::New { name, from } => new::run(&cli, &library, name, from.as_deref()),
        Command::Explain { name, key, sets } => explain::run(&cli, &library, name, key, sets),
        Command::Diff { a, b } => diff::run(&cli, &library, a, b),
        Command::Check { names } => check::run(&cli, &library, names),
        Command::Show { name, sets } => show::run(&cli, &library, name, sets),
        Command::Validate { names } => validate::run(&cli, &library, names),
    }
}

/// The change `--data-uncertainty` stands for.
const DATA_UNCERTAINTY_SET: &str = "assumptions.data_uncertainty=true";

/// `--data-uncertainty` is a `--set` of `assumptions.data_uncertainty` on every scenario, so
/// that a run with it is a variant like any other, named and recorded as one.
fn data_uncertainty_as_set(command: &mut Command) {
    match command {
        Command::Run { variants, .. }
        | Command::Compare { variants, .. }
        | Command::Report { variants, .. }
            if variants.data_uncertainty =>
        {
            variants.sets.push(DATA_UNCERTAINTY_SET.to_string());
        }
        Command::Sensitivity {
            sets,
            data_uncertainty: true,
            ..
        } => sets.push(DATA_UNCERTAINTY_SET.to_string()),
        _ => {}
    }
}

/// The name of a command that writes no files (so `--out`, a global option, means nothing to it).
fn writes_nothing(command: &Command) -> Option<&'static str> {
    match command {
        Command::List => Some("list"),
        Command::New { .. } => Some("new"),
        Command::Explain { .. } => Some("explain"),
        Command::Diff { .. } => Some("diff"),
        Command::Check { .. } => Some("check"),
        Command::Show { .. } => Some("show"),
        Command::Validate { .. } => Some("validate"),
        _ => None,
    }
}
