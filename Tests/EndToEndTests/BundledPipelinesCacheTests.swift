import Foundation
import Testing
import WordmillArtifacts
import WordmillTestSupport

/// Every bundled pipeline whose corpus ships with the repository, run twice with the built
/// binary: the second run runs nothing, and `status` then calls every stage up to date.
/// (The gcide, ko-help, ko-spacing and WordNet pipelines read corpora their build scripts
/// make; `validate` covers them in InvalidSpecTableTests' schema check and here.)
@Suite(.serialized) struct BundledPipelinesCacheTests {
    static let shipped = ["quickstart", "reviews-glove", "reviews-naive-bayes", "reviews-mecab", "reviews-command", "hello-char-rnn"]

    @Test(arguments: shipped) func aSecondRunRunsNothing(name: String) throws {
        if name == "reviews-mecab", !FileSystem.isRegularFile(Repository.root + "/corpora/tools/mecab-ko-dic/sys.dic") {
            Issue.record("mecab-ko-dic is not installed; `make test` installs it (corpora/tools/mecab-ko-dic.sh)")
            return
        }
        // The spec in a folder of its own beside a link to the corpora, so its artifacts and
        // exports land there.
        let dir = TemporaryDirectory()
        dir.write("pipelines/\(name).json", try String(contentsOfFile: Repository.root + "/pipelines/\(name).json", encoding: .utf8))
        try FileManager.default.createSymbolicLink(atPath: dir.file("corpora"), withDestinationPath: Repository.root + "/corpora")
        let spec = dir.file("pipelines/\(name).json")
        let first = try runWordmill(["run", spec])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains(" ran ") || first.stdout.contains(" ran "), "the first run ran nothing: \(first.stdout)\(first.stderr)")
        let second = try runWordmill(["run", spec])
        #expect(second.status == 0)
        let lines = (second.stdout + second.stderr).split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains(" up to date: ") }, "\(second.stdout)\(second.stderr)")
        let status = try runWordmill(["status", spec, "--json"])
        #expect(status.status == 0 && !status.stdout.contains("\"stale\"") && !status.stdout.contains("\"missing\""), "\(status.stdout)")
    }

    @Test func everyBundledPipelineIsValidOrOnlyLacksItsGeneratedCorpus() throws {
        let all = try FileManager.default.contentsOfDirectory(atPath: Repository.root + "/pipelines").filter { $0.hasSuffix(".json") }.sorted()
        for file in all {
            let result = try runWordmill(["validate", Repository.root + "/pipelines/" + file])
            let onlyMissing = result.status == 66 && result.stderr.split(separator: "\n").allSatisfy { $0.contains("does not exist") }
            #expect(result.status == 0 || onlyMissing, "\(file): \(result.status) \(result.stderr)")
        }
    }
}
