//! The value type shared by values files, `--set`, value layering and the template engine.
//!
//! It models the Go types Helm's data becomes, because output depends on them:
//! a number from a values file is a `float64` (prints `1e+06`), a `--set` integer is an
//! `int64` (prints `1000000`), `len` returns a Go `int` (HELM-SEMANTICS.md §1.10).
//! Maps are `BTreeMap`s: Go maps have no order and every place Helm prints or iterates a
//! map sorts its keys (byte-wise), which is exactly `BTreeMap<String, _>`'s order.
//! Large variants are `Arc`-shared so cloning a value (or a whole values tree) is cheap;
//! mutation goes through `Arc::make_mut` (copy on write).

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A Go `map[string]interface{}`.
pub type Map = BTreeMap<String, Value>;

/// One value, as the Go side of Helm would hold it.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Go `nil` (a missing key or an explicit YAML `null`).
    #[default]
    Nil,
    Bool(bool),
    /// Go `int` (`len`, `.Release.Revision`, `int`, `until`).
    Int(i64),
    /// Go `int64` (`--set` integers, Sprig integer math, `int64`).
    Int64(i64),
    /// Go `uint8` (a byte: `index "abc" 0`).
    Uint8(u8),
    /// Go `uint64` (a semver version's `Major`/`Minor`/`Patch`).
    Uint64(u64),
    /// Go `float64` (every number from YAML or JSON).
    Float(f64),
    String(Arc<str>),
    /// Go `[]byte` (`.Files.GetBytes`); prints as a list of numbers.
    Bytes(Arc<[u8]>),
    /// A Go slice: `[]interface{}` mostly, but Sprig also returns `[]string`, `[]int` and
    /// nil slices, which print their type and JSON differently (see [`Slice`]).
    List(Arc<Slice>),
    /// Go `map[string]interface{}`.
    Map(Arc<Map>),
    /// A Go struct or named type with fields and methods (`.Capabilities`, `.Files`,
    /// a semver version, a `time.Time`, a generated certificate...).
    Object(Arc<dyn Object>),
}

/// A Go slice's element type; the one place that names Go slice types.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Elem {
    /// `[]interface {}`: YAML/JSON lists, `list`, and most Sprig list results.
    #[default]
    Interface,
    /// `[]int`: `until`, `untilStep`, `seq`-like helpers.
    Int,
    /// `[]string`: `splitList`, `keys`, `toStrings`, `sortAlpha`, `regexFindAll`...
    String,
    /// `[][]interface {}`: `chunk`.
    InterfaceSlice,
}

impl Elem {
    /// Go's `%T` of a slice of this element type.
    pub fn slice_type_name(self) -> &'static str {
        match self {
            Elem::Interface => "[]interface {}",
            Elem::Int => "[]int",
            Elem::String => "[]string",
            Elem::InterfaceSlice => "[][]interface {}",
        }
    }
}

/// The items of a Go slice plus what Go's type system adds to them: the element type and
/// whether the slice is nil (`rest (list)` is a nil slice: `toJson` prints `null`).
/// Derefs to the items, so code that only reads or edits elements ignores the rest.
#[derive(Clone, Debug, Default)]
pub struct Slice {
    items: Vec<Value>,
    pub elem: Elem,
    nil: bool,
}

impl Slice {
    pub fn new(items: Vec<Value>, elem: Elem) -> Slice {
        Slice {
            items,
            elem,
            nil: false,
        }
    }

    /// A nil slice of `elem`s (Go's zero value, distinct from an empty slice in JSON).
    pub fn nil(elem: Elem) -> Slice {
        Slice {
            items: Vec::new(),
            elem,
            nil: true,
        }
    }

    /// Whether this is a nil slice; a slice that got items is not nil any more.
    pub fn is_nil(&self) -> bool {
        self.nil && self.items.is_empty()
    }

    pub fn into_items(self) -> Vec<Value> {
        self.items
    }
}

impl std::ops::Deref for Slice {
    type Target = Vec<Value>;
    fn deref(&self) -> &Vec<Value> {
        &self.items
    }
}

impl std::ops::DerefMut for Slice {
    fn deref_mut(&mut self) -> &mut Vec<Value> {
        &mut self.items
    }
}

