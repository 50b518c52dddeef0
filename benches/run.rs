//! How long a whole `ukprod run` of every shipped scenario takes: load and check the data,
//! resolve each scenario, project it, render its tables and charts, and write them; and how
//! long one scenario's charts take to draw.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use ukprod::chart::{self, Format, Look, Size};
use ukprod::engine::{Basis, Inputs};
use ukprod::scenario::{self, Library};
use ukprod::uncertainty::{self, Uncertainty};
use ukprod::{data, engine, export};

/// Charts as `run` draws them by default: both formats, the doc size.
fn look(format: Format) -> Look {
    Look {
        format,
        size: Size::Doc,
        from: None,
    }
}

fn run_all(root: &Path, out: &Path, write: bool) {
    let data = data::load(&root.join("data")).expect("shipped data loads");
    let library = Library::new(&root.join("scenarios"));
    for name in library.names().expect("scenario folder") {
        let resolved =
            scenario::resolve(&library, &data, &name, &[]).expect("shipped scenario resolves");
        let projection = engine::project(&data, &resolved);
        let mut files = export::run_files(&projection, &resolved).expect("tables render");
        files.extend(
            chart::scenario_charts(&projection, look(Format::Both)).expect("charts render"),
        );
        if write {
            export::write_files(&out.join(&name), &files).expect("tables are written");
        }
    }
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temp dir");
    c.bench_function("run every shipped scenario (in memory)", |b| {
        b.iter(|| run_all(root, out.path(), false));
    });
    c.bench_function("run every shipped scenario (writing files)", |b| {
        b.iter(|| run_all(root, out.path(), true));
    });
    let data = data::load(&root.join("data")).expect("shipped data loads");
    let library = Library::new(&root.join("scenarios"));
    let baseline = scenario::resolve(&library, &data, "baseline", &[]).expect("baseline resolves");
    let projection = engine::project(&data, &baseline);
    c.bench_function("render every chart of baseline, PNG and SVG", |b| {
        b.iter(|| chart::scenario_charts(&projection, look(Format::Both)).expect("charts render"));
    });
    c.bench_function("render every chart of baseline, SVG only", |b| {
        b.iter(|| chart::scenario_charts(&projection, look(Format::Svg)).expect("charts render"));
    });
}

fn bench_uncertainty(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = data::load(&root.join("data")).expect("shipped data loads");
    let library = Library::new(&root.join("scenarios"));
    // The largest shipped scenario: the most plants, programmes and uncertain inputs.
    let resolved = scenario::resolve(&library, &data, "target-1-3m-uncertain", &[])
        .expect("scenario resolves");
    let inputs = Inputs::new(&data, &resolved);
    let modal = engine::project_inputs(&data, &resolved, &inputs);
    let mut group = c.benchmark_group("monte carlo, target-1-3m-uncertain");
    group.sample_size(10);
    for draws in [100_000, 1_000_000] {
        group.bench_function(
            format!("{draws} draws, with expected values, percentiles and target probability"),
            |b| {
                b.iter(|| {
                    let d =
                        uncertainty::run(&modal, &inputs, &resolved.uncertain, draws, 1, &|_| {});
                    Uncertainty::new(&d, &inputs)
                });
            },
        );
    }
    group.finish();
    let year = resolved.target.year;
    c.bench_function("sensitivity of target-1-3m-uncertain, modal case", |b| {
        b.iter(|| uncertainty::sensitivity(&inputs, &resolved.uncertain, year, Basis::Modal));
    });
    let mut group = c.benchmark_group("expected sensitivity, target-1-3m-uncertain");
    group.sample_size(10);
    group.bench_function("10,000 draws per end of each input", |b| {
        let basis = Basis::Expected {
            draws: uncertainty::DEFAULT_DRAWS,
            seed: uncertainty::DEFAULT_SEED,
        };
        b.iter(|| uncertainty::sensitivity(&inputs, &resolved.uncertain, year, basis));
    });
    group.finish();
    let options = uncertainty::seekable(&resolved, &inputs);
    let peak = options
        .iter()
        .find(|s| s.path == "programmes.chery-halewood.peak")
        .expect("the Chery programme is seekable");
    let slot = inputs.locate(&peak.slot).expect("slot");
    let range = uncertainty::SeekRange::for_kind(peak.kind, &inputs, None);
    c.bench_function(
        "seek programmes.chery-halewood.peak in target-1-3m-uncertain",
        |b| {
            b.iter(|| uncertainty::seek(&inputs, slot, range, year, 1_320_000.0));
        },
    );
}

criterion_group!(benches, bench, bench_uncertainty);
criterion_main!(benches);
