//! The commands: each loads, resolves, projects and renders through the library.

use std::io::Write;

use anyhow::Context;

use crate::chart;
use crate::cli::{ChartOptions, Cli, Command};
use crate::data::{self, Dataset};
use crate::diagnostic::Diagnostics;
use crate::engine::{self, Projection};
use crate::export::{self, OutputFile};
use crate::scenario::{self, Library, Scenario, SetArg};

/// Run one command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let library = Library::new(&cli.scenarios);
    match &cli.command {
        Command::List => list(&library),
        Command::Run {
            names,
            sets,
            charts,
        } => run_scenarios(&cli, &library, names, sets, charts),
        Command::Compare {
            names,
            sets,
            charts,
        } => compare(&cli, &library, names, sets, charts),
        Command::History { format } => history(&cli, *format),
        Command::Show { name, sets } => show(&cli, &library, name, sets),
        Command::Validate { names } => validate(&cli, &library, names),
    }
}

fn parse_sets(sets: &[String]) -> Result<Vec<SetArg>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut parsed = Vec::new();
    for raw in sets {
        match scenario::parse_set(raw) {
            Ok(set) => parsed.push(set),
            Err(problem) => problems.push(problem),
        }
    }
    problems.into_result(parsed)
}

/// Resolve several scenarios, reporting the problems of all of them together.
fn resolve_all(
    data: &Dataset,
    library: &Library,
    names: &[String],
    sets: &[SetArg],
) -> Result<Vec<Scenario>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut scenarios = Vec::new();
    for name in names {
        match scenario::resolve(library, data, name, sets) {
            Ok(s) => scenarios.push(s),
            Err(mut found) => problems.0.append(&mut found.0),
        }
    }
    problems.into_result(scenarios)
}

/// Load the data and resolve and project the named scenarios.
fn project_all(
    cli: &Cli,
    library: &Library,
    names: &[String],
    sets: &[String],
) -> anyhow::Result<Vec<(Scenario, Projection)>> {
    let sets = parse_sets(sets)?;
    let data = data::load(&cli.data)?;
    let scenarios = resolve_all(&data, library, names, &sets)?;
    Ok(scenarios
        .into_iter()
        .map(|s| {
            let projection = engine::project(&data, &s);
            (s, projection)
        })
        .collect())
}

fn run_scenarios(
    cli: &Cli,
    library: &Library,
    names: &[String],
    sets: &[String],
    charts: &ChartOptions,
) -> anyhow::Result<()> {
    // Render everything before writing anything, so one failure leaves no partial run.
    let mut runs: Vec<(Projection, Vec<OutputFile>)> = Vec::new();
    for (scenario, projection) in project_all(cli, library, names, sets)? {
        let mut files = export::run_files(&projection, &scenario)?;
        if !charts.no_charts {
            files.extend(chart::scenario_charts(&projection, charts.format)?);
        }
        runs.push((projection, files));
    }
    let mut stdout = std::io::stdout().lock();
    for (projection, files) in &runs {
        let dir = cli.out.join(&projection.scenario);
        export::write_files(&dir, files)?;
        write!(stdout, "{}", export::summary(projection))?;
        writeln!(stdout, "  {}\n", written(&dir, files))?;
    }
    Ok(())
}

fn compare(
    cli: &Cli,
    library: &Library,
    names: &[String],
    sets: &[String],
    charts: &ChartOptions,
) -> anyhow::Result<()> {
    let projections: Vec<Projection> = project_all(cli, library, names, sets)?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let mut files = vec![OutputFile {
        name: "compare.csv".into(),
        bytes: export::compare_csv(&projections)?,
    }];
    if !charts.no_charts {
        files.extend(chart::compare_chart(&projections, charts.format)?);
    }
    let dir = cli.out.join(format!("compare-{}", names.join("-")));
    export::write_files(&dir, &files)?;
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{}", export::compare_table(&projections))?;
    writeln!(stdout, "\n{}", written(&dir, &files))?;
    Ok(())
}

fn history(cli: &Cli, format: chart::Format) -> anyhow::Result<()> {
    let data = data::load(&cli.data)?;
    let files = chart::history_chart(&data.history, format)?;
    let dir = cli.out.join("history");
    export::write_files(&dir, &files)?;
    println!("{}", written(&dir, &files));
    Ok(())
}

/// "wrote DIR/ (a.csv, b.png)": what a command left behind.
fn written(dir: &std::path::Path, files: &[OutputFile]) -> String {
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    format!("wrote {}/ ({})", dir.display(), names.join(", "))
}

fn show(cli: &Cli, library: &Library, name: &str, sets: &[String]) -> anyhow::Result<()> {
    let sets = parse_sets(sets)?;
    let data = data::load(&cli.data)?;
    let scenario = scenario::resolve(library, &data, name, &sets)?;
    print!("{}", scenario.to_toml());
    Ok(())
}

fn list(library: &Library) -> anyhow::Result<()> {
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

fn validate(cli: &Cli, library: &Library, names: &[String]) -> anyhow::Result<()> {
    let mut problems = Diagnostics::default();
    let mut stdout = std::io::stdout().lock();
    let data = match data::load(&cli.data) {
        Ok(data) => {
            writeln!(
                stdout,
                "data: ok ({} years of history to {}, {} plants)",
                data.history.len(),
                data.base_year(),
                data.plants.len()
            )?;
            Some(data)
        }
        Err(mut found) => {
            problems.0.append(&mut found.0);
            None
        }
    };
    let names = if names.is_empty() {
        library.names().map_err(Diagnostics::from)?
    } else {
        names.to_vec()
    };
    if let Some(data) = &data {
        for name in &names {
            match scenario::resolve(library, data, name, &[]) {
                Ok(_) => writeln!(stdout, "scenario {name}: ok")?,
                Err(mut found) => problems.0.append(&mut found.0),
            }
        }
    }
    stdout.flush().context("cannot write to standard output")?;
    problems.into_result(())?;
    Ok(())
}
