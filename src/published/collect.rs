//! The texts of a record read as serde writes it: every string with its path, as the record's JSON
//! would hold them (`published::texts_of` on the JSON gives the same, tested), without the JSON.
//!
//! An object with `"internal": true` marks every text under it internal, as in the JSON; since a
//! field may come after the texts it marks, an object's texts are marked when it ends.

use super::Text;
use serde::ser::{self, Serialize};
use std::fmt::Write as _;

/// What went wrong serializing: a record is plain data, so only a key that is not a string or a
/// number (which JSON could not hold either).
#[derive(Debug)]
pub(super) struct Unserializable(String);

impl std::fmt::Display for Unserializable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unserializable {}

impl ser::Error for Unserializable {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Unserializable(message.to_string())
    }
}

/// The name serde_json gives a `RawValue` serialized (its one field holds the JSON text).
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// The texts found so far, and where the serializer stands.
#[derive(Default)]
pub(super) struct Collector {
    pub(super) texts: Vec<Text>,
    /// The path of the value being serialized, as `questions[3].risks[0].risk`.
    path: String,
    /// How many objects and lists deep the value being serialized is.
    depth: usize,
    /// The last `bool` serialized, and its depth: an `internal` field is `true` only when its value
    /// is that very bool, not one inside it.
    last_bool: Option<(usize, bool)>,
}

impl Collector {
    fn text(&mut self, text: &str) {
        if !text.trim().is_empty() {
            self.texts.push(Text { path: self.path.clone(), text: text.to_owned(), internal: false });
        }
    }

    /// Serializes `value` at the key `key` of the object being serialized.
    fn at_key<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Unserializable> {
        let len = self.path.len();
        if len > 0 {
            self.path.push('.');
        }
        self.path.push_str(key);
        let result = value.serialize(&mut *self);
        self.path.truncate(len);
        result
    }

    /// Serializes `value` at the index `index` of the list being serialized.
    fn at_index<T: Serialize + ?Sized>(&mut self, index: usize, value: &T) -> Result<(), Unserializable> {
        let len = self.path.len();
        let _ = write!(self.path, "[{index}]");
        let result = value.serialize(&mut *self);
        self.path.truncate(len);
        result
    }

    /// Starts an object or a list; `variant`, for an enum's variant with data, is the key it is
    /// held under (`{"variant": …}` in JSON).
    fn open(&mut self, variant: Option<&str>) -> Node<'_> {
        let path_len = self.path.len();
        if let Some(variant) = variant {
            if path_len > 0 {
                self.path.push('.');
            }
            self.path.push_str(variant);
        }
        self.depth += 1;
        let start = self.texts.len();
        Node { collector: self, start, path_len, index: 0, internal: false, key: None, raw: false }
    }
}

/// An object or a list being serialized.
pub(super) struct Node<'a> {
    collector: &'a mut Collector,
    /// Its first text.
    start: usize,
    /// The length of the path before it.
    path_len: usize,
    /// The index of its next item, for a list.
    index: usize,
    /// Whether it has `"internal": true`.
    internal: bool,
    /// The key of the map entry whose value comes next.
    key: Option<String>,
    /// Whether it is a JSON value kept as its text (`RawValue`, as a metric's figure is): JSON
    /// holds the value that text reads as, not an object.
    raw: bool,
}

impl Node<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unserializable> {
        let index = self.index;
        self.index += 1;
        self.collector.at_index(index, value)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Unserializable> {
        if self.raw {
            // The one field of a raw value is its JSON text: the value read from it is walked.
            let serde_json::Value::String(text) = serde_json::to_value(value).map_err(ser::Error::custom)?
            else {
                return Err(ser::Error::custom("a raw JSON value that is not text"));
            };
            let value: serde_json::Value = serde_json::from_str(&text).map_err(ser::Error::custom)?;
            let collector = &mut *self.collector;
            super::walk(&value, collector.path.clone(), false, &mut collector.texts);
            return Ok(());
        }
        self.collector.last_bool = None;
        self.collector.at_key(key, value)?;
        if key == "internal" && self.collector.last_bool == Some((self.collector.depth, true)) {
            self.internal = true;
        }
        Ok(())
    }

