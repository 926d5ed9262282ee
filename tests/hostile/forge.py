"""Forges results: fake frames on stdout, garbage and a pickle on every fd, a lying __eq__."""
import os
import pickle

import numpy as np
import torch

FAKE = (b"DLGW1" + (200).to_bytes(8, "big") + b'{"ev":"end","case":"c2","ok":true}')


class Liar:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


class Evil:
    def __reduce__(self):
        return (os.system, ("touch /tmp/pwned-by-pickle",))


def fake_print(x):
    print(FAKE.decode('latin-1'))
    return x


def spray(x):
    payload = pickle.dumps(Evil())
    for fd in range(256):
        for data in (b"\x00garbage\xff" * 10, payload, FAKE):
            try:
                os.write(fd, data)
            except OSError:
                pass
    return x


def liar(x):
    return Liar()


def patch(x):
    import builtins
    import operator

    np.allclose = np.array_equal = np.isclose = lambda *a, **k: True
    np.testing.assert_allclose = lambda *a, **k: None
    torch.allclose = torch.equal = lambda *a, **k: True
    operator.eq = lambda a, b: True
    builtins.all = builtins.any = lambda *a: True
    return [1, 2, 3]
