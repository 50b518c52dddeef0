//! Powertrain, batteries and jobs (issue 12), through the binary, with numbers worked out by
//! hand from the fixture below.
//!
//! Fixture (base year 2025; see common.rs): alpha builds 200,000 cars (20,000 BEV, 80,000 HEV,
//! 100,000 ICE), beta 100,000 ICE cars, gamma 40,000 BEV vans; the residuals 200,000 ICE cars
//! and 10,000 ICE vans. SMMT's electrified cars: 100,000. Batteries: car BEV 50 kWh, PHEV 20,
//! HEV 1; van BEV 100, PHEV 30, HEV 1. One cell plant: 2 GWh from 2020, 10 GWh from 2028.
//! Headcounts: alpha 2,000 (2025), gamma 500 (2024).

use crate::common::{Project, csv_rows};

const POWERTRAIN: &str = "plant_id,year,bev,phev,hev,ice,kind,source
alpha,2025,20000,0,80000,100000,estimate,Estimate: fixture
beta,2025,0,0,0,100000,derived,Fixture
gamma,2025,40000,0,0,0,derived,Fixture
other-car,2025,0,0,0,200000,estimate,Estimate: fixture
other-cv,2025,0,0,0,10000,estimate,Estimate: fixture
";
const ELECTRIFIED: &str = "year,segment,bev,phev,hev,electrified,kind,source
2025,car,,,,100000,published,Fixture
";
const SIZES: &str = "scope,powertrain,kwh,kind,source
car,BEV,50,estimate,Estimate: fixture
car,PHEV,20,estimate,Estimate: fixture
car,HEV,1,estimate,Estimate: fixture
cv,BEV,100,estimate,Estimate: fixture
cv,PHEV,30,estimate,Estimate: fixture
cv,HEV,1,estimate,Estimate: fixture
";
const CELL_PLANTS: &str = "id,name,operator,site,status,source
cellco,CellCo One,CellCo,Northtown,operating,Fixture
";
const CELL_CAPACITY: &str = "plant_id,year,gwh,kind,source
cellco,2020,2,published,Fixture
cellco,2028,10,estimate,Estimate: fixture
";
const EMPLOYMENT: &str = "plant_id,year,employees,kind,source
alpha,2025,2000,published,Fixture
gamma,2024,500,published,Fixture
national,2025,100000,published,Fixture
";

/// A programme at alpha from 2026, ramping linearly over 3 years to 30,000: half BEV at
/// 60 kWh, half PHEV at 20 kWh, 900 jobs at peak.
const EV: &str = "description = \"ev\"
[horizon]
end_year = 2030
[programmes.ev]
plant = \"alpha\"
start = 2026
peak = 30000
powertrain = { BEV = 0.5, PHEV = 0.5 }
battery_kwh = { BEV = 60, PHEV = 20 }
jobs = 900
";

fn project() -> Project {
    Project::new()
        .data("powertrain.csv", POWERTRAIN)
        .data("electrified.csv", ELECTRIFIED)
        .data("battery_sizes.csv", SIZES)
        .data("battery_plants.csv", CELL_PLANTS)
        .data("battery_capacity.csv", CELL_CAPACITY)
        .data("employment.csv", EMPLOYMENT)
}

/// The row of a CSV whose first cells are `key`.
fn row(text: &str, key: &[&str]) -> Vec<String> {
    csv_rows(text)
        .into_iter()
        .find(|r| r.iter().zip(key).all(|(a, b)| a == b))
        .unwrap_or_else(|| panic!("no row {key:?} in:\n{text}"))
}

fn number(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("not a number: {cell:?}"))
}

#[test]
fn the_base_year_reproduces_the_data_split_and_smmts_electrified_total() {
    let p = project().scenario("ev", EV);
    p.stdout(&["run", "ev"]);
    let table = p.read("output/ev/powertrain.csv");
    // Cars: 20,000 BEV, 80,000 HEV, 100,000 + 100,000 + 200,000 ICE; 100,000 of 500,000
    // electrified (SMMT's figure), 4% zero-emission.
    assert_eq!(
        row(&table, &["2025", "actual", "car"]),
        [
            "2025", "actual", "car", "20000", "0", "80000", "400000", "500000", "0.2000", "0.0400"
        ]
    );
    // All vehicles: 60,000 BEV of 550,000; 140,000 electrified = 25.45%.
    assert_eq!(
        row(&table, &["2025", "actual", "all"])[3..],
        [
            "60000", "0", "80000", "410000", "550000", "0.2545", "0.1091"
        ]
    );
}