    fn end(self) -> Result<(), Unserializable> {
        let Node { collector, start, path_len, internal, .. } = self;
        if internal {
            for text in &mut collector.texts[start..] {
                text.internal = true;
            }
        }
        collector.depth -= 1;
        collector.path.truncate(path_len);
        Ok(())
    }
}

/// Serializer methods for values that hold no text.
macro_rules! no_text {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, _: $type) -> Result<(), Unserializable> {
            Ok(())
        }
    )*};
}

impl<'a> ser::Serializer for &'a mut Collector {
    type Ok = ();
    type Error = Unserializable;
    type SerializeSeq = Node<'a>;
    type SerializeTuple = Node<'a>;
    type SerializeTupleStruct = Node<'a>;
    type SerializeTupleVariant = Node<'a>;
    type SerializeMap = Node<'a>;
    type SerializeStruct = Node<'a>;
    type SerializeStructVariant = Node<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Unserializable> {
        self.last_bool = Some((self.depth, v));
        Ok(())
    }
    // Numbers are no text.
    no_text!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_f32: f32, serialize_f64: f64
    );
    fn serialize_char(self, v: char) -> Result<(), Unserializable> {
        self.text(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unserializable> {
        self.text(v);
        Ok(())
    }
    // Bytes are a list of numbers in JSON: no text.
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unserializable> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Unserializable> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unserializable> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unserializable> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unserializable> {
        Ok(())
    }
    // A variant without data is its name, a string, in JSON.
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unserializable> {
        self.text(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unserializable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unserializable> {
        let mut node = self.open(None);
        node.field(variant, value)?;
        node.end()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Node<'a>, Unserializable> {
        Ok(self.open(None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Node<'a>, Unserializable> {
        Ok(self.open(None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Node<'a>, Unserializable> {
        Ok(self.open(None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Node<'a>, Unserializable> {
        Ok(self.open(Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Node<'a>, Unserializable> {
        Ok(self.open(None))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Node<'a>, Unserializable> {
        let mut node = self.open(None);
        node.raw = name == RAW_VALUE;
        Ok(node)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Node<'a>, Unserializable> {
        Ok(self.open(Some(variant)))
    }
}

/// The kinds of list serde has, each its own trait with the same meaning here: items at indexes.
macro_rules! list {
    ($($kind:path, $method:ident);*) => {$(
        impl $kind for Node<'_> {
            type Ok = ();
            type Error = Unserializable;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unserializable> {
                self.item(value)
            }
            fn end(self) -> Result<(), Unserializable> {
                Node::end(self)
            }
        }
    )*};
}

list!(
    ser::SerializeSeq, serialize_element;
    ser::SerializeTuple, serialize_element;
    ser::SerializeTupleStruct, serialize_field;
    ser::SerializeTupleVariant, serialize_field
);

/// The kinds of object with named fields: fields at keys.
macro_rules! object {
    ($($kind:path);*) => {$(
        impl $kind for Node<'_> {
            type Ok = ();
            type Error = Unserializable;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Unserializable> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Unserializable> {
                Node::end(self)
            }
        }
    )*};
}

object!(ser::SerializeStruct; ser::SerializeStructVariant);

impl ser::SerializeMap for Node<'_> {
    type Ok = ();
    type Error = Unserializable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unserializable> {
        // A key is a string in JSON, or a number or bool written as one; keys are few.
        self.key = Some(match serde_json::to_value(key).map_err(ser::Error::custom)? {
            serde_json::Value::String(key) => key,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => return Err(ser::Error::custom("a map key that is not a string")),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unserializable> {
        let key = self.key.take().unwrap_or_default();
        self.field(&key, value)
    }
    fn end(self) -> Result<(), Unserializable> {
        Node::end(self)
    }
}
