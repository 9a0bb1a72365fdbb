//! The endpoints spslint knows, and how a file is mapped to one.

use std::path::Path;

use serde_json::Value;

/// Singletons are PUT at their own path; collections hold objects addressed by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Singleton,
    Collection,
}

/// What the top level of a request body is. Almost every body is an object; the reference
/// shows a few that are a bare string or a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Top {
    Object,
    String,
    List,
}

#[derive(Debug)]
pub struct Endpoint {
    /// Full API path, e.g. `/api/configuration/management/email`.
    pub path: &'static str,
    pub kind: Kind,
    /// How many trailing path components a file path must share with `path` to be mapped here
    /// (counted without the file's own name for collections). Generic names such as
    /// `transaction` or `passwords` need their parent folder too, so stray files are not taken.
    match_components: usize,
    /// The schema file, relative to the repository's `schemas/` folder.
    pub schema_file: &'static str,
    /// The schema text, embedded at build time.
    pub schema: &'static str,
    pub summary: &'static str,
    /// The top level of its body (the "not an object" check applies to objects only).
    pub top: Top,
}

/// Every endpoint lives in the one table (`TABLE`): two are the same when they are the same
/// entry.
impl PartialEq for Endpoint {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Endpoint {}

impl Endpoint {
    /// The schema as JSON. Parsing it is cheap; compiling a validator is not, and is done by
    /// `crate::schema` only when a body of the endpoint is validated.
    pub fn schema_json(&self) -> &'static Value {
        static SCHEMAS: PerEndpoint<Value> = PerEndpoint::new();
        SCHEMAS.get_or_init(self, || {
            serde_json::from_str(self.schema)
                .unwrap_or_else(|e| panic!("embedded schema {} is not JSON: {e}", self.schema_file))
        })
    }

    /// The path below `/api/`, e.g. `configuration/management/email`.
    pub fn short_path(&self) -> &'static str {
        self.path.trim_start_matches("/api/")
    }

    /// The path below `/api/configuration/`, or `transaction`.
    pub fn config_path(&self) -> &'static str {
        self.path
            .strip_prefix("/api/configuration/")
            .unwrap_or_else(|| self.short_path())
    }

    pub fn index(&self) -> usize {
        ENDPOINTS
            .iter()
            .position(|e| std::ptr::eq(e, self))
            .expect("endpoint from the registry")
    }

    fn components(&self) -> impl DoubleEndedIterator<Item = &'static str> {
        self.path.trim_start_matches('/').split('/')
    }
}

macro_rules! endpoint {
    ($path:literal, $kind:ident, $match:literal, $file:literal, $summary:literal) => {
        endpoint!($path, $kind, $match, $file, $summary, Object)
    };
    ($path:literal, $kind:ident, $match:literal, $file:literal, $summary:literal, $top:ident) => {
        Endpoint {
            path: $path,
            kind: Kind::$kind,
            match_components: $match,
            schema_file: $file,
            schema: include_str!(concat!("../schemas/", $file)),
            summary: $summary,
            top: Top::$top,
        }
    };
}

/// A value per endpoint, computed on first use (its schema, validator, reference positions): a
/// run pays only for the endpoints of its files.
pub struct PerEndpoint<T>(std::sync::OnceLock<Vec<std::sync::OnceLock<T>>>);

impl<T> PerEndpoint<T> {
    pub const fn new() -> Self {
        PerEndpoint(std::sync::OnceLock::new())
    }

    pub fn get_or_init(&self, endpoint: &Endpoint, init: impl FnOnce() -> T) -> &T {
        let slots = self.0.get_or_init(|| {
            ENDPOINTS
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect()
        });
        slots[endpoint.index()].get_or_init(init)
    }
}

impl<T> Default for PerEndpoint<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Every endpoint with a schema. Order is the order `spslint endpoints` lists them in.
pub static ENDPOINTS: &[Endpoint] = &TABLE;

