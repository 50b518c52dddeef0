//! The report's "Powertrain, batteries and jobs" part on the shipped data: figures that match
//! powertrain.csv, batteries.csv and jobs.csv to the digit and say what they are, one of them
//! worked out by hand, and the ZEV mandate given as a reference on sales only.

use crate::common::csv_rows;
use crate::industry_charts::shipped_project;

/// The share a table prints (a fraction to four decimals) as the report writes it.
fn pct(cell: &str) -> String {
    format!("{:.2}%", cell.parse::<f64>().expect("a share") * 100.0)
}

/// A count a table prints as the report writes it: "39070" -> "39,070".
fn thousands(cell: &str) -> String {
    ukprod::number::thousands(cell.parse::<f64>().expect("a count"))
}

/// The row of a table whose first cells are `keys`.
fn row<'a>(rows: &'a [Vec<String>], keys: &[&str]) -> &'a [String] {
    crate::common::row(rows, keys)
}

#[test]
fn report_gives_the_2025_electrified_share_of_cars_worked_out_by_hand() {
    // SMMT: 298,813 of the 717,371 cars built in 2025 were electrified (data/electrified.csv,
    // data/history.csv): 298,813 / 717,371 = 0.416537..., 41.65%.
    let p = shipped_project();
    p.cmd(&["report", "baseline"]).assert().success();
    let md = p.read("output/report-baseline/report.md");
    assert!(md.contains("### Powertrain, batteries and jobs"), "{md}");
    assert!(md.contains("of cars, 41.65%: 298,813 of 717,371"), "{md}");
    // The mandate is a reference on sales, with its 2030 share.
    assert!(
        md.contains("the ZEV mandate requires 80% of each maker's new car SALES in 2030"),
        "{md}"
    );
    assert!(md.contains("not what UK plants build"), "{md}");
}

#[test]
fn report_figures_match_the_tables_and_say_what_they_are() {
    let p = shipped_project();
    for (name, basis) in [
        ("chery-halewood", "projected"),
        (
            "chery-halewood-uncertain",
            "expected, the mean of 500 draws",
        ),
    ] {
        p.cmd(&["run", name, "--draws", "500"]).assert().success();
        p.cmd(&["report", name, "--draws", "500"])
            .assert()
            .success();
        let md = p.read(&format!("output/report-{name}/report.md"));
        let dir = format!("output/{name}");
        let end = "2035";

        let powertrain = csv_rows(&p.read(&format!("{dir}/powertrain.csv")));
        let all = row(&powertrain, &[end, basis.split(',').next().unwrap(), "all"]);
        let cars = row(&powertrain, &[end, basis.split(',').next().unwrap(), "car"]);
        let expected = format!(
            "{} of the {} built in {end} ({basis}; of cars, {})",
            pct(&all[8]),
            thousands(&all[7]),
            pct(&cars[8])
        );
        assert!(md.contains(&expected), "{name}: no `{expected}` in\n{md}");
        let bev = format!("{} in {end}.", pct(&cars[9]));
        assert!(md.contains(&bev), "{name}: no `{bev}`");

        let batteries = csv_rows(&p.read(&format!("{dir}/batteries.csv")));
        let b = row(&batteries, &[end]);
        let cells = format!(
            "In {end} ({basis}), the vehicles built in the UK carry {} GWh of battery cells, \
             against {} GWh a year of UK cell capacity",
            b[2], b[3]
        );
        assert!(md.contains(&cells), "{name}: no `{cells}` in\n{md}");
        let first = row(&batteries, &["2025"]);
        assert_eq!(first[1], "estimate");
        let base = format!(
            "In 2025 (estimate): {} GWh against {} GWh, a shortfall of {} GWh.",
            first[2], first[3], first[4]
        );
        assert!(md.contains(&base), "{name}: no `{base}`");

        let jobs = csv_rows(&p.read(&format!("{dir}/jobs.csv")));
        let (j0, j1) = (
            row(&jobs, &["2025", "actual", "all"]),
            row(&jobs, &[end, basis.split(',').next().unwrap(), "all"]),
        );
        let said = format!(
            "{} in 2025 (each plant's latest figure in the data) and {} in {end} ({basis})",
            thousands(&j0[6]),
            thousands(&j1[6])
        );
        assert!(md.contains(&said), "{name}: no `{said}` in\n{md}");
    }
}
