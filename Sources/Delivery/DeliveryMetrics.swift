import CoreMetrics
import Foundation

/// The outbox's and the deliveries' series, through swift-metrics (the daemon
/// bootstraps it onto its Prometheus registry):
/// - `camprobe_outbox_events`: events kept in the outbox;
/// - `camprobe_outbox_pending{sink}`: deliveries waiting, per destination
///   (`amqp`, `webhook:<route>`): the backlog;
/// - `camprobe_outbox_dropped_total`: undelivered events removed by the outbox limit;
/// - `camprobe_queue_published_total`: events the broker confirmed;
/// - `camprobe_queue_confirm_seconds`: time from publishing a batch to its confirms;
/// - `camprobe_queue_reconnects_total`: connections to the broker after the first;
/// - `camprobe_queue_connected`: 1 while connected;
/// - `camprobe_webhook_deliveries_total{route,outcome}`: `delivered`, `retry`, `given_up`.
public struct DeliveryMetrics: Sendable {
    public init() {}

    func outbox(events: Int, pending: [String: Int], sinks: Set<String>) {
        Gauge(label: "camprobe_outbox_events").record(events)
        for sink in sinks {
            Gauge(label: "camprobe_outbox_pending", dimensions: [("sink", sink)]).record(pending[sink] ?? 0)
        }
    }

    public func dropped(_ count: Int) {
        Counter(label: "camprobe_outbox_dropped_total").increment(by: count)
    }

    func published(_ count: Int, confirmSeconds: Double) {
        Counter(label: "camprobe_queue_published_total").increment(by: count)
        Timer(label: "camprobe_queue_confirm_seconds").recordNanoseconds(Int64(confirmSeconds * 1e9))
    }

    func reconnected() {
        Counter(label: "camprobe_queue_reconnects_total").increment()
    }

    func connected(_ connected: Bool) {
        Gauge(label: "camprobe_queue_connected").record(connected ? 1 : 0)
    }

    func webhook(route: String, outcome: String, count: Int = 1) {
        Counter(label: "camprobe_webhook_deliveries_total", dimensions: [("route", route), ("outcome", outcome)])
            .increment(by: count)
    }
}
