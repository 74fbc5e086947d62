//! Rendering: Markdown to HTML, charts to SVG, and pages through the theme's Tera templates.

pub mod chart;
pub mod little_html;
pub mod markdown;
pub mod plain;
pub mod templates;
