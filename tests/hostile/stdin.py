"""Reads standard input (there is none: it must not hang)."""
import sys


def f(x):
    if x == 1:
        return input()
    return sys.stdin.read()
