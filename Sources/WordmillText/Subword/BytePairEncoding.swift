/// Byte-pair encoding over Unicode scalars (so Hangul syllables, Latin letters and CJK
/// characters are each one starting symbol), learned from word counts (Sennrich et al.
/// 2016) and applied word by word.
///
/// A word is written `▁` + its characters, SentencePiece's convention: its first piece
/// starts with `▁`, so joining a word's pieces and dropping that first `▁` gives the word
/// back. Learning repeatedly merges the adjacent pair of symbols with the highest count
/// (weighted by word counts); ties go to the pair whose merged string is smallest in code
/// point order, then to the earlier pair — so the result is deterministic.
public struct BytePairEncoding: Sendable, Equatable {
    /// The word-start marker (U+2581).
    public static let marker = "\u{2581}"

    /// The merges in the order they were learned: (left, right) symbol strings.
    public let merges: [(String, String)]
    private let ranks: [String: Int]

    public init(merges: [(String, String)]) {
        self.merges = merges
        var ranks: [String: Int] = [:]
        for (rank, (a, b)) in merges.enumerated() where ranks[a + "\u{0}" + b] == nil { ranks[a + "\u{0}" + b] = rank }
        self.ranks = ranks
    }

    public static func == (a: BytePairEncoding, b: BytePairEncoding) -> Bool {
        a.merges.count == b.merges.count && zip(a.merges, b.merges).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// Learns up to `merges` merges, or until the symbol inventory (starting characters plus
    /// merged symbols) reaches `vocabularySize`, from `words` with their counts.
    public static func learn(words: [(String, Int)], merges maximumMerges: Int?, vocabularySize: Int?) -> BytePairEncoding {
        var learner = BPELearner(words: words)
        var merges: [(String, String)] = []
        while maximumMerges.map({ merges.count < $0 }) ?? true, vocabularySize.map({ learner.symbolCount < $0 }) ?? true,
              let merge = learner.mergeBest() {
            merges.append(merge)
        }
        return BytePairEncoding(merges: merges)
    }

    /// The pieces of one word: `▁` + its characters, merged by rank (lowest first).
    public func pieces(of word: String) -> [String] {
        var symbols = [BytePairEncoding.marker] + word.unicodeScalars.map { String($0) }
        if symbols.count > 1 {
            symbols[1] = symbols[0] + symbols[1]
            symbols.removeFirst()
        }
        while symbols.count > 1 {
            var best = -1, bestRank = Int.max
            for k in 0..<(symbols.count - 1) {
                if let r = ranks[symbols[k] + "\u{0}" + symbols[k + 1]], r < bestRank {
                    best = k
                    bestRank = r
                }
            }
            if best < 0 { break }
            symbols[best] += symbols[best + 1]
            symbols.remove(at: best + 1)
        }
        return symbols
    }
}

/// The learning state: each distinct word as a list of symbol ids, the count of every
/// adjacent pair, and for every pair the words that may hold it, updated incrementally per
/// merge. The word lists only grow (appending is far cheaper than set insertion): a word may
/// be listed twice or no longer hold the pair, and a merge skips those.
struct BPELearner {
    private var symbols: [String] = []
    private var symbolIds: [String: Int32] = [:]
    private var words: [[Int32]] = []
    private var counts: [Int] = []
    private var pairCounts: [UInt64: Int] = [:]
    private var pairWords: [UInt64: [Int32]] = [:]
    private var heap = PairHeap()
    /// The merge that last visited each word, to skip a word listed twice.
    private var lastVisit: [Int32] = []
    private var mergeIndex: Int32 = 0

    var symbolCount: Int { symbols.count }

    init(words input: [(String, Int)]) {
        for (word, count) in input where count > 0 && !word.isEmpty {
            var ids: [Int32] = []
            var first = true
            for scalar in word.unicodeScalars {
                // The marker is fused with the first character, as `pieces(of:)` starts.
                ids.append(symbol(first ? BytePairEncoding.marker + String(scalar) : String(scalar)))
                first = false
            }
            let w = Int32(words.count)
            words.append(ids)
            counts.append(count)
            for k in 0..<max(0, ids.count - 1) {
                let pair = BPELearner.key(ids[k], ids[k + 1])
                pairCounts[pair, default: 0] += count
                pairWords[pair, default: []].append(w)
            }
        }
        lastVisit = [Int32](repeating: -1, count: words.count)
        for (pair, count) in pairCounts { heap.push(count: count, merged: merged(pair), pair: pair) }
    }

