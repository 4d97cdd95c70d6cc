"""Running calls at the same instant, each in a thread with its own database
connection: the race tests' one helper (last seat, resubmission, seat
offers)."""

import random
import threading
import time

from django.db import connection

# A thread stuck longer than this (a deadlock the database did not break)
# fails the test instead of hanging the suite.
TIMEOUT = 60


def together(calls: list, *, jitter_seconds: float = 0.0, seed: int = 0) -> list:
    """Release the calls together and return what each returned or raised.
    `jitter_seconds`: each call waits a random part of it after the start
    (the same delays in every run, from `seed`), so that either of two
    requests may reach a lock first."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    delays = random.Random(seed)

    def work(index, call, delay):
        try:
            barrier.wait(timeout=TIMEOUT)
            if delay:
                time.sleep(delay)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the result under test
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=work,
            args=(i, call, delays.uniform(0, jitter_seconds)),
            daemon=True,
        )
        for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    return results
