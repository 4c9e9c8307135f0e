/// How a batch of variable-length sequences is packed, as PyTorch's `PackedSequence`.
///
/// Sequences are sorted by length, longest first (a stable sort: ties keep their batch
/// order, which is what the lecture's printed batch shows), and stored time step by time
/// step: step t holds the `batchSizes[t]` sequences still alive at t, in sorted order, so
/// the rows of step t are `stepOffsets[t] ..< stepOffsets[t + 1]`. Padding never takes a row.
public struct PackedSequenceLayout: Sendable, Equatable {
    /// Lengths in the original batch order.
    public let lengths: [Int]
    /// Sorted position → original batch index (PyTorch's `sorted_indices`).
    public let sortedIndices: [Int]
    /// Original batch index → sorted position (PyTorch's `unsorted_indices`).
    public let unsortedIndices: [Int]
    /// Live sequences per time step (PyTorch's `batch_sizes`).
    public let batchSizes: [Int]
    /// First packed row of each step; `stepOffsets[steps]` is the number of rows.
    public let stepOffsets: [Int]

    /// Packs sequences of these lengths; every length must be at least 1 (as PyTorch requires).
    public init(lengths: [Int]) {
        precondition(!lengths.isEmpty && lengths.allSatisfy { $0 > 0 }, "every sequence needs at least one step")
        self.lengths = lengths
        let sorted = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
        sortedIndices = sorted
        var unsorted = [Int](repeating: 0, count: lengths.count)
        for (position, index) in sorted.enumerated() { unsorted[index] = position }
        unsortedIndices = unsorted
        let steps = lengths[sorted[0]]
        var sizes = [Int](repeating: 0, count: steps)
        var alive = lengths.count
        for t in 0..<steps {
            while alive > 0 && lengths[sorted[alive - 1]] <= t { alive -= 1 }
            sizes[t] = alive
        }
        batchSizes = sizes
        var offsets = [0]
        offsets.reserveCapacity(steps + 1)
        for size in sizes { offsets.append(offsets.last! + size) }
        stepOffsets = offsets
    }

    public var batch: Int { lengths.count }
    public var steps: Int { batchSizes.count }
    public var rows: Int { stepOffsets[steps] }
    /// Lengths in sorted order.
    public var sortedLengths: [Int] { sortedIndices.map { lengths[$0] } }

    /// Packs time-major padded data (steps × batch × width, original batch order) into rows × width.
    public func pack(timeMajor padded: [Float], width: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * width)
        for t in 0..<steps {
            for position in 0..<batchSizes[t] {
                let source = (t * batch + sortedIndices[position]) * width
                let target = (stepOffsets[t] + position) * width
                for k in 0..<width { out[target + k] = padded[source + k] }
            }
        }
        return out
    }

    /// Unpacks rows × width into time-major padded form (steps × batch × width, original
    /// order), zeros past each length: `pad_packed_sequence`.
    public func unpack(_ packed: UnsafeBufferPointer<Float>, width: Int) -> [Float] {
        var out = [Float](repeating: 0, count: steps * batch * width)
        for t in 0..<steps {
            for position in 0..<batchSizes[t] {
                let source = (stepOffsets[t] + position) * width
                let target = (t * batch + sortedIndices[position]) * width
                for k in 0..<width { out[target + k] = packed[source + k] }
            }
        }
        return out
    }

    /// Reorders per-sequence rows (count × width, sorted order) into original batch order.
    public func unsort(_ sorted: UnsafeBufferPointer<Float>, width: Int) -> [Float] {
        var out = [Float](repeating: 0, count: batch * width)
        for position in 0..<batch {
            let target = sortedIndices[position] * width
            for k in 0..<width { out[target + k] = sorted[position * width + k] }
        }
        return out
    }

    /// Reorders per-sequence rows from original batch order into sorted order.
    public func sort(_ original: [Float], width: Int) -> [Float] {
        var out = [Float](repeating: 0, count: batch * width)
        for position in 0..<batch {
            let source = sortedIndices[position] * width
            for k in 0..<width { out[position * width + k] = original[source + k] }
        }
        return out
    }
}
