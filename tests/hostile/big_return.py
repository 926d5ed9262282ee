"""Returns more data than the grader accepts (x == 1), or a 80 GB broadcast view (x == 2)."""
import numpy as np


def f(x):
    if x == 1:
        return np.ones(4 * 2**20)  # 32 MB
    return np.broadcast_to(np.zeros(1), (10**10,))
