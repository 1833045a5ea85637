//! Checks events against the catalog `GET /api/v1/event-types` serves: each event's type is
//! listed, and its `data` fits the type's JSON Schema (the subset utoipa writes: `$ref` into
//! `$defs`, `allOf`/`oneOf`, `type` (one or a list), `properties`/`required`, `items`, `enum`).

use serde_json::Value;

/// What is wrong with `v` under `schema` (empty when it fits). Unknown properties are wrong too:
/// a producer writing a field the catalog does not describe is a contract drift.
pub fn violations(v: &Value, schema: &Value, defs: &Value, at: &str) -> Vec<String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return violations(v, &defs[name], defs, at);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        return all.iter().flat_map(|s| violations(v, s, defs, at)).collect();
    }
    if let Some(any) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
        if any.iter().any(|s| violations(v, s, defs, at).is_empty()) {
            return Vec::new();
        }
        return vec![format!("{at}: {v} fits none of its alternatives")];
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(v) {
            return vec![format!("{at}: {v} is not one of {allowed:?}")];
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.iter().any(|t| fits_type(v, t)) {
            return vec![format!("{at}: {v} is not {types:?}")];
        }
    }
    let mut out = Vec::new();
    if let (Some(obj), Some(props)) = (v.as_object(), schema.get("properties").and_then(Value::as_object)) {
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !obj.contains_key(required.as_str().unwrap_or_default()) {
                out.push(format!("{at}: {required} is required"));
            }
        }
        for (k, field) in obj {
            match props.get(k) {
                Some(s) => out.extend(violations(field, s, defs, &format!("{at}.{k}"))),
                None => out.push(format!("{at}.{k} is not in the schema")),
            }
        }
    }
    if let (Some(items), Some(schema)) = (v.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            out.extend(violations(item, schema, defs, &format!("{at}[{i}]")));
        }
    }
    out
}

fn fits_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// Reads every event of `org` (following cursors) and checks each against the served catalog;
/// returns the types seen.
pub async fn assert_events_fit_the_catalog(app: &crate::TestApp, org: &str, token: &str) -> Vec<String> {
    let catalog = app.raw("GET", "/api/v1/event-types", None, None).await.expect(200).body;
    let mut seen = std::collections::BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_path = match &cursor {
            Some(c) => format!("/api/v1/orgs/{org}/events?limit=100&cursor={c}"),
            None => format!("/api/v1/orgs/{org}/events?limit=100"),
        };
        let page = app.get(&page_path, token).await.expect(200).body;
        for e in page["items"].as_array().unwrap() {
            let ty = e["type"].as_str().unwrap();
            let spec = catalog["items"].as_array().unwrap().iter().find(|s| s["type"] == ty);
            let spec = spec.unwrap_or_else(|| panic!("{ty} was written but is not in the catalog"));
            assert_eq!((&e["version"], &e["subject"]["type"]), (&spec["version"], &spec["subject"]), "{e}");
            let problems = violations(&e["data"], &spec["schema"], &spec["schema"]["$defs"], "data");
            assert!(problems.is_empty(), "{ty}: {problems:?} in {}", e["data"]);
            seen.insert(ty.to_owned());
        }
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return seen.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::violations;
    use serde_json::json;

    #[test]
    fn the_checker_finds_what_does_not_fit() {
        let defs =
            json!({"M": {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "string"}}}});
        let schema = json!({"type": "object", "required": ["id", "m"], "properties": {
            "id": {"type": "string"}, "n": {"type": ["integer", "null"]}, "m": {"$ref": "#/$defs/M"},
            "k": {"type": "string", "enum": ["a", "b"]}, "xs": {"type": "array", "items": {"type": "integer"}}}});
        let ok = json!({"id": "x", "n": null, "m": {"amount": "1.00"}, "k": "a", "xs": [1, 2]});
        assert!(violations(&ok, &schema, &defs, "data").is_empty());
        for bad in [
            json!({"m": {"amount": "1.00"}}),
            json!({"id": 1, "m": {"amount": "1.00"}}),
            json!({"id": "x", "m": {"amount": 1}}),
            json!({"id": "x", "m": {"amount": "1"}, "k": "c"}),
            json!({"id": "x", "m": {"amount": "1"}, "xs": ["1"]}),
            json!({"id": "x", "m": {"amount": "1"}, "extra": true}),
        ] {
            assert!(!violations(&bad, &schema, &defs, "data").is_empty(), "{bad}");
        }
    }
}
