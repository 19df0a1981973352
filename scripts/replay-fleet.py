#!/usr/bin/python3
"""A cheap replay RTSP camera fleet on loopback, for CamProbe's tests and scale runs.

It serves clips made by scripts/scenes.py (``NAME.h264``/``NAME.h265``, Annex-B,
no B-frames, plus ``NAME.json``) from memory at real-time pace. Each clip is
loaded once: split into access units, its keyframes and parameter sets found,
and every access unit packetised into RTP once (RFC 6184 single NAL unit and
FU-A packets; RFC 7798 single NAL unit and FU packets for H.265). Per frame a
session copies the frame's bytes, packs a 16-byte interleaved+RTP header per
packet and writes the frame in one write, so thousands of sessions cost little.

    /usr/bin/python3 scripts/replay-fleet.py --clips DIR \\
        [--camera NAME=CLIP ...] [--clock-offset NAME=SECONDS ...] \\
        [--recorders N --channels C --clip-mix "d1_h264:0.59,1080p_h264:0.41"] \\
        [--session-limit K] [--auth user:password] [--port P] \\
        [--start-gop random|0] [--seed S] [--stats] [--ignore-stdin]

Cameras: ``--camera NAME=CLIP`` serves clip CLIP at rtsp://127.0.0.1:P/NAME.
Scale mode: recorder i gets its own loopback address 127.1.x.y (x = i//250,
y = i%250+1), all on the same port P, with Hikvision-style channel paths
``/Streaming/Channels/{ch}01`` (ch = 1..C). ``--clip-mix`` weights name clips
(``d1_h264`` also finds ``scale_d1_h264``); a recorder's channels all share
one clip (a DVR is all D1, an NVR all 1080p) and the recorders are shared out
by largest remainder, in an order shuffled by ``--seed``.
``--session-limit K`` holds for every listening address: the (K+1)-th
concurrent session's SETUP gets ``453 Not Enough Bandwidth``.
``--auth`` asks for RTSP Digest (MD5, RFC 2617; Basic accepted too) on every
method but OPTIONS.

Playback (``--archive I=DAYS[:FROM-TO,...]``, scale mode): recorder I (0-based)
keeps DAYS days of recordings on every channel, with holes FROM to TO days
back, and serves Hikvision-style playback at ``/Streaming/tracks/{ch}01?
starttime=YYYYMMDDTHHMMSSZ``. Asked for a moment before its earliest
recording it silently plays from the earliest (as real recorders do); inside
a hole, from the hole's end; DAYS 0 is an empty disk (404). The PLAY answer
carries ``Range: clock=<served start>-`` and the RTCP sender reports' NTP time
is the recording's time (served start + the time played), not the wall clock.

RTSP over TCP only: OPTIONS, DESCRIBE, SETUP (RTP/AVP/TCP interleaved; UDP
gets 461), PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER, TEARDOWN; others get 501.
A session starts at a keyframe picked at random among the clip's GOPs
(``--start-gop 0``: the first), with random sequence number, RTP timestamp and
SSRC; frame k is sent at t0 + k/fps (late frames go at once, none skipped);
the clip loops with timestamps and sequence numbers running on. Parameter
sets go in-band before every keyframe. An RTCP sender report goes on the
RTCP channel about once a second, its NTP time the frame's wall clock (plus
``--clock-offset`` for that camera) matched to the frame's RTP timestamp.
A client that stops reading is paused at a bounded buffer and dropped after
~10 s stuck.

When listening it prints one JSON line to stdout:
    {"port": P, "addresses": [...], "cameras": {"NAME": "rtsp://127.0.0.1:P/NAME"},
     "recorders": [{"address": "127.1.0.1", "urls": [...]}, ...]}
Diagnostics go to stderr (``--stats``: one line every 10 s, and one for the
whole run when it stops). It exits when stdin reaches EOF (the test holding
the pipe died) or on SIGTERM/SIGINT; ``--ignore-stdin`` for background runs.

Cost, measured on the 2-core development machine (Python 3.11, loopback, a
reader that discards the bytes, the fleet's own CPU from /proc/PID/stat):
    100 sessions of still_noise_1080p (H.264 1080p, 2.8 Mbit/s, 2500 frames/s):
        ~9 % of one core (6 % user, 3 % kernel: the loopback sends)
    --recorders 1000 --channels 16 --session-limit 4, 800 URLs of 50 recorders
    opened: 200 sessions streaming (D1 1 Mbit/s / 1080p 2 Mbit/s mix, 5000
    frames/s, 38 MB/s) and 600 answered 453: ~14 % of one core
Per frame a session costs one timer callback, one copy of the frame's bytes,
one struct.pack_into per packet and one write.
"""

