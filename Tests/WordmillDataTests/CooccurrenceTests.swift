import Foundation
import Testing
import WordmillArtifacts
import WordmillTestSupport
@testable import WordmillData

@Suite struct CooccurrenceTests {
    /// Documents of word ids, random with a skewed distribution so pairs repeat.
    static func documents(count: Int, vocabulary: Int, seed: UInt64) -> [[Int32]] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        return (0..<count).map { _ in
            (0..<(3 + Int(next() % 40))).map { _ in Int32(min(next() % UInt64(vocabulary), next() % UInt64(vocabulary))) }
        }
    }

    /// The textbook count: every pair within the window, weight 1/d or 1, both orders when symmetric.
    static func bruteForce(_ docs: [[Int32]], _ config: CooccurrenceConfig) -> [UInt64: Double] {
        var counts: [UInt64: Double] = [:]
        for doc in docs {
            for p in doc.indices {
                for d in 1...config.window where p - d >= 0 {
                    let w = config.weighting == .harmonic ? 1 / Double(d) : 1
                    counts[UInt64(doc[p - d]) << 32 | UInt64(doc[p]), default: 0] += w
                    if config.symmetric { counts[UInt64(doc[p]) << 32 | UInt64(doc[p - d]), default: 0] += w }
                }
            }
        }
        return counts
    }

    /// Counts with wordmill's counter (spilling when the budget is small); entries in units.
    /// `workers` threads count, handed chunks of `chunkTokens` positions.
    static func count(_ docs: [[Int32]], _ config: CooccurrenceConfig, in dir: TemporaryDirectory, workers: Int = 2, chunkTokens: Int = 1 << 20) throws
        -> (entries: [(UInt64, UInt64)], runs: Int)
    {
        let counter = CooccurrenceCounter(config: config, vocabularySize: 1 << 12, runPrefix: dir.file("out.run"), workers: workers, chunkTokens: chunkTokens)
        for doc in docs {
            counter.beginDocument()
            for w in doc { counter.add(w) }
        }
        let writer = try ArtifactWriter(path: dir.file("out.wma"))
        var entries = CooccurrenceMatrix.EntryWriter(writer: writer)
        _ = try counter.finish(into: &entries)
        try entries.finish()
        try writer.commit(header: ArtifactHeader(kind: CooccurrenceMatrix.artifactKind, fingerprint: "", stage: "", op: "", parameters: .null))
        let reader = try ArtifactReader(path: dir.file("out.wma"))
        var out: [(UInt64, UInt64)] = []
        try reader.forEachFrame(CooccurrenceMatrix.entriesSection) { frame in
            try CooccurrenceMatrix.forEachEntry(inFrame: frame, vocabularySize: 1 << 20, path: reader.path) { i, j, units in
                out.append((UInt64(i) << 32 | UInt64(j), units))
            }
        }
        #expect(FileSystem.listDirectory(dir.path).filter { $0.contains(".run") }.isEmpty, "spill runs are removed")
        return (out, counter.runs.count)
    }

    @Test(arguments: [(CooccurrenceConfig.Weighting.harmonic, true), (.harmonic, false), (.flat, true), (.flat, false)])
    func equalsBruteForceWithAndWithoutSpilling(_ weighting: CooccurrenceConfig.Weighting, _ symmetric: Bool) throws {
        let docs = Self.documents(count: 300, vocabulary: 400, seed: 3)
        for memory in [1 << 30, 16 * 4096] {  // ample, and a 4096-slot table that must spill
            let config = CooccurrenceConfig(window: 5, symmetric: symmetric, weighting: weighting, memoryBytes: memory)
            let (entries, runs) = try Self.count(docs, config, in: TemporaryDirectory())
            if memory < 1 << 20 { #expect(runs >= 2) } else { #expect(runs == 0) }
            let expected = Self.bruteForce(docs, config)
            #expect(entries.count == expected.count)
            #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.0 < $1.0 }, "sorted by (i, j), each pair once")
            let unit = Double(config.unit)
            for (key, units) in entries {
                let want = expected[key] ?? -1
                #expect(abs(Double(units) / unit - want) <= 1e-12 * max(1, want), "pair \(key >> 32),\(key & 0xFFFF_FFFF)")
            }
        }
    }

    /// Any number of workers and any chunk size (down to one position, so windows reach across
    /// several chunks) count the same entries.
    @Test(arguments: [(1, 1 << 20), (2, 7), (3, 1), (4, 64)])
    func workersAndChunksCountTheSame(_ workers: Int, _ chunkTokens: Int) throws {
        let docs = Self.documents(count: 600, vocabulary: 800, seed: 5)
        for symmetric in [true, false] {
            let config = CooccurrenceConfig(window: 6, symmetric: symmetric, memoryBytes: 16 * 4096)
            let reference = try Self.count(docs, config, in: TemporaryDirectory(), workers: 1)
            let (entries, runs) = try Self.count(docs, config, in: TemporaryDirectory(), workers: workers, chunkTokens: chunkTokens)
            #expect(runs >= workers, "every worker spills with a 4096-slot budget")
            #expect(entries.map(\.0) == reference.entries.map(\.0))
            #expect(entries.map(\.1) == reference.entries.map(\.1))
        }
    }

    @Test func shardsAddUpExactly() throws {
        let docs = Self.documents(count: 200, vocabulary: 300, seed: 9)
        let config = CooccurrenceConfig(window: 10, memoryBytes: 16 * 4096)
        let whole = try Self.count(docs, config, in: TemporaryDirectory()).entries
        let first = try Self.count(Array(docs[..<77]), config, in: TemporaryDirectory()).entries
        let second = try Self.count(Array(docs[77...]), config, in: TemporaryDirectory()).entries
        var merged: [UInt64: UInt64] = [:]
        for (key, units) in first + second { merged[key, default: 0] += units }
        #expect(merged.count == whole.count)
        for (key, units) in whole { #expect(merged[key] == units) }
        #expect(config.unit == 2520)
    }

    /// The dense table takes the largest bound on (a + 1)(b + 1) whose rows fit its budget.
    @Test func theDenseTableFillsItsBudget() {
        func entries(_ m: Int, _ v: Int) -> Int { (0..<min(v, m)).reduce(0) { $0 + min(v, m / ($1 + 1)) } }
        for (v, budget) in [(1000, 80_000), (50, 1 << 20), (40_000, 1 << 20)] {
            let dense = DensePairCounts(vocabularySize: v, budgetBytes: budget)
            defer { dense.release() }
            #expect(entries(dense.maxProduct, v) * 8 <= budget)
            #expect(dense.maxProduct >= v * v || entries(dense.maxProduct + 1, v) * 8 > budget)
            #expect((dense.slot(0, v - 1) != nil) == (v <= dense.maxProduct))
        }
    }

    /// The radix sort orders keys as the standard library does, across its digit widths
    /// (11-bit above 65,536 entries, 8-bit below, comparison at or below 512) and key shapes.
    @Test(arguments: [(0, 20, 20), (1, 3, 3), (500, 12, 12), (5_000, 1, 30), (70_000, 20, 4), (200_000, 17, 17)])
    func pairSortMatchesAComparisonSort(count: Int, rowBits: Int, columnBits: Int) {
        var state: UInt64 = UInt64(count) &+ 99
        var keys = Set<UInt64>()
        while keys.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let row = (state >> 20) & ((1 << rowBits) - 1), column = (state >> 44) & ((1 << columnBits) - 1)
            keys.insert(row << 32 | column)
        }
        var slots = keys.map { PairSlot(key: $0, units: $0 &* 3) }
        slots.withUnsafeMutableBufferPointer { PairSort.sort($0) }
        #expect(slots.map(\.key) == keys.sorted())
        #expect(slots.allSatisfy { $0.units == $0.key &* 3 })
    }

    /// A spill file gives back its entries exactly — keys far apart and close, the largest
    /// ids and counts, blocks full and partial — and a block cut short is named as damaged.
    @Test func spilledRunsRoundTripAndRefuseDamage() throws {
        let dir = try TemporaryDirectory()
        var state: UInt64 = 7
        var keys = Set<UInt64>([0, UInt64(Int32.max) << 32 | UInt64(Int32.max)])
        while keys.count < 2 * SpilledRun.blockEntries + 123 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            keys.insert((state >> 40) % 50 << 32 | (state >> 13) % (state % 3 == 0 ? 1 << 31 : 300))
        }
        let entries = keys.sorted().enumerated().map { n, key in PairSlot(key: key, units: n == 5 ? UInt64.max : 1 + key % 100_000) }
        let path = dir.path + "/run"
        try entries.withUnsafeBufferPointer { try SpilledRun.write($0, to: path) }
        var cursor = try SpilledRun.cursor(path: path)
        var read: [PairSlot] = []
        while !cursor.isAtEnd {
            read.append(PairSlot(key: cursor.key, units: cursor.units))
            try cursor.advance()
        }
        #expect(read.map(\.key) == entries.map(\.key))
        #expect(read.map(\.units) == entries.map(\.units))

        let cut: [UInt8] = [0x85, 0x01, 0x80]  // key 133, then units that never end
        #expect(throws: ArtifactError.self) {
            try cut.withUnsafeBytes { try SpilledRun.decode($0, path: path, frame: 3) }
        }
        let repeated: [UInt8] = [0x05, 0x01, 0x00, 0x01]  // the same key twice
        #expect(throws: ArtifactError.self) {
            try repeated.withUnsafeBytes { try SpilledRun.decode($0, path: path, frame: 0) }
        }
    }
}
