#!/usr/bin/python3
"""A fleet of fake surveillance cameras on loopback, for CamProbe's tests.

Run with the system Python (it needs PyGObject and GStreamer's RTSP server):

    /usr/bin/python3 scripts/fleet.py [--host 127.0.0.1] [--scale N] [--own-addresses [PREFIX]]

Every server binds an OS-chosen free port.  With --own-addresses every named
camera below gets a loopback address of its own, PREFIX.1, PREFIX.2, ...
(default PREFIX 127.0.1; all of 127/8 is loopback on Linux), as a school's
cameras each have theirs: a prober's per-device session limit and failure
domain then see separate devices.  The --scale cameras stay on --host, like
the channels of one recorder.  When everything is ready the
fleet prints exactly one line of JSON to stdout, e.g.

    {"rtsp_port": 41234, "auth_port": 41235, "silent_port": 41236,
     "closed_port": 41237, "http_port": 41238, "file_dir": "/tmp/fleet-x",
     "cameras": {"h264_1080p25": "rtsp://127.0.0.1:41234/h264_1080p25", ...}}

All diagnostics go to stderr.  The fleet exits (and removes its temp dir)
when its stdin reaches EOF -- so a test that starts it with a stdin pipe
takes it down when the test process goes away -- or on SIGTERM/SIGINT.
Pass --ignore-stdin to run it in the background with stdin at /dev/null.

Cameras (RTSP mount = name, on rtsp_port unless noted):
  h264_1080p25   moving smpte 1920x1080 25 fps  H.264 GOP 25  2048 kbit/s
  h265_1080p25   moving smpte 1920x1080 25 fps  H.265 GOP 25  2048 kbit/s
  h264_720p12_5  moving smpte 1280x720 12.5 fps H.264 GOP 25  1024 kbit/s
  h264_d1        moving smpte  704x576 25 fps   H.264 GOP 50  1024 kbit/s
  h264_5fps      moving smpte 1280x720  5 fps   H.264 GOP 5    512 kbit/s
  black          black        1280x720 25 fps   H.264 GOP 25
  nosignal_blue  uniform blue  704x576 25 fps   H.264 GOP 25
  frozen         static smpte 1280x720 25 fps   H.264 GOP 25 (one frame
                 repeated by imagefreeze, constant QP): every decoded frame
                 is bit-identical
  blurred        moving smpte 1280x720 25 fps, defocused (gaussianblur on a
                 160x90 copy, scaled back up bilinearly), H.264 GOP 25
  stalls         moving smpte 1280x720 25 fps H.264 GOP 25; after the first
                 25 frames (1 s) no more media is sent, but the RTSP session
                 stays open (no EOS, no RTCP BYE)
  with_audio     moving smpte 1280x720 25 fps H.264 GOP 25 + PCMA 8 kHz mono
  udp_only       moving smpte 1280x720 25 fps H.264 GOP 25, RTP over UDP
                 only: SETUP with interleaved TCP gets 461 Unsupported Transport
  sim/0..N-1     (--scale N) moving 640x360 10 fps H.264 GOP 10 256 kbit/s
  auth_ok / auth_missing / auth_wrong
                 second server (auth_port), mount /h264_720p, user admin,
                 password s3cret, Basic and Digest
  not_found      rtsp_port, /no_such_path -> 404
  silent         TCP port that accepts and never says a word
  closed         TCP port nobody listens on
  busy           fake DVR answering DESCRIBE with 503 Service Unavailable (session slots full)
  garbage        a web server (HTTP 400 to everything) where the camera should be
  redirect       answers DESCRIBE with 302 Moved Temporarily, Location: the
                 h264_720p12_5 camera (what some NVR front ends do)
  http_mjpeg     HTTP multipart MJPEG, 640x480 10 fps, endless
  http_ts        HTTP MPEG-TS file, H.264 1280x720 25 fps 4 s GOP 25
  (http_port)/sessions  JSON count of RTSP sessions each server holds
  file_mp4       file: H.264 1280x720 25 fps 4 s GOP 25 (mp4)
"""

import argparse
import urllib.parse
import http.server
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

AUTH_USER = "admin"
AUTH_PASSWORD = "s3cret"
MJPEG_BOUNDARY = "camprobefleetboundary"


