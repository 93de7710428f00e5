//! The value tree both front-ends produce: typed like the reference's loaded Python
//! objects, and every node carrying its source span.

use crate::python::{PyValue, Shape, shape_truthy};
use crate::source::Span;

/// How a scalar was written. Lints need it (a plain `yes` is a YAML 1.1 boolean, a quoted
/// one is a string), and an editor can use it to offer quoting fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    /// A JSON token (string, number, literal).
    Json,
    /// Not a scalar (a collection), or a value built by the loader.
    NotScalar,
}

/// A value in the loaded document, typed as PyYAML's safe loader (YAML) or Python's
/// `json` module (JSON) would type it.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// Integers. Python's are unbounded; values beyond `i128` are refused by the
    /// front-end with a limit diagnostic.
    Int(i128),
    Float(f64),
    Str(String),
    /// A YAML date (`2024-01-01`), kept as Python's `str()` of it.
    Date(String),
    /// A YAML timestamp, kept as Python's `str()` of the `datetime`.
    DateTime(String),
    /// `!!binary`: Python `bytes`.
    Binary(Vec<u8>),
    /// `!!set`: Python `set` (its members).
    Set(Vec<Node>),
    Seq(Vec<Node>),
    /// Boxed: a mapping is two vectors, and inline it made every node a third larger
    /// (a 10,000-rule policy has about 100,000 nodes, mostly scalars).
    Map(Box<Mapping>),
}

/// One node: a value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    pub style: ScalarStyle,
}

/// A mapping in document order, with the last value kept for a repeated key (as the
/// reference keeps it) and every repetition recorded for the analyzer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping {
    pub entries: Vec<MapEntry>,
    pub duplicates: Vec<DuplicateKey>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    pub key: Node,
    pub value: Node,
}

/// A key written more than once in one mapping: `first` lost to `last`.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Span,
    pub last: Span,
}

impl Node {
    pub fn new(kind: NodeKind, span: Span, style: ScalarStyle) -> Self {
        Self { kind, span, style }
    }

    /// The Python type name the reference prints in messages (`got list`).
    pub fn python_type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "NoneType",
            NodeKind::Bool(_) => "bool",
            NodeKind::Int(_) => "int",
            NodeKind::Float(_) => "float",
            NodeKind::Str(_) => "str",
            NodeKind::Date(_) => "date",
            NodeKind::DateTime(_) => "datetime",
            NodeKind::Binary(_) => "bytes",
            NodeKind::Set(_) => "set",
            NodeKind::Seq(_) => "list",
            NodeKind::Map(_) => "dict",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Mapping> {
        match &self.kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }
}

impl Mapping {
    /// The value of a string key (the last one written, as the reference keeps).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&MapEntry> {
        self.entries.iter().find(|e| e.key.as_str() == Some(key))
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

// The node's Python readings are written here rather than in `python/`, because
// `python/` sits below the syntax layer (the YAML front-end resolves scalars with its
// `int()` and `float()`), and the value and truthiness rules themselves stay there:
// these only say which Python value, or which `bool()` shape, a node is.
impl PyValue {
    /// The value a loaded document node stands for.
    pub fn from_node(node: &Node) -> PyValue {
        match &node.kind {
            NodeKind::Null => PyValue::None,
            NodeKind::Bool(b) => PyValue::Bool(*b),
            NodeKind::Int(i) => PyValue::Int(*i),
            NodeKind::Float(f) => PyValue::Float(*f),
            NodeKind::Str(s) => PyValue::Str(s.clone()),
            NodeKind::Date(s) => PyValue::Date(s.clone()),
            NodeKind::DateTime(s) => PyValue::DateTime(s.clone()),
            NodeKind::Binary(b) => PyValue::Bytes(b.clone()),
            NodeKind::Set(items) => PyValue::Set(items.iter().map(PyValue::from_node).collect()),
            NodeKind::Seq(items) => PyValue::List(items.iter().map(PyValue::from_node).collect()),
            NodeKind::Map(map) => PyValue::Dict(
                map.entries
                    .iter()
                    .map(|e| (PyValue::from_node(&e.key), PyValue::from_node(&e.value)))
                    .collect(),
            ),
        }
    }
}

/// Python `bool()` of the value a loaded document node stands for.
pub fn node_truthy(node: &Node) -> bool {
    shape_truthy(match &node.kind {
        NodeKind::Null => Shape::None,
        NodeKind::Bool(b) => Shape::Bool(*b),
        NodeKind::Int(i) => Shape::Int(*i),
        NodeKind::Float(f) => Shape::Float(*f),
        NodeKind::Str(s) => Shape::Sized(s.len()),
        NodeKind::Binary(b) => Shape::Sized(b.len()),
        NodeKind::Date(_) | NodeKind::DateTime(_) => Shape::Object,
        NodeKind::Set(items) | NodeKind::Seq(items) => Shape::Sized(items.len()),
        NodeKind::Map(map) => Shape::Sized(map.len()),
    })
}
