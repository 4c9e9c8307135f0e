import Foundation
import Testing
import WordmillArtifacts
import WordmillSupport
import WordmillTestSupport

/// Fault injection, resources: a write limit hit mid-stage (`ulimit -f`, as a full disk),
/// NaN in training, and two runs of one spec at once.
@Suite(.serialized) struct ResourceFaultTests {
    static let spec = """
        {"wordmill": 1, "name": "disk", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "whitespace"},
          {"name": "vocab", "op": "vocab", "from": "tokens"},
          {"name": "cooc", "op": "cooccurrence", "from": ["tokens", "vocab"], "window": 5}
        ]}
        """

    static func corpus(lines: Int, seed: Int) -> String {
        (0..<lines).map { i in (0..<12).map { k in "w\((i * 31 + k * 17 + seed) % 5000)" }.joined(separator: " ") }.joined(separator: "\n") + "\n"
    }

    @Test func fileSizeLimitFailsCleanlyAndKeepsThePreviousArtifacts() throws {
        let dir = TemporaryDirectory()
        dir.write("corpus.txt", Self.corpus(lines: 20, seed: 0))
        dir.write("spec.json", Self.spec)
        #expect(try runWordmill(["run", dir.file("spec.json")]).status == 0)
        var before: [String: [UInt8]] = [:]
        for stage in ["tokens", "vocab", "cooc"] { before[stage] = try FileSystem.readFile(dir.file("art/\(stage).wma")) }
        // A corpus whose artifacts outgrow a 256 KiB file-size limit.
        dir.write("corpus.txt", Self.corpus(lines: 60_000, seed: 1))
        let limited = try runWordmill(["-c", "ulimit -f 256; exec \"$0\" run \"$1\"", Repository.binary, dir.file("spec.json")], tool: "/bin/sh")
        #expect(limited.status == 1, "\(limited.status) \(limited.stdout) \(limited.stderr)")
        #expect(limited.stderr.contains("File too large"), "\(limited.stderr)")
        #expect(limited.stderr.contains(dir.file("art/")), "the error names the file: \(limited.stderr)")
        // What was there is intact, and nothing half-written is left behind.
        for stage in ["tokens", "vocab", "cooc"] {
            let now = try FileSystem.readFile(dir.file("art/\(stage).wma"))
            let reader = try ArtifactReader(path: dir.file("art/\(stage).wma"))
            try reader.verifyChecksums()
            if !limited.stdout.contains("ran \(stage) ") { #expect(now == before[stage], "\(stage).wma changed") }
        }
        #expect(!FileSystem.listDirectory(dir.file("art")).contains { $0.contains(".tmp-") })
        // Without the limit the same command finishes.
        let free = try runWordmill(["run", dir.file("spec.json")])
        #expect(free.status == 0, "\(free.stderr)")
    }

    @Test func nanInTrainingStopsAndKeepsTheLastGoodCheckpoint() throws {
        let dir = RecurrentPipelinesTests.classifierWorkspace()
        let clean = RecurrentPipelinesTests.classifierWorkspace()
        #expect(try runWordmill(["run", clean.file("spec.json")]).status == 0)
        let broken = try runWordmill(["run", dir.file("spec.json")], environment: ["WORDMILL_FAULT_NAN": "rnn:3"])
        #expect(broken.status == 66, "\(broken.status) \(broken.stderr)")
        #expect(broken.stderr.contains("training diverged in epoch 3"), "\(broken.stderr)")
        #expect(!FileSystem.isRegularFile(dir.file("art/rnn.wma")))
        let checkpoint = try ArtifactReader(path: dir.file("art/rnn.wma.checkpoint"))
        #expect(checkpoint.header.metadata["epoch"]?.intValue == 2)
        // The next run resumes from epoch 2 and ends as the run that never diverged.
        let next = try runWordmill(["run", dir.file("spec.json")])
        #expect(next.status == 0 && next.stdout.contains("resuming after epoch 2"), "\(next.stdout)")
        #expect(try FileSystem.readFile(dir.file("art/rnn.wma")) == FileSystem.readFile(clean.file("art/rnn.wma")))
    }

    @Test func twoRunsAtOnceOneRunsTheOtherIsLockedOrWaits() throws {
        let dir = KillSuiteTests.workspace()
        let first = try KillSuiteTests.WatchedRun(spec: dir.file("spec.json"))
        #expect(first.waitFor("running cooc "))
        let locked = try runWordmill(["run", dir.file("spec.json")])
        #expect(locked.status == 75 && locked.stderr.contains("locked by another run"), "\(locked.status) \(locked.stderr)")
        let waiting = try runWordmill(["run", dir.file("spec.json"), "--wait", "600"])
        first.process.waitUntilExit()
        #expect(first.process.terminationStatus == 0)
        #expect(waiting.status == 0, "\(waiting.stderr)")
        #expect(!waiting.stdout.contains("ran "), "the waiting run found everything done: \(waiting.stdout)")
    }
}
