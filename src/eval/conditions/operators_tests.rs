//! One test per operator, with the reference's answers (the cases mirror
//! `fixtures/conformance/decisions/conditions.json`, which tests/conditions.rs runs in
//! full).

use serde_json::{Value, json};

use super::*;

fn s(text: &str) -> PyValue {
    PyValue::Str(text.to_owned())
}

fn list(items: Vec<PyValue>) -> PyValue {
    PyValue::List(items)
}

/// The field values for which `op value` (case-insensitive when `ci`) holds, out of
/// `candidates` (`None` is a missing field).
fn check(op: Operator, operand: Option<PyValue>, ci: bool, cases: &[(Option<Value>, bool)]) {
    let envelope = Envelope {
        op,
        operand: operand.as_ref(),
        case_insensitive: ci,
        regex: None,
    };
    for (value, expected) in cases {
        assert_eq!(
            envelope.holds(value.as_ref()) == super::super::ConditionsOutcome::Hold,
            *expected,
            "{op:?} {operand:?} (ci={ci}) on {value:?}"
        );
    }
}

fn yes(v: Value) -> (Option<Value>, bool) {
    (Some(v), true)
}

fn no(v: Value) -> (Option<Value>, bool) {
    (Some(v), false)
}

const MISSING: (Option<Value>, bool) = (None, false);

#[test]
fn equals_compares_python_str() {
    let cases = [
        yes(json!("abc")),
        no(json!("ABC")),
        no(json!("a*")),
        MISSING,
    ];
    check(Operator::Equals, Some(s("abc")), false, &cases);
    check(
        Operator::Equals,
        Some(PyValue::Int(5)),
        false,
        &[yes(json!(5)), yes(json!("5")), no(json!(5.0))],
    );
    check(
        Operator::Equals,
        Some(PyValue::Bool(true)),
        false,
        &[yes(json!(true)), no(json!("true"))],
    );
    check(
        Operator::Equals,
        None,
        false,
        &[yes(json!("None")), no(json!(""))],
    );
    check(
        Operator::Equals,
        Some(s("STRASSE")),
        true,
        &[yes(json!("straße"))],
    );
    check(
        Operator::Equals,
        Some(s("ΣΑΣ")),
        true,
        &[yes(json!("σας")), yes(json!("σασ"))],
    );
    check(
        Operator::Equals,
        Some(s("['a']")),
        false,
        &[yes(json!(["a"]))],
    );
}

#[test]
fn contains_is_a_substring_test() {
    check(
        Operator::Contains,
        Some(s("b")),
        false,
        &[yes(json!("abc")), no(json!("ABC")), no(json!(5))],
    );
    check(
        Operator::Contains,
        Some(s("")),
        false,
        &[yes(json!(5)), yes(json!("")), MISSING],
    );
    check(
        Operator::Contains,
        Some(PyValue::Int(1)),
        false,
        &[yes(json!(10)), no(json!(true))],
    );
    check(Operator::Contains, Some(s("B")), true, &[yes(json!("abc"))]);
    check(Operator::Contains, None, false, &[no(json!("x"))]);
}

#[test]
fn glob_is_fnmatchcase() {
    check(
        Operator::Glob,
        Some(s("a*")),
        false,
        &[yes(json!("abc")), no(json!("ABC")), no(json!(5))],
    );
    check(
        Operator::Glob,
        Some(s("[!a]*")),
        false,
        &[yes(json!(5)), yes(json!(true)), no(json!(""))],
    );
    check(
        Operator::Glob,
        Some(s("A*")),
        true,
        &[yes(json!("abc")), no(json!("bA"))],
    );
}

#[test]
fn matches_is_re_search() {
    check(
        Operator::Matches,
        Some(s("[0-9]+")),
        false,
        &[yes(json!(5)), no(json!("٣")), no(json!(true))],
    );
    check(Operator::Matches, Some(s("\\d")), false, &[yes(json!("٣"))]);
    check(Operator::Matches, Some(s("(")), false, &[no(json!("("))]);
    check(Operator::Matches, Some(s("^a")), true, &[yes(json!("ABC"))]);
}

#[test]
fn comparisons_are_numeric() {
    let gt10 = [
        no(json!(10)),
        yes(json!(10.5)),
        yes(json!(" 11 ")),
        yes(json!("+11")),
        yes(json!("11.")),
        no(json!("1_0")),
        yes(json!("١١")),
        no(json!("0x10")),
        no(json!(true)),
        no(json!("nan")),
        yes(json!("inf")),
        yes(json!("Infinity")),
        no(json!("-inf")),
        MISSING,
    ];
    check(Operator::Gt, Some(PyValue::Int(10)), false, &gt10);
    check(
        Operator::Gt,
        Some(PyValue::Bool(true)),
        false,
        &[no(json!(5))],
    );
    check(Operator::Gt, Some(s("abc")), false, &[no(json!(5))]);
    check(Operator::Gt, None, false, &[no(json!(5))]);
    check(
        Operator::Gt,
        Some(s("-inf")),
        false,
        &[yes(json!(-1e300)), no(json!("abc"))],
    );
    check(
        Operator::Lt,
        Some(s("1e3")),
        false,
        &[yes(json!(999)), no(json!(1000))],
    );
    check(
        Operator::Gte,
        Some(s(" 10 ")),
        false,
        &[yes(json!(10)), no(json!(9))],
    );
    check(
        Operator::Lte,
        Some(s("nan")),
        false,
        &[no(json!(1)), no(json!("nan"))],
    );
    check(
        Operator::Lte,
        Some(PyValue::Int(10)),
        false,
        &[yes(json!("10")), yes(json!(9.99))],
    );
}

