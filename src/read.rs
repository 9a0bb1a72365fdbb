//! Reading a file to lint. spslint runs as a CI gate on pull requests, whose author chooses the
//! files: a `.json` symbolic link to `/etc/...`, to a file under `/proc`, or to a device must
//! not put its text into the CI log, and a 2 GB file must not take the runner's memory.
//!
//! - Regular files only: a FIFO or a device is refused, from the open handle (no `stat` per
//!   file, no hang on a FIFO).
//! - A symbolic link is followed only when its target lies inside the repository the link is
//!   in (the folder of the nearest `spslint.toml`, else the git root: `crate::workspace::root_for`)
//!   and is a regular file or a folder, not under `/proc` or `/sys`. Other links are not read:
//!   [`Refusal::Link`], reported as a warning (FILE002). A link outside any repository (a path
//!   given on the command line in a plain folder) is followed as given. Regular files pay
//!   nothing for this: the file is opened with `O_NOFOLLOW`, and only a link fails that open.
//! - A file larger than the limit is not read ([`Refusal::TooLarge`], FILE003): its size is
//!   known from the open handle, and a file that grows while it is read is cut at the limit, so
//!   memory stays bounded by the limit.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::codes;
use crate::diagnostic::{Diagnostic, Span};

pub use crate::settings::DEFAULT_MAX_FILE_SIZE;

/// Why a symbolic link is not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// Its target lies outside the repository (given) the link is in.
    OutsideRepository(PathBuf),
    /// Its target is a kernel interface (`/proc`, `/sys`).
    SystemFiles,
    /// Its target is not a file: a FIFO, a device, a socket.
    NotAFile(&'static str),
}

/// A file that is deliberately not read: reported, and the run goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Link {
        /// Where the link leads, resolved.
        target: PathBuf,
        why: LinkProblem,
    },
    TooLarge {
        /// The size, when known (a file that grows while read is only known to be larger).
        size: Option<u64>,
        limit: u64,
    },
}

#[derive(Debug)]
pub enum ReadError {
    /// The file cannot be read (missing, not a regular file, no permission, ...): an error
    /// naming it, exit 2.
    Io(io::Error),
    Refused(Refusal),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => e.fmt(f),
            ReadError::Refused(r) => f.write_str(&r.diagnostic().message),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl Refusal {
    /// The finding that reports it, at the start of the file.
    pub fn diagnostic(&self) -> Diagnostic {
        let d = match self {
            Refusal::Link { target, why } => {
                let target = target.display();
                let (message, help) = match why {
                    LinkProblem::OutsideRepository(root) => (
                        format!(
                            "not read: this symbolic link points to {target}, outside the repository ({})",
                            root.display()
                        ),
                        "a link may point only inside the repository, so that no change to it can make spslint read and print other files: put the file itself here, or point the link inside the repository",
                    ),
                    LinkProblem::SystemFiles => (
                        format!(
                            "not read: this symbolic link points to {target}, a kernel interface, not a request body"
                        ),
                        "remove the link, or point it at a body inside the repository",
                    ),
                    LinkProblem::NotAFile(kind) => (
                        format!(
                            "not read: this symbolic link points to {kind} ({target}), not to a file"
                        ),
                        "remove the link, or point it at a body inside the repository",
                    ),
                };
                Diagnostic::new(&codes::LINK_NOT_FOLLOWED, "", message).with_help(help)
            }
            Refusal::TooLarge { size, limit } => {
                let size = match size {
                    Some(n) => format!("{n} bytes"),
                    None => format!("larger than {limit} bytes"),
                };
                Diagnostic::new(
                    &codes::FILE_TOO_LARGE,
                    "",
                    format!(
                        "not read: the file is {size}, over the limit of {limit} bytes; no SPS request body is that large"
                    ),
                )
                .with_help(
                    "check that this is a request body; if it is, raise `max_file_size` in spslint.toml or pass --max-file-size",
                )
            }
        };
        d.at_span(Span {
            start: 0,
            end: 0,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        })
    }
}

/// Read a file to lint, under the policy above.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory").into());
    }
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file").into());
    }
    if meta.len() > limit {
        return Err(ReadError::Refused(Refusal::TooLarge {
            size: Some(meta.len()),
            limit,
        }));
    }
    // One spare byte, so the read that sees the end needs no second allocation.
    let capacity = usize::try_from(meta.len()).unwrap_or(0).saturating_add(1);
    read_limited_into(file, limit, Vec::with_capacity(capacity))
}