import argparse
import calendar
import asyncio
import base64
import hashlib
import json
import os
import random
import re
import resource
import secrets
import signal
import socket
import struct
import sys
import threading
import time

MAX_PAYLOAD = 1400          # RTP payload bytes per packet (FU fragments above)
RTP_CLOCK = 90000
PAYLOAD_TYPE = 96
MAX_HEAD = 16384            # bound on an RTSP request head
WRITE_HIGH = 512 * 1024     # transport buffer: pause the stream above this
WRITE_LOW = 128 * 1024
STUCK_SECONDS = 10.0        # drop a session whose client has not read for this long
SESSION_TIMEOUT = 60
REALM = "CamProbe"
NTP_EPOCH = 2208988800

PACKET = struct.Struct(">cBHBBHII")   # '$', channel, length, V=2, M|PT, seq, ts, ssrc
SR = struct.Struct(">cBHBBHIIIIII")   # '$', channel, length, V=2|RC, PT=200, len, ssrc, ntp hi/lo, rtp ts, packets, octets


def log(*parts):
    print("replay-fleet:", *parts, file=sys.stderr, flush=True)


# --- clips --------------------------------------------------------------------

def split_nals(data):
    """NAL units of an Annex-B byte stream (start codes and trailing zeros removed)."""
    nals = []
    starts = []
    i = data.find(b"\x00\x00\x01")
    while i >= 0:
        starts.append(i + 3)
        i = data.find(b"\x00\x00\x01", i + 3)
    for n, s in enumerate(starts):
        end = starts[n + 1] - 3 if n + 1 < len(starts) else len(data)
        nal = data[s:end].rstrip(b"\x00")
        if nal:
            nals.append(nal)
    return nals


def nal_type(codec, nal):
    return (nal[0] >> 1) & 0x3F if codec == "h265" else nal[0] & 0x1F


def is_vcl(codec, t):
    return t < 32 if codec == "h265" else 1 <= t <= 5


def is_first_slice(codec, nal):
    # H.264: first_mb_in_slice ue(v) == 0 is a single 1 bit; H.265: first_slice_segment_in_pic_flag.
    if codec == "h265":
        return len(nal) > 2 and nal[2] & 0x80
    return len(nal) > 1 and nal[1] & 0x80


def starts_next_au(codec, t):
    """Non-VCL NAL types that belong to the access unit of the next picture."""
    if codec == "h265":
        return t in (32, 33, 34, 35, 39) or 41 <= t <= 44 or 48 <= t <= 55
    return t in (6, 7, 8, 9) or 14 <= t <= 18


def split_access_units(codec, nals):
    """Access units in decode order, by AUD or first-slice detection."""
    aus, current, pending = [], [], []
    has_vcl = False
    for nal in nals:
        t = nal_type(codec, nal)
        if is_vcl(codec, t):
            if is_first_slice(codec, nal) and has_vcl:
                aus.append(current)
                current, has_vcl = [], False
            current.extend(pending)
            pending = []
            current.append(nal)
            has_vcl = True
        elif starts_next_au(codec, t):
            pending.append(nal)
        else:
            current.append(nal)   # suffix SEI, filler, end of sequence: this picture's
    if has_vcl:
        aus.append(current + pending)
    return aus


def is_keyframe(codec, au):
    for nal in au:
        t = nal_type(codec, nal)
        if (codec == "h265" and 16 <= t <= 21) or (codec == "h264" and t == 5):
            return True
    return False


PARAMETER_TYPES = {"h264": {7: "sps", 8: "pps"}, "h265": {32: "vps", 33: "sps", 34: "pps"}}
AUD_TYPE = {"h264": 9, "h265": 35}


def rtp_payloads(codec, nal):
    """RTP payloads carrying one NAL unit: itself, or FU-A (H.264) / FU (H.265) fragments."""
    if len(nal) <= MAX_PAYLOAD:
        return [nal]
    out = []
    if codec == "h265":
        header = bytes([(nal[0] & 0x81) | (49 << 1), nal[1]])
        t = (nal[0] >> 1) & 0x3F
        body = nal[2:]
        step = MAX_PAYLOAD - 3
        for off in range(0, len(body), step):
            fu = t | (0x80 if off == 0 else 0) | (0x40 if off + step >= len(body) else 0)
            out.append(header + bytes([fu]) + body[off:off + step])
    else:
        indicator = bytes([(nal[0] & 0xE0) | 28])
        t = nal[0] & 0x1F
        body = nal[1:]
        step = MAX_PAYLOAD - 2
        for off in range(0, len(body), step):
            fu = t | (0x80 if off == 0 else 0) | (0x40 if off + step >= len(body) else 0)
            out.append(indicator + bytes([fu]) + body[off:off + step])
    return out