/// `reflect.DeepEqual`: element types and nil-ness count (`[]string{}` differs from
/// `[]interface{}{}`, and a nil slice from an empty one).
impl PartialEq for Slice {
    fn eq(&self, other: &Slice) -> bool {
        self.elem == other.elem && self.is_nil() == other.is_nil() && self.items == other.items
    }
}

/// A Go struct/named type seen from templates: fields and methods by name.
///
/// Implementors live next to the feature that creates them (engine objects, Sprig's
/// semver/time/cert values); the executor only needs this interface.
pub trait Object: fmt::Debug + Send + Sync {
    /// Go's `%T` name, e.g. `*semver.Version`, `time.Time`, `chartutil.Capabilities`.
    fn type_name(&self) -> &str;
    /// `.Field`, or a method called with no arguments (`.Files.Get` is a method with
    /// arguments, so it goes through [`Object::call`]). `None` = no such field/method.
    fn field(&self, name: &str) -> Option<Value>;
    /// Calls the method `name` with `args`. `None` = no such method.
    fn call(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }
    /// Go's `reflect.Kind` name (`kindOf`): pointers for `*T` type names, structs
    /// otherwise; named map or slice types (`engine.files`) override it.
    fn kind(&self) -> &str {
        if self.type_name().starts_with('*') {
            "ptr"
        } else {
            "struct"
        }
    }
    /// Go's default `%v` formatting of this value.
    fn format(&self) -> String;
    /// The value `toJson`/`toYaml` see (Go's `json.Marshal` of the struct).
    fn to_data(&self) -> Value {
        Value::from(self.format())
    }
    /// For functions that need the concrete type (e.g. `date` on a `time.Time`).
    fn as_any(&self) -> &dyn Any;
    /// A struct's JSON fields in declaration order, for `toJson`: Go's `json.Marshal`
    /// keeps struct field order (`{"Version":…,"Major":…}`) where map keys are sorted.
    /// `None`: the JSON is that of [`Object::to_data`]. (`toYaml` re-sorts keys anyway.)
    fn to_json_fields(&self) -> Option<Vec<(String, Value)>> {
        None
    }
}

impl Value {
    pub fn string(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    /// A Go `[]interface{}`.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(Slice::new(items, Elem::Interface)))
    }

    /// A Go `[]string`.
    pub fn strings(items: impl IntoIterator<Item = impl Into<Arc<str>>>) -> Value {
        let items = items.into_iter().map(|s| Value::String(s.into())).collect();
        Value::List(Arc::new(Slice::new(items, Elem::String)))
    }

    /// A Go `[]int`.
    pub fn ints(items: impl IntoIterator<Item = i64>) -> Value {
        let items = items.into_iter().map(Value::Int).collect();
        Value::List(Arc::new(Slice::new(items, Elem::Int)))
    }

    /// A nil slice of `elem`s.
    pub fn nil_slice(elem: Elem) -> Value {
        Value::List(Arc::new(Slice::nil(elem)))
    }

    /// A `[]interface{}` that is nil when `items` is empty: Go code that only `append`s to
    /// a `var res []interface{}` returns nil for no items.
    pub fn appended(items: Vec<Value>) -> Value {
        if items.is_empty() {
            Value::nil_slice(Elem::Interface)
        } else {
            Value::list(items)
        }
    }

    pub fn map(map: Map) -> Value {
        Value::Map(Arc::new(map))
    }

    pub fn empty_map() -> Value {
        Value::Map(Arc::new(Map::new()))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// Mutable access to a map, copying it first if it is shared.
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Map(m) => Some(Arc::make_mut(m)),
            _ => None,
        }
    }

    /// Go template truthiness (HELM-SEMANTICS.md §1.6): nil, false, zero numbers and empty
    /// strings/collections are false; everything else (structs included) is true.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Uint8(u) => *u != 0,
            Value::Uint64(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            // `.Files` (and its `Glob` results) is a Go map and `.Capabilities.APIVersions` a
            // slice: empty ones are false (bitnami's apache: `if and (.Files.Glob ...) ...`).
            Value::Object(o) if matches!(o.type_name(), "engine.files" | "common.VersionSet") => {
                o.to_data().is_truthy()
            }
            Value::Object(_) => true,
        }
    }

    /// Go's `%T` of this value as Helm's data would have it.
    pub fn type_name(&self) -> &str {
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Uint8(_) => "uint8",
            Value::Uint64(_) => "uint64",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::Bytes(_) => "[]uint8",
            Value::List(l) => l.elem.slice_type_name(),
            Value::Map(_) => "map[string]interface {}",
            Value::Object(o) => o.type_name(),
        }
    }

    /// Looks up a dotted path of map keys (`a.b.c`), `None` when any step is missing or
    /// not a map.
    pub fn get_path<'a>(&self, path: impl IntoIterator<Item = &'a str>) -> Option<&Value> {
        let mut cur = self;
        for key in path {
            cur = cur.as_map()?.get(key)?;
        }
        Some(cur)
    }
}

