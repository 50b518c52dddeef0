//! `rerun` of every kind of manifest the tool writes, `watch` included: it returns, and says
//! "identical" when nothing changed.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::common::Project;

/// As in provenance.rs: one programme with a range, so runs draw (10,000 by default).
const FLAT: &str = "description = \"flat\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = { low = 0, mode = 10000, high = 20000 }\n";

fn project() -> Project {
    Project::new()
        .scenario("flat", FLAT)
        .scenario("other", "extends = \"flat\"\n")
}

fn manifest(p: &Project, rel: &str) -> serde_json::Value {
    serde_json::from_str(&p.read(rel)).expect("manifest is JSON")
}

fn command(p: &Project, rel: &str) -> Vec<String> {
    manifest(p, rel)["command"]
        .as_array()
        .expect("command is a list")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

/// Rerun a manifest (within a minute: it must never hang) and return stdout.
fn rerun(p: &Project, manifest: &str) -> String {
    let out = p
        .cmd(&["rerun", manifest])
        .timeout(Duration::from_secs(60))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("stdout is UTF-8")
}

/// The bytes of every file in a folder, by name.
fn folder(p: &Project, rel: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(p.path(rel))
        .expect("folder")
        .map(|e| {
            let e = e.expect("entry");
            let bytes = std::fs::read(e.path()).expect("read");
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

/// Rerun a manifest that was just written: the command it records runs again, every output
/// comes out the same, and only the manifest (its date) may change.
fn rerun_says_identical(p: &Project, dir: &str, manifest_name: &str, recorded: &str, n: usize) {
    let path = format!("{dir}/{manifest_name}");
    let before: Vec<_> = folder(p, dir)
        .into_iter()
        .filter(|(name, _)| name != manifest_name)
        .collect();
    let out = rerun(p, &path);
    assert!(
        out.contains(&format!("rerunning: ukprod {recorded}\n")),
        "{out}"
    );
    assert!(
        out.contains("nothing changed in the data or scenarios since 20"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "all {n} outputs are identical, byte for byte, to the previous run"
        )),
        "{out}"
    );
    let after: Vec<_> = folder(p, dir)
        .into_iter()
        .filter(|(name, _)| name != manifest_name)
        .collect();
    assert!(before == after, "{dir} changed on a rerun");
    assert_eq!(command(p, &path).join(" "), recorded);
}

#[test]
fn rerun_of_run_compare_and_report_says_identical() {
    let p = project();
    p.cmd(&["run", "flat", "--draws", "200", "--seed", "5"])
        .assert()
        .success();
    // Tables 4, charts 4 x (png, svg), the fan 2, and the draws' two tables.
    rerun_says_identical(
        &p,
        "output/flat",
        "manifest.json",
        "run flat --draws 200 --seed 5",
        16,
    );

    p.cmd(&["compare", "flat", "other", "--format", "svg"])
        .assert()
        .success();
    // compare.csv and compare.svg.
    rerun_says_identical(
        &p,
        "output/compare-flat-other",
        "manifest.json",
        "compare flat other --format svg",
        2,
    );

    p.cmd(&["report", "flat", "--draws", "300"])
        .assert()
        .success();
    // index.html, report.md and six PNGs: path, makers, bridge, plants, fan, tornado.
    rerun_says_identical(
        &p,
        "output/report-flat",
        "manifest.json",
        "report flat --draws 300",
        8,
    );
    // The report is dated by the day in words, the day the manifest records; the time of
    // the run is in the manifest only.
    let recorded = manifest(&p, "output/report-flat/manifest.json");
    let date = recorded["date"].as_str().expect("a date").to_string();
    assert!(date.starts_with("20") && date.ends_with('Z'), "{date}");
    assert_eq!(recorded["dated"].as_str(), Some(&date[..10]));
    for file in ["index.html", "report.md"] {
        let text = p.read(&format!("output/report-flat/{file}"));
        assert!(!text.contains(&date[..10]), "{file} holds the date {date}");
        assert!(
            text.contains(&crate::report_briefing::in_words(&date[..10])),
            "{file}"
        );
    }
}

#[test]
fn rerun_of_sensitivity_and_seek_says_identical() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts"]).assert().success();
    p.cmd(&["sensitivity", "flat", "--format", "png"])
        .assert()
        .success();
    // sensitivity.csv and tornado.png.
    rerun_says_identical(
        &p,
        "output/flat",
        "sensitivity.manifest.json",
        "sensitivity flat --format png",
        2,
    );
    p.cmd(&[
        "seek",
        "flat",
        "--param",
        "programmes.x.peak",
        "--target",
        "560000",
    ])
    .assert()
    .success();
    // seek.csv and seek.json.
    rerun_says_identical(
        &p,
        "output/flat",
        "seek.manifest.json",
        "seek flat --param programmes.x.peak --target 560000",
        2,
    );
    // Neither rerun touched the run's own manifest or outputs.
    assert_eq!(
        command(&p, "output/flat/manifest.json"),
        ["run", "flat", "--no-charts"]
    );
    assert!(p.path("output/flat/national_mc.csv").exists());
}

#[test]
fn rerun_says_which_outputs_differ_went_or_came() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts", "--draws", "100"])
        .assert()
        .success();
    // The range goes: no draws, so no draw tables; the mode goes up, so the tables change.
    std::fs::write(
        p.path("scenarios/flat.toml"),
        FLAT.replace("{ low = 0, mode = 10000, high = 20000 }", "15000"),
    )
    .expect("edit");
    let out = rerun(&p, "output/flat/manifest.json");
    assert!(
        out.contains("scenario `flat` resolves differently"),
        "{out}"
    );
    // national.csv, plants.csv, components.csv and scenario.toml all change with the peak.
    assert!(
        out.contains("4 of 4 outputs differ from the previous run: output/flat/national.csv, output/flat/plants.csv, output/flat/components.csv, output/flat/scenario.toml"),
        "{out}"
    );
    assert!(
        out.contains(
            "no longer written (removed): output/flat/national_mc.csv, output/flat/target_probability.csv"
        ),
        "{out}"
    );
    assert!(!out.contains("identical"), "{out}");
    assert!(!p.path("output/flat/national_mc.csv").exists());
    // 2030: 500,000 cars + 50,000 CVs, plus the programme's 15,000 at full ramp.
    let national = p.read("output/flat/national.csv");
    assert!(
        national.contains("2030,projected,515000,50000,565000,"),
        "{national}"
    );
}

/// Wait until `done`, at most 30 s; whether it came.
fn poll(done: &dyn Fn() -> bool) -> bool {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > Duration::from_secs(30) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}

#[test]
fn watch_records_run_and_report_and_their_reruns_return() {
    let p = project();
    std::fs::create_dir_all(p.path("elsewhere")).expect("out dir");
    // A --set makes a variant: its folders are named by the change's SHA-256.
    let hash = format!("{:x}", Sha256::digest(b"programmes.x.start=2028"));
    let variant = format!("flat+{}", &hash[..8]);
    let run_dir = format!("elsewhere/{variant}");
    let report_dir = format!("elsewhere/report-{variant}");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ukprod"))
        .current_dir(p.dir.path())
        .args([
            "watch",
            "flat",
            "--set",
            "programmes.x.start=2028",
            "--draws",
            "100",
            "--seed",
            "9",
            "--format",
            "svg",
            "--out",
            "elsewhere",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("watch starts");
    // One round of the watch: the run, then the report, each with its manifest.
    let done = || {
        let read = |rel: &str| {
            std::fs::read_to_string(p.path(rel))
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        };
        read(&format!("{run_dir}/manifest.json")).is_some()
            && read(&format!("{report_dir}/manifest.json")).is_some()
    };
    let came = poll(&done);
    let _ = child.kill();
    let _ = child.wait();
    assert!(came, "timed out waiting for the watch's first round");

    assert_eq!(
        command(&p, &format!("{run_dir}/manifest.json")).join(" "),
        "run flat --set programmes.x.start=2028 --draws 100 --seed 9 --format svg --out elsewhere"
    );
    assert_eq!(
        command(&p, &format!("{report_dir}/manifest.json")).join(" "),
        "report flat --set programmes.x.start=2028 --draws 100 --seed 9 --out elsewhere"
    );
    // Tables 4, charts 4 svg, fan.svg, and the draws' two tables.
    rerun_says_identical(
        &p,
        &run_dir,
        "manifest.json",
        "run flat --set programmes.x.start=2028 --draws 100 --seed 9 --format svg --out elsewhere",
        11,
    );
    rerun_says_identical(
        &p,
        &report_dir,
        "manifest.json",
        "report flat --set programmes.x.start=2028 --draws 100 --seed 9 --out elsewhere",
        8,
    );
    // The set took: the programme starts in 2028, so 2027 is the fixture's flat 550,000
    // in every draw, and so its expected value.
    let national = p.read(&format!("{run_dir}/national.csv"));
    assert!(
        national.contains("2027,expected,500000,50000,550000,"),
        "{national}"
    );
    assert!(!p.path("output").exists(), "wrote outside --out");
}

#[test]
fn rerun_of_an_old_manifest_recording_watch_refuses_and_says_what_to_run() {
    let p = project();
    p.cmd(&["run", "flat", "--no-charts", "--draws", "50"])
        .assert()
        .success();
    p.cmd(&["report", "flat", "--draws", "50"])
        .assert()
        .success();
    // Manifests as watch wrote them before it recorded the run and the report.
    for dir in ["output/flat", "output/report-flat"] {
        let path = p.path(&format!("{dir}/manifest.json"));
        let mut m = manifest(&p, &format!("{dir}/manifest.json"));
        m["command"] = serde_json::json!(["watch", "flat", "--no-charts", "--draws", "50"]);
        std::fs::write(&path, serde_json::to_vec_pretty(&m).expect("json")).expect("write");
    }
    // `watch` writes no outputs of its own (issue 10): rerun says what makes the folder.
    let err = p.fails(&["rerun", "output/flat/manifest.json"]);
    assert!(
        err.contains("output/flat/manifest.json records `ukprod watch flat --no-charts --draws 50`, which watches and writes no outputs of its own; to make this folder again, run: ukprod run flat --draws 50 --no-charts"),
        "{err}"
    );
    let err = p.fails(&["rerun", "output/report-flat/manifest.json"]);
    assert!(
        err.contains("to make this folder again, run: ukprod report flat --draws 50"),
        "{err}"
    );
}

#[test]
fn each_folder_of_a_run_of_several_scenarios_reruns_alone_and_sees_its_changes() {
    let p = project();
    p.cmd(&[
        "run",
        "flat",
        "other",
        "--set",
        "2:programmes.x.start=2028",
        "--no-charts",
        "--draws",
        "0",
    ])
    .assert()
    .success();
    let hash = format!("{:x}", Sha256::digest(b"programmes.x.start=2028"));
    let variant = format!("other+{}", &hash[..8]);
    // Each folder records the command that makes it alone.
    assert_eq!(
        command(&p, "output/flat/manifest.json").join(" "),
        "run flat --draws 0 --no-charts"
    );
    assert_eq!(
        command(&p, &format!("output/{variant}/manifest.json")).join(" "),
        "run other --set programmes.x.start=2028 --draws 0 --no-charts"
    );
    // A change to `other` shows in its own folder's rerun, and flat's rerun is untouched.
    std::fs::write(
        p.path("scenarios/other.toml"),
        "extends = \"flat\"\n[programmes.x]\npeak = 20000\n",
    )
    .unwrap();
    let out = rerun(&p, &format!("output/{variant}/manifest.json"));
    assert!(out.contains("resolves differently"), "{out}");
    assert!(!out.contains("identical"), "{out}");
    let out = rerun(&p, "output/flat/manifest.json");
    assert!(out.contains("nothing changed"), "{out}");
    assert!(out.contains("identical"), "{out}");
}
