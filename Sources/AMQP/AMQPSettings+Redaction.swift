/// `print(settings)`, `"\(settings)"`, `dump(settings)` and the debugger show the redacted
/// description: a settings value ends up in logs too easily to ever print its password.
extension AMQPSettings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { redactedDescription }
    public var debugDescription: String { "AMQPSettings(\(redactedDescription))" }
    public var customMirror: Mirror {
        Mirror(self, children: ["endpoint": endpoint, "user": user, "password": "<redacted>", "exchange": exchange,
                                "queue": queue as Any], displayStyle: .struct)
    }
}
