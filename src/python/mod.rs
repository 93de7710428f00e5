//! The reference SDK's value semantics, reproduced: Python `str()`, `repr()`, truthiness,
//! `float()` and `int()`.
//!
//! The reference is a Python program, and several observable results depend on how
//! Python renders and coerces values: a rule `id: 0777` is the policy id `511`, a
//! condition `flag: true` matches the text `True`, `escalate_on_deny: 'false'` is truthy.
//! Keeping these rules in one module (instead of sprinkling `format!` calls) is what keeps
//! the loader, the evaluator and the error messages consistent with the reference.

mod float_format;
mod float_parse;
mod int_parse;
pub mod re;
mod truth;
mod value;

pub use float_format::float_repr;
pub use float_parse::{
    PY_DECIMAL_ZEROS, is_py_space, parse_py_float, py_decimal_value, py_float, py_strip,
};
pub use int_parse::{PyIntError, parse_py_int};
pub use truth::{Shape, json_truthy, shape_truthy, truthy};
pub use value::{PyValue, json_py_str, str_repr};
