"""HTML views of the development app, one module per screen group (training, secondment,
rotation); what they share is in common.py."""
