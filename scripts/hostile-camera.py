#!/usr/bin/env python3
"""Hostile and broken RTSP cameras on loopback, for the prober's robustness tests.

One TCP port serves every case: the first path segment of the request URI names
it (rtsp://admin:PASSWORD@127.0.0.1:PORT/<case>). A second "other host" listens
on 127.0.0.2 (and on another port of 127.0.0.1): it answers everything with a
Basic challenge, to tempt a client into sending credentials, and records every
byte it receives. Cases that redirect point there.

Started as `hostile-camera.py`, it prints one JSON line when ready:

  {"port": ..., "other_host": "127.0.0.2", "other_port": ..., "control_port": ...,
   "user": ..., "password": ..., "cases": {"<case>": "<url>", ...}}

and serves until its stdin reaches end of file (the test process holding the
pipe exits) or it gets SIGTERM. GET http://127.0.0.1:<control_port>/received
returns what the other host received, as {"<case>": ["<request text>", ...]};
/received?case=<case> only that case's.

Cases (the families of issue 12): oversized or malformed heads and bodies in
one read, byte by byte and in 7-byte pieces; floods of empty interleaved
frames, stale answers and server requests, during the handshake and mid-stream;
slowloris; random and garbage RTP; absurd SDP and SPS values; authentication
oddities (endless 401, bizarre Digest, Basic echoed into the reason phrase and
headers); redirect loops and cross-host redirects; one-timestamp floods; a
resolution change mid-stream; an enormous session id; and healthy controls.
The stream content is H.264 made once at start by the ffmpeg command line.
"""

import base64
import http.server
import json
import os
import random
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

USER = "admin"
PASSWORD = "Hx7!s3cr3t"
HOST = "127.0.0.1"
OTHER_HOST = "127.0.0.2"
BASIC = base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode()
FPS = 25
# Bound on any one case's connection: nothing a probe does lasts this long.
CASE_SECONDS = 30

# ---------------------------------------------------------------------------
# H.264 material


def encode_clip(width, height, seconds=4):
    """Annex-B H.264 baseline, GOP 25, with access unit delimiters."""
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
         "testsrc=size=%dx%d:rate=%d" % (width, height, FPS), "-t", str(seconds),
         "-c:v", "libx264", "-profile:v", "baseline", "-g", str(FPS), "-bf", "0",
         "-x264-params", "aud=1:keyint=%d:min-keyint=%d:scenecut=0" % (FPS, FPS),
         "-pix_fmt", "yuv420p", "-f", "h264", "-"],
        check=True, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL).stdout
    return split_access_units(out)


def nal_units(stream):
    """NAL units (without start codes) of an Annex-B stream."""
    starts = []
    i = 0
    n = len(stream)
    while i + 3 <= n:
        if stream[i] == 0 and stream[i + 1] == 0 and stream[i + 2] == 1:
            starts.append(i + 3)
            i += 3
        else:
            i += 1
    units = []
    for k, s in enumerate(starts):
        e = starts[k + 1] - 3 if k + 1 < len(starts) else n
        unit = stream[s:e]
        while unit.endswith(b"\x00"):
            unit = unit[:-1]
        units.append(unit)
    return units


def split_access_units(stream):
    """Access units split at each delimiter (NAL type 9), delimiters dropped."""
    units = []
    current = []
    for nal in nal_units(stream):
        if nal[0] & 0x1F == 9:
            if current:
                units.append(current)
            current = []
            continue
        current.append(nal)
    if current:
        units.append(current)
    return units


def parameter_sets(units):
    sps = next(n for au in units for n in au if n[0] & 0x1F == 7)
    pps = next(n for au in units for n in au if n[0] & 0x1F == 8)
    return sps, pps


class BitWriter:
    def __init__(self):
        self.bits = []

    def u(self, count, value):
        for k in range(count - 1, -1, -1):
            self.bits.append((value >> k) & 1)

    def ue(self, value):
        value += 1
        length = value.bit_length()
        self.u(length - 1, 0)
        self.u(length, value)

    def rbsp(self):
        self.bits.append(1)
        while len(self.bits) % 8:
            self.bits.append(0)
        data = bytes(int("".join(map(str, self.bits[i:i + 8])), 2) for i in range(0, len(self.bits), 8))
        # Emulation prevention: no 00 00 0x (x <= 3) inside the NAL unit.
        out = bytearray()
        zeros = 0
        for b in data:
            if zeros >= 2 and b <= 3:
                out.append(3)
                zeros = 0
            out.append(b)
            zeros = zeros + 1 if b == 0 else 0
        return bytes(out)


