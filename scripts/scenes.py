#!/usr/bin/python3
"""Realistic surveillance-camera scenes, generated at test time (no media in git).

    /usr/bin/python3 scripts/scenes.py --out DIR [--only NAME,...] [--list] [--jobs 2] [--force]

Writes clips for scripts/replay-fleet.py into DIR: ``NAME.h264``/``NAME.h265``
(Annex-B, no B-frames, 25 fps, GOP 50) and ``NAME.json`` (codec, size, fps,
gop, frames, measured bitrate and keyframe sizes, and a "version" hash of the
generator's parameters). NAME.json is written last; a clip whose NAME.json
has the current version is kept, anything else is made again. At the end it
prints a table: codec, size, bitrate measured from the file, keyframe sizes
(min/median/max), median non-keyframe size and seconds to generate.

Frames are made in numpy as I420 (BT.601 limited range, luma 16..235) and
piped to GStreamer's x264enc/x265enc (gst-launch-1.0). The picture is a
natural photograph from Debian's python3-skimage (motorcycle_left.png, a
cluttered garage, scaled and cropped to 16:9). Sensor noise is drawn from a
small pool of precomputed gaussian planes, two crops at random offsets per
frame, so each frame's noise is new. Text (OSD clock, camera names, NO VIDEO)
uses a built-in 5x7 bitmap font scaled by nearest neighbour, white with a dark
outline, ~35 px tall at 1080p and ~21 px at D1. Each clip is checked with
``ffprobe -count_frames`` (FFmpeg as a referee only; it never makes fixtures).

Scenes (names are a contract: the Swift tests use them). 1080p is 1920x1080,
D1 704x576; all 25 fps, GOP 50, 12 s (6 GOPs) unless said:
  still_noise_1080p   the photo, static, gaussian sensor noise sigma 3 (chroma 1),
                      H.264 2.7 Mbit/s: a healthy camera on an empty corridor
  still_osd_1080p     the photo without noise (strong 3D denoise), OSD clock
                      "2026-12-03 10:15:SS" top-left ticking every second and
                      "CAM 03" bottom-right, H.264 VBR (CRF) capped at 4 Mbit/s:
                      between clock changes the P-frames are nearly empty
  night_ir_1080p      the photo in grey (U=V=128), dim (mean luma ~50) and low
                      contrast, noise sigma 6, ticking clock, H.264 2 Mbit/s
  person_1080p        still_noise_1080p plus a dark textured figure (~150x420 px:
                      head, torso, swinging legs) walking across the frame
  frozen_1080p        ONE frame (photo, one noise realisation, clock 10:15:07)
                      repeated, H.264 2.7 Mbit/s: a hung camera
  frozen_osd_1080p    the photo without noise, clock frozen at 10:15:07, repeated
  nosignal_blue_d1    DVR blue screen RGB (0,0,200), "NO VIDEO" large in the
                      centre, "CH03" top-left, ticking clock at the bottom,
                      exact flat colour, H.264 1 Mbit/s
  nosignal_black_d1   the same layout on black (luma 16) with "VIDEO LOSS"
  nosignal_grey_1080p flat grey (luma 128) with "NO VIDEO", "CH07" and a clock
  covered_1080p       a covered lens: dark (mean luma ~22), noise sigma 4 (high
                      gain), slight vignetting, ticking clock, H.264 2 Mbit/s
  sharp_1080p         the photo, noise sigma 2, static, H.264 2.7 Mbit/s
  defocused_1080p     the same photo gaussian-blurred (sigma 16 px), denoised (noise sigma 0.8)
  wall_1080p          a plain painted wall: lighting gradient luma 110->150,
                      fine low-contrast texture, noise sigma 2
  still_noise_1080p_h265, frozen_1080p_h265
                      as still_noise_1080p / frozen_1080p in H.265 at 2 Mbit/s, 3 GOPs
  still_noise_d1, frozen_d1
                      D1 versions (an analog camera behind a DVR), H.264 1 Mbit/s
  scale_1080p_h264    for scale runs: a live scene (noise sigma 2.5, a walking
                      figure, ticking clock), H.264 2 Mbit/s
  scale_d1_h264       the same at D1, H.264 1 Mbit/s
  scale_1080p_h265    the same as scale_1080p_h264 in H.265 2 Mbit/s, 3 GOPs

Needs Debian's python3-numpy, python3-pil, python3-skimage (the photograph)
and GStreamer's x264enc/x265enc (gstreamer1.0-plugins-ugly/-bad): see
scripts/install-deps.
"""

