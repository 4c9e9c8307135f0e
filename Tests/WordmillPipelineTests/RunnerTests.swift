import Foundation
import Testing
import WordmillArtifacts
import WordmillTestSupport
@testable import WordmillPipeline
@testable import WordmillStages

/// A small spec: tokenize → vocab → cbow & skip-gram windows → two trainings → one export.
let smallSpec = """
    {"wordmill": 1, "name": "small", "artifacts": "art", "stages": [
      {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "whitespace"},
      {"name": "vocab", "op": "vocab", "from": "tokens"},
      {"name": "wc", "op": "windows", "from": ["tokens", "vocab"], "kind": "cbow", "window": 1},
      {"name": "ws", "op": "windows", "from": ["vocab", "tokens"], "kind": "skipgram", "window": 1},
      {"name": "cbow", "op": "train", "from": "wc", "model": "word2vec", "objective": "softmax", "dim": 4, "epochs": 2, "batch_size": 2},
      {"name": "sg", "op": "train", "from": "ws", "model": "word2vec", "objective": "softmax", "dim": 4, "epochs": 2, "batch_size": 2},
      {"name": "out", "op": "export", "from": "sg", "format": "word2vec-text", "path": "out/sg.txt"}
    ]}
    """

struct Workspace {
    let dir = TemporaryDirectory()
    init(spec: String = smallSpec, corpus: String = "a b c a\nb c d a b\n") {
        dir.write("spec.json", spec)
        dir.write("corpus.txt", corpus)
    }
    func run(_ configure: (inout RunOptions) -> Void = { _ in }) throws -> RunResult {
        let spec = try SpecLoader.load(path: dir.file("spec.json"), catalog: StageCatalog.operations)
        var options = RunOptions()
        configure(&options)
        return try Runner(spec: spec, log: RunLog(quiet: true)).run(options)
    }
    func rewriteSpec(_ from: String, _ to: String) throws {
        let text = try String(contentsOfFile: dir.file("spec.json"), encoding: .utf8)
        precondition(text.contains(from))
        dir.write("spec.json", text.replacingOccurrences(of: from, with: to))
    }
}

let allStages: Set<String> = ["tokens", "vocab", "wc", "ws", "cbow", "sg", "out"]

@Suite struct RunnerTests {
    @Test func secondRunRunsNothing() throws {
        let w = Workspace()
        let first = try w.run()
        #expect(first.exitCode == .ok)
        #expect(first.ran == allStages)
        let second = try w.run()
        #expect(second.exitCode == .ok)
        #expect(second.ran.isEmpty)
        #expect(Set(second.statuses.values) == ["up-to-date"])
    }

    /// The file-hash cache is written without fsync (it can be rebuilt): one a crash left
    /// cut short or garbled must only mean hashing again, with nothing rerun, and is rewritten.
    @Test func aDamagedHashCacheIsRebuilt() throws {
        let w = Workspace()
        #expect(try w.run().ran == allStages)
        let cache = w.dir.file("art/.wordmill/file-hashes.json")
        let saved = try FileSystem.readFile(cache)
        for damage in [Array(saved.prefix(saved.count / 2)), [], Array("not json".utf8)] {
            _ = w.dir.write("art/.wordmill/file-hashes.json", bytes: damage)
            let again = try w.run()
            #expect(again.exitCode == .ok && again.ran.isEmpty)
            #expect(try FileSystem.readFile(cache) == saved)
        }
    }

