"""Services: one module per capability; each operation validates, checks permission, loads
through the unit of work, applies the domain rule and the hooks, and commits."""
