"""Ends the process in every blunt way: sys.exit, os._exit, SIGKILL to itself, a segfault."""
import ctypes
import os
import signal
import sys
import time


def f(x):
    if x == 1:
        sys.exit(3)
    if x == 2:
        os._exit(7)
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    if x == 4:
        ctypes.string_at(0)
    if x == 5:
        os.kill(os.getppid(), signal.SIGKILL)
        time.sleep(5)
    if x == 6:
        os.kill(-1, signal.SIGKILL)
        time.sleep(5)
    return x
