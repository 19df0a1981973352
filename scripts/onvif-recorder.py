#!/usr/bin/env python3
"""An ONVIF Profile G recorder for CamProbe's tests: a real HTTP server on 127.0.0.1.

Usage: onvif-recorder.py --config JSON   (or --config-file PATH)

  {"username": "admin", "password": "secret",
   "clock_offset": 0,                  # the recorder's clock minus the real one, seconds
   "latest_ago": 60,                   # seconds since each channel's latest recording
   "channels": [{"days": 45},          # earliest recording 45 days back
                {"days": 30, "gaps": [[12, 10]]},   # a hole from 12 to 10 days back
                {"days": 0}],          # an empty disk
   "page_size": 2,                     # recordings per GetRecordingSearchResults answer
   "mode": "normal"}                   # or: unauthorized (HTTP 401 to all), garbage (not XML),
                                       # huge (an endless body), slow (answers after 30 s),
                                       # no_search (GetServices lists no search service),
                                       # doctype (an answer with a DTD)

Answers POST /onvif/device_service (GetSystemDateAndTime, GetServices) and
/onvif/search_service (GetRecordingSummary, FindRecordings, GetRecordingSearchResults,
EndSearch). Every call but GetSystemDateAndTime needs a WS-Security UsernameToken
with a valid PasswordDigest = Base64(SHA1(nonce + created + password)) whose Created
is within 5 minutes of the recorder's clock; otherwise HTTP 400 with the SOAP fault
ter:NotAuthorized. A channel with gaps is several recordings of one source.

GET /_stats gives {"requests": {operation: count}, "auth_failures": N}.
Prints {"port": N} once listening; exits when stdin reaches end of file.
"""

import argparse
import base64
import datetime
import hashlib
import json
import re
import sys
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DAY = 86400


def iso(t):
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(body):
    return ('<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="%s" '
            'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tse="http://www.onvif.org/ver10/search/wsdl" '
            'xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error">'
            '<s:Body>%s</s:Body></s:Envelope>' % (SOAP, body)).encode()


def fault(subcode, text):
    return envelope('<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>%s</s:Value></s:Subcode>'
                    '</s:Code><s:Reason><s:Text xml:lang="en">%s</s:Text></s:Reason></s:Fault>' % (subcode, text))