def make_sps(width_mbs, height_mbs, crop=None, timing=None):
    """A baseline SPS: width_mbs x height_mbs macroblocks; `crop` (l, r, t, b)
    in crop units; `timing` (num_units_in_tick, time_scale) in the VUI."""
    w = BitWriter()
    w.u(8, 66)        # profile_idc: baseline
    w.u(8, 0xC0)      # constraint flags
    w.u(8, 51)        # level_idc
    w.ue(0)           # seq_parameter_set_id
    w.ue(0)           # log2_max_frame_num_minus4
    w.ue(2)           # pic_order_cnt_type
    w.ue(1)           # max_num_ref_frames
    w.u(1, 0)         # gaps_in_frame_num_value_allowed_flag
    w.ue(width_mbs - 1)
    w.ue(height_mbs - 1)
    w.u(1, 1)         # frame_mbs_only_flag
    w.u(1, 1)         # direct_8x8_inference_flag
    if crop:
        w.u(1, 1)
        for value in crop:
            w.ue(value)
    else:
        w.u(1, 0)
    if timing:
        w.u(1, 1)     # vui_parameters_present_flag
        w.u(1, 0)     # aspect_ratio_info_present_flag
        w.u(1, 0)     # overscan_info_present_flag
        w.u(1, 0)     # video_signal_type_present_flag
        w.u(1, 0)     # chroma_loc_info_present_flag
        w.u(1, 1)     # timing_info_present_flag
        w.u(32, timing[0])
        w.u(32, timing[1])
        w.u(1, 1)     # fixed_frame_rate_flag
        w.u(1, 0)     # nal_hrd
        w.u(1, 0)     # vcl_hrd
        w.u(1, 0)     # pic_struct_present_flag
        w.u(1, 0)     # bitstream_restriction_flag
    else:
        w.u(1, 0)
    return b"\x67" + w.rbsp()


# ---------------------------------------------------------------------------
# RTSP plumbing


class Closed(Exception):
    pass


