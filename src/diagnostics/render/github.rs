//! GitHub workflow annotations: one `::error`, `::warning` or `::notice` command per
//! diagnostic, which the Actions runner turns into an annotation on the file and line.
//!
//! The format is a line protocol, so values are escaped as the Actions toolkit escapes
//! them: in the message, `%`, `\r` and `\n` (a multi-line message stays one command); in
//! properties, also `:` and `,`, which separate properties. Positions are the JSON
//! report's: 1-based lines, columns in characters, the end column just after the span.
//! Control characters from the policy are shown as `<U+001B>` (see `escape`): the
//! runner prints annotations into logs that people read in terminals too.

use std::fmt;

use super::{FileReport, plain_text};
use crate::diagnostics::escape::escape_controls;
use crate::diagnostics::{Diagnostic, Level};
use crate::source::SourceFile;

/// Every diagnostic of every file as workflow commands, one line each.
pub fn github_annotations(files: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_github_annotations(&mut out, files);
    out
}

/// [`github_annotations`], written one line at a time into `out`.
pub fn write_github_annotations(
    out: &mut impl fmt::Write,
    files: &[FileReport<'_>],
) -> fmt::Result {
    for file in files {
        for diagnostic in file.diagnostics {
            out.write_str(&annotation(file.source, diagnostic))?;
            out.write_char('\n')?;
        }
    }
    Ok(())
}

fn annotation(source: &SourceFile, diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    };
    let start = source.lines().line_col(diagnostic.span.start);
    let end = source.lines().line_col(diagnostic.span.end);
    let title = format!("{} {}", diagnostic.code.code, diagnostic.code.name);
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(source.name()),
        start.line,
        start.col,
        end.line,
        end.col,
        escape_property(&title),
        escape_data(&plain_text(diagnostic)),
    )
}

/// The message of a command.
fn escape_data(text: &str) -> String {
    let protocol = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    escape_controls(&protocol).into_owned()
}

/// A property value (`file=`, `title=`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("C:\\a,b%.yaml"), "C%3A\\a%2Cb%25.yaml");
        assert_eq!(
            escape_property("\u{1b}]0;x\u{7}.yaml"),
            "<U+001B>]0;x<U+0007>.yaml"
        );
        assert_eq!(escape_data("a\r\n\u{202e}b"), "a%0D%0A<U+202E>b");
    }
}
