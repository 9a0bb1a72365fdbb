//! The `spslint` command line: a thin layer over the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use spslint::render::{self, ColorChoice, Format, RenderOptions, catalog};
use spslint::{Settings, Severity, endpoint};

#[derive(Parser)]
#[command(
    name = "spslint",
    version,
    about = "Lint One Identity SPS REST API request bodies, offline"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check request bodies (files, directories, or - for stdin)
    Check(CheckArgs),
    /// List every code spslint can report: core checks and semantic rules
    Rules {
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Print the documentation of a code (e.g. SNMP004) or name (e.g. unknown-key)
    Explain {
        /// A code or kebab-case name.
        code: String,
    },
    /// List the endpoints spslint has schemas for
    Endpoints {
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Print the JSON Schema of an endpoint (e.g. management/email)
    Schema {
        /// The endpoint, in any spelling --endpoint accepts.
        #[arg(value_parser = parse_endpoint)]
        endpoint: &'static endpoint::Endpoint,
    },
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ListFormat {
    Table,
    Json,
}

/// `--fail-on`: the least severity that makes the exit status 1.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Warning,
    Error,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files and directories to check (directories: every *.json below, hidden folders skipped).
    /// `-` reads standard input. Default: the current directory.
    paths: Vec<PathBuf>,
    /// Output format [default: `[output] format` in spslint.toml, else human].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Lint every file as this endpoint (e.g. management/email, /api/transaction).
    #[arg(long, value_parser = parse_endpoint)]
    endpoint: Option<&'static endpoint::Endpoint>,
    /// Report files that map to no endpoint as errors instead of skipping them.
    #[arg(long)]
    require_endpoint: bool,
    /// Only run these codes (code, code prefix like SNMP, or rule name; comma-separated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these codes (code, code prefix like REPO, or rule name; comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Make every unresolved reference an error, even to collections the repository does not keep.
    #[arg(long)]
    strict_refs: bool,
    /// The name standard input is reported under (and mapped to an endpoint by).
    #[arg(long, default_value = "<stdin>")]
    stdin_filename: String,
    /// Report errors only: warnings are left out of the output (they still count for --fail-on).
    #[arg(long, short)]
    quiet: bool,
    /// Print how many findings of each code instead of the findings (human, short or json).
    #[arg(long)]
    statistics: bool,
    /// When to color the human output (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Exit 0 even when findings are reported (2 still means files could not be read).
    #[arg(long)]
    exit_zero: bool,
    /// Exit 1 when a finding of this severity or a higher one is reported.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// The configuration file [default: the nearest spslint.toml in this folder or above].
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    no_config: bool,
    /// Apply the safe fixes to the files, then report what is left.
    #[arg(long)]
    fix: bool,
    /// Print the safe fixes as a unified diff and change nothing (exit 1 when there are some).
    #[arg(long)]
    diff: bool,
    /// Report files larger than this instead of reading them: bytes, or with K, M or G
    /// [default: `max_file_size` in spslint.toml, else 16M].
    #[arg(long, value_name = "SIZE", value_parser = spslint::read::parse_size)]
    max_file_size: Option<u64>,
}

fn parse_endpoint(s: &str) -> Result<&'static endpoint::Endpoint, String> {
    endpoint::by_name(s).ok_or_else(|| {
        let known: Vec<&str> = endpoint::ENDPOINTS.iter().map(|e| e.path).collect();
        format!("unknown endpoint; known endpoints: {}", known.join(", "))
    })
}