import argparse
import concurrent.futures
import fcntl
import hashlib
import importlib.util
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
from PIL import Image, ImageFilter

GENERATOR_VERSION = 6     # bump when the drawing code changes what a scene looks like
FPS = 25
GOP = 50
PHOTO = "/usr/lib/python3/dist-packages/skimage/data/motorcycle_left.png"
CLOCK_DATE = "2026-12-03 10:15:"

# --- scene table --------------------------------------------------------------

P1080 = (1920, 1080)
D1 = (704, 576)

# The rate control: CBR (ABR with a VBV of VBV_MS; x264enc vbv-buf-capacity, x265
# vbv-bufsize = kbps*VBV_MS/1000) as cameras stream; a smaller VBV makes x264 undershoot
# badly on noise (its bitrate falls off a cliff between QP 30 and 36). The keyframe size
# follows from the I/P quantiser ratio: a 1080p camera at 2-4 Mbit/s has 50-150 KB keyframes.
VBV_MS = 1000
# A camera's encoder has a quality ceiling: its rate control never goes below a minimum
# quantiser (camera SoC encoders default to a MinQP in the 20s). Without one, x264 at CBR
# fed one frame again and again spends its whole bitrate refining that frame towards
# lossless (5-25 KB P-frames for ever); with it, a hung camera's P-frames fall to a few
# dozen bytes once the picture has settled after each keyframe, as a real hung camera's do.
# Live scenes at 1-4 Mbit/s run at QP 28 and above, so the floor changes nothing for them.
CAMERA_QP_MIN = 24
SCENES = {
    "still_noise_1080p": dict(size=P1080, codec="h264", kbps=2700, bg="photo", noise=3.0, chroma_noise=1.0),
    "still_osd_1080p": dict(size=P1080, codec="h264", kbps=4000, rc="crf", crf=26, vbv=450, bg="photo",
                            clock="tl", texts=[("CAM 03", "br")]),
    "night_ir_1080p": dict(size=P1080, codec="h264", kbps=2000, bg="night", noise=6.0, clock="tl"),
    "person_1080p": dict(size=P1080, codec="h264", kbps=2700, bg="photo", noise=3.0, chroma_noise=1.0,
                         person=True),
    "frozen_1080p": dict(size=P1080, codec="h264", kbps=2700, bg="photo", noise=3.0, chroma_noise=1.0,
                         clock="tl", frozen=True, vbv=600),
    "frozen_osd_1080p": dict(size=P1080, codec="h264", kbps=2700, bg="photo", clock="tl", frozen=True, vbv=600),
    "nosignal_blue_d1": dict(size=D1, codec="h264", kbps=1000, bg="blue", clock="bottom",
                             texts=[("NO VIDEO", "centre"), ("CH03", "tl")]),
    "nosignal_black_d1": dict(size=D1, codec="h264", kbps=1000, bg="black", clock="bottom",
                              texts=[("VIDEO LOSS", "centre"), ("CH03", "tl")]),
    "nosignal_grey_1080p": dict(size=P1080, codec="h264", kbps=2000, bg="grey", clock="bottom",
                                texts=[("NO VIDEO", "centre"), ("CH07", "tl")]),
    "covered_1080p": dict(size=P1080, codec="h264", kbps=2000, bg="covered", noise=4.0, clock="tl"),
    "sharp_1080p": dict(size=P1080, codec="h264", kbps=2700, bg="photo", noise=2.0, chroma_noise=0.7),
    # Out of focus on a camera with 3D denoise (sensor noise looks like fine detail to any
    # sharpness measure, so a noisy defocused picture is a different, harder case).
    "defocused_1080p": dict(size=P1080, codec="h264", kbps=2700, bg="blurred", noise=0.8,
                            chroma_noise=0.3),
    "wall_1080p": dict(size=P1080, codec="h264", kbps=2700, bg="wall", noise=2.0, chroma_noise=0.7),
    "still_noise_1080p_h265": dict(size=P1080, codec="h265", kbps=2000, gops=3, bg="photo", noise=3.0,
                                   chroma_noise=1.0),
    "frozen_1080p_h265": dict(size=P1080, codec="h265", kbps=2000, gops=3, bg="photo", noise=3.0,
                              chroma_noise=1.0, clock="tl", frozen=True, vbv=600),
    "still_noise_d1": dict(size=D1, codec="h264", kbps=1000, bg="photo", noise=3.0, chroma_noise=1.0),
    "frozen_d1": dict(size=D1, codec="h264", kbps=1000, bg="photo", noise=3.0, chroma_noise=1.0,
                      clock="tl", frozen=True, vbv=300),
    "scale_1080p_h264": dict(size=P1080, codec="h264", kbps=2000, bg="photo", noise=2.5,
                             chroma_noise=0.8, person=True, clock="tl"),
    "scale_d1_h264": dict(size=D1, codec="h264", kbps=1000, bg="photo", noise=2.5, chroma_noise=0.8,
                          person=True, clock="tl"),
    "scale_1080p_h265": dict(size=P1080, codec="h265", kbps=2000, gops=3, bg="photo", noise=2.5,
                             chroma_noise=0.8, person=True, clock="tl"),
}


