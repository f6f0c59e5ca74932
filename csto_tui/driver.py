"""The terminal driver: a paste that arrives as keys is taken in as a paste.

A terminal without bracketed paste (or tmux's ``paste-buffer``, or a script) delivers pasted
text as ordinary key input. Textual's driver parses each character into a ``Key`` event
(about 7 microseconds) that then goes through the app, its bindings and the focused widget
(about 0.15 ms more): 220 KB pasted into the search box took over half a minute, and a paste on
the dashboard ran a binding per character (a ``q`` in the text quit). A bracketed paste
arrives as one ``events.Paste``. This driver makes an unbracketed burst arrive the same way.

What is a burst: the terminal's input is read as it comes, up to 4 KB at a time. Keys a person
types arrive one per read (a fast typist over SSH, a held key or ``tmux send-keys "/Kazakstan"
Enter`` bring a few: ``3jjj``). A read holding at least :data:`BURST_BYTES` bytes of text
cannot come from a keyboard: it is a paste; so is a read that comes within :data:`FOLLOW_S`
of one (the rest of a long paste; keys typed on after that are typing again). In a burst each
run of text (printable characters, and the line ends and tabs of the pasted text, as a
bracketed paste carries them) is framed as a bracketed paste before Textual's own parser reads
it, so it becomes one ``events.Paste`` at the cost of a bracketed paste; everything else (an
arrow key's escape sequence, a Ctrl key, the mouse, the terminal's replies) is left where it
was, in order. Any other read goes to Textual's parser untouched, exactly as before.

Nothing is framed inside the terminal's own bracketed paste, nor within :data:`ESCAPE_ZONE`
bytes after an ESC (where Textual's parser may still be reading an escape sequence), nor across
a UTF-8 character. How: Textual's input loop (``LinuxDriver.run_input_thread``) reads the file
descriptor ``fileno``; for as long as that loop runs, :class:`BurstDriver` gives it the read
end of a pipe, and a thread of its own reads the terminal and writes each read, framed or not,
into the pipe (every other use of ``fileno`` by the driver, the terminal's modes, happens
before the loop starts or after it has ended). The app (``CstoApp.get_driver_class``) uses this
driver where Textual would use its Linux/macOS one; any other (Windows, the headless one of
``App.run_test``, one named by ``TEXTUAL_DRIVER``) is left as it is.
"""

from __future__ import annotations

import os
import re
import selectors
import threading
import time
from typing import TYPE_CHECKING, Any

from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App

#: Bytes of text in one read from which the read is a paste, not typing (about a second of a
#: key held down, all in one read).
BURST_BYTES = 32
#: A read coming this soon (seconds) after a read holding a burst continues that burst.
FOLLOW_S = 0.1
#: Bytes after an ESC that are never framed: Textual's parser reads an escape sequence of up
#: to 32 characters after it before it gives up on it.
ESCAPE_ZONE = 32
PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"
ESC = 0x1B
#: Text: printable ASCII, the bytes of UTF-8 characters beyond ASCII, tab, line ends.
TEXT = re.compile(rb"[\t\n\r\x20-\x7e\x80-\xff]+")
READ_SIZE = 4096


def _utf8_start(data: bytes, start: int, end: int) -> int:
    """``start`` moved past continuation bytes (the rest of a character begun before it)."""
    while start < end and 0x80 <= data[start] < 0xC0:
        start += 1
    return start


def _utf8_end(data: bytes, start: int, end: int) -> int:
    """``end`` moved back before a character whose bytes go on after it."""
    for back in range(1, min(4, end - start + 1)):
        byte = data[end - back]
        if byte < 0x80:
            return end
        if byte >= 0xC0:  # the lead byte of the last character
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return end if back >= need else end - back
    return end