def read_request(conn, limit=65536):
    """One request head (and body); None at end of stream."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
        if len(data) > limit:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(rest) < length:
        chunk = conn.recv(4096)
        if not chunk:
            break
        rest += chunk
    return {"method": parts[0], "uri": parts[1] if len(parts) > 1 else "", "headers": headers,
            "cseq": headers.get("cseq", "0"), "raw": data.decode("latin-1")}


def reply(conn, request, status="200 OK", headers=(), body=b""):
    lines = ["RTSP/1.0 " + status, "CSeq: " + (request["cseq"] if request else "1")]
    lines += list(headers)
    if body:
        lines.append("Content-Length: %d" % len(body))
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def case_of(uri):
    path = urllib.parse.urlsplit(uri).path if "://" in uri else uri
    return path.strip("/").split("/")[0]


def sdp_for(sps, pps, extra=(), media_extra=()):
    sprop = base64.b64encode(sps).decode() + "," + base64.b64encode(pps).decode()
    lines = ["v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=hostile", "t=0 0", "a=control:*"] + list(extra)
    lines += ["m=video 0 RTP/AVP 96", "a=rtpmap:96 H264/90000",
              "a=fmtp:96 packetization-mode=1;profile-level-id=42C033;sprop-parameter-sets=" + sprop,
              "a=control:track1"] + list(media_extra)
    return ("\r\n".join(lines) + "\r\n").encode()


class Session:
    """A well-behaved RTSP handshake up to PLAY, with hooks for the cases."""

    def __init__(self, conn, first, sdp, session_header="8C2F4A11;timeout=60", require_auth=False, on_setup=None):
        self.conn = conn
        self.first = first
        self.sdp = sdp
        self.session_header = session_header
        self.require_auth = require_auth
        self.on_setup = on_setup
        self.channel = 0

    def authorised(self, request):
        return request["headers"].get("authorization", "") == "Basic " + BASIC

    def handshake(self):
        """Answers requests until PLAY; True once playing."""
        request = self.first
        while request is not None:
            method = request["method"]
            if self.require_auth and not self.authorised(request):
                reply(self.conn, request, "401 Unauthorized", ['WWW-Authenticate: Basic realm="hostile"'])
            elif method == "OPTIONS":
                reply(self.conn, request, headers=["Public: DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER"])
            elif method == "DESCRIBE":
                reply(self.conn, request, headers=["Content-Type: application/sdp",
                                                   "Content-Base: rtsp://%s/%s/" % (request["uri"].split("/")[2], case_of(request["uri"]))],
                      body=self.sdp)
            elif method == "SETUP":
                if self.on_setup and self.on_setup(request):
                    return False
                transport = request["headers"].get("transport", "")
                if "interleaved=" in transport:
                    self.channel = int(transport.split("interleaved=")[1].split("-")[0].split(";")[0])
                    answer = "RTP/AVP/TCP;unicast;interleaved=%d-%d" % (self.channel, self.channel + 1)
                else:
                    reply(self.conn, request, "461 Unsupported Transport")
                    request = read_request(self.conn)
                    continue
                reply(self.conn, request, headers=["Transport: " + answer, "Session: " + self.session_header])
            elif method == "PLAY":
                reply(self.conn, request, headers=["Session: " + self.session_header.split(";")[0], "Range: npt=0.000-"])
                return True
            else:
                reply(self.conn, request)
            request = read_request(self.conn)
        return False


def frame(channel, payload):
    return b"$" + bytes([channel]) + struct.pack(">H", len(payload)) + payload


def rtp(seq, timestamp, payload, marker, pt=96, ssrc=0x1234ABCD):
    return struct.pack(">BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF, timestamp & 0xFFFFFFFF, ssrc) + payload


def packetize(nal, mtu=1400):
    """RFC 6184: a single NAL unit packet, or FU-A fragments."""
    if len(nal) <= mtu:
        return [nal]
    header = nal[0]
    indicator = (header & 0xE0) | 28
    data = nal[1:]
    out = []
    for start in range(0, len(data), mtu):
        piece = data[start:start + mtu]
        fu = header & 0x1F
        if start == 0:
            fu |= 0x80
        if start + mtu >= len(data):
            fu |= 0x40
        out.append(bytes([indicator, fu]) + piece)
    return out


class Streamer:
    def __init__(self, conn, channel):
        self.conn = conn
        self.channel = channel
        self.seq = random.Random(7).randint(0, 65535)
        self.timestamp = 90000

    def send_access_unit(self, nals, advance=90000 // FPS):
        packets = [p for nal in nals for p in packetize(nal)]
        out = []
        for k, payload in enumerate(packets):
            out.append(frame(self.channel, rtp(self.seq, self.timestamp, payload, k == len(packets) - 1)))
            self.seq += 1
        self.conn.sendall(b"".join(out))
        self.timestamp += advance

    def stream(self, units, seconds=CASE_SECONDS, before_each=None):
        """Real-time pace: one access unit per 1/FPS s, looping the clip."""
        start = time.monotonic()
        k = 0
        while time.monotonic() - start < seconds:
            if before_each:
                before_each(k)
            self.send_access_unit(units[k % len(units)])
            k += 1
            delay = start + k / FPS - time.monotonic()
            if delay > 0:
                time.sleep(delay)


# ---------------------------------------------------------------------------
# The cases. Each takes (server, conn, first request) and returns when done.


def send_pieces(conn, data, piece):
    for start in range(0, len(data), piece):
        conn.sendall(data[start:start + piece])


def big_head(request, extra_line_bytes=200 * 1024, content_length=65536):
    pad = "X-Pad: " + "A" * extra_line_bytes
    return ("RTSP/1.0 200 OK\r\nCSeq: %s\r\n%s\r\nContent-Length: %d\r\n\r\n" % (request["cseq"], pad, content_length)).encode() + b"v" * 1024


def oversized_head(piece):
    def run(server, conn, request):
        send_pieces(conn, big_head(request), piece)
        time.sleep(CASE_SECONDS)
    return run


def midstream_head(server, conn, channel):
    """Streams for half a second (the client then reads in batches, pausing
    between them), then a 200 KB RTSP answer head with a 64 KiB body in one
    write: it lands whole during a pause and comes out of one read."""
    streamer = Streamer(conn, channel)
    streamer.stream(server.clips["small"], seconds=0.5)
    conn.sendall(big_head({"cseq": "99"}))
    streamer.stream(server.clips["small"])


def pipelined_setup_head(server, conn, request):
    """The DESCRIBE answer and, in the same write, a 200 KB SETUP answer with a
    64 KiB body: while the client handles the first, the second lands in its
    receive buffer whole, and comes out of one read."""
    head = big_head({"cseq": str(int(request["cseq"]) + 1)})
    body = server.sdp
    answer = ("RTSP/1.0 200 OK\r\nCSeq: %s\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n"
              % (request["cseq"], len(body))).encode() + body
    conn.sendall(answer + head)
    time.sleep(CASE_SECONDS)


def oversized_setup_head(server, conn, request):
    def on_setup(setup):
        conn.sendall(big_head(setup))
        time.sleep(CASE_SECONDS)
        return True
    Session(conn, request, server.sdp, on_setup=on_setup).handshake()


def endless_headers(server, conn, request):
    conn.sendall(("RTSP/1.0 200 OK\r\nCSeq: %s\r\n" % request["cseq"]).encode())
    line = b"X-More: " + b"B" * 100 + b"\r\n"
    for _ in range(20000):
        conn.sendall(line)


def many_headers(server, conn, request):
    head = "RTSP/1.0 200 OK\r\nCSeq: %s\r\n" % request["cseq"] + "".join("X-H%d: v\r\n" % k for k in range(1000)) + "\r\n"
    conn.sendall(head.encode())
    time.sleep(CASE_SECONDS)


def content_length(value, send_body=b""):
    def run(server, conn, request):
        conn.sendall(("RTSP/1.0 200 OK\r\nCSeq: %s\r\nContent-Type: application/sdp\r\nContent-Length: %s\r\n\r\n" % (request["cseq"], value)).encode() + send_body)
        deadline = time.monotonic() + CASE_SECONDS
        while send_body and time.monotonic() < deadline:
            conn.sendall(b"x" * 65536)
        time.sleep(CASE_SECONDS)
    return run


def answer_describe(body, status="200 OK", headers=()):
    def run(server, conn, request):
        reply(conn, request, status, ["Content-Type: application/sdp"] + list(headers), body)
        time.sleep(CASE_SECONDS)
    return run


def raw_answer(data, repeat=False):
    def run(server, conn, request):
        conn.sendall(data)
        while repeat:
            conn.sendall(data)
        time.sleep(CASE_SECONDS)
    return run


def flood_during_handshake(unit):
    def run(server, conn, request):
        blob = unit * max(1, 16384 // len(unit))
        deadline = time.monotonic() + CASE_SECONDS
        while time.monotonic() < deadline:
            conn.sendall(blob)
    return run


def stale_answers(server, conn, request):
    blob = b"RTSP/1.0 200 OK\r\nCSeq: 0\r\n\r\n" * 500
    deadline = time.monotonic() + CASE_SECONDS
    while time.monotonic() < deadline:
        conn.sendall(blob)


def after_play(action):
    """A correct handshake, then `action(server, conn, channel)`."""
    def run(server, conn, request):
        session = Session(conn, request, server.sdp)
        if session.handshake():
            action(server, conn, session.channel)
    return run


def flood_blob(blob):
    def action(server, conn, channel):
        blob_ = blob(channel) if callable(blob) else blob
        deadline = time.monotonic() + CASE_SECONDS
        while time.monotonic() < deadline:
            conn.sendall(blob_)
    return action


def slowloris(data):
    def run(server, conn, request):
        for b in data:
            conn.sendall(bytes([b]))
            time.sleep(1)
    return run


def slow_body(server, conn, request):
    body = server.sdp
    conn.sendall(("RTSP/1.0 200 OK\r\nCSeq: %s\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n" % (request["cseq"], len(body))).encode())
    for b in body:
        conn.sendall(bytes([b]))
        time.sleep(1)


def silent(server, conn, channel):
    time.sleep(CASE_SECONDS)


def random_rtp(server, conn, channel):
    rng = random.Random(12)
    deadline = time.monotonic() + CASE_SECONDS
    seq = 0
    while time.monotonic() < deadline:
        payload = rng.randbytes(rng.randint(1, 1400))
        conn.sendall(frame(channel, rtp(seq, rng.getrandbits(32), payload, rng.random() < 0.5)))
        seq += 1
        time.sleep(0.002)


def not_rtp(server, conn, channel):
    rng = random.Random(13)
    deadline = time.monotonic() + CASE_SECONDS
    while time.monotonic() < deadline:
        payload = bytes([0x00]) + rng.randbytes(200)
        conn.sendall(frame(channel, payload))
        time.sleep(0.002)


def truncated_rtp(server, conn, channel):
    deadline = time.monotonic() + CASE_SECONDS
    while time.monotonic() < deadline:
        conn.sendall(b"".join(frame(channel, b"\x80\x60\x00"[:k]) for k in range(1, 4)) * 200)
        time.sleep(0.01)


def stream_clip(units_name):
    def action(server, conn, channel):
        Streamer(conn, channel).stream(server.clips[units_name])
    return action


def one_timestamp(fragmented):
    def action(server, conn, channel):
        streamer = Streamer(conn, channel)
        # A keyframe's parameter sets first, so the stream is a real H.264 one.
        streamer.send_access_unit(server.clips["small"][0])
        seq = 1000
        ts = 5 * 90000
        if fragmented:
            # One IDR NAL unit fragmented forever: a start fragment, then middles.
            packets = [bytes([0x7C, 0x85]) + b"\x88" * 1400] + [bytes([0x7C, 0x05]) + b"\x11" * 1400]
            blob = frame(channel, rtp(seq, ts, packets[0], False))
            middle = b"".join(frame(channel, rtp(seq + 1 + k, ts, packets[1], False)) for k in range(40))
        else:
            blob = b""
            middle = b"".join(frame(channel, rtp(seq + k, ts, bytes([0x41, 0x9A]) + b"\x22" * 1300, False)) for k in range(40))
        conn.sendall(blob)
        deadline = time.monotonic() + CASE_SECONDS
        while time.monotonic() < deadline:
            conn.sendall(middle)
    return action


def distinct_timestamps(server, conn, channel):
    streamer = Streamer(conn, channel)
    streamer.send_access_unit(server.clips["small"][0])
    deadline = time.monotonic() + CASE_SECONDS
    ts = streamer.timestamp
    seq = streamer.seq
    while time.monotonic() < deadline:
        blob = b""
        for _ in range(200):
            blob += frame(channel, rtp(seq, ts, bytes([0x41, 0x9A, 0x00, 0x10]) + b"\x33" * 60, True))
            seq += 1
            ts += 1          # one 90 kHz tick per frame: 90,000 fps
        conn.sendall(blob)
        time.sleep(0.005)


def resolution_change(server, conn, channel):
    small = server.clips["small"]
    large = server.clips["large"]
    streamer = Streamer(conn, channel)
    start = time.monotonic()
    k = 0
    while time.monotonic() - start < CASE_SECONDS:
        units = small if k < FPS else large
        streamer.send_access_unit(units[k % len(units)])
        k += 1
        delay = start + k / FPS - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def giant_keyframe(server, conn, channel):
    """A keyframe of 6 MiB (within the access-unit limit): SPS, PPS and an IDR
    slice padded with filler, every second, at the real pace."""
    small = server.clips["small"]
    filler = bytes([0x0C]) + b"\xFF" * (6 * 1024 * 1024)   # NAL type 12: filler data
    streamer = Streamer(conn, channel)
    start = time.monotonic()
    k = 0
    while time.monotonic() - start < CASE_SECONDS:
        unit = small[k % len(small)]
        if k % FPS == 0:
            unit = unit + [filler]
        streamer.send_access_unit(unit)
        k += 1
        delay = start + k / FPS - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def healthy_with(**session_args):
    def run(server, conn, request):
        session = Session(conn, request, server.sdp, **session_args)
        if session.handshake():
            Streamer(conn, session.channel).stream(server.clips["small"])
    return run


def sps_case(sps):
    def run(server, conn, request):
        _, pps = server.parameter_sets
        session = Session(conn, request, sdp_for(sps, pps))
        if session.handshake():
            streamer = Streamer(conn, session.channel)
            small = server.clips["small"]
            def units(k):
                unit = small[k % len(small)]
                # In-band parameter sets are the lying ones too.
                return [sps if n[0] & 0x1F == 7 else n for n in unit]
            start = time.monotonic()
            k = 0
            while time.monotonic() - start < CASE_SECONDS:
                streamer.send_access_unit(units(k))
                k += 1
                time.sleep(max(0, start + k / FPS - time.monotonic()))
    return run


def sdp_media_case(media_extra):
    def run(server, conn, request):
        sps, pps = server.parameter_sets
        session = Session(conn, request, sdp_for(sps, pps, media_extra=media_extra))
        if session.handshake():
            Streamer(conn, session.channel).stream(server.clips["small"])
    return run


def weird_transport(server, conn, request):
    while request is not None:
        if request["method"] == "DESCRIBE":
            reply(conn, request, headers=["Content-Type: application/sdp"], body=server.sdp)
        elif request["method"] == "SETUP":
            reply(conn, request, headers=["Transport: RTP/AVP/TCP;unicast;interleaved=300-301", "Session: 1234ABCD"])
        else:
            reply(conn, request, "400 Bad Request")
        request = read_request(conn)


def endless_401(server, conn, request):
    k = 0
    while request is not None:
        k += 1
        reply(conn, request, "401 Unauthorized", ['WWW-Authenticate: Digest realm="r%d", nonce="%032x"' % (k, k)])
        request = read_request(conn)


def bizarre_digest(server, conn, request):
    nonce = "N" * 8000
    challenge = ('Digest realm="we\\"ird\\\\realm\x01\x7f", nonce="%s", qop="auth,auth-int,,", algorithm=MD5-sess, '
                 'opaque="%s", stale=maybe, domain=,,,, =novalue, key-only' % (nonce, "O" * 2000))
    while request is not None:
        reply(conn, request, "401 Unauthorized", ["WWW-Authenticate: " + challenge])
        request = read_request(conn)


def unknown_digest(server, conn, request):
    while request is not None:
        reply(conn, request, "401 Unauthorized", ['WWW-Authenticate: Digest realm="r", nonce="n", algorithm=SHA-512-256'])
        request = read_request(conn)


def basic_echo(status, into):
    """Asks for Basic, then answers the credentials with `status`, echoing them
    (the header and its decoded form) in the reason phrase or a header."""
    def run(server, conn, request):
        while request is not None:
            authorization = request["headers"].get("authorization")
            if not authorization:
                reply(conn, request, "401 Unauthorized", ['WWW-Authenticate: Basic realm="echo"'])
            else:
                decoded = base64.b64decode(authorization.split(" ", 1)[1]).decode("latin-1")
                echo = "%s (%s) %s %s" % (authorization, decoded, PASSWORD, urllib.parse.quote(PASSWORD, safe=""))
                if into == "reason":
                    reply(conn, request, "%s %s" % (status, echo))
                elif into == "challenge":
                    reply(conn, request, "401 Unauthorized", ["WWW-Authenticate: Negotiate " + echo])
                else:  # control characters and length around the echo
                    reply(conn, request, "%s \x1b[31m%s\x1b[0m \x07 %s" % (status, echo, "Z" * 3000))
            request = read_request(conn)
    return run


def redirect_to(location_of):
    def run(server, conn, request):
        while request is not None:
            reply(conn, request, "302 Moved Temporarily", ["Location: " + location_of(server, request)])
            request = read_request(conn)
    return run


def redirect_on_setup(server, conn, request):
    def on_setup(setup):
        reply(conn, setup, "302 Found", ["Location: rtsp://%s:%d/redirect_on_setup/track1" % (OTHER_HOST, server.other_port)])
        return True
    Session(conn, request, server.sdp, on_setup=on_setup).handshake()


def no_location(server, conn, request):
    reply(conn, request, "301 Moved Permanently")
    time.sleep(CASE_SECONDS)


def tcp_refused_then_redirect(server, conn, request):
    """The native client's TCP SETUP gets 461; FFmpeg's reader, which then
    tries UDP on a new connection (OPTIONS first, where the native client
    starts with DESCRIBE), gets a redirect to the other host."""
    if request["method"] != "OPTIONS":
        def on_setup(setup):
            reply(conn, setup, "461 Unsupported Transport")
            time.sleep(0.5)
            return True
        Session(conn, request, server.sdp, on_setup=on_setup).handshake()
    else:
        redirect_to(lambda s, r: "rtsp://%s:%d/tcp_refused_then_redirect" % (OTHER_HOST, s.other_port))(server, conn, request)


def huge_session(server, conn, request):
    Session(conn, request, server.sdp, session_header="S" * 10000).handshake()
    time.sleep(CASE_SECONDS)


def ffmpeg_body(server, conn, request):
    """For FFmpeg's own reader: a 2 GB Content-Length, with bytes streaming."""
    content_length("2000000000", send_body=b"v=0\r\n")(server, conn, request)


