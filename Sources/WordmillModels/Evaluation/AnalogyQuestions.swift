import Foundation

/// Analogy questions in word2vec's `questions-words.txt` format: `: section` lines, then
/// `a b c d` lines meaning "a is to b as c is to d".
public struct AnalogyQuestions: Sendable {
    public struct Section: Sendable {
        public let name: String
        public var questions: [(String, String, String, String)]
        /// word2vec's convention: sections named `gram…` are syntactic, the rest semantic.
        public var isSyntactic: Bool { name.hasPrefix("gram") }
    }

    public let sections: [Section]

    /// Parses the file; a line that is not a section header must have exactly four words.
    public static func parse(_ text: String, path: String) throws(EvaluationError) -> AnalogyQuestions {
        var sections: [Section] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if line.hasPrefix(":") {
                sections.append(Section(name: line.dropFirst().trimmingCharacters(in: .whitespaces), questions: []))
                continue
            }
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.count == 4 else { throw .malformed(path: path, line: n + 1, reason: "expected four words, found \(words.count)") }
            guard !sections.isEmpty else { throw .malformed(path: path, line: n + 1, reason: "a question before the first ': section' line") }
            sections[sections.count - 1].questions.append((words[0], words[1], words[2], words[3]))
        }
        guard sections.contains(where: { !$0.questions.isEmpty }) else { throw .malformed(path: path, line: 1, reason: "no questions") }
        return AnalogyQuestions(sections: sections)
    }
}

/// Word pairs with human similarity scores: `w1 w2 score` per line, tab or space separated,
/// `#` comments; lines whose third field is not a number (headers) are skipped.
public struct WordPairs: Sendable {
    public let pairs: [(String, String, Double)]

    public static func parse(_ text: String, path: String) throws(EvaluationError) -> WordPairs {
        var pairs: [(String, String, Double)] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).map(String.init)
            guard fields.count >= 3 else { throw .malformed(path: path, line: n + 1, reason: "expected two words and a score") }
            guard let score = Double(fields[2]) else { continue }
            pairs.append((fields[0], fields[1], score))
        }
        guard !pairs.isEmpty else { throw .malformed(path: path, line: 1, reason: "no scored pairs") }
        return WordPairs(pairs: pairs)
    }
}

/// A malformed evaluation file.
public enum EvaluationError: Error, Sendable, CustomStringConvertible {
    case malformed(path: String, line: Int, reason: String)
    public var description: String {
        switch self {
        case .malformed(let path, let line, let reason): return "\(path): line \(line): \(reason)"
        }
    }
}
