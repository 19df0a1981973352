/// Which outbox destinations an event goes to: the broker (every event) and
/// each alert route that matches it.
public struct EventRouting: Sendable, Equatable {
    /// The broker's destination name in the outbox.
    public static let queueSink = "amqp"

    public var queue: Bool
    public var routes: [AlertRoute]

    public init(queue: Bool = false, routes: [AlertRoute] = []) {
        self.queue = queue
        self.routes = routes
    }

    public func sinks(for event: CloudEvent) -> [String] {
        var sinks = queue ? [Self.queueSink] : []
        for route in routes where route.matches(event) { sinks.append(route.sink) }
        return sinks
    }

    /// Every destination this configuration delivers to.
    public var allSinks: Set<String> {
        Set((queue ? [Self.queueSink] : []) + routes.map(\.sink))
    }
}
