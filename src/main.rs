use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = ukprod::cli::Cli::parse();
    match ukprod::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{}", ukprod::error_text(&err));
            ExitCode::FAILURE
        }
    }
}
