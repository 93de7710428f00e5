//! YAML 1.1 plain-scalar resolution (being written).
