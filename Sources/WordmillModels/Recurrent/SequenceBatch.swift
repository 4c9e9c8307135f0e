/// A batch of token-id sequences with their targets, in the batch's own order.
///
/// `tokens` holds the sequences end to end (`starts[i]` is where sequence i begins);
/// `targets` holds one class per sequence (classify) or one per token, aligned with
/// `tokens` (tag, lm). The arrays keep their capacity across `removeAll`.
public struct SequenceBatch: Sendable {
    public var lengths: [Int] = []
    public var starts: [Int] = []
    public var tokens: [Int32] = []
    public var targets: [Int32] = []

    public init() {}

    public var count: Int { lengths.count }

    public mutating func removeAll() {
        lengths.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
        targets.removeAll(keepingCapacity: true)
    }

    /// Appends one sequence (at least one token).
    public mutating func append<C: Collection>(_ sequence: C) where C.Element == Int32 {
        precondition(!sequence.isEmpty, "a sequence needs at least one token")
        starts.append(tokens.count)
        lengths.append(sequence.count)
        tokens.append(contentsOf: sequence)
    }
}
