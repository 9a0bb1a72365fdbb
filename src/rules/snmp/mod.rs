//! SNMP trap settings (management/snmp/trap).

pub mod auth_method_sha;
pub mod common;
pub mod default_community;
pub mod des_encryption;
pub mod encryption_password_mismatch;
pub mod engine_id_length;
pub mod engine_id_syntax;
pub mod md5_authentication;
pub mod missing_setting;
pub mod no_encryption;
pub mod other_version_setting;
pub mod password_syntax;
