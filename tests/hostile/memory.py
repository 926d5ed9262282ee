"""Asks for too much memory: one huge block (x == 1) or a slowly growing list (x == 2)."""


def f(x):
    if x == 1:
        return len(bytearray(10**10))
    blocks = []
    while True:
        blocks.append(bytearray(50 * 2**20))
