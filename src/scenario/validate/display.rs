//! How a scenario presents itself on charts: its title, headline and colour, the labels of its
//! items and the colours of its makers. None of these changes a number, but each is checked and
//! located like any other value, so a chart never shows a blank name or an unreadable colour.

use std::collections::BTreeMap;

use super::*;
use crate::scenario::explain::Origin;

/// The target's dark crimson (`chart::style::TARGET`), which charts keep for the target, its
/// path and the gap: a declared colour this close to it would read as the target.
const TARGET_CRIMSON: (u8, u8, u8) = (178, 24, 43);

/// How far (straight-line distance in RGB) a declared colour must be from the target's.
const TARGET_DISTANCE: f64 = 64.0;

/// What a scenario shows readers besides its numbers.
#[derive(Debug, Default)]
pub(in crate::scenario) struct Presentation {
    /// What readers call it.
    pub title: Option<String>,
    /// One sentence for chart subtitles.
    pub headline: Option<String>,
    /// Its colour in comparisons, "#rrggbb" in lowercase.
    pub colour: Option<String>,
    /// Item labels by path without the field ("programmes.ID").
    pub labels: BTreeMap<String, String>,
    /// Makers' colours, "#rrggbb" in lowercase, by maker.
    pub maker_colours: BTreeMap<String, String>,
}

impl Checker<'_> {
    /// Check and collect the title, headline, colour, labels and maker colours; warn when the
    /// title or headline will not fit a chart, or a long description has no headline.
    pub(in crate::scenario) fn presentation(
        &mut self,
        name: &str,
        file: &ScenarioFile,
        makers: &[&str],
    ) -> Presentation {
        let title = self.one_line(&["title"], file.title.as_ref());
        let headline = self.one_line(&["headline"], file.headline.as_ref());
        let colour = self.colour(&["colour"], file.colour.as_ref());
        self.fits(
            &["title"],
            title.as_deref(),
            TITLE_MAX_CHARS,
            "one line of a chart",
        );
        self.fits(
            &["headline"],
            headline.as_deref(),
            HEADLINE_MAX_CHARS,
            "a chart's subtitle",
        );
        if headline.is_none() {
            self.wants_headline(name, file.description.as_deref().unwrap_or(""));
        }
        Presentation {
            title,
            headline,
            colour,
            labels: self.labels(file),
            maker_colours: self.maker_colours(file, makers),
        }
    }

    /// Labels of programmes, new plants and shocks, where given (readers of a label-less new
    /// plant get its `name`, shortened by the chart that shows it).
    fn labels(&mut self, file: &ScenarioFile) -> BTreeMap<String, String> {
        let mut labels = BTreeMap::new();
        for (id, section) in &file.programmes {
            let label = self.one_line(&["programmes", id, "label"], section.label.as_ref());
            labels.extend(label.map(|l| (format!("programmes.{id}"), l)));
        }
        for (id, section) in &file.new_plants {
            let label = self.one_line(&["new_plants", id, "label"], section.label.as_ref());
            labels.extend(label.map(|l| (format!("new_plants.{id}"), l)));
        }
        for (i, section) in file.shocks.iter().flatten().enumerate() {
            let index = i.to_string();
            let label = self.one_line(&["shocks", &index, "label"], section.label.as_ref());
            labels.extend(label.map(|l| (format!("shocks.{i}"), l)));
        }
        labels
    }

    /// `[makers.NAME] colour`, for makers the scenario has.
    fn maker_colours(&mut self, file: &ScenarioFile, makers: &[&str]) -> BTreeMap<String, String> {
        let mut colours = BTreeMap::new();
        for (maker, section) in &file.makers {
            if !makers.contains(&maker.as_str()) {
                self.report(
                    &["makers", maker],
                    Part::Key,
                    format!(
                        "no maker `{maker}` in this scenario (makers: {})",
                        makers.join(", ")
                    ),
                    did_you_mean(maker, makers.iter().copied()),
                );
                continue;
            }
            let path = ["makers", maker.as_str(), "colour"];
            let colour = self.required(&path, &section.colour);
            if let Some(colour) = self.colour(&path, colour.as_ref()) {
                colours.insert(maker.clone(), colour);
            }
        }
        colours
    }

    /// Display text: one line that is not blank, trimmed.
    fn one_line(&mut self, path: &[&str], value: Option<&String>) -> Option<String> {
        let value = value?;
        let field = path.join(".");
        let problem = if value.trim().is_empty() {
            format!("{field} is empty: write the text, or leave the key out")
        } else if value.contains(['\n', '\r']) {
            format!("{field} must be one line: charts wrap it to fit themselves")
        } else {
            return Some(value.trim().to_string());
        };
        self.report(path, Part::Value, problem, None);
        None
    }

    /// A colour written "#rrggbb", returned in lowercase; a warning if it is the target's.
    fn colour(&mut self, path: &[&str], value: Option<&String>) -> Option<String> {
        let value = value?;
        let Some(rgb) = parse_colour(value) else {
            let field = path.join(".");
            self.report(
                path,
                Part::Value,
                format!(
                    "{field} must be a colour written \"#rrggbb\" (six hex digits, as \"#004488\"), not \"{value}\""
                ),
                Some(colour_help(value)),
            );
            return None;
        };
        let (r, g, b) = rgb;
        let (tr, tg, tb) = TARGET_CRIMSON;
        let distance = [(r, tr), (g, tg), (b, tb)]
            .iter()
            .map(|&(x, y)| (f64::from(x) - f64::from(y)).powi(2))
            .sum::<f64>()
            .sqrt();
        let hex = format!("#{r:02x}{g:02x}{b:02x}");
        if distance < TARGET_DISTANCE {
            self.warn(
                path,
                Part::Value,
                format!(
                    "{} {hex} is close to the target's crimson (#b2182b), which charts keep for the target, its path and the gap: readers would take it for the target",
                    path.join(".")
                ),
                Some("choose a colour that is not a dark red".into()),
            );
        }
        Some(hex)
    }

    /// Warn when `text` is longer than `max` characters.
    fn fits(&mut self, path: &[&str], text: Option<&str>, max: usize, room: &str) {
        let Some(text) = text else { return };
        let n = text.chars().count();
        if n > max {
            let field = path.join(".");
            self.warn(
                path,
                Part::Value,
                format!("{field} is {n} characters, more than the {max} that fit {room}"),
                Some(format!(
                    "shorten it to {max} characters or fewer; the description can say the rest"
                )),
            );
        }
    }

    /// A description too long for a subtitle and no headline: charts have no subtitle, since
    /// they never print the description. Located at the description when the scenario's own
    /// file (or `--set`) gives it, else at its `extends`, where the inherited one comes from.
    fn wants_headline(&mut self, name: &str, description: &str) {
        let n = description.chars().count();
        if n <= HEADLINE_MAX_CHARS {
            return;
        }
        let path = key_path(["description"]);
        let (at, whose) = match self.sources.origin(&path) {
            Origin::File { scenario, .. } if scenario != name => {
                (vec!["extends"], format!(" (from `{scenario}`)"))
            }
            _ => (vec!["description"], String::new()),
        };
        self.warn(
            &at,
            Part::Key,
            format!(
                "scenario `{name}` has no headline, and its description{whose} is {n} characters, too long for a chart subtitle: its charts will have none"
            ),
            Some(format!(
                "add `headline = \"…\"` for chart subtitles: one plain sentence, at most {HEADLINE_MAX_CHARS} characters"
            )),
        );
    }
}

