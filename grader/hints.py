"""Known mistakes and what to tell the student about them, in English and Korean.

Three ways a hint is found, all by data the grader already has:
- the student's output equals the output of a known wrong variant
  (``reference/mistakes.py``, stored in the answer key): :data:`MISTAKES`;
- the error or a warning the student's code produced matches a pattern: :data:`PATTERNS`;
- a structural look at a wrong dict output (one gradient equals another output).
"""
from __future__ import annotations

import re

from grader.results import Hint

MISTAKES: dict[str, Hint] = {h.id: h for h in [
    Hint("grad_y_uses_grad_x",
         "grad_y was computed as grad_a * grad_x. Since a = x * y, the local gradient of a with respect to y "
         "is x: grad_y = grad_a * x.",
         "grad_y를 grad_a * grad_x로 계산했습니다. a = x * y 이므로 y에 대한 a의 국소 기울기는 x입니다: "
         "grad_y = grad_a * x."),
    Hint("learning_rate_10e-6",
         "The loss blows up: 10e-6 is 1e-5, ten times the intended learning rate 1e-6. Use the "
         "learning_rate argument you are given.",
         "손실이 발산합니다: 10e-6은 1e-5로, 의도한 학습률 1e-6의 열 배입니다. 인자로 받은 learning_rate를 "
         "사용하세요."),
    Hint("missing_relu_mask",
         "The gradient flows through the ReLU where its input was negative. Zero it there: "
         "grad_h[h < 0] = 0.",
         "ReLU 입력이 음수인 곳에서도 기울기가 전달되고 있습니다. 그 위치의 기울기를 0으로 만드세요: "
         "grad_h[h < 0] = 0."),
    Hint("bias_node_zero_row",
         "Your outputs match an MLP whose bias node is f(0) instead of 1 (a zero row padded onto each U). "
         "Prepend a constant 1 to every layer's input and keep U^l as given (bias in column 0).",
         "출력이 바이어스 노드가 1이 아니라 f(0)인 MLP(각 U에 0 행을 덧붙인 경우)의 결과와 같습니다. "
         "각 층의 입력 앞에 상수 1을 붙이고 U^l은 주어진 그대로(0번 열이 바이어스) 사용하세요."),
    Hint("kernel_flipped",
         "Your result is a true (flipped-kernel) convolution. Deep-learning 'convolution' is "
         "cross-correlation: do not flip the kernel.",
         "커널을 뒤집은 (수학적) 컨볼루션 결과입니다. 딥러닝의 컨볼루션은 상호상관(cross-correlation)이므로 "
         "커널을 뒤집지 마세요."),
    Hint("seed_param_formula",
         "The parameter count is k·k·C_in weights per filter plus one bias per filter: "
         "(k·k·C_in + 1)·n_filters (for 3×3×3 and 64 filters: 1792), not k·k·C_in·n_filters·n_filters.",
         "매개변수 수는 필터마다 k·k·C_in개의 가중치와 1개의 바이어스입니다: (k·k·C_in + 1)·필터 수 "
         "(3×3×3, 필터 64개이면 1792). k·k·C_in·필터 수·필터 수가 아닙니다."),
    Hint("log_likelihood_natural_log",
         "log_likelihood uses log base 2 (−log₂ o_y); you used the natural log.",
         "log_likelihood는 밑이 2인 로그(−log₂ o_y)를 사용합니다. 자연로그를 사용했습니다."),
    Hint("softmax_unstable",
         "softmax overflows for large inputs: subtract max(x) before exponentiating.",
         "입력이 크면 softmax가 overflow됩니다: 지수를 취하기 전에 max(x)를 빼세요."),
    Hint("derivative_forward_difference",
         "derivative must use the centred difference (f(z+eps) − f(z−eps)) / (2·eps), not a one-sided one.",
         "derivative는 한쪽 차분이 아니라 중앙 차분 (f(z+eps) − f(z−eps)) / (2·eps)을 사용해야 합니다."),
]}

