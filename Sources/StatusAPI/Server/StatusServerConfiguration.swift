/// Where the status socket lives and who may connect to it.
public struct StatusServerConfiguration: Sendable, Equatable {
    public static let defaultSocketPath = "/run/camprobe/status.sock"

    public var socketPath: String
    /// The group the socket is given (`chgrp`) so its members can query the
    /// daemon; nil keeps the daemon's own group.
    public var group: String?
    /// Permission bits of the socket: connecting needs write permission, so
    /// `0660` lets the owner and the group in, nobody else.
    public var mode: Int

    public init(socketPath: String = Self.defaultSocketPath, group: String? = nil, mode: Int = 0o660) {
        self.socketPath = socketPath
        self.group = group
        self.mode = mode
    }
}
