import WordmillArtifacts

/// Where a position of a part's token stream lies: the document and how far into it.
public struct PartPosition: Sendable, Equatable {
    public var document: Int
    public var within: Int
}

extension SequenceSource {
    /// The documents and offsets of `positions` (ascending) in the stream of `part`'s
    /// documents end to end: one pass over the offsets and the split.
    public func positions(_ positions: [Int], in part: Part) throws -> [PartPosition] {
        precondition(zip(positions, positions.dropFirst()).allSatisfy { $0 <= $1 }, "positions must ascend")
        var found: [PartPosition] = []
        found.reserveCapacity(positions.count)
        var passed = 0
        try scan { d, range, training in
            guard part.includes(training: training) else { return }
            while found.count < positions.count, positions[found.count] < passed + range.count {
                found.append(PartPosition(document: d, within: positions[found.count] - passed))
            }
            passed += range.count
        }
        guard found.count == positions.count else { throw damaged("the part holds \(passed) tokens; position \(positions[found.count]) was asked for") }
        return found
    }
}

/// Reads the tokens of one part's documents end to end — the stream a language model trains
/// on — from any position, through a buffer of `chunk` ids and one of `chunk` documents'
/// offsets and splits: memory is the buffers, not the stream. Ids are checked as they arrive.
/// The cursors of one source share its frame caches: use them from one thread.
public final class PartTokenCursor {
    let source: SequenceSource
    let part: SequenceSource.Part
    let chunk: Int
    private var document: Int
    private var within: Int
    /// Token starts of documents docBase ..< docBase + docTraining.count (one more entry), and their splits.
    private var docBase = 0
    private var docStarts: [Int] = []
    private var docTraining: [Bool] = []
    /// Ids tokenBase ..< tokenBase + tokens.count of the artifact's stream.
    private var tokenBase = 0
    private var tokens: [Int32] = []

    public init(_ source: SequenceSource, part: SequenceSource.Part, at position: PartPosition, chunk: Int) {
        self.source = source
        self.part = part
        self.chunk = max(1, chunk)
        document = position.document
        within = position.within
    }

    /// Appends the next `count` tokens of the stream to `out`.
    public func take(_ count: Int, appendingTo out: inout [Int32]) throws {
        try advance(count) { range in try self.copy(range, to: &out) }
    }

    /// Moves past the next `count` tokens without reading them.
    public func skip(_ count: Int) throws {
        try advance(count) { _ in }
    }

    private func advance(_ count: Int, _ visit: (Range<Int>) throws -> Void) throws {
        var need = count
        while need > 0 {
            let i = try settle()
            let from = docStarts[i] + within
            let k = min(need, docStarts[i + 1] - from)
            try visit(from..<(from + k))
            within += k
            need -= k
        }
    }

    /// Moves to the first document from here on that is in the part and has tokens left;
    /// returns its index in the documents buffer.
    private func settle() throws -> Int {
        while true {
            guard document < source.documents else { throw source.damaged("the part's tokens end before the position asked for") }
            if document < docBase || document >= docBase + docTraining.count { try loadDocuments(from: document) }
            let i = document - docBase
            if part.includes(training: docTraining[i]) && within < docStarts[i + 1] - docStarts[i] { return i }
            document += 1
            within = 0
        }
    }

    private func loadDocuments(from first: Int) throws {
        let end = min(source.documents, first + chunk)
        let starts = try source.reader.readValues(SequenceSource.offsetsSection, first..<(end + 1), as: UInt64.self, cache: source.frameCaches[0])
        for (a, b) in zip(starts, starts.dropFirst()) where b < a || b > UInt64(source.tokens) {
            throw source.damaged("section '\(SequenceSource.offsetsSection)' falls or overruns the ids near document \(first) (\(a) → \(b))")
        }
        docStarts = starts.map { Int($0) }
        docTraining = source.hasSplit
            ? try source.reader.readValues(DocumentLabels.splitSection, first..<end, as: UInt8.self, cache: source.frameCaches[1]).map { $0 == 0 }
            : [Bool](repeating: true, count: end - first)
        docBase = first
    }

    private func copy(_ range: Range<Int>, to out: inout [Int32]) throws {
        var at = range.lowerBound
        while at < range.upperBound {
            if at < tokenBase || at >= tokenBase + tokens.count {
                let end = min(source.tokens, at + chunk)
                tokens = try source.reader.readValues(SequenceSource.idsSection, at..<end, as: Int32.self, cache: source.frameCaches[2])
                let size = Int32(source.vocabulary.count)
                if let bad = tokens.firstIndex(where: { $0 < 0 || $0 >= size }) {
                    throw source.damaged("section '\(SequenceSource.idsSection)' holds id \(UInt32(bitPattern: tokens[bad])) at token \(at + bad), past the vocabulary of \(size)")
                }
                tokenBase = at
            }
            let n = min(range.upperBound, tokenBase + tokens.count) - at
            out.append(contentsOf: tokens[(at - tokenBase)..<(at - tokenBase + n)])
            at += n
        }
    }
}
