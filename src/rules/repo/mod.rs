//! Whole-repository rules: they judge the facts the repository index gathers from every file.

pub mod cleanup_exceeds_global;
pub mod duplicate_name;
pub mod invalid_key;
pub mod key_mismatch;
pub mod password_reused;
pub mod snmp_password_policy;
pub mod unresolved_reference;
pub mod wrong_collection;
