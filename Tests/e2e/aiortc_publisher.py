#!/usr/bin/env python3
"""One aiortc participant publishing video through the relay, for test_aiortc.py; run with the
Python that has aiortc and websockets (scripts/setup.sh makes .build-aiortc/).

It joins ROOM in sfu mode over /ws, publishes a 640x480 VP8 camera at 15 fps whose picture has a
strip of fresh noise every frame (so the encoder sends what its target allows, as the browsers'
fake cameras do in the quality test), and every second records what it has sent (bytesSent of
its outbound-rtp stats), its encoder's target bitrate and the REMBs the relay sent it. After
SECONDS it prints one JSON object with those samples and exits.

    aiortc_publisher.py --url http://HOST:PORT --room ROOM --seconds 30
"""

import argparse
import asyncio
import fractions
import json
import os
import time

import av
import websockets
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack
from aiortc.rtp import RTCP_PSFB_APP, RtcpPsfbPacket, unpack_remb_fci

WIDTH, HEIGHT, FPS = 640, 480, 15
NOISE_ROWS = 16


class NoiseCamera(MediaStreamTrack):
    """Grey frames with a band of random noise, new every frame."""

    kind = "video"

    def __init__(self):
        super().__init__()
        self.count = 0
        self.start = None
        self.grey = bytes([96]) * (WIDTH * (HEIGHT - NOISE_ROWS))
        self.chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)

    async def recv(self):
        if self.start is None:
            self.start = time.monotonic()
        due = self.start + self.count / FPS
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        frame = av.VideoFrame(WIDTH, HEIGHT, "yuv420p")
        frame.planes[0].update(os.urandom(WIDTH * NOISE_ROWS) + self.grey)
        frame.planes[1].update(self.chroma)
        frame.planes[2].update(self.chroma)
        frame.pts = self.count * 90000 // FPS
        frame.time_base = fractions.Fraction(1, 90000)
        self.count += 1
        return frame


def record_rembs(sender, rembs):
    """Wraps the sender's RTCP handler so each REMB naming its SSRC is recorded as it arrives."""
    original = sender._handle_rtcp_packet

    async def handle(packet):
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            try:
                bitrate, ssrcs = unpack_remb_fci(packet.fci)
                if sender._ssrc in ssrcs:
                    rembs.append((time.monotonic(), bitrate))
            except ValueError:
                pass
        await original(packet)

    sender._handle_rtcp_packet = handle


async def sender_stats(sender):
    """Bytes sent, and the packets lost as the relay's receiver reports last said."""
    report = await sender.getStats()
    sent = sum(s.bytesSent for s in report.values() if s.type == "outbound-rtp")
    lost = [(s.packetsLost, s.fractionLost) for s in report.values() if s.type == "remote-inbound-rtp"]
    return sent, lost[0] if lost else (None, None)


async def main(url, room, seconds):
    ws_url = url.replace("http://", "ws://") + "/ws"
    async with websockets.connect(ws_url, origin=url, max_size=2**20) as ws:
        await ws.send(json.dumps({"type": "join", "room": room, "name": "aiortc", "mode": "sfu"}))
        joined = None
        while joined is None:
            message = json.loads(await ws.recv())
            if message["type"] == "joined":
                joined = message
            elif message["type"] == "error":
                raise RuntimeError(f"join refused: {message}")

        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        transceiver = pc.addTransceiver(NoiseCamera(), direction="sendonly")
        rembs = []
        record_rembs(transceiver.sender, rembs)
        await pc.setLocalDescription(await pc.createOffer())
        await ws.send(json.dumps({"type": "publish", "sdp": pc.localDescription.sdp}))
        answer = None
        while answer is None:
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if message["type"] == "answer":
                answer = message["sdp"]
            elif message["type"] == "error":
                raise RuntimeError(f"publish refused: {message}")
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))

        # The relay's own messages (offers for others' tracks, link reports) are read and left.
        async def drain():
            async for _ in ws:
                pass

        reader = asyncio.ensure_future(drain())
        start = time.monotonic()
        samples = []
        while time.monotonic() - start < seconds:
            await asyncio.sleep(1.0)
            encoder = getattr(transceiver.sender, "_RTCRtpSender__encoder", None)
            sent, (lost, fraction) = await sender_stats(transceiver.sender)
            samples.append({
                "t": round(time.monotonic() - start, 3),
                "bytesSent": sent,
                "target": getattr(encoder, "target_bitrate", None),
                "packetsLost": lost,
                "fractionLost": fraction,
            })
        reader.cancel()
        answer_sdp = answer
        await pc.close()
    print(json.dumps({
        "answer": answer_sdp,
        "samples": samples,
        "rembs": [{"t": round(t - start, 3), "bitrate": b} for t, b in rembs],
    }), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--room", required=True)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.room, args.seconds))
