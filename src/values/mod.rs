//! Pure value checkers used by semantic rules.
//!
//! Each function takes a decoded JSON string value and returns a typed
//! result; rules turn those into diagnostics. Nothing here knows about
//! files, spans or severities, which keeps the checks cheap to test and to
//! cache.

pub mod email;
pub mod net;
pub mod pem;
pub mod snmp_password;
