//! Functions triggered by events rather than HTTP.

pub mod document_uploaded;
pub mod rent_generator;
