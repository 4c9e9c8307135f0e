import Foundation
import Testing
import WordmillSupport
import WordmillTestSupport
@testable import WordmillPipeline
@testable import WordmillStages

/// docs/spec.md's parameter tables agree with the declarations: every parameter a variant
/// declares has a row in its op's section, every row names a declared parameter, and the
/// default column says the declared default — a fixed value as JSON, `required`, `none` for
/// an unset one, or, for a derived default, the declaration's own words. The export formats
/// table lists exactly the declared formats.
@Suite struct SpecDocsTests {
    struct Section {
        let op: String
        let variant: String?
        var rows: [(name: String, defaultText: String, line: Int)] = []
        var formats: [String] = []
    }

    static func sections() throws -> [Section] {
        let text = try String(contentsOfFile: Repository.root + "/docs/spec.md", encoding: .utf8)
        var sections: [Section] = []
        var inFormats = false
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("## ") { sections.append(Section(op: "", variant: nil)); continue }
            if line.hasPrefix("### `") {
                let parts = line.split(separator: "`")
                let op = String(parts[1])
                var variant: String?
                if parts.count > 3, parts[2].hasSuffix(" with "), let quoted = parts[3].split(separator: "\"").dropFirst().first { variant = String(quoted) }
                sections.append(Section(op: op, variant: variant))
                continue
            }
            guard line.hasPrefix("|"), !sections.isEmpty, !sections[sections.count - 1].op.isEmpty else { inFormats = false; continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3 else { continue }
            if cells[1] == "`format`" && cells[2] == "writes" { inFormats = true; continue }
            if cells[1] == "parameter" { inFormats = false; continue }
            guard cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else { continue }
            let name = String(cells[1].dropFirst().dropLast())
            if inFormats { sections[sections.count - 1].formats.append(name) } else {
                sections[sections.count - 1].rows.append((name, cells[2], n + 1))
            }
        }
        return sections.filter { !$0.op.isEmpty }
    }

    /// What the default column should say for `spec`.
    static func agrees(_ text: String, with spec: ParameterSpec) -> Bool {
        let plain = text.replacingOccurrences(of: "`", with: "")
        switch spec.defaultValue {
        case .required: return plain == "required"
        case .absent: return plain == "none"
        case .derived(let doc, _): return plain == doc.replacingOccurrences(of: "`", with: "")
        case .value(let v):
            guard let written = try? JSONParser.parse(Array(plain.utf8)) else { return false }
            if let a = written.doubleValue, let b = v.doubleValue { return a == b }
            if case .options = spec.type, let kind = written.stringValue { return v.stringValue == kind }
            return written == v
        }
    }

    @Test func parameterTablesAgreeWithTheDeclarations() throws {
        let sections = try Self.sections()
        let catalog = StageCatalog.operations
        #expect(Set(sections.map(\.op)) == Set(catalog.operations.keys), "an op without a section, or a section for no op")
        for (name, op) in catalog.operations {
            let mine = sections.filter { $0.op == name }
            for variant in op.variants {
                let documented = mine.filter { $0.variant == nil || $0.variant == variant.name }
                let rows = documented.flatMap(\.rows)
                for spec in op.parameters + variant.parameters {
                    let row = rows.first { $0.name == spec.name }
                    #expect(row != nil, "docs/spec.md has no row for \(name) \(variant.name)'s '\(spec.name)'")
                    if let row {
                        #expect(Self.agrees(row.defaultText, with: spec), "docs/spec.md:\(row.line): '\(spec.name)' of \(name) \(variant.name) says \(row.defaultText), declared \(spec.defaultValue)")
                    }
                }
            }
            for section in mine {
                let declared = Set(op.variants.filter { section.variant == nil || $0.name == section.variant }.flatMap { op.parameters(of: $0).map(\.name) })
                for row in section.rows {
                    #expect(declared.contains(row.name), "docs/spec.md:\(row.line): \(name) declares no parameter '\(row.name)'")
                }
            }
        }
        let formats = sections.filter { $0.op == "export" }.flatMap(\.formats)
        #expect(formats.count == Set(formats).count && Set(formats) == Set(catalog["export"]!.variants.map(\.name)), "docs/spec.md's export formats: \(formats)")
    }
}