/// The table itself: a named static, so every reference to an endpoint (a lookup, a typed
/// `id`) is to the one place, and endpoints are told apart by address.
static TABLE: [Endpoint; 38] = [
    endpoint!(
        "/api/configuration/aaa/ldap_servers",
        Collection,
        2,
        "configuration/aaa/ldap_servers.json",
        "LDAP and Active Directory servers for users and groups (since 7.x)"
    ),
    endpoint!(
        "/api/configuration/aaa/local_database/groups",
        Collection,
        2,
        "configuration/aaa/local_database/groups.json",
        "Groups of the local user database and their members"
    ),
    endpoint!(
        "/api/configuration/datetime/timezone",
        Singleton,
        2,
        "configuration/datetime/timezone.json",
        "Time zone of SPS (the body is a bare string)",
        String
    ),
    endpoint!(
        "/api/configuration/ica/options",
        Singleton,
        2,
        "configuration/ica/options.json",
        "Global ICA options: service, logging, cleanup and timestamping"
    ),
    endpoint!(
        "/api/configuration/local_services/analytics",
        Singleton,
        2,
        "configuration/local_services/analytics.json",
        "Whether the analytics service runs"
    ),
    endpoint!(
        "/api/configuration/local_services/cluster",
        Singleton,
        2,
        "configuration/local_services/cluster.json",
        "Cluster service: enabled, listening address"
    ),
    endpoint!(
        "/api/configuration/local_services/snmp_agent",
        Singleton,
        2,
        "configuration/local_services/snmp_agent.json",
        "SNMP agent: listening addresses, access, v2c community and v3 users"
    ),
    endpoint!(
        "/api/configuration/local_services/ssh",
        Singleton,
        2,
        "configuration/local_services/ssh.json",
        "SSH access to SPS itself: listening addresses, access, authentication"
    ),
    endpoint!(
        "/api/configuration/local_services/user_web",
        Singleton,
        2,
        "configuration/local_services/user_web.json",
        "User web interface: listening addresses and access restriction"
    ),
    endpoint!(
        "/api/configuration/management/certificates",
        Singleton,
        2,
        "configuration/management/certificates.json",
        "Certificates of SPS: CA, web server and timestamping authority"
    ),
    endpoint!(
        "/api/configuration/management/disk_fillup_prevention",
        Singleton,
        2,
        "configuration/management/disk_fillup_prevention.json",
        "What SPS does when its disk fills up"
    ),
    endpoint!(
        "/api/configuration/management/email",
        Singleton,
        2,
        "configuration/management/email.json",
        "SMTP server, encryption and authentication; administrator, alert and report addresses"
    ),
    endpoint!(
        "/api/configuration/management/health_monitoring",
        Singleton,
        2,
        "configuration/management/health_monitoring.json",
        "Disk, swap and load thresholds for monitoring alerts"
    ),
    endpoint!(
        "/api/configuration/management/snmp/trap",
        Singleton,
        2,
        "configuration/management/snmp/trap.json",
        "SNMP trap receiver: address and SNMP v2c or v3 settings"
    ),
    endpoint!(
        "/api/configuration/management/syslog",
        Singleton,
        2,
        "configuration/management/syslog.json",
        "Remote syslog receivers and their transport"
    ),
    endpoint!(
        "/api/configuration/management/webinterface",
        Singleton,
        2,
        "configuration/management/webinterface.json",
        "Web interface session timeout"
    ),
    endpoint!(
        "/api/configuration/network/dns",
        Singleton,
        2,
        "configuration/network/dns.json",
        "Primary and secondary DNS servers"
    ),
    endpoint!(
        "/api/configuration/network/ip_forwarding_rule_pairs",
        Singleton,
        2,
        "configuration/network/ip_forwarding_rule_pairs.json",
        "Routing between network interfaces (the body is a list of pairs)",
        List
    ),
    endpoint!(
        "/api/configuration/passwords",
        Collection,
        2,
        "configuration/passwords.json",
        "Password objects that other settings reference by key"
    ),
    endpoint!(
        "/api/configuration/policies/archive_cleanup_policies",
        Collection,
        2,
        "configuration/policies/archive_cleanup_policies.json",
        "Where, when and after how long audit trails are archived or cleaned up"
    ),
    endpoint!(
        "/api/configuration/policies/audit_policies",
        Collection,
        2,
        "configuration/policies/audit_policies.json",
        "Encryption, signing and timestamping of audit trails"
    ),
    endpoint!(
        "/api/configuration/policies/ldap_servers",
        Collection,
        2,
        "configuration/policies/ldap_servers.json",
        "LDAP and Active Directory servers (their place before 7.x)"
    ),
    endpoint!(
        "/api/configuration/policies/time_policies",
        Collection,
        2,
        "configuration/policies/time_policies.json",
        "Weekly time frames in which access is allowed"
    ),
    endpoint!(
        "/api/configuration/policies/trusted_ca_lists",
        Collection,
        2,
        "configuration/policies/trusted_ca_lists.json",
        "Trusted certificate authorities, CRLs and certificate DN checks"
    ),
    endpoint!(
        "/api/configuration/policies/user_databases",
        Collection,
        2,
        "configuration/policies/user_databases.json",
        "Local user databases: passwords, public keys and certificates per user"
    ),
    endpoint!(
        "/api/configuration/policies/userlists",
        Collection,
        2,
        "configuration/policies/userlists.json",
        "Allow or deny lists of user names"
    ),
    endpoint!(
        "/api/configuration/rdp/channel_policies",
        Collection,
        2,
        "configuration/rdp/channel_policies.json",
        "Which RDP channels are allowed, for whom and when"
    ),
    endpoint!(
        "/api/configuration/rdp/connections",
        Collection,
        2,
        "configuration/rdp/connections.json",
        "RDP connection policies: which connections are accepted and how they are audited"
    ),
    endpoint!(
        "/api/configuration/rdp/options",
        Singleton,
        2,
        "configuration/rdp/options.json",
        "Global RDP options: service and metadata cleanup"
    ),
    endpoint!(
        "/api/configuration/ssh/authentication_policies",
        Collection,
        2,
        "configuration/ssh/authentication_policies.json",
        "SSH gateway and relayed authentication methods and back ends"
    ),
    endpoint!(
        "/api/configuration/ssh/channel_policies",
        Collection,
        2,
        "configuration/ssh/channel_policies.json",
        "Which SSH channels are allowed, for whom and when"
    ),
    endpoint!(
        "/api/configuration/ssh/connections",
        Collection,
        2,
        "configuration/ssh/connections.json",
        "SSH connection policies: which connections are accepted and how they are audited"
    ),
    endpoint!(
        "/api/configuration/ssh/options",
        Singleton,
        2,
        "configuration/ssh/options.json",
        "Global SSH options: service, logging, GSSAPI, cleanup and timestamping"
    ),
    endpoint!(
        "/api/configuration/ssh/settings_policies",
        Collection,
        2,
        "configuration/ssh/settings_policies.json",
        "SSH protocol settings: client-side algorithms, greeting, timeouts"
    ),
    endpoint!(
        "/api/configuration/telnet/options",
        Singleton,
        2,
        "configuration/telnet/options.json",
        "Global Telnet options: service, logging, cleanup and timestamping"
    ),
    endpoint!(
        "/api/configuration/vnc/connections",
        Collection,
        2,
        "configuration/vnc/connections.json",
        "VNC connection policies: read-only through the REST API"
    ),
    endpoint!(
        "/api/configuration/vnc/options",
        Singleton,
        2,
        "configuration/vnc/options.json",
        "Global VNC options: service and metadata cleanup"
    ),
    endpoint!(
        "/api/transaction",
        Singleton,
        2,
        "transaction.json",
        "Commit of the open transaction, with an optional message"
    ),
];

