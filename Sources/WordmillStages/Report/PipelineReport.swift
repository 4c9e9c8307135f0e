import Foundation
import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline
import WordmillSupport

/// `wordmill report`: one self-contained HTML page (inline CSS and SVG, no scripts, no
/// network) about a pipeline's last run: the stage graph coloured by state, per-stage times
/// and counts, the metrics of every evaluation, and the pictures — loss curves of the
/// trained models, embedding projections, confusion matrices and every SVG an export wrote.
public enum PipelineReport {
    public static func html(spec: PipelineSpec) throws -> String {
        let statuses = try PipelineStatus.compute(spec: spec)
        let (records, _) = RunHistory.read(spec: spec)
        let last = records.last
        var lastStages: [String: JSONValue] = [:], lastRan: [String: JSONValue] = [:]
        for s in last?["stages"]?.arrayValue ?? [] { if let name = s["stage"]?.stringValue { lastStages[name] = s } }
        // Each stage's most recent run, for the times and counts of stages the last run skipped.
        for record in records.reversed() {
            for s in record["stages"]?.arrayValue ?? [] where s["status"]?.stringValue == "ran" {
                if let name = s["stage"]?.stringValue, lastRan[name] == nil { lastRan[name] = s.with(started: record["started"]) }
            }
        }
        var readers: [String: ArtifactReader] = [:]
        for s in statuses where s.state != .missing && s.state != .damaged {
            readers[s.stage] = try? ArtifactReader(path: spec.artifactPath(for: s.stage))
        }
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>wordmill report: \(escape(spec.name))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
            h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
            table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
            th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .state-up-to-date { color: #1a7f37; } .state-stale { color: #b35900; } .state-missing { color: #777; } .state-damaged { color: #c62828; font-weight: bold; }
            .ran { color: #1a7f37; } .failed { color: #c62828; font-weight: bold; }
            figure { display: inline-block; margin: 0.5em 1em 1em 0; vertical-align: top; } figcaption { font-size: 0.85em; color: #555; }
            figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
            details pre { background: #f8f8f8; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
            .muted { color: #666; }
            </style></head><body>
            <h1>\(escape(spec.name))</h1>
            <p class="muted">\(escape(spec.path)) — artifacts in \(escape(spec.artifactsDirectory))</p>

            """
        page += runSummary(last, recordCount: records.count)
        page += "<h2>Stages</h2>\n" + graph(spec: spec, statuses: statuses, lastStages: lastStages)
        page += stageTable(statuses: statuses, lastStages: lastStages, lastRan: lastRan)
        page += metricsSection(spec: spec, readers: readers)
        page += pictures(spec: spec, readers: readers)
        page += "<p class=\"muted\">Written by wordmill report on \(Timestamp.iso8601(Date())).</p>\n</body></html>\n"
        return page
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func runSummary(_ last: JSONValue?, recordCount: Int) -> String {
        guard let last else { return "<p>No run recorded yet: <code>wordmill run</code> writes one record per run.</p>\n" }
        let code = last["exit_code"]?.intValue ?? -1
        let meaning = [0: "ok", 1: "a stage failed", 64: "usage error", 65: "invalid spec", 66: "input error", 75: "locked"][code] ?? "exit \(code)"
        return "<p>Last run (\(recordCount) recorded): started \(escape(last["started"]?.stringValue ?? "?")), finished \(escape(last["finished"]?.stringValue ?? "?")), "
            + "exit code <b class=\"\(code == 0 ? "ran" : "failed")\">\(code) (\(meaning))</b>.</p>\n"
    }

    /// The stages as boxes in columns by depth (a stage sits right of everything it reads),
    /// arrows from each input, coloured by the artifact's state.
    static func graph(spec: PipelineSpec, statuses: [StageStatus], lastStages: [String: JSONValue]) -> String {
        var depth: [String: Int] = [:]
        for s in statuses {
            let stage = spec.stage(s.stage)!
            depth[s.stage] = (stage.from.compactMap { depth[$0] }.max() ?? -1) + 1
        }
        var row: [String: Int] = [:], columnCount: [Int: Int] = [:]
        for s in statuses {
            let d = depth[s.stage]!
            row[s.stage] = columnCount[d, default: 0]
            columnCount[d, default: 0] += 1
        }
        let boxW = 170.0, boxH = 40.0, gapX = 60.0, gapY = 18.0, margin = 10.0
        let width = margin * 2 + Double((depth.values.max() ?? 0) + 1) * (boxW + gapX) - gapX
        let height = margin * 2 + Double(columnCount.values.max() ?? 1) * (boxH + gapY) - gapY
        func x(_ name: String) -> Double { margin + Double(depth[name]!) * (boxW + gapX) }
        func y(_ name: String) -> Double { margin + Double(row[name]!) * (boxH + gapY) }
        let colours: [StageStatus.State: String] = [.upToDate: "#d7f5dd", .stale: "#ffe8c7", .missing: "#eeeeee", .damaged: "#ffd0d0"]
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#888\"/></marker></defs>\n"
        for s in statuses {
            for input in spec.stage(s.stage)!.from {
                let x1 = x(input) + boxW, y1 = y(input) + boxH / 2, x2 = x(s.stage), y2 = y(s.stage) + boxH / 2
                svg += "<path d=\"M\(x1),\(y1) C\(x1 + gapX / 2),\(y1) \(x2 - gapX / 2),\(y2) \(x2),\(y2)\" fill=\"none\" stroke=\"#888\" marker-end=\"url(#arrow)\"/>\n"
            }
        }
        for s in statuses {
            let failed = lastStages[s.stage]?["status"]?.stringValue == "failed"
            svg += "<g><title>\(escape(s.stage)) (\(escape(s.op))): \(s.state.rawValue)\(s.reasons.isEmpty ? "" : " — " + escape(s.reasons.joined(separator: "; ")))</title>"
            svg += "<rect x=\"\(x(s.stage))\" y=\"\(y(s.stage))\" width=\"\(boxW)\" height=\"\(boxH)\" rx=\"6\" fill=\"\(colours[s.state]!)\" stroke=\"\(failed ? "#c62828" : "#999")\" stroke-width=\"\(failed ? 3 : 1)\"/>"
            svg += "<text x=\"\(x(s.stage) + boxW / 2)\" y=\"\(y(s.stage) + 17)\" text-anchor=\"middle\" font-weight=\"bold\">\(escape(s.stage))</text>"
            svg += "<text x=\"\(x(s.stage) + boxW / 2)\" y=\"\(y(s.stage) + 32)\" text-anchor=\"middle\" fill=\"#555\">\(escape(s.op)) · \(s.state.rawValue)</text></g>\n"
        }
        return "<figure>" + svg + "</svg><figcaption>Green: up to date; orange: stale; grey: missing; red: damaged (a red border: failed in the last run).</figcaption></figure>\n"
    }

    /// Per stage: what the last run did with it, and the time and counts of its latest run.
    static func stageTable(statuses: [StageStatus], lastStages: [String: JSONValue], lastRan: [String: JSONValue]) -> String {
        var html = "<table><tr><th>stage</th><th>op</th><th>last run</th><th>made by the run of</th><th>seconds</th><th>counts</th><th>now</th><th>size</th></tr>\n"
        for s in statuses {
            let record = lastStages[s.stage], ran = lastRan[s.stage]
            let status = record?["status"]?.stringValue ?? "—"
            let seconds = ran?["seconds"]?.doubleValue.map { String(format: "%.3f", $0) } ?? ""
            let made = ran?["run_started"]?.stringValue ?? ""
            let counts = (ran?["counts"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.canonicalText)" }.joined(separator: " ")
            var now = "<span class=\"state-\(s.state.rawValue)\">\(s.state.rawValue)</span>"
            if s.state != .upToDate && s.state != .missing { now += "<br><span class=\"muted\">\(escape(s.reasons.joined(separator: "; ")))</span>" }
            if let error = record?["error"]?.stringValue { now += "<br><span class=\"failed\">\(escape(error))</span>" }
            html += "<tr><td>\(escape(s.stage))</td><td>\(escape(s.op))</td><td class=\"\(status == "failed" ? "failed" : status == "ran" ? "ran" : "")\">\(escape(status))</td>"
            html += "<td>\(escape(made))</td><td class=\"num\">\(seconds)</td><td>\(escape(counts))</td><td>\(now)</td><td class=\"num\">\(s.bytes.map(formatBytes) ?? "")</td></tr>\n"
        }
        return html + "</table>\n"
    }

    /// The headline numbers of every evaluation, with the whole metrics JSON folded away.
    static func metricsSection(spec: PipelineSpec, readers: [String: ArtifactReader]) -> String {
        var html = ""
        for stage in spec.stages {
            guard let reader = readers[stage.name], reader.header.kind == EvaluateOperation.artifactKind, let metrics = reader.header.metadata["metrics"] else { continue }
            var rows: [(String, String)] = []
            for key in ["accuracy", "macro_f1", "weighted_f1", "loss", "perplexity", "documents", "tokens", "unit"] {
                switch metrics[key] {
                case .double(let d)?: rows.append((key, String(format: "%.4f", d)))
                case let v?: rows.append((key, v.stringValue ?? v.canonicalText))
                case nil: break
                }
            }
            for (file, result) in (metrics["analogies"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                for (method, scores) in (result.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    if let total = scores["total"]?["accuracy"]?.doubleValue ?? scores["accuracy"]?.doubleValue { rows.append(("\(file) \(method)", String(format: "%.4f", total))) }
                }
            }
            for (file, result) in (metrics["similarities"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let rho = result["spearman"]?.doubleValue { rows.append(("\(file) Spearman ρ", String(format: "%.4f", rho))) }
            }
            if let classes = metrics["classes"]?.objectValue, classes.count <= 6 {
                for (name, c) in classes.sorted(by: { $0.key < $1.key }) {
                    if let f1 = c["f1"]?.doubleValue { rows.append(("F1 of \(name)", String(format: "%.4f", f1))) }
                }
            }
            html += "<h3>\(escape(stage.name))</h3>\n<table>" + rows.map { "<tr><th>\(escape($0.0))</th><td class=\"num\">\(escape($0.1))</td></tr>" }.joined() + "</table>\n"
            html += "<details><summary>all metrics</summary><pre>\(escape(metrics.prettyText))</pre></details>\n"
        }
        return html.isEmpty ? "" : "<h2>Metrics</h2>\n" + html
    }

    /// Loss curves of trained models, an embedding projection per word-vector model (unless
    /// an export already drew one), and every SVG file an evaluation or export wrote.
    static func pictures(spec: PipelineSpec, readers: [String: ArtifactReader]) -> String {
        var figures: [String] = []
        // Pictures an export stage already draws are not drawn twice.
        var drawnEmbeddings: Set<String> = [], drawnLosses: Set<String> = []
        for stage in spec.stages where stage.op == ExportOperation.definition.name && stage.variant.name == ExportOperation.svg.name {
            if stage.parameters.choice("picture", as: ExportOperation.Picture.self) == .loss { drawnLosses.formUnion(stage.from) } else { drawnEmbeddings.formUnion(stage.from) }
        }
        for stage in spec.stages {
            guard let reader = readers[stage.name] else { continue }
            var losses = (reader.header.metadata["loss_per_epoch"]?.arrayValue ?? []).compactMap(\.doubleValue)
            if losses.isEmpty, reader.header.section("loss_per_epoch") != nil { losses = (try? reader.readArray("loss_per_epoch", as: Double.self)) ?? [] }
            if losses.count > 1, !drawnLosses.contains(stage.name) {
                figures.append(figure(SVGPlot.lossCurve(losses, title: "\(stage.name): loss per epoch"), caption: "\(stage.name) (\(reader.header.kind)): loss per epoch"))
            }
            if EmbeddingTable.artifactKinds.contains(reader.header.kind), !drawnEmbeddings.contains(stage.name), let table = try? EmbeddingTable(reader: reader) {
                figures.append(figure(SVGPlot.embeddingProjection(table, count: min(300, table.words.count), labelled: 60, title: "\(stage.name): PCA of the most frequent words"),
                                      caption: "\(stage.name): the \(min(300, table.words.count)) most frequent words projected onto two principal components"))
            }
            for output in reader.header.metadata["outputs"]?.arrayValue ?? [] {
                guard let path = output["path"]?.stringValue, path.hasSuffix(".svg"),
                      let bytes = try? FileSystem.readFile(spec.resolve(path)) else { continue }
                figures.append(figure(String(decoding: bytes, as: UTF8.self), caption: "\(stage.name): \(path)"))
            }
        }
        return figures.isEmpty ? "" : "<h2>Pictures</h2>\n" + figures.joined()
    }

    static func figure(_ svg: String, caption: String) -> String {
        var body = svg
        if body.hasPrefix("<?xml"), let end = body.range(of: "?>") { body = String(body[end.upperBound...]) }
        return "<figure>\(body)<figcaption>\(escape(caption))</figcaption></figure>\n"
    }
}

extension JSONValue {
    /// This object with `run_started` added.
    fileprivate func with(started: JSONValue?) -> JSONValue {
        guard var o = objectValue else { return self }
        o["run_started"] = started ?? .null
        return .object(o)
    }
}
