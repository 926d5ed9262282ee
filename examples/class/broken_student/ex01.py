import numpy as np

def logit(z)
    return 1 / (1 + np.exp(-z))