/// Typed references to the endpoints, for code that names one (a rule's endpoints): a name
/// that is not here does not compile. Each is its path below `/api/configuration/` (or
/// `/api/`) in capitals, `/` written `_`; a test checks the index behind every name.
#[rustfmt::skip]
pub mod id {
    use super::{Endpoint, TABLE};

    pub static AAA_LDAP_SERVERS: &Endpoint = &TABLE[0];
    pub static AAA_LOCAL_DATABASE_GROUPS: &Endpoint = &TABLE[1];
    pub static DATETIME_TIMEZONE: &Endpoint = &TABLE[2];
    pub static ICA_OPTIONS: &Endpoint = &TABLE[3];
    pub static LOCAL_SERVICES_ANALYTICS: &Endpoint = &TABLE[4];
    pub static LOCAL_SERVICES_CLUSTER: &Endpoint = &TABLE[5];
    pub static LOCAL_SERVICES_SNMP_AGENT: &Endpoint = &TABLE[6];
    pub static LOCAL_SERVICES_SSH: &Endpoint = &TABLE[7];
    pub static LOCAL_SERVICES_USER_WEB: &Endpoint = &TABLE[8];
    pub static MANAGEMENT_CERTIFICATES: &Endpoint = &TABLE[9];
    pub static MANAGEMENT_DISK_FILLUP_PREVENTION: &Endpoint = &TABLE[10];
    pub static MANAGEMENT_EMAIL: &Endpoint = &TABLE[11];
    pub static MANAGEMENT_HEALTH_MONITORING: &Endpoint = &TABLE[12];
    pub static MANAGEMENT_SNMP_TRAP: &Endpoint = &TABLE[13];
    pub static MANAGEMENT_SYSLOG: &Endpoint = &TABLE[14];
    pub static MANAGEMENT_WEBINTERFACE: &Endpoint = &TABLE[15];
    pub static NETWORK_DNS: &Endpoint = &TABLE[16];
    pub static NETWORK_IP_FORWARDING_RULE_PAIRS: &Endpoint = &TABLE[17];
    pub static PASSWORDS: &Endpoint = &TABLE[18];
    pub static POLICIES_ARCHIVE_CLEANUP_POLICIES: &Endpoint = &TABLE[19];
    pub static POLICIES_AUDIT_POLICIES: &Endpoint = &TABLE[20];
    pub static POLICIES_LDAP_SERVERS: &Endpoint = &TABLE[21];
    pub static POLICIES_TIME_POLICIES: &Endpoint = &TABLE[22];
    pub static POLICIES_TRUSTED_CA_LISTS: &Endpoint = &TABLE[23];
    pub static POLICIES_USER_DATABASES: &Endpoint = &TABLE[24];
    pub static POLICIES_USERLISTS: &Endpoint = &TABLE[25];
    pub static RDP_CHANNEL_POLICIES: &Endpoint = &TABLE[26];
    pub static RDP_CONNECTIONS: &Endpoint = &TABLE[27];
    pub static RDP_OPTIONS: &Endpoint = &TABLE[28];
    pub static SSH_AUTHENTICATION_POLICIES: &Endpoint = &TABLE[29];
    pub static SSH_CHANNEL_POLICIES: &Endpoint = &TABLE[30];
    pub static SSH_CONNECTIONS: &Endpoint = &TABLE[31];
    pub static SSH_OPTIONS: &Endpoint = &TABLE[32];
    pub static SSH_SETTINGS_POLICIES: &Endpoint = &TABLE[33];
    pub static TELNET_OPTIONS: &Endpoint = &TABLE[34];
    pub static VNC_CONNECTIONS: &Endpoint = &TABLE[35];
    pub static VNC_OPTIONS: &Endpoint = &TABLE[36];
    pub static TRANSACTION: &Endpoint = &TABLE[37];

