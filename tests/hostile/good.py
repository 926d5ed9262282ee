"""A well-behaved submission: the control case."""
import numpy as np


def f(x):
    print("computing", x)
    return np.arange(3) * x