def log(*args):
    print("fleet:", *args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Pipeline descriptions


def _h264(key_int, bitrate=None, quantizer=None):
    enc = "x264enc speed-preset=ultrafast tune=zerolatency key-int-max=%d" % key_int
    if quantizer is not None:
        # Constant quantizer: identical input gives identical output, so a
        # static picture decodes to bit-identical frames (keyframes included).
        enc += " pass=quant quantizer=%d" % quantizer
    else:
        enc += " bitrate=%d" % bitrate
    return enc + " ! rtph264pay name=pay0"


def _h265(key_int, bitrate):
    return ("x265enc speed-preset=ultrafast tune=zerolatency key-int-max=%d "
            "bitrate=%d ! rtph265pay name=pay0" % (key_int, bitrate))


def _src(width, height, rate, pattern="smpte", speed=4, name="src"):
    return ("videotestsrc name=%s is-live=true pattern=%s horizontal-speed=%d ! "
            "video/x-raw,format=I420,width=%d,height=%d,framerate=%s,"
            "pixel-aspect-ratio=1/1 ! " % (name, pattern, speed, width, height, rate))


def _blurred_src(width, height, rate):
    # A real gaussianblur at 1280x720 runs at ~7 fps here, far from real
    # time.  Blur a 1/8-size copy instead (sigma 1.2 there is ~10 px at full
    # size) and scale it back up bilinearly: a soft, defocused picture for a
    # few ms of CPU per frame.
    return (_src(width, height, rate) +
            "videoscale method=bilinear ! video/x-raw,width=%d,height=%d ! "
            "videoconvert ! gaussianblur sigma=1.2 ! videoconvert ! "
            "video/x-raw,format=I420 ! videoscale method=bilinear ! "
            "video/x-raw,width=%d,height=%d,pixel-aspect-ratio=1/1 ! "
            % (width // 8, height // 8, width, height))


def _frozen_src(width, height, rate):
    # videotestsrc's smpte pattern has a patch of random noise in it, so even
    # with horizontal-speed=0 no two frames are alike.  Take one frame and
    # repeat it in real time instead.
    return ("videotestsrc name=src pattern=smpte horizontal-speed=0 num-buffers=1 ! "
            "video/x-raw,format=I420,width=%d,height=%d,pixel-aspect-ratio=1/1 ! "
            "imagefreeze is-live=true ! video/x-raw,framerate=%s ! " % (width, height, rate))


def _audio():
    return (" audiotestsrc is-live=true wave=sine freq=440 volume=0.3 ! "
            "audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1")


CAMERAS = [
    ("h264_1080p25", _src(1920, 1080, "25/1") + _h264(25, 2048)),
    ("h265_1080p25", _src(1920, 1080, "25/1") + _h265(25, 2048)),
    ("h264_720p12_5", _src(1280, 720, "25/2") + _h264(25, 1024)),
    ("h264_d1", _src(704, 576, "25/1") + _h264(50, 1024)),
    ("h264_5fps", _src(1280, 720, "5/1") + _h264(5, 512)),
    ("black", _src(1280, 720, "25/1", pattern="black", speed=0) + _h264(25, 1024)),
    ("nosignal_blue", _src(704, 576, "25/1", pattern="blue", speed=0) + _h264(25, 1024)),
    ("frozen", _frozen_src(1280, 720, "25/1") + _h264(25, quantizer=23)),
    ("blurred", _blurred_src(1280, 720, "25/1") + _h264(25, 1024)),
    ("stalls", _src(1280, 720, "25/1") + _h264(25, 1024)),
    ("with_audio", _src(1280, 720, "25/1") + _h264(25, 1024) + _audio()),
    ("udp_only", _src(1280, 720, "25/1") + _h264(25, 1024)),
]

# Mounts that refuse RTP interleaved over TCP (461 to such a SETUP).
UDP_ONLY = {"udp_only"}

STALL_AFTER_FRAMES = 25

SIM_LAUNCH = "( " + _src(640, 360, "10/1") + _h264(10, 256) + " )"

AUTH_LAUNCH = "( " + _src(1280, 720, "25/1") + _h264(25, 1024) + " )"

# Cameras of the auth server, of a scripted/silent/closed port each, of the HTTP server.
AUTH_CAMERAS = ["auth_ok", "auth_missing", "auth_wrong"]
OWN_SERVER_CAMERAS = ["silent", "closed", "busy", "garbage", "redirect"]
HTTP_CAMERAS = ["http_mjpeg", "http_ts"]


# --------------------------------------------------------------------------
# RTSP


def _factory(launch):
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(False)  # encode only while a client is connected
    return factory


def _stall_after(media, frames):
    """Drop every video buffer after the first `frames` at the source.

    Nothing reaches the encoder any more, so no RTP is sent, but the pipeline
    stays PLAYING: no EOS, no RTCP BYE, the RTSP session stays up.
    """
    src = media.get_element().get_by_name("src")
    count = [0]

    def probe(_pad, _info):
        count[0] += 1
        if count[0] > frames:
            return Gst.PadProbeReturn.DROP
        return Gst.PadProbeReturn.OK

    src.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, probe)


def _vary_motion(media, counter):
    """Give each session its own scroll speed.

    Every session builds a fresh pipeline, so without this the picture N
    seconds into any session would be the same picture, which a prober that
    compares with its previous probe rightly calls frozen. A real camera's
    scene does not restart when a client connects.
    """
    src = media.get_element().get_by_name("src")
    if src is None or src.get_factory().get_name() != "videotestsrc":
        return
    counter[0] += 1
    src.set_property("horizontal-speed", 3 + counter[0] % 5)


def _server(host, thread_pool_size=16):
    server = GstRtspServer.RTSPServer()
    server.set_address(host)
    server.set_service("0")
    server.set_backlog(128)
    pool = server.get_thread_pool()
    pool.set_max_threads(thread_pool_size)
    return server


def _attach(server):
    if server.attach(None) == 0:
        raise RuntimeError("could not attach RTSP server")
    port = server.get_bound_port()
    if port <= 0:
        raise RuntimeError("RTSP server has no bound port")
    return port


def make_alias_server(primary, host):
    """Another address serving `primary`'s mounts (and its auth, if any)."""
    server = _server(host)
    server.set_mount_points(primary.get_mount_points())
    if primary.get_auth() is not None:
        server.set_auth(primary.get_auth())
    return server


def serve_on(addresses, primary_host, make_primary, make_alias):
    """One server per distinct address, in first-seen order: {address: (server, port)}.
    The primary (made by `make_primary`) listens on `primary_host`; every other
    address gets `make_alias(primary, address)`."""
    primary = make_primary(primary_host)
    servers = {primary_host: (primary, _attach(primary))}
    for address in addresses:
        if address not in servers:
            server = make_alias(primary, address)
            servers[address] = (server, _attach(server))
    return servers


def own_addresses(names, prefix):
    """Each name a loopback address of its own: PREFIX.1, PREFIX.2, ..."""
    if len(names) > 254:
        raise ValueError("more than 254 cameras for one --own-addresses prefix")
    return {name: "%s.%d" % (prefix, i + 1) for i, name in enumerate(names)}


def make_main_server(host, scale):
    server = _server(host)
    mounts = server.get_mount_points()
    for name, launch in CAMERAS:
        factory = _factory("( " + launch + " )")
        if name != "frozen":
            factory.connect("media-configure",
                            lambda _f, media, counter=[0]: _vary_motion(media, counter))
        if name == "stalls":
            factory.connect("media-configure",
                            lambda _f, media: _stall_after(media, STALL_AFTER_FRAMES))
        if name in UDP_ONLY:
            factory.set_protocols(GstRtsp.RTSPLowerTrans.UDP)
        mounts.add_factory("/" + name, factory)
    for i in range(scale):
        factory = _factory(SIM_LAUNCH)
        factory.connect("media-configure",
                        lambda _f, media, counter=[i]: _vary_motion(media, counter))
        mounts.add_factory("/sim/%d" % i, factory)
    return server


def _enable_basic_and_digest(auth):
    """auth.set_supported_methods(BASIC | DIGEST).

    GstRTSPAuthMethod is a flags value in C but an enum in the 1.22 GIR, so
    PyGObject refuses BASIC | DIGEST (3).  Call the C function directly.
    """
    want = int(GstRtsp.RTSPAuthMethod.BASIC) | int(GstRtsp.RTSPAuthMethod.DIGEST)
    try:
        import ctypes
        lib = ctypes.CDLL("libgstrtspserver-1.0.so.0")
        capsule_ptr = ctypes.pythonapi.PyCapsule_GetPointer
        capsule_ptr.restype = ctypes.c_void_p
        capsule_ptr.argtypes = [ctypes.py_object, ctypes.c_char_p]
        fn = lib.gst_rtsp_auth_set_supported_methods
        fn.argtypes = [ctypes.c_void_p, ctypes.c_int]
        fn.restype = None
        fn(capsule_ptr(auth.__gpointer__, None), want)
    except Exception as exc:  # noqa: BLE001
        log("auth: cannot enable Digest (%s); Basic only" % exc)
        return
    if int(auth.get_supported_methods()) != want:
        log("auth: supported methods are %r, wanted Basic+Digest"
            % auth.get_supported_methods())


def make_auth_server(host):
    server = _server(host, thread_pool_size=4)
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(AUTH_USER, AUTH_PASSWORD), token)
    auth.add_digest(AUTH_USER, AUTH_PASSWORD, token)
    _enable_basic_and_digest(auth)
    server.set_auth(auth)

    factory = _factory(AUTH_LAUNCH)
    factory.add_role_from_structure(Gst.Structure.new_from_string(
        "user, %s=(boolean)true, %s=(boolean)true" % (
            GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS,
            GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT)))
    server.get_mount_points().add_factory("/h264_720p", factory)
    return server


# --------------------------------------------------------------------------
# Files generated at startup (non-live, as fast as the CPU allows)


def run_to_eos(launch, what):
    t0 = time.monotonic()
    pipeline = Gst.parse_launch(launch)
    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PLAYING)
    msg = None
    try:
        # Short waits, so that SIGTERM/SIGINT during startup act promptly.
        while msg is None and time.monotonic() - t0 < 60:
            msg = bus.timed_pop_filtered(100 * Gst.MSECOND,
                                         Gst.MessageType.EOS | Gst.MessageType.ERROR)
    finally:
        pipeline.set_state(Gst.State.NULL)
    if msg is None:
        raise RuntimeError("%s: timed out" % what)
    if msg.type == Gst.MessageType.ERROR:
        err, dbg = msg.parse_error()
        raise RuntimeError("%s: %s (%s)" % (what, err.message, dbg))
    log("generated %s in %.1f s" % (what, time.monotonic() - t0))


