//! Local user databases: user names and SSH public keys.

pub mod common;
pub mod duplicate_username;
pub mod public_key_invalid;
pub mod public_key_wrong_type;
pub mod weak_rsa_key;