# (regex on "ErrorType: message" or on a warning text, hint)
PATTERNS: list[tuple[re.Pattern[str], Hint]] = [(re.compile(p, re.I), h) for p, h in [
    (r"invalid index of a 0-dim tensor",
     Hint("zero_dim_index", "loss is a 0-dim tensor: use loss.item() instead of loss.data[0] (old PyTorch code).",
          "loss는 0차원 텐서입니다: loss.data[0] 대신 loss.item()을 사용하세요 (예전 PyTorch 코드입니다).")),
    (r"size_average|reduce args will be deprecated",
     Hint("size_average", "size_average=False is deprecated: write nn.MSELoss(reduction='sum').",
          "size_average=False는 더 이상 쓰이지 않습니다: nn.MSELoss(reduction='sum')을 쓰세요.")),
    (r"shapes cannot be multiplied|size mismatch|must match the size",
     Hint("shape_mismatch", "Matrix shapes do not fit together: print the shapes of both operands and check "
          "the order of the product (x @ w, not w @ x) and any transpose.",
          "행렬 크기가 맞지 않습니다: 두 피연산자의 shape을 출력해 곱의 순서(w @ x가 아니라 x @ w)와 전치를 "
          "확인하세요.")),
    (r"leaf Variable that requires grad|leaf variable.*in-place",
     Hint("inplace_leaf", "Update weights inside `with torch.no_grad():` so the update is not recorded by autograd.",
          "가중치 갱신은 `with torch.no_grad():` 안에서 하세요. 그래야 autograd가 갱신을 기록하지 않습니다.")),
    (r"backward through the graph a second time",
     Hint("backward_twice", "Build the graph anew each step (compute the loss inside the loop) and zero the "
          "gradients after each update.",
          "매 단계마다 그래프를 새로 만들고(반복문 안에서 손실 계산) 갱신 후 기울기를 0으로 만드세요.")),
    (r"numpy\(\) on Tensor that requires grad|can't convert cuda",
     Hint("tensor_to_numpy", "Call .detach().cpu() before .numpy() on a tensor that requires grad or lives on a GPU.",
          "기울기가 필요하거나 GPU에 있는 텐서는 .numpy() 전에 .detach().cpu()를 호출하세요.")),
    (r"Expected all tensors to be on the same device",
     Hint("device_mismatch", "Create new tensors on the same device as the inputs (e.g. torch.zeros_like(x) or "
          "device=x.device).",
          "새 텐서는 입력과 같은 장치에 만드세요 (예: torch.zeros_like(x) 또는 device=x.device).")),
    (r"^ModuleNotFoundError",
     Hint("module_not_found", "Only numpy, torch, torchvision and matplotlib are available when grading; "
          "remove other imports.",
          "채점 환경에는 numpy, torch, torchvision, matplotlib만 있습니다; 다른 import는 지우세요.")),
    (r"Non-UTF-8 code|can't decode byte|UnicodeDecodeError|is not UTF-8",
     Hint("encoding", "Save the file as UTF-8, or declare its encoding on the first line: # -*- coding: cp949 -*-.",
          "파일을 UTF-8로 저장하거나 첫 줄에 인코딩을 선언하세요: # -*- coding: cp949 -*-.")),
    (r"^RecursionError",
     Hint("recursion", "The code recursed without end: check the stopping condition.",
          "재귀가 끝나지 않습니다: 종료 조건을 확인하세요.")),
    (r"download|urlopen|Temporary failure in name resolution|Network is unreachable",
     Hint("network", "There is no network while grading: do not download data; use what the function is given.",
          "채점 중에는 네트워크가 없습니다: 데이터를 내려받지 말고 함수가 받은 데이터를 사용하세요.")),
]]

NONE_RETURNED = Hint("none_returned", "The function returned None: is a `return` statement missing?",
                     "함수가 None을 반환했습니다: `return` 문이 빠졌나요?")


def equals_other(key: str, other: str) -> Hint:
    return Hint(f"equals_{other}",
                f"'{key}' equals the expected '{other}'. Check which local gradient multiplies the upstream one.",
                f"'{key}'가 기대값 '{other}'와 같습니다. 위에서 내려온 기울기에 어떤 국소 기울기를 곱해야 하는지 "
                f"확인하세요.")


def for_text(text: str) -> list[Hint]:
    """Hints whose pattern matches an error or warning text."""
    return [hint for pattern, hint in PATTERNS if pattern.search(text)]
