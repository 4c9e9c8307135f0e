/// Which examples a window dataset defines.
public struct WindowConfig: Sendable, Equatable {
    /// CBOW: (all context words, centre). Skip-gram: one (centre, context word) pair per context word.
    public enum Kind: String, Sendable, CaseIterable { case cbow, skipgram }
    /// `fullOnly`: only centres with `window` words on both sides (the lecture's datasets).
    /// `truncate`: every centre, its window cut at the document's edges (word2vec.c).
    public enum Edges: String, Sendable, CaseIterable { case fullOnly = "full-only", truncate }

    public var kind: Kind
    public var window: Int
    public var edges: Edges

    public init(kind: Kind, window: Int, edges: Edges) {
        precondition(window >= 1)
        self.kind = kind
        self.window = window
        self.edges = edges
    }

    /// Width of a materialised CBOW row's context part (2 × window; -1 fills missing words).
    public var contextWidth: Int { 2 * window }

    /// Visits every centre of one document with its context words, in the lecture's order:
    /// centres left to right; context left (far → near) then right (near → far).
    @inline(__always)
    public func forEachCentre(
        _ document: UnsafeBufferPointer<Int32>, _ body: (_ centre: Int32, _ left: UnsafeBufferPointer<Int32>, _ right: UnsafeBufferPointer<Int32>) throws -> Void
    ) rethrows {
        let n = document.count
        for i in 0..<n {
            let lo = i - window, hi = i + window
            if edges == .fullOnly, lo < 0 || hi >= n { continue }
            let left = UnsafeBufferPointer(rebasing: document[max(0, lo)..<i])
            let right = UnsafeBufferPointer(rebasing: document[min(n, i + 1)..<min(n, hi + 1)])
            if left.isEmpty && right.isEmpty { continue }
            try body(document[i], left, right)
        }
    }

    /// How many examples a document of `length` ids yields.
    public func exampleCount(documentLength n: Int) -> Int {
        var total = 0
        for i in 0..<n {
            let lo = i - window, hi = i + window
            if edges == .fullOnly, lo < 0 || hi >= n { continue }
            let contexts = (i - max(0, lo)) + (min(n - 1, hi) - i)
            if contexts == 0 { continue }
            total += kind == .cbow ? 1 : contexts
        }
        return total
    }
}
