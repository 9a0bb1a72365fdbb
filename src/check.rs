//! The `check` command from start to exit status: read standard input, plan the run
//! (`crate::run`), apply or print the fixes (`crate::fixer`), lint, render, and decide the
//! status. `main.rs` parses the arguments and calls [`check`]; everything here is testable
//! with buffers in place of the terminal.

use std::io::{Read, Write};
use std::path::PathBuf;

use crate::config::Layer;
use crate::diagnostic::Severity;
use crate::fixer::{self, FileFix};
use crate::lint::FileError;
use crate::read::{DEFAULT_MAX_FILE_SIZE, ReadError, read_limited};
use crate::render::{self, Format, RenderOptions};
use crate::run::{self, ConfigSource, Plan, Request};
use crate::settings::Settings;
use crate::text::escape::controls;

/// Everything `spslint check` is asked, once arguments are parsed.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files and folders; `-` is standard input. Empty: the current directory.
    pub paths: Vec<PathBuf>,
    pub format: Option<Format>,
    /// `--select` (`None` when not given) and `--ignore`, split at commas.
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub config: ConfigSource,
    /// `--endpoint`, `--require-endpoint`, `--strict-refs`, `--sps-version`.
    pub settings: Settings,
    pub stdin_filename: String,
    pub quiet: bool,
    pub statistics: bool,
    /// Colors in the human format (the caller decides from the terminal and NO_COLOR).
    pub color: bool,
    pub exit_zero: bool,
    /// The least severity that makes the status 1.
    pub fail_on: Severity,
    pub fix: bool,
    pub diff: bool,
    pub max_file_size: Option<u64>,
}

/// A request the arguments allowed but the run cannot serve: the caller reports it as a usage
/// error (clap's format, exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    /// `--statistics` with a format that has no statistics view.
    StatisticsFormat,
}

/// The process's streams.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
}

/// Run `spslint check`; the exit status: 0 clean, 1 findings at or above `fail_on` (or
/// fixes to show with `--diff`), 2 files or configuration that cannot be used.
pub fn check(options: Options, io: Io<'_>) -> Result<u8, UsageError> {
    let Io {
        stdin,
        stdout,
        stderr,
    } = io;
    // Messages to standard error are best effort: nothing is left to tell if it is closed.
    macro_rules! say {
        ($($arg:tt)*) => { let _ = writeln!(stderr, $($arg)*); };
    }
    let cli = match Layer::from_cli(options.select.clone(), options.ignore.clone()) {
        Ok(layer) => layer,
        Err(message) => {
            say!("spslint: error: {message}");
            return Ok(2);
        }
    };
    let mut paths = options.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let wants_stdin = paths.iter().any(|p| p.as_os_str() == "-");
    paths.retain(|p| p.as_os_str() != "-");
    let mut read_errors = Vec::new();
    let mut stdin_bytes = None;
    if wants_stdin {
        // Bounded by --max-file-size or the default: the repository's configuration is not
        // known yet.
        let limit = options.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE);
        let name = options.stdin_filename.clone();
        match read_limited(stdin, limit) {
            Ok(bytes) => stdin_bytes = Some((name, Ok(bytes))),
            Err(ReadError::Refused(r)) => stdin_bytes = Some((name, Err(r))),
            Err(ReadError::Io(e)) => read_errors.push(FileError {
                path: name,
                message: e.to_string(),
            }),
        }
    }
    let mut plan = run::plan(Request {
        paths,
        stdin: stdin_bytes,
        config: options.config.clone(),
        cli,
        settings: options.settings.clone(),
        format: options.format,
        statistics: options.statistics,
        max_file_size: options.max_file_size,
    });
    plan.errors.append(&mut read_errors);
    for note in &plan.notes {
        say!("spslint: note: {note}");
    }
    for e in &plan.config_errors {
        say!("spslint: error: {}", controls(&e.to_string()));
    }
    if plan.groups.is_empty() && !plan.config_errors.is_empty() {
        return Ok(2);
    }
    let format = plan.format;
    if options.statistics && !format.has_statistics() {
        return Err(UsageError::StatisticsFormat);
    }
    let mut fix_failed = false;
    if options.fix || options.diff {
        match fix(&options, &plan, stdout, stderr) {
            Ok(()) => {}
            Err(FixEnd::Exit(code)) => {
                print_errors(&plan.errors, stderr);
                return Ok(if plan.errors.is_empty() { code } else { 2 });
            }
            Err(FixEnd::WriteFailed) => fix_failed = true,
        }
    }
    let config_failed = !plan.config_errors.is_empty();
    let mut report = run::lint(plan);
    // The status is decided on every finding, before --quiet hides the warnings.
    let failed = report
        .diagnostics()
        .any(|(_, d)| d.severity >= options.fail_on);
    if options.quiet {
        render::retain_errors(&mut report);
    }
    let render_options = RenderOptions {
        color: options.color,
        fail_on: options.fail_on,
    };
    let mut out = std::io::BufWriter::new(stdout);
    let written = if options.statistics {
        // The format was checked above.
        render::render_statistics(&report, format, &mut out).unwrap_or(Ok(()))
    } else {
        render::render(&report, format, &render_options, &mut out)
    };
    if let Err(e) = written.and_then(|_| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        say!("spslint: cannot write output: {e}");
        return Ok(2);
    }
    drop(out);
    print_errors(&report.errors, stderr);
    let code = if !report.errors.is_empty() || config_failed || fix_failed {
        2
    } else if failed && !options.exit_zero {
        1
    } else {
        0
    };
    // The process ends soon: freeing a report of 100,000 files one allocation at a time would
    // only delay the exit.
    std::mem::forget(report);
    Ok(code)
}

