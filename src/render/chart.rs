//! Bar charts of metrics by group, as inline SVG with a text alternative. No script, no external
//! files: the chart is data drawn as rectangles, and the table beside it carries the same figures.

use std::fmt::Write;

/// One bar: a group's value, and its baseline and interval where there are any.
#[derive(Debug, Clone, Default)]
pub struct Bar {
    /// The group's label.
    pub label: String,
    /// The value; `None` for a figure that is not shown (suppressed), which gets no bar.
    pub value: Option<f64>,
    /// The value as written, with its unit (`7.0%`), or why it is not shown.
    pub shown: String,
    /// The value before the tool, and how it is written with its unit.
    pub baseline: Option<(f64, String)>,
    /// The interval around the value, low and high, and how it is written (`5.1% to 9.0%`).
    pub interval: Option<(f64, f64, String)>,
}

/// Formats a number for people: up to two decimals, no trailing zeros.
pub fn number(value: f64) -> String {
    let s = format!("{value:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A value with its unit: `12.5%`, but `8 per 100 children`.
pub fn with_unit(value: f64, unit: &str) -> String {
    text_with_unit(&number(value), unit)
}

/// A number already written out, with its unit: `7.0%`, but `8 per 100 children`.
pub fn text_with_unit(text: &str, unit: &str) -> String {
    match unit.chars().next() {
        Some(c) if c.is_alphanumeric() => format!("{text} {unit}"),
        _ => format!("{text}{unit}"),
    }
}

/// How many characters a line of a label holds: about what 16 px text fits across a 320 px screen.
const LINE_CHARS: usize = 34;

/// The most lines a label takes; a longer one is cut short (the table and the text alternative
/// carry it whole).
const MAX_LINES: usize = 3;

/// Renders a horizontal bar chart. `title` names it for screen readers; `unit` follows each value.
///
/// Each group's label and figure stand on a line of their own above its bar, so that the bars can
/// use the whole width. Widths are percentages and heights are in `em`, with no `viewBox`: the
/// text is never scaled down to fit a phone, and grows with the reader's text size.
///
/// The scale runs from the smallest figure (or zero) to the largest (or zero); a `%` chart runs
/// from 0 to 100, so that a 38% bar is 38% of the width. Negative values are drawn left of a zero
/// line. The text alternative says the scale in words.
pub fn svg(id: &str, title: &str, unit: &str, bars: &[Bar]) -> String {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let figures = bars.iter().flat_map(|b| {
        [
            b.value,
            b.baseline.as_ref().map(|b| b.0),
            b.interval.as_ref().map(|i| i.0),
            b.interval.as_ref().map(|i| i.1),
        ]
        .into_iter()
        .flatten()
        .map(finite)
    });
    let (low, mut high) = figures.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if unit == "%" {
        high = high.max(100.0);
    }
    if high - low < f64::MIN_POSITIVE {
        high = low + 1.0;
    }
    let position = |v: f64| 100.0 * (finite(v).clamp(low, high) - low) / (high - low);
    let zero = position(0.0);
    let has_baseline = bars.iter().any(|b| b.baseline.is_some());
    let desc: Vec<String> = bars
        .iter()
        .map(|b| {
            let mut d = format!("{}: {}", b.label, b.shown);
            if let Some((_, base)) = &b.baseline {
                let _ = write!(d, " (baseline {base})");
            }
            if let Some((_, _, range)) = &b.interval {
                let _ = write!(d, " (range {range})");
            }
            d
        })
        .collect();
    let mut body = String::new();
    let mut y = 0.0;
    let has_interval = bars.iter().any(|b| b.interval.is_some() && b.value.is_some());
    if has_baseline || has_interval {
        body.push_str(
            "<g class=\"chart-key\" aria-hidden=\"true\">\
             <rect class=\"chart-value\" x=\"0\" y=\"0.2em\" width=\"1em\" height=\"0.9em\"/>\
             <text x=\"1.4em\" y=\"1em\">Value</text>",
        );
        let mut x = 5.5;
        if has_baseline {
            body.push_str(
                "<rect class=\"chart-baseline\" x=\"5.5em\" y=\"0.4em\" width=\"1em\" height=\"0.5em\"/>\
                 <text x=\"6.9em\" y=\"1em\">Baseline</text>",
            );
            x += 7.0;
        }
        if has_interval {
            let (a, b) = (em(x), em(x + 1.0));
            let _ = write!(
                body,
                "<line class=\"chart-interval\" x1=\"{a}em\" x2=\"{b}em\" y1=\"0.65em\" y2=\"0.65em\"/>\
                 <line class=\"chart-interval\" x1=\"{a}em\" x2=\"{a}em\" y1=\"0.4em\" y2=\"0.9em\"/>\
                 <line class=\"chart-interval\" x1=\"{b}em\" x2=\"{b}em\" y1=\"0.4em\" y2=\"0.9em\"/>\
                 <text x=\"{}em\" y=\"1em\">Range</text>",
                em(x + 1.4)
            );
        }
        body.push_str("</g>");
        y += 2.0;
    }
    // A bar from zero to `v`: right of the zero line for a positive value, left of it for a negative.
    let span = |v: f64| {
        let at = position(v);
        (at.min(zero), (at - zero).abs())
    };
    let top = y;
    for bar in bars {
        let baseline = bar.baseline.as_ref().map(|(_, b)| format!(" (baseline {b})")).unwrap_or_default();
        let lines = wrap(&bar.label, &format!("{}{baseline}", bar.shown));
        let _ = write!(body, "<g aria-hidden=\"true\"><text class=\"chart-label\">");
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(body, "<tspan x=\"0\" y=\"{}em\">{}", em(y + 1.0 + 1.25 * i as f64), escape(line));
            if i + 1 == lines.len() {
                let gap = if line.is_empty() { "" } else { " " };
                let _ = write!(
                    body,
                    "{gap}<tspan class=\"chart-number\">{}</tspan>{}",
                    escape(&bar.shown),
                    escape(&baseline)
                );
            }
            body.push_str("</tspan>");
        }
        body.push_str("</text>");
        y += 1.25 * lines.len() as f64 + 0.3;
        if let Some(value) = bar.value {
            let (x, width) = span(value);
            let _ = write!(
                body,
                "<rect class=\"chart-value\" x=\"{}\" y=\"{}em\" width=\"{width:.1}%\" height=\"0.9em\"/>",
                x_at(x),
                em(y),
            );
        }
        y += 0.9;
        if let Some((lo, hi, _)) = bar.interval.as_ref().filter(|_| bar.value.is_some()) {
            // A whisker in a lane of its own just under the bar, with a cap at each end: drawn
            // over the dark bar, it would not show.
            let (a, b) = (position(*lo), position(*hi));
            let (top, mid, bottom) = (em(y + 0.1), em(y + 0.35), em(y + 0.6));
            let _ = write!(
                body,
                "<line class=\"chart-interval\" x1=\"{a:.1}%\" x2=\"{b:.1}%\" y1=\"{mid}em\" y2=\"{mid}em\"/>\
                 <line class=\"chart-interval\" x1=\"{a:.1}%\" x2=\"{a:.1}%\" y1=\"{top}em\" y2=\"{bottom}em\"/>\
                 <line class=\"chart-interval\" x1=\"{b:.1}%\" x2=\"{b:.1}%\" y1=\"{top}em\" y2=\"{bottom}em\"/>",
            );
            y += 0.7;
        }
        if let Some((base, _)) = bar.baseline {
            let (x, width) = span(base);
            let _ = write!(
                body,
                "<rect class=\"chart-baseline\" x=\"{}\" y=\"{}em\" width=\"{width:.1}%\" height=\"0.5em\"/>",
                x_at(x),
                em(y + 0.1),
            );
            y += 0.6;
        }
        body.push_str("</g>");
        y += 0.9;
    }
    if low < 0.0 {
        let _ = write!(
            body,
            "<line class=\"chart-zero\" aria-hidden=\"true\" x1=\"{zero:.1}%\" x2=\"{zero:.1}%\" y1=\"{}em\" y2=\"{}em\"/>",
            em(top),
            em(y - 0.9),
        );
    }
    format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" width=\"100%\" \
         height=\"{}em\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{body}</svg>",
        em(y),
        escape(title),
        escape(&format!("{}. {}", desc.join("; "), scale_words(low, high, unit)))
    )
}