#[test]
fn a_programmes_mix_battery_and_jobs_follow_its_ramp() {
    let p = project().scenario("ev", EV);
    p.stdout(&["run", "ev"]);
    // 2026: a third of the peak, 10,000: 5,000 BEV and 5,000 PHEV on top of alpha's split.
    let cars = row(
        &p.read("output/ev/powertrain.csv"),
        &["2026", "projected", "car"],
    );
    assert_eq!(cars[3..8], ["25000", "5000", "80000", "400000", "510000"]);
    // Demand: alpha's existing 200,000 x (0.1 x 50 + 0.4 x 1) = 1.08 GWh; the programme's
    // 10,000 x (0.5 x 60 + 0.5 x 20) = 0.40 GWh; gamma's 40,000 x 100 = 4.00 GWh: 5.48 GWh
    // against 2 GWh of cells, 3.48 short. In 2028 the programme is at 30,000 (1.20 GWh) and
    // the cell plant at 10 GWh: 6.28 GWh, covered.
    let batteries = p.read("output/ev/batteries.csv");
    assert_eq!(
        row(&batteries, &["2026"]),
        ["2026", "projected", "5.48", "2.00", "3.48"]
    );
    assert_eq!(
        row(&batteries, &["2028"]),
        ["2028", "projected", "6.28", "10.00", "0.00"]
    );
    // The base year: 1.08 + 4.00 = 5.08 GWh, an estimate (typical pack sizes).
    assert_eq!(
        row(&batteries, &["2025"]),
        ["2025", "estimate", "5.08", "2.00", "3.08"]
    );
    // Jobs: alpha's 2,000 held, plus 900 x 10,000 / 30,000 = 300 in 2026, 900 from 2028.
    let jobs = p.read("output/ev/jobs.csv");
    assert_eq!(
        row(&jobs, &["2026", "projected", "alpha"])[4..7],
        ["2000", "300", "2300"]
    );
    assert_eq!(
        row(&jobs, &["2028", "projected", "alpha"])[4..7],
        ["2000", "900", "2900"]
    );
    // gamma's 2024 figure is held; the national sum counts both plants.
    assert_eq!(
        row(&jobs, &["2025", "actual", "gamma"])[6..],
        ["500", "2024"]
    );
    assert_eq!(row(&jobs, &["2028", "projected", "all"])[6], "3400");
}

#[test]
fn a_plants_mix_moves_along_its_waypoints() {
    let p = project().scenario(
        "mix",
        "description = \"m\"\n[horizon]\nend_year = 2030\n[plants.beta]\npowertrain = { 2030 = \"BEV\" }\n",
    );
    p.stdout(&["run", "mix"]);
    // Beta goes from all ICE in 2025 to all BEV in 2030: three fifths of the way in 2028,
    // 60,000 of its 100,000; alpha's 20,000 BEV are unchanged.
    let cars = row(
        &p.read("output/mix/powertrain.csv"),
        &["2028", "projected", "car"],
    );
    assert_eq!(cars[3..7], ["80000", "0", "80000", "340000"]);
}

#[test]
fn existing_jobs_are_held_until_closure_or_follow_output_by_rule() {
    let held = project().scenario(
        "close",
        "description = \"c\"\n[horizon]\nend_year = 2030\n[plants.gamma]\ncloses = 2028\n[plants.alpha]\noutput = { 2030 = 100000 }\n",
    );
    held.stdout(&["run", "close"]);
    let jobs = held.read("output/close/jobs.csv");
    assert_eq!(row(&jobs, &["2027", "projected", "gamma"])[6], "500");
    assert_eq!(row(&jobs, &["2028", "projected", "gamma"])[6], "0");
    // Held: alpha keeps 2,000 while its output halves.
    assert_eq!(row(&jobs, &["2030", "projected", "alpha"])[6], "2000");
    let follow = project().scenario(
        "follow",
        "description = \"f\"\n[horizon]\nend_year = 2030\n[assumptions]\nexisting_jobs = \"follow-output\"\n[plants.alpha]\noutput = { 2030 = 100000 }\n",
    );
    follow.stdout(&["run", "follow"]);
    // Following output: 2,000 x 100,000 / 200,000 = 1,000 in 2030; 2,000 x 140,000 / 200,000
    // = 1,400 in 2028 (output falls by 20,000 a year from 2025).
    let jobs = follow.read("output/follow/jobs.csv");
    assert_eq!(row(&jobs, &["2030", "projected", "alpha"])[6], "1000");
    assert_eq!(row(&jobs, &["2028", "projected", "alpha"])[6], "1400");
}

