"""Tries to write outside its scratch folder and to read what it must not see."""
import os
import socket


def write(paths):
    done = []
    for path in paths:
        try:
            with open(path, "w") as fh:
                fh.write("pwned")
            done.append(path)
        except OSError:
            pass
    return done


def read(paths):
    seen = []
    for path in paths:
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                open(path, "rb").read(10)
            seen.append(path)
        except OSError:
            pass
    try:
        import reference  # noqa: F401  (the answer key's package)
        seen.append("import reference")
    except ImportError:
        pass
    return seen


def connect(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return "connected"
    except OSError as exc:
        return f"refused: {exc}"


def env(_):
    found = dict(os.environ)
    try:
        with open("/proc/1/environ", "rb") as fh:
            found["/proc/1/environ"] = fh.read().decode(errors="replace")
    except OSError:
        pass
    return found
