"""OCR page progress from worker processes to the caller: the message and the parent's listener."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageProgress:
    """A file's OCR moving on, as a batch's ``page_progress`` callback is told of it.

    ``done`` of ``total`` pages to OCR are read; ``page`` is the 1-based page just read. When
    a file's OCR starts the callback is told ``done=0, page=0``; it is then told of every page,
    in order.
    """

    relpath: str
    done: int
    total: int
    page: int


PageProgressCallback = Callable[[PageProgress], None]


@dataclass(frozen=True)
class PageChannel:
    """Where a worker process sends its files' page progress: the parent's listener (see :class:`_PageRelay`)."""

    address: Any
    authkey: bytes


class _PageRelay:
    """The parent's end of the workers' page progress: a local listener whose messages reach a callback.

    Each worker file that OCRs connects once (authenticated with a random key) and sends
    ``(relpath, done, total, page)`` tuples; a thread per connection reads them and one thread
    calls the callback, in the order each file sent them, in the caller's context. Listening
    costs no process: files that are never OCR'd never connect.
    """

    def __init__(self, callback: PageProgressCallback) -> None:
        import contextvars
        import queue
        from multiprocessing.connection import Listener

        self.callback = callback
        self.context = contextvars.copy_context()
        authkey = os.urandom(32)
        self.listener = Listener(authkey=authkey)
        self.channel = PageChannel(self.listener.address, authkey)
        self.events: queue.SimpleQueue[tuple[str, int, int, int] | None] = queue.SimpleQueue()
        self.readers: list[threading.Thread] = []
        self.stopping = False
        self.acceptor = threading.Thread(target=self._accept, name="batch-pages-accept", daemon=True)
        self.dispatcher = threading.Thread(target=self._dispatch, name="batch-pages", daemon=True)
        self.acceptor.start()
        self.dispatcher.start()

    def _accept(self) -> None:
        # A worker sends its first message as soon as it is connected; close() sends None instead.
        while True:
            try:
                connection = self.listener.accept()
            except Exception:
                # A failed handshake, or no descriptor to spare: wait for the next worker. Workers are
                # never left waiting on a listener nobody accepts from, until close() says so.
                if self.stopping:
                    return
                time.sleep(0.01)
                continue
            try:
                first = connection.recv()
                if first is None:
                    connection.close()
                    return
                self._put(first)
                reader = threading.Thread(target=self._read, args=(connection,), name="batch-pages-read", daemon=True)
                reader.start()
                self.readers.append(reader)
            except Exception:  # the worker went away, or no thread to read it: its next send fails, and it stops
                connection.close()

    def _put(self, message: Any) -> None:
        try:
            relpath, done, total, page = message
            self.events.put((str(relpath), int(done), int(total), int(page)))
        except (TypeError, ValueError):
            pass  # not a progress message: ignored

    def _read(self, connection: Any) -> None:
        with contextlib.closing(connection):
            while True:
                try:
                    message = connection.recv()
                except Exception:
                    return  # the worker finished the file (EOF), or its connection broke
                self._put(message)

    def _dispatch(self) -> None:
        while (event := self.events.get()) is not None:
            with contextlib.suppress(Exception):
                self.context.run(self.callback, PageProgress(*event))

    def _wake(self) -> None:
        from multiprocessing.connection import Client

        with contextlib.suppress(Exception), Client(self.channel.address, authkey=self.channel.authkey) as connection:
            connection.send(None)

    def close(self, deliver: bool = True) -> None:
        """Stop listening; with ``deliver``, first pass on everything the finished files sent."""
        # The accepting thread takes every connection made before this call, then the wake-up.
        self.stopping = True
        threading.Thread(target=self._wake, name="batch-pages-wake", daemon=True).start()
        self.acceptor.join(timeout=10)
        if deliver:
            # Every file that connected has finished and closed its connection: its messages are all readable.
            deadline = time.monotonic() + 10
            for reader in list(self.readers):
                reader.join(timeout=max(0.0, deadline - time.monotonic()))
        self.events.put(None)
        if deliver:
            self.dispatcher.join(timeout=10)
        with contextlib.suppress(Exception):
            self.listener.close()
