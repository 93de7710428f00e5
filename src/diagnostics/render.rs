//! Rendering diagnostics for people and machines (being written).
