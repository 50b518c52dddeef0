//! `ukprod history`: the whole historical record as a chart.

use super::project::*;
use crate::chart;
use crate::cli::Cli;
use crate::data;
use crate::export;
use crate::manifest::Manifest;
use crate::output::outln;

pub(super) fn run(cli: &Cli, look: chart::Look) -> anyhow::Result<()> {
    let data = data::load(&cli.data)?;
    let sha = data.sha256();
    let mut files = chart::history_chart(&data.history, &sha[..8], look)?;
    Manifest::new(&cli.argv, &data, &[]).attach(&mut files)?;
    let dir = cli.out.join("history");
    export::write_files(&dir, &files)?;
    outln!("{}", written(&dir, &files))?;
    Ok(())
}
