//! The mapping conditions read their fields from (docs/language.md section 5), without building it.
//!
//! The reference builds `merged = {**args, **context, **context["tags"]}` (tags only when
//! they are a mapping) for every rule with conditions, then derives `input_text`. Copying
//! two JSON objects per rule is wasteful, and the merge is only ever read one key at a
//! time, so [`Fields`] answers each lookup by probing the three sources in reverse
//! priority order: the first source that *has* the key decides, even when its value is
//! `null`, because a later `null` overwrites an earlier value in the reference's
//! `dict.update` and then reads as missing. Nothing is allocated.

use serde_json::Value;

use crate::eval::{JsonMap, Request};
use crate::python::json_truthy;

/// The keys `input_text` is derived from, in priority order (the reference's
/// `_INPUT_TEXT_KEYS`, shared with its audit extraction).
pub const INPUT_TEXT_SOURCES: [&str; 12] = [
    "command",
    "CommandLine",
    "sql",
    "query",
    "prompt",
    "content",
    "new_string",
    "text",
    "url",
    "file_path",
    "path",
    "notebook_path",
];

/// The derived key.
pub const INPUT_TEXT: &str = "input_text";

/// A view of one request as the merged condition mapping.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    args: Option<&'a JsonMap>,
    context: Option<&'a JsonMap>,
    /// `context["tags"]` when it is an object.
    tags: Option<&'a JsonMap>,
}

impl<'a> Fields<'a> {
    pub fn new(request: &Request<'a>) -> Fields<'a> {
        let tags = request
            .context
            .and_then(|c| c.get("tags"))
            .and_then(Value::as_object);
        Fields {
            args: request.args,
            context: request.context,
            tags,
        }
    }

    /// `merged.get(key)` after the `input_text` derivation; `None` for a missing key and
    /// for `null` (the reference tests `is None`).
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        if key == INPUT_TEXT {
            return self.input_text();
        }
        self.merged(key)
    }

    /// The merged value, before derivation.
    fn merged(&self, key: &str) -> Option<&'a Value> {
        [self.tags, self.context, self.args]
            .into_iter()
            .flatten()
            .find_map(|source| source.get(key))
            .filter(|value| !value.is_null())
    }

    /// The first truthy source key, else a truthy `input_payload`, else whatever
    /// `input_text` already holds (a falsy `input_text` stays as it is).
    fn input_text(&self) -> Option<&'a Value> {
        INPUT_TEXT_SOURCES
            .iter()
            .chain(&["input_payload"])
            .filter_map(|key| self.merged(key))
            .find(|value| json_truthy(value))
            .or_else(|| self.merged(INPUT_TEXT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> JsonMap {
        match value {
            Value::Object(map) => map,
            _ => JsonMap::new(),
        }
    }

    fn lookup(context: Value, args: Value, key: &str) -> Option<Value> {
        let (context, args) = (object(context), object(args));
        let request = Request {
            tool: "t",
            method: "*",
            context: Some(&context),
            args: Some(&args),
        };
        Fields::new(&request).get(key).cloned()
    }

    #[test]
    fn later_sources_win_and_null_masks() {
        assert_eq!(
            lookup(json!({"k": "c"}), json!({"k": "a"}), "k"),
            Some(json!("c"))
        );
        assert_eq!(
            lookup(json!({"k": "c", "tags": {"k": "t"}}), json!({}), "k"),
            Some(json!("t"))
        );
        assert_eq!(lookup(json!({"k": null}), json!({"k": "a"}), "k"), None);
        assert_eq!(
            lookup(json!({"k": "c", "tags": {"k": null}}), json!({}), "k"),
            None
        );
        assert_eq!(
            lookup(json!({"k": "c", "tags": ["k"]}), json!({}), "k"),
            Some(json!("c"))
        );
        assert_eq!(lookup(json!({}), json!({"tags": {"k": "a"}}), "k"), None);
        assert_eq!(lookup(json!({"tags": {"K": "a"}}), json!({}), "k"), None);
    }

    #[test]
    fn input_text_is_derived() {
        let derived = |args: Value| lookup(json!({}), args, INPUT_TEXT);
        assert_eq!(
            derived(json!({"query": "q", "prompt": "p"})),
            Some(json!("q"))
        );
        assert_eq!(
            derived(json!({"query": "", "prompt": "p"})),
            Some(json!("p"))
        );
        assert_eq!(
            derived(json!({"query": 0, "prompt": "p"})),
            Some(json!("p"))
        );
        assert_eq!(derived(json!({"query": ["x"]})), Some(json!(["x"])));
        assert_eq!(
            derived(json!({"input_payload": "x", "input_text": "y"})),
            Some(json!("x"))
        );
        assert_eq!(
            derived(json!({"input_payload": "", "input_text": "y"})),
            Some(json!("y"))
        );
        assert_eq!(derived(json!({"input_text": ""})), Some(json!("")));
        assert_eq!(
            derived(json!({"query": "ls", "input_text": "rm"})),
            Some(json!("ls"))
        );
        assert_eq!(derived(json!({})), None);
        // Context beats args for a source key, as in the merged mapping.
        assert_eq!(
            lookup(json!({"prompt": "c"}), json!({"query": "a"}), INPUT_TEXT),
            Some(json!("a"))
        );
        assert_eq!(
            lookup(json!({"query": "c"}), json!({"query": "a"}), INPUT_TEXT),
            Some(json!("c"))
        );
    }

    #[test]
    fn truthiness_is_python() {
        for falsy in [
            json!(null),
            json!(false),
            json!(0),
            json!(0.0),
            json!(""),
            json!([]),
            json!({}),
        ] {
            assert!(!json_truthy(&falsy), "{falsy}");
        }
        for truthy in [
            json!(true),
            json!(-1),
            json!(0.5),
            json!(" "),
            json!([0]),
            json!({"a": 0}),
        ] {
            assert!(json_truthy(&truthy), "{truthy}");
        }
    }
}
