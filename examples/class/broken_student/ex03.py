import torch


def rnn_step(x, prev_h, w_h, w_x):
    while True:          # forgot the stopping condition
        pass


def rnn_backward(x, prev_h, w_h, w_x):
    raise NotImplementedError("rnn_backward is not done yet")
