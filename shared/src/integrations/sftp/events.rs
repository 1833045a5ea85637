//! The events of the SFTP integration.

use crate::events::EventSpec;
use crate::ids::ImportId;

crate::domain_event! {
    /// The org connected (or changed) its SFTP server: its new files are imported.
    SftpConnected = "sftp.connected", version 1, subject "sftp" by host {
        host: String,
        port: u16,
        username: String,
        path: String,
        kind: String,
        host_key_fingerprint: String,
    }

    /// The org disconnected its SFTP server; the imports it made stay.
    SftpDisconnected = "sftp.disconnected", version 1, subject "sftp" by host {
        host: String,
    }

    /// A new file was picked up from the org's SFTP server and became an import.
    SftpFileReceived = "sftp.file_received", version 1, subject "import" by import_id {
        import_id: ImportId,
        file_name: String,
        size_bytes: u64,
        sha256: String,
    }
}

pub const CATALOG: &[EventSpec] =
    &[EventSpec::of::<SftpConnected>(), EventSpec::of::<SftpDisconnected>(), EventSpec::of::<SftpFileReceived>()];
