//! The report as a list of blocks, built once and rendered twice: as HTML and as Markdown, so
//! the two always say the same thing.

use std::fmt::Write;

/// How a paragraph reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Body text.
    Plain,
    /// Something a reader must not miss (what `--set` changed, what the figures are).
    Strong,
    /// Small grey text: dates, file names, what a table leaves out.
    Meta,
}

/// One table cell: its text, and an optional second line in small type (an item's key).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// Bold, for the name of a row.
    pub bold: bool,
    /// A second line in small grey type.
    pub sub: Option<String>,
}

impl Cell {
    /// A plain cell.
    pub fn plain(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            bold: false,
            sub: None,
        }
    }
}

/// One entry of a list: an optional bold lead ("1985–1989:") and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The lead, in bold.
    pub lead: Option<String>,
    /// The rest.
    pub text: String,
}

/// A table: header, rows, which columns hold numbers, and a class for its print size.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// The rows, each as long as the header.
    pub rows: Vec<Vec<Cell>>,
    /// Columns aligned right (numbers).
    pub numeric: Vec<bool>,
    /// CSS class: "headline", "register", "swings"; with the word "keep" as well ("data
    /// keep"), the table is never split across pages in print.
    pub class: &'static str,
    /// In HTML, the last column goes under the one before it (in small type), so that long
    /// notes get the width of both; Markdown keeps it a column.
    pub stack_last: bool,
}

/// One block of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading, level 1 to 4.
    Heading(u8, String),
    /// A paragraph.
    Para(Tone, String),
    /// A table.
    Table(Table),
    /// A chart: the SVG for the HTML, the PNG's file name and alternative text for Markdown.
    Figure {
        /// The SVG.
        svg: String,
        /// The PNG beside report.md.
        png: String,
        /// What the chart says, for readers who cannot see it.
        alt: String,
    },
    /// A list, in small type (the sources).
    List(Vec<Entry>),
    /// Preformatted text (the provenance).
    Pre(String),
    /// The start of a part that may begin a new page in print if little room is left
    /// (a scenario, the appendix); its class names it in the HTML.
    Open(&'static str),
    /// The end of that part.
    Close,
}

/// Escape text for HTML: every string from a scenario or data file goes through here.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for Markdown that reads as plain text when pasted: only what Markdown would take as
/// markup is escaped, with a backslash, never with an HTML entity: a backslash before
/// punctuation, a backtick, `*`, `<` where it could open a tag, `&` where it could spell an
/// entity, `_` and `~` at the edge of a word, every `[` and `]` (so no link, image, reference
/// definition or footnote can open: a hostile name cannot become a tracking pixel or a
/// `javascript:` link), `!` before `[`, and `#` after a space (a heading's closing
/// sequence). Line breaks (`\n`, `\r`) become spaces. Table cells also escape `|`; a
/// paragraph also its start when that would begin a heading, quote or list.
pub fn md(text: &str) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|k| chars[k]);
        let next = chars.get(i + 1).copied();
        let word = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
        let escape = match c {
            '\\' => next.is_some_and(|n| n.is_ascii_punctuation()),
            '`' | '*' => true,
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(n)),
            '&' => entity_at(&chars[i + 1..]),
            '_' => !(word(prev) && word(next)),
            '~' => prev.is_some_and(|p| !p.is_whitespace()) && !word(next),
            '[' | ']' => true,
            '!' => next == Some('['),
            '#' => prev.is_some_and(char::is_whitespace),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for a Markdown paragraph: as [`md`], and a start that would begin a heading, quote,
/// list or rule ("# ", "> ", "- ", "1. ") escaped.
pub fn md_para(text: &str) -> String {
    let mut out = md(text);
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (out[digits..].starts_with(". ") || out[digits..].starts_with(") ")) {
        out.insert(digits, '\\');
    } else if out.starts_with(['#', '>', '-', '+', '=']) {
        out.insert(0, '\\');
    }
    out
}

