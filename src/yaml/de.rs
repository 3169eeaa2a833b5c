//! A serde deserializer over the positioned tree: typed config structs (the stack file,
//! Chart.yaml) with errors that carry line and column, including unknown fields with the
//! list of valid ones (for a "did you mean" hint).
//!
//! String fields accept any scalar's text as written (`version: 1.10` stays `"1.10"`),
//! which is what a user of a config file means; typed fields (bool, numbers) follow the
//! YAML 1.1 resolution of `resolve`.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use super::resolve::{Resolved, resolve_plain};
use super::tree::{Node, NodeKind, Pos, ScalarStyle};

/// The newtype-struct name through which a type asks for a scalar's raw text (nulls
/// included, as `visit_unit`) instead of its resolved YAML type.
pub const RAW_SCALAR: &str = "$rstack::RawScalar";

/// A deserialization error at a position.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct DeError {
    pub pos: Option<Pos>,
    pub message: String,
    /// The mapping key whose value failed (the innermost one).
    pub field: Option<String>,
    /// For an unknown field: its name and the valid names.
    pub unknown_field: Option<(String, Vec<&'static str>)>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(pos) = self.pos {
            write!(f, "{pos}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl DeError {
    /// Sets the position unless an inner node already did.
    fn at(mut self, pos: Pos) -> DeError {
        self.pos.get_or_insert(pos);
        self
    }
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            pos: None,
            message: msg.to_string(),
            field: None,
            unknown_field: None,
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError {
            pos: None,
            message: format!("unknown field `{field}`"),
            field: None,
            unknown_field: Some((field.to_string(), expected.to_vec())),
        }
    }
}

/// Deserializes a typed value from a node.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, DeError> {
    T::deserialize(NodeDe(node))
}

struct NodeDe<'a>(&'a Node);

impl NodeDe<'_> {
    fn type_error(&self, expected: &str) -> DeError {
        de::Error::custom(format_args!(
            "expected {expected}, found {}",
            self.0.describe()
        ))
    }

    fn resolved(&self) -> Option<Resolved> {
        match &self.0.kind {
            NodeKind::Scalar(s) if s.style == ScalarStyle::Plain && s.tag.is_none() => {
                Some(resolve_plain(&s.text))
            }
            NodeKind::Scalar(_) => Some(Resolved::Str),
            _ => None,
        }
    }
}

macro_rules! forward_number {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let pos = self.0.pos;
            match self.resolved() {
                Some(Resolved::Int(i)) => visitor.visit_i64(i),
                Some(Resolved::Float(f)) => visitor.visit_f64(f),
                _ => Err(self.type_error("a number")),
            }
            .map_err(|e| e.at(pos))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.0.pos;
        let result = match &self.0.kind {
            NodeKind::Scalar(s) => match self.resolved() {
                Some(Resolved::Null) => visitor.visit_unit(),
                Some(Resolved::Bool(b)) => visitor.visit_bool(b),
                Some(Resolved::Int(i)) => visitor.visit_i64(i),
                Some(Resolved::Float(f)) => visitor.visit_f64(f),
                _ => visitor.visit_str(&s.text),
            },
            NodeKind::Seq(items) => visitor.visit_seq(SeqAccess {
                items: items.iter(),
            }),
            NodeKind::Map(entries) => visitor.visit_map(MapAccess {
                entries: entries.iter(),
                value: None,
            }),
        };
        result.map_err(|e| e.at(pos))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let pos = self.0.pos;
        match &self.0.kind {
            NodeKind::Scalar(_) if self.0.is_null() => Err(self.type_error("a string")),
            NodeKind::Scalar(s) => visitor.visit_str(&s.text),
            _ => Err(self.type_error("a string")),
        }
        .map_err(|e| e.at(pos))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.resolved() {
            Some(Resolved::Bool(b)) => visitor.visit_bool(b),
            _ => Err(self.type_error("true or false")),
        }
        .map_err(|e| e.at(self.0.pos))
    }

    forward_number! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_f32 deserialize_f64
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.0.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.0.is_null() {
            visitor.visit_unit()
        } else {
            Err(self.type_error("null").at(self.0.pos))
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == RAW_SCALAR {
            return match &self.0.kind {
                NodeKind::Scalar(_) if self.0.is_null() => visitor.visit_unit(),
                NodeKind::Scalar(s) => visitor.visit_str(&s.text),
                _ => Err(self.type_error("a scalar")),
            }
            .map_err(|e| e.at(self.0.pos));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.kind {
            NodeKind::Seq(_) => self.deserialize_any(visitor),
            // An empty value where a list is expected is an empty list.
            _ if self.0.is_null() => visitor.visit_seq(SeqAccess { items: [].iter() }),
            _ => Err(self.type_error("a list").at(self.0.pos)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.kind {
            NodeKind::Map(_) => self.deserialize_any(visitor),
            _ if self.0.is_null() => visitor.visit_map(MapAccess {
                entries: [].iter(),
                value: None,
            }),
            _ => Err(self.type_error("a mapping").at(self.0.pos)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let pos = self.0.pos;
        match &self.0.kind {
            NodeKind::Scalar(s) => visitor.visit_enum(s.text.as_str().into_deserializer()),
            _ => Err(self.type_error("one of the allowed words")),
        }
        .map_err(|e: DeError| e.at(pos))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        char bytes byte_buf unit_struct tuple tuple_struct identifier
    }
}

struct SeqAccess<'a> {
    items: std::slice::Iter<'a, Node>,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(node) => seed
                .deserialize(NodeDe(node))
                .map(Some)
                .map_err(|e| e.at(node.pos)),
            None => Ok(None),
        }
    }
}

struct MapAccess<'a> {
    entries: std::slice::Iter<'a, (Node, Node)>,
    /// The entry whose key was just read.
    value: Option<&'a (Node, Node)>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some(entry) => {
                let key = &entry.0;
                self.value = Some(entry);
                seed.deserialize(NodeDe(key))
                    .map(Some)
                    .map_err(|e| e.at(key.pos))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (key, node) = self
            .value
            .take()
            .expect("serde asks for a value after its key");
        seed.deserialize(NodeDe(node)).map_err(|mut e| {
            if e.field.is_none()
                && e.unknown_field.is_none()
                && let Some(k) = key.as_scalar()
            {
                e.field = Some(k.text.clone());
            }
            e.at(node.pos)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        name: String,
        #[serde(default)]
        wait: bool,
        #[serde(default)]
        tags: Vec<String>,
    }

    fn parse<T: DeserializeOwned>(src: &str) -> Result<T, DeError> {
        from_node(&parse_documents(src).unwrap()[0])
    }

    #[test]
    fn strings_keep_their_text() {
        let item: Item = parse("name: 1.10\nwait: yes\n").unwrap();
        assert_eq!(item.name, "1.10");
        assert!(item.wait);
    }

    #[test]
    fn unknown_field_has_position_and_candidates() {
        let err = parse::<Item>("name: a\nwiat: true\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 2, col: 1 }));
        let (field, expected) = err.unknown_field.unwrap();
        assert_eq!(field, "wiat");
        assert!(expected.contains(&"wait"));
    }

    #[test]
    fn type_errors_point_at_the_value() {
        let err = parse::<Item>("name: a\ntags: {x: 1}\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 2, col: 7 }));
        assert!(err.message.contains("expected a list"), "{err}");
    }

    #[test]
    fn missing_field_points_at_the_mapping() {
        let err = parse::<Vec<Item>>("- wait: true\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 1, col: 3 }));
        assert!(err.message.contains("missing field `name`"));
    }
}
