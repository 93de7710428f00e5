//! GitHub workflow annotations: one `::error`, `::warning` or `::notice` command per
//! diagnostic, which the Actions runner turns into an annotation on the file and line.
//!
//! The format is a line protocol, so values are escaped as the Actions toolkit escapes
//! them: in the message, `%`, `\r` and `\n` (a multi-line message stays one command); in
//! properties, also `:` and `,`, which separate properties. Positions are the JSON
//! report's: 1-based lines, columns in characters, the end column just after the span.

use super::{FileReport, plain_text};
use crate::diagnostics::{Diagnostic, Level};
use crate::source::SourceFile;

/// Every diagnostic of every file as workflow commands, one line each.
pub fn github_annotations(files: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for file in files {
        for diagnostic in file.diagnostics {
            out.push_str(&annotation(file.source, diagnostic));
            out.push('\n');
        }
    }
    out
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
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
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
    }
}
