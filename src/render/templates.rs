//! Templates
