//! The file `ukprod new` writes: a description to fill in and every section, commented out.

/// The text of a new scenario file.
pub fn template(name: &str, parent: Option<&str>) -> String {
    let extends = match parent {
        Some(parent) => {
            format!("extends = \"{parent}\"          # merged under this file, key by key\n")
        }
        None => "# extends = \"baseline\"      # a scenario to merge under this one\n".to_string(),
    };
    // A what-if is not bound by its parent's claims: a child starts with no [[checks]].
    let checks = match parent {
        Some(parent) => format!(
            "\n# The [[checks]] of `{parent}` state what `{parent}` is meant to show. A what-if is\n\
             # not bound by them, so this empty list drops them. To state this scenario's own\n\
             # claims, delete this line and write [[checks]] at the end of the file.\n\
             checks = []\n"
        ),
        None => String::new(),
    };
    // The parent's title, headline and colour describe the parent: nothing to copy.
    let own = match parent {
        Some(parent) => format!(
            "# A scenario describes itself: the title, headline and colour of `{parent}` are not\n\
             # inherited, so charts call this one `{name}` until it has a title of its own.\n"
        ),
        None => format!("# Charts call this scenario `{name}` until it has a title.\n"),
    };
    format!(
        r##"# Scenario `{name}`. Every section below is optional; uncomment what you need.
# Put the source or the argument for every number next to it, as the shipped scenarios do.
{extends}
description = "Say what {name} assumes and why, with sources"
{own}# title = "Short name for charts"   # at most 48 characters, to fit one chart line
# headline = "One plain sentence of what it assumes, for chart subtitles (at most 120 characters)."
# colour = "#6688aa"              # its colour in comparisons: one no other scenario uses
{checks}
# [horizon]
# end_year = 2035                 # last projected year

# [target]
# volume = 1300000                # vehicles a year
# year = 2035

# [assumptions]
# utilisation_cap = 0.9           # output never exceeds capacity x this
# other_growth = 0.0              # annual growth of "other UK manufacturers"

# [plants.jlr-halewood]           # change a plant in data/plants.csv
# capacity = 300000
# utilisation_cap = 0.85
# output = {{ 2027 = 90000, 2030 = 120000 }}   # waypoints for existing production
# growth = -0.03                  # or constant annual growth (not both)
# closes = 2031                   # first year with no output

# [new_plants.chery-greenfield]   # a plant not in the data
# name = "Chery UK plant"
# label = "Chery greenfield"      # what charts call it (default: its name)
# operator = "Chery"
# segment = "car"                 # car or cv
# capacity = 150000
# opens = 2030
# probability = 0.5               # chance it is built: makes the run a Monte Carlo run

# [programmes.chery-halewood]     # a new production programme
# plant = "jlr-halewood"
# maker = "Chery"
# start = 2028
# peak = 55000                    # annual volume once ramped up
# peak = {{ low = 30000, mode = 55000, high = 150000 }}   # or a range, as any number may be:
#                                 # uncommented, it makes every run of this scenario a Monte
#                                 # Carlo run of 10,000 draws (--draws 0 for none)
# ramp_years = 3
# curve = "linear"                # or "s-curve"
# ends = 2040
# enabled = true
# probability = 0.5               # chance it happens: makes the run a Monte Carlo run
# label = "Chery at Halewood"     # what charts call it (default: its id)
# powertrain = {{ PHEV = 0.6, BEV = 0.2, ICE = 0.2 }}   # or one kind: "BEV"; shares add up to 1
# battery_kwh = {{ BEV = 61, PHEV = 18.3 }}   # kWh per vehicle (default: data/battery_sizes.csv)
# jobs = 800                      # direct jobs at peak, ramping with the programme

# [battery_plants.agratas-somerset]   # a UK cell plant: a new path of GWh a year from each year
# capacity = {{ 2030 = 20, 2033 = 40 }}

# [[shocks]]
# year = 2026
# plant = "jlr-solihull"          # or maker = "JLR"; neither = everything
# lost_weeks = 5
# label = "Solihull stoppage"     # what charts call it

# [makers.Chery]                  # how a maker is drawn; labels and maker colours are inherited
# colour = "#aa4499"              # "#rrggbb"; default: the maker's colour on every chart

# [[checks]]                      # what this scenario is meant to show; `ukprod check` tests it
#                                 # (a scenario with `checks = []` above must drop that line first)
# year = 2035
# total = {{ min = 1300000 }}          # with ranges: the expected value (mean of the draws)
# makers = {{ Chery = {{ min = 100000 }} }}
# statistic = "p10"               # optional: test a percentile of the total instead
# chance_of_target = {{ min = 0.25 }}  # optional: the share of draws on the target path
# electrified_share = {{ min = 0.5 }}  # optional: BEV + PHEV + HEV share of all output, 0 to 1
# battery_shortfall_gwh = {{ max = 0 }}   # optional: demand UK cells cannot meet
# jobs = {{ min = 38000 }}             # optional: direct jobs at the plants counted
"##
    )
}
