import Foundation
import WordmillModels

/// Self-contained SVG pictures: the loss per epoch, and word vectors projected to 2-D.
public enum SVGPlot {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func number(_ x: Double) -> String { String(format: "%.2f", x) }

    /// A line chart of one value per epoch.
    public static func lossCurve(_ losses: [Double], title: String) -> String {
        let width = 640.0, height = 400.0, left = 70.0, right = 20.0, top = 40.0, bottom = 50.0
        let lo = losses.min() ?? 0, hi = losses.max() ?? 1
        let span = hi > lo ? hi - lo : max(abs(hi), 1)
        func x(_ i: Int) -> Double { left + (losses.count > 1 ? Double(i) / Double(losses.count - 1) : 0.5) * (width - left - right) }
        func y(_ v: Double) -> Double { top + (1 - (v - lo) / span) * (height - top - bottom) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(number(width / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>
            <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="#444"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(height - bottom)" stroke="#444"/>
            <text x="\(number(width / 2))" y="\(number(height - 12))" text-anchor="middle">epoch</text>
            <text x="16" y="\(number(height / 2))" text-anchor="middle" transform="rotate(-90 16 \(number(height / 2)))">loss</text>

            """
        for t in 0...4 {
            let v = lo + span * Double(t) / 4
            svg += "<text x=\"\(number(left - 6))\" y=\"\(number(y(v) + 4))\" text-anchor=\"end\">\(String(format: "%.4g", v))</text>\n"
        }
        // At most about a dozen epoch labels, always the first and the last.
        let every = max(1, (losses.count + 11) / 12)
        for i in losses.indices where i % every == 0 || i == losses.count - 1 {
            svg += "<text x=\"\(number(x(i)))\" y=\"\(number(height - bottom + 16))\" text-anchor=\"middle\">\(i + 1)</text>\n"
        }
        let points = losses.indices.map { "\(number(x($0))),\(number(y(losses[$0])))" }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(points)\"/>\n"
        for i in losses.indices {
            svg += "<circle cx=\"\(number(x(i)))\" cy=\"\(number(y(losses[i])))\" r=\"3\" fill=\"#1f77b4\"><title>epoch \(i + 1): \(losses[i])</title></circle>\n"
        }
        return svg + "</svg>\n"
    }

    /// The first `count` rows (the most frequent words) projected onto their first two
    /// principal components, the first `labelled` of them labelled.
    public static func embeddingProjection(_ table: EmbeddingTable, count: Int = 500, labelled: Int = 100, title: String) -> String {
        let n = min(count, table.words.count)
        let xy = PrincipalComponents.project(table.vectors, rows: n, dim: table.dim, k: 2)
        let width = 900.0, height = 900.0, margin = 40.0
        let k = table.dim >= 2 ? 2 : 1
        let xs = (0..<n).map { xy[$0 * k] }, ys = (0..<n).map { k == 2 ? xy[$0 * 2 + 1] : 0 }
        let (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1), (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
        func sx(_ v: Double) -> Double { margin + (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5) * (width - 2 * margin) }
        func sy(_ v: Double) -> Double { height - margin - (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5) * (height - 2 * margin) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(number(width / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

            """
        for i in 0..<n {
            svg += "<circle cx=\"\(number(sx(xs[i])))\" cy=\"\(number(sy(ys[i])))\" r=\"2.5\" fill=\"#1f77b4\" fill-opacity=\"0.6\"><title>\(escape(table.words[i]))</title></circle>\n"
        }
        for i in 0..<min(labelled, n) {
            svg += "<text x=\"\(number(sx(xs[i]) + 4))\" y=\"\(number(sy(ys[i]) - 4))\">\(escape(table.words[i]))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
