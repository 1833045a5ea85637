//! The events of documents and their versions.

use super::model::DocumentSubject;
use crate::events::EventSpec;
use crate::ids::DocumentId;
use chrono::NaiveDate;

crate::domain_event! {
    /// A document was created with its first version, awaiting its upload.
    DocumentCreated = "document.created", version 1, subject "document" by document_id {
        document_id: DocumentId,
        subject: DocumentSubject,
        name: String,
        version: u32,
        content_type: String,
        size_bytes: u64,
        expires_on: Option<NaiveDate>,
    }

    /// A new version of a document awaits its upload.
    DocumentVersionCreated = "document.version_created", version 1, subject "document" by document_id {
        document_id: DocumentId,
        version: u32,
        content_type: String,
        size_bytes: u64,
        expires_on: Option<NaiveDate>,
    }

    /// A version's upload was checked and is available.
    DocumentUploaded = "document.uploaded", version 1, subject "document" by document_id {
        document_id: DocumentId,
        version: u32,
        content_type: String,
        size_bytes: u64,
    }

    /// A version's upload was refused (its bytes are not what was declared).
    DocumentRejected = "document.rejected", version 1, subject "document" by document_id {
        document_id: DocumentId,
        version: u32,
        content_type: String,
        size_bytes: u64,
        reason: String,
    }
}

pub const CATALOG: &[EventSpec] = &[
    EventSpec::of::<DocumentCreated>(),
    EventSpec::of::<DocumentVersionCreated>(),
    EventSpec::of::<DocumentUploaded>(),
    EventSpec::of::<DocumentRejected>(),
];
