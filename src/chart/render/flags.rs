//! The `helm template` flags that a local render has no use for: cluster, repository,
//! install-time and notes flags, accepted and dropped so that any helm command line
//! works; and the few rstack refuses, each with the reason (a dependency update, a
//! post-renderer, a chart repository, a server-side dry run). Read before the flags that matter
//! are parsed (`TemplateArgs::parse`), the way helm's flag set reads them: a boolean
//! takes `--flag` or `--flag=value`, a value flag `--flag value` or `--flag=value`.

use super::Error;

/// How a flag takes its value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    /// `--flag` or `--flag=BOOL`.
    Bool,
    /// `--flag VALUE` or `--flag=VALUE`.
    Value,
    /// `--flag` or `--flag=VALUE` (helm's `--wait`, `--dry-run`).
    OptionalValue,
}

/// Accepted and ignored: nothing in a local render depends on them.
const IGNORED: &[(&str, Takes)] = &[
    // Install-time behaviour and release metadata.
    ("--atomic", Takes::Bool),
    ("--create-namespace", Takes::Bool),
    ("--description", Takes::Value),
    ("--disable-openapi-validation", Takes::Bool),
    ("--force", Takes::Bool),
    ("--force-conflicts", Takes::Bool),
    ("--force-replace", Takes::Bool),
    ("--hide-notes", Takes::Bool),
    // `helm template` never prints notes.
    ("--render-subchart-notes", Takes::Bool),
    ("--labels", Takes::Value),
    ("-l", Takes::Value),
    ("--replace", Takes::Bool),
    ("--rollback-on-failure", Takes::Bool),
    ("--server-side", Takes::Bool),
    ("--skip-crds", Takes::Bool),
    ("--take-ownership", Takes::Bool),
    ("--timeout", Takes::Value),
    ("--wait", Takes::OptionalValue),
    ("--wait-for-jobs", Takes::Bool),
    // Fetching a chart from a repository (a chart on disk is read as it is).
    ("--ca-file", Takes::Value),
    ("--cert-file", Takes::Value),
    ("--devel", Takes::Bool),
    ("--insecure-skip-tls-verify", Takes::Bool),
    ("--key-file", Takes::Value),
    ("--keyring", Takes::Value),
    ("--pass-credentials", Takes::Bool),
    ("--password", Takes::Value),
    ("--plain-http", Takes::Bool),
    ("--username", Takes::Value),
    ("--version", Takes::Value),
    // helm's global flags: the cluster connection, helm's own files, colours.
    ("--burst-limit", Takes::Value),
    ("--color", Takes::Value),
    ("--colour", Takes::Value),
    ("--content-cache", Takes::Value),
    ("--kube-apiserver", Takes::Value),
    ("--kube-as-group", Takes::Value),
    ("--kube-as-user", Takes::Value),
    ("--kube-ca-file", Takes::Value),
    ("--kube-context", Takes::Value),
    ("--kube-insecure-skip-tls-verify", Takes::Bool),
    ("--kube-tls-server-name", Takes::Value),
    ("--kube-token", Takes::Value),
    ("--kubeconfig", Takes::Value),
    ("--qps", Takes::Value),
    ("--registry-config", Takes::Value),
    ("--repository-cache", Takes::Value),
    ("--repository-config", Takes::Value),
    ("--post-renderer-args", Takes::Value),
];

/// Refused when set: what they ask for is not a local render.
const REFUSED: &[(&str, Takes, &str)] = &[
    (
        "--dependency-update",
        Takes::Bool,
        "rstack does not fetch dependencies while rendering: run `helm dependency update`, or declare the chart in stack.yaml and run `rstack deps`",
    ),
    (
        "--post-renderer",
        Takes::Value,
        "rstack does not run helm post-renderer plugins",
    ),
    (
        "--repo",
        Takes::Value,
        "`rstack chart template` renders a chart on disk: declare the repository in stack.yaml and run `rstack template`",
    ),
    (
        "--verify",
        Takes::Bool,
        "rstack does not verify chart provenance files",
    ),
    (
        "--validate",
        Takes::Bool,
        "validating against a cluster needs one: `rstack chart template` renders offline",
    ),
];

