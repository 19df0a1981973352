/// The release, as `camprobe --version` prints it and heartbeats carry it.
public enum CamProbeVersion {
    public static let current = "0.9.0"
}
