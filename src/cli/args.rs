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
    /// Resolve every remote chart (index repositories, OCI registries), download what the
    /// cache lacks, verify digests and write stack.lock.
    Deps(DepsArgs),
    /// Chart repositories.
    Repo {
        #[command(subcommand)]
        command: RepoCommand,
    },
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

#[derive(Debug, Subcommand)]
pub enum RepoCommand {
    /// Refresh the cached index of every index repository (conditional GET).
    Update(FetchArgs),
}

#[derive(Debug, Args)]
pub struct DepsArgs {
    /// Fail when stack.lock is missing or does not match the stack; resolve nothing.
    #[arg(long)]
    pub frozen: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

/// Settings shared by the commands that fetch.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Cache folder for indexes and charts (default: $XDG_CACHE_HOME/rstack).
    #[arg(long, env = "RSTACK_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Seconds allowed per HTTP request.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub http_timeout: u64,
}
