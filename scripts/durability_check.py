"""Writes to the server while it is stopped, and checks that nothing answered is lost.

Lottery tickets are posted from several threads and chat messages sent over /chat/ws; the id of
every ticket whose POST was answered 200 and the text of every chat message the server echoed
back (it stores a message before it sends it to the room) are recorded. In the middle of the
burst the server is stopped with --stop:
  kill       SIGKILL.
  drain      `relay drain` (SIGTERM) while a call room is open: /healthz must say draining (503), the call's
             participant must be told (server-draining), a new room must be refused, the web
             application must go on answering; then the participant leaves and the server must
             exit by itself.
  drain-now  SIGTERM twice while a call room is open: the first drains, the second must end the
             server at once, the call still going on.
With --verify, logs in to the restarted server and checks that each recorded ticket is in the
player's history and each recorded chat message in the room's replay."""
import argparse
import concurrent.futures
import json
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

import requests
import websocket

TICKET = re.compile(r'data-ticket-id="([0-9A-F-]{36})"')
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CHAT_ROOM = "durability"


def logged_in(base, username, password):
    session = requests.Session()
    page = session.get(base + "/login", timeout=10)
    token = CSRF.search(page.text).group(1)
    answer = session.post(base + "/login", data={"csrf": token, "username": username, "password": password},
                          allow_redirects=False, timeout=30)
    if answer.status_code != 303:
        sys.exit(f"durability: login answered {answer.status_code}")
    return session, CSRF.search(session.get(base + "/lottery", timeout=10).text).group(1)


def socket_to(base, path, session):
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    return websocket.create_connection(base.replace("http", "ws", 1) + path, cookie=cookie, timeout=5)


def burst(base, session, token, answered, refused, lock, stop):
    while not stop.is_set():
        numbers = random.sample(range(1, 50), 6)
        form = [("csrf", token)] + [("numbers[]", str(n)) for n in numbers]
        try:
            answer = session.post(base + "/lottery", data=form, timeout=10)
        except requests.RequestException:
            return
        match = TICKET.search(answer.text) if answer.status_code == 200 else None
        with lock:
            if match:
                answered.append(match.group(1))
            else:
                refused.append(answer.status_code)


def chat(base, session, echoed, lock, stop):
    """Sends a message every 250 ms (the chat's limit is 5 a second) and records each echo."""
    try:
        socket = socket_to(base, f"/chat/ws?room={CHAT_ROOM}", session)
    except (OSError, websocket.WebSocketException):
        return
    tag = f"{os.getpid()}-{random.randrange(1 << 30)}"
    sent = 0
    while not stop.is_set():
        try:
            socket.send(json.dumps({"text": f"durability {tag} {sent}"}))
            sent += 1
            deadline = time.time() + 0.25
            while time.time() < deadline:
                socket.settimeout(max(0.01, deadline - time.time()))
                try:
                    frame = json.loads(socket.recv())
                except websocket.WebSocketTimeoutException:
                    break
                text = frame.get("text", "")
                if text.startswith(f"durability {tag} "):
                    with lock:
                        echoed.append(text)
        except (OSError, websocket.WebSocketException, ValueError):
            return


def replayed_chat(base, session):
    socket = socket_to(base, f"/chat/ws?room={CHAT_ROOM}", session)
    texts = set()
    socket.settimeout(1.0)
    try:
        while True:
            texts.add(json.loads(socket.recv()).get("text", ""))
    except websocket.WebSocketTimeoutException:
        pass
    socket.close()
    return texts


class CallParticipant:
    """One participant of a call room on /ws, to see what a draining server tells a call."""

    def __init__(self, base, session, room):
        self.socket = socket_to(base, "/ws", session)
        self.socket.send(json.dumps({"type": "join", "room": room, "name": "Durability", "mode": "p2p"}))
        self.expect("joined")

    def expect(self, kind, seconds=5.0):
        deadline = time.time() + seconds
        while time.time() < deadline:
            self.socket.settimeout(max(0.05, deadline - time.time()))
            try:
                frame = json.loads(self.socket.recv())
            except websocket.WebSocketTimeoutException:
                break
            if frame.get("type") == kind:
                return frame
        sys.exit(f"durability: no '{kind}' on the call's signaling socket")


def check_draining(base, session, participant):
    health = requests.get(base + "/healthz", timeout=5)
    if health.status_code != 503 or health.json().get("status") != "draining":
        sys.exit(f"durability: a draining server's /healthz answered {health.status_code} {health.text}")
    told = participant.expect("server-draining")
    late = socket_to(base, "/ws", session)
    late.send(json.dumps({"type": "join", "room": f"new-{random.randrange(1 << 30)}", "name": "Late", "mode": "p2p"}))
    refusal = json.loads(late.recv())
    late.close()
    if refusal.get("type") != "error" or refusal.get("code") != "server-draining":
        sys.exit(f"durability: a draining server let a new room open: {refusal}")
    print(f"durability: draining: /healthz 503, the call told ({told['seconds']} s left), a new room refused")


