//! Does a file's first bytes match the content type it was declared as? (Magic numbers; CSV has
//! none, so it must look like text.)

/// Content types a document may have.
pub const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/heic",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/csv",
];

/// Bytes to read from the start of an object to decide.
pub const SNIFF_BYTES: u64 = 4096;

pub fn matches(content_type: &str, head: &[u8]) -> bool {
    match content_type {
        "application/pdf" => head.starts_with(b"%PDF-"),
        "image/png" => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => head.starts_with(b"\xFF\xD8\xFF"),
        "image/heic" => {
            head.len() >= 12
                && &head[4..8] == b"ftyp"
                && [b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1"].iter().any(|b| &head[8..12] == *b)
        }
        "image/webp" => head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP",
        // A .docx is a ZIP container.
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => head.starts_with(b"PK\x03\x04"),
        "text/csv" => !head.is_empty() && !head.contains(&0) && text_prefix(head),
        _ => false,
    }
}

/// UTF-8 text, allowing the read to have cut a multi-byte character at the end.
fn text_prefix(b: &[u8]) -> bool {
    match std::str::from_utf8(b) {
        Ok(s) => !s.chars().any(|c| c.is_control() && !"\r\n\t".contains(c)),
        Err(e) => e.error_len().is_none() && text_prefix(&b[..e.valid_up_to()]),
    }
}

/// A document's content type: one of `documents::sniff::ALLOWED` (schema only).
pub struct ContentType;
impl utoipa::PartialSchema for ContentType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::validation::schema::one_of(&ALLOWED.join(" "), "The file's media type.")
    }
}
impl utoipa::ToSchema for ContentType {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_each_allowed_type_and_refuses_impostors() {
        let samples: &[(&str, &[u8])] = &[
            ("application/pdf", b"%PDF-1.7\n..."),
            ("image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            ("image/jpeg", b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
            ("image/heic", b"\0\0\0\x18ftypheic\0\0\0\0"),
            ("image/webp", b"RIFF\x24\0\0\0WEBPVP8 "),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04\x14\0"),
            ("text/csv", "date,amount\n2026-01-01,1550.00\ncafé,1\n".as_bytes()),
        ];
        for (ct, bytes) in samples {
            assert!(matches(ct, bytes), "{ct}");
            for (other, _) in samples.iter().filter(|(o, _)| o != ct && *o != "text/csv") {
                assert!(!matches(other, bytes), "{ct} bytes accepted as {other}");
            }
        }
        assert!(!matches("text/csv", b"\x89PNG\r\n\x1a\n\0\0"));
        assert!(!matches("application/pdf", b""));
        assert!(!matches("application/x-msdownload", b"MZ"));
    }
}
