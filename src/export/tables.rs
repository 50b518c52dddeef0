//! CSV tables: national totals, plants and components.

use anyhow::Context;

use crate::engine::{Basis, Projection, Source};
use crate::uncertainty::Uncertainty;

/// Vehicle counts are published as whole vehicles.
pub(super) fn count(x: f64) -> String {
    let rounded = x.round();
    // Avoid "-0" for tiny negative rounding noise.
    if rounded == 0.0 {
        "0".into()
    } else {
        format!("{rounded:.0}")
    }
}

fn optional(x: Option<f64>, format: impl Fn(f64) -> String) -> String {
    x.map(format).unwrap_or_default()
}

/// A text cell (a name, maker, operator, parameter) as a spreadsheet will not evaluate it:
/// one beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// (OWASP's advice against CSV formula injection), so a maker named `=HYPERLINK(…)` is text.
/// Number cells never pass through here: a gap of -458501 stays a number.
pub(super) fn text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

pub(super) fn finish(writer: csv::Writer<Vec<u8>>) -> anyhow::Result<Vec<u8>> {
    writer.into_inner().context("cannot finish a CSV table")
}

/// `national.csv`: one row per history and projected year.
pub fn national_csv(projection: &Projection) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year",
        "source",
        "cars",
        "commercial_vehicles",
        "total",
        "target_path",
        "gap",
    ])?;
    for n in &projection.national {
        // A projected row says what it is: projected, expected (a mean of draws) or modal case.
        let source = match n.source {
            Source::Actual => n.source.as_str(),
            Source::Projected => projection.basis.word(),
        };
        w.write_record([
            n.year.to_string(),
            source.to_string(),
            count(n.cars),
            optional(n.commercial_vehicles, count),
            optional(n.total, count),
            optional(n.target_path, count),
            optional(n.gap, count),
        ])?;
    }
    finish(w)
}

/// `plants.csv`: every plant and residual, base year and projected years.
pub fn plants_csv(projection: &Projection) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year",
        "plant_id",
        "plant",
        "operator",
        "segment",
        "demand",
        "capacity",
        "output",
        "utilisation",
        "constrained",
    ])?;
    for p in &projection.plants {
        w.write_record([
            p.year.to_string(),
            text(&p.plant_id),
            text(&p.plant),
            text(&p.operator),
            p.segment.as_str().to_string(),
            count(p.demand),
            optional(p.capacity, count),
            count(p.output),
            optional(p.utilisation(), |u| format!("{u:.4}")),
            count(p.constrained),
        ])?;
    }
    finish(w)
}

/// `components.csv`: each plant's existing production and programmes, projected years.
pub fn components_csv(projection: &Projection) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["year", "plant_id", "component", "maker", "output"])?;
    for c in &projection.components {
        w.write_record([
            c.year.to_string(),
            text(&c.plant_id),
            text(&c.component),
            text(&c.maker),
            count(c.output),
        ])?;
    }
    finish(w)
}

/// `compare.csv`: each scenario's total by year (`NAME`; `NAME_expected` for the mean of
/// draws, as on the chart; `NAME_modal_case` with draws off), its P5 and P95 where it has
/// draws, and the first scenario's target path.
pub fn compare_csv(
    projections: &[Projection],
    spreads: &[Option<Uncertainty>],
) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let spread = |i: usize| spreads.get(i).and_then(Option::as_ref);
    let mut header = vec!["year".to_string()];
    for (i, p) in projections.iter().enumerate() {
        // A column says what its figures are when they are not a plain projection.
        let name = text(&p.scenario);
        header.push(match p.basis {
            Basis::Certain => name.clone(),
            Basis::Expected { .. } => format!("{name}_expected"),
            Basis::Modal => format!("{name}_modal_case"),
        });
        if spread(i).is_some() {
            header.push(format!("{name}_p5"));
            header.push(format!("{name}_p95"));
        }
    }
    header.push("target_path".into());
    w.write_record(&header)?;
    let Some(first) = projections.first() else {
        return finish(w);
    };
    let start = first.national.first().map_or(first.base_year, |n| n.year);
    let end = projections
        .iter()
        .map(|p| p.end_year)
        .max()
        .unwrap_or(first.end_year);
    for year in start..=end {
        let totals: Vec<Option<f64>> = projections
            .iter()
            .map(|p| p.year(year).and_then(|n| n.total))
            .collect();
        let path = first.year(year).and_then(|n| n.target_path);
        // Years with no total anywhere (cars-only history) would be empty rows.
        if totals.iter().all(Option::is_none) && path.is_none() {
            continue;
        }
        let mut record = vec![year.to_string()];
        for (i, total) in totals.into_iter().enumerate() {
            record.push(optional(total, count));
            if let Some(u) = spread(i) {
                let band = u.bands.iter().find(|b| b.year == year);
                record.push(optional(band.map(|b| b.percentiles[0]), count));
                record.push(optional(band.map(|b| b.percentiles[6]), count));
            }
        }
        record.push(optional(path, count));
        w.write_record(&record)?;
    }
    finish(w)
}

