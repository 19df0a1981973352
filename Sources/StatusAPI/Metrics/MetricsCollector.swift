/// Something that writes series of its own into a scrape, beside the
/// registry's: ``ProbeMetrics``' per-camera series, the process figures.
public protocol MetricsCollector: Sendable {
    /// Appends complete metric families (`# HELP`, `# TYPE`, samples) in the
    /// Prometheus text format.
    func emit(into buffer: inout [UInt8])
}
