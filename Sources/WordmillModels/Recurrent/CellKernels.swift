import WordmillNumerics

/// The elementwise parts of the recurrent cells, eight hidden units at a time.
///
/// Each kernel handles one row: `n` hidden units, gate blocks `n` apart (PyTorch's stacked
/// order). A row's tail shorter than eight runs through the same vector code on a partial
/// load, so every unit gets the same arithmetic.
enum CellKernels {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ k: Int, _ lanes: Int) -> V {
        if lanes == 8 { return UnsafeRawPointer(p + k).loadUnaligned(as: V.self) }
        var v = V()
        for i in 0..<lanes { v[i] = p[k + i] }
        return v
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ k: Int, _ lanes: Int) {
        if lanes == 8 { return UnsafeMutableRawPointer(p + k).storeBytes(of: v, as: V.self) }
        for i in 0..<lanes { p[k + i] = v[i] }
    }

    /// Calls `body(k, lanes)` over 0..<n in steps of eight.
    @inline(__always)
    static func chunks(_ n: Int, _ body: (Int, Int) -> Void) {
        var k = 0
        while k < n {
            body(k, min(8, n - k))
            k += 8
        }
    }

    // MARK: forward

    /// RNN: h = tanh(pre) or relu(pre); the activation replaces the gate row.
    @inline(__always)
    static func rnnForward(relu: Bool, g: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>, n: Int) {
        chunks(n) { k, lanes in
            let pre = load(g, k, lanes)
            let v = relu ? pre.replacing(with: 0, where: pre .< 0) : VectorMath.tanh(pre)
            store(v, g, k, lanes); store(v, h, k, lanes); store(v, out, k, lanes)
        }
    }

    /// LSTM: i, f, o = σ(·), g = tanh(·); c' = f·c + i·g; h = o·tanh(c'). The gate row
    /// becomes the activations; `c` (the running state) and `cOut` get c'.
    @inline(__always)
    static func lstmForward(g: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, cOut: UnsafeMutablePointer<Float>,
                            h: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>, n: Int) {
        chunks(n) { k, lanes in
            let i = VectorMath.sigmoid(load(g, k, lanes)), f = VectorMath.sigmoid(load(g, n + k, lanes))
            let cand = VectorMath.tanh(load(g, 2 * n + k, lanes)), o = VectorMath.sigmoid(load(g, 3 * n + k, lanes))
            store(i, g, k, lanes); store(f, g, n + k, lanes); store(cand, g, 2 * n + k, lanes); store(o, g, 3 * n + k, lanes)
            let cell = f * load(c, k, lanes) + i * cand
            store(cell, c, k, lanes); store(cell, cOut, k, lanes)
            let v = o * VectorMath.tanh(cell)
            store(v, h, k, lanes); store(v, out, k, lanes)
        }
    }

    /// GRU: r, z = σ(x-part + h-part), n = tanh(x-part + r·(W_hn h + b_hn)), h' = (1−z)·n + z·h.
    /// `gh` holds W_hh h (biases not yet added); `candidate` keeps W_hn h + b_hn.
    @inline(__always)
    static func gruForward(g: UnsafeMutablePointer<Float>, gh: UnsafePointer<Float>, biasHH: UnsafePointer<Float>,
                           candidate: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>, n: Int) {
        chunks(n) { k, lanes in
            let r = VectorMath.sigmoid(load(g, k, lanes) + load(gh, k, lanes) + load(biasHH, k, lanes))
            let z = VectorMath.sigmoid(load(g, n + k, lanes) + load(gh, n + k, lanes) + load(biasHH, n + k, lanes))
            let hn = load(gh, 2 * n + k, lanes) + load(biasHH, 2 * n + k, lanes)
            let cand = VectorMath.tanh(load(g, 2 * n + k, lanes) + r * hn)
            store(r, g, k, lanes); store(z, g, n + k, lanes); store(cand, g, 2 * n + k, lanes)
            store(hn, candidate, k, lanes)
            let v = (1 - z) * cand + z * load(h, k, lanes)
            store(v, h, k, lanes); store(v, out, k, lanes)
        }
    }

    // MARK: backward (dh = the incoming state gradient, plus the output's when given)

    @inline(__always)
    static func incoming(_ dh: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>?, _ k: Int, _ lanes: Int) -> V {
        let d = load(dh, k, lanes)
        guard let dOut else { return d }
        return d + load(dOut, k, lanes)
    }

    @inline(__always)
    static func rnnBackward(relu: Bool, dg: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, dh: UnsafePointer<Float>,
                            dOut: UnsafePointer<Float>?, n: Int) {
        chunks(n) { k, lanes in
            let grad = incoming(dh, dOut, k, lanes), v = load(g, k, lanes)
            store(relu ? grad.replacing(with: 0, where: v .<= 0) : grad * (1 - v * v), dg, k, lanes)
        }
    }

    @inline(__always)
    static func lstmBackward(dg: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, c: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
                             dh: UnsafePointer<Float>, dOut: UnsafePointer<Float>?, dc: UnsafeMutablePointer<Float>, n: Int) {
        chunks(n) { k, lanes in
            let grad = incoming(dh, dOut, k, lanes)
            let i = load(g, k, lanes), f = load(g, n + k, lanes), cand = load(g, 2 * n + k, lanes), o = load(g, 3 * n + k, lanes)
            let tc = VectorMath.tanh(load(c, k, lanes))
            let dcTotal = load(dc, k, lanes) + grad * o * (1 - tc * tc)
            store(dcTotal * cand * i * (1 - i), dg, k, lanes)
            store(dcTotal * load(cPrev, k, lanes) * f * (1 - f), dg, n + k, lanes)
            store(dcTotal * i * (1 - cand * cand), dg, 2 * n + k, lanes)
            store(grad * tc * o * (1 - o), dg, 3 * n + k, lanes)
            store(dcTotal * f, dc, k, lanes)
        }
    }

    @inline(__always)
    static func gruBackward(dg: UnsafeMutablePointer<Float>, dgh: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, hPrev: UnsafePointer<Float>,
                            candidate: UnsafePointer<Float>, dh: UnsafePointer<Float>, dOut: UnsafePointer<Float>?,
                            direct: UnsafeMutablePointer<Float>, n: Int) {
        chunks(n) { k, lanes in
            let grad = incoming(dh, dOut, k, lanes)
            let r = load(g, k, lanes), z = load(g, n + k, lanes), cand = load(g, 2 * n + k, lanes)
            let dnPre = grad * (1 - z) * (1 - cand * cand)
            let drPre = dnPre * load(candidate, k, lanes) * r * (1 - r)
            let dzPre = grad * (load(hPrev, k, lanes) - cand) * z * (1 - z)
            store(drPre, dg, k, lanes); store(dzPre, dg, n + k, lanes); store(dnPre, dg, 2 * n + k, lanes)
            store(drPre, dgh, k, lanes); store(dzPre, dgh, n + k, lanes); store(dnPre * r, dgh, 2 * n + k, lanes)
            store(grad * z, direct, k, lanes)
        }
    }
}