class Frame:
    """One access unit, packetised: a template of interleaved RTP packets whose
    16-byte headers are packed per session; per packet (offset, RTP length, M|PT)."""
    __slots__ = ("template", "packets", "octets", "keyframe", "size")

    def __init__(self, payloads, keyframe, size):
        parts, packets, off = [], [], 0
        for n, p in enumerate(payloads):
            marker = 0x80 if n == len(payloads) - 1 else 0
            packets.append((off, 12 + len(p), marker | PAYLOAD_TYPE))
            parts.append(bytes(16))
            parts.append(p)
            off += 16 + len(p)
        self.template = b"".join(parts)
        self.packets = tuple(packets)
        self.octets = sum(len(p) for p in payloads)
        self.keyframe = keyframe
        self.size = size


class Clip:
    def __init__(self, directory, name):
        meta_path = os.path.join(directory, name + ".json")
        with open(meta_path) as f:
            self.meta = json.load(f)
        self.name = name
        self.codec = self.meta["codec"]
        if self.codec not in ("h264", "h265"):
            raise ValueError(f"{meta_path}: codec {self.codec!r} is neither h264 nor h265")
        self.width = int(self.meta["width"])
        self.height = int(self.meta["height"])
        self.fps = float(self.meta.get("fps", 25))
        with open(os.path.join(directory, f"{name}.{self.codec}"), "rb") as f:
            data = f.read()
        aus = split_access_units(self.codec, split_nals(data))
        if not aus:
            raise ValueError(f"{name}: no access units")
        kinds = PARAMETER_TYPES[self.codec]
        self.params = {}
        for au in aus:
            for nal in au:
                kind = kinds.get(nal_type(self.codec, nal))
                if kind and kind not in self.params:
                    self.params[kind] = nal
        missing = [k for k in kinds.values() if k not in self.params]
        if missing:
            raise ValueError(f"{name}: no {', '.join(missing)} in the stream")
        param_nals = [self.params[k] for k in kinds.values()]
        self.frames = []
        for au in aus:
            key = is_keyframe(self.codec, au)
            body = [n for n in au if nal_type(self.codec, n) not in kinds
                    and nal_type(self.codec, n) != AUD_TYPE[self.codec]]
            nals = (param_nals + body) if key else body
            payloads = [p for n in nals for p in rtp_payloads(self.codec, n)]
            self.frames.append(Frame(payloads, key, sum(len(n) for n in au)))
        self.keyframes = [i for i, fr in enumerate(self.frames) if fr.keyframe]
        if not self.keyframes or self.keyframes[0] != 0:
            raise ValueError(f"{name}: the clip must start with a keyframe")
        self.ticks = RTP_CLOCK / self.fps

    def sdp(self, address, session_id):
        b64 = lambda n: base64.b64encode(n).decode()  # noqa: E731
        if self.codec == "h265":
            rtpmap = "H265/90000"
            fmtp = (f"sprop-vps={b64(self.params['vps'])};sprop-sps={b64(self.params['sps'])};"
                    f"sprop-pps={b64(self.params['pps'])}")
        else:
            rtpmap = "H264/90000"
            sps = self.params["sps"]
            fmtp = (f"packetization-mode=1;profile-level-id={sps[1:4].hex().upper()};"
                    f"sprop-parameter-sets={b64(sps)},{b64(self.params['pps'])}")
        fps = f"{self.fps:g}"
        return (f"v=0\r\no=- {session_id} 1 IN IP4 {address}\r\ns=CamProbe replay {self.name}\r\n"
                f"c=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\na=range:npt=0-\r\n"
                f"m=video 0 RTP/AVP {PAYLOAD_TYPE}\r\na=rtpmap:{PAYLOAD_TYPE} {rtpmap}\r\n"
                f"a=fmtp:{PAYLOAD_TYPE} {fmtp}\r\na=framerate:{fps}\r\n"
                f"a=control:trackID=0\r\n")


# --- the fleet ----------------------------------------------------------------

class Stats:
    def __init__(self):
        self.sessions = 0
        self.peak = 0      # most sessions at once
        self.frames = 0
        self.bytes = 0
        self.refused = 0   # 453s answered
        self.dropped = 0   # stuck clients dropped


class Camera:
    def __init__(self, name, path, clip, clock_offset=0.0, archive=None):
        self.name = name
        self.path = path
        self.clip = clip
        self.clock_offset = clock_offset
        self.archive = archive   # Archive for playback paths, else None


