//! Output under attack (issue 10): a stdout that cannot be written (a closed pipe, a full
//! disk) or a closed stderr never panics; hostile strings make no live Markdown in report.md
//! and cannot close its provenance block; CSV text cells cannot run as spreadsheet formulas.

use std::process::{Command, Output, Stdio};

use crate::common::{Project, csv_rows};

/// An uncertain scenario (so `sensitivity` has something to swing) on the fixture data.
const FLAT: &str = "description = \"flat\"\n[horizon]\nend_year = 2030\n[target]\nvolume = 800000\nyear = 2030\n[programmes.x]\nplant = \"alpha\"\nstart = 2027\npeak = { low = 0, mode = 10000, high = 20000 }\n";

/// A command and its arguments for every command that prints to stdout.
const PRINTING: &[&[&str]] = &[
    &["report", "flat", "--draws", "50"],
    &["sensitivity", "flat", "--draws", "50", "--no-charts"],
    &["list"],
    &["run", "flat", "--draws", "50", "--no-charts"],
    &["compare", "flat", "flat", "--draws", "50", "--no-charts"],
    &["explain", "flat", "target.volume"],
    &["check"],
    &["show", "flat"],
    &["diff", "flat", "flat"],
    &["history"],
    &["validate"],
    &[
        "seek",
        "flat",
        "--param",
        "programmes.x.peak",
        "--target",
        "560000",
    ],
    // The manifest the `run` above wrote.
    &["rerun", "output/flat/manifest.json"],
    // `new` prints too; each test passes its own name as one more argument.
    &["new"],
];

/// The arguments, `new` given a name that `tag` keeps apart from other tests' runs.
fn args_of<'a>(args: &[&'a str], tag: &'a str) -> Vec<&'a str> {
    let mut args = args.to_vec();
    if args == ["new"] {
        args.push(tag);
    }
    args
}

fn project() -> Project {
    Project::new().scenario("flat", FLAT)
}

/// A pipe whose reading end is already closed: every write to it fails with a broken pipe,
/// whatever the timing (unlike `| head -c1`, which may still be reading).
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer
}

fn ukprod(p: &Project, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("ukprod"));
    cmd.current_dir(p.dir.path()).args(args);
    cmd
}

fn output(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null()).output().expect("ukprod runs")
}

#[test]
fn a_closed_stdout_pipe_is_a_quiet_exit_0() {
    let p = project();
    for args in PRINTING {
        let args = args_of(args, "piped");
        let out = output(ukprod(&p, &args).stdout(closed_pipe()));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("standard output"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn report_piped_into_head_exits_quietly() {
    // The review's own reproduction, through a shell: head reads one byte and leaves.
    let p = project();
    let bin = assert_cmd::cargo::cargo_bin("ukprod");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' report flat --draws 50 | head -c1 >/dev/null",
            bin.display()
        ))
        .current_dir(p.dir.path())
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_stdout_is_an_error_naming_stdout() {
    let p = project();
    for args in PRINTING {
        let args = args_of(args, "full");
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let out = output(ukprod(&p, &args).stdout(full));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "error: cannot write to standard output: No space left on device\n",
            "{args:?}"
        );
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
}

#[test]
fn a_closed_stderr_never_panics() {
    // Many errors (every history year unreadable) and warnings, with stderr closed: the exit
    // status still says what happened (1), never 101 (a panic).
    let mut history = String::from("year,cars,commercial_vehicles,total,source\n");
    for year in 1990..2026 {
        history.push_str(&format!("{year}x,1,1,2,Fixture\n"));
    }
    let p = project().data("history.csv", &history);
    let out = output(
        ukprod(&p, &["validate"])
            .stdout(closed_pipe())
            .stderr(closed_pipe()),
    );
    assert_eq!(out.status.code(), Some(1));
    let out = output(ukprod(&p, &["validate"]).stderr(closed_pipe()));
    assert_eq!(out.status.code(), Some(1));
    // A note on stderr (here: --out means nothing to `list`) with stderr closed.
    let p = project();
    let out = output(ukprod(&p, &["list", "--out", "x"]).stderr(closed_pipe()));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "flat  flat\n");
}

/// Hostile strings in every place a scenario string reaches report.md.
const EVIL: &str = r#"description = "![pixel](http://evil.example/d.png) [l](javascript:alert(1)) <img src=x onerror=alert(1)> # end"
[horizon]
end_year = 2030
[target]
volume = 800000
year = 2030
[new_plants.np]
name = "![np](http://evil.example/np.png)"
operator = "[op]: http://evil.example/"
segment = "car"
capacity = 50000
opens = 2027
[programmes.p]
plant = "np"
maker = "[m][op]"
start = 2027
peak = 10000
"#;

/// The byte offsets of `[` and `]` in a line that no backslash escapes.
fn live_brackets(line: &str) -> Vec<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .filter(|&i| matches!(bytes[i], b'[' | b']'))
        .filter(|&i| {
            let slashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
            slashes % 2 == 0
        })
        .collect()
}

