//! The analyst's loop: new, explain, diff and check, through the binary.

use crate::common::Project;

const BASE: &str =
    "description = \"base\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n";

#[test]
fn new_writes_a_scenario_that_runs_and_never_overwrites() {
    let p = Project::new().scenario("base", BASE);
    let out = p.stdout(&["new", "mine", "--from", "base"]);
    assert!(out.contains("wrote scenarios/mine.toml"), "{out}");
    let text = p.read("scenarios/mine.toml");
    assert!(text.contains("extends = \"base\""), "{text}");
    for section in [
        "# [horizon]",
        "# [assumptions]",
        "# [plants.",
        "# [new_plants.",
        "# [programmes.",
        "# [[shocks]]",
        "# [[checks]]",
    ] {
        assert!(text.contains(section), "missing {section}");
    }
    p.cmd(&["validate", "mine"]).assert().success();
    let out = p.stdout(&["run", "mine", "--no-charts"]);
    assert!(out.contains("2030 projected:        550,000"), "{out}");
    std::fs::write(p.path("scenarios/mine.toml"), "description = \"edited\"\n").unwrap();
    let err = p.fails(&["new", "mine"]);
    assert!(err.contains("scenarios/mine.toml already exists"), "{err}");
    assert_eq!(p.read("scenarios/mine.toml"), "description = \"edited\"\n");
    let err = p.fails(&["new", "other", "--from", "bsae"]);
    assert!(
        err.contains("unknown scenario `bsae`") && err.contains("did you mean `base`?"),
        "{err}"
    );
    let err = p.fails(&["new", "Bad Name"]);
    assert!(
        err.contains("must be lowercase letters, digits and hyphens"),
        "{err}"
    );
}

#[test]
fn explain_names_the_file_line_parent_set_or_default() {
    let p = Project::new().scenario("base", BASE).scenario(
        "child",
        "extends = \"base\"\n\n[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 5000\n",
    );
    let out = p.stdout(&["explain", "child", "programmes.x.peak"]);
    assert!(out.contains("programmes.x.peak = 5000"), "{out}");
    assert!(
        out.contains("set in scenarios/child.toml:6:1 (its own file; chain base -> child)"),
        "{out}"
    );
    let out = p.stdout(&["explain", "child", "horizon.end_year"]);
    assert!(
        out.contains("set in scenarios/base.toml:3:1 (parent `base`"),
        "{out}"
    );
    let out = p.stdout(&["explain", "child", "programmes.x.ramp_years"]);
    assert!(
        out.contains("programmes.x.ramp_years = 3") && out.contains("ukprod's default"),
        "{out}"
    );
    let out = p.stdout(&[
        "explain",
        "child",
        "programmes.x.peak",
        "--set",
        "programmes.x.peak=7",
    ]);
    assert!(
        out.contains("= 7") && out.contains("--set programmes.x.peak=7"),
        "{out}"
    );
    let err = p.fails(&["explain", "child", "programmes.x.paek"]);
    assert!(
        err.contains("has no `programmes.x.paek`")
            && err.contains("did you mean `programmes.x.peak`?"),
        "{err}"
    );
}

#[test]
fn diff_lists_inputs_then_outputs() {
    let p = Project::new()
        .scenario("base", BASE)
        .scenario("more", "extends = \"base\"\n[programmes.x]\nplant = \"alpha\"\nmaker = \"Chery\"\nstart = 2027\npeak = 5000\n");
    let out = p.stdout(&["diff", "base", "more"]);
    assert!(out.contains("inputs that differ (base -> more):"), "{out}");
    assert!(
        out.contains("  programmes.x.peak: (not set) -> 5000"),
        "{out}"
    );
    assert!(
        out.contains("  programmes.x.maker: (not set) -> \"Chery\""),
        "{out}"
    );
    assert!(
        out.contains("end-year outputs that differ (2030):"),
        "{out}"
    );
    assert!(
        out.contains("  total: 550,000 -> 555,000 (+5,000)"),
        "{out}"
    );
    assert!(out.contains("  Chery: 0 -> 5,000 (+5,000)"), "{out}");
    let out = p.stdout(&["diff", "base", "base"]);
    assert!(
        out.contains("inputs that differ (base -> base):\n  none"),
        "{out}"
    );
}

