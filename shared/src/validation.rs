//! The rules every input shares, in one place: free text (no control or bidirectional-override
//! characters), strict `YYYY-MM-DD` dates, unsigned decimal amounts, and identity-provider
//! subjects. Models apply them in their `Validate` impls and `deserialize_with`; the HTTP edge
//! (`platform::http`) applies them to query parameters. Nothing here knows about HTTP.

use crate::FieldError;

/// Input types check their own rules after parsing (lengths, ranges, formats).
pub trait Validate {
    fn validate(&self) -> Vec<FieldError>;
}

// ------------------------------------------------------------------------------------------ text

/// Characters that change how text around them is displayed without being visible themselves:
/// the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
/// directional marks (U+200E, U+200F, U+061C), and the Unicode line and paragraph separators.
/// `report\u{202e}fdp.exe` displays as `reportexe.pdf`.
pub fn is_bidi_or_separator(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}')
}

/// Why `value` is not acceptable as a name or a line of free text, if it is not.
pub fn text_problem(value: &str, max: usize) -> Option<String> {
    if value.trim().is_empty() {
        Some("must not be blank".to_owned())
    } else if value.chars().count() > max {
        Some(format!("must be at most {max} characters"))
    } else if value.chars().any(char::is_control) {
        Some("must not contain control characters".to_owned())
    } else if value.chars().any(is_bidi_or_separator) {
        Some("must not contain bidirectional-override or invisible direction characters".to_owned())
    } else {
        None
    }
}

/// Checks a name or free-text field: not blank, at most `max` characters (not bytes), no control
/// characters, no bidirectional overrides or direction marks.
pub fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    if let Some(m) = text_problem(value, max) {
        errors.push(FieldError::new(field, m));
    }
}

pub fn check_opt_text(errors: &mut Vec<FieldError>, field: &str, value: Option<&str>, max: usize) {
    if let Some(v) = value {
        check_text(errors, field, v, max);
    }
}

// ----------------------------------------------------------------------------------------- dates

/// Dates are `YYYY-MM-DD` with a year from 1900 to 2199 (nothing else: no sign, no short year,
/// no single-digit month or day).
pub mod date {
    use chrono::NaiveDate;
    use serde::de::{self, Deserializer, Visitor};
    use std::fmt;

    pub const MIN_YEAR: i32 = 1900;
    pub const MAX_YEAR: i32 = 2199;
    /// The OpenAPI `pattern` of a date (the calendar check comes after it).
    pub const PATTERN: &str = "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
    pub const EXPECTED: &str = "a date as YYYY-MM-DD (years 1900 to 2199)";

    /// Parses a strict `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<NaiveDate, String> {
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err(format!("must be {EXPECTED}"));
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().expect("ASCII digits");
        let (y, m, d) = (num(0..4) as i32, num(5..7), num(8..10));
        if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
            return Err(format!("the year must be from {MIN_YEAR} to {MAX_YEAR}"));
        }
        NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("{s} is not a day of the calendar"))
    }

    struct Strict;

    impl Visitor<'_> for Strict {
        type Value = NaiveDate;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(EXPECTED)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
            parse(v).map_err(E::custom)
        }
    }

    /// `#[serde(deserialize_with = "crate::validation::date::strict")]`
    pub fn strict<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_str(Strict)
    }

    struct StrictOpt;

    impl<'de> Visitor<'de> for StrictOpt {
        type Value = Option<NaiveDate>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(EXPECTED)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            strict(d).map(Some)
        }
    }

    /// `#[serde(default, deserialize_with = "crate::validation::date::strict_opt")]` (null or
    /// absent is `None`).
    pub fn strict_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        d.deserialize_option(StrictOpt)
    }
}

// --------------------------------------------------------------------------------------- amounts

/// Amounts in input are unsigned decimal strings: a credit is its own charge kind, a refund its
/// own entry, so a sign is never meaningful there.
pub mod amount {
    use rust_decimal::Decimal;
    use serde::de::{self, Deserializer, Visitor};
    use std::fmt;

