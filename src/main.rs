//! The `spslint` command line: a thin layer over the library.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use spslint::render::{self, Format, RenderOptions};
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
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files and directories to check (directories: every *.json below, hidden folders skipped).
    /// `-` reads standard input. Default: the current directory.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Lint every file as this endpoint (e.g. management/email, /api/transaction).
    #[arg(long, value_parser = parse_endpoint)]
    endpoint: Option<&'static endpoint::Endpoint>,
    /// Report files that map to no endpoint as errors instead of skipping them.
    #[arg(long)]
    require_endpoint: bool,
    /// Make every unresolved reference an error, even to collections the repository does not keep.
    #[arg(long)]
    strict_refs: bool,
    /// The name standard input is reported under (and mapped to an endpoint by).
    #[arg(long, default_value = "<stdin>")]
    stdin_filename: String,
}

fn parse_endpoint(s: &str) -> Result<&'static endpoint::Endpoint, String> {
    endpoint::by_name(s).ok_or_else(|| {
        let known: Vec<&str> = endpoint::ENDPOINTS.iter().map(|e| e.path).collect();
        format!("unknown endpoint; known endpoints: {}", known.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let settings = Settings {
        endpoint: args.endpoint,
        require_endpoint: args.require_endpoint,
        strict_refs: args.strict_refs,
        ..Settings::default()
    };
    let mut paths = args.paths;
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    paths.retain(|p| p.as_os_str() != "-");
    let (files, mut errors) = spslint::discover(&paths);
    let root = spslint::repo::root_for(paths.first().map_or(std::path::Path::new("."), |p| p.as_path()));
    let mut report = spslint::lint::lint_repository(&files, Some(&root), &settings);
    if stdin {
        let mut bytes = Vec::new();
        match std::io::stdin().read_to_end(&mut bytes) {
            Ok(_) => {
                report
                    .files
                    .push(spslint::lint_bytes(&args.stdin_filename, &bytes, &settings))
            }
            Err(e) => errors.push(spslint::lint::FileError {
                path: args.stdin_filename.clone(),
                message: e.to_string(),
            }),
        }
    }
    errors.append(&mut report.errors);
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    let options = RenderOptions {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Err(e) =
        render::render(&report, args.format, &options, &mut out).and_then(|_| out.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("spslint: cannot write output: {e}");
            return ExitCode::from(2);
        }
    }
    for e in &errors {
        eprintln!("spslint: error: cannot read {}: {}", e.path, e.message);
    }
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if report.count(Severity::Error) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
