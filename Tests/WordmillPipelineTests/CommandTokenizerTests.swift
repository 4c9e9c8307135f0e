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

    @Test func predictRunsTheModelsCommandOnNewTexts() throws {
        // The command upper-cases, so the model only knows upper-case tokens: lower-case texts
        // are classified right only if predict runs the command too.
        let train = "pos\tgreat fun great\npos\tfun movie\nneg\tdull boring\nneg\tboring plot dull\n"
        let (dir, result) = try runSpec("""
            {"wordmill": 1, "name": "c", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "t.tsv", "format": "tsv", "tokenizer": {"kind": "command", "argv": ["tr", "a-z", "A-Z"]}},
              {"name": "vocab", "op": "vocab", "from": "tokens"},
              {"name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"]},
              {"name": "nb", "op": "train", "from": "bow", "model": "naive-bayes"}
            ]}
            """, files: ["t.tsv": train])
        #expect(result.exitCode == .ok)
        var classifier = try TextClassifier(path: dir.file("art/nb.wma"))
        #expect(classifier.prefersBatches)
        let texts = ["great fun", "dull plot", "boring"]
        try classifier.prepare(texts)
        let labels = try texts.map { classifier.model.classes[try classifier.classify($0).best] }
        #expect(labels == ["pos", "neg", "neg"])
        // Without `prepare` a text goes through the command on its own, with the same result.
        #expect(classifier.model.classes[try classifier.classify("fun movie").best] == "pos")
        let unknown = try classifier.classify("zzz").logProbabilities
        let known = try classifier.classify("GREAT").logProbabilities
        #expect(unknown != known, "lower-case great became GREAT; zzz is unknown either way")
    }

    @Test func failuresAreInputErrorsNamingTheCommand() throws {
        for argv in [#"["sed", "1d"]"#, #"["sh", "-c", "echo broken >&2; exit 3"]"#, #"["sh", "-c", "cat; echo extra"]"#] {
            let (result, _) = try run(argv)
            #expect(result.exitCode == .inputError, "\(argv)")
        }
        // A command that is not there is found missing before any stage runs, with its JSON path.
        do {
            _ = try run(#"["no-such-analyser-here"]"#)
            Issue.record("a missing command was not reported")
        } catch let error as PipelineError {
            #expect(error.exitCode == .inputError)
            #expect(error.description.contains("stages[0].tokenizer.argv (stage 'tokens'): tokenizer command `no-such-analyser-here` was not found on PATH"), "\(error)")
        }
    }

    @Test func aSilentCommandTimesOut() throws {
        let started = Date()
        let (result, _) = try run(#"["sleep", "30"]"#, timeout: 1)
        #expect(result.exitCode == .inputError)
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
