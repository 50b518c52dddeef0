//! How long a whole `ukprod run` of every shipped scenario takes: load and check the data,
//! resolve each scenario, project it, render its tables and write them.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use ukprod::scenario::{self, Library};
use ukprod::{data, engine, export};

fn run_all(root: &Path, out: &Path, write: bool) {
    let data = data::load(&root.join("data")).expect("shipped data loads");
    let library = Library::new(&root.join("scenarios"));
    for name in library.names().expect("scenario folder") {
        let resolved =
            scenario::resolve(&library, &data, &name, &[]).expect("shipped scenario resolves");
        let projection = engine::project(&data, &resolved);
        let files = export::run_files(&projection, &resolved).expect("tables render");
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
