//! A `Deserializer` adapter that refuses a JSON array where a struct is expected, at any depth.
//!
//! serde's derived structs also accept a sequence (their fields by position), so `[]` would be a
//! struct with every `#[serde(default)]` field defaulted and `["10.00", "USD"]` a `MoneyDto`.
//! Request bodies are JSON objects all the way down: `Strict` forwards everything to the wrapped
//! deserializer, wrapping every nested deserializer, seed and access in turn, and answers
//! "invalid type: sequence, expected …" when a struct is given an array.
//!
//! (A value buffered by an untagged enum is re-read by serde's own private deserializer, which
//! this adapter cannot reach; untagged inputs keep their own checks.)

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::fmt;

/// Wraps a deserializer (see the module docs).
pub struct Strict<D>(pub D);

/// Wraps a visitor: nested values stay strict; `object_only` refuses a sequence; `whole` (an
/// integer is expected) reads a number with a zero fraction (`37.0`) as that integer, as JSON
/// (and the OpenAPI document's `"type": "integer"`) has it.
struct Wrap<V> {
    inner: V,
    object_only: bool,
    whole: bool,
}

fn wrap<V>(inner: V) -> Wrap<V> {
    Wrap { inner, object_only: false, whole: false }
}

fn whole<V>(inner: V) -> Wrap<V> {
    Wrap { inner, object_only: false, whole: true }
}

struct Seq<A>(A);
struct Map<A>(A);
struct Seed<S>(S);
struct Enum<A>(A);

macro_rules! forward {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.0.$method(wrap(visitor))
            }
        )*
    };
}

macro_rules! forward_whole {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.0.$method(whole(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<D> {
    type Error = D::Error;

    forward_whole!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
    );

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, wrap(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, wrap(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, wrap(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, wrap(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, Wrap { inner: visitor, object_only: true, whole: false })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, wrap(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
                self.inner.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit!(
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_i128: i128,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_u128: u128,
        visit_f32: f32,
        visit_char: char,
        visit_str: &str,
        visit_borrowed_str: &'de str,
        visit_string: String,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: Vec<u8>,
    );

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Within ±2^53 every integer is exact in an f64, and nothing we take is larger.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if self.whole && v.fract() == 0.0 && v.abs() <= EXACT {
            return if v >= 0.0 { self.inner.visit_u64(v as u64) } else { self.inner.visit_i64(v as i64) };
        }
        self.inner.visit_f64(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.inner.visit_some(Strict(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.inner.visit_newtype_struct(Strict(d))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        if self.object_only {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        self.inner.visit_seq(Seq(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_map(Map(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_enum(Enum(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Strict(d))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Enum<A> {
    type Error = A::Error;
    type Variant = Enum<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self::Variant), A::Error> {
        self.0.variant_seed(Seed(seed)).map(|(v, variant)| (v, Enum(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Enum<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, wrap(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap { inner: visitor, object_only: true, whole: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Money {
        amount: String,
        currency: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Input {
        #[serde(default)]
        amount: Option<Money>,
        #[serde(default)]
        list: Vec<Money>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        n: u8,
    }

    fn strict(s: &str) -> Result<Input, String> {
        let mut de = serde_json::Deserializer::from_str(s);
        serde_path_to_error::deserialize(Strict(&mut de)).map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

    #[test]
    fn objects_pass_and_arrays_for_structs_are_refused_at_any_depth() {
        let ok = strict(
            r#"{"amount": {"amount": "1.00", "currency": "USD"}, "list": [{"amount": "2"}], "tags": ["a"], "n": 3}"#,
        );
        assert_eq!(ok.unwrap().list[0].amount, "2");
        // Lenient serde would read each of these as fields by position.
        assert!(serde_json::from_str::<Input>("[]").is_ok(), "what Strict guards against");
        for (bad, at) in [
            ("[]", "."),
            (r#"[null, [], [], 0]"#, "."),
            (r#"{"amount": ["1.00", "USD"]}"#, "amount"),
            (r#"{"amount": []}"#, "amount"),
            (r#"{"list": [["2", "USD"]]}"#, "list[0]"),
        ] {
            let e = strict(bad).unwrap_err();
            assert!(e.starts_with(&format!("{at}: invalid type: sequence, expected struct")), "{bad}: {e}");
        }
        // Arrays where arrays belong, and the other errors unchanged.
        assert_eq!(strict(r#"{"tags": ["x", "y"]}"#).unwrap().tags, ["x", "y"]);
        assert!(strict(r#"{"n": 300}"#).unwrap_err().starts_with("n: invalid value"));
    }

    #[test]
    fn a_whole_number_written_with_a_fraction_is_that_integer() {
        // JSON Schema's `integer` (and a fuzzer) takes 3.0 as 3.
        assert_eq!(strict(r#"{"n": 3.0}"#).unwrap().n, 3);
        assert_eq!(strict(r#"{"n": 3e0}"#).unwrap().n, 3);
        assert!(strict(r#"{"n": 3.5}"#).unwrap_err().starts_with("n: invalid type: floating point"));
        assert!(strict(r#"{"n": 300.0}"#).unwrap_err().starts_with("n: invalid value"));
        assert!(strict(r#"{"n": -1.0}"#).unwrap_err().starts_with("n: invalid value"));
    }
}
