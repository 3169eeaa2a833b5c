//! The `rstack` binary: parse arguments, run, exit. Everything else is in the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    rstack::cli::run(rstack::cli::Cli::parse())
}