    /// Every name with its endpoint, for the test that checks them.
    #[cfg(test)]
    pub(crate) const ALL: &[(&str, &&Endpoint)] = &[
        ("AAA_LDAP_SERVERS", &AAA_LDAP_SERVERS),
        ("AAA_LOCAL_DATABASE_GROUPS", &AAA_LOCAL_DATABASE_GROUPS),
        ("DATETIME_TIMEZONE", &DATETIME_TIMEZONE),
        ("ICA_OPTIONS", &ICA_OPTIONS),
        ("LOCAL_SERVICES_ANALYTICS", &LOCAL_SERVICES_ANALYTICS),
        ("LOCAL_SERVICES_CLUSTER", &LOCAL_SERVICES_CLUSTER),
        ("LOCAL_SERVICES_SNMP_AGENT", &LOCAL_SERVICES_SNMP_AGENT),
        ("LOCAL_SERVICES_SSH", &LOCAL_SERVICES_SSH),
        ("LOCAL_SERVICES_USER_WEB", &LOCAL_SERVICES_USER_WEB),
        ("MANAGEMENT_CERTIFICATES", &MANAGEMENT_CERTIFICATES),
        ("MANAGEMENT_DISK_FILLUP_PREVENTION", &MANAGEMENT_DISK_FILLUP_PREVENTION),
        ("MANAGEMENT_EMAIL", &MANAGEMENT_EMAIL),
        ("MANAGEMENT_HEALTH_MONITORING", &MANAGEMENT_HEALTH_MONITORING),
        ("MANAGEMENT_SNMP_TRAP", &MANAGEMENT_SNMP_TRAP),
        ("MANAGEMENT_SYSLOG", &MANAGEMENT_SYSLOG),
        ("MANAGEMENT_WEBINTERFACE", &MANAGEMENT_WEBINTERFACE),
        ("NETWORK_DNS", &NETWORK_DNS),
        ("NETWORK_IP_FORWARDING_RULE_PAIRS", &NETWORK_IP_FORWARDING_RULE_PAIRS),
        ("PASSWORDS", &PASSWORDS),
        ("POLICIES_ARCHIVE_CLEANUP_POLICIES", &POLICIES_ARCHIVE_CLEANUP_POLICIES),
        ("POLICIES_AUDIT_POLICIES", &POLICIES_AUDIT_POLICIES),
        ("POLICIES_LDAP_SERVERS", &POLICIES_LDAP_SERVERS),
        ("POLICIES_TIME_POLICIES", &POLICIES_TIME_POLICIES),
        ("POLICIES_TRUSTED_CA_LISTS", &POLICIES_TRUSTED_CA_LISTS),
        ("POLICIES_USER_DATABASES", &POLICIES_USER_DATABASES),
        ("POLICIES_USERLISTS", &POLICIES_USERLISTS),
        ("RDP_CHANNEL_POLICIES", &RDP_CHANNEL_POLICIES),
        ("RDP_CONNECTIONS", &RDP_CONNECTIONS),
        ("RDP_OPTIONS", &RDP_OPTIONS),
        ("SSH_AUTHENTICATION_POLICIES", &SSH_AUTHENTICATION_POLICIES),
        ("SSH_CHANNEL_POLICIES", &SSH_CHANNEL_POLICIES),
        ("SSH_CONNECTIONS", &SSH_CONNECTIONS),
        ("SSH_OPTIONS", &SSH_OPTIONS),
        ("SSH_SETTINGS_POLICIES", &SSH_SETTINGS_POLICIES),
        ("TELNET_OPTIONS", &TELNET_OPTIONS),
        ("VNC_CONNECTIONS", &VNC_CONNECTIONS),
        ("VNC_OPTIONS", &VNC_OPTIONS),
        ("TRANSACTION", &TRANSACTION),
    ];
}
/// Endpoints the SPS reference lists (below /api/configuration) whose pages show too little of
/// the body for a schema: a file for one is skipped with that said, not as an unknown path.
pub static WITHOUT_SCHEMA: &[&str] = &[
    "policies/signing_cas",
    "rdp/settings_policies",
    "ica/settings_policies",
    "ica/channel_policies",
    "telnet/channel_policies",
    "vnc/channel_policies",
    "http/channel_policies",
    "telnet/connections",
    "ica/connections",
    "http/connections",
    "mssql/connections",
    "http/options",
    "mssql/options",
    "rdp/domain_membership",
    "telnet/pattern_sets",
    "policies/credentialstores",
    "plugins/credentialstore",
    "policies/usermapping_policies",
    "policies/indexing",
    "policies/content_policies",
    "policies/backup_policies",
    "local_services/indexer",
    "local_services/admin_web",
    "network/nics",
    "network/naming",
    "network/routing",
    "datetime/ntp_servers",
    "alerting/traffic_alerts",
    "aaa/local_database/users",
];

