"""HTML views of the targets app (thin: get the object through scope, call a service)."""
