"""The instructor's side of attendance, mounted under /teaching/.

- permissions.py: which runs a user may manage; every view looks up through it
- views.py: my runs, a run's attendance overview, the register, the check-in
  display with its rotating QR code, exports and the printable sign-in sheet
- forms.py: the register form (one radio group per trainee)
- exports.py: the trainees x meetings table, shared by the overview and the
  CSV/XLSX exports

The writes themselves are enrolments/services/attendance.py; how a rate is
counted is enrolments/rules/attendance.py.
"""
