//! The stack file as written (`stack.yaml`): strict serde structs.
//!
//! Field names follow helmfile where helmfile has one, so its users feel at home. Every
//! struct denies unknown fields; the deserializer reports the line, column and the valid
//! names, from which the loader builds a "did you mean" hint.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The whole file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StackFile {
    /// Reported in messages and available to templates as `.StackName`.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub repositories: Vec<Repository>,
    #[serde(default)]
    pub defaults: Defaults,
    /// Environment name → settings. `default` exists even when not written.
    #[serde(default)]
    pub environments: BTreeMap<String, Environment>,
    /// Kept as raw nodes here: each release is deserialized on its own so that one bad
    /// release does not hide the problems of the others.
    #[serde(default)]
    pub releases: Vec<serde::de::IgnoredAny>,
}

/// A chart repository.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Repository {
    pub name: String,
    /// `https://…` for an index repository, `oci://…` for a registry.
    #[serde(default)]
    pub url: Option<String>,
    /// A local folder of charts (`chart: name/chart` resolves to `path/chart`).
    #[serde(default)]
    pub path: Option<String>,
    /// Names of environment variables holding credentials (never the secrets themselves).
    #[serde(default)]
    pub username_env: Option<String>,
    #[serde(default)]
    pub password_env: Option<String>,
    #[serde(default)]
    pub token_env: Option<String>,
    #[serde(default)]
    pub ca_file: Option<String>,
    /// Spelled as in the README (camelCase would make it `insecureSkipTlsVerify`).
    #[serde(default, rename = "insecureSkipTLSVerify")]
    pub insecure_skip_tls_verify: bool,
}

/// Settings every release inherits.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Defaults {
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub create_namespace: Option<bool>,
    #[serde(default)]
    pub wait: Option<bool>,
    /// Seconds.
    #[serde(default)]
    pub timeout: Option<u64>,
    #[serde(default)]
    pub atomic: Option<bool>,
    #[serde(default)]
    pub history_max: Option<u32>,
    /// Releases worked on at once.
    #[serde(default)]
    pub concurrency: Option<u32>,
    #[serde(default)]
    pub values: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    pub set: Vec<SetEntry>,
}

/// One environment.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Environment {
    /// Values files or inline maps, merged in order. They are template data
    /// (`.Environment.Values`); a `releases.<name>` map inside them also layers into
    /// that release's values.
    #[serde(default)]
    pub values: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    pub kube_context: Option<String>,
    #[serde(default)]
    pub kubeconfig: Option<String>,
    /// Labels added to every release in this environment.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// One release.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Release {
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
    /// `./path`, `repo/chart`, `oci://host/path/chart` or a `.tgz`.
    pub chart: String,
    /// A version constraint in Helm's syntax (`1.2.3`, `~1.2`, `^1`, `>=1.2 <2`).
    #[serde(default)]
    pub version: Option<String>,
    /// Values files (`.yaml` or `.gotmpl`) or inline maps, in order.
    #[serde(default)]
    pub values: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    pub set: Vec<SetEntry>,
    /// Releases that must be applied first: `name` (same namespace) or `namespace/name`.
    #[serde(default)]
    pub needs: Vec<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// `false` keeps the release out of this environment.
    #[serde(default)]
    pub installed: Option<bool>,
    /// A dotted path into the environment values; the release is installed when it is
    /// `true` (helmfile's `condition`).
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub create_namespace: Option<bool>,
    #[serde(default)]
    pub wait: Option<bool>,
    #[serde(default)]
    pub timeout: Option<u64>,
    #[serde(default)]
    pub atomic: Option<bool>,
    #[serde(default)]
    pub history_max: Option<u32>,
    #[serde(default)]
    pub hooks: Vec<Hook>,
}

/// A `set` entry: `name` is a `--set` path; exactly one of `value`, `values`, `file`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetEntry {
    pub name: String,
    /// A scalar, typed like `--set` (`true`, `1` become bool and int; `null` deletes).
    #[serde(default, deserialize_with = "present")]
    pub value: Option<ScalarText>,
    /// A list of scalars (`--set name={a,b}`).
    #[serde(default)]
    pub values: Option<Vec<ScalarText>>,
    /// A file whose content is the (string) value (`--set-file`).
    #[serde(default)]
    pub file: Option<String>,
}

/// Any scalar, kept as the text the user wrote (`1.50` stays `1.50`); a YAML null
/// (`~`, empty, `null`) is the text `null`, which `--set` typing turns into nil.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalarText(pub String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = ScalarText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E>(self, v: &str) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<ScalarText, E> {
                Ok(ScalarText("null".into()))
            }
        }
        d.deserialize_newtype_struct(crate::yaml::RAW_SCALAR, Text)
    }
}

/// A field that, when written, holds a value even if that value is null.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<ScalarText>, D::Error> {
    ScalarText::deserialize(d).map(Some)
}

/// A stack-level command hook (run by `apply`; validated now).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Hook {
    pub events: Vec<HookEvent>,
    pub command: String,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub show_logs: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HookEvent {
    Prepare,
    Preapply,
    Postapply,
    Cleanup,
}