    static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    private mutating func symbol(_ s: String) -> Int32 {
        if let id = symbolIds[s] { return id }
        let id = Int32(symbols.count)
        symbols.append(s)
        symbolIds[s] = id
        return id
    }

    private func merged(_ pair: UInt64) -> String { symbols[Int(pair >> 32)] + symbols[Int(pair & 0xFFFF_FFFF)] }

    /// Merges the best pair everywhere; nil when no pair occurs any more.
    mutating func mergeBest() -> (String, String)? {
        while let top = heap.pop() {
            guard let current = pairCounts[top.pair], current == top.count, current > 0 else { continue }  // stale entry
            let a = Int32(top.pair >> 32), b = Int32(top.pair & 0xFFFF_FFFF)
            let newSymbol = symbol(symbols[Int(a)] + symbols[Int(b)])
            var touched: [UInt64: Int] = [:]
            mergeIndex += 1
            for w in pairWords[top.pair] ?? [] where lastVisit[Int(w)] != mergeIndex {
                lastVisit[Int(w)] = mergeIndex
                let old = words[Int(w)]
                var holds = false
                for k in 0..<max(0, old.count - 1) where old[k] == a && old[k + 1] == b {
                    holds = true
                    break
                }
                guard holds else { continue }
                var merged: [Int32] = []
                merged.reserveCapacity(old.count)
                var k = 0
                while k < old.count {
                    if k + 1 < old.count && old[k] == a && old[k + 1] == b {
                        merged.append(newSymbol)
                        k += 2
                    } else {
                        merged.append(old[k])
                        k += 1
                    }
                }
                let c = counts[Int(w)]
                for k in 0..<max(0, old.count - 1) { touched[BPELearner.key(old[k], old[k + 1]), default: 0] -= c }
                for k in 0..<max(0, merged.count - 1) {
                    let pair = BPELearner.key(merged[k], merged[k + 1])
                    touched[pair, default: 0] += c
                    // Pairs without the new symbol list this word already.
                    if merged[k] == newSymbol || merged[k + 1] == newSymbol { pairWords[pair, default: []].append(w) }
                }
                words[Int(w)] = merged
            }
            for (pair, delta) in touched where delta != 0 {
                let count = (pairCounts[pair] ?? 0) + delta
                pairCounts[pair] = count
                if count > 0 { heap.push(count: count, merged: merged(pair), pair: pair) } else { pairCounts[pair] = nil }
            }
            pairCounts[top.pair] = nil
            pairWords[top.pair] = nil
            return (symbols[Int(a)], symbols[Int(b)])
        }
        return nil
    }
}

/// A max-heap of (count, merged string, pair): highest count first, then the smallest
/// merged string in code-point order, then the smallest pair key. Entries go stale when a
/// pair's count changes; the learner skips those.
struct PairHeap {
    private var items: [(count: Int, merged: [UInt32], pair: UInt64)] = []

    mutating func push(count: Int, merged: String, pair: UInt64) {
        items.append((count, merged.unicodeScalars.map(\.value), pair))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if !PairHeap.before(items[i], items[parent]) { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (count: Int, pair: UInt64)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var best = i
                if l < items.count && PairHeap.before(items[l], items[best]) { best = l }
                if r < items.count && PairHeap.before(items[r], items[best]) { best = r }
                if best == i { break }
                items.swapAt(i, best)
                i = best
            }
        }
        return (top.count, top.pair)
    }

    private static func before(_ x: (count: Int, merged: [UInt32], pair: UInt64), _ y: (count: Int, merged: [UInt32], pair: UInt64)) -> Bool {
        if x.count != y.count { return x.count > y.count }
        if x.merged != y.merged { return x.merged.lexicographicallyPrecedes(y.merged) }
        return x.pair < y.pair
    }
}
