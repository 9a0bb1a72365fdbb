//! User lists and their exceptions.

pub mod duplicate_except;
