import CamProbeCore
import Foundation

/// Opens one recorder playback URL like a live probe (native RTSP client, RTP over
/// TCP) and reads the recording's own time: the first RTCP sender report's NTP time,
/// else PLAY's `Range: clock=`. Many recorders silently play from their earliest
/// recording (or from after a hole) when asked for a moment they do not have, so
/// the time asked for is never trusted. No media is decoded.
public enum PlaybackProbe {
    /// The receive buffer: the largest interleaved frame, twice.
    static let bufferBytes = 2 * CameraLimits.interleavedFrameBytes

    /// The recorded time playback of `url` starts at, within `timeout` seconds in all.
    public static func recordedTime(_ url: StreamURL, timeout: Double) -> Result<Date, ProbeFailure> {
        let interrupt = InterruptState()
        let deadline = MonotonicClock.now() + timeout
        interrupt.deadline = deadline
        let hostLabel = url.host.contains(":") ? "[\(url.host)]:\(url.port)" : "\(url.host):\(url.port)"
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferBytes, alignment: 16)
        defer { buffer.deallocate() }
        do throws(ProbeFailure) {
            let addresses = try HostResolver.resolve(host: url.host, port: url.port, deadline: deadline)
            let socket = try TCPPreflight.connect(to: addresses, hostLabel: hostLabel, deadline: deadline)
            let client = RTSPClient(
                connection: RTSPConnection(socket: socket, buffer: buffer, interrupt: interrupt), url: url, hostLabel: hostLabel,
                phaseTimeout: timeout,
                reconnect: { () throws(ProbeFailure) -> RTSPConnection in
                    let socket = try TCPPreflight.connect(to: addresses, hostLabel: hostLabel, deadline: deadline)
                    return RTSPConnection(socket: socket, buffer: buffer, interrupt: interrupt)
                })
            let playback = try start(client)
            defer { endSession(client, interrupt: interrupt) }
            return .success(try recordedTime(client, playback: playback))
        } catch {
            return .failure(error)
        }
    }

    /// TEARDOWN, and its answer awaited (at most a second): a recorder frees the
    /// session slot before it answers, so the next session of a measurement (or a
    /// live probe) does not find the recorder still full.
    private static func endSession(_ client: RTSPClient, interrupt: InterruptState) {
        client.teardown()
        interrupt.deadline = min(interrupt.deadline, MonotonicClock.now() + 1)
        _ = try? client.connection.readResponse()
    }

    private static func start(_ client: RTSPClient) throws(ProbeFailure) -> RTSPPlayback {
        do throws(RTSPOpenError) {
            return try client.start()
        } catch {
            switch error {
            case .failed(let failure), .transportRefused(let failure): throw failure
            case .unsupported(let reason): throw ProbeFailure(.protocolError, phase: .handshake, "playback: \(reason)")
            case .redirected(let status, _):
                throw ProbeFailure(.redirect, phase: .handshake, "playback answered \(status): redirects are not followed for playback")
            }
        }
    }

    /// Frames until a sender report on the RTCP channel; at the deadline, PLAY's clock range.
    private static func recordedTime(_ client: RTSPClient, playback: RTSPPlayback) throws(ProbeFailure) -> Date {
        let fallback = playback.playRange.flatMap(PlaybackClock.rangeStart)
        while true {
            let frame: (channel: UInt8, payload: UnsafeRawBufferPointer)
            do throws(RTSPConnectionError) {
                frame = try client.connection.nextFrame()
            } catch {
                if let fallback { return fallback }
                throw ProbeFailure(.stalled, phase: .firstFrame, "playback sent no RTCP sender report and no Range clock: \(client.describe(error))")
            }
            if frame.channel == playback.rtcpChannel, let time = PlaybackClock.senderReportTime(frame.payload) {
                return time
            }
        }
    }
}
