"""A small SMTP server on 127.0.0.1 for the outbox's crash proofs: it
delivers (answers 250 to) every message but can hold one message's DATA
without an answer, so that a worker can be killed in the middle of a send.
A message whose session ends before the answer is not delivered, as with a
real mail server."""

import socket
import threading
import time


class StallingSmtpServer:
    """Holds the first message that contains `stall_on` (none when empty)."""

    def __init__(self, *, stall_on: bytes = b""):
        self.stall_on = stall_on
        self.delivered: list[bytes] = []
        self.stalled = threading.Event()
        self._stalls_left = 1
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self.port = self._sock.getsockname()[1]
        self._running = True
        threading.Thread(target=self._serve, daemon=True).start()

    def stop(self) -> None:
        self._running = False
        self._sock.close()

    def _serve(self) -> None:
        while self._running:
            try:
                connection, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(
                target=self._session, args=(connection,), daemon=True
            ).start()

    def _session(self, connection: socket.socket) -> None:
        stream = connection.makefile("rb")

        def reply(line: str) -> None:
            connection.sendall(line.encode() + b"\r\n")

        try:
            reply("220 test.local ESMTP")
            while True:
                line = stream.readline()
                if not line:
                    return
                command = line.strip().upper()
                if command.startswith((b"EHLO", b"HELO")):
                    reply("250 test.local")
                elif command.startswith((b"MAIL", b"RCPT", b"RSET", b"NOOP")):
                    reply("250 OK")
                elif command == b"DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    message = b""
                    while not message.endswith(b"\r\n.\r\n"):
                        chunk = stream.readline()
                        if not chunk:
                            return  # the sender died: nothing delivered
                        message += chunk
                    with self._lock:
                        stall = (
                            bool(self.stall_on)
                            and self.stall_on in message
                            and self._stalls_left > 0
                        )
                        self._stalls_left -= stall
                    if stall:
                        self.stalled.set()
                        # Hold the answer until the sender goes away.
                        while stream.readline():
                            pass
                        return
                    with self._lock:
                        self.delivered.append(message)
                    reply("250 OK queued")
                elif command == b"QUIT":
                    reply("221 Bye")
                    return
                else:
                    reply("502 Not implemented")
        except OSError:
            return
        finally:
            connection.close()

    def wait_delivered(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.delivered) >= count:
                return True
            time.sleep(0.1)
        return False
