//! The stack file: schema, environments, value layering, selectors.
//!
//! Input: a `stack.yaml` path and an environment name. Output: a checked [`Stack`] whose
//! releases know their values sources, needs and labels, and the layered values of a
//! release. This stage knows nothing of Kubernetes or of how charts are fetched; it uses
//! `chart::values` for Helm's merge rules.

mod layering;
mod load;
pub mod schema;
mod selector;
mod stack_parts;
mod template;
mod template_funcs;

pub use layering::{Layer, LayerKind, LayeredValues, layer_values, local_chart_defaults};
pub use load::{
    DEFAULT_ENVIRONMENT, Environment, LoadReport, LoadedValues, Release, Stack, ValuesSource,
    load_stack, load_stack_report, read_values_source,
};
pub use selector::{Selector, select_releases};
pub use template::{ReleaseInfo, TemplateContext, TemplateError};