    @Test func changedParameterRerunsStageAndDescendants() throws {
        let w = Workspace()
        _ = try w.run()
        try w.rewriteSpec(#""kind": "skipgram", "window": 1"#, #""kind": "skipgram", "window": 2"#)
        #expect(try w.run().ran == ["ws", "sg", "out"])
        try w.rewriteSpec(#""name": "cbow", "op": "train", "from": "wc", "model": "word2vec", "objective": "softmax", "dim": 4"#, #""name": "cbow", "op": "train", "from": "wc", "model": "word2vec", "objective": "softmax", "dim": 5"#)
        #expect(try w.run().ran == ["cbow"])
    }

    @Test func corpusChangeRerunsFromTokenize() throws {
        let w = Workspace()
        _ = try w.run()
        w.dir.write("corpus.txt", "a b c a\nb c d a b\nd d a\n")
        #expect(try w.run().ran == allStages)
        // Same content written again (new mtime): re-hashed, nothing reruns.
        w.dir.write("corpus.txt", "a b c a\nb c d a b\nd d a\n")
        #expect(try w.run().ran.isEmpty)
    }

    @Test func deletedExportIsRewritten() throws {
        let w = Workspace()
        _ = try w.run()
        try FileManager.default.removeItem(atPath: w.dir.file("out/sg.txt"))
        #expect(try w.run().ran == ["out"])
        #expect(FileManager.default.fileExists(atPath: w.dir.file("out/sg.txt")))
    }

    @Test func selectionFlags() throws {
        let w = Workspace()
        let until = try w.run { $0.selection = StageSelection(until: "wc") }
        #expect(until.ran == ["tokens", "vocab", "wc"])
        #expect(try w.run { $0.selection = StageSelection(only: "ws") }.ran == ["ws"])
        #expect(try w.run { $0.dryRun = true }.statuses.filter { $0.value == "would-run" }.count == 3)
        _ = try w.run()
        #expect(try w.run { $0.selection = StageSelection(from: "ws") }.ran == ["ws", "sg", "out"])
        #expect(try w.run { $0.selection = StageSelection(only: "vocab", force: true) }.ran == ["vocab"])
        #expect(throws: PipelineError.self) { try w.run { $0.selection = StageSelection(only: "nope") } }
    }

    @Test func damagedArtifactFailsNamingTheFile() throws {
        let w = Workspace()
        _ = try w.run()
        let path = w.dir.file("art/vocab.wma")
        var bytes = try FileSystem.readFile(path)
        bytes[bytes.count / 2] ^= 0x10
        try AtomicFile.write(bytes, to: path)
        let result = try w.run()
        #expect(result.exitCode == .inputError)
        #expect(result.statuses["vocab"] == "damaged")
        #expect(result.statuses["wc"] == "skipped")
        let rebuilt = try w.run { $0.selection = StageSelection(only: "vocab", force: true) }
        #expect(rebuilt.exitCode == .ok)
        #expect(try w.run().ran.isEmpty)
    }

    @Test func lockHeldByAnotherRunIsReported() throws {
        let w = Workspace()
        let spec = try SpecLoader.load(path: w.dir.file("spec.json"), catalog: StageCatalog.operations)
        let held = try DirectoryLock(stateDirectory: spec.stateDirectory, specPath: "other", waitSeconds: nil)
        do {
            _ = try w.run()
            Issue.record("ran while locked")
        } catch let error as PipelineError {
            #expect(error.exitCode == .locked)
            #expect(error.description.contains("locked by another run"))
        }
        do {
            _ = try w.run { $0.waitSeconds = 0.3 }
            Issue.record("ran while locked")
        } catch let error as PipelineError {
            #expect(error.exitCode == .locked)
        }
        withExtendedLifetime(held) {}
    }

    @Test func sameSpecSameBytes() throws {
        let a = Workspace(), b = Workspace()
        _ = try a.run()
        _ = try b.run()
        for stage in allStages {
            #expect(try FileSystem.readFile(a.dir.file("art/\(stage).wma")) == FileSystem.readFile(b.dir.file("art/\(stage).wma")), "\(stage)")
        }
    }

    @Test func emptyCorpusIsAnInputError() throws {
        let w = Workspace(corpus: "\n  \n")
        let result = try w.run()
        #expect(result.exitCode == .inputError)
        #expect(result.statuses["tokens"] == "failed")
        #expect(!FileManager.default.fileExists(atPath: w.dir.file("art/tokens.wma")))
    }
}