#[test]
fn hostile_strings_make_no_live_markdown_and_the_provenance_fence_holds() {
    let p = project().scenario("evil", EVIL);
    let set = "new_plants.np.name=x\n```\n<script>alert(\"fence\")</script>\n``` ![f](http://evil.example/f.png)\r";
    p.cmd(&["report", "evil", "--set", set]).assert().success();
    let dir = std::fs::read_dir(p.path("output"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|d| d.join("report.md").exists())
        .expect("a report folder");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(!md.contains('\r'), "{md}");

    // The provenance block: a fence longer than the three backticks the --set value holds,
    // closed only after the last line of the provenance.
    let lines: Vec<&str> = md.lines().collect();
    let open = lines
        .iter()
        .position(|l| l.starts_with("```"))
        .expect("a code block");
    assert_eq!(lines[open], "````", "{md}");
    let close = open
        + 1
        + lines[open + 1..]
            .iter()
            .position(|l| l.starts_with("````"))
            .expect("closed");
    assert_eq!(lines[close], "````");
    let inside = lines[open + 1..close].join("\n");
    assert!(
        inside.contains(
            "\n```\n<script>alert(\"fence\")</script>\n``` ![f](http://evil.example/f.png)\n"
        ),
        "{inside}"
    );
    assert!(lines[close - 1].starts_with("scenario evil+"), "{inside}");
    assert!(
        lines[close + 1..].iter().all(|l| l.trim().is_empty()),
        "{md}"
    );

    // Outside it: the only live brackets are the charts' images, each of a PNG beside it;
    // every hostile bracket is escaped, and no tag can open.
    for line in lines[..open].iter().chain(&lines[close + 1..]) {
        let live = live_brackets(line);
        if line.starts_with("![") && line.ends_with(".png)") {
            let png = &line[line.rfind("](").unwrap() + 2..line.len() - 1];
            assert!(dir.join(png).exists(), "{line}");
            assert_eq!(live.len(), 2, "{line}");
            assert!(!line.contains("evil.example"), "{line}");
        } else {
            assert_eq!(live, Vec::<usize>::new(), "live bracket in: {line}");
        }
        assert!(
            !line.contains(" <script") && !line.contains(" <img"),
            "{line}"
        );
    }
    for escaped in [
        "\\!\\[pixel\\](http://evil.example/d.png) \\[l\\](javascript:alert(1)) \\<img src=x onerror=alert(1)> \\# end",
        "\\[op\\]: http://evil.example/",
        "\\[m\\]\\[op\\]",
        "\\!\\[f\\](http://evil.example/f.png)",
    ] {
        assert!(md.contains(escaped), "{escaped} not in:\n{md}");
    }
}

#[test]
fn csv_text_that_a_spreadsheet_would_run_is_quoted_and_numbers_stay_numbers() {
    let toml = FLAT.replace(
        "[programmes.x]\n",
        "[new_plants.np]\nname = \"-np\"\noperator = \"@SUM(1+1)*cmd|' /C calc'!A0\"\nsegment = \"car\"\ncapacity = 50000\nopens = 2027\n[programmes.y]\nplant = \"np\"\nmaker = \"=HYPERLINK(\\\"x\\\")\"\nlabel = \"+label\"\nstart = 2027\npeak = 10000\n[programmes.x]\n",
    );
    let p = Project::new().scenario("flat", &toml);
    p.cmd(&["run", "flat", "--draws", "0", "--no-charts"])
        .assert()
        .success();
    let components = csv_rows(&p.read("output/flat/components.csv"));
    let y = components
        .iter()
        .find(|r| r[0] == "2030" && r[1] == "np")
        .expect("the new plant's programme in 2030");
    assert_eq!(y[3], "'=HYPERLINK(\"x\")");
    assert_eq!(y[4], "10000");
    let plants = csv_rows(&p.read("output/flat/plants.csv"));
    let np = plants
        .iter()
        .find(|r| r[0] == "2030" && r[1] == "np")
        .expect("the new plant in 2030");
    assert_eq!(np[2], "'-np");
    assert_eq!(np[3], "'@SUM(1+1)*cmd|' /C calc'!A0");
    // A negative number is a number: the gap to the 800,000 target.
    let national = csv_rows(&p.read("output/flat/national.csv"));
    let gap = &national.last().expect("rows")[6];
    assert!(gap.starts_with('-'), "{gap}");
    assert!(gap.parse::<f64>().is_ok_and(|g| g < 0.0), "{gap}");
}
