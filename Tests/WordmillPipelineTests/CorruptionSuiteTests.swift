import Foundation
import Testing
import WordmillArtifacts
import WordmillNumerics
import WordmillTestSupport
@testable import WordmillPipeline
@testable import WordmillStages

/// Fault injection, corruption class: every kind of artifact a pipeline makes gets random
/// single-byte flips, truncations and appended garbage; each damaged file must be rejected
/// with an error naming it — by the container reader and by the kind's own decoder — never
/// accepted, never a crash.
@Suite(.serialized) struct CorruptionSuiteTests {
    static let spec = """
        {"wordmill": 1, "name": "every-kind", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "corpus.tsv", "format": "tsv", "split": {"test_fraction": 0.25, "seed": 1}},
          {"name": "vocab", "op": "vocab", "from": "tokens"},
          {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 2},
          {"name": "w2v", "op": "train", "from": "windows", "model": "word2vec", "dim": 8, "epochs": 1},
          {"name": "cooc", "op": "cooccurrence", "from": ["tokens", "vocab"], "window": 3},
          {"name": "glove", "op": "train", "from": "cooc", "model": "glove", "dim": 8, "epochs": 2},
          {"name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"]},
          {"name": "nb", "op": "train", "from": "bow", "model": "naive-bayes"},
          {"name": "nb-eval", "op": "evaluate", "from": ["nb", "bow"]},
          {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify"},
          {"name": "rnn", "op": "train", "from": "sequences", "model": "rnn", "cell": "gru", "embedding_dim": 4, "hidden": 6, "epochs": 2, "batch_size": 4},
          {"name": "export", "op": "export", "from": "w2v", "format": "word2vec-text", "path": "w2v.txt"}
        ]}
        """

    static func corpus() -> String {
        let words = ["apple", "pear", "plum", "saw", "drill", "nail", "red", "green", "big", "small"]
        var random = RandomGenerator(seed: 9)
        return (0..<60).map { i in
            "\(i % 2 == 0 ? "fruit" : "tool")\t" + (0..<(4 + i % 6)).map { _ in words[random.nextInt(below: words.count)] }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    /// Opens, verifies and decodes an artifact the way `run` and `inspect` would.
    static func readFully(_ path: String) throws {
        let reader = try ArtifactReader(path: path)
        try reader.verifyChecksums()
        for section in reader.header.sections { _ = try reader.readBytes(section.name) }
        _ = try ArtifactRows.rows(reader, limit: 1_000_000)
    }

    @Test func everyArtifactKindRejectsFlipsTruncationsAndGarbage() throws {
        let (dir, result) = try runSpec(Self.spec, files: ["corpus.tsv": Self.corpus()])
        #expect(result.exitCode == .ok)
        let artifacts = FileSystem.listDirectory(dir.file("art")).filter { $0.hasSuffix(".wma") }.sorted()
        #expect(artifacts.count == 12, "\(artifacts)")
        var random = RandomGenerator(seed: 2026)
        var kinds: Set<String> = [], injected = 0, rejected = 0
        let damaged = dir.file("damaged.wma")
        for name in artifacts {
            let path = dir.file("art/" + name)
            let original = try FileSystem.readFile(path)
            kinds.insert(try ArtifactReader(path: path).header.kind)
            try Self.readFully(path)  // the undamaged file reads
            var variants: [(String, [UInt8])] = []
            for _ in 0..<300 {
                var copy = original
                let offset = random.nextInt(below: copy.count)
                copy[offset] ^= UInt8(1 + random.nextInt(below: 255))
                variants.append(("flip at \(offset)", copy))
            }
            for _ in 0..<60 {
                let length = random.nextInt(below: original.count)
                variants.append(("truncated to \(length)", Array(original[0..<length])))
            }
            for _ in 0..<20 {
                let extra = (0..<(1 + random.nextInt(below: 64))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                variants.append(("\(extra.count) bytes appended", original + extra))
            }
            for (what, bytes) in variants {
                try AtomicFile.write(bytes, to: damaged)
                injected += 1
                do {
                    try Self.readFully(damaged)
                    Issue.record("\(name), \(what): accepted")
                } catch let error as ArtifactError {
                    #expect(error.description.contains(damaged), "\(name), \(what): the error does not name the file: \(error)")
                    rejected += 1
                } catch {
                    Issue.record("\(name), \(what): rejected without naming the file: \(error)")
                }
            }
        }
        #expect(kinds == ["tokens", "vocab", "windows", "word2vec", "cooccurrence", "glove", "bag-of-words", "naive-bayes", "evaluation", "sequences", "rnn", "export"])
        #expect(rejected == injected)
        print("corruption suite: \(injected) damaged artifacts of \(kinds.count) kinds injected, \(rejected) rejected naming the file")
    }
}
