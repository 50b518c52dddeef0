//! Smaller findings of the newcomer review (shared/reviews/newcomer-review.md), through the
//! binary: what `new --from`, `check`, `explain`, `seek`, `list` and the error report say.

use crate::common::Project;

const BASE: &str =
    "description = \"base\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n";

/// `base` claims a 2030 total of at least 550,000 (it makes exactly that).
fn claiming() -> Project {
    Project::new().scenario(
        "base",
        &format!("{BASE}[[checks]]\nyear = 2030\ntotal = {{ min = 550000 }}\n"),
    )
}

/// Closing Alpha from 2027 takes its 200,000 away: 2030 total 350,000.
const CLOSE_ALPHA: &str = "[plants.alpha]\ncloses = 2027\n";

#[test]
fn new_from_does_not_bind_the_child_to_its_parents_checks() {
    let p = claiming();
    p.stdout(&["new", "mine", "--from", "base"]);
    let text = p.read("scenarios/mine.toml");
    assert!(
        text.contains("# The [[checks]] of `base` state what `base` is meant to show. A what-if is\n# not bound by them, so this empty list drops them.")
            && text.contains("\nchecks = []\n"),
        "{text}"
    );
    std::fs::write(
        p.path("scenarios/mine.toml"),
        format!("{text}{CLOSE_ALPHA}"),
    )
    .unwrap();
    let out = p.stdout(&["run", "mine", "--no-charts"]);
    assert!(out.contains("2030 projected:        350,000"), "{out}");
    assert!(!out.contains("check:"), "{out}");
    let out = p.stdout(&["check"]);
    assert_eq!(
        out,
        "base:\n  check: 2030 total (projected) at least 550,000: passed (550,000)\nmine: no checks\nthe 1 check passed\n"
    );
    // Written by hand, a child inherits the checks until it says `checks = []`.
    let p = claiming().scenario("hand", &format!("extends = \"base\"\n{CLOSE_ALPHA}"));
    let out = p
        .cmd(&["check", "hand"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        stdout.contains("check: 2030 total (projected) at least 550,000: FAILED (350,000)"),
        "{stdout}"
    );
    assert_eq!(stderr, "error: the 1 check failed\n");
    let p = claiming().scenario(
        "hand",
        &format!("extends = \"base\"\nchecks = []\n{CLOSE_ALPHA}"),
    );
    assert_eq!(p.stdout(&["check", "hand"]), "hand has no checks\n");
}

#[test]
fn the_template_says_a_range_makes_a_monte_carlo_run() {
    let p = Project::new();
    p.stdout(&["new", "solo"]);
    let text = p.read("scenarios/solo.toml");
    assert!(
        text.contains("# peak = { low = 30000, mode = 55000, high = 150000 }   # or a range, as any number may be:\n#                                 # uncommented, it makes every run of this scenario a Monte\n#                                 # Carlo run of 10,000 draws (--draws 0 for none)\n"),
        "{text}"
    );
    // Without --from there is no parent, so no `checks = []`.
    assert!(!text.contains("\nchecks = []"), "{text}");
    p.cmd(&["validate", "solo"]).assert().success();
}

#[test]
fn check_wording_for_one_scenario_and_one_check() {
    let p = Project::new().scenario("base", BASE);
    assert_eq!(p.stdout(&["check", "base"]), "base has no checks\n");
    let p = p.scenario("other", BASE);
    assert_eq!(
        p.stdout(&["check"]),
        "base: no checks\nother: no checks\nno scenario has [[checks]]\n"
    );
}

#[test]
fn explain_says_what_an_unset_optional_field_means() {
    let p = Project::new().scenario("base", BASE).scenario(
        "child",
        "extends = \"base\"\n[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 5000\n\
         [[shocks]]\nyear = 2028\nmaker = \"Alpha\"\nlost_weeks = 2\n",
    );
    let cases = [
        ("programmes.x.ends", "the programme never ends"),
        (
            "programmes.x.probability",
            "the programme always happens (probability 1)",
        ),
        ("plants.alpha.closes", "the plant does not close"),
        (
            "plants.alpha.growth",
            "existing production stays at its 2025 output, 200,000",
        ),
        (
            "plants.beta.utilisation_cap",
            "the plant uses the scenario's assumptions.utilisation_cap (1)",
        ),
        (
            "shocks.0.plant",
            "the shock hits every plant of maker Alpha",
        ),
        (
            "shocks.0.probability",
            "the shock always happens (probability 1)",
        ),
    ];
    for (key, meaning) in cases {
        assert_eq!(
            p.stdout(&["explain", "child", key]),
            format!(
                "{key} is not set: {meaning}\n  optional; no scenario in the chain base -> child sets it\n"
            )
        );
    }
    assert_eq!(
        p.stdout(&["explain", "child", "extends"]),
        "extends: the chain is base -> child, merged in that order\n"
    );
    let err = p.fails(&["explain", "child", "programmes.x.end"]);
    assert!(
        err.contains("has no `programmes.x.end`")
            && err.contains("did you mean `programmes.x.ends`?"),
        "{err}"
    );
    // An item that does not exist is still an error, not "not set".
    let err = p.fails(&["explain", "child", "programmes.y.ends"]);
    assert!(err.contains("has no `programmes.y.ends`"), "{err}");
}

#[test]
fn seek_says_a_switched_off_programme_is_off() {
    let p = Project::new().scenario(
        "t",
        &format!(
            "{BASE}[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 5000\nenabled = false\n"
        ),
    );
    let err = p.fails(&["seek", "t", "--param", "programmes.x.peak"]);
    assert_eq!(
        err,
        "error: programme `x` is switched off in scenario `t` (`enabled = false` at scenarios/t.toml:11:1), so no value of programmes.x.peak changes the total; to seek it with the programme on, add --set programmes.x.enabled=true\n"
    );
    assert!(!p.path("output/t/seek.csv").exists());
    // Switched on, 2030 total = 550,000 + peak: 600,000 needs 50,000.
    let out = p.stdout(&[
        "seek",
        "t",
        "--param",
        "programmes.x.peak",
        "--target",
        "600000",
        "--set",
        "programmes.x.enabled=true",
    ]);
    assert!(
        out.contains("programmes.x.peak = 50,000 brings the 2030 total to 600,000."),
        "{out}"
    );
}

#[test]
fn list_wraps_long_descriptions_under_their_column() {
    let words: Vec<String> = (1..=30).map(|i| format!("word{i:02}")).collect();
    let p = Project::new()
        .scenario(
            "a-long-one",
            &format!("description = \"{}\"\n", words.join(" ")),
        )
        .scenario("short", "description = \"short one\"\n");
    let line = |from: usize, to: usize| words[from - 1..to].join(" ");
    let pad = " ".repeat(12);
    // 100 columns less the 10-character name column and two spaces: 88, so twelve
    // 6-character words a line (83 characters; a thirteenth would make 90).
    let out = p.cmd(&["list"]).env_remove("COLUMNS").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "a-long-one  {}\n{pad}{}\n{pad}{}\nshort       short one\n",
            line(1, 12),
            line(13, 24),
            line(25, 30)
        )
    );
    // At 60 columns, 48 are left: seven words (48 characters) a line.
    let out = p.cmd(&["list"]).env("COLUMNS", "60").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        text.lines().take(2).collect::<Vec<_>>(),
        [
            format!("a-long-one  {}", line(1, 7)),
            format!("{pad}{}", line(8, 14))
        ]
    );
    assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
}