class Archive:
    """What a recorder keeps: its earliest recording and holes, as Unix times."""
    def __init__(self, spec, now):
        days, _, holes = spec.partition(":")
        self.days = float(days)
        self.earliest = now - self.days * 86400
        self.holes = []
        for item in filter(None, holes.split(",")):
            start, _, end = item.partition("-")
            self.holes.append((now - float(start) * 86400, now - float(end) * 86400))

    def served(self, asked, now):
        """The recorded moment playback starts at when `asked` is asked for; None: nothing recorded."""
        if self.days <= 0:
            return None
        t = min(max(asked, self.earliest), now - 10)
        for start, end in self.holes:
            if start <= t < end:
                t = end
        return t


def parse_starttime(uri):
    m = re.search(r"[?&]starttime=(\d{8}T\d{6})Z", uri)
    if not m:
        return None
    return calendar.timegm(time.strptime(m.group(1), "%Y%m%dT%H%M%S"))


class Address:
    """One listening address (a camera host or a recorder): its paths and its sessions."""
    def __init__(self, host):
        self.host = host
        self.paths = {}       # "/Streaming/Channels/101" -> Camera
        self.sessions = 0


class Fleet:
    def __init__(self, args, stats):
        self.args = args
        self.stats = stats
        self.addresses = {}
        self.port = 0
        self.auth = None
        if args.auth:
            user, sep, password = args.auth.partition(":")
            if not sep:
                raise SystemExit("--auth wants user:password")
            self.auth = (user, password)
        self.nonces = {}   # issued Digest nonces (bounded)
        self.session_counter = 0
        self.seed = args.seed if args.seed is not None else secrets.randbits(64)
        self.wall_anchor = time.time()
        self.mono_anchor = asyncio.get_running_loop().time()

    def address(self, host):
        return self.addresses.setdefault(host, Address(host))

    def new_nonce(self):
        nonce = secrets.token_hex(16)
        self.nonces[nonce] = True
        if len(self.nonces) > 10000:
            for old in list(self.nonces)[:5000]:
                del self.nonces[old]
        return nonce

    def session_rng(self):
        self.session_counter += 1
        return random.Random(f"{self.seed}:{self.session_counter}")

    def wall_clock(self, mono):
        return self.wall_anchor + (mono - self.mono_anchor)


class Stream:
    """One PLAYing session's media: frames at t0 + k/fps, RTCP SR about once a second."""

    def __init__(self, conn, camera, rng, rtp_channel, rtcp_channel, start_gop):
        self.conn = conn
        self.camera = camera
        self.clip = camera.clip
        self.loop = conn.loop
        self.seq = rng.getrandbits(16)
        self.ts0 = rng.getrandbits(32)
        self.ssrc = rng.getrandbits(32)
        self.ch = rtp_channel
        self.rtcp_ch = rtcp_channel
        keyframes = self.clip.keyframes
        self.index = keyframes[0] if start_gop == "0" else rng.choice(keyframes)
        self.k = 0
        self.t0 = None
        self.handle = None
        self.playing = False
        self.waiting = False     # paused by the transport (client not reading)
        self.stuck_since = None
        self.last_sr = None
        self.recorded_base = conn.playback_start   # playback: the recording's time at frame 0
        self.packets = 0
        self.octets = 0

    def rtp_time(self, k=None):
        k = self.k if k is None else k
        return (self.ts0 + round(k * self.clip.ticks)) & 0xFFFFFFFF

    def play(self):
        if self.playing:
            return
        self.playing = True
        # Resume where PAUSE left off: frame k is due now.
        self.t0 = self.loop.time() - self.k / self.clip.fps
        self.handle = self.loop.call_soon(self.tick)

    def pause(self):
        self.playing = False
        if self.handle:
            self.handle.cancel()
            self.handle = None

    stop = pause

    def resumed(self):
        if self.waiting and self.playing:
            self.waiting = False
            self.stuck_since = None
            self.handle = self.loop.call_soon(self.tick)

    def tick(self):
        self.handle = None
        if not self.playing or self.conn.closed:
            return
        loop = self.loop
        now = loop.time()
        if self.conn.write_paused:
            if self.stuck_since is None:
                self.stuck_since = now
            if now - self.stuck_since >= STUCK_SECONDS:
                log(f"dropping a session of {self.camera.name}: its client has not read for {STUCK_SECONDS:.0f} s")
                self.conn.fleet.stats.dropped += 1
                self.conn.abort()
                return
            self.waiting = True
            self.handle = loop.call_later(1.0, self.tick)   # watchdog; resume_writing comes sooner
            return
        self.stuck_since = None
        clip = self.clip
        frame = clip.frames[self.index]
        ts = self.rtp_time()
        buf = bytearray(frame.template)
        pack = PACKET.pack_into
        seq, ch, ssrc = self.seq, self.ch, self.ssrc
        for off, length, mpt in frame.packets:
            pack(buf, off, b"$", ch, length, 0x80, mpt, seq, ts, ssrc)
            seq = (seq + 1) & 0xFFFF
        self.seq = seq
        due = self.t0 + self.k / clip.fps
        if self.last_sr is None or now - self.last_sr >= 1.0:
            self.last_sr = now
            if self.recorded_base is not None:
                wall = self.recorded_base + (due - self.t0) + NTP_EPOCH
            else:
                wall = self.conn.fleet.wall_clock(due) + self.camera.clock_offset + NTP_EPOCH
            hi = int(wall)
            lo = int((wall - hi) * 4294967296.0) & 0xFFFFFFFF
            sr = SR.pack(b"$", self.rtcp_ch, 28, 0x80, 200, 6, ssrc, hi & 0xFFFFFFFF, lo, ts,
                         self.packets & 0xFFFFFFFF, self.octets & 0xFFFFFFFF)
            self.conn.transport.write(sr + buf)
        else:
            self.conn.transport.write(buf)
        self.packets += len(frame.packets)
        self.octets += frame.octets
        stats = self.conn.fleet.stats
        stats.frames += 1
        stats.bytes += len(buf)
        self.k += 1
        self.index += 1
        if self.index >= len(clip.frames):
            self.index = 0
        # Never ahead of time; when late the frame goes at once (call_at in the past), none skipped.
        self.handle = loop.call_at(self.t0 + self.k / clip.fps, self.tick)