/// The endpoint of [`WITHOUT_SCHEMA`] a path is for: a folder pair of the path names it
/// (`…/policies/signing_cas/<key>.json`, `…/network/naming.json`).
pub fn without_schema(path: &str) -> Option<&'static str> {
    let path = path.replace('\\', "/");
    let path = path.strip_suffix(".json").unwrap_or(&path);
    WITHOUT_SCHEMA.iter().copied().find(|e| {
        path.ends_with(&format!("/{e}"))
            || path == *e
            || path.contains(&format!("/{e}/"))
            || path.starts_with(&format!("{e}/"))
    })
}

/// The node a local `$ref` string (`#/$defs/...`) of the schema `root` names. The schemas use
/// local references only; this is the one place that follows them.
pub fn ref_target<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    root.pointer(reference.strip_prefix('#')?)
}

/// The node `node`'s own `$ref` names in `root`, when it has one that resolves.
pub fn follow_ref<'a>(root: &'a Value, node: &Value) -> Option<&'a Value> {
    ref_target(root, node.get("$ref")?.as_str()?)
}

/// `--endpoint` and `spslint schema`: an endpoint in any spelling [`by_name`] accepts, or a
/// message listing them.
pub fn parse_argument(name: &str) -> Result<&'static Endpoint, String> {
    by_name(name).ok_or_else(|| {
        let known: Vec<&str> = ENDPOINTS.iter().map(|e| e.path).collect();
        format!("unknown endpoint; known endpoints: {}", known.join(", "))
    })
}

