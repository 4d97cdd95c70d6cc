"""The academy's one outbox: every e-mail it sends.

A feature that sends an e-mail renders it in the recipient's language and
calls `services.email_queue` inside the transaction of the change it reports:
the e-mail is a row (`OutboundEmail`) committed with that change or not at
all. One Celery task sends a row (`tasks.send_outbound_email`), claiming it
in a short transaction first so no row lock is held while the mail server
talks; one beat job (`tasks.sweep_outbound_emails`) queues again what the
broker lost, what a killed worker left half-sent and what waits for a retry.
Errors worth retrying (`services.is_transient`) are retried with backoff a
bounded number of times; every failure's reason is kept on the row and shown
to academy admins (Settings > E-mails). A `dedupe_key` makes "send this once"
a database fact. Features add a kind of e-mail, never a new mechanism.
"""
