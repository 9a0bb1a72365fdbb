//! The e-mail (SMTP) settings of management/email.

pub mod address_local_domain;
pub mod client_certificate_missing;
pub mod common;
pub mod invalid_address;
pub mod server_ca_missing;
pub mod smtp_auth_incomplete;
pub mod smtp_auth_without_encryption;
pub mod starttls_without_certificate_check;
pub mod tls_option_without_starttls;
