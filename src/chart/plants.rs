//! Capacity against output for each plant, in the base year and the end year.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawResult;
use super::footer;
use super::style::{Caption, Page, 
    Frame, GRID, INK, MUTED, MakerPalette, Swatch, TARGET, anchored, bold, draw_frame, millions,
    millions2, pale, short, text, wrap_all,
};
use crate::engine::{PlantYear, Projection};

/// A plant's base-year and end-year rows.
struct PlantPair<'a> {
    base: Option<&'a PlantYear>,
    end: Option<&'a PlantYear>,
}

impl PlantPair<'_> {
    fn capacity(&self) -> f64 {
        [self.base, self.end]
            .iter()
            .flatten()
            .filter_map(|p| p.capacity)
            .fold(0.0, f64::max)
    }

    fn any(&self) -> Option<&PlantYear> {
        self.end.or(self.base)
    }
}

fn pairs(p: &Projection) -> Vec<PlantPair<'_>> {
    let mut ids: Vec<&str> = Vec::new();
    for row in p.plants.iter().filter(|r| r.capacity.is_some()) {
        if !ids.contains(&row.plant_id.as_str()) {
            ids.push(&row.plant_id);
        }
    }
    let find = |id: &str, year: i32| p.plants.iter().find(|r| r.plant_id == id && r.year == year);
    let mut pairs: Vec<PlantPair<'_>> = ids
        .into_iter()
        .map(|id| PlantPair {
            base: find(id, p.base_year),
            end: find(id, p.end_year),
        })
        // A plant that makes nothing in either year and is not in the data (a new plant whose
        // programmes are switched off) would read as real idle capacity: leave it out.
        .filter(|pair| {
            pair.capacity() > 0.0
                && (pair.base.is_some_and(|b| b.capacity.unwrap_or(0.0) > 0.0)
                    || pair.end.is_some_and(|e| e.output > 0.5))
        })
        .collect();
    pairs.sort_by(|a, b| b.capacity().total_cmp(&a.capacity()));
    pairs
}

/// A plant's end-year output by maker, the operator's own production first.
fn end_makers(p: &Projection, plant_id: &str) -> Vec<(String, f64)> {
    let mut makers: Vec<(String, f64)> = Vec::new();
    for c in p
        .components
        .iter()
        .filter(|c| c.year == p.end_year && c.plant_id == plant_id)
    {
        match makers.iter_mut().find(|(m, _)| *m == c.maker) {
            Some((_, total)) => *total += c.output,
            None => makers.push((c.maker.clone(), c.output)),
        }
    }
    makers
}

