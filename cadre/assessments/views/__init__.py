"""HTML views of the assessments app, one module per screen group: cycles (the staff pages of
a cycle and the cadre's own page), evaluation, survey, units (unit results). The anonymous
pages are public_views.py."""