/// mimalloc: the lint allocates and frees many small values (parsed bodies, pointers) on every
/// thread; glibc malloc spends a tenth of the run on it and keeps freed memory per thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { format } => list(format, catalog::render_codes_table, || {
            catalog::render_json(&catalog::codes(), &mut std::io::stdout().lock())
        }),
        Command::Explain { code } => explain(&code),
        Command::Endpoints { format } => list(format, catalog::render_endpoints_table, || {
            catalog::render_json(&catalog::endpoints(), &mut std::io::stdout().lock())
        }),
        Command::Schema { endpoint } => print(endpoint.schema),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "spslint",
                &mut std::io::stdout().lock(),
            );
            ExitCode::SUCCESS
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let (settings, format) = match configure(&args) {
        Ok(configured) => configured,
        Err(message) => {
            eprintln!("spslint: error: {message}");
            return ExitCode::from(2);
        }
    };
    if args.statistics && !format.has_statistics() {
        let mut cli = Cli::command();
        cli.build();
        let check = cli
            .find_subcommand_mut("check")
            .expect("the check subcommand");
        check
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--statistics works with --format human, short or json",
            )
            .exit();
    }
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    paths.retain(|p| p.as_os_str() != "-");
    let (files, mut errors) = spslint::discover(&paths);
    // The repository's other files are indexed only when the paths given do not cover it
    // already (`spslint check .` at the root walks it once, not twice).
    let root = spslint::repo::root_for(
        paths
            .first()
            .map_or(std::path::Path::new("."), |p| p.as_path()),
    )
    .filter(|root| {
        !paths
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .any(|p| root.starts_with(&p))
    });
    let mut stdin_bytes = None;
    let mut stdin_refused = None;
    if stdin {
        use spslint::read::{ReadError, read_limited};
        match read_limited(std::io::stdin().lock(), settings.max_file_size) {
            Ok(bytes) => stdin_bytes = Some(bytes),
            Err(ReadError::Refused(r)) => {
                stdin_refused = Some(spslint::lint::refused(
                    args.stdin_filename.clone(),
                    &r,
                    &settings,
                ))
            }
            Err(ReadError::Io(e)) => errors.push(spslint::lint::FileError {
                path: args.stdin_filename.clone(),
                message: e.to_string(),
            }),
        }
    }
    let mut fix_failed = false;
    if args.fix || args.diff {
        match fix(&args, &files, stdin_bytes.as_deref(), &settings) {
            Ok(()) => {}
            Err(FixEnd::Exit(code)) => {
                for e in &errors {
                    eprintln!("spslint: error: {e}");
                }
                return if errors.is_empty() {
                    code
                } else {
                    ExitCode::from(2)
                };
            }
            Err(FixEnd::WriteFailed) => fix_failed = true,
        }
    }
    if let Some(config) = &settings.config {
        // Count suppressions on the files as they are now (after --fix).
        config.reset_usage();
    }
    let mut report = spslint::lint::lint_repository(files, root.as_deref(), &settings);
    if let Some(bytes) = &stdin_bytes {
        report
            .files
            .push(spslint::lint_bytes(&args.stdin_filename, bytes, &settings));
    }
    report.files.extend(stdin_refused);
    if let Some(unused) = (settings.config.as_ref()).and_then(|c| c.report(&settings.selection)) {
        report.files.push(unused);
    }
    errors.append(&mut report.errors);
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    // Read errors travel with the report: SARIF and JUnit show them too.
    report.errors = errors;
    // The status is decided on every finding, before --quiet hides the warnings.
    let threshold = match args.fail_on {
        FailOn::Warning => Severity::Warning,
        FailOn::Error => Severity::Error,
    };
    let failed = report.diagnostics().any(|(_, d)| d.severity >= threshold);
    if args.quiet {
        render::retain_errors(&mut report);
    }
    let options = RenderOptions {
        color: args.color.enabled(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        ),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.statistics {
        // The format was checked above.
        render::render_statistics(&report, format, &mut out).unwrap_or(Ok(()))
    } else {
        render::render(&report, format, &options, &mut out)
    };
    if let Err(e) = written.and_then(|_| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("spslint: cannot write output: {e}");
        return ExitCode::from(2);
    }
    for e in &report.errors {
        eprintln!("spslint: error: {e}");
    }
    let code = if !report.errors.is_empty() || fix_failed {
        ExitCode::from(2)
    } else if failed && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing a report of 100,000 files one allocation at a time would
    // only delay the exit.
    std::mem::forget(report);
    code
}

/// Settings from spslint.toml (unless --no-config) and the command line, and the output format.
fn configure(args: &CheckArgs) -> Result<(Settings, Format), String> {
    let config =
        spslint::config::load(args.config.as_deref(), args.no_config).map_err(|e| e.to_string())?;
    let cli = spslint::config::Layer::from_cli(
        (!args.select.is_empty()).then(|| args.select.clone()),
        args.ignore.clone(),
    )?;
    let format = args
        .format
        .or(config.as_ref().and_then(|c| c.format))
        .unwrap_or(Format::Human);
    let mut settings = Settings {
        endpoint: args.endpoint,
        require_endpoint: args.require_endpoint,
        strict_refs: args.strict_refs,
        // Only the human format shows excerpts of the files (--statistics shows none).
        keep_source: format == Format::Human && !args.statistics,
        ..Settings::default()
    };
    match config {
        Some(config) => config.apply(cli, &mut settings),
        None => cli.apply(&mut settings.selection),
    }
    if let Some(limit) = args.max_file_size {
        settings.max_file_size = limit;
    }
    Ok((settings, format))
}

