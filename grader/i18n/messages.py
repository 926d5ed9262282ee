"""Korean versions of the grader's own English messages, for reports only.

The grader keeps producing English messages in fixed formats (tests and JSON results
match them); the renderers call :func:`translate` when they show a page or a table in
another language.  Each rule matches one whole message format of our code and builds the
Korean sentence from its parts; parts that are ours again (the inner message of a dict
key, the reason an import failed) are translated recursively, Python's own words (the
text of a raised exception, an OS error) stay as they are.  A message no rule knows is
returned unchanged: translating never raises.
"""
from __future__ import annotations

import re
from typing import Callable

Rule = tuple[re.Pattern, Callable[[re.Match], str]]
_RULES: list[Rule] = []


def _rule(pattern: str):
    def register(build: Callable[[re.Match], str]) -> Callable[[re.Match], str]:
        _RULES.append((re.compile(pattern, re.DOTALL), build))
        return build
    return register


def _fixed(english: str, korean: str) -> None:
    _RULES.append((re.compile(re.escape(english)), lambda m: korean))


def translate(text: str, lang: str) -> str:
    """``text`` in ``lang`` ("en" leaves it as it is); unknown messages come back unchanged."""
    if lang != "ko" or not isinstance(text, str) or not text:
        return text
    try:
        return _ko(text)
    except Exception:   # a report must never fail over a message
        return text


def _ko(text: str) -> str:
    for pattern, build in _RULES:
        m = pattern.fullmatch(text)
        if m:
            return build(m)
    return text


# ---------------------------------------------------------------- fixed sentences
for _en, _kr in [
    # compare.py / checks.py
    ("matches", "일치합니다"),
    ("all outputs match", "모든 출력이 일치합니다"),
    ("output matches the expected values", "출력이 기대값과 일치합니다"),
    ("returned None (a missing return statement?)", "None을 반환했습니다 (return 문이 빠졌나요?)"),
    ("returned complex numbers, expected real ones", "복소수를 반환했습니다. 실수가 필요합니다"),
    ("returned a ragged or mixed sequence that is not an array",
     "길이가 들쭉날쭉하거나 자료형이 섞인 시퀀스를 반환해 배열로 만들 수 없습니다"),
    ("forward and backward match, but torch.autograd.gradcheck failed",
     "순전파와 역전파 값은 일치하지만 torch.autograd.gradcheck를 통과하지 못했습니다"),
    ("expected a pair (w, w0) with w a length-2 sequence and w0 a number",
     "(w, w0) 쌍을 반환해야 합니다 (w는 길이 2인 시퀀스, w0는 숫자)"),
    ("the weights are not finite numbers", "가중치가 유한한 수가 아닙니다"),
    ("the MNIST run returned no result", "MNIST 학습이 결과를 반환하지 않았습니다"),
    ("the MNIST run returned no parameter count", "MNIST 학습 결과에 매개변수 수가 없습니다"),
    ("hidden case", "비공개 케이스"),
    ("no details", "세부 정보 없음"),
    ("failed", "실패했습니다"),
    # submission.py
    ("no exNN.py file found in the folder", "폴더에서 exNN.py 파일을 찾지 못했습니다"),
    # sandbox: runner.py, worker.py
    ("the sandbox's server process died (the code may have killed its parent process)",
     "샌드박스 서버 프로세스가 종료되었습니다 (코드가 부모 프로세스를 종료시켰을 수 있습니다)"),
    ("the sandbox stopped responding between steps", "샌드박스가 단계 사이에서 응답을 멈췄습니다"),
    ("the result channel ended in the middle of a frame", "결과 채널이 프레임 도중에 끊겼습니다"),
    ("a frame arrived after the job was done", "작업이 끝난 뒤에 프레임이 도착했습니다"),
    ("malformed end frame", "종료(end) 프레임의 형식이 잘못되었습니다"),
    ("stray bytes on the result channel (not a result frame)",
     "결과 채널에 결과 프레임이 아닌 바이트가 섞여 있습니다"),
    # sandbox/__init__.py: protections that are off
    ("Bubblewrap is not in use: student code runs as a plain process.",
     "Bubblewrap을 사용하지 않습니다: 학생 코드가 일반 프로세스로 실행됩니다."),
    ("Student code can read every file this machine lets its user read (answer key included).",
     "학생 코드가 이 머신에서 해당 사용자가 읽을 수 있는 모든 파일을 읽을 수 있습니다 (정답 키 포함)."),
    ("Student code can use the network.", "학생 코드가 네트워크를 사용할 수 있습니다."),
    ("Student code can see the machine's other processes.", "학생 코드가 이 머신의 다른 프로세스를 볼 수 있습니다."),
    ("Student code runs as the grader's own user (root here), so it can signal or change everything that "
     "user can.",
     "학생 코드가 채점기와 같은 사용자(여기서는 root)로 실행되므로, 그 사용자가 할 수 있는 모든 것에 "
     "시그널을 보내거나 변경할 수 있습니다."),
    ("There is no limit on the number of processes (a fork bomb slows the machine until its time limit).",
     "프로세스 수에 제한이 없습니다 (포크 폭탄이 시간 제한에 걸릴 때까지 머신을 느리게 만듭니다)."),
    ("Processes a submission leaves behind in a new session may outlive its grading.",
     "제출물이 새 세션에 남긴 프로세스가 채점이 끝난 뒤에도 살아 있을 수 있습니다."),
    ("the sandbox was turned off (sandbox='none')", "샌드박스가 꺼져 있습니다 (sandbox='none')"),
    ("bubblewrap (bwrap) is not installed", "bubblewrap(bwrap)이 설치되어 있지 않습니다"),
]:
    _fixed(_en, _kr)


