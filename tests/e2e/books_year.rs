//! A 2026 year of a 3-building org through the books (being written).