#[test]
fn commands_that_write_nothing_say_out_is_not_used() {
    let p = Project::new().scenario("base", BASE);
    for args in [
        &["diff", "base", "base", "--out", "elsewhere"][..],
        &["--out", "elsewhere", "check"],
        &["--out=elsewhere", "validate"],
    ] {
        let out = p.cmd(args).assert().success().get_output().clone();
        let name = args
            .iter()
            .find(|a| !a.starts_with("--out") && **a != "elsewhere");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!(
                "note: `{}` writes no files, so --out is not used\n",
                name.unwrap()
            )
        );
    }
    assert!(!p.path("elsewhere").exists());
    let out = p
        .cmd(&["run", "base", "--no-charts", "--out", "elsewhere"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(out.stderr.is_empty());
    assert!(p.path("elsewhere/base/national.csv").is_file());
}

#[test]
fn unknown_keys_and_bad_values_are_reported_together() {
    // One unknown field, one mistyped value and three values out of range.
    let p = Project::new().scenario(
        "bad",
        "description = \"bad\"\n[horizon]\nend_year = 2030\n\
         [programmes.x]\nplant = \"alpha\"\nstart = 2020\npeek = 5\n\
         [plants.beta]\ncapacity = -5\nutilisation_cap = 2\n\
         [target]\nvolume = \"lots\"\n",
    );
    let err = p.fails(&["run", "bad"]);
    let expected = [
        ("unknown field `peek`", "bad.toml:7:1"),
        (
            "plants.beta.capacity must be a number of vehicles from 0 to 100,000,000, not -5",
            "bad.toml:9:12",
        ),
        (
            "plants.beta.utilisation_cap must be more than 0 and at most 1 (a share of capacity), not 2",
            "bad.toml:10:19",
        ),
        (
            "invalid type: string \"lots\", expected f64",
            "bad.toml:12:10",
        ),
        (
            "programmes.x.start 2020 is outside the horizon",
            "bad.toml:6:9",
        ),
    ];
    for (message, place) in expected {
        let at = err
            .find(message)
            .unwrap_or_else(|| panic!("no {message:?} in:\n{err}"));
        let after = &err[at..];
        let shown = after.find(place).unwrap_or(usize::MAX);
        assert!(shown < 300, "{message:?} not located at {place} in:\n{err}");
    }
    assert!(err.contains("help: did you mean `peak`?"), "{err}");
    // `peek` explains the missing `peak`: no second problem for it.
    assert!(!err.contains("needs `peak`"), "{err}");
    assert!(err.trim_end().ends_with("5 problems found"), "{err}");
    assert!(!p.path("output/bad").exists());
}

#[test]
fn writing_checks_under_checks_empty_says_what_to_delete() {
    let p = claiming();
    p.stdout(&["new", "mine", "--from", "base"]);
    let text = p
        .read("scenarios/mine.toml")
        .replace("# [[checks]] ", "[[checks]] ");
    std::fs::write(p.path("scenarios/mine.toml"), text).unwrap();
    let err = p.fails(&["validate", "mine"]);
    assert!(err.contains("error: duplicate key"), "{err}");
    assert!(
        err.contains("help: `checks` is already set earlier in this file: keep one (`checks = []` drops the parent's checks; delete it to write [[checks]])"),
        "{err}"
    );
}
