//! The document as miette reads it for snippets, answering from the line index instead
//! of from the start of the text.
//!
//! miette's own `SourceCode` for text scans from the first byte to the span on every
//! label of every diagnostic, so rendering n findings of a large policy costs n times the
//! document: 10,000 rules with 12,000 findings took over 20 seconds. This source cuts the
//! text to the lines around the span (with a line of margin on each side), lets miette
//! read that window, and shifts the answer back to whole-document offsets and lines, so
//! the output is byte for byte what the whole-text scan gives.
//!
//! miette also ends lines at a lone `\r`, which the line index does not; a document with
//! one is read whole, as before (such documents are rare and the result stays exact).

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::SourceFile;

/// A document's text, name and line index, as a miette source.
#[derive(Debug)]
pub struct SnippetSource<'a> {
    source: &'a SourceFile,
    has_lone_cr: bool,
}

impl<'a> SnippetSource<'a> {
    pub fn new(source: &'a SourceFile) -> Self {
        let bytes = source.text().as_bytes();
        let has_lone_cr = bytes
            .iter()
            .enumerate()
            .any(|(at, &byte)| byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
        Self {
            source,
            has_lone_cr,
        }
    }

    /// The byte range of the lines that can appear in the snippet of `span`, and the
    /// 0-based line it starts on.
    fn window(&self, span: &SourceSpan, before: usize, after: usize) -> (usize, usize, usize) {
        let lines = self.source.lines();
        let end = span.offset() + span.len().saturating_sub(1);
        let first_line = lines.line_of(span.offset()).saturating_sub(before + 1);
        let last_line = lines.line_of(end) + after + 1;
        (
            lines.line_start(first_line),
            lines.line_start(last_line + 1),
            first_line,
        )
    }
}

impl SourceCode for SnippetSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.source.text();
        let name = self.source.name().to_owned();
        let whole = || -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
            let inner = text.read_span(span, context_lines_before, context_lines_after)?;
            Ok(Box::new(MietteSpanContents::new_named(
                name.clone(),
                inner.data(),
                *inner.span(),
                inner.line(),
                inner.column(),
                inner.line_count(),
            )))
        };
        if self.has_lone_cr {
            return whole();
        }
        let (start, end, first_line) = self.window(span, context_lines_before, context_lines_after);
        let Some(window) = text.get(start..end) else {
            return whole();
        };
        let Some(relative_offset) = span.offset().checked_sub(start) else {
            return whole();
        };
        let relative = SourceSpan::new(relative_offset.into(), span.len());
        let inner = window.read_span(&relative, context_lines_before, context_lines_after)?;
        let shifted = SourceSpan::new((inner.span().offset() + start).into(), inner.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            name,
            inner.data(),
            shifted,
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use miette::{SourceCode, SourceSpan};

    use super::SnippetSource;
    use crate::source::SourceFile;

    /// Every span of a few documents, with every context size the handler asks for,
    /// reads the same through the window as through the whole text.
    #[test]
    fn windowed_reads_equal_whole_text_reads() {
        let texts = [
            "version: '1'\nrules:\n  - deny: 'Bash:sudo *'\n    reason: x\n  - allow: '*'\n",
            "a\r\nb\r\n\r\nccc\r\nd",
            "no newline at all",
            "lone\rcarriage\nreturn\n",
            "\n\n\nx\n\n",
            "é: 'ü'\n- ☃\n",
        ];
        for text in texts {
            let source = SourceFile::new("doc.yaml", text);
            let windowed = SnippetSource::new(&source);
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&at| text.is_char_boundary(at))
                .collect();
            for &start in &boundaries {
                for &end in boundaries.iter().filter(|&&end| end >= start) {
                    let span = SourceSpan::new(start.into(), end - start);
                    for context in 0..3 {
                        let expected = text.read_span(&span, context, context);
                        let got = windowed.read_span(&span, context, context);
                        match (expected, got) {
                            (Ok(expected), Ok(got)) => {
                                assert_eq!(got.data(), expected.data(), "{text:?} {span:?}");
                                assert_eq!(got.span(), expected.span(), "{text:?} {span:?}");
                                assert_eq!(got.line(), expected.line(), "{text:?} {span:?}");
                                assert_eq!(got.column(), expected.column(), "{text:?} {span:?}");
                                assert_eq!(
                                    got.line_count(),
                                    expected.line_count(),
                                    "{text:?} {span:?} {context}"
                                );
                                assert_eq!(got.name(), Some("doc.yaml"));
                            }
                            (Err(_), Err(_)) => {}
                            (expected, got) => panic!(
                                "{text:?} {span:?}: whole text ok {}, window ok {}",
                                expected.is_ok(),
                                got.is_ok()
                            ),
                        }
                    }
                }
            }
        }
    }
}
