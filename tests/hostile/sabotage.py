"""Tries to overwrite another student's source file before it is graded."""
import glob
import os


def f(paths):
    changed = []
    for pattern in list(paths) + ["/inbox/src/*.py", "/inbox/job.bin"]:
        for path in glob.glob(pattern):
            try:
                with open(path, "w") as fh:
                    fh.write("def f(x):\n    return 'sabotaged'\n")
                changed.append(path)
            except OSError:
                pass
    return changed