/// Parse the value of `--endpoint`: `/api/configuration/management/email`,
/// `configuration/management/email`, `management/email`, `/api/transaction` or `transaction`.
pub fn by_name(name: &str) -> Option<&'static Endpoint> {
    let name = name.trim().trim_end_matches('/');
    let name = name.strip_suffix(".json").unwrap_or(name);
    let name = name.trim_start_matches('/');
    let name = name.strip_prefix("api/").unwrap_or(name);
    let name = name.strip_prefix("configuration/").unwrap_or(name);
    ENDPOINTS.iter().find(|e| e.config_path() == name)
}

/// The endpoint a saved GET response's `meta.href` names, and the object key it carries
/// for a collection.
pub fn by_href(href: &str) -> Option<(&'static Endpoint, Option<&str>)> {
    let href = href.trim_end_matches('/');
    for e in ENDPOINTS {
        if href == e.path {
            return Some((e, None));
        }
        if e.kind == Kind::Collection
            && let Some(rest) = href.strip_prefix(e.path)
            && let Some(key) = rest.strip_prefix('/')
            && !key.is_empty()
            && !key.contains('/')
        {
            return Some((e, Some(key)));
        }
    }
    None
}

/// The endpoint a file path designates: `…/management/snmp/trap.json`, a variant in a folder
/// named after a singleton (`…/management/snmp/trap/v3.json`), or one object of a collection
/// (`…/policies/time_policies/<key>.json`). Longest match wins.
pub fn by_path(path: &Path) -> Option<&'static Endpoint> {
    // The last few components, innermost first, without allocating: every file of a run comes
    // through here, and no endpoint needs more than `TAIL` of them. Split as a string (a path
    // given or walked is UTF-8 in practice): `Path::components` costs more than the rest.
    const TAIL: usize = 8;
    let mut tail = [""; TAIL];
    let mut n = 0;
    let lossy = path.to_string_lossy();
    for c in lossy.rsplit(std::path::is_separator) {
        if c.is_empty() || c == "." || c == ".." {
            continue;
        }
        tail[n] = c;
        n += 1;
        if n == TAIL {
            break;
        }
    }
    let (file, dirs) = tail[..n].split_first()?;
    let stem = file.strip_suffix(".json")?;
    let mut best: Option<(&'static Endpoint, usize)> = None;
    for (e, comps) in ENDPOINTS.iter().zip(reversed_components()) {
        // Most endpoints fail on their innermost name: ruled out before the general match.
        let innermost = comps[0];
        if innermost != stem && dirs.first().copied() != Some(innermost) {
            continue;
        }
        let want = e.match_components;
        // Candidate folder sequences: the file stem names the endpoint, or a folder does.
        let with_stem = std::iter::once(&stem).chain(dirs);
        let matched = (e.kind == Kind::Singleton && suffix_len(comps, with_stem) >= want)
            || suffix_len(comps, dirs.iter()) >= want;
        if matched && best.is_none_or(|(_, l)| comps.len() > l) {
            best = Some((e, comps.len()));
        }
    }
    best.map(|(e, _)| e)
}

/// The endpoint of a file inside a repository, from its path relative to the repository root
/// (`/`-separated). The repository may keep its bodies in the API's own layout
/// (`api/configuration/passwords/<key>.json`), or without that prefix from the root
/// (`passwords/<key>.json`, `management/snmp/trap.json`): inside a repository even the generic
/// names (`passwords`, `transaction`) are taken when they start at the root. Deeper layouts
/// (`sps/prod/api/configuration/...`) map as [`by_path`] maps any path.
pub fn by_repo_path(rel: &str) -> Option<&'static Endpoint> {
    let anchored = rel.strip_prefix("api/").unwrap_or(rel);
    let anchored = anchored.strip_prefix("configuration/").unwrap_or(anchored);
    anchored_match(anchored).or_else(|| by_path(Path::new(rel)))
}

