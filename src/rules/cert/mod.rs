//! Certificates, certificate revocation lists and trusted CA lists.

pub mod common;
pub mod not_a_certificate;
pub mod pem_line_breaks;
pub mod pem_metadata;
pub mod tca_crl_not_url;
pub mod tca_crl_scheme;
pub mod tca_dn_check_country;
pub mod tca_not_a_ca;
pub mod tca_strict_hostcheck_without_dns_lookup;
pub mod validity;
