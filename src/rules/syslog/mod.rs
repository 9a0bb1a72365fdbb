//! Remote syslog servers.

pub mod tls_over_udp;