/// Read everything from `reader` (standard input), refusing more than `limit` bytes.
pub fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_limited_into(reader, limit, Vec::new())
}

fn read_limited_into(
    reader: impl Read,
    limit: u64,
    mut bytes: Vec<u8>,
) -> Result<Vec<u8>, ReadError> {
    // Through `take`: never more than the limit and one byte in memory, whatever the file
    // does meanwhile (and `File::read_to_end` would ask the size again).
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::Refused(Refusal::TooLarge { size: None, limit }));
    }
    Ok(bytes)
}

/// Open for reading without blocking (a FIFO would block the run) and without following a
/// link; a link is checked and then its resolved target opened.
#[cfg(unix)]
fn open(path: &Path) -> Result<File, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    match options.open(path) {
        Ok(f) => Ok(f),
        // `O_NOFOLLOW` on a link: ELOOP (Linux, macOS), EMLINK (FreeBSD).
        Err(e) if matches!(e.raw_os_error(), Some(libc::ELOOP | libc::EMLINK)) => {
            let target = check_link(path)?;
            // The resolved path has no link left; one swapped in since is refused, not followed.
            Ok(options.open(target)?)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn open(path: &Path) -> Result<File, ReadError> {
    if std::fs::symlink_metadata(path)?.is_symlink() {
        return Ok(File::open(check_link(path)?)?);
    }
    Ok(File::open(path)?)
}

/// Where a symbolic link leads, if it may be followed.
pub fn check_link(link: &Path) -> Result<PathBuf, ReadError> {
    let target = std::fs::canonicalize(link)?;
    let refuse = |why| {
        Err(ReadError::Refused(Refusal::Link {
            target: target.clone(),
            why,
        }))
    };
    if target.starts_with("/proc") || target.starts_with("/sys") {
        return refuse(LinkProblem::SystemFiles);
    }
    let kind = std::fs::metadata(&target)?.file_type();
    if !kind.is_file() && !kind.is_dir() {
        return refuse(LinkProblem::NotAFile(describe(kind)));
    }
    let dir = link
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Some(root) = crate::workspace::root_for(dir)
        && !target.starts_with(&root)
    {
        return refuse(LinkProblem::OutsideRepository(root));
    }
    Ok(target)
}

fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = kind;
    "something other than a file"
}

/// A size as `max_file_size` and `--max-file-size` take it: bytes, or a number with a unit
/// `K`, `M` or `G` (powers of 1024; `KiB`, `MB`, ... are read the same way).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(size_error(text)),
    };
    let n: u64 = digits.parse().map_err(|_| size_error(text))?;
    if n == 0 {
        return Err(format!("`{text}`: the size limit must be more than 0"));
    }
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large a size"))
}

fn size_error(text: &str) -> String {
    format!("`{text}` is not a size: write a number of bytes, or a number with K, M or G (16M)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("16777216"), Ok(16 << 20));
        assert_eq!(parse_size("16M"), Ok(16 << 20));
        assert_eq!(parse_size(" 16 MiB "), Ok(16 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("512kb"), Ok(512 << 10));
        for bad in [
            "",
            "M",
            "1.5M",
            "-1",
            "0",
            "12 parsecs",
            "99999999999999999999G",
        ] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reading_stops_at_the_limit() {
        let data = [b'x'; 100];
        assert_eq!(read_limited(&data[..], 100).unwrap().len(), 100);
        match read_limited(&data[..], 99) {
            Err(ReadError::Refused(Refusal::TooLarge { size: None, limit })) => {
                assert_eq!(limit, 99)
            }
            other => panic!("{other:?}"),
        }
        // An endless source costs the limit, not the source.
        assert!(matches!(
            read_limited(io::repeat(b'x'), 1 << 10),
            Err(ReadError::Refused(Refusal::TooLarge { .. }))
        ));
    }
}
