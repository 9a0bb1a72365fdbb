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

#[cfg(test)]
mod tests {
    use super::*;

    /// Run `check` with `stdin` as standard input; the status and what it printed.
    fn run(options: Options, stdin: &str) -> (Result<u8, UsageError>, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = check(
            options,
            Io {
                stdin: &mut stdin.as_bytes(),
                stdout: &mut out,
                stderr: &mut err,
            },
        );
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (status, text(out), text(err))
    }

    fn options(paths: &[&std::path::Path]) -> Options {
        Options {
            paths: paths.iter().map(|p| p.to_path_buf()).collect(),
            format: Some(Format::Short),
            select: None,
            ignore: Vec::new(),
            config: ConfigSource::Disabled,
            settings: Settings::default(),
            stdin_filename: run::STDIN_NAME.to_string(),
            quiet: false,
            statistics: false,
            color: false,
            exit_zero: false,
            fail_on: Severity::Error,
            fix: false,
            diff: false,
            max_file_size: None,
        }
    }

    const EMAIL: &str = "api/configuration/management/email.json";
    const WRAPPED: &str = r#"{"body": {"smtp_server": "x"}, "key": "email", "meta": {"href": "/api/configuration/management/email"}}"#;

    fn file(dir: &tempfile::TempDir, text: &str) -> PathBuf {
        let path = dir.path().join(EMAIL);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn findings_decide_the_status_and_exit_zero_overrides_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, WRAPPED);
        let (status, out, _) = run(options(&[&path]), "");
        assert_eq!(status, Ok(1));
        assert!(out.contains("error[REQ001]"), "{out}");
        let (status, ..) = run(
            Options {
                exit_zero: true,
                ..options(&[&path])
            },
            "",
        );
        assert_eq!(status, Ok(0));
    }

    #[test]
    fn diff_prints_the_fix_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, WRAPPED);
        let (status, out, err) = run(
            Options {
                diff: true,
                ..options(&[&path])
            },
            "",
        );
        assert_eq!(status, Ok(1));
        assert!(
            out.contains("-{\"body\"") && out.contains("+{\"smtp_server\""),
            "{out}"
        );
        assert!(err.contains("1 fix would be applied to 1 file"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), WRAPPED);
    }

    #[test]
    fn fix_writes_the_file_then_reports_what_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, WRAPPED);
        let (_, out, err) = run(
            Options {
                fix: true,
                ..options(&[&path])
            },
            "",
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            r#"{"smtp_server": "x"}"#
        );
        assert!(err.contains("fixed 1 file (1 fix)"), "{err}");
        assert!(!out.contains("REQ001"), "{out}");
    }

    #[test]
    fn standard_input_cannot_be_fixed_in_place() {
        let (status, _, err) = run(
            Options {
                fix: true,
                ..options(&[std::path::Path::new("-")])
            },
            WRAPPED,
        );
        assert_eq!(status, Ok(2));
        assert!(err.contains("use --diff"), "{err}");
    }

    #[test]
    fn usage_errors_are_returned_or_said() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, "{}");
        let (status, ..) = run(
            Options {
                statistics: true,
                format: Some(Format::Sarif),
                ..options(&[&path])
            },
            "",
        );
        assert_eq!(status, Err(UsageError::StatisticsFormat));
        let (status, _, err) = run(
            Options {
                select: Some(vec!["SNMPP".into()]),
                ..options(&[&path])
            },
            "",
        );
        assert_eq!(status, Ok(2));
        assert!(err.contains("did you mean `SNMP`?"), "{err}");
    }
}