def wait_for_exit(pid, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # A child of the shell that started it: a zombie counts as ended.
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[-1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


def merge(path, key, values):
    saved = json.load(open(path)) if os.path.exists(path) else {"tickets": [], "chat": []}
    saved[key] += values
    json.dump(saved, open(path, "w"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--pid", type=int)
    parser.add_argument("--stop", choices=["kill", "drain", "drain-now"], default="kill")
    parser.add_argument("--after", type=float, default=2.0)
    parser.add_argument("--drain-command", help="the command that drains the server (for --stop drain), e.g. 'relay drain --data-dir DIR'")
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args()

    if args.verify:
        session, _ = logged_in(args.base, args.user, args.password)
        stored = set(TICKET.findall(session.get(args.base + "/lottery/history", timeout=30).text))
        replay = replayed_chat(args.base, session)
        saved = json.load(open(args.record))
        missing = [ticket for ticket in saved["tickets"] if ticket not in stored]
        # The replay holds a room's last 100 messages.
        lost_chat = [text for text in saved["chat"][-100:] if text not in replay]
        print(f"durability: {len(saved['tickets'])} answered tickets, {len(stored)} in the database after the restart, "
              f"{len(missing)} missing; {len(saved['chat'])} echoed chat messages, {len(lost_chat)} of the last 100 missing")
        sys.exit(1 if missing or lost_chat or not saved["tickets"] or not saved["chat"] else 0)

    session, token = logged_in(args.base, args.user, args.password)
    participant = CallParticipant(args.base, session, f"call-{random.randrange(1 << 30)}") if args.stop != "kill" else None
    answered, echoed, refused, lock, stop = [], [], [], threading.Lock(), threading.Event()
    with concurrent.futures.ThreadPoolExecutor(max_workers=9) as pool:
        for _ in range(8):
            pool.submit(burst, args.base, session, token, answered, refused, lock, stop)
        pool.submit(chat, args.base, session, echoed, lock, stop)
        time.sleep(args.after)
        with lock:
            before = (len(answered), len(echoed))
        if args.stop == "kill":
            os.kill(args.pid, signal.SIGKILL)
            print(f"durability: SIGKILL sent to PID {args.pid} after {before[0]} answered posts and {before[1]} chat messages")
            time.sleep(1)
        elif args.stop == "drain-now":
            os.kill(args.pid, signal.SIGTERM)
            participant.expect("server-draining")
            if wait_for_exit(args.pid, 0.5):
                sys.exit("durability: the server exited on the first SIGTERM while a call was going on")
            os.kill(args.pid, signal.SIGTERM)
            told = time.time()
            print(f"durability: SIGTERM twice to PID {args.pid} after {before[0]} answered posts and {before[1]} chat messages")
            if not wait_for_exit(args.pid, 10):
                sys.exit("durability: a second SIGTERM did not end the server within 10 s")
            print(f"durability: the server exited {time.time() - told:.1f} s after the second SIGTERM, the call still on")
        else:
            told = subprocess.run(shlex.split(args.drain_command), capture_output=True, text=True, timeout=10)
            if told.returncode != 0 or str(args.pid) not in told.stdout:
                sys.exit(f"durability: '{args.drain_command}' failed: {told.stdout}{told.stderr}")
            print(f"durability: {told.stdout.strip()}, after {before[0]} answered posts and {before[1]} chat messages")
            time.sleep(0.5)
            check_draining(args.base, session, participant)
            with lock:
                during = len(answered)
            time.sleep(1)
            with lock:
                if len(answered) <= during:
                    sys.exit("durability: the web application stopped answering while the server drained")
            if wait_for_exit(args.pid, 1):
                sys.exit("durability: the server exited while a call was still going on")
            participant.socket.send(json.dumps({"type": "leave"}))
            left = time.time()
            if not wait_for_exit(args.pid, 5):
                sys.exit("durability: the server did not exit within 5 s of its last room ending")
            print(f"durability: the server exited {time.time() - left:.1f} s after its last room ended")
        stop.set()
    merge(args.record, "tickets", answered)
    merge(args.record, "chat", echoed)
    print(f"durability: {len(answered)} posts answered 200 and {len(echoed)} chat messages echoed in all")
    if refused:
        sys.exit(f"durability: {len(refused)} posts answered without a ticket, statuses {sorted(set(refused))}")


if __name__ == "__main__":
    main()
