//! The commands: each loads, resolves, projects and renders through the library.

use std::io::Write;

use anyhow::Context;
use clap::Parser;

use crate::chart;
use indicatif::{ProgressBar, ProgressDrawTarget};

use crate::cli::{ChartOptions, Cli, Command, DrawOptions};
use crate::data::{self, Dataset};
use crate::diagnostic::Diagnostics;
use crate::engine::{self, Inputs, Projection};
use crate::export::{self, OutputFile};
use crate::manifest::{self, Manifest};
use crate::report;
use crate::scenario::{self, Library, Scenario, SetArg};
use crate::uncertainty::{self, Draws, Uncertainty};

/// Run one command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let library = Library::new(&cli.scenarios);
    match &cli.command {
        Command::List => list(&library),
        Command::Run {
            names,
            sets,
            charts,
            draws,
        } => run_scenarios(&cli, &library, names, sets, charts, draws),
        Command::Compare {
            names,
            sets,
            charts,
            draws,
        } => compare(&cli, &library, names, sets, charts, draws),
        Command::Sensitivity {
            name,
            year,
            sets,
            charts,
        } => sensitivity(&cli, &library, name, *year, sets, charts),
        Command::Seek {
            name,
            param,
            year,
            target,
            max,
            sets,
        } => seek(&cli, &library, name, param, *year, *target, *max, sets),
        Command::History { format } => history(&cli, *format),
        Command::Rerun { manifest } => rerun(manifest),
        Command::Report { names, sets, draws } => report(&cli, &library, names, sets, draws),
        Command::Watch {
            name,
            sets,
            charts,
            draws,
        } => watch(&cli, &library, name, sets, charts, draws),
        Command::New { name, from } => new(&cli, &library, name, from.as_deref()),
        Command::Explain { name, key, sets } => explain(&cli, &library, name, key, sets),
        Command::Diff { a, b } => diff(&cli, &library, a, b),
        Command::Check { names } => check(&cli, &library, names),
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

/// One scenario, resolved and projected.
struct ScenarioRun {
    scenario: Scenario,
    inputs: Inputs,
    projection: Projection,
}

/// Load the data and resolve and project the named scenarios.
fn project_all(
    cli: &Cli,
    library: &Library,
    names: &[String],
    sets: &[String],
) -> anyhow::Result<(Dataset, Vec<ScenarioRun>)> {
    let sets = parse_sets(sets)?;
    let data = data::load(&cli.data)?;
    let scenarios = resolve_all(&data, library, names, &sets)?;
    let runs = scenarios
        .into_iter()
        .map(|scenario| {
            let inputs = Inputs::new(&data, &scenario);
            let projection = engine::project_inputs(&data, &scenario, &inputs);
            ScenarioRun {
                scenario,
                inputs,
                projection,
            }
        })
        .collect();
    Ok((data, runs))
}

/// The manifest of outputs made from `runs`.
fn manifest_of(cli: &Cli, data: &Dataset, runs: &[&ScenarioRun]) -> Manifest {
    let made: Vec<(&Projection, String)> = runs
        .iter()
        .map(|r| (&r.projection, r.scenario.to_toml()))
        .collect();
    Manifest::new(&cli.argv, data, &made)
}

/// Monte Carlo draws of a run with uncertain inputs: 10,000 unless `--draws` says otherwise.
/// A scenario without ranges or probabilities has nothing to draw, whatever `--draws` says.
fn draws_of(run: &ScenarioRun, options: &DrawOptions) -> Option<Draws> {
    if run.scenario.uncertain.is_empty() {
        return None;
    }
    let count = options.draws.unwrap_or(uncertainty::DEFAULT_DRAWS);
    if count == 0 {
        return None;
    }
    let seed = options.seed.unwrap_or(uncertainty::DEFAULT_SEED);
    // Only long runs get a bar; indicatif hides it when stderr is not a terminal.
    let bar = if count >= 200_000 {
        ProgressBar::with_draw_target(Some(count as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    let draws = uncertainty::run(&run.inputs, &run.scenario.uncertain, count, seed, &|n| {
        bar.inc(n)
    });
    bar.finish_and_clear();
    Some(draws)
}

fn run_scenarios(
    cli: &Cli,
    library: &Library,
    names: &[String],
    sets: &[String],
    charts: &ChartOptions,
    draw_options: &DrawOptions,
) -> anyhow::Result<()> {
    // Render everything before writing anything, so one failure leaves no partial run.
    let mut runs: Vec<(Projection, Vec<OutputFile>, String)> = Vec::new();
    let (data, all) = project_all(cli, library, names, sets)?;
    for run in all {
        let mut manifest = manifest_of(cli, &data, &[&run]);
        let mut files = export::run_files(&run.projection, &run.scenario)?;
        if !charts.no_charts {
            files.extend(chart::scenario_charts(&run.projection, charts.format)?);
        }
        let mut note = String::new();
        if let Some(draws) = draws_of(&run, draw_options) {
            manifest.draws = Some(draws.count);
            manifest.seed = Some(draws.seed);
            let uncertainty = Uncertainty::new(&draws, &run.inputs);
            files.extend(export::draw_files(&uncertainty)?);
            if !charts.no_charts {
                files.extend(chart::fan_chart(
                    &run.projection,
                    &uncertainty,
                    charts.format,
                )?);
            }
            note = export::probability_line(&run.projection, &uncertainty);
        }
        note.push_str(&export::check_lines(&engine::evaluate_checks(
            &run.projection,
            &run.scenario.checks,
        )));
        manifest.attach(&mut files)?;
        runs.push((run.projection, files, note));
    }
    let mut stdout = std::io::stdout().lock();
    for (projection, files, note) in &runs {
        let dir = cli.out.join(&projection.scenario);
        export::write_files(&dir, files)?;
        write!(stdout, "{}{note}", export::summary(projection))?;
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
    draw_options: &DrawOptions,
) -> anyhow::Result<()> {
    let (data, runs) = project_all(cli, library, names, sets)?;
    let mut manifest = manifest_of(cli, &data, &runs.iter().collect::<Vec<_>>());
    if let Some(draws) = draw_options.draws.filter(|d| *d > 0) {
        manifest.draws = Some(draws);
        manifest.seed = Some(draw_options.seed.unwrap_or(uncertainty::DEFAULT_SEED));
    }
    // With draws, every scenario uses the same seed: shared inputs see the same numbers.
    let spreads: Option<Vec<Uncertainty>> = draw_options.draws.filter(|d| *d > 0).map(|_| {
        runs.iter()
            .map(|run| {
                let draws = draws_of(run, draw_options);
                draws.map_or_else(Uncertainty::none, |d| Uncertainty::new(&d, &run.inputs))
            })
            .collect()
    });
    let projections: Vec<Projection> = runs.into_iter().map(|r| r.projection).collect();
    let mut files = vec![OutputFile {
        name: "compare.csv".into(),
        bytes: export::compare_csv(&projections)?,
    }];
    if !charts.no_charts {
        files.extend(chart::compare_chart(
            &projections,
            spreads.as_deref(),
            charts.format,
        )?);
    }
    manifest.attach(&mut files)?;
    let dir = cli.out.join(format!("compare-{}", names.join("-")));
    export::write_files(&dir, &files)?;
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{}", export::compare_table(&projections))?;
    writeln!(stdout, "\n{}", written(&dir, &files))?;
    Ok(())
}

/// The year a command looks at: the one asked for, else the target year (or the end year if
/// sooner); it must be a projected year.
fn pick_year(run: &ScenarioRun, year: Option<i32>) -> anyhow::Result<i32> {
    let inputs = &run.inputs;
    let year = year.unwrap_or(inputs.target.year.min(inputs.end_year));
    if !inputs.years().contains(&year) {
        anyhow::bail!(
            "--year {year} is outside the projection of `{}`, which runs from {} to {}",
            run.scenario.name,
            inputs.base_year + 1,
            inputs.end_year
        );
    }
    Ok(year)
}

fn one_run(
    cli: &Cli,
    library: &Library,
    name: &str,
    sets: &[String],
) -> anyhow::Result<(Dataset, ScenarioRun)> {
    let (data, mut runs) =
        project_all(cli, library, std::slice::from_ref(&name.to_string()), sets)?;
    let run = runs.pop().context("no scenario was resolved")?;
    Ok((data, run))
}

fn sensitivity(
    cli: &Cli,
    library: &Library,
    name: &str,
    year: Option<i32>,
    sets: &[String],
    charts: &ChartOptions,
) -> anyhow::Result<()> {
    let (data, run) = one_run(cli, library, name, sets)?;
    let year = pick_year(&run, year)?;
    if run.scenario.uncertain.is_empty() {
        anyhow::bail!(
            "scenario `{name}` has no ranges or probabilities to vary: write an input as {{ low, mode, high }} or give an item a probability"
        );
    }
    let swings = uncertainty::sensitivity(&run.inputs, &run.scenario.uncertain, year);
    let central = run
        .projection
        .year(year)
        .and_then(|n| n.total)
        .unwrap_or(f64::NAN);
    let target = engine::target_path(
        run.inputs.base_year,
        run.inputs.base_total,
        run.inputs.target,
        year,
    );
    let mut files = vec![OutputFile {
        name: "sensitivity.csv".into(),
        bytes: export::sensitivity_csv(&swings)?,
    }];
    if !charts.no_charts {
        files.extend(chart::tornado_chart(
            &run.projection,
            &swings,
            year,
            central,
            target,
            charts.format,
        )?);
    }
    manifest_of(cli, &data, &[&run]).attach_as("sensitivity.manifest.json", &mut files)?;
    let dir = cli.out.join(name);
    export::write_files(&dir, &files)?;
    print!("{}", export::sensitivity_table(&swings, year, central));
    println!("{}", written(&dir, &files));
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn seek(
    cli: &Cli,
    library: &Library,
    name: &str,
    param: &str,
    year: Option<i32>,
    target: Option<f64>,
    max: Option<f64>,
    sets: &[String],
) -> anyhow::Result<()> {
    let (data, run) = one_run(cli, library, name, sets)?;
    let year = pick_year(&run, year)?;
    let target = target.unwrap_or(run.inputs.target.volume);
    let inputs = &run.inputs;
    let options = uncertainty::seekable(&run.scenario, inputs);
    let Some(found) = options.iter().find(|s| s.path == param) else {
        let help = crate::diagnostic::did_you_mean(param, options.iter().map(|s| s.path.as_str()));
        let mut message = format!("`{param}` is not a numeric input of scenario `{name}`");
        if let Some(help) = help {
            message.push_str(&format!("; {help}"));
        }
        anyhow::bail!(message);
    };
    let slot = inputs
        .locate(&found.slot)
        .context("the input has no place in the engine")?;
    let range = uncertainty::SeekRange::for_kind(found.kind, inputs, max);
    let outcome = uncertainty::seek(inputs, slot, range, year, target);
    // Which plants run out of capacity at the best value tried.
    let mut best = inputs.clone();
    best.set(slot, outcome.best_value);
    let at_capacity: Vec<String> = (0..best.plants.len())
        .filter(|&i| engine::plant_values(&best, i, year).constrained > 0.5)
        .map(|i| best.plant_names[i].id.clone())
        .collect();
    let mut files = vec![
        OutputFile {
            name: "seek.csv".into(),
            bytes: export::seek_csv(&outcome)?,
        },
        OutputFile {
            name: "seek.json".into(),
            bytes: export::seek_json(param, year, target, &outcome)?,
        },
    ];
    manifest_of(cli, &data, &[&run]).attach_as("seek.manifest.json", &mut files)?;
    let dir = cli.out.join(name);
    export::write_files(&dir, &files)?;
    println!(
        "{}",
        export::seek_sentence(
            param,
            year,
            target,
            found.kind,
            range,
            &outcome,
            &at_capacity
        )
    );
    println!("{}", written(&dir, &files));
    Ok(())
}

fn new(cli: &Cli, library: &Library, name: &str, from: Option<&str>) -> anyhow::Result<()> {
    if !crate::data::is_valid_id(name) {
        anyhow::bail!("scenario name `{name}` must be lowercase letters, digits and hyphens");
    }
    let path = library.path(name);
    if path.exists() {
        anyhow::bail!(
            "{} already exists: ukprod new never overwrites a scenario",
            path.display()
        );
    }
    if let Some(parent) = from {
        // The parent must resolve, so the new scenario runs as soon as it is written.
        let data = data::load(&cli.data)?;
        scenario::resolve(library, &data, parent, &[])?;
    }
    let text = scenario::template(name, from);
    std::fs::create_dir_all(&cli.scenarios).with_context(|| {
        format!(
            "cannot create the scenario folder {}",
            cli.scenarios.display()
        )
    })?;
    // create_new: never replace a file that appeared since the check above.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "wrote {}: edit it, then `ukprod run {name}`",
        path.display()
    );
    Ok(())
}

fn explain(
    cli: &Cli,
    library: &Library,
    name: &str,
    key: &str,
    sets: &[String],
) -> anyhow::Result<()> {
    let sets = parse_sets(sets)?;
    let data = data::load(&cli.data)?;
    let resolved = scenario::resolve(library, &data, name, &sets)?;
    let found = match scenario::explain(&resolved, key) {
        Ok(found) => found,
        Err(problem) => {
            // Not set by any scenario file: it may be a plant's capacity from the data.
            if let Some((plant, field)) =
                key.strip_prefix("plants.").and_then(|k| k.split_once('.'))
                && field == "capacity"
                && let Some(p) = data.plant(plant)
            {
                println!("{key} = {}", p.capacity);
                println!(
                    "  from the data, {} (no scenario in the chain {} changes it); source: {}",
                    cli.data.join(crate::data::PLANTS_FILE).display(),
                    resolved.sources.chain().join(" -> "),
                    p.source
                );
                return Ok(());
            }
            return Err(Diagnostics::from(problem).into());
        }
    };
    println!("{} = {}", found.key, found.value);
    let chain = resolved.sources.chain().join(" -> ");
    match found.origin {
        scenario::Origin::Set(raw) => println!("  from the command line: --set {raw}"),
        scenario::Origin::File {
            scenario,
            path,
            line,
            column,
        } => {
            let whose = if scenario == name {
                "its own file".to_string()
            } else {
                format!("parent `{scenario}`")
            };
            println!(
                "  set in {}:{line}:{column} ({whose}; chain {chain})",
                path.display()
            );
        }
        scenario::Origin::Default => {
            println!("  ukprod's default: no scenario in the chain {chain} sets it")
        }
    }
    Ok(())
}

fn diff(cli: &Cli, library: &Library, a: &str, b: &str) -> anyhow::Result<()> {
    let (_, runs) = project_all(cli, library, &[a.to_string(), b.to_string()], &[])?;
    let [left, right] = runs.as_slice() else {
        anyhow::bail!("both scenarios must resolve");
    };
    print!(
        "{}",
        export::diff_text(
            &left.scenario,
            &right.scenario,
            &left.projection,
            &right.projection
        )
    );
    Ok(())
}

fn check(cli: &Cli, library: &Library, names: &[String]) -> anyhow::Result<()> {
    let names = if names.is_empty() {
        library.names().map_err(Diagnostics::from)?
    } else {
        names.to_vec()
    };
    let (_, runs) = project_all(cli, library, &names, &[])?;
    let (mut failed, mut total) = (0, 0);
    for run in &runs {
        let results = engine::evaluate_checks(&run.projection, &run.scenario.checks);
        if results.is_empty() {
            println!("{}: no checks", run.scenario.name);
            continue;
        }
        println!("{}:", run.scenario.name);
        print!("{}", export::check_lines(&results));
        total += results.len();
        failed += results.iter().filter(|r| !r.passed).count();
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {total} checks failed");
    }
    if total == 0 {
        println!("no scenario has [[checks]]");
    } else {
        println!("all {total} checks passed");
    }
    Ok(())
}

/// A chart for the report: its SVG for the HTML and its PNG (written beside report.md).
fn figure(
    caption: String,
    png_name: String,
    rendered: Vec<OutputFile>,
    pngs: &mut Vec<OutputFile>,
) -> report::Figure {
    let mut svg = String::new();
    for file in rendered {
        if file.name.ends_with(".svg") {
            svg = String::from_utf8_lossy(&file.bytes).into_owned();
        } else {
            pngs.push(OutputFile {
                name: png_name.clone(),
                bytes: file.bytes,
            });
        }
    }
    report::Figure {
        caption,
        svg,
        png: png_name,
    }
}

fn report(
    cli: &Cli,
    library: &Library,
    names: &[String],
    sets: &[String],
    draw_options: &DrawOptions,
) -> anyhow::Result<()> {
    let (data, runs) = project_all(cli, library, names, sets)?;
    let mut manifest = manifest_of(cli, &data, &runs.iter().collect::<Vec<_>>());
    let both = chart::Format::Both;
    let mut pngs = Vec::new();
    let mut spreads = Vec::new();
    let mut swings = Vec::new();
    for run in &runs {
        let draws = draws_of(run, draw_options);
        if let Some(d) = &draws {
            manifest.draws = Some(d.count);
            manifest.seed = Some(d.seed);
        }
        spreads.push(draws.map(|d| Uncertainty::new(&d, &run.inputs)));
        let year = run.inputs.target.year.min(run.inputs.end_year);
        swings.push(
            (!run.scenario.uncertain.is_empty())
                .then(|| uncertainty::sensitivity(&run.inputs, &run.scenario.uncertain, year)),
        );
    }
    let first = &runs[0];
    let mut headline = vec![figure(
        format!(
            "Total UK production and the path to the target, scenario {}",
            first.projection.scenario
        ),
        format!("{}-path.png", first.projection.scenario),
        chart::scenario_chart(chart::Chart::Path, &first.projection, both)?,
        &mut pngs,
    )];
    let projections: Vec<Projection> = runs.iter().map(|r| r.projection.clone()).collect();
    if runs.len() > 1 {
        let bands: Vec<Uncertainty> = spreads
            .iter()
            .map(|u| u.clone().unwrap_or_else(Uncertainty::none))
            .collect();
        let with_draws = bands.iter().any(|u| !u.bands.is_empty());
        headline.push(figure(
            "The scenarios compared".into(),
            "compare.png".into(),
            chart::compare_chart(&projections, with_draws.then_some(bands.as_slice()), both)?,
            &mut pngs,
        ));
    }
    let mut parts = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        let p = &run.projection;
        let name = &p.scenario;
        let mut figures = Vec::new();
        if i > 0 {
            let path = chart::scenario_chart(chart::Chart::Path, p, both)?;
            figures.push(figure(
                "Total and the path to the target".into(),
                format!("{name}-path.png"),
                path,
                &mut pngs,
            ));
        }
        for (c, caption) in [
            (chart::Chart::Makers, "Output by maker"),
            (chart::Chart::Bridge, "What changes, by maker, and the gap"),
            (chart::Chart::Plants, "Plant capacity and output"),
        ] {
            let rendered = chart::scenario_chart(c, p, both)?;
            figures.push(figure(
                caption.into(),
                format!("{name}-{}.png", c.name()),
                rendered,
                &mut pngs,
            ));
        }
        if let Some(u) = &spreads[i] {
            figures.push(figure(
                "The spread of the draws".into(),
                format!("{name}-fan.png"),
                chart::fan_chart(p, u, both)?,
                &mut pngs,
            ));
        }
        if let Some(s) = &swings[i] {
            let year = run.inputs.target.year.min(run.inputs.end_year);
            let central = p.year(year).and_then(|n| n.total).unwrap_or(f64::NAN);
            let target = engine::target_path(
                run.inputs.base_year,
                run.inputs.base_total,
                run.inputs.target,
                year,
            );
            figures.push(figure(
                "One input at a time".into(),
                format!("{name}-tornado.png"),
                chart::tornado_chart(p, s, year, central, target, both)?,
                &mut pngs,
            ));
        }
        parts.push(report::Part {
            scenario: &run.scenario,
            projection: p,
            uncertainty: spreads[i].as_ref(),
            swings: swings[i].as_deref(),
            figures,
        });
    }
    let doc = report::Report {
        parts,
        headline,
        data: &data,
        manifest: &manifest,
    };
    let mut files = vec![
        OutputFile {
            name: "index.html".into(),
            bytes: report::html(&doc).into_bytes(),
        },
        OutputFile {
            name: "report.md".into(),
            bytes: report::markdown(&doc).into_bytes(),
        },
    ];
    files.extend(pngs);
    manifest.clone().attach(&mut files)?;
    let dir = cli.out.join(format!("report-{}", names.join("-")));
    export::write_files(&dir, &files)?;
    println!("{}", written(&dir, &files));
    println!("open {}", dir.join("index.html").display());
    Ok(())
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

fn watch(
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
        let result = run_scenarios(cli, library, &names, sets, charts, draws)
            .and_then(|()| report(cli, library, &names, sets, draws));
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

fn rerun(path: &std::path::Path) -> anyhow::Result<()> {
    let before = Manifest::read(path)?;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let old = manifest::snapshot(dir, &before);
    let argv: Vec<String> = std::iter::once("ukprod".to_string())
        .chain(before.command.iter().cloned())
        .collect();
    let mut cli = Cli::try_parse_from(&argv)
        .map_err(|e| anyhow::anyhow!("the command in {} no longer parses: {e}", path.display()))?;
    if matches!(cli.command, Command::Rerun { .. }) {
        anyhow::bail!("{} records a rerun, not a run", path.display());
    }
    cli.argv = before.command.clone();
    println!("rerunning: ukprod {}\n", before.command.join(" "));
    run(cli)?;
    let after = Manifest::read(path)?;
    let changes = manifest::changed_inputs(&before, &after);
    if changes.is_empty() {
        println!(
            "nothing changed in the data or scenarios since {}",
            before.date
        );
    }
    for change in &changes {
        println!("{change}");
    }
    let differing: Vec<String> = old
        .iter()
        .filter(|(p, _)| !p.to_string_lossy().ends_with("manifest.json"))
        .filter(|(p, bytes)| std::fs::read(p).ok() != *bytes)
        .map(|(p, _)| p.display().to_string())
        .collect();
    let compared = old.len();
    if differing.is_empty() {
        println!("all {compared} outputs are byte for byte the same as before");
    } else {
        println!(
            "{} of {compared} outputs differ from before: {}",
            differing.len(),
            differing.join(", ")
        );
    }
    Ok(())
}

fn history(cli: &Cli, format: chart::Format) -> anyhow::Result<()> {
    let data = data::load(&cli.data)?;
    let sha = data.sha256();
    let mut files = chart::history_chart(&data.history, &sha[..8], format)?;
    Manifest::new(&cli.argv, &data, &[]).attach(&mut files)?;
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