CASES = {
    # Oversized and malformed heads and bodies, however split into reads.
    "head_200k_one_read": oversized_head(1 << 30),
    "head_200k_bytewise": oversized_head(1),
    "head_200k_7byte": oversized_head(7),
    "head_200k_on_setup": oversized_setup_head,
    "head_200k_pipelined": pipelined_setup_head,
    "head_200k_midstream": after_play(midstream_head),
    "head_endless": endless_headers,
    "head_many_fields": many_headers,
    "body_2gb": content_length("2147483647"),
    "body_negative": content_length("-5"),
    "body_not_a_number": content_length("12abc"),
    "body_overflowing_number": content_length("99999999999999999999999999"),
    "body_short": content_length("5000", send_body=b""),
    "sdp_too_large": lambda s, c, r: answer_describe(b"v=0\r\n" + b"a=x-pad:" + b"P" * 60000 + b"\r\n")(s, c, r),
    "sdp_many_media": lambda s, c, r: answer_describe(b"v=0\r\n" + b"m=audio 0 RTP/AVP 0\r\n" * 200)(s, c, r),
    "sdp_binary": lambda s, c, r: answer_describe(bytes(range(256)) * 8)(s, c, r),
    "status_line_garbage": raw_answer(b"RTSP/1.0 2x0 OK\r\nCSeq: 1\r\n\r\n"),
    "binary_garbage": raw_answer(b"\x17\x03\x03" + random.Random(5).randbytes(4096)),
    "http_instead": raw_answer(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    # Floods during the handshake and mid-stream.
    "flood_empty_frames_handshake": flood_during_handshake(b"$\x00\x00\x00"),
    "flood_stale_answers": stale_answers,
    "flood_requests_handshake": flood_during_handshake(b"GET_PARAMETER rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 1\r\n\r\n"),
    "flood_requests_midstream": after_play(flood_blob(b"OPTIONS * RTSP/1.0\r\nCSeq: 7\r\n\r\n" * 200)),
    "flood_empty_frames_midstream": after_play(flood_blob(lambda ch: frame(ch, b"") * 4000)),
    "flood_other_channel_midstream": after_play(flood_blob(lambda ch: frame(ch + 6, b"\x80\x60" + b"\x00" * 100) * 300)),
    # Slowloris.
    "slowloris_head": slowloris(b"RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 0\r\n\r\n"),
    "slowloris_body": slow_body,
    "silent_after_play": after_play(silent),
    # Random and garbage RTP.
    "rtp_random": after_play(random_rtp),
    "rtp_not_rtp": after_play(not_rtp),
    "rtp_truncated": after_play(truncated_rtp),
    # Absurd SDP and SPS values.
    "sps_16000x16000": lambda s, c, r: sps_case(make_sps(1000, 1000))(s, c, r),
    "sps_65536x65536": lambda s, c, r: sps_case(make_sps(4096, 4096))(s, c, r),
    "sps_framerate_76790": lambda s, c, r: sps_case(make_sps(20, 15, timing=(1, 153580)))(s, c, r),
    "sps_cropped_to_nothing": lambda s, c, r: sps_case(make_sps(20, 15, crop=(80, 80, 60, 60)))(s, c, r),
    "sdp_framesize_absurd": sdp_media_case(["a=framesize:96 65536-65536", "a=x-dimensions:65536,65536", "a=framerate:76790"]),
    "transport_channel_300": weird_transport,
    # Authentication oddities.
    "auth_endless_401": endless_401,
    "auth_bizarre_digest": bizarre_digest,
    "auth_unknown_digest_algorithm": unknown_digest,
    "auth_basic_echo_reason": basic_echo("400", "reason"),
    "auth_basic_echo_454": basic_echo("454", "reason"),
    "auth_basic_echo_challenge": basic_echo("401", "challenge"),
    "auth_basic_echo_control_chars": basic_echo("400", "control"),
    # Redirect loops and cross-host redirects.
    "redirect_loop_self": redirect_to(lambda s, r: "rtsp://%s:%d/redirect_loop_self" % (HOST, s.port)),
    "redirect_loop_relative": redirect_to(lambda s, r: "/redirect_loop_relative"),
    "redirect_cross_host": redirect_to(lambda s, r: "rtsp://%s:%d/redirect_cross_host" % (OTHER_HOST, s.other_port)),
    "redirect_cross_port": redirect_to(lambda s, r: "rtsp://%s:%d/redirect_cross_port" % (HOST, s.other_port_same_host)),
    "redirect_cross_host_with_userinfo": redirect_to(
        lambda s, r: "rtsp://thief:%s@%s:%d/redirect_cross_host_with_userinfo" % (PASSWORD, OTHER_HOST, s.other_port)),
    "redirect_on_setup": redirect_on_setup,
    "redirect_without_location": no_location,
    "redirect_same_host_to_healthy": redirect_to(lambda s, r: "rtsp://%s:%d/healthy_auth" % (HOST, s.port)),
    "tcp_refused_then_redirect": tcp_refused_then_redirect,
    "ffmpeg_reader_cross_host": redirect_to(lambda s, r: "rtsp://%s:%d/ffmpeg_reader_cross_host" % (OTHER_HOST, s.other_port)),
    "ffmpeg_reader_body_2gb": ffmpeg_body,
    # Media: one-timestamp floods, frame floods, a resolution change, big units.
    "one_timestamp_fragments": after_play(one_timestamp(True)),
    "one_timestamp_slices": after_play(one_timestamp(False)),
    "timestamps_90000fps": after_play(distinct_timestamps),
    "resolution_change": after_play(resolution_change),
    "giant_keyframe": after_play(giant_keyframe),
    "session_id_10000": huge_session,
    "session_timeout_tiny": healthy_with(session_header="7A7A7A7A;timeout=0.001"),
    # Healthy controls: the fixture itself works.
    "healthy": healthy_with(),
    "healthy_auth": healthy_with(require_auth=True),
}


# ---------------------------------------------------------------------------
# Servers


class HostileServer:
    def __init__(self):
        small = encode_clip(320, 240)
        large = encode_clip(640, 480)
        self.clips = {"small": small, "large": large}
        self.parameter_sets = parameter_sets(small)
        self.sdp = sdp_for(*self.parameter_sets)
        self.received = {}
        self.lock = threading.Lock()
        self.listener = self.listen(HOST)
        self.port = self.listener.getsockname()[1]
        self.other = self.listen(OTHER_HOST)
        self.other_port = self.other.getsockname()[1]
        self.other_same_host = self.listen(HOST)
        self.other_port_same_host = self.other_same_host.getsockname()[1]
        for sock, handler in ((self.listener, self.serve_case), (self.other, self.serve_other),
                              (self.other_same_host, self.serve_other)):
            threading.Thread(target=self.accept, args=(sock, handler), daemon=True).start()

    @staticmethod
    def listen(host):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, 0))
        sock.listen(64)
        return sock

    def accept(self, sock, handler):
        while True:
            conn, _ = sock.accept()
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self.guard, args=(conn, handler), daemon=True).start()

    def guard(self, conn, handler):
        try:
            handler(conn)
        except (OSError, Closed, ValueError, IndexError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def serve_case(self, conn):
        request = read_request(conn)
        if request is None:
            return
        case = case_of(request["uri"])
        handler = CASES.get(case)
        if handler is None:
            reply(conn, request, "404 Not Found")
            return
        handler(self, conn, request)

    def serve_other(self, conn):
        """The host the credentials do not belong to: records everything and
        asks for Basic credentials, as a thief would."""
        data = b""
        conn.settimeout(CASE_SECONDS)
        while True:
            try:
                chunk = conn.recv(65536)
            except OSError:
                chunk = b""
            if chunk:
                data += chunk
            text = data.decode("latin-1")
            case = "unknown"
            first = text.split("\r\n", 1)[0].split(" ")
            if len(first) > 1:
                case = case_of(first[1]) or "unknown"
            if data:
                with self.lock:
                    self.received.setdefault(case, [])
                    if chunk:
                        self.received[case].append(chunk.decode("latin-1"))
            if not chunk:
                return
            while b"\r\n\r\n" in data:
                head, _, data = data.partition(b"\r\n\r\n")
                cseq = "1"
                for line in head.decode("latin-1").split("\r\n"):
                    if line.lower().startswith("cseq:"):
                        cseq = line.split(":", 1)[1].strip()
                conn.sendall(("RTSP/1.0 401 Unauthorized\r\nCSeq: %s\r\nWWW-Authenticate: Basic realm=\"other\"\r\n\r\n" % cseq).encode())

    def snapshot(self, case=None):
        with self.lock:
            if case is None:
                return dict(self.received)
            return {case: list(self.received.get(case, []))}


def control_server(hostile):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path != "/received":
                self.send_error(404)
                return
            case = urllib.parse.parse_qs(url.query).get("case", [None])[0]
            body = json.dumps(hostile.snapshot(case)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    try:
        hostile = HostileServer()
    except (OSError, subprocess.CalledProcessError, StopIteration) as error:
        print("hostile-camera: cannot start: %s" % error, file=sys.stderr)
        return 1
    control = control_server(hostile)
    cases = {name: "rtsp://%s:%s@%s:%d/%s" % (USER, urllib.parse.quote(PASSWORD, safe="!"), HOST, hostile.port, name)
             for name in CASES}
    print(json.dumps({
        "port": hostile.port, "other_host": OTHER_HOST, "other_port": hostile.other_port,
        "other_port_same_host": hostile.other_port_same_host, "control_port": control.server_address[1],
        "user": USER, "password": PASSWORD, "cases": cases}), flush=True)
    if "--ignore-stdin" in sys.argv:
        while True:
            time.sleep(3600)
    # Serve until the test process that holds our stdin goes away.
    while os.read(0, 4096):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
