//! Host names and IP addresses wherever a `{selection, value}` address appears.

pub mod common;
pub mod invalid_hostname;
pub mod invalid_ip;
