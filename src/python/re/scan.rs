//! Looking ahead in a Python pattern without parsing it: is the match complete after
//! this `$`? The translator needs the answer to write a non-multiline `$` (see
//! `translate::Translator::dollar`), and only a shallow scan is needed: group ends, other
//! branches (skipped to their group's end, stepping over escapes and classes), and, in
//! verbose mode, whitespace and comments.

/// Whether the rest of the pattern is only group ends and other branches, so that a
/// match is complete at the current position.
pub fn only_closers_follow(chars: &[char], mut pos: usize, verbose: bool) -> bool {
    loop {
        match chars.get(pos) {
            None => return true,
            Some(')') => pos += 1,
            Some('|') => pos = group_end(chars, pos + 1),
            Some(' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c') if verbose => pos += 1,
            Some('#') if verbose => {
                while chars.get(pos).is_some_and(|&c| c != '\n') {
                    pos += 1;
                }
            }
            Some(_) => return false,
        }
    }
}

/// The position of the `)` closing the group that contains `pos` (or the end).
fn group_end(chars: &[char], mut pos: usize) -> usize {
    let mut depth = 0usize;
    while let Some(&c) = chars.get(pos) {
        match c {
            '\\' => pos += 1,
            '[' => pos = class_end(chars, pos + 1),
            '(' => depth += 1,
            ')' if depth == 0 => return pos,
            ')' => depth -= 1,
            _ => {}
        }
        pos += 1;
    }
    pos
}

/// The position of the `]` closing a class whose text starts at `pos`.
fn class_end(chars: &[char], mut pos: usize) -> usize {
    if chars.get(pos) == Some(&'^') {
        pos += 1;
    }
    if chars.get(pos) == Some(&']') {
        pos += 1;
    }
    while let Some(&c) = chars.get(pos) {
        match c {
            '\\' => pos += 2,
            ']' => return pos,
            _ => pos += 1,
        }
    }
    pos
}
