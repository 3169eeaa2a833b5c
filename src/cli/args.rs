//! clap definitions. They stay raw; `cli::dispatch` turns them into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::graph::GraphFormat;

/// Declarative orchestration of many Helm releases, rendered natively.
#[derive(Debug, Parser)]
#[command(name = "rstack", version, about, propagate_version = true)]
pub struct Cli {
    /// The stack file (default: stack.yaml, else stack.yaml.gotmpl).
    #[arg(short = 'f', long = "file", global = true)]
    pub file: Option<PathBuf>,
    /// The environment to load.
    #[arg(short = 'e', long = "env", global = true, default_value = "default")]
    pub env: String,
    /// Select releases by label: `key=value,key!=value` (repeat for a union). `name`,
    /// `namespace` and `chart` are always available.
    #[arg(short = 'l', long = "selector", global = true)]
    pub selector: Vec<String>,
    /// The kubeconfig context to use (cluster commands).
    #[arg(long = "kube-context", global = true)]
    pub kube_context: Option<String>,
    /// More logging (-v, -vv).
    #[arg(short = 'v', long = "verbose", global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Colour in messages.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the stack: schema, files, chart paths, needs and cycles. Prints every
    /// problem found; exits 1 if there is any.
    Lint,
    /// Print the release dependency graph.
    Graph {
        #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
        format: GraphFormat,
        /// Also include the releases the selected ones need, transitively.
        #[arg(long)]
        include_needs: bool,
    },
    /// Print the final layered values of one release.
    Values(ValuesArgs),
    /// Print a shell completion script.
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct ValuesArgs {
    /// The release: `name` or `namespace/name`.
    pub release: String,
    /// Annotate every value with the layer and file:line it came from.
    #[arg(long)]
    pub origin: bool,
    /// Set values on the command line (Helm's syntax; highest layer).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    #[arg(long = "set-string", value_name = "PATH=VALUE")]
    pub set_string: Vec<String>,
    #[arg(long = "set-file", value_name = "PATH=FILE")]
    pub set_file: Vec<String>,
    #[arg(long = "set-json", value_name = "PATH=JSON")]
    pub set_json: Vec<String>,
    #[arg(long = "set-literal", value_name = "PATH=VALUE")]
    pub set_literal: Vec<String>,
}
