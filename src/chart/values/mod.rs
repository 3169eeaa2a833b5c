//! Helm's values: the value type, loading values files (YAML 1.1 → Go's JSON types),
//! Helm's merge and coalesce rules, `--set` parsing, and the serialisers Helm prints
//! values with (JSON, YAML, TOML).

pub mod gofloat;
pub mod json;
mod load;
pub mod toml;
mod value;
pub mod yaml_emit;

pub use load::{ValuesError, node_to_value, parse_values};
pub use value::{Map, Object, Value};
