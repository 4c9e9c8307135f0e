import Foundation
import Testing
import WordmillArtifacts
import WordmillSupport
import WordmillTestSupport

/// A copy of pipelines/quickstart.json and its corpus in a temporary folder, run with the built binary.
struct QuickstartCopy {
    let dir = TemporaryDirectory()
    var spec: String { dir.file("pipelines/quickstart.json") }
    var artifacts: String { dir.file("pipelines/artifacts/quickstart") }

    init() throws {
        let root = Repository.root
        dir.write("pipelines/quickstart.json", try String(contentsOfFile: root + "/pipelines/quickstart.json", encoding: .utf8))
        dir.write("corpora/reviews-ko/reviews.okt.txt", try String(contentsOfFile: root + "/corpora/reviews-ko/reviews.okt.txt", encoding: .utf8))
    }

    func run(_ extra: [String] = [], environment: [String: String] = [:]) throws -> CommandResult {
        try runWordmill(["run", spec] + extra, environment: environment)
    }
}

@Suite(.serialized) struct QuickstartTests {
    @Test func runsEndToEndThenSkipsEverything() throws {
        let q = try QuickstartCopy()
        let first = try q.run()
        #expect(first.status == 0, "\(first.stderr)")
        for stage in ["tokens", "vocab", "windows-cbow", "windows-skipgram", "cbow", "skipgram", "export-cbow", "export-skipgram"] {
            #expect(first.stdout.contains("ran \(stage) "), "\(stage) did not run: \(first.stdout)")
        }
        #expect(first.stdout.contains("64 cbow examples"))
        #expect(first.stdout.contains("256 skipgram examples"))
        let second = try q.run()
        #expect(second.status == 0)
        #expect(!second.stdout.contains("ran "))
        #expect(second.stdout.components(separatedBy: "up to date: ").count - 1 == 8)

        // The export is a word2vec text file: "60 256", then 60 lines of a word and 256 numbers.
        let text = try String(contentsOfFile: q.dir.file("pipelines/exports/quickstart/cbow.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "60 256")
        #expect(lines.count == 61)
        #expect(lines[1].split(separator: " ").count == 257)
        #expect(lines[1].hasPrefix(". "))

        // Loss per epoch is recorded in the model artifact and falls.
        let reader = try ArtifactReader(path: q.artifacts + "/cbow.wma")
        let losses = try reader.readArray("loss_per_epoch", as: Double.self)
        #expect(losses.count == 5)
        #expect(losses.last! < losses.first!)

        let similar = try runWordmill(["similar", q.artifacts + "/skipgram.wma", "음식", "맛", "-k", "3"])
        #expect(similar.status == 0)
        #expect(similar.stdout.hasPrefix("음식: "))
        let fromText = try runWordmill(["similar", q.dir.file("pipelines/exports/quickstart/skipgram.txt"), "음식", "맛", "-k", "3"])
        #expect(fromText.stdout == similar.stdout)
        let unknown = try runWordmill(["similar", q.artifacts + "/skipgram.wma", "피자"])
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("피자"))
    }

    @Test func inspectShowsHeaderRowsAndJSON() throws {
        let q = try QuickstartCopy()
        #expect(try q.run(["--until", "windows-skipgram"]).status == 0)
        #expect(try q.run(["--only", "windows-cbow"]).status == 0)
        let vocab = try runWordmill(["inspect", q.artifacts + "/vocab.wma", "--rows", "3"])
        #expect(vocab.status == 0)
        #expect(vocab.stdout.contains("kind         vocab"))
        #expect(vocab.stdout.contains("0\t.\t14"))
        #expect(vocab.stdout.contains("1\t도\t7"))
        let cbow = try runWordmill(["inspect", q.artifacts + "/windows-cbow.wma", "--rows", "2"])
        #expect(cbow.stdout.contains("[17, 18, 19, 10] → 0"))
        #expect(cbow.stdout.contains("[18, 0, 10, 0] → 19"))
        let sg = try runWordmill(["inspect", q.artifacts + "/windows-skipgram.wma", "--rows", "5", "--json"])
        let json = try JSONParser.parse(sg.stdout)
        #expect(json["kind"] == "windows")
        #expect(json["counts"]?["examples"] == 256)
        #expect(json["rows"]?.arrayValue?.compactMap(\.stringValue).map { $0.split(separator: "\t")[0] } == ["(0, 17)", "(0, 18)", "(0, 19)", "(0, 10)", "(19, 18)"])
    }

    @Test func flippedByteIsReportedByInspectAndRun() throws {
        let q = try QuickstartCopy()
        #expect(try q.run().status == 0)
        let path = q.artifacts + "/windows-cbow.wma"
        let original = try FileSystem.readFile(path)
        for offset in stride(from: 0, to: original.count, by: max(1, original.count / 40)) {
            var bytes = original
            bytes[offset] ^= 0x04
            try AtomicFile.write(bytes, to: path)
            let inspect = try runWordmill(["inspect", path])
            #expect(inspect.status == 66, "byte \(offset)")
            #expect(inspect.stderr.contains(path), "byte \(offset): \(inspect.stderr)")
            let run = try q.run()
            #expect(run.status == 66, "byte \(offset)")
            #expect(run.stderr.contains(path))
            #expect(run.stderr.contains("--force --only windows-cbow"))
        }
        try AtomicFile.write(original, to: path)
        #expect(try q.run().status == 0)
    }

    @Test func killDuringAStageLeavesNoFinalFileAndTheNextRunCompletes() throws {
        let q = try QuickstartCopy()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repository.binary)
        process.arguments = ["run", q.spec]
        process.environment = ProcessInfo.processInfo.environment.merging(["WORDMILL_FAULT_STALL": "rename:cbow.wma"]) { _, b in b }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("stalled before rename") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        #expect(String(decoding: seen, as: UTF8.self).contains("wordmill-fault: stalled before rename of cbow.wma"))
        // While it stalls, a second run finds the lock held.
        let locked = try q.run()
        #expect(locked.status == 75)
        #expect(locked.stderr.contains("locked by another run"))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let names = FileSystem.listDirectory(q.artifacts)
        #expect(!names.contains("cbow.wma"))
        #expect(names.contains { $0.hasPrefix("cbow.wma.tmp-") }, "the killed run's temporary file should be there: \(names)")
        let next = try q.run()
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("removed cbow.wma.tmp-"))
        #expect(next.stdout.contains("ran cbow "))
        #expect(next.stdout.contains("up to date: vocab"))
        #expect(!FileSystem.listDirectory(q.artifacts).contains { $0.contains(".tmp-") })
    }

    @Test func invalidSpecsExitWithDocumentedCodes() throws {
        let dir = TemporaryDirectory()
        dir.write("c.txt", "a b c\n")
        let cases: [(String, Int32, String)] = [
            (#"{"wordmill": 1, "name": "x", "stages": [{"name": "t", "op": "tokenise", "inputs": "c.txt"}]}"#, 65, "did you mean 'tokenize'?"),
            (#"{"wordmill": 1, "name": "x", "stages": [{"name": "t", "op": "tokenize", "inputs": "c.txt", "lowercase": true}]}"#, 65, "stages[0].lowercase"),
            (#"{"wordmill": 1, "name": "x", "stages": [{"name": "t", "op": "tokenize", "inputs": "missing.txt"}]}"#, 66, "missing.txt does not exist"),
            (#"{"wordmill": 1, "name": "x", "stages": [}"#, 65, "line 1"),
        ]
        for (text, code, needle) in cases {
            let spec = dir.write("spec.json", text)
            let result = try runWordmill(["run", spec])
            #expect(result.status == code, "\(text): \(result.stderr)")
            #expect(result.stderr.contains(needle), "\(result.stderr)")
        }
        let usage = try runWordmill(["run"])
        #expect(usage.status == 64)
        let valid = try runWordmill(["validate", dir.write("ok.json", #"{"wordmill": 1, "name": "x", "stages": [{"name": "t", "op": "tokenize", "inputs": "c.txt"}]}"#)])
        #expect(valid.status == 0)
        #expect(valid.stdout.contains("valid"))
    }
}
