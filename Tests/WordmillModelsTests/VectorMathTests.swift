import Foundation
import Testing
import WordmillNumerics

/// The vector exp, logistic and tanh stay within a few ulps of libm over the range the cells see.
@Suite struct VectorMathTests {
    @Test func matchesLibm() {
        var worstExp: Float = 0, worstSigmoid: Float = 0, worstTanh: Float = 0
        var x: Float = -30
        while x <= 30 {
            let v = SIMD8<Float>(x, x + 0.001, x + 0.002, x + 0.003, -x, x / 7, x / 1000, x * 1e-6)
            let e = VectorMath.exp(v), s = VectorMath.sigmoid(v), t = VectorMath.tanh(v)
            for i in 0..<8 {
                let xi = v[i]
                if abs(xi) < 80 { worstExp = max(worstExp, abs(e[i] - expf(xi)) / expf(xi)) }
                worstSigmoid = max(worstSigmoid, abs(s[i] - 1 / (1 + expf(-xi))))
                worstTanh = max(worstTanh, abs(t[i] - tanhf(xi)) / max(abs(tanhf(xi)), 1e-30))
            }
            x += 0.0137
        }
        #expect(worstExp < 4e-7, "exp relative error \(worstExp)")
        #expect(worstSigmoid < 2e-7, "sigmoid absolute error \(worstSigmoid)")
        #expect(worstTanh < 4e-7, "tanh relative error \(worstTanh)")
        #expect(VectorMath.exp(Float(-200)) >= 0 && VectorMath.exp(Float(200)).isFinite)
        #expect(VectorMath.tanh(Float(50)) == 1 && VectorMath.tanh(Float(-50)) == -1 && VectorMath.tanh(Float(0)) == 0)
    }
}
