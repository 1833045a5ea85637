//! The events of imports.

use crate::events::EventSpec;
use crate::ids::ImportId;

crate::domain_event! {
    /// An import's file was read: its rows validated (a dry run, or one with errors, stops here).
    ImportValidated = "import.validated", version 1, subject "import" by import_id {
        import_id: ImportId,
        kind: String,
        rows: u32,
        errors: u32,
        dry_run: bool,
    }

    /// An import was committed: `created` rows written, `skipped` already there.
    ImportCommitted = "import.committed", version 1, subject "import" by import_id {
        import_id: ImportId,
        kind: String,
        created: u32,
        skipped: u32,
        failed: u32,
    }
}

pub const CATALOG: &[EventSpec] = &[EventSpec::of::<ImportValidated>(), EventSpec::of::<ImportCommitted>()];
