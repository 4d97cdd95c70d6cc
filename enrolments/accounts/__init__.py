"""Trainee accounts: sign-up with e-mail confirmation, log-in by e-mail with
throttling, password reset and the trainee's profile.

- services.py: the writes (sign-up, confirmation, profile) and their e-mails
- tokens.py: the signed, expiring link in the confirmation e-mail
- throttling.py: limits on failed log-ins per account and per client address
- forms.py, views.py, urls.py: the pages under /account/
"""
