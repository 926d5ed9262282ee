# 10번: 퍼셉트론으로 NOR, AND 만들기
# tau(s) = +1 (s >= 0), -1 (s < 0)
import numpy as np

# NOR: (0,0) 일 때만 참.  s = 1 - 2*x1 - 2*x2
NOR_WEIGHTS = ([-2.0, -2.0], 1.0)
# AND: (1,1) 일 때만 참.  s = 2*x1 + 2*x2 - 3
AND_WEIGHTS = ([2.0, 2.0], -3.0)


def _tau(s):
    return 1 if s >= 0 else -1


def perceptron(x, w, w0):
    x = np.asarray(x, dtype=float)
    w1, w2 = float(w[0]), float(w[1])
    if x.ndim == 1:
        return _tau(w1 * x[0] + w2 * x[1] + w0)
    # 여러 샘플이 (n, 2) 로 들어온 경우 한 줄씩 계산
    outs = [_tau(w1 * row[0] + w2 * row[1] + w0) for row in x]
    return np.array(outs, dtype=int)
