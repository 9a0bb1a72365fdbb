//! The `spslint` command line: a thin layer over the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use spslint::render::{ColorChoice, Format, catalog};
use spslint::run::ConfigSource;
use spslint::{Settings, Severity, check, endpoint, registry};

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
        #[arg(value_parser = endpoint::parse_argument)]
        endpoint: &'static endpoint::Endpoint,
    },
    /// Serve the Language Server Protocol on standard input and output (for editors)
    Lsp,
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
    #[arg(long, value_parser = endpoint::parse_argument)]
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
    #[arg(long, value_name = "VERSION", value_parser = spslint::schema::version::Version::parse)]
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

/// mimalloc: the lint allocates and frees many small values (parsed bodies, pointers) on every
/// thread; glibc malloc spends a tenth of the run on it and keeps freed memory per thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { format } => finish_output(catalog::write_codes(
            format == ListFormat::Json,
            &mut std::io::stdout().lock(),
        )),
        Command::Explain { code } => match registry::explain(&code) {
            Ok(page) => print(&page),
            Err(message) => {
                eprintln!("spslint: {message}");
                ExitCode::from(2)
            }
        },
        Command::Endpoints { format } => finish_output(catalog::write_endpoints(
            format == ListFormat::Json,
            &mut std::io::stdout().lock(),
        )),
        Command::Schema { endpoint } => print(endpoint.schema),
        Command::Lsp => ExitCode::from(spslint::lsp::run().clamp(0, 255) as u8),
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
    let options = check::Options {
        paths: args.paths,
        format: args.format,
        select: (!args.select.is_empty()).then_some(args.select),
        ignore: args.ignore,
        config: match (args.config, args.no_config) {
            (_, true) => ConfigSource::Disabled,
            (Some(p), _) => ConfigSource::File(p),
            (None, false) => ConfigSource::Repository,
        },
        settings: Settings {
            endpoint: args.endpoint,
            require_endpoint: args.require_endpoint,
            strict_refs: args.strict_refs,
            sps_version: args.sps_version,
            ..Settings::default()
        },
        stdin_filename: args.stdin_filename,
        quiet: args.quiet,
        statistics: args.statistics,
        color: args.color.enabled(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        ),
        exit_zero: args.exit_zero,
        fail_on: match args.fail_on {
            FailOn::Warning => Severity::Warning,
            FailOn::Error => Severity::Error,
        },
        fix: args.fix,
        diff: args.diff,
        max_file_size: args.max_file_size,
    };
    let io = check::Io {
        stdin: &mut std::io::stdin().lock(),
        stdout: &mut std::io::stdout().lock(),
        stderr: &mut std::io::stderr().lock(),
    };
    match check::check(options, io) {
        Ok(code) => ExitCode::from(code),
        Err(check::UsageError::StatisticsFormat) => {
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
                .exit()
        }
    }
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
