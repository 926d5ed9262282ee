"""Fills the disk: one ever-growing file (x == 1) or many 1 MB files (x == 2)."""
import os


def f(x):
    chunk = b"x" * 2**20
    if x == 1:
        with open("big.bin", "wb") as fh:
            while True:
                fh.write(chunk)
    for i in range(10**6):
        with open(f"part{i}.bin", "wb") as fh:
            fh.write(chunk)
