//! Which part of a long source line a snippet shows.
//!
//! Machine-written policies are often one line (`json.dump` writes no newlines), and a
//! snippet that prints the whole line for every label of every finding prints the
//! document once per label: a 65 KB line with 5,000 findings was 650 MB of output, and
//! columns past 65,535 overflowed the terminal renderer's width arithmetic. Like rustc,
//! a line longer than the budget is shown as a window around what the labels point at,
//! with `...` where text was left out on either side. Widths count characters as they
//! are displayed, escaped control characters included (`<U+001B>` is eight), so the
//! window and the underline under it agree. Every walk here starts at a label and stops
//! after the budget, so the cost of a window does not depend on the line's length.

use std::ops::Range;

use crate::diagnostics::escape::escaped_chars;

/// Written where a window leaves text out.
pub const ELLIPSIS: &str = "...";

/// The byte range of the line's text to show, within `line` (the line without its line
/// break). `parts` are the byte ranges of the labels on this line, the one to keep in
/// view first; `budget` is the most characters to show.
pub fn choose_window(
    text: &str,
    line: Range<usize>,
    parts: &[Range<usize>],
    budget: usize,
) -> Range<usize> {
    let budget = budget.max(ELLIPSIS.len() * 4);
    let (whole_end, whole_width) = forward(text, line.start, line.end, budget + 1);
    if whole_end == line.end && whole_width <= budget {
        return line;
    }
    let Some(first) = parts.first() else {
        let (end, _) = forward(text, line.start, line.end, budget);
        return line.start..end;
    };
    // Keep every label in view when they fit in three quarters of the budget (the rest
    // is context on both sides); otherwise the first, cut to the budget if it is longer.
    let union = parts.iter().fold(first.clone(), |acc, part| {
        acc.start.min(part.start)..acc.end.max(part.end)
    });
    let room = budget - budget / 4;
    let (union_end, union_width) = forward(text, union.start, union.end, room + 1);
    let mut focus = if union_end == union.end && union_width <= room {
        union
    } else {
        first.clone()
    };
    let (focus_end, focus_width) = forward(text, focus.start, focus.end, room);
    focus.end = focus_end;
    let spare = budget.saturating_sub(focus_width);
    let (mut start, left) = backward(text, focus.start, line.start, spare / 2);
    let (end, right) = forward(text, focus.end, line.end, spare - left);
    if left + right < spare {
        start = backward(text, start, line.start, spare - left - right).0;
    }
    start..end
}

/// From `from`, the position after at most `max` displayed characters, not past
/// `limit`, and how many characters that is.
pub fn forward(text: &str, from: usize, limit: usize, max: usize) -> (usize, usize) {
    let mut at = from;
    let mut used = 0;
    for c in text.get(from..limit).unwrap_or("").chars() {
        let width = escaped_chars(c);
        if used + width > max {
            break;
        }
        used += width;
        at += c.len_utf8();
    }
    (at, used)
}

/// From `from`, the position at most `max` displayed characters back, not before
/// `limit`, and how many characters that is.
fn backward(text: &str, from: usize, limit: usize, max: usize) -> (usize, usize) {
    let mut at = from;
    let mut used = 0;
    for c in text.get(limit..from).unwrap_or("").chars().rev() {
        let width = escaped_chars(c);
        if used + width > max {
            break;
        }
        used += width;
        at -= c.len_utf8();
    }
    (at, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One label part (an array literal of one range reads like a range of arrays).
    fn single(range: Range<usize>) -> Vec<Range<usize>> {
        Vec::from([range])
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let text = "  - deny: 'Bash:sudo *'";
        assert_eq!(
            choose_window(text, 0..text.len(), &single(4..23), 40),
            0..text.len()
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_first_part() {
        let text = "x".repeat(10_000);
        let window = choose_window(&text, 0..10_000, &single(5_000..5_010), 100);
        assert_eq!(window.end - window.start, 100);
        assert!(window.start < 5_000 && window.end > 5_010, "{window:?}");
        assert_eq!(5_000 - window.start, window.end - 5_010);
        // Near an end, the spare room goes to the other side.
        assert_eq!(choose_window(&text, 0..10_000, &single(3..5), 100), 0..100);
        assert_eq!(
            choose_window(&text, 0..10_000, &single(9_998..10_000), 100),
            9_900..10_000
        );
    }

    #[test]
    fn labels_that_fit_together_stay_in_view() {
        let text = "y".repeat(1_000);
        let window = choose_window(&text, 0..1_000, &[500..510, 450..460], 100);
        assert!(window.start <= 450 && window.end >= 510, "{window:?}");
        // Too far apart: the first part is kept.
        let window = choose_window(&text, 0..1_000, &[500..510, 10..20], 100);
        assert!(
            window.start <= 500 && window.end >= 510 && window.start > 20,
            "{window:?}"
        );
    }

    #[test]
    fn a_part_longer_than_the_budget_is_cut() {
        let text = "z".repeat(1_000);
        let window = choose_window(&text, 0..1_000, &single(100..900), 100);
        assert_eq!(window.end - window.start, 100);
        assert!(window.start < 100 && window.start >= 50, "{window:?}");
    }

    #[test]
    fn escapes_count_in_the_width() {
        let text = "\u{1b}".repeat(100);
        let window = choose_window(&text, 0..100, &single(50..51), 80);
        assert_eq!(window.end - window.start, 10);
        assert_eq!(forward(&text, 0, 100, 17), (2, 16));
    }
}