/// The red, green and blue of "#rrggbb" (either case).
fn parse_colour(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// What was probably meant by a colour that is not "#rrggbb".
fn colour_help(value: &str) -> String {
    let digits = value.trim().trim_start_matches('#');
    let all_hex = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit());
    match digits.len() {
        6 if all_hex => format!("did you mean \"#{digits}\"?"),
        3 if all_hex => {
            let doubled: String = digits.chars().flat_map(|c| [c, c]).collect();
            format!("write all six digits: \"#{doubled}\"")
        }
        _ => {
            "colour names are not taken: give the red, green and blue as two hex digits each".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{colour_help, parse_colour};

    #[test]
    fn colours_are_six_hex_digits_after_a_hash() {
        assert_eq!(parse_colour("#004488"), Some((0, 0x44, 0x88)));
        assert_eq!(parse_colour("#AaBbCc"), Some((0xaa, 0xbb, 0xcc)));
        for bad in [
            "004488", "#048", "#00448", "#0044888", "#00448g", "red", "", "#", "#ééé",
        ] {
            assert_eq!(parse_colour(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_bad_colour_gets_the_likely_fix() {
        assert_eq!(colour_help("004488"), "did you mean \"#004488\"?");
        assert_eq!(colour_help("#0a8"), "write all six digits: \"#00aa88\"");
        assert!(colour_help("red").starts_with("colour names are not taken"));
    }
}
