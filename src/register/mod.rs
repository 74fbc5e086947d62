//! A register: one site listing many workbooks, from a council's tools to a national register.

pub mod site;
