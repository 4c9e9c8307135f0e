import Foundation
import Testing
import WordmillArtifacts
import WordmillData
import WordmillTestSupport
@testable import WordmillPipeline
@testable import WordmillStages

/// The `command` tokenizer with commands every Debian machine has.
@Suite struct CommandTokenizerTests {
    static let corpus = "pos\tHello World  foo\nneg\tbar baz\n\nneg\t\nneg\tqux\n"

    func run(_ argv: String, timeout: Double = 5) throws -> (RunResult, TemporaryDirectory) {
        let (dir, result) = try runSpec("""
            {"wordmill": 1, "name": "c", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "c.tsv", "format": "tsv",
               "tokenizer": {"kind": "command", "argv": \(argv), "timeout_seconds": \(timeout)}}
            ]}
            """, files: ["c.tsv": Self.corpus])
        return (result, dir)
    }

    func documents(_ dir: TemporaryDirectory) throws -> [[String]] {
        var out: [[String]] = []
        try TokenStream.forEachDocument(try ArtifactReader(path: dir.file("art/tokens.wma"))) { tokens in
            out.append(tokens.map { String(decoding: $0, as: UTF8.self) })
        }
        return out
    }

    @Test func streamsDocumentsThroughTheCommand() throws {
        let (result, dir) = try run(#"["tr", "a-z", "A-Z"]"#)
        #expect(result.exitCode == .ok)
        // The labelled empty document stays (an empty row); the blank line does not.
        #expect(try documents(dir) == [["HELLO", "WORLD", "FOO"], ["BAR", "BAZ"], [], ["QUX"]])
    }

    @Test func failuresAreInputErrorsNamingTheCommand() throws {
        for argv in [#"["sed", "1d"]"#, #"["sh", "-c", "echo broken >&2; exit 3"]"#, #"["no-such-analyser-here"]"#, #"["sh", "-c", "cat; echo extra"]"#] {
            let (result, _) = try run(argv)
            #expect(result.exitCode == .inputError, "\(argv)")
        }
    }

    @Test func aSilentCommandTimesOut() throws {
        let started = Date()
        let (result, _) = try run(#"["sleep", "30"]"#, timeout: 1)
        #expect(result.exitCode == .inputError)
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
