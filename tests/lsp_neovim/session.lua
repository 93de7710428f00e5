-- A real editor session against `guardc lsp`, run by tests/lsp_neovim.rs as
-- `nvim --headless -n -u NONE -i NONE -l session.lua GUARDC POLICY`: Neovim's built-in
-- client opens the policy, waits for the findings, hovers, completes, applies the
-- "indent under rules[0]" fix, edits, sees the diagnostics change, and shuts down.
-- Each step prints a line; a failed step exits non-zero with the reason.
local guardc, policy = arg[1], arg[2]

local function fail(message)
  io.stderr:write("FAIL: " .. message .. "\n")
  os.exit(1)
end

local function say(text)
  io.stdout:write(text .. "\n")
end

local function rows(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, string.format("%d:%d %s %s", d.lnum + 1, d.col + 1, d.code or "", (d.message:gsub("\n.*", ""))))
  end
  table.sort(out)
  return out
end

local function has(list, needle)
  for _, item in ipairs(list) do
    if item:find(needle, 1, true) then
      return true
    end
  end
  return false
end

vim.lsp.config("guardc", {
  cmd = { guardc, "lsp" },
  filetypes = { "yaml" },
  root_dir = function(_, on_dir)
    on_dir(vim.fs.dirname(policy))
  end,
  init_options = { decideCallLens = true },
})
vim.lsp.enable("guardc")
vim.cmd.edit(vim.fn.fnameescape(policy))
vim.bo.filetype = "yaml"
local buf = vim.api.nvim_get_current_buf()

if not vim.wait(10000, function()
  return #vim.lsp.get_clients({ bufnr = buf, name = "guardc" }) > 0
end, 20) then
  fail("guardc did not attach")
end
local client = vim.lsp.get_clients({ bufnr = buf, name = "guardc" })[1]
say("attached: guardc, positions in " .. client.offset_encoding)

if not vim.wait(10000, function()
  return has(rows(buf), "`reason` is written at the top level")
end, 20) then
  fail("no diagnostics arrived: " .. vim.inspect(rows(buf)))
end
local before = rows(buf)
say("diagnostics:")
for _, row in ipairs(before) do
  say("  " .. row)
end
if not has(before, "`escalate_on_deny` is written at the top level") then
  fail("the misplaced escalate_on_deny is not reported")
end

local uri = vim.uri_from_bufnr(buf)
local hover = client:request_sync("textDocument/hover", {
  textDocument = { uri = uri },
  position = { line = 4, character = 14 },
}, 10000, buf)
local hover_text = hover and hover.result and hover.result.contents.value or ""
if not hover_text:find("Bash:sudo *", 1, true) then
  fail("hover: " .. vim.inspect(hover))
end
say("hover: " .. (hover_text:gsub("\n.*", "")))

local completion = client:request_sync("textDocument/completion", {
  textDocument = { uri = uri },
  position = { line = 7, character = 0 },
}, 10000, buf)
local labels = {}
for _, item in ipairs(completion and completion.result or {}) do
  table.insert(labels, item.label)
end
if not has(labels, "settings") then
  fail("completion: " .. vim.inspect(labels))
end
say("completion at the top level: " .. table.concat(labels, ", "))

local actions = client:request_sync("textDocument/codeAction", {
  textDocument = { uri = uri },
  range = { start = { line = 5, character = 0 }, ["end"] = { line = 5, character = 0 } },
  context = { diagnostics = {} },
}, 10000, buf)
local indent
for _, action in ipairs(actions and actions.result or {}) do
  say("code action: " .. action.title)
  if action.title:find("^Indent") then
    indent = indent or action
  end
end
if not indent then
  fail("no indent fix offered")
end
vim.lsp.util.apply_workspace_edit(indent.edit, client.offset_encoding)
say("applied: " .. indent.title)

if not vim.wait(10000, function()
  return not has(rows(buf), "`escalate_on_deny` is written at the top level") and #vim.diagnostic.get(buf) > 0
end, 20) then
  fail("diagnostics did not change after the fix: " .. vim.inspect(rows(buf)))
end
say("diagnostics after the fix:")
for _, row in ipairs(rows(buf)) do
  say("  " .. row)
end

-- Indent the reason by hand: the last misplaced key goes away too.
local reason = vim.api.nvim_buf_get_lines(buf, 6, 7, false)[1]
vim.api.nvim_buf_set_lines(buf, 6, 7, false, { "    " .. reason })
if not vim.wait(10000, function()
  return not has(rows(buf), "misplaced") and not has(rows(buf), "written at the top level")
end, 20) then
  fail("diagnostics did not change after the edit: " .. vim.inspect(rows(buf)))
end
say("diagnostics after indenting the reason:")
for _, row in ipairs(rows(buf)) do
  say("  " .. row)
end

local hints = client:request_sync("textDocument/inlayHint", {
  textDocument = { uri = uri },
  range = { start = { line = 0, character = 0 }, ["end"] = { line = 8, character = 0 } },
}, 10000, buf)
for _, hint in ipairs(hints and hints.result or {}) do
  say(string.format("inlay hint line %d: %s", hint.position.line + 1, hint.label))
end

client:stop()
if not vim.wait(10000, function()
  return client:is_stopped()
end, 20) then
  fail("the server did not shut down")
end
say("shut down")
vim.cmd("qall!")
