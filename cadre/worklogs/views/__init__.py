"""HTML views of the worklogs app (function-based, thin: scope, one service, render)."""