enum FixEnd {
    /// `--diff`, or a usage error: the run ends here.
    Exit(ExitCode),
    /// Some file could not be written: the run goes on, and exits 2.
    WriteFailed,
}

/// `--fix` writes the fixes; `--diff` prints them and ends the run.
fn fix(
    args: &CheckArgs,
    files: &[PathBuf],
    stdin: Option<&[u8]>,
    settings: &Settings,
) -> Result<(), FixEnd> {
    if stdin.is_some() && !args.diff {
        eprintln!("spslint: error: --fix cannot write back to standard input: use --diff");
        return Err(FixEnd::Exit(ExitCode::from(2)));
    }
    let (mut fixes, errors) = spslint::fix::fix_files(files, settings);
    if let Some(bytes) = stdin {
        let fixed = spslint::fix::fix_bytes(&args.stdin_filename, bytes, settings);
        if fixed.bytes != bytes {
            fixes.push(spslint::fix::FileFix {
                path: PathBuf::from(&args.stdin_filename),
                display: args.stdin_filename.clone(),
                original: bytes.to_vec(),
                fixed: fixed.bytes,
                applied: fixed.applied,
                endpoint: fixed.endpoint,
            });
        }
    }
    fixes.sort_by(|a, b| a.display.cmp(&b.display));
    let applied: usize = fixes.iter().map(|f| f.applied).sum();
    if args.diff {
        let mut out = std::io::stdout().lock();
        let mut written = Ok(());
        for f in &fixes {
            let diff = spslint::fix::unified_diff(f);
            written = written.and_then(|_| out.write_all(diff.as_bytes()));
        }
        let code = finish_output(written.and_then(|_| out.flush()));
        for e in &errors {
            eprintln!("spslint: error: {e}");
        }
        eprintln!(
            "spslint: {applied} fix{} would be applied to {} file{}",
            if applied == 1 { "" } else { "es" },
            fixes.len(),
            if fixes.len() == 1 { "" } else { "s" }
        );
        return Err(FixEnd::Exit(
            if code != ExitCode::SUCCESS || !errors.is_empty() {
                ExitCode::from(2)
            } else if fixes.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            },
        ));
    }
    let mut failed = false;
    let mut written = 0;
    for f in &fixes {
        match spslint::fix::write(f) {
            Ok(()) => written += 1,
            Err(e) => {
                eprintln!(
                    "spslint: error: cannot fix {}: {e}",
                    spslint::render::escape::controls(&f.display)
                );
                failed = true;
            }
        }
    }
    if written > 0 {
        eprintln!(
            "spslint: fixed {} file{} ({applied} fix{})",
            written,
            if written == 1 { "" } else { "s" },
            if applied == 1 { "" } else { "es" },
        );
    }
    if failed {
        Err(FixEnd::WriteFailed)
    } else {
        Ok(())
    }
}

/// `rules` and `endpoints`: a table, or JSON.
fn list(
    format: ListFormat,
    table: fn(&mut dyn Write) -> std::io::Result<()>,
    json: impl FnOnce() -> std::io::Result<()>,
) -> ExitCode {
    let result = match format {
        ListFormat::Table => table(&mut std::io::stdout().lock()),
        ListFormat::Json => json(),
    };
    finish_output(result)
}

/// `explain`: a rule's page, or a core code's description.
fn explain(code: &str) -> ExitCode {
    if let Some(rule) = spslint::rules::find(code) {
        return print(&spslint::rules::doc_page(rule.meta()));
    }
    if let Some(doc) = spslint::core_docs::find(code) {
        return print(&spslint::core_docs::page(doc));
    }
    let entries = catalog::codes();
    let candidates: Vec<&str> = entries.iter().flat_map(|c| [c.code, c.name]).collect();
    match spslint::schema::did_you_mean(code, &candidates) {
        Some(m) => eprintln!("spslint: unknown code or name `{code}`; did you mean `{m}`?"),
        None => eprintln!("spslint: unknown code or name `{code}`; `spslint rules` lists them all"),
    }
    ExitCode::from(2)
}

fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    finish_output(out.write_all(text.as_bytes()).and_then(|_| out.flush()))
}

fn finish_output(result: std::io::Result<()>) -> ExitCode {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("spslint: cannot write output: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}
