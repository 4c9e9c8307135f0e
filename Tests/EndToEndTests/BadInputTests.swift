import Foundation
import Testing
import WordmillArtifacts
import WordmillTestSupport

/// Fault injection, bad input: each case fails with the documented exit code and a message
/// naming the file (and byte offset where there is one), or — where a policy allows it —
/// runs and counts what it replaced.
@Suite(.serialized) struct BadInputTests {
    static func tokenize(_ inputs: String, _ extra: String = "") -> String {
        #"{"wordmill": 1, "name": "bad", "artifacts": "art", "stages": [{"name": "t", "op": "tokenize", "inputs": \#(inputs)\#(extra)}]}"#
    }

    /// Runs a one-stage spec in `dir` and returns the result.
    static func run(_ dir: TemporaryDirectory, _ spec: String, environment: [String: String] = [:]) throws -> CommandResult {
        dir.write("spec.json", spec)
        return try runWordmill(["run", dir.file("spec.json")], environment: environment)
    }

    @Test func encodingEmptyAndBinaryFiles() throws {
        let dir = TemporaryDirectory()
        dir.write("good.txt", "a b c\n")
        dir.write("bad.txt", bytes: Array("fine line\nbroken ".utf8) + [0xC3, 0x28] + Array(" here\n".utf8))
        dir.write("empty.txt", "")
        dir.write("blank.txt", "\n  \n\t\n")
        dir.write("binary.bin", bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) })
        var injected = 0
        func expectFailure(_ spec: String, code: Int32, _ needles: [String]) throws {
            let r = try Self.run(dir, spec)
            injected += 1
            #expect(r.status == code, "\(spec): exit \(r.status) \(r.stderr)")
            for needle in needles { #expect(r.stderr.contains(needle), "\(spec): missing \(needle) in \(r.stderr)") }
            #expect(!FileSystem.isRegularFile(dir.file("art/t.wma")))
        }
        try expectFailure(Self.tokenize(#""bad.txt""#), code: 66, ["bad.txt: invalid UTF-8 at byte offset 17 (line 2)", "encoding_errors"])
        try expectFailure(Self.tokenize(#""binary.bin""#), code: 66, ["binary.bin: invalid UTF-8 at byte offset"])
        try expectFailure(Self.tokenize(#""empty.txt""#), code: 66, ["empty.txt is empty or blank"])
        try expectFailure(Self.tokenize(#"["empty.txt", "blank.txt"]"#), code: 66, ["the corpus has no tokens"])
        let replaced = try Self.run(dir, Self.tokenize(#"["bad.txt", "binary.bin", "empty.txt", "good.txt"]"#, #", "encoding_errors": "replace""#))
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("lines with invalid UTF-8 replaced"), "\(replaced.stdout)")
        let counts = try ArtifactReader(path: dir.file("art/t.wma")).header.counts
        #expect((counts["replaced_lines"] ?? 0) >= 2)
        print("bad input: \(injected) rejected with file and offset, 1 replaced and counted")
    }

    @Test func pathsThatAreNotFiles() throws {
        let dir = TemporaryDirectory()
        dir.write("folder/sub/a.txt", "a b\n")
        symlink("loop2", dir.file("loop1"))
        symlink("loop1", dir.file("loop2"))
        symlink("..", dir.file("folder/sub/up"))  // a directory loop under the glob below
        let folder = try Self.run(dir, Self.tokenize(#""folder""#))
        #expect(folder.status == 66 && folder.stderr.contains("folder is a folder; name files or a glob"), "\(folder.stderr)")
        let loop = try Self.run(dir, Self.tokenize(#""loop1""#))
        #expect(loop.status == 66 && loop.stderr.contains("loop1 cannot be read: Too many levels of symbolic links"), "\(loop.stderr)")
        let missing = try Self.run(dir, Self.tokenize(#""nowhere.txt""#))
        #expect(missing.status == 66 && missing.stderr.contains("nowhere.txt does not exist"), "\(missing.stderr)")
        let glob = try Self.run(dir, Self.tokenize(#""folder/*/*.txt""#))
        #expect(glob.status == 0 && glob.stdout.contains("1 documents"), "a glob past a directory loop ends: \(glob.stderr)")
        if getuid() == 0 {
            print("unreadable file case skipped: running as root, which reads any file")
        } else {
            dir.write("secret.txt", "a b\n")
            chmod(dir.file("secret.txt"), 0)
            let unreadable = try Self.run(dir, Self.tokenize(#""secret.txt""#))
            #expect(unreadable.status == 66 && unreadable.stderr.contains("secret.txt"), "\(unreadable.stderr)")
        }
    }

    @Test func filesThatChangeOrVanishDuringTheRun() throws {
        let dir = TemporaryDirectory()
        dir.write("first.txt", "a b c\n")
        dir.write("second.txt", "d e f\n")
        let spec = #"{"wordmill": 1, "name": "race", "artifacts": "art", "stages": [{"name": "one", "op": "tokenize", "inputs": "first.txt"}, {"name": "two", "op": "tokenize", "inputs": "second.txt"}]}"#
        dir.write("spec.json", spec)
        // While the run pauses after the first stage, the second stage's file changes.
        let changed = try Self.runPaused(dir) { dir.write("second.txt", "d e f g\n") }
        #expect(changed.status == 66 && changed.stderr.contains("second.txt changed while stage 'two' read it"), "\(changed.stderr)")
        #expect(!FileSystem.isRegularFile(dir.file("art/two.wma")))
        #expect(try runWordmill(["run", dir.file("spec.json")]).status == 0)
        unlink(dir.file("art/one.wma"))
        unlink(dir.file("art/two.wma"))
        let vanished = try Self.runPaused(dir) { unlink(dir.file("second.txt")) }
        #expect(vanished.status == 66 && vanished.stderr.contains("second.txt"), "\(vanished.stderr)")
        #expect(!FileSystem.isRegularFile(dir.file("art/two.wma")))
    }

    /// Runs the two-stage spec, pausing 2 s before the first artifact is renamed into place, and
    /// calls `meanwhile` during the pause.
    static func runPaused(_ dir: TemporaryDirectory, meanwhile: @escaping @Sendable () -> Void) throws -> CommandResult {
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { meanwhile() }
        return try runWordmill(["run", dir.file("spec.json")], environment: ["WORDMILL_FAULT_STALL": "rename:one.wma:2"])
    }

    @Test func aSingleTwoHundredMegabyteLine() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("huge.txt")
        let piece = Array(String(repeating: "abcdefghi ", count: 100_000).utf8)  // 1 MB
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for _ in 0..<200 { handle.write(Data(piece)) }
        handle.write(Data("\n".utf8))
        try handle.close()
        let r = try Self.run(dir, Self.tokenize(#""huge.txt""#, #", "tokenizer": "whitespace""#))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1 documents, 20000000 tokens"), "\(r.stdout)")
    }
}