/// `args` without the ignored flags; an error for a refused flag that is set, or a
/// `--dry-run` value helm's `template` refuses.
pub fn drop_ignored(args: &[String]) -> Result<Vec<String>, Error> {
    let mut kept = Vec::with_capacity(args.len());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            kept.push(arg.clone());
            kept.extend(rest.cloned());
            break;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with('-') => (name, Some(value)),
            _ => (arg.as_str(), None),
        };
        if name == "--dry-run" {
            check_dry_run(inline)?;
            continue;
        }
        if let Some(&(_, takes)) = IGNORED.iter().find(|(n, _)| *n == name) {
            value_of(name, takes, inline, &mut rest)?;
            continue;
        }
        if let Some(&(_, takes, why)) = REFUSED.iter().find(|(n, ..)| *n == name) {
            let value = value_of(name, takes, inline, &mut rest)?;
            if takes != Takes::Bool || value.as_deref() != Some("false") {
                return Err(Error::Args(format!("{name}: {why}")));
            }
            continue;
        }
        kept.push(arg.clone());
    }
    Ok(kept)
}

/// The flag's value (`Some("true")` for a bare boolean), taking the next argument
/// where the flag needs one; a boolean's value normalised to `true`/`false`.
fn value_of<'a>(
    name: &str,
    takes: Takes,
    inline: Option<&str>,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<Option<String>, Error> {
    match (takes, inline) {
        (Takes::Bool, None) => Ok(Some("true".into())),
        (Takes::Bool, Some(v)) => go_bool(v).map(|b| Some(b.to_string())).ok_or_else(|| {
            Error::Args(format!(
                "invalid argument {v:?} for {name:?} flag: strconv.ParseBool: parsing {v:?}: invalid syntax"
            ))
        }),
        (_, Some(v)) => Ok(Some(v.to_string())),
        (Takes::OptionalValue, None) => Ok(None),
        (Takes::Value, None) => match rest.next() {
            Some(v) => Ok(Some(v.clone())),
            None => Err(Error::Args(format!("flag needs an argument: {name}"))),
        },
    }
}

/// Go's `strconv.ParseBool`.
fn go_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// helm's `--dry-run` for `template`: bare, `client` or a true boolean is what
/// `template` does anyway; `server` needs a cluster; `none` or false is refused as
/// helm refuses it.
fn check_dry_run(value: Option<&str>) -> Result<(), Error> {
    let Some(v) = value else {
        return Ok(());
    };
    let refused = || {
        Error::Args(format!(
            "invalid dry-run value ({v:?}). Must be \"server\" or \"client\""
        ))
    };
    match v {
        "client" | "unset" => Ok(()),
        "server" => Err(Error::Args(
            "--dry-run=server: a server-side dry run needs a cluster; `rstack chart template` renders offline (as --dry-run=client)".into(),
        )),
        "none" => Err(refused()),
        _ => match go_bool(v) {
            Some(true) => Ok(()),
            Some(false) => Err(refused()),
            None => Err(Error::Args(format!(
                "invalid dry-run value ({v:?}). Must be \"none\", \"server\", or \"client\""
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn drops_ignored_flags_with_their_values() {
        let kept = drop_ignored(&args(
            "rel ./c --kube-context prod --wait --timeout=5m -l a=b --atomic=false --set x=1 --dry-run --wait=watcher --skip-crds ./extra",
        ))
        .unwrap();
        assert_eq!(kept, args("rel ./c --set x=1 ./extra"));
        // `--wait VALUE` does not take the value (helm reads it as an argument).
        assert_eq!(
            drop_ignored(&args("rel --wait ./c")).unwrap(),
            args("rel ./c")
        );
        // After `--`, nothing is a flag.
        assert_eq!(
            drop_ignored(&args("rel ./c -- --wait")).unwrap(),
            args("rel ./c -- --wait")
        );
    }

    #[test]
    fn refuses_what_is_not_a_local_render() {
        for line in [
            "rel ./c --dependency-update",
            "rel ./c --post-renderer p",
            "rel ./c --repo https://x",
            "rel ./c --validate",
            "rel ./c --dry-run=server",
        ] {
            assert!(drop_ignored(&args(line)).is_err(), "{line}");
        }
        assert!(drop_ignored(&args("rel ./c --validate=false --verify=0")).is_ok());
    }

    #[test]
    fn dry_run_values_as_helm_template_reads_them() {
        let err = |line| drop_ignored(&args(line)).unwrap_err().to_string();
        assert_eq!(
            err("rel ./c --dry-run=none"),
            "invalid dry-run value (\"none\"). Must be \"server\" or \"client\""
        );
        assert_eq!(
            err("rel ./c --dry-run=maybe"),
            "invalid dry-run value (\"maybe\"). Must be \"none\", \"server\", or \"client\""
        );
        assert_eq!(
            err("rel ./c --atomic=yes"),
            "invalid argument \"yes\" for \"--atomic\" flag: strconv.ParseBool: parsing \"yes\": invalid syntax"
        );
        assert!(drop_ignored(&args("rel ./c --dry-run=client --dry-run=true")).is_ok());
    }
}