def _file_src(frames):
    return ("videotestsrc pattern=smpte horizontal-speed=4 num-buffers=%d ! "
            "video/x-raw,format=I420,width=1280,height=720,framerate=25/1,"
            "pixel-aspect-ratio=1/1 ! "
            "x264enc speed-preset=ultrafast tune=zerolatency key-int-max=25 "
            "bitrate=2048 ! h264parse ! " % frames)


def generate_files(tmp):
    mp4 = os.path.join(tmp, "h264_720p25.mp4")
    ts = os.path.join(tmp, "h264.ts")
    mjpeg_dir = os.path.join(tmp, "mjpeg")
    os.mkdir(mjpeg_dir)
    run_to_eos(_file_src(100) + "mp4mux ! filesink location=%s" % mp4, "h264_720p25.mp4")
    run_to_eos(_file_src(100) + "mpegtsmux ! filesink location=%s" % ts, "h264.ts")
    run_to_eos("videotestsrc pattern=smpte horizontal-speed=8 num-buffers=20 ! "
               "video/x-raw,width=640,height=480,framerate=10/1 ! jpegenc ! "
               "multifilesink location=%s" % os.path.join(mjpeg_dir, "%02d.jpg"),
               "mjpeg frames")
    frames = []
    for name in sorted(os.listdir(mjpeg_dir)):
        with open(os.path.join(mjpeg_dir, name), "rb") as f:
            frames.append(f.read())
    if not frames:
        raise RuntimeError("no MJPEG frames generated")
    return mp4, ts, frames


