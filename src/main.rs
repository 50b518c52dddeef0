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
        Err(err) => {
            eprintln!("{}", ukprod::error_text(&err));
            ExitCode::FAILURE
        }
    }
}