class Framer:
    """Reads of the terminal's input in, the same bytes out with each run of text in a burst
    framed as a bracketed paste (see the module). State carries across reads: an escape
    sequence or a bracketed paste may be split between two."""

    def __init__(self) -> None:
        #: inside the terminal's own bracketed paste
        self.in_paste = False
        #: bytes still to come of the zone after the last ESC
        self.zone = 0
        #: the bytes since the last ESC, up to the length of a paste marker
        self.sequence = b""
        #: when the last read holding a burst's worth of text came (None: none yet)
        self.burst_at: float | None = None

    def runs(self, data: bytes) -> list[tuple[int, int]]:
        """The runs of ``data`` that may be framed, advancing the state over all of it."""
        out: list[tuple[int, int]] = []
        i, n = 0, len(data)
        while i < n:
            byte = data[i]
            if byte == ESC:
                self.sequence, self.zone = b"\x1b", ESCAPE_ZONE
                i += 1
            elif self.zone:
                if len(self.sequence) < len(PASTE_START):
                    self.sequence += data[i:i + 1]
                    if self.sequence == PASTE_START:
                        self.in_paste = True
                    elif self.sequence == PASTE_END:
                        self.in_paste = False
                self.zone -= 1
                i += 1
            elif self.in_paste:
                found = data.find(b"\x1b", i)
                i = n if found < 0 else found
            elif (match := TEXT.match(data, i)) is not None:
                start, end = match.start(), match.end()
                first = _utf8_start(data, start, end)
                last = _utf8_end(data, first, end)
                if first < last:
                    out.append((first, last))
                i = end
            else:
                i += 1
        return out

    def frame(self, data: bytes, now: float) -> bytes:
        """``data`` (one read, at time ``now``) as it goes on to Textual's parser."""
        runs = self.runs(data)
        if sum(b - a for a, b in runs) >= BURST_BYTES:
            self.burst_at = now
        elif self.burst_at is None or now - self.burst_at > FOLLOW_S:
            return data  # typing (a read after a burst's rest does not make the burst longer)
        if not runs:
            return data
        parts: list[bytes] = []
        at = 0
        for start, end in runs:
            parts += [data[at:start], PASTE_START, data[start:end], PASTE_END]
            at = end
        parts.append(data[at:])
        return b"".join(parts)


class BurstDriver(LinuxDriver):
    """Textual's Linux/macOS driver, with bursts of keys taken in as pastes (see the module)."""

    def __init__(self, app: App[Any], *, debug: bool = False, mouse: bool = True,
                 size: tuple[int, int] | None = None) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self.framer = Framer()

    def run_input_thread(self) -> None:
        """Textual's input loop, reading a pipe that :meth:`relay` fills from the terminal."""
        terminal = self.fileno
        pipe_out, pipe_in = os.pipe()
        wake_out, wake_in = os.pipe()
        stop = threading.Event()
        relay = threading.Thread(target=self.relay, args=(terminal, pipe_in, wake_out, stop),
                                 name="csto-tui-input-relay", daemon=True)
        self.fileno = pipe_out
        relay.start()
        try:
            super().run_input_thread()
        finally:
            stop.set()
            os.write(wake_in, b"\0")
            relay.join()
            self.fileno = terminal
            for fd in (pipe_out, wake_out, wake_in):
                os.close(fd)

    def relay(self, terminal: int, pipe_in: int, wake: int, stop: threading.Event) -> None:
        """Read the terminal as input comes, write each read on, framed (:class:`Framer`).
        Ends when ``stop`` is set (and ``wake`` written) or the terminal is closed; closes
        ``pipe_in``."""
        os.set_blocking(pipe_in, False)
        with selectors.DefaultSelector() as selector:
            selector.register(terminal, selectors.EVENT_READ)
            selector.register(wake, selectors.EVENT_READ)
            try:
                while not stop.is_set():
                    ready = [key.fd for key, _ in selector.select(1.0)]
                    if terminal not in ready:
                        continue
                    try:
                        data = os.read(terminal, READ_SIZE)
                    except OSError:
                        return
                    if not data:
                        return
                    self.write_all(pipe_in, self.framer.frame(data, time.monotonic()), stop)
            finally:
                os.close(pipe_in)

    @staticmethod
    def write_all(fd: int, data: bytes, stop: threading.Event) -> None:
        """Write all of ``data`` to the pipe (waiting while it is full), unless stopped."""
        view = memoryview(data)
        while view and not stop.is_set():
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                with selectors.DefaultSelector() as selector:
                    selector.register(fd, selectors.EVENT_WRITE)
                    selector.select(0.1)
