"""Django's PostgreSQL backend, with a health check that costs no round trip when it can.

``CONN_HEALTH_CHECKS`` makes Django run ``SELECT 1`` before the first query of every request
on a kept connection, so that a connection the database server closed (a restart, a fault) is
replaced instead of failing the request. On a public read, which is one query, that doubled
the round trips to the server. A server that closes a connection tells the client's socket
(its backend sends a FATAL message and closes; a crashed one's socket is closed by the kernel):
an idle connection whose socket has nothing to read is as usable as ``SELECT 1`` would say. So
the socket is polled first, without waiting, and ``SELECT 1`` runs only when something arrived.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._socket_is_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _socket_is_quiet(self) -> bool:
        """Nothing to read on the idle connection's socket (no message, no end of file)."""
        try:
            if self.connection.closed or getattr(self.connection, "broken", False):
                return False
            poll = select.poll()
            poll.register(self.connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poll.poll(0)
        except (OSError, ValueError, AttributeError, base.Database.Error):
            return False
