"""Unbounded recursion: x == 1 with Python's limit, x == 2 with the limit lifted and every
call going through C (map), so the C stack overflows."""
import sys


def f(x):
    if x == 2:
        sys.setrecursionlimit(10**8)
        return h(0)
    return g(0)


def g(n):
    return g(n + 1) + 1


def h(n):
    return sum(map(h, [n + 1]))
