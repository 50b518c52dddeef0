//! Standard output and standard error as error paths.
//!
//! `print!` and `eprint!` panic when the write fails (a pipe closed by `head`, a full disk),
//! so every command prints through [`Out`] (with the [`out!`] and [`outln!`] macros), whose
//! failure is a [`StdoutError`] that `main` turns into a quiet exit (a closed pipe) or an
//! error naming standard output. Messages for stderr go through [`errln!`], which drops a
//! failed write: with stderr gone there is nowhere left to report it.

use std::fmt;
use std::io::{self, Write};

/// Writing to standard output failed.
#[derive(Debug)]
pub struct StdoutError(pub io::Error);

impl fmt::Display for StdoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write to standard output: {}", io_reason(&self.0))
    }
}

impl std::error::Error for StdoutError {}

impl StdoutError {
    /// True when the reader went away (`ukprod list | head -1`): not a failure of ukprod.
    pub fn is_closed_pipe(&self) -> bool {
        self.0.kind() == io::ErrorKind::BrokenPipe
    }
}

/// The reason an I/O error gives, without the "(os error 28)" that means nothing to a reader.
fn io_reason(err: &io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

/// The [`StdoutError`] anywhere in an error's chain, if any.
pub fn stdout_error(err: &anyhow::Error) -> Option<&StdoutError> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<StdoutError>())
}

/// Standard output, written with `write!(Out, …)`: each write locks stdout, writes and
/// flushes, so a failure surfaces at the write that caused it (not in the silent flush at
/// exit) and stdout and stderr lines keep their order.
pub struct Out;

impl Out {
    /// The method `write!` and `writeln!` call.
    pub fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> Result<(), StdoutError> {
        let mut stdout = io::stdout().lock();
        stdout
            .write_fmt(args)
            .and_then(|()| stdout.flush())
            .map_err(StdoutError)
    }
}

/// `print!` that returns a [`StdoutError`] instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        write!($crate::output::Out, $($arg)*)
    };
}

/// `println!` that returns a [`StdoutError`] instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!($crate::output::Out, $($arg)*)
    };
}

/// `eprintln!` that never panics: a failed write to stderr is dropped.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::to_stderr(format_args!($($arg)*))
    };
}

pub(crate) use {errln, out, outln};

/// Write one line to stderr, dropping any failure (see [`errln!`]).
pub fn to_stderr(args: fmt::Arguments<'_>) {
    let mut stderr = io::stderr().lock();
    let _ = stderr
        .write_fmt(args)
        .and_then(|()| stderr.write_all(b"\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stdout_and_drops_the_os_error_number() {
        let err = StdoutError(io::Error::from_raw_os_error(28));
        assert_eq!(
            err.to_string(),
            "cannot write to standard output: No space left on device"
        );
        assert!(!err.is_closed_pipe());
        assert!(StdoutError(io::Error::from(io::ErrorKind::BrokenPipe)).is_closed_pipe());
    }
}
