"""A network cable between the browser and the served demo that a journey can pull out.

``context.set_offline`` is the browser's own emulation: it sets ``navigator.onLine`` (which the offline pages
read to decide whether to queue) and fails the browser's requests. It is applied to each renderer as DevTools
attaches to it, and a page loaded while offline can run for a moment before it is: its first request may still
reach the server. A journey that claims "nothing reached the server while offline" pulls this cable as well, so
the claim holds for every request the phone makes, as it does for a phone whose connection is really gone.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit


class Cable:
    """A TCP relay on its own port in front of ``upstream`` (``http://host:port``); ``url`` is where to point
    the browser. Unplugged, it drops every open connection and closes each new one unanswered."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._plugged = True
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def unplug(self) -> None:
        with self._lock:
            self._plugged = False
            for sock in self._open:
                _close(sock)
            self._open.clear()

    def plug(self) -> None:
        with self._lock:
            self._plugged = True

    def close(self) -> None:
        self.unplug()
        _close(self._listener)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                plugged = self._plugged
            if not plugged:
                _close(client)
                continue
            try:
                server = socket.create_connection(self._upstream)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._open.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.discard(source)
                self._open.discard(target)
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