# ---------------------------------------------------------------- compare.py
_NUM = r"[-+]?(?:\d[\d,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf|-inf"


@_rule(r"(\d+) of (\d+) values differ; largest error (\S+) \(relative (\S+)\) > tolerance "
       r"\(rtol=(\S+), atol=(\S+)\); first at index (.+)")
def _values_differ(m):
    n, total, err, rel, rtol, atol, where = m.groups()
    return (f"{total}개 값 중 {n}개가 다릅니다; 최대 오차 {err} (상대 {rel}) > 허용 오차 "
            f"(rtol={rtol}, atol={atol}); 처음 다른 위치 {where}")


@_rule(r"(\d+) NaN and (\d+) infinite values \(expected all finite\)")
def _nan(m):
    return f"NaN {m[1]}개, 무한대 {m[2]}개가 있습니다 (모든 값이 유한해야 합니다)"


@_rule(r"got (.+), expected (.+) \(tolerance rtol=(\S+), atol=(\S+)\)")
def _got_scalar(m):
    return f"반환값은 {m[1]}인데 기대값은 {m[2]}입니다 (허용 오차 rtol={m[3]}, atol={m[4]})"


@_rule(r"got (.+), expected (.+)")
def _got_other(m):
    return f"반환값은 {m[1]}인데 기대값은 {m[2]}입니다"


@_rule(r"shape (\(.*?\)) but expected (\(.*?\))( \(same number of entries: a transpose or a missing reshape\?\))?")
def _shape(m):
    extra = " (원소 개수는 같습니다: 전치(transpose)했거나 reshape를 빠뜨렸나요?)" if m[3] else ""
    return f"모양이 {m[1]}인데 기대한 모양은 {m[2]}입니다{extra}"


@_rule(r"returned an object of type (.+), which the grader cannot read as numbers")
def _unsupported(m):
    return f"{m[1]} 타입의 객체를 반환했습니다. 채점기가 이를 숫자로 읽을 수 없습니다"


@_rule(r"returned a ragged or mixed sequence that is not an array \((.*)\)")
def _ragged(m):
    return f"길이가 들쭉날쭉하거나 자료형이 섞인 시퀀스를 반환해 배열로 만들 수 없습니다 ({m[1]})"