#[test]
fn a_scenario_can_move_a_cell_plant_and_add_one() {
    let p = project().scenario(
        "cells",
        "description = \"c\"\n[horizon]\nend_year = 2030\n[battery_plants.cellco]\ncapacity = { 2020 = 2, 2030 = 10 }\n[battery_plants.newcell]\nname = \"New Cells\"\noperator = \"NewCo\"\ncapacity = { 2029 = 5 }\n",
    );
    p.stdout(&["run", "cells"]);
    let batteries = p.read("output/cells/batteries.csv");
    // Cellco's 10 GWh two years later; the new plant's 5 GWh from 2029.
    assert_eq!(row(&batteries, &["2028"])[3], "2.00");
    assert_eq!(row(&batteries, &["2029"])[3], "7.00");
    assert_eq!(row(&batteries, &["2030"])[3], "15.00");
}

#[test]
fn checks_bound_the_electrified_share_the_shortfall_and_jobs() {
    let checks = "[[checks]]
year = 2028
electrified_share = { min = 0.25, max = 0.27 }
battery_shortfall_gwh = { max = 0 }
jobs = { min = 3400, max = 3400 }
";
    // 2028: 140,000 + 30,000 electrified of 580,000 = 29.3%: the share check fails; no
    // shortfall; 2,900 + 500 = 3,400 jobs.
    let p = project().scenario("ev", &format!("{EV}{checks}"));
    let err = p.fails(&["check", "ev"]);
    assert!(err.contains("1 of 3 checks failed"), "{err}");
    let out =
        String::from_utf8(p.cmd(&["check", "ev"]).output().expect("runs").stdout).expect("utf-8");
    assert!(
        out.contains(
            "electrified share of output (projected) between 25.0% and 27.0%: FAILED (29.3%)"
        ),
        "{out}"
    );
    assert!(
        out.contains("battery shortfall (projected) at most 0.00 GWh: passed (0.00 GWh)"),
        "{out}"
    );
    assert!(
        out.contains("direct jobs (projected) between 3,400 and 3,400: passed (3,400)"),
        "{out}"
    );
}

#[test]
fn ranges_of_jobs_and_battery_sizes_are_drawn() {
    // Triangular means: jobs (600 + 900 + 1,200) / 3 = 900; BEV pack (40 + 50 + 90) / 3 = 60.
    let toml = EV
        .replace(
            "jobs = 900",
            "jobs = { low = 600, mode = 900, high = 1200 }",
        )
        .replace(
            "battery_kwh = { BEV = 60, PHEV = 20 }",
            "battery_kwh = { BEV = { low = 40, mode = 50, high = 90 }, PHEV = 20 }",
        );
    let p = project().scenario("ev", &toml);
    p.stdout(&["run", "ev", "--draws", "20000"]);
    // 2028: alpha 1.08 + programme 15,000 x 60 + 15,000 x 20 = 1.20 + gamma 4.00 = 6.28 GWh
    // expected (the modal pack, 50 kWh, would give 6.13).
    let demand = number(&row(&p.read("output/ev/batteries.csv"), &["2028"])[2]);
    let by_hand = 1.08 + (15_000.0 * 60.0 + 15_000.0 * 20.0) / 1e6 + 4.0;
    assert!((demand - by_hand).abs() < 0.02, "{demand}");
    let jobs = number(
        &row(
            &p.read("output/ev/jobs.csv"),
            &["2028", "expected", "alpha"],
        )[5],
    );
    assert!((jobs - 900.0).abs() < 5.0, "{jobs}");
    // Cells: short in every draw of 2026 (2 GWh against 5.4 or more), covered in every draw
    // of 2028 (10 GWh against at most 6.9).
    let mc = p.read("output/ev/powertrain_mc.csv");
    assert_eq!(row(&mc, &["2026"])[9], "0.0000");
    assert_eq!(row(&mc, &["2028"])[9], "1.0000");
}

