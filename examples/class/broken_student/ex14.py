# 한글 주석 (a comment in cp949, no encoding declaration)
def softmax(x):
    return x