#[test]
fn checks_are_reported_by_run_and_enforced_by_check() {
    let p = Project::new().scenario(
        "base",
        &format!(
            "{BASE}[[checks]]\nyear = 2030\ntotal = {{ min = 500000, max = 600000 }}\n[[checks]]\nyear = 2030\nmakers = {{ Alpha = {{ min = 250000 }} }}\n"
        ),
    );
    let out = p.stdout(&["run", "base", "--no-charts"]);
    assert!(
        out.contains("check: 2030 total (projected) between 500,000 and 600,000: passed (550,000)"),
        "{out}"
    );
    assert!(
        out.contains("check: 2030 Alpha output (projected) at least 250,000: FAILED (200,000)"),
        "{out}"
    );
    let out = p.cmd(&["check"]).assert().code(1).get_output().clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 of 2 checks failed"), "{stderr}");
    let p = Project::new().scenario(
        "base",
        &format!("{BASE}[[checks]]\nyear = 2030\ntotal = {{ max = 600000 }}\n"),
    );
    let out = p.stdout(&["check"]);
    assert!(out.contains("the 1 check passed"), "{out}");
    let p = Project::new().scenario(
        "base",
        &format!("{BASE}[[checks]]\nyear = 2030\nmakers = {{ Alhpa = {{ min = 1 }} }}\n"),
    );
    let err = p.fails(&["check"]);
    assert!(
        err.contains("no maker `Alhpa`")
            && err.contains("did you mean `Alpha`?")
            && err.contains("base.toml:9:"),
        "{err}"
    );
    let p = Project::new().scenario(
        "base",
        &format!("{BASE}[[checks]]\nyear = 2030\ntotal = {{ min = 9, max = 1 }}\n"),
    );
    let err = p.fails(&["check"]);
    assert!(
        err.contains("checks.0.total has min 9 above max 1"),
        "{err}"
    );
}

#[test]
fn watch_reruns_on_save_and_survives_a_broken_save() {
    use std::time::{Duration, Instant};
    let p = Project::new().scenario("base", BASE);
    let log = std::fs::File::create(p.path("watch.log")).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ukprod"))
        .current_dir(p.dir.path())
        .args(["watch", "base", "--no-charts"])
        .stdout(log)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("watch starts");
    let national = p.path("output/base/national.csv");
    let wait_for = |what: &str, done: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let total_2030 = || {
        std::fs::read_to_string(&national)
            .ok()
            .and_then(|t| t.lines().last().map(str::to_string))
            .unwrap_or_default()
    };
    wait_for("the first run", &|| {
        total_2030().starts_with("2030,projected")
    });
    assert_eq!(
        total_2030(),
        "2030,projected,500000,50000,550000,800000,-250000"
    );
    // Give the watcher a moment to be in place before the first save.
    std::thread::sleep(Duration::from_millis(500));
    std::fs::write(
        p.path("scenarios/base.toml"),
        format!(
            "{BASE}[programmes.x]\nplant = \"alpha\"\nstart = 2027\nramp_years = 0\npeak = 20000\n"
        ),
    )
    .unwrap();
    wait_for("the re-run", &|| total_2030().contains("570000"));
    // A broken save keeps the last good outputs and the watch running.
    std::fs::write(p.path("scenarios/base.toml"), "this is = = not toml").unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    assert!(total_2030().contains("570000"));
    assert!(
        child.try_wait().expect("status").is_none(),
        "watch stopped on a broken save"
    );
    std::fs::write(
        p.path("scenarios/base.toml"),
        format!(
            "{BASE}[programmes.x]\nplant = \"alpha\"\nstart = 2027\nramp_years = 0\npeak = 30000\n"
        ),
    )
    .unwrap();
    wait_for("the re-run after the fix", &|| {
        total_2030().contains("580000")
    });
    // The summary is printed after the files are written: wait for it before stopping.
    wait_for("the third summary", &|| {
        p.read("watch.log").matches("2030 projected:").count() == 3
    });
    // Saving a scenario the watched one does not extend does not trigger a run.
    std::fs::write(p.path("scenarios/unrelated.toml"), "description = \"x\"\n").unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    let _ = child.kill();
    let _ = child.wait();
    // Three saves, three runs after the first: debounced, one run a save.
    let log = p.read("watch.log");
    assert_eq!(log.matches("saved:").count(), 3, "{log}");
    assert_eq!(
        log.matches("2030 projected:").count(),
        3,
        "first run, and the two good saves:\n{log}"
    );
}