class Recorder:
    def __init__(self, config):
        self.config = config
        self.lock = threading.Lock()
        self.requests = {}
        self.auth_failures = 0
        self.searches = {}

    def clock(self):
        return time.time() + self.config.get("clock_offset", 0)

    def recordings(self):
        """(token, source, from, to) per recording, in the recorder's clock."""
        now = self.clock()
        latest = now - self.config.get("latest_ago", 60)
        out = []
        for index, channel in enumerate(self.config.get("channels", []), start=1):
            if channel.get("days", 0) <= 0:
                continue
            start = now - channel["days"] * DAY
            pieces = []
            for gap_from, gap_to in sorted(channel.get("gaps", []), reverse=True):
                pieces.append((start, now - gap_from * DAY))
                start = now - gap_to * DAY
            pieces.append((start, latest))
            for number, (begin, end) in enumerate(pieces, start=1):
                out.append(("Rec%02d-%d" % (index, number), "VideoSource_%d" % index, begin, end))
        return out

    def authorized(self, root):
        security = root.find(".//{%s}Security" % WSSE)
        if security is None:
            return False
        token = security.find("{%s}UsernameToken" % WSSE)
        if token is None:
            return False
        user = token.findtext("{%s}Username" % WSSE)
        digest = token.findtext("{%s}Password" % WSSE)
        nonce = token.findtext("{%s}Nonce" % WSSE)
        created = token.findtext("{%s}Created" % WSU)
        if None in (user, digest, nonce, created) or user != self.config.get("username"):
            return False
        try:
            raw_nonce = base64.b64decode(nonce)
            created_at = datetime.datetime.strptime(created[:19], "%Y-%m-%dT%H:%M:%S").replace(
                tzinfo=datetime.timezone.utc).timestamp()
        except ValueError:
            return False
        if abs(created_at - self.clock()) > 300:
            return False
        expected = base64.b64encode(hashlib.sha1(raw_nonce + created.encode() + self.config.get("password", "").encode()).digest())
        return expected.decode() == digest

    def answer(self, path, operation, root, port):
        if operation == "GetSystemDateAndTime":
            t = datetime.datetime.fromtimestamp(int(self.clock()), datetime.timezone.utc)
            return 200, envelope(
                '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>'
                '<tt:UTCDateTime><tt:Time><tt:Hour>%d</tt:Hour><tt:Minute>%d</tt:Minute><tt:Second>%d</tt:Second></tt:Time>'
                '<tt:Date><tt:Year>%d</tt:Year><tt:Month>%d</tt:Month><tt:Day>%d</tt:Day></tt:Date></tt:UTCDateTime>'
                '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>'
                % (t.hour, t.minute, t.second, t.year, t.month, t.day))
        if not self.authorized(root):
            with self.lock:
                self.auth_failures += 1
            return 400, fault("ter:NotAuthorized", "Sender not authorized")
        if operation == "GetServices":
            services = '<tds:Service><tds:Namespace>http://www.onvif.org/ver10/device/wsdl</tds:Namespace>' \
                       '<tds:XAddr>http://127.0.0.1:%d/onvif/device_service</tds:XAddr></tds:Service>' % port
            if self.config.get("mode") != "no_search":
                # An advertised host the client must not send credentials to: only the path counts.
                services += '<tds:Service><tds:Namespace>http://www.onvif.org/ver10/search/wsdl</tds:Namespace>' \
                            '<tds:XAddr>http://192.0.2.1:8899/onvif/search_service</tds:XAddr></tds:Service>'
            return 200, envelope('<tds:GetServicesResponse>%s</tds:GetServicesResponse>' % services)
        if path != "/onvif/search_service":
            return 400, fault("ter:ActionNotSupported", "no such operation here")
        recordings = self.recordings()
        if operation == "GetRecordingSummary":
            first = min((r[2] for r in recordings), default=self.clock())
            last = max((r[3] for r in recordings), default=self.clock())
            return 200, envelope('<tse:GetRecordingSummaryResponse><tse:Summary><tt:DataFrom>%s</tt:DataFrom>'
                                 '<tt:DataUntil>%s</tt:DataUntil><tt:NumberRecordings>%d</tt:NumberRecordings>'
                                 '</tse:Summary></tse:GetRecordingSummaryResponse>' % (iso(first), iso(last), len(recordings)))
        if operation == "FindRecordings":
            token = "search-%d" % len(self.searches)
            with self.lock:
                self.searches[token] = list(recordings)
            return 200, envelope('<tse:FindRecordingsResponse><tse:SearchToken>%s</tse:SearchToken>'
                                 '</tse:FindRecordingsResponse>' % token)
        if operation == "GetRecordingSearchResults":
            token = root.findtext(".//{http://www.onvif.org/ver10/search/wsdl}SearchToken")
            maximum = int(root.findtext(".//{http://www.onvif.org/ver10/search/wsdl}MaxResults") or "100")
            with self.lock:
                pending = self.searches.get(token)
                if pending is None:
                    return 400, fault("ter:InvalidArgVal", "unknown search token")
                page = min(maximum, self.config.get("page_size", 2))
                batch, self.searches[token] = pending[:page], pending[page:]
                state = "Completed" if not self.searches[token] else "Searching"
            items = "".join(
                '<tt:RecordingInformation><tt:RecordingToken>%s</tt:RecordingToken><tt:Source><tt:SourceId>%s</tt:SourceId>'
                '<tt:Name>Camera</tt:Name><tt:Location/><tt:Description/><tt:Address/></tt:Source>'
                '<tt:EarliestRecording>%s</tt:EarliestRecording><tt:LatestRecording>%s</tt:LatestRecording>'
                '<tt:Content/><tt:Track><tt:TrackToken>VIDEO001</tt:TrackToken><tt:TrackType>Video</tt:TrackType>'
                '<tt:Description/><tt:DataFrom>%s</tt:DataFrom><tt:DataTo>%s</tt:DataTo></tt:Track>'
                '<tt:RecordingStatus>Recording</tt:RecordingStatus></tt:RecordingInformation>'
                % (tok, src, iso(a), iso(b), iso(a), iso(b)) for tok, src, a, b in batch)
            return 200, envelope('<tse:GetRecordingSearchResultsResponse><tse:ResultList><tt:SearchState>%s</tt:SearchState>'
                                 '%s</tse:ResultList></tse:GetRecordingSearchResultsResponse>' % (state, items))
        if operation == "EndSearch":
            return 200, envelope('<tse:EndSearchResponse><tse:Endpoint>%s</tse:Endpoint></tse:EndSearchResponse>' % iso(self.clock()))
        return 400, fault("ter:ActionNotSupported", "unknown operation")


def make_handler(recorder):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body, content_type="application/soap+xml; charset=utf-8"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/_stats":
                with recorder.lock:
                    stats = {"requests": recorder.requests, "auth_failures": recorder.auth_failures}
                self.send(200, json.dumps(stats).encode(), "application/json")
            else:
                self.send(404, b"not found", "text/plain")

        def do_POST(self):
            length = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
            data = self.rfile.read(length)
            try:
                root = ET.fromstring(data)
                body = root.find("{%s}Body" % SOAP)
                operation = re.sub(r"^\{.*\}", "", body[0].tag)
            except (ET.ParseError, TypeError, IndexError):
                self.send(400, fault("ter:WellFormed", "not a SOAP envelope"))
                return
            with recorder.lock:
                recorder.requests[operation] = recorder.requests.get(operation, 0) + 1
            mode = recorder.config.get("mode", "normal")
            if mode == "unauthorized":
                self.send(401, b"Unauthorized", "text/plain")
            elif mode == "garbage" and operation != "GetSystemDateAndTime":
                self.send(200, b"<html><body>Welcome <b>to the DVR</body>\x00\x01</html")
            elif mode == "doctype" and operation != "GetSystemDateAndTime":
                self.send(200, b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                               b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>&b;</s:Body></s:Envelope>')
            elif mode == "huge" and operation != "GetSystemDateAndTime":
                self.send_response(200)
                self.send_header("Content-Type", "application/soap+xml")
                self.end_headers()
                chunk = b"<x>" * 65536
                try:
                    for _ in range(4096):  # up to 768 MiB, or until the client hangs up
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
            elif mode == "slow" and operation != "GetSystemDateAndTime":
                time.sleep(30)
                self.send(*recorder.answer(self.path, operation, root, self.server.server_address[1]))
            else:
                self.send(*recorder.answer(self.path, operation, root, self.server.server_address[1]))

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config")
    parser.add_argument("--config-file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    text = args.config if args.config else open(args.config_file).read()
    recorder = Recorder(json.loads(text))
    server = ThreadingHTTPServer((args.host, args.port), make_handler(recorder))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
