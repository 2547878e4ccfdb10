"""HTML views of the accountability app, one module per screen group
(measures, inquiries, archive, statistics, notices); what they share is in common.py."""
