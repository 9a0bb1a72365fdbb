//! `--fix` and `--diff`: lint, apply the safe fixes, lint again, and write the files or print
//! the diff. The edits themselves are `crate::fix`'s.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostic::Fix;
use crate::document;
use crate::endpoint::Endpoint;
use crate::engine::lint_file;
use crate::fix::{MAX_PASSES, apply};
use crate::lint::{FileError, Input};
use crate::read::ReadError;
use crate::settings::Settings;

/// The result of fixing one file's bytes.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub bytes: Vec<u8>,
    /// Fixes applied, over all passes.
    pub applied: usize,
    /// The endpoint the file was linted as (what `--diff` may show of it depends on it).
    pub endpoint: Option<&'static Endpoint>,
}

/// Lint, apply the fixes, lint again, until nothing fixable is left (at most [`MAX_PASSES`]).
/// A file that does not parse comes back unchanged, and so does a pass that would break it.
pub fn fix_bytes(
    path: &str,
    place: Option<&str>,
    original: &[u8],
    settings: &Settings,
    config: Option<&Config>,
) -> Fixed {
    let file = config::resolve(config, settings, path);
    let mut bytes = original.to_vec();
    let mut applied = 0;
    let mut endpoint = None;
    for _ in 0..MAX_PASSES {
        if document::parse(&bytes).value.is_none() {
            break;
        }
        let report = lint_file(path.to_string(), place, &bytes, settings, &file);
        endpoint = report.endpoint;
        let fixes: Vec<&Fix> = report
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .collect();
        let (next, n) = apply(&bytes, &fixes);
        if n == 0 || next == bytes || document::parse(&next).value.is_none() {
            break;
        }
        bytes = next;
        applied += n;
    }
    Fixed {
        bytes,
        applied,
        endpoint,
    }
}

/// A file `--fix` would change.
#[derive(Debug, Clone)]
pub struct FileFix {
    pub path: PathBuf,
    /// As shown in messages and diffs.
    pub display: String,
    /// What was read: the file is written only if it still holds exactly this.
    pub original: Vec<u8>,
    pub fixed: Vec<u8>,
    pub applied: usize,
    pub endpoint: Option<&'static Endpoint>,
}

/// Fix files in memory (in parallel). Only the files that would change are returned.
pub fn fix_files(
    files: &[Input],
    settings: &Settings,
    config: Option<&Config>,
) -> (Vec<FileFix>, Vec<FileError>) {
    let results: Vec<Result<Option<FileFix>, FileError>> = files
        .par_iter()
        .map(|Input { path: p, place }| {
            let display = p.display().to_string();
            let error = |message: String| FileError {
                path: display.clone(),
                message,
            };
            // The linting pass reports a file refused here (a link out of the repository, a
            // file over the size limit); it is not fixed.
            let original = match crate::read::read_file(p, settings.max_file_size) {
                Ok(bytes) => bytes,
                Err(ReadError::Refused(_)) => return Ok(None),
                Err(ReadError::Io(e)) => return Err(error(e.to_string())),
            };
            let fixed = fix_bytes(&display, place.as_deref(), &original, settings, config);
            Ok((fixed.bytes != original).then(|| FileFix {
                path: p.clone(),
                display: display.clone(),
                original,
                fixed: fixed.bytes,
                applied: fixed.applied,
                endpoint: fixed.endpoint,
            }))
        })
        .collect();
    let mut fixes = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(Some(f)) => fixes.push(f),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    (fixes, errors)
}

/// Write a fixed file: through a temporary file in the same folder and a rename, so a reader
/// never sees half a file, keeping the file's permissions, owner and group. Refused, the file
/// untouched, when it changed on disk since it was read, when it has other hard links (the
/// rename would leave them holding the old text), and when the new file cannot be given back
/// to the file's owner and group (spslint run by another user than the owner). A symbolic link
/// is followed: its target is rewritten.
///
/// What it cannot prevent: a writer that changes the file between the last check and the
/// rename loses that change (the rename replaces the file it wrote to).
pub fn write(fix: &FileFix) -> std::io::Result<()> {
    let target = std::fs::canonicalize(&fix.path)?;
    let meta = std::fs::metadata(&target)?;
    let permissions = meta.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(std::io::Error::other(format!(
                "the file has {} hard links, and writing the fixed copy in its place would leave the others with the old text: not fixed (apply what --diff shows by hand)",
                meta.nlink()
            )));
        }
    }
    let unchanged = || -> std::io::Result<()> {
        if std::fs::read(&target)? != fix.original {
            return Err(std::io::Error::other(
                "the file changed on disk since it was read: not fixed (run spslint again)",
            ));
        }
        Ok(())
    };
    unchanged()?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    // Created beside the target (a rename does not cross file systems) under a unique name;
    // removed when dropped unless persisted, so a failure leaves nothing behind.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.spslint-"))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(&fix.fixed)?;
    give_back(tmp.as_file(), &meta)?;
    // After the change of owner, which clears set-user-ID and set-group-ID bits.
    tmp.as_file().set_permissions(permissions)?;
    tmp.as_file().sync_all()?;
    unchanged()?;
    tmp.persist(&target).map(drop).map_err(|e| e.error)
}

/// Give the fixed file the owner and group of the file it replaces. Nothing to do when they are
/// already ours; root can always do it; another user only for a group of theirs.
#[cfg(unix)]
fn give_back(file: &std::fs::File, original: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let ours = file.metadata()?;
    if (ours.uid(), ours.gid()) == (original.uid(), original.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).map_err(|e| {
        std::io::Error::other(format!(
            "the fixed file cannot be given back to the file's owner and group (uid {}, gid {}): {e}; not fixed (run spslint as the owner)",
            original.uid(),
            original.gid()
        ))
    })
}

#[cfg(not(unix))]
fn give_back(_: &std::fs::File, _: &std::fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

/// A unified diff of one fix, `--- path` / `+++ path`. Values are shown as in the human
/// snippet (`crate::secrets::display_text`: secrets and unknown values masked, so a diff
/// touching a masked value is for reading: `--fix` applies it), and control characters are
/// written out, line breaks (CRLF included) and tabs excepted.
pub fn unified_diff(fix: &FileFix) -> String {
    let old = crate::secrets::display_text(&String::from_utf8_lossy(&fix.original), fix.endpoint);
    let new = crate::secrets::display_text(&String::from_utf8_lossy(&fix.fixed), fix.endpoint);
    let display = crate::text::escape::controls(&fix.display);
    let diff = similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .header(&display, &display)
        .to_string();
    let mut out = String::with_capacity(diff.len());
    for line in diff.split_inclusive('\n') {
        // A CRLF file's line ends stay as they are; any other CR is written out.
        let (body, end) = match line.strip_suffix("\r\n") {
            Some(body) => (body, "\r\n"),
            None => (line, ""),
        };
        crate::text::escape::push_escaped(&mut out, body, true);
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_string_body_unwraps_to_the_bare_string() {
        let fixed = fix_bytes(
            "api/configuration/datetime/timezone.json",
            None,
            br#"{"body": "Europe/Budapest", "key": "timezone", "meta": {"href": "/api/configuration/datetime/timezone"}}"#,
            &Settings::default(),
            None,
        );
        assert_eq!(fixed.bytes, br#""Europe/Budapest""#);
        assert_eq!(fixed.applied, 1);
    }
}
