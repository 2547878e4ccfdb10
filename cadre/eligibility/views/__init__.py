"""HTML views of the eligibility app, one module per screen group (unsuitability: 不适宜担任现职;
overrides: 破格 requests, approval and the report; consequences: the monthly consequence list
and the index page); what they share is in common.py."""
