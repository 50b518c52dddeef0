use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut cli = ukprod::cli::Cli::parse_from(&args);
    cli.argv = args.into_iter().skip(1).collect();
    match ukprod::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops reading (`ukprod report baseline | head -1`) is not a failure:
        // exit 0 quietly, as ripgrep does, so `set -o pipefail` scripts do not fail on it.
        Err(err) if ukprod::output::stdout_error(&err).is_some_and(|e| e.is_closed_pipe()) => {
            ExitCode::SUCCESS
        }
        Err(err) => {
            ukprod::output::to_stderr(format_args!("{}", ukprod::error_text(&err)));
            ExitCode::FAILURE
        }
    }
}