fn print_errors(errors: &[FileError], stderr: &mut dyn Write) {
    for e in errors {
        let _ = writeln!(stderr, "spslint: error: {e}");
    }
}

enum FixEnd {
    /// `--diff`, or a usage error: the run ends here with this status.
    Exit(u8),
    /// Some file could not be written: the run goes on, and exits 2.
    WriteFailed,
}

/// `--fix` writes the fixes; `--diff` prints them and ends the run.
fn fix(
    options: &Options,
    plan: &Plan,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), FixEnd> {
    let has_stdin = plan.groups.iter().any(|g| g.stdin.is_some());
    if has_stdin && !options.diff {
        let _ = writeln!(
            stderr,
            "spslint: error: --fix cannot write back to standard input: use --diff"
        );
        return Err(FixEnd::Exit(2));
    }
    let mut fixes = Vec::new();
    let mut errors = Vec::new();
    for group in &plan.groups {
        let config = group.config.as_deref();
        let (mut found, mut failed) = fixer::fix_files(&group.inputs, &group.settings, config);
        fixes.append(&mut found);
        errors.append(&mut failed);
        if let Some(stdin) = &group.stdin {
            let fixed = fixer::fix_bytes(
                &stdin.name,
                stdin.place.as_deref(),
                &stdin.bytes,
                &group.settings,
                config,
            );
            if fixed.bytes != stdin.bytes {
                fixes.push(FileFix {
                    path: PathBuf::from(&stdin.name),
                    display: stdin.name.clone(),
                    original: stdin.bytes.clone(),
                    fixed: fixed.bytes,
                    applied: fixed.applied,
                    endpoint: fixed.endpoint,
                });
            }
        }
    }
    fixes.sort_by(|a, b| a.display.cmp(&b.display));
    let applied: usize = fixes.iter().map(|f| f.applied).sum();
    let plural = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    if options.diff {
        let mut written = Ok(());
        for f in &fixes {
            let diff = fixer::unified_diff(f);
            written = written.and_then(|_| stdout.write_all(diff.as_bytes()));
        }
        let write_failed = match written.and_then(|_| stdout.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                let _ = writeln!(stderr, "spslint: cannot write output: {e}");
                true
            }
            _ => false,
        };
        print_errors(&errors, stderr);
        let _ = writeln!(
            stderr,
            "spslint: {applied} {} would be applied to {} {}",
            plural(applied, "fix", "fixes"),
            fixes.len(),
            plural(fixes.len(), "file", "files"),
        );
        return Err(FixEnd::Exit(if write_failed || !errors.is_empty() {
            2
        } else if fixes.is_empty() {
            0
        } else {
            1
        }));
    }
    let mut failed = false;
    let mut written = 0;
    for f in &fixes {
        match fixer::write(f) {
            Ok(()) => written += 1,
            Err(e) => {
                let _ = writeln!(
                    stderr,
                    "spslint: error: cannot fix {}: {e}",
                    controls(&f.display)
                );
                failed = true;
            }
        }
    }
    if written > 0 {
        let _ = writeln!(
            stderr,
            "spslint: fixed {written} {} ({applied} {})",
            plural(written, "file", "files"),
            plural(applied, "fix", "fixes"),
        );
    }
    if failed {
        Err(FixEnd::WriteFailed)
    } else {
        Ok(())
    }
}
