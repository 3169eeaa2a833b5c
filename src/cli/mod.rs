//! The command line: clap definitions (raw), and the wiring of each command onto the
//! library. No domain logic lives here, only argument handling and output formatting.

mod args;
mod deps_cmd;
mod template_cmd;
mod values_cmd;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::CommandFactory;

pub use args::{ChartCommand, Cli, Color, Command};

use crate::graph::{ReleaseGraph, render_graph};
use crate::span::{Diagnostic, Diagnostics, Location};
use crate::workspace::{Selector, Stack, load_stack, load_stack_report, select_releases};

/// Exit codes: 0 success, 1 a problem in the user's input (or a failed check), 2 an
/// internal error.
const EXIT_USER: u8 = 1;

/// Runs a parsed command line; returns the process's exit status.
pub fn run(cli: Cli) -> u8 {
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    init_logging(cli.verbose, color);
    match dispatch(&cli) {
        Ok(()) => 0,
        Err(problems) => {
            report(&problems, color);
            EXIT_USER
        }
    }
}

fn dispatch(cli: &Cli) -> Result<(), Diagnostics> {
    match &cli.command {
        Command::Completion { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(*shell, &mut cmd, "rstack", &mut std::io::stdout());
            Ok(())
        }
        Command::Lint => {
            let report = load_stack_report(&stack_file(cli), &cli.env)?;
            let mut problems = report.problems;
            if let Err(graph_problems) = ReleaseGraph::build(&report.stack.releases) {
                // A need on a release whose entry did not parse is not a second problem.
                problems.extend(graph_problems.0.into_iter().filter(|d| {
                    !report.unparsed_releases.iter().any(|id| {
                        d.message.contains(&format!("`{id}`"))
                            || d.message.ends_with(&format!(
                                "`{}`, which is not in the stack",
                                id.rsplit('/').next().unwrap_or(id)
                            ))
                    })
                }));
            }
            if !problems.is_empty() {
                return Err(Diagnostics(problems));
            }
            println!(
                "{}: {} releases in environment `{}`, no problems found",
                report.stack.file.display(),
                report.stack.releases.len(),
                report.stack.environment.name
            );
            Ok(())
        }
        Command::Graph {
            format,
            include_needs,
        } => {
            let stack = load(cli)?;
            let graph = ReleaseGraph::build(&stack.releases)?;
            let selected = selection(cli, &stack, &graph, *include_needs)?;
            print_out(&render_graph(&graph, &selected, *format));
            Ok(())
        }
        Command::Deps(args) => deps_cmd::deps(&load(cli)?, args),
        Command::Repo { command } => deps_cmd::repo(&load(cli)?, command),
        Command::Template(args) => {
            let stack = load(cli)?;
            let graph = ReleaseGraph::build(&stack.releases)?;
            let selected = selection(cli, &stack, &graph, args.include_needs)?;
            print_out(&template_cmd::stack_template(
                &stack, &graph, &selected, args,
            )?);
            Ok(())
        }
        Command::Chart(ChartCommand::Template(raw)) => {
            let mut argv: Vec<String> = Vec::new();
            if let Some(values) = &cli.file {
                argv.push("-f".to_string());
                argv.push(values.to_string_lossy().into_owned());
            }
            argv.extend(raw.args.iter().cloned());
            let args = crate::chart::render::TemplateArgs::parse(&argv).map_err(|e| {
                Diagnostic::new(Location::file("rstack chart template"), format!("{e}"))
                    .with_hint("the arguments are those of `helm template`")
            })?;
            template_cmd::chart_template(&args)
        }
        Command::Values(args) => {
            let stack = load(cli)?;
            print_out(&values_cmd::run(&stack, args)?);
            Ok(())
        }
    }
}

/// `-v` logs what rstack does (info), `-vv` also why (debug), on stderr.
fn init_logging(verbose: u8, color: bool) {
    let level = match verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        _ => tracing::Level::DEBUG,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .with_target(false)
        .without_time()
        .try_init();
}

/// Writes to stdout, ignoring a closed pipe (`rstack graph | head`).
fn print_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The stack file: `-f`, else `stack.yaml`, else `stack.yaml.gotmpl`.
fn stack_file(cli: &Cli) -> PathBuf {
    if let Some(f) = &cli.file {
        return f.clone();
    }
    let plain = Path::new("stack.yaml");
    let templated = Path::new("stack.yaml.gotmpl");
    if !plain.exists() && templated.exists() {
        templated.to_path_buf()
    } else {
        plain.to_path_buf()
    }
}

fn load(cli: &Cli) -> Result<Stack, Diagnostics> {
    let file = stack_file(cli);
    let stack = load_stack(&file, &cli.env)?;
    tracing::info!(
        file = %file.display(),
        environment = %stack.environment.name,
        releases = stack.releases.len(),
        "stack loaded"
    );
    Ok(stack)
}

/// The releases the `-l` selectors pick (all without selectors), plus their needs with
/// `--include-needs`.
fn selection(
    cli: &Cli,
    stack: &Stack,
    graph: &ReleaseGraph,
    include_needs: bool,
) -> Result<Vec<usize>, Diagnostics> {
    let selectors = cli
        .selector
        .iter()
        .map(|s| Selector::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            Diagnostic::new(Location::file("<command line>"), e)
                .with_hint("a selector is `key=value` or `key!=value`, comma-separated; e.g. -l tier=db,name!=cache")
        })?;
    let picked = select_releases(&stack.releases, &selectors);
    Ok(if include_needs {
        graph.with_needs(&picked)
    } else {
        picked
    })
}

fn report(problems: &Diagnostics, color: bool) {
    let mut err = std::io::stderr().lock();
    let (red, dim, reset) = if color {
        ("\x1b[1;31m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    for d in &problems.0 {
        let _ = writeln!(err, "{red}error{reset}: {}: {}", d.location, d.message);
        if let Some(h) = &d.hint {
            let _ = writeln!(err, "  {dim}hint{reset}: {h}");
        }
    }
    if problems.0.len() > 1 {
        let _ = writeln!(err, "{} problems found", problems.0.len());
    }
}
