"""HTML views of the targets app, one module per screen group (task books, tracking, key
projects, inspections); what they share is in common.py."""
