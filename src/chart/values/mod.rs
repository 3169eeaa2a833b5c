//! Helm's values: the value type, loading values files (YAML 1.1 → Go's JSON types),
//! Helm's merge and coalesce rules, `--set` parsing, and the serialisers Helm prints
//! values with (JSON, YAML, TOML).

mod coalesce;
pub mod gofloat;
pub mod json;
mod load;
mod set;
pub mod toml;
mod value;
pub mod yaml_emit;

pub use coalesce::{coalesce_values, merge_values};
pub use load::{
    FirstDocumentError, ValuesError, check_json_form, first_document_value, key_text,
    node_into_value, node_to_value, parse_values,
};
pub use set::{SetError, SetKind, apply_set, apply_sets, read_set_file};
pub use value::{Elem, Map, Object, Slice, Value, text_from_bytes, text_from_shared};
