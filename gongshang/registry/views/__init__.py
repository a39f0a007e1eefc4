"""Employer hall pages (hall.py, changes.py) and the staff confirmation queue (staff.py)."""
