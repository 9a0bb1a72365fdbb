-- Headless Neovim as an LSP client of `spslint lsp`: opens the file given as SPSLINT_FILE, waits
-- for its diagnostics and prints them, one per line: `CODE line:col message-first-line`
-- (0-based line and column, as Neovim holds them). Needs Neovim 0.7 or newer (start_client and
-- buf_attach_client; 0.8's vim.lsp.start does both).
-- usage: SPSLINT=path/to/spslint SPSLINT_FILE=file.json \
--          nvim --headless -u NONE -c 'luafile tests/editors/nvim-lsp.lua'
local bin = os.getenv("SPSLINT") or "spslint"
local file = assert(os.getenv("SPSLINT_FILE"), "SPSLINT_FILE is not set")
local root = os.getenv("SPSLINT_ROOT") or vim.fn.getcwd()

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = "spslint",
  cmd = { bin, "lsp" },
  root_dir = root,
})
assert(client, "the server did not start")
vim.lsp.buf_attach_client(buf, client)

local done = vim.wait(10000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
if not done then
  io.stdout:write("NO DIAGNOSTICS\n")
  vim.cmd("cquit 1")
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local first = vim.split(d.message, "\n")[1]
  io.stdout:write(string.format("%s %d:%d %s\n", d.code or "?", d.lnum, d.col, first))
end
vim.lsp.stop_client(client)
vim.cmd("qall!")
