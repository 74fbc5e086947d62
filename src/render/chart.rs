//! Bar charts of metrics by group, as inline SVG with a text alternative. No script, no external
//! files: the chart is data drawn as rectangles, and the table beside it carries the same figures.

use std::fmt::Write;

/// One bar: a group's value, and its baseline where there is one.
#[derive(Debug, Clone)]
pub struct Bar {
    /// The group's label.
    pub label: String,
    /// The value.
    pub value: f64,
    /// The value before the tool.
    pub baseline: Option<f64>,
}

/// Formats a number for people: up to two decimals, no trailing zeros.
pub fn number(value: f64) -> String {
    let s = format!("{value:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A value with its unit: `12.5%`, but `8 per 100 children`.
pub fn with_unit(value: f64, unit: &str) -> String {
    match unit.chars().next() {
        Some(c) if c.is_alphanumeric() => format!("{} {unit}", number(value)),
        _ => format!("{}{unit}", number(value)),
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
pub fn svg(id: &str, title: &str, unit: &str, bars: &[Bar]) -> String {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let max = bars
        .iter()
        .flat_map(|b| [finite(b.value), b.baseline.map_or(0.0, finite)])
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let share = |v: f64| 100.0 * finite(v).max(0.0) / max;
    let has_baseline = bars.iter().any(|b| b.baseline.is_some());
    let desc: Vec<String> = bars
        .iter()
        .map(|b| {
            let mut d = format!("{}: {}", b.label, with_unit(b.value, unit));
            if let Some(base) = b.baseline {
                let _ = write!(d, " (baseline {})", with_unit(base, unit));
            }
            d
        })
        .collect();
    let mut body = String::new();
    let mut y = 0.0;
    if has_baseline {
        body.push_str(
            "<g class=\"chart-key\" aria-hidden=\"true\">\
             <rect class=\"chart-value\" x=\"0\" y=\"0.2em\" width=\"1em\" height=\"0.9em\"/>\
             <text x=\"1.4em\" y=\"1em\">Value</text>\
             <rect class=\"chart-baseline\" x=\"5.5em\" y=\"0.4em\" width=\"1em\" height=\"0.5em\"/>\
             <text x=\"6.9em\" y=\"1em\">Baseline</text></g>",
        );
        y += 2.0;
    }
    for bar in bars {
        let value = with_unit(bar.value, unit);
        let baseline =
            bar.baseline.map(|b| format!(" (baseline {})", with_unit(b, unit))).unwrap_or_default();
        let lines = wrap(&bar.label, &format!("{value}{baseline}"));
        let _ = write!(body, "<g aria-hidden=\"true\"><text class=\"chart-label\">");
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(body, "<tspan x=\"0\" y=\"{}em\">{}", em(y + 1.0 + 1.25 * i as f64), escape(line));
            if i + 1 == lines.len() {
                let gap = if line.is_empty() { "" } else { " " };
                let _ = write!(
                    body,
                    "{gap}<tspan class=\"chart-number\">{}</tspan>{}",
                    escape(&value),
                    escape(&baseline)
                );
            }
            body.push_str("</tspan>");
        }
        body.push_str("</text>");
        y += 1.25 * lines.len() as f64 + 0.3;
        let _ = write!(
            body,
            "<rect class=\"chart-value\" x=\"0\" y=\"{}em\" width=\"{:.1}%\" height=\"0.9em\"/>",
            em(y),
            share(bar.value)
        );
        y += 0.9;
        if let Some(base) = bar.baseline {
            let _ = write!(
                body,
                "<rect class=\"chart-baseline\" x=\"0\" y=\"{}em\" width=\"{:.1}%\" height=\"0.5em\"/>",
                em(y + 0.1),
                share(base)
            );
            y += 0.6;
        }
        body.push_str("</g>");
        y += 0.9;
    }
    format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" width=\"100%\" \
         height=\"{}em\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{body}</svg>",
        em(y),
        escape(title),
        escape(&desc.join("; "))
    )
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
            &[Bar { label: "<script>".into(), value: 12.5, baseline: Some(10.0) }],
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

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(12.50), "12.5");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.126), "0.13");
    }
}
