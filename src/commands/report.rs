//! `ukprod report`: a self-contained HTML report and a Markdown report.

use super::project::*;
use crate::chart;
use crate::cli::Cli;
use crate::engine::{self, Projection};
use crate::export::{self, OutputFile};
use crate::manifest::Manifest;
use crate::output::outln;
use crate::report;
use crate::scenario::Library;
use crate::uncertainty::{self, Uncertainty};

/// A chart for the report: its SVG for the HTML and its PNG (written beside report.md).
fn figure(
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
    report::Figure::new(svg, png_name)
}

/// The day the report is dated (YYYY-MM-DD): the previous report's in the same folder when
/// it was made by the same command from the same inputs (so a rerun is byte for byte the
/// same), else today.
fn dated(dir: &std::path::Path, now: &Manifest) -> String {
    let today = now.date.get(..10).unwrap_or(&now.date).to_string();
    let Ok(old) = Manifest::read(&dir.join("manifest.json")) else {
        return today;
    };
    let same = old.command == now.command
        && old.ukprod_version == now.ukprod_version
        && old.data == now.data
        && old.scenarios == now.scenarios
        && old.draws == now.draws
        && old.seed == now.seed;
    match old.dated {
        Some(day) if same => day,
        _ => today,
    }
}

pub(super) fn run(cli: &Cli, library: &Library, request: &Request) -> anyhow::Result<()> {
    let (data, runs) = project_all(cli, library, request)?;
    let manifest = manifest_of(cli, &data, &runs.iter().collect::<Vec<_>>());
    let both = chart::Look {
        format: chart::Format::Both,
        size: chart::Size::Doc,
        from: None,
    };
    let mut pngs = Vec::new();
    let mut spreads = Vec::new();
    let mut swings = Vec::new();
    for run in &runs {
        spreads.push(run.uncertainty.clone());
        let year = run.inputs.target.year.min(run.inputs.end_year);
        swings.push((!run.scenario.uncertain.is_empty()).then(|| {
            // On the basis of the report's figures: means of the same draws when it has them.
            let basis = run.projection.basis;
            uncertainty::sensitivity(&run.inputs, &run.scenario.uncertain, year, basis)
        }));
    }
    let projections: Vec<Projection> = runs.iter().map(|r| r.projection.clone()).collect();
    let mut headline = Vec::new();
    if runs.len() > 1 {
        let bands: Vec<Uncertainty> = spreads
            .iter()
            .map(|u| u.clone().unwrap_or_else(Uncertainty::none))
            .collect();
        let with_draws = bands.iter().any(|u| !u.bands.is_empty());
        headline.push(figure(
            "compare.png".into(),
            chart::compare_chart(&projections, with_draws.then_some(bands.as_slice()), both)?,
            &mut pngs,
        ));
    }
    // The path of the first scenario: the long record is the same for every scenario, and
    // the comparison above shows where the others end; one path chart is enough.
    let first = &runs[0].projection;
    headline.push(figure(
        format!("{}-path.png", first.scenario),
        chart::scenario_chart(chart::Chart::Path, first, both)?,
        &mut pngs,
    ));
    let mut parts = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        let p = &run.projection;
        let name = &p.scenario;
        let mut figures = Vec::new();
        for c in [
            chart::Chart::Makers,
            chart::Chart::Bridge,
            chart::Chart::Plants,
        ] {
            let rendered = chart::scenario_chart(c, p, both)?;
            figures.push(figure(
                format!("{name}-{}.png", c.name()),
                rendered,
                &mut pngs,
            ));
        }
        // The powertrain, battery and jobs charts, where the projection has their rows (the
        // report puts them in their own part of the scenario's section).
        for c in chart::Chart::INDUSTRY {
            if c.drawn_for(p) {
                figures.push(figure(
                    format!("{name}-{}.png", c.name()),
                    chart::scenario_chart_with(c, p, spreads[i].as_ref(), both)?,
                    &mut pngs,
                ));
            }
        }
        if let Some(u) = &spreads[i] {
            figures.push(figure(
                format!("{name}-fan.png"),
                chart::fan_chart(p, u, both)?,
                &mut pngs,
            ));
        }
        if let Some(s) = &swings[i] {
            let year = run.inputs.target.year.min(run.inputs.end_year);
            // The headline total the bars swing from: the expected value with draws.
            let central = p.year(year).and_then(|n| n.total).unwrap_or(f64::NAN);
            let target = engine::target_path(
                run.inputs.base_year,
                run.inputs.base_total,
                run.inputs.target,
                year,
            );
            figures.push(figure(
                format!("{name}-tornado.png"),
                chart::tornado_chart(p, s, &run.scenario.uncertain, year, central, target, both)?,
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
    let run_names: Vec<&str> = runs
        .iter()
        .map(|r| r.projection.scenario.as_str())
        .collect();
    let dir = cli.out.join(format!("report-{}", run_names.join("-")));
    let mut manifest = manifest;
    let day = dated(&dir, &manifest);
    let date = report::human_date(&day).unwrap_or_else(|| day.clone());
    manifest.dated = Some(day);
    let doc = report::Report {
        parts,
        headline,
        data: &data,
        manifest: &manifest,
        date,
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
    export::write_files(&dir, &files)?;
    outln!("{}", written(&dir, &files))?;
    outln!("open {}", dir.join("index.html").display())?;
    Ok(())
}
