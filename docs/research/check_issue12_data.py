#!/usr/bin/env python3
"""Check the issue 12 data files (powertrain, electrified, employment, battery plants,
capacity and sizes, ZEV mandate) against each other and against data/plant_output.csv.

Run from anywhere: python3 docs/research/check_issue12_data.py [DATA_DIR]
Exits 1 and lists every failure if any check fails.
"""
import csv
import sys
from pathlib import Path

BASE_YEAR = 2025
SMMT_ELECTRIFIED_2025 = 298_813  # SMMT, 29 Jan 2026
SMMT_CARS_2025 = 717_371
SMMT_CVS_2025 = 47_344
KINDS = {"published", "derived", "estimate"}
STATUSES = {"operating", "under-construction", "announced", "cancelled"}
POWERTRAINS = ("BEV", "PHEV", "HEV")

data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "data"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
    return ok


def rows(name):
    with open(data / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_kind_and_source(name, r, label):
    check(r["kind"] in KINDS, f"{name} {label}: kind {r['kind']!r}")
    check(r["source"].strip() != "", f"{name} {label}: no source")
    if r["kind"] == "estimate":
        check(r["source"].startswith("Estimate"), f"{name} {label}: estimate whose source does not start 'Estimate'")


plants = {r["id"]: r for r in rows("plants.csv")}
history = {int(r["year"]): r for r in rows("history.csv")}
output = {r["plant_id"]: int(r["output"]) for r in rows("plant_output.csv") if int(r["year"]) == BASE_YEAR}

# National totals: history.csv must agree with the figures this check was written for.
cars = int(history[BASE_YEAR]["cars"])
cvs = int(history[BASE_YEAR]["commercial_vehicles"])
check(cars == SMMT_CARS_2025, f"history.csv {BASE_YEAR} cars {cars} != {SMMT_CARS_2025}")
check(cvs == SMMT_CVS_2025, f"history.csv {BASE_YEAR} CVs {cvs} != {SMMT_CVS_2025}")

car_plants = [p for p in output if plants[p]["segment"] == "car"]
cv_plants = [p for p in output if plants[p]["segment"] == "cv"]
residual = {
    "other-car": cars - sum(output[p] for p in car_plants),
    "other-cv": cvs - sum(output[p] for p in cv_plants),
}
print(f"car plants {len(car_plants)}, built {sum(output[p] for p in car_plants):,}; other-car {residual['other-car']:,}")
print(f"CV plants {len(cv_plants)}, built {sum(output[p] for p in cv_plants):,}; other-cv {residual['other-cv']:,}")
check(residual["other-car"] == 4_633, f"other-car residual {residual['other-car']} != 4,633")

# electrified.csv
electrified = {}
for r in rows("electrified.csv"):
    label = f"{r['year']} {r['segment']}"
    check_kind_and_source("electrified.csv", r, label)
    parts = [r[k] for k in ("bev", "phev", "hev")]
    if all(parts):
        check(sum(map(int, parts)) == int(r["electrified"]), f"electrified.csv {label}: bev+phev+hev != electrified")
    electrified[(int(r["year"]), r["segment"])] = int(r["electrified"])
check(electrified.get((BASE_YEAR, "car")) == SMMT_ELECTRIFIED_2025,
      f"electrified.csv {BASE_YEAR} car != {SMMT_ELECTRIFIED_2025}")

# powertrain.csv
pt = {}
for r in rows("powertrain.csv"):
    pid = r["plant_id"]
    check(pid not in pt, f"powertrain.csv: {pid} twice")
    check(int(r["year"]) == BASE_YEAR, f"powertrain.csv {pid}: year {r['year']}")
    check_kind_and_source("powertrain.csv", r, pid)
    v = {k: int(r[k]) for k in ("bev", "phev", "hev", "ice")}
    check(all(x >= 0 for x in v.values()), f"powertrain.csv {pid}: negative figure")
    pt[pid] = v
expected = set(output) | set(residual)
check(set(pt) == expected, f"powertrain.csv plants: missing {sorted(expected - set(pt))}, unknown {sorted(set(pt) - expected)}")
for pid, v in pt.items():
    target = output.get(pid, residual.get(pid))
    if target is not None:
        check(sum(v.values()) == target, f"powertrain.csv {pid}: sums to {sum(v.values())}, output {target}")
car_rows = car_plants + ["other-car"]
car_elec = sum(pt[p]["bev"] + pt[p]["phev"] + pt[p]["hev"] for p in car_rows if p in pt)
check(car_elec == SMMT_ELECTRIFIED_2025, f"car BEV+PHEV+HEV {car_elec} != {SMMT_ELECTRIFIED_2025}")
for seg, ids in (("car", car_rows), ("cv", cv_plants + ["other-cv"])):
    tot = {k: sum(pt[p][k] for p in ids if p in pt) for k in ("bev", "phev", "hev", "ice")}
    print(f"{seg}: " + ", ".join(f"{k} {x:,}" for k, x in tot.items()) + f"; electrified {tot['bev'] + tot['phev'] + tot['hev']:,}")
balancing = [r["plant_id"] for r in rows("powertrain.csv") if "BALANCING ITEM" in r["source"]]
check(len(balancing) == 1, f"powertrain.csv: {len(balancing)} rows name themselves the balancing item")

# employment.csv
seen = set()
for r in rows("employment.csv"):
    pid = r["plant_id"]
    check(pid in plants or pid == "national", f"employment.csv: unknown plant {pid}")
    check(pid not in seen, f"employment.csv: {pid} twice")
    seen.add(pid)
    check(int(r["employees"]) > 0, f"employment.csv {pid}: employees {r['employees']}")
    check_kind_and_source("employment.csv", r, pid)

# battery_plants.csv and battery_capacity.csv
cells = {}
for r in rows("battery_plants.csv"):
    check(r["id"] not in cells, f"battery_plants.csv: {r['id']} twice")
    check(r["status"] in STATUSES, f"battery_plants.csv {r['id']}: status {r['status']!r}")
    check(r["source"].strip() != "", f"battery_plants.csv {r['id']}: no source")
    cells[r["id"]] = r
last = {}
for r in rows("battery_capacity.csv"):
    pid, year = r["plant_id"], int(r["year"])
    check(pid in cells, f"battery_capacity.csv: unknown cell plant {pid}")
    check(year > last.get(pid, 0), f"battery_capacity.csv {pid}: years not ascending at {year}")
    last[pid] = year
    check(float(r["gwh"]) >= 0, f"battery_capacity.csv {pid} {year}: negative GWh")
    check_kind_and_source("battery_capacity.csv", r, f"{pid} {year}")
for pid in cells:
    check(pid in last, f"battery_capacity.csv: no row for {pid}")

# battery_sizes.csv
sizes = set()
for r in rows("battery_sizes.csv"):
    key = (r["scope"], r["powertrain"])
    check(r["scope"] in ("car", "cv") or r["scope"] in plants, f"battery_sizes.csv: unknown scope {r['scope']}")
    check(r["powertrain"] in POWERTRAINS, f"battery_sizes.csv {key}: powertrain {r['powertrain']!r}")
    check(key not in sizes, f"battery_sizes.csv: {key} twice")
    check(float(r["kwh"]) > 0, f"battery_sizes.csv {key}: kWh {r['kwh']}")
    check_kind_and_source("battery_sizes.csv", r, "/".join(key))
    sizes.add(key)
for seg in ("car", "cv"):
    for p in POWERTRAINS:
        check((seg, p) in sizes, f"battery_sizes.csv: no {seg} {p} row")

# zev_mandate.csv
prev = 0
for r in rows("zev_mandate.csv"):
    y = int(r["year"])
    check(y > prev, f"zev_mandate.csv: years not ascending at {y}")
    prev = y
    for k in ("cars", "vans"):
        check(0 <= float(r[k]) <= 1, f"zev_mandate.csv {y}: {k} {r[k]} not a fraction")
    check(r["source"].strip() != "", f"zev_mandate.csv {y}: no source")

if failures:
    print(f"\n{len(failures)} check(s) failed:")
    for f in failures:
        print(f"  - {f}")
    sys.exit(1)
print("\nall issue 12 data checks passed")
