import Foundation
import Testing
import WordmillArtifacts
import WordmillData
import WordmillSupport
import WordmillTestSupport
import WordmillText
@testable import WordmillModels
@testable import WordmillPipeline
@testable import WordmillStages

/// Runs a spec in a temporary folder and returns the folder.
func runSpec(_ spec: String, files: [String: String]) throws -> (TemporaryDirectory, RunResult) {
    let dir = TemporaryDirectory()
    dir.write("spec.json", spec)
    for (name, text) in files { dir.write(name, text) }
    let loaded = try SpecLoader.load(path: dir.file("spec.json"), catalog: StageCatalog.operations)
    let result = try Runner(spec: loaded, log: RunLog(quiet: true)).run(RunOptions())
    return (dir, result)
}

/// The lecture's naive Bayes example (boostcamp's slides): two CV and two NLP sentences, and
/// "Classification task uses transformer" to classify.
@Suite struct LectureNaiveBayesTests {
    static let train = """
        CV\tImage recognition uses convolutional neural networks
        CV\tTransformer can be used for image classification task
        NLP\tLanguage modeling uses transformer
        NLP\tDocument classification task is language task

        """
    static func spec(alpha: String) -> String {
        """
        {"wordmill": 1, "name": "lecture-nb", "artifacts": "art", "stages": [
          {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "test_inputs": "test.tsv", "format": "tsv",
           "tokenizer": {"kind": "words", "lowercase": true}},
          {"name": "vocab", "op": "vocab", "from": "tokens"},
          {"name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"]},
          {"name": "nb", "op": "train", "from": "bow", "model": "naive-bayes", "alpha": \(alpha)},
          {"name": "eval", "op": "evaluate", "from": ["nb", "bow"], "metrics": "metrics.json"}
        ]}
        """
    }

    @Test func laplaceSmoothedPosteriorByHand() throws {
        let (dir, result) = try runSpec(Self.spec(alpha: "1.0"), files: ["train.tsv": Self.train, "test.tsv": "NLP\tClassification task uses transformer\n"])
        #expect(result.exitCode == .ok)
        // 17 distinct words; CV has 14 words, NLP 10. P(w|c) = (count + 1) / (words of c + 17).
        // CV: classification, task, uses, transformer once each → (2/31)^4.
        // NLP: classification 1, task 2, uses 1, transformer 1 → 2·3·2·2 / 27^4. Priors 1/2 each.
        let cv = log(0.5) + 4 * log(2.0 / 31), nlp = log(0.5) + log(24.0) - 4 * log(27.0)
        let evidence = log(exp(cv) + exp(nlp))
        var classifier = try TextClassifier(path: dir.file("art/nb.wma"))
        #expect(classifier.model.classes == ["CV", "NLP"])
        #expect(classifier.featurizer.features.count == 17)
        let (best, logp) = try classifier.classify("Classification task uses transformer")
        #expect(best == 1)
        #expect(abs(logp[0] - (cv - evidence)) < 1e-12)
        #expect(abs(logp[1] - (nlp - evidence)) < 1e-12)
        let task = Int(classifier.featurizer.id(of: "task")!)
        #expect(abs(classifier.model.featureLogProb.value(feature: task, class: 1) - log(3.0 / 27)) < 1e-15)
        #expect(classifier.model.classLogPrior == [log(0.5), log(0.5)])
        let metrics = try JSONParser.parse(String(contentsOfFile: dir.file("metrics.json"), encoding: .utf8))
        #expect(metrics["accuracy"]?.doubleValue == 1)
        #expect(metrics["documents"]?.intValue == 1)
    }

    @Test func withoutSmoothingTheSlidesNumbers() throws {
        // The slides use raw frequencies: P(d|CV) = (1/14)^4, P(d|NLP) = 1·2·1·1 / 10^4.
        let (dir, _) = try runSpec(Self.spec(alpha: "1e-10"), files: ["train.tsv": Self.train, "test.tsv": "NLP\tClassification task uses transformer\n"])
        var classifier = try TextClassifier(path: dir.file("art/nb.wma"))
        let (_, logp) = try classifier.classify("Classification task uses transformer")
        let expected = (log(2.0) - 4 * log(10.0)) - (-4 * log(14.0))
        #expect(abs((logp[1] - logp[0]) - expected) < 1e-6)
    }
}

