/// Which messages of one published batch the broker has acked, given delivery tags
/// `firstTag ..< firstTag + count`. A value: tested without a broker.
struct ConfirmTracker: Sendable, Equatable {
    let firstTag: UInt64
    let count: Int
    private var acked: [Bool]
    /// Messages from the start of the batch, all acked.
    private(set) var confirmedPrefix = 0

    init(firstTag: UInt64, count: Int) {
        self.firstTag = firstTag
        self.count = count
        acked = Array(repeating: false, count: count)
    }

    var isComplete: Bool { confirmedPrefix == count }

    /// `multiple` acks every tag up to and including `tag`. Tags of earlier batches are ignored.
    mutating func ack(_ tag: UInt64, multiple: Bool) {
        guard tag >= firstTag else { return }
        let index = Int(min(tag - firstTag, UInt64(count)))
        if multiple {
            confirmedPrefix = max(confirmedPrefix, min(index + 1, count))
        } else if index < count {
            acked[index] = true
        }
        while confirmedPrefix < count, acked[confirmedPrefix] { confirmedPrefix += 1 }
    }

    /// The batch index of the first message a nack refuses, or nil if it concerns only earlier batches.
    func firstIndex(nackedBy tag: UInt64, multiple: Bool) -> Int? {
        guard tag >= firstTag, tag - firstTag < UInt64(count) else {
            // A multiple nack beyond the batch still covers all of it.
            return multiple && tag >= firstTag ? confirmedPrefix : nil
        }
        let index = Int(tag - firstTag)
        return multiple ? min(confirmedPrefix, index) : index
    }
}