AUTH_PARAM = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))')


class Connection(asyncio.Protocol):
    def __init__(self, fleet, address):
        self.fleet = fleet
        self.address = address
        self.loop = asyncio.get_running_loop()
        self.buf = bytearray()
        self.transport = None
        self.closed = False
        self.write_paused = False
        self.session_id = None
        self.camera = None
        self.stream = None
        self.channels = (0, 1)
        self.playback_start = None   # playback: the recorded moment DESCRIBE chose

    # transport callbacks
    def connection_made(self, transport):
        self.transport = transport
        transport.set_write_buffer_limits(high=WRITE_HIGH, low=WRITE_LOW)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass

    def connection_lost(self, exc):
        self.closed = True
        self.end_session()

    def pause_writing(self):
        self.write_paused = True

    def resume_writing(self):
        self.write_paused = False
        if self.stream:
            self.stream.resumed()

    def abort(self):
        self.closed = True
        self.end_session()
        if self.transport:
            self.transport.abort()

    def end_session(self):
        if self.stream:
            self.stream.stop()
            self.stream = None
        if self.session_id is not None:
            self.session_id = None
            self.address.sessions -= 1
            self.fleet.stats.sessions -= 1

    def data_received(self, data):
        self.buf += data
        while not self.closed:
            buf = self.buf
            # Stray line ends between messages.
            skip = 0
            while skip < len(buf) and buf[skip] in (0x0D, 0x0A):
                skip += 1
            if skip:
                del buf[:skip]
            if not buf:
                return
            if buf[0] == 0x24:   # '$': interleaved data from the client (RTCP receiver reports): ignored
                if len(buf) < 4:
                    return
                n = 4 + int.from_bytes(buf[2:4], "big")
                if len(buf) < n:
                    return
                del buf[:n]
                continue
            end = buf.find(b"\r\n\r\n")
            if end < 0 or end > MAX_HEAD:
                if end > MAX_HEAD or len(buf) > MAX_HEAD:
                    log("closing a connection: request head over", MAX_HEAD, "bytes")
                    self.abort()
                return
            head = bytes(buf[:end]).decode("latin-1")
            lines = head.split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, sep, value = line.partition(":")
                if sep:
                    headers[name.strip().lower()] = value.strip()
            try:
                length = int(headers.get("content-length", "0"))
            except ValueError:
                length = -1
            if length < 0 or length > MAX_HEAD:
                self.abort()
                return
            if len(buf) < end + 4 + length:
                return
            del buf[:end + 4 + length]
            self.request(lines[0], headers)

    # RTSP
    def reply(self, status, reason, headers, cseq, body=b""):
        out = [f"RTSP/1.0 {status} {reason}", f"CSeq: {cseq}", "Server: CamProbe-Replay/1.0",
               "Date: " + time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())]
        out += [f"{k}: {v}" for k, v in headers]
        if body:
            out.append(f"Content-Length: {len(body)}")
        self.transport.write(("\r\n".join(out) + "\r\n\r\n").encode() + body)

    def lookup(self, uri):
        """The camera a request URI names, with any track control suffix removed."""
        path = uri
        m = re.match(r"^rtsps?://[^/]*", path)
        if m:
            path = path[m.end():]
        path = path.split("?", 1)[0]
        path = "/" + path.strip("/")
        cams = self.address.paths
        if path in cams:
            return cams[path]
        head, _, last = path.rpartition("/")
        if last.lower().startswith("trackid=") or last.lower().startswith("track"):
            return cams.get(head or "/")
        return None

    def authorized(self, method, headers):
        if self.fleet.auth is None:
            return True
        user, password = self.fleet.auth
        value = headers.get("authorization", "")
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "basic":
            try:
                got = base64.b64decode(rest.strip(), validate=True).decode("utf-8")
            except Exception:
                return False
            return got == f"{user}:{password}"
        if scheme.lower() != "digest":
            return False
        p = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
             for m in AUTH_PARAM.finditer(rest)}
        if p.get("username") != user or p.get("realm") != REALM or p.get("nonce") not in self.fleet.nonces:
            return False
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"{user}:{REALM}:{password}")
        ha2 = md5(f"{method}:{p.get('uri', '')}")
        if p.get("qop"):
            expected = md5(f"{ha1}:{p['nonce']}:{p.get('nc', '')}:{p.get('cnonce', '')}:{p['qop']}:{ha2}")
        else:
            expected = md5(f"{ha1}:{p['nonce']}:{ha2}")
        return secrets.compare_digest(expected, (p.get("response") or "").lower())

    def request(self, line, headers):
        parts = line.split()
        cseq = headers.get("cseq", "0")
        if len(parts) != 3 or not parts[2].startswith("RTSP/"):
            self.reply(400, "Bad Request", [], cseq)
            return
        method, uri, _ = parts
        session_header = headers.get("session", "").split(";", 1)[0].strip()
        if method != "OPTIONS" and not self.authorized(method, headers):
            nonce = self.fleet.new_nonce()
            self.reply(401, "Unauthorized", [
                ("WWW-Authenticate", f'Digest realm="{REALM}", nonce="{nonce}", algorithm="MD5"'),
                ("WWW-Authenticate", f'Basic realm="{REALM}"')], cseq)
            return
        if session_header and method not in ("OPTIONS", "DESCRIBE") and session_header != self.session_id:
            self.reply(454, "Session Not Found", [], cseq)
            return
        session = [("Session", f"{self.session_id};timeout={SESSION_TIMEOUT}")] if self.session_id else []
        if method == "OPTIONS":
            self.reply(200, "OK", [("Public", "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, "
                                             "GET_PARAMETER, SET_PARAMETER")] + session, cseq)
        elif method == "DESCRIBE":
            camera = self.lookup(uri)
            if camera is None:
                self.reply(404, "Not Found", [], cseq)
                return
            if camera.archive is not None:
                asked = parse_starttime(uri)
                served = camera.archive.served(asked if asked is not None else time.time(), time.time())
                if served is None:
                    self.reply(404, "Not Found", [], cseq)
                    return
                self.playback_start = served
            base = f"rtsp://{self.address.host}:{self.fleet.port}{camera.path}/"
            sdp = camera.clip.sdp(self.address.host, abs(hash(camera.name)) % 10**9).encode()
            self.reply(200, "OK", [("Content-Base", base), ("Content-Type", "application/sdp")], cseq, sdp)
        elif method == "SETUP":
            self.setup(uri, headers, cseq)
        elif method == "PLAY":
            if self.session_id is None or self.stream is None:
                self.reply(455, "Method Not Valid in This State", [], cseq)
                return
            stream = self.stream
            url = f"rtsp://{self.address.host}:{self.fleet.port}{self.camera.path}/trackID=0"
            if self.playback_start is not None:
                clock = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.playback_start))
                play_range = f"clock={clock}-"
            else:
                play_range = "npt=0.000-"
            self.reply(200, "OK", session + [
                ("Range", play_range),
                ("RTP-Info", f"url={url};seq={stream.seq};rtptime={stream.rtp_time()}")], cseq)
            stream.play()
        elif method == "PAUSE":
            if self.stream is None:
                self.reply(455, "Method Not Valid in This State", [], cseq)
                return
            self.stream.pause()
            self.reply(200, "OK", session, cseq)
        elif method in ("GET_PARAMETER", "SET_PARAMETER"):
            self.reply(200, "OK", session, cseq)
        elif method == "TEARDOWN":
            self.end_session()
            self.reply(200, "OK", [], cseq)
        else:
            self.reply(501, "Not Implemented", [], cseq)

    def setup(self, uri, headers, cseq):
        camera = self.lookup(uri)
        if camera is None:
            self.reply(404, "Not Found", [], cseq)
            return
        transport = headers.get("transport", "")
        specs = [t.strip() for t in transport.split(",")]
        chosen = next((t for t in specs if t.upper().startswith("RTP/AVP/TCP") or "interleaved=" in t.lower()), None)
        if chosen is None:
            self.reply(461, "Unsupported Transport", [], cseq)
            return
        if self.session_id is not None:
            # One video track per camera: a second SETUP in the session only restates it.
            if self.camera is not camera:
                self.reply(459, "Aggregate Operation Not Allowed", [], cseq)
                return
        else:
            limit = self.fleet.args.session_limit
            if limit and self.address.sessions >= limit:
                self.fleet.stats.refused += 1
                self.reply(453, "Not Enough Bandwidth", [], cseq)
                return
            self.address.sessions += 1
            stats = self.fleet.stats
            stats.sessions += 1
            stats.peak = max(stats.peak, stats.sessions)
            self.session_id = secrets.token_hex(8).upper()
            self.camera = camera
            m = re.search(r"interleaved=(\d+)(?:-(\d+))?", chosen)
            rtp = int(m.group(1)) if m else 0
            rtcp = int(m.group(2)) if m and m.group(2) else rtp + 1
            self.channels = (rtp & 0xFF, rtcp & 0xFF)
            self.stream = Stream(self, camera, self.fleet.session_rng(), self.channels[0], self.channels[1],
                                 self.fleet.args.start_gop)
        rtp, rtcp = self.channels
        self.reply(200, "OK", [
            ("Transport", f"RTP/AVP/TCP;unicast;interleaved={rtp}-{rtcp};ssrc={self.stream.ssrc:08X};mode=\"PLAY\""),
            ("Session", f"{self.session_id};timeout={SESSION_TIMEOUT}")], cseq)


