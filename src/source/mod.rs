//! Source text and positions: the one place that knows how byte offsets map to the
//! lines and columns that users, JSON output and editors see.
//!
//! Every later stage carries [`Span`]s (byte ranges) only; converting to 1-based
//! line/column (for humans and CI) or UTF-16 positions (for editors, which count in LSP's units) happens
//! here, at the edges, so no stage has to agree with another on a column convention.

mod line_index;
mod span;

pub use line_index::{LineCol, LineIndex};
pub use span::Span;

/// A named document: what the CLI read from disk, or a text an editor holds in memory.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    lines: LineIndex,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let lines = LineIndex::new(&text);
        Self {
            name: name.into(),
            text,
            lines,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The lowercase file suffix (`yaml`, `yml`, `json`), which selects the front-end.
    pub fn extension(&self) -> Option<String> {
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        base.rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
    }

    /// The text under a span, clamped to the document and to character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        let end = span.end.min(self.text.len());
        let start = span.start.min(end);
        self.text.get(start..end).unwrap_or("")
    }
}