/// Whether the text after a `&` spells an HTML entity (`amp;`, `#39;`, `#x27;`).
fn entity_at(rest: &[char]) -> bool {
    let name: String = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .collect();
    !name.is_empty() && rest.get(name.chars().count()) == Some(&';')
}

/// The blocks as the body of an HTML page.
pub fn html(blocks: &[Block]) -> String {
    let mut h = String::new();
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(h, "<h{level}>{}</h{level}>", escape(text));
            }
            Block::Para(tone, text) => {
                let _ = match tone {
                    Tone::Plain => writeln!(h, "<p>{}</p>", escape(text)),
                    Tone::Strong => {
                        writeln!(h, "<p class=\"note\"><strong>{}</strong></p>", escape(text))
                    }
                    Tone::Meta => writeln!(h, "<p class=\"meta\">{}</p>", escape(text)),
                };
            }
            Block::Table(table) => table_html(&mut h, table),
            Block::Figure { svg, .. } => {
                let _ = writeln!(h, "<figure>\n{}\n</figure>", inline_svg(svg));
            }
            Block::List(entries) => {
                h.push_str("<ul class=\"sources\">\n");
                for e in entries {
                    h.push_str("<li>");
                    if let Some(lead) = &e.lead {
                        let _ = write!(h, "<b>{}</b> ", escape(lead));
                    }
                    let _ = writeln!(h, "{}</li>", escape(&e.text));
                }
                h.push_str("</ul>\n");
            }
            Block::Pre(text) => {
                let _ = writeln!(h, "<pre>{}</pre>", escape(text));
            }
            Block::Open(class) => {
                let _ = writeln!(h, "<section class=\"{class}\">");
            }
            Block::Close => h.push_str("</section>\n"),
        }
    }
    h
}

fn table_html(h: &mut String, table: &Table) {
    let class = |k: usize| {
        if table.numeric.get(k).copied().unwrap_or(false) {
            " class=\"n\""
        } else {
            ""
        }
    };
    let keep = if table.class.split_whitespace().any(|c| c == "keep") {
        " style=\"break-inside:avoid;page-break-inside:avoid\""
    } else {
        ""
    };
    let _ = write!(h, "<table class=\"{}\"{keep}>\n<thead><tr>", table.class);
    let columns = table.header.len() - usize::from(table.stack_last && table.header.len() > 1);
    for (k, text) in table.header.iter().enumerate().take(columns) {
        let text = match (k + 1 == columns, table.stack_last) {
            (true, true) => format!("{text} and {}", table.header[columns].to_lowercase()),
            _ => text.clone(),
        };
        let _ = write!(h, "<th{}>{}</th>", class(k), escape(&text));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        h.push_str("<tr>");
        for (k, cell) in row.iter().enumerate().take(columns) {
            if k + 1 == columns && columns < row.len() {
                let under = &row[columns].text;
                let under = if under.is_empty() {
                    String::new()
                } else {
                    format!("<div class=\"under\">{}</div>", escape(under))
                };
                let _ = write!(h, "<td>{}{under}</td>", escape(&cell.text));
                continue;
            }
            let text = escape(&cell.text);
            let text = if cell.bold {
                format!("<b>{text}</b>")
            } else {
                text
            };
            let sub = cell
                .sub
                .as_ref()
                .map(|s| format!("<br><span class=\"key\">{}</span>", escape(s)))
                .unwrap_or_default();
            let _ = write!(h, "<td{}>{text}{sub}</td>", class(k));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

/// An SVG ready to inline: its size comes from the page's CSS, not from its width and
/// height in pixels; no namespace URL (HTML does not need it).
fn inline_svg(svg: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(end) = svg[start..].find('>').map(|e| start + e) else {
        return svg.to_string();
    };
    let tag = &svg[start..end];
    let view_box = attribute(tag, "viewBox").unwrap_or_default();
    format!(
        "{}<svg viewBox=\"{view_box}\" role=\"img\">{}",
        &svg[..start],
        &svg[end + 1..]
    )
}

/// The value of `name="…"` in an opening tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let len = tag[at..].find('"')?;
    Some(&tag[at..at + len])
}

/// The blocks as Markdown, the charts as PNG files beside it.
pub fn markdown(blocks: &[Block]) -> String {
    let mut m = String::new();
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(m, "{} {}\n", "#".repeat(*level as usize), md(text));
            }
            Block::Para(Tone::Strong, text) => {
                let _ = writeln!(m, "**{}**\n", md(text));
            }
            Block::Para(Tone::Meta, text) => {
                let _ = writeln!(m, "_{}_\n", md(text));
            }
            Block::Para(Tone::Plain, text) => {
                let _ = writeln!(m, "{}\n", md_para(text));
            }
            Block::Table(table) => table_md(&mut m, table),
            Block::Figure { png, alt, .. } => {
                let _ = writeln!(m, "![{}]({png})\n", md(alt));
            }
            Block::List(entries) => {
                for e in entries {
                    match &e.lead {
                        Some(lead) => {
                            let _ = writeln!(m, "- **{}** {}", md(lead), md(&e.text));
                        }
                        // As a paragraph: "- > x" or "- # x" would start a quote or heading.
                        None => {
                            let _ = writeln!(m, "- {}", md_para(&e.text));
                        }
                    }
                }
                m.push('\n');
            }
            Block::Pre(text) => pre_md(&mut m, text),
            Block::Open(_) | Block::Close => {}
        }
    }
    m
}