/// `rel` names an endpoint from its first component on: a collection's folder and one object
/// in it, a singleton's file, or a variant in a folder named after a singleton.
fn anchored_match(rel: &str) -> Option<&'static Endpoint> {
    let (dirs, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.strip_suffix(".json")?;
    ENDPOINTS.iter().find(|e| {
        let path = e.config_path();
        match e.kind {
            Kind::Collection => dirs == path && !stem.is_empty(),
            Kind::Singleton => {
                dirs == path
                    || path
                        .strip_suffix(stem)
                        .and_then(|p| p.strip_suffix('/').or((p.is_empty()).then_some("")))
                        == Some(dirs)
            }
        }
    })
}

/// The endpoint a path that maps to none was probably meant for: the endpoint whose path is
/// within a few edits of the file's folders (or folders and stem), for messages such as
/// `policies/time_policy/night.json` -> `policies/time_policies`.
pub fn closest(path: &str) -> Option<&'static Endpoint> {
    let path = path.replace('\\', "/");
    let path = path.strip_suffix(".json").unwrap_or(&path);
    let parts: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    let names: Vec<&'static str> = ENDPOINTS.iter().map(|e| e.config_path()).collect();
    // Every run of trailing folders (with or without the stem), longest first, is compared
    // with every endpoint path.
    let mut best: Option<(&'static str, usize)> = None;
    for end in [parts.len(), parts.len().saturating_sub(1)] {
        for start in 0..end {
            let candidate = parts[start..end].join("/");
            if let Some(name) = crate::text::did_you_mean(&candidate, &names) {
                let distance = strsim::damerau_levenshtein(&candidate, name);
                if best.is_none_or(|(_, d)| distance < d) {
                    best = Some((name, distance));
                }
            }
        }
    }
    best.and_then(|(name, _)| ENDPOINTS.iter().find(|e| e.config_path() == name))
}

/// Each endpoint's path components, innermost first (`trap`, `snmp`, `management`, ...).
fn reversed_components() -> &'static [Vec<&'static str>] {
    static TABLE: std::sync::OnceLock<Vec<Vec<&'static str>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        ENDPOINTS
            .iter()
            .map(|e| e.components().rev().collect())
            .collect()
    })
}

/// How many leading items of `comps` and of a path's components (both innermost first) agree.
fn suffix_len<'a>(comps: &[&str], innermost_first: impl Iterator<Item = &'a &'a str>) -> usize {
    comps
        .iter()
        .zip(innermost_first)
        .take_while(|(a, b)| a == b)
        .count()
}

