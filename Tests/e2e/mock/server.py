"""The mock call server: serves the mock page at /call/ROOM and keeps who is in each room.

It runs in a thread of the test process, on 127.0.0.1 (a secure context, so getUserMedia works
without TLS), and offers the same URL shape as the relay so the harness runs unchanged.
"""

import itertools
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = {"/mock/call.js": ("call.js", "text/javascript")}


class MockServer:
    def __init__(self):
        self.rooms = {}  # room -> {id: name}
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                if url.path.startswith("/call/"):
                    self._file("call.html", "text/html")
                elif url.path in STATIC:
                    self._file(*STATIC[url.path])
                elif url.path == "/mock/peers":
                    room = parse_qs(url.query)["room"][0]
                    with server.lock:
                        self._json({"peers": dict(server.rooms.get(room, {}))})
                else:
                    self.send_error(404)

            def do_POST(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                with server.lock:
                    members = server.rooms.setdefault(query["room"], {})
                    if url.path == "/mock/join":
                        peer_id = f"mock-{next(server.ids)}"
                        members[peer_id] = query["name"]
                        self._json({"id": peer_id})
                    elif url.path == "/mock/leave":
                        members.pop(query["id"], None)
                        self._json({})
                    else:
                        self.send_error(404)

            def _file(self, name, content_type):
                with open(os.path.join(HERE, name), "rb") as f:
                    self._send(f.read(), content_type)

            def _json(self, value):
                self._send(json.dumps(value).encode(), "application/json")

            def _send(self, body, content_type):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # the page polls four times a second
                pass

        return Handler