/// The width plain text wraps at: a terminal's 100 columns, less a margin.
const TEXT_WIDTH: usize = 96;

/// The blocks as plain text for a terminal: headings underlined, paragraphs wrapped, tables
/// in aligned columns (numbers to the right, a table's stacked last column left out: it holds
/// long notes), lists (the sources) with their headings and figures left out: they are for
/// the page.
pub fn text(blocks: &[Block]) -> String {
    let mut t = String::new();
    for (i, block) in blocks.iter().enumerate() {
        match block {
            // A list's heading goes with it.
            Block::Heading(..) if matches!(blocks.get(i + 1), Some(Block::List(_))) => {}
            Block::Heading(level, heading) => {
                let rule = if *level <= 1 { '=' } else { '-' };
                let _ = writeln!(t, "{heading}");
                if *level <= 2 {
                    let _ = writeln!(t, "{}", rule.to_string().repeat(heading.chars().count()));
                }
            }
            Block::Para(_, para) => {
                for line in wrap(para, TEXT_WIDTH) {
                    let _ = writeln!(t, "{line}");
                }
                t.push('\n');
            }
            Block::Table(table) => table_text(&mut t, table),
            Block::Pre(pre) => {
                let _ = writeln!(t, "{pre}");
            }
            Block::Figure { .. } | Block::List(_) | Block::Open(_) | Block::Close => {}
        }
    }
    t
}

/// Words of `text` in lines of at most `width` characters (a longer word stands alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn table_text(t: &mut String, table: &Table) {
    let columns = table.header.len() - usize::from(table.stack_last && table.header.len() > 1);
    let cell = |c: &Cell| match &c.sub {
        Some(sub) => format!("{} ({sub})", c.text),
        None => c.text.clone(),
    };
    let rows: Vec<Vec<String>> =
        std::iter::once(table.header.iter().take(columns).cloned().collect())
            .chain(
                table
                    .rows
                    .iter()
                    .map(|r| r.iter().take(columns).map(cell).collect()),
            )
            .collect();
    let widths: Vec<usize> = (0..columns)
        .map(|k| {
            rows.iter()
                .filter_map(|r| r.get(k))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let w = widths[k];
                if table.numeric.get(k).copied().unwrap_or(false) {
                    format!("{c:>w$}")
                } else {
                    format!("{c:<w$}")
                }
            })
            .collect();
        let _ = writeln!(t, "{}", cells.join("  ").trim_end());
    }
    t.push('\n');
}

