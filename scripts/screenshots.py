"""Takes the README's screenshots: seeds a running relay with a few accounts, tickets, chat
messages, files and a blacklist entry, then photographs each page in headless Chromium."""
import argparse
import os
import re
import shutil
import struct
import sys
import tempfile
import time
import zlib

import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def png(width, height, colour):
    """A plain one-colour PNG, written by hand so no imaging library is needed."""
    raw = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def session_for(base, username, password):
    session = requests.Session()
    token = CSRF.search(session.get(base + "/login").text).group(1)
    answer = session.post(base + "/login", data={"csrf": token, "username": username, "password": password},
                          allow_redirects=False)
    assert answer.status_code == 303, answer.status_code
    return session, CSRF.search(session.get(base + "/").text).group(1)


def seed(base, admin_password, files_root):
    admin, token = session_for(base, "admin", admin_password)
    people = [("ada", "Ada Lovelace", (220, 90, 60)), ("grace", "Grace Hopper", (60, 120, 220)),
              ("linus", "Linus <T>", (60, 170, 90))]
    for username, name, colour in people:
        created = admin.post(base + "/api/users", json={"username": username, "password": "password-" + username,
                                                        "displayName": name}, headers={"X-CSRF-Token": token})
        assert created.status_code == 201, created.text
        user_id = created.json()["id"]
        upload = admin.post(base + f"/api/users/{user_id}/avatar", headers={"X-CSRF-Token": token},
                            files={"file": ("avatar.png", png(64, 64, colour), "image/png")})
        assert upload.status_code == 200, upload.text
    for username, _, _ in people:
        player, player_token = session_for(base, username, "password-" + username)
        for pick in ([3, 11, 17, 24, 38, 45], [1, 2, 3, 4, 5, 6], [7, 14, 21, 28, 35, 42]):
            form = [("csrf", player_token)] + [("numbers[]", str(n)) for n in pick]
            assert player.post(base + "/lottery", data=form).status_code == 200
    admin.post(base + "/admin/blacklist", data={"csrf": token, "kind": "ip", "value": "203.0.113.66",
                                                 "reason": "credential stuffing"})
    os.makedirs(os.path.join(files_root, "recordings"), exist_ok=True)
    os.makedirs(os.path.join(files_root, "slides"), exist_ok=True)
    with open(os.path.join(files_root, "README.txt"), "w") as f:
        f.write("Shared with everyone on this server.\n")
    with open(os.path.join(files_root, "agenda-2026-11.md"), "w") as f:
        f.write("# Agenda\n\n" + "- item\n" * 40)
    with open(os.path.join(files_root, "team-photo.jpg"), "wb") as f:
        f.write(b"\xff\xd8\xff\xe0" + os.urandom(48_000))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--admin-password", required=True)
    parser.add_argument("--files-root", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    seed(args.base, args.admin_password, args.files_root)

    os.environ["SE_OFFLINE"] = "true"
    profile = tempfile.mkdtemp(prefix="relay-shots-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/lib/chromium/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--window-size=1100,820", "--hide-scrollbars",
                 f"--user-data-dir={profile}",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(args.base + "/login")
        driver.find_element(By.NAME, "username").send_keys("admin")
        driver.find_element(By.NAME, "password").send_keys(args.admin_password)
        driver.find_element(By.CSS_SELECTOR, "form.stack button").click()
        time.sleep(0.5)

        driver.get(args.base + "/")
        driver.save_screenshot(os.path.join(args.out, "home.png"))

        driver.get(args.base + "/lottery")
        for number in (4, 9, 16, 25, 36, 49):
            driver.find_element(By.CSS_SELECTOR, f'input[value="{number}"]').find_element(By.XPATH, "..").click()
        driver.save_screenshot(os.path.join(args.out, "lottery.png"))
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]:not(.inline button)").click()
        time.sleep(0.3)
        driver.save_screenshot(os.path.join(args.out, "lottery-result.png"))
        driver.get(args.base + "/lottery/draws")
        driver.save_screenshot(os.path.join(args.out, "lottery-draws.png"))

        driver.get(args.base + "/users")
        driver.save_screenshot(os.path.join(args.out, "users.png"))

        driver.get(args.base + "/chat?room=lobby")
        time.sleep(0.5)
        for text in ("Hello everyone!", "Call at 10:00 in room standup", "<b>tags</b> show as typed"):
            box = driver.find_element(By.ID, "chat-text")
            box.send_keys(text)
            driver.find_element(By.CSS_SELECTOR, "#chat-form button").click()
            time.sleep(0.3)
        driver.save_screenshot(os.path.join(args.out, "chat.png"))

        driver.get(args.base + "/files")
        driver.save_screenshot(os.path.join(args.out, "files.png"))

        driver.get(args.base + "/admin")
        driver.save_screenshot(os.path.join(args.out, "admin.png"))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print("screenshots: written to", args.out)


if __name__ == "__main__":
    sys.exit(main())
