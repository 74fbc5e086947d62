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

/// Renders a horizontal bar chart. `title` names it for screen readers; `unit` follows each value.
pub fn svg(id: &str, title: &str, unit: &str, bars: &[Bar]) -> String {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let max = bars
        .iter()
        .flat_map(|b| [finite(b.value), b.baseline.map_or(0.0, finite)])
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let has_baseline = bars.iter().any(|b| b.baseline.is_some());
    let (label_w, bar_w, row_h, top) =
        (220.0, 300.0, if has_baseline { 44.0 } else { 28.0 }, if has_baseline { 28.0 } else { 4.0 });
    let height = top + row_h * bars.len() as f64 + 4.0;
    // Room right of the longest bar for its figure, at about 8 units a character.
    let figure_w =
        bars.iter().map(|b| with_unit(b.value, unit).chars().count()).max().unwrap_or(0) as f64 * 8.0 + 12.0;
    let width = label_w + bar_w + figure_w.max(80.0);
    let mut out = String::new();
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
    let _ = write!(
        out,
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width} {height}\" \
         width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(&desc.join("; "))
    );
    if has_baseline {
        let _ = write!(
            out,
            "<g class=\"chart-key\" aria-hidden=\"true\"><rect class=\"chart-value\" x=\"0\" y=\"6\" width=\"14\" height=\"12\"/>\
             <text x=\"20\" y=\"16\">Value</text><rect class=\"chart-baseline\" x=\"90\" y=\"6\" width=\"14\" height=\"12\"/>\
             <text x=\"110\" y=\"16\">Baseline</text></g>"
        );
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let w = bar_w * finite(bar.value).max(0.0) / max;
        let _ = write!(
            out,
            "<g aria-hidden=\"true\"><text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect class=\"chart-value\" x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"16\"/>\
             <text class=\"chart-number\" x=\"{:.1}\" y=\"{}\">{}</text>",
            label_w - 8.0,
            y + 13.0,
            escape(&truncate(&bar.label, 34)),
            y + 1.0,
            label_w + w + 6.0,
            y + 13.0,
            escape(&with_unit(bar.value, unit)),
        );
        if let Some(base) = bar.baseline {
            let bw = bar_w * finite(base).max(0.0) / max;
            let _ = write!(
                out,
                "<rect class=\"chart-baseline\" x=\"{label_w}\" y=\"{}\" width=\"{bw:.1}\" height=\"10\"/>",
                y + 20.0
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
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
    fn numbers_read_well() {
        assert_eq!(number(12.50), "12.5");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.126), "0.13");
    }
}