    /// The OpenAPI `pattern` of an input amount.
    pub const PATTERN: &str = "^[0-9]+(\\.[0-9]+)?$";
    pub const EXPECTED: &str = "a decimal number without a sign, such as 1250.00";
    /// Longest amount string looked at (Decimal holds 28 digits).
    const MAX_LEN: usize = 40;

    /// Whether `s` is digits, optionally a point and more digits: no sign, exponent, spaces,
    /// separators, or bare point.
    pub fn is_unsigned_decimal(s: &str) -> bool {
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        s.len() <= MAX_LEN
            && !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    }

    /// Parses an unsigned decimal string (see `is_unsigned_decimal`).
    pub fn parse(s: &str) -> Result<Decimal, String> {
        if !is_unsigned_decimal(s) {
            return Err(format!("must be {EXPECTED}"));
        }
        s.parse::<Decimal>().map_err(|_| "is too large".to_owned())
    }

    struct Strict;

    impl Visitor<'_> for Strict {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string holding a decimal number without a sign, such as \"1.0832\"")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            parse(v).map_err(E::custom)
        }
    }

    /// `#[serde(deserialize_with = "crate::validation::amount::unsigned_decimal")]`
    pub fn unsigned_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_str(Strict)
    }

    struct StrictOpt;

    impl<'de> Visitor<'de> for StrictOpt {
        type Value = Option<Decimal>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string holding a decimal number without a sign, such as \"5\"")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            unsigned_decimal(d).map(Some)
        }
    }

    /// `#[serde(default, deserialize_with = "crate::validation::amount::unsigned_decimal_opt")]`
    pub fn unsigned_decimal_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_option(StrictOpt)
    }
}

// ------------------------------------------------------------------------------------- subjects

/// The OpenAPI `pattern` of a member's `userId`.
pub const SUBJECT_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._|-]{0,127}$";

/// Whether `s` looks like a subject an identity provider issues: 1–128 characters, starting with
/// a letter or digit, then letters, digits, `-`, `_`, `.` and `|`, never `..`. Cognito subs are
/// UUIDs (the local issuer's too), Apple's have dots, Auth0's a `|`. No `/`, `#`, `:`, spaces or
/// path tricks (`../x`), and nothing that looks like a system actor (`system:…`).
pub fn is_subject(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"-_.|".contains(c))
        && !s.contains("..")
}

// ------------------------------------------------------------------------------ OpenAPI schemas

/// The OpenAPI pattern of free text (`check_text`): no control, bidirectional-override or
/// direction-mark character, and at least one character that is not whitespace.
pub const TEXT_PATTERN: &str = concat!(
    "^[^\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*",
    "[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]",
    "[^\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$"
);

/// Schemas of the input rules, for `#[schema(value_type = …)]` on request fields, so the
/// document states what the `Validate` impls enforce (the fuzzer in `make test` holds them to it).
pub mod schema {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::RefOr;

    pub fn string() -> ObjectBuilder {
        ObjectBuilder::new().schema_type(Type::String)
    }

    /// Free text of at most `max` characters (`check_text`).
    pub fn text(max: usize) -> RefOr<Schema> {
        string().min_length(Some(1)).max_length(Some(max)).pattern(Some(super::TEXT_PATTERN)).into()
    }

    /// One of `values` (a space-separated list).
    pub fn one_of(values: &str, description: &str) -> RefOr<Schema> {
        string().enum_values(Some(values.split_ascii_whitespace())).description(Some(description)).into()
    }

