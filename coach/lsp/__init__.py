"""The language server (`okrcoach lsp`): the review's findings, the rules' docs and the rule-path fixes in
any editor with an LSP client. `check` reads and reviews an open draft, `features` turns that into
diagnostics, hovers and code actions, `suppress` writes an inline suppression in the draft's format, and
`server` is the pygls server that ties them to the protocol. Only this package imports pygls/lsprotocol.
"""