/// `data.csv` (`ukprod data`): one row per plant with its base-year output, range and kind,
/// its capacity and kind, and the output's source; then each segment's residual (`other-car`,
/// `other-cv`: the national figure less the listed plants, kind `residual`), whose source says
/// so and what it is thought to contain.
pub fn data_csv(data: &crate::data::Dataset) -> anyhow::Result<Vec<u8>> {
    use crate::data::{OTHER_NAME, Segment};
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "name",
        "segment",
        "year",
        "output",
        "low",
        "high",
        "kind",
        "capacity",
        "capacity_kind",
        "source",
    ])?;
    let year = data.base_year().to_string();
    for segment in Segment::ALL {
        for p in data.plants_by_output(segment) {
            let row = data.base_row(&p.id);
            let range = row.and_then(|r| r.range());
            w.write_record([
                text(&p.id),
                text(p.display_name()),
                segment.as_str().to_string(),
                year.clone(),
                count(data.base_output(&p.id)),
                optional(range.map(|r| r.0), count),
                optional(range.map(|r| r.1), count),
                row.map(|r| r.kind().as_str().to_string())
                    .unwrap_or_default(),
                p.capacity.to_string(),
                p.capacity_kind().as_str().to_string(),
                text(row.map(|r| r.source.as_str()).unwrap_or_default()),
            ])?;
        }
    }
    for segment in Segment::ALL {
        let words = match segment {
            Segment::Car => "cars",
            Segment::Cv => "commercial vehicles",
        };
        let plants = data.national(segment) - data.residual(segment);
        let mut source = format!(
            "Residual: SMMT's {} {words}, {}, less the listed plants' {}",
            data.base_year(),
            crate::number::thousands(data.national(segment)),
            crate::number::thousands(plants)
        );
        if let Some(note) = data.residual_note(segment) {
            source.push_str(&format!(
                ". Thought to contain: {}. Source: {}",
                note.contains.trim_end_matches('.'),
                note.source.trim_end_matches('.')
            ));
        }
        w.write_record([
            segment.residual_id().to_string(),
            OTHER_NAME.to_string(),
            segment.as_str().to_string(),
            year.clone(),
            count(data.residual(segment)),
            String::new(),
            String::new(),
            "residual".to_string(),
            String::new(),
            String::new(),
            text(&source),
        ])?;
    }
    finish(w)
}

/// What a row of the powertrain, battery and jobs tables is: the base year's data
/// (`actual`, or `estimate` where the figure is worked out from estimates), or the projection's
/// word for its projected years.
fn basis_of(projection: &Projection, source: Source, base: &'static str) -> String {
    match source {
        Source::Actual => base.to_string(),
        Source::Projected => projection.basis.word().to_string(),
    }
}

/// A share as a fraction with four decimals (0.4165 is 41.65%).
fn fraction(x: f64) -> String {
    format!("{x:.4}")
}

/// `powertrain.csv`: output by powertrain, each segment and both together, base year and
/// projected years. The base year is the data's split, which reproduces SMMT's electrified
/// total; its per-plant split behind it is partly estimated (data/README.md).
pub fn powertrain_csv(projection: &Projection) -> anyhow::Result<Vec<u8>> {
    use crate::data::Powertrain;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year",
        "source",
        "segment",
        "bev",
        "phev",
        "hev",
        "ice",
        "total",
        "electrified_share",
        "zero_emission_share",
    ])?;
    let mut years: Vec<i32> = projection.powertrain.iter().map(|r| r.year).collect();
    years.dedup();
    for year in years {
        let rows: Vec<_> = projection
            .powertrain
            .iter()
            .filter(|r| r.year == year)
            .cloned()
            .collect();
        let all = projection.powertrain_in(year);
        for (segment, r) in rows
            .iter()
            .map(|r| (r.segment.as_str(), r.clone()))
            .chain(all.map(|r| ("all", r)))
        {
            let total = r.total();
            w.write_record([
                year.to_string(),
                basis_of(projection, r.source, "actual"),
                segment.to_string(),
                count(r.of(Powertrain::Bev)),
                count(r.of(Powertrain::Phev)),
                count(r.of(Powertrain::Hev)),
                count(r.of(Powertrain::Ice)),
                count(total),
                fraction(crate::engine::share(r.electrified(), total)),
                fraction(crate::engine::share(r.of(Powertrain::Bev), total)),
            ])?;
        }
    }
    finish(w)
}

