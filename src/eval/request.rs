//! The request a runtime asks about: a tool call and its context.

/// A JSON object, as requests carry context and arguments.
pub type JsonMap = serde_json::Map<String, serde_json::Value>;

/// One tool call (docs/language.md section 4). Borrowed, so deciding a call copies nothing.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub tool: &'a str,
    /// `*` when the caller gives no method.
    pub method: &'a str,
    pub context: Option<&'a JsonMap>,
    pub args: Option<&'a JsonMap>,
}

impl<'a> Request<'a> {
    /// A call with no method, context or arguments (`guard("Bash:ls")`).
    pub fn tool(tool: &'a str) -> Self {
        Self {
            tool,
            method: "*",
            context: None,
            args: None,
        }
    }

    /// A context value, treating JSON `null` as absent, as the SDK does.
    pub fn context_value(&self, key: &str) -> Option<&'a serde_json::Value> {
        self.context
            .and_then(|c| c.get(key))
            .filter(|v| !v.is_null())
    }
}