#[test]
fn membership_splits_and_renders() {
    let ab = [
        yes(json!("a")),
        no(json!(" a")),
        no(json!("A")),
        no(json!("a,b")),
        MISSING,
    ];
    check(Operator::In, Some(list(vec![s("a"), s("b")])), false, &ab);
    check(
        Operator::In,
        Some(s("a, b ,")),
        false,
        &[yes(json!("b")), no(json!(""))],
    );
    check(Operator::In, Some(s(",,")), false, &[no(json!(""))]);
    check(
        Operator::In,
        Some(list(vec![PyValue::None, s("a")])),
        false,
        &[yes(json!("a")), no(json!("None"))],
    );
    check(
        Operator::In,
        Some(list(vec![PyValue::Int(1)])),
        false,
        &[yes(json!(1)), no(json!(true))],
    );
    check(
        Operator::In,
        Some(list(vec![s("True")])),
        false,
        &[yes(json!(true))],
    );
    check(
        Operator::In,
        Some(PyValue::Int(5)),
        false,
        &[yes(json!("5")), no(json!(6))],
    );
    check(
        Operator::In,
        Some(PyValue::Dict(vec![(s("a"), PyValue::Int(1))])),
        false,
        &[yes(json!("{'a': 1}"))],
    );
    check(
        Operator::In,
        Some(list(vec![s("A"), s("b")])),
        true,
        &[yes(json!("a")), yes(json!("B"))],
    );
    check(
        Operator::NotIn,
        Some(list(vec![s("a"), s("b")])),
        false,
        &[no(json!("a")), yes(json!("c")), MISSING],
    );
    // No items fails both operators.
    check(
        Operator::NotIn,
        Some(list(vec![])),
        false,
        &[no(json!("a"))],
    );
    check(Operator::NotIn, Some(s("")), false, &[no(json!("a"))]);
    check(Operator::NotIn, None, false, &[no(json!("a"))]);
}

#[test]
fn ranges_are_inclusive_and_fail_closed_when_malformed() {
    let one_ten = [
        yes(json!(1)),
        yes(json!(10)),
        no(json!(11)),
        yes(json!("1e1")),
        no(json!("09:30")),
        no(json!(true)),
        MISSING,
    ];
    check(
        Operator::InRange,
        Some(list(vec![PyValue::Int(1), PyValue::Int(10)])),
        false,
        &one_ten,
    );
    check(
        Operator::InRange,
        Some(s("1-10")),
        false,
        &[yes(json!(5)), no(json!(0))],
    );
    check(
        Operator::InRange,
        Some(s("09:00-17:00")),
        false,
        &[yes(json!("12:00")), yes(json!(1)), no(json!("17:01"))],
    );
    check(
        Operator::InRange,
        Some(s("a-c")),
        false,
        &[yes(json!("bz")), no(json!("ca"))],
    );
    check(Operator::InRange, Some(s("-5-5")), false, &[no(json!(0))]);
    check(
        Operator::InRange,
        Some(s("2024-01-01-2024-12-31")),
        false,
        &[no(json!("2024-06-15"))],
    );
    check(
        Operator::InRange,
        Some(list(vec![s("a"), PyValue::Int(5)])),
        false,
        &[no(json!("b")), no(json!(3))],
    );
    check(
        Operator::OutsideRange,
        Some(s("1-10")),
        false,
        &[yes(json!(0)), no(json!(5)), yes(json!("b")), MISSING],
    );
    check(
        Operator::OutsideRange,
        Some(list(vec![PyValue::Int(10), PyValue::Int(1)])),
        false,
        &[yes(json!(5))],
    );
    check(Operator::OutsideRange, Some(s("5")), false, &[no(json!(6))]);
    check(Operator::OutsideRange, None, false, &[no(json!(6))]);
}

#[test]
fn presence_ignores_the_operand() {
    let present = [
        yes(json!("")),
        yes(json!(0)),
        yes(json!(false)),
        yes(json!([])),
        MISSING,
    ];
    check(Operator::Exists, Some(s("ignored")), false, &present);
    check(
        Operator::NotExists,
        None,
        false,
        &[no(json!("")), (None, true)],
    );
}