# --- set-up -------------------------------------------------------------------

def recorder_address(i):
    return f"127.1.{i // 250}.{i % 250 + 1}"


def share_out(n, weights):
    """Counts per weight summing to n, by largest remainder."""
    total = sum(w for _, w in weights)
    exact = [(name, n * w / total) for name, w in weights]
    counts = {name: int(x) for name, x in exact}
    rest = n - sum(counts.values())
    for name, x in sorted(exact, key=lambda e: e[1] - int(e[1]), reverse=True)[:rest]:
        counts[name] += 1
    return counts


def resolve_clip(directory, name):
    for candidate in (name, "scale_" + name):
        if os.path.exists(os.path.join(directory, candidate + ".json")):
            return candidate
    raise SystemExit(f"replay-fleet: no clip {name!r} (nor scale_{name}) in {directory}")


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 1 << 20, hard))
        except (ValueError, OSError):
            pass


async def listen(fleet, hosts, port):
    """Bind every host on one port: the first on `port` (0: a free one), the rest on the same number."""
    loop = asyncio.get_running_loop()
    for attempt in range(20):
        servers = []
        try:
            chosen = port
            for host in hosts:
                address = fleet.address(host)
                server = await loop.create_server(lambda a=address: Connection(fleet, a), host, chosen,
                                                  reuse_address=True, backlog=256)
                servers.append(server)
                if chosen == 0:
                    chosen = server.sockets[0].getsockname()[1]
            return chosen, servers
        except OSError as e:
            for s in servers:
                s.close()
            if port != 0 or attempt == 19:
                raise SystemExit(f"replay-fleet: cannot listen: {e}")
    raise SystemExit("replay-fleet: cannot listen")