@Suite struct LabelledInputTests {
    @Test func stratifiedSplitHoldsOutEachClassShare() throws {
        var train = ""
        for i in 0..<30 { train += "a\tword\(i) alpha\n" }
        for i in 0..<10 { train += "b\tword\(i) beta\n" }
        let spec = """
            {"wordmill": 1, "name": "split", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "format": "tsv", "tokenizer": "whitespace", "split": {"test_fraction": 0.2, "seed": 7}}
            ]}
            """
        let (dir, result) = try runSpec(spec, files: ["train.tsv": train])
        #expect(result.exitCode == .ok)
        let reader = try ArtifactReader(path: dir.file("art/tokens.wma"))
        let labels = try DocumentLabels(reader: reader, documents: 40)
        #expect(labels.classes == ["a", "b"])
        let testA = (0..<30).filter { !labels.isTraining($0) }.count, testB = (30..<40).filter { !labels.isTraining($0) }.count
        #expect(testA == 6 && testB == 2)
        #expect(reader.header.counts["test_documents"] == 8)
        #expect(reader.header.counts["train_documents"] == 32)
    }

    @Test func malformedLinesFailOrAreSkippedAndCounted() throws {
        let spec = """
            {"wordmill": 1, "name": "bad", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "format": "tsv", "tokenizer": "whitespace"}
            ]}
            """
        let files = ["train.tsv": "a\tone two\nno tab\nb\tthree\n"]
        let (_, failed) = try runSpec(spec, files: files)
        #expect(failed.exitCode == .inputError)
        let skipping = spec.replacingOccurrences(of: "\"tokenizer\": \"whitespace\"", with: "\"tokenizer\": \"whitespace\", \"on_error\": \"skip\"")
        let (dir, ok) = try runSpec(skipping, files: files)
        #expect(ok.exitCode == .ok)
        let reader = try ArtifactReader(path: dir.file("art/tokens.wma"))
        #expect(reader.header.counts["skipped_lines"] == 1)
        #expect(reader.header.counts["documents"] == 2)
    }

