//! The events of the reports: an export was asked for, built, or could not be.

use super::exports::ExportKind;
use crate::events::EventSpec;
use crate::ids::ExportId;
use chrono::NaiveDate;

crate::domain_event! {
    /// An export was asked for (`consumer-exports` builds it).
    ExportRequested = "export.requested", version 1, subject "export" by export_id {
        export_id: ExportId,
        kind: ExportKind,
        from: NaiveDate,
        to: NaiveDate,
    }

    /// An export's file is ready to download.
    ExportReady = "export.ready", version 1, subject "export" by export_id {
        export_id: ExportId,
        kind: ExportKind,
        size: u64,
    }

    /// An export could not be built from the org's data (the reason says why).
    ExportFailed = "export.failed", version 1, subject "export" by export_id {
        export_id: ExportId,
        kind: ExportKind,
        error: String,
    }
}

pub const CATALOG: &[EventSpec] =
    &[EventSpec::of::<ExportRequested>(), EventSpec::of::<ExportReady>(), EventSpec::of::<ExportFailed>()];
