//! `ukprod report`: a self-contained HTML report and a Markdown report.

use super::project::*;
use crate::chart;
use crate::cli::Cli;
use crate::engine::{self, Projection};
use crate::export::{self, OutputFile};
use crate::report;
use crate::scenario::Library;
use crate::uncertainty::{self, Uncertainty};

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
            // The headline total the bars swing from: the expected value with draws.
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
    let run_names: Vec<&str> = runs
        .iter()
        .map(|r| r.projection.scenario.as_str())
        .collect();
    let dir = cli.out.join(format!("report-{}", run_names.join("-")));
    export::write_files(&dir, &files)?;
    println!("{}", written(&dir, &files));
    println!("open {}", dir.join("index.html").display());
    Ok(())
}