# --------------------------------------------------------------------------
# HTTP


def make_http_server(host, ts_path, mjpeg_frames, stopping, session_counts):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "CamProbeFleet/1.0"

        def log_message(self, fmt, *args):
            log("http:", (fmt % args).encode("ascii", "backslashreplace").decode("ascii"))

        def do_HEAD(self):
            self.do_GET(head=True)

        def do_GET(self, head=False):
            path = self.path.split("?", 1)[0]
            if path == "/mjpeg":
                self._mjpeg(head)
            elif path == "/h264.ts":
                self._file(ts_path, "video/mp2t", head)
            elif path == "/sessions":
                # RTSP sessions the servers hold (of one mount with ?path=/x):
                # a client that closes its connection without TEARDOWN leaves
                # one behind until its timeout.
                query = urllib.parse.parse_qs(self.path.split("?", 1)[1] if "?" in self.path else "")
                body = json.dumps(session_counts(query.get("path", [None])[0])).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
            else:
                self.send_error(404)

        def _mjpeg(self, head):
            self.send_response(200)
            self.send_header("Content-Type",
                             "multipart/x-mixed-replace; boundary=%s" % MJPEG_BOUNDARY)
            self.send_header("Cache-Control", "no-cache, no-store")
            self.send_header("Pragma", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            if head:
                return
            i = 0
            next_t = time.monotonic()
            try:
                while not stopping.is_set():
                    jpeg = mjpeg_frames[i % len(mjpeg_frames)]
                    i += 1
                    self.wfile.write(
                        ("--%s\r\nContent-Type: image/jpeg\r\n"
                         "Content-Length: %d\r\n\r\n" % (MJPEG_BOUNDARY, len(jpeg))
                         ).encode("ascii") + jpeg + b"\r\n")
                    self.wfile.flush()
                    next_t += 0.1
                    delay = next_t - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    else:
                        next_t = time.monotonic()
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass

        def _file(self, path, ctype, head):
            size = os.path.getsize(path)
            start, end = 0, size - 1
            status = 200
            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes=") and "," not in rng:
                a, _, b = rng[6:].partition("-")
                try:
                    if a:
                        start = int(a)
                        end = int(b) if b else size - 1
                    else:
                        start = max(0, size - int(b))
                    end = min(end, size - 1)
                    status = 206
                except ValueError:
                    start, end = 0, size - 1
                if start > end or start >= size:
                    self.send_response(416)
                    self.send_header("Content-Range", "bytes */%d" % size)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(end - start + 1))
            if status == 206:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
            self.end_headers()
            if head:
                return
            try:
                with open(path, "rb") as f:
                    f.seek(start)
                    left = end - start + 1
                    while left > 0:
                        chunk = f.read(min(65536, left))
                        if not chunk:
                            break
                        self.wfile.write(chunk)
                        left -= len(chunk)
            except (BrokenPipeError, ConnectionResetError, OSError):
                self.close_connection = True

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = 64

    return Server((host, 0), Handler)


