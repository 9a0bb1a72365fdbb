//! Object names: what SPS accepts in `name` and what it discourages.

pub mod contains_whitespace;
pub mod whitespace_discouraged;
