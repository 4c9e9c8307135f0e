import Foundation
import Testing
import WordmillArtifacts
import WordmillNumerics
import WordmillTestSupport

/// Fault injection, kill -9 class: a run is killed with SIGKILL at a random moment inside
/// each kind of stage (tokenize, vocab, windows, cooccurrence with spilling, bag-of-words,
/// sequences, word2vec and rnn training); after every kill no file under a final name is
/// truncated or damaged, and the next run completes with artifacts byte-identical to an
/// uninterrupted run's.
@Suite(.serialized) struct KillSuiteTests {
    static let stages = ["tokens", "vocab", "windows", "cooc", "bow", "sequences", "w2v", "rnn"]
    static let spec = """
        {"wordmill": 1, "name": "kills", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "corpus.tsv", "format": "tsv", "split": {"test_fraction": 0.2, "seed": 1}, "threads": 1},
          {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 2},
          {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 2},
          {"name": "cooc", "op": "cooccurrence", "from": ["tokens", "vocab"], "window": 4, "memory_mb": 1},
          {"name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"], "ngram_range": [1, 2], "threads": 1},
          {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify", "max_len": 8},
          {"name": "w2v", "op": "train", "from": "windows", "model": "word2vec", "dim": 16, "epochs": 1},
          {"name": "rnn", "op": "train", "from": "sequences", "model": "rnn", "cell": "gru", "embedding_dim": 8, "hidden": 8, "epochs": 3, "batch_size": 32}
        ]}
        """

    static func workspace() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        var random = RandomGenerator(seed: 5)
        var lines: [String] = []
        for i in 0..<3000 {
            // Zipf-like words, so the vocabulary has a long tail as real text does.
            let words = (0..<(5 + random.nextInt(below: 21))).map { _ in "w\(Int(Foundation.exp(random.nextDouble() * Foundation.log(3000.0))) - 1)" }
            lines.append("\(["a", "b", "c"][i % 3])\t" + words.joined(separator: " "))
        }
        dir.write("corpus.tsv", lines.joined(separator: "\n") + "\n")
        dir.write("spec.json", spec)
        return dir
    }

    /// A run of the binary whose standard output is read line by line as it comes.
    final class WatchedRun: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var text = ""

        init(spec: String) throws {
            process.executableURL = URL(fileURLWithPath: Repository.binary)
            process.arguments = ["run", spec]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = out.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    lock.lock()
                    text += String(decoding: chunk, as: UTF8.self)
                    lock.unlock()
                }
            }
        }

        var output: String { lock.lock(); defer { lock.unlock() }; return text }

        /// Waits until `needle` has been printed (or the run ended); true when it was.
        func waitFor(_ needle: String) -> Bool {
            while process.isRunning {
                if output.contains(needle) { return true }
                usleep(1000)
            }
            return output.contains(needle)
        }
    }

    /// Every artifact under its final name reads completely with valid checksums.
    static func checkNothingTruncated(_ dir: TemporaryDirectory, after what: String) {
        for name in FileSystem.listDirectory(dir.file("art")) where name.hasSuffix(".wma") || name.hasSuffix(".checkpoint") {
            do {
                let reader = try ArtifactReader(path: dir.file("art/" + name))
                try reader.verifyChecksums()
            } catch {
                Issue.record("after \(what): \(name) is damaged: \(error)")
            }
        }
    }

    @Test func killedAtRandomInEveryStageKindThenCompletesIdentically() throws {
        let reference = Self.workspace()
        let clean = try runWordmill(["run", reference.file("spec.json")])
        #expect(clean.status == 0, "\(clean.stderr)")
        var expected: [String: [UInt8]] = [:]
        for stage in Self.stages { expected[stage] = try FileSystem.readFile(reference.file("art/\(stage).wma")) }
        // Each stage's duration in the reference run, to place the kills inside it.
        let started = Date()
        let timing = try WatchedRun(spec: Self.workspace().file("spec.json"))
        var durations: [String: Double] = [:]
        for stage in Self.stages {
            guard timing.waitFor("running \(stage) ") else { break }
            let t0 = Date().timeIntervalSince(started)
            _ = timing.waitFor("ran \(stage) ")
            durations[stage] = max(0.002, Date().timeIntervalSince(started) - t0)
        }
        timing.process.waitUntilExit()

        let dir = Self.workspace()
        var random = RandomGenerator(seed: 77)
        var kills: [String: Int] = [:], inside: [String: Int] = [:]
        for round in 0..<2 {
            for (index, stage) in Self.stages.enumerated() {
                // The target stage and everything after it are missing, so the run reaches it.
                for later in Self.stages[index...] { unlink(dir.file("art/\(later).wma")) }
                let run = try WatchedRun(spec: dir.file("spec.json"))
                guard run.waitFor("running \(stage) ") else {
                    Issue.record("round \(round): the run ended before reaching \(stage): \(run.output)")
                    continue
                }
                usleep(UInt32(random.nextDouble() * durations[stage, default: 0.05] * 1_000_000))
                kill(run.process.processIdentifier, SIGKILL)
                run.process.waitUntilExit()
                kills[stage, default: 0] += 1
                if !run.output.contains("ran \(stage) ") { inside[stage, default: 0] += 1 }
                Self.checkNothingTruncated(dir, after: "a kill in \(stage)")
                let next = try runWordmill(["run", dir.file("spec.json")])
                #expect(next.status == 0, "after a kill in \(stage): \(next.stderr)")
                for later in Self.stages {
                    let bytes = try? FileSystem.readFile(dir.file("art/\(later).wma"))
                    #expect(bytes == expected[later], "after a kill in \(stage): \(later).wma differs from the uninterrupted run's")
                }
                #expect(!FileSystem.listDirectory(dir.file("art")).contains { $0.contains(".tmp-") || $0.hasSuffix(".checkpoint") })
            }
        }
        let total = kills.values.reduce(0, +)
        #expect(total == Self.stages.count * 2)
        print("kill suite: \(total) SIGKILLs (\(Self.stages.map { "\($0) \(kills[$0, default: 0]) (\(inside[$0, default: 0]) before it finished)" }.joined(separator: ", "))), all survived")
    }
}