/// A place across the chart, as a share of its width: `0` at the left edge.
fn x_at(share: f64) -> String {
    if share.abs() < 0.05 { "0".into() } else { format!("{share:.1}%") }
}

/// The chart's scale in words, for readers who do not see it.
fn scale_words(low: f64, high: f64, unit: &str) -> String {
    let mut words =
        format!("The bars are drawn on a scale from {} to {}", with_unit(low, unit), with_unit(high, unit));
    if low < 0.0 {
        words.push_str(", with values below zero drawn left of the zero line");
    }
    words.push('.');
    words
}

/// An `em` length with at most two decimals.
fn em(v: f64) -> String {
    number(v)
}

/// The label split into lines of about [`LINE_CHARS`] at spaces, with room on the last line for
/// `figure`; at most [`MAX_LINES`], the last cut short with `…` when the label is longer.
fn wrap(label: &str, figure: &str) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in label.split_whitespace() {
        let line = lines.last_mut().expect("lines starts with one line");
        if line.is_empty() || line.chars().count() + 1 + word.chars().count() <= LINE_CHARS {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(word.to_owned());
        }
    }
    // The figure goes on the last line; when it does not fit there, it starts a line of its own.
    let fits = |line: &str| line.chars().count() + 1 + figure.chars().count() <= LINE_CHARS;
    if lines.last().is_some_and(|l| !l.is_empty() && !fits(l)) {
        lines.push(String::new());
    }
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        if let Some(last) = lines.last_mut() {
            *last = format!(
                "{}…",
                truncate(last, LINE_CHARS.saturating_sub(figure.chars().count() + 2)).trim_end_matches('…')
            );
        }
    }
    for line in &mut lines {
        if line.chars().count() > LINE_CHARS {
            *line = truncate(line, LINE_CHARS);
        }
    }
    lines
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n.saturating_sub(1)).collect::<String>())
    }
}