/// A saved GET response: `{"body": {...}, "key": ..., "meta": {"href": ...}}`.
pub fn response_href(value: &Value) -> Option<&str> {
    let obj = value.as_object()?;
    if !obj.contains_key("body")
        || !obj
            .keys()
            .all(|k| matches!(k.as_str(), "body" | "key" | "meta"))
    {
        return None;
    }
    obj.get("meta")?.get("href")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_endpoint_values_are_computed_once_and_only_for_the_endpoints_asked() {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let table: PerEndpoint<&'static str> = PerEndpoint::new();
        let email = by_name("management/email").unwrap();
        let syslog = by_name("management/syslog").unwrap();
        for _ in 0..3 {
            let v = table.get_or_init(email, || {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                email.path
            });
            assert_eq!(*v, email.path);
        }
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 1);
        assert_eq!(*table.get_or_init(syslog, || syslog.path), syslog.path);
        assert_eq!(*table.get_or_init(email, || "recomputed"), email.path);
    }

    #[test]
    fn endpoint_names_in_every_accepted_spelling() {
        for name in [
            "/api/configuration/management/email",
            "configuration/management/email",
            "management/email",
            "management/email/",
        ] {
            assert_eq!(
                by_name(name).unwrap().path,
                "/api/configuration/management/email"
            );
        }
        assert_eq!(by_name("transaction").unwrap().path, "/api/transaction");
        assert_eq!(
            by_name("/api/transaction").unwrap().path,
            "/api/transaction"
        );
        assert!(by_name("management").is_none());
        assert!(by_name("snmp/trap").is_none());
    }

    #[test]
    fn paths_map_to_singletons_collections_and_variants() {
        let p = |s: &str| by_path(Path::new(s)).map(|e| e.path);
        assert_eq!(
            p("repo/api/configuration/management/snmp/trap.json"),
            Some("/api/configuration/management/snmp/trap")
        );
        assert_eq!(
            p("x/management/snmp/trap/v3.json"),
            Some("/api/configuration/management/snmp/trap")
        );
        assert_eq!(
            p("policies/time_policies/abc.json"),
            Some("/api/configuration/policies/time_policies")
        );
        assert_eq!(p("a/api/transaction.json"), Some("/api/transaction"));
        assert_eq!(p("a/api/transaction/commit.json"), Some("/api/transaction"));
        assert_eq!(
            p("configuration/passwords/k1.json"),
            Some("/api/configuration/passwords")
        );
        // Too generic to be taken on their own.
        assert_eq!(p("transaction.json"), None);
        assert_eq!(p("passwords/k1.json"), None);
        assert_eq!(p("trap.json"), None);
        assert_eq!(p("management/email.txt"), None);
        // A collection's folder name alone is not an object.
        assert_eq!(p("policies/time_policies.json"), None);
    }

    #[test]
    fn repository_paths_map_with_and_without_the_api_prefix() {
        let p = |s: &str| by_repo_path(s).map(|e| e.config_path());
        assert_eq!(p("passwords/k1.json"), Some("passwords"));
        assert_eq!(p("api/configuration/passwords/k1.json"), Some("passwords"));
        assert_eq!(p("configuration/passwords/k1.json"), Some("passwords"));
        assert_eq!(p("management/snmp/trap.json"), Some("management/snmp/trap"));
        assert_eq!(
            p("management/snmp/trap/v3.json"),
            Some("management/snmp/trap")
        );
        assert_eq!(p("transaction.json"), Some("transaction"));
        assert_eq!(p("api/transaction/commit.json"), Some("transaction"));
        assert_eq!(
            p("policies/time_policies/night.json"),
            Some("policies/time_policies")
        );
        // Deeper layouts map by their tail, as any path does.
        assert_eq!(
            p("sps/prod/api/configuration/policies/userlists/-4.json"),
            Some("policies/userlists")
        );
        // Generic names are taken only from the root.
        assert_eq!(p("docs/passwords/k1.json"), None);
        assert_eq!(p("policies/time_policy/night.json"), None);
        assert_eq!(p("policies/time_policies.json"), None);
        assert_eq!(p("passwords.json"), None);
    }

    #[test]
    fn misspelt_folders_suggest_the_endpoint() {
        let c = |s: &str| closest(s).map(|e| e.config_path());
        assert_eq!(
            c("policies/time_policy/night.json"),
            Some("policies/time_policies")
        );
        assert_eq!(
            c("repo/managment/snmp/trap.json"),
            Some("management/snmp/trap")
        );
        assert_eq!(c("password/k.json"), Some("passwords"));
        assert_eq!(c("docs/readme/notes.json"), None);
    }

    #[test]
    fn documented_endpoints_without_a_schema_are_recognised() {
        assert_eq!(
            without_schema("api/configuration/policies/signing_cas/991699365727ac4eb4606.json"),
            Some("policies/signing_cas")
        );
        assert_eq!(
            without_schema("repo/network/naming.json"),
            Some("network/naming")
        );
        assert_eq!(without_schema("network/dns.json"), None);
        assert_eq!(without_schema("notes/signing_cas.json"), None);
        for e in WITHOUT_SCHEMA {
            assert!(by_name(e).is_none(), "{e} has a schema");
        }
    }

    #[test]
    fn hrefs_name_endpoint_and_key() {
        let (e, k) = by_href("/api/configuration/policies/userlists/-4").unwrap();
        assert_eq!(
            (e.path, k),
            ("/api/configuration/policies/userlists", Some("-4"))
        );
        let (e, k) = by_href("/api/configuration/management/email").unwrap();
        assert_eq!((e.path, k), ("/api/configuration/management/email", None));
        assert!(by_href("/api/configuration/management/email/x").is_none());
    }

    #[test]
    fn every_endpoint_id_names_its_endpoint() {
        assert_eq!(id::ALL.len(), ENDPOINTS.len());
        for (name, e) in id::ALL {
            let tail = e
                .path
                .trim_start_matches("/api/configuration/")
                .trim_start_matches("/api/");
            assert_eq!(*name, tail.replace('/', "_").to_uppercase(), "{}", e.path);
        }
    }
}
