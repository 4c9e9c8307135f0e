import Foundation

/// A confusion matrix as an SVG heat map: rows are the true classes, columns the predicted
/// ones; each cell's shade is its share of the row (recall), and its count is written in it
/// (and in a tooltip) when the cell is large enough.
public enum ConfusionMatrixPlot {
    public static func svg(classes: [String], confusion: [[Int]], title: String) -> String {
        let n = classes.count
        let cell = n <= 12 ? 44.0 : n <= 30 ? 24.0 : 16.0
        let longest = Double(classes.map(\.count).max() ?? 1)
        let labelSpace = min(220, 12 + 7 * longest)
        let left = labelSpace + 10, top = labelSpace + 50
        // Wide enough for the title too (about 8 px per character at 15 px).
        let width = max(left + cell * Double(n) + 30, 20 + 8 * Double(title.count)), height = top + cell * Double(n) + 40
        let fontSize = cell >= 40 ? 12 : cell >= 24 ? 10 : 8
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="\(fontSize)">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(SVGPlot.number(width / 2))" y="22" text-anchor="middle" font-size="15">\(SVGPlot.escape(title))</text>
            <text x="\(SVGPlot.number(left + cell * Double(n) / 2))" y="40" text-anchor="middle" font-size="12">predicted</text>
            <text x="14" y="\(SVGPlot.number(top + cell * Double(n) / 2))" text-anchor="middle" font-size="12" transform="rotate(-90 14 \(SVGPlot.number(top + cell * Double(n) / 2)))">true</text>

            """
        for (i, name) in classes.enumerated() {
            let y = top + cell * (Double(i) + 0.5) + 4
            svg += "<text x=\"\(SVGPlot.number(left - 6))\" y=\"\(SVGPlot.number(y))\" text-anchor=\"end\">\(SVGPlot.escape(name))</text>\n"
            let x = left + cell * (Double(i) + 0.5) + 4
            svg += "<text x=\"\(SVGPlot.number(x))\" y=\"\(SVGPlot.number(top - 6))\" transform=\"rotate(-60 \(SVGPlot.number(x)) \(SVGPlot.number(top - 6)))\">\(SVGPlot.escape(name))</text>\n"
        }
        for (i, row) in confusion.enumerated() {
            let total = max(row.reduce(0, +), 1)
            for (j, count) in row.enumerated() {
                let share = Double(count) / Double(total)
                // White to a deep blue; the diagonal in blue, errors in red.
                let (r, g, b) = i == j ? (255 - 224 * share, 255 - 150 * share, 255 - 75 * share) : (255 - 40 * share, 255 - 200 * share, 255 - 200 * share)
                let fill = String(format: "#%02x%02x%02x", Int(r), Int(g), Int(b))
                let x = left + cell * Double(j), y = top + cell * Double(i)
                svg += "<rect x=\"\(SVGPlot.number(x))\" y=\"\(SVGPlot.number(y))\" width=\"\(SVGPlot.number(cell))\" height=\"\(SVGPlot.number(cell))\" fill=\"\(fill)\" stroke=\"#ddd\"><title>true \(SVGPlot.escape(classes[i])), predicted \(SVGPlot.escape(classes[j])): \(count) (\(String(format: "%.1f", share * 100)) % of the row)</title></rect>\n"
                if count > 0, cell >= 24 {
                    let color = share > 0.6 ? "white" : "black"
                    svg += "<text x=\"\(SVGPlot.number(x + cell / 2))\" y=\"\(SVGPlot.number(y + cell / 2 + 4))\" text-anchor=\"middle\" fill=\"\(color)\">\(count)</text>\n"
                }
            }
        }
        return svg + "</svg>\n"
    }
}
