//! The one test harness: every integration test of the `workbook` command and library.

mod boundary;
mod browser;
mod build;
mod check_corpus;
mod cli;
mod figures;
mod framework;
mod history;
mod init;
mod leaks;
mod little_html;
mod messages;
mod output;
mod pages;
mod personal_data;
mod placement;
mod print;
mod published;
mod records;
mod review;
mod robustness;
mod serve;
mod signoff;
mod snapshots;
mod status;
mod support;