/// GWh with two decimals (10 MWh): a 50 kWh van battery is 0.00005 GWh, so a hundred vans.
fn gwh(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    if rounded == 0.0 {
        "0.00".into()
    } else {
        format!("{rounded:.2}")
    }
}

/// `batteries.csv`: GWh of cells UK-built vehicles carry, UK cell capacity, and the
/// shortfall, base year and projected years.
pub fn batteries_csv(projection: &Projection) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year",
        "source",
        "demand_gwh",
        "uk_cell_capacity_gwh",
        "shortfall_gwh",
    ])?;
    for b in &projection.batteries {
        w.write_record([
            b.year.to_string(),
            basis_of(projection, b.source, "estimate"),
            gwh(b.demand_gwh),
            gwh(b.capacity_gwh),
            gwh(b.shortfall_gwh),
        ])?;
    }
    finish(w)
}

/// `jobs.csv`: direct jobs at each plant counted, and their national sum (`plant_id` =
/// `all`), base year and projected years. A plant's base-year figure is the data's, of the
/// year in `figure_year`.
pub fn jobs_csv(projection: &Projection) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year",
        "source",
        "plant_id",
        "plant",
        "existing_jobs",
        "programme_jobs",
        "jobs",
        "figure_year",
    ])?;
    let mut years: Vec<i32> = projection.jobs.iter().map(|r| r.year).collect();
    years.dedup();
    for year in years {
        let source = if year == projection.base_year {
            "actual".to_string()
        } else {
            projection.basis.word().to_string()
        };
        let mut total = 0.0;
        for j in projection.jobs.iter().filter(|j| j.year == year) {
            total += j.jobs();
            let figure_year = j.figure_year.map(|y| y.to_string()).unwrap_or_default();
            w.write_record([
                year.to_string(),
                source.clone(),
                text(&j.plant_id),
                text(&j.plant),
                count(j.existing),
                count(j.programmes),
                count(j.jobs()),
                figure_year,
            ])?;
        }
        w.write_record([
            year.to_string(),
            source.clone(),
            "all".to_string(),
            "All plants counted".to_string(),
            String::new(),
            String::new(),
            count(total),
            String::new(),
        ])?;
    }
    finish(w)
}

/// `compare_industry.csv` (`ukprod compare`): each scenario's electrified and battery-electric
/// shares, battery demand, UK cell capacity, shortfall and direct jobs, year by year, in long
/// form (one row per scenario and year), as its own `powertrain.csv`, `batteries.csv` and
/// `jobs.csv` give them.
pub fn compare_industry_csv(projections: &[Projection]) -> anyhow::Result<Vec<u8>> {
    use crate::data::Powertrain;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "scenario",
        "year",
        "source",
        "electrified_share",
        "zero_emission_share",
        "demand_gwh",
        "uk_cell_capacity_gwh",
        "shortfall_gwh",
        "jobs",
    ])?;
    for p in projections {
        for year in p.base_year..=p.end_year {
            let Some(r) = p.powertrain_in(year) else {
                continue;
            };
            let source = if year == p.base_year {
                "actual".to_string()
            } else {
                p.basis.word().to_string()
            };
            let b = p.battery_year(year);
            let jobs = p.jobs.iter().any(|j| j.year == year);
            w.write_record([
                text(&p.scenario),
                year.to_string(),
                source,
                fraction(crate::engine::share(r.electrified(), r.total())),
                fraction(crate::engine::share(r.of(Powertrain::Bev), r.total())),
                optional(b.map(|b| b.demand_gwh), gwh),
                optional(b.map(|b| b.capacity_gwh), gwh),
                optional(b.map(|b| b.shortfall_gwh), gwh),
                if jobs {
                    count(p.jobs_in(year))
                } else {
                    String::new()
                },
            ])?;
        }
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn text_cells_that_a_spreadsheet_would_evaluate_are_quoted() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for hostile in ["+1", "-1+2", "@SUM(1)", "\tx", "\rx"] {
            assert_eq!(text(hostile), format!("'{hostile}"));
        }
        assert_eq!(text("Nissan Sunderland"), "Nissan Sunderland");
        assert_eq!(text("a=b"), "a=b");
        assert_eq!(text(""), "");
    }
}
