import Foundation
import Testing
import WordmillTestSupport

/// `wordmill run --executor slurm` on the one-node Slurm cluster that the test command starts
/// (corpora/tools/slurm-cluster.sh): a sharded pipeline's jobs, arrays and merges.
@Suite(.serialized) struct SlurmExecutorTests {
    /// tokenize (in 2 shards) → vocab (in 3) → cooccurrence in `shards` shards (none: all unsharded).
    static func spec(shards: Int?, window: Int = 5) -> String {
        let split = shards.map { #", "shards": \#($0), "slurm": {"mem": "500M"}"# } ?? ""
        let vocabSplit = shards == nil ? "" : #", "shards": 3"#
        let tokensSplit = shards == nil ? "" : #", "shards": 2"#
        return """
            {"wordmill": 1, "name": "slurm-test", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "whitespace"\(tokensSplit)},
              {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 2\(vocabSplit)},
              {"name": "cooc", "op": "cooccurrence", "from": ["tokens", "vocab"], "window": \(window)\(split)}
            ]}
            """
    }

    /// 400 documents of a seeded LCG's words.
    static let corpus: String = {
        var state: UInt64 = 99
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        return (0..<400).map { _ in (0..<(1 + next() % 40)).map { _ in "w\(next() % 90)" }.joined(separator: " ") }.joined(separator: "\n") + "\n"
    }()

    /// The jobs' artifacts equal an unsharded local run's byte for byte; then a shard made to
    /// fail stops the merge (`afterok`), the run exits 1 naming it, the stage's artifact is
    /// left as it was, and `wordmill status` names the failed shard.
    @Test func aShardedPipelineRunsThroughSlurmAndAFailedShardStopsItsMerge() throws {
        let local = TemporaryDirectory()
        local.write("spec.json", Self.spec(shards: nil))
        local.write("corpus.txt", Self.corpus)
        #expect(try runWordmill(["run", "spec.json", "--quiet"], in: local.path).status == 0)

        let cluster = TemporaryDirectory()
        cluster.write("spec.json", Self.spec(shards: 4))
        cluster.write("corpus.txt", Self.corpus)
        let submitted = try runWordmill(["run", "spec.json", "--executor", "slurm"], in: cluster.path)
        #expect(submitted.status == 0, "\(submitted.stdout)\(submitted.stderr)")
        #expect(submitted.stdout.contains("submitted cooc[shards] as Slurm job "))
        for stage in ["tokens", "vocab", "cooc"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: cluster.file("art/\(stage).wma"))) == Data(contentsOf: URL(fileURLWithPath: local.file("art/\(stage).wma"))), "\(stage)")
        }
        #expect(FileManager.default.fileExists(atPath: cluster.file("art/.wordmill/slurm/cooc.shard-3.out")))

        // Nothing left to do: nothing is submitted.
        let again = try runWordmill(["run", "spec.json", "--executor", "slurm"], in: cluster.path)
        #expect(again.status == 0)
        #expect(again.stdout.contains("nothing to submit"))

        // Shard 2 of a changed stage fails: its merge never runs.
        let before = try Data(contentsOf: URL(fileURLWithPath: cluster.file("art/cooc.wma")))
        cluster.write("spec.json", Self.spec(shards: 4, window: 3))
        let failed = try runWordmill(["run", "spec.json", "--executor", "slurm"], in: cluster.path, environment: ["WORDMILL_FAULT_FAIL_SHARD": "cooc:2"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("stage 'cooc' failed: shard 2/4"), "\(failed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cluster.file("art/cooc.wma"))) == before)
        let status = try runWordmill(["status", "spec.json"], in: cluster.path)
        #expect(status.stdout.contains("shards: 3 of 4 current"), "\(status.stdout)")
        #expect(status.stdout.contains("shard 2/4: failed: failed as WORDMILL_FAULT_FAIL_SHARD asked"), "\(status.stdout)")
    }
}