# --------------------------------------------------------------------------
# Silent and closed TCP ports


class SilentServer:
    """Accepts TCP connections and never sends (or reads) a byte."""

    def __init__(self, host):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.closed = False
        threading.Thread(target=self._accept, name="silent", daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)  # keep it open until we exit

    def close(self):
        self.closed = True
        for s in [self.sock] + self.conns:
            try:
                s.close()
            except OSError:
                pass


class ScriptedRTSPServer:
    """A fake camera that answers every RTSP request the same scripted way:
    `status` (e.g. "503 Service Unavailable", what a DVR whose session slots are
    full says to DESCRIBE) after a 200 to OPTIONS, or `http_reply` bytes to every
    request (a web server listens where the camera should be)."""

    def __init__(self, host, status=None, http_reply=None, headers=""):
        self.status = status
        self.http_reply = http_reply
        self.headers = headers
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, name="scripted", daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            conn.settimeout(10)
            buffered = b""
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                buffered += chunk
                while b"\r\n\r\n" in buffered:
                    request, buffered = buffered.split(b"\r\n\r\n", 1)
                    if self.http_reply is not None:
                        conn.sendall(self.http_reply)
                        continue
                    lines = request.decode("latin-1").split("\r\n")
                    cseq = next((l.split(":", 1)[1].strip() for l in lines if l.lower().startswith("cseq:")), "0")
                    status = "200 OK" if lines[0].startswith("OPTIONS") else self.status
                    reply = "RTSP/1.0 %s\r\nCSeq: %s\r\n" % (status, cseq)
                    if status == "200 OK":
                        reply += "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n"
                    else:
                        reply += self.headers
                    conn.sendall((reply + "\r\n").encode("latin-1"))
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass


