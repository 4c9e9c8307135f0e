import Foundation
import Testing
import WordmillArtifacts
import WordmillTestSupport
@testable import WordmillText

@Suite struct CorpusDocumentsTests {
    /// Collects (labels joined by "|", text) pairs, the blank count and the malformed lines (skipping them).
    func read(_ path: String, _ format: CorpusFormat) throws -> (docs: [(String?, String)], blank: Int, malformed: [String]) {
        var docs: [(String?, String)] = []
        var blank = 0
        var malformed: [String] = []
        try CorpusDocuments(path: path, format: format).forEach(blank: { _ in blank += 1 }, malformed: { malformed.append($0.description) }) { d in
            docs.append((d.labels.isEmpty ? nil : d.labels.joined(separator: "|"), String(decoding: d.text, as: UTF8.self)))
        }
        return (docs, blank, malformed)
    }

    /// Each format hands back the hash of the bytes it read, which must be the file's
    /// content hash: `tokenize` uses it instead of reading the file again at the end. A file
    /// larger than one 1 MiB read, with a line across the boundary and no final newline.
    @Test func everyFormatReturnsTheHashOfWhatItRead() throws {
        let dir = TemporaryDirectory()
        var big = ""
        for i in 0..<70_000 { big += "line \(i) 음식 맛\n" }
        let files: [(String, String, CorpusFormat)] = [
            ("a.txt", big + "last line without newline", .lines),
            ("a.tsv", "pos\tgood\nneg\tbad\n", .tsv(labelSeparator: nil)),
            ("a.jsonl", #"{"text": "정말 맛있다", "label": 1}"# + "\n", .jsonl(textField: "text", labelField: "label", multiLabel: false)),
            ("folder/doc.txt", "one document\nof two lines", .folders),
        ]
        for (name, content, format) in files {
            let path = dir.write(name, content)
            let read = try CorpusDocuments(path: path, format: format).forEach(blank: { _ in }, malformed: { _ in }) { _ in }
            #expect(read == (try FileSystem.hashFile(path)), "\(name)")
        }
        #expect(big.utf8.count > 1 << 20)
    }

    @Test func tsvSplitsAtTheFirstTab() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("a.tsv", "pos\tgood\tfood\r\n\nneg\tbad\nno tab here\n\tempty label\n")
        let r = try read(path, .tsv(labelSeparator: nil))
        #expect(r.docs.map(\.0) == ["pos", "neg"])
        #expect(r.docs.map(\.1) == ["good\tfood", "bad"])
        #expect(r.blank == 1)
        #expect(r.malformed == ["\(path):4: expected label<TAB>text, found no tab", "\(path):5: the label before the tab is empty"])
    }

    @Test func jsonlReadsConfiguredFields() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("a.jsonl", """
            {"body": "good food", "y": "pos"}
            {"body": "bad", "y": 3}
            {"body": 5, "y": "pos"}
            {"body": "x"}
            [1, 2]
            {"body": "unterminated
            """)
        let r = try read(path, .jsonl(textField: "body", labelField: "y", multiLabel: false))
        #expect(r.docs.map(\.0) == ["pos", "3"])
        #expect(r.docs.map(\.1) == ["good food", "bad"])
        #expect(r.malformed.count == 4)
        #expect(r.malformed[0] == "\(path):3: field \"body\" should be a string, found integer")
        #expect(r.malformed[1] == "\(path):4: field \"y\" should be a non-empty string or an integer, found nothing")
        #expect(r.malformed[2] == "\(path):5: expected a JSON object, found array")
        #expect(r.malformed[3].hasPrefix("\(path):6: invalid JSON at column"))
    }

    @Test func multiLabelFormatsGiveEveryLabel() throws {
        let dir = TemporaryDirectory()
        let tsv = dir.write("m.tsv", "sport, news\tthe match\nfood\tsoup\nsport,,news\tbad\n")
        let r = try read(tsv, .tsv(labelSeparator: ","))
        #expect(r.docs.map(\.0) == ["sport|news", "food"])
        #expect(r.malformed == ["\(tsv):3: an empty label in \"sport,,news\" (labels separated by \",\")"])
        let jsonl = dir.write("m.jsonl", #"{"t": "a", "y": ["x", 2]}"# + "\n" + #"{"t": "b", "y": "z"}"# + "\n" + #"{"t": "c", "y": []}"# + "\n")
        let j = try read(jsonl, .jsonl(textField: "t", labelField: "y", multiLabel: true))
        #expect(j.docs.map(\.0) == ["x|2", "z"])
        #expect(j.malformed == ["\(jsonl):3: field \"y\" should be a non-empty string, an integer or a non-empty array of them, found array"])
        // Without multi_label an array is malformed.
        #expect(try read(jsonl, .jsonl(textField: "t", labelField: "y", multiLabel: false)).malformed.count == 2)
        #expect(CorpusFormat.tsv(labelSeparator: ",").isMultiLabel && !CorpusFormat.tsv(labelSeparator: nil).isMultiLabel)
    }

    @Test func foldersLabelEachFileByItsFolder() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("train/sports/1.txt", "a goal\nin the last minute\n")
        let r = try read(path, .folders)
        #expect(r.docs.count == 1)
        #expect(r.docs[0].0 == "sports")
        #expect(r.docs[0].1 == "a goal\nin the last minute\n")
    }
}