#[test]
fn report_is_self_contained_and_escapes_what_it_is_given() {
    let hostile = "Chery </table><script>alert('x')</script> & co";
    let p = Project::new()
        .scenario("base", BASE)
        .scenario(
            "bet",
            &format!(
                "extends = \"base\"\ndescription = \"{hostile}\"\n# Why: a test of escaping <b>bold</b>\n[programmes.x]\nplant = \"alpha\"\nmaker = \"Chery\"\nstart = 2027\npeak = {{ low = 0, mode = 10000, high = 20000 }}\nprobability = 0.5\n"
            ),
        );
    let out = p.stdout(&["report", "base", "bet", "--draws", "500"]);
    assert!(out.contains("wrote output/report-base-bet/"), "{out}");
    let html = p.read("output/report-base-bet/index.html");
    // Nothing fetched from anywhere: no links, no sources, no URLs.
    for outside in ["http", "src=", "href=", "<script", "<link", "@import"] {
        assert!(!html.contains(outside), "the report refers to `{outside}`");
    }
    assert!(
        !html.contains("</table><script>"),
        "a description broke out of its element"
    );
    assert!(
        html.contains(
            "Chery &lt;/table&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"
        )
    );
    assert!(
        html.contains("a test of escaping &lt;b&gt;bold&lt;/b&gt;"),
        "the file's comment is in the register"
    );
    // Every chart inline: the comparison and the first scenario's path, then makers, bridge
    // and plants for each, and the fan and tornado of the one with ranges.
    assert_eq!(html.matches("<svg ").count(), 2 + 3 + 3 + 2);
    assert!(html.contains("@media print") && html.contains("break-inside:avoid"));
    for heading in ["Assumptions register", "Sources", "Provenance"] {
        assert!(html.contains(heading), "missing {heading}");
    }
    assert!(
        html.contains("programmes.x"),
        "register lists the programme"
    );
    let md = p.read("output/report-base-bet/report.md");
    // The PNG beside it, with the chart's own title as its alternative text.
    let image = md
        .lines()
        .find(|l| l.ends_with("](bet-makers.png)"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(image.starts_with("![") && image.len() > "![](bet-makers.png)".len());
    assert!(p.path("output/report-base-bet/bet-makers.png").is_file());
    // Markdown keeps HTML inert with backslashes: the text stays plain, with no entities.
    assert!(
        md.contains("Chery \\</table>\\<script>alert('x')\\</script> & co"),
        "{md}"
    );
    for entity in ["&lt;", "&gt;", "&amp;", "&#39;", "&quot;"] {
        assert!(!md.contains(entity), "report.md holds {entity}");
    }
    assert!(p.path("output/report-base-bet/manifest.json").is_file());
}

#[test]
fn explain_falls_back_to_the_data_for_a_plant_capacity() {
    let p = Project::new().scenario("base", BASE);
    let out = p.stdout(&["explain", "base", "plants.beta.capacity"]);
    assert!(out.contains("plants.beta.capacity = 100000"), "{out}");
    assert!(out.contains("from the data, data/plants.csv"), "{out}");
}

#[test]
fn register_notes_stay_with_their_item_and_errors_do_not_cascade() {
    let p = Project::new().scenario(
        "base",
        &format!(
            "{BASE}\n# Alpha grows: a sourced reason.\n[programmes.a]\nplant = \"alpha\" # at Alpha\nstart = 2027\npeak = 1000\n\n# --- Beta section ---\n# Beta's own note.\n[programmes.b]\nplant = \"beta\"\nstart = 2027\npeak = 1000\n"
        ),
    );
    p.cmd(&["report", "base"]).assert().success();
    let md = p.read("output/report-base/report.md");
    let row = |item: &str| {
        md.lines()
            .find(|l| l.contains(&format!("({item} · base.toml) |")))
            .unwrap_or_default()
            .to_string()
    };
    let a = row("programmes.a");
    // The comment after a value is a sentence of its own.
    assert!(
        a.contains("Alpha grows: a sourced reason. At Alpha. |"),
        "{a}"
    );
    assert!(
        !a.contains("Beta"),
        "a note of the next item spilled into this one: {a}"
    );
    // A section divider is no item's note.
    assert!(
        row("programmes.b").ends_with("| Beta's own note. |"),
        "{md}"
    );
    // A bad peak in a programme whose maker a check names: one error, not a second about the maker.
    let p = Project::new().scenario(
        "base",
        &format!("{BASE}[programmes.c]\nplant = \"alpha\"\nmaker = \"Chery\"\nstart = 2027\npeak = -5\n[[checks]]\nyear = 2030\nmakers = {{ Chery = {{ min = 1 }} }}\n"),
    );
    let err = p.fails(&["run", "base"]);
    assert!(
        err.contains("programmes.c.peak must be a number of vehicles"),
        "{err}"
    );
    assert!(!err.contains("no maker `Chery`"), "{err}");
}
