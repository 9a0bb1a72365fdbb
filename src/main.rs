//! The `spslint` command line: a thin layer over the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use spslint::render::{self, ColorChoice, Format, RenderOptions, catalog};
use spslint::{Settings, Severity, endpoint, run};

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
    /// The SPS release the bodies are for (e.g. 7.1, 7.2.1, 6.0 LTS) [default: `sps_version` in
    /// spslint.toml, else the newest documented release].
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    sps_version: Option<spslint::schema::version::Version>,
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

fn parse_version(s: &str) -> Result<spslint::schema::version::Version, String> {
    spslint::schema::version::Version::parse(s)
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
    let cli_layer = match spslint::config::Layer::from_cli(
        (!args.select.is_empty()).then(|| args.select.clone()),
        args.ignore.clone(),
    ) {
        Ok(layer) => layer,
        Err(message) => {
            eprintln!("spslint: error: {message}");
            return ExitCode::from(2);
        }
    };
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    paths.retain(|p| p.as_os_str() != "-");
    let mut read_errors = Vec::new();
    let mut stdin_bytes = None;
    if stdin {
        use spslint::read::{DEFAULT_MAX_FILE_SIZE, ReadError, read_limited};
        // Standard input is bounded by --max-file-size or the default (the repository's
        // configuration is not known yet).
        let limit = args.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE);
        match read_limited(std::io::stdin().lock(), limit) {
            Ok(bytes) => stdin_bytes = Some((args.stdin_filename.clone(), Ok(bytes))),
            Err(ReadError::Refused(r)) => {
                stdin_bytes = Some((args.stdin_filename.clone(), Err(r)));
            }
            Err(ReadError::Io(e)) => read_errors.push(spslint::lint::FileError {
                path: args.stdin_filename.clone(),
                message: e.to_string(),
            }),
        }
    }
    let request = run::Request {
        paths,
        stdin: stdin_bytes,
        config: match (&args.config, args.no_config) {
            (_, true) => run::ConfigSource::Disabled,
            (Some(p), _) => run::ConfigSource::File(p.clone()),
            (None, false) => run::ConfigSource::Repository,
        },
        cli: cli_layer,
        settings: Settings {
            endpoint: args.endpoint,
            require_endpoint: args.require_endpoint,
            strict_refs: args.strict_refs,
            sps_version: args.sps_version,
            ..Settings::default()
        },
        format: args.format,
        statistics: args.statistics,
        max_file_size: args.max_file_size,
    };
    let mut plan = run::plan(request);
    plan.errors.append(&mut read_errors);
    for note in &plan.notes {
        eprintln!("spslint: note: {note}");
    }
    for e in &plan.config_errors {
        eprintln!(
            "spslint: error: {}",
            render::escape::controls(&e.to_string())
        );
    }
    if plan.groups.is_empty() && !plan.config_errors.is_empty() {
        return ExitCode::from(2);
    }
    let format = plan.format;
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
    let mut fix_failed = false;
    if args.fix || args.diff {
        match fix(&args, &plan) {
            Ok(()) => {}
            Err(FixEnd::Exit(code)) => {
                print_read_errors(&plan.errors);
                return if plan.errors.is_empty() {
                    code
                } else {
                    ExitCode::from(2)
                };
            }
            Err(FixEnd::WriteFailed) => fix_failed = true,
        }
    }
    let config_failed = !plan.config_errors.is_empty();
    let mut report = run::lint(plan);
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
        fail_on: threshold,
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
    print_read_errors(&report.errors);
    let code = if !report.errors.is_empty() || config_failed || fix_failed {
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

fn print_read_errors(errors: &[spslint::lint::FileError]) {
    for e in errors {
        eprintln!("spslint: error: {e}");
    }
}

enum FixEnd {
    /// `--diff`, or a usage error: the run ends here.
    Exit(ExitCode),
    /// Some file could not be written: the run goes on, and exits 2.
    WriteFailed,
}

/// `--fix` writes the fixes; `--diff` prints them and ends the run.
fn fix(args: &CheckArgs, plan: &run::Plan) -> Result<(), FixEnd> {
    let has_stdin = plan.groups.iter().any(|g| g.stdin.is_some());
    if has_stdin && !args.diff {
        eprintln!("spslint: error: --fix cannot write back to standard input: use --diff");
        return Err(FixEnd::Exit(ExitCode::from(2)));
    }
    let mut fixes = Vec::new();
    let mut errors = Vec::new();
    for group in &plan.groups {
        let (mut found, mut failed) = spslint::fix::fix_files(&group.inputs, &group.settings);
        fixes.append(&mut found);
        errors.append(&mut failed);
        if let Some(stdin) = &group.stdin {
            let fixed = spslint::fix::fix_bytes(
                &stdin.name,
                stdin.place.as_deref(),
                &stdin.bytes,
                &group.settings,
            );
            if fixed.bytes != stdin.bytes {
                fixes.push(spslint::fix::FileFix {
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
    match spslint::text::did_you_mean(code, &candidates) {
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