def closed_port(host):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Servers:
    """Every server of the fleet, each camera's on its own address with
    --own-addresses (else all on `host`): the main RTSP server's mounts, the
    auth server, the silent/closed/scripted ports and the HTTP server."""

    MAIN = [name for name, _ in CAMERAS] + ["not_found"]

    def __init__(self, host, scale, prefix, files, stopping, cleanup):
        self.host = host
        self.addresses = {}
        if prefix:
            self.addresses = own_addresses(self.MAIN + AUTH_CAMERAS + OWN_SERVER_CAMERAS + HTTP_CAMERAS, prefix)
        self.rtsp = serve_on([self.host_of(n) for n in self.MAIN], host,
                             lambda h: make_main_server(h, scale), make_alias_server)
        self.auth = serve_on([self.host_of(n) for n in AUTH_CAMERAS], self.host_of(AUTH_CAMERAS[0]),
                             make_auth_server, make_alias_server)
        self.rtsp_port = self.rtsp[host][1]
        self.auth_port = self.auth[self.host_of(AUTH_CAMERAS[0])][1]
        self._scripted(cleanup)
        self._http(files, stopping, cleanup)

    def host_of(self, name):
        return self.addresses.get(name, self.host)

    def _scripted(self, cleanup):
        self.silent = SilentServer(self.host_of("silent"))
        cleanup.append(self.silent.close)
        self.closed = closed_port(self.host_of("closed"))
        self.busy = ScriptedRTSPServer(self.host_of("busy"), status="503 Service Unavailable")
        cleanup.append(self.busy.close)
        self.garbage = ScriptedRTSPServer(
            self.host_of("garbage"), http_reply=b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n")
        cleanup.append(self.garbage.close)
        self.redirect = ScriptedRTSPServer(
            self.host_of("redirect"), status="302 Moved Temporarily",
            headers="Location: %s\r\n" % self.rtsp_url("h264_720p12_5"))
        cleanup.append(self.redirect.close)

    def _http(self, files, stopping, cleanup):
        ts, mjpeg_frames = files
        self.http_ports = {}
        for name in HTTP_CAMERAS:
            if self.host_of(name) in self.http_ports:
                continue
            httpd = make_http_server(self.host_of(name), ts, mjpeg_frames, stopping, self.session_counts)
            # No httpd.shutdown(): it waits for serve_forever's poll; the process
            # ends right after cleanup anyway.
            cleanup.append(httpd.server_close)
            self.http_ports[self.host_of(name)] = httpd.server_address[1]
            threading.Thread(target=httpd.serve_forever, name="http", daemon=True).start()
        self.http_port = self.http_ports[self.host_of(HTTP_CAMERAS[0])]

    @staticmethod
    def sessions_of(servers, mount):
        count = 0
        for server, _port in servers.values():
            pool = server.get_session_pool()
            if mount is None:
                count += pool.get_n_sessions()
                continue
            for session in pool.filter(None, None):
                found = session.get_media(mount)
                media = found[0] if isinstance(found, tuple) else found
                if media is not None:
                    count += 1
        return count

    def session_counts(self, mount):
        return {"rtsp": self.sessions_of(self.rtsp, mount), "auth": self.sessions_of(self.auth, mount)}

    def rtsp_url(self, name, path=None):
        server_host = self.host_of(name)
        return "rtsp://%s:%d/%s" % (server_host, self.rtsp[server_host][1], path or name)

    def auth_url(self, name, userinfo):
        server_host = self.host_of(name)
        return "rtsp://%s%s:%d/h264_720p" % (userinfo, server_host, self.auth[server_host][1])

    def http_url(self, name, path):
        return "http://%s:%d/%s" % (self.host_of(name), self.http_ports[self.host_of(name)], path)

    def port_url(self, name, port, path):
        return "rtsp://%s:%d/%s" % (self.host_of(name), port, path)

    def cameras(self, mp4):
        """Every named camera's URL."""
        cameras = {name: self.rtsp_url(name) for name, _ in CAMERAS}
        cameras.update({
            "auth_ok": self.auth_url("auth_ok", "%s:%s@" % (AUTH_USER, AUTH_PASSWORD)),
            "auth_missing": self.auth_url("auth_missing", ""),
            "auth_wrong": self.auth_url("auth_wrong", "%s:wrong@" % AUTH_USER),
            "not_found": self.rtsp_url("not_found", "no_such_path"),
            "silent": self.port_url("silent", self.silent.port, "stream"),
            "closed": self.port_url("closed", self.closed, "stream"),
            "busy": self.port_url("busy", self.busy.port, "Streaming/Channels/101"),
            "garbage": self.port_url("garbage", self.garbage.port, "stream"),
            "redirect": self.port_url("redirect", self.redirect.port, "stream"),
            "http_mjpeg": self.http_url("http_mjpeg", "mjpeg"),
            "http_ts": self.http_url("http_ts", "h264.ts"),
            "file_mp4": "file:" + mp4,
        })
        return cameras


# --------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--scale", type=int, default=0,
                        help="extra cheap cameras /sim/0 .. /sim/N-1")
    parser.add_argument("--own-addresses", nargs="?", const="127.0.1", default=None, metavar="PREFIX",
                        help="every named camera on a loopback address of its own: PREFIX.1, PREFIX.2, ...")
    parser.add_argument("--ignore-stdin", action="store_true",
                        help="do not exit when stdin reaches EOF")
    args = parser.parse_args()

    def startup_signal(signum, _frame):
        raise SystemExit("%s during startup" % signal.Signals(signum).name)

    # Until the main loop runs (and GLib takes these signals over), a signal
    # aborts startup through the cleanup below.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, startup_signal)

    Gst.init(None)
    host = args.host
    tmp = tempfile.mkdtemp(prefix="camprobe-fleet-")
    stopping = threading.Event()
    loop = GLib.MainLoop()
    cleanup = []

    def quit_(why):
        if not stopping.is_set():
            log("exiting:", why)
            stopping.set()
            loop.quit()
        return False

    status = 1
    try:
        mp4, ts, mjpeg_frames = generate_files(tmp)

        servers = Servers(host, args.scale, args.own_addresses, (ts, mjpeg_frames), stopping, cleanup)
        cameras = servers.cameras(mp4)
        rtsp_port, auth_port, http_port = servers.rtsp_port, servers.auth_port, servers.http_port
        silent, closed = servers.silent, servers.closed
        rtsp = "rtsp://%s:%d" % (host, rtsp_port)
        for i in range(args.scale):
            cameras["sim/%d" % i] = "%s/sim/%d" % (rtsp, i)
        info = {
            "rtsp_port": rtsp_port,
            "auth_port": auth_port,
            "silent_port": silent.port,
            "closed_port": closed,
            "http_port": http_port,
            "file_dir": tmp,
            "cameras": cameras,
        }

        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, quit_, signal.Signals(sig).name)

        if not args.ignore_stdin:
            def watch_stdin():
                try:
                    while os.read(0, 4096):
                        time.sleep(0.05)  # input is ignored; don't spin on it
                except OSError:
                    pass
                GLib.idle_add(quit_, "stdin closed")
            threading.Thread(target=watch_stdin, name="stdin", daemon=True).start()

        def announce():
            sys.stdout.write(json.dumps(info) + "\n")
            sys.stdout.flush()
            log("ready: %d RTSP mounts on port %d%s" % (
                len(CAMERAS) + args.scale, rtsp_port,
                ", %d cameras on addresses of their own" % len(servers.addresses) if servers.addresses else ""))
            return False

        GLib.idle_add(announce)
        loop.run()
        status = 0
    except (Exception, SystemExit, KeyboardInterrupt) as exc:  # noqa: BLE001
        log("error:", exc)
    finally:
        stopping.set()
        for fn in reversed(cleanup):
            try:
                fn()
            except Exception as exc:  # noqa: BLE001
                log("cleanup:", exc)
        shutil.rmtree(tmp, ignore_errors=True)
    sys.stderr.flush()
    # Skip interpreter teardown: streaming threads of still-connected RTSP
    # clients must not race Python finalisation.
    os._exit(status)


if __name__ == "__main__":
    main()
