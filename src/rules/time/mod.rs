//! Time policies and their intervals.

pub mod common;
pub mod interval_overlap;
pub mod interval_reversed;
