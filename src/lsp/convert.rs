//! The `ide` layer's results as protocol values. Every position goes through
//! [`Positions`]; nothing else here counts columns.

use lsp_types as lsp;
use lsp_types::Url;

use super::position::Positions;
use crate::diagnostics::render::plain_text;
use crate::diagnostics::{Diagnostic, Level};
use crate::ide;
use crate::source::Span;

pub fn diagnostic(positions: &Positions<'_>, uri: &Url, d: &Diagnostic) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), positions.range(r.span)),
            message: r.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: positions.range(d.span),
        severity: Some(match d.level {
            Level::Error => lsp::DiagnosticSeverity::ERROR,
            Level::Warning => lsp::DiagnosticSeverity::WARNING,
            Level::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.code.code.to_owned())),
        code_description: None,
        source: Some(format!("guardc {}", d.code.name)),
        message: plain_text(d),
        related_information: (!related.is_empty()).then_some(related),
        tags: ide::is_unnecessary(d).then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

pub fn diagnostics(
    positions: &Positions<'_>,
    uri: &Url,
    analysis: &ide::Analysis,
) -> Vec<lsp::Diagnostic> {
    analysis
        .diagnostics
        .iter()
        .map(|d| diagnostic(positions, uri, d))
        .collect()
}

pub fn hover(positions: &Positions<'_>, hover: ide::Hover) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(positions.range(hover.span)),
    }
}

/// A Markdown link target for a span of the document (`file:///p.yaml#L5`), which
/// editors open at that line.
pub fn link(positions: &Positions<'_>, uri: &Url, span: Span) -> String {
    let line = positions.position(span.start).line + 1;
    format!("{uri}#L{line}")
}

pub fn inlay_hint(positions: &Positions<'_>, hint: ide::InlayHint) -> lsp::InlayHint {
    lsp::InlayHint {
        position: positions.position(hint.offset),
        label: lsp::InlayHintLabel::String(hint.label),
        kind: None,
        text_edits: None,
        tooltip: None,
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

pub fn completion(positions: &Positions<'_>, item: ide::Completion) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: item.label,
        kind: Some(match item.kind {
            ide::CompletionKind::Key => lsp::CompletionItemKind::PROPERTY,
            ide::CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
            ide::CompletionKind::Tool => lsp::CompletionItemKind::VALUE,
        }),
        detail: Some(item.detail),
        documentation: item.documentation.map(|doc| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: doc,
            })
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: positions.range(item.replace),
            new_text: item.insert,
        })),
        ..lsp::CompletionItem::default()
    }
}

pub fn text_edits(positions: &Positions<'_>, edits: &[ide::TextEdit]) -> Vec<lsp::TextEdit> {
    edits
        .iter()
        .map(|e| lsp::TextEdit {
            range: positions.range(e.span),
            new_text: e.new_text.clone(),
        })
        .collect()
}

pub fn code_action(
    positions: &Positions<'_>,
    uri: &Url,
    analysis: &ide::Analysis,
    action: ide::CodeAction,
) -> lsp::CodeActionOrCommand {
    let fixes = analysis
        .diagnostics
        .get(action.fixes)
        .map(|d| vec![diagnostic(positions, uri, d)]);
    let changes = [(uri.clone(), text_edits(positions, &action.edits))]
        .into_iter()
        .collect();
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: action.title,
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: fixes,
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..lsp::WorkspaceEdit::default()
        }),
        is_preferred: action.preferred.then_some(true),
        ..lsp::CodeAction::default()
    })
}

#[expect(
    deprecated,
    reason = "DocumentSymbol's `deprecated` field must still be written"
)]
pub fn symbol(positions: &Positions<'_>, symbol: ide::Symbol) -> lsp::DocumentSymbol {
    let children: Vec<lsp::DocumentSymbol> = symbol
        .children
        .into_iter()
        .map(|child| self::symbol(positions, child))
        .collect();
    lsp::DocumentSymbol {
        name: symbol.name,
        detail: (!symbol.detail.is_empty()).then_some(symbol.detail),
        kind: if symbol.is_rule {
            lsp::SymbolKind::OBJECT
        } else {
            lsp::SymbolKind::KEY
        },
        tags: None,
        deprecated: None,
        range: positions.range(symbol.span),
        selection_range: positions.range(symbol.selection),
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn code_lens(positions: &Positions<'_>, uri: &Url, lens: ide::CodeLens) -> lsp::CodeLens {
    lsp::CodeLens {
        range: positions.range(lens.span),
        command: Some(lsp::Command {
            title: lens.title,
            command: lens.command.to_owned(),
            arguments: Some(vec![serde_json::Value::String(uri.to_string())]),
        }),
        data: None,
    }
}