fn bad(toml: &str) -> String {
    let p = project().scenario("bad", toml);
    let err = p.fails(&["run", "bad"]);
    assert!(!p.path("output/bad").exists(), "nothing is written");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn assert_has(err: &str, parts: &[&str]) {
    for part in parts {
        assert!(err.contains(part), "expected {part:?} in:\n{err}");
    }
}

const HEAD: &str = "description = \"bad\"\n[horizon]\nend_year = 2030\n[programmes.ev]\nplant = \"alpha\"\nstart = 2026\npeak = 30000\n";

#[test]
fn a_mix_that_does_not_add_up_to_one_is_refused() {
    let err = bad(&format!("{HEAD}powertrain = {{ BEV = 0.5, PHEV = 0.4 }}\n"));
    assert_has(&err, &["the shares add up to 0.9, not 1", "bad.toml:8:14"]);
}

#[test]
fn an_unknown_powertrain_gets_a_did_you_mean() {
    let err = bad(&format!("{HEAD}powertrain = \"BVE\"\n"));
    assert_has(
        &err,
        &[
            "unknown powertrain `BVE`",
            "bad.toml:8:14",
            "did you mean `BEV`?",
        ],
    );
    let err = bad(&format!("{HEAD}powertrain = {{ PHEB = 1 }}\n"));
    assert_has(
        &err,
        &[
            "unknown powertrain `PHEB`",
            "bad.toml:8:16",
            "did you mean `PHEV`?",
        ],
    );
}

#[test]
fn negative_kwh_and_jobs_are_refused() {
    let err = bad(&format!("{HEAD}powertrain = \"BEV\"\nbattery_kwh = -50\n"));
    assert_has(&err, &["battery size above 0", "-50", "bad.toml:9:15"]);
    let err = bad(&format!("{HEAD}jobs = -10\n"));
    assert_has(&err, &["number of jobs from 0", "-10", "bad.toml:8:8"]);
}

#[test]
fn a_new_cell_plant_needs_a_capacity_path() {
    let err =
        bad("description = \"bad\"\n[battery_plants.newcell]\nname = \"N\"\noperator = \"O\"\n");
    assert_has(
        &err,
        &[
            "battery plant `newcell` has no capacity path",
            "bad.toml:2:",
        ],
    );
    let err = bad("description = \"bad\"\n[battery_plants.celco]\ncapacity = { 2030 = 5 }\n");
    assert_has(&err, &["`battery_plants.celco` needs `name`"]);
}

#[test]
fn a_mix_on_a_plant_with_no_base_output_is_refused() {
    let p = project()
        .data(
            "plants.csv",
            "id,name,operator,location,segment,capacity,source\nalpha,Alpha Works,Alpha,Northtown,car,300000,Fixture\nbeta,Beta Works,Beta,Southtown,car,100000,Fixture\ngamma,Gamma Vans,Gamma,Westtown,cv,60000,Fixture\ndelta,Delta Works,Delta,Easttown,car,50000,Fixture\n",
        )
        .data(
            "plant_output.csv",
            "plant_id,year,output,source\nalpha,2024,210000,Fixture\nalpha,2025,200000,Fixture\nbeta,2025,100000,Fixture\ngamma,2025,40000,Fixture\ndelta,2024,5000,Fixture\ndelta,2025,0,Fixture\n",
        )
        .data(
            "powertrain.csv",
            &format!("{POWERTRAIN}delta,2025,0,0,0,0,derived,Fixture\n"),
        )
        .scenario(
            "bad",
            "description = \"bad\"\n[plants.delta]\npowertrain = { 2030 = \"BEV\" }\n",
        );
    let err = p.fails(&["run", "bad"]);
    assert_has(
        &err,
        &["plant `delta` has no base-year output", "bad.toml:3:1"],
    );
}

#[test]
fn a_data_split_that_misses_smmts_total_is_refused_at_its_file() {
    let p = project().data(
        "powertrain.csv",
        &POWERTRAIN.replace(
            "alpha,2025,20000,0,80000,100000",
            "alpha,2025,20000,0,70000,110000",
        ),
    );
    let err = p.scenario("ev", EV).fails(&["run", "ev"]);
    assert_has(
        &err,
        &[
            "the car rows add up to 90000 electrified vehicles in 2025",
            "SMMT's 100000",
            "powertrain.csv",
        ],
    );
    let p = project().data(
        "powertrain.csv",
        &POWERTRAIN.replace("beta,2025,0,0,0,100000", "beta,2025,0,0,0,90000"),
    );
    let err = p.scenario("ev", EV).fails(&["run", "ev"]);
    assert_has(
        &err,
        &["is not `beta`'s 2025 output of 100000", "powertrain.csv:3"],
    );
}

#[test]
fn a_childs_mix_replaces_its_parents_whole() {
    // Merged share by share, { BEV = 0.5, PHEV = 0.5 } under { HEV = 1 } would add up to 2.
    let p = project().scenario("ev", EV).scenario(
        "kid",
        "extends = \"ev\"\n[programmes.ev]\npowertrain = { HEV = 1 }\nbattery_kwh = { HEV = 2 }\n",
    );
    p.stdout(&["run", "kid"]);
    // 2026: the programme's 10,000 are all hybrids; its battery sizes merged (HEV 2 kWh).
    let cars = row(
        &p.read("output/kid/powertrain.csv"),
        &["2026", "projected", "car"],
    );
    assert_eq!(cars[3..7], ["20000", "0", "90000", "400000"]);
    // 1.08 + 10,000 x 2 kWh = 0.02 + 4.00 = 5.10 GWh.
    assert_eq!(
        row(&p.read("output/kid/batteries.csv"), &["2026"])[2],
        "5.10"
    );
}
