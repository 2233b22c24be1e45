"""A participant on its own link: a network namespace joined to the host by a veth pair, with an
optional rate cap on either direction (tbf; the downlink cap on UDP only), random loss on what
the namespace receives (nftables numgen), and a spare second link to move to mid-call (a network
change). Needs root, iproute2 and nftables.

Everything is named after this process (names unique on the machine), recorded as it is created,
and removed by name in `remove()`; `remove_all()` removes whatever a run still holds, also after
an error or a watchdog abort. Addresses are 10.77.X.1 (host side) and 10.77.X.2 (namespace side),
X chosen free; traffic on them never leaves the machine.
"""

import ipaddress
import os
import re
import subprocess

_created = []  # every Namespace not yet removed


def _run(*command):
    result = subprocess.run(list(command), stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: exit {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def _used_subnets():
    used = set()
    for line in _run("ip", "-4", "-o", "addr", "show").splitlines():
        fields = line.split()
        if "inet" in fields:
            used.add(ipaddress.ip_interface(fields[fields.index("inet") + 1]).network)
    for line in _run("ip", "-4", "route", "show").splitlines():
        try:
            used.add(ipaddress.ip_network(line.split()[0], strict=False))
        except ValueError:
            pass  # 'default' and the like
    return used


def _free_octet():
    used = _used_subnets()
    start = os.getpid() % 250
    for i in range(250):
        x = (start + i) % 250 + 1
        subnet = ipaddress.ip_network(f"10.77.{x}.0/24")
        if not any(subnet.overlaps(u) for u in used):
            return x
    raise RuntimeError("no free 10.77.X.0/24 subnet for a test namespace")


class Namespace:
    """A namespace `name` with veth `host_dev` (host side, host_ip) / `ns_dev` (inside, ns_ip)."""

    def __init__(self, tag):
        pid = os.getpid()
        self.name = f"relayq-{pid}-{tag}"
        # Interface names have at most 15 characters.
        self.host_dev = f"rq{pid % 1000000}{tag[:2]}h"
        self.ns_dev = f"rq{pid % 1000000}{tag[:2]}n"
        x = _free_octet()
        self.host_ip, self.ns_ip = f"10.77.{x}.1", f"10.77.{x}.2"
        self.netns_made = self.link_made = False
        self.media_shaped = False
        self.spare_made = False
        _created.append(self)
        try:
            self._create()
        except BaseException:
            self.remove()
            raise

    def _create(self):
        _run("ip", "netns", "add", self.name)
        self.netns_made = True
        _run("ip", "link", "add", self.host_dev, "type", "veth", "peer", "name", self.ns_dev)
        self.link_made = True
        # No IPv6 link-local addresses: the kernel adds them a second or two after a link comes
        # up, and Chromium on the host takes each for a network change and fails the requests
        # it has in flight (net::ERR_NETWORK_CHANGED: a page opening then never loads its
        # modules).
        _run("ip", "link", "set", self.host_dev, "addrgenmode", "none")
        _run("ip", "link", "set", self.ns_dev, "netns", self.name)
        self.exec("ip", "link", "set", self.ns_dev, "addrgenmode", "none")
        _run("ip", "addr", "add", f"{self.host_ip}/24", "dev", self.host_dev)
        _run("ip", "link", "set", self.host_dev, "up")
        self.exec("ip", "addr", "add", f"{self.ns_ip}/24", "dev", self.ns_dev)
        self.exec("ip", "link", "set", self.ns_dev, "up")
        self.exec("ip", "link", "set", "lo", "up")
        self.exec("ip", "route", "add", "default", "via", self.host_ip)

    def exec(self, *command):
        return _run("ip", "netns", "exec", self.name, *command)

    def add_spare_link(self):
        """A second veth pair whose host side is up at spare_host_ip and whose inside end waits,
        up but without an address, for switch_to_spare_link(): a second network the participant
        can move to. Until then spare_host_ip is reached through the first link."""
        pid = os.getpid()
        tag = self.name.rsplit("-", 1)[1]
        self.spare_host_dev = f"rq{pid % 1000000}{tag[:2]}s"
        self.spare_ns_dev = f"rq{pid % 1000000}{tag[:2]}t"
        x = _free_octet()
        self.spare_host_ip, self.spare_ns_ip = f"10.77.{x}.1", f"10.77.{x}.2"
        _run("ip", "link", "add", self.spare_host_dev, "type", "veth", "peer", "name", self.spare_ns_dev)
        self.spare_made = True
        _run("ip", "link", "set", self.spare_host_dev, "addrgenmode", "none")
        _run("ip", "link", "set", self.spare_ns_dev, "netns", self.name)
        self.exec("ip", "link", "set", self.spare_ns_dev, "addrgenmode", "none")
        _run("ip", "addr", "add", f"{self.spare_host_ip}/24", "dev", self.spare_host_dev)
        _run("ip", "link", "set", self.spare_host_dev, "up")
        # Up now, so that the change later happens inside the namespace only: the host side
        # gains no carrier then, which browsers on the host would take for a change of theirs.
        self.exec("ip", "link", "set", self.spare_ns_dev, "up")
        return self.spare_host_ip

    def switch_to_spare_link(self):
        """The network change: the spare link comes up with its own address and takes the
        default route, and UDP stops on the old address both ways (TCP stays: the WebDriver and
        the signaling socket use it). Media on the old address is cut off."""
        self.exec("ip", "addr", "add", f"{self.spare_ns_ip}/24", "dev", self.spare_ns_dev)
        self.exec("ip", "route", "replace", "default", "via", self.spare_host_ip)
        self.exec("nft", "add", "table", "inet", "relaymove")
        self.exec("nft", "add", "chain", "inet", "relaymove", "in", "{ type filter hook input priority 0; }")
        self.exec("nft", "add", "rule", "inet", "relaymove", "in", "iifname", self.ns_dev, "meta", "l4proto", "udp",
                  "counter", "drop")
        # Nor does anything leave from the old address, whichever link the route picks.
        self.exec("nft", "add", "chain", "inet", "relaymove", "out", "{ type filter hook output priority 0; }")
        self.exec("nft", "add", "rule", "inet", "relaymove", "out", "ip", "saddr", self.ns_ip, "meta", "l4proto", "udp",
                  "counter", "drop")

    def cap_uplink(self, kbit):
        """What the namespace sends, through a token bucket on its side of the veth."""
        self.exec("tc", "qdisc", "add", "dev", self.ns_dev, "root", "tbf", "rate", f"{kbit}kbit",
                  "burst", "16kbit", "latency", "200ms")

    def cap_media_downlink(self, kbit):
        """The UDP the namespace receives (its media), through a token bucket on the host side of
        the veth; a second call changes the rate. TCP (signaling, and a WebDriver talking to a
        browser inside) goes around it: under a cap of tens of kbit/s shared with media, the
        driver's requests would wait for minutes."""
        if not self.media_shaped:
            # HTB only sorts (both classes far above any test's rate): UDP into 1:10, whose tbf
            # is the cap, everything else into 1:20. (This kernel has no prio qdisc.)
            dev = ("dev", self.host_dev)
            _run("tc", "qdisc", "add", *dev, "root", "handle", "1:", "htb", "default", "20", "r2q", "1000")
            for classid in ("1:10", "1:20"):
                _run("tc", "class", "add", *dev, "parent", "1:", "classid", classid, "htb", "rate", "10gbit")
            _run("tc", "filter", "add", *dev, "parent", "1:", "protocol", "ip", "prio", "1",
                 "u32", "match", "ip", "protocol", "17", "0xff", "flowid", "1:10")
        _run("tc", "qdisc", "replace", "dev", self.host_dev, "parent", "1:10", "handle", "10:", "tbf",
             "rate", f"{kbit}kbit", "burst", "16kbit", "latency", "200ms")
        self.media_shaped = True

    def media_downlink_shaper(self):
        """(bytes sent, packets dropped, overlimits) of the media downlink cap's tbf so far."""
        return _shaper_counters(_run("tc", "-s", "qdisc", "show", "dev", self.host_dev, "parent", "1:10"))

    def drop_incoming_udp(self, percent):
        """Random loss of `percent` % of the UDP datagrams the namespace receives (media only:
        signaling and the driver are TCP)."""
        self.exec("nft", "add", "table", "inet", "relayq")
        self.exec("nft", "add", "chain", "inet", "relayq", "in", "{ type filter hook input priority 0; }")
        self.exec("nft", "add", "rule", "inet", "relayq", "in", "meta", "l4proto", "udp",
                  "numgen", "random", "mod", "100", "lt", str(percent), "counter", "drop")

    def dropped(self):
        """Packets and bytes the loss rule dropped so far, from its counter."""
        text = self.exec("nft", "list", "chain", "inet", "relayq", "in")
        for line in text.splitlines():
            if "counter packets" in line:
                fields = line.split()
                i = fields.index("packets")
                return int(fields[i + 1]), int(fields[i + 3])
        return None

    def uplink_shaper(self):
        """(bytes sent, packets dropped, overlimits) of the uplink cap's tbf so far."""
        return _shaper_counters(self.exec("tc", "-s", "qdisc", "show", "dev", self.ns_dev))

    def remove(self):
        """Deletes the veth pair (both ends) and the namespace, by name; what is gone is skipped."""
        errors = []
        if self.spare_made:
            result = subprocess.run(["ip", "link", "del", self.spare_host_dev], capture_output=True, text=True)
            if result.returncode == 0 or "Cannot find device" in result.stderr:
                self.spare_made = False
            else:
                errors.append(result.stderr.strip())
        if self.link_made:
            result = subprocess.run(["ip", "link", "del", self.host_dev], capture_output=True, text=True)
            if result.returncode == 0 or "Cannot find device" in result.stderr:
                self.link_made = False
            else:
                errors.append(result.stderr.strip())
        if self.netns_made:
            result = subprocess.run(["ip", "netns", "del", self.name], capture_output=True, text=True)
            if result.returncode == 0 or "No such file" in result.stderr:
                self.netns_made = False
            else:
                errors.append(result.stderr.strip())
        if not errors and self in _created:
            _created.remove(self)
        if errors:
            raise RuntimeError(f"removing {self.name}: {'; '.join(errors)}")


def _shaper_counters(text):
    m = re.search(r"Sent (\d+) bytes \d+ pkt \(dropped (\d+), overlimits (\d+)", text)
    return tuple(int(g) for g in m.groups()) if m else None


def remove_all():
    """Removes every namespace this process created and still holds; returns their names."""
    names = []
    for ns in list(_created):
        names.append(ns.name)
        try:
            ns.remove()
        except RuntimeError as error:
            print(f"  note: {error}")
    return names


def leftovers():
    """Namespaces and links of this process that are still there (names start with ours)."""
    pid = os.getpid()
    spaces = [line.split()[0] for line in _run("ip", "netns", "list").splitlines()
              if line.startswith(f"relayq-{pid}-")]
    prefix = f"rq{pid % 1000000}"
    links = [name for name in (line.split(":")[1].strip().split("@")[0] for line in _run("ip", "-o", "link").splitlines())
             if name.startswith(prefix) and not name[len(prefix):len(prefix) + 1].isdigit()]
    return spaces, links
