"""Takes a while to import, but less than the import time limit."""
import time

time.sleep(1.5)


def f(x):
    return x + 1
