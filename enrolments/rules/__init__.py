"""The rules that turn records into outcomes: how attendance is counted
(attendance.py) and, later, what completes a course (completion.py)."""