    macro_rules! text {
        ($($name:ident = $max:expr),* $(,)?) => {$(
            #[doc = concat!("Free text of 1 to ", stringify!($max), " characters (schema only).")]
            pub struct $name;
            impl utoipa::PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    text($max)
                }
            }
            impl utoipa::ToSchema for $name {}
        )*};
    }
    text!(Text20 = 20, Text40 = 40, Text50 = 50, Text100 = 100, Text200 = 200, Text500 = 500);

    /// An IANA time zone (schema only).
    pub struct TimeZone;
    impl utoipa::PartialSchema for TimeZone {
        fn schema() -> RefOr<Schema> {
            let zones = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect::<Vec<_>>().join(" ");
            one_of(&zones, "An IANA time zone.")
        }
    }
    impl utoipa::ToSchema for TimeZone {}

    /// Printable ASCII: one `@`, a non-empty local part, a domain with a dot neither first nor
    /// last.
    pub const EMAIL_PATTERN: &str = "^[!-?A-~]+@[!-\\-/-?A-~][!-?A-~]*\\.[!-?A-~]*[!-\\-/-?A-~]$";

    /// A webhook's event type filter: `*`, an exact type, or a prefix ending in `.*` (schema only).
    pub struct EventTypeFilter;
    impl utoipa::PartialSchema for EventTypeFilter {
        fn schema() -> RefOr<Schema> {
            string()
                .max_length(Some(100))
                .pattern(Some("^(\\*|[a-z_]+(\\.[a-z_]+)*\\.([a-z_]+|\\*))$"))
                .examples(["payment.*"])
                .into()
        }
    }
    impl utoipa::ToSchema for EventTypeFilter {}

    /// A webhook target: an https URL of at most 2048 characters (schema only; where it may
    /// point is checked when it is resolved, see `ports::ssrf`).
    pub struct Url;
    impl utoipa::PartialSchema for Url {
        fn schema() -> RefOr<Schema> {
            string()
                .format(Some(utoipa::openapi::SchemaFormat::Custom("uri".into())))
                .max_length(Some(2048))
                .pattern(Some("^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$"))
                .examples(["https://hooks.example.com/portfolio"])
                .into()
        }
    }
    impl utoipa::ToSchema for Url {}

    /// A phone number as `leasing::model` takes it (schema only).
    pub struct Phone;
    impl utoipa::PartialSchema for Phone {
        fn schema() -> RefOr<Schema> {
            string().pattern(Some(PHONE_PATTERN)).examples(["+1 555 010 0100"]).into()
        }
    }
    impl utoipa::ToSchema for Phone {}

    /// An optional `+`, then 7–15 digits, each maybe followed by spaces, dashes, dots or
    /// parentheses (which may also lead).
    pub const PHONE_PATTERN: &str = "^\\+?[ ().-]*([0-9][ ().-]*){7,15}$";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_refuses_controls_and_bidi_overrides() {
        for ok in ["Maple Court", "Zoë's flat", "שלום", "مرحبا", "1 rue de l'Église", "🏠 12"] {
            assert_eq!(text_problem(ok, 200), None, "{ok}");
        }
        for bad in [
            "report\u{202e}fdp.exe",
            "a\u{202a}b",
            "a\u{202d}b",
            "a\u{2066}b",
            "a\u{2069}b",
            "a\u{200e}b",
            "a\u{200f}b",
            "a\u{061c}b",
            "a\u{2028}b",
            "tab\there",
            "new\nline",
            "nul\0",
            "del\u{7f}",
            "c1\u{85}",
        ] {
            assert!(text_problem(bad, 200).is_some(), "{bad:?}");
        }
        assert_eq!(text_problem("  ", 10).as_deref(), Some("must not be blank"));
        assert_eq!(text_problem("ééé", 3), None, "characters, not bytes");
        assert!(text_problem("éééé", 3).unwrap().contains("at most 3"));
        let mut e = Vec::new();
        check_opt_text(&mut e, "memo", Some("x\u{202e}y"), 10);
        check_opt_text(&mut e, "reference", None, 10);
        assert_eq!(e.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["memo"]);
    }

    #[test]
    fn dates_are_strict_yyyy_mm_dd_from_1900_to_2199() {
        assert_eq!(date::parse("2026-01-05"), Ok(chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()));
        assert!(date::parse("1900-01-01").is_ok());
        assert!(date::parse("2199-12-31").is_ok());
        assert!(date::parse("2024-02-29").is_ok());
        for bad in [
            "26-01-01",
            "0026-01-01",
            "-0001-01-01",
            "+2026-01-01",
            "2026-1-5",
            "2026-01-5",
            "2026/01/05",
            "20260105",
            "2026-01-05T00:00:00",
            " 2026-01-05",
            "2026-01-05 ",
            "1899-12-31",
            "2200-01-01",
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "２０２６-01-05",
            "",
        ] {
            assert!(date::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest::proptest! {
        /// The documented pattern and the parser agree: the parser accepts exactly the strings
        /// the pattern matches that are days of the calendar.
        #[test]
        fn the_date_pattern_is_what_the_parser_enforces(s in "[-+0-9/ ]{8,11}|[12][0-9]{3}-[0-9]{1,2}-[0-9]{1,2}") {
            let re = regex_lite::Regex::new(date::PATTERN).unwrap();
            let parsed = date::parse(&s);
            if parsed.is_ok() {
                proptest::prop_assert!(re.is_match(&s), "{s}");
            } else if re.is_match(&s) {
                let e = parsed.unwrap_err();
                proptest::prop_assert!(e.contains("not a day of the calendar"), "{s}: {e}");
            }
        }

        #[test]
        fn the_amount_pattern_is_what_the_parser_enforces(s in "[-+0-9.e ,]{0,12}") {
            let re = regex_lite::Regex::new(amount::PATTERN).unwrap();
            proptest::prop_assert_eq!(re.is_match(&s), amount::is_unsigned_decimal(&s), "{}", s);
        }

        #[test]
        fn the_subject_pattern_is_what_the_check_enforces(s in "[a-z0-9._|:/# -]{0,10}") {
            let re = regex_lite::Regex::new(SUBJECT_PATTERN).unwrap();
            proptest::prop_assert_eq!(re.is_match(&s) && !s.contains(".."), is_subject(&s), "{}", s);
        }
    }

    #[test]
    fn dates_deserialize_strictly_with_a_message_naming_no_rust_type() {
        #[derive(serde::Deserialize, Debug)]
        struct In {
            #[serde(deserialize_with = "date::strict")]
            #[allow(dead_code)]
            d: chrono::NaiveDate,
            #[serde(default, deserialize_with = "date::strict_opt")]
            o: Option<chrono::NaiveDate>,
        }
        let ok: In = serde_json::from_str(r#"{"d": "2026-01-05", "o": null}"#).unwrap();
        assert_eq!(ok.o, None);
        let ok: In = serde_json::from_str(r#"{"d": "2026-01-05"}"#).unwrap();
        assert_eq!(ok.o, None);
        let ok: In = serde_json::from_str(r#"{"d": "2026-01-05", "o": "2026-02-01"}"#).unwrap();
        assert!(ok.o.is_some());
        let e = serde_json::from_str::<In>(r#"{"d": "26-01-01"}"#).unwrap_err().to_string();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        let e = serde_json::from_str::<In>(r#"{"d": "2026-01-05", "o": "+2026-01-01"}"#).unwrap_err().to_string();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        let e = serde_json::from_str::<In>(r#"{"d": 20260105}"#).unwrap_err().to_string();
        assert!(e.contains("expected a date as YYYY-MM-DD") && !e.contains("NaiveDate"), "{e}");
    }

    #[test]
    fn amounts_have_no_sign() {
        for ok in ["0", "1550", "1550.00", "0.5", "007.10"] {
            assert!(amount::is_unsigned_decimal(ok), "{ok}");
        }
        for bad in ["+1550.00", "-5", "1e3", "1.", ".5", "", " 1", "1,000.00", "1_000", "NaN", "1.2.3", "0x10", "١٢"]
        {
            assert!(!amount::is_unsigned_decimal(bad), "{bad:?}");
        }
        assert_eq!(amount::parse("1.0832").unwrap().to_string(), "1.0832");
        assert!(amount::parse("+1.0832").is_err());
        assert!(amount::parse(&"9".repeat(35)).is_err(), "beyond Decimal");
    }

    #[test]
    fn subjects_look_like_identity_provider_subjects() {
        for ok in [
            "71d4f55f-72fa-128d-fb46-8a1a3901507c",
            "u1",
            "auth0|5f7c8ec7c33c6c004bbafe82",
            "001234.6a8e2f0c1b.0456",
            "Google_1234567890",
        ] {
            assert!(is_subject(ok), "{ok}");
        }
        let long = "a".repeat(129);
        for bad in
            ["", "../x", "..", "a/b", "a#b", "a b", ".hidden", "-x", "system:rent-run", "a..b", "é", long.as_str()]
        {
            assert!(!is_subject(bad), "{bad:?}");
        }
    }
}