    /// About 2 MB of labelled lines (several chunks per thread), blank lines and invalid UTF-8.
    static func bigCorpus(invalidAt badLines: Set<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        var state: UInt64 = 7
        for line in 0..<40_000 {
            if line % 997 == 0 { bytes.append(0x0A); continue }
            bytes.append(contentsOf: Array((line % 3 == 0 ? "spam\t" : "ham\t").utf8))
            for _ in 0..<8 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(contentsOf: Array("Word\(state >> 58) ".utf8))
            }
            if badLines.contains(line) { bytes.append(0xFF) }
            bytes.append(contentsOf: Array("음식 맛\n".utf8))
        }
        return bytes
    }

    @Test func threadsGiveTheSameArtifacts() throws {
        func tokens(threads: Int, policy: String, corpus: [UInt8]) throws -> (RunResult, [UInt8]) {
            let dir = TemporaryDirectory()
            dir.write("spec.json", """
                {"wordmill": 1, "name": "t", "artifacts": "art", "stages": [
                  {"name": "tokens", "op": "tokenize", "inputs": "c.tsv", "format": "tsv", "tokenizer": "sklearn", "threads": \(threads),
                   "encoding_errors": "\(policy)", "split": {"test_fraction": 0.25, "seed": 2}},
                  {"name": "vocab", "op": "vocab", "from": "tokens"},
                  {"name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"], "weighting": "tfidf", "threads": \(threads)}
                ]}
                """)
            dir.write("c.tsv", bytes: corpus)
            let spec = try SpecLoader.load(path: dir.file("spec.json"), catalog: StageCatalog.operations)
            let result = try Runner(spec: spec, log: RunLog(quiet: true)).run(RunOptions())
            // The sections' bytes (the header differs: it records the parameters, threads included).
            var bytes: [UInt8] = []
            for stage in ["tokens", "bow"] {
                guard let reader = try? ArtifactReader(path: dir.file("art/\(stage).wma")) else { return (result, []) }
                bytes += try reader.header.sections.flatMap { try reader.readBytes($0.name) }
            }
            return (result, bytes)
        }
        let corpus = Self.bigCorpus(invalidAt: [5, 30_001])
        let (one, oneBytes) = try tokens(threads: 1, policy: "replace", corpus: corpus)
        let (three, threeBytes) = try tokens(threads: 3, policy: "replace", corpus: corpus)
        #expect(one.exitCode == .ok && three.exitCode == .ok)
        #expect(oneBytes.count > 100_000 && oneBytes == threeBytes)
        // Strict: both stop at the first invalid line, in file order.
        let (strictOne, _) = try tokens(threads: 1, policy: "strict", corpus: corpus)
        let (strictThree, _) = try tokens(threads: 3, policy: "strict", corpus: corpus)
        #expect(strictOne.exitCode == .inputError && strictThree.exitCode == .inputError)
        #expect(strictOne.statuses == strictThree.statuses)
    }

    @Test func storedCountsEqualCountingAgainAtAnyThreads() throws {
        let dir = TemporaryDirectory()
        dir.write("spec.json", """
            {"wordmill": 1, "name": "v", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "c.txt", "tokenizer": "words", "threads": 2},
              {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 2}
            ]}
            """)
        let text = Self.bigCorpus(invalidAt: []).map { $0 == 0x09 ? 0x20 : $0 }
        dir.write("c.txt", bytes: text + text + text)  // over 4 MiB of tokens: several frames
        let spec = try SpecLoader.load(path: dir.file("spec.json"), catalog: StageCatalog.operations)
        #expect(try Runner(spec: spec, log: RunLog(quiet: true)).run(RunOptions()).exitCode == .ok)
        let tokens = try ArtifactReader(path: dir.file("art/tokens.wma"))
        #expect(try tokens.section("documents").frames.count > 1, "several frames, so several parts merge")
        let stored = try #require(try TokenCounts(storedIn: tokens))
        let one = try VocabOperation.count(tokens, threads: 1).result, three = try VocabOperation.count(tokens, threads: 3).result
        #expect(stored.distinct > 60 && stored.documents > 100_000 && stored == one && one == three)
        let vocabulary = try Vocabulary(reader: ArtifactReader(path: dir.file("art/vocab.wma")))
        #expect(vocabulary == one.vocabulary(minCount: 2))
        #expect(vocabulary.documentCounts == one.vocabulary(minCount: 2).documentCounts)
    }

    @Test func onlyTrainingDocumentsAreStoredAndAStratifiedSplitStoresNone() throws {
        let train = "A\tred red blue\nB\tgreen\n", test = "A\tred violet\nB\tviolet violet\n"
        let (dir, result) = try runSpec("""
            {"wordmill": 1, "name": "s", "artifacts": "art", "stages": [
              {"name": "tokens", "op": "tokenize", "inputs": "train.tsv", "test_inputs": "test.tsv", "format": "tsv"},
              {"name": "split", "op": "tokenize", "inputs": "train.tsv", "format": "tsv", "split": {"test_fraction": 0.5}},
              {"name": "vocab", "op": "vocab", "from": "tokens"}
            ]}
            """, files: ["train.tsv": train, "test.tsv": test])
        #expect(result.exitCode == .ok)
        let tokens = try ArtifactReader(path: dir.file("art/tokens.wma"))
        let stored = try #require(try TokenCounts(storedIn: tokens))
        #expect((0..<stored.distinct).map { stored.token($0) } == ["red", "blue", "green"])
        #expect(stored.occurrences == [2, 1, 1] && stored.documentCounts == [1, 1, 1] && stored.documents == 2)
        #expect(stored == (try VocabOperation.count(tokens, threads: 1).result))
        #expect(try TokenCounts(storedIn: ArtifactReader(path: dir.file("art/split.wma"))) == nil)
    }
}
