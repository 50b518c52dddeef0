//! The data flow stays one way: data -> scenario -> engine -> uncertainty -> renderers
//! (export, chart, report) -> commands. A module may use its own layer and earlier ones,
//! never a later one, so no import circle can come back.

use std::path::Path;

/// The layers in order; each entry is the modules of one layer.
const LAYERS: [&[&str]; 6] = [
    &["number", "data", "diagnostic"],
    &["scenario"],
    &["engine"],
    &["uncertainty"],
    &["export", "chart", "report", "manifest"],
    &["commands", "cli"],
];

fn sources(module: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let file = root.join(format!("{module}.rs"));
    let mut found = Vec::new();
    if file.exists() {
        found.push((
            file.display().to_string(),
            std::fs::read_to_string(&file).unwrap(),
        ));
    }
    let dir = root.join(module);
    if dir.is_dir() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                found.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    assert!(!found.is_empty(), "no source for module {module}");
    found
}

#[test]
fn no_module_uses_a_later_layer() {
    for (i, layer) in LAYERS.iter().enumerate() {
        for module in *layer {
            for (path, text) in sources(module) {
                for later in LAYERS[i + 1..].iter().flat_map(|l| l.iter()) {
                    assert!(
                        !text.contains(&format!("crate::{later}")),
                        "{path} uses crate::{later}, a later layer than {module}"
                    );
                }
            }
        }
    }
}