/// Structural equality with Go's `reflect.DeepEqual` flavour: types must match
/// (`Int(1) != Float(1.0)`), objects compare by identity.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Nil, Nil) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) | (Int64(a), Int64(b)) => a == b,
            (Uint8(a), Uint8(b)) => a == b,
            (Uint64(a), Uint64(b)) => a == b,
            (Float(a), Float(b)) => a == b,
            (String(a), String(b)) => a == b,
            (Bytes(a), Bytes(b)) => a == b,
            (List(a), List(b)) => a == b,
            (Map(a), Map(b)) => a == b,
            (Object(a), Object(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// Go's `string(bytes)` as text: the bytes themselves when they are UTF-8 (the fast,
/// common case), else with invalid sequences replaced. One copy either way.
pub fn text_from_bytes(bytes: &[u8]) -> Arc<str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Arc::from(text),
        Err(_) => Arc::from(String::from_utf8_lossy(bytes).as_ref()),
    }
}

/// [`text_from_bytes`] for bytes that are already shared: UTF-8 bytes become the text
/// without a copy (a chart's template sources and `.Files.Get` results are read once and
/// kept as bytes).
pub fn text_from_shared(bytes: &Arc<[u8]>) -> Arc<str> {
    if std::str::from_utf8(bytes).is_err() {
        return text_from_bytes(bytes);
    }
    // SAFETY: `str` has the layout of `[u8]`, and these bytes were just checked to be
    // UTF-8; the new `Arc` takes over the strong count of the clone.
    unsafe { Arc::from_raw(Arc::into_raw(bytes.clone()) as *const str) }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s.into())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Value {
        Value::list(items)
    }
}

impl From<Map> for Value {
    fn from(map: Map) -> Value {
        Value::map(map)
    }
}

/// Converts to `serde_json::Value` the way Go's `encoding/json` would see the data
/// (used by JSON-schema validation and tests; `toJson` has its own exact writer).
impl From<&Value> for serde_json::Value {
    fn from(v: &Value) -> serde_json::Value {
        use serde_json::Value as J;
        match v {
            Value::Nil => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) | Value::Int64(i) => J::from(*i),
            Value::Uint8(u) => J::from(*u),
            Value::Uint64(u) => J::from(*u),
            Value::List(l) if l.is_nil() => J::Null,
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.to_string()),
            Value::Bytes(b) => J::Array(b.iter().map(|x| J::from(*x)).collect()),
            Value::List(l) => J::Array(l.iter().map(J::from).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), J::from(v))).collect()),
            Value::Object(o) => J::from(&o.to_data()),
        }
    }
}

/// Converts decoded JSON the way Go's `json.Unmarshal` into `interface{}` does:
/// every number becomes `float64`.
impl From<&serde_json::Value> for Value {
    fn from(j: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match j {
            J::Null => Value::Nil,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            J::String(s) => Value::from(s.as_str()),
            J::Array(a) => Value::list(a.iter().map(Value::from).collect()),
            J::Object(o) => {
                Value::map(o.iter().map(|(k, v)| (k.clone(), Value::from(v))).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_text_reuses_utf8_bytes_and_replaces_invalid_ones() {
        let bytes: Arc<[u8]> = Arc::from("héllo".as_bytes());
        let text = text_from_shared(&bytes);
        assert_eq!(&*text, "héllo");
        assert_eq!(text.as_ptr(), bytes.as_ptr(), "no copy for UTF-8");
        assert_eq!(Arc::strong_count(&bytes), 2);
        drop(text);
        assert_eq!(Arc::strong_count(&bytes), 1);
        let invalid: Arc<[u8]> = Arc::from(&b"a\xffb"[..]);
        assert_eq!(&*text_from_shared(&invalid), "a\u{fffd}b");
    }
}
