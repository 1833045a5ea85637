//! DynamoDB request-unit arithmetic (on-demand), from item sizes as DynamoDB defines them.
//!
//! - A write request unit covers one write of up to 1 KB; a transactional write costs two.
//! - A read request unit covers one strongly consistent read of up to 4 KB; an eventually
//!   consistent read costs half of one, a transactional read two. A `Query` is rounded up once
//!   over the total size of the items it read; a `GetItem` (or each item of a batch) once per item;
//!   an item not found still costs the minimum.
//!
//! Read units are kept in halves so every count stays an integer.

use serde_json::{Map, Value};

pub const WRITE_UNIT_BYTES: u64 = 1024;
pub const READ_UNIT_BYTES: u64 = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Eventual,
    Strong,
    Transactional,
}

impl Read {
    /// The request's `ConsistentRead` (absent = eventually consistent).
    pub fn from_flag(consistent: &Value) -> Read {
        if consistent.as_bool() == Some(true) {
            Read::Strong
        } else {
            Read::Eventual
        }
    }
}

/// Half read request units for reading `bytes` (at least one 4 KB block).
pub fn read_half_units(bytes: u64, read: Read) -> u64 {
    let blocks = bytes.div_ceil(READ_UNIT_BYTES).max(1);
    blocks
        * match read {
            Read::Eventual => 1,
            Read::Strong => 2,
            Read::Transactional => 4,
        }
}

/// Write request units for writing an item of `bytes` (the larger of its size before and after).
pub fn write_units(bytes: u64, transactional: bool) -> u64 {
    let blocks = bytes.div_ceil(WRITE_UNIT_BYTES).max(1);
    if transactional {
        2 * blocks
    } else {
        blocks
    }
}

/// An item's size in DynamoDB's terms, from its wire form (`{"PK": {"S": "…"}, …}`): each
/// attribute's name plus its value.
pub fn item_size(item: &Map<String, Value>) -> u64 {
    item.iter().map(|(name, v)| name.len() as u64 + value_size(v)).sum()
}

/// A value's size: strings and binaries their bytes; a number about one byte per two
/// significant digits plus one; booleans and nulls one byte; a list or map 3 bytes plus one per
/// element plus the elements (and a map's names).
pub fn value_size(v: &Value) -> u64 {
    let Some((t, x)) = v.as_object().and_then(|o| o.iter().next()) else { return 0 };
    match t.as_str() {
        "S" => x.as_str().map_or(0, |s| s.len() as u64),
        "N" => x.as_str().map_or(0, number_size),
        "B" => x.as_str().map_or(0, base64_len),
        "BOOL" | "NULL" => 1,
        "SS" => strs(x).iter().map(|s| s.len() as u64).sum(),
        "NS" => strs(x).iter().map(|s| number_size(s)).sum(),
        "BS" => strs(x).iter().map(|s| base64_len(s)).sum(),
        "L" => 3 + x.as_array().into_iter().flatten().map(|e| 1 + value_size(e)).sum::<u64>(),
        "M" => 3 + x.as_object().into_iter().flatten().map(|(k, e)| 1 + k.len() as u64 + value_size(e)).sum::<u64>(),
        _ => 0,
    }
}

fn strs(x: &Value) -> Vec<&str> {
    x.as_array().into_iter().flatten().filter_map(Value::as_str).collect()
}

/// Leading and trailing zeros trimmed, one byte per two significant digits, plus one.
fn number_size(n: &str) -> u64 {
    let digits: String = n.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len() as u64;
    significant.div_ceil(2) + 1
}

/// The decoded length of a base64 string.
fn base64_len(s: &str) -> u64 {
    let padding = s.bytes().rev().take_while(|b| *b == b'=').count() as u64;
    (s.len() as u64 / 4 * 3).saturating_sub(padding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_cost_a_unit_per_kilobyte_and_double_in_a_transaction() {
        assert_eq!(write_units(1536, true), 4, "1.5 KB transactional write");
        assert_eq!(write_units(1536, false), 2);
        assert_eq!(write_units(1024, false), 1);
        assert_eq!(write_units(1025, false), 2);
        assert_eq!(write_units(0, false), 1, "a delete of nothing still costs one");
        assert_eq!(write_units(100, true), 2);
    }

    #[test]
    fn reads_cost_a_unit_per_4_kb_strong_half_eventual_double_transactional() {
        assert_eq!(read_half_units(5 * 1024, Read::Strong), 4, "5 KB strong = 2 RRU");
        assert_eq!(read_half_units(5 * 1024, Read::Eventual), 2, "5 KB eventual = 1 RRU");
        assert_eq!(read_half_units(5 * 1024, Read::Transactional), 8, "5 KB transactional = 4 RRU");
        assert_eq!(read_half_units(4096, Read::Strong), 2);
        assert_eq!(read_half_units(0, Read::Eventual), 1, "a miss costs the minimum half unit");
        assert_eq!(Read::from_flag(&json!(true)), Read::Strong);
        assert_eq!(Read::from_flag(&Value::Null), Read::Eventual);
    }

    #[test]
    fn item_sizes_follow_dynamodbs_rules() {
        let item = json!({
            "PK": {"S": "ORG#1"},              // 2 + 5
            "n": {"N": "-0012.3400"},          // 1 + (4 digits → 2) + 1
            "b": {"B": "AAEC"},                // 1 + 3
            "ok": {"BOOL": true},              // 2 + 1
            "l": {"L": [{"S": "ab"}, {"NULL": true}]}, // 1 + 3 + (1+2) + (1+1)
            "m": {"M": {"k": {"S": "v"}}},     // 1 + 3 + (1+1+1)
        });
        let size = item_size(item.as_object().unwrap());
        assert_eq!(size, 7 + 4 + 4 + 3 + 9 + 7);
        assert_eq!(number_size("0"), 1);
        assert_eq!(number_size("100"), 2);
        assert_eq!(base64_len("AA=="), 1);
    }
}
