//! Where a repository starts and where a path lies in it. The only part of the repository
//! handling that touches the file system; the index of facts is `crate::repo`.

use std::path::{Path, PathBuf};

/// Where the repository of a run starts: the nearest folder at or above `start` holding
/// `spslint.toml`, else the nearest holding `.git`. Without either there is no repository to
/// index beyond the files given (a stray folder of bodies is not a configuration repository,
/// and indexing the current directory could mean reading a whole home folder).
pub fn root_for(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent()?
    };
    root_above(dir)
}

/// [`root_for`] from a canonical folder.
pub fn root_above(dir: &Path) -> Option<PathBuf> {
    ["spslint.toml", ".git"]
        .iter()
        .find_map(|marker| dir.ancestors().find(|d| d.join(marker).exists()))
        .map(Path::to_path_buf)
}

/// Where a path lies: its repository root (canonical) and its place below it
/// (`/`-separated), or `None` outside any repository. The path need not exist (standard input
/// is linted as the file it will become): its nearest existing folder decides. A symbolic link
/// is placed where it is, not where it points.
pub fn locate(path: &Path) -> Option<(PathBuf, String)> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    // A folder is placed as itself; anything else by its folder and its own name.
    let (mut dir, mut rest): (PathBuf, Vec<std::ffi::OsString>) = match std::fs::metadata(&absolute)
    {
        Ok(m) if m.is_dir() => (absolute, Vec::new()),
        _ => (
            absolute.parent()?.to_path_buf(),
            vec![absolute.file_name()?.to_os_string()],
        ),
    };
    let canonical = loop {
        match std::fs::canonicalize(&dir) {
            Ok(c) => break c,
            Err(_) => {
                rest.push(dir.file_name()?.to_os_string());
                dir = dir.parent()?.to_path_buf();
            }
        }
    };
    let root = root_above(&canonical)?;
    let mut full = canonical;
    for part in rest.iter().rev() {
        if part == ".." {
            full.pop();
        } else if part != "." {
            full.push(part);
        }
    }
    let place = place_below(&root, &full)?;
    Some((root, place))
}

/// `path` relative to `root`, `/`-separated, when it is below it.
pub fn place_below(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut place = String::new();
    for c in rel.components() {
        if !place.is_empty() {
            place.push('/');
        }
        place.push_str(c.as_os_str().to_str()?);
    }
    Some(place)
}
