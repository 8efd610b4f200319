#!/usr/bin/env python3
"""A local SMS gateway for ./run.sh: takes the portal's messages (POST /sms, JSON {"to", "text"}, the protocol of
Features/Notifications/SmsSender.cs) and shows the latest 500, newest first, at GET /. Nothing is sent anywhere.
Usage: sms-sink.py PORT"""
import html
import json
import sys
from collections import deque
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MESSAGES = deque(maxlen=500)
MAX_BODY = 64 * 1024


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/sms":
            return self.answer(404, "text/plain", "Post messages to /sms.")
        body = self.read_body()
        if not body:
            return self.answer(400, "text/plain", "Send one JSON message of at most 64 KB.")
        try:
            message = json.loads(body)
            to, text = str(message["to"]), str(message["text"])
        except (ValueError, KeyError, TypeError):
            return self.answer(400, "text/plain", 'Send JSON with "to" and "text".')
        MESSAGES.appendleft((datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"), to, text))
        self.answer(202, "application/json", '{"accepted":true}')

    def read_body(self):
        """The request's body (Content-Length or chunked, as .NET's JsonContent sends it), or None past 64 KB."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = self.rfile.readline(100).split(b";")[0].strip()
                try:
                    size = int(size, 16)
                except ValueError:
                    return None
                if size == 0 or len(body) + size > MAX_BODY:
                    self.rfile.readline(100)
                    return body if size == 0 else None
                body += self.rfile.read(size)
                self.rfile.readline(100)
        length = self.headers.get("Content-Length", "")
        length = int(length) if length.isdigit() else 0
        return self.rfile.read(length) if 0 < length <= MAX_BODY else None

    def do_GET(self):
        if self.path != "/":
            return self.answer(404, "text/plain", "Not found.")
        rows = "".join(
            f"<tr><td>{html.escape(at)}</td><td>{html.escape(to)}</td><td>{html.escape(text)}</td></tr>"
            for at, to, text in list(MESSAGES))
        body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10"><title>SMS sent by the portal</title>
<style>body{{font-family:sans-serif;margin:1rem}}table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}}</style></head>
<body><h1>SMS sent by the portal</h1><p>{len(MESSAGES)} message(s) kept in memory (the latest 500), newest first; the page
refreshes every 10 seconds. Nothing leaves this machine.</p>
<table><thead><tr><th scope="col">Received</th><th scope="col">To</th><th scope="col">Text</th></tr></thead>
<tbody>{rows}</tbody></table></body></html>"""
        self.answer(200, "text/html; charset=utf-8", body)

    def answer(self, status, content_type, body):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


class Server(ThreadingHTTPServer):
    # The dispatcher sends a batch at once: the default backlog of 5 refused some of its connections.
    request_queue_size = 256
    daemon_threads = True


if __name__ == "__main__":
    Server(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