@_rule(r"returned values of dtype (\S+), expected numbers")
def _dtype(m):
    return f"dtype이 {m[1]}인 값을 반환했습니다. 숫자가 필요합니다"


@_rule(r"returned a (\w+), expected numbers")
def _not_numbers(m):
    return f"{m[1]} 값을 반환했습니다. 숫자가 필요합니다"


def _describe_type(text: str) -> str:
    m = re.fullmatch(r"array of shape (\(.*\)) and dtype (\S+)", text)
    return f"모양 {m[1]}, dtype {m[2]}인 배열" if m else text


@_rule(r"returned (.+), expected a dict with keys (.+)")
def _not_dict(m):
    return f"{_describe_type(m[1])} 값을 반환했습니다. 키가 {m[2]}인 dict가 필요합니다"


@_rule(r"key '(.+)' is missing from the returned dict")
def _missing_key(m):
    return f"반환한 dict에 '{m[1]}' 키가 없습니다"


@_rule(r"wrong ([\w.]+(?:, [\w.]+)*) — (.+)")
def _wrong_keys(m):
    keys = m[1].split(", ")
    rest = m[2]
    parts = []
    shown = keys[:3]
    pos = 0
    for i, key in enumerate(shown):
        head = f"{key}: "
        if not rest.startswith(head, pos):
            return f"틀린 출력: {m[1]} — {rest}"
        start = pos + len(head)
        end = len(rest)
        if i + 1 < len(shown):
            end = rest.find(f"; {shown[i + 1]}: ", start)
            if end < 0:
                return f"틀린 출력: {m[1]} — {rest}"
        parts.append(f"{key}: {_ko(rest[start:end])}")
        pos = end + 2
    return f"틀린 출력: {m[1]} — " + "; ".join(parts)


# ---------------------------------------------------------------- checks.py
@_rule(r"expected a pair \(w, w0\) with w a length-2 sequence and w0 a number; got (\w+)")
def _pair(m):
    return f"(w, w0) 쌍을 반환해야 합니다 (w는 길이 2인 시퀀스, w0는 숫자); 반환값의 타입은 {m[1]}입니다"


@_rule(r"the weights realise (\w+)")
def _realise(m):
    return f"가중치가 {m[1]} 게이트를 구현합니다"


@_rule(r"not (\w+): (x=\(.+)")
def _not_gate(m):
    rows = re.findall(r"x=(\([^)]*\)) gives ([-+]\d+) \(want ([-+]\d+)\)", m[2])
    if not rows:
        return f"{m[1]} 게이트가 아닙니다: {m[2]}"
    where = ", ".join(f"x={x}에서 {got} (기대값 {want})" for x, got, want in rows)
    return f"{m[1]} 게이트가 아닙니다: {where}"


@_rule(r"returned (.+) instead of raising (\w+)")
def _no_raise(m):
    return f"{m[2]} 예외를 발생시켜야 하는데 {m[1]}을(를) 반환했습니다"


@_rule(r"losses: (.+)")
def _losses(m):
    return f"손실 기록: {_ko(m[1])}"


@_rule(r"expected a history of losses, got (\d+) value\(s\)")
def _history(m):
    return f"손실 기록(여러 값)이 필요한데 값이 {m[1]}개뿐입니다"


@_rule(r"the loss became NaN or infinite at step (\d+) \(diverged\)")
def _diverged(m):
    return f"{m[1]}번째 단계에서 손실이 NaN 또는 무한대가 되었습니다 (발산)"


@_rule(r"the loss did not fall enough: (\S+) → (\S+) \(needs ≤ (\S+) × the first\)")
def _not_enough(m):
    return f"손실이 충분히 줄지 않았습니다: {m[1]} → {m[2]} (처음 값의 {m[3]}배 이하여야 합니다)"


@_rule(r"the loss falls from (\S+) to (\S+)")
def _falls(m):
    return f"손실이 줄어듭니다: {m[1]} → {m[2]}"


