//! `rstack deps` and `rstack repo update`: argument handling and output only.

use std::time::Duration;

use crate::repo::{self, DepsMode, FetchOptions, Progress, RepoUpdate};
use crate::span::Diagnostics;
use crate::workspace::Stack;

use super::args::{DepsArgs, FetchArgs, RepoCommand};
use super::print_out;

fn options(args: &FetchArgs) -> FetchOptions {
    FetchOptions {
        cache_dir: args.cache_dir.clone(),
        concurrency: args.concurrency.max(1),
        timeout: Duration::from_secs(args.http_timeout.max(1)),
        progress: Progress::Auto,
        ..FetchOptions::default()
    }
}

pub fn deps(stack: &Stack, args: &DepsArgs) -> Result<(), Diagnostics> {
    let mode = if args.frozen {
        DepsMode::Frozen
    } else {
        DepsMode::Update
    };
    let outcome = repo::run_deps(stack, &options(&args.fetch), mode)?;
    let mut out = String::new();
    for e in &outcome.lock.entries {
        let short = e.digest_hex().get(..12).unwrap_or_default();
        out.push_str(&format!(
            "{}\t{}\t{}\tsha256:{short}\n",
            e.release, e.chart, e.version
        ));
    }
    let lock_state = if outcome.lock_written {
        "written"
    } else {
        "up to date"
    };
    out.push_str(&format!(
        "{}: {lock_state} ({} charts, {} resolved, {} downloaded)\n",
        outcome.lock_path.display(),
        outcome.lock.entries.len(),
        outcome.resolved.len(),
        outcome.downloaded
    ));
    print_out(&out);
    Ok(())
}

pub fn repo(stack: &Stack, command: &RepoCommand) -> Result<(), Diagnostics> {
    match command {
        RepoCommand::Update(args) => {
            let updates = repo::update_repositories(stack, &options(args))?;
            let mut out = String::new();
            for u in updates {
                out.push_str(&match u {
                    RepoUpdate::Updated { name, charts } => {
                        format!("{name}: updated ({charts} charts)\n")
                    }
                    RepoUpdate::Unchanged { name, charts } => {
                        format!("{name}: unchanged ({charts} charts)\n")
                    }
                    RepoUpdate::Skipped { name, why } => format!("{name}: skipped ({why})\n"),
                });
            }
            print_out(&out);
            Ok(())
        }
    }
}
