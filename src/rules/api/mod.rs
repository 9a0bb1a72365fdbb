//! Endpoints that take no request body.

pub mod read_only_endpoint;
