"""Trainee-facing views: My learning and enrolment actions (learning.py), self
check-in (check_in.py)."""
