def perceptron(x, w, w0):
    return "positive"    # a string where numbers are expected


NOR_WEIGHTS = [[1, 1], 0.5]       # wrong weights: this is not NOR
