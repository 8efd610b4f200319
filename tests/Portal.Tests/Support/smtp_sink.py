"""An SMTP sink for the tests: every accepted message becomes one JSON file in a directory.

Usage: /usr/bin/python3 smtp_sink.py HOST PORT DIRECTORY

The test steers it through files in DIRECTORY, read on every message:
  refuse.txt  addresses (one a line) answered "550 5.1.1 Mailbox unavailable" at RCPT TO,
              or "450 4.2.1 Mailbox busy" when the address is followed by " 450"
  delay.txt   seconds to wait before answering the end of DATA (a slow server)
  drop.txt    N: a connection that has had N messages accepted is cut (no reply, no QUIT) when it
              starts the next one, as a server with a per-connection limit or a restart would
Each message records the connection (SMTP session) it came on, numbered from the sink's start.
A message being received (its DATA not yet answered) is marked by an empty NAME.receiving file.
Prints "ready" once it listens; exits when its standard input closes (the test process went away).
"""
import asyncio
import itertools
import json
import os
import sys
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count()
        self.sessions = itertools.count(1)
        self.started = time.time_ns()

    def _session(self, session):
        if not hasattr(session, "portal_number"):
            session.portal_number = f"{self.started}-{next(self.sessions)}"
            session.portal_accepted = 0
        return session.portal_number

    def _setting(self, name):
        try:
            with open(os.path.join(self.directory, name), encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self._session(session)
        drop = int(self._setting("drop.txt").strip() or 0)
        if drop > 0 and session.portal_accepted >= drop:
            server.transport.abort()
            return "421 4.4.2 Connection dropped"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        for line in self._setting("refuse.txt").splitlines():
            refused, _, code = line.strip().partition(" ")
            if refused and refused.lower() == address.lower():
                return "450 4.2.1 Mailbox busy, try again later" if code == "450" else "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{next(self.counter):06d}"
        receiving = os.path.join(self.directory, name + ".receiving")
        open(receiving, "w").close()
        delay = float(self._setting("delay.txt").strip() or 0)
        if delay > 0:
            await asyncio.sleep(delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mailFrom": envelope.mail_from,
            "recipients": envelope.rcpt_tos,
            "messageId": message.get("Message-ID"),
            "subject": message.get("Subject", ""),
            "headers": {k: str(v) for k, v in message.items()},
            "text": text.get_content() if text is not None else "",
            "html": html.get_content() if html is not None else "",
            "raw": envelope.content.decode("utf-8", errors="replace"),
            "connection": self._session(session),
        }
        temporary = os.path.join(self.directory, name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(temporary, os.path.join(self.directory, name + ".json"))
        os.remove(receiving)
        session.portal_accepted += 1
        return "250 2.0.0 Message accepted for delivery"


def main():
    host, port, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    controller = Controller(Sink(directory), hostname=host, port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
