-- guardc for Neovim 0.11+: the built-in LSP client runs `guardc lsp` on policy files.
-- Load it from your init.lua: `dofile("/path/to/guardc/editors/neovim/guardc.lua")`,
-- or copy it into your config.

vim.lsp.config("guardc", {
  cmd = { vim.g.guardc_path or "guardc", "lsp" },
  filetypes = { "yaml", "json" },
  -- Policies are files named controlzero.*; other YAML files stay untouched.
  root_dir = function(bufnr, on_dir)
    local name = vim.fs.basename(vim.api.nvim_buf_get_name(bufnr))
    if name:match("^controlzero%.ya?ml$") or name:match("^controlzero%.json$") or vim.g.guardc_all_yaml then
      on_dir(vim.fs.dirname(vim.api.nvim_buf_get_name(bufnr)))
    end
  end,
  init_options = { decideCallLens = true },
})
vim.lsp.enable("guardc")

-- "Decide a call…" (the code lens on `rules:`, or :GuardcDecide Bash:sudo ls): ask the
-- server and show the trace.
local function decide(call, bufnr)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "guardc" })[1]
  if not client then
    return
  end
  local uri = vim.uri_from_bufnr(bufnr)
  client:request("workspace/executeCommand", { command = "guardc.decide", arguments = { uri, call } }, function(err, result)
    if err then
      vim.notify(err.message, vim.log.levels.WARN)
    else
      vim.notify(result, vim.log.levels.INFO)
    end
  end, bufnr)
end

vim.lsp.commands["guardc.decideCall"] = function(_, ctx)
  vim.ui.input({ prompt = "Call to decide (TOOL:METHOD): " }, function(call)
    if call and call ~= "" then
      decide(call, ctx.bufnr)
    end
  end)
end

vim.api.nvim_create_user_command("GuardcDecide", function(opts)
  decide(opts.args, vim.api.nvim_get_current_buf())
end, { nargs = "+", desc = "Decide a call against this policy (guardc)" })

vim.api.nvim_create_autocmd("LspAttach", {
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if client and client.name == "guardc" then
      vim.lsp.inlay_hint.enable(true, { bufnr = args.buf })
      vim.lsp.codelens.refresh({ bufnr = args.buf })
    end
  end,
})