/// Escapes text for XML and HTML, dropping the control characters that XML forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 has no place for other control characters: drop them.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_values_described() {
        let svg = svg(
            "m1",
            "Rate <by group>",
            "%",
            &[Bar {
                label: "<script>".into(),
                value: Some(12.5),
                shown: "12.5%".into(),
                baseline: Some((10.0, "10%".into())),
                interval: None,
            }],
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;: 12.5% (baseline 10%)"));
    }

    #[test]
    fn labels_wrap_to_fit_a_phone_and_keep_the_figure_on_their_last_line() {
        assert_eq!(wrap("Area north", "21%"), ["Area north"]);
        assert_eq!(
            wrap("Disability: a parent or carer is disabled", "35% (baseline 37%)"),
            ["Disability: a parent or carer is", "disabled"]
        );
        assert_eq!(wrap("Ethnicity: White British", "23% (baseline 25%)"), ["Ethnicity: White British", ""]);
        let long = wrap(&"word ".repeat(40), "1%");
        assert_eq!(long.len(), MAX_LINES);
        assert!(long.iter().all(|l| l.chars().count() <= LINE_CHARS));
        assert!(long[MAX_LINES - 1].ends_with('…'));
        // One word longer than a line is cut, not left to run off the chart.
        assert!(wrap(&"x".repeat(80), "1%")[0].chars().count() <= LINE_CHARS);
    }

    fn bar(label: &str, value: f64) -> Bar {
        Bar { label: label.into(), value: Some(value), shown: number(value), ..Bar::default() }
    }

    #[test]
    fn a_percent_is_drawn_on_a_scale_of_0_to_100() {
        let drawn = svg("m", "Rate", "%", &[bar("A", 38.0)]);
        assert!(drawn.contains(r#"x="0" y="1.55em" width="38.0%""#), "{drawn}");
        assert!(drawn.contains("scale from 0% to 100%."));
        // A share above 100% widens the scale rather than running off the chart.
        assert!(svg("m", "Rate", "%", &[bar("A", 150.0)]).contains(r#"width="100.0%""#));
    }

    #[test]
    fn negative_values_lie_left_of_the_zero_line_and_a_suppressed_one_has_no_bar() {
        let suppressed = Bar { label: "C".into(), shown: "not shown".into(), ..Bar::default() };
        let drawn = svg("m", "Change", "", &[bar("A", -5.0), bar("B", 15.0), suppressed]);
        assert!(drawn.contains(r#"x="0" y="1.55em" width="25.0%""#), "{drawn}");
        assert!(drawn.contains(r#"x="25.0%" y="4.9em" width="75.0%""#), "{drawn}");
        assert_eq!(drawn.matches("class=\"chart-value\"").count(), 2);
        assert!(drawn.contains(r#"class="chart-zero" aria-hidden="true" x1="25.0%""#));
        assert!(drawn.contains("C: not shown"));
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(12.50), "12.5");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.126), "0.13");
    }
}