async def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clips", required=True, help="directory of clips made by scripts/scenes.py")
    p.add_argument("--camera", action="append", default=[], metavar="NAME=CLIP")
    p.add_argument("--clock-offset", action="append", default=[], metavar="NAME=SECONDS")
    p.add_argument("--recorders", type=int, default=0)
    p.add_argument("--channels", type=int, default=16)
    p.add_argument("--clip-mix", default="d1_h264:0.59,1080p_h264:0.41")
    p.add_argument("--session-limit", type=int, default=0, help="concurrent sessions per address (0: no limit)")
    p.add_argument("--archive", action="append", default=[], metavar="I=DAYS[:FROM-TO,...]",
                   help="recorder I keeps DAYS days (holes FROM-TO days back) and serves playback")
    p.add_argument("--auth", help="user:password: RTSP Digest (and Basic) on every method but OPTIONS")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--start-gop", choices=["random", "0"], default="random")
    p.add_argument("--seed", type=int, help="seeds sessions and the recorders' clip order (default: random)")
    p.add_argument("--stats", action="store_true", help="a stats line on stderr every 10 s")
    p.add_argument("--ignore-stdin", action="store_true", help="do not exit when stdin reaches end of file")
    args = p.parse_args()
    if not args.camera and not args.recorders:
        p.error("nothing to serve: give --camera NAME=CLIP or --recorders N")

    raise_fd_limit()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if not args.ignore_stdin:
        def watch_stdin():
            # os.read, not sys.stdin: a daemon thread blocked in a buffered reader
            # aborts the interpreter's shutdown.
            try:
                while os.read(0, 65536):
                    pass
            except OSError:
                pass
            loop.call_soon_threadsafe(stop.set)
        threading.Thread(target=watch_stdin, daemon=True).start()

    stats = Stats()
    fleet = Fleet(args, stats)
    clips = {}

    def clip(name):
        if name not in clips:
            started = time.monotonic()
            try:
                clips[name] = Clip(args.clips, name)
            except (OSError, ValueError, KeyError, json.JSONDecodeError) as e:
                raise SystemExit(f"replay-fleet: cannot load clip {name!r} from {args.clips}: {e}")
            c = clips[name]
            log(f"clip {name}: {c.codec} {c.width}x{c.height} {len(c.frames)} frames, "
                f"{len(c.keyframes)} GOPs, loaded in {time.monotonic() - started:.2f} s")
        return clips[name]

    offsets = {}
    for spec in args.clock_offset:
        name, sep, value = spec.partition("=")
        if not sep:
            p.error(f"--clock-offset {spec!r}: want NAME=SECONDS")
        offsets[name] = float(value)

    archives = {}
    for spec in args.archive:
        index, sep, value = spec.partition("=")
        try:
            archives[int(index)] = Archive(value, time.time())
        except ValueError:
            p.error(f"--archive {spec!r}: want I=DAYS[:FROM-TO,...]")

    hosts = []
    cameras = {}
    if args.camera:
        host = "127.0.0.1"
        hosts.append(host)
        for spec in args.camera:
            name, sep, clip_name = spec.partition("=")
            if not sep or not name or "/" in name:
                p.error(f"--camera {spec!r}: want NAME=CLIP")
            fleet.address(host).paths["/" + name] = Camera(name, "/" + name, clip(clip_name), offsets.get(name, 0.0))
            cameras[name] = None
    recorders = []
    if args.recorders:
        weights = []
        for item in args.clip_mix.split(","):
            name, _, w = item.strip().partition(":")
            weights.append((resolve_clip(args.clips, name), float(w or 1)))
        counts = share_out(args.recorders, weights)
        order = [name for name, _ in weights for _ in range(counts[name])]
        random.Random(fleet.seed).shuffle(order)
        for i in range(args.recorders):
            host = recorder_address(i)
            hosts.append(host)
            c = clip(order[i])
            address = fleet.address(host)
            archive = archives.get(i)
            for ch in range(1, args.channels + 1):
                path = f"/Streaming/Channels/{ch}01"
                address.paths[path] = Camera(f"{host}{path}", path, c, offsets.get(f"{host}{path}", 0.0))
                if archive is not None:
                    track = f"/Streaming/tracks/{ch}01"
                    address.paths[track] = Camera(f"{host}{track}", track, c, 0.0, archive)
            recorders.append({"address": host, "clip": order[i],
                              "urls": None})

    port, servers = await listen(fleet, hosts, args.port)
    fleet.port = port
    for name in cameras:
        cameras[name] = f"rtsp://127.0.0.1:{port}/{name}"
    for r in recorders:
        paths = fleet.address(r["address"]).paths
        r["urls"] = [f"rtsp://{r['address']}:{port}{path}" for path, cam in paths.items() if cam.archive is None]
        playback = [f"rtsp://{r['address']}:{port}{path}" for path, cam in paths.items() if cam.archive is not None]
        if playback:
            r["playback"] = playback
    out = {"port": port, "addresses": hosts, "cameras": cameras}
    if recorders:
        out["recorders"] = recorders
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    log(f"listening on port {port} at {len(hosts)} address(es): {len(cameras)} camera(s), "
        f"{len(recorders)} recorder(s) of {args.channels if recorders else 0} channels")

    def stats_line(since):
        now = (time.monotonic(), stats.frames, stats.bytes, time.process_time())
        dt = max(1e-6, now[0] - since[0])
        log(f"stats: sessions={stats.sessions} peak={stats.peak} frames/s={(now[1] - since[1]) / dt:.0f} "
            f"bytes/s={(now[2] - since[2]) / dt:.0f} refused_453={stats.refused} "
            f"dropped={stats.dropped} cpu={100 * (now[3] - since[3]) / dt:.1f}%")
        return now

    async def report():
        last = (time.monotonic(), stats.frames, stats.bytes, time.process_time())
        while True:
            await asyncio.sleep(10)
            last = stats_line(last)

    started = (time.monotonic(), 0, 0, time.process_time())
    reporter = asyncio.create_task(report()) if args.stats else None
    await stop.wait()
    if reporter:
        reporter.cancel()
        stats_line(started)   # the whole run: rates and CPU since listening
    for s in servers:
        s.close()
    log("stopping")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
