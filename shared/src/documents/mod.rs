//! Documents in S3 with versions, checked after upload, and the obligations their expiry dates
//! create.

pub mod events;
pub mod model;
pub mod service;
pub mod sniff;
