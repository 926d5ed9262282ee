"""Loops forever for x == 1 only, so the cases around it must still be graded."""


def f(x):
    while x == 1:
        pass
    return x * 10
