"""Floods stdout (x == 1) or stderr (x == 2) forever."""
import sys


def f(x):
    stream = sys.stdout if x == 1 else sys.stderr
    while True:
        stream.write("spam " * 1000 + "\n")
