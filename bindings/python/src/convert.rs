//! Python values into the library's request model, and JSON values back into Python.
//!
//! A request's context and arguments are JSON objects whose numbers keep their spelling
//! (serde_json's `arbitrary_precision`): `5` is an int and `5.0` a float, which is what
//! the conditions look at when they render a value with Python's `str()`. The conversion
//! therefore never goes through `json.dumps`: a Python `bool` becomes a JSON boolean
//! (checked before `int`, its base class), an `int` its decimal digits, a `float` its
//! `repr()` spelling (`5.0`, `1e+16`), so every value reaches the evaluator with the
//! type and text the reference would see. Values the model cannot hold exactly (tuples,
//! sets, bytes, non-string keys, NaN and infinities, other objects) raise `TypeError` or
//! `ValueError` rather than being approximated into a different decision.

use guardc::eval::JsonMap;
use guardc::python::float_repr;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde_json::Value;

/// Nesting deeper than this is refused, as the JSON reader of the CLI refuses it.
const MAX_DEPTH: usize = 128;

/// `context` / `args`: `None` is absent, a dict is converted, anything else is refused.
///
/// Inlined so that the common call, with neither, costs `decide` two pointer compares
/// instead of two calls that each return a whole `Result<Option<JsonMap>>`.
#[inline]
pub fn optional_object(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<JsonMap>> {
    match value {
        Some(v) if !v.is_none() => given_object(v, what).map(Some),
        _ => Ok(None),
    }
}

fn given_object(value: &Bound<'_, PyAny>, what: &str) -> PyResult<JsonMap> {
    match value.cast::<PyDict>() {
        Ok(dict) => object(dict, what, 0),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{what} must be a dict or None, got {}",
            type_name(value)
        ))),
    }
}

fn object(dict: &Bound<'_, PyDict>, path: &str, depth: usize) -> PyResult<JsonMap> {
    let mut map = JsonMap::with_capacity(dict.len());
    for (key, value) in dict.iter() {
        let Ok(key) = key.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!(
                "{path} has a key of type {}; keys must be str",
                type_name(&key)
            )));
        };
        let key = key.to_str()?.to_owned();
        let converted = to_json(&value, &format!("{path}[{key:?}]"), depth + 1)?;
        map.insert(key, converted);
    }
    Ok(map)
}

/// One Python value as the JSON value `json.loads` would have produced for it.
fn to_json(value: &Bound<'_, PyAny>, path: &str, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "{path} is nested deeper than {MAX_DEPTH} levels"
        )));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if let Ok(i) = value.cast::<PyInt>() {
        // `str(int)`, not the subclass's `__str__`: the value, in decimal.
        let digits = value
            .py()
            .get_type::<PyInt>()
            .call_method1("__repr__", (i,))?
            .extract::<String>()?;
        return number(&digits, path);
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        let f = f.value();
        if !f.is_finite() {
            return Err(PyValueError::new_err(format!(
                "{path} is {}, which a request cannot carry (JSON has no NaN or infinity)",
                float_repr(f)
            )));
        }
        return number(&float_repr(f), path);
    }
    if let Ok(list) = value.cast::<PyList>() {
        return list
            .iter()
            .enumerate()
            .map(|(i, item)| to_json(&item, &format!("{path}[{i}]"), depth + 1))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        return object(dict, path, depth).map(Value::Object);
    }
    Err(PyTypeError::new_err(format!(
        "{path} is a {}; context and args hold JSON-like values only (dict with str keys, \
list, str, int, float, bool, None)",
        type_name(value)
    )))
}

fn number(spelling: &str, path: &str) -> PyResult<Value> {
    serde_json::from_str::<serde_json::Number>(spelling)
        .map(Value::Number)
        .map_err(|_| PyValueError::new_err(format!("{path}: {spelling} is not a JSON number")))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

/// A JSON value as Python objects (ints stay ints, floats floats, key order kept), via
/// the standard library's `json.loads`, which reads numbers exactly that way.
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| PyValueError::new_err(format!("cannot encode a report: {e}")))?;
    py.import("json")?.call_method1("loads", (text,))
}
