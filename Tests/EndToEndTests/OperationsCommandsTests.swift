import Foundation
import Testing
import WordmillArtifacts
import WordmillSupport
import WordmillTestSupport

/// `status`, `history` and `gc` on a small pipeline.
@Suite(.serialized) struct OperationsCommandsTests {
    static func workspace() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        dir.write("corpus.txt", "a b c a b\nb c d\n")
        dir.write("spec.json", spec(window: 1))
        return dir
    }

    static func spec(window: Int, extra: String = "") -> String {
        """
        {"wordmill": 1, "name": "ops", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "corpus.txt", "tokenizer": "whitespace"},
          {"name": "vocab", "op": "vocab", "from": "tokens"},
          {"name": "cooc", "op": "cooccurrence", "from": ["tokens", "vocab"], "window": \(window)}\(extra)
        ]}
        """
    }

    /// `--version` names the release and the artifact format it writes, and exits 0.
    @Test func versionNamesReleaseAndFormat() throws {
        let version = try runWordmill(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("wordmill 0.") && version.stdout.contains("(artifact format 1)"), "\(version.stdout)")
    }

    @Test func statusNamesWhatChanged() throws {
        let dir = Self.workspace()
        let before = try runWordmill(["status", dir.file("spec.json")])
        #expect(before.status == 0)
        #expect(before.stdout.contains("0 up to date, 0 stale, 3 missing, 0 damaged"), "\(before.stdout)")
        #expect(try runWordmill(["run", dir.file("spec.json")]).status == 0)
        let fresh = try runWordmill(["status", dir.file("spec.json"), "--json"])
        let stages = try JSONParser.parse(Array(fresh.stdout.utf8))["stages"]?.arrayValue ?? []
        #expect(stages.map { $0["state"]?.stringValue } == ["up-to-date", "up-to-date", "up-to-date"])
        #expect(stages.allSatisfy { ($0["bytes"]?.intValue ?? 0) > 0 && $0["modified"] != nil })
        dir.write("spec.json", Self.spec(window: 2))
        let parameter = try runWordmill(["status", dir.file("spec.json")])
        #expect(parameter.stdout.contains("cooc") && parameter.stdout.contains("parameter window: 1 → 2"), "\(parameter.stdout)")
        dir.write("spec.json", Self.spec(window: 1))
        dir.write("corpus.txt", "a b c a b\nb c e\n")
        let corpus = try runWordmill(["status", dir.file("spec.json")])
        #expect(corpus.stdout.contains("corpus.txt changed"), "\(corpus.stdout)")
        #expect(corpus.stdout.contains("input 'tokens' changed"))
        #expect(corpus.stdout.contains("0 up to date, 3 stale"))
        // A damaged artifact is reported as such.
        var bytes = try FileSystem.readFile(dir.file("art/vocab.wma"))
        bytes[bytes.count / 2] ^= 0x40
        dir.write("art/vocab.wma", bytes: bytes)
        let damaged = try runWordmill(["status", dir.file("spec.json")])
        #expect(damaged.stdout.contains("vocab") && damaged.stdout.contains("damaged"), "\(damaged.stdout)")
    }

    @Test func historyListsRuns() throws {
        let dir = Self.workspace()
        #expect(try runWordmill(["history", dir.file("spec.json")]).stdout.contains("no runs recorded"))
        #expect(try runWordmill(["run", dir.file("spec.json")]).status == 0)
        #expect(try runWordmill(["run", dir.file("spec.json")]).status == 0)
        dir.write("spec.json", Self.spec(window: 3))
        #expect(try runWordmill(["run", dir.file("spec.json")]).status == 0)
        let history = try runWordmill(["history", dir.file("spec.json")])
        let lines = history.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(history.stdout)")
        #expect(lines[0].contains("exit 0: ran tokens, vocab, cooc"))
        #expect(lines[1].contains("3 up to date"))
        #expect(lines[2].contains("ran cooc; 2 up to date"))
        let json = try runWordmill(["history", dir.file("spec.json"), "--json", "--last", "1"])
        let record = try JSONParser.parse(Array(json.stdout.utf8.dropLast()))
        #expect(record["exit_code"]?.intValue == 0)
        #expect(record["stages"]?.arrayValue?.count == 3)
    }

    @Test func gcRemovesOnlyWhatNoStageMakes() throws {
        let dir = Self.workspace()
        dir.write("spec.json", Self.spec(window: 1, extra: #",{"name": "old", "op": "vocab", "from": "tokens", "min_count": 2}"#))
        #expect(try runWordmill(["run", dir.file("spec.json")]).status == 0)
        dir.write("spec.json", Self.spec(window: 1))
        dir.write("art/rnn.wma.checkpoint", "not a checkpoint of anything")
        dir.write("art/cooc.wma.tmp-999999-1", "left by a dead run")
        let dry = try runWordmill(["gc", dir.file("spec.json"), "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("would remove \(dir.file("art/old.wma"))"), "\(dry.stdout)")
        #expect(dry.stdout.contains("would free") && dry.stdout.contains("in 3 files"))
        #expect(FileSystem.isRegularFile(dir.file("art/old.wma")))
        let real = try runWordmill(["gc", dir.file("spec.json")])
        #expect(real.status == 0)
        let left = Set(FileSystem.listDirectory(dir.file("art")))
        #expect(left == [".wordmill", "tokens.wma", "vocab.wma", "cooc.wma"], "\(left)")
        #expect(try runWordmill(["gc", dir.file("spec.json")]).stdout.contains("nothing to remove"))
        #expect(try runWordmill(["status", dir.file("spec.json")]).stdout.contains("3 up to date"))
    }

    @Test func reportIsOneSelfContainedPage() throws {
        let dir = try ReviewsPipelinesTests.copy("reviews-naive-bayes")
        let spec = dir.file("pipelines/reviews-naive-bayes.json")
        #expect(try runWordmill(["run", spec]).status == 0)
        let report = try runWordmill(["report", spec])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: dir.file("pipelines/artifacts/reviews-naive-bayes/report.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(html.contains("exit code <b class=\"ran\">0 (ok)</b>"))
        for stage in ["tokens", "vocab", "bow", "nb", "evaluate", "export-model"] { #expect(html.contains(">\(stage)</text>"), "graph lacks \(stage)") }
        #expect(html.contains("<th>accuracy</th>"))
        #expect(html.contains("true negative, predicted"), "the confusion matrix picture is inlined")
        // Self-contained: no scripts, nothing fetched.
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=\"http"))
        #expect(!html.contains("<?xml"))
    }
}
