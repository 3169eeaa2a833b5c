//! Helm's values: the value type, loading values files (YAML 1.1 → Go's JSON types),
//! Helm's merge and coalesce rules, and `--set` parsing.

mod load;
mod value;

pub use load::{ValuesError, node_to_value, parse_values};
pub use value::{Map, Object, Value};
