"""Posts lottery tickets from several threads, kills the server with SIGKILL in the middle of the
burst, and records the id of every ticket whose POST was answered 200. With --verify, logs in to
the restarted server and checks that each recorded ticket is in the player's history."""
import argparse
import concurrent.futures
import json
import os
import random
import re
import signal
import sys
import threading
import time

import requests

TICKET = re.compile(r'data-ticket-id="([0-9A-F-]{36})"')
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def logged_in(base, username, password):
    session = requests.Session()
    page = session.get(base + "/login", timeout=10)
    token = CSRF.search(page.text).group(1)
    answer = session.post(base + "/login", data={"csrf": token, "username": username, "password": password},
                          allow_redirects=False, timeout=30)
    if answer.status_code != 303:
        sys.exit(f"durability: login answered {answer.status_code}")
    return session, CSRF.search(session.get(base + "/lottery", timeout=10).text).group(1)


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--kill-pid", type=int)
    parser.add_argument("--after", type=float, default=2.0)
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args()

    if args.verify:
        session, _ = logged_in(args.base, args.user, args.password)
        stored = set(TICKET.findall(session.get(args.base + "/lottery/history", timeout=30).text))
        answered = json.load(open(args.record))
        missing = [ticket for ticket in answered if ticket not in stored]
        print(f"durability: {len(answered)} answered tickets, {len(stored)} in the database after the restart, "
              f"{len(missing)} missing")
        sys.exit(1 if missing or not answered else 0)

    session, token = logged_in(args.base, args.user, args.password)
    answered, refused, lock, stop = [], [], threading.Lock(), threading.Event()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(8):
            pool.submit(burst, args.base, session, token, answered, refused, lock, stop)
        time.sleep(args.after)
        with lock:
            before = len(answered)
        os.kill(args.kill_pid, signal.SIGKILL)
        print(f"durability: SIGKILL sent to PID {args.kill_pid} after {before} answered posts")
        time.sleep(1)
        stop.set()
    json.dump(answered, open(args.record, "w"))
    print(f"durability: {len(answered)} posts answered 200 in all")
    if refused:
        sys.exit(f"durability: {len(refused)} posts answered without a ticket, statuses {sorted(set(refused))}")


if __name__ == "__main__":
    main()
