"""HTML views of the supervision app for staff, one module per screen group: handling (inbox,
reports, clues, cases, inspections) and links (a report or clue linked to its cadre). The
anonymous pages are public_views.py."""