@_rule(r"model output should be \((\d+), 10\) logits, got (.+)")
def _logits(m):
    got = m[2]
    shape = re.fullmatch(r"shape (\(.*\))", got)
    got = f"모양 {shape[1]}" if shape else _ko(got)
    return f"모델 출력은 ({m[1]}, 10) 모양의 로짓이어야 하는데 {got}입니다"


@_rule(r"the model has ([\d,]+) parameters, over the budget of ([\d,]+)")
def _params(m):
    return f"모델의 파라미터가 {m[1]}개로, 허용 한도 {m[2]}개를 넘습니다"


@_rule(r"held-out accuracy (\S+) is below the bar of (\S+)")
def _below(m):
    return f"검증 데이터 정확도가 {m[1]}로 기준 {m[2]}에 못 미칩니다"


@_rule(r"held-out accuracy (\S+) \(bar (\S+)\)")
def _accuracy(m):
    return f"검증 데이터 정확도 {m[1]} (기준 {m[2]})"


@_rule(r"(\w+)\.py was not handed in \(it should define (.+)\)")
def _not_handed_in_names(m):
    return f"{m[1]}.py 파일을 제출하지 않았습니다 (정의해야 할 이름: {m[2]})"


@_rule(r"(\w+)\.py was not handed in")
def _not_handed_in(m):
    return f"{m[1]}.py 파일을 제출하지 않았습니다"


@_rule(r"(\S+\.(?:py|ipynb)) could not be imported: (.+)")
def _import_failed(m):
    return f"{m[1]} 파일을 import할 수 없습니다: {_ko(m[2])}"


@_rule(r"module '(.+)' does not define '(.+)' \(expected names: (.+)\)")
def _undefined(m):
    return f"모듈 '{m[1]}'에 '{m[2]}' 정의가 없습니다 (필요한 이름: {m[3]})"


@_rule(r"module '(.+)' does not define '(.+)'")
def _undefined_bare(m):
    return f"모듈 '{m[1]}'에 '{m[2]}' 정의가 없습니다"


@_rule(r"could not read the result: (.*)")
def _unreadable(m):
    return f"반환값을 읽을 수 없습니다: {m[1]}"


@_rule(r"raised Error: no details")
def _raised_nothing(m):
    return "예외가 발생했습니다: 세부 정보 없음"


@_rule(r"raised (\w[\w.]*): (.*)")
def _raised(m):
    return f"{m[1]} 예외가 발생했습니다: {m[2]}"   # the exception's text is Python's (or the student's)


@_rule(r"raises (\w[\w.]*): (.*)")
def _raises(m):
    return f"기대한 대로 {m[1]} 예외를 발생시킵니다: {m[2]}"


@_rule(r"no file (\w+)\.py( in the submission)?")
def _no_file(m):
    return f"제출물에 {m[1]}.py 파일이 없습니다"


# ---------------------------------------------------------------- submission.py
@_rule(r"(\S+) is not UTF-8 and declares no encoding \(byte (0x[0-9a-f]{2}) on line (\d+)\): save it as UTF-8, "
       r"or declare its encoding on the first line, e\.g\. (# -\*- coding: cp949 -\*-)")
def _not_utf8(m):
    return (f"{m[1]} 파일이 UTF-8이 아니고 인코딩 선언도 없습니다 ({m[3]}번째 줄의 바이트 {m[2]}): "
            f"UTF-8로 저장하거나, 첫 줄에 인코딩을 선언하세요. 예: {m[4]}")


@_rule(r"(\S+) is not valid (\S+) \(byte (0x[0-9a-f]{2}) on line (\d+)\)")
def _not_declared(m):
    return f"{m[1]} 파일을 선언한 인코딩({m[2]})으로 읽을 수 없습니다 ({m[4]}번째 줄의 바이트 {m[3]})"


@_rule(r"(\S+) declares an unknown encoding (.+)")
def _unknown_encoding(m):
    return f"{m[1]} 파일이 알 수 없는 인코딩 {m[2]}을(를) 선언했습니다"


@_rule(r"(\S+) cannot be read: (.*)")
def _unreadable_file(m):
    return f"{m[1]} 파일을 읽을 수 없습니다: {m[2]}"


