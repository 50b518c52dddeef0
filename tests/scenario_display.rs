//! How a scenario presents itself (issue 9): `title`, `headline` and `colour` describe the
//! scenario itself and are not inherited; item labels and `[makers.NAME] colour` are inherited
//! with the items. Bad colours are errors at their value; titles and headlines too long for a
//! chart, and long descriptions without a headline, are warnings.

use std::path::Path;

use ukprod::scenario::{self, Library, parse_set};
use ukprod::{data, engine};

use crate::common::{FIXTURE_DATA, Project};

/// Fixture data plus programme `x` at alpha, new plant `d` (with a name, no label) and
/// programme `y` there, a shock, and every display field. Line 2 is `title`, line 4 `colour`.
const PARENT: &str = "description = \"parent\"\n\
title = \"Parent case\"\n\
headline = \"The parent in one sentence.\"\n\
colour = \"#AA3377\"\n\
[horizon]\nend_year = 2030\n\
[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 5000\nlabel = \"X line\"\n\
[new_plants.d]\nname = \"D Works\"\noperator = \"D\"\nsegment = \"car\"\ncapacity = 5000\nopens = 2027\n\
[programmes.y]\nplant = \"d\"\nstart = 2027\npeak = 1000\n\
[[shocks]]\nyear = 2026\nmaker = \"Alpha\"\nlost_weeks = 2\nlabel = \"Alpha stoppage\"\n\
[makers.Alpha]\ncolour = \"#336699\"\n";

/// Resolve a scenario of a project and project it.
fn projection(p: &Project, name: &str, sets: &[&str]) -> engine::Projection {
    let data = data::load(Path::new(FIXTURE_DATA)).expect("fixture data");
    let sets: Vec<_> = sets
        .iter()
        .map(|s| parse_set(s).expect("a valid --set"))
        .collect();
    let scenario = scenario::resolve(&Library::new(&p.path("scenarios")), &data, name, &sets)
        .unwrap_or_else(|e| panic!("{name} resolves: {e:?}"));
    engine::project(&data, &scenario)
}

fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Run and return (stdout, stderr), asserting success.
fn run(p: &Project, args: &[&str]) -> (String, String) {
    let out = p.cmd(args).assert().success().get_output().clone();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn display_fields_reach_the_projection() {
    let p = Project::new().scenario("parent", PARENT);
    let pr = projection(&p, "parent", &[]);
    assert_eq!(pr.title.as_deref(), Some("Parent case"));
    assert_eq!(pr.display_name(), "Parent case");
    assert_eq!(pr.headline.as_deref(), Some("The parent in one sentence."));
    // Colours are kept in lowercase, whatever case they were written in.
    assert_eq!(pr.colour.as_deref(), Some("#aa3377"));
    // The new plant has no label: none is made up (charts and the report use its name).
    assert_eq!(
        pr.labels.clone().into_iter().collect::<Vec<_>>(),
        labels(&[("programmes.x", "X line"), ("shocks.0", "Alpha stoppage"),])
    );
    assert_eq!(pr.label_of("programmes.x"), "X line");
    assert_eq!(pr.label_of("programmes.y"), "y");
    assert_eq!(
        pr.maker_colours.into_iter().collect::<Vec<_>>(),
        labels(&[("Alpha", "#336699")])
    );
    // Without any of them, a projection has none.
    let p = Project::new().scenario("plain", "description = \"plain\"\n");
    let pr = projection(&p, "plain", &[]);
    assert_eq!(pr.display_name(), "plain");
    assert_eq!((pr.title, pr.headline, pr.colour), (None, None, None));
    assert!(pr.labels.is_empty() && pr.maker_colours.is_empty());
}

#[test]
fn a_child_describes_itself_but_inherits_labels_and_maker_colours() {
    let p = Project::new()
        .scenario("parent", PARENT)
        .scenario("kid", "extends = \"parent\"\n[programmes.x]\npeak = 6000\n")
        .scenario(
            "own",
            "extends = \"parent\"\ntitle = \"Own case\"\n\
             [[shocks]]\nyear = 2027\nlost_weeks = 1\n",
        );
    let kid = projection(&p, "kid", &[]);
    assert_eq!(kid.display_name(), "kid");
    assert_eq!((kid.title, kid.headline, kid.colour), (None, None, None));
    assert_eq!(
        kid.labels.into_iter().collect::<Vec<_>>(),
        labels(&[("programmes.x", "X line"), ("shocks.0", "Alpha stoppage"),])
    );
    assert_eq!(
        kid.maker_colours.into_iter().collect::<Vec<_>>(),
        labels(&[("Alpha", "#336699")])
    );
    // Its own title only; its own shocks replace the parent's, labels and all.
    let own = projection(&p, "own", &[]);
    assert_eq!(own.title.as_deref(), Some("Own case"));
    assert_eq!((own.headline, own.colour), (None, None));
    assert_eq!(
        own.labels.into_iter().collect::<Vec<_>>(),
        labels(&[("programmes.x", "X line")])
    );
    // `show` prints none of the parent's, and `explain` says why.
    let shown = p.stdout(&["show", "kid"]);
    assert!(
        !shown.contains("Parent case") && !shown.contains("#aa3377"),
        "{shown}"
    );
    assert!(shown.contains("label = \"X line\""), "{shown}");
    assert_eq!(
        p.stdout(&["explain", "kid", "title"]),
        "title is not set: charts call the scenario by its name, `kid`; `parent` sets \
         title = \"Parent case\", but a scenario describes itself, so its parents' title is not \
         inherited\n  optional; only the scenario's own file or a --set gives it\n"
    );
    assert_eq!(
        p.stdout(&["explain", "kid", "programmes.x.label"]),
        format!(
            "programmes.x.label = \"X line\"\n  set in {}:11:1 (parent `parent`; chain parent -> kid)\n",
            Path::new("scenarios").join("parent.toml").display()
        )
    );
    assert!(
        p.stdout(&["explain", "kid", "programmes.y.label"])
            .starts_with(
                "programmes.y.label is not set: charts call the programme by its id, `y`\n"
            )
    );
    assert!(
        p.stdout(&["explain", "kid", "new_plants.d.label"])
            .starts_with(
                "new_plants.d.label is not set: charts call the plant by its name, \"D Works\"\n"
            )
    );
    // Only display fields differ between parent and kid apart from x's peak: diff shows that alone.
    let diff = p.stdout(&["diff", "parent", "kid"]);
    assert!(
        diff.starts_with(
            "inputs that differ (parent -> kid):\n  programmes.x.peak: 5000 -> 6000\n\n"
        ),
        "{diff}"
    );
}

#[test]
fn set_changes_title_headline_and_colour() {
    let p = Project::new().scenario("parent", PARENT);
    let pr = projection(
        &p,
        "parent",
        &[
            "title=Parent at 10k",
            "headline=With twice the volume.",
            "colour=#0A0B0C",
        ],
    );
    assert_eq!(pr.title.as_deref(), Some("Parent at 10k"));
    assert_eq!(pr.headline.as_deref(), Some("With twice the volume."));
    assert_eq!(pr.colour.as_deref(), Some("#0a0b0c"));
    assert_eq!(pr.modified.len(), 3);
    let out = p.stdout(&["explain", "parent", "title", "--set", "title=Parent at 10k"]);
    assert_eq!(
        out,
        "title = \"Parent at 10k\"\n  from the command line: --set title=Parent at 10k\n  \
         it describes this scenario only: scenarios extending it do not inherit it\n"
    );
    p.cmd(&[
        "run",
        "parent",
        "--no-charts",
        "--set",
        "title=Parent at 10k",
    ])
    .assert()
    .success();
    // A bad one names the argument.
    let err = p.fails(&["show", "parent", "--set", "colour=blue"]);
    assert!(
        err.starts_with(
            "error: in `--set colour=blue` (applied to scenario `parent`): colour must be a colour \
             written \"#rrggbb\" (six hex digits, as \"#004488\"), not \"blue\"\n"
        ),
        "{err}"
    );
}

#[test]
fn a_bad_colour_is_an_error_at_its_value() {
    // Line 2, column 10 is the value of `colour`; line 5, column 10 the maker's.
    let p = Project::new().scenario(
        "bad",
        "description = \"bad\"\ncolour = \"004488\"\n\
         [makers.Alpha]\n# a comment\ncolour = \"#0a8\"\n\
         [makers.Alhpa]\ncolour = \"#000000\"\n",
    );
    let err = p.fails(&["validate", "bad"]);
    let path = Path::new("scenarios").join("bad.toml");
    let expected = [
        format!(
            "error: colour must be a colour written \"#rrggbb\" (six hex digits, as \"#004488\"), not \"004488\"\n --> {}:2:10\n",
            path.display()
        ),
        "help: did you mean \"#004488\"?\n".to_string(),
        format!(
            "error: makers.Alpha.colour must be a colour written \"#rrggbb\" (six hex digits, as \"#004488\"), not \"#0a8\"\n --> {}:5:10\n",
            path.display()
        ),
        "help: write all six digits: \"#00aa88\"\n".to_string(),
        "error: no maker `Alhpa` in this scenario (makers: Alpha, Beta, Gamma, Other)\n"
            .to_string(),
        "help: did you mean `Alpha`?\n".to_string(),
    ];
    for part in expected {
        assert!(err.contains(&part), "missing {part:?} in\n{err}");
    }
    // A misspelt key keeps its "did you mean".
    let p = Project::new().scenario(
        "typo",
        "description = \"typo\"\ncolor = \"#004488\"\n[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = 1\nlable = \"X\"\n",
    );
    let err = p.fails(&["validate", "typo"]);
    assert!(
        err.contains("help: did you mean `colour`?") && err.contains("help: did you mean `label`?"),
        "{err}"
    );
    // Blank or multi-line display text is an error too.
    let p = Project::new().scenario(
        "blank",
        "description = \"blank\"\ntitle = \" \"\nheadline = \"\"\"two\nlines\"\"\"\n",
    );
    let err = p.fails(&["validate", "blank"]);
    assert!(
        err.contains("error: title is empty: write the text, or leave the key out")
            && err.contains("error: headline must be one line: charts wrap it to fit themselves"),
        "{err}"
    );
}

/// `n` characters of words, ending in a letter (display text is measured trimmed).
fn chars(n: usize) -> String {
    let mut text: String = "abcdefghij ".chars().cycle().take(n).collect();
    if text.ends_with(' ') {
        text.pop();
        text.push('z');
    }
    text
}

#[test]
fn validate_warns_when_display_text_will_not_fit() {
    // At the limits (48 and 120 characters) nothing is said.
    let p = Project::new().scenario(
        "fits",
        &format!(
            "description = \"{}\"\ntitle = \"{}\"\nheadline = \"{}\"\n",
            chars(400),
            chars(48),
            chars(120)
        ),
    );
    let (out, err) = run(&p, &["validate", "fits"]);
    assert!(
        out.ends_with("scenario fits: ok\n") && err.is_empty(),
        "{out}{err}"
    );
    // One over each; and a description of 121 characters without a headline.
    let p = Project::new()
        .scenario(
            "long",
            &format!(
                "description = \"short\"\ntitle = \"{}\"\nheadline = \"{}\"\n",
                chars(49),
                chars(121)
            ),
        )
        .scenario("bare", &format!("description = \"{}\"\n", chars(121)))
        .scenario("kid", "extends = \"bare\"\n[horizon]\nend_year = 2030\n")
        .scenario(
            "told",
            &format!("extends = \"bare\"\nheadline = \"{}\"\n", chars(20)),
        );
    let (out, err) = run(&p, &["validate"]);
    assert!(
        out.contains("scenario long: ok, with 2 warnings\n")
            && out.contains("scenario bare: ok, with 1 warning\n")
            && out.contains("scenario kid: ok, with 1 warning\n")
            && out.contains("scenario told: ok\n"),
        "{out}"
    );
    let at = |name: &str, line: usize, column: usize| {
        format!(
            " --> {}:{line}:{column}\n",
            Path::new("scenarios")
                .join(format!("{name}.toml"))
                .display()
        )
    };
    let expected = [
        format!(
            "warning: title is 49 characters, more than the 48 that fit one line of a chart\n{}",
            at("long", 2, 9)
        ),
        "help: shorten it to 48 characters or fewer; the description can say the rest\n".into(),
        format!(
            "warning: headline is 121 characters, more than the 120 that fit a chart's subtitle\n{}",
            at("long", 3, 12)
        ),
        format!(
            "warning: scenario `bare` has no headline, and its description is 121 characters, too long for a chart subtitle: its charts will have none\n{}",
            at("bare", 1, 1)
        ),
        "help: add `headline = \"…\"` for chart subtitles: one plain sentence, at most 120 characters\n".into(),
        // The child inherits the description, not a headline: the fix is in its own file.
        format!(
            "warning: scenario `kid` has no headline, and its description (from `bare`) is 121 characters, too long for a chart subtitle: its charts will have none\n{}",
            at("kid", 1, 1)
        ),
    ];
    for part in expected {
        assert!(err.contains(&part), "missing {part:?} in\n{err}");
    }
    // A warning, not a failure: the scenario runs.
    p.cmd(&["run", "long", "--no-charts"]).assert().success();
}

#[test]
fn a_colour_like_the_targets_is_a_warning() {
    let p = Project::new().scenario(
        "red",
        "description = \"red\"\ncolour = \"#B2182B\"\n[makers.Beta]\ncolour = \"#a0202a\"\n",
    );
    let (out, err) = run(&p, &["validate", "red"]);
    assert!(out.contains("scenario red: ok, with 2 warnings"), "{out}");
    assert!(
        err.contains("warning: colour #b2182b is close to the target's crimson (#b2182b)")
            && err.contains("warning: makers.Beta.colour #a0202a is close to the target's crimson"),
        "{err}"
    );
}

#[test]
fn the_template_shows_the_fields_and_new_from_does_not_copy_them() {
    let p = Project::new().scenario("parent", PARENT);
    p.stdout(&["new", "solo"]);
    let text = p.read("scenarios/solo.toml");
    for line in [
        "# Charts call this scenario `solo` until it has a title.\n",
        "# title = \"Short name for charts\"",
        "# headline = \"",
        "# colour = \"#",
        "# label = \"Chery greenfield\"",
        "# label = \"Chery at Halewood\"",
        "# label = \"Solihull stoppage\"",
        "# [makers.Chery]",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
    p.stdout(&["new", "mine", "--from", "parent"]);
    let text = p.read("scenarios/mine.toml");
    assert!(
        !text.contains("Parent case") && !text.contains("one sentence") && !text.contains("aa3377"),
        "{text}"
    );
    assert!(
        text.contains(
            "# A scenario describes itself: the title, headline and colour of `parent` are not\n\
             # inherited, so charts call this one `mine` until it has a title of its own.\n"
        ),
        "{text}"
    );
    // The template's own title, headline and colour lines uncommented resolve without a
    // warning (a template whose example fails is no help).
    let template = p.read("scenarios/solo.toml");
    let uncommented: String = ["# title", "# headline", "# colour"]
        .iter()
        .filter_map(|key| template.lines().find(|l| l.starts_with(key)))
        .map(|l| format!("{}\n", &l[2..]))
        .collect();
    let p = p.scenario(
        "filled",
        &format!("description = \"filled\"\n{uncommented}"),
    );
    let (out, err) = run(&p, &["validate", "filled", "mine"]);
    assert!(
        out.contains("scenario filled: ok\n") && out.contains("scenario mine: ok\n"),
        "{out}{err}"
    );
    let pr = projection(&p, "mine", &[]);
    assert_eq!((pr.title, pr.headline, pr.colour), (None, None, None));
}

/// The shipped scenarios: each has its own title, headline and colour, the colours differ, and
/// `validate` finds nothing to warn about.
#[test]
fn shipped_scenarios_describe_themselves_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = data::load(&root.join("data")).expect("the shipped data");
    let library = Library::new(&root.join("scenarios"));
    let names = library.names().expect("the scenario folder");
    assert_eq!(names.len(), 11);
    let mut colours = Vec::new();
    for name in &names {
        let s = scenario::resolve(&library, &data, name, &[])
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(s.warnings.is_empty(), "{name}: {:?}", s.warnings);
        let title = s
            .title
            .clone()
            .unwrap_or_else(|| panic!("{name} has no title"));
        let headline = s
            .headline
            .clone()
            .unwrap_or_else(|| panic!("{name} has no headline"));
        assert!(title.chars().count() <= 48, "{name}: {title}");
        assert!(headline.chars().count() <= 120, "{name}: {headline}");
        assert!(headline.ends_with('.'), "{name}: one sentence: {headline}");
        colours.push(
            s.colour
                .clone()
                .unwrap_or_else(|| panic!("{name} has no colour")),
        );
        // No title is a parent's.
        for layer in &s.sources.layers[..s.sources.layers.len() - 1] {
            let parent = layer.table.get("title").and_then(|t| t.as_str());
            assert_ne!(
                parent,
                Some(title.as_str()),
                "{name} repeats its parent's title"
            );
        }
    }
    let mut distinct = colours.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), colours.len(), "{colours:?}");
    // The target's crimson is reserved.
    assert!(!colours.iter().any(|c| c == "#b2182b"));
}