/// Draw the plants chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &Page,
    p: &Projection,
) -> DrawResult<Caption, DB> {
    let palette = MakerPalette::of(p);
    let mut legend = vec![
        (Swatch::Block(GRID), "Nameplate capacity".into()),
        (
            Swatch::Makers(true),
            format!("Output {}, by maker (paler)", p.base_year),
        ),
        (
            Swatch::Makers(false),
            format!("Output {}, by maker", p.end_year),
        ),
    ];
    if p.plants
        .iter()
        .any(|r| r.constrained > 0.5 && r.capacity.is_some())
    {
        legend.push((Swatch::Outline(TARGET), "Held back by capacity".into()));
    }
    let frame = Frame {
        kicker: super::kicker(p),
        title: format!(
            "Plant capacity and output, {} and {}: scenario {}",
            p.base_year, p.end_year, p.scenario
        ),
        subtitle: super::subtitle(p),
        legend,
        footer: footer(
            p,
            "Plant figures are largely estimates (see data/README.md); % = output / nameplate capacity",
        ),
        headline: Some(format!(
            "{}: {}, {:.0}% of the {} target",
            p.end_year,
            millions2(p.summary.end_total),
            p.summary.share_of_target * 100.0,
            millions(p.target.volume)
        )),
    };
    let (area, caption) = draw_frame(root, page, &frame)?;
    let pairs = pairs(p);
    let rows = pairs.len().max(1) as f64;
    let max = pairs
        .iter()
        .flat_map(|pair| [pair.base, pair.end])
        .flatten()
        .flat_map(|r| [r.capacity.unwrap_or(0.0), r.output])
        .fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(50)
        .y_label_area_size(430)
        .margin_right(40)
        // Room to the right of the longest bar for its percentage.
        .build_cartesian_2d(0.0..max * 1.22, 0.0..rows)?;
    super::bar_mesh(&mut chart, page, max * 1.22)?;
    let pct_style = anchored(text(page.old(22.0), MUTED), HPos::Left, VPos::Center);
    let name_style = anchored(text(page.old(23.0), INK), HPos::Right, VPos::Center);
    for (i, pair) in pairs.iter().enumerate() {
        let top = rows - i as f64;
        let Some(any) = pair.any() else { continue };
        let colour = palette.colour(&any.operator);
        let (lx, ly) = chart.backend_coord(&(0.0, top - 0.5));
        let lines = wrap_all(root, &any.plant, &name_style, page.oldi(400) as u32)?;
        let first = ly - 14 * (lines.len() as i32 - 1);
        for (k, line) in lines.into_iter().enumerate() {
            root.draw(&Text::new(
                line,
                (lx - 14, first + 28 * k as i32),
                name_style.clone(),
            ))?;
        }
        for (k, row) in [pair.base, pair.end].iter().enumerate() {
            let Some(row) = row else { continue };
            let y1 = top - 0.1 - 0.4 * k as f64;
            let y0 = y1 - 0.36;
            let capacity = row.capacity.unwrap_or(0.0);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y0), (capacity, y1)],
                GRID.filled(),
            )))?;
            if k == 0 {
                let rect = [(0.0, y0), (row.output, y1)];
                chart.draw_series(std::iter::once(Rectangle::new(
                    rect,
                    pale(colour, 0.45).filled(),
                )))?;
            } else {
                // End year: one segment per maker, so a programme such as Chery's shows as its own.
                let mut from = 0.0;
                for (maker, output) in end_makers(p, &row.plant_id) {
                    let rect = [(from, y0), (from + output, y1)];
                    chart.draw_series(std::iter::once(Rectangle::new(
                        rect,
                        palette.colour(&maker).filled(),
                    )))?;
                    from += output;
                }
            }
            let bound = row.constrained > 0.5;
            if bound {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y0), (row.output, y1)],
                    TARGET.stroke_width(3),
                )))?;
            }
            let note = match (row.utilisation(), bound) {
                (None, _) if row.year > p.base_year => format!("{}: closed", row.year),
                (None, _) => format!("{}: not open", row.year),
                (Some(u), false) => format!("{}: {:.0}%", row.year, u * 100.0),
                // A mean of draws held back by capacity was held back in some draws, not all.
                (Some(u), true) if matches!(p.basis, crate::engine::Basis::Expected { .. }) => {
                    format!(
                        "{}: {:.0}%, capacity-bound in some draws",
                        row.year,
                        u * 100.0
                    )
                }
                (Some(u), true) => format!("{}: {:.0}%, capacity-bound", row.year, u * 100.0),
            };
            let guests: Vec<String> = end_makers(p, &row.plant_id)
                .into_iter()
                .filter(|(maker, output)| k == 1 && *maker != row.operator && *output >= 0.5)
                .map(|(maker, output)| format!("{maker} {}", short(output)))
                .collect();
            let note = if guests.is_empty() {
                note
            } else {
                format!("{note} (incl. {})", guests.join(", "))
            };
            let (px, py) = chart.backend_coord(&(capacity.max(row.output), (y0 + y1) / 2.0));
            let style = if bound {
                anchored(bold(page.old(22.0), TARGET), HPos::Left, VPos::Center)
            } else {
                pct_style.clone()
            };
            root.draw(&Text::new(note, (px + 10, py), style))?;
        }
    }
    Ok(caption)
}
