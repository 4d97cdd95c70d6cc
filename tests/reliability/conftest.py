"""Fixtures of the reliability proofs."""

import os

import pytest

from tests.conftest import skip_or_fail
from tests.reliability.processes import RedisServer

# A Redis of the test's own, which it may stop and start: the shared one must
# stay up for the rest of the suite. CI gives each pass its own port.
REDIS_PORT = int(os.environ.get("ACADEMY_OUTAGE_REDIS_PORT", "6390"))


@pytest.fixture
def own_redis():
    if not RedisServer.available():
        skip_or_fail("redis-server is not installed (Debian: apt-get install redis)")
    server = RedisServer(REDIS_PORT)
    try:
        server.start()
    except RuntimeError as error:
        skip_or_fail(str(error))
    yield server
    server.stop()
