//! Property tests for `guardc::pattern`: the laws the examples in `grammar/` can only
//! sample. The reference matcher is checked against two independent oracles (the regex
//! built from `to_hir`, and a naive exponential matcher over the parsed items), so a
//! bug in the two-pointer algorithm or in the lowering cannot hide behind the other.

use guardc::pattern::{
    Glob, GlobItem, ToolPattern, canonicalize, fold_tool_segment, go_path_match, subject,
};
use proptest::prelude::*;
use regex_syntax::hir::{Hir, Look};

/// Fragments that exercise every construct and its corners, glued at random.
fn pattern_strategy() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "*", "**", "?", "[", "]", "!", "^", "-", "\\", "a", "b", "z", ":", "/", "\n", "é", "😀",
        "ß", "[a-c]", "[!a]", "[^a]", "[]a]", "[!]]", "[z-a]", "[!z-a]", "[a-]", "[--/]",
        "[z-a!b]", "[a-\\]", "[\\-a]", "[*]",
    ]);
    prop::collection::vec(fragment, 0..8).prop_map(|parts| parts.concat())
}

fn subject_strategy() -> impl Strategy<Value = String> {
    let alphabet = prop::sample::select(vec![
        'a', 'b', 'c', 'z', '-', '!', '^', ']', '[', '\\', ':', '/', '\n', '*', '?', 'é', '😀', 'ß',
    ]);
    prop::collection::vec(alphabet, 0..10).prop_map(|chars| chars.into_iter().collect())
}

/// Matches with the regex built from `to_hir`, anchored at both ends.
fn anchored_is_match(glob: &Glob, subject: &str) -> Result<bool, TestCaseError> {
    let hir = Hir::concat(vec![
        Hir::look(Look::Start),
        glob.to_hir(),
        Hir::look(Look::End),
    ]);
    let regex = regex_automata::meta::Builder::new()
        .build_from_hir(&hir)
        .map_err(|error| {
            TestCaseError::fail(format!("{:?} does not lower: {error}", glob.source()))
        })?;
    Ok(regex.is_match(subject))
}

/// Tries every split for every `*`: exponential, obviously correct, small inputs only.
fn naive_match(items: &[GlobItem], subject: &[char]) -> bool {
    let Some((item, rest)) = items.split_first() else {
        return subject.is_empty();
    };
    match item {
        GlobItem::Star => (0..=subject.len()).any(|skip| naive_match(rest, &subject[skip..])),
        GlobItem::Literal(text) => {
            let text: Vec<char> = text.chars().collect();
            subject.starts_with(&text) && naive_match(rest, &subject[text.len()..])
        }
        GlobItem::AnyChar => !subject.is_empty() && naive_match(rest, &subject[1..]),
        GlobItem::Class { negated, ranges } => subject.first().is_some_and(|&c| {
            ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
                && naive_match(rest, &subject[1..])
        }),
        GlobItem::Never => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn matcher_agrees_with_the_lowered_regex(pattern in pattern_strategy(), subject in subject_strategy()) {
        let glob = Glob::parse(&pattern);
        prop_assert_eq!(glob.matches(&subject), anchored_is_match(&glob, &subject)?);
    }

    #[test]
    fn matcher_agrees_with_the_naive_matcher(pattern in pattern_strategy(), subject in subject_strategy()) {
        let glob = Glob::parse(&pattern);
        let chars: Vec<char> = subject.chars().collect();
        prop_assert_eq!(glob.matches(&subject), naive_match(glob.items(), &chars));
    }

    #[test]
    fn small_alphabet_matches_agree(pattern in "[ab*?]{0,8}", subject in "[ab]{0,12}") {
        // A tiny alphabet makes matches common, so the positive side is well covered.
        let glob = Glob::parse(&pattern);
        let chars: Vec<char> = subject.chars().collect();
        let expected = naive_match(glob.items(), &chars);
        prop_assert_eq!(glob.matches(&subject), expected);
        prop_assert_eq!(anchored_is_match(&glob, &subject)?, expected);
    }

    #[test]
    fn parsing_is_total_and_spans_tile_the_source(pattern in any::<String>()) {
        let glob = Glob::parse(&pattern);
        prop_assert_eq!(glob.source(), pattern.as_str());
        let mut position = 0;
        for (span, _) in glob.spanned_items() {
            prop_assert_eq!(span.start, position);
            prop_assert!(span.end > span.start);
            position = span.end;
        }
        prop_assert_eq!(position, pattern.len());
    }

    #[test]
    fn text_without_wildcards_matches_only_itself(text in "[^*?\\[]{0,12}", other in "[^*?\\[]{0,12}") {
        let glob = Glob::parse(&text);
        prop_assert!(glob.is_literal());
        prop_assert_eq!(glob.literal_text(), Some(text.as_str()));
        prop_assert!(glob.matches(&text));
        prop_assert_eq!(glob.matches(&other), other == text);
    }

    #[test]
    fn star_runs_are_one_star(pattern in "[ab:/*?]{0,12}") {
        let mut compressed = pattern.clone();
        while compressed.contains("**") {
            compressed = compressed.replace("**", "*");
        }
        let (original, plain) = (Glob::parse(&pattern), Glob::parse(&compressed));
        prop_assert_eq!(original.items(), plain.items());
    }

    #[test]
    fn folding_is_idempotent_and_spares_the_method(text in any::<String>()) {
        let once = fold_tool_segment(&text).into_owned();
        let twice = fold_tool_segment(&once);
        prop_assert_eq!(twice.as_ref(), once.as_str());
        if let (Some(at), Some(folded_at)) = (text.find(':'), once.find(':')) {
            prop_assert_eq!(&text[at..], &once[folded_at..]);
        }
    }

    #[test]
    fn canonical_form_addresses_tool_and_method(pattern in any::<String>()) {
        let canonical = canonicalize(&pattern).into_owned();
        prop_assert!(canonical == "*" || canonical.contains(':'));
        let again = canonicalize(&canonical);
        prop_assert_eq!(again.as_ref(), canonical.as_str());
    }

    #[test]
    fn tool_patterns_written_in_any_case_match_alike(tool in "[a-zA-Z]{1,8}", method in "[a-zA-Z]{0,8}") {
        let lower = ToolPattern::new(&format!("{}:{method}", tool.to_lowercase()));
        let upper = ToolPattern::new(&format!("{}:{method}", tool.to_uppercase()));
        let folded = fold_tool_segment(&subject(&tool, &method)).into_owned();
        prop_assert!(lower.matches_subject(&folded));
        prop_assert!(upper.matches_subject(&folded));
    }

    #[test]
    fn go_matcher_is_total_and_literal_on_plain_text(pattern in any::<String>(), name in any::<String>()) {
        let _ = go_path_match(&pattern, &name);
        let plain: String = pattern.chars().filter(|c| !matches!(c, '*' | '?' | '[' | '\\')).collect();
        prop_assert_eq!(go_path_match(&plain, &name), Some(plain == name));
        prop_assert_eq!(go_path_match(&plain, &plain), Some(true));
    }
}