/// A code block no text can close: its fence is longer than any run of backticks in the text
/// (a `--set` value can hold a newline and a fence), and `\r`, which Markdown takes for a line
/// break, is dropped.
fn pre_md(m: &mut String, text: &str) {
    let text = text.replace('\r', "");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    let _ = writeln!(m, "{fence}\n{text}{newline}{fence}\n");
}

fn table_md(m: &mut String, table: &Table) {
    let cell = |text: &str| md(text).replace('|', "\\|");
    let header: Vec<String> = table.header.iter().map(|h| cell(h)).collect();
    let _ = writeln!(m, "| {} |", header.join(" | "));
    let rule: Vec<&str> = (0..table.header.len())
        .map(|k| {
            if table.numeric.get(k).copied().unwrap_or(false) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(m, "|{}|", rule.join("|"));
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                let text = if c.bold {
                    format!("**{}**", cell(&c.text))
                } else {
                    cell(&c.text)
                };
                match &c.sub {
                    Some(sub) => format!("{text} ({})", cell(sub)),
                    None => text,
                }
            })
            .collect();
        let _ = writeln!(m, "| {} |", cells.join(" | "));
    }
    m.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn markdown_escapes_markup_only() {
        // Plain text stays plain: arrows, comparisons, ampersands, tildes before numbers and
        // underscores inside words.
        for plain in [
            "2024->2025",
            "33,600 < 50,000",
            "R&D & more",
            "~5.5 weeks, ~40,000/yr",
            "ramp_years and end_year",
            "Mid-year start => half a year",
        ] {
            assert_eq!(md(plain), plain);
        }
        // Markup is escaped with a backslash, never an entity.
        assert_eq!(md("a | b"), "a | b");
        assert_eq!(md("a\\b and \\*"), "a\\b and \\\\\\*");
        assert_eq!(md("<b>bold</b>"), "\\<b>bold\\</b>");
        assert_eq!(md("&amp; &#39;"), "\\&amp; \\&#39;");
        assert_eq!(md("*not emphasis*"), "\\*not emphasis\\*");
        assert_eq!(md("_edge_ and a_b"), "\\_edge\\_ and a_b");
        assert_eq!(md("[x](y)"), "\\[x\\](y)");
        assert_eq!(md("![x](http://e/x.png)"), "\\!\\[x\\](http://e/x.png)");
        assert_eq!(md("[r]: javascript:x"), "\\[r\\]: javascript:x");
        assert_eq!(md("title # and #3"), "title \\# and \\#3");
        assert_eq!(md("a\r\nb"), "a  b");
        assert_eq!(md("-458,501"), "-458,501");
        assert_eq!(md_para("# not a heading"), "\\# not a heading");
        assert_eq!(md_para("- not a list"), "\\- not a list");
        assert_eq!(md_para("2035. A year"), "2035\\. A year");
        assert_eq!(md("two\nlines"), "two lines");
    }

    #[test]
    fn provenance_fence_outlasts_any_backticks_in_it() {
        let mut m = String::new();
        pre_md(&mut m, "command: x\n```\n<script>\r\n`````\n");
        assert_eq!(m, "``````\ncommand: x\n```\n<script>\n`````\n``````\n\n");
        let mut m = String::new();
        pre_md(&mut m, "plain");
        assert_eq!(m, "```\nplain\n```\n\n");
    }

    #[test]
    fn inline_svg_drops_the_pixel_size() {
        let svg = "<svg width=\"1890\" height=\"1181\" viewBox=\"0 0 1890 1181\" xmlns=\"http://www.w3.org/2000/svg\">\n<title>t</title></svg>";
        assert_eq!(
            inline_svg(svg),
            "<svg viewBox=\"0 0 1890 1181\" role=\"img\">\n<title>t</title></svg>"
        );
    }
}
