import Metrics
import Prometheus

/// Points swift-metrics' global `MetricsSystem` at a Prometheus registry, so
/// metrics that libraries (and any daemon code written against swift-metrics)
/// record through it are served on `/metrics` too.
///
/// Call it **once, at startup**, before anything records a metric:
/// `MetricsSystem.bootstrap` traps when called a second time, and metrics
/// created before it go to swift-metrics' no-op backend for good. Tests do not
/// call it; they hand a registry of their own to ``ProbeMetrics`` and
/// ``MetricsServer``.
public enum MetricsBootstrap {
    public static func bootstrap(_ registry: PrometheusCollectorRegistry) {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}
