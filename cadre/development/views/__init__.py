"""Development pages (function views), one module per area."""
