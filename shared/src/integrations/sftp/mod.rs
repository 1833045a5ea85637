//! Imports from the org's own SFTP server: the connection (`connection`: host, user, an
//! encrypted private key, the pinned host key, the directory and the kind of its files), the
//! port and its SSH adapter (`client`), and the poll `job-sftp-poll` fans out every 15 minutes
//! (`poll`): each new file is downloaded once — known by name, size and modification time, and
//! by the SHA-256 of its content — kept in the imports bucket and imported like an upload.

pub mod client;
pub mod connection;
pub mod events;
pub mod poll;
