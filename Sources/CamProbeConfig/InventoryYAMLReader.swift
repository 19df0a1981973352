import Yams

/// A YAML inventory: `cameras:` and `recorders:`, lists of mappings.
struct InventoryYAMLReader {
    static let keys = ["cameras", "recorders"]

    let log: DiagnosticLog

    func read(_ document: YAMLDocument, into builder: inout InventoryBuilder) {
        guard let root = document.root,
            let top = YAMLMapping(root, path: document.path, what: "the inventory", allowed: Self.keys, log: log)
        else { return }
        for entry in top.entries {
            guard let items = top.list(entry.key) else { continue }
            for item in items {
                if entry.key == "cameras" {
                    guard let camera = YAMLMapping(item, path: document.path, what: "camera", allowed: InventoryKeys.camera, log: log)
                    else { continue }
                    builder.addCamera(camera)
                } else {
                    guard let recorder = YAMLMapping(item, path: document.path, what: "recorder", allowed: InventoryKeys.recorder, log: log)
                    else { continue }
                    builder.addRecorder(recorder)
                }
            }
        }
    }
}