@_rule(r"(\S+) is ([\d,]+) bytes, over the limit of ([\d,]+) for a source file")
def _too_big(m):
    return f"{m[1]} 파일이 {m[2]}바이트로, 소스 파일 한도 {m[3]}바이트를 넘습니다"


@_rule(r"two files for (\w+) \((\S+), (\S+)\); using (\S+)")
def _two_files(m):
    return f"{m[1]}에 해당하는 파일이 두 개입니다 ({m[2]}, {m[3]}); {m[4]}을(를) 사용합니다"


@_rule(r"(\S+) taken as (\w+\.py)")
def _taken_as(m):
    return f"{m[1]} 파일을 {m[2]} 파일로 간주했습니다"


@_rule(r"notebook (.+): (\d+) IPython magic/shell line\(s\) skipped")
def _notebook_skipped(m):
    return f"노트북 {m[1]}: IPython 매직/셸 명령 {m[2]}줄을 건너뛰었습니다"


@_rule(r"notebook (\S+\.ipynb)")
def _notebook(m):
    return f"노트북 {m[1]}"


# ---------------------------------------------------------------- sandbox
@_rule(r"time limit of (\S+) s exceeded while running the case")
def _timeout_case(m):
    return f"시간 제한 {m[1]}초를 초과했습니다 (케이스 실행 중)"


@_rule(r"time limit of (\S+) s exceeded while importing (.+)")
def _timeout_import(m):
    return f"시간 제한 {m[1]}초를 초과했습니다 ({m[2]} import 중)"


@_rule(r"importing (\S+) did not finish: (.+)")
def _import_unfinished(m):
    return f"{m[1]} import가 끝나지 않았습니다: {_ko(m[2])}"


@_rule(r"killed by signal (\d+) \((.+)\)")
def _signal(m):
    return f"시그널 {m[1]}({m[2]})을 받아 강제 종료되었습니다"


@_rule(r"the process exited with code (-?\d+|None) before finishing \(os\._exit or a crash\)")
def _exit(m):
    return f"프로세스가 작업을 마치기 전에 종료되었습니다 (종료 코드 {m[1]}, os._exit 호출 또는 비정상 종료)"


@_rule(r"memory limit of (\S+) MB exceeded")
def _memory(m):
    return f"메모리 제한 {m[1]} MB를 초과했습니다"


@_rule(r"output limit of (\d+) bytes exceeded \(stdout \+ stderr\)")
def _output(m):
    return f"출력 제한 {m[1]}바이트를 초과했습니다 (stdout + stderr)"


@_rule(r"file size limit of (\S+) MB exceeded")
def _file_size(m):
    return f"파일 크기 제한 {m[1]} MB를 초과했습니다"


@_rule(r"a result of (\d+) bytes exceeds the limit of (\d+) bytes")
def _result_size(m):
    return f"결과 크기 {m[1]}바이트가 한도 {m[2]}바이트를 넘습니다"


@_rule(r"malformed result frame: (.*)")
def _bad_frame(m):
    return f"결과 프레임의 형식이 잘못되었습니다: {m[1]}"


@_rule(r"unexpected frame \(expected (.*)\)")
def _unexpected_frame(m):
    return f"예상하지 못한 프레임입니다 (기대한 프레임: {m[1]})"


@_rule(r"bubblewrap could not start: (.*)")
def _bwrap_start(m):
    return f"bubblewrap을 시작할 수 없습니다: {m[1]}"


@_rule(r"Bubblewrap cannot run here \((.*)\)\.")
def _bwrap_here(m):
    return f"이 환경에서는 Bubblewrap을 실행할 수 없습니다 ({_ko(m[1])})."


@_rule(r"(\S+\.py): (.+)")
def _source_unreadable(m):
    return f"{m[1]} 파일의 소스를 읽을 수 없습니다: {m[2]}"   # Python's reason (a SyntaxError's text)


#: how many message formats the table knows (fixed sentences and patterns)
FORMATS = len(_RULES)