def version_of(name):
    spec = dict(SCENES[name], generator=GENERATOR_VERSION, fps=FPS, gop=GOP, photo=os.path.basename(PHOTO))
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


# --- font ---------------------------------------------------------------------

FONT = {
    "0": (".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": ("..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."),
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "B": ("####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."),
    "C": (".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."),
    "D": ("###..", "#..#.", "#...#", "#...#", "#...#", "#..#.", "###.."),
    "E": ("#####", "#....", "#....", "####.", "#....", "#....", "#####"),
    "F": ("#####", "#....", "#....", "####.", "#....", "#....", "#...."),
    "G": (".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"),
    "H": ("#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "I": (".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "J": ("..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"),
    "L": ("#....", "#....", "#....", "#....", "#....", "#....", "#####"),
    "M": ("#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"),
    "N": ("#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "P": ("####.", "#...#", "#...#", "####.", "#....", "#....", "#...."),
    "Q": (".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"),
    "S": (".####", "#....", "#....", ".###.", "....#", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
    "Y": ("#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."),
    "Z": ("#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"),
    ":": (".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."),
    "-": (".....", ".....", ".....", "#####", ".....", ".....", "....."),
    ".": (".....", ".....", ".....", ".....", ".....", ".##..", ".##.."),
    "/": (".....", "....#", "...#.", "..#..", ".#...", "#....", "....."),
    " ": (".....",) * 7,
}


def text_masks(text, scale):
    """(glyph mask, outline mask) of text at scale px per font pixel, with a margin for the outline."""
    cols = []
    for ch in text.upper():
        rows = FONT.get(ch, FONT[" "])
        glyph = np.array([[c == "#" for c in row] for row in rows], dtype=bool)
        cols.append(glyph)
        cols.append(np.zeros((7, 1), dtype=bool))
    small = np.concatenate(cols[:-1], axis=1)
    big = np.repeat(np.repeat(small, scale, axis=0), scale, axis=1)
    o = max(1, scale // 2)
    h, w = big.shape
    glyph = np.zeros((h + 2 * o, w + 2 * o), dtype=bool)
    glyph[o:o + h, o:o + w] = big
    outline = np.zeros_like(glyph)
    for dy in range(-o, o + 1):
        for dx in range(-o, o + 1):
            outline[o + dy:o + dy + h, o + dx:o + dx + w] |= big
    return glyph, outline & ~glyph


class Overlay:
    """Rendered text at a place: draws white glyphs with a dark outline, neutral chroma."""

    def __init__(self, text, place, width, height):
        scale = 5 if height >= 720 else 3
        if place == "centre":
            scale *= 2
        self.glyph, self.outline = text_masks(text, scale)
        h, w = self.glyph.shape
        margin = 40 if height >= 720 else 20
        if place == "tl":
            x, y = margin, margin
        elif place == "br":
            x, y = width - margin - w, height - margin - h
        elif place == "bottom":
            x, y = margin, height - margin - h
        elif place == "centre":
            x, y = (width - w) // 2, (height - h) // 2
        else:
            raise ValueError(place)
        x, y = x & ~1, y & ~1
        self.x, self.y, self.w, self.h = x, y, w, h
        cw, ch = (w + 1) // 2, (h + 1) // 2
        any_ = self.glyph | self.outline
        padded = np.zeros((ch * 2, cw * 2), dtype=bool)
        padded[:h, :w] = any_
        self.chroma = padded.reshape(ch, 2, cw, 2).any(axis=(1, 3))

    def draw(self, y, u, v):
        region = y[self.y:self.y + self.h, self.x:self.x + self.w]
        region[self.outline] = 16
        region[self.glyph] = 235
        cy, cx = self.y // 2, self.x // 2
        ch, cw = self.chroma.shape
        u[cy:cy + ch, cx:cx + cw][self.chroma] = 128
        v[cy:cy + ch, cx:cx + cw][self.chroma] = 128


# --- pictures -----------------------------------------------------------------

def rgb_to_yuv(rgb):
    """BT.601 limited range I420 planes (float) from an RGB uint8 array."""
    r, g, b = (rgb[..., i].astype(np.float32) / 255.0 for i in range(3))
    y = 16 + 65.481 * r + 128.553 * g + 24.966 * b
    u = 128 - 37.797 * r - 74.203 * g + 112.0 * b
    v = 128 + 112.0 * r - 93.786 * g - 18.214 * b
    return y, subsample(u), subsample(v)


def subsample(plane):
    h, w = plane.shape
    return plane.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))


def photo(width, height, blur=0.0):
    im = Image.open(PHOTO).convert("RGB")
    w, h = im.size
    ch = round(w * height / width)
    if ch <= h:
        top = (h - ch) // 2
        im = im.crop((0, top, w, top + ch))
    else:
        cw = round(h * width / height)
        left = (w - cw) // 2
        im = im.crop((left, 0, left + cw, h))
    im = im.resize((width, height), Image.LANCZOS)
    if width > 1000:
        # An upscaled small photo is soft; sharpen it back towards a native 1080p sensor's detail.
        im = im.filter(ImageFilter.UnsharpMask(radius=2.0, percent=50, threshold=3))
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(radius=blur))
    return rgb_to_yuv(np.asarray(im))


def background(spec, width, height, rng):
    """(Y, U, V) float planes of the scene without noise, OSD or figure."""
    kind = spec["bg"]
    cw, chh = width // 2, height // 2
    flat = lambda yv, uv, vv: (np.full((height, width), yv, np.float32),  # noqa: E731
                               np.full((chh, cw), uv, np.float32), np.full((chh, cw), vv, np.float32))
    if kind == "photo":
        return photo(width, height)
    if kind == "blurred":
        return photo(width, height, blur=16.0 * width / 1920)
    if kind == "night":
        y, _, _ = photo(width, height)
        y = 16 + (y - 16) * 0.28 + 12
        return y, np.full((chh, cw), 128, np.float32), np.full((chh, cw), 128, np.float32)
    if kind == "blue":
        r, g, b = 0, 0, 200 / 255
        return flat(round(16 + 24.966 * b), round(128 + 112.0 * b), round(128 - 18.214 * b))
    if kind == "black":
        return flat(16, 128, 128)
    if kind == "grey":
        return flat(128, 128, 128)
    if kind == "covered":
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        r2 = ((xx - width / 2) / (width / 2)) ** 2 + ((yy - height / 2) / (height / 2)) ** 2
        y = 20.5 + 4.0 * (1 - r2 / 2)   # vignetting: ~24.5 in the centre, ~16.5 in the corners
        return y, np.full((chh, cw), 127, np.float32), np.full((chh, cw), 129, np.float32)
    if kind == "wall":
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        y = 110 + 40 * xx / width + 6 * (yy / height - 0.5)
        # Fine texture: smoothed noise, low contrast (paint roller stipple).
        t = rng.standard_normal((height // 4 + 1, width // 4 + 1)).astype(np.float32)
        t = np.repeat(np.repeat(t, 4, axis=0), 4, axis=1)[:height, :width]
        fine = rng.standard_normal((height, width)).astype(np.float32)
        y = y + 1.5 * t + 1.0 * fine
        return y, np.full((chh, cw), 124, np.float32), np.full((chh, cw), 132, np.float32)
    raise ValueError(kind)


class Noise:
    """Gaussian noise for a plane: two crops of a small pool at random offsets per frame."""
    PAD = 64

    def __init__(self, shape, sigma, rng, pool=4):
        h, w = shape
        self.shape = shape
        self.rng = rng
        s = sigma / np.sqrt(2.0)
        self.pool = [np.clip(np.rint(self.correlated(rng, h + self.PAD, w + self.PAD) * s), -60, 60)
                     .astype(np.int16) for _ in range(pool)]

    @staticmethod
    def correlated(rng, h, w):
        """Unit-variance gaussian noise, smoothed by a [1 2 1] kernel both ways: a camera's
        sensor noise after demosaicing and its ISP is not white from pixel to pixel."""
        n = rng.standard_normal((h + 2, w + 2), dtype=np.float32)
        n = n[:, :-2] + 2 * n[:, 1:-1] + n[:, 2:]
        n = n[:-2] + 2 * n[1:-1] + n[2:]
        return n / 6.0

    def sample(self, out):
        """Writes a new noise realisation into out (int16, the plane's shape)."""
        h, w = self.shape
        a, b = self.rng.choice(len(self.pool), 2, replace=False)
        ya, xa, yb, xb = self.rng.integers(0, self.PAD, 4)
        np.add(self.pool[a][ya:ya + h, xa:xa + w], self.pool[b][yb:yb + h, xb:xb + w], out=out)


class Person:
    """A dark textured figure walking left to right across the frame over the clip."""

    def __init__(self, width, height, frames, rng):
        s = height / 1080
        self.s = s
        self.frames = frames
        self.width, self.height = width, height
        self.w, self.h = int(150 * s) & ~1, int(420 * s) & ~1
        self.texture = (rng.standard_normal((self.h, self.w)) * 7).astype(np.float32)
        yy, xx = np.mgrid[0:self.h, 0:self.w].astype(np.float32)
        self.yy, self.xx = yy, xx
        cx = self.w / 2
        head_r = 32 * s
        head = (xx - cx) ** 2 + (yy - head_r) ** 2 <= head_r ** 2
        tx0, tx1, ty0, ty1 = cx - 62 * s, cx + 62 * s, 2 * head_r + 6 * s, 2 * head_r + 190 * s
        torso = (xx >= tx0) & (xx <= tx1) & (yy >= ty0) & (yy <= ty1)
        corner = 18 * s   # rounded shoulders
        for ccx in (tx0 + corner, tx1 - corner):
            in_box = (np.abs(xx - ccx) <= corner) & (yy < ty0 + corner) & ((xx < tx0 + corner) | (xx > tx1 - corner))
            torso &= ~in_box | ((xx - ccx) ** 2 + (yy - (ty0 + corner)) ** 2 <= corner ** 2)
        self.upper = head | torso
        self.leg_top = ty1
        self.cx = cx
        self.foot = self.height * 0.93

    def mask(self, k):
        phase = np.sin(2 * np.pi * k / 14)   # a stride about every 0.55 s
        s, xx, yy = self.s, self.xx, self.yy
        legs = np.zeros_like(self.upper)
        below = yy >= self.leg_top
        frac = np.clip((yy - self.leg_top) / max(1.0, self.h - self.leg_top), 0, 1)
        for sign in (-1, 1):
            centre = self.cx + sign * (28 * s + 30 * s * phase * frac)
            legs |= below & (np.abs(xx - centre) <= 17 * s)
        return self.upper | legs

    def draw(self, y, k):
        """Draws the figure onto luma y (a copy); returns the (x, y, mask) used for chroma."""
        x0 = int(-self.w + (self.width + self.w) * k / max(1, self.frames - 1)) & ~1
        y0 = int(self.foot - self.h + 4 * self.s * abs(np.sin(2 * np.pi * k / 14))) & ~1
        m = self.mask(k)
        xs, xe = max(0, x0), min(self.width, x0 + self.w)
        ys, ye = max(0, y0), min(self.height, y0 + self.h)
        if xs >= xe or ys >= ye:
            return None
        mm = m[ys - y0:ye - y0, xs - x0:xe - x0]
        region = y[ys:ye, xs:xe]
        shade = 42 + 10 * (self.yy[ys - y0:ye - y0, xs - x0:xe - x0] < 2 * 32 * self.s)  # face a bit lighter
        region[mm] = np.rint(shade + self.texture[ys - y0:ye - y0, xs - x0:xe - x0])[mm]
        return xs, ys, mm


# --- generation ---------------------------------------------------------------

def clock_text(second):
    return f"{CLOCK_DATE}{second % 60:02d}"


def frames_of(name, spec, nframes, warmup=0):
    """Yields each frame's I420 planes (Y, U, V as uint8 arrays): first `warmup` frames
    (the clip's last ones again, for the encoder's rate control to settle), then the clip."""
    width, height = spec["size"]
    rng = np.random.default_rng(int(hashlib.sha256(name.encode()).hexdigest()[:8], 16))
    y0, u0, v0 = background(spec, width, height, rng)
    noise = Noise((height, width), spec["noise"], rng) if spec.get("noise") else None
    cnoise = [Noise((height // 2, width // 2), spec["chroma_noise"], rng, pool=2) for _ in range(2)] \
        if spec.get("chroma_noise") else None
    person = Person(width, height, nframes, rng) if spec.get("person") else None
    texts = [Overlay(t, place, width, height) for t, place in spec.get("texts", [])]
    clocks = {}

    def clock(second):
        if "clock" not in spec:
            return None
        if second not in clocks:
            clocks[second] = Overlay(clock_text(second), spec["clock"], width, height)
        return clocks[second]

    y0i = np.rint(y0).astype(np.int16)
    u0i = np.rint(u0).astype(np.int16)
    v0i = np.rint(v0).astype(np.int16)
    ybuf = np.empty_like(y0i)
    ubuf = np.empty_like(u0i)
    vbuf = np.empty_like(v0i)
    ylo, yhi = np.full_like(y0i, 16), np.full_like(y0i, 235)
    clo, chi = np.full_like(u0i, 16), np.full_like(u0i, 240)

    def compose(k, second):
        """The frame's three planes (uint8)."""
        base = y0i
        placed = None
        if person is not None:
            base = y0i.copy()
            placed = person.draw(base, k)
        if noise is not None:
            noise.sample(ybuf)
            np.add(ybuf, base, out=ybuf)
        else:
            ybuf[...] = base
        for buf, plane, n in ((ubuf, u0i, cnoise and cnoise[0]), (vbuf, v0i, cnoise and cnoise[1])):
            if n:
                n.sample(buf)
                buf += plane
            else:
                buf[...] = plane
        if placed is not None:
            xs, ys, mm = placed
            # Dark clothes: chroma near neutral where the figure is.
            sub = mm[::2, ::2]
            cy, cx = ys // 2, xs // 2
            ubuf[cy:cy + sub.shape[0], cx:cx + sub.shape[1]][sub] = 126
            vbuf[cy:cy + sub.shape[0], cx:cx + sub.shape[1]][sub] = 129
        # np.clip with scalars is ~10x slower than maximum/minimum against arrays.
        for buf, lo, hi in ((ybuf, ylo, yhi), (ubuf, clo, chi), (vbuf, clo, chi)):
            np.maximum(buf, lo, out=buf)
            np.minimum(buf, hi, out=buf)
        y, u, v = ybuf.astype(np.uint8), ubuf.astype(np.uint8), vbuf.astype(np.uint8)
        for overlay in texts + [clock(second)]:
            if overlay is not None:
                overlay.draw(y, u, v)
        return y, u, v

    if spec.get("frozen"):
        frame = compose(0, 7)
        for _ in range(warmup + nframes):
            yield frame
        return
    static = noise is None and cnoise is None and person is None
    cache = {}
    for k in list(range(nframes - warmup, nframes)) + list(range(nframes)):
        second = k // FPS
        if static:
            if second not in cache:
                cache.clear()
                cache[second] = compose(k, second)
            yield cache[second]
        else:
            yield compose(k, second)


def encoder_command(spec, path):
    width, height = spec["size"]
    kbps, vbv = spec["kbps"], spec.get("vbv", VBV_MS)
    src = (f"fdsrc fd=0 blocksize={width * height * 3 // 2} ! "
           f"rawvideoparse format=i420 width={width} height={height} framerate={FPS}/1 ! ")
    if spec["codec"] == "h265":
        opts = (f"bframes=0:open-gop=0:scenecut=0:keyint={GOP}:min-keyint={GOP}:"
                f"vbv-maxrate={kbps}:vbv-bufsize={kbps * vbv // 1000}:repeat-headers=1:aud=1:"
                f"rc-lookahead=10:info=0:qpmin={CAMERA_QP_MIN}")
        enc = (f"x265enc speed-preset=ultrafast bitrate={kbps} key-int-max={GOP} log-level=error "
               f"option-string=\"{opts}\" ! video/x-h265,stream-format=byte-stream,alignment=au,profile=main")
    else:
        opts = f"scenecut=0:min-keyint={GOP}"
        if spec.get("rc") == "crf":
            # Camera "VBR": a quality level capped at kbps; no psychovisual tricks, so a
            # static picture's P-frames are nearly empty once the keyframe is refined.
            rc = f"pass=qual quantizer={spec['crf']} mb-tree=false"
            opts += ":no-psy=1:aq-mode=0"
        else:
            # A camera's encoder at CBR spends its bitrate on the sensor noise too: no
            # macroblock-tree, small dead zones, no fast P-skip (x264 would otherwise drop
            # the noise and send P-frames of 2-3 KB at a third of the bitrate).
            rc = "pass=cbr mb-tree=false"
            opts += ":deadzone-inter=4:deadzone-intra=8:no-fast-pskip=1"
        enc = (f"x264enc speed-preset=superfast bframes=0 key-int-max={GOP} {rc} bitrate={kbps} qp-min={CAMERA_QP_MIN} "
               f"vbv-buf-capacity={vbv} aud=true byte-stream=true "
               f"option-string=\"{opts}\" ! "
               f"video/x-h264,stream-format=byte-stream,alignment=au,profile=main")
    return ["gst-launch-1.0", "-q"] + (src + enc + f" ! filesink location={path}").split()


def drop_warmup(src, dst, codec, frames):
    """Copies the stream without its first `frames` access units (the warm-up GOP: a
    rate control's first keyframe is far smaller than its settled ones)."""
    fleet = load_fleet_module()
    with open(src, "rb") as f:
        aus = fleet.split_access_units(codec, fleet.split_nals(f.read()))
    if len(aus) <= frames or not fleet.is_keyframe(codec, aus[frames]):
        raise RuntimeError(f"{src}: no keyframe after the {frames} warm-up frames")
    with open(dst, "wb") as f:
        for au in aus[frames:]:
            for nal in au:
                f.write(b"\x00\x00\x00\x01" + nal)


def analyse(path, codec):
    fleet = load_fleet_module()
    with open(path, "rb") as f:
        data = f.read()
    aus = fleet.split_access_units(codec, fleet.split_nals(data))
    sizes = [sum(len(n) + 4 for n in au) for au in aus]
    keys = [s for s, au in zip(sizes, aus) if fleet.is_keyframe(codec, au)]
    others = [s for s, au in zip(sizes, aus) if not fleet.is_keyframe(codec, au)]
    key_idx = [i for i, au in enumerate(aus) if fleet.is_keyframe(codec, au)]
    gops = sorted({b - a for a, b in zip(key_idx, key_idx[1:])})
    return dict(frames=len(aus), bytes=len(data), keyframe_bytes=keys,
                median_p_bytes=int(statistics.median(others)) if others else 0,
                kbps_measured=round(len(data) * 8 / (len(aus) / FPS) / 1000),
                gop_measured=gops, keyframe_indices=key_idx)


_fleet_module = None


def load_fleet_module():
    """replay-fleet.py's clip parser (one copy of the Annex-B/access-unit code)."""
    global _fleet_module
    if _fleet_module is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "replay-fleet.py")
        spec = importlib.util.spec_from_file_location("replay_fleet", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _fleet_module = module
    return _fleet_module


def referee(path, codec, expected_frames):
    """FFmpeg as referee: every frame decodes, none lost, no decoder complaints."""
    cmd = ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
           "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "json", path]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0 or r.stderr.strip():
        raise RuntimeError(f"ffprobe rejects {path}: {r.stderr.strip()[:400]}")
    s = json.loads(r.stdout)["streams"][0]
    want = {"h264": "h264", "h265": "hevc"}[codec]
    if s["codec_name"] != want or int(s["nb_read_frames"]) != expected_frames:
        raise RuntimeError(f"ffprobe reads {s} from {path}, expected {want} with {expected_frames} frames")
    return s


def cpu_seconds():
    """CPU time of this process and its waited-for children (the encoders)."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def generate(name, out):
    spec = SCENES[name]
    started = time.monotonic()
    cpu0 = cpu_seconds()
    width, height = spec["size"]
    nframes = spec.get("gops", 6) * GOP
    ext = spec["codec"]
    final = os.path.join(out, f"{name}.{ext}")
    tmp = final + ".part"
    raw = final + ".enc"
    cmd = encoder_command(spec, raw)
    enc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for planes in frames_of(name, spec, nframes, warmup=GOP):
            for plane in planes:
                enc.stdin.write(memoryview(plane).cast("B"))
        enc.stdin.close()
    except BrokenPipeError:
        pass
    err = enc.stderr.read().decode(errors="replace")
    if enc.wait() != 0:
        raise RuntimeError(f"{name}: the encoder failed ({' '.join(cmd)}): {err[-600:]}")
    drop_warmup(raw, tmp, spec["codec"], GOP)
    os.remove(raw)
    info = analyse(tmp, spec["codec"])
    if info["frames"] != nframes:
        raise RuntimeError(f"{name}: {info['frames']} access units in the stream, expected {nframes}")
    if info["gop_measured"] not in ([GOP], []) or info["keyframe_indices"][0] != 0:
        raise RuntimeError(f"{name}: keyframes at {info['keyframe_indices']}, expected every {GOP} frames")
    referee(tmp, spec["codec"], nframes)
    os.replace(tmp, final)
    meta = {
        "codec": spec["codec"], "width": width, "height": height, "fps": FPS, "gop": GOP,
        "frames": nframes, "duration_s": nframes / FPS, "kbps_target": spec["kbps"],
        "kbps_measured": info["kbps_measured"], "keyframe_bytes": info["keyframe_bytes"],
        "median_p_bytes": info["median_p_bytes"], "generated_s": round(time.monotonic() - started, 1),
        "cpu_s": round(cpu_seconds() - cpu0, 1),
        "version": version_of(name), "scene": name,
    }
    with open(os.path.join(out, f"{name}.json.part"), "w") as f:
        json.dump(meta, f)
    os.replace(os.path.join(out, f"{name}.json.part"), os.path.join(out, f"{name}.json"))
    return meta


def current(name, out):
    try:
        with open(os.path.join(out, f"{name}.json")) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    if meta.get("version") != version_of(name):
        return None
    if not os.path.exists(os.path.join(out, f"{name}.{SCENES[name]['codec']}")):
        return None
    return meta


def table(rows):
    lines = [f"{'scene':24} {'codec':5} {'size':>9} {'kbit/s':>6} {'key KB min/med/max':>20} "
             f"{'P med B':>8} {'gen s':>6} {'cpu s':>6}"]
    for name, m in rows:
        k = m["keyframe_bytes"]
        keys = f"{min(k) / 1000:.0f}/{statistics.median(k) / 1000:.0f}/{max(k) / 1000:.0f}"
        lines.append(f"{name:24} {m['codec']:5} {m['width']:>4}x{m['height']:<4} {m['kbps_measured']:>6} "
                     f"{keys:>20} {m['median_p_bytes']:>8} {m['generated_s']:>6} {m.get('cpu_s', 0):>6}")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", help="directory for the clips (created)")
    p.add_argument("--only", help="comma-separated scene names")
    p.add_argument("--list", action="store_true", help="list the scenes and exit")
    p.add_argument("--jobs", type=int, default=2, help="scenes generated at once")
    p.add_argument("--force", action="store_true", help="regenerate even when the cache is current")
    args = p.parse_args()
    if args.list:
        for name, spec in SCENES.items():
            w, h = spec["size"]
            print(f"{name:24} {spec['codec']} {w}x{h} {spec['kbps']} kbit/s")
        return 0
    if not args.out:
        p.error("--out DIR is required")
    names = list(SCENES)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in SCENES]
        if unknown:
            p.error(f"unknown scene(s): {', '.join(unknown)}; --list shows them")
    os.makedirs(args.out, exist_ok=True)
    started = time.monotonic()
    # One generator at a time per directory (two test processes may share the cache);
    # the second finds the first one's clips current once it gets the lock.
    lock = open(os.path.join(args.out, ".lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    done = {}
    todo = []
    for n in names:
        meta = None if args.force else current(n, args.out)
        if meta:
            done[n] = meta
        else:
            todo.append(n)
    if todo:
        print(f"scenes: generating {len(todo)} clip(s) into {args.out}: {', '.join(todo)}", file=sys.stderr)
        load_fleet_module()
        ctx = multiprocessing.get_context("fork")
        failed = []
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=ctx) as pool:
            futures = {pool.submit(generate, n, args.out): n for n in todo}
            for fut in concurrent.futures.as_completed(futures):
                n = futures[fut]
                try:
                    done[n] = fut.result()
                    m = done[n]
                    print(f"scenes: {n}: {m['kbps_measured']} kbit/s, keyframes "
                          f"{min(m['keyframe_bytes']) // 1000}-{max(m['keyframe_bytes']) // 1000} KB, "
                          f"{m['generated_s']} s", file=sys.stderr)
                except Exception as e:  # noqa: BLE001 - reported, then the run fails
                    failed.append(n)
                    print(f"scenes: {n} failed: {e}", file=sys.stderr)
        if failed:
            print(f"scenes: FAILED: {', '.join(failed)}", file=sys.stderr)
            return 1
    print(table([(n, done[n]) for n in names]))
    print(f"scenes: {len(todo)} generated, {len(names) - len(todo)} cached, "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
