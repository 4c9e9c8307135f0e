import Foundation
import Testing
import WordmillArtifacts
import WordmillSupport
import WordmillTestSupport

/// The bundled review pipelines for naive Bayes and GloVe, run with the built binary, and the
/// classifier verbs on what they make.
@Suite(.serialized) struct ReviewsPipelinesTests {
    /// A copy of `pipelines/<name>.json` and the review corpora in a temporary folder.
    static func copy(_ name: String) throws -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        let root = Repository.root
        dir.write("pipelines/\(name).json", try String(contentsOfFile: root + "/pipelines/\(name).json", encoding: .utf8))
        for file in ["reviews.okt.txt", "reviews.labelled.okt.tsv"] {
            dir.write("corpora/reviews-ko/\(file)", try String(contentsOfFile: root + "/corpora/reviews-ko/\(file)", encoding: .utf8))
        }
        return dir
    }

    @Test func naiveBayesPipelinePredictAndExplain() throws {
        let dir = try Self.copy("reviews-naive-bayes")
        let run = try runWordmill(["run", dir.file("pipelines/reviews-naive-bayes.json")])
        #expect(run.status == 0, "\(run.stderr)")
        let metrics = try JSONParser.parse(try FileSystem.readFile(dir.file("pipelines/exports/reviews-naive-bayes/metrics.json")))
        #expect(metrics["documents"]?.intValue == 2)
        #expect(metrics["confusion_matrix"]?["labels"] == ["negative", "positive"])
        let svg = try String(contentsOfFile: dir.file("pipelines/exports/reviews-naive-bayes/confusion.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("true negative, predicted"))
        let predictions = try String(contentsOfFile: dir.file("pipelines/exports/reviews-naive-bayes/predictions.csv"), encoding: .utf8)
        #expect(predictions.hasPrefix("document,label,predicted,probability\n"))
        let rows = predictions.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(rows.count == 2 && rows.allSatisfy { $0.count == 4 })
        // The streamed rows are the ones the metrics counted: their (label, predicted) pairs
        // tally to the confusion matrix.
        let labels = ["negative", "positive"]
        var tally = [[0, 0], [0, 0]]
        for row in rows { if let t = labels.firstIndex(of: String(row[1])), let p = labels.firstIndex(of: String(row[2])) { tally[t][p] += 1 } }
        #expect(metrics["confusion_matrix"]?["matrix"] == .array(tally.map { .array($0.map { .integer($0) }) }))
        let model = dir.file("pipelines/artifacts/reviews-naive-bayes/nb.wma")
        let predict = try runWordmill(["predict", model, "서비스 도 친절하다 맛있다", "위생 이 별로 이다"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let lines = predict.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[1].hasPrefix("positive,") && lines[2].hasPrefix("negative,"), "\(predict.stdout)")
        let jsonl = try runWordmill(["predict", model, "--format", "jsonl", "맛 도 좋다"])
        let object = try JSONParser.parse(Array(jsonl.stdout.utf8).dropLastNewline)
        let probabilities = (object["probabilities"]?.objectValue ?? [:]).values.compactMap(\.doubleValue)
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9)
        let explain = try runWordmill(["explain", model, "--top", "3"])
        #expect(explain.stdout.hasPrefix("negative: ") && explain.stdout.contains("\npositive: "), "\(explain.stdout)")
        // Applying predict to word vectors is an input error naming the file.
        let wrong = try runWordmill(["predict", dir.file("pipelines/artifacts/reviews-naive-bayes/bow.wma"), "x"])
        #expect(wrong.status == 66 && wrong.stderr.contains("bow.wma"))
    }

    @Test func gloveOnTheReviews() throws {
        let dir = try Self.copy("reviews-glove")
        let run = try runWordmill(["run", dir.file("pipelines/reviews-glove.json")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("301 nonzero pairs"))
        let similar = try runWordmill(["similar", dir.file("pipelines/exports/reviews-glove/glove.txt"), "음식", "-k", "3"])
        #expect(similar.status == 0 && similar.stdout.hasPrefix("음식: "), "\(similar.stderr)")
        let loss = try String(contentsOfFile: dir.file("pipelines/exports/reviews-glove/loss.svg"), encoding: .utf8)
        #expect(loss.contains("<polyline"))
    }
}

extension Array where Element == UInt8 {
    /// The bytes without a final line break.
    var dropLastNewline: [UInt8] { last == 0x0A ? Array(dropLast()) : self }
}
