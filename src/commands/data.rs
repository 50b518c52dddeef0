//! `ukprod data`: what the data say and how solid each part is, printed and written to
//! OUT/data/ (data.md, data.csv and a chart).

use super::project::*;
use crate::chart;
use crate::cli::Cli;
use crate::data;
use crate::export::{self, OutputFile};
use crate::manifest::Manifest;
use crate::output::outln;
use crate::report;

pub(super) fn run(cli: &Cli, look: chart::Look) -> anyhow::Result<()> {
    let data = data::load(&cli.data)?;
    let sha = data.sha256();
    let mut files = vec![
        OutputFile {
            name: "data.md".into(),
            bytes: report::data_markdown(&data).into_bytes(),
        },
        OutputFile {
            name: "data.csv".into(),
            bytes: export::data_csv(&data)?,
        },
    ];
    files.extend(chart::data_chart(&data, &sha[..8], look)?);
    Manifest::new(&cli.argv, &data, &[]).attach(&mut files)?;
    let dir = cli.out.join("data");
    export::write_files(&dir, &files)?;
    outln!("{}", report::data_text(&data).trim_end())?;
    outln!("(The source of each plant figure is in data.md and data.csv.)")?;
    outln!("{}", written(&dir, &files))?;
    Ok(())
}
