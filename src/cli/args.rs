//! clap definitions. They stay raw; `cli::dispatch` turns them into library calls.

use std::ffi::OsString;
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

impl Cli {
    /// The command line (`argv`, program name first), as clap reads it. The one shape
    /// run once per chart by scripts and CI, `rstack chart template NAME …` (the
    /// helm-compatible render), is read directly to the same result: building clap's
    /// whole command tree took a tenth of rendering a small chart. Anything else, help
    /// and errors included, goes to clap.
    pub fn from_argv(argv: Vec<OsString>) -> Cli {
        Cli::chart_template(&argv).unwrap_or_else(|| Cli::parse_from(argv))
    }

    /// `rstack chart template ARGS…` where `ARGS` starts with a value: clap takes no
    /// global flag there, and the rest is `helm template`'s arguments, kept raw.
    fn chart_template(argv: &[OsString]) -> Option<Cli> {
        let [_, chart, template, first, ..] = argv else {
            return None;
        };
        if chart != "chart" || template != "template" || first.as_encoded_bytes().starts_with(b"-")
        {
            return None;
        }
        let args = argv[3..]
            .iter()
            .map(|a| a.to_str().map(str::to_string))
            .collect::<Option<Vec<String>>>()?;
        if args.iter().any(|a| a == "--") {
            return None;
        }
        Some(Cli {
            file: None,
            env: "default".to_string(),
            selector: Vec::new(),
            kube_context: None,
            verbose: 0,
            color: Color::Auto,
            command: Command::Chart(ChartCommand::Template(ChartTemplateArgs { args })),
        })
    }
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
    /// Render every selected release (in dependency order) as `helm template` would.
    Template(StackTemplateArgs),
    /// Work on a single chart.
    #[command(subcommand)]
    Chart(ChartCommand),
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

#[derive(Debug, Subcommand)]
pub enum ChartCommand {
    /// Render one chart locally; takes the same arguments as `helm template`.
    Template(ChartTemplateArgs),
}

/// `helm template`'s arguments, kept raw: its `-f` (values files) would clash with the
/// global `-f` (stack file), which clap forbids, so they are parsed separately by
/// `TemplateArgs::parse`. A `-f` given before the release name is taken by clap as the
/// global flag; `dispatch` hands it back.
#[derive(Debug, Args)]
pub struct ChartTemplateArgs {
    #[arg(
        value_name = "[NAME] CHART [FLAGS]",
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 0..
    )]
    pub args: Vec<String>,
}

#[derive(Debug, Args)]
pub struct StackTemplateArgs {
    /// Also render the releases the selected ones need, transitively.
    #[arg(long)]
    pub include_needs: bool,
    /// Write `DIR/<namespace>/<release>/<template path>` instead of printing.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Releases rendered at once (default: `defaults.concurrency`, else the CPU count).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Kubernetes version for `.Capabilities` (default: helm 4's, v1.35.0).
    #[arg(long)]
    pub kube_version: Option<String>,
    /// Extra API versions for `.Capabilities.APIVersions`.
    #[arg(short = 'a', long = "api-versions", value_delimiter = ',')]
    pub api_versions: Vec<String>,
    /// Print each chart's `crds/` files too.
    #[arg(long)]
    pub include_crds: bool,
    /// Leave out `test` hooks.
    #[arg(long)]
    pub skip_tests: bool,
    /// Leave out every hook.
    #[arg(long)]
    pub no_hooks: bool,
    /// Do not validate values against `values.schema.json`.
    #[arg(long)]
    pub skip_schema_validation: bool,
    #[command(flatten)]
    pub set: SetArgs,
}

impl StackTemplateArgs {
    pub fn sets(&self) -> Vec<(crate::chart::values::SetKind, String)> {
        self.set.sets()
    }
}

/// `--set` and its siblings, applied to every selected release (highest layer).
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Set values on the command line (Helm's syntax).
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

impl SetArgs {
    /// The flags with their kinds; the layering applies them in Helm's order.
    pub fn sets(&self) -> Vec<(crate::chart::values::SetKind, String)> {
        use crate::chart::values::SetKind;
        [
            (SetKind::Typed, &self.set),
            (SetKind::String, &self.set_string),
            (SetKind::File, &self.set_file),
            (SetKind::Json, &self.set_json),
            (SetKind::Literal, &self.set_literal),
        ]
        .into_iter()
        .flat_map(|(kind, list)| list.iter().map(move |a| (kind, a.clone())))
        .collect()
    }
}

#[derive(Debug, Args)]
pub struct ValuesArgs {
    /// The release: `name` or `namespace/name`.
    pub release: String,
    /// Annotate every value with the layer and file:line it came from.
    #[arg(long)]
    pub origin: bool,
    #[command(flatten)]
    pub set: SetArgs,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading `rstack chart template …` directly gives clap's result wherever it is
    /// taken, and is not taken where clap reads something else.
    #[test]
    fn chart_template_is_read_as_clap_reads_it() {
        let lines = [
            "rstack chart template rel ./chart",
            "rstack chart template ./chart",
            "rstack chart template rel ./chart -f v.yaml --set a=1 -v --color never",
            "rstack chart template rel ./chart --help",
            "rstack chart template rel ./chart -h -V --version",
            "rstack chart template rel ./chart -e prod -l a=b --kube-context x",
            "rstack chart template rel ./chart -- -x",
            "rstack chart template -f v.yaml rel ./chart",
            "rstack chart template --help",
            "rstack chart template",
            "rstack chart template -v rel ./chart",
            "rstack -v chart template rel ./chart",
            "rstack chart values rel",
            "rstack template rel",
        ];
        let mut taken = 0;
        for line in lines {
            let argv: Vec<OsString> = line.split(' ').map(OsString::from).collect();
            let clap = Cli::try_parse_from(&argv).map(|c| format!("{c:?}"));
            if let Some(direct) = Cli::chart_template(&argv) {
                assert_eq!(
                    Ok(format!("{direct:?}")),
                    clap.map_err(|e| e.to_string()),
                    "{line}"
                );
                taken += 1;
            }
        }
        assert_eq!(taken, 6);
    }
}
