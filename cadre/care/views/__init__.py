"""HTML views of the care app, one module per screen group (talks, support: visits and
difficulties, incentives: exemplars, rank eligibility, exchange meetings); what they share is
in common.py."""
